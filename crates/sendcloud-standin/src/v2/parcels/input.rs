//! Validation of a `ParcelCreation` payload like Sendcloud's (field errors with its messages,
//! house-number extraction from the street, shipping method and sender address checks) into
//! a [`NewParcel`].

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::state::{country, random_uuid, Account, Parcel};
use crate::v2::fields::{
    add_err, field, opt_bool, opt_text, opt_uint, required_text, Field, FieldErrors,
};

/// Splits "Street 12a" / "12 Rue X" into (street, number).
fn split_address(address: &str) -> Option<(String, String)> {
    let tokens: Vec<&str> = address.split_whitespace().collect();
    if tokens.len() < 2 {
        return None;
    }
    let digit = |t: &str| t.chars().next().is_some_and(|c| c.is_ascii_digit());
    let last = tokens[tokens.len() - 1];
    if digit(last) {
        return Some((tokens[..tokens.len() - 1].join(" "), last.to_string()));
    }
    // "Kerkstraat 12 a"
    if tokens.len() >= 3 && last.len() == 1 && digit(tokens[tokens.len() - 2]) {
        return Some((
            tokens[..tokens.len() - 2].join(" "),
            format!("{} {}", tokens[tokens.len() - 2], last),
        ));
    }
    if digit(tokens[0]) {
        return Some((tokens[1..].join(" "), tokens[0].to_string()));
    }
    None
}

/// What a valid creation payload turns into (before ids are assigned).
pub(crate) struct NewParcel {
    pub(super) parcel: Parcel,
    pub(super) quantity: u32,
}

