//! Tests of the Sendcloud API client against `mockito` servers: every
//! endpoint (method, path, query, auth, body) with spec example answers, the
//! error paths, retries, idempotent parcel creation and cursor paging.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use futures_util::{StreamExt, TryStreamExt};
use mockito::{Matcher, Mock, ServerGuard};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use sendcloud_plugin::sendcloud::labels::{DocumentType, LabelFormat, PrinterPosition};
use sendcloud_plugin::sendcloud::orders_v3::{Order, OrderFilter};
use sendcloud_plugin::sendcloud::parcels::{CancelOutcome, NewParcel, ParcelFilter};
use sendcloud_plugin::sendcloud::service_points::ServicePointFilter;
use sendcloud_plugin::sendcloud::shipping_methods::{SenderAddressFilter, ShippingMethodFilter};
use sendcloud_plugin::sendcloud::{
    ApiDateTime, ClientConfig, Credentials, Error, IntegrationUpdate, RetryPolicy, SendcloudClient,
};

const SECRET: &str = "sk-TOP-SECRET-4711";

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/it/fixtures/sendcloud/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).expect("fixture is JSON")
}

fn auth(pk: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{pk}:{SECRET}"))
    )
}

/// Config pointing at the mock server, with tiny retry delays. Each test uses
/// its own public key so the per-account limiters do not interfere.
fn config(server: &ServerGuard, pk: &str) -> ClientConfig {
    let mut c = ClientConfig::new(Credentials::new(pk, SECRET));
    c.api_base = format!("{}/api", server.url());
    c.service_points_base = format!("{}/sp/api/v2", server.url());
    c.retry = RetryPolicy {
        max_attempts: 4,
        max_total_time: Duration::from_secs(5),
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
    };
    c.request_timeout = Duration::from_secs(5);
    c
}

fn client(server: &ServerGuard, pk: &str) -> SendcloudClient {
    SendcloudClient::new(config(server, pk)).expect("client")
}

fn json_mock(server: &mut ServerGuard, method: &str, path: &str, pk: &str) -> Mock {
    server
        .mock(method, path)
        .match_header("authorization", auth(pk).as_str())
        .match_header(
            "user-agent",
            format!("sendcloud-plugin/{}", env!("CARGO_PKG_VERSION")).as_str(),
        )
        .with_header("content-type", "application/json")
}

fn new_parcel_from_spec() -> NewParcel {
    let req = fixture_json("v2_post_parcels__req_CreateParcel.json");
    serde_json::from_value(req["parcel"].clone()).expect("spec parcel parses")
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

// ---------------------------------------------------------------- addresses

#[tokio::test]
async fn sender_addresses_list_and_get() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-addresses";
    let list = json_mock(&mut server, "GET", "/api/v2/user/addresses/sender", pk)
        .match_header("accept", "application/json")
        .match_query(Matcher::Missing)
        .with_body(fixture(
            "v2_get_user_addresses_sender__200_RetrieveSenderAddresses.json",
        ))
        .create_async()
        .await;
    let one = json_mock(&mut server, "GET", "/api/v2/user/addresses/sender/1", pk)
        .with_body(fixture(
            "v2_get_user_addresses_sender_id__200_RetrieveSenderAddress.json",
        ))
        .create_async()
        .await;
    let c = client(&server, pk);
    let all = c.list_sender_addresses().await.expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, 2);
    assert_eq!(all[0].city, "Rennes");
    assert_eq!(all[0].country_state, None);
    let a = c.get_sender_address(1).await.expect("get");
    assert_eq!(a.postal_code, "5611 EM");
    assert_eq!(a.brand_id, Some(2));
    // The spec example's bogus "null," string is treated as no state.
    assert_eq!(a.country_state, None);
    list.assert_async().await;
    one.assert_async().await;
}

#[tokio::test]
async fn sender_address_not_found() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-addr-404";
    let m = json_mock(
        &mut server,
        "GET",
        "/api/v2/user/addresses/sender/12312312312",
        pk,
    )
    .with_status(404)
    .with_body(fixture(
        "v2_get_user_addresses_sender_id__404_NotFound.json",
    ))
    .expect(1)
    .create_async()
    .await;
    let err = client(&server, pk)
        .get_sender_address(12312312312)
        .await
        .expect_err("404");
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Not found at Sendcloud: No sender address matches the given query."
    );
    m.assert_async().await;
}

// --------------------------------------------------------- shipping methods

#[tokio::test]
async fn shipping_methods_with_all_filters() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-methods";
    let m = json_mock(&mut server, "GET", "/api/v2/shipping_methods", pk)
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("sender_address".into(), "all".into()),
            Matcher::UrlEncoded("service_point_id".into(), "10875349".into()),
            Matcher::UrlEncoded("is_return".into(), "false".into()),
            Matcher::UrlEncoded("from_postal_code".into(), "5611 EM".into()),
            Matcher::UrlEncoded("to_postal_code".into(), "01000".into()),
            Matcher::UrlEncoded("to_country".into(), "NL".into()),
        ]))
        .with_body(fixture(
            "v2_get_shipping_methods__200_RetrieveShippingMethods.json",
        ))
        .create_async()
        .await;
    let filter = ShippingMethodFilter {
        sender_address: Some(SenderAddressFilter::All),
        service_point_id: Some(10875349),
        is_return: Some(false),
        from_postal_code: Some("5611 EM".into()),
        to_postal_code: Some("01000".into()),
        to_country: Some("NL".into()),
    };
    let methods = client(&server, pk)
        .list_shipping_methods(&filter)
        .await
        .expect("methods");
    assert_eq!(methods[0].id, 8020);
    assert_eq!(methods[0].min_weight, dec("0.001"));
    assert_eq!(methods[0].max_weight, dec("23.001"));
    assert_eq!(methods[0].countries[0].price, dec("9.75"));
    assert_eq!(methods[0].countries[0].price_breakdown[1].value, dec("1.2"));
    assert!(!methods[0].requires_service_point());
    m.assert_async().await;
}

#[tokio::test]
async fn shipping_method_get_and_404() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-method";
    let ok = json_mock(&mut server, "GET", "/api/v2/shipping_methods/117", pk)
        .match_query(Matcher::Exact("sender_address=42".into()))
        .with_body(fixture(
            "v2_get_shipping_methods_id__200_RetrieveShippingMethod.json",
        ))
        .create_async()
        .await;
    let missing = json_mock(&mut server, "GET", "/api/v2/shipping_methods/0", pk)
        .with_status(404)
        .with_body(fixture("v2_get_shipping_methods_id__404_NotFound.json"))
        .create_async()
        .await;
    let c = client(&server, pk);
    let filter = ShippingMethodFilter {
        sender_address: Some(SenderAddressFilter::Id(42)),
        ..Default::default()
    };
    let m = c.get_shipping_method(117, &filter).await.expect("get");
    assert_eq!(m.name, "DHLForYou Drop Off");
    assert_eq!(m.max_weight, dec("20.000"));
    let err = c
        .get_shipping_method(0, &ShippingMethodFilter::default())
        .await
        .expect_err("404");
    assert_eq!(err.to_string(), "Not found at Sendcloud: Not found.");
    ok.assert_async().await;
    missing.assert_async().await;
}

#[tokio::test]
async fn parcel_statuses() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-statuses";
    let m = json_mock(&mut server, "GET", "/api/v2/parcels/statuses", pk)
        .with_body(fixture(
            "v2_get_parcels_statuses__200_RetrieveParcelStatuses.json",
        ))
        .create_async()
        .await;
    let statuses = client(&server, pk)
        .parcel_statuses()
        .await
        .expect("statuses");
    assert_eq!(statuses.len(), 4);
    assert_eq!(statuses[0].id, 3);
    assert_eq!(statuses[0].message, "En route to sorting center");
    m.assert_async().await;
}

