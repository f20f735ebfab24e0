//! Placement modifiers of animation files: `NAME_{T10%W10%}.gif` (DESIGN §3).
//!
//! `T`, `B`, `L`, `R` say where the animation's centre sits, measured from that edge; `W`, `H`
//! give its size. Each takes a number (at most 10000) in pixels or a percentage of the screen;
//! the `%` may stand before or after the number, and letters may be lower case: `{T10%W10%}`,
//! `{B10%R20%}` and `{l%50t%50}` are all valid. No modifier: the animation is centred at its
//! own size.

use std::fmt;

/// The largest number a modifier takes, in pixels or percent: larger ones (up to infinity,
/// for 39 digits) would place or size an animation nowhere the screen can show.
pub const MAX_VALUE: f32 = 10_000.0;

/// A length: pixels or a percentage of the screen's matching dimension.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    /// Screen pixels (points).
    Px(f32),
    /// A percentage of the screen's width (for L, R, W) or height (T, B, H).
    Percent(f32),
}

impl Length {
    fn resolve(self, of: f32) -> f32 {
        match self {
            Length::Px(px) => px,
            Length::Percent(p) => of * p / 100.0,
        }
    }
}

/// Where and how big an animation is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Placement {
    /// Centre from the top edge.
    pub top: Option<Length>,
    /// Centre from the bottom edge.
    pub bottom: Option<Length>,
    /// Centre from the left edge.
    pub left: Option<Length>,
    /// Centre from the right edge.
    pub right: Option<Length>,
    /// Width.
    pub width: Option<Length>,
    /// Height.
    pub height: Option<Length>,
}

/// Where the camera preview sits on the ready screen unless `<previewPlacement>` says
/// otherwise: `{T19%H30%}`, centred across, above the prompt, where the built-in icon stands.
pub const DEFAULT_PREVIEW: Placement = Placement {
    top: Some(Length::Percent(19.0)),
    bottom: None,
    left: None,
    right: None,
    width: None,
    height: Some(Length::Percent(30.0)),
};

/// Why a modifier block does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementError(pub String);

impl fmt::Display for PlacementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad placement modifiers: {}", self.0)
    }
}

impl std::error::Error for PlacementError {}

