//! One suite, two back ends: the behaviour checked against `mockito` in `sendcloud_client.rs`
//! is checked here again with the real client against a spawned stand-in
//! (`sendcloud_standin`), so the client and the stand-in cannot drift apart. Together
//! with `conformance.rs` (stand-in answers and client requests against the OpenAPI specs) and
//! the mockito tests (client against the specs' examples) this closes the triangle.
//!
//! | here (stand-in) | there (mockito) |
//! |---|---|
//! | `cs_sender_addresses_list_get_and_404` | `sender_addresses_list_and_get`, `sender_address_not_found` |
//! | `cs_shipping_methods_with_filters` | `shipping_methods_with_all_filters`, `shipping_method_get_and_404` |
//! | `cs_parcel_statuses` | `parcel_statuses` |
//! | `cs_service_points_list_and_get` | `service_points_on_their_own_host` |
//! | `cs_create_parcel_success_and_get` | `create_parcel_sends_spec_body_and_verbose_errors`, `update_parcel_accepts_array_and_object_answers` |
//! | `cs_house_number_error_is_clerk_readable` | `create_parcel_400_field_errors_are_clerk_readable` |
//! | `cs_invalid_shipping_method_is_refused` | `create_parcel_rejected_in_verbose_mode` |
//! | `cs_412_without_sender_address` | `create_parcel_412_no_sender_address` |
//! | `cs_batch_reports_failed_parcels` | `create_parcels_batch_reports_failed_parcels` |
//! | `cs_idempotent_create_survives_a_lost_response` | `create_timeout_then_found_by_external_reference`, `create_500_absent_then_created_on_retry` |
//! | `cs_paging_returns_every_parcel_once_with_few_requests` | `paging_follows_cursor_over_three_pages_lazily`, `paging_items_stream_and_resume_from_cursor` |
//! | `cs_updated_after_lists_only_changed_parcels` | `list_parcels_sends_filters` |
//! | `cs_cancel_outcomes` | `cancel_parcel_maps_every_documented_outcome` |
//! | `cs_label_pdf_downloads` | `label_urls_single_and_bulk`, `pdf_downloads` |
//! | `cs_returns_list_and_get` | `returns_list_and_get` |
//! | `cs_invoices_brands_integrations` | `invoices_list_and_detail`, `brands_list_and_get`, `integrations_list_get_put_patch` |
//! | `cs_orders_upsert_twice_creates_no_duplicate` | `orders_upsert_sends_spec_body`, `orders_list_follows_link_header` |
//! | `cs_429_storm_then_success` | `read_429_then_success_honours_retry_after`, `write_429_without_retry_after_backs_off_and_retries`, `persistent_429_with_empty_body_gives_rate_limited` |
//! | `cs_real_rate_limits_are_respected_by_the_client_limiter` | `requests_wait_for_the_account_limiter` |
//! | `cs_5xx_then_success_for_reads_but_not_for_writes` | `read_500_then_success`, `create_500_is_not_retried_blindly` |
//!
//! Every test spawns its own stand-in (rate limits off unless the test is about them) and
//! drives time through the stand-in's control functions (advance statuses, faults), never by
//! sleeping. Client retry delays are tiny so retries take milliseconds.

use std::collections::HashSet;
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};

use sendcloud_plugin::sendcloud::labels::{LabelFormat, PrinterPosition};
use sendcloud_plugin::sendcloud::orders_v3::{Order, OrderFilter};
use sendcloud_plugin::sendcloud::parcels::{CancelOutcome, NewParcel, ParcelFilter, ShipmentRef};
use sendcloud_plugin::sendcloud::service_points::ServicePointFilter;
use sendcloud_plugin::sendcloud::shipping_methods::{SenderAddressFilter, ShippingMethodFilter};
use sendcloud_plugin::sendcloud::{
    ClientConfig, Credentials, Error, IntegrationUpdate, RateLimits, RetryPolicy, SendcloudClient,
};
use sendcloud_standin::{
    spawn, AccountKeys, Faults, RequestLogEntry, SeedSpec, StandinConfig, StandinHandle,
};

/// DHL (DE) standard method of the stand-in's default method table.
const DHL_DE: i64 = 1301;

