//! Typed errors of the Sendcloud client, and parsing of Sendcloud's error
//! bodies (v2 `{"error":{code,request,message}}`, v3 `{"errors":[...]}`,
//! per-parcel `{field: [msgs]}`). Every variant renders a message a warehouse
//! clerk can act on; none ever contains the secret key.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

/// Result alias of the Sendcloud client.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One validation problem, e.g. `house_number: This field cannot be blank.`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, `None` for `non_field_errors` or plain messages.
    pub field: Option<String>,
    /// The message without Sendcloud's surrounding quotes.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

fn join(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Everything that can go wrong talking to Sendcloud.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 401: the keys are wrong, revoked, or the integration requires OAuth2.
    #[error("Sendcloud rejected the API keys (HTTP 401). Check the public and secret key of the Sendcloud API integration in the settings.")]
    Unauthorized {
        /// Sendcloud's own message, if any.
        message: String,
    },
    /// 403: the keys are valid but not allowed to do this.
    #[error("Sendcloud refused access (HTTP 403): {message}")]
    Forbidden {
        /// Sendcloud's message.
        message: String,
    },
    /// 404 (also "Invalid cursor").
    #[error("Not found at Sendcloud: {message}")]
    NotFound {
        /// Sendcloud's message or the raw body.
        message: String,
    },
    /// 412 "User has no address data".
    #[error("The Sendcloud account has no sender address. Add one in Sendcloud under Settings > Addresses. ({message})")]
    NoSenderAddress {
        /// Sendcloud's message.
        message: String,
    },
    /// 400/422 with validation errors.
    #[error("Sendcloud rejected the request: {}", join(.errors))]
    Validation {
        /// HTTP status.
        status: u16,
        /// Parsed problems, at least one.
        errors: Vec<FieldError>,
    },
    /// The parcel itself was rejected (per-parcel `errors` in `failed_parcels`).
    #[error("Sendcloud rejected the parcel: {}", join(.errors))]
    ParcelRejected {
        /// Per-field problems.
        errors: Vec<FieldError>,
    },
    /// 400 "We are still processing a previous request" (v3 orders): another
    /// request for the same order is being processed. Not a rejection: the
    /// same request succeeds when sent again shortly (retried like a 5xx on
    /// repeatable requests; a push defers the orders it concerns).
    #[error("Sendcloud is still processing a previous request for the same orders; they will be sent again shortly. ({message})")]
    StillProcessing {
        /// Sendcloud's message.
        message: String,
    },
    /// 429 after all retries.
    #[error("Too many requests to Sendcloud (HTTP 429); try again in a minute.")]
    RateLimited {
        /// `Retry-After` of the last answer, if any.
        retry_after: Option<Duration>,
    },
    /// 5xx after all retries (or on a write, which is not retried).
    #[error("Sendcloud is having problems (HTTP {status}); try again later. {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Sendcloud's message or raw body (shortened).
        message: String,
    },
    /// Any other unexpected status.
    #[error("Sendcloud answered HTTP {status}: {message}")]
    Http {
        /// HTTP status.
        status: u16,
        /// Sendcloud's message or raw body (shortened).
        message: String,
    },
    /// No answer in time.
    #[error("Sendcloud did not answer in time; check the connection and try again.")]
    Timeout,
    /// Connection could not be made or was lost.
    #[error("Could not reach Sendcloud: {0}")]
    Connection(String),
    /// The answer was not what the API documents.
    #[error("Sendcloud sent an unreadable answer: {0}")]
    MalformedResponse(String),
    /// Refused client-side before sending (e.g. more than 100 orders).
    #[error("Invalid request: {0}")]
    InvalidRequest(String),
    /// A create was interrupted and a lookup could not tell whether it happened.
    #[error("It is unknown whether Sendcloud created the parcel ({reference}); it will be checked again before retrying. Cause: {cause}")]
    Uncertain {
        /// The external reference of the parcel.
        reference: String,
        /// What interrupted the create.
        cause: Box<Error>,
    },
}

