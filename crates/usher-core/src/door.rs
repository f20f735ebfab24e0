//! The door (DESIGN §8): whether a valid scan is an entry or an exit, and whether the entry
//! may happen (reuse, capacity), decided purely from what the ledger knows.
//!
//! [`decide`] is the pure rule: given the pass after steps 0 to 5 of the verdict rules, the
//! kiosk's [`DoorRules`], what the ledger knows of the holder ([`Holder`]: open stay, earliest
//! counting use, latest exit) and who is inside ([`InsideNow`]), it returns a [`Decision`].
//! [`judge_at_door`] runs the verdict rules, reads those facts from a
//! [`DoorLedger`], decides and records, all in one ledger transaction, and logs rejections as
//! [`crate::judge`] does. A kiosk that does not run the door keeps calling [`crate::judge`].
//!
//! The order of DESIGN §8: steps 0 to 5 (with `qr_too_early` right after `qr_expired`), then
//! for an exit nothing more (an exit is never refused for reuse or capacity: a `once` pass can
//! leave), for an entry `qr_used` and then `qr_full`. In detail:
//! - `out` mode: every valid scan is an exit, closing the holder's open stay (at any
//!   entrance) or, with none, recorded as an exit with no open stay.
//! - `in-out` mode: a holder inside whose entry is at least `min_stay_seconds` old leaves;
//!   scanned again sooner, the answer is `qr_used` naming that entry (the pass is in use by
//!   someone inside), and nothing is recorded. A holder not inside enters.
//! - `in` mode: every valid scan is an entry.
//! - An entry is `qr_used` when an earlier use counts under the reuse policy, except that
//!   someone who left (a scanned exit the same local day, after that use) and comes back opens
//!   a new stay that is not a new use under `daily` and `interval`. An automatic exit does not
//!   count as leaving. Under `once`, and for every event pass
//!   (`ev`: single use per event whatever the policy), coming back is `qr_used`.
//! - An entry while the holder still has an open stay (an `in` kiosk, or a stay past closing
//!   time) closes that stay first with an automatic exit: a person is never inside twice.
//! - An expired pass may still leave (close its open stay): the pass got them in, and nobody
//!   is kept inside by a date. It cannot enter, and with no open stay it is `qr_expired`.
//! - `qr_full`: the party (the head count asked for, at most `p`) does not fit under the
//!   entrance's or the venue's capacity. With the volunteer's override it enters anyway,
//!   recorded as an override.

use crate::Now;
use crate::capacity::{Capacity, DoorStatus, Occupancy, Percent, Scope};
use crate::lease::HeldLease;
use crate::ledger::{DoorLedger, Entry, Exit, FirstUse, Holder};
use crate::payload::{Pass, PassId};
use crate::reuse::ReusePolicy;
use crate::signout::{SignOutRules, due_exits};
use crate::stay::{
    AutoExit, AutoReason, Entrance, EntryId, ExitKind, InsideNow, OpenStay, PartySize,
};
use crate::verdict::{Denial, Inspection, Rules, Verdict, inspect, log_rejection};
use std::fmt;
use std::str::FromStr;

/// `<doorMode>`: what a valid scan at this kiosk records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum DoorMode {
    /// Every valid scan is an entry (the default; today's kiosk).
    #[default]
    In,
    /// Every valid scan is an exit.
    Out,
    /// A holder inside (for at least the minimum stay) leaves; anyone else enters.
    InOut,
}

impl fmt::Display for DoorMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DoorMode::In => "in",
            DoorMode::Out => "out",
            DoorMode::InOut => "in-out",
        })
    }
}

/// The error for a door mode other than `in`, `out`, `in-out`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown door mode (expected in, out or in-out)")]
pub struct BadDoorMode;

impl FromStr for DoorMode {
    type Err = BadDoorMode;
    /// `in`, `out`, `in-out` as settings.xml writes them (case and surrounding space ignored).
    fn from_str(s: &str) -> Result<Self, BadDoorMode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "in" => Ok(DoorMode::In),
            "out" => Ok(DoorMode::Out),
            "in-out" => Ok(DoorMode::InOut),
            _ => Err(BadDoorMode),
        }
    }
}

