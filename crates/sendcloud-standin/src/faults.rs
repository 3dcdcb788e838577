//! The request pipeline in front of every handler: request log, injected faults (latency, 5xx,
//! 429 storms (endless or the next N requests), dropped connections before or after
//! processing; random shares or the next N requests; optionally limited to a path prefix and
//! method), Basic authentication of `/api/...` requests and the per-account rate limits
//! (API-NOTES §1.7: 1000 reads/min, 100 writes/min with a burst of 15 writes/s; 429 with an
//! empty body and `Retry-After`).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use base64::Engine as _;
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{lock, v2_error, AuthCtx, Standin};

/// Injected faults; they apply to `/api/...` requests only, never to the control API.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Faults {
    /// Added latency per request, in milliseconds.
    pub latency_ms: u64,
    /// Share (0.0..=1.0) of requests answered with a 5xx (500/502/503 rotating).
    pub error_rate: f64,
    /// Answer every request with 429 (empty body, `Retry-After: 1`).
    pub rate_limit_storm: bool,
    /// Share (0.0..=1.0) of requests whose connection is closed without a response.
    pub drop_rate: f64,
    /// With `drop_rate`: the request is processed first, then the response is lost.
    pub drop_after_processing: bool,
    /// The next N affected requests are answered with 503 (deterministic; counts down).
    pub fail_next: u32,
    /// The next N affected requests pass untouched before the deterministic faults
    /// (`rate_limit_next`, `fail_next`, `drop_after_next`) start counting: "fail the
    /// third page" is `pass_first: 2, fail_next: 1`.
    pub pass_first: u32,
    /// The next N affected requests are answered with 429 (empty body, `Retry-After: 1`;
    /// deterministic; counts down). A storm that ends by itself.
    pub rate_limit_next: u32,
    /// The next N affected requests are processed, then their connection is dropped
    /// (deterministic; counts down). Models "created, but the response was lost".
    pub drop_after_next: u32,
    /// The next N affected requests are answered, unprocessed, with Sendcloud's v3 400
    /// "We are still processing a previous request" (what `POST /v3/orders` answers
    /// while another request for the same order runs; deterministic; counts down).
    pub still_processing_next: u32,
    /// Only requests whose path starts with this prefix are affected, e.g. `/api/v2/parcels`.
    pub path_prefix: Option<String>,
    /// Only requests with this method are affected, e.g. `POST`.
    pub method: Option<String>,
}

/// Per-account limits; the defaults are Sendcloud's documented ones.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct RateLimitConfig {
    pub reads_per_minute: usize,
    pub writes_per_minute: usize,
    pub writes_per_second: usize,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            reads_per_minute: 1000,
            writes_per_minute: 100,
            writes_per_second: 15,
        }
    }
}

/// One entry of the request log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RequestLogEntry {
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    /// Account selected by Basic auth, if any.
    pub account_id: Option<u64>,
}

const LOG_CAPACITY: usize = 10_000;

/// Sliding one-minute windows of request instants for one account.
#[derive(Debug, Default)]
pub(crate) struct Windows {
    reads: VecDeque<Instant>,
    writes: VecDeque<Instant>,
}

impl Windows {
    /// Counts the request, or returns the seconds to wait.
    fn check(&mut self, write: bool, now: Instant, cfg: &RateLimitConfig) -> Result<(), u64> {
        let minute = Duration::from_secs(60);
        for q in [&mut self.reads, &mut self.writes] {
            while q.front().is_some_and(|t| now.duration_since(*t) >= minute) {
                q.pop_front();
            }
        }
        let wait = |since: Instant, window: Duration| -> u64 {
            let left = window.saturating_sub(now.duration_since(since));
            left.as_secs() + u64::from(left.subsec_nanos() > 0)
        };
        if write {
            if self.writes.len() >= cfg.writes_per_minute {
                return Err(self.writes.front().map_or(60, |t| wait(*t, minute)).max(1));
            }
            let second = Duration::from_secs(1);
            let recent = self
                .writes
                .iter()
                .rev()
                .take_while(|t| now.duration_since(**t) < second)
                .count();
            if recent >= cfg.writes_per_second {
                return Err(1);
            }
            self.writes.push_back(now);
        } else {
            if self.reads.len() >= cfg.reads_per_minute {
                return Err(self.reads.front().map_or(60, |t| wait(*t, minute)).max(1));
            }
            self.reads.push_back(now);
        }
        Ok(())
    }
}

