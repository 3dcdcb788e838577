//! Benchmark (not a timed test): plugin API reads (issue 12, Performance:
//! a delivery's shipment and a report page, p95 under 20 ms with 8
//! concurrent clients).
//!
//! Run with `cargo bench --bench api_reads` (release build; `harness = false`).
//!
//! On SQLite and on PostgreSQL (when it answers) the module's database gets
//! `BENCH_PARCELS` parcels and, for every delivery of the demo data, a
//! created label with `BENCH_EVENTS` tracking events; the whole module runs
//! on a loopback port. 8 clients (tasks with their own connection pool,
//! `BENCH_CLIENTS`), each with a host token, ask `BENCH_REPEAT` times each,
//! one endpoint at a time:
//! 1. `GET …/deliveries/{d}` (the shipment, status and tracking history),
//!    JSON, a different delivery per request;
//! 2. the same in XML;
//! 3. `GET …/reports/parcels?limit=50` (the first report page, newest first);
//! 4. a report page by keyset cursor (page 20, `after=`).
//!
//! Each figure is the full round trip (token check, queries, serialisation,
//! transfer), p50 / p95 / max in milliseconds over all clients.

use std::time::Instant;

use diesel::prelude::*;
use sendcloud_plugin::db::schema::{
    companies, deliveries, sendcloud_label_events as le, sendcloud_labels as l,
    sendcloud_parcels as p,
};
use sendcloud_plugin::db::DbConn;
use sendcloud_plugin::reports::{parcels, Cursor, Dir};

#[path = "common.rs"]
mod common;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn exec<Q>(conn: &mut DbConn, q: Q)
where
    Q: diesel::query_dsl::methods::ExecuteDsl<diesel::PgConnection>
        + diesel::query_dsl::methods::ExecuteDsl<diesel::SqliteConnection>,
{
    match conn {
        DbConn::Postgres(pg) => {
            diesel::query_dsl::methods::ExecuteDsl::<diesel::PgConnection>::execute(q, pg)
                .expect("seed");
        }
        DbConn::Sqlite(lite) => {
            diesel::query_dsl::methods::ExecuteDsl::<diesel::SqliteConnection>::execute(q, lite)
                .expect("seed");
        }
    }
}

/// `n` parcels of `company`, in batches of 1,000.
fn seed_parcels(conn: &mut DbConn, company: i64, n: usize) {
    let now = chrono::Utc::now().naive_utc();
    let mut i = 0;
    while i < n {
        let end = (i + 1000).min(n);
        let rows: Vec<_> = (i..end)
            .map(|k| {
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
                    p::carrier.eq(Some("dhl")),
                    p::status_id.eq(Some(3_i64)),
                    p::status_message.eq("En route"),
                    p::is_return.eq(false),
                    p::date_created.eq(Some(now)),
                    p::as_of_ms.eq(1_764_000_000_000 + k as i64),
                    p::synced_at.eq(now),
                )
            })
            .collect();
        exec(conn, diesel::insert_into(p::table).values(rows));
        i = end;
    }
}

