//! The SMTP transport: sends `OutgoingMail` through a submission server with lettre's async
//! (tokio) SMTP client, over implicit TLS, STARTTLS (rustls, ring, webpki roots) or, for
//! loopback test servers only, plain TCP.
//!
//! The message is rendered by [`super::build_message`] (shared with the file transport).
//! Failures are classified for the outbox worker: 5xx replies (unknown recipient, rejected
//! content) are [`SendError::Permanent`]; connection problems, timeouts, TLS trouble, 4xx
//! replies and authentication failures (a configuration problem that an operator can fix
//! without losing the message) are [`SendError::Transient`].
//!
//! With a token source ([`SmtpTransport::with_tokens`]) the login is SASL XOAUTH2 (lettre's
//! mechanism) with an OAuth2 access token, for Microsoft 365 tenants that still allow SMTP
//! AUTH. The connection pool is rebuilt whenever the token changes, and a refused token is
//! replaced once before the send is reported as failed.
//!
//! SMTP itself cannot be idempotent: when the connection drops after the server accepted
//! DATA but before its reply arrived, a retry can deliver twice. The worker's idempotency key
//! keeps that window as small as the protocol allows.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{build_message, MailTransport, OutgoingMail, SendError, SendFuture};
use crate::oauth::{Bearer, TokenSource};

/// Reply codes that mean "your login is wrong / not allowed", reported as transient so the
/// message waits for the configuration to be fixed instead of being dropped.
const AUTH_CODES: [&str; 4] = ["530", "534", "535", "538"];

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmtpSecurity {
    /// Implicit TLS ("SMTPS"), usually port 465.
    Tls,
    /// Plain connection upgraded with STARTTLS (required, never downgraded), usually port 587.
    #[default]
    StartTls,
    /// No encryption. Only accepted for loopback hosts (tests, a local relay).
    None,
}

/// The `[smtp]` settings.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// Server host name (also the TLS server name).
    pub host: String,
    /// Server port (465 for `Tls`, 587 for `StartTls`).
    pub port: u16,
    /// Transport security.
    pub security: SmtpSecurity,
    /// Login name; authentication is used when both username and password are set.
    pub username: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// Timeout for connecting; a whole send (all commands) is limited to 4 × this.
    pub timeout: Duration,
}

impl SmtpConfig {
    /// Defaults: STARTTLS, no login, 30 s timeout.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        SmtpConfig {
            host: host.into(),
            port,
            security: SmtpSecurity::StartTls,
            username: None,
            password: None,
            timeout: Duration::from_secs(30),
        }
    }
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Problems in the `[smtp]` settings, found when the transport is built.
#[derive(Debug, thiserror::Error)]
pub enum SmtpConfigError {
    /// `tls = "none"` for a non-loopback host.
    #[error(
        "refusing unencrypted SMTP to {host}: tls = none is only allowed for loopback \
         hosts; set [smtp] tls = \"tls\" or \"starttls\""
    )]
    InsecureNotAllowed {
        /// Configured host.
        host: String,
    },
    /// Only one of username and password is set.
    #[error("[smtp] user and password (FPT_SMTP_PASSWORD) must be set together")]
    IncompleteCredentials,
    /// Called outside a tokio runtime.
    #[error("the SMTP transport must be created inside the tokio runtime")]
    NoRuntime,
    /// The TLS parameters could not be built (e.g. the host is not a valid server name).
    #[error("cannot set up TLS for SMTP host {host:?}: {detail}; check [smtp] host")]
    Tls {
        /// Configured host.
        host: String,
        /// lettre's explanation.
        detail: String,
    },
}

/// Sends mail over SMTP. lettre pools the connections.
pub struct SmtpTransport {
    /// Replaced by a fresh transport (new pool) after a send was cut off by the deadline, so a
    /// connection left in the middle of a command is never reused.
    inner: RwLock<AsyncSmtpTransport<Tokio1Executor>>,
    config: SmtpConfig,
    host: String,
    /// XOAUTH2 tokens, and the token the current pool logs in with.
    tokens: Option<Arc<TokenSource>>,
    bearer: tokio::sync::Mutex<Option<Bearer>>,
}

impl fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTransport")
            .field("host", &self.host)
            .field("port", &self.config.port)
            .finish_non_exhaustive()
    }
}

fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