fn standin_config() -> StandinConfig {
    StandinConfig {
        rate_limits: false,
        page_size: 25,
        ..StandinConfig::default()
    }
}

/// A client for `keys` on the stand-in, with tiny retry delays and (unless the test is about
/// limits) client-side limits far above anything a test sends.
pub(crate) fn client_for(h: &StandinHandle, keys: &AccountKeys) -> SendcloudClient {
    client_at(h.base_url(), keys)
}

/// Like [`client_for`], for a stand-in (or a proxy in front of it) at `origin`
/// (`http://127.0.0.1:PORT`).
pub(crate) fn client_at(origin: &str, keys: &AccountKeys) -> SendcloudClient {
    let mut c = ClientConfig::new(Credentials::new(&keys.public_key, &keys.secret_key));
    c.api_base = format!("{origin}/api");
    c.service_points_base = format!("{origin}/api/v2");
    c.retry = RetryPolicy {
        max_attempts: 4,
        max_total_time: Duration::from_secs(5),
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
    };
    c.request_timeout = Duration::from_secs(10);
    c.rate_limits = RateLimits {
        reads_per_minute: 1_000_000,
        read_burst: 100_000,
        writes_per_minute: 1_000_000,
        write_burst: 100_000,
    };
    SendcloudClient::new(c).expect("client")
}

struct Env {
    h: StandinHandle,
    keys: AccountKeys,
    c: SendcloudClient,
}

async fn start_with(config: StandinConfig) -> Env {
    let h = spawn(config).await.expect("stand-in starts");
    let keys = h.standin().demo_keys().expect("demo account");
    let c = client_for(&h, &keys);
    Env { h, keys, c }
}

async fn start() -> Env {
    start_with(standin_config()).await
}

/// A parcel to Berlin; `address` decides whether a house number can be extracted.
pub(crate) fn new_parcel(address: &str, reference: Option<&str>) -> NewParcel {
    NewParcel {
        name: "Anna Schmidt".into(),
        address: address.into(),
        city: "Berlin".into(),
        postal_code: "10115".into(),
        country: "DE".into(),
        order_number: Some("B-1".into()),
        weight: Some(rust_decimal::Decimal::new(25, 1)),
        external_reference: reference.map(Into::into),
        ..NewParcel::default()
    }
}

pub(crate) fn announced_parcel(reference: Option<&str>) -> NewParcel {
    NewParcel {
        shipment: Some(ShipmentRef {
            id: DHL_DE,
            name: None,
        }),
        request_label: Some(true),
        ..new_parcel("Hauptstraße 5a", reference)
    }
}

fn api_requests(h: &StandinHandle, method: &str, path: &str) -> Vec<RequestLogEntry> {
    h.standin()
        .requests()
        .into_iter()
        .filter(|e| e.method == method && e.path == path)
        .collect()
}

fn parcels_with_reference(h: &StandinHandle, account: u64, reference: &str) -> usize {
    let s = h.standin().state();
    s.accounts[&account]
        .parcels
        .values()
        .filter(|p| p.external_reference.as_deref() == Some(reference))
        .count()
}

fn parcel_count(h: &StandinHandle, account: u64) -> usize {
    h.standin().state().accounts[&account].parcels.len()
}

// ------------------------------------------------------------------ addresses, methods

#[tokio::test]
async fn cs_sender_addresses_list_get_and_404() {
    let e = start().await;
    let all = e.c.list_sender_addresses().await.expect("list");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].city, "Berlin");
    assert_eq!(all[0].country, "DE");
    assert_eq!(all[1].postal_code, "5611 EM");
    let one = e.c.get_sender_address(all[1].id).await.expect("get");
    assert_eq!(one, all[1]);
    let err = e.c.get_sender_address(987_654_321).await.expect_err("404");
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Not found at Sendcloud: No sender address matches the given query."
    );
    e.h.stop().await;
}

