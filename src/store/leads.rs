//! Leads' replies to routed-enquiry notifications: which enquiry a notification was about, and
//! the once-per-message record of a reply turned into a draft.

use sqlx::AnyConnection;
use sqlx::Row;

use super::Result;

/// The enquiry whose lead notification has one of the Message-IDs in `ids` (as written in
/// In-Reply-To / References, with or without `<>`).
pub async fn find_notified_enquiry(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Option<i64>> {
    for id in ids.iter().rev() {
        let id = id.trim().trim_start_matches('<').trim_end_matches('>');
        if id.is_empty() {
            continue;
        }
        let row = sqlx::query(
            "SELECT enquiry_id FROM outbox WHERE message_id = $1 \
             AND kind = 'lead_notification' AND enquiry_id IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            return Ok(Some(row.try_get("enquiry_id")?));
        }
    }
    Ok(None)
}

/// The enquiry a lead reply with this external id was recorded on, when it was.
pub async fn find_lead_reply(conn: &mut AnyConnection, external_id: &str) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT enquiry_id FROM lead_replies WHERE external_id = $1")
        .bind(external_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.try_get("enquiry_id")).transpose()?)
}

/// Records a lead reply; `false` when this message was recorded before.
pub async fn insert_lead_reply(
    conn: &mut AnyConnection,
    external_id: &str,
    enquiry_id: i64,
    draft_version: Option<i64>,
    sender: &str,
    now: i64,
) -> Result<bool> {
    let row = sqlx::query(
        "INSERT INTO lead_replies (external_id, enquiry_id, draft_version, sender, received_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (external_id) DO NOTHING RETURNING id",
    )
    .bind(external_id)
    .bind(enquiry_id)
    .bind(draft_version)
    .bind(sender)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}
