//! Issue 14's "Done when": an admin runs a booked Eid prayer for two halls end to end. The real
//! `usher-server` binary on loopback: the admin sets a password (recovery code), logs in and
//! creates the event through the admin pages (brothers 100, sisters 50); visitors book from
//! the form; two kiosks (the brothers' and the sisters' entrance, each with its real ledger
//! file, its `Syncer` over `HttpTransport` and the door's `judge_at_door`, reuse policy
//! `always`) redeem the passes: too early before the doors open, once per event whatever the
//! policy (also across kiosks, through the used feed), a pass booked for the other entrance
//! accepted where it is used; then the event page shows booked against arrived per entrance,
//! and its CSV the arrivals.
//!
//! Build the server first when it changed: `cargo build -p usher-server --bin usher-server`
//! (the tests build it only when it is missing).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use support::{Server, cookie_of, csrf_field, form};
use usher::clock::FixedClock;
use usher::ledger::SqliteLedger;
use usher::sync::{HttpTransport, Syncer};
use usher_core::{
    DoorRules, DoorScan, Entrance, Now, ReusePolicy, Rules, SchemeSet, Secret, VerdictKind,
    judge_at_door,
};

const PASSWORD: &str = "the imam's long admin password";

/// A browser: cookies by hand, no redirects followed.
struct Browser {
    http: reqwest::blocking::Client,
    url: String,
}

impl Browser {
    fn get(&self, path: &str, cookie: Option<&str>) -> reqwest::blocking::Response {
        let mut r = self.http.get(format!("{}{path}", self.url));
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        r.send().unwrap()
    }

    fn post(&self, path: &str, cookie: &str, body: String) -> reqwest::blocking::Response {
        self.http
            .post(format!("{}{path}", self.url))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .unwrap()
    }

    /// A pre-session form: GET `page`, then POST `fields` (with its CSRF field) to `action`.
    fn submit(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::blocking::Response {
        let p = self.get(page, None);
        let c = cookie_of(&p, "usher_csrf").expect("csrf cookie");
        let csrf = csrf_field(&p.text().unwrap());
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &c, form(&all))
    }
}

/// The pass text on a pass page.
fn pass_text(html: &str) -> String {
    let at = html.find("<pre class=\"passtext\">").expect("pass text") + 22;
    let end = html[at..].find("</pre>").unwrap();
    html[at..at + end].replace("&amp;", "&")
}

struct Kiosk {
    _dir: tempfile::TempDir,
    ledger: SqliteLedger,
    sync: Syncer<HttpTransport>,
    rules: Rules,
    door: DoorRules,
    clock: Arc<FixedClock>,
}

impl Kiosk {
    fn new(server: &Server, name: &str, entrance: &str, clock: &Arc<FixedClock>) -> Kiosk {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let ledger = SqliteLedger::open(&path).unwrap();
        let public = std::fs::read_to_string(server.organiser_keys().1).unwrap();
        let key = usher_core::scheme::verifying_key_from_pem(&public).unwrap();
        let mut rules = usher_testkit::public_key_rules(key, SchemeSet::ALL, name);
        // Event passes are single use per event whatever the venue's policy says.
        rules.reuse = ReusePolicy::Always;
        let entrance: Entrance = entrance.parse().unwrap();
        let door = DoorRules {
            entrance: entrance.clone(),
            ..DoorRules::default()
        };
        let token = server.add_device(name);
        let transport = HttpTransport::new(&server.url(), Secret::from(token.as_str())).unwrap();
        let sync = Syncer::new(
            SqliteLedger::open(&path).unwrap(),
            transport,
            Arc::clone(clock) as Arc<dyn usher::clock::Clock>,
        )
        .with_entrance(entrance);
        Kiosk {
            _dir: dir,
            ledger,
            sync,
            rules,
            door,
            clock: Arc::clone(clock),
        }
    }

    fn scan(&mut self, text: &str) -> usher_core::DoorVerdict {
        let now = usher::clock::Clock::now(&*self.clock);
        judge_at_door(
            text,
            &self.rules,
            &self.door,
            &DoorScan::default(),
            now,
            &mut self.ledger,
        )
        .unwrap()
    }
}