/// A placed rectangle: centre and size, in screen points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Centre x.
    pub cx: f32,
    /// Centre y.
    pub cy: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Placement {
    /// Parses the text between the braces of `{T10%W10%}` (without the braces).
    pub fn parse(mods: &str) -> Result<Placement, PlacementError> {
        let err = |m: String| Err(PlacementError(m));
        let chars: Vec<char> = mods.chars().collect();
        if chars.is_empty() {
            return err("empty {}".into());
        }
        let mut p = Placement::default();
        let mut i = 0;
        while i < chars.len() {
            let letter = chars[i].to_ascii_uppercase();
            i += 1;
            let prefix = chars.get(i) == Some(&'%');
            if prefix {
                i += 1;
            }
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            let Ok(value) = digits.parse::<f32>() else {
                return err(format!("{letter} needs a number in {{{mods}}}"));
            };
            if value > MAX_VALUE {
                return err(format!(
                    "{letter}{digits} is over {MAX_VALUE} in {{{mods}}}"
                ));
            }
            let suffix = !prefix && chars.get(i) == Some(&'%');
            if suffix {
                i += 1;
            }
            let len = if prefix || suffix {
                Length::Percent(value)
            } else {
                Length::Px(value)
            };
            let slot = match letter {
                'T' => &mut p.top,
                'B' => &mut p.bottom,
                'L' => &mut p.left,
                'R' => &mut p.right,
                'W' => &mut p.width,
                'H' => &mut p.height,
                other => return err(format!("unknown letter {other:?} in {{{mods}}}")),
            };
            if slot.replace(len).is_some() {
                return err(format!("{letter} given twice in {{{mods}}}"));
            }
        }
        if p.top.is_some() && p.bottom.is_some() {
            return err(format!("both T and B in {{{mods}}}"));
        }
        if p.left.is_some() && p.right.is_some() {
            return err(format!("both L and R in {{{mods}}}"));
        }
        Ok(p)
    }

    /// The rectangle for an animation of `natural` size on a screen of `screen` size.
    ///
    /// With only one of W and H the other keeps the aspect ratio; with neither, the natural
    /// size, shrunk to fit the screen.
    pub fn rect(&self, screen: (f32, f32), natural: (f32, f32)) -> Rect {
        let (sw, sh) = screen;
        let (nw, nh) = (natural.0.max(1.0), natural.1.max(1.0));
        let (w, h) = match (self.width, self.height) {
            (Some(w), Some(h)) => (w.resolve(sw), h.resolve(sh)),
            (Some(w), None) => {
                let w = w.resolve(sw);
                (w, w * nh / nw)
            }
            (None, Some(h)) => {
                let h = h.resolve(sh);
                (h * nw / nh, h)
            }
            (None, None) => {
                let scale = (sw / nw).min(sh / nh).min(1.0);
                (nw * scale, nh * scale)
            }
        };
        let cx = match (self.left, self.right) {
            (Some(l), _) => l.resolve(sw),
            (None, Some(r)) => sw - r.resolve(sw),
            (None, None) => sw / 2.0,
        };
        let cy = match (self.top, self.bottom) {
            (Some(t), _) => t.resolve(sh),
            (None, Some(b)) => sh - b.resolve(sh),
            (None, None) => sh / 2.0,
        };
        Rect { cx, cy, w, h }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Length::{Percent, Px};

    #[test]
    fn design_examples() {
        let p = Placement::parse("T10%W10%").unwrap();
        assert_eq!(p.top, Some(Percent(10.0)));
        assert_eq!(p.width, Some(Percent(10.0)));
        let p = Placement::parse("B10%R20%").unwrap();
        assert_eq!(p.bottom, Some(Percent(10.0)));
        assert_eq!(p.right, Some(Percent(20.0)));
        let p = Placement::parse("l%50t%50").unwrap();
        assert_eq!(p.left, Some(Percent(50.0)));
        assert_eq!(p.top, Some(Percent(50.0)));
    }

    #[test]
    fn pixels_mixed_case_and_decimals() {
        let p = Placement::parse("t120L80w%25H200").unwrap();
        assert_eq!(p.top, Some(Px(120.0)));
        assert_eq!(p.left, Some(Px(80.0)));
        assert_eq!(p.width, Some(Percent(25.0)));
        assert_eq!(p.height, Some(Px(200.0)));
        let p = Placement::parse("W12.5%").unwrap();
        assert_eq!(p.width, Some(Percent(12.5)));
    }

    #[test]
    fn bad_modifiers() {
        for bad in [
            "", "X10", "T", "T%", "T10T20", "T10B10", "L1R1", "T10%%", "%T10", "T1 0", "W-5",
        ] {
            assert!(Placement::parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn numbers_over_the_maximum_are_refused() {
        // Found by the screen_file_name fuzz target: 40 digits parsed as an infinite length.
        let huge = format!("L%5{}", "5".repeat(40));
        let e = Placement::parse(&huge).expect_err("infinite");
        assert!(e.to_string().contains("is over 10000"), "{e}");
        assert!(Placement::parse("W10001").is_err());
        assert!(Placement::parse("W%10000.5").is_err());
        let p = Placement::parse("W10000H%10000").expect("at the maximum");
        let r = p.rect((1920.0, 1080.0), (1.0, 1.0));
        assert!(
            [r.cx, r.cy, r.w, r.h].iter().all(|v| v.is_finite()),
            "{r:?}"
        );
    }

    #[test]
    fn rect_from_edges() {
        let screen = (1000.0, 500.0);
        let r = Placement::parse("B10%R20%")
            .unwrap()
            .rect(screen, (100.0, 50.0));
        assert_eq!(
            r,
            Rect {
                cx: 800.0,
                cy: 450.0,
                w: 100.0,
                h: 50.0
            }
        );
        let r = Placement::parse("T10%W10%")
            .unwrap()
            .rect(screen, (100.0, 50.0));
        assert_eq!((r.cx, r.cy, r.w, r.h), (500.0, 50.0, 100.0, 50.0));
        let r = Placement::parse("H100")
            .unwrap()
            .rect(screen, (100.0, 50.0));
        assert_eq!((r.w, r.h), (200.0, 100.0));
    }

    #[test]
    fn the_default_preview_placement_is_its_modifiers() {
        assert_eq!(Placement::parse("T19%H30%"), Ok(DEFAULT_PREVIEW));
        let r = DEFAULT_PREVIEW.rect((1280.0, 720.0), (320.0, 180.0));
        assert_eq!((r.cx, r.cy, r.w, r.h), (640.0, 136.8, 384.0, 216.0));
    }

    #[test]
    fn no_modifier_is_centred_and_fits() {
        let r = Placement::default().rect((400.0, 300.0), (800.0, 300.0));
        assert_eq!(
            r,
            Rect {
                cx: 200.0,
                cy: 150.0,
                w: 400.0,
                h: 150.0
            }
        );
    }
}
