//! The plugin API v1 against the stand-in (issue 12): every endpoint in
//! JSON and in XML (the same answer both ways, parsed into the same types),
//! idempotent replays, every refusal with its stable code and nothing
//! written, the OpenAPI document in step with the route table, and short
//! proptest runs over the JSON/XML entry points and the webhook receiver.

use diesel::prelude::*;
use sendcloud_plugin::db::schema::{
    sendcloud_idempotency_keys as ik, sendcloud_jobs as j, sendcloud_labels as l,
};
use sendcloud_plugin::users::{make_host_token, HostClaims, PERM_API, PERM_REPORTS};
use sendcloud_plugin::web::api::{
    self, companies::CompanyList, companies::CompanyStatus, deliveries::DeliveryBody,
    labels::CancelAccepted, labels::JobBody, labels::LabelJobs, labels::LabelRequest,
    logs::LogPage, reports::InvoicePage, reports::ParcelPage, reports::ReturnPage,
    shipping::OptionList, syncs::RunBody, syncs::StartSync, Format,
};
use serde::de::DeserializeOwned;

use crate::common::{delivery, setup, Spec, TestApp, HOST_SECRET};

/// One answer: status, content type, headers, body text.
struct Answer {
    status: u16,
    ct: String,
    replayed: bool,
    text: String,
}

impl Answer {
    /// Asserts the status (the body in the message).
    #[track_caller]
    fn expect(&self, status: u16) {
        assert_eq!(self.status, status, "{}", self.text);
    }

    /// Asserts a refusal: this status with this problem code.
    #[track_caller]
    fn refused(&self, status: u16, code: &str) {
        self.refused_as(status, code, format_args!(""));
    }

    /// [`Answer::refused`] with what was sent in the message.
    #[track_caller]
    fn refused_as(&self, status: u16, code: &str, sent: std::fmt::Arguments) {
        assert_eq!(
            (self.status, self.code().as_str()),
            (status, code),
            "{sent} {}",
            self.text
        );
    }

    fn code(&self) -> String {
        if self.ct.starts_with("application/problem+json") {
            let v: serde_json::Value = serde_json::from_str(&self.text).unwrap();
            v["code"].as_str().unwrap_or_default().to_string()
        } else if self.ct.starts_with("application/problem+xml") {
            let start = self.text.find("<code>").expect("a code") + 6;
            let end = self.text.find("</code>").unwrap();
            self.text[start..end].to_string()
        } else {
            panic!("not a problem: {} {}", self.ct, self.text)
        }
    }
}

struct Caller {
    app: TestApp,
    token: String,
    client: reqwest::Client,
}

impl Caller {
    fn new(app: TestApp, company: i64) -> Caller {
        let token = app.host_token(&[PERM_API], Some(vec![company]));
        Caller {
            app,
            token,
            client: reqwest::Client::new(),
        }
    }

    async fn send(&self, b: reqwest::RequestBuilder) -> Answer {
        let res = b.send().await.unwrap();
        Answer {
            status: res.status().as_u16(),
            ct: res
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default(),
            replayed: res.headers().contains_key("idempotent-replayed"),
            text: res.text().await.unwrap(),
        }
    }

    async fn get(&self, path: &str, xml: bool) -> Answer {
        let accept = if xml {
            "application/xml"
        } else {
            "application/json"
        };
        self.send(
            self.client
                .get(self.app.url(path))
                .bearer_auth(&self.token)
                .header("Accept", accept),
        )
        .await
    }

    /// GET in JSON and in XML; both parsed into `T` and equal.
    async fn both<T: DeserializeOwned + PartialEq + std::fmt::Debug>(&self, path: &str) -> T {
        let j = self.get(path, false).await;
        assert_eq!(j.status, 200, "{path}: {}", j.text);
        assert!(j.ct.starts_with("application/json"), "{}", j.ct);
        let x = self.get(path, true).await;
        assert_eq!(x.status, 200, "{path}: {}", x.text);
        assert!(x.ct.starts_with("application/xml"), "{}", x.ct);
        same::<T>(&j.text, &x.text)
    }

    async fn post(&self, path: &str, body: Option<(&str, String)>, key: Option<&str>) -> Answer {
        let mut b = self
            .client
            .post(self.app.url(path))
            .bearer_auth(&self.token);
        if let Some((ct, text)) = body {
            b = b.header("Content-Type", ct).body(text);
            if ct.contains("xml") {
                b = b.header("Accept", "application/xml");
            }
        }
        if let Some(k) = key {
            b = b.header("Idempotency-Key", k);
        }
        self.send(b).await
    }
}

