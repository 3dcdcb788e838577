//! Benchmark (not a timed test): webhook ingestion (DESIGN §11).
//!
//! Run with `cargo bench --bench webhook_ingest` (release build; `harness = false`).
//!
//! The whole module is served on 127.0.0.1 over a fresh database (SQLite in a
//! temp dir, and PostgreSQL at `SENDCLOUD_TEST_POSTGRES_URL` or
//! `postgres://postgres@127.0.0.1:5432/test` when it answers). One company is
//! connected through the credentials webhook; then C concurrent clients post
//! N distinct signed `parcel_status_changed` events, each sent twice (the
//! second delivery is a duplicate, as when Sendcloud retries). Reported:
//! verified events per second, p50/p99 latency of a delivery, and whether
//! the inbox holds exactly N events afterwards (nothing lost, nothing doubled).
//!
//! Environment: `BENCH_EVENTS` (default 5000), `BENCH_CLIENTS` (default 8).

use std::time::{Duration, Instant};

use diesel::prelude::*;
use sendcloud_plugin::db::schema::sendcloud_webhook_inbox as wi;
use sendcloud_plugin::db::schema::{companies, sendcloud_integrations as si};
use sendcloud_plugin::integrations::{begin_connect, webhook_url};
use sendcloud_plugin::web::AppState;
use sendcloud_plugin::webhooks::{handle_webhook, signature};

#[path = "common.rs"]
mod common;

const SECRET: &str = "sk-bench";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The module served on a random port over `db_url`, with one company
/// connected; returns the app state and the company's webhook URL.
async fn serve_connected(db_url: &str) -> (AppState, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let bind = listener.local_addr().expect("addr").to_string();
    let state = common::app_state(db_url, &bind, None).await;
    let secrets = state.secrets.clone();
    let ctx = state.ctx();
    let hook = state
        .db
        .run(move |c| {
            let company: i64 = companies::table.select(companies::id).first(c)?;
            begin_connect(&ctx, c, company, "Bench")?;
            let token: String = si::table
                .filter(si::company_id.eq(company))
                .select(si::webhook_token)
                .first(c)?;
            let body = format!(
                r#"{{"action": "integration_credentials", "public_key": "pk-bench", "secret_key": "{SECRET}", "integration_id": 1}}"#
            );
            let now = chrono::Utc::now().naive_utc();
            let sig = signature(SECRET, body.as_bytes());
            handle_webhook(c, &secrets, company, &token, Some(&sig), body.as_bytes(), now)
                .expect("connected");
            Ok(webhook_url(&ctx, company, &token))
        })
        .await
        .expect("connect");
    let server = sendcloud_plugin::web::serve(state.clone(), listener)
        .await
        .expect("server");
    tokio::spawn(server);
    (state, hook)
}

fn event(i: usize) -> String {
    format!(
        r#"{{"action": "parcel_status_changed", "timestamp": {}, "carrier_status_change_timestamp": null, "parcel": {{"id": {}, "tracking_number": "3SBENCH{i:07}", "status": {{"id": 3, "message": "En route to sorting center"}}, "order_number": "A-{i}"}}}}"#,
        1_764_000_000_000u64 + i as u64,
        100_000 + i
    )
}

async fn run(label: &str, db_url: &str, events: usize, clients: usize) {
    let (state, hook) = serve_connected(db_url).await;
    let http = reqwest::Client::new();
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let http = http.clone();
            let hook = hook.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0usize;
                for i in (c..events).step_by(clients) {
                    let body = event(i);
                    let sig = signature(SECRET, body.as_bytes());
                    // Each event twice: the second delivery is a duplicate.
                    for _ in 0..2 {
                        let t = Instant::now();
                        let res = http
                            .post(&hook)
                            .header("Sendcloud-Signature", &sig)
                            .body(body.clone())
                            .send()
                            .await;
                        latencies.push(t.elapsed());
                        if !res.is_ok_and(|r| r.status().is_success()) {
                            errors += 1;
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("client");
        latencies.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let stored: i64 = state
        .db
        .run(|c| Ok(wi::table.count().get_result(c)?))
        .await
        .expect("count");
    let deliveries = latencies.len();
    let (groups, grouped) = state.webhook_targets.groups_written();
    if groups > 0 {
        println!(
            "{label}: {grouped} receipts stored by {groups} statements ({:.1} per statement)",
            grouped as f64 / groups as f64
        );
    }
    println!(
        "{label}: {events} events × 2 deliveries = {deliveries} requests in {:.2} s = {:.0} deliveries/s \
         ({:.0} new events/s); p50 {:.1} ms, p99 {:.1} ms; errors {errors}; inbox {stored} rows \
         (expected {events}: {})",
        elapsed.as_secs_f64(),
        deliveries as f64 / elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        if stored as usize == events { "nothing lost, nothing doubled" } else { "MISMATCH" },
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let events = env_usize("BENCH_EVENTS", 5000).max(1);
    let clients = env_usize("BENCH_CLIENTS", 8).max(1);
    println!("webhook ingestion: {events} events, {clients} concurrent clients");
    for db in common::databases("hooks") {
        run(db.label, &db.url, events, clients).await;
    }
}
