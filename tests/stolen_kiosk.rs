//! Issue 6, "A stolen kiosk": after a day of sign-ins, a copy of a kiosk's whole data folder
//! (ledger, its -wal and -shm, settings, key files) holds no visitor's name, phone or e-mail
//! in clear: on an enrolled kiosk (real `usher-server` on loopback, some sign-ins uploaded and
//! erased, some still waiting, sealed to the organiser's key), on a standalone kiosk (contact
//! fields under the local key), and again after the retention purge, which never touches the
//! sign-ins still waiting.
//!
//! Sign-ins go through the real `usher verify` (the same judge and ledger as the kiosk);
//! uploads and the purge through the real `usher kiosk --headless`, copied while it runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use support::{LedgerLook, Server, look_at_ledger, now_unix, wait_until};

/// Visitors: ASCII, accented, Arabic; name, phone, e-mail.
const PEOPLE: &[(&str, &str, &str)] = &[
    ("John Smith", "+44 20 7946 0958", "john.smith@example.org"),
    (
        "Zoë Ångström-Ødegård",
        "+33 1 40 20 50 50",
        "zoë.ångström@exemple.fr",
    ),
    ("José Núñez", "0034 91 555 0123", "jose.nunez@ejemplo.es"),
    (
        "فاطمة الزهراء",
        "+971 4 555 0199",
        "fatima.alzahra@example.ae",
    ),
    ("محمد بن راشد", "٠٥٠ ١٢٣ ٤٥٦٧", "محمد@مثال.امارات"),
];

/// Every value a thief must not find.
fn needles() -> Vec<&'static str> {
    PEOPLE.iter().flat_map(|(n, p, e)| [*n, *p, *e]).collect()
}

/// A pass for person `i`, signed by the organiser (Ed25519), valid for a day from now.
fn pass_text(signer: &usher_core::Signer, i: usize) -> String {
    let (name, phone, email) = PEOPLE[i % PEOPLE.len()];
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).expect("random");
    let mut strings: [Option<String>; 10] = Default::default();
    strings[0] = Some(name.to_owned());
    strings[1] = Some(phone.to_owned());
    strings[2] = Some(email.to_owned());
    let spec = usher_core::issue::PassSpec {
        strings,
        expiry: (now_unix() + 86_400).unsigned_abs(),
        device_id: None,
        nonce,
        ..Default::default()
    };
    usher_core::issue::pass_text(
        usher_core::issue::DEFAULT_BASE_URL,
        &spec.payload_json(),
        signer,
    )
}

/// `usher verify` of `n` new passes at `at`: all must be accepted.
fn sign_in(settings: &Path, signer: &usher_core::Signer, n: usize, at: i64) {
    let texts: Vec<String> = (0..n).map(|i| pass_text(signer, i)).collect();
    let out = Command::new(support::usher_bin())
        .arg("verify")
        .arg("--settings")
        .arg(settings)
        .args(["--now", &at.to_string()])
        .args(&texts)
        .output()
        .expect("run usher verify");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("qr_accepted"))
            .count(),
        n,
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The headless kiosk on a feed with no code in it (it only syncs and purges).
fn headless(settings: &Path, feed: &Path) -> Child {
    Command::new(support::usher_bin())
        .args(["kiosk", "--headless", "--fps", "2", "--settings"])
        .arg(settings)
        .arg("--source")
        .arg(format!("dir:{}", feed.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn kiosk")
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Copies every file under `from` (as a thief would, while the kiosk runs) into `to`.
fn copy_folder(from: &Path, to: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(to).expect("mkdir");
    let mut copied = Vec::new();
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copied.extend(copy_folder(&entry.path(), &target));
        } else if std::fs::copy(entry.path(), &target).is_ok() {
            copied.push(target);
        }
    }
    copied
}

/// (value, file) for every value of `needles` found as UTF-8 bytes in the files.
fn grep(files: &[PathBuf], needles: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).expect("read copy");
        for needle in needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push((needle.to_string(), file.display().to_string()));
            }
        }
    }
    found
}

