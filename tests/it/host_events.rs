//! Host events and the scheduled order push (issue 12 items 4 and 5),
//! against the stand-in and an HTTP double of the host, on SQLite and
//! PostgreSQL: a host event makes one label and one cancellation however
//! often it comes; the outbox reaches a host that was down (503, then
//! refusing connections) with every event once, in order, signed; parked
//! events wait and are sent again by hand; the scheduled push sends new and
//! changed orders once, skips held ones and sends them after release or by
//! hand.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use diesel::prelude::*;
use sendcloud_plugin::db::schema::{deliveries as d, sales_orders as so};
use sendcloud_plugin::hostevents::{self, SecretChange};
use sendcloud_plugin::labels;
use sendcloud_plugin::users::PERM_API;
use serde_json::{json, Value};

use crate::common::{
    change_settings, create_label, delivery, label, labelled_delivery, setup, Spec, TestApp,
};
use crate::labels::announces;

const HOOK_SECRET: &str = "the-hosts-own-events-secret";

/// (signature valid, status answered, body) of every call the host got.
type Calls = Arc<Mutex<Vec<(bool, u16, Value)>>>;

/// The host's end of the events webhook: answers 503 while `up` is false.
async fn host_double() -> (String, Calls, Arc<AtomicBool>, actix_web::dev::ServerHandle) {
    use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
    let calls: Calls = Default::default();
    let up = Arc::new(AtomicBool::new(true));
    let (store, flag) = (calls.clone(), up.clone());
    let (addr, handle) = serve_double!(HttpServer::new(move || {
        let (store, flag) = (store.clone(), flag.clone());
        App::new().route(
            "/events",
            web::post().to(move |req: HttpRequest, body: web::Bytes| {
                let (store, flag) = (store.clone(), flag.clone());
                async move {
                    let sig = req
                        .headers()
                        .get(sendcloud_plugin::notify::SIGNATURE_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    let ok = sig == sendcloud_plugin::notify::sign(HOOK_SECRET.as_bytes(), &body);
                    let status = if flag.load(Ordering::SeqCst) {
                        204
                    } else {
                        503
                    };
                    store.lock().unwrap().push((
                        ok,
                        status,
                        serde_json::from_slice(&body).unwrap_or(Value::Null),
                    ));
                    if status == 204 {
                        HttpResponse::NoContent().finish()
                    } else {
                        HttpResponse::ServiceUnavailable().finish()
                    }
                }
            }),
        )
    }));
    (format!("http://{addr}/events"), calls, up, handle)
}

async fn set_hook(app: &TestApp, company: i64, url: &str) {
    let (secrets, url) = (app.state.secrets.clone(), url.to_string());
    app.state
        .db
        .run(move |c| {
            hostevents::save_hook(
                c,
                &secrets,
                company,
                &url,
                SecretChange::Set(HOOK_SECRET.into()),
                "admin",
            )
        })
        .await
        .unwrap();
}

async fn deliver(
    app: &TestApp,
    company: i64,
    at: chrono::NaiveDateTime,
) -> hostevents::DeliverReport {
    hostevents::deliver_due(&app.state.ctx(), company, at)
        .await
        .unwrap()
}

async fn counts(app: &TestApp, company: i64) -> hostevents::OutboxCounts {
    app.state
        .db
        .run(move |c| hostevents::counts(c, company))
        .await
        .unwrap()
}

/// The bodies the host accepted, in arrival order.
fn accepted(calls: &Calls) -> Vec<Value> {
    calls
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, status, _)| *status == 204)
        .map(|(_, _, b)| b.clone())
        .collect()
}

async fn set_auto_label(app: &TestApp, company: i64, on: bool) {
    change_settings(app, company, move |s| s.auto_create_label = on).await;
}