impl SmtpTransport {
    /// Builds the transport; nothing is connected until the first send. Must be called inside
    /// a tokio runtime (lettre's connection pool starts a background task there).
    pub fn new(config: &SmtpConfig) -> Result<Self, SmtpConfigError> {
        let inner = build_transport(config, None)?;
        Ok(SmtpTransport {
            inner: RwLock::new(inner),
            config: config.clone(),
            host: config.host.trim().to_string(),
            tokens: None,
            bearer: tokio::sync::Mutex::new(None),
        })
    }

    /// Like [`SmtpTransport::new`], but logs in as `config.username` with XOAUTH2 and tokens
    /// from `tokens` (`config.password` is not used). Nothing is connected or requested until
    /// the first send.
    pub fn with_tokens(
        config: &SmtpConfig,
        tokens: Arc<TokenSource>,
    ) -> Result<Self, SmtpConfigError> {
        if config.username.is_none() {
            return Err(SmtpConfigError::IncompleteCredentials);
        }
        let mut config = config.clone();
        config.password = None;
        // no login until a token is known: the first send builds the pool with one
        let mut transport = Self::new(&SmtpConfig {
            username: None,
            ..config.clone()
        })?;
        transport.config = config;
        transport.tokens = Some(tokens);
        Ok(transport)
    }

    /// The token to log in with; rebuilds the pool when it changed.
    async fn current_bearer(&self, tokens: &TokenSource) -> Result<Bearer, SendError> {
        let bearer = tokens.access_token().await.map_err(|e| {
            SendError::Transient(format!("SMTP {}: no OAuth2 token: {e}", self.host))
        })?;
        let mut current = self.bearer.lock().await;
        if current.as_ref() != Some(&bearer) {
            let fresh = build_transport(&self.config, Some(bearer.secret()))
                .map_err(|e| SendError::Transient(format!("SMTP {}: {e}", self.host)))?;
            *self
                .inner
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = fresh;
            *current = Some(bearer.clone());
        }
        Ok(bearer)
    }

    /// The deadline for one whole send (connect, greeting, all commands, DATA): lettre's async
    /// client only bounds the TCP connect by itself.
    pub fn send_deadline(&self) -> Duration {
        self.config.timeout.saturating_mul(4)
    }

    /// Sends one message; see the module docs for how failures are classified.
    pub async fn send_mail(&self, msg: &OutgoingMail) -> Result<(), SendError> {
        let message = build_message(msg)?;
        let mut retried = false;
        let result = loop {
            let bearer = match &self.tokens {
                Some(tokens) => Some(self.current_bearer(tokens).await?),
                None => None,
            };
            let transport = self
                .inner
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone();
            let deadline = self.send_deadline();
            break match tokio::time::timeout(deadline, transport.send(message.clone())).await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => match (&self.tokens, bearer) {
                    (Some(tokens), Some(bearer)) if is_auth_refusal(&e) && !retried => {
                        tracing::warn!(host = %self.host, "SMTP refused the OAuth2 token; trying a new one");
                        tokens.reject(&bearer).await;
                        retried = true;
                        continue;
                    }
                    _ => Err(self.classify(&e)),
                },
                Err(_) => {
                    self.reset_pool().await;
                    Err(SendError::Transient(format!(
                        "SMTP {}:{}: no complete answer within {}s; check [smtp] host/port/tls",
                        self.host,
                        self.config.port,
                        deadline.as_secs_f32()
                    )))
                }
            };
        };
        match &result {
            Ok(()) => tracing::debug!(key = %msg.idempotency_key, host = %self.host, "SMTP: sent"),
            Err(err) => {
                tracing::warn!(key = %msg.idempotency_key, error = %err, "SMTP: send failed")
            }
        }
        result
    }

    /// Drops the connection pool (a cancelled send may have left a connection mid-command).
    async fn reset_pool(&self) {
        let bearer = self.bearer.lock().await.clone();
        match build_transport(&self.config, bearer.as_ref().map(Bearer::secret)) {
            Ok(fresh) => {
                *self
                    .inner
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = fresh;
            }
            Err(e) => tracing::warn!(error = %e, "SMTP: cannot rebuild the transport"),
        }
    }

    fn classify(&self, e: &lettre::transport::smtp::Error) -> SendError {
        let where_ = format!("SMTP {}:{}", self.host, self.config.port);
        let detail = error_chain(e);
        let code = e.status().map(|c| c.to_string());
        if let Some(code) = code.as_deref().filter(|c| AUTH_CODES.contains(c)) {
            let what = if self.tokens.is_some() {
                "[smtp] user and the [oauth2] scopes (SMTP.Send), and that SMTP AUTH is enabled \
                 for the mailbox"
            } else {
                "[smtp] user/password"
            };
            return SendError::Transient(format!(
                "{where_}: login refused ({code}): {detail}; check {what}"
            ));
        }
        if e.is_permanent() {
            SendError::Permanent(format!("{where_}: {detail}"))
        } else if e.is_timeout() {
            SendError::Transient(format!("{where_}: timed out: {detail}"))
        } else if e.is_tls() {
            SendError::Transient(format!(
                "{where_}: TLS failed: {detail}; check [smtp] host/port/tls"
            ))
        } else if e.is_transient() {
            SendError::Transient(format!("{where_}: {detail}"))
        } else {
            SendError::Transient(format!(
                "{where_}: cannot send: {detail}; check [smtp] host/port/tls"
            ))
        }
    }
}