/// The door's settings, typed once at the edge (`<entrance>`, `<doorMode>`,
/// `<minStaySeconds>`, `<capacity>`, `<capacityWarnPercent>`, `<closingTime>`,
/// `<maxStayMinutes>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorRules {
    /// This kiosk's entrance (`main` by default).
    pub entrance: Entrance,
    /// Entry, exit or both.
    pub mode: DoorMode,
    /// In `in-out` mode, how old an entry must be before a scan of the same pass is an exit.
    pub min_stay_seconds: u32,
    /// The venue's and each entrance's capacity.
    pub capacity: Capacity,
    /// The amber status level, in percent of a capacity.
    pub warn_percent: Percent,
    /// Closing time and longest stay for the automatic sign-out.
    pub sign_out: SignOutRules,
}

impl DoorRules {
    /// The default `<minStaySeconds>`.
    pub const DEFAULT_MIN_STAY_SECONDS: u32 = 60;

    /// The status line's figures for `inside`.
    pub fn status(&self, inside: &InsideNow) -> DoorStatus {
        DoorStatus::new(inside, &self.entrance, &self.capacity, self.warn_percent)
    }
}

impl Default for DoorRules {
    fn default() -> Self {
        DoorRules {
            entrance: Entrance::main(),
            mode: DoorMode::In,
            min_stay_seconds: Self::DEFAULT_MIN_STAY_SECONDS,
            capacity: Capacity::default(),
            warn_percent: Percent::default(),
            sign_out: SignOutRules::default(),
        }
    }
}

/// What the caller asks of one scan beyond its text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DoorScan {
    /// The head count of an entry (`--party N`); `None`: the pass's `p`. Capped at `p`.
    pub heads: Option<PartySize>,
    /// The volunteer PIN was given to admit this entry over capacity (after a `qr_full`).
    pub over_capacity: bool,
}

/// The door's decision on a pass that passed steps 0 to 5 (or is only expired).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Record an entry: `qr_accepted`.
    Enter {
        /// How many come in.
        heads: PartySize,
        /// Whether it counts as a use of the pass (`false`: back after stepping out).
        new_use: bool,
        /// Admitted over capacity by the volunteer: an override.
        over_capacity: bool,
        /// The holder's open stay, closed first with an automatic exit.
        closes: Option<AutoExit>,
    },
    /// Record an exit: `qr_goodbye`.
    Leave {
        /// The stay it closes; `None`: an exit with no open stay.
        closes: Option<OpenStay>,
    },
    /// `qr_used`: nothing recorded.
    Used(FirstUse),
    /// `qr_full`: nothing recorded.
    Full {
        /// The limit the party would go over.
        scope: Scope,
        /// That limit's count before the entry.
        occupancy: Occupancy,
    },
    /// `qr_expired`: an expired pass that is not leaving.
    Expired,
}

/// The facts the door decides over, read from the ledger in the judging transaction.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The holder, asked with `reuse.counts_since(now)`.
    pub holder: &'a Holder,
    /// Who is inside (may be empty when no capacity is set: it is then not consulted).
    pub inside: &'a InsideNow,
    /// The place lease this kiosk holds from the server ([`crate::lease`]), with its own
    /// inside-now; `None`: no lease (standalone, or the server sets no capacity).
    pub lease: Option<HeldLease>,
}

