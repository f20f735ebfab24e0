//! The public visitor form: name, phone, e-mail and consent in; a signed compact pass (QR PNG
//! with the venue's logo and the visitor's name, and the pass text) out. The pass carries only
//! the display name, `r`, `p`, `expiry` and the nonce (DESIGN §9); phone and e-mail are kept
//! sealed in a registration ([`crate::store::registrations`]) that the server joins to the
//! kiosks' sign-ins by `r`. The pass page links to `/me` ([`crate::me`]) with the pass in the
//! link's fragment.

use crate::auth::{check_form_csrf, new_form_csrf};
use crate::crypto::random_bytes;
use crate::http::{ClientAddr, PageError, PageLang, esc, lang_menu, page_in};
use crate::passpng::{PngError, pass_png};
use crate::setup::LOGO_FILE;
use crate::state::AppState;
use crate::store::registrations::NewRegistration;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use serde::Deserialize;
use usher_core::Signer;
use usher_core::issue::{PassSpec, pass_text};
use usher_core::stay::PartySize;

fn form_page(
    state: &AppState,
    lang: PageLang,
    look: &Look,
    csrf: &str,
    message: Option<&str>,
    events: &str,
) -> Html<String> {
    let venue = state.config.venue_name.as_str();
    let msg = message.map_or(String::new(), |m| {
        format!("<p class=\"error\">{}</p>", esc(m))
    });
    let t = |id: &str| esc(&lang.text(id));
    page_in(
        lang,
        &lang.text_with("web-form-title", &[("venue", venue.into())]),
        &format!(
            "{}{}<h1>{}</h1>{msg}{events}\
             <form method=\"post\" action=\"/\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <label>{} <input name=\"name\" required maxlength=\"100\" autocomplete=\"name\"></label>\
             <label>{} <input type=\"tel\" name=\"phone\" maxlength=\"40\" autocomplete=\"tel\" dir=\"ltr\"></label>\
             <label>{} <input type=\"email\" name=\"email\" maxlength=\"254\" autocomplete=\"email\" dir=\"ltr\"></label>\
             {}\
             <label class=\"consent\"><input type=\"checkbox\" name=\"consent\" value=\"yes\" required> {}</label>\
             <button type=\"submit\">{}</button></form>",
            lang_menu(lang, "/"),
            look.logo(),
            esc(&lang.text_with("web-form-heading", &[("venue", venue.into())])),
            esc(csrf),
            t("web-form-name"),
            t("web-form-phone"),
            t("web-form-email"),
            party_field(lang, state.config.largest_party),
            esc(&lang.text_with(
                "web-form-consent",
                &[
                    ("venue", venue.into()),
                    ("days", state.config.retention_days.into())
                ]
            )),
            t("web-form-submit"),
        ),
    )
}

/// What the visitor pages show around their content: the venue's logo when the data
/// directory has one ([`LOGO_FILE`], served at `/logo.png`).
pub(crate) struct Look {
    has_logo: bool,
}

impl Look {
    pub(crate) async fn of(state: &AppState) -> Look {
        let logo = state.config.data_dir.join(LOGO_FILE);
        Look {
            has_logo: tokio::fs::metadata(&logo).await.is_ok_and(|m| m.is_file()),
        }
    }

    /// The logo, above the heading that names the venue (so the picture itself is decoration
    /// to a screen reader: `alt=""`).
    fn logo(&self) -> &'static str {
        if self.has_logo {
            "<p class=\"logo\"><img src=\"/logo.png\" alt=\"\"></p>"
        } else {
            ""
        }
    }
}

/// The party size chooser: 1 (the default) up to the venue's largest party; none when that
/// is 1.
fn party_field(lang: PageLang, largest: PartySize) -> String {
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
        "<label>{} <select name=\"party\">{options}</select></label>",
        esc(&lang.text("web-form-party"))
    )
}

/// `GET /`.
pub async fn form(State(state): State<AppState>, lang: PageLang) -> Result<Response, PageError> {
    let (csrf, c) = new_form_csrf(&state)?;
    let look = Look::of(&state).await;
    // The events taking bookings (DESIGN §9), each linking to its booking page.
    let events = crate::events::open_list(&state, lang).await?;
    Ok((
        [(header::SET_COOKIE, c)],
        form_page(&state, lang, &look, &csrf, None, &events),
    )
        .into_response())
}

