//! Health and status: `GET /healthz` for a load balancer or monitoring (no authentication, no
//! data: whether this process and its database answer), and the admin-only status page
//! (database, disk, kiosks' last contact and uploads, the retention purge's last run).

use crate::admin::admin_page;
use crate::auth::AdminSession;
use crate::http::{PageError, esc, fmt_time};
use crate::state::AppState;
use crate::store::RETENTION_JOB;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long `/healthz` waits for the database.
pub const HEALTH_TIMEOUT: Duration = Duration::from_secs(5);

/// `GET /healthz`: `200 ok` when the database answers within [`HEALTH_TIMEOUT`], else `503`.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let answer = tokio::time::timeout(HEALTH_TIMEOUT, state.store.ping()).await;
    let (status, text) = match answer {
        Ok(Ok(())) => (StatusCode::OK, "ok\n"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
        Err(_) => {
            tracing::warn!("health check: database did not answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// Free and total bytes of the file system holding `path`.
pub fn disk_space(path: &Path) -> std::io::Result<(u64, u64)> {
    let v = rustix::fs::statvfs(path).map_err(std::io::Error::from)?;
    Ok((
        v.f_bavail.saturating_mul(v.f_frsize),
        v.f_blocks.saturating_mul(v.f_frsize),
    ))
}

fn gib(bytes: u64) -> String {
    // Display only: two decimals of GiB are plenty.
    #[allow(clippy::cast_precision_loss)]
    let g = bytes as f64 / f64::from(1u32 << 30);
    format!("{g:.2} GiB")
}

/// `GET /admin/status`.
pub async fn status_page(
    State(state): State<AppState>,
    s: AdminSession,
) -> Result<Html<String>, PageError> {
    let now = state.now();
    let started = Instant::now();
    state.store.ping().await?;
    let ping_ms = started.elapsed().as_secs_f64() * 1000.0;
    let signins = state.store.signin_count().await?;
    let lang = s.lang;
    let t = |id: &str| esc(&lang.text(id));
    let mut body = format!(
        "<h2>{}</h2><table>\
         <tr><th>{}</th><td>{}</td></tr>\
         <tr><th>{}</th><td>{}</td></tr>\
         <tr><th>{}</th><td>{signins}</td></tr>",
        t("admin-status-server"),
        t("admin-status-version"),
        env!("CARGO_PKG_VERSION"),
        t("admin-status-database"),
        esc(&lang.text_with(
            "admin-status-answered",
            &[
                ("backend", state.store.backend().to_string().into()),
                ("ms", format!("{ping_ms:.1}").into())
            ]
        )),
        t("admin-status-signins"),
    );
    let dir = &state.config.data_dir;
    let disk = match disk_space(dir) {
        Ok((free, total)) => lang.text_with(
            "admin-status-free",
            &[("free", gib(free).into()), ("total", gib(total).into())],
        ),
        Err(e) => lang.text_with("admin-status-unknown", &[("error", e.to_string().into())]),
    };
    body.push_str(&format!(
        "<tr><th>{}</th><td>{}</td></tr>",
        t("admin-status-disk"),
        esc(&disk)
    ));
    let retention = match state.store.last_job_run(RETENTION_JOB).await? {
        Some(r) => lang.text_with(
            "admin-status-started",
            &[
                ("when", fmt_time(r.started_at).into()),
                (
                    "end",
                    match r.finished_at {
                        Some(f) => lang.text_with(
                            "admin-status-finished",
                            &[
                                ("when", fmt_time(f).into()),
                                ("detail", r.detail.as_str().into()),
                            ],
                        ),
                        None => lang.text("admin-status-unfinished"),
                    }
                    .into(),
                ),
            ],
        ),
        None => lang.text("admin-never"),
    };
    body.push_str(&format!(
        "<tr><th>{}</th><td>{}</td></tr>\
         <tr><th>{}</th><td>{}</td></tr></table>",
        t("admin-status-retention-run"),
        esc(&retention),
        t("admin-status-retention"),
        esc(&lang.text_with(
            "admin-status-days",
            &[("days", state.config.retention_days.into())]
        )),
    ));
    let uploads = state.store.uploads_since(now - 86_400).await?;
    body.push_str(&format!(
        "<h2>{}</h2><p>{}</p><table>{}",
        t("admin-kiosks-title"),
        t("admin-status-kiosks"),
        crate::admin::header_row(
            lang,
            &[
                "admin-col-kiosk",
                "admin-col-last-contact",
                "admin-col-signins-24h",
                "admin-col-newest",
                "admin-col-state",
            ]
        )
    ));
    for d in state.store.devices().await? {
        let (n, newest) = uploads.get(&d.id).copied().unwrap_or((0, None));
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{n}</td><td>{}</td><td>{}</td></tr>",
            esc(&d.name),
            d.last_seen_at
                .map_or_else(|| lang.text("admin-never"), fmt_time),
            newest.map_or("-".to_owned(), fmt_time),
            if d.revoked_at.is_some() {
                t("admin-kiosk-revoked-short")
            } else {
                t("admin-kiosk-active")
            }
        ));
    }
    body.push_str("</table>");
    Ok(admin_page(&s, &lang.text("admin-status-title"), &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_space_of_a_real_folder_is_some_free_of_a_larger_total() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (free, total) = disk_space(dir.path()).expect("statvfs");
        assert!(total > 0 && free <= total, "{free} of {total}");
        assert_eq!(gib(3 << 29), "1.50 GiB");
    }
}
