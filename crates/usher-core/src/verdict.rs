//! The verdict rules of DESIGN §1: steps 0 to 7, the first that applies wins.
//!
//! [`inspect`] runs the pure steps 0 to 5 and hands back either a rejection or a pass ready
//! to claim; [`judge`] adds steps 6 and 7 against a [`Ledger`] and logs rejections in it.
//! Step 5 includes `qr_too_early` (DESIGN §8, §9: an event pass before its `nb`), right after
//! `qr_expired`. The door's verdicts (`qr_goodbye`, `qr_full`) come only from
//! [`crate::door::judge_at_door`]; [`judge`] never gives them.

use crate::capacity::{Occupancy, Scope};
use crate::form::{self, Decoded};
use crate::ledger::{Claim, ClaimOutcome, FirstUse, Ledger, Rejection};
use crate::legacy::{self, LegacyError};
use crate::payload::{self, Pass, PassId, PayloadError};
use crate::reuse::ReusePolicy;
use crate::scheme::{Auth, Keys, Scheme, SchemeSet};
use crate::stay::OpenStay;
use crate::{MAX_PASS_TEXT, Now};
use std::fmt;

/// What a kiosk needs to judge passes: the venue's rules, typed once at the edge.
#[derive(Debug, Clone)]
pub struct Rules {
    /// `qrCodeAuthRequired`: when false, a pass without `auth` is taken unsigned.
    pub auth_required: bool,
    /// The schemes this kiosk accepts.
    pub accepted: SchemeSet,
    /// The keys it verifies with.
    pub keys: Keys,
    /// This kiosk's device id, matched against a pass's `id`.
    pub device_id: String,
    /// How often one pass may be accepted.
    pub reuse: ReusePolicy,
    /// `legacyCodes`: the venue's old unsigned codes (`2+…`, `3+…`) are read as passes.
    pub legacy_codes: bool,
}

impl Rules {
    /// The reuse policy that applies to `pass`: an event pass (with `ev`) is single use per
    /// event whatever `reusePolicy` says (DESIGN §9), so it counts as [`ReusePolicy::Once`].
    pub fn reuse_for(&self, pass: &Pass) -> ReusePolicy {
        if pass.payload.event.is_some() {
            ReusePolicy::Once
        } else {
            self.reuse
        }
    }
}

/// The verdict names, for screens, counts and logs: the six of DESIGN §1 and the door's three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VerdictKind {
    /// `qr_accepted`
    Accepted,
    /// `qr_used`
    Used,
    /// `qr_expired`
    Expired,
    /// `qr_not_authorized`
    NotAuthorized,
    /// `qr_invalid`
    Invalid,
    /// `qr_missing_parameters`
    MissingParameters,
    /// `qr_goodbye`: an exit recorded (DESIGN §8).
    Goodbye,
    /// `qr_full`: at capacity, entry refused (DESIGN §8).
    Full,
    /// `qr_too_early`: an event pass before its window opens (DESIGN §8, §9).
    TooEarly,
}

impl VerdictKind {
    /// The six verdicts of DESIGN §1, in the order screens list them. The kiosk's screens and
    /// counts iterate this list today; [`VerdictKind::EVERY`] adds the door's three.
    pub const ALL: [VerdictKind; 6] = [
        VerdictKind::Accepted,
        VerdictKind::Used,
        VerdictKind::Expired,
        VerdictKind::NotAuthorized,
        VerdictKind::Invalid,
        VerdictKind::MissingParameters,
    ];

    /// The door's verdicts (DESIGN §8).
    pub const DOOR: [VerdictKind; 3] = [
        VerdictKind::Goodbye,
        VerdictKind::Full,
        VerdictKind::TooEarly,
    ];

    /// All nine: [`VerdictKind::ALL`] then [`VerdictKind::DOOR`].
    pub const EVERY: [VerdictKind; 9] = [
        VerdictKind::Accepted,
        VerdictKind::Used,
        VerdictKind::Expired,
        VerdictKind::NotAuthorized,
        VerdictKind::Invalid,
        VerdictKind::MissingParameters,
        VerdictKind::Goodbye,
        VerdictKind::Full,
        VerdictKind::TooEarly,
    ];