/// A JSON text and an XML text parsed into `T`: equal.
fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(json: &str, xml: &str) -> T {
    let a: T = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let b: T = quick_xml::de::from_str(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    assert_eq!(a, b, "JSON and XML differ:\n{json}\n{xml}");
    a
}

/// A request body: content type and text (`None`: no body).
type RequestBody = Option<(&'static str, String)>;

fn json(v: serde_json::Value) -> Option<(&'static str, String)> {
    Some(("application/json", v.to_string()))
}

fn xml(s: &str) -> Option<(&'static str, String)> {
    Some(("application/xml", s.to_string()))
}

async fn count_rows(app: &TestApp) -> (i64, i64, i64) {
    app.state
        .db
        .run(|c| {
            Ok((
                j::table
                    .filter(j::kind.like("labels.%"))
                    .count()
                    .get_result(c)?,
                ik::table.count().get_result(c)?,
                l::table.count().get_result(c)?,
            ))
        })
        .await
        .unwrap()
}

// The companies and one company's integration status, both formats.
db_async_test!(company_status_in_json_and_xml, |db| {
    let (app, sc, company) = setup(db).await;
    let api = Caller::new(app, company);
    let list: CompanyList = api.both("/api/v1/companies").await;
    assert_eq!(list.company.len(), 1, "the token covers one company");
    assert_eq!(list.company[0].id, company);
    assert_eq!(list.company[0].integration_state, "connected");
    let status: CompanyStatus = api.both(&format!("/api/v1/companies/{company}")).await;
    assert_eq!(status.id, company);
    assert_eq!(status.integration_state, "connected");
    assert_eq!(status.failed_labels, 0);
    assert!(status.last_sync_at.is_some(), "{status:?}");
    sc.stop().await;
});

// Shipping options for a delivery and for the same destination and weight
// agree; a parcel too heavy for the option does not get it.
db_async_test!(shipping_options_that_fit, |db| {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::default()).await;
    let api = Caller::new(app, company);
    let base = format!("/api/v1/companies/{company}/shipping-options");
    let by_delivery: OptionList = api.both(&format!("{base}?delivery={id}")).await;
    assert_eq!(by_delivery.to_country, "DE");
    assert_eq!(by_delivery.weight_g, 2500);
    let codes: Vec<&str> = by_delivery.option.iter().map(|o| o.code.as_str()).collect();
    assert!(codes.contains(&"dhl_de:dhl-paket"), "{codes:?}");
    let by_weight: OptionList = api
        .both(&format!("{base}?country=DE&postal_code=10115&weight=2.5"))
        .await;
    assert_eq!(by_weight.option, by_delivery.option);
    let heavy: OptionList = api.both(&format!("{base}?country=DE&weight=500")).await;
    assert!(
        heavy.option.iter().all(|o| o.code != "dhl_de:dhl-paket"),
        "{:?}",
        heavy.option
    );
    for bad in [
        "",
        "?country=DE",
        "?country=Deutschland&weight=1",
        "?country=DE&weight=heavy",
        "?delivery=x",
        "?delivery=1&country=DE&weight=1",
        "?colour=red",
    ] {
        let a = api.get(&format!("{base}{bad}"), false).await;
        a.refused_as(400, "bad_parameter", format_args!("{bad}"));
    }
    let a = api.get(&format!("{base}?delivery=999999"), false).await;
    a.refused(404, "not_found");
    sc.stop().await;
});

// Labels through the API: 202 with the jobs, an idempotent replay, the
// same key for another body refused; the job answers the shipment when
// done; the delivery, its documents, the cancel and its outcome.
db_async_test!(labels_jobs_documents_and_cancel, |db| {
    let (app, sc, company) = setup(db).await;
    let a = delivery(&app, company, Spec::default()).await;
    let b = delivery(&app, company, Spec::swiss()).await;
    let api = Caller::new(app, company);
    let path = format!("/api/v1/companies/{company}/labels");
    let first = api
        .post(
            &path,
            json(serde_json::json!({"deliveries": [a, 999_999]})),
            Some("key-1"),
        )
        .await;
    first.expect(202);
    let jobs: LabelJobs = serde_json::from_str(&first.text).unwrap();
    assert_eq!(jobs.job.len(), 2);
    assert_eq!(jobs.job[0].outcome, "queued");
    assert_eq!(jobs.job[1].outcome, "unknown_delivery");
    let job_a = jobs.job[0].job_id.unwrap();
    // The same request again: the first answer, nothing new.
    let again = api
        .post(
            &path,
            json(serde_json::json!({"deliveries": [a, 999_999]})),
            Some("key-1"),
        )
        .await;
    assert_eq!(
        (again.status, again.text.as_str()),
        (202, first.text.as_str())
    );
    assert!(again.replayed && !first.replayed);
    // The same request in XML is the same request: replayed, in XML.
    let as_xml = api
        .post(
            &path,
            xml(&format!(
                "<labels><deliveries>{a}</deliveries><deliveries>999999</deliveries></labels>"
            )),
            Some("key-1"),
        )
        .await;
    as_xml.expect(202);
    assert!(as_xml.ct.starts_with("application/xml") && as_xml.replayed);
    assert_eq!(same::<LabelJobs>(&first.text, &as_xml.text), jobs);
    // The key for another request: refused, nothing written.
    let before = count_rows(&api.app).await;
    let reused = api
        .post(
            &path,
            json(serde_json::json!({"deliveries": [b]})),
            Some("key-1"),
        )
        .await;
    reused.refused(422, "idempotency_key_reused");
    assert_eq!(count_rows(&api.app).await, before);
    // A new key, in XML.
    let second = api
        .post(
            &path,
            xml(&format!("<labels><deliveries>{b}</deliveries></labels>")),
            Some("key-2"),
        )
        .await;
    second.expect(202);
    let jobs_b: LabelJobs = quick_xml::de::from_str(&second.text).unwrap();
    let job_b = jobs_b.job[0].job_id.unwrap();

    let queued: JobBody = api
        .both(&format!("/api/v1/companies/{company}/jobs/{job_a}"))
        .await;
    assert_eq!(
        (queued.state.as_str(), queued.delivery.is_none()),
        ("queued", true)
    );
    api.app.run_jobs().await;
    let done: JobBody = api
        .both(&format!("/api/v1/companies/{company}/jobs/{job_a}"))
        .await;
    assert_eq!(done.state, "done");
    let shipment = done.delivery.unwrap().shipment.unwrap();
    assert_eq!(shipment.state, "created");
    assert!(shipment.tracking_number.is_some());
    // Asking again for a labelled delivery: already labelled, no job.
    let third = api
        .post(&path, json(serde_json::json!({"deliveries": [a]})), None)
        .await;
    let jobs3: LabelJobs = serde_json::from_str(&third.text).unwrap();
    assert_eq!(jobs3.job[0].outcome, "already_labelled");

    let d: DeliveryBody = api
        .both(&format!("/api/v1/companies/{company}/deliveries/{a}"))
        .await;
    assert_eq!(d.shipping_state, "label_created");
    assert_eq!(d.shipment.as_ref().unwrap().parcel_id, shipment.parcel_id);
    assert!(!d.event.is_empty(), "tracking history");
    let docs = format!("/api/v1/companies/{company}/deliveries");
    let pdf = api.get(&format!("{docs}/{a}/documents/label"), false).await;
    assert_eq!((pdf.status, pdf.ct.as_str()), (200, "application/pdf"));
    assert!(pdf.text.starts_with("%PDF"));
    let zpl = api
        .get(&format!("{docs}/{a}/documents/label?format=zpl"), false)
        .await;
    zpl.expect(200);
    assert!(zpl.text.starts_with("^XA"), "{}", zpl.text);
    let customs = api
        .get(&format!("{docs}/{a}/documents/customs-declaration"), false)
        .await;
    customs.refused(404, "document_unavailable");
    let job_b_done: JobBody = api
        .both(&format!("/api/v1/companies/{company}/jobs/{job_b}"))
        .await;
    assert_eq!(job_b_done.state, "done");
    let customs = api
        .get(&format!("{docs}/{b}/documents/customs-declaration"), false)
        .await;
    customs.expect(200);
    assert!(customs.text.starts_with("%PDF"));
    for (bad, status, code) in [
        (
            format!("{docs}/{a}/documents/invoice"),
            400,
            "bad_parameter",
        ),
        (
            format!("{docs}/{a}/documents/label?format=png"),
            400,
            "bad_parameter",
        ),
        (format!("{docs}/999999/documents/label"), 404, "not_found"),
    ] {
        let r = api.get(&bad, false).await;
        r.refused_as(status, code, format_args!("{bad}"));
    }

    // Cancel: 202 with the job; Sendcloud's outcome as a code.
    let cancel = api
        .post(&format!("{docs}/{a}/cancel"), None, Some("c-1"))
        .await;
    cancel.expect(202);
    let accepted: CancelAccepted = serde_json::from_str(&cancel.text).unwrap();
    let replay = api
        .post(&format!("{docs}/{a}/cancel"), None, Some("c-1"))
        .await;
    assert_eq!(replay.text, cancel.text);
    api.app.run_jobs().await;
    let job: JobBody = api
        .both(&format!(
            "/api/v1/companies/{company}/jobs/{}",
            accepted.job_id
        ))
        .await;
    assert_eq!(job.kind, "labels.cancel");
    let cancelled = job.delivery.unwrap();
    assert_eq!(cancelled.shipping_state, "cancelled");
    assert_eq!(
        cancelled.shipment.unwrap().cancel_outcome.as_deref(),
        Some("cancelled")
    );
    let again = api.post(&format!("{docs}/{a}/cancel"), None, None).await;
    again.refused(409, "no_label");
    let none = api.get(&format!("{docs}/{a}/documents/label"), false).await;
    none.refused(409, "no_label");
    let other_job = api
        .get(&format!("/api/v1/companies/{company}/jobs/999999"), false)
        .await;
    other_job.expect(404);
    sc.stop().await;
});

// The Logs: a failed label with its problem codes; fixed and retried
// through the API, the entry leaves.
db_async_test!(logs_and_retry, |db| {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::no_house_number()).await;
    let api = Caller::new(app, company);
    let res = api
        .post(
            &format!("/api/v1/companies/{company}/labels"),
            json(serde_json::json!({"deliveries": [id]})),
            None,
        )
        .await;
    res.expect(202);
    api.app.run_jobs().await;
    let logs: LogPage = api.both(&format!("/api/v1/companies/{company}/logs")).await;
    assert_eq!(logs.entry.len(), 1);
    assert_eq!(logs.entry[0].delivery_id, id);
    assert!(
        logs.entry[0]
            .problem
            .iter()
            .any(|p| p.code == "house_number_missing" && p.source == "check"),
        "{:?}",
        logs.entry[0].problem
    );
    let d: DeliveryBody = api
        .both(&format!("/api/v1/companies/{company}/deliveries/{id}"))
        .await;
    assert_eq!(d.shipping_state, "failed");
    assert_eq!(d.problem[0].code, "house_number_missing");
    let status: CompanyStatus = api.both(&format!("/api/v1/companies/{company}")).await;
    assert_eq!(status.failed_labels, 1);
    api.app
        .state
        .db
        .run(move |c| {
            diesel::sql_query(format!(
                "UPDATE customers SET house_number = '7' WHERE id = (SELECT customer_id FROM sales_orders WHERE id = (SELECT order_id FROM deliveries WHERE id = {id}))"
            ))
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let retry = api
        .post(
            &format!("/api/v1/companies/{company}/logs/retry"),
            xml(&format!("<retry><deliveries>{id}</deliveries></retry>")),
            Some("retry-1"),
        )
        .await;
    retry.expect(202);
    let jobs: LabelJobs = quick_xml::de::from_str(&retry.text).unwrap();
    assert_eq!(jobs.job[0].outcome, "queued");
    api.app.run_jobs().await;
    let logs: LogPage = api.both(&format!("/api/v1/companies/{company}/logs")).await;
    assert!(logs.entry.is_empty(), "{logs:?}");
    sc.stop().await;
});

// An Abgleich started through the API in XML, and the report lists with
// their filters and keyset cursors in both formats.
db_async_test!(syncs_and_report_lists, |db| {
    let (app, sc, company) = setup(db).await;
    let mut ids = vec![];
    for _ in 0..3 {
        ids.push(delivery(&app, company, Spec::default()).await);
    }
    let api = Caller::new(app, company);
    let r = api
        .post(
            &format!("/api/v1/companies/{company}/labels"),
            json(serde_json::json!({ "deliveries": ids })),
            None,
        )
        .await;
    r.expect(202);
    api.app.run_jobs().await;
    let start = api
        .post(
            &format!("/api/v1/companies/{company}/syncs"),
            xml("<sync><objects>parcels</objects><objects>returns</objects><objects>invoices</objects><full>true</full></sync>"),
            Some("sync-1"),
        )
        .await;
    start.expect(202);
    let run: RunBody = quick_xml::de::from_str(&start.text).unwrap();
    assert_eq!(run.state, "queued");
    api.app.run_jobs().await;
    let done: RunBody = api
        .both(&format!("/api/v1/companies/{company}/syncs/{}", run.id))
        .await;
    assert_eq!(done.state, "done", "{done:?}");
    assert_eq!(done.objects.len(), 3);

    let base = format!("/api/v1/companies/{company}/reports/parcels");
    let all: ParcelPage = api.both(&format!("{base}?limit=200")).await;
    assert!(all.parcel.len() >= 3, "{all:?}");
    let page1: ParcelPage = api
        .both(&format!("{base}?limit=2&sort=order_number&dir=asc"))
        .await;
    assert_eq!(page1.parcel.len(), 2);
    let after = page1.next_after.clone().expect("a next page");
    let page2: ParcelPage = api
        .both(&format!(
            "{base}?limit=2&sort=order_number&dir=asc&after={after}"
        ))
        .await;
    assert!(!page2.parcel.is_empty());
    assert!(page1
        .parcel
        .iter()
        .all(|p| page2.parcel.iter().all(|q| q.id != p.id)));
    assert!(page1.parcel[1].order_number <= page2.parcel[0].order_number);
    let order = page1.parcel[0].order_number.clone();
    let filtered: ParcelPage = api
        .both(&format!(
            "{base}?order={order}&kind=outgoing&from=2000-01-01&to=2999-12-31"
        ))
        .await;
    assert!(filtered
        .parcel
        .iter()
        .all(|p| p.order_number.starts_with(&order)));
    assert!(!filtered.parcel.is_empty());
    let _: ReturnPage = api
        .both(&format!(
            "/api/v1/companies/{company}/reports/returns?sort=order_number"
        ))
        .await;
    let _: InvoicePage = api
        .both(&format!(
            "/api/v1/companies/{company}/reports/invoices?paid=yes&sort=reference"
        ))
        .await;
    for bad in [
        format!("{base}?after=not-a-cursor"),
        format!("{base}?sort=colour"),
        format!("{base}?dir=up"),
        format!("{base}?from=31.12.2026"),
        format!("{base}?status=delivered"),
        format!("/api/v1/companies/{company}/reports/invoices?paid=maybe"),
    ] {
        let r = api.get(&bad, true).await;
        r.refused_as(400, "bad_parameter", format_args!("{bad}"));
        assert!(r.ct.starts_with("application/problem+xml"), "{}", r.ct);
    }
    sc.stop().await;
});

// Every refusal: 4xx, a stable code in JSON or XML, nothing written.
db_async_test!(bad_input_is_refused_and_writes_nothing, |db| {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::default()).await;
    let api = Caller::new(app, company);
    let path = format!("/api/v1/companies/{company}/labels");
    let deep_json = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    let deep_xml = format!(
        "<labels>{}1{}</labels>",
        "<a>".repeat(40),
        "</a>".repeat(40)
    );
    let huge = format!("{{\"deliveries\": [{}1]}}", "1,".repeat(40_000));
    let cases: Vec<(RequestBody, u16, &str)> = vec![
        (
            Some(("application/json", "{\"deliveries\": [1,".into())),
            400,
            "malformed_body",
        ),
        (
            Some(("application/xml", "<labels><deliveries>1</labels>".into())),
            400,
            "malformed_body",
        ),
        (
            Some((
                "application/xml",
                "<!DOCTYPE l [<!ENTITY x \"1\">]><labels><deliveries>&x;</deliveries></labels>"
                    .into(),
            )),
            400,
            "malformed_body",
        ),
        (
            Some(("application/json", "{\"deliveries\": \"all\"}".into())),
            400,
            "invalid_value",
        ),
        (
            Some(("application/json", "{\"deliveries\": [\"x\"]}".into())),
            400,
            "invalid_value",
        ),
        (
            Some((
                "application/xml",
                "<labels><deliveries>x</deliveries></labels>".into(),
            )),
            400,
            "invalid_value",
        ),
        (
            Some(("application/json", "{}".into())),
            400,
            "invalid_value",
        ),
        (
            Some((
                "application/json",
                format!("{{\"deliveries\": [{id}], \"priority\": 1}}"),
            )),
            400,
            "unknown_field",
        ),
        (
            Some((
                "application/xml",
                format!("<labels><deliveries>{id}</deliveries><priority>1</priority></labels>"),
            )),
            400,
            "unknown_field",
        ),
        (Some(("application/json", deep_json)), 400, "too_deep"),
        (Some(("application/xml", deep_xml)), 400, "too_deep"),
        (Some(("application/json", huge)), 413, "body_too_large"),
        (
            Some(("text/plain", format!("deliveries={id}"))),
            415,
            "unsupported_media_type",
        ),
        (
            Some(("application/json", "{\"deliveries\": []}".into())),
            422,
            "validation_failed",
        ),
    ];
    for (body, status, code) in cases {
        let shown = body
            .as_ref()
            .map(|b| b.1.chars().take(80).collect::<String>());
        let r = api.post(&path, body, Some("bad-1")).await;
        r.refused_as(status, code, format_args!("{shown:?}:"));
    }
    // Token refusals, each in JSON and XML.
    let claims = |exp: i64, perms: Vec<String>, companies: Option<Vec<i64>>| HostClaims {
        sub: "host".into(),
        name: None,
        permissions: perms,
        companies,
        exp,
    };
    let now = chrono::Utc::now().timestamp();
    let api_perm = vec![PERM_API.to_string()];
    let tokens: Vec<(Option<String>, u16, &str)> = vec![
        (None, 401, "unauthorized"),
        (Some("not.a.token".into()), 401, "token_invalid"),
        (
            Some(make_host_token(
                HOST_SECRET,
                &claims(now - 3600, api_perm.clone(), None),
            )),
            401,
            "token_expired",
        ),
        (
            Some(make_host_token(
                "another-host-secret-of-at-least-32-bytes",
                &claims(now + 600, api_perm.clone(), None),
            )),
            401,
            "token_invalid",
        ),
        (
            Some(make_host_token(
                HOST_SECRET,
                &claims(now + 600, vec![PERM_REPORTS.into()], None),
            )),
            403,
            "permission_missing",
        ),
        (
            Some(make_host_token(
                HOST_SECRET,
                &claims(now + 600, api_perm.clone(), Some(vec![company + 1000])),
            )),
            403,
            "company_not_covered",
        ),
    ];
    for (token, status, code) in tokens {
        for as_xml in [false, true] {
            let mut b = api
                .client
                .post(api.app.url(&path))
                .json(&serde_json::json!({"deliveries": [id]}))
                .header("Idempotency-Key", "tok-1");
            if as_xml {
                b = b.header("Accept", "application/xml");
            }
            if let Some(t) = &token {
                b = b.bearer_auth(t);
            }
            let r = api.send(b).await;
            r.refused_as(status, code, format_args!("{token:?}"));
            let want = if as_xml {
                "application/problem+xml"
            } else {
                "application/problem+json"
            };
            assert!(r.ct.starts_with(want), "{}", r.ct);
        }
    }
    // Reads refuse the same way; unknown routes and bad path segments too.
    for (p, status, code) in [
        (
            format!("/api/v1/companies/{}", company + 1000),
            403,
            "company_not_covered",
        ),
        (
            format!("/api/v1/companies/{company}/deliveries/abc"),
            404,
            "not_found",
        ),
        ("/api/v1/nothing-here".to_string(), 404, "not_found"),
        (
            format!("/api/v1/companies/{company}/logs?limit=many"),
            400,
            "bad_parameter",
        ),
    ] {
        let r = api.get(&p, true).await;
        r.refused_as(status, code, format_args!("{p}"));
    }
    let bad_key = api
        .post(
            &path,
            json(serde_json::json!({"deliveries": [id]})),
            Some(&"k".repeat(201)),
        )
        .await;
    bad_key.refused(400, "idempotency_key_invalid");
    // Nothing was written by any of them.
    assert_eq!(count_rows(&api.app).await, (0, 0, 0));
    sc.stop().await;
});

/// Rows the host-event and order-push endpoints write: label and push
/// jobs, idempotency keys, event hooks.
async fn event_rows(app: &TestApp) -> (i64, i64, i64, i64) {
    app.state
        .db
        .run(|c| {
            use sendcloud_plugin::db::schema::sendcloud_event_hooks as h;
            Ok((
                j::table
                    .filter(j::kind.like("labels.%"))
                    .count()
                    .get_result(c)?,
                j::table
                    .filter(j::kind.eq("orders.push"))
                    .count()
                    .get_result(c)?,
                ik::table.count().get_result(c)?,
                h::table.count().get_result(c)?,
            ))
        })
        .await
        .unwrap()
}

// Host events and order push follow the API's conventions: the same
// request in JSON and XML gives the same answer, a repeat under its
// Idempotency-Key answers the first answer and queues nothing more, the
// hook's secret is never answered, and refusals (unknown field, a company
// the token does not cover) write nothing.
db_async_test!(host_events_and_order_push_in_json_and_xml, |db| {
    use api::events::{EventAnswer, EventList, HookAnswer};
    use api::orders::PushAccepted;
    let (app, sc, company) = setup(db).await;
    let manifest = app.state.config.manifest.clone();
    let number: String = app
        .state
        .db
        .run(move |c| {
            let mut s = sendcloud_plugin::settings::load(c, company, &manifest)?;
            s.auto_create_label = true;
            sendcloud_plugin::settings::save(c, company, &s, "admin", &manifest)?;
            use sendcloud_plugin::db::schema::sales_orders as so;
            Ok(so::table
                .filter(so::company_id.eq(company))
                .filter(so::approved.eq(true))
                .filter(so::status.eq("open"))
                .order(so::id)
                .select(so::order_number)
                .first(c)?)
        })
        .await
        .unwrap();
    let (a, b) = (
        delivery(&app, company, Spec::default()).await,
        delivery(&app, company, Spec::default()).await,
    );
    let api = Caller::new(app, company);
    let base = format!("/api/v1/companies/{company}");
    let before = event_rows(&api.app).await;

    // Refusals first: nothing is written.
    let events_a = format!("{base}/deliveries/{a}/events");
    let other = format!("/api/v1/companies/{}", company + 1000);
    for (path, body, status, code) in [
        (
            events_a.clone(),
            json(serde_json::json!({"event": "created", "force": true})),
            400,
            "unknown_field",
        ),
        (
            format!("{base}/orders/push"),
            xml("<push><since>2026-01-01</since><force>1</force></push>"),
            400,
            "unknown_field",
        ),
        (
            format!("{base}/events/hook"),
            json(serde_json::json!({"url": "https://host.example/hook", "secrets": "x"})),
            400,
            "unknown_field",
        ),
        (
            format!("{other}/deliveries/{a}/events"),
            xml("<event><event>created</event></event>"),
            403,
            "company_not_covered",
        ),
        (
            format!("{other}/orders/push"),
            json(serde_json::json!({"order_numbers": [number]})),
            403,
            "company_not_covered",
        ),
        (
            format!("{other}/orders/{number}/push"),
            None,
            403,
            "company_not_covered",
        ),
        (
            format!("{other}/events/hook"),
            json(serde_json::json!({"url": "https://host.example/hook"})),
            403,
            "company_not_covered",
        ),
        (
            format!("{other}/events/retry"),
            None,
            403,
            "company_not_covered",
        ),
        (
            events_a.clone(),
            json(serde_json::json!({"event": "exploded"})),
            422,
            "validation_failed",
        ),
        (
            format!("{base}/deliveries/999999/events"),
            json(serde_json::json!({"event": "created"})),
            404,
            "not_found",
        ),
        (
            format!("{base}/orders/NO-SUCH/push"),
            None,
            404,
            "not_found",
        ),
    ] {
        let r = api.post(&path, body, Some("refused-1")).await;
        r.refused_as(status, code, format_args!("{path}"));
    }
    let r = api.get(&format!("{other}/events"), true).await;
    r.refused(403, "company_not_covered");
    let r = api.get(&format!("{base}/events?state=lost"), false).await;
    r.refused(400, "bad_parameter");
    assert_eq!(event_rows(&api.app).await, before, "nothing written");

    // A delivery event in JSON, repeated in XML under the same key: the
    // first answer, one label job.
    let first = api
        .post(
            &events_a,
            json(serde_json::json!({"event": "created"})),
            Some("ev-1"),
        )
        .await;
    first.expect(202);
    let again = api
        .post(
            &events_a,
            xml("<event><event>created</event></event>"),
            Some("ev-1"),
        )
        .await;
    again.expect(202);
    assert!(again.replayed && again.ct.starts_with("application/xml"));
    let answer: EventAnswer = same(&first.text, &again.text);
    assert_eq!(
        (answer.delivery_id, answer.outcome.as_str()),
        (a, "label_requested")
    );
    // In XML, fresh: the other delivery.
    let in_xml = api
        .post(
            &format!("{base}/deliveries/{b}/events"),
            xml("<event><event>created</event></event>"),
            None,
        )
        .await;
    in_xml.expect(202);
    let answer: EventAnswer = quick_xml::de::from_str(&in_xml.text).unwrap();
    assert_eq!(
        (answer.delivery_id, answer.outcome.as_str()),
        (b, "label_requested")
    );
    let rows = event_rows(&api.app).await;
    assert_eq!(rows.0, before.0 + 2, "one label job per delivery");
    // The same key with another body is refused.
    let reused = api
        .post(
            &events_a,
            json(serde_json::json!({"event": "cancelled"})),
            Some("ev-1"),
        )
        .await;
    reused.refused(422, "idempotency_key_reused");

    // An order push in JSON, replayed in XML: the same job, queued once.
    let push = format!("{base}/orders/push");
    let first = api
        .post(
            &push,
            json(serde_json::json!({"order_numbers": [number]})),
            Some("push-1"),
        )
        .await;
    first.expect(202);
    let again = api
        .post(
            &push,
            xml(&format!(
                "<push><order_numbers>{number}</order_numbers></push>"
            )),
            Some("push-1"),
        )
        .await;
    again.expect(202);
    assert!(again.replayed);
    let job: PushAccepted = same(&first.text, &again.text);
    assert_eq!(job.order_numbers, Some(vec![number.clone()]));
    assert_eq!(job.kind, "orders.push");
    assert_eq!(event_rows(&api.app).await.1, before.1 + 1, "one push job");
    // The same push under a new key while it is queued: 409, nothing new.
    let dup = api
        .post(
            &push,
            json(serde_json::json!({"order_numbers": [number]})),
            Some("push-2"),
        )
        .await;
    dup.refused(409, "already_running");
    assert_eq!(event_rows(&api.app).await.1, before.1 + 1);
    // From a date, in XML.
    let since = api
        .post(&push, xml("<push><since>2026-01-01</since></push>"), None)
        .await;
    since.expect(202);
    let job: PushAccepted = quick_xml::de::from_str(&since.text).unwrap();
    assert_eq!(
        (job.since.as_deref(), job.order_numbers),
        (Some("2026-01-01T00:00:00Z"), None)
    );

    // The hook: set in XML with a secret, answered without it.
    let secret = "a-hook-secret-of-the-host";
    let hook = api
        .post(
            &format!("{base}/events/hook"),
            xml(&format!(
                "<hook><url>https://host.example/hook</url><secret>{secret}</secret></hook>"
            )),
            None,
        )
        .await;
    hook.expect(200);
    assert!(!hook.text.contains(secret), "{}", hook.text);
    let h: HookAnswer = quick_xml::de::from_str(&hook.text).unwrap();
    assert!(h.enabled && h.has_secret);
    assert_eq!(h.url.as_deref(), Some("https://host.example/hook"));
    let short = api
        .post(
            &format!("{base}/events/hook"),
            json(serde_json::json!({"url": "https://host.example/hook", "secret": "short"})),
            None,
        )
        .await;
    short.refused(422, "validation_failed");
    assert!(!short.text.contains("short\""), "{}", short.text);

    // The outbox reads the same in both formats.
    let list: EventList = api.both(&format!("{base}/events?state=pending")).await;
    assert_eq!(list.counts.parked, 0);
    let retry = api.post(&format!("{base}/events/retry"), None, None).await;
    retry.expect(202);
    sc.stop().await;
});

// The OpenAPI document names every /api/v1 route of the table and no
// other; it is served publicly, and the page renders it in the reader's
// language.
db_async_test!(openapi_document_and_page, |db| {
    let doc = api::openapi::document("/sendcloud");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut registered = vec![];
    for r in sendcloud_plugin::web::ROUTES {
        if !r.path.starts_with("/api/v1") {
            continue;
        }
        let method = r.method.as_str().to_lowercase();
        registered.push((r.path.to_string(), method.clone()));
        let op = &doc["paths"][r.path][&method];
        assert!(op.is_object(), "{method} {} is not documented", r.path);
        assert!(!op["responses"].as_object().unwrap().is_empty());
        for p in r.path.split('/').filter(|s| s.starts_with('{')) {
            let name = p.trim_matches(|c| c == '{' || c == '}');
            assert!(
                op["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["name"] == name),
                "{} lacks the parameter {name}",
                r.path
            );
        }
    }
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            assert!(
                registered.contains(&(path.clone(), method.clone())),
                "{method} {path} is documented but not registered"
            );
        }
    }
    // Every $ref resolves; every code in a response is a known code.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(doc["components"]["schemas"][name].is_object(), "{name}");
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (code, _, _) in api::CODES {
        assert!(readme.contains(&format!("`{code}`")), "README lacks {code}");
    }

    let app = TestApp::spawn(db).await;
    let served: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served["servers"][0]["url"], "/sendcloud");
    assert_eq!(served["paths"], doc["paths"]);
    let de = reqwest::get(app.url("/api/v1/docs"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        de.contains("Operationen") && de.contains("Fehlercodes"),
        "{de}"
    );
    assert!(de.contains("id=\"op-createLabels\"") && de.contains("id=\"schema-DeliveryBody\""));
    assert!(!de.contains("<script src=\"http"), "no CDN");
    let en = reqwest::get(app.url("/api/v1/docs?lang=en"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("Operations") && en.contains("Error codes"));

    // The README's shell recipe mints a token the module accepts.
    let recipe = readme
        .split("```sh\n")
        .find(|b| b.contains("TOKEN="))
        .and_then(|b| b.split("```").next())
        .expect("a token recipe in README.md")
        .to_string();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{recipe}\nprintf '%s' \"$TOKEN\""))
        .env("SENDCLOUD_PLUGIN_HOST_SECRET", HOST_SECRET)
        .output()
        .unwrap();
    let token = String::from_utf8(out.stdout).unwrap();
    let res = reqwest::Client::new()
        .get(app.url("/api/v1/companies"))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{token}: {}", res.text().await.unwrap());
});

