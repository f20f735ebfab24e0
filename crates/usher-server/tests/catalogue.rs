//! The catalogue of bad input (issue 6), server side: hostile HTTP requests to every kind of
//! route through the real router on a real SQLite file (and PostgreSQL when
//! `USHER_TEST_POSTGRES_URL` is set). Each case is a row of data with the
//! status it must get, how many sign-ins and kiosks it may add, and text its answer must (or
//! must not) hold; the stored rows are counted before and after each case, and the rows that
//! were kept are still there and still readable at the end.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{
    NOW, bearer_get as bearer, bearer_post as raw_post, cookie_get as admin_get, json_req, req, row,
};
use serde_json::json;

/// One hostile request and what must come of it.
struct Case {
    what: &'static str,
    request: Request<Body>,
    status: StatusCode,
    /// Sign-ins this request may add.
    stored: i64,
    /// Kiosks this request may add.
    devices: i64,
    /// Text the answer must hold.
    holds: Vec<String>,
    /// Text the answer must not hold.
    lacks: Vec<String>,
}

fn case(what: &'static str, request: Request<Body>, status: StatusCode) -> Case {
    Case {
        what,
        request,
        status,
        stored: 0,
        devices: 0,
        holds: Vec::new(),
        lacks: Vec::new(),
    }
}

impl Case {
    fn stores(mut self, n: i64) -> Self {
        self.stored = n;
        self
    }
    fn enrols(mut self, n: i64) -> Self {
        self.devices = n;
        self
    }
    fn holds(mut self, s: &str) -> Self {
        self.holds.push(s.to_owned());
        self
    }
    fn lacks(mut self, s: &str) -> Self {
        self.lacks.push(s.to_owned());
        self
    }
}

const SQL: &str = "x'); DROP TABLE signins; -- \" OR '1'='1";

