//! Key files: making them (`usher keygen`) and reading a signer from one (`usher issue`).

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use usher_core::scheme::{key_pair_pem, signing_key_from_pem};
use usher_core::{Scheme, Secret, Signer};

use crate::private_file::write_new;
use crate::random;

/// The three files `usher keygen --out FILE` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFiles {
    /// Ed25519 private key, PEM (PKCS#8), mode 0600: for issuing.
    pub private: PathBuf,
    /// Ed25519 public key, PEM (SubjectPublicKeyInfo): for kiosks' `<publicKeyFile>`.
    pub public: PathBuf,
    /// 32 random bytes as 64 hex digits, mode 0600: for `<qrCodeAuthPassword>` (SHA-1/HMAC venues).
    pub secret: PathBuf,
}

impl KeyFiles {
    /// The file names for `--out FILE`: `FILE`, `FILE.pub`, `FILE.secret`.
    pub fn for_out(out: &Path) -> Self {
        let with = |ext: &str| {
            let mut s = out.as_os_str().to_owned();
            s.push(ext);
            PathBuf::from(s)
        };
        KeyFiles {
            private: out.to_owned(),
            public: with(".pub"),
            secret: with(".secret"),
        }
    }
}

/// Makes a fresh Ed25519 key pair and a shared secret in the files of [`KeyFiles::for_out`].
pub fn keygen(out: &Path) -> anyhow::Result<KeyFiles> {
    let files = KeyFiles::for_out(out);
    for path in [&files.private, &files.public, &files.secret] {
        if path.exists() {
            bail!(
                "{} exists already; keygen never overwrites a key",
                path.display()
            );
        }
    }
    let (private, public) = key_pair_pem(&random::bytes::<32>()?)?;
    let secret = hex::encode(random::bytes::<32>()?);
    write_new(&files.private, private.expose(), 0o600)?;
    write_new(&files.public, public.as_bytes(), 0o644)?;
    write_new(&files.secret, format!("{secret}\n").as_bytes(), 0o600)?;
    Ok(files)
}

/// A signer from a key file: a PEM private key (Ed25519) or a shared secret (SHA-1/HMAC).
pub fn signer_from_file(path: &Path, scheme: Option<Scheme>) -> anyhow::Result<Signer> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read key file {}", path.display()))?;
    let is_pem = text.trim_start().starts_with("-----BEGIN");
    match (is_pem, scheme) {
        (true, None | Some(Scheme::Ed25519)) => {
            let key = signing_key_from_pem(&text).with_context(|| format!("{}", path.display()))?;
            Ok(Signer::Ed25519(key))
        }
        (true, Some(s)) => bail!(
            "{} is a PEM private key, which signs ed25519, not {s}",
            path.display()
        ),
        (false, Some(Scheme::Ed25519)) => {
            bail!(
                "{} is not a PEM private key; ed25519 needs one (usher keygen writes it)",
                path.display()
            )
        }
        (false, scheme) => {
            let secret = text.trim();
            if secret.is_empty() {
                bail!("{} is empty", path.display());
            }
            signer_from_password(Secret::from(secret), scheme)
        }
    }
}

/// A signer from a shared password; the scheme defaults to HMAC-SHA256.
pub fn signer_from_password(password: Secret, scheme: Option<Scheme>) -> anyhow::Result<Signer> {
    if password.is_empty() {
        bail!("the password is empty");
    }
    match scheme.unwrap_or(Scheme::HmacSha256) {
        Scheme::Sha1 => Ok(Signer::Sha1(password)),
        Scheme::HmacSha256 => Ok(Signer::HmacSha256(password)),
        Scheme::Ed25519 => bail!("ed25519 signs with a private key (--key-file), not a password"),
    }
}

/// A fresh 96-bit pass nonce.
pub fn nonce() -> anyhow::Result<[u8; 12]> {
    Ok(random::bytes::<12>()?)
}
