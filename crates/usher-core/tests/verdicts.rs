//! Table-driven tests of every verdict of DESIGN §1, through the public API.

use usher_core::form::encode;
use usher_core::verdict::{Denial, Malformed, Missing};
use usher_core::{
    FirstUse, MemoryLedger, Now, ReusePolicy, Rules, Scheme, Secret, Signer, Verdict, VerdictKind,
    judge,
};

const NOW: i64 = 1_800_000_000;

const VENUE: usher_testkit::Keyring = usher_testkit::Keyring {
    password: Some("correct horse battery staple"),
    seed: [42u8; 32],
};

fn rules() -> Rules {
    VENUE.rules(ReusePolicy::Once)
}

fn signer(scheme: Scheme) -> Signer {
    VENUE.signer(scheme)
}

/// A pass text over exactly these payload bytes, `j` encoded as given.
fn text_with(scheme: Scheme, payload: &[u8], j_encoded: &str) -> String {
    format!(
        "https://venue.example/in?auth={}&j={j_encoded}",
        signer(scheme).sign(payload)
    )
}

fn text(scheme: Scheme, payload: &str) -> String {
    text_with(scheme, payload.as_bytes(), &encode(payload.as_bytes()))
}

fn verdict_of(text: &str, rules: &Rules, now: i64) -> Verdict {
    judge(text, rules, Now::utc(now), &mut MemoryLedger::new()).expect("memory ledger")
}

fn kind_of(text: &str) -> VerdictKind {
    verdict_of(text, &rules(), NOW).kind()
}

const GOOD: &str = r#"{"s1":"Ada","expiry":1900000000}"#;

#[test]
fn breeze_documentation_vector_is_accepted_then_expired() {
    let j = "%7B%22c1%22%3A%22switchToStillsAndStart%22%2C%22expiry%22%3A1589885824%2C%22autoemail%22%3A%22sales%40breezesys.com%22%7D";
    let text = format!("https://x/?auth=4717b76e279cd2dd8435e0c46d95ccd4c9392da8&j={j}");
    let mut rules = rules();
    rules.keys.password = Some(Secret::from("<auth_password>"));
    let accepted = verdict_of(&text, &rules, 1_589_885_824);
    assert_eq!(accepted.kind(), VerdictKind::Accepted, "{accepted:?}");
    let pass = accepted.pass().expect("pass");
    assert_eq!(
        pass.payload.autoemail.as_deref(),
        Some("sales@breezesys.com")
    );
    assert_eq!(
        pass.payload.commands[0].as_deref(),
        Some("switchToStillsAndStart")
    );
    assert_eq!(
        verdict_of(&text, &rules, 1_589_885_825).kind(),
        VerdictKind::Expired
    );
}

#[test]
fn every_scheme_accepts_its_own_passes() {
    for scheme in Scheme::ALL {
        let t = text(scheme, GOOD);
        let v = verdict_of(&t, &rules(), NOW);
        assert_eq!(v.kind(), VerdictKind::Accepted, "{scheme}: {v:?}");
        assert_eq!(v.pass().and_then(|p| p.payload.name()), Some("Ada"));
    }
}

#[test]
fn php_json_encode_and_urlencode_payloads_verify_over_their_exact_bytes() {
    // PHP: json_encode(["s1" => "Renée Dupont", "s4" => "https://x/y", "expiry" => 1900000000])
    let payload = r#"{"s1":"Ren\u00e9e Dupont","s4":"https:\/\/x\/y","expiry":1900000000}"#;
    for scheme in [Scheme::Sha1, Scheme::HmacSha256] {
        let encoded = encode(payload.as_bytes());
        assert!(encoded.contains('+'), "urlencode writes spaces as +");
        let v = verdict_of(
            &text_with(scheme, payload.as_bytes(), &encoded),
            &rules(),
            NOW,
        );
        let pass = v.pass().expect("accepted");
        assert_eq!(pass.payload.name(), Some("Renée Dupont"));
        assert_eq!(pass.payload.s(4), Some("https://x/y"));
    }
}

#[test]
fn upper_case_hex_and_reordered_extra_parameters_are_fine() {
    let payload = GOOD.as_bytes();
    let auth = signer(Scheme::HmacSha256).sign(payload).to_uppercase();
    let t = format!(
        "https://v/?utm=1&j={}&x&auth={auth}&y=%41#frag",
        encode(payload)
    );
    assert_eq!(kind_of(&t), VerdictKind::Accepted);
}

