//! The audit log (who did what, when; details never hold message bodies) and the IMAP
//! mailbox state (UIDVALIDITY and the last UID committed).

use sqlx::AnyConnection;
use sqlx::{AssertSqlSafe, Row};

use super::Result;

/// One audit entry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub enquiry_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub at: i64,
}

impl AuditRow {
    /// Reads a row of `SELECT id, enquiry_id, actor, action, detail, at FROM audit_log`.
    pub fn from_row(r: &sqlx::any::AnyRow) -> std::result::Result<Self, sqlx::Error> {
        Ok(AuditRow {
            id: r.try_get("id")?,
            enquiry_id: r.try_get("enquiry_id")?,
            actor: r.try_get("actor")?,
            action: r.try_get("action")?,
            detail: r.try_get("detail")?,
            at: r.try_get("at")?,
        })
    }
}

/// Records an action.
pub async fn audit(
    conn: &mut AnyConnection,
    enquiry_id: Option<i64>,
    actor: &str,
    action: &str,
    detail: &str,
    now: i64,
) -> Result<()> {
    audit_id(conn, enquiry_id, actor, action, detail, now)
        .await
        .map(|_| ())
}

/// Records an action and returns the new entry's id (unique, so it can name what the action
/// queued, e.g. the idempotency key of a re-route's notification).
pub async fn audit_id(
    conn: &mut AnyConnection,
    enquiry_id: Option<i64>,
    actor: &str,
    action: &str,
    detail: &str,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO audit_log (enquiry_id, actor, action, detail, at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(enquiry_id)
    .bind(actor)
    .bind(action)
    .bind(detail)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Audit entries, oldest first: those of one enquiry, or all.
pub async fn list_audit(
    conn: &mut AnyConnection,
    enquiry_id: Option<i64>,
) -> Result<Vec<AuditRow>> {
    let sql = "SELECT id, enquiry_id, actor, action, detail, at FROM audit_log";
    let rows = match enquiry_id {
        Some(id) => {
            sqlx::query(AssertSqlSafe(format!(
                "{sql} WHERE enquiry_id = $1 ORDER BY id"
            )))
            .bind(id)
            .fetch_all(conn)
            .await?
        }
        None => {
            sqlx::query(AssertSqlSafe(format!("{sql} ORDER BY id")))
                .fetch_all(conn)
                .await?
        }
    };
    rows.iter().map(|r| Ok(AuditRow::from_row(r)?)).collect()
}

/// `(uidvalidity, last_uid)` of a mailbox, when it was read before.
pub async fn mailbox_state(conn: &mut AnyConnection, mailbox: &str) -> Result<Option<(i64, i64)>> {
    let row = sqlx::query("SELECT uidvalidity, last_uid FROM mailbox_state WHERE mailbox = $1")
        .bind(mailbox)
        .fetch_optional(conn)
        .await?;
    row.map(|r| Ok((r.try_get("uidvalidity")?, r.try_get("last_uid")?)))
        .transpose()
}

/// Records the last UID committed from a mailbox.
pub async fn set_mailbox_state(
    conn: &mut AnyConnection,
    mailbox: &str,
    uidvalidity: i64,
    last_uid: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO mailbox_state (mailbox, uidvalidity, last_uid, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (mailbox) DO UPDATE SET \
         uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, \
         updated_at = excluded.updated_at",
    )
    .bind(mailbox)
    .bind(uidvalidity)
    .bind(last_uid)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
