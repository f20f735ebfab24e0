//! Cleaning text from passes and peers before it is shown or exported: one pure function used by
//! the kiosk (screens, admin panel, command line) and the server (admin pages, CSV).
//!
//! A pass's fields are written by whoever printed the code. Control characters could break a
//! line, a CSV row or a terminal; Unicode's explicit bidirectional formatting characters (the
//! embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069, and the invisible marks
//! U+200E, U+200F and U+061C) could make `Ann` read as someone else's name or move text that
//! follows the name across a screen or a row. [`clean`] removes them. Letters of every script,
//! accents, and the joiners that Persian and Urdu spell with (U+200C, U+200D) stay: a
//! right-to-left name is shaped by the Unicode bidirectional algorithm from its letters alone.

use std::borrow::Cow;

/// Whether `c` is removed by [`clean`] (or, for line-breaking controls, turned into a space).
pub(crate) fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Bidi marks, embeddings, overrides and isolates.
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            // Line and paragraph separators.
            | '\u{2028}' | '\u{2029}'
            // Deprecated format controls (symmetric swapping, shaping, digit shapes).
            | '\u{206A}'..='\u{206F}'
            // Interlinear annotation controls.
            | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Whether `c` separates words or lines, so removing it should leave a space.
fn breaks(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `s` with control characters and bidirectional formatting characters removed; tabs, line
/// and paragraph breaks become one space. Borrows when there was nothing to remove.
///
/// ```
/// use usher_core::display::clean;
/// assert_eq!(clean("Ann\u{202E}evil"), "Annevil");
/// assert_eq!(clean("Ann\r\nSmith"), "Ann Smith");
/// assert_eq!(clean("محمد علي"), "محمد علي");
/// ```
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hostile) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        if breaks(c) {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else if !is_hostile(c) {
            out.push(c);
            last_space = c == ' ';
        }
    }
    Cow::Owned(out)
}

/// [`clean`], then at most `max_chars` characters (an ellipsis marks a cut).
pub fn clean_short(s: &str, max_chars: usize) -> String {
    let c = clean(s);
    if c.chars().count() <= max_chars {
        return c.into_owned();
    }
    let mut out: String = c.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// One CSV cell, quoted: [`clean`]ed, and a cell that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, also after leading spaces
/// or as their full-width forms) gets a leading `'`.
pub fn csv_cell(s: &str) -> String {
    let c = clean(s);
    let first = c.trim_start_matches(' ').chars().next();
    let formula = matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
    );
    let mut v = String::with_capacity(c.len() + 3);
    v.push('"');
    if formula {
        v.push('\'');
    }
    v.push_str(&c.replace('"', "\"\""));
    v.push('"');
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_borrowed_unchanged() {
        for name in [
            "Ann Smith",
            "Zoë Ağaoğlu",
            "محمد علي",
            "عائشہ خان",
            "می‌خواهم",
            "שרה כהן",
            "José Müller-Lüdenscheidt",
            "李小龍",
            "👩‍👩‍👧",
        ] {
            assert!(
                matches!(clean(name), Cow::Borrowed(n) if n == name),
                "{name}"
            );
        }
    }

    #[test]
    fn bidi_overrides_isolates_and_marks_are_removed() {
        assert_eq!(clean("\u{202E}nnA"), "nnA");
        assert_eq!(clean("Ann\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}"), "Ann");
        assert_eq!(clean("\u{2066}a\u{2067}b\u{2068}c\u{2069}"), "abc");
        assert_eq!(clean("a\u{200E}b\u{200F}c\u{061C}d"), "abcd");
        assert_eq!(clean("محمد\u{202E} علي"), "محمد علي");
    }

    #[test]
    fn controls_are_removed_and_breaks_become_one_space() {
        assert_eq!(clean("Ann\0\u{7}\u{1b}[31m"), "Ann[31m");
        assert_eq!(clean("Ann\r\n\tSmith"), "Ann Smith");
        assert_eq!(clean("a\u{2028}b\u{2029}c\u{85}d"), "a b c d");
        assert_eq!(clean("a\u{7f}b\u{9b}c"), "abc");
    }

    #[test]
    fn short_cleaning_cuts_with_an_ellipsis() {
        assert_eq!(clean_short("Ann", 10), "Ann");
        assert_eq!(clean_short("abcdefghijkl", 5), "abcd…");
        assert_eq!(clean_short("\u{202E}abc", 3), "abc");
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("=1+1"), "\"'=1+1\"");
        assert_eq!(csv_cell("+44 20"), "\"'+44 20\"");
        assert_eq!(csv_cell("-x"), "\"'-x\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        // A tab or CR is cleaned to a space first: harmless alone, defused before a formula.
        assert_eq!(csv_cell("\tx"), "\" x\"");
        assert_eq!(csv_cell("\r=x"), "\"' =x\"");
        assert_eq!(csv_cell("\t@x"), "\"' @x\"");
        assert_eq!(csv_cell("  =cmd"), "\"'  =cmd\"");
        assert_eq!(csv_cell("\u{202E}=cmd"), "\"'=cmd\"");
        assert_eq!(csv_cell("＝1+1"), "\"'＝1+1\"");
        assert_eq!(csv_cell("a\"b,c"), "\"a\"\"b,c\"");
        assert_eq!(csv_cell("Ann\r\nBob,=x"), "\"Ann Bob,=x\"");
        assert_eq!(csv_cell("Ann"), "\"Ann\"");
        assert_eq!(csv_cell(""), "\"\"");
    }

    #[test]
    fn csv_cells_are_defused_behind_unicode_spaces_and_format_characters() {
        for lead in [
            "\u{00A0}", "\u{3000}", "\u{200B}", "\u{FEFF}", "\u{2060}", "\u{00AD}", "\u{2003}",
            "\u{200B} \u{00A0}",
        ] {
            let cell = csv_cell(&format!("{lead}=HYPERLINK(\"x\")"));
            assert!(cell.starts_with("\"'"), "{lead:?} before = is exported as {cell}");
        }
        assert_eq!(csv_cell("\u{00A0}Ann"), "\"\u{00A0}Ann\"");
    }
}
