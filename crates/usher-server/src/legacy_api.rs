//! The venue's old REST API at `/api/v1.0/` (DESIGN §10, `../shared/seed-api/openapi.yaml`),
//! served beside Usher's own so the old iOS scanner app keeps working, mapped onto Usher's
//! data: a sign-in is a row of `signins` (contact data sealed like every other, `num_people`
//! its head count, `morf` its entrance), team members are Usher's members with their roles.
//! The app's token travels in a `token` header; tokens are stored as SHA-256 of 32 random
//! bytes, expire, and are found by that hash (one indexed lookup: nothing compares tokens).

use crate::auth::{DUMMY_PHC, MIN_PASSWORD, hash_password, verify_password};
use crate::crypto::{random_token, token_hash};
use crate::http::ClientAddr;
use crate::setup::{new_recovery_code, recovery_code_hash};
use crate::state::AppState;
use crate::store::{Admin, MemberChange, NewSignin, SigninRow};
use crate::team::{LINK_SECONDS, Role, check_member};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Where the old API lives.
pub const PREFIX: &str = "/api/v1.0";
/// The header the app sends its token in.
pub const TOKEN_HEADER: &str = "token";
/// How long an app token lasts.
pub const TOKEN_SECONDS: i64 = 7 * 24 * 3600;
/// Longest name, phone or e-mail a sign-in takes.
pub const MAX_FIELD: usize = 254;
/// Largest `num_people`.
pub const MAX_PEOPLE: i64 = 20;

/// An old-API error: a status and `{"message": "..."}` (the old server's shape). The message
/// names the field, never its value.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    message: String,
}

impl AppError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        AppError {
            status,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        AppError::new(StatusCode::BAD_REQUEST, message)
    }

    /// What the old server answered for a missing, wrong or expired token.
    pub fn login_failed() -> Self {
        AppError::new(StatusCode::UNAUTHORIZED, "Login Failed")
    }

    fn not_found(what: &str) -> Self {
        AppError::new(StatusCode::NOT_FOUND, format!("no such {what}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "message": self.message }))).into_response()
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        tracing::error!(error = %e, "database");
        AppError::new(StatusCode::SERVICE_UNAVAILABLE, "Key Failures")
    }
}

/// A member, by the app's `token` header (`Debug` hides the token's hash).
#[derive(Clone)]
pub struct AppMember {
    /// The member.
    pub member: Admin,
    token_hash: Vec<u8>,
}

impl std::fmt::Debug for AppMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppMember")
            .field("id", &self.member.id)
            .field("role", &self.member.role)
            .finish_non_exhaustive()
    }
}

impl FromRequestParts<AppState> for AppMember {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(m) = parts.extensions.get::<AppMember>() {
            return Ok(m.clone());
        }
        let Some(token) = parts
            .headers
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|t| !t.is_empty())
        else {
            return Err(AppError::login_failed().into_response());
        };
        let hash = token_hash(token.trim());
        match state.store.app_token(&hash, state.now()).await {
            Ok(Some(member)) => Ok(AppMember {
                member,
                token_hash: hash,
            }),
            Ok(None) => Err(AppError::login_failed().into_response()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

impl crate::auth::Principal for AppMember {
    fn role(&self) -> Role {
        self.member.role
    }
    fn forbidden(role: Role) -> Response {
        AppError::new(StatusCode::FORBIDDEN, role_refusal(role)).into_response()
    }
}

/// What a member whose role does not allow an operation is told.
pub fn role_refusal(role: Role) -> String {
    format!("a {} may not do this", role.as_str())
}

/// A path id; anything but an integer is no such record (404), as the old server's Flask
/// `<int:…>` routes answered.
#[derive(Debug)]
pub struct Id(i64);

impl FromRequestParts<AppState> for Id {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match Path::<i64>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(Id(id)),
            Err(_) => Err(AppError::new(StatusCode::NOT_FOUND, "no such record")),
        }
    }
}

/// A JSON object body: `{}` when there is none, 400 when it is no JSON object.
fn object(body: &Bytes) -> Result<serde_json::Map<String, Value>, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(AppError::bad("the body is not a JSON object")),
        Err(_) => Err(AppError::bad("the body is not JSON")),
    }
}

/// A string field: absent → `None`, a string → it, anything else → 400 naming the field.
fn string<'a>(
    m: &'a serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<&'a str>, AppError> {
    match m.get(field) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(AppError::bad(format!("{field} is not a string"))),
    }
}

