//! HTTP plumbing shared by the API and the pages: error responses that never leak internals,
//! HTML escaping and the page frame, the pages' language (the request's [`PageLang`], the
//! language menu, the router's [`languages`] layer), cookies, the client's address, and the response headers
//! every answer carries (`Date` from the server clock, security headers).

use crate::state::AppState;
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, UNIX_EPOCH};

/// An API error: a status and a reason, as `{"error": "..."}`.
#[derive(Debug)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// The reason shown to the client.
    pub reason: String,
}

impl ApiError {
    /// A client error with a reason.
    pub fn new(status: StatusCode, reason: impl Into<String>) -> Self {
        ApiError {
            status,
            reason: reason.into(),
        }
    }

    /// An internal failure: logged here, answered with a bare 500.
    pub fn internal(err: &dyn std::error::Error) -> Self {
        tracing::error!(error = %err, "internal error");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (
            self.status,
            Json(serde_json::json!({ "error": self.reason })),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::internal(&e)
    }
}

/// An error shown as an HTML page. Made with [`PageError::text`] (a message id of the
/// translations) it is shown in the request's language: its response carries the id, and the
/// router's [`languages`] layer draws the page again in the language the request asked for.
/// [`PageError::new`] takes English text as it is.
#[derive(Debug)]
pub struct PageError {
    /// The status.
    pub status: StatusCode,
    /// The message shown (in English when the error has a message id).
    pub message: String,
    text: Option<ErrorText>,
}

/// A page error's message as a translation id with its arguments: what [`languages`] draws
/// again in the request's language.
#[derive(Clone, Debug)]
struct ErrorText {
    status: StatusCode,
    id: &'static str,
    args: Vec<(&'static str, usher_i18n::Arg)>,
}

impl PageError {
    /// A client error with a message in English (not translated).
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        PageError {
            status,
            message: message.into(),
            text: None,
        }
    }

    /// A client error with the translations' message `id`, shown in the request's language.
    pub fn text(status: StatusCode, id: &'static str) -> Self {
        PageError::text_with(status, id, Vec::new())
    }

    /// [`PageError::text`] with the message's placeables.
    pub fn text_with(
        status: StatusCode,
        id: &'static str,
        args: Vec<(&'static str, usher_i18n::Arg)>,
    ) -> Self {
        PageError {
            status,
            message: usher_i18n::text_with(usher_i18n::Lang::En, id, &args),
            text: Some(ErrorText { status, id, args }),
        }
    }

    /// An internal failure: logged here, shown as a bare 500.
    pub fn internal(err: &dyn std::error::Error) -> Self {
        tracing::error!(error = %err, "internal error");
        PageError::text(StatusCode::INTERNAL_SERVER_ERROR, "web-error-internal")
    }
}

/// The page an error is shown on, in `lang`.
fn error_page(lang: PageLang, status: StatusCode, message: &str) -> Html<String> {
    page_in(
        lang,
        &lang.text("web-error-title"),
        &format!(
            "<h1>{}</h1><p>{}</p><p><a href=\"/\">{}</a></p>",
            status.as_u16(),
            esc(message),
            lang.text("web-error-home")
        ),
    )
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = error_page(PageLang(usher_i18n::Lang::En), self.status, &self.message);
        let mut r = (self.status, body).into_response();
        if let Some(t) = self.text {
            r.extensions_mut().insert(t);
        }
        r
    }
}

/// The router's language layer: an error page made with a message id ([`PageError::text`]) is
/// drawn again in the request's language ([`PageLang`]), and a request with `?lang=xx` (the
/// language menu's links) gets the `usher_lang` cookie, so that the next pages, and the
/// answers to forms, speak it too. The cookie is `SameSite=Lax`, not `HttpOnly`-worthy and
/// not a secret: it holds only a language code.
pub async fn languages(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let lang = PageLang::from_request(req.uri().query(), req.headers());
    let chosen = req.uri().query().and_then(query_lang);
    let mut res = next.run(req).await;
    if let Some(t) = res.extensions_mut().remove::<ErrorText>() {
        let message = lang.text_with(t.id, &t.args);
        let (mut parts, _) = res.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        let body = error_page(lang, t.status, &message).0;
        res = Response::from_parts(parts, axum::body::Body::from(body));
    }
    if let Some(l) = chosen
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age={}",
            l.code(),
            365 * 86_400
        ))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

impl From<crate::store::StoreError> for PageError {
    fn from(e: crate::store::StoreError) -> Self {
        PageError::internal(&e)
    }
}

impl From<crate::crypto::CryptoError> for PageError {
    fn from(e: crate::crypto::CryptoError) -> Self {
        PageError::internal(&e)
    }
}

/// Escapes text for HTML element content and attribute values, [`clean`]ed first: no control
/// or bidirectional formatting character from a pass, a kiosk or a form reaches a page.
///
/// [`clean`]: usher_core::display::clean
pub fn esc(s: &str) -> String {
    esc_pre(&usher_core::display::clean(s))
}

