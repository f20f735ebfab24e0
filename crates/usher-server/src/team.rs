//! Team members (DESIGN §9): the roles (`admin`, `tracer`, `viewer`) that every admin route
//! states in [`crate::routes`], and the admin's team page: inviting a member with a one-time
//! link, changing a role, disabling a member, issuing a new link (a reset).

use crate::auth::{AdminSession, CsrfForm};
use crate::http::{PageError, esc};
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
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Could not make a link.")
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

fn role_select(current: Option<Role>) -> String {
    let mut s = String::from("<select name=\"role\">");
    for r in Role::ALL {
        let sel = if Some(r) == current { " selected" } else { "" };
        s.push_str(&format!(
            "<option value=\"{0}\"{sel}>{0}</option>",
            r.as_str()
        ));
    }
    s.push_str("</select>");
    s
}

fn team_page(s: &AdminSession, body: &str) -> Html<String> {
    crate::admin::admin_page(s, "Team", body)
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
    let mut body = format!(
        "{notice}<p>Roles: <b>admin</b> (everything), <b>tracer</b> (find, trace, export, audit \
         log), <b>viewer</b> (counts, inside now, events; no contact data).</p>\
         <table><tr><th>Name</th><th>E-mail</th><th>Role</th><th>Status</th><th></th></tr>"
    );
    for m in &members {
        let status = if m.disabled {
            "disabled"
        } else if m.password_hash.is_none() {
            "invited"
        } else {
            "active"
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td><form class=\"inline\" method=\"post\" \
             action=\"/admin/team/{id}/role\">{csrf}{}<button type=\"submit\">Change</button></form></td>\
             <td>{status}</td><td><form class=\"inline\" method=\"post\" action=\"/admin/team/{id}/link\">{csrf}\
             <button type=\"submit\">New link</button></form> <form class=\"inline\" method=\"post\" \
             action=\"/admin/team/{id}/disable\">{csrf}<button type=\"submit\">Disable</button></form></td></tr>",
            esc(&m.name),
            esc(&m.email),
            role_select(Some(m.role)),
            id = m.id,
            csrf = s.csrf_field(),
        ));
    }
    body.push_str(&format!(
        "</table><h2>Invite a member</h2><form method=\"post\" action=\"/admin/team\">{}\
         <label>Name <input name=\"name\" required maxlength=\"100\"></label>\
         <label>E-mail <input type=\"email\" name=\"email\" required maxlength=\"254\"></label>\
         <label>Role {}</label><button type=\"submit\">Invite</button></form>\
         <p>The invitation is a link, valid for 24 hours and only once: hand it over yourself \
         (no e-mail is sent). A new link ends the older ones; disabling ends every session at once.</p>",
        s.csrf_field(),
        role_select(Some(Role::Viewer))
    ));
    Ok(body)
}

fn link_notice(name: &str, link: &str) -> String {
    format!(
        "<p class=\"notice\">Link for {}, shown once (24 hours, single use):<br><code>{}</code></p>",
        esc(name),
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
    PageError::new(
        StatusCode::BAD_REQUEST,
        format!("The {field} is not valid."),
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
        return Err(PageError::new(
            StatusCode::CONFLICT,
            "A member with that e-mail exists already.",
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
    let body = team_body(&state, &s, &link_notice(name, &link)).await?;
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
        MemberChange::LastAdmin => Err(PageError::new(
            StatusCode::CONFLICT,
            "That is the last admin: make another member an admin first.",
        )),
        MemberChange::NoSuchMember => Err(PageError::new(StatusCode::NOT_FOUND, "No such member.")),
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
        return Err(PageError::new(StatusCode::NOT_FOUND, "No such member."));
    };
    let link = new_link(&state, id).await?;
    crate::admin::audit(
        &state,
        &s,
        "member",
        &format!("member #{id} given a new link"),
    )
    .await?;
    let body = team_body(&state, &s, &link_notice(&m.name, &link)).await?;
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
