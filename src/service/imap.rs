//! The IMAP mail source for the serve loop: adapts `mail::imap::ImapSource` to `MailSource`.
//!
//! `poll`: connect when needed, fetch every UID above the last one committed, ingest them in
//! groups (one transaction each), and once a group has committed mark its messages processed on
//! the server, then record the last UID in `mailbox_state`. A changed UIDVALIDITY
//! restarts from UID 0; ingest's duplicate check keeps that (and a crash between ingest and
//! the state update) from storing anything twice.
//!
//! `wait`: IMAP IDLE where the server offers it (returns as soon as new mail is announced, and
//! at least every `IDLE_MAX` so the serve loop can check its lock), otherwise a NOOP poll every
//! `IMAP_POLL`. A dropped connection (or a failed connect) closes the session; the next
//! connect is attempted after a delay that doubles from 1 s to `RECONNECT_MAX`.
//!
//! With `[imap] auth = "oauth2"` each login uses XOAUTH2 with a token from the shared
//! `oauth::TokenSource`. A refused token is dropped and the login tried once more with a new
//! one; a session is closed and reopened when the token it logged in with expires, so no
//! session outlives its credential.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::serve::{MailSource, SourceFuture, WaitFuture};
use super::{Ingestor, Result, ServiceError};
use crate::config;
use crate::mail::imap::{Backoff, ImapAuth, ImapConfig, ImapError, ImapSource};
use crate::oauth::TokenSource;
use crate::store;

/// How often a server without IDLE is asked for new mail.
const IMAP_POLL: Duration = Duration::from_secs(15);
/// Longest single IDLE before the loop looks around (lock, shutdown) and idles again.
const IDLE_MAX: Duration = Duration::from_secs(60);
/// Longest delay between reconnect attempts.
const RECONNECT_MAX: Duration = Duration::from_secs(30);

/// Reads one IMAP mailbox.
pub struct ImapMailSource {
    config: ImapConfig,
    session: Option<(ImapSource, u32)>,
    backoff: Backoff,
    /// No connect attempt before this (after a failure).
    next_connect: Option<Instant>,
    /// XOAUTH2 tokens (`auth = "oauth2"`).
    tokens: Option<Arc<TokenSource>>,
    /// When the token the session logged in with expires.
    session_expires: Option<Instant>,
}

impl ImapMailSource {
    /// From the `[imap]` section (secrets already merged from the environment).
    pub fn new(c: &config::ImapConfig) -> Self {
        let auth = if c.oauth_token.is_empty() {
            ImapAuth::Password(c.password.expose().to_string())
        } else {
            ImapAuth::XOAuth2 {
                token: c.oauth_token.expose().to_string(),
            }
        };
        let mut config = ImapConfig::new(c.host.clone(), c.port, c.user.clone(), auth);
        config.tls = c.tls;
        config.mailbox = c.mailbox.clone();
        Self::from_imap_config(config)
    }

    pub fn from_imap_config(config: ImapConfig) -> Self {
        ImapMailSource {
            config,
            session: None,
            backoff: Backoff::with_limits(Duration::from_secs(1), RECONNECT_MAX),
            next_connect: None,
            tokens: None,
            session_expires: None,
        }
    }

    /// Logs in with XOAUTH2 and tokens from `tokens` instead of the configured password.
    pub fn with_tokens(mut self, tokens: Arc<TokenSource>) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// Connects and logs in; with a token source, a refused token is replaced once.
    async fn login(&mut self) -> std::result::Result<ImapSource, ServiceError> {
        let err = |e: ImapError| ServiceError::Source(e.to_string());
        let Some(tokens) = self.tokens.clone() else {
            return ImapSource::connect(&self.config).await.map_err(err);
        };
        let mut retried = false;
        loop {
            let bearer = tokens
                .access_token()
                .await
                .map_err(|e| ServiceError::Source(e.to_string()))?;
            self.config.auth = ImapAuth::XOAuth2 {
                token: bearer.secret().to_string(),
            };
            match ImapSource::connect(&self.config).await {
                Ok(source) => {
                    self.session_expires = Some(bearer.expires_at.into_std());
                    return Ok(source);
                }
                Err(ImapError::Auth { .. }) if !retried => {
                    tracing::warn!(source = %self.name(), "IMAP refused the OAuth2 token; trying a new one");
                    tokens.reject(&bearer).await;
                    retried = true;
                }
                Err(e) => return Err(err(e)),
            }
        }
    }

    /// Drops the session and schedules the next connect attempt.
    fn disconnect(&mut self) {
        self.session = None;
        self.session_expires = None;
        let delay = self.backoff.next_delay();
        self.next_connect = Some(Instant::now() + delay);
        tracing::info!(source = %self.name(), retry_in = ?delay, "IMAP disconnected; will reconnect");
    }

