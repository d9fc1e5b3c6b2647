//! The web app's own SQL over `&mut AnyConnection`: accounts, sessions, login attempts, marks
//! on enquiries, the queue listing, threads and the numbers behind the dashboard and metrics.
//! Portable between SQLite and PostgreSQL, like `store`.

use sqlx::{AnyConnection, Row};

use crate::store::{Result, StoreError};

/// A web account.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub region: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub disabled: bool,
}

fn user_row(r: &sqlx::any::AnyRow) -> Result<UserRow> {
    let disabled: i64 = r.try_get("disabled")?;
    Ok(UserRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        role: r.try_get("role")?,
        region: r.try_get("region")?,
        password_hash: r.try_get("password_hash")?,
        disabled: disabled != 0,
    })
}

const USER_COLUMNS: &str = "id, name, role, region, password_hash, disabled";

pub async fn user_by_name(conn: &mut AnyConnection, name: &str) -> Result<Option<UserRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM web_users WHERE name = $1"
    )))
    .bind(name)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(user_row).transpose()
}

/// Adds an account; `Corrupt` when the name is taken.
pub async fn insert_user(
    conn: &mut AnyConnection,
    name: &str,
    role: &str,
    region: Option<&str>,
    password_hash: &str,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO web_users (name, role, region, password_hash, disabled, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(role)
    .bind(region)
    .bind(password_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    match row {
        Some(r) => Ok(r.try_get("id")?),
        None => Err(StoreError::Corrupt(format!("user `{name}` exists already"))),
    }
}

/// Sets a new password hash (and enables the account); `false` when there is no such user.
pub async fn set_password(conn: &mut AnyConnection, name: &str, hash: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE web_users SET password_hash = $1, disabled = 0 WHERE name = $2")
        .bind(hash)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    delete_sessions_of(conn, name).await?;
    Ok(done.rows_affected() > 0)
}

/// Disables an account and ends its sessions; `false` when there is no such user.
pub async fn disable_user(conn: &mut AnyConnection, name: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE web_users SET disabled = 1 WHERE name = $1")
        .bind(name)
        .execute(&mut *conn)
        .await?;
    delete_sessions_of(conn, name).await?;
    Ok(done.rows_affected() > 0)
}

async fn delete_sessions_of(conn: &mut AnyConnection, name: &str) -> Result<()> {
    sqlx::query(
        "DELETE FROM web_sessions WHERE user_id IN (SELECT id FROM web_users WHERE name = $1)",
    )
    .bind(name)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO web_sessions (token_hash, user_id, csrf, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The live session with this token hash and its (enabled) user, with the CSRF token.
pub async fn session_user(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<(UserRow, String)>> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.role, u.region, u.password_hash, u.disabled, s.csrf \
         FROM web_sessions s JOIN web_users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    match row {
        Some(r) => Ok(Some((user_row(&r)?, r.try_get("csrf")?))),
        None => Ok(None),
    }
}

pub async fn delete_session(conn: &mut AnyConnection, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM web_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Reserves a sign-in attempt for `name_key` (a fingerprint of the name, never the name
/// itself: a password typed in the name field must not be stored) from `ip`, counted as a
/// failure until [`settle_login_attempt`]; returns its id. Reserving before counting makes
/// the limit atomic: of attempts racing each other, the k-th to commit counts at least k.
pub async fn reserve_login_attempt(
    conn: &mut AnyConnection,
    name_key: &str,
    ip: &str,
    now: i64,
) -> Result<i64> {
    // old attempts are of no use
    sqlx::query("DELETE FROM web_login_attempts WHERE at < $1")
        .bind(now - 86_400)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query(
        "INSERT INTO web_login_attempts (name, ip, ok, at) VALUES ($1, $2, 0, $3) RETURNING id",
    )
    .bind(name_key)
    .bind(ip)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Settles a reserved attempt: `Some(true)` a success, `Some(false)` a failed check (kept as
/// a failure), `None` not checked at all (refused by the limit: removed, so refusals do not
/// extend the delay).
pub async fn settle_login_attempt(
    conn: &mut AnyConnection,
    id: i64,
    checked: Option<bool>,
) -> Result<()> {
    let sql = match checked {
        Some(true) => "UPDATE web_login_attempts SET ok = 1 WHERE id = $1",
        Some(false) => return Ok(()),
        None => "DELETE FROM web_login_attempts WHERE id = $1",
    };
    sqlx::query(sql).bind(id).execute(conn).await?;
    Ok(())
}

/// For the attempt `id`: the failures for this name key and address since `since` and after
/// the last success (this attempt included), and the time of the latest failure other than
/// this one.
pub async fn recent_failures(
    conn: &mut AnyConnection,
    name_key: &str,
    ip: &str,
    since: i64,
    id: i64,
) -> Result<(i64, Option<i64>)> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, MAX(CASE WHEN id <> $4 THEN at END) AS last \
         FROM web_login_attempts WHERE name = $1 AND ip = $2 AND ok = 0 \
         AND at >= $3 AND id >= COALESCE((SELECT MAX(id) FROM web_login_attempts \
         WHERE name = $1 AND ip = $2 AND ok = 1), 0)",
    )
    .bind(name_key)
    .bind(ip)
    .bind(since)
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok((row.try_get("n")?, row.try_get("last")?))
}

/// Marks on an enquiry (`answered_elsewhere`, …).
pub async fn marks(conn: &mut AnyConnection, enquiry_id: i64) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT mark FROM web_enquiry_marks WHERE enquiry_id = $1")
        .bind(enquiry_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get("mark")?))
        .collect::<Result<_>>()
}

/// Every enquiry carrying a mark.
pub async fn marked(conn: &mut AnyConnection, mark: &str) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT enquiry_id FROM web_enquiry_marks WHERE mark = $1")
        .bind(mark)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get("enquiry_id")?))
        .collect::<Result<_>>()
}

pub async fn add_mark(
    conn: &mut AnyConnection,
    enquiry_id: i64,
    mark: &str,
    actor: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO web_enquiry_marks (enquiry_id, mark, actor, at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (enquiry_id, mark) DO NOTHING",
    )
    .bind(enquiry_id)
    .bind(mark)
    .bind(actor)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sends an enquiry to another region (`None`: the admin team).
pub async fn set_region(
    conn: &mut AnyConnection,
    enquiry_id: i64,
    region: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE enquiries SET region = $1 WHERE id = $2")
        .bind(region)
        .bind(enquiry_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// One line of the queue: no raw message, the text cut short.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueueRow {
    pub id: i64,
    pub channel: String,
    pub sender: String,
    pub sender_name: Option<String>,
    pub subject: Option<String>,
    pub snippet: String,
    pub received_at: i64,
    pub decision: String,
    pub confidence: f64,
    pub region: Option<String>,
    pub status: String,
    pub thread_id: i64,
}

const QUEUE_COLUMNS: &str = "id, channel, sender, sender_name, subject, cleaned_text, \
    received_at, decision, confidence, region, status, COALESCE(thread_id, id) AS thread_id";

/// A [`QueueRow`] from a row of [`QUEUE_COLUMNS`], its snippet made from the cleaned text.
fn queue_row(r: &sqlx::any::AnyRow, snippet: impl FnOnce(String) -> String) -> Result<QueueRow> {
    Ok(QueueRow {
        id: r.try_get("id")?,
        channel: r.try_get("channel")?,
        sender: r.try_get("sender")?,
        sender_name: r.try_get("sender_name")?,
        subject: r.try_get("subject")?,
        snippet: snippet(r.try_get("cleaned_text")?),
        received_at: r.try_get("received_at")?,
        decision: r.try_get("decision")?,
        confidence: r.try_get("confidence")?,
        region: r.try_get("region")?,
        status: r.try_get("status")?,
        thread_id: r.try_get("thread_id")?,
    })
}

/// Enquiries whose sender, subject or words contain `search` (all when empty), limited to
/// routed enquiries of `lead_region` when set. Newest first.
pub async fn queue_rows(
    conn: &mut AnyConnection,
    search: &str,
    lead_region: Option<&str>,
) -> Result<Vec<QueueRow>> {
    let mut sql = format!("SELECT {QUEUE_COLUMNS} FROM enquiries WHERE purged_at IS NULL");
    let pattern = format!(
        "%{}%",
        search
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let mut n = 0;
    if !search.trim().is_empty() {
        n += 1;
        sql.push_str(&format!(
            " AND (LOWER(sender) LIKE ${n} ESCAPE '\\' OR LOWER(COALESCE(subject, '')) LIKE ${n} \
             ESCAPE '\\' OR LOWER(cleaned_text) LIKE ${n} ESCAPE '\\' \
             OR LOWER(COALESCE(sender_name, '')) LIKE ${n} ESCAPE '\\')"
        ));
    }
    if lead_region.is_some() {
        n += 1;
        sql.push_str(&format!(
            " AND (decision = 'route' OR status = 'routed') AND region = ${n}"
        ));
    }
    sql.push_str(" ORDER BY received_at DESC, id DESC");
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    if !search.trim().is_empty() {
        query = query.bind(pattern);
    }
    if let Some(region) = lead_region {
        query = query.bind(region.to_string());
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|r| queue_row(r, |text| shorten(&text, 140)))
        .collect()
}

/// Cuts `text` to at most `max` characters on one line.
pub fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// The enquiries of a thread, oldest first.
pub async fn thread(conn: &mut AnyConnection, thread_id: i64) -> Result<Vec<QueueRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {QUEUE_COLUMNS} FROM enquiries WHERE COALESCE(thread_id, id) = $1 ORDER BY id"
    )))
    .bind(thread_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| queue_row(r, |text| text)).collect()
}

