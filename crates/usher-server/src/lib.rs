//! Usher's server: the visitor form that hands out passes, the sync API kiosks upload
//! sign-ins to, the admin pages, and the encrypted contact store behind them.
//!
//! Module map:
//! - [`clock`]: the one clock seam.
//! - [`crypto`]: keys outside the database, sealing contact data, blind indexes, tokens.
//! - [`store`]: the database (SQLite or PostgreSQL) and every query.
//! - [`settings`]: the settings file, environment and flags, in one struct.
//! - [`backup`]: `backup` and `restore`: database and key files in one archive.
//! - [`setup`]: the data directory, the handlers' configuration and `init`.
//! - [`state`]: what handlers share.
//! - [`http`]: errors, HTML, cookies, the client's address, common headers.
//! - [`listener`]: the socket: connection cap, read timeouts, graceful shutdown.
//! - [`api`]: the kiosk sync API.
//! - [`presence`]: the door's settings and the presence feed with its place leases.
//! - [`auth`]: admin login, sessions, CSRF, recovery codes.
//! - [`visitor`]: the public form that issues passes.
//! - [`events`]: booking an event: the open events on the form, reservations, event passes.
//! - [`me`]: a visitor's own data (`/me`): see, cancel, delete; revokes the pass.
//! - [`admin`]: the admin pages.
//! - [`legacy_api`]: the old system's REST API at `/api/v1.0/` (DESIGN §10).
//! - [`team`]: team members' roles and the team page (invitations, roles, disabling).
//! - [`passpng`]: QR images, logo and shaped names.
//! - [`ratelimit`]: per-address limits.
//! - [`retention`]: the purge task (once an hour across every process on the database).
//! - [`status`]: `/healthz` and the admin status page.

pub mod admin;
pub mod api;
pub mod auth;
pub mod backup;
pub mod clock;
pub mod crypto;
pub mod events;
pub mod http;
pub mod legacy_api;
pub mod listener;
pub mod me;
pub mod passpng;
pub mod presence;
pub mod ratelimit;
pub mod retention;
pub mod settings;
pub mod setup;
pub mod state;
pub mod status;
pub mod store;
pub mod team;
pub mod visitor;

pub use state::AppState;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};

/// Largest form body the pages read.
pub const FORM_BODY_LIMIT: usize = 16 * 1024;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the visitor form, login and recovery pages.
    Public,
    /// An enrolled kiosk, by its bearer token (the sync API).
    Device,
    /// A logged-in team member whose role is at least this one, by session cookie (the
    /// admin pages). The router puts [`auth::role_gate`] in front of every such route.
    Member(team::Role),
    /// A team member whose role is at least this one, by the old app's `token` header (the
    /// old API at `/api/v1.0/`). The router puts [`auth::role_gate`] in front.
    App(team::Role),
}

/// One route: its method, path, who may call it, and the handler behind it.
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The path, with `{name}` for a path parameter.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Largest body it reads, when not the default of its access.
    pub body_limit: Option<usize>,
    handler: MethodRouter<AppState>,
}

impl Route {
    /// This route reads bodies up to `limit` bytes.
    fn body_limit(mut self, limit: usize) -> Self {
        self.body_limit = Some(limit);
        self
    }
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({:?})", self.method, self.path, self.access)
    }
}

fn route<H, T>(method: Method, path: &'static str, access: Access, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
    Route {
        method,
        path,
        access,
        body_limit: None,
        handler: on(filter, handler),
    }
}

