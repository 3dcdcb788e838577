//! The job queue and the scheduler on both backends: dedupe, leases that
//! survive a crashed worker, concurrent claiming without double runs,
//! bounded retries, intervals turned into Abgleich jobs, log purge.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use sendcloud_plugin::config::{Manifest, EMBEDDED_MANIFEST};
use sendcloud_plugin::db::schema::{
    companies, sendcloud_action_log as al, sendcloud_integrations as si, sendcloud_jobs as j,
    sendcloud_sync_cursors as cur,
};
use sendcloud_plugin::db::Db;
use sendcloud_plugin::jobs::{self, JobKind, NewJob};
use sendcloud_plugin::sync::SyncObject;
use sendcloud_plugin::worker::scheduler;

fn job(kind: &str, key: Option<&str>) -> NewJob {
    let mut n = NewJob::new(kind, None, serde_json::json!({}));
    n.dedupe_key = key.map(str::to_string);
    n
}

db_test!(dedupe_holds_while_queued_or_running, |t| {
    let db = Db::open(&t.url).unwrap();
    let mut c = db.conn().unwrap();
    let first = jobs::enqueue(&mut c, &job("sync", Some("sync:1"))).unwrap();
    assert!(first.is_some());
    assert_eq!(
        jobs::enqueue(&mut c, &job("sync", Some("sync:1"))).unwrap(),
        None
    );
    let claimed = jobs::claim(&mut c, "w1", Duration::minutes(5))
        .unwrap()
        .unwrap();
    assert_eq!(Some(claimed.id), first);
    assert_eq!(
        jobs::enqueue(&mut c, &job("sync", Some("sync:1"))).unwrap(),
        None,
        "running counts too"
    );
    jobs::complete(&mut c, claimed.id).unwrap();
    assert!(
        jobs::enqueue(&mut c, &job("sync", Some("sync:1")))
            .unwrap()
            .is_some(),
        "done frees the key"
    );
    assert!(jobs::enqueue(&mut c, &job("sync", None)).unwrap().is_some());
    assert!(
        jobs::enqueue(&mut c, &job("sync", None)).unwrap().is_some(),
        "no key, no dedupe"
    );
});

db_test!(
    a_crashed_workers_lease_runs_out_and_the_job_is_claimed_again,
    |t| {
        let db = Db::open(&t.url).unwrap();
        let mut c = db.conn().unwrap();
        jobs::enqueue(&mut c, &job("sync", None)).unwrap();
        // Worker 1 claims and "dies" (its lease already ran out).
        let a = jobs::claim(&mut c, "w1", Duration::seconds(-1))
            .unwrap()
            .unwrap();
        let b = jobs::claim(&mut c, "w2", Duration::minutes(5))
            .unwrap()
            .unwrap();
        assert_eq!(a.id, b.id);
        assert_eq!(b.attempts, 2);
        // With a live lease nobody else gets it.
        assert!(jobs::claim(&mut c, "w3", Duration::minutes(5))
            .unwrap()
            .is_none());
    }
);

db_test!(retries_back_off_and_stop, |t| {
    let db = Db::open(&t.url).unwrap();
    let mut c = db.conn().unwrap();
    let mut n = job("sync", None);
    n.max_attempts = 2;
    jobs::enqueue(&mut c, &n).unwrap();
    let first = jobs::claim(&mut c, "w", Duration::minutes(5))
        .unwrap()
        .unwrap();
    assert!(jobs::fail(&mut c, &first, "boom").unwrap(), "retried");
    assert!(
        jobs::claim(&mut c, "w", Duration::minutes(5))
            .unwrap()
            .is_none(),
        "not before the backoff"
    );
    diesel::update(j::table)
        .set(j::run_after.eq(Utc::now().naive_utc() - Duration::seconds(1)))
        .execute(&mut c)
        .unwrap();
    let second = jobs::claim(&mut c, "w", Duration::minutes(5))
        .unwrap()
        .unwrap();
    assert!(
        !jobs::fail(&mut c, &second, "boom again").unwrap(),
        "given up"
    );
    let (state, error): (String, Option<String>) = j::table
        .select((j::state, j::last_error))
        .first(&mut c)
        .unwrap();
    assert_eq!(
        (state.as_str(), error.as_deref()),
        ("failed", Some("boom again"))
    );
    assert_eq!(jobs::backoff(1), Duration::seconds(30));
    assert_eq!(jobs::backoff(20), Duration::hours(1));
});

