//! Enquiries and their drafts: insert (once per channel + external id), thread lookup, listing,
//! status changes and purging of personal details.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::{AssertSqlSafe, Row};

use super::{Result, StoreError};

/// Where an enquiry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A drafted answer waits for an admin to approve it.
    Waiting,
    /// Handed to a regional lead.
    Routed,
    /// Our reply went out.
    Sent,
    /// Needs no answer (auto-reply, bounce, list mail…).
    Ignored,
    /// Could not be handled automatically: unreadable, no sender, sending failed.
    NeedsAttention,
    /// Closed by an admin.
    Closed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Waiting,
        Status::Routed,
        Status::Sent,
        Status::Ignored,
        Status::NeedsAttention,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Routed => "routed",
            Status::Sent => "sent",
            Status::Ignored => "ignored",
            Status::NeedsAttention => "needs_attention",
            Status::Closed => "closed",
        }
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                format!("unknown status `{s}`: use waiting, routed, sent, ignored, needs_attention or closed")
            })
    }
}

/// An enquiry to insert.
#[derive(Debug, Clone)]
pub struct NewEnquiry<'a> {
    pub channel: &'a str,
    pub external_id: &'a str,
    pub thread_id: Option<i64>,
    pub sender: &'a str,
    pub sender_name: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub cleaned_text: &'a str,
    pub raw: Option<&'a [u8]>,
    /// JSON array of `{name, content_type, size}`.
    pub attachments: &'a str,
    pub received_at: i64,
    pub decision: &'a str,
    pub confidence: f64,
    /// JSON array of FAQ entry ids.
    pub faq: &'a str,
    pub region: Option<&'a str>,
    pub reason: &'a str,
    pub status: Status,
    pub parse_problem: Option<&'a str>,
}

/// A stored enquiry (the raw message only when asked for).
#[derive(Debug, Clone, serde::Serialize)]
pub struct EnquiryRow {
    pub id: i64,
    pub channel: String,
    pub external_id: String,
    pub thread_id: i64,
    pub sender: String,
    pub sender_name: Option<String>,
    pub subject: Option<String>,
    pub cleaned_text: String,
    #[serde(skip)]
    pub raw: Option<Vec<u8>>,
    pub attachments: String,
    pub received_at: i64,
    pub decision: String,
    pub confidence: f64,
    pub faq: String,
    pub region: Option<String>,
    pub reason: String,
    pub status: String,
    pub parse_problem: Option<String>,
    pub purged_at: Option<i64>,
}

/// One version of a drafted reply.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DraftRow {
    pub enquiry_id: i64,
    pub version: i64,
    pub text: String,
    pub html: Option<String>,
    pub edited_by: String,
    pub created_at: i64,
    pub approved_by: Option<String>,
    pub approved_at: Option<i64>,
    pub sent_at: Option<i64>,
    pub rejected_by: Option<String>,
    pub rejected_at: Option<i64>,
}

const ENQUIRY_COLUMNS: &str = "id, channel, external_id, COALESCE(thread_id, id) AS thread_id, \
    sender, sender_name, subject, cleaned_text, attachments, received_at, decision, confidence, \
    faq, region, reason, status, parse_problem, purged_at";

fn enquiry_row(row: &AnyRow, with_raw: bool) -> Result<EnquiryRow> {
    Ok(EnquiryRow {
        id: row.try_get("id")?,
        channel: row.try_get("channel")?,
        external_id: row.try_get("external_id")?,
        thread_id: row.try_get("thread_id")?,
        sender: row.try_get("sender")?,
        sender_name: row.try_get("sender_name")?,
        subject: row.try_get("subject")?,
        cleaned_text: row.try_get("cleaned_text")?,
        raw: if with_raw { row.try_get("raw")? } else { None },
        attachments: row.try_get("attachments")?,
        received_at: row.try_get("received_at")?,
        decision: row.try_get("decision")?,
        confidence: row.try_get("confidence")?,
        faq: row.try_get("faq")?,
        region: row.try_get("region")?,
        reason: row.try_get("reason")?,
        status: row.try_get("status")?,
        parse_problem: row.try_get("parse_problem")?,
        purged_at: row.try_get("purged_at")?,
    })
}

