//! The plugin API for the host (versioned under `/api/v1`), one file per
//! resource; this file holds what every handler file uses:
//!
//! - content negotiation both ways: [`Body<T>`] reads `application/json` or
//!   `application/xml` into the same serde type (which denies unknown
//!   fields), with a size limit ([`MAX_BODY_BYTES`], 413) and a nesting
//!   limit ([`MAX_DEPTH`]); [`reply`] answers JSON, or XML when the caller
//!   asks for it (`Accept`, else the request's `Content-Type`);
//! - errors: every refusal is an [`ApiError`] with a stable code
//!   ([`CODES`], documented in README.md and the OpenAPI document), answered
//!   as `application/problem+json`, or `application/problem+xml` by
//!   [`problem_format`] for a caller that asked for XML;
//! - [`idempotent`]: a POST that creates something runs its work and stores
//!   the answer under the `Idempotency-Key` in one transaction;
//! - [`covered`]: the company in the path must be one the token covers.

pub mod companies;
pub mod deliveries;
pub mod events;
pub mod labels;
pub mod logs;
pub mod openapi;
pub mod orders;
pub mod reports;
pub mod shipping;
pub mod syncs;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{ApiError, ApiProblem, WebError};
use super::AppState;
use crate::db::DbConn;
use crate::users::User;

pub use companies::companies;

/// The largest request body the API reads (413 `body_too_large` beyond).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The deepest nesting of objects/arrays (JSON) or elements (XML) a body
/// may have (400 `too_deep` beyond).
pub const MAX_DEPTH: usize = 16;

/// Every error code of the API: code, HTTP status, what it means. The same
/// for every endpoint; README.md and the OpenAPI document list them, the
/// docs page in the reader's language (`api-code-{code}` in the i18n files).
pub const CODES: &[(&str, u16, &str)] = &[
    ("unauthorized", 401, "No host token (send `Authorization: Bearer <token>`), or host tokens are not enabled."),
    ("token_expired", 401, "The host token has expired; mint a new one."),
    ("token_invalid", 401, "The host token is not one this module signed (another secret, altered, garbage)."),
    ("permission_missing", 403, "The token lacks the permission `sendcloud.api`."),
    ("company_not_covered", 403, "The token does not cover the company in the path."),
    ("not_found", 404, "No such company, delivery, job, document or route."),
    ("method_not_allowed", 405, "The route exists, but not with this method."),
    ("unsupported_media_type", 415, "The body is neither `application/json` nor `application/xml`."),
    ("malformed_body", 400, "The body is not well-formed JSON or XML (or carries a DTD)."),
    ("unknown_field", 400, "The body has a field the schema does not know."),
    ("invalid_value", 400, "A field has the wrong type, or a required field is missing."),
    ("too_deep", 400, "The body nests deeper than 16 levels."),
    ("body_too_large", 413, "The body is larger than 64 KiB."),
    ("bad_parameter", 400, "A query or path parameter is not valid (a page cursor, a number, a format)."),
    ("validation_failed", 422, "Well-formed, but not acceptable (e.g. an empty list, an unknown object type)."),
    ("idempotency_key_invalid", 400, "The `Idempotency-Key` is empty or longer than 200 characters."),
    ("idempotency_key_reused", 422, "The `Idempotency-Key` was used before for a different request."),
    ("not_connected", 409, "The company has no connected Sendcloud account."),
    ("already_running", 409, "An Abgleich, or the same order push, is already queued or running for the company."),
    ("no_label", 409, "The delivery has no label (yet, or any more)."),
    ("document_unavailable", 404, "Sendcloud has no such document for the parcel (e.g. no customs declaration inside the EU)."),
    ("sendcloud_error", 502, "Sendcloud answered with an error or could not be reached; retry later."),
    ("internal_error", 500, "Something failed inside the module; see its log."),
    ("unavailable", 503, "The database is not reachable; retry later."),
];

