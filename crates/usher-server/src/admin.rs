//! The admin pages: sign-ins by day, finding a person (blind index), "who was here around
//! this person's visits", CSV export safe against formula injection, the audit log (every view
//! or export of contact data is written to it), kiosk enrolment and revocation, double uses
//! and the organiser's public key. The door's pages (inside now, roll call, the day at a
//! glance) are in [`door`], the events' (create, edit, close, booked against arrived) in
//! [`events`].

use crate::auth::{AdminSession, CsrfForm};
use crate::crypto::{IndexKind, random_token, token_hash};
use crate::http::{
    PageError, PageLang, esc, esc_pre, fmt_day, fmt_time, lang_menu, page_in, parse_day,
    text_marked,
};
use crate::passpng::qr_png;
use crate::state::AppState;
use crate::store::IndexColumn;
use crate::store::door::{Stay, StayEnd};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine as _;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

pub mod door;
pub mod events;

/// Most rows one page or export shows.
const MAX_ROWS: i64 = 10_000;

fn nav(s: &AdminSession) -> String {
    use crate::team::Role;
    // Only the links this member's role opens.
    let links = [
        ("/admin", "admin-nav-signins", Role::Viewer),
        ("/admin/inside", "admin-nav-inside", Role::Viewer),
        ("/admin/events", "events-admin-title", Role::Viewer),
        ("/admin/roll-call", "admin-nav-roll-call", Role::Tracer),
        ("/admin/find", "admin-nav-find", Role::Tracer),
        ("/admin/trace", "admin-nav-trace", Role::Tracer),
        ("/admin/devices", "admin-nav-kiosks", Role::Admin),
        ("/admin/double-uses", "admin-nav-double-uses", Role::Tracer),
        ("/admin/audit", "admin-nav-audit", Role::Tracer),
        ("/admin/team", "admin-nav-team", Role::Admin),
        ("/admin/status", "admin-nav-status", Role::Admin),
    ];
    let links: String = links
        .iter()
        .filter(|(_, _, need)| s.role.allows(*need))
        .map(|(href, label, _)| format!("<a href=\"{href}\">{}</a>", esc(&s.lang.text(label))))
        .collect();
    format!(
        "{}<nav aria-label=\"{}\">{links}<form class=\"inline\" method=\"post\" action=\"/admin/logout\">{}\
         <button type=\"submit\">{}</button></form></nav>",
        lang_menu(s.lang, "/admin"),
        esc(&s.lang.text("admin-menu")),
        s.csrf_field(),
        esc(&s.lang.text_with(
            "admin-nav-logout",
            &[
                ("name", s.name.as_str().into()),
                ("role", s.role.name(s.lang).into())
            ]
        )),
    )
}

pub(crate) fn admin_page(s: &AdminSession, title: &str, body: &str) -> Html<String> {
    page_in(
        s.lang,
        title,
        &format!("{}<h1>{}</h1>{body}", nav(s), esc(title)),
    )
}

/// A table's header row: the columns' messages in the page's language.
pub(crate) fn header_row(lang: PageLang, ids: &[&str]) -> String {
    let cells: String = ids
        .iter()
        .map(|id| format!("<th>{}</th>", esc(&lang.text(id))))
        .collect();
    format!("<tr>{cells}</tr>")
}

/// A stay with its sign-in's contact data opened.
#[derive(Debug)]
struct Contact {
    stay: Stay,
    fields: BTreeMap<String, String>,
}

impl Contact {
    fn get(&self, k: &str) -> &str {
        self.fields.get(k).map_or("", String::as_str)
    }
    fn email(&self) -> &str {
        let s3 = self.get("s3");
        if s3.is_empty() { self.get("email") } else { s3 }
    }
}