    async fn connect(&mut self) -> Result<()> {
        let err = |e: crate::mail::imap::ImapError| ServiceError::Source(e.to_string());
        let mut source = self.login().await?;
        let validity = source.select().await.map_err(err)?;
        tracing::info!(
            source = %self.name(),
            idle = source.uses_idle(),
            "IMAP connected"
        );
        self.session = Some((source, validity));
        self.backoff.reset();
        self.next_connect = None;
        Ok(())
    }

    async fn poll_once(&mut self, ingestor: &Ingestor) -> Result<usize> {
        let err = |e: crate::mail::imap::ImapError| ServiceError::Source(e.to_string());
        if self.session_expires.is_some_and(|t| Instant::now() >= t) {
            if let Some((source, _)) = self.session.take() {
                tracing::info!(source = %self.name(), "the session's OAuth2 token expired; logging in again");
                source.logout().await;
            }
            self.session_expires = None;
        }
        if self.session.is_none() {
            if self.next_connect.is_some_and(|t| Instant::now() < t) {
                return Ok(0);
            }
            self.connect().await?;
        }
        let Some((source, validity)) = self.session.as_mut() else {
            return Ok(0);
        };
        let mailbox = self.config.mailbox.clone();
        let validity = i64::from(*validity);
        let last_uid = {
            let mut conn = ingestor.store().conn().await?;
            match store::mailbox_state(&mut conn, &mailbox).await? {
                Some((v, uid)) if v == validity => u32::try_from(uid).unwrap_or(0),
                _ => 0,
            }
        };
        let messages = source.fetch_since(last_uid).await.map_err(err)?;
        let mut pipeline = ingestor.pipeline(
            messages
                .into_iter()
                .map(|msg| std::future::ready((msg.uid, Ok(msg.raw)))),
        );
        let mut handled = 0;
        while let Some(batch) = pipeline.next_batch().await {
            // the group has committed: \Seen for each stored message, then the UID, which
            // stops before the first message that failed (fetched again next time, with the
            // ones after it, which are recognised as duplicates). A crash anywhere leaves
            // messages to be fetched again and recognised.
            let mut progress = None;
            let mut failed = None;
            for (uid, result) in batch {
                match result {
                    Ok(_) => {
                        source.mark_processed(uid).await.map_err(err)?;
                        if failed.is_none() {
                            progress = Some(uid);
                        }
                        handled += 1;
                    }
                    Err(e) => {
                        tracing::warn!(uid, "message not ingested: {e}");
                        failed.get_or_insert(e);
                    }
                }
            }
            if let Some(uid) = progress {
                let mut conn = ingestor.store().conn().await?;
                store::set_mailbox_state(
                    &mut conn,
                    &mailbox,
                    validity,
                    i64::from(uid),
                    store::now(),
                )
                .await?;
            }
            if let Some(e) = failed {
                return Err(e);
            }
        }
        Ok(handled)
    }

    async fn wait_once(&mut self) {
        match self.session.as_mut() {
            Some((source, _)) => {
                let mut wait = if source.uses_idle() {
                    IDLE_MAX
                } else {
                    IMAP_POLL
                };
                if let Some(expires) = self.session_expires {
                    wait = wait.min(expires.saturating_duration_since(Instant::now()));
                    if wait.is_zero() {
                        return;
                    }
                }
                if let Err(e) = source.wait_for_new(wait).await {
                    tracing::warn!(source = %self.name(), "IMAP wait failed: {e}");
                    self.disconnect();
                }
            }
            None => {
                let until = self
                    .next_connect
                    .unwrap_or_else(|| Instant::now() + Duration::from_secs(1));
                tokio::time::sleep_until(until.into()).await;
            }
        }
    }
}

impl MailSource for ImapMailSource {
    fn name(&self) -> String {
        format!(
            "imap {}@{} {}",
            self.config.username, self.config.host, self.config.mailbox
        )
    }

    fn identity(&self) -> String {
        format!(
            "imap {}@{}:{}/{}",
            self.config.username.to_lowercase(),
            self.config.host.to_lowercase(),
            self.config.port,
            self.config.mailbox
        )
    }

    fn poll<'a>(&'a mut self, ingestor: &'a Ingestor) -> SourceFuture<'a> {
        Box::pin(async move {
            let result = self.poll_once(ingestor).await;
            if result.is_err() {
                self.disconnect();
            }
            result
        })
    }

    fn wait<'a>(&'a mut self, _interval: Duration) -> WaitFuture<'a> {
        Box::pin(self.wait_once())
    }
}
