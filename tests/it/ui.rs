//! The admin UI as staff read it (issue 13), over HTTP: times in the
//! reader's zone and language, words and plurals in every language, the
//! connection states, the pick-lists of the settings, forms that keep
//! what was entered.

use std::sync::Arc;

use diesel::prelude::*;
use sendcloud_plugin::db::schema::sendcloud_integrations as si;

use crate::common::{TestApp, ADMIN_PASSWORD};

/// A client whose cookie jar the test may add to (the browser's zone
/// cookie that app.js sets).
fn client_with_jar(app: &TestApp) -> (reqwest::Client, Arc<reqwest::cookie::Jar>) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let _ = app;
    (client, jar)
}

async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = app.page(client, page).await;
    let csrf = TestApp::csrf_of(&html);
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
    form.extend_from_slice(fields);
    client
        .post(app.url(action))
        .form(&form)
        .send()
        .await
        .expect("POST")
}

async fn set_language(app: &TestApp, client: &reqwest::Client, lang: &str) {
    let res = post_form(
        app,
        client,
        "/admin/config",
        "/language",
        &[("lang", lang), ("next", "")],
    )
    .await;
    assert_eq!(res.status(), 303);
}

/// The stored last-sync time of every company.
async fn set_last_sync(app: &TestApp, at: chrono::NaiveDateTime) {
    app.state
        .db
        .run(move |c| {
            diesel::update(si::table)
                .set(si::last_sync_at.eq(Some(at)))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
}

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

// Item 5: every time in the reader's zone (their choice, else the
// browser's, else Europe/Berlin) and language, UTC in the tooltip.
db_async_test!(times_are_shown_in_the_readers_zone_and_language, |t| {
    let app = TestApp::spawn(t).await;
    app.connect_all("pk", "sk", Some(7)).await;
    set_last_sync(&app, at("2026-12-04 18:05")).await;
    let (client, jar) = client_with_jar(&app);
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/config").await;
    // No choice, no browser zone: Berlin, German form, UTC in the title.
    assert!(
        page.contains(
            r#"<time datetime="2026-12-04T18:05:00Z" title="2026-12-04 18:05 UTC">04.12.2026, 19:05</time>"#
        ),
        "{page}"
    );
    assert!(!page.contains("18:05 UTC</td>"), "no bare UTC times left");
    // The browser's zone (the cookie app.js sets).
    let origin: url::Url = app.origin.parse().unwrap();
    jar.add_cookie_str("sendcloud_tz=America/New_York; Path=/", &origin);
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains(">04.12.2026, 13:05</time>"), "{page}");
    // A made-up browser zone is ignored.
    jar.add_cookie_str("sendcloud_tz=Mars/Olympus; Path=/", &origin);
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains(">04.12.2026, 19:05</time>"), "{page}");
    // The user's own choice wins over the browser's, and is kept.
    let res = post_form(
        &app,
        &client,
        "/admin/preferences",
        "/admin/preferences",
        &[("time_zone", "Asia/Tokyo")],
    )
    .await;
    assert_eq!(res.status(), 303);
    jar.add_cookie_str("sendcloud_tz=America/New_York; Path=/", &origin);
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains(">05.12.2026, 03:05</time>"), "{page}");
    let prefs = app.page(&client, "/admin/preferences").await;
    assert!(
        prefs.contains(r#"<option value="Asia/Tokyo" selected>"#),
        "{prefs}"
    );
    // English, Dutch and French forms.
    for (lang, shown) in [
        ("en", "5 Dec 2026, 03:05"),
        ("nl", "05-12-2026 03:05"),
        ("fr", "05/12/2026 03:05"),
    ] {
        set_language(&app, &client, lang).await;
        let page = app.page(&client, "/admin/config").await;
        assert!(page.contains(&format!(">{shown}</time>")), "{lang}: {page}");
    }
    // A zone that does not exist is refused, the choice stays.
    let res = post_form(
        &app,
        &client,
        "/admin/preferences",
        "/admin/preferences",
        &[("time_zone", "Mars/Olympus")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let prefs = app.page(&client, "/admin/preferences").await;
    assert!(prefs.contains("flash-error"), "{prefs}");
    assert!(prefs.contains(r#"<option value="Asia/Tokyo" selected>"#));
    // The choice is the user's: a new login finds it again.
    let (fresh, _) = client_with_jar(&app);
    app.login(&fresh, "admin", ADMIN_PASSWORD).await;
    set_language(&app, &fresh, "de").await;
    let page = app.page(&fresh, "/admin/config").await;
    assert!(page.contains(">05.12.2026, 03:05</time>"), "{page}");
});

/// Mark every company as having pressed Setup at `started` (the connect
/// flow's state before Sendcloud answers).
async fn set_pending(app: &TestApp, started: chrono::NaiveDateTime) {
    app.state
        .db
        .run(move |c| {
            let companies: Vec<i64> = sendcloud_plugin::db::schema::companies::table
                .select(sendcloud_plugin::db::schema::companies::id)
                .load(c)?;
            for company in companies {
                sendcloud_plugin::integrations::ensure_row(c, company)?;
            }
            diesel::update(si::table)
                .set((
                    si::state.eq("pending"),
                    si::connect_started_at.eq(Some(started)),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
}

fn text_of_id(page: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in {page}"));
    let rest = &page[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find("</").unwrap();
    rest[open..close].to_string()
}

// Item 1: a Setup that came back without keys, or that waited longer than
// the connect window, says the connection was not completed and offers
// Setup again; while it may still arrive it says until when.
db_async_test!(an_unfinished_setup_says_so_and_expires_visibly, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let now = chrono::Utc::now().naive_utc();
    set_pending(&app, now - chrono::Duration::minutes(5)).await;
    // Waiting: connecting, with the end of the window and a way out.
    let page = app.page(&client, "/admin/config").await;
    assert_eq!(
        text_of_id(&page, "integration-state"),
        "Verbindung wird hergestellt"
    );
    assert!(page.contains("id=\"connect-hint\""), "{page}");
    assert!(page.contains("Sendcloud kann die Verbindung bestätigen bis"));
    assert!(page.contains("id=\"btn-setup-again\""));
    // Back from Sendcloud's page without keys (cancelled there).
    let page = app.page(&client, "/admin/config?connect=returned").await;
    assert_eq!(
        text_of_id(&page, "integration-state"),
        "Verbindung nicht abgeschlossen"
    );
    assert!(page.contains("Sendcloud hat die Verbindung nicht bestätigt"));
    assert!(page.contains("id=\"btn-setup-again\""));
    // Past the 30-minute window: expired, whatever the query.
    set_pending(&app, now - chrono::Duration::minutes(31)).await;
    let page = app.page(&client, "/admin/config").await;
    assert_eq!(
        text_of_id(&page, "integration-state"),
        "Verbindung nicht abgeschlossen"
    );
    assert!(page.contains("ist abgelaufen"), "{page}");
    assert!(page.contains("id=\"btn-setup-again\""));
    // In English too.
    set_language(&app, &client, "en").await;
    let page = app.page(&client, "/admin/config").await;
    assert_eq!(
        text_of_id(&page, "integration-state"),
        "Connection not completed"
    );
    // Connected: no hint.
    app.connect_all("pk", "sk", Some(7)).await;
    let page = app.page(&client, "/admin/config").await;
    assert!(!page.contains("id=\"connect-hint\""), "{page}");
});

// Item 3: Lager konfigurieren on a company without a connection says so
// and links to Setup instead of speaking of "the connected account".
db_async_test!(warehouses_of_an_unconnected_company_point_to_setup, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/warehouses").await;
    assert!(
        page.contains("Dieser Mandant ist nicht mit Sendcloud verbunden"),
        "{page}"
    );
    assert!(!page.contains("Im verbundenen Sendcloud-Konto"), "{page}");
    assert!(page.contains(r#"id="goto-setup" href="/sendcloud/admin/config""#));
    // Connected but nothing synced yet: the old hint, no Setup link.
    app.connect_all("pk", "sk", Some(7)).await;
    let page = app.page(&client, "/admin/warehouses").await;
    assert!(page.contains("Im verbundenen Sendcloud-Konto"), "{page}");
    assert!(!page.contains("goto-setup"));
});

// Item 5: counts through Fluent plurals in every language, the
// connection test names what it counted, every flash ends with a full
// stop, French sets a no-break space before colons and its Setup no
// longer reads like the top menu.
db_async_test!(words_and_numbers_in_every_language, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let i18n = &app.state.i18n;
    let one = |lang: &str, id: &str, n: i64| {
        i18n.text_with(lang, id, &[("n", fluent_bundle::FluentValue::from(n))])
    };
    assert_eq!(one("de", "object-brands-count", 1), "1 Brand");
    assert_eq!(one("de", "object-brands-count", 2), "2 Brands");
    assert_eq!(one("en", "object-brands-count", 1), "1 brand");
    assert_eq!(one("nl", "object-brands-count", 1), "1 merk");
    assert_eq!(one("nl", "object-brands-count", 3), "3 merken");
    assert_eq!(one("fr", "object-brands-count", 1), "1 marque");
    assert_eq!(one("fr", "object-brands-count", 0), "0 marque");
    assert_eq!(one("fr", "object-brands-count", 2), "2 marques");
    assert_eq!(one("de", "stat-orders-count", 1), "1 Auftrag");
    assert!(one("de", "test-ok-count", 3).contains("3 Absenderadressen"));
    assert!(one("de", "test-ok-count", 1).contains("1 Absenderadresse "));
    // Every object type the page lists has a count message in every
    // language (no "1 Brands" for an object added later).
    for o in sendcloud_plugin::sync::SyncObject::available() {
        for lang in ["de", "en", "nl", "fr"] {
            let id = format!("{}-count", o.label_id());
            assert_ne!(one(lang, &id, 1), id, "{lang}.ftl lacks {id}");
        }
    }
    // The page shows the counts with their plural form.
    let page = app.page(&client, "/admin/config").await;
    let synced = text_of_id(&page, "synced-data");
    assert!(synced.contains("0 Brands"), "{synced}");
    assert!(
        !page.contains("<strong>"),
        "counts are words, not a bare number"
    );
    // Flashes: every one ends with a full stop, in every language.
    for lang in ["de", "en", "nl", "fr"] {
        set_language(&app, &client, lang).await;
        let flashes = [
            // language switch (set_language above)
            app.page(&client, "/admin/config").await,
            {
                post_form(&app, &client, "/admin/config", "/admin/sync", &[]).await;
                app.page(&client, "/admin/config").await
            },
            {
                post_form(
                    &app,
                    &client,
                    "/admin/orders",
                    "/admin/orders",
                    &[("since", "2999-01-01"), ("selection", "approved_open")],
                )
                .await;
                app.page(&client, "/admin/orders").await
            },
            {
                let res = post_form(
                    &app,
                    &client,
                    "/admin/config",
                    "/admin/company",
                    &[("company_id", "1"), ("next", "")],
                )
                .await;
                assert_eq!(res.status(), 303);
                app.page(&client, "/admin/config").await
            },
        ];
        for page in flashes {
            let mut seen = 0;
            for part in page.split("class=\"flash flash-").skip(1) {
                let text = part.split_once('>').unwrap().1.split("</").next().unwrap();
                assert!(
                    text.trim_end().ends_with('.'),
                    "{lang}: flash without a full stop: {text:?}"
                );
                seen += 1;
            }
            assert!(seen > 0, "{lang}: no flash on {page}");
        }
    }
    let fr_settings_saved = i18n.text("fr", "settings-saved");
    assert!(fr_settings_saved.ends_with('.'));
    // French: Setup is not "Configuration" (the top menu), and a no-break
    // space stands before every colon, semicolon, ! and ?.
    assert_ne!(i18n.text("fr", "btn-setup"), i18n.text("fr", "menu-config"));
    for id in sendcloud_plugin::web::i18n::I18n::ids("fr") {
        let text = i18n.text("fr", &id);
        for mark in [':', ';', '!', '?'] {
            for (i, _) in text.match_indices(mark) {
                let before = text[..i].chars().last();
                assert_eq!(
                    before,
                    Some('\u{a0}'),
                    "fr {id}: no no-break space before {mark:?}: {text:?}"
                );
            }
        }
    }
    set_language(&app, &client, "fr").await;
    let page = app.page(&client, "/admin/config").await;
    let h1 = page
        .split("<h1>")
        .nth(1)
        .unwrap()
        .split("</h1>")
        .next()
        .unwrap();
    assert!(h1.contains("\u{a0}: "), "{h1:?}");
});

// Item 6: the Abgleich panel is a <details> the page can open by itself
// (`?panel=sync`): the Abgleich button is a link that works without
// JavaScript.
db_async_test!(the_abgleich_panel_opens_without_javascript, |t| {
    let app = TestApp::spawn(t).await;
    app.connect_all("pk", "sk", Some(7)).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/config").await;
    assert!(
        page.contains(r##"<a class="button" id="btn-sync" href="/sendcloud/admin/config?panel=sync#sync-panel""##),
        "{page}"
    );
    assert!(
        page.contains(r#"<details class="card" id="sync-panel">"#),
        "{page}"
    );
    assert!(
        !page.contains(" hidden>"),
        "no panel hidden until a script runs"
    );
    let page = app.page(&client, "/admin/config?panel=sync").await;
    assert!(
        page.contains(r#"<details class="card" id="sync-panel" open>"#),
        "{page}"
    );
    assert!(page.contains(r#"id="sync-submit""#));
});

// Item 8: the chosen date (and selection) stay in the form after a refused
// and after a started order push.
db_async_test!(the_chosen_order_date_stays_in_the_form, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    // Refused: a date in the future (and not connected).
    let res = post_form(
        &app,
        &client,
        "/admin/orders",
        "/admin/orders",
        &[("since", "2999-01-02"), ("selection", "approved_open_paid")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let page = app
        .page(&client, location.trim_start_matches("/sendcloud"))
        .await;
    assert!(page.contains("flash-error"), "{page}");
    assert!(
        page.contains(r#"name="since" value="2999-01-02""#),
        "{page}"
    );
    assert!(
        page.contains(r#"<option value="approved_open_paid" selected>"#),
        "{page}"
    );
    // Started: connected, a date in the past.
    app.connect_all("pk", "sk", Some(7)).await;
    let res = post_form(
        &app,
        &client,
        "/admin/orders",
        "/admin/orders",
        &[("since", "2026-01-15"), ("selection", "approved_open_paid")],
    )
    .await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let page = app
        .page(&client, location.trim_start_matches("/sendcloud"))
        .await;
    assert!(page.contains("flash-info"), "{page}");
    assert!(
        page.contains(r#"name="since" value="2026-01-15""#),
        "{page}"
    );
    assert!(page.contains(r#"<option value="approved_open_paid" selected>"#));
});

/// The settings form as the demo defaults fill it, with `changes`.
fn settings_form(csrf: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(&str, &str)> = vec![
        ("service_point_field", "service_point_ref"),
        ("customs_shipment_type", "2"),
        ("customs_origin_country", "DE"),
        ("customs_hs_code", ""),
        ("hs_code_attribute", "hs_code"),
        ("origin_attribute", "origin_country"),
        ("customer_mapping", "dynamic"),
        ("interval_sender_addresses", "1440"),
        ("interval_shipping_methods", "1440"),
        ("interval_parcel_statuses", "1440"),
        ("interval_parcels", "15"),
        ("interval_returns", "60"),
        ("interval_invoices", "1440"),
        ("interval_brands", "1440"),
        ("default_shipping_method", ""),
        ("log_retention_days", "7"),
    ];
    for (k, v) in changes {
        match fields.iter_mut().find(|(f, _)| f == k) {
            Some(f) => f.1 = v,
            None => fields.push((k, v)),
        }
    }
    let mut out = vec![("csrf_token".to_string(), csrf.to_string())];
    out.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    out
}

// Item 4: pick-lists in the settings: the customs attributes from the
// host's product attributes (a made-up name is refused per field, in
// German), the country of origin from the country list, the service-point
// field from the host's order fields.
db_async_test!(
    settings_offer_pick_lists_and_refuse_made_up_attributes,
    |t| {
        let app = TestApp::spawn(t).await;
        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;
        // The first company by name: Fietsenhandel Van Dijk, whose products
        // carry `zolltarifnummer` and `ursprungsland`.
        let page = app.page(&client, "/admin/settings").await;
        assert!(page.contains("Fietsenhandel Van Dijk"), "{page}");
        for select in [
            r#"<select name="hs_code_attribute" id="hs_code_attribute""#,
            r#"<select name="origin_attribute" id="origin_attribute""#,
            r#"<select name="customs_origin_country" id="customs_origin_country""#,
            r#"<select name="service_point_field" id="service_point_field""#,
        ] {
            assert!(page.contains(select), "no pick-list {select}");
        }
        assert!(page.contains(r#"<option value="zolltarifnummer""#));
        assert!(page.contains(r#"<option value="ursprungsland""#));
        assert!(page.contains(r#"<option value="CH">CH</option>"#));
        assert!(page.contains(r#"<option value="DE" selected>DE</option>"#));
        // Made-up attribute names: each refused next to its field, nothing saved.
        let csrf = TestApp::csrf_of(&page);
        let res = client
            .post(app.url("/admin/settings"))
            .form(&settings_form(
                &csrf,
                &[
                    ("hs_code_attribute", "gibt_es_nicht"),
                    ("origin_attribute", "auch_nicht"),
                ],
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        for field in ["hs_code_attribute", "origin_attribute"] {
            let error = text_of_id(&page, &format!("error-{field}"));
            assert!(
                error.contains("Dieses Attribut gibt es bei den Artikeln des Mandanten nicht"),
                "{field}: {error}"
            );
        }
        // The refused value is shown as entered, not silently replaced.
        assert!(page.contains(r#"<option value="gibt_es_nicht" selected>"#));
        // The host's keys are taken.
        let res = client
            .post(app.url("/admin/settings"))
            .form(&settings_form(
                &csrf,
                &[
                    ("hs_code_attribute", "zolltarifnummer"),
                    ("origin_attribute", "ursprungsland"),
                    ("customs_origin_country", "NL"),
                ],
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let page = app.page(&client, "/admin/settings").await;
        assert!(
            page.contains(r#"<option value="zolltarifnummer" selected>"#),
            "{page}"
        );
        assert!(page.contains(r#"<option value="NL" selected>NL</option>"#));
    }
);

// The per-order button on Bestellungen abgleichen says what it does:
// *Senden* for an order Sendcloud never got (new, or held before its first
// push), *Erneut senden* for one it has (unchanged, changed since, or held
// after a push), in every language.
db_async_test!(the_order_button_says_send_or_send_again, |t| {
    use sendcloud_plugin::db::schema::{
        companies, sales_orders as so, sendcloud_order_pushes as op,
    };
    use sendcloud_plugin::settings::{HoldField, OrderHold};
    let app = TestApp::spawn(t).await;
    let company: i64 = app
        .state
        .db
        .run(|c| {
            Ok(companies::table
                .select(companies::id)
                .order(companies::id)
                .first(c)?)
        })
        .await
        .unwrap();
    let manifest = app.state.config.manifest.clone();
    let lines = app
        .state
        .db
        .run(move |c| {
            let mut s = sendcloud_plugin::settings::load(c, company, &manifest)?;
            s.order_push.hold = OrderHold {
                field: HoldField::Remarks,
                marker: "#halten".into(),
            };
            sendcloud_plugin::settings::save(c, company, &s, "admin", &manifest)?;
            let host = sendcloud_plugin::host::ReferenceHost;
            let lines = sendcloud_plugin::orders::state::recent_orders(
                c,
                &host,
                company,
                &OrderHold::default(),
                50,
            )?;
            assert!(lines.len() >= 5, "{} recent demo orders", lines.len());
            // [0] new, [1] pushed, [2] changed since, [3] held and pushed
            // before, [4] held and never pushed.
            for (line, pushed_version) in [
                (&lines[1], Some(lines[1].updated_at)),
                (
                    &lines[2],
                    Some(lines[2].updated_at - chrono::Duration::days(1)),
                ),
                (&lines[3], Some(lines[3].updated_at)),
            ] {
                diesel::insert_into(op::table)
                    .values((
                        op::company_id.eq(company),
                        op::order_id.eq(line.order_id),
                        op::sendcloud_order_id.eq(Some(1000 + line.order_id)),
                        op::order_updated_at.eq(pushed_version.unwrap()),
                        op::pushed_at.eq(chrono::Utc::now().naive_utc()),
                    ))
                    .execute(c)?;
            }
            for line in &lines[3..5] {
                diesel::update(so::table.find(line.order_id))
                    .set(so::remarks.eq(Some("bitte #halten")))
                    .execute(c)?;
            }
            Ok(lines)
        })
        .await
        .unwrap();
    let (client, _) = app.admin_on(company, "/admin/orders").await;
    let expected = [
        (0, "new", false),
        (1, "pushed", true),
        (2, "changed", true),
        (3, "held", true),
        (4, "held", false),
    ];
    for (lang, send, again) in [
        ("de", "Senden", "Erneut senden"),
        ("en", "Send", "Send again"),
        ("nl", "Versturen", "Opnieuw versturen"),
        ("fr", "Envoyer", "Renvoyer"),
    ] {
        set_language(&app, &client, lang).await;
        let page = app.page(&client, "/admin/orders").await;
        for (i, state, sent) in expected {
            let id = lines[i].order_id;
            assert!(
                page.contains(&format!("id=\"order-{id}\" class=\"order-state-{state}\"")),
                "order {i} is {state}"
            );
            let label = text_of_id(&page, &format!("resend-{id}"));
            assert_eq!(
                label,
                if sent { again } else { send },
                "{lang}: order {i} ({state})"
            );
        }
    }
});
