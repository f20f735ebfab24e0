//! Usher's server: the visitor form that hands out passes, the sync API kiosks upload
//! sign-ins to, the admin pages, and the encrypted contact store behind them.
//!
//! Module map:
//! - [`clock`]: the one clock seam.
//! - [`crypto`]: keys outside the database, sealing contact data, blind indexes, tokens.
//! - [`store`]: the database (SQLite or PostgreSQL) and every query.

pub mod clock;
pub mod crypto;
pub mod store;
