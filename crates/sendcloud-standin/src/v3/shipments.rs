//! v3 `GET /shipments` (filters `updated_after`/`updated_before`, `external_reference_id`,
//! `order_number`, `tracking_number`, `parcel_status`, `ids`, `page_size`; cursor paging via
//! the `Link` header, RFC 8288) and `GET /shipments/{id}`, served from the same parcel state
//! the v2 parcel endpoints serve (so seeding, status moves, webhooks and faults apply alike).
//!
//! A shipment is the parcels of one creation: the first collo and its siblings (consecutive
//! ids, `collo_nr` 1…). Its id is the v2 `shipment_uuid`, or, for parcels made without one,
//! a UUID derived from the first parcel's id. Stand-in choices where the spec is silent: v3
//! status codes are the v2 status messages in upper snake case (`Ready to send` →
//! `READY_TO_SEND`, as `GET /parcels/statuses`); the shipping option code is the one
//! `POST /shipping-options` gives the parcel's v2 method; a shipment
//! matches `updated_after`/`updated_before` by its most recently updated parcel.

// Helpers return a ready `HttpResponse` as their error so handlers can answer early.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;

use super::paging;
use crate::state::{slug, status_message, Account, Parcel};
use crate::v2::parse_datetime;
use crate::{auth, query, v3_error, Standin};

type Data = web::Data<Standin>;

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/shipments", web::get().to(list_shipments))
        .route("/shipments/{id}", web::get().to(get_shipment));
}

fn unauthorized() -> HttpResponse {
    v3_error(
        StatusCode::UNAUTHORIZED,
        "authentication_failed",
        "Invalid username/password.",
        None,
    )
}

/// The v3 status code of a v2 status id (the same codes `GET /parcels/statuses` lists).
pub(crate) fn status_code(id: u32) -> String {
    super::addresses::status_code(status_message(id))
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The shipment id of a first collo.
pub(crate) fn shipment_id(p: &Parcel) -> String {
    match &p.shipment_uuid {
        Some(u) => u.clone(),
        None => format!("00000000-0000-4000-8000-{:012}", p.id % 1_000_000_000_000),
    }
}

/// The parcels of the shipment whose first collo is `lead`.
fn colli<'a>(account: &'a Account, lead: &'a Parcel) -> Vec<&'a Parcel> {
    let mut out = vec![lead];
    for i in 1..u64::from(lead.collo_count.max(1)) {
        match account.parcels.get(&(lead.id + i)) {
            Some(p) if p.collo_nr > 0 && p.shipment_uuid == lead.shipment_uuid => out.push(p),
            _ => break,
        }
    }
    out
}

/// A shipment as `GET /shipments` writes it, serialised straight from the
/// state (no `serde_json::Value` per shipment: building one map per object was
/// most of the stand-in's time per page, and the stand-in shares the
/// benchmark machine with the module it serves). `shipment_json_reference`
/// in the tests is the former `Value`-building answer, kept to prove this one
/// the same.
#[derive(Serialize)]
pub(crate) struct ShipmentOut<'a> {
    id: String,
    order_number: &'a str,
    reference: &'a str,
    external_reference_id: Option<&'a str>,
    from_address: AddressOut<'a>,
    to_address: AddressOut<'a>,
    ship_with: ShipWith,
    carrier: Code<'a>,
    parcels: Vec<ParcelOut<'a>>,
    errors: &'static [u8],
    #[serde(skip_serializing_if = "Option::is_none")]
    total_order_price: Option<Price<'a>>,
}

/// An address; optional text fields that are empty are left out (as
/// `paging::address` does for the `Value` answers).
#[derive(Serialize)]
struct AddressOut<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    company_name: &'a str,
    address_line_1: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    address_line_2: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    house_number: &'a str,
    postal_code: &'a str,
    city: &'a str,
    country_code: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    state_province_code: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    email: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    phone_number: &'a str,
}

#[derive(Serialize)]
struct ShipWith {
    #[serde(rename = "type")]
    kind: &'static str,
    properties: ShipWithProperties,
}

#[derive(Serialize)]
struct ShipWithProperties {
    shipping_option_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    contract_id: Option<u64>,
}

#[derive(Serialize)]
struct Code<'a> {
    code: &'a str,
}

#[derive(Serialize)]
struct Price<'a> {
    value: &'a str,
    currency: &'a str,
}

