//! Contact fields at rest on the kiosk: what protects the name, phone and e-mail of a sign-in
//! while it waits in the outbox.
//!
//! - An enrolled kiosk (server, device token and the organiser's public key in settings)
//!   seals them to the organiser's key: a libsodium sealed box (`crypto_box_seal`) to the X25519
//!   form of the organiser's Ed25519 key, as libsodium's `ed25519_pk_to_curve25519` makes it.
//!   The kiosk can write them but not read them back; the server, which holds the organiser's
//!   private key (it signs passes), opens them.
//! - A standalone kiosk keeps them under a random key (XChaCha20-Poly1305, bound to the
//!   outbox id) in a file beside the ledger, created 0600.
//!
//! A stored blob starts with one byte naming which of the two made it, so a kiosk that was
//! standalone and is then enrolled still uploads (and re-seals) what it wrote before.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::fmt;
use std::path::{Path, PathBuf};

/// First byte of a blob sealed to the organiser's key.
pub const SEALED: u8 = 1;
/// First byte of a blob under the local key.
pub const LOCAL: u8 = 2;

/// Why contact data could not be protected or read back.
#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    /// The system's random source failed.
    #[error("no randomness to protect contact data: {0}")]
    Random(String),
    /// The local key file is unreadable, malformed, or cannot be made.
    #[error("contact key file {path}: {reason}")]
    KeyFile {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The blob does not open with the keys this kiosk has.
    #[error("{0}")]
    Open(&'static str),
}

/// What the upload sends for one sign-in's contact fields.
#[derive(Clone, PartialEq, Eq)]
pub enum WireContact {
    /// A sealed box to the organiser's key (its plaintext: [`usher_core::wire::SealedContact`]).
    Sealed(Vec<u8>),
    /// The fields as JSON (a standalone kiosk's rows, opened with the local key for upload).
    Fields(String),
}

impl fmt::Debug for WireContact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireContact::Sealed(b) => write!(f, "Sealed({} bytes)", b.len()),
            WireContact::Fields(_) => f.write_str("Fields(***)"),
        }
    }
}

/// The local key and where it lives (`None`: in memory only).
#[derive(Clone)]
struct LocalKey {
    cipher: XChaCha20Poly1305,
    file: Option<PathBuf>,
}

/// How this kiosk protects contact fields: sealed to the organiser, or under the local key.
#[derive(Clone)]
pub struct Protection {
    organiser: Option<crypto_box::PublicKey>,
    local: Option<LocalKey>,
    /// On an enrolled kiosk without a local key file: a key that never leaves memory, for what
    /// the kiosk reads back itself during this run (the roll call's names).
    memory: Option<LocalKey>,
}

/// How contact fields are kept, as the admin panel says it (in the kiosk's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keeping {
    /// Sealed to the organiser's key.
    Organiser,
    /// Under the local key in this file.
    LocalKey(PathBuf),
    /// Under a key held in memory only.
    Memory,
}

impl fmt::Debug for Protection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Protection({})", self.describe())
    }
}

fn random<const N: usize>() -> Result<[u8; N], ContactError> {
    crate::random::bytes().map_err(|e| ContactError::Random(e.to_string()))
}

impl Protection {
    /// Sealed to the organiser's Ed25519 public key (its X25519 form). `local` opens rows an
    /// earlier, standalone life of this kiosk wrote, so they can be re-sealed.
    pub fn sealed_to(organiser: &ed25519_dalek::VerifyingKey, local_key_file: &Path) -> Self {
        let local = load_key(local_key_file).ok().map(|cipher| LocalKey {
            cipher,
            file: Some(local_key_file.to_owned()),
        });
        Protection {
            organiser: Some(crypto_box::PublicKey::from_bytes(
                organiser.to_montgomery().to_bytes(),
            )),
            memory: local.is_none().then(memory_key).flatten(),
            local,
        }
    }

    /// Under the key in `file`, made (0600) when absent.
    pub fn local(file: &Path) -> Result<Self, ContactError> {
        let cipher = match load_key(file) {
            Ok(cipher) => cipher,
            Err(_) if !file.exists() => create_key(file)?,
            Err(e) => return Err(e),
        };
        Ok(Protection {
            organiser: None,
            local: Some(LocalKey {
                cipher,
                file: Some(file.to_owned()),
            }),
            memory: None,
        })
    }

