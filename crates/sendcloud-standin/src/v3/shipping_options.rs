//! v3 shipping options, served from the account's v2 shipping methods (one option per enabled
//! method but the unstamped letter, which has none, as some v2 methods have none at Sendcloud):
//! `POST /shipping-options` with the documented filter body (countries, parcel weights,
//! carrier, product, option code, contract, functionalities, service point; quotes when both
//! countries are given and `calculate_quotes` is not `false`) and the compat
//! `POST /compat/shipping-options` (v2 method ids → option codes, at most 100 ids, unknown ids
//! left out, the string `"null"` where a method has no option, as the spec's example). [`option_code`] and [`method_of_option`]
//! are the link the v3 shipments handlers use too.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::state::{slug, ShippingMethod};
use crate::{auth, v3_error, Standin};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/shipping-options", web::post().to(shipping_options))
        .route(
            "/compat/shipping-options",
            web::post().to(compat_shipping_options),
        );
}

type Data = web::Data<Standin>;

/// The method's product name: its name without the weight range ("DHL Paket 0-31.5kg" →
/// "DHL Paket").
fn product_name(m: &ShippingMethod) -> String {
    let name = m.name.trim();
    match name.rsplit_once(' ') {
        Some((head, tail)) if tail.ends_with("kg") && tail.contains('-') => head.to_string(),
        _ => name.to_string(),
    }
}

/// The v3 option code of a v2 method (`carrier:product-slug`, `/return` for returns), or
/// `None` for a method that has no option (disabled ones, the unstamped letter).
pub fn option_code(m: &ShippingMethod) -> Option<String> {
    if !m.enabled || m.carrier == "sendcloud" {
        return None;
    }
    let product = format!("{}:{}", m.carrier, slug(&product_name(m)));
    Some(if m.is_return {
        format!("{product}/return")
    } else {
        product
    })
}

/// The method whose option has code `code`.
pub fn method_of_option<'a>(
    methods: &'a [ShippingMethod],
    code: &str,
) -> Option<&'a ShippingMethod> {
    methods
        .iter()
        .find(|m| option_code(m).as_deref() == Some(code))
}

fn carrier_name(code: &str) -> String {
    match code {
        "dhl_de" => "DHL".into(),
        "dpd" => "DPD".into(),
        "gls_de" => "GLS".into(),
        "ups" => "UPS".into(),
        "postnl" => "PostNL".into(),
        "postat" => "Post AT".into(),
        "dhl_express" => "DHL Express".into(),
        other => other.to_string(),
    }
}

fn functionalities(m: &ShippingMethod) -> Value {
    let domestic = m.countries.len() == 1 && m.from_countries.contains(&m.countries[0].iso_2);
    json!({
        "b2b": true,
        "b2c": true,
        "tracked": true,
        "signature": false,
        "returns": m.is_return,
        "multicollo": m.carrier != "postat",
        "last_mile": if m.service_point_input == "required" { "service_point" } else { "home_delivery" },
        "first_mile": "pickup_dropoff",
        "form_factor": "parcel",
        "service_area": if domestic { "domestic" } else { "international" },
    })
}

fn weight(v: f64) -> Value {
    json!({"value": format!("{v:.3}"), "unit": "kg"})
}

/// The option object of a method (spec `shipping-option`); `quote` = (to country, parcel
/// count) adds its quotes.
fn option_json(m: &ShippingMethod, code: &str, quote: Option<(&str, usize)>) -> Value {
    let product = product_name(m);
    let (length, width, height) = match m.carrier.as_str() {
        "dhl_de" | "postat" => ("120.00", "60.00", "60.00"),
        "ups" => ("274.00", "100.00", "100.00"),
        _ => ("175.00", "78.00", "58.00"),
    };
    let product_code = code.trim_end_matches("/return");
    let mut o = json!({
        "code": code,
        "name": product,
        "carrier": {"code": m.carrier, "name": carrier_name(&m.carrier)},
        "product": {"code": product_code, "name": product},
        "functionalities": functionalities(m),
        "contract": {"id": 1000 + m.id, "client_id": "", "carrier_code": m.carrier,
                     "name": format!("{} Sendcloud", carrier_name(&m.carrier))},
        "weight": {"min": weight(m.min_weight), "max": weight(m.max_weight)},
        "max_dimensions": {"length": length, "width": width, "height": height, "unit": "cm"},
        "requirements": {
            "fields": if m.carrier == "ups" || m.carrier == "dpd" { json!(["to_email"]) } else { json!([]) },
            "export_documents": m.countries.iter().any(|c| matches!(c.iso_2.as_str(), "CH" | "GB" | "US" | "NO")),
            "is_service_point_required": m.service_point_input == "required",
        },
        "charging_type": "label_creation",
    });
    if let Some((to, parcels)) = quote {
        if let Some(c) = m
            .countries
            .iter()
            .find(|c| c.iso_2.eq_ignore_ascii_case(to))
        {
            let each = format!("{:.2}", c.price);
            let total = format!("{:.2}", c.price * parcels as f64);
            o["quotes"] = json!([{
                "weight": {"min": weight(m.min_weight), "max": weight(m.max_weight)},
                "lead_time": c.lead_time_hours.unwrap_or(48),
                "price": {
                    "breakdown": [{"type": "price_without_insurance", "label": "Label",
                                   "price": {"value": each, "currency": "EUR"}}],
                    "total": {"value": total, "currency": "EUR"},
                },
            }]);
        }
    }
    o
}

