//! A local, stateful Sendcloud stand-in server for tests, demos and benchmarks.
//!
//! It speaks the documented Sendcloud API (v2 under `/api/v2`, the v3 Orders API under
//! `/api/v3`), authenticates with an integration's public/secret key (Basic auth), keeps state
//! per account, pages with cursors, enforces the documented rate limits, advances parcel
//! statuses over time, sends signed webhooks, serves label PDFs and implements the
//! "Sendcloud Connect" page. A JSON control API under `/_standin/` creates accounts, seeds large
//! data sets, injects faults, advances statuses and exposes the request log.
//!
//! Start it with [`spawn`] (tests; returns a [`StandinHandle`]) or [`run`] (CLI; serves until
//! Ctrl-C).
//!
//! ```text
//! let h = standin::spawn(StandinConfig::default()).await?;      // demo account seeded
//! let keys = h.standin().demo_keys().unwrap();                  // Basic auth public/secret
//! let client_base = h.api_url();                                // http://127.0.0.1:PORT/api
//! h.standin().seed(keys.account_id, SeedSpec { parcels: 100_000, ..Default::default() });
//! h.standin().advance_statuses(None, None, 1).await;           // 1000 → 3 → 91 → 11
//! h.standin().set_faults(Faults { fail_next: 2, ..Default::default() });
//! h.stop().await;
//! ```
//!
//! Files: `state.rs` (data model, demo and bulk seeding), `v2/` (panel API v2, one file per
//! resource), `servicepoints.rs`, `v3.rs` (orders), `connect.rs` (connect page),
//! `webhooks.rs` (signing, delivery), `faults.rs` (auth, rate limits, faults, request log),
//! `control.rs` (`/_standin/`), `pdf.rs` (label PDFs).
//!
//! The crate is self-contained (it does not depend on `sendcloud-plugin`): the plugin's
//! binary uses it for its demo and its `standin` subcommand, the plugin's tests and
//! benchmarks as their Sendcloud.

mod connect;
mod control;
mod faults;
mod pdf;
mod servicepoints;
mod state;
mod v2;
mod v3;
mod webhooks;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use actix_web::{
    http::StatusCode, middleware, web, App, HttpMessage as _, HttpRequest, HttpResponse, HttpServer,
};
use serde_json::{json, Value};

pub use faults::{Faults, RateLimitConfig, RequestLogEntry};
pub use pdf::{build as build_pdf, PageSize};
pub use state::{
    status_message, Account, AccountKeys, Integration, Invoice, Parcel, SeedSpec, SenderAddress,
    ShippingMethod, State, PARCEL_STATUSES,
};
pub use v3::addresses::status_code;
pub use v3::announce::option_needs_email;
pub use v3::shipping_options::{method_of_option, option_code};
pub use webhooks::{python_json, sign as sign_webhook, Delivery};

/// Configuration of a stand-in server.
#[derive(Debug, Clone)]
pub struct StandinConfig {
    /// Address to bind, e.g. `"127.0.0.1:0"` (any free port).
    pub bind: String,
    /// How often announced parcels advance one status (1000 → 3 → 91 → 11); `None` = never
    /// on their own (use the control API).
    pub status_step: Option<Duration>,
    /// Page size of cursor-paged v2 lists (parcels, returns, brands).
    pub page_size: usize,
    /// Enforce the documented per-account rate limits (429 with an empty body).
    pub rate_limits: bool,
    /// The limits used when `rate_limits` is on.
    pub limits: RateLimitConfig,
    /// Create the demo account ([`State::seed_demo_account`]) at start.
    pub seed_demo: bool,
    /// Public base URL used in generated links, when it differs from the bound address.
    pub public_url: Option<String>,
}

impl Default for StandinConfig {
    fn default() -> Self {
        StandinConfig {
            bind: "127.0.0.1:0".to_string(),
            status_step: None,
            page_size: 50,
            rate_limits: true,
            limits: RateLimitConfig::default(),
            seed_demo: true,
            public_url: None,
        }
    }
}