/// The door's rule (see the module doc). `expired`: the pass failed only step 5's expiry;
/// `reuse`: the policy for this pass ([`Rules::reuse_for`]).
pub fn decide(
    pass: &Pass,
    expired: bool,
    reuse: ReusePolicy,
    facts: Facts<'_>,
    door: &DoorRules,
    scan: &DoorScan,
    now: Now,
) -> Decision {
    let open = facts.holder.open_stay.as_ref();
    let leaves = match door.mode {
        DoorMode::In => false,
        DoorMode::Out => true,
        DoorMode::InOut => match open {
            None => false,
            Some(stay) if door.sign_out.due(stay, now).is_some() => false,
            Some(stay)
                if now.unix.saturating_sub(stay.since) >= i64::from(door.min_stay_seconds) =>
            {
                true
            }
            // Too soon to leave, and expired: nothing else to say.
            Some(_) if expired => return Decision::Expired,
            Some(stay) => {
                return Decision::Used(FirstUse {
                    at: stay.since,
                    device_id: stay.device_id.clone(),
                });
            }
        },
    };
    if leaves {
        if expired && open.is_none() {
            return Decision::Expired;
        }
        return Decision::Leave {
            closes: open.cloned(),
        };
    }
    if expired {
        return Decision::Expired;
    }

    // An entry. A stay still open is closed first: at its automatic end if that is due,
    // otherwise now (the same pass entering again at an `in` kiosk).
    let closes = open.map(|stay| {
        door.sign_out.due(stay, now).unwrap_or_else(|| AutoExit {
            stay: stay.clone(),
            at: now.unix,
            reason: AutoReason::Superseded,
        })
    });
    let new_use = match &facts.holder.first_use {
        None => true,
        Some(first) => {
            // Stepping out is a scanned exit since the counting use, the same local day, with
            // no stay open since: an automatic exit is no sign that anyone left (at an `in`
            // kiosk every exit is automatic, and `daily` must still mean once a day there).
            let stepped_out = matches!(reuse, ReusePolicy::Daily | ReusePolicy::Interval(_))
                && open.is_none()
                && facts.holder.last_exit.is_some_and(|(at, kind)| {
                    kind == ExitKind::Scan && at >= now.local_day_start() && at >= first.at
                });
            if !stepped_out {
                return Decision::Used(first.clone());
            }
            false
        }
    };

    let heads = scan
        .heads
        .map_or(pass.payload.party, |h| h.min(pass.payload.party));
    let mut over_capacity = false;
    if door.capacity.is_limited() {
        let mut inside = facts.inside.clone();
        if let Some(c) = &closes {
            inside.remove(&c.stay.entrance, u32::from(c.stay.heads.get()));
        }
        if let Some((scope, occupancy)) = door
            .status(&inside)
            .overflow(&door.entrance, u32::from(heads.get()))
        {
            if !scan.over_capacity {
                return Decision::Full { scope, occupancy };
            }
            over_capacity = true;
        }
    }
    // The place lease: this kiosk's own open stays stay within the places it holds, which is
    // what keeps the venue's capacity across kiosks when this one is cut off.
    if let Some(held) = facts.lease
        && !over_capacity
        && !held
            .lease
            .admits(held.own_inside, u32::from(heads.get()), now.unix)
    {
        if !scan.over_capacity {
            let venue = door.status(facts.inside).venue;
            let occupancy = match venue.capacity {
                Some(_) => venue,
                None => Occupancy::new(held.own_inside, Some(held.lease.places), door.warn_percent),
            };
            return Decision::Full {
                scope: Scope::Venue,
                occupancy,
            };
        }
        over_capacity = true;
    }
    Decision::Enter {
        heads,
        new_use,
        over_capacity,
        closes,
    }
}

/// An entry recorded at the door, for the screen (party prompt) and the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entered {
    /// The entry's id (for [`DoorLedger::set_heads`] after the party prompt).
    pub entry: EntryId,
    /// The head count recorded.
    pub heads: PartySize,
    /// Whether it counted as a use (`false`: back after stepping out).
    pub new_use: bool,
    /// Admitted over capacity: an override.
    pub over_capacity: bool,
    /// The entrance the pass was booked for (`en`), when it is not this kiosk's: accepted,
    /// and recorded where it was used.
    pub booked_elsewhere: Option<Entrance>,
}

/// A verdict at the door and what it recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct DoorVerdict {
    /// The verdict: `qr_accepted` for an entry, `qr_goodbye` for an exit, or a rejection.
    pub verdict: Verdict,
    /// For `qr_accepted`: the entry recorded.
    pub entered: Option<Entered>,
    /// An open stay of the same holder closed automatically on the way in.
    pub auto_exit: Option<AutoExit>,
}

