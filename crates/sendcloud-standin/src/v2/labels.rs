//! Labels and parcel documents: `GET /labels/{id}` (the link block), `POST /labels` (links
//! for several parcels), the PDFs under `/labels` and `/label` (`normal_printer` A4 with
//! positions 0–3, `label_printer` A6, by id or `ids=`), `/customs_declaration/normal_printer`
//! and `/parcels/{id}/documents/{doc}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::parcels::answer::LabelOut;
use super::{bad_request, not_found, parse_body, path_id, unauthorized, Caller, Data};
use crate::pdf::{self, PageSize};
use crate::state::{Account, Parcel};
use crate::{query, AuthCtx};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/parcels/{id}/documents/{doc}",
        web::get().to(parcel_document),
    )
    .route("/labels", web::post().to(bulk_labels))
    .route(
        "/customs_declaration/normal_printer",
        web::get().to(customs_pdf),
    )
    .route(
        "/customs_declaration/normal_printer/{id}",
        web::get().to(customs_pdf),
    );
    for prefix in ["/labels", "/label"] {
        cfg.route(
            &format!("{prefix}/normal_printer"),
            web::get().to(normal_printer),
        )
        .route(
            &format!("{prefix}/normal_printer/{{id}}"),
            web::get().to(normal_printer),
        )
        .route(
            &format!("{prefix}/label_printer"),
            web::get().to(label_printer),
        )
        .route(
            &format!("{prefix}/label_printer/{{id}}"),
            web::get().to(label_printer),
        );
    }
    cfg.route("/labels/{id}", web::get().to(get_label))
        .route("/label/{id}", web::get().to(get_label));
}

async fn get_label(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let id = path_id(&req, "id");
    let s = data.state();
    match id.and_then(|id| s.accounts.get(&ctx.account)?.parcels.get(&id)) {
        Some(p) if p.announced() => HttpResponse::Ok().json(json!({
            "label": LabelOut::parcel(data.base_url(), p.id),
            "customs_declaration": {},
        })),
        Some(_) => not_found(&req, "No label found for this parcel."),
        None => not_found(&req, "No Parcel matches the given query."),
    }
}

async fn bulk_labels(
    req: HttpRequest,
    body: web::Bytes,
    data: Data,
    Caller(ctx): Caller,
) -> HttpResponse {
    let doc = match parse_body(&req, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(ids) = doc
        .pointer("/label/parcels")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(Value::as_u64).collect::<Option<Vec<u64>>>())
    else {
        return bad_request(&req, "label: \"parcels: This field is required.\"");
    };
    let Some(ids) = ids.filter(|v| !v.is_empty()) else {
        return bad_request(
            &req,
            "label: \"parcels: A list of parcel ids is required.\"",
        );
    };
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    if ids
        .iter()
        .any(|id| !account.parcels.get(id).is_some_and(Parcel::announced))
    {
        return not_found(&req, "No Parcel matches the given query.");
    }
    let list = ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
    HttpResponse::Ok().json(json!({"label": LabelOut::parcels(data.base_url(), &list)}))
}

fn pdf_response(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}.pdf\""),
        ))
        .body(bytes)
}

/// Text lines printed on a label.
pub(crate) fn label_lines(account: &Account, p: &Parcel, title: &str) -> Vec<String> {
    let mut lines = vec![title.to_string()];
    if let Some((_, name, carrier)) = &p.shipment {
        lines.push(format!("{} - {}", carrier.to_uppercase(), name));
    }
    if let Some(s) = account
        .sender_addresses
        .iter()
        .find(|s| s.id == p.sender_address)
    {
        lines.push(format!(
            "From: {}, {} {}, {} {}, {}",
            s.company_name, s.street, s.house_number, s.postal_code, s.city, s.country
        ));
    }
    lines.push(String::new());
    lines.push("To:".to_string());
    lines.push(p.name.clone());
    if !p.company_name.is_empty() {
        lines.push(p.company_name.clone());
    }
    lines.push(format!("{} {}", p.street, p.house_number));
    if !p.address_2.is_empty() {
        lines.push(p.address_2.clone());
    }
    lines.push(format!("{} {}", p.postal_code, p.city));
    lines.push(p.country.clone());
    lines.push(String::new());
    lines.push(format!("Tracking: {}", p.tracking_number));
    lines.push(format!("Parcel {} / Order {}", p.id, p.order_number));
    lines.push(format!("Weight {:.3} kg", p.weight));
    lines
}

