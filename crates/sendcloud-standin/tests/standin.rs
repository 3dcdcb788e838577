//! Tests of the Sendcloud stand-in server (`sendcloud_standin`), driven over HTTP with
//! `reqwest` against a stand-in spawned per test. No sleeping: state is advanced through the
//! control API.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use sendcloud_standin::{
    python_json, sign_webhook, spawn, AccountKeys, RateLimitConfig, StandinConfig, StandinHandle,
};

fn config() -> StandinConfig {
    StandinConfig {
        rate_limits: false,
        page_size: 20,
        ..StandinConfig::default()
    }
}

async fn start() -> (StandinHandle, AccountKeys, Client) {
    let h = spawn(config()).await.expect("stand-in starts");
    let keys = h.standin().demo_keys().expect("demo account");
    (h, keys, Client::new())
}

async fn get(c: &Client, k: &AccountKeys, url: &str) -> (StatusCode, Value) {
    let r = c
        .get(url)
        .basic_auth(&k.public_key, Some(&k.secret_key))
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn send(
    c: &Client,
    k: &AccountKeys,
    method: reqwest::Method,
    url: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let r = c
        .request(method, url)
        .basic_auth(&k.public_key, Some(&k.secret_key))
        .json(body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn post(c: &Client, k: &AccountKeys, url: &str, body: &Value) -> (StatusCode, Value) {
    send(c, k, reqwest::Method::POST, url, body).await
}

async fn control(c: &Client, h: &StandinHandle, path: &str, body: Value) -> Value {
    let r = c
        .post(format!("{}/_standin{path}", h.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "control {path}: {}", r.status());
    r.json().await.unwrap()
}

fn parcel(address: &str, extra: Value) -> Value {
    let mut p = json!({
        "name": "Anna Schmidt",
        "address": address,
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
        "weight": "2.5",
        "order_number": "B-1",
    });
    if let (Some(p), Some(extra)) = (p.as_object_mut(), extra.as_object()) {
        p.extend(extra.clone());
    }
    p
}

fn assert_dmy(s: &Value) {
    let s = s.as_str().expect("date string");
    assert!(
        chrono::NaiveDateTime::parse_from_str(s, "%d-%m-%Y %H:%M:%S").is_ok(),
        "not DD-MM-YYYY HH:MM:SS: {s}"
    );
}

/// A small receiving server recording (signature header, body) pairs.
type Received = Arc<Mutex<Vec<(String, String)>>>;

async fn receiver() -> (String, Received, actix_web::dev::ServerHandle) {
    let got: Received = Arc::new(Mutex::new(Vec::new()));
    let g = got.clone();
    let server = HttpServer::new(move || {
        let g = g.clone();
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
            let g = g.clone();
            async move {
                let sig = req
                    .headers()
                    .get("Sendcloud-Signature")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                g.lock()
                    .unwrap()
                    .push((sig, String::from_utf8_lossy(&body).to_string()));
                HttpResponse::Ok().finish()
            }
        }))
    })
    .workers(1)
    .disable_signals()
    .bind("127.0.0.1:0")
    .unwrap();
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    (format!("http://{addr}/hook"), got, handle)
}

#[tokio::test]
async fn standin_rejects_wrong_keys_with_401() {
    let (h, keys, c) = start().await;
    let url = format!("{}/user/addresses/sender", h.v2_url());
    let bad = AccountKeys {
        secret_key: "wrong".into(),
        ..keys.clone()
    };
    let (s, body) = get(&c, &bad, &url).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], 401);
    assert_eq!(body["error"]["request"], "api/v2/user/addresses/sender");
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (s, _) = get(&c, &keys, &url).await;
    assert_eq!(s, StatusCode::OK);
    h.stop().await;
}