/// Escapes multi-line text for a `<pre>` (keys, enrolment codes): only the HTML
/// metacharacters are escaped, line breaks stay.
pub fn esc_pre(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A whole HTML page around `body`, in English. A page people read is made with [`page_in`]
/// in the request's language instead.
pub fn page(title: &str, body: &str) -> Html<String> {
    frame_in(usher_i18n::Lang::En, title, "", body)
}

/// The language a page answers in: `?lang=xx` in the query (the language menu's links), then the
/// `usher_lang` cookie, then the browser's `Accept-Language`, then English. Never fails: an
/// unknown code is ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLang(pub usher_i18n::Lang);

/// The cookie that keeps a visitor's pick from the language menu.
pub const LANG_COOKIE: &str = "usher_lang";

impl PageLang {
    /// The language for a request's query and headers.
    pub fn from_request(query: Option<&str>, headers: &HeaderMap) -> Self {
        let from_query = query.and_then(query_lang);
        // Not a secret, so never `__Host-` prefixed: the plain name whatever the scheme.
        let from_cookie = || cookie_named(headers, LANG_COOKIE).and_then(usher_i18n::Lang::parse);
        let from_header = || {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(usher_i18n::negotiate)
        };
        PageLang(
            from_query
                .or_else(from_cookie)
                .or_else(from_header)
                .unwrap_or_default(),
        )
    }

    /// The message `id` in this language.
    pub fn text(self, id: &str) -> String {
        usher_i18n::text(self.0, id)
    }

    /// The message `id` in this language, with its placeables.
    pub fn text_with(self, id: &str, args: &[(&str, usher_i18n::Arg)]) -> String {
        usher_i18n::text_with(self.0, id, args)
    }
}

/// The language a query's `lang=xx` names, if Usher speaks it.
fn query_lang(query: &str) -> Option<usher_i18n::Lang> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| usher_i18n::Lang::parse(v))
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLang::from_request(parts.uri.query(), &parts.headers))
    }
}

/// [`page`] in a language: `<html lang dir>` set, so that Arabic and Urdu pages lay out right to
/// left as a whole.
pub fn page_in(lang: PageLang, title: &str, body: &str) -> Html<String> {
    frame_in(lang.0, title, "", body)
}

/// [`page_in`] that the browser reloads every `seconds` by itself (a meta refresh: no
/// JavaScript), for pages watched on a screen such as "Inside now".
pub fn refreshing_page(lang: PageLang, title: &str, seconds: u32, body: &str) -> Html<String> {
    frame_in(
        lang.0,
        title,
        &format!("<meta http-equiv=\"refresh\" content=\"{seconds}\">"),
        body,
    )
}

/// The message `id` in `lang` as HTML: escaped, with the placeable `key` (given `value`) wrapped
/// in `<tag>` (`<b>2</b> people inside`), so that translations stay plain text and the markup
/// stays here.
pub fn text_marked(
    lang: PageLang,
    id: &str,
    args: &[(&str, usher_i18n::Arg)],
    (key, value, tag): (&str, &str, &str),
) -> String {
    const MARK: &str = "\u{E000}";
    let mut all = args.to_vec();
    all.push((key, MARK.into()));
    lang.text_with(id, &all)
        .split(MARK)
        .map(esc)
        .collect::<Vec<_>>()
        .join(&format!("<{tag}>{}</{tag}>", esc(value)))
}

/// The language menu: a link per language, each named in its own language (and marked with
/// its `lang`), to `path?lang=xx`; following one sets the `usher_lang` cookie ([`languages`]).
/// The current language is marked `aria-current`.
pub fn lang_menu(lang: PageLang, path: &str) -> String {
    let links: String = usher_i18n::Lang::ALL
        .into_iter()
        .map(|l| {
            let current = if l == lang.0 {
                " aria-current=\"true\""
            } else {
                ""
            };
            format!(
                "<a href=\"{path}?lang={0}\" lang=\"{0}\" hreflang=\"{0}\" dir=\"{1}\"{current}>{2}</a>",
                l.code(),
                l.direction().html(),
                l.native_name()
            )
        })
        .collect();
    format!(
        "<nav class=\"langs\" aria-label=\"{}\">{links}</nav>",
        esc(&lang.text("web-language-menu"))
    )
}

fn frame_in(lang: usher_i18n::Lang, title: &str, head: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{head}\
         <title>{}</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head>\
         <body><main>{body}</main></body></html>",
        lang.code(),
        lang.direction().html(),
        esc(title)
    ))
}

/// The name a cookie goes by: `__Host-NAME` when the server is reached over HTTPS (`secure`),
/// so that the browser keeps it only with Secure, Path=/ and no Domain, and no other site or
/// plain-HTTP page of the same host can set it; plain `NAME` otherwise.
pub fn cookie_name(name: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

/// The value of cookie `name` (as [`cookie_name`] spells it) in the request, if any.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str, secure: bool) -> Option<&'a str> {
    cookie_named(headers, &cookie_name(name, secure))
}

