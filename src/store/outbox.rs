//! The outbox: messages waiting to be sent, one row per idempotency key. Rows are claimed with
//! a lease (`next_attempt_at` moves forward while a row is `sending`), so a worker that dies
//! mid-send leaves a row that is claimed again once the lease runs out.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::{AssertSqlSafe, Row};

use super::{Dialect, Result};

/// What an outgoing message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    /// An approved answer to the sender.
    Reply,
    /// The automatic acknowledgement of a routed enquiry.
    Ack,
    /// The notification to the regional lead or admin team.
    LeadNotification,
}

impl OutboxKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::Reply => "reply",
            OutboxKind::Ack => "ack",
            OutboxKind::LeadNotification => "lead_notification",
        }
    }
}

/// Where a row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    Sending,
    Sent,
    Failed,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewOutbox {
    pub idempotency_key: String,
    pub enquiry_id: Option<i64>,
    pub kind: OutboxKind,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub message_id: String,
    pub auto_submitted: bool,
}

/// A stored outbox row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OutboxRow {
    pub id: i64,
    pub idempotency_key: String,
    pub enquiry_id: Option<i64>,
    pub kind: String,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub message_id: String,
    pub auto_submitted: bool,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
}

const COLUMNS: &str = "id, idempotency_key, enquiry_id, kind, to_addr, subject, body_text, \
    body_html, in_reply_to, \"references\", message_id, auto_submitted, status, attempts, \
    next_attempt_at, last_error, sent_at";

fn outbox_row(row: &AnyRow) -> Result<OutboxRow> {
    let refs: String = row.try_get("references")?;
    let auto: i64 = row.try_get("auto_submitted")?;
    Ok(OutboxRow {
        id: row.try_get("id")?,
        idempotency_key: row.try_get("idempotency_key")?,
        enquiry_id: row.try_get("enquiry_id")?,
        kind: row.try_get("kind")?,
        to_addr: row.try_get("to_addr")?,
        subject: row.try_get("subject")?,
        body_text: row.try_get("body_text")?,
        body_html: row.try_get("body_html")?,
        in_reply_to: row.try_get("in_reply_to")?,
        references: refs.split_whitespace().map(str::to_string).collect(),
        message_id: row.try_get("message_id")?,
        auto_submitted: auto != 0,
        status: row.try_get("status")?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
        sent_at: row.try_get("sent_at")?,
    })
}

/// Queues a message; `false` when its idempotency key is queued already (nothing changes).
pub async fn enqueue(conn: &mut AnyConnection, m: &NewOutbox, now: i64) -> Result<bool> {
    let row = sqlx::query(
        "INSERT INTO outbox (idempotency_key, enquiry_id, kind, to_addr, subject, body_text, \
         body_html, in_reply_to, \"references\", message_id, auto_submitted, status, attempts, \
         next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', 0, $12, $12) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(&m.idempotency_key)
    .bind(m.enquiry_id)
    .bind(m.kind.as_str())
    .bind(&m.to_addr)
    .bind(&m.subject)
    .bind(&m.body_text)
    .bind(m.body_html.as_deref())
    .bind(m.in_reply_to.as_deref())
    .bind(m.references.join(" "))
    .bind(&m.message_id)
    .bind(i64::from(m.auto_submitted))
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// Fails rows whose send was interrupted (claimed, lease expired, never recorded): the
/// transport may or may not have delivered them, so they must not be resent blindly.
pub async fn fail_interrupted(
    conn: &mut AnyConnection,
    now: i64,
    reason: &str,
) -> Result<Vec<OutboxRow>> {
    let sql = format!(
        "UPDATE outbox SET status = 'failed', last_error = $1 \
         WHERE status = 'sending' AND next_attempt_at <= $2 RETURNING {COLUMNS}"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(reason)
        .bind(now)
        .fetch_all(conn)
        .await?;
    rows.iter().map(outbox_row).collect()
}

/// Claims up to `limit` due rows (pending, or sending with an expired lease), marking them
/// `sending` with a lease of `lease_secs` and counting the attempt. On PostgreSQL concurrent
/// workers skip each other's rows (`FOR UPDATE SKIP LOCKED`); SQLite has a single writer.
pub async fn claim_due(
    conn: &mut AnyConnection,
    dialect: Dialect,
    now: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let lock = match dialect {
        Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        Dialect::Sqlite => "",
    };
    let sql = format!(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = $1 \
         WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending') \
         AND next_attempt_at <= $2 ORDER BY id LIMIT $3{lock}) RETURNING {COLUMNS}"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(now + lease_secs)
        .bind(now)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    let mut claimed = rows.iter().map(outbox_row).collect::<Result<Vec<_>>>()?;
    claimed.sort_by_key(|r| r.id);
    Ok(claimed)
}

pub async fn mark_sent(conn: &mut AnyConnection, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $1, last_error = NULL WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Puts a row back to pending, to be tried again at `next_attempt_at`.
pub async fn mark_retry(
    conn: &mut AnyConnection,
    id: i64,
    error: &str,
    next_attempt_at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'pending', last_error = $1, next_attempt_at = $2 WHERE id = $3",
    )
    .bind(error)
    .bind(next_attempt_at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_failed(conn: &mut AnyConnection, id: i64, error: &str) -> Result<()> {
    sqlx::query("UPDATE outbox SET status = 'failed', last_error = $1 WHERE id = $2")
        .bind(error)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Outbox rows, oldest first: those of one enquiry, or all.
pub async fn list_outbox(
    conn: &mut AnyConnection,
    enquiry_id: Option<i64>,
) -> Result<Vec<OutboxRow>> {
    let rows = match enquiry_id {
        Some(id) => {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM outbox WHERE enquiry_id = $1 ORDER BY id"
            )))
            .bind(id)
            .fetch_all(conn)
            .await?
        }
        None => {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM outbox ORDER BY id"
            )))
            .fetch_all(conn)
            .await?
        }
    };
    rows.iter().map(outbox_row).collect()
}

/// How many automatic messages were queued to `to_addr` since `since` (for the one
/// acknowledgement per sender per period rule).
pub async fn recent_auto_mail_to(
    conn: &mut AnyConnection,
    to_addr: &str,
    since: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'ack' AND LOWER(to_addr) = LOWER($1) \
         AND created_at >= $2",
    )
    .bind(to_addr)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("n")?)
}

/// How many acknowledgements other than row `except_id` were sent to `to_addr` (compared
/// case-insensitively) from `since` (Unix seconds) on: the send-time loop guard.
pub async fn acks_sent_to(
    conn: &mut AnyConnection,
    to_addr: &str,
    since: i64,
    except_id: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'ack' AND LOWER(to_addr) = LOWER($1) \
         AND created_at >= $2 AND status = 'sent' AND id <> $3",
    )
    .bind(to_addr)
    .bind(since)
    .bind(except_id)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("n")?)
}
