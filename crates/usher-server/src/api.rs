//! The kiosk sync API (`/api/v1`, its types in [`usher_core::wire`]): device authentication
//! by bearer token, sign-in and exit upload (idempotent per kiosk-made id and kiosk, bad rows refused
//! one by one with reasons that name the field, never its value; the device is the token's,
//! never the row's; contact fields in clear or sealed to the organiser's key, opened here with
//! its signing key), the used-pass feed and the double-use feed.

use crate::crypto::{IndexKind, token_hash};
use crate::http::ApiError;
use crate::state::AppState;
use crate::store::manual::{NewTally, NewVoid};
use crate::store::{NewExit, NewSignin};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::Deserialize;
use usher_core::wire::{self, Fields, SignIn};
use usher_core::{Entrance, PartySize};

pub use usher_core::wire::Refusal;

/// Most sign-ins in one upload (and most exits).
pub const MAX_BATCH: usize = 1000;
/// Most used passes in one answer.
pub const USED_PAGE: i64 = 1000;
/// Largest request body the API reads.
pub const API_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// How far ahead of the server clock a scan may be.
pub const MAX_AHEAD: i64 = 86_400;
/// Longest contact field.
pub const MAX_FIELD: usize = 1000;

/// An authenticated kiosk.
#[derive(Debug, Clone)]
pub struct DeviceAuth {
    /// The device's row id.
    pub device_ref: i64,
    /// Its name, the only device id its rows may give.
    pub name: String,
}

impl FromRequestParts<AppState> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let Some(auth) = auth else {
            if crate::auth::has_live_session(&parts.headers, state).await? {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "the API takes a device token, not an admin login",
                ));
            }
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing device token (Authorization: Bearer ...)",
            ));
        };
        let token = auth
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 256)
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "expected Authorization: Bearer <token>",
                )
            })?;
        match state
            .store
            .device_by_token(&token_hash(token), state.now())
            .await?
        {
            Some((device_ref, name)) => Ok(DeviceAuth { device_ref, name }),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unknown or revoked device token",
            )),
        }
    }
}

fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn valid_field_name(k: &str) -> bool {
    k == "email"
        || k.strip_prefix('s')
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=10).contains(&n))
}

/// Field names `s1`..`s10` and `email`, each value at most [`MAX_FIELD`] characters.
fn check_fields(fields: &Fields) -> Result<(), String> {
    if let Some(k) = fields.keys().find(|k| !valid_field_name(k)) {
        let k: String = k.chars().take(16).collect();
        return Err(format!("unknown field {k:?} (s1..s10, email)"));
    }
    if fields.values().any(|v| v.chars().count() > MAX_FIELD) {
        return Err("a field is longer than 1000 characters".into());
    }
    Ok(())
}

/// A row's contact fields as uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadedContact {
    /// In clear, already checked.
    Fields(Fields),
    /// A sealed box (base64 decoded), opened and checked by [`seal_row`].
    Sealed(Vec<u8>),
}

/// One uploaded sign-in that passed every check that needs no key, not yet sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRow {
    /// The kiosk-made id: 1 to 64 of `A-Z a-z 0-9 _ -`.
    pub id: String,
    /// The pass identity.
    pub pass_id: [u8; 32],
    /// When it was scanned: not negative, at most [`MAX_AHEAD`] past the server clock.
    pub scanned_at: i64,
    /// The kiosk that scanned it: 1 to 128 characters, none a control character.
    pub device_id: String,
    /// Until when the pass is valid: not negative when given.
    pub valid_until: Option<i64>,
    /// Contact fields (`s1`..`s10`, `email`, each at most [`MAX_FIELD`] characters), in clear
    /// or sealed.
    pub contact: UploadedContact,
    /// The entrance of the stay (`main` when the kiosk did not say).
    pub entrance: Entrance,
    /// The stay's head count, 1 to 20 (1 when the kiosk did not say).
    pub heads: PartySize,
    /// Admitted over capacity by the volunteer.
    pub over_capacity: bool,
    /// A re-entry: a stay, no use of the pass.
    pub reentry: bool,
    /// The pass's `r`: the registration it was issued for (DESIGN §9).
    pub registration: Option<String>,
}

