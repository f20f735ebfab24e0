//! Events (DESIGN §9) through the router and over real sockets: the admin's pages (create,
//! edit, close; viewers read, admins edit), the form listing open events, a reservation's
//! event pass (`ev`, `nb`, `en`, `r`, `p`, the event's end as expiry, no phone or e-mail),
//! the 409 page when an entrance is full, and capacity under 200 concurrent reservations on
//! SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Backend, NOW, TestApp, cookie_get, form_body, form_csrf, form_post, req};
use usher_server::store::events::{EntranceSpec, EventSpec};

/// An event a day from now, booking open, one entrance per `(name, places)`.
fn spec(entrances: &[(&str, i64)], largest: i64) -> EventSpec {
    EventSpec {
        name: "Eid al-Adha prayer".into(),
        starts_at: NOW + 86_400,
        ends_at: NOW + 86_400 + 5_400,
        booking_opens_at: NOW - 3_600,
        booking_closes_at: NOW + 80_000,
        largest_party: largest,
        grace_minutes: 45,
        entrances: entrances
            .iter()
            .map(|(n, c)| EntranceSpec {
                name: (*n).into(),
                capacity: *c,
            })
            .collect(),
    }
}

/// The pass text of a pass page.
fn pass_text_of(html: &str) -> String {
    let at = html.find("<pre class=\"passtext\">").unwrap() + 22;
    let end = html[at..].find("</pre>").unwrap();
    html[at..at + end].replace("&amp;", "&")
}

/// The payload JSON of a pass text (`j`, form-decoded).
fn payload_of(text: &str) -> serde_json::Value {
    let query = text.split_once('?').unwrap().1;
    let j = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("j="))
        .unwrap();
    let bytes = usher_core::form::decode(j).bytes;
    serde_json::from_slice(&bytes).unwrap()
}