/// `GET /logo.png`: the venue's logo (the data directory's [`LOGO_FILE`], the one the pass
/// pictures carry), for the visitor pages; 404 when there is none.
pub async fn logo(State(state): State<AppState>) -> Result<Response, PageError> {
    let bytes = tokio::fs::read(state.config.data_dir.join(LOGO_FILE))
        .await
        .map_err(|_| PageError::text(StatusCode::NOT_FOUND, "web-error-not-found"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        bytes,
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

/// A form field a refusal can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Name,
    Phone,
    Email,
}

impl Field {
    /// The value the messages' `$field` selector takes.
    fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Phone => "phone",
            Field::Email => "email",
        }
    }
}

/// Why the form was refused: a message of the translations (`web.ftl`) naming the field,
/// never echoing what was sent.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Refusal {
    id: &'static str,
    args: Vec<(&'static str, usher_i18n::Arg)>,
}

impl Refusal {
    fn plain(id: &'static str) -> Self {
        Refusal {
            id,
            args: Vec::new(),
        }
    }

    fn field(id: &'static str, field: Field) -> Self {
        Refusal {
            id,
            args: vec![("field", field.key().into())],
        }
    }

    /// The refusal in a language.
    pub(crate) fn text(&self, lang: PageLang) -> String {
        lang.text_with(self.id, &self.args)
    }
}

fn clean(s: &str, max: usize, what: Field) -> Result<Option<String>, Refusal> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > max {
        let mut r = Refusal::field("web-error-too-long", what);
        r.args.push(("max", max.into()));
        return Err(r);
    }
    // Control characters, and bidi overrides, isolates and marks that could make a name read
    // as another on a kiosk screen, an admin page or a CSV row (letters of every script pass).
    if s.chars().any(char::is_control) || usher_core::display::clean(s) != s {
        return Err(Refusal::field("web-error-characters", what));
    }
    Ok(Some(s.to_owned()))
}

/// The party size asked for: 1 when the field is left out, otherwise a whole number from 1 to
/// `largest`. The reason names the field and never echoes what was sent.
fn party(f: &VisitorForm, largest: PartySize) -> Result<PartySize, Refusal> {
    let given = f.party.trim();
    if given.is_empty() {
        return Ok(PartySize::ONE);
    }
    given
        .parse::<u64>()
        .ok()
        .and_then(PartySize::new)
        .filter(|p| *p <= largest)
        .ok_or_else(|| Refusal {
            id: "web-error-party",
            args: vec![("largest", largest.get().into())],
        })
}

/// What a valid form asks for: name, phone and e-mail (`s1`..`s3`), and the party size.
pub(crate) type Request = ([Option<String>; 3], PartySize);

pub(crate) fn validate(f: &VisitorForm, largest: PartySize) -> Result<Request, Refusal> {
    let party = party(f, largest)?;
    let name = clean(&f.name, 100, Field::Name)?.ok_or(Refusal::plain("web-error-name"))?;
    let phone = clean(&f.phone, 40, Field::Phone)?;
    let email = clean(&f.email, 254, Field::Email)?;
    if let Some(p) = &phone
        && (p.chars().filter(char::is_ascii_digit).count() < 5
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c)))
    {
        return Err(Refusal::plain("web-error-phone"));
    }
    if let Some(e) = &email
        && (!e.contains('@') || e.chars().any(char::is_whitespace))
    {
        return Err(Refusal::plain("web-error-email"));
    }
    if phone.is_none() && email.is_none() {
        return Err(Refusal::plain("web-error-contact"));
    }
    if f.consent.as_deref() != Some("yes") {
        return Err(Refusal::plain("web-error-consent"));
    }
    Ok(([Some(name), phone, email], party))
}