fn boolean(m: &serde_json::Map<String, Value>, field: &str) -> Result<bool, AppError> {
    match m.get(field) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(AppError::bad(format!("{field} is not a boolean"))),
    }
}

fn user_record(m: &Admin) -> Value {
    json!({
        "id": m.id,
        "name": m.name,
        "email": m.email,
        "admin": m.role == Role::Admin,
        "read_only": m.role == Role::Viewer,
    })
}

/// The role an old `admin` / `read_only` pair means.
pub fn role_of(admin: bool, read_only: bool) -> Role {
    if admin {
        Role::Admin
    } else if read_only {
        Role::Viewer
    } else {
        Role::Tracer
    }
}

async fn audit(state: &AppState, who: &Admin, action: &str, detail: &str) -> Result<(), AppError> {
    state
        .store
        .audit(state.now(), Some(who.id), action, detail)
        .await?;
    Ok(())
}

/// `POST /login`: a member's e-mail and password (and the app's `source`) → a token.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    body: Bytes,
) -> Result<Response, AppError> {
    if !state.login_limit.allow(addr, state.now()) {
        return Err(AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many login attempts from this address: wait a minute",
        ));
    }
    let m = object(&body)?;
    let email = string(&m, "email")?.unwrap_or_default().trim().to_owned();
    let password = string(&m, "password")?.unwrap_or_default().to_owned();
    let source = match string(&m, "source")? {
        None => "unknown",
        Some(s @ ("iOS" | "android" | "web")) => s,
        Some(_) => return Err(AppError::bad("source is not iOS, android or web")),
    }
    .to_owned();
    let member = if email.is_empty() {
        None
    } else {
        state.store.admin_by_email(&email).await?
    };
    let phc = member.as_ref().and_then(|a| a.password_hash.clone());
    // Verified even for unknown members, so timing does not tell which e-mails exist.
    let ok = crate::auth::with_password_slot(&state, move || match phc {
        Some(phc) => verify_password(&password, &phc),
        None => {
            let _ = verify_password(&password, DUMMY_PHC);
            false
        }
    })
    .await
    .map_err(|_| AppError::new(StatusCode::TOO_MANY_REQUESTS, "the server is busy: retry"))?
    .unwrap_or(false);
    let Some(member) = member.filter(|a| ok && !a.disabled) else {
        tracing::info!("failed app login");
        return Err(AppError::login_failed());
    };
    let token = random_token()
        .map_err(|_| AppError::new(StatusCode::SERVICE_UNAVAILABLE, "Key Failures"))?;
    let now = state.now();
    state
        .store
        .create_app_token(
            &token_hash(&token),
            member.id,
            &source,
            now,
            now + TOKEN_SECONDS,
        )
        .await?;
    audit(
        &state,
        &member,
        "login",
        &format!("logged in to the old API ({source})"),
    )
    .await?;
    Ok(Json(json!({
        "admin": member.role == Role::Admin,
        "login_id": member.id,
        "name": member.name,
        "read_only": member.role == Role::Viewer,
        "token": token,
    }))
    .into_response())
}

/// `POST /logout`: ends this token.
pub async fn logout(State(state): State<AppState>, me: AppMember) -> Result<Json<Value>, AppError> {
    state.store.delete_app_token(&me.token_hash).await?;
    Ok(Json(json!({})))
}

/// A sign-in as the old API shows it.
fn signin_json(state: &AppState, row: &SigninRow) -> Value {
    let fields: BTreeMap<String, String> = state
        .keys
        .vault
        .open(row.sid.as_bytes(), &row.contact)
        .ok()
        .and_then(|p| serde_json::from_slice(&p).ok())
        .unwrap_or_else(|| {
            tracing::error!(seq = row.seq, "stored contact data does not open");
            BTreeMap::new()
        });
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let email = fields
        .get("s3")
        .or_else(|| fields.get("email"))
        .cloned()
        .unwrap_or_default();
    json!({
        "id": row.seq,
        "dt": row.scanned_at,
        "name": get("s1"),
        "phone": get("s2"),
        "email": email,
    })
}

/// `GET /signins` paging.
#[derive(Debug, Deserialize)]
pub struct SigninsQuery {
    less_than: Option<String>,
    return_count: Option<String>,
}