// ------------------------------------------------------------------ parcels

#[tokio::test]
async fn create_parcel_sends_spec_body_and_verbose_errors() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-create";
    let m = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("errors=verbose-carrier".into()))
        .match_header("content-type", "application/json")
        .match_header("sendcloud-partner-id", "7b6b2c9d-partner")
        .match_body(Matcher::Json(fixture_json(
            "v2_post_parcels__req_CreateParcel.json",
        )))
        .with_body(fixture("v2_post_parcels__200_CreateParcel.json"))
        .expect(1)
        .create_async()
        .await;
    let mut cfg = config(&server, pk);
    cfg.partner_id = Some("7b6b2c9d-partner".into());
    let c = SendcloudClient::new(cfg).expect("client");
    let parcel = c
        .create_parcel(&new_parcel_from_spec())
        .await
        .expect("created");
    assert_eq!(parcel.id, 3);
    assert_eq!(parcel.weight, Some(dec("2.000")));
    assert!(matches!(parcel.date_created, Some(ApiDateTime::Naive(_))));
    assert_eq!(
        parcel.date_created.map(|d| d.naive_local().to_string()),
        Some("2018-01-01 21:45:30".to_string())
    );
    let label = parcel.label.expect("label");
    assert_eq!(label.normal_printer.len(), 4);
    m.assert_async().await;
}

#[tokio::test]
async fn create_parcels_batch_reports_failed_parcels() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-batch";
    let m = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("errors=verbose-carrier".into()))
        .match_body(Matcher::Json(fixture_json(
            "v2_post_parcels__req_CreateParcels.json",
        )))
        .with_body(fixture("v2_post_parcels__200_CreateParcels.json"))
        .create_async()
        .await;
    let req = fixture_json("v2_post_parcels__req_CreateParcels.json");
    let parcels: Vec<NewParcel> = serde_json::from_value(req["parcels"].clone()).expect("parse");
    let outcome = client(&server, pk)
        .create_parcels(&parcels)
        .await
        .expect("batch");
    assert!(outcome.created.is_empty());
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(
        outcome.failed[0].errors[0].to_string(),
        "house_number: This field may not be blank."
    );
    m.assert_async().await;
}

#[tokio::test]
async fn create_parcel_rejected_in_verbose_mode() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-rejected";
    let m = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("errors=verbose-carrier".into()))
        .with_body(fixture("v2_post_parcels__200_CreateParcels.json"))
        .create_async()
        .await;
    let err = client(&server, pk)
        .create_parcel(&new_parcel_from_spec())
        .await
        .expect_err("rejected");
    assert_eq!(
        err.to_string(),
        "Sendcloud rejected the parcel: house_number: This field may not be blank."
    );
    m.assert_async().await;
}

#[tokio::test]
async fn create_parcel_400_field_errors_are_clerk_readable() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-400";
    let m = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_status(400)
        .with_body(
            r#"{"error":{"code":400,"request":"api/v2/parcels","message":"house_number: \"This field cannot be blank.\""}}"#,
        )
        .expect(1)
        .create_async()
        .await;
    let err = client(&server, pk)
        .create_parcel(&new_parcel_from_spec())
        .await
        .expect_err("400");
    match &err {
        Error::Validation { status, errors } => {
            assert_eq!(*status, 400);
            assert_eq!(errors[0].field.as_deref(), Some("house_number"));
            assert_eq!(errors[0].message, "This field cannot be blank.");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "Sendcloud rejected the request: house_number: This field cannot be blank."
    );
    m.assert_async().await;
}

#[tokio::test]
async fn create_parcel_400_carrier_error_from_spec() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-400-spec";
    let m = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_status(400)
        .with_body(fixture("v2_post_parcels__400_Failed.json"))
        .create_async()
        .await;
    let err = client(&server, pk)
        .create_parcel(&new_parcel_from_spec())
        .await
        .expect_err("400");
    assert_eq!(
        err.to_string(),
        "Sendcloud rejected the request: PostNL service error: The domain for email address johndoe@email.com seems to be invalid"
    );
    m.assert_async().await;
}

#[tokio::test]
async fn create_parcel_412_no_sender_address() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-412";
    let m = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_status(412)
        .with_body(r#"{"error":{"code":412,"request":"api/v2/parcels","message":"User has no address data"}}"#)
        .expect(1)
        .create_async()
        .await;
    let err = client(&server, pk)
        .create_parcel(&new_parcel_from_spec())
        .await
        .expect_err("412");
    assert!(matches!(err, Error::NoSenderAddress { .. }), "{err:?}");
    assert!(err.to_string().contains("no sender address"));
    assert!(err.to_string().contains("User has no address data"));
    m.assert_async().await;
}

#[tokio::test]
async fn unauthorized_is_clear_and_never_leaks_the_secret() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-401";
    let m = server
        .mock("GET", "/api/v2/parcels/1")
        .with_status(401)
        .with_header("content-type", "application/json")
        .with_body(r#"{"error":{"code":401,"request":"api/v2/parcels/1","message":"Invalid username/password."}}"#)
        .expect(1)
        .create_async()
        .await;
    let c = client(&server, pk);
    let err = c.get_parcel(1).await.expect_err("401");
    assert!(matches!(err, Error::Unauthorized { .. }));
    assert!(err.to_string().contains("API keys"));
    for text in [
        err.to_string(),
        format!("{err:?}"),
        format!("{c:?}"),
        format!("{:?}", c.config()),
    ] {
        assert!(!text.contains(SECRET), "secret leaked in {text}");
        assert!(!text.contains(&auth(pk)), "auth header leaked in {text}");
    }
    m.assert_async().await;
}

#[tokio::test]
async fn get_parcel_tolerates_quirks() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-get";
    let mut body = fixture_json("v2_post_parcels__200_CreateParcelVerboseCarrier.json");
    body["parcel"]["label"] = Value::Null;
    body["parcel"]["to_service_point"] = json!(10875349);
    body["parcel"]["weight"] = json!(2.5);
    body["parcel"]["total_order_value"] = json!("11.11");
    body["parcel"]["date_updated"] = json!("2019-02-03T06:48:07");
    body["parcel"]["unknown_future_field"] = json!({"x": 1});
    let m = json_mock(&mut server, "GET", "/api/v2/parcels/22", pk)
        .with_body(body.to_string())
        .create_async()
        .await;
    let p = client(&server, pk).get_parcel(22).await.expect("parcel");
    assert_eq!(p.id, 22);
    assert_eq!(p.label, None);
    assert_eq!(p.to_service_point.as_deref(), Some("10875349"));
    assert_eq!(p.weight, Some(dec("2.5")));
    assert_eq!(p.total_order_value, Some(dec("11.11")));
    assert!(p.date_updated.is_some());
    assert_eq!(p.documents.len(), 4);
    assert_eq!(p.status.as_ref().map(|s| s.id), Some(11));
    assert_eq!(
        p.carrier_errors()[0].to_string(),
        "PostNL service error: The domain for email address johndoe@email.com seems to be invalid."
    );
    m.assert_async().await;
}