/// Outbox rows by status: `(status, count)`.
pub async fn outbox_counts(conn: &mut AnyConnection) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect()
}

/// Enquiries per `(day, channel, decision)` since `since` (day = Unix seconds / 86400).
pub async fn volumes(
    conn: &mut AnyConnection,
    since: i64,
) -> Result<Vec<(i64, String, String, i64)>> {
    let rows = sqlx::query(
        "SELECT received_at / 86400 AS day, channel, decision, COUNT(*) AS n FROM enquiries \
         WHERE received_at >= $1 GROUP BY received_at / 86400, channel, decision \
         ORDER BY day",
    )
    .bind(since)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("day")?,
                r.try_get("channel")?,
                r.try_get("decision")?,
                r.try_get("n")?,
            ))
        })
        .collect()
}

/// Seconds from arrival to our first sent reply, for enquiries answered since `since`.
pub async fn reply_delays(conn: &mut AnyConnection, since: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT MIN(o.sent_at) - e.received_at AS delay FROM outbox o \
         JOIN enquiries e ON e.id = o.enquiry_id \
         WHERE o.kind = 'reply' AND o.status = 'sent' AND o.sent_at IS NOT NULL \
         AND e.received_at >= $1 GROUP BY e.id, e.received_at",
    )
    .bind(since)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok(r.try_get("delay")?)).collect()
}

