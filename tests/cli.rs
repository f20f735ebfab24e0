//! End-to-end tests of the built `usher` binary: issue → verify round trips in every scheme,
//! passes minted by independent implementations (PHP as Breeze's example runs it, Python's
//! `hmac`, OpenSSL's Ed25519), and one-line errors for bad input.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::{NOW, Venue, ledger_rows, stderr, stdout, usher};

fn verdict_names(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l.split('\t').next().unwrap_or_default())
        .collect()
}

#[test]
fn issue_then_verify_round_trips_in_every_scheme() {
    let venue = Venue::new();
    for key_args in [
        &["--key-file", "org.pem"][..],
        &["--key-file", "org.pem.secret", "--scheme", "hmac-sha256"][..],
        &["--key-file", "org.pem.secret", "--scheme", "sha1"][..],
    ] {
        let text = venue.issue(&[key_args, &["--name", "Ada Lovelace"]].concat());
        let (code, lines) = venue.verify(&[&text]);
        assert_eq!(
            (code, verdict_names(&lines)),
            (0, vec!["qr_accepted"]),
            "{key_args:?}"
        );
        let (code, lines) = venue.verify(&[&text]);
        assert_eq!(
            (code, verdict_names(&lines)),
            (1, vec!["qr_used"]),
            "{key_args:?}"
        );
        assert!(lines[0].contains("on door-1"), "{lines:?}");
    }
}

