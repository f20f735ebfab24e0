//! The three signature schemes a pass can carry, told apart by the form of `auth`.
//!
//! | `auth` | scheme | key |
//! |---|---|---|
//! | 40 hex digits | legacy Breeze: SHA-1(payload ‖ password) | shared password |
//! | 64 hex digits | HMAC-SHA256(key = password, payload) | shared password |
//! | 86 base64url characters | Ed25519 over the payload | organiser's public key |
//!
//! Every comparison of a computed digest with a presented one is constant-time.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use hmac::{KeyInit, Mac};
use sha1::{Digest, Sha1};
use std::fmt;
use std::str::FromStr;
use subtle::ConstantTimeEq;

use crate::secret::Secret;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// A signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// SHA-1 of payload then password (Breeze-compatible, legacy).
    Sha1,
    /// HMAC-SHA256 keyed with the password.
    HmacSha256,
    /// Ed25519 signature, verified with the organiser's public key.
    Ed25519,
}

impl Scheme {
    /// All schemes, strongest last.
    pub const ALL: [Scheme; 3] = [Scheme::Sha1, Scheme::HmacSha256, Scheme::Ed25519];

    /// The name used in settings and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Sha1 => "sha1",
            Scheme::HmacSha256 => "hmac-sha256",
            Scheme::Ed25519 => "ed25519",
        }
    }

    /// Whether the scheme is keyed with the shared password.
    pub fn uses_password(self) -> bool {
        !matches!(self, Scheme::Ed25519)
    }

    fn bit(self) -> u8 {
        match self {
            Scheme::Sha1 => 1,
            Scheme::HmacSha256 => 2,
            Scheme::Ed25519 => 4,
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for an unknown scheme name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown signature scheme {0:?} (expected sha1, hmac-sha256 or ed25519)")]
pub struct UnknownScheme(pub String);

impl FromStr for Scheme {
    type Err = UnknownScheme;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|scheme| scheme.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownScheme(s.to_owned()))
    }
}

/// A set of schemes (the ones a kiosk accepts).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct SchemeSet(u8);

impl SchemeSet {
    /// No scheme.
    pub const EMPTY: SchemeSet = SchemeSet(0);
    /// Every scheme.
    pub const ALL: SchemeSet = SchemeSet(7);

    /// Whether `scheme` is in the set.
    pub fn contains(self, scheme: Scheme) -> bool {
        self.0 & scheme.bit() != 0
    }

    /// The set with `scheme` added.
    pub fn with(self, scheme: Scheme) -> Self {
        SchemeSet(self.0 | scheme.bit())
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The schemes in the set.
    pub fn iter(self) -> impl Iterator<Item = Scheme> {
        Scheme::ALL.into_iter().filter(move |s| self.contains(*s))
    }
}

impl FromIterator<Scheme> for SchemeSet {
    fn from_iter<I: IntoIterator<Item = Scheme>>(iter: I) -> Self {
        iter.into_iter().fold(SchemeSet::EMPTY, SchemeSet::with)
    }
}

impl fmt::Debug for SchemeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for SchemeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = self.iter().map(Scheme::name).collect();
        f.write_str(&names.join(" "))
    }
}

/// The keys a kiosk verifies with.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// The shared password for SHA-1 and HMAC-SHA256.
    pub password: Option<Secret>,
    /// The organiser's Ed25519 public key.
    pub public_key: Option<VerifyingKey>,
}

impl Keys {
    /// The schemes these keys can verify at all.
    pub fn usable(&self) -> SchemeSet {
        let mut set = SchemeSet::EMPTY;
        if self.password.as_ref().is_some_and(|p| !p.is_empty()) {
            set = set.with(Scheme::Sha1).with(Scheme::HmacSha256);
        }
        if self.public_key.is_some() {
            set = set.with(Scheme::Ed25519);
        }
        set
    }
}

/// An `auth` value, decoded by its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    /// The scheme its form names.
    pub scheme: Scheme,
    /// The signature or digest bytes.
    pub bytes: Vec<u8>,
}

