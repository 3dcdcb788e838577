//! Labels for goods deliveries against the stand-in (issue 11): created
//! through v3 announce and written back to the host; exactly one shipment per
//! delivery (two concurrent requests, a crash between Sendcloud's answer and
//! our commit); every pre-flight rule keeps Sendcloud from being called; the
//! Logs entry leaves after a fixed retry or a label made in Sendcloud; EU and
//! non-EU content; cancel outcomes; test mode; 50 labels in bulk.

use diesel::prelude::*;
use sendcloud_plugin::db::schema::{deliveries as d, sendcloud_labels as l};
use sendcloud_plugin::labels::{self, CancelOutcome, CreateOutcome};
use sendcloud_plugin::sync::SyncObject;
use sendcloud_standin::StandinHandle;

use crate::common::{
    create_label, delivery, label, labelled_delivery, request_labels, setup, Spec, TestApp,
};

pub fn announces(sc: &StandinHandle) -> usize {
    sc.standin()
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v3/shipments/announce")
        .count()
}

/// Shipments at the stand-in made with this reference.
pub fn shipments_with_ref(sc: &StandinHandle, reference: &str) -> usize {
    let keys = sc.standin().demo_keys().unwrap();
    sc.standin().state().accounts[&keys.account_id]
        .parcels
        .values()
        .filter(|p| p.external_reference.as_deref() == Some(reference))
        .count()
}

type HostTracking = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Vec<u8>>,
);

async fn host_tracking(app: &TestApp, delivery: i64) -> HostTracking {
    app.state
        .db
        .run(move |c| {
            Ok(d::table
                .find(delivery)
                .select((
                    d::tracking_number,
                    d::carrier,
                    d::shipping_status,
                    d::label_pdf,
                ))
                .first(c)?)
        })
        .await
        .unwrap()
}

fn problem_codes(o: &CreateOutcome) -> Vec<String> {
    match o {
        CreateOutcome::Failed(p) => p.iter().map(|p| p.code.clone()).collect(),
        other => panic!("expected a failure, got {other:?}"),
    }
}

/// The announce request the stand-in stored for a reference.
fn stored_request(sc: &StandinHandle, reference: &str) -> serde_json::Value {
    let keys = sc.standin().demo_keys().unwrap();
    let s = sc.standin().state();
    let p = s.accounts[&keys.account_id]
        .parcels
        .values()
        .find(|p| p.external_reference.as_deref() == Some(reference))
        .expect("shipment");
    serde_json::Value::Object(p.input.clone())
}

// A delivery to Germany: announced through v3 with the mapped recipient, the
// synced sender address, the option of the order's method and the weight
// from products × quantities, no customs; tracking and the label PDF reach
// the host's delivery.
db_async_test!(a_label_is_created_and_written_back, |db| {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::default()).await;
    let summary = request_labels(&app, company, &[id], "button").await;
    assert_eq!(summary.enqueued, 1);
    app.run_jobs().await;
    let row = label(&app, company, id).await;
    assert_eq!(row.state, labels::STATE_CREATED, "{:?}", row.problems);
    assert_eq!(row.shipping_state(), labels::ShippingState::LabelCreated);
    let reference = labels::external_reference(company, id);
    assert_eq!(row.external_reference_id, reference);
    assert_eq!(shipments_with_ref(&sc, &reference), 1);
    let req = stored_request(&sc, &reference);
    assert_eq!(req["to_address"]["name"], "Erika Muster");
    assert_eq!(req["to_address"]["house_number"], "12");
    assert!(
        req["from_address"]["sender_address_id"].is_number(),
        "{req}"
    );
    assert_eq!(
        req["ship_with"]["properties"]["shipping_option_code"],
        "dhl_de:dhl-paket"
    );
    assert_eq!(req["parcels"][0]["weight"]["value"], "2.500");
    assert!(
        req["customs_information"].is_null(),
        "no customs inside the EU"
    );
    let (tracking, carrier, status, pdf) = host_tracking(&app, id).await;
    assert_eq!(tracking, row.tracking_number);
    assert!(tracking.is_some());
    assert_eq!(carrier.as_deref(), Some("dhl_de"));
    assert_eq!(status.as_deref(), Some("Ready to send"));
    assert!(pdf.unwrap_or_default().starts_with(b"%PDF"));
    // Asking again changes nothing.
    let again = request_labels(&app, company, &[id], "button").await;
    assert_eq!((again.enqueued, again.already), (0, 1));
    sc.stop().await;
});

