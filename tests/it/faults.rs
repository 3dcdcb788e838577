//! The fault suite (issue 9): workers killed with SIGKILL at random points
//! of an Abgleich and of an order push, several times, on both databases,
//! end in exactly the state an undisturbed run reaches, with nothing twice;
//! and two workers on one database with a job longer than its lease fetch
//! each page once.
//!
//! A killed worker is a real `sendcloud-plugin serve` process killed with
//! SIGKILL. Its lease would run out after `jobs::LEASE`; the test moves the
//! clock instead of waiting (the running job's `locked_until` is set into
//! the past), as a restarted instance would find it a minute later.
//!
//! Short form (CI): `FAULT_ITERATIONS` unset, 2 rounds of up to 4 kills per
//! test and backend. Long form: `FAULT_ITERATIONS=50 cargo test --test it
//! faults` (add `FAULT_SEED=n` to replay a seed; the seed is printed).

use std::process::{Child, Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use diesel::prelude::*;
use sendcloud_plugin::db::schema::{
    sendcloud_jobs as j, sendcloud_order_pushes as op, sendcloud_parcels as p,
    sendcloud_sync_cursors as cur, sendcloud_sync_runs as r,
};
use sendcloud_plugin::jobs::JobKind;
use sendcloud_plugin::sync::SyncObject;
use sendcloud_standin::{self as standin, Faults, SeedSpec, StandinConfig, StandinHandle};

use crate::common::{TestApp, HOST_SECRET, TEST_KEY};

fn iterations() -> usize {
    std::env::var("FAULT_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
}

/// A small deterministic generator (xorshift), seeded per test.
struct Rng(u64);

impl Rng {
    fn new(name: &str) -> Rng {
        let seed = std::env::var("FAULT_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| {
                name.bytes().fold(0x9e37_79b9_7f4a_7c15u64, |h, b| {
                    h.rotate_left(5) ^ u64::from(b)
                })
            });
        println!("{name}: FAULT_SEED={seed}");
        Rng(seed.max(1))
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// A worker process on the test's database and stand-in.
fn worker(app: &TestApp, api_url: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_sendcloud-plugin"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.state.config.database_url)
        .env("SENDCLOUD_API_URL", api_url)
        .env("SENDCLOUD_PLUGIN_KEY", TEST_KEY)
        .env("SENDCLOUD_PLUGIN_HOST_SECRET", HOST_SECRET)
        .env("SENDCLOUD_PLUGIN_BIND", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("worker process starts")
}

/// Kill a worker at once (no clean shutdown) and let its lease run out.
async fn kill(app: &TestApp, mut child: Child) {
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    app.state
        .db
        .run(|c| {
            let past = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
            diesel::update(j::table.filter(j::state.eq("running")))
                .set(j::locked_until.eq(past))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
}

/// Wait (bounded) until `done` says the work is finished.
async fn until<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !done().await {
        assert!(
            start.elapsed() < StdDuration::from_secs(90),
            "{what} did not finish"
        );
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

/// The stand-in's demo account with `parcels` more parcels, pages slowed so
/// that kills land inside the run.
async fn slow_standin(parcels: usize) -> StandinHandle {
    let sc = standin::spawn(StandinConfig {
        rate_limits: false,
        page_size: 20,
        ..Default::default()
    })
    .await
    .expect("stand-in");
    let keys = sc.standin().demo_keys().unwrap();
    assert!(sc.standin().seed(
        keys.account_id,
        SeedSpec {
            parcels,
            ..Default::default()
        }
    ));
    sc.standin().set_faults(Faults {
        latency_ms: 60,
        path_prefix: Some("/api/v3/shipments".into()),
        ..Default::default()
    });
    sc
}

/// Every company connected with the demo account's keys and integration.
async fn connect_all(app: &TestApp, sc: &StandinHandle) {
    let keys = sc.standin().demo_keys().unwrap();
    app.connect_all(
        &keys.public_key,
        &keys.secret_key,
        Some(keys.integration_id as i64),
    )
    .await;
}

async fn first_company(app: &TestApp) -> i64 {
    app.state
        .db
        .run(|c| {
            Ok(sendcloud_plugin::db::schema::companies::table
                .select(sendcloud_plugin::db::schema::companies::id)
                .order(sendcloud_plugin::db::schema::companies::id)
                .first(c)?)
        })
        .await
        .unwrap()
}

/// Run the queued job with workers killed at random moments (at most
/// `kills` times), then let one worker finish it.
async fn run_with_kills(
    app: &TestApp,
    api: &str,
    rng: &mut Rng,
    kills: usize,
    window_ms: u64,
    finished: impl Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send>>,
) -> usize {
    let mut killed = 0;
    for _ in 0..kills {
        let child = worker(app, api);
        tokio::time::sleep(StdDuration::from_millis(100 + rng.below(window_ms))).await;
        kill(app, child).await;
        if finished().await {
            break;
        }
        killed += 1;
    }
    let child = worker(app, api);
    until("the job after the kills", &finished).await;
    kill(app, child).await;
    killed
}

db_async_test!(killed_workers_during_an_abgleich_end_exact, |t| {
    let sc = slow_standin(180).await;
    let keys = sc.standin().demo_keys().unwrap();
    let total = sc.standin().state().accounts[&keys.account_id]
        .parcels
        .len();
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    connect_all(&app, &sc).await;
    let company = first_company(&app).await;
    let mut rng = Rng::new("abgleich");
    let mut kills = 0;
    for round in 0..iterations() {
        let run_id = app
            .state
            .db
            .run(move |c| {
                diesel::delete(p::table).execute(c)?;
                diesel::delete(cur::table).execute(c)?;
                diesel::delete(j::table).execute(c)?;
                sendcloud_plugin::sync::enqueue(c, company, "test", &[SyncObject::Parcels])
            })
            .await
            .unwrap()
            .expect("run queued");
        let db = app.state.db.clone();
        let finished = move || {
            let db = db.clone();
            Box::pin(async move {
                db.run(move |c| {
                    Ok(r::table.find(run_id).select(r::state).first::<String>(c)? == "done")
                })
                .await
                .unwrap()
            }) as std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send>>
        };
        kills += run_with_kills(&app, &sc.api_url(), &mut rng, 4, 600, finished).await;
        let (ids, (fetched, created)): (Vec<i64>, (i32, i32)) = app
            .state
            .db
            .run(move |c| {
                Ok((
                    p::table
                        .filter(p::company_id.eq(company))
                        .select(p::sendcloud_id)
                        .load(c)?,
                    r::table
                        .find(run_id)
                        .select((r::fetched, r::created))
                        .first(c)?,
                ))
            })
            .await
            .unwrap();
        let unique: std::collections::BTreeSet<i64> = ids.iter().copied().collect();
        assert_eq!(
            (ids.len(), unique.len()),
            (total, total),
            "round {round}: every parcel, each once"
        );
        // The whole run is reported: each parcel created once over all
        // attempts; a page in flight at a kill, or the overlap window re-read
        // after a kill behind the last page, is fetched again.
        assert_eq!(
            created as usize, total,
            "round {round}: created over the run"
        );
        assert!(
            fetched as usize >= total,
            "round {round}: fetched {fetched}"
        );
    }
    println!("abgleich: {kills} workers killed mid-run");
});

db_async_test!(killed_workers_during_an_order_push_end_exact, |t| {
    let sc = slow_standin(0).await;
    // Each push call takes 300 ms: kills land before, during and after
    // Sendcloud's answer.
    sc.standin().set_faults(Faults {
        latency_ms: 300,
        path_prefix: Some("/api/v3/orders".into()),
        ..Default::default()
    });
    let keys = sc.standin().demo_keys().unwrap();
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    connect_all(&app, &sc).await;
    let company = first_company(&app).await;
    let since = chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let host = app.state.host.clone();
    let expected: usize = app
        .state
        .db
        .run(move |c| {
            Ok(host
                .orders_for_push(c, company, since, Default::default(), &Default::default())?
                .len())
        })
        .await
        .unwrap();
    assert!(expected > 10, "demo orders to push: {expected}");
    let mut rng = Rng::new("orders");
    let mut kills = 0;
    for round in 0..iterations() {
        app.state
            .db
            .run(move |c| {
                diesel::delete(op::table).execute(c)?;
                diesel::delete(j::table).execute(c)?;
                sendcloud_plugin::jobs::enqueue_job(
                    c,
                    &sendcloud_plugin::orders::PushJob::new(company, since, "test"),
                )
            })
            .await
            .unwrap()
            .expect("push queued");
        sc.standin()
            .state()
            .accounts
            .get_mut(&keys.account_id)
            .unwrap()
            .orders
            .clear();
        let db = app.state.db.clone();
        let finished = move || {
            let db = db.clone();
            Box::pin(async move {
                db.run(move |c| {
                    Ok(j::table
                        .filter(j::kind.eq(sendcloud_plugin::orders::PushJob::KIND))
                        .select(j::state)
                        .first::<String>(c)?
                        == "done")
                })
                .await
                .unwrap()
            }) as std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send>>
        };
        kills += run_with_kills(&app, &sc.api_url(), &mut rng, 4, 500, finished).await;
        let at_standin: Vec<String> = sc.standin().state().accounts[&keys.account_id]
            .orders
            .values()
            .filter_map(|o| o["order_id"].as_str().map(str::to_string))
            .collect();
        let unique: std::collections::BTreeSet<&String> = at_standin.iter().collect();
        let recorded: i64 = app
            .state
            .db
            .run(move |c| {
                Ok(op::table
                    .filter(op::company_id.eq(company))
                    .count()
                    .get_result(c)?)
            })
            .await
            .unwrap();
        assert_eq!(
            (at_standin.len(), unique.len(), recorded as usize),
            (expected, expected, expected),
            "round {round}: every order once at Sendcloud and recorded once"
        );
    }
    println!("orders: {kills} workers killed mid-push");
});

// Two workers on one database and an Abgleich longer than the lease: the
// holder renews its lease, the other never takes the job over, every page
// is fetched once. (Before the heartbeat a 15-minute lease ran out under a
// long run and a second instance ran it again.)
db_async_test!(two_workers_and_a_job_longer_than_its_lease, |t| {
    let sc = slow_standin(180).await;
    sc.standin().set_faults(Faults {
        latency_ms: 150,
        path_prefix: Some("/api/v3/shipments".into()),
        ..Default::default()
    });
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    connect_all(&app, &sc).await;
    let company = first_company(&app).await;
    let run_id = app
        .state
        .db
        .run(move |c| {
            diesel::delete(j::table).execute(c)?;
            sendcloud_plugin::sync::enqueue(c, company, "test", &[SyncObject::Parcels])
        })
        .await
        .unwrap()
        .expect("run queued");
    sc.standin().clear_requests();
    let lease = chrono::Duration::milliseconds(600);
    let beat = StdDuration::from_millis(150);
    let a = sendcloud_plugin::worker::Runner::new(app.state.ctx()).with_lease(lease, beat);
    let b = sendcloud_plugin::worker::Runner::new(app.state.ctx()).with_lease(lease, beat);
    let db = app.state.db.clone();
    let done = move || {
        let db = db.clone();
        async move {
            db.run(move |c| Ok(r::table.find(run_id).select(r::state).first::<String>(c)?))
                .await
                .unwrap()
                != "queued"
                && db
                    .run(|c| {
                        Ok(j::table
                            .filter(j::state.eq_any(["queued", "running"]))
                            .count()
                            .get_result::<i64>(c)?
                            == 0)
                    })
                    .await
                    .unwrap()
        }
    };
    // 180 parcels in pages of 20 at 150 ms a page: the run takes at least
    // 1.3 s, more than twice its 600 ms lease.
    let work = |runner: sendcloud_plugin::worker::Runner| {
        let done = done.clone();
        tokio::spawn(async move {
            let mut ran = 0;
            while !done().await {
                ran += runner.run_pending().await.unwrap();
                tokio::time::sleep(StdDuration::from_millis(20)).await;
            }
            ran
        })
    };
    let (ra, rb) = (work(a), work(b));
    let (ra, rb) = (ra.await.unwrap(), rb.await.unwrap());
    assert_eq!(ra + rb, 1, "one claim, one run");
    let cursors: Vec<String> = sc
        .standin()
        .requests()
        .iter()
        .filter(|q| q.path == "/api/v3/shipments")
        .map(|q| q.query.clone())
        .collect();
    let unique: std::collections::BTreeSet<&String> = cursors.iter().collect();
    assert_eq!(
        cursors.len(),
        unique.len(),
        "each page fetched once: {cursors:?}"
    );
    let state: String = app
        .state
        .db
        .run(move |c| Ok(r::table.find(run_id).select(r::state).first(c)?))
        .await
        .unwrap();
    assert_eq!(state, "done");
});

/// An Abgleich of `objects` run by one worker; its run row.
async fn abgleich_once(
    app: &TestApp,
    company: i64,
    objects: &[SyncObject],
) -> sendcloud_plugin::sync::Run {
    let objects = objects.to_vec();
    app.state
        .db
        .run(move |c| {
            diesel::delete(j::table).execute(c)?;
            sendcloud_plugin::integrations::enqueue_sync(c, company, "test", &objects)
        })
        .await
        .unwrap()
        .expect("run queued");
    app.run_jobs().await;
    app.state
        .db
        .run(move |c| sendcloud_plugin::sync::latest_run(c, company))
        .await
        .unwrap()
        .unwrap()
}

// Issue 10: v3 shipments and returns under a 429 storm, then 10 % 5xx with
// dropped connections: a run ends either done with exact counts or failed
// with an error that names the object, after bounded retries; once the
// faults are gone the module holds exactly what the stand-in holds, once.
db_async_test!(
    shipments_and_returns_under_faults_end_exact_or_with_a_clear_error,
    |t| {
        use sendcloud_plugin::db::schema::sendcloud_returns as ret;
        let sc = standin::spawn(StandinConfig {
            rate_limits: false,
            page_size: 10,
            ..Default::default()
        })
        .await
        .expect("stand-in");
        let keys = sc.standin().demo_keys().unwrap();
        assert!(sc.standin().seed(
            keys.account_id,
            SeedSpec {
                parcels: 40,
                returns: 20,
                ..Default::default()
            }
        ));
        let expected = {
            let s = sc.standin().state();
            let a = &s.accounts[&keys.account_id];
            (a.parcels.len() as i64, a.returns.len() as i64)
        };
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        connect_all(&app, &sc).await;
        let company = first_company(&app).await;
        let objects = [SyncObject::Parcels, SyncObject::Returns];
        let held = || {
            let db = app.state.db.clone();
            async move {
                db.run(|c| {
                    Ok((
                        p::table.count().get_result::<i64>(c)?,
                        ret::table.count().get_result::<i64>(c)?,
                    ))
                })
                .await
                .unwrap()
            }
        };

        sc.standin().set_faults(Faults {
            rate_limit_storm: true,
            ..Default::default()
        });
        let storm = abgleich_once(&app, company, &objects).await;
        assert_eq!(storm.state, "failed");
        // The run names the object that failed and why, as facts.
        assert_eq!(storm.error.as_deref(), Some("rate_limited"));
        assert_eq!(storm.error_object.as_deref(), Some("parcels"));
        assert_eq!(held().await, (0, 0), "nothing half-written");

        sc.standin().set_faults(Faults {
            error_rate: 0.1,
            drop_rate: 0.05,
            ..Default::default()
        });
        for _ in 0..2 {
            let run = abgleich_once(&app, company, &objects).await;
            match run.state.as_str() {
                "done" => assert_eq!(held().await, expected),
                _ => assert!(run.error.is_some_and(|e| !e.is_empty())),
            }
        }
        sc.standin().set_faults(Faults::default());
        let last = abgleich_once(&app, company, &objects).await;
        assert_eq!(last.state, "done", "{:?}", last.error);
        assert_eq!(held().await, expected);
    }
);
