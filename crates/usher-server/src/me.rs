//! A visitor's own data (DESIGN §9): `/me` takes a pass (its text, from the pass page's link
//! fragment or pasted, or a picture of it decoded here with usher-decode), checks its
//! signature, and shows what the venue keeps with it: the registration (contact details
//! partly masked, so a photo of a pass does not give them away), a reservation (with its
//! event), and the sign-ins (times, entrances). The visitor can cancel a reservation and delete
//! everything, which empties the contact data and revokes the pass (kiosks fetch revocations
//! with the used feed and answer `qr_not_authorized`). Every view, cancellation and deletion
//! is in the audit log, with counts only; the routes are rate-limited like the form and take
//! the form's CSRF check.
//!
//! The pass proves which registration a visitor may see: nothing is joined by phone or
//! e-mail, which the form does not verify (anyone could type another's address).

use crate::admin::open_contact;
use crate::auth::{check_form_csrf, new_form_csrf};
use crate::http::{ClientAddr, PageError, PageLang, esc, fmt_time, page_in};
use crate::state::AppState;
use crate::store::door::Stay;
use crate::store::registrations::Registration;
use axum::Form;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use usher_core::verdict::{Inspection, inspect};
use usher_core::{Keys, Now, Pass, ReusePolicy, Rules, Scheme, SchemeSet, Verdict};

/// Largest picture of a pass `/me/picture` reads (a phone's photo).
pub const PICTURE_LIMIT: usize = 8 * 1024 * 1024;
/// Largest side of a picture it decodes, in pixels.
const PICTURE_SIDE: u32 = 6000;
/// The header carrying the CSRF token of a picture upload (its body is the picture).
pub const CSRF_HEADER: &str = "x-usher-csrf";
/// Most sign-ins the page lists.
const MAX_SIGNINS: i64 = 1000;

/// The link to `/me` for a pass: the pass text in the fragment, which browsers never send to
/// the server, so it reaches no log.
pub fn link(pass_text: &str) -> String {
    format!("/me#{}", usher_core::form::encode(pass_text.as_bytes()))
}

fn form_html(lang: PageLang, csrf: &str, pass: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/me\" id=\"me-form\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <label>{} <textarea name=\"pass\" id=\"me-pass\" rows=\"4\" maxlength=\"4096\" required>{}</textarea></label>\
         <button type=\"submit\">{}</button></form>\
         <p><label>{} <input type=\"file\" id=\"me-picture\" accept=\"image/png,image/jpeg\"></label></p>\
         <p id=\"me-status\" role=\"status\"></p>\
         <script src=\"/static/me.js\"></script>",
        esc(csrf),
        esc(&lang.text("me-pass-label")),
        esc(pass),
        esc(&lang.text("me-show")),
        esc(&lang.text("me-picture-label")),
    )
}

fn ask_page(lang: PageLang, csrf: &str, message: Option<&str>) -> Html<String> {
    let msg = message.map_or(String::new(), |m| {
        format!("<p class=\"error\">{}</p>", esc(m))
    });
    page_in(
        lang,
        &lang.text("me-title"),
        &format!(
            "<h1>{}</h1>{msg}<p>{}</p>{}",
            esc(&lang.text("me-title")),
            esc(&lang.text("me-intro")),
            form_html(lang, csrf, "")
        ),
    )
}