#[test]
fn rejections_follow_design_order() {
    let good_sig = signer(Scheme::HmacSha256).sign(GOOD.as_bytes());
    let j = encode(GOOD.as_bytes());
    let cases: Vec<(&str, String, VerdictKind)> = vec![
        (
            "no query",
            "https://venue/in".into(),
            VerdictKind::MissingParameters,
        ),
        (
            "empty query",
            "https://venue/in?".into(),
            VerdictKind::MissingParameters,
        ),
        (
            "no auth",
            format!("x?j={j}"),
            VerdictKind::MissingParameters,
        ),
        (
            "empty auth",
            format!("x?auth=&j={j}"),
            VerdictKind::MissingParameters,
        ),
        (
            "no j",
            format!("x?auth={good_sig}"),
            VerdictKind::MissingParameters,
        ),
        (
            "empty j",
            format!("x?auth={good_sig}&j="),
            VerdictKind::MissingParameters,
        ),
        (
            "auth twice",
            format!("x?auth={good_sig}&j={j}&auth={good_sig}"),
            VerdictKind::Invalid,
        ),
        (
            "j twice",
            format!("x?auth={good_sig}&j={j}&j={j}"),
            VerdictKind::Invalid,
        ),
        (
            "encoded key twice",
            format!("x?auth={good_sig}&j={j}&%6A={j}"),
            VerdictKind::Invalid,
        ),
        (
            "over-long",
            format!("x?auth={good_sig}&j={j}&pad={}", "a".repeat(4096)),
            VerdictKind::Invalid,
        ),
        (
            "junk auth",
            format!("x?auth=nonsense&j={j}"),
            VerdictKind::NotAuthorized,
        ),
        (
            "wrong sig",
            format!("x?auth={}&j={j}", "0".repeat(64)),
            VerdictKind::NotAuthorized,
        ),
        (
            "bad json but wrong sig",
            format!("x?auth={good_sig}&j=%7B"),
            VerdictKind::NotAuthorized,
        ),
    ];
    for (name, t, want) in cases {
        let v = verdict_of(&t, &rules(), NOW);
        assert_eq!(v.kind(), want, "{name}: {v:?}");
    }
}

#[test]
fn a_text_of_exactly_the_limit_is_still_judged() {
    let base = text(Scheme::HmacSha256, GOOD);
    let t = format!("{base}&pad={}", "a".repeat(4096 - base.len() - 5));
    assert_eq!(t.len(), 4096);
    assert_eq!(kind_of(&t), VerdictKind::Accepted);
}

