//! *Drucken* (issue 11 item 1) against the stand-in: the labels of many
//! deliveries as one PDF (A6 pages, or four per A4 sheet from a start
//! position) or as ZPL; the documents are kept by the module, so a reprint
//! works with Sendcloud gone; a delivery without a label is named, nothing
//! printed; the page's Drucken button downloads the document.

use diesel::prelude::*;
use sendcloud_plugin::db::schema::sendcloud_label_documents as ld;
use sendcloud_plugin::labels::print::{self, PrintError, PrintFormat, Unprintable};
use sendcloud_standin::StandinHandle;

use crate::common::{delivery, request_labels, setup, Spec, TestApp};

/// Deliveries with labels made through the jobs.
pub async fn labelled(app: &TestApp, company: i64, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for _ in 0..n {
        ids.push(delivery(app, company, Spec::default()).await);
    }
    request_labels(app, company, &ids, "button").await;
    app.run_jobs().await;
    ids
}

pub fn pdf_pages(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes)
        .expect("a PDF lopdf reads")
        .get_pages()
        .len()
}

fn document_requests(sc: &StandinHandle) -> usize {
    sc.standin()
        .requests()
        .iter()
        .filter(|r| r.path.contains("/documents"))
        .count()
}

async fn print(
    app: &TestApp,
    company: i64,
    ids: &[i64],
    format: PrintFormat,
) -> Result<print::Document, PrintError> {
    print::merged_documents(&app.state.ctx(), company, ids, format).await
}

// Six labels: six A6 pages; on A4 two sheets from position 1 or 3, three
// from position 4 (three quarters of the first sheet are skipped); ZPL has
// six labels. The PDFs were stored when the labels were made: printing asks
// Sendcloud for nothing but the ZPL, once.
db_async_test!(drucken_merges_many_labels_into_one_document, |db| {
    let (app, sc, company) = setup(db).await;
    let ids = labelled(&app, company, 6).await;
    let fetched_at_creation = document_requests(&sc);
    let a6 = print(&app, company, &ids, PrintFormat::PdfA6)
        .await
        .unwrap();
    assert_eq!(a6.content_type, "application/pdf");
    assert!(a6.file_name.ends_with(".pdf"));
    assert_eq!(pdf_pages(&a6.bytes), 6);
    for (start, sheets) in [(1, 2), (3, 2), (4, 3)] {
        let a4 = print(&app, company, &ids, PrintFormat::PdfA4 { start })
            .await
            .unwrap();
        assert_eq!(pdf_pages(&a4.bytes), sheets, "A4 from position {start}");
    }
    // Position 4: the first sheet carries one label, bottom right.
    let a4 = print(&app, company, &ids, PrintFormat::PdfA4 { start: 4 })
        .await
        .unwrap();
    let doc = lopdf::Document::load_mem(&a4.bytes).unwrap();
    let first = *doc.get_pages().values().next().unwrap();
    let content = String::from_utf8(doc.get_page_content(first).unwrap()).unwrap();
    assert_eq!(content.matches(" Do ").count(), 1, "{content}");
    assert!(content.contains("/L3 Do"), "{content}");
    assert_eq!(document_requests(&sc), fetched_at_creation);
    let zpl = print(&app, company, &ids, PrintFormat::Zpl).await.unwrap();
    assert_eq!(zpl.content_type, "application/zpl");
    let text = String::from_utf8(zpl.bytes).unwrap();
    assert_eq!(text.matches("^XA").count(), 6);
    assert_eq!(text.matches("^XZ").count(), 6);
    assert_eq!(document_requests(&sc), fetched_at_creation + 6);
    print(&app, company, &ids, PrintFormat::Zpl).await.unwrap();
    assert_eq!(document_requests(&sc), fetched_at_creation + 6);
    sc.stop().await;
});

// A delivery without a label stops the print and is named; nothing is
// printed. With Sendcloud stopped, the stored documents still print (PDF and
// the ZPL fetched before); a label whose document was never stored is named
// as unavailable.
db_async_test!(a_reprint_works_with_sendcloud_stopped, |db| {
    let (app, sc, company) = setup(db).await;
    let ids = labelled(&app, company, 3).await;
    let unlabelled = delivery(&app, company, Spec::default()).await;
    let mut with_missing = ids.clone();
    with_missing.push(unlabelled);
    match print(&app, company, &with_missing, PrintFormat::PdfA6).await {
        Err(PrintError::Unprintable(list)) => {
            assert_eq!(list, vec![(unlabelled, Unprintable::NoLabel)])
        }
        other => panic!("expected unprintable, got {other:?}"),
    }
    match print(&app, company, &[], PrintFormat::PdfA6).await {
        Err(PrintError::NothingSelected) => {}
        other => panic!("expected nothing selected, got {other:?}"),
    }
    print(&app, company, &ids[..2], PrintFormat::Zpl)
        .await
        .unwrap();
    // The third label's PDF is lost from the store.
    let third = crate::common::label(&app, company, ids[2])
        .await
        .parcel_id
        .unwrap();
    app.state
        .db
        .run(move |c| {
            diesel::delete(ld::table.filter(ld::parcel_id.eq(third))).execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    sc.stop().await;
    let a4 = print(&app, company, &ids[..2], PrintFormat::PdfA4 { start: 2 })
        .await
        .unwrap();
    assert_eq!(pdf_pages(&a4.bytes), 1);
    let zpl = print(&app, company, &ids[..2], PrintFormat::Zpl)
        .await
        .unwrap();
    assert_eq!(
        String::from_utf8(zpl.bytes).unwrap().matches("^XA").count(),
        2
    );
    match print(&app, company, &ids, PrintFormat::PdfA6).await {
        Err(PrintError::Unprintable(list)) => {
            assert_eq!(list.len(), 1, "{list:?}");
            assert_eq!(list[0].0, ids[2]);
            assert_eq!(list[0].1.code(), "unavailable");
        }
        other => panic!("expected unavailable, got {other:?}"),
    }
});

// The page: Drucken with A4 returns the merged PDF as a download; with a
// delivery without a label it goes back to the page and says which one, in
// German.
db_async_test!(the_drucken_button_downloads_or_names_the_delivery, |db| {
    let (app, sc, company) = setup(db).await;
    let ids = labelled(&app, company, 2).await;
    let unlabelled = delivery(&app, company, Spec::default()).await;
    let (client, html) = app.admin_on(company, "/admin/deliveries").await;
    assert!(html.contains("id=\"print-labels\""), "{html}");
    let csrf = TestApp::csrf_of(&html);
    let d0 = format!("d_{}", ids[0]);
    let d1 = format!("d_{}", ids[1]);
    let resp = client
        .post(app.url("/admin/deliveries/print"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("back", "deliveries"),
            ("format", "a4"),
            ("start", "2"),
            (d0.as_str(), "1"),
            (d1.as_str(), "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    assert!(resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(pdf_pages(&resp.bytes().await.unwrap()), 1);
    let du = format!("d_{unlabelled}");
    let resp = client
        .post(app.url("/admin/deliveries/print"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("back", "deliveries"),
            ("format", "a6"),
            (d0.as_str(), "1"),
            (du.as_str(), "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = app.page(&client, "/admin/deliveries").await;
    assert!(html.contains("kein Label vorhanden"), "{html}");
    let detail = app
        .page(&client, &format!("/admin/deliveries?id={}", ids[0]))
        .await;
    assert!(detail.contains("id=\"detail-print\""), "{detail}");
    sc.stop().await;
});
