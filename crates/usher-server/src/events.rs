//! Booking an event (DESIGN §9), the visitor's side: the events open for booking listed on
//! the form (name, time, each entrance's places left), an event's booking page, and the
//! reservation, which stores a `registrations` row bound to the event (in one transaction
//! with the capacity check: [`crate::store::Store::reserve`]) and answers with an event pass:
//! `s1` (the name), `r` (the reservation), `p`, `ev`, `nb` (the start less the grace), `en`
//! (the entrance, when the event has more than one) and the event's end as `expiry`; phone and e-mail stay on the server,
//! sealed under the reservation's id. A full entrance is a 409 page saying the event is full.

use crate::auth::{check_form_csrf, new_form_csrf};
use crate::crypto::random_bytes;
use crate::http::{ClientAddr, PageError, PageLang, esc, fmt_time, page_in};
use crate::passpng::PngError;
use crate::state::AppState;
use crate::store::events::{Booking, Event, NewReservation};
use crate::visitor::{self, VisitorForm};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use usher_core::issue::{EventBinding, PassSpec, pass_text};
use usher_core::stay::PartySize;
use usher_core::{PassId, Signer};

/// The letters of reservation ids: the old system's 20 consonants (DESIGN §10), so the old
/// app's "redeem reservation" takes them as it took its own.
pub const RESERVATION_ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";
/// Letters in a reservation id (20^10: about 10^13 ids).
pub const RESERVATION_LEN: usize = 10;
/// The letters of event ids: short, URL-safe, unmistakable.
pub const EVENT_ALPHABET: &[u8; 28] = b"bcdfghjkmnpqrstvwxz23456789a";
/// Letters in an event id.
pub const EVENT_LEN: usize = 8;

/// `len` letters of `alphabet`, uniformly drawn from the system's random source.
pub fn random_code(alphabet: &[u8], len: usize) -> Result<String, crate::crypto::CryptoError> {
    // Rejection sampling: bytes at or over the largest multiple of the alphabet are drawn again.
    let n = alphabet.len();
    let limit = 256 - 256 % n;
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 32];
    while out.len() < len {
        random_bytes(&mut buf)?;
        for b in buf {
            if usize::from(b) < limit && out.len() < len {
                out.push(char::from(alphabet[usize::from(b) % n]));
            }
        }
    }
    Ok(out)
}

/// An event's time for people: "2027-03-20 07:00 UTC to 08:30 UTC" (the end's day only when
/// it differs).
pub fn when(lang: PageLang, event: &Event) -> String {
    let (start, end) = (fmt_time(event.spec.starts_at), fmt_time(event.spec.ends_at));
    let end = match (start.split_once(' '), end.split_once(' ')) {
        (Some((d1, _)), Some((d2, t2))) if d1 == d2 => t2.to_owned(),
        _ => end,
    };
    lang.text_with(
        "events-when",
        &[("starts", start.into()), ("ends", end.into())],
    )
}

/// Each entrance with its capacity and the places left, in the event's order.
async fn places_left(
    state: &AppState,
    event: &Event,
) -> Result<Vec<(String, i64, i64)>, PageError> {
    let booked = state.store.booked(&event.id).await?;
    Ok(event
        .spec
        .entrances
        .iter()
        .map(|e| {
            let taken = booked
                .iter()
                .find(|(name, _, _)| *name == e.name)
                .map_or(0, |(_, places, _)| *places);
            (e.name.clone(), e.capacity, (e.capacity - taken).max(0))
        })
        .collect())
}

