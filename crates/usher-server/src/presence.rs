//! The venue's door settings (its entrances with their capacities, the venue's capacity, the
//! stay window, the lease's life) and `GET /api/v1/presence`: per entrance who is inside and
//! the capacity, the open stays of the other kiosks, this kiosk's stays closed elsewhere, and
//! this kiosk's place lease (`usher_core::lease`, ARCHITECTURE.md "Capacity across kiosks").

use crate::api::DeviceAuth;
use crate::http::ApiError;
use crate::state::AppState;
use crate::store::{InsideRow, LeaseRow};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use std::collections::BTreeMap;
use usher_core::Entrance;
use usher_core::lease::{self, KioskReport, Pools, Reserved};
use usher_core::stay::ExitKind;
use usher_core::wire::{self, PRESENCE_STAYS_LIMIT};

/// The door's settings on the server, in one place (flags of `usher-server serve` today).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorSettings {
    /// The venue's entrances, each with its capacity if it has one (`--entrance NAME[=CAP]`).
    pub entrances: BTreeMap<Entrance, Option<u32>>,
    /// The whole venue's capacity (`--capacity N`).
    pub capacity: Option<u32>,
    /// Only sign-ins this recent can still be inside (`--max-stay-minutes`, default 12 hours).
    pub max_stay_minutes: i64,
    /// How long a place lease lasts without the kiosk fetching again (`--lease-minutes`).
    pub lease_minutes: i64,
}

impl Default for DoorSettings {
    fn default() -> Self {
        DoorSettings {
            entrances: BTreeMap::new(),
            capacity: None,
            max_stay_minutes: 12 * 60,
            lease_minutes: lease::DEFAULT_LEASE_SECONDS / 60,
        }
    }
}

impl DoorSettings {
    /// The capacities the leases share out.
    pub fn pools(&self) -> Pools {
        Pools {
            venue: self.capacity,
            entrances: self
                .entrances
                .iter()
                .filter_map(|(e, c)| Some((e.clone(), (*c)?)))
                .collect(),
        }
    }

    /// Settings from `--entrance NAME[=CAP]` values (each name once) and `--capacity`.
    pub fn from_flags(
        entrances: &[(Entrance, Option<u32>)],
        capacity: Option<u32>,
    ) -> Result<Self, String> {
        let mut out = DoorSettings {
            capacity,
            ..DoorSettings::default()
        };
        for (e, c) in entrances {
            if out.entrances.insert(e.clone(), *c).is_some() {
                return Err(format!("--entrance {e} is given twice"));
            }
        }
        Ok(out)
    }
}

/// Parses an `--entrance` value: `NAME` or `NAME=CAPACITY`.
pub fn parse_entrance_flag(s: &str) -> Result<(Entrance, Option<u32>), String> {
    let (name, cap) = match s.split_once('=') {
        Some((n, c)) => (n, Some(c)),
        None => (s, None),
    };
    let entrance = name
        .parse::<Entrance>()
        .map_err(|e| format!("the entrance name: {e}"))?;
    let cap = cap
        .map(|c| {
            c.trim()
                .parse::<u32>()
                .map_err(|_| "the capacity after = must be a whole number".to_owned())
        })
        .transpose()?;
    Ok((entrance, cap))
}

/// The query of `GET /api/v1/presence` as it arrives (each field checked by name).
#[derive(Debug, Deserialize)]
pub struct PresenceParams {
    entrance: Option<String>,
    held: Option<String>,
    inside: Option<String>,
    demand: Option<String>,
}

fn count_param(value: Option<&str>, name: &str) -> Result<u32, ApiError> {
    match value {
        None | Some("") => Ok(0),
        Some(v) => v.parse::<u32>().map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("{name} must be a whole number from 0 to {}", u32::MAX),
            )
        }),
    }
}

