//! The volunteer's walk-in form (DESIGN §8), outside egui: name (required), phone, e-mail and
//! party size, typed on a physical keyboard or the on-screen one ([`crate::keyboard`]). The
//! state machine ([`crate::kiosk`]) holds the form while it is open and feeds it
//! [`FormInput`]s; a submitted form is a [`WalkIn`] the pipeline records as a sign-in.

use crate::keyboard::{FieldKind, Key, Layout, TextField};
use usher_core::PartySize;
use usher_core::walkin::{WalkIn, WalkInError};

/// Largest party a walk-in form takes.
pub const MAX_PARTY: u8 = 20;

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The name (required).
    Name,
    /// The phone number.
    Phone,
    /// The e-mail address.
    Email,
}

impl Field {
    /// Every text field, in the form's order.
    pub const ALL: [Field; 3] = [Field::Name, Field::Phone, Field::Email];

    /// The next field (Tab), back to the name after the e-mail.
    pub fn next(self) -> Field {
        match self {
            Field::Name => Field::Phone,
            Field::Phone => Field::Email,
            Field::Email => Field::Name,
        }
    }
}

/// What the volunteer did in the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormInput {
    /// An on-screen key.
    Key(Key),
    /// Text typed on a physical keyboard (or pasted).
    Text(String),
    /// Backspace on a physical keyboard.
    Backspace,
    /// A field was tapped.
    Focus(Field),
    /// Tab: the next field.
    NextField,
    /// The party size's `-` (`-1`) or `+` (`1`).
    Party(i8),
    /// "Sign in" (or Enter).
    Submit,
    /// "Cancel" (or Escape).
    Cancel,
}

/// What an input made of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Still open.
    Editing,
    /// Submitted: record this walk-in.
    Submitted(WalkIn),
    /// Closed without recording anything.
    Cancelled,
}

/// The form's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkInForm {
    /// The name.
    pub name: TextField,
    /// The phone number.
    pub phone: TextField,
    /// The e-mail address.
    pub email: TextField,
    /// The field the keys type into.
    pub focus: Field,
    /// The on-screen keyboard's layout.
    pub layout: Layout,
    /// How many came in.
    pub party: u8,
    /// Why the last "Sign in" was refused.
    pub error: Option<WalkInError>,
}

impl Default for WalkInForm {
    fn default() -> Self {
        Self::new(Layout::Latin)
    }
}

impl WalkInForm {
    /// An empty form for one person, its keyboard in `layout` (Arabic for a kiosk that speaks
    /// Arabic or Urdu).
    pub fn new(layout: Layout) -> Self {
        WalkInForm {
            name: TextField::new(FieldKind::Name),
            phone: TextField::new(FieldKind::Phone),
            email: TextField::new(FieldKind::Email),
            focus: Field::Name,
            layout,
            party: 1,
            error: None,
        }
    }

    /// The field `which`.
    pub fn field(&self, which: Field) -> &TextField {
        match which {
            Field::Name => &self.name,
            Field::Phone => &self.phone,
            Field::Email => &self.email,
        }
    }

    fn focused(&mut self) -> &mut TextField {
        match self.focus {
            Field::Name => &mut self.name,
            Field::Phone => &mut self.phone,
            Field::Email => &mut self.email,
        }
    }

    /// Applies one input.
    pub fn input(&mut self, input: FormInput) -> Outcome {
        match input {
            FormInput::Key(Key::Switch(layout)) => self.layout = layout,
            FormInput::Key(key) => {
                if self.focused().press(key) {
                    self.error = None;
                }
            }
            FormInput::Text(text) => {
                if self.focused().type_text(&text) {
                    self.error = None;
                }
            }
            FormInput::Backspace => {
                self.focused().backspace();
            }
            FormInput::Focus(field) => self.focus = field,
            FormInput::NextField => self.focus = self.focus.next(),
            FormInput::Party(step) => {
                let n = i16::from(self.party) + i16::from(step);
                self.party = u8::try_from(n.clamp(1, i16::from(MAX_PARTY))).unwrap_or(1);
            }
            FormInput::Cancel => return Outcome::Cancelled,
            FormInput::Submit => {
                let party = PartySize::new(u64::from(self.party)).unwrap_or(PartySize::ONE);
                match WalkIn::new(&self.name.text, &self.phone.text, &self.email.text, party) {
                    Ok(walk_in) => return Outcome::Submitted(walk_in),
                    Err(e) => {
                        self.error = Some(e);
                        self.focus = match e {
                            WalkInError::NoName | WalkInError::BadName => Field::Name,
                            WalkInError::BadPhone => Field::Phone,
                            WalkInError::BadEmail => Field::Email,
                        };
                    }
                }
            }
        }
        Outcome::Editing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(form: &mut WalkInForm, text: &str) {
        for c in text.chars() {
            let key = if c == ' ' { Key::Space } else { Key::Char(c) };
            assert_eq!(form.input(FormInput::Key(key)), Outcome::Editing);
        }
    }

    #[test]
    fn an_arabic_name_typed_on_screen_with_a_party_of_three_is_submitted() {
        let mut form = WalkInForm::default();
        form.input(FormInput::Key(Key::Switch(Layout::Arabic)));
        assert_eq!(form.layout, Layout::Arabic);
        keys(&mut form, "سارة احمد");
        form.input(FormInput::Focus(Field::Phone));
        keys(&mut form, "0770");
        for _ in 0..2 {
            form.input(FormInput::Party(1));
        }
        match form.input(FormInput::Submit) {
            Outcome::Submitted(w) => {
                assert_eq!(w.name, "سارة احمد");
                assert_eq!(w.phone.as_deref(), Some("0770"));
                assert_eq!(w.email, None);
                assert_eq!(w.party.get(), 3);
            }
            other => panic!("not submitted: {other:?}"),
        }
    }

    #[test]
    fn without_a_name_the_form_stays_open_saying_why_with_the_name_focused() {
        let mut form = WalkInForm::default();
        form.input(FormInput::NextField);
        form.input(FormInput::Text("12345".into()));
        assert_eq!(form.input(FormInput::Submit), Outcome::Editing);
        assert_eq!(form.error, Some(WalkInError::NoName));
        assert_eq!(form.focus, Field::Name);
        form.input(FormInput::Text("Ada".into()));
        assert_eq!(form.error, None, "typing clears the complaint");
        form.input(FormInput::Focus(Field::Email));
        form.input(FormInput::Text("not-an-address".into()));
        assert_eq!(form.input(FormInput::Submit), Outcome::Editing);
        assert_eq!(form.error, Some(WalkInError::BadEmail));
        assert_eq!(form.focus, Field::Email);
        assert_eq!(form.input(FormInput::Cancel), Outcome::Cancelled);
    }

    #[test]
    fn the_party_size_stays_within_one_to_twenty() {
        let mut form = WalkInForm::default();
        form.input(FormInput::Party(-1));
        assert_eq!(form.party, 1);
        for _ in 0..30 {
            form.input(FormInput::Party(1));
        }
        assert_eq!(form.party, MAX_PARTY);
    }
}
