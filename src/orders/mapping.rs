//! Mapping of a host sales order ([`OrderForPush`]) to a Sendcloud v3
//! [`Order`], including the customer data mapping in dynamic mode
//! ([`dynamic_recipient`]). Pure functions: no database, no HTTP.

use chrono::{NaiveDateTime, TimeZone, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::json;

use crate::host::{Contact, Customer, OrderForPush, OrderLineForPush};
use crate::sendcloud::orders_v3::{
    CustomerDetails, CustomsDetails, IntegrationRef, Measurement, Order, OrderAddress,
    OrderDetails, OrderItem, PaymentDetails, Price, Quantity, ServicePointDetails, StatusCode,
};
use crate::sendcloud::ApiDateTime;
use crate::settings::{ManualMapping, Source};

/// The recipient of an order as the customer data mapping decides it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    /// `None` when the account's own data is used.
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub street: String,
    pub house_number: Option<String>,
    pub address_2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub state: Option<String>,
    pub country: String,
}

/// Trimmed, `None` when empty.
fn some_text(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The customer data mapping, dynamic mode: if the account name equals the
/// contact name (ignoring case and surrounding blanks), or the contact name
/// is empty, or there is no contact, the account's data is used and no
/// company name is sent. Otherwise the contact's data is used (name, e-mail,
/// phone; the account's e-mail and phone when the contact has none) with the
/// account name as company name; the contact's address when it has one (a
/// street), else the account's.
pub fn dynamic_recipient(customer: &Customer, contact: Option<&Contact>) -> Recipient {
    let account_address = |r: &mut Recipient| {
        r.street = customer.street.trim().to_string();
        r.house_number = some_text(customer.house_number.as_deref());
        r.address_2 = some_text(customer.address_2.as_deref());
        r.postal_code = customer.postal_code.trim().to_string();
        r.city = customer.city.trim().to_string();
        r.state = some_text(customer.state.as_deref());
        r.country = customer.country.trim().to_uppercase();
    };
    let account_name = customer.name.trim();
    let person = contact.filter(|c| {
        let name = c.name.trim();
        !name.is_empty() && name.to_lowercase() != account_name.to_lowercase()
    });
    let mut r = Recipient::default();
    match person {
        None => {
            r.name = account_name.to_string();
            r.email = some_text(customer.email.as_deref());
            r.phone = some_text(customer.phone.as_deref());
            account_address(&mut r);
        }
        Some(c) => {
            r.name = c.name.trim().to_string();
            r.company_name = Some(account_name.to_string()).filter(|n| !n.is_empty());
            r.email =
                some_text(c.email.as_deref()).or_else(|| some_text(customer.email.as_deref()));
            r.phone =
                some_text(c.phone.as_deref()).or_else(|| some_text(customer.phone.as_deref()));
            if some_text(c.street.as_deref()).is_some() {
                r.street = some_text(c.street.as_deref()).unwrap_or_default();
                r.house_number = some_text(c.house_number.as_deref());
                r.address_2 = some_text(c.address_2.as_deref());
                r.postal_code = some_text(c.postal_code.as_deref())
                    .unwrap_or_else(|| customer.postal_code.trim().to_string());
                r.city = some_text(c.city.as_deref())
                    .unwrap_or_else(|| customer.city.trim().to_string());
                r.state = some_text(c.state.as_deref());
                r.country = some_text(c.country.as_deref())
                    .unwrap_or_else(|| customer.country.trim().to_string())
                    .to_uppercase();
            } else {
                account_address(&mut r);
            }
        }
    }
    r
}

/// The v3 status of a host order status.
fn order_status(status: &str) -> StatusCode {
    let message = match status {
        "draft" => "Draft",
        "open" => "Open",
        "partial" => "Partially delivered",
        "complete" => "Complete",
        "cancelled" => "Cancelled",
        other => other,
    };
    StatusCode {
        code: status.to_string(),
        message: Some(message.to_string()),
    }
}

/// The v3 payment status of a host payment status.
fn payment_status(status: &str) -> StatusCode {
    let (code, message) = match status {
        "paid" => ("paid", "Paid"),
        "refunded" => ("refunded", "Refunded"),
        "unpaid" => ("unpaid", "Unpaid"),
        other => (other, other),
    };
    StatusCode {
        code: code.to_string(),
        message: Some(message.to_string()),
    }
}

fn utc(t: NaiveDateTime) -> ApiDateTime {
    ApiDateTime::Zoned(Utc.from_utc_datetime(&t).fixed_offset())
}

fn money(value: Decimal, currency: &str) -> Price {
    Price {
        value: value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        currency: currency.to_string(),
    }
}

/// One order line. The host quantity is a decimal; Sendcloud wants a whole
/// number (at least 1).
///
/// A fractional quantity (1.5 m of rope) is rounded up, because what is
/// packed is whole pieces; the total stays the real value of the line
/// (quantity × unit price, rounded to the cent), because that is what the
/// customer pays and what customs and insurance must be told. A unit price
/// would then contradict quantity and total (2 × 129.90 ≠ 194.85), and
/// recomputing it as total ÷ quantity does not come out in cents in general,
/// so such a line is sent without `unit_price` (it is optional in the v3
/// spec; `total_price` is required). The ordered quantity and the host's
/// unit price are kept in the description and in `properties`
/// (`ordered_quantity`, `ordered_unit_price`). Whole quantities are sent as
/// before: quantity, unit price and total, with total = quantity × unit.
fn order_item(line: &OrderLineForPush, currency: &str) -> Result<OrderItem, String> {
    let ordered = line.quantity.normalize();
    let quantity = ordered
        .ceil()
        .to_i64()
        .ok_or_else(|| format!("line {}: quantity {ordered} is out of range", line.line_no))?;
    let fractional = !ordered.fract().is_zero();
    let name = some_text(Some(&line.product_name))
        .or_else(|| some_text(Some(&line.description)))
        .unwrap_or_else(|| line.sku.clone());
    let mut description = some_text(Some(&line.description)).filter(|d| *d != name);
    let mut properties = None;
    let unit_price = money(line.unit_price, currency);
    if fractional {
        let note = format!(
            "ordered quantity {ordered} × {:.2} {currency}, rounded up to {quantity}",
            unit_price.value
        );
        description = Some(match description {
            Some(d) => format!("{d} ({note})"),
            None => note,
        });
        properties = Some(json!({
            "ordered_quantity": ordered.to_string(),
            "ordered_unit_price": format!("{:.2}", unit_price.value),
        }));
    }
    Ok(OrderItem {
        item_id: Some(line.id.to_string()),
        product_id: Some(line.product_id.to_string()),
        name,
        description,
        quantity,
        sku: some_text(Some(&line.sku)),
        hs_code: line.hs_code.clone(),
        country_of_origin: line.origin_country.as_ref().map(|c| c.to_uppercase()),
        properties,
        unit_price: (!fractional).then_some(unit_price),
        total_price: money(line.unit_price * line.quantity, currency),
        measurement: line.weight_kg.map(|w| Measurement {
            weight: Some(Quantity {
                value: w.normalize(),
                unit: "kg".into(),
            }),
            ..Measurement::default()
        }),
        ean: line.ean.as_deref().and_then(|e| some_text(Some(e))),
        ..OrderItem::default()
    })
}

/// Which customer-data mapping a push uses (the company's setting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RecipientMapping {
    /// MISSION row 10, the default: see [`dynamic_recipient`].
    #[default]
    Dynamic,
    /// The user picked a host field per recipient field: see [`manual_recipient`].
    Manual(ManualMapping),
}