#[test]
fn signed_but_malformed_payloads_are_invalid() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("not json", b"{nope", ""),
        ("array", b"[1,2]", ""),
        ("duplicate key", br#"{"expiry":1900000000,"expiry":1}"#, ""),
        ("no expiry", br#"{"s1":"x"}"#, ""),
        ("expiry as string", br#"{"expiry":"1900000000"}"#, ""),
        ("negative expiry", br#"{"expiry":-5}"#, ""),
        ("float expiry", br#"{"expiry":1.9e9}"#, ""),
        ("s2 number", br#"{"s2":5,"expiry":1900000000}"#, ""),
        ("c1 object", br#"{"c1":{},"expiry":1900000000}"#, ""),
        ("id bool", br#"{"id":true,"expiry":1900000000}"#, ""),
        (
            "autoemail null",
            br#"{"autoemail":null,"expiry":1900000000}"#,
            "",
        ),
        ("bad utf-8", b"{\"s1\":\"\xff\",\"expiry\":1900000000}", ""),
        // PHP's urldecode keeps "%zz" literally; a pass signed over that is still malformed.
        (
            "bad percent escape",
            br#"{"s1":"100%zz","expiry":1900000000}"#,
            "%7B%22s1%22%3A%22100%zz%22%2C%22expiry%22%3A1900000000%7D",
        ),
    ];
    for (name, payload, j) in cases {
        let j = if j.is_empty() {
            encode(payload)
        } else {
            (*j).to_owned()
        };
        for scheme in Scheme::ALL {
            let v = verdict_of(&text_with(scheme, payload, &j), &rules(), NOW);
            assert!(matches!(v, Verdict::Invalid(_)), "{name} / {scheme}: {v:?}");
        }
    }
}

#[test]
fn bad_percent_encoding_is_named() {
    let payload = br#"{"s1":"100%zz","expiry":1900000000}"#;
    let j = "%7B%22s1%22%3A%22100%zz%22%2C%22expiry%22%3A1900000000%7D";
    let v = verdict_of(&text_with(Scheme::Sha1, payload, j), &rules(), NOW);
    assert_eq!(v, Verdict::Invalid(Malformed::BadPercentEncoding));
}

#[test]
fn scheme_must_be_accepted_and_keyed() {
    let t = text(Scheme::Sha1, GOOD);
    let mut r = rules();
    r.accepted = [Scheme::HmacSha256, Scheme::Ed25519].into_iter().collect();
    assert_eq!(
        verdict_of(&t, &r, NOW),
        Verdict::NotAuthorized(Denial::SchemeNotAccepted(Scheme::Sha1))
    );

    let t = text(Scheme::Ed25519, GOOD);
    let mut r = rules();
    r.keys.public_key = None;
    assert_eq!(
        verdict_of(&t, &r, NOW),
        Verdict::NotAuthorized(Denial::NoKey(Scheme::Ed25519))
    );

    let other = Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[1u8; 32]));
    let t = format!(
        "x?auth={}&j={}",
        other.sign(GOOD.as_bytes()),
        encode(GOOD.as_bytes())
    );
    assert_eq!(
        verdict_of(&t, &rules(), NOW),
        Verdict::NotAuthorized(Denial::BadSignature(Scheme::Ed25519))
    );
}

#[test]
fn device_binding() {
    let mine = text(Scheme::Ed25519, r#"{"id":"door-1","expiry":1900000000}"#);
    let theirs = text(Scheme::Ed25519, r#"{"id":"door-2","expiry":1900000000}"#);
    assert_eq!(kind_of(&mine), VerdictKind::Accepted);
    assert_eq!(
        verdict_of(&theirs, &rules(), NOW),
        Verdict::NotAuthorized(Denial::OtherDevice)
    );
    // Binding is checked before expiry.
    let theirs_expired = text(Scheme::Ed25519, r#"{"id":"door-2","expiry":1}"#);
    assert_eq!(kind_of(&theirs_expired), VerdictKind::NotAuthorized);
}

#[test]
fn expiry_is_inclusive() {
    let t = text(Scheme::HmacSha256, &format!(r#"{{"expiry":{NOW}}}"#));
    assert_eq!(verdict_of(&t, &rules(), NOW).kind(), VerdictKind::Accepted);
    assert_eq!(
        verdict_of(&t, &rules(), NOW + 1).kind(),
        VerdictKind::Expired
    );
    let huge = text(Scheme::HmacSha256, r#"{"expiry":18446744073709551615}"#);
    assert_eq!(kind_of(&huge), VerdictKind::Accepted);
}

#[test]
fn unsigned_passes_only_when_auth_is_not_required() {
    let t = format!("https://v/?j={}", encode(br#"{"s1":"Bo"}"#));
    assert_eq!(kind_of(&t), VerdictKind::MissingParameters);
    let mut r = rules();
    r.auth_required = false;
    let v = verdict_of(&t, &r, NOW);
    assert_eq!(v.kind(), VerdictKind::Accepted, "{v:?}");
    // An unsigned pass that states an expiry still expires.
    let t = format!("https://v/?j={}", encode(br#"{"expiry":5}"#));
    assert_eq!(verdict_of(&t, &r, NOW).kind(), VerdictKind::Expired);
    // A pass that carries auth is still checked.
    let t = format!(
        "https://v/?auth={}&j={}",
        "a".repeat(64),
        encode(GOOD.as_bytes())
    );
    assert_eq!(verdict_of(&t, &r, NOW).kind(), VerdictKind::NotAuthorized);
}

/// Scans `text` at each time in `times` against one ledger, returning the verdict kinds.
fn scan_sequence(policy: ReusePolicy, offset: i32, times: &[i64]) -> Vec<VerdictKind> {
    let mut r = rules();
    r.reuse = policy;
    let t = text(Scheme::Ed25519, GOOD);
    let mut ledger = MemoryLedger::new();
    times
        .iter()
        .map(|&unix| {
            judge(
                &t,
                &r,
                Now {
                    unix,
                    utc_offset: offset,
                },
                &mut ledger,
            )
            .expect("mem")
            .kind()
        })
        .collect()
}

#[test]
fn reuse_policies_across_days_and_intervals() {
    use VerdictKind::{Accepted as A, Used as U};
    // 2027-01-15 10:00 UTC.
    let day = 1_799_834_400;
    let hour = 3600;
    assert_eq!(
        scan_sequence(ReusePolicy::Once, 0, &[day, day + 1, day + 400 * 86_400]),
        [A, U, U]
    );
    assert_eq!(
        scan_sequence(
            ReusePolicy::Daily,
            0,
            &[day, day + 13 * hour, day + 14 * hour]
        ),
        [A, U, A]
    );
    // In UTC+3 the local day turns at 21:00 UTC: 10:00 and 20:59 are one day, 21:00 the next.
    assert_eq!(
        scan_sequence(
            ReusePolicy::Daily,
            3 * hour as i32,
            &[day, day + 11 * hour - 1, day + 11 * hour]
        ),
        [A, U, A]
    );
    assert_eq!(
        scan_sequence(
            ReusePolicy::Interval(30),
            0,
            &[day, day + 29 * 60, day + 30 * 60, day + 31 * 60]
        ),
        [A, U, A, U]
    );
    assert_eq!(
        scan_sequence(ReusePolicy::Always, 0, &[day, day, day]),
        [A, A, A]
    );
}

#[test]
fn used_verdict_says_when_and_where_first_used() {
    let t = text(Scheme::Sha1, GOOD);
    let mut ledger = MemoryLedger::new();
    let r = rules();
    judge(&t, &r, Now::utc(NOW), &mut ledger).expect("mem");
    let v = judge(&t, &r, Now::utc(NOW + 5), &mut ledger).expect("mem");
    let Verdict::Used { first, .. } = &v else {
        panic!("{v:?}")
    };
    assert_eq!(
        first,
        &FirstUse {
            at: NOW,
            device_id: "door-1".into()
        }
    );
    assert!(v.reason().contains("door-1"));
    assert_eq!(ledger.rejections.len(), 1);
    assert_eq!(ledger.rejections[0].0, "qr_used");
}

#[test]
fn rejections_are_logged_and_acceptances_recorded() {
    let mut ledger = MemoryLedger::new();
    let r = rules();
    for t in ["nonsense".to_owned(), text(Scheme::Sha1, r#"{"expiry":1}"#)] {
        judge(&t, &r, Now::utc(NOW), &mut ledger).expect("mem");
    }
    let names: Vec<_> = ledger.rejections.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["qr_missing_parameters", "qr_expired"]);
    let v = judge(&text(Scheme::Sha1, GOOD), &r, Now::utc(NOW), &mut ledger).expect("mem");
    assert_eq!(ledger.uses_of(&v.pass().expect("pass").id), 1);
    assert_eq!(ledger.rejections.len(), 2);
}

#[test]
fn pass_identity_is_sha256_of_payload_bytes_not_of_the_text() {
    let a = verdict_of(&text(Scheme::Sha1, GOOD), &rules(), NOW);
    let b = verdict_of(&text(Scheme::Ed25519, GOOD), &rules(), NOW);
    assert_eq!(a.pass().map(|p| p.id), b.pass().map(|p| p.id));
    assert_eq!(
        a.pass().map(|p| p.id),
        Some(usher_core::PassId::of(GOOD.as_bytes()))
    );
}

#[test]
fn verdict_names_are_the_design_names() {
    let names: Vec<_> = VerdictKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(
        names,
        [
            "qr_accepted",
            "qr_used",
            "qr_expired",
            "qr_not_authorized",
            "qr_invalid",
            "qr_missing_parameters"
        ]
    );
    for k in VerdictKind::ALL {
        assert_eq!(VerdictKind::from_name(k.name()), Some(k));
    }
    assert_eq!(
        Verdict::MissingParameters(Missing::NoQuery).name(),
        "qr_missing_parameters"
    );
}
