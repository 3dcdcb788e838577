//! What a label says: the v3 announce request for a host delivery, built from
//! the host's data and the company's settings. Pure functions: the caller
//! loads the delivery, settings, option and sender; nothing here touches the
//! database or Sendcloud.
//!
//! - Recipient through the order push's customer data mapping
//!   (`orders::RecipientMapping`, dynamic or manual).
//! - Sender: the warehouse's linked sender address (Lager konfigurieren),
//!   else the account's default, else the company's own address.
//! - Weight: products × delivered quantities; items with HS code and origin
//!   from the chosen product attributes, else the company's customs defaults.
//! - Customs information when the parcel leaves the EU customs area
//!   ([`leaves_eu_customs`]: also the Canary Islands, Ceuta/Melilla, the
//!   Channel Islands, Helgoland, Büsingen, Livigno, Åland, Mount Athos).
//! - Service point from the chosen order field when enabled.
//!
//! Data that cannot be sent as it is (a fractional quantity, a price with
//! more than 2 decimals) is reported as a [`Problem`], never "fixed" silently.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::{Problem, ShippingOption};
use crate::host::{Company, DeliveryForLabel};
use crate::orders::{CustomsDefaults, RecipientMapping, EU_CUSTOMS_AREA};
use crate::sendcloud::shipments_v3::{
    Address, AnnounceRequest, CustomsInformation, FromAddress, LabelDetails, Money, NewParcel,
    ParcelItem, ServicePointRef, ShipWith, Weight,
};
use crate::settings::ServicePointField;

/// The sender of a label.
#[derive(Debug, Clone, PartialEq)]
pub enum Sender {
    /// A synced sender address of the account (by Sendcloud id) and its country.
    SenderAddress { sendcloud_id: i64, country: String },
    /// No sender address synced: the company's own address.
    Company(Box<Company>),
}

impl Sender {
    pub fn country(&self) -> String {
        match self {
            Sender::SenderAddress { country, .. } => country.to_uppercase(),
            Sender::Company(c) => c.country.trim().to_uppercase(),
        }
    }
}

/// What the content needs besides the delivery.
#[derive(Debug, Clone)]
pub struct ContentInput<'a> {
    pub delivery: &'a DeliveryForLabel,
    pub mapping: RecipientMapping,
    pub customs: CustomsDefaults,
    /// `None` when service points are off.
    pub service_point_field: Option<ServicePointField>,
    pub option: &'a ShippingOption,
    pub sender: Sender,
    pub external_reference_id: String,
}

/// Whether a parcel to this address leaves the EU customs area (customs
/// declaration needed). EU member states are inside except their territories
/// outside the customs or VAT area (by postal code); everything else is outside.
pub fn leaves_eu_customs(country: &str, postal_code: &str) -> bool {
    let country = country.trim().to_uppercase();
    let pc: String = postal_code.chars().filter(|c| !c.is_whitespace()).collect();
    if !EU_CUSTOMS_AREA.contains(&country.as_str()) {
        return true;
    }
    match country.as_str() {
        // Canary Islands (35, 38), Ceuta (51), Melilla (52).
        "ES" => ["35", "38", "51", "52"].iter().any(|p| pc.starts_with(p)),
        // Helgoland, Büsingen am Hochrhein.
        "DE" => pc == "27498" || pc == "78266",
        // Livigno, Campione d'Italia.
        "IT" => pc == "23041" || pc == "22061" || pc == "22060",
        // Åland.
        "FI" => pc.starts_with("22"),
        // Mount Athos.
        "GR" => pc == "63086",
        // French overseas departments (971–976).
        "FR" => pc.starts_with("97"),
        _ => false,
    }
}

fn text(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A decimal as a string with exactly `places` decimals.
fn fixed(d: Decimal, places: u32) -> String {
    let mut r = d.round_dp(places);
    r.rescale(places);
    r.to_string()
}

/// The v3 customs export reason of a shipment type code (0–4).
fn export_reason(code: i32) -> &'static str {
    match code {
        0 => "gift",
        1 => "documents",
        3 => "commercial_sample",
        4 => "returned_goods",
        _ => "commercial_goods",
    }
}

/// The service point id from the chosen order field.
fn service_point(d: &DeliveryForLabel, field: Option<ServicePointField>) -> Option<String> {
    let o = &d.order;
    match field? {
        ServicePointField::ServicePointRef => text(o.service_point_ref.as_deref()),
        ServicePointField::YourRef => text(o.your_ref.as_deref()),
        ServicePointField::Remarks => text(o.remarks.as_deref()),
    }
}

/// The parcel weight in kg: products × quantities (products without a weight count 0).
pub fn parcel_weight(d: &DeliveryForLabel) -> Decimal {
    d.lines
        .iter()
        .map(|l| l.weight_kg.unwrap_or_default() * l.quantity)
        .sum()
}