impl Auth {
    /// Reads `auth` by its form; `None` when it has none of the three forms.
    pub fn parse(auth: &[u8]) -> Option<Auth> {
        let is_hex = auth.iter().all(u8::is_ascii_hexdigit);
        let scheme = match auth.len() {
            40 if is_hex => Scheme::Sha1,
            64 if is_hex => Scheme::HmacSha256,
            86 => Scheme::Ed25519,
            _ => return None,
        };
        let bytes = match scheme {
            Scheme::Ed25519 => URL_SAFE_NO_PAD.decode(auth).ok()?,
            _ => hex::decode(auth).ok()?,
        };
        Some(Auth { scheme, bytes })
    }

    /// Whether this signature verifies `payload` under `keys`. Constant-time in the
    /// compared bytes; `false` when the needed key is absent.
    pub fn verifies(&self, payload: &[u8], keys: &Keys) -> bool {
        match self.scheme {
            Scheme::Sha1 => keys.password.as_ref().is_some_and(|pw| {
                let digest = Sha1::new()
                    .chain_update(payload)
                    .chain_update(pw.expose())
                    .finalize();
                digest.as_slice().ct_eq(&self.bytes).into()
            }),
            Scheme::HmacSha256 => keys
                .password
                .as_ref()
                .is_some_and(|pw| hmac_of(pw, payload).verify_slice(&self.bytes).is_ok()),
            Scheme::Ed25519 => keys.public_key.as_ref().is_some_and(|key| {
                Signature::from_slice(&self.bytes)
                    .is_ok_and(|sig| key.verify_strict(payload, &sig).is_ok())
            }),
        }
    }
}

fn hmac_of(password: &Secret, payload: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(password.expose())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(payload);
    mac
}

/// What mints passes: a password with SHA-1 or HMAC-SHA256, or an Ed25519 private key.
pub enum Signer {
    /// Legacy Breeze SHA-1.
    Sha1(Secret),
    /// HMAC-SHA256.
    HmacSha256(Secret),
    /// Ed25519 with the organiser's private key.
    Ed25519(SigningKey),
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signer({}, ***)", self.scheme())
    }
}

impl Signer {
    /// The scheme this signer uses.
    pub fn scheme(&self) -> Scheme {
        match self {
            Signer::Sha1(_) => Scheme::Sha1,
            Signer::HmacSha256(_) => Scheme::HmacSha256,
            Signer::Ed25519(_) => Scheme::Ed25519,
        }
    }

    /// The `auth` text for `payload`: lower-case hex, or base64url without padding.
    pub fn sign(&self, payload: &[u8]) -> String {
        match self {
            Signer::Sha1(pw) => hex::encode(
                Sha1::new()
                    .chain_update(payload)
                    .chain_update(pw.expose())
                    .finalize(),
            ),
            Signer::HmacSha256(pw) => hex::encode(hmac_of(pw, payload).finalize().into_bytes()),
            Signer::Ed25519(key) => URL_SAFE_NO_PAD.encode(key.sign(payload).to_bytes()),
        }
    }
}

/// Why a key file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Not a PEM Ed25519 private key (PKCS#8).
    #[error("not an Ed25519 private key in PEM (PKCS#8): {0}")]
    BadPrivateKey(String),
    /// Not a PEM Ed25519 public key (SubjectPublicKeyInfo).
    #[error("not an Ed25519 public key in PEM (SubjectPublicKeyInfo): {0}")]
    BadPublicKey(String),
}

/// Reads an Ed25519 private key from PEM (PKCS#8, as `openssl genpkey -algorithm ed25519` writes).
pub fn signing_key_from_pem(pem: &str) -> Result<SigningKey, KeyError> {
    SigningKey::from_pkcs8_pem(pem.trim()).map_err(|e| KeyError::BadPrivateKey(e.to_string()))
}

/// Reads an Ed25519 public key from PEM (SubjectPublicKeyInfo, as `openssl pkey -pubout` writes).
pub fn verifying_key_from_pem(pem: &str) -> Result<VerifyingKey, KeyError> {
    VerifyingKey::from_public_key_pem(pem.trim()).map_err(|e| KeyError::BadPublicKey(e.to_string()))
}

/// The PEM text (SubjectPublicKeyInfo) of a public key, as `openssl pkey -pubout` writes it.
pub fn public_key_pem(key: &VerifyingKey) -> Result<String, KeyError> {
    key.to_public_key_pem(Default::default())
        .map_err(|e| KeyError::BadPublicKey(e.to_string()))
}

