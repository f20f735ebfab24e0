//! Team members (DESIGN §9): the roles (`admin`, `tracer`, `viewer`) that every admin route
//! states in [`crate::routes`], and the admin's team page: inviting a member with a one-time
//! link, changing a role, disabling a member, issuing a new link (a reset).

use crate::auth::{AdminSession, CsrfForm};
use crate::http::{PageError, PageLang, esc};
use crate::setup::{new_recovery_code, recovery_code_hash};
use crate::state::AppState;
use crate::store::MemberChange;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

/// How long an invitation or reset link stays valid.
pub const LINK_SECONDS: i64 = 24 * 3600;

/// What a team member may do. Ordered: each role may do everything the one before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Counts, inside now, events: no contact data.
    Viewer,
    /// A viewer's pages, and find, trace, export, the audit log: contact data.
    Tracer,
    /// Everything: kiosks, keys, the team.
    Admin,
}

impl Role {
    /// Every role, least first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Tracer, Role::Admin];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Tracer => "tracer",
            Role::Admin => "admin",
        }
    }

    /// The name shown on a page in `lang` (the stored name stays [`Role::as_str`]).
    pub fn name(self, lang: PageLang) -> String {
        lang.text(match self {
            Role::Viewer => "admin-role-viewer",
            Role::Tracer => "admin-role-tracer",
            Role::Admin => "admin-role-admin",
        })
    }

    /// The role a name gives, if it names one.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The stored role; anything unknown reads as the least one.
    pub fn from_db(s: &str) -> Role {
        Role::parse(s).unwrap_or(Role::Viewer)
    }

    /// Whether this role may call a route that needs `need`.
    pub fn allows(self, need: Role) -> bool {
        self >= need
    }
}

/// A fresh one-time link for a member: its URL (shown once) and the code's hash stored,
/// voiding the member's older links.
async fn new_link(state: &AppState, member_id: i64) -> Result<String, PageError> {
    let code = new_recovery_code().map_err(|e| {
        tracing::error!(error = %e, "no random code");
        PageError::text(StatusCode::INTERNAL_SERVER_ERROR, "admin-error-link")
    })?;
    state
        .store
        .create_recovery_code(
            &recovery_code_hash(&code),
            member_id,
            state.now() + LINK_SECONDS,
        )
        .await?;
    Ok(format!(
        "{}/admin/recover?code={code}",
        state.config.public_url.trim_end_matches('/')
    ))
}

/// The role chooser; `label` names it for a screen reader when it stands in a table cell
/// rather than in a `<label>`.
fn role_select(lang: PageLang, current: Option<Role>, label: Option<&str>) -> String {
    let label = label.map_or(String::new(), |l| format!(" aria-label=\"{}\"", esc(l)));
    let mut s = format!("<select name=\"role\"{label}>");
    for r in Role::ALL {
        let sel = if Some(r) == current { " selected" } else { "" };
        s.push_str(&format!(
            "<option value=\"{}\"{sel}>{}</option>",
            r.as_str(),
            esc(&r.name(lang))
        ));
    }
    s.push_str("</select>");
    s
}

fn team_page(s: &AdminSession, body: &str) -> Html<String> {
    crate::admin::admin_page(s, &s.lang.text("admin-team-title"), body)
}

/// `GET /admin/team`: members, their roles, and the forms that change them.
pub async fn team(
    State(state): State<AppState>,
    s: AdminSession,
) -> Result<Html<String>, PageError> {
    Ok(team_page(&s, &team_body(&state, &s, "").await?))
}

async fn team_body(state: &AppState, s: &AdminSession, notice: &str) -> Result<String, PageError> {
    let members = state.store.members().await?;
    let lang = s.lang;
    let t = |id: &str| esc(&lang.text(id));
    let roles = {
        // The three role names in bold, the rest of the sentence plain text.
        const MARKS: [&str; 3] = ["\u{E001}", "\u{E002}", "\u{E003}"];
        let mut line = esc(&lang.text_with(
            "admin-team-roles",
            &[
                ("admin", MARKS[0].into()),
                ("tracer", MARKS[1].into()),
                ("viewer", MARKS[2].into()),
            ],
        ));
        for (mark, role) in MARKS.iter().zip([Role::Admin, Role::Tracer, Role::Viewer]) {
            line = line.replace(mark, &format!("<b>{}</b>", esc(&role.name(lang))));
        }
        line
    };
    let mut body = format!(
        "{notice}<p>{roles}</p><table>{}",
        crate::admin::header_row(
            lang,
            &[
                "admin-col-name",
                "admin-col-email",
                "admin-col-role",
                "admin-col-status",
                "admin-col-actions",
            ]
        )
    );
    for m in &members {
        let status = if m.disabled {
            "admin-member-disabled"
        } else if m.password_hash.is_none() {
            "admin-member-invited"
        } else {
            "admin-member-active"
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td><form class=\"inline\" method=\"post\" \
             action=\"/admin/team/{id}/role\">{csrf}{}<button type=\"submit\">{}</button></form></td>\
             <td>{}</td><td><form class=\"inline\" method=\"post\" action=\"/admin/team/{id}/link\">{csrf}\
             <button type=\"submit\">{}</button></form> <form class=\"inline\" method=\"post\" \
             action=\"/admin/team/{id}/disable\">{csrf}<button type=\"submit\">{}</button></form></td></tr>",
            esc(&m.name),
            esc(&m.email),
            role_select(
                lang,
                Some(m.role),
                Some(&lang.text_with("admin-team-role-for", &[("name", m.name.as_str().into())]))
            ),
            t("admin-team-change"),
            t(status),
            t("admin-team-new-link"),
            t("admin-team-disable"),
            id = m.id,
            csrf = s.csrf_field(),
        ));
    }
    body.push_str(&format!(
        "</table><h2>{}</h2><form method=\"post\" action=\"/admin/team\">{}\
         <label>{} <input name=\"name\" required maxlength=\"100\"></label>\
         <label>{} <input type=\"email\" name=\"email\" required maxlength=\"254\"></label>\
         <label>{} {}</label><button type=\"submit\">{}</button></form>\
         <p>{}</p>",
        t("admin-team-invite-title"),
        s.csrf_field(),
        t("admin-col-name"),
        t("admin-col-email"),
        t("admin-col-role"),
        role_select(lang, Some(Role::Viewer), None),
        t("admin-team-invite"),
        t("admin-team-invite-note"),
    ));
    Ok(body)
}

