//! The words Usher shows people, in the languages it speaks.
//!
//! Every string a visitor, a volunteer or an admin reads comes from the Fluent files under
//! `locales/LANG/*.ftl` (compiled in by `build.rs`, so a kiosk or a server needs no files at
//! run time), looked up by message id: [`text`] and [`text_with`]. Usher ships English (the
//! source), Arabic, Urdu, French and Turkish ([`Lang`]); each file says in its `# Status:` header
//! whether a native speaker has reviewed it, and until one has it says `draft`.
//!
//! Why Fluent rather than gettext: a message's plural forms are the translator's business, in the
//! file, not the code's (Arabic has six, Urdu and Turkish two, with different rules), variables are
//! named rather than positional, the files are plain text a volunteer can edit, and the crates
//! are pure Rust with nothing to install (`fluent-bundle`, from the Project Fluent team).
//!
//! Placeables are not wrapped in Unicode isolation marks (`use_isolating` is off): the kiosk and
//! the server strip bidirectional controls from text they show (`usher_core::display::clean`)
//! and lay out right-to-left text themselves, the kiosk with `usher_core::display::visual`, the
//! web pages with `dir="rtl"` and `<bdi>`.
//!
//! A message missing from a language falls back to English, and an id missing everywhere comes
//! back as the id itself, so a typo shows on screen rather than crashing a door; the tests below
//! fail on both, for every file.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// Every `(language code, file name, text)` under `locales/`, in a stable order.
const FILES: &[(&str, &str, &str)] = include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// A language Usher speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English, the source language.
    #[default]
    En,
    /// Arabic (right to left).
    Ar,
    /// Urdu (right to left).
    Ur,
    /// French.
    Fr,
    /// Turkish.
    Tr,
}

/// Which way a language's lines run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left: the whole layout mirrors (alignment, the order of buttons).
    Rtl,
}

impl Direction {
    /// The HTML `dir` attribute's value.
    pub fn html(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

impl Lang {
    /// Every language, English first, in the order a language menu lists them.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Ar, Lang::Ur, Lang::Fr, Lang::Tr];

    /// The BCP 47 code: `en`, `ar`, `ur`, `fr`, `tr` (also the folder under `locales/`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Ur => "ur",
            Lang::Fr => "fr",
            Lang::Tr => "tr",
        }
    }

    /// The language from a code or a tag with a region (`ar`, `ar-EG`, `FR`); `None` for one
    /// Usher does not speak.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// Which way this language runs.
    pub fn direction(self) -> Direction {
        match self {
            Lang::Ar | Lang::Ur => Direction::Rtl,
            Lang::En | Lang::Fr | Lang::Tr => Direction::Ltr,
        }
    }

    /// Whether this language runs right to left.
    pub fn is_rtl(self) -> bool {
        self.direction() == Direction::Rtl
    }

    /// The language's name in itself, for a language button or menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Ur => "اردو",
            Lang::Fr => "Français",
            Lang::Tr => "Türkçe",
        }
    }

    /// The language after this one in [`Lang::ALL`], wrapping: what a language button switches to.
    pub fn next(self) -> Lang {
        let i = Lang::ALL.iter().position(|&l| l == self).unwrap_or(0);
        Lang::ALL[(i + 1) % Lang::ALL.len()]
    }

    fn id(self) -> LanguageIdentifier {
        self.code().parse().unwrap_or_default()
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or(UnknownLang)
    }
}

/// A language code Usher does not speak (the error names the choices, not the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownLang;

impl std::fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a language Usher speaks (en, ar, ur, fr, tr)")
    }
}

impl std::error::Error for UnknownLang {}

/// The language to answer in for an HTTP `Accept-Language` header (`ar-EG,ar;q=0.9,en;q=0.5`):
/// the first of the visitor's choices that Usher speaks, English when none is.
pub fn negotiate(accept_language: &str) -> Lang {
    use fluent_langneg::LanguageIdentifier as Tag;
    let requested = fluent_langneg::accepted_languages::parse(accept_language);
    let tag = |l: Lang| Tag::try_from_bytes(l.code().as_bytes()).unwrap_or_default();
    let available: Vec<Tag> = Lang::ALL.into_iter().map(tag).collect();
    let default = tag(Lang::En);
    let chosen = fluent_langneg::negotiate_languages(
        &requested,
        &available,
        Some(&default),
        fluent_langneg::NegotiationStrategy::Lookup,
    );
    chosen
        .first()
        .and_then(|id| Lang::parse(id.language.as_str()))
        .unwrap_or_default()
}