/// Subjects or opening words of routed enquiries since `since`, newest first (the FAQ's gaps).
pub async fn routed_texts(conn: &mut AnyConnection, since: i64) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT subject, cleaned_text FROM enquiries WHERE decision = 'route' \
         AND received_at >= $1 AND purged_at IS NULL ORDER BY id DESC LIMIT 2000",
    )
    .bind(since)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let subject: Option<String> = r.try_get("subject")?;
            let text: String = r.try_get("cleaned_text")?;
            // the first real question, without the sender's context before it
            let first = super::kb::questions_only(&text).into_iter().next();
            Ok(first
                .or(subject)
                .unwrap_or_else(|| "(no words)".to_string()))
        })
        .collect()
}

/// The first question (else the subject) of each routed enquiry since `since`, newest first,
/// at most `limit`: what the dashboard groups into topics.
pub async fn routed_questions(
    conn: &mut AnyConnection,
    since: i64,
    limit: i64,
) -> Result<Vec<crate::topics::Question>> {
    let rows = sqlx::query(
        "SELECT id, subject, cleaned_text FROM enquiries WHERE decision = 'route' \
         AND received_at >= $1 AND purged_at IS NULL ORDER BY id DESC LIMIT $2",
    )
    .bind(since)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let subject: Option<String> = r.try_get("subject")?;
            let text: String = r.try_get("cleaned_text")?;
            let first = super::kb::questions_only(&text).into_iter().next();
            Ok(crate::topics::Question {
                enquiry: id,
                text: first
                    .or(subject)
                    .unwrap_or_else(|| "(no words)".to_string()),
            })
        })
        .filter(|q: &Result<crate::topics::Question>| {
            q.as_ref().map_or(true, |q| q.text != "(no words)")
        })
        .collect()
}

