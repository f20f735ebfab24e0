//! The door of DESIGN §8 through the public API: stays, modes, reuse on coming back, capacity,
//! overrides, party sizes, event passes and the automatic sign-out, on a `MemoryLedger`.

use usher_core::capacity::Scope;
use usher_core::issue::pass_text;
use usher_core::ledger::ExitRecord;
use usher_core::stay::{AutoReason, ExitKind};
use usher_core::{
    Capacity, ClockTime, DoorLedger, DoorMode, DoorRules, DoorScan, DoorVerdict, Entrance, Level,
    MemoryLedger, Now, PartySize, ReusePolicy, Rules, Secret, SignOutRules, Signer, Verdict,
    VerdictKind, judge, judge_at_door, sign_out_due,
};

const PASSWORD: &str = "a door password of some length";
/// 2027-01-15 08:00 UTC (1_800_000_000).
const T: i64 = 1_799_999_999 - 1_799_999_999 % 86_400 + 8 * 3600;

fn rules(reuse: ReusePolicy) -> Rules {
    usher_testkit::password_rules(PASSWORD, reuse)
}

fn pass(payload: &str) -> String {
    pass_text(
        "https://venue.example/p",
        payload,
        &Signer::HmacSha256(Secret::from(PASSWORD)),
    )
}

/// A pass for `name` admitting `p` people.
fn family(name: &str, p: u8) -> String {
    pass(&format!(
        r#"{{"s1":"{name}","p":{p},"expiry":1900000000,"n":"{name}"}}"#
    ))
}

fn entrance(name: &str) -> Entrance {
    name.parse().expect("entrance")
}

fn door(mode: DoorMode) -> DoorRules {
    DoorRules {
        mode,
        ..DoorRules::default()
    }
}

struct Door {
    rules: Rules,
    door: DoorRules,
    ledger: MemoryLedger,
}

impl Door {
    fn new(reuse: ReusePolicy, door: DoorRules) -> Self {
        Door {
            rules: rules(reuse),
            door,
            ledger: MemoryLedger::new(),
        }
    }

    fn scan_with(&mut self, text: &str, scan: DoorScan, at: i64) -> DoorVerdict {
        judge_at_door(
            text,
            &self.rules,
            &self.door,
            &scan,
            Now::utc(at),
            &mut self.ledger,
        )
        .expect("memory ledger")
    }

    fn scan(&mut self, text: &str, at: i64) -> DoorVerdict {
        self.scan_with(text, DoorScan::default(), at)
    }

    fn kind(&mut self, text: &str, at: i64) -> VerdictKind {
        self.scan(text, at).verdict.kind()
    }

    fn inside(&mut self) -> (u32, u32) {
        let inside = self.ledger.inside_now().expect("memory ledger");
        (inside.at(&self.door.entrance), inside.total())
    }
}

#[test]
fn an_entry_opens_a_stay_with_the_party_and_an_exit_closes_it() {
    let mut d = Door::new(ReusePolicy::Once, door(DoorMode::InOut));
    let ada = family("Ada", 3);
    let entry = d.scan(&ada, T);
    assert_eq!(entry.verdict.kind(), VerdictKind::Accepted, "{entry:?}");
    let entered = entry.entered.expect("entered");
    assert_eq!((entered.heads.get(), entered.new_use), (3, true));
    assert_eq!(d.inside(), (3, 3));

    let exit = d.scan(&ada, T + 3600);
    let Verdict::Goodbye {
        closed: Some(stay), ..
    } = &exit.verdict
    else {
        panic!("expected qr_goodbye closing the stay: {exit:?}");
    };
    assert_eq!((stay.entry.clone(), stay.since), (entered.entry, T));
    assert_eq!(d.inside(), (0, 0));
    assert_eq!(d.ledger.stays()[0].exit, Some((T + 3600, ExitKind::Scan)));
    assert_eq!(exit.verdict.reason(), format!("left, in since {T} at main"));
}

#[test]
fn in_out_turns_a_second_scan_into_an_exit_only_after_the_minimum_stay() {
    let mut d = Door::new(ReusePolicy::Always, door(DoorMode::InOut));
    let ada = family("Ada", 1);
    assert_eq!(d.kind(&ada, T), VerdictKind::Accepted);
    // Held to the camera again 30 s later: not a second entry, not an exit.
    let again = d.scan(&ada, T + 30);
    match &again.verdict {
        Verdict::Used { first, .. } => {
            assert_eq!((first.at, first.device_id.as_str()), (T, "door-1"))
        }
        other => panic!("expected qr_used, got {other:?}"),
    }
    assert_eq!((d.ledger.stays().len(), d.ledger.exits().len()), (1, 0));
    assert_eq!(d.inside(), (1, 1));
    // At the minimum stay (60 s by default) it is the exit.
    assert_eq!(d.kind(&ada, T + 60), VerdictKind::Goodbye);
    assert_eq!(d.inside(), (0, 0));

    let mut slow = Door::new(
        ReusePolicy::Always,
        DoorRules {
            min_stay_seconds: 600,
            ..door(DoorMode::InOut)
        },
    );
    assert_eq!(slow.kind(&ada, T), VerdictKind::Accepted);
    assert_eq!(slow.kind(&ada, T + 599), VerdictKind::Used);
    assert_eq!(slow.kind(&ada, T + 600), VerdictKind::Goodbye);
}