/// A value put into a message's placeable (`{ $name }`, `{ $count }`).
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// Text, shown as it is.
    Text(String),
    /// A number: Fluent picks the plural form from it.
    Number(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                // Head counts, minutes and places: far inside f64's exact range.
                #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u8, u16, u32, u64, usize);

/// The message `id` in `lang`, without arguments.
pub fn text(lang: Lang, id: &str) -> String {
    text_with(lang, id, &[])
}

/// The message `id` in `lang` with its placeables filled from `args` (`("name", "Ann".into())`).
pub fn text_with(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let args = fluent_args(args);
    for bundle in [bundle(lang), bundle(Lang::En)] {
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let out = bundle.format_pattern(pattern, args.as_ref(), &mut errors);
            return out.into_owned();
        }
    }
    id.to_owned()
}

/// The attribute `attr` of message `id` (`id.attr` in Fluent), for a message with several parts.
pub fn attribute(lang: Lang, id: &str, attr: &str) -> String {
    for bundle in [bundle(lang), bundle(Lang::En)] {
        if let Some(pattern) = bundle
            .get_message(id)
            .and_then(|m| m.get_attribute(attr))
            .map(|a| a.value())
        {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, None, &mut errors)
                .into_owned();
        }
    }
    format!("{id}.{attr}")
}

/// Whether `id` is a message of the English source (for callers that pick a key at run time,
/// such as a verdict's screen name).
pub fn has(id: &str) -> bool {
    bundle(Lang::En).has_message(id)
}

fn fluent_args<'a>(args: &'a [(&'a str, Arg)]) -> Option<FluentArgs<'a>> {
    if args.is_empty() {
        return None;
    }
    let mut out = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(s) => out.set(*name, FluentValue::from(s.as_str())),
            Arg::Number(n) => out.set(*name, FluentValue::from(*n)),
        }
    }
    Some(out)
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<BTreeMap<Lang, FluentBundle<FluentResource>>> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|lang| {
                let mut bundle = FluentBundle::new_concurrent(vec![lang.id()]);
                bundle.set_use_isolating(false);
                for (_, _, source) in FILES.iter().filter(|(code, _, _)| *code == lang.code()) {
                    // A file with a syntax error still adds the messages that parsed; the
                    // tests fail on the error itself.
                    let resource = match FluentResource::try_new((*source).to_owned()) {
                        Ok(r) | Err((r, _)) => r,
                    };
                    // A duplicate id keeps the first; the tests fail on duplicates.
                    let _ = bundle.add_resource(resource);
                }
                (lang, bundle)
            })
            .collect()
    });
    &bundles[&lang]
}

