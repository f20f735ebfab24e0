//! The public visitor form: name, phone, e-mail and consent in; a signed pass (QR PNG with
//! the venue's logo and the visitor's name, and the pass text) out. Nothing is stored: the
//! contact data travels in the pass, and reaches the server only with a kiosk's sign-in.

use crate::auth::{check_form_csrf, new_form_csrf};
use crate::crypto::random_bytes;
use crate::http::{ClientAddr, PageError, PageLang, esc, page};
use crate::passpng::{PngError, pass_png};
use crate::setup::LOGO_FILE;
use crate::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use serde::Deserialize;
use usher_core::Signer;
use usher_core::issue::{PassSpec, pass_text};
use usher_core::stay::PartySize;

fn form_page(state: &AppState, csrf: &str, message: Option<&str>, events: &str) -> Html<String> {
    let venue = esc(&state.config.venue_name);
    let msg = message.map_or(String::new(), |m| {
        format!("<p class=\"error\">{}</p>", esc(m))
    });
    page(
        &format!("{} sign-in pass", state.config.venue_name),
        &format!(
            "<h1>{venue}: get your sign-in pass</h1>{msg}{events}\
             <form method=\"post\" action=\"/\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <label>Name <input name=\"name\" required maxlength=\"100\" autocomplete=\"name\"></label>\
             <label>Phone <input type=\"tel\" name=\"phone\" maxlength=\"40\" autocomplete=\"tel\"></label>\
             <label>E-mail <input type=\"email\" name=\"email\" maxlength=\"254\" autocomplete=\"email\"></label>\
             {}\
             <label class=\"consent\"><input type=\"checkbox\" name=\"consent\" value=\"yes\" required> \
             I agree that {venue} keeps my name, phone and e-mail with the times I sign in, \
             for {} days, to contact me if needed.</label>\
             <button type=\"submit\">Get my pass</button></form>",
            esc(csrf),
            party_field(state.config.largest_party),
            state.config.retention_days
        ),
    )
}

/// The party size chooser: 1 (the default) up to the venue's largest party; none when that
/// is 1.
fn party_field(largest: PartySize) -> String {
    if largest.get() < 2 {
        return String::new();
    }
    let options: String = (1..=largest.get())
        .map(|n| {
            let sel = if n == 1 { " selected" } else { "" };
            format!("<option value=\"{n}\"{sel}>{n}</option>")
        })
        .collect();
    format!(
        "<label>How many people come in on this pass (you and your family) \
         <select name=\"party\">{options}</select></label>"
    )
}

/// `GET /`.
pub async fn form(State(state): State<AppState>, lang: PageLang) -> Result<Response, PageError> {
    let (csrf, c) = new_form_csrf(&state)?;
    // The events taking bookings (DESIGN §9), each linking to its booking page.
    let events = crate::events::open_list(&state, lang).await?;
    Ok((
        [(header::SET_COOKIE, c)],
        form_page(&state, &csrf, None, &events),
    )
        .into_response())
}

/// The form's fields.
#[derive(Debug, Deserialize)]
pub struct VisitorForm {
    #[serde(default)]
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) phone: String,
    #[serde(default)]
    pub(crate) email: String,
    #[serde(default)]
    pub(crate) consent: Option<String>,
    #[serde(default)]
    pub(crate) party: String,
}

fn clean(s: &str, max: usize, what: &str) -> Result<Option<String>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > max {
        return Err(format!(
            "The {what} is too long (at most {max} characters)."
        ));
    }
    // Control characters, and bidi overrides, isolates and marks that could make a name read
    // as another on a kiosk screen, an admin page or a CSV row (letters of every script pass).
    if s.chars().any(char::is_control) || usher_core::display::clean(s) != s {
        return Err(format!("The {what} has characters that are not allowed."));
    }
    Ok(Some(s.to_owned()))
}

/// The party size asked for: 1 when the field is left out, otherwise a whole number from 1 to
/// `largest`. The reason names the field and never echoes what was sent.
fn party(f: &VisitorForm, largest: PartySize) -> Result<PartySize, String> {
    let given = f.party.trim();
    if given.is_empty() {
        return Ok(PartySize::ONE);
    }
    given
        .parse::<u64>()
        .ok()
        .and_then(PartySize::new)
        .filter(|p| *p <= largest)
        .ok_or_else(|| {
            format!(
                "The party size must be a whole number from 1 to {}.",
                largest.get()
            )
        })
}

/// What a valid form asks for: name, phone and e-mail (`s1`..`s3`), and the party size.
pub(crate) type Request = ([Option<String>; 3], PartySize);

