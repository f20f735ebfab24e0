//! Files that hold secrets or contact data (keys, settings with a password or token, the
//! ledger): created readable by their owner only, replaced atomically, and checked for being
//! readable by others.

use anyhow::Context as _;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::Path;

/// Creates `path`, which must not exist, with `mode` (on Unix).
fn create_new(path: &Path, mode: u32) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    options.open(path)
}

/// Writes `contents` to a new file (never overwriting) with the given mode, synced.
pub fn write_new(path: &Path, contents: &[u8], mode: u32) -> anyhow::Result<()> {
    let mut file =
        create_new(path, mode).with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

/// Replaces a file that holds secrets: written beside it (mode 0600, synced), then renamed
/// over it, so a crash leaves the old file or the new one, never half of either.
pub fn replace(path: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("xml.tmp");
    let _ = std::fs::remove_file(&tmp);
    write_new(&tmp, text.as_bytes(), 0o600)?;
    std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))
}

/// Creates `path` empty and 0600 when absent (SQLite then gives its `-wal` and `-shm` files
/// the same mode). Best effort: whoever opens the file next reports one it cannot open.
pub fn create_empty(path: &Path) {
    if path.as_os_str() != ":memory:" && !path.exists() {
        let _ = create_new(path, 0o600);
    }
}

/// Whether `path` exists and can be read by its group or by others (a file holding secrets
/// or contact data should be 0600).
pub fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o044 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
    }

    #[test]
    fn new_and_replaced_files_are_the_owners_alone_and_never_overwritten_by_write_new() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("settings.xml");
        write_new(&file, b"one", 0o600).expect("new");
        assert_eq!(mode(&file), 0o600);
        assert!(write_new(&file, b"two", 0o600).is_err());
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(readable_by_others(&file));
        replace(&file, "three").expect("replace");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), "three");
        assert_eq!(mode(&file), 0o600);
        assert!(!readable_by_others(&file));
        let db = dir.path().join("k.db");
        create_empty(&db);
        assert_eq!(mode(&db), 0o600);
    }
}
