//! Microsoft Graph mail client: the calls the Graph mail channel needs, nothing more.
//!
//! - `GET /users/{mailbox}/mailFolders/{folder}/messages/delta` with `$select=isRead,
//!   internetMessageId`: new and changed messages, page by page (`@odata.nextLink`) until the
//!   `@odata.deltaLink` to resume from next time. `410 Gone` (the delta token expired,
//!   `syncStateNotFound`) is [`GraphError::SyncReset`]: start again without a token.
//! - `GET /users/{mailbox}/messages/{id}/$value`: the message as MIME (RFC 5322), so the same
//!   parser and triage apply as for IMAP.
//! - `PATCH /users/{mailbox}/messages/{id}` `{"isRead": true}` and
//!   `POST /users/{mailbox}/messages/{id}/move` `{"destinationId": …}`.
//! - `POST /users/{mailbox}/sendMail` with the base64 MIME message as `text/plain`, so our
//!   Message-ID, In-Reply-To and References go out as written.
//!
//! Every request carries a bearer token from [`TokenSource`]; a `401` drops that token and
//! retries once with a new one. `429` (throttling) and `503`/`504` wait for `Retry-After`
//! seconds (5 s when absent, at most [`MAX_RETRY_AFTER`]) and try again, up to
//! [`MAX_ATTEMPTS`] times. Links from the server are followed only when they point at the
//! configured Graph origin, so the token is never sent elsewhere.
//! Reference: Microsoft Graph v1.0, "message: delta", "Get MIME content of a message",
//! "user: sendMail", "Microsoft Graph throttling guidance".

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde::Deserialize;

use crate::oauth::{OAuthError, TokenSource};

/// Graph v1.0 on Microsoft's global cloud.
pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/v1.0";
/// Longest `Retry-After` honoured; a longer one is cut to this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);
/// Attempts per request when throttled or the service is unavailable.
pub const MAX_ATTEMPTS: u32 = 6;
/// Timeout of one HTTP request.
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);
/// Messages per delta page asked for (`Prefer: odata.maxpagesize`).
const PAGE_SIZE: u32 = 50;

/// The `[graph]` settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct GraphConfig {
    /// The mailbox (user principal name or SMTP address), e.g. `fpt@example.org`.
    pub mailbox: String,
    /// The folder read: a well-known name (`inbox`) or a folder id.
    pub folder: String,
    /// When set, processed messages are moved to this folder (well-known name or id) instead
    /// of only being marked read.
    pub processed_folder: Option<String>,
    /// Seconds between checks for new mail.
    pub poll_secs: u64,
    /// The Graph endpoint (https; http only to a loopback host, for tests).
    pub base_url: String,
}

impl Default for GraphConfig {
    fn default() -> Self {
        GraphConfig {
            mailbox: String::new(),
            folder: "inbox".into(),
            processed_folder: None,
            poll_secs: 15,
            base_url: DEFAULT_BASE_URL.into(),
        }
    }
}

impl GraphConfig {
    /// What stops the channel from working; empty when the settings look usable.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.mailbox.contains('@') {
            problems.push(format!(
                "graph.mailbox `{}` is not a mailbox address",
                self.mailbox
            ));
        }
        if self.folder.trim().is_empty() {
            problems.push("graph.folder is empty (use \"inbox\")".into());
        }
        if self.poll_secs == 0 {
            problems.push("graph.poll_secs must be at least 1".into());
        }
        if let Err(e) = crate::oauth::check_url(&self.base_url) {
            problems.push(format!("graph.base_url: {e}"));
        }
        problems
    }
}

/// Errors from Graph.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// No token.
    #[error(transparent)]
    Token(#[from] OAuthError),
    /// The request did not get an answer (connection, timeout).
    #[error("Microsoft Graph {op}: {detail}; will try again")]
    Http {
        /// The operation.
        op: &'static str,
        /// What happened.
        detail: String,
    },
    /// Graph answered with an error status.
    #[error("Microsoft Graph {op}: HTTP {status}: {detail}{hint}")]
    Status {
        /// The operation.
        op: &'static str,
        /// The HTTP status.
        status: u16,
        /// Graph's error code and message.
        detail: String,
        /// What to check.
        hint: &'static str,
    },
    /// The delta token expired: sync again from the start.
    #[error("Microsoft Graph: the delta token expired; syncing the folder again")]
    SyncReset,
    /// The answer could not be read.
    #[error("Microsoft Graph {op}: unreadable answer: {detail}")]
    Body {
        /// The operation.
        op: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// A link from the server points somewhere else than the configured Graph endpoint.
    #[error("Microsoft Graph returned a link outside {base}: not followed")]
    ForeignLink {
        /// The configured origin.
        base: String,
    },
}

impl GraphError {
    /// Whether trying again later can help (network, throttling, 5xx, token endpoint down).
    pub fn is_transient(&self) -> bool {
        match self {
            GraphError::Token(e) => !e.needs_attention(),
            GraphError::Http { .. } | GraphError::SyncReset => true,
            GraphError::Status { status, .. } => *status == 429 || *status >= 500,
            GraphError::Body { .. } | GraphError::ForeignLink { .. } => false,
        }
    }
}

/// One entry of a delta page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeltaItem {
    /// The Graph message id.
    pub id: String,
    /// Deleted or moved out of the folder (`@removed`).
    pub removed: bool,
    /// Whether it is marked read.
    pub is_read: bool,
    /// Its Internet Message-ID, without angle brackets.
    pub message_id: Option<String>,
}