fn clamp(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// `GET /api/v1/presence?entrance=NAME&held=N&inside=N&demand=N`.
pub async fn presence(
    State(state): State<AppState>,
    device: DeviceAuth,
    query: Result<Query<PresenceParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<wire::Presence>, ApiError> {
    let Query(q) = query.map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad query string"))?;
    let entrance = match q.entrance.as_deref() {
        None | Some("") => Entrance::main(),
        Some(e) => e.parse::<Entrance>().map_err(|_| {
            ApiError::new(StatusCode::BAD_REQUEST, "entrance must be an entrance name")
        })?,
    };
    let report = KioskReport {
        held: count_param(q.held.as_deref(), "held")?,
        inside: count_param(q.inside.as_deref(), "inside")?,
        demand: count_param(q.demand.as_deref(), "demand")?,
    };
    let now = state.now();
    let door = &state.config.door;
    let since = now.saturating_sub(door.max_stay_minutes.saturating_mul(60));
    let inside = state.store.inside_by_kiosk(since).await?;
    let limit = i64::try_from(PRESENCE_STAYS_LIMIT).unwrap_or(i64::MAX);
    let mut others = state
        .store
        .open_stays_of_others(since, device.device_ref, limit + 1)
        .await?;
    let others_truncated = others.len() > PRESENCE_STAYS_LIMIT;
    others.truncate(PRESENCE_STAYS_LIMIT);
    let closed = state
        .store
        .closed_stays_of(since, device.device_ref, limit)
        .await?;
    let lease = place_lease(&state, &device, &entrance, report, &inside, now).await?;
    let tallied = state
        .store
        .tallied_by_others(since, device.device_ref)
        .await?;

    let mut entrances: BTreeMap<String, wire::EntrancePresence> = door
        .entrances
        .iter()
        .map(|(e, cap)| {
            let name = e.to_string();
            let row = wire::EntrancePresence {
                entrance: name.clone(),
                capacity: *cap,
                ..wire::EntrancePresence::default()
            };
            (name, row)
        })
        .collect();
    let mut venue = wire::VenuePresence {
        inside: 0,
        capacity: door.capacity,
    };
    for row in &inside {
        let heads = clamp(row.heads);
        let e = entrances
            .entry(row.entrance.clone())
            .or_insert_with(|| wire::EntrancePresence {
                entrance: row.entrance.clone(),
                ..wire::EntrancePresence::default()
            });
        e.inside = e.inside.saturating_add(heads);
        if row.device_ref != device.device_ref {
            e.others = e.others.saturating_add(heads);
        }
        venue.inside = venue.inside.saturating_add(heads);
    }
    // People other kiosks counted by hand: shown beside the counts, never in them (nor in the
    // lease, which counts records).
    for (name, n) in tallied {
        let e = entrances
            .entry(name.clone())
            .or_insert_with(|| wire::EntrancePresence {
                entrance: name,
                ..wire::EntrancePresence::default()
            });
        e.tallied_others = clamp(n);
    }
    Ok(Json(wire::Presence {
        server_time: now,
        entrances: entrances.into_values().collect(),
        venue,
        others: others
            .into_iter()
            .map(|s| wire::RemoteStay {
                entry_id: s.sid,
                pass_id: hex::encode(s.pass_id),
                entrance: s.entrance,
                since: s.scanned_at,
                heads: clamp(s.heads),
                device_id: s.device_id,
            })
            .collect(),
        others_truncated,
        closed_elsewhere: closed
            .into_iter()
            .filter_map(|c| {
                let kind = match c.exit_kind.as_str() {
                    "scan" => ExitKind::Scan,
                    "auto" => ExitKind::Auto,
                    _ => return None,
                };
                Some(wire::ClosedStay {
                    entry_id: c.sid,
                    at: c.exited_at,
                    kind,
                })
            })
            .collect(),
        lease,
    }))
}

/// This kiosk's new lease, granted by `usher_core::lease::grant` against every other live
/// kiosk's row in one store transaction; `None` when no capacity applies to it.
async fn place_lease(
    state: &AppState,
    device: &DeviceAuth,
    entrance: &Entrance,
    report: KioskReport,
    inside: &[InsideRow],
    now: i64,
) -> Result<Option<wire::Lease>, ApiError> {
    let pools = state.config.door.pools();
    if pools.venue.is_none() && !pools.entrances.contains_key(entrance) {
        return Ok(None);
    }
    let mut known: BTreeMap<i64, u32> = BTreeMap::new();
    for row in inside {
        let n = known.entry(row.device_ref).or_default();
        *n = n.saturating_add(clamp(row.heads));
    }
    let known_of = |d: i64| known.get(&d).copied().unwrap_or(0);
    let expires_at = now.saturating_add(state.config.door.lease_minutes.saturating_mul(60));
    let me = device.device_ref;
    let row = state
        .store
        .lease_round(now, |rows: &[LeaseRow]| {
            let others: Vec<Reserved> = rows
                .iter()
                .filter(|r| r.device_ref != me)
                .filter_map(|r| {
                    Some(Reserved {
                        entrance: r.entrance.parse().ok()?,
                        granted: clamp(r.granted),
                        report: KioskReport {
                            held: clamp(r.held),
                            inside: clamp(r.inside),
                            demand: clamp(r.demand),
                        },
                        live: r.expires_at > now,
                        known_inside: known_of(r.device_ref),
                    })
                })
                .collect();
            let granted = lease::grant(&pools, entrance, report, known_of(me), &others)?;
            Some(LeaseRow {
                device_ref: me,
                entrance: entrance.to_string(),
                granted: i64::from(granted),
                held: i64::from(report.held),
                inside: i64::from(report.inside),
                demand: i64::from(report.demand),
                expires_at,
            })
        })
        .await?;
    Ok(row.map(|r| wire::Lease {
        places: clamp(r.granted),
        expires_at: r.expires_at,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entrance_flags_name_and_capacity() {
        let (e, c) = parse_entrance_flag("brothers=120").expect("flag");
        assert_eq!((e.as_str(), c), ("brothers", Some(120)));
        assert_eq!(parse_entrance_flag("balcony").expect("flag").1, None);
        assert!(parse_entrance_flag("x=lots").is_err());
        assert!(parse_entrance_flag("=5").is_err());
        let twice = [(Entrance::main(), None), (Entrance::main(), Some(3))];
        assert!(DoorSettings::from_flags(&twice, None).is_err());
        let s = DoorSettings::from_flags(&[(Entrance::main(), Some(3))], Some(10)).expect("ok");
        assert_eq!(s.pools().venue, Some(10));
        assert_eq!(s.pools().entrances.get(&Entrance::main()), Some(&3));
    }
}
