//! Errors of the web app and the pages they become. Internal details (database errors) are
//! logged, never shown; what a person sees says what happened and what to do.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::service::ServiceError;
use crate::store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No valid session: the person is sent to the sign-in page.
    #[error("sign in first")]
    SignIn { next: String },
    #[error("you are not allowed to see or do this")]
    Forbidden,
    #[error("the form has expired or did not come from this site: reload the page and try again")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    /// The action does not apply to this enquiry now.
    #[error("{0}")]
    Conflict(String),
    /// The draft shown is no longer the latest: nothing was done; the page shows the newer
    /// version and who wrote it (409).
    #[error("{message}")]
    StaleDraft {
        enquiry: i64,
        message: String,
        text: String,
    },
    #[error("too many failed sign-ins from here: wait a little and try again")]
    TooManyAttempts,
    /// Too many sign-ins are being checked at once (503, with `Retry-After`).
    #[error("the service is busy checking other sign-ins: try again in a few seconds")]
    Busy,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<ServiceError> for WebError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound(_) => WebError::NotFound,
            ServiceError::Refused(msg) => WebError::Conflict(msg),
            ServiceError::Stale { id, seen, latest } => WebError::StaleDraft {
                enquiry: id,
                message: format!(
                    "Nothing was sent. You approved version {seen}, but version {} by {} \
                     (saved {}) is newer. Read it below, then approve again from the enquiry page.",
                    latest.version,
                    latest.edited_by,
                    crate::store::format_time(latest.created_at)
                ),
                text: latest.text,
            },
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<crate::Error> for WebError {
    fn from(e: crate::Error) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> Self {
        WebError::Internal(format!("template: {e:#}"))
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::SignIn { next } => {
                let location = format!("/login?next={}", urlencode(next));
                return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
            }
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) | WebError::StaleDraft { .. } => StatusCode::CONFLICT,
            WebError::Busy => {
                let body = Html(format!(
                    "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
                     <title>Busy – FPT enquiries</title></head><body><main><h1>Busy</h1>\
                     <p role=\"alert\">{}</p></main></body></html>",
                    escape(&self.to_string())
                ));
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "2")],
                    body,
                )
                    .into_response();
            }
            WebError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            WebError::Internal(detail) => {
                tracing::error!("web request failed: {detail}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = match &self {
            WebError::Internal(_) => {
                "Something went wrong on our side. It has been logged; try again.".to_string()
            }
            other => other.to_string(),
        };
        let title = status.canonical_reason().unwrap_or("Error");
        let extra = match &self {
            WebError::StaleDraft { enquiry, text, .. } => format!(
                "<h2>The newer version</h2><div style=\"white-space:pre-wrap;border:1px solid #999;\
                 padding:.5rem\" id=\"newer\">{}</div><p><a href=\"/enquiries/{enquiry}\">Back to the \
                 enquiry</a></p>",
                escape(text)
            ),
            _ => String::new(),
        };
        let body = format!(
            "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} – FPT enquiries</title><style>body{{font:1rem/1.5 system-ui,sans-serif;\
             max-width:40rem;margin:2rem auto;padding:0 1rem}}a:focus{{outline:3px solid #fd0}}</style>\
             </head><body><main><h1>{title}</h1><p role=\"alert\">{}</p>{extra}\
             <p><a href=\"/queue\">Back to the queue</a></p></main></body></html>",
            escape(&message)
        );
        (status, Html(body)).into_response()
    }
}

/// Percent-encodes a string for use in a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub type WebResult<T> = Result<T, WebError>;
