//! Operations: `/healthz`, the admin status page, and the retention purge claimed once between
//! several servers on one database.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use common::{Backend, NOW, app, cookie_get, json_req, req, row};
use serde_json::json;

async fn health_answers_without_credentials_and_fails_without_its_database(b: &Backend) {
    let a = app(b);
    let r = a
        .send(req("GET", "/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text(), "ok\n");
    assert!(r.header("set-cookie").is_none());
    b.store.close().await;
    let r = a
        .send(req("GET", "/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.text(), "database unavailable\n");
}
on_both!(
    healthz_sqlite,
    healthz_postgres,
    health_answers_without_credentials_and_fails_without_its_database
);

async fn status_page_shows_database_disk_kiosks_and_the_last_purge(b: &Backend) {
    let a = app(b);
    let token = a.device("front-door").await;
    let r = a
        .send(json_req(
            "/api/v1/signins",
            &token,
            &json!({"signins": [row("s1", 1, NOW - 60, "front-door", "Ada", "1")]}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (cookie, _) = a.admin().await;
    let page = a.send(cookie_get("/admin/status", &cookie)).await.text();
    assert!(page.contains(b.store.backend()), "{page}");
    assert!(page.contains("Sign-ins stored</th><td>1<"), "{page}");
    assert!(page.contains(" GiB free of "), "{page}");
    assert!(
        page.contains("Retention purge, last run</th><td>never"),
        "{page}"
    );
    assert!(page.contains("<td>front-door</td><td>2027-"), "{page}");
    usher_server::retention::purge_once(&a.state).await.unwrap();
    let page = a.send(cookie_get("/admin/status", &cookie)).await.text();
    assert!(
        page.contains("finished 2027-01-15 08:00 UTC: purged 0 sign-ins"),
        "{page}"
    );
    // Only an admin sees it.
    let r = a
        .send(req("GET", "/admin/status").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}
on_both!(
    status_sqlite,
    status_postgres,
    status_page_shows_database_disk_kiosks_and_the_last_purge
);

async fn the_purge_runs_once_between_servers_sharing_a_database(b: &Backend) {
    // Two servers (own state, own keys' process memory) on one database, as behind a load
    // balancer; both wake at once.
    let (one, two) = (app(b), app(b));
    let (p1, p2) = tokio::join!(
        usher_server::retention::purge_if_due(&one.state),
        usher_server::retention::purge_if_due(&two.state)
    );
    let ran = [p1.unwrap(), p2.unwrap()];
    assert_eq!(ran.iter().filter(|p| p.is_some()).count(), 1, "{ran:?}");
    // Within the hour neither runs again; after it, one does.
    one.clock.advance(1800);
    two.clock.advance(1800);
    assert!(
        usher_server::retention::purge_if_due(&two.state)
            .await
            .unwrap()
            .is_none()
    );
    one.clock.advance(1800);
    two.clock.advance(1800);
    let (p1, p2) = tokio::join!(
        usher_server::retention::purge_if_due(&one.state),
        usher_server::retention::purge_if_due(&two.state)
    );
    let ran = [p1.unwrap(), p2.unwrap()];
    assert_eq!(ran.iter().filter(|p| p.is_some()).count(), 1, "{ran:?}");
}
on_both!(
    purge_once_sqlite,
    purge_once_postgres,
    the_purge_runs_once_between_servers_sharing_a_database
);
