//! Client-side rate limiting per Sendcloud account, using `governor`.
//!
//! Sendcloud counts requests per account: safe methods (GET) 1000/min, unsafe
//! methods (POST/PUT/PATCH/DELETE) 100/min with bursts of 15/s. Every client
//! built for the same public key shares one [`AccountLimiter`] through a
//! process-wide registry, so parallel workers of one account stay under the
//! budget together.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Limits for one account. A bucket holds `burst` tokens and refills so that
/// no sliding `per_minute` window ever exceeds the documented minute budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Reads (GET) per minute.
    pub reads_per_minute: u32,
    /// Reads allowed back to back.
    pub read_burst: u32,
    /// Writes (POST/PUT/PATCH/DELETE) per minute.
    pub writes_per_minute: u32,
    /// Writes allowed back to back. Sendcloud allows 15 a second, but every
    /// token of burst is taken from the steady rate (burst + refills never
    /// exceed `writes_per_minute` in any minute): 15 left 85 writes a minute
    /// for bulk labels, 5 leaves 95 (`benches/labels.rs`).
    pub write_burst: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            reads_per_minute: 1000,
            read_burst: 50,
            writes_per_minute: 100,
            write_burst: 5,
        }
    }
}

/// The limiter pair (reads, writes) of one Sendcloud account, plus a shared
/// pause set when Sendcloud answers 429 with `Retry-After`.
pub struct AccountLimiter {
    reads: DefaultDirectRateLimiter,
    writes: DefaultDirectRateLimiter,
    limits: RateLimits,
    paused_until: Mutex<Option<tokio::time::Instant>>,
}

impl std::fmt::Debug for AccountLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountLimiter")
            .field("limits", &self.limits)
            .finish()
    }
}

/// Quota with `burst` immediate tokens and a refill period chosen so that
/// `burst + refills in 60 s <= per_minute`.
fn quota(per_minute: u32, burst: u32) -> Quota {
    let per_minute = per_minute.max(1);
    let burst = burst.clamp(1, per_minute);
    let refills = (per_minute - burst).max(1);
    let period =
        Duration::from_micros(60_000_000 / u64::from(refills)).max(Duration::from_micros(1));
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl AccountLimiter {
    /// A fresh limiter pair (not registered; see [`AccountLimiter::for_account`]).
    pub fn new(limits: RateLimits) -> Self {
        Self {
            reads: RateLimiter::direct(quota(limits.reads_per_minute, limits.read_burst)),
            writes: RateLimiter::direct(quota(limits.writes_per_minute, limits.write_burst)),
            limits,
            paused_until: Mutex::new(None),
        }
    }

    /// The shared limiter of the account with this public key; created with
    /// `limits` if no live client of this account exists yet.
    pub fn for_account(public_key: &str, limits: RateLimits) -> Arc<Self> {
        static REGISTRY: OnceLock<Mutex<HashMap<String, Weak<AccountLimiter>>>> = OnceLock::new();
        let registry = REGISTRY.get_or_init(|| Mutex::new(HashMap::new()));
        let mut map = match registry.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(existing) = map.get(public_key).and_then(Weak::upgrade) {
            return existing;
        }
        map.retain(|_, weak| weak.strong_count() > 0);
        let fresh = Arc::new(Self::new(limits));
        map.insert(public_key.to_string(), Arc::downgrade(&fresh));
        fresh
    }

    /// The limits this limiter was built with.
    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    /// Holds every request of this account back for `delay` (after a 429
    /// with `Retry-After`), so parallel workers do not keep hammering.
    pub fn pause_for(&self, delay: Duration) {
        let until = tokio::time::Instant::now() + delay;
        let mut guard = match self.paused_until.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if guard.is_none_or(|current| current < until) {
            *guard = Some(until);
        }
    }

    async fn wait_pause(&self) {
        let until = match self.paused_until.lock() {
            Ok(g) => *g,
            Err(poisoned) => *poisoned.into_inner(),
        };
        if let Some(until) = until {
            if until > tokio::time::Instant::now() {
                tokio::time::sleep_until(until).await;
            }
        }
    }

    /// Waits until a read may be sent.
    pub async fn until_read_ready(&self) {
        self.wait_pause().await;
        self.reads.until_ready().await;
    }

    /// Waits until a write may be sent.
    pub async fn until_write_ready(&self) {
        self.wait_pause().await;
        self.writes.until_ready().await;
    }

    /// Takes a write token without waiting; `false` if the budget is exhausted.
    pub fn try_write(&self) -> bool {
        self.writes.check().is_ok()
    }

    /// Takes a read token without waiting; `false` if the budget is exhausted.
    pub fn try_read(&self) -> bool {
        self.reads.check().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_burst_is_five() {
        let limiter = AccountLimiter::new(RateLimits::default());
        let granted = (0..40).filter(|_| limiter.try_write()).count();
        assert_eq!(granted, 5);
    }

    #[tokio::test]
    async fn pause_holds_requests_back() {
        let limiter = AccountLimiter::new(RateLimits::default());
        limiter.pause_for(Duration::from_millis(50));
        limiter.pause_for(Duration::from_millis(1)); // never shortens a pause
        let started = std::time::Instant::now();
        limiter.until_read_ready().await;
        assert!(started.elapsed() >= Duration::from_millis(45));
    }

    #[test]
    fn same_public_key_shares_limiter() {
        let a = AccountLimiter::for_account("pk-shared-test", RateLimits::default());
        let b = AccountLimiter::for_account("pk-shared-test", RateLimits::default());
        let c = AccountLimiter::for_account("pk-other-test", RateLimits::default());
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
    }
}
