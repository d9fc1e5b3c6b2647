//! Leads' replies to routed-enquiry notifications: which enquiry a notification was about, and
//! the once-per-message record of a reply turned into a draft.

use sqlx::AnyConnection;
use sqlx::{AssertSqlSafe, Row};

use super::Result;

/// A lead notification we sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub enquiry_id: i64,
    /// Our Message-ID, without `<>`.
    pub message_id: String,
    /// The lead it went to.
    pub to_addr: String,
}

/// The latest of `ids` (as written in In-Reply-To / References, with or without `<>`) that is
/// one of our lead notifications, found with one query.
pub async fn find_notification(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Option<Notification>> {
    let ids: Vec<&str> = ids
        .iter()
        .map(|id| id.trim().trim_start_matches('<').trim_end_matches('>'))
        .filter(|id| !id.is_empty())
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT enquiry_id, message_id, to_addr FROM outbox WHERE message_id IN ({}) \
         AND kind = 'lead_notification' AND enquiry_id IS NOT NULL",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for id in &ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut found: Vec<(usize, Notification)> = Vec::new();
    for row in &rows {
        let message_id: String = row.try_get("message_id")?;
        let at = ids.iter().rposition(|i| *i == message_id).unwrap_or(0);
        found.push((
            at,
            Notification {
                enquiry_id: row.try_get("enquiry_id")?,
                message_id,
                to_addr: row.try_get("to_addr")?,
            },
        ));
    }
    Ok(found.into_iter().max_by_key(|(at, _)| *at).map(|(_, n)| n))
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
