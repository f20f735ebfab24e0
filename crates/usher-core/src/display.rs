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
//!
//! The same algorithm puts a line in visual order for the screens that draw it: [`bidi_runs`]
//! splits a line into runs of one direction in visual order (the server shapes each run on a
//! pass), and [`visual`] turns a line into the order the kiosk's left-to-right layout draws.

use std::borrow::Cow;
use unicode_bidi::{BidiClass, BidiInfo, bidi_class};

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

/// Whether a spreadsheet could skip `c` before reading a formula: any Unicode space
/// (NBSP, U+3000, ...) or invisible format character (ZWSP, joiners, word joiner, BOM, soft
/// hyphen: the boundary neutrals of the bidi algorithm, and the Arabic number signs).
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || bidi_class(c) == BidiClass::BN
        || matches!(
            c,
            '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{08E2}' | '\u{180E}'
        )
}

/// One CSV cell, quoted: [`clean`]ed, and a cell that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, also after leading Unicode
/// spaces and format characters, or as their full-width forms) gets a leading `'`.
pub fn csv_cell(s: &str) -> String {
    let c = clean(s);
    let first = c.trim_start_matches(is_blank).chars().next();
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

/// Whether `s` holds any right-to-left character (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...).
pub fn has_rtl(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(
            bidi_class(c),
            BidiClass::R | BidiClass::AL | BidiClass::RLE | BidiClass::RLO | BidiClass::RLI
        )
    })
}

/// One run of a line in one direction, as the bidi algorithm orders them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run<'a> {
    /// The run's text, in logical order (a shaper lays a right-to-left run out itself).
    pub text: &'a str,
    /// Whether the run reads right to left.
    pub rtl: bool,
}

/// The runs of one line in visual order (left to right on the screen), by the Unicode bidi
/// algorithm with the paragraph direction taken from the first strong letter.
pub fn bidi_runs(line: &str) -> Vec<Run<'_>> {
    if !has_rtl(line) {
        return if line.is_empty() {
            Vec::new()
        } else {
            vec![Run {
                text: line,
                rtl: false,
            }]
        };
    }
    let bidi = BidiInfo::new(line, None);
    let mut out = Vec::new();
    for para in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(para, para.range.clone());
        for run in runs {
            out.push(Run {
                text: &line[run.clone()],
                rtl: levels[run.start].is_rtl(),
            });
        }
    }
    out
}

/// `text` with each line in visual order for a left-to-right layout that shapes each word
/// itself: right-to-left runs have their words reversed (each word kept logical, brackets
/// mirrored), left-to-right runs stay. ASCII punctuation and `…` beside a right-to-left word
/// (`اليوم:`, `(بدون`) are drawn by a Latin font outside the shaped word, so each stands on
/// its own, on the side where a right-to-left reader expects it. Text with no right-to-left
/// letter is returned as is.
///
/// ```
/// use usher_core::display::visual;
/// assert_eq!(visual("محمد علي"), "علي محمد");
/// assert_eq!(visual("Zoë Smith"), "Zoë Smith");
/// ```
pub fn visual(text: &str) -> String {
    if !has_rtl(text) {
        return text.to_owned();
    }
    text.lines().map(visual_line).collect::<Vec<_>>().join("\n")
}

fn visual_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for run in bidi_runs(line) {
        if run.rtl {
            for piece in pieces(run.text).iter().rev() {
                out.extend(piece.chars().map(mirror));
            }
        } else {
            out.push_str(run.text);
        }
    }
    out
}

/// What a piece of a right-to-left run is: spaces, one punctuation mark, or a word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Piece {
    Space,
    Mark,
    Word,
}

/// `s` cut, in order, into runs of spaces, single punctuation marks drawn by a Latin font
/// (ASCII punctuation, `…`), and words (kept whole for the shaper).
fn pieces(s: &str) -> Vec<&str> {
    let kind = |c: char| {
        if c.is_whitespace() {
            Piece::Space
        } else if c.is_ascii_punctuation() || c == '…' {
            Piece::Mark
        } else {
            Piece::Word
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut last = None;
    for (i, c) in s.char_indices() {
        let k = kind(c);
        if last.is_some_and(|was| was != k || k == Piece::Mark) {
            out.push(&s[start..i]);
            start = i;
        }
        last = Some(k);
    }
    out.push(&s[start..]);
    out
}

fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '<' => '>',
        '>' => '<',
        other => other,
    }
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
            "\u{00A0}",
            "\u{3000}",
            "\u{200B}",
            "\u{FEFF}",
            "\u{2060}",
            "\u{00AD}",
            "\u{2003}",
            "\u{200B} \u{00A0}",
        ] {
            let cell = csv_cell(&format!("{lead}=HYPERLINK(\"x\")"));
            assert!(
                cell.starts_with("\"'"),
                "{lead:?} before = is exported as {cell}"
            );
        }
        assert_eq!(csv_cell("\u{00A0}Ann"), "\"\u{00A0}Ann\"");
    }

    #[test]
    fn right_to_left_runs_come_in_visual_order() {
        let r = |text, rtl| Run { text, rtl };
        assert_eq!(bidi_runs("Zoë Smith"), vec![r("Zoë Smith", false)]);
        assert_eq!(bidi_runs("שרה כהן"), vec![r("שרה כהן", true)]);
        assert_eq!(bidi_runs("Ann שרה"), vec![r("Ann ", false), r("שרה", true)]);
        assert_eq!(
            bidi_runs("محمد Ali"),
            vec![r("Ali", false), r("محمد ", true)]
        );
        assert!(bidi_runs("").is_empty());
    }

    #[test]
    fn punctuation_beside_right_to_left_words_stands_on_the_reading_side() {
        // A colon after a word stands left of it; the number after it, further left.
        assert_eq!(visual("الداخلون اليوم: 12"), "12 :اليوم الداخلون");
        // Brackets enclose the words, mirrored.
        assert_eq!(visual("(بدون اسم)"), "(اسم بدون)");
        assert_eq!(visual("شكراً…"), "…شكراً");
        assert_eq!(visual("محمد):"), ":(محمد");
        // Arabic punctuation is the Arabic font's: shaped with its word.
        assert_eq!(visual("نعم، لا"), "لا نعم،");
    }

    #[test]
    fn visual_order_reverses_words_of_right_to_left_runs_only() {
        assert_eq!(visual("Zoë Ağaoğlu Ødegård"), "Zoë Ağaoğlu Ødegård");
        assert_eq!(visual("محمد علي"), "علي محمد");
        assert_eq!(visual("محمد"), "محمد");
        assert_eq!(visual("Welcome محمد علي"), "Welcome علي محمد");
        assert_eq!(visual("عمران خان"), "خان عمران");
        assert_eq!(visual("שרה כהן"), "כהן שרה");
        assert_eq!(visual("محمد علي\nSigned in"), "علي محمد\nSigned in");
        assert!(has_rtl("שרה") && has_rtl("محمد") && !has_rtl("Zoë"));
    }
}