/// A sign-in's contact fields, opened with the server's key (`sid` is the seal's context).
/// An empty blob is contact data its visitor deleted (`/me`): no fields.
pub(crate) fn open_contact(state: &AppState, sid: &str, sealed: &[u8]) -> BTreeMap<String, String> {
    if sealed.is_empty() {
        return BTreeMap::new();
    }
    state
        .keys
        .vault
        .open(sid.as_bytes(), sealed)
        .ok()
        .and_then(|p| serde_json::from_slice(&p).ok())
        .unwrap_or_else(|| {
            tracing::error!("stored contact data does not open");
            BTreeMap::from([("s1".to_owned(), "(unreadable)".to_owned())])
        })
}

/// A stay's contact fields: its sign-in's, and for what the sign-in does not carry (a
/// compact pass has only the name) its registration's, joined by `r`.
fn stay_contact(state: &AppState, stay: &Stay) -> BTreeMap<String, String> {
    let registration = stay
        .registration
        .as_deref()
        .zip(stay.registration_contact.as_deref());
    joined_contact(state, &stay.sid, &stay.contact, registration)
}

/// A sign-in's contact fields (`sid`, `sealed`) with what it does not carry taken from its
/// registration (`id`, sealed contact), if one is stored.
pub(crate) fn joined_contact(
    state: &AppState,
    sid: &str,
    sealed: &[u8],
    registration: Option<(&str, &[u8])>,
) -> BTreeMap<String, String> {
    let mut fields = open_contact(state, sid, sealed);
    if let Some((r, sealed)) = registration {
        for (k, v) in open_contact(state, r, sealed) {
            let missing = fields.get(&k).is_none_or(String::is_empty);
            if missing && !v.is_empty() {
                fields.insert(k, v);
            }
        }
    }
    fields
}

fn open_rows(state: &AppState, rows: Vec<Stay>) -> Vec<Contact> {
    rows.into_iter()
        .map(|stay| Contact {
            fields: stay_contact(state, &stay),
            stay,
        })
        .collect()
}

/// When a stay ended, as a page or a CSV says it: the real exit, or the estimate and why.
fn left(lang: PageLang, end: StayEnd) -> (String, String) {
    let how = match end {
        StayEnd::Exit(_) => "admin-left-exit",
        StayEnd::AutoExit(_) => "admin-left-auto",
        StayEnd::Default(_) => "admin-left-default",
    };
    (fmt_time(end.at()), lang.text(how))
}

fn contact_table(lang: PageLang, rows: &[Contact], default_stay: i64) -> String {
    let mut t = format!(
        "<table>{}",
        header_row(
            lang,
            &[
                "admin-col-signed-in",
                "admin-col-left",
                "admin-col-entrance",
                "admin-col-people",
                "admin-col-kiosk",
                "admin-col-name",
                "admin-col-phone",
                "admin-col-email",
            ]
        )
    );
    for c in rows {
        let (at, how) = left(lang, c.stay.end(default_stay));
        let left = if c.stay.end(default_stay).is_estimate() {
            format!("<span class=\"estimate\">{at} ({})</span>", esc(&how))
        } else {
            at
        };
        t.push_str(&format!(
            "<tr><td>{}</td><td>{left}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            fmt_time(c.stay.scanned_at),
            esc(&c.stay.entrance),
            c.stay.heads,
            esc(&c.stay.device_id),
            esc(c.get("s1")),
            esc(c.get("s2")),
            esc(c.email())
        ));
    }
    t.push_str("</table>");
    t
}

/// A query that does not parse.
pub(crate) fn bad_query() -> PageError {
    PageError::text(StatusCode::BAD_REQUEST, "admin-error-query")
}

/// The default stay, in seconds: the configured minutes.
fn default_stay(state: &AppState) -> i64 {
    state.config.stay_minutes * 60
}

pub(crate) async fn audit(
    state: &AppState,
    s: &AdminSession,
    action: &str,
    detail: &str,
) -> Result<(), PageError> {
    state
        .store
        .audit(state.now(), Some(s.admin_id), action, detail)
        .await?;
    Ok(())
}

/// Query naming a day.
#[derive(Debug, Deserialize)]
pub struct DayQuery {
    #[serde(default)]
    date: String,
}

fn day_range(date: &str) -> Result<(i64, i64), PageError> {
    let from = parse_day(date)
        .ok_or_else(|| PageError::text(StatusCode::BAD_REQUEST, "admin-error-day"))?;
    Ok((from, from + 86_400))
}