#[tokio::test]
async fn list_parcels_sends_filters() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-list";
    let m = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded(
                "updated_after".into(),
                "2018-02-26T11:01:47.505309+00:00".into(),
            ),
            Matcher::UrlEncoded("external_reference".into(), "ORDER-1".into()),
            Matcher::UrlEncoded("order_number".into(), "1234567890".into()),
            Matcher::UrlEncoded("parcel_status".into(), "1000".into()),
            Matcher::UrlEncoded("ids".into(), "3172,3173".into()),
        ]))
        .with_body(fixture("v2_get_parcels__200_RetrieveParcels.json"))
        .expect(1)
        .create_async()
        .await;
    let filter = ParcelFilter {
        updated_after: Some(
            chrono::DateTime::parse_from_rfc3339("2018-02-26T11:01:47.505309+00:00")
                .expect("date")
                .with_timezone(&chrono::Utc),
        ),
        external_reference: Some("ORDER-1".into()),
        order_number: Some("1234567890".into()),
        parcel_status: Some(1000),
        ids: vec![3172, 3173],
        ..Default::default()
    };
    let parcels: Vec<_> = client(&server, pk)
        .parcels(&filter)
        .try_collect()
        .await
        .expect("list");
    assert_eq!(parcels.len(), 1);
    assert_eq!(parcels[0].id, 3172);
    m.assert_async().await;
}

#[tokio::test]
async fn list_parcels_refuses_more_than_100_ids() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-ids";
    let m = server
        .mock("GET", Matcher::Any)
        .expect(0)
        .create_async()
        .await;
    let filter = ParcelFilter {
        ids: (1..=101).collect(),
        ..Default::default()
    };
    let first = client(&server, pk).parcels(&filter).next().await;
    assert!(matches!(first, Some(Err(Error::InvalidRequest(_)))));
    m.assert_async().await;
}

fn parcels_page(ids: &[i64], next: Option<String>) -> String {
    let template = fixture_json("v2_get_parcels__200_RetrieveParcels.json")["parcels"][0].clone();
    let parcels: Vec<Value> = ids
        .iter()
        .map(|id| {
            let mut p = template.clone();
            p["id"] = json!(id);
            p
        })
        .collect();
    json!({"next": next, "previous": null, "parcels": parcels}).to_string()
}

#[tokio::test]
async fn paging_follows_cursor_over_three_pages_lazily() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-paging";
    // The next URLs point at another host on purpose: only the cursor is taken.
    let p1 = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact(
            "updated_after=2020-01-01T00%3A00%3A00.000000%2B00%3A00".into(),
        ))
        .with_body(parcels_page(
            &[1, 2],
            Some("https://panel.sendcloud.sc/api/v2/parcels?cursor=cD0y&updated_after=x".into()),
        ))
        .expect(1)
        .create_async()
        .await;
    let p2 = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("cursor".into(), "cD0y".into()),
            Matcher::UrlEncoded(
                "updated_after".into(),
                "2020-01-01T00:00:00.000000+00:00".into(),
            ),
        ]))
        .with_body(parcels_page(
            &[3, 4],
            Some("https://panel.sendcloud.sc/api/v2/parcels?cursor=cD00".into()),
        ))
        .expect(1)
        .create_async()
        .await;
    let p3 = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::UrlEncoded("cursor".into(), "cD00".into()))
        .with_body(parcels_page(&[5], None))
        .expect(1)
        .create_async()
        .await;
    let c = client(&server, pk);
    let filter = ParcelFilter {
        updated_after: Some(
            chrono::DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z")
                .expect("date")
                .with_timezone(&chrono::Utc),
        ),
        ..Default::default()
    };

    // Page level: cursors per page, fetched one at a time.
    let mut pages = Box::pin(c.parcel_pages(&filter));
    let first = pages.next().await.expect("page 1").expect("ok");
    assert_eq!(first.cursor, None);
    assert_eq!(first.next_cursor.as_deref(), Some("cD0y"));
    p1.assert_async().await;
    assert!(
        !p2.matched_async().await,
        "page 2 fetched before it was asked for"
    );
    let second = pages.next().await.expect("page 2").expect("ok");
    assert_eq!(second.cursor.as_deref(), Some("cD0y"));
    let third = pages.next().await.expect("page 3").expect("ok");
    assert_eq!(third.next_cursor, None);
    assert!(pages.next().await.is_none());
    drop(pages);

    p2.assert_async().await;
    p3.assert_async().await;
}

#[tokio::test]
async fn paging_items_stream_and_resume_from_cursor() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-paging-items";
    let p1 = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Missing)
        .with_body(parcels_page(
            &[1, 2],
            Some("https://panel.sendcloud.sc/api/v2/parcels?cursor=c2".into()),
        ))
        .expect(1)
        .create_async()
        .await;
    let p2 = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("cursor=c2".into()))
        .with_body(parcels_page(
            &[3],
            Some("https://panel.sendcloud.sc/api/v2/parcels?cursor=c3".into()),
        ))
        .expect(2)
        .create_async()
        .await;
    let p3 = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("cursor=c3".into()))
        .with_body(parcels_page(&[4, 5], None))
        .expect(2)
        .create_async()
        .await;
    let c = client(&server, pk);
    let ids: Vec<i64> = c
        .parcels(&ParcelFilter::default())
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .expect("all");
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    // Resume from a saved cursor.
    let resumed: Vec<i64> = c
        .parcels(&ParcelFilter {
            cursor: Some("c2".into()),
            ..Default::default()
        })
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .expect("resumed");
    assert_eq!(resumed, vec![3, 4, 5]);
    p1.assert_async().await;
    p2.assert_async().await;
    p3.assert_async().await;
}

#[tokio::test]
async fn invalid_cursor_is_not_found() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-bad-cursor";
    let m = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("cursor=nope".into()))
        .with_status(404)
        .with_body(fixture("v2_get_parcels__404_InvalidCursor.json"))
        .expect(1)
        .create_async()
        .await;
    let page = client(&server, pk)
        .parcel_pages(&ParcelFilter {
            cursor: Some("nope".into()),
            ..Default::default()
        })
        .next()
        .await;
    match page {
        Some(Err(e)) => assert_eq!(e.to_string(), "Not found at Sendcloud: Invalid cursor"),
        other => panic!("unexpected {other:?}"),
    }
    m.assert_async().await;
}

#[tokio::test]
async fn update_parcel_accepts_array_and_object_answers() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-update";
    let update = json_mock(&mut server, "PUT", "/api/v2/parcels", pk)
        .match_body(Matcher::Json(fixture_json(
            "v2_put_parcels__req_UpdateParcel.json",
        )))
        .with_body(fixture("v2_put_parcels__200_ParcelUpdated.json"))
        .expect(1)
        .create_async()
        .await;
    let announced = fixture_json("v2_post_parcels__200_CreateParcel.json");
    let announce = json_mock(&mut server, "PUT", "/api/v2/parcels", pk)
        .match_body(Matcher::Json(
            json!({"parcel": {"id": 3, "request_label": true}}),
        ))
        .with_body(announced.to_string())
        .expect(1)
        .create_async()
        .await;
    let c = client(&server, pk);
    let req = fixture_json("v2_put_parcels__req_UpdateParcel.json");
    let changes: NewParcel = serde_json::from_value(req["parcel"].clone()).expect("parse");
    let p = c.update_parcel(3, &changes).await.expect("update");
    assert_eq!(p.name.as_deref(), Some("Anna Tester"));
    let p = c.announce_parcel(3).await.expect("announce");
    assert_eq!(p.id, 3);
    update.assert_async().await;
    announce.assert_async().await;
}

