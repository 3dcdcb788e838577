//! Lieferungen and Logs in headless Chromium against the stand-in (issue
//! 11's browser tests), on SQLite and PostgreSQL: select all → *Label
//! erstellen* → the jobs run → tick the labelled deliveries → *Drucken*
//! (A4, start position 2) → the merged PDF lands in the download folder and
//! opens with the right number of pages; the delivery that failed pre-flight
//! is in the Logs (with demo deliveries that lack a shipping
//! method), its address is fixed in the host, *Erneut versuchen*, the
//! jobs run, and the entry is gone. Skips like `browser.rs` without a
//! browser (fails with `SENDCLOUD_TEST_REQUIRE_BROWSER=1`).

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, Locator};
use sendcloud_plugin::db::Backend;

use crate::browser::{connect_with, login, start_driver, text_of};
use crate::common::{delivery, fresh_db, setup, Spec};
use crate::labels_print::pdf_pages;

/// Click what loads a new page and wait until it is there.
async fn click_and_load(c: &Client, id: &str) {
    let before = c.find(Locator::Css("html")).await.unwrap();
    c.find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("no #{id}: {e}"))
        .click()
        .await
        .unwrap();
    let mut left = 400;
    while before.tag_name().await.is_ok() {
        left -= 1;
        assert!(left > 0, "clicking #{id} loaded no new page");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    c.wait().for_element(Locator::Id("menu")).await.unwrap();
}

async fn tick(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("no #{id}: {e}"))
        .click()
        .await
        .unwrap();
}

/// The first finished file in the download folder (Chromium writes
/// `*.crdownload` until it is complete). Waits for the browser, not for a
/// job of ours: there is nothing to run directly.
async fn downloaded(dir: &Path) -> (String, Vec<u8>) {
    for _ in 0..400 {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if !name.ends_with(".crdownload") && !name.starts_with('.') {
                    if let Ok(bytes) = std::fs::read(e.path()) {
                        if !bytes.is_empty() {
                            return (name, bytes);
                        }
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no download in {}", dir.display());
}

async fn scenario(c: &Client, backend: Backend, downloads: &Path) {
    let Some(db) = fresh_db(backend) else {
        eprintln!("SKIPPED {backend:?} (no database)");
        return;
    };
    let (app, sc, company) = setup(db).await;
    let mut good = Vec::new();
    for _ in 0..3 {
        good.push(delivery(&app, company, Spec::default()).await);
    }
    let bad = delivery(&app, company, Spec::no_house_number()).await;

    login(c, &app).await;
    c.goto(&app.url("/admin/deliveries")).await.unwrap();
    // The stand-in's account is the first company's; choose it.
    c.execute(
        "document.getElementById('company-select').value = String(arguments[0]);",
        vec![serde_json::json!(company)],
    )
    .await
    .unwrap();
    c.execute("document.getElementById('company-form').submit();", vec![])
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id(&format!("select-{bad}")))
        .await
        .unwrap();
    c.goto(&app.url("/admin/deliveries")).await.unwrap();
    tick(c, "select-all").await;
    click_and_load(c, "create-labels").await;
    app.run_jobs().await;

    // Drucken: the three labelled deliveries, A4 from position 2 (three
    // labels fit on the first sheet).
    c.goto(&app.url("/admin/deliveries")).await.unwrap();
    for id in &good {
        tick(c, &format!("select-{id}")).await;
    }
    c.find(Locator::Id("print-format"))
        .await
        .unwrap()
        .select_by_value("a4")
        .await
        .unwrap();
    c.find(Locator::Id("print-start"))
        .await
        .unwrap()
        .select_by_value("2")
        .await
        .unwrap();
    tick(c, "print-labels").await;
    let (name, pdf) = downloaded(downloads).await;
    assert!(name.ends_with(".pdf"), "{name}");
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(pdf_pages(&pdf), 1);
    std::fs::remove_file(downloads.join(&name)).unwrap();
    // One label per A6 page: three pages.
    c.find(Locator::Id("print-format"))
        .await
        .unwrap()
        .select_by_value("a6")
        .await
        .unwrap();
    tick(c, "print-labels").await;
    let (name, pdf) = downloaded(downloads).await;
    assert_eq!(pdf_pages(&pdf), 3, "{name}");
    std::fs::remove_file(downloads.join(&name)).unwrap();

    // The Logs: the delivery without a house number, with the fix-list.
    c.goto(&app.url("/admin/logs")).await.unwrap();
    let row = text_of(c, &format!("#delivery-{bad}")).await;
    assert!(row.contains("Hausnummer"), "{row}");
    assert!(c
        .find(Locator::Id(&format!("select-{}", good[0])))
        .await
        .is_err());
    // Fixed in the host, then Erneut versuchen.
    app.state
        .db
        .run(move |conn| {
            diesel::RunQueryDsl::execute(
                diesel::sql_query(format!(
                    "UPDATE customers SET house_number = '7' WHERE id = \
                     (SELECT o.customer_id FROM sales_orders o JOIN deliveries d ON d.order_id = o.id WHERE d.id = {bad})"
                )),
                conn,
            )?;
            Ok(())
        })
        .await
        .unwrap();
    tick(c, &format!("select-{bad}")).await;
    click_and_load(c, "create-labels").await;
    app.run_jobs().await;
    c.goto(&app.url("/admin/logs")).await.unwrap();
    // The page is there (other deliveries of the demo data, ticked by
    // "select all", stay in it), the fixed one is gone.
    assert!(text_of(c, "h1").await.starts_with("Logs"));
    assert!(c
        .find(Locator::Id(&format!("delivery-{bad}")))
        .await
        .is_err());
    let tracking = crate::common::label(&app, company, bad)
        .await
        .tracking_number;
    assert!(tracking.is_some());
    sc.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lieferungen_labels_drucken_and_the_logs_retry() {
    let Some(driver) = start_driver() else { return };
    let downloads = tempfile::tempdir().unwrap();
    let c = connect_with(
        &driver,
        serde_json::json!({
            "download.default_directory": downloads.path().display().to_string(),
            "download.prompt_for_download": false,
            "download.directory_upgrade": true,
            "safebrowsing.enabled": false,
        }),
    )
    .await;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        scenario(&c, backend, downloads.path()).await;
    }
    c.close().await.ok();
}
