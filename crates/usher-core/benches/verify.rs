//! How long the pure steps 0 to 5 take for one pass, per signature scheme.
//!
//! `cargo bench -p usher-core --bench verify`

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use usher_core::issue::{PassSpec, pass_text};
use usher_core::scheme::{key_pair_pem, verifying_key_from_pem};
use usher_core::verdict::{Inspection, inspect};
use usher_core::{Keys, Now, ReusePolicy, Rules, Scheme, SchemeSet, Secret, Signer};

fn bench_verify(c: &mut Criterion) {
    let (_, public) = key_pair_pem(&[5; 32]).expect("pem");
    let password = "0123456789abcdef0123456789abcdef";
    let rules = Rules {
        auth_required: true,
        accepted: SchemeSet::ALL,
        keys: Keys {
            password: Some(Secret::from(password)),
            public_key: Some(verifying_key_from_pem(&public).expect("pub")),
        },
        device_id: "door-1".into(),
        reuse: ReusePolicy::Once,
    };
    let mut spec = PassSpec {
        expiry: 1_900_000_000,
        nonce: [7; 12],
        ..Default::default()
    };
    spec.strings[0] = Some("Fatima Zahra".into());
    spec.strings[1] = Some("+44 20 7946 0000".into());
    spec.strings[2] = Some("fatima@example.org".into());
    let payload = spec.payload_json();
    let mut group = c.benchmark_group("verify");
    for scheme in Scheme::ALL {
        let signer = match scheme {
            Scheme::Sha1 => Signer::Sha1(Secret::from(password)),
            Scheme::HmacSha256 => Signer::HmacSha256(Secret::from(password)),
            Scheme::Ed25519 => Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[5; 32])),
        };
        let text = pass_text("usher://p", &payload, &signer);
        assert!(matches!(
            inspect(&text, &rules, Now::utc(1_800_000_000)),
            Inspection::Claimable(_)
        ));
        group.bench_function(scheme.name(), |b| {
            b.iter(|| inspect(black_box(&text), &rules, Now::utc(1_800_000_000)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