/// Every route of the server, once: [`router`] is built from this table, and the tests that
/// check each route's authentication walk it, so no route can escape them. To add a route,
/// add a line here.
pub fn routes() -> Vec<Route> {
    use Access::{Device, Public};
    use Method as M;
    use team::Role;
    // The least role each admin page needs (DESIGN §9): contact data needs a tracer.
    const VIEWER: Access = Access::Member(Role::Viewer);
    const TRACER: Access = Access::Member(Role::Tracer);
    const ADMIN: Access = Access::Member(Role::Admin);
    // The old API: reading and writing sign-ins is contact data (a tracer); a `read_only`
    // member of the old system is a viewer.
    const APP_VIEWER: Access = Access::App(Role::Viewer);
    const APP_TRACER: Access = Access::App(Role::Tracer);
    const APP_ADMIN: Access = Access::App(Role::Admin);
    vec![
        route(M::GET, "/", Public, visitor::form),
        route(M::POST, "/", Public, visitor::issue),
        route(M::GET, "/events/{id}", Public, events::book_form),
        route(M::POST, "/events/{id}", Public, events::book),
        route(M::GET, "/me", Public, me::form),
        route(M::POST, "/me", Public, me::view),
        route(M::POST, "/me/cancel", Public, me::cancel),
        route(M::POST, "/me/delete", Public, me::delete),
        route(M::POST, "/me/picture", Public, me::picture).body_limit(me::PICTURE_LIMIT),
        route(M::GET, "/static/me.js", Public, me::script),
        route(M::GET, "/static/style.css", Public, visitor::style),
        route(M::GET, "/healthz", Public, status::healthz),
        route(M::GET, "/logo.png", Public, visitor::logo),
        route(M::GET, "/admin/login", Public, auth::login_form),
        route(M::POST, "/admin/login", Public, auth::login),
        route(M::GET, "/admin/recover", Public, auth::recover_form),
        route(M::POST, "/admin/recover", Public, auth::recover),
        route(M::POST, "/admin/logout", VIEWER, auth::logout),
        route(M::GET, "/admin", VIEWER, admin::door::dashboard),
        route(M::GET, "/admin/day", TRACER, admin::day),
        route(M::GET, "/admin/find", TRACER, admin::find),
        route(M::GET, "/admin/inside", VIEWER, admin::door::inside),
        route(M::GET, "/admin/roll-call", TRACER, admin::door::roll_call),
        route(
            M::GET,
            "/admin/roll-call.csv",
            TRACER,
            admin::door::roll_call_csv,
        ),
        route(M::GET, "/admin/trace", TRACER, admin::trace),
        route(M::GET, "/admin/export.csv", TRACER, admin::export),
        route(M::GET, "/admin/audit", TRACER, admin::audit_page),
        route(M::GET, "/admin/double-uses", TRACER, admin::double_uses),
        route(M::GET, "/admin/events", VIEWER, admin::events::list),
        route(M::POST, "/admin/events", ADMIN, admin::events::create),
        route(
            M::GET,
            "/admin/events/{id}",
            VIEWER,
            admin::events::event_page,
        ),
        route(M::POST, "/admin/events/{id}", ADMIN, admin::events::edit),
        route(
            M::POST,
            "/admin/events/{id}/close",
            ADMIN,
            admin::events::close,
        ),
        route(
            M::GET,
            "/admin/events/{id}/reservations.csv",
            TRACER,
            admin::events::export,
        ),
        route(M::GET, "/admin/organiser.pub.pem", ADMIN, admin::public_key),
        route(M::GET, "/admin/status", ADMIN, status::status_page),
        route(M::GET, "/admin/devices", ADMIN, admin::devices),
        route(M::POST, "/admin/devices", ADMIN, admin::enrol),
        route(M::POST, "/admin/devices/{id}/revoke", ADMIN, admin::revoke),
        route(M::GET, "/admin/team", ADMIN, team::team),
        route(M::POST, "/admin/team", ADMIN, team::invite),
        route(M::POST, "/admin/team/{id}/disable", ADMIN, team::disable),
        route(M::POST, "/admin/team/{id}/link", ADMIN, team::reissue),
        route(M::POST, "/admin/team/{id}/role", ADMIN, team::set_role),
        route(
            M::POST,
            "/api/v1.0/changePassword",
            APP_VIEWER,
            legacy_api::change_password,
        ),
        route(M::POST, "/api/v1.0/login", Public, legacy_api::login),
        route(M::POST, "/api/v1.0/logout", APP_VIEWER, legacy_api::logout),
        route(
            M::POST,
            "/api/v1.0/redeemReservation",
            APP_TRACER,
            legacy_api::redeem_reservation,
        ),
        route(
            M::POST,
            "/api/v1.0/requestPasswordReset",
            APP_ADMIN,
            legacy_api::request_password_reset,
        ),
        route(
            M::POST,
            "/api/v1.0/signin",
            APP_TRACER,
            legacy_api::create_signin,
        ),
        route(
            M::GET,
            "/api/v1.0/signin/{id}",
            APP_TRACER,
            legacy_api::get_signin,
        ),
        route(
            M::PUT,
            "/api/v1.0/signin/{id}",
            APP_TRACER,
            legacy_api::put_signin,
        ),
        route(
            M::DELETE,
            "/api/v1.0/signin/{id}",
            APP_TRACER,
            legacy_api::delete_signin,
        ),
        route(M::GET, "/api/v1.0/signins", APP_TRACER, legacy_api::signins),
        route(
            M::POST,
            "/api/v1.0/user",
            APP_ADMIN,
            legacy_api::create_user,
        ),
        route(
            M::GET,
            "/api/v1.0/user/{id}",
            APP_VIEWER,
            legacy_api::get_user,
        ),
        route(
            M::DELETE,
            "/api/v1.0/user/{id}",
            APP_ADMIN,
            legacy_api::delete_user,
        ),
        route(M::GET, "/api/v1.0/users", APP_ADMIN, legacy_api::users),
        route(
            M::POST,
            "/api/v1.0/verifyPasswordChange",
            Public,
            legacy_api::verify_password_change,
        ),
        route(M::GET, "/api/v1/presence", Device, presence::presence),
        route(M::POST, "/api/v1/signins", Device, api::upload),
        route(M::GET, "/api/v1/used", Device, api::used),
        route(M::GET, "/api/v1/double-uses", Device, api::double_uses),
    ]
}

/// The whole application, built from [`routes`]: the sync API reads bodies up to
/// [`api::API_BODY_LIMIT`], the pages up to [`FORM_BODY_LIMIT`].
pub fn router(state: AppState) -> Router {
    let mut app = Router::new();
    for r in routes() {
        let limit = r.body_limit.unwrap_or(match r.access {
            Access::Device => api::API_BODY_LIMIT,
            Access::Public | Access::Member(_) | Access::App(_) => FORM_BODY_LIMIT,
        });
        let mut handler = r.handler.layer(DefaultBodyLimit::max(limit));
        handler = match r.access {
            Access::Member(need) => handler.route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                move |State(st): State<AppState>, req, next| {
                    auth::role_gate::<auth::AdminSession>(st, need, req, next)
                },
            )),
            Access::App(need) => handler.route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                move |State(st): State<AppState>, req, next| {
                    auth::role_gate::<legacy_api::AppMember>(st, need, req, next)
                },
            )),
            _ => handler,
        };
        app = app.route(r.path, handler);
    }
    app.fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(http::languages))
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
        http::PageError::text(axum::http::StatusCode::NOT_FOUND, "web-error-not-found")
            .into_response()
    }
}

async fn method_not_allowed(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let status = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    if uri.path().starts_with("/api/") {
        http::ApiError::new(status, "method not allowed here").into_response()
    } else {
        http::PageError::text(status, "web-error-method").into_response()
    }
}