/// One page of a delta query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeltaPage {
    /// The messages on this page.
    pub items: Vec<DeltaItem>,
    /// `@odata.nextLink`: more pages follow.
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: the last page; resume from here next time.
    pub delta_link: Option<String>,
}

#[derive(Deserialize)]
struct RawPage {
    #[serde(default)]
    value: Vec<RawItem>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink")]
    delta_link: Option<String>,
}

#[derive(Deserialize)]
struct RawItem {
    id: String,
    #[serde(rename = "@removed")]
    removed: Option<serde_json::Value>,
    #[serde(rename = "isRead", default)]
    is_read: bool,
    #[serde(rename = "internetMessageId")]
    internet_message_id: Option<String>,
}

/// Percent-encodes one URL path segment (RFC 3986 §3.3: unreserved and sub-delims stay).
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Talks to one mailbox through Graph.
#[derive(Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    base: String,
    origin: String,
    mailbox: String,
    tokens: Arc<TokenSource>,
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphClient")
            .field("base", &self.base)
            .field("mailbox", &self.mailbox)
            .finish_non_exhaustive()
    }
}

impl GraphClient {
    /// A client for `config.mailbox` at `config.base_url`, with tokens from `tokens`.
    pub fn new(config: &GraphConfig, tokens: Arc<TokenSource>) -> Result<Self, GraphError> {
        let url = crate::oauth::check_url(&config.base_url).map_err(|detail| GraphError::Body {
            op: "settings",
            detail,
        })?;
        let origin = url.origin().ascii_serialization();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| GraphError::Http {
                op: "setup",
                detail: e.to_string(),
            })?;
        Ok(GraphClient {
            http,
            base: config.base_url.trim_end_matches('/').to_string(),
            origin,
            mailbox: config.mailbox.trim().to_string(),
            tokens,
        })
    }

    fn user_url(&self) -> String {
        format!("{}/users/{}", self.base, segment(&self.mailbox))
    }

    /// The first delta URL of `folder` (no token yet: every message in the folder).
    pub fn initial_delta_url(&self, folder: &str) -> String {
        format!(
            "{}/mailFolders/{}/messages/delta?$select=isRead,internetMessageId",
            self.user_url(),
            segment(folder)
        )
    }

    /// One delta page from `url` (an initial URL, a nextLink or a deltaLink).
    pub async fn delta_page(&self, url: &str) -> Result<DeltaPage, GraphError> {
        if !(url.starts_with(&self.origin) && url.as_bytes().get(self.origin.len()) == Some(&b'/'))
        {
            return Err(GraphError::ForeignLink {
                base: self.origin.clone(),
            });
        }
        let op = "delta query";
        let resp = self
            .send(op, Method::GET, url, |r| {
                r.header("Prefer", format!("odata.maxpagesize={PAGE_SIZE}"))
            })
            .await;
        let resp = match resp {
            Err(GraphError::Status { status: 410, .. }) => return Err(GraphError::SyncReset),
            other => other?,
        };
        let page: RawPage = resp.json().await.map_err(|e| GraphError::Body {
            op,
            detail: e.to_string(),
        })?;
        Ok(DeltaPage {
            items: page
                .value
                .into_iter()
                .map(|i| DeltaItem {
                    id: i.id,
                    removed: i.removed.is_some(),
                    is_read: i.is_read,
                    message_id: i
                        .internet_message_id
                        .map(|m| {
                            m.trim()
                                .trim_start_matches('<')
                                .trim_end_matches('>')
                                .to_string()
                        })
                        .filter(|m| !m.is_empty()),
                })
                .collect(),
            next_link: page.next_link,
            delta_link: page.delta_link,
        })
    }

    /// The message as MIME.
    pub async fn mime(&self, id: &str) -> Result<Vec<u8>, GraphError> {
        let url = format!("{}/messages/{}/$value", self.user_url(), segment(id));
        let resp = self.send("MIME download", Method::GET, &url, |r| r).await?;
        let bytes = resp.bytes().await.map_err(|e| GraphError::Http {
            op: "MIME download",
            detail: e.to_string(),
        })?;
        Ok(bytes.to_vec())
    }

    /// Marks the message read.
    pub async fn mark_read(&self, id: &str) -> Result<(), GraphError> {
        let url = format!("{}/messages/{}", self.user_url(), segment(id));
        self.send("mark read", Method::PATCH, &url, |r| {
            r.json(&serde_json::json!({"isRead": true}))
        })
        .await?;
        Ok(())
    }

    /// Moves the message to `folder` (well-known name or id).
    pub async fn move_to(&self, id: &str, folder: &str) -> Result<(), GraphError> {
        let url = format!("{}/messages/{}/move", self.user_url(), segment(id));
        self.send("move", Method::POST, &url, |r| {
            r.json(&serde_json::json!({"destinationId": folder}))
        })
        .await?;
        Ok(())
    }

    /// Sends a complete MIME message from the mailbox (saved to Sent Items by Graph).
    pub async fn send_mime(&self, mime: &[u8]) -> Result<(), GraphError> {
        let url = format!("{}/sendMail", self.user_url());
        let body = base64::engine::general_purpose::STANDARD.encode(mime);
        self.send("sendMail", Method::POST, &url, |r| {
            r.header("Content-Type", "text/plain").body(body.clone())
        })
        .await?;
        Ok(())
    }

    /// One request with a token, the 401 retry and the throttling waits.
    async fn send(
        &self,
        op: &'static str,
        method: Method,
        url: &str,
        build: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, GraphError> {
        let mut refused_once = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let token = self.tokens.access_token().await?;
            let request = build(self.http.request(method.clone(), url)).bearer_auth(token.secret());
            let resp = request.send().await.map_err(|e| GraphError::Http {
                op,
                detail: without_url(&e),
            })?;
            let status = resp.status();
            if status.is_success() {
                return Ok(resp);
            }
            if status == StatusCode::UNAUTHORIZED && !refused_once {
                refused_once = true;
                self.tokens.reject(&token).await;
                continue;
            }
            let throttled = matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            );
            if throttled && attempt < MAX_ATTEMPTS {
                let wait = retry_after(resp.headers());
                tracing::info!(
                    op,
                    status = status.as_u16(),
                    wait_secs = wait.as_secs_f32(),
                    "Microsoft Graph asks us to wait"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            let detail = error_detail(resp).await;
            let hint = match status.as_u16() {
                401 => "; the access token was refused: check the [oauth2] scopes (Graph needs https://graph.microsoft.com/.default or Mail.* scopes)",
                403 => "; check the app's Graph permissions (Mail.ReadWrite, Mail.Send) and that it may use this mailbox",
                404 => "; check graph.mailbox and graph.folder",
                _ => "",
            };
            return Err(GraphError::Status {
                op,
                status: status.as_u16(),
                detail,
                hint,
            });
        }
    }
}

