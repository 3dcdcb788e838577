//! The plugin API for the host (versioned under `/api/v1`): JSON by default,
//! XML when the client asks for it (`Accept: application/xml`), the same
//! schema either way. Authenticated with a host token.

use actix_web::{http::header, web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::auth::{Api, ApiCtx};
use super::error::{ApiError, WebError};
use super::AppState;

/// Serialise `value` as JSON, or as XML under `root` when the request's
/// `Accept` header prefers XML.
pub fn respond<T: Serialize>(
    req: &HttpRequest,
    root: &str,
    value: &T,
) -> Result<HttpResponse, ApiError> {
    let wants_xml = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            let a = a.to_ascii_lowercase();
            (a.contains("application/xml") || a.contains("text/xml"))
                && !a.starts_with("application/json")
        });
    if wants_xml {
        let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let ser = quick_xml::se::Serializer::with_root(&mut body, Some(root))
            .map_err(|e| WebError::Internal(format!("xml: {e}")))?;
        value
            .serialize(ser)
            .map_err(|e| WebError::Internal(format!("xml: {e}")))?;
        Ok(HttpResponse::Ok()
            .content_type("application/xml; charset=utf-8")
            .body(xml_chars_only(body)))
    } else {
        Ok(HttpResponse::Ok().json(value))
    }
}

/// Drop the characters XML 1.0 does not allow anywhere in a document (C0
/// controls but tab, LF and CR; U+FFFE, U+FFFF): a company name with `\x01`
/// must not make the whole answer unreadable. The serializer never writes
/// them itself, so only data loses them.
pub fn xml_chars_only(body: String) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if body.chars().all(allowed) {
        body
    } else {
        body.chars().filter(|c| allowed(*c)).collect()
    }
}

#[derive(Serialize)]
struct CompanyList {
    company: Vec<CompanyItem>,
}

#[derive(Serialize)]
struct CompanyItem {
    id: i64,
    name: String,
    country: String,
    integration_state: &'static str,
}

/// `GET /api/v1/companies`: the companies the token may see, with the state
/// of their Sendcloud integration.
pub async fn companies(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
) -> Result<HttpResponse, ApiError> {
    let host = state.host.clone();
    let list = state
        .db
        .run(move |c| {
            let mut out = vec![];
            for co in host.companies(c)? {
                if user.may_see_company(co.id) {
                    let view = crate::integrations::view(c, co.id)?;
                    out.push(CompanyItem {
                        id: co.id,
                        name: co.name,
                        country: co.country,
                        integration_state: view.state.as_str_static(),
                    });
                }
            }
            Ok(out)
        })
        .await?;
    respond(&req, "companies", &CompanyList { company: list })
}

#[cfg(test)]
mod tests {
    use super::xml_chars_only;

    #[test]
    fn forbidden_xml_characters_are_dropped_and_others_kept() {
        assert_eq!(
            xml_chars_only("<a>x\u{1}y\u{0}z\u{FFFF}\t\nä€</a>".into()),
            "<a>xyz\t\nä€</a>"
        );
    }
}