mod fuzz {
    //! Short proptest runs (bounded case counts, part of `cargo test`):
    //! arbitrary bytes and arbitrary JSON/XML shapes into the API's body
    //! parser, and signed arbitrary bodies into Sendcloud's webhook
    //! receiver. Only "no panic" and "a refusal is a 4xx code" are asserted.

    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            ".{0,12}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(24, 128, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::hash_map(
                    prop_oneof![
                        Just("deliveries".to_string()),
                        Just("objects".to_string()),
                        Just("full".to_string()),
                        "[a-z]{1,8}"
                    ],
                    inner,
                    0..5
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn xml_text() -> impl Strategy<Value = String> {
        let element = prop_oneof![
            Just("deliveries"),
            Just("objects"),
            Just("full"),
            Just("labels"),
            Just("x"),
        ];
        let leaf = prop_oneof![
            "[0-9]{0,20}".prop_map(|s| s),
            ".{0,10}".prop_map(|s| quick_xml::escape::escape(&s).into_owned()),
            Just("&amp;".to_string()),
            Just("<![CDATA[1]]>".to_string()),
        ];
        let el = element.clone();
        leaf.prop_recursive(24, 64, 4, move |inner| {
            (el.clone(), prop::collection::vec(inner, 0..4))
                .prop_map(|(name, kids)| format!("<{name}>{}</{name}>", kids.concat()))
        })
        .prop_map(|inner| format!("<labels>{inner}</labels>"))
    }