/// One uploaded exit that passed every check: ready to store.
pub type CheckedExit = NewExit;

/// An upload body after the checks the handler makes before touching the database: the good
/// rows (in body order) and the refused ones, or the error that refuses the whole body.
#[derive(Debug, Default)]
pub struct ParsedUpload {
    /// Rows that passed every check.
    pub rows: Vec<CheckedRow>,
    /// Exits that passed every check (in body order).
    pub exits: Vec<CheckedExit>,
    /// Rows (sign-ins and exits) refused for good, with why.
    pub refused: Vec<Refusal>,
    /// Voids that passed every check (in body order).
    pub voids: Vec<NewVoid>,
    /// Tallies that passed every check (in body order).
    pub tallies: Vec<NewTally>,
}

/// Parses and checks an upload body (`{"signins": [...], "exits": [...]}`, exits optional)
/// exactly as `POST /api/v1/signins` does, without a database or keys: a body that is no such
/// object, or holds more than [`MAX_BATCH`] sign-ins or exits, is an error; each bad row is
/// refused on its own.
pub fn parse_upload(body: &[u8], now: i64) -> Result<ParsedUpload, ApiError> {
    let mut value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("malformed JSON: {e}")))?;
    let Some(serde_json::Value::Array(rows)) = value
        .as_object_mut()
        .and_then(|o| o.get_mut("signins"))
        .map(serde_json::Value::take)
    else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "expected a JSON object {\"signins\": [...]}",
        ));
    };
    if rows.len() > MAX_BATCH {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("at most {MAX_BATCH} sign-ins per upload"),
        ));
    }
    let exits = optional_rows(&mut value, "exits")?;
    let voids = optional_rows(&mut value, "voids")?;
    let tallies = optional_rows(&mut value, "tallies")?;
    let mut parsed = ParsedUpload {
        rows: Vec::with_capacity(rows.len()),
        exits: Vec::with_capacity(exits.len()),
        refused: Vec::new(),
        voids: Vec::with_capacity(voids.len()),
        tallies: Vec::with_capacity(tallies.len()),
    };
    for void in voids {
        match check_void(void, now) {
            Ok(v) => parsed.voids.push(v),
            Err(refused) => parsed.refused.push(refused),
        }
    }
    for tally in tallies {
        match check_tally(tally, now) {
            Ok(t) => parsed.tallies.push(t),
            Err(refused) => parsed.refused.push(refused),
        }
    }
    for row in rows {
        match check_row(row, now) {
            Ok(r) => parsed.rows.push(r),
            Err(refused) => parsed.refused.push(refused),
        }
    }
    for exit in exits {
        match check_exit(exit, now) {
            Ok(e) => parsed.exits.push(e),
            Err(refused) => parsed.refused.push(refused),
        }
    }
    Ok(parsed)
}

/// The optional array `key` of an upload body (`exits`, `voids`, `tallies`): absent is empty,
/// anything but an array of at most [`MAX_BATCH`] rows refuses the whole body.
fn optional_rows(
    value: &mut serde_json::Value,
    key: &str,
) -> Result<Vec<serde_json::Value>, ApiError> {
    match value.as_object_mut().and_then(|o| o.get_mut(key)) {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(serde_json::Value::Array(rows)) if rows.len() <= MAX_BATCH => Ok(std::mem::take(rows)),
        Some(serde_json::Value::Array(_)) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("at most {MAX_BATCH} {key} per upload"),
        )),
        Some(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("{key} must be a JSON array"),
        )),
    }
}

/// Checks one uploaded void (the volunteer's undo): its id, the sign-in's id, the time and
/// the device. `Err` is the refusal.
pub fn check_void(value: serde_json::Value, now: i64) -> Result<NewVoid, Refusal> {
    let id = id_as_sent(&value);
    let void: wire::Void = shaped(&value, &id, "void", wire::void_shape_error)?;
    check_manual_basics(
        &id,
        &void.id,
        ("voided_at", void.voided_at),
        &void.device_id,
        now,
    )?;
    if !valid_id(&void.signin) {
        return Err(refuse(
            id,
            "signin must be 1 to 64 characters of A-Z a-z 0-9 _ -",
        ));
    }
    Ok(NewVoid {
        vid: void.id,
        sid: void.signin,
        device_id: void.device_id,
        voided_at: void.voided_at,
    })
}