impl RecipientMapping {
    pub fn recipient(&self, customer: &Customer, contact: Option<&Contact>) -> Recipient {
        match self {
            RecipientMapping::Dynamic => dynamic_recipient(customer, contact),
            RecipientMapping::Manual(m) => manual_recipient(customer, contact, m),
        }
    }
}

/// Manual mapping: each recipient field comes from the host field the user
/// chose. An empty contact field falls back to the account's (a contact
/// without an address ships to the account's address, HOST-SCHEMA); `None`
/// sends nothing for optional fields.
pub fn manual_recipient(
    customer: &Customer,
    contact: Option<&Contact>,
    m: &ManualMapping,
) -> Recipient {
    let account_name = some_text(Some(&customer.name));
    let contact_name = contact.and_then(|c| some_text(Some(&c.name)));
    let pick = |source: Source| -> Option<String> {
        match source {
            Source::AccountName => account_name.clone(),
            Source::ContactName => contact_name.clone().or_else(|| account_name.clone()),
            Source::AccountEmail => some_text(customer.email.as_deref()),
            Source::ContactEmail => contact
                .and_then(|c| some_text(c.email.as_deref()))
                .or_else(|| some_text(customer.email.as_deref())),
            Source::AccountPhone => some_text(customer.phone.as_deref()),
            Source::ContactPhone => contact
                .and_then(|c| some_text(c.phone.as_deref()))
                .or_else(|| some_text(customer.phone.as_deref())),
            Source::AccountAddress | Source::ContactAddress | Source::None => None,
        }
    };
    let mut r = Recipient {
        name: pick(m.name)
            .or_else(|| account_name.clone())
            .unwrap_or_default(),
        company_name: pick(m.company_name),
        email: pick(m.email),
        phone: pick(m.phone),
        ..Default::default()
    };
    let contact_address = contact.filter(|c| some_text(c.street.as_deref()).is_some());
    match (m.address, contact_address) {
        (Source::ContactAddress, Some(c)) => {
            r.street = some_text(c.street.as_deref()).unwrap_or_default();
            r.house_number = some_text(c.house_number.as_deref());
            r.address_2 = some_text(c.address_2.as_deref());
            r.postal_code = some_text(c.postal_code.as_deref())
                .unwrap_or_else(|| customer.postal_code.trim().to_string());
            r.city =
                some_text(c.city.as_deref()).unwrap_or_else(|| customer.city.trim().to_string());
            r.state = some_text(c.state.as_deref());
            r.country = some_text(c.country.as_deref())
                .unwrap_or_else(|| customer.country.trim().to_string())
                .to_uppercase();
        }
        _ => {
            r.street = customer.street.trim().to_string();
            r.house_number = some_text(customer.house_number.as_deref());
            r.address_2 = some_text(customer.address_2.as_deref());
            r.postal_code = customer.postal_code.trim().to_string();
            r.city = customer.city.trim().to_string();
            r.state = some_text(customer.state.as_deref());
            r.country = customer.country.trim().to_uppercase();
        }
    }
    r
}

