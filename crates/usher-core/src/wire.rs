//! The one contract between kiosk and server (`/api/v1`): the upload of sign-ins (the entries
//! of stays), exits, voids and tallies and its answer, the used-pass feed, the double-use feed and the plaintext a kiosk seals to the organiser's
//! key. Serde types only; the kiosk's sync writes them and the server's API reads them.

use crate::stay::ExitKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `POST`: sign-ins and exits up ([`Upload`] in, [`UploadAnswer`] out).
pub const SIGNINS_PATH: &str = "/api/v1/signins";
/// `GET ?since=CURSOR`: passes first used at other kiosks ([`UsedPage`]).
pub const USED_PATH: &str = "/api/v1/used";
/// `GET ?since=CURSOR`: the venue's double uses ([`DoubleUsesPage`]).
pub const DOUBLE_USES_PATH: &str = "/api/v1/double-uses";

/// Contact fields by name (`s1`..`s10`, `email`).
pub type Fields = BTreeMap<String, String>;

/// The body of an upload.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Upload {
    /// The sign-ins, oldest first.
    pub signins: Vec<SignIn>,
    /// The exits, oldest first (DESIGN §8). Absent from older kiosks. Their ids share one
    /// space with the sign-ins' ids in the [`UploadAnswer`] (both are random, made by the kiosk).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exits: Vec<Exit>,
    /// Sign-ins voided by the volunteer (DESIGN §8, undo), oldest first. Absent from older
    /// kiosks. Their ids share the one id space of sign-ins and exits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voids: Vec<Void>,
    /// Head-count tallies (`+1`/`-1` for people counted without any record), oldest first.
    /// Absent from older kiosks. Their ids share the same id space.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tallies: Vec<Tally>,
}

/// A sign-in voided at the kiosk that recorded it (the volunteer's undo): the server keeps an
/// audited record and drops the sign-in from counts, inside now, the roll call and tracing,
/// and a `once` pass whose first use it was may be used again. It may arrive before the
/// sign-in it names (that one is then dropped when it comes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Void {
    /// Made by the kiosk (not the sign-in's id); stored once per id and kiosk.
    pub id: String,
    /// The [`SignIn::id`] voided: one of this kiosk's own.
    pub signin: String,
    /// The kiosk: it must be the one the device token belongs to.
    pub device_id: String,
    /// When the volunteer voided it, Unix seconds.
    pub voided_at: i64,
}

/// One press of the volunteer's `+1` or `-1`: a person counted in (or out) without any
/// record (a child, staff). No contact data, no pass.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// Made by the kiosk; stored once per id and kiosk.
    pub id: String,
    /// The kiosk: it must be the one the device token belongs to.
    pub device_id: String,
    /// The entrance it was counted at.
    pub entrance: String,
    /// When, Unix seconds.
    pub at: i64,
    /// `1` or `-1`.
    pub delta: i64,
}

/// The fields of a [`Void`] and the JSON kind each must have (as [`SIGNIN_FIELDS`]).
pub const VOID_FIELDS: &[(&str, JsonKind, bool)] = &[
    ("id", JsonKind::String, true),
    ("signin", JsonKind::String, true),
    ("device_id", JsonKind::String, true),
    ("voided_at", JsonKind::Integer, true),
];

/// The fields of a [`Tally`] and the JSON kind each must have (as [`SIGNIN_FIELDS`]).
pub const TALLY_FIELDS: &[(&str, JsonKind, bool)] = &[
    ("id", JsonKind::String, true),
    ("device_id", JsonKind::String, true),
    ("entrance", JsonKind::String, true),
    ("at", JsonKind::Integer, true),
    ("delta", JsonKind::Integer, true),
];

/// Why `value` is no [`Void`], naming the field and never its value.
pub fn void_shape_error(value: &serde_json::Value) -> Option<String> {
    shape_error(value, "a void", VOID_FIELDS)
}

/// Why `value` is no [`Tally`], naming the field and never its value (`delta` must also be
/// `1` or `-1`).
pub fn tally_shape_error(value: &serde_json::Value) -> Option<String> {
    shape_error(value, "a tally", TALLY_FIELDS).or_else(|| {
        let delta = value.get("delta").and_then(serde_json::Value::as_i64);
        (!matches!(delta, Some(1 | -1))).then(|| "delta must be 1 or -1".to_owned())
    })
}

