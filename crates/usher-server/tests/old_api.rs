//! The old system's REST API at `/api/v1.0/` (DESIGN §10) over a real socket: the iOS app's
//! requests replayed, tokens, paging, members; the data checked through Usher's own pages.
#![allow(clippy::unwrap_used)]

mod common;

use common::{NOW, Served, TestApp, app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const API: &str = "/api/v1.0";

struct Old {
    base: String,
    http: reqwest::Client,
}

impl Old {
    fn new(served: &Served) -> Old {
        Old {
            base: format!("http://{}{API}", served.addr),
            // As the app sends them: JSON bodies, its user agent.
            http: reqwest::Client::builder()
                .user_agent("QRCodeSignin/1.1 CFNetwork/1220.1 Darwin/20.3.0")
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap(),
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            r = r.header("token", t);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        let res = r.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn login(&self, email: &str, password: &str) -> (StatusCode, Value) {
        self.call(
            reqwest::Method::POST,
            "/login",
            None,
            Some(json!({"email": email, "password": password, "source": "iOS"})),
        )
        .await
    }
}

async fn serve(a: &TestApp) -> (Served, Old) {
    let served = Served::start(a.router()).await;
    let old = Old::new(&served);
    (served, old)
}

fn sqlite_pool(b: &common::Backend) -> &sqlx::SqlitePool {
    match &b.store {
        usher_server::store::Store::Sqlite(p) => p,
        usher_server::store::Store::Postgres(_) => panic!("sqlite expected"),
    }
}

/// The iOS app, replayed: login, a scan of a family of three at the sisters' entrance sent
/// twice (the app retries when the answer is slow), the list, then an edit and a void; the
/// data read back through Usher's admin pages.
#[tokio::test]
async fn the_ios_app_replayed_signs_in_once_and_usher_s_pages_show_it() {
    let b = common::sqlite().await;
    let a = app(&b);
    let (cookie, _) = a.admin().await;
    let (served, old) = serve(&a).await;

    let (status, login) = old.login("ada@example.org", "password1234").await;
    assert_eq!(status, StatusCode::OK, "{login}");
    assert_eq!(login["admin"], true);
    assert_eq!(login["read_only"], false);
    assert_eq!(login["name"], "Ada");
    assert!(login["login_id"].is_i64());
    let token = login["token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 43, "a 32-byte token: {token}");

    let scan = json!({
        "name": "Fatima Zahra",
        "phone": "(630) 555-0101",
        "email": "fz@example.org",
        "scan_time": (NOW - 30) as f64 + 0.25,
        "num_people": 3,
        "morf": "F",
        "clientId": "6F1C2B9E-3A4D-4E5F-8A7B-1C2D3E4F5A6B",
    });
    for attempt in 0..2 {
        let (status, answer) = old
            .call(
                reqwest::Method::POST,
                "/signin",
                Some(&token),
                Some(scan.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "attempt {attempt}: {answer}");
        assert_eq!(answer["result"], "1", "the old server's answer");
        assert!(answer["id"].is_i64());
    }
    assert_eq!(
        a.state.store.signin_count().await.unwrap(),
        1,
        "a retry made a row"
    );
    let (heads, entrance, contact): (i64, String, Vec<u8>) =
        sqlx::query_as("SELECT heads, entrance, contact FROM signins")
            .fetch_one(sqlite_pool(&b))
            .await
            .unwrap();
    assert_eq!((heads, entrance.as_str()), (3, "sisters"));
    assert!(
        !String::from_utf8_lossy(&contact).contains("Fatima"),
        "contact data in clear at rest"
    );

    let (status, list) = old
        .call(
            reqwest::Method::GET,
            "/signins?return_count=10",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], "Fatima Zahra");
    assert_eq!(list[0]["phone"], "(630) 555-0101");
    assert_eq!(list[0]["dt"], NOW - 30);
    let id = list[0]["id"].as_i64().unwrap();

    // Usher's own pages: the day, and finding her by phone (blind index)
    let day = usher_server::http::fmt_day(NOW);
    let page = a
        .send(common::cookie_get(
            &format!("/admin/day?date={day}"),
            &cookie,
        ))
        .await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert_eq!(
        page.text().matches("Fatima Zahra").count(),
        1,
        "{}",
        page.text()
    );
    assert!(page.text().contains("old-app"));
    let found = a
        .send(common::cookie_get(
            "/admin/find?by=phone&q=6305550101",
            &cookie,
        ))
        .await;
    assert!(found.text().contains("fz@example.org"), "{}", found.text());

    // an edit, then a void: both audited; the void is gone from the pages
    let (status, edited) = old
        .call(
            reqwest::Method::PUT,
            &format!("/signin/{id}"),
            Some(&token),
            Some(json!({"name": "Fatima Z. Ali", "phone": "(630) 555-0101"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["name"], "Fatima Z. Ali");
    let (status, _) = old
        .call(
            reqwest::Method::DELETE,
            &format!("/signin/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, gone) = old
        .call(
            reqwest::Method::GET,
            &format!("/signin/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    let page = a
        .send(common::cookie_get(
            &format!("/admin/day?date={day}"),
            &cookie,
        ))
        .await;
    assert!(!page.text().contains("Fatima"));
    let audit = a.send(common::cookie_get("/admin/audit", &cookie)).await;
    for line in [
        "changed by the old API",
        "voided by the old API",
        "recorded by the old API",
    ] {
        assert!(audit.text().contains(line), "{line}: {}", audit.text());
    }

    // logout ends the token
    let (status, _) = old
        .call(reqwest::Method::POST, "/logout", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = old
        .call(reqwest::Method::GET, "/signins", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer, json!({"message": "Login Failed"}));
    served.stop().await;
}

#[tokio::test]
async fn tokens_are_stored_hashed_and_expire_and_a_wrong_password_is_401() {
    let b = common::sqlite().await;
    let a = app(&b);
    a.admin().await;
    let (served, old) = serve(&a).await;
    let (status, answer) = old.login("ada@example.org", "wrong password!").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer, json!({"message": "Login Failed"}));
    let (status, answer) = old.login("nobody@example.org", "password1234").await;
    assert_eq!(
        (status, answer["message"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("Login Failed"))
    );
    let (_, login) = old.login("ada@example.org", "password1234").await;
    let token = login["token"].as_str().unwrap().to_owned();
    let stored: Vec<(Vec<u8>, i64)> =
        sqlx::query_as("SELECT token_hash, expires_at FROM app_tokens")
            .fetch_all(sqlite_pool(&b))
            .await
            .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].0, usher_server::crypto::token_hash(&token));
    assert_eq!(stored[0].1, NOW + usher_server::legacy_api::TOKEN_SECONDS);
    let (status, _) = old
        .call(reqwest::Method::GET, "/users", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    a.clock.advance(usher_server::legacy_api::TOKEN_SECONDS);
    let (status, _) = old
        .call(reqwest::Method::GET, "/users", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an expired token worked");
    served.stop().await;
}

#[tokio::test]
async fn signins_page_newest_first_with_less_than_and_return_count() {
    let b = common::sqlite().await;
    let a = app(&b);
    a.admin().await;
    let (served, old) = serve(&a).await;
    let (_, login) = old.login("ada@example.org", "password1234").await;
    let token = login["token"].as_str().unwrap().to_owned();
    for i in 0..5 {
        let (status, _) = old
            .call(
                reqwest::Method::POST,
                "/signin",
                Some(&token),
                Some(json!({"name": format!("Guest {i}"), "phone": format!("555-010{i}"), "morf": "M"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    };
    let (_, all) = old
        .call(reqwest::Method::GET, "/signins", Some(&token), None)
        .await;
    let all_ids = ids(&all);
    assert_eq!(all_ids.len(), 5);
    assert!(all_ids.windows(2).all(|w| w[0] > w[1]), "{all_ids:?}");
    let (_, two) = old
        .call(
            reqwest::Method::GET,
            "/signins?return_count=2",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(ids(&two), all_ids[..2]);
    let (_, older) = old
        .call(
            reqwest::Method::GET,
            &format!("/signins?less_than={}&return_count=2", all_ids[1]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(ids(&older), all_ids[2..4]);
    for bad in ["return_count=0", "return_count=101", "less_than=x"] {
        let (status, answer) = old
            .call(
                reqwest::Method::GET,
                &format!("/signins?{bad}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        let field = bad.split('=').next().unwrap();
        assert!(
            answer["message"].as_str().unwrap().contains(field),
            "{answer}"
        );
    }
    // a body that is no sign-in: 400 naming the field, never echoing the value
    let (status, answer) = old
        .call(
            reqwest::Method::POST,
            "/signin",
            Some(&token),
            Some(json!({"name": "Secret Name", "phone": 5550100})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let msg = answer["message"].as_str().unwrap();
    assert!(msg.contains("phone") && !msg.contains("5550100"), "{msg}");
    served.stop().await;
}

#[tokio::test]
async fn old_members_map_onto_roles_and_reset_codes_set_passwords() {
    let b = common::sqlite().await;
    // More logins than the per-address limit allows in a minute.
    let a = common::app_with(&b, |c| c.login_per_minute = 100);
    a.admin().await;
    let (served, old) = serve(&a).await;
    let (_, login) = old.login("ada@example.org", "password1234").await;
    let admin = login["token"].as_str().unwrap().to_owned();
    // a read_only user is a viewer; the code sets the password
    let (status, created) = old
        .call(
            reqwest::Method::POST,
            "/user",
            Some(&admin),
            Some(json!({"email": "rami@example.org", "name": "Rami", "admin": false, "read_only": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["email"], "rami@example.org");
    let guid = created["guid"].as_str().unwrap().to_owned();
    let (status, _) = old
        .call(
            reqwest::Method::POST,
            "/verifyPasswordChange",
            None,
            Some(json!({"guid": guid, "password": "rami's long password"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = old
        .call(
            reqwest::Method::POST,
            "/verifyPasswordChange",
            None,
            Some(json!({"guid": guid, "password": "rami's long password"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a code worked twice");
    let (status, rami) = old.login("rami@example.org", "rami's long password").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (rami["admin"].as_bool(), rami["read_only"].as_bool()),
        (Some(false), Some(true))
    );
    let viewer = rami["token"].as_str().unwrap().to_owned();
    let (status, _) = old
        .call(
            reqwest::Method::POST,
            "/signin",
            Some(&viewer),
            Some(json!({"name": "X", "phone": "1"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a read-only member wrote");
    let (_, users) = old
        .call(reqwest::Method::GET, "/users", Some(&admin), None)
        .await;
    let users = users.as_array().unwrap().clone();
    assert_eq!(users.len(), 2);
    let rami_id = users
        .iter()
        .find(|u| u["email"] == "rami@example.org")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let ada_id = users
        .iter()
        .find(|u| u["email"] == "ada@example.org")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // the last admin stays; deleting a user disables them and ends their token
    let (status, _) = old
        .call(
            reqwest::Method::DELETE,
            &format!("/user/{ada_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = old
        .call(
            reqwest::Method::DELETE,
            &format!("/user/{rami_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = old
        .call(
            reqwest::Method::GET,
            &format!("/user/{rami_id}"),
            Some(&viewer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = old.login("rami@example.org", "rami's long password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // an admin's reset code, and the changed password keeps this token
    let (status, reset) = old
        .call(
            reqwest::Method::POST,
            "/requestPasswordReset",
            Some(&admin),
            Some(json!({"email": "rami@example.org"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(reset["guid"].is_string());
    let (status, _) = old
        .call(
            reqwest::Method::POST,
            "/changePassword",
            Some(&admin),
            Some(json!({"old_password": "password1234", "password": "a new long password"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = old
        .call(reqwest::Method::GET, "/users", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = old.login("ada@example.org", "a new long password").await;
    assert_eq!(status, StatusCode::OK);
    // reservations: an id no reservation has is unknown, as the old server said
    let (status, r) = old
        .call(
            reqwest::Method::POST,
            "/redeemReservation",
            Some(&admin),
            Some(json!({"uuid": "BCDFGH", "morf": "F"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(r["result"], "Reservation not found");
    assert_eq!(r["num_slots"], 0);
    served.stop().await;
}

/// The old app's `redeemReservation` maps onto event reservations (DESIGN §9, §10): an id from
/// the pass page, booked on the form for the sisters' entrance, is refused at the brothers'
/// (`Sex mismatch`), redeemed once at the sisters' with its name and places, then `Already
/// redeemed`; the redemption is an arrival on the event page and a first use kiosks hear of.
#[tokio::test]
async fn the_old_apps_redeem_reservation_records_a_booked_party_once_at_its_entrance() {
    use common::{cookie_get, form_body, form_csrf, form_post, req};
    let b = common::sqlite().await;
    let a = app(&b);
    let (cookie, _) = a.admin().await;
    let spec = usher_server::store::events::EventSpec {
        name: "Eid prayer".into(),
        starts_at: NOW + 3_600,
        ends_at: NOW + 9_000,
        booking_opens_at: NOW - 60,
        booking_closes_at: NOW + 3_600,
        largest_party: 6,
        grace_minutes: 30,
        entrances: ["brothers", "sisters"]
            .map(|name| usher_server::store::events::EntranceSpec {
                name: name.into(),
                capacity: 50,
            })
            .to_vec(),
    };
    a.state.store.create_event("eid", &spec, NOW).await.unwrap();
    let page = a
        .send(
            req("GET", "/events/eid")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    let (c, csrf) = form_csrf(&page);
    let booked = a
        .send(form_post(
            "/events/eid",
            &c,
            &form_body(&[
                ("csrf", &csrf),
                ("name", "Maryam Idris"),
                ("phone", "(630) 555-0199"),
                ("party", "4"),
                ("entrance", "sisters"),
                ("consent", "yes"),
            ]),
        ))
        .await;
    assert_eq!(booked.status, 200, "{}", booked.text());
    let rid = a.state.store.reservations("eid", 5).await.unwrap()[0]
        .id
        .clone();
    assert!(
        booked.text().contains(&rid),
        "the pass page gives the reservation id"
    );

    let (served, old) = serve(&a).await;
    let (_, login) = old.login("ada@example.org", "password1234").await;
    let token = login["token"].as_str().unwrap().to_owned();
    let redeem = |morf: &'static str, uuid: String| {
        let (old, token) = (&old, &token);
        async move {
            old.call(
                reqwest::Method::POST,
                "/redeemReservation",
                Some(token),
                Some(json!({"uuid": uuid, "morf": morf})),
            )
            .await
        }
    };
    let (status, r) = redeem("M", rid.clone()).await;
    assert_eq!(
        (status, &r["result"]),
        (StatusCode::OK, &json!("Sex mismatch"))
    );
    assert_eq!(r["num_slots"], 0);
    let (_, r) = redeem("F", rid.to_lowercase()).await;
    assert_eq!(r["result"], "Success", "{r}");
    assert_eq!(
        (&r["name"], &r["phone"]),
        (&json!("Maryam Idris"), &json!("(630) 555-0199"))
    );
    assert_eq!(r["num_slots"], 4);
    let (_, r) = redeem("F", rid.clone()).await;
    assert_eq!(r["result"], "Already redeemed");
    let (_, r) = redeem("F", "BCDFGH".into()).await;
    assert_eq!(r["result"], "Reservation not found");

    // Arrived: 4 at the sisters' entrance, on the event page; kiosks get the first use.
    let event = a.state.store.event("eid").await.unwrap().unwrap();
    let figures = a.state.store.event_figures(&event).await.unwrap();
    let sisters = figures.iter().find(|f| f.entrance == "sisters").unwrap();
    assert_eq!((sisters.booked, sisters.arrived), (4, 4));
    let page = a.send(cookie_get("/admin/events/eid", &cookie)).await;
    assert!(
        page.text()
            .contains("<td>sisters</td><td>50</td><td>4 (1 reservation)</td><td>46</td><td>4</td>"),
        "{}",
        page.text()
    );
    let used = a.state.store.used_since(0, 99, 10).await.unwrap();
    assert_eq!(used.len(), 1, "the redeemed pass is in the used feed");
    served.stop().await;
}
