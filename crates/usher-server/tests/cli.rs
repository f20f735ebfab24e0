//! The `usher-server` command line: `init` and bad arguments.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_usher-server"))
}

#[test]
fn init_makes_keys_schema_admin_and_a_recovery_code() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = bin()
        .arg("--data-dir")
        .arg(&data)
        .args(["init", "--name", "Ada", "--email", "ada@example.org"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Created admin Ada"));
    let code = text
        .lines()
        .find_map(|l| l.strip_prefix("One-time recovery code (valid 24 hours): "))
        .unwrap();
    assert_eq!(code.len(), 39);
    for f in ["organiser.pem", "contact.key", "index.key"] {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(data.join(f))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{f}");
    }
    assert!(data.join("organiser.pub.pem").exists());
    assert!(data.join("usher.db").exists());
    // the keys stay out of the database
    let db = std::fs::read(data.join("usher.db")).unwrap();
    let key = std::fs::read_to_string(data.join("contact.key")).unwrap();
    assert!(!db.windows(64).any(|w| w == key.trim().as_bytes()));
    assert!(!String::from_utf8_lossy(&db).contains(code));
    // again: same admin, a new code, keys kept
    let pem = std::fs::read(data.join("organiser.pem")).unwrap();
    let out = bin()
        .arg("--data-dir")
        .arg(&data)
        .args(["init", "--name", "Ada", "--email", "ada@example.org"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("issued a new recovery code"));
    assert_eq!(std::fs::read(data.join("organiser.pem")).unwrap(), pem);
}

fn one_line_failure(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(dir.path())
        .env("RUST_BACKTRACE", "1")
        .args(args)
        .output()
        .unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.starts_with("usher-server: "), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    err
}

#[test]
fn bad_arguments_give_one_line_and_a_failure_code() {
    one_line_failure(&["--bogus"]);
    one_line_failure(&["--listen", "not-an-address"]);
    one_line_failure(&["init", "--name", "Ada"]);
    one_line_failure(&["init", "--name", "Ada", "--email", "no-at-sign"]);
    let e = one_line_failure(&[
        "--db",
        "mysql://u:hunter2@h/db",
        "init",
        "--name",
        "A",
        "--email",
        "a@b.c",
    ]);
    assert!(!e.contains("hunter2"), "{e}");
    let e = one_line_failure(&["--data-dir", "nowhere"]);
    assert!(e.contains("init"), "{e}");
}

#[test]
fn keys_makes_the_missing_keys_and_schema_and_never_replaces_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let keys = || {
        let out = bin()
            .arg("--data-dir")
            .arg(&data)
            .arg("keys")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    keys();
    for f in [
        "organiser.pem",
        "organiser.pub.pem",
        "contact.key",
        "index.key",
        "usher.db",
    ] {
        assert!(data.join(f).exists(), "{f}");
    }
    let (pem, contact) = (
        std::fs::read(data.join("organiser.pem")).unwrap(),
        std::fs::read(data.join("contact.key")).unwrap(),
    );
    std::fs::remove_file(data.join("index.key")).unwrap();
    keys();
    assert_eq!(std::fs::read(data.join("organiser.pem")).unwrap(), pem);
    assert_eq!(std::fs::read(data.join("contact.key")).unwrap(), contact);
    assert!(data.join("index.key").exists());
}
