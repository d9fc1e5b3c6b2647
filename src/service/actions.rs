//! Admin actions on stored enquiries and the one state machine they follow: which action is
//! allowed from which status ([`allowed`]), checked on the server for the web app, the CLI, the
//! chat channel and mail alike. Approve (queue exactly the draft the person saw), save a draft
//! version, reject, close as answered elsewhere, re-route, purge. Each runs in one transaction
//! that first locks the enquiry row, then checks the state machine, and writes an audit row.

use super::ingest::{our_message_id, reply_subject};
use super::{may_mail, Result, ServiceError};
use crate::config::Config;
use crate::mail::parse_message;
use crate::store::{self, DraftRow, EnquiryRow, NewOutbox, OutboxKind, Status, Store};

/// Something a person (or a lead's mail) does to an enquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Queue the latest draft as the reply to the sender.
    Approve,
    /// Save a new draft version (an admin's edit, a draft from another FAQ entry).
    EditDraft,
    /// A regional lead's answer (web form or a verified reply to a notification).
    LeadAnswer,
    /// Send the enquiry to another region's lead or the admin team.
    Reroute,
    /// Reject the draft and close.
    Reject,
    /// Close: someone answered outside this tool.
    AnsweredElsewhere,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::EditDraft => "edit",
            Action::LeadAnswer => "lead_answer",
            Action::Reroute => "reroute",
            Action::Reject => "reject",
            Action::AnsweredElsewhere => "answered_elsewhere",
        }
    }
}

/// Where an enquiry stands for the state machine: its stored [`Status`], with `waiting`
/// split in two once its latest draft is approved (`Queued`: the reply is in the outbox and
/// nothing more may change it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Waiting,
    /// Approved, waiting for the outbox to send it.
    Queued,
    Routed,
    Sent,
    Ignored,
    NeedsAttention,
    Closed,
}

impl Stage {
    /// The stage of an enquiry with `status` whose latest draft is `latest`. An unknown status
    /// (a newer schema) counts as closed: nothing is allowed.
    pub fn of(status: &str, latest: Option<&DraftRow>) -> Stage {
        let approved = latest.is_some_and(|d| d.approved_at.is_some() && d.sent_at.is_none());
        match status.parse::<Status>() {
            Ok(Status::Waiting) if approved => Stage::Queued,
            Ok(Status::Waiting) => Stage::Waiting,
            Ok(Status::Routed) => Stage::Routed,
            Ok(Status::Sent) => Stage::Sent,
            Ok(Status::Ignored) => Stage::Ignored,
            Ok(Status::NeedsAttention) => Stage::NeedsAttention,
            Ok(Status::Closed) | Err(_) => Stage::Closed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Waiting => "waiting",
            Stage::Queued => "queued",
            Stage::Routed => "routed",
            Stage::Sent => "sent",
            Stage::Ignored => "ignored",
            Stage::NeedsAttention => "needs_attention",
            Stage::Closed => "closed",
        }
    }
}

/// The state machine: whether `action` is allowed from `stage`.
///
/// | from \ action    | approve | edit | lead answer | re-route | reject | elsewhere |
/// |------------------|---------|------|-------------|----------|--------|-----------|
/// | waiting          | yes     | yes  | yes         | yes      | yes    | yes       |
/// | queued           | yes (idempotent) | – | –      | –        | –      | –         |
/// | routed           | –       | yes  | yes         | yes      | yes    | yes       |
/// | needs_attention  | yes     | yes  | yes         | yes      | yes    | yes       |
/// | ignored          | –       | yes  | –           | yes      | –      | yes       |
/// | sent, closed     | –       | –    | –           | –        | –      | –         |
///
/// Approving from `queued` is allowed so that a second click answers "already queued" rather
/// than an error; it never queues twice (the outbox idempotency key).
pub fn allowed(stage: Stage, action: Action) -> bool {
    use Action as A;
    use Stage as S;
    match stage {
        S::Waiting | S::NeedsAttention => true,
        S::Queued => action == A::Approve,
        S::Routed => action != A::Approve,
        S::Ignored => matches!(action, A::EditDraft | A::Reroute | A::AnsweredElsewhere),
        S::Sent | S::Closed => false,
    }
}