fn form_post(uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Request<Body> {
    common::form_post(uri, cookie, &common::form_body(fields))
}

fn pct(s: &str) -> String {
    usher_core::form::encode(s.as_bytes())
}

on_both!(
    catalogue_of_bad_input_server_side_sqlite,
    catalogue_of_bad_input_server_side_postgres,
    catalogue
);

async fn catalogue(b: &common::Backend) {
    // More form posts than the per-address limit allows in a minute (the events cases too).
    let a = common::app_with(b, |c| c.form_per_minute = 100);
    let token = a.device("door-1").await;
    // A kiosk enrolled under a hostile name: its rows give that name as their device id.
    let sql_token = a.device(SQL).await;
    let revoked = usher_server::crypto::random_token().unwrap();
    let revoked_id = a
        .state
        .store
        .create_device("old door", &usher_server::crypto::token_hash(&revoked), NOW)
        .await
        .unwrap();
    assert!(a.state.store.revoke_device(revoked_id, NOW).await.unwrap());
    let (cookie, csrf) = a.admin().await;
    // The visitor form's CSRF cookie, as a browser would hold it.
    let form = a.send(req("GET", "/").body(Body::empty()).unwrap()).await;
    let form_cookie = form.cookie();
    let form_csrf = form_cookie.split_once('=').unwrap().1.to_owned();

    // An event open for booking (DESIGN §9), with one small hall.
    let event = usher_server::store::events::EventSpec {
        name: "Eid prayer".into(),
        starts_at: NOW + 3_600,
        ends_at: NOW + 7_200,
        booking_opens_at: NOW - 60,
        booking_closes_at: NOW + 3_600,
        largest_party: 4,
        grace_minutes: 30,
        entrances: vec![usher_server::store::events::EntranceSpec {
            name: "hall".into(),
            capacity: 10,
        }],
    };
    a.state
        .store
        .create_event("cat1", &event, NOW)
        .await
        .unwrap();
    let hostile_name = "\u{202E}nimdA=HYPERLINK(\"http://evil\")\r\n,\"x\"";
    let good = json!({"signins": [row("good-1", 1, NOW - 60, "door-1", "Ann", "07700 900001")]});
    let sql_row = json!({"signins": [{
        "id": "sql-1",
        "pass_id": hex::encode([2u8; 32]),
        "scanned_at": NOW - 30,
        "device_id": SQL,
        "fields": {"s1": SQL, "s2": SQL, "s3": SQL, "email": SQL},
    }]});
    let bidi_row = json!({"signins": [row("bidi-1", 3, NOW - 20, "door-1", hostile_name, "=1+1")]});
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let mut too_many = Vec::new();
    for i in 0..1001 {
        too_many.push(row(&format!("m{i}"), 9, NOW, "door-1", "M", "1"));
    }
    let today = "2027-01-15"; // NOW is 2027-01-15 08:00 UTC.
    let d = StatusCode::from_u16;
    let cases = vec![
        // Kiosk API: who may call it.
        case("upload without a token", req("POST", "/api/v1/signins").header("content-type", "application/json").body(Body::from(good.to_string())).unwrap(), StatusCode::UNAUTHORIZED),
        case("upload with an empty bearer", json_req("/api/v1/signins", "", &good), StatusCode::UNAUTHORIZED),
        case("upload with a Basic header", req("POST", "/api/v1/signins").header("authorization", "Basic YTpi").header("content-type", "application/json").body(Body::from(good.to_string())).unwrap(), StatusCode::UNAUTHORIZED),
        case("upload with a made-up token", json_req("/api/v1/signins", "not-a-token", &good), StatusCode::UNAUTHORIZED),
        case("upload with SQL as the token", json_req("/api/v1/signins", SQL, &good), StatusCode::UNAUTHORIZED),
        case("upload with a revoked token", json_req("/api/v1/signins", &revoked, &good), StatusCode::UNAUTHORIZED),
        case("used list without a token", req("GET", "/api/v1/used").body(Body::empty()).unwrap(), StatusCode::UNAUTHORIZED),
        case("used list with a revoked token", bearer("/api/v1/used", &revoked), StatusCode::UNAUTHORIZED),
        case("double uses with a revoked token", bearer("/api/v1/double-uses", &revoked), StatusCode::UNAUTHORIZED),
        // Kiosk API: bodies.
        case("a good upload", json_req("/api/v1/signins", &token, &good), StatusCode::OK).stores(1).holds("good-1"),
        case("the same upload again", json_req("/api/v1/signins", &token, &good), StatusCode::OK).holds("\"known\":[\"good-1\"]"),
        case("an oversized body (2 MiB + 1)", raw_post("/api/v1/signins", &token, "application/json", vec![b' '; usher_server::api::API_BODY_LIMIT + 1]), StatusCode::PAYLOAD_TOO_LARGE),
        case("a truncated body", raw_post("/api/v1/signins", &token, "application/json", good.to_string().as_bytes()[..40].to_vec()), StatusCode::BAD_REQUEST),
        case("an empty body", raw_post("/api/v1/signins", &token, "application/json", Vec::new()), StatusCode::BAD_REQUEST),
        case("binary bytes", raw_post("/api/v1/signins", &token, "application/json", vec![0xff, 0, 0x80, 0x7b]), StatusCode::BAD_REQUEST),
        case("JSON nested 10,000 deep", raw_post("/api/v1/signins", &token, "application/json", deep.into_bytes()), StatusCode::BAD_REQUEST),
        // The body is read as JSON whatever its type says (the bearer token is the guard).
        case("JSON sent as text/plain", raw_post("/api/v1/signins", &token, "text/plain", good.to_string().into_bytes()), StatusCode::OK).holds("\"known\":[\"good-1\"]"),
        case("signins not a list", json_req("/api/v1/signins", &token, &json!({"signins": {"id": "x"}})), StatusCode::BAD_REQUEST),
        case("a list instead of an object", json_req("/api/v1/signins", &token, &json!([1, 2])), StatusCode::BAD_REQUEST),
        case("1,001 sign-ins in one upload", json_req("/api/v1/signins", &token, &json!({"signins": too_many})), StatusCode::BAD_REQUEST).holds("at most 1000"),
        case("scanned_at as a string", json_req("/api/v1/signins", &token, &json!({"signins": [{"id": "t1", "pass_id": hex::encode([4u8; 32]), "scanned_at": "1800000000", "device_id": "door-1", "fields": {}}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"t1\""),
        case("scanned_at as a float", json_req("/api/v1/signins", &token, &json!({"signins": [{"id": "t2", "pass_id": hex::encode([4u8; 32]), "scanned_at": 1.8e9, "device_id": "door-1", "fields": {}}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"t2\""),
        case("a name as a number", json_req("/api/v1/signins", &token, &json!({"signins": [{"id": "t3", "pass_id": hex::encode([4u8; 32]), "scanned_at": NOW, "device_id": "door-1", "fields": {"s1": 5}}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"t3\""),
        case("a negative time", json_req("/api/v1/signins", &token, &json!({"signins": [row("t4", 4, -1, "door-1", "A", "1")]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"t4\""),
        case("a time far ahead", json_req("/api/v1/signins", &token, &json!({"signins": [row("t5", 4, i64::MAX, "door-1", "A", "1")]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"t5\""),
        case("a field of 5,000 characters", json_req("/api/v1/signins", &token, &json!({"signins": [row("t6", 4, NOW, "door-1", &"x".repeat(5000), "1")]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"t6\""),
        case("SQL meta-characters in the id", json_req("/api/v1/signins", &token, &json!({"signins": [row(SQL, 5, NOW, "door-1", "A", "1")]})), StatusCode::OK).holds("\"refused\":[{\"id\":"),
        case("SQL meta-characters in pass_id", json_req("/api/v1/signins", &token, &json!({"signins": [{"id": "t7", "pass_id": SQL, "scanned_at": NOW, "device_id": "door-1", "fields": {}}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"t7\""),
        case("SQL meta-characters in every text field", json_req("/api/v1/signins", &sql_token, &sql_row), StatusCode::OK).stores(1).holds("\"stored\":[\"sql-1\"]"),
        // The door's upload: exits and stays.
        case("an exit with SQL as its entrance", json_req("/api/v1/signins", &token, &json!({"signins": [], "exits": [{"id": "e1", "pass_id": hex::encode([4u8; 32]), "at": NOW, "device_id": "door-1", "entrance": SQL, "kind": "scan"}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"e1\",\"reason\":\"entrance must be").lacks("DROP"),
        case("an exit with SQL as the sign-in it closes", json_req("/api/v1/signins", &token, &json!({"signins": [], "exits": [{"id": "e2", "pass_id": hex::encode([4u8; 32]), "at": NOW, "device_id": "door-1", "entrance": "main", "closes": SQL, "kind": "scan"}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"e2\",\"reason\":\"closes must be").lacks("DROP"),
        case("an exit of another kiosk", json_req("/api/v1/signins", &token, &json!({"signins": [], "exits": [{"id": "e3", "pass_id": hex::encode([4u8; 32]), "at": NOW, "device_id": "door-2", "entrance": "main", "kind": "auto"}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"e3\",\"reason\":\"device_id is not"),
        case("an exit of an unknown kind", json_req("/api/v1/signins", &token, &json!({"signins": [], "exits": [{"id": "e4", "pass_id": hex::encode([4u8; 32]), "at": NOW, "device_id": "door-1", "entrance": "main", "kind": SQL}]})), StatusCode::OK).holds("kind must be scan or auto").lacks("DROP"),
        case("a party of 0", json_req("/api/v1/signins", &token, &json!({"signins": [{"id": "h0", "pass_id": hex::encode([4u8; 32]), "scanned_at": NOW, "device_id": "door-1", "heads": 0, "fields": {}}]})), StatusCode::OK).holds("heads must be 1 to 20"),
        case("a party of 2^63-1", json_req("/api/v1/signins", &token, &json!({"signins": [{"id": "h1", "pass_id": hex::encode([4u8; 32]), "scanned_at": NOW, "device_id": "door-1", "heads": i64::MAX, "fields": {}}]})), StatusCode::OK).holds("heads must be 1 to 20"),
        case("exits not a list", json_req("/api/v1/signins", &token, &json!({"signins": [], "exits": SQL})), StatusCode::BAD_REQUEST).holds("exits must be a JSON array").lacks("DROP"),
        case("voids not a list", json_req("/api/v1/signins", &token, &json!({"signins": [], "voids": SQL})), StatusCode::BAD_REQUEST).holds("voids must be a JSON array").lacks("DROP"),
        case("a void naming SQL as its sign-in", json_req("/api/v1/signins", &token, &json!({"signins": [], "voids": [{"id": "v1", "signin": SQL, "device_id": "door-1", "voided_at": NOW}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"v1\",\"reason\":\"signin must be").lacks("DROP"),
        case("a void of another kiosk", json_req("/api/v1/signins", &token, &json!({"signins": [], "voids": [{"id": "v2", "signin": "s1", "device_id": "door-2", "voided_at": NOW}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"v2\",\"reason\":\"device_id is not"),
        case("a tally of SQL at an entrance", json_req("/api/v1/signins", &token, &json!({"signins": [], "tallies": [{"id": "t1", "device_id": "door-1", "entrance": SQL, "at": NOW, "delta": 1}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"t1\",\"reason\":\"entrance must be").lacks("DROP"),
        case("a tally of 2^63-1", json_req("/api/v1/signins", &token, &json!({"signins": [], "tallies": [{"id": "t2", "device_id": "door-1", "entrance": "main", "at": NOW, "delta": i64::MAX}]})), StatusCode::OK).holds("delta must be 1 or -1"),
        case("bidi override and a formula in the contact fields", json_req("/api/v1/signins", &token, &bidi_row), StatusCode::OK).stores(1).holds("\"stored\":[\"bidi-1\"]"),
        case("used list with SQL as the cursor", bearer(&format!("/api/v1/used?since={}", pct(SQL)), &token), StatusCode::BAD_REQUEST),
        case("used list with a negative cursor", bearer("/api/v1/used?since=-5", &token), StatusCode::BAD_REQUEST),
        case("presence without a token", req("GET", "/api/v1/presence").body(Body::empty()).unwrap(), StatusCode::UNAUTHORIZED),
        case("presence with a revoked token", bearer("/api/v1/presence", &revoked), StatusCode::UNAUTHORIZED),
        case("presence with SQL as the entrance", bearer(&format!("/api/v1/presence?entrance={}", pct(SQL)), &token), StatusCode::BAD_REQUEST).lacks("DROP"),
        case("presence with a negative held count", bearer("/api/v1/presence?held=-1", &token), StatusCode::BAD_REQUEST).holds("held must be"),
        case("presence with a count past u32", bearer("/api/v1/presence?inside=99999999999", &token), StatusCode::BAD_REQUEST).lacks("99999999999"),
        // Admin pages: who may see them.
        case("admin page without a session", req("GET", "/admin").body(Body::empty()).unwrap(), StatusCode::SEE_OTHER),
        case("admin page with a forged session", admin_get("/admin", "usher_session=forged"), StatusCode::SEE_OTHER),
        case("admin page with SQL as the session", admin_get("/admin", &format!("usher_session={}", pct(SQL))), StatusCode::SEE_OTHER),
        case("CSV export without a session", req("GET", &format!("/admin/export.csv?what=day&date={today}")).body(Body::empty()).unwrap(), StatusCode::SEE_OTHER).lacks("Ann"),
        case("kiosk token used as the admin session", admin_get("/admin", &format!("usher_session={token}")), StatusCode::SEE_OTHER),
        case("admin token used on the kiosk API", bearer("/api/v1/used", cookie.split_once('=').unwrap().1), StatusCode::UNAUTHORIZED),
        // Admin pages: hostile parameters.
        case("find with SQL as the name", admin_get(&format!("/admin/find?by=name&q={}", pct(SQL)), &cookie), StatusCode::OK).lacks("Ann").lacks("07700"),
        case("find with SQL as the column", admin_get(&format!("/admin/find?by={}&q=Ann", pct(SQL)), &cookie), StatusCode::BAD_REQUEST).lacks("07700"),
        case("trace with SQL in the dates", admin_get(&format!("/admin/trace?by=name&q=Ann&from={}&to={}", pct(SQL), pct(SQL)), &cookie), StatusCode::BAD_REQUEST).lacks("07700"),
        case("a day with SQL in the date", admin_get(&format!("/admin/day?date={}", pct(SQL)), &cookie), StatusCode::BAD_REQUEST),
        case("the day page shows hostile names cleaned", admin_get(&format!("/admin/day?date={today}"), &cookie), StatusCode::OK).holds("nimdA=HYPERLINK").lacks("\u{202E}").lacks("DROP TABLE signins; -- \"").holds("x&#39;); DROP TABLE signins;"),
        case("CSV export with SQL as the kind", admin_get(&format!("/admin/export.csv?what={}", pct(SQL)), &cookie), StatusCode::BAD_REQUEST),
        case("the CSV export defuses and cleans", admin_get(&format!("/admin/export.csv?what=day&date={today}"), &cookie), StatusCode::OK).holds("\"'=1+1\"").holds("\"nimdA=HYPERLINK(\"\"http://evil\"\") ,\"\"x\"\"\"").lacks("\u{202E}").lacks("\r\n,"),
        // The door's pages (the stays above are inside: open, begun within the window).
        case("the admin home with SQL as the day", admin_get(&format!("/admin?date={}", pct(SQL)), &cookie), StatusCode::BAD_REQUEST).lacks("DROP TABLE"),
        case("the admin home's charts and tables with hostile kiosk names", admin_get("/admin", &cookie), StatusCode::OK).holds("<svg ").lacks("\u{202E}").lacks("<script"),
        case("inside now ignores a hostile query", admin_get(&format!("/admin/inside?entrance={}&reload=on", pct(SQL)), &cookie), StatusCode::OK).holds("http-equiv=\"refresh\"").holds("x&#39;); DROP TABLE signins;").lacks("DROP TABLE signins; -- \""),
        case("the roll call shows hostile names cleaned", admin_get("/admin/roll-call", &cookie), StatusCode::OK).holds("nimdA=HYPERLINK").lacks("\u{202E}").holds("x&#39;); DROP TABLE signins;").lacks("DROP TABLE signins; -- \""),
        case("the roll call CSV defuses and cleans", admin_get("/admin/roll-call.csv", &cookie), StatusCode::OK).holds("\"'=1+1\"").holds("\"nimdA=HYPERLINK(\"\"http://evil\"\") ,\"\"x\"\"\"").lacks("\u{202E}").lacks("\r\n,"),
        case("revoke with SQL as the id", form_post(&format!("/admin/devices/{}/revoke", pct(SQL)), &cookie, &[("csrf", &csrf)]), StatusCode::BAD_REQUEST),
        case("revoke a kiosk that does not exist", form_post("/admin/devices/999999/revoke", &cookie, &[("csrf", &csrf)]), StatusCode::NOT_FOUND),
        case("enrol without the CSRF field", form_post("/admin/devices", &cookie, &[("name", "x")]), StatusCode::FORBIDDEN),
        case("an unknown field in an upload row", json_req("/api/v1/signins", &token, &json!({"signins": [{"id": "t8", "pass_id": hex::encode([4u8; 32]), "scanned_at": NOW, "device_id": "door-1", "fields": {"c1": SQL}}]})), StatusCode::OK).holds("\"refused\":[{\"id\":\"t8\""),
        case("enrol with SQL as the kiosk name", form_post("/admin/devices", &cookie, &[("csrf", &csrf), ("name", SQL)]), StatusCode::OK).enrols(1).holds("x&#39;); DROP TABLE signins;"),
        case("enrol with a bidi override in the name", form_post("/admin/devices", &cookie, &[("csrf", &csrf), ("name", "\u{202E}rood")]), StatusCode::BAD_REQUEST).lacks("\u{202E}"),
        case("an oversized form", form_post("/admin/devices", &cookie, &[("csrf", &csrf), ("name", &"n".repeat(usher_server::FORM_BODY_LIMIT))]), StatusCode::PAYLOAD_TOO_LARGE),
        case("log in with SQL as e-mail and password", form_post("/admin/login", &form_cookie, &[("csrf", &form_csrf), ("email", SQL), ("password", SQL)]), StatusCode::UNAUTHORIZED).lacks("usher_session="),
        case("log in without the CSRF cookie", form_post("/admin/login", "", &[("csrf", "x"), ("email", "ada@example.org"), ("password", "password1234")]), StatusCode::FORBIDDEN),
        case("recover with SQL as the code", form_post("/admin/recover", &form_cookie, &[("csrf", &form_csrf), ("code", SQL), ("password", "a-new-password-1"), ("again", "a-new-password-1")]), d(400).unwrap()),
        // The visitor's form.
        case("visitor form with SQL in every field", form_post("/", &form_cookie, &[("csrf", &form_csrf), ("name", SQL), ("phone", SQL), ("email", SQL), ("consent", "yes")]), StatusCode::BAD_REQUEST).lacks("data:image/png"),
        case("visitor form with a bidi override in the name", form_post("/", &form_cookie, &[("csrf", &form_csrf), ("name", "\u{202E}nnA"), ("phone", "07700 900002"), ("consent", "yes")]), StatusCode::BAD_REQUEST).holds("not allowed").lacks("data:image/png"),
        case("visitor form with control characters", form_post("/", &form_cookie, &[("csrf", &form_csrf), ("name", "A\u{1b}[2Jnn"), ("phone", "07700 900002"), ("consent", "yes")]), StatusCode::BAD_REQUEST).holds("not allowed"),
        case("visitor form with SQL as the party size", form_post("/", &form_cookie, &[("csrf", &form_csrf), ("name", "Ann"), ("phone", "07700 900002"), ("consent", "yes"), ("party", SQL)]), StatusCode::BAD_REQUEST).holds("party size must be a whole number").lacks("DROP TABLE").lacks("data:image/png"),
        case("visitor form with a party past the venue's largest", form_post("/", &form_cookie, &[("csrf", &form_csrf), ("name", "Ann"), ("phone", "07700 900002"), ("consent", "yes"), ("party", "21")]), StatusCode::BAD_REQUEST).holds("from 1 to 6").lacks("data:image/png"),
        case("visitor form without CSRF", form_post("/", "", &[("name", "Ann"), ("phone", "07700 900002"), ("consent", "yes")]), StatusCode::FORBIDDEN),
        // Events: the booking page and the admin's event pages.
        case("a booking page with SQL as the event", req("GET", &format!("/events/{}", pct(SQL))).body(Body::empty()).unwrap(), StatusCode::NOT_FOUND).lacks("DROP"),
        case("a booking with SQL in every field", form_post("/events/cat1", &form_cookie, &[("csrf", &form_csrf), ("name", SQL), ("phone", SQL), ("email", SQL), ("party", "1"), ("entrance", "hall"), ("consent", "yes")]), StatusCode::BAD_REQUEST).lacks("data:image/png"),
        case("a booking with SQL as the entrance", form_post("/events/cat1", &form_cookie, &[("csrf", &form_csrf), ("name", "Ann"), ("phone", "07700 900004"), ("party", "1"), ("entrance", SQL), ("consent", "yes")]), StatusCode::BAD_REQUEST).holds("choose an entrance").lacks("DROP").lacks("data:image/png"),
        case("a booking with SQL as the party", form_post("/events/cat1", &form_cookie, &[("csrf", &form_csrf), ("name", "Ann"), ("phone", "07700 900004"), ("party", SQL), ("entrance", "hall"), ("consent", "yes")]), StatusCode::BAD_REQUEST).holds("party size must be a whole number from 1 to 4").lacks("DROP"),
        case("a booking of 2^63-1 places", form_post("/events/cat1", &form_cookie, &[("csrf", &form_csrf), ("name", "Ann"), ("phone", "07700 900004"), ("party", "9223372036854775807"), ("entrance", "hall"), ("consent", "yes")]), StatusCode::BAD_REQUEST).lacks("9223372036854775807"),
        case("a booking without CSRF", form_post("/events/cat1", "", &[("name", "Ann"), ("phone", "07700 900004"), ("party", "1"), ("entrance", "hall"), ("consent", "yes")]), StatusCode::FORBIDDEN),
        case("an event created with SQL in every field", form_post("/admin/events", &cookie, &[("csrf", &csrf), ("name", SQL), ("starts", SQL), ("ends", SQL), ("largest_party", SQL), ("entrances", SQL)]), StatusCode::BAD_REQUEST).holds("Starts").lacks("DROP TABLE"),
        case("an event named with a bidi override", form_post("/admin/events", &cookie, &[("csrf", &csrf), ("name", "\u{202E}diE"), ("starts", "2027-03-20T07:00"), ("ends", "2027-03-20T08:00"), ("largest_party", "4"), ("entrances", "hall 10")]), StatusCode::BAD_REQUEST).lacks("\u{202E}"),
        case("an event whose entrance is SQL", form_post("/admin/events", &cookie, &[("csrf", &csrf), ("name", "Eid"), ("starts", "2027-03-20T07:00"), ("ends", "2027-03-20T08:00"), ("largest_party", "4"), ("entrances", &format!("{SQL} 10"))]), StatusCode::BAD_REQUEST).lacks("DROP TABLE"),
        case("an event without the CSRF field", form_post("/admin/events", &cookie, &[("name", "Eid")]), StatusCode::FORBIDDEN),
        case("the event page with SQL as the id", admin_get(&format!("/admin/events/{}", pct(SQL)), &cookie), StatusCode::NOT_FOUND).lacks("DROP"),
        case("the reservations CSV with SQL as the id", admin_get(&format!("/admin/events/{}/reservations.csv", pct(SQL)), &cookie), StatusCode::NOT_FOUND),
        case("closing an event without the CSRF field", form_post("/admin/events/cat1/close", &cookie, &[]), StatusCode::FORBIDDEN),
        case("the event page without a session", req("GET", "/admin/events/cat1").body(Body::empty()).unwrap(), StatusCode::SEE_OTHER),
        case("visitor form with an Arabic name", form_post("/", &form_cookie, &[("csrf", &form_csrf), ("name", "محمد علي"), ("phone", "07700 900003"), ("consent", "yes")]), StatusCode::OK).holds("data:image/png"),
    ];

    let store = &a.state.store;
    let mut wrong = Vec::new();
    let total = cases.len();
    for c in cases {
        let before = (
            store.signin_count().await.unwrap(),
            store.devices().await.unwrap().len() as i64,
        );
        let what = c.what;
        let r = a.send(c.request).await;
        let after = (
            store.signin_count().await.unwrap(),
            store.devices().await.unwrap().len() as i64,
        );
        let text = r.text();
        let mut problems = Vec::new();
        if r.status != c.status {
            problems.push(format!("status {} (expected {})", r.status, c.status));
        }
        if after != (before.0 + c.stored, before.1 + c.devices) {
            problems.push(format!("rows {before:?} -> {after:?}"));
        }
        if r.status.is_server_error() {
            problems.push("a 5xx".into());
        }
        for h in &c.holds {
            if !text.contains(h.as_str()) {
                problems.push(format!("answer lacks {h:?}"));
            }
        }
        for l in &c.lacks {
            if text.contains(l.as_str()) {
                problems.push(format!("answer holds {l:?}"));
            }
        }
        if !problems.is_empty() {
            let shown: String = text.chars().take(300).collect();
            wrong.push(format!("{what}: {} [{shown}]", problems.join("; ")));
        }
    }
    assert!(
        wrong.is_empty(),
        "{}: {} wrong:\n{}",
        b.name,
        wrong.len(),
        wrong.join("\n")
    );
    println!("catalogue (server, {}): {total}/{total} cases", b.name);
    assert!(total >= 50, "{total} cases");
    // Nothing kept was lost: the three stored sign-ins are there and open.
    assert_eq!(store.signin_count().await.unwrap(), 3);
    let csv = a
        .send(admin_get(
            &format!("/admin/export.csv?what=day&date={today}"),
            &cookie,
        ))
        .await
        .text();
    assert!(csv.contains("\"Ann\",\"07700 900001\""), "{csv}");
    assert!(csv.contains("DROP TABLE signins"), "{csv}");
    assert!(!csv.contains("(unreadable)"), "{csv}");
}
