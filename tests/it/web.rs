//! The web frame over HTTP: authentication on every route, login, CSRF,
//! languages, companies kept apart, the plugin API in JSON and XML, health.

use crate::common::{TestApp, ADMIN_PASSWORD};
use sendcloud_plugin::users::{PERM_API, PERM_CONFIGURE, PERM_REPORTS};

/// Every admin page route and every POST route of the module.
const ADMIN_GETS: &[&str] = &[
    "/admin/config",
    "/admin/reports",
    "/admin/reports?tab=returns",
    "/admin/settings",
    "/admin/progress",
    "/admin/orders",
    "/admin/warehouses",
];
const POSTS: &[&str] = &[
    "/admin/company",
    "/admin/settings",
    "/admin/setup",
    "/admin/keys",
    "/admin/test",
    "/admin/disconnect",
    "/admin/sync",
    "/admin/orders",
    "/admin/warehouses",
];
const API_GETS: &[&str] = &["/api/v1/companies"];

db_async_test!(unauthenticated_requests_are_refused_everywhere, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    for path in ADMIN_GETS {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        let loc = res.headers()["location"].to_str().unwrap();
        assert!(loc.starts_with("/sendcloud/login?next="), "{path} → {loc}");
    }
    for path in POSTS {
        let res = client
            .post(app.url(path))
            .form(&[("company_id", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{path}");
    }
    for path in API_GETS {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 401, "{path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let res = client
            .get(app.url(path))
            .bearer_auth("forged.token.value")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{path} with a bad token");
    }
    // Health needs no login and says which database answered.
    let health: serde_json::Value = client
        .get(format!("{}/healthz", app.origin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let mounted = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(mounted.status(), 200);
});

db_async_test!(login_logout_and_the_german_shell, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    // Wrong password: back to the login with a message, no session.
    let page = app.page(&client, "/login").await;
    assert!(page.contains("Anmeldung"));
    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "admin"),
            ("password", "wrong"),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .contains("/login"));
    let again = app.page(&client, "/login").await;
    assert!(again.contains("Benutzername oder Passwort ist falsch."));
    assert_eq!(
        client
            .get(app.url("/admin/config"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );

    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = client.get(app.url("/admin/config")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    for text in [
        "Konfiguration",
        "Lager",
        "Berichte",
        "Sendcloud-Integration",
        "Nicht verbunden",
        "Lager konfigurieren",
        "Bestellungen abgleichen",
        "Magazijn Utrecht",
        "Nordlicht Outdoor GmbH",
        "Fietsenhandel Van Dijk B.V.",
    ] {
        assert!(page.contains(text), "config page lacks {text}");
    }
    let reports = app.page(&client, "/admin/reports?tab=invoices").await;
    assert!(reports.contains("Rechnungen") && reports.contains("Aktions-Logging"));

    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        client
            .get(app.url("/admin/config"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
});

db_async_test!(forms_without_the_csrf_token_are_refused, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    let page = app.page(&client, "/login").await;
    let csrf = TestApp::csrf_of(&page);
    // Login without a token, and with another session's token.
    let res = client
        .post(app.url("/login"))
        .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let other = app.client();
    let other_page = app.page(&other, "/login").await;
    let foreign = TestApp::csrf_of(&other_page);
    assert_ne!(foreign, csrf);
    let res = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", foreign.as_str()),
            ("username", "admin"),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Das Formular ist abgelaufen"),
        "error page in German: {body}"
    );
    // Logged in, the company switch and the language switch need it too.
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    for (path, form) in [
        ("/admin/company", ("company_id", "2")),
        ("/language", ("lang", "en")),
        ("/admin/settings", ("customs_origin_country", "AT")),
    ] {
        let res = client
            .post(app.url(path))
            .form(&[form])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{path}");
    }
    // Every other form of the module as well.
    for path in POSTS {
        let res = client
            .post(app.url(path))
            .form(&[("x", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{path} without a CSRF token");
    }
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains("Konfiguration"), "language unchanged");
});

db_async_test!(language_switch_and_safe_redirects, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/config").await;
    let csrf = TestApp::csrf_of(&page);
    for (lang, word) in [
        ("en", "Configure warehouses"),
        ("nl", "Magazijnen configureren"),
        ("fr", "Configurer les entrepôts"),
        ("de", "Lager konfigurieren"),
    ] {
        let res = client
            .post(app.url("/language"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("lang", lang),
                ("next", "https://evil.example/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(
            res.headers()["location"],
            "/sendcloud/admin/config",
            "no open redirect"
        );
        let page = app.page(&client, "/admin/config").await;
        assert!(page.contains(word), "{lang}: {word}");
        assert!(page.contains(&format!("<html lang=\"{lang}\">")));
    }
    let res = client
        .post(app.url("/language"))
        .form(&[("csrf_token", csrf.as_str()), ("lang", "xx")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
});

db_async_test!(companies_stay_apart_for_host_users, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    let ids: Vec<i64> = {
        let host = app.state.host.clone();
        app.state
            .db
            .run(move |c| Ok(host.companies(c)?.into_iter().map(|c| c.id).collect()))
            .await
            .unwrap()
    };
    let dutch = *ids.iter().max().unwrap();
    let german = *ids.iter().min().unwrap();
    // The host hands over a user who may see the Dutch company only.
    let token = app.host_token(&[PERM_CONFIGURE, PERM_REPORTS], Some(vec![dutch]));
    let res = client
        .get(app.url(&format!("/sso?token={token}&next=/sendcloud/admin/config")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains("Fietsenhandel Van Dijk"));
    assert!(
        !page.contains("Nordlicht Outdoor"),
        "the other company is not even listed"
    );
    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/admin/company"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("company_id", &german.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains("Fietsenhandel Van Dijk"));
    // Without the reports permission the reports are closed.
    let limited = app.client();
    let token = app.host_token(&[PERM_CONFIGURE], None);
    limited
        .get(app.url(&format!("/sso?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        limited
            .get(app.url("/admin/reports"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // A forged hand-over is refused.
    let res = app
        .client()
        .get(app.url("/sso?token=abc.def.ghi"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
});

db_async_test!(plugin_api_speaks_json_and_xml, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    let token = app.host_token(&[PERM_API], None);
    let json: serde_json::Value = client
        .get(app.url("/api/v1/companies"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = json["company"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["integration_state"], "disconnected");
    let xml = client
        .get(app.url("/api/v1/companies"))
        .bearer_auth(&token)
        .header("Accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(
        xml.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let xml = xml.text().await.unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("<companies><company><id>"), "{xml}");
    assert!(xml.contains("<name>Fietsenhandel Van Dijk B.V.</name>"));
    // A token without the API permission: 403 as problem+json.
    let res = client
        .get(app.url("/api/v1/companies"))
        .bearer_auth(app.host_token(&[PERM_REPORTS], None))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    // Company-limited tokens see their company only.
    let ids: serde_json::Value = client
        .get(app.url("/api/v1/companies"))
        .bearer_auth(app.host_token(&[PERM_API], Some(vec![list[1]["id"].as_i64().unwrap()])))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ids["company"].as_array().unwrap().len(), 1);
});

db_async_test!(unknown_pages_get_a_localised_404, |t| {
    let app = TestApp::spawn(t).await;
    let res = app
        .client()
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Diese Seite gibt es nicht."));
});