/// Whether the server refused the login (535 and friends; or, for XOAUTH2, an error challenge
/// that lettre does not answer).
fn is_auth_refusal(e: &lettre::transport::smtp::Error) -> bool {
    e.status()
        .is_some_and(|c| AUTH_CODES.contains(&c.to_string().as_str()))
        || e.to_string().contains("does not expect a challenge")
}

/// The lettre transport; with `xoauth2`, logs in as `config.username` with that token.
fn build_transport(
    config: &SmtpConfig,
    xoauth2: Option<&str>,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SmtpConfigError> {
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(SmtpConfigError::NoRuntime);
    }
    let host = config.host.trim().to_string();
    let tls_params = || {
        TlsParameters::new(host.clone()).map_err(|e| SmtpConfigError::Tls {
            host: host.clone(),
            detail: e.to_string(),
        })
    };
    let tls = match config.security {
        SmtpSecurity::Tls => Tls::Wrapper(tls_params()?),
        SmtpSecurity::StartTls => Tls::Required(tls_params()?),
        SmtpSecurity::None if is_loopback_host(&host) => Tls::None,
        SmtpSecurity::None => return Err(SmtpConfigError::InsecureNotAllowed { host }),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
        .port(config.port)
        .tls(tls)
        .timeout(Some(config.timeout));
    match (&config.username, &config.password) {
        (Some(user), _) if xoauth2.is_some() => {
            let token = xoauth2.unwrap_or_default().to_string();
            builder = builder
                .credentials(Credentials::new(user.clone(), token))
                .authentication(vec![Mechanism::Xoauth2]);
        }
        (Some(user), Some(password)) => {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        (None, None) => {}
        _ => return Err(SmtpConfigError::IncompleteCredentials),
    }
    Ok(builder.build())
}

/// lettre's message plus its sources ("Connection error: Connection refused (os error 111)").
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
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

impl MailTransport for SmtpTransport {
    fn send<'a>(&'a self, msg: &'a OutgoingMail) -> SendFuture<'a> {
        Box::pin(self.send_mail(msg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_runtime_is_an_error_not_a_panic() {
        let c = SmtpConfig::new("smtp.example.org", 587);
        assert!(matches!(
            SmtpTransport::new(&c),
            Err(SmtpConfigError::NoRuntime)
        ));
    }

    #[tokio::test]
    async fn plain_smtp_only_to_loopback() {
        let mut c = SmtpConfig::new("smtp.example.org", 25);
        c.security = SmtpSecurity::None;
        let err = SmtpTransport::new(&c).unwrap_err();
        assert!(
            matches!(err, SmtpConfigError::InsecureNotAllowed { .. }),
            "{err}"
        );
        c.host = "127.0.0.1".into();
        assert!(SmtpTransport::new(&c).is_ok());
        c.host = "localhost".into();
        assert!(SmtpTransport::new(&c).is_ok());
    }

    #[tokio::test]
    async fn credentials_come_in_pairs() {
        let mut c = SmtpConfig::new("smtp.example.org", 587);
        c.username = Some("fpt".into());
        assert!(matches!(
            SmtpTransport::new(&c),
            Err(SmtpConfigError::IncompleteCredentials)
        ));
        c.password = Some("pw".into());
        assert!(SmtpTransport::new(&c).is_ok());
        assert!(!format!("{c:?}").contains("pw\""), "password redacted");
    }

    #[tokio::test]
    async fn tls_modes_build() {
        let mut c = SmtpConfig::new("smtp.example.org", 465);
        c.security = SmtpSecurity::Tls;
        assert!(SmtpTransport::new(&c).is_ok());
        c.security = SmtpSecurity::StartTls;
        assert!(SmtpTransport::new(&c).is_ok());
    }
}