/// `GET /signins?less_than=&return_count=`: newest first.
pub async fn signins(
    State(state): State<AppState>,
    me: AppMember,
    q: Result<Query<SigninsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, AppError> {
    let Query(q) = q.map_err(|_| AppError::bad("the query is malformed"))?;
    let less_than = match q.less_than.as_deref() {
        None => None,
        // Any integer: one past i64's range pages from the end it is past.
        Some(s) => Some(
            s.parse::<i128>()
                .map(|n| {
                    i64::try_from(n.clamp(i128::from(i64::MIN), i128::from(i64::MAX))).unwrap_or(0)
                })
                .map_err(|_| AppError::bad("less_than is not an integer"))?,
        ),
    };
    let count = match q.return_count.as_deref() {
        None => 100,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| AppError::bad("return_count is not an integer from 1 to 100"))?,
    };
    let rows = state.store.signins_newest(less_than, count).await?;
    audit(
        &state,
        &me.member,
        "app-signins",
        &format!("{} sign-ins listed by the old API", rows.len()),
    )
    .await?;
    Ok(Json(Value::Array(
        rows.iter().map(|r| signin_json(&state, r)).collect(),
    )))
}

/// The contact fields of a sign-in body (`name` and `phone` required, `email` optional).
fn contact_fields(
    m: &serde_json::Map<String, Value>,
) -> Result<BTreeMap<String, String>, AppError> {
    // The description's other fields, typed as it says (their values are not used).
    if m.get("id").is_some_and(|v| !v.is_i64() && !v.is_u64()) {
        return Err(AppError::bad("id is not an integer"));
    }
    if m.get("dt").is_some_and(|v| !v.is_number()) {
        return Err(AppError::bad("dt is not a number"));
    }
    let mut fields = BTreeMap::new();
    for (field, key, required) in [
        ("name", "s1", true),
        ("phone", "s2", true),
        ("email", "s3", false),
    ] {
        match string(m, field)? {
            Some(v) if v.chars().count() > MAX_FIELD => {
                return Err(AppError::bad(format!(
                    "{field} is over {MAX_FIELD} characters"
                )));
            }
            Some(v) => {
                fields.insert(key.to_owned(), v.trim().to_owned());
            }
            None if required => return Err(AppError::bad(format!("{field} is missing"))),
            None => {}
        }
    }
    Ok(fields)
}

/// A time in seconds (`dt` or `scan_time`, fractional allowed): whole seconds, or 400.
fn seconds(m: &serde_json::Map<String, Value>, field: &str) -> Result<Option<i64>, AppError> {
    match m.get(field) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.is_finite() && *f >= 0.0 && *f < 1e11)
            // In range: a whole number of seconds fits.
            .map(|f| Some(f.floor() as i64))
            .ok_or_else(|| AppError::bad(format!("{field} is not a time in seconds"))),
        Some(_) => Err(AppError::bad(format!("{field} is not a number"))),
    }
}

/// A sign-in of the old app, sealed; its stay at `entrance` with `heads` people.
fn seal(
    state: &AppState,
    sid: &str,
    fields: &BTreeMap<String, String>,
    at: i64,
    (entrance, heads): (&str, i64),
) -> Result<NewSignin, AppError> {
    let sealed = state
        .keys
        .vault
        .seal_fields(sid, fields)
        .map_err(|_| AppError::new(StatusCode::SERVICE_UNAVAILABLE, "Key Failures"))?;
    Ok(NewSignin {
        sid: sid.to_owned(),
        pass_id: usher_core::PassId::of(sid.as_bytes()).0,
        scanned_at: at,
        device_id: "old-app".to_owned(),
        valid_until: None,
        contact: sealed.contact,
        name_bi: sealed.name_bi,
        phone_bi: sealed.phone_bi,
        email_bi: sealed.email_bi,
        entrance: entrance.to_owned(),
        heads,
        over_capacity: false,
        reentry: false,
        registration: None,
    })
}

/// The app's `clientId`: letters, digits and `-`, 1 to 64 of them.
fn client_id(m: &serde_json::Map<String, Value>) -> Result<Option<String>, AppError> {
    match string(m, "clientId")? {
        None => Ok(None),
        Some(id)
            if !id.is_empty()
                && id.len() <= 64
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            Ok(Some(id.to_ascii_lowercase()))
        }
        Some(_) => Err(AppError::bad(
            "clientId is not 1 to 64 letters, digits and dashes",
        )),
    }
}