async fn book_through_router(
    app: &TestApp,
    id: &str,
    name: &str,
    party: &str,
    entrance: &str,
) -> common::Answer {
    let page = app
        .send(
            req("GET", &format!("/events/{id}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    let (cookie, csrf) = form_csrf(&page);
    let body = form_body(&[
        ("csrf", &csrf),
        ("name", name),
        ("phone", "+44 20 7946 0000"),
        ("email", "visitor@example.org"),
        ("party", party),
        ("entrance", entrance),
        ("consent", "yes"),
    ]);
    app.send(form_post(&format!("/events/{id}"), &cookie, &body))
        .await
}

async fn a_reservation_returns_an_event_pass_and_a_full_entrance_says_so(b: &Backend) {
    let app = common::app(b);
    let store = &app.state.store;
    store
        .create_event("eid27", &spec(&[("brothers", 4), ("sisters", 2)], 4), NOW)
        .await
        .unwrap();
    // The form lists it with each entrance's places.
    let form = app
        .send(req("GET", "/").body(axum::body::Body::empty()).unwrap())
        .await;
    let html = form.text();
    assert!(html.contains("Eid al-Adha prayer"), "{html}");
    assert!(html.contains("brothers: 4 places left"), "{html}");
    assert!(html.contains("href=\"/events/eid27\""), "{html}");

    // The booking page in the visitor's language, right to left for Arabic.
    let ar = app
        .send(
            req("GET", "/events/eid27?lang=ar")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(ar.text().contains("dir=\"rtl\""), "{}", ar.text());
    assert!(
        ar.text().contains("احجز أماكن: Eid al-Adha prayer"),
        "{}",
        ar.text()
    );
    assert!(
        ar.text().contains("brothers: بقيت 4 أماكن"),
        "{}",
        ar.text()
    );

    let booked = book_through_router(&app, "eid27", "Amina Yusuf", "3", "brothers").await;
    assert_eq!(booked.status, 200, "{}", booked.text());
    let page = booked.text();
    assert!(page.contains("Doors open at"), "{page}");
    let p = payload_of(&pass_text_of(&page));
    assert_eq!(p["s1"], "Amina Yusuf");
    assert_eq!(p["ev"], "eid27");
    assert_eq!(p["en"], "brothers");
    assert_eq!(p["p"], 3);
    assert_eq!(p["nb"], NOW + 86_400 - 45 * 60);
    assert_eq!(p["expiry"], NOW + 86_400 + 5_400);
    let r = p["r"].as_str().unwrap();
    assert!(page.contains(r), "the page names the reservation");
    assert!(
        p.get("s2").is_none() && p.get("s3").is_none(),
        "no phone or e-mail in an event pass: {p}"
    );
    let all = store.reservations("eid27", 10).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].id.as_str(), all[0].party), (r, 3));
    let one = store.reservation(r).await.unwrap().unwrap();
    assert_eq!(
        (one.entrance.as_str(), one.party, one.arrived),
        ("brothers", 3, None)
    );

    // Two places would overbook the brothers' entrance (1 left): 409, the event is full.
    let refused = book_through_router(&app, "eid27", "Bilal Yusuf", "2", "brothers").await;
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(
        refused.text().contains("the event is full"),
        "{}",
        refused.text()
    );
    assert!(
        refused.text().contains("1 place is left"),
        "{}",
        refused.text()
    );
    // A party over the event's largest, and an entrance it does not have: 400, nothing booked.
    let big = book_through_router(&app, "eid27", "Bilal Yusuf", "5", "brothers").await;
    assert_eq!(big.status, 400);
    let nowhere = book_through_router(&app, "eid27", "Bilal Yusuf", "1", "roof").await;
    assert_eq!(nowhere.status, 400);
    assert!(
        !nowhere.text().contains("roof"),
        "the reason never echoes the value"
    );
    assert_eq!(store.reservations("eid27", 10).await.unwrap().len(), 1);

    // Closed: neither listed nor bookable.
    assert!(store.close_event("eid27", NOW).await.unwrap());
    let form = app
        .send(req("GET", "/").body(axum::body::Body::empty()).unwrap())
        .await;
    assert!(!form.text().contains("eid27"));
    let gone = app
        .send(
            req("GET", "/events/eid27")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(gone.status, 404);
}

on_both!(
    reservation_pass_and_full_page_on_sqlite,
    reservation_pass_and_full_page_on_postgres,
    a_reservation_returns_an_event_pass_and_a_full_entrance_says_so
);

/// The admin's event form for the Eid prayer of 2027-03-20, with these entrances.
fn eid_form(csrf: &str, entrances: &str) -> String {
    form_body(&[
        ("csrf", csrf),
        ("name", "Eid al-Fitr prayer"),
        ("starts", "2027-03-20T07:00"),
        ("ends", "2027-03-20T08:30"),
        ("largest_party", "6"),
        ("grace", "30"),
        ("entrances", entrances),
    ])
}

async fn admins_create_edit_and_close_events_and_viewers_only_read(b: &Backend) {
    let app = common::app(b);
    let (admin, csrf) = app.admin().await;
    let created = app
        .send(form_post(
            "/admin/events",
            &admin,
            &eid_form(&csrf, "brothers 100\r\nsisters 50"),
        ))
        .await;
    assert_eq!(created.status, 303, "{}", created.text());
    let at = created.header("location").unwrap();
    let id = at.strip_prefix("/admin/events/").unwrap().to_owned();
    let event = app.state.store.event(&id).await.unwrap().unwrap();
    assert_eq!(event.spec.entrances.len(), 2);
    assert_eq!(event.capacity("sisters"), Some(50));
    assert_eq!(event.not_before(), event.spec.starts_at - 30 * 60);

    // A bad field is named, never echoed, and nothing changes.
    let bad = app
        .send(form_post(&at, &admin, &eid_form(&csrf, "brothers lots")))
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.text().contains("Entrances, one a line"),
        "{}",
        bad.text()
    );
    assert!(!bad.text().contains("lots"));
    // Edited: the sisters' hall grows.
    let edited = app
        .send(form_post(
            &at,
            &admin,
            &eid_form(&csrf, "brothers 100\nsisters 80"),
        ))
        .await;
    assert_eq!(edited.status, 303);
    let event = app.state.store.event(&id).await.unwrap().unwrap();
    assert_eq!(event.capacity("sisters"), Some(80));

    // A viewer reads the list and the figures, without the forms or the CSV.
    let (viewer, viewer_csrf) = app
        .member("vera@example.org", usher_server::team::Role::Viewer)
        .await;
    let list = app.send(cookie_get("/admin/events", &viewer)).await;
    assert_eq!(list.status, 200);
    assert!(list.text().contains("Eid al-Fitr prayer"));
    assert!(!list.text().contains("name=\"entrances\""));
    let page = app.send(cookie_get(&at, &viewer)).await;
    assert_eq!(page.status, 200);
    assert!(
        !page.text().contains("http-equiv"),
        "it reloads only when asked (WCAG 2.2.1)"
    );
    assert!(
        page.text().contains("?reload=on\">Reload every 30 seconds"),
        "{}",
        page.text()
    );
    let live = app
        .send(cookie_get(&format!("{at}?reload=on"), &viewer))
        .await;
    assert!(
        live.text()
            .contains("http-equiv=\"refresh\" content=\"30\""),
        "the page is live"
    );
    assert!(
        page.text().contains("<td>sisters</td><td>80</td>"),
        "{}",
        page.text()
    );
    assert!(!page.text().contains("reservations.csv"));
    let refused = app
        .send(form_post(
            &format!("{at}/close"),
            &viewer,
            &form_body(&[("csrf", &viewer_csrf)]),
        ))
        .await;
    assert_eq!(refused.status, 403);
    let csv = app
        .send(cookie_get(&format!("{at}/reservations.csv"), &viewer))
        .await;
    assert_eq!(csv.status, 403);

    // The admin closes it; the CSV has its header and the export is audited.
    let closed = app
        .send(form_post(
            &format!("{at}/close"),
            &admin,
            &form_body(&[("csrf", &csrf)]),
        ))
        .await;
    assert_eq!(closed.status, 303);
    assert!(
        app.state
            .store
            .event(&id)
            .await
            .unwrap()
            .unwrap()
            .closed_at
            .is_some()
    );
    let csv = app
        .send(cookie_get(&format!("{at}/reservations.csv"), &admin))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.text().starts_with("reservation,entrance,places,"));
    let audit = app.state.store.audit_log(20).await.unwrap();
    assert!(
        audit.iter().any(|a| a.detail.contains("reservations")),
        "{audit:?}"
    );
    let missing = app.send(cookie_get("/admin/events/nosuch", &admin)).await;
    assert_eq!(missing.status, 404);
}

