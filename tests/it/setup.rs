//! Setup: connecting a company through the stand-in's connect page, keys by
//! hand, the first synchronisation as jobs, the webhook's defences, and
//! secrets that never show up in pages, the database or the action log.

use diesel::prelude::*;
use sendcloud_plugin::db::schema::{
    sendcloud_action_log as al, sendcloud_integrations as si, sendcloud_jobs as jobs,
    sendcloud_sender_addresses as sa,
};
use sendcloud_standin::{self as standin, StandinConfig, StandinHandle};

use crate::common::{TestApp, ADMIN_PASSWORD};

async fn standin() -> StandinHandle {
    standin::spawn(StandinConfig {
        rate_limits: false,
        ..Default::default()
    })
    .await
    .expect("stand-in")
}

fn form_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .replace("&amp;", "&")
}

/// Everything the module stored about its integrations and logged, as text.
async fn stored_text(app: &TestApp) -> String {
    app.state
        .db
        .run(|c| {
            type Row = (Option<String>, Option<String>, String, Option<String>);
            let rows: Vec<Row> = si::table
                .select((
                    si::public_key_enc,
                    si::secret_key_enc,
                    si::webhook_token,
                    si::shop_name,
                ))
                .load(c)?;
            let log: Vec<(String, String, String)> = al::table
                .select((al::action, al::target, al::message))
                .load(c)?;
            let jobs: Vec<String> = jobs::table.select(jobs::payload).load(c)?;
            Ok(format!("{rows:?} {log:?} {jobs:?}"))
        })
        .await
        .unwrap()
}