/// Checks one uploaded tally (`+1`/`-1` at an entrance). `Err` is the refusal.
pub fn check_tally(value: serde_json::Value, now: i64) -> Result<NewTally, Refusal> {
    let id = id_as_sent(&value);
    let tally: wire::Tally = shaped(&value, &id, "tally", wire::tally_shape_error)?;
    check_manual_basics(&id, &tally.id, ("at", tally.at), &tally.device_id, now)?;
    if !matches!(tally.delta, 1 | -1) {
        return Err(refuse(id, "delta must be 1 or -1"));
    }
    let Ok(entrance) = tally.entrance.parse::<Entrance>() else {
        return Err(refuse(id, ENTRANCE_RULE));
    };
    Ok(NewTally {
        tid: tally.id,
        device_id: tally.device_id,
        entrance: entrance.as_str().to_owned(),
        at: tally.at,
        delta: tally.delta,
    })
}

/// [`check_basics`] for rows without a pass: the id, the time and the device.
fn check_manual_basics(
    sent_id: &str,
    id: &str,
    time: (&str, i64),
    device_id: &str,
    now: i64,
) -> Result<(), Refusal> {
    // Any well-formed pass identity: these rows have none, the other checks are the same.
    const NO_PASS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    check_basics(
        sent_id,
        Basics {
            id,
            pass_id: NO_PASS,
            time,
            device_id,
        },
        now,
    )
    .map(drop)
}

/// The id a refusal echoes: as sent, cut to the longest valid one.
fn id_as_sent(value: &serde_json::Value) -> String {
    value
        .get("id")
        .and_then(serde_json::Value::as_str)
        .map(|s| s.chars().take(64).collect::<String>())
        .unwrap_or_default()
}

/// The pass identity of a row: 64 lower-case hex digits.
fn pass_of(hex: &str) -> Option<[u8; 32]> {
    let ok = hex.len() == 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    usher_core::PassId::from_hex(hex)
        .filter(|_| ok)
        .map(|p| p.0)
}

/// What a sign-in and an exit both carry.
struct Basics<'a> {
    id: &'a str,
    pass_id: &'a str,
    /// The time's field name and value.
    time: (&'a str, i64),
    device_id: &'a str,
}

/// The checks a sign-in and an exit share: the id, the pass identity (returned), the time (not
/// negative, at most [`MAX_AHEAD`] past the server clock) and the device id (1 to 128
/// characters, none a control character). `Err` is the refusal of `sent_id`.
fn check_basics(sent_id: &str, row: Basics<'_>, now: i64) -> Result<[u8; 32], Refusal> {
    let fail = |reason: &str| Err(refuse(sent_id.to_owned(), reason));
    if !valid_id(row.id) {
        return fail("id must be 1 to 64 characters of A-Z a-z 0-9 _ -");
    }
    let Some(pass_id) = pass_of(row.pass_id) else {
        return fail("pass_id must be 64 lower-case hex digits");
    };
    let (field, at) = row.time;
    if at < 0 {
        return fail(&format!("{field} is negative"));
    }
    if at > now + MAX_AHEAD {
        return fail(&format!(
            "{field} is more than a day ahead of the server clock"
        ));
    }
    let device = row.device_id;
    if device.is_empty() || device.chars().count() > 128 || device.chars().any(char::is_control) {
        return fail("device_id must be 1 to 128 printable characters");
    }
    Ok(pass_id)
}

/// `value` as a `T` of the wire, or the refusal of `id`: serde's messages may quote the value
/// sent, so the reason comes from `shape_error`, which names the field instead.
fn shaped<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    id: &str,
    what: &str,
    shape_error: fn(&serde_json::Value) -> Option<String>,
) -> Result<T, Refusal> {
    T::deserialize(value).map_err(|_| {
        let why = shape_error(value).unwrap_or_else(|| format!("not a {what}"));
        refuse(id.to_owned(), &format!("malformed {what}: {why}"))
    })
}

const ENTRANCE_RULE: &str =
    "entrance must be 1 to 32 characters, not padded, without control or bidi characters";