/// One sign-in on the wire: the contact fields either `sealed` to the organiser's key
/// (base64 of a sealed box whose plaintext is [`SealedContact`]) or, from a kiosk without
/// that key, in clear as `fields`; never both.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// Made by the kiosk; the server stores a sign-in once per id and kiosk.
    pub id: String,
    /// The pass identity, 64 lower-case hex digits.
    pub pass_id: String,
    /// When it was scanned, Unix seconds.
    pub scanned_at: i64,
    /// The kiosk: it must be the one the device token belongs to.
    pub device_id: String,
    /// Until when the pass is valid, Unix seconds (`i64::MAX`: no expiry), so the server keeps
    /// the pass's first use as long as `once` needs it. Absent from older kiosks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<i64>,
    /// Contact fields in clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Fields>,
    /// Contact fields sealed to the organiser's key, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<String>,
    /// The entrance the stay began at (DESIGN §8). Absent from older kiosks: `main`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrance: Option<String>,
    /// How many people came in on the pass, 1 to 20. Absent from older kiosks: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heads: Option<i64>,
    /// Admitted at capacity by the volunteer (an override). Absent: not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub over_capacity: bool,
    /// A stay of a pass already used, after an exit: not a new use (DESIGN §8, back in the
    /// same day under `daily` or `interval`). The server stores the stay but records no use
    /// of the pass and never a double use. Absent: a new use.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reentry: bool,
    /// The pass's `r` (DESIGN §9): the server's registration (or reservation) it was issued
    /// for, which holds the phone and e-mail a compact pass leaves out. Absent: a pass without
    /// one (minted by `usher issue` or a venue's own site) or an older kiosk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("id", &self.id)
            .field("pass_id", &self.pass_id)
            .field("scanned_at", &self.scanned_at)
            .field("device_id", &self.device_id)
            .field("valid_until", &self.valid_until)
            .field("fields", &self.fields.as_ref().map(|_| "***"))
            .field("sealed", &self.sealed.as_ref().map(|_| "***"))
            .field("entrance", &self.entrance)
            .field("heads", &self.heads)
            .field("over_capacity", &self.over_capacity)
            .field("reentry", &self.reentry)
            .finish()
    }
}

/// One exit on the wire: the end of a stay, recorded by the kiosk it was scanned at (or
/// closed by it automatically). No contact data: the stay's sign-in has that.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Exit {
    /// Made by the kiosk; the server stores an exit once per id and kiosk.
    pub id: String,
    /// The pass identity, 64 lower-case hex digits.
    pub pass_id: String,
    /// When the holder left, Unix seconds (for `auto`: the estimate).
    pub at: i64,
    /// The kiosk: it must be the one the device token belongs to.
    pub device_id: String,
    /// The entrance it was recorded at.
    pub entrance: String,
    /// The [`SignIn::id`] of the stay it closes: this kiosk's own, or one another kiosk
    /// recorded (from the presence feed). Absent: the kiosk knew no open stay of the pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<String>,
    /// A scan (a real time) or automatic (an estimate).
    pub kind: ExitKind,
}

/// The fields of a [`SignIn`] and the JSON kind each must have, for refusal reasons that
/// name the field and never echo the value sent.
pub const SIGNIN_FIELDS: &[(&str, JsonKind, bool)] = &[
    ("id", JsonKind::String, true),
    ("pass_id", JsonKind::String, true),
    ("scanned_at", JsonKind::Integer, true),
    ("device_id", JsonKind::String, true),
    ("valid_until", JsonKind::Integer, false),
    ("fields", JsonKind::StringMap, false),
    ("sealed", JsonKind::String, false),
    ("entrance", JsonKind::String, false),
    ("heads", JsonKind::Integer, false),
    ("over_capacity", JsonKind::Bool, false),
    ("reentry", JsonKind::Bool, false),
    ("registration", JsonKind::String, false),
];

/// The JSON kind of a wire field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// A string.
    String,
    /// A whole number.
    Integer,
    /// An object whose values are strings.
    StringMap,
    /// `true` or `false`.
    Bool,
}

