//! The IMAP mail source for the serve loop: adapts `mail::imap::ImapSource` to `MailSource`.
//!
//! Each poll (at most every `IMAP_POLL`): connect when needed, fetch every UID above the last
//! one committed, ingest it, mark it processed on the server, then record the UID in
//! `mailbox_state`. A changed UIDVALIDITY restarts from UID 0; ingest's duplicate check keeps
//! that (and a crash between ingest and the state update) from storing anything twice.
//! On any IMAP error the session is dropped and the next poll reconnects.

use std::time::{Duration, Instant};

use super::serve::{MailSource, SourceFuture};
use super::{Ingestor, Result, ServiceError};
use crate::config;
use crate::mail::imap::{ImapAuth, ImapConfig, ImapSource};
use crate::store;

/// How often the server is asked for new mail.
const IMAP_POLL: Duration = Duration::from_secs(15);

/// Reads one IMAP mailbox.
pub struct ImapMailSource {
    config: ImapConfig,
    session: Option<(ImapSource, u32)>,
    next_poll: Option<Instant>,
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
            next_poll: None,
        }
    }

    async fn poll_once(&mut self, ingestor: &Ingestor) -> Result<usize> {
        let err = |e: crate::mail::imap::ImapError| ServiceError::Source(e.to_string());
        if self.session.is_none() {
            let mut source = ImapSource::connect(&self.config).await.map_err(err)?;
            let validity = source.select().await.map_err(err)?;
            self.session = Some((source, validity));
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
        let mut handled = 0;
        for msg in messages {
            ingestor.ingest_raw(&msg.raw).await?;
            source.mark_processed(msg.uid).await.map_err(err)?;
            let mut conn = ingestor.store().conn().await?;
            store::set_mailbox_state(
                &mut conn,
                &mailbox,
                validity,
                i64::from(msg.uid),
                store::now(),
            )
            .await?;
            handled += 1;
        }
        Ok(handled)
    }
}

impl MailSource for ImapMailSource {
    fn name(&self) -> String {
        format!(
            "imap {}@{} {}",
            self.config.username, self.config.host, self.config.mailbox
        )
    }

    fn poll<'a>(&'a mut self, ingestor: &'a Ingestor) -> SourceFuture<'a> {
        Box::pin(async move {
            if self.next_poll.is_some_and(|t| Instant::now() < t) {
                return Ok(0);
            }
            self.next_poll = Some(Instant::now() + IMAP_POLL);
            let result = self.poll_once(ingestor).await;
            if result.is_err() {
                // reconnect next time
                self.session = None;
            }
            result
        })
    }
}