// Outside the EU customs area (Switzerland, UPS) the shipment carries customs
// information and every item its HS code and origin.
db_async_test!(a_non_eu_delivery_carries_customs, |db| {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::swiss()).await;
    let out = create_label(&app, company, id).await;
    assert!(matches!(out, CreateOutcome::Created { .. }), "{out:?}");
    let req = stored_request(&sc, &labels::external_reference(company, id));
    assert_eq!(
        req["customs_information"]["export_reason"],
        "commercial_goods"
    );
    assert_eq!(req["parcels"][0]["parcel_items"][0]["hs_code"], "691110");
    assert_eq!(req["parcels"][0]["parcel_items"][0]["origin_country"], "DE");
    sc.stop().await;
});

// Two requests for one delivery at the same time: one shipment at Sendcloud.
db_async_test!(two_concurrent_requests_make_one_shipment, |db| {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::default()).await;
    let (a, b) = tokio::join!(
        create_label(&app, company, id),
        create_label(&app, company, id)
    );
    for o in [&a, &b] {
        assert!(
            matches!(
                o,
                CreateOutcome::Created { .. } | CreateOutcome::AlreadyDone
            ),
            "{o:?}"
        );
    }
    assert_eq!(
        shipments_with_ref(&sc, &labels::external_reference(company, id)),
        1
    );
    assert_eq!(label(&app, company, id).await.state, labels::STATE_CREATED);
    sc.stop().await;
});

// The process dies between Sendcloud's answer and our commit: the row stays
// pending, the retry adopts the shipment Sendcloud made (409), no second one.
db_async_test!(a_crash_after_the_answer_is_adopted_by_the_retry, |db| {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::default()).await;
    let reference = labels::external_reference(company, id);
    labels::job::crash_after_next_announce(&sc.api_url(), &reference);
    assert!(labels::create_label(&app.state.ctx(), company, id)
        .await
        .is_err());
    assert_eq!(label(&app, company, id).await.state, labels::STATE_PENDING);
    assert_eq!(shipments_with_ref(&sc, &reference), 1);
    let out = create_label(&app, company, id).await;
    assert!(
        matches!(out, CreateOutcome::Created { adopted: true, .. }),
        "{out:?}"
    );
    assert_eq!(shipments_with_ref(&sc, &reference), 1, "no second shipment");
    assert_eq!(announces(&sc), 2, "the retry announced and got the 409");
    assert!(host_tracking(&app, id).await.0.is_some());
    sc.stop().await;
});

// Every pre-flight rule on host data: the delivery fails with its code and
// Sendcloud is not called.
db_async_test!(preflight_rules_keep_sendcloud_from_being_called, |db| {
    let (app, sc, company) = setup(db).await;
    let cases: Vec<(Spec, &str)> = vec![
        (Spec::no_house_number(), "house_number_missing"),
        // DPD needs the recipient's e-mail.
        (
            Spec {
                method: "1401",
                email: None,
                ..Spec::default()
            },
            "email_missing",
        ),
        (
            Spec {
                quantity: "1.5",
                ..Spec::default()
            },
            "quantity_fractional",
        ),
        (
            Spec {
                weight_kg: None,
                ..Spec::default()
            },
            "weight_zero",
        ),
        (
            Spec {
                weight_kg: Some("20.000"),
                ..Spec::default()
            },
            "option_weight",
        ),
        // Warenpost does not ship to France.
        (
            Spec {
                method: "1303",
                country: "FR",
                postal_code: "75001",
                weight_kg: Some("0.200"),
                quantity: "1",
                ..Spec::default()
            },
            "option_destination",
        ),
        (
            Spec {
                hs_code: None,
                ..Spec::swiss()
            },
            "hs_code_missing",
        ),
        (
            Spec {
                phone: None,
                ..Spec::swiss()
            },
            "phone_missing",
        ),
        (
            Spec {
                method: "999999",
                ..Spec::default()
            },
            "option_unmapped",
        ),
    ];
    sc.standin().clear_requests();
    for (spec, code) in cases {
        let id = delivery(&app, company, spec).await;
        let out = create_label(&app, company, id).await;
        let codes = problem_codes(&out);
        assert!(codes.iter().any(|c| c == code), "{code}: {codes:?}");
        let row = label(&app, company, id).await;
        assert_eq!(row.state, labels::STATE_FAILED);
        assert_eq!(row.shipping_state(), labels::ShippingState::Failed);
    }
    assert_eq!(announces(&sc), 0, "Sendcloud was not called");
    sc.stop().await;
});