/// Validates one `ParcelCreation` like Sendcloud and builds the parcel (id 0).
pub(crate) fn build_parcel(
    input: &Map<String, Value>,
    account: &Account,
    integration: u64,
    now: DateTime<Utc>,
) -> Result<NewParcel, FieldErrors> {
    let mut e = FieldErrors::new();
    let name = required_text(input, "name", &mut e);
    let address = required_text(input, "address", &mut e);
    let city = required_text(input, "city", &mut e);
    let postal_code = required_text(input, "postal_code", &mut e);
    let country_code = required_text(input, "country", &mut e).to_ascii_uppercase();
    if !country_code.is_empty() && country(&country_code).is_none() {
        add_err(
            &mut e,
            "country",
            &format!("\"{country_code}\" is not a valid choice."),
        );
    }
    let (street, house_number) = match field(input, "house_number") {
        Field::Null => {
            add_err(&mut e, "house_number", "This field may not be null.");
            (address.clone(), String::new())
        }
        Field::Invalid => {
            add_err(&mut e, "house_number", "Not a valid string.");
            (address.clone(), String::new())
        }
        Field::Text(hn) if !hn.trim().is_empty() => {
            let hn = hn.trim().to_string();
            let street = address
                .strip_suffix(&hn)
                .map(|s| s.trim_end().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| address.clone());
            (street, hn)
        }
        _ => match split_address(&address) {
            Some(split) => split,
            None => {
                if !address.is_empty() {
                    add_err(&mut e, "house_number", "This field cannot be blank.");
                }
                (address.clone(), String::new())
            }
        },
    };
    if house_number.chars().count() > 20 {
        add_err(
            &mut e,
            "house_number",
            "Ensure this field has no more than 20 characters.",
        );
    }
    let company_name = opt_text(input, "company_name", &mut e);
    let address_2 = opt_text(input, "address_2", &mut e);
    let telephone = opt_text(input, "telephone", &mut e);
    let email = opt_text(input, "email", &mut e);
    let to_state = Some(opt_text(input, "country_state", &mut e)).filter(|s| !s.is_empty());
    if matches!(country_code.as_str(), "US" | "IT") && to_state.is_none() {
        add_err(
            &mut e,
            "to_state",
            "This field is required for this country.",
        );
    }
    let to_service_point = opt_uint(input, "to_service_point", &mut e).map(|n| n.to_string());
    let to_post_number = opt_text(input, "to_post_number", &mut e);
    let order_number = opt_text(input, "order_number", &mut e);
    let reference = Some(opt_text(input, "reference", &mut e))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "0".to_string());
    let external_reference =
        Some(opt_text(input, "external_reference", &mut e)).filter(|s| !s.is_empty());
    if let Some(r) = &external_reference {
        if account.external_refs.contains_key(r) {
            add_err(
                &mut e,
                "external_reference",
                "Parcel with this external reference already exists.",
            );
        }
    }
    let shipment_uuid = Some(opt_text(input, "shipment_uuid", &mut e)).filter(|s| !s.is_empty());
    let shipping_method_checkout_name = opt_text(input, "shipping_method_checkout_name", &mut e);
    let customs_invoice_nr = opt_text(input, "customs_invoice_nr", &mut e);
    let customs_shipment_type = opt_uint(input, "customs_shipment_type", &mut e);
    if customs_shipment_type.is_some_and(|t| t > 4) {
        add_err(
            &mut e,
            "customs_shipment_type",
            "Invalid customs shipment type.",
        );
    }
    let contract = opt_uint(input, "contract", &mut e);
    let is_return = opt_bool(input, "is_return", &mut e).unwrap_or(false);
    let request_label = opt_bool(input, "request_label", &mut e)
        .or_else(|| opt_bool(input, "requestLabel", &mut e))
        .unwrap_or(false);
    let request_label_async = opt_bool(input, "request_label_async", &mut e).unwrap_or(false);
    let quantity = opt_uint(input, "quantity", &mut e).unwrap_or(1);
    if !(1..=20).contains(&quantity) {
        add_err(&mut e, "quantity", "Ensure this value is between 1 and 20.");
    }
    let insured_value = opt_uint(input, "insured_value", &mut e).unwrap_or(0);
    let total_insured_value = opt_uint(input, "total_insured_value", &mut e).unwrap_or(0);
    if insured_value > 5000 {
        add_err(
            &mut e,
            "insured_value",
            "Ensure this value is less than or equal to 5000.",
        );
    }
    if insured_value > 0 && total_insured_value > 0 {
        add_err(
            &mut e,
            "non_field_errors",
            "insured_value and total_insured_value are mutually exclusive.",
        );
    }
    let insured_value = if insured_value > 0 {
        insured_value.max(2)
    } else {
        0
    };
    let total_order_value =
        Some(opt_text(input, "total_order_value", &mut e)).filter(|s| !s.is_empty());
    if let Some(v) = &total_order_value {
        if v.parse::<f64>().is_err() {
            add_err(&mut e, "total_order_value", "A valid number is required.");
        }
    }
    let total_order_value_currency =
        Some(opt_text(input, "total_order_value_currency", &mut e)).filter(|s| !s.is_empty());
    let weight = match field(input, "weight") {
        Field::Absent | Field::Null => 1.0,
        Field::Text(t) if t.is_empty() => 1.0,
        Field::Text(t) => match t.trim().parse::<f64>() {
            Ok(w) if w.is_finite() && w >= 0.001 => w,
            Ok(_) => {
                add_err(
                    &mut e,
                    "weight",
                    "Ensure this value is greater than or equal to 0.001.",
                );
                1.0
            }
            Err(_) => {
                add_err(&mut e, "weight", "A valid number is required.");
                1.0
            }
        },
        Field::Invalid => {
            add_err(&mut e, "weight", "A valid number is required.");
            1.0
        }
    };
    let dims: Vec<Option<String>> = ["length", "width", "height"]
        .iter()
        .map(|k| Some(opt_text(input, k, &mut e)).filter(|s| !s.is_empty()))
        .collect();
    let given = dims.iter().filter(|d| d.is_some()).count();
    if given != 0 && given != 3 {
        add_err(
            &mut e,
            "non_field_errors",
            "length, width and height must be given together.",
        );
    }
    let parcel_items = match input.get("parcel_items") {
        None | Some(Value::Null) => json!([]),
        Some(Value::Array(items)) => {
            for (i, it) in items.iter().enumerate() {
                let Some(obj) = it.as_object() else {
                    add_err(
                        &mut e,
                        "parcel_items",
                        &format!("Item {i}: expected an object."),
                    );
                    continue;
                };
                for req in ["description", "quantity", "weight", "value"] {
                    if obj.get(req).is_none_or(Value::is_null) {
                        add_err(
                            &mut e,
                            "parcel_items",
                            &format!("Item {i}: {req}: This field is required."),
                        );
                    }
                }
                if let Some(q) = obj.get("quantity") {
                    if q.as_u64().is_none_or(|q| q < 1) {
                        add_err(
                            &mut e,
                            "parcel_items",
                            &format!("Item {i}: quantity: A valid integer is required."),
                        );
                    }
                }
            }
            Value::Array(items.clone())
        }
        Some(_) => {
            add_err(&mut e, "parcel_items", "Expected a list of items.");
            json!([])
        }
    };
    let customs_information = input
        .get("customs_information")
        .cloned()
        .unwrap_or(Value::Null);

    // Sender address.
    let sender = match opt_uint(input, "sender_address", &mut e) {
        Some(id) => match account.sender_addresses.iter().find(|a| a.id == id) {
            Some(a) => Some(a),
            None => {
                add_err(
                    &mut e,
                    "sender_address",
                    &format!("Invalid pk \"{id}\" - object does not exist."),
                );
                None
            }
        },
        None => account.sender_addresses.first(),
    };
    let (sender_id, sender_country) = sender
        .map(|s| (s.id, s.country.clone()))
        .unwrap_or((0, String::new()));

    // Shipping method.
    let shipment_id = match input.get("shipment") {
        None | Some(Value::Null) => None,
        Some(Value::Object(o)) => match o.get("id") {
            Some(Value::Number(n)) => n.as_u64().or(Some(0)),
            Some(Value::String(s)) => Some(s.parse().unwrap_or(0)),
            _ => {
                add_err(&mut e, "shipment", "id: This field is required.");
                None
            }
        },
        Some(_) => {
            add_err(&mut e, "shipment", "Invalid data. Expected a dictionary.");
            None
        }
    };
    let mut shipment = None;
    if let Some(id) = shipment_id {
        let method = account.shipping_methods.iter().find(|m| {
            m.id == id
                && m.enabled
                && (sender_country.is_empty() || m.from_countries.contains(&sender_country))
                && (country_code.is_empty() || m.ships_to(&country_code))
        });
        match method {
            None => add_err(&mut e, "shipping_method", "Invalid shipping method"),
            Some(m) => {
                if weight < m.min_weight || weight > m.max_weight {
                    add_err(
                        &mut e,
                        "weight",
                        &format!(
                            "Weight must be between {:.3} and {:.3} kg for this shipping method.",
                            m.min_weight, m.max_weight
                        ),
                    );
                }
                if m.service_point_input == "required" && to_service_point.is_none() {
                    add_err(
                        &mut e,
                        "to_service_point",
                        "This shipping method requires a service point.",
                    );
                }
                shipment = Some((m.id, m.name.clone(), m.carrier.clone()));
            }
        }
    } else if request_label || request_label_async {
        add_err(
            &mut e,
            "shipment",
            "This field is required when requesting a label.",
        );
    }
    if !e.is_empty() {
        return Err(e);
    }
    let (status, announced) = if request_label {
        (1000, Some(now))
    } else if request_label_async {
        (1001, None)
    } else {
        (999, None)
    };
    Ok(NewParcel {
        quantity: quantity as u32,
        parcel: Parcel {
            id: 0,
            integration_id: integration,
            name,
            company_name,
            street,
            house_number,
            address_2,
            city,
            postal_code,
            country: country_code,
            to_state,
            telephone,
            email,
            to_service_point,
            to_post_number,
            shipment,
            contract,
            sender_address: sender_id,
            sender_country,
            weight,
            length: dims[0].clone(),
            width: dims[1].clone(),
            height: dims[2].clone(),
            order_number,
            external_reference,
            reference,
            shipment_uuid,
            colli_uuid: random_uuid(),
            collo_nr: 0,
            collo_count: 1,
            is_return,
            insured_value,
            total_insured_value,
            total_order_value,
            total_order_value_currency,
            parcel_items,
            customs_information,
            customs_invoice_nr,
            customs_shipment_type,
            shipping_method_checkout_name,
            status,
            tracking_number: String::new(),
            date_created: now,
            date_updated: now,
            date_announced: announced,
            input: input.clone(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_house_numbers() {
        assert_eq!(
            split_address("Stadhuisplein 10"),
            Some(("Stadhuisplein".into(), "10".into()))
        );
        assert_eq!(
            split_address("Kerkstraat 12 a"),
            Some(("Kerkstraat".into(), "12 a".into()))
        );
        assert_eq!(
            split_address("10 Rue de Rivoli"),
            Some(("Rue de Rivoli".into(), "10".into()))
        );
        assert_eq!(split_address("Hauptstraße"), None);
    }
}