fn invalid(detail: &str, pointer: &str) -> HttpResponse {
    v3_error(StatusCode::BAD_REQUEST, "invalid", detail, Some(pointer))
}

/// A weight in kg from `{"value": "2", "unit": "kg"}`.
fn weight_kg(w: &Value) -> Option<f64> {
    let value = match &w["value"] {
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        Value::Number(n) => n.as_f64()?,
        _ => return None,
    };
    let factor = match w["unit"].as_str().unwrap_or("kg") {
        "kg" => 1.0,
        "g" => 0.001,
        "lbs" => 0.453_592_37,
        "oz" => 0.028_349_523,
        _ => return None,
    };
    Some(value * factor)
}

fn str_field<'a>(f: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    f.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

async fn shipping_options(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return v3_error(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Invalid username/password.",
            None,
        );
    };
    let filter: Map<String, Value> = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(m)) => m,
            _ => return invalid("Input should be a valid dictionary", "/"),
        }
    };
    let from = str_field(&filter, "from_country_code").map(str::to_ascii_uppercase);
    let to = str_field(&filter, "to_country_code").map(str::to_ascii_uppercase);
    let mut weights = Vec::new();
    let mut parcel_count = 1;
    if let Some(parcels) = filter.get("parcels").filter(|p| !p.is_null()) {
        let Some(list) = parcels.as_array() else {
            return invalid("Input should be a valid list", "/parcels");
        };
        if list.is_empty() {
            return v3_error(
                StatusCode::BAD_REQUEST,
                "invalid",
                "At least one parcel must be provided.",
                None,
            );
        }
        if list.len() > 50 {
            return invalid("List should have at most 50 items", "/parcels");
        }
        parcel_count = list.len();
        for (i, p) in list.iter().enumerate() {
            match p.get("weight").filter(|w| !w.is_null()) {
                None => {}
                Some(w) => match weight_kg(w) {
                    Some(kg) if kg > 0.0 => weights.push(kg),
                    _ => {
                        return invalid(
                            "Input should be a valid weight",
                            &format!("/parcels/{i}/weight"),
                        )
                    }
                },
            }
        }
    }
    let carrier = str_field(&filter, "carrier_code");
    let product = str_field(&filter, "shipping_product_code");
    let code = str_field(&filter, "shipping_option_code");
    let contract = filter.get("contract_id").and_then(Value::as_u64);
    let service_point = filter
        .get("to_service_point_id")
        .is_some_and(|v| !v.is_null());
    let wanted: Map<String, Value> = filter
        .get("functionalities")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let quotes = filter
        .get("calculate_quotes")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return v3_error(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Invalid username/password.",
            None,
        );
    };
    let list: Vec<Value> = account
        .shipping_methods
        .iter()
        .filter_map(|m| option_code(m).map(|c| (m, c)))
        .filter(|(m, _)| from.as_ref().is_none_or(|f| m.from_countries.contains(f)))
        .filter(|(m, _)| to.as_ref().is_none_or(|t| m.ships_to(t)))
        .filter(|(m, _)| {
            weights
                .iter()
                .all(|w| *w >= m.min_weight && *w <= m.max_weight)
        })
        .filter(|(m, _)| carrier.is_none_or(|c| m.carrier == c))
        .filter(|(_, c)| product.is_none_or(|p| c.trim_end_matches("/return") == p))
        .filter(|(_, c)| code.is_none_or(|x| x == c))
        .filter(|(m, _)| contract.is_none_or(|id| id == 1000 + m.id))
        .filter(|(m, _)| !service_point || m.service_point_input == "required")
        .filter(|(m, _)| {
            let have = functionalities(m);
            wanted
                .iter()
                .filter(|(_, v)| !v.is_null())
                .all(|(k, v)| have.get(k) == Some(v))
        })
        .map(|(m, c)| {
            let quote = match (&from, &to) {
                (Some(_), Some(t)) if quotes => Some((t.as_str(), parcel_count)),
                _ => None,
            };
            option_json(m, &c, quote)
        })
        .collect();
    HttpResponse::Ok().json(json!({ "data": list }))
}

async fn compat_shipping_options(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return v3_error(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Invalid username/password.",
            None,
        );
    };
    let Ok(doc) = serde_json::from_slice::<Value>(&body) else {
        return invalid("Input should be a valid dictionary", "/");
    };
    let Some(ids) = doc.get("shipping_method_ids").and_then(Value::as_array) else {
        return invalid("Field required", "/shipping_method_ids");
    };
    if ids.len() > 100 {
        return invalid(
            "List should have at most 100 items after validation",
            "/shipping_method_ids",
        );
    }
    let mut wanted = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        match id.as_u64() {
            Some(n) => wanted.push(n),
            None => {
                return invalid(
                    "Input should be a valid integer",
                    &format!("/shipping_method_ids/{i}"),
                )
            }
        }
    }
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return v3_error(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Invalid username/password.",
            None,
        );
    };
    let mut out = Map::new();
    for id in wanted {
        if let Some(m) = account.shipping_methods.iter().find(|m| m.id == id) {
            out.insert(
                id.to_string(),
                // The schema types every value as a string and the endpoint's
                // example answers the string "null" for a method without an
                // option: so does the stand-in (the client also takes JSON null).
                Value::String(option_code(m).unwrap_or_else(|| "null".into())),
            );
        }
    }
    HttpResponse::Ok().json(json!({ "data": out }))
}
