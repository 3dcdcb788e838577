//! Benchmark (not a timed test): labels (issue 11's performance item).
//!
//! Run with `cargo bench --bench labels` (release build; `harness = false`).
//!
//! On SQLite and on PostgreSQL (when it answers), over the demo host data:
//! 1. **The module's own time per label**, Sendcloud's excluded: a stand-in
//!    without rate limits behind a small forwarding proxy that adds up the
//!    time each request spends between the proxy's receipt and its answer;
//!    `labels::create_label` is called for `BENCH_LABEL_TIMING` deliveries one
//!    after the other, and each label's module time is its wall time minus
//!    the proxy time of its requests (announce, label PDF). The account's
//!    client-side limiter is registered unlimited for this part, so its
//!    waits do not count either. Target: p95 < 10 ms.
//! 2. **Bulk at Sendcloud's write limit**: `BENCH_LABELS` deliveries of a
//!    second company, *Label erstellen* for all (`request_labels`, one job
//!    each), the job worker run until nothing is due, against a stand-in that
//!    enforces Sendcloud's limits (100 writes a minute, 15 a second; 429
//!    otherwise). Reported: the share of the allowed write rate used
//!    (writes taken / (minutes from the first job to the last × 100)), 429s,
//!    duplicates (more than one shipment for a reference) and lost labels
//!    (deliveries without a created label). Target: ≥ 90 %, 0, 0.
//!
//! Environment: `BENCH_LABELS` (default 500), `BENCH_LABEL_TIMING` (default 200).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use diesel::prelude::*;
use sendcloud_plugin::db::schema::{companies, sendcloud_labels as l, warehouses};
use sendcloud_plugin::db::DbConn;
use sendcloud_plugin::labels::{self, CreateOutcome};
use sendcloud_plugin::sendcloud::limiter::{AccountLimiter, RateLimits};
use sendcloud_plugin::sync::SyncObject;
use sendcloud_standin::{spawn, StandinConfig, StandinHandle};