/// Shared server state: the in-memory data plus faults, rate limiter and logs.
pub(crate) struct Inner {
    pub(crate) config: StandinConfig,
    pub(crate) base_url: String,
    pub(crate) state: Mutex<State>,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) log: Mutex<VecDeque<RequestLogEntry>>,
    pub(crate) limiter: Mutex<HashMap<u64, faults::Windows>>,
    pub(crate) deliveries: Mutex<Vec<Delivery>>,
    pub(crate) http: reqwest::Client,
}

/// Cloneable access to a running stand-in's state and control functions.
#[derive(Clone)]
pub struct Standin(pub(crate) Arc<Inner>);

/// Locks a mutex, recovering from poisoning (a panicked holder cannot corrupt plain data here).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Standin {
    fn new(config: StandinConfig, base_url: String) -> Standin {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap_or_default();
        let mut state = State::default();
        if config.seed_demo {
            state.seed_demo_account();
        }
        Standin(Arc::new(Inner {
            config,
            base_url,
            state: Mutex::new(state),
            faults: Mutex::new(Faults::default()),
            log: Mutex::new(VecDeque::new()),
            limiter: Mutex::new(HashMap::new()),
            deliveries: Mutex::new(Vec::new()),
            http,
        }))
    }

    /// Base URL of the server, e.g. `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.0.base_url
    }

    /// Direct access to the state (keep the guard short; requests wait for it).
    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.0.state)
    }

    /// Creates an account with one API integration (no sender address yet).
    pub fn create_account(&self, name: &str) -> AccountKeys {
        self.state().create_account(name)
    }

    /// Creates a fresh demo account (German/Dutch/Austrian sender addresses) and makes it the
    /// account of the connect page.
    pub fn seed_demo_account(&self) -> AccountKeys {
        self.state().seed_demo_account()
    }

    /// Keys of the demo account's first integration, if there is a demo account.
    pub fn demo_keys(&self) -> Option<AccountKeys> {
        let s = self.state();
        let id = s.demo_account?;
        let i = s.accounts.get(&id)?.integrations.values().next()?;
        Some(AccountKeys {
            account_id: id,
            integration_id: i.id,
            public_key: i.public_key.clone(),
            secret_key: i.secret_key.clone(),
        })
    }

    /// Loads a bulk data set into an account in memory. `false` if the account is unknown.
    pub fn seed(&self, account_id: u64, spec: SeedSpec) -> bool {
        self.state().seed_bulk(account_id, spec)
    }

    /// The entries written to the account's integration logs (`POST
    /// /v3/integrations/{id}/logs`), oldest first; empty for an unknown account.
    pub fn integration_logs(&self, account_id: u64) -> Vec<Value> {
        self.state()
            .accounts
            .get(&account_id)
            .map(|a| a.integration_logs.clone())
            .unwrap_or_default()
    }

    /// Current fault settings.
    pub fn faults(&self) -> Faults {
        lock(&self.0.faults).clone()
    }

    /// Replaces the fault settings.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.0.faults) = faults;
    }

    /// The request log (oldest first, bounded).
    pub fn requests(&self) -> Vec<RequestLogEntry> {
        lock(&self.0.log).iter().cloned().collect()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.0.log).clear();
    }

    /// Webhooks sent so far (oldest first).
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        lock(&self.0.deliveries).clone()
    }
}

