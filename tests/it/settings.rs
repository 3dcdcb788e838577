//! The per-company settings (`/admin/settings`, `crate::settings`) over HTTP
//! on SQLite and PostgreSQL: manifest defaults, a save that round-trips and
//! is logged, refused input, CSRF, companies kept apart, host users limited
//! to one company.

use crate::common::{TestApp, ADMIN_PASSWORD};
use diesel::{ExpressionMethods, RunQueryDsl};
use sendcloud_plugin::actionlog::{self, Entry};
use sendcloud_plugin::db::schema::sendcloud_shipping_methods as sm;
use sendcloud_plugin::db::types::DecValue;
use sendcloud_plugin::settings::{
    self, CompanySettings, CustomerMapping, ServicePointField, ShipmentType, Source,
};
use sendcloud_plugin::users::{PERM_CONFIGURE, PERM_REPORTS};

/// The ids of the demo companies: (Nordlicht Outdoor GmbH, Fietsenhandel Van Dijk B.V.).
async fn company_ids(app: &TestApp) -> (i64, i64) {
    let host = app.state.host.clone();
    let list = app
        .state
        .db
        .run(move |c| {
            Ok(host
                .companies(c)?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect::<Vec<_>>())
        })
        .await
        .unwrap();
    let find = |prefix: &str| {
        list.iter()
            .find(|(_, n)| n.starts_with(prefix))
            .map(|(id, _)| *id)
            .unwrap_or_else(|| panic!("no demo company {prefix}"))
    };
    (find("Nordlicht"), find("Fietsenhandel"))
}

async fn load(app: &TestApp, company_id: i64) -> CompanySettings {
    let manifest = app.state.config.manifest.clone();
    app.state
        .db
        .run(move |c| settings::load(c, company_id, &manifest))
        .await
        .unwrap()
}

async fn is_saved(app: &TestApp, company_id: i64) -> bool {
    app.state
        .db
        .run(move |c| settings::is_saved(c, company_id))
        .await
        .unwrap()
}

async fn log_rows(app: &TestApp, company_id: i64) -> Vec<Entry> {
    app.state
        .db
        .run(move |c| actionlog::recent(c, company_id, 50))
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == settings::ACTION_SAVE)
        .collect()
}