/// `POST /signin`: records one sign-in (`num_people` heads, `morf` the entrance), once per
/// `clientId`: a retry of the same scan answers the same and stores nothing more.
pub async fn create_signin(
    State(state): State<AppState>,
    me: AppMember,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let m = object(&body)?;
    let fields = contact_fields(&m)?;
    let now = state.now();
    let at = match seconds(&m, "scan_time")? {
        Some(t) => t,
        None => seconds(&m, "dt")?.unwrap_or(now),
    };
    let heads = match m.get("num_people") {
        None | Some(Value::Null) => 1,
        Some(v) => v
            .as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .filter(|n| (1..=MAX_PEOPLE).contains(n))
            .ok_or_else(|| {
                AppError::bad(format!(
                    "num_people is not a whole number from 1 to {MAX_PEOPLE}"
                ))
            })?,
    };
    // The old server counted anything but F as M.
    let morf = string(&m, "morf").unwrap_or(None).unwrap_or("M");
    let [brothers, sisters] = &state.config.app_entrances;
    let entrance = if morf.trim().eq_ignore_ascii_case("F") {
        sisters
    } else {
        brothers
    };
    let sid = match client_id(&m)? {
        Some(id) => format!("app-{id}"),
        None => format!(
            "app-{}",
            random_token()
                .map_err(|_| AppError::new(StatusCode::SERVICE_UNAVAILABLE, "Key Failures"))?
        ),
    };
    let row = seal(&state, &sid, &fields, at, (entrance, heads))?;
    let (seq, new) = state.store.app_signin(&row, now).await?;
    if new {
        audit(
            &state,
            &me.member,
            "app-signin",
            &format!("sign-in #{seq} recorded by the old API ({heads} at {entrance})"),
        )
        .await?;
    }
    // The old server's answer, a string (see the server README), and the sign-in's id.
    Ok(Json(json!({ "result": "1", "id": seq })))
}

async fn signin_or_404(state: &AppState, id: i64) -> Result<SigninRow, AppError> {
    state
        .store
        .signin_by_seq(id)
        .await?
        .ok_or_else(|| AppError::not_found("signin"))
}

/// `GET /signin/{id}`.
pub async fn get_signin(
    State(state): State<AppState>,
    me: AppMember,
    Id(id): Id,
) -> Result<Json<Value>, AppError> {
    let row = signin_or_404(&state, id).await?;
    audit(
        &state,
        &me.member,
        "app-signin",
        &format!("sign-in #{id} viewed by the old API"),
    )
    .await?;
    Ok(Json(signin_json(&state, &row)))
}

/// `PUT /signin/{id}`: new contact fields for a sign-in (sealed again).
pub async fn put_signin(
    State(state): State<AppState>,
    me: AppMember,
    Id(id): Id,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let m = object(&body)?;
    let fields = contact_fields(&m)?;
    let old = signin_or_404(&state, id).await?;
    // Only the contact data changes (the stay stays as it was).
    let row = seal(&state, &old.sid, &fields, old.scanned_at, ("main", 1))?;
    if !state.store.update_signin_contact(id, &row).await? {
        return Err(AppError::not_found("signin"));
    }
    audit(
        &state,
        &me.member,
        "app-signin",
        &format!("sign-in #{id} changed by the old API"),
    )
    .await?;
    let row = signin_or_404(&state, id).await?;
    Ok(Json(signin_json(&state, &row)))
}

/// `DELETE /signin/{id}`: voids the sign-in (deleted with its contact data; audited).
pub async fn delete_signin(
    State(state): State<AppState>,
    me: AppMember,
    Id(id): Id,
) -> Result<Json<Value>, AppError> {
    if !state.store.void_signin(id).await? {
        return Err(AppError::not_found("signin"));
    }
    audit(
        &state,
        &me.member,
        "app-void",
        &format!("sign-in #{id} voided by the old API"),
    )
    .await?;
    Ok(Json(json!({})))
}

fn check_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD || password.len() > 1024 {
        return Err(AppError::bad(format!(
            "password is not {MIN_PASSWORD} to 1024 characters"
        )));
    }
    Ok(())
}

async fn hash(state: &AppState, password: String) -> Result<String, AppError> {
    let cost = state.config.password_cost;
    crate::auth::with_password_slot(state, move || hash_password(&password, cost))
        .await
        .map_err(|_| AppError::new(StatusCode::TOO_MANY_REQUESTS, "the server is busy: retry"))?
        .flatten()
        .ok_or_else(|| AppError::new(StatusCode::SERVICE_UNAVAILABLE, "Key Failures"))
}