#[tokio::test]
async fn cancel_parcel_maps_every_documented_outcome() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-cancel";
    let cases = [
        (
            1,
            200,
            fixture("v2_post_parcels_id_cancel__200_Cancelled.json"),
        ),
        (
            2,
            202,
            r#"{"status":"queued","message":"Parcel cancellation has been queued"}"#.to_string(),
        ),
        (
            3,
            400,
            r#"{"status":"failed","message":"Parcel has already been cancelled"}"#.to_string(),
        ),
        (
            4,
            404,
            r#"{"error":{"code":404,"request":"api/v2/parcels/4/cancel","message":"Not found."}}"#
                .to_string(),
        ),
        (
            5,
            410,
            r#"{"status":"deleted","message":"Parcel has been deleted"}"#.to_string(),
        ),
        (
            6,
            200,
            r#"{"status":"deleted","message":"Parcel has been deleted"}"#.to_string(),
        ),
    ];
    let mut mocks = Vec::new();
    for (id, status, body) in &cases {
        mocks.push(
            json_mock(
                &mut server,
                "POST",
                format!("/api/v2/parcels/{id}/cancel").as_str(),
                pk,
            )
            .with_status(*status)
            .with_body(body.clone())
            .expect(1)
            .create_async()
            .await,
        );
    }
    let c = client(&server, pk);
    let mut outcomes = Vec::new();
    for (id, _, _) in &cases {
        outcomes.push(c.cancel_parcel(*id).await.expect("outcome"));
    }
    assert_eq!(
        outcomes,
        vec![
            CancelOutcome::Cancelled {
                message: "Parcel has been cancelled".into()
            },
            CancelOutcome::Queued {
                message: "Parcel cancellation has been queued".into()
            },
            CancelOutcome::Rejected {
                message: "Parcel has already been cancelled".into()
            },
            CancelOutcome::NotFound {
                message: "Not found.".into()
            },
            CancelOutcome::Deleted {
                message: "Parcel has been deleted".into()
            },
            CancelOutcome::Deleted {
                message: "Parcel has been deleted".into()
            },
        ]
    );
    for m in mocks {
        m.assert_async().await;
    }
}

// ---------------------------------------------------- idempotent creation

fn found_parcel_list(reference: &str) -> String {
    let mut body = fixture_json("v2_get_parcels__200_RetrieveParcels.json");
    body["parcels"][0]["external_reference"] = json!(reference);
    body.to_string()
}

fn idempotent_parcel(reference: &str) -> NewParcel {
    NewParcel {
        external_reference: Some(reference.into()),
        ..new_parcel_from_spec()
    }
}

#[tokio::test]
async fn create_500_then_found_by_external_reference() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-idem-500";
    let post = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .match_body(Matcher::PartialJson(
            json!({"parcel": {"external_reference": "ORDER-42"}}),
        ))
        .with_status(500)
        .with_body("Internal Server Error")
        .expect(1)
        .create_async()
        .await;
    let lookup = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("external_reference=ORDER-42".into()))
        .with_body(found_parcel_list("ORDER-42"))
        .expect(1)
        .create_async()
        .await;
    let p = client(&server, pk)
        .create_parcel_idempotent(&idempotent_parcel("ORDER-42"))
        .await
        .expect("found");
    assert_eq!(p.id, 3172);
    assert_eq!(p.external_reference.as_deref(), Some("ORDER-42"));
    post.assert_async().await;
    lookup.assert_async().await;
}

#[tokio::test]
async fn create_timeout_then_found_by_external_reference() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-idem-timeout";
    let post = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_chunked_body(|w| {
            std::thread::sleep(Duration::from_millis(400));
            w.write_all(b"{}")
        })
        .expect(1)
        .create_async()
        .await;
    let lookup = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("external_reference=ORDER-43".into()))
        .with_body(found_parcel_list("ORDER-43"))
        .expect(1)
        .create_async()
        .await;
    let mut cfg = config(&server, pk);
    cfg.request_timeout = Duration::from_millis(300);
    let p = SendcloudClient::new(cfg)
        .expect("client")
        .create_parcel_idempotent(&idempotent_parcel("ORDER-43"))
        .await
        .expect("found");
    assert_eq!(p.external_reference.as_deref(), Some("ORDER-43"));
    post.assert_async().await;
    lookup.assert_async().await;
}

#[tokio::test]
async fn create_500_absent_then_created_on_retry() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-idem-absent";
    let failing = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_status(502)
        .expect(1)
        .create_async()
        .await;
    let lookup = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("external_reference=ORDER-44".into()))
        .with_body(r#"{"next":null,"previous":null,"parcels":[]}"#)
        .expect(1)
        .create_async()
        .await;
    let ok = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_body(fixture("v2_post_parcels__200_CreateParcel.json"))
        .expect(1)
        .create_async()
        .await;
    let p = client(&server, pk)
        .create_parcel_idempotent(&idempotent_parcel("ORDER-44"))
        .await
        .expect("created");
    assert_eq!(p.id, 3);
    failing.assert_async().await;
    lookup.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn create_500_and_lookup_failing_is_uncertain_and_not_resent() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-idem-uncertain";
    let post = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_status(500)
        .expect(1)
        .create_async()
        .await;
    let lookup = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_status(503)
        .expect(4)
        .create_async()
        .await;
    let err = client(&server, pk)
        .create_parcel_idempotent(&idempotent_parcel("ORDER-45"))
        .await
        .expect_err("uncertain");
    assert!(matches!(err, Error::Uncertain { .. }), "{err:?}");
    assert!(err.to_string().contains("ORDER-45"));
    post.assert_async().await;
    lookup.assert_async().await;
}

#[tokio::test]
async fn idempotent_create_requires_external_reference() {
    let server = mockito::Server::new_async().await;
    let err = client(&server, "pk-idem-noref")
        .create_parcel_idempotent(&new_parcel_from_spec())
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)));
}

// ------------------------------------------------------- retries & errors

#[tokio::test]
async fn read_429_then_success_honours_retry_after() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-429-ra";
    let limited = json_mock(&mut server, "GET", "/api/v2/parcels/statuses", pk)
        .with_status(429)
        .with_header("retry-after", "0")
        .with_body("")
        .expect(1)
        .create_async()
        .await;
    let ok = json_mock(&mut server, "GET", "/api/v2/parcels/statuses", pk)
        .with_body(fixture(
            "v2_get_parcels_statuses__200_RetrieveParcelStatuses.json",
        ))
        .expect(1)
        .create_async()
        .await;
    // Exponential backoff would need 10 s, beyond the 2 s budget: only
    // honouring Retry-After: 0 lets this succeed.
    let mut cfg = config(&server, pk);
    cfg.retry.base_delay = Duration::from_secs(10);
    cfg.retry.max_delay = Duration::from_secs(10);
    cfg.retry.max_total_time = Duration::from_secs(2);
    let statuses = SendcloudClient::new(cfg)
        .expect("client")
        .parcel_statuses()
        .await
        .expect("after retry");
    assert_eq!(statuses.len(), 4);
    limited.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn write_429_without_retry_after_backs_off_and_retries() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-429";
    let limited = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_status(429)
        .with_body("")
        .expect(2)
        .create_async()
        .await;
    let ok = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_body(fixture("v2_post_parcels__200_CreateParcel.json"))
        .expect(1)
        .create_async()
        .await;
    let p = client(&server, pk)
        .create_parcel(&new_parcel_from_spec())
        .await
        .expect("created after 429s");
    assert_eq!(p.id, 3);
    limited.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn persistent_429_with_empty_body_gives_rate_limited() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-429-always";
    let m = json_mock(&mut server, "GET", "/api/v2/user/invoices", pk)
        .with_status(429)
        .with_body("")
        .expect(4)
        .create_async()
        .await;
    let err = client(&server, pk).list_invoices().await.expect_err("429");
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    m.assert_async().await;
}

#[tokio::test]
async fn read_500_then_success() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-500-read";
    let failing = json_mock(&mut server, "GET", "/api/v2/brands/1", pk)
        .with_status(500)
        .with_body("<html>oops</html>")
        .expect(1)
        .create_async()
        .await;
    let ok = json_mock(&mut server, "GET", "/api/v2/brands/1", pk)
        .with_body(fixture("v2_get_brands_id__200_RetrieveBrand.json"))
        .expect(1)
        .create_async()
        .await;
    let b = client(&server, pk).get_brand(1).await.expect("brand");
    assert_eq!(b.name, "Sendcloud B.V");
    failing.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn create_500_is_not_retried_blindly() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-500-write";
    let m = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_status(500)
        .expect(1)
        .create_async()
        .await;
    let err = client(&server, pk)
        .create_parcel(&new_parcel_from_spec())
        .await
        .expect_err("500");
    assert!(matches!(err, Error::Server { status: 500, .. }), "{err:?}");
    m.assert_async().await;
}

