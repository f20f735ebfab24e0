//! The root tests' one kit: the built `usher` binary run in a venue folder ([`usher`],
//! [`Venue`]), the real `usher-server` binary as a child process (so `kill -9` is real), a
//! fault-injecting TCP proxy, a seeded random source, pass images, polling ([`wait_until`]),
//! and read-only looks into the kiosk ledger and the server database. Each test file includes
//! it with `mod support;`; a helper two tests need lives here, not in either.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod proxy;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `USHER_PROOF_FULL=1` asks for the full figures of issue 5 instead of the CI ones.
pub fn full() -> bool {
    std::env::var("USHER_PROOF_FULL").is_ok_and(|v| v != "0" && !v.is_empty())
}

/// A figure: `ci` normally, `full` under `USHER_PROOF_FULL=1`; `USHER_PROOF_<NAME>` overrides.
pub fn figure(name: &str, ci: usize, full_value: usize) -> usize {
    if let Some(v) = std::env::var(format!("USHER_PROOF_{name}"))
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return v;
    }
    if full() { full_value } else { ci }
}

/// The seed for this run: `USHER_PROOF_SEED` or one from the clock (printed, to replay).
pub fn seed(test: &str) -> u64 {
    let seed = std::env::var("USHER_PROOF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    println!("{test}: seed {seed} (replay with USHER_PROOF_SEED={seed})");
    seed
}

/// SplitMix64: small, seeded, good enough to pick faults and delays.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi` (hi exclusive, hi > lo).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn millis(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_millis(self.range(lo, hi))
    }
}

/// Polls `done` every 20 ms until it holds or `limit` passes; false on time-out.
pub fn wait_until(limit: Duration, done: impl FnMut() -> bool) -> bool {
    poll_every(Duration::from_millis(20), limit, done)
}

/// Polls `done` every `every` until it holds or `limit` passes; false on time-out.
pub fn poll_every(every: Duration, limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(every);
    }
}

/// The `usher` binary under test.
pub fn usher_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_usher"))
}

/// The `usher-server` binary beside it (same target dir), built if missing.
pub fn server_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let usher = usher_bin();
            let dir = usher.parent().expect("the usher binary has a folder");
            let bin = dir.join(format!("usher-server{}", std::env::consts::EXE_SUFFIX));
            if !bin.exists() {
                // target/<profile>/usher → target; build the server into the same place.
                let target = dir.parent().expect("target dir");
                let status = Command::new(env!("CARGO"))
                    .args(["build", "-p", "usher-server", "--bin", "usher-server"])
                    .env("CARGO_TARGET_DIR", target)
                    .current_dir(env!("CARGO_MANIFEST_DIR"))
                    .status()
                    .expect("run cargo build");
                assert!(status.success(), "cargo build -p usher-server failed");
            }
            assert!(bin.exists(), "no server binary at {}", bin.display());
            bin
        })
        .clone()
}

/// A free loopback port (bound and released; good enough on a test machine).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// The real server, as a child process on a fixed loopback port, SQLite in a temp dir.
#[derive(Debug)]
pub struct Server {
    /// The first admin's recovery code that `init` printed (proof@example.org).
    pub recovery: String,
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub port: u16,
    child: Option<Child>,
    pub starts: u32,
    pub kills: u32,
    /// More flags for `usher-server` at each start (e.g. the door's `--capacity`).
    pub serve_args: Vec<String>,
}

