//! The data directory and what lives in it outside the database: the organiser's Ed25519 key
//! pair, the contact and blind-index keys, the logo; the server's configuration; and `init`
//! (schema, first admin, one-time recovery code).

use crate::clock::Clock;
use crate::crypto::{self, CONTACT_KEY_FILE, INDEX_KEY_FILE, Vault};
use crate::store::{Store, StoreError};
use ed25519_dalek::SigningKey;
use std::fmt;
use std::path::{Path, PathBuf};
use usher_core::Secret;
use usher_core::scheme::{KeyError, key_pair_pem, signing_key_from_pem};

/// The organiser's private key (PKCS#8 PEM, mode 0600).
pub const PRIVATE_KEY_FILE: &str = "organiser.pem";
/// The organiser's public key (SubjectPublicKeyInfo PEM), for kiosks' `publicKeyFile`.
pub const PUBLIC_KEY_FILE: &str = "organiser.pub.pem";
/// The venue's logo drawn on passes; replace the file to change it.
pub const LOGO_FILE: &str = "logo.png";
/// The default SQLite database file.
pub const DB_FILE: &str = "usher.db";
/// How long a recovery code stays valid.
pub const RECOVERY_CODE_SECONDS: i64 = 24 * 3600;

/// Why setting up failed.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A key file is bad.
    #[error(transparent)]
    Crypto(#[from] crypto::CryptoError),
    /// The organiser key is bad.
    #[error("{path}: {source}")]
    Key {
        /// The file.
        path: String,
        /// The error.
        source: KeyError,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bad argument.
    #[error("{0}")]
    Invalid(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> SetupError + '_ {
    move |source| SetupError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The keys the server holds: never in the database.
#[derive(Clone)]
pub struct ServerKeys {
    /// The organiser's signing key (mints passes).
    pub signing: SigningKey,
    /// The organiser's public key as PEM.
    pub public_pem: String,
    /// Contact sealing and blind indexes.
    pub vault: Vault,
    /// Opens what kiosks sealed to the organiser's key.
    pub unsealer: crypto::Unsealer,
}

impl fmt::Debug for ServerKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerKeys(***)")
    }
}

impl ServerKeys {
    /// Fresh random keys held only in memory (tests, benchmarks).
    pub fn ephemeral() -> Result<Self, SetupError> {
        let mut seed = [0u8; 32];
        crypto::random_bytes(&mut seed)?;
        let (_, public_pem) = key_pair_pem(&seed).map_err(|source| SetupError::Key {
            path: "(memory)".into(),
            source,
        })?;
        let signing = SigningKey::from_bytes(&seed);
        Ok(ServerKeys {
            unsealer: crypto::Unsealer::new(&signing),
            signing,
            public_pem,
            vault: Vault::random()?,
        })
    }

    /// Reads the keys from the data directory.
    pub fn load(dir: &Path) -> Result<Self, SetupError> {
        let path = dir.join(PRIVATE_KEY_FILE);
        let pem = std::fs::read_to_string(&path).map_err(io_err(&path))?;
        let signing = signing_key_from_pem(&pem).map_err(|source| SetupError::Key {
            path: path.display().to_string(),
            source,
        })?;
        let path = dir.join(PUBLIC_KEY_FILE);
        let public_pem = std::fs::read_to_string(&path).map_err(io_err(&path))?;
        Ok(ServerKeys {
            unsealer: crypto::Unsealer::new(&signing),
            signing,
            public_pem,
            vault: Vault::load(dir)?,
        })
    }

    /// Creates whichever key files are missing in `dir` (never overwrites one), then loads.
    pub fn create_missing(dir: &Path) -> Result<Self, SetupError> {
        create_data_dir(dir)?;
        let private = dir.join(PRIVATE_KEY_FILE);
        if !private.exists() {
            let mut seed = [0u8; 32];
            crypto::random_bytes(&mut seed)?;
            let (private_pem, public_pem) =
                key_pair_pem(&seed).map_err(|source| SetupError::Key {
                    path: private.display().to_string(),
                    source,
                })?;
            crypto::write_private(&private, private_pem.expose()).map_err(io_err(&private))?;
            let public = dir.join(PUBLIC_KEY_FILE);
            std::fs::write(&public, public_pem).map_err(io_err(&public))?;
        }
        for name in [CONTACT_KEY_FILE, INDEX_KEY_FILE] {
            let path = dir.join(name);
            if !path.exists() {
                crypto::write_new_key(&path)?;
            }
        }
        Self::load(dir)
    }

    /// The raw 32-byte public key.
    pub fn public_raw(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }
}

/// How costly password hashing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCost {
    /// Argon2id with the crate's defaults (19 MiB, 2 passes): production.
    Standard,
    /// Argon2id with tiny parameters: tests only.
    Fast,
}