/// `POST /verifyPasswordChange`: a reset code (`guid`, from an admin) and a new password.
pub async fn verify_password_change(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    if !state.login_limit.allow(addr, state.now()) {
        return Err(AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many attempts from this address: wait a minute",
        ));
    }
    let m = object(&body)?;
    let code = string(&m, "guid")?.unwrap_or_default().to_owned();
    let password = string(&m, "password")?.unwrap_or_default().to_owned();
    check_password(&password)?;
    let phc = hash(&state, password).await?;
    let Some(id) = state
        .store
        .spend_recovery_code(&recovery_code_hash(&code), state.now())
        .await?
    else {
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            "that code is wrong, used or expired",
        ));
    };
    state.store.set_password(id, &phc).await?;
    state
        .store
        .audit(
            state.now(),
            Some(id),
            "password",
            "password set with a code (old API)",
        )
        .await?;
    Ok(Json(json!({})))
}

/// `POST /changePassword`: the current password and a new one. Other sessions and tokens of
/// the member end; this token stays.
pub async fn change_password(
    State(state): State<AppState>,
    me: AppMember,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let m = object(&body)?;
    let old = string(&m, "old_password")?.unwrap_or_default().to_owned();
    let password = string(&m, "password")?.unwrap_or_default().to_owned();
    check_password(&password)?;
    let phc_now = me.member.password_hash.clone();
    let ok = crate::auth::with_password_slot(&state, move || {
        phc_now.is_some_and(|phc| verify_password(&old, &phc))
    })
    .await
    .map_err(|_| AppError::new(StatusCode::TOO_MANY_REQUESTS, "the server is busy: retry"))?
    .unwrap_or(false);
    if !ok {
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            "old_password is wrong",
        ));
    }
    let phc = hash(&state, password).await?;
    state.store.set_password(me.member.id, &phc).await?;
    let now = state.now();
    state
        .store
        .create_app_token(
            &me.token_hash,
            me.member.id,
            "kept",
            now,
            now + TOKEN_SECONDS,
        )
        .await?;
    audit(&state, &me.member, "password", "password changed (old API)").await?;
    Ok(Json(json!({})))
}

async fn link_for(state: &AppState, member_id: i64) -> Result<String, AppError> {
    let code = new_recovery_code()
        .map_err(|_| AppError::new(StatusCode::SERVICE_UNAVAILABLE, "Key Failures"))?;
    state
        .store
        .create_recovery_code(
            &recovery_code_hash(&code),
            member_id,
            state.now() + LINK_SECONDS,
        )
        .await?;
    Ok(code)
}

/// `POST /requestPasswordReset` (admins): a reset code for a member, to hand over.
pub async fn request_password_reset(
    State(state): State<AppState>,
    me: AppMember,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let m = object(&body)?;
    let email = string(&m, "email")?.unwrap_or_default().trim().to_owned();
    let member = if email.is_empty() {
        None
    } else {
        state.store.admin_by_email(&email).await?
    };
    let member = member.ok_or_else(|| AppError::not_found("user"))?;
    let code = link_for(&state, member.id).await?;
    audit(
        &state,
        &me.member,
        "member",
        &format!("member #{} given a reset code (old API)", member.id),
    )
    .await?;
    Ok(Json(json!({ "email": member.email, "guid": code })))
}

/// `POST /user` (admins): a new member (`admin` → admin, `read_only` → viewer, else tracer)
/// and the code they set their password with.
pub async fn create_user(
    State(state): State<AppState>,
    me: AppMember,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let m = object(&body)?;
    let email = string(&m, "email")?.unwrap_or_default().trim().to_owned();
    let name = string(&m, "name")?.unwrap_or_default().trim().to_owned();
    let role = role_of(boolean(&m, "admin")?, boolean(&m, "read_only")?);
    check_member(&name, &email).map_err(|field| AppError::bad(format!("{field} is not valid")))?;
    let Some(id) = state
        .store
        .create_member(&name, &email, role, state.now())
        .await?
    else {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            "a user with that email exists",
        ));
    };
    let code = link_for(&state, id).await?;
    audit(
        &state,
        &me.member,
        "member",
        &format!("member #{id} invited as {} (old API)", role.as_str()),
    )
    .await?;
    Ok(Json(json!({ "email": email, "guid": code })))
}

/// `GET /user/{id}`: a member's record (admins: anyone's; others: their own).
pub async fn get_user(
    State(state): State<AppState>,
    me: AppMember,
    Id(id): Id,
) -> Result<Json<Value>, AppError> {
    if me.member.role != Role::Admin && me.member.id != id {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            "only an admin may see another member's record",
        ));
    }
    let m = state
        .store
        .member(id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    Ok(Json(user_record(&m)))
}