pub(crate) fn validate(f: &VisitorForm, largest: PartySize) -> Result<Request, String> {
    let party = party(f, largest)?;
    let name = clean(&f.name, 100, "name")?.ok_or("Please give your name.")?;
    let phone = clean(&f.phone, 40, "phone number")?;
    let email = clean(&f.email, 254, "e-mail address")?;
    if let Some(p) = &phone
        && (p.chars().filter(char::is_ascii_digit).count() < 5
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c)))
    {
        return Err("The phone number does not look right.".into());
    }
    if let Some(e) = &email
        && (!e.contains('@') || e.chars().any(char::is_whitespace))
    {
        return Err("The e-mail address does not look right.".into());
    }
    if phone.is_none() && email.is_none() {
        return Err("Please give a phone number or an e-mail address.".into());
    }
    if f.consent.as_deref() != Some("yes") {
        return Err("Please tick the consent box.".into());
    }
    Ok(([Some(name), phone, email], party))
}

/// `POST /`: checks the form and answers with the pass.
pub async fn issue(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<VisitorForm>,
) -> Result<Response, PageError> {
    if !state.form_limit.allow(addr, state.now()) {
        return Err(PageError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many passes asked for from this address. Wait a minute and try again.",
        ));
    }
    check_form_csrf(&state, &headers, &f.csrf)?;
    let ([name, phone, email], party) = match validate(&f, state.config.largest_party) {
        Ok(v) => v,
        Err(msg) => {
            let (csrf, c) = new_form_csrf(&state)?;
            return Ok((
                StatusCode::BAD_REQUEST,
                [(header::SET_COOKIE, c)],
                form_page(&state, &csrf, Some(&msg), ""),
            )
                .into_response());
        }
    };
    let mut spec = PassSpec {
        expiry: u64::try_from(state.now()).unwrap_or(0) + state.config.pass_valid_days * 86_400,
        ..Default::default()
    };
    random_bytes(&mut spec.nonce)?;
    spec.strings[0] = name.clone();
    spec.strings[1] = phone;
    spec.strings[2] = email;
    let payload = spec.payload_json_admitting(party);
    let text = pass_text(
        &state.config.pass_base_url,
        &payload,
        &Signer::Ed25519(state.keys.signing.clone()),
    );
    let fields = [
        name.clone(),
        spec.strings[1].clone(),
        spec.strings[2].clone(),
    ];
    let line = name.map(|n| caption(&n, party));
    let png = match draw_pass(&state, &text, line).await? {
        Ok(png) => png,
        Err(PngError::Qr(_)) => {
            let (csrf, c) = new_form_csrf(&state)?;
            let msg = format!(
                "The {} is too long to fit in a pass with the other details. Please shorten it.",
                longest_field(&fields)
            );
            return Ok((
                StatusCode::BAD_REQUEST,
                [(header::SET_COOKIE, c)],
                form_page(&state, &csrf, Some(&msg), ""),
            )
                .into_response());
        }
        Err(e) => return Err(PageError::internal(&e)),
    };
    tracing::info!("pass issued");
    Ok(pass_page(&text, &png, "").into_response())
}

/// Draws a pass's picture (logo, code, `caption` under it) off the async threads: the PNG,
/// or the drawing's error (`PngError::Qr`: the text does not fit in a QR code).
pub(crate) async fn draw_pass(
    state: &AppState,
    text: &str,
    caption: Option<String>,
) -> Result<Result<Vec<u8>, PngError>, PageError> {
    let logo = state.config.data_dir.join(LOGO_FILE);
    let st = state.clone();
    let text = text.to_owned();
    let drawn = tokio::task::spawn_blocking(move || {
        pass_png(&text, Some(&logo), caption.as_deref(), &st.fonts)
    })
    .await
    .map_err(|e| PageError::internal(&e))?;
    Ok(drawn.map(|(png, _)| png))
}

/// The pass page: the picture, its download and the pass text, with `extra` HTML (an event
/// pass's details) above the picture.
pub(crate) fn pass_page(text: &str, png: &[u8], extra: &str) -> Html<String> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    page(
        "Your pass",
        &format!(
            "<h1>Your pass</h1><p>Show this code at the door. Save the picture or take a screenshot.</p>{extra}\
             <p><img class=\"pass\" alt=\"Your sign-in pass\" src=\"data:image/png;base64,{b64}\"></p>\
             <p><a download=\"pass.png\" href=\"data:image/png;base64,{b64}\">Download the picture</a></p>\
             <details><summary>Pass text</summary><pre class=\"passtext\">{}</pre></details>",
            esc(text)
        ),
    )
}

/// The line under the code: the name, and how many the pass admits when more than one.
pub(crate) fn caption(name: &str, party: PartySize) -> String {
    if party.get() > 1 {
        format!("{name} · admits {}", party.get())
    } else {
        name.to_owned()
    }
}