impl Error {
    /// `true` for errors after which a create may or may not have happened
    /// (no answer, a 5xx, or an unreadable answer).
    pub fn is_ambiguous(&self) -> bool {
        matches!(
            self,
            Error::Timeout
                | Error::Connection(_)
                | Error::Server { .. }
                | Error::MalformedResponse(_)
        )
    }

    /// `true` for "still processing a previous request": send the same
    /// request again shortly (see [`Error::StillProcessing`]).
    pub fn is_still_processing(&self) -> bool {
        matches!(self, Error::StillProcessing { .. })
    }

    /// The field errors carried by this error (empty for non-validation errors).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Validation { errors, .. } | Error::ParcelRejected { errors } => errors,
            _ => &[],
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            Error::Timeout
        } else if e.is_decode() {
            Error::MalformedResponse(e.without_url().to_string())
        } else {
            // reqwest's own text is terse ("error sending request"): add the causes.
            let e = e.without_url();
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                let cause_text = cause.to_string();
                if !text.contains(&cause_text) {
                    text.push_str(": ");
                    text.push_str(&cause_text);
                }
                source = cause.source();
            }
            Error::Connection(text)
        }
    }
}

/// Strips one pair of quotes Sendcloud puts around messages.
pub(crate) fn strip_quotes(s: &str) -> String {
    let t = s.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_string();
        }
    }
    t.to_string()
}

fn is_field_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '[' || c == ']')
}

/// Parses a v2 `message` such as `house_number: 'This field cannot be blank.'`
/// (one problem per line) into field errors.
pub fn parse_v2_message(message: &str) -> Vec<FieldError> {
    let mut out = Vec::new();
    for line in message.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once(": ") {
            Some((field, rest)) if is_field_name(field) => {
                let field = (field != "non_field_errors").then(|| field.to_string());
                out.push(FieldError {
                    field,
                    message: strip_quotes(rest),
                });
            }
            _ => out.push(FieldError {
                field: None,
                message: strip_quotes(line),
            }),
        }
    }
    if out.is_empty() {
        out.push(FieldError {
            field: None,
            message: message.trim().to_string(),
        });
    }
    out
}

/// Flattens `{field: [msgs], non_field_errors: [msgs]}` (nested objects become
/// dotted paths).
pub fn parse_field_map(value: &Value) -> Vec<FieldError> {
    fn walk(prefix: Option<String>, v: &Value, out: &mut Vec<FieldError>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    let key = if k == "non_field_errors" {
                        prefix.clone()
                    } else {
                        Some(match &prefix {
                            Some(p) => format!("{p}.{k}"),
                            None => k.clone(),
                        })
                    };
                    walk(key, v, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(prefix.clone(), item, out);
                }
            }
            Value::String(s) => out.push(FieldError {
                field: prefix,
                message: strip_quotes(s),
            }),
            Value::Null => {}
            other => out.push(FieldError {
                field: prefix,
                message: other.to_string(),
            }),
        }
    }
    let mut out = Vec::new();
    walk(None, value, &mut out);
    out
}

#[derive(Deserialize)]
struct V2Body {
    error: V2Error,
}

#[derive(Deserialize)]
struct V2Error {
    #[serde(default)]
    message: Option<Value>,
}

#[derive(Deserialize)]
struct V3Body {
    errors: Vec<V3Error>,
}

#[derive(Deserialize)]
struct V3Error {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    source: Option<BTreeMap<String, Value>>,
}

fn v3_field(source: &BTreeMap<String, Value>) -> Option<String> {
    if let Some(Value::String(p)) = source.get("pointer") {
        let trimmed = p
            .trim_start_matches("/data/attributes")
            .trim_start_matches("/data")
            .trim_matches('/');
        if trimmed.is_empty() {
            return None;
        }
        return Some(trimmed.replace('/', "."));
    }
    ["parameter", "header"]
        .iter()
        .find_map(|k| source.get(*k).and_then(Value::as_str).map(str::to_string))
}