/// A refusal with one of the [`CODES`].
pub fn refuse(code: &'static str, detail: impl Into<String>) -> ApiError {
    let status = CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .and_then(|(_, s, _)| StatusCode::from_u16(*s).ok())
        .unwrap_or(StatusCode::BAD_REQUEST);
    ApiError::new(status, code, detail)
}

/// The format of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

fn header_str(req: &HttpRequest, name: header::HeaderName) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.to_ascii_lowercase())
}

fn is_xml(media: &str) -> bool {
    media.contains("application/xml") || media.contains("text/xml") || media.contains("+xml")
}

impl Format {
    /// The format the caller wants answered: XML when `Accept` prefers it
    /// (names XML before any JSON), JSON when it names JSON; otherwise
    /// the format of the request's body; JSON by default.
    pub fn wanted(req: &HttpRequest) -> Format {
        if let Some(a) = header_str(req, header::ACCEPT) {
            let xml = ["application/xml", "text/xml", "+xml"]
                .iter()
                .filter_map(|m| a.find(m))
                .min();
            let json = a.find("json");
            match (xml, json) {
                (Some(x), Some(j)) if x < j => return Format::Xml,
                (Some(_), None) => return Format::Xml,
                (_, Some(_)) => return Format::Json,
                _ => {}
            }
        }
        match header_str(req, header::CONTENT_TYPE) {
            Some(ct) if is_xml(&ct) => Format::Xml,
            _ => Format::Json,
        }
    }
}

/// Serialise `value` as XML under `root`.
pub fn to_xml<T: Serialize>(root: &str, value: &T) -> Result<String, ApiError> {
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let ser = quick_xml::se::Serializer::with_root(&mut body, Some(root))
        .map_err(|e| WebError::Internal(format!("xml: {e}")))?;
    value
        .serialize(ser)
        .map_err(|e| WebError::Internal(format!("xml: {e}")))?;
    Ok(xml_chars_only(body))
}

/// Answer `value` with `status` as JSON, or as XML under `root` when the
/// caller wants XML ([`Format::wanted`]).
pub fn reply<T: Serialize>(
    req: &HttpRequest,
    status: StatusCode,
    root: &str,
    value: &T,
) -> Result<HttpResponse, ApiError> {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::CACHE_CONTROL, "no-store"));
    b.insert_header((header::VARY, "Accept, Content-Type"));
    match Format::wanted(req) {
        Format::Xml => Ok(b
            .content_type("application/xml; charset=utf-8")
            .body(to_xml(root, value)?)),
        Format::Json => Ok(b.json(value)),
    }
}

/// [`reply`] with 200.
pub fn respond<T: Serialize>(
    req: &HttpRequest,
    root: &str,
    value: &T,
) -> Result<HttpResponse, ApiError> {
    reply(req, StatusCode::OK, root, value)
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

pub use crate::text::json_depth;

/// The element depth of an XML text; `Err` for text that is not
/// well-formed or carries a DTD (no entity expansion, no external
/// references).
pub fn xml_depth(bytes: &[u8], limit: usize) -> Result<usize, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let (mut depth, mut max) = (0usize, 0usize);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => {
                depth += 1;
                max = max.max(depth);
                if max > limit {
                    return Ok(max);
                }
            }
            Ok(Event::Empty(_)) => max = max.max(depth + 1),
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::DocType(_)) => return Err("DTDs are not accepted".into()),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
        buf.clear();
    }
    if depth != 0 {
        return Err("unclosed element".into());
    }
    Ok(max)
}

