//! The door's admin pages (DESIGN §8): the admin home with the day at a glance (arrivals per
//! quarter hour and the most people inside at once, per entrance, as an SVG chart drawn here
//! with the figures beside it) and sign-ins by day with head counts, entrances and stays;
//! "Inside now" per entrance with each kiosk's last upload, reloading itself without
//! JavaScript when the member asks for it; the roll call for an evacuation, printable and as CSV (audited: it shows names).

use super::{
    DayQuery, MAX_ROWS, admin_page, audit, bad_query, csv_lines, csv_response, day_range,
    header_row, joined_contact, nav,
};
use crate::auth::AdminSession;
use crate::http::{
    PageError, PageLang, esc, fmt_day, fmt_time, page_in, refreshing_page, text_marked,
};
use crate::state::AppState;
use crate::store::door::{
    EntranceCount, EntranceDay, KioskUpload, Present, QUARTER, QUARTERS, QuarterFigures,
    day_figures,
};
use axum::extract::{Query, RawQuery, State};
use axum::response::{Html, Response};

/// How often "Inside now" reloads itself, in seconds.
pub const INSIDE_REFRESH_SECONDS: u32 = 30;

/// The first second a stay may have begun and still count as inside.
fn inside_since(state: &AppState) -> i64 {
    state.now() - state.config.door.max_stay_minutes * 60
}

/// `HH:MM` (UTC) of a Unix time.
fn clock(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map_or_else(|| unix.to_string(), |t| t.format("%H:%M").to_string())
}

/// "5 min ago", "2 h 10 min ago", or "never".
fn age(lang: PageLang, at: Option<i64>, now: i64) -> String {
    let Some(at) = at else {
        return lang.text("admin-never");
    };
    let min = (now - at).max(0) / 60;
    let when = fmt_time(at);
    if min < 60 {
        lang.text_with(
            "admin-ago-minutes",
            &[("when", when.into()), ("minutes", min.into())],
        )
    } else {
        lang.text_with(
            "admin-ago-hours",
            &[
                ("when", when.into()),
                ("hours", (min / 60).into()),
                ("minutes", (min % 60).into()),
            ],
        )
    }
}

fn kiosks_table(lang: PageLang, kiosks: &[KioskUpload], now: i64) -> String {
    let mut t = format!(
        "<table class=\"kiosks\">{}",
        header_row(
            lang,
            &[
                "admin-col-kiosk",
                "admin-col-last-upload",
                "admin-col-last-contact"
            ]
        )
    );
    for k in kiosks.iter().filter(|k| !k.revoked) {
        t.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&k.name),
            esc(&age(lang, k.last_upload, now)),
            esc(&age(lang, k.last_seen, now))
        ));
    }
    t.push_str(&format!(
        "</table><p>{}</p>",
        esc(&lang.text("admin-kiosks-offline"))
    ));
    t
}

fn counts_table(lang: PageLang, counts: &[EntranceCount]) -> String {
    let mut t = format!(
        "<table class=\"inside\">{}",
        header_row(
            lang,
            &[
                "admin-col-entrance",
                "admin-col-people-inside",
                "admin-col-passes"
            ]
        )
    );
    for c in counts {
        t.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.entrance),
            c.heads,
            c.stays
        ));
    }
    let (heads, stays) = counts
        .iter()
        .fold((0, 0), |(h, s), c| (h + c.heads, s + c.stays));
    t.push_str(&format!(
        "<tr class=\"total\"><th>{}</th><th>{heads}</th><th>{stays}</th></tr></table>",
        esc(&lang.text("admin-total"))
    ));
    t
}

/// People counted with the kiosks' `+1`/`-1` and no record, per entrance, and everyone
/// inside with them; nothing when no tally is counted.
fn tallied_table(lang: PageLang, tallied: &[(String, i64)], counts: &[EntranceCount]) -> String {
    if tallied.is_empty() {
        return String::new();
    }
    let mut t = format!(
        "<h2>{}</h2><table class=\"tallied\"><tr><th>{}</th><th>{}</th></tr>",
        esc(&lang.text("tally-uncounted")),
        esc(&lang.text("tally-entrance")),
        esc(&lang.text("tally-people"))
    );
    for (entrance, n) in tallied {
        t.push_str(&format!("<tr><td>{}</td><td>{n}</td></tr>", esc(entrance)));
    }
    let uncounted: i64 = tallied.iter().map(|(_, n)| n).sum();
    let named: i64 = counts.iter().map(|c| c.heads).sum();
    t.push_str(&format!(
        "</table><p class=\"with-tallied\">{}</p>",
        esc(&lang.text_with(
            "tally-inside-total",
            &[
                ("count", (named + uncounted).into()),
                ("uncounted", uncounted.into())
            ]
        ))
    ));
    t
}