    /// The verdict's name (`qr_accepted`, ...), as screens files and scripts use it.
    pub fn name(self) -> &'static str {
        match self {
            VerdictKind::Accepted => "qr_accepted",
            VerdictKind::Used => "qr_used",
            VerdictKind::Expired => "qr_expired",
            VerdictKind::NotAuthorized => "qr_not_authorized",
            VerdictKind::Invalid => "qr_invalid",
            VerdictKind::MissingParameters => "qr_missing_parameters",
            VerdictKind::Goodbye => "qr_goodbye",
            VerdictKind::Full => "qr_full",
            VerdictKind::TooEarly => "qr_too_early",
        }
    }

    /// The kind with this name (any of the nine).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::EVERY.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A verdict on one scanned text. Rejections are values, with their reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Signed in; recorded in the ledger.
    Accepted {
        /// The pass.
        pass: Pass,
    },
    /// Already used under the reuse policy.
    Used {
        /// The pass.
        pass: Pass,
        /// Its first counting use.
        first: FirstUse,
    },
    /// Valid but past its expiry.
    Expired {
        /// The pass.
        pass: Pass,
    },
    /// The signature does not verify, or the pass is bound to another kiosk.
    NotAuthorized(Denial),
    /// Malformed.
    Invalid(Malformed),
    /// No `auth` or `j`, or no query at all.
    MissingParameters(Missing),
    /// An exit recorded at the door.
    Goodbye {
        /// The pass.
        pass: Pass,
        /// The stay it closed; `None`: an exit with no open stay, recorded as such.
        closed: Option<OpenStay>,
    },
    /// At capacity: the entry was refused (the volunteer PIN can admit it as an override).
    Full {
        /// The pass.
        pass: Pass,
        /// The limit it hit.
        scope: Scope,
        /// That limit's count before this entry.
        occupancy: Occupancy,
    },
    /// An event pass before its `nb` (not before).
    TooEarly {
        /// The pass.
        pass: Pass,
    },
}

impl Verdict {
    /// The verdict's kind.
    pub fn kind(&self) -> VerdictKind {
        match self {
            Verdict::Accepted { .. } => VerdictKind::Accepted,
            Verdict::Used { .. } => VerdictKind::Used,
            Verdict::Expired { .. } => VerdictKind::Expired,
            Verdict::NotAuthorized(_) => VerdictKind::NotAuthorized,
            Verdict::Invalid(_) => VerdictKind::Invalid,
            Verdict::MissingParameters(_) => VerdictKind::MissingParameters,
            Verdict::Goodbye { .. } => VerdictKind::Goodbye,
            Verdict::Full { .. } => VerdictKind::Full,
            Verdict::TooEarly { .. } => VerdictKind::TooEarly,
        }
    }

    /// The verdict's name (`qr_accepted`, ...).
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The pass, for verdicts that have one that parsed.
    pub fn pass(&self) -> Option<&Pass> {
        match self {
            Verdict::Accepted { pass }
            | Verdict::Used { pass, .. }
            | Verdict::Expired { pass }
            | Verdict::Goodbye { pass, .. }
            | Verdict::Full { pass, .. }
            | Verdict::TooEarly { pass } => Some(pass),
            Verdict::NotAuthorized(_) | Verdict::Invalid(_) | Verdict::MissingParameters(_) => None,
        }
    }

    /// A short reason in words, free of contact details.
    pub fn reason(&self) -> String {
        match self {
            Verdict::Accepted { .. } => "signed in".into(),
            Verdict::Used { first, .. } => {
                format!("first used at {} on {}", first.at, first.device_id)
            }
            Verdict::Expired { pass } => {
                format!("expired at {}", pass.payload.expiry.unwrap_or_default())
            }
            Verdict::NotAuthorized(d) => d.to_string(),
            Verdict::Invalid(m) => m.to_string(),
            Verdict::MissingParameters(m) => m.to_string(),
            Verdict::Goodbye {
                closed: Some(stay), ..
            } => format!("left, in since {} at {}", stay.since, stay.entrance),
            Verdict::Goodbye { closed: None, .. } => "left with no open stay".into(),
            Verdict::Full {
                scope, occupancy, ..
            } => match occupancy.capacity {
                Some(c) => format!("{scope} is full ({} of {c})", occupancy.inside),
                None => format!("{scope} is full"),
            },
            Verdict::TooEarly { pass } => {
                format!(
                    "not valid before {}",
                    pass.payload.not_before.unwrap_or_default()
                )
            }
        }
    }
}

