//! Failed labels reach a person (issue 11 item 7): each failure counts
//! towards the company's `label` incident; at the company's threshold the
//! responsible person gets one e-mail (SMTP sink), later failures tell
//! nobody again, and the next label that works ends the incident with one
//! all-clear. The same rules as the Abgleich's (`ops.rs`).

use sendcloud_plugin::labels::{self, CreateOutcome};

use crate::common::{create_label, delivery, setup, Spec, TestApp};
use crate::ops::smtp_sink;

fn runner_with_smtp(app: &TestApp, smtp: &str) -> sendcloud_plugin::worker::Runner {
    let mut config = (*app.state.config).clone();
    config.smtp_url = Some(smtp.to_string());
    sendcloud_plugin::worker::Runner::new(sendcloud_plugin::context::Context {
        config: std::sync::Arc::new(config),
        ..app.state.ctx()
    })
}

/// Run the pending jobs with mail going to the SMTP sink.
async fn run_pending_with_smtp(app: &TestApp, smtp: &str) {
    runner_with_smtp(app, smtp).run_pending().await.unwrap();
}

db_async_test!(failed_labels_are_told_once_and_their_end_once, |db| {
    let (app, sc, company) = setup(db).await;
    let smtp = smtp_sink().await;
    let settings =
        sendcloud_plugin::notify::validate("versand@example.com", "", "2", "0", "de").unwrap();
    app.state
        .db
        .run(move |c| sendcloud_plugin::notify::save_settings(c, company, &settings, "admin"))
        .await
        .unwrap();
    let mails = || {
        smtp.messages
            .lock()
            .unwrap()
            .iter()
            .map(|m| m.replace("=\n", "").replace("\n ", " "))
            .collect::<Vec<_>>()
    };
    let no_house_number = Spec::no_house_number();
    let bad: Vec<i64> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            v.push(delivery(&app, company, no_house_number.clone()).await);
        }
        v
    };
    // The first failure opens the incident and tells nobody (threshold 2).
    assert!(matches!(
        create_label(&app, company, bad[0]).await,
        CreateOutcome::Failed(_)
    ));
    run_pending_with_smtp(&app, &smtp.url).await;
    assert!(mails().is_empty());
    // The second: one e-mail, in German, naming label creation and the order.
    create_label(&app, company, bad[1]).await;
    run_pending_with_smtp(&app, &smtp.url).await;
    let m = mails();
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].contains("To: versand@example.com"), "{}", m[0]);
    assert!(m[0].contains("Label-Erstellung"), "{}", m[0]);
    let order = crate::common::label(&app, company, bad[1])
        .await
        .order_number;
    assert!(m[0].contains(&order), "{}", m[0]);
    assert!(m[0].contains("house_number"), "{}", m[0]);
    // A third failure: nobody is told again.
    create_label(&app, company, bad[2]).await;
    run_pending_with_smtp(&app, &smtp.url).await;
    assert_eq!(mails().len(), 1);
    // A label that works: one all-clear, and the incident is closed.
    let good = delivery(&app, company, Spec::default()).await;
    assert!(matches!(
        create_label(&app, company, good).await,
        CreateOutcome::Created { .. }
    ));
    run_pending_with_smtp(&app, &smtp.url).await;
    let m = mails();
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m[1].contains("Entwarnung: Label-Erstellung"), "{}", m[1]);
    let incidents = app
        .state
        .db
        .run(move |c| sendcloud_plugin::notify::incidents(c, company))
        .await
        .unwrap();
    assert_eq!(incidents.len(), 1);
    let i = &incidents[0];
    assert_eq!(i.kind, labels::KIND_LABEL);
    assert_eq!(i.failures, 3);
    assert!(i.notified_at.is_some() && i.resolved_at.is_some() && i.all_clear_at.is_some());
    // Another good label: nothing more.
    let good = delivery(&app, company, Spec::default()).await;
    create_label(&app, company, good).await;
    run_pending_with_smtp(&app, &smtp.url).await;
    assert_eq!(mails().len(), 2);
    sc.stop().await;
});
