//! The Abgleich against the stand-in. Parcels (incremental): the first run
//! reads every parcel page by page, a run with nothing new costs one request,
//! a change at Sendcloud shows up after the next run, and a run that dies
//! halfway resumes at the page after the last one written. Brands (snapshot):
//! new ones appear, vanished ones turn inactive.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use sendcloud_plugin::db::schema::sendcloud_parcels as p;
use sendcloud_plugin::sendcloud::{ClientConfig, Credentials, RetryPolicy, SendcloudClient};
use sendcloud_plugin::sync::{parcels, Run, SyncObject};
use sendcloud_standin::{self as standin, Faults, SeedSpec, StandinConfig, StandinHandle};

use crate::common::TestApp;

const PAGE: usize = 20;

/// A stand-in whose demo account holds `n` more parcels, all last changed a
/// day ago (outside any overlap window).
async fn standin_with_parcels(n: usize) -> StandinHandle {
    let sc = standin::spawn(StandinConfig {
        rate_limits: false,
        page_size: PAGE,
        ..Default::default()
    })
    .await
    .expect("stand-in");
    let keys = sc.standin().demo_keys().unwrap();
    assert!(sc.standin().seed(
        keys.account_id,
        SeedSpec {
            parcels: n,
            ..Default::default()
        }
    ));
    let mut s = sc.standin().state();
    for parcel in s
        .accounts
        .get_mut(&keys.account_id)
        .unwrap()
        .parcels
        .values_mut()
    {
        parcel.date_updated = Utc::now() - Duration::days(1);
    }
    drop(s);
    sc
}

/// A client for the demo account that never retries (a fault stays a fault).
fn client_without_retries(sc: &StandinHandle) -> SendcloudClient {
    let keys = sc.standin().demo_keys().unwrap();
    let mut cfg = ClientConfig::new(Credentials::new(&keys.public_key, &keys.secret_key));
    cfg.api_base = sc.api_url();
    cfg.retry = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    };
    SendcloudClient::new(cfg).unwrap()
}

fn parcels_at_standin(sc: &StandinHandle) -> usize {
    let keys = sc.standin().demo_keys().unwrap();
    sc.standin().state().accounts[&keys.account_id]
        .parcels
        .len()
}

/// Connect the first company with the stand-in's demo keys.
async fn connect(app: &TestApp, sc: &StandinHandle) -> i64 {
    let company = crate::common::connect_first_company(app, sc, None).await;
    // v3 shipments state status codes and messages; the status ids come from
    // the synced status list, as in a first synchronisation.
    abgleich_of(app, sc, company, SyncObject::ParcelStatuses).await;
    company
}

/// An Abgleich of parcels as the scheduler or the button starts it: the
/// number of v3 `GET /shipments` requests it made, and its run row.
async fn abgleich(app: &TestApp, sc: &StandinHandle, company: i64) -> (usize, Run) {
    let run = abgleich_of(app, sc, company, SyncObject::Parcels).await;
    (parcel_requests(sc), run)
}

/// An Abgleich of one object type; its run row (asserted done).
async fn abgleich_of(app: &TestApp, sc: &StandinHandle, company: i64, object: SyncObject) -> Run {
    sc.standin().clear_requests();
    let run = app
        .state
        .db
        .run(move |c| sendcloud_plugin::integrations::enqueue_sync(c, company, "test", &[object]))
        .await
        .unwrap();
    assert!(run.is_some(), "run queued");
    app.run_jobs().await;
    let run = app
        .state
        .db
        .run(move |c| sendcloud_plugin::sync::latest_run(c, company))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.state, "done", "{:?}", run.error);
    run
}

fn parcel_requests(sc: &StandinHandle) -> usize {
    sc.standin()
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v3/shipments")
        .count()
}

async fn stored(app: &TestApp) -> Vec<(i64, Option<i64>, String)> {
    app.state
        .db
        .run(|c| {
            Ok(p::table
                .order(p::sendcloud_id)
                .select((p::sendcloud_id, p::status_id, p::tracking_number))
                .load(c)?)
        })
        .await
        .unwrap()
}

