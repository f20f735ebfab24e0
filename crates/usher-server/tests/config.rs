//! The settings: the example file documents every setting and parses, layers stack as file <
//! environment < flags, `check-config` names the line, `--version` answers.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use usher_server::settings::ServerSettings;

const EXAMPLE: &str = include_str!("../usher-server.example.toml");

mod common;

use common::server_bin as bin;

fn check_config(file: &Path) -> std::process::Output {
    bin()
        .args(["check-config", "--config"])
        .arg(file)
        .output()
        .unwrap()
}

/// The setting names, from the struct that clap and serde read.
fn setting_names() -> Vec<String> {
    use clap::Args as _;
    ServerSettings::augment_args(clap::Command::new("t"))
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect()
}

#[test]
fn the_example_file_documents_every_setting_and_parses() {
    let names = setting_names();
    assert!(names.len() >= 12, "{names:?}");
    let lines: Vec<&str> = EXAMPLE.lines().collect();
    for name in &names {
        let at = lines
            .iter()
            .position(|l| {
                let l = l.trim_start_matches("# ");
                l.split_once('=').is_some_and(|(k, _)| k.trim() == name)
            })
            .unwrap_or_else(|| panic!("{name} is not in usher-server.example.toml"));
        assert!(
            at > 0 && lines[at - 1].starts_with("# ") && lines[at - 1].len() > 10,
            "{name} has no comment above it"
        );
    }
    // As shipped (commented keys stay unset) it gives the defaults.
    let shipped = ServerSettings::parse(EXAMPLE, "example").unwrap();
    let defaults = ServerSettings::default();
    assert_eq!(shipped.data_dir(), defaults.data_dir());
    assert_eq!(shipped.listen(), defaults.listen());
    assert_eq!(shipped.db_url(), defaults.db_url());
    assert_eq!(shipped.limits(), defaults.limits());
    let (a, b) = (shipped.config().unwrap(), defaults.config().unwrap());
    assert_eq!(
        (
            a.venue_name,
            a.retention_days,
            a.stay_minutes,
            a.form_per_minute
        ),
        (
            b.venue_name,
            b.retention_days,
            b.stay_minutes,
            b.form_per_minute
        )
    );
    // With every commented key switched on it still parses, and sets them.
    let all: String = EXAMPLE
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if names.iter().any(|n| rest.starts_with(&format!("{n} ="))) => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let all = ServerSettings::parse(&all, "example").unwrap();
    assert!(all.db.is_some() && all.public_url.is_some());
}

fn init(dir: &Path, config: &Path, env: Option<&Path>, flag: Option<&Path>) {
    let mut c = bin();
    c.arg("--config").arg(config);
    if let Some(e) = env {
        c.env("USHER_DATA_DIR", e);
    }
    if let Some(f) = flag {
        c.arg("--data-dir").arg(f);
    }
    common::succeeded(
        &c.current_dir(dir)
            .args(["init", "--name", "Ada", "--email", "ada@example.org"])
            .output()
            .unwrap(),
    );
}

#[test]
fn flags_win_over_the_environment_which_wins_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (file_dir, env_dir, flag_dir) = (
        dir.path().join("from-file"),
        dir.path().join("from-env"),
        dir.path().join("from-flag"),
    );
    let config = dir.path().join("usher-server.toml");
    std::fs::write(
        &config,
        format!("data_dir = \"{}\"\nvenue = \"Hall\"\n", file_dir.display()),
    )
    .unwrap();
    let has_keys = |d: &Path| d.join("organiser.pem").exists();
    init(dir.path(), &config, Some(&env_dir), Some(&flag_dir));
    assert!(has_keys(&flag_dir) && !has_keys(&env_dir) && !has_keys(&file_dir));
    init(dir.path(), &config, Some(&env_dir), None);
    assert!(has_keys(&env_dir) && !has_keys(&file_dir));
    init(dir.path(), &config, None, None);
    assert!(has_keys(&file_dir));
}

#[test]
fn check_config_names_the_line_and_key_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "venue = \"Hall\"\n# note\nretention_days = 0\n").unwrap();
    let out = check_config(&bad);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim_end(),
        format!(
            "usher-server: {}:3: retention_days: must be a whole number from 1 to 3650",
            bad.display()
        )
    );

    std::fs::write(&bad, "venue = \"Hall\"\nlisten_on = \"0.0.0.0:80\"\n").unwrap();
    let out = check_config(&bad);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.toml:2: listen_on: unknown field `listen_on`"),
        "{err}"
    );

    // The server itself refuses to start on it, with the same line.
    let out = bin().arg("--config").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml:2: listen_on:"));

    let good = dir.path().join("good.toml");
    std::fs::write(&good, EXAMPLE).unwrap();
    let out = check_config(&good);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        format!("{}: ok", good.display())
    );
}

#[test]
fn a_bad_environment_value_is_refused_naming_the_variable() {
    let out = bin()
        .env("USHER_RETENTION_DAYS", "0")
        .arg("--data-dir")
        .arg("/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--retention-days"), "{err}");
}

#[test]
fn version_prints_the_package_version() {
    let out = bin().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        format!("usher-server {}", env!("CARGO_PKG_VERSION"))
    );
}
