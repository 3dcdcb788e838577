//! The settings page in headless Chromium: reach it from the menu, change
//! values in every section, see a refused value marked next to its field,
//! save, reload, and find the values kept. Skips like `browser.rs` without a
//! browser (fails with `SENDCLOUD_TEST_REQUIRE_BROWSER=1`).

use fantoccini::{Client, Locator};
use sendcloud_plugin::db::Backend;

use crate::browser::{connect, login, start_driver, text_of};
use crate::common::{fresh_db, TestApp};

async fn set_text(c: &Client, id: &str, value: &str) {
    let input = c.find(Locator::Id(id)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

async fn value_of(c: &Client, id: &str) -> String {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn is_checked(c: &Client, id: &str) -> bool {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .is_selected()
        .await
        .unwrap()
}

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn choose(c: &Client, id: &str, label: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .select_by_label(label)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_settings_save_reload_and_find_them_kept() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn(fresh_db(Backend::Sqlite).unwrap()).await;
    let c = connect(&driver).await;
    let result = async {
        login(&c, &app).await;
        click(&c, "nav-settings").await;
        assert!(text_of(&c, "h1").await.starts_with("Einstellungen"));
        assert!(!is_checked(&c, "auto_create_label").await);
        assert_eq!(value_of(&c, "interval_parcels").await, "15");
        // Dynamic mapping hides the manual fields.
        let manual = c.find(Locator::Id("manual-mapping")).await.unwrap();
        assert!(!manual.is_displayed().await.unwrap());

        click(&c, "auto_create_label").await;
        click(&c, "service_point_enabled").await;
        choose(&c, "service_point_field", "Bemerkungen").await;
        choose(&c, "customs_shipment_type", "Rücksendung").await;
        // The country is a pick-list: a made-up code can only be posted
        // (here: an option slipped into the list).
        c.execute(
            "var s = document.getElementById('customs_origin_country');\
             s.add(new Option('XX', 'XX', true, true));",
            vec![],
        )
        .await
        .unwrap();
        set_text(&c, "customs_hs_code", "61091000").await;
        c.find(Locator::Id("hs_code_attribute"))
            .await
            .unwrap()
            .select_by_value("zolltarifnummer")
            .await
            .unwrap();
        click(&c, "customer_mapping_manual").await;
        assert!(manual.is_displayed().await.unwrap());
        choose(&c, "map_email", "Kunde: E-Mail").await;
        choose(&c, "map_company_name", "nicht übermitteln").await;
        set_text(&c, "interval_parcels", "30").await;
        set_text(&c, "interval_brands", "0").await;
        set_text(&c, "log_retention_days", "14").await;
        click(&c, "settings-save").await;

        // "XX" is no country: refused next to the field, the input kept.
        let error = text_of(&c, "#error-customs_origin_country").await;
        assert!(error.contains("ISO 3166"), "{error}");
        assert_eq!(value_of(&c, "customs_origin_country").await, "XX");
        assert_eq!(value_of(&c, "interval_parcels").await, "30");
        assert!(is_checked(&c, "auto_create_label").await);
        c.find(Locator::Id("customs_origin_country"))
            .await
            .unwrap()
            .select_by_value("CH")
            .await
            .unwrap();
        click(&c, "settings-save").await;
        let flash = text_of(&c, ".flash-success").await;
        assert_eq!(flash, "Einstellungen gespeichert.");

        // Reload: everything as saved.
        c.refresh().await.unwrap();
        c.wait()
            .for_element(Locator::Id("settings-form"))
            .await
            .unwrap();
        assert!(is_checked(&c, "auto_create_label").await);
        assert!(is_checked(&c, "service_point_enabled").await);
        assert_eq!(value_of(&c, "service_point_field").await, "remarks");
        assert_eq!(value_of(&c, "customs_shipment_type").await, "4");
        assert_eq!(value_of(&c, "customs_origin_country").await, "CH");
        assert_eq!(value_of(&c, "customs_hs_code").await, "61091000");
        assert_eq!(value_of(&c, "hs_code_attribute").await, "zolltarifnummer");
        assert!(is_checked(&c, "customer_mapping_manual").await);
        assert_eq!(value_of(&c, "map_email").await, "account_email");
        assert_eq!(value_of(&c, "map_company_name").await, "none");
        assert_eq!(value_of(&c, "interval_parcels").await, "30");
        assert_eq!(value_of(&c, "interval_brands").await, "0");
        assert_eq!(value_of(&c, "interval_returns").await, "60");
        assert_eq!(value_of(&c, "log_retention_days").await, "14");
        assert_eq!(value_of(&c, "default_shipping_method").await, "");
        assert!(text_of(&c, "#no-methods")
            .await
            .contains("Noch keine Versandmethoden"));
    }
    .await;
    c.close().await.ok();
    result
}
