//! The web layer's one error type and its mapping to responses, in one place:
//! admin pages get a redirect to the login or an HTML error page in the
//! user's language, the plugin API gets `application/problem+json`. Internal
//! details go to the log, never into a response.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use crate::db::DbError;
use crate::webhooks::WebhookError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// An admin page without a logged-in user: redirect to the login.
    #[error("login required")]
    LoginRequired { login_url: String },
    /// A plugin API call without valid credentials.
    #[error("authentication required: {0}")]
    ApiUnauthorized(String),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The request conflicts with the current state (e.g. a run is already under way).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Well-formed, but not acceptable (e.g. an unknown object type).
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    #[error("no company assigned")]
    NoCompany,
    /// A refusal of the plugin API with its stable code (see `web::api::codes`).
    #[error("{0}")]
    Api(ApiProblem),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    fn message_id(&self) -> &'static str {
        match self {
            WebError::Forbidden => "error-forbidden",
            WebError::NotFound => "error-not-found",
            WebError::Csrf => "error-csrf",
            WebError::BadRequest(_)
            | WebError::Conflict(_)
            | WebError::Unprocessable(_)
            | WebError::Api(_) => "error-bad-request",
            WebError::NoCompany => "error-no-company",
            _ => "error-internal",
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(format!("template: {e}"))
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            WebError::ApiUnauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::Forbidden | WebError::Csrf | WebError::NoCompany => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Api(p) => p.status,
            WebError::Db(DbError::Connect(_)) | WebError::Db(DbError::Pool(_)) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            WebError::Db(_) | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        match self {
            WebError::LoginRequired { login_url } => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, login_url.as_str()))
                .finish(),
            WebError::ApiUnauthorized(_) | WebError::Api(_) => {
                ApiError(WebError::Api(problem_of(self))).error_response()
            }
            _ => {
                // The page itself is rendered by `pages::error_page`, which
                // knows the language; this fallback is plain text.
                HttpResponse::build(status)
                    .content_type("text/plain; charset=utf-8")
                    .body(self.message_id())
            }
        }
    }
}

fn problem(status: StatusCode, _title: &str, _detail: &str) -> actix_web::HttpResponseBuilder {
    let mut b = HttpResponse::build(status);
    b.content_type("application/problem+json");
    b
}

/// A problem+json body (RFC 9457).
pub fn problem_body(status: StatusCode, title: &str, detail: &str) -> serde_json::Value {
    serde_json::json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
    })
}

/// An API error as problem+json.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl ApiError {
    /// A refusal with its stable code.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError(WebError::Api(ApiProblem {
            status,
            code,
            detail: detail.into(),
        }))
    }

    /// Status, stable code and detail of this error as the API answers it.
    pub fn problem(&self) -> ApiProblem {
        problem_of(&self.0)
    }
}

/// Status, stable code and detail of an error as the API answers it.
pub fn problem_of(e: &WebError) -> ApiProblem {
    let (status, code, detail): (StatusCode, &'static str, String) = match e {
        WebError::Api(p) => return p.clone(),
        WebError::ApiUnauthorized(d) => (StatusCode::UNAUTHORIZED, "unauthorized", d.clone()),
        WebError::LoginRequired { .. } => (
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a host token is required".into(),
        ),
        WebError::Forbidden => (
            StatusCode::FORBIDDEN,
            "permission_missing",
            "the token lacks the permission this operation needs".into(),
        ),
        WebError::NotFound => (
            StatusCode::NOT_FOUND,
            "not_found",
            "no such resource".into(),
        ),
        WebError::BadRequest(d) => (StatusCode::BAD_REQUEST, "bad_request", d.clone()),
        WebError::Conflict(d) => (StatusCode::CONFLICT, "conflict", d.clone()),
        WebError::Unprocessable(d) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            d.clone(),
        ),
        WebError::NoCompany => (
            StatusCode::FORBIDDEN,
            "company_not_covered",
            "the token covers no company".into(),
        ),
        WebError::Csrf => (StatusCode::FORBIDDEN, "csrf", "CSRF check failed".into()),
        WebError::Db(DbError::Connect(_)) | WebError::Db(DbError::Pool(_)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the database is not reachable, retry later".into(),
        ),
        WebError::Db(_) | WebError::Internal(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "see the module's log".into(),
        ),
    };
    ApiProblem {
        status,
        code,
        detail,
    }
}

/// A refusal of the plugin API: HTTP status, a stable code (the table in
/// README.md and the OpenAPI document) and a detail in English for the
/// host's developer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiProblem {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
}

impl std::fmt::Display for ApiProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code,
            self.status.as_u16(),
            self.detail
        )
    }
}

impl ApiProblem {
    /// RFC 9457 problem details as JSON, with the stable `code` member.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "type": format!("urn:sendcloud-plugin:problem:{}", self.code),
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "code": self.code,
            "detail": self.detail,
        })
    }

    /// The XML twin (`application/problem+xml`, RFC 9457 appendix B).
    pub fn xml(&self) -> String {
        let e = |s: &str| quick_xml::escape::escape(s).into_owned();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<problem xmlns=\"urn:ietf:rfc:7807\"><type>urn:sendcloud-plugin:problem:{code}</type><title>{title}</title><status>{status}</status><code>{code}</code><detail>{detail}</detail></problem>",
            code = e(self.code),
            title = e(self.status.canonical_reason().unwrap_or("Error")),
            status = self.status.as_u16(),
            detail = e(&self.detail),
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.problem().status
    }

    fn error_response(&self) -> HttpResponse {
        let p = self.problem();
        if p.status.is_server_error() {
            tracing::error!(error = %self.0, "API request failed");
        }
        // JSON here; `web::api::problem_format` turns it into XML for a
        // caller that asked for XML.
        let mut b = problem(p.status, "", "");
        if p.status == StatusCode::UNAUTHORIZED {
            b.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        b.json(p.json())
    }
}

/// A refused webhook call: Sendcloud gets a status it understands (a 5xx makes
/// it retry later, a 4xx tells the sender what was wrong) and a short JSON
/// body; the refusal goes to the log.
impl ResponseError for WebhookError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebhookError::UnknownTarget => StatusCode::NOT_FOUND,
            WebhookError::BadSignature => StatusCode::UNAUTHORIZED,
            WebhookError::NotWaiting => StatusCode::CONFLICT,
            WebhookError::Malformed(_) | WebhookError::TooOld => StatusCode::BAD_REQUEST,
            WebhookError::Db(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let message = match self {
            WebhookError::Db(e) => {
                tracing::error!(error = %e, "webhook: database error");
                "temporarily unavailable, retry later".to_string()
            }
            WebhookError::BadSignature => "invalid signature".to_string(),
            WebhookError::NotWaiting => "no connection is waiting for credentials".to_string(),
            other => other.to_string(),
        };
        tracing::warn!(status = status.as_u16(), %message, "webhook refused");
        HttpResponse::build(status)
            .json(serde_json::json!({ "status": status.as_u16(), "message": message }))
    }
}
