//! How long the pure steps 0 to 5 take for one pass, per signature scheme.
//!
//! `cargo bench -p usher-core --bench verify`

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use usher_core::issue::{PassSpec, pass_text};
use usher_core::verdict::{Inspection, inspect};
use usher_core::{Now, ReusePolicy, Scheme};

fn bench_verify(c: &mut Criterion) {
    let venue = usher_testkit::Keyring {
        password: Some("0123456789abcdef0123456789abcdef"),
        seed: [5; 32],
    };
    let rules = venue.rules(ReusePolicy::Once);
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
        let signer = venue.signer(scheme);
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
