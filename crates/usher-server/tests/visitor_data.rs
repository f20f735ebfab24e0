//! Compact passes and a visitor's own data (DESIGN §9), through the router without sockets
//! (`router(state).oneshot(...)`): the form's pass carries no phone or e-mail, tracing and the
//! export find them through the registration, the purge keeps what tracing inside the window
//! needs, and `/me` shows, cancels and deletes (revoking the pass in the used feed), audited
//! without contact data, rate-limited and CSRF-checked like the form.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use base64::Engine as _;
use common::{
    Backend, NOW, TestApp, app, bearer_get, cookie_get, form_body, form_csrf, form_post, json_req,
    pass_text_of, req,
};
use serde_json::json;
use usher_core::issue::{PassSpec, pass_text};
use usher_core::{PassId, Signer};

/// The payload JSON of a pass text (its `j`, decoded).
fn payload_of(text: &str) -> serde_json::Value {
    let j = text.split("&j=").nth(1).unwrap();
    let bytes = usher_core::form::decode(j).bytes;
    serde_json::from_slice(&bytes).unwrap()
}

/// A pass from the visitor form: (pass text, pass page HTML).
async fn form_pass(a: &TestApp, name: &str, phone: &str, email: &str) -> (String, String) {
    let page = a.send(req("GET", "/").body(Body::empty()).unwrap()).await;
    let (cookie, csrf) = form_csrf(&page);
    let body = form_body(&[
        ("csrf", &csrf),
        ("name", name),
        ("phone", phone),
        ("email", email),
        ("consent", "yes"),
    ]);
    let r = a.send(form_post("/", &cookie, &body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    (pass_text_of(&html), html)
}

/// A kiosk's sign-in of a compact pass: only the name, and the pass's `r`.
fn compact_row(id: &str, text: &str, at: i64, name: &str) -> serde_json::Value {
    let p = payload_of(text);
    let j = text.split("&j=").nth(1).unwrap();
    let pass_id = PassId::of(&usher_core::form::decode(j).bytes);
    json!({
        "id": id,
        "pass_id": pass_id.to_hex(),
        "scanned_at": at,
        "device_id": "k1",
        "fields": {"s1": name},
        "registration": p["r"],
    })
}

#[tokio::test]
async fn a_form_pass_carries_only_the_name_and_r_and_its_registration_keeps_the_rest_sealed() {
    let b = common::sqlite().await;
    let a = app(&b);
    let (text, html) = form_pass(&a, "Zoë Smith", "+44 7700 900123", "zoe@example.org").await;
    let p = payload_of(&text);
    let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["expiry", "n", "r", "s1"], "{p}");
    assert_eq!(p["s1"], "Zoë Smith");
    let r = p["r"].as_str().unwrap();
    assert_eq!(r.len(), 12, "short: {r}");
    assert!(
        r.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    );
    assert!(!text.contains("7700") && !text.contains("example.org"));
    // the registration holds phone and e-mail, sealed under its id, for the pass it made
    let g = a.state.store.registration(r).await.unwrap().unwrap();
    let j = text.split("&j=").nth(1).unwrap();
    assert_eq!(g.pass_id, PassId::of(&usher_core::form::decode(j).bytes).0);
    assert_eq!(g.valid_until, p["expiry"].as_i64().unwrap());
    assert_eq!((g.party, g.event_id, g.cancelled_at), (1, None, None));
    let plain = a.state.keys.vault.open(r.as_bytes(), &g.contact).unwrap();
    let fields: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(
        fields,
        json!({"s1": "Zoë Smith", "s2": "+44 7700 900123", "s3": "zoe@example.org"})
    );
    assert!(!String::from_utf8_lossy(&g.contact).contains("7700"));
    // the pass page links to /me with the pass in the fragment only
    let link = format!("/me#{}", usher_core::form::encode(text.as_bytes()));
    assert!(html.contains(&link.replace('&', "&amp;")), "{html}");
    // two passes, two registrations
    let (other, _) = form_pass(&a, "Zoë Smith", "+44 7700 900123", "").await;
    assert_ne!(payload_of(&other)["r"], p["r"]);
}

#[tokio::test]
async fn tracing_the_export_and_the_roll_call_find_a_compact_pass_by_phone_through_its_registration()
 {
    let b = common::sqlite().await;
    let a = app(&b);
    let tok = a.device("k1").await;
    let (zoe, _) = form_pass(&a, "Zoë Smith", "+44 7700 900001", "zoe@example.org").await;
    let (bob, _) = form_pass(&a, "Bob Jones", "07700 900002", "").await;
    let rows = json!({"signins": [
        compact_row("v1", &zoe, NOW, "Zoë Smith"),
        compact_row("o1", &bob, NOW + 10 * 60, "Bob Jones"),
        // an old full pass, contact data in the sign-in itself: works as before
        common::row("o2", 9, NOW + 20 * 60, "k1", "Carol", "07700 900003"),
    ]});
    let r = a.send(json_req("/api/v1/signins", &tok, &rows)).await;
    assert_eq!(
        r.json()["stored"],
        json!(["v1", "o1", "o2"]),
        "{}",
        r.text()
    );
    let (cookie, _) = a.admin().await;
    let get = |uri: &str| cookie_get(uri, &cookie);
    let html = a
        .send(get("/admin/find?by=phone&q=447700900001"))
        .await
        .text();
    assert!(html.contains("<p>1 sign-ins.</p>"), "{html}");
    assert!(html.contains("+44 7700 900001") && html.contains("zoe@example.org"));
    let html = a
        .send(get(
            "/admin/trace?by=email&q=ZOE%40example.org&minutes=30&stay=60",
        ))
        .await
        .text();
    assert!(
        html.contains("Visits (1)") && html.contains("Others there (2)"),
        "{html}"
    );
    assert!(
        html.contains("07700 900002"),
        "Bob's phone from his registration"
    );
    let csv = a
        .send(get(
            "/admin/export.csv?what=trace&by=phone&q=447700900001&minutes=30&stay=60",
        ))
        .await
        .text();
    assert!(
        csv.contains("\"Zoë Smith\",\"'+44 7700 900001\",\"zoe@example.org\""),
        "{csv}"
    );
    assert!(csv.contains("\"Bob Jones\",\"07700 900002\""), "{csv}");
    assert!(csv.contains("\"Carol\",\"07700 900003\""), "{csv}");
    let roll = a.send(get("/admin/roll-call.csv")).await.text();
    assert!(roll.contains("07700 900002"), "{roll}");
}

async fn the_purge_keeps_registrations_tracing_needs(b: &Backend) {
    let a = app(b);
    let s = &a.state.store;
    let v = &a.state.keys.vault;
    let reg = |id: &str, valid_until: i64| {
        let sealed = v
            .seal_fields(
                id,
                &[("s2".to_owned(), "07700 900001".to_owned())]
                    .into_iter()
                    .collect(),
            )
            .unwrap();
        usher_server::store::registrations::NewRegistration {
            id: id.into(),
            created_at: NOW - 40 * 86_400,
            valid_until,
            pass_id: [id.as_bytes()[0]; 32],
            contact: sealed.contact,
            name_bi: None,
            phone_bi: sealed.phone_bi,
            email_bi: None,
            party: 1,
            event_id: None,
            entrance: None,
        }
    };
    // valid still; expired long ago with a sign-in inside the window; expired long ago with
    // one only outside it; expired long ago with none; expired yesterday with none (an event's
    // booking nobody came for: kept for the window, beside the event's arrivals)
    let long_ago = NOW - 25 * 86_400;
    s.create_registration(&reg("valid", NOW + 86_400))
        .await
        .unwrap();
    s.create_registration(&reg("kept", long_ago)).await.unwrap();
    s.create_registration(&reg("old", long_ago)).await.unwrap();
    s.create_registration(&reg("none", long_ago)).await.unwrap();
    s.create_registration(&reg("recent", NOW - 86_400))
        .await
        .unwrap();
    let mut inside = common::signin(v, "in", 1, NOW - 2 * 86_400, "k1", "Ann", "");
    inside.registration = Some("kept".into());
    let mut outside = common::signin(v, "out", 2, NOW - 30 * 86_400, "k1", "Bob", "");
    outside.registration = Some("old".into());
    s.ingest(0, &[inside, outside], NOW).await.unwrap();
    let purged = s.purge(NOW - 21 * 86_400, NOW).await.unwrap();
    assert_eq!((purged.signins, purged.registrations), (1, 2));
    for (id, there) in [
        ("valid", true),
        ("kept", true),
        ("old", false),
        ("none", false),
        ("recent", true),
    ] {
        assert_eq!(
            s.registration(id).await.unwrap().is_some(),
            there,
            "{id}: {}",
            s.backend()
        );
    }
    // the sign-in inside the window still finds its phone through the registration
    let bi = v
        .blind_index(usher_server::crypto::IndexKind::Phone, "07700900001")
        .unwrap();
    let found = s
        .stays_by_index(
            usher_server::store::IndexColumn::Phone,
            &bi,
            0,
            i64::MAX,
            10,
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].sid, "in");
    assert!(found[0].registration_contact.is_some());
}
on_both!(
    the_purge_keeps_registrations_tracing_needs_sqlite,
    the_purge_keeps_registrations_tracing_needs_postgres,
    the_purge_keeps_registrations_tracing_needs
);