db_test!(concurrent_workers_never_run_a_job_twice, |t| {
    let db = Db::open(&t.url).unwrap();
    {
        let mut c = db.conn().unwrap();
        for _ in 0..40 {
            jobs::enqueue(&mut c, &job("sync", None)).unwrap();
        }
    }
    let handles: Vec<_> = (0..4)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut got = vec![];
                let mut c = db.conn().unwrap();
                while let Some(job) =
                    jobs::claim(&mut c, &format!("w{w}"), Duration::minutes(5)).unwrap()
                {
                    got.push(job.id);
                    jobs::complete(&mut c, job.id).unwrap();
                }
                got
            })
        })
        .collect();
    let mut all: Vec<i64> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(n, 40, "every job claimed");
    assert_eq!(all.len(), 40, "no job claimed twice");
});

db_test!(the_scheduler_turns_intervals_into_jobs, |t| {
    let db = Db::open(&t.url).unwrap();
    let mut c = db.conn().unwrap();
    sendcloud_plugin::host::demo::load_if_empty(&mut c).unwrap();
    let manifest = Manifest::parse(EMBEDDED_MANIFEST, "plugin.toml").unwrap();
    let ids: Vec<i64> = companies::table
        .select(companies::id)
        .order(companies::id)
        .load(&mut c)
        .unwrap();
    let now = Utc::now().naive_utc();
    // Nothing connected: nothing to sync.
    let tick = scheduler::tick(&mut c, &manifest, now).unwrap();
    assert!(tick.syncs.is_empty());
    assert!(tick.purge, "the first tick schedules the log purge");
    // One connected company: every object the engine syncs is due once.
    sendcloud_plugin::integrations::ensure_row(&mut c, ids[0]).unwrap();
    diesel::update(si::table.filter(si::company_id.eq(ids[0])))
        .set(si::state.eq("connected"))
        .execute(&mut c)
        .unwrap();
    let tick = scheduler::tick(&mut c, &manifest, now).unwrap();
    assert_eq!(tick.syncs.len(), 1);
    assert_eq!(tick.syncs[0].0, ids[0]);
    assert_eq!(
        tick.syncs[0].1,
        [
            SyncObject::SenderAddresses,
            SyncObject::ShippingMethods,
            SyncObject::ParcelStatuses,
            SyncObject::Parcels,
            SyncObject::Returns,
            SyncObject::Invoices,
            SyncObject::Brands
        ]
    );
    assert!(!tick.purge, "purge not due again");
    // A second instance ticking at the same time adds nothing.
    assert!(scheduler::tick(&mut c, &manifest, now)
        .unwrap()
        .syncs
        .is_empty());
    // After a successful run, nothing is due until the interval has passed.
    diesel::delete(j::table).execute(&mut c).unwrap();
    for object in [
        "sender_addresses",
        "shipping_methods",
        "parcel_statuses",
        "parcels",
        "returns",
        "invoices",
        "brands",
    ] {
        diesel::insert_into(cur::table)
            .values((
                cur::company_id.eq(ids[0]),
                cur::object.eq(object),
                cur::updated_at.eq(now),
            ))
            .execute(&mut c)
            .unwrap();
    }
    assert!(
        scheduler::tick(&mut c, &manifest, now + Duration::minutes(5))
            .unwrap()
            .syncs
            .is_empty()
    );
    let later = now
        + Duration::minutes(i64::from(manifest.job_interval("sync.sender_addresses").unwrap()) + 1);
    let tick = scheduler::tick(&mut c, &manifest, later).unwrap();
    assert_eq!(tick.syncs.len(), 1);
});

db_test!(old_log_entries_are_purged_per_company_retention, |t| {
    let db = Db::open(&t.url).unwrap();
    let mut c = db.conn().unwrap();
    sendcloud_plugin::host::demo::load_if_empty(&mut c).unwrap();
    let manifest = Manifest::parse(EMBEDDED_MANIFEST, "plugin.toml").unwrap();
    let company: i64 = companies::table
        .select(companies::id)
        .first(&mut c)
        .unwrap();
    let now = Utc::now().naive_utc();
    for days in [1, 6, 8, 30] {
        diesel::insert_into(al::table)
            .values((
                al::company_id.eq(company),
                al::at.eq(now - Duration::days(days)),
                al::direction.eq("out"),
                al::action.eq("test"),
                al::target.eq("t"),
                al::result.eq("ok"),
                al::message.eq(format!("{days} days old")),
            ))
            .execute(&mut c)
            .unwrap();
    }
    let (logs, _) = sendcloud_plugin::worker::purge::purge(&mut c, &manifest, now).unwrap();
    assert_eq!(logs, 2, "older than the default 7 days");
    let left: Vec<String> = al::table
        .select(al::message)
        .order(al::at.desc())
        .load(&mut c)
        .unwrap();
    assert_eq!(left, vec!["1 days old", "6 days old"]);
});

