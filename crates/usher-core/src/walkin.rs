//! A walk-in (DESIGN §8, the volunteer's manual path): a visitor without a pass, signed in by
//! the name the volunteer types (phone and e-mail optional) with a party size. [`WalkIn::new`]
//! parses the typed fields once; [`WalkIn::pass`] makes the [`Pass`] the door judges like any
//! other, as the old system's codes are ([`crate::legacy`]): its identity comes from random
//! bytes the caller draws (the core has no randomness), so two walk-ins never share one and a
//! stolen ledger cannot be searched for a name.

use crate::payload::{Pass, PassId, Payload};
use crate::stay::PartySize;

/// Longest name a walk-in takes, in characters.
pub const MAX_NAME: usize = 80;
/// Longest phone number, in characters.
pub const MAX_PHONE: usize = 30;
/// Longest e-mail address, in characters.
pub const MAX_EMAIL: usize = 254;
/// How long a walk-in's pass counts as valid (its ledger use may go with the retention purge
/// after that): a day.
pub const VALID_SECONDS: u64 = 86_400;

/// A walk-in, its fields checked.
#[derive(Clone, PartialEq, Eq)]
pub struct WalkIn {
    /// The name (trimmed, 1 to [`MAX_NAME`] characters).
    pub name: String,
    /// The phone number, if given.
    pub phone: Option<String>,
    /// The e-mail address, if given.
    pub email: Option<String>,
    /// How many came in.
    pub party: PartySize,
}

/// Contact data: never printed.
impl std::fmt::Debug for WalkIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalkIn")
            .field("name", &"***")
            .field("phone", &self.phone.as_ref().map(|_| "***"))
            .field("email", &self.email.as_ref().map(|_| "***"))
            .field("party", &self.party)
            .finish()
    }
}

/// Why the typed fields are no walk-in; names the field, never its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WalkInError {
    /// The name is empty (it is the one required field).
    #[error("the name is required")]
    NoName,
    /// The name is longer than [`MAX_NAME`] characters or holds a control character.
    #[error("the name is over {MAX_NAME} characters or holds a control character")]
    BadName,
    /// The phone number holds other characters than a phone number's, or is too long.
    #[error("the phone is not a phone number")]
    BadPhone,
    /// The e-mail address has no `@`, holds spaces, or is too long.
    #[error("the e-mail is not an e-mail address")]
    BadEmail,
}

/// `s` trimmed, `None` when nothing is left.
fn given(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

impl WalkIn {
    /// Parses what the volunteer typed: the name is required, phone and e-mail may be empty.
    pub fn new(
        name: &str,
        phone: &str,
        email: &str,
        party: PartySize,
    ) -> Result<Self, WalkInError> {
        let name = given(name).ok_or(WalkInError::NoName)?;
        if name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
            return Err(WalkInError::BadName);
        }
        let phone = given(phone);
        if let Some(p) = phone
            && (p.chars().count() > MAX_PHONE
                || !p.chars().any(|c| c.is_ascii_digit())
                || !p
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +()-.xX".contains(c)))
        {
            return Err(WalkInError::BadPhone);
        }
        let email = given(email);
        if let Some(e) = email
            && (e.chars().count() > MAX_EMAIL
                || !e.contains('@')
                || e.starts_with('@')
                || e.ends_with('@')
                || e.chars().any(|c| c.is_whitespace() || c.is_control()))
        {
            return Err(WalkInError::BadEmail);
        }
        Ok(WalkIn {
            name: name.to_owned(),
            phone: phone.map(str::to_owned),
            email: email.map(str::to_owned),
            party,
        })
    }

    /// The pass the door judges for this walk-in at `now` (Unix seconds): name, phone and
    /// e-mail as `s1`..`s3` (as Usher's issuer writes them), the party as `p`, valid for
    /// [`VALID_SECONDS`]; its identity is the SHA-256 of `random` (drawn by the caller).
    pub fn pass(&self, random: [u8; 16], now: i64) -> Pass {
        let mut id_bytes = b"walk-in\n".to_vec();
        id_bytes.extend_from_slice(&random);
        let mut payload = Payload {
            party: self.party,
            expiry: Some(
                u64::try_from(now)
                    .unwrap_or(0)
                    .saturating_add(VALID_SECONDS),
            ),
            ..Payload::default()
        };
        payload.strings[0] = Some(self.name.clone());
        payload.strings[1] = self.phone.clone();
        payload.strings[2] = self.email.clone();
        Pass {
            id: PassId::of(&id_bytes),
            payload,
        }
    }

    /// The first word of the name (what the undo list shows).
    pub fn first_name(name: &str) -> &str {
        name.split_whitespace().next().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(n: u64) -> PartySize {
        PartySize::new(n).expect("1..=20")
    }

    #[test]
    fn the_name_is_required_and_the_rest_is_optional() {
        assert_eq!(
            WalkIn::new("  ", "", "", party(1)),
            Err(WalkInError::NoName)
        );
        let w = WalkIn::new(" سارة أحمد ", "", " ", party(3)).expect("a walk-in");
        assert_eq!(w.name, "سارة أحمد");
        assert_eq!((w.phone, w.email), (None, None));
        assert_eq!(w.party.get(), 3);
    }

    #[test]
    fn bad_fields_are_named_and_never_echoed() {
        let cases = [
            (("a\u{7}b", "", ""), WalkInError::BadName),
            ((&*"x".repeat(81), "", ""), WalkInError::BadName),
            (("Ada", "call me", ""), WalkInError::BadPhone),
            (("Ada", "---", ""), WalkInError::BadPhone),
            (("Ada", "", "ada.example.org"), WalkInError::BadEmail),
            (("Ada", "", "ada @example.org"), WalkInError::BadEmail),
        ];
        for ((name, phone, email), want) in cases {
            let got = WalkIn::new(name, phone, email, party(1));
            assert_eq!(got, Err(want), "{name:?} {phone:?} {email:?}");
            let text = want.to_string();
            assert!(
                !text.contains("call me") && !text.contains("example"),
                "{text}"
            );
        }
        let ok = WalkIn::new(
            "Ada",
            "+44 (0)20 7946-0000",
            "ada+door@example.org",
            party(1),
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn each_walk_in_is_a_new_pass_with_its_fields_and_a_day_of_validity() {
        let w = WalkIn::new("Ada Lovelace", "0123", "ada@example.org", party(2)).expect("ok");
        let a = w.pass([1; 16], 1_000);
        let b = w.pass([2; 16], 1_000);
        assert_ne!(a.id, b.id, "random bytes make the identity");
        assert_eq!(a.payload.name(), Some("Ada Lovelace"));
        assert_eq!(a.payload.s(2), Some("0123"));
        assert_eq!(a.payload.s(3), Some("ada@example.org"));
        assert_eq!(a.payload.party.get(), 2);
        assert_eq!(a.payload.expiry, Some(1_000 + VALID_SECONDS));
        assert_eq!(WalkIn::first_name("Ada Lovelace"), "Ada");
        let shown = format!("{w:?}");
        assert!(!shown.contains("Ada") && !shown.contains("0123"), "{shown}");
    }
}
