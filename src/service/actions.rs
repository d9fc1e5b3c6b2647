//! Admin actions on stored enquiries: approve (queue the latest draft once), reject, purge.
//! Each runs in one transaction and writes an audit row. They need the store (and, to address
//! a reply, the configuration), never the knowledge base.

use super::ingest::{our_message_id, reply_subject};
use super::{may_mail, Result, ServiceError};
use crate::config::Config;
use crate::mail::parse_message;
use crate::store::{self, NewOutbox, OutboxKind, Status, Store};

/// What `approve` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub enquiry_id: i64,
    pub version: i64,
    pub idempotency_key: String,
    /// `false` when this draft version was approved before: nothing new was queued.
    pub newly_queued: bool,
}

/// Queues the latest draft of an enquiry as a reply to its sender. Approving the same draft
/// version twice queues it once (idempotency key `reply-<enquiry>-<version>`).
pub async fn approve(store: &Store, config: &Config, id: i64, actor: &str) -> Result<Approved> {
    let now = store::now();
    let mut tx = store.begin().await?;
    let enquiry = store::get_enquiry(&mut tx, id)
        .await?
        .ok_or(ServiceError::NotFound(id))?;
    if enquiry.purged_at.is_some() {
        return Err(ServiceError::Refused(format!("enquiry {id} was purged")));
    }
    let draft = store::latest_draft(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::Refused(format!("enquiry {id} has no draft to approve")))?;
    if draft.rejected_at.is_some() {
        return Err(ServiceError::Refused(format!(
            "draft {} of enquiry {id} was rejected",
            draft.version
        )));
    }
    if !may_mail(config, &enquiry.sender) {
        return Err(ServiceError::Refused(format!(
            "enquiry {id}: the sender is not an address we reply to (ours, a robot or missing)"
        )));
    }
    // threading from the original message (kept raw until purged)
    let original = enquiry.raw.as_deref().map(parse_message);
    let message_id = original.as_ref().and_then(|e| e.message_id.clone());
    let mut references = original
        .as_ref()
        .map(|e| e.references.clone())
        .unwrap_or_default();
    references.extend(message_id.iter().cloned());
    let key = format!("reply-{id}-{}", draft.version);
    let newly_queued = store::enqueue(
        &mut tx,
        &NewOutbox {
            message_id: our_message_id(config, &key),
            idempotency_key: key.clone(),
            enquiry_id: Some(id),
            kind: OutboxKind::Reply,
            to_addr: enquiry.sender.clone(),
            subject: reply_subject(enquiry.subject.as_deref(), enquiry.thread_id),
            body_text: draft.text.clone(),
            body_html: draft.html.clone(),
            in_reply_to: message_id,
            references,
            auto_submitted: false,
        },
        now,
    )
    .await?;
    if newly_queued {
        store::mark_draft_approved(&mut tx, id, draft.version, actor, now).await?;
    }
    let detail = format!(
        "draft {} {}",
        draft.version,
        if newly_queued {
            "queued"
        } else {
            "already queued"
        }
    );
    store::audit(&mut tx, Some(id), actor, "approve", &detail, now).await?;
    tx.commit().await?;
    Ok(Approved {
        enquiry_id: id,
        version: draft.version,
        idempotency_key: key,
        newly_queued,
    })
}

/// Rejects the latest draft (when there is one) and closes the enquiry.
pub async fn reject(store: &Store, id: i64, actor: &str, reason: &str) -> Result<()> {
    let now = store::now();
    let mut tx = store.begin().await?;
    store::get_enquiry(&mut tx, id)
        .await?
        .ok_or(ServiceError::NotFound(id))?;
    if let Some(draft) = store::latest_draft(&mut tx, id).await? {
        store::mark_draft_rejected(&mut tx, id, draft.version, actor, now).await?;
    }
    store::set_status(&mut tx, id, Status::Closed).await?;
    store::audit(&mut tx, Some(id), actor, "reject", reason, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Purges personal details of finished enquiries older than `days`; returns the ids purged.
pub async fn purge(store: &Store, days: u64, actor: &str) -> Result<Vec<i64>> {
    let now = store::now();
    let age = i64::try_from(days)
        .unwrap_or(i64::MAX / 86_400)
        .saturating_mul(86_400);
    let mut tx = store.begin().await?;
    let ids = store::purge(&mut tx, now.saturating_sub(age), now).await?;
    let detail = format!("older than {days} day(s): {} enquiries", ids.len());
    store::audit(&mut tx, None, actor, "purge", &detail, now).await?;
    tx.commit().await?;
    Ok(ids)
}