/// `GET /admin/inside[?reload=on]`: people inside now per entrance, and each kiosk's last
/// upload. With `reload=on` (the page's own link: the member asks for it, as WCAG 2.2.1
/// wants of a page that changes by itself) it reloads itself every
/// [`INSIDE_REFRESH_SECONDS`], and links back to the page that does not.
pub async fn inside(
    State(state): State<AppState>,
    s: AdminSession,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, PageError> {
    let reloading = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|kv| kv == "reload=on"));
    let now = state.now();
    let counts = state.store.inside_now(inside_since(&state)).await?;
    let tallied = state.store.tallied(inside_since(&state)).await?;
    let kiosks = state.store.kiosk_uploads().await?;
    // The roll call has names and phones: linked only for a role that may open it.
    let lang = s.lang;
    let roll_call = if s.role.allows(crate::team::Role::Tracer) {
        format!(
            " <a href=\"/admin/roll-call\">{}</a> · <a href=\"/admin/roll-call.csv\">{}</a>",
            esc(&lang.text("admin-nav-roll-call")),
            esc(&lang.text("admin-csv"))
        )
    } else {
        String::new()
    };
    let title = lang.text("admin-inside-title");
    let (as_of, reload) = if reloading {
        (
            lang.text_with(
                "admin-inside-as-of",
                &[
                    ("when", fmt_time(now).into()),
                    ("seconds", INSIDE_REFRESH_SECONDS.into()),
                ],
            ),
            format!(
                " <a href=\"/admin/inside\">{}</a>",
                esc(&lang.text("admin-inside-stop"))
            ),
        )
    } else {
        (
            lang.text_with(
                "admin-inside-as-of-still",
                &[("when", fmt_time(now).into())],
            ),
            format!(
                " <a href=\"/admin/inside?reload=on\">{}</a>",
                esc(&lang.text_with(
                    "admin-inside-start",
                    &[("seconds", INSIDE_REFRESH_SECONDS.into())]
                ))
            ),
        )
    };
    let body = format!(
        "{}<h1>{}</h1><p>{}{reload}{roll_call}</p>{}{}<h2>{}</h2>{}",
        nav(&s),
        esc(&title),
        esc(&as_of),
        counts_table(lang, &counts),
        tallied_table(lang, &tallied, &counts),
        esc(&lang.text("admin-kiosks-title")),
        kiosks_table(lang, &kiosks, now)
    );
    Ok(if reloading {
        refreshing_page(lang, &title, INSIDE_REFRESH_SECONDS, &body)
    } else {
        page_in(lang, &title, &body)
    })
}

/// The roll call with names: (entrance, name, phone, since, kiosk, heads) per open stay.
fn named(state: &AppState, rows: &[Present]) -> Vec<[String; 6]> {
    rows.iter()
        .map(|p| {
            let registration = p
                .registration
                .as_ref()
                .map(|(r, c)| (r.as_str(), c.as_slice()));
            let f = joined_contact(state, &p.sid, &p.contact, registration);
            let get = |k: &str| f.get(k).cloned().unwrap_or_default();
            [
                p.entrance.clone(),
                get("s1"),
                get("s2"),
                fmt_time(p.since),
                p.device_id.clone(),
                p.heads.to_string(),
            ]
        })
        .collect()
}