/// Parcels named by `{id}` in the path or `ids=` in the query, all announced.
fn label_parcels(req: &HttpRequest, account: &Account) -> Result<Vec<Parcel>, HttpResponse> {
    let q = query(req);
    let ids: Vec<u64> = if let Some(id) = req.match_info().get("id") {
        match id.parse() {
            Ok(id) => vec![id],
            Err(_) => return Err(not_found(req, "No Parcel matches the given query.")),
        }
    } else {
        let Some(raw) = q.get("ids").filter(|s| !s.is_empty()) else {
            return Err(bad_request(req, "ids: \"This field is required.\""));
        };
        match raw
            .split(',')
            .map(|s| s.trim().parse().ok())
            .collect::<Option<Vec<u64>>>()
        {
            Some(v) => v,
            None => {
                return Err(bad_request(
                    req,
                    "ids: \"Enter a comma-separated list of ids.\"",
                ))
            }
        }
    };
    let mut out = Vec::new();
    for id in ids {
        match account.parcels.get(&id) {
            Some(p) if p.announced() => out.push(p.clone()),
            _ => return Err(not_found(req, "No Parcel matches the given query.")),
        }
    }
    Ok(out)
}

/// One PDF with a page per parcel named in the query (`ids`), each page titled `title`.
fn parcels_pdf(
    req: &HttpRequest,
    data: &Data,
    ctx: AuthCtx,
    size: PageSize,
    title: &str,
    start_from: u8,
    file: &str,
) -> HttpResponse {
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(req);
    };
    let parcels = match label_parcels(req, account) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let pages: Vec<Vec<String>> = parcels
        .iter()
        .map(|p| label_lines(account, p, title))
        .collect();
    pdf_response(pdf::build(size, &pages, start_from), file)
}

// As Sendcloud: the keys are checked (by `Caller`) before the query.
async fn normal_printer(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let q = query(&req);
    let start_from = match q.get("start_from").map(|s| s.parse::<u8>()) {
        None => 0,
        Some(Ok(n)) if n <= 3 => n,
        Some(_) => return bad_request(&req, "start_from: \"Must be between 0 and 3.\""),
    };
    parcels_pdf(
        &req,
        &data,
        ctx,
        PageSize::A4,
        "SHIPPING LABEL (A4)",
        start_from,
        "labels",
    )
}

async fn label_printer(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    parcels_pdf(
        &req,
        &data,
        ctx,
        PageSize::A6,
        "SHIPPING LABEL",
        0,
        "labels",
    )
}

async fn customs_pdf(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    parcels_pdf(
        &req,
        &data,
        ctx,
        PageSize::A4,
        "CUSTOMS DECLARATION CN23",
        0,
        "customs_declaration",
    )
}

async fn parcel_document(req: HttpRequest, data: Data, Caller(ctx): Caller) -> HttpResponse {
    let id = path_id(&req, "id");
    let doc = req.match_info().get("doc").unwrap_or("").to_string();
    let (size, title) = match doc.as_str() {
        "label" => (PageSize::A6, "SHIPPING LABEL"),
        "cp71" => (PageSize::A4, "CP71 DISPATCH NOTE"),
        "cn23" | "cn23-default" => (PageSize::A4, "CUSTOMS DECLARATION CN23"),
        "commercial-invoice" => (PageSize::A4, "COMMERCIAL INVOICE"),
        _ => return not_found(&req, "Unknown document type."),
    };
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized(&req);
    };
    match id.and_then(|id| account.parcels.get(&id)) {
        Some(p) if p.announced() => {
            pdf_response(pdf::build(size, &[label_lines(account, p, title)], 0), &doc)
        }
        Some(_) => not_found(&req, "No document found for this parcel."),
        None => not_found(&req, "No Parcel matches the given query."),
    }
}
