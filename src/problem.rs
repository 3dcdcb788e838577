//! What went wrong, as a stored fact: a stable [`ProblemCode`] plus
//! Sendcloud's own detail (the field it rejected and its message). Runs,
//! action-log entries, incidents and the plugin API store a [`Problem`];
//! the UI, the CLI and the notifications render it in the reader's
//! language (`problem-…` messages in `admin_ui/i18n/*.ftl`), never a
//! sentence written at the time of the failure.

use serde::{Deserialize, Serialize};

use fluent_bundle::FluentValue;

use crate::db::DbError;
use crate::i18n::I18n;
use crate::sendcloud::Error as ScError;

/// The stable code of a problem (stored; the API returns it as is).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ProblemCode {
    /// Sendcloud answered 5xx (after the retries).
    SendcloudDown,
    /// No answer: connection refused or lost, timeout.
    SendcloudUnreachable,
    /// 401: the keys are wrong or revoked.
    KeysRefused,
    /// 403: valid keys that may not do this.
    AccessDenied,
    /// 429 after the retries.
    RateLimited,
    /// 400/422: Sendcloud rejected a field (`field` and `detail` say which and why).
    FieldRejected,
    /// 404/410.
    NotFound,
    /// 412: the account has no sender address.
    NoSenderAddress,
    /// "Still processing a previous request" after the retries.
    SendcloudBusy,
    /// An answer that is not what the API documents, or an unexpected status.
    BadAnswer,
    /// Our own database refused or failed.
    Database,
    /// The company has no connected Sendcloud account.
    NotConnected,
    /// Keys were asked for and not given.
    MissingKeys,
    /// A bug or an unexpected state of the module.
    Internal,
    /// A label's data failed our checks before the paid call (`field` says
    /// where; the fix-list is in the Logs); Sendcloud was not called.
    LabelCheck,
}

impl ProblemCode {
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<ProblemCode> {
        s.parse().ok()
    }

    /// The message id of its text (`problem-rate-limited`).
    pub fn message_id(&self) -> String {
        format!("problem-{}", self.as_str().replace('_', "-"))
    }

    /// Whether waiting and trying again can help (the next automatic run
    /// may succeed by itself) rather than someone having to act.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ProblemCode::SendcloudDown
                | ProblemCode::SendcloudUnreachable
                | ProblemCode::RateLimited
                | ProblemCode::SendcloudBusy
        )
    }
}

/// A problem as stored: the code and what Sendcloud (or the database) said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code: ProblemCode,
    /// The HTTP status Sendcloud answered, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The field Sendcloud rejected (`FieldRejected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Sendcloud's own message (never a secret), shortened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Details longer than this are cut (an HTML error page is no detail).
const DETAIL_MAX: usize = 300;

fn short(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let cut: String = s.chars().take(DETAIL_MAX).collect();
    Some(crate::text::storable(&cut).into_owned())
}

