//! Admin authentication: Argon2id passwords, sessions in HttpOnly SameSite=Strict cookies,
//! CSRF tokens on every form, login rate limits, and setting a password with a recovery code.

use crate::crypto::{random_token, token_hash};
use crate::http::{
    ClientAddr, PageError, PageLang, cookie, esc, lang_menu, page_in, set_cookie, text_marked,
};
use crate::setup::{PasswordCost, recovery_code_hash};
use crate::state::AppState;
use crate::team::Role;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::fmt;
use subtle::ConstantTimeEq as _;

/// The session cookie (`__Host-` prefixed over HTTPS: [`crate::http::cookie_name`]).
pub const SESSION_COOKIE: &str = "usher_session";
/// The pre-session CSRF cookie (visitor form, login, recovery; prefixed like the session's).
pub const CSRF_COOKIE: &str = "usher_csrf";
/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 12 * 3600;
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 12;
/// How long a login waits for a free Argon2 slot before it is answered 429.
pub const PASSWORD_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs `work` (Argon2) on a blocking thread once one of the state's password slots is free;
/// 429 when none frees up within [`PASSWORD_WAIT`].
pub(crate) async fn with_password_slot<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<Option<T>, PageError> {
    let Ok(Ok(_slot)) = tokio::time::timeout(PASSWORD_WAIT, state.password_slots.acquire()).await
    else {
        tracing::warn!("every password slot busy: login refused");
        return Err(PageError::text(
            StatusCode::TOO_MANY_REQUESTS,
            "admin-error-busy",
        ));
    };
    Ok(tokio::task::spawn_blocking(work).await.ok())
}

fn argon2(cost: PasswordCost) -> Argon2<'static> {
    match cost {
        PasswordCost::Standard => Argon2::default(),
        PasswordCost::Fast => Params::new(256, 1, 1, None)
            .map(|p| Argon2::new(Algorithm::Argon2id, Version::V0x13, p))
            .unwrap_or_default(),
    }
}

/// Hashes a password with Argon2id (PHC string). CPU-heavy: call off the async threads.
pub fn hash_password(password: &str, cost: PasswordCost) -> Option<String> {
    argon2(cost)
        .hash_password(password.as_bytes())
        .ok()
        .map(|h| h.to_string())
}

/// Checks a password against a PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Whether the request carries a live admin session cookie.
pub async fn has_live_session(
    headers: &HeaderMap,
    state: &AppState,
) -> Result<bool, crate::store::StoreError> {
    match cookie(headers, SESSION_COOKIE, state.config.secure_cookies) {
        Some(t) => Ok(state
            .store
            .session(&token_hash(t), state.now())
            .await?
            .is_some()),
        None => Ok(false),
    }
}

/// A logged-in admin (`Debug` hides the CSRF token and the session's hash).
#[derive(Clone)]
pub struct AdminSession {
    /// The admin's id.
    pub admin_id: i64,
    /// The admin's name.
    pub name: String,
    /// This session's CSRF token.
    pub csrf: String,
    /// The member's role.
    pub role: Role,
    /// The language the request asked for (query, cookie, `Accept-Language`): what the admin
    /// pages answer in.
    pub lang: PageLang,
    token_hash: Vec<u8>,
}

impl AdminSession {
    /// Fails unless `token` is this session's CSRF token.
    pub fn check_csrf(&self, token: &str) -> Result<(), PageError> {
        if bool::from(self.csrf.as_bytes().ct_eq(token.as_bytes())) {
            Ok(())
        } else {
            Err(PageError::text(
                StatusCode::FORBIDDEN,
                "web-error-expired-form",
            ))
        }
    }

    /// A hidden input carrying the CSRF token.
    pub fn csrf_field(&self) -> String {
        format!(
            "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
            esc(&self.csrf)
        )
    }
}

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        // Found already by the route's role gate.
        if let Some(s) = parts.extensions.get::<AdminSession>() {
            return Ok(s.clone());
        }
        if let Some(t) = cookie(&parts.headers, SESSION_COOKIE, state.config.secure_cookies) {
            let hash = token_hash(t);
            match state.store.session(&hash, state.now()).await {
                Ok(Some(s)) => {
                    return Ok(AdminSession {
                        admin_id: s.admin_id,
                        name: s.admin_name,
                        csrf: s.csrf,
                        role: s.role,
                        lang: PageLang::from_request(parts.uri.query(), &parts.headers),
                        token_hash: hash,
                    });
                }
                Ok(None) => {}
                Err(e) => return Err(PageError::from(e).into_response()),
            }
        }
        if parts.headers.contains_key(header::AUTHORIZATION) {
            return Err(
                PageError::text(StatusCode::FORBIDDEN, "admin-error-device-token").into_response(),
            );
        }
        Err(Redirect::to("/admin/login").into_response())
    }
}