#[path = "common.rs"]
mod common;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A forwarding proxy that adds up the nanoseconds spent per request.
async fn timing_proxy(target: String) -> (String, Arc<AtomicU64>, actix_web::dev::ServerHandle) {
    let spent = Arc::new(AtomicU64::new(0));
    let http = reqwest::Client::new();
    let (s2, t2) = (spent.clone(), target.clone());
    let server = HttpServer::new(move || {
        let (spent, target, http) = (s2.clone(), t2.clone(), http.clone());
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
            let (spent, target, http) = (spent.clone(), target.clone(), http.clone());
            async move {
                let t = Instant::now();
                let url = format!("{target}{}", req.uri());
                let method = reqwest::Method::from_bytes(req.method().as_str().as_bytes())
                    .unwrap_or(reqwest::Method::GET);
                let mut out = http.request(method, url).body(body.to_vec());
                for (k, v) in req.headers() {
                    if k != "host" && k != "content-length" {
                        out = out.header(k.as_str(), v.as_bytes());
                    }
                }
                let resp = out.send().await;
                let answer = match resp {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let ct = r
                            .headers()
                            .get("content-type")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("application/json")
                            .to_string();
                        let bytes = r.bytes().await.unwrap_or_default();
                        HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                            .content_type(ct)
                            .body(bytes)
                    }
                    Err(_) => HttpResponse::BadGateway().finish(),
                };
                spent.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
                answer
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .expect("bind proxy");
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    (format!("http://{addr}"), spent, handle)
}

/// A done delivery to Germany with one line (like the tests' default).
fn make_delivery(c: &mut DbConn, company: i64, n: usize) -> i64 {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let last = |c: &mut DbConn, table: &str| -> i64 {
        diesel::sql_query(format!("SELECT max(id) AS n FROM {table}"))
            .get_result::<Id>(c)
            .unwrap()
            .n
    };
    let warehouse: i64 = warehouses::table
        .filter(warehouses::company_id.eq(company))
        .select(warehouses::id)
        .order(warehouses::id)
        .first(c)
        .unwrap();
    let tag = format!("B{company}-{n}");
    let exec = |c: &mut DbConn, sql: String| {
        diesel::sql_query(sql).execute(c).unwrap();
    };
    exec(c, format!(
        "INSERT INTO customers (company_id, account_number, name, is_company, email, phone, street, house_number, postal_code, city, country) \
         VALUES ({company}, '{tag}', 'Erika Muster', false, 'kunde@example.com', '+49301234567', 'Hauptstraße', '12', '10115', 'Berlin', 'DE')"));
    let customer = last(c, "customers");
    exec(c, format!(
        "INSERT INTO products (company_id, sku, name, weight_kg, price) VALUES ({company}, 'SKU-{tag}', 'Teekanne', '1.250', '19.90')"));
    let product = last(c, "products");
    exec(c, format!(
        "INSERT INTO sales_orders (company_id, order_number, order_date, customer_id, status, approved, payment_status, currency, total_amount, shipping_method_ref, updated_at) \
         VALUES ({company}, 'AU-{tag}', '2026-12-01 10:00:00', {customer}, 'open', true, 'paid', 'EUR', '39.80', '1301', '2026-12-01 10:00:00')"));
    let order = last(c, "sales_orders");
    exec(c, format!(
        "INSERT INTO sales_order_lines (order_id, line_no, product_id, description, quantity, unit_price) VALUES ({order}, 1, {product}, 'Teekanne', '2', '19.90')"));
    let line = last(c, "sales_order_lines");
    exec(c, format!(
        "INSERT INTO deliveries (company_id, delivery_number, order_id, warehouse_id, created_at, status, updated_at) \
         VALUES ({company}, 'LS-{tag}', {order}, {warehouse}, '2026-12-02 09:00:00', 'done', '2026-12-02 09:00:00')"));
    let delivery = last(c, "deliveries");
    exec(c, format!(
        "INSERT INTO delivery_lines (delivery_id, order_line_id, product_id, quantity) VALUES ({delivery}, {line}, {product}, '2')"));
    delivery
}

/// Connect `company` to the stand-in's demo account and sync sender
/// addresses and shipping methods (through the jobs of `state`).
async fn connect(state: &sendcloud_plugin::web::AppState, sc: &StandinHandle, company: i64) {
    let keys = sc.standin().demo_keys().expect("demo keys");
    let secrets = state.secrets.clone();
    state
        .db
        .run(move |c| {
            sendcloud_plugin::integrations::store_keys(
                c,
                &secrets,
                company,
                &keys.public_key,
                &keys.secret_key,
                Some(keys.integration_id as i64),
            )?;
            sendcloud_plugin::integrations::enqueue_sync(
                c,
                company,
                "bench",
                &[SyncObject::SenderAddresses, SyncObject::ShippingMethods],
            )?;
            Ok(())
        })
        .await
        .expect("connect");
    sendcloud_plugin::worker::Runner::new(state.ctx())
        .run_pending()
        .await
        .expect("sync");
}

async fn deliveries(state: &sendcloud_plugin::web::AppState, company: i64, n: usize) -> Vec<i64> {
    state
        .db
        .run(move |c| Ok((0..n).map(|i| make_delivery(c, company, i)).collect()))
        .await
        .expect("deliveries")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let bulk = env_usize("BENCH_LABELS", 500);
    let timing = env_usize("BENCH_LABEL_TIMING", 200);
    println!("labels: {timing} timed one by one, {bulk} in bulk at Sendcloud's write limit");
    for db in common::databases("labels") {
        // 1. The module's own time per label.
        let open = spawn(StandinConfig {
            rate_limits: false,
            ..StandinConfig::default()
        })
        .await
        .expect("stand-in");
        let (proxy, spent, proxy_handle) = timing_proxy(open.base_url().to_string()).await;
        let keys = open.standin().demo_keys().expect("demo keys");
        let _unlimited = AccountLimiter::for_account(
            &keys.public_key,
            RateLimits {
                reads_per_minute: u32::MAX / 2,
                read_burst: 1_000_000,
                writes_per_minute: u32::MAX / 2,
                write_burst: 1_000_000,
            },
        );
        let api = format!("{proxy}/api");
        let state = common::app_state(&db.url, "127.0.0.1:0", Some(&api)).await;
        let ids: Vec<i64> = state
            .db
            .run(|c| {
                Ok(companies::table
                    .select(companies::id)
                    .order(companies::id)
                    .load(c)?)
            })
            .await
            .expect("companies");
        let (first, second) = (ids[0], ids[1]);
        connect(&state, &open, first).await;
        let timed = deliveries(&state, first, timing).await;
        let ctx = state.ctx();
        let mut module_ms = Vec::with_capacity(timed.len());
        let mut total_ms = Vec::with_capacity(timed.len());
        for id in &timed {
            let before = spent.load(Ordering::Relaxed);
            let t = Instant::now();
            let out = labels::create_label(&ctx, first, *id).await.expect("label");
            let wall = t.elapsed().as_nanos() as f64;
            assert!(
                matches!(out, CreateOutcome::Created { .. }),
                "not created: {out:?}"
            );
            let http = (spent.load(Ordering::Relaxed) - before) as f64;
            module_ms.push((wall - http) / 1e6);
            total_ms.push(wall / 1e6);
        }
        module_ms.sort_by(f64::total_cmp);
        total_ms.sort_by(f64::total_cmp);
        println!(
            "{}: module time per label p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms (wall incl. Sendcloud p50 {:.2} ms, p95 {:.2} ms; {} labels)",
            db.label,
            percentile(&module_ms, 0.5),
            percentile(&module_ms, 0.95),
            module_ms.last().copied().unwrap_or_default(),
            percentile(&total_ms, 0.5),
            percentile(&total_ms, 0.95),
            module_ms.len()
        );
        proxy_handle.stop(true).await;
        open.stop().await;
        drop(state);

        // 2. Bulk at the write limit (Sendcloud's limits at the stand-in and
        // in the client).
        let limited = spawn(StandinConfig::default()).await.expect("stand-in");
        let state = common::app_state(&db.url, "127.0.0.1:0", Some(&limited.api_url())).await;
        connect(&state, &limited, second).await;
        let ids = deliveries(&state, second, bulk).await;
        let before = limited.standin().requests().len();
        let ids2 = ids.clone();
        state
            .db
            .run(move |c| {
                labels::request_labels(
                    c,
                    &sendcloud_plugin::host::ReferenceHost,
                    second,
                    &ids2,
                    "button",
                )
            })
            .await
            .expect("request");
        let t = Instant::now();
        let runner = sendcloud_plugin::worker::Runner::new(state.ctx());
        // Jobs retried after a 429 become due again later: run until all are done.
        loop {
            runner.run_pending().await.expect("jobs");
            let open_jobs: i64 = state
                .db
                .run(move |c| {
                    Ok(l::table
                        .filter(l::company_id.eq(second))
                        .filter(l::state.eq(labels::STATE_PENDING))
                        .count()
                        .get_result(c)?)
                })
                .await
                .expect("pending");
            if open_jobs == 0 || t.elapsed().as_secs() > 3600 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        let secs = t.elapsed().as_secs_f64();
        let requests = limited.standin().requests();
        let during = &requests[before.min(requests.len())..];
        // Writes Sendcloud took (a 429 is refused, not taken).
        let writes = during
            .iter()
            .filter(|r| r.method != "GET" && r.status != 429)
            .count();
        let refused = during.iter().filter(|r| r.status == 429).count();
        let created: i64 = state
            .db
            .run(move |c| {
                Ok(l::table
                    .filter(l::company_id.eq(second))
                    .filter(l::state.eq(labels::STATE_CREATED))
                    .count()
                    .get_result(c)?)
            })
            .await
            .expect("created");
        let keys = limited.standin().demo_keys().expect("keys");
        let duplicates = {
            let s = limited.standin().state();
            let mut per_ref = std::collections::HashMap::new();
            for p in s.accounts[&keys.account_id].parcels.values() {
                if let Some(r) = &p.external_reference {
                    *per_ref.entry(r.clone()).or_insert(0usize) += 1;
                }
            }
            per_ref.values().filter(|n| **n > 1).count()
        };
        let allowed = secs / 60.0 * 100.0;
        println!(
            "{}: {bulk} labels in {secs:.1} s: {writes} writes taken = {:.1} writes/min, {:.1} % of the allowed 100/min; 429s {refused}, duplicates {duplicates}, lost {}",
            db.label,
            writes as f64 / secs * 60.0,
            writes as f64 / allowed * 100.0,
            bulk as i64 - created
        );
        limited.stop().await;
    }
}