impl Problem {
    pub fn new(code: ProblemCode) -> Problem {
        Problem {
            code,
            status: None,
            field: None,
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: &str) -> Problem {
        self.detail = short(detail);
        self
    }

    /// What a Sendcloud client error means for the reader.
    pub fn from_sendcloud(e: &ScError) -> Problem {
        let p = |code, status: Option<u16>, detail: &str| Problem {
            status,
            ..Problem::new(code).with_detail(detail)
        };
        match e {
            ScError::Unauthorized { message } => p(ProblemCode::KeysRefused, Some(401), message),
            ScError::Forbidden { message } => p(ProblemCode::AccessDenied, Some(403), message),
            ScError::NotFound { message } => p(ProblemCode::NotFound, Some(404), message),
            ScError::NoSenderAddress { message } => {
                p(ProblemCode::NoSenderAddress, Some(412), message)
            }
            ScError::Validation { status, errors } => Problem {
                field: errors.iter().find_map(|e| e.field.clone()),
                ..p(
                    ProblemCode::FieldRejected,
                    Some(*status),
                    &errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            },
            ScError::ParcelRejected { errors } => Problem {
                field: errors.iter().find_map(|e| e.field.clone()),
                ..p(
                    ProblemCode::FieldRejected,
                    None,
                    &errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            },
            ScError::StillProcessing { message } => {
                p(ProblemCode::SendcloudBusy, Some(400), message)
            }
            ScError::RateLimited { .. } => p(ProblemCode::RateLimited, Some(429), ""),
            ScError::Server { status, message } => {
                p(ProblemCode::SendcloudDown, Some(*status), message)
            }
            ScError::Http { status, message } => p(ProblemCode::BadAnswer, Some(*status), message),
            ScError::Timeout => p(ProblemCode::SendcloudUnreachable, None, ""),
            ScError::Connection(m) => p(ProblemCode::SendcloudUnreachable, None, m),
            ScError::MalformedResponse(m) => p(ProblemCode::BadAnswer, None, m),
            ScError::InvalidRequest(m) => p(ProblemCode::Internal, None, m),
            ScError::Uncertain { cause, .. } => Problem::from_sendcloud(cause),
        }
    }

    /// Our database failed. The detail is the database's message (no data,
    /// no secret: diesel's errors name the constraint or the connection).
    pub fn from_db(e: &DbError) -> Problem {
        Problem::new(ProblemCode::Database).with_detail(&e.to_string())
    }

    /// Stored form (JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| format!("{{\"code\":\"{}\"}}", self.code.as_str()))
    }

    pub fn from_json(s: &str) -> Option<Problem> {
        serde_json::from_str(s).ok()
    }
}

impl Problem {
    /// The problem in `lang`: what happened and what to do, then
    /// Sendcloud's (or the database's) own words; `object` (an already
    /// translated object name) says what failed.
    pub fn render(&self, i18n: &I18n, lang: &str, object: Option<&str>) -> String {
        let mut args: Vec<(&str, FluentValue)> = vec![];
        if let Some(f) = &self.field {
            args.push(("field", FluentValue::from(f.as_str())));
        }
        let id = match (self.code, &self.field) {
            (ProblemCode::FieldRejected, None) => "problem-field-rejected-any".to_string(),
            _ => self.code.message_id(),
        };
        let mut text = i18n.text_with(lang, &id, &args);
        if let Some(d) = &self.detail {
            let detail_id = if self.code == ProblemCode::Database {
                "problem-detail-db"
            } else {
                "problem-detail"
            };
            text.push(' ');
            text.push_str(&i18n.text_with(
                lang,
                detail_id,
                &[("detail", FluentValue::from(d.as_str()))],
            ));
        }
        match object {
            Some(o) => i18n.text_with(
                lang,
                "problem-in-object",
                &[
                    ("object", FluentValue::from(o)),
                    ("text", FluentValue::from(text.as_str())),
                ],
            ),
            None => text,
        }
    }
}

impl std::fmt::Display for Problem {
    /// The code and the detail, for logs and the CLI's fallback (the UI
    /// renders [`Problem`] through its translations).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code.as_str())?;
        if let Some(field) = &self.field {
            write!(f, " ({field})")?;
        }
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn codes_round_trip_and_map_sendcloud_errors() {
        for code in ProblemCode::iter() {
            assert_eq!(ProblemCode::parse(code.as_str()), Some(code));
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str());
        }
        let e = crate::sendcloud::Error::Validation {
            status: 400,
            errors: vec![crate::sendcloud::FieldError {
                field: Some("house_number".into()),
                message: "This field cannot be blank.".into(),
            }],
        };
        let p = Problem::from_sendcloud(&e);
        assert_eq!(p.code, ProblemCode::FieldRejected);
        assert_eq!(p.field.as_deref(), Some("house_number"));
        assert_eq!(
            p.detail.as_deref(),
            Some("house_number: This field cannot be blank.")
        );
        assert_eq!(Problem::from_json(&p.to_json()), Some(p));
        let p = Problem::from_sendcloud(&crate::sendcloud::Error::Server {
            status: 503,
            message: "x".repeat(1000),
        });
        assert_eq!(p.code, ProblemCode::SendcloudDown);
        assert_eq!(p.detail.unwrap().chars().count(), DETAIL_MAX);
    }
}
