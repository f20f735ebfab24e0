//! Minting passes: compact JSON, a random nonce, a signature, form-encoded into a URL.
//!
//! Shorter passes scan better (DESIGN §5), so the JSON has no spaces and the base URL is short.
//! Names in any script go through as UTF-8, unchanged.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::form;
use crate::scheme::Signer;
use crate::stay::PartySize;

/// The default base URL of a minted pass: short, and no real host.
pub const DEFAULT_BASE_URL: &str = "usher://p";

/// What goes into a pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassSpec {
    /// `s1`..`s10` (index 0 is `s1`: name; `s2` phone; `s3` email).
    pub strings: [Option<String>; 10],
    /// Unix seconds after which the pass is `qr_expired`.
    pub expiry: u64,
    /// Bind the pass to one kiosk.
    pub device_id: Option<String>,
    /// 96 random bits, so no two passes share an identity (the caller draws them).
    pub nonce: [u8; 12],
    /// `r`: the server's registration this pass belongs to (DESIGN §9, compact passes). The
    /// server keeps phone and e-mail under it, so the pass carries only the name.
    pub registration: Option<String>,
    /// `ev`, `nb`, `en`: the event the pass is a reservation for (DESIGN §9).
    pub event: Option<EventBinding>,
}

/// What binds a pass to an event (DESIGN §9).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventBinding {
    /// `ev`: the event's id, not empty.
    pub id: String,
    /// `nb`: not before, Unix seconds (the start less the grace the admin set).
    pub not_before: u64,
    /// `en`: the entrance booked, if the event has more than one.
    pub entrance: Option<String>,
}

impl PassSpec {
    /// The compact JSON payload, fields in a fixed order: `s1`..`s10`, `expiry`, `id`, `r`,
    /// `p`, `ev`, `nb`, `en`, `n` (each only when set).
    pub fn payload_json(&self) -> String {
        self.payload_json_admitting(PartySize::ONE)
    }

    /// [`payload_json`](Self::payload_json) of a pass admitting a party of `party` people
    /// (DESIGN §8): `p` goes in after `id` when `party` is more than 1 (1 is the default, so
    /// it is left out and the pass stays short).
    pub fn payload_json_admitting(&self, party: PartySize) -> String {
        let mut out = String::from("{");
        let mut field = |key: &str, value: String| {
            if out.len() > 1 {
                out.push(',');
            }
            out.push('"');
            out.push_str(key);
            out.push_str("\":");
            out.push_str(&value);
        };
        let quote = |s: &str| serde_json::Value::from(s).to_string();
        for (i, s) in self.strings.iter().enumerate() {
            if let Some(s) = s {
                field(&format!("s{}", i + 1), quote(s));
            }
        }
        field("expiry", self.expiry.to_string());
        if let Some(id) = &self.device_id {
            field("id", quote(id));
        }
        if let Some(r) = &self.registration {
            field("r", quote(r));
        }
        if party.get() > 1 {
            field("p", party.get().to_string());
        }
        if let Some(ev) = &self.event {
            field("ev", quote(&ev.id));
            field("nb", ev.not_before.to_string());
            if let Some(en) = &ev.entrance {
                field("en", quote(en));
            }
        }
        field("n", quote(&URL_SAFE_NO_PAD.encode(self.nonce)));
        out.push('}');
        out
    }
}

/// The pass text `BASE?auth=…&j=…` for a payload (any JSON object text) signed by `signer`.
/// A base that already has a query gets the parameters appended with `&`.
pub fn pass_text(base_url: &str, payload: &str, signer: &Signer) -> String {
    let sep = if base_url.contains('?') { '&' } else { '?' };
    format!(
        "{base_url}{sep}auth={}&j={}",
        signer.sign(payload.as_bytes()),
        form::encode(payload.as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn payload_is_compact_and_ordered() {
        let mut spec = PassSpec {
            expiry: 42,
            nonce: [0; 12],
            ..Default::default()
        };
        spec.strings[0] = Some("Zoë \"Z\"".into());
        spec.strings[2] = Some("z@example.org".into());
        spec.device_id = Some("door-1".into());
        assert_eq!(
            spec.payload_json(),
            r#"{"s1":"Zoë \"Z\"","s3":"z@example.org","expiry":42,"id":"door-1","n":"AAAAAAAAAAAAAAAA"}"#
        );
    }

    #[test]
    fn a_party_goes_in_as_p_only_when_more_than_one() {
        let spec = PassSpec {
            expiry: 42,
            nonce: [0; 12],
            ..Default::default()
        };
        assert_eq!(
            spec.payload_json_admitting(PartySize::new(3).unwrap()),
            r#"{"expiry":42,"p":3,"n":"AAAAAAAAAAAAAAAA"}"#
        );
        assert_eq!(
            spec.payload_json_admitting(PartySize::ONE),
            spec.payload_json()
        );
        assert!(!spec.payload_json().contains("\"p\""));
    }

    #[test]
    fn a_compact_event_pass_carries_r_ev_nb_en_and_parses_back() {
        let spec = PassSpec {
            strings: [
                Some("Ann".into()),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            expiry: 900,
            registration: Some("R7".into()),
            event: Some(EventBinding {
                id: "eid".into(),
                not_before: 100,
                entrance: Some("sisters".into()),
            }),
            ..Default::default()
        };
        let json = spec.payload_json_admitting(PartySize::new(3).expect("3"));
        assert_eq!(
            json,
            r#"{"s1":"Ann","expiry":900,"r":"R7","p":3,"ev":"eid","nb":100,"en":"sisters","n":"AAAAAAAAAAAAAAAA"}"#
        );
        let parsed = crate::payload::parse(json.as_bytes(), true).expect("parses");
        assert_eq!(parsed.registration.as_deref(), Some("R7"));
        assert_eq!(parsed.event.as_deref(), Some("eid"));
        assert_eq!(parsed.not_before, Some(100));
    }

    #[test]
    fn arabic_names_go_through_unescaped() {
        let mut spec = PassSpec {
            expiry: 1,
            ..Default::default()
        };
        spec.strings[0] = Some("محمد علی".into());
        assert!(spec.payload_json().contains("محمد علی"));
    }

    #[test]
    fn text_appends_to_a_base_that_has_a_query() {
        let signer = Signer::HmacSha256(Secret::from("k"));
        assert!(
            pass_text("https://x/p?venue=1", "{}", &signer)
                .starts_with("https://x/p?venue=1&auth=")
        );
        assert!(pass_text("usher://p", "{}", &signer).starts_with("usher://p?auth="));
    }
}
