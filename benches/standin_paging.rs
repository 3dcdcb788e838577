//! Benchmark (not a timed test): paging through the Sendcloud stand-in.
//!
//! Run with `cargo bench --bench standin_paging` (release build; `harness = false`).
//!
//! (a) The Sendcloud client pages N = 20,000 parcels from a spawned stand-in (rate limits off)
//!     at stand-in page sizes p = 100 and p = 500. Reported: requests made vs N/p, parcels per
//!     second, and TCP connections opened (counted by a small forwarding proxy in front of the
//!     stand-in, so "connections reused" = requests − connections).
//! (b) Stand-in page reads per second: several concurrent HTTP clients read `GET /parcels`
//!     pages (following `next`) for about 5 s, at page sizes 20 and 100.
//!
//! Environment: `BENCH_PARCELS` (default 20000), `BENCH_SECONDS` (default 5),
//! `BENCH_CLIENTS` (default 8). Everything runs on 127.0.0.1 and stops by itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use sendcloud_plugin::sendcloud::{
    ClientConfig, Credentials, ParcelFilter, RateLimits, RetryPolicy, SendcloudClient,
};
use sendcloud_standin::{spawn, SeedSpec, StandinConfig, StandinHandle};
use tokio::net::{TcpListener, TcpStream};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A TCP forwarder to `target` that counts accepted connections.
async fn counting_proxy(target: String) -> (String, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let addr = listener.local_addr().expect("proxy addr");
    let count = Arc::new(AtomicU64::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::Relaxed);
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(&target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (format!("http://{addr}"), count)
}

async fn seeded_standin(page_size: usize, parcels: usize) -> StandinHandle {
    let h = spawn(StandinConfig {
        rate_limits: false,
        page_size,
        ..StandinConfig::default()
    })
    .await
    .expect("stand-in");
    let keys = h.standin().demo_keys().expect("demo account");
    assert!(h.standin().seed(
        keys.account_id,
        SeedSpec {
            parcels,
            ..SeedSpec::default()
        }
    ));
    h
}

async fn client_paging(n: usize, page_size: usize) {
    let h = seeded_standin(page_size, n).await;
    let keys = h.standin().demo_keys().expect("demo account");
    let target = h.base_url().trim_start_matches("http://").to_string();
    let (proxy, connections) = counting_proxy(target).await;
    let mut cfg = ClientConfig::new(Credentials::new(&keys.public_key, &keys.secret_key));
    cfg.api_base = format!("{proxy}/api");
    cfg.service_points_base = format!("{proxy}/api/v2");
    cfg.retry = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    };
    // Rate limits off on both sides: this measures paging, not the limiter.
    cfg.rate_limits = RateLimits {
        reads_per_minute: u32::MAX / 2,
        read_burst: 1_000_000,
        writes_per_minute: u32::MAX / 2,
        write_burst: 1_000_000,
    };
    let client = SendcloudClient::new(cfg).expect("client");
    h.standin().clear_requests();
    let started = Instant::now();
    let mut seen = 0usize;
    let mut pages = std::pin::pin!(client.parcel_pages(&ParcelFilter::default()));
    while let Some(page) = pages.try_next().await.expect("page") {
        seen += page.items.len();
    }
    let elapsed = started.elapsed();
    let requests = h
        .standin()
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v2/parcels")
        .count();
    let conns = connections.load(Ordering::Relaxed);
    assert_eq!(seen, n, "every parcel once");
    println!(
        "(a) client paging  N={n:>6} p={page_size:>4}: {requests} requests (N/p = {:.0}), \
         {seen} parcels in {:.2} s = {:.0} parcels/s, {conns} TCP connection(s) \
         ({} requests on reused connections)",
        (n as f64 / page_size as f64).ceil(),
        elapsed.as_secs_f64(),
        seen as f64 / elapsed.as_secs_f64(),
        requests as u64 - conns.min(requests as u64),
    );
    h.stop().await;
}

/// The `next` URL of a v2 list page, found without parsing the whole body.
fn next_of(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let at = text.find("\"next\":")? + "\"next\":".len();
    let rest = text[at..].trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].replace("\\/", "/"))
}

async fn standin_page_reads(n: usize, page_size: usize, clients: usize, seconds: u64) {
    let h = seeded_standin(page_size, n).await;
    let keys = h.standin().demo_keys().expect("demo account");
    let first = format!("{}/parcels", h.v2_url());
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let http = reqwest::Client::new();
        let keys = keys.clone();
        let first = first.clone();
        let done = done.clone();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut url = first.clone();
            while Instant::now() < deadline {
                let resp = http
                    .get(&url)
                    .basic_auth(&keys.public_key, Some(&keys.secret_key))
                    .send()
                    .await;
                // The whole page is read, but only `next` is extracted (no full JSON parse):
                // this measures the stand-in, not the benchmark's own parsing.
                let bytes = match resp {
                    Ok(r) if r.status().is_success() => match r.bytes().await {
                        Ok(b) => b,
                        Err(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                    },
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                };
                done.fetch_add(1, Ordering::Relaxed);
                url = next_of(&bytes).unwrap_or_else(|| first.clone());
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let reads = done.load(Ordering::Relaxed);
    println!(
        "(b) stand-in page reads: {clients} concurrent clients, page size {page_size}, \
         {n} parcels: {reads} pages in {elapsed:.2} s = {:.0} pages/s ({:.0} parcels/s), \
         {} errors",
        reads as f64 / elapsed,
        reads as f64 * page_size as f64 / elapsed,
        errors.load(Ordering::Relaxed)
    );
    h.stop().await;
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not, and then the
    // benchmark only says how to run it (it would be slow and meaningless in a debug build).
    if !std::env::args().any(|a| a == "--bench") {
        println!("standin_paging: run with `cargo bench --bench standin_paging`");
        return;
    }
    let n = env_usize("BENCH_PARCELS", 20_000);
    let seconds = env_usize("BENCH_SECONDS", 5) as u64;
    let clients = env_usize("BENCH_CLIENTS", 8);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        println!(
            "standin_paging: {} cores, N = {n}",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        for p in [100, 500] {
            client_paging(n, p).await;
        }
        for p in [20, 100] {
            standin_page_reads(n, p, clients, seconds).await;
        }
    });
}
