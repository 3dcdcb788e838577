//! Label failures in Sendcloud's integration log (issue 11 item 7, the
//! optional part), against the stand-in: nothing goes out while the
//! company's setting is off; with it on, a failed delivery is one entry with
//! the order, the reference and the codes/fields (and no key); the same
//! failure again writes nothing; Sendcloud refusing or failing the entry is
//! one action-log row and leaves the Logs entry as it was. The line reads
//! in the company's language (German by default); a mass failure writes at
//! most `PER_HOUR` entries an hour and counts the rest for one summary.

use sendcloud_plugin::labels::{self, integration_log, CreateOutcome};
use sendcloud_standin::{Faults, StandinHandle};
use serde_json::Value;

use crate::common::{change_settings, create_label, delivery, label, setup, Spec, TestApp};

async fn set_integration_log(app: &TestApp, company: i64, on: bool) {
    change_settings(app, company, move |s| s.integration_log = on).await;
}

fn entries(sc: &StandinHandle) -> Vec<Value> {
    let keys = sc.standin().demo_keys().unwrap();
    sc.standin().integration_logs(keys.account_id)
}

fn log_calls(sc: &StandinHandle) -> usize {
    sc.standin()
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/v3/integrations/") && r.path.ends_with("/logs"))
        .count()
}

async fn actions(app: &TestApp, company: i64) -> Vec<sendcloud_plugin::actionlog::Entry> {
    app.state
        .db
        .run(move |c| sendcloud_plugin::actionlog::recent(c, company, 200))
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == integration_log::ACTION)
        .collect()
}

db_async_test!(with_the_setting_off_nothing_is_posted, |db| {
    let (app, sc, company) = setup(db).await;
    let manifest = app.state.config.manifest.clone();
    let on = app
        .state
        .db
        .run(move |c| integration_log::enabled(c, company, &manifest))
        .await
        .unwrap();
    assert!(!on, "off by default");
    let bad = delivery(&app, company, Spec::no_house_number()).await;
    assert!(matches!(
        create_label(&app, company, bad).await,
        CreateOutcome::Failed(_)
    ));
    app.run_jobs().await;
    assert_eq!(label(&app, company, bad).await.state, labels::STATE_FAILED);
    assert!(entries(&sc).is_empty());
    assert_eq!(log_calls(&sc), 0);
    assert!(actions(&app, company).await.is_empty());
    sc.stop().await;
});

db_async_test!(
    a_failed_delivery_is_one_entry_and_the_same_failure_again_none,
    |db| {
        let (app, sc, company) = setup(db).await;
        set_integration_log(&app, company, true).await;
        let keys = sc.standin().demo_keys().unwrap();
        let bad = delivery(&app, company, Spec::no_house_number()).await;
        let CreateOutcome::Failed(problems) = create_label(&app, company, bad).await else {
            panic!("the label must fail");
        };
        // Nothing went out inside the label's path: the entry is a job.
        assert_eq!(log_calls(&sc), 0);
        app.run_jobs().await;
        let got = entries(&sc);
        assert_eq!(got.len(), 1, "{got:?}");
        let e = &got[0];
        let l = label(&app, company, bad).await;
        assert_eq!(e["integration_id"], keys.integration_id);
        assert_eq!(
            e["base_url"],
            app.state.config.public_link("").as_str(),
            "{e}"
        );
        assert_eq!(e["exception_type"], "label_check");
        let text = e["exception"].as_str().unwrap();
        assert!(text.contains(&l.order_number), "{text}");
        assert!(text.contains(&l.external_reference_id), "{text}");
        assert!(text.contains("house_number"), "{text}");
        let payload = &e["request"]["payload"];
        assert_eq!(payload["delivery_id"], bad);
        assert_eq!(payload["order_number"], l.order_number.as_str());
        let codes: Vec<&str> = payload["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, expected);
        assert!(e["request"].get("headers").is_none_or(Value::is_null));
        let all = e.to_string();
        assert!(!all.contains(&keys.secret_key) && !all.contains(&keys.public_key));
        let logged = actions(&app, company).await;
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].result, "ok");
        assert_eq!(logged[0].status_code, Some(201));

        // The same failure again (a retry): the Logs entry stays, nothing more
        // goes to Sendcloud.
        assert!(matches!(
            create_label(&app, company, bad).await,
            CreateOutcome::Failed(_)
        ));
        app.run_jobs().await;
        assert_eq!(entries(&sc).len(), 1);
        assert_eq!(log_calls(&sc), 1);

        // Another delivery failing: its own entry.
        let other = delivery(&app, company, Spec::no_house_number()).await;
        create_label(&app, company, other).await;
        app.run_jobs().await;
        let got = entries(&sc);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1]["request"]["payload"]["delivery_id"], other);
        sc.stop().await;
    }
);

