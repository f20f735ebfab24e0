//! Property: no change to a valid pass's text yields `qr_accepted`, unless the change decodes to
//! the very same signature and payload bytes (upper-case hex, say).
//!
//! For each scheme the test makes every single-byte substitution of the text (every position,
//! every printable byte), taking turns with random mutations from a fixed seed (1 to 4
//! substitutions anywhere, insertions, deletions, swaps of neighbours), `USHER_TAMPER_CASES`
//! cases in all (default 10,000 per scheme; the figure for the closing note is one million:
//! `USHER_TAMPER_CASES=1000000 cargo test --release -p usher-core --test tamper -- --nocapture`).

use usher_core::form::{self, encode};
use usher_core::scheme::Auth;
use usher_core::{MemoryLedger, Now, ReusePolicy, Rules, Scheme, Signer, VerdictKind, judge};
use usher_testkit::Keyring;

const VENUE: Keyring = Keyring {
    password: Some("a long enough venue password!"),
    seed: [9u8; 32],
};

fn rules() -> Rules {
    VENUE.rules(ReusePolicy::Always)
}

fn signer(scheme: Scheme) -> Signer {
    VENUE.signer(scheme)
}

const PAYLOAD: &str =
    r#"{"s1":"Zoë Ådahl","s2":"+44 20 7946 0000","expiry":1900000000,"n":"q83vEjRWeJA"}"#;

/// Decoded (auth, j) of a pass text, for telling a real change from a re-spelling.
fn decoded(text: &[u8]) -> (Option<Vec<u8>>, Vec<u8>) {
    let text = String::from_utf8_lossy(text);
    let query = form::query_of(&text).unwrap_or_default();
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

/// SplitMix64: a fixed, seedable sequence (the cases are the same on every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn printable(&mut self) -> u8 {
        0x20 + self.below(0x5f) as u8
    }
}

/// Random mutations of `original`: 1 to 4 substitutions anywhere, an insertion, a deletion or a
/// swap of neighbours.
fn mutate(original: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut t = original.to_vec();
    match rng.below(4) {
        0 => {
            for _ in 0..=rng.below(4) {
                let pos = rng.below(t.len());
                t[pos] = rng.printable();
            }
        }
        1 => {
            let pos = rng.below(t.len() + 1);
            t.insert(pos, rng.printable());
        }
        2 => {
            t.remove(rng.below(t.len()));
        }
        _ => {
            let pos = rng.below(t.len() - 1);
            t.swap(pos, pos + 1);
        }
    }
    t
}

/// `cases` tamperings of `original`: every single-byte substitution (every position, every
/// printable byte) taking turns with random mutations, then random mutations only.
fn tamperings(original: &[u8], cases: usize, seed: u64) -> impl Iterator<Item = Vec<u8>> + '_ {
    let mut single = (0..original.len())
        .flat_map(move |pos| {
            (0x20u8..0x7f)
                .filter(move |&b| b != original[pos])
                .map(move |b| {
                    let mut t = original.to_vec();
                    t[pos] = b;
                    t
                })
        })
        .fuse();
    let mut rng = Rng(seed);
    let mut single_turn = false;
    std::iter::from_fn(move || {
        single_turn = !single_turn;
        if single_turn && let Some(t) = single.next() {
            return Some(t);
        }
        Some(mutate(original, &mut rng))
    })
    .filter(move |t| t != original)
    .take(cases)
}

fn seed(scheme: Scheme) -> u64 {
    match scheme {
        Scheme::Sha1 => 1,
        Scheme::HmacSha256 => 2,
        Scheme::Ed25519 => 3,
    }
}

fn cases() -> usize {
    std::env::var("USHER_TAMPER_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn check_scheme(scheme: Scheme) {
    let rules = rules();
    let auth = signer(scheme).sign(PAYLOAD.as_bytes());
    let original = format!("https://v/?auth={auth}&j={}", encode(PAYLOAD.as_bytes()));
    let now = Now::utc(1_800_000_000);
    assert_eq!(
        judge(&original, &rules, now, &mut MemoryLedger::new()).map(|v| v.kind()),
        Ok(VerdictKind::Accepted)
    );
    let original_decoded = decoded(original.as_bytes());

    let (mut tried, mut respelled) = (0usize, 0usize);
    for tampered in tamperings(original.as_bytes(), cases(), seed(scheme)) {
        tried += 1;
        let Ok(text) = std::str::from_utf8(&tampered) else {
            continue;
        };
        let verdict = judge(text, &rules, now, &mut MemoryLedger::new()).map(|v| v.kind());
        if verdict == Ok(VerdictKind::Accepted) {
            assert_eq!(
                decoded(&tampered),
                original_decoded,
                "accepted a real change: {text}"
            );
            respelled += 1;
        }
    }
    assert_eq!(tried, cases(), "fewer tamperings than asked for");
    println!(
        "{scheme:?}: {tried} tampered passes, 0 accepted with a changed signature or payload \
         ({respelled} accepted with the same signature and payload bytes: hex case, the unsigned address before `?`)"
    );
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
