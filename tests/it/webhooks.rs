//! The webhook inbox: signed events are stored once before the 200 (a retry
//! by Sendcloud changes nothing), refused events store nothing, the
//! credentials event is never stored, an integration event older than one
//! already applied is not applied, and the purge keeps pending events.

use diesel::prelude::*;
use sendcloud_plugin::db::schema::{
    sendcloud_action_log as al, sendcloud_integrations as si, sendcloud_webhook_inbox as wi,
};
use sendcloud_plugin::integrations::{begin_connect, webhook_url};
use sendcloud_plugin::webhooks::{handle_webhook, signature, WebhookError, WebhookOutcome};

use crate::common::{TestApp, ADMIN_PASSWORD};

const SECRET: &str = "sk-hook-test";

/// Connect the company the admin pages show first (the first by name)
/// through the credentials webhook; its id and webhook URL.
pub(crate) async fn connected(app: &TestApp) -> (i64, String) {
    let ctx = app.state.ctx();
    let secrets = app.state.secrets.clone();
    app.state
        .db
        .run(move |c| {
            let company: i64 = sendcloud_plugin::db::schema::companies::table
                .select(sendcloud_plugin::db::schema::companies::id)
                .order(sendcloud_plugin::db::schema::companies::name)
                .first(c)?;
            begin_connect(&ctx, c, company, "Shop")?;
            let token: String = si::table
                .filter(si::company_id.eq(company))
                .select(si::webhook_token)
                .first(c)?;
            let body = format!(
                r#"{{"action": "integration_credentials", "public_key": "pk-hook", "secret_key": "{SECRET}", "integration_id": 5}}"#
            );
            deliver(c, &secrets, company, &token, &body, chrono::Utc::now().naive_utc())
                .expect("connected");
            // The first synchronisation it queued needs a Sendcloud; these
            // tests have none.
            diesel::delete(sendcloud_plugin::db::schema::sendcloud_jobs::table).execute(c)?;
            Ok((company, webhook_url(&ctx, company, &token)))
        })
        .await
        .unwrap()
}

/// `body` signed with [`SECRET`], handled as received at `now`.
pub(crate) fn deliver(
    c: &mut sendcloud_plugin::db::DbConn,
    secrets: &sendcloud_plugin::crypto::SecretBox,
    company: i64,
    token: &str,
    body: &str,
    now: chrono::NaiveDateTime,
) -> Result<WebhookOutcome, WebhookError> {
    let sig = signature(SECRET, body.as_bytes());
    handle_webhook(c, secrets, company, token, Some(&sig), body.as_bytes(), now)
}

async fn post(hook: &str, key: &str, body: &str) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(hook)
        .header("Sendcloud-Signature", signature(key, body.as_bytes()))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

type InboxRow = (String, Option<i64>, Option<i64>, String, String);

async fn inbox(app: &TestApp) -> Vec<InboxRow> {
    app.state
        .db
        .run(|c| {
            Ok(wi::table
                .order(wi::id)
                .select((wi::action, wi::object_id, wi::event_ts, wi::state, wi::body))
                .load(c)?)
        })
        .await
        .unwrap()
}

