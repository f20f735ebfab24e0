//! Dev-only fixtures for the workspace's tests and benchmarks: verdict [`Rules`] and the
//! [`Signer`]s that match them. Used only as a dev-dependency (never by a binary, never
//! published), so the pure core's normal dependency tree stays what `.ci/check-core-purity`
//! checks.

use ed25519_dalek::{SigningKey, VerifyingKey};
use std::cell::Cell;
use usher_core::issue::{PassSpec, pass_text};
use usher_core::scheme::{key_pair_pem, verifying_key_from_pem};
use usher_core::{Keys, ReusePolicy, Rules, Scheme, SchemeSet, Secret, Signer};

/// The device id of the fixtures' kiosk.
pub const DEVICE: &str = "door-1";

/// A venue's keys as tests make them: an optional shared password and an Ed25519 key from a
/// fixed seed.
#[derive(Debug, Clone, Copy)]
pub struct Keyring {
    /// The password of SHA-1 and HMAC-SHA256 passes, if the venue has one.
    pub password: Option<&'static str>,
    /// The seed of the organiser's Ed25519 signing key.
    pub seed: [u8; 32],
}

impl Keyring {
    /// The organiser's Ed25519 signing key.
    pub fn signing_key(&self) -> SigningKey {
        SigningKey::from_bytes(&self.seed)
    }

    /// The keys a kiosk of this venue holds: the password, and the public key read back from
    /// its PEM as settings.xml gives it.
    pub fn keys(&self) -> Keys {
        let (_, public) = key_pair_pem(&self.seed).expect("pem");
        Keys {
            password: self.password.map(Secret::from),
            public_key: Some(verifying_key_from_pem(&public).expect("public key")),
        }
    }

    /// Signatures required, every scheme accepted, kiosk [`DEVICE`], this reuse policy.
    pub fn rules(&self, reuse: ReusePolicy) -> Rules {
        Rules {
            auth_required: true,
            accepted: SchemeSet::ALL,
            keys: self.keys(),
            device_id: DEVICE.into(),
            reuse,
            legacy_codes: false,
        }
    }

    /// A signer in `scheme` with this venue's password or key.
    pub fn signer(&self, scheme: Scheme) -> Signer {
        let password = || Secret::from(self.password.expect("a password scheme needs a password"));
        match scheme {
            Scheme::Sha1 => Signer::Sha1(password()),
            Scheme::HmacSha256 => Signer::HmacSha256(password()),
            Scheme::Ed25519 => Signer::Ed25519(self.signing_key()),
        }
    }
}

/// Distinct passes, one per call, for benchmarks that sign many in (each with its own nonce
/// and visitor name, expiring 1,900,000,000).
#[derive(Debug)]
pub struct FreshPasses {
    signer: Signer,
    next: Cell<u64>,
}

impl FreshPasses {
    /// Passes signed by `signer`.
    pub fn new(signer: Signer) -> Self {
        FreshPasses {
            signer,
            next: Cell::new(0),
        }
    }

    /// The next pass text (`usher://p?j=...&auth=...`).
    pub fn next_text(&self) -> String {
        let n = self.next.get();
        self.next.set(n + 1);
        let mut spec = PassSpec {
            expiry: 1_900_000_000,
            ..Default::default()
        };
        spec.nonce[..8].copy_from_slice(&n.to_le_bytes());
        spec.strings[0] = Some(format!("Visitor {n}"));
        pass_text("usher://p", &spec.payload_json(), &self.signer)
    }
}

/// The rules of a kiosk holding only a shared password: signatures required, every scheme
/// accepted, kiosk [`DEVICE`].
pub fn password_rules(password: &str, reuse: ReusePolicy) -> Rules {
    Rules {
        auth_required: true,
        accepted: SchemeSet::ALL,
        keys: Keys {
            password: Some(Secret::from(password)),
            public_key: None,
        },
        device_id: DEVICE.into(),
        reuse,
        legacy_codes: false,
    }
}

/// The rules of a kiosk holding only the organiser's public key: signatures required,
/// `accepted` schemes, reuse `once`.
pub fn public_key_rules(key: VerifyingKey, accepted: SchemeSet, device_id: &str) -> Rules {
    Rules {
        auth_required: true,
        accepted,
        keys: Keys {
            password: None,
            public_key: Some(key),
        },
        device_id: device_id.into(),
        reuse: ReusePolicy::Once,
        legacy_codes: false,
    }
}