/// The value of the cookie called exactly `name` in the request, if any.
fn cookie_named<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, no Domain; over HTTPS (`secure`)
/// also Secure and named with the `__Host-` prefix ([`cookie_name`]).
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let name = cookie_name(name, secure);
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The client's address: from the connection, or, when the server is told it sits behind a
/// reverse proxy (`trust_forwarded_for`), the right-most entry of `X-Forwarded-For`: the one
/// that proxy appended (entries to its left are the client's own say, and never counted).
/// The entry may be `ip`, `ip:port`, `[v6]` or `[v6]:port`; a header whose right-most entry
/// is none of these is refused (400). Unspecified when there is neither, as in tests that call
/// the router directly.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        if state.config.trust_forwarded_for && parts.headers.contains_key("x-forwarded-for") {
            return forwarded_for(&parts.headers)
                .map(ClientAddr)
                .ok_or_else(|| PageError::text(StatusCode::BAD_REQUEST, "web-error-forwarded"));
        }
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

/// The right-most address of the `X-Forwarded-For` headers (the last header's last entry).
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    parse_forwarded(last.to_str().ok()?.rsplit(',').next()?.trim())
}

/// One `X-Forwarded-For` entry: `ip`, `ip:port`, `[v6]` or `[v6]:port`.
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = entry.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    entry
        .strip_prefix('[')?
        .strip_suffix(']')?
        .parse::<std::net::Ipv6Addr>()
        .ok()
        .map(IpAddr::V6)
}

/// Adds the headers every response carries: `Date` (by the server clock; kiosks use it as a
/// clock check) and security headers.
pub async fn common_headers(State(state): State<AppState>, mut res: Response) -> Response {
    let h = res.headers_mut();
    let secs = u64::try_from(state.now()).unwrap_or(0);
    let date = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(secs));
    if let Ok(v) = HeaderValue::from_str(&date) {
        h.insert(header::DATE, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Formats Unix seconds as `YYYY-MM-DD HH:MM` UTC.
pub fn fmt_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map_or_else(
        || unix.to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// Formats Unix seconds as `YYYY-MM-DD` (UTC).
pub fn fmt_day(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map_or_else(|| unix.to_string(), |t| t.format("%Y-%m-%d").to_string())
}

/// Parses `YYYY-MM-DD` as the Unix second the UTC day starts.
pub fn parse_day(s: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_i18n::Lang;

    #[test]
    fn a_page_speaks_the_query_then_the_cookie_then_accept_language() {
        let mut headers = HeaderMap::new();
        assert_eq!(PageLang::from_request(None, &headers).0, Lang::En);
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("ar-EG,ar;q=0.9"),
        );
        assert_eq!(PageLang::from_request(None, &headers).0, Lang::Ar);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; usher_lang=fr"),
        );
        assert_eq!(PageLang::from_request(None, &headers).0, Lang::Fr);
        assert_eq!(
            PageLang::from_request(Some("x=1&lang=ur"), &headers).0,
            Lang::Ur
        );
        assert_eq!(
            PageLang::from_request(Some("lang=xx"), &headers).0,
            Lang::Fr
        );
        let html = page_in(PageLang(Lang::Ar), "t", "b").0;
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    }

    #[test]
    fn escaping_cleans_controls_and_bidi_but_pre_keeps_lines() {
        assert_eq!(esc("Ann\u{202E}<b>\r\nx"), "Ann&lt;b&gt; x");
        assert_eq!(esc("محمد علي"), "محمد علي");
        assert_eq!(esc_pre("a\n<b>"), "a\n&lt;b&gt;");
    }

    #[test]
    fn escaping_and_days() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(parse_day("2026-11-23"), Some(1_795_392_000));
        assert_eq!(fmt_day(1_795_392_000), "2026-11-23");
        assert_eq!(parse_day("2026-13-01"), None);
    }

    #[test]
    fn forwarded_entries_take_ports_and_brackets() {
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        assert_eq!(parse_forwarded("198.51.100.7"), ip("198.51.100.7"));
        assert_eq!(parse_forwarded("198.51.100.7:4711"), ip("198.51.100.7"));
        assert_eq!(parse_forwarded("2001:db8::1"), ip("2001:db8::1"));
        assert_eq!(parse_forwarded("[2001:db8::1]"), ip("2001:db8::1"));
        assert_eq!(parse_forwarded("[2001:db8::1]:443"), ip("2001:db8::1"));
        for bad in ["", "unknown", "[::1", "1.2.3.4:x", "[1.2.3.4]", "_hidden"] {
            assert_eq!(parse_forwarded(bad), None, "{bad}");
        }
        let mut h = HeaderMap::new();
        h.append(
            "x-forwarded-for",
            HeaderValue::from_static("10.0.0.1, 10.0.0.2"),
        );
        h.append(
            "x-forwarded-for",
            HeaderValue::from_static("spoof, 192.0.2.1:80"),
        );
        assert_eq!(forwarded_for(&h), ip("192.0.2.1"));
    }

    #[test]
    fn cookies_parse() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; usher_session=xyz"),
        );
        assert_eq!(cookie(&h, "usher_session", false), Some("xyz"));
        assert_eq!(cookie(&h, "usher_session", true), None);
        assert_eq!(cookie(&h, "b", false), None);
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("usher_session=plain; __Host-usher_session=xyz"),
        );
        assert_eq!(cookie(&h, "usher_session", true), Some("xyz"));
    }
}