fn draft_row(row: &AnyRow) -> Result<DraftRow> {
    Ok(DraftRow {
        enquiry_id: row.try_get("enquiry_id")?,
        version: row.try_get("version")?,
        text: row.try_get("text")?,
        html: row.try_get("html")?,
        edited_by: row.try_get("edited_by")?,
        created_at: row.try_get("created_at")?,
        approved_by: row.try_get("approved_by")?,
        approved_at: row.try_get("approved_at")?,
        sent_at: row.try_get("sent_at")?,
        rejected_by: row.try_get("rejected_by")?,
        rejected_at: row.try_get("rejected_at")?,
    })
}

/// Inserts an enquiry; `None` when one with the same channel and external id exists already.
pub async fn insert_enquiry(conn: &mut AnyConnection, e: &NewEnquiry<'_>) -> Result<Option<i64>> {
    let row = sqlx::query(
        "INSERT INTO enquiries (channel, external_id, thread_id, sender, sender_name, subject, \
         cleaned_text, raw, attachments, received_at, decision, confidence, faq, region, reason, \
         status, parse_problem) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (channel, external_id) DO NOTHING RETURNING id",
    )
    .bind(e.channel)
    .bind(e.external_id)
    .bind(e.thread_id)
    .bind(e.sender)
    .bind(e.sender_name)
    .bind(e.subject)
    .bind(e.cleaned_text)
    .bind(e.raw.map(<[u8]>::to_vec))
    .bind(e.attachments)
    .bind(e.received_at)
    .bind(e.decision)
    .bind(e.confidence)
    .bind(e.faq)
    .bind(e.region)
    .bind(e.reason)
    .bind(e.status.as_str())
    .bind(e.parse_problem)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    if e.thread_id.is_none() {
        set_thread(conn, id, id).await?;
    }
    Ok(Some(id))
}

pub async fn set_thread(conn: &mut AnyConnection, id: i64, thread_id: i64) -> Result<()> {
    sqlx::query("UPDATE enquiries SET thread_id = $1 WHERE id = $2")
        .bind(thread_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find_by_external_id(
    conn: &mut AnyConnection,
    channel: &str,
    external_id: &str,
) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT id FROM enquiries WHERE channel = $1 AND external_id = $2")
        .bind(channel)
        .bind(external_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

/// What a message's external id is stored as already: the enquiry stored under it, and the
/// enquiry a lead's reply with that id was recorded on (one round trip for ingest's duplicate
/// check of every message).
pub async fn find_stored(
    conn: &mut AnyConnection,
    channel: &str,
    external_id: &str,
) -> Result<(Option<i64>, Option<i64>)> {
    let rows = sqlx::query(
        "SELECT 'enquiry' AS kind, id FROM enquiries WHERE channel = $1 AND external_id = $2 \
         UNION ALL SELECT 'lead_reply' AS kind, enquiry_id AS id FROM lead_replies \
         WHERE external_id = $2",
    )
    .bind(channel)
    .bind(external_id)
    .fetch_all(conn)
    .await?;
    let (mut enquiry, mut lead_reply) = (None, None);
    for row in &rows {
        let kind: String = row.try_get("kind")?;
        let id: i64 = row.try_get("id")?;
        if kind == "enquiry" {
            enquiry = Some(id);
        } else {
            lead_reply = Some(id);
        }
    }
    Ok((enquiry, lead_reply))
}

/// One of a sender's recent enquiries, for joining resent questions and flagging recalls.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentEnquiry {
    pub id: i64,
    pub thread_id: i64,
    pub subject: Option<String>,
    pub cleaned_text: String,
    pub decision: String,
    pub status: String,
}

/// The email enquiries from `sender` (compared case-insensitively) received at or after
/// `since` (Unix seconds), newest first, at most `limit`.
pub async fn recent_from_sender(
    conn: &mut AnyConnection,
    sender: &str,
    since: i64,
    limit: i64,
) -> Result<Vec<RecentEnquiry>> {
    let rows = sqlx::query(
        "SELECT id, COALESCE(thread_id, id) AS thread_id, subject, cleaned_text, decision, status \
         FROM enquiries WHERE LOWER(sender) = LOWER($1) AND received_at >= $2 \
         AND channel = 'email' ORDER BY received_at DESC, id DESC LIMIT $3",
    )
    .bind(sender)
    .bind(since)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RecentEnquiry {
                id: r.try_get("id")?,
                thread_id: r.try_get("thread_id")?,
                subject: r.try_get("subject")?,
                cleaned_text: r.try_get("cleaned_text")?,
                decision: r.try_get("decision")?,
                status: r.try_get("status")?,
            })
        })
        .collect()
}

