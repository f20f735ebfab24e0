//! The command-line contract of DESIGN §4: `usher [kiosk]`, `issue`, `verify`, `scan`,
//! `keygen`, `enroll`: the arguments, and each command as a function from typed arguments to
//! output lines; `main` turns an `Err` into one line on standard error and a non-zero exit.

pub mod scan;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use std::io::{BufRead, IsTerminal as _, Read as _, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use usher_core::issue::{DEFAULT_BASE_URL, PassSpec, pass_text};
use usher_core::{DoorScan, Entrance, Now, PartySize, Scheme, Secret, VerdictKind};

use crate::clock::{Clock, SystemClock};
use crate::keys;
use crate::settings::Settings;
use crate::venue::{DEFAULT_SETTINGS, Overrides, Venue, describe};

/// Usher: offline QR sign-in for the door of a small venue.
#[derive(Debug, Parser)]
#[command(name = "usher", version, about)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do [default: run the kiosk].
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The kiosk's options, for plain `usher`.
    #[command(flatten)]
    pub kiosk: crate::run::KioskArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the kiosk (the default).
    Kiosk(crate::run::KioskArgs),
    /// Mint a pass and print its text.
    Issue(Box<IssueArgs>),
    /// Judge pass texts against settings and the ledger, and record them; one line per text.
    ///
    /// Verify records each text as the kiosk at the door does: an accepted pass is used up
    /// (its use and sign-in go into the ledger) and every verdict into the scan log. With
    /// --dry-run it records nothing.
    Verify(VerifyArgs),
    /// Decode image files, then judge (and record) them as verify does; one line per image.
    Scan(ScanArgs),
    /// Who is inside now: one line per entrance, then `total`: NAME, INSIDE, CAPACITY (or -).
    Inside(InsideArgs),
    /// Make an Ed25519 key pair and a shared secret for issuing.
    Keygen(KeygenArgs),
    /// Enrol this kiosk with a server: the server's enrolment code, from stdin or a file.
    ///
    /// The code holds the kiosk's device token: give it on standard input (`usher enroll <
    /// code.txt`, or `usher enroll -`) or with --file, not as an argument, which shows in `ps`
    /// and in shell history.
    Enroll(EnrollArgs),
}

/// `usher issue`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("key").required(true))]
#[command(group = clap::ArgGroup::new("until").required(true))]
pub struct IssueArgs {
    /// The shared password (SHA-1 or HMAC-SHA256). Prefer --key-file: arguments show in `ps`.
    #[arg(long, group = "key", value_parser = parse_secret)]
    pub password: Option<Secret>,
    /// A PEM Ed25519 private key, or a file holding the shared secret.
    #[arg(long, group = "key", value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Signature scheme [default: ed25519 for a PEM key, else hmac-sha256].
    #[arg(long)]
    pub scheme: Option<Scheme>,
    /// Expiry as Unix seconds.
    #[arg(long, group = "until", value_name = "UNIX")]
    pub expiry: Option<u64>,
    /// Expiry as a duration from now: 30d, 12h, 90m, 2w.
    #[arg(long, group = "until", value_name = "DURATION", value_parser = parse_duration)]
    pub valid_for: Option<Duration>,
    /// Visitor's name (s1).
    #[arg(long, conflicts_with = "s1")]
    pub name: Option<String>,
    /// Visitor's phone (s2).
    #[arg(long, conflicts_with = "s2")]
    pub phone: Option<String>,
    /// Visitor's email (s3).
    #[arg(long, conflicts_with = "s3")]
    pub email: Option<String>,
    #[arg(long)]
    pub s1: Option<String>,
    #[arg(long)]
    pub s2: Option<String>,
    #[arg(long)]
    pub s3: Option<String>,
    #[arg(long)]
    pub s4: Option<String>,
    #[arg(long)]
    pub s5: Option<String>,
    #[arg(long)]
    pub s6: Option<String>,
    #[arg(long)]
    pub s7: Option<String>,
    #[arg(long)]
    pub s8: Option<String>,
    #[arg(long)]
    pub s9: Option<String>,
    #[arg(long)]
    pub s10: Option<String>,
    /// Bind the pass to one kiosk's device id.
    #[arg(long, value_name = "DEVICE")]
    pub id: Option<String>,
    /// The URL the pass text starts with.
    #[arg(long, value_name = "URL", default_value = DEFAULT_BASE_URL)]
    pub base_url: String,
    /// Also write the pass as a QR code PNG (error correction M, quiet zone 4 modules).
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
}

