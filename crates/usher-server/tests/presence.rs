//! Presence (DESIGN §8): the store's readers (inside per entrance and kiosk, other kiosks'
//! open stays, a kiosk's stays closed elsewhere, the place-lease rows) and
//! `GET /api/v1/presence`, on SQLite and (with USHER_TEST_POSTGRES_URL) PostgreSQL.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, NOW, app_with, bearer_get, signin};
use usher_server::crypto::{Vault, token_hash};
use usher_server::store::{LeaseRow, Store};

/// Runs one statement on either backend (the door's columns are written by the upload,
/// which is another part of the work: here they are set directly).
async fn exec(store: &Store, sql: &str) {
    match store {
        Store::Sqlite(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(p)
                .await
                .unwrap();
        }
        Store::Postgres(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(p)
                .await
                .unwrap();
        }
    }
}

/// Kiosk 1 (brothers): a1 inside with 3, a2 left at NOW+5; kiosk 2 (sisters): b1 inside with
/// 2, and b0 from two days ago never closed (outside the stay window). Returns the devices.
async fn venue(s: &Store) -> (i64, i64) {
    let v = Vault::random().unwrap();
    let d1 = s.create_device("k1", &token_hash("t1"), NOW).await.unwrap();
    let d2 = s.create_device("k2", &token_hash("t2"), NOW).await.unwrap();
    s.ingest(
        d1,
        &[
            signin(&v, "a1", 1, NOW, "k1", "A", "1"),
            signin(&v, "a2", 2, NOW + 1, "k1", "B", "2"),
        ],
        NOW,
    )
    .await
    .unwrap();
    s.ingest(
        d2,
        &[
            signin(&v, "b0", 9, NOW - 2 * 86_400, "k2", "C", "3"),
            signin(&v, "b1", 3, NOW + 2, "k2", "D", "4"),
        ],
        NOW,
    )
    .await
    .unwrap();
    exec(
        s,
        "UPDATE signins SET entrance = 'brothers', heads = 3 WHERE sid = 'a1'",
    )
    .await;
    exec(
        s,
        &format!(
            "UPDATE signins SET entrance = 'brothers', exited_at = {}, exit_kind = 'scan' \
             WHERE sid = 'a2'",
            NOW + 5
        ),
    )
    .await;
    exec(
        s,
        "UPDATE signins SET entrance = 'sisters', heads = 2 WHERE sid IN ('b0', 'b1')",
    )
    .await;
    (d1, d2)
}

async fn presence_readers_count_open_stays_in_the_window(b: &Backend) {
    let s = &b.store;
    let (d1, d2) = venue(s).await;
    let since = NOW - 3600;
    let inside = s.inside_by_kiosk(since).await.unwrap();
    let got: Vec<(String, i64, i64)> = inside
        .iter()
        .map(|r| (r.entrance.clone(), r.device_ref, r.heads))
        .collect();
    assert_eq!(
        got,
        vec![("brothers".into(), d1, 3), ("sisters".into(), d2, 2)],
        "{}",
        b.name
    );
    let for_d1 = s.open_stays_of_others(since, d1, 10).await.unwrap();
    assert_eq!(for_d1.len(), 1);
    assert_eq!(
        (
            for_d1[0].sid.as_str(),
            for_d1[0].heads,
            for_d1[0].device_id.as_str()
        ),
        ("b1", 2, "k2")
    );
    assert_eq!(for_d1[0].pass_id, vec![3u8; 32]);
    let for_d2 = s.open_stays_of_others(since, d2, 10).await.unwrap();
    assert_eq!(
        for_d2.iter().map(|r| r.sid.as_str()).collect::<Vec<_>>(),
        ["a1"]
    );
    // The limit keeps the newest.
    let wide = s
        .open_stays_of_others(NOW - 3 * 86_400, d1, 1)
        .await
        .unwrap();
    assert_eq!(
        wide.iter().map(|r| r.sid.as_str()).collect::<Vec<_>>(),
        ["b1"]
    );
    let closed = s.closed_stays_of(since, d1, 10).await.unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(
        (
            closed[0].sid.as_str(),
            closed[0].exited_at,
            closed[0].exit_kind.as_str()
        ),
        ("a2", NOW + 5, "scan")
    );
    assert!(s.closed_stays_of(since, d2, 10).await.unwrap().is_empty());
}
on_both!(
    presence_readers_sqlite,
    presence_readers_postgres,
    presence_readers_count_open_stays_in_the_window
);

