//! The integration tests: one test binary, one module per area.
//!
//! Database tests run on SQLite and on PostgreSQL (`db_test!`). Without a
//! reachable PostgreSQL the PostgreSQL half says SKIPPED and returns, unless
//! `SENDCLOUD_TEST_REQUIRE_POSTGRES=1` (set by `.ci/run`), which makes it fail.
//! Browser tests behave the same with `SENDCLOUD_TEST_REQUIRE_BROWSER=1`.

#[macro_use]
mod common;

mod abgleich;
mod api;
mod browser;
mod browser_labels;
mod browser_reports;
mod browser_settings;
mod browser_ui;
mod cli;
mod client_standin;
mod config;
mod conformance;
mod db;
mod faults;
mod hardening;
mod host_events;
mod incremental;
mod jobs;
mod labels;
mod labels_integration_log;
mod labels_notify;
mod labels_print;
mod ops;
mod orders;
mod reports;
mod sendcloud_client;
mod settings;
mod setup;
mod snapshots;
mod structure;
mod ui;
mod warehouses;
mod web;
mod webhooks;