/// Checks one uploaded exit. `Err` is the refusal.
pub fn check_exit(value: serde_json::Value, now: i64) -> Result<CheckedExit, Refusal> {
    let id = id_as_sent(&value);
    let exit: wire::Exit = shaped(&value, &id, "exit", wire::exit_shape_error)?;
    let pass_id = check_basics(
        &id,
        Basics {
            id: &exit.id,
            pass_id: &exit.pass_id,
            time: ("at", exit.at),
            device_id: &exit.device_id,
        },
        now,
    )?;
    let Ok(entrance) = exit.entrance.parse::<Entrance>() else {
        return Err(refuse(id, ENTRANCE_RULE));
    };
    if exit.closes.as_deref().is_some_and(|c| !valid_id(c)) {
        return Err(refuse(
            id,
            "closes must be 1 to 64 characters of A-Z a-z 0-9 _ -",
        ));
    }
    Ok(NewExit {
        xid: exit.id,
        pass_id,
        at: exit.at,
        device_id: exit.device_id,
        entrance: entrance.as_str().to_owned(),
        closes: exit.closes,
        kind: exit.kind,
    })
}

fn refuse(id: String, reason: &str) -> Refusal {
    Refusal {
        id,
        reason: reason.to_owned(),
    }
}

/// Checks one uploaded row. `Err` is the refusal.
pub fn check_row(value: serde_json::Value, now: i64) -> Result<CheckedRow, Refusal> {
    use base64::Engine as _;
    let id = id_as_sent(&value);
    let row: SignIn = shaped(&value, &id, "sign-in", wire::signin_shape_error)?;
    let pass_id = check_basics(
        &id,
        Basics {
            id: &row.id,
            pass_id: &row.pass_id,
            time: ("scanned_at", row.scanned_at),
            device_id: &row.device_id,
        },
        now,
    )?;
    if row.valid_until.is_some_and(|t| t < 0) {
        return Err(refuse(id, "valid_until is negative"));
    }
    let entrance = match row.entrance.as_deref() {
        None => Entrance::main(),
        Some(name) => name
            .parse::<Entrance>()
            .map_err(|_| refuse(id.clone(), ENTRANCE_RULE))?,
    };
    let heads = match row.heads {
        None => PartySize::ONE,
        Some(n) => u64::try_from(n)
            .ok()
            .and_then(PartySize::new)
            .ok_or_else(|| refuse(id.clone(), "heads must be 1 to 20"))?,
    };
    if row
        .registration
        .as_deref()
        .is_some_and(|r| r.is_empty() || r.len() > 64 || !r.chars().all(|c| c.is_ascii_graphic()))
    {
        return Err(refuse(
            id,
            "registration must be 1 to 64 printable ASCII characters",
        ));
    }
    let contact = match (row.fields, row.sealed) {
        (Some(_), Some(_)) => return Err(refuse(id, "give fields or sealed, not both")),
        (None, Some(sealed)) => UploadedContact::Sealed(
            base64::engine::general_purpose::STANDARD
                .decode(sealed)
                .map_err(|_| refuse(id.clone(), "sealed is not base64"))?,
        ),
        (fields, None) => {
            let fields = fields.unwrap_or_default();
            check_fields(&fields).map_err(|reason| refuse(id.clone(), &reason))?;
            UploadedContact::Fields(fields)
        }
    };
    Ok(CheckedRow {
        id: row.id,
        pass_id,
        scanned_at: row.scanned_at,
        device_id: row.device_id,
        valid_until: row.valid_until,
        contact,
        entrance,
        heads,
        over_capacity: row.over_capacity,
        reentry: row.reentry,
        registration: row.registration,
    })
}

/// Opens a row's sealed contact fields with the organiser's key. `Err` is the refusal reason.
fn open_sealed(sealed: &[u8], id: &str, state: &AppState) -> Result<Fields, String> {
    let plain = state.keys.unsealer.open(sealed).map_err(|_| {
        "sealed contact data does not open with the organiser's key (enrolled with another server?)"
    })?;
    let contact: wire::SealedContact =
        serde_json::from_slice(&plain).map_err(|_| "sealed contact data is malformed")?;
    if contact.id != id {
        return Err("sealed contact data belongs to another sign-in".into());
    }
    check_fields(&contact.fields)?;
    Ok(contact.fields)
}