fn too_many(retry_after: u64) -> HttpResponse {
    HttpResponse::TooManyRequests()
        .insert_header(("Retry-After", retry_after.to_string()))
        .finish()
}

/// Parses `Authorization: Basic base64(public:secret)`.
fn basic_credentials(req: &ServiceRequest) -> Option<(String, String)> {
    let header = req.headers().get("Authorization")?.to_str().ok()?;
    let (scheme, value) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_string(), pass.to_string()))
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.trim().split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A response whose body stream fails at once: the server closes the connection without a
/// complete response.
fn dropped() -> HttpResponse {
    let stream = futures_util::stream::once(async {
        Err::<web::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "stand-in fault: dropped connection",
        ))
    });
    HttpResponse::Ok()
        .content_type("application/json")
        .streaming(stream)
}

/// What the pipeline decided for a request.
enum Outcome {
    /// Run the handler; drop the connection afterwards when the flag is set.
    Proceed(AuthCtx, bool),
    /// Answer with this response (error, 401, 429, injected fault).
    Respond(HttpResponse, Option<u64>),
    /// Close the connection without a response.
    Drop,
}

/// The middleware: see the module documentation.
pub(crate) async fn middleware(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(standin) = req
        .app_data::<web::Data<Standin>>()
        .map(|d| d.get_ref().clone())
    else {
        return next.call(req).await;
    };
    let method = req.method().to_string();
    let path = req.path().to_string();
    let query = req.query_string().to_string();
    let mut account_id = None;
    let mut dropped_connection = false;
    let res = if path.starts_with("/api/") {
        match guard(&standin, &req).await {
            Outcome::Proceed(ctx, drop_after) => {
                account_id = Some(ctx.account);
                req.extensions_mut().insert(ctx);
                let res = next.call(req).await?;
                if drop_after {
                    dropped_connection = true;
                    let (req, _) = res.into_parts();
                    ServiceResponse::new(req, dropped())
                } else {
                    res
                }
            }
            Outcome::Respond(resp, acc) => {
                account_id = acc;
                req.into_response(resp)
            }
            Outcome::Drop => {
                dropped_connection = true;
                req.into_response(dropped())
            }
        }
    } else {
        next.call(req).await?
    };
    let entry = RequestLogEntry {
        method,
        path,
        query,
        // 0 = connection dropped without a response.
        status: if dropped_connection {
            0
        } else {
            res.status().as_u16()
        },
        account_id,
    };
    let mut log = lock(&standin.0.log);
    if log.len() >= LOG_CAPACITY {
        log.pop_front();
    }
    log.push_back(entry);
    drop(log);
    Ok(res)
}

/// The injected fault for one request.
enum Fault {
    None,
    Respond(HttpResponse),
    DropNow,
    DropAfter,
}

