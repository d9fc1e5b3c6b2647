//! Discord's REST API (v10) as the bot uses it: JSON in, JSON out, with the failure handling a
//! real deployment needs.
//!
//! - **429 Too Many Requests**: waits `Retry-After` (seconds, the header; else the body's
//!   `retry_after`), then retries; at most [`MAX_RATE_LIMITED`] times per call.
//! - **5xx and connection failures**: retried with a delay doubling from [`FIRST_BACKOFF`], at
//!   most [`MAX_ATTEMPTS`] attempts. Message creation carries a `nonce` with `enforce_nonce`,
//!   so Discord creates a message once even when a retry follows a request that did arrive.
//! - **other 4xx**: returned as [`RestError`] with Discord's JSON error `code` (50013 Missing
//!   Permissions, 50007 Cannot send messages to this user, …), never retried.
//!
//! Requests go to `https://discord.com/api/v10`, or to `{api_proxy}/api/v10` when
//! `[discord] api_proxy` is set (a rate-limit proxy such as twilight-http-proxy, or a test
//! server). Serenity's own HTTP client is used only for the gateway.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tracing::{debug, warn};

use super::config::Token;
use super::{ChatError, Result};

/// Discord's API origin (<https://discord.com/developers/docs/reference#api-reference-base-url>).
pub const DISCORD_ORIGIN: &str = "https://discord.com";
/// The API version in every path.
pub const API_PATH: &str = "/api/v10";
/// Attempts per call on 5xx or connection failures.
pub const MAX_ATTEMPTS: u32 = 4;
/// 429 answers honoured per call before giving up.
pub const MAX_RATE_LIMITED: u32 = 5;
/// First delay after a 5xx; doubles each time.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// The longest `Retry-After` honoured; a longer one is returned as an error.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// Timeout of one request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// JSON error codes (<https://discord.com/developers/docs/topics/opcodes-and-status-codes#json>).
pub mod codes {
    /// Missing Access (the bot cannot see the channel).
    pub const MISSING_ACCESS: u64 = 50001;
    /// Cannot send messages to this user (closed direct messages).
    pub const CANNOT_DM: u64 = 50007;
    /// Missing Permissions.
    pub const MISSING_PERMISSIONS: u64 = 50013;
    /// Interaction has already been acknowledged.
    pub const ALREADY_ACKNOWLEDGED: u64 = 40060;
}

/// A request Discord refused (or that failed after every retry).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{method} {path}: HTTP {status}{}: {message}", code.map(|c| format!(" (code {c})")).unwrap_or_default())]
pub struct RestError {
    pub method: String,
    /// The path below `/api/v10`, without the query.
    pub path: String,
    /// HTTP status; 0 when no answer came at all.
    pub status: u16,
    /// Discord's JSON error code, when given.
    pub code: Option<u64>,
    pub message: String,
}

impl RestError {
    /// What an operator should do about it, for logs and alerts.
    pub fn advice(&self) -> &'static str {
        match (self.status, self.code) {
            (401, _) => "the bot token was refused: set FPT_DISCORD_TOKEN to the token in the Developer Portal (Bot → Reset Token)",
            (_, Some(codes::MISSING_PERMISSIONS)) => "give the bot View Channel, Send Messages, Send Messages in Threads and Read Message History in this channel",
            (_, Some(codes::MISSING_ACCESS)) => "add the bot to this channel (View Channel)",
            (_, Some(codes::CANNOT_DM)) => "the user does not accept direct messages from the bot",
            (0, _) | (500..=599, _) => "Discord (or the api_proxy) is not answering; the bot retries later messages",
            _ => "see the message above",
        }
    }
}

/// The REST client. Cheap to share behind an `Arc`.
#[derive(Clone)]
pub struct Rest {
    client: reqwest::Client,
    base: String,
    auth: String,
    first_backoff: Duration,
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rest")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// What `GET /channels/{id}` tells the bot about a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelInfo {
    pub id: u64,
    pub guild_id: Option<u64>,
    /// For a thread or forum post: the channel it belongs to.
    pub parent_id: Option<u64>,
    /// Channel type: 11/12 are threads, 15 a forum (<https://discord.com/developers/docs/resources/channel#channel-object-channel-types>).
    pub kind: u64,
}

