//! Place leases: how the venue's capacity is shared between kiosks so that it holds online
//! and, within a lease's life, offline too (DESIGN §8, argued in ARCHITECTURE.md).
//!
//! Each kiosk holds a [`PlaceLease`]: a number of places its *own* open stays may fill. A kiosk
//! admits a party only while its own inside-now count plus the party fits in its lease, which
//! it checks from its own ledger alone: no network, so a kiosk cut off admits only what it
//! holds. The server hands leases out ([`grant`]) so that, per pool (the venue, and each
//! entrance with a capacity), the places every kiosk may be using add up to at most the
//! pool's capacity. A kiosk may be using a lease the server has since shrunk (the answer that
//! shrank it may never have arrived), so the server counts each kiosk at the largest of what
//! it granted, what the kiosk last said it held and what it said was inside ([`Reserved`]);
//! places a lease gives back become free for others only once the kiosk has said it holds
//! the smaller lease. The spare places of a pool are shared out by demand (heads admitted
//! plus refusals since the kiosk's last fetch, plus one), largest remainder first, and
//! re-balanced at every fetch. No I/O here: the server stores the [`Reserved`] rows and the
//! kiosk stores its lease.

use crate::stay::Entrance;

/// How long a lease is good for without the kiosk fetching again, by default (seconds).
pub const DEFAULT_LEASE_SECONDS: i64 = 4 * 3600;

/// The places a kiosk may fill with its own open stays, until `expires_at` (server time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceLease {
    /// Heads this kiosk's own open stays may reach.
    pub places: u32,
    /// Unix seconds; after it the lease is not in force and the kiosk falls back to counting
    /// (the last venue counts it fetched plus its own changes), where overshoot is possible.
    pub expires_at: i64,
}

impl PlaceLease {
    /// Whether the lease still binds at `now`.
    pub fn in_force(&self, now: i64) -> bool {
        now < self.expires_at
    }

    /// Whether `heads` more people fit in the lease with `own_inside` already in through this
    /// kiosk. A lease no longer in force admits by the counts alone (`true`).
    pub fn admits(&self, own_inside: u32, heads: u32, now: i64) -> bool {
        !self.in_force(now) || u64::from(own_inside) + u64::from(heads) <= u64::from(self.places)
    }
}

/// A lease as the door reads it from the ledger: the lease and this kiosk's own inside-now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldLease {
    /// The lease.
    pub lease: PlaceLease,
    /// Heads of this kiosk's own open stays (not those fetched from other kiosks).
    pub own_inside: u32,
}

/// What a kiosk says when it fetches presence: the lease it is obeying and how many of its
/// own are inside, and its demand since its last fetch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KioskReport {
    /// The places of the lease it holds now (0: none).
    pub held: u32,
    /// Its own open heads.
    pub inside: u32,
    /// Heads admitted plus `qr_full` refusals since its last fetch: its demand.
    pub demand: u32,
}

/// One kiosk as the server counts it against the pools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reserved {
    /// Its entrance.
    pub entrance: Entrance,
    /// The last lease granted to it.
    pub granted: u32,
    /// What it last reported.
    pub report: KioskReport,
    /// Whether its lease is still in force (a kiosk silent past its lease counts only with
    /// the heads the server knows are inside through it, `known_inside`).
    pub live: bool,
    /// Its open heads as the server's sign-ins say.
    pub known_inside: u32,
}

impl Reserved {
    /// The places this kiosk may be using: the largest of its grant, its held lease and its
    /// own inside-now (for a silent kiosk past its lease: what is known inside).
    pub fn places(&self) -> u32 {
        if self.live {
            self.granted
                .max(self.report.held)
                .max(self.report.inside)
                .max(self.known_inside)
        } else {
            self.report.inside.max(self.known_inside)
        }
    }

    /// Inside through this kiosk, as far as anyone knows.
    fn inside(&self) -> u32 {
        self.report.inside.max(self.known_inside)
    }
}

/// The venue's capacities as the server has them (`--capacity`, `--entrance NAME=CAP`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pools {
    /// The whole venue.
    pub venue: Option<u32>,
    /// Entrances with a capacity of their own.
    pub entrances: std::collections::BTreeMap<Entrance, u32>,
}