async fn post_event(app: &TestApp, company: i64, delivery: i64, event: &str) -> (u16, Value) {
    let res = app
        .client()
        .post(app.url(&format!(
            "/api/v1/companies/{company}/deliveries/{delivery}/events"
        )))
        .bearer_auth(app.host_token(&[PERM_API], None))
        .json(&json!({ "event": event }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Post a host event; its answer must be this status and outcome.
async fn expect_outcome(
    app: &TestApp,
    company: i64,
    delivery: i64,
    event: &str,
    want: (u16, &str),
) {
    let (status, body) = post_event(app, company, delivery, event).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (want.0, Some(want.1)),
        "{event}: {body}"
    );
}

fn cancels(sc: &sendcloud_standin::StandinHandle) -> usize {
    sc.standin()
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/cancel"))
        .count()
}

// The host calls the API: created twice makes one label, cancelled twice one
// cancellation; changed retries a failed label; auto-label off, unknown
// deliveries and unknown events are answered without work.
db_async_test!(host_events_in_make_one_label_and_one_cancel, |db| {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::default()).await;

    expect_outcome(&app, company, id, "created", (200, "auto_label_off")).await;
    set_auto_label(&app, company, true).await;
    expect_outcome(&app, company, id, "created", (202, "label_requested")).await;
    expect_outcome(&app, company, id, "created", (200, "already_labelled")).await;
    app.run_jobs().await;
    assert_eq!(announces(&sc), 1);
    assert_eq!(label(&app, company, id).await.state, labels::STATE_CREATED);
    expect_outcome(&app, company, id, "changed", (200, "already_labelled")).await;
    app.run_jobs().await;
    assert_eq!(announces(&sc), 1, "one label however often the host tells");

    expect_outcome(&app, company, id, "cancelled", (202, "cancel_requested")).await;
    let (status, _) = post_event(&app, company, id, "cancelled").await;
    assert_eq!(status, 202, "the same event again: the queued job");
    app.run_jobs().await;
    assert_eq!(cancels(&sc), 1);
    assert_eq!(
        label(&app, company, id).await.state,
        labels::STATE_CANCELLED
    );
    expect_outcome(&app, company, id, "cancelled", (200, "already_cancelled")).await;
    app.run_jobs().await;
    assert_eq!(
        cancels(&sc),
        1,
        "one cancellation however often the host tells"
    );
    let (_, body) = post_event(&app, company, id, "changed").await;
    assert_eq!(body["outcome"], "label_was_cancelled");

    // A failed label (no house number) is tried again when the host changes it.
    let bad = delivery(&app, company, Spec::no_house_number()).await;
    post_event(&app, company, bad, "created").await;
    app.run_jobs().await;
    assert_eq!(label(&app, company, bad).await.state, labels::STATE_FAILED);
    app.state
        .db
        .run(move |c| {
            let customer: i64 = so::table
                .inner_join(d::table.on(d::order_id.eq(so::id)))
                .filter(d::id.eq(bad))
                .select(so::customer_id)
                .first(c)?;
            diesel::update(sendcloud_plugin::db::schema::customers::table.find(customer))
                .set(sendcloud_plugin::db::schema::customers::house_number.eq(Some("7")))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    expect_outcome(&app, company, bad, "changed", (202, "label_retried")).await;
    app.run_jobs().await;
    assert_eq!(label(&app, company, bad).await.state, labels::STATE_CREATED);

    // Refusals.
    let (status, body) = post_event(&app, company, 999_999, "created").await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, body) = post_event(&app, company, id, "exploded").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed"))
    );
    // A token for another company: 403, and no cancellation queued.
    let res = app
        .client()
        .post(app.url(&format!(
            "/api/v1/companies/{company}/deliveries/{bad}/events"
        )))
        .bearer_auth(app.host_token(&[PERM_API], Some(vec![company + 1000])))
        .json(&json!({ "event": "cancelled" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "company_not_covered");
    app.run_jobs().await;
    assert_eq!(cancels(&sc), 1, "the refused event cancelled nothing");
    sc.stop().await;
});

// The module notices on its own: a label not yet moving whose delivery the
// host cancelled is cancelled at Sendcloud by the sweep, once.
db_async_test!(the_sweep_notices_a_cancelled_delivery, |db| {
    let (app, sc, company, id) = labelled_delivery(db).await;
    app.state
        .db
        .run(move |c| {
            diesel::update(d::table.find(id))
                .set(d::status.eq("cancelled"))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let host = sendcloud_plugin::host::ReferenceHost;
    let noticed = app
        .state
        .db
        .run(move |c| labels::notice_changes(c, &host, company))
        .await
        .unwrap();
    assert_eq!(noticed.cancelled, 1);
    app.run_jobs().await;
    assert_eq!(
        label(&app, company, id).await.state,
        labels::STATE_CANCELLED
    );
    let noticed = app
        .state
        .db
        .run(move |c| labels::notice_changes(c, &host, company))
        .await
        .unwrap();
    assert_eq!(noticed.cancelled, 0, "nothing twice");
    assert_eq!(cancels(&sc), 1);
    sc.stop().await;
});

// Events out: label created, status changed, delivered and failed reach a
// host that was down (503, then refusing connections) once each, in order
// per delivery, signed with its secret; a parked event holds back the later
// ones of its delivery until it is sent again; delivered rows are purged.
db_async_test!(the_outbox_survives_a_host_that_is_down, |db| {
    let (app, sc, company) = setup(db).await;
    let (url, calls, up, _server) = host_double().await;
    set_hook(&app, company, &url).await;
    up.store(false, Ordering::SeqCst);

    let a = delivery(&app, company, Spec::default()).await;
    create_label(&app, company, a).await;
    let parcel = label(&app, company, a).await.parcel_id.unwrap();
    let now_ms = Utc::now().timestamp_millis();
    let news = move |status: i64, msg: &str, at: i64| labels::ParcelNews {
        parcel_id: parcel,
        status_id: Some(status),
        status_message: msg.into(),
        as_of_ms: at,
        ..Default::default()
    };
    let (n1, n2) = (
        news(3, "En route", now_ms + 10_000),
        news(11, "Delivered", now_ms + 20_000),
    );
    app.state
        .db
        .run(move |c| {
            let h = sendcloud_plugin::host::ReferenceHost;
            c.write_transaction(|c| {
                labels::apply_parcel_news(c, &h, company, &[n1])?;
                labels::apply_parcel_news(c, &h, company, &[n2])
            })
        })
        .await
        .unwrap();
    let b = delivery(&app, company, Spec::no_house_number()).await;
    create_label(&app, company, b).await;
    assert_eq!(counts(&app, company).await.pending, 4);

    // Down: the queued delivery job tries once and stops.
    app.run_jobs().await;
    assert!(accepted(&calls).is_empty());
    let tried = calls.lock().unwrap().len();
    assert_eq!(tried, 1, "one request per run while the host is down");
    // Refusing connections: the URL points at a closed port.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    set_hook(&app, company, &format!("http://{closed}/events")).await;
    let t0 = Utc::now().naive_utc();
    let r = deliver(&app, company, t0 + Duration::minutes(5)).await;
    assert_eq!((r.delivered, r.failed), (0, 1));
    assert_eq!(counts(&app, company).await.pending, 4, "nothing lost");

    // Back: every event once, in order, signed.
    set_hook(&app, company, &url).await;
    up.store(true, Ordering::SeqCst);
    let r = deliver(&app, company, t0 + Duration::hours(2)).await;
    assert_eq!(r.delivered, 4);
    let got = accepted(&calls);
    let kinds = |delivery: i64| -> Vec<String> {
        got.iter()
            .filter(|b| b["delivery_id"] == delivery)
            .map(|b| b["event"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        kinds(a),
        ["label.created", "label.status_changed", "label.delivered"]
    );
    assert_eq!(kinds(b), ["label.failed"]);
    let ids: std::collections::HashSet<&str> = got
        .iter()
        .map(|b| b["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 4, "each event once");
    assert!(calls.lock().unwrap().iter().all(|(sig_ok, _, _)| *sig_ok));
    let created = got.iter().find(|b| b["event"] == "label.created").unwrap();
    assert_eq!(created["company_id"], company);
    assert!(created["delivery_number"]
        .as_str()
        .unwrap()
        .starts_with("LS-"));
    assert!(created["tracking_number"].is_string());
    assert!(created["shipment_id"].is_string());
    let delivered = got
        .iter()
        .find(|b| b["event"] == "label.delivered")
        .unwrap();
    assert_eq!(delivered["status_id"], 11);
    let failed = got.iter().find(|b| b["event"] == "label.failed").unwrap();
    assert!(failed["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "house_number_missing"));
    let r = deliver(&app, company, t0 + Duration::hours(3)).await;
    assert_eq!(r.delivered, 0, "nothing twice");

    // Parked: after the last attempt the event waits, and so does the next
    // event of the same delivery, until someone sends them again.
    up.store(false, Ordering::SeqCst);
    let fail_b = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            db.run(move |c| {
                let l = labels::label_of(c, company, b)?.unwrap();
                c.write_transaction(|c| labels::mark_failed(c, l.id, &[]))
            })
            .await
            .unwrap()
        }
    };
    fail_b(&app).await;
    let mut at = t0 + Duration::hours(4);
    for _ in 0..hostevents::MAX_ATTEMPTS {
        at += Duration::hours(2);
        deliver(&app, company, at).await;
    }
    assert_eq!(counts(&app, company).await.parked, 1);
    fail_b(&app).await;
    up.store(true, Ordering::SeqCst);
    let r = deliver(&app, company, at + Duration::hours(2)).await;
    assert_eq!(
        r.delivered, 0,
        "the later event waits behind the parked one"
    );
    let parked = app
        .state
        .db
        .run(move |c| hostevents::requeue_parked(c, company))
        .await
        .unwrap();
    assert_eq!(parked, 1);
    let before = accepted(&calls).len();
    let r = deliver(&app, company, at + Duration::hours(3)).await;
    assert_eq!(r.delivered, 2);
    let got = accepted(&calls);
    let seq: Vec<i64> = got[before..]
        .iter()
        .map(|b| b["sequence"].as_i64().unwrap())
        .collect();
    assert!(seq[0] < seq[1], "in order: {seq:?}");

    // Delivered events are purged with the log retention.
    let manifest = app.state.config.manifest.clone();
    app.state
        .db
        .run(move |c| {
            sendcloud_plugin::worker::purge::purge(
                c,
                &manifest,
                Utc::now().naive_utc() + Duration::days(400),
            )
        })
        .await
        .unwrap();
    assert_eq!(counts(&app, company).await.delivered, 0);
    sc.stop().await;
});

/// POSTs to the stand-in's v3 orders endpoint so far.
fn order_posts(sc: &sendcloud_standin::StandinHandle) -> usize {
    sc.standin()
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v3/orders")
        .count()
}

/// The orders the stand-in holds for the demo account.
fn stored_orders(sc: &sendcloud_standin::StandinHandle) -> usize {
    let keys = sc.standin().demo_keys().unwrap();
    sc.standin().state().accounts[&keys.account_id].orders.len()
}

async fn last_summary(app: &TestApp, company: i64) -> sendcloud_plugin::orders::StoredSummary {
    let (last, _) = app
        .state
        .db
        .run(move |c| sendcloud_plugin::orders::last_push(c, company))
        .await
        .unwrap();
    sendcloud_plugin::orders::StoredSummary::parse(&last.unwrap().message).unwrap()
}

/// Change an order in the host now (remarks), as the back office would.
async fn touch_order(app: &TestApp, order: i64, remarks: &str) {
    let remarks = remarks.to_string();
    app.state
        .db
        .run(move |c| {
            diesel::update(so::table.find(order))
                .set((
                    so::remarks.eq(Some(remarks)),
                    so::updated_at.eq(Utc::now().naive_utc()),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
}

async fn pushed_version(app: &TestApp, company: i64, order: i64) -> Option<chrono::NaiveDateTime> {
    app.state
        .db
        .run(move |c| sendcloud_plugin::orders::push_record(c, company, order))
        .await
        .unwrap()
        .map(|r| r.1)
}

async fn schedule(app: &TestApp, company: i64, at: chrono::NaiveDateTime) -> bool {
    let manifest = app.state.config.manifest.clone();
    let due = app
        .state
        .db
        .run(move |c| {
            let s = sendcloud_plugin::settings::load(c, company, &manifest)?;
            sendcloud_plugin::orders::schedule_due(c, company, &s.order_push, at)
        })
        .await
        .unwrap()
        .is_some();
    app.run_jobs().await;
    due
}

// The scheduled push sends the approved open orders once, then only what
// changed; an order held by its remarks is skipped and counted, and sent
// after its release or by hand (API and the page's button), never twice.
db_async_test!(the_scheduled_push_sends_new_and_changed_orders_once, |db| {
    let (app, sc, company) = setup(db).await;
    change_settings(&app, company, |s| {
        s.order_push.enabled = true;
        s.order_push.interval_minutes = 5;
        s.order_push.hold = sendcloud_plugin::settings::OrderHold {
            field: sendcloud_plugin::settings::HoldField::Remarks,
            marker: "#halten".into(),
        };
    })
    .await;
    let orders: Vec<(i64, String)> = app
        .state
        .db
        .run(move |c| {
            Ok(so::table
                .filter(so::company_id.eq(company))
                .filter(so::approved.eq(true))
                .filter(so::status.eq_any(["open", "partial"]))
                .filter(so::updated_at.ge(Utc::now().naive_utc() - Duration::days(30)))
                .order(so::id)
                .select((so::id, so::order_number))
                .load(c)?)
        })
        .await
        .unwrap();
    // The first scheduled push looks at the orders changed in the last 30
    // days (the demo's older ones stay for Bestellungen abgleichen).
    assert!(
        orders.len() >= 3,
        "the demo has recent approved open orders"
    );

    // The scheduler's tick enqueues the first scheduled push.
    let now = Utc::now().naive_utc();
    let manifest = app.state.config.manifest.clone();
    let tick = app
        .state
        .db
        .run(move |c| sendcloud_plugin::worker::scheduler::tick(c, &manifest, now))
        .await
        .unwrap();
    assert_eq!(tick.order_pushes, [company]);
    app.run_jobs().await;
    let first = last_summary(&app, company).await;
    assert_eq!(first.pushed, orders.len(), "{first:?}");
    let (posts, stored) = (order_posts(&sc), stored_orders(&sc));
    assert_eq!(stored, orders.len());

    // Not again before the interval; after it, nothing new: nothing sent.
    assert!(!schedule(&app, company, now + Duration::minutes(1)).await);
    assert!(schedule(&app, company, now + Duration::minutes(6)).await);
    assert_eq!(order_posts(&sc), posts, "nothing twice across runs");

    // A changed order: sent once more, updated at Sendcloud, not duplicated.
    let (x, _) = orders[0].clone();
    touch_order(&app, x, "Bitte klingeln").await;
    assert!(schedule(&app, company, now + Duration::minutes(12)).await);
    assert_eq!(order_posts(&sc), posts + 1);
    assert_eq!(last_summary(&app, company).await.pushed, 1);
    assert_eq!(stored_orders(&sc), stored);

    // Held by its remarks: skipped and counted; released: sent.
    let (y, _) = orders[1].clone();
    let before = pushed_version(&app, company, y).await;
    touch_order(&app, y, "Kunde ruft an #HALTEN").await;
    assert!(schedule(&app, company, now + Duration::minutes(18)).await);
    let s = last_summary(&app, company).await;
    assert_eq!((s.held, s.pushed), (1, 0), "{s:?}");
    assert_eq!(pushed_version(&app, company, y).await, before);
    touch_order(&app, y, "freigegeben").await;
    assert!(schedule(&app, company, now + Duration::minutes(24)).await);
    assert_eq!(last_summary(&app, company).await.pushed, 1);
    assert!(pushed_version(&app, company, y).await > before);

    // Held, then sent by hand through the API.
    let (z, z_number) = orders[2].clone();
    touch_order(&app, z, "#halten").await;
    assert!(schedule(&app, company, now + Duration::minutes(30)).await);
    assert_eq!(last_summary(&app, company).await.held, 1);
    let held_version = pushed_version(&app, company, z).await;
    let token = app.host_token(&[PERM_API], None);
    let res = app
        .client()
        .post(app.url(&format!(
            "/api/v1/companies/{company}/orders/{z_number}/push"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let body: Value = res.json().await.unwrap();
    assert!(body["job_id"].as_i64().is_some());
    app.run_jobs().await;
    assert!(pushed_version(&app, company, z).await > held_version);
    assert_eq!(stored_orders(&sc), stored, "nothing created twice");

    // The API's other forms and refusals.
    let post = |path: String, body: Value| {
        let (client, token) = (app.client(), token.clone());
        let url = app.url(&path);
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let push = format!("/api/v1/companies/{company}/orders/push");
    assert_eq!(
        post(push.clone(), json!({"order_numbers": [z_number]})).await,
        202
    );
    assert_eq!(
        post(push.clone(), json!({"since": "2026-01-01"})).await,
        202
    );
    assert_eq!(post(push.clone(), json!({})).await, 422);
    assert_eq!(post(push.clone(), json!({"since": "gestern"})).await, 422);
    assert_eq!(
        post(
            format!("/api/v1/companies/{company}/orders/NO-SUCH/push"),
            json!({})
        )
        .await,
        404
    );
    app.run_jobs().await;
    let records: i64 = app
        .state
        .db
        .run(move |c| {
            use sendcloud_plugin::db::schema::sendcloud_order_pushes as op;
            Ok(op::table
                .filter(op::company_id.eq(company))
                .count()
                .get_result(c)?)
        })
        .await
        .unwrap();
    assert!(
        records as usize > stored,
        "the push from a date sent the older orders"
    );
    assert_eq!(
        stored_orders(&sc),
        records as usize,
        "one Sendcloud order per host order"
    );

    // The page lists the orders with their state and the button.
    let (client, page) = app.admin_on(company, "/admin/orders").await;
    assert!(page.contains("Erneut senden"), "{page}");
    assert!(page.contains(&z_number));
    assert!(page.contains("zurückgehalten"), "z is shown as held");
    // The button sends it again (even unchanged and held).
    let version = pushed_version(&app, company, z).await;
    let posts = order_posts(&sc);
    let res = client
        .post(app.url("/admin/orders/resend"))
        .form(&[
            ("csrf_token", TestApp::csrf_of(&page).as_str()),
            ("order_number", z_number.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    app.run_jobs().await;
    assert_eq!(order_posts(&sc), posts + 1);
    assert!(pushed_version(&app, company, z).await >= version);
    assert_eq!(stored_orders(&sc), records as usize);
    sc.stop().await;
});