/// Who a role-gated request comes from: an admin-page session ([`AdminSession`]) or an old-app
/// member ([`crate::legacy_api::AppMember`]). Its extractor refuses a request with no or a bad
/// credential; [`Principal::forbidden`] is how a role too low is told, in that side's own form.
pub trait Principal:
    FromRequestParts<AppState, Rejection = Response> + Clone + Send + Sync + 'static
{
    /// The member's role.
    fn role(&self) -> Role;
    /// The 403 for a member whose role is below what the route needs.
    fn forbidden(role: Role) -> Response;
}

impl Principal for AdminSession {
    fn role(&self) -> Role {
        self.role
    }
    fn forbidden(role: Role) -> Response {
        PageError::text_with(
            StatusCode::FORBIDDEN,
            "admin-error-role",
            vec![("role", role.as_str().into())],
        )
        .into_response()
    }
}

/// The gate in front of every [`crate::Access::Member`] and [`crate::Access::App`] route: no
/// credential → `P`'s refusal (the login page, 401 or 403), a role below `need` → 403; otherwise
/// the principal goes to the handler in the request's extensions.
pub async fn role_gate<P: Principal>(
    state: AppState,
    need: Role,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let who = match P::from_request_parts(&mut parts, &state).await {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    if !who.role().allows(need) {
        return P::forbidden(who.role());
    }
    parts.extensions.insert(who);
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// What a member whose role does not open a page is told.
pub fn role_refusal(role: Role) -> String {
    usher_i18n::text_with(
        usher_i18n::Lang::En,
        "admin-error-role",
        &[("role", role.as_str().into())],
    )
}

/// A fresh pre-session CSRF token and the cookie that carries it.
pub fn new_form_csrf(state: &AppState) -> Result<(String, header::HeaderValue), PageError> {
    let token = random_token()?;
    let c = set_cookie(CSRF_COOKIE, &token, 3600, state.config.secure_cookies);
    Ok((token, c))
}

/// Checks a pre-session form's CSRF field against its cookie.
pub fn check_form_csrf(
    state: &AppState,
    headers: &HeaderMap,
    field: &str,
) -> Result<(), PageError> {
    match cookie(headers, CSRF_COOKIE, state.config.secure_cookies) {
        Some(c) if !c.is_empty() && bool::from(c.as_bytes().ct_eq(field.as_bytes())) => Ok(()),
        _ => Err(PageError::text(
            StatusCode::FORBIDDEN,
            "web-error-expired-form",
        )),
    }
}

/// An error line above a form.
fn error_line(message: Option<&str>) -> String {
    message.map_or(String::new(), |m| {
        format!("<p class=\"error\">{}</p>", esc(m))
    })
}

fn login_page(lang: PageLang, csrf: &str, message: Option<&str>) -> Html<String> {
    let t = |id: &str| esc(&lang.text(id));
    page_in(
        lang,
        &lang.text("admin-login-title"),
        &format!(
            "{}<h1>{}</h1>{}<form method=\"post\" action=\"/admin/login\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <label>{} <input type=\"email\" name=\"email\" required autocomplete=\"username\" dir=\"ltr\"></label>\
             <label>{} <input type=\"password\" name=\"password\" required autocomplete=\"current-password\"></label>\
             <button type=\"submit\">{}</button></form>\
             <p><a href=\"/admin/recover\">{}</a></p>",
            lang_menu(lang, "/admin/login"),
            t("admin-login-title"),
            error_line(message),
            esc(csrf),
            t("admin-login-email"),
            t("admin-login-password"),
            t("admin-login-submit"),
            t("admin-login-recover"),
        ),
    )
}

/// `GET /admin/login`.
pub async fn login_form(
    State(state): State<AppState>,
    lang: PageLang,
) -> Result<Response, PageError> {
    let (csrf, c) = new_form_csrf(&state)?;
    Ok(([(header::SET_COOKIE, c)], login_page(lang, &csrf, None)).into_response())
}

/// The login form's fields (`Debug` hides the password and the CSRF token).
#[derive(Deserialize)]
pub struct LoginForm {
    /// Missing counts as wrong: the CSRF check answers 403, not a parse error.
    #[serde(default)]
    csrf: String,
    email: String,
    password: String,
}

async fn open_session(state: &AppState, admin_id: i64) -> Result<Response, PageError> {
    let token = random_token()?;
    let csrf = random_token()?;
    let now = state.now();
    state
        .store
        .create_session(
            &token_hash(&token),
            admin_id,
            &csrf,
            now,
            now + SESSION_SECONDS,
        )
        .await?;
    let c = set_cookie(
        SESSION_COOKIE,
        &token,
        SESSION_SECONDS,
        state.config.secure_cookies,
    );
    Ok(([(header::SET_COOKIE, c)], Redirect::to("/admin")).into_response())
}

/// `POST /admin/login`.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    lang: PageLang,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    if !state.login_limit.allow(addr, state.now()) {
        tracing::warn!(%addr, "login rate limit hit");
        return Err(PageError::text(
            StatusCode::TOO_MANY_REQUESTS,
            "admin-error-logins",
        ));
    }
    check_form_csrf(&state, &headers, &form.csrf)?;
    let admin = state.store.admin_by_email(form.email.trim()).await?;
    let phc = admin.as_ref().and_then(|a| a.password_hash.clone());
    let password = form.password;
    // Verify even for unknown admins, so timing does not tell which e-mails exist.
    let ok = with_password_slot(&state, move || match phc {
        Some(phc) => verify_password(&password, &phc),
        None => {
            let _ = verify_password(&password, DUMMY_PHC);
            false
        }
    })
    .await?
    .unwrap_or(false);
    match admin {
        Some(a) if ok && !a.disabled => {
            state
                .store
                .audit(state.now(), Some(a.id), "login", "logged in")
                .await?;
            open_session(&state, a.id).await
        }
        _ => {
            tracing::info!("failed admin login");
            let (csrf, c) = new_form_csrf(&state)?;
            Ok((
                StatusCode::UNAUTHORIZED,
                [(header::SET_COOKIE, c)],
                login_page(lang, &csrf, Some(&lang.text("admin-login-wrong"))),
            )
                .into_response())
        }
    }
}

