//! `NAME.txt` message templates: `{s1}`..`{s10}`, `{name}`, `{time}`, `{expiry}` filled in.
//!
//! Also `{first_used}` and `{first_device}` on `qr_used` screens, and `{opens}` (when an event
//! pass's doors open, its `nb`) on `qr_too_early` screens. A placeholder without a value
//! becomes empty; an unknown `{word}` is left as written.

/// The values a template can use, already formatted for people.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    /// `s1`..`s10`.
    pub strings: [Option<String>; 10],
    /// The scan's local time (`HH:MM`).
    pub time: String,
    /// The pass's expiry in local time.
    pub expiry: Option<String>,
    /// When a used pass was first used, in local time.
    pub first_used: Option<String>,
    /// The kiosk a used pass was first used on.
    pub first_device: Option<String>,
    /// When an event pass's doors open (`nb`), in local time.
    pub opens: Option<String>,
}

impl Values {
    /// The values a built-in (translated) message uses, as its variables: `$name`, `$time`,
    /// `$expiry`, `$first_used`, `$first_device`, each empty when absent.
    pub fn args(&self) -> Vec<(&'static str, usher_i18n::Arg)> {
        [
            "name",
            "time",
            "expiry",
            "first_used",
            "first_device",
            "opens",
        ]
        .into_iter()
        .map(|key| (key, self.get(key).unwrap_or_default().into()))
        .collect()
    }

    fn get(&self, key: &str) -> Option<&str> {
        fn opt(o: &Option<String>) -> &str {
            o.as_deref().unwrap_or("")
        }
        match key {
            "name" => Some(opt(&self.strings[0])),
            "time" => Some(&self.time),
            "expiry" => Some(opt(&self.expiry)),
            "first_used" => Some(opt(&self.first_used)),
            "first_device" => Some(opt(&self.first_device)),
            "opens" => Some(opt(&self.opens)),
            _ => {
                let n: usize = key.strip_prefix('s')?.parse().ok()?;
                if (1..=10).contains(&n) && !key.starts_with("s0") {
                    Some(opt(&self.strings[n - 1]))
                } else {
                    None
                }
            }
        }
    }
}

/// Fills `template` with `values`.
pub fn fill(template: &str, values: &Values) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if !after[..close].contains('{') => {
                let key = &after[..close];
                match values.get(key.trim()) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        let mut strings: [Option<String>; 10] = Default::default();
        strings[0] = Some("Zoë Ağaoğlu".into());
        strings[1] = Some("+44 7700 900123".into());
        strings[9] = Some("ten".into());
        Values {
            strings,
            time: "09:30".into(),
            expiry: Some("2026-12-31 23:59".into()),
            first_used: Some("2026-11-22 09:00:00".into()),
            first_device: Some("kiosk-2".into()),
            opens: Some("06:15".into()),
        }
    }

    #[test]
    fn an_event_pass_screen_says_when_the_doors_open() {
        assert_eq!(
            fill("Doors open at {opens}", &values()),
            "Doors open at 06:15"
        );
    }

    #[test]
    fn fills_every_placeholder() {
        let t = "Welcome {name} ({s2}) at {time}, valid until {expiry}; {s10}{s3}.";
        assert_eq!(
            fill(t, &values()),
            "Welcome Zoë Ağaoğlu (+44 7700 900123) at 09:30, valid until 2026-12-31 23:59; ten."
        );
        assert_eq!(
            fill("{first_used} on {first_device}", &values()),
            "2026-11-22 09:00:00 on kiosk-2"
        );
    }

    #[test]
    fn unknown_and_broken_placeholders_stay() {
        let v = values();
        assert_eq!(fill("{s11} {s0} {s01} {nom}", &v), "{s11} {s0} {s01} {nom}");
        assert_eq!(fill("a { b", &v), "a { b");
        assert_eq!(fill("a {{name}", &v), "a {Zoë Ağaoğlu");
        assert_eq!(fill("}{", &v), "}{");
        assert_eq!(fill("{ name }", &v), "Zoë Ağaoğlu");
    }

    #[test]
    fn missing_values_are_empty() {
        assert_eq!(
            fill("[{name}][{expiry}][{s5}]", &Values::default()),
            "[][][]"
        );
    }

    #[test]
    fn arabic_names_pass_through() {
        let mut v = Values::default();
        v.strings[0] = Some("محمد علي".into());
        assert_eq!(fill("أهلا {name}", &v), "أهلا محمد علي");
    }
}