#[test]
fn verify_prints_one_line_per_text_and_reads_standard_input() {
    let venue = Venue::new();
    let a = venue.issue(&["--key-file", "org.pem"]);
    let b = venue.issue(&["--key-file", "org.pem", "--id", "door-2"]);
    let (code, lines) = venue.verify(&[&a, "not a pass", &b]);
    assert_eq!(code, 1);
    assert_eq!(
        verdict_names(&lines),
        ["qr_accepted", "qr_missing_parameters", "qr_not_authorized"]
    );

    let c = venue.issue(&["--key-file", "org.pem"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_usher"))
        .args([
            "verify",
            "--settings",
            "settings.xml",
            "--now",
            &NOW.to_string(),
            "-",
        ])
        .current_dir(venue.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    writeln!(child.stdin.take().expect("stdin"), "{c}\r\n\n{c}").expect("write");
    let o = child.wait_with_output().expect("wait");
    assert_eq!(
        verdict_names(&stdout(&o).lines().map(str::to_owned).collect::<Vec<_>>()),
        ["qr_accepted", "qr_used"]
    );
}

#[test]
fn now_and_device_id_override_clock_and_settings() {
    let venue = Venue::new();
    let text = venue.issue(&["--key-file", "org.pem", "--id", "door-9"]);
    let o = venue.run(&[
        "verify",
        "--settings",
        "settings.xml",
        "--now",
        "1900000001",
        "--device-id",
        "door-9",
        &text,
    ]);
    assert!(stdout(&o).starts_with("qr_expired\t"), "{}", stdout(&o));
    let o = venue.run(&[
        "verify",
        "--settings",
        "settings.xml",
        "--now",
        "1900000000",
        "--device-id",
        "door-9",
        &text,
    ]);
    assert!(stdout(&o).starts_with("qr_accepted\t"), "{}", stdout(&o));
    assert!(o.status.success());
}

#[test]
fn ledger_option_keeps_uses_apart() {
    let venue = Venue::new();
    let text = venue.issue(&["--key-file", "org.pem"]);
    for ledger in ["a.db", "b.db"] {
        let o = venue.run(&[
            "verify",
            "--settings",
            "settings.xml",
            "--ledger",
            ledger,
            &text,
        ]);
        assert!(
            stdout(&o).starts_with("qr_accepted"),
            "{ledger}: {}",
            stdout(&o)
        );
    }
    assert!(venue.path("a.db").exists() && venue.path("b.db").exists());
}

#[test]
fn png_holds_the_pass_text_at_error_correction_m() {
    let venue = Venue::new();
    let text = venue.issue(&[
        "--key-file",
        "org.pem",
        "--name",
        "Zoë",
        "--png",
        "pass.png",
    ]);
    let img = image::open(venue.path("pass.png")).expect("png").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        img.width() as usize,
        img.height() as usize,
        |x, y| img.get_pixel(x as u32, y as u32)[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (meta, content) = grids[0].decode().expect("decodes");
    assert_eq!(content, text);
    assert_eq!(meta.ecc_level, 0, "rqrr numbers EC level M as 0");
}

#[test]
fn names_in_any_script_go_through_unchanged() {
    let venue = Venue::new();
    for name in [
        "محمد علی",
        "فاطمہ بی بی",
        "Zoë Ångström-Ñúñez",
        "O'Brien & \"Sons\"",
    ] {
        let text = venue.issue(&["--key-file", "org.pem", "--name", name]);
        let j = text.split("&j=").nth(1).expect("j");
        let payload = usher_core::form::decode(j);
        let parsed = usher_core::payload::parse(&payload.bytes, true).expect("payload");
        assert_eq!(parsed.name(), Some(name));
        assert!(!String::from_utf8_lossy(&payload.bytes).contains(' ') || name.contains(' '));
    }
}

#[test]
fn two_passes_for_the_same_visitor_never_share_an_identity() {
    let venue = Venue::new();
    let a = venue.issue(&["--key-file", "org.pem", "--name", "Same", "--phone", "1"]);
    let b = venue.issue(&["--key-file", "org.pem", "--name", "Same", "--phone", "1"]);
    assert_ne!(a, b);
    let (code, lines) = venue.verify(&[&a, &b]);
    assert_eq!(
        (code, verdict_names(&lines)),
        (0, vec!["qr_accepted", "qr_accepted"])
    );
}

fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "{name} is not installed; run .ci/setup (it installs php-cli, python3 and openssl)"
    );
    Command::new(name)
}

fn run_tool(cmd: &mut Command) -> String {
    let o = cmd.output().expect("run tool");
    assert!(o.status.success(), "{cmd:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn passes_minted_by_php_as_breeze_example_runs_it_verify() {
    let venue = Venue::new();
    let secret = std::fs::read_to_string(venue.path("org.pem.secret")).expect("secret");
    // The Breeze example: json_encode, sha1(json . password), urlencode. PHP escapes "/" as
    // "\/" and non-ASCII as \uXXXX, and urlencode writes spaces as "+".
    let php = r#"
        [$_, $password, $scheme, $name, $expiry] = $argv;
        $json = json_encode(["s1" => $name, "s4" => "https://venue.example/a/b", "expiry" => intval($expiry)]);
        $auth = $scheme === "sha1" ? sha1($json . $password) : hash_hmac("sha256", $json, $password);
        echo "https://venue.example/checkin.php?event=7&auth=" . $auth . "&j=" . urlencode($json);
    "#;
    for scheme in ["sha1", "hmac-sha256"] {
        let name = format!("Renée Müller ({scheme})");
        let text =
            run_tool(tool("php").args(["-r", php, secret.trim(), scheme, &name, "1900000000"]));
        assert!(
            text.contains("%5Cu00e9") && text.contains("%5C%2F") && text.contains('+'),
            "{text}"
        );
        let (code, lines) = venue.verify(&[&text]);
        assert_eq!(
            (code, verdict_names(&lines)),
            (0, vec!["qr_accepted"]),
            "{scheme}: {text}"
        );
    }
    // The Breeze documentation's own vector, with the manual's password: verify warns but judges.
    venue.settings("<qrCodeAuthPassword>&lt;auth_password&gt;</qrCodeAuthPassword>");
    let text =
        run_tool(tool("php").args(["-r", php, "<auth_password>", "sha1", "Bo", "1900000000"]));
    let o = venue.run(&[
        "verify",
        "--settings",
        "settings.xml",
        "--now",
        &NOW.to_string(),
        &text,
    ]);
    assert!(stdout(&o).starts_with("qr_accepted\t"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("warning") && stderr(&o).contains("default"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn passes_minted_with_python_hmac_verify() {
    let venue = Venue::new();
    let secret = std::fs::read_to_string(venue.path("org.pem.secret")).expect("secret");
    // json.dumps' defaults: spaces after separators, non-ASCII as \uXXXX.
    let py = r#"
import hmac, hashlib, json, sys, urllib.parse
password, name = sys.argv[1], sys.argv[2]
payload = json.dumps({"s1": name, "s2": "+1 555 0100", "expiry": 1900000000, "id": "door-1"})
auth = hmac.new(password.encode(), payload.encode(), hashlib.sha256).hexdigest().upper()
print("https://venue.example/in?j=" + urllib.parse.quote_plus(payload) + "&auth=" + auth)
"#;
    let text = run_tool(tool("python3").args(["-c", py, secret.trim(), "Ali ابن سینا"]));
    let (code, lines) = venue.verify(&[text.trim()]);
    assert_eq!(
        (code, verdict_names(&lines)),
        (0, vec!["qr_accepted"]),
        "{text}"
    );
}

#[test]
fn openssl_ed25519_keys_and_signatures_verify() {
    let venue = Venue::new();
    let d = venue.dir.path();
    run_tool(tool("openssl").current_dir(d).args([
        "genpkey",
        "-algorithm",
        "ed25519",
        "-out",
        "ossl.pem",
    ]));
    run_tool(
        tool("openssl")
            .current_dir(d)
            .args(["pkey", "-in", "ossl.pem", "-pubout", "-out", "ossl.pub"]),
    );
    venue.settings("<publicKeyFile>ossl.pub</publicKeyFile>");

    // Signed by OpenSSL itself.
    let payload = r#"{"s1":"Openssl Signed","expiry":1900000000}"#;
    std::fs::write(venue.path("payload.json"), payload).expect("write");
    run_tool(tool("openssl").current_dir(d).args([
        "pkeyutl",
        "-sign",
        "-inkey",
        "ossl.pem",
        "-rawin",
        "-in",
        "payload.json",
        "-out",
        "sig.bin",
    ]));
    let sig = std::fs::read(venue.path("sig.bin")).expect("sig");
    use base64::Engine as _;
    let auth = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig);
    let text = format!(
        "https://v/?auth={auth}&j={}",
        usher_core::form::encode(payload.as_bytes())
    );
    // Minted by `usher issue` with the OpenSSL-made private key.
    let issued = venue.issue(&["--key-file", "ossl.pem"]);
    let (code, lines) = venue.verify(&[&text, &issued]);
    assert_eq!(
        (code, verdict_names(&lines)),
        (0, vec!["qr_accepted", "qr_accepted"])
    );
    // usher keygen's key is another key: not authorised here.
    let foreign = venue.issue(&["--key-file", "org.pem"]);
    assert_eq!(
        verdict_names(&venue.verify(&[&foreign]).1),
        ["qr_not_authorized"]
    );
}

#[test]
fn bad_input_ends_with_one_line_and_a_non_zero_exit() {
    let venue = Venue::new();
    std::fs::write(
        venue.path("broken.xml"),
        "<settings>\n<reusePolicy>sometimes</reusePolicy>\n</settings>",
    )
    .expect("write");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["issue", "--expiry", "1"], "--password"),
        (
            vec!["issue", "--password", "pw", "--valid-for", "soon"],
            "soon",
        ),
        (
            vec![
                "issue",
                "--password",
                "pw",
                "--expiry",
                "1",
                "--scheme",
                "md5",
            ],
            "md5",
        ),
        (
            vec![
                "issue",
                "--password",
                "pw",
                "--expiry",
                "1",
                "--scheme",
                "ed25519",
            ],
            "private key",
        ),
        (
            vec!["issue", "--key-file", "missing.pem", "--expiry", "1"],
            "missing.pem",
        ),
        (
            vec![
                "issue",
                "--key-file",
                "org.pem",
                "--scheme",
                "sha1",
                "--expiry",
                "1",
            ],
            "PEM",
        ),
        (
            vec![
                "issue",
                "--password",
                "pw",
                "--expiry",
                "1",
                "--name",
                "x",
                "--s1",
                "y",
            ],
            "--s1",
        ),
        (vec!["verify", "--settings", "nope.xml", "x"], "nope.xml"),
        (
            vec!["verify", "--settings", "broken.xml", "x"],
            "broken.xml:2: <reusePolicy>",
        ),
        (vec!["verify", "--settings", "settings.xml"], "TEXT"),
        (vec!["keygen", "--out", "org.pem"], "exists"),
        (vec!["frobnicate"], "frobnicate"),
    ];
    for (args, needle) in cases {
        let o = venue.run(&args);
        let err = stderr(&o);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn keygen_writes_private_files_readable_by_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let venue = Venue::new();
    let mode = |name: &str| {
        std::fs::metadata(venue.path(name))
            .expect("meta")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("org.pem"), 0o600);
    assert_eq!(mode("org.pem.secret"), 0o600);
    let secret = std::fs::read_to_string(venue.path("org.pem.secret")).expect("secret");
    assert_eq!(secret.trim().len(), 64);
    assert!(secret.trim().bytes().all(|b| b.is_ascii_hexdigit()));
    let public = std::fs::read_to_string(venue.path("org.pem.pub")).expect("pub");
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"), "{public}");
}

#[test]
fn verify_dry_run_judges_without_recording_anything() {
    let venue = Venue::new();
    let text = venue.issue(&["--key-file", "org.pem"]);
    let db = venue.path("usher.db");
    let now = NOW.to_string();
    let dry = |texts: &[&str]| {
        let o = venue.run(
            &[
                &[
                    "verify",
                    "--dry-run",
                    "--settings",
                    "settings.xml",
                    "--now",
                    &now,
                ],
                texts,
            ]
            .concat(),
        );
        assert!(o.status.code().is_some(), "{}", stderr(&o));
        (o.status.code(), stdout(&o), stderr(&o))
    };
    // Nothing recorded yet: a dry run says it would accept, twice, and writes no row.
    let before = ledger_rows(&db);
    let (code, out, err) = dry(&[&text, &text, "not a pass"]);
    assert_eq!(
        verdict_names(&out.lines().map(str::to_owned).collect::<Vec<_>>()),
        ["qr_accepted", "qr_accepted", "qr_missing_parameters"],
        "{err}"
    );
    assert_eq!(code, Some(1));
    assert_eq!(ledger_rows(&db), before, "a dry run recorded something");
    // A real verify burns the pass: one use, one outbox row, one scan-log row.
    let (code, lines) = venue.verify(&[&text]);
    assert_eq!((code, verdict_names(&lines)), (0, vec!["qr_accepted"]));
    let burnt = ledger_rows(&db);
    assert_eq!(burnt, (before.0 + 1, before.1 + 1, before.2 + 1));
    // Now the dry run sees the use, and still records nothing (not even the scan log).
    let (_, out, _) = dry(&[&text]);
    assert!(out.starts_with("qr_used"), "{out}");
    assert_eq!(ledger_rows(&db), burnt, "a dry run recorded something");
}

#[test]
fn verify_help_says_that_without_dry_run_it_records() {
    let o = usher(Path::new("."), &["verify", "--help"]);
    let help = stdout(&o);
    assert!(help.contains("--dry-run"), "{help}");
    assert!(help.contains("records"), "{help}");
}

/// An enrolment text for a server on loopback, with `token` as the device token.
fn enrolment(token: &str) -> String {
    use base64::Engine as _;
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
    format!(
        "usher-enroll:?server=http%3A%2F%2F127.0.0.1%3A9&token={token}&key={}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.as_bytes())
    )
}

fn enrolled_token(settings: &Path) -> String {
    let xml = std::fs::read_to_string(settings).expect("settings");
    let start = xml.find("<deviceToken>").expect("no deviceToken") + "<deviceToken>".len();
    let end = xml[start..].find("</deviceToken>").expect("no end") + start;
    xml[start..end].to_owned()
}

fn enroll_with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_usher"))
        .arg("enroll")
        .args(args)
        .current_dir(dir)
        .env_remove("USHER_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    writeln!(child.stdin.take().expect("stdin"), "{input}").expect("write");
    child.wait_with_output().expect("wait")
}

#[test]
fn enroll_reads_the_code_from_standard_input_or_a_file() {
    let dir = tempfile::tempdir().expect("tmp");
    // `usher enroll -`, and `usher enroll` with a pipe on standard input.
    for (args, token) in [(&["-"][..], "tok-dash"), (&[][..], "tok-pipe")] {
        let o = enroll_with_stdin(dir.path(), args, &enrolment(token));
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(enrolled_token(&dir.path().join("settings.xml")), token);
        assert!(!stdout(&o).contains(token), "{}", stdout(&o));
    }
    // `usher enroll --file F`.
    std::fs::write(dir.path().join("code.txt"), enrolment("tok-file") + "\n").expect("w");
    let o = usher(dir.path(), &["enroll", "--file", "code.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(enrolled_token(&dir.path().join("settings.xml")), "tok-file");
    // The argument form still works.
    let o = usher(dir.path(), &["enroll", &enrolment("tok-arg")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(enrolled_token(&dir.path().join("settings.xml")), "tok-arg");
    // Empty standard input is a clear error, not an empty enrolment.
    let o = enroll_with_stdin(dir.path(), &["-"], "");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("enrolment"), "{}", stderr(&o));
}

impl Venue {
    /// A pass for `name` admitting `p` people, signed with the venue's shared secret.
    fn family(&self, name: &str, p: u8) -> String {
        let secret = std::fs::read_to_string(self.path("org.pem.secret")).expect("secret");
        usher_core::issue::pass_text(
            "https://venue.example/p",
            &format!(r#"{{"s1":"{name}","p":{p},"expiry":1900000000,"n":"{name}"}}"#),
            &usher_core::Signer::HmacSha256(usher_core::Secret::from(secret.trim())),
        )
    }

    /// `usher verify` with door options at `NOW + offset`.
    fn at_door(&self, offset: i64, options: &[&str], texts: &[&str]) -> (i32, Vec<String>) {
        let now = (NOW + offset).to_string();
        let o = self.run(
            &[
                &["verify", "--settings", "settings.xml", "--now", &now],
                options,
                texts,
            ]
            .concat(),
        );
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        let code = o.status.code().expect("exit code");
        (code, stdout(&o).lines().map(str::to_owned).collect())
    }

    /// `usher inside`'s lines.
    fn inside(&self) -> Vec<String> {
        self.inside_with(&[])
    }

    /// `usher inside ARGS`'s lines.
    fn inside_with(&self, args: &[&str]) -> Vec<String> {
        let o = self.run(&[&["inside", "--settings", "settings.xml"], args].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).lines().map(str::to_owned).collect()
    }
}

#[test]
fn inside_after_closing_time_signs_the_evening_out_first_and_counts_none() {
    let venue = Venue::new();
    let secret = std::fs::read_to_string(venue.path("org.pem.secret")).expect("secret");
    venue.settings(&format!(
        "<qrCodeAuthPassword>{}</qrCodeAuthPassword><closingTime>01:00</closingTime>",
        secret.trim()
    ));
    let family = venue.family("Eve", 2);
    let (code, lines) = venue.at_door(0, &[], &[&family]);
    assert_eq!((code, verdict_names(&lines)), (0, vec!["qr_accepted"]));
    // The closing time comes strictly after the entry: at the entry's moment both are in.
    let at_entry = NOW.to_string();
    assert_eq!(
        venue.inside_with(&["--now", &at_entry]),
        ["main\t2\t-", "total\t2\t-"]
    );
    // A day on, a 01:00 closing time has passed in any time zone.
    let next_day = (NOW + 86_400 + 60).to_string();
    assert_eq!(
        venue.inside_with(&["--now", &next_day]),
        ["main\t0\t-", "total\t0\t-"]
    );
    let conn = rusqlite::Connection::open(venue.path("usher.db")).expect("ledger");
    let kind: String = conn
        .query_row("SELECT exit_kind FROM stays", [], |r| r.get(0))
        .expect("the stay");
    assert_eq!(kind, "auto");
}

#[test]
fn a_party_of_three_comes_in_and_leaves_and_inside_counts_them() {
    let venue = Venue::new();
    let family = venue.family("Ada Lovelace", 4);
    assert_eq!(venue.inside(), ["main\t0\t-", "total\t0\t-"]);
    let (code, lines) = venue.at_door(0, &["--party", "3"], &[&family]);
    assert_eq!((code, verdict_names(&lines)), (0, vec!["qr_accepted"]));
    assert_eq!(venue.inside(), ["main\t3\t-", "total\t3\t-"]);
    let (code, lines) = venue.at_door(3600, &["--leaving"], &[&family]);
    assert_eq!(
        (code, verdict_names(&lines)),
        (0, vec!["qr_goodbye"]),
        "{lines:?}"
    );
    assert!(lines[0].contains("left, in since"), "{lines:?}");
    assert_eq!(venue.inside(), ["main\t0\t-", "total\t0\t-"]);
    // Leaving again: no open stay, still recorded as an exit.
    let (code, lines) = venue.at_door(3700, &["--leaving"], &[&family]);
    assert_eq!(
        (code, lines),
        (0, vec!["qr_goodbye\tleft with no open stay".to_owned()])
    );
    // --party is a whole number from 1 to 20.
    let (code, _) = venue.at_door(0, &["--party", "0"], &[&family]);
    assert_eq!(code, 2, "clap refuses a bad --party");
}

#[test]
fn at_capacity_a_third_visitor_gets_qr_full_and_exit_status_1() {
    let venue = Venue::new();
    let secret = std::fs::read_to_string(venue.path("org.pem.secret")).expect("secret");
    venue.settings(&format!(
        "<qrCodeAuthPassword>{}</qrCodeAuthPassword><capacity>2</capacity>\
         <capacity entrance=\"sisters\">1</capacity>",
        secret.trim()
    ));
    let (a, b, c) = (
        venue.family("A", 1),
        venue.family("B", 1),
        venue.family("C", 1),
    );
    let (code, lines) = venue.at_door(0, &[], &[&a, &b]);
    assert_eq!(
        (code, verdict_names(&lines)),
        (0, vec!["qr_accepted", "qr_accepted"])
    );
    let (code, lines) = venue.at_door(1, &[], &[&c]);
    assert_eq!(
        (code, verdict_names(&lines)),
        (1, vec!["qr_full"]),
        "{lines:?}"
    );
    assert_eq!(
        venue.inside(),
        ["main\t2\t-", "sisters\t0\t1", "total\t2\t2"]
    );
    // An exit frees a place.
    let (code, _) = venue.at_door(120, &["--leaving"], &[&a]);
    assert_eq!(code, 0);
    let (code, lines) = venue.at_door(121, &["--entrance", "sisters"], &[&c]);
    assert_eq!((code, verdict_names(&lines)), (0, vec!["qr_accepted"]));
    assert_eq!(
        venue.inside(),
        ["main\t1\t-", "sisters\t1\t1", "total\t2\t2"]
    );
}

#[test]
fn verify_dry_run_records_no_stay() {
    let venue = Venue::new();
    let family = venue.family("Bo", 3);
    let db = venue.path("usher.db");
    let (code, lines) = venue.at_door(0, &["--dry-run"], &[&family]);
    assert_eq!((code, verdict_names(&lines)), (0, vec!["qr_accepted"]));
    assert_eq!(venue.inside(), ["main\t0\t-", "total\t0\t-"]);
    let (code, _) = venue.at_door(0, &[], &[&family]);
    assert_eq!(code, 0);
    let rows = ledger_rows(&db);
    let (code, lines) = venue.at_door(600, &["--dry-run", "--leaving"], &[&family]);
    assert_eq!((code, verdict_names(&lines)), (0, vec!["qr_goodbye"]));
    assert_eq!(
        venue.inside(),
        ["main\t3\t-", "total\t3\t-"],
        "the stay is still open"
    );
    assert_eq!(ledger_rows(&db), rows, "a dry run recorded something");
}

/// DESIGN §10 at the kiosk: with `<legacyCodes>true</legacyCodes>` the old system's codes
/// sign in like accepted passes (use, outbox row for the server), a receipt only once, and
/// every start warns that they are unsigned.
#[test]
fn old_codes_sign_in_with_legacy_codes_and_the_kiosk_warns_they_are_unsigned() {
    let venue = Venue::new();
    let secret = std::fs::read_to_string(venue.path("org.pem.secret")).expect("secret");
    venue.settings(&format!(
        "<qrCodeAuthPassword>{}</qrCodeAuthPassword><legacyCodes>true</legacyCodes>",
        secret.trim()
    ));
    let walk_in = "2+Fatima Zahra+(630) 555-0101+fz@example.org";
    let receipt = "3+BCDFGH+Omar K+630-555-0102+ok@example.org+F+3";
    let now = NOW.to_string();
    let o = venue.run(&[
        "verify",
        "--settings",
        "settings.xml",
        "--now",
        &now,
        walk_in,
        receipt,
        receipt,
    ]);
    let lines: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert_eq!(
        verdict_names(&lines),
        ["qr_accepted", "qr_accepted", "qr_used"],
        "{lines:?}"
    );
    assert!(
        stderr(&o).contains("<legacyCodes>") && stderr(&o).contains("anyone can make one"),
        "no warning: {}",
        stderr(&o)
    );
    let (uses, outbox, _) = ledger_rows(&venue.path("usher.db"));
    assert_eq!((uses, outbox), (2, 2));
}

#[test]
fn version_prints_the_package_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = support::usher_ok(dir.path(), &["--version"]);
    assert_eq!(
        out.trim_end(),
        format!("usher {}", env!("CARGO_PKG_VERSION"))
    );
}