/// `GET /admin/day?date=YYYY-MM-DD`: one day's sign-ins, contact data shown (audited).
pub async fn day(
    State(state): State<AppState>,
    s: AdminSession,
    q: Result<Query<DayQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Html<String>, PageError> {
    let Query(q) = q.map_err(|_| bad_query())?;
    let (from, to) = day_range(&q.date)?;
    let rows = state.store.stays_between(from, to, MAX_ROWS).await?;
    let n = rows.len();
    let contacts = open_rows(&state, rows);
    audit(
        &state,
        &s,
        "view",
        &format!("sign-ins of {}: {n} rows", fmt_day(from)),
    )
    .await?;
    let body = format!(
        "<p><a href=\"/admin/export.csv?what=day&amp;date={}\">{}</a></p>{}",
        fmt_day(from),
        esc(&s.lang.text("admin-export-csv")),
        contact_table(s.lang, &contacts, default_stay(&state))
    );
    Ok(admin_page(
        &s,
        &s.lang
            .text_with("admin-day-title", &[("day", fmt_day(from).into())]),
        &body,
    ))
}

/// Query identifying a person and a period.
#[derive(Debug, Deserialize, Default)]
pub struct PersonQuery {
    #[serde(default)]
    by: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    stay: String,
}

struct Person {
    column: IndexColumn,
    kind: IndexKind,
    bi: Vec<u8>,
    from: i64,
    to: i64,
}

fn person(state: &AppState, q: &PersonQuery) -> Result<Option<Person>, PageError> {
    if q.q.trim().is_empty() {
        return Ok(None);
    }
    let (column, kind) = match q.by.as_str() {
        "name" => (IndexColumn::Name, IndexKind::Name),
        "phone" => (IndexColumn::Phone, IndexKind::Phone),
        "email" => (IndexColumn::Email, IndexKind::Email),
        _ => {
            return Err(PageError::text(
                StatusCode::BAD_REQUEST,
                "admin-error-search-by",
            ));
        }
    };
    let bi = state
        .keys
        .vault
        .blind_index(kind, &q.q)
        .ok_or_else(|| PageError::text(StatusCode::BAD_REQUEST, "admin-error-nothing"))?;
    let from = if q.from.trim().is_empty() {
        0
    } else {
        parse_day(&q.from)
            .ok_or_else(|| PageError::text(StatusCode::BAD_REQUEST, "admin-error-dates"))?
    };
    let to = if q.to.trim().is_empty() {
        i64::MAX
    } else {
        parse_day(&q.to)
            .ok_or_else(|| PageError::text(StatusCode::BAD_REQUEST, "admin-error-dates"))?
            + 86_400
    };
    Ok(Some(Person {
        column,
        kind,
        bi,
        from,
        to,
    }))
}

fn kind_name(k: IndexKind) -> &'static str {
    match k {
        IndexKind::Name => "name",
        IndexKind::Phone => "phone",
        IndexKind::Email => "email",
    }
}

fn person_form(lang: PageLang, action: &str, q: &PersonQuery, extra: &str) -> String {
    let sel = |v: &str| if q.by == v { " selected" } else { "" };
    let t = |id: &str| esc(&lang.text(id));
    format!(
        "<form method=\"get\" action=\"{action}\">\
         <label>{} <select name=\"by\"><option value=\"name\"{}>{}</option>\
         <option value=\"phone\"{}>{}</option><option value=\"email\"{}>{}</option></select></label>\
         <label>{} <input name=\"q\" value=\"{}\" required></label>\
         <label>{} <input type=\"date\" name=\"from\" value=\"{}\"></label>\
         <label>{} <input type=\"date\" name=\"to\" value=\"{}\"></label>{extra}\
         <button type=\"submit\">{}</button></form>",
        t("admin-search-by"),
        sel("name"),
        t("admin-search-name"),
        sel("phone"),
        t("admin-search-phone"),
        sel("email"),
        t("admin-search-email"),
        t("admin-search-exactly"),
        esc(&q.q),
        t("admin-search-from"),
        esc(&q.from),
        t("admin-search-to"),
        esc(&q.to),
        t("admin-search-submit"),
    )
}

