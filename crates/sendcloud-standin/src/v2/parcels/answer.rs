//! A parcel as Sendcloud answers it (`ParcelResponseShort`, or `ParcelResponseFull` with
//! `customs_information`), serialised straight from the stored [`Parcel`], and its label
//! link block.

use serde::Serialize;
use serde_json::Value;

use crate::state::{country, dmy, status_message, Parcel};

pub(super) fn needs_customs(country: &str) -> bool {
    matches!(country, "CH" | "GB" | "US")
}

/// A v2 parcel object (`ParcelResponseFull` when `full`, else `ParcelResponseShort`).
/// `{}`
#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
struct AddressDividedOut<'a> {
    street: &'a str,
    house_number: &'a str,
}

/// The label link block: the A4 sheet with the label at positions 0–3 and the A6 label.
#[derive(Serialize)]
pub(crate) struct LabelOut {
    normal_printer: Vec<String>,
    label_printer: String,
}

impl LabelOut {
    /// The links of one parcel's label (`/labels/normal_printer/{id}?start_from=N`).
    pub(crate) fn parcel(base: &str, id: u64) -> LabelOut {
        LabelOut::new(base, &format!("/{id}"))
    }

    /// The links of one PDF for several parcels (`ids` comma-separated).
    pub(crate) fn parcels(base: &str, ids: &str) -> LabelOut {
        LabelOut::new(base, &format!("?ids={ids}"))
    }

    fn new(base: &str, target: &str) -> LabelOut {
        let join = if target.contains('?') { '&' } else { '?' };
        LabelOut {
            normal_printer: (0..4)
                .map(|i| format!("{base}/api/v2/labels/normal_printer{target}{join}start_from={i}"))
                .collect(),
            label_printer: format!("{base}/api/v2/labels/label_printer{target}"),
        }
    }
}

#[derive(Serialize)]
struct DocumentOut {
    #[serde(rename = "type")]
    kind: &'static str,
    size: &'static str,
    link: String,
}

#[derive(Serialize)]
struct StatusOut {
    id: u32,
    message: &'static str,
}

#[derive(Serialize)]
struct CountryOut {
    iso_3: &'static str,
    iso_2: &'static str,
    name: &'static str,
}

#[derive(Serialize)]
struct ShipmentOut<'a> {
    id: u64,
    name: &'a str,
}

#[derive(Serialize)]
struct CarrierOut<'a> {
    code: &'a str,
}

/// A parcel as Sendcloud answers it (`ParcelResponseShort`, plus `customs_information` for
/// `ParcelResponseFull`). Serialised directly by list pages (no intermediate `Value`), and
/// the single source of [`parcel_json`].
#[derive(Serialize)]
pub(crate) struct ParcelOut<'a> {
    id: u64,
    name: &'a str,
    company_name: &'a str,
    contract: Option<u64>,
    address: String,
    address_2: &'a str,
    address_divided: AddressDividedOut<'a>,
    city: &'a str,
    postal_code: &'a str,
    telephone: &'a str,
    email: &'a str,
    date_created: String,
    date_updated: String,
    date_announced: Option<String>,
    tracking_number: &'a str,
    tracking_url: Option<String>,
    weight: String,
    label: Option<LabelOut>,
    customs_declaration: Empty,
    status: StatusOut,
    data: Empty,
    country: CountryOut,
    shipment: Option<ShipmentOut<'a>>,
    carrier: Option<CarrierOut<'a>>,
    order_number: &'a str,
    shipment_uuid: Option<&'a str>,
    external_reference: Option<&'a str>,
    reference: &'a str,
    is_return: bool,
    insured_value: u64,
    total_insured_value: u64,
    total_order_value: Option<&'a str>,
    total_order_value_currency: Option<&'a str>,
    to_state: Option<&'a str>,
    to_service_point: Option<&'a str>,
    colli_uuid: &'a str,
    collo_nr: u32,
    collo_count: u32,
    awb_tracking_number: Option<()>,
    box_number: Option<()>,
    length: Option<&'a str>,
    width: Option<&'a str>,
    height: Option<&'a str>,
    parcel_items: &'a Value,
    documents: Vec<DocumentOut>,
    customs_invoice_nr: &'a str,
    customs_shipment_type: Option<u64>,
    #[serde(rename = "type")]
    kind: &'static str,
    shipping_method_checkout_name: &'a str,
    note: &'static str,
    errors: Empty,
    #[serde(skip_serializing_if = "Option::is_none")]
    customs_information: Option<&'a Value>,
}

