//! The outbox worker: claims due rows, renders them, hands them to the transport and records
//! the result. Transient failures are retried with doubling delays; after
//! `outbox.max_attempts` a row is marked failed and its enquiry needs attention.

use std::sync::Arc;

use super::Result;
use crate::config::Config;
use crate::send::{MailTransport, OutgoingMail, SendError};
use crate::store::{self, OutboxKind, OutboxRow, Status, Store};

/// How long a claimed row stays ours before another worker may take it over.
const LEASE_SECS: i64 = 300;
const BATCH: i64 = 20;

/// Counts from one pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Sends what the outbox holds.
#[derive(Clone)]
pub struct OutboxWorker {
    store: Store,
    config: Arc<Config>,
    transport: Arc<dyn MailTransport>,
}

/// The `reply-<enquiry>-<version>` key's draft version.
fn draft_version(key: &str) -> Option<i64> {
    key.strip_prefix("reply-")?.rsplit('-').next()?.parse().ok()
}

impl OutboxWorker {
    pub fn new(store: Store, config: Arc<Config>, transport: Arc<dyn MailTransport>) -> Self {
        OutboxWorker {
            store,
            config,
            transport,
        }
    }

    fn render(&self, row: &OutboxRow) -> OutgoingMail {
        OutgoingMail {
            idempotency_key: row.idempotency_key.clone(),
            from: self.config.mail.address.clone(),
            from_name: Some(self.config.mail.from_name.clone()).filter(|n| !n.is_empty()),
            to: row.to_addr.clone(),
            subject: row.subject.clone(),
            text: row.body_text.clone(),
            html: row.body_html.clone(),
            message_id: row.message_id.clone(),
            in_reply_to: row.in_reply_to.clone(),
            references: row.references.clone(),
            auto_submitted: row.auto_submitted,
        }
    }

    fn backoff(&self, attempts: i64) -> i64 {
        let base = i64::try_from(self.config.outbox.backoff_secs).unwrap_or(30);
        let exp = u32::try_from(attempts.clamp(1, 16) - 1).unwrap_or(0);
        base.saturating_mul(1_i64 << exp).min(86_400)
    }

    /// Sends every due row once; returns what happened.
    pub async fn run_once(&self) -> Result<WorkerReport> {
        let mut report = WorkerReport::default();
        if !self.transport.checks_idempotency_key() {
            self.fail_interrupted(&mut report).await?;
        }
        loop {
            let claimed = {
                let mut conn = self.store.conn().await?;
                store::claim_due(
                    &mut conn,
                    self.store.dialect(),
                    store::now(),
                    LEASE_SECS,
                    BATCH,
                )
                .await?
            };
            if claimed.is_empty() {
                return Ok(report);
            }
            for row in &claimed {
                if self.ack_already_sent(row).await? {
                    // the last guard against mail loops, whatever ingest decided
                    let reason = format!(
                        "not sent: an automatic message already went to this address in the last {} h",
                        self.config.mail.ack_once_per_hours
                    );
                    let now = store::now();
                    let mut tx = self.store.begin().await?;
                    store::mark_failed(&mut tx, row.id, &reason).await?;
                    let detail = format!("{} {reason}", row.idempotency_key);
                    store::audit(
                        &mut tx,
                        row.enquiry_id,
                        "outbox",
                        "ack_suppressed",
                        &detail,
                        now,
                    )
                    .await?;
                    tx.commit().await?;
                    tracing::info!(key = %row.idempotency_key, "acknowledgement suppressed (one per address per window)");
                    report.failed += 1;
                    continue;
                }
                let result = self.transport.send(&self.render(row)).await;
                self.record(row, result, &mut report).await?;
            }
        }
    }

    /// Whether `row` is an acknowledgement and another one already went to its address
    /// within `mail.ack_once_per_hours`.
    async fn ack_already_sent(&self, row: &OutboxRow) -> Result<bool> {
        if row.kind != OutboxKind::Ack.as_str() {
            return Ok(false);
        }
        let window =
            i64::try_from(self.config.mail.ack_once_per_hours).unwrap_or(i64::MAX / 7200) * 3600;
        let mut conn = self.store.conn().await?;
        Ok(store::acks_sent_to(&mut conn, &row.to_addr, store::now() - window, row.id).await? > 0)
    }

    /// A send that a crash interrupted may have reached the server: rather than risk sending
    /// it twice, fail it and ask a person to check (the enquiry needs attention).
    async fn fail_interrupted(&self, report: &mut WorkerReport) -> Result<()> {
        let now = store::now();
        let mut tx = self.store.begin().await?;
        let reason = "interrupted while sending (the service stopped mid-send): it may or may \
                      not have been delivered; check with the recipient before sending again";
        for row in store::fail_interrupted(&mut tx, now, reason).await? {
            if let Some(enquiry) = row.enquiry_id {
                store::set_status(&mut tx, enquiry, Status::NeedsAttention).await?;
            }
            let detail = format!("{} {}", row.kind, row.idempotency_key);
            store::audit(
                &mut tx,
                row.enquiry_id,
                "outbox",
                "send_interrupted",
                &detail,
                now,
            )
            .await?;
            tracing::warn!(key = %row.idempotency_key, "send interrupted by a crash: not resent");
            report.failed += 1;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn record(
        &self,
        row: &OutboxRow,
        result: std::result::Result<(), SendError>,
        report: &mut WorkerReport,
    ) -> Result<()> {
        let now = store::now();
        let mut tx = self.store.begin().await?;
        let actor = "outbox";
        match result {
            Ok(()) => {
                store::mark_sent(&mut tx, row.id, now).await?;
                if let (Some(enquiry), "reply") = (row.enquiry_id, row.kind.as_str()) {
                    if let Some(version) = draft_version(&row.idempotency_key) {
                        store::mark_draft_sent(&mut tx, enquiry, version, now).await?;
                    }
                    store::set_status(&mut tx, enquiry, Status::Sent).await?;
                }
                let detail = format!("{} {}", row.kind, row.idempotency_key);
                store::audit(&mut tx, row.enquiry_id, actor, "sent", &detail, now).await?;
                tracing::info!(key = %row.idempotency_key, kind = %row.kind, "sent");
                report.sent += 1;
            }
            Err(SendError::Transient(e))
                if row.attempts < i64::from(self.config.outbox.max_attempts) =>
            {
                let next = now + self.backoff(row.attempts);
                store::mark_retry(&mut tx, row.id, &e, next).await?;
                let detail = format!("{} attempt {}: {e}", row.idempotency_key, row.attempts);
                store::audit(&mut tx, row.enquiry_id, actor, "send_retry", &detail, now).await?;
                tracing::warn!(key = %row.idempotency_key, attempt = row.attempts, "send failed, will retry: {e}");
                report.retried += 1;
            }
            Err(SendError::Transient(e) | SendError::Permanent(e)) => {
                store::mark_failed(&mut tx, row.id, &e).await?;
                if let Some(enquiry) = row.enquiry_id {
                    store::set_status(&mut tx, enquiry, Status::NeedsAttention).await?;
                }
                let detail = format!(
                    "{} after {} attempt(s): {e}",
                    row.idempotency_key, row.attempts
                );
                store::audit(&mut tx, row.enquiry_id, actor, "send_failed", &detail, now).await?;
                tracing::error!(key = %row.idempotency_key, "send failed for good: {e}");
                report.failed += 1;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_draft_version_from_key() {
        assert_eq!(draft_version("reply-12-3"), Some(3));
        assert_eq!(draft_version("ack-12"), None);
    }
}