#[tokio::test]
async fn read_timeout_is_reported() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-timeout";
    let m = json_mock(&mut server, "GET", "/api/v2/returns/1", pk)
        .with_chunked_body(|w| {
            std::thread::sleep(Duration::from_millis(300));
            w.write_all(b"{}")
        })
        .expect(1)
        .create_async()
        .await;
    let mut cfg = config(&server, pk);
    cfg.request_timeout = Duration::from_millis(100);
    cfg.retry.max_attempts = 1;
    let err = SendcloudClient::new(cfg)
        .expect("client")
        .get_return(1)
        .await
        .expect_err("timeout");
    assert!(matches!(err, Error::Timeout), "{err:?}");
    m.assert_async().await;
}

#[tokio::test]
async fn malformed_json_is_reported() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-malformed";
    let m = json_mock(&mut server, "GET", "/api/v2/user/invoices/1", pk)
        .with_body(r#"{"invoice": {"id": 1, "ref": "#)
        .expect(1)
        .create_async()
        .await;
    let err = client(&server, pk)
        .get_invoice(1)
        .await
        .expect_err("bad json");
    assert!(matches!(err, Error::MalformedResponse(_)), "{err:?}");
    m.assert_async().await;
}

#[tokio::test]
async fn non_json_xml_404_is_readable() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-xml";
    let m = server
        .mock("GET", "/api/v2/parcels/9")
        .with_status(404)
        .with_header("content-type", "application/xml")
        .with_body("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>")
        .create_async()
        .await;
    let err = client(&server, pk).get_parcel(9).await.expect_err("404");
    assert_eq!(
        err.to_string(),
        "Not found at Sendcloud: The specified key does not exist."
    );
    m.assert_async().await;
}

#[tokio::test]
async fn clients_of_one_account_share_a_limiter() {
    let server = mockito::Server::new_async().await;
    let a = client(&server, "pk-shared");
    let b = client(&server, "pk-shared");
    let other = client(&server, "pk-not-shared");
    assert!(Arc::ptr_eq(a.limiter(), b.limiter()));
    assert!(!Arc::ptr_eq(a.limiter(), other.limiter()));
}

// ---------------------------------------------------------- labels & docs

#[tokio::test]
async fn label_urls_single_and_bulk() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-labels";
    let one = json_mock(&mut server, "GET", "/api/v2/labels/1234", pk)
        .with_body(fixture("v2_get_labels_parcel_id__200_RetrieveLabel.json"))
        .create_async()
        .await;
    let bulk = json_mock(&mut server, "POST", "/api/v2/labels", pk)
        .match_body(Matcher::Json(json!({"label": {"parcels": [1, 2, 3]}})))
        .with_body(fixture("v2_post_labels__200_BulkPDFLabels.json"))
        .create_async()
        .await;
    let c = client(&server, pk);
    let urls = c.get_label(1234).await.expect("label");
    assert_eq!(
        urls.url(LabelFormat::A4(PrinterPosition::BottomLeft)),
        Some("https://panel.sendcloud.sc/api/v2/label/normal_printer/1234?start_from=2")
    );
    assert!(urls.url(LabelFormat::A6).is_some());
    let urls = c.bulk_label_urls(&[1, 2, 3]).await.expect("bulk");
    assert_eq!(urls.normal_printer.len(), 4);
    one.assert_async().await;
    bulk.assert_async().await;
}

#[tokio::test]
async fn pdf_downloads() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-pdf";
    let pdf = b"%PDF-1.4 fake".to_vec();
    let mut mocks = Vec::new();
    for (path, query) in [
        (
            "/api/v2/labels/normal_printer/7",
            Matcher::Exact("start_from=3".into()),
        ),
        ("/api/v2/labels/label_printer/7", Matcher::Missing),
        (
            "/api/v2/labels/normal_printer",
            Matcher::Exact("ids=7%2C8&start_from=0".into()),
        ),
        (
            "/api/v2/labels/label_printer",
            Matcher::Exact("ids=7%2C8".into()),
        ),
        ("/api/v2/parcels/7/documents/cn23", Matcher::Missing),
        (
            "/api/v2/label/label_printer/7",
            Matcher::Exact("hash=abc".into()),
        ),
    ] {
        mocks.push(
            server
                .mock("GET", path)
                .match_query(query)
                .match_header("authorization", auth(pk).as_str())
                .match_header("accept", "application/pdf")
                .with_header("content-type", "application/pdf")
                .with_body(pdf.clone())
                .expect(1)
                .create_async()
                .await,
        );
    }
    let c = client(&server, pk);
    assert_eq!(
        c.download_label(7, LabelFormat::A4(PrinterPosition::BottomRight))
            .await
            .expect("a4"),
        pdf
    );
    assert_eq!(c.download_label(7, LabelFormat::A6).await.expect("a6"), pdf);
    assert_eq!(
        c.download_labels(&[7, 8], LabelFormat::A4(PrinterPosition::TopLeft))
            .await
            .expect("bulk a4"),
        pdf
    );
    assert_eq!(
        c.download_labels(&[7, 8], LabelFormat::A6)
            .await
            .expect("bulk a6"),
        pdf
    );
    assert_eq!(
        c.download_document(7, DocumentType::Cn23)
            .await
            .expect("doc"),
        pdf
    );
    let absolute = format!("{}/api/v2/label/label_printer/7?hash=abc", server.url());
    assert_eq!(c.download_url(&absolute).await.expect("absolute"), pdf);
    // Credentials are never sent to a host other than the configured one.
    let foreign = c
        .download_url("https://evil.example.com/api/v2/labels/label_printer/7")
        .await
        .expect_err("foreign host");
    assert!(matches!(foreign, Error::InvalidRequest(_)));
    let too_many: Vec<i64> = (1..=101).collect();
    assert!(matches!(
        c.download_labels(&too_many, LabelFormat::A6).await,
        Err(Error::InvalidRequest(_))
    ));
    for m in mocks {
        m.assert_async().await;
    }
}

// ------------------------------------------------- returns, invoices, brands

#[tokio::test]
async fn returns_list_and_get() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-returns";
    let list = json_mock(&mut server, "GET", "/api/v2/returns", pk)
        .match_query(Matcher::Missing)
        .with_body(fixture("v2_get_returns__200_RetrieveReturns.json"))
        .create_async()
        .await;
    let one = json_mock(&mut server, "GET", "/api/v2/returns/1", pk)
        .with_body(fixture("v2_get_returns_id__200_RetrieveReturn.json"))
        .create_async()
        .await;
    let c = client(&server, pk);
    let all: Vec<_> = c.returns().try_collect().await.expect("list");
    assert_eq!(all.len(), 1);
    let r = c.get_return(1).await.expect("get");
    let refund = r.refund.expect("refund");
    // "\"10.00\"" (quoted inside the string) is accepted.
    assert_eq!(refund.total_refund, Some(dec("10.00")));
    assert_eq!(r.return_fee, Some(dec("3.5")));
    assert!(matches!(r.created_at, Some(ApiDateTime::Zoned(_))));
    assert_eq!(
        r.outgoing_parcel_data
            .and_then(|p| p.global_status_slug)
            .as_deref(),
        Some("delivered")
    );
    list.assert_async().await;
    one.assert_async().await;
}