db_async_test!(
    sendcloud_refusing_the_entry_leaves_the_logs_entry_alone,
    |db| {
        let (app, sc, company) = setup(db).await;
        set_integration_log(&app, company, true).await;
        // Sendcloud down for the log call (503, not retried: a write).
        sc.standin().set_faults(Faults {
            fail_next: 1,
            path_prefix: Some("/api/v3/integrations".into()),
            ..Faults::default()
        });
        let bad = delivery(&app, company, Spec::no_house_number()).await;
        let CreateOutcome::Failed(problems) = create_label(&app, company, bad).await else {
            panic!("the label must fail");
        };
        app.run_jobs().await;
        assert_eq!(log_calls(&sc), 1, "one attempt, no retry");
        assert!(entries(&sc).is_empty());
        let l = label(&app, company, bad).await;
        assert_eq!(l.state, labels::STATE_FAILED);
        assert_eq!(l.problems(), problems, "the Logs entry is unchanged");
        let logged = actions(&app, company).await;
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].result, "error");
        assert_eq!(logged[0].status_code, Some(503));
        assert!(logged[0].message.contains("log-integration-log-failed"));
        // Nothing is left to retry.
        assert_eq!(app.run_jobs().await, 0);
        assert_eq!(log_calls(&sc), 1);

        // Sendcloud refusing: an integration id it does not know (404).
        let integration = sc.standin().demo_keys().unwrap().integration_id as i64;
        app.state
            .db
            .run(move |c| {
                use diesel::prelude::*;
                use sendcloud_plugin::db::schema::sendcloud_integrations as si;
                diesel::update(si::table.filter(si::company_id.eq(company)))
                    .set(si::sendcloud_integration_id.eq(integration + 1000))
                    .execute(c)?;
                Ok(())
            })
            .await
            .unwrap();
        let other = delivery(&app, company, Spec::no_house_number()).await;
        assert!(matches!(
            create_label(&app, company, other).await,
            CreateOutcome::Failed(_)
        ));
        app.run_jobs().await;
        assert!(entries(&sc).is_empty());
        assert_eq!(
            label(&app, company, other).await.state,
            labels::STATE_FAILED
        );
        let logged = actions(&app, company).await;
        assert_eq!(logged.len(), 2);
        assert_eq!(logged[0].status_code, Some(404), "{:?}", logged[0]);
        sc.stop().await;
    }
);

db_async_test!(
    a_refusal_by_sendcloud_is_written_with_its_status_and_messages,
    |db| {
        let (app, sc, company) = setup(db).await;
        set_integration_log(&app, company, true).await;
        // The synced sender address is gone at Sendcloud: the announce passes
        // our checks and Sendcloud refuses it (400, its message per field).
        let keys = sc.standin().demo_keys().unwrap();
        sc.standin()
            .state()
            .accounts
            .get_mut(&keys.account_id)
            .unwrap()
            .sender_addresses
            .clear();
        let id = delivery(&app, company, Spec::default()).await;
        let CreateOutcome::Failed(problems) = create_label(&app, company, id).await else {
            panic!("Sendcloud must refuse the label");
        };
        assert!(problems.iter().all(|p| !p.is_check()), "{problems:?}");
        app.run_jobs().await;
        let got = entries(&sc);
        assert_eq!(got.len(), 1, "{got:?}");
        let e = &got[0];
        assert_eq!(e["response_code"], 400);
        assert_eq!(e["exception_type"], "field_rejected");
        let text = e["exception"].as_str().unwrap();
        assert!(
            text.contains("sender_address_id): „Sender address not found.“"),
            "Sendcloud's message quoted, in German: {text}"
        );
        assert!(text.contains("sender_address_id"), "{text}");
        let first = &e["request"]["payload"]["problems"][0];
        assert_eq!(first["source"], "sendcloud");
        assert_eq!(first["detail"], "Sender address not found.");
        sc.stop().await;
    }
);