/// `POST /`: checks the form and answers with the pass.
pub async fn issue(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    lang: PageLang,
    headers: HeaderMap,
    Form(f): Form<VisitorForm>,
) -> Result<Response, PageError> {
    if !state.form_limit.allow(addr, state.now()) {
        return Err(PageError::text(
            StatusCode::TOO_MANY_REQUESTS,
            "web-error-too-many",
        ));
    }
    check_form_csrf(&state, &headers, &f.csrf)?;
    let look = Look::of(&state).await;
    let again = |refusal: Refusal| -> Result<Response, PageError> {
        let (csrf, c) = new_form_csrf(&state)?;
        Ok((
            StatusCode::BAD_REQUEST,
            [(header::SET_COOKIE, c)],
            form_page(&state, lang, &look, &csrf, Some(&refusal.text(lang)), ""),
        )
            .into_response())
    };
    let ([name, phone, email], party) = match validate(&f, state.config.largest_party) {
        Ok(v) => v,
        Err(refusal) => return again(refusal),
    };
    let registration = registration_id()?;
    let mut spec = PassSpec {
        expiry: u64::try_from(state.now()).unwrap_or(0) + state.config.pass_valid_days * 86_400,
        registration: Some(registration.clone()),
        ..Default::default()
    };
    random_bytes(&mut spec.nonce)?;
    // A compact pass: the name only; phone and e-mail stay on the server.
    spec.strings[0] = name.clone();
    let payload = spec.payload_json_admitting(party);
    let text = pass_text(
        &state.config.pass_base_url,
        &payload,
        &Signer::Ed25519(state.keys.signing.clone()),
    );
    let fields = [name.clone(), phone, email];
    let line = name.map(|n| caption(lang, &n, party));
    let png = match draw_pass(&state, &text, line).await? {
        Ok(png) => png,
        Err(PngError::Qr(_)) => {
            // Only the name goes into a compact pass.
            return again(Refusal::field(
                "web-error-too-big",
                longest_field(&[fields[0].clone(), None, None]),
            ));
        }
        Err(e) => return Err(PageError::internal(&e)),
    };
    let new = new_registration(
        &state,
        Registration {
            id: registration,
            fields: &fields,
            payload: &payload,
            valid_until: i64::try_from(spec.expiry).unwrap_or(i64::MAX),
            party,
        },
    )?;
    state.store.create_registration(&new).await?;
    tracing::info!("pass issued");
    Ok(pass_page(lang, &look, &text, &png, "").into_response())
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
pub(crate) fn pass_page(
    lang: PageLang,
    look: &Look,
    text: &str,
    png: &[u8],
    extra: &str,
) -> Html<String> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    let t = |id: &str| esc(&lang.text(id));
    page_in(
        lang,
        &lang.text("web-pass-title"),
        &format!(
            "{}<h1>{}</h1><p>{}</p>{extra}\
             <p><img class=\"pass\" alt=\"{}\" src=\"data:image/png;base64,{b64}\"></p>\
             <p><a class=\"button save\" download=\"pass.png\" href=\"data:image/png;base64,{b64}\">{}</a></p>\
             <details><summary>{}</summary><pre class=\"passtext\">{}</pre></details>\
             <p><a class=\"me\" href=\"{}\">{}</a></p>",
            look.logo(),
            t("web-pass-title"),
            t("web-pass-intro"),
            t("web-pass-image"),
            t("web-pass-save"),
            t("web-pass-text"),
            esc(text),
            esc(&crate::me::link(text)),
            t("me-link")
        ),
    )
}

/// A new registration id (`r`): 9 random bytes as 12 characters of base64url. Passes are
/// signed, so it need not be secret, only unique.
pub fn registration_id() -> Result<String, crate::crypto::CryptoError> {
    let mut b = [0u8; 9];
    random_bytes(&mut b)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}

/// What a registration is made of, before it is sealed.
pub struct Registration<'a> {
    /// Its id, the pass's `r`.
    pub id: String,
    /// Name, phone and e-mail (`s1`..`s3`).
    pub fields: &'a [Option<String>; 3],
    /// The pass payload (its SHA-256 is the pass id).
    pub payload: &'a str,
    /// The pass's expiry.
    pub valid_until: i64,
    /// How many the pass admits.
    pub party: PartySize,
}

