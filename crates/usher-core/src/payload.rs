//! The payload `j` of a pass: a JSON object parsed strictly into typed fields.
//!
//! `serde_json::Value` silently keeps the last of two duplicate keys; a pass whose JSON says
//! `"expiry"` twice could then mean one thing to the issuer and another here. [`parse`] refuses
//! duplicate keys at every depth, wrong types for the fields DESIGN §1 names, and a missing or
//! non-integer `expiry` where one is required. Unknown fields are kept and ignored.
//!
//! The door and event fields of DESIGN §8 and §9 are typed here too: `p` (party size, a
//! [`PartySize`] 1..=20, default 1), `ev` (event id, a non-empty string), `nb` (not before,
//! Unix seconds), `en` (an [`Entrance`] name) and `r` (registration id). Each, when present
//! with the wrong type or out of range, makes the pass `qr_invalid`.

use crate::stay::{BadEntrance, Entrance, PartySize};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fmt;

/// A pass's identity in the ledger: the SHA-256 of its payload bytes exactly as decoded.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PassId(pub [u8; 32]);

impl PassId {
    /// The identity of the given payload bytes.
    pub fn of(payload: &[u8]) -> Self {
        PassId(Sha256::digest(payload).into())
    }

    /// Lower-case hex, 64 digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Option<Self> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).ok()?;
        Some(PassId(out))
    }
}

impl fmt::Debug for PassId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PassId({})", &self.to_hex()[..12])
    }
}

impl fmt::Display for PassId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// The typed fields of a payload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Payload {
    /// `s1`..`s10` (index 0 is `s1`). Usher's issuer writes name, phone and email as `s1`..`s3`.
    pub strings: [Option<String>; 10],
    /// `c1`..`c10`, Breeze commands (kept, not run).
    pub commands: [Option<String>; 10],
    /// `email`.
    pub email: Option<String>,
    /// `autoemail`.
    pub autoemail: Option<String>,
    /// `expiry`, Unix seconds.
    pub expiry: Option<u64>,
    /// `id`, the device the pass is bound to.
    pub device_id: Option<String>,
    /// `p`, how many people the pass admits (1 when absent).
    pub party: PartySize,
    /// `ev`, the event the pass is bound to: single use per event whatever the reuse policy.
    pub event: Option<String>,
    /// `nb`, not before (Unix seconds): before it the pass is `qr_too_early`.
    pub not_before: Option<u64>,
    /// `en`, the entrance the reservation was made for.
    pub entrance: Option<Entrance>,
    /// `r`, the server's registration id (joins the sign-in to the sealed contact data).
    pub registration: Option<String>,
    /// Every other field (Usher's nonce `n` among them), kept and ignored.
    pub extra: Map<String, Value>,
}

impl Payload {
    /// `s1`..`s10` by number (1-based); `None` outside 1..=10 or when absent.
    pub fn s(&self, n: usize) -> Option<&str> {
        self.strings.get(n.checked_sub(1)?)?.as_deref()
    }

    /// The visitor's name as Usher's issuer writes it (`s1`).
    pub fn name(&self) -> Option<&str> {
        self.s(1)
    }
}

/// A pass that parsed: its identity and typed payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    /// SHA-256 of the payload bytes.
    pub id: PassId,
    /// The typed payload.
    pub payload: Payload,
}

/// Why a payload is not acceptable JSON (each is `qr_invalid`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// Not valid UTF-8.
    #[error("payload is not valid UTF-8")]
    BadUtf8,
    /// Not JSON at all, or nested too deeply.
    #[error("payload is not valid JSON: {0}")]
    BadJson(String),
    /// JSON, but not an object.
    #[error("payload is not a JSON object")]
    NotAnObject,
    /// A key appears twice in one object.
    #[error("payload has the key {0:?} twice")]
    DuplicateKey(String),
    /// `expiry` is required (signed passes) but absent.
    #[error("payload has no expiry")]
    MissingExpiry,
    /// `expiry` is present but no non-negative integer.
    #[error("expiry is not a non-negative integer")]
    BadExpiry,
    /// A named field is present with a type other than string.
    #[error("field {0:?} is not a string")]
    NotAString(String),
    /// `p` is present but no whole number from 1 to 20.
    #[error("p (party size) is not a whole number from 1 to {}", PartySize::MAX)]
    BadPartySize,
    /// `nb` is present but no non-negative integer.
    #[error("nb (not before) is not a non-negative integer")]
    BadNotBefore,
    /// `ev` is present but empty.
    #[error("ev (event id) is empty")]
    EmptyEvent,
    /// `en` is a string but no entrance name.
    #[error("en (entrance): {0}")]
    BadEntrance(BadEntrance),
}