/// The form field that takes the most room in a pass (percent-encoded UTF-8, as in the pass
/// text): the one to shorten when the pass does not fit in a QR code.
fn longest_field(fields: &[Option<String>; 3]) -> &'static str {
    const NAMES: [&str; 3] = ["name", "phone number", "e-mail address"];
    let room = |f: &Option<String>| {
        f.as_deref()
            .map_or(0, |v| usher_core::form::encode(v.as_bytes()).len())
    };
    fields
        .iter()
        .zip(NAMES)
        .max_by_key(|(f, _)| room(f))
        .map_or("name", |(_, n)| n)
}

/// `GET /static/style.css`.
pub async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222}\
main{max-width:60rem;margin:0 auto;padding:1rem}\
label{display:block;margin:.6rem 0}input:not([type=checkbox]){display:block;box-sizing:border-box;width:100%;max-width:28rem;padding:.4rem;font-size:1rem}select{font-size:1rem;min-height:44px;min-width:4rem}\
button{padding:.5rem 1rem;font-size:1rem;margin:.4rem 0}.error{color:#a00;font-weight:bold}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}\
img.pass{max-width:100%;height:auto}pre{white-space:pre-wrap;word-break:break-all}\
nav a{margin-right:1rem}form.inline{display:inline}\
.estimate{color:#735}tr.total th{border-top:2px solid #444}\
.pair{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}svg.chart{flex:1 1 20rem;max-width:32rem;height:auto;background:#fff}\
div.figures{max-height:11rem;overflow-y:auto}\
@media print{nav,form,.noprint{display:none}body{background:#fff}main{max-width:none;padding:0}div.figures{max-height:none;overflow:visible}\
a{color:inherit;text-decoration:none}tr,svg{break-inside:avoid}h2,h3{break-after:avoid}section.rollcall{break-inside:auto}}";

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, phone: &str, email: &str, consent: bool) -> VisitorForm {
        VisitorForm {
            csrf: String::new(),
            name: name.into(),
            phone: phone.into(),
            email: email.into(),
            consent: consent.then(|| "yes".into()),
            party: String::new(),
        }
    }

    fn validate(f: &VisitorForm) -> Result<Request, String> {
        super::validate(f, PartySize::new(6).unwrap())
    }

    #[test]
    fn the_party_size_is_1_by_default_and_at_most_the_venues_largest() {
        let six = PartySize::new(6).unwrap();
        let mut form = f("Ann", "12345", "", true);
        assert_eq!(super::validate(&form, six).unwrap().1, PartySize::ONE);
        form.party = "4".into();
        assert_eq!(super::validate(&form, six).unwrap().1.get(), 4);
        for bad in ["0", "7", "21", "-1", "3.5", "three", "99999999999999999999"] {
            form.party = bad.into();
            let err = super::validate(&form, six).unwrap_err();
            assert_eq!(
                err, "The party size must be a whole number from 1 to 6.",
                "{bad}"
            );
        }
        assert_eq!(caption("Ann", PartySize::new(3).unwrap()), "Ann · admits 3");
        assert_eq!(caption("Ann", PartySize::ONE), "Ann");
        assert!(party_field(PartySize::ONE).is_empty());
        assert!(party_field(six).contains("<option value=\"6\">6</option>"));
    }

    #[test]
    fn form_validation() {
        assert!(validate(&f("Ann", "+44 20 7946 0000", "", true)).is_ok());
        assert!(validate(&f("Ann", "", "a@b.c", true)).is_ok());
        assert!(validate(&f("", "12345", "", true)).is_err());
        assert!(validate(&f("Ann", "", "", true)).is_err());
        assert!(validate(&f("Ann", "12345", "", false)).is_err());
        assert!(validate(&f("Ann", "call me", "", true)).is_err());
        assert!(validate(&f("A\u{7}nn", "12345", "", true)).is_err());
        assert!(validate(&f(&"a".repeat(101), "12345", "", true)).is_err());
        assert!(validate(&f("\u{202E}nnA", "12345", "", true)).is_err());
        assert!(validate(&f("Ann", "", "a@b.c\u{2067}", true)).is_err());
        assert!(validate(&f("محمد علي", "12345", "", true)).is_ok());
        assert!(validate(&f("Zoë Ağaoğlu", "12345", "", true)).is_ok());
    }

    #[test]
    fn the_field_to_shorten_is_the_one_taking_most_room() {
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            longest_field(&[some("Ann"), None, some("ann@example.org")]),
            "e-mail address"
        );
        assert_eq!(
            longest_field(&[some(&"𐒀".repeat(90)), None, some(&"e".repeat(254))]),
            "name"
        );
        assert_eq!(
            longest_field(&[some("Ann"), some("0123456789"), None]),
            "phone number"
        );
    }
}