/// A valid Argon2id hash of a random string, verified against for unknown admins.
pub(crate) const DUMMY_PHC: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$8vVmRWtNgqrLi2hIW+JxaS4y2yRTfWZ3ChR7rTR1PjA";

/// The logout form's fields (`Debug` hides the CSRF token).
#[derive(Deserialize)]
pub struct CsrfForm {
    /// The CSRF token (missing counts as wrong: the CSRF check answers 403, not a parse error).
    #[serde(default)]
    pub csrf: String,
}

/// `POST /admin/logout`.
pub async fn logout(
    State(state): State<AppState>,
    session: AdminSession,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&form.csrf)?;
    state.store.delete_session(&session.token_hash).await?;
    let c = set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies);
    Ok(([(header::SET_COOKIE, c)], Redirect::to("/admin/login")).into_response())
}

fn recover_page(lang: PageLang, csrf: &str, code: &str, message: Option<&str>) -> Html<String> {
    let t = |id: &str| esc(&lang.text(id));
    page_in(
        lang,
        &lang.text("admin-recover-title"),
        &format!(
            "{}<h1>{}</h1>{}<p>{}</p>\
             <form method=\"post\" action=\"/admin/recover\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <label>{} <input name=\"code\" required autocomplete=\"off\" value=\"{}\" dir=\"ltr\"></label>\
             <label>{} <input type=\"password\" name=\"password\" required autocomplete=\"new-password\"></label>\
             <label>{} <input type=\"password\" name=\"again\" required autocomplete=\"new-password\"></label>\
             <button type=\"submit\">{}</button></form>",
            lang_menu(lang, "/admin/recover"),
            t("admin-recover-title"),
            error_line(message),
            text_marked(
                lang,
                "admin-recover-intro",
                &[("min", MIN_PASSWORD.into())],
                ("command", "usher-server init", "code")
            ),
            esc(csrf),
            t("admin-recover-code"),
            esc(code),
            t("admin-recover-new"),
            t("admin-recover-again"),
            t("admin-recover-submit"),
        ),
    )
}

/// The code an invitation link carries (`/admin/recover?code=…`; `Debug` hides it).
#[derive(Deserialize)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