/// A created label with `events` tracking events for each delivery of
/// `company`; the delivery ids.
fn seed_labels(conn: &mut DbConn, company: i64, events: usize) -> Vec<i64> {
    let ids: Vec<i64> = deliveries::table
        .filter(deliveries::company_id.eq(company))
        .select(deliveries::id)
        .load(conn)
        .expect("deliveries");
    let now = chrono::Utc::now().naive_utc();
    for (k, id) in ids.iter().enumerate() {
        exec(
            conn,
            diesel::insert_into(l::table).values((
                l::company_id.eq(company),
                l::delivery_id.eq(id),
                l::external_reference_id.eq(format!("sc-delivery-{company}-{id}")),
                l::order_number.eq(format!("AU-{id}")),
                l::state.eq("created"),
                l::shipment_id.eq(Some(format!("sh-{id}"))),
                l::parcel_id.eq(Some(900_000 + k as i64)),
                l::tracking_number.eq(Some(format!("JVGL{id:010}"))),
                l::tracking_url.eq(Some(format!("https://tracking.example/{id}"))),
                l::carrier.eq(Some("dhl_de")),
                l::option_code.eq(Some("dhl_de:dhl-paket")),
                l::status_id.eq(Some(3_i64)),
                l::status_message.eq(Some("En route to sorting center")),
                l::problems.eq("[]"),
                l::test_mode.eq(false),
                l::attempts.eq(1),
                l::as_of_ms.eq(1_764_000_000_000_i64),
                l::created_at.eq(now),
                l::updated_at.eq(now),
            )),
        );
        let label: i64 = l::table
            .filter(l::company_id.eq(company).and(l::delivery_id.eq(id)))
            .select(l::id)
            .first(conn)
            .expect("label");
        let rows: Vec<_> = (0..events)
            .map(|e| {
                (
                    le::label_id.eq(label),
                    le::status_id.eq(Some(3_i64)),
                    le::status_code.eq(Some("PARCEL_EN_ROUTE")),
                    le::message.eq(format!("Event {e}")),
                    le::as_of_ms.eq(1_764_000_000_000 + e as i64),
                )
            })
            .collect();
        exec(conn, diesel::insert_into(le::table).values(rows));
    }
    ids
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// `clients` tasks ask `repeat` URLs each (`url(i)`); p50, p95, max in ms.
async fn measure(
    clients: usize,
    repeat: usize,
    token: &str,
    accept: &'static str,
    url: impl Fn(usize) -> String + Send + Sync + 'static,
) -> (f64, f64, f64) {
    let url = std::sync::Arc::new(url);
    let mut tasks = vec![];
    for c in 0..clients {
        let (url, token) = (url.clone(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut times = Vec::with_capacity(repeat);
            for i in 0..repeat {
                let u = url(c * repeat + i);
                let start = Instant::now();
                let res = client
                    .get(&u)
                    .bearer_auth(&token)
                    .header("Accept", accept)
                    .send()
                    .await
                    .expect("GET");
                assert_eq!(res.status(), 200, "{u}");
                let _ = res.bytes().await.expect("body");
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            times
        }));
    }
    let mut times = vec![];
    for t in tasks {
        times.extend(t.await.expect("client"));
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
    let events = env_usize("BENCH_EVENTS", 8);
    let clients = env_usize("BENCH_CLIENTS", 8);
    let repeat = env_usize("BENCH_REPEAT", 100);
    println!(
        "plugin API reads: {n} parcels, {events} tracking events per label, {clients} concurrent clients x {repeat} requests per endpoint"
    );
    for db in common::databases("api_reads") {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = common::app_state(&db.url, &addr.to_string(), None).await;
        let seeded = Instant::now();
        let (company, ids, page20) = state
            .db
            .run(move |c| {
                let company: i64 = companies::table
                    .select(companies::id)
                    .order(companies::id)
                    .first(c)?;
                seed_parcels(c, company, n);
                let ids = seed_labels(c, company, events);
                if let DbConn::Postgres(pg) = c {
                    diesel::sql_query("ANALYZE").execute(pg)?;
                }
                let mut after: Option<Cursor> = None;
                for _ in 0..19 {
                    let page = parcels::list(
                        c,
                        company,
                        &Default::default(),
                        parcels::ParcelSort::Updated,
                        Dir::Desc,
                        after.as_ref(),
                        50,
                    )
                    .expect("page");
                    after = page.next;
                }
                Ok((company, ids, after))
            })
            .await
            .expect("seed");
        println!(
            "{}: seeded {n} parcels and {} labels for company {company} in {:.1} s",
            db.label,
            ids.len(),
            seeded.elapsed().as_secs_f64()
        );
        let server = sendcloud_plugin::web::serve(state.clone(), listener)
            .await
            .expect("server");
        let handle = server.handle();
        tokio::spawn(server);
        let base = format!(
            "http://{addr}{}/api/v1/companies/{company}",
            state.config.mount_path()
        );
        let token = sendcloud_plugin::users::make_host_token(
            common::HOST_SECRET,
            &sendcloud_plugin::users::HostClaims {
                sub: "bench".into(),
                name: None,
                permissions: vec![sendcloud_plugin::users::PERM_API.into()],
                companies: Some(vec![company]),
                exp: chrono::Utc::now().timestamp() + 3600,
            },
        );
        let ids = std::sync::Arc::new(ids);
        let cursor = page20.map(|c| c.encode()).unwrap_or_default();
        type Case = (
            &'static str,
            &'static str,
            Box<dyn Fn(usize) -> String + Send + Sync>,
        );
        let cases: Vec<Case> = vec![
            ("delivery shipment (JSON)", "application/json", {
                let (base, ids) = (base.clone(), ids.clone());
                Box::new(move |i| format!("{base}/deliveries/{}", ids[i % ids.len()]))
            }),
            ("delivery shipment (XML)", "application/xml", {
                let (base, ids) = (base.clone(), ids.clone());
                Box::new(move |i| format!("{base}/deliveries/{}", ids[i % ids.len()]))
            }),
            ("report page 1 (parcels, 50 rows)", "application/json", {
                let base = base.clone();
                Box::new(move |_| format!("{base}/reports/parcels?limit=50"))
            }),
            ("report page 20 by cursor", "application/json", {
                let base = base.clone();
                Box::new(move |_| format!("{base}/reports/parcels?limit=50&after={cursor}"))
            }),
        ];
        for (name, accept, url) in cases {
            // Warm-up round (connections, caches).
            let url = std::sync::Arc::new(url);
            let u2 = url.clone();
            measure(clients, 2, &token, accept, move |i| u2(i)).await;
            let u3 = url.clone();
            let (p50, p95, max) = measure(clients, repeat, &token, accept, move |i| u3(i)).await;
            println!(
                "  {}: {name}: p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms",
                db.label
            );
        }
        handle.stop(true).await;
    }
}