impl DoorVerdict {
    /// A verdict that recorded no entry (a rejection or an exit).
    fn only(verdict: Verdict) -> Self {
        DoorVerdict {
            verdict,
            entered: None,
            auto_exit: None,
        }
    }
}

/// Judges one scanned text at the door: the verdict rules' steps 0 to 5, then [`decide`],
/// recording the entry or exit, all in one [`DoorLedger::atomically`]. Rejections go to the
/// scan log as with [`crate::judge`]. `Err` means only that the ledger failed.
pub fn judge_at_door<L: DoorLedger>(
    text: &str,
    rules: &Rules,
    door: &DoorRules,
    scan: &DoorScan,
    now: Now,
    ledger: &mut L,
) -> Result<DoorVerdict, L::Error> {
    let (pass, expired) = match screen(text, rules, now) {
        Screened::Pass { pass, expired } => (pass, expired),
        Screened::Rejected { verdict, pass_id } => {
            log_rejection(ledger, &verdict, pass_id, now)?;
            return Ok(DoorVerdict::only(verdict));
        }
    };
    decide_and_record(pass, expired, rules, door, scan, now, ledger)
}

/// Judges a pass made at the kiosk rather than scanned (a walk-in, [`crate::walkin`]) at the
/// door: [`decide`] and every row it writes in one [`DoorLedger::atomically`], as
/// [`judge_at_door`] does after steps 0 to 5 (which such a pass has no text for).
pub fn judge_pass_at_door<L: DoorLedger>(
    pass: Pass,
    rules: &Rules,
    door: &DoorRules,
    scan: &DoorScan,
    now: Now,
    ledger: &mut L,
) -> Result<DoorVerdict, L::Error> {
    decide_and_record(pass, false, rules, door, scan, now, ledger)
}

/// [`decide`] over the ledger's facts and the rows of its decision, in one transaction.
fn decide_and_record<L: DoorLedger>(
    pass: Pass,
    expired: bool,
    rules: &Rules,
    door: &DoorRules,
    scan: &DoorScan,
    now: Now,
    ledger: &mut L,
) -> Result<DoorVerdict, L::Error> {
    ledger.atomically(|ledger| {
        // A pass its holder revoked opens no door, whatever the mode (DESIGN §9).
        if ledger.revoked(&pass.id)? {
            let verdict = Verdict::NotAuthorized(Denial::Revoked);
            log_rejection(ledger, &verdict, Some(pass.id), now)?;
            return Ok(DoorVerdict::only(verdict));
        }
        let device_id = rules.device_id.as_str();
        let decision = read_and_decide(ledger, &pass, expired, rules, door, scan, now)?;
        let verdict = match decision {
            Decision::Enter {
                heads,
                new_use,
                over_capacity,
                closes,
            } => {
                if let Some(auto) = &closes {
                    ledger.record_exit(&auto_exit_record(auto, device_id, &door.entrance))?;
                }
                let entry = ledger.record_entry(&Entry {
                    pass: &pass,
                    at: now.unix,
                    device_id,
                    entrance: &door.entrance,
                    heads,
                    new_use,
                    over_capacity,
                })?;
                let booked_elsewhere = pass
                    .payload
                    .entrance
                    .clone()
                    .filter(|booked| *booked != door.entrance);
                return Ok(DoorVerdict {
                    verdict: Verdict::Accepted { pass },
                    entered: Some(Entered {
                        entry,
                        heads,
                        new_use,
                        over_capacity,
                        booked_elsewhere,
                    }),
                    auto_exit: closes,
                });
            }
            Decision::Leave { closes } => {
                ledger.record_exit(&Exit {
                    pass_id: pass.id,
                    at: now.unix,
                    device_id,
                    entrance: &door.entrance,
                    closes: closes.as_ref().map(|s| &s.entry),
                    kind: ExitKind::Scan,
                })?;
                return Ok(DoorVerdict::only(Verdict::Goodbye {
                    pass,
                    closed: closes,
                }));
            }
            Decision::Used(first) => Verdict::Used { pass, first },
            Decision::Full { scope, occupancy } => Verdict::Full {
                pass,
                scope,
                occupancy,
            },
            Decision::Expired => Verdict::Expired { pass },
        };
        let pass_id = verdict.pass().map(|p| p.id);
        log_rejection(ledger, &verdict, pass_id, now)?;
        Ok(DoorVerdict::only(verdict))
    })
}