/// Enquiries whose right decision an admin settled, newest first, at most `limit`: `(id,
/// Some(entry))` for an approved answer from `entry`, `(id, None)` for one rejected or
/// re-routed (it should have been routed). Purged enquiries are left out.
pub async fn settled_enquiries(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<(i64, Option<String>)>> {
    let rows = sqlx::query(
        "SELECT e.id, e.faq, e.decision, \
           (SELECT COUNT(*) FROM audit_log a WHERE a.enquiry_id = e.id AND a.action IN ('reject', 'reroute')) AS wrong, \
           (SELECT COUNT(*) FROM audit_log a WHERE a.enquiry_id = e.id AND a.action = 'approve') AS approved \
         FROM enquiries e WHERE e.purged_at IS NULL \
           AND EXISTS (SELECT 1 FROM audit_log a WHERE a.enquiry_id = e.id AND a.action IN ('approve', 'reject', 'reroute')) \
         ORDER BY e.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let faq: String = r.try_get("faq")?;
        let decision: String = r.try_get("decision")?;
        let wrong: i64 = r.try_get("wrong")?;
        let approved: i64 = r.try_get("approved")?;
        if wrong > 0 {
            out.push((id, None));
        } else if approved > 0 && decision == "answer" {
            let first = serde_json::from_str::<Vec<String>>(&faq)
                .ok()
                .and_then(|f| f.into_iter().next());
            if let Some(entry) = first {
                out.push((id, Some(entry)));
            }
        }
    }
    Ok(out)
}

/// Audit entries with `action`, oldest first.
pub async fn audit_with_action(
    conn: &mut AnyConnection,
    action: &str,
) -> Result<Vec<crate::store::AuditRow>> {
    let rows = sqlx::query(
        "SELECT id, enquiry_id, actor, action, detail, at FROM audit_log WHERE action = $1 ORDER BY id",
    )
    .bind(action)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok(crate::store::AuditRow::from_row(r)?))
        .collect()
}

/// The Discord bot's feedback clicks (`discord_feedback` audit entries, detail `helped` or
/// `still_need_help`) since `since`: `(helped, still_need_help)`.
pub async fn feedback_counts(conn: &mut AnyConnection, since: i64) -> Result<(i64, i64)> {
    let rows = sqlx::query(
        "SELECT detail, COUNT(*) AS n FROM audit_log WHERE action = $1 AND at >= $2 \
         GROUP BY detail",
    )
    .bind(crate::chat::store::AUDIT_FEEDBACK)
    .bind(since)
    .fetch_all(conn)
    .await?;
    let (mut helped, mut still) = (0, 0);
    for r in &rows {
        let detail: String = r.try_get("detail")?;
        let n: i64 = r.try_get("n")?;
        match detail.as_str() {
            crate::chat::store::FEEDBACK_HELPED => helped += n,
            crate::chat::store::FEEDBACK_STILL_NEED_HELP => still += n,
            _ => {}
        }
    }
    Ok((helped, still))
}
