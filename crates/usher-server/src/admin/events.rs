//! The events' admin pages (DESIGN §9): the list of events with a form for a new one, and an
//! event's page: booked against arrived per entrance (reloading itself while kiosks upload, on request),
//! the form that edits it, the button that closes it to bookings, and the reservations as
//! CSV (a tracer's: it holds contact data, so every export is audited). Admins edit; viewers
//! read the figures.

use super::{MAX_ROWS, audit, csv_lines, csv_response, nav, open_contact};
use crate::auth::{AdminSession, CsrfForm};
use crate::events::{EVENT_ALPHABET, EVENT_LEN, random_code, when};
use crate::http::{PageError, PageLang, esc, fmt_time, page_in, refreshing_page};
use crate::state::AppState;
use crate::store::events::{EntranceFigures, EntranceSpec, Event, EventSpec};
use crate::team::Role;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

/// How often an event's page reloads itself, in seconds.
pub const EVENT_REFRESH_SECONDS: u32 = 30;
/// The most places one entrance may have.
pub const MAX_CAPACITY: i64 = 100_000;
/// The longest grace before the start, in minutes (a day).
pub const MAX_GRACE_MINUTES: i64 = 1_440;

fn events_page(s: &AdminSession, lang: PageLang, title: &str, body: &str) -> Html<String> {
    page_in(
        lang,
        title,
        &format!("{}<h1>{}</h1>{body}", nav(s), esc(title)),
    )
}

/// The event form's fields, as the browser posts them.
#[derive(Debug, Default, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
    #[serde(default)]
    largest_party: String,
    #[serde(default)]
    grace: String,
    #[serde(default)]
    entrances: String,
}

/// Why an event form is refused: the message id, and the field's label id it names (never
/// the value sent).
type Refusal = (&'static str, &'static str);

/// `YYYY-MM-DDTHH:MM` (what `datetime-local` posts; seconds and a space allowed) as UTC.
fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
        .map(|t| t.and_utc().timestamp())
}

fn time_value(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M").to_string())
}

/// The entrances box: one a line, its name then its places (`brothers 100`).
fn parse_entrances(text: &str) -> Option<Vec<EntranceSpec>> {
    let mut out: Vec<EntranceSpec> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, places) = line.rsplit_once(char::is_whitespace)?;
        let name = name.trim();
        name.parse::<usher_core::stay::Entrance>().ok()?;
        let capacity = places.parse::<i64>().ok()?;
        if !(1..=MAX_CAPACITY).contains(&capacity) || out.iter().any(|e| e.name == name) {
            return None;
        }
        out.push(EntranceSpec {
            name: name.to_owned(),
            capacity,
        });
    }
    (!out.is_empty() && out.len() <= 20).then_some(out)
}

/// The event a form describes. Booking opens now and closes at the end when left empty.
pub fn parse_event(f: &EventForm, now: i64) -> Result<EventSpec, Refusal> {
    const FIELD: &str = "events-error-field";
    let name = f.name.trim();
    if name.is_empty()
        || name.chars().count() > 100
        || usher_core::display::clean(name) != name
        || name.chars().any(char::is_control)
    {
        return Err((FIELD, "events-label-name"));
    }
    let starts = parse_time(&f.starts).ok_or((FIELD, "events-label-starts"))?;
    let ends = parse_time(&f.ends).ok_or((FIELD, "events-label-ends"))?;
    if ends <= starts {
        return Err(("events-error-order", "events-label-ends"));
    }
    let opens = match f.opens.trim() {
        "" => now,
        t => parse_time(t).ok_or((FIELD, "events-label-opens"))?,
    };
    let closes = match f.closes.trim() {
        "" => ends,
        t => parse_time(t).ok_or((FIELD, "events-label-closes"))?,
    };
    if closes <= opens {
        return Err(("events-error-order", "events-label-closes"));
    }
    let largest_party = f
        .largest_party
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=i64::from(usher_core::stay::PartySize::MAX)).contains(n))
        .ok_or((FIELD, "events-label-largest"))?;
    let grace_minutes = match f.grace.trim() {
        "" => 0,
        g => g
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=MAX_GRACE_MINUTES).contains(n))
            .ok_or((FIELD, "events-label-grace"))?,
    };
    let entrances = parse_entrances(&f.entrances).ok_or((FIELD, "events-label-entrances"))?;
    Ok(EventSpec {
        name: name.to_owned(),
        starts_at: starts,
        ends_at: ends,
        booking_opens_at: opens,
        booking_closes_at: closes,
        largest_party,
        grace_minutes,
        entrances,
    })
}