on_both!(
    admin_event_pages_on_sqlite,
    admin_event_pages_on_postgres,
    admins_create_edit_and_close_events_and_viewers_only_read
);

/// Places in the capacity test, and the reservations sent at once.
const PLACES: i64 = 150;
const RESERVATIONS: usize = 200;

/// A visitor's booking page over a real socket: its CSRF cookie and field.
async fn booking_page_over_socket(
    http: &reqwest::Client,
    base: &str,
    id: &str,
) -> (String, String) {
    let page = http
        .get(format!("{base}/events/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "booking page");
    let cookie = page
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = page.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    (cookie, html[at..].split('"').next().unwrap().to_owned())
}

/// Visitor `n`'s reservation of `party` places over a real socket: status and body.
async fn book_over_socket(
    http: &reqwest::Client,
    base: &str,
    id: &str,
    (cookie, csrf): (String, String),
    n: usize,
    party: i64,
) -> (u16, String) {
    let body = form_body(&[
        ("csrf", &csrf),
        ("name", &format!("Visitor {n}")),
        ("phone", &format!("+44 20 7946 {n:04}")),
        ("party", &party.to_string()),
        ("entrance", "hall"),
        ("consent", "yes"),
    ]);
    let res = http
        .post(format!("{base}/events/{id}"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn concurrent_reservations_never_overbook(b: &Backend) {
    let app = common::app_with(b, |c| c.form_per_minute = 10_000);
    app.state
        .store
        .create_event("hall150", &spec(&[("hall", PLACES)], 4), NOW)
        .await
        .unwrap();
    // The server's own listener; a long request timeout, so that a slow, shared test machine
    // (drawing up to 150 pass pictures in a debug build) cannot turn a booking into a 408.
    let limits = usher_server::listener::Limits {
        request_timeout: std::time::Duration::from_secs(600),
        ..usher_server::listener::Limits::default()
    };
    let served = common::Served::start_with(app.router(), limits).await;
    let base = format!("http://{}", served.addr);
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(600))
        .build()
        .unwrap();
    // Every visitor opens the booking page first; then all 200 reservations go at once.
    let mut pages = Vec::with_capacity(RESERVATIONS);
    for _ in 0..RESERVATIONS {
        pages.push(booking_page_over_socket(&http, &base, "hall150").await);
    }
    // 1 to 4 places each, a fixed spread: 500 places asked for 150.
    let parties: Vec<i64> = (0..RESERVATIONS).map(|n| (n * 7 % 4) as i64 + 1).collect();
    let started = std::time::Instant::now();
    let tasks: Vec<_> = parties
        .iter()
        .zip(pages)
        .enumerate()
        .map(|(n, (&party, page))| {
            let (http, base) = (http.clone(), base.clone());
            tokio::spawn(async move {
                (
                    party,
                    book_over_socket(&http, &base, "hall150", page, n, party).await,
                )
            })
        })
        .collect();
    let mut granted = 0;
    let (mut ok, mut full) = (0, 0);
    let mut smallest_refused = i64::MAX;
    for t in tasks {
        let (party, (status, body)) = t.await.unwrap();
        match status {
            200 => {
                ok += 1;
                granted += party;
                // One hall: no `en` in the pass (there is no choice to record).
                let p = payload_of(&pass_text_of(&body));
                assert!(p.get("en").is_none() && p["ev"] == "hall150", "{p}");
            }
            409 => {
                full += 1;
                smallest_refused = smallest_refused.min(party);
                assert!(body.contains("the event is full"), "refusal: {body}");
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let booked: i64 = app
        .state
        .store
        .booked("hall150")
        .await
        .unwrap()
        .iter()
        .map(|b| b.1)
        .sum();
    println!(
        "{}: {RESERVATIONS} reservations in {:?}: {ok} booked ({booked} places of {PLACES}), {full} refused as full",
        b.name,
        started.elapsed()
    );
    assert!(booked <= PLACES, "overbooked: {booked} of {PLACES}");
    assert_eq!(
        booked, granted,
        "every pass handed out is a place booked, and no other"
    );
    assert!(full > 0, "500 places asked for 150: some must be refused");
    assert!(
        PLACES - booked < smallest_refused,
        "a party was refused while its places were free ({booked} booked, smallest refused {smallest_refused})"
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_reservations_never_overbook_on_sqlite() {
    let b = common::sqlite().await;
    concurrent_reservations_never_overbook(&b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_reservations_never_overbook_on_postgres() {
    if let Some(b) = common::postgres().await {
        concurrent_reservations_never_overbook(&b).await;
    }
}

/// The server's side of "single use per event": an event pass signed in at two kiosks is a
/// double use (and in the kiosks' feed), and the event page counts its party once, at the
/// entrance of its first sign-in.
async fn an_event_pass_used_at_two_kiosks_is_a_double_use_and_arrives_once(b: &Backend) {
    let app = common::app(b);
    let store = &app.state.store;
    store
        .create_event("eid28", &spec(&[("brothers", 10), ("sisters", 10)], 4), NOW)
        .await
        .unwrap();
    let booked = book_through_router(&app, "eid28", "Hamza Ali", "3", "sisters").await;
    assert_eq!(booked.status, 200);
    let text = pass_text_of(&booked.text());
    let j = text
        .split_once('?')
        .unwrap()
        .1
        .split('&')
        .find_map(|kv| kv.strip_prefix("j="))
        .unwrap();
    let pass_id = usher_core::PassId::of(&usher_core::form::decode(j).bytes).to_hex();
    let one = app.device("door-brothers").await;
    let two = app.device("door-sisters").await;
    let signin = |id: &str, device: &str, entrance: &str, at: i64| {
        serde_json::json!({"signins": [{
            "id": id, "pass_id": pass_id, "scanned_at": at, "device_id": device,
            "entrance": entrance, "heads": 3, "fields": {"s1": "Hamza Ali"},
        }]})
    };
    let r = app
        .send(common::json_req(
            "/api/v1/signins",
            &one,
            &signin("b-1", "door-brothers", "brothers", NOW - 60),
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = app
        .send(common::json_req(
            "/api/v1/signins",
            &two,
            &signin("s-1", "door-sisters", "sisters", NOW - 30),
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let doubles = store.double_uses(10).await.unwrap();
    assert_eq!(doubles.len(), 1, "{doubles:?}");
    assert_eq!(doubles[0].device_id, "door-sisters");
    // The same kiosk again (a ledger lost, a second laptop under one token): still a double
    // use, since an event pass is single use whatever the policy. A plain pass used twice at
    // one kiosk (daily, always) is no double use.
    let r = app
        .send(common::json_req(
            "/api/v1/signins",
            &one,
            &signin("b-2", "door-brothers", "brothers", NOW - 10),
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    for (sid, at) in [("plain-1", NOW - 50), ("plain-2", NOW - 5)] {
        let plain = serde_json::json!({"signins": [common::row(sid, 7, at, "door-brothers", "Ann", "07700 900001")]});
        let r = app
            .send(common::json_req("/api/v1/signins", &one, &plain))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let doubles = store.double_uses(10).await.unwrap();
    assert_eq!(
        doubles
            .iter()
            .map(|d| d.device_id.as_str())
            .collect::<Vec<_>>(),
        ["door-brothers", "door-sisters"],
        "newest first: {doubles:?}"
    );
    let event = store.event("eid28").await.unwrap().unwrap();
    let figures = store.event_figures(&event).await.unwrap();
    let rid = store.reservations("eid28", 5).await.unwrap()[0].id.clone();
    let arrived = store.reservation(&rid).await.unwrap().unwrap().arrived;
    assert_eq!(
        arrived,
        Some((NOW - 60, "brothers".to_owned(), 3)),
        "the first sign-in"
    );
    let at = |e: &str| figures.iter().find(|f| f.entrance == e).unwrap().clone();
    assert_eq!(
        (
            at("brothers").arrived,
            at("brothers").arrived_from_elsewhere
        ),
        (3, 3)
    );
    assert_eq!((at("sisters").booked, at("sisters").arrived), (3, 0));
}

on_both!(
    event_double_use_on_sqlite,
    event_double_use_on_postgres,
    an_event_pass_used_at_two_kiosks_is_a_double_use_and_arrives_once
);
