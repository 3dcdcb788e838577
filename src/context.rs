//! What the services (sync, orders, integrations, jobs) need to work: the
//! database, the configuration, the key for secrets and the host interface.
//! The web layer holds one; jobs get one; tests build one.

use std::sync::Arc;

use crate::config::Config;
use crate::crypto::SecretBox;
use crate::db::Db;
use crate::host::Host;

#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub config: Arc<Config>,
    pub secrets: SecretBox,
    pub host: Arc<dyn Host>,
}