impl Server {
    /// `usher-server init` in a fresh data dir (keys, schema, first admin).
    pub fn init() -> Server {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("usher.db");
        let out = Command::new(server_bin())
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .arg("--db")
            .arg(format!("sqlite:{}", db.display()))
            .args(["init", "--name", "Proof", "--email", "proof@example.org"])
            .output()
            .expect("run usher-server init");
        assert!(
            out.status.success(),
            "init: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let recovery = String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.split_once("recovery code (valid 24 hours): "))
            .map(|(_, c)| c.trim().to_owned())
            .unwrap_or_default();
        Server {
            recovery,
            dir,
            db,
            port: free_port(),
            child: None,
            starts: 0,
            kills: 0,
            serve_args: Vec::new(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The organiser's key pair that `init` wrote (private, public).
    pub fn organiser_keys(&self) -> (PathBuf, PathBuf) {
        (
            self.data_dir().join("organiser.pem"),
            self.data_dir().join("organiser.pub.pem"),
        )
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// Enrols a kiosk the way the admin page does (SHA-256 of a random token in `devices`);
    /// returns the token.
    pub fn add_device(&self, name: &str) -> String {
        let mut raw = [0u8; 24];
        getrandom::fill(&mut raw).expect("random");
        let token = hex::encode(raw);
        let hash = usher_core::PassId::of(token.as_bytes()).0; // SHA-256, as crypto::token_hash
        let conn = rusqlite::Connection::open(&self.db).expect("open server db");
        conn.busy_timeout(Duration::from_secs(10)).expect("busy");
        conn.execute(
            "INSERT INTO devices (name, token_hash, created_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![name, &hash[..], now_unix()],
        )
        .expect("insert device");
        token
    }

    /// Starts the server and waits until it accepts connections.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))
            .expect("log");
        let child = Command::new(server_bin())
            .arg("--data-dir")
            .arg(self.data_dir())
            .arg("--db")
            .arg(format!("sqlite:{}", self.db.display()))
            .arg("--listen")
            .arg(self.addr().to_string())
            .args(&self.serve_args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn usher-server");
        self.child = Some(child);
        self.starts += 1;
        let addr = self.addr();
        let up = wait_until(Duration::from_secs(30), || {
            if let Some(c) = self.child.as_mut()
                && let Ok(Some(status)) = c.try_wait()
            {
                panic!("usher-server exited: {status}; see {}", self.log_path());
            }
            TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
        });
        assert!(up, "usher-server did not listen on {addr}");
    }

    pub fn log_path(&self) -> String {
        self.dir.path().join("server.log").display().to_string()
    }

    /// `kill -9` (SIGKILL) and reap.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
            self.kills += 1;
        }
    }

    pub fn running(&self) -> bool {
        self.child.is_some()
    }

    fn read_db(&self) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_with_flags(
            &self.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open server db read-only");
        conn.busy_timeout(Duration::from_secs(10)).expect("busy");
        conn
    }

    /// One whole number the server's database answers `sql` with (a count, a sum).
    pub fn figure(&self, sql: &str) -> i64 {
        self.read_db()
            .query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
            .expect("query")
            .unwrap_or(0)
    }

    /// Every stored sign-in: id → (pass id hex, kiosk device id).
    pub fn signins(&self) -> Vec<(String, String, String)> {
        let conn = self.read_db();
        let mut stmt = conn
            .prepare("SELECT sid, pass_id, device_id FROM signins ORDER BY seq")
            .expect("prepare");
        stmt.query_map([], |r| {
            let pass: Vec<u8> = r.get(1)?;
            Ok((r.get(0)?, hex::encode(pass), r.get(2)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    }

    /// Every stored sign-in's stay: sid → head count and exit.
    pub fn stays(&self) -> BTreeMap<String, Stay> {
        stays_of(
            &self.read_db(),
            "SELECT sid, heads, exited_at, exit_kind FROM signins",
        )
    }

    /// Every stored exit: (id, the sid it closes, kiosk device id).
    pub fn exits(&self) -> Vec<(String, Option<String>, String)> {
        let conn = self.read_db();
        let mut stmt = conn
            .prepare("SELECT xid, closes, device_id FROM exits ORDER BY seq")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    /// The double uses the server lists: (pass hex, first device, second device).
    pub fn double_uses(&self) -> Vec<(String, String, String)> {
        let conn = self.read_db();
        let mut stmt = conn
            .prepare("SELECT pass_id, first_device_id, device_id FROM double_uses ORDER BY seq")
            .expect("prepare");
        stmt.query_map([], |r| {
            let pass: Vec<u8> = r.get(0)?;
            Ok((hex::encode(pass), r.get(1)?, r.get(2)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// What a kiosk ledger file holds, read-only (another process may be writing it).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LedgerLook {
    /// Outbox id → (pass id hex, uploaded?, parked reason): uses and re-entries.
    pub outbox: BTreeMap<String, (String, bool, Option<String>)>,
    /// Pass id hex → local uses.
    pub local_uses: BTreeMap<String, u64>,
    /// Entry id → its stay (every entry is a sign-in, a re-entry too).
    pub stays: BTreeMap<String, Stay>,
    /// Exit id → (the entry id it closes, uploaded?, parked reason).
    pub exits: BTreeMap<String, (Option<String>, bool, Option<String>)>,
    pub integrity: String,
}

/// A stay as a kiosk ledger or the server holds it: head count and exit (time, kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    pub heads: i64,
    pub exited_at: Option<i64>,
    pub exit_kind: Option<String>,
}

pub fn look_at_ledger(path: &Path) -> LedgerLook {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open ledger read-only");
    conn.busy_timeout(Duration::from_secs(10)).expect("busy");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    let mut look = LedgerLook {
        integrity,
        ..LedgerLook::default()
    };
    let mut stmt = conn
        .prepare(
            "SELECT o.id, COALESCE(u.pass_id, s.pass_id), o.uploaded_at IS NOT NULL, \
             o.parked_reason FROM outbox o LEFT JOIN uses u ON u.id = o.use_id \
             LEFT JOIN stays s ON s.entry_id = o.id",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| {
            let pass: Vec<u8> = r.get(1)?;
            Ok((
                r.get::<_, String>(0)?,
                hex::encode(pass),
                r.get(2)?,
                r.get(3)?,
            ))
        })
        .expect("query");
    for row in rows {
        let (id, pass, up, parked) = row.expect("row");
        look.outbox.insert(id, (pass, up, parked));
    }
    let mut stmt = conn
        .prepare("SELECT pass_id, COUNT(*) FROM uses WHERE origin = 'local' GROUP BY pass_id")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| {
            let pass: Vec<u8> = r.get(0)?;
            Ok((hex::encode(pass), r.get::<_, i64>(1)?))
        })
        .expect("query");
    for row in rows {
        let (pass, n) = row.expect("row");
        look.local_uses.insert(pass, n.unsigned_abs());
    }
    look.stays = stays_of(
        &conn,
        "SELECT entry_id, heads, exited_at, exit_kind FROM stays",
    );
    let mut stmt = conn
        .prepare("SELECT id, closes, uploaded_at IS NOT NULL, parked_reason FROM exits")
        .expect("prepare");
    look.exits = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("exits");
    look
}

/// Stays by id from `sql` (id, heads, exited_at, exit_kind), on a kiosk's or the server's file.
fn stays_of(conn: &rusqlite::Connection, sql: &str) -> BTreeMap<String, Stay> {
    let mut stmt = conn.prepare(sql).expect("prepare");
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            Stay {
                heads: r.get(1)?,
                exited_at: r.get(2)?,
                exit_kind: r.get(3)?,
            },
        ))
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("stays")
}

/// What the server holds of the kiosks' stays and exits, counted against their ledgers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DoorFigures {
    /// Stays (entries that are sign-ins) the kiosks recorded.
    pub stays: usize,
    /// Of them, closed by an exit.
    pub closed: usize,
    /// Exits the kiosks recorded (scan and auto, with or without a stay).
    pub exits: usize,
    /// Sign-ins not on the server, or not marked uploaded in the ledger.
    pub signins_lost: usize,
    /// Sign-ins on the server more than once (by id, or by pass and kiosk), or made by no kiosk.
    pub signins_doubled: usize,
    /// Exits not on the server, or not marked uploaded (or parked) in the ledger.
    pub exits_lost: usize,
    /// Exits on the server more than once (by id, or closing one stay twice from one kiosk),
    /// or made by no kiosk.
    pub exits_doubled: usize,
    /// Stays on the server with another head count or exit than the kiosk recorded.
    pub stays_wrong: usize,
}

/// Counts, for [`DoorFigures`], every stay and exit of `ledgers` against the server.
pub fn door_figures(server: &Server, ledgers: &[&LedgerLook]) -> DoorFigures {
    let on_server = server.stays();
    let mut figures = DoorFigures::default();
    let signins = server.signins();
    let mut by_pass_device: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for (_, pass, device) in &signins {
        *by_pass_device.entry((pass, device)).or_default() += 1;
    }
    figures.signins_doubled = by_pass_device
        .values()
        .map(|n| *n as usize - 1)
        .sum::<usize>()
        + signins.len().saturating_sub(on_server.len());
    let exits = server.exits();
    let mut by_xid: BTreeMap<&str, u32> = BTreeMap::new();
    let mut by_closes: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for (xid, closes, device) in &exits {
        *by_xid.entry(xid).or_default() += 1;
        if let Some(c) = closes {
            *by_closes.entry((c, device)).or_default() += 1;
        }
    }
    figures.exits_doubled = by_xid.values().map(|n| *n as usize - 1).sum::<usize>()
        + by_closes.values().map(|n| *n as usize - 1).sum::<usize>();
    let mut made_signins = 0;
    for look in ledgers {
        made_signins += look.outbox.len();
        for (id, stay) in &look.stays {
            figures.stays += 1;
            figures.closed += usize::from(stay.exited_at.is_some());
            let uploaded = look.outbox.get(id).is_some_and(|(_, up, _)| *up);
            match on_server.get(id) {
                Some(stored) if uploaded => {
                    figures.stays_wrong += usize::from(stored != stay);
                }
                _ => figures.signins_lost += 1,
            }
        }
        for (id, (_, uploaded, parked)) in &look.exits {
            figures.exits += 1;
            if !uploaded || parked.is_some() || !by_xid.contains_key(id.as_str()) {
                figures.exits_lost += 1;
            }
        }
    }
    figures.signins_doubled += on_server.len().saturating_sub(made_signins);
    figures.exits_doubled += exits
        .len()
        .saturating_sub(figures.exits - figures.exits_lost);
    figures
}

/// Checks the server against kiosk ledgers: every outbox row stored exactly once (one row
/// per id, and one row per pass and kiosk, as each pass was used once per kiosk), nothing
/// stored that no kiosk made, nothing parked. Returns the number of sign-ins.
pub fn assert_exactly_once(server: &Server, ledgers: &[&LedgerLook]) -> usize {
    let stored = server.signins();
    let mut by_id: BTreeMap<&str, u32> = BTreeMap::new();
    let mut by_pass_device: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for (sid, pass, device) in &stored {
        *by_id.entry(sid).or_default() += 1;
        *by_pass_device.entry((pass, device)).or_default() += 1;
    }
    let doubled: Vec<_> = by_id.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubled.is_empty(), "ids stored twice: {doubled:?}");
    let doubled: Vec<_> = by_pass_device.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        doubled.is_empty(),
        "a pass stored twice for one kiosk: {doubled:?}"
    );
    let mut made = 0;
    for look in ledgers {
        for (id, (pass, uploaded, parked)) in &look.outbox {
            assert!(parked.is_none(), "row {id} parked: {parked:?}");
            assert!(uploaded, "row {id} not marked uploaded");
            assert!(
                by_id.contains_key(id.as_str()),
                "row {id} (pass {pass}) lost"
            );
            made += 1;
        }
    }
    assert_eq!(
        stored.len(),
        made,
        "the server holds sign-ins no kiosk outbox has"
    );
    made
}

/// Signs a pass for `name` with the organiser key, valid for a day; returns (text, pass id hex).
pub fn make_pass(signer: &usher_core::Signer, name: &str) -> (String, String) {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).expect("random");
    let mut strings: [Option<String>; 10] = Default::default();
    strings[0] = Some(name.to_owned());
    strings[1] = Some("+44 20 7946 0000".to_owned());
    let spec = usher_core::issue::PassSpec {
        strings,
        expiry: (now_unix() + 86_400).unsigned_abs(),
        device_id: None,
        nonce,
        ..Default::default()
    };
    let payload = spec.payload_json();
    let text = usher_core::issue::pass_text(usher_core::issue::DEFAULT_BASE_URL, &payload, signer);
    let id = usher_core::PassId::of(payload.as_bytes()).to_hex();
    (text, id)
}

/// Writes kiosk settings for a headless kiosk of the server's venue.
pub fn write_settings(
    dir: &Path,
    device_id: &str,
    public_key: &Path,
    server_url: Option<&str>,
    token: Option<&str>,
) -> PathBuf {
    let sync = match (server_url, token) {
        (Some(u), Some(t)) => {
            format!("<serverUrl>{u}</serverUrl>\n<deviceToken>{t}</deviceToken>\n")
        }
        _ => String::new(),
    };
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<settings>\n<qrCodeAuthRequired>true</qrCodeAuthRequired>\n\
         <deviceId>{device_id}</deviceId>\n<acceptedSchemes>ed25519</acceptedSchemes>\n\
         <publicKeyFile>{}</publicKeyFile>\n<reusePolicy>once</reusePolicy>\n\
         <ledgerFile>usher.db</ledgerFile>\n<adminPin>4711</adminPin>\n<sound>false</sound>\n{sync}</settings>\n",
        public_key.display()
    );
    let path = dir.join("settings.xml");
    write_private(&path, &xml);
    path
}

/// The moment the CLI tests judge at (`usher verify --now`).
pub const NOW: i64 = 1_800_000_000;

/// Runs the built `usher` in `dir`, standard input empty, no log level inherited.
pub fn usher(dir: &Path, args: &[&str]) -> Output {
    usher_fed(dir, args, None)
}

/// [`usher`] with these bytes on standard input.
pub fn usher_fed(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(usher_bin())
        .args(args)
        .current_dir(dir)
        .env_remove("USHER_LOG")
        .env_remove("RUST_LOG")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run usher");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().expect("usher output")
}

/// [`usher`] that must succeed: its standard output.
pub fn usher_ok(dir: &Path, args: &[&str]) -> String {
    let o = usher(dir, args);
    assert!(o.status.success(), "usher {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Bytes a program wrote, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// Writes a file only its owner may read (0600), as a settings file holding secrets is kept.
pub fn write_private(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, body).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// A venue folder with `usher keygen` keys (`org.pem`, `org.pem.pub`, `org.pem.secret`).
pub struct Venue {
    pub dir: tempfile::TempDir,
}

impl Venue {
    /// The keys and a settings.xml accepting all three schemes (the secret and the public key).
    pub fn new() -> Venue {
        let venue = Venue::keyed();
        let secret = std::fs::read_to_string(venue.path("org.pem.secret")).expect("secret");
        venue.settings(&format!(
            "<qrCodeAuthPassword>{}</qrCodeAuthPassword><publicKeyFile>org.pem.pub</publicKeyFile>",
            secret.trim()
        ));
        venue
    }

    /// The keys only: no settings.xml yet.
    pub fn keyed() -> Venue {
        let dir = tempfile::tempdir().expect("tmp");
        let o = usher(dir.path(), &["keygen", "--out", "org.pem"]);
        assert!(o.status.success(), "{}", stderr(&o));
        Venue { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes settings.xml (0600): `<deviceId>door-1</deviceId>`, then `body`.
    pub fn settings(&self, body: &str) {
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<settings>\n<deviceId>door-1</deviceId>\n{body}\n</settings>\n"
        );
        write_private(&self.path("settings.xml"), &xml);
    }

    /// The organiser's Ed25519 signer, from `org.pem`.
    pub fn ed25519(&self) -> usher_core::Signer {
        let pem = std::fs::read_to_string(self.path("org.pem")).unwrap();
        usher_core::Signer::Ed25519(usher_core::scheme::signing_key_from_pem(&pem).unwrap())
    }

    pub fn run(&self, args: &[&str]) -> Output {
        usher(self.dir.path(), args)
    }

    /// `usher issue --expiry 1900000000 ARGS`, which must succeed: the pass text.
    pub fn issue(&self, args: &[&str]) -> String {
        let o = self.run(&[&["issue", "--expiry", "1900000000"], args].concat());
        assert!(o.status.success(), "issue {args:?}: {}", stderr(&o));
        stdout(&o).trim().to_owned()
    }

    /// `usher verify --settings settings.xml --now NOW TEXTS`: exit code and output lines.
    pub fn verify(&self, texts: &[&str]) -> (i32, Vec<String>) {
        let now = NOW.to_string();
        let o = self.run(
            &[
                &["verify", "--settings", "settings.xml", "--now", &now],
                texts,
            ]
            .concat(),
        );
        let code = o.status.code().expect("exit code");
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        (code, stdout(&o).lines().map(str::to_owned).collect())
    }
}

/// Rows of a ledger table (`table` may carry a `WHERE`), read-only; 0 when the file is absent.
pub fn count_rows(ledger: &Path, table: &str) -> i64 {
    if !ledger.exists() {
        return 0;
    }
    // Read-only: a writable connection would checkpoint a copied WAL.
    let conn =
        rusqlite::Connection::open_with_flags(ledger, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open ledger read-only");
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

/// Rows of a kiosk ledger's tables: (uses, outbox, scan_log); all 0 when there is no file.
pub fn ledger_rows(ledger: &Path) -> (i64, i64, i64) {
    let n = |t| count_rows(ledger, t);
    (n("uses"), n("outbox"), n("scan_log"))
}

/// Two colours within `tolerance` of each other in every channel (a screenshot's pixel against
/// the colour a screen was painted).
pub fn colour_close(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tolerance)
}

/// The `name=value` of cookie `name` that `res` sets (`__Host-` prefixed when the server marks
/// its cookies Secure), as a browser sends it back.
pub fn cookie_of(res: &reqwest::blocking::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|c| c.starts_with(&format!("{name}=")) || c.starts_with(&format!("__Host-{name}=")))
        .map(str::to_owned)
}

/// The value of a page's hidden CSRF field.
pub fn csrf_field(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("csrf field") + 19;
    html[at..].split('"').next().unwrap_or_default().to_owned()
}

/// Form fields, encoded as a browser posts them.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", usher_core::form::encode(v.as_bytes())))
        .collect::<Vec<_>>()
        .join("&")
}