/// A running stand-in, returned by [`spawn`].
pub struct StandinHandle {
    standin: Standin,
    server: actix_web::dev::ServerHandle,
    ticker: Option<tokio::task::JoinHandle<()>>,
    done: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl StandinHandle {
    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> &str {
        self.standin.base_url()
    }

    /// `http://127.0.0.1:PORT/api` (v2 = `/api/v2`, v3 = `/api/v3`).
    pub fn api_url(&self) -> String {
        format!("{}/api", self.standin.base_url())
    }

    /// `http://127.0.0.1:PORT/api/v2`
    pub fn v2_url(&self) -> String {
        format!("{}/api/v2", self.standin.base_url())
    }

    /// `http://127.0.0.1:PORT/api/v3`
    pub fn v3_url(&self) -> String {
        format!("{}/api/v3", self.standin.base_url())
    }

    /// State and control functions.
    pub fn standin(&self) -> &Standin {
        &self.standin
    }

    /// Stops the server (gracefully) and the status ticker.
    pub async fn stop(mut self) {
        if let Some(t) = self.ticker.take() {
            t.abort();
        }
        self.server.stop(true).await;
        if let Some(d) = self.done.take() {
            let _ = d.await;
        }
    }
}

impl Drop for StandinHandle {
    /// A handle dropped without [`StandinHandle::stop`] still shuts the server down.
    fn drop(&mut self) {
        if let Some(t) = self.ticker.take() {
            t.abort();
        }
        // The stop command is sent synchronously; the completion future is not needed.
        drop(self.server.stop(false));
    }
}

/// Starts the stand-in on a background task and returns its handle.
pub async fn spawn(config: StandinConfig) -> std::io::Result<StandinHandle> {
    let listener = std::net::TcpListener::bind(&config.bind)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let base_url = config
        .public_url
        .clone()
        .map(|u| u.trim_end_matches('/').to_string())
        .unwrap_or_else(|| {
            // Links must be usable: a wildcard bind is reached through localhost.
            let mut a = addr;
            if a.ip().is_unspecified() {
                a.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            format!("http://{a}")
        });
    let standin = Standin::new(config.clone(), base_url);
    let data = web::Data::new(standin.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(32 * 1024 * 1024))
            .wrap(middleware::from_fn(faults::middleware))
            .configure(configure)
    })
    .workers(2)
    .disable_signals()
    .shutdown_timeout(1)
    .listen(listener)?
    .run();
    let handle = server.handle();
    let done = tokio::spawn(server);
    let ticker = config.status_step.map(|step| {
        let s = standin.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(step.max(Duration::from_millis(10)));
            interval.tick().await;
            loop {
                interval.tick().await;
                let jobs = s.advance_collect(None, None, 1).1;
                s.send_webhooks(jobs).await;
            }
        })
    });
    Ok(StandinHandle {
        standin,
        server: handle,
        ticker,
        done: Some(done),
    })
}

/// Serves until Ctrl-C. Prints the base URL and the demo account's keys.
pub async fn run(config: StandinConfig) -> std::io::Result<()> {
    let handle = spawn(config).await?;
    println!("Sendcloud stand-in listening on {}", handle.base_url());
    println!("API base: {}", handle.api_url());
    if let Some(k) = handle.standin().demo_keys() {
        println!(
            "Demo account {}: public key {} secret key {}",
            k.account_id, k.public_key, k.secret_key
        );
    }
    tokio::signal::ctrl_c().await?;
    handle.stop().await;
    Ok(())
}

fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v2")
            .configure(v2::configure)
            .configure(servicepoints::configure),
    )
    .service(web::scope("/api/v3").configure(v3::configure))
    .service(web::scope("/_standin").configure(control::configure))
    .configure(connect::configure)
    .default_service(web::to(not_found));
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/v3") {
        v3_error(StatusCode::NOT_FOUND, "not_found", "Not found.", None)
    } else {
        v2_error(&req, StatusCode::NOT_FOUND, "Not found.")
    }
}

/// The v2 error body `{"error":{"code":N,"request":"api/v2/...","message":"..."}}`.
pub(crate) fn v2_error(req: &HttpRequest, status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({
        "error": {
            "code": status.as_u16(),
            "request": req.path().trim_start_matches('/'),
            "message": message,
        }
    }))
}

/// The v3 (JSON:API style) error body with one error object.
pub(crate) fn v3_error(
    status: StatusCode,
    code: &str,
    detail: &str,
    pointer: Option<&str>,
) -> HttpResponse {
    let mut e = json!({"status": status.as_u16().to_string(), "code": code, "detail": detail});
    if let Some(p) = pointer {
        e["source"] = json!({"pointer": p});
    }
    HttpResponse::build(status).json(json!({"errors": [e]}))
}

/// Query parameters of a request (last value wins).
pub(crate) fn query(req: &HttpRequest) -> HashMap<String, String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect()
}

/// The account and integration selected by Basic auth (set by the middleware).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuthCtx {
    pub(crate) account: u64,
    pub(crate) integration: u64,
}

/// Reads the [`AuthCtx`] the middleware stored on the request.
pub(crate) fn auth(req: &HttpRequest) -> Option<AuthCtx> {
    req.extensions().get::<AuthCtx>().copied()
}
