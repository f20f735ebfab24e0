//! Secrets outside the database: the contact-encryption key, the blind-index key and random
//! tokens. Contact data is sealed with XChaCha20-Poly1305; exact lookups go through a keyed
//! blind index (HMAC-SHA256 of the normalised value), so the database alone reveals neither.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::Path;
use usher_core::Secret;

/// What can go wrong with keys and sealed data.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The operating system's random source failed.
    #[error("no randomness available: {0}")]
    Random(String),
    /// A key file is missing, unreadable or of the wrong size.
    #[error("key file {path}: {reason}")]
    KeyFile {
        /// The file.
        path: String,
        /// What was wrong.
        reason: String,
    },
    /// Sealed data did not open (wrong key, or tampered with).
    #[error("sealed data does not open with this key")]
    Open,
}

/// Fills `buf` from the operating system's random source.
pub fn random_bytes(buf: &mut [u8]) -> Result<(), CryptoError> {
    getrandom::fill(buf).map_err(|e| CryptoError::Random(e.to_string()))
}

/// A random token: 32 bytes (256 bits) as base64url without padding.
pub fn random_token() -> Result<String, CryptoError> {
    use base64::Engine as _;
    let mut b = [0u8; 32];
    random_bytes(&mut b)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}

/// SHA-256 of a token, as stored in the database (never the token itself).
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Which normalised value a blind index is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    /// A name: case-folded, inner white space collapsed.
    Name,
    /// A phone number: digits only (a leading `+` or `00` dropped).
    Phone,
    /// An e-mail address: trimmed, lower case.
    Email,
}

impl IndexKind {
    fn tag(self) -> &'static [u8] {
        match self {
            IndexKind::Name => b"name",
            IndexKind::Phone => b"phone",
            IndexKind::Email => b"email",
        }
    }

    /// The normal form of `value` for this kind; `None` when nothing is left to index.
    pub fn normalise(self, value: &str) -> Option<String> {
        let out = match self {
            IndexKind::Name => value
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" "),
            IndexKind::Phone => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                digits
                    .strip_prefix("00")
                    .map_or(digits.clone(), str::to_owned)
            }
            IndexKind::Email => value.trim().to_lowercase(),
        };
        (!out.is_empty()).then_some(out)
    }
}

/// The two keys that live beside the signing key, outside the database.
#[derive(Clone)]
pub struct Vault {
    cipher: XChaCha20Poly1305,
    index_key: Secret,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Vault(***)")
    }
}

const SEAL_VERSION: u8 = 1;

impl Vault {
    /// A vault from the raw keys.
    pub fn new(contact_key: &[u8; 32], index_key: &[u8; 32]) -> Self {
        let cipher = <XChaCha20Poly1305 as KeyInit>::new(&(*contact_key).into());
        Vault {
            cipher,
            index_key: Secret::new(index_key.to_vec()),
        }
    }

    /// A vault with fresh random keys (tests and benchmarks).
    pub fn random() -> Result<Self, CryptoError> {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        random_bytes(&mut a)?;
        random_bytes(&mut b)?;
        Ok(Vault::new(&a, &b))
    }

    /// Reads `contact.key` and `index.key` from `dir`.
    pub fn load(dir: &Path) -> Result<Self, CryptoError> {
        let a = read_key(&dir.join(CONTACT_KEY_FILE))?;
        let b = read_key(&dir.join(INDEX_KEY_FILE))?;
        Ok(Vault::new(&a, &b))
    }

