//! The Service Points API v2 (API-NOTES §2.12), served under `/api/v2` next to the panel API
//! (the real host is `servicepoints.sendcloud.sc/api/v2`): `GET /service-points`,
//! `GET /service-points/{id}`, `GET /service-points/{id}/check-availability`, `GET /carriers`.
//! Points are generated deterministically from country, carrier and postal code, so repeated
//! searches return the same ids; a point is known by id once it has been listed.
//! Authentication: Basic auth or `access_token=<public key>`.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::state::country;
use super::{auth, query, v2_error, Standin};

type Data = web::Data<Standin>;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/service-points", web::get().to(list))
        .route("/service-points/", web::get().to(list))
        .route("/service-points/{id}", web::get().to(get_one))
        .route(
            "/service-points/{id}/check-availability",
            web::get().to(availability),
        )
        .route("/carriers", web::get().to(carriers));
}

/// Service-point carriers per destination country.
fn default_carriers(country: &str) -> &'static [&'static str] {
    match country {
        "DE" => &["dhl_de", "dpd", "gls_de", "ups"],
        "NL" => &["postnl", "ups", "dhl"],
        "BE" => &["postnl", "ups", "dpd"],
        "AT" => &["dpd", "postat"],
        _ => &["dpd", "ups"],
    }
}

const STREETS: &[&str] = &[
    "Hauptstraße",
    "Bahnhofstraße",
    "Marktplatz",
    "Schulweg",
    "Lindenallee",
];

const PLACES: &[(&str, &str)] = &[
    ("Paketshop", "servicepoint"),
    ("Packstation", "locker"),
    ("Postfiliale", "post_office"),
    ("Kiosk am Markt", "servicepoint"),
    ("Depot", "carrier_depot"),
];

fn point(country_code: &str, carrier: &str, postal_code: &str, n: usize, city: &str) -> Value {
    let mut h = DefaultHasher::new();
    (country_code, carrier, postal_code, n).hash(&mut h);
    let id = 10_000_000 + h.finish() % 89_999_999;
    let (kind, general) = PLACES[n % PLACES.len()];
    let lat = 52.52 + (h.finish() % 1000) as f64 / 20000.0;
    let lon = 13.40 + (h.finish() / 1000 % 1000) as f64 / 20000.0;
    let times: Vec<String> = vec!["09:00 - 19:00".to_string()];
    json!({
        "id": id,
        "code": format!("{}", id % 1_000_000),
        "is_active": true,
        "shop_type": if general == "locker" { Value::from("locker") } else { Value::Null },
        "general_shop_type": general,
        "extra_data": {"partner_name": carrier.to_uppercase()},
        "name": format!("{} {} {}", carrier.to_uppercase(), kind, n + 1),
        "street": STREETS[n % STREETS.len()],
        "house_number": format!("{}", 3 + n * 7),
        "postal_code": postal_code,
        "city": city,
        "latitude": format!("{lat:.6}"),
        "longitude": format!("{lon:.6}"),
        "email": "",
        "phone": "",
        "homepage": "",
        "carrier": carrier,
        "country": country_code,
        "formatted_opening_times": {
            "0": times, "1": times, "2": times, "3": times, "4": times,
            "5": ["09:00 - 14:00"], "6": []
        },
        "open_tomorrow": true,
        "open_upcoming_week": true,
        "distance": 150 + n as u64 * 320,
    })
}

fn unauthorized(req: &HttpRequest) -> HttpResponse {
    v2_error(req, StatusCode::UNAUTHORIZED, "Invalid username/password.")
}