#[derive(Serialize)]
struct ParcelOut<'a> {
    id: u64,
    status: StatusOut,
    documents: Vec<DocumentOut>,
    weight: Measure,
    tracking_number: &'a str,
    tracking_url: Option<String>,
    additional_carrier_data: CarrierData,
    created_at: String,
    updated_at: String,
    announced_at: Option<String>,
    label_notes: &'static [u8],
    parcel_items: &'static [u8],
    #[serde(skip_serializing_if = "Option::is_none")]
    dimensions: Option<Dimensions<'a>>,
}

#[derive(Serialize)]
struct StatusOut {
    code: String,
    message: &'static str,
}

#[derive(Serialize)]
struct DocumentOut {
    #[serde(rename = "type")]
    kind: &'static str,
    size: &'static str,
    link: String,
}

#[derive(Serialize)]
struct Measure {
    value: String,
    unit: &'static str,
}

#[derive(Serialize)]
struct CarrierData {
    awb_tracking_number: Option<()>,
    box_number: Option<()>,
}

#[derive(Serialize)]
struct Dimensions<'a> {
    length: &'a str,
    width: &'a str,
    height: &'a str,
    unit: &'static str,
}

fn tracking_url(p: &Parcel) -> Option<String> {
    let carrier = p.shipment.as_ref().map(|s| s.2.as_str());
    (!p.tracking_number.is_empty()).then(|| {
        format!(
            "https://tracking.sendcloud.sc/forward?carrier={}&code={}&destination={}&lang=en-us&source={}&type=parcel&verification={}",
            carrier.unwrap_or("sendcloud"),
            p.tracking_number,
            p.country,
            p.sender_country,
            p.postal_code.replace(' ', "")
        )
    })
}

fn parcel_out<'a>(base: &str, p: &'a Parcel) -> ParcelOut<'a> {
    ParcelOut {
        id: p.id,
        status: StatusOut {
            code: status_code(p.status),
            message: status_message(p.status),
        },
        documents: if p.announced() {
            vec![DocumentOut {
                kind: "label",
                size: "a6",
                link: format!("{base}/api/v3/parcels/{}/documents/label", p.id),
            }]
        } else {
            vec![]
        },
        weight: Measure {
            value: format!("{:.3}", p.weight),
            unit: "kg",
        },
        tracking_number: &p.tracking_number,
        tracking_url: tracking_url(p),
        additional_carrier_data: CarrierData {
            awb_tracking_number: None,
            box_number: None,
        },
        created_at: ts(p.date_created),
        updated_at: ts(p.date_updated),
        announced_at: p.date_announced.map(ts),
        label_notes: &[],
        parcel_items: &[],
        dimensions: match (&p.length, &p.width, &p.height) {
            (Some(l), Some(w), Some(h)) => Some(Dimensions {
                length: l,
                width: w,
                height: h,
                unit: "cm",
            }),
            _ => None,
        },
    }
}

/// The shipping option code and carrier of a shipment.
fn option_of(account: &Account, lead: &Parcel) -> (String, String) {
    // The code `POST /shipping-options` gives the parcel's v2 method.
    match &lead.shipment {
        Some((id, name, carrier)) => (
            account
                .shipping_methods
                .iter()
                .find(|m| m.id == *id)
                .and_then(super::shipping_options::option_code)
                .unwrap_or_else(|| format!("{carrier}:{}", slug(name))),
            carrier.clone(),
        ),
        None => ("sendcloud:unstamped".to_string(), "sendcloud".to_string()),
    }
}