/// Opens a checked row's sealed contact fields if need be, seals them for storage and
/// computes the blind indexes. `Err` is the refusal.
pub fn seal_row(row: CheckedRow, state: &AppState) -> Result<NewSignin, Refusal> {
    let fields = match row.contact {
        UploadedContact::Fields(fields) => fields,
        UploadedContact::Sealed(sealed) => open_sealed(&sealed, &row.id, state)
            .map_err(|reason| refuse(row.id.clone(), &reason))?,
    };
    let vault = &state.keys.vault;
    let plain = serde_json::to_vec(&fields).unwrap_or_default();
    let contact = vault
        .seal(row.id.as_bytes(), &plain)
        .map_err(|_| refuse(row.id.clone(), "could not seal (server fault, retry later)"))?;
    let get = |k: &str| fields.get(k).map(String::as_str);
    let email = get("s3").or_else(|| get("email"));
    Ok(NewSignin {
        pass_id: row.pass_id,
        scanned_at: row.scanned_at,
        contact,
        name_bi: get("s1").and_then(|v| vault.blind_index(IndexKind::Name, v)),
        phone_bi: get("s2").and_then(|v| vault.blind_index(IndexKind::Phone, v)),
        email_bi: email.and_then(|v| vault.blind_index(IndexKind::Email, v)),
        device_id: row.device_id,
        valid_until: row.valid_until,
        entrance: row.entrance.as_str().to_owned(),
        heads: i64::from(row.heads.get()),
        over_capacity: row.over_capacity,
        reentry: row.reentry,
        registration: row.registration,
        sid: row.id,
    })
}

/// [`seal_row`] for every row of an upload, in order. Rows the kiosk sealed cost a key
/// exchange each (about 50 µs), so when there are enough of them the work is spread over the
/// machine's cores; rows in clear take microseconds and stay on this thread.
pub fn seal_rows(rows: Vec<CheckedRow>, state: &AppState) -> Vec<Result<NewSignin, Refusal>> {
    const PER_THREAD: usize = 16;
    let sealed = rows
        .iter()
        .filter(|r| matches!(r.contact, UploadedContact::Sealed(_)))
        .count();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(sealed.div_ceil(PER_THREAD))
        .max(1);
    if threads == 1 {
        return rows.into_iter().map(|r| seal_row(r, state)).collect();
    }
    let chunk = rows.len().div_ceil(threads);
    let mut rows = rows.into_iter();
    let chunks: Vec<Vec<CheckedRow>> = (0..threads)
        .map(|_| rows.by_ref().take(chunk).collect())
        .collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|c| {
                scope.spawn(move || {
                    c.into_iter()
                        .map(|r| seal_row(r, state))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            // A panic goes on to `spawn_blocking`, whose caller answers 500: the kiosk retries.
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Refuses the sign-ins and exits that name another kiosk than the token's: a kiosk speaks
/// only for itself.
fn own_rows(parsed: &mut ParsedUpload, device: &DeviceAuth) {
    let mut refused = others_refused(&mut parsed.rows, &device.name, |r| (&r.device_id, &r.id));
    refused.extend(others_refused(&mut parsed.exits, &device.name, |e| {
        (&e.device_id, &e.xid)
    }));
    refused.extend(others_refused(&mut parsed.voids, &device.name, |v| {
        (&v.device_id, &v.vid)
    }));
    refused.extend(others_refused(&mut parsed.tallies, &device.name, |t| {
        (&t.device_id, &t.tid)
    }));
    parsed.refused.extend(refused);
}

/// Takes the rows whose device id (first of `of`) is not `device` out of `rows`, refused by
/// their id (second).
fn others_refused<T>(
    rows: &mut Vec<T>,
    device: &str,
    of: impl Fn(&T) -> (&String, &String),
) -> Vec<Refusal> {
    let (own, others): (Vec<T>, Vec<T>) = std::mem::take(rows)
        .into_iter()
        .partition(|r| of(r).0 == device);
    *rows = own;
    others
        .iter()
        .map(|r| {
            refuse(
                of(r).1.clone(),
                "device_id is not the kiosk this device token was enrolled as",
            )
        })
        .collect()
}

/// `POST /api/v1/signins`.
pub async fn upload(
    State(state): State<AppState>,
    device: DeviceAuth,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<wire::UploadAnswer>, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request body larger than {API_BODY_LIMIT} bytes"),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "could not read the request body")
        }
    })?;
    let now = state.now();
    let mut parsed = parse_upload(&body, now)?;
    own_rows(&mut parsed, &device);
    let mut answer = wire::UploadAnswer {
        refused: parsed.refused,
        ..wire::UploadAnswer::default()
    };
    // Opening and sealing is CPU work (a key exchange per sealed row): off the async threads.
    let sealed = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || seal_rows(parsed.rows, &state))
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the upload could not be processed; try again",
                )
            })?
    };
    let mut good = Vec::with_capacity(sealed.len());
    for row in sealed {
        match row {
            Ok(r) => good.push(r),
            Err(refused) => answer.refused.push(refused),
        }
    }
    let signins = state.store.ingest(device.device_ref, &good, now).await?;
    let exits = state
        .store
        .ingest_exits(device.device_ref, &parsed.exits, now)
        .await?;
    // After the sign-ins: a void may name one of this upload's (or an earlier one's).
    let voids = state
        .store
        .ingest_voids(device.device_ref, &parsed.voids, now)
        .await?;
    answer.refused.extend(
        voids
            .foreign
            .into_iter()
            .map(|id| refuse(id, "signin names a sign-in another kiosk recorded")),
    );
    let tallies = state
        .store
        .ingest_tallies(device.device_ref, &parsed.tallies, now)
        .await?;
    for outcome in [signins, exits, voids.ids, tallies] {
        answer.stored.extend(outcome.stored);
        answer.known.extend(outcome.known);
        answer.refused.extend(
            outcome
                .taken
                .into_iter()
                .map(|id| refuse(id, "id already stored by another kiosk")),
        );
    }
    tracing::info!(
        device = device.device_ref,
        stored = answer.stored.len(),
        known = answer.known.len(),
        refused = answer.refused.len(),
        exits = parsed.exits.len(),
        voids = parsed.voids.len(),
        voided = voids.applied,
        tallies = parsed.tallies.len(),
        "sign-ins uploaded"
    );
    Ok(Json(answer))
}

