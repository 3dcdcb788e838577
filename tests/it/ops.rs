//! Running the Abgleich day to day (issue 10 items 6–8, issue 13 items 2
//! and 7): failures stored as codes and rendered in the reader's language,
//! *Fehlerhaft seit*, stored messages as facts, the progress per object
//! and the page that updates itself, the full resync, the plugin API for
//! runs, and the notifications of a lasting failure.

use diesel::prelude::*;
use sendcloud_plugin::actionlog::Fact;
use sendcloud_plugin::db::schema::{sendcloud_action_log as al, sendcloud_sync_runs as r};
use sendcloud_plugin::i18n::I18n;
use sendcloud_plugin::problem::{Problem, ProblemCode};
use sendcloud_plugin::sync::{Run, SyncObject};
use sendcloud_standin::{self as standin, StandinConfig, StandinHandle};

use crate::common::{TestApp, ADMIN_PASSWORD};

pub async fn standin() -> StandinHandle {
    standin::spawn(StandinConfig {
        rate_limits: false,
        ..Default::default()
    })
    .await
    .expect("stand-in")
}

/// The company the pages select first (first by name), connected with the
/// stand-in's demo public key and `secret` (the right one or not).
pub async fn connect_with(app: &TestApp, sc: &StandinHandle, secret: Option<&str>) -> i64 {
    let keys = sc.standin().demo_keys().unwrap();
    let secret = secret.unwrap_or(&keys.secret_key).to_string();
    let secrets = app.state.secrets.clone();
    app.state
        .db
        .run(move |c| {
            let company: i64 = sendcloud_plugin::db::schema::companies::table
                .select(sendcloud_plugin::db::schema::companies::id)
                .order(sendcloud_plugin::db::schema::companies::name)
                .first(c)?;
            sendcloud_plugin::integrations::store_keys(
                c,
                &secrets,
                company,
                &keys.public_key,
                &secret,
                None,
            )?;
            Ok(company)
        })
        .await
        .unwrap()
}

/// Queue a run of `objects` started by `trigger` (not run yet).
pub async fn queue(app: &TestApp, company: i64, trigger: &str, objects: &[SyncObject]) -> i64 {
    let (trigger, objects) = (trigger.to_string(), objects.to_vec());
    app.state
        .db
        .run(move |c| sendcloud_plugin::integrations::enqueue_sync(c, company, &trigger, &objects))
        .await
        .unwrap()
        .expect("run queued")
}

/// Queue and run a run; its row afterwards.
pub async fn run_once(app: &TestApp, company: i64, trigger: &str, objects: &[SyncObject]) -> Run {
    queue(app, company, trigger, objects).await;
    app.run_jobs().await;
    latest(app, company).await
}

pub async fn latest(app: &TestApp, company: i64) -> Run {
    app.state
        .db
        .run(move |c| sendcloud_plugin::sync::latest_run(c, company))
        .await
        .unwrap()
        .unwrap()
}

async fn failing_since(app: &TestApp, company: i64) -> Option<chrono::NaiveDateTime> {
    app.state
        .db
        .run(move |c| sendcloud_plugin::integrations::view(c, company))
        .await
        .unwrap()
        .failing_since
}