/// Why a pass is `qr_not_authorized`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    /// `auth` has none of the three forms.
    #[error("auth has the form of no known signature scheme")]
    UnknownForm,
    /// The scheme is not in `acceptedSchemes`.
    #[error("scheme {0} is not accepted here")]
    SchemeNotAccepted(Scheme),
    /// The kiosk holds no key for the scheme.
    #[error("no key for scheme {0} is configured")]
    NoKey(Scheme),
    /// The signature is wrong.
    #[error("{0} signature does not verify")]
    BadSignature(Scheme),
    /// The pass is bound to another kiosk.
    #[error("pass is bound to another device")]
    OtherDevice,
    /// The pass was revoked by its holder (DESIGN §9: their reservation cancelled or their
    /// data deleted on `/me`).
    #[error("pass was revoked by its holder")]
    Revoked,
}

/// Why a pass is `qr_invalid`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Malformed {
    /// Over [`MAX_PASS_TEXT`] bytes.
    #[error("text is {0} bytes, over the limit of {MAX_PASS_TEXT}")]
    TooLong(usize),
    /// `auth` or `j` given twice.
    #[error("parameter {0} is given more than once")]
    DuplicateParameter(&'static str),
    /// A `%` in `j` that is no `%XX` escape.
    #[error("payload has bad percent-encoding")]
    BadPercentEncoding,
    /// The payload JSON is not acceptable.
    #[error(transparent)]
    Payload(#[from] PayloadError),
    /// An old code (with `legacyCodes` on) that is not well formed.
    #[error(transparent)]
    Legacy(#[from] LegacyError),
}

/// Why a pass is `qr_missing_parameters`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Missing {
    /// The text has no `?` query.
    #[error("text is no URL with a query")]
    NoQuery,
    /// No (or an empty) `j`.
    #[error("no payload parameter j")]
    NoPayload,
    /// No (or an empty) `auth`, and signatures are required.
    #[error("no auth parameter")]
    NoAuth,
}

/// The outcome of the pure steps 0 to 5.
#[derive(Debug, Clone, PartialEq)]
pub enum Inspection {
    /// Rejected before the ledger is consulted.
    Rejected {
        /// The verdict.
        verdict: Verdict,
        /// The identity of the payload, when there was one.
        pass_id: Option<PassId>,
    },
    /// Passed steps 0 to 5; the ledger decides the rest.
    Claimable(Pass),
}

/// Steps 0 to 5 of DESIGN §1: everything that needs no ledger.
pub fn inspect(text: &str, rules: &Rules, now: Now) -> Inspection {
    let reject = |verdict, pass_id| Inspection::Rejected { verdict, pass_id };

    // Step 0: size and repeated parameters, before anything is parsed.
    if text.len() > MAX_PASS_TEXT {
        return reject(Verdict::Invalid(Malformed::TooLong(text.len())), None);
    }
    // DESIGN §10: with `legacyCodes` on, the old system's plain codes are passes (unsigned).
    if rules.legacy_codes
        && let Some(code) = legacy::parse(text)
    {
        return match code {
            Ok(code) => Inspection::Claimable(code.pass()),
            Err(e) => reject(Verdict::Invalid(Malformed::Legacy(e)), None),
        };
    }
    // Step 1: a URL with a query holding `j` and (unless unsigned passes are allowed) `auth`.
    let Some(query) = form::query_of(text) else {
        return reject(Verdict::MissingParameters(Missing::NoQuery), None);
    };
    let (mut j, mut auth): (Option<Decoded>, Option<Decoded>) = (None, None);
    for param in form::params(query) {
        let (slot, name) = match form::decode(param.key).bytes.as_slice() {
            b"j" => (&mut j, "j"),
            b"auth" => (&mut auth, "auth"),
            _ => continue,
        };
        if slot.replace(form::decode(param.value)).is_some() {
            return reject(Verdict::Invalid(Malformed::DuplicateParameter(name)), None);
        }
    }
    let Some(j) = j.filter(|j| !j.bytes.is_empty()) else {
        return reject(Verdict::MissingParameters(Missing::NoPayload), None);
    };
    let pass_id = PassId::of(&j.bytes);
    let auth = auth.filter(|a| !a.bytes.is_empty());
    if auth.is_none() && rules.auth_required {
        return reject(Verdict::MissingParameters(Missing::NoAuth), Some(pass_id));
    }

    // Step 2: the signature, over the exact decoded bytes of `j`.
    if let Some(auth) = &auth
        && let Err(denial) = check_signature(&auth.bytes, &j.bytes, rules)
    {
        return reject(Verdict::NotAuthorized(denial), Some(pass_id));
    }

    // Step 3: the payload itself.
    if !j.well_formed {
        return reject(
            Verdict::Invalid(Malformed::BadPercentEncoding),
            Some(pass_id),
        );
    }
    let payload = match payload::parse(&j.bytes, auth.is_some()) {
        Ok(payload) => payload,
        Err(e) => return reject(Verdict::Invalid(e.into()), Some(pass_id)),
    };

    // Step 4: device binding.
    if payload
        .device_id
        .as_deref()
        .is_some_and(|id| id != rules.device_id)
    {
        return reject(Verdict::NotAuthorized(Denial::OtherDevice), Some(pass_id));
    }

    // Step 5: expiry.
    let pass = Pass {
        id: pass_id,
        payload,
    };
    if pass
        .payload
        .expiry
        .is_some_and(|expiry| i128::from(now.unix) > i128::from(expiry))
    {
        return reject(Verdict::Expired { pass }, Some(pass_id));
    }
    // Step 5, continued (DESIGN §8): an event pass before its window opens.
    if pass
        .payload
        .not_before
        .is_some_and(|nb| i128::from(now.unix) < i128::from(nb))
    {
        return reject(Verdict::TooEarly { pass }, Some(pass_id));
    }
    Inspection::Claimable(pass)
}

fn check_signature(auth: &[u8], payload: &[u8], rules: &Rules) -> Result<(), Denial> {
    let auth = Auth::parse(auth).ok_or(Denial::UnknownForm)?;
    if !rules.accepted.contains(auth.scheme) {
        return Err(Denial::SchemeNotAccepted(auth.scheme));
    }
    if !rules.keys.usable().contains(auth.scheme) {
        return Err(Denial::NoKey(auth.scheme));
    }
    if !auth.verifies(payload, &rules.keys) {
        return Err(Denial::BadSignature(auth.scheme));
    }
    Ok(())
}

/// Judges one scanned text: steps 0 to 7 of DESIGN §1.
///
/// An accepted pass is recorded in `ledger` (steps 6 and 7 happen in one ledger transaction);
/// a rejection is written to its scan log. `Err` means only that the ledger failed.
pub fn judge<L: Ledger>(
    text: &str,
    rules: &Rules,
    now: Now,
    ledger: &mut L,
) -> Result<Verdict, L::Error> {
    let (verdict, pass_id) = match inspect(text, rules, now) {
        Inspection::Rejected { verdict, pass_id } => (verdict, pass_id),
        Inspection::Claimable(pass) if ledger.revoked(&pass.id)? => {
            (Verdict::NotAuthorized(Denial::Revoked), Some(pass.id))
        }
        Inspection::Claimable(pass) => {
            let claim = Claim {
                pass: &pass,
                at: now.unix,
                counts_since: rules.reuse_for(&pass).counts_since(now),
                device_id: &rules.device_id,
            };
            match ledger.claim(&claim)? {
                ClaimOutcome::Recorded => return Ok(Verdict::Accepted { pass }),
                ClaimOutcome::AlreadyUsed(first) => {
                    let id = pass.id;
                    (Verdict::Used { pass, first }, Some(id))
                }
            }
        }
    };
    log_rejection(ledger, &verdict, pass_id, now)?;
    Ok(verdict)
}

/// Writes a rejected verdict to the ledger's scan log (shared with the door).
pub(crate) fn log_rejection<L: Ledger>(
    ledger: &mut L,
    verdict: &Verdict,
    pass_id: Option<PassId>,
    now: Now,
) -> Result<(), L::Error> {
    ledger.log_rejection(&Rejection {
        at: now.unix,
        verdict: verdict.kind(),
        reason: &verdict.reason(),
        pass_id,
    })
}

#[cfg(test)]
mod tests {
    use super::VerdictKind;

    #[test]
    fn every_verdict_is_the_six_of_section_one_then_the_doors_three() {
        let joined: Vec<_> = VerdictKind::ALL
            .iter()
            .chain(VerdictKind::DOOR.iter())
            .copied()
            .collect();
        assert_eq!(joined, VerdictKind::EVERY);
        for kind in VerdictKind::EVERY {
            assert_eq!(VerdictKind::from_name(kind.name()), Some(kind));
        }
    }
}