/// What the door would do with a text, without recording or logging anything.
#[derive(Debug, Clone, PartialEq)]
pub enum Preview {
    /// Rejected by steps 0 to 5 (the ledger was not read).
    Rejected(Verdict),
    /// The door's decision on the pass.
    Decided {
        /// The pass.
        pass: Pass,
        /// What [`judge_at_door`] would record or answer.
        decision: Decision,
    },
}

/// [`judge_at_door`] without its side effects (`usher verify --dry-run`): the same steps and
/// the same ledger reads, nothing recorded and nothing logged.
pub fn preview_at_door<L: DoorLedger>(
    text: &str,
    rules: &Rules,
    door: &DoorRules,
    scan: &DoorScan,
    now: Now,
    ledger: &mut L,
) -> Result<Preview, L::Error> {
    match screen(text, rules, now) {
        Screened::Rejected { verdict, .. } => Ok(Preview::Rejected(verdict)),
        Screened::Pass { pass, expired } => {
            let decision = read_and_decide(ledger, &pass, expired, rules, door, scan, now)?;
            Ok(Preview::Decided { pass, decision })
        }
    }
}

/// Steps 0 to 5 as the door sees them: an expired pass may still leave.
enum Screened {
    Pass {
        pass: Pass,
        expired: bool,
    },
    Rejected {
        verdict: Verdict,
        pass_id: Option<PassId>,
    },
}

fn screen(text: &str, rules: &Rules, now: Now) -> Screened {
    match inspect(text, rules, now) {
        Inspection::Claimable(pass) => Screened::Pass {
            pass,
            expired: false,
        },
        Inspection::Rejected {
            verdict: Verdict::Expired { pass },
            ..
        } => Screened::Pass {
            pass,
            expired: true,
        },
        Inspection::Rejected { verdict, pass_id } => Screened::Rejected { verdict, pass_id },
    }
}

/// Reads the facts [`decide`] needs from the ledger (inside now only when a capacity is set
/// and the scan may be an entry) and decides.
fn read_and_decide<L: DoorLedger>(
    ledger: &mut L,
    pass: &Pass,
    expired: bool,
    rules: &Rules,
    door: &DoorRules,
    scan: &DoorScan,
    now: Now,
) -> Result<Decision, L::Error> {
    let reuse = rules.reuse_for(pass);
    let holder = ledger.holder(&pass.id, reuse.counts_since(now))?;
    let entering = door.mode != DoorMode::Out;
    let inside = if entering && door.capacity.is_limited() {
        ledger.inside_now()?
    } else {
        InsideNow::new()
    };
    let lease = if entering {
        ledger.place_lease()?
    } else {
        None
    };
    let facts = Facts {
        holder: &holder,
        inside: &inside,
        lease,
    };
    Ok(decide(pass, expired, reuse, facts, door, scan, now))
}

fn auto_exit_record<'a>(
    auto: &'a AutoExit,
    device_id: &'a str,
    entrance: &'a Entrance,
) -> Exit<'a> {
    Exit {
        pass_id: auto.stay.pass_id,
        at: auto.at,
        device_id,
        entrance,
        closes: Some(&auto.stay.entry),
        kind: ExitKind::Auto,
    }
}