/// The actions allowed from `stage`, in the order a page offers them.
pub fn allowed_actions(stage: Stage) -> Vec<Action> {
    [
        Action::Approve,
        Action::EditDraft,
        Action::LeadAnswer,
        Action::Reroute,
        Action::Reject,
        Action::AnsweredElsewhere,
    ]
    .into_iter()
    .filter(|a| allowed(stage, *a))
    .collect()
}

/// Locks the enquiry's row for the rest of the transaction (a no-op update: the row lock on
/// PostgreSQL, the write lock on SQLite), so that checks and changes cannot interleave with
/// another admin's or a lead's, then loads it. [`ServiceError::NotFound`] when missing.
pub async fn lock_enquiry(conn: &mut sqlx::AnyConnection, id: i64) -> Result<EnquiryRow> {
    sqlx::query("UPDATE enquiries SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    store::get_enquiry(conn, id)
        .await?
        .ok_or(ServiceError::NotFound(id))
}

/// Checks the state machine for a locked enquiry: [`ServiceError::Refused`] naming the status
/// and the action when not allowed. Purged enquiries allow nothing.
pub async fn check(conn: &mut sqlx::AnyConnection, e: &EnquiryRow, action: Action) -> Result<()> {
    if e.purged_at.is_some() {
        return Err(ServiceError::Refused(format!(
            "enquiry {} was purged: nothing can be done to it any more",
            e.id
        )));
    }
    let latest = store::latest_draft(conn, e.id).await?;
    let stage = Stage::of(&e.status, latest.as_ref());
    if allowed(stage, action) {
        Ok(())
    } else {
        Err(ServiceError::Refused(format!(
            "enquiry {} is {}: `{}` is not allowed now (look at the enquiry again to see its current state)",
            e.id,
            stage.as_str().replace('_', " "),
            action.as_str().replace('_', " ")
        )))
    }
}

/// What the person approving saw: the version the button named and the text in the editor.
/// Empty means "the latest, as saved" (the CLI without `--version`).
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// The draft version shown; approval is refused with [`ServiceError::Stale`] when a newer
    /// version exists.
    pub version: Option<i64>,
    /// The editor's text; when it differs from that version it is saved as a new version
    /// first, in the same transaction, and that is what is sent.
    pub text: Option<String>,
}

/// What `approve` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub enquiry_id: i64,
    pub version: i64,
    pub idempotency_key: String,
    /// `false` when this draft version was approved before: nothing new was queued.
    pub newly_queued: bool,
    /// `true` when the editor's text was saved as `version` before approving.
    pub saved_edit: bool,
}

/// Normalises a draft for comparison and storage: CRLF → LF, trimmed, one final newline.
pub fn normalise_draft(text: &str) -> String {
    format!("{}\n", text.replace("\r\n", "\n").trim())
}

/// Queues exactly the draft the person saw as a reply to the sender, in one transaction:
/// refused ([`ServiceError::Stale`], nothing queued) when `seen.version` is no longer the
/// latest; the editor's text saved as a new version first when it differs; then queued once
/// (idempotency key `reply-<enquiry>-<version>`: approving the same version twice queues once).
pub async fn approve(
    store: &Store,
    config: &Config,
    id: i64,
    actor: &str,
    seen: &Seen,
) -> Result<Approved> {
    let now = store::now();
    let mut tx = store.begin().await?;
    let enquiry = lock_enquiry(&mut tx, id).await?;
    check(&mut tx, &enquiry, Action::Approve).await?;
    let mut draft = store::latest_draft(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::Refused(format!("enquiry {id} has no draft to approve")))?;
    if let Some(v) = seen.version {
        if v != draft.version {
            return Err(ServiceError::Stale {
                id,
                seen: v,
                latest: Box::new(draft),
            });
        }
    }
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
    let mut saved_edit = false;
    if let Some(text) = seen.text.as_deref() {
        let text = normalise_draft(text);
        if text.trim().is_empty() {
            return Err(ServiceError::Refused("the draft is empty".into()));
        }
        if text != normalise_draft(&draft.text) {
            if draft.approved_at.is_some() {
                return Err(ServiceError::Refused(format!(
                    "draft {} of enquiry {id} is already queued: it can no longer be changed",
                    draft.version
                )));
            }
            let version = store::insert_draft(&mut tx, id, &text, None, actor, now).await?;
            store::audit(
                &mut tx,
                Some(id),
                actor,
                "edit",
                &format!("draft {version}"),
                now,
            )
            .await?;
            draft = store::latest_draft(&mut tx, id)
                .await?
                .ok_or_else(|| ServiceError::Refused(format!("draft of {id} vanished")))?;
            saved_edit = true;
        }
    }
    // threading from the original message (kept raw until purged)
    let original = enquiry.raw.as_deref().map(parse_message);
    let message_id = original.as_ref().and_then(|e| e.message_id.clone());
    let mut references = original
        .as_ref()
        .map(|e| super::ingest::recent_references(&e.references))
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
        if enquiry.status != Status::Waiting.as_str() {
            store::set_status(&mut tx, id, Status::Waiting).await?;
        }
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
        saved_edit,
    })
}