/// Fails naming every contact value found in clear in `copy`.
fn assert_nothing_in_clear(copy: &[PathBuf], when: &str) {
    let found = grep(copy, &needles());
    assert!(
        found.is_empty(),
        "contact details in clear {when}: {found:?}"
    );
}

/// Starts the headless kiosk on `settings`, copies `data` to `to` while it runs, stops it.
fn copy_while_running(settings: &Path, feed: &Path, data: &Path, to: &Path) -> Vec<PathBuf> {
    let kiosk = headless(settings, feed);
    std::thread::sleep(Duration::from_secs(2));
    let copy = copy_folder(data, to);
    stop(kiosk);
    copy
}

fn names(files: &[PathBuf]) -> Vec<String> {
    let mut n: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    n.sort();
    n
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).expect("meta").permissions().mode() & 0o777
}

/// Counts of outbox rows: (uploaded, waiting).
fn counts(look: &LedgerLook) -> (usize, usize) {
    let up = look.outbox.values().filter(|(_, up, _)| *up).count();
    (up, look.outbox.len() - up)
}

fn blank_feed(dir: &Path) -> PathBuf {
    let feed = dir.join("feed");
    std::fs::create_dir_all(&feed).expect("feed");
    image::GrayImage::from_pixel(64, 64, image::Luma([255u8]))
        .save(feed.join("blank.png"))
        .expect("blank png");
    feed
}

/// Contact blobs in a copied ledger (the data is there, only not in clear).
fn sealed_rows(ledger: &Path) -> i64 {
    // Read-only, after the grep: a writable connection would checkpoint the copied WAL.
    support::count_rows(ledger, "outbox WHERE contact IS NOT NULL")
}

