//! Benchmark (not a timed test): the order push under Sendcloud's write
//! limits (issue 12, DESIGN §11).
//!
//! Run with `cargo bench --bench order_push` (release build; `harness = false`).
//!
//! For SQLite (temp dir) and PostgreSQL (`SENDCLOUD_TEST_POSTGRES_URL` or
//! `postgres://postgres@127.0.0.1:5432/test`, when it answers): a company of
//! its own gets N approved open orders with one line each; the stand-in
//! enforces the write limits (default Sendcloud's: 100 writes per minute,
//! 15 per second); the module's client keeps the same limits; one push
//! (`orders::push_orders`, the path of Bestellungen abgleichen, the first
//! sync and the scheduled push) sends them in batches of 100. Reported:
//! - writes made and refused (429),
//! - the share of the allowed write rate used: the time the stand-in's limits
//!   force for that many writes (a greedy schedule under its 1 s and 60 s
//!   windows) divided by the time the sending took, and the same over the
//!   whole push (reading and mapping the orders included),
//! - duplicates (orders held twice at the stand-in) and lost orders (selected
//!   but not held), both must be 0.
//!
//! Environment: `BENCH_ORDERS` (default 10000), `BENCH_WRITES_PER_MINUTE`
//! (default 100) and `BENCH_WRITES_PER_SECOND` (default 15): the stand-in's
//! and the client's limits, lower for longer runs that span several minute
//! windows.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use sendcloud_plugin::orders::{push_orders, PushRequest};
use sendcloud_plugin::sendcloud::{ClientConfig, Credentials, RateLimits, SendcloudClient};
use sendcloud_standin::{spawn, RateLimitConfig, StandinConfig};

#[path = "common.rs"]
mod common;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The shortest time the stand-in's windows allow between the first and the
/// last of `writes` writes (greedy: each write as early as allowed).
fn ideal_seconds(writes: usize, per_second: usize, per_minute: usize) -> f64 {
    let mut times: Vec<f64> = Vec::with_capacity(writes);
    let mut t = 0.0f64;
    for i in 0..writes {
        loop {
            let in_second = times[..i].iter().filter(|u| t - **u < 1.0).count();
            let in_minute = times[..i].iter().filter(|u| t - **u < 60.0).count();
            if in_second < per_second && in_minute < per_minute {
                break;
            }
            // The next moment a window frees: the oldest blocking write + window.
            let s = if in_second >= per_second {
                times[i - per_second] + 1.0
            } else {
                t
            };
            let m = if in_minute >= per_minute {
                times[i - per_minute] + 60.0
            } else {
                t
            };
            t = s.max(m).max(t + 1e-9);
        }
        times.push(t);
    }
    times.last().copied().unwrap_or(0.0)
}

fn exec(c: &mut sendcloud_plugin::db::DbConn, sql: &str) {
    diesel::sql_query(sql).execute(c).expect(sql);
}

fn max_id(c: &mut sendcloud_plugin::db::DbConn, table: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT max(id) AS n FROM {table}"))
        .get_result::<N>(c)
        .expect("max id")
        .n
}