db_async_test!(
    signed_events_are_stored_once_and_refused_ones_not_at_all,
    |t| {
        let app = TestApp::spawn(t).await;
        let (_, hook) = connected(&app).await;
        let parcel = r#"{"action": "parcel_status_changed", "timestamp": 1732450000123, "carrier_status_change_timestamp": null, "parcel": {"id": 4711, "status": {"id": 3, "message": "En route to sorting center"}, "tracking_number": "3SABCD0001"}}"#;
        let (status, _) = post(&hook, SECRET, parcel).await;
        assert_eq!(status, 200);
        // Sendcloud retries the same event: 200 again, nothing new stored.
        let (status, message) = post(&hook, SECRET, parcel).await;
        assert_eq!(status, 200);
        assert!(message.contains("duplicate"), "{message}");
        let ret = r#"{"action": "return_created", "timestamp": "1732450000999", "data": {"id": "88", "items": []}}"#;
        assert_eq!(post(&hook, SECRET, ret).await.0, 200);
        // A wrongly signed event and a malformed one: refused, nothing stored.
        let forged = parcel.replace("4711", "4712");
        assert_eq!(post(&hook, "not-the-secret", &forged).await.0, 401);
        assert_eq!(post(&hook, SECRET, "{\"action\": ").await.0, 400);

        let rows = inbox(&app).await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(
            (rows[0].0.as_str(), rows[0].1, rows[0].2, rows[0].3.as_str()),
            (
                "parcel_status_changed",
                Some(4711),
                Some(1_732_450_000_123),
                "pending"
            )
        );
        assert_eq!(rows[0].4, parcel, "the raw body is kept exactly");
        assert_eq!(
            (rows[1].0.as_str(), rows[1].1, rows[1].2, rows[1].3.as_str()),
            (
                "return_created",
                Some(88),
                Some(1_732_450_000_999),
                "pending"
            )
        );
        // The credentials event (it holds the secret) was never stored.
        assert!(rows.iter().all(|r| !r.4.contains(SECRET)));
        let logged: Vec<String> = app
            .state
            .db
            .run(|c| {
                Ok(al::table
                    .filter(al::action.eq("webhook.parcel_status_changed"))
                    .select(al::message)
                    .load(c)?)
            })
            .await
            .unwrap();
        assert_eq!(logged.len(), 3, "received, duplicate, forged: {logged:?}");
        // The integration page tells staff that two events wait.
        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;
        let page = app.page(&client, "/admin/config").await;
        assert!(
            page.contains(r#"id="webhook-inbox">2 Ereignisse"#),
            "pending events on the page"
        );
    }
);

db_async_test!(an_older_integration_update_does_not_undo_a_newer_one, |t| {
    let app = TestApp::spawn(t).await;
    let (company, hook) = connected(&app).await;
    // Recent payload timestamps (older ones are refused as replays).
    let base = chrono::Utc::now().timestamp_millis() - 60_000;
    let update = |ts: i64, shop: &str, active: bool| {
        format!(
            r#"{{"action": "integration_updated", "timestamp": {ts}, "integration": {{"id": 5, "shop_name": "{shop}", "system": "api", "webhook_active": {active}}}}}"#
        )
    };
    let newer = update(base + 2000, "Neu", true);
    let older = update(base + 1000, "Alt", false);
    assert_eq!(post(&hook, SECRET, &newer).await.0, 200);
    let (status, message) = post(&hook, SECRET, &older).await;
    assert_eq!(status, 200, "acknowledged, so Sendcloud stops retrying");
    assert!(message.contains("stale"), "{message}");
    let (shop, active): (Option<String>, bool) = app
        .state
        .db
        .run(move |c| {
            Ok(si::table
                .filter(si::company_id.eq(company))
                .select((si::shop_name, si::webhook_active))
                .first(c)?)
        })
        .await
        .unwrap();
    assert_eq!((shop.as_deref(), active), (Some("Neu"), true));
    let states: Vec<String> = inbox(&app).await.into_iter().map(|r| r.3).collect();
    assert_eq!(states, ["done", "stale"]);
    // A newer one still applies.
    let newest = update(base + 3000, "Neuer", true);
    assert_eq!(post(&hook, SECRET, &newest).await.0, 200);
    let shop: Option<String> = app
        .state
        .db
        .run(move |c| {
            Ok(si::table
                .filter(si::company_id.eq(company))
                .select(si::shop_name)
                .first(c)?)
        })
        .await
        .unwrap();
    assert_eq!(shop.as_deref(), Some("Neuer"));
});

db_async_test!(
    the_purge_removes_old_processed_events_and_keeps_pending_ones,
    |t| {
        let app = TestApp::spawn(t).await;
        let (company, hook) = connected(&app).await;
        let token = hook.rsplit('/').next().unwrap().to_string();
        let secrets = app.state.secrets.clone();
        let manifest = app.state.config.manifest.clone();
        let (deleted, left) = app
        .state
        .db
        .run(move |c| {
            let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(400);
            let ts = long_ago.and_utc().timestamp_millis();
            for body in [
                format!(r#"{{"action": "integration_updated", "timestamp": {ts}, "integration": {{"id": 5}}}}"#),
                format!(r#"{{"action": "parcel_status_changed", "timestamp": {}, "parcel": {{"id": 1}}}}"#, ts + 1),
            ] {
                deliver(c, &secrets, company, &token, &body, long_ago).expect("stored");
            }
            let now = chrono::Utc::now().naive_utc();
            let before: i64 = wi::table.count().get_result(c)?;
            sendcloud_plugin::worker::purge::purge(c, &manifest, now)?;
            let left: Vec<(String, String)> =
                wi::table.select((wi::action, wi::state)).load(c)?;
            Ok((before - left.len() as i64, left))
        })
        .await
        .unwrap();
        assert_eq!(deleted, 1);
        assert_eq!(
            left,
            [("parcel_status_changed".to_string(), "pending".to_string())]
        );
    }
);

db_async_test!(concurrent_deliveries_are_all_stored, |t| {
    let app = TestApp::spawn(t).await;
    let (company, hook) = connected(&app).await;
    let token = hook.rsplit('/').next().unwrap().to_string();
    let (senders, each) = (8, 40);
    let tasks: Vec<_> = (0..senders)
        .map(|s| {
            let db = app.state.db.clone();
            let secrets = app.state.secrets.clone();
            let token = token.clone();
            tokio::spawn(async move {
                let mut refused = Vec::new();
                for i in 0..each {
                    let n = s * each + i;
                    let body = format!(
                        r#"{{"action": "parcel_status_changed", "timestamp": {n}, "parcel": {{"id": {n}}}}}"#
                    );
                    let (secrets, token) = (secrets.clone(), token.clone());
                    let now = chrono::Utc::now().naive_utc();
                    let result = db
                        .run(move |c| Ok(deliver(c, &secrets, company, &token, &body, now)))
                        .await
                        .unwrap();
                    if let Err(e) = result {
                        refused.push(e.to_string());
                    }
                }
                refused
            })
        })
        .collect();
    let mut refused = Vec::new();
    for t in tasks {
        refused.extend(t.await.unwrap());
    }
    assert!(
        refused.is_empty(),
        "{} refused: {:?}",
        refused.len(),
        refused.first()
    );
    assert_eq!(inbox(&app).await.len(), senders * each);
});

db_async_test!(parcel_status_events_apply_in_payload_order, |t| {
    use sendcloud_plugin::db::schema::sendcloud_parcels as p;
    let app = TestApp::spawn(t).await;
    let (_, hook) = connected(&app).await;
    let event = |ts: i64, status: i64, message: &str| {
        format!(
            r#"{{"action": "parcel_status_changed", "timestamp": {ts}, "parcel": {{"id": 4711, "name": "Jan de Vries", "tracking_number": "3SABCD0001", "country": {{"iso_2": "NL"}}, "status": {{"id": {status}, "message": "{message}"}}, "date_updated": "24-11-2026 10:00:00"}}}}"#
        )
    };
    let status = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            db.run(|c| {
                Ok(p::table
                    .select((p::status_id, p::status_message))
                    .load::<(Option<i64>, String)>(c)?)
            })
            .await
            .unwrap()
        }
    };
    // Delivered out of order: the newer event first.
    assert_eq!(
        post(&hook, SECRET, &event(2_000, 3, "Unterwegs")).await.0,
        200
    );
    assert_eq!(
        post(&hook, SECRET, &event(1_000, 1000, "Bereit")).await.0,
        200
    );
    assert_eq!(
        post(
            &hook,
            SECRET,
            r#"{"action": "parcel_status_changed", "timestamp": 1500, "parcel": "kaputt"}"#
        )
        .await
        .0,
        200
    );
    assert!(
        status(&app).await.is_empty(),
        "processing is a job, not the receipt"
    );
    app.run_jobs().await;
    assert_eq!(status(&app).await, [(Some(3), "Unterwegs".to_string())]);
    let states: Vec<String> = inbox(&app).await.into_iter().map(|r| r.3).collect();
    assert_eq!(states, ["done", "done", "failed"]);
    // A newer one applies, even when it arrived as the processing job was
    // finishing (its own job deduplicated away): the scheduler's tick
    // queues another.
    assert_eq!(
        post(&hook, SECRET, &event(3_000, 11, "Zugestellt")).await.0,
        200
    );
    let manifest = app.state.config.manifest.clone();
    let queued_again = app
        .state
        .db
        .run(move |c| {
            use sendcloud_plugin::db::schema::sendcloud_jobs as j;
            diesel::delete(j::table.filter(j::kind.eq("webhooks.process"))).execute(c)?;
            let now = chrono::Utc::now().naive_utc();
            let tick = sendcloud_plugin::worker::scheduler::tick(c, &manifest, now)?;
            // Only the processing: the tick's Abgleich would need a Sendcloud.
            diesel::delete(j::table.filter(j::kind.ne("webhooks.process"))).execute(c)?;
            Ok(tick.webhooks)
        })
        .await
        .unwrap();
    assert_eq!(queued_again.len(), 1);
    app.run_jobs().await;
    assert_eq!(status(&app).await, [(Some(11), "Zugestellt".to_string())]);
});

// Issue 9, defect 2: a U+0000 in Sendcloud's data (here a webhook's parcel
// name) does not block the company: the event is applied with the
// character replaced, and the events after it are applied too. Before,
// PostgreSQL refused the text and every later event stayed pending.
db_async_test!(a_nul_character_in_a_webhook_blocks_nothing, |t| {
    use sendcloud_plugin::db::schema::sendcloud_parcels as p;
    let app = TestApp::spawn(t).await;
    let (_, hook) = connected(&app).await;
    let event = |ts: i64, id: i64, name: &str| {
        format!(
            r#"{{"action": "parcel_status_changed", "timestamp": {ts}, "parcel": {{"id": {id}, "name": "{name}", "tracking_number": "3SNUL{id}", "country": {{"iso_2": "NL"}}, "status": {{"id": 3, "message": "Unterwegs"}}, "date_updated": "24-11-2026 10:00:00"}}}}"#
        )
    };
    assert_eq!(
        post(&hook, SECRET, &event(1_000, 1, r"Nul\u0000Name"))
            .await
            .0,
        200
    );
    assert_eq!(post(&hook, SECRET, &event(2_000, 2, "Danach")).await.0, 200);
    app.run_jobs().await;
    let states: Vec<String> = inbox(&app).await.into_iter().map(|r| r.3).collect();
    assert_eq!(states, ["done", "done"]);
    let names: Vec<String> = app
        .state
        .db
        .run(|c| Ok(p::table.order(p::sendcloud_id).select(p::name).load(c)?))
        .await
        .unwrap();
    assert_eq!(names, ["Nul\u{fffd}Name", "Danach"]);
});

// Issue 9, defect 2: an event whose parcel the database cannot hold (a
// weight beyond NUMERIC(10,3) on PostgreSQL) fails alone, visibly; the
// events after it are applied.
db_async_test!(an_event_the_database_refuses_fails_alone, |t| {
    use sendcloud_plugin::db::schema::sendcloud_parcels as p;
    let app = TestApp::spawn(t).await;
    let (_, hook) = connected(&app).await;
    let event = |ts: i64, id: i64, weight: &str| {
        format!(
            r#"{{"action": "parcel_status_changed", "timestamp": {ts}, "parcel": {{"id": {id}, "name": "N", "weight": "{weight}", "tracking_number": "3SW{id}", "country": {{"iso_2": "NL"}}, "status": {{"id": 3, "message": "Unterwegs"}}, "date_updated": "24-11-2026 10:00:00"}}}}"#
        )
    };
    assert_eq!(
        post(&hook, SECRET, &event(1_000, 1, "123456789.5")).await.0,
        200
    );
    assert_eq!(post(&hook, SECRET, &event(2_000, 2, "1.5")).await.0, 200);
    app.run_jobs().await;
    let states: Vec<String> = inbox(&app).await.into_iter().map(|r| r.3).collect();
    let ids: Vec<i64> = app
        .state
        .db
        .run(|c| {
            Ok(p::table
                .order(p::sendcloud_id)
                .select(p::sendcloud_id)
                .load(c)?)
        })
        .await
        .unwrap();
    if app.state.db.backend() == sendcloud_plugin::db::Backend::Postgres {
        assert_eq!(states, ["failed", "done"]);
        assert_eq!(ids, [2]);
    } else {
        assert_eq!(states, ["done", "done"]);
        assert_eq!(ids, [1, 2]);
    }
});

/// Inbox ids, action-log messages, and the company's jobs (kind, dedupe key).
type Receipts = (Vec<i64>, Vec<String>, Vec<(String, Option<String>)>);

// The receipt stores facts in the action log (a translation id and the inbox
// id, rendered in the reader's language), not a German sentence; a new
// parcel event queues the inbox processing once however many arrive, and a
// duplicate queues nothing and stores nothing but its log line.
db_async_test!(
    a_receipt_is_logged_as_facts_and_queues_processing_once,
    |t| {
        let app = TestApp::spawn(t).await;
        let (company, hook) = connected(&app).await;
        let event = |parcel: i64| {
            format!(
                r#"{{"action": "parcel_status_changed", "timestamp": {}, "parcel": {{"id": {parcel}, "status": {{"id": 11, "message": "Delivered"}}}}}}"#,
                1_732_450_000_000i64 + parcel
            )
        };
        for body in [event(1), event(1), event(2)] {
            assert_eq!(post(&hook, SECRET, &body).await.0, 200);
        }
        let (ids, logged, jobs): Receipts = app
            .state
            .db
            .run(move |c| {
                use sendcloud_plugin::db::schema::sendcloud_jobs as j;
                Ok((
                    wi::table.order(wi::id).select(wi::id).load(c)?,
                    al::table
                        .filter(al::action.eq("webhook.parcel_status_changed"))
                        .order(al::id)
                        .select(al::message)
                        .load(c)?,
                    j::table
                        .filter(j::company_id.eq(company))
                        .select((j::kind, j::dedupe_key))
                        .load(c)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(ids.len(), 2);
        assert_eq!(
            logged,
            vec![
                format!(
                    r#"{{"fact":"log-webhook-stored","args":{{"inbox":{}}}}}"#,
                    ids[0]
                ),
                r#"{"fact":"log-webhook-duplicate"}"#.to_string(),
                format!(
                    r#"{{"fact":"log-webhook-stored","args":{{"inbox":{}}}}}"#,
                    ids[1]
                ),
            ]
        );
        assert_eq!(
            jobs,
            vec![(
                "webhooks.process".to_string(),
                Some(format!("webhooks.process:{company}"))
            )]
        );
    }
);

// A refused webhook is logged as facts (the reason as a code, the end of the
// counting window), read in the reader's language in the Aktions-Logging.
db_async_test!(a_refusal_is_logged_as_facts_and_read_in_german, |t| {
    let app = TestApp::spawn(t).await;
    let (_, hook) = connected(&app).await;
    let event =
        r#"{"action": "parcel_status_changed", "timestamp": 1732450000123, "parcel": {"id": 9}}"#;
    assert_eq!(post(&hook, "not-the-secret", event).await.0, 401);
    let logged: Vec<String> = app
        .state
        .db
        .run(|c| {
            Ok(al::table
                .filter(al::action.eq("webhook.parcel_status_changed"))
                .select(al::message)
                .load(c)?)
        })
        .await
        .unwrap();
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(
        logged[0].starts_with(
            r#"{"fact":"log-webhook-refused","args":{"reason":"bad_signature","until":"#
        ),
        "{logged:?}"
    );
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/reports?tab=actions").await;
    assert!(
        page.contains("Ereignis mit ungültiger Signatur verworfen"),
        "{page}"
    );
});

/// The number of inbox rows.
async fn inbox_count(app: &TestApp) -> usize {
    inbox(app).await.len()
}

fn parcel_event(id: i64, ts: i64) -> String {
    format!(
        r#"{{"action": "parcel_status_changed", "timestamp": {ts}, "parcel": {{"id": {id}, "status": {{"id": 3, "message": "En route"}}}}}}"#
    )
}

db_async_test!(
    a_cached_webhook_target_follows_a_new_secret_and_a_disconnect_at_once,
    |t| {
        let app = TestApp::spawn(t).await;
        let (company, hook) = connected(&app).await;
        // The first receipt reads the row and leaves the target in the
        // process's cache; the second one goes through the cache.
        assert_eq!(
            post(&hook, SECRET, &parcel_event(1, 1_732_450_000_001))
                .await
                .0,
            200
        );
        assert_eq!(app.state.webhook_targets.len(), 1, "the target is cached");
        assert_eq!(
            post(&hook, SECRET, &parcel_event(2, 1_732_450_000_002))
                .await
                .0,
            200
        );
        assert_eq!(inbox_count(&app).await, 2);

        // New keys (as another instance's connect flow stores them): the old
        // secret no longer signs, the new one does, at once.
        let secrets = app.state.secrets.clone();
        app.state
            .db
            .run(move |c| {
                sendcloud_plugin::integrations::store_keys(
                    c,
                    &secrets,
                    company,
                    "pk-new",
                    "sk-new",
                    Some(5),
                )
            })
            .await
            .unwrap();
        assert_eq!(
            post(&hook, SECRET, &parcel_event(3, 1_732_450_000_003))
                .await
                .0,
            401
        );
        assert_eq!(
            inbox_count(&app).await,
            2,
            "nothing stored under the old secret"
        );
        assert_eq!(
            post(&hook, "sk-new", &parcel_event(4, 1_732_450_000_004))
                .await
                .0,
            200
        );
        assert_eq!(
            post(&hook, "sk-new", &parcel_event(5, 1_732_450_000_005))
                .await
                .0,
            200
        );
        assert_eq!(inbox_count(&app).await, 4);

        // Disconnected (by a user, maybe on another instance): the cached
        // URL and secret are refused at once and nothing is stored.
        app.state
            .db
            .run(move |c| sendcloud_plugin::integrations::disconnect_by(c, company, "admin"))
            .await
            .unwrap();
        assert_eq!(
            post(&hook, "sk-new", &parcel_event(6, 1_732_450_000_006))
                .await
                .0,
            404
        );
        assert_eq!(
            inbox_count(&app).await,
            4,
            "nothing stored after the disconnect"
        );
    }
);

db_async_test!(
    a_target_cached_by_one_instance_is_checked_against_the_row,
    |t| {
        use sendcloud_plugin::webhooks::{handle_webhook_cached, TargetCache};
        let app = TestApp::spawn(t).await;
        let (company, _) = connected(&app).await;
        let secrets = app.state.secrets.clone();
        app.state
            .db
            .run(move |c| {
                let token: String = si::table
                    .filter(si::company_id.eq(company))
                    .select(si::webhook_token)
                    .first(c)?;
                let now = chrono::Utc::now().naive_utc();
                // Two instances, each with its own cache, one database.
                let (one, other) = (TargetCache::new(), TargetCache::new());
                let send = |c: &mut sendcloud_plugin::db::DbConn,
                            cache: &TargetCache,
                            key: &str,
                            body: &str| {
                    let sig = signature(key, body.as_bytes());
                    handle_webhook_cached(
                        c,
                        &secrets,
                        cache,
                        company,
                        &token,
                        Some(&sig),
                        body.as_bytes(),
                        now,
                    )
                };
                let accepted = WebhookOutcome::Accepted("parcel_status_changed".into());
                let first = parcel_event(1, 1_732_450_000_001);
                assert_eq!(send(c, &one, SECRET, &first).unwrap(), accepted);
                assert_eq!(one.len(), 1);
                // The duplicate through the cache is still a duplicate.
                assert_eq!(
                    send(c, &one, SECRET, &first).unwrap(),
                    WebhookOutcome::Duplicate("parcel_status_changed".into())
                );
                // The other instance stores new keys with the same token.
                sendcloud_plugin::integrations::store_keys(
                    c,
                    &secrets,
                    company,
                    "pk",
                    "sk-2",
                    Some(5),
                )?;
                let old = send(c, &one, SECRET, &parcel_event(2, 1_732_450_000_002));
                assert!(matches!(old, Err(WebhookError::BadSignature)), "{old:?}");
                assert!(one.is_empty(), "the stale entry is dropped");
                assert_eq!(
                    send(c, &one, "sk-2", &parcel_event(3, 1_732_450_000_003)).unwrap(),
                    accepted
                );
                assert_eq!(one.len(), 1);
                // The same keys sealed anew (a reconnect): the cached entry no
                // longer matches the row; the receipt reads the row, accepted.
                sendcloud_plugin::integrations::store_keys(
                    c,
                    &secrets,
                    company,
                    "pk",
                    "sk-2",
                    Some(5),
                )?;
                assert_eq!(
                    send(c, &one, "sk-2", &parcel_event(4, 1_732_450_000_004)).unwrap(),
                    accepted
                );
                // Keys gone but the token kept: refused through the cache of
                // either instance, nothing stored.
                diesel::update(si::table.filter(si::company_id.eq(company)))
                    .set(si::secret_key_enc.eq(None::<String>))
                    .execute(c)?;
                for cache in [&one, &other] {
                    let refused = send(c, cache, "sk-2", &parcel_event(5, 1_732_450_000_005));
                    assert!(
                        matches!(refused, Err(WebhookError::BadSignature)),
                        "{refused:?}"
                    );
                }
                let stored: i64 = wi::table.count().get_result(c)?;
                assert_eq!(stored, 3, "events 1, 3 and 4");
                Ok(())
            })
            .await
            .unwrap();
    }
);

/// A receipt for the connected company, checked against `secret_key_enc`
/// (the row's sealed secret unless a test changes it).
fn pending(
    company: i64,
    token: &str,
    secret_key_enc: &str,
    body: &str,
) -> sendcloud_plugin::webhooks::group::Pending {
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    sendcloud_plugin::webhooks::group::Pending {
        company_id: company,
        token: token.to_string(),
        secret_key_enc: secret_key_enc.to_string(),
        entry: sendcloud_plugin::webhooks::inbox::NewEntry::new(
            "parcel_status_changed",
            v["parcel"]["id"].as_i64(),
            v["timestamp"].as_i64(),
            body,
        ),
        job: Some(
            sendcloud_plugin::jobs::NewJob::of(&sendcloud_plugin::webhooks::inbox::ProcessJob {
                company_id: company,
            })
            .unwrap(),
        ),
        now: chrono::Utc::now().naive_utc(),
    }
}

/// The connected company's webhook token and sealed secret.
fn target(c: &mut sendcloud_plugin::db::DbConn, company: i64) -> (String, String) {
    si::table
        .filter(si::company_id.eq(company))
        .select((si::webhook_token, si::secret_key_enc.assume_not_null()))
        .first(c)
        .unwrap()
}

db_async_test!(a_group_of_receipts_answers_each_as_if_it_came_alone, |t| {
    use sendcloud_plugin::db::schema::sendcloud_jobs as j;
    use sendcloud_plugin::webhooks::group::store_batch;
    use sendcloud_plugin::webhooks::inbox::Receipt;
    let app = TestApp::spawn(t).await;
    let (company, _) = connected(&app).await;
    app.state
        .db
        .run(move |c| {
            let (token, sealed) = target(c, company);
            let (a, b, d) = (
                parcel_event(1, 1_732_450_000_001),
                parcel_event(2, 1_732_450_000_002),
                parcel_event(4, 1_732_450_000_004),
            );
            // B arrived earlier; its job already ran.
            let earlier = store_batch(c, &[pending(company, &token, &sealed, &b)])?;
            let Receipt::Stored(b_id) = earlier[0] else {
                panic!("{earlier:?}")
            };
            diesel::delete(j::table).execute(c)?;
            let logged_before: i64 = al::table
                .filter(al::action.like("webhook.%"))
                .count()
                .get_result(c)?;

            let got = store_batch(
                c,
                &[
                    pending(company, &token, &sealed, &a),
                    // A again in the same group: Sendcloud's retry.
                    pending(company, &token, &sealed, &a),
                    pending(company, &token, &sealed, &b),
                    // Checked against a secret the row no longer has.
                    pending(
                        company,
                        &token,
                        "sealed-before-rotation",
                        &parcel_event(3, 3),
                    ),
                    pending(company, &token, &sealed, &d),
                ],
            )?;
            let rows: Vec<(i64, String)> = wi::table
                .select((wi::id, wi::dedupe_key))
                .order(wi::id)
                .load(c)?;
            assert_eq!(rows.len(), 3, "A, B and D, once each: {rows:?}");
            let id_of = |key: &str| rows.iter().find(|r| r.1 == key).map(|r| r.0).unwrap();
            assert_eq!(
                got,
                vec![
                    Receipt::Stored(id_of("parcel_status_changed:1:1732450000001")),
                    Receipt::Duplicate,
                    Receipt::Duplicate,
                    Receipt::TargetChanged,
                    Receipt::Stored(id_of("parcel_status_changed:4:1732450000004")),
                ]
            );
            assert_eq!(id_of("parcel_status_changed:2:1732450000002"), b_id);
            // One processing job for the two new events; a line per
            // delivery the row accepted (not the changed target's).
            let jobs: Vec<String> = j::table.select(j::kind).load(c)?;
            assert_eq!(jobs, vec!["webhooks.process".to_string()]);
            let logged: Vec<String> = al::table
                .filter(al::action.like("webhook.%"))
                .order(al::id)
                .select(al::message)
                .offset(logged_before)
                .load(c)?;
            assert_eq!(logged.len(), 4, "{logged:?}");
            assert_eq!(
                logged
                    .iter()
                    .filter(|m| m.contains("log-webhook-stored"))
                    .count(),
                2,
                "{logged:?}"
            );
            Ok(())
        })
        .await
        .unwrap();
});

db_async_test!(
    concurrent_receipts_through_the_group_store_every_event_exactly_once,
    |t| {
        use sendcloud_plugin::webhooks::group::ReceiptGroup;
        use sendcloud_plugin::webhooks::inbox::Receipt;
        let app = TestApp::spawn(t).await;
        let (company, _) = connected(&app).await;
        let db = app.state.db.clone();
        let (stored, duplicates) = tokio::task::spawn_blocking(move || {
            let (token, sealed) = target(&mut db.conn().unwrap(), company);
            let group = ReceiptGroup::new();
            // 6 threads deliver the same 40 events, each in its own order.
            let outcomes: Vec<Receipt> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..6)
                    .map(|t| {
                        let (db, group, token, sealed) = (&db, &group, &token, &sealed);
                        s.spawn(move || {
                            let mut c = db.conn().unwrap();
                            (0..40)
                                .map(|i| (i * 7 + t * 11) % 40)
                                .map(|i| {
                                    let body = parcel_event(i, 1_732_450_000_000 + i);
                                    group
                                        .receive(&mut c, pending(company, token, sealed, &body))
                                        .unwrap()
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap())
                    .collect()
            });
            let stored = outcomes
                .iter()
                .filter(|r| matches!(r, Receipt::Stored(_)))
                .count();
            let duplicates = outcomes
                .iter()
                .filter(|r| **r == Receipt::Duplicate)
                .count();
            (stored, duplicates)
        })
        .await
        .unwrap();
        assert_eq!((stored, duplicates), (40, 200));
        assert_eq!(inbox_count(&app).await, 40);
        let logged: i64 = app
            .state
            .db
            .run(|c| {
                Ok(al::table
                    .filter(al::action.eq("webhook.parcel_status_changed"))
                    .count()
                    .get_result(c)?)
            })
            .await
            .unwrap();
        assert_eq!(logged, 240, "one action-log line per delivery");
    }
);

// A receipt the database refuses (here a NUL character in the body, which
// the web layer would have removed) fails alone: the other receipts of its
// group are stored as if they had come alone.
db_async_test!(
    a_receipt_the_database_refuses_fails_alone_in_its_group,
    |t| {
        use sendcloud_plugin::webhooks::group::store_each;
        use sendcloud_plugin::webhooks::inbox::Receipt;
        let app = TestApp::spawn(t).await;
        let (company, _) = connected(&app).await;
        let backend = app.state.db.backend();
        app.state
            .db
            .run(move |c| {
                let (token, sealed) = target(c, company);
                let mut bad = pending(company, &token, &sealed, &parcel_event(2, 2));
                bad.entry.body.push('\u{0}');
                let got = store_each(
                    c,
                    &[
                        pending(company, &token, &sealed, &parcel_event(1, 1)),
                        bad,
                        pending(company, &token, &sealed, &parcel_event(3, 3)),
                    ],
                );
                assert!(matches!(got[0], Ok(Receipt::Stored(_))), "{got:?}");
                assert!(matches!(got[2], Ok(Receipt::Stored(_))), "{got:?}");
                let stored: i64 = wi::table.count().get_result(c)?;
                if backend == sendcloud_plugin::db::Backend::Postgres {
                    assert!(got[1].is_err(), "{got:?}");
                    assert_eq!(stored, 2);
                } else {
                    // SQLite stores a NUL in TEXT.
                    assert!(matches!(got[1], Ok(Receipt::Stored(_))), "{got:?}");
                    assert_eq!(stored, 3);
                }
                Ok(())
            })
            .await
            .unwrap();
    }
);