    /// Under a random key that never leaves memory (in-memory ledgers, the demo feed).
    pub fn ephemeral() -> Result<Self, ContactError> {
        let key = random::<32>()?;
        Ok(Protection {
            organiser: None,
            local: Some(LocalKey {
                cipher: XChaCha20Poly1305::new(&key.into()),
                file: None,
            }),
            memory: None,
        })
    }

    /// The local key file that belongs to a ledger: `usher.db` → `usher.contact.key`.
    pub fn key_file_for(ledger: &Path) -> PathBuf {
        ledger.with_extension("contact.key")
    }

    /// For a kiosk with these settings: sealed when enrolled (server URL, device token and the
    /// organiser's key), else the local key beside `ledger`.
    pub fn for_settings(
        settings: &crate::settings::Settings,
        ledger: &Path,
    ) -> Result<Self, ContactError> {
        let key_file = Self::key_file_for(ledger);
        let in_memory = ledger.as_os_str() == ":memory:";
        match (
            &settings.server_url,
            &settings.device_token,
            &settings.public_key,
        ) {
            (Some(_), Some(_), Some((_, key))) => Ok(Self::sealed_to(key, &key_file)),
            // `--ledger :memory:`: nothing reaches the disk, so neither does a key.
            _ if in_memory => Self::ephemeral(),
            _ => Self::local(&key_file),
        }
    }

    /// Whether new rows are sealed to the organiser.
    pub fn is_sealed(&self) -> bool {
        self.organiser.is_some()
    }

    /// The local key file, if there is one.
    pub fn key_file(&self) -> Option<&Path> {
        self.local.as_ref().and_then(|l| l.file.as_deref())
    }

    /// For the admin panel: which protection applies.
    pub fn describe(&self) -> String {
        match self.keeping() {
            Keeping::Organiser => "sealed to the organiser's key".to_owned(),
            Keeping::LocalKey(f) => format!("kept under the local key in {}", f.display()),
            Keeping::Memory => "kept under a key held in memory only".to_owned(),
        }
    }

    /// How contact fields are kept (for the admin panel).
    pub fn keeping(&self) -> Keeping {
        match (&self.organiser, &self.local) {
            (Some(_), _) => Keeping::Organiser,
            (None, Some(LocalKey { file: Some(f), .. })) => Keeping::LocalKey(f.clone()),
            (None, _) => Keeping::Memory,
        }
    }

    /// Protects the fields (JSON) of outbox row `id`.
    pub fn seal(&self, id: &str, fields: &str) -> Result<Vec<u8>, ContactError> {
        if let Some(organiser) = &self.organiser {
            let plain = serde_json::to_string(&usher_core::wire::SealedContact {
                id: id.to_owned(),
                fields: fields_of(fields),
            })
            .map_err(|_| ContactError::Open("contact fields cannot be written"))?;
            let sealed = organiser
                .seal(&mut crypto_box::aead::OsRng, plain.as_bytes())
                .map_err(|_| ContactError::Random("sealing failed".into()))?;
            let mut out = Vec::with_capacity(1 + sealed.len());
            out.push(SEALED);
            out.extend_from_slice(&sealed);
            return Ok(out);
        }
        self.seal_local(id, fields)
    }

    /// Protects `text` under the kiosk's own key, bound to `id`, whatever the kiosk seals its
    /// uploads to: for what this kiosk itself must read again ([`Protection::open_kiosk`]: the
    /// roll call's names). That is the local key; an enrolled kiosk without a local key file
    /// (it needs none) uses a key held in memory for this run, so the file never holds a key
    /// that opens them.
    pub fn seal_kiosk(&self, id: &str, text: &str) -> Result<Vec<u8>, ContactError> {
        self.seal_under(self.kiosk_key(), id, text)
    }

    /// Opens a blob made by [`Protection::seal_kiosk`] (in this run, on an enrolled kiosk
    /// without a local key file).
    pub fn open_kiosk(&self, id: &str, blob: &[u8]) -> Result<String, ContactError> {
        open_under(self.kiosk_key(), id, blob)
    }

    fn kiosk_key(&self) -> Option<&LocalKey> {
        self.local.as_ref().or(self.memory.as_ref())
    }

    fn seal_local(&self, id: &str, text: &str) -> Result<Vec<u8>, ContactError> {
        self.seal_under(self.local.as_ref(), id, text)
    }