impl<'a> ParcelOut<'a> {
    pub(crate) fn new(base: &str, p: &'a Parcel, full: bool) -> ParcelOut<'a> {
        let (iso_2, iso_3, name) = country(&p.country).unwrap_or(("XX", "XXX", "Unknown"));
        let mut documents = Vec::new();
        if p.announced() {
            documents.push(DocumentOut {
                kind: "label",
                size: "a6",
                link: format!("{base}/api/v2/parcels/{}/documents/label", p.id),
            });
            if needs_customs(&p.country) {
                documents.push(DocumentOut {
                    kind: "cn23",
                    size: "a4",
                    link: format!("{base}/api/v2/parcels/{}/documents/cn23", p.id),
                });
            }
        }
        let tracking_url = (!p.tracking_number.is_empty()).then(|| {
            format!(
                "https://tracking.sendcloud.sc/forward?carrier={}&code={}&destination={}&lang=en-us&source={}&type=parcel&verification={}",
                p.shipment.as_ref().map(|s| s.2.as_str()).unwrap_or("sendcloud"),
                p.tracking_number,
                p.country,
                p.sender_country,
                p.postal_code.replace(' ', "")
            )
        });
        let label = p.announced().then(|| LabelOut::parcel(base, p.id));
        ParcelOut {
            id: p.id,
            name: &p.name,
            company_name: &p.company_name,
            contract: p.contract,
            address: format!("{} {}", p.street, p.house_number)
                .trim()
                .to_string(),
            address_2: &p.address_2,
            address_divided: AddressDividedOut {
                street: &p.street,
                house_number: &p.house_number,
            },
            city: &p.city,
            postal_code: &p.postal_code,
            telephone: &p.telephone,
            email: &p.email,
            date_created: dmy(p.date_created),
            date_updated: dmy(p.date_updated),
            date_announced: p.date_announced.map(dmy),
            tracking_number: &p.tracking_number,
            tracking_url,
            weight: format!("{:.3}", p.weight),
            label,
            customs_declaration: Empty {},
            status: StatusOut {
                id: p.status,
                message: status_message(p.status),
            },
            data: Empty {},
            country: CountryOut { iso_3, iso_2, name },
            shipment: p.shipment.as_ref().map(|s| ShipmentOut {
                id: s.0,
                name: &s.1,
            }),
            carrier: p.shipment.as_ref().map(|s| CarrierOut { code: &s.2 }),
            order_number: &p.order_number,
            shipment_uuid: p.shipment_uuid.as_deref(),
            external_reference: p.external_reference.as_deref(),
            reference: &p.reference,
            is_return: p.is_return,
            insured_value: p.insured_value,
            total_insured_value: p.total_insured_value,
            total_order_value: p.total_order_value.as_deref(),
            total_order_value_currency: p.total_order_value_currency.as_deref(),
            to_state: p.to_state.as_deref(),
            to_service_point: p.to_service_point.as_deref(),
            colli_uuid: &p.colli_uuid,
            collo_nr: p.collo_nr,
            collo_count: p.collo_count,
            awb_tracking_number: None,
            box_number: None,
            length: p.length.as_deref(),
            width: p.width.as_deref(),
            height: p.height.as_deref(),
            parcel_items: &p.parcel_items,
            documents,
            customs_invoice_nr: &p.customs_invoice_nr,
            customs_shipment_type: p.customs_shipment_type,
            kind: "parcel",
            shipping_method_checkout_name: &p.shipping_method_checkout_name,
            note: "",
            errors: Empty {},
            customs_information: full.then_some(&p.customs_information),
        }
    }
}

/// A parcel as Sendcloud answers it, as JSON (`full` adds `customs_information`).
pub(crate) fn parcel_json(base: &str, p: &Parcel, full: bool) -> Value {
    serde_json::to_value(ParcelOut::new(base, p, full)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use serde_json::json;

    use super::*;
    use crate::state::State;

    /// The former `label_json`, kept as the reference of the label block.
    fn label_json_reference(base: &str, p: &Parcel) -> Value {
        if !p.announced() {
            return Value::Null;
        }
        json!({
            "normal_printer": (0..4)
                .map(|i| format!("{base}/api/v2/labels/normal_printer/{}?start_from={i}", p.id))
                .collect::<Vec<_>>(),
            "label_printer": format!("{base}/api/v2/labels/label_printer/{}", p.id),
        })
    }

    /// The former `Value`-building `parcel_json`, kept to prove the typed one equivalent.
    fn parcel_json_reference(base: &str, p: &Parcel, full: bool) -> Value {
        let (iso2, iso3, cname) = country(&p.country).unwrap_or(("XX", "XXX", "Unknown"));
        let mut documents = Vec::new();
        if p.announced() {
            documents.push(json!({"type": "label", "size": "a6",
                "link": format!("{base}/api/v2/parcels/{}/documents/label", p.id)}));
            if needs_customs(&p.country) {
                documents.push(json!({"type": "cn23", "size": "a4",
                    "link": format!("{base}/api/v2/parcels/{}/documents/cn23", p.id)}));
            }
        }
        let tracking_url = (!p.tracking_number.is_empty()).then(|| {
            format!(
                "https://tracking.sendcloud.sc/forward?carrier={}&code={}&destination={}&lang=en-us&source={}&type=parcel&verification={}",
                p.shipment.as_ref().map(|s| s.2.as_str()).unwrap_or("sendcloud"),
                p.tracking_number,
                p.country,
                p.sender_country,
                p.postal_code.replace(' ', "")
            )
        });
        let mut v = json!({
            "id": p.id,
            "name": p.name,
            "company_name": p.company_name,
            "contract": p.contract,
            "address": format!("{} {}", p.street, p.house_number).trim().to_string(),
            "address_2": p.address_2,
            "address_divided": {"street": p.street, "house_number": p.house_number},
            "city": p.city,
            "postal_code": p.postal_code,
            "telephone": p.telephone,
            "email": p.email,
            "date_created": dmy(p.date_created),
            "date_updated": dmy(p.date_updated),
            "date_announced": p.date_announced.map(dmy),
            "tracking_number": p.tracking_number,
            "tracking_url": tracking_url,
            "weight": format!("{:.3}", p.weight),
            "label": label_json_reference(base, p),
            "customs_declaration": {},
            "status": {"id": p.status, "message": status_message(p.status)},
            "data": {},
            "country": {"iso_3": iso3, "iso_2": iso2, "name": cname},
            "shipment": p.shipment.as_ref().map(|s| json!({"id": s.0, "name": s.1})),
            "carrier": p.shipment.as_ref().map(|s| json!({"code": s.2})),
        });
        let more = json!({
            "order_number": p.order_number,
            "shipment_uuid": p.shipment_uuid,
            "external_reference": p.external_reference,
            "reference": p.reference,
            "is_return": p.is_return,
            "insured_value": p.insured_value,
            "total_insured_value": p.total_insured_value,
            "total_order_value": p.total_order_value,
            "total_order_value_currency": p.total_order_value_currency,
            "to_state": p.to_state,
            "to_service_point": p.to_service_point,
            "colli_uuid": p.colli_uuid,
            "collo_nr": p.collo_nr,
            "collo_count": p.collo_count,
            "awb_tracking_number": null,
            "box_number": null,
            "length": p.length,
            "width": p.width,
            "height": p.height,
            "parcel_items": p.parcel_items,
            "documents": documents,
            "customs_invoice_nr": p.customs_invoice_nr,
            "customs_shipment_type": p.customs_shipment_type,
            "type": "parcel",
            "shipping_method_checkout_name": p.shipping_method_checkout_name,
            "note": "",
            "errors": {},
        });
        if let (Some(v), Value::Object(more)) = (v.as_object_mut(), more) {
            v.extend(more);
        }
        if full {
            v["customs_information"] = p.customs_information.clone();
        }
        v
    }

    #[test]
    fn typed_parcel_answer_equals_the_value_built_one() {
        let mut state = State::default();
        let keys = state.seed_demo_account();
        state.seed_bulk(
            keys.account_id,
            crate::state::SeedSpec {
                parcels: 60,
                returns: 0,
                invoices: 0,
            },
        );
        let account = &state.accounts[&keys.account_id];
        let mut checked = 0;
        for p in account.parcels.values() {
            for full in [false, true] {
                assert_eq!(
                    parcel_json("http://h", p, full),
                    parcel_json_reference("http://h", p, full),
                    "parcel {}",
                    p.id
                );
            }
            checked += 1;
        }
        assert_eq!(checked, 60);
        for t in [
            "2026-01-02T03:04:05Z",
            "1999-12-31T23:59:59Z",
            "2026-11-24T00:00:00.999Z",
        ] {
            let t: DateTime<Utc> = t.parse().unwrap();
            assert_eq!(dmy(t), t.format("%d-%m-%Y %H:%M:%S").to_string());
        }
    }
}
