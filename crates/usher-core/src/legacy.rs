//! The venue's old QR codes (DESIGN §10): plain, unsigned text that anyone can make.
//! `2+NAME+PHONE+EMAIL` is a registration (a walk-in), `3+RESID+NAME+PHONE+EMAIL+M|F+COUNT` a
//! reservation receipt (`M` the brothers' entrance, `F` the sisters', `COUNT` the party).
//! Read only with `<legacyCodes>true</legacyCodes>`; [`LegacyCode::pass`] makes the [`Pass`]
//! the door judges like any other (a receipt is single use, as an event pass is).

use crate::payload::{Pass, PassId, Payload};
use crate::stay::{Entrance, PartySize};

/// Longest name the old form took.
pub const MAX_NAME: usize = 50;
/// Most people one reservation held.
pub const MAX_COUNT: u8 = 6;
/// The entrance `M` names.
pub const BROTHERS: &str = "brothers";
/// The entrance `F` names.
pub const SISTERS: &str = "sisters";

/// An old code, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyCode {
    /// `2+NAME+PHONE+EMAIL`.
    WalkIn(Person),
    /// `3+RESID+NAME+PHONE+EMAIL+M|F+COUNT`.
    Reservation {
        /// The reservation id.
        id: String,
        /// Who booked.
        person: Person,
        /// `M` or `F`.
        side: Side,
        /// How many people.
        party: PartySize,
    },
}

/// The contact fields of an old code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Name (1 to [`MAX_NAME`] characters).
    pub name: String,
    /// Phone number: digits, spaces and `()-x.`.
    pub phone: String,
    /// E-mail (may be empty; may hold `+`).
    pub email: String,
}

/// The entrance letter of a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `M`: the brothers' entrance.
    M,
    /// `F`: the sisters' entrance.
    F,
}

impl Side {
    /// The letter's entrance name.
    pub fn entrance(self) -> &'static str {
        match self {
            Side::M => BROTHERS,
            Side::F => SISTERS,
        }
    }
}

/// Why a text that starts like an old code is not one (`qr_invalid`); names the field, never
/// its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LegacyError {
    /// Too few `+`-separated fields.
    #[error("old code has too few fields")]
    TooFewFields,
    /// The name is empty, too long, or holds something no name holds.
    #[error("old code's name is empty, over {MAX_NAME} characters or not a name")]
    BadName,
    /// The phone number is empty or holds other characters than a phone number's.
    #[error("old code's phone is empty or not a phone number")]
    BadPhone,
    /// The e-mail holds spaces or control characters, or no `@`.
    #[error("old code's email is not an e-mail address")]
    BadEmail,
    /// The reservation id is not 1 to 16 letters and digits.
    #[error("old code's reservation id is not 1 to 16 letters and digits")]
    BadId,
    /// The entrance letter is neither `M` nor `F`.
    #[error("old code's entrance is neither M nor F")]
    BadSide,
    /// The count is no whole number from 1 to [`MAX_COUNT`].
    #[error("old code's count is not a whole number from 1 to {MAX_COUNT}")]
    BadCount,
}

/// Whether `text` starts as an old code does (`2+` or `3+`): only such texts are parsed.
pub fn looks_legacy(text: &str) -> bool {
    text.starts_with("2+") || text.starts_with("3+")
}

fn person(name: &str, phone: &str, email: &str) -> Result<Person, LegacyError> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME
        || name
            .chars()
            .any(|c| c.is_control() || c.is_ascii_digit() || "@<>{}".contains(c))
    {
        return Err(LegacyError::BadName);
    }
    let phone = phone.trim();
    if phone.is_empty()
        || phone.len() > 30
        || !phone.chars().any(|c| c.is_ascii_digit())
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " ()-xX.".contains(c))
    {
        return Err(LegacyError::BadPhone);
    }
    let email = email.trim();
    if !email.is_empty()
        && (email.len() > 254
            || !email.contains('@')
            || email.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        return Err(LegacyError::BadEmail);
    }
    Ok(Person {
        name: name.to_owned(),
        phone: phone.to_owned(),
        email: email.to_owned(),
    })
}