async fn lease_rounds_see_every_live_kiosk_and_write_one_row(b: &Backend) {
    let s = &b.store;
    let (d1, d2) = venue(s).await;
    let row = |device_ref: i64, granted: i64| LeaseRow {
        device_ref,
        entrance: "main".into(),
        granted,
        held: 0,
        inside: 0,
        demand: 0,
        expires_at: NOW + 60,
    };
    let first = s
        .lease_round(NOW, |rows| {
            assert!(rows.is_empty());
            Some(row(d1, 7))
        })
        .await
        .unwrap();
    assert_eq!(first, Some(row(d1, 7)), "{}", b.name);
    s.lease_round(NOW, |rows| {
        assert_eq!(rows, [row(d1, 7)]);
        Some(row(d2, 3))
    })
    .await
    .unwrap();
    // A new grant replaces the kiosk's row; no grant writes nothing.
    s.lease_round(NOW, |_| Some(row(d1, 5))).await.unwrap();
    assert_eq!(s.lease_round(NOW, |_| None).await.unwrap(), None);
    assert_eq!(s.leases().await.unwrap(), [row(d1, 5), row(d2, 3)]);
    // A revoked kiosk's places go back to the pool.
    assert!(s.revoke_device(d2, NOW).await.unwrap());
    assert_eq!(s.leases().await.unwrap(), [row(d1, 5)]);
}
on_both!(
    lease_rounds_sqlite,
    lease_rounds_postgres,
    lease_rounds_see_every_live_kiosk_and_write_one_row
);

async fn the_presence_route_gives_counts_other_stays_and_a_lease(b: &Backend) {
    let app = app_with(b, |c| {
        c.door.capacity = Some(10);
        c.door
            .entrances
            .insert("brothers".parse().unwrap(), Some(6));
    });
    let s = &app.state.store;
    let (_d1, _d2) = venue(s).await;
    let ans = app
        .send(bearer_get(
            "/api/v1/presence?entrance=brothers&held=0&inside=3&demand=4",
            "t1",
        ))
        .await;
    assert_eq!(ans.status, 200, "{}: {}", b.name, ans.text());
    let p: usher_core::wire::Presence = serde_json::from_slice(&ans.body).unwrap();
    assert_eq!(p.server_time, NOW);
    assert_eq!((p.venue.inside, p.venue.capacity), (5, Some(10)));
    let by_name: Vec<(&str, u32, u32, Option<u32>)> = p
        .entrances
        .iter()
        .map(|e| (e.entrance.as_str(), e.inside, e.others, e.capacity))
        .collect();
    assert_eq!(
        by_name,
        [("brothers", 3, 0, Some(6)), ("sisters", 2, 2, None)]
    );
    assert_eq!(p.others.len(), 1);
    assert_eq!(p.others[0].entry_id, "b1");
    assert_eq!(p.others[0].pass_id, hex::encode([3u8; 32]));
    assert!(!p.others_truncated);
    assert_eq!(p.closed_elsewhere.len(), 1);
    assert_eq!(p.closed_elsewhere[0].entry_id, "a2");
    // Alone with a lease: the venue's 5 spare places, but the entrance holds 6 with 3 in.
    let lease = p.lease.expect("a lease under a capacity");
    assert_eq!(lease.places, 6);
    assert!(lease.expires_at > NOW);
    // Kiosk 2 asks next, 2 inside and idle: kiosk 1 may be using 6 places of 10, so 2 are
    // free; the 5 spare places go by demand 1 : 5 (kiosk 1 admitted 4), 1 of them to kiosk 2.
    let ans = app
        .send(bearer_get(
            "/api/v1/presence?entrance=sisters&inside=2",
            "t2",
        ))
        .await;
    let p2: usher_core::wire::Presence = serde_json::from_slice(&ans.body).unwrap();
    assert_eq!(p2.lease.map(|l| l.places), Some(3));
    // A bad count is a 400 naming the field, never echoing it.
    let bad = app
        .send(bearer_get("/api/v1/presence?held=lots-of-places", "t1"))
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.text().contains("held must be a whole number"),
        "{}",
        bad.text()
    );
    assert!(!bad.text().contains("lots-of-places"));
    let bad = app
        .send(bearer_get("/api/v1/presence?entrance=%0Aevil", "t1"))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("entrance"));
}
on_both!(
    presence_route_sqlite,
    presence_route_postgres,
    the_presence_route_gives_counts_other_stays_and_a_lease
);
