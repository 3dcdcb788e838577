//! Lager konfigurieren: a sender address per warehouse, only from the
//! company's synced addresses, with a clear message when there are none.

use diesel::prelude::*;
use sendcloud_plugin::db::schema::{
    sendcloud_sender_addresses as sa, sendcloud_warehouse_links as wl, warehouses as wh,
};
use sendcloud_standin::{self as standin, StandinConfig};

use crate::common::{TestApp, ADMIN_PASSWORD};

db_async_test!(warehouses_get_sender_addresses, |t| {
    let sc = standin::spawn(StandinConfig {
        rate_limits: false,
        ..Default::default()
    })
    .await
    .unwrap();
    let keys = sc.standin().demo_keys().unwrap();
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    // Not connected yet: the page says so clearly (and links to Setup).
    let page = app.page(&client, "/admin/warehouses").await;
    assert!(
        page.contains("nicht mit Sendcloud verbunden"),
        "clear message"
    );
    assert!(!page.contains("warehouses-form"));
    // Connect and sync.
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
    app.run_jobs().await;
    let page = app.page(&client, "/admin/warehouses").await;
    assert!(page.contains("warehouses-form"));
    let (sender, warehouse, foreign_wh): (i64, i64, i64) = app
        .state
        .db
        .run(|c| {
            let company: i64 = sa::table.select(sa::company_id).first(c)?;
            let sender: i64 = sa::table
                .filter(sa::active.eq(true))
                .select(sa::sendcloud_id)
                .first(c)?;
            let warehouse: i64 = wh::table
                .filter(wh::company_id.eq(company))
                .select(wh::id)
                .first(c)?;
            let foreign: i64 = wh::table
                .filter(wh::company_id.ne(company))
                .select(wh::id)
                .first(c)?;
            Ok((sender, warehouse, foreign))
        })
        .await
        .unwrap();
    // Save a link: stored, shown on the integration page.
    let csrf = TestApp::csrf_of(&page);
    let res = client
        .post(app.url("/admin/warehouses"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            (&format!("wh_{warehouse}"), &sender.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = app.page(&client, "/admin/warehouses").await;
    assert!(page.contains("Lager-Zuordnung gespeichert."));
    assert!(page.contains(&format!("value=\"{sender}\" selected")));
    let linked: Vec<(i64, i64)> = app
        .state
        .db
        .run(|c| {
            Ok(wl::table
                .select((wl::warehouse_id, wl::sender_address_id))
                .load(c)?)
        })
        .await
        .unwrap();
    assert_eq!(linked, vec![(warehouse, sender)]);
    // Unknown sender address or another company's warehouse: refused, nothing changes.
    for (field, value) in [
        (format!("wh_{warehouse}"), "999999".to_string()),
        (format!("wh_{foreign_wh}"), sender.to_string()),
    ] {
        client
            .post(app.url("/admin/warehouses"))
            .form(&[("csrf_token", csrf.as_str()), (&field, &value)])
            .send()
            .await
            .unwrap();
        let page = app.page(&client, "/admin/warehouses").await;
        assert!(page.contains("flash-error"), "{field}={value} refused");
    }
    let after: Vec<(i64, i64)> = app
        .state
        .db
        .run(|c| {
            Ok(wl::table
                .select((wl::warehouse_id, wl::sender_address_id))
                .load(c)?)
        })
        .await
        .unwrap();
    assert_eq!(after, linked);
    // Back to the account's default.
    client
        .post(app.url("/admin/warehouses"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            (&format!("wh_{warehouse}"), ""),
        ])
        .send()
        .await
        .unwrap();
    let none: i64 = app
        .state
        .db
        .run(|c| Ok(wl::table.count().get_result(c)?))
        .await
        .unwrap();
    assert_eq!(none, 0);
});

// Issue 11 item 3: Lager konfigurieren warns when a warehouse's country
// differs from its sender address's, and not when they agree.
db_async_test!(
    warehouses_warn_when_the_sender_address_is_in_another_country,
    |t| {
        let sc = standin::spawn(StandinConfig {
            rate_limits: false,
            ..Default::default()
        })
        .await
        .unwrap();
        let keys = sc.standin().demo_keys().unwrap();
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;
        let page = app.page(&client, "/admin/warehouses").await;
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
        app.run_jobs().await;
        let (sender, warehouse, country): (i64, i64, String) = app
            .state
            .db
            .run(|c| {
                let company: i64 = sa::table.select(sa::company_id).first(c)?;
                let sender: i64 = sa::table
                    .filter(sa::active.eq(true))
                    .select(sa::sendcloud_id)
                    .first(c)?;
                let (warehouse, country): (i64, String) = wh::table
                    .filter(wh::company_id.eq(company))
                    .select((wh::id, wh::country))
                    .first(c)?;
                Ok((sender, warehouse, country))
            })
            .await
            .unwrap();
        let set_sender_country = |to: String| {
            let db = app.state.db.clone();
            async move {
                db.run(move |c| {
                    diesel::update(sa::table.filter(sa::sendcloud_id.eq(sender)))
                        .set(sa::country.eq(to))
                        .execute(c)?;
                    Ok(())
                })
                .await
                .unwrap()
            }
        };
        let other = if country.eq_ignore_ascii_case("CH") {
            "AT"
        } else {
            "CH"
        };
        set_sender_country(other.to_string()).await;
        let page = app.page(&client, "/admin/warehouses").await;
        let csrf = TestApp::csrf_of(&page);
        let marker = format!("id=\"wh-mismatch-{warehouse}\"");
        assert!(!page.contains(&marker), "no link, no warning");
        client
            .post(app.url("/admin/warehouses"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                (&format!("wh_{warehouse}"), &sender.to_string()),
            ])
            .send()
            .await
            .unwrap();
        let page = app.page(&client, "/admin/warehouses").await;
        assert!(page.contains(&marker), "warned");
        assert!(page.contains("Land des Lagers und der Absenderadresse unterscheiden sich"));
        assert!(page.contains(&format!("{} ≠ {other}", country.to_ascii_uppercase())));
        set_sender_country(country.to_lowercase()).await;
        let page = app.page(&client, "/admin/warehouses").await;
        assert!(!page.contains(&marker), "same country: no warning");
    }
);