#[test]
fn a_copied_kiosk_data_folder_holds_no_contact_detail_in_clear() {
    let (a, b) = (12, 9);
    let mut server = Server::init();
    let token = server.add_device("door-1");
    server.start();
    let (private, public) = server.organiser_keys();
    let signer = usher::keys::signer_from_file(&private, None).expect("organiser key");
    let work = tempfile::tempdir().expect("tmp");
    let feed = blank_feed(work.path());
    let mut found_total = 0;

    // --- The enrolled kiosk: sealed to the organiser's key.
    let data = work.path().join("enrolled");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::copy(&public, data.join("organiser.pub")).expect("copy key");
    let settings = support::write_settings(
        &data,
        "door-1",
        Path::new("organiser.pub"),
        Some(&server.url()),
        Some(&token),
    );
    let ledger = data.join("usher.db");
    let day = now_unix() - 2 * 86_400;
    // Morning: sign-ins, uploaded by the kiosk while the server is up.
    sign_in(&settings, &signer, a, day);
    let kiosk = headless(&settings, &feed);
    let uploaded = wait_until(Duration::from_secs(60), || {
        counts(&look_at_ledger(&ledger)) == (a, 0)
    });
    stop(kiosk);
    assert!(
        uploaded,
        "the kiosk did not upload: {:?}",
        counts(&look_at_ledger(&ledger))
    );
    assert_eq!(server.signins().len(), a);
    // Afternoon: the server is down; these wait.
    server.kill9();
    sign_in(&settings, &signer, b, day + 3_600);
    // Stolen right after the sign-ins, before the kiosk opens the ledger again.
    let copy = copy_folder(&data, &work.path().join("stolen-after-verify"));
    assert_nothing_in_clear(&copy, "after the sign-ins");
    let copy = copy_while_running(
        &settings,
        &feed,
        &data,
        &work.path().join("stolen-enrolled"),
    );
    assert_eq!(counts(&look_at_ledger(&ledger)), (a, b));
    for part in ["usher.db", "usher.db-wal", "usher.db-shm", "settings.xml"] {
        assert!(
            names(&copy).iter().any(|n| n == part),
            "{part} not copied: {:?}",
            names(&copy)
        );
    }
    // The grep finds what is there in clear (the control), and no contact detail.
    let control = grep(&copy, &["door-1"]);
    assert!(
        control.iter().any(|(_, f)| f.ends_with("settings.xml")),
        "control: the grep sees the device id in the settings: {control:?}"
    );
    let found = grep(&copy, &needles());
    assert_eq!(
        sealed_rows(&work.path().join("stolen-enrolled/usher.db")),
        b as i64,
        "the waiting sign-ins' contact data is in the copy, sealed"
    );
    println!(
        "enrolled kiosk: {a} uploaded, {b} waiting; {} files copied ({}); {} of {} values found in clear",
        copy.len(),
        names(&copy).join(" "),
        found.len(),
        needles().len()
    );
    assert!(found.is_empty(), "contact details in clear: {found:?}");
    found_total += found.len();
    assert!(
        !data.join("usher.contact.key").exists(),
        "an enrolled kiosk needs no local key"
    );
    assert_eq!(mode(&ledger), 0o600);

    // --- The retention purge (1 day here): uploaded rows go, waiting ones stay whole.
    let xml = std::fs::read_to_string(&settings).expect("read settings");
    let xml = xml.replace(
        "</settings>",
        "<retentionDays>1</retentionDays>\n</settings>",
    );
    std::fs::write(&settings, xml).expect("write settings");
    let kiosk = headless(&settings, &feed);
    let purged = wait_until(Duration::from_secs(30), || {
        counts(&look_at_ledger(&ledger)) == (0, b)
    });
    let copy = copy_folder(&data, &work.path().join("stolen-after-purge"));
    stop(kiosk);
    assert!(purged, "not purged: {:?}", counts(&look_at_ledger(&ledger)));
    let look = look_at_ledger(&ledger);
    // Every use stays: the waiting rows' uses always, the uploaded rows' because their passes
    // are still valid (a `once` pass must stay used until it expires).
    assert_eq!(look.local_uses.len(), a + b, "uses of valid passes stay");
    let found = grep(&copy, &needles());
    println!(
        "after the purge: 0 uploaded, {b} waiting; {} of {} values found in clear",
        found.len(),
        needles().len()
    );
    assert!(
        found.is_empty(),
        "contact details in clear after the purge: {found:?}"
    );
    found_total += found.len();
    // The server comes back: the waiting rows upload, sealed, and nothing is refused.
    server.start();
    let kiosk = headless(&settings, &feed);
    let drained = wait_until(Duration::from_secs(60), || {
        counts(&look_at_ledger(&ledger)) == (b, 0)
    });
    stop(kiosk);
    assert!(
        drained,
        "waiting rows not uploaded: {:?}",
        look_at_ledger(&ledger)
    );
    assert_eq!(
        server.signins().len(),
        a + b,
        "every sign-in reached the server once"
    );

    // --- The standalone kiosk: the local key in a 0600 file.
    let data = work.path().join("standalone");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::copy(&public, data.join("organiser.pub")).expect("copy key");
    let settings = support::write_settings(&data, "door-2", Path::new("organiser.pub"), None, None);
    sign_in(&settings, &signer, a + b, now_unix() - 600);
    let copy = copy_folder(&data, &work.path().join("stolen-standalone-after-verify"));
    assert_nothing_in_clear(&copy, "after the sign-ins");
    let copy = copy_while_running(
        &settings,
        &feed,
        &data,
        &work.path().join("stolen-standalone"),
    );
    assert!(
        names(&copy).iter().any(|n| n == "usher.contact.key"),
        "{:?}",
        names(&copy)
    );
    assert_eq!(mode(&data.join("usher.contact.key")), 0o600);
    assert_eq!(mode(&data.join("usher.db")), 0o600);
    let found = grep(&copy, &needles());
    assert_eq!(
        sealed_rows(&work.path().join("stolen-standalone/usher.db")),
        (a + b) as i64
    );
    println!(
        "standalone kiosk: {} waiting; {} files copied ({}); {} of {} values found in clear",
        a + b,
        copy.len(),
        names(&copy).join(" "),
        found.len(),
        needles().len()
    );
    assert!(found.is_empty(), "contact details in clear: {found:?}");
    found_total += found.len();
    println!("stolen kiosk: {found_total} plaintext contact values found in 5 copied data folders");
}