/// Every file under `locales/` with its language, for the completeness tests of this crate and
/// of the programs that use it.
pub fn files() -> impl Iterator<Item = (Lang, &'static str, &'static str)> {
    FILES
        .iter()
        .filter_map(|(code, name, text)| Some((Lang::parse(code)?, *name, *text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::BTreeSet;

    /// Message ids (with `.attribute`s) and the variables each uses, per file of a language.
    fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(r, _)| r);
        let mut out = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(v) = &m.value {
                    variables(v, &mut vars);
                }
                out.insert(m.id.name.to_owned(), vars);
                for a in &m.attributes {
                    let mut vars = BTreeSet::new();
                    variables(&a.value, &mut vars);
                    out.insert(format!("{}.{}", m.id.name, a.id.name), vars);
                }
            }
        }
        out
    }

    fn variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
            ast::Expression::Inline(inline) => inline_variables(inline, out),
        }
    }

    fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, out);
            }
            _ => {}
        }
    }

    /// Per language: file name → (message → variables).
    type Catalogue = BTreeMap<&'static str, BTreeMap<String, BTreeSet<String>>>;

    fn catalogue(lang: Lang) -> Catalogue {
        files()
            .filter(|(l, _, _)| *l == lang)
            .map(|(_, name, text)| (name, messages(text)))
            .collect()
    }

    #[test]
    fn every_file_parses_without_errors() {
        for (lang, name, text) in files() {
            if let Err((_, errors)) = fluent_syntax::parser::parse(text) {
                panic!("locales/{lang}/{name}: {errors:?}");
            }
        }
    }

    #[test]
    fn every_language_has_every_file_and_every_message_with_the_same_variables() {
        let english = catalogue(Lang::En);
        assert!(!english.is_empty(), "locales/en has no files");
        let mut missing = Vec::new();
        for lang in Lang::ALL.into_iter().skip(1) {
            let other = catalogue(lang);
            for (file, messages) in &english {
                let Some(theirs) = other.get(file) else {
                    missing.push(format!("locales/{lang}/{file} is missing"));
                    continue;
                };
                for (id, vars) in messages {
                    match theirs.get(id) {
                        None => missing.push(format!("locales/{lang}/{file}: no `{id}`")),
                        Some(v) if v != vars => missing.push(format!(
                            "locales/{lang}/{file}: `{id}` uses {v:?}, English uses {vars:?}"
                        )),
                        Some(_) => {}
                    }
                }
                for id in theirs.keys().filter(|id| !messages.contains_key(*id)) {
                    missing.push(format!("locales/{lang}/{file}: `{id}` is not in English"));
                }
            }
            for file in other.keys().filter(|f| !english.contains_key(*f)) {
                missing.push(format!("locales/{lang}/{file} has no English source"));
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    #[test]
    fn no_message_id_is_defined_twice_in_a_language() {
        for lang in Lang::ALL {
            let mut seen = BTreeMap::new();
            for (l, name, text) in files() {
                if l != lang {
                    continue;
                }
                for id in messages(text).into_keys() {
                    if let Some(first) = seen.insert(id.clone(), name) {
                        panic!("locales/{lang}: `{id}` is in both {first} and {name}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_file_says_whether_a_native_speaker_reviewed_it() {
        for (lang, name, text) in files() {
            let status = text
                .lines()
                .take_while(|l| l.starts_with('#') || l.trim().is_empty())
                .find_map(|l| l.strip_prefix("# Status:"))
                .unwrap_or_else(|| panic!("locales/{lang}/{name} has no `# Status:` header"));
            if lang != Lang::En {
                assert!(
                    status.contains("draft") || status.contains("reviewed by"),
                    "locales/{lang}/{name}: the status says neither draft nor who reviewed it"
                );
            }
        }
    }

    #[test]
    fn arabic_and_urdu_run_right_to_left_and_the_others_left_to_right() {
        let rtl: Vec<Lang> = Lang::ALL.into_iter().filter(|l| l.is_rtl()).collect();
        assert_eq!(rtl, [Lang::Ar, Lang::Ur]);
        assert_eq!(Lang::Ar.direction().html(), "rtl");
        assert_eq!(Lang::Fr.direction().html(), "ltr");
    }

    #[test]
    fn accept_language_picks_the_first_language_usher_speaks() {
        assert_eq!(negotiate("ar-EG,ar;q=0.9,en;q=0.5"), Lang::Ar);
        assert_eq!(negotiate("de-DE,de;q=0.9,ur;q=0.4"), Lang::Ur);
        assert_eq!(negotiate("fr-CA"), Lang::Fr);
        assert_eq!(negotiate("de"), Lang::En);
        assert_eq!(negotiate(""), Lang::En);
        assert_eq!(negotiate(";;;q=zz,,"), Lang::En);
    }

    #[test]
    fn codes_parse_with_regions_and_in_any_case() {
        assert_eq!(Lang::parse("AR-eg"), Some(Lang::Ar));
        assert_eq!(Lang::parse("tr_TR"), Some(Lang::Tr));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!("ur".parse::<Lang>(), Ok(Lang::Ur));
        assert_eq!(Lang::Tr.next(), Lang::En);
    }

    #[test]
    fn a_message_fills_its_placeables_and_picks_the_plural_form() {
        assert_eq!(
            text_with(Lang::En, "i18n-example-people", &[("count", 1.into())]),
            "1 person"
        );
        assert_eq!(
            text_with(Lang::En, "i18n-example-people", &[("count", 3.into())]),
            "3 people"
        );
        // Arabic's plural form for 2 is the dual, a word of its own.
        assert_ne!(
            text_with(Lang::Ar, "i18n-example-people", &[("count", 2.into())]),
            text_with(Lang::Ar, "i18n-example-people", &[("count", 3.into())]),
        );
    }

    #[test]
    fn an_unknown_id_comes_back_as_itself() {
        assert_eq!(text(Lang::Ar, "no-such-message"), "no-such-message");
        assert!(!has("no-such-message"));
        assert!(has("language-name"));
    }
}
