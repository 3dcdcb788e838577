//! Login throttling: how many password attempts one user name and one client
//! address may make (governor's keyed GCRA limiters, in memory per process).
//! An attempt over either limit is answered 429 without checking the
//! password, so a guesser spends neither argon2 time nor a database
//! connection.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Attempts per user name: a burst of this many, then one per
/// [`USER_REFILL_SECS`] seconds.
pub const USER_BURST: u32 = 10;
pub const USER_REFILL_SECS: u64 = 6;
/// Attempts per client address: a burst of this many, then one per
/// [`ADDRESS_REFILL_SECS`] seconds.
pub const ADDRESS_BURST: u32 = 30;
pub const ADDRESS_REFILL_SECS: u64 = 2;

/// Above this many tracked keys, keys back at full capacity are dropped.
const MAX_KEYS: usize = 10_000;

pub struct LoginThrottle {
    by_user: DefaultKeyedRateLimiter<String>,
    by_address: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(burst: u32, refill_secs: u64) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(std::time::Duration::from_secs(refill_secs))
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            by_user: RateLimiter::keyed(quota(USER_BURST, USER_REFILL_SECS)),
            by_address: RateLimiter::keyed(quota(ADDRESS_BURST, ADDRESS_REFILL_SECS)),
        }
    }
}

impl LoginThrottle {
    /// May this attempt go ahead? Counts it against both limits.
    pub fn allow(&self, username: &str, address: Option<IpAddr>) -> bool {
        if self.by_user.len() > MAX_KEYS {
            self.by_user.retain_recent();
        }
        if self.by_address.len() > MAX_KEYS {
            self.by_address.retain_recent();
        }
        let address_ok = address.is_none_or(|a| self.by_address.check_key(&a).is_ok());
        let user: String = username.trim().to_lowercase().chars().take(64).collect();
        address_ok && self.by_user.check_key(&user).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_throttled_after_the_burst_and_others_are_not() {
        let t = LoginThrottle::default();
        for _ in 0..USER_BURST {
            assert!(t.allow("admin", None));
        }
        assert!(!t.allow("admin", None));
        assert!(!t.allow(" ADMIN ", None));
        assert!(t.allow("erika", None));
    }

    #[test]
    fn an_address_is_throttled_across_user_names() {
        let t = LoginThrottle::default();
        let a: IpAddr = "192.0.2.7".parse().unwrap();
        for i in 0..ADDRESS_BURST {
            assert!(t.allow(&format!("user{i}"), Some(a)));
        }
        assert!(!t.allow("someone-else", Some(a)));
        assert!(t.allow("someone-else", Some("192.0.2.8".parse().unwrap())));
    }
}