// Missing house number → Logs → address fixed in the host → retry → the
// entry is gone and the tracking written.
db_async_test!(a_fixed_address_and_a_retry_clear_the_log_entry, |db| {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::no_house_number()).await;
    problem_codes(&create_label(&app, company, id).await);
    let failed = app
        .state
        .db
        .run(move |c| labels::labels_in_states(c, company, &[labels::STATE_FAILED], None, 50))
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    app.state
        .db
        .run(move |c| {
            diesel::sql_query(format!(
                "UPDATE customers SET house_number = '7' WHERE id = (SELECT customer_id FROM sales_orders WHERE id = (SELECT order_id FROM deliveries WHERE id = {id}))"
            ))
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    request_labels(&app, company, &[id], "retry").await;
    app.run_jobs().await;
    let failed = app
        .state
        .db
        .run(move |c| labels::failed_count(c, company))
        .await
        .unwrap();
    assert_eq!(failed, 0);
    assert!(host_tracking(&app, id).await.0.is_some());
    sc.stop().await;
});

// A label made in Sendcloud for a logged delivery's order clears the entry
// after the next parcel Abgleich, and its tracking reaches the host.
db_async_test!(
    a_label_made_in_sendcloud_clears_the_entry_after_the_abgleich,
    |db| {
        let (app, sc, company) = setup(db).await;
        let id = delivery(&app, company, Spec::no_house_number()).await;
        problem_codes(&create_label(&app, company, id).await);
        let order_number = label(&app, company, id).await.order_number;
        // Made in Sendcloud's panel: a parcel for the same order number.
        let keys = sc.standin().demo_keys().unwrap();
        let mut cfg = sendcloud_plugin::sendcloud::ClientConfig::new(
            sendcloud_plugin::sendcloud::Credentials::new(&keys.public_key, &keys.secret_key),
        );
        cfg.api_base = sc.api_url();
        let client = sendcloud_plugin::sendcloud::SendcloudClient::new(cfg).unwrap();
        let made = client
            .create_parcel_idempotent(&sendcloud_plugin::sendcloud::NewParcel {
                name: "Erika Muster".into(),
                address: "Hauptstraße 7".into(),
                city: "Stadt".into(),
                postal_code: "10115".into(),
                country: "DE".into(),
                order_number: Some(order_number),
                shipment: Some(sendcloud_plugin::sendcloud::ShipmentRef {
                    id: 1301,
                    name: None,
                }),
                request_label: Some(true),
                external_reference: Some(format!("panel-{id}")),
                ..Default::default()
            })
            .await
            .expect("parcel made in the panel");
        app.state
            .db
            .run(move |c| {
                sendcloud_plugin::integrations::enqueue_sync(
                    c,
                    company,
                    "test",
                    &[SyncObject::Parcels],
                )
            })
            .await
            .unwrap();
        app.run_jobs().await;
        let row = label(&app, company, id).await;
        assert_eq!(row.state, labels::STATE_CREATED);
        assert_eq!(row.parcel_id, Some(made.id));
        assert_eq!(host_tracking(&app, id).await.0, made.tracking_number);
        sc.stop().await;
    }
);

// Cancel outcomes in words: cancelled (same day), already cancelled,
// queued (on its way), delivered.
db_async_test!(cancel_outcomes, |db| {
    let (app, sc, company) = setup(db).await;
    let ctx = app.state.ctx();
    let keys = sc.standin().demo_keys().unwrap();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let id = delivery(&app, company, Spec::default()).await;
        create_label(&app, company, id).await;
        ids.push(id);
    }
    assert_eq!(
        labels::cancel_label(&ctx, company, ids[0]).await.unwrap(),
        CancelOutcome::Cancelled
    );
    assert_eq!(
        label(&app, company, ids[0]).await.shipping_state(),
        labels::ShippingState::Cancelled
    );
    assert_eq!(
        labels::cancel_label(&ctx, company, ids[0]).await.unwrap(),
        CancelOutcome::AlreadyCancelled
    );
    let parcel = label(&app, company, ids[1]).await.parcel_id.unwrap() as u64;
    sc.standin()
        .set_parcel_status(keys.account_id, parcel, 3)
        .await;
    assert_eq!(
        labels::cancel_label(&ctx, company, ids[1]).await.unwrap(),
        CancelOutcome::Queued
    );
    let parcel = label(&app, company, ids[2]).await.parcel_id.unwrap() as u64;
    sc.standin()
        .set_parcel_status(keys.account_id, parcel, 11)
        .await;
    assert_eq!(
        labels::cancel_label(&ctx, company, ids[2]).await.unwrap(),
        CancelOutcome::Delivered
    );
    // A cancelled delivery may get a new label: a new reference.
    let out = create_label(&app, company, ids[0]).await;
    assert!(
        matches!(out, CreateOutcome::Created { adopted: false, .. }),
        "{out:?}"
    );
    assert!(label(&app, company, ids[0])
        .await
        .external_reference_id
        .ends_with("~2"));
    sc.stop().await;
});