/// `GET /admin/find`: a person's sign-ins by exact name, phone or e-mail (audited).
pub async fn find(
    State(state): State<AppState>,
    s: AdminSession,
    q: Result<Query<PersonQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Html<String>, PageError> {
    let Query(q) = q.map_err(|_| bad_query())?;
    let mut body = person_form(s.lang, "/admin/find", &q, "");
    if let Some(p) = person(&state, &q)? {
        let rows = state
            .store
            .stays_by_index(p.column, &p.bi, p.from, p.to, MAX_ROWS)
            .await?;
        audit(
            &state,
            &s,
            "search",
            &format!("find by {}: {} results", kind_name(p.kind), rows.len()),
        )
        .await?;
        body.push_str(&format!(
            "<p>{}</p>",
            esc(&s
                .lang
                .text_with("admin-find-count", &[("count", rows.len().into())]))
        ));
        body.push_str(&contact_table(
            s.lang,
            &open_rows(&state, rows),
            default_stay(&state),
        ));
    }
    Ok(admin_page(&s, &s.lang.text("admin-find-title"), &body))
}

/// The person's visits and everyone whose stay overlapped one of them, widened by `minutes`.
/// A stay runs from its entry to its real exit, its automatic exit (an estimate), or only
/// when no exit is known to the entry plus `stay` minutes ([`Stay::end`]).
async fn trace_rows(
    state: &AppState,
    p: &Person,
    minutes: i64,
    stay: i64,
) -> Result<(Vec<Stay>, Vec<Stay>), PageError> {
    let visits = state
        .store
        .stays_by_index(p.column, &p.bi, p.from, p.to, MAX_ROWS)
        .await?;
    let own: BTreeSet<i64> = visits.iter().map(|r| r.seq).collect();
    let (widen, stay) = (minutes * 60, stay * 60);
    // a stay whose exit is known may have begun up to the inside window (the kiosks' longest
    // stay) before the visit
    let lookback = stay.max(state.config.door.max_stay_minutes * 60);
    let mut seen = BTreeSet::new();
    let mut others = Vec::new();
    for v in &visits {
        let (from, to) = (v.scanned_at - widen, v.end(stay).at() + widen);
        let rows = state
            .store
            .stays_overlapping(from, to, stay, lookback, MAX_ROWS)
            .await?;
        for r in rows {
            if !own.contains(&r.seq) && seen.insert(r.seq) {
                others.push(r);
            }
        }
    }
    others.sort_by_key(|r| (r.scanned_at, r.seq));
    Ok((visits, others))
}

fn parse_minutes(s: &str, default: i64) -> Result<i64, PageError> {
    if s.trim().is_empty() {
        return Ok(default);
    }
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (0..=24 * 60).contains(m))
        .ok_or_else(|| PageError::text(StatusCode::BAD_REQUEST, "admin-error-minutes"))
}