/// Parses an old code. `None`: the text does not start as one ([`looks_legacy`]). The e-mail
/// is the one field that may hold `+` (the old form joined fields with it), so it takes what
/// is left between the fields counted from either end.
pub fn parse(text: &str) -> Option<Result<LegacyCode, LegacyError>> {
    if !looks_legacy(text) {
        return None;
    }
    let text = text.trim_end_matches(['\r', '\n']);
    Some(if let Some(rest) = text.strip_prefix("2+") {
        let mut f = rest.splitn(3, '+');
        match (f.next(), f.next(), f.next()) {
            (Some(name), Some(phone), Some(email)) => {
                person(name, phone, email).map(LegacyCode::WalkIn)
            }
            _ => Err(LegacyError::TooFewFields),
        }
    } else {
        reservation(&text[2..])
    })
}

fn reservation(rest: &str) -> Result<LegacyCode, LegacyError> {
    let mut left = rest.splitn(4, '+');
    let (Some(id), Some(name), Some(phone), Some(tail)) =
        (left.next(), left.next(), left.next(), left.next())
    else {
        return Err(LegacyError::TooFewFields);
    };
    let mut right = tail.rsplitn(3, '+');
    let (Some(count), Some(side), Some(email)) = (right.next(), right.next(), right.next()) else {
        return Err(LegacyError::TooFewFields);
    };
    let id = id.trim();
    if id.is_empty() || id.len() > 16 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(LegacyError::BadId);
    }
    let person = person(name, phone, email)?;
    let side = match side.trim() {
        "M" => Side::M,
        "F" => Side::F,
        _ => return Err(LegacyError::BadSide),
    };
    let count = count.trim();
    let party =
        (!count.is_empty() && count.len() <= 2 && count.bytes().all(|b| b.is_ascii_digit()))
            .then(|| count.parse::<u64>().ok())
            .flatten()
            .filter(|n| (1..=u64::from(MAX_COUNT)).contains(n))
            .and_then(PartySize::new)
            .ok_or(LegacyError::BadCount)?;
    Ok(LegacyCode::Reservation {
        id: id.to_owned(),
        person,
        side,
        party,
    })
}

