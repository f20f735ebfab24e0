//! The volunteer's manual path on the server (DESIGN §8), through the router on both backends:
//! a void takes its sign-in out of the counts, Inside now and the roll call, keeps an audited
//! record, and withdraws a voided first use from the used feed (so a `once` pass works again
//! at the other kiosks), whichever of the void and its sign-in arrives first; a kiosk cannot
//! void another kiosk's sign-in; tallies show as "uncounted by name" and their bad rows are
//! refused naming the field.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, NOW, TestApp, app, bearer_get, cookie_get, json_req, row};
use serde_json::json;

async fn upload(app: &TestApp, token: &str, body: serde_json::Value) -> serde_json::Value {
    let answer = app.send(json_req("/api/v1/signins", token, &body)).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()
}

fn void(id: &str, signin: &str, device: &str, at: i64) -> serde_json::Value {
    json!({"id": id, "signin": signin, "device_id": device, "voided_at": at})
}

fn tally(id: &str, device: &str, delta: i64) -> serde_json::Value {
    json!({"id": id, "device_id": device, "entrance": "main", "at": NOW - 50, "delta": delta})
}

fn ids(answer: &serde_json::Value, key: &str) -> Vec<String> {
    answer[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            v.as_str()
                .map_or_else(|| v["id"].as_str().unwrap().to_owned(), str::to_owned)
        })
        .collect()
}

async fn heads_inside(app: &TestApp) -> i64 {
    let counts = app.state.store.inside_now(0).await.unwrap();
    counts.iter().map(|c| c.heads).sum()
}