fn link_notice(lang: PageLang, name: &str, link: &str) -> String {
    format!(
        "<p class=\"notice\">{}<br><code>{}</code></p>",
        esc(&lang.text_with("admin-team-link", &[("name", name.into())])),
        esc(link)
    )
}

/// The invitation form's fields.
#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

impl std::fmt::Debug for InviteForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InviteForm")
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

fn bad(field: &str) -> PageError {
    let field = if field == "e-mail" { "email" } else { field };
    PageError::text_with(
        StatusCode::BAD_REQUEST,
        "admin-error-invalid",
        vec![("field", field.into())],
    )
}

/// Checks a member's name and e-mail as `init` does; `Err` names the field.
pub fn check_member(name: &str, email: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err("name");
    }
    if !email.contains('@') || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err("e-mail");
    }
    Ok(())
}

/// `POST /admin/team`: creates a member and shows their one-time link.
pub async fn invite(
    State(state): State<AppState>,
    s: AdminSession,
    Form(form): Form<InviteForm>,
) -> Result<Response, PageError> {
    s.check_csrf(&form.csrf)?;
    let (name, email) = (form.name.trim(), form.email.trim());
    check_member(name, email).map_err(bad)?;
    let role = Role::parse(&form.role).ok_or_else(|| bad("role"))?;
    let Some(id) = state
        .store
        .create_member(name, email, role, state.now())
        .await?
    else {
        return Err(PageError::text(
            StatusCode::CONFLICT,
            "admin-error-member-exists",
        ));
    };
    let link = new_link(&state, id).await?;
    crate::admin::audit(
        &state,
        &s,
        "member",
        &format!("member #{id} invited as {}", role.as_str()),
    )
    .await?;
    let body = team_body(&state, &s, &link_notice(s.lang, name, &link)).await?;
    Ok(team_page(&s, &body).into_response())
}

/// The role form's fields.
#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
}

impl std::fmt::Debug for RoleForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoleForm")
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

fn changed(outcome: MemberChange) -> Result<(), PageError> {
    match outcome {
        MemberChange::Done => Ok(()),
        MemberChange::LastAdmin => Err(PageError::text(
            StatusCode::CONFLICT,
            "admin-error-last-admin",
        )),
        MemberChange::NoSuchMember => Err(PageError::text(
            StatusCode::NOT_FOUND,
            "admin-error-no-member",
        )),
    }
}

/// `POST /admin/team/{id}/role`.
pub async fn set_role(
    State(state): State<AppState>,
    s: AdminSession,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response, PageError> {
    s.check_csrf(&form.csrf)?;
    let role = Role::parse(&form.role).ok_or_else(|| bad("role"))?;
    changed(
        state
            .store
            .change_member(id, Some(role), state.now())
            .await?,
    )?;
    crate::admin::audit(
        &state,
        &s,
        "member",
        &format!("member #{id} role set to {}", role.as_str()),
    )
    .await?;
    Ok(Redirect::to("/admin/team").into_response())
}

/// `POST /admin/team/{id}/disable`: the member's sessions, links and app tokens end at once.
pub async fn disable(
    State(state): State<AppState>,
    s: AdminSession,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    s.check_csrf(&form.csrf)?;
    changed(state.store.change_member(id, None, state.now()).await?)?;
    crate::admin::audit(&state, &s, "member", &format!("member #{id} disabled")).await?;
    Ok(Redirect::to("/admin/team").into_response())
}

/// `POST /admin/team/{id}/link`: a new one-time link (a reset; older links end).
pub async fn reissue(
    State(state): State<AppState>,
    s: AdminSession,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    s.check_csrf(&form.csrf)?;
    let Some(m) = state.store.member(id).await? else {
        return Err(PageError::text(
            StatusCode::NOT_FOUND,
            "admin-error-no-member",
        ));
    };
    let link = new_link(&state, id).await?;
    crate::admin::audit(
        &state,
        &s,
        "member",
        &format!("member #{id} given a new link"),
    )
    .await?;
    let body = team_body(&state, &s, &link_notice(s.lang, &m.name, &link)).await?;
    Ok(team_page(&s, &body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_round_trip() {
        assert!(Role::Admin.allows(Role::Tracer));
        assert!(Role::Tracer.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Tracer));
        assert!(!Role::Tracer.allows(Role::Admin));
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::from_db("root"), Role::Viewer);
    }
}
