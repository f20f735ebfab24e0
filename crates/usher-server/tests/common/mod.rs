//! Test support: a fresh store on SQLite (temp file) or PostgreSQL (own schema in the
//! database named by `USHER_TEST_POSTGRES_URL`), and sample sign-ins.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use usher_server::crypto::{IndexKind, Vault};
use usher_server::store::{NewSignin, Store};

/// The env variable naming the test PostgreSQL database.
pub const PG_ENV: &str = "USHER_TEST_POSTGRES_URL";

/// A store made for one test.
pub struct Backend {
    pub store: Store,
    pub name: &'static str,
    pub sqlite_path: Option<PathBuf>,
    pub pg_url: Option<String>,
    pub pg_schema: Option<String>,
    pub dir: tempfile::TempDir,
}

pub async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usher.db");
    let store = Store::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    Backend {
        store,
        name: "sqlite",
        sqlite_path: Some(path),
        pg_url: None,
        pg_schema: None,
        dir,
    }
}

/// A fresh schema in the test PostgreSQL database, or `None` (after printing SKIPPED).
pub async fn postgres() -> Option<Backend> {
    let Ok(url) = std::env::var(PG_ENV) else {
        println!("SKIPPED: postgres (set {PG_ENV})");
        return None;
    };
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix).unwrap();
    let schema = format!("t_{}", hex::encode(suffix));
    {
        use sqlx::Connection as _;
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{sep}options=-csearch_path%3D{schema}");
    let store = Store::connect(&scoped).await.unwrap();
    Some(Backend {
        store,
        name: "postgres",
        sqlite_path: None,
        pg_url: Some(url),
        pg_schema: Some(schema),
        dir: tempfile::tempdir().unwrap(),
    })
}

impl Drop for Backend {
    /// Drops a test's PostgreSQL schema (best effort), so the test database does not fill up.
    fn drop(&mut self) {
        let (Some(url), Some(schema)) = (self.pg_url.clone(), self.pg_schema.clone()) else {
            return;
        };
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                use sqlx::Connection as _;
                if let Ok(mut c) = sqlx::PgConnection::connect(&url).await {
                    let _ =
                        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                            .execute(&mut c)
                            .await;
                    let _ = c.close().await;
                }
            });
        })
        .join();
    }
}

/// Runs `$check(&Backend)` on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($sqlite:ident, $pg:ident, $check:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            let b = common::sqlite().await;
            $check(&b).await;
        }
        #[tokio::test]
        async fn $pg() {
            if let Some(b) = common::postgres().await {
                $check(&b).await;
            }
        }
    };
}

/// A sign-in sealed with `vault`.
pub fn signin(
    vault: &Vault,
    sid: &str,
    pass: u8,
    at: i64,
    device: &str,
    name: &str,
    phone: &str,
) -> NewSignin {
    let fields = serde_json::json!({"s1": name, "s2": phone});
    NewSignin {
        sid: sid.into(),
        pass_id: [pass; 32],
        scanned_at: at,
        device_id: device.into(),
        valid_until: None,
        contact: vault
            .seal(sid.as_bytes(), fields.to_string().as_bytes())
            .unwrap(),
        name_bi: vault.blind_index(IndexKind::Name, name),
        phone_bi: vault.blind_index(IndexKind::Phone, phone),
        email_bi: None,
        entrance: "main".into(),
        heads: 1,
        over_capacity: false,
        reentry: false,
        registration: None,
    }
}

/// A server state over a backend, with a fixed clock, fast password hashing and random keys.
pub struct TestApp {
    pub state: usher_server::AppState,
    pub clock: std::sync::Arc<usher_server::clock::FixedClock>,
}

pub const NOW: i64 = 1_800_000_000;

pub fn app(b: &Backend) -> TestApp {
    app_with(b, |_| {})
}

/// [`app`] with its configuration changed by `change` first.
pub fn app_with(b: &Backend, change: impl FnOnce(&mut usher_server::setup::Config)) -> TestApp {
    use usher_server::setup::{Config, PasswordCost, ServerKeys};
    let clock = std::sync::Arc::new(usher_server::clock::FixedClock::new(NOW));
    let mut config = Config::new(b.dir.path().to_path_buf());
    config.password_cost = PasswordCost::Fast;
    config.public_url = "http://door.test:8080".into();
    change(&mut config);
    let state = usher_server::AppState::new(
        b.store.clone(),
        ServerKeys::ephemeral().unwrap(),
        config,
        clock.clone(),
    );
    TestApp { state, clock }
}

impl TestApp {
    pub fn router(&self) -> axum::Router {
        usher_server::router(self.state.clone())
    }

    /// Sends a request through the router (no socket).
    pub async fn send(&self, req: axum::http::Request<axum::body::Body>) -> Answer {
        use tower::ServiceExt as _;
        let res = self.router().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        Answer {
            status,
            headers,
            body: body.to_vec(),
        }
    }

