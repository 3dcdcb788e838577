//! The incremental Abgleich of parcels (v3 shipments), returns (v3) and
//! invoices (v2) against the stand-in, on both databases: a full sync holds
//! exactly what the stand-in holds; a parcel status change, a new return and
//! a new invoice show after the next run; a run with nothing new makes one
//! request per object type; a status change whose webhook never arrived is
//! repaired by the next run; a returns run that fails halfway resumes at its
//! saved v3 cursor; `return_created` webhooks land in `sendcloud_returns`
//! linked to the outgoing parcel and the host's delivery.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use sendcloud_plugin::db::schema::{
    deliveries as d, sales_orders as so, sendcloud_invoice_items as ii, sendcloud_invoices as inv,
    sendcloud_parcels as p, sendcloud_returns as r, sendcloud_webhook_inbox as wi,
};
use sendcloud_plugin::sendcloud::{ClientConfig, Credentials, RetryPolicy, SendcloudClient};
use sendcloud_plugin::sync::{returns, Run, SyncObject};
use sendcloud_standin::{self as standin, Faults, Invoice, SeedSpec, StandinConfig, StandinHandle};

use crate::common::TestApp;

const PAGE: usize = 10;

/// A stand-in whose demo account holds `spec` more objects, all last
/// changed a day ago (outside any overlap window).
async fn seeded(spec: SeedSpec) -> StandinHandle {
    let sc = standin::spawn(StandinConfig {
        rate_limits: false,
        page_size: PAGE,
        ..Default::default()
    })
    .await
    .expect("stand-in");
    let keys = sc.standin().demo_keys().unwrap();
    assert!(sc.standin().seed(keys.account_id, spec));
    let mut s = sc.standin().state();
    let a = s.accounts.get_mut(&keys.account_id).unwrap();
    for parcel in a.parcels.values_mut() {
        parcel.date_updated = Utc::now() - Duration::days(1);
    }
    drop(s);
    sc
}

/// (parcels, returns, invoices) at the stand-in.
fn at_standin(sc: &StandinHandle) -> (i64, i64, i64) {
    let keys = sc.standin().demo_keys().unwrap();
    let s = sc.standin().state();
    let a = &s.accounts[&keys.account_id];
    (
        a.parcels.len() as i64,
        a.returns.len() as i64,
        a.invoices.len() as i64,
    )
}

/// (parcels, returns, invoices) the module holds.
async fn held(app: &TestApp) -> (i64, i64, i64) {
    app.state
        .db
        .run(|c| {
            Ok((
                p::table.count().get_result(c)?,
                r::table.count().get_result(c)?,
                inv::table.count().get_result(c)?,
            ))
        })
        .await
        .unwrap()
}