    fn seal_under(
        &self,
        key: Option<&LocalKey>,
        id: &str,
        text: &str,
    ) -> Result<Vec<u8>, ContactError> {
        let local = key.ok_or(ContactError::Open("no key to protect contact data"))?;
        let nonce = random::<24>()?;
        let ct = local
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: text.as_bytes(),
                    aad: id.as_bytes(),
                },
            )
            .map_err(|_| ContactError::Open("encryption failed"))?;
        let mut out = Vec::with_capacity(1 + 24 + ct.len());
        out.push(LOCAL);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// What the upload sends for a stored blob: a sealed box as it is; a local one opened.
    pub fn for_upload(&self, id: &str, blob: &[u8]) -> Result<WireContact, ContactError> {
        match blob.first() {
            Some(&SEALED) => Ok(WireContact::Sealed(blob[1..].to_vec())),
            Some(&LOCAL) => self.open_local(id, blob).map(WireContact::Fields),
            _ => Err(ContactError::Open("unknown contact data format")),
        }
    }

    /// Opens a blob made under the local key.
    pub fn open_local(&self, id: &str, blob: &[u8]) -> Result<String, ContactError> {
        open_under(self.local.as_ref(), id, blob)
    }
}

/// Opens a blob made under `key` (`None`: the kiosk no longer has that key).
fn open_under(key: Option<&LocalKey>, id: &str, blob: &[u8]) -> Result<String, ContactError> {
    let local = key.ok_or(ContactError::Open(
        "contact data kept under a local key this kiosk no longer has",
    ))?;
    if blob.len() < 1 + 24 || blob[0] != LOCAL {
        return Err(ContactError::Open("contact data is truncated"));
    }
    let mut nonce = [0u8; 24];
    nonce.copy_from_slice(&blob[1..25]);
    let plain = local
        .cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &blob[25..],
                aad: id.as_bytes(),
            },
        )
        .map_err(|_| ContactError::Open("contact data does not open with the local key"))?;
    String::from_utf8(plain).map_err(|_| ContactError::Open("contact data is not UTF-8"))
}

/// A key that never leaves memory (`None`: no randomness).
fn memory_key() -> Option<LocalKey> {
    let key = random::<32>().ok()?;
    Some(LocalKey {
        cipher: XChaCha20Poly1305::new(&key.into()),
        file: None,
    })
}

/// The fields JSON (an object of strings, as the ledger writes it; anything else becomes
/// no fields).
fn fields_of(fields: &str) -> usher_core::wire::Fields {
    serde_json::from_str(fields).unwrap_or_default()
}

fn load_key(file: &Path) -> Result<XChaCha20Poly1305, ContactError> {
    let err = |reason: String| ContactError::KeyFile {
        path: file.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(file).map_err(|e| err(e.to_string()))?;
    let mut key = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut key)
        .map_err(|_| err("expected 64 hex digits".into()))?;
    Ok(XChaCha20Poly1305::new(&key.into()))
}