/// `GET /admin/trace`: who was here within N minutes of this person's visits (audited).
pub async fn trace(
    State(state): State<AppState>,
    s: AdminSession,
    q: Result<Query<PersonQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Html<String>, PageError> {
    let Query(q) = q.map_err(|_| bad_query())?;
    let minutes = parse_minutes(&q.minutes, 15)?;
    let stay = parse_minutes(&q.stay, state.config.stay_minutes)?;
    let extra = format!(
        "<label>{} <input type=\"number\" name=\"minutes\" min=\"0\" max=\"1440\" value=\"{minutes}\"></label>\
         <label>{} <input type=\"number\" name=\"stay\" min=\"0\" max=\"1440\" value=\"{stay}\"></label>",
        esc(&s.lang.text("admin-trace-within")),
        esc(&s.lang.text("admin-trace-stay")),
    );
    let mut body = person_form(s.lang, "/admin/trace", &q, &extra);
    if let Some(p) = person(&state, &q)? {
        let (visits, others) = trace_rows(&state, &p, minutes, stay).await?;
        body.push_str(&format!("<p>{}</p>", esc(&s.lang.text("admin-trace-note"))));
        audit(
            &state,
            &s,
            "trace",
            &format!(
                "who was here by {}: {} visits, {} others (within {minutes} min, stay {stay} min)",
                kind_name(p.kind),
                visits.len(),
                others.len()
            ),
        )
        .await?;
        let export = format!(
            "/admin/export.csv?what=trace&amp;by={}&amp;q={}&amp;from={}&amp;to={}&amp;minutes={minutes}&amp;stay={stay}",
            esc(&q.by),
            esc(&usher_core::form::encode(q.q.as_bytes())),
            esc(&q.from),
            esc(&q.to)
        );
        body.push_str(&format!(
            "<h2>{}</h2>{}<h2>{}</h2><p><a href=\"{export}\">{}</a></p>{}",
            esc(&s
                .lang
                .text_with("admin-trace-visits", &[("count", visits.len().into())])),
            contact_table(s.lang, &open_rows(&state, visits), stay * 60),
            esc(&s
                .lang
                .text_with("admin-trace-others", &[("count", others.len().into())])),
            esc(&s.lang.text("admin-export-csv")),
            contact_table(s.lang, &open_rows(&state, others), stay * 60)
        ));
    }
    Ok(admin_page(&s, &s.lang.text("admin-trace-title"), &body))
}

/// Query of the CSV export.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    what: String,
    #[serde(default)]
    date: String,
    #[serde(flatten)]
    person: PersonQuery,
}

/// One CSV cell: quoted, cleaned of control and bidi characters, formulas defused.
pub use usher_core::display::csv_cell;