/// Parses payload bytes into typed fields. `expiry_required` is true for signed passes.
pub fn parse(bytes: &[u8], expiry_required: bool) -> Result<Payload, PayloadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| PayloadError::BadUtf8)?;
    let StrictValue(value) = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        match msg.strip_prefix(DUPLICATE_PREFIX) {
            Some(rest) => {
                PayloadError::DuplicateKey(rest.split(" at line").next().unwrap_or(rest).to_owned())
            }
            None => PayloadError::BadJson(msg),
        }
    })?;
    let Value::Object(mut map) = value else {
        return Err(PayloadError::NotAnObject);
    };

    let mut take_string = |key: &str| -> Result<Option<String>, PayloadError> {
        match map.remove(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(PayloadError::NotAString(key.to_owned())),
        }
    };
    let mut payload = Payload::default();
    for i in 0..10 {
        payload.strings[i] = take_string(&format!("s{}", i + 1))?;
        payload.commands[i] = take_string(&format!("c{}", i + 1))?;
    }
    payload.email = take_string("email")?;
    payload.autoemail = take_string("autoemail")?;
    payload.device_id = take_string("id")?;
    payload.registration = take_string("r")?;
    payload.event = match take_string("ev")? {
        Some(ev) if ev.is_empty() => return Err(PayloadError::EmptyEvent),
        ev => ev,
    };
    payload.entrance = take_string("en")?
        .map(|en| en.parse().map_err(PayloadError::BadEntrance))
        .transpose()?;
    payload.expiry = match map.remove("expiry") {
        None if expiry_required => return Err(PayloadError::MissingExpiry),
        None => None,
        Some(v) => Some(v.as_u64().ok_or(PayloadError::BadExpiry)?),
    };
    payload.not_before = map
        .remove("nb")
        .map(|v| v.as_u64().ok_or(PayloadError::BadNotBefore))
        .transpose()?;
    payload.party = match map.remove("p") {
        None => PartySize::ONE,
        Some(v) => v
            .as_u64()
            .and_then(PartySize::new)
            .ok_or(PayloadError::BadPartySize)?,
    };
    payload.extra = map;
    Ok(payload)
}

const DUPLICATE_PREFIX: &str = "duplicate key ";