/// Press Setup, approve on the stand-in's connect page, come back.
async fn connect_via_standin(app: &TestApp, client: &reqwest::Client) -> String {
    let page = app.page(client, "/admin/config").await;
    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/admin/setup"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let connect_url = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        connect_url.contains("/shops/api/connect/?url_webshop="),
        "{connect_url}"
    );
    assert!(connect_url.contains("webhook_url="));
    // The stand-in's connect page, then "Approve".
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let connect_page = plain
        .get(&connect_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let origin = connect_url.split("/shops/").next().unwrap().to_string();
    let res = plain
        .post(format!("{origin}/shops/api/connect/approve"))
        .form(&[
            ("url_webshop", form_value(&connect_page, "url_webshop")),
            ("webhook_url", form_value(&connect_page, "webhook_url")),
            ("shop_name", form_value(&connect_page, "shop_name")),
            ("decision", "approve".to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "approve redirects back");
    res.headers()["location"].to_str().unwrap().to_string()
}

db_async_test!(connect_flow_through_the_standin_then_first_sync, |t| {
    let sc = standin().await;
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let back = connect_via_standin(&app, &client).await;
    assert!(
        back.ends_with("/sendcloud/admin/config?connect=returned"),
        "{back}"
    );
    // Both webhooks were accepted.
    let deliveries = sc.standin().webhook_deliveries();
    let statuses: Vec<(String, Option<u16>)> = deliveries
        .iter()
        .map(|d| (d.action.clone(), d.status))
        .collect();
    assert!(
        statuses.contains(&("integration_credentials".into(), Some(200))),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&("integration_connected".into(), Some(200))),
        "{statuses:?}"
    );
    let secret = deliveries
        .iter()
        .find(|d| d.action == "integration_credentials")
        .and_then(|d| serde_json::from_str::<serde_json::Value>(&d.body).ok())
        .and_then(|v| v["secret_key"].as_str().map(str::to_string))
        .unwrap();

    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains("Verbunden"), "connected state shown");
    assert!(
        page.contains("Wartet") || page.contains("Läuft"),
        "the first Abgleich is queued"
    );
    assert!(
        !page.contains(&secret),
        "the secret never appears in a page"
    );

    // The first synchronisation runs as jobs (no request waits for it).
    app.run_jobs().await;
    let page = app.page(&client, "/admin/config").await;
    assert!(
        page.contains("Abgeschlossen"),
        "run finished: {}",
        &page[page.find("id=\"run\"").unwrap_or(0)..][..600.min(page.len())]
    );
    let synced: i64 = app
        .state
        .db
        .run(|c| {
            Ok(sa::table
                .filter(sa::active.eq(true))
                .count()
                .get_result(c)?)
        })
        .await
        .unwrap();
    assert!(synced >= 1, "sender addresses synced");
    // ...and the last 30 days' approved and open orders went to Sendcloud.
    let integration_id = deliveries
        .iter()
        .find(|d| d.action == "integration_credentials")
        .and_then(|d| serde_json::from_str::<serde_json::Value>(&d.body).ok())
        .and_then(|v| v["integration_id"].as_u64())
        .unwrap();
    let orders_at_sendcloud = |sc: &StandinHandle| -> usize {
        let s = sc.standin().state();
        s.accounts
            .values()
            .flat_map(|a| a.orders.values())
            .filter(|o| {
                o.pointer("/order_details/integration/id")
                    .and_then(|v| v.as_u64())
                    == Some(integration_id)
            })
            .count()
    };
    let first_push = orders_at_sendcloud(&sc);
    assert!(first_push > 10, "orders pushed on connect: {first_push}");
    assert!(
        page.contains("übertragen"),
        "the push result shows on the integration page"
    );
    // Bestellungen abgleichen from an older date: more orders, none twice.
    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/admin/orders"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("since", "2020-01-01"),
            ("selection", "approved_open"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    app.run_jobs().await;
    let all = orders_at_sendcloud(&sc);
    assert!(all >= first_push);
    let ids: std::collections::HashSet<String> = {
        let s = sc.standin().state();
        s.accounts
            .values()
            .flat_map(|a| a.orders.values())
            .filter_map(|o| o["order_id"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(ids.len(), all, "no order twice");
    let orders_page = app.page(&client, "/admin/orders").await;
    assert!(
        orders_page.contains("ausgewählt"),
        "summary on the orders page"
    );
    let bad = client
        .post(app.url("/admin/orders"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("since", "2999-01-01"),
            ("selection", "approved_open"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 303);
    let orders_page = app.page(&client, "/admin/orders").await;
    assert!(orders_page.contains("nicht in der Zukunft"));
    // A second Abgleich changes nothing and duplicates nothing.
    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/admin/sync"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("sender_addresses", "1"),
            ("shipping_methods", "1"),
            ("parcel_statuses", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    app.run_jobs().await;
    let progress: serde_json::Value = client
        .get(app.url("/admin/progress"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(progress["run"]["state"], "done");
    assert_eq!(progress["run"]["created"], 0);
    assert_eq!(progress["run"]["updated"], 0);
    assert!(progress["run"]["unchanged"].as_i64().unwrap() > 10);
    let again: i64 = app
        .state
        .db
        .run(|c| Ok(sa::table.count().get_result(c)?))
        .await
        .unwrap();
    assert_eq!(again, synced);

    // Secrets: not in the database in clear, not in the action log, not in job payloads.
    let stored = stored_text(&app).await;
    assert!(!stored.contains(&secret), "secret stored in clear");
    let logs = crate::common::captured_logs();
    assert!(
        logs.contains("sendcloud_plugin") || logs.contains("GET /sendcloud"),
        "logs are captured"
    );
    assert!(!logs.contains(&secret), "secret in the logs");
    // Connection test and disconnect.
    let csrf = TestApp::csrf_of(&page);
    client
        .post(app.url("/admin/test"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains("Verbindung in Ordnung"), "test result shown");
    client
        .post(app.url("/admin/disconnect"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains("Nicht verbunden"));
    let keys: Vec<(Option<String>, Option<String>)> = app
        .state
        .db
        .run(|c| {
            Ok(si::table
                .select((si::public_key_enc, si::secret_key_enc))
                .load(c)?)
        })
        .await
        .unwrap();
    assert!(
        keys.iter().all(|(p, s)| p.is_none() && s.is_none()),
        "keys deleted"
    );
    let kept: i64 = app
        .state
        .db
        .run(|c| Ok(sa::table.count().get_result(c)?))
        .await
        .unwrap();
    assert_eq!(kept, synced, "synced data kept after disconnect");
});

db_async_test!(the_webhook_refuses_what_it_must, |t| {
    let sc = standin().await;
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/config").await;
    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/admin/setup"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let connect_url = res.headers()["location"].to_str().unwrap().to_string();
    let hook: String = url::Url::parse(&connect_url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "webhook_url")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let plain = reqwest::Client::new();
    let body = br#"{"action": "integration_credentials", "public_key": "pk-attacker", "secret_key": "sk-attacker", "integration_id": 9}"#;
    let good_sig = sendcloud_plugin::webhooks::signature("sk-attacker", body);

    // Wrong signature: 401, nothing stored.
    let res = plain
        .post(&hook)
        .header("Sendcloud-Signature", "00".repeat(32))
        .body(&body[..])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // Right signature but the wrong token in the URL: 404.
    let wrong_token = format!("{}x", hook);
    let res = plain
        .post(&wrong_token)
        .header("Sendcloud-Signature", &good_sig)
        .body(&body[..])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // Oversized body: 413.
    let big = vec![b' '; 300 * 1024];
    let res = plain.post(&hook).body(big).send().await.unwrap();
    assert_eq!(res.status(), 413);
    // Malformed JSON: 400.
    let res = plain.post(&hook).body("{not json").send().await.unwrap();
    assert_eq!(res.status(), 400);
    let state: String = app
        .state
        .db
        .run(|c| Ok(si::table.select(si::state).first(c)?))
        .await
        .unwrap();
    assert_eq!(state, "pending", "nothing changed");

    // Correctly signed while pending: accepted; the same again later: refused.
    let res = plain
        .post(&hook)
        .header("Sendcloud-Signature", &good_sig)
        .body(&body[..])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = plain
        .post(&hook)
        .header("Sendcloud-Signature", &good_sig)
        .body(&body[..])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409, "credentials only while waiting for them");
    // Later events need the stored secret.
    // A recent payload timestamp: older integration events are refused as replays.
    let event = format!(
        r#"{{"action": "integration_deleted", "timestamp": {}, "integration": {{"id": 9}}}}"#,
        chrono::Utc::now().timestamp_millis()
    );
    let event = event.as_bytes();
    let res = plain
        .post(&hook)
        .header(
            "Sendcloud-Signature",
            sendcloud_plugin::webhooks::signature("other", event),
        )
        .body(event.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let state: String = app
        .state
        .db
        .run(|c| Ok(si::table.select(si::state).first(c)?))
        .await
        .unwrap();
    assert_eq!(state, "connected");
    let res = plain
        .post(&hook)
        .header(
            "Sendcloud-Signature",
            sendcloud_plugin::webhooks::signature("sk-attacker", event),
        )
        .body(event.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let state: String = app
        .state
        .db
        .run(|c| Ok(si::table.select(si::state).first(c)?))
        .await
        .unwrap();
    assert_eq!(state, "disconnected", "integration_deleted disconnects");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_after_the_connect_window_are_refused() {
    use sendcloud_plugin::integrations::begin_connect;
    use sendcloud_plugin::webhooks::{handle_webhook, signature, WebhookError};
    let db = crate::common::fresh_db(sendcloud_plugin::db::Backend::Sqlite).unwrap();
    let app = TestApp::spawn(db).await;
    let ctx = app.state.ctx();
    let secrets = app.state.secrets.clone();
    let result = app
        .state
        .db
        .run(move |c| {
            let company: i64 = sendcloud_plugin::db::schema::companies::table
                .select(sendcloud_plugin::db::schema::companies::id)
                .first(c)?;
            begin_connect(&ctx, c, company, "Shop")?;
            let token: String = si::table.select(si::webhook_token).first(c)?;
            let body = br#"{"action": "integration_credentials", "public_key": "p", "secret_key": "s", "integration_id": 1}"#;
            let later = chrono::Utc::now().naive_utc() + chrono::Duration::minutes(31);
            Ok(handle_webhook(c, &secrets, company, &token, Some(&signature("s", body)), body, later))
        })
        .await
        .unwrap();
    assert!(
        matches!(result, Err(WebhookError::NotWaiting)),
        "{result:?}"
    );
}

db_async_test!(keys_by_hand_are_checked_before_saving, |t| {
    let sc = standin().await;
    let keys = sc.standin().demo_keys().unwrap();
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/config").await;
    let csrf = TestApp::csrf_of(&page);
    // Wrong keys: a clear error, nothing saved.
    let res = client
        .post(app.url("/admin/keys"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("public_key", keys.public_key.as_str()),
            ("secret_key", "wrong-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = app.page(&client, "/admin/config").await;
    assert!(
        page.contains("Sendcloud hat die Schlüssel abgelehnt"),
        "clear error"
    );
    assert!(page.contains("Nicht verbunden"));
    let saved: Vec<Option<String>> = app
        .state
        .db
        .run(|c| Ok(si::table.select(si::secret_key_enc).load(c)?))
        .await
        .unwrap();
    assert!(saved.iter().all(Option::is_none), "nothing saved");
    // Right keys: connected, first sync queued, the secret nowhere in clear.
    client
        .post(app.url("/admin/keys"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("public_key", keys.public_key.as_str()),
            ("secret_key", keys.secret_key.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains("Verbunden") && page.contains("Schlüssel geprüft und gespeichert"));
    assert!(!page.contains(&keys.secret_key));
    let stored = stored_text(&app).await;
    assert!(!stored.contains(&keys.secret_key) && !stored.contains(&keys.public_key));
    assert!(
        !crate::common::captured_logs().contains(&keys.secret_key),
        "secret in the logs"
    );
    let queued: Vec<String> = app
        .state
        .db
        .run(|c| Ok(jobs::table.select(jobs::kind).load(c)?))
        .await
        .unwrap();
    assert!(
        queued.contains(&"sync".to_string()) && queued.contains(&"orders.push".to_string()),
        "{queued:?}"
    );
});

db_async_test!(companies_keep_their_own_keys_and_webhooks, |t| {
    use sendcloud_plugin::integrations::begin_connect;
    use sendcloud_plugin::webhooks::{handle_webhook, signature, WebhookError};
    let app = TestApp::spawn(t).await;
    let ctx = app.state.ctx();
    let secrets = app.state.secrets.clone();
    let outcome = app
        .state
        .db
        .run(move |c| {
            let ids: Vec<i64> = sendcloud_plugin::db::schema::companies::table
                .select(sendcloud_plugin::db::schema::companies::id)
                .order(sendcloud_plugin::db::schema::companies::id)
                .load(c)?;
            let (a, b) = (ids[0], ids[1]);
            begin_connect(&ctx, c, a, "A")?;
            begin_connect(&ctx, c, b, "B")?;
            let token_a: String = si::table.filter(si::company_id.eq(a)).select(si::webhook_token).first(c)?;
            let token_b: String = si::table.filter(si::company_id.eq(b)).select(si::webhook_token).first(c)?;
            assert_ne!(token_a, token_b);
            let now = chrono::Utc::now().naive_utc();
            let body = br#"{"action": "integration_credentials", "public_key": "pa", "secret_key": "sa", "integration_id": 1}"#;
            // Company A's token does not open company B's webhook.
            let cross = handle_webhook(c, &secrets, b, &token_a, Some(&signature("sa", body)), body, now);
            assert!(matches!(cross, Err(WebhookError::UnknownTarget)), "{cross:?}");
            handle_webhook(c, &secrets, a, &token_a, Some(&signature("sa", body)), body, now).unwrap();
            let states: Vec<(i64, String)> = si::table.select((si::company_id, si::state)).order(si::company_id).load(c)?;
            // A ciphertext copied from A to B does not decrypt as B's key.
            let a_secret: Option<String> = si::table.filter(si::company_id.eq(a)).select(si::secret_key_enc).first(c)?;
            diesel::update(si::table.filter(si::company_id.eq(b)))
                .set((si::secret_key_enc.eq(&a_secret), si::public_key_enc.eq(&a_secret), si::state.eq("connected")))
                .execute(c)?;
            let swapped = sendcloud_plugin::integrations::client_error_for_test(c, &secrets, b);
            Ok((states, swapped))
        })
        .await
        .unwrap();
    assert_eq!(outcome.0[0].1, "connected");
    assert_eq!(outcome.0[1].1, "pending", "B untouched");
    assert!(outcome.1, "a key moved to another company does not decrypt");
});

db_async_test!(the_push_follows_the_companys_customer_data_mapping, |t| {
    use sendcloud_plugin::settings::{self, CustomerMapping, ManualMapping, Source};
    let sc = standin().await;
    let keys = sc.standin().demo_keys().unwrap();
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/config").await;
    let csrf = TestApp::csrf_of(&page);
    client
        .post(app.url("/admin/keys"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("public_key", keys.public_key.as_str()),
            ("secret_key", keys.secret_key.as_str()),
        ])
        .send()
        .await
        .unwrap();
    // Manual mapping: the contact's name, never a company name.
    let manifest = app.state.config.manifest.clone();
    app.state
        .db
        .run(move |c| {
            let company: i64 = si::table
                .filter(si::state.eq("connected"))
                .select(si::company_id)
                .first(c)?;
            let mut s = settings::load(c, company, &manifest)?;
            s.customer_mapping = CustomerMapping::Manual;
            s.manual_mapping = ManualMapping {
                name: Source::ContactName,
                company_name: Source::None,
                email: Source::AccountEmail,
                phone: Source::AccountPhone,
                address: Source::AccountAddress,
            };
            settings::save(c, company, &s, "test", &manifest)?;
            Ok(())
        })
        .await
        .unwrap();
    app.run_jobs().await;
    let orders: Vec<serde_json::Value> = {
        let s = sc.standin().state();
        s.accounts
            .values()
            .flat_map(|a| a.orders.values().cloned())
            .collect()
    };
    assert!(orders.len() > 3, "orders pushed: {}", orders.len());
    for o in &orders {
        let company = o
            .pointer("/shipping_address/company_name")
            .and_then(|v| v.as_str())
            .unwrap_or("");
        assert!(
            company.is_empty(),
            "manual mapping sends no company name: {o}"
        );
    }
});

// Issue 8, defect 3: keys entered by hand for an account with several
// integrations. With one `api` integration among others its id is taken;
// with two `api` integrations it cannot be told: the page says so, and the
// order push records that instead of failing every time.
db_async_test!(integration_id_with_several_integrations, |t| {
    let sc = standin().await;
    let keys = sc.standin().demo_keys().unwrap();
    sc.standin()
        .state()
        .add_integration(
            keys.account_id,
            "Webshop",
            "https://shop.example",
            "shopify",
            "",
        )
        .unwrap();
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let connect = |csrf: String| {
        let client = client.clone();
        let url = app.url("/admin/keys");
        let keys = keys.clone();
        async move {
            let res = client
                .post(url)
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("public_key", keys.public_key.as_str()),
                    ("secret_key", keys.secret_key.as_str()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 303);
        }
    };
    let stored_id = || async {
        app.state
            .db
            .run(|c| {
                Ok(si::table
                    .select(si::sendcloud_integration_id)
                    .first::<Option<i64>>(c)?)
            })
            .await
            .unwrap()
    };
    let page = app.page(&client, "/admin/config").await;
    connect(TestApp::csrf_of(&page)).await;
    assert_eq!(
        stored_id().await,
        Some(keys.integration_id as i64),
        "the only api one"
    );

    // A second API integration: ambiguous.
    sc.standin()
        .state()
        .add_integration(keys.account_id, "Other ERP", "", "api", "")
        .unwrap();
    app.state
        .db
        .run(|c| {
            diesel::update(si::table)
                .set((
                    si::state.eq("disconnected"),
                    si::sendcloud_integration_id.eq(None::<i64>),
                ))
                .execute(c)?;
            diesel::delete(sendcloud_plugin::db::schema::sendcloud_jobs::table).execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let page = app.page(&client, "/admin/config").await;
    connect(TestApp::csrf_of(&page)).await;
    assert_eq!(stored_id().await, None);
    let page = app.page(&client, "/admin/config").await;
    assert!(
        page.contains("id=\"integration-id-unknown\""),
        "the page says it"
    );
    app.run_jobs().await;
    let page = app.page(&client, "/admin/config").await;
    assert!(
        page.contains("Die Sendcloud-Integrations-ID ist unbekannt"),
        "the push summary says why nothing was pushed"
    );
    assert!(
        !sc.standin()
            .requests()
            .iter()
            .any(|r| r.path == "/api/v3/orders"),
        "no order sent without an integration id"
    );
});