/// Turns an error body of any documented shape into field errors; non-JSON
/// bodies (e.g. S3 XML) become one shortened message.
pub fn parse_error_body(body: &[u8]) -> Vec<FieldError> {
    if let Ok(v2) = serde_json::from_slice::<V2Body>(body) {
        return match v2.error.message {
            Some(Value::String(m)) => parse_v2_message(&m),
            Some(other) => parse_field_map(&other),
            None => Vec::new(),
        };
    }
    if let Ok(v3) = serde_json::from_slice::<V3Body>(body) {
        return v3
            .errors
            .into_iter()
            .map(|e| FieldError {
                field: e.source.as_ref().and_then(v3_field),
                message: e
                    .detail
                    .or(e.title)
                    .unwrap_or_else(|| "unknown error".into()),
            })
            .collect();
    }
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        if value.is_object() {
            if let Some(detail) = value.get("detail").and_then(Value::as_str) {
                return vec![FieldError {
                    field: None,
                    message: detail.to_string(),
                }];
            }
            let errs = parse_field_map(&value);
            if !errs.is_empty() {
                return errs;
            }
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    // S3 XML: pick <Message> if there is one.
    let shown = match (text.find("<Message>"), text.find("</Message>")) {
        (Some(a), Some(b)) if b > a => text[a + "<Message>".len()..b].to_string(),
        _ => text.chars().take(200).collect(),
    };
    vec![FieldError {
        field: None,
        message: shown,
    }]
}

/// The words of Sendcloud's v3 answer to a request that collides with one
/// still running for the same `order_id` (`DuplicateOrderProcessing` in the
/// v3 orders spec: 400, code `invalid`, pointer `/data`).
const STILL_PROCESSING: &str = "still processing a previous request";

fn says_still_processing(errors: &[FieldError]) -> bool {
    !errors.is_empty()
        && errors
            .iter()
            .all(|e| e.field.is_none() && e.message.to_lowercase().contains(STILL_PROCESSING))
}

/// Maps a non-success HTTP answer to an [`Error`].
pub(crate) fn from_status(status: u16, body: &[u8], retry_after: Option<Duration>) -> Error {
    let errors = parse_error_body(body);
    let message = if errors.is_empty() {
        format!("HTTP {status}")
    } else {
        join(&errors)
    };
    match status {
        401 => Error::Unauthorized { message },
        403 => Error::Forbidden { message },
        404 | 410 => Error::NotFound { message },
        412 => Error::NoSenderAddress { message },
        429 => Error::RateLimited { retry_after },
        400 if says_still_processing(&errors) => Error::StillProcessing { message },
        400 | 422 if !errors.is_empty() => Error::Validation { status, errors },
        500..=599 => Error::Server { status, message },
        _ => Error::Http { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_field_message_is_unquoted() {
        let body = br#"{"error":{"code":400,"request":"api/v2/parcels","message":"house_number: 'This field cannot be blank.'"}}"#;
        let e = from_status(400, body, None);
        assert_eq!(
            e.to_string(),
            "Sendcloud rejected the request: house_number: This field cannot be blank."
        );
    }

    #[test]
    fn still_processing_is_not_a_rejection() {
        let body = br#"{"errors":[{"status":"400","code":"invalid","detail":"We are still processing a previous request. Please try again in a moment.","source":{"pointer":"/data"}}]}"#;
        let e = from_status(400, body, None);
        assert!(e.is_still_processing(), "{e:?}");
        assert!(e.field_errors().is_empty());
        // A real rejection that merely mentions it on one order stays one.
        let body = br#"{"errors":[{"status":"400","code":"invalid","detail":"Field required","source":{"pointer":"/data/attributes/[0]/order_id"}}]}"#;
        assert!(!from_status(400, body, None).is_still_processing());
    }

    #[test]
    fn s3_xml_body() {
        let body = b"<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>";
        let e = from_status(404, body, None);
        assert_eq!(
            e.to_string(),
            "Not found at Sendcloud: The specified key does not exist."
        );
    }
}