#[test]
fn a_once_pass_can_leave_but_not_come_back() {
    let ada = family("Ada", 2);
    let mut d = Door::new(ReusePolicy::Once, door(DoorMode::InOut));
    assert_eq!(d.kind(&ada, T), VerdictKind::Accepted);
    assert_eq!(d.kind(&ada, T + 120), VerdictKind::Goodbye);
    let back = d.scan(&ada, T + 240);
    assert_eq!(back.verdict.kind(), VerdictKind::Used, "{back:?}");
    assert_eq!(d.inside(), (0, 0));

    // At an `out` kiosk too, whatever the ledger says about uses.
    d.door.mode = DoorMode::Out;
    assert_eq!(d.kind(&ada, T + 300), VerdictKind::Goodbye);
}

#[test]
fn an_exit_with_no_open_stay_is_recorded_and_marked() {
    let mut d = Door::new(ReusePolicy::Once, door(DoorMode::Out));
    let ada = family("Ada", 1);
    let exit = d.scan(&ada, T);
    assert!(
        matches!(exit.verdict, Verdict::Goodbye { closed: None, .. }),
        "{exit:?}"
    );
    assert_eq!(exit.verdict.reason(), "left with no open stay");
    let [ExitRecord { closes, kind, .. }] = d.ledger.exits() else {
        panic!("one exit expected: {:?}", d.ledger.exits());
    };
    assert_eq!((closes, *kind), (&None, ExitKind::Scan));
    assert!(d.ledger.stays().is_empty());
    assert_eq!(d.inside(), (0, 0));
}

#[test]
fn a_stay_opened_at_one_entrance_closes_at_another() {
    let ada = family("Ada", 2);
    let mut ledger = MemoryLedger::new();
    let rules = rules(ReusePolicy::Daily);
    let at = |name: &str, mode| DoorRules {
        entrance: entrance(name),
        ..door(mode)
    };
    let scan = |door: &DoorRules, when, ledger: &mut MemoryLedger| {
        judge_at_door(
            &ada,
            &rules,
            door,
            &DoorScan::default(),
            Now::utc(when),
            ledger,
        )
        .expect("memory")
    };
    let entry = scan(&at("brothers", DoorMode::In), T, &mut ledger);
    assert_eq!(entry.verdict.kind(), VerdictKind::Accepted);
    let exit = scan(&at("sisters", DoorMode::InOut), T + 900, &mut ledger);
    match &exit.verdict {
        Verdict::Goodbye {
            closed: Some(stay), ..
        } => assert_eq!(stay.entrance, entrance("brothers")),
        other => panic!("expected the brothers' stay closed: {other:?}"),
    }
    assert_eq!(ledger.exits()[0].entrance, entrance("sisters"));
    assert_eq!(ledger.inside_now().expect("memory").total(), 0);
}