fn defaults(app: &TestApp) -> CompanySettings {
    CompanySettings::defaults(&app.state.config.manifest)
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Select a company in the session (as the switcher does).
async fn select_company(client: &reqwest::Client, app: &TestApp, company_id: i64) {
    let (_, page) = get(client, app, "/admin/config").await;
    let res = client
        .post(app.url("/admin/company"))
        .form(&[
            ("csrf_token", TestApp::csrf_of(&page)),
            ("company_id", company_id.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

/// A complete, valid form (the manifest defaults, German demo values) with
/// `changes` applied; a change to `None` drops the field (an unticked box).
fn form(csrf: &str, company_id: i64, changes: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
    let mut fields: Vec<(&str, Option<&str>)> = vec![
        ("service_point_field", Some("service_point_ref")),
        ("customs_shipment_type", Some("2")),
        ("customs_origin_country", Some("DE")),
        ("customs_hs_code", Some("")),
        ("hs_code_attribute", Some("hs_code")),
        ("origin_attribute", Some("origin_country")),
        ("customer_mapping", Some("dynamic")),
        ("map_name", Some("contact_name")),
        ("map_company_name", Some("account_name")),
        ("map_email", Some("contact_email")),
        ("map_phone", Some("contact_phone")),
        ("map_address", Some("account_address")),
        ("interval_sender_addresses", Some("1440")),
        ("interval_shipping_methods", Some("1440")),
        ("interval_parcel_statuses", Some("1440")),
        ("interval_parcels", Some("15")),
        ("interval_returns", Some("60")),
        ("interval_invoices", Some("1440")),
        ("interval_brands", Some("1440")),
        ("default_shipping_method", Some("")),
        ("log_retention_days", Some("7")),
    ];
    for (k, v) in changes {
        match fields.iter_mut().find(|(f, _)| f == k) {
            Some(slot) => slot.1 = *v,
            None => fields.push((k, *v)),
        }
    }
    let mut out = vec![
        ("csrf_token".to_string(), csrf.to_string()),
        ("company_id".to_string(), company_id.to_string()),
    ];
    out.extend(
        fields
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v.to_string()))),
    );
    out
}

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    fields: &[(String, String)],
) -> reqwest::Response {
    client
        .post(app.url("/admin/settings"))
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// Add a synced shipping method for a company.
async fn add_method(app: &TestApp, company_id: i64, sendcloud_id: i64, name: &str) {
    let name = name.to_string();
    app.state
        .db
        .run(move |c| {
            diesel::insert_into(sm::table)
                .values((
                    sm::company_id.eq(company_id),
                    sm::sendcloud_id.eq(sendcloud_id),
                    sm::name.eq(name),
                    sm::carrier.eq("dhl"),
                    sm::min_weight.eq(DecValue("0.001".parse().unwrap())),
                    sm::max_weight.eq(DecValue("31.5".parse().unwrap())),
                    sm::service_point_input.eq("none"),
                    sm::countries.eq("[]"),
                    sm::active.eq(true),
                    sm::synced_at.eq(chrono::Utc::now().naive_utc()),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
}

db_async_test!(defaults_come_from_plugin_toml_when_nothing_is_saved, |t| {
    let app = TestApp::spawn(t).await;
    let (nordlicht, _) = company_ids(&app).await;
    assert!(!is_saved(&app, nordlicht).await);
    let s = load(&app, nordlicht).await;
    assert_eq!(s, defaults(&app));
    assert!(!s.auto_create_label);
    assert_eq!(s.customs_shipment_type, ShipmentType::CommercialGoods);
    assert_eq!(s.customs_origin_country, "DE");
    assert_eq!(s.customer_mapping, CustomerMapping::Dynamic);
    assert_eq!(
        s.sync_intervals
            .get(sendcloud_plugin::sync::SyncObject::Parcels),
        15
    );
    assert_eq!(
        s.sync_intervals
            .get(sendcloud_plugin::sync::SyncObject::Returns),
        60
    );
    assert_eq!(
        s.sync_intervals
            .get(sendcloud_plugin::sync::SyncObject::SenderAddresses),
        1440
    );
    assert_eq!(s.log_retention_days, 7);
    assert_eq!(s.default_shipping_method, None);

    // Without a login: to the login page.
    let anonymous = app.client();
    let res = anonymous
        .get(app.url("/admin/settings"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .contains("/login?next="));
    let res = post(&anonymous, &app, &form("x", nordlicht, &[])).await;
    assert_eq!(res.status(), 303);
    assert!(!is_saved(&app, nordlicht).await);

    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    select_company(&client, &app, nordlicht).await;
    let (status, page) = get(&client, &app, "/admin/settings").await;
    assert_eq!(status, 200);
    for text in [
        "Einstellungen: Nordlicht Outdoor GmbH",
        "id=\"nav-settings\"",
        "Label-Erstellung",
        "Servicepunkt-Zustellung",
        "Zoll",
        "Kundendaten-Zuordnung",
        "Abgleich-Intervalle",
        "Standard-Versandmethode",
        "Protokoll-Aufbewahrung",
        "Handelswaren",
        "Warenmuster",
        "Rücksendung",
        "Noch keine Versandmethoden synchronisiert",
        "<option value=\"DE\" selected>DE</option>",
        "name=\"interval_parcels\" id=\"interval_parcels\" value=\"15\"",
        "name=\"interval_returns\" id=\"interval_returns\" value=\"60\"",
        "name=\"log_retention_days\" id=\"log_retention_days\" value=\"7\"",
        "<option value=\"2\" selected>Handelswaren</option>",
        "value=\"dynamic\" checked",
    ] {
        assert!(page.contains(text), "settings page lacks {text:?}");
    }
    assert!(!page.contains("id=\"auto_create_label\" value=\"1\" checked"));
    // The integration page links to it.
    let (_, config) = get(&client, &app, "/admin/config").await;
    assert!(config.contains("/sendcloud/admin/settings"));
});

db_async_test!(a_valid_save_round_trips_and_is_logged_once, |t| {
    let app = TestApp::spawn(t).await;
    let (nordlicht, _) = company_ids(&app).await;
    add_method(&app, nordlicht, 8, "DHL Paket").await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    select_company(&client, &app, nordlicht).await;
    let (_, page) = get(&client, &app, "/admin/settings").await;
    assert!(page.contains("<option value=\"8\">DHL Paket (dhl)</option>"));
    assert!(!page.contains("Noch keine Versandmethoden synchronisiert"));
    let csrf = TestApp::csrf_of(&page);
    let res = post(
        &client,
        &app,
        &form(
            &csrf,
            nordlicht,
            &[
                ("auto_create_label", Some("1")),
                ("service_point_enabled", Some("1")),
                ("service_point_field", Some("your_ref")),
                ("customs_shipment_type", Some("3")),
                ("customs_origin_country", Some("at")),
                ("customs_hs_code", Some("6109.10")),
                ("customer_mapping", Some("manual")),
                ("map_email", Some("account_email")),
                ("interval_parcels", Some("0")),
                ("default_shipping_method", Some("8")),
                ("log_retention_days", Some("30")),
            ],
        ),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/sendcloud/admin/settings");

    let s = load(&app, nordlicht).await;
    assert!(s.auto_create_label);
    assert!(s.service_point_enabled);
    assert_eq!(s.service_point_field, ServicePointField::YourRef);
    assert_eq!(s.customs_shipment_type, ShipmentType::CommercialSample);
    assert_eq!(s.customs_origin_country, "AT");
    assert_eq!(s.customs_hs_code, "610910");
    assert_eq!(s.customer_mapping, CustomerMapping::Manual);
    assert_eq!(s.manual_mapping.email, Source::AccountEmail);
    assert_eq!(
        s.sync_intervals
            .get(sendcloud_plugin::sync::SyncObject::Parcels),
        0
    );
    assert_eq!(
        s.sync_intervals
            .get(sendcloud_plugin::sync::SyncObject::Returns),
        60
    );
    assert_eq!(s.default_shipping_method, Some(8));
    assert_eq!(s.log_retention_days, 30);

    // The page shows what was saved, with the flash.
    let (_, page) = get(&client, &app, "/admin/settings").await;
    for text in [
        "Einstellungen gespeichert",
        "id=\"auto_create_label\" value=\"1\" checked",
        "<option value=\"AT\" selected>AT</option>",
        "id=\"customs_hs_code\" value=\"610910\"",
        "id=\"interval_parcels\" value=\"0\"",
        "<option value=\"3\" selected>Warenmuster</option>",
        "<option value=\"your_ref\" selected>",
        "<option value=\"8\" selected>DHL Paket (dhl)</option>",
        "value=\"manual\" checked",
        "<option value=\"account_email\" selected>",
    ] {
        assert!(page.contains(text), "saved page lacks {text:?}");
    }

    // One action-log row naming the user and exactly the changed fields.
    let rows = log_rows(&app, nordlicht).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row.direction, "internal");
    assert_eq!(row.result, "ok");
    assert_eq!(row.user_name.as_deref(), Some("admin"));
    for field in [
        "auto_create_label",
        "service_point_enabled",
        "service_point_field",
        "customs_shipment_type",
        "customs_origin_country",
        "customs_hs_code",
        "customer_mapping",
        "manual_mapping.email",
        "sync_intervals.parcels",
        "default_shipping_method",
        "log_retention_days",
    ] {
        assert!(row.message.contains(field), "{} lacks {field}", row.message);
    }
    for unchanged in [
        "hs_code_attribute",
        "sync_intervals.returns",
        "manual_mapping.name",
    ] {
        assert!(
            !row.message.contains(unchanged),
            "{} names {unchanged}",
            row.message
        );
    }

    // Saving again unchanged: a second row that says so; settings stay.
    let (_, page) = get(&client, &app, "/admin/settings").await;
    let again = post(
        &client,
        &app,
        &form(
            &TestApp::csrf_of(&page),
            nordlicht,
            &[
                ("auto_create_label", Some("1")),
                ("service_point_enabled", Some("1")),
                ("service_point_field", Some("your_ref")),
                ("customs_shipment_type", Some("3")),
                ("customs_origin_country", Some("AT")),
                ("customs_hs_code", Some("610910")),
                ("customer_mapping", Some("manual")),
                ("map_email", Some("account_email")),
                ("interval_parcels", Some("0")),
                ("default_shipping_method", Some("8")),
                ("log_retention_days", Some("30")),
            ],
        ),
    )
    .await;
    assert_eq!(again.status(), 303);
    assert_eq!(load(&app, nordlicht).await, s);
    let rows = log_rows(&app, nordlicht).await;
    assert_eq!(rows.len(), 2);
    // Stored as a fact, not as a German sentence.
    assert!(
        rows[0].message.contains("\"log-settings-unchanged\""),
        "{:?}",
        rows[0]
    );

    // A method the company has not synced is refused.
    let (_, page) = get(&client, &app, "/admin/settings").await;
    let res = post(
        &client,
        &app,
        &form(
            &TestApp::csrf_of(&page),
            nordlicht,
            &[("default_shipping_method", Some("999"))],
        ),
    )
    .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Diese Versandmethode ist für diesen Mandanten nicht synchronisiert."));
    assert_eq!(load(&app, nordlicht).await, s);
});

db_async_test!(
    invalid_input_is_refused_next_to_its_field_and_nothing_is_saved,
    |t| {
        let app = TestApp::spawn(t).await;
        let (nordlicht, _) = company_ids(&app).await;
        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;
        select_company(&client, &app, nordlicht).await;
        let (_, page) = get(&client, &app, "/admin/settings").await;
        let res = post(
            &client,
            &app,
            &form(
                &TestApp::csrf_of(&page),
                nordlicht,
                &[
                    ("auto_create_label", Some("1")),
                    ("customs_origin_country", Some("Deutschland")),
                    ("customs_hs_code", Some("61AB10")),
                    ("interval_parcels", Some("-1")),
                    ("log_retention_days", Some("30")),
                ],
            ),
        )
        .await;
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        for text in [
        "Die Einstellungen wurden nicht gespeichert.",
        "<span class=\"field-error\" id=\"error-customs_origin_country\">Bitte einen Ländercode nach ISO 3166",
        "<span class=\"field-error\" id=\"error-customs_hs_code\">Der HS-Code besteht aus 6 bis 10 Ziffern",
        "<span class=\"field-error\" id=\"error-interval_parcels\">Bitte eine ganze Zahl von 0 bis 10080",
        // The user's input is kept, the valid values too.
        "<option value=\"Deutschland\" selected>Deutschland</option>",
        "id=\"customs_hs_code\" value=\"61AB10\"",
        "id=\"interval_parcels\" value=\"-1\"",
        "id=\"log_retention_days\" value=\"30\"",
        "id=\"auto_create_label\" value=\"1\" checked",
    ] {
        assert!(page.contains(text), "refused page lacks {text:?}");
    }
        assert!(!page.contains("id=\"error-log_retention_days\""));
        assert!(!is_saved(&app, nordlicht).await);
        assert_eq!(load(&app, nordlicht).await, defaults(&app));
        assert!(log_rows(&app, nordlicht).await.is_empty());
    }
);

db_async_test!(
    a_post_without_its_csrf_token_is_refused_and_saves_nothing,
    |t| {
        let app = TestApp::spawn(t).await;
        let (nordlicht, _) = company_ids(&app).await;
        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;
        let mut fields = form("x", nordlicht, &[("auto_create_label", Some("1"))]);
        fields.retain(|(k, _)| k != "csrf_token");
        let res = post(&client, &app, &fields).await;
        assert_eq!(res.status(), 403);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Das Formular ist abgelaufen oder ungültig"));
        let forged = form("forged", nordlicht, &[("auto_create_label", Some("1"))]);
        assert_eq!(post(&client, &app, &forged).await.status(), 403);
        assert!(!is_saved(&app, nordlicht).await);
        assert!(log_rows(&app, nordlicht).await.is_empty());
    }
);

db_async_test!(settings_of_one_company_leave_the_other_alone, |t| {
    let app = TestApp::spawn(t).await;
    let (nordlicht, van_dijk) = company_ids(&app).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    select_company(&client, &app, nordlicht).await;
    let (_, page) = get(&client, &app, "/admin/settings").await;
    let csrf = TestApp::csrf_of(&page);
    let res = post(
        &client,
        &app,
        &form(
            &csrf,
            nordlicht,
            &[
                ("customs_origin_country", Some("CH")),
                ("interval_brands", Some("0")),
            ],
        ),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(load(&app, nordlicht).await.customs_origin_country, "CH");
    assert!(!is_saved(&app, van_dijk).await);
    assert_eq!(load(&app, van_dijk).await, defaults(&app));
    assert!(log_rows(&app, van_dijk).await.is_empty());

    // Now the Dutch company, posted from its own form.
    select_company(&client, &app, van_dijk).await;
    let (_, page) = get(&client, &app, "/admin/settings").await;
    assert!(page.contains("Einstellungen: Fietsenhandel Van Dijk B.V."));
    assert!(page.contains("<option value=\"DE\" selected>DE</option>"));
    let res = post(
        &client,
        &app,
        &form(
            &TestApp::csrf_of(&page),
            van_dijk,
            &[
                ("customs_origin_country", Some("NL")),
                ("log_retention_days", Some("90")),
            ],
        ),
    )
    .await;
    assert_eq!(res.status(), 303);
    let a = load(&app, nordlicht).await;
    let b = load(&app, van_dijk).await;
    assert_eq!(a.customs_origin_country, "CH");
    assert_eq!(
        a.sync_intervals
            .get(sendcloud_plugin::sync::SyncObject::Brands),
        0
    );
    assert_eq!(a.log_retention_days, 7);
    assert_eq!(b.customs_origin_country, "NL");
    assert_eq!(
        b.sync_intervals
            .get(sendcloud_plugin::sync::SyncObject::Brands),
        1440
    );
    assert_eq!(b.log_retention_days, 90);
    assert_eq!(log_rows(&app, nordlicht).await.len(), 1);
    assert_eq!(log_rows(&app, van_dijk).await.len(), 1);
});

/// Give the first product of `company` the attribute `key`.
async fn add_attribute(app: &TestApp, company: i64, key: &'static str) {
    app.state
        .db
        .run(move |c| {
            use diesel::prelude::*;
            use sendcloud_plugin::db::schema::{product_attributes as pa, products as p};
            let product: i64 = p::table
                .filter(p::company_id.eq(company))
                .select(p::id)
                .order(p::id)
                .first(c)?;
            diesel::insert_into(pa::table)
                .values((
                    pa::product_id.eq(product),
                    pa::key.eq(key),
                    pa::value.eq("1"),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
}

db_async_test!(
    a_user_limited_to_one_company_cannot_read_or_save_another,
    |t| {
        let app = TestApp::spawn(t).await;
        let (nordlicht, van_dijk) = company_ids(&app).await;
        // The attribute keys below are ones the companies' products carry
        // (the settings take only those).
        add_attribute(&app, nordlicht, "nordlicht_zolltarif").await;
        add_attribute(&app, van_dijk, "gn_code").await;
        // The admin gives Nordlicht recognisable settings.
        let admin = app.client();
        app.login(&admin, "admin", ADMIN_PASSWORD).await;
        select_company(&admin, &app, nordlicht).await;
        let (_, page) = get(&admin, &app, "/admin/settings").await;
        let res = post(
            &admin,
            &app,
            &form(
                &TestApp::csrf_of(&page),
                nordlicht,
                &[("hs_code_attribute", Some("nordlicht_zolltarif"))],
            ),
        )
        .await;
        assert_eq!(res.status(), 303);
        let before = load(&app, nordlicht).await;

        // A host user who may see the Dutch company only.
        let client = app.client();
        let token = app.host_token(&[PERM_CONFIGURE], Some(vec![van_dijk]));
        let res = client
            .get(app.url(&format!("/sso?token={token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let (status, page) = get(&client, &app, "/admin/settings").await;
        assert_eq!(status, 200);
        assert!(page.contains("Einstellungen: Fietsenhandel Van Dijk B.V."));
        assert!(
            !page.contains("Nordlicht"),
            "the other company is not shown"
        );
        assert!(!page.contains("nordlicht_zolltarif"));
        // Posting the other company's id is refused; nothing changes there.
        let res = post(
            &client,
            &app,
            &form(
                &TestApp::csrf_of(&page),
                nordlicht,
                &[("hs_code_attribute", Some("hijacked"))],
            ),
        )
        .await;
        assert_eq!(res.status(), 403);
        assert_eq!(load(&app, nordlicht).await, before);
        assert_eq!(log_rows(&app, nordlicht).await.len(), 1);
        // Its own company it may save; the log names the host user.
        let res = post(
            &client,
            &app,
            &form(
                &TestApp::csrf_of(&page),
                van_dijk,
                &[("hs_code_attribute", Some("gn_code"))],
            ),
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(load(&app, van_dijk).await.hs_code_attribute, "gn_code");
        let rows = log_rows(&app, van_dijk).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].user_name.as_deref(), Some("Host User"));

        // Without `sendcloud.configure` the page and the save are forbidden.
        let reader = app.client();
        let token = app.host_token(&[PERM_REPORTS], Some(vec![van_dijk]));
        reader
            .get(app.url(&format!("/sso?token={token}")))
            .send()
            .await
            .unwrap();
        let (status, _) = get(&reader, &app, "/admin/settings").await;
        assert_eq!(status, 403);
        let (_, reports) = get(&reader, &app, "/admin/reports").await;
        let res = post(
            &reader,
            &app,
            &form(
                &TestApp::csrf_of(&reports),
                van_dijk,
                &[("hs_code_attribute", Some("reader"))],
            ),
        )
        .await;
        assert_eq!(res.status(), 403);
        assert_eq!(load(&app, van_dijk).await.hs_code_attribute, "gn_code");
    }
);

// Every object type has its syncer now (returns and invoices too): no
// interval on the settings page says its Abgleich follows later.
db_async_test!(every_interval_belongs_to_an_object_that_is_synced, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let (status, page) = get(&client, &app, "/admin/settings").await;
    assert_eq!(status, 200);
    for synced in [
        "interval_parcels",
        "interval_sender_addresses",
        "interval_brands",
        "interval_returns",
        "interval_invoices",
    ] {
        assert!(page.contains(&format!("id=\"{synced}\"")), "{synced}");
        assert!(!page.contains(&format!("not-synced-{synced}")), "{synced}");
    }
});

db_async_test!(
    the_integration_log_switch_is_off_saves_and_is_logged_by_name,
    |t| {
        let app = TestApp::spawn(t).await;
        let (nordlicht, other) = company_ids(&app).await;
        assert!(
            !load(&app, nordlicht).await.integration_log,
            "off by default"
        );
        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;
        select_company(&client, &app, nordlicht).await;
        let (_, page) = get(&client, &app, "/admin/settings").await;
        assert!(page.contains(
            "id=\"integration_log\" value=\"1\"> Fehlgeschlagene Labels auch in das Integrations-Log von Sendcloud schreiben"
        ));
        assert!(
            page.contains("Höchstens 20 Einträge pro Stunde"),
            "the hint names the cap"
        );
        assert_eq!(
            sendcloud_plugin::labels::integration_log::PER_HOUR,
            20,
            "the README and the hint's test say 20"
        );
        let csrf = TestApp::csrf_of(&page);
        let res = post(
            &client,
            &app,
            &form(&csrf, nordlicht, &[("integration_log", Some("1"))]),
        )
        .await;
        assert_eq!(res.status(), 303);
        assert!(load(&app, nordlicht).await.integration_log);
        assert!(!load(&app, other).await.integration_log);
        let (_, page) = get(&client, &app, "/admin/settings").await;
        assert!(page.contains("id=\"integration_log\" value=\"1\" checked"));
        let rows = log_rows(&app, nordlicht).await;
        assert!(rows[0].message.contains("integration_log"), "{rows:?}");
        // Unticked (a checkbox sends nothing): off again.
        let csrf = TestApp::csrf_of(&page);
        post(&client, &app, &form(&csrf, nordlicht, &[])).await;
        assert!(!load(&app, nordlicht).await.integration_log);
    }
);
