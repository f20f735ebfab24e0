//! The on-screen keyboard of the volunteer's walk-in form, outside egui: which keys each
//! layout has ([`Layout::rows`]: Latin letters, the Arabic alphabet with the letters Urdu
//! adds, digits on both) and what a key press or typed text does to a field ([`TextField`]).
//! `ui/` only draws the keys (each at least [`crate::view::TOUCH_TARGET`] pixels) and sends
//! the presses back.

/// A set of keys the keyboard shows; the switch key changes between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Latin letters, digits, `' - . @`.
    #[default]
    Latin,
    /// The Arabic alphabet (and the letters Urdu adds), digits.
    Arabic,
}

/// One key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Types this character.
    Char(char),
    /// Types a space.
    Space,
    /// Deletes the last character.
    Backspace,
    /// Switches to this layout.
    Switch(Layout),
}

const DIGITS: &str = "1234567890";
const LATIN: [&str; 3] = ["QWERTYUIOP", "ASDFGHJKL'", "ZXCVBNM-.@"];
/// The Arabic keyboard's letter rows (as on a standard Arabic keyboard), then the letters
/// Urdu adds and the hamza forms.
const ARABIC: [&str; 4] = [
    "ضصثقفغعهخحج",
    "شسيبلاتنمكط",
    "ذئءؤرىةوزظد",
    "أإآٹپچڈڑژکگںھہے",
];

impl Layout {
    /// The other layout (what the switch key shows).
    pub fn other(self) -> Layout {
        match self {
            Layout::Latin => Layout::Arabic,
            Layout::Arabic => Layout::Latin,
        }
    }

    /// The switch key's label: the script it switches to.
    pub fn switch_label(self) -> &'static str {
        match self.other() {
            Layout::Latin => "ABC",
            Layout::Arabic => "أبج",
        }
    }

    /// The keys, row by row: digits, the letters, then switch, space and backspace.
    pub fn rows(self) -> Vec<Vec<Key>> {
        let letters: &[&str] = match self {
            Layout::Latin => &LATIN,
            Layout::Arabic => &ARABIC,
        };
        let chars = |row: &str| row.chars().map(Key::Char).collect::<Vec<_>>();
        let mut rows = vec![chars(DIGITS)];
        rows.extend(letters.iter().map(|r| chars(r)));
        rows.push(vec![Key::Switch(self.other()), Key::Space, Key::Backspace]);
        rows
    }
}

impl Key {
    /// What the key shows.
    pub fn label(self) -> String {
        match self {
            Key::Char(c) => c.to_string(),
            Key::Space => "␣".to_owned(),
            Key::Backspace => "⌫".to_owned(),
            Key::Switch(to) => to.other().switch_label().to_owned(),
        }
    }
}

/// What a field holds, and so which characters it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A name: any letters; Latin letters from the on-screen keys start each word upper case.
    Name,
    /// A phone number: digits, spaces and `+ - ( ) .`.
    Phone,
    /// An e-mail address: no spaces; letters from the on-screen keys lower case.
    Email,
}

impl FieldKind {
    /// The most characters the field holds.
    pub fn max_chars(self) -> usize {
        match self {
            FieldKind::Name => usher_core::walkin::MAX_NAME,
            FieldKind::Phone => usher_core::walkin::MAX_PHONE,
            FieldKind::Email => usher_core::walkin::MAX_EMAIL,
        }
    }

    /// Whether the field takes `c` at all.
    fn takes(self, c: char) -> bool {
        if c.is_control() {
            return false;
        }
        match self {
            FieldKind::Name => true,
            FieldKind::Phone => c.is_ascii_digit() || " +-().".contains(c),
            FieldKind::Email => !c.is_whitespace(),
        }
    }
}

/// One text field of the form: its text and what it takes.
#[derive(Clone, PartialEq, Eq)]
pub struct TextField {
    /// What it holds.
    pub text: String,
    /// What it is for.
    pub kind: FieldKind,
}

/// Contact data: never printed.
impl std::fmt::Debug for TextField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TextField({:?}, {} chars)",
            self.kind,
            self.text.chars().count()
        )
    }
}

impl TextField {
    /// An empty field of this kind.
    pub fn new(kind: FieldKind) -> Self {
        TextField {
            text: String::new(),
            kind,
        }
    }

    /// An on-screen key pressed while this field has the focus; whether the text changed
    /// (the switch key changes the layout, not the field).
    pub fn press(&mut self, key: Key) -> bool {
        match key {
            Key::Backspace => self.text.pop().is_some(),
            Key::Space => self.push(' '),
            Key::Char(c) => {
                let c = self.on_screen_case(c);
                self.push(c)
            }
            Key::Switch(_) => false,
        }
    }

