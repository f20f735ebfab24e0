//! The venue passes are judged at: its settings, its rules for this kiosk, the contact
//! protection and the ledger, opened once for the command line, the scanning pipeline, sync
//! and retention, with the warnings the admin should see; or the demo feed's venue, whose
//! ledger is in memory so demo sign-ins reach neither the venue's ledger nor its server.

use anyhow::Context as _;
use std::path::{Path, PathBuf};
use usher_core::walkin::WalkIn;
use usher_core::{
    DoorLedger, DoorMode, DoorRules, DoorScan, DoorVerdict, Entrance, InsideNow, Now, Pass, Rules,
    SignOutRules, Verdict, judge_at_door, judge_pass_at_door, sign_out_due,
};

use crate::clock::{Clock, local_time};
use crate::contact::Protection;
use crate::ledger::{DryRun, LedgerError, SqliteLedger};
use crate::settings::Settings;
use crate::signout::SignOut;
use std::sync::Arc;

/// The settings file looked for in the working folder when none is given.
pub const DEFAULT_SETTINGS: &str = "settings.xml";

/// The settings file to use: the one given, else `./settings.xml` when there is one.
pub fn settings_file(given: Option<&Path>) -> Option<PathBuf> {
    match given {
        Some(file) => Some(file.to_owned()),
        None => Some(PathBuf::from(DEFAULT_SETTINGS)).filter(|f| f.exists()),
    }
}

/// What the command line may change of a venue's settings (`usher verify --device-id`,
/// `--ledger`).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Judge as this kiosk instead of the settings' (or the kept) device id.
    pub device_id: Option<String>,
    /// Use this ledger file instead of the settings' `ledgerFile`.
    pub ledger: Option<PathBuf>,
    /// Judge at this entrance instead of the settings' `<entrance>` (`usher verify --entrance`).
    pub entrance: Option<Entrance>,
}

/// A venue, opened: settings, rules, ledger (with its contact protection) and warnings.
#[derive(Debug)]
pub struct Venue {
    /// The settings it was opened with.
    pub settings: Settings,
    /// The verdict rules for this kiosk.
    pub rules: Rules,
    /// The door's rules for this kiosk: entrance, mode, capacity, automatic sign-out.
    pub door: DoorRules,
    /// The ledger.
    pub ledger: SqliteLedger,
    /// Warnings for the admin: the settings' own, then files holding contact data or its key
    /// that others can read.
    pub warnings: Vec<String>,
    /// The ledger's file; `None` for the demo feed's venue (in memory).
    ledger_file: Option<PathBuf>,
}

impl Venue {
    /// Opens the venue `settings` describe: the contact protection and the ledger, once.
    pub fn open(settings: Settings, overrides: &Overrides) -> anyhow::Result<Venue> {
        let device_id = match &overrides.device_id {
            Some(id) => id.clone(),
            None => crate::settings::device_id(&settings)?,
        };
        let ledger_file = overrides
            .ledger
            .clone()
            .unwrap_or_else(|| settings.ledger_file.clone());
        let protection = Protection::for_settings(&settings, &ledger_file)?;
        let ledger = SqliteLedger::open_with(&ledger_file, protection)
            .with_context(|| format!("cannot open the ledger {}", ledger_file.display()))?;
        let mut warnings = settings.warnings.clone();
        let key_file = ledger.protection().key_file().map(Path::to_owned);
        for file in [Some(ledger_file.clone()), key_file].into_iter().flatten() {
            if crate::private_file::readable_by_others(&file) {
                let w = format!(
                    "{} holds contact data or its key and is readable by other users: chmod 600 it",
                    file.display()
                );
                tracing::warn!("{w}");
                warnings.push(w);
            }
        }
        let mut door = settings.door.clone();
        if let Some(entrance) = &overrides.entrance {
            door.entrance = entrance.clone();
        }
        Ok(Venue {
            rules: settings.rules(device_id),
            door,
            settings,
            ledger,
            warnings,
            ledger_file: Some(ledger_file),
        })
    }

    /// The demo feed's venue: default settings, the demo rules and a ledger in memory.
    pub fn demo() -> anyhow::Result<Venue> {
        Ok(Venue {
            settings: Settings::from_raw(Path::new(DEFAULT_SETTINGS), &[])?,
            rules: crate::camera::demo::rules(),
            door: DoorRules::default(),
            ledger: SqliteLedger::in_memory()?,
            warnings: Vec::new(),
            ledger_file: None,
        })
    }