fn places_line(lang: PageLang, left: &[(String, i64, i64)]) -> String {
    left.iter()
        .map(|(name, _, left)| {
            esc(&lang.text_with(
                "events-places-left",
                &[("entrance", name.as_str().into()), ("left", (*left).into())],
            ))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The form's list of the events taking bookings now; empty when there are none.
pub async fn open_list(state: &AppState, lang: PageLang) -> Result<String, PageError> {
    let events = state.store.open_events(state.now()).await?;
    if events.is_empty() {
        return Ok(String::new());
    }
    let mut out = format!(
        "<section class=\"events\"><h2>{}</h2><ul>",
        esc(&lang.text("events-open-title"))
    );
    for e in &events {
        let left = places_left(state, e).await?;
        out.push_str(&format!(
            "<li><b>{}</b>, {}<br>{}<br><a href=\"/events/{}\">{}</a></li>",
            esc(&e.spec.name),
            esc(&when(lang, e)),
            places_line(lang, &left),
            esc(&e.id),
            esc(&lang.text("events-book-link"))
        ));
    }
    out.push_str("</ul></section>");
    Ok(out)
}

/// The event if it takes bookings now, else the page saying it does not (404).
async fn open_event(state: &AppState, id: &str, lang: PageLang) -> Result<Event, Response> {
    match state.store.event(id).await {
        Ok(Some(e)) if e.open_at(state.now()) => Ok(e),
        Ok(_) => Err(not_open(lang)),
        Err(e) => Err(PageError::from(e).into_response()),
    }
}

fn not_open(lang: PageLang) -> Response {
    let msg = lang.text("events-not-open");
    (
        StatusCode::NOT_FOUND,
        page_in(lang, &msg, &format!("<h1>{}</h1>", esc(&msg))),
    )
        .into_response()
}

fn booking_page(
    state: &AppState,
    lang: PageLang,
    event: &Event,
    left: &[(String, i64, i64)],
    csrf: &str,
    message: Option<&str>,
) -> Html<String> {
    let title = lang.text_with(
        "events-book-title",
        &[("event", event.spec.name.as_str().into())],
    );
    let msg = message.map_or(String::new(), |m| {
        format!("<p class=\"error\">{}</p>", esc(m))
    });
    let entrances: String = left
        .iter()
        .map(|(name, _, places)| {
            let disabled = if *places == 0 { " disabled" } else { "" };
            format!(
                "<option value=\"{}\"{disabled}>{}</option>",
                esc(name),
                esc(&lang.text_with(
                    "events-places-left",
                    &[
                        ("entrance", name.as_str().into()),
                        ("left", (*places).into())
                    ]
                ))
            )
        })
        .collect();
    let parties: String = (1..=event.spec.largest_party)
        .map(|n| format!("<option value=\"{n}\">{n}</option>"))
        .collect();
    let t = |id: &str| esc(&lang.text(id));
    page_in(
        lang,
        &title,
        &format!(
            "<h1>{}</h1><p>{}</p>{msg}\
             <form method=\"post\" action=\"/events/{}\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <label>{} <input name=\"name\" required maxlength=\"100\" autocomplete=\"name\"></label>\
             <label>{} <input type=\"tel\" name=\"phone\" maxlength=\"40\" autocomplete=\"tel\"></label>\
             <label>{} <input type=\"email\" name=\"email\" maxlength=\"254\" autocomplete=\"email\"></label>\
             <label>{} <select name=\"party\">{parties}</select></label>\
             <label>{} <select name=\"entrance\" required>{entrances}</select></label>\
             <label class=\"consent\"><input type=\"checkbox\" name=\"consent\" value=\"yes\" required> {}</label>\
             <button type=\"submit\">{}</button></form>",
            esc(&title),
            esc(&when(lang, event)),
            esc(&event.id),
            esc(csrf),
            t("events-field-name"),
            t("events-field-phone"),
            t("events-field-email"),
            t("events-field-party"),
            t("events-field-entrance"),
            esc(&lang.text_with(
                "events-consent",
                &[
                    ("venue", state.config.venue_name.as_str().into()),
                    ("days", state.config.retention_days.into())
                ]
            )),
            t("events-book-button"),
        ),
    )
}

/// `GET /events/{id}`: the booking page of an event open for booking.
pub async fn book_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    lang: PageLang,
) -> Result<Response, PageError> {
    let event = match open_event(&state, &id, lang).await {
        Ok(e) => e,
        Err(page) => return Ok(page),
    };
    let left = places_left(&state, &event).await?;
    let (csrf, c) = new_form_csrf(&state)?;
    Ok((
        [(header::SET_COOKIE, c)],
        booking_page(&state, lang, &event, &left, &csrf, None),
    )
        .into_response())
}

/// The booking form's fields: the visitor form's and the entrance.
#[derive(Debug, Deserialize)]
pub struct BookingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    consent: Option<String>,
    #[serde(default)]
    party: String,
    #[serde(default)]
    entrance: String,
}

/// `POST /events/{id}`: books the places and answers with the event pass, or the page saying
/// the event is full (409).
pub async fn book(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Path(id): Path<String>,
    lang: PageLang,
    headers: HeaderMap,
    Form(f): Form<BookingForm>,
) -> Result<Response, PageError> {
    if !state.form_limit.allow(addr, state.now()) {
        return Err(PageError::new(
            StatusCode::TOO_MANY_REQUESTS,
            lang.text("events-too-many"),
        ));
    }
    check_form_csrf(&state, &headers, &f.csrf)?;
    let event = match open_event(&state, &id, lang).await {
        Ok(e) => e,
        Err(page) => return Ok(page),
    };
    let again = |msg: String| -> Result<Response, PageError> {
        Err(PageError::new(StatusCode::BAD_REQUEST, msg))
    };
    let largest = u64::try_from(event.spec.largest_party)
        .ok()
        .and_then(PartySize::new)
        .unwrap_or(PartySize::ONE);
    let person = VisitorForm {
        csrf: String::new(),
        name: f.name,
        phone: f.phone,
        email: f.email,
        consent: f.consent,
        party: f.party,
    };
    let ([name, phone, email], party) = match visitor::validate(&person, largest) {
        Ok(v) => v,
        Err(refusal) => {
            let msg = refusal.text(lang);
            let left = places_left(&state, &event).await?;
            let (csrf, c) = new_form_csrf(&state)?;
            return Ok((
                StatusCode::BAD_REQUEST,
                [(header::SET_COOKIE, c)],
                booking_page(&state, lang, &event, &left, &csrf, Some(&msg)),
            )
                .into_response());
        }
    };
    let entrance = f.entrance.trim().to_owned();
    if event.capacity(&entrance).is_none() {
        return again(lang.text("events-error-entrance"));
    }
    let name = name.unwrap_or_default();
    let rid = random_code(RESERVATION_ALPHABET, RESERVATION_LEN)?;
    let mut spec = PassSpec {
        expiry: u64::try_from(event.spec.ends_at).unwrap_or(0),
        registration: Some(rid.clone()),
        event: Some(EventBinding {
            id: event.id.clone(),
            not_before: u64::try_from(event.not_before()).unwrap_or(0),
            // `en` only when there is a choice (the contract): a one-hall event's pass is shorter.
            entrance: (event.spec.entrances.len() > 1).then(|| entrance.clone()),
        }),
        ..Default::default()
    };
    random_bytes(&mut spec.nonce)?;
    spec.strings[0] = Some(name.clone());
    let payload = spec.payload_json_admitting(party);
    let text = pass_text(
        &state.config.pass_base_url,
        &payload,
        &Signer::Ed25519(state.keys.signing.clone()),
    );
    let mut fields = BTreeMap::new();
    for (key, value) in [("s1", Some(name.clone())), ("s2", phone), ("s3", email)] {
        if let Some(v) = value {
            fields.insert(key.to_owned(), v);
        }
    }
    let sealed = state.keys.vault.seal_fields(&rid, &fields)?;
    let now = state.now();
    let reservation = NewReservation {
        id: rid.clone(),
        event_id: event.id.clone(),
        entrance: entrance.clone(),
        party: i64::from(party.get()),
        pass_id: PassId::of(payload.as_bytes()).0,
        contact: sealed.contact,
        name_bi: sealed.name_bi,
        phone_bi: sealed.phone_bi,
        email_bi: sealed.email_bi,
        created_at: now,
        valid_until: event.spec.ends_at,
    };
    // The places first, then the picture: a refusal costs no drawing. A pass that cannot be
    // drawn gives its places back.
    let booking = {
        let _slot = state
            .booking_slots
            .acquire()
            .await
            .map_err(|e| PageError::internal(&e))?;
        state.store.reserve(&reservation, now).await?
    };
    match booking {
        Booking::Booked => {}
        Booking::Full { left } => return Ok(full_page(lang, &entrance, left)),
        Booking::NotOpen => return Ok(not_open(lang)),
    }
    let line = format!(
        "{} · {} {}",
        visitor::caption(lang, &name, party),
        event.spec.name,
        fmt_time(event.spec.starts_at)
    );
    let png = match visitor::draw_pass(&state, &text, Some(line)).await {
        Ok(Ok(png)) => png,
        drawn => {
            state.store.cancel_reservation(&rid, now).await?;
            return match drawn {
                Ok(Err(PngError::Qr(_))) => again(lang.text("events-error-too-long")),
                Ok(Err(e)) => Err(PageError::internal(&e)),
                Ok(Ok(_)) | Err(_) => Err(PageError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on the server.",
                )),
            };
        }
    };
    tracing::info!(event = %event.id, "reservation booked");
    let details = format!(
        "<p class=\"event\"><b>{}</b>, {}<br>{}<br>{}</p>",
        esc(&event.spec.name),
        esc(&when(lang, &event)),
        esc(&lang.text_with(
            "events-doors-open",
            &[("time", fmt_time(event.not_before()).into())]
        )),
        esc(&lang.text_with(
            "events-booked",
            &[
                ("places", party.get().into()),
                ("entrance", entrance.as_str().into()),
                ("reservation", rid.as_str().into()),
            ]
        )),
    );
    let look = visitor::Look::of(&state).await;
    Ok(visitor::pass_page(lang, &look, &text, &png, &details).into_response())
}

/// The refusal: the event is full at that entrance (409), with the places left.
fn full_page(lang: PageLang, entrance: &str, left: i64) -> Response {
    let title = lang.text("events-full-title");
    let msg = lang.text_with(
        "events-full",
        &[("entrance", entrance.into()), ("left", left.into())],
    );
    (
        StatusCode::CONFLICT,
        page_in(
            lang,
            &title,
            &format!(
                "<h1>{}</h1><p class=\"error\">{}</p>",
                esc(&title),
                esc(&msg)
            ),
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_drawn_from_their_alphabet_at_their_length() {
        let a = random_code(RESERVATION_ALPHABET, RESERVATION_LEN).unwrap();
        let b = random_code(RESERVATION_ALPHABET, RESERVATION_LEN).unwrap();
        assert_eq!(a.len(), RESERVATION_LEN);
        assert!(a.bytes().all(|c| RESERVATION_ALPHABET.contains(&c)), "{a}");
        assert_ne!(a, b);
        let e = random_code(EVENT_ALPHABET, EVENT_LEN).unwrap();
        assert!(e.bytes().all(|c| EVENT_ALPHABET.contains(&c)), "{e}");
    }
}