    /// Enrols a device; its bearer token.
    pub async fn device(&self, name: &str) -> String {
        let token = usher_server::crypto::random_token().unwrap();
        self.state
            .store
            .create_device(name, &usher_server::crypto::token_hash(&token), NOW)
            .await
            .unwrap();
        token
    }

    /// `usher-server init` for Ada (ada@example.org) in the backend's folder: her recovery code.
    pub async fn init(&self, b: &Backend) -> String {
        let init = usher_server::setup::init(
            &self.state.store,
            b.dir.path(),
            "Ada",
            "ada@example.org",
            &*self.clock,
        )
        .await
        .unwrap();
        String::from_utf8(init.recovery_code.expose().to_vec()).unwrap()
    }

    /// An admin with password `password1234`, logged in: (cookie header value, csrf).
    pub async fn admin(&self) -> (String, String) {
        use usher_server::crypto::token_hash;
        let s = &self.state.store;
        let id = match s.admin_by_email("ada@example.org").await.unwrap() {
            Some(a) => a.id,
            None => s.create_admin("Ada", "ada@example.org", NOW).await.unwrap(),
        };
        let phc = usher_server::auth::hash_password(
            "password1234",
            usher_server::setup::PasswordCost::Fast,
        )
        .unwrap();
        s.set_password(id, &phc).await.unwrap();
        let token = usher_server::crypto::random_token().unwrap();
        let csrf = usher_server::crypto::random_token().unwrap();
        s.create_session(&token_hash(&token), id, &csrf, NOW, NOW + 3600)
            .await
            .unwrap();
        (format!("usher_session={token}"), csrf)
    }
}

impl TestApp {
    /// A team member with this role and password `password1234`, logged in: (cookie, csrf).
    pub async fn member(&self, email: &str, role: usher_server::team::Role) -> (String, String) {
        use usher_server::crypto::token_hash;
        let s = &self.state.store;
        let id = match s.admin_by_email(email).await.unwrap() {
            Some(a) => a.id,
            None => s
                .create_member(email, email, role, NOW)
                .await
                .unwrap()
                .unwrap(),
        };
        let phc = usher_server::auth::hash_password(
            "password1234",
            usher_server::setup::PasswordCost::Fast,
        )
        .unwrap();
        s.set_password(id, &phc).await.unwrap();
        let token = usher_server::crypto::random_token().unwrap();
        let csrf = usher_server::crypto::random_token().unwrap();
        s.create_session(&token_hash(&token), id, &csrf, NOW, NOW + 3600)
            .await
            .unwrap();
        (format!("usher_session={token}"), csrf)
    }
}

pub struct Answer {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
    /// The `name=value` of the answer's `Set-Cookie`, as a browser sends it back.
    pub fn cookie(&self) -> String {
        let set = self.header("set-cookie").unwrap();
        set.split(';').next().unwrap().to_owned()
    }
}

pub fn req(method: &str, uri: &str) -> axum::http::request::Builder {
    axum::http::Request::builder().method(method).uri(uri)
}

