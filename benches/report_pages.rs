//! Benchmark (not a timed test): report pages of *Berichte → Lager →
//! Sendcloud* (issue 10, Performance: p95 under 50 ms per page).
//!
//! Run with `cargo bench --bench report_pages` (release build; `harness = false`).
//!
//! On SQLite and on PostgreSQL (when it answers) the module's database gets
//! `BENCH_PARCELS` parcels for the company the admin sees first; the whole
//! module runs on a loopback port and a logged-in HTTP client asks, each
//! `BENCH_REPEAT` times:
//! 1. the first page of the Pakete tab (newest first);
//! 2. a filtered page (carrier and status, newest first);
//! 3. a page sorted by order number;
//! 4. page 500 by keyset (`after=` the cursor of page 499, found beforehand
//!    through the report service).
//!
//! Each figure is the full round trip (session check, query, rendering,
//! transfer), as p50 / p95 / max in milliseconds.
//!
//! Environment: `BENCH_PARCELS` (default 100000), `BENCH_REPEAT` (default 50).

use std::time::Instant;

use diesel::prelude::*;
use sendcloud_plugin::db::schema::{companies, sendcloud_parcels as p};
use sendcloud_plugin::db::DbConn;
use sendcloud_plugin::reports::{parcels, Cursor, Dir, PAGE_SIZE};

#[path = "common.rs"]
mod common;

const PASSWORD: &str = "bench password of some length";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `n` parcels of `company` with repeating carriers, statuses and order
/// numbers, in batches of 1,000.
fn seed(conn: &mut DbConn, company: i64, n: usize) {
    let carriers = ["dhl", "dpd", "ups", "postnl"];
    let statuses = [
        (11, "Delivered"),
        (3, "En route"),
        (80, "Unable to deliver"),
        (1000, "Ready to send"),
    ];
    let now = chrono::Utc::now().naive_utc();
    let mut i = 0;
    while i < n {
        let end = (i + 1000).min(n);
        let rows: Vec<_> = (i..end)
            .map(|k| {
                let (sid, msg) = statuses[k % statuses.len()];
                (
                    p::company_id.eq(company),
                    p::sendcloud_id.eq(k as i64 + 1),
                    p::order_number.eq(format!("SO-{:07}", (k * 7919) % n.max(1))),
                    p::name.eq(format!("Empfänger {}", k % 997)),
                    p::company_name.eq(""),
                    p::city.eq("Köln"),
                    p::postal_code.eq("50667"),
                    p::country.eq("DE"),
                    p::tracking_number.eq(format!("JVGL{k:010}")),
                    p::carrier.eq(Some(carriers[k % carriers.len()])),
                    p::status_id.eq(Some(sid)),
                    p::status_message.eq(msg),
                    p::is_return.eq(k % 20 == 0),
                    p::date_created.eq(Some(now)),
                    p::as_of_ms.eq(1_764_000_000_000 + k as i64),
                    p::synced_at.eq(now),
                )
            })
            .collect();
        let insert = diesel::insert_into(p::table).values(rows);
        match conn {
            DbConn::Postgres(pg) => insert.execute(pg).expect("seed"),
            DbConn::Sqlite(lite) => insert.execute(lite).expect("seed"),
        };
        i = end;
    }
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

async fn measure(
    client: &reqwest::Client,
    url: &str,
    repeat: usize,
    expect: &str,
) -> (f64, f64, f64) {
    let mut times = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let start = Instant::now();
        let res = client.get(url).send().await.expect("GET");
        assert_eq!(res.status(), 200, "{url}");
        let body = res.text().await.expect("body");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(body.contains(expect), "{url} lacks {expect}");
    }
    times.sort_by(|a, b| a.total_cmp(b));
    (
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        *times.last().unwrap_or(&0.0),
    )
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let n = env_usize("BENCH_PARCELS", 100_000);
    let repeat = env_usize("BENCH_REPEAT", 50);
    println!("report pages: {n} parcels, {repeat} requests per page, page size {PAGE_SIZE}");
    for db in common::databases("reports") {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = common::app_state(&db.url, &addr.to_string(), None).await;
        let seeded = Instant::now();
        let (company, page499) = state
            .db
            .run(move |c| {
                sendcloud_plugin::users::create_user(
                    c,
                    "bench",
                    PASSWORD,
                    sendcloud_plugin::users::ALL_PERMISSIONS,
                    None,
                )
                .expect("user");
                let company: i64 = companies::table
                    .select(companies::id)
                    .order((companies::name, companies::id))
                    .first(c)?;
                c.transaction(|c| {
                    seed(c, company, n);
                    Ok::<_, diesel::result::Error>(())
                })?;
                if let DbConn::Postgres(pg) = c {
                    diesel::sql_query("ANALYZE sendcloud_parcels").execute(pg)?;
                }
                // The cursor after page 499, walked through the service.
                let mut after: Option<Cursor> = None;
                for _ in 0..499 {
                    let page = parcels::list(
                        c,
                        company,
                        &Default::default(),
                        parcels::ParcelSort::Updated,
                        Dir::Desc,
                        after.as_ref(),
                        PAGE_SIZE,
                    )
                    .expect("page");
                    match page.next {
                        Some(next) => after = Some(next),
                        None => break,
                    }
                }
                Ok((company, after))
            })
            .await
            .expect("seed");
        println!(
            "{}: seeded {n} parcels for company {company} in {:.1} s",
            db.label,
            seeded.elapsed().as_secs_f64()
        );
        let server = sendcloud_plugin::web::serve(state.clone(), listener)
            .await
            .expect("server");
        let handle = server.handle();
        tokio::spawn(server);
        let base = format!("http://{addr}{}", state.config.mount_path());
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let login = client
            .get(format!("{base}/login"))
            .send()
            .await
            .expect("login page")
            .text()
            .await
            .expect("login body");
        let marker = "name=\"csrf_token\" value=\"";
        let start = login.find(marker).expect("csrf") + marker.len();
        let csrf = login[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string();
        let res = client
            .post(format!("{base}/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("username", "bench"),
                ("password", PASSWORD),
                ("next", ""),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 303, "login");

        let mut cases = vec![
            (
                "first page",
                format!("{base}/admin/reports?tab=parcels"),
                "<tr data-id=",
            ),
            (
                "filtered page (carrier dpd, status 3)",
                format!("{base}/admin/reports?tab=parcels&carrier=dpd&status=3"),
                "<tr data-id=",
            ),
            (
                "sorted by order number",
                format!("{base}/admin/reports?tab=parcels&sort=order_number&dir=asc"),
                "<tr data-id=",
            ),
        ];
        match &page499 {
            Some(c) => cases.push((
                "page 500 by keyset",
                format!(
                    "{base}/admin/reports?tab=parcels&sort=updated&dir=desc&after={}",
                    c.encode()
                ),
                "<tr data-id=",
            )),
            None => println!("  (fewer than 500 pages: page 500 skipped)"),
        }
        // One warm-up round (connections, caches).
        for (_, url, expect) in &cases {
            measure(&client, url, 1, expect).await;
        }
        for (name, url, expect) in &cases {
            let (p50, p95, max) = measure(&client, url, repeat, expect).await;
            println!(
                "  {}: {name}: p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms",
                db.label
            );
        }
        handle.stop(true).await;
    }
}
