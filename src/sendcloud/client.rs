//! Transport of the Sendcloud client: the connection pool ([`HttpPool`], one
//! per process, shared by every company's client), Basic auth, standard
//! headers, rate limiting, bounded retries with backoff and jitter, and
//! mapping of HTTP answers to [`Error`]s.
//!
//! What is per client (per company): the credentials, the partner header,
//! the request timeout, the retry policy and the account's rate limiter.
//! What is shared: the TCP/TLS connections (and the connect timeout and
//! `User-Agent` they were opened with).
//!
//! Retry rules: a 429 is retried for every method (the request was not
//! processed); 5xx, timeouts, connection errors and v3's "still processing a
//! previous request" are retried only for reads and the two POSTs that are
//! safe to repeat (bulk label URLs, which create
//! nothing, and the v3 orders upsert, keyed by `order_id`); see [`RetryMode`].
//! Creating a parcel is never retried blindly; see
//! [`SendcloudClient::create_parcel_idempotent`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use rand::Rng;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use url::Url;

use crate::sendcloud::config::ClientConfig;
use crate::sendcloud::error::{self, Error, Result};
use crate::sendcloud::limiter::{AccountLimiter, RateLimits};

/// Which failures may be retried for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryMode {
    /// Reads and repeatable POSTs: retry 429, 5xx, timeouts, connection errors.
    Safe,
    /// Writes: retry only 429 (nothing was processed).
    RateLimitOnly,
}

/// What the answer should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accept {
    Json,
    Pdf,
    /// ZPL for label printers (v3 parcel documents).
    Zpl,
}

/// A raw successful answer.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        // `\u0000` escapes would make the text unstorable (PostgreSQL).
        serde_json::from_slice(&crate::text::storable_json(&self.body))
            .map_err(|e| Error::MalformedResponse(e.to_string()))
    }
}

/// The HTTP connection pool the Sendcloud clients share. Cheap to clone (a
/// handle to the same pool). Build one per process ([`HttpPool::new`]) and
/// hand it to every client ([`SendcloudClient::with_pool`]), so that many
/// companies' clients do not each keep their own connections to Sendcloud.
#[derive(Clone)]
pub struct HttpPool {
    http: Arc<reqwest::Client>,
    /// The account limiters of the clients made through this pool, kept
    /// alive with it: the process-wide registry holds them weakly, so a
    /// service that makes a client per job (labels) would otherwise start
    /// each job with a fresh, full bucket and meet Sendcloud's 429s
    /// (`benches/labels.rs` saw 42 of them in 500 labels).
    limiters: Arc<std::sync::Mutex<std::collections::HashMap<String, Arc<AccountLimiter>>>>,
}

impl std::fmt::Debug for HttpPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpPool").finish_non_exhaustive()
    }
}

impl HttpPool {
    /// A pool with the production connect timeout (10 s).
    pub fn new() -> Result<Self> {
        Self::with_connect_timeout(Duration::from_secs(10))
    }

    /// A pool whose new connections give up after `connect_timeout`.
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(ClientConfig::user_agent())
            .connect_timeout(connect_timeout)
            .build()
            .map_err(|e| Error::InvalidRequest(format!("HTTP client setup failed: {e}")))?;
        Ok(Self {
            http: Arc::new(http),
            limiters: Default::default(),
        })
    }

    /// The account's limiter, kept alive as long as this pool.
    fn limiter_for(&self, public_key: &str, limits: RateLimits) -> Arc<AccountLimiter> {
        let mut map = match self.limiters.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.entry(public_key.to_string())
            .or_insert_with(|| AccountLimiter::for_account(public_key, limits))
            .clone()
    }

    /// Whether two handles are the same pool.
    pub fn same_as(&self, other: &HttpPool) -> bool {
        Arc::ptr_eq(&self.http, &other.http)
    }
}

struct Inner {
    pool: HttpPool,
    partner: Option<HeaderValue>,
    config: ClientConfig,
    v2: String,
    v3: String,
    service_points: String,
    auth: HeaderValue,
    limiter: Arc<AccountLimiter>,
}

/// Typed client of one Sendcloud account. Cheap to clone (shares the
/// connection pool and the account's rate limiter).
#[derive(Clone)]
pub struct SendcloudClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SendcloudClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendcloudClient")
            .field("config", &self.inner.config)
            .finish()
    }
}