pub fn json_req(
    uri: &str,
    token: &str,
    body: &serde_json::Value,
) -> axum::http::Request<axum::body::Body> {
    req("POST", uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap()
}

/// A kiosk's GET with its bearer token.
pub fn bearer_get(uri: &str, token: &str) -> axum::http::Request<axum::body::Body> {
    req("GET", uri)
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap()
}

/// A kiosk's POST with its bearer token, of any content type and body.
pub fn bearer_post(
    uri: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> axum::http::Request<axum::body::Body> {
    req("POST", uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(axum::body::Body::from(body))
        .unwrap()
}

/// A GET with this cookie (an admin session).
pub fn cookie_get(uri: &str, cookie: &str) -> axum::http::Request<axum::body::Body> {
    req("GET", uri)
        .header("cookie", cookie)
        .body(axum::body::Body::empty())
        .unwrap()
}

/// A form POST of an encoded body with this cookie.
pub fn form_post(uri: &str, cookie: &str, body: &str) -> axum::http::Request<axum::body::Body> {
    req("POST", uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .body(axum::body::Body::from(body.to_owned()))
        .unwrap()
}

/// Form fields, encoded as a browser posts them.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                usher_core::form::encode(k.as_bytes()),
                usher_core::form::encode(v.as_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The CSRF cookie and field of a pre-session form page.
pub fn form_csrf(page: &Answer) -> (String, String) {
    let set = page.header("set-cookie").unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
    let cookie = set.split(';').next().unwrap().to_owned();
    let html = page.text();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let field = html[at..].split('"').next().unwrap().to_owned();
    (cookie, field)
}

/// The pass text on a pass page (its `<pre class="passtext">`, unescaped).
pub fn pass_text_of(html: &str) -> String {
    let at = html.find("<pre class=\"passtext\">").unwrap() + 22;
    html[at..]
        .split("</pre>")
        .next()
        .unwrap()
        .replace("&amp;", "&")
}

/// A kiosk sign-in as JSON.
pub fn row(
    id: &str,
    pass: u8,
    at: i64,
    device: &str,
    name: &str,
    phone: &str,
) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "pass_id": hex::encode([pass; 32]),
        "scanned_at": at,
        "device_id": device,
        "fields": {"s1": name, "s2": phone},
    })
}

/// A router served on a real socket (127.0.0.1, a free port) until [`Served::stop`].
pub struct Served {
    /// Where it listens.
    pub addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Served {
    /// Serves `router` as the real server does (its listener, default limits).
    pub async fn start(router: axum::Router) -> Served {
        Self::start_with(router, usher_server::listener::Limits::default()).await
    }

    /// Serves `router` with the server's listener under `limits`.
    pub async fn start_with(
        router: axum::Router,
        limits: usher_server::listener::Limits,
    ) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(usher_server::listener::serve(
            listener,
            router,
            limits,
            async {
                let _ = stopped.await;
            },
        ));
        Served { addr, stop, task }
    }

    /// Shuts the server down gracefully and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
    }
}

/// A sign-in's stay as stored: (sid, entrance, heads, over_capacity, exited_at, exit_kind).
pub type StayRow = (String, String, i64, i64, Option<i64>, Option<String>);

/// Every sign-in's stay, by sid, read straight from the table (either backend).
pub async fn stay_rows(store: &Store) -> Vec<StayRow> {
    const SQL: &str = "SELECT sid, entrance, heads, over_capacity, exited_at, exit_kind \
                       FROM signins ORDER BY sid";
    match store {
        Store::Sqlite(p) => sqlx::query_as(SQL).fetch_all(p).await.unwrap(),
        Store::Postgres(p) => sqlx::query_as(SQL).fetch_all(p).await.unwrap(),
    }
}

/// How many exits are stored (either backend).
pub async fn exit_count(store: &Store) -> i64 {
    const SQL: &str = "SELECT COUNT(*) FROM exits";
    match store {
        Store::Sqlite(p) => sqlx::query_scalar(SQL).fetch_one(p).await.unwrap(),
        Store::Postgres(p) => sqlx::query_scalar(SQL).fetch_one(p).await.unwrap(),
    }
}

/// Test-only: sets a stored sign-in's entrance and head count (`signins.entrance`/`heads`,
/// migration 0004), so the door's readers are tested on exact stays without a kiosk's upload
/// for each (the browser test goes through the upload). Raw SQL on the test's own pool; the
/// server has no such path.
pub async fn set_entry(store: &Store, sid: &str, entrance: &str, heads: i64) {
    update_signin(
        store,
        "UPDATE signins SET entrance = $1, heads = $2 WHERE sid = $3",
        entrance,
        heads,
        sid,
    )
    .await;
}

/// Test-only: closes a stored sign-in's stay as an exit of `kind` (`scan` or `auto`) at `at`
/// does (see [`set_entry`]).
pub async fn close_stay(store: &Store, sid: &str, at: i64, kind: &str) {
    update_signin(
        store,
        "UPDATE signins SET exit_kind = $1, exited_at = $2 WHERE sid = $3",
        kind,
        at,
        sid,
    )
    .await;
}

/// Runs `sql` with a text `$1`, a number `$2` and the sign-in id `$3`; exactly one row must
/// change.
async fn update_signin(store: &Store, sql: &'static str, text: &str, number: i64, sid: &str) {
    let n = match store {
        Store::Sqlite(p) => sqlx::query(sql)
            .bind(text)
            .bind(number)
            .bind(sid)
            .execute(p)
            .await
            .unwrap()
            .rows_affected(),
        Store::Postgres(p) => sqlx::query(sql)
            .bind(text)
            .bind(number)
            .bind(sid)
            .execute(p)
            .await
            .unwrap()
            .rows_affected(),
    };
    assert_eq!(n, 1, "no sign-in {sid}");
}

/// Whether the tests should write the guide's screenshots into `docs/images/`
/// (`USHER_DOCS_SCREENSHOTS=1`; otherwise they write nothing there).
pub fn docs_screenshots() -> bool {
    std::env::var("USHER_DOCS_SCREENSHOTS").is_ok_and(|v| v == "1")
}

/// Writes a screenshot for the guide as `docs/images/NAME.png`.
pub fn save_docs_image(name: &str, png: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/images");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// The built `usher-server` binary, with no `USHER_*` variable of the machine's environment.
pub fn server_bin() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_usher-server"));
    for (k, _) in std::env::vars() {
        if k.starts_with("USHER_") {
            c.env_remove(k);
        }
    }
    c
}

/// [`server_bin`] on a data directory and database, without the machine's settings file.
pub fn server_on(data: &std::path::Path, db: &str) -> std::process::Command {
    let mut c = server_bin();
    c.arg("--config")
        .arg("/dev/null")
        .arg("--data-dir")
        .arg(data)
        .arg("--db")
        .arg(db);
    c
}

/// A command's standard output, after asserting it succeeded (else its standard error).
pub fn succeeded(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
