//! Connection settings for the Sendcloud client: base URLs, credentials,
//! optional partner id, timeouts and retry limits.

use std::fmt;
use std::time::Duration;

use crate::sendcloud::limiter::RateLimits;

/// Default panel API base (v2 lives under `{base}/v2`, v3 under `{base}/v3`).
pub const DEFAULT_API_BASE: &str = "https://panel.sendcloud.sc/api";
/// Default service points API base.
pub const DEFAULT_SERVICE_POINTS_BASE: &str = "https://servicepoints.sendcloud.sc/api/v2";

/// The integration's API key pair (HTTP Basic: public key = user, secret key = password).
///
/// `Debug` is written by hand so the secret key never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    public_key: String,
    secret_key: String,
}

impl Credentials {
    /// Builds a key pair.
    pub fn new(public_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            public_key: public_key.into(),
            secret_key: secret_key.into(),
        }
    }

    /// The public key (not secret; it also identifies the account for rate limiting).
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    pub(crate) fn secret_key(&self) -> &str {
        &self.secret_key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("public_key", &self.public_key)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

/// Bounds for automatic retries (reads always; writes only on 429).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts including the first one (1 = no retry).
    pub max_attempts: u32,
    /// Give up retrying once this much time has passed since the first attempt.
    pub max_total_time: Duration,
    /// First backoff delay; doubled on each retry, with jitter.
    pub base_delay: Duration,
    /// Upper bound for one backoff delay (also caps `Retry-After`).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            max_total_time: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

/// Everything needed to talk to one Sendcloud account.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Panel API base without version, default `https://panel.sendcloud.sc/api`.
    pub api_base: String,
    /// Service points API base, default `https://servicepoints.sendcloud.sc/api/v2`.
    pub service_points_base: String,
    /// API keys.
    pub credentials: Credentials,
    /// Optional `Sendcloud-Partner-Id` header (official tech partners only).
    pub partner_id: Option<String>,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Whole-request timeout.
    pub request_timeout: Duration,
    /// Retry bounds.
    pub retry: RetryPolicy,
    /// Rate limits applied per account (public key). Only the first client
    /// registered for a public key decides the limits of the shared limiter.
    pub rate_limits: RateLimits,
}

impl ClientConfig {
    /// Production settings for the given keys.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            api_base: DEFAULT_API_BASE.to_string(),
            service_points_base: DEFAULT_SERVICE_POINTS_BASE.to_string(),
            credentials,
            partner_id: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            rate_limits: RateLimits::default(),
        }
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent() -> String {
        format!("sendcloud-plugin/{}", env!("CARGO_PKG_VERSION"))
    }
}