fn trim_base(s: &str) -> String {
    s.trim_end_matches('/').to_string()
}

impl SendcloudClient {
    /// Builds a client with a pool of its own (tests, one-off tools) and the
    /// process-wide limiter of this account. Services use
    /// [`SendcloudClient::with_pool`].
    pub fn new(config: ClientConfig) -> Result<Self> {
        let pool = HttpPool::with_connect_timeout(config.connect_timeout)?;
        Self::with_pool(config, &pool)
    }

    /// Builds a client on a shared connection pool, with the process-wide
    /// limiter of this account. `config.connect_timeout` is the pool's
    /// business here and is not used.
    pub fn with_pool(config: ClientConfig, pool: &HttpPool) -> Result<Self> {
        let limiter = pool.limiter_for(config.credentials.public_key(), config.rate_limits);
        Self::build_client(config, pool.clone(), limiter)
    }

    /// Builds a client (with a pool of its own) sharing an explicitly given
    /// limiter.
    pub fn with_limiter(config: ClientConfig, limiter: Arc<AccountLimiter>) -> Result<Self> {
        let pool = HttpPool::with_connect_timeout(config.connect_timeout)?;
        Self::build_client(config, pool, limiter)
    }

    fn build_client(
        config: ClientConfig,
        pool: HttpPool,
        limiter: Arc<AccountLimiter>,
    ) -> Result<Self> {
        let creds = &config.credentials;
        let token = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            creds.public_key(),
            creds.secret_key()
        ));
        let mut auth = HeaderValue::from_str(&format!("Basic {token}"))
            .map_err(|_| Error::InvalidRequest("API keys contain invalid characters".into()))?;
        auth.set_sensitive(true);

        let partner = match &config.partner_id {
            Some(partner) => Some(
                HeaderValue::from_str(partner)
                    .map_err(|_| Error::InvalidRequest("invalid Sendcloud-Partner-Id".into()))?,
            ),
            None => None,
        };
        let base = trim_base(&config.api_base);
        for url in [&base, &config.service_points_base] {
            Url::parse(url)
                .map_err(|e| Error::InvalidRequest(format!("bad base URL {url}: {e}")))?;
        }
        Ok(Self {
            inner: Arc::new(Inner {
                pool,
                partner,
                v2: format!("{base}/v2"),
                v3: format!("{base}/v3"),
                service_points: trim_base(&config.service_points_base),
                config,
                auth,
                limiter,
            }),
        })
    }

    /// The settings this client was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The connection pool this client sends through.
    pub fn pool(&self) -> &HttpPool {
        &self.inner.pool
    }

    /// The account's shared rate limiter.
    pub fn limiter(&self) -> &Arc<AccountLimiter> {
        &self.inner.limiter
    }

    fn build(base: &str, path: &str, query: &[(&str, String)]) -> Result<Url> {
        let mut url = Url::parse(&format!("{base}{path}"))
            .map_err(|e| Error::InvalidRequest(format!("bad URL {path}: {e}")))?;
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    pub(crate) fn v2_url(&self, path: &str, query: &[(&str, String)]) -> Result<Url> {
        Self::build(&self.inner.v2, path, query)
    }

    pub(crate) fn v3_url(&self, path: &str, query: &[(&str, String)]) -> Result<Url> {
        Self::build(&self.inner.v3, path, query)
    }

    pub(crate) fn service_points_url(&self, path: &str, query: &[(&str, String)]) -> Result<Url> {
        Self::build(&self.inner.service_points, path, query)
    }

    /// Checks that an absolute URL returned by the API points at the
    /// configured Sendcloud host, so credentials are never sent elsewhere.
    pub(crate) fn trusted_url(&self, raw: &str) -> Result<Url> {
        let url = Url::parse(raw).map_err(|e| Error::InvalidRequest(format!("bad URL: {e}")))?;
        let same_origin = |base: &str| {
            Url::parse(base)
                .map(|b| b.origin() == url.origin())
                .unwrap_or(false)
        };
        if same_origin(&self.inner.v2) || same_origin(&self.inner.service_points) {
            Ok(url)
        } else {
            Err(Error::InvalidRequest(format!(
                "refusing to send credentials to foreign host {}",
                url.host_str().unwrap_or("?")
            )))
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let policy = &self.inner.config.retry;
        let exp = policy
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let capped = exp.min(policy.max_delay);
        let nanos = u64::try_from(capped.as_nanos()).unwrap_or(u64::MAX);
        let jittered = rand::thread_rng().gen_range(nanos / 2..=nanos.max(1));
        Duration::from_nanos(jittered)
    }

    /// Sends one logical request with limiter, retries and error mapping.
    pub(crate) async fn execute(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
        accept: Accept,
        mode: RetryMode,
    ) -> Result<RawResponse> {
        self.execute_accepting(method, url, body, accept, mode, &[])
            .await
    }

    /// Like [`Self::execute`], but statuses in `also_ok` count as answers
    /// (returned raw instead of mapped to errors; they are never retried).
    pub(crate) async fn execute_accepting(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
        accept: Accept,
        mode: RetryMode,
        also_ok: &[u16],
    ) -> Result<RawResponse> {
        let policy = self.inner.config.retry.clone();
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let is_read = method == Method::GET || method == Method::HEAD;
        loop {
            attempt += 1;
            if is_read {
                self.inner.limiter.until_read_ready().await;
            } else {
                self.inner.limiter.until_write_ready().await;
            }
            let mut req = self
                .inner
                .pool
                .http
                .request(method.clone(), url.clone())
                .timeout(self.inner.config.request_timeout)
                .header(header::AUTHORIZATION, self.inner.auth.clone())
                .header(
                    header::ACCEPT,
                    match accept {
                        Accept::Json => "application/json",
                        Accept::Pdf => "application/pdf",
                        Accept::Zpl => "application/zpl",
                    },
                );
            if let Some(partner) = &self.inner.partner {
                req = req.header("Sendcloud-Partner-Id", partner.clone());
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            tracing::debug!(method = %method, path = url.path(), attempt, "sendcloud request");
            let outcome = match req.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    match resp.bytes().await {
                        Ok(b) => Ok((status, headers, b.to_vec())),
                        Err(e) => Err(Error::from_reqwest(e)),
                    }
                }
                Err(e) => Err(Error::from_reqwest(e)),
            };
            let (err, retry_after, retryable) = match outcome {
                Ok((status, headers, body))
                    if (200..300).contains(&status) || also_ok.contains(&status) =>
                {
                    return Ok(RawResponse {
                        status,
                        headers,
                        body,
                    });
                }
                Ok((status, headers, body)) => {
                    let retry_after = headers
                        .get(header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    tracing::debug!(status, path = url.path(), "sendcloud error answer");
                    if status == 429 && !is_read {
                        self.inner.limiter.refund_write();
                    }
                    let err = error::from_status(status, &body, retry_after);
                    let retryable = status == 429
                        || (mode == RetryMode::Safe
                            && ((500..600).contains(&status) || err.is_still_processing()));
                    (err, retry_after, retryable)
                }
                Err(e) => {
                    let retryable = mode == RetryMode::Safe
                        && matches!(e, Error::Timeout | Error::Connection(_));
                    tracing::debug!(error = %e, path = url.path(), "sendcloud transport error");
                    (e, None, retryable)
                }
            };
            if !retryable || attempt >= policy.max_attempts {
                return Err(err);
            }
            let delay = match retry_after {
                Some(d) => {
                    let d = d.min(policy.max_delay);
                    self.inner.limiter.pause_for(d);
                    d
                }
                None => self.backoff(attempt),
            };
            if started.elapsed() + delay > policy.max_total_time {
                return Err(err);
            }
            tracing::info!(attempt, delay_ms = delay.as_millis() as u64, error = %err, "retrying sendcloud request");
            tokio::time::sleep(delay).await;
        }
    }

    pub(crate) async fn get_json<T: DeserializeOwned>(&self, url: Url) -> Result<T> {
        self.execute(Method::GET, url, None, Accept::Json, RetryMode::Safe)
            .await?
            .json()
    }

    pub(crate) async fn send_json<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: &B,
        mode: RetryMode,
    ) -> Result<T> {
        let value = serde_json::to_value(body)
            .map_err(|e| Error::InvalidRequest(format!("could not encode request: {e}")))?;
        self.execute(method, url, Some(&value), Accept::Json, mode)
            .await?
            .json()
    }

    pub(crate) async fn get_pdf(&self, url: Url) -> Result<Vec<u8>> {
        let resp = self
            .execute(Method::GET, url, None, Accept::Pdf, RetryMode::Safe)
            .await?;
        Ok(resp.body)
    }
}