impl JsonKind {
    /// Whether `value` is of this kind (`null` counts for optional fields).
    pub fn fits(self, value: &serde_json::Value) -> bool {
        match self {
            JsonKind::String => value.is_string(),
            JsonKind::Integer => value.is_i64(),
            JsonKind::StringMap => value
                .as_object()
                .is_some_and(|o| o.values().all(serde_json::Value::is_string)),
            JsonKind::Bool => value.is_boolean(),
        }
    }

    /// For people: "a string", "a whole number", ...
    pub fn described(self) -> &'static str {
        match self {
            JsonKind::String => "a string",
            JsonKind::Integer => "a whole number",
            JsonKind::StringMap => "an object of strings",
            JsonKind::Bool => "true or false",
        }
    }
}

/// The fields of an [`Exit`] and the JSON kind each must have (as [`SIGNIN_FIELDS`]).
pub const EXIT_FIELDS: &[(&str, JsonKind, bool)] = &[
    ("id", JsonKind::String, true),
    ("pass_id", JsonKind::String, true),
    ("at", JsonKind::Integer, true),
    ("device_id", JsonKind::String, true),
    ("entrance", JsonKind::String, true),
    ("closes", JsonKind::String, false),
    ("kind", JsonKind::String, true),
];

/// Why `value` is not `what` (e.g. "a sign-in") of `fields`, naming the field and never its
/// value (`None`: it is one as far as kinds go). The one shape check of every wire row.
pub fn shape_error(
    value: &serde_json::Value,
    what: &str,
    fields: &[(&str, JsonKind, bool)],
) -> Option<String> {
    let Some(object) = value.as_object() else {
        return Some(format!("{what} must be a JSON object"));
    };
    for (name, kind, required) in fields {
        match object.get(*name) {
            None | Some(serde_json::Value::Null) if *required => {
                return Some(format!("{name} is missing"));
            }
            None | Some(serde_json::Value::Null) => {}
            Some(v) if !kind.fits(v) => {
                return Some(format!("{name} must be {}", kind.described()));
            }
            Some(_) => {}
        }
    }
    object
        .keys()
        .find(|k| !fields.iter().any(|(name, _, _)| name == k))
        .map(|k| format!("unknown field {:?}", k.chars().take(16).collect::<String>()))
}

/// Why `value` is no [`SignIn`], naming the field and never its value (`None`: it is one as
/// far as kinds go).
pub fn signin_shape_error(value: &serde_json::Value) -> Option<String> {
    shape_error(value, "a sign-in", SIGNIN_FIELDS)
}

/// Why `value` is no [`Exit`], naming the field and never its value (`None`: it is one as
/// far as kinds go; `kind` must still be `scan` or `auto`).
pub fn exit_shape_error(value: &serde_json::Value) -> Option<String> {
    shape_error(value, "an exit", EXIT_FIELDS).or_else(|| {
        let kind = value.get("kind").and_then(serde_json::Value::as_str);
        (!matches!(kind, Some("scan" | "auto"))).then(|| "kind must be scan or auto".to_owned())
    })
}

/// What a kiosk seals to the organiser's key: the row's id (so a sealed box cannot be moved
/// to another sign-in) and its contact fields.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SealedContact {
    /// The [`SignIn::id`] it belongs to.
    pub id: String,
    /// The contact fields.
    pub fields: Fields,
}

impl std::fmt::Debug for SealedContact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedContact({}, ***)", self.id)
    }
}

/// The answer to an upload: each id stored now, stored before (by this kiosk), or refused.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct UploadAnswer {
    /// Stored now.
    #[serde(default)]
    pub stored: Vec<String>,
    /// Stored before by the same kiosk (a retry).
    #[serde(default)]
    pub known: Vec<String>,
    /// Refused for good.
    #[serde(default)]
    pub refused: Vec<Refusal>,
}

/// A refused sign-in and why. The reason names a field, never a value sent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Refusal {
    /// The kiosk-made id as sent (empty when there was none).
    pub id: String,
    /// Why (permanently).
    pub reason: String,
}

/// One pass first used at another kiosk.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Use {
    /// Pass identity, 64 hex digits.
    pub pass_id: String,
    /// First use, Unix seconds.
    pub first_at: i64,
    /// Kiosk of the first use.
    pub device_id: String,
    /// Until when the pass is valid (`None`: not known), so kiosks can forget the use later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<i64>,
}

