//! Router tests without sockets (`router(state).oneshot(...)`), on SQLite.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use common::{
    NOW, TestApp, app, bearer_get, bearer_post, cookie_get, form_csrf, form_post, json_req, req,
    row,
};
use serde_json::json;
use usher_server::Access;

async fn sqlite_app() -> (common::Backend, TestApp) {
    let b = common::sqlite().await;
    let a = app(&b);
    (b, a)
}

#[tokio::test]
async fn upload_stores_once_and_refuses_bad_rows_one_by_one() {
    let (_b, a) = sqlite_app().await;
    let tok = a.device("k1").await;
    let batch = json!({"signins": [
        row("r1", 1, NOW - 60, "k1", "Ann", "111111"),
        row("r2", 2, NOW - 30, "k1", "Bob", "222222"),
        {"id": "bad-pass", "pass_id": "XYZ", "scanned_at": NOW, "device_id": "k1", "fields": {}},
        {"id": "upper", "pass_id": hex::encode([0xabu8; 32]).to_uppercase(), "scanned_at": NOW, "device_id": "k1"},
        row("future", 4, NOW + 2 * 86_400, "k1", "C", "3"),
        row("bad id!", 5, NOW, "k1", "D", "4"),
        {"id": "nofield", "pass_id": hex::encode([6u8; 32]), "scanned_at": NOW, "device_id": "k1", "fields": {"s11": "x"}},
        {"id": "missing"},
        42,
    ]});
    let r = a.send(json_req("/api/v1/signins", &tok, &batch)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let j = r.json();
    assert_eq!(j["stored"], json!(["r1", "r2"]));
    assert_eq!(j["known"], json!([]));
    let refused = j["refused"].as_array().unwrap();
    let ids: Vec<&str> = refused.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "bad-pass", "upper", "future", "bad id!", "nofield", "missing", ""
        ]
    );
    assert!(
        refused[2]["reason"]
            .as_str()
            .unwrap()
            .contains("ahead of the server clock")
    );
    assert!(r.header("date").is_some());
    // retries: stored once
    for _ in 0..3 {
        let r = a.send(json_req("/api/v1/signins", &tok, &batch)).await;
        assert_eq!(r.json()["known"], json!(["r1", "r2"]));
        assert_eq!(r.json()["stored"], json!([]));
    }
    assert_eq!(a.state.store.signin_count().await.unwrap(), 2);
}

#[tokio::test]
async fn used_list_excludes_the_asking_kiosk_and_pages_with_a_cursor() {
    let (_b, a) = sqlite_app().await;
    let t1 = a.device("k1").await;
    let t2 = a.device("k2").await;
    let rows: Vec<_> = (0..5u8)
        .map(|i| row(&format!("a{i}"), i, NOW, "k1", "A", "1"))
        .collect();
    a.send(json_req("/api/v1/signins", &t1, &json!({"signins": rows})))
        .await;
    let get = |tok: &str, since: Option<&str>| {
        let uri = match since {
            Some(s) => format!("/api/v1/used?since={s}"),
            None => "/api/v1/used".to_owned(),
        };
        bearer_get(&uri, tok)
    };
    let r = a.send(get(&t1, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["used"], json!([]));
    let r = a.send(get(&t2, None)).await;
    let j = r.json();
    assert_eq!(j["used"].as_array().unwrap().len(), 5);
    assert_eq!(j["used"][0]["pass_id"], json!(hex::encode([0u8; 32])));
    assert_eq!(j["used"][0]["first_at"], json!(NOW));
    assert_eq!(j["used"][0]["device_id"], json!("k1"));
    let next = j["next"].as_str().unwrap().to_owned();
    let r = a.send(get(&t2, Some(&next))).await;
    assert_eq!(r.json()["used"], json!([]));
    assert_eq!(r.json()["next"], json!(next));
    a.send(json_req(
        "/api/v1/signins",
        &t1,
        &json!({"signins": [row("a9", 9, NOW, "k1", "A", "1")]}),
    ))
    .await;
    let r = a.send(get(&t2, Some(&next))).await;
    assert_eq!(r.json()["used"].as_array().unwrap().len(), 1);
    let r = a.send(get(&t2, Some("nonsense"))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["error"].as_str().unwrap().contains("cursor"));
}

#[tokio::test]
async fn bad_bodies_get_400_and_big_ones_413() {
    let (_b, a) = sqlite_app().await;
    let tok = a.device("door").await;
    let post = |body: Vec<u8>| bearer_post("/api/v1/signins", &tok, "application/json", body);
    let r = a.send(post(b"{not json".to_vec())).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON")
    );
    let r = a.send(post(b"[1,2]".to_vec())).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["error"].as_str().is_some());
    let many: Vec<_> = (0..1001)
        .map(|i| row(&format!("m{i}"), 1, NOW, "k", "A", "1"))
        .collect();
    let r = a
        .send(post(json!({"signins": many}).to_string().into_bytes()))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["error"].as_str().unwrap().contains("1000"));
    let r = a.send(post(vec![b' '; 3 * 1024 * 1024])).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.json()["error"].as_str().is_some());
    assert!(r.header("date").is_some());
    // forms too
    let r = a
        .send(
            req("POST", "/")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(vec![b'a'; 64 * 1024]))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let r = a
        .send(req("GET", "/api/v1/nothing").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
}