    /// Whether this is the demo feed's venue, which records nothing anywhere.
    pub fn is_demo(&self) -> bool {
        self.ledger_file.is_none()
    }

    /// Another connection to the venue's ledger, with the same contact protection, for a
    /// thread of its own (sync, retention).
    pub fn connection(&self) -> anyhow::Result<SqliteLedger> {
        let file = self
            .ledger_file
            .as_deref()
            .context("the demo feed's ledger is in memory: no second connection")?;
        SqliteLedger::open_with(file, self.ledger.protection().clone())
            .with_context(|| format!("cannot open the ledger {}", file.display()))
    }

    /// Judges `text` at `now` at the door and records the outcome: an entry (the stay, and
    /// for a use of the pass its use and outbox row), an exit, or the rejection in the scan log.
    /// An `in` kiosk without a capacity (the default) gives exactly the verdicts of
    /// [`usher_core::judge`].
    pub fn judge(&mut self, text: &str, now: Now) -> Result<Verdict, LedgerError> {
        self.judge_at_door(text, &DoorScan::default(), false, now)
            .map(|v| v.verdict)
    }

    /// Judges `text` at the door with what the caller asks of the scan (`--party`, the
    /// override); `leaving`: the scan is an exit whatever `<doorMode>` says (`--leaving`).
    pub fn judge_at_door(
        &mut self,
        text: &str,
        scan: &DoorScan,
        leaving: bool,
        now: Now,
    ) -> Result<DoorVerdict, LedgerError> {
        let door = self.door_for(leaving);
        judge_at_door(text, &self.rules, &door, scan, now, &mut self.ledger)
    }

    /// Judges a scan at the kiosk's door; with `hold_party`, an entry of a pass that admits
    /// more than one is held back from upload for the party prompt, in the same transaction
    /// as the entry (so the uploader never sees it before the hold).
    pub fn judge_scan(
        &mut self,
        text: &str,
        scan: &DoorScan,
        hold_party: bool,
        now: Now,
    ) -> Result<(DoorVerdict, bool), LedgerError> {
        let (rules, door) = (&self.rules, &self.door);
        self.ledger.atomically(|ledger| {
            let verdict = judge_at_door(text, rules, door, scan, now, ledger)?;
            let party = verdict.verdict.pass().map_or(1, |p| p.payload.party.get());
            let held = match &verdict.entered {
                Some(entered) if hold_party && party > 1 => ledger.hold_party(&entered.entry)?,
                _ => false,
            };
            Ok((verdict, held))
        })
    }

    /// Signs in a walk-in (the volunteer's manual path): a pass with a random identity,
    /// judged as an entry at the kiosk's entrance whatever `<doorMode>` says, recorded like
    /// any sign-in (stay, use, sealed outbox row).
    pub fn judge_walk_in(
        &mut self,
        walk_in: &WalkIn,
        scan: &DoorScan,
        now: Now,
    ) -> Result<(Pass, DoorVerdict), LedgerError> {
        let random =
            crate::random::bytes::<16>().map_err(|e| LedgerError::Random(e.to_string()))?;
        let pass = walk_in.pass(random, now.unix);
        let verdict = self.judge_pass(pass.clone(), scan, now)?;
        Ok((pass, verdict))
    }

    /// Judges a pass made here (a walk-in) as an entry, recording it as [`Venue::judge`] does.
    pub fn judge_pass(
        &mut self,
        pass: Pass,
        scan: &DoorScan,
        now: Now,
    ) -> Result<DoorVerdict, LedgerError> {
        let mut door = self.door.clone();
        door.mode = DoorMode::In;
        judge_pass_at_door(pass, &self.rules, &door, scan, now, &mut self.ledger)
    }

    /// Judges `text` as [`Venue::judge_at_door`] would, recording nothing.
    pub fn judge_dry_run(
        &self,
        text: &str,
        scan: &DoorScan,
        leaving: bool,
        now: Now,
    ) -> Result<DoorVerdict, LedgerError> {
        let door = self.door_for(leaving);
        judge_at_door(
            text,
            &self.rules,
            &door,
            scan,
            now,
            &mut DryRun(&self.ledger),
        )
    }

