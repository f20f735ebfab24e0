//! Usher, the kiosk: the program a door volunteer runs, and the `usher` command line.
//!
//! The verdict rules live in the pure `usher_core` crate; this crate holds everything with a
//! side effect around them:
//! - [`cli`]: the command-line contract of DESIGN §4 (`issue`, `verify`, `scan`, `keygen`,
//!   `enroll`), with [`cli::scan`] decoding image files without a window;
//! - [`venue`]: the venue passes are judged at (settings, rules, contact protection, ledger),
//!   opened once, or the demo feed's;
//! - [`settings`]: settings.xml, read once into typed settings;
//! - [`ledger`]: the SQLite single-use ledger, outbox and scan log;
//! - [`contact`]: contact fields at rest (sealed to the organiser, or under a local key);
//! - [`retention`]: the kiosk's retention purge;
//! - [`keys`]: key files (`usher keygen`, reading a signing key or secret);
//! - [`private_file`]: files holding secrets or contact data (0600, replaced atomically);
//! - [`random`]: the system's random source;
//! - [`worker`]: named background threads that stop and are joined;
//! - [`enroll`]: the server's enrolment code turned into settings (`usher enroll`);
//! - [`sync`]: uploading the outbox to the server, fetching passes used elsewhere;
//! - [`clock`]: the one clock seam;
//! - [`kiosk`]: the kiosk's pure state machine (what the screen shows) and the scan debounce;
//! - [`gate`]: the PIN gate in front of the admin panel and its lockout, kept across restarts;
//! - [`walkin`], [`keyboard`]: the volunteer's walk-in form and its on-screen keyboard, outside egui;
//! - [`view`]: what the window shows (screen, PIN pad, admin panel), built outside egui;
//! - [`screens`]: the screens folder and the built-in screens;
//! - [`camera`]: frame sources (camera, `dir:` folder, demo feed);
//! - [`pipeline`]: the scanning pipeline threads;
//! - [`preview`]: the camera preview (downscaled frames, handed to the window without waiting);
//! - [`wedge`]: keyboard-wedge barcode scanners;
//! - [`sound`]: screen sounds;
//! - [`ui`]: the kiosk window (eframe), drawing the state machine's view;
//! - [`run`]: `usher kiosk`, wiring settings, ledger, source, pipeline and window.

pub mod camera;
pub mod cli;
pub mod clock;
pub mod contact;
pub mod enroll;
pub mod gate;
pub mod keyboard;
pub mod keys;
pub mod kiosk;
pub mod ledger;
pub mod pipeline;
pub mod preview;
pub mod private_file;
pub mod random;
pub mod retention;
pub mod run;
pub mod screens;
pub mod settings;
pub mod signout;
pub mod sound;
pub mod sync;
pub mod ui;
pub mod venue;
pub mod view;
pub mod walkin;
pub mod wedge;
pub mod worker;