fn refusal_text(lang: PageLang, (message, field): Refusal) -> String {
    lang.text_with(message, &[("field", lang.text(field).into())])
}

/// The create or edit form, filled with `spec` when there is one.
fn event_form(s: &AdminSession, lang: PageLang, action: &str, spec: Option<&EventSpec>) -> String {
    let t = |id: &str| esc(&lang.text(id));
    let v = |f: fn(&EventSpec) -> String| spec.map_or(String::new(), |s| esc(&f(s)));
    let entrances = spec.map_or_else(
        || "brothers 100\nsisters 50".to_owned(),
        |s| {
            s.entrances
                .iter()
                .map(|e| format!("{} {}", e.name, e.capacity))
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
    let button = if spec.is_some() {
        "events-save"
    } else {
        "events-create"
    };
    format!(
        "<form method=\"post\" action=\"{action}\">{}\
         <label>{} <input name=\"name\" required maxlength=\"100\" value=\"{}\"></label>\
         <label>{} <input type=\"datetime-local\" name=\"starts\" required value=\"{}\"></label>\
         <label>{} <input type=\"datetime-local\" name=\"ends\" required value=\"{}\"></label>\
         <label>{} <input type=\"datetime-local\" name=\"opens\" value=\"{}\"></label>\
         <label>{} <input type=\"datetime-local\" name=\"closes\" value=\"{}\"></label>\
         <label>{} <input type=\"number\" name=\"largest_party\" min=\"1\" max=\"20\" required value=\"{}\"></label>\
         <label>{} <input type=\"number\" name=\"grace\" min=\"0\" max=\"{MAX_GRACE_MINUTES}\" value=\"{}\"></label>\
         <label>{} <textarea name=\"entrances\" rows=\"4\" required>{}</textarea></label>\
         <p>{}</p><button type=\"submit\">{}</button></form>",
        s.csrf_field(),
        t("events-label-name"),
        v(|s| s.name.clone()),
        t("events-label-starts"),
        v(|s| time_value(s.starts_at)),
        t("events-label-ends"),
        v(|s| time_value(s.ends_at)),
        t("events-label-opens"),
        v(|s| time_value(s.booking_opens_at)),
        t("events-label-closes"),
        v(|s| time_value(s.booking_closes_at)),
        t("events-label-largest"),
        spec.map_or("6".to_owned(), |s| s.largest_party.to_string()),
        t("events-label-grace"),
        spec.map_or("30".to_owned(), |s| s.grace_minutes.to_string()),
        t("events-label-entrances"),
        esc(&entrances),
        t("events-times-utc"),
        t(button),
    )
}

fn status(lang: PageLang, e: &Event, now: i64) -> String {
    let id = if e.closed_at.is_some() {
        "events-status-closed"
    } else if now >= e.spec.ends_at {
        "events-status-over"
    } else if e.open_at(now) {
        "events-status-open"
    } else if now < e.spec.booking_opens_at {
        "events-status-not-yet"
    } else {
        "events-status-booking-over"
    };
    lang.text(id)
}

/// `GET /admin/events`: every event with its places booked; an admin also gets the form
/// for a new one.
pub async fn list(
    State(state): State<AppState>,
    s: AdminSession,
    lang: PageLang,
) -> Result<Html<String>, PageError> {
    list_page(&state, &s, lang, None).await
}

async fn list_page(
    state: &AppState,
    s: &AdminSession,
    lang: PageLang,
    error: Option<&str>,
) -> Result<Html<String>, PageError> {
    let now = state.now();
    let t = |id: &str| esc(&lang.text(id));
    let mut rows = String::new();
    for e in state.store.events().await? {
        let booked: i64 = state.store.booked(&e.id).await?.iter().map(|b| b.1).sum();
        let capacity: i64 = e.spec.entrances.iter().map(|x| x.capacity).sum();
        rows.push_str(&format!(
            "<tr><td><a href=\"/admin/events/{}\">{}</a></td><td>{}</td><td>{booked} / {capacity}</td><td>{}</td></tr>",
            esc(&e.id),
            esc(&e.spec.name),
            esc(&when(lang, &e)),
            esc(&status(lang, &e, now)),
        ));
    }
    let table = if rows.is_empty() {
        format!("<p>{}</p>", t("events-none"))
    } else {
        format!(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{rows}</table>",
            t("events-col-event"),
            t("events-col-when"),
            t("events-col-booked"),
            t("events-col-status"),
        )
    };
    let new = if s.role.allows(Role::Admin) {
        let err = error.map_or(String::new(), |m| {
            format!("<p class=\"error\">{}</p>", esc(m))
        });
        format!(
            "<h2>{}</h2>{err}{}",
            t("events-new"),
            event_form(s, lang, "/admin/events", None)
        )
    } else {
        String::new()
    };
    Ok(events_page(
        s,
        lang,
        &lang.text("events-admin-title"),
        &format!("{table}{new}"),
    ))
}

/// `POST /admin/events`: creates an event, then shows its page.
pub async fn create(
    State(state): State<AppState>,
    s: AdminSession,
    lang: PageLang,
    Form(f): Form<EventForm>,
) -> Result<Response, PageError> {
    s.check_csrf(&f.csrf)?;
    let spec = match parse_event(&f, state.now()) {
        Ok(spec) => spec,
        Err(refusal) => {
            let msg = refusal_text(lang, refusal);
            let page = list_page(&state, &s, lang, Some(&msg)).await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let id = random_code(EVENT_ALPHABET, EVENT_LEN)?;
    state.store.create_event(&id, &spec, state.now()).await?;
    audit(&state, &s, "event", &format!("event {id} created")).await?;
    Ok(Redirect::to(&format!("/admin/events/{id}")).into_response())
}

fn figures_table(lang: PageLang, figures: &[EntranceFigures]) -> String {
    let t = |id: &str| esc(&lang.text(id));
    let mut out = format!(
        "<table class=\"event\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("events-col-entrance"),
        t("events-col-places"),
        t("events-col-booked"),
        t("events-col-left"),
        t("events-col-arrived"),
        t("events-col-elsewhere"),
    );
    let mut total = EntranceFigures::default();
    for f in figures {
        let (places, left) = match f.capacity {
            Some(c) => (c.to_string(), (c - f.booked).max(0).to_string()),
            None => ("–".to_owned(), "–".to_owned()),
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{places}</td><td>{} ({})</td><td>{left}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.entrance),
            f.booked,
            lang.text_with("events-parties", &[("count", f.parties.into())]),
            f.arrived,
            f.arrived_from_elsewhere,
        ));
        total.capacity = Some(total.capacity.unwrap_or(0) + f.capacity.unwrap_or(0));
        total.booked += f.booked;
        total.parties += f.parties;
        total.arrived += f.arrived;
        total.arrived_from_elsewhere += f.arrived_from_elsewhere;
    }
    let cap = total.capacity.unwrap_or(0);
    out.push_str(&format!(
        "<tr class=\"total\"><th>{}</th><th>{cap}</th><th>{} ({})</th><th>{}</th><th>{}</th><th>{}</th></tr></table>",
        t("events-total"),
        total.booked,
        lang.text_with("events-parties", &[("count", total.parties.into())]),
        (cap - total.booked).max(0),
        total.arrived,
        total.arrived_from_elsewhere,
    ));
    out
}

async fn event_or_404(state: &AppState, id: &str, lang: PageLang) -> Result<Event, PageError> {
    state
        .store
        .event(id)
        .await?
        .ok_or_else(|| PageError::new(StatusCode::NOT_FOUND, lang.text("events-no-such")))
}

/// `GET /admin/events/{id}[?reload=on]`: booked against arrived per entrance; with
/// `reload=on` (the page's own link, as "Inside now": WCAG 2.2.1 wants a page that changes by
/// itself to be asked for) it reloads itself every [`EVENT_REFRESH_SECONDS`] while kiosks
/// upload. The edit form and the close button for an admin.
pub async fn event_page(
    State(state): State<AppState>,
    s: AdminSession,
    lang: PageLang,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, PageError> {
    let reloading = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|kv| kv == "reload=on"));
    let event = event_or_404(&state, &id, lang).await?;
    render_event(&state, &s, lang, &event, None, reloading).await
}

async fn render_event(
    state: &AppState,
    s: &AdminSession,
    lang: PageLang,
    event: &Event,
    error: Option<&str>,
    reloading: bool,
) -> Result<Html<String>, PageError> {
    let now = state.now();
    let t = |id: &str| esc(&lang.text(id));
    let figures = state.store.event_figures(event).await?;
    let csv = if s.role.allows(Role::Tracer) {
        format!(
            " <a href=\"/admin/events/{}/reservations.csv\">{}</a>",
            esc(&event.id),
            t("events-csv")
        )
    } else {
        String::new()
    };
    let mut body = format!(
        "<p>{} · {}</p><p>{}</p><p>{}{csv}</p>{}",
        esc(&when(lang, event)),
        esc(&status(lang, event, now)),
        esc(&lang.text_with(
            "events-doors-open",
            &[("time", fmt_time(event.not_before()).into())]
        )),
        as_of(lang, &event.id, now, reloading),
        figures_table(lang, &figures),
    );
    if s.role.allows(Role::Admin) {
        let err = error.map_or(String::new(), |m| {
            format!("<p class=\"error\">{}</p>", esc(m))
        });
        body.push_str(&format!(
            "<h2>{}</h2>{err}{}",
            t("events-edit"),
            event_form(
                s,
                lang,
                &format!("/admin/events/{}", esc(&event.id)),
                Some(&event.spec)
            )
        ));
        if event.closed_at.is_none() {
            body.push_str(&format!(
                "<form method=\"post\" action=\"/admin/events/{}/close\">{}\
                 <button type=\"submit\">{}</button></form>",
                esc(&event.id),
                s.csrf_field(),
                t("events-close")
            ));
        }
    }
    let body = format!("{}<h1>{}</h1>{body}", nav(s), esc(&event.spec.name));
    Ok(if reloading {
        refreshing_page(lang, &event.spec.name, EVENT_REFRESH_SECONDS, &body)
    } else {
        page_in(lang, &event.spec.name, &body)
    })
}

/// "As of …" and the link that starts (or stops) the page reloading itself.
fn as_of(lang: PageLang, id: &str, now: i64, reloading: bool) -> String {
    let at = format!("/admin/events/{}", esc(id));
    if reloading {
        format!(
            "{} <a href=\"{at}\">{}</a>",
            esc(&lang.text_with(
                "events-as-of",
                &[
                    ("time", fmt_time(now).into()),
                    ("seconds", EVENT_REFRESH_SECONDS.into())
                ]
            )),
            esc(&lang.text("admin-inside-stop"))
        )
    } else {
        format!(
            "{} <a href=\"{at}?reload=on\">{}</a>",
            esc(&lang.text_with(
                "admin-inside-as-of-still",
                &[("when", fmt_time(now).into())]
            )),
            esc(&lang.text_with(
                "admin-inside-start",
                &[("seconds", EVENT_REFRESH_SECONDS.into())]
            ))
        )
    }
}

/// `POST /admin/events/{id}`: changes the event.
pub async fn edit(
    State(state): State<AppState>,
    s: AdminSession,
    lang: PageLang,
    Path(id): Path<String>,
    Form(f): Form<EventForm>,
) -> Result<Response, PageError> {
    s.check_csrf(&f.csrf)?;
    let event = event_or_404(&state, &id, lang).await?;
    let spec = match parse_event(&f, event.spec.booking_opens_at) {
        Ok(spec) => spec,
        Err(refusal) => {
            let msg = refusal_text(lang, refusal);
            let page = render_event(&state, &s, lang, &event, Some(&msg), false).await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    state.store.update_event(&event.id, &spec).await?;
    audit(&state, &s, "event", &format!("event {} changed", event.id)).await?;
    Ok(Redirect::to(&format!("/admin/events/{}", event.id)).into_response())
}

/// `POST /admin/events/{id}/close`: no more bookings.
pub async fn close(
    State(state): State<AppState>,
    s: AdminSession,
    lang: PageLang,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    s.check_csrf(&f.csrf)?;
    let event = event_or_404(&state, &id, lang).await?;
    if state.store.close_event(&event.id, state.now()).await? {
        audit(&state, &s, "event", &format!("event {} closed", event.id)).await?;
    }
    Ok(Redirect::to(&format!("/admin/events/{}", event.id)).into_response())
}

/// `GET /admin/events/{id}/reservations.csv`: every reservation with its contact and its
/// arrival (audited).
pub async fn export(
    State(state): State<AppState>,
    s: AdminSession,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let event = event_or_404(&state, &id, lang).await?;
    let rows = state.store.reservations(&event.id, MAX_ROWS).await?;
    audit(
        &state,
        &s,
        "export",
        &format!("event {} reservations ({} rows)", event.id, rows.len()),
    )
    .await?;
    let body = csv_lines(
        "reservation,entrance,places,booked_at,cancelled_at,name,phone,email,arrived_at,arrived_entrance,arrived_heads",
        rows.iter().map(|r| {
            let f = open_contact(&state, &r.id, &r.contact);
            let get = |k: &str| f.get(k).cloned().unwrap_or_default();
            let (at, entrance, heads) = r.arrived.clone().map_or_else(
                || (String::new(), String::new(), String::new()),
                |(at, e, h)| (fmt_time(at), e, h.to_string()),
            );
            [
                r.id.clone(),
                r.entrance.clone(),
                r.party.to_string(),
                fmt_time(r.created_at),
                r.cancelled_at.map(fmt_time).unwrap_or_default(),
                get("s1"),
                get("s2"),
                get("s3"),
                at,
                entrance,
                heads,
            ]
        }),
    );
    Ok(csv_response(
        &format!("event-{}-reservations.csv", event.id),
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> EventForm {
        EventForm {
            name: "Eid al-Fitr prayer".into(),
            starts: "2027-03-20T07:00".into(),
            ends: "2027-03-20T08:30".into(),
            largest_party: "6".into(),
            grace: "45".into(),
            entrances: "brothers 100\r\nsisters 50\n".into(),
            ..EventForm::default()
        }
    }

    #[test]
    fn an_event_form_parses_with_booking_from_now_until_the_end_by_default() {
        let spec = parse_event(&form(), 1_000).unwrap();
        assert_eq!(spec.starts_at, 1_805_526_000);
        assert_eq!(spec.ends_at - spec.starts_at, 90 * 60);
        assert_eq!(spec.booking_opens_at, 1_000);
        assert_eq!(spec.booking_closes_at, spec.ends_at);
        assert_eq!(spec.grace_minutes, 45);
        assert_eq!(
            spec.entrances,
            vec![
                EntranceSpec {
                    name: "brothers".into(),
                    capacity: 100
                },
                EntranceSpec {
                    name: "sisters".into(),
                    capacity: 50
                }
            ]
        );
    }

    #[test]
    fn a_bad_event_form_names_the_field() {
        type Change = fn(&mut EventForm);
        let cases: [(Change, Refusal); 8] = [
            (
                |f| f.name = " ".into(),
                ("events-error-field", "events-label-name"),
            ),
            (
                |f| f.starts = "soon".into(),
                ("events-error-field", "events-label-starts"),
            ),
            (
                |f| f.ends = "2027-03-20T06:00".into(),
                ("events-error-order", "events-label-ends"),
            ),
            (
                |f| f.largest_party = "21".into(),
                ("events-error-field", "events-label-largest"),
            ),
            (
                |f| f.grace = "-1".into(),
                ("events-error-field", "events-label-grace"),
            ),
            (
                |f| f.entrances = "brothers".into(),
                ("events-error-field", "events-label-entrances"),
            ),
            (
                |f| f.entrances = "a 10\na 20".into(),
                ("events-error-field", "events-label-entrances"),
            ),
            (
                |f| f.closes = "2027-01-01T00:00".into(),
                ("events-error-order", "events-label-closes"),
            ),
        ];
        for (change, want) in cases {
            let mut f = form();
            f.opens = "2027-02-01T00:00".into();
            change(&mut f);
            assert_eq!(parse_event(&f, 0), Err(want));
        }
    }
}