    /// Closes the stays due by `now` under the door's automatic sign-out with `auto` exits
    /// (none without a closing time or longest stay); returns how many it closed.
    pub fn sign_out_due(&mut self, now: Now) -> Result<usize, LedgerError> {
        sign_out_due(&mut self.ledger, &self.door, &self.rules.device_id, now).map(|c| c.len())
    }

    /// The automatic sign-out over its own connection, for the `usher-door` thread; `None`
    /// for the demo feed's venue (it records nothing, and its door has no sign-out) and for a
    /// door with neither a closing time nor a longest stay.
    pub fn sign_out(&self, clock: Arc<dyn Clock>) -> anyhow::Result<Option<SignOut>> {
        if self.is_demo() || self.door.sign_out == SignOutRules::default() {
            return Ok(None);
        }
        let device_id = self.rules.device_id.clone();
        Ok(SignOut::new(
            self.connection()?,
            self.door.clone(),
            device_id,
            clock,
        ))
    }

    /// Inside now, per entrance, from the ledger.
    pub fn inside_now(&mut self) -> Result<InsideNow, LedgerError> {
        self.ledger.inside_now()
    }

    fn door_for(&self, leaving: bool) -> DoorRules {
        let mut door = self.door.clone();
        if leaving {
            door.mode = DoorMode::Out;
        }
        door
    }
}

/// A verdict's reason for people: times in local time, no contact details.
pub fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Used { first, .. } => {
            format!(
                "first used {} on {}",
                local_time(first.at),
                usher_core::display::clean(&first.device_id)
            )
        }
        Verdict::Expired { pass } => {
            let expiry = pass
                .payload
                .expiry
                .and_then(|e| i64::try_from(e).ok())
                .unwrap_or_default();
            format!("expired {}", local_time(expiry))
        }
        Verdict::Goodbye {
            closed: Some(stay), ..
        } => format!(
            "left, in since {} at {}",
            local_time(stay.since),
            stay.entrance
        ),
        other => other.reason(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_venue_warns_when_the_ledger_or_its_key_is_readable_by_others() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.xml");
        std::fs::write(
            &file,
            "<settings><qrCodeAuthRequired>false</qrCodeAuthRequired><deviceId>d</deviceId></settings>",
        )
        .unwrap();
        let settings = crate::settings::Settings::load(&file).unwrap();
        let venue = Venue::open(settings.clone(), &Overrides::default()).unwrap();
        assert!(venue.warnings.is_empty(), "{:?}", venue.warnings);
        assert_eq!(
            venue.ledger.protection().describe(),
            format!(
                "kept under the local key in {}",
                dir.path().join("usher.contact.key").display()
            )
        );
        drop(venue);
        let key = dir.path().join("usher.contact.key");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let venue = Venue::open(settings, &Overrides::default()).unwrap();
        assert_eq!(venue.warnings.len(), 1, "{:?}", venue.warnings);
        assert!(venue.warnings[0].contains("usher.contact.key"));
        assert!(venue.warnings[0].contains("readable by other users"));
    }

    #[test]
    fn a_dry_run_records_nothing_and_sees_earlier_uses() {
        let mut venue = Venue::demo().unwrap();
        let texts = crate::camera::demo::texts(1_800_000_000, 0);
        let now = Now::utc(1_800_000_000);
        let kind = |v: Verdict| v.kind();
        assert_eq!(
            kind(
                venue
                    .judge_dry_run(&texts[0], &DoorScan::default(), false, now)
                    .unwrap()
                    .verdict
            ),
            usher_core::VerdictKind::Accepted
        );
        assert_eq!(venue.ledger.local_uses().unwrap(), 0);
        assert_eq!(venue.ledger.recent_scans(10).unwrap(), vec![]);
        venue.judge(&texts[0], now).unwrap();
        assert_eq!(
            kind(
                venue
                    .judge_dry_run(&texts[0], &DoorScan::default(), false, now)
                    .unwrap()
                    .verdict
            ),
            usher_core::VerdictKind::Used
        );
        assert_eq!(venue.ledger.recent_scans(10).unwrap().len(), 1);
    }
}