/// A pass its holder revoked (DESIGN §9: a cancelled reservation, or their data deleted on
/// `/me`): kiosks answer `qr_not_authorized` for it until `valid_until`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Revoked {
    /// Pass identity, 64 hex digits.
    pub pass_id: String,
    /// Until when the pass would have been valid (kiosks may forget it after that).
    pub valid_until: i64,
}

/// A page of the used-pass feed. Its one cursor covers both lists: the page is empty (the
/// feed's end) when both are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct UsedPage {
    /// Passes first used at other kiosks.
    pub used: Vec<Use>,
    /// First uses withdrawn since the cursor: their sign-in was voided at its kiosk (the
    /// volunteer's undo), so a kiosk that kept the use forgets it and a `once` pass works
    /// again. Absent from older servers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<Use>,
    /// Passes revoked since the cursor (absent from older servers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revoked: Vec<Revoked>,
    /// Where the next page starts.
    pub next: String,
}

/// One double use (pass identities and kiosk ids, no contact data).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DoubleUse {
    /// Pass identity, 64 hex digits.
    pub pass_id: String,
    /// The first use.
    pub first_at: i64,
    /// Its kiosk.
    pub first_device_id: String,
    /// The later use.
    pub at: i64,
    /// Its kiosk.
    pub device_id: String,
}

/// A page of the double-use feed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct DoubleUsesPage {
    /// Double uses recorded since the cursor.
    pub double_uses: Vec<DoubleUse>,
    /// Where the next page starts.
    pub next: String,
}

/// A server's reason as a kiosk keeps it: anything quoted (where a value could hide) is
/// replaced by `…`, control characters dropped, at most 200 characters.
pub fn kept_reason(reason: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in reason.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '`' | '\'') => {
                quote = Some(c);
                out.push('…');
            }
            None if c.is_control() => {}
            None => out.push(c),
        }
    }
    out.chars().take(200).collect()
}

/// Whether a kiosk talking to `url` would send its device token in clear: `http://` to a
/// host that is not this computer (`localhost`, `127.0.0.0/8`, `::1`).
pub fn sends_token_in_clear(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    !loopback
}

// ---- presence (DESIGN §8): who is inside across the venue, and this kiosk's place lease ----

/// `GET ?entrance=NAME&held=N&inside=N&demand=N`: the venue's inside-now counts, the other kiosks' open
/// stays and this kiosk's place lease ([`Presence`]; the query is [`PresenceQuery`]).
pub const PRESENCE_PATH: &str = "/api/v1/presence";
/// Most open stays of other kiosks in one [`Presence`] (the newest; `others_truncated` says
/// when more are open), and most of this kiosk's stays closed elsewhere.
pub const PRESENCE_STAYS_LIMIT: usize = 5000;

/// What a kiosk tells the server when it asks for presence ([`crate::lease::KioskReport`]):
/// the places of the lease it holds, its own heads inside, its demand since its last fetch.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct PresenceQuery {
    /// The kiosk's entrance (absent: `main`).
    #[serde(default)]
    pub entrance: String,
    /// The places of the lease it obeys now (absent: none).
    #[serde(default)]
    pub held: u32,
    /// Heads of its own open stays.
    #[serde(default)]
    pub inside: u32,
    /// Heads admitted plus `qr_full` refusals since its last fetch.
    #[serde(default)]
    pub demand: u32,
}

/// The answer of [`PRESENCE_PATH`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Presence {
    /// The server's time of these counts, Unix seconds.
    pub server_time: i64,
    /// Per entrance: every entrance the server knows (with its capacity) and every entrance
    /// someone is inside through, in name order.
    pub entrances: Vec<EntrancePresence>,
    /// The whole venue.
    pub venue: VenuePresence,
    /// Open stays other kiosks recorded (newest first, at most [`PRESENCE_STAYS_LIMIT`]), so
    /// an exit here can close them.
    pub others: Vec<RemoteStay>,
    /// More open stays of other kiosks exist than `others` lists (counts are complete).
    #[serde(default)]
    pub others_truncated: bool,
    /// This kiosk's open stays that an exit at another kiosk closed (newest first, at most
    /// [`PRESENCE_STAYS_LIMIT`]).
    #[serde(default)]
    pub closed_elsewhere: Vec<ClosedStay>,
    /// This kiosk's place lease (`None`: the server sets no capacity for it).
    #[serde(default)]
    pub lease: Option<Lease>,
}