fn create_key(file: &Path) -> Result<XChaCha20Poly1305, ContactError> {
    let key = random::<32>()?;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    match crate::private_file::write_new(file, format!("{}\n", hex::encode(key)).as_bytes(), 0o600)
    {
        Ok(()) => Ok(XChaCha20Poly1305::new(&key.into())),
        // Another connection made it first: use theirs.
        Err(_) if file.exists() => load_key(file),
        Err(e) => Err(ContactError::KeyFile {
            path: file.display().to_string(),
            reason: format!("{e:#}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organiser() -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(&[7; 32])
    }

    #[test]
    fn an_enrolled_kiosk_without_a_key_file_keeps_roll_call_names_under_a_key_in_memory() {
        let dir = tempfile::tempdir().expect("tmp");
        let key_file = dir.path().join("usher.contact.key");
        let enrolled = Protection::sealed_to(&organiser().verifying_key(), &key_file);
        let blob = enrolled.seal_kiosk("roll-call:1", "Ada").expect("seal");
        assert_eq!(
            enrolled
                .clone()
                .open_kiosk("roll-call:1", &blob)
                .expect("open"),
            "Ada"
        );
        assert!(!key_file.exists(), "no key file made");
        // Another run (another key in memory) cannot open it, nor can the local key path.
        let next = Protection::sealed_to(&organiser().verifying_key(), &key_file);
        assert!(next.open_kiosk("roll-call:1", &blob).is_err());
        assert!(enrolled.open_local("roll-call:1", &blob).is_err());
        // A standalone kiosk uses its local key, so the names survive a restart.
        let local = Protection::local(&key_file).expect("local");
        let blob = local.seal_kiosk("roll-call:2", "Grace").expect("seal");
        let again = Protection::local(&key_file).expect("local");
        assert_eq!(
            again.open_kiosk("roll-call:2", &blob).expect("open"),
            "Grace"
        );
    }

    #[test]
    fn sealed_fields_open_only_with_the_organisers_private_key() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = Protection::sealed_to(
            &organiser().verifying_key(),
            &dir.path().join("k.contact.key"),
        );
        assert!(p.is_sealed());
        assert_eq!(p.describe(), "sealed to the organiser's key");
        let blob = p.seal("row-1", r#"{"s1":"Zoë"}"#).expect("seal");
        assert_eq!(blob[0], SEALED);
        assert!(!blob.windows(3).any(|w| w == "Zo".as_bytes()));
        // The kiosk itself cannot read it back.
        assert!(p.open_local("row-1", &blob).is_err());
        let WireContact::Sealed(sealed) = p.for_upload("row-1", &blob).expect("wire") else {
            panic!("not sealed")
        };
        // The organiser's X25519 secret, as libsodium's ed25519_sk_to_curve25519 makes it.
        let secret = crypto_box::SecretKey::from_bytes(organiser().to_scalar_bytes());
        let plain = secret.unseal(&sealed).expect("opens");
        let v: serde_json::Value = serde_json::from_slice(&plain).expect("json");
        assert_eq!(v["id"], "row-1");
        assert_eq!(v["fields"]["s1"], "Zoë");
        let other = crypto_box::SecretKey::from_bytes([9; 32]);
        assert!(other.unseal(&sealed).is_err());
        assert!(
            !dir.path().join("k.contact.key").exists(),
            "no local key made"
        );
    }

    #[test]
    fn a_local_key_is_made_once_0600_and_binds_each_blob_to_its_row() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = Protection::key_file_for(&dir.path().join("usher.db"));
        assert_eq!(file, dir.path().join("usher.contact.key"));
        let p = Protection::local(&file).expect("local");
        assert!(
            p.describe().contains("usher.contact.key"),
            "{}",
            p.describe()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let blob = p.seal("row-1", r#"{"s2":"+44 20"}"#).expect("seal");
        assert_eq!(blob[0], LOCAL);
        // A second open (another connection, a restart) reads the same key.
        let again = Protection::local(&file).expect("again");
        assert_eq!(
            again.for_upload("row-1", &blob).expect("open"),
            WireContact::Fields(r#"{"s2":"+44 20"}"#.into())
        );
        assert!(again.open_local("row-2", &blob).is_err(), "bound to its id");
        assert!(
            Protection::ephemeral()
                .expect("eph")
                .open_local("row-1", &blob)
                .is_err()
        );
        assert_eq!(
            format!("{:?}", WireContact::Fields("x".into())),
            "Fields(***)"
        );
    }

    #[test]
    fn settings_choose_sealed_when_enrolled_else_the_local_key_and_memory_for_memory() {
        let dir = tempfile::tempdir().expect("tmp");
        let pem = usher_core::scheme::public_key_pem(&organiser().verifying_key()).expect("pem");
        std::fs::write(dir.path().join("org.pub"), pem).expect("w");
        let load = |extra: &str| {
            let file = dir.path().join("settings.xml");
            std::fs::write(
                &file,
                format!("<settings><publicKeyFile>org.pub</publicKeyFile>{extra}</settings>"),
            )
            .expect("w");
            crate::settings::Settings::load(&file).expect("settings")
        };
        let ledger = dir.path().join("usher.db");
        let standalone = load("");
        let p = Protection::for_settings(&standalone, &ledger).expect("p");
        assert!(!p.is_sealed());
        assert!(dir.path().join("usher.contact.key").exists());
        let p = Protection::for_settings(&standalone, Path::new(":memory:")).expect("p");
        assert_eq!(p.describe(), "kept under a key held in memory only");
        let enrolled = load("<serverUrl>https://x</serverUrl><deviceToken>t</deviceToken>");
        let p = Protection::for_settings(&enrolled, &ledger).expect("p");
        assert!(p.is_sealed());
        // The old local key stays loaded, to re-seal what the kiosk wrote before enrolment.
        assert_eq!(
            p.key_file(),
            Some(dir.path().join("usher.contact.key").as_path())
        );
    }

    #[test]
    fn a_malformed_key_file_is_an_error_naming_it_and_is_not_replaced() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("usher.contact.key");
        std::fs::write(&file, "not hex").expect("w");
        let e = Protection::local(&file).expect_err("malformed").to_string();
        assert!(
            e.contains("usher.contact.key") && e.contains("64 hex"),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&file).expect("r"), "not hex");
    }
}