#[test]
fn an_eid_prayer_for_two_halls_is_created_booked_redeemed_at_two_kiosks_and_counted() {
    let mut server = Server::init();
    server.start();
    let browser = Browser {
        http: reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap(),
        url: server.url(),
    };

    // The admin sets a password with init's recovery code and logs in.
    let r = browser.submit(
        "/admin/recover",
        "/admin/recover",
        &[
            ("code", &server.recovery),
            ("password", PASSWORD),
            ("again", PASSWORD),
        ],
    );
    assert_eq!(r.status(), 303, "{:?}", r.text());
    let r = browser.submit(
        "/admin/login",
        "/admin/login",
        &[("email", "proof@example.org"), ("password", PASSWORD)],
    );
    assert_eq!(r.status(), 303);
    let session = cookie_of(&r, "usher_session").expect("a session");

    // The event: starts in 30 minutes, doors open 45 minutes before, two halls.
    let now = support::now_unix();
    let minute = |t: i64| t - t.rem_euclid(60);
    let starts = minute(now) + 30 * 60;
    let at = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let page = browser.get("/admin/events", Some(&session));
    let csrf = csrf_field(&page.text().unwrap());
    let r = browser.post(
        "/admin/events",
        &session,
        form(&[
            ("csrf", &csrf),
            ("name", "Eid al-Fitr prayer"),
            ("starts", &at(starts)),
            ("ends", &at(starts + 90 * 60)),
            ("largest_party", "6"),
            ("grace", "45"),
            ("entrances", "brothers 100\nsisters 50"),
        ]),
    );
    assert_eq!(r.status(), 303, "{:?}", r.text());
    let event_page = r.headers()["location"].to_str().unwrap().to_owned();
    let id = event_page
        .strip_prefix("/admin/events/")
        .unwrap()
        .to_owned();

    // The form lists it; visitors book.
    let home = browser.get("/", None).text().unwrap();
    assert!(home.contains("Eid al-Fitr prayer"), "{home}");
    assert!(home.contains("brothers: 100 places left"), "{home}");
    assert!(home.contains("sisters: 50 places left"), "{home}");
    let book = |name: &str, party: &str, entrance: &str| {
        let r = browser.submit(
            &format!("/events/{id}"),
            &format!("/events/{id}"),
            &[
                ("name", name),
                ("phone", "+44 20 7946 0123"),
                ("email", "family@example.org"),
                ("party", party),
                ("entrance", entrance),
                ("consent", "yes"),
            ],
        );
        assert_eq!(r.status(), 200, "booking {name}");
        pass_text(&r.text().unwrap())
    };
    let yusuf = book("Yusuf Ahmed", "3", "brothers");
    let omar = book("Omar Farouk", "2", "brothers");
    let aisha = book("Aisha Rahman", "4", "sisters");
    let khadija = book("Khadija Noor", "2", "sisters");
    let _absent = book("Bilal Hussain", "1", "brothers");

    // Two kiosks, their clocks 20 minutes before the doors open.
    let clock = Arc::new(FixedClock::new(Now::utc(starts - 65 * 60)));
    let mut brothers = Kiosk::new(&server, "door-brothers", "brothers", &clock);
    let mut sisters = Kiosk::new(&server, "door-sisters", "sisters", &clock);
    let early = brothers.scan(&yusuf);
    assert_eq!(early.verdict.kind(), VerdictKind::TooEarly, "{early:?}");

    // The doors open (the kiosks' clocks at the present, 15 minutes after nb).
    clock.advance(65 * 60 - 30 * 60 + (now - minute(now)));
    let v = brothers.scan(&yusuf);
    assert_eq!(v.verdict.kind(), VerdictKind::Accepted, "{v:?}");
    assert_eq!(
        v.entered.as_ref().unwrap().heads.get(),
        3,
        "the party booked"
    );
    let v = brothers.scan(&omar);
    assert_eq!(v.verdict.kind(), VerdictKind::Accepted);
    // Single use per event whatever the policy (`always` here).
    assert_eq!(brothers.scan(&yusuf).verdict.kind(), VerdictKind::Used);
    let v = sisters.scan(&aisha);
    assert_eq!(v.verdict.kind(), VerdictKind::Accepted);
    assert_eq!(v.entered.as_ref().unwrap().heads.get(), 4);
    // Khadija's family comes in through the brothers' door: accepted, recorded there.
    let v = brothers.scan(&khadija);
    assert_eq!(v.verdict.kind(), VerdictKind::Accepted);
    assert_eq!(
        v.entered
            .as_ref()
            .unwrap()
            .booked_elsewhere
            .as_ref()
            .map(Entrance::as_str),
        Some("sisters")
    );

    // Both upload; the sisters' kiosk then hears of Yusuf's pass and refuses it too.
    brothers.sync.round().unwrap();
    sisters.sync.round().unwrap();
    sisters.sync.round().unwrap();
    assert_eq!(sisters.scan(&yusuf).verdict.kind(), VerdictKind::Used);

    // Booked against arrived, per entrance, on the event page (a viewer may read it too).
    let page = browser
        .get(&format!("{event_page}?reload=on"), Some(&session))
        .text()
        .unwrap();
    assert!(page.contains("http-equiv=\"refresh\""), "live");
    let row = |entrance: &str, rest: &str| format!("<tr><td>{entrance}</td>{rest}</tr>");
    // brothers: 100 places, 6 booked by 3 parties, 94 left, 7 arrived (3 + 2 + Khadija's 2,
    // of them 2 booked for the sisters' hall).
    assert!(
        page.contains(&row(
            "brothers",
            "<td>100</td><td>6 (3 reservations)</td><td>94</td><td>7</td><td>2</td>"
        )),
        "{page}"
    );
    assert!(
        page.contains(&row(
            "sisters",
            "<td>50</td><td>6 (2 reservations)</td><td>44</td><td>4</td><td>0</td>"
        )),
        "{page}"
    );
    let csv = browser
        .get(&format!("{event_page}/reservations.csv"), Some(&session))
        .text()
        .unwrap();
    assert_eq!(
        csv.lines().count(),
        6,
        "a header and five reservations: {csv}"
    );
    let aisha_row = csv.lines().find(|l| l.contains("Aisha Rahman")).unwrap();
    assert!(aisha_row.contains(r#","sisters","4","#), "{aisha_row}");
    assert!(
        aisha_row.ends_with(r#","sisters","4""#),
        "arrived at the sisters' door: {aisha_row}"
    );
    let bilal = csv.lines().find(|l| l.contains("Bilal Hussain")).unwrap();
    assert!(bilal.ends_with(r#","","","""#), "not arrived: {bilal}");
}