#[tokio::test]
async fn every_route_refuses_missing_and_wrong_credentials() {
    let (_b, a) = sqlite_app().await;
    let device_token = a.device("door").await;
    let (cookie, _) = a.admin().await;
    let mut checked = 0;
    let routes = usher_server::routes();
    for r in &routes {
        let (method, path, who) = (r.method.as_str(), r.path, r.access);
        let uri = concrete(path);
        let bare = a.send(req(method, &uri).body(Body::empty()).unwrap()).await;
        assert!(bare.header("date").is_some(), "{method} {path}: no Date");
        let with_device = a
            .send(
                req(method, &uri)
                    .header("authorization", format!("Bearer {device_token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        let with_admin = a
            .send(
                req(method, &uri)
                    .header("cookie", &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        match who {
            // The old API's login and password reset answer 401 for wrong credentials in the
            // body (its contract): only those two may.
            Access::Public if path.starts_with("/api/v1.0/") => {
                assert!(
                    matches!(
                        bare.status,
                        StatusCode::UNAUTHORIZED | StatusCode::BAD_REQUEST
                    ),
                    "{method} {path}: {}",
                    bare.status
                );
                assert!(
                    ["/api/v1.0/login", "/api/v1.0/verifyPasswordChange"].contains(&path),
                    "{path}"
                );
            }
            Access::Public => {
                assert!(
                    !matches!(
                        bare.status,
                        StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER
                    ),
                    "{method} {path}: {}",
                    bare.status
                );
            }
            Access::Member(_) => {
                assert_eq!(bare.status, StatusCode::SEE_OTHER, "{method} {path}");
                assert_eq!(bare.header("location").as_deref(), Some("/admin/login"));
                assert_eq!(with_device.status, StatusCode::FORBIDDEN, "{method} {path}");
                assert!(
                    !matches!(
                        with_admin.status,
                        StatusCode::SEE_OTHER | StatusCode::FORBIDDEN
                    ) || path == "/admin/logout"
                        || method == "POST",
                    "{method} {path}: admin got {}",
                    with_admin.status
                );
            }
            Access::App(_) => {
                for (who, ans) in [
                    ("nobody", &bare),
                    ("a device", &with_device),
                    ("a cookie", &with_admin),
                ] {
                    assert_eq!(
                        ans.status,
                        StatusCode::UNAUTHORIZED,
                        "{method} {path} as {who}"
                    );
                    assert_eq!(ans.json()["message"], "Login Failed", "{method} {path}");
                }
            }
            Access::Device => {
                assert_eq!(bare.status, StatusCode::UNAUTHORIZED, "{method} {path}");
                assert_eq!(bare.header("www-authenticate").as_deref(), Some("Bearer"));
                assert!(bare.json()["error"].is_string());
                assert_eq!(with_admin.status, StatusCode::FORBIDDEN, "{method} {path}");
                assert!(with_admin.json()["error"].is_string());
                assert_ne!(with_device.status, StatusCode::UNAUTHORIZED);
                assert_ne!(with_device.status, StatusCode::FORBIDDEN);
            }
        }
        checked += 1;
    }
    assert_eq!(checked, routes.len());
    // a wrong or revoked token is 401 too
    let r = a
        .send(
            req("GET", "/api/v1/used")
                .header("authorization", "Bearer nope")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(a.state.store.revoke_device(1, NOW).await.unwrap());
    let r = a
        .send(
            req("GET", "/api/v1/used")
                .header("authorization", format!("Bearer {device_token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// Every member route, for every role: allowed (the page answers, whatever it says), or 403
/// with the role refusal, exactly as the route's row in `routes()` says.
#[tokio::test]
async fn every_member_and_app_route_opens_to_the_roles_its_row_names_and_refuses_the_others() {
    use usher_server::team::Role;
    let (_b, a) = sqlite_app().await;
    let mut cookies = Vec::new();
    for role in Role::ALL {
        let (cookie, _) = a
            .member(&format!("{}@example.org", role.as_str()), role)
            .await;
        cookies.push((role, cookie));
    }
    let mut tokens = Vec::new();
    for role in Role::ALL {
        let m = a
            .state
            .store
            .admin_by_email(&format!("{}@example.org", role.as_str()))
            .await
            .unwrap()
            .unwrap();
        let token = format!("app-token-of-the-{}", role.as_str());
        a.state
            .store
            .create_app_token(
                &usher_server::crypto::token_hash(&token),
                m.id,
                "iOS",
                NOW,
                NOW + 60,
            )
            .await
            .unwrap();
        tokens.push(token);
    }
    // The rows whose role is a decision about what the page shows: counts for a viewer, names
    // and phones for a tracer, the server's state for an admin; the health check for anyone.
    let pinned = [
        ("/admin", Access::Member(Role::Viewer)),
        ("/admin/inside", Access::Member(Role::Viewer)),
        ("/admin/roll-call", Access::Member(Role::Tracer)),
        ("/admin/roll-call.csv", Access::Member(Role::Tracer)),
        ("/admin/status", Access::Member(Role::Admin)),
        ("/healthz", Access::Public),
    ];
    let table = usher_server::routes();
    for (path, access) in pinned {
        let row = table
            .iter()
            .find(|r| r.method == axum::http::Method::GET && r.path == path)
            .unwrap_or_else(|| panic!("GET {path} is not in routes()"));
        assert_eq!(row.access, access, "GET {path}");
    }
    let mut rows = 0;
    for r in &table {
        let (need, app) = match r.access {
            Access::Member(need) => (need, false),
            Access::App(need) => (need, true),
            Access::Public | Access::Device => continue,
        };
        let (method, path) = (r.method.as_str(), r.path);
        for ((role, _), token) in cookies.iter().zip(&tokens) {
            // Afresh each time: a row before may have logged this member out or disabled them.
            let email = format!("{}@example.org", role.as_str());
            let (cookie, _) = a.member(&email, *role).await;
            let id = a
                .state
                .store
                .admin_by_email(&email)
                .await
                .unwrap()
                .unwrap()
                .id;
            let hash = usher_server::crypto::token_hash(token);
            a.state.store.delete_app_token(&hash).await.unwrap();
            a.state
                .store
                .create_app_token(&hash, id, "iOS", NOW, NOW + 60)
                .await
                .unwrap();
            let ask = req(method, &concrete(path));
            let ask = if app {
                ask.header("token", token)
            } else {
                ask.header("cookie", &cookie)
            };
            let ans = a.send(ask.body(Body::empty()).unwrap()).await;
            let refusal = if app {
                usher_server::legacy_api::role_refusal(*role)
            } else {
                usher_server::auth::role_refusal(*role)
            };
            let refused = ans.status == StatusCode::FORBIDDEN && ans.text().contains(&refusal);
            assert_eq!(
                refused,
                !role.allows(need),
                "{method} {path} as {}: {} {}",
                role.as_str(),
                ans.status,
                ans.text()
            );
            assert!(
                !matches!(ans.status, StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED),
                "{method} {path} as {}: {}",
                role.as_str(),
                ans.status
            );
            rows += 1;
        }
    }
    assert!(rows >= 3 * (21 + 13), "{rows} rows");
}

#[tokio::test]
async fn an_admin_invites_changes_roles_disables_and_the_last_admin_stays() {
    use usher_server::team::Role;
    let (_b, a) = sqlite_app().await;
    let (admin, csrf) = a.admin().await;
    // invite a viewer: the page shows a one-time link
    let body = common::form_body(&[
        ("csrf", &csrf),
        ("name", "Bilal"),
        ("email", "bilal@example.org"),
        ("role", "viewer"),
    ]);
    let ans = a.send(form_post("/admin/team", &admin, &body)).await;
    assert_eq!(ans.status, StatusCode::OK, "{}", ans.text());
    let page = ans.text();
    let start = page.find("/admin/recover?code=").expect("a link") + "/admin/recover?code=".len();
    let code: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    assert_eq!(code.len(), 39, "{code}");
    let bilal = a
        .state
        .store
        .admin_by_email("bilal@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bilal.role, Role::Viewer);
    assert!(bilal.password_hash.is_none());
    // the link fills the form; a new link ends the old one
    let form = a
        .send(
            req("GET", &format!("/admin/recover?code={code}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(form.text().contains(&format!("value=\"{code}\"")));
    let ans = a
        .send(form_post(
            &format!("/admin/team/{}/link", bilal.id),
            &admin,
            &common::form_body(&[("csrf", &csrf)]),
        ))
        .await;
    assert_eq!(ans.status, StatusCode::OK);
    let (ans, _, _) = recover_with(&a, &code).await;
    assert_eq!(
        ans.status,
        StatusCode::BAD_REQUEST,
        "the older link still worked"
    );
    let page = ans.text();
    assert!(page.contains("wrong, used or expired"), "{page}");
    // a viewer cannot open the team page; the role changes; the last admin stays
    let (viewer, _) = a.member("bilal@example.org", Role::Viewer).await;
    let ans = a.send(cookie_get("/admin/team", &viewer)).await;
    assert_eq!(ans.status, StatusCode::FORBIDDEN);
    let ans = a.send(cookie_get("/admin/find", &viewer)).await;
    assert_eq!(
        ans.status,
        StatusCode::FORBIDDEN,
        "a viewer reached contact data"
    );
    let ada = a
        .state
        .store
        .admin_by_email("ada@example.org")
        .await
        .unwrap()
        .unwrap();
    for (what, extra) in [("role", Some("tracer")), ("disable", None)] {
        let mut fields = vec![("csrf", csrf.as_str())];
        if let Some(role) = extra {
            fields.push(("role", role));
        }
        let ans = a
            .send(form_post(
                &format!("/admin/team/{}/{what}", ada.id),
                &admin,
                &common::form_body(&fields),
            ))
            .await;
        assert_eq!(ans.status, StatusCode::CONFLICT, "{what}: {}", ans.text());
    }
    let ans = a
        .send(form_post(
            &format!("/admin/team/{}/role", bilal.id),
            &admin,
            &common::form_body(&[("csrf", &csrf), ("role", "admin")]),
        ))
        .await;
    assert_eq!(ans.status, StatusCode::SEE_OTHER);
    let ans = a.send(cookie_get("/admin/team", &viewer)).await;
    assert_eq!(ans.status, StatusCode::OK, "the new role counts at once");
    // disabling ends the member's sessions at once and they cannot log in
    let ans = a
        .send(form_post(
            &format!("/admin/team/{}/disable", bilal.id),
            &admin,
            &common::form_body(&[("csrf", &csrf)]),
        ))
        .await;
    assert_eq!(ans.status, StatusCode::SEE_OTHER);
    let ans = a.send(cookie_get("/admin", &viewer)).await;
    assert_eq!(ans.status, StatusCode::SEE_OTHER);
    assert_eq!(ans.header("location").as_deref(), Some("/admin/login"));
    // now Ada is no longer the last admin... Bilal is disabled, so she still is
    let ans = a
        .send(form_post(
            &format!("/admin/team/{}/disable", ada.id),
            &admin,
            &common::form_body(&[("csrf", &csrf)]),
        ))
        .await;
    assert_eq!(ans.status, StatusCode::CONFLICT);
    let log = a.state.store.audit_log(50).await.unwrap();
    let member_lines: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "member")
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(member_lines.len(), 4, "{member_lines:?}");
    assert!(member_lines.iter().any(|d| d.contains("disabled")));
}

#[tokio::test]
async fn visitor_gets_a_signed_pass_and_the_form_is_rate_limited() {
    let (_b, a) = sqlite_app().await;
    let page = a.send(req("GET", "/").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    let (cookie, csrf) = form_csrf(&page);
    let body = format!(
        "csrf={csrf}&name=%D9%85%D8%AD%D9%85%D8%AF+Ali&phone=%2B44+20+7946+0000&email=&consent=yes"
    );
    let r = a.send(form_post("/", &cookie, &body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("data:image/png;base64,"));
    let at = html.find("<pre class=\"passtext\">").unwrap() + 22;
    let text = html[at..]
        .split("</pre>")
        .next()
        .unwrap()
        .replace("&amp;", "&");
    // the pass verifies with the organiser's public key (usher-core's own rules)
    let rules = usher_testkit::public_key_rules(
        a.state.keys.signing.verifying_key(),
        usher_core::SchemeSet::ALL,
        "k",
    );
    let mut ledger = usher_core::MemoryLedger::new();
    let v = usher_core::judge(&text, &rules, usher_core::Now::utc(NOW), &mut ledger).unwrap();
    assert_eq!(v.kind(), usher_core::VerdictKind::Accepted, "{text}");
    // no CSRF: refused
    let r = a.send(form_post("/", "", &body)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // missing consent: 400 with a reason
    let r = a
        .send(form_post("/", &cookie, &body.replace("&consent=yes", "")))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("consent"));
    // 10 a minute from one address (3 used above)
    let mut last = StatusCode::OK;
    for _ in 0..8 {
        last = a.send(form_post("/", &cookie, &body)).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    a.clock.advance(61);
    assert_eq!(
        a.send(form_post("/", &cookie, &body)).await.status,
        StatusCode::OK
    );
}

/// Sets the password `correct horse battery` with recovery `code` through the recovery page:
/// the answer, the CSRF cookie and the form body sent.
async fn recover_with(a: &TestApp, code: &str) -> (common::Answer, String, String) {
    let page = a
        .send(req("GET", "/admin/recover").body(Body::empty()).unwrap())
        .await;
    let (cookie, csrf) = form_csrf(&page);
    let body = format!(
        "csrf={csrf}&code={code}&password=correct+horse+battery&again=correct+horse+battery"
    );
    let r = a.send(form_post("/admin/recover", &cookie, &body)).await;
    (r, cookie, body)
}

#[tokio::test]
async fn recovery_code_sets_a_password_once_and_login_is_limited() {
    let (b, a) = sqlite_app().await;
    let code = a.init(&b).await;
    let (r, cookie, body) = recover_with(&a, &code).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let session = r.header("set-cookie").unwrap();
    assert!(
        session.starts_with("usher_session=")
            && session.contains("HttpOnly")
            && session.contains("SameSite=Strict")
    );
    let r = a.send(form_post("/admin/recover", &cookie, &body)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "code is single use");
    // login
    let page = a
        .send(req("GET", "/admin/login").body(Body::empty()).unwrap())
        .await;
    let (cookie, csrf) = form_csrf(&page);
    let good = format!("csrf={csrf}&email=ada%40example.org&password=correct+horse+battery");
    let bad = format!("csrf={csrf}&email=ada%40example.org&password=wrong");
    a.clock.advance(120);
    let r = a.send(form_post("/admin/login", &cookie, &good)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location").as_deref(), Some("/admin"));
    let admin_cookie = r.cookie();
    let r = a
        .send(
            req("GET", "/admin")
                .header("cookie", &admin_cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for _ in 0..4 {
        assert_eq!(
            a.send(form_post("/admin/login", &cookie, &bad))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    // the sixth attempt within the minute
    assert_eq!(
        a.send(form_post("/admin/login", &cookie, &good))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    a.clock.advance(61);
    assert_eq!(
        a.send(form_post("/admin/login", &cookie, &good))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // without the CSRF cookie
    assert_eq!(
        a.send(form_post("/admin/login", "", &good)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn admin_finds_traces_exports_and_every_view_is_audited() {
    let (_b, a) = sqlite_app().await;
    let tok = a.device("k1").await;
    let rows = json!({"signins": [
        row("v1", 1, NOW, "k1", "Zoë Smith", "+44 7700 900001"),
        row("o1", 2, NOW + 30 * 60, "k1", "=HYPERLINK(\"x\")", "07700 900002"),
        row("o2", 3, NOW + 5 * 3600, "k1", "Far Later", "07700 900003"),
    ]});
    a.send(json_req("/api/v1/signins", &tok, &rows)).await;
    let (cookie, csrf) = a.admin().await;
    let get = |uri: &str| cookie_get(uri, &cookie);
    let r = a.send(get("/admin/find?by=phone&q=447700900001")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("Zoë Smith"));
    assert!(!r.text().contains("Far Later"));
    let r = a
        .send(get(
            "/admin/trace?by=name&q=zo%C3%AB+smith&minutes=15&stay=60",
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("Others there (1)"), "{html}");
    assert!(html.contains("=HYPERLINK(&quot;x&quot;)"));
    let r = a
        .send(get(
            "/admin/export.csv?what=trace&by=name&q=zo%C3%AB+smith&minutes=15&stay=60",
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let csv = r.text();
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    assert!(csv.contains("\"'+44 7700 900001\""));
    assert!(!csv.contains("Far Later"));
    let day = usher_server::http::fmt_day(NOW);
    let r = a
        .send(get(&format!("/admin/export.csv?what=day&date={day}")))
        .await;
    assert!(r.text().contains("Far Later"));
    let r = a.send(get("/admin/day?date=2026-99-01")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = a.send(get("/admin/find?by=shoe&q=x")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let log = a.state.store.audit_log(100).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["export", "export", "trace", "search"]);
    assert!(
        log.iter()
            .all(|e| !e.detail.contains("Zo") && !e.detail.contains("7700"))
    );
    let r = a.send(get("/admin/audit")).await;
    assert!(r.text().contains("find by phone: 1 results"));
    let _ = csrf;
}

#[tokio::test]
async fn enrolment_gives_a_working_token_and_revocation_ends_it() {
    let (_b, a) = sqlite_app().await;
    let (cookie, csrf) = a.admin().await;
    let r = a
        .send(form_post(
            "/admin/devices",
            &cookie,
            &format!("csrf={csrf}&name=Front+door"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    let at = html.find("usher-enroll:?server=").unwrap();
    let text = html[at..]
        .split("</pre>")
        .next()
        .unwrap()
        .replace("&amp;", "&");
    assert!(text.starts_with("usher-enroll:?server=http%3A%2F%2Fdoor.test%3A8080&token="));
    let token = text
        .split("&token=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let (key, device) = text
        .split("&key=")
        .nth(1)
        .unwrap()
        .split_once("&device=")
        .unwrap();
    assert_eq!(
        device, "Front+door",
        "the kiosk's device id is its enrolled name"
    );
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(key)
        .unwrap();
    assert_eq!(raw, a.state.keys.signing.verifying_key().to_bytes());
    assert!(html.contains("data:image/png;base64,"));
    let used = |t: &str| {
        req("GET", "/api/v1/used")
            .header("authorization", format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(a.send(used(&token)).await.status, StatusCode::OK);
    // wrong CSRF
    let r = a
        .send(form_post("/admin/devices/1/revoke", &cookie, "csrf=nope"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = a
        .send(form_post(
            "/admin/devices/1/revoke",
            &cookie,
            &format!("csrf={csrf}"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(a.send(used(&token)).await.status, StatusCode::UNAUTHORIZED);
    let r = a
        .send(cookie_get("/admin/organiser.pub.pem", &cookie))
        .await;
    assert!(r.text().contains("BEGIN PUBLIC KEY"));
    let r = a.send(cookie_get("/admin/devices", &cookie)).await;
    assert!(r.text().contains("Front door") && r.text().contains("revoked"));
}

#[tokio::test]
async fn double_uses_show_and_retention_purges_by_the_clock() {
    let (_b, a) = sqlite_app().await;
    let t1 = a.device("k1").await;
    let t2 = a.device("k2").await;
    a.send(json_req(
        "/api/v1/signins",
        &t1,
        &json!({"signins": [row("x1", 7, NOW, "k1", "A", "11111")]}),
    ))
    .await;
    a.send(json_req(
        "/api/v1/signins",
        &t2,
        &json!({"signins": [row("x2", 7, NOW + 9, "k2", "A", "11111")]}),
    ))
    .await;
    let (cookie, _) = a.admin().await;
    let r = a
        .send(
            req("GET", "/admin/double-uses")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.text().contains(&hex::encode([7u8; 32])[..16]));
    let p = usher_server::retention::purge_once(&a.state).await.unwrap();
    assert_eq!(p.signins, 0);
    a.clock.advance(21 * 86_400 + 10);
    let p = usher_server::retention::purge_once(&a.state).await.unwrap();
    assert_eq!(p.signins, 2);
    assert_eq!(a.state.store.signin_count().await.unwrap(), 0);
    assert_eq!(
        a.state.store.audit_log(1).await.unwrap()[0].action,
        "retention"
    );
}

#[tokio::test]
async fn forwarded_for_counts_only_when_trusted() {
    let b = common::sqlite().await;
    let post = |ip: &str| {
        req("POST", "/admin/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", format!("203.0.113.9, {ip}"))
            .body(Body::from("csrf=x&email=a%40b.c&password=p"))
            .unwrap()
    };
    // not trusted: every request is the same (unspecified) address
    let a = app(&b);
    for i in 0..5 {
        assert_eq!(
            a.send(post(&format!("198.51.100.{i}"))).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        a.send(post("198.51.100.99")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // trusted: the proxy's last hop is the client
    let mut config = a.state.config.clone();
    config.trust_forwarded_for = true;
    let t = usher_server::AppState::new(
        a.state.store.clone(),
        a.state.keys.clone(),
        config,
        a.clock.clone(),
    );
    let t = TestApp {
        state: t,
        clock: a.clock.clone(),
    };
    for i in 0..5 {
        assert_eq!(
            t.send(post(&format!("198.51.100.{i}"))).await.status,
            StatusCode::FORBIDDEN
        );
    }
    for _ in 0..5 {
        assert_eq!(
            t.send(post("198.51.100.7")).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        t.send(post("198.51.100.7")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// A row as an enrolled kiosk sends it: contact fields sealed to the organiser's key.
fn sealed_row(
    a: &TestApp,
    sealed_for: &str,
    id: &str,
    n: u8,
    fields: serde_json::Value,
) -> serde_json::Value {
    use base64::Engine as _;
    let public = crypto_box::PublicKey::from_bytes(
        a.state
            .keys
            .signing
            .verifying_key()
            .to_montgomery()
            .to_bytes(),
    );
    let plain = json!({"id": sealed_for, "fields": fields}).to_string();
    let sealed = public
        .seal(&mut crypto_box::aead::OsRng, plain.as_bytes())
        .unwrap();
    json!({"id": id, "pass_id": hex::encode([n; 32]), "scanned_at": NOW - 10, "device_id": "k1",
           "sealed": base64::engine::general_purpose::STANDARD.encode(sealed)})
}

#[tokio::test]
async fn sealed_contact_fields_are_opened_with_the_organisers_key_and_bad_ones_refused() {
    let (_b, a) = sqlite_app().await;
    let tok = a.device("k1").await;
    let fields = json!({"s1": "فاطمة الزهراء", "s2": "+971 4 000 0000", "s3": "f@example.org"});
    let mut wrong_key = sealed_row(&a, "s2", "s2", 2, fields.clone());
    let other = crypto_box::PublicKey::from_bytes(
        ed25519_dalek::SigningKey::from_bytes(&[1; 32])
            .verifying_key()
            .to_montgomery()
            .to_bytes(),
    );
    {
        use base64::Engine as _;
        let sealed = other
            .seal(
                &mut crypto_box::aead::OsRng,
                json!({"id": "s2", "fields": {}}).to_string().as_bytes(),
            )
            .unwrap();
        wrong_key["sealed"] = base64::engine::general_purpose::STANDARD
            .encode(sealed)
            .into();
    }
    let mut both = sealed_row(&a, "s5", "s5", 5, fields.clone());
    both["fields"] = json!({"s1": "x"});
    let mut not_b64 = sealed_row(&a, "s6", "s6", 6, fields.clone());
    not_b64["sealed"] = "***".into();
    let batch = json!({"signins": [
        sealed_row(&a, "s1", "s1", 1, fields.clone()),
        wrong_key,
        sealed_row(&a, "elsewhere", "s3", 3, fields.clone()),
        sealed_row(&a, "s4", "s4", 4, json!({"s11": "x"})),
        both,
        not_b64,
        row("plain", 7, NOW - 5, "k1", "Old Kiosk", "1"),
    ]});
    let r = a.send(json_req("/api/v1/signins", &tok, &batch)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let j = r.json();
    assert_eq!(j["stored"], json!(["s1", "plain"]), "{j}");
    let reasons: Vec<(String, String)> = j["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["id"].as_str().unwrap().to_owned(),
                x["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let reason = |id: &str| {
        reasons
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, r)| r.as_str())
            .unwrap_or("")
    };
    assert!(
        reason("s2").contains("does not open with the organiser's key"),
        "{reasons:?}"
    );
    assert!(reason("s3").contains("another sign-in"), "{reasons:?}");
    assert!(reason("s4").contains("unknown field"), "{reasons:?}");
    assert!(reason("s5").contains("not both"), "{reasons:?}");
    assert!(reason("s6").contains("base64"), "{reasons:?}");
    // Stored encrypted at rest as today: the server's vault opens the opened fields.
    let rows = a.state.store.signins_between(0, NOW + 1, 10).await.unwrap();
    let s1 = rows.iter().find(|r| r.sid == "s1").unwrap();
    let plain = a.state.keys.vault.open(b"s1", &s1.contact).unwrap();
    let stored: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(stored, fields);
    let bi = a
        .state
        .keys
        .vault
        .blind_index(usher_server::crypto::IndexKind::Phone, "+971 4 000 0000")
        .unwrap();
    let found = a
        .state
        .store
        .signins_by_index(usher_server::store::IndexColumn::Phone, &bi, 0, NOW + 1, 10)
        .await
        .unwrap();
    assert_eq!(
        found.len(),
        1,
        "the phone's blind index is made from the opened fields"
    );
}

/// A login attempt through a proxy that appends `ip:port`, with `spoof` as the client's own
/// left-most entry.
fn proxied_login(xff: &str) -> axum::http::Request<Body> {
    req("POST", "/admin/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", xff)
        .body(Body::from("csrf=x&email=a%40b.c&password=p"))
        .unwrap()
}

fn behind_proxy(b: &common::Backend) -> TestApp {
    common::app_with(b, |c| c.trust_forwarded_for = true)
}

#[tokio::test]
async fn a_spoofed_leftmost_forwarded_for_does_not_dodge_the_login_limit() {
    let b = common::sqlite().await;
    let a = behind_proxy(&b);
    let mut statuses = Vec::new();
    for i in 0..12 {
        let r = a
            .send(proxied_login(&format!(
                "10.9.8.{i}, 198.51.100.7:{}",
                40_000 + i
            )))
            .await;
        statuses.push(r.status.as_u16());
    }
    assert_eq!(
        statuses[5..],
        [429; 7],
        "12 logins in a row from one client: {statuses:?}"
    );
}

#[tokio::test]
async fn forwarded_for_takes_ports_and_bracketed_v6_and_refuses_what_it_cannot_read() {
    let b = common::sqlite().await;
    let a = behind_proxy(&b);
    for bad in ["198.51.100.7, nonsense", "unknown", "1.2.3.4, ", "[::1"] {
        let r = a.send(proxied_login(bad)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.text().contains("X-Forwarded-For"), "{bad}: {}", r.text());
        assert!(!r.text().contains("nonsense"), "the value is not echoed");
    }
    // 5 from one /64, whatever the lower half, then 429
    for i in 0..5 {
        let r = a
            .send(proxied_login(&format!("[2001:db8:1:2::{i:x}]:443")))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "attempt {i}");
    }
    let r = a
        .send(proxied_login("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // another /64 is another client
    let r = a.send(proxied_login("[2001:db8:1:3::1]:80")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_password_set_by_recovery_code_ends_other_sessions_and_older_codes() {
    let (b, a) = sqlite_app().await;
    let init = |a: &TestApp| {
        let store = a.state.store.clone();
        let dir = b.dir.path().to_path_buf();
        let clock = a.clock.clone();
        async move {
            let out = usher_server::setup::init(&store, &dir, "Ada", "ada@example.org", &*clock)
                .await
                .unwrap();
            String::from_utf8(out.recovery_code.expose().to_vec()).unwrap()
        }
    };
    let older = init(&a).await;
    let newer = init(&a).await;
    let (other_session, _) = a.admin().await;
    let dashboard = |cookie: &str| {
        req("GET", "/admin")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        a.send(dashboard(&other_session)).await.status,
        StatusCode::OK
    );
    let (r, _, _) = recover_with(&a, &older).await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "an older recovery code still works after a newer one was issued"
    );
    let (r, _, _) = recover_with(&a, &newer).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let mine = r.cookie();
    assert_eq!(a.send(dashboard(&mine)).await.status, StatusCode::OK);
    assert_eq!(
        a.send(dashboard(&other_session)).await.status,
        StatusCode::SEE_OTHER,
        "another session of the admin stays logged in after the password was set"
    );
}

#[tokio::test]
async fn a_name_and_email_too_long_for_a_full_pass_fit_a_compact_one_that_holds_no_email() {
    let (_b, a) = sqlite_app().await;
    let page = a.send(req("GET", "/").body(Body::empty()).unwrap()).await;
    let (cookie, csrf) = form_csrf(&page);
    // 100 four-byte letters and a 192-character address of two-byte letters: each valid,
    // together too long for a QR code when the pass carried both (a 400 naming the name
    // before compact passes); the compact pass carries the name only (DESIGN §9)
    let name = usher_core::form::encode("𐒀".repeat(100).as_bytes());
    let email = usher_core::form::encode(format!("{}@example.org", "é".repeat(180)).as_bytes());
    let body = format!("csrf={csrf}&name={name}&phone=&email={email}&consent=yes");
    let r = a.send(form_post("/", &cookie, &body)).await;
    assert_eq!(r.status, StatusCode::OK);
    let text = common::pass_text_of(&r.text());
    assert!(
        text.contains("%22s1%22") && text.contains("%22r%22"),
        "{text}"
    );
    assert!(!text.contains("example.org"), "no e-mail in the pass");
    assert!(!text.contains("%22s3%22"), "no s3 in the pass");
}

#[tokio::test]
async fn cookies_carry_the_host_prefix_over_https() {
    let b = common::sqlite().await;
    let a = common::app_with(&b, |c| {
        c.public_url = "https://door.test".into();
        c.secure_cookies = true;
    });
    for path in ["/", "/admin/login", "/admin/recover"] {
        let r = a.send(req("GET", path).body(Body::empty()).unwrap()).await;
        let set = r.header("set-cookie").unwrap();
        assert!(set.starts_with("__Host-usher_csrf="), "{path}: {set}");
        assert!(
            set.contains("; Secure") && set.contains("; Path=/"),
            "{set}"
        );
        assert!(!set.to_ascii_lowercase().contains("domain"), "{set}");
    }
    // a session cookie too, and the server reads cookies by the prefixed name
    let (plain_cookie, _) = a.admin().await;
    let prefixed = format!("__Host-{plain_cookie}");
    let r = a
        .send(
            req("GET", "/admin")
                .header("cookie", &prefixed)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = a
        .send(
            req("GET", "/admin")
                .header("cookie", &plain_cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "an unprefixed cookie is not taken over HTTPS"
    );
}

#[tokio::test]
async fn a_login_finding_every_password_slot_busy_waits_briefly_then_gets_429() {
    let b = common::sqlite().await;
    let a = common::app_with(&b, |c| c.password_checks = 1);
    let page = a
        .send(req("GET", "/admin/login").body(Body::empty()).unwrap())
        .await;
    let (cookie, csrf) = form_csrf(&page);
    let login = format!("csrf={csrf}&email=ada%40example.org&password=wrong");
    let held = a.state.password_slots.acquire().await.unwrap();
    let started = std::time::Instant::now();
    let r = a.send(form_post("/admin/login", &cookie, &login)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(started.elapsed() >= usher_server::auth::PASSWORD_WAIT);
    drop(held);
    let r = a.send(form_post("/admin/login", &cookie, &login)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_row_naming_another_kiosk_is_refused_and_double_uses_go_by_the_token() {
    let (_b, a) = sqlite_app().await;
    let t1 = a.device("k1").await;
    let t2 = a.device("k2").await;
    a.send(json_req(
        "/api/v1/signins",
        &t1,
        &json!({"signins": [row("m1", 8, NOW, "k1", "A", "1")]}),
    ))
    .await;
    // k2's token uploads the same pass as if k1 had scanned it again: no double use would show.
    let r = a
        .send(json_req(
            "/api/v1/signins",
            &t2,
            &json!({"signins": [row("m2", 8, NOW + 5, "k1", "A", "1")]}),
        ))
        .await;
    let j = r.json();
    assert_eq!(j["stored"], json!([]), "{j}");
    assert_eq!(j["refused"][0]["id"], json!("m2"), "{j}");
    let reason = j["refused"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("device_id"), "{reason}");
    assert!(
        !reason.contains("k1"),
        "the reason echoes the value: {reason}"
    );
    assert!(a.state.store.double_uses(10).await.unwrap().is_empty());
    // Named rightly, the same row is a double use.
    a.send(json_req(
        "/api/v1/signins",
        &t2,
        &json!({"signins": [row("m2", 8, NOW + 5, "k2", "A", "1")]}),
    ))
    .await;
    assert_eq!(a.state.store.double_uses(10).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_id_stored_by_another_kiosk_is_refused_not_known() {
    let (_b, a) = sqlite_app().await;
    let t1 = a.device("k1").await;
    let t2 = a.device("k2").await;
    let stored = a
        .send(json_req(
            "/api/v1/signins",
            &t1,
            &json!({"signins": [row("same-id", 3, NOW, "k1", "A", "1")]}),
        ))
        .await;
    assert_eq!(stored.json()["stored"], json!(["same-id"]));
    let r = a
        .send(json_req(
            "/api/v1/signins",
            &t2,
            &json!({"signins": [row("same-id", 4, NOW, "k2", "B", "2")]}),
        ))
        .await;
    let j = r.json();
    assert_eq!(j["known"], json!([]), "k2 would erase its row: {j}");
    assert_eq!(j["refused"][0]["id"], json!("same-id"), "{j}");
    // The kiosk that stored it still hears `known` on a retry.
    let r = a
        .send(json_req(
            "/api/v1/signins",
            &t1,
            &json!({"signins": [row("same-id", 3, NOW, "k1", "A", "1")]}),
        ))
        .await;
    assert_eq!(r.json()["known"], json!(["same-id"]));
}

#[tokio::test]
async fn refusal_reasons_name_the_field_never_its_value() {
    let (_b, a) = sqlite_app().await;
    let tok = a.device("k1").await;
    let secret = "Zoë Secret-Name";
    let batch = json!({"signins": [
        {"id": "t1", "pass_id": hex::encode([1u8; 32]), "scanned_at": secret, "device_id": "k1"},
        {"id": "t2", "pass_id": hex::encode([2u8; 32]), "scanned_at": NOW, "device_id": "k1",
         "fields": {"s1": 42, "s2": secret}},
        {"id": "t3", "pass_id": secret, "scanned_at": NOW, "device_id": "k1"},
        {"id": "t4", "pass_id": hex::encode([4u8; 32]), "scanned_at": NOW, "device_id": "k1", "sealed": 7},
    ]});
    let r = a.send(json_req("/api/v1/signins", &tok, &batch)).await;
    let j = r.json();
    let refused = j["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 4, "{j}");
    for (refusal, field) in refused
        .iter()
        .zip(["scanned_at", "fields", "pass_id", "sealed"])
    {
        let reason = refusal["reason"].as_str().unwrap();
        assert!(reason.contains(field), "{reason} names no {field}");
        assert!(
            !reason.contains("Zo") && !reason.contains("42") && !reason.contains('7'),
            "{reason} echoes a value"
        );
    }
}

#[tokio::test]
async fn a_once_pass_stays_used_on_the_server_until_it_expires() {
    let (_b, a) = sqlite_app().await;
    let t1 = a.device("k1").await;
    let t2 = a.device("k2").await;
    let mut year_pass = row("y1", 5, NOW, "k1", "A", "1");
    year_pass["valid_until"] = json!(NOW + 365 * 86_400);
    let r = a
        .send(json_req(
            "/api/v1/signins",
            &t1,
            &json!({"signins": [year_pass]}),
        ))
        .await;
    assert_eq!(r.json()["stored"], json!(["y1"]), "{}", r.text());
    a.clock.advance(22 * 86_400);
    usher_server::retention::purge_once(&a.state).await.unwrap();
    // A kiosk enrolled now still hears that the pass was used.
    let r = a
        .send(
            req("GET", "/api/v1/used")
                .header("authorization", format!("Bearer {t2}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let used = r.json()["used"].clone();
    assert_eq!(used.as_array().map(Vec::len), Some(1), "{used}");
    assert_eq!(used[0]["valid_until"], json!(NOW + 365 * 86_400));
}

/// An exit as a kiosk uploads it.
fn exit_row(id: &str, pass: u8, at: i64, device: &str, closes: Option<&str>) -> serde_json::Value {
    let mut e = json!({
        "id": id, "pass_id": hex::encode([pass; 32]), "at": at, "device_id": device,
        "entrance": "main", "kind": "scan",
    });
    if let Some(c) = closes {
        e["closes"] = json!(c);
    }
    e
}

#[tokio::test]
async fn an_upload_stores_stays_and_exits_once_and_refuses_bad_ones_naming_the_field() {
    let (b, a) = sqlite_app().await;
    let tok = a.device("k1").await;
    let mut family = row("r1", 1, NOW - 600, "k1", "Ann", "111111");
    family["entrance"] = json!("sisters");
    family["heads"] = json!(4);
    family["over_capacity"] = json!(true);
    let mut crowd = row("r2", 2, NOW - 600, "k1", "Bob", "222222");
    crowd["heads"] = json!(21);
    let mut no_entrance = row("r3", 3, NOW - 600, "k1", "Cy", "333333");
    no_entrance["entrance"] = json!(" Zoë ");
    let mut bad_kind = exit_row("x-kind", 1, NOW, "k1", None);
    bad_kind["kind"] = json!("Zoë");
    let mut bad_at = exit_row("x-at", 1, NOW, "k1", None);
    bad_at["at"] = json!("Zoë");
    let batch = json!({
        "signins": [family, crowd, no_entrance],
        "exits": [
            exit_row("x1", 1, NOW - 60, "k1", Some("r1")),
            exit_row("x2", 5, NOW - 30, "k1", Some("r5")),
            exit_row("x-other", 1, NOW, "k2", Some("r1")),
            exit_row("x-closes", 1, NOW, "k1", Some("not ok!")),
            bad_kind,
            bad_at,
        ],
    });
    let r = a.send(json_req("/api/v1/signins", &tok, &batch)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let j = r.json();
    assert_eq!(j["stored"], json!(["r1", "x1", "x2"]));
    let refused: Vec<(&str, &str)> = j["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["id"].as_str().unwrap(), x["reason"].as_str().unwrap()))
        .collect();
    let reason = |id: &str| refused.iter().find(|(i, _)| *i == id).expect(id).1;
    assert!(
        reason("r2").contains("heads must be 1 to 20"),
        "{refused:?}"
    );
    assert!(reason("r3").starts_with("entrance must be"), "{refused:?}");
    assert!(
        reason("x-other").contains("device_id is not the kiosk"),
        "{refused:?}"
    );
    assert!(
        reason("x-closes").starts_with("closes must be"),
        "{refused:?}"
    );
    assert_eq!(
        reason("x-kind"),
        "malformed exit: kind must be scan or auto"
    );
    assert_eq!(reason("x-at"), "malformed exit: at must be a whole number");
    assert!(
        !r.text().contains("Zoë"),
        "a reason echoes a value: {}",
        r.text()
    );
    // The sign-in of x2 arrives later: the exit that came first closes it.
    let later = json!({"signins": [row("r5", 5, NOW - 120, "k1", "Di", "5")]});
    let r = a.send(json_req("/api/v1/signins", &tok, &later)).await;
    assert_eq!(r.json()["stored"], json!(["r5"]));
    // Retries: stored once.
    let r = a.send(json_req("/api/v1/signins", &tok, &batch)).await;
    assert_eq!(r.json()["known"], json!(["r1", "x1", "x2"]));
    assert_eq!(r.json()["stored"], json!([]));
    assert_eq!(
        common::stay_rows(&b.store).await,
        [
            (
                "r1".into(),
                "sisters".into(),
                4,
                1,
                Some(NOW - 60),
                Some("scan".into())
            ),
            (
                "r5".into(),
                "main".into(),
                1,
                0,
                Some(NOW - 30),
                Some("scan".into())
            ),
        ]
    );
    assert_eq!(common::exit_count(&b.store).await, 2);
}

/// DESIGN §8: Ann used her pass at k1, left, and came back in through k2 (someone stepping
/// out and back in): the re-entry is a stay on the server (Inside now, the roll call, the exit
/// that closes it), but no use of the pass (no double use, the first use stays k1's).
#[tokio::test]
async fn a_reentry_is_inside_and_on_the_roll_call_but_no_use_of_the_pass() {
    let (b, a) = sqlite_app().await;
    let t1 = a.device("k1").await;
    let t2 = a.device("k2").await;
    let mut first = row("u1", 6, NOW - 900, "k1", "Ann Åberg", "111111");
    (first["entrance"], first["heads"]) = (json!("sisters"), json!(2));
    let body =
        json!({"signins": [first], "exits": [exit_row("x1", 6, NOW - 600, "k1", Some("u1"))]});
    let r = a.send(json_req("/api/v1/signins", &t1, &body)).await;
    assert_eq!(r.json()["stored"], json!(["u1", "x1"]), "{}", r.text());
    let mut back = row("u2", 6, NOW - 300, "k2", "Ann Åberg", "111111");
    (back["entrance"], back["heads"], back["reentry"]) = (json!("sisters"), json!(2), json!(true));
    let mut bad = row("u3", 7, NOW - 300, "k2", "Bo", "2");
    bad["reentry"] = json!("Zoë");
    let r = a
        .send(json_req(
            "/api/v1/signins",
            &t2,
            &json!({"signins": [back, bad]}),
        ))
        .await;
    let j = r.json();
    assert_eq!(j["stored"], json!(["u2"]), "{j}");
    assert_eq!(
        j["refused"][0]["reason"],
        json!("malformed sign-in: reentry must be true or false"),
        "{j}"
    );
    assert!(
        a.state.store.double_uses(10).await.unwrap().is_empty(),
        "no double use"
    );
    let used = a.send(bearer_get("/api/v1/used", &t2)).await.json();
    assert_eq!(used["used"].as_array().unwrap().len(), 1, "{used}");
    assert_eq!(
        (&used["used"][0]["first_at"], &used["used"][0]["device_id"]),
        (&json!(NOW - 900), &json!("k1")),
        "the first use stays k1's: {used}"
    );
    let used = a.send(bearer_get("/api/v1/used", &t1)).await.json();
    assert_eq!(used["used"], json!([]), "k2 recorded no use: {used}");
    let (cookie, _) = a.admin().await;
    let html = a.send(cookie_get("/admin/inside", &cookie)).await.text();
    assert!(
        html.contains("<tr><td>sisters</td><td>2</td><td>1</td></tr>"),
        "{html}"
    );
    let html = a.send(cookie_get("/admin/roll-call", &cookie)).await.text();
    assert!(
        html.contains("<b>2</b> people inside on 1 passes"),
        "{html}"
    );
    assert!(
        html.contains(
            "<td>Ann Åberg</td><td>111111</td><td>2027-01-15 07:55 UTC</td><td>k2</td><td>2</td>"
        ),
        "{html}"
    );
    // Her exit through k1 closes the re-entry's stay.
    let out = json!({"signins": [], "exits": [exit_row("x2", 6, NOW - 60, "k1", Some("u2"))]});
    let r = a.send(json_req("/api/v1/signins", &t1, &out)).await;
    assert_eq!(r.json()["stored"], json!(["x2"]), "{}", r.text());
    let stays = common::stay_rows(&b.store).await;
    assert_eq!(
        stays
            .iter()
            .map(|s| (s.0.as_str(), s.4))
            .collect::<Vec<_>>(),
        [("u1", Some(NOW - 600)), ("u2", Some(NOW - 60))]
    );
    let html = a.send(cookie_get("/admin/roll-call", &cookie)).await.text();
    assert!(!html.contains("Åberg"), "left: not on the roll call");
}

#[tokio::test]
async fn an_upload_whose_exits_are_no_array_or_too_many_is_refused_whole() {
    let (_b, a) = sqlite_app().await;
    let tok = a.device("k1").await;
    let many: Vec<_> = (0..1001)
        .map(|i| exit_row(&format!("x{i}"), 1, NOW, "k1", None))
        .collect();
    for (body, want) in [
        (
            json!({"signins": [], "exits": {"a": 1}}),
            "exits must be a JSON array",
        ),
        (
            json!({"signins": [], "exits": many}),
            "at most 1000 exits per upload",
        ),
    ] {
        let r = a.send(json_req("/api/v1/signins", &tok, &body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        assert_eq!(r.json()["error"], json!(want));
    }
}

// ---- the door's pages ----

/// Uploads sign-ins through the API as kiosk `device` (entrance and head count set as the
/// kiosk's upload will carry them; see `common::set_entry`).
async fn door_signins(a: &TestApp, device: &str, rows: &[(&str, u8, i64, &str, &str, &str, i64)]) {
    let tok = a.device(device).await;
    let body: Vec<_> = rows
        .iter()
        .map(|(id, pass, at, name, phone, _, _)| row(id, *pass, *at, device, name, phone))
        .collect();
    let r = a
        .send(json_req("/api/v1/signins", &tok, &json!({"signins": body})))
        .await;
    assert_eq!(
        r.json()["stored"].as_array().unwrap().len(),
        rows.len(),
        "{}",
        r.text()
    );
    for (id, _, _, _, _, entrance, heads) in rows {
        common::set_entry(&a.state.store, id, entrance, *heads).await;
    }
}

#[tokio::test]
async fn inside_now_counts_heads_per_entrance_reloads_itself_and_shows_each_kiosks_last_upload() {
    let (_b, a) = sqlite_app().await;
    door_signins(
        &a,
        "north",
        &[
            ("n1", 1, NOW - 600, "Ann Åberg", "111111", "brothers", 3),
            ("n2", 2, NOW - 500, "Bob", "222222", "brothers", 1),
            ("n3", 3, NOW - 400, "Cy", "333333", "sisters", 2),
            // yesterday's stay whose exit never came: past the inside window
            ("n4", 4, NOW - 20 * 3600, "Old", "444444", "sisters", 5),
        ],
    )
    .await;
    common::close_stay(&a.state.store, "n2", NOW - 60, "scan").await;
    a.device("south").await;
    a.clock.advance(300);
    let (cookie, _) = a.admin().await;
    // Reloading itself only when asked to (WCAG 2.2.1: a page that changes by itself must let
    // its reader stop it): the page links to the reloading one and back.
    let still = a.send(cookie_get("/admin/inside", &cookie)).await.text();
    assert!(!still.contains("http-equiv=\"refresh\""), "{still}");
    assert!(
        still.contains("href=\"/admin/inside?reload=on\""),
        "{still}"
    );
    let r = a.send(cookie_get("/admin/inside?reload=on", &cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains("<meta http-equiv=\"refresh\" content=\"30\">"),
        "{html}"
    );
    assert!(!html.contains("<script"), "no JavaScript");
    assert!(
        html.contains("<tr><td>brothers</td><td>3</td><td>1</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><td>sisters</td><td>2</td><td>1</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<th>Total</th><th>5</th><th>2</th>"),
        "{html}"
    );
    // the kiosk that uploaded 5 minutes ago, and one that never did
    assert!(
        html.contains("<td>north</td><td>2027-01-15 08:00 UTC (5 min ago)</td>"),
        "{html}"
    );
    assert!(html.contains("<td>south</td><td>never</td>"), "{html}");
    // A name no random token on the page (the CSRF token is ASCII) can hold by chance.
    assert!(
        !html.contains("Åberg"),
        "no names on the counts page: {html}"
    );
    assert!(a.state.store.audit_log(10).await.unwrap().is_empty());
}

/// A viewer sees the counts without links to the pages with names (the roll call, a day's
/// sign-ins), which would only answer 403; a tracer gets the links.
#[tokio::test]
async fn a_viewers_counts_pages_do_not_link_to_the_pages_with_names() {
    use usher_server::team::Role;
    let (_b, a) = sqlite_app().await;
    door_signins(
        &a,
        "north",
        &[("v1", 1, NOW - 600, "Ann", "111111", "brothers", 2)],
    )
    .await;
    for (role, linked) in [(Role::Viewer, false), (Role::Tracer, true)] {
        let (cookie, _) = a
            .member(&format!("{}@example.org", role.as_str()), role)
            .await;
        let inside = a.send(cookie_get("/admin/inside", &cookie)).await;
        assert_eq!(inside.status, StatusCode::OK);
        let html = inside.text();
        assert!(html.contains("<td>brothers</td><td>2</td>"), "{html}");
        assert_eq!(
            html.contains("<a href=\"/admin/roll-call.csv\">"),
            linked,
            "{}: {html}",
            role.as_str()
        );
        let home = a.send(cookie_get("/admin", &cookie)).await;
        assert_eq!(home.status, StatusCode::OK);
        let html = home.text();
        assert!(html.contains("<h2>Sign-ins by day</h2>"), "{html}");
        assert_eq!(
            html.contains("<a href=\"/admin/day?date="),
            linked,
            "{}: {html}",
            role.as_str()
        );
    }
}

#[tokio::test]
async fn the_roll_call_lists_who_is_inside_per_entrance_prints_and_its_csv_is_defused() {
    let (_b, a) = sqlite_app().await;
    door_signins(
        &a,
        "k1",
        &[
            (
                "r1",
                1,
                NOW - 900,
                "فاطمة الزهراء",
                "+971 4 000 0000",
                "sisters",
                3,
            ),
            (
                "r2",
                2,
                NOW - 800,
                "=HYPERLINK(\"x\")",
                "07700 900002",
                "brothers",
                1,
            ),
            (
                "r3",
                3,
                NOW - 700,
                "Gone Home",
                "07700 900003",
                "brothers",
                1,
            ),
        ],
    )
    .await;
    common::close_stay(&a.state.store, "r3", NOW - 100, "auto").await;
    let (cookie, _) = a.admin().await;
    let r = a.send(cookie_get("/admin/roll-call", &cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains("<b>4</b> people inside on 2 passes"),
        "{html}"
    );
    let brothers = html.find("<h2>brothers: 1 people</h2>").unwrap();
    let sisters = html.find("<h2>sisters: 3 people</h2>").unwrap();
    assert!(brothers < sisters, "entrances in order");
    assert!(html.contains("<td>=HYPERLINK(&quot;x&quot;)</td><td>07700 900002</td><td>2027-01-15 07:46 UTC</td><td>k1</td><td>1</td>"), "{html}");
    assert!(html.contains("فاطمة الزهراء"));
    assert!(!html.contains("Gone Home"), "left: not on the roll call");
    assert!(html.contains("Kiosks&#39; last uploads") || html.contains("Kiosks' last uploads"));
    // printable: the stylesheet hides navigation and forms on paper
    let css = a
        .send(req("GET", "/static/style.css").body(Body::empty()).unwrap())
        .await
        .text();
    assert!(
        css.contains("@media print{nav,form,.noprint{display:none}"),
        "{css}"
    );
    let r = a.send(cookie_get("/admin/roll-call.csv", &cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(
        r.header("content-disposition").as_deref(),
        Some("attachment; filename=\"usher-roll-call.csv\"")
    );
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let csv = r.text();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines,
        [
            "entrance,name,phone,inside_since_utc,kiosk,heads",
            "\"brothers\",\"'=HYPERLINK(\"\"x\"\")\",\"07700 900002\",\"2027-01-15 07:46 UTC\",\"k1\",\"1\"",
            "\"sisters\",\"فاطمة الزهراء\",\"'+971 4 000 0000\",\"2027-01-15 07:45 UTC\",\"k1\",\"3\"",
            "",
        ]
    );
    let log = a.state.store.audit_log(10).await.unwrap();
    let got: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("export", "CSV of the roll call: 2 stays"),
            ("view", "roll call: 2 stays")
        ]
    );
}

#[tokio::test]
async fn the_admin_home_draws_the_day_per_entrance_as_svg_beside_its_figures_and_days_show_heads_and_stays()
 {
    let (_b, a) = sqlite_app().await;
    // NOW is 08:00 UTC
    door_signins(
        &a,
        "k1",
        &[
            ("d1", 1, NOW - 3600, "Ann", "111111", "main", 4),
            ("d2", 2, NOW - 3000, "Bob", "222222", "main", 1),
            ("d3", 3, NOW - 1800, "Cy", "333333", "balcony", 2),
        ],
    )
    .await;
    common::close_stay(&a.state.store, "d2", NOW - 600, "scan").await;
    common::close_stay(&a.state.store, "d3", NOW - 60, "auto").await;
    let (cookie, _) = a.admin().await;
    let r = a.send(cookie_get("/admin", &cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("<h2>2027-01-15 at a glance</h2>"), "{html}");
    assert_eq!(html.matches("<svg ").count(), 2, "one chart per entrance");
    assert!(
        !html.contains("<script") && !html.contains("style="),
        "no JavaScript, no inline style"
    );
    let main = html.find("<h3>main</h3>").unwrap();
    let balcony = html.find("<h3>balcony</h3>").unwrap();
    assert!(balcony < main, "entrances by name");
    // the figures beside the main chart: 07:00 Ann's 4, 07:10 Bob, 5 inside at most until he
    // left at 07:50, 4 since
    let figures = &html[main..];
    assert!(
        figures.contains("<tr><td>07:00–07:15</td><td>5</td><td>5</td></tr>"),
        "{figures}"
    );
    assert!(
        figures.contains("<tr><td>08:00–08:15</td><td>0</td><td>4</td></tr>"),
        "{figures}"
    );
    assert!(
        figures.contains("<title id=\"chart1\">main, 2027-01-15: arrivals per quarter hour"),
        "{figures}"
    );
    // sign-ins by day: head counts, entrances, how stays ended
    assert!(
        html.contains(
            "<td>balcony</td><td>1</td><td>2</td><td>0</td><td>1</td><td>0</td><td>–</td>"
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "<td>main</td><td>2</td><td>5</td><td>1</td><td>0</td><td>1</td><td>40 min</td>"
        ),
        "{html}"
    );
    // another day, and a bad one
    let r = a.send(cookie_get("/admin?date=2027-01-14", &cookie)).await;
    assert!(r.text().contains("No sign-ins on this day."));
    let r = a.send(cookie_get("/admin?date=2027-02-30", &cookie)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(!r.text().contains("2027-02-30"), "the value is not echoed");
}

#[tokio::test]
async fn tracing_uses_real_exits_marks_auto_exits_and_falls_back_to_the_default_stay() {
    let (_b, a) = sqlite_app().await;
    door_signins(
        &a,
        "k1",
        &[
            // the person: in at NOW, out by a scan three hours later
            ("v1", 1, NOW, "Zoë Smith", "+44 7700 900001", "main", 1),
            // came two hours after her, left by a scan: there with her (a default stay of 60
            // minutes from her entry would have missed them)
            (
                "late",
                2,
                NOW + 2 * 3600,
                "Late Comer",
                "07700 900002",
                "main",
                2,
            ),
            // left 20 minutes before she came (outside 15 minutes): not there with her
            (
                "early",
                3,
                NOW - 1800,
                "Early Bird",
                "07700 900003",
                "main",
                1,
            ),
            // signed out automatically: there, its exit an estimate
            (
                "auto",
                4,
                NOW + 600,
                "Auto Out",
                "07700 900004",
                "balcony",
                1,
            ),
            // no exit known: the default stay
            ("open", 5, NOW + 1200, "No Exit", "07700 900005", "main", 1),
        ],
    )
    .await;
    let s = &a.state.store;
    common::close_stay(s, "v1", NOW + 3 * 3600, "scan").await;
    common::close_stay(s, "late", NOW + 4 * 3600, "scan").await;
    common::close_stay(s, "early", NOW - 1200, "scan").await;
    common::close_stay(s, "auto", NOW + 5400, "auto").await;
    let (cookie, _) = a.admin().await;
    let r = a
        .send(cookie_get(
            "/admin/trace?by=name&q=zo%C3%AB+smith&minutes=15&stay=60",
            &cookie,
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("Others there (3)"), "{html}");
    assert!(html.contains("Late Comer") && html.contains("Auto Out") && html.contains("No Exit"));
    assert!(!html.contains("Early Bird"), "{html}");
    assert!(
        html.contains("<td>2027-01-15 11:00 UTC</td><td>main</td><td>1</td>"),
        "her real exit: {html}"
    );
    assert!(
        html.contains("2027-01-15 09:30 UTC (estimate: automatic sign-out)"),
        "{html}"
    );
    assert!(
        html.contains("2027-01-15 09:20 UTC (estimate: no exit known, default stay)"),
        "{html}"
    );
    let r = a
        .send(cookie_get(
            "/admin/export.csv?what=trace&by=name&q=zo%C3%AB+smith&minutes=15&stay=60",
            &cookie,
        ))
        .await;
    let csv = r.text();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "signed_in_utc,kiosk,name,phone,email,left_utc,left,entrance,heads"
    );
    assert!(lines.contains(&"\"2027-01-15 10:00 UTC\",\"k1\",\"Late Comer\",\"07700 900002\",\"\",\"2027-01-15 12:00 UTC\",\"exit scanned\",\"main\",\"2\""), "{csv}");
    assert!(
        csv.contains("\"estimate: automatic sign-out\",\"balcony\""),
        "{csv}"
    );
    assert_eq!(lines.len(), 5, "her visit and three others: {csv}");
}

#[tokio::test]
async fn the_visitor_form_asks_for_the_party_size_and_puts_p_in_the_pass() {
    let b = common::sqlite().await;
    let a = common::app_with(&b, |c| {
        c.largest_party = usher_core::stay::PartySize::new(4).unwrap();
    });
    let page = a.send(req("GET", "/").body(Body::empty()).unwrap()).await;
    let html = page.text();
    assert!(
        html.contains("<select name=\"party\"><option value=\"1\" selected>1</option>"),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"4\">4</option></select>"),
        "{html}"
    );
    assert!(
        !html.contains("value=\"5\""),
        "no more than the venue's largest party"
    );
    let (cookie, csrf) = form_csrf(&page);
    let pass = common::pass_text_of;
    let rules = usher_testkit::public_key_rules(
        a.state.keys.signing.verifying_key(),
        usher_core::SchemeSet::ALL,
        "k",
    );
    let party_of = |text: &str| {
        let mut ledger = usher_core::MemoryLedger::new();
        match usher_core::judge(text, &rules, usher_core::Now::utc(NOW), &mut ledger).unwrap() {
            usher_core::Verdict::Accepted { pass } => pass.payload.party.get(),
            v => panic!("not accepted: {v:?}"),
        }
    };
    let form =
        |party: &str| format!("csrf={csrf}&name=Ann&phone=%2B44+20+7946+0000&consent=yes{party}");
    let r = a.send(form_post("/", &cookie, &form("&party=3"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = pass(&r.text());
    assert!(text.contains("%22p%22%3A3"), "{text}");
    assert_eq!(party_of(&text), 3);
    // left out (an older form), or 1: no `p`, a party of one
    for party in ["", "&party=1"] {
        let r = a.send(form_post("/", &cookie, &form(party))).await;
        let text = pass(&r.text());
        assert!(!text.contains("%22p%22"), "{text}");
        assert_eq!(party_of(&text), 1);
    }
    for bad in ["0", "5", "21", "2.5", "%3Cb%3Ex"] {
        let r = a
            .send(form_post("/", &cookie, &form(&format!("&party={bad}"))))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        let html = r.text();
        let error = html
            .split("<p class=\"error\">")
            .nth(1)
            .unwrap()
            .split("</p>")
            .next()
            .unwrap();
        assert_eq!(
            error, "The party size must be a whole number from 1 to 4.",
            "{bad}"
        );
        assert!(!html.contains("<b>x"), "{bad}: the value is not echoed");
    }
}

/// The `Set-Cookie` values of an answer that set the language cookie.
fn lang_cookies(r: &common::Answer) -> Vec<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .filter(|v| v.starts_with("usher_lang="))
        .collect()
}

#[tokio::test]
async fn pages_speak_the_language_asked_for_the_menu_sets_a_lax_cookie_and_the_api_stays_english() {
    use usher_i18n::{Lang, text};
    let (_b, a) = sqlite_app().await;
    let get = |uri: &str, accept: &str| {
        req("GET", uri)
            .header("accept-language", accept)
            .body(Body::empty())
            .unwrap()
    };

    // Accept-Language: the form in Arabic, right to left; no cookie is set for that.
    let r = a.send(get("/", "ar-EG,ar;q=0.9,en;q=0.5")).await;
    let html = r.text();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    assert!(html.contains(&text(Lang::Ar, "web-form-submit")), "{html}");
    assert!(html.contains("<nav class=\"langs\""), "{html}");
    assert_eq!(lang_cookies(&r), Vec::<String>::new());

    // The language menu's link: French, and the cookie that keeps it (Lax: not a secret).
    let r = a.send(get("/?lang=fr", "ar")).await;
    assert!(r.text().contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert_eq!(
        lang_cookies(&r),
        ["usher_lang=fr; Path=/; SameSite=Lax; Max-Age=31536000"]
    );

    // With the cookie, the form's refusal is in French though the browser asks for Arabic.
    let (csrf_cookie, csrf) = form_csrf(&r);
    let body = common::form_body(&[
        ("csrf", &csrf),
        ("name", "Ann"),
        ("phone", "12"),
        ("consent", "yes"),
    ]);
    let refused = a
        .send(
            req("POST", "/")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", format!("{csrf_cookie}; usher_lang=fr"))
                .header("accept-language", "ar")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.text().contains(&format!(
            "<p class=\"error\">{}</p>",
            text(Lang::Fr, "web-error-phone")
        )),
        "{}",
        refused.text()
    );

    // An error page is drawn in the request's language; an API error stays English JSON.
    let missing = a.send(get("/no-such-page", "ur")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let html = missing.text();
    assert!(html.contains("<html lang=\"ur\" dir=\"rtl\">"), "{html}");
    assert!(
        html.contains(&text(Lang::Ur, "web-error-not-found")),
        "{html}"
    );
    let api = a.send(get("/api/v1/no-such-thing", "ar")).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.text(), r#"{"error":"no such endpoint"}"#);

    // A code Usher does not speak is ignored: English, and no cookie.
    let r = a.send(get("/?lang=de", "")).await;
    assert!(r.text().contains("<html lang=\"en\" dir=\"ltr\">"));
    assert_eq!(lang_cookies(&r), Vec::<String>::new());
}