async fn a_void_drops_its_sign_in_and_gives_the_pass_back(b: &Backend) {
    let app = app(b);
    let (a, other) = (app.device("door-a").await, app.device("door-b").await);
    let (cookie, _) = app.admin().await;
    let mut ada = row("s-ada", 1, NOW - 100, "door-a", "Ada Lovelace", "0123");
    ada["heads"] = 2.into();
    let tallies = json!([
        tally("t1", "door-a", 1),
        tally("t2", "door-a", 1),
        tally("t3", "door-a", -1),
        tally("t4", "door-a", 1)
    ]);
    let answer = upload(&app, &a, json!({"signins": [ada], "tallies": tallies})).await;
    assert_eq!(ids(&answer, "stored"), ["s-ada", "t1", "t2", "t3", "t4"]);
    assert_eq!(heads_inside(&app).await, 2);
    assert_eq!(
        app.state.store.tallied(0).await.unwrap(),
        [("main".to_owned(), 2)]
    );
    let page = app.send(cookie_get("/admin/inside", &cookie)).await.text();
    assert!(page.contains("Uncounted by name"), "{page}");
    assert!(
        page.contains("4 inside in all, 2 of them uncounted by name"),
        "{page}"
    );
    let roll = app
        .send(cookie_get("/admin/roll-call", &cookie))
        .await
        .text();
    assert!(roll.contains("Ada Lovelace") && roll.contains("Uncounted by name"));
    let csv = app
        .send(cookie_get("/admin/roll-call.csv", &cookie))
        .await
        .text();
    assert!(
        csv.contains(r#""main","Uncounted by name","","","","2""#),
        "{csv}"
    );

    // The other kiosk's presence carries the tally beside the counts (door-a's own does not).
    let main_of = |presence: serde_json::Value| {
        presence["entrances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["entrance"] == "main")
            .cloned()
            .unwrap()
    };
    let b_main = main_of(
        app.send(bearer_get("/api/v1/presence", &other))
            .await
            .json(),
    );
    assert_eq!(
        (b_main["others"].as_u64(), b_main["tallied_others"].as_u64()),
        (Some(2), Some(2))
    );
    let a_main = main_of(app.send(bearer_get("/api/v1/presence", &a)).await.json());
    assert_eq!(
        a_main["tallied_others"],
        serde_json::Value::Null,
        "its own are not others'"
    );

    // The other kiosk hears of the first use.
    let used = app.send(bearer_get("/api/v1/used", &other)).await.json();
    assert_eq!(used["used"][0]["pass_id"], hex::encode([1u8; 32]));
    let cursor = used["next"].as_str().unwrap().to_owned();

    // The void (and its retry) takes the sign-in out of every count.
    let answer = upload(
        &app,
        &a,
        json!({"signins": [], "voids": [void("v1", "s-ada", "door-a", NOW - 10)]}),
    )
    .await;
    assert_eq!(ids(&answer, "stored"), ["v1"]);
    let again = upload(
        &app,
        &a,
        json!({"signins": [], "voids": [void("v1", "s-ada", "door-a", NOW - 10)]}),
    )
    .await;
    assert_eq!(ids(&again, "known"), ["v1"]);
    assert_eq!(heads_inside(&app).await, 0);
    assert_eq!(app.state.store.signin_count().await.unwrap(), 0);
    let roll = app
        .send(cookie_get("/admin/roll-call", &cookie))
        .await
        .text();
    assert!(
        !roll.contains("Ada Lovelace"),
        "voided: no longer in the roll call"
    );
    let record = app.state.store.voids(10).await.unwrap();
    assert_eq!(record.len(), 1);
    assert_eq!(
        (record[0].sid.as_str(), record[0].heads, record[0].first_use),
        ("s-ada", Some(2), true)
    );
    let audit = app.state.store.audit_log(10).await.unwrap();
    let line = audit
        .iter()
        .find(|e| e.action == "void")
        .expect("an audit line");
    assert!(
        line.detail.contains("door-a") && !line.detail.contains("Ada"),
        "{}",
        line.detail
    );

    // The other kiosk is told to forget the first use; it may now use the pass.
    let used = app
        .send(bearer_get(&format!("/api/v1/used?since={cursor}"), &other))
        .await
        .json();
    assert_eq!(
        used["withdrawn"][0]["pass_id"],
        hex::encode([1u8; 32]),
        "{used}"
    );
    assert_eq!(used["used"].as_array().unwrap().len(), 0);
    let used_b = row("s-ada-b", 1, NOW - 5, "door-b", "Ada Lovelace", "0123");
    upload(&app, &other, json!({"signins": [used_b]})).await;
    assert!(
        app.state.store.double_uses(10).await.unwrap().is_empty(),
        "no double use"
    );
    let used = app.send(bearer_get("/api/v1/used", &a)).await.json();
    assert_eq!(
        used["used"][0]["device_id"], "door-b",
        "the new first use is door-b's"
    );

    // The retention purge takes the voids, withdrawals and tallies of its window too.
    app.state.store.purge(NOW + 1, NOW + 1).await.unwrap();
    assert!(app.state.store.voids(10).await.unwrap().is_empty());
    assert!(app.state.store.tallied(0).await.unwrap().is_empty());
    let used = app.send(bearer_get("/api/v1/used", &other)).await.json();
    assert_eq!(
        used["withdrawn"].as_array().map_or(0, Vec::len),
        0,
        "{used}"
    );
}

async fn a_void_that_comes_first_waits_for_its_sign_in(b: &Backend) {
    let app = app(b);
    let a = app.device("door-a").await;
    let other = app.device("door-b").await;
    upload(
        &app,
        &a,
        json!({"signins": [], "voids": [void("v2", "s-late", "door-a", NOW - 10)]}),
    )
    .await;
    let late = row("s-late", 2, NOW - 60, "door-a", "Grace", "0456");
    let answer = upload(&app, &a, json!({"signins": [late]})).await;
    assert_eq!(ids(&answer, "stored"), ["s-late"]);
    assert_eq!(heads_inside(&app).await, 0, "dropped as soon as it came");
    // Another kiosk cannot void door-a's sign-in.
    let kept = row("s-kept", 3, NOW - 30, "door-a", "Hedy", "0789");
    upload(&app, &a, json!({"signins": [kept]})).await;
    let answer = upload(
        &app,
        &other,
        json!({"signins": [], "voids": [void("v3", "s-kept", "door-b", NOW)]}),
    )
    .await;
    assert_eq!(answer["refused"][0]["id"], "v3");
    assert_eq!(
        answer["refused"][0]["reason"],
        "signin names a sign-in another kiosk recorded"
    );
    assert_eq!(heads_inside(&app).await, 1);
    // Bad tallies and voids are refused one by one, naming the field, never the value.
    let answer = upload(&app, &a, json!({"signins": [],
        "tallies": [tally("t9", "door-a", 2), {"id": "t8", "device_id": "door-a", "entrance": "main", "at": "Zoë", "delta": 1}],
        "voids": [{"id": "v9", "signin": "bad sid!", "device_id": "door-a", "voided_at": NOW}]})).await;
    let reasons: Vec<String> = answer["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        reasons,
        [
            "signin must be 1 to 64 characters of A-Z a-z 0-9 _ -",
            "delta must be 1 or -1",
            "malformed tally: at must be a whole number",
        ]
    );
    assert!(!answer.to_string().contains("Zoë"));
    let answer = app
        .send(json_req(
            "/api/v1/signins",
            &a,
            &json!({"signins": [], "voids": 5}),
        ))
        .await;
    assert_eq!(answer.status, 400);
    assert!(
        answer.text().contains("voids must be a JSON array"),
        "{}",
        answer.text()
    );
}

on_both!(
    a_void_drops_its_sign_in_and_gives_the_pass_back_sqlite,
    a_void_drops_its_sign_in_and_gives_the_pass_back_postgres,
    a_void_drops_its_sign_in_and_gives_the_pass_back
);
on_both!(
    a_void_that_comes_first_waits_for_its_sign_in_sqlite,
    a_void_that_comes_first_waits_for_its_sign_in_postgres,
    a_void_that_comes_first_waits_for_its_sign_in
);