/// The EU customs union: shipments between these countries need no customs
/// data; to anywhere else (CH, GB, NO, US, …) they do.
pub const EU_CUSTOMS_AREA: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MC", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// A company's customs defaults (MISSION row 12), used for shipments that
/// leave the EU customs area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomsDefaults {
    /// 0 gift, 1 documents, 2 commercial goods, 3 commercial sample, 4 returned goods.
    pub shipment_type: i32,
    /// Used for products without an HS code of their own ("" = none).
    pub hs_code: String,
    /// Used for products without an origin of their own ("" = none).
    pub origin_country: String,
}

impl Default for CustomsDefaults {
    fn default() -> Self {
        CustomsDefaults {
            shipment_type: 2,
            hs_code: String::new(),
            origin_country: String::new(),
        }
    }
}

/// The v3 Orders name of a shipment type. The v3 enum has no "documents";
/// for those no type is sent and Sendcloud applies the account's default.
fn v3_shipment_type(code: i32) -> Option<&'static str> {
    match code {
        0 => Some("gift"),
        2 => Some("commercial_goods"),
        3 => Some("commercial_sample"),
        4 => Some("returned_goods"),
        _ => None,
    }
}

/// The v3 order for a host order (`order_id` = the host's order id, stable).
/// `Err` carries a message for data that cannot be sent at all; anything
/// Sendcloud may judge (a missing house number, an unsupported currency) is
/// sent and judged there.
pub fn to_v3_order(
    o: &OrderForPush,
    integration_id: i64,
    mapping: &RecipientMapping,
    customs: &CustomsDefaults,
) -> Result<Order, String> {
    let order = &o.order;
    let currency = order.currency.trim().to_uppercase();
    let r = mapping.recipient(&o.customer, o.contact.as_ref());
    let leaves_eu = !EU_CUSTOMS_AREA.contains(&r.country.as_str());
    let mut items = o
        .lines
        .iter()
        .map(|l| order_item(l, &currency))
        .collect::<Result<Vec<_>, _>>()?;
    let customs_details = if leaves_eu {
        // Products without their own HS code / origin get the company's defaults.
        for item in &mut items {
            if item.hs_code.as_deref().is_none_or(|h| h.trim().is_empty()) {
                item.hs_code = some_text(Some(&customs.hs_code));
            }
            if item
                .country_of_origin
                .as_deref()
                .is_none_or(|c| c.trim().is_empty())
            {
                item.country_of_origin =
                    some_text(Some(&customs.origin_country)).map(|c| c.to_uppercase());
            }
        }
        Some(CustomsDetails {
            commercial_invoice_number: Some(order.order_number.clone()),
            shipment_type: v3_shipment_type(customs.shipment_type).map(str::to_string),
            export_type: Some(
                if o.customer.is_company {
                    "commercial_b2b"
                } else {
                    "commercial_b2c"
                }
                .to_string(),
            ),
            tax_numbers: None,
        })
    } else {
        None
    };
    let address = OrderAddress {
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
    };
    Ok(Order {
        id: None,
        order_id: order.id.to_string(),
        order_number: order.order_number.clone(),
        created_at: None,
        modified_at: None,
        order_details: OrderDetails {
            integration: IntegrationRef { id: integration_id },
            status: order_status(&order.status),
            order_created_at: utc(order.order_date),
            order_updated_at: Some(utc(order.updated_at)),
            order_items: items,
            notes: some_text(order.remarks.as_deref()),
            tags: None,
        },
        payment_details: PaymentDetails {
            total_price: money(order.total_amount, &currency),
            status: payment_status(&order.payment_status),
            ..PaymentDetails::default()
        },
        customs_details,
        customer_details: Some(CustomerDetails {
            name: r.name,
            phone_number: r.phone,
            email: r.email,
        }),
        billing_address: None,
        shipping_address: Some(address),
        shipping_details: None,
        service_point_details: some_text(order.service_point_ref.as_deref()).map(|id| {
            ServicePointDetails {
                id,
                extra_data: None,
            }
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(name: &str, is_company: bool) -> Customer {
        Customer {
            id: 1,
            company_id: 1,
            account_number: "D1".into(),
            name: name.into(),
            is_company,
            email: Some("account@example.de".into()),
            phone: Some("+49 40 1".into()),
            street: "Hauptstraße".into(),
            house_number: Some("5".into()),
            address_2: None,
            postal_code: "20095".into(),
            city: "Hamburg".into(),
            state: None,
            country: "de".into(),
            vat_number: None,
        }
    }

    fn contact(name: &str) -> Contact {
        Contact {
            id: 2,
            customer_id: 1,
            name: name.into(),
            email: None,
            phone: Some("+49 40 2".into()),
            street: None,
            house_number: None,
            address_2: None,
            postal_code: None,
            city: None,
            state: None,
            country: None,
        }
    }

    #[test]
    fn same_name_uses_the_account_without_company_name() {
        let r = dynamic_recipient(
            &customer("Erika Muster", false),
            Some(&contact(" erika muster ")),
        );
        assert_eq!(r.name, "Erika Muster");
        assert_eq!(r.company_name, None);
        assert_eq!(r.phone.as_deref(), Some("+49 40 1"));
        assert_eq!(r.country, "DE");
    }

    #[test]
    fn empty_contact_name_uses_the_account() {
        let r = dynamic_recipient(&customer("Muster GmbH", true), Some(&contact("  ")));
        assert_eq!(r.name, "Muster GmbH");
        assert_eq!(r.company_name, None);
        let r = dynamic_recipient(&customer("Muster GmbH", true), None);
        assert_eq!(r.name, "Muster GmbH");
        assert_eq!(r.company_name, None);
    }

    #[test]
    fn contact_person_with_account_address() {
        let r = dynamic_recipient(
            &customer("Muster GmbH", true),
            Some(&contact("Hans Beispiel")),
        );
        assert_eq!(r.name, "Hans Beispiel");
        assert_eq!(r.company_name.as_deref(), Some("Muster GmbH"));
        assert_eq!(r.email.as_deref(), Some("account@example.de"));
        assert_eq!(r.phone.as_deref(), Some("+49 40 2"));
        assert_eq!(r.street, "Hauptstraße");
        assert_eq!(r.house_number.as_deref(), Some("5"));
    }

    #[test]
    fn contact_person_with_own_address() {
        let mut c = contact("Hans Beispiel");
        c.street = Some("Lieferweg".into());
        c.postal_code = Some("22113".into());
        c.city = Some("Hamburg".into());
        let r = dynamic_recipient(&customer("Muster GmbH", true), Some(&c));
        assert_eq!(r.street, "Lieferweg");
        assert_eq!(r.house_number, None);
        assert_eq!(r.postal_code, "22113");
        assert_eq!(r.country, "DE");
    }

    #[test]
    fn manual_mapping_takes_the_chosen_fields() {
        let mut c = contact("Hans Beispiel");
        c.street = Some("Lieferweg".into());
        c.house_number = Some("3".into());
        c.postal_code = Some("22113".into());
        c.city = Some("Hamburg".into());
        let cust = customer("Muster GmbH", true);
        let m = ManualMapping {
            name: Source::ContactName,
            company_name: Source::None,
            email: Source::ContactEmail,
            phone: Source::AccountPhone,
            address: Source::ContactAddress,
        };
        let r = manual_recipient(&cust, Some(&c), &m);
        assert_eq!(r.name, "Hans Beispiel");
        assert_eq!(r.company_name, None, "None sends no company name");
        assert_eq!(
            r.email.as_deref(),
            Some("account@example.de"),
            "empty contact e-mail falls back"
        );
        assert_eq!(r.phone.as_deref(), Some("+49 40 1"));
        assert_eq!(
            (r.street.as_str(), r.house_number.as_deref()),
            ("Lieferweg", Some("3"))
        );
        // Account address chosen, or a contact without an address: the account's.
        let m2 = ManualMapping {
            address: Source::AccountAddress,
            company_name: Source::AccountName,
            ..m
        };
        let r = manual_recipient(&cust, Some(&c), &m2);
        assert_eq!(r.street, "Hauptstraße");
        assert_eq!(r.company_name.as_deref(), Some("Muster GmbH"));
        let r = manual_recipient(&cust, Some(&contact("Hans Beispiel")), &m);
        assert_eq!(r.street, "Hauptstraße");
        assert_eq!(r.country, "DE");
        // No contact at all: the contact name falls back to the account name.
        let r = manual_recipient(&cust, None, &m);
        assert_eq!(r.name, "Muster GmbH");
        // The same inputs through the dynamic mode give the other answer.
        assert_eq!(
            RecipientMapping::Dynamic
                .recipient(&cust, Some(&c))
                .company_name
                .as_deref(),
            Some("Muster GmbH")
        );
    }

    fn order_to(country: &str, hs: Option<&str>) -> OrderForPush {
        let mut cust = customer("Erika Muster", false);
        cust.country = country.into();
        let mut l = line("1");
        l.hs_code = hs.map(str::to_string);
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .unwrap_or_default();
        OrderForPush {
            order: crate::host::SalesOrder {
                id: 9,
                company_id: 1,
                order_number: "AU-9".into(),
                order_date: now,
                customer_id: 1,
                contact_id: None,
                warehouse_id: None,
                status: "open".into(),
                approved: true,
                payment_status: "paid".into(),
                currency: "EUR".into(),
                total_amount: "19.99".parse().unwrap_or_default(),
                shipping_method_ref: None,
                service_point_ref: None,
                your_ref: None,
                remarks: None,
                updated_at: now,
            },
            customer: cust,
            contact: None,
            lines: vec![l],
        }
    }

    #[test]
    fn customs_data_only_for_orders_leaving_the_eu() {
        let defaults = CustomsDefaults {
            shipment_type: 3,
            hs_code: "640391".into(),
            origin_country: "de".into(),
        };
        let ch = to_v3_order(
            &order_to("ch", None),
            1,
            &RecipientMapping::Dynamic,
            &defaults,
        )
        .expect("order");
        let c = ch.customs_details.expect("customs for CH");
        assert_eq!(c.shipment_type.as_deref(), Some("commercial_sample"));
        assert_eq!(c.export_type.as_deref(), Some("commercial_b2c"));
        assert_eq!(c.commercial_invoice_number.as_deref(), Some("AU-9"));
        let item = &ch.order_details.order_items[0];
        assert_eq!(
            item.hs_code.as_deref(),
            Some("640391"),
            "company default HS code"
        );
        assert_eq!(item.country_of_origin.as_deref(), Some("DE"));
        // A product's own HS code wins.
        let own = to_v3_order(
            &order_to("CH", Some("420292")),
            1,
            &RecipientMapping::Dynamic,
            &defaults,
        )
        .expect("order");
        assert_eq!(
            own.order_details.order_items[0].hs_code.as_deref(),
            Some("420292")
        );
        // Within the EU: no customs data, no invented HS codes.
        let at = to_v3_order(
            &order_to("AT", None),
            1,
            &RecipientMapping::Dynamic,
            &defaults,
        )
        .expect("order");
        assert!(at.customs_details.is_none());
        assert_eq!(at.order_details.order_items[0].hs_code, None);
        // Documents have no v3 Orders type: none is sent.
        let docs = CustomsDefaults {
            shipment_type: 1,
            ..defaults
        };
        let d = to_v3_order(&order_to("GB", None), 1, &RecipientMapping::Dynamic, &docs)
            .expect("order");
        assert_eq!(d.customs_details.expect("customs").shipment_type, None);
    }

    fn line(qty: &str) -> OrderLineForPush {
        OrderLineForPush {
            id: 7,
            line_no: 10,
            description: "Zelt".into(),
            quantity: qty.parse().unwrap_or_default(),
            unit_price: "19.99".parse().unwrap_or_default(),
            product_id: 3,
            sku: "Z-1".into(),
            product_name: "Zelt".into(),
            weight_kg: None,
            ean: None,
            hs_code: None,
            origin_country: None,
        }
    }

    /// Quantity, unit price and total of a sent line never contradict each
    /// other: with a unit price, total = quantity × unit price.
    #[test]
    fn quantity_unit_price_and_total_agree() {
        for qty in ["1", "3.000", "1.5", "0.25", "2.333"] {
            let item = order_item(&line(qty), "EUR").expect("item");
            assert!(item.quantity >= 1, "{qty}");
            if let Some(unit) = &item.unit_price {
                assert_eq!(
                    unit.value * Decimal::from(item.quantity),
                    item.total_price.value,
                    "{qty}"
                );
            }
            let exact = line(qty).unit_price * line(qty).quantity;
            assert_eq!(
                item.total_price.value,
                exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
                "the total is the line's real value ({qty})"
            );
        }
        let item = order_item(&line("1.5"), "EUR").expect("item");
        assert_eq!(item.unit_price, None);
        assert_eq!(
            item.properties,
            Some(json!({"ordered_quantity": "1.5", "ordered_unit_price": "19.99"}))
        );
    }

    #[test]
    fn fractional_quantity_is_rounded_up_and_noted() {
        let item = order_item(&line("1.500"), "EUR").expect("item");
        assert_eq!(item.quantity, 2);
        assert!(item
            .description
            .as_deref()
            .is_some_and(|d| d.contains("ordered quantity 1.5")));
        assert_eq!(item.total_price.value, "29.99".parse().unwrap_or_default());
        let whole = order_item(&line("3.000"), "EUR").expect("item");
        assert_eq!(whole.quantity, 3);
        assert_eq!(whole.description, None);
        assert_eq!(whole.properties, None);
    }
}