/// The server's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The venue's name, shown on pages.
    pub venue_name: String,
    /// The URL kiosks reach the server at (goes into enrolment codes).
    pub public_url: String,
    /// The base URL of minted passes.
    pub pass_base_url: String,
    /// How long a pass from the form stays valid, in days.
    pub pass_valid_days: u64,
    /// How long sign-ins are kept, in days.
    pub retention_days: i64,
    /// The assumed length of a stay, in minutes (for "who was here").
    pub stay_minutes: i64,
    /// Mark cookies `Secure` (the server is reached over HTTPS).
    pub secure_cookies: bool,
    /// The data directory (keys, logo, default database).
    pub data_dir: PathBuf,
    /// Where fonts for names on passes are looked for.
    pub font_dir: PathBuf,
    /// Form submissions allowed per address per minute.
    pub form_per_minute: u32,
    /// Login attempts allowed per address per minute.
    pub login_per_minute: u32,
    /// Password hashing cost.
    pub password_cost: PasswordCost,
    /// Argon2 checks (logins, passwords set) run at once at most; the rest wait up to
    /// [`crate::auth::PASSWORD_WAIT`] and are then answered 429.
    pub password_checks: usize,
    /// Take the client's address from `X-Forwarded-For` (only behind a reverse proxy that
    /// sets it; otherwise clients could pick their own address and dodge rate limits).
    pub trust_forwarded_for: bool,
    /// The door: entrances, capacities, stay window, lease life ([`crate::presence`]).
    pub door: crate::presence::DoorSettings,
    /// The entrances the old app's `morf` names: `M`, then `F` (DESIGN §10).
    pub app_entrances: [String; 2],
    // ---- the door's pages (DESIGN §8) ----
    /// The largest party one pass from the visitor form may admit (`p`, 1 to 20).
    pub largest_party: usher_core::stay::PartySize,
}

impl Config {
    /// The defaults for a data directory.
    pub fn new(data_dir: PathBuf) -> Self {
        Config {
            venue_name: "Usher".into(),
            public_url: "http://127.0.0.1:8080".into(),
            pass_base_url: usher_core::issue::DEFAULT_BASE_URL.into(),
            pass_valid_days: 365,
            retention_days: 21,
            stay_minutes: 60,
            secure_cookies: false,
            data_dir,
            font_dir: PathBuf::from("/usr/share/fonts"),
            form_per_minute: 10,
            login_per_minute: 5,
            password_cost: PasswordCost::Standard,
            password_checks: 2,
            trust_forwarded_for: false,
            door: crate::presence::DoorSettings::default(),
            app_entrances: ["brothers".into(), "sisters".into()],
            largest_party: usher_core::stay::PartySize::new(6).unwrap_or_default(),
        }
    }
}

/// Creates the data directory (and missing parents) with mode 0700, readable by the server's
/// user only; an existing directory is left as it is.
pub fn create_data_dir(dir: &Path) -> Result<(), SetupError> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        b.mode(0o700);
    }
    b.create(dir).map_err(io_err(dir))
}

/// The database URL used when none is given: an SQLite file in the data directory.
pub fn default_db_url(data_dir: &Path) -> String {
    format!("sqlite:{}", data_dir.join(DB_FILE).display())
}

/// A recovery code: 128 random bits as 8 groups of 4 hex digits.
pub fn new_recovery_code() -> Result<String, SetupError> {
    let mut b = [0u8; 16];
    crypto::random_bytes(&mut b)?;
    let hex = hex::encode(b);
    Ok(hex
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-"))
}

/// The hash under which a recovery code is stored (dashes, spaces and case ignored).
pub fn recovery_code_hash(code: &str) -> Vec<u8> {
    let norm: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    crypto::token_hash(&norm)
}

/// What `init` did.
#[derive(Debug)]
pub struct InitOutcome {
    /// Whether the admin was created (false: it existed and got a new code).
    pub created: bool,
    /// The one-time recovery code (shown once, never stored in clear).
    pub recovery_code: Secret,
}

/// `usher-server init`: keys made if missing, schema migrated (by [`Store::connect`]), the
/// admin created (or, if one has this e-mail, given a new code), and a recovery code issued.
pub async fn init(
    store: &Store,
    data_dir: &Path,
    name: &str,
    email: &str,
    clock: &dyn Clock,
) -> Result<InitOutcome, SetupError> {
    let name = name.trim();
    let email = email.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(SetupError::Invalid(
            "--name must be 1 to 100 printable characters".into(),
        ));
    }
    if !email.contains('@') || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err(SetupError::Invalid(format!(
            "--email is not an e-mail address: {email:?}"
        )));
    }
    ServerKeys::create_missing(data_dir)?;
    let now = clock.now();
    let (admin_id, created) = match store.admin_by_email(email).await? {
        Some(a) => (a.id, false),
        None => (store.create_admin(name, email, now).await?, true),
    };
    let code = new_recovery_code()?;
    store
        .create_recovery_code(
            &recovery_code_hash(&code),
            admin_id,
            now + RECOVERY_CODE_SECONDS,
        )
        .await?;
    store
        .audit(
            now,
            Some(admin_id),
            "init",
            if created {
                "admin created, recovery code issued"
            } else {
                "recovery code issued"
            },
        )
        .await?;
    Ok(InitOutcome {
        created,
        recovery_code: Secret::from(code),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_made_once_private_ones_0600() {
        let dir = tempfile::tempdir().expect("tempdir");
        let k1 = ServerKeys::create_missing(dir.path()).expect("create");
        let k2 = ServerKeys::create_missing(dir.path()).expect("again");
        assert_eq!(k1.public_raw(), k2.public_raw());
        #[cfg(unix)]
        for f in [PRIVATE_KEY_FILE, CONTACT_KEY_FILE, INDEX_KEY_FILE] {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join(f))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
        assert!(k1.public_pem.contains("BEGIN PUBLIC KEY"));
    }

    #[test]
    fn recovery_codes_normalise() {
        let c = new_recovery_code().expect("code");
        assert_eq!(c.len(), 39);
        assert_eq!(
            recovery_code_hash(&c),
            recovery_code_hash(&c.replace('-', " ").to_uppercase())
        );
    }
}