#[tokio::test]
async fn standin_sender_addresses_have_the_documented_shape() {
    let (h, keys, c) = start().await;
    let (s, body) = get(&c, &keys, &format!("{}/user/addresses/sender", h.v2_url())).await;
    assert_eq!(s, StatusCode::OK);
    let list = body["sender_addresses"].as_array().unwrap();
    let countries: Vec<&str> = list
        .iter()
        .map(|a| a["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["DE", "NL", "AT"]);
    let mut fields: Vec<&str> = list[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "brand_id",
            "city",
            "company_name",
            "contact_name",
            "country",
            "country_state",
            "email",
            "eori_number",
            "house_number",
            "id",
            "label",
            "postal_box",
            "postal_code",
            "signature_full_name",
            "signature_initials",
            "street",
            "telephone",
            "vat_number"
        ]
    );
    let id = list[1]["id"].as_u64().unwrap();
    let (s, one) = get(
        &c,
        &keys,
        &format!("{}/user/addresses/sender/{id}", h.v2_url()),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(one["sender_address"]["city"], "Eindhoven");
    let (s, nf) = get(
        &c,
        &keys,
        &format!("{}/user/addresses/sender/999999", h.v2_url()),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        nf["error"]["message"],
        "No sender address matches the given query."
    );
    h.stop().await;
}

#[tokio::test]
async fn standin_shipping_methods_filter_and_page() {
    let (h, keys, c) = start().await;
    let v2 = h.v2_url();
    let (_, all) = get(
        &c,
        &keys,
        &format!("{v2}/shipping_methods?sender_address=all"),
    )
    .await;
    let all = all["shipping_methods"].as_array().unwrap().clone();
    assert!(all.len() >= 10);
    for m in &all {
        let w = m["min_weight"].as_str().unwrap();
        assert_eq!(w.split('.').nth(1).unwrap().len(), 3, "{w}");
        assert!(m["max_weight"].as_str().unwrap().contains('.'));
        assert_eq!(m["price"], 0);
        assert!(["required", "none"].contains(&m["service_point_input"].as_str().unwrap()));
    }
    // Disabled method is never listed.
    assert!(all.iter().all(|m| m["id"] != 1801));
    let (_, sp) = get(
        &c,
        &keys,
        &format!("{v2}/shipping_methods?service_point_id=123&to_country=DE"),
    )
    .await;
    let sp = sp["shipping_methods"].as_array().unwrap();
    assert!(!sp.is_empty());
    assert!(sp.iter().all(|m| m["service_point_input"] == "required"));
    assert!(sp
        .iter()
        .all(|m| m["countries"].as_array().unwrap().len() == 1));
    let (_, ret) = get(&c, &keys, &format!("{v2}/shipping_methods?is_return=true")).await;
    assert!(ret["shipping_methods"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["name"].as_str().unwrap().contains("Retour")));
    // Paging only with limit.
    let (_, p1) = get(
        &c,
        &keys,
        &format!("{v2}/shipping_methods?sender_address=all&limit=4"),
    )
    .await;
    assert_eq!(p1["shipping_methods"].as_array().unwrap().len(), 4);
    let next = p1["next"].as_str().unwrap().to_string();
    let (_, p2) = get(&c, &keys, &next).await;
    assert_eq!(p2["shipping_methods"][0], all[4]);
    let (s, one) = get(&c, &keys, &format!("{v2}/shipping_methods/1301")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(one["shipping_method"]["carrier"], "dhl_de");
    let (s, nf) = get(&c, &keys, &format!("{v2}/shipping_methods/0")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(nf["error"]["message"], "Not found.");
    let (_, statuses) = get(&c, &keys, &format!("{v2}/parcels/statuses")).await;
    assert!(statuses
        .as_array()
        .unwrap()
        .contains(&json!({"id": 1000, "message": "Ready to send"})));
    h.stop().await;
}

#[tokio::test]
async fn standin_creates_announced_and_unannounced_parcels() {
    let (h, keys, c) = start().await;
    let url = format!("{}/parcels", h.v2_url());
    let (s, body) = post(
        &c,
        &keys,
        &url,
        &json!({"parcel": parcel("Hauptstraße 5a", json!({
            "request_label": true, "shipment": {"id": 1301}, "external_reference": "ext-1"}))}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let p = &body["parcel"];
    assert_eq!(p["status"], json!({"id": 1000, "message": "Ready to send"}));
    assert_eq!(
        p["address_divided"],
        json!({"street": "Hauptstraße", "house_number": "5a"})
    );
    assert_eq!(p["weight"], "2.500");
    assert_eq!(p["country"]["iso_3"], "DEU");
    assert_eq!(p["carrier"]["code"], "dhl_de");
    assert!(!p["tracking_number"].as_str().unwrap().is_empty());
    assert!(p["tracking_url"]
        .as_str()
        .unwrap()
        .starts_with("https://tracking.sendcloud.sc/forward?carrier=dhl_de"));
    assert_eq!(p["label"]["normal_printer"].as_array().unwrap().len(), 4);
    assert_dmy(&p["date_created"]);
    assert_dmy(&p["date_announced"]);
    let id = p["id"].as_u64().unwrap();
    let (s, got) = get(&c, &keys, &format!("{url}/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(got["parcel"]["external_reference"], "ext-1");

    // Without a label: status 999, no label, explicit house number.
    let (s, body) = post(
        &c,
        &keys,
        &url,
        &json!({"parcel": parcel("Hauptstraße", json!({"house_number": "7", "request_label": false}))}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["parcel"]["status"]["id"], 999);
    assert_eq!(body["parcel"]["status"]["message"], "No label");
    assert_eq!(body["parcel"]["label"], Value::Null);
    assert_eq!(body["parcel"]["address"], "Hauptstraße 7");
    // Announce it later with PUT.
    let pid = body["parcel"]["id"].as_u64().unwrap();
    let (s, upd) = send(
        &c,
        &keys,
        reqwest::Method::PUT,
        &url,
        &json!({"parcel": {"id": pid, "request_label": true, "shipment": {"id": 1401}}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{upd}");
    assert_eq!(upd["parcel"]["status"]["id"], 1000);
    assert_eq!(upd["parcel"]["carrier"]["code"], "dpd");
    // Announced parcels can no longer be updated.
    let (s, _) = send(
        &c,
        &keys,
        reqwest::Method::PUT,
        &url,
        &json!({"parcel": {"id": pid, "name": "X"}}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    h.stop().await;
}

#[tokio::test]
async fn standin_validates_parcels_like_sendcloud() {
    let (h, keys, c) = start().await;
    let url = format!("{}/parcels", h.v2_url());
    // House number missing and not in the street.
    let (s, body) = post(
        &c,
        &keys,
        &url,
        &json!({"parcel": parcel("Hauptstraße", json!({}))}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "house_number: \"This field cannot be blank.\""
    );
    assert_eq!(body["error"]["request"], "api/v2/parcels");
    // "" also triggers extraction.
    let (s, _) = post(
        &c,
        &keys,
        &url,
        &json!({"parcel": parcel("Hauptstraße 3", json!({"house_number": ""}))}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // Unknown and disabled shipping methods.
    for id in [424242, 1801] {
        let (s, body) = post(
            &c,
            &keys,
            &url,
            &json!({"parcel": parcel("Hauptstraße 3", json!({"shipment": {"id": id}, "request_label": true}))}),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["error"]["message"],
            "shipping_method: \"Invalid shipping method\""
        );
    }
    // Required fields.
    let (s, body) = post(&c, &keys, &url, &json!({"parcel": {"name": "X"}})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let msg = body["error"]["message"].as_str().unwrap();
    for f in ["address", "city", "postal_code", "country"] {
        assert!(
            msg.contains(&format!("{f}: \"This field is required.\"")),
            "{msg}"
        );
    }
    // Malformed JSON.
    let r = c
        .post(&url)
        .basic_auth(&keys.public_key, Some(&keys.secret_key))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], 400);
    h.stop().await;
}

#[tokio::test]
async fn standin_answers_412_without_sender_address() {
    let (h, _, c) = start().await;
    let keys: AccountKeys = serde_json::from_value(
        control(
            &c,
            &h,
            "/accounts",
            json!({"name": "Empty", "sender_address": false}),
        )
        .await,
    )
    .unwrap();
    let (s, body) = post(
        &c,
        &keys,
        &format!("{}/parcels", h.v2_url()),
        &json!({"parcel": parcel("Hauptstraße 3", json!({}))}),
    )
    .await;
    assert_eq!(s, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        body,
        json!({"error": {"code": 412, "request": "api/v2/parcels", "message": "User has no address data"}})
    );
    h.stop().await;
}

#[tokio::test]
async fn standin_verbose_errors_and_duplicate_external_reference() {
    let (h, keys, c) = start().await;
    let url = format!("{}/parcels", h.v2_url());
    let batch = json!({"parcels": [
        parcel("Hauptstraße 1", json!({"external_reference": "a"})),
        parcel("Hauptstraße", json!({"external_reference": "b"})),
    ]});
    // Without errors=verbose one bad parcel fails the whole request.
    let (s, _) = post(&c, &keys, &url, &batch).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (_, list) = get(&c, &keys, &url).await;
    assert_eq!(list["parcels"].as_array().unwrap().len(), 0);
    // With it, the good one is created and the bad one reported.
    let (s, body) = post(&c, &keys, &format!("{url}?errors=verbose"), &batch).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["parcels"].as_array().unwrap().len(), 1);
    assert_eq!(body["parcels"][0]["external_reference"], "a");
    let failed = body["failed_parcels"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["parcel"]["external_reference"], "b");
    assert_eq!(
        failed[0]["errors"]["house_number"],
        json!(["This field cannot be blank."])
    );
    // "a" exists now: a duplicate is a field error.
    let (s, body) = post(
        &c,
        &keys,
        &url,
        &json!({"parcel": parcel("Hauptstraße 9", json!({"external_reference": "a"}))}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("external_reference: "));
    let (_, found) = get(&c, &keys, &format!("{url}?external_reference=a")).await;
    assert_eq!(found["parcels"].as_array().unwrap().len(), 1);
    h.stop().await;
}

#[tokio::test]
async fn standin_paging_follows_next_through_all_parcels_once() {
    let (h, keys, c) = start().await;
    control(
        &c,
        &h,
        &format!("/accounts/{}/seed", keys.account_id),
        json!({"parcels": 137}),
    )
    .await;
    let mut url = format!("{}/parcels", h.v2_url());
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let (s, body) = get(&c, &keys, &url).await;
        assert_eq!(s, StatusCode::OK);
        pages += 1;
        let page = body["parcels"].as_array().unwrap();
        assert!(page.len() <= 20);
        seen.extend(page.iter().map(|p| p["id"].as_u64().unwrap()));
        match body["next"].as_str() {
            Some(next) => {
                assert!(next.contains("cursor="));
                url = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 7);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 137);
    assert_eq!(seen.len(), 137);
    // previous of the last page leads back to the page before it.
    let (_, last) = get(&c, &keys, &url).await;
    let (_, before) = get(&c, &keys, last["previous"].as_str().unwrap()).await;
    assert_eq!(before["parcels"].as_array().unwrap().len(), 20);
    assert_eq!(
        before["parcels"][19]["id"].as_u64().unwrap() + 1,
        last["parcels"][0]["id"].as_u64().unwrap()
    );
    // Filters survive paging.
    let (_, delivered) = get(
        &c,
        &keys,
        &format!("{}/parcels?parcel_status=11", h.v2_url()),
    )
    .await;
    assert!(delivered["parcels"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["status"]["id"] == 11));
    if let Some(next) = delivered["next"].as_str() {
        assert!(next.contains("parcel_status=11"));
    }
    // Bad cursor.
    let (s, body) = get(&c, &keys, &format!("{}/parcels?cursor=bogus!", h.v2_url())).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!({"error": {"code": 404, "request": "api/v2/parcels", "message": "Invalid cursor"}})
    );
    h.stop().await;
}

#[tokio::test]
async fn standin_updated_after_filters_parcels() {
    let (h, keys, c) = start().await;
    let url = format!("{}/parcels", h.v2_url());
    let (_, a) = post(
        &c,
        &keys,
        &url,
        &json!({"parcel": parcel("Weg 1", json!({}))}),
    )
    .await;
    let after = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let (_, none) = get(
        &c,
        &keys,
        &format!("{url}?updated_after={}", urlencode(&after)),
    )
    .await;
    assert_eq!(none["parcels"].as_array().unwrap().len(), 0);
    let (_, some) = get(
        &c,
        &keys,
        &format!("{url}?updated_after=2000-01-01T00:00:00"),
    )
    .await;
    assert_eq!(some["parcels"][0]["id"], a["parcel"]["id"]);
    let (s, _) = get(&c, &keys, &format!("{url}?updated_after=yesterday")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    h.stop().await;
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn standin_cancel_outcomes() {
    let (h, keys, c) = start().await;
    let url = format!("{}/parcels", h.v2_url());
    let create = |label: bool| {
        let c = c.clone();
        let keys = keys.clone();
        let url = url.clone();
        async move {
            let (_, b) = post(
                &c,
                &keys,
                &url,
                &json!({"parcel": parcel("Hauptstraße 3", json!({"request_label": label, "shipment": {"id": 1301}}))}),
            )
            .await;
            b["parcel"]["id"].as_u64().unwrap()
        }
    };
    let cancel = |id: u64| {
        let c = c.clone();
        let keys = keys.clone();
        let url = url.clone();
        async move { post(&c, &keys, &format!("{url}/{id}/cancel"), &json!({})).await }
    };
    // Unannounced → deleted.
    let id = create(false).await;
    let (s, b) = cancel(id).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["status"], "deleted");
    assert_eq!(
        get(&c, &keys, &format!("{url}/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    // Ready to send → queued (202), completes on the next status step, then 400.
    let id = create(true).await;
    let (s, b) = cancel(id).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(b["status"], "queued");
    assert_eq!(
        get(&c, &keys, &format!("{url}/{id}")).await.1["parcel"]["status"]["id"],
        1999
    );
    control(&c, &h, "/advance", json!({"parcel_id": id})).await;
    assert_eq!(
        get(&c, &keys, &format!("{url}/{id}")).await.1["parcel"]["status"]["id"],
        2000
    );
    assert_eq!(cancel(id).await.0, StatusCode::BAD_REQUEST);
    // En route → cancelled (200).
    let id = create(true).await;
    control(&c, &h, "/advance", json!({"parcel_id": id})).await;
    let (s, b) = cancel(id).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        b,
        json!({"status": "cancelled", "message": "Parcel has been cancelled"})
    );
    // Delivered → 400.
    let id = create(true).await;
    control(&c, &h, "/advance", json!({"parcel_id": id, "steps": 3})).await;
    assert_eq!(
        get(&c, &keys, &format!("{url}/{id}")).await.1["parcel"]["status"]["id"],
        11
    );
    assert_eq!(cancel(id).await.0, StatusCode::BAD_REQUEST);
    // Announcement failed → 410.
    let id = create(true).await;
    control(
        &c,
        &h,
        &format!("/accounts/{}/parcels/{id}/status", keys.account_id),
        json!({"status": 1002}),
    )
    .await;
    assert_eq!(cancel(id).await.0, StatusCode::GONE);
    // Unknown → 404.
    assert_eq!(cancel(987654321).await.0, StatusCode::NOT_FOUND);
    h.stop().await;
}

fn assert_pdf(bytes: &[u8]) {
    assert!(bytes.starts_with(b"%PDF-"), "no PDF header");
    let text = String::from_utf8_lossy(bytes);
    assert!(text.trim_end().ends_with("%%EOF"), "no %%EOF");
    let startxref: usize = text
        .rsplit("startxref")
        .next()
        .unwrap()
        .trim()
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(bytes[startxref..].starts_with(b"xref"));
}

#[tokio::test]
async fn standin_serves_label_pdfs() {
    let (h, keys, c) = start().await;
    let (_, b) = post(
        &c,
        &keys,
        &format!("{}/parcels", h.v2_url()),
        &json!({"parcel": parcel("Hauptstraße 3", json!({"request_label": true, "shipment": {"id": 1301}}))}),
    )
    .await;
    let p = &b["parcel"];
    let id = p["id"].as_u64().unwrap();
    let fetch = |url: String| {
        let c = c.clone();
        let keys = keys.clone();
        async move {
            let r = c
                .get(&url)
                .basic_auth(&keys.public_key, Some(&keys.secret_key))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{url}");
            assert_eq!(r.headers()["content-type"], "application/pdf");
            r.bytes().await.unwrap().to_vec()
        }
    };
    let a6 = fetch(p["label"]["label_printer"].as_str().unwrap().to_string()).await;
    assert_pdf(&a6);
    assert!(String::from_utf8_lossy(&a6).contains("/MediaBox [0 0 298 420]"));
    let a4 = fetch(
        p["label"]["normal_printer"][2]
            .as_str()
            .unwrap()
            .to_string(),
    )
    .await;
    assert_pdf(&a4);
    assert!(String::from_utf8_lossy(&a4).contains("/MediaBox [0 0 595 842]"));
    assert_pdf(&fetch(p["documents"][0]["link"].as_str().unwrap().to_string()).await);
    assert_pdf(&fetch(format!("{}/label/label_printer/{id}", h.v2_url())).await);
    assert_pdf(
        &fetch(format!(
            "{}/labels/normal_printer?ids={id}&start_from=3",
            h.v2_url()
        ))
        .await,
    );
    let (s, bulk) = post(
        &c,
        &keys,
        &format!("{}/labels", h.v2_url()),
        &json!({"label": {"parcels": [id]}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_pdf(&fetch(bulk["label"]["label_printer"].as_str().unwrap().to_string()).await);
    let (s, l) = get(&c, &keys, &format!("{}/labels/{id}", h.v2_url())).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(l["customs_declaration"], json!({}));
    let (s, _) = get(
        &c,
        &keys,
        &format!("{}/labels/normal_printer/{id}?start_from=9", h.v2_url()),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    h.stop().await;
}

fn order(order_id: &str, integration: u64, number: &str) -> Value {
    json!({
        "order_id": order_id,
        "order_number": number,
        "order_details": {
            "integration": {"id": integration},
            "status": {"code": "fulfilled", "message": "Fulfilled"},
            "order_created_at": "2026-02-27T10:00:00.556Z",
            "order_items": [{"name": "Kerze", "quantity": 1, "total_price": {"value": 3.5, "currency": "EUR"}}]
        },
        "payment_details": {
            "total_price": {"value": 3.5, "currency": "EUR"},
            "status": {"code": "paid", "message": "Paid"}
        },
        "shipping_address": {"name": "Anna", "address_line_1": "Hauptstraße", "house_number": "1",
                             "postal_code": "10115", "city": "Berlin", "country_code": "DE"}
    })
}

#[tokio::test]
async fn standin_v3_orders_upsert_and_page() {
    let (h, keys, c) = start().await;
    let url = format!("{}/orders", h.v3_url());
    let batch = json!([
        order("A-1", keys.integration_id, "1001"),
        order("A-2", keys.integration_id, "1002")
    ]);
    let (s, first) = post(&c, &keys, &url, &batch).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    let (s, second) = post(&c, &keys, &url, &batch).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(first, second, "upsert keeps the ids");
    assert!(first["data"][0]["id"].is_u64());
    assert_eq!(first["data"][0]["order_number"], "1001");
    let (_, list) = get(&c, &keys, &url).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    // All-or-nothing: one bad order rejects the batch.
    let bad = json!([
        order("A-3", keys.integration_id, "1003"),
        order("A-4", 999_999, "1004")
    ]);
    let (s, err) = post(&c, &keys, &url, &bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        err["errors"][0]["source"]["pointer"],
        "/data/attributes/[1]/order_details/integration/id"
    );
    let (_, list) = get(&c, &keys, &url).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    let too_many: Vec<Value> = (0..101)
        .map(|i| order(&format!("X-{i}"), keys.integration_id, "x"))
        .collect();
    let (s, err) = post(&c, &keys, &url, &json!(too_many)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        err["errors"][0]["detail"],
        "Orders list should have at most 100 items, not 101"
    );
    let (s, err) = post(&c, &keys, &url, &json!({"order_id": "x"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(err["errors"][0]["code"], "non_field_errors");
    // Link-header paging.
    let more: Vec<Value> = (0..5)
        .map(|i| order(&format!("B-{i}"), keys.integration_id, &format!("2{i}")))
        .collect();
    assert_eq!(
        post(&c, &keys, &url, &json!(more)).await.0,
        StatusCode::CREATED
    );
    let mut next = Some(format!("{url}?page_size=3"));
    let mut ids = Vec::new();
    while let Some(u) = next.take() {
        let r = c
            .get(&u)
            .basic_auth(&keys.public_key, Some(&keys.secret_key))
            .send()
            .await
            .unwrap();
        next = r
            .headers()
            .get("link")
            .and_then(|l| l.to_str().ok())
            .and_then(|l| {
                l.split(", ")
                    .find(|p| p.ends_with("rel=\"next\""))
                    .map(|p| p[1..p.find('>').unwrap()].to_string())
            });
        let body: Value = r.json().await.unwrap();
        ids.extend(
            body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_u64().unwrap()),
        );
    }
    assert_eq!(ids.len(), 7);
    h.stop().await;
}

#[tokio::test]
async fn standin_enforces_rate_limits_with_429() {
    let h = spawn(StandinConfig {
        rate_limits: true,
        limits: RateLimitConfig {
            reads_per_minute: 5,
            writes_per_minute: 3,
            writes_per_second: 100,
        },
        ..config()
    })
    .await
    .unwrap();
    let keys = h.standin().demo_keys().unwrap();
    let c = Client::new();
    let url = format!("{}/brands", h.v2_url());
    for _ in 0..5 {
        assert_eq!(get(&c, &keys, &url).await.0, StatusCode::OK);
    }
    let r = c
        .get(&url)
        .basic_auth(&keys.public_key, Some(&keys.secret_key))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert!(r.bytes().await.unwrap().is_empty());
    // Writes have their own budget.
    let purl = format!("{}/parcels", h.v2_url());
    for _ in 0..3 {
        assert_eq!(
            post(&c, &keys, &purl, &json!({})).await.0,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        post(&c, &keys, &purl, &json!({})).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another account is not affected.
    let other = h.standin().create_account("Other");
    assert_eq!(get(&c, &other, &url).await.0, StatusCode::OK);
    h.stop().await;
}

#[test]
fn standin_webhook_signature_matches_official_vector() {
    let body = python_json(&json!({"key": "value"}));
    assert_eq!(body, "{\"key\": \"value\"}");
    assert_eq!(
        sign_webhook("secretkey", body.as_bytes()),
        "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a"
    );
}

#[tokio::test]
async fn standin_sends_signed_status_webhooks() {
    let (h, _, c) = start().await;
    let (hook, got, rx) = receiver().await;
    let keys: AccountKeys = serde_json::from_value(
        control(
            &c,
            &h,
            "/accounts",
            json!({"name": "Hooked", "webhook_url": hook}),
        )
        .await,
    )
    .unwrap();
    let (_, b) = post(
        &c,
        &keys,
        &format!("{}/parcels", h.v2_url()),
        &json!({"parcel": parcel("Hauptstraße 3", json!({"request_label": true, "shipment": {"id": 1301}}))}),
    )
    .await;
    let id = b["parcel"]["id"].as_u64().unwrap();
    let res = control(&c, &h, "/advance", json!({"account_id": keys.account_id})).await;
    assert_eq!(res["changed"], 1);
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let (sig, body) = &got[0];
    assert_eq!(sig, &sign_webhook(&keys.secret_key, body.as_bytes()));
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["action"], "parcel_status_changed");
    assert_eq!(v["parcel"]["id"], id);
    assert_eq!(v["parcel"]["status"]["id"], 3);
    assert_eq!(&python_json(&v), body, "python json.dumps style");
    // return_created via the control API.
    let ret = control(
        &c,
        &h,
        &format!("/accounts/{}/returns", keys.account_id),
        json!({"outgoing_parcel": id, "reason": 2}),
    )
    .await;
    let got2 = h.standin().webhook_deliveries();
    let last = got2.last().unwrap();
    assert_eq!(last.action, "return_created");
    assert_eq!(last.status, Some(200));
    let (_, returns) = get(&c, &keys, &format!("{}/returns", h.v2_url())).await;
    assert_eq!(returns["returns"][0]["id"], ret["id"]);
    assert_eq!(returns["returns"][0]["outgoing_parcel"], id);
    rx.stop(true).await;
    h.stop().await;
}

#[tokio::test]
async fn standin_connect_flow_posts_signed_credentials() {
    let (h, _, c) = start().await;
    let (hook, got, rx) = receiver().await;
    let page = c
        .get(format!("{}/shops/odoo/connect/", h.base_url()))
        .query(&[
            ("url_webshop", "https://shop.example/back"),
            ("webhook_url", hook.as_str()),
            ("shop_name", "Mein <Shop>"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Verbindung erlauben"));
    assert!(html.contains("Mein &lt;Shop&gt;"));
    let no_redirect = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect
        .post(format!("{}/shops/odoo/connect/approve", h.base_url()))
        .form(&[
            ("url_webshop", "https://shop.example/back"),
            ("webhook_url", hook.as_str()),
            ("shop_name", "Mein <Shop>"),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "https://shop.example/back");
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    let creds: Value = serde_json::from_str(&got[0].1).unwrap();
    assert_eq!(creds["action"], "integration_credentials");
    let secret = creds["secret_key"].as_str().unwrap();
    assert_eq!(got[0].0, sign_webhook(secret, got[0].1.as_bytes()));
    let connected: Value = serde_json::from_str(&got[1].1).unwrap();
    assert_eq!(connected["action"], "integration_connected");
    assert_eq!(connected["integration"]["id"], creds["integration_id"]);
    assert_eq!(connected["integration"]["system"], "odoo");
    assert_eq!(got[1].0, sign_webhook(secret, got[1].1.as_bytes()));
    // The new keys work.
    let keys = AccountKeys {
        account_id: 0,
        integration_id: creds["integration_id"].as_u64().unwrap(),
        public_key: creds["public_key"].as_str().unwrap().into(),
        secret_key: secret.into(),
    };
    let (s, i) = get(
        &c,
        &keys,
        &format!("{}/integrations/{}", h.v2_url(), keys.integration_id),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(i["shop_name"], "Mein <Shop>");
    assert_eq!(i["webhook_url"], hook);
    rx.stop(true).await;
    h.stop().await;
}

#[tokio::test]
async fn standin_seeds_100k_parcels_quickly() {
    let (h, keys, c) = start().await;
    let started = Instant::now();
    let res = control(
        &c,
        &h,
        &format!("/accounts/{}/seed", keys.account_id),
        json!({"parcels": 100_000, "returns": 50, "invoices": 10}),
    )
    .await;
    let took = started.elapsed();
    assert_eq!(res["parcels"], 100_000);
    assert!(took < Duration::from_secs(20), "seeding took {took:?}");
    let n = h
        .standin()
        .state()
        .accounts
        .get(&keys.account_id)
        .unwrap()
        .parcels
        .len();
    assert_eq!(n, 100_000);
    let (s, page) = get(&c, &keys, &format!("{}/parcels", h.v2_url())).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["parcels"].as_array().unwrap().len(), 20);
    let (_, by_ref) = get(
        &c,
        &keys,
        &format!(
            "{}/parcels?external_reference=SEED-{}-99999",
            h.v2_url(),
            keys.account_id
        ),
    )
    .await;
    assert_eq!(by_ref["parcels"].as_array().unwrap().len(), 1);
    h.stop().await;
}

#[tokio::test]
async fn standin_invoices_brands_and_integrations() {
    let (h, keys, c) = start().await;
    let v2 = h.v2_url();
    let (_, list) = get(&c, &keys, &format!("{v2}/user/invoices")).await;
    let inv = &list["invoices"][0];
    assert!(inv["isPayed"].is_boolean());
    assert_dmy(&inv["date"]);
    let items_url = inv["items"].as_str().unwrap();
    let (_, one) = get(&c, &keys, items_url).await;
    assert!(one["invoice"]["items"].as_array().unwrap()[0]["name"].is_string());
    let (s, nf) = get(&c, &keys, &format!("{v2}/user/invoices/1")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        nf["error"]["message"],
        "No Invoice matches the given query."
    );
    let (_, brands) = get(&c, &keys, &format!("{v2}/brands")).await;
    let bid = brands["brands"][0]["id"].as_u64().unwrap();
    let (_, brand) = get(&c, &keys, &format!("{v2}/brands/{bid}")).await;
    assert!(brand["features"]["tracking_page"].is_boolean());
    let (_, ints) = get(&c, &keys, &format!("{v2}/integrations")).await;
    assert_eq!(ints[0]["id"], keys.integration_id);
    let (s, patched) = send(
        &c,
        &keys,
        reqwest::Method::PATCH,
        &format!("{v2}/integrations/{}", keys.integration_id),
        &json!({"webhook_url": "https://shop.example/hook", "webhook_active": true}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(patched["webhook_active"], true);
    let (s, _) = send(
        &c,
        &keys,
        reqwest::Method::PUT,
        &format!("{v2}/integrations/{}", keys.integration_id),
        &json!({"webhook_active": false}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "PUT needs shop_name");
    h.stop().await;
}

#[tokio::test]
async fn standin_injects_faults_and_logs_requests() {
    let (h, keys, c) = start().await;
    let url = format!("{}/brands", h.v2_url());
    let put = |f: Value| {
        let c = c.clone();
        let u = format!("{}/_standin/faults", h.base_url());
        async move {
            assert!(c
                .put(u)
                .json(&f)
                .send()
                .await
                .unwrap()
                .status()
                .is_success());
        }
    };
    put(json!({"error_rate": 1.0})).await;
    let (s, body) = get(&c, &keys, &url).await;
    assert!(s.is_server_error());
    assert_eq!(body["error"]["code"], s.as_u16());
    put(json!({"rate_limit_storm": true})).await;
    assert_eq!(get(&c, &keys, &url).await.0, StatusCode::TOO_MANY_REQUESTS);
    put(json!({"drop_rate": 1.0})).await;
    let dropped = match c
        .get(&url)
        .basic_auth(&keys.public_key, Some(&keys.secret_key))
        .send()
        .await
    {
        Err(_) => true,
        Ok(r) => r.bytes().await.is_err(),
    };
    assert!(dropped, "connection must be dropped");
    put(json!({"latency_ms": 150})).await;
    let t = Instant::now();
    assert_eq!(get(&c, &keys, &url).await.0, StatusCode::OK);
    assert!(t.elapsed() >= Duration::from_millis(150));
    put(json!({})).await;
    let log: Value = c
        .get(format!("{}/_standin/requests", h.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statuses: Vec<u64> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"] == "/api/v2/brands")
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert!(statuses.contains(&429));
    assert_eq!(*statuses.last().unwrap(), 200);
    h.stop().await;
}

#[tokio::test]
async fn standin_dropped_connection_sends_no_bytes() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (h, keys, c) = start().await;
    c.put(format!("{}/_standin/faults", h.base_url()))
        .json(&json!({"drop_rate": 1.0}))
        .send()
        .await
        .unwrap();
    let addr = h.base_url().trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    use base64::Engine as _;
    let auth = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", keys.public_key, keys.secret_key));
    s.write_all(
        format!("GET /api/v2/brands HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\n\r\n")
            .as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    assert!(buf.is_empty(), "got {:?}", String::from_utf8_lossy(&buf));
    h.stop().await;
}

#[tokio::test]
async fn standin_statuses_advance_on_their_own_with_status_step() {
    // The only test that waits: it covers the timer itself (polls, bounded).
    let h = spawn(StandinConfig {
        status_step: Some(Duration::from_millis(20)),
        ..config()
    })
    .await
    .unwrap();
    let keys = h.standin().demo_keys().unwrap();
    let c = Client::new();
    let (_, b) = post(
        &c,
        &keys,
        &format!("{}/parcels", h.v2_url()),
        &json!({"parcel": parcel("Hauptstraße 3", json!({"request_label": true, "shipment": {"id": 1301}}))}),
    )
    .await;
    let url = format!("{}/parcels/{}", h.v2_url(), b["parcel"]["id"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = vec![1000];
    while Instant::now() < deadline {
        let (_, p) = get(&c, &keys, &url).await;
        let st = p["parcel"]["status"]["id"].as_u64().unwrap();
        if seen.last() != Some(&st) {
            seen.push(st);
        }
        if st == 11 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(seen.last(), Some(&11), "statuses seen: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0] != w[1]));
    assert!(seen.iter().all(|s| [1000, 3, 91, 11].contains(s)));
    h.stop().await;
}

/// `ParcelResponseShort` properties of the official v2 OpenAPI spec.
const PARCEL_FIELDS: &[&str] = &[
    "address",
    "address_2",
    "address_divided",
    "awb_tracking_number",
    "box_number",
    "carrier",
    "city",
    "colli_uuid",
    "collo_count",
    "collo_nr",
    "company_name",
    "contract",
    "country",
    "customs_declaration",
    "customs_invoice_nr",
    "customs_shipment_type",
    "data",
    "date_announced",
    "date_created",
    "date_updated",
    "documents",
    "email",
    "errors",
    "external_reference",
    "height",
    "id",
    "insured_value",
    "is_return",
    "label",
    "length",
    "name",
    "note",
    "order_number",
    "parcel_items",
    "postal_code",
    "reference",
    "shipment",
    "shipment_uuid",
    "shipping_method_checkout_name",
    "status",
    "telephone",
    "to_service_point",
    "to_state",
    "total_insured_value",
    "total_order_value",
    "total_order_value_currency",
    "tracking_number",
    "tracking_url",
    "type",
    "weight",
    "width",
];

#[tokio::test]
async fn standin_parcels_have_the_spec_fields() {
    let (h, keys, c) = start().await;
    let (_, b) = post(
        &c,
        &keys,
        &format!("{}/parcels", h.v2_url()),
        &json!({"parcel": parcel("Hauptstraße 3", json!({"request_label": true, "shipment": {"id": 1301}}))}),
    )
    .await;
    let mut full: Vec<&str> = b["parcel"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    full.sort();
    let mut expected: Vec<&str> = PARCEL_FIELDS.to_vec();
    expected.push("customs_information");
    expected.sort();
    assert_eq!(full, expected, "ParcelResponseFull");
    let (_, list) = get(&c, &keys, &format!("{}/parcels", h.v2_url())).await;
    let mut short: Vec<&str> = list["parcels"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    short.sort();
    assert_eq!(short, PARCEL_FIELDS, "ParcelResponseShort");
    assert!(b["parcel"]["to_service_point"].is_null());
    assert!(b["parcel"]["insured_value"].is_u64());
    // Unknown API paths answer with a v2 error body.
    let (s, e) = get(&c, &keys, &format!("{}/nope", h.v2_url())).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(e["error"]["request"], "api/v2/nope");
    h.stop().await;
}

#[tokio::test]
async fn standin_service_points_and_partner_header() {
    let (h, keys, c) = start().await;
    let v2 = h.v2_url();
    let (s, e) = get(&c, &keys, &format!("{v2}/service-points")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["error"]["message"],
        "country: \"This field is required.\""
    );
    let (s, list) = get(
        &c,
        &keys,
        &format!("{v2}/service-points?country=DE&postal_code=10115&carrier=dhl_de,dpd"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let list = list.as_array().unwrap();
    assert!(!list.is_empty());
    assert!(list
        .iter()
        .all(|p| ["dhl_de", "dpd"].contains(&p["carrier"].as_str().unwrap())));
    assert!(list[0]["latitude"].is_string());
    // Same search, same ids; a listed point can be fetched, by access token too.
    let (_, again) = get(
        &c,
        &keys,
        &format!("{v2}/service-points?country=DE&postal_code=10115&carrier=dhl_de,dpd"),
    )
    .await;
    assert_eq!(again[0]["id"], list[0]["id"]);
    let id = list[0]["id"].as_u64().unwrap();
    let r = c
        .get(format!(
            "{v2}/service-points/{id}?access_token={}",
            keys.public_key
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let one: Value = r.json().await.unwrap();
    assert_eq!(one, list[0]);
    let (_, avail) = get(
        &c,
        &keys,
        &format!("{v2}/service-points/{id}/check-availability"),
    )
    .await;
    assert_eq!(avail, json!(true));
    let r = c
        .get(format!("{v2}/service-points/{id}?access_token=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Sendcloud-Partner-Id is validated when sent.
    let url = format!("{v2}/parcels");
    let with_partner = |partner: &'static str| {
        c.post(&url)
            .basic_auth(&keys.public_key, Some(&keys.secret_key))
            .header("Sendcloud-Partner-Id", partner)
            .json(&json!({"parcel": parcel("Hauptstraße 3", json!({}))}))
            .send()
    };
    assert_eq!(
        with_partner("not-a-uuid").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        with_partner("3fa85f64-5717-4562-b3fc-2c963f66afa6")
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    h.stop().await;
}

#[tokio::test]
async fn standin_deterministic_faults_lose_responses_of_processed_requests() {
    let (h, keys, c) = start().await;
    let faults = |f: Value| {
        let c = c.clone();
        let u = format!("{}/_standin/faults", h.base_url());
        async move {
            assert!(c
                .put(u)
                .json(&f)
                .send()
                .await
                .unwrap()
                .status()
                .is_success());
        }
    };
    let url = format!("{}/parcels", h.v2_url());
    // The next POST /parcels is processed, but its response is lost.
    faults(json!({"drop_after_next": 1, "path_prefix": "/api/v2/parcels", "method": "POST"})).await;
    // Other paths are not affected.
    assert_eq!(
        get(&c, &keys, &format!("{}/brands", h.v2_url())).await.0,
        StatusCode::OK
    );
    let lost = c
        .post(&url)
        .basic_auth(&keys.public_key, Some(&keys.secret_key))
        .json(&json!({"parcel": parcel("Hauptstraße 3", json!({"external_reference": "lost-1"}))}))
        .send()
        .await;
    assert!(lost.is_err() || lost.unwrap().bytes().await.is_err());
    let (_, found) = get(&c, &keys, &format!("{url}?external_reference=lost-1")).await;
    assert_eq!(
        found["parcels"].as_array().unwrap().len(),
        1,
        "it was created"
    );
    // Exactly the next two requests fail with 503, then it works again.
    faults(json!({"fail_next": 2})).await;
    assert_eq!(
        get(&c, &keys, &url).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        get(&c, &keys, &url).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(get(&c, &keys, &url).await.0, StatusCode::OK);
    let log = h.standin().requests();
    assert!(log.iter().any(|e| e.method == "POST" && e.status == 0));
    h.stop().await;
}