/// Inside now through one entrance.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct EntrancePresence {
    /// The entrance's name.
    pub entrance: String,
    /// Heads inside through it, every kiosk.
    pub inside: u32,
    /// Of those, heads inside through other kiosks than the one asking.
    pub others: u32,
    /// Its capacity, if the server sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// People other kiosks counted through it with the volunteer's `+1`/`-1` and no record
    /// (the net of the stay window, never below zero; not in `inside`). Absent: none, or an
    /// older server.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tallied_others: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Inside now in the whole venue.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct VenuePresence {
    /// Heads inside, every kiosk.
    pub inside: u32,
    /// The venue's capacity, if the server sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
}

/// An open stay recorded at another kiosk.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RemoteStay {
    /// The entry's id ([`SignIn::id`]): an exit here names it in `closes`.
    pub entry_id: String,
    /// The pass identity, 64 lower-case hex digits.
    pub pass_id: String,
    /// The entrance it came through.
    pub entrance: String,
    /// When it began, Unix seconds.
    pub since: i64,
    /// Its head count.
    pub heads: u32,
    /// The kiosk that recorded it.
    pub device_id: String,
}

/// A stay of the asking kiosk that an exit elsewhere closed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ClosedStay {
    /// The entry's id.
    pub entry_id: String,
    /// When it was closed, Unix seconds.
    pub at: i64,
    /// How.
    pub kind: ExitKind,
}

/// A place lease on the wire ([`crate::lease::PlaceLease`]).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Lease {
    /// Heads this kiosk's own open stays may reach.
    pub places: u32,
    /// Until when (server time, Unix seconds).
    pub expires_at: i64,
}

