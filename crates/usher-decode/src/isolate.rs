//! Panic isolation for decoder calls: `catch_unwind`, a process-wide panic counter, a log line.
//!
//! Decoders panic on some inputs (rqrr asserts in its geometry code). A panicking call is
//! treated as "no code", counted in [`panics`] and logged with `tracing::warn!`; it is never
//! fatal. The default panic hook still prints its message to stderr: replacing the hook is
//! process-wide (it would also hide the kiosk's own panics), so this crate leaves it alone.
//! A program that wants silence can install its own hook and filter on the thread or message.
//!
//! This relies on `panic = "unwind"` (the default); with `panic = "abort"` nothing can be caught.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};

static PANICS: AtomicU64 = AtomicU64::new(0);

/// How many decoder calls have panicked in this process so far.
pub fn panics() -> u64 {
    PANICS.load(Ordering::Relaxed)
}

/// Runs one decoder call; a panic becomes an empty result, is counted and logged.
pub fn guarded<F>(what: &str, f: F) -> Vec<String>
where
    F: FnOnce() -> Vec<String>,
{
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(found) => found,
        Err(payload) => {
            let total = PANICS.fetch_add(1, Ordering::Relaxed) + 1;
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".to_owned());
            tracing::warn!(decoder = what, panics = total, "decoder panicked: {msg}");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_counted_and_empty() {
        let before = panics();
        let out = guarded("test", || panic!("on purpose"));
        assert!(out.is_empty());
        assert!(panics() > before);
        let out = guarded("test", || vec!["ok".to_owned()]);
        assert_eq!(out, vec!["ok".to_owned()]);
    }
}