// Test mode: the label is created and cancelled at once.
db_async_test!(test_mode_cancels_every_label_at_once, |db| {
    let (app, sc, company) = setup(db).await;
    app.state
        .db
        .run(move |c| labels::set_test_mode(c, company, true, "admin"))
        .await
        .unwrap();
    let id = delivery(&app, company, Spec::default()).await;
    create_label(&app, company, id).await;
    let row = label(&app, company, id).await;
    assert!(row.test_mode);
    assert_eq!(row.cancel_outcome.as_deref(), Some("cancelled"));
    assert_eq!(row.shipping_state(), labels::ShippingState::Cancelled);
    let keys = sc.standin().demo_keys().unwrap();
    let parcel = row.parcel_id.unwrap() as u64;
    assert_eq!(
        sc.standin().state().accounts[&keys.account_id].parcels[&parcel].status,
        2000
    );
    sc.stop().await;
});

// Status news: a webhook-like newer status moves the host's delivery; an
// older one does not overwrite it.
db_async_test!(status_news_reach_the_host_and_older_news_never_wins, |db| {
    let (app, sc, company, id) = labelled_delivery(db).await;
    let row = label(&app, company, id).await;
    let parcel = row.parcel_id.unwrap();
    let news = |status: i64, msg: &str, at: i64| labels::ParcelNews {
        parcel_id: parcel,
        status_id: Some(status),
        status_message: msg.into(),
        as_of_ms: at,
        ..Default::default()
    };
    let now = chrono::Utc::now().timestamp_millis();
    let (newer, older) = (
        news(11, "Delivered", now + 60_000),
        news(3, "En route to sorting center", now + 30_000),
    );
    app.state
        .db
        .run(move |c| {
            labels::apply_parcel_news(
                c,
                &sendcloud_plugin::host::ReferenceHost,
                company,
                &[newer],
            )?;
            labels::apply_parcel_news(c, &sendcloud_plugin::host::ReferenceHost, company, &[older])
        })
        .await
        .unwrap();
    assert_eq!(
        host_tracking(&app, id).await.2.as_deref(),
        Some("Delivered")
    );
    assert_eq!(
        label(&app, company, id).await.shipping_state(),
        labels::ShippingState::Delivered
    );
    let history = app
        .state
        .db
        .run(move |c| labels::history(c, row.id))
        .await
        .unwrap();
    assert!(history.iter().any(|e| e.message == "Delivered"));
    // The label document is kept by status news.
    assert!(host_tracking(&app, id).await.3.is_some());
    sc.stop().await;
});

