//! Property: changing any byte of `auth` or `j` of a valid pass never yields `qr_accepted`,
//! unless the change decodes to the very same signature and payload bytes (hex case, say).

use proptest::prelude::*;
use usher_core::form::{self, encode};
use usher_core::scheme::{Auth, key_pair_pem, verifying_key_from_pem};
use usher_core::{
    Keys, MemoryLedger, Now, ReusePolicy, Rules, Scheme, SchemeSet, Secret, Signer, VerdictKind,
    judge,
};

const PASSWORD: &str = "a long enough venue password!";

fn rules() -> Rules {
    let (_, public) = key_pair_pem(&[9u8; 32]).expect("pem");
    Rules {
        auth_required: true,
        accepted: SchemeSet::ALL,
        keys: Keys {
            password: Some(Secret::from(PASSWORD)),
            public_key: Some(verifying_key_from_pem(&public).expect("public")),
        },
        device_id: "door-1".into(),
        reuse: ReusePolicy::Always,
    }
}

fn signer(scheme: Scheme) -> Signer {
    match scheme {
        Scheme::Sha1 => Signer::Sha1(Secret::from(PASSWORD)),
        Scheme::HmacSha256 => Signer::HmacSha256(Secret::from(PASSWORD)),
        Scheme::Ed25519 => Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[9u8; 32])),
    }
}

const PAYLOAD: &str =
    r#"{"s1":"Zoë Ådahl","s2":"+44 20 7946 0000","expiry":1900000000,"n":"q83vEjRWeJA"}"#;

/// Decoded (auth, j) of a pass text, for telling a real change from a re-spelling.
fn decoded(text: &str) -> (Option<Vec<u8>>, Vec<u8>) {
    let query = form::query_of(text).unwrap_or_default();
    let mut auth = None;
    let mut j = Vec::new();
    for p in form::params(query) {
        match p.key {
            "auth" => auth = Auth::parse(p.value.as_bytes()).map(|a| a.bytes),
            "j" => j = form::decode(p.value).bytes,
            _ => {}
        }
    }
    (auth, j)
}

fn check_scheme(scheme: Scheme) {
    let rules = rules();
    let auth = signer(scheme).sign(PAYLOAD.as_bytes());
    let j = encode(PAYLOAD.as_bytes());
    let original = format!("https://v/?auth={auth}&j={j}");
    let mut ledger = MemoryLedger::new();
    let now = Now::utc(1_800_000_000);
    assert_eq!(
        judge(&original, &rules, now, &mut ledger).map(|v| v.kind()),
        Ok(VerdictKind::Accepted)
    );
    // Byte positions of the auth and j values in the text.
    let auth_at = "https://v/?auth=".len();
    let j_at = auth_at + auth.len() + "&j=".len();
    let positions: Vec<usize> = (auth_at..auth_at + auth.len())
        .chain(j_at..j_at + j.len())
        .collect();
    let original_decoded = decoded(&original);

    let config = ProptestConfig {
        cases: 10_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(pos in proptest::sample::select(positions), byte in 0x21u8..0x7f)| {
        let mut bytes = original.clone().into_bytes();
        prop_assume!(bytes[pos] != byte);
        bytes[pos] = byte;
        let Ok(tampered) = String::from_utf8(bytes) else { return Ok(()) };
        let verdict = judge(&tampered, &rules, now, &mut MemoryLedger::new()).map(|v| v.kind());
        if verdict == Ok(VerdictKind::Accepted) {
            prop_assert_eq!(decoded(&tampered), original_decoded.clone(), "accepted a real change: {}", tampered);
        }
    });
}

#[test]
fn tampered_sha1_passes_are_never_accepted() {
    check_scheme(Scheme::Sha1);
}

#[test]
fn tampered_hmac_passes_are_never_accepted() {
    check_scheme(Scheme::HmacSha256);
}

#[test]
fn tampered_ed25519_passes_are_never_accepted() {
    check_scheme(Scheme::Ed25519);
}