    /// Seals `plain`, bound to `context` (the row's id): `version || nonce || ciphertext`.
    pub fn seal(&self, context: &[u8], plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut nonce = [0u8; 24];
        random_bytes(&mut nonce)?;
        let ct = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: context,
                },
            )
            .map_err(|_| CryptoError::Open)?;
        let mut out = Vec::with_capacity(1 + 24 + ct.len());
        out.push(SEAL_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Opens what [`Vault::seal`] made with the same `context`.
    pub fn open(&self, context: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < 25 || sealed[0] != SEAL_VERSION {
            return Err(CryptoError::Open);
        }
        let mut nonce = [0u8; 24];
        nonce.copy_from_slice(&sealed[1..25]);
        self.cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &sealed[25..],
                    aad: context,
                },
            )
            .map_err(|_| CryptoError::Open)
    }

    /// The blind index of `value` as `kind`; `None` when the value normalises to nothing.
    pub fn blind_index(&self, kind: IndexKind, value: &str) -> Option<Vec<u8>> {
        let norm = kind.normalise(value)?;
        let mut mac =
            <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(self.index_key.expose()).ok()?;
        mac.update(kind.tag());
        mac.update(&[0]);
        mac.update(norm.as_bytes());
        Some(mac.finalize().into_bytes().to_vec())
    }
}

/// Contact fields sealed for storage, with their blind indexes.
#[derive(Debug, Clone)]
pub struct SealedFields {
    /// The sealed JSON object of the fields.
    pub contact: Vec<u8>,
    /// Blind index of `s1`.
    pub name_bi: Option<Vec<u8>>,
    /// Blind index of `s2`.
    pub phone_bi: Option<Vec<u8>>,
    /// Blind index of `s3` (or `email`).
    pub email_bi: Option<Vec<u8>>,
}

impl Vault {
    /// Seals a sign-in's contact fields (`s1` name, `s2` phone, `s3` or `email` e-mail) bound
    /// to its id, and computes their blind indexes.
    pub fn seal_fields(
        &self,
        sid: &str,
        fields: &std::collections::BTreeMap<String, String>,
    ) -> Result<SealedFields, CryptoError> {
        let plain = serde_json::to_vec(fields).map_err(|_| CryptoError::Open)?;
        let get = |k: &str| fields.get(k).map(String::as_str);
        let email = get("s3").or_else(|| get("email"));
        Ok(SealedFields {
            contact: self.seal(sid.as_bytes(), &plain)?,
            name_bi: get("s1").and_then(|v| self.blind_index(IndexKind::Name, v)),
            phone_bi: get("s2").and_then(|v| self.blind_index(IndexKind::Phone, v)),
            email_bi: email.and_then(|v| self.blind_index(IndexKind::Email, v)),
        })
    }
}

/// Opens libsodium sealed boxes (`crypto_box_seal`) made to the X25519 form of the organiser's
/// public key: the X25519 secret is the organiser's Ed25519 scalar, as libsodium's
/// `crypto_sign_ed25519_sk_to_curve25519` derives it. Kiosks seal contact fields this way.
///
/// Made once per server: `crypto_box`'s own `SecretKey::unseal` derives the recipient's public
/// key again for every box (a scalar multiplication, 40 µs here), which this keeps. What is
/// left per box is the one key exchange with the box's ephemeral key.
#[derive(Clone)]
pub struct Unsealer {
    secret: crypto_box::SecretKey,
    public: crypto_box::PublicKey,
}

impl fmt::Debug for Unsealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Unsealer(***)")
    }
}

impl Unsealer {
    /// The unsealer of `organiser`'s boxes.
    pub fn new(organiser: &ed25519_dalek::SigningKey) -> Self {
        let secret = crypto_box::SecretKey::from_bytes(organiser.to_scalar_bytes());
        let public = secret.public_key();
        Unsealer { secret, public }
    }

    /// Opens one sealed box: `ephemeral public key (32) || XSalsa20-Poly1305 box`, nonce
    /// `BLAKE2b-192(ephemeral public key || recipient public key)`, as libsodium does.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        use blake2::Digest as _;
        use crypto_box::aead::Aead as _;
        const KEY: usize = crypto_box::KEY_SIZE;
        if sealed.len() <= KEY {
            return Err(CryptoError::Open);
        }
        let ephemeral_bytes: [u8; KEY] = sealed[..KEY].try_into().map_err(|_| CryptoError::Open)?;
        let ephemeral = crypto_box::PublicKey::from(ephemeral_bytes);
        let mut nonce = blake2::Blake2b::<blake2::digest::consts::U24>::new();
        nonce.update(ephemeral.as_bytes());
        nonce.update(self.public.as_bytes());
        crypto_box::SalsaBox::new(&ephemeral, &self.secret)
            .decrypt(&nonce.finalize(), &sealed[KEY..])
            .map_err(|_| CryptoError::Open)
    }
}