db_async_test!(without_a_known_integration_id_nothing_is_queued, |db| {
    let (app, sc, company) = setup(db).await;
    set_integration_log(&app, company, true).await;
    app.state
        .db
        .run(move |c| {
            use diesel::prelude::*;
            use sendcloud_plugin::db::schema::sendcloud_integrations as si;
            diesel::update(si::table.filter(si::company_id.eq(company)))
                .set(si::sendcloud_integration_id.eq(None::<i64>))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let bad = delivery(&app, company, Spec::no_house_number()).await;
    assert!(matches!(
        create_label(&app, company, bad).await,
        CreateOutcome::Failed(_)
    ));
    assert_eq!(app.run_jobs().await, 0, "no job for the integration log");
    assert_eq!(log_calls(&sc), 0);
    assert_eq!(label(&app, company, bad).await.state, labels::STATE_FAILED);
    sc.stop().await;
});

async fn set_language(app: &TestApp, company: i64, lang: &'static str) {
    let manifest = app.state.config.manifest.clone();
    app.state
        .db
        .run(move |c| {
            let mut s = sendcloud_plugin::notify::settings(
                c,
                company,
                &manifest.notifications,
                &manifest.plugin.default_language,
            )?;
            s.language = lang.to_string();
            sendcloud_plugin::notify::save_settings(c, company, &s, "admin")
        })
        .await
        .unwrap();
}

/// A delivery without a house number whose label was tried and the jobs run:
/// the delivery, its label, and every entry at the stand-in so far.
async fn fail_one(
    app: &TestApp,
    sc: &StandinHandle,
    company: i64,
) -> (i64, sendcloud_plugin::labels::Label, Vec<Value>) {
    let id = delivery(app, company, Spec::no_house_number()).await;
    create_label(app, company, id).await;
    app.run_jobs().await;
    (id, label(app, company, id).await, entries(sc))
}

db_async_test!(the_entry_reads_in_the_company_language, |db| {
    let (app, sc, company) = setup(db).await;
    set_integration_log(&app, company, true).await;
    // Never chose a language: German.
    let (bad, l, got) = fail_one(&app, &sc, company).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let text = got[0]["exception"].as_str().unwrap();
    assert!(
        text.starts_with(&format!(
            "Label für Auftrag {} nicht erstellt",
            l.order_number
        )),
        "{text}"
    );
    assert!(text.contains(&format!("Lieferung {bad}")), "{text}");
    assert!(
        text.contains("house_number"),
        "the code stays a code: {text}"
    );
    // The payload stays facts, whatever the language.
    assert_eq!(
        got[0]["request"]["payload"]["order_number"],
        l.order_number.as_str()
    );

    // The company reads English.
    set_language(&app, company, "en").await;
    let (other, o, got) = fail_one(&app, &sc, company).await;
    assert_eq!(got.len(), 2, "{got:?}");
    let text = got[1]["exception"].as_str().unwrap();
    assert!(
        text.starts_with(&format!(
            "Label not created for order {} (delivery {other}, reference {})",
            o.order_number, o.external_reference_id
        )),
        "{text}"
    );
    assert!(!text.contains("Auftrag"), "{text}");
    sc.stop().await;
});

db_async_test!(
    a_mass_failure_writes_at_most_the_cap_and_counts_the_rest_for_one_summary,
    |db| {
        use diesel::prelude::*;
        use sendcloud_plugin::db::schema::sendcloud_integration_log_writes as w;
        let (app, sc, company) = setup(db).await;
        set_integration_log(&app, company, true).await;
        let cap = integration_log::PER_HOUR as usize;
        let mut ids = vec![];
        for _ in 0..cap + 5 {
            let id = delivery(&app, company, Spec::no_house_number()).await;
            assert!(matches!(
                create_label(&app, company, id).await,
                CreateOutcome::Failed(_)
            ));
            ids.push(id);
        }
        app.run_jobs().await;
        assert_eq!(entries(&sc).len(), cap, "no more than the cap");
        assert_eq!(log_calls(&sc), cap);
        let counted = app
            .state
            .db
            .run(move |c| integration_log::unwritten(c, company))
            .await
            .unwrap();
        assert_eq!(counted.failures, 5);
        assert!(counted.since.is_some());
        // One action-log row per entry written, one when the counting
        // started; not one per failure counted.
        let logged = actions(&app, company).await;
        assert_eq!(logged.len(), cap + 1, "{logged:?}");
        let capped: Vec<_> = logged
            .iter()
            .filter(|e| e.message.contains("log-integration-log-capped"))
            .collect();
        assert_eq!(capped.len(), 1, "{logged:?}");
        assert!(
            capped[0]
                .message
                .contains(&format!("\"delivery\":{}", ids[cap])),
            "{:?}",
            capped[0]
        );
        // Still within the hour: the next failure is counted too.
        let more = delivery(&app, company, Spec::no_house_number()).await;
        create_label(&app, company, more).await;
        app.run_jobs().await;
        assert_eq!(log_calls(&sc), cap);
        assert_eq!(actions(&app, company).await.len(), cap + 1);

        // An hour later (the stored writes moved back past the window).
        app.state
            .db
            .run(move |c| {
                let back = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(61);
                diesel::update(w::table.filter(w::company_id.eq(company)))
                    .set(w::written_at.eq(back))
                    .execute(c)?;
                Ok(())
            })
            .await
            .unwrap();
        let later = delivery(&app, company, Spec::no_house_number()).await;
        create_label(&app, company, later).await;
        app.run_jobs().await;
        let got = entries(&sc);
        assert_eq!(
            got.len(),
            cap + 2,
            "the summary and the failure's own entry"
        );
        let summary = &got[cap];
        assert_eq!(summary["exception_type"], integration_log::SUMMARY_TYPE);
        assert_eq!(summary["request"]["payload"]["failures_not_written"], 6);
        let text = summary["exception"].as_str().unwrap();
        assert!(
            text.starts_with("6 weitere fehlgeschlagene Labels"),
            "{text}"
        );
        assert_eq!(got[cap + 1]["request"]["payload"]["delivery_id"], later);
        let counted = app
            .state
            .db
            .run(move |c| integration_log::unwritten(c, company))
            .await
            .unwrap();
        assert_eq!(counted, integration_log::Unwritten::default());
        let logged = actions(&app, company).await;
        assert_eq!(logged.len(), cap + 3, "{logged:?}");
        assert!(logged
            .iter()
            .any(|e| e.message.contains("log-integration-log-summary")
                && e.message.contains("\"count\":6")
                && e.result == "ok"));
        // The window now holds the two new writes only.
        let held: i64 = app
            .state
            .db
            .run(move |c| {
                Ok(w::table
                    .filter(w::company_id.eq(company))
                    .filter(
                        w::written_at
                            .gt(chrono::Utc::now().naive_utc() - integration_log::window()),
                    )
                    .count()
                    .get_result(c)?)
            })
            .await
            .unwrap();
        assert_eq!(held, 2);
        sc.stop().await;
    }
);

db_async_test!(
    a_summary_sendcloud_refuses_keeps_its_count_in_the_action_log,
    |db| {
        use diesel::prelude::*;
        use sendcloud_plugin::db::schema::sendcloud_integration_log_unwritten as un;
        let (app, sc, company) = setup(db).await;
        set_integration_log(&app, company, true).await;
        // Three failures were counted in an earlier, full hour.
        app.state
            .db
            .run(move |c| {
                diesel::insert_into(un::table)
                    .values((
                        un::company_id.eq(company),
                        un::failures.eq(3),
                        un::since.eq(Some(chrono::Utc::now().naive_utc())),
                    ))
                    .execute(c)?;
                Ok(())
            })
            .await
            .unwrap();
        // Sendcloud fails the first post (the summary), not the second.
        sc.standin().set_faults(Faults {
            fail_next: 1,
            path_prefix: Some("/api/v3/integrations".into()),
            ..Faults::default()
        });
        let bad = delivery(&app, company, Spec::no_house_number()).await;
        create_label(&app, company, bad).await;
        app.run_jobs().await;
        assert_eq!(log_calls(&sc), 2, "the summary once, then the entry");
        let got = entries(&sc);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0]["request"]["payload"]["delivery_id"], bad);
        // The count is in the action log, not lost, and not retried.
        let logged = actions(&app, company).await;
        let failed: Vec<_> = logged
            .iter()
            .filter(|e| e.message.contains("log-integration-log-summary-failed"))
            .collect();
        assert_eq!(failed.len(), 1, "{logged:?}");
        assert!(failed[0].message.contains("\"count\":3"), "{:?}", failed[0]);
        assert_eq!(failed[0].status_code, Some(503));
        assert_eq!(app.run_jobs().await, 0);
        assert_eq!(log_calls(&sc), 2);
        let left = app
            .state
            .db
            .run(move |c| integration_log::unwritten(c, company))
            .await
            .unwrap();
        assert_eq!(left.failures, 0);
        sc.stop().await;
    }
);
