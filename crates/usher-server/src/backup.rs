//! `usher-server backup FILE` and `restore FILE`: the database (an SQLite snapshot by `VACUUM
//! INTO`, or `pg_dump` of the server's schema) and the data directory's key files in one
//! gzip'd tar archive, written 0600. Without `contact.key` the contact data in the database
//! cannot be read, so they travel together.

use crate::crypto::{CONTACT_KEY_FILE, INDEX_KEY_FILE};
use crate::setup::{self, LOGO_FILE, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE};
use crate::store::{Store, StoreError, redact_url, sqlite_file};
use serde::{Deserialize, Serialize};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The archive's first entry: what it holds.
pub const MANIFEST: &str = "usher-backup.json";
/// The SQLite snapshot inside the archive.
const SQLITE_ENTRY: &str = "database/usher.db";
/// The `pg_dump` output inside the archive.
const PG_ENTRY: &str = "database/usher.sql";
/// The archive's format.
const FORMAT: u32 = 1;
/// The data directory's files a backup carries (those that exist; the private ones 0600).
const KEY_FILES: [(&str, bool); 5] = [
    (PRIVATE_KEY_FILE, true),
    (PUBLIC_KEY_FILE, false),
    (CONTACT_KEY_FILE, true),
    (INDEX_KEY_FILE, true),
    (LOGO_FILE, false),
];

/// Why a backup or restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `pg_dump` or `psql` failed or is missing.
    #[error("{tool}: {message}")]
    Tool {
        /// The program.
        tool: &'static str,
        /// What went wrong (its last line of standard error).
        message: String,
    },
    /// The archive is not a backup this server can restore, or the target is not empty.
    #[error("{0}")]
    Refused(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The archive's manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The archive format (1).
    pub format: u32,
    /// The server version that wrote it.
    pub server_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// When it was made, Unix seconds.
    pub created_at: i64,
    /// The data directory's files in it.
    pub files: Vec<String>,
}

/// Writes a backup of `store` (reached at `db_url`) and `data_dir`'s key files to `out`,
/// replacing it atomically (a temporary file beside it, mode 0600, renamed when complete).
pub async fn backup(
    store: &Store,
    db_url: &str,
    data_dir: &Path,
    out: &Path,
    now: i64,
) -> Result<Manifest, BackupError> {
    let work = tempfile::Builder::new()
        .prefix(".usher-backup")
        .tempdir_in(parent(out))
        .map_err(io_err(out))?;
    let (backend, db_file, entry) = if let Some(schema) = store.pg_schema().await? {
        let dump = work.path().join("usher.sql");
        pg_dump(db_url, &schema, &dump)?;
        ("postgres", dump, PG_ENTRY)
    } else {
        let snap = work.path().join("usher.db");
        store.sqlite_snapshot(&snap).await?;
        ("sqlite", snap, SQLITE_ENTRY)
    };
    let files: Vec<String> = KEY_FILES
        .iter()
        .filter(|(name, _)| data_dir.join(name).exists())
        .map(|(name, _)| (*name).to_owned())
        .collect();
    for required in [PRIVATE_KEY_FILE, CONTACT_KEY_FILE, INDEX_KEY_FILE] {
        if !files.iter().any(|f| f == required) {
            return Err(BackupError::Refused(format!(
                "{}: missing; a backup without it could not be restored",
                data_dir.join(required).display()
            )));
        }
    }
    let manifest = Manifest {
        format: FORMAT,
        server_version: env!("CARGO_PKG_VERSION").into(),
        backend: backend.into(),
        created_at: now,
        files,
    };
    let tmp = work.path().join("archive.tar.gz");
    {
        let file = private_file(&tmp)?;
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| BackupError::Refused(format!("manifest: {e}")))?;
        append(&mut tar, MANIFEST, &json, 0o600, now).map_err(io_err(&tmp))?;
        for (name, private) in KEY_FILES {
            if manifest.files.iter().any(|f| f == name) {
                let path = data_dir.join(name);
                let bytes = std::fs::read(&path).map_err(io_err(&path))?;
                let mode = if private { 0o600 } else { 0o644 };
                append(&mut tar, &format!("keys/{name}"), &bytes, mode, now)
                    .map_err(io_err(&tmp))?;
            }
        }
        let mut db = std::fs::File::open(&db_file).map_err(io_err(&db_file))?;
        let mut header = header(db.metadata().map_err(io_err(&db_file))?.len(), 0o600, now);
        tar.append_data(&mut header, entry, &mut db)
            .map_err(io_err(&tmp))?;
        let gz = tar.into_inner().map_err(io_err(&tmp))?;
        let file = gz.finish().map_err(io_err(&tmp))?;
        file.sync_all().map_err(io_err(&tmp))?;
    }
    std::fs::rename(&tmp, out).map_err(io_err(out))?;
    Ok(manifest)
}

