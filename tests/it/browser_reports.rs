//! The reports in headless Chromium: open Berichte → Lager → Sendcloud from
//! the menu, see parcels with coloured statuses, filter by carrier, page
//! on, open a detail, and walk every other tab including the run history.
//! Skips like `browser.rs` without a browser (fails with
//! `SENDCLOUD_TEST_REQUIRE_BROWSER=1`).

use diesel::prelude::*;
use fantoccini::{Client, Locator};
use sendcloud_plugin::db::Backend;
use sendcloud_plugin::sync::{self, Counts, ObjectCounts, SyncObject};

use crate::browser::{connect, login, start_driver, text_of};
use crate::common::fresh_db;
use crate::reports::{app_with_parcels, seeds};

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("no #{id}: {e}"))
        .click()
        .await
        .unwrap();
}

/// The ids of the table's rows.
async fn row_ids(c: &Client) -> Vec<String> {
    let mut out = vec![];
    for row in c
        .find_all(Locator::Css("#report-table tbody tr"))
        .await
        .unwrap()
    {
        out.push(row.attr("data-id").await.unwrap().unwrap_or_default());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_report_tab_with_data_a_filter_paging_and_the_run_history() {
    let Some(driver) = start_driver() else { return };
    let (app, company) = app_with_parcels(fresh_db(Backend::Sqlite).unwrap(), 120).await;
    app.state
        .db
        .run(move |c| {
            let run = sync::create_run(c, company, "manual", &[SyncObject::Parcels])?;
            sync::set_started_by(c, run, "admin")?;
            let mut per = ObjectCounts::default();
            per.0.insert(
                "parcels".into(),
                Counts {
                    fetched: 120,
                    created: 120,
                    ..Default::default()
                },
            );
            use sendcloud_plugin::db::schema::sendcloud_sync_runs as r;
            diesel::update(r::table.find(run))
                .set((
                    r::state.eq("done"),
                    r::object_counts.eq(per.to_json()),
                    r::finished_at.eq(chrono::Utc::now().naive_utc()),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let c = connect(&driver).await;
    let result = async {
        login(&c, &app).await;
        click(&c, "nav-reports").await;
        assert!(text_of(&c, "h1").await.starts_with("Sendcloud-Berichte"));
        let first = row_ids(&c).await;
        assert_eq!(first.len(), 50);
        assert!(!c
            .find_all(Locator::Css("#report-table .badge-ok"))
            .await
            .unwrap()
            .is_empty());

        // Page on: other rows; back to the first page.
        click(&c, "page-next").await;
        let second = row_ids(&c).await;
        assert_eq!(second.len(), 50);
        assert!(second.iter().all(|id| !first.contains(id)));
        click(&c, "page-first").await;
        assert_eq!(row_ids(&c).await, first);

        // Filter by carrier through the form.
        c.find(Locator::Id("filter-carrier"))
            .await
            .unwrap()
            .select_by_value("dpd")
            .await
            .unwrap();
        click(&c, "filter-submit").await;
        let dpd = seeds(120)
            .iter()
            .filter(|s| s.carrier.as_deref() == Some("dpd"))
            .count();
        assert_eq!(row_ids(&c).await.len(), dpd);
        for cell in c
            .find_all(Locator::Css("#report-table tbody td:nth-child(5)"))
            .await
            .unwrap()
        {
            assert_eq!(cell.text().await.unwrap(), "dpd");
        }
        // A detail view and back.
        c.find(Locator::Css("#report-table a.detail"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert!(text_of(&c, "#detail-facts").await.contains("dpd"));
        click(&c, "detail-back").await;

        for (tab, expect) in [
            ("tab-brands", "Muster Mode"),
            ("tab-methods", "DPD Classic"),
            ("tab-senders", "Lager Utrecht"),
        ] {
            click(&c, tab).await;
            assert!(text_of(&c, "#report-table").await.contains(expect), "{tab}");
        }
        // The run history: who started it, counts per object, state.
        click(&c, "tab-runs").await;
        let runs = text_of(&c, "#report-table").await;
        assert!(runs.contains("Manuell: admin"), "{runs}");
        assert!(runs.contains("Pakete: 120 geholt, 120 neu"), "{runs}");
        assert!(runs.contains("Abgeschlossen"), "{runs}");
        c.find(Locator::Css("#report-table a.detail"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert!(text_of(&c, "#detail-counts").await.contains("Pakete"));
        click(&c, "detail-back").await;
        // The Aktions-Logging of a fresh module is empty and says why.
        click(&c, "tab-actions").await;
        assert!(text_of(&c, "#report-empty")
            .await
            .contains("Noch keine Aktionen"));
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    c.close().await.ok();
    result.unwrap();
}