/// Saves `text` (or `text` and `html` from a template) as a new draft version of a locked,
/// open enquiry, makes it wait for approval and audits `audit_action`; returns the version.
/// `action` is [`Action::EditDraft`] for an admin, [`Action::LeadAnswer`] for a lead.
#[allow(clippy::too_many_arguments)]
pub async fn save_draft(
    store: &Store,
    id: i64,
    actor: &str,
    action: Action,
    text: &str,
    html: Option<&str>,
    audit_action: &str,
) -> Result<i64> {
    let now = store::now();
    let mut tx = store.begin().await?;
    let e = lock_enquiry(&mut tx, id).await?;
    check(&mut tx, &e, action).await?;
    let version = store::insert_draft(&mut tx, id, text, html, actor, now).await?;
    if e.status != Status::Waiting.as_str() {
        store::set_status(&mut tx, id, Status::Waiting).await?;
    }
    store::audit(
        &mut tx,
        Some(id),
        actor,
        audit_action,
        &format!("draft {version}"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// Rejects the latest draft (when there is one) and closes the enquiry.
///
/// Errors: [`ServiceError::Refused`] when `reason` is blank (the audit log must say why).
pub async fn reject(store: &Store, id: i64, actor: &str, reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(ServiceError::Refused(
            "a rejection needs a reason (it is kept in the audit log)".into(),
        ));
    }
    let now = store::now();
    let mut tx = store.begin().await?;
    let e = lock_enquiry(&mut tx, id).await?;
    check(&mut tx, &e, Action::Reject).await?;
    if let Some(draft) = store::latest_draft(&mut tx, id).await? {
        store::mark_draft_rejected(&mut tx, id, draft.version, actor, now).await?;
    }
    store::set_status(&mut tx, id, Status::Closed).await?;
    store::audit(&mut tx, Some(id), actor, "reject", reason, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Purges personal details of finished enquiries older than `days`; returns the ids purged.
/// On SQLite the connections run with `secure_delete` (freed space is overwritten with
/// zeros) and the write-ahead log is checkpointed and truncated afterwards, so the purged
/// text is gone from the database file and its `-wal` file, not only from the tables.
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
    if store.dialect() == store::Dialect::Sqlite {
        let mut conn = store.conn().await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut *conn)
            .await?;
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_and_sent_enquiries_allow_nothing() {
        for stage in [Stage::Closed, Stage::Sent] {
            assert!(allowed_actions(stage).is_empty(), "{stage:?}");
        }
    }

    #[test]
    fn a_queued_reply_can_only_be_approved_again() {
        assert_eq!(allowed_actions(Stage::Queued), vec![Action::Approve]);
        assert!(!allowed(Stage::Routed, Action::Approve));
        assert!(allowed(Stage::Waiting, Action::Approve));
        assert!(!allowed(Stage::Ignored, Action::LeadAnswer));
    }

    #[test]
    fn unknown_status_counts_as_closed() {
        assert_eq!(Stage::of("archived", None), Stage::Closed);
        assert_eq!(Stage::of("waiting", None), Stage::Waiting);
    }
}