/// `GET /admin/recover` (with `?code=` from an invitation or reset link: the field is filled).
pub async fn recover_form(
    State(state): State<AppState>,
    lang: PageLang,
    axum::extract::Query(q): axum::extract::Query<CodeQuery>,
) -> Result<Response, PageError> {
    let (csrf, c) = new_form_csrf(&state)?;
    // Only a code's own characters are put back in the form.
    let code: String = q
        .code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect();
    Ok((
        [(header::SET_COOKIE, c)],
        recover_page(lang, &csrf, &code, None),
    )
        .into_response())
}

/// The recovery form's fields (`Debug` hides the code, the passwords and the CSRF token).
#[derive(Deserialize)]
pub struct RecoverForm {
    /// Missing counts as wrong: the CSRF check answers 403, not a parse error.
    #[serde(default)]
    csrf: String,
    code: String,
    password: String,
    again: String,
}

/// `POST /admin/recover`: spends the code, sets the password, logs in.
pub async fn recover(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    lang: PageLang,
    headers: HeaderMap,
    Form(form): Form<RecoverForm>,
) -> Result<Response, PageError> {
    if !state.login_limit.allow(addr, state.now()) {
        return Err(PageError::text(
            StatusCode::TOO_MANY_REQUESTS,
            "admin-error-attempts",
        ));
    }
    check_form_csrf(&state, &headers, &form.csrf)?;
    let again = |id: &str| -> Result<Response, PageError> {
        let (csrf, c) = new_form_csrf(&state)?;
        Ok((
            StatusCode::BAD_REQUEST,
            [(header::SET_COOKIE, c)],
            recover_page(lang, &csrf, "", Some(&lang.text(id))),
        )
            .into_response())
    };
    if form.password.chars().count() < MIN_PASSWORD {
        return again("admin-recover-short");
    }
    if form.password.len() > 1024 {
        return again("admin-recover-long");
    }
    if form.password != form.again {
        return again("admin-recover-differ");
    }
    // Hashed before the code is spent, so a busy server (429) does not burn the code.
    let cost = state.config.password_cost;
    let password = form.password;
    let phc = with_password_slot(&state, move || hash_password(&password, cost))
        .await?
        .flatten()
        .ok_or_else(|| PageError::text(StatusCode::INTERNAL_SERVER_ERROR, "admin-error-hash"))?;
    let Some(admin_id) = state
        .store
        .spend_recovery_code(&recovery_code_hash(&form.code), state.now())
        .await?
    else {
        return again("admin-recover-wrong");
    };
    state.store.set_password(admin_id, &phc).await?;
    state
        .store
        .audit(
            state.now(),
            Some(admin_id),
            "password",
            "password set with a recovery code",
        )
        .await?;
    open_session(&state, admin_id).await
}

impl fmt::Debug for AdminSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminSession")
            .field("admin_id", &self.admin_id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginForm")
            .field("email", &"***")
            .field("password", &"***")
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for RecoverForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecoverForm")
            .field("code", &"***")
            .field("password", &"***")
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for CodeQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeQuery { .. }")
    }
}

impl fmt::Debug for CsrfForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CsrfForm { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery", PasswordCost::Fast).expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a phc"));
        assert!(PasswordHash::new(DUMMY_PHC).is_ok());
    }

    #[test]
    fn debug_of_forms_and_sessions_hides_secrets() {
        let login = LoginForm {
            csrf: "csrf-login-token".into(),
            email: "admin@example.org".into(),
            password: "correct horse battery".into(),
        };
        let recover = RecoverForm {
            csrf: "csrf-recover-token".into(),
            code: "RECOVERY-CODE-1234".into(),
            password: "new password here".into(),
            again: "new password here".into(),
        };
        let session = AdminSession {
            admin_id: 7,
            name: "Amina".into(),
            csrf: "csrf-session-token".into(),
            role: Role::Admin,
            lang: PageLang(usher_i18n::Lang::En),
            token_hash: b"hash-bytes".to_vec(),
        };
        let shown = format!(
            "{login:?} {recover:?} {session:?} {:?}",
            CsrfForm {
                csrf: "csrf-logout-token".into()
            }
        );
        for secret in [
            "csrf-",
            "admin@example.org",
            "correct horse",
            "RECOVERY-CODE",
            "new password",
            "104, 97, 115, 104",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("Amina"));
    }
}