/// The PEM texts (private PKCS#8, public SPKI) of a key made from 32 secret bytes.
pub fn key_pair_pem(secret: &[u8; 32]) -> Result<(Secret, String), KeyError> {
    let key = SigningKey::from_bytes(secret);
    let private = key
        .to_pkcs8_pem(Default::default())
        .map_err(|e| KeyError::BadPrivateKey(e.to_string()))?;
    let public = key
        .verifying_key()
        .to_public_key_pem(Default::default())
        .map_err(|e| KeyError::BadPublicKey(e.to_string()))?;
    Ok((Secret::new(private.as_bytes()), public))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BREEZE_PAYLOAD: &[u8] =
        br#"{"c1":"switchToStillsAndStart","expiry":1589885824,"autoemail":"sales@breezesys.com"}"#;

    fn pw_keys(pw: &str) -> Keys {
        Keys {
            password: Some(Secret::from(pw)),
            public_key: None,
        }
    }

    #[test]
    fn breeze_test_vector_verifies() {
        let auth = Auth::parse(b"4717b76e279cd2dd8435e0c46d95ccd4c9392da8").expect("form");
        assert_eq!(auth.scheme, Scheme::Sha1);
        assert!(auth.verifies(BREEZE_PAYLOAD, &pw_keys("<auth_password>")));
        assert!(!auth.verifies(BREEZE_PAYLOAD, &pw_keys("<auth_password>x")));
        let signer = Signer::Sha1(Secret::from("<auth_password>"));
        assert_eq!(
            signer.sign(BREEZE_PAYLOAD),
            "4717b76e279cd2dd8435e0c46d95ccd4c9392da8"
        );
    }

    #[test]
    fn upper_case_hex_is_the_same_signature() {
        let auth = Auth::parse(b"4717B76E279CD2DD8435E0C46D95CCD4C9392DA8").expect("form");
        assert!(auth.verifies(BREEZE_PAYLOAD, &pw_keys("<auth_password>")));
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        let signer = Signer::HmacSha256(Secret::from("Jefe"));
        let auth = signer.sign(b"what do ya want for nothing?");
        assert_eq!(
            auth,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let parsed = Auth::parse(auth.as_bytes()).expect("form");
        assert_eq!(parsed.scheme, Scheme::HmacSha256);
        assert!(parsed.verifies(b"what do ya want for nothing?", &pw_keys("Jefe")));
    }

    #[test]
    fn ed25519_signs_and_verifies_with_pem_keys() {
        let (private, public) = key_pair_pem(&[7u8; 32]).expect("pem");
        let key = signing_key_from_pem(std::str::from_utf8(private.expose()).expect("utf8"))
            .expect("private pem");
        let public = verifying_key_from_pem(&public).expect("public pem");
        let auth = Signer::Ed25519(key).sign(b"payload");
        assert_eq!(auth.len(), 86);
        let parsed = Auth::parse(auth.as_bytes()).expect("form");
        let keys = Keys {
            password: None,
            public_key: Some(public),
        };
        assert!(parsed.verifies(b"payload", &keys));
        assert!(!parsed.verifies(b"payloaD", &keys));
        assert!(!parsed.verifies(b"payload", &Keys::default()));
    }

    #[test]
    fn forms_that_are_none_of_the_three_are_refused() {
        for bad in [
            "",
            "abc",
            &"g".repeat(40),
            &"a".repeat(41),
            &"=".repeat(86),
            &"a".repeat(87),
        ] {
            assert_eq!(Auth::parse(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn scheme_names_round_trip() {
        for s in Scheme::ALL {
            assert_eq!(s.name().parse::<Scheme>(), Ok(s));
        }
        assert!("md5".parse::<Scheme>().is_err());
        let set: SchemeSet = [Scheme::Sha1, Scheme::Ed25519].into_iter().collect();
        assert_eq!(set.to_string(), "sha1 ed25519");
        assert!(!set.contains(Scheme::HmacSha256));
    }

    #[test]
    fn signer_debug_hides_the_key() {
        let s = format!("{:?}", Signer::HmacSha256(Secret::from("topsecret")));
        assert!(!s.contains("topsecret"), "{s}");
    }
}