/// The fields are contact data: never printed.
impl std::fmt::Debug for Registration<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("id", &self.id)
            .field("fields", &"***")
            .field("valid_until", &self.valid_until)
            .field("party", &self.party)
            .finish_non_exhaustive()
    }
}

/// A registration ready to store: the contact fields sealed under its id with the server's
/// vault, and their blind indexes (as a sign-in's are). No event: a reservation sets
/// `event_id` and `entrance` on the result.
pub fn new_registration(
    state: &AppState,
    r: Registration<'_>,
) -> Result<NewRegistration, crate::crypto::CryptoError> {
    let fields: std::collections::BTreeMap<String, String> = ["s1", "s2", "s3"]
        .into_iter()
        .zip(r.fields.iter())
        .filter_map(|(k, v)| Some((k.to_owned(), v.clone()?)))
        .collect();
    let sealed = state.keys.vault.seal_fields(&r.id, &fields)?;
    Ok(NewRegistration {
        created_at: state.now(),
        valid_until: r.valid_until,
        pass_id: usher_core::PassId::of(r.payload.as_bytes()).0,
        contact: sealed.contact,
        name_bi: sealed.name_bi,
        phone_bi: sealed.phone_bi,
        email_bi: sealed.email_bi,
        party: i64::from(r.party.get()),
        event_id: None,
        entrance: None,
        id: r.id,
    })
}

/// Two typical visitors for the measurements of [`form_pass_text`]: a Latin and an Arabic
/// name, each with a phone number and an e-mail address.
pub const TYPICAL_VISITORS: [[&str; 3]; 2] = [
    [
        "Muhammad Ali Khan",
        "+44 7700 900123",
        "muhammad.khan@example.org",
    ],
    [
        "محمد علي خان",
        "+44 7700 900123",
        "muhammad.khan@example.org",
    ],
];

/// A form pass for `name`, `phone` and `e-mail` as the form issues it now (`compact`: `s1`
/// and a 12-character `r`) or as it did before compact passes (`s1`, `s2`, `s3` in the pass),
/// with a fixed nonce and a year's validity from `now`: what the QR version and decode-rate
/// measurements compare (`examples/compact_pass.rs`, the test below).
pub fn form_pass_text(
    base_url: &str,
    [name, phone, email]: [&str; 3],
    compact: bool,
    now: u64,
    signer: &Signer,
) -> String {
    let mut spec = PassSpec {
        expiry: now + 365 * 86_400,
        nonce: [0x5a; 12],
        ..Default::default()
    };
    spec.strings[0] = Some(name.to_owned());
    if compact {
        spec.registration = Some("Xq3_k9Lm2PzA".to_owned());
    } else {
        spec.strings[1] = Some(phone.to_owned());
        spec.strings[2] = Some(email.to_owned());
    }
    pass_text(base_url, &spec.payload_json(), signer)
}

/// The line under the code: the name, and how many the pass admits when more than one.
pub(crate) fn caption(lang: PageLang, name: &str, party: PartySize) -> String {
    if party.get() > 1 {
        lang.text_with(
            "web-pass-caption-party",
            &[("name", name.into()), ("count", party.get().into())],
        )
    } else {
        name.to_owned()
    }
}

