//! sendcloud-plugin: ship a retail back office's goods deliveries through
//! Sendcloud.
//!
//! Data flows one way: `web` → services → {`sendcloud` client, `db`, `host`}.
//! See `docs/ARCHITECTURE.md` for the modules and the decisions behind them.

pub mod account;
pub mod actionlog;
pub mod config;
pub mod context;
pub mod crypto;
pub mod db;
pub mod host;
pub mod hostevents;
/// The translations (the file lives beside the admin UI's handlers; the
/// module is top-level so that services such as `notify` render text
/// without depending on `web`).
#[path = "web/i18n.rs"]
pub mod i18n;
pub mod idempotency;
pub mod integrations;
pub mod jobs;
pub mod labels;
pub mod notify;
pub mod orders;
pub mod prefs;
pub mod problem;
pub mod reports;
pub mod sendcloud;
pub mod settings;
pub mod shipping_options;
pub mod sync;
pub mod text;
pub mod tracking;
pub mod users;
pub mod warehouses;
pub mod web;
pub mod webhooks;
pub mod worker;