#[tokio::test]
async fn cs_shipping_methods_with_filters() {
    let e = start().await;
    let all =
        e.c.list_shipping_methods(&ShippingMethodFilter {
            sender_address: Some(SenderAddressFilter::All),
            ..Default::default()
        })
        .await
        .expect("all");
    assert!(all.len() >= 10, "{}", all.len());
    assert!(all.iter().all(|m| m.id != 1801), "disabled method listed");
    assert!(all.iter().all(|m| m.price.is_zero()));
    assert!(all.iter().all(|m| m.min_weight < m.max_weight));
    let all_ids: HashSet<i64> = all.iter().map(|m| m.id).collect();

    // One sender address: a subset of `all`.
    let addresses = e.c.list_sender_addresses().await.unwrap();
    let nl =
        e.c.list_shipping_methods(&ShippingMethodFilter {
            sender_address: Some(SenderAddressFilter::Id(addresses[1].id)),
            ..Default::default()
        })
        .await
        .expect("nl");
    assert!(!nl.is_empty());
    assert!(nl.iter().all(|m| all_ids.contains(&m.id)));

    // to_country: only that country's price is reported.
    let to_at =
        e.c.list_shipping_methods(&ShippingMethodFilter {
            to_country: Some("AT".into()),
            ..Default::default()
        })
        .await
        .expect("to AT");
    assert!(!to_at.is_empty());
    for m in &to_at {
        assert_eq!(m.countries.len(), 1, "{}", m.name);
        assert_eq!(m.countries[0].iso_2, "AT");
    }

    // Service point methods.
    let sp =
        e.c.list_shipping_methods(&ShippingMethodFilter {
            service_point_id: Some(123),
            to_country: Some("DE".into()),
            ..Default::default()
        })
        .await
        .expect("sp");
    assert!(!sp.is_empty());
    assert!(sp.iter().all(|m| m.requires_service_point()));

    let returns =
        e.c.list_shipping_methods(&ShippingMethodFilter {
            is_return: Some(true),
            ..Default::default()
        })
        .await
        .expect("returns");
    assert!(!returns.is_empty());
    assert!(returns.iter().all(|m| m.name.contains("Retour")));

    let one =
        e.c.get_shipping_method(DHL_DE, &ShippingMethodFilter::default())
            .await
            .expect("get");
    assert_eq!(one.carrier, "dhl_de");
    let err =
        e.c.get_shipping_method(0, &ShippingMethodFilter::default())
            .await
            .expect_err("404");
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(err.to_string(), "Not found at Sendcloud: Not found.");
    e.h.stop().await;
}

#[tokio::test]
async fn cs_parcel_statuses() {
    let e = start().await;
    let statuses = e.c.parcel_statuses().await.expect("statuses");
    assert_eq!(statuses.len(), sendcloud_standin::PARCEL_STATUSES.len());
    let find = |id: i64| {
        statuses
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.message.clone())
    };
    assert_eq!(find(1000).as_deref(), Some("Ready to send"));
    assert_eq!(find(11).as_deref(), Some("Delivered"));
    assert_eq!(find(2000).as_deref(), Some("Cancelled"));
    e.h.stop().await;
}

#[tokio::test]
async fn cs_service_points_list_and_get() {
    let e = start().await;
    let points =
        e.c.list_service_points(&ServicePointFilter {
            country: "DE".into(),
            ..Default::default()
        })
        .await
        .expect("list");
    assert!(!points.is_empty());
    assert!(points.iter().all(|p| p.country == "DE"));
    let one = e.c.get_service_point(points[0].id).await.expect("get");
    assert_eq!(one.id, points[0].id);
    assert_eq!(one.name, points[0].name);
    e.h.stop().await;
}

// ------------------------------------------------------------------------- parcels