/// Parse a body in `format` into `T` (the checks of [`Body`] without
/// HTTP: the fuzz tests call this).
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8], format: Format) -> Result<T, ApiError> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(refuse(
            "body_too_large",
            format!("the body has more than {MAX_BODY_BYTES} bytes"),
        ));
    }
    match format {
        Format::Json => {
            if json_depth(bytes, MAX_DEPTH) > MAX_DEPTH {
                return Err(refuse(
                    "too_deep",
                    format!("the body nests deeper than {MAX_DEPTH} levels"),
                ));
            }
            serde_json::from_slice::<T>(bytes).map_err(|e| {
                use serde_json::error::Category;
                let msg = e.to_string();
                match e.classify() {
                    Category::Syntax | Category::Eof | Category::Io => {
                        refuse("malformed_body", format!("not well-formed JSON: {msg}"))
                    }
                    Category::Data if msg.contains("unknown field") => refuse("unknown_field", msg),
                    Category::Data => refuse("invalid_value", without_value(&msg)),
                }
            })
        }
        Format::Xml => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| refuse("malformed_body", "the XML body is not UTF-8"))?;
            match xml_depth(bytes, MAX_DEPTH) {
                Err(e) => {
                    return Err(refuse(
                        "malformed_body",
                        format!("not well-formed XML: {e}"),
                    ))
                }
                Ok(d) if d > MAX_DEPTH => {
                    return Err(refuse(
                        "too_deep",
                        format!("the body nests deeper than {MAX_DEPTH} levels"),
                    ))
                }
                Ok(_) => {}
            }
            quick_xml::de::from_str::<T>(text).map_err(|e| {
                use quick_xml::DeError;
                let msg = e.to_string();
                match e {
                    DeError::Custom(m) if m.contains("unknown field") => refuse("unknown_field", m),
                    DeError::InvalidXml(_) | DeError::UnexpectedEof => {
                        refuse("malformed_body", format!("not well-formed XML: {msg}"))
                    }
                    _ => refuse("invalid_value", without_value(&msg)),
                }
            })
        }
    }
}

/// A parser's complaint without the value it complains about: serde writes
/// `invalid type: string "…", expected …`, and the value may be a secret
/// sent in the wrong shape (the events hook's `secret` as a number). The
/// kind of value and what was expected stay.
fn without_value(msg: &str) -> String {
    for lead in ["invalid type: ", "invalid value: ", "invalid length "] {
        if let Some(rest) = msg.strip_prefix(lead) {
            if let Some(at) = rest.find(", expected") {
                let kind = rest[..at].split([' ', '`', '"']).next().unwrap_or("");
                return format!("{lead}{kind}{}", &rest[at..]);
            }
        }
    }
    msg.to_string()
}

/// A request body in JSON or XML (by `Content-Type`; none counts as JSON)
/// read into `T`. `T` denies unknown fields; the canonical JSON of the
/// value is what an idempotency key's fingerprint covers (the same
/// request in JSON and in XML is the same request).
pub struct Body<T> {
    pub value: T,
    pub format: Format,
    pub canonical: String,
}

impl<T: DeserializeOwned + Serialize + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let ct = header_str(req, header::CONTENT_TYPE);
        let length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            let format = match ct.as_deref() {
                None => Format::Json,
                Some(ct) if ct.starts_with("application/json") || ct.contains("+json") => {
                    Format::Json
                }
                Some(ct) if is_xml(ct) => Format::Xml,
                Some(ct) => {
                    return Err(refuse(
                        "unsupported_media_type",
                        format!("send application/json or application/xml, not {ct}"),
                    ))
                }
            };
            let too_large = || {
                refuse(
                    "body_too_large",
                    format!("the body has more than {MAX_BODY_BYTES} bytes"),
                )
            };
            if length.is_some_and(|l| l > MAX_BODY_BYTES) {
                return Err(too_large());
            }
            let mut bytes = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    refuse("malformed_body", format!("the body could not be read: {e}"))
                })?;
                if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            let value: T = parse_body(&bytes, format)?;
            let canonical = serde_json::to_string(&value)
                .map_err(|e| WebError::Internal(format!("json: {e}")))?;
            Ok(Body {
                value,
                format,
                canonical,
            })
        })
    }
}

/// The company in the path must be one the token covers (403
/// `company_not_covered` otherwise).
pub fn covered(user: &User, company_id: i64) -> Result<(), ApiError> {
    if user.may_see_company(company_id) {
        Ok(())
    } else {
        Err(refuse(
            "company_not_covered",
            format!("the token does not cover company {company_id}"),
        ))
    }
}