/// An answer that shows the asking form again with a message, and a fresh CSRF cookie.
fn refuse(state: &AppState, lang: PageLang, status: StatusCode, id: &str) -> Response {
    match new_form_csrf(state) {
        Ok((csrf, c)) => (
            status,
            [(header::SET_COOKIE, c)],
            ask_page(lang, &csrf, Some(&lang.text(id))),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /me`.
pub async fn form(State(state): State<AppState>, lang: PageLang) -> Result<Response, PageError> {
    let (csrf, c) = new_form_csrf(&state)?;
    Ok(([(header::SET_COOKIE, c)], ask_page(lang, &csrf, None)).into_response())
}

/// The rules a pass of this venue passes: the server's own signature (Ed25519), any device.
fn own_rules(state: &AppState) -> Rules {
    Rules {
        auth_required: true,
        accepted: SchemeSet::EMPTY.with(Scheme::Ed25519),
        keys: Keys {
            password: None,
            public_key: Some(state.keys.signing.verifying_key()),
        },
        device_id: String::new(),
        reuse: ReusePolicy::Once,
        legacy_codes: false,
    }
}

/// The pass in `text`, when it is one this server signed. An expired pass (or one too early)
/// still opens its data: what the venue keeps outlives the pass.
fn verified(state: &AppState, text: &str) -> Option<Pass> {
    match inspect(text.trim(), &own_rules(state), Now::utc(state.now())) {
        Inspection::Claimable(pass) => Some(pass),
        Inspection::Rejected {
            verdict: Verdict::Expired { pass } | Verdict::TooEarly { pass },
            ..
        } => Some(pass),
        Inspection::Rejected { .. } => None,
    }
}

/// A `/me` form: the CSRF token and the pass text.
#[derive(Debug, Deserialize)]
pub struct PassForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pass: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// What every `/me` POST checks first, in this order: the rate limit, the CSRF token, then
/// the pass. `Err` is the answer to give.
fn admit(
    state: &AppState,
    lang: PageLang,
    addr: std::net::IpAddr,
    headers: &HeaderMap,
    f: &PassForm,
) -> Result<Pass, Box<Response>> {
    let refused = |status, id| Box::new(refuse(state, lang, status, id));
    if !state.me_limit.allow(addr, state.now()) {
        return Err(refused(StatusCode::TOO_MANY_REQUESTS, "me-too-many"));
    }
    check_form_csrf(state, headers, &f.csrf).map_err(|e| Box::new(e.into_response()))?;
    if f.pass.trim().is_empty() {
        return Err(refused(StatusCode::BAD_REQUEST, "me-no-pass"));
    }
    verified(state, &f.pass).ok_or_else(|| refused(StatusCode::BAD_REQUEST, "me-bad-pass"))
}

/// What the venue keeps with one pass.
struct Kept {
    registration: Option<Registration>,
    stays: Vec<Stay>,
    revoked: bool,
    event_name: Option<String>,
}

/// The registration the pass names, if it was made for this pass (a pass can only open its
/// own).
async fn own_registration(
    state: &AppState,
    pass: &Pass,
) -> Result<Option<Registration>, PageError> {
    let Some(r) = pass.payload.registration.as_deref() else {
        return Ok(None);
    };
    Ok(state
        .store
        .registration(r)
        .await?
        .filter(|g| g.pass_id == pass.id.0))
}

async fn kept(state: &AppState, pass: &Pass) -> Result<Kept, PageError> {
    let registration = own_registration(state, pass).await?;
    let stays = state
        .store
        .visitor_stays(
            registration.as_ref().map(|g| g.id.as_str()),
            &pass.id.0,
            MAX_SIGNINS,
        )
        .await?;
    let revoked = state.store.is_revoked(&pass.id.0).await?;
    let event_name = match registration.as_ref().and_then(|g| g.event_id.as_deref()) {
        Some(ev) => state.store.event_name(ev).await?,
        None => None,
    };
    Ok(Kept {
        registration,
        stays,
        revoked,
        event_name,
    })
}

/// A phone number with all but its last two digits hidden.
fn mask_phone(phone: &str) -> String {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + 2 > digits { c } else { '•' }
            } else {
                c
            }
        })
        .collect()
}

/// An e-mail address with its local part hidden but for the first character.
fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".into(),
    }
}

fn row(label: &str, value: &str) -> String {
    format!("<tr><th>{}</th><td>{}</td></tr>", esc(label), esc(value))
}

fn data_page(
    lang: PageLang,
    state: &AppState,
    csrf: &str,
    pass_text: &str,
    pass: &Pass,
    kept: &Kept,
    notice: Option<&str>,
) -> Html<String> {
    let t = |id: &str| lang.text(id);
    let mut body = format!("<h1>{}</h1>", esc(&t("me-title")));
    if let Some(n) = notice {
        body.push_str(&format!(
            "<p class=\"notice\" role=\"status\">{}</p>",
            esc(n)
        ));
    }
    if kept.revoked {
        body.push_str(&format!(
            "<p><strong>{}</strong></p>",
            esc(&t("me-revoked"))
        ));
    }
    // The pass.
    let name = pass.payload.s(1).unwrap_or_default();
    body.push_str(&format!("<h2>{}</h2><table>", esc(&t("me-pass-heading"))));
    body.push_str(&row(&t("me-name"), &usher_core::display::clean(name)));
    if let Some(expiry) = pass.payload.expiry {
        body.push_str(&row(
            &t("me-valid-until"),
            &fmt_time(i64::try_from(expiry).unwrap_or(i64::MAX)),
        ));
    }
    body.push_str(&row(&t("me-admits"), &pass.payload.party.get().to_string()));
    body.push_str("</table>");
    // The registration: contact details, partly masked.
    body.push_str(&format!("<h2>{}</h2>", esc(&t("me-registration-heading"))));
    match &kept.registration {
        Some(g) => {
            let fields = open_contact(state, &g.id, &g.contact);
            body.push_str("<table>");
            if fields.is_empty() {
                body.push_str(&format!(
                    "<tr><td colspan=\"2\">{}</td></tr>",
                    esc(&t("me-deleted-note"))
                ));
            }
            if let Some(phone) = fields.get("s2") {
                body.push_str(&row(&t("me-phone"), &mask_phone(phone)));
            }
            if let Some(email) = fields.get("s3") {
                body.push_str(&row(&t("me-email"), &mask_email(email)));
            }
            body.push_str(&row(&t("me-kept-until"), &fmt_time(g.valid_until)));
            body.push_str(&format!("</table><p>{}</p>", esc(&t("me-masked-note"))));
            if let Some(ev) = &g.event_id {
                let event = kept.event_name.clone().unwrap_or_else(|| ev.clone());
                body.push_str(&format!(
                    "<h2>{}</h2><table>",
                    esc(&t("me-reservation-heading"))
                ));
                body.push_str(&row(&t("me-event"), &usher_core::display::clean(&event)));
                if let Some(en) = &g.entrance {
                    body.push_str(&row(&t("me-entrance"), en));
                }
                body.push_str(&row(&t("me-places"), &g.party.to_string()));
                body.push_str("</table>");
                match g.cancelled_at {
                    Some(at) => body.push_str(&format!(
                        "<p>{}</p>",
                        esc(&lang.text_with("me-cancelled-on", &[("when", fmt_time(at).into())]))
                    )),
                    None => body.push_str(&action_form(
                        "/me/cancel",
                        csrf,
                        pass_text,
                        &t("me-cancel"),
                        None,
                    )),
                }
            }
        }
        None => body.push_str(&format!("<p>{}</p>", esc(&t("me-nothing-kept")))),
    }
    // The sign-ins.
    body.push_str(&format!("<h2>{}</h2>", esc(&t("me-signins-heading"))));
    if kept.stays.is_empty() {
        body.push_str(&format!("<p>{}</p>", esc(&t("me-signins-none"))));
    } else {
        body.push_str(&format!(
            "<table class=\"visits\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(&t("me-col-signed-in")),
            esc(&t("me-col-left")),
            esc(&t("me-col-entrance")),
            esc(&t("me-col-people"))
        ));
        for s in &kept.stays {
            let left = s.exited_at.map_or_else(|| t("me-not-left"), fmt_time);
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                fmt_time(s.scanned_at),
                esc(&left),
                esc(&s.entrance),
                s.heads
            ));
        }
        body.push_str("</table>");
    }
    // Delete everything.
    body.push_str(&format!(
        "<h2>{}</h2><p>{}</p>",
        esc(&t("me-delete-heading")),
        esc(&t("me-delete-explain"))
    ));
    body.push_str(&action_form(
        "/me/delete",
        csrf,
        pass_text,
        &t("me-delete"),
        Some(&t("me-delete-confirm")),
    ));
    page_in(lang, &t("me-title"), &body)
}

/// A form posting the pass again (each action checks it anew), with a confirmation box when
/// `confirm` is given.
fn action_form(
    action: &str,
    csrf: &str,
    pass_text: &str,
    button: &str,
    confirm: Option<&str>,
) -> String {
    let confirm = confirm.map_or(String::new(), |c| {
        format!(
            "<label class=\"consent\"><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> {}</label>",
            esc(c)
        )
    });
    format!(
        "<form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <input type=\"hidden\" name=\"pass\" value=\"{}\">{confirm}\
         <button type=\"submit\">{}</button></form>",
        esc(csrf),
        esc(pass_text.trim()),
        esc(button)
    )
}

async fn show(
    state: &AppState,
    lang: PageLang,
    pass_text: &str,
    pass: &Pass,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let kept = kept(state, pass).await?;
    let (csrf, c) = new_form_csrf(state)?;
    Ok((
        [(header::SET_COOKIE, c)],
        data_page(lang, state, &csrf, pass_text, pass, &kept, notice),
    )
        .into_response())
}

async fn audit(state: &AppState, action: &str, detail: &str) -> Result<(), PageError> {
    state.store.audit(state.now(), None, action, detail).await?;
    Ok(())
}

/// `POST /me`: the data kept with a pass (audited: a view of one's own data).
pub async fn view(
    State(state): State<AppState>,
    lang: PageLang,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<PassForm>,
) -> Result<Response, PageError> {
    let pass = match admit(&state, lang, addr, &headers, &f) {
        Ok(p) => p,
        Err(answer) => return Ok(*answer),
    };
    let answer = show(&state, lang, &f.pass, &pass, None).await?;
    audit(
        &state,
        "me-view",
        "a visitor viewed the data kept with their pass",
    )
    .await?;
    Ok(answer)
}

/// `POST /me/cancel`: cancels the pass's reservation and revokes the pass (audited).
pub async fn cancel(
    State(state): State<AppState>,
    lang: PageLang,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<PassForm>,
) -> Result<Response, PageError> {
    let pass = match admit(&state, lang, addr, &headers, &f) {
        Ok(p) => p,
        Err(answer) => return Ok(*answer),
    };
    let reservation = own_registration(&state, &pass)
        .await?
        .filter(|g| g.event_id.is_some());
    let Some(g) = reservation else {
        return Ok(refuse(
            &state,
            lang,
            StatusCode::BAD_REQUEST,
            "me-no-reservation",
        ));
    };
    if state.store.cancel_registration(&g.id, state.now()).await? {
        audit(
            &state,
            "me-cancel",
            &format!(
                "a visitor cancelled their reservation of {} places at event {}; pass revoked",
                g.party,
                g.event_id.as_deref().unwrap_or_default()
            ),
        )
        .await?;
    }
    show(
        &state,
        lang,
        &f.pass,
        &pass,
        Some(&lang.text("me-cancelled-done")),
    )
    .await
}

/// `POST /me/delete`: deletes the contact data kept with the pass and revokes it (audited).
pub async fn delete(
    State(state): State<AppState>,
    lang: PageLang,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<PassForm>,
) -> Result<Response, PageError> {
    let pass = match admit(&state, lang, addr, &headers, &f) {
        Ok(p) => p,
        Err(answer) => return Ok(*answer),
    };
    if f.confirm.as_deref() != Some("yes") {
        return Ok(refuse(
            &state,
            lang,
            StatusCode::BAD_REQUEST,
            "me-confirm-needed",
        ));
    }
    let registration = own_registration(&state, &pass).await?;
    let valid_until = pass
        .payload
        .expiry
        .map_or(i64::MAX, |e| i64::try_from(e).unwrap_or(i64::MAX));
    let done = state
        .store
        .forget_visitor(
            registration.as_ref().map(|g| g.id.as_str()),
            &pass.id.0,
            valid_until,
            state.now(),
        )
        .await?;
    audit(
        &state,
        "me-delete",
        &format!(
            "a visitor deleted their data: {} registrations and {} sign-ins emptied; pass revoked",
            done.registrations, done.signins
        ),
    )
    .await?;
    show(&state, lang, &f.pass, &pass, Some(&lang.text("me-deleted"))).await
}

/// `POST /me/picture`: a picture of a pass (PNG or JPEG, at most [`PICTURE_LIMIT`] bytes, the
/// CSRF token in [`CSRF_HEADER`]), decoded here; answers `{"pass": TEXT}` for the page's
/// script to show, or `{"error": …}` naming what is wrong, never echoing the picture.
pub async fn picture(
    State(state): State<AppState>,
    lang: PageLang,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fail = |status: StatusCode, id: &str| {
        (
            status,
            axum::Json(serde_json::json!({"error": lang.text(id)})),
        )
            .into_response()
    };
    if !state.me_limit.allow(addr, state.now()) {
        return fail(StatusCode::TOO_MANY_REQUESTS, "me-too-many");
    }
    let token = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if check_form_csrf(&state, &headers, token).is_err() {
        return fail(StatusCode::FORBIDDEN, "me-expired");
    }
    let decoded = tokio::task::spawn_blocking(move || decode_picture(&body)).await;
    match decoded {
        Ok(Ok(texts)) => match texts.into_iter().find(|t| verified(&state, t).is_some()) {
            Some(pass) => axum::Json(serde_json::json!({ "pass": pass })).into_response(),
            None => fail(StatusCode::UNPROCESSABLE_ENTITY, "me-picture-none"),
        },
        Ok(Err(PictureError::Unreadable)) => fail(StatusCode::BAD_REQUEST, "me-picture-bad"),
        Ok(Err(PictureError::TooLarge)) => {
            fail(StatusCode::PAYLOAD_TOO_LARGE, "me-picture-too-big")
        }
        Err(e) => PageError::internal(&e).into_response(),
    }
}

/// Why a picture gives no codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PictureError {
    /// Not an image this server reads.
    Unreadable,
    /// Larger than [`PICTURE_SIDE`] on a side (or too much memory to decode).
    TooLarge,
}

/// The QR codes' texts in a picture (PNG or JPEG), decoded with usher-decode's cascade; the
/// picture's size is checked before its pixels are decoded.
fn decode_picture(bytes: &[u8]) -> Result<Vec<String>, PictureError> {
    use image::ImageReader;
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PictureError::Unreadable)?;
    if !matches!(
        reader.format(),
        Some(image::ImageFormat::Png | image::ImageFormat::Jpeg)
    ) {
        return Err(PictureError::Unreadable);
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(PICTURE_SIDE);
    limits.max_image_height = Some(PICTURE_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PictureError::TooLarge,
        _ => PictureError::Unreadable,
    })?;
    let frame = usher_decode::GreyFrame::from_image(&img);
    let cascade = usher_decode::Cascade::recommended();
    let found = usher_decode::guarded("a picture of a pass", || {
        cascade
            .decode_with_step(&frame)
            .map(|(_, texts)| texts)
            .unwrap_or_default()
    });
    if !found.is_empty() || frame.width().max(frame.height()) < 1600 {
        return Ok(found);
    }
    // A phone's photo: the code may be too big for the finder at full size.
    let smaller = frame.downscaled(frame.width().max(frame.height()).div_ceil(1280));
    Ok(usher_decode::guarded("a picture of a pass", || {
        cascade
            .decode_with_step(&smaller)
            .map(|(_, texts)| texts)
            .unwrap_or_default()
    }))
}

/// `GET /static/me.js`: puts the pass from the link's fragment into the form and sends it
/// (the fragment is cleared first, so it stays out of the history too), and sends a chosen
/// picture to `/me/picture`.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT,
    )
        .into_response()
}

const SCRIPT: &str = r#""use strict";
(function () {
  var form = document.getElementById("me-form");
  if (!form) { return; }
  var pass = document.getElementById("me-pass");
  var status = document.getElementById("me-status");
  if (location.hash.length > 1) {
    var text = "";
    try { text = decodeURIComponent(location.hash.slice(1).replace(/\+/g, " ")); } catch (e) { text = ""; }
    history.replaceState(null, "", location.pathname + location.search);
    if (text) { pass.value = text; form.submit(); return; }
  }
  var picture = document.getElementById("me-picture");
  picture.addEventListener("change", function () {
    var file = picture.files[0];
    if (!file) { return; }
    status.textContent = "…";
    fetch("/me/picture", {
      method: "POST",
      headers: {"content-type": file.type || "application/octet-stream",
                "x-usher-csrf": form.elements.csrf.value},
      body: file,
      credentials: "same-origin"
    }).then(function (r) { return r.json(); }).then(function (answer) {
      if (answer.pass) { pass.value = answer.pass; form.submit(); }
      else { status.textContent = answer.error || ""; }
    }).catch(function () { status.textContent = ""; });
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_are_masked_but_for_a_hint() {
        assert_eq!(mask_phone("+44 20 7946 0012"), "+•• •• •••• ••12");
        assert_eq!(mask_phone("12"), "12");
        assert_eq!(mask_email("ann@example.org"), "a•••@example.org");
        assert_eq!(mask_email("nonsense"), "•••");
    }

    #[test]
    fn the_link_keeps_the_pass_in_the_fragment() {
        let l = link("usher://p?auth=a+b&j=%7B%7D");
        assert!(
            l.starts_with("/me#usher%3A%2F%2Fp%3Fauth%3Da%2Bb%26j%3D%257B%257D"),
            "{l}"
        );
        assert!(!l.contains('?'), "nothing in a query a server would log");
    }
}