/// `DELETE /user/{id}` (admins): disables the member (as the old server did: no login, no
/// sessions, no reset codes), never the last admin.
pub async fn delete_user(
    State(state): State<AppState>,
    me: AppMember,
    Id(id): Id,
) -> Result<Json<Value>, AppError> {
    match state.store.change_member(id, None, state.now()).await? {
        MemberChange::Done => {}
        MemberChange::LastAdmin => {
            return Err(AppError::new(
                StatusCode::CONFLICT,
                "that is the last admin",
            ));
        }
        MemberChange::NoSuchMember => return Err(AppError::not_found("user")),
    }
    audit(
        &state,
        &me.member,
        "member",
        &format!("member #{id} disabled (old API)"),
    )
    .await?;
    Ok(Json(json!({})))
}

/// `GET /users` (admins): every member.
pub async fn users(State(state): State<AppState>, _me: AppMember) -> Result<Json<Value>, AppError> {
    let members = state.store.members().await?;
    Ok(Json(Value::Array(
        members.iter().map(user_record).collect(),
    )))
}

/// `POST /redeemReservation`: `{"uuid": RESID, "morf": "M"|"F"}`, a reservation of an event
/// (DESIGN §9, §10: the id the pass page gives, letters of the old system's alphabet). A live
/// reservation booked for that entrance and not yet arrived is recorded as arrived (its whole
/// party, a sign-in of its pass, so a kiosk then refuses the pass as used) and answered with its
/// contact and places; otherwise the old server's refusals: `Reservation not found` (no such
/// id, or cancelled), `Sex mismatch` (booked for the other entrance), `Already redeemed`.
pub async fn redeem_reservation(
    State(state): State<AppState>,
    me: AppMember,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    use crate::store::events::Redeemed;
    let m = object(&body)?;
    let uuid = string(&m, "uuid")?
        .map(|u| u.trim().to_ascii_uppercase())
        .ok_or_else(|| AppError::bad("uuid is missing"))?;
    let morf = string(&m, "morf")?.unwrap_or("M");
    let [brothers, sisters] = &state.config.app_entrances;
    let entrance = if morf.trim().eq_ignore_ascii_case("F") {
        sisters
    } else {
        brothers
    };
    let refused = |result: &str| {
        Json(json!({"result": result, "name": "", "phone": "", "email": "", "num_slots": 0}))
    };
    let wellformed = uuid.len() <= 64 && uuid.bytes().all(|b| b.is_ascii_alphanumeric());
    let found = if wellformed {
        state.store.reservation(&uuid).await?
    } else {
        None
    };
    let Some(found) = found.filter(|r| r.cancelled_at.is_none()) else {
        return Ok(refused("Reservation not found"));
    };
    // The sign-in carries the reservation's contact, sealed under its own id as every
    // sign-in's is; one per reservation, so a retry finds it redeemed.
    let fields: BTreeMap<String, String> = state
        .keys
        .vault
        .open(found.id.as_bytes(), &found.contact)
        .ok()
        .and_then(|p| serde_json::from_slice(&p).ok())
        .unwrap_or_default();
    let now = state.now();
    let sid = format!("redeem-{}", found.id);
    let mut row = seal(&state, &sid, &fields, now, (entrance, found.party))?;
    row.valid_until = state
        .store
        .event(&found.event_id)
        .await?
        .map(|e| e.spec.ends_at);
    let answer = |r: &crate::store::events::Reservation| {
        let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
        Json(json!({
            "result": "Success",
            "name": get("s1"),
            "phone": get("s2"),
            "email": get("s3"),
            "num_slots": r.party,
        }))
    };
    match state
        .store
        .redeem_reservation(&found.id, entrance, &row, now)
        .await?
    {
        Redeemed::Now(r) => {
            audit(
                &state,
                &me.member,
                "app-redeem",
                &format!(
                    "reservation of event {} redeemed by the old API ({} at {entrance})",
                    r.event_id, r.party
                ),
            )
            .await?;
            Ok(answer(&r))
        }
        Redeemed::NotFound => Ok(refused("Reservation not found")),
        Redeemed::OtherEntrance(_) => Ok(refused("Sex mismatch")),
        Redeemed::Already(_) => Ok(refused("Already redeemed")),
    }
}