#[test]
fn coming_back_after_an_exit_the_same_day_is_no_new_use_under_daily_and_interval() {
    for reuse in [ReusePolicy::Daily, ReusePolicy::Interval(240)] {
        let ada = family("Ada", 1);
        let mut d = Door::new(reuse, door(DoorMode::InOut));
        assert_eq!(d.kind(&ada, T), VerdictKind::Accepted, "{reuse}");
        assert_eq!(d.kind(&ada, T + 600), VerdictKind::Goodbye, "{reuse}");
        let back = d.scan(&ada, T + 1200);
        assert_eq!(
            back.verdict.kind(),
            VerdictKind::Accepted,
            "{reuse}: {back:?}"
        );
        assert!(!back.entered.expect("entered").new_use, "{reuse}");
        let id = usher_core::PassId::of(br#"{"s1":"Ada","p":1,"expiry":1900000000,"n":"Ada"}"#);
        assert_eq!(d.ledger.uses_of(&id), 1, "{reuse}: one use, two stays");
        assert_eq!(d.ledger.stays().len(), 2, "{reuse}");
        assert_eq!(d.inside(), (1, 1), "{reuse}");
    }
    // Without an exit, the same pass at an `in` kiosk is still `qr_used` under daily.
    let ada = family("Ada", 1);
    let mut d = Door::new(ReusePolicy::Daily, door(DoorMode::In));
    assert_eq!(d.kind(&ada, T), VerdictKind::Accepted);
    assert_eq!(d.kind(&ada, T + 1200), VerdictKind::Used);
    // The next day is a new use, and yesterday's stay is closed by the new entry.
    let next_day = d.scan(&ada, T + 86_400);
    assert_eq!(
        next_day.verdict.kind(),
        VerdictKind::Accepted,
        "{next_day:?}"
    );
    assert!(next_day.entered.expect("entered").new_use);
    let auto = next_day.auto_exit.expect("yesterday's stay closed");
    assert_eq!((auto.at, auto.reason), (T + 86_400, AutoReason::Superseded));
    assert_eq!(d.inside(), (1, 1));
}

#[test]
fn an_exit_on_an_earlier_day_does_not_make_coming_back_free_under_interval() {
    // Under interval:3 days, in at 10:00 and out at 11:00 local (UTC+2), back two days later.
    let ada = family("Ada", 1);
    let mut d = Door::new(ReusePolicy::Interval(24 * 60 * 3), door(DoorMode::InOut));
    let now = |unix| Now {
        unix,
        utc_offset: 7200,
    };
    let scan = |d: &mut Door, at| {
        judge_at_door(
            &ada,
            &d.rules,
            &d.door,
            &DoorScan::default(),
            now(at),
            &mut d.ledger,
        )
        .expect("memory")
    };
    assert_eq!(scan(&mut d, T).verdict.kind(), VerdictKind::Accepted);
    assert_eq!(scan(&mut d, T + 3600).verdict.kind(), VerdictKind::Goodbye);
    // Two days later the three-day interval still counts the first use, and the exit was not
    // today: qr_used.
    assert_eq!(
        scan(&mut d, T + 2 * 86_400).verdict.kind(),
        VerdictKind::Used
    );
}

#[test]
fn event_passes_are_single_use_per_event_whatever_the_policy() {
    let eid = pass(r#"{"s1":"Ada","ev":"eid-2027","expiry":1900000000,"n":"e1"}"#);
    // Without the door: `always` does not let it in twice.
    let rules_always = rules(ReusePolicy::Always);
    let mut ledger = MemoryLedger::new();
    let first = judge(&eid, &rules_always, Now::utc(T), &mut ledger).expect("memory");
    assert_eq!(first.kind(), VerdictKind::Accepted);
    let second = judge(&eid, &rules_always, Now::utc(T + 5), &mut ledger).expect("memory");
    assert_eq!(second.kind(), VerdictKind::Used);
    // A pass without `ev` under `always` still goes in every time.
    let plain = family("Bo", 1);
    for at in [T, T + 5] {
        let v = judge(&plain, &rules_always, Now::utc(at), &mut ledger).expect("memory");
        assert_eq!(v.kind(), VerdictKind::Accepted);
    }
    // At the door: out and back in is `qr_used` for an event pass, under every policy.
    for reuse in [
        ReusePolicy::Always,
        ReusePolicy::Daily,
        ReusePolicy::Interval(60),
    ] {
        let mut d = Door::new(reuse, door(DoorMode::InOut));
        assert_eq!(d.kind(&eid, T), VerdictKind::Accepted, "{reuse}");
        assert_eq!(d.kind(&eid, T + 120), VerdictKind::Goodbye, "{reuse}");
        assert_eq!(d.kind(&eid, T + 240), VerdictKind::Used, "{reuse}");
    }
}

#[test]
fn an_event_pass_is_too_early_before_nb_and_expired_wins_over_too_early() {
    let eid = pass(&format!(
        r#"{{"s1":"Ada","ev":"eid","nb":{},"expiry":{},"n":"x"}}"#,
        T + 3600,
        T + 7200
    ));
    let mut d = Door::new(ReusePolicy::Once, door(DoorMode::In));
    let early = d.scan(&eid, T + 3599);
    assert_eq!(early.verdict.kind(), VerdictKind::TooEarly, "{early:?}");
    assert_eq!(
        early.verdict.reason(),
        format!("not valid before {}", T + 3600)
    );
    assert!(d.ledger.stays().is_empty());
    assert_eq!(d.ledger.rejections[0].0, "qr_too_early");
    // Not at the door either.
    let plain = judge(&eid, &d.rules, Now::utc(T), &mut MemoryLedger::new()).expect("memory");
    assert_eq!(plain.kind(), VerdictKind::TooEarly);
    assert_eq!(d.kind(&eid, T + 3600), VerdictKind::Accepted);

    // A pass whose window never opens before it expires: expiry is checked first.
    let odd = pass(&format!(
        r#"{{"ev":"eid","nb":{},"expiry":{},"n":"y"}}"#,
        T + 10,
        T - 10
    ));
    assert_eq!(d.kind(&odd, T), VerdictKind::Expired);
    // A bad `nb` is qr_invalid, like a bad expiry.
    let bad = pass(r#"{"ev":"eid","nb":"soon","expiry":1900000000}"#);
    assert_eq!(d.kind(&bad, T), VerdictKind::Invalid);
}

#[test]
fn party_sizes_outside_1_to_20_or_not_integers_are_invalid() {
    let with_p = |p: &str| pass(&format!(r#"{{"s1":"Ada","p":{p},"expiry":1900000000}}"#));
    let verdict = |text: &str| {
        judge(
            text,
            &rules(ReusePolicy::Always),
            Now::utc(T),
            &mut MemoryLedger::new(),
        )
        .expect("memory")
    };
    for p in ["0", "21", "\"3\"", "3.0", "-1", "true"] {
        assert_eq!(verdict(&with_p(p)).kind(), VerdictKind::Invalid, "p = {p}");
    }
    for (p, want) in [("1", 1), ("20", 20), ("3", 3)] {
        let v = verdict(&with_p(p));
        assert_eq!(
            v.pass().map(|pass| pass.payload.party.get()),
            Some(want),
            "{p}"
        );
    }
    let no_p = verdict(&pass(r#"{"s1":"Ada","expiry":1900000000}"#));
    assert_eq!(no_p.pass().map(|p| p.payload.party), Some(PartySize::ONE));
}

#[test]
fn the_head_count_defaults_to_p_is_capped_at_p_and_the_prompt_can_lower_it() {
    let mut d = Door::new(ReusePolicy::Always, door(DoorMode::In));
    let ada = family("Ada", 4);
    let two = DoorScan {
        heads: PartySize::new(2),
        ..DoorScan::default()
    };
    assert_eq!(
        d.scan_with(&ada, two, T).entered.map(|e| e.heads.get()),
        Some(2)
    );
    let nine = DoorScan {
        heads: PartySize::new(9),
        ..DoorScan::default()
    };
    let capped = d.scan_with(&ada, nine, T + 1).entered.expect("entered");
    assert_eq!(capped.heads.get(), 4);
    // The party prompt answers 3 after the entry was recorded with the default.
    assert!(
        d.ledger
            .set_heads(&capped.entry, PartySize::new(3).expect("3"))
            .expect("memory")
    );
    // The first stay was closed by the second entry (the same pass at an `in` kiosk).
    assert_eq!(d.inside(), (3, 3));
    let closed = d.ledger.stays()[0].stay.entry.clone();
    assert!(!d.ledger.set_heads(&closed, PartySize::ONE).expect("memory"));
}

fn capacity_door(name: &str) -> DoorRules {
    DoorRules {
        entrance: entrance(name),
        capacity: Capacity {
            venue: Some(10),
            entrances: [(entrance("brothers"), 6), (entrance("sisters"), 6)]
                .into_iter()
                .collect(),
        },
        ..door(DoorMode::InOut)
    }
}

#[test]
fn capacity_holds_per_entrance_and_for_the_venue_with_a_warning_level() {
    let rules = rules(ReusePolicy::Once);
    let mut ledger = MemoryLedger::new();
    let brothers = capacity_door("brothers");
    let sisters = capacity_door("sisters");
    let mut scan = |door: &DoorRules, text: &str, at: i64| {
        judge_at_door(
            text,
            &rules,
            door,
            &DoorScan::default(),
            Now::utc(at),
            &mut ledger,
        )
        .expect("memory")
    };
    // Brothers: a family of 5 (5/6: warning level at 90 %? 83 %: normal), then 1 more (6/6: full).
    assert_eq!(
        scan(&brothers, &family("A", 5), T).verdict.kind(),
        VerdictKind::Accepted
    );
    assert_eq!(
        scan(&brothers, &family("B", 1), T + 1).verdict.kind(),
        VerdictKind::Accepted
    );
    let full = scan(&brothers, &family("C", 1), T + 2);
    match &full.verdict {
        Verdict::Full {
            scope, occupancy, ..
        } => {
            assert_eq!(scope, &Scope::Entrance(entrance("brothers")));
            assert_eq!((occupancy.inside, occupancy.capacity), (6, Some(6)));
            assert_eq!(occupancy.level, Level::Full);
        }
        other => panic!("expected qr_full at the entrance, got {other:?}"),
    }
    // Sisters: 3 fit under their 6, but the venue (10) has 4 places left: a family of 5 does not fit.
    assert_eq!(
        scan(&sisters, &family("D", 3), T + 3).verdict.kind(),
        VerdictKind::Accepted
    );
    let venue_full = scan(&sisters, &family("E", 2), T + 4);
    match &venue_full.verdict {
        Verdict::Full {
            scope, occupancy, ..
        } => assert_eq!((scope, occupancy.inside), (&Scope::Venue, 9)),
        other => panic!("expected qr_full for the venue, got {other:?}"),
    }
    assert_eq!(
        scan(&sisters, &family("F", 1), T + 5).verdict.kind(),
        VerdictKind::Accepted
    );
    // Nothing was recorded for the refused parties, and qr_full is in the scan log.
    let mut ledger_view = ledger.clone();
    let inside = ledger_view.inside_now().expect("memory");
    assert_eq!(
        (
            inside.at(&entrance("brothers")),
            inside.at(&entrance("sisters"))
        ),
        (6, 4)
    );
    assert_eq!(inside.total(), 10);
    assert_eq!(ledger.stays().len(), 4);
    assert_eq!(
        ledger
            .rejections
            .iter()
            .filter(|r| r.0 == "qr_full")
            .count(),
        2
    );
    // The status line: brothers at 6/6 red, the venue at 10/10 red; sisters 4/6 normal.
    let status = sisters.status(&inside);
    assert_eq!(
        (status.entrance.level, status.venue.level),
        (Level::Normal, Level::Full)
    );
    assert_eq!(status.level(), Level::Full);
    let mut after_exit = inside.clone();
    after_exit.remove(&entrance("sisters"), 1);
    assert_eq!(sisters.status(&after_exit).venue.level, Level::Warn);
}

#[test]
fn exits_are_never_refused_at_capacity_and_free_a_place() {
    let mut d = Door::new(ReusePolicy::Daily, capacity_door("brothers"));
    let a = family("A", 6);
    assert_eq!(d.kind(&a, T), VerdictKind::Accepted);
    assert_eq!(d.kind(&family("B", 1), T + 1), VerdictKind::Full);
    assert_eq!(d.kind(&a, T + 120), VerdictKind::Goodbye);
    assert_eq!(d.kind(&family("B", 1), T + 121), VerdictKind::Accepted);
}

#[test]
fn the_volunteer_override_admits_over_capacity_and_is_recorded() {
    let mut d = Door::new(ReusePolicy::Once, capacity_door("brothers"));
    assert_eq!(d.kind(&family("A", 6), T), VerdictKind::Accepted);
    let late = family("Late", 2);
    assert_eq!(d.kind(&late, T + 1), VerdictKind::Full);
    let pin = DoorScan {
        over_capacity: true,
        ..DoorScan::default()
    };
    let admitted = d.scan_with(&late, pin, T + 2);
    assert_eq!(
        admitted.verdict.kind(),
        VerdictKind::Accepted,
        "{admitted:?}"
    );
    assert!(admitted.entered.expect("entered").over_capacity);
    let overrides: Vec<bool> = d.ledger.stays().iter().map(|s| s.over_capacity).collect();
    assert_eq!(overrides, [false, true]);
    assert_eq!(d.inside(), (8, 8));
    let inside = d.ledger.inside_now().expect("memory");
    let status = d.door.status(&inside);
    assert_eq!(
        (status.entrance.level, status.entrance.places_left()),
        (Level::Full, Some(0))
    );
    // The override flag on a scan that fits records no override.
    let mut roomy = Door::new(ReusePolicy::Once, capacity_door("sisters"));
    let fits = roomy.scan_with(&family("S", 1), pin, T);
    assert!(!fits.entered.expect("entered").over_capacity);
}

#[test]
fn automatic_sign_out_closes_evening_stays_at_closing_time_after_midnight() {
    // Local time UTC+1; closing time 01:00. Evening service: entries 23:30 and 00:40 local.
    let offset = 3600;
    let local_midnight = T - T % 86_400 + 86_400 - i64::from(offset);
    let now = |unix| Now {
        unix,
        utc_offset: offset,
    };
    let door = DoorRules {
        sign_out: SignOutRules {
            closing_time: "01:00".parse::<ClockTime>().ok(),
            max_stay_minutes: None,
        },
        ..door(DoorMode::InOut)
    };
    let rules = rules(ReusePolicy::Daily);
    let mut ledger = MemoryLedger::new();
    for (text, at) in [
        (family("Eve", 2), local_midnight - 1800),
        (family("Late", 1), local_midnight + 2400),
    ] {
        let v = judge_at_door(
            &text,
            &rules,
            &door,
            &DoorScan::default(),
            now(at),
            &mut ledger,
        )
        .expect("memory");
        assert_eq!(v.verdict.kind(), VerdictKind::Accepted);
    }
    // 00:59 local: nothing due yet.
    let none =
        sign_out_due(&mut ledger, &door, "door-1", now(local_midnight + 3540)).expect("memory");
    assert!(none.is_empty(), "{none:?}");
    // 02:00 local: both closed at 01:00 local, as auto exits.
    let closed =
        sign_out_due(&mut ledger, &door, "door-1", now(local_midnight + 7200)).expect("memory");
    let times: Vec<(i64, AutoReason)> = closed.iter().map(|a| (a.at, a.reason)).collect();
    assert_eq!(
        times,
        [
            (local_midnight + 3600, AutoReason::ClosingTime),
            (local_midnight + 3600, AutoReason::ClosingTime)
        ]
    );
    assert!(ledger.exits().iter().all(|e| e.kind == ExitKind::Auto));
    assert!(
        ledger
            .stays()
            .iter()
            .all(|s| s.exit == Some((local_midnight + 3600, ExitKind::Auto)))
    );
    assert_eq!(ledger.inside_now().expect("memory").total(), 0);
    // Running it again closes nothing twice.
    assert!(
        sign_out_due(&mut ledger, &door, "door-1", now(local_midnight + 7300))
            .expect("memory")
            .is_empty()
    );
    assert_eq!(ledger.exits().len(), 2);
}

#[test]
fn a_stay_past_closing_time_is_closed_automatically_when_its_pass_comes_back() {
    // The sign-out has not run; the next evening the pass is scanned at an in-out kiosk: an entry,
    // not an exit of yesterday's stay.
    let door = DoorRules {
        sign_out: SignOutRules {
            closing_time: ClockTime::new(1, 0),
            max_stay_minutes: Some(180),
        },
        ..door(DoorMode::InOut)
    };
    let mut d = Door::new(ReusePolicy::Daily, door);
    let ada = family("Ada", 1);
    let evening = T - T % 86_400 + 19 * 3600;
    assert_eq!(d.kind(&ada, evening), VerdictKind::Accepted);
    let next = d.scan(&ada, evening + 86_400);
    assert_eq!(next.verdict.kind(), VerdictKind::Accepted, "{next:?}");
    let auto = next.auto_exit.expect("auto exit");
    assert_eq!(
        (auto.at, auto.reason),
        (evening + 3 * 3600, AutoReason::MaxStay)
    );
    assert_eq!(d.ledger.exits()[0].kind, ExitKind::Auto);
    assert_eq!(d.inside(), (1, 1));
}

#[test]
fn an_automatic_exit_is_not_stepping_out() {
    // An `in` kiosk with a longest stay of an hour, `daily`: the stay of 08:00 ends at 09:00 by
    // itself, but the same pass at 12:00 is still the day's second use.
    let door = DoorRules {
        sign_out: SignOutRules {
            closing_time: None,
            max_stay_minutes: Some(60),
        },
        ..door(DoorMode::In)
    };
    let mut d = Door::new(ReusePolicy::Daily, door);
    let ada = family("Ada", 1);
    assert_eq!(d.kind(&ada, T), VerdictKind::Accepted);
    assert_eq!(d.kind(&ada, T + 4 * 3600), VerdictKind::Used);
    let closed =
        sign_out_due(&mut d.ledger, &d.door, "door-1", Now::utc(T + 4 * 3600)).expect("memory");
    assert_eq!(closed.len(), 1);
    assert_eq!(d.kind(&ada, T + 4 * 3600 + 1), VerdictKind::Used);
    assert_eq!(d.inside(), (0, 0));
}

#[test]
fn an_expired_pass_can_still_leave_but_not_enter() {
    let short = pass(&format!(r#"{{"s1":"Ada","expiry":{},"n":"s"}}"#, T + 600));
    let mut d = Door::new(ReusePolicy::Once, door(DoorMode::InOut));
    assert_eq!(d.kind(&short, T), VerdictKind::Accepted);
    assert_eq!(d.kind(&short, T + 900), VerdictKind::Goodbye);
    assert_eq!(d.kind(&short, T + 1000), VerdictKind::Expired);
    d.door.mode = DoorMode::Out;
    assert_eq!(
        d.kind(&short, T + 1100),
        VerdictKind::Expired,
        "no open stay to close"
    );
}

#[test]
fn a_pass_booked_for_another_entrance_is_accepted_and_says_where_it_was_used() {
    let mut d = Door::new(
        ReusePolicy::Once,
        DoorRules {
            entrance: entrance("brothers"),
            ..door(DoorMode::In)
        },
    );
    let booked = pass(r#"{"s1":"Ada","ev":"eid","en":"sisters","expiry":1900000000}"#);
    let v = d.scan(&booked, T);
    assert_eq!(v.verdict.kind(), VerdictKind::Accepted);
    assert_eq!(
        v.entered.expect("entered").booked_elsewhere,
        Some(entrance("sisters"))
    );
    assert_eq!(d.ledger.stays()[0].stay.entrance, entrance("brothers"));
}

#[test]
fn rejections_before_the_ledger_record_nothing_at_the_door() {
    let mut d = Door::new(ReusePolicy::Once, door(DoorMode::Out));
    assert_eq!(
        d.kind("https://x/?j=%7B%7D&auth=00", T),
        VerdictKind::NotAuthorized
    );
    assert_eq!(d.kind("no pass at all", T), VerdictKind::MissingParameters);
    assert!(d.ledger.exits().is_empty());
    assert_eq!(d.ledger.rejections.len(), 2);
}

#[test]
fn door_verdict_names_are_the_design_names() {
    let names: Vec<_> = VerdictKind::DOOR.iter().map(|k| k.name()).collect();
    assert_eq!(names, ["qr_goodbye", "qr_full", "qr_too_early"]);
    for k in VerdictKind::EVERY {
        assert_eq!(VerdictKind::from_name(k.name()), Some(k));
    }
    assert_eq!(VerdictKind::EVERY[..6], VerdictKind::ALL);
}

#[test]
fn a_dry_run_decides_like_the_real_scan_and_records_nothing() {
    use usher_core::door::{Decision, Preview, preview_at_door};
    let mut d = Door::new(ReusePolicy::Once, capacity_door("brothers"));
    let ada = family("Ada", 6);
    let preview = |d: &mut Door, text: &str, at| {
        preview_at_door(
            text,
            &d.rules,
            &d.door,
            &DoorScan::default(),
            Now::utc(at),
            &mut d.ledger,
        )
        .expect("memory")
    };
    match preview(&mut d, &ada, T) {
        Preview::Decided {
            decision: Decision::Enter { heads, new_use, .. },
            ..
        } => assert_eq!((heads.get(), new_use), (6, true)),
        other => panic!("expected an entry: {other:?}"),
    }
    assert!(d.ledger.stays().is_empty());
    assert_eq!(d.kind(&ada, T), VerdictKind::Accepted);
    assert!(matches!(
        preview(&mut d, &family("Bo", 1), T + 1),
        Preview::Decided {
            decision: Decision::Full { .. },
            ..
        }
    ));
    assert!(matches!(
        preview(&mut d, &ada, T + 120),
        Preview::Decided {
            decision: Decision::Leave { closes: Some(_) },
            ..
        }
    ));
    assert!(matches!(
        preview(&mut d, "nothing", T),
        Preview::Rejected(_)
    ));
    assert!(d.ledger.rejections.is_empty(), "a dry run logs nothing");
    assert_eq!((d.ledger.stays().len(), d.ledger.exits().len()), (1, 0));
}

#[test]
fn an_in_kiosk_without_capacity_gives_the_verdicts_judge_gives() {
    let texts = [
        family("Ada", 1),
        family("Ada", 1),
        pass(r#"{"s1":"Old","expiry":1}"#),
        "https://x/?j=%7B%7D&auth=00".to_owned(),
        pass(r#"{"s1":"Bad","p":0,"expiry":1900000000}"#),
        family("Bo", 2),
    ];
    let times = [T, T + 30, T + 3600, T + 86_400, T + 86_400 + 60];
    for reuse in [
        ReusePolicy::Once,
        ReusePolicy::Daily,
        ReusePolicy::Interval(45),
        ReusePolicy::Always,
    ] {
        let mut plain = MemoryLedger::new();
        let mut d = Door::new(reuse, door(DoorMode::In));
        for at in times {
            for text in &texts {
                let want = judge(text, &d.rules, Now::utc(at), &mut plain).expect("memory");
                assert_eq!(d.kind(text, at), want.kind(), "{reuse} at {at}: {want:?}");
            }
        }
        assert_eq!(d.ledger.rejections, plain.rejections, "{reuse}");
    }
}

#[test]
fn a_place_lease_caps_this_kiosks_own_entries_even_without_a_capacity_setting() {
    // The server leased 3 places; the kiosk's settings set no capacity of their own.
    let mut d = Door::new(ReusePolicy::Daily, door(DoorMode::InOut));
    d.ledger.lease = Some(usher_core::lease::PlaceLease {
        places: 3,
        expires_at: T + 3600,
    });
    let a = family("A", 2);
    assert_eq!(d.kind(&a, T), VerdictKind::Accepted);
    let full = d.scan(&family("B", 2), T + 1);
    match &full.verdict {
        Verdict::Full {
            scope: Scope::Venue,
            occupancy,
            ..
        } => assert_eq!((occupancy.inside, occupancy.capacity), (2, Some(3))),
        other => panic!("expected qr_full from the lease: {other:?}"),
    }
    assert_eq!(d.kind(&family("C", 1), T + 2), VerdictKind::Accepted);
    // Exits are never refused, and free a place of the lease.
    assert_eq!(d.kind(&a, T + 120), VerdictKind::Goodbye);
    assert_eq!(d.kind(&family("B", 2), T + 121), VerdictKind::Accepted);
    // Past its end the lease binds no more.
    assert_eq!(d.kind(&family("D", 5), T + 3600), VerdictKind::Accepted);
}

/// DESIGN §10: the old system's plain codes, read only with `legacyCodes`; a receipt admits
/// its count once, booked for its entrance; off, they are `qr_missing_parameters` as before.
#[test]
fn old_codes_sign_in_only_with_legacy_codes_and_a_receipt_is_redeemed_once() {
    let walk_in = "2+Fatima Zahra+(630) 555-0101+fz@example.org";
    let receipt = "3+BCDFGH+Omar K+630-555-0102+ok@example.org+F+3";
    let mut off = Door::new(ReusePolicy::Once, door(DoorMode::In));
    for text in [walk_in, receipt] {
        assert_eq!(off.kind(text, T), VerdictKind::MissingParameters, "{text}");
    }
    let mut on = Door::new(ReusePolicy::Always, door(DoorMode::In));
    on.rules.legacy_codes = true;
    let w = on.scan(walk_in, T);
    assert_eq!(w.verdict.kind(), VerdictKind::Accepted, "{w:?}");
    assert_eq!(
        w.verdict.pass().and_then(|p| p.payload.name()),
        Some("Fatima Zahra")
    );
    let r = on.scan(receipt, T + 1);
    assert_eq!(r.verdict.kind(), VerdictKind::Accepted, "{r:?}");
    let entered = r.entered.expect("entered");
    assert_eq!(entered.heads.get(), 3);
    assert_eq!(
        entered.booked_elsewhere.as_ref().map(Entrance::as_str),
        Some("sisters")
    );
    // redeemed once, whatever reusePolicy says (always here); a walk-in follows the policy
    assert_eq!(on.kind(receipt, T + 60), VerdictKind::Used);
    assert_eq!(on.kind(walk_in, T + 60), VerdictKind::Accepted);
    // (the walk-in's second scan finds her stay still open: one stay, one head)
    assert_eq!(on.inside(), (4, 4));
    // a hostile one is qr_invalid with the field named, and nothing is recorded
    let bad = on.scan(
        "3+BCDFGH+Omar K+630-555-0102+ok@example.org+F+99999999999",
        T + 2,
    );
    assert_eq!(bad.verdict.kind(), VerdictKind::Invalid);
    assert!(
        bad.verdict.reason().contains("count"),
        "{}",
        bad.verdict.reason()
    );
    assert_eq!(on.inside(), (4, 4));
}

#[test]
fn a_revoked_pass_is_not_authorized_at_the_door_and_by_judge_and_nothing_is_recorded() {
    let ann = family("Ann", 1);
    let bob = family("Bob", 1);
    let id = |t: &str| match judge(
        t,
        &rules(ReusePolicy::Always),
        Now::utc(T),
        &mut MemoryLedger::new(),
    )
    .expect("memory ledger")
    {
        Verdict::Accepted { pass } => pass.id,
        v => panic!("{v:?}"),
    };
    let ann_id = id(&ann);
    for mode in [DoorMode::In, DoorMode::Out, DoorMode::InOut] {
        let mut d = Door::new(ReusePolicy::Always, door(mode));
        d.ledger.revoked.insert(ann_id);
        let v = d.scan(&ann, T);
        assert_eq!(
            v.verdict,
            Verdict::NotAuthorized(usher_core::verdict::Denial::Revoked),
            "{mode:?}"
        );
        assert!(v.entered.is_none());
        assert!(d.ledger.stays().is_empty() && d.ledger.exits().is_empty());
        assert_eq!(
            d.ledger.rejections,
            [(
                "qr_not_authorized",
                "pass was revoked by its holder".to_owned()
            )]
        );
        // another pass still opens the door
        assert_ne!(d.kind(&bob, T), VerdictKind::NotAuthorized, "{mode:?}");
    }
    let mut ledger = MemoryLedger::new();
    ledger.revoked.insert(ann_id);
    let v = judge(&ann, &rules(ReusePolicy::Always), Now::utc(T), &mut ledger).expect("memory");
    assert_eq!(v.kind(), VerdictKind::NotAuthorized);
    assert_eq!(ledger.uses_of(&ann_id), 0);
}