/// A path or query parameter that is not valid.
pub fn bad_parameter(detail: impl Into<String>) -> ApiError {
    refuse("bad_parameter", detail)
}

/// The request's `Idempotency-Key`, if any (400 when empty or too long).
pub fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(v) = req.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let key = v.to_str().map(str::trim).unwrap_or("");
    if key.is_empty() || key.chars().count() > crate::idempotency::MAX_KEY_LEN {
        return Err(refuse(
            "idempotency_key_invalid",
            format!(
                "an Idempotency-Key has 1 to {} visible ASCII characters",
                crate::idempotency::MAX_KEY_LEN
            ),
        ));
    }
    Ok(Some(key.to_string()))
}

enum Outcome<R> {
    Fresh(StatusCode, R),
    Replay(crate::idempotency::Stored),
}

/// Run `work` (the whole of a POST's writes) in one write transaction under
/// the request's `Idempotency-Key`: a key seen with the same request
/// answers the stored first answer (status and body, in the format asked
/// now) without running `work`; a key seen with another request is 422
/// `idempotency_key_reused`; otherwise `work` runs and its answer is stored
/// with the key in the same transaction. An error from `work` rolls
/// everything back (nothing written, nothing stored). Without a key,
/// `work` just runs in a transaction. Returns the response and the answer
/// in it (for a `Location` header).
pub async fn idempotent<R, F>(
    state: &AppState,
    req: &HttpRequest,
    user: &User,
    canonical_body: &str,
    root: &'static str,
    work: F,
) -> Result<(HttpResponse, R), ApiError>
where
    R: Serialize + DeserializeOwned + Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, R), ApiError> + Send + 'static,
{
    let key = idempotency_key(req)?;
    let caller = user.name.clone();
    let fp = crate::idempotency::fingerprint(req.method().as_str(), req.path(), canonical_body);
    let outcome = state
        .db
        .run(move |c| {
            let done = crate::idempotency::once(c, &caller, key.as_deref(), &fp, |c| {
                let (status, answer) = work(c)?;
                let body = serde_json::to_string(&answer)
                    .map_err(|e| ApiError::from(WebError::Internal(format!("json: {e}"))))?;
                let stored = crate::idempotency::Stored {
                    status: i32::from(status.as_u16()),
                    body,
                };
                Ok::<_, ApiError>((stored, (status, answer)))
            });
            Ok(match done {
                Ok(crate::idempotency::Done::Fresh((status, answer))) => {
                    Ok(Outcome::Fresh(status, answer))
                }
                Ok(crate::idempotency::Done::Replay(s)) => Ok(Outcome::Replay(s)),
                Err(crate::idempotency::Refused::Work(e)) => Err(e),
                Err(crate::idempotency::Refused::Reused) => Err(reused()),
                Err(crate::idempotency::Refused::Db(e)) => return Err(e),
            })
        })
        .await??;
    match outcome {
        Outcome::Fresh(status, answer) => Ok((reply(req, status, root, &answer)?, answer)),
        Outcome::Replay(stored) => {
            let status = StatusCode::from_u16(u16::try_from(stored.status).unwrap_or(200))
                .unwrap_or(StatusCode::OK);
            let answer: R = serde_json::from_str(&stored.body)
                .map_err(|e| WebError::Internal(format!("stored answer: {e}")))?;
            let mut res = reply(req, status, root, &answer)?;
            res.headers_mut().insert(
                header::HeaderName::from_static("idempotent-replayed"),
                header::HeaderValue::from_static("true"),
            );
            Ok((res, answer))
        }
    }
}

fn reused() -> ApiError {
    refuse(
        "idempotency_key_reused",
        "this Idempotency-Key was used for a different request; use a new key",
    )
}