/// Restores a backup into an empty target: `data_dir` without key files, and a database
/// without the server's tables (an SQLite file that does not exist yet, or a PostgreSQL
/// schema without them). The schema is then migrated to this version.
pub async fn restore(
    archive: &Path,
    db_url: &str,
    data_dir: &Path,
) -> Result<Manifest, BackupError> {
    let pg = db_url.starts_with("postgres://") || db_url.starts_with("postgresql://");
    for (name, _) in KEY_FILES {
        let p = data_dir.join(name);
        if p.exists() {
            return Err(BackupError::Refused(format!(
                "{}: exists; restore only into a data directory without keys (move it away first)",
                p.display()
            )));
        }
    }
    let sqlite_path = sqlite_file(db_url);
    if let Some(p) = &sqlite_path
        && p.exists()
    {
        return Err(BackupError::Refused(format!(
            "{}: exists; restore only into a new database file (move it away first)",
            p.display()
        )));
    }
    if pg && Store::pg_has_tables(db_url).await? {
        return Err(BackupError::Refused(format!(
            "{}: the server's tables exist; restore only into an empty database",
            redact_url(db_url)
        )));
    }
    let file = std::fs::File::open(archive).map_err(io_err(archive))?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut entries = tar.entries().map_err(io_err(archive))?;
    let manifest: Manifest = {
        let mut first = entries
            .next()
            .ok_or_else(|| BackupError::Refused("the archive is empty".into()))?
            .map_err(io_err(archive))?;
        let path = first.path().map_err(io_err(archive))?.into_owned();
        if path != Path::new(MANIFEST) {
            return Err(BackupError::Refused(format!(
                "{}: not an usher-server backup (no {MANIFEST} first)",
                archive.display()
            )));
        }
        let mut json = Vec::new();
        first.read_to_end(&mut json).map_err(io_err(archive))?;
        serde_json::from_slice(&json)
            .map_err(|e| BackupError::Refused(format!("{MANIFEST}: {e}")))?
    };
    if manifest.format != FORMAT {
        return Err(BackupError::Refused(format!(
            "backup format {} is not {FORMAT}",
            manifest.format
        )));
    }
    match (manifest.backend.as_str(), pg) {
        ("postgres", true) | ("sqlite", false) => {}
        (b, _) => {
            return Err(BackupError::Refused(format!(
                "the backup is of a {b} database and the target {} is not",
                redact_url(db_url)
            )));
        }
    }
    setup::create_data_dir(data_dir).map_err(|e| BackupError::Refused(e.to_string()))?;
    let mut restored_db = false;
    for entry in entries {
        let mut entry = entry.map_err(io_err(archive))?;
        let path = entry.path().map_err(io_err(archive))?.into_owned();
        let name = path.to_string_lossy().into_owned();
        if let Some(key) = name.strip_prefix("keys/") {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(io_err(archive))?;
            let Some((file, private)) = KEY_FILES.iter().find(|(f, _)| *f == key) else {
                return Err(BackupError::Refused(format!("unexpected entry {name}")));
            };
            let dest = data_dir.join(file);
            let mut f = if *private {
                private_file(&dest)?
            } else {
                std::fs::File::create_new(&dest).map_err(io_err(&dest))?
            };
            f.write_all(&bytes).map_err(io_err(&dest))?;
            f.sync_all().map_err(io_err(&dest))?;
        } else if name == SQLITE_ENTRY {
            let dest = sqlite_path
                .clone()
                .ok_or_else(|| BackupError::Refused("no SQLite file to restore into".into()))?;
            let tmp = dest.with_extension("restoring");
            let mut f = private_file(&tmp)?;
            std::io::copy(&mut entry, &mut f).map_err(io_err(&tmp))?;
            f.sync_all().map_err(io_err(&tmp))?;
            std::fs::rename(&tmp, &dest).map_err(io_err(&dest))?;
            restored_db = true;
        } else if name == PG_ENTRY {
            psql(db_url, &mut entry)?;
            restored_db = true;
        } else {
            return Err(BackupError::Refused(format!("unexpected entry {name}")));
        }
    }
    if !restored_db {
        return Err(BackupError::Refused("the archive holds no database".into()));
    }
    // Migrates a backup from an older server to this one's schema.
    Store::connect(db_url).await?.close().await;
    Ok(manifest)
}