/// The lease for kiosk `me` (at `entrance`, reporting `report`, with `known_inside` of its
/// heads inside by the server's sign-ins) against the other kiosks `others`, `None` when no
/// pool it belongs to has a capacity. The spare places of each pool are apportioned to its
/// live kiosks by demand (largest remainder), and `me` gets its share as far as the places
/// the others may be using leave free; the tightest pool wins.
pub fn grant(
    pools: &Pools,
    entrance: &Entrance,
    report: KioskReport,
    known_inside: u32,
    others: &[Reserved],
) -> Option<u32> {
    let inside = report.inside.max(known_inside);
    let mut places: Option<u32> = None;
    let pool_caps = [
        (pools.venue, None),
        (pools.entrances.get(entrance).copied(), Some(entrance)),
    ];
    for (capacity, only) in pool_caps {
        let Some(capacity) = capacity else { continue };
        let members: Vec<&Reserved> = others
            .iter()
            .filter(|r| only.is_none_or(|e| r.entrance == *e))
            .collect();
        let taken: u64 = members.iter().map(|r| u64::from(r.places())).sum();
        let free = u64::from(capacity).saturating_sub(taken + u64::from(inside));
        let all_inside: u64 =
            members.iter().map(|r| u64::from(r.inside())).sum::<u64>() + u64::from(inside);
        let spare = u64::from(capacity).saturating_sub(all_inside);
        let mut weights: Vec<u64> = members
            .iter()
            .filter(|r| r.live)
            .map(|r| u64::from(r.report.demand) + 1)
            .collect();
        weights.insert(0, u64::from(report.demand) + 1);
        let share = apportion(spare, &weights)[0];
        let extra = u32::try_from(free.min(share)).unwrap_or(u32::MAX);
        let here = inside.saturating_add(extra);
        places = Some(places.map_or(here, |p| p.min(here)));
    }
    places
}

