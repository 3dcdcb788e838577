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
            WebError::BadRequest(_) | WebError::Conflict(_) | WebError::Unprocessable(_) => {
                "error-bad-request"
            }
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
            WebError::ApiUnauthorized(detail) => problem(status, "Unauthorized", detail)
                .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
                .json(problem_body(status, "Unauthorized", detail)),
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

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match &self.0 {
            WebError::LoginRequired { .. } => StatusCode::UNAUTHORIZED,
            other => other.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self.0, "API request failed");
        }
        let (title, detail) = match &self.0 {
            WebError::ApiUnauthorized(d) => ("Unauthorized", d.clone()),
            WebError::LoginRequired { .. } => ("Unauthorized", "a host token is required".into()),
            WebError::Forbidden => ("Forbidden", "missing permission".into()),
            WebError::NotFound => ("Not Found", "no such resource".into()),
            WebError::BadRequest(d) => ("Bad Request", d.clone()),
            WebError::Conflict(d) => ("Conflict", d.clone()),
            WebError::Unprocessable(d) => ("Unprocessable Content", d.clone()),
            WebError::NoCompany => ("Forbidden", "no access to this company".into()),
            WebError::Csrf => ("Forbidden", "CSRF check failed".into()),
            WebError::Db(_) | WebError::Internal(_) => {
                ("Internal Server Error", "see the module's log".into())
            }
        };
        let mut b = problem(status, title, &detail);
        if status == StatusCode::UNAUTHORIZED {
            b.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        b.json(problem_body(status, title, &detail))
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
