//! Fuzz target: a scanned pass text to its verdict, the path the kiosk takes for every code.
//!
//! The input (as UTF-8, as the decoders and the keyboard wedge hand it over) is judged by
//! `usher_core::judge` with a venue that accepts all three schemes (a shared password for
//! SHA-1 and HMAC-SHA256, an Ed25519 public key), at a fixed moment, against a fresh
//! `MemoryLedger`; then again, and once more with signatures not required.
//! Besides "no panic", it checks what must always hold: a rejection is a verdict, never an
//! error; an accepted pass is `qr_used` when shown again under `once`; verdicts are the same
//! for the same input; over-long texts are `qr_invalid`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use usher_core::{
    Keys, MemoryLedger, Now, ReusePolicy, Rules, SchemeSet, Secret, Verdict, VerdictKind, judge,
};

/// The venue's shared password (the seeds in `fuzz/seeds/pass_verdict` are signed with it).
const PASSWORD: &str = "usher-fuzz-shared-secret-0123456789";
/// The organiser's Ed25519 secret key bytes (the seeds' Ed25519 passes are signed with it).
const ED25519_SEED: [u8; 32] = [7; 32];
/// The fixed moment judged at: 2027-01-15 08:00 UTC, with a UTC+3 local day.
const NOW: Now = Now {
    unix: 1_800_000_000,
    utc_offset: 3 * 3600,
};
const DEVICE: &str = "front-door";

fn rules(auth_required: bool) -> Rules {
    let public = ed25519_dalek::SigningKey::from_bytes(&ED25519_SEED).verifying_key();
    Rules {
        auth_required,
        accepted: SchemeSet::ALL,
        keys: Keys {
            password: Some(Secret::from(PASSWORD)),
            public_key: Some(public),
        },
        device_id: DEVICE.to_owned(),
        reuse: ReusePolicy::Once,
        // The unsigned venue reads the old plain codes too, so they are fuzzed.
        legacy_codes: !auth_required,
    }
}

fn venues() -> &'static (Rules, Rules) {
    static VENUES: OnceLock<(Rules, Rules)> = OnceLock::new();
    VENUES.get_or_init(|| (rules(true), rules(false)))
}

fn check(text: &str, rules: &Rules) -> VerdictKind {
    let mut ledger = MemoryLedger::new();
    let Ok(first) = judge(text, rules, NOW, &mut ledger);
    let Ok(again) = judge(text, rules, NOW, &mut ledger);
    if text.len() > usher_core::MAX_PASS_TEXT {
        assert_eq!(
            first.kind(),
            VerdictKind::Invalid,
            "over-long text: {first:?}"
        );
    }
    match &first {
        Verdict::Accepted { pass } => {
            assert!(
                pass.payload
                    .expiry
                    .is_none_or(|e| i128::from(e) >= i128::from(NOW.unix)),
                "accepted an expired pass: {pass:?}"
            );
            match &again {
                Verdict::Used { first, .. } => {
                    assert_eq!((first.at, first.device_id.as_str()), (NOW.unix, DEVICE));
                }
                other => panic!("accepted, then {other:?} instead of qr_used"),
            }
        }
        // Rejections are logged and change nothing: the same verdict again.
        other => assert_eq!(other.kind(), again.kind(), "{other:?} then {again:?}"),
    }
    // Every verdict has a name and a reason to show.
    assert!(!first.reason().is_empty());
    first.kind()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (signed, unsigned) = venues();
    let kind = check(text, signed);
    let loose = check(text, unsigned);
    // Not requiring signatures never turns a signed pass's verdict into a worse one, and
    // only passes without `auth` may be accepted unsigned: accepted with signatures required
    // means accepted without.
    if kind == VerdictKind::Accepted {
        assert_eq!(loose, VerdictKind::Accepted, "{text:?}");
    }
});