#[tokio::test]
async fn cs_create_parcel_success_and_get() {
    let e = start().await;
    let p =
        e.c.create_parcel(&announced_parcel(Some("cs-ok-1")))
            .await
            .expect("created");
    let status = p.status.clone().expect("status");
    assert_eq!(
        (status.id, status.message.as_str()),
        (1000, "Ready to send")
    );
    assert_eq!(p.external_reference.as_deref(), Some("cs-ok-1"));
    assert_eq!(
        p.carrier.as_ref().and_then(|c| c.code.as_deref()),
        Some("dhl_de")
    );
    assert!(!p.tracking_number.clone().unwrap_or_default().is_empty());
    let divided = p.address_divided.clone().expect("address_divided");
    assert_eq!(divided.house_number.as_deref(), Some("5a"));
    assert_eq!(p.weight.map(|w| w.to_string()).as_deref(), Some("2.500"));
    assert!(p.date_created.is_some() && p.date_announced.is_some());
    let label = p.label.clone().expect("label");
    assert_eq!(label.normal_printer.len(), 4);
    let again = e.c.get_parcel(p.id).await.expect("get");
    assert_eq!(again.id, p.id);
    assert_eq!(again.external_reference.as_deref(), Some("cs-ok-1"));
    let err = e.c.get_parcel(987_654_321).await.expect_err("404");
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");

    // Created without a label (method chosen), announced later with PUT /parcels.
    let plain =
        e.c.create_parcel(&NewParcel {
            shipment: Some(ShipmentRef {
                id: DHL_DE,
                name: None,
            }),
            request_label: Some(false),
            ..new_parcel("Hauptstraße 7", Some("cs-ok-2"))
        })
        .await
        .expect("created");
    assert_eq!(plain.status.as_ref().map(|s| s.id), Some(999));
    assert!(plain.label.is_none());
    let announced = e.c.announce_parcel(plain.id).await.expect("announce");
    assert_eq!(announced.id, plain.id);
    assert_eq!(announced.status.as_ref().map(|s| s.id), Some(1000));
    e.h.stop().await;
}

#[tokio::test]
async fn cs_house_number_error_is_clerk_readable() {
    let e = start().await;
    let err =
        e.c.create_parcel(&new_parcel("Hauptstraße", Some("cs-hn")))
            .await
            .expect_err("no house number");
    let lines: Vec<String> = err.field_errors().iter().map(ToString::to_string).collect();
    assert_eq!(lines, vec!["house_number: This field cannot be blank."]);
    assert!(
        err.to_string()
            .contains("house_number: This field cannot be blank."),
        "{err}"
    );
    assert_eq!(parcel_count(&e.h, e.keys.account_id), 0);
    e.h.stop().await;
}

#[tokio::test]
async fn cs_invalid_shipping_method_is_refused() {
    let e = start().await;
    for id in [424_242, 1801] {
        let mut p = announced_parcel(None);
        p.shipment = Some(ShipmentRef { id, name: None });
        let err = e.c.create_parcel(&p).await.expect_err("invalid method");
        let lines: Vec<String> = err.field_errors().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec!["shipping_method: Invalid shipping method"],
            "{err:?}"
        );
    }
    assert_eq!(parcel_count(&e.h, e.keys.account_id), 0);
    e.h.stop().await;
}

#[tokio::test]
async fn cs_412_without_sender_address() {
    let e = start().await;
    let empty = e.h.standin().create_account("No address yet");
    let c = client_for(&e.h, &empty);
    let err = c
        .create_parcel(&announced_parcel(None))
        .await
        .expect_err("412");
    assert!(matches!(err, Error::NoSenderAddress { .. }), "{err:?}");
    assert!(
        err.to_string().contains("User has no address data"),
        "{err}"
    );
    e.h.stop().await;
}

#[tokio::test]
async fn cs_batch_reports_failed_parcels() {
    let e = start().await;
    let outcome =
        e.c.create_parcels(&[
            new_parcel("Hauptstraße 1", Some("good")),
            new_parcel("Hauptstraße", Some("bad")),
        ])
        .await
        .expect("verbose batch");
    assert_eq!(outcome.created.len(), 1);
    assert_eq!(
        outcome.created[0].external_reference.as_deref(),
        Some("good")
    );
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].external_reference(), Some("bad"));
    let lines: Vec<String> = outcome.failed[0]
        .errors
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(lines, vec!["house_number: This field cannot be blank."]);
    assert_eq!(parcels_with_reference(&e.h, e.keys.account_id, "good"), 1);
    assert_eq!(parcels_with_reference(&e.h, e.keys.account_id, "bad"), 0);
    e.h.stop().await;
}

