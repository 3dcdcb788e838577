//! Benchmark (not a timed test): the parcel Abgleich (DESIGN §11).
//!
//! Run with `cargo bench --bench parcel_abgleich` (release build; `harness = false`).
//!
//! A stand-in (rate limits off, page size `BENCH_PAGE`) holds `BENCH_PARCELS`
//! parcels, last changed a day ago. On SQLite and on PostgreSQL (when it
//! answers) the module's database gets one connected company, then:
//! 1. fetch only: the client pages through every v3 shipment
//!    (`GET /v3/shipments`, cursor from the `Link` header), writing nothing;
//! 2. full Abgleich: `sync::parcels::sync` from an empty table (fetch and
//!    write overlapped, one page prefetched), with the peak memory it added;
//! 3. write only: the same pages, fetched beforehand, written into an empty
//!    table page by page exactly as the Abgleich writes them
//!    (`sync::parcels::write_page`: the rows, the labels' news, the position,
//!    one transaction per page);
//! 4. an Abgleich with nothing new: requests made and milliseconds.
//!
//! The full run's rate against the slower of "fetch only" and "write only"
//! shows how close the pipeline comes to its limit (100 % = the slower half
//! alone).
//!
//! Environment: `BENCH_PARCELS` (default 100000), `BENCH_PAGE` (default 100).

use std::time::Instant;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use futures_util::TryStreamExt;
use sendcloud_plugin::db::schema::{companies, sendcloud_parcels as p, sendcloud_sync_cursors};
use sendcloud_plugin::sendcloud::{
    ClientConfig, Credentials, RateLimits, SendcloudClient, Shipment, ShipmentFilter,
};
use sendcloud_plugin::sync::parcels;
use sendcloud_standin::{spawn, SeedSpec, StandinConfig};

#[path = "common.rs"]
mod common;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let n = env_usize("BENCH_PARCELS", 100_000);
    let page = env_usize("BENCH_PAGE", 100);
    let sc = spawn(StandinConfig {
        rate_limits: false,
        page_size: page,
        ..StandinConfig::default()
    })
    .await
    .expect("stand-in");
    let keys = sc.standin().demo_keys().expect("demo account");
    assert!(sc.standin().seed(
        keys.account_id,
        SeedSpec {
            parcels: n,
            ..SeedSpec::default()
        }
    ));
    let total = {
        let mut s = sc.standin().state();
        let account = s.accounts.get_mut(&keys.account_id).expect("account");
        for parcel in account.parcels.values_mut() {
            parcel.date_updated = Utc::now() - Duration::days(1);
        }
        account.parcels.len()
    };
    let mut cfg = ClientConfig::new(Credentials::new(&keys.public_key, &keys.secret_key));
    cfg.api_base = sc.api_url();
    // Rate limits off on both sides: this measures the module, not the limiter
    // (Sendcloud's 1,000 reads a minute cap a real run at ~16 pages a second).
    cfg.rate_limits = RateLimits {
        reads_per_minute: u32::MAX / 2,
        read_burst: 1_000_000,
        writes_per_minute: u32::MAX / 2,
        write_burst: 1_000_000,
    };
    let client = SendcloudClient::new(cfg).expect("client");
    println!("parcel Abgleich: {total} parcels at the stand-in, page size {page}");

    // 1. Fetch only.
    let t = Instant::now();
    let pages: Vec<Vec<Shipment>> = client
        .shipment_pages(&ShipmentFilter {
            page_size: Some(parcels::PAGE_SIZE),
            ..ShipmentFilter::default()
        })
        .map_ok(|p| p.items)
        .try_collect()
        .await
        .expect("pages");
    let fetch = t.elapsed().as_secs_f64();
    println!(
        "fetch only: {} pages in {fetch:.2} s = {:.0} parcels/s",
        pages.len(),
        total as f64 / fetch
    );

    for db in common::databases("parcels") {
        let state = common::app_state(&db.url, "127.0.0.1:0", Some(&sc.api_url())).await;
        let ctx = state.ctx();
        let (secrets, pk, sk) = (
            state.secrets.clone(),
            keys.public_key.clone(),
            keys.secret_key.clone(),
        );
        let company: i64 = state
            .db
            .run(move |c| {
                let company: i64 = companies::table.select(companies::id).first(c)?;
                sendcloud_plugin::integrations::store_keys(c, &secrets, company, &pk, &sk, None)?;
                Ok(company)
            })
            .await
            .expect("connect");

        // 2. Full Abgleich, fetch and write overlapped.
        common::reset_peak_rss();
        let rss_before = common::rss_mib();
        let t = Instant::now();
        let counts = parcels::sync(&ctx, &client, company)
            .await
            .expect("abgleich");
        let full = t.elapsed().as_secs_f64();
        let peak_added = common::peak_rss_mib() - rss_before;

        // 3. Write only: the same pages into an empty table.
        state
            .db
            .run(move |c| {
                diesel::delete(p::table).execute(c)?;
                // Dead rows and index entries would make "write only" slower
                // than a first run into a new table.
                if let sendcloud_plugin::db::DbConn::Postgres(_) = c {
                    diesel::sql_query("VACUUM sendcloud_parcels").execute(c)?;
                }
                Ok(())
            })
            .await
            .expect("empty");
        let statuses = std::sync::Arc::new(
            state
                .db
                .run(move |c| parcels::status_ids(c, company))
                .await
                .expect("statuses"),
        );
        let rows: Vec<parcels::PageRows> = pages
            .iter()
            .map(|items| parcels::PageRows::of(items, &statuses))
            .collect();
        let rows = std::sync::Arc::new(rows);
        let t = Instant::now();
        for i in 0..rows.len() {
            let (rows, host) = (rows.clone(), state.host.clone());
            let last = i + 1 == rows.len();
            state
                .db
                .run(move |c| {
                    // The position the Abgleich writes after each page.
                    let now = Utc::now().naive_utc();
                    let after = parcels::Position {
                        high_water: last.then_some(now),
                        resume: (!last).then(|| parcels::Resume {
                            next: format!("page-{}", i + 1),
                            since: None,
                            started: now,
                            run_id: None,
                            counts: Default::default(),
                        }),
                    };
                    let as_of = Utc::now().timestamp_millis();
                    let page = parcels::PageWrite::new(company, &rows[i], as_of, after, true);
                    parcels::write_page(c, host.as_ref(), &page)
                })
                .await
                .expect("write");
        }
        let write = t.elapsed().as_secs_f64();

        // 4. Nothing new since the full run.
        sc.standin().clear_requests();
        let t = Instant::now();
        let nothing = parcels::sync(&ctx, &client, company).await.expect("again");
        let idle_ms = t.elapsed().as_secs_f64() * 1000.0;
        let idle_requests = sc
            .standin()
            .requests()
            .iter()
            .filter(|r| r.path == "/api/v3/shipments")
            .count();
        let positions: i64 = state
            .db
            .run(|c| Ok(sendcloud_sync_cursors::table.count().get_result(c)?))
            .await
            .expect("cursors");

        let slower = fetch.max(write);
        println!(
            "{}: full Abgleich {} parcels ({} created) in {full:.2} s = {:.0} parcels/s, \
             peak memory +{peak_added:.0} MiB; write only {write:.2} s = {:.0} parcels/s; \
             full vs slower half: {:.0} %; nothing new: {idle_requests} request(s), \
             {idle_ms:.0} ms, {} fetched ({positions} position row)",
            db.label,
            counts.fetched,
            counts.created,
            total as f64 / full,
            total as f64 / write,
            slower / full * 100.0,
            nothing.fetched,
        );
    }
}