async fn connect(app: &TestApp, sc: &StandinHandle) -> i64 {
    let keys = sc.standin().demo_keys().unwrap();
    app.connect_all(
        &keys.public_key,
        &keys.secret_key,
        Some(keys.integration_id as i64),
    )
    .await;
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

/// An Abgleich of `objects` as the button starts it; its run row.
async fn run(app: &TestApp, sc: &StandinHandle, company: i64, objects: &[SyncObject]) -> Run {
    sc.standin().clear_requests();
    let objects = objects.to_vec();
    app.state
        .db
        .run(move |c| {
            diesel::delete(sendcloud_plugin::db::schema::sendcloud_jobs::table).execute(c)?;
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

fn all() -> Vec<SyncObject> {
    SyncObject::available().collect()
}

/// Requests per path since the last `clear_requests`.
fn requests_to(sc: &StandinHandle, path: &str) -> usize {
    sc.standin()
        .requests()
        .iter()
        .filter(|q| q.path == path)
        .count()
}

db_async_test!(
    full_sync_equals_the_standin_then_changes_show_and_nothing_new_costs_one_request_each,
    |t| {
        let sc = seeded(SeedSpec {
            parcels: 35,
            returns: 14,
            invoices: 3,
        })
        .await;
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let company = connect(&app, &sc).await;

        let first = run(&app, &sc, company, &all()).await;
        assert_eq!(first.state, "done", "{:?}", first.error);
        assert_eq!(held(&app).await, at_standin(&sc));
        assert!(requests_to(&sc, "/api/v3/shipments") > 1, "paged");
        assert!(requests_to(&sc, "/api/v3/returns") > 1, "paged");
        assert_eq!(requests_to(&sc, "/api/v2/parcels"), 0, "v3 only");
        // Each invoice carries its items.
        let items: i64 = app
            .state
            .db
            .run(|c| Ok(ii::table.count().get_result(c)?))
            .await
            .unwrap();
        let keys = sc.standin().demo_keys().unwrap();
        let items_at_standin: usize = {
            let s = sc.standin().state();
            s.accounts[&keys.account_id]
                .invoices
                .values()
                .map(|i| i.items.len())
                .sum()
        };
        assert_eq!(items as usize, items_at_standin);
        // Each return is linked to its outgoing parcel (found by order number).
        let expected: Vec<(i64, Option<i64>)> = {
            let s = sc.standin().state();
            s.accounts[&keys.account_id]
                .returns
                .values()
                .map(|v| (v["id"].as_i64().unwrap(), v["outgoing_parcel"].as_i64()))
                .collect()
        };
        let linked: Vec<(i64, Option<i64>)> = app
            .state
            .db
            .run(|c| {
                Ok(r::table
                    .order(r::sendcloud_id)
                    .select((r::sendcloud_id, r::outgoing_parcel_id))
                    .load(c)?)
            })
            .await
            .unwrap();
        assert_eq!(linked, expected);

        // Nothing new: one request per object type, nothing changes.
        let before = held(&app).await;
        let again = run(&app, &sc, company, &all()).await;
        assert_eq!(again.state, "done", "{:?}", again.error);
        assert_eq!((again.created, again.updated), (0, 0));
        let log = sc.standin().requests();
        let mut per_path = std::collections::BTreeMap::<String, usize>::new();
        for q in &log {
            *per_path.entry(q.path.clone()).or_default() += 1;
        }
        assert!(per_path.values().all(|n| *n == 1), "{per_path:?}");
        // One request per object type: shipping methods ask the v3 options
        // and, while they are unchanged, not the v2 methods again.
        assert!(log.len() <= all().len(), "{per_path:?}");
        assert!(
            !per_path.contains_key("/api/v2/shipping_methods"),
            "{per_path:?}"
        );
        assert_eq!(held(&app).await, before);

        // A parcel is delivered, a return and an invoice are new at Sendcloud.
        let (changed, outgoing) = {
            let mut s = sc.standin().state();
            let a = s.accounts.get_mut(&keys.account_id).unwrap();
            let parcel = a.parcels.values_mut().find(|p| p.status != 11).unwrap();
            parcel.status = 11;
            parcel.date_updated = Utc::now();
            let id = parcel.id;
            let number = parcel.order_number.clone();
            a.invoices.insert(
                990_001,
                Invoice {
                    id: 990_001,
                    reference: "EU-CENTRAL-1-0-26-DE0990001".into(),
                    kind: "periodic".into(),
                    price_incl: 11.9,
                    price_excl: 10.0,
                    is_payed: false,
                    date: Utc::now(),
                    items: vec![(9_900_011, "DHL Paket".into())],
                },
            );
            (id, number)
        };
        let new_return = sc
            .standin()
            .create_return(keys.account_id, Some(changed), 2, "Zu klein")
            .await
            .expect("return created");
        let next = run(&app, &sc, company, &all()).await;
        assert_eq!(next.state, "done", "{:?}", next.error);
        assert_eq!(held(&app).await, at_standin(&sc));
        let (status, ret, paid): (Option<i64>, (Option<i64>, String), bool) = app
            .state
            .db
            .run(move |c| {
                let status = p::table
                    .filter(p::sendcloud_id.eq(changed as i64))
                    .select(p::status_id)
                    .first(c)?;
                let ret = r::table
                    .filter(r::sendcloud_id.eq(new_return["id"].as_i64().unwrap()))
                    .select((r::outgoing_parcel_id, r::order_number))
                    .first(c)?;
                let paid = inv::table
                    .filter(inv::sendcloud_id.eq(990_001))
                    .select(inv::is_paid)
                    .first(c)?;
                Ok((status, ret, paid))
            })
            .await
            .unwrap();
        assert_eq!(status, Some(11));
        assert_eq!(ret, (Some(changed as i64), outgoing));
        assert!(!paid);
    }
);

// Item 4 of issue 10: a status change at Sendcloud whose webhook never
// reached us (the stand-in sends none for it) is picked up by the next
// incremental run.
db_async_test!(
    a_status_change_whose_webhook_was_lost_is_repaired_by_the_next_run,
    |t| {
        let sc = seeded(SeedSpec {
            parcels: 12,
            ..Default::default()
        })
        .await;
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let company = connect(&app, &sc).await;
        let objects = [SyncObject::ParcelStatuses, SyncObject::Parcels];
        assert_eq!(run(&app, &sc, company, &objects).await.state, "done");
        let keys = sc.standin().demo_keys().unwrap();
        let id = {
            let mut s = sc.standin().state();
            let a = s.accounts.get_mut(&keys.account_id).unwrap();
            let parcel = a.parcels.values_mut().find(|p| p.status != 2000).unwrap();
            parcel.status = 2000;
            parcel.date_updated = Utc::now();
            parcel.id as i64
        };
        assert!(
            sc.standin().webhook_deliveries().is_empty(),
            "no webhook sent"
        );
        let run = run(&app, &sc, company, &[SyncObject::Parcels]).await;
        assert_eq!((run.state.as_str(), run.updated), ("done", 1));
        let (status, message, code, inbox): (Option<i64>, String, Option<String>, i64) = app
            .state
            .db
            .run(move |c| {
                let (s, m, code) = p::table
                    .filter(p::sendcloud_id.eq(id))
                    .select((p::status_id, p::status_message, p::status_code))
                    .first(c)?;
                Ok((s, m, code, wi::table.count().get_result(c)?))
            })
            .await
            .unwrap();
        assert_eq!(inbox, 0, "the webhook never arrived");
        assert_eq!(
            (status, message.as_str(), code.as_deref()),
            (Some(2000), "Cancelled", Some("CANCELLED"))
        );
    }
);

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

db_async_test!(
    a_returns_run_that_fails_halfway_resumes_at_its_saved_cursor,
    |t| {
        let sc = seeded(SeedSpec {
            parcels: 10,
            returns: 35,
            ..Default::default()
        })
        .await;
        let total = at_standin(&sc).1;
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let company = connect(&app, &sc).await;
        let client = client_without_retries(&sc);
        let ctx = app.state.ctx();
        sc.standin().set_faults(Faults {
            pass_first: 2,
            fail_next: 1,
            path_prefix: Some("/api/v3/returns".into()),
            ..Default::default()
        });
        let (counts, result) = returns::sync_in_run(&ctx, &client, company, None).await;
        assert!(result.is_err(), "page 3 fails");
        assert_eq!(counts.created as usize, 2 * PAGE);
        let pos = app
            .state
            .db
            .run(move |c| returns::position(c, company))
            .await
            .unwrap();
        let resume = pos.resume.expect("the cursor of page 3 is saved");
        assert!(pos.high_water.is_none());

        sc.standin().set_faults(Faults::default());
        sc.standin().clear_requests();
        let (counts, result) = returns::sync_in_run(&ctx, &client, company, None).await;
        result.unwrap();
        let cursors: Vec<Option<String>> = sc
            .standin()
            .requests()
            .iter()
            .filter(|q| q.path == "/api/v3/returns")
            .map(|q| {
                url::form_urlencoded::parse(q.query.as_bytes())
                    .find(|(k, _)| k == "cursor")
                    .map(|(_, v)| v.into_owned())
            })
            .collect();
        assert_eq!(cursors[0].as_deref(), Some(resume.next.as_str()));
        assert_eq!(cursors.len(), (total as usize).div_ceil(PAGE) - 2);
        assert_eq!(counts.created as i64, total - 2 * PAGE as i64);
        assert_eq!(held(&app).await.1, total, "each return once");
        let pos = app
            .state
            .db
            .run(move |c| returns::position(c, company))
            .await
            .unwrap();
        assert!(pos.resume.is_none() && pos.high_water.is_some(), "{pos:?}");
    }
);

// Item 3 of issue 10: a `return_created` event waiting in the inbox is
// applied by the webhook job; the return links to its outgoing parcel (same
// order number) and, through the parcel's external reference, to the
// host's delivery.
db_async_test!(a_return_created_webhook_links_parcel_and_delivery, |t| {
    let app = TestApp::spawn(t).await;
    let (company, _hook) = crate::webhooks::connected(&app).await;
    let (delivery, number, order) = app
        .state
        .db
        .run(move |c| {
            Ok(d::table
                .inner_join(so::table)
                .filter(d::company_id.eq(company))
                .order(d::id)
                .select((d::id, d::delivery_number, so::order_number))
                .first::<(i64, String, String)>(c)?)
        })
        .await
        .unwrap();
    let parcel = sendcloud_plugin::sendcloud::Parcel {
        id: 777_001,
        order_number: Some(order.clone()),
        external_reference: Some(number.clone()),
        ..Default::default()
    };
    let body = format!(
        r#"{{"action": "return_created", "timestamp": 1732450000999, "data": {{"id": 88, "order_number": "{order}", "return_reason_id": 3, "refund_type": "money", "items": []}}}}"#
    );
    let secrets = app.state.secrets.clone();
    app.state
        .db
        .run(move |c| {
            let now = Utc::now().naive_utc();
            sendcloud_plugin::sync::parcels::store_parcels(c, company, &[parcel], 1, now)?;
            let token: String = sendcloud_plugin::db::schema::sendcloud_integrations::table
                .filter(
                    sendcloud_plugin::db::schema::sendcloud_integrations::company_id.eq(company),
                )
                .select(sendcloud_plugin::db::schema::sendcloud_integrations::webhook_token)
                .first(c)?;
            crate::webhooks::deliver(c, &secrets, company, &token, &body, now).expect("stored");
            Ok(())
        })
        .await
        .unwrap();
    app.run_jobs().await;
    let row: (
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        String,
    ) = app
        .state
        .db
        .run(move |c| {
            let row = r::table
                .filter(r::company_id.eq(company).and(r::sendcloud_id.eq(88)))
                .select((
                    r::outgoing_parcel_id,
                    r::delivery_id,
                    r::reason_id,
                    r::refund_type,
                    r::order_number,
                ))
                .first(c)?;
            Ok(row)
        })
        .await
        .unwrap();
    assert_eq!(
        row,
        (
            Some(777_001),
            Some(delivery),
            Some(3),
            Some("money".to_string()),
            order
        )
    );
    let state: String = app
        .state
        .db
        .run(|c| {
            Ok(wi::table
                .filter(wi::action.eq("return_created"))
                .select(wi::state)
                .first(c)?)
        })
        .await
        .unwrap();
    assert_eq!(state, "done");
});

// A run that reads everything again (a full resync: the position row gone)
// over parcels the module already holds: on PostgreSQL such a run inserts
// first (`ON CONFLICT DO NOTHING RETURNING`) and looks up only what it did
// not insert. New, changed and unchanged parcels must still count and store
// exactly, and the changed one must carry Sendcloud's new status.
db_async_test!(
    a_full_resync_over_stored_parcels_counts_new_changed_and_unchanged_exactly,
    |t| {
        let sc = seeded(SeedSpec {
            parcels: 23,
            ..Default::default()
        })
        .await;
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let company = connect(&app, &sc).await;
        let objects = [SyncObject::ParcelStatuses, SyncObject::Parcels];
        let first = run(&app, &sc, company, &objects).await;
        assert_eq!(first.state, "done", "{:?}", first.error);
        let (all, _, _) = at_standin(&sc);
        assert_eq!(held(&app).await.0, all);
        let keys = sc.standin().demo_keys().unwrap();
        let changed = {
            let mut s = sc.standin().state();
            let a = s.accounts.get_mut(&keys.account_id).unwrap();
            let parcel = a.parcels.values_mut().find(|p| p.status != 2000).unwrap();
            parcel.status = 2000;
            parcel.id as i64
        };
        assert!(sc.standin().seed(
            keys.account_id,
            SeedSpec {
                parcels: 2,
                ..Default::default()
            }
        ));
        app.state
            .db
            .run(move |c| {
                diesel::delete(
                    sendcloud_plugin::db::schema::sendcloud_sync_cursors::table.filter(
                        sendcloud_plugin::db::schema::sendcloud_sync_cursors::company_id
                            .eq(company),
                    ),
                )
                .execute(c)?;
                Ok(())
            })
            .await
            .unwrap();
        let again = run(&app, &sc, company, &[SyncObject::Parcels]).await;
        assert_eq!(again.state, "done", "{:?}", again.error);
        assert_eq!(
            (again.fetched, again.created, again.updated, again.unchanged),
            (all as i32 + 2, 2, 1, all as i32 - 1)
        );
        assert_eq!(held(&app).await.0, all + 2);
        let status: Option<i64> = app
            .state
            .db
            .run(move |c| {
                Ok(p::table
                    .filter(p::sendcloud_id.eq(changed))
                    .select(p::status_id)
                    .first(c)?)
            })
            .await
            .unwrap();
        assert_eq!(status, Some(2000));
    }
);