async fn list(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let q = query(&req);
    let Some(cc) = q
        .get("country")
        .filter(|c| !c.is_empty())
        .map(|c| c.to_ascii_uppercase())
    else {
        return v2_error(
            &req,
            StatusCode::BAD_REQUEST,
            "country: \"This field is required.\"",
        );
    };
    if country(&cc).is_none() {
        return v2_error(
            &req,
            StatusCode::BAD_REQUEST,
            &format!("country: \"\\\"{cc}\\\" is not a valid choice.\""),
        );
    }
    if let Some(r) = q.get("radius").filter(|r| !r.is_empty()) {
        if !r.parse::<u32>().is_ok_and(|r| (100..=50_000).contains(&r)) {
            return v2_error(
                &req,
                StatusCode::BAD_REQUEST,
                "radius: \"Ensure this value is between 100 and 50000.\"",
            );
        }
    }
    let enabled: Vec<String> = {
        let s = data.state();
        s.accounts
            .get(&ctx.account)
            .and_then(|a| a.integrations.get(&ctx.integration))
            .map(|i| i.service_point_carriers.clone())
            .unwrap_or_default()
    };
    let wanted: Option<Vec<String>> = q
        .get("carrier")
        .filter(|c| !c.is_empty())
        .map(|c| c.split(',').map(|s| s.trim().to_string()).collect());
    let general: Option<Vec<String>> = q
        .get("general_shop_type")
        .filter(|c| !c.is_empty())
        .map(|c| c.split(',').map(|s| s.trim().to_string()).collect());
    let postal = q
        .get("postal_code")
        .filter(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| "10115".to_string());
    let city = q
        .get("city")
        .filter(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| country(&cc).map(|c| c.2).unwrap_or("").to_string());
    let mut out = Vec::new();
    for carrier in default_carriers(&cc) {
        if !enabled.is_empty() && !enabled.iter().any(|e| e == carrier) {
            continue;
        }
        if wanted
            .as_ref()
            .is_some_and(|w| !w.iter().any(|c| c == carrier))
        {
            continue;
        }
        for n in 0..3 {
            let p = point(&cc, carrier, &postal, n, &city);
            if general.as_ref().is_some_and(|g| {
                !g.iter()
                    .any(|x| Some(x.as_str()) == p["general_shop_type"].as_str())
            }) {
                continue;
            }
            out.push(p);
        }
    }
    out.sort_by_key(|p| p["distance"].as_u64().unwrap_or(0));
    {
        let mut s = data.state();
        for p in &out {
            if let Some(id) = p["id"].as_u64() {
                s.service_points.insert(id, p.clone());
            }
        }
    }
    HttpResponse::Ok().json(out)
}

fn find(req: &HttpRequest, data: &Standin) -> Option<Value> {
    let id: u64 = req.match_info().get("id")?.parse().ok()?;
    data.state().service_points.get(&id).cloned()
}

async fn get_one(req: HttpRequest, data: Data) -> HttpResponse {
    if auth(&req).is_none() {
        return unauthorized(&req);
    }
    match find(&req, &data) {
        Some(p) => HttpResponse::Ok().json(p),
        None => v2_error(&req, StatusCode::NOT_FOUND, "Not found."),
    }
}

async fn availability(req: HttpRequest, data: Data) -> HttpResponse {
    if auth(&req).is_none() {
        return unauthorized(&req);
    }
    match find(&req, &data) {
        Some(p) => HttpResponse::Ok().json(p["is_active"].as_bool().unwrap_or(false)),
        None => v2_error(&req, StatusCode::NOT_FOUND, "Not found."),
    }
}

async fn carriers(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized(&req);
    };
    let s = data.state();
    let enabled = s
        .accounts
        .get(&ctx.account)
        .and_then(|a| a.integrations.get(&ctx.integration))
        .map(|i| i.service_point_carriers.clone())
        .unwrap_or_default();
    if !enabled.is_empty() {
        return HttpResponse::Ok().json(enabled);
    }
    let mut all: Vec<&str> = ["DE", "NL", "BE", "AT"]
        .iter()
        .flat_map(|c| default_carriers(c).iter().copied())
        .collect();
    all.sort();
    all.dedup();
    HttpResponse::Ok().json(all)
}