/// `/me`'s form: its CSRF cookie and field.
async fn me_csrf(a: &TestApp) -> (String, String) {
    let page = a.send(req("GET", "/me").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    form_csrf(&page)
}

async fn me_post(a: &TestApp, path: &str, pass: &str, extra: &[(&str, &str)]) -> common::Answer {
    let (cookie, csrf) = me_csrf(a).await;
    let mut fields = vec![("csrf", csrf.as_str()), ("pass", pass)];
    fields.extend_from_slice(extra);
    a.send(form_post(path, &cookie, &form_body(&fields))).await
}

#[tokio::test]
async fn me_shows_a_visitors_data_masked_and_audits_the_view_without_contact_data() {
    let b = common::sqlite().await;
    let a = app(&b);
    let page = a.send(req("GET", "/me").body(Body::empty()).unwrap()).await;
    let html = page.text();
    assert!(
        html.contains("<script src=\"/static/me.js\"></script>"),
        "{html}"
    );
    assert!(html.contains("name=\"pass\""));
    let js = a
        .send(req("GET", "/static/me.js").body(Body::empty()).unwrap())
        .await;
    assert!(js.text().contains("location.hash") && js.text().contains("replaceState"));
    let tok = a.device("k1").await;
    let (text, _) = form_pass(&a, "Zoë Smith", "+44 7700 900123", "zoe@example.org").await;
    let rows = json!({"signins": [compact_row("v1", &text, NOW - 3600, "Zoë Smith")]});
    a.send(json_req("/api/v1/signins", &tok, &rows)).await;
    let r = me_post(&a, "/me", &text, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("Zoë Smith"));
    assert!(html.contains("+•• •••• ••••23"), "masked phone: {html}");
    assert!(html.contains("z•••@example.org"));
    assert!(!html.contains("7700 900123") && !html.contains("zoe@"));
    assert!(
        html.contains(&usher_server::http::fmt_time(NOW - 3600)),
        "the visit"
    );
    assert!(html.contains("action=\"/me/delete\""));
    assert!(!html.contains("action=\"/me/cancel\""), "no reservation");
    // in Arabic, right to left
    let (cookie, csrf) = me_csrf(&a).await;
    let ar = a
        .send(
            req("POST", "/me")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", &cookie)
                .header("accept-language", "ar")
                .body(Body::from(form_body(&[("csrf", &csrf), ("pass", &text)])))
                .unwrap(),
        )
        .await;
    assert!(ar.text().contains("dir=\"rtl\"") && ar.text().contains("بياناتك"));
    let log = a.state.store.audit_log(10).await.unwrap();
    assert_eq!(log[0].action, "me-view");
    assert!(log.iter().all(|e| !e.detail.contains("Zo")
        && !e.detail.contains("7700")
        && !e.detail.contains(payload_of(&text)["r"].as_str().unwrap())));
}

#[tokio::test]
async fn me_refuses_a_forged_pass_a_missing_csrf_and_too_many_requests() {
    let b = common::sqlite().await;
    let a = app(&b);
    let (text, _) = form_pass(&a, "Ann", "12345 678", "").await;
    // another organiser's signature: not this venue's pass, and nothing is echoed
    let other = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let forged = pass_text(
        "usher://p",
        r#"{"s1":"<b>Eve","expiry":1900000000,"r":"x","n":"a"}"#,
        &Signer::Ed25519(other),
    );
    let r = me_post(&a, "/me", &forged, &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("not a pass from this venue"));
    assert!(!r.text().contains("<b>Eve"));
    let r = me_post(&a, "/me", "", &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // no CSRF cookie
    let r = a
        .send(form_post(
            "/me",
            "",
            &form_body(&[("csrf", "x"), ("pass", &text)]),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // 10 a minute from one address, like the form (3 used above)
    let mut last = StatusCode::OK;
    for _ in 0..8 {
        last = me_post(&a, "/me", &text, &[]).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    a.clock.advance(61);
    assert_eq!(me_post(&a, "/me", &text, &[]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_picture_of_the_pass_is_decoded_on_the_server_and_a_bad_one_is_refused() {
    let b = common::sqlite().await;
    let a = app(&b);
    let (text, html) = form_pass(&a, "محمد علي", "12345 678", "").await;
    let at = html.find("src=\"data:image/png;base64,").unwrap() + 27;
    let b64 = html[at..].split('"').next().unwrap();
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let (cookie, csrf) = me_csrf(&a).await;
    let upload = |body: Vec<u8>, token: &str| {
        req("POST", "/me/picture")
            .header("content-type", "image/png")
            .header("cookie", &cookie)
            .header(usher_server::me::CSRF_HEADER, token.to_owned())
            .body(Body::from(body))
            .unwrap()
    };
    let r = a.send(upload(png.clone(), &csrf)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["pass"], json!(text));
    let r = a.send(upload(png.clone(), "wrong")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = a
        .send(upload(b"not a picture at all".to_vec(), &csrf))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["error"].as_str().unwrap().contains("PNG or JPEG"));
    // a picture with no code in it
    let blank = image::GrayImage::from_pixel(200, 200, image::Luma([255]));
    let mut bytes = Vec::new();
    blank
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    let r = a.send(upload(bytes, &csrf)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // over the size limit: refused before it is read
    let r = a
        .send(upload(vec![0; usher_server::me::PICTURE_LIMIT + 1], &csrf))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn deleting_everything_empties_the_contact_data_revokes_the_pass_and_the_feed_says_so() {
    let b = common::sqlite().await;
    let a = app(&b);
    let tok = a.device("k1").await;
    let (text, _) = form_pass(&a, "Zoë Smith", "+44 7700 900123", "zoe@example.org").await;
    let r = payload_of(&text)["r"].as_str().unwrap().to_owned();
    let rows = json!({"signins": [compact_row("v1", &text, NOW - 3600, "Zoë Smith")]});
    a.send(json_req("/api/v1/signins", &tok, &rows)).await;
    let feed = a.send(bearer_get("/api/v1/used", &tok)).await.json();
    assert_eq!(feed.get("revoked"), None, "nothing revoked yet: {feed}");
    let next = feed["next"].as_str().unwrap().to_owned();
    // without the confirmation box: nothing happens
    let no = me_post(&a, "/me/delete", &text, &[]).await;
    assert_eq!(no.status, StatusCode::BAD_REQUEST);
    assert!(!a.state.store.is_revoked(&pass_id(&text).0).await.unwrap());
    let done = me_post(&a, "/me/delete", &text, &[("confirm", "yes")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert!(done.text().contains("Your data was deleted"));
    assert!(done.text().contains("Your contact details were deleted"));
    let g = a.state.store.registration(&r).await.unwrap().unwrap();
    assert!(g.contact.is_empty() && g.cancelled_at == Some(NOW));
    let stays = a
        .state
        .store
        .visitor_stays(Some(&r), &pass_id(&text).0, 10)
        .await
        .unwrap();
    assert_eq!(stays.len(), 1, "the visit is still counted");
    assert!(stays[0].contact.is_empty(), "but holds no contact data");
    // tracing no longer finds her
    let (cookie, _) = a.admin().await;
    let html = a
        .send(cookie_get("/admin/find?by=phone&q=447700900123", &cookie))
        .await
        .text();
    assert!(html.contains("<p>0 sign-ins.</p>"), "{html}");
    // kiosks hear of the revocation from where their cursor was
    let page = a
        .send(bearer_get(
            &format!("/api/v1/used?since={}", common_encode(&next)),
            &tok,
        ))
        .await
        .json();
    assert_eq!(
        page["revoked"],
        json!([{"pass_id": pass_id(&text).to_hex(), "valid_until": g.valid_until}])
    );
    let again = a
        .send(bearer_get(
            &format!(
                "/api/v1/used?since={}",
                common_encode(page["next"].as_str().unwrap())
            ),
            &tok,
        ))
        .await
        .json();
    assert_eq!(again.get("revoked"), None, "once: {again}");
    // an old kiosk's cursor (u1.N) gets every revocation
    let old = a
        .send(bearer_get("/api/v1/used?since=u1.0", &tok))
        .await
        .json();
    assert_eq!(old["revoked"].as_array().unwrap().len(), 1);
    let log = a.state.store.audit_log(10).await.unwrap();
    let delete = log.iter().find(|e| e.action == "me-delete").unwrap();
    assert!(
        delete.detail.contains("1 registrations and 1 sign-ins"),
        "{}",
        delete.detail
    );
    assert!(
        log.iter()
            .all(|e| !e.detail.contains("7700") && !e.detail.contains(&r))
    );
    // the page still opens for the revoked pass, and says so
    let html = me_post(&a, "/me", &text, &[]).await.text();
    assert!(html.contains("This pass was revoked"));
}

fn pass_id(text: &str) -> PassId {
    let j = text.split("&j=").nth(1).unwrap();
    PassId::of(&usher_core::form::decode(j).bytes)
}

fn common_encode(s: &str) -> String {
    usher_core::form::encode(s.as_bytes())
}

#[tokio::test]
async fn a_visitor_cancels_a_reservation_and_its_pass_is_revoked() {
    let b = common::sqlite().await;
    let a = app(&b);
    // a reservation as the events module makes them: a registration with an event
    let id = usher_server::visitor::registration_id().unwrap();
    let mut spec = PassSpec {
        expiry: u64::try_from(NOW).unwrap() + 86_400,
        registration: Some(id.clone()),
        ..Default::default()
    };
    spec.strings[0] = Some("Ann".into());
    let payload = spec.payload_json_admitting(usher_core::PartySize::new(3).unwrap());
    let text = pass_text(
        "usher://p",
        &payload,
        &Signer::Ed25519(a.state.keys.signing.clone()),
    );
    let fields = [Some("Ann".to_owned()), Some("12345 678".to_owned()), None];
    let mut g = usher_server::visitor::new_registration(
        &a.state,
        usher_server::visitor::Registration {
            id: id.clone(),
            fields: &fields,
            payload: &payload,
            valid_until: NOW + 86_400,
            party: usher_core::PartySize::new(3).unwrap(),
        },
    )
    .unwrap();
    g.event_id = Some("eid-1".into());
    g.entrance = Some("sisters".into());
    a.state.store.create_registration(&g).await.unwrap();
    let html = me_post(&a, "/me", &text, &[]).await.text();
    assert!(
        html.contains("Your reservation") && html.contains("eid-1"),
        "{html}"
    );
    assert!(html.contains("sisters") && html.contains("action=\"/me/cancel\""));
    let r = me_post(&a, "/me/cancel", &text, &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("Your reservation was cancelled"));
    assert!(
        !r.text().contains("action=\"/me/cancel\""),
        "cancelled once"
    );
    let stored = a.state.store.registration(&id).await.unwrap().unwrap();
    assert_eq!(stored.cancelled_at, Some(NOW));
    assert!(
        !stored.contact.is_empty(),
        "cancelling keeps the contact data"
    );
    assert!(a.state.store.is_revoked(&pass_id(&text).0).await.unwrap());
    // a second cancel changes nothing and audits nothing more
    me_post(&a, "/me/cancel", &text, &[]).await;
    let log = a.state.store.audit_log(20).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "me-cancel").count(), 1);
    // a form pass has no reservation to cancel
    let (plain, _) = form_pass(&a, "Bob", "12345 678", "").await;
    let r = me_post(&a, "/me/cancel", &plain, &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
