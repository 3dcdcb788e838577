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

fn parcels_at_standin(sc: &StandinHandle) -> usize {
    let keys = sc.standin().demo_keys().unwrap();
    sc.standin().state().accounts[&keys.account_id]
        .parcels
        .len()
}

/// Connect the first company with the stand-in's demo keys.
async fn connect(app: &TestApp, sc: &StandinHandle) -> i64 {
    let keys = sc.standin().demo_keys().unwrap();
    let secrets = app.state.secrets.clone();
    app.state
        .db
        .run(move |c| {
            let company: i64 = sendcloud_plugin::db::schema::companies::table
                .select(sendcloud_plugin::db::schema::companies::id)
                .order(sendcloud_plugin::db::schema::companies::id)
                .first(c)?;
            sendcloud_plugin::integrations::store_keys(
                c,
                &secrets,
                company,
                &keys.public_key,
                &keys.secret_key,
                None,
            )?;
            Ok(company)
        })
        .await
        .unwrap()
}

/// An Abgleich of parcels as the scheduler or the button starts it: the
/// number of `GET /parcels` requests it made, and its run row.
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
        .filter(|r| r.path == "/api/v2/parcels")
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
        let keys = sc.standin().demo_keys().unwrap();
        let mut cfg = ClientConfig::new(Credentials::new(&keys.public_key, &keys.secret_key));
        cfg.api_base = sc.api_url();
        cfg.retry = RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        };
        let client = SendcloudClient::new(cfg).unwrap();
        let ctx = app.state.ctx();

        // The third page fails for good: two pages are written, the position
        // points at the third.
        sc.standin().set_faults(Faults {
            pass_first: 2,
            fail_next: 1,
            path_prefix: Some("/api/v2/parcels".into()),
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
            .filter(|r| r.path == "/api/v2/parcels")
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
    assert_eq!(counts.brands, at_standin as i64);
});