/// Query of `GET /api/v1/used`.
#[derive(Debug, Deserialize)]
pub struct UsedQuery {
    /// The cursor from the previous answer.
    pub since: Option<String>,
}

fn parse_prefixed_cursor(c: &str, prefix: &str) -> Option<i64> {
    let n: i64 = c.strip_prefix(prefix)?.parse().ok()?;
    (n >= 0).then_some(n)
}

/// A position in the used feed: the last first use, withdrawn first use (a voided sign-in,
/// DESIGN §8) and revocation (DESIGN §9) the kiosk has seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct UsedCursor {
    used: i64,
    withdrawn: i64,
    revoked: i64,
}

impl UsedCursor {
    /// `u3.P.W.R`; also what older servers and kiosks send: `u1.P`, `u1.P.W` (before
    /// revocations) and `u2.P.R` (before withdrawals): the missing positions are 0, so such a
    /// kiosk gets every withdrawal and revocation once.
    fn parse(c: &str) -> Option<Self> {
        let number = |s: &str| s.parse::<i64>().ok().filter(|n| *n >= 0);
        let (version, rest) = c.split_once('.')?;
        let parts: Vec<i64> = rest.split('.').map(number).collect::<Option<_>>()?;
        let (used, withdrawn, revoked) = match (version, parts.as_slice()) {
            ("u1", [p]) => (*p, 0, 0),
            ("u1", [p, w]) => (*p, *w, 0),
            ("u2", [p, r]) => (*p, 0, *r),
            ("u3", [p, w, r]) => (*p, *w, *r),
            _ => return None,
        };
        Some(UsedCursor {
            used,
            withdrawn,
            revoked,
        })
    }

    fn text(self) -> String {
        format!("u3.{}.{}.{}", self.used, self.withdrawn, self.revoked)
    }
}