/// A `serde_json::Value` whose objects may not repeat a key, at any depth.
struct StrictValue(Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        let mut seen = BTreeSet::new();
        while let Some(key) = access.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format_args!("{DUPLICATE_PREFIX}{key}")));
            }
            let StrictValue(v) = access.next_value()?;
            map.insert(key, v);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_breeze_example_payload() {
        let p = parse(
            br#"{"c1":"switchToStillsAndStart","expiry":1589885824,"autoemail":"sales@breezesys.com"}"#,
            true,
        )
        .expect("valid");
        assert_eq!(p.commands[0].as_deref(), Some("switchToStillsAndStart"));
        assert_eq!(p.expiry, Some(1_589_885_824));
        assert_eq!(p.autoemail.as_deref(), Some("sales@breezesys.com"));
    }

    #[test]
    fn php_escapes_are_understood() {
        let p = parse(br#"{"s1":"Ren\u00e9e","s2":"http:\/\/x","expiry":1}"#, true).expect("ok");
        assert_eq!(p.name(), Some("Renée"));
        assert_eq!(p.s(2), Some("http://x"));
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        assert_eq!(
            parse(br#"{"expiry":1,"expiry":2}"#, true),
            Err(PayloadError::DuplicateKey("expiry".into()))
        );
        assert_eq!(
            parse(br#"{"expiry":1,"x":{"a":1,"a":2}}"#, true),
            Err(PayloadError::DuplicateKey("a".into()))
        );
    }

    #[test]
    fn unknown_fields_are_kept() {
        let p = parse(br#"{"expiry":1,"n":"abc","venue":{"x":[1,2]}}"#, true).expect("ok");
        assert_eq!(p.extra.get("n"), Some(&Value::from("abc")));
        assert!(p.extra.contains_key("venue"));
    }

    #[test]
    fn wrong_shapes_and_types_are_named() {
        let cases: &[(&[u8], PayloadError)] = &[
            (b"[1]", PayloadError::NotAnObject),
            (b"\"s\"", PayloadError::NotAnObject),
            (b"\xff{}", PayloadError::BadUtf8),
            (br#"{"s1":1}"#, PayloadError::NotAString("s1".into())),
            (br#"{"c10":null}"#, PayloadError::NotAString("c10".into())),
            (
                br#"{"id":7,"expiry":1}"#,
                PayloadError::NotAString("id".into()),
            ),
            (
                br#"{"email":["a"]}"#,
                PayloadError::NotAString("email".into()),
            ),
            (br#"{"s1":"x"}"#, PayloadError::MissingExpiry),
            (br#"{"expiry":"1"}"#, PayloadError::BadExpiry),
            (br#"{"expiry":-1}"#, PayloadError::BadExpiry),
            (br#"{"expiry":1.5}"#, PayloadError::BadExpiry),
            (br#"{"expiry":1e30}"#, PayloadError::BadExpiry),
        ];
        for (input, want) in cases {
            assert_eq!(
                &parse(input, true).unwrap_err(),
                want,
                "{}",
                String::from_utf8_lossy(input)
            );
        }
        assert!(matches!(parse(b"{", true), Err(PayloadError::BadJson(_))));
    }

    #[test]
    fn expiry_is_optional_only_when_not_required() {
        assert_eq!(parse(br#"{"s1":"x"}"#, false).expect("ok").expiry, None);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let text = format!(r#"{{"expiry":1,"x":{deep}}}"#);
        assert!(matches!(
            parse(text.as_bytes(), true),
            Err(PayloadError::BadJson(_))
        ));
    }

    #[test]
    fn party_size_is_a_whole_number_from_1_to_20() {
        let party = |json: &str| parse(json.as_bytes(), false).map(|p| p.party.get());
        assert_eq!(party(r#"{}"#), Ok(1));
        assert_eq!(party(r#"{"p":1}"#), Ok(1));
        assert_eq!(party(r#"{"p":20}"#), Ok(20));
        for bad in [
            r#"{"p":0}"#,
            r#"{"p":21}"#,
            r#"{"p":"3"}"#,
            r#"{"p":3.0}"#,
            r#"{"p":-3}"#,
            r#"{"p":null}"#,
            r#"{"p":1e1}"#,
            r#"{"p":18446744073709551617}"#,
        ] {
            assert_eq!(party(bad), Err(PayloadError::BadPartySize), "{bad}");
        }
    }

    #[test]
    fn event_fields_are_typed() {
        let p = parse(
            br#"{"expiry":9,"ev":"eid-2026","nb":5,"en":"sisters","r":"R-17","p":4}"#,
            true,
        )
        .expect("ok");
        assert_eq!(p.event.as_deref(), Some("eid-2026"));
        assert_eq!(p.not_before, Some(5));
        assert_eq!(p.entrance.as_ref().map(Entrance::as_str), Some("sisters"));
        assert_eq!(p.registration.as_deref(), Some("R-17"));
        assert_eq!(p.party.get(), 4);
        assert!(p.extra.is_empty(), "door fields are not left in extra");

        let cases: &[(&str, PayloadError)] = &[
            (r#"{"ev":7}"#, PayloadError::NotAString("ev".into())),
            (r#"{"ev":""}"#, PayloadError::EmptyEvent),
            (r#"{"r":[]}"#, PayloadError::NotAString("r".into())),
            (r#"{"en":1}"#, PayloadError::NotAString("en".into())),
            (
                r#"{"en":"a\nb"}"#,
                PayloadError::BadEntrance(BadEntrance::Hostile),
            ),
            (
                r#"{"en":""}"#,
                PayloadError::BadEntrance(BadEntrance::Empty),
            ),
            (r#"{"nb":"5"}"#, PayloadError::BadNotBefore),
            (r#"{"nb":-5}"#, PayloadError::BadNotBefore),
            (r#"{"nb":5.5}"#, PayloadError::BadNotBefore),
        ];
        for (input, want) in cases {
            assert_eq!(
                &parse(input.as_bytes(), false).unwrap_err(),
                want,
                "{input}"
            );
        }
    }

    #[test]
    fn pass_id_is_sha256_of_the_bytes() {
        // echo -n abc | sha256sum
        assert_eq!(
            PassId::of(b"abc").to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let id = PassId::of(b"x");
        assert_eq!(PassId::from_hex(&id.to_hex()), Some(id));
    }
}