pub(crate) fn shipment_out<'a>(
    base: &str,
    account: &'a Account,
    lead: &'a Parcel,
    parcels: &[&'a Parcel],
    option: &'a (String, String),
) -> ShipmentOut<'a> {
    let from_address = match account
        .sender_addresses
        .iter()
        .find(|a| a.id == lead.sender_address)
    {
        Some(a) => AddressOut {
            name: if a.contact_name.is_empty() {
                &a.company_name
            } else {
                &a.contact_name
            },
            company_name: &a.company_name,
            address_line_1: &a.street,
            address_line_2: "",
            house_number: &a.house_number,
            postal_code: &a.postal_code,
            city: &a.city,
            country_code: &a.country,
            state_province_code: "",
            email: &a.email,
            phone_number: &a.telephone,
        },
        None => AddressOut {
            name: "Sendcloud",
            company_name: "",
            address_line_1: "Stadhuisplein",
            address_line_2: "",
            house_number: "10",
            postal_code: "5611 EM",
            city: "Eindhoven",
            country_code: &lead.sender_country,
            state_province_code: "",
            email: "",
            phone_number: "",
        },
    };
    ShipmentOut {
        id: shipment_id(lead),
        order_number: &lead.order_number,
        reference: &lead.reference,
        external_reference_id: lead.external_reference.as_deref(),
        from_address,
        to_address: AddressOut {
            name: &lead.name,
            company_name: &lead.company_name,
            address_line_1: &lead.street,
            address_line_2: &lead.address_2,
            house_number: &lead.house_number,
            postal_code: &lead.postal_code,
            city: &lead.city,
            country_code: &lead.country,
            state_province_code: lead.to_state.as_deref().unwrap_or(""),
            email: &lead.email,
            phone_number: &lead.telephone,
        },
        ship_with: ShipWith {
            kind: "shipping_option_code",
            properties: ShipWithProperties {
                shipping_option_code: option.0.clone(),
                contract_id: lead.contract,
            },
        },
        carrier: Code { code: &option.1 },
        parcels: parcels.iter().map(|p| parcel_out(base, p)).collect(),
        errors: &[],
        total_order_price: match (&lead.total_order_value, &lead.total_order_value_currency) {
            (Some(v), Some(c)) => Some(Price {
                value: v,
                currency: c,
            }),
            _ => None,
        },
    }
}

/// A shipment as JSON (`GET /shipments/{id}` and the tests).
fn shipment_json(base: &str, account: &Account, lead: &Parcel, parcels: &[&Parcel]) -> Value {
    let option = option_of(account, lead);
    serde_json::to_value(shipment_out(base, account, lead, parcels, &option)).unwrap_or(Value::Null)
}

/// The filters of `GET /shipments`.
struct Filter {
    updated_after: Option<DateTime<Utc>>,
    updated_before: Option<DateTime<Utc>>,
    external_reference: Option<String>,
    order_number: Option<String>,
    tracking_number: Option<String>,
    status: Option<String>,
    ids: Option<Vec<u64>>,
}

impl Filter {
    fn parse(q: &HashMap<String, String>) -> Result<Filter, HttpResponse> {
        let bad = |detail: String, param: &str| {
            v3_error(
                StatusCode::BAD_REQUEST,
                "validation_error",
                &detail,
                Some(&format!("/list_shipments/filters/{param}")),
            )
        };
        let text = |k: &str| q.get(k).filter(|v| !v.is_empty()).cloned();
        let date = |k: &str| -> Result<Option<DateTime<Utc>>, HttpResponse> {
            match text(k) {
                None => Ok(None),
                Some(v) => parse_datetime(&v)
                    .map(Some)
                    .ok_or_else(|| bad(format!("Validation failed, {k} is not a datetime"), k)),
            }
        };
        let ids = match text("ids") {
            None => None,
            Some(v) => {
                let parsed: Option<Vec<u64>> =
                    v.split(',').map(|x| x.trim().parse().ok()).collect();
                match parsed {
                    Some(ids) if ids.len() <= 100 => Some(ids),
                    Some(_) => {
                        return Err(bad("ids may not contain more than 100 ids".into(), "ids"))
                    }
                    None => return Err(bad("ids must be a comma-separated list".into(), "ids")),
                }
            }
        };
        Ok(Filter {
            updated_after: date("updated_after")?,
            updated_before: date("updated_before")?,
            external_reference: text("external_reference_id"),
            order_number: text("order_number"),
            tracking_number: text("tracking_number"),
            status: text("parcel_status"),
            ids,
        })
    }

    fn keeps(&self, parcels: &[&Parcel]) -> bool {
        let updated = parcels.iter().map(|p| p.date_updated).max();
        let lead = parcels[0];
        self.updated_after
            .is_none_or(|t| updated.is_some_and(|u| u >= t))
            && self
                .updated_before
                .is_none_or(|t| updated.is_some_and(|u| u < t))
            && self
                .external_reference
                .as_ref()
                .is_none_or(|r| lead.external_reference.as_ref() == Some(r))
            && self
                .order_number
                .as_ref()
                .is_none_or(|o| &lead.order_number == o)
            && self
                .tracking_number
                .as_ref()
                .is_none_or(|t| parcels.iter().any(|p| &p.tracking_number == t))
            && self.status.as_ref().is_none_or(|s| {
                parcels
                    .iter()
                    .any(|p| p.status.to_string() == *s || status_code(p.status) == *s)
            })
            && self
                .ids
                .as_ref()
                .is_none_or(|ids| parcels.iter().any(|p| ids.contains(&p.id)))
    }
}