db_async_test!(
    the_abgleich_reads_everything_once_then_only_what_changed,
    |t| {
        let sc = standin_with_parcels(95).await;
        let total = parcels_at_standin(&sc);
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let company = connect(&app, &sc).await;

        let (requests, _) = abgleich(&app, &sc, company).await;
        assert_eq!(requests, total.div_ceil(PAGE), "one request per page");
        let rows = stored(&app).await;
        assert_eq!(rows.len(), total);
        let ids: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(ids.len(), total, "each parcel once");

        // Nothing changed at Sendcloud: one request, nothing written.
        assert_eq!(abgleich(&app, &sc, company).await.0, 1);
        assert_eq!(stored(&app).await, rows);

        // Three parcels change at Sendcloud: the next run fetches just those.
        let keys = sc.standin().demo_keys().unwrap();
        let changed: Vec<u64> = {
            let mut s = sc.standin().state();
            let account = s.accounts.get_mut(&keys.account_id).unwrap();
            account
                .parcels
                .values_mut()
                .take(3)
                .map(|parcel| {
                    parcel.status = 11;
                    parcel.date_updated = Utc::now();
                    parcel.id
                })
                .collect()
        };
        let (requests, run) = abgleich(&app, &sc, company).await;
        assert_eq!(requests, 1);
        assert_eq!((run.fetched, run.updated), (3, 3));
        for ((id, status, _), (_, before, _)) in stored(&app).await.into_iter().zip(&rows) {
            if changed.contains(&(id as u64)) {
                assert_eq!(status, Some(11), "parcel {id} changed");
            } else {
                assert_eq!(status, *before, "parcel {id} unchanged");
            }
        }
    }
);

db_async_test!(
    an_interrupted_abgleich_resumes_after_the_last_page_written,
    |t| {
        let sc = standin_with_parcels(95).await;
        let total = parcels_at_standin(&sc);
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let company = connect(&app, &sc).await;
        let client = client_without_retries(&sc);
        let ctx = app.state.ctx();

        // The third page fails for good: two pages are written, the position
        // points at the third.
        sc.standin().set_faults(Faults {
            pass_first: 2,
            fail_next: 1,
            path_prefix: Some("/api/v3/shipments".into()),
            ..Default::default()
        });
        sc.standin().clear_requests();
        let failed = parcels::sync(&ctx, &client, company).await;
        assert!(failed.is_err(), "the run fails on page 3");
        assert_eq!(stored(&app).await.len(), 2 * PAGE);
        let pos = app
            .state
            .db
            .run(move |c| parcels::position(c, company))
            .await
            .unwrap();
        let resume = pos.resume.expect("position saved with the last page");
        assert!(pos.high_water.is_none(), "the run did not finish");

        // The next run reads from page 3 on, not from the start.
        sc.standin().set_faults(Faults::default());
        sc.standin().clear_requests();
        let counts = parcels::sync(&ctx, &client, company).await.unwrap();
        let cursors: Vec<Option<String>> = sc
            .standin()
            .requests()
            .iter()
            .filter(|r| r.path == "/api/v3/shipments")
            .map(|r| {
                url::form_urlencoded::parse(r.query.as_bytes())
                    .find(|(k, _)| k == "cursor")
                    .map(|(_, v)| v.into_owned())
            })
            .collect();
        assert_eq!(cursors.len(), total.div_ceil(PAGE) - 2, "{cursors:?}");
        assert_eq!(cursors[0].as_deref(), Some(resume.next.as_str()));
        assert_eq!(counts.created as usize, total - 2 * PAGE);
        let rows = stored(&app).await;
        let ids: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.0).collect();
        assert_eq!((rows.len(), ids.len()), (total, total), "all, each once");
        let pos = app
            .state
            .db
            .run(move |c| parcels::position(c, company))
            .await
            .unwrap();
        assert!(pos.resume.is_none() && pos.high_water.is_some(), "{pos:?}");
    }
);