async fn injected_fault(standin: &Standin, req: &ServiceRequest) -> Fault {
    let (latency, decision) = {
        let mut f = lock(&standin.0.faults);
        let in_scope = f
            .path_prefix
            .as_ref()
            .is_none_or(|p| req.path().starts_with(p.as_str()))
            && f.method
                .as_ref()
                .is_none_or(|m| req.method().as_str().eq_ignore_ascii_case(m));
        if !in_scope {
            return Fault::None;
        }
        let (drop_roll, error_roll, which): (f64, f64, usize) = {
            let mut rng = rand::thread_rng();
            (rng.gen(), rng.gen(), rng.gen_range(0..3))
        };
        let deterministic = f.rate_limit_next > 0
            || f.fail_next > 0
            || f.drop_after_next > 0
            || f.still_processing_next > 0;
        let decision = if f.rate_limit_storm {
            Fault::Respond(too_many(1))
        } else if deterministic && f.pass_first > 0 {
            f.pass_first -= 1;
            Fault::None
        } else if f.rate_limit_next > 0 {
            f.rate_limit_next -= 1;
            Fault::Respond(too_many(1))
        } else if f.fail_next > 0 {
            f.fail_next -= 1;
            Fault::Respond(v2_error(
                req.request(),
                StatusCode::SERVICE_UNAVAILABLE,
                "Service Unavailable",
            ))
        } else if f.still_processing_next > 0 {
            f.still_processing_next -= 1;
            Fault::Respond(super::v3_error(
                StatusCode::BAD_REQUEST,
                "invalid",
                "We are still processing a previous request. Please try again in a moment.",
                Some("/data"),
            ))
        } else if f.drop_after_next > 0 {
            f.drop_after_next -= 1;
            Fault::DropAfter
        } else if f.drop_rate > 0.0 && drop_roll < f.drop_rate {
            if f.drop_after_processing {
                Fault::DropAfter
            } else {
                Fault::DropNow
            }
        } else if f.error_rate > 0.0 && error_roll < f.error_rate {
            let status = [
                StatusCode::INTERNAL_SERVER_ERROR,
                StatusCode::BAD_GATEWAY,
                StatusCode::SERVICE_UNAVAILABLE,
            ][which];
            let msg = status.canonical_reason().unwrap_or("Server error");
            Fault::Respond(v2_error(req.request(), status, msg))
        } else {
            Fault::None
        };
        (f.latency_ms, decision)
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    decision
}

/// Faults, authentication and rate limiting for one API request.
async fn guard(standin: &Standin, req: &ServiceRequest) -> Outcome {
    let drop_after = match injected_fault(standin, req).await {
        Fault::None => false,
        Fault::Respond(r) => return Outcome::Respond(r, None),
        Fault::DropNow => return Outcome::Drop,
        Fault::DropAfter => true,
    };
    let found = match basic_credentials(req) {
        Some((user, pass)) => lock(&standin.0.state).authenticate(&user, &pass),
        // The service points API also accepts `access_token=<public key>`.
        None if req.path().starts_with("/api/v2/service-points")
            || req.path().starts_with("/api/v2/carriers") =>
        {
            let token = url::form_urlencoded::parse(req.query_string().as_bytes())
                .find(|(k, _)| k == "access_token")
                .map(|(_, v)| v.into_owned());
            token.and_then(|t| lock(&standin.0.state).keys.get(&t).copied())
        }
        None => None,
    };
    let Some((account, integration)) = found else {
        let resp = if req.path().starts_with("/api/v3") {
            super::v3_error(
                StatusCode::UNAUTHORIZED,
                "authentication_failed",
                "Invalid username/password.",
                None,
            )
        } else {
            v2_error(
                req.request(),
                StatusCode::UNAUTHORIZED,
                "Invalid username/password.",
            )
        };
        let mut resp = resp;
        resp.headers_mut().insert(
            actix_web::http::header::WWW_AUTHENTICATE,
            actix_web::http::header::HeaderValue::from_static("Basic realm=\"api\""),
        );
        return Outcome::Respond(resp, None);
    };
    if let Some(partner) = req.headers().get("Sendcloud-Partner-Id") {
        let valid = partner.to_str().is_ok_and(is_uuid);
        if !valid {
            let msg = "Sendcloud-Partner-Id: \"Must be a valid UUID.\"";
            let resp = if req.path().starts_with("/api/v3") {
                super::v3_error(StatusCode::BAD_REQUEST, "invalid", msg, None)
            } else {
                v2_error(req.request(), StatusCode::BAD_REQUEST, msg)
            };
            return Outcome::Respond(resp, Some(account));
        }
    }
    if standin.0.config.rate_limits {
        let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let cfg = standin.0.config.limits;
        let mut limiter = lock(&standin.0.limiter);
        if let Err(wait) = limiter
            .entry(account)
            .or_default()
            .check(write, Instant::now(), &cfg)
        {
            return Outcome::Respond(too_many(wait), Some(account));
        }
    }
    Outcome::Proceed(
        AuthCtx {
            account,
            integration,
        },
        drop_after,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_and_minute_windows() {
        let cfg = RateLimitConfig::default();
        let mut w = Windows::default();
        let t0 = Instant::now();
        for _ in 0..15 {
            assert!(w.check(true, t0, &cfg).is_ok());
        }
        assert_eq!(w.check(true, t0, &cfg), Err(1));
        // Reads are counted separately.
        assert!(w.check(false, t0, &cfg).is_ok());
        // A second later the burst allows more, until 100 per minute.
        let mut t = t0;
        let mut ok = 15;
        for _ in 0..20 {
            t += Duration::from_millis(1001);
            while w.check(true, t, &cfg).is_ok() {
                ok += 1;
            }
        }
        assert_eq!(ok, 100);
        assert!(w.check(true, t, &cfg).unwrap_err() >= 1);
        assert!(w.check(true, t0 + Duration::from_secs(61), &cfg).is_ok());
    }
}