impl ChannelInfo {
    /// A thread (announcement 10, public 11, private 12), forum posts included.
    pub fn is_thread(&self) -> bool {
        matches!(self.kind, 10..=12)
    }
}

/// Reads a Discord id (a string of digits, or a number) from JSON.
pub fn id_of(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

impl Rest {
    /// A client for Discord, or for the proxy at `api_proxy` (`http://host:port`).
    pub fn new(token: &Token, api_proxy: Option<&str>) -> Result<Rest> {
        let origin = api_proxy
            .map(|p| p.trim().trim_end_matches('/'))
            .filter(|p| !p.is_empty())
            .unwrap_or(DISCORD_ORIGIN);
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent("DiscordBot (https://example.org/fpt-assist, 0.1) fpt-assist")
            .build()
            .map_err(|e| ChatError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Rest {
            client,
            base: format!("{origin}{API_PATH}"),
            auth: format!("Bot {}", token.expose()),
            first_backoff: FIRST_BACKOFF,
        })
    }

    /// Shorter retry delays (tests).
    pub fn with_first_backoff(mut self, d: Duration) -> Self {
        self.first_backoff = d;
        self
    }

    /// One call, with the retries described in the module documentation. `path` is below
    /// `/api/v10` (e.g. `/channels/1/messages`). Returns the JSON answer (`Null` for 204).
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let route = path.split('?').next().unwrap_or(path).to_string();
        let fail = |status: u16, code: Option<u64>, message: String| {
            ChatError::Rest(RestError {
                method: method.to_string(),
                path: route.clone(),
                status,
                code,
                message,
            })
        };
        let mut attempts = 0;
        let mut limited = 0;
        let mut backoff = self.first_backoff;
        loop {
            attempts += 1;
            let mut req = self
                .client
                .request(method.clone(), format!("{}{path}", self.base))
                .header(reqwest::header::AUTHORIZATION, &self.auth);
            if let Some(b) = body {
                req = req
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(b.to_string());
            }
            let response = match req.send().await {
                Ok(r) => r,
                Err(e) if attempts < MAX_ATTEMPTS => {
                    warn!(%method, path = %route, "Discord did not answer ({e}); retrying in {backoff:?}");
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                    continue;
                }
                Err(e) => return Err(fail(0, None, format!("no answer: {e}"))),
            };
            let status = response.status();
            let header_wait = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok());
            let text = response.text().await.unwrap_or_default();
            let json: Value = if text.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::Null)
            };
            if status.is_success() {
                return Ok(json);
            }
            let code = json.get("code").and_then(Value::as_u64).filter(|c| *c != 0);
            let message = json
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or(status.canonical_reason().unwrap_or("error"))
                .to_string();
            if status == StatusCode::TOO_MANY_REQUESTS {
                let secs = header_wait
                    .or_else(|| json.get("retry_after").and_then(Value::as_f64))
                    .unwrap_or(1.0)
                    .max(0.0);
                let wait = Duration::from_secs_f64(secs);
                limited += 1;
                if limited > MAX_RATE_LIMITED || wait > MAX_RETRY_AFTER {
                    return Err(fail(
                        status.as_u16(),
                        code,
                        format!("rate limited: {message}"),
                    ));
                }
                warn!(%method, path = %route, "rate limited by Discord; retrying after {wait:?} (Retry-After)");
                tokio::time::sleep(wait).await;
                continue;
            }
            if status.is_server_error() && attempts < MAX_ATTEMPTS {
                warn!(%method, path = %route, status = status.as_u16(), "Discord server error; retrying in {backoff:?}");
                tokio::time::sleep(backoff).await;
                backoff *= 2;
                continue;
            }
            debug!(%method, path = %route, status = status.as_u16(), ?code, "Discord refused");
            return Err(fail(status.as_u16(), code, message));
        }
    }

    /// `POST /channels/{id}/messages`; returns the new message's id.
    pub async fn create_message(&self, channel_id: u64, body: &Value) -> Result<u64> {
        let v = self
            .call(
                Method::POST,
                &format!("/channels/{channel_id}/messages"),
                Some(body),
            )
            .await?;
        id_of(&v["id"]).ok_or_else(|| {
            ChatError::Config(format!(
                "Discord answered a message post in channel {channel_id} without an id"
            ))
        })
    }

    /// `POST /users/@me/channels`: the direct-message channel with a user.
    pub async fn dm_channel(&self, user_id: u64) -> Result<u64> {
        let body = serde_json::json!({ "recipient_id": user_id.to_string() });
        let v = self
            .call(Method::POST, "/users/@me/channels", Some(&body))
            .await?;
        id_of(&v["id"]).ok_or_else(|| {
            ChatError::Config(format!("no direct-message channel id for user {user_id}"))
        })
    }

    /// `POST /interactions/{id}/{token}/callback`. "Already acknowledged" (a retry of a call
    /// that did arrive) counts as done.
    pub async fn interaction_callback(&self, id: u64, token: &str, body: &Value) -> Result<()> {
        match self
            .call(
                Method::POST,
                &format!("/interactions/{id}/{token}/callback"),
                Some(body),
            )
            .await
        {
            Err(ChatError::Rest(e)) if e.code == Some(codes::ALREADY_ACKNOWLEDGED) => Ok(()),
            r => r.map(|_| ()),
        }
    }

    /// `PATCH /webhooks/{application}/{token}/messages/@original`: fills a deferred response.
    pub async fn edit_original(
        &self,
        application_id: u64,
        token: &str,
        body: &Value,
    ) -> Result<()> {
        self.call(
            Method::PATCH,
            &format!("/webhooks/{application_id}/{token}/messages/@original"),
            Some(body),
        )
        .await
        .map(|_| ())
    }

    /// `POST /webhooks/{application}/{token}`: a follow-up message to an interaction.
    pub async fn followup(&self, application_id: u64, token: &str, body: &Value) -> Result<()> {
        self.call(
            Method::POST,
            &format!("/webhooks/{application_id}/{token}"),
            Some(body),
        )
        .await
        .map(|_| ())
    }

    /// `GET /channels/{id}`.
    pub async fn channel(&self, channel_id: u64) -> Result<ChannelInfo> {
        let v = self
            .call(Method::GET, &format!("/channels/{channel_id}"), None)
            .await?;
        Ok(ChannelInfo {
            id: id_of(&v["id"]).unwrap_or(channel_id),
            guild_id: id_of(&v["guild_id"]),
            parent_id: id_of(&v["parent_id"]),
            kind: v["type"].as_u64().unwrap_or(0),
        })
    }

    /// `GET /channels/{id}/messages?after=…&limit=100`: up to 100 messages after `after`, as
    /// raw JSON (REST messages carry no `guild_id` and no `member`).
    pub async fn messages_after(&self, channel_id: u64, after: u64) -> Result<Vec<Value>> {
        let v = self
            .call(
                Method::GET,
                &format!("/channels/{channel_id}/messages?after={after}&limit=100"),
                None,
            )
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// `PUT /applications/{id}/commands`: replaces every global command with `commands`
    /// (a bulk overwrite, so restarts never duplicate a command).
    pub async fn overwrite_commands(&self, application_id: u64, commands: &Value) -> Result<()> {
        self.call(
            Method::PUT,
            &format!("/applications/{application_id}/commands"),
            Some(commands),
        )
        .await
        .map(|_| ())
    }
}

impl Rest {
    /// `GET /guilds/{guild}/members/{user}`: the member's role ids (REST messages carry none).
    pub async fn member_roles(&self, guild_id: u64, user_id: u64) -> Result<Vec<u64>> {
        let v = self
            .call(
                Method::GET,
                &format!("/guilds/{guild_id}/members/{user_id}"),
                None,
            )
            .await?;
        Ok(v["roles"]
            .as_array()
            .map(|a| a.iter().filter_map(id_of).collect())
            .unwrap_or_default())
    }
}
