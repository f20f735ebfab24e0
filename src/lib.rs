//! Usher, the kiosk: the program a door volunteer runs, and the `usher` command line.
//!
//! The verdict rules live in the pure `usher_core` crate; this crate holds everything with a
//! side effect around them:
//! - [`cli`]: the command-line contract of DESIGN §4 (`issue`, `verify`, `scan`, `keygen`);
//! - [`scan`]: decoding image files without a window (`usher scan`, `--bench`);
//! - [`settings`]: settings.xml, read once into typed settings;
//! - [`ledger`]: the SQLite single-use ledger, outbox and scan log;
//! - [`keys`]: key files (`usher keygen`, reading a signing key or secret);
//! - [`sync`]: uploading the outbox to the server, fetching passes used elsewhere;
//! - [`clock`]: the one clock seam.

pub mod cli;
pub mod clock;
pub mod keys;
pub mod ledger;
pub mod scan;
pub mod settings;
pub mod sync;