/// Where and when passes are judged: shared by `verify` and `scan`.
#[derive(Debug, Args)]
pub struct VenueArgs {
    /// The settings file [default: ./settings.xml].
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// The ledger [default: the settings' ledgerFile].
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// Judge as if it were this Unix time.
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
    /// Judge as this kiosk.
    #[arg(long, value_name = "ID")]
    pub device_id: Option<String>,
}

/// `usher verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub venue: VenueArgs,
    /// Judge only: record nothing, neither uses nor the scan log. Without it, verify records
    /// each text as the kiosk would, and an accepted pass is used up.
    #[arg(long)]
    pub dry_run: bool,
    /// Judge at this entrance [default: the settings' <entrance>, else main].
    #[arg(long, value_name = "NAME")]
    pub entrance: Option<Entrance>,
    /// Record an exit (qr_goodbye) whatever the settings' <doorMode> says.
    #[arg(long)]
    pub leaving: bool,
    /// The head count of an entry, at most the pass's p [default: p].
    #[arg(long, value_name = "N")]
    pub party: Option<PartySize>,
    /// Pass texts; `-` reads one per line from standard input.
    #[arg(required = true, value_name = "TEXT")]
    pub texts: Vec<String>,
}

/// `usher inside`: `--now` counts as if it were that Unix time, the stays due by then signed
/// out first.
#[derive(Debug, Args)]
pub struct InsideArgs {
    #[command(flatten)]
    pub venue: VenueArgs,
}

/// `usher scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub venue: VenueArgs,
    /// Instead of judging, compare each image's decoded text with NAME.txt beside it and
    /// print the decode rate and time per image.
    #[arg(long)]
    pub bench: bool,
    /// With --bench: the rotations to try, in degrees.
    #[arg(long, value_delimiter = ',', default_value = "0,90,180,270", value_parser = scan::parse_rotation)]
    pub rotations: Vec<usher_decode::bench::Rotation>,
    /// Image files or folders.
    #[arg(required = true, value_name = "IMAGE_OR_DIR")]
    pub paths: Vec<PathBuf>,
}

/// `usher enroll`: `usher enroll < code.txt`, `usher enroll --file code.txt`, `usher enroll -`.
#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// The settings file to update (created if absent) [default: ./settings.xml].
    #[arg(long, value_name = "FILE", default_value = DEFAULT_SETTINGS)]
    pub settings: PathBuf,
    /// Read the enrolment text from this file.
    #[arg(long, value_name = "F", conflicts_with = "text")]
    pub file: Option<PathBuf>,
    /// The enrolment text (`usher-enroll:?server=…&token=…&key=…`); `-` or none reads it
    /// from standard input. Prefer standard input or --file: an argument shows in `ps` and
    /// in shell history, and the text holds the device token.
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
}

/// `usher keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The private key file; FILE.pub and FILE.secret are written beside it.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("{e} (try 30d, 12h, 90m)"))
}

/// Runs a parsed command line; `Ok(false)` means "ran, but not everything was accepted".
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<bool> {
    match cli.command {
        None => crate::run::run_kiosk(cli.kiosk),
        Some(Command::Kiosk(args)) => crate::run::run_kiosk(args),
        Some(Command::Issue(args)) => issue(*args, &SystemClock, out).map(|()| true),
        Some(Command::Verify(args)) => verify(args, out),
        Some(Command::Scan(args)) if args.bench => scan::bench(&args.paths, &args.rotations, out),
        Some(Command::Scan(args)) => {
            let (mut venue, now) = open_venue(&args.venue)?;
            scan::scan(&mut venue, now, &args.paths, out)
        }
        Some(Command::Inside(args)) => inside(&args, out).map(|()| true),
        Some(Command::Keygen(args)) => keygen(&args.out, out).map(|()| true),
        Some(Command::Enroll(args)) => enroll(&args, out).map(|()| true),
    }
}