/// `GET /admin/roll-call`: who is inside, per entrance, since when and through which kiosk,
/// with each kiosk's last upload; laid out to print (audited).
pub async fn roll_call(
    State(state): State<AppState>,
    s: AdminSession,
) -> Result<Html<String>, PageError> {
    let now = state.now();
    let rows = state
        .store
        .roll_call(inside_since(&state), MAX_ROWS)
        .await?;
    let tallied = state.store.tallied(inside_since(&state)).await?;
    let kiosks = state.store.kiosk_uploads().await?;
    audit(
        &state,
        &s,
        "view",
        &format!("roll call: {} stays", rows.len()),
    )
    .await?;
    let lang = s.lang;
    let people: i64 = rows.iter().map(|r| r.heads).sum();
    let mut body = format!(
        "<p>{} <span class=\"noprint\">{} <a href=\"/admin/roll-call.csv\">{}</a></span></p>",
        text_marked(
            lang,
            "admin-roll-as-of",
            &[
                ("when", fmt_time(now).into()),
                ("passes", rows.len().into())
            ],
            ("people", &people.to_string(), "b")
        ),
        esc(&lang.text("admin-roll-print")),
        esc(&lang.text("admin-csv"))
    );
    if rows.is_empty() {
        body.push_str(&format!(
            "<p class=\"nobody\">{}</p>",
            esc(&lang.text("admin-roll-nobody"))
        ));
    }
    let named = named(&state, &rows);
    let mut i = 0;
    while i < named.len() {
        let entrance = named[i][0].clone();
        let group: Vec<&[String; 6]> = named[i..].iter().take_while(|r| r[0] == entrance).collect();
        let heads: i64 = rows[i..i + group.len()].iter().map(|r| r.heads).sum();
        body.push_str(&format!(
            "<section class=\"rollcall\"><h2>{}</h2><table>{}",
            esc(&lang.text_with(
                "admin-roll-entrance",
                &[
                    ("entrance", entrance.as_str().into()),
                    ("people", heads.into())
                ]
            )),
            header_row(
                lang,
                &[
                    "admin-col-name",
                    "admin-col-phone",
                    "admin-col-inside-since",
                    "admin-col-kiosk",
                    "admin-col-people",
                ]
            )
        ));
        for r in &group {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r[1]),
                esc(&r[2]),
                esc(&r[3]),
                esc(&r[4]),
                esc(&r[5])
            ));
        }
        body.push_str("</table></section>");
        i += group.len();
    }
    if !tallied.is_empty() {
        body.push_str(&format!(
            "<section class=\"rollcall\"><h2>{}</h2><table><tr><th>{}</th><th>{}</th></tr>",
            esc(&lang.text("tally-uncounted")),
            esc(&lang.text("tally-entrance")),
            esc(&lang.text("tally-people"))
        ));
        for (entrance, n) in &tallied {
            body.push_str(&format!("<tr><td>{}</td><td>{n}</td></tr>", esc(entrance)));
        }
        body.push_str("</table></section>");
    }
    body.push_str(&format!(
        "<h2>{}</h2>{}",
        esc(&lang.text("admin-roll-kiosks")),
        kiosks_table(lang, &kiosks, now)
    ));
    Ok(admin_page(&s, &lang.text("admin-roll-title"), &body))
}

/// `GET /admin/roll-call.csv`: the roll call as CSV (audited).
pub async fn roll_call_csv(
    State(state): State<AppState>,
    s: AdminSession,
) -> Result<Response, PageError> {
    let rows = state
        .store
        .roll_call(inside_since(&state), MAX_ROWS)
        .await?;
    let tallied = state.store.tallied(inside_since(&state)).await?;
    audit(
        &state,
        &s,
        "export",
        &format!("CSV of the roll call: {} stays", rows.len()),
    )
    .await?;
    // People counted without a record: one row per entrance, the name column says so.
    let uncounted = s.lang.text("tally-uncounted");
    let tallied = tallied.into_iter().map(|(entrance, n)| {
        [
            entrance,
            uncounted.clone(),
            String::new(),
            String::new(),
            String::new(),
            n.to_string(),
        ]
    });
    let body = csv_lines(
        &s.lang.text("admin-csv-roll-call"),
        named(&state, &rows).into_iter().chain(tallied),
    );
    Ok(csv_response("usher-roll-call.csv", body))
}

/// Width of one quarter hour in the chart, and the chart's margins and plot height.
const STEP: i64 = 6;
const LEFT: i64 = 34;
const TOP: i64 = 8;
const HEIGHT: i64 = 120;