/// The thread of the latest of `ids` (in list order: the last one found wins) that is a
/// stored message, theirs or ours, found with one query. Callers pass a bounded list (see
/// `service::ingest::MAX_PARENT_IDS`): the query has one placeholder per id.
pub async fn find_thread_by_message_ids(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Option<i64>> {
    let ids: Vec<&str> = ids
        .iter()
        .map(|id| id.trim().trim_start_matches('<').trim_end_matches('>'))
        .filter(|id| !id.is_empty())
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    let list = (1..=ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT external_id AS mid, COALESCE(thread_id, id) AS thread_id FROM enquiries \
         WHERE channel = 'email' AND external_id IN ({list}) \
         UNION ALL \
         SELECT o.message_id AS mid, COALESCE(e.thread_id, e.id) AS thread_id FROM outbox o \
         JOIN enquiries e ON e.id = o.enquiry_id WHERE o.message_id IN ({list})"
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for id in &ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(conn).await?;
    let mut best: Option<(usize, i64)> = None;
    for row in &rows {
        let mid: String = row.try_get("mid")?;
        let thread: i64 = row.try_get("thread_id")?;
        let at = ids.iter().rposition(|i| *i == mid).unwrap_or(0);
        if best.is_none_or(|(b, _)| at > b) {
            best = Some((at, thread));
        }
    }
    Ok(best.map(|(_, t)| t))
}

/// The thread an enquiry belongs to, when the enquiry exists.
pub async fn thread_of(conn: &mut AnyConnection, id: i64) -> Result<Option<i64>> {
    let row =
        sqlx::query("SELECT COALESCE(thread_id, id) AS thread_id FROM enquiries WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|r| r.try_get("thread_id")).transpose()?)
}

pub async fn get_enquiry(conn: &mut AnyConnection, id: i64) -> Result<Option<EnquiryRow>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {ENQUIRY_COLUMNS}, raw FROM enquiries WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| enquiry_row(&r, true)).transpose()
}

/// Enquiries, oldest first; all of them when `status` is `None`. The raw message is left out.
pub async fn list_enquiries(
    conn: &mut AnyConnection,
    status: Option<Status>,
) -> Result<Vec<EnquiryRow>> {
    let rows = match status {
        Some(st) => {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {ENQUIRY_COLUMNS} FROM enquiries WHERE status = $1 ORDER BY id"
            )))
            .bind(st.as_str())
            .fetch_all(conn)
            .await?
        }
        None => {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {ENQUIRY_COLUMNS} FROM enquiries ORDER BY id"
            )))
            .fetch_all(conn)
            .await?
        }
    };
    rows.iter().map(|r| enquiry_row(r, false)).collect()
}

/// How many enquiries have each status (kept after purging: no personal details).
pub async fn counts_by_status(conn: &mut AnyConnection) -> Result<Vec<(String, i64)>> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) AS n FROM enquiries GROUP BY status ORDER BY status")
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect()
}

pub async fn set_status(conn: &mut AnyConnection, id: i64, status: Status) -> Result<()> {
    let done = sqlx::query("UPDATE enquiries SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Corrupt(format!("no enquiry {id}")));
    }
    Ok(())
}