/// `usher enroll`: the enrolment text from the argument, a file or standard input, written
/// into the settings.
pub fn enroll(args: &EnrollArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let text = match (&args.file, args.text.as_deref()) {
        (Some(file), _) => std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the enrolment code from {}", file.display()))?,
        (None, Some(text)) if text != "-" => text.to_owned(),
        (None, None) if std::io::stdin().is_terminal() => {
            bail!("give the enrolment code on standard input (usher enroll < FILE) or --file FILE")
        }
        (None, _) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading the enrolment code from standard input")?;
            text
        }
    };
    let enrolment = crate::enroll::Enrolment::parse(&text)?;
    let key = crate::enroll::apply(&enrolment, &args.settings)?;
    writeln!(
        out,
        "enrolled with {}: {} updated, organiser key in {}",
        enrolment.server,
        args.settings.display(),
        key.display()
    )?;
    Ok(())
}

/// A secret argument, kept in a [`Secret`] so `Debug` of the parsed arguments prints `***`.
fn parse_secret(s: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::from(s))
}

/// `usher issue`: prints the pass text (and writes the PNG).
pub fn issue(args: IssueArgs, clock: &dyn Clock, out: &mut dyn Write) -> anyhow::Result<()> {
    let signer = match (&args.password, &args.key_file) {
        (Some(pw), _) => keys::signer_from_password(pw.clone(), args.scheme)?,
        (None, Some(file)) => keys::signer_from_file(file, args.scheme)?,
        (None, None) => bail!("give --password or --key-file"),
    };
    let expiry = match (args.expiry, args.valid_for) {
        (Some(unix), _) => unix,
        (None, Some(d)) => {
            let now = u64::try_from(clock.now().unix).context("the clock is before 1970")?;
            now.checked_add(d.as_secs())
                .context("--valid-for is too long")?
        }
        (None, None) => bail!("give --expiry or --valid-for"),
    };
    let strings = [
        args.name.or(args.s1),
        args.phone.or(args.s2),
        args.email.or(args.s3),
        args.s4,
        args.s5,
        args.s6,
        args.s7,
        args.s8,
        args.s9,
        args.s10,
    ];
    let spec = PassSpec {
        strings,
        expiry,
        device_id: args.id,
        nonce: keys::nonce()?,
        ..Default::default()
    };
    let text = pass_text(&args.base_url, &spec.payload_json(), &signer);
    if text.len() > usher_core::MAX_PASS_TEXT {
        bail!(
            "the pass would be {} bytes, over the {} a kiosk reads",
            text.len(),
            usher_core::MAX_PASS_TEXT
        );
    }
    if let Some(png) = &args.png {
        write_qr_png(&text, png)?;
    }
    writeln!(out, "{text}")?;
    Ok(())
}