#[tokio::test]
async fn cs_idempotent_create_survives_a_lost_response() {
    let e = start().await;
    e.h.standin().set_faults(Faults {
        drop_after_next: 1,
        path_prefix: Some("/api/v2/parcels".into()),
        method: Some("POST".into()),
        ..Faults::default()
    });
    let p =
        e.c.create_parcel_idempotent(&announced_parcel(Some("cs-lost-1")))
            .await
            .expect("found after the lost response");
    assert_eq!(p.external_reference.as_deref(), Some("cs-lost-1"));
    assert_eq!(
        parcels_with_reference(&e.h, e.keys.account_id, "cs-lost-1"),
        1
    );
    let posts = api_requests(&e.h, "POST", "/api/v2/parcels");
    assert_eq!(posts.len(), 1, "the create was not sent again: {posts:?}");
    assert_eq!(posts[0].status, 0, "its response was dropped");
    let lookups: Vec<_> = api_requests(&e.h, "GET", "/api/v2/parcels")
        .into_iter()
        .filter(|r| r.query.contains("external_reference=cs-lost-1"))
        .collect();
    assert_eq!(lookups.len(), 1);

    // A 503 before processing: the lookup proves the parcel absent, so the create is sent
    // again, and still exactly one parcel exists.
    e.h.standin().set_faults(Faults {
        fail_next: 1,
        path_prefix: Some("/api/v2/parcels".into()),
        method: Some("POST".into()),
        ..Faults::default()
    });
    e.c.create_parcel_idempotent(&announced_parcel(Some("cs-lost-2")))
        .await
        .expect("created on the second try");
    assert_eq!(
        parcels_with_reference(&e.h, e.keys.account_id, "cs-lost-2"),
        1
    );
    e.h.stop().await;
}