/// Switch the client's session to `lang`.
pub async fn set_language(app: &TestApp, client: &reqwest::Client, lang: &str) {
    let page = app.page(client, "/admin/config").await;
    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/language"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("lang", lang),
            ("next", "/sendcloud/admin/config"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

db_async_test!(
    a_failed_run_names_the_object_and_the_cause_in_every_language,
    |db| {
        let sc = standin().await;
        let app = TestApp::spawn_with(db, Some(&sc.api_url())).await;
        let company = connect_with(&app, &sc, Some("not-the-secret")).await;
        let objects = [SyncObject::SenderAddresses, SyncObject::Parcels];

        // A run someone started fails: a code per object, nothing set on the
        // integration (only automatic runs make it *Fehlerhaft*).
        let run = run_once(&app, company, "manual", &objects).await;
        assert_eq!(run.state, "failed");
        assert_eq!(run.error.as_deref(), Some("keys_refused"));
        assert_eq!(run.error_object.as_deref(), Some("sender_addresses"));
        let progress = run.object_progress();
        assert_eq!(progress.len(), 2);
        for p in &progress {
            assert_eq!(p.state, "failed");
            assert_eq!(p.problem.as_ref().unwrap().code, ProblemCode::KeysRefused);
        }
        assert_eq!(failing_since(&app, company).await, None);

        // The first automatic run that fails sets *Fehlerhaft seit*; the next
        // one keeps the time.
        run_once(&app, company, "schedule", &objects).await;
        let since = failing_since(&app, company).await.expect("failing since");
        run_once(&app, company, "schedule", &objects).await;
        assert_eq!(failing_since(&app, company).await, Some(since));

        // The page says which object failed, why and what to do, in the
        // reader's language.
        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;
        let page = app.page(&client, "/admin/config").await;
        assert!(
            page.contains("Absenderadressen: Sendcloud hat die API-Schlüssel abgelehnt."),
            "{page}"
        );
        assert!(page.contains("neu verbinden"));
        set_language(&app, &client, "en").await;
        let page = app.page(&client, "/admin/config").await;
        assert!(
            page.contains("Sender addresses: Sendcloud refused the API keys."),
            "{page}"
        );
        assert!(!page.contains("abgelehnt"));
        set_language(&app, &client, "fr").await;
        let page = app.page(&client, "/admin/config").await;
        assert!(page.contains("Sendcloud a refusé les clés API"), "{page}");

        // The action log holds facts, not sentences.
        let messages: Vec<String> = app
            .state
            .db
            .run(move |c| {
                Ok(al::table
                    .filter(al::company_id.eq(company))
                    .filter(al::action.like("sync.%"))
                    .select(al::message)
                    .load(c)?)
            })
            .await
            .unwrap();
        assert_eq!(messages.len(), 6);
        for m in &messages {
            let fact = Fact::parse(m).unwrap_or_else(|| panic!("not a fact: {m}"));
            assert_eq!(fact.fact, "log-sync-failed");
            assert_eq!(fact.problem.unwrap().code, ProblemCode::KeysRefused);
        }

        // The next run that succeeds clears it, and logs counts as facts.
        connect_with(&app, &sc, None).await;
        let run = run_once(&app, company, "manual", &objects).await;
        assert_eq!(run.state, "done", "{:?}", run.error);
        assert_eq!(run.error, None);
        assert_eq!(failing_since(&app, company).await, None);
        let page = app.page(&client, "/admin/config").await;
        assert!(!page.contains("id=\"run-error\""));
        let last: String = app
            .state
            .db
            .run(move |c| {
                Ok(al::table
                    .filter(al::company_id.eq(company))
                    .filter(al::action.eq("sync.sender_addresses"))
                    .order(al::id.desc())
                    .select(al::message)
                    .first(c)?)
            })
            .await
            .unwrap();
        let fact = Fact::parse(&last).unwrap();
        assert_eq!(fact.fact, "log-sync-done");
        assert!(fact.args["fetched"].as_i64().unwrap() > 0);
    }
);

db_async_test!(
    the_connection_test_and_the_keys_form_speak_the_readers_language,
    |db| {
        let sc = standin().await;
        let app = TestApp::spawn_with(db, Some(&sc.api_url())).await;
        let company = connect_with(&app, &sc, Some("not-the-secret")).await;
        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;
        set_language(&app, &client, "nl").await;
        let page = app.page(&client, "/admin/config").await;
        let csrf = TestApp::csrf_of(&page);
        let res = client
            .post(app.url("/admin/test"))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let page = app.page(&client, "/admin/config").await;
        assert!(
            page.contains("Sendcloud heeft de API-sleutels geweigerd"),
            "{page}"
        );
        // Stored as a fact with the code.
        let message: String = app
            .state
            .db
            .run(move |c| {
                Ok(al::table
                    .filter(al::company_id.eq(company))
                    .filter(al::action.eq("integration.test"))
                    .select(al::message)
                    .first(c)?)
            })
            .await
            .unwrap();
        let fact = Fact::parse(&message).expect("a fact");
        assert_eq!(fact.problem.unwrap().code, ProblemCode::KeysRefused);

        // The right keys: the count, said in words of the language.
        connect_with(&app, &sc, None).await;
        let page = app.page(&client, "/admin/config").await;
        let csrf = TestApp::csrf_of(&page);
        client
            .post(app.url("/admin/test"))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .unwrap();
        let page = app.page(&client, "/admin/config").await;
        assert!(
            page.contains("Verbinding in orde: Sendcloud noemt"),
            "{page}"
        );
    }
);

#[test]
fn problems_render_in_every_language_with_sendclouds_words() {
    let i18n = I18n::load().unwrap();
    let p = Problem::from_sendcloud(&sendcloud_plugin::sendcloud::Error::Validation {
        status: 400,
        errors: vec![sendcloud_plugin::sendcloud::FieldError {
            field: Some("house_number".into()),
            message: "This field cannot be blank.".into(),
        }],
    });
    assert_eq!(
        p.render(&i18n, "de", Some("Pakete")),
        "Pakete: Sendcloud hat das Feld „house_number“ abgelehnt. Den Wert korrigieren und \
         erneut versuchen. Sendcloud meldet: „house_number: This field cannot be blank.“"
    );
    assert!(p
        .render(&i18n, "en", None)
        .starts_with("Sendcloud rejected the field “house_number”."));
    for lang in ["de", "en", "nl", "fr"] {
        for code in [
            ProblemCode::SendcloudDown,
            ProblemCode::SendcloudUnreachable,
            ProblemCode::RateLimited,
            ProblemCode::Database,
        ] {
            let text = Problem::new(code).render(&i18n, lang, None);
            assert!(!text.starts_with("problem-"), "{lang}: {text}");
        }
    }
    let rate = Problem::from_sendcloud(&sendcloud_plugin::sendcloud::Error::RateLimited {
        retry_after: None,
    });
    assert!(rate.render(&i18n, "de", None).contains("Ratenlimit"));
}

db_async_test!(progress_shows_each_object_while_a_run_is_under_way, |db| {
    let sc = standin().await;
    let app = TestApp::spawn_with(db, Some(&sc.api_url())).await;
    let company = connect_with(&app, &sc, None).await;
    let run_id = queue(
        &app,
        company,
        "manual",
        &[SyncObject::SenderAddresses, SyncObject::Parcels],
    )
    .await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;

    // Queued: every object waits; the page refreshes itself without
    // JavaScript and offers a reload; the panel polls with it.
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains("<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>"));
    assert!(page.contains("data-active=\"true\""));
    assert!(page.contains("id=\"run-reload\""));
    assert!(page.contains("id=\"run-object-sender_addresses\" class=\"run-queued\""));
    assert!(page.contains("id=\"run-object-parcels\" class=\"run-queued\""));
    assert!(page.contains("Objekte des Laufs: Absenderadressen, Pakete"));

    // Running, on parcels, after the sender addresses were done: the
    // state, the object and its own counts (the run's totals so far minus
    // the finished objects).
    app.state
        .db
        .run(move |c| {
            diesel::update(r::table.find(run_id))
                .set((
                    r::state.eq("running"),
                    r::current_object.eq(Some("parcels")),
                    r::fetched.eq(42),
                    r::created.eq(42),
                    r::progress.eq(Some(
                        r#"[{"object":"sender_addresses","state":"done","counts":{"fetched":2,"created":2,"updated":0,"unchanged":0,"failed":0}},{"object":"parcels","state":"running","counts":{"fetched":0,"created":0,"updated":0,"unchanged":0,"failed":0}}]"#,
                    )),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let page = app.page(&client, "/admin/config").await;
    assert!(
        page.contains("Läuft – <span id=\"run-current\">Pakete</span>"),
        "{page}"
    );
    assert!(page.contains(
        "<tr id=\"run-object-parcels\" class=\"run-running\"><td>Pakete</td><td class=\"badge run-running\">Läuft</td><td>40</td><td>40</td>"
    ));
    assert!(page.contains("<tr id=\"run-object-sender_addresses\" class=\"run-done\"><td>Absenderadressen</td><td class=\"badge run-done\">Abgeschlossen</td><td>2</td>"));
    let progress: serde_json::Value = client
        .get(app.url("/admin/progress"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(progress["live"], true);
    assert_eq!(progress["run"]["state"], "running");
    assert_eq!(progress["objects"][1]["object"], "parcels");
    assert_eq!(progress["objects"][1]["counts"]["fetched"], 40);
    let html = progress["html"].as_str().unwrap();
    assert!(
        html.starts_with("<section class=\"card\" id=\"run\""),
        "{html}"
    );
    assert!(html.contains("Läuft – <span id=\"run-current\">Pakete</span>"));
    // Polling takes no flash message away from the page.
    assert!(!html.contains("flash-info"));

    // Back to queued, then run: done, nothing left to refresh.
    app.state
        .db
        .run(move |c| {
            diesel::update(r::table.find(run_id))
                .set((
                    r::state.eq("queued"),
                    r::current_object.eq(None::<String>),
                    r::fetched.eq(0),
                    r::created.eq(0),
                    r::progress.eq(None::<String>),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    app.run_jobs().await;
    let page = app.page(&client, "/admin/config").await;
    assert!(!page.contains("http-equiv=\"refresh\""));
    assert!(page.contains("data-active=\"false\""));
    assert!(page.contains("id=\"run-object-parcels\" class=\"run-done\""));
    let progress: serde_json::Value = client
        .get(app.url("/admin/progress"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(progress["live"], false);
    assert_eq!(progress["run"]["state"], "done");
});

/// A tiny SMTP server on loopback that accepts every message and keeps it.
pub struct SmtpSink {
    pub url: String,
    pub messages: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

pub async fn smtp_sink() -> SmtpSink {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let messages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let store = messages.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap());
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.to_ascii_uppercase();
                    let answer: &[u8] = if verb.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if verb.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    } else if verb.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = write.write_all(answer).await;
                }
            });
        }
    });
    SmtpSink { url, messages }
}

/// The host's end of the notification webhook: bodies and signatures.
/// (whether the signature matched the raw body, the body)
type Hooks = std::sync::Arc<std::sync::Mutex<Vec<(bool, serde_json::Value)>>>;

async fn hook_double() -> (String, Hooks, actix_web::dev::ServerHandle) {
    use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
    let hooks: Hooks = Default::default();
    let store = hooks.clone();
    let (addr, handle) = serve_double!(HttpServer::new(move || {
        let store = store.clone();
        App::new().route(
            "/hook",
            web::post().to(move |req: HttpRequest, body: web::Bytes| {
                let store = store.clone();
                async move {
                    let sig = req
                        .headers()
                        .get(sendcloud_plugin::notify::SIGNATURE_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    let expected = sendcloud_plugin::notify::sign(
                        crate::common::HOST_SECRET.as_bytes(),
                        &body,
                    );
                    let ok = sig == expected;
                    store
                        .lock()
                        .unwrap()
                        .push((ok, serde_json::from_slice(&body).unwrap()));
                    if ok {
                        HttpResponse::NoContent().finish()
                    } else {
                        HttpResponse::Unauthorized().finish()
                    }
                }
            }),
        )
    }));
    (format!("http://{addr}/hook"), hooks, handle)
}

/// The worker of the app, with SMTP pointed at `smtp`.
fn runner_with_smtp(app: &TestApp, smtp: &str) -> sendcloud_plugin::worker::Runner {
    let mut config = (*app.state.config).clone();
    config.smtp_url = Some(smtp.to_string());
    let ctx = sendcloud_plugin::context::Context {
        config: std::sync::Arc::new(config),
        ..app.state.ctx()
    };
    sendcloud_plugin::worker::Runner::new(ctx)
}

db_async_test!(a_lasting_failure_is_told_once_and_its_end_once, |db| {
    let sc = standin().await;
    let smtp = smtp_sink().await;
    let (hook, hooks, _hook_server) = hook_double().await;
    let app = TestApp::spawn_with(db, Some(&sc.api_url())).await;
    let company = connect_with(&app, &sc, Some("not-the-secret")).await;
    let settings =
        sendcloud_plugin::notify::validate("lager@example.com", &hook, "2", "0", "en").unwrap();
    app.state
        .db
        .run(move |c| sendcloud_plugin::notify::save_settings(c, company, &settings, "admin"))
        .await
        .unwrap();
    let objects = [SyncObject::SenderAddresses];
    let automatic = |runner: sendcloud_plugin::worker::Runner| {
        let app = &app;
        async move {
            queue(app, company, "schedule", &objects).await;
            runner.run_pending().await.unwrap();
        }
    };
    // The messages with header folding and quoted-printable soft breaks undone.
    let mails = || {
        smtp.messages
            .lock()
            .unwrap()
            .iter()
            .map(|m| m.replace("=\n", "").replace("\n ", " "))
            .collect::<Vec<_>>()
    };
    let hooks_seen = || hooks.lock().unwrap().clone();

    // A run someone started does not count; the first automatic failure
    // opens the incident but tells nobody yet (threshold 2).
    queue(&app, company, "manual", &objects).await;
    runner_with_smtp(&app, &smtp.url)
        .run_pending()
        .await
        .unwrap();
    automatic(runner_with_smtp(&app, &smtp.url)).await;
    assert!(mails().is_empty());
    assert!(hooks_seen().is_empty());

    // The second: exactly one e-mail and one signed webhook, in English.
    automatic(runner_with_smtp(&app, &smtp.url)).await;
    let m = mails();
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].contains("To: lager@example.com"), "{}", m[0]);
    assert!(m[0].contains("is failing"), "{}", m[0]);
    assert!(m[0].contains("Sendcloud refused the API keys"), "{}", m[0]);
    let h = hooks_seen();
    assert_eq!(h.len(), 1);
    assert!(h[0].0, "signed with the host secret over the raw body");
    assert_eq!(h[0].1["event"], "incident.opened");
    assert_eq!(h[0].1["problem"]["code"], "keys_refused");
    assert_eq!(h[0].1["subject"], "sender_addresses");
    assert_eq!(h[0].1["failures"], 2);

    // More failures, and a restart (a new worker): nobody is told again.
    automatic(runner_with_smtp(&app, &smtp.url)).await;
    automatic(runner_with_smtp(&app, &smtp.url)).await;
    assert_eq!(mails().len(), 1);
    assert_eq!(hooks_seen().len(), 1);

    // It works again: one all-clear on each channel; then nothing more.
    connect_with(&app, &sc, None).await;
    automatic(runner_with_smtp(&app, &smtp.url)).await;
    let m = mails();
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m[1].contains("works again"), "{}", m[1]);
    let h = hooks_seen();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].1["event"], "incident.resolved");
    automatic(runner_with_smtp(&app, &smtp.url)).await;
    assert_eq!(mails().len(), 2);
    assert_eq!(hooks_seen().len(), 2);

    // The incident is stored: opened, told, resolved, all-clear.
    let incidents = app
        .state
        .db
        .run(move |c| sendcloud_plugin::notify::incidents(c, company))
        .await
        .unwrap();
    assert_eq!(incidents.len(), 1);
    let i = &incidents[0];
    assert_eq!(i.failures, 4);
    assert!(i.notified_at.is_some() && i.resolved_at.is_some() && i.all_clear_at.is_some());

    // The page lists it and the settings form keeps what was saved.
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/notifications").await;
    assert!(page.contains("value=\"lager@example.com\""), "{page}");
    assert!(page.contains("behoben, benachrichtigt"), "{page}");
    assert!(page.contains("Absenderadressen: Sendcloud hat die API-Schlüssel abgelehnt"));
});

db_async_test!(the_notification_form_refuses_bad_input_per_field, |db| {
    let app = TestApp::spawn(db).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/notifications").await;
    // Defaults from plugin.toml, and the hint that no SMTP server is set.
    assert!(page.contains("id=\"notify_after_failed_runs\" name=\"notify_after_failed_runs\" type=\"number\" min=\"0\" max=\"1000\" value=\"3\""), "{page}");
    assert!(page.contains("id=\"notify-smtp-missing\""));
    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/admin/notifications"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("notify_email", "kein-at-zeichen"),
            ("notify_webhook_url", "ftp://host/x"),
            ("notify_after_failed_runs", "-1"),
            ("notify_after_hours", "6"),
            ("notify_language", "de"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    for text in [
        "Bitte eine gültige E-Mail-Adresse angeben",
        "Bitte eine http(s)-Adresse angeben",
        "Bitte eine ganze Zahl von 0 bis 1000 angeben",
        "value=\"kein-at-zeichen\"",
    ] {
        assert!(page.contains(text), "{text}");
    }
    let res = client
        .post(app.url("/admin/notifications"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("notify_email", "lager@example.com"),
            ("notify_webhook_url", ""),
            ("notify_after_failed_runs", "5"),
            ("notify_after_hours", "0"),
            ("notify_language", "nl"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = app.page(&client, "/admin/notifications").await;
    assert!(page.contains("Benachrichtigungen gespeichert."));
    assert!(page.contains("value=\"5\""));
    assert!(page.contains("<option value=\"nl\" selected>"));
});

async fn cursor_of(
    app: &TestApp,
    company: i64,
    object: &'static str,
) -> Option<chrono::NaiveDateTime> {
    use sendcloud_plugin::db::schema::sendcloud_sync_cursors as cur;
    app.state
        .db
        .run(move |c| {
            Ok(cur::table
                .filter(cur::company_id.eq(company).and(cur::object.eq(object)))
                .select(cur::high_water)
                .first::<Option<chrono::NaiveDateTime>>(c)
                .optional()?
                .flatten())
        })
        .await
        .unwrap()
}

db_async_test!(
    a_full_resync_is_confirmed_then_reads_everything_again,
    |db| {
        let sc = standin().await;
        // Parcels last changed a day ago (outside the incremental overlap).
        let keys = sc.standin().demo_keys().unwrap();
        assert!(sc.standin().seed(
            keys.account_id,
            standin::SeedSpec {
                parcels: 30,
                ..Default::default()
            }
        ));
        for parcel in sc
            .standin()
            .state()
            .accounts
            .get_mut(&keys.account_id)
            .unwrap()
            .parcels
            .values_mut()
        {
            parcel.date_updated = chrono::Utc::now() - chrono::Duration::days(1);
        }
        let app = TestApp::spawn_with(db, Some(&sc.api_url())).await;
        let company = connect_with(&app, &sc, None).await;
        let first = run_once(&app, company, "manual", &[SyncObject::Parcels]).await;
        assert_eq!(first.state, "done", "{:?}", first.error);
        let all = first.fetched;
        assert!(all > 0);
        let again = run_once(&app, company, "manual", &[SyncObject::Parcels]).await;
        assert_eq!(again.fetched, 0, "incremental: nothing new");
        assert!(cursor_of(&app, company, "parcels").await.is_some());

        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;
        let page = app.page(&client, "/admin/config").await;
        assert!(page.contains("id=\"resync-form\""));
        let csrf = TestApp::csrf_of(&page);
        // First step: a page that says what happens and asks again; nothing changed.
        let res = client
            .post(app.url("/admin/resync"))
            .form(&[("csrf_token", csrf.as_str()), ("object", "parcels")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let confirm = res.text().await.unwrap();
        assert!(confirm.contains("id=\"resync-confirm-form\""));
        assert!(confirm.contains("name=\"confirm\" value=\"1\""));
        assert!(confirm.contains("Pakete: Die Position des Abgleichs wird zurückgesetzt"));
        assert_eq!(latest(&app, company).await.id, again.id);
        assert!(cursor_of(&app, company, "parcels").await.is_some());

        // Confirmed: position reset, a run queued, logged with the user.
        let res = client
            .post(app.url("/admin/resync"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("object", "parcels"),
                ("confirm", "1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(cursor_of(&app, company, "parcels").await, None);
        let queued = latest(&app, company).await;
        assert_eq!(
            (queued.trigger.as_str(), queued.state.as_str()),
            ("resync", "queued")
        );
        let page = app.page(&client, "/admin/config").await;
        assert!(page.contains("Vollständiger Abgleich gestartet."));

        // Asked again while it waits: nothing is reset twice or queued twice.
        let res = client
            .post(app.url("/admin/resync"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("object", "parcels"),
                ("confirm", "1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(latest(&app, company).await.id, queued.id);

        app.run_jobs().await;
        let full = latest(&app, company).await;
        assert_eq!(full.state, "done", "{:?}", full.error);
        assert_eq!(full.fetched, all, "everything read again");
        assert_eq!(full.unchanged, all);
        assert!(cursor_of(&app, company, "parcels").await.is_some());
        let logged: Vec<(String, Option<String>)> = app
            .state
            .db
            .run(move |c| {
                Ok(al::table
                    .filter(al::company_id.eq(company).and(al::action.eq("sync.resync")))
                    .select((al::message, al::user_name))
                    .load(c)?)
            })
            .await
            .unwrap();
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].1.as_deref(), Some("admin"));
        assert_eq!(Fact::parse(&logged[0].0).unwrap().fact, "log-resync");
    }
);

db_async_test!(the_plugin_api_starts_a_run_and_reports_its_progress, |db| {
    let sc = standin().await;
    let app = TestApp::spawn_with(db, Some(&sc.api_url())).await;
    let company = connect_with(&app, &sc, None).await;
    let token = app.host_token(&[sendcloud_plugin::users::PERM_API], Some(vec![company]));
    let client = reqwest::Client::new();
    let url = app.url(&format!("/api/v1/companies/{company}/syncs"));
    let start = |key: Option<&'static str>, body: serde_json::Value| {
        let mut b = client.post(&url).bearer_auth(&token).json(&body);
        if let Some(k) = key {
            b = b.header("Idempotency-Key", k);
        }
        b.send()
    };
    let res = start(
        Some("k-1"),
        serde_json::json!({ "objects": ["sender_addresses", "brands"] }),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 202);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let body: serde_json::Value = res.json().await.unwrap();
    let run = body["id"].as_i64().unwrap();
    assert_eq!(body["state"], "queued");
    assert_eq!(body["objects"][0]["object"], "sender_addresses");
    assert_eq!(body["objects"][1]["state"], "queued");
    assert!(location.ends_with(&format!("/syncs/{run}")));
    // The same key and request: the same run; the same key for another
    // request: 422; another request while it waits: 409.
    let res = start(
        Some("k-1"),
        serde_json::json!({ "objects": ["sender_addresses", "brands"] }),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 202);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["id"], run);
    let res = start(
        Some("k-1"),
        serde_json::json!({ "objects": ["sender_addresses"] }),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["code"],
        "idempotency_key_reused"
    );
    let res = start(None, serde_json::json!({ "objects": ["parcels"] }))
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    // Unknown object: 422; a company the token does not cover: 403.
    let res = start(None, serde_json::json!({ "objects": ["pallets"] }))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let other = client
        .get(app.url(&format!("/api/v1/companies/{}/syncs/{run}", company + 1000)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 403);

    app.run_jobs().await;
    let done: serde_json::Value = client
        .get(format!("{}{}", app.origin, location))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["trigger"], "api");
    assert!(done["objects"][0]["counts"]["fetched"].as_i64().unwrap() > 0);
    assert!(done["error"].is_null());
    assert!(done["finished_at"].is_string());

    // A failed run: the code and Sendcloud's detail per object.
    connect_with(&app, &sc, Some("not-the-secret")).await;
    let res = start(None, serde_json::json!({ "objects": ["parcels"] }))
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let failed_run = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    app.run_jobs().await;
    let failed: serde_json::Value = client
        .get(app.url(&format!("/api/v1/companies/{company}/syncs/{failed_run}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(failed["state"], "failed");
    assert_eq!(failed["error"]["code"], "keys_refused");
    assert_eq!(failed["error"]["object"], "parcels");
    assert_eq!(failed["objects"][0]["problem"]["code"], "keys_refused");
});