/// An entrance's day as an SVG chart: bars of arrivals per quarter hour, a line of the most
/// people inside at once, hours along the bottom. Drawn with presentation attributes only
/// (the CSP allows no inline style), so it shows and prints without JavaScript.
fn chart(day: &EntranceDay, title: &str, id: usize, drawn: usize) -> String {
    let top = day
        .quarters
        .iter()
        .map(|q| q.arrivals.max(q.inside))
        .max()
        .unwrap_or(0)
        .max(1);
    let y = |v: i64| TOP + HEIGHT - v * HEIGHT / top;
    // room on the right for the last hour's label
    let width = LEFT + STEP * QUARTERS as i64 + 16;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width} {}\" \
         role=\"img\" aria-labelledby=\"chart{id}\"><title id=\"chart{id}\">{}</title>",
        TOP + HEIGHT + 22,
        esc(title)
    );
    // axes and labels
    let base = TOP + HEIGHT;
    svg.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#444\"/>\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{base}\" stroke=\"#444\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\">{top}</text>\
         <text x=\"{}\" y=\"{base}\" font-size=\"10\" text-anchor=\"end\">0</text>",
        LEFT + STEP * QUARTERS as i64,
        LEFT - 4,
        TOP + 8,
        LEFT - 4
    ));
    for h in (0..=24).step_by(3) {
        let x = LEFT + STEP * 4 * h;
        svg.push_str(&format!(
            "<line x1=\"{x}\" y1=\"{base}\" x2=\"{x}\" y2=\"{}\" stroke=\"#444\"/>\
             <text x=\"{x}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{h:02}:00</text>",
            base + 4,
            base + 16
        ));
    }
    for (q, f) in day.quarters.iter().enumerate() {
        if f.arrivals > 0 {
            let x = LEFT + STEP * q as i64;
            svg.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#7a9cc6\"/>",
                x + 1,
                y(f.arrivals),
                STEP - 1,
                base - y(f.arrivals)
            ));
        }
    }
    let points: Vec<String> = day
        .quarters
        .iter()
        .take(drawn)
        .enumerate()
        .map(|(q, f)| format!("{},{}", LEFT + STEP * q as i64 + STEP / 2, y(f.inside)))
        .collect();
    if !points.is_empty() {
        svg.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"#b03030\" stroke-width=\"2\" points=\"{}\"/>",
            points.join(" ")
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The figures the chart draws, as a table: the quarters in which anyone came or was inside.
fn figures_table(lang: PageLang, day: &EntranceDay, start: i64, title: &str) -> String {
    // Scrolls by itself when long: focusable, so that a keyboard can scroll it too.
    let mut t = format!(
        "<div class=\"figures\" tabindex=\"0\" role=\"region\" aria-label=\"{}\"><table class=\"figures\">{}",
        esc(title),
        header_row(
            lang,
            &[
                "admin-col-quarter",
                "admin-col-arrivals",
                "admin-col-most-inside"
            ]
        )
    );
    for (q, f) in day.quarters.iter().enumerate() {
        if *f == QuarterFigures::default() {
            continue;
        }
        let from = start + QUARTER * q as i64;
        t.push_str(&format!(
            "<tr><td>{}–{}</td><td>{}</td><td>{}</td></tr>",
            clock(from),
            clock(from + QUARTER),
            f.arrivals,
            f.inside
        ));
    }
    let arrivals: i64 = day.quarters.iter().map(|q| q.arrivals).sum();
    let peak = day.quarters.iter().map(|q| q.inside).max().unwrap_or(0);
    t.push_str(&format!(
        "<tr class=\"total\"><th>{}</th><th>{arrivals}</th><th>{peak}</th></tr></table></div>",
        esc(&lang.text("admin-the-day"))
    ));
    t
}

/// `GET /admin[?date=YYYY-MM-DD]` (default today, UTC): the day at a glance (per entrance: a chart of arrivals per
/// quarter hour and the most inside at once, with its figures beside it), then sign-ins by day
/// with head counts, entrances and how the stays ended. No names: not audited.
pub async fn dashboard(
    State(state): State<AppState>,
    s: AdminSession,
    q: Result<Query<DayQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Html<String>, PageError> {
    let Query(q) = q.map_err(|_| bad_query())?;
    let now = state.now();
    let day = if q.date.trim().is_empty() {
        now.div_euclid(86_400) * 86_400
    } else {
        day_range(&q.date)?.0
    };
    let window = state.config.door.max_stay_minutes * 60;
    let stay = super::default_stay(&state);
    let spans = state
        .store
        .spans_touching(day, day + 86_400, window.max(stay))
        .await?;
    let days = day_figures(&spans, day, now, window, stay);
    let drawn = if now >= day + 86_400 {
        QUARTERS
    } else if now < day {
        0
    } else {
        usize::try_from((now - day) / QUARTER + 1).unwrap_or(0)
    };
    let lang = s.lang;
    let t = |id: &str| esc(&lang.text(id));
    let d = fmt_day(day);
    let mut body = format!(
        "<form class=\"noprint\" method=\"get\" action=\"/admin\"><label>{} \
         <input type=\"date\" name=\"date\" value=\"{d}\" required></label>\
         <button type=\"submit\">{}</button></form>\
         <h2>{}</h2><p>{}</p>",
        t("admin-glance-day"),
        t("admin-glance-show"),
        esc(&lang.text_with("admin-glance-title", &[("day", d.as_str().into())])),
        t("admin-glance-intro"),
    );
    if days.is_empty() {
        body.push_str(&format!("<p>{}</p>", t("admin-glance-none")));
    }
    for (i, e) in days.iter().enumerate() {
        let title = lang.text_with(
            "admin-glance-chart",
            &[
                ("entrance", e.entrance.as_str().into()),
                ("day", d.as_str().into()),
            ],
        );
        body.push_str(&format!(
            "<section class=\"glance\"><h3>{}</h3><div class=\"pair\">{}{}</div></section>",
            esc(&e.entrance),
            chart(e, &title, i, drawn),
            figures_table(lang, e, day, &title)
        ));
    }
    let summary = state
        .store
        .days_by_entrance(now - (state.config.retention_days + 1) * 86_400)
        .await?;
    body.push_str(&format!(
        "<h2>{}</h2><p>{}</p><table class=\"days\">{}",
        t("admin-days-title"),
        esc(&lang.text_with(
            "admin-days-intro",
            &[("days", state.config.retention_days.into())]
        )),
        header_row(
            lang,
            &[
                "admin-col-day",
                "admin-col-entrance",
                "admin-col-signins",
                "admin-col-people",
                "admin-col-left-scanned",
                "admin-col-auto",
                "admin-col-no-exit",
                "admin-col-average",
            ]
        )
    ));
    // A day's sign-ins have contact data: linked only for a role that may open them.
    let day_links = s.role.allows(crate::team::Role::Tracer);
    for r in &summary {
        let d = fmt_day(r.day);
        let day = if day_links {
            format!("<a href=\"/admin/day?date={d}\">{d}</a>")
        } else {
            d
        };
        body.push_str(&format!(
            "<tr><td>{day}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.entrance),
            r.signins,
            r.heads,
            r.scanned_out,
            r.auto_out,
            r.no_exit(),
            r.average_minutes().map_or_else(
                || "–".to_owned(),
                |m| lang.text_with("admin-minutes", &[("minutes", m.into())])
            )
        ));
    }
    body.push_str("</table>");
    Ok(admin_page(&s, &lang.text("admin-signins-title"), &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_draws_a_bar_per_busy_quarter_and_the_line_up_to_now() {
        let mut quarters = vec![QuarterFigures::default(); QUARTERS];
        quarters[4] = QuarterFigures {
            arrivals: 3,
            inside: 3,
        };
        quarters[5] = QuarterFigures {
            arrivals: 0,
            inside: 2,
        };
        let day = EntranceDay {
            entrance: "<sisters>".into(),
            quarters,
        };
        let svg = chart(&day, "<sisters> today", 0, 8);
        assert_eq!(svg.matches("<rect ").count(), 1, "{svg}");
        assert!(svg.contains("<title id=\"chart0\">&lt;sisters&gt; today</title>"));
        let points = svg
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(points.split(' ').count(), 8, "{points}");
        assert!(!svg.contains("style="), "the CSP allows no inline style");
        let table = figures_table(PageLang(usher_i18n::Lang::En), &day, 0, "t");
        assert!(
            table.contains("<td>01:00–01:15</td><td>3</td><td>3</td>"),
            "{table}"
        );
        assert!(
            table.contains("<th>The day</th><th>3</th><th>3</th>"),
            "{table}"
        );
        assert_eq!(
            table.matches("<tr>").count(),
            3,
            "header and two quarters: {table}"
        );
    }
}
