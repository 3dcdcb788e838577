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
use sendcloud_plugin::jobs::{self, NewJob};
use sendcloud_plugin::worker::scheduler;
use sendcloud_plugin::sync::SyncObject;

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