    /// Text typed on a physical keyboard (or pasted): every character the field takes, as
    /// typed (the keyboard has its own shift key); whether the text changed.
    pub fn type_text(&mut self, typed: &str) -> bool {
        let mut changed = false;
        for c in typed.chars() {
            changed |= self.push(c);
        }
        changed
    }

    /// Backspace on a physical keyboard.
    pub fn backspace(&mut self) -> bool {
        self.text.pop().is_some()
    }

    /// The on-screen keys show Latin capitals: a name takes one at the start of a word and
    /// lower case after it, an e-mail address lower case only. Other scripts have no case.
    fn on_screen_case(&self, c: char) -> char {
        let word_start = self
            .text
            .chars()
            .last()
            .is_none_or(|p| p == ' ' || p == '-');
        match self.kind {
            FieldKind::Name if word_start => c,
            FieldKind::Name | FieldKind::Email => c.to_lowercase().next().unwrap_or(c),
            FieldKind::Phone => c,
        }
    }

    /// Appends `c` when the field takes it and has room (no leading or double space).
    fn push(&mut self, c: char) -> bool {
        let space = c == ' ';
        if !self.kind.takes(c)
            || self.text.chars().count() >= self.kind.max_chars()
            || (space && self.text.chars().last().is_none_or(|p| p == ' '))
        {
            return false;
        }
        self.text.push(c);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press_all(field: &mut TextField, keys: &[Key]) {
        for &k in keys {
            field.press(k);
        }
    }

    #[test]
    fn both_layouts_have_digits_a_switch_space_and_backspace() {
        for layout in [Layout::Latin, Layout::Arabic] {
            let rows = layout.rows();
            assert_eq!(rows[0], DIGITS.chars().map(Key::Char).collect::<Vec<_>>());
            assert_eq!(
                rows.last().expect("a bottom row"),
                &vec![Key::Switch(layout.other()), Key::Space, Key::Backspace]
            );
        }
        assert_eq!(Key::Switch(Layout::Arabic).label(), "أبج");
        assert_eq!(Key::Switch(Layout::Latin).label(), "ABC");
    }

    #[test]
    fn the_latin_layout_has_every_letter_and_the_arabic_one_the_whole_alphabet() {
        let keys = |layout: Layout| -> String {
            layout
                .rows()
                .into_iter()
                .flatten()
                .filter_map(|k| match k {
                    Key::Char(c) => Some(c),
                    _ => None,
                })
                .collect()
        };
        let latin = keys(Layout::Latin);
        assert!(('A'..='Z').all(|c| latin.contains(c)), "{latin}");
        let arabic = keys(Layout::Arabic);
        for c in "ابتثجحخدذرزسشصضطظعغفقكلمنهوي".chars() {
            assert!(arabic.contains(c), "{c} is missing");
        }
        for c in "پچگںےٹ".chars() {
            assert!(arabic.contains(c), "Urdu's {c} is missing");
        }
    }

    #[test]
    fn on_screen_keys_type_a_name_with_capitals_at_word_starts() {
        let mut name = TextField::new(FieldKind::Name);
        let word = |s: &str| s.chars().map(Key::Char).collect::<Vec<_>>();
        press_all(&mut name, &word("ADA"));
        press_all(&mut name, &[Key::Space, Key::Space]);
        press_all(&mut name, &word("LOVELACE"));
        assert_eq!(
            name.text, "Ada Lovelace",
            "one space, capitals at word starts"
        );
        press_all(&mut name, &[Key::Backspace; 4]);
        assert_eq!(name.text, "Ada Love");
        let mut arabic = TextField::new(FieldKind::Name);
        press_all(&mut arabic, &word("سارة"));
        assert_eq!(arabic.text, "سارة");
        assert!(
            !arabic.press(Key::Switch(Layout::Latin)),
            "switching keeps the text"
        );
        assert_eq!(arabic.text, "سارة");
    }

    #[test]
    fn a_field_takes_only_what_it_holds_and_no_more_than_it_holds() {
        let mut phone = TextField::new(FieldKind::Phone);
        assert!(!phone.type_text("abc"));
        phone.type_text("+44 20 7946-0000");
        assert_eq!(phone.text, "+44 20 7946-0000");
        let mut email = TextField::new(FieldKind::Email);
        for c in "ADA@EXAMPLE.ORG".chars() {
            email.press(Key::Char(c));
        }
        email.press(Key::Space);
        assert_eq!(email.text, "ada@example.org");
        let mut name = TextField::new(FieldKind::Name);
        assert!(!name.press(Key::Space), "no leading space");
        name.type_text(&"x".repeat(200));
        assert_eq!(name.text.chars().count(), usher_core::walkin::MAX_NAME);
        assert!(!name.type_text("\u{7}"));
        assert!(name.backspace());
        let shown = format!("{name:?}");
        assert!(!shown.contains("xxx"), "{shown}");
    }
}