/// The automatic sign-out (DESIGN §8): closes every open stay the ledger holds that is due by
/// `now` under `door.sign_out`, each with an `auto` exit at its closing time or the end of its
/// longest stay, in one transaction; returns what it closed. Run it periodically and at start.
/// It closes stays fetched from other kiosks too: an exit names the entry it closes, and the
/// server keeps one exit per entry, so two kiosks closing the same stay record it once.
pub fn sign_out_due<L: DoorLedger>(
    ledger: &mut L,
    door: &DoorRules,
    device_id: &str,
    now: Now,
) -> Result<Vec<AutoExit>, L::Error> {
    if door.sign_out == SignOutRules::default() {
        return Ok(Vec::new());
    }
    ledger.atomically(|ledger| {
        let open = ledger.open_stays()?;
        let due = due_exits(&open, &door.sign_out, now);
        for auto in &due {
            ledger.record_exit(&auto_exit_record(auto, device_id, &door.entrance))?;
        }
        Ok(due)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::Payload;

    const T: i64 = 1_800_000_000;

    fn pass(party: u64) -> Pass {
        Pass {
            id: PassId::of(b"pass"),
            payload: Payload {
                party: PartySize::new(party).expect("party"),
                ..Payload::default()
            },
        }
    }

    fn stay(since: i64, heads: u64) -> OpenStay {
        OpenStay {
            entry: EntryId("e1".into()),
            pass_id: PassId::of(b"pass"),
            entrance: Entrance::main(),
            since,
            heads: PartySize::new(heads).expect("heads"),
            device_id: "k1".into(),
        }
    }

    fn decide_with(holder: &Holder, inside: &InsideNow, door: &DoorRules, now: i64) -> Decision {
        decide(
            &pass(1),
            false,
            ReusePolicy::Daily,
            Facts {
                holder,
                inside,
                lease: None,
            },
            door,
            &DoorScan::default(),
            Now::utc(now),
        )
    }

    #[test]
    fn door_modes_parse_as_settings_write_them() {
        assert_eq!("in".parse(), Ok(DoorMode::In));
        assert_eq!(" Out ".parse(), Ok(DoorMode::Out));
        assert_eq!("in-out".parse(), Ok(DoorMode::InOut));
        for bad in ["", "inout", "in_out", "both"] {
            assert_eq!(bad.parse::<DoorMode>(), Err(BadDoorMode), "{bad}");
        }
        for m in [DoorMode::In, DoorMode::Out, DoorMode::InOut] {
            assert_eq!(m.to_string().parse(), Ok(m));
        }
        assert_eq!(DoorRules::default().min_stay_seconds, 60);
        assert_eq!(DoorRules::default().warn_percent.get(), 90);
    }

    #[test]
    fn in_out_leaves_only_after_the_minimum_stay() {
        let door = DoorRules {
            mode: DoorMode::InOut,
            ..DoorRules::default()
        };
        let holder = Holder {
            open_stay: Some(stay(T, 1)),
            first_use: Some(FirstUse {
                at: T,
                device_id: "k1".into(),
            }),
            last_exit: None,
        };
        let inside = InsideNow::new();
        assert_eq!(
            decide_with(&holder, &inside, &door, T + 59),
            Decision::Used(FirstUse {
                at: T,
                device_id: "k1".into()
            })
        );
        assert_eq!(
            decide_with(&holder, &inside, &door, T + 60),
            Decision::Leave {
                closes: Some(stay(T, 1))
            }
        );
    }

    #[test]
    fn an_in_kiosk_closes_a_stale_stay_before_a_new_entry() {
        let holder = Holder {
            open_stay: Some(stay(T - 86_400, 2)),
            ..Holder::default()
        };
        let mut inside = InsideNow::new();
        inside.add(&Entrance::main(), 2);
        let door = DoorRules {
            capacity: Capacity {
                venue: Some(1),
                ..Capacity::default()
            },
            ..DoorRules::default()
        };
        // The two of yesterday's stay no longer count once it is closed: one place is free.
        let Decision::Enter { closes, .. } = decide_with(&holder, &inside, &door, T) else {
            panic!("expected an entry");
        };
        let closes = closes.expect("stale stay closed");
        assert_eq!((closes.at, closes.reason), (T, AutoReason::Superseded));
    }
}
