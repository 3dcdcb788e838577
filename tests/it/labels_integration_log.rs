//! Label failures in Sendcloud's integration log (issue 11 item 7, the
//! optional part), against the stand-in: nothing goes out while the
//! company's setting is off; with it on, a failed delivery is one entry with
//! the order, the reference and the codes/fields (and no key); the same
//! failure again writes nothing; Sendcloud refusing or failing the entry is
//! one action-log row and leaves the Logs entry as it was.

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
        assert!(text.contains("Sender address not found."), "{text}");
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
