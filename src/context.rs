//! What the services (sync, orders, integrations, jobs) need to work: the
//! database, the configuration, the key for secrets, the host interface and
//! the HTTP connection pool every company's Sendcloud client shares.
//! The web layer holds one; jobs get one; tests build one.

use std::sync::Arc;

use crate::config::Config;
use crate::crypto::SecretBox;
use crate::db::Db;
use crate::host::Host;
use crate::sendcloud::HttpPool;

#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub config: Arc<Config>,
    pub secrets: SecretBox,
    pub host: Arc<dyn Host>,
    /// One pool for all companies' Sendcloud clients (each keeps its own
    /// keys and rate limiter); see `integrations::client_for`.
    pub sendcloud_http: HttpPool,
}