async fn list_shipments(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let q = query(&req);
    let (filter, after, size) = match (
        Filter::parse(&q),
        paging::cursor(&q),
        paging::size(&q, 100, data.page_size()),
    ) {
        (Ok(f), Ok(c), Ok(s)) => (f, c, s),
        (Err(r), _, _) | (_, Err(r), _) | (_, _, Err(r)) => return r,
    };
    let base = data.base_url().to_string();
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized();
    };
    let from = after.map_or(0, |p| p.saturating_add(1));
    // The idempotency look-up by external reference does not scan.
    let leads: Box<dyn Iterator<Item = &Parcel>> = match (&filter.external_reference, after) {
        (Some(r), None) => Box::new(
            account
                .external_refs
                .get(r)
                .and_then(|id| account.parcels.get(id))
                .into_iter(),
        ),
        _ => Box::new(account.parcels.range(from..).map(|(_, p)| p)),
    };
    let mut page = Vec::new();
    let mut more = false;
    for lead in leads.filter(|p| p.collo_nr == 0) {
        // A one-collo shipment older than `updated_after` is passed over
        // without building its colli list: an Abgleich with nothing new at
        // an account of a million parcels scans them all (Sendcloud has an
        // index; the stand-in's scan should not be what a benchmark measures).
        if filter
            .updated_after
            .is_some_and(|t| lead.collo_count <= 1 && lead.date_updated < t)
        {
            continue;
        }
        let parcels = colli(account, lead);
        if !filter.keeps(&parcels) {
            continue;
        }
        if page.len() == size {
            more = true;
            break;
        }
        page.push((lead.id, parcels, option_of(account, lead)));
    }
    // Forward paging only (the stand-in sends no `prev` link).
    let mut links = Vec::new();
    if let (true, Some((last, _, _))) = (more, page.last()) {
        let url = paging::page_url(&base, &req, &paging::encode(*last));
        links.push(format!("<{url}>; rel=\"next\""));
    }
    let mut resp = HttpResponse::Ok();
    if !links.is_empty() {
        resp.insert_header(("Link", links.join(", ")));
    }
    let data: Vec<ShipmentOut<'_>> = page
        .iter()
        .map(|(_, parcels, option)| shipment_out(&base, account, parcels[0], parcels, option))
        .collect();
    #[derive(Serialize)]
    struct Page<'a> {
        data: Vec<ShipmentOut<'a>>,
    }
    let body = serde_json::to_vec(&Page { data });
    drop(s);
    match body {
        Ok(body) => resp.content_type("application/json").body(body),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

async fn get_shipment(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let id = req.match_info().get("id").unwrap_or_default().to_string();
    let base = data.base_url().to_string();
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized();
    };
    let lead = account
        .parcels
        .values()
        .find(|p| p.collo_nr == 0 && shipment_id(p) == id);
    match lead {
        Some(lead) => {
            let parcels = colli(account, lead);
            HttpResponse::Ok()
                .json(serde_json::json!({"data": shipment_json(&base, account, lead, &parcels)}))
        }
        None => v3_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "No Shipment matches the given query.",
            Some("/data"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::paging::address;
    use super::*;
    use serde_json::json;

    /// The former `Value`-building answer, kept to prove the typed one the same.
    fn parcel_json_reference(base: &str, p: &Parcel) -> Value {
        let carrier = p.shipment.as_ref().map(|s| s.2.as_str());
        let tracking_url = (!p.tracking_number.is_empty()).then(|| {
            format!(
                "https://tracking.sendcloud.sc/forward?carrier={}&code={}&destination={}&lang=en-us&source={}&type=parcel&verification={}",
                carrier.unwrap_or("sendcloud"),
                p.tracking_number,
                p.country,
                p.sender_country,
                p.postal_code.replace(' ', "")
            )
        });
        let documents: Vec<Value> = if p.announced() {
            vec![json!({"type": "label", "size": "a6",
                "link": format!("{base}/api/v3/parcels/{}/documents/label", p.id)})]
        } else {
            vec![]
        };
        let mut out = json!({
            "id": p.id,
            "status": {"code": status_code(p.status), "message": status_message(p.status)},
            "documents": documents,
            "weight": {"value": format!("{:.3}", p.weight), "unit": "kg"},
            "tracking_number": p.tracking_number,
            "tracking_url": tracking_url,
            "additional_carrier_data": {"awb_tracking_number": null, "box_number": null},
            "created_at": ts(p.date_created),
            "updated_at": ts(p.date_updated),
            "announced_at": p.date_announced.map(ts),
            "label_notes": [],
            "parcel_items": [],
        });
        if let (Some(l), Some(w), Some(h)) = (&p.length, &p.width, &p.height) {
            out["dimensions"] = json!({"length": l, "width": w, "height": h, "unit": "cm"});
        }
        out
    }

    fn shipment_json_reference(
        base: &str,
        account: &Account,
        lead: &Parcel,
        parcels: &[&Parcel],
    ) -> Value {
        let sender = account
            .sender_addresses
            .iter()
            .find(|a| a.id == lead.sender_address);
        let from_address = match sender {
            Some(a) => json!({
                "name": if a.contact_name.is_empty() { &a.company_name } else { &a.contact_name },
                "company_name": a.company_name,
                "address_line_1": a.street,
                "house_number": a.house_number,
                "postal_code": a.postal_code,
                "city": a.city,
                "country_code": a.country,
                "email": a.email,
                "phone_number": a.telephone,
            }),
            None => {
                json!({"name": "Sendcloud", "address_line_1": "Stadhuisplein", "house_number": "10",
                "postal_code": "5611 EM", "city": "Eindhoven", "country_code": lead.sender_country})
            }
        };
        let mut to_address = json!({
            "name": lead.name,
            "company_name": lead.company_name,
            "address_line_1": lead.street,
            "address_line_2": lead.address_2,
            "house_number": lead.house_number,
            "postal_code": lead.postal_code,
            "city": lead.city,
            "country_code": lead.country,
            "email": lead.email,
            "phone_number": lead.telephone,
        });
        if let Some(s) = &lead.to_state {
            to_address["state_province_code"] = json!(s);
        }
        // The code `POST /shipping-options` gives the parcel's v2 method.
        let (option_code, carrier) = match &lead.shipment {
            Some((id, name, carrier)) => (
                account
                    .shipping_methods
                    .iter()
                    .find(|m| m.id == *id)
                    .and_then(super::super::shipping_options::option_code)
                    .unwrap_or_else(|| format!("{carrier}:{}", slug(name))),
                carrier.as_str(),
            ),
            None => ("sendcloud:unstamped".to_string(), "sendcloud"),
        };
        let mut ship_with = json!({"type": "shipping_option_code",
            "properties": {"shipping_option_code": option_code}});
        if let Some(c) = lead.contract {
            ship_with["properties"]["contract_id"] = json!(c);
        }
        let mut out = json!({
            "id": shipment_id(lead),
            "order_number": lead.order_number,
            "reference": lead.reference,
            "external_reference_id": lead.external_reference,
            "from_address": address(from_address),
            "to_address": address(to_address),
            "ship_with": ship_with,
            "carrier": {"code": carrier},
            "parcels": parcels.iter().map(|p| parcel_json_reference(base, p)).collect::<Vec<_>>(),
            "errors": [],
        });
        if let (Some(v), Some(c)) = (&lead.total_order_value, &lead.total_order_value_currency) {
            out["total_order_price"] = json!({"value": v, "currency": c});
        }
        out
    }

    #[test]
    fn typed_shipments_equal_the_value_built_ones() {
        let standin = crate::Standin::new(crate::StandinConfig::default(), "http://h".into());
        let keys = standin.demo_keys().expect("demo account");
        assert!(standin.seed(
            keys.account_id,
            crate::SeedSpec {
                parcels: 60,
                ..Default::default()
            }
        ));
        let s = standin.state();
        let account = &s.accounts[&keys.account_id];
        let mut seen = 0;
        for lead in account.parcels.values().filter(|p| p.collo_nr == 0) {
            let parcels = colli(account, lead);
            assert_eq!(
                shipment_json("http://h", account, lead, &parcels),
                shipment_json_reference("http://h", account, lead, &parcels),
                "parcel {}",
                lead.id
            );
            seen += 1;
        }
        assert!(seen >= 60, "{seen} shipments compared");
    }

    #[test]
    fn status_codes_are_upper_snake_case_messages() {
        assert_eq!(status_code(1000), "READY_TO_SEND");
        assert_eq!(status_code(11), "DELIVERED");
    }
}