db_async_test!(a_refused_saved_cursor_makes_the_next_run_start_over, |t| {
    use sendcloud_plugin::db::schema::sendcloud_sync_cursors as cur;
    let sc = standin_with_parcels(30).await;
    let total = parcels_at_standin(&sc);
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let company = connect(&app, &sc).await;
    // A run was interrupted long ago; Sendcloud no longer knows its cursor.
    let stale = serde_json::json!({
        "next": "no-such-cursor",
        "since": null,
        "started": "2026-01-01T00:00:00",
    })
    .to_string();
    app.state
        .db
        .run(move |c| {
            diesel::insert_into(cur::table)
                .values((
                    cur::company_id.eq(company),
                    cur::object.eq("parcels"),
                    cur::cursor.eq(Some(stale)),
                    cur::updated_at.eq(Utc::now().naive_utc()),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let client = sendcloud_plugin::integrations::client_for(&app.state.ctx(), company)
        .await
        .unwrap();
    let ctx = app.state.ctx();
    let err = parcels::sync(&ctx, &client, company).await.unwrap_err();
    assert!(err.to_string().contains("Invalid cursor"), "{err}");
    let pos = app
        .state
        .db
        .run(move |c| parcels::position(c, company))
        .await
        .unwrap();
    assert_eq!(pos.resume, None, "the refused cursor is forgotten");
    // The next run reads everything.
    parcels::sync(&ctx, &client, company).await.unwrap();
    assert_eq!(stored(&app).await.len(), total);
});

db_async_test!(brands_appear_and_vanished_ones_turn_inactive, |t| {
    use sendcloud_plugin::db::schema::sendcloud_brands as b;
    let sc = standin_with_parcels(0).await;
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let company = connect(&app, &sc).await;
    let keys = sc.standin().demo_keys().unwrap();
    let at_standin = sc.standin().state().accounts[&keys.account_id].brands.len();
    assert!(at_standin > 0, "the demo account has a brand");
    let run = abgleich_of(&app, &sc, company, SyncObject::Brands).await;
    assert_eq!(
        (run.fetched, run.created),
        (at_standin as i32, at_standin as i32)
    );
    // At Sendcloud: one brand added, the first one removed.
    let removed = {
        let mut s = sc.standin().state();
        s.add_brand(keys.account_id, "Zweitmarke").unwrap();
        let account = s.accounts.get_mut(&keys.account_id).unwrap();
        let first = *account.brands.keys().next().unwrap();
        account.brands.remove(&first);
        first as i64
    };
    let run = abgleich_of(&app, &sc, company, SyncObject::Brands).await;
    assert_eq!(
        (run.created, run.updated),
        (1, 1),
        "one new, one turned inactive"
    );
    let rows: Vec<(i64, String, bool)> = app
        .state
        .db
        .run(|c| {
            Ok(b::table
                .order(b::sendcloud_id)
                .select((b::sendcloud_id, b::name, b::active))
                .load(c)?)
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), at_standin + 1);
    for (id, name, active) in rows {
        assert_eq!(active, id != removed, "{name}");
    }
    let counts = app
        .state
        .db
        .run(move |c| sendcloud_plugin::sync::synced_counts(c, company))
        .await
        .unwrap();
    assert_eq!(
        counts.get(sendcloud_plugin::sync::SyncObject::Brands),
        at_standin as i64
    );
});

// Issue 8, defect 1: every checkbox of the Abgleich form counts. Each
// object posted alone queues a run of exactly that object; none gives a
// clear message and queues nothing.
db_async_test!(abgleich_form_runs_exactly_the_ticked_object, |db| {
    use sendcloud_plugin::db::schema::{sendcloud_jobs as j, sendcloud_sync_runs as r};
    let app = TestApp::spawn(db).await;
    // Every company connected: the page acts on whichever is selected.
    app.connect_all("pk", "sk", None).await;
    let client = app.client();
    app.login(&client, "admin", crate::common::ADMIN_PASSWORD)
        .await;
    let page = app.page(&client, "/admin/config").await;
    let csrf = TestApp::csrf_of(&page);
    let offered: Vec<SyncObject> = SyncObject::available().collect();
    assert!(offered.contains(&SyncObject::Parcels) && offered.contains(&SyncObject::Brands));
    for object in offered {
        assert!(
            page.contains(&format!("name=\"{}\"", object.as_str())),
            "the form offers {object:?}"
        );
        let res = client
            .post(app.url("/admin/sync"))
            .form(&[("csrf_token", csrf.as_str()), (object.as_str(), "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let runs: Vec<String> = app
            .state
            .db
            .run(move |c| {
                let objects = r::table.select(r::objects).load::<String>(c)?;
                diesel::delete(j::table).execute(c)?;
                diesel::delete(r::table).execute(c)?;
                Ok(objects)
            })
            .await
            .unwrap();
        assert_eq!(runs, vec![object.as_str().to_string()], "{object:?} alone");
    }
    let res = client
        .post(app.url("/admin/sync"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = app.page(&client, "/admin/config").await;
    assert!(
        page.contains("Bitte mindestens ein Objekt für den Abgleich auswählen."),
        "a clear message when nothing is ticked"
    );
    let n: i64 = app
        .state
        .db
        .run(|c| Ok(r::table.count().get_result(c)?))
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing queued");
});

// Issue 9, defect 2: a parcel whose name holds U+0000 is stored (the
// character replaced) and the parcels after it too; before, PostgreSQL
// refused the page and every run failed at the same place.
db_async_test!(a_nul_character_in_a_parcel_blocks_nothing, |t| {
    let sc = standin_with_parcels(45).await;
    let total = parcels_at_standin(&sc);
    let keys = sc.standin().demo_keys().unwrap();
    let nul_id = {
        let mut s = sc.standin().state();
        let parcels = &mut s.accounts.get_mut(&keys.account_id).unwrap().parcels;
        let (id, parcel) = parcels.iter_mut().nth(3).unwrap();
        parcel.name = "Nul\u{0}Name".into();
        *id as i64
    };
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let company = connect(&app, &sc).await;
    let (_, run) = abgleich(&app, &sc, company).await;
    assert_eq!(run.failed, 0);
    assert_eq!(stored(&app).await.len(), total, "every parcel stored");
    let name: String = app
        .state
        .db
        .run(move |c| {
            Ok(p::table
                .filter(p::sendcloud_id.eq(nul_id))
                .select(p::name)
                .first(c)?)
        })
        .await
        .unwrap();
    assert_eq!(name, "Nul\u{fffd}Name");
});

// Issue 9, defect 11: the run row counts the parcel pages as they are
// written (not only when the object ends), and a run resumed after a kill
// reports the whole run: the objects it had finished are not run again and
// the pages written before the kill still count.
db_async_test!(a_resumed_run_reports_the_whole_run, |t| {
    use sendcloud_plugin::db::schema::{sendcloud_jobs as j, sendcloud_sync_runs as r};
    let sc = standin_with_parcels(95).await;
    let total = parcels_at_standin(&sc);
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let company = connect(&app, &sc).await;
    let client = client_without_retries(&sc);
    let ctx = app.state.ctx();
    let objects = [SyncObject::SenderAddresses, SyncObject::Parcels];
    let run_id = app
        .state
        .db
        .run(move |c| {
            let id = sendcloud_plugin::sync::enqueue(c, company, "test", &objects)?;
            diesel::delete(j::table).execute(c)?;
            Ok(id)
        })
        .await
        .unwrap()
        .unwrap();
    let row = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            db.run(move |c| Ok(r::table.find(run_id).select(Run::as_select()).first(c)?))
                .await
                .unwrap()
        }
    };
    // Page 3 of the parcels fails.
    sc.standin().set_faults(Faults {
        pass_first: 2,
        fail_next: 1,
        path_prefix: Some("/api/v3/shipments".into()),
        ..Default::default()
    });
    sendcloud_plugin::sync::execute(&ctx, &client, run_id)
        .await
        .unwrap();
    let failed = row(&app).await;
    let addresses = failed.fetched as usize - 2 * PAGE;
    assert!(addresses > 0, "sender addresses counted: {failed:?}");
    assert_eq!(failed.state, "failed");
    assert_eq!(
        (failed.created as usize, failed.failed),
        (addresses + 2 * PAGE, 1),
        "the two parcel pages written count: {failed:?}"
    );
    // As a kill during page 3 would have left it: running, on parcels, with
    // the counts the last page's transaction wrote.
    app.state
        .db
        .run(move |c| {
            diesel::update(r::table.find(run_id))
                .set((
                    r::state.eq("running"),
                    r::current_object.eq("parcels"),
                    r::failed.eq(0),
                    r::error.eq(None::<String>),
                    r::finished_at.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    sc.standin().set_faults(Faults::default());
    sc.standin().clear_requests();
    sendcloud_plugin::sync::execute(&ctx, &client, run_id)
        .await
        .unwrap();
    let done = row(&app).await;
    assert_eq!(done.state, "done", "{:?}", done.error);
    assert_eq!(
        (done.fetched as usize, done.created as usize, done.failed),
        (addresses + total, addresses + total, 0),
        "the whole run: {done:?}"
    );
    assert!(
        !sc.standin()
            .requests()
            .iter()
            .any(|q| q.path.contains("addresses/sender")),
        "finished objects are not fetched again"
    );
    assert_eq!(stored(&app).await.len(), total);
});

// Issue 9, defect 2 (its second half): one record the database cannot hold
// (a weight beyond NUMERIC(10,3), refused by PostgreSQL) is set aside and
// named in the action log; the rest of its page, the run and later runs go
// on. Before, the page failed and every run stopped at the same place.
db_async_test!(a_parcel_the_database_refuses_is_set_aside, |t| {
    let sc = standin_with_parcels(45).await;
    let total = parcels_at_standin(&sc);
    let keys = sc.standin().demo_keys().unwrap();
    {
        let mut s = sc.standin().state();
        let parcels = &mut s.accounts.get_mut(&keys.account_id).unwrap().parcels;
        let (_, parcel) = parcels.iter_mut().nth(5).unwrap();
        parcel.weight = "123456789.5".parse().unwrap();
    }
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let company = connect(&app, &sc).await;
    let (_, run) = abgleich(&app, &sc, company).await;
    let stored = stored(&app).await.len();
    assert_eq!(stored + run.failed as usize, total, "{run:?}");
    assert_eq!(run.fetched as usize, total);
    let skipped: i64 = app
        .state
        .db
        .run(|c| {
            use sendcloud_plugin::db::schema::sendcloud_action_log as al;
            Ok(al::table
                .filter(al::action.eq("sync.parcels.skipped"))
                .count()
                .get_result(c)?)
        })
        .await
        .unwrap();
    assert_eq!(skipped, i64::from(run.failed), "each one named in the log");
    if app.state.db.backend() == sendcloud_plugin::db::Backend::Postgres {
        assert_eq!(run.failed, 1, "PostgreSQL refuses that weight");
    }
});