fn parent(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A new file, mode 0600 from the start.
fn private_file(path: &Path) -> Result<std::fs::File, BackupError> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    o.open(path).map_err(io_err(path))
}

fn header(size: u64, mode: u32, now: i64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(mode);
    h.set_mtime(u64::try_from(now).unwrap_or(0));
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    h
}

fn append<W: std::io::Write>(
    tar: &mut tar::Builder<W>,
    name: &str,
    bytes: &[u8],
    mode: u32,
    now: i64,
) -> std::io::Result<()> {
    let mut h = header(bytes.len() as u64, mode, now);
    tar.append_data(&mut h, name, bytes)
}

/// A PostgreSQL URL without its password, and the password (percent-decoded), so the password
/// reaches `pg_dump`/`psql` through `PGPASSWORD` rather than their command line (`ps`).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_owned(), None);
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_owned(), None);
    };
    // Percent-decoding only: a `+` in a URL's password is a plus.
    let decoded = usher_core::form::decode(&password.replace('+', "%2B"));
    (
        format!("{scheme}://{user}@{host}{tail}"),
        Some(String::from_utf8_lossy(&decoded.bytes).into_owned()),
    )
}

fn pg_command(tool: &'static str, url: &str) -> Command {
    let (url, password) = split_password(url);
    let mut c = Command::new(tool);
    c.arg("--dbname").arg(url);
    if let Some(p) = password {
        c.env("PGPASSWORD", p);
    }
    c
}

fn tool_failed(tool: &'static str, stderr: &[u8]) -> BackupError {
    let text = String::from_utf8_lossy(stderr);
    BackupError::Tool {
        tool,
        message: text
            .lines()
            .rfind(|l| !l.trim().is_empty())
            .unwrap_or("failed")
            .to_owned(),
    }
}

fn spawn_failed(tool: &'static str) -> impl FnOnce(std::io::Error) -> BackupError {
    move |e| BackupError::Tool {
        tool,
        message: format!("cannot run it ({e}); install postgresql-client"),
    }
}

/// `pg_dump` of `schema` (plain SQL, no owners or grants, so it restores under another role).
fn pg_dump(url: &str, schema: &str, out: &Path) -> Result<(), BackupError> {
    let o = pg_command("pg_dump", url)
        .args([
            "--format=plain",
            "--no-owner",
            "--no-privileges",
            "--schema",
        ])
        .arg(schema)
        .arg("--file")
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .map_err(spawn_failed("pg_dump"))?;
    if !o.status.success() {
        return Err(tool_failed("pg_dump", &o.stderr));
    }
    Ok(())
}

/// Runs a dump through `psql` in one transaction, stopping at the first error.
fn psql(url: &str, sql: &mut dyn std::io::Read) -> Result<(), BackupError> {
    let mut child = pg_command("psql", url)
        .args([
            "--quiet",
            "--no-psqlrc",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(spawn_failed("psql"))?;
    if let Some(mut stdin) = child.stdin.take() {
        std::io::copy(sql, &mut stdin).map_err(|e| BackupError::Tool {
            tool: "psql",
            message: e.to_string(),
        })?;
    }
    let o = child.wait_with_output().map_err(spawn_failed("psql"))?;
    if !o.status.success() {
        return Err(tool_failed("psql", &o.stderr));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_decoded() {
        assert_eq!(
            split_password("postgres://usher:p%40ss@db.local:5432/usher?sslmode=require"),
            (
                "postgres://usher@db.local:5432/usher?sslmode=require".to_owned(),
                Some("p@ss".to_owned())
            )
        );
        assert_eq!(
            split_password("postgres://usher@db/usher"),
            ("postgres://usher@db/usher".to_owned(), None)
        );
    }
}
