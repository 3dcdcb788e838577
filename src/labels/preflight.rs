//! Checks before the paid call: everything Sendcloud's v3 announce is known
//! to refuse (V3-FIRST "Money and quantities", the house-number error,
//! e-mail/phone an option needs, the option's weight and destinations, the
//! service point, customs data) is caught here, so a delivery with such data
//! goes to the Logs with a fix-list and Sendcloud is not called.
//!
//! The checks work on the request as it would be sent (plus what
//! `content::build` found in the host's data); each problem is a stored
//! code and field, rendered per language by the page.

use rust_decimal::Decimal;
use std::str::FromStr;

use super::content::leaves_eu_customs;
use super::{Problem, ShippingOption};
use crate::sendcloud::shipments_v3::AnnounceRequest;

/// Countries whose carriers need a house number (in its field or in the street line).
pub const HOUSE_NUMBER_COUNTRIES: &[&str] = &[
    "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FR", "IT", "LU", "NL", "PL", "SE",
];

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn dec(s: &str) -> Option<Decimal> {
    Decimal::from_str(s.trim()).ok()
}

/// The problems of a request for `option` (empty: it may be sent).
pub fn check(req: &AnnounceRequest, option: &ShippingOption) -> Vec<Problem> {
    let mut out = Vec::new();
    let to = &req.to_address;
    let country = to.country_code.trim().to_uppercase();
    for (value, field) in [
        (&to.name, "to_address.name"),
        (&to.address_line_1, "to_address.address_line_1"),
        (&to.postal_code, "to_address.postal_code"),
        (&to.city, "to_address.city"),
        (&to.country_code, "to_address.country_code"),
    ] {
        if value.trim().is_empty() {
            out.push(Problem::check("address_field_missing", field, ""));
        }
    }
    let number_in_street = to.address_line_1.chars().any(|c| c.is_ascii_digit());
    if HOUSE_NUMBER_COUNTRIES.contains(&country.as_str())
        && blank(&to.house_number)
        && !number_in_street
    {
        out.push(Problem::check(
            "house_number_missing",
            "to_address.house_number",
            "",
        ));
    }
    let leaves = leaves_eu_customs(&country, &to.postal_code);
    if (option.needs_email || leaves) && blank(&to.email) {
        out.push(Problem::check("email_missing", "to_address.email", ""));
    }
    if (option.needs_phone || leaves) && blank(&to.phone_number) {
        out.push(Problem::check(
            "phone_missing",
            "to_address.phone_number",
            "",
        ));
    }
    if !country.is_empty()
        && !option.to_countries.is_empty()
        && !option
            .to_countries
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&country))
    {
        out.push(Problem::check(
            "option_destination",
            "ship_with",
            &format!("{}|{country}", option.code),
        ));
    }
    if option.needs_service_point && req.to_service_point.is_none() {
        out.push(Problem::check(
            "service_point_missing",
            "to_service_point",
            &option.code,
        ));
    }
    for (n, parcel) in req.parcels.iter().enumerate() {
        let weight = dec(&parcel.weight.value).unwrap_or_default();
        if weight <= Decimal::ZERO {
            out.push(Problem::check("weight_zero", "parcel.weight", ""));
        } else if weight < option.min_weight_kg || weight > option.max_weight_kg {
            out.push(Problem::check(
                "option_weight",
                "parcel.weight",
                &format!(
                    "{}|{}|{}|{}",
                    option.code,
                    parcel.weight.value,
                    option.min_weight_kg.normalize(),
                    option.max_weight_kg.normalize()
                ),
            ));
        }
        if let Some(d) = &parcel.dimensions {
            for (v, field) in [
                (&d.length, "parcel.length"),
                (&d.width, "parcel.width"),
                (&d.height, "parcel.height"),
            ] {
                if dec(v).is_none_or(|v| v <= Decimal::ZERO) {
                    out.push(Problem::check("dimension_zero", field, ""));
                }
            }
        }
        let mut items_weight = Decimal::ZERO;
        for (i, item) in parcel.parcel_items.iter().enumerate() {
            let field = format!("line:{}", i + 1);
            let sku = item.sku.clone().unwrap_or_default();
            if item.quantity < 1 {
                out.push(Problem::check("quantity_zero", &field, &sku));
            }
            if dec(&item.price.value).is_some_and(|p| p.normalize().scale() > 2) {
                out.push(Problem::check("item_value_decimals", &field, &sku));
            }
            if let Some(w) = item.weight.as_ref().and_then(|w| dec(&w.value)) {
                items_weight += w * Decimal::from(item.quantity.max(0));
            }
        }
        if items_weight > weight && weight > Decimal::ZERO {
            out.push(Problem::check(
                "item_weight_exceeds_parcel",
                "parcel.weight",
                &format!("{}|{}", items_weight.normalize(), parcel.weight.value),
            ));
        }
        if leaves && parcel.parcel_items.is_empty() {
            out.push(Problem::check(
                "items_missing",
                &format!("parcel:{}", n + 1),
                "",
            ));
        }
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sendcloud::shipments_v3::{
        Address, Dimensions, FromAddress, Money, NewParcel, ParcelItem, ShipWith, Weight,
    };

    fn option() -> ShippingOption {
        ShippingOption {
            code: "dhl_de:paket".into(),
            carrier: "dhl_de".into(),
            min_weight_kg: Decimal::new(1, 3),
            max_weight_kg: Decimal::new(315, 1),
            to_countries: vec!["DE".into()],
            needs_service_point: false,
            needs_email: false,
            needs_phone: false,
        }
    }

    fn request() -> AnnounceRequest {
        AnnounceRequest {
            label_details: None,
            to_address: Address {
                name: "Erika Muster".into(),
                address_line_1: "Hauptstr.".into(),
                house_number: Some("1".into()),
                postal_code: "10115".into(),
                city: "Berlin".into(),
                country_code: "DE".into(),
                ..Address::default()
            },
            from_address: FromAddress::SenderAddress {
                sender_address_id: 1,
            },
            ship_with: ShipWith::option("dhl_de:paket"),
            order_number: None,
            total_order_price: None,
            external_reference_id: "r".into(),
            reference: None,
            to_service_point: None,
            customs_information: None,
            parcels: vec![NewParcel {
                weight: Weight::kg("1.000".into()),
                dimensions: None,
                parcel_items: vec![ParcelItem {
                    item_id: None,
                    description: "Teekanne".into(),
                    quantity: 1,
                    weight: Some(Weight::kg("0.800".into())),
                    price: Money {
                        value: "19.90".into(),
                        currency: "EUR".into(),
                    },
                    hs_code: None,
                    origin_country: None,
                    sku: Some("T1".into()),
                    product_id: None,
                }],
            }],
        }
    }

    fn codes(req: &AnnounceRequest) -> Vec<String> {
        check(req, &option()).into_iter().map(|p| p.code).collect()
    }

    #[test]
    fn a_good_request_passes() {
        assert!(codes(&request()).is_empty());
    }

    #[test]
    fn item_values_with_more_than_two_decimals() {
        let mut r = request();
        r.parcels[0].parcel_items[0].price.value = "19.905".into();
        assert_eq!(codes(&r), ["item_value_decimals"]);
    }

    #[test]
    fn items_heavier_than_the_parcel() {
        let mut r = request();
        r.parcels[0].parcel_items[0].quantity = 2;
        assert_eq!(codes(&r), ["item_weight_exceeds_parcel"]);
    }

    #[test]
    fn zero_dimensions() {
        let mut r = request();
        r.parcels[0].dimensions = Some(Dimensions {
            length: "10".into(),
            width: "0".into(),
            height: "5".into(),
            unit: "cm".into(),
        });
        assert_eq!(codes(&r), ["dimension_zero"]);
    }

    #[test]
    fn house_number_in_the_street_line_is_enough() {
        let mut r = request();
        r.to_address.house_number = None;
        assert_eq!(codes(&r), ["house_number_missing"]);
        r.to_address.address_line_1 = "Hauptstr. 5".into();
        assert!(codes(&r).is_empty());
    }

    #[test]
    fn service_point_options_need_one() {
        let mut o = option();
        o.needs_service_point = true;
        let got: Vec<String> = check(&request(), &o).into_iter().map(|p| p.code).collect();
        assert_eq!(got, ["service_point_missing"]);
    }
}