/// CSV lines of cells, each through [`csv_cell`], CRLF-ended.
fn csv_lines<const N: usize>(header: &str, rows: impl Iterator<Item = [String; N]>) -> String {
    let mut out = format!("{header}\r\n");
    for cells in rows {
        out.push_str(
            &cells
                .iter()
                .map(|x| csv_cell(x))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

fn csv(lang: PageLang, rows: &[Contact], default_stay: i64) -> String {
    csv_lines(
        &lang.text("admin-csv-signins"),
        rows.iter().map(|c| {
            let (at, how) = left(lang, c.stay.end(default_stay));
            [
                fmt_time(c.stay.scanned_at),
                c.stay.device_id.clone(),
                c.get("s1").to_owned(),
                c.get("s2").to_owned(),
                c.email().to_owned(),
                at,
                how,
                c.stay.entrance.clone(),
                c.stay.heads.to_string(),
            ]
        }),
    )
}

fn csv_response(filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /admin/export.csv?what=day&date=…` or `?what=trace&by=…&q=…`: CSV (audited).
pub async fn export(
    State(state): State<AppState>,
    s: AdminSession,
    q: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let Query(q) = q.map_err(|_| bad_query())?;
    let (rows, detail, stay) = match q.what.as_str() {
        "day" => {
            let (from, to) = day_range(&q.date)?;
            let rows = state.store.stays_between(from, to, MAX_ROWS).await?;
            let d = format!("CSV of {}: {} rows", fmt_day(from), rows.len());
            (rows, d, default_stay(&state))
        }
        "trace" => {
            let p = person(&state, &q.person)?
                .ok_or_else(|| PageError::text(StatusCode::BAD_REQUEST, "admin-error-nothing"))?;
            let minutes = parse_minutes(&q.person.minutes, 15)?;
            let stay = parse_minutes(&q.person.stay, state.config.stay_minutes)?;
            let (visits, mut others) = trace_rows(&state, &p, minutes, stay).await?;
            let d = format!(
                "CSV of who was here by {}: {} visits, {} others",
                kind_name(p.kind),
                visits.len(),
                others.len()
            );
            let mut all = visits;
            all.append(&mut others);
            (all, d, stay * 60)
        }
        _ => {
            return Err(PageError::text(
                StatusCode::BAD_REQUEST,
                "admin-error-export",
            ));
        }
    };
    audit(&state, &s, "export", &detail).await?;
    Ok(csv_response(
        "usher-export.csv",
        csv(s.lang, &open_rows(&state, rows), stay),
    ))
}

/// `GET /admin/audit`.
pub async fn audit_page(
    State(state): State<AppState>,
    s: AdminSession,
) -> Result<Html<String>, PageError> {
    let log = state.store.audit_log(1000).await?;
    let mut body = format!(
        "<table>{}",
        header_row(
            s.lang,
            &[
                "admin-col-when",
                "admin-col-who",
                "admin-col-what",
                "admin-col-details"
            ]
        )
    );
    let server = s.lang.text("admin-audit-server");
    for e in log {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            fmt_time(e.at),
            esc(e.admin.as_deref().unwrap_or(&server)),
            esc(&e.action),
            esc(&e.detail)
        ));
    }
    body.push_str("</table>");
    Ok(admin_page(&s, &s.lang.text("admin-audit-title"), &body))
}

/// `GET /admin/double-uses`.
pub async fn double_uses(
    State(state): State<AppState>,
    s: AdminSession,
) -> Result<Html<String>, PageError> {
    let rows = state.store.double_uses(1000).await?;
    let mut body = format!(
        "<p>{}</p><table>{}",
        esc(&s.lang.text("admin-double-intro")),
        header_row(
            s.lang,
            &[
                "admin-col-pass",
                "admin-col-first",
                "admin-col-first-kiosk",
                "admin-col-again",
                "admin-col-kiosk",
            ]
        )
    );
    for d in rows {
        body.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            &hex::encode(&d.pass_id)[..16],
            fmt_time(d.first_at),
            esc(&d.first_device_id),
            fmt_time(d.at),
            esc(&d.device_id)
        ));
    }
    body.push_str("</table>");
    Ok(admin_page(&s, &s.lang.text("admin-double-title"), &body))
}

/// `GET /admin/organiser.pem`: the organiser's public key, for kiosks' `publicKeyFile`.
pub async fn public_key(State(state): State<AppState>, _s: AdminSession) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/x-pem-file"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"organiser.pub.pem\"",
            ),
        ],
        state.keys.public_pem.clone(),
    )
        .into_response()
}

fn devices_body(state: &AppState, s: &AdminSession, devices: &[crate::store::Device]) -> String {
    let t = |id: &str| esc(&s.lang.text(id));
    let mut body = format!(
        "<form method=\"post\" action=\"/admin/devices\">{}\
         <label>{} <input name=\"name\" required maxlength=\"100\"></label>\
         <button type=\"submit\">{}</button></form>\
         <h2>{}</h2><pre>{}</pre><p><a href=\"/admin/organiser.pub.pem\">{}</a></p>\
         <h2>{}</h2><table>{}",
        s.csrf_field(),
        t("admin-kiosks-new"),
        t("admin-kiosks-enrol"),
        t("admin-kiosks-key"),
        esc_pre(&state.keys.public_pem),
        t("admin-kiosks-download"),
        t("admin-kiosks-title"),
        header_row(
            s.lang,
            &[
                "admin-col-name",
                "admin-col-enrolled",
                "admin-col-last-seen",
                "admin-col-state",
                "admin-col-actions",
            ]
        )
    );
    for d in devices {
        let (st, action) = match d.revoked_at {
            Some(at) => (
                s.lang
                    .text_with("admin-kiosk-revoked", &[("when", fmt_time(at).into())]),
                String::new(),
            ),
            None => (
                s.lang.text("admin-kiosk-active"),
                format!(
                    "<form class=\"inline\" method=\"post\" action=\"/admin/devices/{}/revoke\">{}\
                     <button type=\"submit\">{}</button></form>",
                    d.id,
                    s.csrf_field(),
                    t("admin-kiosk-revoke")
                ),
            ),
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{action}</td></tr>",
            esc(&d.name),
            fmt_time(d.created_at),
            d.last_seen_at
                .map_or_else(|| s.lang.text("admin-never"), fmt_time),
            esc(&st)
        ));
    }
    body.push_str("</table>");
    body
}

/// `GET /admin/devices`.
pub async fn devices(
    State(state): State<AppState>,
    s: AdminSession,
) -> Result<Html<String>, PageError> {
    let list = state.store.devices().await?;
    Ok(admin_page(
        &s,
        &s.lang.text("admin-kiosks-title"),
        &devices_body(&state, &s, &list),
    ))
}

/// The enrolment form.
#[derive(Debug, Deserialize)]
pub struct EnrolForm {
    /// Missing counts as wrong: the CSRF check answers 403, not a parse error.
    #[serde(default)]
    csrf: String,
    name: String,
}

/// The enrolment text a kiosk scans: server URL, device token, organiser key and the name
/// the kiosk was enrolled under (its device id: the server refuses rows naming another).
pub fn enrolment_text(server: &str, token: &str, public_raw: &[u8; 32], device: &str) -> String {
    format!(
        "usher-enroll:?server={}&token={}&key={}&device={}",
        usher_core::form::encode(server.as_bytes()),
        token,
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(public_raw),
        usher_core::form::encode(device.as_bytes())
    )
}

/// `POST /admin/devices`: enrols a kiosk; shows its token once, as QR and text.
pub async fn enrol(
    State(state): State<AppState>,
    s: AdminSession,
    Form(f): Form<EnrolForm>,
) -> Result<Response, PageError> {
    s.check_csrf(&f.csrf)?;
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 100 || usher_core::display::clean(name) != name {
        return Err(PageError::text(
            StatusCode::BAD_REQUEST,
            "admin-error-kiosk-name",
        ));
    }
    let token = random_token()?;
    let id = state
        .store
        .create_device(name, &token_hash(&token), state.now())
        .await?;
    audit(&state, &s, "enrol", &format!("kiosk {id} enrolled")).await?;
    let text = enrolment_text(
        &state.config.public_url,
        &token,
        &state.keys.public_raw(),
        name,
    );
    let png = qr_png(&text).map_err(|e| PageError::internal(&e))?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    let body = format!(
        "<p>{}</p><p><img alt=\"{}\" src=\"data:image/png;base64,{b64}\"></p>\
         <pre>{}</pre><p><a href=\"/admin/devices\">{}</a></p>",
        text_marked(s.lang, "admin-enrolled-intro", &[], ("name", name, "b")),
        esc(&s.lang.text("admin-enrolled-image")),
        esc_pre(&text),
        esc(&s.lang.text("admin-enrolled-back")),
    );
    Ok(admin_page(&s, &s.lang.text("admin-enrolled-title"), &body).into_response())
}

/// `POST /admin/devices/{id}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    s: AdminSession,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    s.check_csrf(&f.csrf)?;
    if !state.store.revoke_device(id, state.now()).await? {
        return Err(PageError::text(
            StatusCode::NOT_FOUND,
            "admin-error-no-kiosk",
        ));
    }
    audit(&state, &s, "revoke", &format!("kiosk {id} revoked")).await?;
    Ok(Redirect::to("/admin/devices").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_defused_and_quoted() {
        assert_eq!(csv_cell("=1+1"), "\"'=1+1\"");
        assert_eq!(csv_cell("+44 20"), "\"'+44 20\"");
        assert_eq!(csv_cell("-x"), "\"'-x\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("\t=x"), "\"' =x\"");
        assert_eq!(csv_cell("\r@x"), "\"' @x\"");
        assert_eq!(csv_cell("\u{202E}=x"), "\"'=x\"");
        assert_eq!(csv_cell("a\"b,c"), "\"a\"\"b,c\"");
        assert_eq!(csv_cell("Ann"), "\"Ann\"");
    }

    #[test]
    fn enrolment_text_form() {
        let t = enrolment_text(
            "https://door.example.org:8443/u x",
            "TOK",
            &[0u8; 32],
            "Front door",
        );
        assert_eq!(
            t,
            "usher-enroll:?server=https%3A%2F%2Fdoor.example.org%3A8443%2Fu+x&token=TOK&key=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&device=Front+door"
        );
    }
}