#[tokio::test]
async fn cs_paging_returns_every_parcel_once_with_few_requests() {
    let e = start().await; // page size 25
    const N: usize = 1_000;
    assert!(e.h.standin().seed(
        e.keys.account_id,
        SeedSpec {
            parcels: N,
            ..SeedSpec::default()
        }
    ));
    e.h.standin().clear_requests();
    let mut seen = HashSet::new();
    let mut count = 0;
    let mut pages = e.c.parcel_pages(&ParcelFilter::default()).boxed();
    let mut last_cursor = None;
    while let Some(page) = pages.try_next().await.expect("page") {
        assert!(page.items.len() <= 25);
        assert_eq!(page.cursor, last_cursor, "pages are chained by cursor");
        last_cursor = page.next_cursor.clone();
        for p in page.items {
            count += 1;
            seen.insert(p.id);
        }
    }
    assert_eq!(count, N, "no parcel twice");
    assert_eq!(seen.len(), N, "every parcel");
    let requests = api_requests(&e.h, "GET", "/api/v2/parcels");
    assert_eq!(requests.len(), N / 25, "one request per page");

    // Resuming from a saved cursor gives the rest only.
    let first: Vec<_> =
        e.c.parcel_pages(&ParcelFilter::default())
            .take(2)
            .try_collect()
            .await
            .unwrap();
    let rest: Vec<_> =
        e.c.parcels(&ParcelFilter {
            cursor: first[1].next_cursor.clone(),
            ..ParcelFilter::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest.len(), N - 50);
    e.h.stop().await;
}

#[tokio::test]
async fn cs_updated_after_lists_only_changed_parcels() {
    let e = start().await;
    assert!(e.h.standin().seed(
        e.keys.account_id,
        SeedSpec {
            parcels: 60,
            ..SeedSpec::default()
        }
    ));
    let since = chrono::Utc::now();
    let changed =
        e.c.create_parcel(&announced_parcel(Some("cs-new")))
            .await
            .unwrap();
    let seeded =
        e.c.parcels(&ParcelFilter::default())
            .try_collect::<Vec<_>>()
            .await
            .unwrap();
    assert_eq!(seeded.len(), 61);
    let other = seeded.iter().find(|p| p.id != changed.id).unwrap().id;
    assert!(
        e.h.standin()
            .set_parcel_status(e.keys.account_id, other as u64, 62996)
            .await
    );
    let mut ids: Vec<i64> =
        e.c.parcels(&ParcelFilter {
            updated_after: Some(since),
            ..ParcelFilter::default()
        })
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    ids.sort();
    let mut expected = vec![changed.id, other];
    expected.sort();
    assert_eq!(ids, expected);
    let none: Vec<_> =
        e.c.parcels(&ParcelFilter {
            updated_after: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
            ..ParcelFilter::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    e.h.stop().await;
}

#[tokio::test]
async fn cs_cancel_outcomes() {
    let e = start().await;
    let account = e.keys.account_id;
    let s = e.h.standin().clone();
    // Unannounced: deleted, then gone.
    let p = e.c.create_parcel(&new_parcel("Weg 1", None)).await.unwrap();
    assert!(matches!(
        e.c.cancel_parcel(p.id).await.unwrap(),
        CancelOutcome::Deleted { .. }
    ));
    assert!(matches!(
        e.c.get_parcel(p.id).await,
        Err(Error::NotFound { .. })
    ));
    // Ready to send: queued, completes on the next step, then rejected.
    let p = e.c.create_parcel(&announced_parcel(None)).await.unwrap();
    assert!(matches!(
        e.c.cancel_parcel(p.id).await.unwrap(),
        CancelOutcome::Queued { .. }
    ));
    assert_eq!(
        e.c.get_parcel(p.id).await.unwrap().status.map(|s| s.id),
        Some(1999)
    );
    s.advance_statuses(Some(account), Some(p.id as u64), 1)
        .await;
    assert_eq!(
        e.c.get_parcel(p.id).await.unwrap().status.map(|s| s.id),
        Some(2000)
    );
    assert!(matches!(
        e.c.cancel_parcel(p.id).await.unwrap(),
        CancelOutcome::Rejected { .. }
    ));
    // En route: cancelled at once.
    let p = e.c.create_parcel(&announced_parcel(None)).await.unwrap();
    s.advance_statuses(Some(account), Some(p.id as u64), 1)
        .await;
    assert_eq!(
        e.c.cancel_parcel(p.id).await.unwrap(),
        CancelOutcome::Cancelled {
            message: "Parcel has been cancelled".into()
        }
    );
    // Delivered: rejected.
    let p = e.c.create_parcel(&announced_parcel(None)).await.unwrap();
    s.advance_statuses(Some(account), Some(p.id as u64), 3)
        .await;
    assert!(matches!(
        e.c.cancel_parcel(p.id).await.unwrap(),
        CancelOutcome::Rejected { .. }
    ));
    // Announcement failed: 410, deleted.
    let p = e.c.create_parcel(&announced_parcel(None)).await.unwrap();
    assert!(s.set_parcel_status(account, p.id as u64, 1002).await);
    assert!(matches!(
        e.c.cancel_parcel(p.id).await.unwrap(),
        CancelOutcome::Deleted { .. }
    ));
    // Unknown.
    assert!(matches!(
        e.c.cancel_parcel(987_654_321).await.unwrap(),
        CancelOutcome::NotFound { .. }
    ));
    e.h.stop().await;
}

// -------------------------------------------------------------------------- labels

#[tokio::test]
async fn cs_label_pdf_downloads() {
    let e = start().await;
    let p = e.c.create_parcel(&announced_parcel(None)).await.unwrap();
    let q = e.c.create_parcel(&announced_parcel(None)).await.unwrap();
    let urls = e.c.get_label(p.id).await.expect("label urls");
    assert_eq!(urls.normal_printer.len(), 4);
    for format in [
        LabelFormat::A6,
        LabelFormat::A4(PrinterPosition::TopLeft),
        LabelFormat::A4(PrinterPosition::BottomRight),
    ] {
        let pdf = e.c.download_label(p.id, format).await.expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"), "{format:?}");
        let via_url =
            e.c.download_url(urls.url(format).expect("url"))
                .await
                .expect("pdf via the returned URL");
        assert!(via_url.starts_with(b"%PDF-"), "{format:?}");
    }
    let bulk = e.c.bulk_label_urls(&[p.id, q.id]).await.expect("bulk");
    assert_eq!(bulk.normal_printer.len(), 4);
    let both =
        e.c.download_labels(&[p.id, q.id], LabelFormat::A6)
            .await
            .expect("bulk pdf");
    assert!(both.starts_with(b"%PDF-"));
    // An unannounced parcel has no label.
    let plain = e.c.create_parcel(&new_parcel("Weg 2", None)).await.unwrap();
    assert!(e.c.download_label(plain.id, LabelFormat::A6).await.is_err());
    e.h.stop().await;
}

// ------------------------------------------------------ returns, invoices, brands, integrations

#[tokio::test]
async fn cs_returns_list_and_get() {
    let e = start().await;
    let p = e.c.create_parcel(&announced_parcel(None)).await.unwrap();
    let made =
        e.h.standin()
            .create_return(e.keys.account_id, Some(p.id as u64), 2, "Zu groß")
            .await
            .expect("return");
    let id = made["id"].as_i64().unwrap();
    let all: Vec<_> = e.c.returns().try_collect().await.expect("list");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].id, id);
    assert_eq!(all[0].outgoing_parcel, Some(p.id));
    let one = e.c.get_return(id).await.expect("get");
    assert_eq!(one.reason, Some(2));
    assert_eq!(one.message.as_deref(), Some("Zu groß"));
    assert!(matches!(
        e.c.get_return(987_654_321).await,
        Err(Error::NotFound { .. })
    ));
    e.h.stop().await;
}

#[tokio::test]
async fn cs_invoices_brands_integrations() {
    let e = start().await;
    let invoices = e.c.list_invoices().await.expect("invoices");
    assert_eq!(invoices.len(), 3);
    let detail = e.c.get_invoice(invoices[0].id).await.expect("detail");
    assert_eq!(detail.id, invoices[0].id);
    assert!(!detail.items.is_empty());
    let err = e.c.get_invoice(1).await.expect_err("404");
    assert_eq!(
        err.to_string(),
        "Not found at Sendcloud: No Invoice matches the given query."
    );

    let brands: Vec<_> = e.c.brands().try_collect().await.expect("brands");
    assert_eq!(brands.len(), 1);
    assert_eq!(brands[0].name, "Demo Handel");
    assert_eq!(e.c.get_brand(brands[0].id).await.unwrap().id, brands[0].id);
    assert_eq!(
        e.c.get_brand(987_654_321).await.unwrap_err().to_string(),
        "Not found at Sendcloud: No Brand matches the given query."
    );

    let id = e.keys.integration_id as i64;
    let all = e.c.list_integrations(None).await.expect("integrations");
    assert_eq!(all.iter().filter(|i| i.id == Some(id)).count(), 1);
    let one = e.c.get_integration(id).await.expect("integration");
    assert_eq!(one.shop_name, "Demo Backoffice");
    let patched =
        e.c.update_integration(
            id,
            &IntegrationUpdate {
                webhook_url: Some("https://shop.example/hook".into()),
                webhook_active: Some(true),
                ..IntegrationUpdate::default()
            },
        )
        .await
        .expect("patch");
    assert_eq!(
        patched.webhook_url.as_deref(),
        Some("https://shop.example/hook")
    );
    let replaced =
        e.c.replace_integration(
            id,
            &IntegrationUpdate {
                shop_name: Some("Renamed".into()),
                shop_url: Some("https://renamed.example".into()),
                webhook_active: Some(false),
                ..IntegrationUpdate::default()
            },
        )
        .await
        .expect("put");
    assert_eq!(replaced.shop_name, "Renamed");
    assert_eq!(e.c.get_integration(id).await.unwrap().shop_name, "Renamed");
    e.h.stop().await;
}

// ----------------------------------------------------------------------- v3 orders

fn fixture_orders(integration: u64) -> Vec<Order> {
    let path = format!(
        "{}/tests/it/fixtures/sendcloud/v3_post_orders__req_UpdateBatchOrders.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut raw: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for o in raw.as_array_mut().unwrap() {
        o["order_details"]["integration"] = json!({"id": integration});
        o.as_object_mut().unwrap().remove("id");
    }
    serde_json::from_value(raw).expect("orders parse")
}

#[tokio::test]
async fn cs_orders_upsert_twice_creates_no_duplicate() {
    let e = start().await;
    let orders = fixture_orders(e.keys.integration_id);
    let first = e.c.upsert_orders(&orders).await.expect("first");
    let second = e.c.upsert_orders(&orders).await.expect("second");
    assert_eq!(first.len(), orders.len());
    assert_eq!(first, second, "same ids: updated, not created again");
    let listed: Vec<Order> =
        e.c.orders(&OrderFilter {
            page_size: Some(1),
            ..OrderFilter::default()
        })
        .try_collect()
        .await
        .expect("list");
    assert_eq!(listed.len(), orders.len());
    let mut listed_ids: Vec<&str> = listed.iter().map(|o| o.order_id.as_str()).collect();
    listed_ids.sort();
    let mut sent_ids: Vec<&str> = orders.iter().map(|o| o.order_id.as_str()).collect();
    sent_ids.sort();
    assert_eq!(listed_ids, sent_ids);
    // All or nothing: an unknown integration rejects the batch.
    let mut bad = fixture_orders(999_999);
    bad[0].order_id = "new-1".into();
    let err =
        e.c.upsert_orders(&bad)
            .await
            .expect_err("unknown integration");
    assert!(
        matches!(err, Error::Validation { status: 400, .. }),
        "{err:?}"
    );
    e.h.stop().await;
}

// ----------------------------------------------------------- rate limits and 5xx

#[tokio::test]
async fn cs_429_storm_then_success() {
    let e = start().await;
    e.h.standin().set_faults(Faults {
        rate_limit_next: 3,
        ..Faults::default()
    });
    let all = e.c.list_sender_addresses().await.expect("after the storm");
    assert_eq!(all.len(), 3);
    let statuses: Vec<u16> = api_requests(&e.h, "GET", "/api/v2/user/addresses/sender")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, vec![429, 429, 429, 200]);
    // A 429 means "not processed": even a create is retried, and exactly once created.
    e.h.standin().set_faults(Faults {
        rate_limit_next: 2,
        ..Faults::default()
    });
    e.c.create_parcel(&announced_parcel(Some("cs-429")))
        .await
        .expect("created after 429s");
    assert_eq!(parcels_with_reference(&e.h, e.keys.account_id, "cs-429"), 1);
    // A storm that outlasts the retry budget ends in RateLimited.
    e.h.standin().set_faults(Faults {
        rate_limit_storm: true,
        ..Faults::default()
    });
    let err = e.c.list_sender_addresses().await.expect_err("storm");
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    e.h.stop().await;
}