/// `Retry-After` in seconds (RFC 9110 §10.2.3; Graph sends seconds), capped.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Duration {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(5))
        .min(MAX_RETRY_AFTER)
}

/// Graph's `{"error": {"code", "message"}}`, or the start of the body.
async fn error_detail(resp: reqwest::Response) -> String {
    let text = resp.text().await.unwrap_or_default();
    #[derive(Deserialize)]
    struct Outer {
        error: Inner,
    }
    #[derive(Deserialize)]
    struct Inner {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_str::<Outer>(&text) {
        Ok(o) => format!("{}: {}", o.error.code, o.error.message),
        Err(_) => text.chars().take(200).collect(),
    }
}

/// reqwest's error without the URL (delta links carry the sync state).
fn without_url(e: &reqwest::Error) -> String {
    let mut out = e.to_string();
    if let Some(url) = e.url() {
        out = out.replace(url.as_str(), "<url>");
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(segment("fpt@example.org"), "fpt@example.org");
        assert_eq!(segment("AAMk/ab+c="), "AAMk%2Fab+c=");
        assert_eq!(segment("a b?#"), "a%20b%3F%23");
    }

    #[test]
    fn retry_after_is_read_and_capped() {
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(retry_after(&h), Duration::from_secs(5));
        h.insert(reqwest::header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_after(&h), Duration::from_secs(2));
        h.insert(reqwest::header::RETRY_AFTER, "9999".parse().unwrap());
        assert_eq!(retry_after(&h), MAX_RETRY_AFTER);
    }

    #[test]
    fn settings_problems() {
        let c = GraphConfig {
            mailbox: "fpt@example.org".into(),
            ..GraphConfig::default()
        };
        assert!(c.problems().is_empty(), "{:?}", c.problems());
        let bad = GraphConfig {
            base_url: "http://graph.example.org/v1.0".into(),
            ..GraphConfig::default()
        };
        let p = bad.problems().join("\n");
        assert!(p.contains("graph.mailbox") && p.contains("https"), "{p}");
    }
}
