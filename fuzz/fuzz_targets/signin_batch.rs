//! Fuzz target: the body of a kiosk's sign-in upload (`POST /api/v1/signins`) to the rows the
//! server would store and the ones it refuses, through `usher_server::api::parse_upload`, the
//! parse and checks the handler runs before sealing and the database.
//!
//! Besides "no panic": a row that passes holds only what the checks promise (an id of 1 to 64
//! of `A-Z a-z 0-9 _ -`, a scan time from 0 to a day ahead, a printable device id, contact
//! fields named `s1`..`s10` or `email` of at most 1000 characters, or a sealed box; a head
//! count of 1 to 20; an exit's time from 0 to a day ahead and the entry it closes a valid id);
//! nothing is lost: each sign-in and exit of the body is either kept or refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use usher_server::api::{MAX_AHEAD, MAX_BATCH, MAX_FIELD, UploadedContact, parse_upload};

const NOW: i64 = 1_800_000_000;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = parse_upload(data, NOW) else {
        return;
    };
    let total = parsed.rows.len() + parsed.exits.len() + parsed.refused.len();
    assert!(total <= 2 * MAX_BATCH);
    let valid_id = |id: &str| {
        (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    for exit in &parsed.exits {
        assert!(valid_id(&exit.xid), "{:?}", exit.xid);
        assert!(exit.closes.as_deref().is_none_or(valid_id));
        assert!((0..=NOW + MAX_AHEAD).contains(&exit.at));
        assert!(exit.entrance.parse::<usher_core::Entrance>().is_ok());
    }
    for row in &parsed.rows {
        assert!(
            (1..=64).contains(&row.id.len())
                && row
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
            "{:?}",
            row.id
        );
        assert!((0..=NOW + MAX_AHEAD).contains(&row.scanned_at));
        assert!((1..=20).contains(&row.heads.get()));
        let n = row.device_id.chars().count();
        assert!((1..=128).contains(&n) && !row.device_id.chars().any(char::is_control));
        // Sealed contact data is opened and checked with the organiser's key, after this.
        if let UploadedContact::Fields(fields) = &row.contact {
            for (k, v) in fields {
                let known = k == "email" || (1..=10).any(|i| *k == format!("s{i}"));
                assert!(known, "field {k:?} kept");
                assert!(v.chars().count() <= MAX_FIELD);
            }
        }
    }
    for r in &parsed.refused {
        assert!(!r.reason.is_empty());
        assert!(r.id.chars().count() <= 64);
    }
    // Every row of the body is accounted for.
    let body: serde_json::Value = serde_json::from_slice(data).expect("parsed once already");
    let sent = body["signins"].as_array().map_or(0, Vec::len)
        + body["exits"].as_array().map_or(0, Vec::len);
    assert_eq!(sent, total, "{sent} rows sent, {total} kept or refused");
});