#[tokio::test]
async fn invoices_list_and_detail() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-invoices";
    let list = json_mock(&mut server, "GET", "/api/v2/user/invoices", pk)
        .with_body(fixture("v2_get_user_invoices__200_RetrieveInvoices.json"))
        .create_async()
        .await;
    let one = json_mock(&mut server, "GET", "/api/v2/user/invoices/1", pk)
        .with_body(fixture("v2_get_user_invoices_id__200_RetrieveInvoice.json"))
        .create_async()
        .await;
    let missing = json_mock(&mut server, "GET", "/api/v2/user/invoices/12312312312", pk)
        .with_status(404)
        .with_body(fixture("v2_get_user_invoices_id__404_NotFound.json"))
        .create_async()
        .await;
    let c = client(&server, pk);
    let all = c.list_invoices().await.expect("list");
    assert_eq!(all[0].reference, "EU-CENTRAL-1-0-22-NL0063503");
    assert!(all[0].is_paid);
    assert_eq!(all[0].price_incl, dec("0.02"));
    assert_eq!(
        all[0].items.as_deref(),
        Some("https://panel.sendcloud.sc/api/v2/user/invoices/1638405")
    );
    assert!(all[0].date.is_some());
    let inv = c.get_invoice(1).await.expect("detail");
    assert_eq!(inv.items.len(), 4);
    assert_eq!(inv.items[0].name, "PostNL Standard 0-23kg");
    assert!(inv.is_paid);
    let err = c.get_invoice(12312312312).await.expect_err("404");
    assert!(err
        .to_string()
        .contains("No Invoice matches the given query."));
    list.assert_async().await;
    one.assert_async().await;
    missing.assert_async().await;
}

#[tokio::test]
async fn brands_list_and_get() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-brands";
    let list = json_mock(&mut server, "GET", "/api/v2/brands", pk)
        .match_query(Matcher::Missing)
        .with_body(fixture("v2_get_brands__200_RetrieveAListOfBrands.json"))
        .create_async()
        .await;
    let one = json_mock(&mut server, "GET", "/api/v2/brands/1", pk)
        .with_body(fixture("v2_get_brands_id__200_RetrieveBrand.json"))
        .create_async()
        .await;
    let missing = json_mock(&mut server, "GET", "/api/v2/brands/184", pk)
        .with_status(404)
        .with_body(fixture("v2_get_brands_id__404_NotFound.json"))
        .create_async()
        .await;
    let c = client(&server, pk);
    let all: Vec<_> = c.brands().try_collect().await.expect("list");
    assert_eq!(all[0].domain, "sendcloud-shop");
    assert!(all[0].features.tracking_page);
    let b = c.get_brand(1).await.expect("get");
    assert_eq!(
        b.screen_logo.url.as_deref(),
        Some("https://media.sendcloud.sc/brands/1/Sendcloud.png")
    );
    assert_eq!(b.overlay_logo.url, None);
    let err = c.get_brand(184).await.expect_err("404");
    assert!(err
        .to_string()
        .contains("No Brand matches the given query."));
    list.assert_async().await;
    one.assert_async().await;
    missing.assert_async().await;
}

// ------------------------------------------------------------ integrations

#[tokio::test]
async fn integrations_list_get_put_patch() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-integrations";
    let list = json_mock(&mut server, "GET", "/api/v2/integrations", pk)
        .match_query(Matcher::Exact("ordering=shop_name".into()))
        .with_body(fixture(
            "v2_get_integrations__200_RetrieveIntegrationList.json",
        ))
        .create_async()
        .await;
    let one = json_mock(&mut server, "GET", "/api/v2/integrations/123", pk)
        .with_body(fixture(
            "v2_get_integrations_id__200_RetrieveIntegration.json",
        ))
        .create_async()
        .await;
    let put = json_mock(&mut server, "PUT", "/api/v2/integrations/123", pk)
        .match_body(Matcher::Json(fixture_json(
            "v2_put_integrations_id__req_UpdateIntegration.json",
        )))
        .with_body(fixture(
            "v2_put_integrations_id__200_UpdateIntegration.json",
        ))
        .create_async()
        .await;
    let patch = json_mock(&mut server, "PATCH", "/api/v2/integrations/123", pk)
        .match_body(Matcher::Json(fixture_json(
            "v2_patch_integrations_id__req_partial_update.json",
        )))
        .with_body(fixture("v2_patch_integrations_id__200_partial_update.json"))
        .create_async()
        .await;
    let c = client(&server, pk);
    let all = c.list_integrations(Some("shop_name")).await.expect("list");
    assert_eq!(all[0].id, Some(123));
    assert!(all[0].last_fetch.is_some());
    let i = c.get_integration(123).await.expect("get");
    assert_eq!(i.service_point_carriers, vec!["ups".to_string()]);
    let full: IntegrationUpdate = serde_json::from_value(fixture_json(
        "v2_put_integrations_id__req_UpdateIntegration.json",
    ))
    .expect("parse");
    let updated = c.replace_integration(123, &full).await.expect("put");
    assert_eq!(updated.shop_name, "Integration #1");
    assert_eq!(updated.id, None);
    let partial = IntegrationUpdate {
        service_point_enabled: Some(true),
        service_point_carriers: Some(vec!["ups".into()]),
        ..Default::default()
    };
    let patched = c.update_integration(123, &partial).await.expect("patch");
    assert!(patched.service_point_enabled);
    list.assert_async().await;
    one.assert_async().await;
    put.assert_async().await;
    patch.assert_async().await;
}

// ---------------------------------------------------------- service points

#[tokio::test]
async fn service_points_on_their_own_host() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-sp";
    let list = json_mock(&mut server, "GET", "/sp/api/v2/service-points", pk)
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("country".into(), "NL".into()),
            Matcher::UrlEncoded("carrier".into(), "postnl,dpd".into()),
            Matcher::UrlEncoded("postal_code".into(), "5611 EM".into()),
            Matcher::UrlEncoded("radius".into(), "2000".into()),
            Matcher::UrlEncoded("weight".into(), "2.5".into()),
            Matcher::UrlEncoded("general_shop_type".into(), "servicepoint,locker".into()),
        ]))
        .with_body(fixture(
            "v2_get_service_points__200_RetrieveServicePoints.json",
        ))
        .create_async()
        .await;
    let mut single =
        fixture_json("v2_get_service_points_service_point_id__200_RetrieveServicePoint.json");
    single["id"] = json!("26"); // id as a string is tolerated
    let one = json_mock(&mut server, "GET", "/sp/api/v2/service-points/26", pk)
        .with_body(single.to_string())
        .create_async()
        .await;
    let c = client(&server, pk);
    let filter = ServicePointFilter {
        country: "NL".into(),
        carriers: vec!["postnl".into(), "dpd".into()],
        postal_code: Some("5611 EM".into()),
        radius: Some(2000),
        weight: Some(dec("2.50")),
        general_shop_types: vec!["servicepoint".into(), "locker".into()],
        ..Default::default()
    };
    let points = c.list_service_points(&filter).await.expect("list");
    assert_eq!(points[0].id, 10875349);
    assert_eq!(points[0].latitude, Some(dec("51.441444")));
    assert_eq!(
        points[0].formatted_opening_times["0"],
        vec!["10:00 - 20:00".to_string()]
    );
    assert_eq!(points[0].distance, Some(dec("381")));
    let p = c.get_service_point(26).await.expect("get");
    assert_eq!(p.id, 26);
    list.assert_async().await;
    one.assert_async().await;
}

// ---------------------------------------------------------------- v3 orders

#[tokio::test]
async fn orders_upsert_sends_spec_body() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-orders";
    let request = fixture_json("v3_post_orders__req_UpdateBatchOrders.json");
    let m = json_mock(&mut server, "POST", "/api/v3/orders", pk)
        .match_body(Matcher::Json(request.clone()))
        .with_status(201)
        .with_body(fixture("v3_post_orders__201_BatchOrderCreation.json"))
        .expect(1)
        .create_async()
        .await;
    let orders: Vec<Order> = serde_json::from_value(request).expect("orders parse");
    let result = client(&server, pk)
        .upsert_orders(&orders)
        .await
        .expect("upsert");
    assert_eq!(result.len(), 2);
    assert_eq!(result[1].id, 1337);
    assert_eq!(result[1].order_id, "555414");
    m.assert_async().await;
}

