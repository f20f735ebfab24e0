//! The query of a pass text: split after the first `?`, form-decoded to exact bytes.
//!
//! The obvious crates are lenient where a pass must not be: `url`'s `query_pairs()` turns bad
//! UTF-8 into U+FFFD, and `percent_encoding` passes `%ZZ` through untouched. Here decoding
//! yields raw bytes plus a flag saying whether the encoding was well formed, so the verdict
//! rules can verify the signature over the exact bytes an issuer signed (PHP's `urldecode`
//! also keeps malformed escapes literally) and still call a malformed payload `qr_invalid`.

/// One `key=value` parameter of the query, both still encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawParam<'a> {
    /// The key as written.
    pub key: &'a str,
    /// The value as written (empty when there was no `=`).
    pub value: &'a str,
}

/// The query part of `text`: after the first `?` and before a `#` fragment.
/// `None` when the text has no `?` at all.
pub fn query_of(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once('?')?;
    Some(rest.split_once('#').map_or(rest, |(query, _)| query))
}

/// The parameters of a query in order, empty segments (`a=1&&b=2`) skipped.
pub fn params(query: &str) -> impl Iterator<Item = RawParam<'_>> {
    query.split('&').filter(|s| !s.is_empty()).map(|seg| {
        let (key, value) = seg.split_once('=').unwrap_or((seg, ""));
        RawParam { key, value }
    })
}

/// A form-decoded component: its bytes, and whether every `%` began a valid `%XX` escape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded bytes (`+` became a space; a malformed escape is kept literally).
    pub bytes: Vec<u8>,
    /// False when some `%` was not followed by two hex digits.
    pub well_formed: bool,
}

/// Form-decodes one component (`application/x-www-form-urlencoded`): `+` is a space and
/// `%XX` a byte. Never fails; see [`Decoded::well_formed`].
pub fn decode(component: &str) -> Decoded {
    let src = component.as_bytes();
    let mut bytes = Vec::with_capacity(src.len());
    let mut well_formed = true;
    let mut i = 0;
    while i < src.len() {
        match src[i] {
            b'+' => bytes.push(b' '),
            b'%' => match (
                src.get(i + 1).and_then(hex_val),
                src.get(i + 2).and_then(hex_val),
            ) {
                (Some(hi), Some(lo)) => {
                    bytes.push(hi << 4 | lo);
                    i += 2;
                }
                _ => {
                    well_formed = false;
                    bytes.push(b'%');
                }
            },
            b => bytes.push(b),
        }
        i += 1;
    }
    Decoded { bytes, well_formed }
}

fn hex_val(b: &u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Form-encodes bytes as PHP's `urlencode` and HTML forms do: ASCII letters, digits and
/// `-._*` stay, a space becomes `+`, every other byte becomes `%XX` (upper case).
pub fn encode(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_starts_after_first_question_mark_and_stops_at_fragment() {
        assert_eq!(query_of("https://x/p?a=1?b#frag"), Some("a=1?b"));
        assert_eq!(query_of("no query here"), None);
        assert_eq!(query_of("?"), Some(""));
    }

    #[test]
    fn params_split_on_ampersand_and_first_equals() {
        let got: Vec<_> = params("a=1&&b=x=y&c").collect();
        assert_eq!(
            got,
            vec![
                RawParam {
                    key: "a",
                    value: "1"
                },
                RawParam {
                    key: "b",
                    value: "x=y"
                },
                RawParam {
                    key: "c",
                    value: ""
                },
            ]
        );
    }

    #[test]
    fn decode_handles_plus_and_escapes_in_either_case() {
        let d = decode("a+b%2fc%2F%e2%82%AC");
        assert!(d.well_formed);
        assert_eq!(d.bytes, "a b/c/€".as_bytes());
    }

    #[test]
    fn decode_keeps_malformed_escapes_and_flags_them() {
        for bad in ["%", "%4", "%ZZ", "a%g1", "100%"] {
            let d = decode(bad);
            assert!(!d.well_formed, "{bad}");
            assert_eq!(d.bytes.iter().filter(|&&b| b == b'%').count(), 1, "{bad}");
        }
    }

    #[test]
    fn decode_gives_raw_bytes_even_when_not_utf8() {
        assert_eq!(decode("%ff%fe").bytes, vec![0xff, 0xfe]);
    }

    #[test]
    fn encode_round_trips_any_bytes() {
        let all: Vec<u8> = (0..=255).collect();
        let enc = encode(&all);
        assert!(enc.is_ascii());
        assert_eq!(
            decode(&enc),
            Decoded {
                bytes: all,
                well_formed: true
            }
        );
    }

    #[test]
    fn encode_matches_php_urlencode() {
        // php -r 'echo urlencode("{\"s1\":\"Zoë O\x27Neil\"}");'
        assert_eq!(
            encode("{\"s1\":\"Zoë O'Neil\"}".as_bytes()),
            "%7B%22s1%22%3A%22Zo%C3%AB+O%27Neil%22%7D"
        );
    }
}