/// Writes `text` as a QR code PNG: error correction M, 4-module quiet zone, 8 px modules.
pub fn write_qr_png(text: &str, path: &Path) -> anyhow::Result<()> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .context("the pass does not fit in a QR code")?;
    let image = code
        .render::<image::Luma<u8>>()
        .quiet_zone(true)
        .module_dimensions(8, 8)
        .build();
    image
        .save(path)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Opens the venue `args` name and the moment to judge at; its warnings (and what a kiosk
/// would refuse) go to standard error.
pub fn open_venue(args: &VenueArgs) -> anyhow::Result<(Venue, Now)> {
    open_venue_at(args, None)
}

/// [`open_venue`], judging at `entrance` instead of the settings' `<entrance>`.
fn open_venue_at(args: &VenueArgs, entrance: Option<Entrance>) -> anyhow::Result<(Venue, Now)> {
    let file = crate::venue::settings_file(args.settings.as_deref())
        .context("no ./settings.xml here; give --settings FILE")?;
    let settings = Settings::load(&file)?;
    let refusals = settings.refusals();
    let overrides = Overrides {
        device_id: args.device_id.clone(),
        ledger: args.ledger.clone(),
        entrance,
    };
    let venue = Venue::open(settings, &overrides)?;
    for warning in venue.warnings.iter().chain(&refusals) {
        eprintln!("usher: warning: {warning}");
    }
    let now = args.now.map_or_else(|| SystemClock.now(), crate::clock::at);
    Ok((venue, now))
}

/// `usher verify`: one line per text, the verdict name first; `Ok(true)` when all were
/// accepted (or, with `--leaving`, their exits recorded). Each text is recorded as at the door
/// unless `--dry-run`.
pub fn verify(args: VerifyArgs, out: &mut dyn Write) -> anyhow::Result<bool> {
    let (mut venue, now) = open_venue_at(&args.venue, args.entrance.clone())?;
    let scan = DoorScan {
        heads: args.party,
        ..DoorScan::default()
    };
    let mut all_accepted = true;
    let mut judge_one = |text: &str, out: &mut dyn Write| -> anyhow::Result<()> {
        let verdict = if args.dry_run {
            venue.judge_dry_run(text, &scan, args.leaving, now)?
        } else {
            venue.judge_at_door(text, &scan, args.leaving, now)?
        }
        .verdict;
        all_accepted &= matches!(verdict.kind(), VerdictKind::Accepted | VerdictKind::Goodbye);
        writeln!(out, "{}\t{}", verdict.name(), describe(&verdict))?;
        Ok(())
    };
    for text in &args.texts {
        if text == "-" {
            // Lines are bytes: one that is not UTF-8 (a scanner typing binary) is judged with
            // its bad bytes replaced, and the texts after it are still judged.
            for line in std::io::stdin().lock().split(b'\n') {
                let line = line.context("reading standard input")?;
                let line = String::from_utf8_lossy(&line);
                if !line.trim().is_empty() {
                    judge_one(line.trim_end_matches(['\r', '\n']), out)?;
                }
            }
        } else {
            judge_one(text, out)?;
        }
    }
    Ok(all_accepted)
}

/// `usher inside`: `NAME<TAB>INSIDE<TAB>CAPACITY` (or `-`) for this kiosk's entrance, every
/// entrance with a capacity and every entrance with someone inside, in name order, then
/// `total` with the venue's capacity. The stays due by `--now` (else the clock) under the
/// automatic sign-out are closed first, so the counts are right after closing time.
pub fn inside(args: &InsideArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (mut venue, now) = open_venue(&args.venue)?;
    venue.sign_out_due(now)?;
    let inside = venue.inside_now()?;
    let capacity = &venue.door.capacity;
    let mut names: std::collections::BTreeSet<&Entrance> = capacity.entrances.keys().collect();
    names.insert(&venue.door.entrance);
    names.extend(inside.iter().map(|(e, _)| e));
    let or_dash = |c: Option<u32>| c.map_or_else(|| "-".to_owned(), |c| c.to_string());
    for name in names {
        writeln!(
            out,
            "{name}\t{}\t{}",
            inside.at(name),
            or_dash(capacity.of(name))
        )?;
    }
    writeln!(
        out,
        "total\t{}\t{}",
        inside.total(),
        or_dash(capacity.venue)
    )?;
    Ok(())
}

/// `usher keygen`.
pub fn keygen(out_path: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let files = keys::keygen(out_path)?;
    writeln!(
        out,
        "{}\tEd25519 private key (PKCS#8 PEM, mode 0600): for `usher issue --key-file`",
        files.private.display()
    )?;
    writeln!(
        out,
        "{}\tEd25519 public key: for kiosks' <publicKeyFile>",
        files.public.display()
    )?;
    writeln!(
        out,
        "{}\t32-byte shared secret (mode 0600): for <qrCodeAuthPassword> on SHA-1/HMAC kiosks",
        files.secret.display()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn scan_rotations_parse_as_a_list() {
        let cli = Cli::try_parse_from(["usher", "scan", "--bench", "--rotations", "0,180", "x"])
            .expect("parse");
        let Some(Command::Scan(args)) = cli.command else {
            panic!("not scan")
        };
        let degrees: Vec<_> = args.rotations.iter().map(|r| r.degrees()).collect();
        assert_eq!(degrees, [0, 180]);
        assert!(Cli::try_parse_from(["usher", "scan", "--rotations", "45", "x"]).is_err());
    }
}