/// Adds the next draft version for an enquiry and returns its version number.
pub async fn insert_draft(
    conn: &mut AnyConnection,
    enquiry_id: i64,
    text: &str,
    html: Option<&str>,
    edited_by: &str,
    now: i64,
) -> Result<i64> {
    let row =
        sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM drafts WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .fetch_one(&mut *conn)
            .await?;
    let version: i64 = row.try_get::<i64, _>("v")? + 1;
    insert_draft_version(conn, enquiry_id, version, text, html, edited_by, now).await?;
    Ok(version)
}

/// Inserts draft `version` of enquiry `enquiry_id` (`now` in Unix seconds), when the caller
/// knows the version: version 1 of an enquiry inserted in the same transaction saves
/// [`insert_draft`]'s look-up. A database error when that version exists already.
pub async fn insert_draft_version(
    conn: &mut AnyConnection,
    enquiry_id: i64,
    version: i64,
    text: &str,
    html: Option<&str>,
    edited_by: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO drafts (enquiry_id, version, text, html, edited_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(enquiry_id)
    .bind(version)
    .bind(text)
    .bind(html)
    .bind(edited_by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

const DRAFT_COLUMNS: &str = "enquiry_id, version, text, html, edited_by, created_at, approved_by, \
    approved_at, sent_at, rejected_by, rejected_at";

pub async fn latest_draft(conn: &mut AnyConnection, enquiry_id: i64) -> Result<Option<DraftRow>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {DRAFT_COLUMNS} FROM drafts WHERE enquiry_id = $1 ORDER BY version DESC LIMIT 1"
    )))
    .bind(enquiry_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(draft_row).transpose()
}

pub async fn drafts(conn: &mut AnyConnection, enquiry_id: i64) -> Result<Vec<DraftRow>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {DRAFT_COLUMNS} FROM drafts WHERE enquiry_id = $1 ORDER BY version"
    )))
    .bind(enquiry_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(draft_row).collect()
}

pub async fn mark_draft_approved(
    conn: &mut AnyConnection,
    enquiry_id: i64,
    version: i64,
    by: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE drafts SET approved_by = $1, approved_at = $2 \
         WHERE enquiry_id = $3 AND version = $4 AND approved_at IS NULL",
    )
    .bind(by)
    .bind(now)
    .bind(enquiry_id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_draft_rejected(
    conn: &mut AnyConnection,
    enquiry_id: i64,
    version: i64,
    by: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE drafts SET rejected_by = $1, rejected_at = $2 WHERE enquiry_id = $3 AND version = $4",
    )
    .bind(by)
    .bind(now)
    .bind(enquiry_id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_draft_sent(
    conn: &mut AnyConnection,
    enquiry_id: i64,
    version: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE drafts SET sent_at = $1 WHERE enquiry_id = $2 AND version = $3")
        .bind(now)
        .bind(enquiry_id)
        .bind(version)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes the raw message and personal details (sender, names, subject, text, drafts and
/// message bodies) of closed, sent and ignored enquiries received before `before`. Decision,
/// region, FAQ ids, confidence and status stay, so counts remain. Returns the ids purged.
pub async fn purge(conn: &mut AnyConnection, before: i64, now: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT id FROM enquiries WHERE status IN ('closed', 'sent', 'ignored') \
         AND received_at <= $1 AND purged_at IS NULL ORDER BY id",
    )
    .bind(before)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    for &id in &ids {
        sqlx::query(
            "UPDATE enquiries SET raw = NULL, sender = '', sender_name = NULL, subject = NULL, \
             cleaned_text = '', attachments = '[]', parse_problem = NULL, \
             external_id = $1, purged_at = $2 WHERE id = $3",
        )
        .bind(format!("purged-{id}"))
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE drafts SET text = '', html = NULL WHERE enquiry_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE outbox SET to_addr = '', subject = '', body_text = '', body_html = NULL, \
             in_reply_to = NULL, \"references\" = '' WHERE enquiry_id = $1 \
             AND status IN ('sent', 'failed')",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(ids)
}
