//! v3 parcel documents (`parcel-documents.yml`): `GET /parcels/{id}/documents/{type}` and the
//! bulk `GET /parcel-documents/{type}?parcels=1,2,3` (at most 20 parcels, one document with a
//! page per parcel). Types `label`, `customs-declaration` (parcels leaving the EU customs area
//! only), `air-waybill` (never: 404); formats by the `Accept` header: `application/pdf` (the
//! default; real PDFs from `pdf.rs`), `application/zpl` (one `^XA…^XZ` label per parcel),
//! `image/png` (400: not rendered by the stand-in); `paper_size` A4, A5 or A6 (default A6 for
//! labels, A4 for customs documents).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::pdf::{self, PageSize};
use crate::state::{Account, Parcel};
use crate::v2::labels::label_lines;
use crate::{auth, query, v3_error, Standin};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/parcels/{id}/documents/{type}",
        web::get().to(parcel_document),
    )
    .route("/parcel-documents/{type}", web::get().to(bulk_documents));
}

type Data = web::Data<Standin>;

/// Most parcels per bulk request (the spec's `maxItems`).
pub const MAX_BULK: usize = 20;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Pdf,
    Zpl,
}

fn bad(detail: &str, pointer: Option<&str>) -> HttpResponse {
    v3_error(StatusCode::BAD_REQUEST, "invalid", detail, pointer)
}

fn not_found() -> HttpResponse {
    v3_error(StatusCode::NOT_FOUND, "not_found", "Not found.", None)
}

/// Format, paper size and document title of a request, or the 400/404 answer.
#[allow(clippy::result_large_err)] // the error is the answer itself, built once
fn options(
    req: &HttpRequest,
    kind: &str,
) -> Result<(Format, PageSize, &'static str), HttpResponse> {
    let title = match kind {
        "label" => "SHIPPING LABEL",
        "customs-declaration" => "CUSTOMS DECLARATION CN23",
        "air-waybill" => return Err(not_found()),
        _ => {
            return Err(bad(
                "Input should be 'label', 'customs-declaration' or 'air-waybill'",
                Some("/type"),
            ))
        }
    };
    let accept = req
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/pdf");
    let format = if accept.contains("application/zpl") {
        Format::Zpl
    } else if accept.contains("image/png") {
        return Err(bad("PNG documents are not available.", None));
    } else {
        Format::Pdf
    };
    let default = if kind == "label" {
        PageSize::A6
    } else {
        PageSize::A4
    };
    let size = match query(req).get("paper_size").map(String::as_str) {
        None | Some("") => default,
        Some("A4") => PageSize::A4,
        Some("A5") => PageSize::A5,
        Some("A6") => PageSize::A6,
        Some(_) => {
            return Err(bad(
                "Input should be 'A4', 'A5' or 'A6'",
                Some("/paper_size"),
            ))
        }
    };
    Ok((format, size, title))
}

/// A ZPL label (203 dpi, 4x6 in) for a parcel.
pub fn zpl(lines: &[String]) -> String {
    let mut out = String::from("^XA\n^CI28\n^PW812\n^LL1218\n");
    for (i, line) in lines.iter().enumerate() {
        let clean: String = line.chars().filter(|c| *c != '^' && *c != '~').collect();
        out.push_str(&format!("^FO40,{}^A0N,32,32^FD{}^FS\n", 40 + i * 44, clean));
    }
    out.push_str("^XZ\n");
    out
}

fn render(
    account: &Account,
    parcels: &[&Parcel],
    format: Format,
    size: PageSize,
    title: &str,
    name: &str,
) -> HttpResponse {
    let pages: Vec<Vec<String>> = parcels
        .iter()
        .map(|p| label_lines(account, p, title))
        .collect();
    match format {
        Format::Pdf => HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{name}.pdf\""),
            ))
            .body(pdf::build(size, &pages, 0)),
        Format::Zpl => HttpResponse::Ok()
            .content_type("application/zpl")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{name}.zpl\""),
            ))
            .body(pages.iter().map(|l| zpl(l)).collect::<String>()),
    }
}

/// Whether the parcel has this document (a label once announced; customs papers when the
/// shipment carries customs information).
fn has_document(p: &Parcel, kind: &str) -> bool {
    p.announced()
        && (kind == "label" || (kind == "customs-declaration" && !p.customs_information.is_null()))
}

async fn parcel_document(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return v3_error(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Invalid username/password.",
            None,
        );
    };
    let kind = req.match_info().get("type").unwrap_or("").to_string();
    let (format, size, title) = match options(&req, &kind) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let id: Option<u64> = req.match_info().get("id").and_then(|s| s.parse().ok());
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return not_found();
    };
    match id.and_then(|id| account.parcels.get(&id)) {
        Some(p) if has_document(p, &kind) => render(
            account,
            &[p],
            format,
            size,
            title,
            &format!("{kind}-{}", p.id),
        ),
        _ => not_found(),
    }
}

async fn bulk_documents(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return v3_error(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Invalid username/password.",
            None,
        );
    };
    let kind = req.match_info().get("type").unwrap_or("").to_string();
    let (format, size, title) = match options(&req, &kind) {
        Ok(o) => o,
        Err(r) => return r,
    };
    // `parcels=1,2` or `parcels=1&parcels=2` (an array in the query).
    let mut ids: Vec<u64> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        if k == "parcels" || k == "parcels[]" {
            for part in v.split(',').filter(|s| !s.trim().is_empty()) {
                match part.trim().parse() {
                    Ok(id) => ids.push(id),
                    Err(_) => return bad("Input should be a valid integer", Some("/parcels")),
                }
            }
        }
    }
    if ids.is_empty() {
        return bad("Field required", Some("/parcels"));
    }
    if ids.len() > MAX_BULK {
        return bad(
            &format!(
                "List should have at most {MAX_BULK} items after validation, not {}",
                ids.len()
            ),
            Some("/parcels"),
        );
    }
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return not_found();
    };
    let mut parcels = Vec::new();
    for id in ids {
        match account.parcels.get(&id) {
            Some(p) if has_document(p, &kind) => parcels.push(p),
            _ => return not_found(),
        }
    }
    render(account, &parcels, format, size, title, &format!("{kind}s"))
}