/// The form field that takes the most room in a pass (percent-encoded UTF-8, as in the pass
/// text): the one to shorten when the pass does not fit in a QR code.
fn longest_field(fields: &[Option<String>; 3]) -> Field {
    const NAMES: [Field; 3] = [Field::Name, Field::Phone, Field::Email];
    let room = |f: &Option<String>| {
        f.as_deref()
            .map_or(0, |v| usher_core::form::encode(v.as_bytes()).len())
    };
    fields
        .iter()
        .zip(NAMES)
        .max_by_key(|(f, _)| room(f))
        .map_or(Field::Name, |(_, n)| n)
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

/// The one style sheet. Phones first: nothing wider than the screen down to 320 px (boxes
/// sized with their padding, long words broken), tap targets at least 44 px high, and only
/// logical directions (`margin-inline-end`, `text-align: start`), so that Arabic and Urdu
/// pages (`dir="rtl"`) mirror as a whole. Colours keep WCAG AA contrast on the page's
/// background.
const STYLE: &str = "*,*::before,*::after{box-sizing:border-box}\
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\
body{font-family:system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222;line-height:1.4}\
main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem;overflow-wrap:anywhere}\
a{color:#1a4f8b}label{display:block;margin-block:.6rem}\
input:not([type=checkbox]){display:block;width:100%;max-width:28rem;min-height:44px;padding:.4rem;font-size:1rem}\
select{display:block;font-size:1rem;min-height:44px;min-width:4rem;max-width:100%}\
label.consent{display:flex;gap:.6rem;align-items:flex-start}\
input[type=checkbox]{flex:none;width:1.6rem;height:1.6rem;margin:0}\
button,a.button,a.me{display:inline-flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;padding:.5rem 1rem;font-size:1rem;margin-block:.4rem}\
a.button{background:#1a4f8b;color:#fff;border-radius:.3rem;text-decoration:none;font-weight:bold}\
summary{min-height:44px;padding-block:.6rem;cursor:pointer}\
.error{color:#a00;font-weight:bold}.notice{background:#fff;padding:.5rem;overflow-wrap:anywhere}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:start}\
p.logo img{display:block;max-width:100%;max-height:6rem;height:auto;margin-inline:auto}\
img.pass{display:block;width:100%;max-width:32rem;height:auto;image-rendering:pixelated}\
pre{white-space:pre-wrap;word-break:break-all}pre.passtext{direction:ltr;text-align:left}code{overflow-wrap:anywhere}\
nav a{display:inline-flex;align-items:center;min-height:44px;margin-inline-end:1rem}form.inline{display:inline}\
nav.langs{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:0 .8rem}nav.langs a{margin:0;padding-inline:.3rem}\
nav.langs a[aria-current]{font-weight:bold;text-decoration:none;color:#222}\
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

    fn validate(f: &VisitorForm) -> Result<Request, Refusal> {
        super::validate(f, PartySize::new(6).unwrap())
    }

    const EN: PageLang = PageLang(usher_i18n::Lang::En);

    #[test]
    fn the_party_size_is_1_by_default_and_at_most_the_venues_largest() {
        let six = PartySize::new(6).unwrap();
        let mut form = f("Ann", "12345", "", true);
        assert_eq!(super::validate(&form, six).unwrap().1, PartySize::ONE);
        form.party = "4".into();
        assert_eq!(super::validate(&form, six).unwrap().1.get(), 4);
        for bad in ["0", "7", "21", "-1", "3.5", "three", "99999999999999999999"] {
            form.party = bad.into();
            let err = super::validate(&form, six).unwrap_err().text(EN);
            assert_eq!(
                err, "The party size must be a whole number from 1 to 6.",
                "{bad}"
            );
        }
        assert_eq!(
            caption(EN, "Ann", PartySize::new(3).unwrap()),
            "Ann · admits 3"
        );
        assert_eq!(caption(EN, "Ann", PartySize::ONE), "Ann");
        assert!(party_field(EN, PartySize::ONE).is_empty());
        assert!(party_field(EN, six).contains("<option value=\"6\">6</option>"));
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
    fn a_compact_pass_is_a_smaller_qr_code_than_a_full_one_for_latin_and_arabic_names() {
        let signer = Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[9; 32]));
        for visitor in TYPICAL_VISITORS {
            let version = |compact| {
                let text = form_pass_text(
                    usher_core::issue::DEFAULT_BASE_URL,
                    visitor,
                    compact,
                    1_800_000_000,
                    &signer,
                );
                crate::passpng::qr_version(&text).unwrap()
            };
            let (full, compact) = (version(false), version(true));
            assert!(compact < full, "{}: {full} -> {compact}", visitor[0]);
        }
    }

    #[test]
    fn the_field_to_shorten_is_the_one_taking_most_room() {
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            longest_field(&[some("Ann"), None, some("ann@example.org")]),
            Field::Email
        );
        assert_eq!(
            longest_field(&[some(&"𐒀".repeat(90)), None, some(&"e".repeat(254))]),
            Field::Name
        );
        assert_eq!(
            longest_field(&[some("Ann"), some("0123456789"), None]),
            Field::Phone
        );
    }
}