// Issue 9, defect 1: a running job's lease is renewed, so a second worker
// does not claim it while the first still works; a worker whose lease was
// taken over learns it at its next renewal and cannot finish the job.
db_test!(
    a_renewed_lease_keeps_the_job_and_a_lost_one_is_noticed,
    |t| {
        let db = Db::open(&t.url).unwrap();
        let mut c = db.conn().unwrap();
        jobs::enqueue(&mut c, &job("sync", None)).unwrap();
        let t0 = Utc::now().naive_utc();
        let lease = jobs::LEASE;
        let a = jobs::claim_at(&mut c, "A", t0, lease).unwrap().unwrap();
        // A renews before its lease runs out: B finds nothing after the first lease.
        assert!(jobs::heartbeat(&mut c, a.id, "A", t0 + Duration::seconds(50), lease).unwrap());
        assert_eq!(
            jobs::claim_at(&mut c, "B", t0 + Duration::seconds(70), lease).unwrap(),
            None,
            "renewed: not claimable"
        );
        // A stops renewing (dies): after its lease B takes over.
        let later = t0 + Duration::seconds(50) + lease + Duration::seconds(1);
        let b = jobs::claim_at(&mut c, "B", later, lease).unwrap().unwrap();
        assert_eq!(b.id, a.id);
        assert!(
            !jobs::heartbeat(&mut c, a.id, "A", later, lease).unwrap(),
            "A learns it lost the job"
        );
        assert!(
            !jobs::complete_owned(&mut c, a.id, "A").unwrap(),
            "A cannot finish it"
        );
        // A's late failure does not touch B's run either.
        jobs::fail_owned(&mut c, &a, Some("A"), "late").unwrap();
        let (state, holder): (String, Option<String>) = j::table
            .find(a.id)
            .select((j::state, j::locked_by))
            .first(&mut c)
            .unwrap();
        assert_eq!((state.as_str(), holder.as_deref()), ("running", Some("B")));
        assert!(jobs::complete_owned(&mut c, b.id, "B").unwrap());
        // The lease is short enough that a dead worker's job resumes soon.
        assert!(jobs::LEASE <= Duration::minutes(2));
        assert!(jobs::HEARTBEAT.as_secs() * 3 <= jobs::LEASE.num_seconds() as u64);
    }
);

/// A job that takes its own lease away (as another instance would after a
/// lost renewal) and then never ends: the runner notices at its next
/// heartbeat, stops, and leaves the job to the new holder.
#[derive(serde::Serialize, serde::Deserialize)]
struct StolenJob {}

impl sendcloud_plugin::jobs::JobKind for StolenJob {
    const KIND: &'static str = "test.stolen";
    fn company_id(&self) -> Option<i64> {
        None
    }
    fn dedupe_key(&self) -> Option<String> {
        None
    }
    fn run(
        self,
        ctx: sendcloud_plugin::context::Context,
    ) -> futures_util::future::BoxFuture<'static, Result<(), sendcloud_plugin::jobs::JobError>>
    {
        Box::pin(async move {
            ctx.db
                .run(|c| {
                    diesel::update(j::table.filter(j::kind.eq(StolenJob::KIND)))
                        .set(j::locked_by.eq("other-instance"))
                        .execute(c)?;
                    Ok(())
                })
                .await?;
            std::future::pending::<()>().await;
            Ok(())
        })
    }
}

db_async_test!(a_runner_stops_when_its_lease_is_taken_over, |t| {
    let app = crate::common::TestApp::spawn(t).await;
    let runner = sendcloud_plugin::worker::Runner::new(app.state.ctx())
        .with_registry(sendcloud_plugin::worker::Registry::standard().with::<StolenJob>())
        .with_lease(Duration::seconds(30), std::time::Duration::from_millis(20));
    app.state
        .db
        .run(|c| sendcloud_plugin::jobs::enqueue_job(c, &StolenJob {}))
        .await
        .unwrap();
    let (job, result) = runner.run_next().await.unwrap().expect("a job ran");
    assert_eq!(job.kind, StolenJob::KIND);
    assert_eq!(result, Err("lease lost".to_string()));
    let (state, holder): (String, Option<String>) = app
        .state
        .db
        .run(move |c| {
            Ok(j::table
                .find(job.id)
                .select((j::state, j::locked_by))
                .first(c)?)
        })
        .await
        .unwrap();
    assert_eq!(
        (state.as_str(), holder.as_deref()),
        ("running", Some("other-instance")),
        "left to the new holder, not marked done or failed"
    );
});