impl LegacyCode {
    /// The pass the door judges. A walk-in's identity is its text (the venue's reuse policy
    /// applies); a receipt's is its reservation id, and it is single use (an event `legacy:ID`),
    /// booked for its entrance, admitting its count.
    pub fn pass(&self) -> Pass {
        let mut payload = Payload::default();
        let (p, id_bytes) = match self {
            LegacyCode::WalkIn(p) => (
                p,
                format!("legacy-2\n{}\n{}\n{}", p.name, p.phone, p.email).into_bytes(),
            ),
            LegacyCode::Reservation {
                id,
                person,
                side,
                party,
            } => {
                payload.party = *party;
                payload.event = Some(format!("legacy:{id}"));
                payload.entrance = side.entrance().parse::<Entrance>().ok();
                (person, format!("legacy-3\n{id}").into_bytes())
            }
        };
        payload.strings[0] = Some(p.name.clone());
        payload.strings[1] = Some(p.phone.clone());
        if !p.email.is_empty() {
            payload.strings[2] = Some(p.email.clone());
        }
        Pass {
            id: PassId::of(&id_bytes),
            payload,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk_in(name: &str, phone: &str, email: &str) -> LegacyCode {
        LegacyCode::WalkIn(Person {
            name: name.into(),
            phone: phone.into(),
            email: email.into(),
        })
    }

    /// Codes as the old server's `/` form made them, and hostile ones.
    #[test]
    fn old_codes_parse_to_typed_values_and_hostile_ones_name_the_field() {
        let fifty = "A".repeat(50);
        let fifty_one = "A".repeat(51);
        let huge = format!("3+BCDFGH+Ann+111+a@b.c+M+{}", "9".repeat(40));
        let ok: Vec<(String, LegacyCode)> = vec![
            (
                "2+John Q. Public+(111)222-3333+jqp@example.com".into(),
                walk_in("John Q. Public", "(111)222-3333", "jqp@example.com"),
            ),
            (
                format!("2+{fifty}+630-555-0100 x12+a.b@example.org"),
                walk_in(&fifty, "630-555-0100 x12", "a.b@example.org"),
            ),
            (
                "2+Amina+6305550100+".into(),
                walk_in("Amina", "6305550100", ""),
            ),
            (
                "2+Amina+6305550100+amina+door@example.org".into(),
                walk_in("Amina", "6305550100", "amina+door@example.org"),
            ),
            (
                "3+BCDFGH+Fatima Z+(630) 555-0101+fz@example.org+F+3\n".into(),
                LegacyCode::Reservation {
                    id: "BCDFGH".into(),
                    person: Person {
                        name: "Fatima Z".into(),
                        phone: "(630) 555-0101".into(),
                        email: "fz@example.org".into(),
                    },
                    side: Side::F,
                    party: PartySize::new(3).expect("3"),
                },
            ),
            (
                "3+QWRTZP+Omar+555.0102+o+x@example.org+M+1".into(),
                LegacyCode::Reservation {
                    id: "QWRTZP".into(),
                    person: Person {
                        name: "Omar".into(),
                        phone: "555.0102".into(),
                        email: "o+x@example.org".into(),
                    },
                    side: Side::M,
                    party: PartySize::ONE,
                },
            ),
        ];
        for (text, want) in ok {
            assert_eq!(parse(&text), Some(Ok(want)), "{text:?}");
        }
        let bad: Vec<(String, LegacyError)> = vec![
            ("2+".into(), LegacyError::TooFewFields),
            ("2+Ann+111".into(), LegacyError::TooFewFields),
            ("2++111+a@b.c".into(), LegacyError::BadName),
            (format!("2+{fifty_one}+111+a@b.c"), LegacyError::BadName),
            ("2+Ann++a@b.c".into(), LegacyError::BadPhone),
            ("2+Jo+hn+111+a@b.c".into(), LegacyError::BadPhone),
            ("2+Ann+111+not an email".into(), LegacyError::BadEmail),
            ("2+Ann\u{0}+111+a@b.c".into(), LegacyError::BadName),
            ("3+BCDFGH+Ann+111+a@b.c+M".into(), LegacyError::TooFewFields),
            ("3++Ann+111+a@b.c+M+2".into(), LegacyError::BadId),
            ("3+BC DF+Ann+111+a@b.c+M+2".into(), LegacyError::BadId),
            ("3+BCDFGH+Ann+111+a@b.c+X+2".into(), LegacyError::BadSide),
            ("3+BCDFGH+Ann+111+a@b.c+M+".into(), LegacyError::BadCount),
            ("3+BCDFGH+Ann+111+a@b.c+M+0".into(), LegacyError::BadCount),
            ("3+BCDFGH+Ann+111+a@b.c+M+7".into(), LegacyError::BadCount),
            ("3+BCDFGH+Ann+111+a@b.c+M+-1".into(), LegacyError::BadCount),
            (huge, LegacyError::BadCount),
            (
                "3+BCDFGH+Ann+111+a@b.c+F+2+extra".into(),
                LegacyError::BadSide,
            ),
        ];
        for (text, want) in bad {
            assert_eq!(parse(&text), Some(Err(want)), "{text:?}");
            assert!(!want.to_string().contains("Ann"));
        }
        for not_old in ["https://door.test/?j=x", "1+Ann+111+a@b.c", "", "2", "32+x"] {
            assert_eq!(parse(not_old), None, "{not_old:?}");
        }
    }

    #[test]
    fn a_receipt_is_a_single_use_pass_for_its_entrance_and_party() {
        let Some(Ok(code)) = parse("3+BCDFGH+Fatima+555 0101+fz@example.org+F+3") else {
            panic!("no receipt");
        };
        let pass = code.pass();
        assert_eq!(pass.payload.party, PartySize::new(3).expect("3"));
        assert_eq!(
            pass.payload.entrance.as_ref().map(Entrance::as_str),
            Some(SISTERS)
        );
        assert_eq!(pass.payload.event.as_deref(), Some("legacy:BCDFGH"));
        assert_eq!(pass.payload.name(), Some("Fatima"));
        assert_eq!(pass.payload.s(3), Some("fz@example.org"));
        // the same reservation printed with another count is the same pass
        let Some(Ok(again)) = parse("3+BCDFGH+Fatima+555 0101+fz@example.org+F+2") else {
            panic!("no receipt");
        };
        assert_eq!(again.pass().id, pass.id);
        let Some(Ok(walk)) = parse("2+Fatima+555 0101+") else {
            panic!("no walk-in");
        };
        assert_eq!(walk.pass().payload.party, PartySize::ONE);
        assert_eq!(walk.pass().payload.s(3), None);
        assert_ne!(walk.pass().id, pass.id);
    }
}