impl From<Lease> for crate::lease::PlaceLease {
    fn from(l: Lease) -> Self {
        crate::lease::PlaceLease {
            places: l.places,
            expires_at: l.expires_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_off_this_computer_sends_the_token_in_clear() {
        for url in [
            "http://door.example.org",
            "http://10.0.0.5:8080/",
            "http://127.0.0.1.evil.example",
            "http://localhost@evil.example",
        ] {
            assert!(sends_token_in_clear(url), "{url}");
        }
        for url in [
            "https://door.example.org",
            "http://127.0.0.1:8080",
            "http://localhost",
            "http://[::1]:8080/",
            "http://evil@127.0.0.2",
        ] {
            assert!(!sends_token_in_clear(url), "{url}");
        }
    }

    #[test]
    fn shape_errors_name_the_field_and_never_the_value() {
        let ok = serde_json::json!({"id": "a", "pass_id": "b", "scanned_at": 1, "device_id": "d"});
        assert_eq!(signin_shape_error(&ok), None);
        let cases = [
            (serde_json::json!({"id": "a"}), "pass_id is missing"),
            (
                serde_json::json!({"id": "a", "pass_id": "b", "scanned_at": "Zoë", "device_id": "d"}),
                "scanned_at must be a whole number",
            ),
            (
                serde_json::json!({"id": "a", "pass_id": "b", "scanned_at": 1, "device_id": "d", "fields": {"s1": 5}}),
                "fields must be an object of strings",
            ),
            (serde_json::json!(42), "a sign-in must be a JSON object"),
        ];
        for (value, want) in cases {
            assert_eq!(signin_shape_error(&value).as_deref(), Some(want));
        }
    }

    #[test]
    fn exit_shape_errors_name_the_field_and_never_the_value() {
        let ok = serde_json::json!({"id": "x", "pass_id": "b", "at": 1, "device_id": "d",
            "entrance": "main", "closes": "a", "kind": "scan"});
        assert_eq!(exit_shape_error(&ok), None);
        serde_json::from_value::<Exit>(ok).expect("an exit");
        let cases = [
            (serde_json::json!({"id": "x"}), "pass_id is missing"),
            (
                serde_json::json!({"id": "x", "pass_id": "b", "at": "Zoë", "device_id": "d",
                    "entrance": "main", "kind": "scan"}),
                "at must be a whole number",
            ),
            (
                serde_json::json!({"id": "x", "pass_id": "b", "at": 1, "device_id": "d",
                    "entrance": "main", "kind": "Zoë"}),
                "kind must be scan or auto",
            ),
            (
                serde_json::json!({"id": "x", "pass_id": "b", "at": 1, "device_id": "d",
                    "entrance": "main", "kind": "auto", "heads": 2}),
                "unknown field \"heads\"",
            ),
            (serde_json::json!([1]), "an exit must be a JSON object"),
        ];
        for (value, want) in cases {
            let got = exit_shape_error(&value);
            assert_eq!(got.as_deref(), Some(want));
            assert!(!got.unwrap_or_default().contains("Zoë"));
        }
    }

    #[test]
    fn void_and_tally_shapes_name_the_field_and_never_the_value() {
        let void = serde_json::json!({"id": "v", "signin": "a", "device_id": "d", "voided_at": 5});
        assert_eq!(void_shape_error(&void), None);
        serde_json::from_value::<Void>(void).expect("a void");
        let tally = serde_json::json!({"id": "t", "device_id": "d", "entrance": "main", "at": 5, "delta": -1});
        assert_eq!(tally_shape_error(&tally), None);
        serde_json::from_value::<Tally>(tally.clone()).expect("a tally");
        let mut bad = tally;
        bad["delta"] = 7.into();
        assert_eq!(
            tally_shape_error(&bad).as_deref(),
            Some("delta must be 1 or -1")
        );
        let bad =
            serde_json::json!({"id": "v", "signin": "Zoë", "device_id": "d", "voided_at": "Zoë"});
        let got = void_shape_error(&bad).unwrap_or_default();
        assert_eq!(got, "voided_at must be a whole number");
        // An upload from an older kiosk has neither; an empty list is not sent.
        let up: Upload = serde_json::from_str(r#"{"signins": []}"#).expect("an upload");
        assert!(up.voids.is_empty() && up.tallies.is_empty());
        assert_eq!(
            serde_json::to_string(&up).expect("json"),
            r#"{"signins":[]}"#
        );
    }

    #[test]
    fn a_kept_reason_loses_whatever_was_quoted() {
        assert_eq!(
            kept_reason("invalid type: string \"Zoë Secret\", expected i64"),
            "invalid type: string …, expected i64"
        );
        assert_eq!(kept_reason("unknown field `x1`\n"), "unknown field …");
        assert_eq!(kept_reason(&"a".repeat(500)).len(), 200);
    }

    #[test]
    fn contact_data_never_shows_in_debug() {
        let mut fields = Fields::new();
        fields.insert("s1".into(), "Zoë".into());
        let row = SignIn {
            id: "a".into(),
            pass_id: "b".into(),
            scanned_at: 1,
            device_id: "d".into(),
            valid_until: None,
            fields: Some(fields.clone()),
            sealed: Some("QUJD".into()),
            entrance: None,
            heads: None,
            over_capacity: false,
            reentry: true,
            registration: Some("R7".into()),
        };
        let sealed = SealedContact {
            id: "a".into(),
            fields,
        };
        for text in [format!("{row:?}"), format!("{sealed:?}")] {
            assert!(!text.contains("Zoë") && !text.contains("QUJD"), "{text}");
        }
    }

    #[test]
    fn a_reentry_is_flagged_only_when_true_and_its_kind_is_checked() {
        let row = serde_json::json!({"id": "a", "pass_id": "b", "scanned_at": 1, "device_id": "d"});
        let plain: SignIn = serde_json::from_value(row.clone()).expect("a sign-in");
        assert!(!plain.reentry, "absent: a new use");
        assert!(
            !serde_json::to_string(&plain)
                .expect("json")
                .contains("reentry")
        );
        let mut back = row.clone();
        back["reentry"] = true.into();
        let back: SignIn = serde_json::from_value(back).expect("a re-entry");
        assert!(back.reentry);
        assert!(
            serde_json::to_string(&back)
                .expect("json")
                .contains("\"reentry\":true")
        );
        assert!(format!("{back:?}").contains("reentry: true"));
        let mut bad = row;
        bad["reentry"] = "Zoë".into();
        assert_eq!(
            signin_shape_error(&bad).as_deref(),
            Some("reentry must be true or false")
        );
    }
}