// 50 deliveries at once: 50 shipments, each once.
db_async_test!(bulk_labels_for_50_deliveries, |db| {
    let (app, sc, company) = setup(db).await;
    let mut ids = Vec::new();
    for _ in 0..50 {
        ids.push(delivery(&app, company, Spec::default()).await);
    }
    let s = request_labels(&app, company, &ids, "button").await;
    assert_eq!(s.enqueued, 50);
    app.run_jobs().await;
    let created: i64 = app
        .state
        .db
        .run(move |c| {
            Ok(l::table
                .filter(l::company_id.eq(company))
                .filter(l::state.eq(labels::STATE_CREATED))
                .count()
                .get_result(c)?)
        })
        .await
        .unwrap();
    assert_eq!(created, 50);
    for id in ids {
        assert_eq!(
            shipments_with_ref(&sc, &labels::external_reference(company, id)),
            1
        );
    }
    sc.stop().await;
});

// The auto-label sweep enqueues labels for done deliveries without one, once.
db_async_test!(the_sweep_labels_new_deliveries_once, |db| {
    let (app, sc, company) = setup(db).await;
    let host = sendcloud_plugin::host::ReferenceHost;
    // The demo's deliveries are "before the last look"; ours is new.
    let now = chrono::Utc::now().naive_utc();
    app.state
        .db
        .run(move |c| labels::set_swept_until(c, company, now + chrono::Duration::seconds(5)))
        .await
        .unwrap();
    let id = delivery(&app, company, Spec::default()).await;
    app.state
        .db
        .run(move |c| {
            let later = now + chrono::Duration::seconds(30);
            diesel::update(d::table.find(id))
                .set(d::created_at.eq(later))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let n = app
        .state
        .db
        .run(move |c| labels::sweep(c, &host, company))
        .await
        .unwrap();
    assert_eq!(n, 1);
    app.run_jobs().await;
    assert_eq!(label(&app, company, id).await.state, labels::STATE_CREATED);
    let n = app
        .state
        .db
        .run(move |c| labels::sweep(c, &host, company))
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing twice");
    sc.stop().await;
});

// The pages: Lieferungen lists the delivery with its state, *Label erstellen*
// queues the job, the Logs show the fix-list in German, test mode shows.
db_async_test!(lieferungen_and_logs_pages, |db| {
    let (app, sc, company) = setup(db).await;
    let ok = delivery(&app, company, Spec::default()).await;
    let bad = delivery(&app, company, Spec::no_house_number()).await;
    let (client, html) = app.admin_on(company, "/admin/deliveries").await;
    assert!(html.contains("Lieferungen"));
    assert!(html.contains(&format!("select-{ok}")));
    let csrf = TestApp::csrf_of(&html);
    let resp = client
        .post(app.url("/admin/deliveries/labels"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("back", "deliveries"),
            (&format!("d_{ok}"), "1"),
            (&format!("d_{bad}"), "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    app.run_jobs().await;
    let logs = app.page(&client, "/admin/logs").await;
    assert!(logs.contains("Die Hausnummer fehlt"), "{logs}");
    assert!(logs.contains(&format!("select-{bad}")));
    assert!(!logs.contains(&format!("select-{ok}")));
    let detail = app
        .page(&client, &format!("/admin/deliveries?id={ok}"))
        .await;
    assert!(detail.contains("Label erstellt"), "{detail}");
    let filtered = app.page(&client, "/admin/deliveries?state=failed").await;
    assert!(filtered.contains(&format!("select-{bad}")));
    assert!(!filtered.contains(&format!("select-{ok}")));
    app.state
        .db
        .run(move |c| labels::set_test_mode(c, company, true, "admin"))
        .await
        .unwrap();
    let html = app.page(&client, "/admin/deliveries").await;
    assert!(html.contains("test-mode-banner"));
    sc.stop().await;
});