#[tokio::test]
async fn cs_real_rate_limits_are_respected_by_the_client_limiter() {
    // The stand-in enforces 5 reads per minute; a client configured with the same budget
    // never sees a 429 for its first 5 reads, and the 6th waits (refused by try_read).
    let h = spawn(StandinConfig {
        rate_limits: true,
        limits: sendcloud_standin::RateLimitConfig {
            reads_per_minute: 5,
            writes_per_minute: 100,
            writes_per_second: 15,
        },
        ..standin_config()
    })
    .await
    .unwrap();
    let keys = h.standin().demo_keys().unwrap();
    let mut cfg = ClientConfig::new(Credentials::new(&keys.public_key, &keys.secret_key));
    cfg.api_base = h.api_url();
    cfg.rate_limits = RateLimits {
        reads_per_minute: 5,
        read_burst: 5,
        writes_per_minute: 100,
        write_burst: 15,
    };
    let c = SendcloudClient::new(cfg).unwrap();
    for _ in 0..5 {
        c.list_sender_addresses().await.expect("within budget");
    }
    assert!(
        !c.limiter().try_read(),
        "the client holds back the 6th read"
    );
    assert!(h.standin().requests().iter().all(|r| r.status != 429));
    h.stop().await;
}

#[tokio::test]
async fn cs_5xx_then_success_for_reads_but_not_for_writes() {
    let e = start().await;
    let p = e.c.create_parcel(&announced_parcel(None)).await.unwrap();
    e.h.standin().clear_requests();
    e.h.standin().set_faults(Faults {
        fail_next: 2,
        ..Faults::default()
    });
    assert_eq!(e.c.get_parcel(p.id).await.expect("read retried").id, p.id);
    let statuses: Vec<u16> = e.h.standin().requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![503, 503, 200]);
    // A plain create after a 5xx is not retried blindly.
    let before = parcel_count(&e.h, e.keys.account_id);
    e.h.standin().set_faults(Faults {
        fail_next: 1,
        ..Faults::default()
    });
    let err =
        e.c.create_parcel(&announced_parcel(Some("cs-5xx")))
            .await
            .expect_err("not retried");
    assert!(matches!(err, Error::Server { status: 503, .. }), "{err:?}");
    assert_eq!(parcel_count(&e.h, e.keys.account_id), before);
    e.h.stop().await;
}
