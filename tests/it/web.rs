//! The web frame over HTTP: authentication on every route, login, CSRF,
//! languages, companies kept apart, the plugin API in JSON and XML, health.

use crate::common::{TestApp, ADMIN_PASSWORD};
use sendcloud_plugin::users::{PERM_API, PERM_CONFIGURE, PERM_REPORTS};

use sendcloud_plugin::web::{Access, ROUTES};

/// The routes the app really registers (`web::ROUTES`, which `configure`
/// mounts), by what they need.
fn admin_gets() -> Vec<String> {
    let mut paths: Vec<String> = ROUTES
        .iter()
        .filter(|r| r.method == "GET" && matches!(r.access, Access::Admin(_) | Access::Login))
        .map(|r| r.path.to_string())
        .collect();
    paths.push("/admin/reports?tab=returns".into());
    paths
}

/// Every POST route that needs a login.
fn posts() -> Vec<&'static str> {
    ROUTES
        .iter()
        .filter(|r| {
            r.method == "POST" && r.access != Access::Public && !matches!(r.access, Access::Api(_))
        })
        .map(|r| r.path)
        .collect()
}

/// Plugin API calls that change something: a bearer token and a JSON body
/// (no form, so no CSRF token; a cross-site form cannot send JSON).
fn api_posts() -> Vec<&'static str> {
    ROUTES
        .iter()
        .filter(|r| r.method == "POST" && matches!(r.access, Access::Api(_)))
        .map(|r| r.path)
        .collect()
}

fn api_gets() -> Vec<&'static str> {
    ROUTES
        .iter()
        .filter(|r| r.method == "GET" && matches!(r.access, Access::Api(_)))
        .map(|r| r.path)
        .collect()
}

#[test]
fn the_route_table_covers_every_admin_and_api_route() {
    // Every /admin and /api route needs more than nothing, every form a
    // CSRF token, and nothing is listed twice.
    for r in ROUTES {
        // The API's description is public on purpose (no data; needed
        // before a token exists).
        let api_docs = ["/api/v1/openapi.json", "/api/v1/docs"].contains(&r.path);
        if r.path.starts_with("/admin") || (r.path.starts_with("/api") && !api_docs) {
            assert_ne!(r.access, Access::Public, "{} {}", r.method, r.path);
        }
        if r.method == "POST" && !matches!(r.access, Access::Api(_)) {
            assert!(r.csrf, "POST {} takes a CSRF token", r.path);
        }
        assert_eq!(
            ROUTES
                .iter()
                .filter(|o| o.method == r.method && o.path == r.path)
                .count(),
            1,
            "{} {}",
            r.method,
            r.path
        );
    }
    assert!(admin_gets().len() >= 7 && posts().len() >= 9 && !api_gets().is_empty());
}

db_async_test!(unauthenticated_requests_are_refused_everywhere, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    for path in &admin_gets() {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        let loc = res.headers()["location"].to_str().unwrap();
        assert!(loc.starts_with("/sendcloud/login?next="), "{path} → {loc}");
    }
    for path in posts() {
        let res = client
            .post(app.url(path))
            .form(&[("company_id", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{path}");
    }
    for path in api_posts() {
        let res = client
            .post(app.url(path))
            .json(&serde_json::json!({ "objects": ["parcels"] }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "POST {path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }
    for path in api_gets() {
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
    // Every other form of the module as well (public ones included).
    for path in ROUTES.iter().filter(|r| r.csrf).map(|r| r.path) {
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

db_async_test!(
    every_protected_route_checks_the_permission_it_declares,
    |t| {
        let app = TestApp::spawn(t).await;
        let client = app.client();
        let nobody = app.host_token(&[], None);
        for r in ROUTES {
            let (Access::Admin(_) | Access::Api(_)) = r.access else {
                continue;
            };
            let req = if r.method == "GET" {
                client.get(app.url(r.path))
            } else {
                client.post(app.url(r.path)).form(&[("x", "1")])
            };
            let res = req.bearer_auth(&nobody).send().await.unwrap();
            assert_eq!(
                res.status(),
                403,
                "{} {} without its permission",
                r.method,
                r.path
            );
        }
        // With exactly the declared permission, every page opens (path
        // parameters filled with a company and a run of it).
        let run = app
            .state
            .db
            .run(|c| {
                sendcloud_plugin::sync::create_run(
                    c,
                    1,
                    "test",
                    &[sendcloud_plugin::sync::SyncObject::Brands],
                )
            })
            .await
            .unwrap();
        for r in ROUTES.iter().filter(|r| r.method == "GET") {
            let (Access::Admin(p) | Access::Api(p)) = r.access else {
                continue;
            };
            let path = r
                .path
                .replace("{company}", "1")
                .replace("{run}", &run.to_string());
            let res = client
                .get(app.url(&path))
                .bearer_auth(app.host_token(&[p], None))
                .send()
                .await
                .unwrap();
            if matches!(r.access, Access::Api(_)) {
                // API reads of a delivery, job or document need data made
                // at Sendcloud first (tests/it/api.rs opens each with
                // data); here: the permission lets the call through.
                assert!(
                    ![401, 403].contains(&res.status().as_u16()),
                    "GET {} with {p}: {}",
                    r.path,
                    res.status()
                );
            } else {
                assert_eq!(res.status(), 200, "GET {} with {p}", r.path);
            }
        }
    }
);
