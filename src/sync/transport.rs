//! The seam between the sync logic and the network: [`Transport`], its real implementation
//! [`HttpTransport`] (reqwest with connect and request timeouts, the device token as a bearer
//! token) and the outbox row and exit as they go on the wire ([`sign_in_of`], [`exit_of`]).

use serde::Deserialize;
use std::time::Duration;
use usher_core::Secret;
use usher_core::wire::{self, DoubleUsesPage, Presence, PresenceQuery, UploadAnswer, UsedPage};

use crate::contact::WireContact;
use crate::ledger::{ExitRow, OutboxRow, TallyRow, UploadBatch, VoidRow};

/// An answer and the server's clock (its `Date` header), when it sent one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply<T> {
    /// The body.
    pub body: T,
    /// The server's time, Unix seconds.
    pub server_time: Option<i64>,
}

/// Why a request did not get a usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection, a reset, a timeout.
    #[error("server unreachable: {0}")]
    Unreachable(String),
    /// The server answered with an error status.
    #[error("server answered {code}: {reason}")]
    Status {
        /// HTTP status.
        code: u16,
        /// The server's reason.
        reason: String,
        /// Its clock.
        server_time: Option<i64>,
    },
    /// A 2xx answer we could not read.
    #[error("unreadable answer: {0}")]
    BadReply(String),
}

impl TransportError {
    /// Whether the server refused this request itself (not a fault that a retry may cure).
    pub(super) fn is_refusal_of_content(&self) -> bool {
        matches!(
            self,
            TransportError::Status {
                code: 400 | 413 | 422,
                ..
            }
        )
    }
}

/// How the kiosk talks to the server: the seam between the sync logic and the network.
pub trait Transport: Send {
    /// Uploads sign-ins and exits.
    fn upload(&mut self, batch: &UploadBatch) -> Result<Reply<UploadAnswer>, TransportError>;
    /// Fetches passes used at other kiosks since `cursor`.
    fn used_since(&mut self, cursor: Option<&str>) -> Result<Reply<UsedPage>, TransportError>;
    /// Fetches the venue's double uses since `cursor`.
    fn double_uses_since(
        &mut self,
        cursor: Option<&str>,
    ) -> Result<Reply<DoubleUsesPage>, TransportError>;

    /// `GET /api/v1/presence`: the venue's counts, the other kiosks' open stays and this
    /// kiosk's place lease, telling the server `query` (its entrance, lease, inside, demand).
    fn presence(&mut self, query: &PresenceQuery) -> Result<Reply<Presence>, TransportError>;
}

/// The real transport: HTTPS (rustls) or HTTP with reqwest, device token as a bearer token.
pub struct HttpTransport {
    client: reqwest::blocking::Client,
    base: String,
    token: Secret,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HttpTransport({}, token ***)", self.base)
    }
}

impl HttpTransport {
    /// A transport to the server at `base` (e.g. `https://usher.example.org`).
    pub fn new(base: &str, token: Secret) -> Result<Self, TransportError> {
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| TransportError::Unreachable(e.to_string()))?;
        Ok(HttpTransport {
            client,
            base: base.trim_end_matches('/').to_owned(),
            token,
        })
    }

    fn send<T: for<'de> Deserialize<'de>>(
        &self,
        request: reqwest::blocking::RequestBuilder,
    ) -> Result<Reply<T>, TransportError> {
        let token = String::from_utf8_lossy(self.token.expose());
        let response = request
            .bearer_auth(token)
            .send()
            .map_err(|e| TransportError::Unreachable(without_url(&e)))?;
        let server_time = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_secs()).ok());
        let status = response.status();
        let body = response
            .bytes()
            .map_err(|e| TransportError::Unreachable(without_url(&e)))?;
        if !status.is_success() {
            let reason = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
            return Err(TransportError::Status {
                code: status.as_u16(),
                reason,
                server_time,
            });
        }
        let body =
            serde_json::from_slice(&body).map_err(|e| TransportError::BadReply(e.to_string()))?;
        Ok(Reply { body, server_time })
    }
}