/// Splits `total` into whole parts proportional to `weights` (largest remainder; ties to the
/// earlier weight), summing to `total` when any weight is positive.
pub fn apportion(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<u64> = weights
        .iter()
        .map(|w| (u128::from(total) * u128::from(*w) / u128::from(sum)) as u64)
        .collect();
    let given: u64 = parts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    let rem = |i: usize| (u128::from(total) * u128::from(weights[i])) % u128::from(sum);
    order.sort_by(|a, b| rem(*b).cmp(&rem(*a)).then(a.cmp(b)));
    for i in order.into_iter().take((total - given) as usize) {
        parts[i] += 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn main() -> Entrance {
        Entrance::main()
    }

    fn venue(c: u32) -> Pools {
        Pools {
            venue: Some(c),
            ..Pools::default()
        }
    }

    fn kiosk(entrance: &str, granted: u32, held: u32, inside: u32, demand: u32) -> Reserved {
        Reserved {
            entrance: entrance.parse().expect("entrance"),
            granted,
            report: KioskReport {
                held,
                inside,
                demand,
            },
            live: true,
            known_inside: 0,
        }
    }

    #[test]
    fn apportion_gives_every_place_by_weight_largest_remainder_first() {
        assert_eq!(apportion(100, &[1, 1]), vec![50, 50]);
        assert_eq!(apportion(3, &[1, 1]), vec![2, 1]);
        assert_eq!(apportion(3, &[1, 9]), vec![0, 3]);
        assert_eq!(apportion(10, &[0, 0]), vec![0, 0]);
        assert_eq!(apportion(7, &[2, 3, 5]).iter().sum::<u64>(), 7);
    }

    #[test]
    fn two_idle_kiosks_share_the_venue_half_and_half() {
        let first = grant(&venue(100), &main(), KioskReport::default(), 0, &[]);
        assert_eq!(first, Some(100), "alone, a kiosk may take every place");
        let a = kiosk("main", 50, 50, 0, 0);
        let b = grant(&venue(100), &main(), KioskReport::default(), 0, &[a]);
        assert_eq!(b, Some(50));
        assert_eq!(
            grant(&Pools::default(), &main(), KioskReport::default(), 0, &[]),
            None
        );
    }

    #[test]
    fn places_another_kiosk_may_use_are_never_granted_twice() {
        // A was granted 100 while alone; B arrives: nothing is free until A gives back.
        let a = kiosk("main", 100, 100, 10, 0);
        assert_eq!(
            grant(
                &venue(100),
                &main(),
                KioskReport::default(),
                0,
                std::slice::from_ref(&a)
            ),
            Some(0)
        );
        // A shrank to 55 but has not said so yet: still counted at 100.
        let a_shrunk = Reserved { granted: 55, ..a };
        assert_eq!(a_shrunk.places(), 100);
        let a_acked = Reserved {
            report: KioskReport {
                held: 55,
                inside: 10,
                demand: 0,
            },
            ..a_shrunk
        };
        assert_eq!(
            grant(&venue(100), &main(), KioskReport::default(), 0, &[a_acked]),
            Some(45)
        );
    }

    #[test]
    fn the_spare_places_follow_demand() {
        // B is full at 50 and busy; A has 30 in and nobody arriving: A gives its spare away.
        let b = kiosk("main", 50, 50, 50, 20);
        let a = grant(
            &venue(100),
            &main(),
            KioskReport {
                held: 50,
                inside: 30,
                demand: 0,
            },
            0,
            &[b],
        );
        // 20 spare places by demand 1 : 21 is 0.9 : 19.1; A keeps 1 (the larger remainder).
        assert_eq!(a, Some(31));
        // With one place left the busy kiosk's remainder is the larger one.
        assert_eq!(apportion(1, &[1, 21]), vec![0, 1]);
    }

    #[test]
    fn the_sum_of_places_never_exceeds_a_pool_whatever_the_order_of_fetches() {
        // Three kiosks at two entrances fetch in turn with shifting demand; after every grant
        // the places they may use add up to at most each pool's capacity.
        let pools = Pools {
            venue: Some(100),
            entrances: [("brothers".parse().expect("e"), 60)].into_iter().collect(),
        };
        let mut ks = [
            kiosk("brothers", 0, 0, 0, 0),
            kiosk("brothers", 0, 0, 0, 0),
            kiosk("sisters", 0, 0, 0, 0),
        ];
        for round in 0..60u32 {
            let i = (round as usize * 7) % 3;
            // The kiosk filled its lease partly since, and now acknowledges it.
            let k = &ks[i];
            let inside = (k.granted * (round % 4)) / 3;
            let report = KioskReport {
                held: k.granted,
                inside: inside.min(k.granted).max(k.report.inside.min(k.granted)),
                demand: (round * 13) % 17,
            };
            let others: Vec<Reserved> = ks
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, r)| r.clone())
                .collect();
            let g = grant(&pools, &ks[i].entrance, report, 0, &others).expect("limited");
            assert!(g >= report.inside, "a lease never takes away who is in");
            ks[i].granted = g;
            ks[i].report = report;
            let total: u32 = ks.iter().map(Reserved::places).sum();
            let brothers: u32 = ks
                .iter()
                .filter(|k| k.entrance.as_str() == "brothers")
                .map(Reserved::places)
                .sum();
            assert!(
                total <= 100,
                "round {round}: {total} places out for a venue of 100"
            );
            assert!(
                brothers <= 60,
                "round {round}: {brothers} for an entrance of 60"
            );
        }
    }

    #[test]
    fn a_lease_binds_until_it_expires_then_counting_takes_over() {
        let lease = PlaceLease {
            places: 10,
            expires_at: 1000,
        };
        assert!(lease.admits(7, 3, 999));
        assert!(!lease.admits(8, 3, 999));
        assert!(lease.admits(8, 3, 1000), "expired: the counts decide");
        let silent = Reserved {
            live: false,
            known_inside: 4,
            ..kiosk("main", 50, 50, 3, 9)
        };
        assert_eq!(
            silent.places(),
            4,
            "a kiosk silent past its lease keeps only who is in"
        );
    }
}