    fn check<T: DeserializeOwned>(bytes: &[u8], format: Format) {
        if let Err(e) = api::parse_body::<T>(bytes, format) {
            let p = e.problem();
            assert!(p.status.is_client_error(), "{p}");
        }
    }

    fn runner(cases: u32) -> TestRunner {
        TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        })
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_body_parser() {
        runner(256)
            .run(&prop::collection::vec(any::<u8>(), 0..512), |bytes| {
                check::<LabelRequest>(&bytes, Format::Json);
                check::<LabelRequest>(&bytes, Format::Xml);
                check::<StartSync>(&bytes, Format::Xml);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn arbitrary_json_never_panics_the_body_parser() {
        runner(256)
            .run(&json_value(), |v| {
                let text = v.to_string();
                check::<LabelRequest>(text.as_bytes(), Format::Json);
                check::<StartSync>(text.as_bytes(), Format::Json);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn arbitrary_xml_never_panics_the_body_parser() {
        runner(256)
            .run(&xml_text(), |text| {
                check::<LabelRequest>(text.as_bytes(), Format::Xml);
                check::<StartSync>(text.as_bytes(), Format::Xml);
                Ok(())
            })
            .unwrap();
    }

    // Signed arbitrary bodies (and unsigned bytes) into the receiver of a
    // connected company: an outcome or a refusal, never a panic.
    db_async_test!(the_webhook_receiver_survives_arbitrary_bodies, |db| {
        let app = TestApp::spawn(db).await;
        let (company, url) = crate::webhooks::connected(&app).await;
        let token = url.rsplit('/').next().unwrap().to_string();
        let secrets = app.state.secrets.clone();
        app.state
            .db
            .run(move |c| {
                let actions = prop_oneof![
                    Just("parcel_status_changed"),
                    Just("return_created"),
                    Just("integration_updated"),
                    Just("integration_deleted"),
                    Just("refund_requested"),
                    ".{0,8}".prop_map(|_| "x"),
                ];
                let body = (actions, json_value(), any::<Option<i64>>()).prop_map(
                    |(action, v, ts)| {
                        serde_json::json!({"action": action, "timestamp": ts, "parcel": v, "data": v})
                            .to_string()
                    },
                );
                let now = chrono::Utc::now().naive_utc();
                let c = std::cell::RefCell::new(c);
                runner(96)
                    .run(&body, |text| {
                        let _ = crate::webhooks::deliver(&mut c.borrow_mut(), &secrets, company, &token, &text, now);
                        Ok(())
                    })
                    .unwrap();
                runner(96)
                    .run(&prop::collection::vec(any::<u8>(), 0..256), |bytes| {
                        let _ = sendcloud_plugin::webhooks::handle_webhook(
                            &mut c.borrow_mut(), &secrets, company, &token, Some("sig"), &bytes, now,
                        );
                        Ok(())
                    })
                    .unwrap();
                Ok(())
            })
            .await
            .unwrap();
    });
}

// The docs page shows the operations' summaries and their parameters'
// descriptions in the reader's language (the JSON document stays English).
db_async_test!(the_docs_page_speaks_the_readers_language, |db| {
    let app = TestApp::spawn(db).await;
    let summary_of = |page: &str, op: &str| -> String {
        let start = page
            .find(&format!("id=\"op-{op}\""))
            .unwrap_or_else(|| panic!("no {op} in {page}"));
        let rest = &page[start..];
        let open = rest.find("<p>").unwrap() + 3;
        let close = rest[open..].find("</p>").unwrap();
        rest[open..open + close].trim().to_string()
    };
    let mut pages = vec![];
    for query in ["", "?lang=en", "?lang=nl", "?lang=fr"] {
        let page = reqwest::get(app.url(&format!("/api/v1/docs{query}")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        pages.push(summary_of(&page, "listCompanies"));
        // A parameter's description too, in the same language.
        let (page_rows, logs_rows) = match query {
            "" => (
                "Zeilen je Seite, 1 bis 200 (Standard 50).",
                "Einträge je Seite",
            ),
            "?lang=en" => ("Rows per page, 1 to 200 (default 50).", "Entries per page"),
            "?lang=nl" => (
                "Rijen per pagina, 1 tot 200 (standaard 50).",
                "Regels per pagina",
            ),
            _ => (
                "Lignes par page, de 1 à 200 (50 par défaut).",
                "Entrées par page",
            ),
        };
        let parcels = &page[page.find("id=\"op-listParcels\"").unwrap()..];
        let parcels = &parcels[..parcels.find("</article>").unwrap()];
        assert!(parcels.contains(page_rows), "{query}: {parcels}");
        let logs = &page[page.find("id=\"op-listLogs\"").unwrap()..];
        let logs = &logs[..logs.find("</article>").unwrap()];
        assert!(logs.contains(logs_rows), "{query}: {logs}");
        // An error code's description and a schema field's, likewise.
        let (no_label, full) = match query {
            "" => (
                "Die Lieferung hat kein Label (noch nicht oder nicht mehr).",
                "Alles neu einlesen (setzt die Positionen der Objekte zurück).",
            ),
            "?lang=en" => (
                "The delivery has no label (yet, or any more).",
                "Read everything again (resets the objects&#39; positions).",
            ),
            "?lang=nl" => (
                "De levering heeft geen label (nog niet, of niet meer).",
                "Alles opnieuw inlezen",
            ),
            _ => (
                "La livraison n’a pas d’étiquette (pas encore, ou plus).",
                "Tout relire",
            ),
        };
        let code = &page[page.find("<tr id=\"code-no_label\">").unwrap()..];
        let code = &code[..code.find("</tr>").unwrap()];
        assert!(code.contains(no_label), "{query}: {code}");
        let sync = &page[page.find("id=\"schema-StartSync\"").unwrap()..];
        let sync = &sync[..sync.find("</article>").unwrap()];
        assert!(sync.contains(full), "{query}: {sync}");
    }
    assert_eq!(
        pages,
        [
            "Die Mandanten, die das Token abdeckt, mit dem Stand ihrer Integration.",
            "The companies the token covers, with their integration state.",
            "De bedrijven die het token dekt, met de stand van hun integratie.",
            "Les sociétés couvertes par le jeton, avec l’état de leur intégration.",
        ]
    );
    let doc: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        doc["paths"]["/api/v1/companies"]["get"]["summary"],
        "The companies the token covers, with their integration state."
    );
    // The document's codes and fields stay English.
    let no_label = doc["x-error-codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "no_label")
        .unwrap();
    assert_eq!(
        no_label["meaning"],
        "The delivery has no label (yet, or any more)."
    );
    assert_eq!(
        doc["components"]["schemas"]["StartSync"]["properties"]["full"]["description"],
        "Read everything again (resets the objects' positions)."
    );
});