/// Middleware on the module's routes: an error answer of an API route
/// (`/api/…`) is problem details with a stable code whatever produced it
/// (a handler's `ApiError`, an unknown route, a path that does not parse),
/// as `application/problem+xml` when the caller asked for XML.
pub async fn problem_format(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let api_prefix = req
        .app_data::<web::Data<AppState>>()
        .map(|s| format!("{}/api/", s.config.mount_path()));
    let is_api = api_prefix.is_some_and(|p| req.path().starts_with(&p));
    let res = next.call(req).await?;
    let status = res.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return Ok(res.map_into_boxed_body());
    }
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (req, res) = res.into_parts();
    let wants = Format::wanted(&req);
    let www = res.headers().get(header::WWW_AUTHENTICATE).cloned();
    let body = actix_web::body::to_bytes_limited(res.into_body(), 64 * 1024)
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let problem = if ct.starts_with("application/problem+json") {
        serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| {
                let code = v.get("code")?.as_str()?;
                let code = CODES.iter().find(|(c, _, _)| *c == code)?.0;
                Some(ApiProblem {
                    status,
                    code,
                    detail: v.get("detail")?.as_str()?.to_string(),
                })
            })
    } else {
        None
    };
    let problem = problem.unwrap_or_else(|| {
        let (code, detail) = match status {
            StatusCode::NOT_FOUND => ("not_found", "no such route or resource"),
            StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed here"),
            StatusCode::PAYLOAD_TOO_LARGE => ("body_too_large", "the body is too large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ("unsupported_media_type", "unsupported content type")
            }
            StatusCode::UNAUTHORIZED => ("unauthorized", "a host token is required"),
            StatusCode::FORBIDDEN => ("permission_missing", "not allowed"),
            s if s.is_server_error() => ("internal_error", "see the module's log"),
            _ => ("bad_parameter", "a path or query parameter is not valid"),
        };
        ApiProblem {
            status,
            code,
            detail: detail.into(),
        }
    });
    let mut b = HttpResponse::build(status);
    if let Some(w) = www {
        b.insert_header((header::WWW_AUTHENTICATE, w));
    }
    let new = match wants {
        Format::Xml => b
            .content_type("application/problem+xml; charset=utf-8")
            .body(problem.xml()),
        Format::Json => b
            .content_type("application/problem+json")
            .body(problem.json().to_string()),
    };
    Ok(ServiceResponse::new(req, new).map_into_boxed_body())
}

/// Times as the API writes them: UTC, RFC 3339, seconds.
pub fn utc(t: &chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Milliseconds since the epoch as an API time.
pub fn utc_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| utc(&t.naive_utc()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_xml_characters_are_dropped_and_others_kept() {
        assert_eq!(
            xml_chars_only("<a>x\u{1}y\u{0}z\u{FFFF}\t\nä€</a>".into()),
            "<a>xyz\t\nä€</a>"
        );
    }

    #[test]
    fn depth_is_counted_outside_strings() {
        assert_eq!(json_depth(br#"{"a":[1,{"b":"[[[{"}]}"#, 99), 3);
        assert_eq!(xml_depth(b"<a><b><c/></b></a>", 99), Ok(3));
        assert!(xml_depth(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", 99).is_err());
        assert!(xml_depth(b"<a><b></a>", 99).is_err());
    }

    #[test]
    fn parse_complaints_do_not_repeat_the_value() {
        let e = serde_json::from_str::<String>("1234567890123456").unwrap_err();
        let told = without_value(&e.to_string());
        assert!(!told.contains("1234567890123456"), "{told}");
        assert!(
            told.starts_with("invalid type: integer, expected"),
            "{told}"
        );
        let e = serde_json::from_str::<u8>("\"s3cr3t-s3cr3t-s3cr3t\"").unwrap_err();
        let told = without_value(&e.to_string());
        assert!(!told.contains("s3cr3t"), "{told}");
        assert_eq!(without_value("missing field `url`"), "missing field `url`");
    }

    #[test]
    fn every_code_has_a_client_or_server_error_status() {
        for (code, status, meaning) in CODES {
            assert!((400..600).contains(status), "{code}");
            assert!(!meaning.is_empty());
        }
    }
}
