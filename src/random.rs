//! The system's random source: the one place the kiosk draws random bytes (keys, nonces,
//! outbox ids, device ids).

/// The system's random source failed (no entropy yet, or no source at all).
#[derive(Debug, thiserror::Error)]
#[error("the system's random source failed: {0}")]
pub struct RandomError(getrandom::Error);

/// `N` bytes from the system's random source.
pub fn bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_draws_differ() {
        let a = super::bytes::<16>().expect("random");
        let b = super::bytes::<16>().expect("random");
        assert_ne!(a, b);
    }
}