/// File name of the contact-encryption key in the data directory.
pub const CONTACT_KEY_FILE: &str = "contact.key";
/// File name of the blind-index key in the data directory.
pub const INDEX_KEY_FILE: &str = "index.key";

fn read_key(path: &Path) -> Result<[u8; 32], CryptoError> {
    let err = |reason: String| CryptoError::KeyFile {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let mut key = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut key)
        .map_err(|_| err("expected 64 hex digits".into()))?;
    Ok(key)
}

/// Writes a new random key file (64 hex digits, mode 0600); refuses to overwrite one.
pub fn write_new_key(path: &Path) -> Result<(), CryptoError> {
    let mut key = [0u8; 32];
    random_bytes(&mut key)?;
    let text = hex::encode(key);
    write_private(path, text.as_bytes()).map_err(|e| CryptoError::KeyFile {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Creates `path` with mode 0600 (fails if it exists) and writes `bytes`.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_opens_only_with_same_context_and_key() {
        let v = Vault::random().expect("random");
        let s = v.seal(b"row-1", b"Zo\xc3\xab").expect("seal");
        assert_eq!(v.open(b"row-1", &s).expect("open"), b"Zo\xc3\xab");
        assert!(v.open(b"row-2", &s).is_err());
        assert!(Vault::random().expect("random").open(b"row-1", &s).is_err());
        assert!(v.open(b"row-1", &s[..10]).is_err());
    }

    #[test]
    fn a_box_sealed_to_the_organisers_public_key_opens_with_its_signing_key_only() {
        let organiser = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
        let public =
            crypto_box::PublicKey::from_bytes(organiser.verifying_key().to_montgomery().to_bytes());
        let sealed = public
            .seal(&mut crypto_box::aead::OsRng, "Fāṭima".as_bytes())
            .expect("seal");
        let unsealer = Unsealer::new(&organiser);
        assert_eq!(unsealer.open(&sealed).expect("open"), "Fāṭima".as_bytes());
        // The same as crypto_box's own (slower) unseal.
        let secret = crypto_box::SecretKey::from_bytes(organiser.to_scalar_bytes());
        assert_eq!(secret.unseal(&sealed).expect("open"), "Fāṭima".as_bytes());
        let other = ed25519_dalek::SigningKey::from_bytes(&[6; 32]);
        assert!(Unsealer::new(&other).open(&sealed).is_err());
        for at in [0, 31, 32, 40, sealed.len() - 1] {
            let mut tampered = sealed.clone();
            tampered[at] ^= 1;
            assert!(unsealer.open(&tampered).is_err(), "byte {at} changed");
        }
        assert!(unsealer.open(&sealed[..20]).is_err());
        assert!(unsealer.open(&sealed[..32]).is_err());
        assert!(unsealer.open(&[]).is_err());
    }

    #[test]
    fn blind_index_normalises() {
        let v = Vault::random().expect("random");
        assert_eq!(
            v.blind_index(IndexKind::Name, "  Zoë   SMITH "),
            v.blind_index(IndexKind::Name, "zoë smith")
        );
        assert_eq!(
            v.blind_index(IndexKind::Phone, "+44 (0)20-7946 0000"),
            v.blind_index(IndexKind::Phone, "4402079460000")
        );
        assert_eq!(
            v.blind_index(IndexKind::Phone, "0044 20"),
            v.blind_index(IndexKind::Phone, "+44 20")
        );
        assert_ne!(
            v.blind_index(IndexKind::Name, "a"),
            v.blind_index(IndexKind::Email, "a")
        );
        assert_eq!(v.blind_index(IndexKind::Phone, "no digits"), None);
    }
}