#[tokio::test]
async fn orders_upsert_international_roundtrip_and_500_retry() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-orders-retry";
    let request = fixture_json("v3_post_orders__req_CreateInternationalOrder.json");
    let failing = json_mock(&mut server, "POST", "/api/v3/orders", pk)
        .match_body(Matcher::Json(request.clone()))
        .with_status(503)
        .expect(1)
        .create_async()
        .await;
    let ok = json_mock(&mut server, "POST", "/api/v3/orders", pk)
        .match_body(Matcher::Json(request.clone()))
        .with_status(201)
        .with_body(fixture("v3_post_orders__201_SingleOrderCreation.json"))
        .expect(1)
        .create_async()
        .await;
    let orders: Vec<Order> = serde_json::from_value(request).expect("orders parse");
    let result = client(&server, pk)
        .upsert_orders(&orders)
        .await
        .expect("upsert");
    assert_eq!(result[0].id, 664);
    failing.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn orders_upsert_refuses_more_than_100() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-orders-101";
    let m = server
        .mock("POST", Matcher::Any)
        .expect(0)
        .create_async()
        .await;
    let request = fixture_json("v3_post_orders__req_CreateBasicOrder.json");
    let order: Order = serde_json::from_value(request[0].clone()).expect("order");
    let orders = vec![order; 101];
    let err = client(&server, pk)
        .upsert_orders(&orders)
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)));
    m.assert_async().await;
}

#[tokio::test]
async fn orders_v3_errors_are_readable() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-orders-400";
    let m = json_mock(&mut server, "POST", "/api/v3/orders", pk)
        .with_status(400)
        .with_body(fixture("v3_post_orders__400_MultipleValidationErrors.json"))
        .expect(1)
        .create_async()
        .await;
    let request = fixture_json("v3_post_orders__req_CreateBasicOrder.json");
    let orders: Vec<Order> = serde_json::from_value(request).expect("orders");
    let err = client(&server, pk)
        .upsert_orders(&orders)
        .await
        .expect_err("400");
    assert_eq!(
        err.to_string(),
        "Sendcloud rejected the request: [0].shipping_details.ship_with.properties: Field required; [0].shipping_details.ship_with.type: Field required"
    );
    m.assert_async().await;
}

#[tokio::test]
async fn orders_list_follows_link_header() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-orders-list";
    let body = fixture_json("v3_get_orders__200_Response.json");
    let first = json!({"data": [body["data"][0].clone()]});
    let second = json!({"data": [body["data"][1].clone()]});
    let p1 = json_mock(&mut server, "GET", "/api/v3/orders", pk)
        .match_query(Matcher::Exact("integration=739283&page_size=1".into()))
        .with_header(
            "link",
            "<https://panel.sendcloud.sc/v3/orders?cursor=cj0xJnA9MzAw&page_size=1>; rel=\"next\"",
        )
        .with_body(first.to_string())
        .expect(1)
        .create_async()
        .await;
    let p2 = json_mock(&mut server, "GET", "/api/v3/orders", pk)
        .match_query(Matcher::Exact(
            "integration=739283&page_size=1&cursor=cj0xJnA9MzAw".into(),
        ))
        .with_header(
            "link",
            "<https://panel.sendcloud.sc/v3/orders?cursor=abc&page_size=1>; rel=\"prev\"",
        )
        .with_body(second.to_string())
        .expect(1)
        .create_async()
        .await;
    let filter = OrderFilter {
        integrations: vec![739283],
        page_size: Some(1),
        ..Default::default()
    };
    let orders: Vec<Order> = client(&server, pk)
        .orders(&filter)
        .try_collect()
        .await
        .expect("orders");
    assert_eq!(orders.len(), 2);
    assert_eq!(orders[0].id.as_deref(), Some("669"));
    assert_eq!(orders[1].order_id, "555414");
    assert_eq!(
        orders[0]
            .payment_details
            .discount_granted
            .as_ref()
            .map(|c| c.value),
        Some(dec("3.99"))
    );
    p1.assert_async().await;
    p2.assert_async().await;
}

#[tokio::test]
async fn nulls_and_unknown_fields_are_tolerated() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-nulls";
    let mut body = fixture_json("v2_get_user_addresses_sender__200_RetrieveSenderAddresses.json");
    body["sender_addresses"][0]["telephone"] = Value::Null;
    body["sender_addresses"][0]["brand_id"] = Value::Null;
    body["sender_addresses"][0]["new_field_2030"] = json!([1, 2]);
    let m = json_mock(&mut server, "GET", "/api/v2/user/addresses/sender", pk)
        .with_body(body.to_string())
        .create_async()
        .await;
    let all = client(&server, pk)
        .list_sender_addresses()
        .await
        .expect("list");
    assert_eq!(all[0].telephone, "");
    assert_eq!(all[0].brand_id, None);
    m.assert_async().await;
}

#[tokio::test]
async fn create_with_unreadable_answer_is_looked_up() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-idem-garbage";
    let post = json_mock(&mut server, "POST", "/api/v2/parcels", pk)
        .match_query(Matcher::Any)
        .with_body("{\"parcel\": {\"id\": 3, ")
        .expect(1)
        .create_async()
        .await;
    let lookup = json_mock(&mut server, "GET", "/api/v2/parcels", pk)
        .match_query(Matcher::Exact("external_reference=ORDER-46".into()))
        .with_body(found_parcel_list("ORDER-46"))
        .expect(1)
        .create_async()
        .await;
    let p = client(&server, pk)
        .create_parcel_idempotent(&idempotent_parcel("ORDER-46"))
        .await
        .expect("found");
    assert_eq!(p.external_reference.as_deref(), Some("ORDER-46"));
    post.assert_async().await;
    lookup.assert_async().await;
}

#[tokio::test]
async fn updates_are_not_retried_after_5xx() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-put-500";
    let put = json_mock(&mut server, "PUT", "/api/v2/parcels", pk)
        .with_status(503)
        .expect(1)
        .create_async()
        .await;
    let patch = json_mock(&mut server, "PATCH", "/api/v2/integrations/123", pk)
        .with_status(500)
        .expect(1)
        .create_async()
        .await;
    let c = client(&server, pk);
    let err = c.announce_parcel(3).await.expect_err("503");
    assert!(matches!(err, Error::Server { status: 503, .. }), "{err:?}");
    let err = c
        .update_integration(123, &IntegrationUpdate::default())
        .await
        .expect_err("500");
    assert!(matches!(err, Error::Server { status: 500, .. }), "{err:?}");
    put.assert_async().await;
    patch.assert_async().await;
}

#[tokio::test]
async fn connection_refused_is_reported_readably() {
    // A port nobody listens on: bind, read the port, drop the listener.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let mut cfg = ClientConfig::new(Credentials::new("pk-refused", SECRET));
    cfg.api_base = format!("http://127.0.0.1:{port}/api");
    cfg.retry.max_attempts = 2;
    cfg.retry.base_delay = Duration::from_millis(1);
    let err = SendcloudClient::new(cfg)
        .expect("client")
        .parcel_statuses()
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(err.to_string().starts_with("Could not reach Sendcloud"));
    assert!(!format!("{err:?}").contains(SECRET));
}

