//! Usher's server: the visitor form that hands out passes, the sync API kiosks upload
//! sign-ins to, the admin pages, and the encrypted contact store behind them.
//!
//! Module map:
//! - [`clock`]: the one clock seam.
//! - [`crypto`]: keys outside the database, sealing contact data, blind indexes, tokens.
//! - [`store`]: the database (SQLite or PostgreSQL) and every query.
//! - [`setup`]: the data directory, configuration and `init`.
//! - [`state`]: what handlers share.
//! - [`http`]: errors, HTML, cookies, common headers.
//! - [`api`]: the kiosk sync API.
//! - [`auth`]: admin login, sessions, CSRF, recovery codes.
//! - [`visitor`]: the public form that issues passes.
//! - [`admin`]: the admin pages.
//! - [`passpng`]: QR images, logo and shaped names.
//! - [`ratelimit`]: per-address limits.
//! - [`retention`]: the purge task.

pub mod admin;
pub mod api;
pub mod auth;
pub mod clock;
pub mod crypto;
pub mod http;
pub mod passpng;
pub mod ratelimit;
pub mod retention;
pub mod setup;
pub mod state;
pub mod store;
pub mod visitor;

pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Largest form body the pages read.
pub const FORM_BODY_LIMIT: usize = 16 * 1024;

/// Every route of the server, for tests that check each one's authentication.
/// (method, path, who may call it: `public`, `device` or `admin`).
pub const ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/", "public"),
    ("POST", "/", "public"),
    ("GET", "/static/style.css", "public"),
    ("GET", "/admin/login", "public"),
    ("POST", "/admin/login", "public"),
    ("GET", "/admin/recover", "public"),
    ("POST", "/admin/recover", "public"),
    ("POST", "/admin/logout", "admin"),
    ("GET", "/admin", "admin"),
    ("GET", "/admin/day", "admin"),
    ("GET", "/admin/find", "admin"),
    ("GET", "/admin/trace", "admin"),
    ("GET", "/admin/export.csv", "admin"),
    ("GET", "/admin/audit", "admin"),
    ("GET", "/admin/double-uses", "admin"),
    ("GET", "/admin/organiser.pub.pem", "admin"),
    ("GET", "/admin/devices", "admin"),
    ("POST", "/admin/devices", "admin"),
    ("POST", "/admin/devices/{id}/revoke", "admin"),
    ("POST", "/api/v1/signins", "device"),
    ("GET", "/api/v1/used", "device"),
    ("GET", "/api/v1/double-uses", "device"),
];

/// The whole application.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/v1/signins", post(api::upload))
        .route("/api/v1/used", get(api::used))
        .route("/api/v1/double-uses", get(api::double_uses))
        .layer(DefaultBodyLimit::max(api::API_BODY_LIMIT));
    let pages = Router::new()
        .route("/", get(visitor::form).post(visitor::issue))
        .route("/static/style.css", get(visitor::style))
        .route("/admin/login", get(auth::login_form).post(auth::login))
        .route(
            "/admin/recover",
            get(auth::recover_form).post(auth::recover),
        )
        .route("/admin/logout", post(auth::logout))
        .route("/admin", get(admin::dashboard))
        .route("/admin/day", get(admin::day))
        .route("/admin/find", get(admin::find))
        .route("/admin/trace", get(admin::trace))
        .route("/admin/export.csv", get(admin::export))
        .route("/admin/audit", get(admin::audit_page))
        .route("/admin/double-uses", get(admin::double_uses))
        .route("/admin/organiser.pub.pem", get(admin::public_key))
        .route("/admin/devices", get(admin::devices).post(admin::enrol))
        .route("/admin/devices/{id}/revoke", post(admin::revoke))
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT));
    api.merge(pages)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            http::common_headers,
        ))
        .with_state(state)
}

async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    if uri.path().starts_with("/api/") {
        http::ApiError::new(axum::http::StatusCode::NOT_FOUND, "no such endpoint").into_response()
    } else {
        http::PageError::new(axum::http::StatusCode::NOT_FOUND, "No such page.").into_response()
    }
}

async fn method_not_allowed(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let status = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    if uri.path().starts_with("/api/") {
        http::ApiError::new(status, "method not allowed here").into_response()
    } else {
        http::PageError::new(status, "That is not how this page is used.").into_response()
    }
}