/// A company of its own with `n` approved open orders (one line each).
fn seed_orders(c: &mut sendcloud_plugin::db::DbConn, n: usize) -> i64 {
    exec(
        c,
        "INSERT INTO companies (name, street, postal_code, city, country, currency) \
         VALUES ('Bench GmbH', 'Hafenstraße 1', '20457', 'Hamburg', 'DE', 'EUR')",
    );
    let company = max_id(c, "companies");
    exec(
        c,
        &format!(
            "INSERT INTO customers (company_id, account_number, name, is_company, email, phone, street, house_number, postal_code, city, country) \
             VALUES ({company}, 'B-1', 'Erika Muster', false, 'kunde@example.com', '+49301234567', 'Hauptstraße', '12', '10115', 'Berlin', 'DE')"
        ),
    );
    let customer = max_id(c, "customers");
    exec(
        c,
        &format!(
            "INSERT INTO products (company_id, sku, name, weight_kg, price) VALUES ({company}, 'B-SKU', 'Teekanne', '1.250', '19.90')"
        ),
    );
    let product = max_id(c, "products");
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "({company}, 'B-{i:06}', '2026-12-01 10:00:00', {customer}, 'open', true, 'paid', 'EUR', '39.80', '2026-12-01 10:00:00')"
                )
            })
            .collect();
        exec(
            c,
            &format!(
                "INSERT INTO sales_orders (company_id, order_number, order_date, customer_id, status, approved, payment_status, currency, total_amount, updated_at) VALUES {}",
                rows.join(",")
            ),
        );
    }
    exec(
        c,
        &format!(
            "INSERT INTO sales_order_lines (order_id, line_no, product_id, description, quantity, unit_price) \
             SELECT id, 1, {product}, 'Teekanne weiß', '2', '19.90' FROM sales_orders WHERE company_id = {company}"
        ),
    );
    company
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = env_usize("BENCH_ORDERS", 10_000);
    let per_minute = env_usize("BENCH_WRITES_PER_MINUTE", 100);
    let per_second = env_usize("BENCH_WRITES_PER_SECOND", 15);
    println!(
        "order push: {n} orders, stand-in limits {per_minute} writes/min, {per_second} writes/s"
    );
    for db in common::databases("orderpush") {
        let sc = spawn(StandinConfig {
            rate_limits: true,
            limits: RateLimitConfig {
                reads_per_minute: 1000,
                writes_per_minute: per_minute,
                writes_per_second: per_second,
            },
            ..StandinConfig::default()
        })
        .await
        .expect("stand-in");
        let keys = sc.standin().demo_keys().expect("demo account");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let bind = listener.local_addr().expect("addr").to_string();
        let state = common::app_state(&db.url, &bind, Some(&sc.api_url())).await;
        let company = state
            .db
            .run(move |c| Ok(seed_orders(c, n)))
            .await
            .expect("seed");

        let mut cfg = ClientConfig::new(Credentials::new(&keys.public_key, &keys.secret_key));
        cfg.api_base = sc.api_url();
        cfg.rate_limits = RateLimits {
            writes_per_minute: per_minute as u32,
            write_burst: per_second as u32,
            ..RateLimits::default()
        };
        let client = SendcloudClient::new(cfg).expect("client");
        let since = chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("date");
        let req = PushRequest::new(company, keys.integration_id as i64, since);

        let start = Instant::now();
        let selected_at = std::sync::Mutex::new(None::<Instant>);
        let summary = push_orders(&state.db, state.host.clone(), &client, &req, |p| {
            if p.batches == 0 {
                if let Ok(mut g) = selected_at.lock() {
                    g.get_or_insert_with(Instant::now);
                }
            }
        })
        .await
        .expect("push");
        let total = start.elapsed();
        let sending = selected_at
            .lock()
            .ok()
            .and_then(|g| *g)
            .map_or(total, |t| t.elapsed());

        let log = sc.standin().requests();
        let posts: Vec<_> = log
            .iter()
            .filter(|r| r.method == "POST" && r.path == "/api/v3/orders")
            .collect();
        let refused = posts.iter().filter(|r| r.status == 429).count();
        let writes = posts.len() - refused;
        let stored = sc.standin().state().accounts[&keys.account_id]
            .orders
            .values()
            .filter_map(|o| o["order_id"].as_str().map(str::to_string))
            .fold(HashMap::<String, usize>::new(), |mut m, id| {
                *m.entry(id).or_default() += 1;
                m
            });
        let duplicates: usize = stored.values().map(|c| c - 1).sum();
        let lost = summary.selected.saturating_sub(stored.len());
        // The forced time covers the gaps between writes; one write's own
        // time is added to both sides.
        let per_write = sending.as_secs_f64() / writes.max(1) as f64;
        let ideal = ideal_seconds(writes, per_second, per_minute);
        let share_sending = (ideal + per_write) / sending.as_secs_f64();
        let share_total = (ideal + per_write) / total.as_secs_f64();
        println!(
            "{:<10} {} selected, {} pushed, {} failed; {} writes ({} refused with 429); \
             sending {:.1} s (limits force {:.1} s): {:.0} % of the allowed write rate; \
             whole push {:.1} s: {:.0} %; duplicates {}, lost {}",
            db.label,
            summary.selected,
            summary.pushed,
            summary.failed,
            writes,
            refused,
            sending.as_secs_f64(),
            ideal + per_write,
            share_sending * 100.0,
            total.as_secs_f64(),
            share_total * 100.0,
            duplicates,
            lost,
        );
        sc.stop().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