/// `GET /api/v1/double-uses?since=CURSOR`: every double use of the venue, so that each kiosk
/// involved (the first one too) can show it in its admin panel.
pub async fn double_uses(
    State(state): State<AppState>,
    _device: DeviceAuth,
    query: Result<Query<UsedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<wire::DoubleUsesPage>, ApiError> {
    let Query(q) = query.map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad query string"))?;
    let after = match q.since.as_deref() {
        None | Some("") => 0,
        Some(c) => parse_prefixed_cursor(c, "d1.")
            .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "bad cursor in since"))?,
    };
    let rows = state.store.double_uses_since(after, USED_PAGE).await?;
    let next = format!("d1.{}", rows.last().map_or(after, |(seq, _)| *seq));
    Ok(Json(wire::DoubleUsesPage {
        double_uses: rows
            .into_iter()
            .map(|(_, d)| wire::DoubleUse {
                pass_id: hex::encode(d.pass_id),
                first_at: d.first_at,
                first_device_id: d.first_device_id,
                at: d.at,
                device_id: d.device_id,
            })
            .collect(),
        next,
    }))
}

/// `GET /api/v1/used?since=CURSOR`: passes first used at other kiosks, and passes revoked
/// by their holders (DESIGN §9), after the cursor.
pub async fn used(
    State(state): State<AppState>,
    device: DeviceAuth,
    query: Result<Query<UsedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<wire::UsedPage>, ApiError> {
    let Query(q) = query.map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad query string"))?;
    let after = match q.since.as_deref() {
        None | Some("") => UsedCursor::default(),
        Some(c) => UsedCursor::parse(c)
            .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "bad cursor in since"))?,
    };
    let rows = state
        .store
        .used_since(after.used, device.device_ref, USED_PAGE)
        .await?;
    let withdrawn = state
        .store
        .withdrawn_since(after.withdrawn, device.device_ref, USED_PAGE)
        .await?;
    let revoked = state.store.revoked_since(after.revoked, USED_PAGE).await?;
    let next = UsedCursor {
        used: rows.last().map_or(after.used, |r| r.seq),
        withdrawn: withdrawn.last().map_or(after.withdrawn, |r| r.seq),
        revoked: revoked.last().map_or(after.revoked, |r| r.seq),
    }
    .text();
    let on_wire = |r: crate::store::UsedPass| wire::Use {
        pass_id: hex::encode(r.pass_id),
        first_at: r.first_at,
        device_id: r.device_id,
        valid_until: r.valid_until,
    };
    Ok(Json(wire::UsedPage {
        used: rows.into_iter().map(on_wire).collect(),
        withdrawn: withdrawn.into_iter().map(on_wire).collect(),
        revoked: revoked
            .into_iter()
            .map(|r| wire::Revoked {
                pass_id: hex::encode(r.pass_id),
                valid_until: r.valid_until,
            })
            .collect(),
        next,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_fields_cursors() {
        assert!(valid_id("abc-_09"));
        assert!(!valid_id(""));
        assert!(!valid_id("a b"));
        assert!(!valid_id(&"a".repeat(65)));
        assert!(valid_field_name("s1") && valid_field_name("s10") && valid_field_name("email"));
        assert!(!valid_field_name("s0") && !valid_field_name("s11") && !valid_field_name("s01"));
        let c = |used, withdrawn, revoked| {
            Some(UsedCursor {
                used,
                withdrawn,
                revoked,
            })
        };
        assert_eq!(UsedCursor::parse("u1.42"), c(42, 0, 0));
        assert_eq!(UsedCursor::parse("u1.42.7"), c(42, 7, 0));
        assert_eq!(UsedCursor::parse("u2.42.7"), c(42, 0, 7));
        assert_eq!(UsedCursor::parse("u3.42.7.9"), c(42, 7, 9));
        let back = c(4, 5, 6).map(UsedCursor::text);
        assert_eq!(back.as_deref().and_then(UsedCursor::parse), c(4, 5, 6));
        for bad in [
            "u2.42", "u2.-1.0", "u2.1.-1", "u2.a.1", "u3.1.1", "u1.4.-2", "u1.4.x", "u4.1.1.1",
            "42",
        ] {
            assert_eq!(UsedCursor::parse(bad), None, "{bad}");
        }
    }
}