#[tokio::test]
async fn requests_wait_for_the_account_limiter() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-limited";
    let m = json_mock(&mut server, "POST", "/api/v2/labels", pk)
        .with_body(fixture("v2_post_labels__200_BulkPDFLabels.json"))
        .expect(3)
        .create_async()
        .await;
    let mut cfg = config(&server, pk);
    // One write at once, then one every 60 s / 599 ≈ 100 ms.
    cfg.rate_limits = sendcloud_plugin::sendcloud::RateLimits {
        reads_per_minute: 1000,
        read_burst: 50,
        writes_per_minute: 600,
        write_burst: 1,
    };
    let a = SendcloudClient::new(cfg.clone()).expect("client a");
    let b = SendcloudClient::new(cfg).expect("client b");
    let started = std::time::Instant::now();
    a.bulk_label_urls(&[1, 2, 3]).await.expect("first");
    b.bulk_label_urls(&[1, 2, 3]).await.expect("second");
    a.bulk_label_urls(&[1, 2, 3]).await.expect("third");
    // Two waits of ~100 ms, shared by both clients of the account.
    assert!(
        started.elapsed() >= Duration::from_millis(180),
        "limiter not applied: {:?}",
        started.elapsed()
    );
    m.assert_async().await;
}

// ------------------------------------------------- defect 4 of issue 8

#[tokio::test]
async fn orders_still_processing_is_retried_not_rejected() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-orders-busy";
    let busy = json_mock(&mut server, "POST", "/api/v3/orders", pk)
        .with_status(400)
        .with_body(fixture("v3_post_orders__400_DuplicateOrderProcessing.json"))
        .expect(1)
        .create_async()
        .await;
    let ok = json_mock(&mut server, "POST", "/api/v3/orders", pk)
        .with_status(201)
        .with_body(fixture("v3_post_orders__201_SingleOrderCreation.json"))
        .expect(1)
        .create_async()
        .await;
    let request = fixture_json("v3_post_orders__req_CreateInternationalOrder.json");
    let orders: Vec<Order> = serde_json::from_value(request).expect("orders parse");
    let result = client(&server, pk)
        .upsert_orders(&orders)
        .await
        .expect("the second attempt is accepted");
    assert_eq!(result[0].id, 664);
    busy.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn orders_still_processing_after_the_retries_is_no_rejection() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-orders-busy-always";
    let busy = json_mock(&mut server, "POST", "/api/v3/orders", pk)
        .with_status(400)
        .with_body(fixture("v3_post_orders__400_DuplicateOrderProcessing.json"))
        .expect(4)
        .create_async()
        .await;
    let request = fixture_json("v3_post_orders__req_CreateBasicOrder.json");
    let orders: Vec<Order> = serde_json::from_value(request).expect("orders parse");
    let err = client(&server, pk)
        .upsert_orders(&orders)
        .await
        .expect_err("still processing");
    assert!(err.is_still_processing(), "{err:?}");
    assert!(err.field_errors().is_empty(), "not a validation error");
    busy.assert_async().await;
}

#[tokio::test]
async fn order_timestamps_go_out_with_at_most_microseconds() {
    let mut server = mockito::Server::new_async().await;
    let pk = "pk-orders-micros";
    let m = json_mock(&mut server, "POST", "/api/v3/orders", pk)
        .match_body(Matcher::AllOf(vec![
            Matcher::Regex(r#""order_created_at":"2026-11-24T10:15:24\.005412Z""#.into()),
            Matcher::Regex(r#""order_updated_at":"2026-11-24T10:15:25\.100Z""#.into()),
        ]))
        .with_status(201)
        .with_body(fixture("v3_post_orders__201_SingleOrderCreation.json"))
        .expect(1)
        .create_async()
        .await;
    let request = fixture_json("v3_post_orders__req_CreateBasicOrder.json");
    let mut orders: Vec<Order> = serde_json::from_value(request).expect("orders parse");
    let at = |s: &str| ApiDateTime::Zoned(chrono::DateTime::parse_from_rfc3339(s).expect("date"));
    orders[0].order_details.order_created_at = at("2026-11-24T10:15:24.005412041Z");
    orders[0].order_details.order_updated_at = Some(at("2026-11-24T10:15:25.100000999Z"));
    client(&server, pk)
        .upsert_orders(&orders)
        .await
        .expect("upsert");
    m.assert_async().await;
}

// ------------------------------------------- one connection pool (issue 8)

/// A TCP forwarder to `target` (host:port) that counts accepted connections.
async fn counting_proxy(target: String) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let addr = listener.local_addr().expect("proxy addr");
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(&target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (format!("http://{addr}"), count)
}

/// A Sendcloud double answering `GET /api/v2/user/addresses/sender` with
/// the spec example and keeping connections alive (mockito closes them);
/// records the `Authorization` header of every request.
async fn keep_alive_sendcloud() -> (
    String,
    Arc<std::sync::Mutex<Vec<String>>>,
    actix_web::dev::ServerHandle,
) {
    use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let body = fixture("v2_get_user_addresses_sender__200_RetrieveSenderAddresses.json");
    let (addr, handle) = serve_double!(HttpServer::new(move || {
        let (log, body) = (log.clone(), body.clone());
        App::new().route(
            "/api/v2/user/addresses/sender",
            web::get().to(move |req: HttpRequest| {
                let (log, body) = (log.clone(), body.clone());
                async move {
                    let auth = req
                        .headers()
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    log.lock().expect("log").push(auth);
                    HttpResponse::Ok()
                        .content_type("application/json")
                        .body(body)
                }
            }),
        )
    }));
    (addr.to_string(), seen, handle)
}

/// Two companies' clients, each with its own keys, making requests in turn;
/// returns how many TCP connections they opened.
async fn connections_of_two_companies(
    build: impl Fn(ClientConfig) -> SendcloudClient,
) -> (usize, SendcloudClient, SendcloudClient) {
    let (target, seen, server) = keep_alive_sendcloud().await;
    let (proxy, connections) = counting_proxy(target).await;
    let keys = ["pk-pool-company-1", "pk-pool-company-2"];
    let clients: Vec<SendcloudClient> = keys
        .iter()
        .map(|pk| {
            let mut cfg = ClientConfig::new(Credentials::new(*pk, SECRET));
            cfg.api_base = format!("{proxy}/api");
            cfg.rate_limits.reads_per_minute = 100_000;
            build(cfg)
        })
        .collect();
    for _ in 0..2 {
        for c in &clients {
            c.list_sender_addresses().await.expect("list");
        }
    }
    server.stop(false).await;
    // Each request carried its own company's keys.
    let expected: Vec<String> = [keys, keys].concat().iter().map(|pk| auth(pk)).collect();
    assert_eq!(*seen.lock().expect("log"), expected);
    let n = connections.load(std::sync::atomic::Ordering::SeqCst);
    let mut clients = clients.into_iter();
    let (a, b) = (clients.next().expect("a"), clients.next().expect("b"));
    (n, a, b)
}

#[tokio::test]
async fn companies_share_one_connection_pool_and_keep_their_keys() {
    let pool = sendcloud_plugin::sendcloud::HttpPool::new().expect("pool");
    let (shared, a, b) =
        connections_of_two_companies(|cfg| SendcloudClient::with_pool(cfg, &pool).expect("client"))
            .await;
    assert_eq!(shared, 1, "one keep-alive connection for both companies");
    assert!(a.pool().same_as(b.pool()) && a.pool().same_as(&pool));
    assert_ne!(
        a.config().credentials.public_key(),
        b.config().credentials.public_key()
    );
    assert!(
        !Arc::ptr_eq(a.limiter(), b.limiter()),
        "each account keeps its own limiter"
    );
    // The control: clients with pools of their own open one connection each.
    let (separate, a, b) =
        connections_of_two_companies(|cfg| SendcloudClient::new(cfg).expect("client")).await;
    assert_eq!(separate, 2);
    assert!(!a.pool().same_as(b.pool()));
}
