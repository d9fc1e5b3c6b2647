//! The mailbox service: ingest (parse → triage → store, a group of messages per transaction), mail
//! sources (Maildir here, IMAP in `mail::imap`, Microsoft Graph in `mail::graph`), the outbox worker, admin actions, the
//! one-watcher-per-mailbox lock and the serve loop that ties them together.

pub mod actions;
pub mod graph;
pub mod imap;
pub mod ingest;
pub mod lead_auth;
pub mod maildir;
pub mod outbox;
pub mod serve;
pub mod watch;

use std::sync::Arc;

use crate::config::Config;
use crate::send::MailTransport;
use crate::store::{Store, StoreError};

pub use crate::live::LiveTriage;
pub use graph::GraphMailSource;
pub use imap::ImapMailSource;
pub use ingest::{Ingestor, Outcome};
pub use maildir::MaildirSource;
pub use outbox::{OutboxWorker, WorkerReport};
pub use serve::{serve, MailSource, SourceFuture, WaitFuture};

/// Errors of the service layer.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("drafting failed: {0}")]
    Draft(#[from] crate::Error),
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("enquiry {0} not found")]
    NotFound(i64),
    /// The action does not apply (no draft to approve, purged enquiry, …).
    #[error("{0}")]
    Refused(String),
    /// Approval of a draft version that is no longer the latest: nothing was queued.
    #[error("enquiry {id}: version {seen} was shown but version {} by {} is newer: read it and approve again", latest.version, latest.edited_by)]
    Stale {
        id: i64,
        seen: i64,
        latest: Box<crate::store::DraftRow>,
    },
    /// The secret that signs lead notifications cannot be read or made.
    #[error("lead-token secret: {0}")]
    Secret(String),
    #[error("mail source: {0}")]
    Source(String),
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        ServiceError::Store(StoreError::Db(e))
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// Everything the service needs, shared by the serve loop, the CLI and tests.
#[derive(Clone)]
pub struct Service {
    pub store: Store,
    /// The triage in use; `triage.current()` for one enquiry (swapped on knowledge-base reload).
    pub triage: LiveTriage,
    pub config: Arc<Config>,
    pub transport: Arc<dyn MailTransport>,
}

impl Service {
    pub fn ingestor(&self) -> Ingestor {
        Ingestor::new(self.store.clone(), self.triage.clone(), self.config.clone())
    }

    pub fn worker(&self) -> OutboxWorker {
        OutboxWorker::new(
            self.store.clone(),
            self.config.clone(),
            self.transport.clone(),
        )
    }
}

/// Whether automatic or approved mail may go to `address`: a real-looking address that is not
/// ours and not a robot (mailer-daemon, postmaster, no-reply, list owners and request
/// addresses, bounces).
pub fn may_mail(config: &Config, address: &str) -> bool {
    let address = address.trim();
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    if local.is_empty()
        || domain.is_empty()
        || address.chars().any(|c| c.is_control() || c.is_whitespace())
        || config.is_own_address(address)
    {
        return false;
    }
    let local = local.to_ascii_lowercase();
    let robot = [
        "mailer-daemon",
        "postmaster",
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "bounce",
        "bounces",
    ];
    !(robot.contains(&local.as_str())
        || local.starts_with("owner-")
        || local.ends_with("-request")
        || local.starts_with("bounce+")
        || local.starts_with("bounces+"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_mails_ourselves_or_robots() {
        let c = Config::default();
        assert!(may_mail(&c, "d.moore@example.org"));
        assert!(!may_mail(&c, &c.mail.address.to_uppercase()));
        assert!(!may_mail(&c, "MAILER-DAEMON@example.org"));
        assert!(!may_mail(&c, "no-reply@example.org"));
        assert!(!may_mail(&c, "list-request@example.org"));
        assert!(!may_mail(&c, ""));
        assert!(!may_mail(&c, "a@b\r\nBcc: x@y"));
    }
}
