//! Issue 9's hardening, one test (or two) per defect: sessions end
//! server-side, no token in the access log, no replay after the purge, login
//! throttling, refused webhooks counted not logged, well-formed XML, a
//! bounded flash cookie, security headers, and the minor ones (CR/LF in
//! `next`, file modes, token leeway, JSON depth).

use diesel::prelude::*;
use sendcloud_plugin::db::schema::{
    companies, sendcloud_action_log as al, sendcloud_integrations as si,
    sendcloud_webhook_inbox as wi,
};
use sendcloud_plugin::integrations::{begin_connect, webhook_url};
use sendcloud_plugin::web::{Access, ROUTES};
use sendcloud_plugin::webhooks::{handle_webhook, signature};

use crate::common::{captured_logs, TestApp, ADMIN_PASSWORD};

const SECRET: &str = "sk-hardening-test";

/// A client without a cookie jar: the test keeps the session cookie itself,
/// so it can replay a saved copy later.
struct Manual<'a> {
    app: &'a TestApp,
    http: reqwest::Client,
    cookie: Option<String>,
}

impl<'a> Manual<'a> {
    fn new(app: &'a TestApp) -> Self {
        Manual {
            app,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
        }
    }

    fn keep(&mut self, res: &reqwest::Response) {
        for v in res.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            if let Some(pair) = v.split(';').next() {
                if pair.starts_with("sendcloud_session=") {
                    self.cookie = Some(pair.to_string());
                }
            }
        }
    }

    async fn get(&mut self, path: &str) -> reqwest::Response {
        let res = with_cookie(self.http.get(self.app.url(path)), self.cookie.as_deref())
            .send()
            .await
            .unwrap();
        self.keep(&res);
        res
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let res = with_cookie(
            self.http.post(self.app.url(path)).form(form),
            self.cookie.as_deref(),
        )
        .send()
        .await
        .unwrap();
        self.keep(&res);
        res
    }

    async fn login(&mut self) {
        let page = self.get("/login").await.text().await.unwrap();
        let csrf = TestApp::csrf_of(&page);
        let res = self
            .post(
                "/login",
                &[
                    ("csrf_token", &csrf),
                    ("username", "admin"),
                    ("password", ADMIN_PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert!(location(&res).ends_with("/admin/config"));
    }
}

fn with_cookie(req: reqwest::RequestBuilder, cookie: Option<&str>) -> reqwest::RequestBuilder {
    match cookie {
        Some(c) => req.header("cookie", c),
        None => req,
    }
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// What a saved cookie (with the CSRF token of its time) can still do:
/// (status of /admin/config, where a started Abgleich goes).
async fn replay(app: &TestApp, cookie: &str, csrf: &str) -> (u16, String) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(app.url("/admin/config"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let sync = http
        .post(app.url("/admin/sync"))
        .header("cookie", cookie)
        .form(&[("csrf_token", csrf), ("sender_addresses", "on")])
        .send()
        .await
        .unwrap();
    (page.status().as_u16(), location(&sync))
}

db_async_test!(a_saved_session_cookie_is_dead_after_logout, |t| {
    let app = TestApp::spawn(t).await;
    let mut b = Manual::new(&app);
    b.login().await;
    let page = b.get("/admin/config").await;
    assert_eq!(page.status(), 200);
    let csrf = TestApp::csrf_of(&page.text().await.unwrap());
    let saved = b.cookie.clone().unwrap();
    // While logged in, the saved cookie works (the Abgleich answer goes back
    // to the integration page).
    let (status, sync) = replay(&app, &saved, &csrf).await;
    assert_eq!((status, sync.as_str()), (200, "/sendcloud/admin/config"));
    let res = b.post("/logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(res.status(), 303);
    let (status, sync) = replay(&app, &saved, &csrf).await;
    assert_eq!(status, 303, "the old cookie opens nothing");
    assert!(sync.starts_with("/sendcloud/login"), "{sync}");
});

db_async_test!(a_password_reset_ends_every_session_of_the_user, |t| {
    let app = TestApp::spawn(t).await;
    let mut b = Manual::new(&app);
    b.login().await;
    let page = b.get("/admin/config").await;
    let csrf = TestApp::csrf_of(&page.text().await.unwrap());
    let saved = b.cookie.clone().unwrap();
    // What `sendcloud-plugin reset-admin-password` does.
    app.state
        .db
        .run(|c| sendcloud_plugin::users::reset_password(c, "admin"))
        .await
        .unwrap();
    let (status, sync) = replay(&app, &saved, &csrf).await;
    assert_eq!(status, 303);
    assert!(sync.starts_with("/sendcloud/login"), "{sync}");
});

db_async_test!(a_host_hand_over_session_ends_on_logout, |t| {
    let app = TestApp::spawn(t).await;
    let mut b = Manual::new(&app);
    let token = app.host_token(&[sendcloud_plugin::users::PERM_CONFIGURE], None);
    let res = b.get(&format!("/sso?token={token}")).await;
    assert_eq!(res.status(), 303);
    let page = b.get("/admin/config").await;
    assert_eq!(page.status(), 200);
    let csrf = TestApp::csrf_of(&page.text().await.unwrap());
    let saved = b.cookie.clone().unwrap();
    b.post("/logout", &[("csrf_token", &csrf)]).await;
    let (status, _) = replay(&app, &saved, &csrf).await;
    assert_eq!(status, 303);
});

/// Wait (bounded) until the access log has a line containing `needle`: the
/// logger writes when the response is finished, just after the client has it.
async fn logged(needle: &str) -> String {
    for _ in 0..250 {
        let logs = captured_logs();
        if logs.contains(needle) {
            return logs;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the access log never showed {needle:?}");
}

/// Connect the first company (by name) through the credentials webhook; its
/// id and webhook URL.
async fn connected(app: &TestApp) -> (i64, String) {
    let ctx = app.state.ctx();
    let secrets = app.state.secrets.clone();
    app.state
        .db
        .run(move |c| {
            let company: i64 = companies::table
                .select(companies::id)
                .order(companies::name)
                .first(c)?;
            begin_connect(&ctx, c, company, "Shop")?;
            let token: String = si::table
                .filter(si::company_id.eq(company))
                .select(si::webhook_token)
                .first(c)?;
            let body = format!(
                r#"{{"action": "integration_credentials", "public_key": "pk-h", "secret_key": "{SECRET}", "integration_id": 5}}"#
            );
            let sig = signature(SECRET, body.as_bytes());
            handle_webhook(
                c,
                &secrets,
                company,
                &token,
                Some(&sig),
                body.as_bytes(),
                chrono::Utc::now().naive_utc(),
            )
            .expect("connected");
            diesel::delete(sendcloud_plugin::db::schema::sendcloud_jobs::table).execute(c)?;
            Ok((company, webhook_url(&ctx, company, &token)))
        })
        .await
        .unwrap()
}

async fn post_signed(hook: &str, body: &str) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(hook)
        .header("Sendcloud-Signature", signature(SECRET, body.as_bytes()))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

db_async_test!(the_access_log_shows_no_host_or_webhook_token, |t| {
    let app = TestApp::spawn(t).await;
    let (company, hook) = connected(&app).await;
    let token = app.host_token(&[sendcloud_plugin::users::PERM_CONFIGURE], None);
    let res = app
        .client()
        .get(app.url(&format!("/sso?token={token}&next=/sendcloud/admin/config")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (status, _) = post_signed(&hook, "{}").await;
    assert_eq!(status, 200);
    let hook_token = hook.rsplit('/').next().unwrap().to_string();
    logged("/sso?token=[redacted]&next=").await;
    let logs = logged(&format!("/webhooks/sendcloud/{company}/[redacted]")).await;
    assert!(!logs.contains(&token), "host token in the log");
    assert!(!logs.contains(&hook_token), "webhook token in the log");
});

async fn shop_and_state(app: &TestApp, company: i64) -> (Option<String>, String) {
    app.state
        .db
        .run(move |c| {
            Ok(si::table
                .filter(si::company_id.eq(company))
                .select((si::shop_name, si::state))
                .first(c)?)
        })
        .await
        .unwrap()
}

db_async_test!(
    a_signed_event_replayed_after_the_purge_is_not_applied,
    |t| {
        let app = TestApp::spawn(t).await;
        let (company, hook) = connected(&app).await;
        let token = hook.rsplit('/').next().unwrap().to_string();
        let now = chrono::Utc::now().naive_utc();
        let ms = |t: chrono::NaiveDateTime| t.and_utc().timestamp_millis();
        let (t_old, t_new) = (
            now - chrono::Duration::days(2),
            now - chrono::Duration::days(1),
        );
        let update = |ts: i64, shop: &str| {
            format!(
                r#"{{"action": "integration_updated", "timestamp": {ts}, "integration": {{"id": 5, "shop_name": "{shop}", "system": "api", "webhook_active": true}}}}"#
            )
        };
        let old = update(ms(t_old), "Alt");
        let new = update(ms(t_new), "Neu");
        let deleted = format!(
            r#"{{"action": "integration_deleted", "timestamp": {}, "integration": {{"id": 5}}}}"#,
            ms(t_old) + 1
        );
        let secrets = app.state.secrets.clone();
        let manifest = app.state.config.manifest.clone();
        let (o, n, d) = (old.clone(), new.clone(), deleted.clone());
        let left = app
            .state
            .db
            .run(move |c| {
                for (body, at) in [(&o, t_old), (&n, t_new), (&d, t_new)] {
                    let sig = signature(SECRET, body.as_bytes());
                    handle_webhook(
                        c,
                        &secrets,
                        company,
                        &token,
                        Some(&sig),
                        body.as_bytes(),
                        at,
                    )
                    .expect("accepted");
                }
                // The retention purge, long after: the dedupe rows are gone.
                sendcloud_plugin::worker::purge::purge(
                    c,
                    &manifest,
                    now + chrono::Duration::days(30),
                )?;
                Ok(wi::table
                    .filter(wi::company_id.eq(company))
                    .count()
                    .get_result::<i64>(c)?)
            })
            .await
            .unwrap();
        assert_eq!(left, 0, "purged");
        // Applied in order, the old delete was already stale: still connected.
        assert_eq!(
            shop_and_state(&app, company).await,
            (Some("Neu".into()), "connected".into())
        );
        // Replayed now, both old events are stale.
        for body in [&old, &deleted] {
            let (status, message) = post_signed(&hook, body).await;
            assert_eq!(status, 200, "{message}");
            assert!(message.contains("stale"), "{message}");
        }
        assert_eq!(
            shop_and_state(&app, company).await,
            (Some("Neu".into()), "connected".into())
        );
        // An event older than the replay window is refused and stores nothing.
        let ancient = update(ms(now - chrono::Duration::days(8)), "Uralt");
        let before = inbox_count(&app).await;
        let (status, message) = post_signed(&hook, &ancient).await;
        assert_eq!(status, 400, "{message}");
        assert_eq!(inbox_count(&app).await, before);
        assert_eq!(
            shop_and_state(&app, company).await.0.as_deref(),
            Some("Neu")
        );
    }
);

async fn inbox_count(app: &TestApp) -> i64 {
    app.state
        .db
        .run(|c| Ok(wi::table.count().get_result(c)?))
        .await
        .unwrap()
}

db_async_test!(
    the_inbox_keeps_dedupe_rows_longer_than_the_action_log,
    |t| {
        let app = TestApp::spawn(t).await;
        let (company, hook) = connected(&app).await;
        let token = hook.rsplit('/').next().unwrap().to_string();
        let now = chrono::Utc::now().naive_utc();
        // Received 7½ days ago (the action log keeps 7 days by default).
        let at = now - chrono::Duration::hours(7 * 24 + 12);
        let body = format!(
            r#"{{"action": "integration_updated", "timestamp": {}, "integration": {{"id": 5, "shop_name": "Shop 2"}}}}"#,
            at.and_utc().timestamp_millis()
        );
        let secrets = app.state.secrets.clone();
        let manifest = app.state.config.manifest.clone();
        let left = app
            .state
            .db
            .run(move |c| {
                let sig = signature(SECRET, body.as_bytes());
                handle_webhook(
                    c,
                    &secrets,
                    company,
                    &token,
                    Some(&sig),
                    body.as_bytes(),
                    at,
                )
                .expect("accepted");
                sendcloud_plugin::worker::purge::purge(c, &manifest, now)?;
                Ok(wi::table.count().get_result::<i64>(c)?)
            })
            .await
            .unwrap();
        assert_eq!(left, 1, "kept for deduplication");
    }
);

db_async_test!(login_attempts_are_throttled_per_user_and_per_address, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    let page = app.page(&client, "/login").await;
    let csrf = TestApp::csrf_of(&page);
    let attempt = |user: &'static str, password: &'static str| {
        let client = client.clone();
        let csrf = csrf.clone();
        let url = app.url("/login");
        async move {
            client
                .post(url)
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("username", user),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let mut statuses = vec![];
    for _ in 0..15 {
        statuses.push(attempt("admin", "guess").await.status().as_u16());
    }
    assert!(statuses[..10].iter().all(|s| *s == 303), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    // Throttled, even the right password waits; the answer is German.
    let res = attempt("admin", ADMIN_PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let body = res.text().await.unwrap();
    assert!(body.contains("Zu viele Anmeldeversuche"), "{body}");
    // The address is throttled across user names.
    let names: Vec<&'static str> = (0..30)
        .map(|i| &*Box::leak(format!("user{i}").into_boxed_str()))
        .collect();
    let mut last = 0;
    for name in names {
        last = attempt(name, "guess").await.status().as_u16();
    }
    assert_eq!(last, 429, "30 more attempts from one address");
});

db_async_test!(unsigned_webhook_calls_are_counted_not_logged_each, |t| {
    let app = TestApp::spawn(t).await;
    let (company, hook) = connected(&app).await;
    let before = log_rows(&app, company).await;
    let http = reqwest::Client::new();
    for i in 0..300 {
        let res = http
            .post(&hook)
            .body(format!(
                r#"{{"action": "parcel_status_changed", "timestamp": {i}}}"#
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
    let after = log_rows(&app, company).await;
    assert!(
        after - before <= 2,
        "{} action-log rows for 300 refusals",
        after - before
    );
    let counted = app
        .state
        .db
        .run(move |c| {
            sendcloud_plugin::webhooks::refused_count(
                c,
                company,
                chrono::Utc::now().naive_utc() - chrono::Duration::hours(2),
            )
        })
        .await
        .unwrap();
    assert_eq!(counted, 300);
    assert_eq!(inbox_count(&app).await, 0);
});

async fn log_rows(app: &TestApp, company: i64) -> i64 {
    app.state
        .db
        .run(move |c| {
            Ok(al::table
                .filter(al::company_id.eq(company))
                .count()
                .get_result(c)?)
        })
        .await
        .unwrap()
}

/// Parse with quick-xml to the end, unescaping every text, and make sure no
/// character XML 1.0 forbids is in it.
fn assert_well_formed(xml: &str) {
    let forbidden = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
    };
    assert!(
        !xml.chars().any(forbidden),
        "forbidden character in {xml:?}"
    );
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i32;
    let mut roots = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.decode().expect("text decodes");
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e} in {xml:?}"),
        }
    }
    assert_eq!((depth, roots), (0, 1), "one closed root element: {xml:?}");
}

db_async_test!(
    every_xml_answer_is_well_formed_with_control_characters_in_data,
    |t| {
        let app = TestApp::spawn(t).await;
        app.state
            .db
            .run(|c| {
                diesel::update(companies::table)
                    .set(companies::name.eq("Fiets\u{1}handel \u{0b}<&> \u{FFFF}B.V."))
                    .execute(c)?;
                Ok(())
            })
            .await
            .unwrap();
        let token = app.host_token(&[sendcloud_plugin::users::PERM_API], None);
        let mut checked = 0;
        for r in ROUTES
            .iter()
            // The company list (the runs of one company are JSON only).
            .filter(|r| {
                matches!(r.access, Access::Api(_)) && r.method == "GET" && !r.path.contains('{')
            })
        {
            let res = app
                .client()
                .get(app.url(r.path))
                .bearer_auth(&token)
                .header("Accept", "application/xml")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{}", r.path);
            let xml = res.text().await.unwrap();
            assert_well_formed(&xml);
            assert!(xml.contains("Fietshandel &lt;&amp;&gt; B.V."), "{xml}");
            checked += 1;
        }
        assert!(checked > 0);
    }
);

db_async_test!(flash_messages_do_not_pile_up_in_the_cookie, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    let page = app.page(&client, "/login").await;
    let csrf = TestApp::csrf_of(&page);
    // 60 failed logins without following the redirect (the throttle answers
    // most of them), then 60 language switches (each a new flash).
    for i in 0..120 {
        let res = if i < 60 {
            client
                .post(app.url("/login"))
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("username", "admin"),
                    ("password", "wrong"),
                ])
                .send()
                .await
                .unwrap()
        } else {
            let lang = ["de", "en", "nl", "fr"][i % 4];
            client
                .post(app.url("/language"))
                .form(&[("csrf_token", csrf.as_str()), ("lang", lang)])
                .send()
                .await
                .unwrap()
        };
        assert!(
            [303, 429].contains(&res.status().as_u16()),
            "attempt {i}: {}",
            res.status()
        );
        for c in res.headers().get_all("set-cookie") {
            assert!(c.len() < 4096, "attempt {i}: a {} byte cookie", c.len());
        }
    }
    let page = app.page(&client, "/login").await;
    let shown = page.matches("class=\"flash ").count();
    assert!(
        (1..=sendcloud_plugin::web::session::MAX_FLASHES).contains(&shown),
        "{shown} flashes"
    );
});

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    let h = res.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'self'"), "{what}: {csp}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["x-frame-options"], "SAMEORIGIN", "{what}");
    assert!(h.contains_key("referrer-policy"), "{what}");
}

db_async_test!(every_response_carries_the_security_headers, |t| {
    let app = TestApp::spawn(t).await;
    let (_, hook) = connected(&app).await;
    let client = app.client();
    for r in ROUTES {
        let res = if r.method == "GET" {
            client.get(app.url(r.path)).send().await.unwrap()
        } else {
            client.post(app.url(r.path)).send().await.unwrap()
        };
        assert_security_headers(&res, &format!("anonymous {} {}", r.method, r.path));
    }
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    for r in ROUTES.iter().filter(|r| r.method == "GET") {
        let res = client.get(app.url(r.path)).send().await.unwrap();
        assert_security_headers(&res, &format!("GET {}", r.path));
        let body = res.text().await.unwrap();
        // No inline script or style the policy would block.
        if body.contains("<html") {
            assert!(!body.contains("<script>"), "{}: inline script", r.path);
            assert!(!body.contains("<style"), "{}: inline style", r.path);
            assert!(!body.contains(" style=\""), "{}: style attribute", r.path);
            for handler in [" onclick=", " onsubmit=", " onchange=", " onload="] {
                assert!(!body.contains(handler), "{}: {handler}", r.path);
            }
        }
    }
    let res = client.get(app.url("/no/such/page")).send().await.unwrap();
    assert_security_headers(&res, "404");
    let res = reqwest::Client::new()
        .post(&hook)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_security_headers(&res, "webhook");
    let res = client
        .get(format!("{}/healthz", app.origin))
        .send()
        .await
        .unwrap();
    assert_security_headers(&res, "root healthz");
});

#[actix_web::test]
async fn the_allowed_frame_ancestors_are_a_setting() {
    use actix_web::{test, web, App, HttpResponse};
    let config = sendcloud_plugin::config::Config::from_lookup(|k| {
        (k == "SENDCLOUD_PLUGIN_FRAME_ANCESTORS")
            .then(|| "'self' https://backoffice.example.com".to_string())
    })
    .unwrap();
    let app = test::init_service(
        App::new()
            .wrap(sendcloud_plugin::web::security_headers(&config))
            .route("/", web::get().to(HttpResponse::Ok)),
    )
    .await;
    let res = test::call_service(&app, test::TestRequest::get().uri("/").to_request()).await;
    let csp = res
        .headers()
        .get("content-security-policy")
        .expect("a CSP")
        .to_str()
        .unwrap();
    assert!(
        csp.contains("frame-ancestors 'self' https://backoffice.example.com"),
        "{csp}"
    );
    // A list of hosts has no X-Frame-Options form: the CSP decides.
    assert!(!res.headers().contains_key("x-frame-options"));
}

db_async_test!(cr_lf_in_next_falls_back_to_the_default_page, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    let page = app.page(&client, "/login").await;
    let csrf = TestApp::csrf_of(&page);
    let evil = "/sendcloud/admin/config\r\nSet-Cookie: evil=1";
    let res = client
        .post(app.url("/language"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("lang", "en"),
            ("next", evil),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/sendcloud/admin/config");
    let res = client
        .get(app.url("/login?next=%2Fsendcloud%2Fadmin%0D%0Aevil"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "admin"),
            ("password", ADMIN_PASSWORD),
            ("next", evil),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/sendcloud/admin/config");
});

db_async_test!(a_token_expired_20_seconds_ago_is_refused, |t| {
    let app = TestApp::spawn(t).await;
    let token = sendcloud_plugin::users::make_host_token(
        crate::common::HOST_SECRET,
        &sendcloud_plugin::users::HostClaims {
            sub: "late".into(),
            name: None,
            permissions: vec![sendcloud_plugin::users::PERM_API.into()],
            companies: None,
            exp: chrono::Utc::now().timestamp() - 20,
        },
    );
    let res = app
        .client()
        .get(app.url("/api/v1/companies"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
});

db_async_test!(
    a_deeply_nested_signed_webhook_is_refused_and_not_stored,
    |t| {
        let app = TestApp::spawn(t).await;
        let (_, hook) = connected(&app).await;
        let depth = 20_000;
        let body = format!(
            r#"{{"action": "parcel_status_changed", "timestamp": 1, "parcel": {{"id": 1}}, "x": {}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let (status, message) = post_signed(&hook, &body).await;
        assert_eq!(status, 400, "{message}");
        assert!(message.contains("nested"), "{message}");
        assert_eq!(inbox_count(&app).await, 0);
    }
);

#[cfg(unix)]
#[test]
fn a_new_sqlite_database_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data").join("module");
    let file = folder.join("db.sqlite");
    let db = sendcloud_plugin::db::Db::open(&format!("sqlite://{}", file.display())).unwrap();
    let mut conn = db.conn().unwrap();
    sendcloud_plugin::users::create_user(&mut conn, "u", "pw", &[], None).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700, "folder");
    assert_eq!(mode(&dir.path().join("data")), 0o700, "parent folder");
    assert_eq!(mode(&file), 0o600, "database file");
    for suffix in ["-wal", "-shm"] {
        let side = std::path::PathBuf::from(format!("{}{suffix}", file.display()));
        if side.exists() {
            assert_eq!(mode(&side), 0o600, "{suffix}");
        }
    }
}

db_async_test!(
    integration_timestamps_in_seconds_are_judged_as_seconds,
    |t| {
        let app = TestApp::spawn(t).await;
        let (company, hook) = connected(&app).await;
        let token = hook.rsplit('/').next().unwrap().to_string();
        let secrets = app.state.secrets.clone();
        let (recent, ancient) = app
        .state
        .db
        .run(move |c| {
            let now = chrono::Utc::now().naive_utc();
            let secs = now.and_utc().timestamp();
            let mut outcomes = vec![];
            for ts in [secs - 8 * 86_400, secs - 60] {
                let body = format!(
                    r#"{{"action": "integration_updated", "timestamp": {ts}, "integration": {{"id": 5, "shop_name": "S{ts}"}}}}"#
                );
                let sig = signature(SECRET, body.as_bytes());
                outcomes.push(
                    handle_webhook(c, &secrets, company, &token, Some(&sig), body.as_bytes(), now)
                        .map_err(|e| e.to_string()),
                );
            }
            Ok((outcomes.pop().unwrap(), outcomes.pop().unwrap()))
        })
        .await
        .unwrap();
        assert!(recent.is_ok(), "{recent:?}");
        assert!(ancient.unwrap_err().contains("replay window"));
    }
);