/// reqwest's errors name the URL; keep messages short and free of query strings.
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "connection failed"
    };
    match std::error::Error::source(e) {
        Some(source) => format!("{kind}: {source}"),
        None => kind.to_owned(),
    }
}

impl Transport for HttpTransport {
    fn upload(&mut self, batch: &UploadBatch) -> Result<Reply<UploadAnswer>, TransportError> {
        let body = wire::Upload {
            signins: batch.signins.iter().map(sign_in_of).collect(),
            exits: batch.exits.iter().map(exit_of).collect(),
            voids: batch.voids.iter().map(void_of).collect(),
            tallies: batch.tallies.iter().map(tally_of).collect(),
        };
        self.send(
            self.client
                .post(format!("{}{}", self.base, wire::SIGNINS_PATH))
                .json(&body),
        )
    }

    fn used_since(&mut self, cursor: Option<&str>) -> Result<Reply<UsedPage>, TransportError> {
        self.send(self.client.get(self.paged_url(wire::USED_PATH, cursor)))
    }

    fn double_uses_since(
        &mut self,
        cursor: Option<&str>,
    ) -> Result<Reply<DoubleUsesPage>, TransportError> {
        self.send(
            self.client
                .get(self.paged_url(wire::DOUBLE_USES_PATH, cursor)),
        )
    }

    fn presence(&mut self, query: &PresenceQuery) -> Result<Reply<Presence>, TransportError> {
        let url = format!(
            "{}{}?entrance={}&held={}&inside={}&demand={}",
            self.base,
            wire::PRESENCE_PATH,
            usher_core::form::encode(query.entrance.as_bytes()),
            query.held,
            query.inside,
            query.demand
        );
        self.send(self.client.get(url))
    }
}

impl HttpTransport {
    /// `BASE` + `path`, with `?since=CURSOR` when there is one.
    fn paged_url(&self, path: &str, cursor: Option<&str>) -> String {
        match cursor {
            Some(cursor) => format!(
                "{}{path}?since={}",
                self.base,
                usher_core::form::encode(cursor.as_bytes())
            ),
            None => format!("{}{path}", self.base),
        }
    }
}

/// An outbox row as the wire's [`wire::SignIn`]: contact fields either sealed (base64 of the
/// sealed box) or, from a kiosk without the organiser's key, in clear; never both.
pub fn sign_in_of(row: &OutboxRow) -> wire::SignIn {
    use base64::Engine as _;
    let (fields, sealed) = match &row.contact {
        WireContact::Sealed(bytes) => (
            None,
            Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
        ),
        WireContact::Fields(json) => (Some(serde_json::from_str(json).unwrap_or_default()), None),
    };
    wire::SignIn {
        id: row.id.clone(),
        pass_id: row.pass_id.to_hex(),
        scanned_at: row.scanned_at,
        device_id: row.device_id.clone(),
        valid_until: row.valid_until,
        fields,
        sealed,
        entrance: row.entrance.clone(),
        heads: row.heads,
        over_capacity: row.over_capacity,
        reentry: row.reentry,
        registration: row.registration.clone(),
    }
}

/// An exit as the wire's [`wire::Exit`].
pub fn exit_of(row: &ExitRow) -> wire::Exit {
    wire::Exit {
        id: row.id.clone(),
        pass_id: row.pass_id.to_hex(),
        at: row.at,
        device_id: row.device_id.clone(),
        entrance: row.entrance.clone(),
        closes: row.closes.clone(),
        kind: row.kind,
    }
}

/// A void as the wire carries it.
pub fn void_of(row: &VoidRow) -> wire::Void {
    wire::Void {
        id: row.id.clone(),
        signin: row.signin.clone(),
        device_id: row.device_id.clone(),
        voided_at: row.voided_at,
    }
}

/// A tally as the wire carries it.
pub fn tally_of(row: &TallyRow) -> wire::Tally {
    wire::Tally {
        id: row.id.clone(),
        device_id: row.device_id.clone(),
        entrance: row.entrance.clone(),
        at: row.at,
        delta: row.delta,
    }
}