/// The announce request for a delivery, and what in the host's data cannot
/// be sent as it is.
pub fn build(input: &ContentInput<'_>) -> (AnnounceRequest, Vec<Problem>) {
    let d = input.delivery;
    let mut problems = Vec::new();
    let r = input.mapping.recipient(&d.customer, d.contact.as_ref());
    let leaves = leaves_eu_customs(&r.country, &r.postal_code);
    let currency = d.order.currency.trim().to_uppercase();
    let mut items = Vec::with_capacity(d.lines.len());
    for (n, line) in d.lines.iter().enumerate() {
        let field = format!("line:{}", n + 1);
        let quantity = line.quantity.normalize();
        let whole = quantity.fract().is_zero();
        if !whole {
            problems.push(Problem::check("quantity_fractional", &field, &line.sku));
        }
        let mut hs_code = line.hs_code.clone();
        let mut origin = line.origin_country.clone().map(|c| c.to_uppercase());
        if leaves {
            hs_code = hs_code.or_else(|| text(Some(&input.customs.hs_code)));
            origin = origin
                .or_else(|| text(Some(&input.customs.origin_country)).map(|c| c.to_uppercase()));
            if hs_code.is_none() {
                problems.push(Problem::check("hs_code_missing", &field, &line.sku));
            }
            if origin.is_none() {
                problems.push(Problem::check("origin_missing", &field, &line.sku));
            }
        }
        items.push(ParcelItem {
            item_id: Some(line.id.to_string()),
            description: text(Some(&line.description)).unwrap_or_else(|| line.product_name.clone()),
            quantity: quantity.ceil().to_i64().unwrap_or(1).max(1),
            weight: line.weight_kg.map(|w| Weight::kg(fixed(w, 3))),
            price: Money {
                // Sent as it is: the pre-flight check refuses more than 2 decimals.
                value: line.unit_price.normalize().to_string(),
                currency: currency.clone(),
            },
            hs_code: if leaves {
                hs_code
            } else {
                line.hs_code.clone()
            },
            origin_country: if leaves {
                origin
            } else {
                line.origin_country.clone()
            },
            sku: Some(line.sku.clone()),
            product_id: Some(line.product_id.to_string()),
        });
    }
    let weight = parcel_weight(d);
    let from_address = match &input.sender {
        Sender::SenderAddress { sendcloud_id, .. } => FromAddress::SenderAddress {
            sender_address_id: *sendcloud_id,
        },
        Sender::Company(c) => FromAddress::Address(Box::new(Address {
            name: c.name.clone(),
            company_name: Some(c.name.clone()),
            address_line_1: c.street.clone(),
            house_number: text(c.house_number.as_deref()),
            postal_code: c.postal_code.clone(),
            city: c.city.clone(),
            country_code: c.country.trim().to_uppercase(),
            email: text(c.email.as_deref()),
            phone_number: text(c.phone.as_deref()),
            ..Address::default()
        })),
    };
    let req = AnnounceRequest {
        label_details: Some(LabelDetails {
            mime_type: "application/pdf".into(),
            dpi: 72,
        }),
        to_address: Address {
            name: r.name.clone(),
            company_name: r.company_name.clone(),
            address_line_1: r.street.clone(),
            house_number: r.house_number.clone(),
            address_line_2: r.address_2.clone(),
            postal_code: r.postal_code.clone(),
            city: r.city.clone(),
            po_box: None,
            state_province_code: r.state.clone(),
            country_code: r.country.clone(),
            email: r.email.clone(),
            phone_number: r.phone.clone(),
        },
        from_address,
        ship_with: ShipWith::option(&input.option.code),
        order_number: Some(d.order.order_number.clone()),
        total_order_price: Some(Money {
            value: fixed(d.order.total_amount, 2),
            currency: currency.clone(),
        }),
        external_reference_id: input.external_reference_id.clone(),
        reference: Some(d.delivery.delivery_number.clone()),
        to_service_point: service_point(d, input.service_point_field)
            .map(|id| ServicePointRef { id }),
        customs_information: leaves.then(|| CustomsInformation {
            invoice_number: d.order.order_number.clone(),
            export_reason: export_reason(input.customs.shipment_type).into(),
            export_type: Some(
                if d.customer.is_company {
                    "commercial_b2b"
                } else {
                    "commercial_b2c"
                }
                .into(),
            ),
            invoice_date: Some(d.delivery.created_at.date().to_string()),
        }),
        parcels: vec![NewParcel {
            weight: Weight::kg(fixed(weight, 3)),
            dimensions: None,
            parcel_items: items,
        }],
    };
    (req, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customs_area_knows_the_special_territories() {
        assert!(!leaves_eu_customs("DE", "10115"));
        assert!(leaves_eu_customs("CH", "8001"));
        assert!(leaves_eu_customs("NO", "0150"));
        assert!(leaves_eu_customs("GB", "SW1A 1AA"));
        assert!(
            leaves_eu_customs("JE", "JE2 3AB"),
            "Jersey (Channel Islands)"
        );
        assert!(leaves_eu_customs("GG", "GY1 1AA"), "Guernsey");
        assert!(
            leaves_eu_customs("ES", "35001"),
            "Las Palmas (Canary Islands)"
        );
        assert!(leaves_eu_customs("ES", "38001"), "Santa Cruz de Tenerife");
        assert!(!leaves_eu_customs("ES", "28001"), "Madrid");
        assert!(leaves_eu_customs("DE", "27498"), "Helgoland");
    }

    #[test]
    fn fixed_places() {
        assert_eq!(fixed(Decimal::new(132, 2), 3), "1.320");
        assert_eq!(fixed(Decimal::new(5, 0), 2), "5.00");
    }
}
