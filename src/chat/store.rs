//! What the bot keeps: each chat question as an enquiry (keyed by its Discord message or
//! interaction id, so a replayed event is recognised), which leads-channel post belongs to which
//! enquiry, the answers sent and the trainees' feedback.
//!
//! [`ChatStore`] is the seam to the service's database; [`MemoryChatStore`] serves tests and
//! runs without a database.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::{ChatError, Result};
use crate::DecisionKind;

/// A chat question as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatEnquiry {
    /// The Discord message id, or the interaction id for the slash command.
    pub external_id: String,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    /// The message to reply to; `None` for slash commands (later answers go by direct message).
    pub reply_to: Option<u64>,
    pub author_id: u64,
    pub author_name: String,
    pub text: String,
    pub decision: DecisionKind,
    pub confidence: f32,
    pub faq: Vec<String>,
    pub region: Option<String>,
    pub reason: String,
}

/// A recorded enquiry: the store's id and the external id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnquiryRef {
    pub id: i64,
    pub external_id: String,
}

/// Who answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerBy {
    /// The bot, from these FAQ entries.
    Bot { faq: Vec<String> },
    /// A lead (or admin) replying in the leads channel.
    Lead { user_id: u64, name: String },
}

/// Storage the bot needs. Implementations must make `record_enquiry` atomic per external id:
/// of two concurrent calls with the same id exactly one gets `Some`.
#[async_trait]
pub trait ChatStore: Send + Sync {
    /// Records a new enquiry; `None` when this external id was recorded before (a duplicate).
    async fn record_enquiry(&self, enquiry: &ChatEnquiry) -> Result<Option<EnquiryRef>>;
    /// The enquiry with this external id.
    async fn enquiry(&self, external_id: &str) -> Result<Option<ChatEnquiry>>;
    /// Remembers that a leads-channel message belongs to this enquiry.
    async fn link_lead_post(&self, lead_message_id: u64, external_id: &str) -> Result<()>;
    /// The enquiry a leads-channel message (or thread started from it) belongs to.
    async fn enquiry_for_lead_post(&self, lead_message_id: u64) -> Result<Option<ChatEnquiry>>;
    /// Whether the enquiry has been posted to the leads.
    async fn is_routed(&self, external_id: &str) -> Result<bool>;
    /// Whether a lead's answer may still go out (the status state machine of
    /// `service::actions`: not once the enquiry is sent or closed). Default: yes.
    async fn may_answer(&self, _external_id: &str) -> Result<bool> {
        Ok(true)
    }
    /// Stores an answer that was sent to the trainee.
    async fn record_answer(&self, external_id: &str, by: &AnswerBy, text: &str) -> Result<()>;
    /// Stores a "this helped" (`true`) or "still need help" (`false`) click.
    async fn record_feedback(&self, external_id: &str, helped: bool, user_id: u64) -> Result<()>;
    /// The newest message id recorded in a channel, to catch up after a gateway outage.
    async fn latest_message_id(&self, channel_id: u64) -> Result<Option<u64>>;
    /// Marks an event as handled (a lead's reply `lead:<message id>`, an edit
    /// `edit:<message id>:<timestamp>`, a feedback click `helped:<external id>`), tied to an
    /// enquiry when given. `false` when the key was claimed before: do not act twice.
    async fn claim(&self, key: &str, external_id: Option<&str>) -> Result<bool>;
    /// The enquiry a claimed key was tied to (e.g. which question a lead's reply answered).
    async fn claimed(&self, key: &str) -> Result<Option<String>>;
    /// The newest leads-channel message id the bot posted or relayed, to catch up after an
    /// outage.
    async fn latest_leads_activity(&self) -> Result<Option<u64>>;
    /// Keeps a problem an operator must see (a failed send, a refused token), tied to an
    /// enquiry when given. `config check` lists those since the last connection.
    async fn record_problem(&self, external_id: Option<&str>, problem: &str) -> Result<()>;
    /// Notes a successful connection (READY): earlier problems are no longer reported.
    async fn record_connected(&self) -> Result<()>;
}

/// One recorded feedback click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub external_id: String,
    pub helped: bool,
    pub user_id: u64,
}

/// One recorded answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub external_id: String,
    pub by: AnswerBy,
    pub text: String,
}

#[derive(Debug, Default)]
struct Inner {
    enquiries: Vec<ChatEnquiry>,
    by_external: HashMap<String, usize>,
    lead_posts: HashMap<u64, String>,
    answers: Vec<Answer>,
    feedback: Vec<Feedback>,
    claims: HashMap<String, Option<String>>,
    problems: Vec<String>,
    lead_activity: Option<u64>,
}

/// A [`ChatStore`] in memory.
#[derive(Debug, Default)]
pub struct MemoryChatStore {
    inner: Mutex<Inner>,
}

impl MemoryChatStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner>> {
        self.inner
            .lock()
            .map_err(|_| ChatError::Store("memory store lock poisoned".into()))
    }

    /// Every recorded enquiry, oldest first.
    pub fn enquiries(&self) -> Vec<ChatEnquiry> {
        self.lock().map(|i| i.enquiries.clone()).unwrap_or_default()
    }

    /// Every recorded answer, oldest first.
    pub fn answers(&self) -> Vec<Answer> {
        self.lock().map(|i| i.answers.clone()).unwrap_or_default()
    }

    /// Every recorded feedback click, oldest first.
    pub fn feedback(&self) -> Vec<Feedback> {
        self.lock().map(|i| i.feedback.clone()).unwrap_or_default()
    }

    /// Every recorded problem, oldest first.
    pub fn problems(&self) -> Vec<String> {
        self.lock().map(|i| i.problems.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl ChatStore for MemoryChatStore {
    async fn record_enquiry(&self, enquiry: &ChatEnquiry) -> Result<Option<EnquiryRef>> {
        let mut inner = self.lock()?;
        if inner.by_external.contains_key(&enquiry.external_id) {
            return Ok(None);
        }
        let index = inner.enquiries.len();
        inner.enquiries.push(enquiry.clone());
        inner.by_external.insert(enquiry.external_id.clone(), index);
        Ok(Some(EnquiryRef {
            id: index as i64 + 1,
            external_id: enquiry.external_id.clone(),
        }))
    }

    async fn enquiry(&self, external_id: &str) -> Result<Option<ChatEnquiry>> {
        let inner = self.lock()?;
        Ok(inner
            .by_external
            .get(external_id)
            .and_then(|&i| inner.enquiries.get(i))
            .cloned())
    }

    async fn link_lead_post(&self, lead_message_id: u64, external_id: &str) -> Result<()> {
        let mut inner = self.lock()?;
        inner
            .lead_posts
            .insert(lead_message_id, external_id.to_string());
        inner.lead_activity = inner.lead_activity.max(Some(lead_message_id));
        Ok(())
    }

    async fn enquiry_for_lead_post(&self, lead_message_id: u64) -> Result<Option<ChatEnquiry>> {
        let external = self.lock()?.lead_posts.get(&lead_message_id).cloned();
        match external {
            Some(id) => self.enquiry(&id).await,
            None => Ok(None),
        }
    }

    async fn is_routed(&self, external_id: &str) -> Result<bool> {
        Ok(self.lock()?.lead_posts.values().any(|e| e == external_id))
    }

    async fn record_answer(&self, external_id: &str, by: &AnswerBy, text: &str) -> Result<()> {
        self.lock()?.answers.push(Answer {
            external_id: external_id.to_string(),
            by: by.clone(),
            text: text.to_string(),
        });
        Ok(())
    }

    async fn record_feedback(&self, external_id: &str, helped: bool, user_id: u64) -> Result<()> {
        self.lock()?.feedback.push(Feedback {
            external_id: external_id.to_string(),
            helped,
            user_id,
        });
        Ok(())
    }

    async fn latest_message_id(&self, channel_id: u64) -> Result<Option<u64>> {
        Ok(self
            .lock()?
            .enquiries
            .iter()
            .filter(|e| e.channel_id == channel_id && e.reply_to.is_some())
            .filter_map(|e| e.external_id.parse::<u64>().ok())
            .max())
    }

    async fn claim(&self, key: &str, external_id: Option<&str>) -> Result<bool> {
        let mut inner = self.lock()?;
        if inner.claims.contains_key(key) {
            return Ok(false);
        }
        inner
            .claims
            .insert(key.to_string(), external_id.map(String::from));
        if let Some(id) = key
            .strip_prefix("lead:")
            .and_then(|r| r.parse::<u64>().ok())
        {
            inner.lead_activity = inner.lead_activity.max(Some(id));
        }
        Ok(true)
    }

    async fn claimed(&self, key: &str) -> Result<Option<String>> {
        Ok(self.lock()?.claims.get(key).cloned().flatten())
    }

    async fn latest_leads_activity(&self) -> Result<Option<u64>> {
        Ok(self.lock()?.lead_activity)
    }

    async fn record_problem(&self, _external_id: Option<&str>, problem: &str) -> Result<()> {
        self.lock()?.problems.push(problem.to_string());
        Ok(())
    }

    async fn record_connected(&self) -> Result<()> {
        self.lock()?.problems.clear();
        Ok(())
    }
}

/// What the enquiries table cannot hold in its own columns, kept as JSON in `raw`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct ChatMeta {
    channel_id: u64,
    guild_id: Option<u64>,
    reply_to: Option<u64>,
    author_id: u64,
}

/// Audit actions written by the bot.
pub const AUDIT_LEAD_POST: &str = "discord_lead_post";
pub const AUDIT_FEEDBACK: &str = "discord_feedback";
pub const AUDIT_ANSWER: &str = "discord_answer";
/// An event handled once (lead reply, edit, feedback): detail is the claim key.
pub const AUDIT_CLAIM: &str = "discord_event";
/// A problem for an operator: detail is the description.
pub const AUDIT_PROBLEM: &str = "discord_problem";
/// A successful gateway connection.
pub const AUDIT_CONNECTED: &str = "discord_connected";
/// The detail of an [`AUDIT_FEEDBACK`] entry for "this helped".
pub const FEEDBACK_HELPED: &str = "helped";
/// The detail of an [`AUDIT_FEEDBACK`] entry for "still need help".
pub const FEEDBACK_STILL_NEED_HELP: &str = "still_need_help";
const ACTOR: &str = "discord";
/// The store's channel name for chat enquiries.
pub const CHANNEL: &str = "chat";

/// A [`ChatStore`] over the service's database (`crate::store`): enquiries in `enquiries`
/// (channel `chat`, external id = message id, Discord ids as JSON in `raw`), answers as sent
/// drafts (so the web app can turn a lead's answer into an FAQ entry), lead posts and feedback
/// in the audit log.
#[derive(Debug, Clone)]
pub struct SqlChatStore {
    store: crate::store::Store,
}

fn db(e: impl std::fmt::Display) -> ChatError {
    ChatError::Store(e.to_string())
}

impl SqlChatStore {
    pub fn new(store: crate::store::Store) -> Self {
        SqlChatStore { store }
    }

    async fn id_of(&self, external_id: &str) -> Result<Option<i64>> {
        let mut conn = self.store.conn().await.map_err(db)?;
        crate::store::find_by_external_id(&mut conn, CHANNEL, external_id)
            .await
            .map_err(db)
    }

    fn to_chat(row: crate::store::EnquiryRow) -> Option<ChatEnquiry> {
        let meta: ChatMeta = serde_json::from_slice(row.raw.as_deref()?).ok()?;
        let decision = match row.decision.as_str() {
            "answer" => DecisionKind::Answer,
            "route" => DecisionKind::Route,
            _ => DecisionKind::Ignore,
        };
        Some(ChatEnquiry {
            external_id: row.external_id,
            channel_id: meta.channel_id,
            guild_id: meta.guild_id,
            reply_to: meta.reply_to,
            author_id: meta.author_id,
            author_name: row.sender_name.unwrap_or_default(),
            text: row.cleaned_text,
            decision,
            confidence: row.confidence as f32,
            faq: serde_json::from_str(&row.faq).unwrap_or_default(),
            region: row.region,
            reason: row.reason,
        })
    }
}

#[async_trait]
impl ChatStore for SqlChatStore {
    async fn record_enquiry(&self, e: &ChatEnquiry) -> Result<Option<EnquiryRef>> {
        use crate::store::{audit, insert_enquiry, now, NewEnquiry, Status};
        let meta = serde_json::to_vec(&ChatMeta {
            channel_id: e.channel_id,
            guild_id: e.guild_id,
            reply_to: e.reply_to,
            author_id: e.author_id,
        })
        .map_err(db)?;
        let faq = serde_json::to_string(&e.faq).map_err(db)?;
        let sender = format!("discord:{}", e.author_id);
        // An answer is `sent` once it went out (record_answer); until then an admin should look.
        let status = match e.decision {
            DecisionKind::Route => Status::Routed,
            DecisionKind::Answer => Status::NeedsAttention,
            DecisionKind::Ignore => Status::Ignored,
        };
        let now = now();
        let mut tx = self.store.begin().await.map_err(db)?;
        let id = insert_enquiry(
            &mut tx,
            &NewEnquiry {
                channel: CHANNEL,
                external_id: &e.external_id,
                thread_id: None,
                sender: &sender,
                sender_name: Some(&e.author_name),
                subject: None,
                cleaned_text: &e.text,
                raw: Some(&meta),
                attachments: "[]",
                received_at: now,
                decision: e.decision.as_str(),
                confidence: f64::from(e.confidence),
                faq: &faq,
                region: e.region.as_deref(),
                reason: &e.reason,
                status,
                parse_problem: None,
            },
        )
        .await
        .map_err(db)?;
        let Some(id) = id else { return Ok(None) };
        let detail = format!("discord message in channel {}", e.channel_id);
        audit(&mut tx, Some(id), ACTOR, "ingest", &detail, now)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(Some(EnquiryRef {
            id,
            external_id: e.external_id.clone(),
        }))
    }

    async fn enquiry(&self, external_id: &str) -> Result<Option<ChatEnquiry>> {
        let Some(id) = self.id_of(external_id).await? else {
            return Ok(None);
        };
        let mut conn = self.store.conn().await.map_err(db)?;
        let row = crate::store::get_enquiry(&mut conn, id).await.map_err(db)?;
        Ok(row.and_then(Self::to_chat))
    }

    async fn link_lead_post(&self, lead_message_id: u64, external_id: &str) -> Result<()> {
        let id = self.id_of(external_id).await?;
        let mut conn = self.store.conn().await.map_err(db)?;
        crate::store::audit(
            &mut conn,
            id,
            ACTOR,
            AUDIT_LEAD_POST,
            &lead_message_id.to_string(),
            crate::store::now(),
        )
        .await
        .map_err(db)
    }

    async fn enquiry_for_lead_post(&self, lead_message_id: u64) -> Result<Option<ChatEnquiry>> {
        use sqlx::Row;
        let external: Option<String> = {
            let mut conn = self.store.conn().await.map_err(db)?;
            let row = sqlx::query(
                "SELECT e.external_id FROM audit_log a JOIN enquiries e ON e.id = a.enquiry_id \
                 WHERE a.action = $1 AND a.detail = $2 AND e.channel = $3 LIMIT 1",
            )
            .bind(AUDIT_LEAD_POST)
            .bind(lead_message_id.to_string())
            .bind(CHANNEL)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
            row.map(|r| r.try_get("external_id"))
                .transpose()
                .map_err(db)?
        };
        match external {
            Some(ext) => self.enquiry(&ext).await,
            None => Ok(None),
        }
    }

    async fn may_answer(&self, external_id: &str) -> Result<bool> {
        use crate::service::actions::{allowed, Action, Stage};
        let Some(id) = self.id_of(external_id).await? else {
            return Ok(false);
        };
        let mut conn = self.store.conn().await.map_err(db)?;
        let Some(e) = crate::store::get_enquiry(&mut conn, id).await.map_err(db)? else {
            return Ok(false);
        };
        let latest = crate::store::latest_draft(&mut conn, id)
            .await
            .map_err(db)?;
        Ok(e.purged_at.is_none()
            && allowed(Stage::of(&e.status, latest.as_ref()), Action::LeadAnswer))
    }

    async fn is_routed(&self, external_id: &str) -> Result<bool> {
        let Some(id) = self.id_of(external_id).await? else {
            return Ok(false);
        };
        let mut conn = self.store.conn().await.map_err(db)?;
        let row =
            sqlx::query("SELECT id FROM audit_log WHERE enquiry_id = $1 AND action = $2 LIMIT 1")
                .bind(id)
                .bind(AUDIT_LEAD_POST)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
        Ok(row.is_some())
    }

    async fn record_answer(&self, external_id: &str, by: &AnswerBy, text: &str) -> Result<()> {
        use crate::store::{audit, insert_draft, mark_draft_sent, now, set_status, Status};
        let Some(id) = self.id_of(external_id).await? else {
            return Err(ChatError::Store(format!("no chat enquiry {external_id}")));
        };
        let (editor, detail) = match by {
            AnswerBy::Bot { faq } => (
                "fpt-assist".to_string(),
                format!("FAQ answer: {}", faq.join(", ")),
            ),
            AnswerBy::Lead { user_id, name } => (
                format!("discord:{user_id}"),
                format!("answer from {name} (discord:{user_id}) relayed to the trainee"),
            ),
        };
        let now = now();
        let mut tx = self.store.begin().await.map_err(db)?;
        if matches!(by, AnswerBy::Lead { .. }) {
            // the state machine: a lead's answer never reopens a sent or closed enquiry
            let e = crate::service::actions::lock_enquiry(&mut tx, id)
                .await
                .map_err(|e| ChatError::Store(e.to_string()))?;
            crate::service::actions::check(
                &mut tx,
                &e,
                crate::service::actions::Action::LeadAnswer,
            )
            .await
            .map_err(|e| ChatError::Store(e.to_string()))?;
        }
        let version = insert_draft(&mut tx, id, text, None, &editor, now)
            .await
            .map_err(db)?;
        mark_draft_sent(&mut tx, id, version, now)
            .await
            .map_err(db)?;
        set_status(&mut tx, id, Status::Sent).await.map_err(db)?;
        audit(&mut tx, Some(id), &editor, AUDIT_ANSWER, &detail, now)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn record_feedback(&self, external_id: &str, helped: bool, user_id: u64) -> Result<()> {
        let id = self.id_of(external_id).await?;
        let mut conn = self.store.conn().await.map_err(db)?;
        crate::store::audit(
            &mut conn,
            id,
            &format!("discord:{user_id}"),
            AUDIT_FEEDBACK,
            if helped {
                FEEDBACK_HELPED
            } else {
                FEEDBACK_STILL_NEED_HELP
            },
            crate::store::now(),
        )
        .await
        .map_err(db)
    }

    async fn latest_message_id(&self, channel_id: u64) -> Result<Option<u64>> {
        use sqlx::Row;
        let mut conn = self.store.conn().await.map_err(db)?;
        let rows = sqlx::query(
            "SELECT external_id, raw FROM enquiries WHERE channel = $1 ORDER BY id DESC LIMIT 200",
        )
        .bind(CHANNEL)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let raw: Option<Vec<u8>> = r.try_get("raw").ok()?;
                let meta: ChatMeta = serde_json::from_slice(raw.as_deref()?).ok()?;
                let ext: String = r.try_get("external_id").ok()?;
                (meta.channel_id == channel_id && meta.reply_to.is_some())
                    .then(|| ext.parse::<u64>().ok())
                    .flatten()
            })
            .max())
    }

    async fn claim(&self, key: &str, external_id: Option<&str>) -> Result<bool> {
        let id = match external_id {
            Some(ext) => self.id_of(ext).await?,
            None => None,
        };
        let mut tx = self.store.begin().await.map_err(db)?;
        let seen =
            sqlx::query("SELECT id FROM audit_log WHERE action = $1 AND detail = $2 LIMIT 1")
                .bind(AUDIT_CLAIM)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        if seen.is_some() {
            return Ok(false);
        }
        crate::store::audit(&mut tx, id, ACTOR, AUDIT_CLAIM, key, crate::store::now())
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn claimed(&self, key: &str) -> Result<Option<String>> {
        use sqlx::Row;
        let mut conn = self.store.conn().await.map_err(db)?;
        let row = sqlx::query(
            "SELECT e.external_id FROM audit_log a JOIN enquiries e ON e.id = a.enquiry_id \
             WHERE a.action = $1 AND a.detail = $2 LIMIT 1",
        )
        .bind(AUDIT_CLAIM)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
        row.map(|r| r.try_get("external_id"))
            .transpose()
            .map_err(db)
    }

    async fn latest_leads_activity(&self) -> Result<Option<u64>> {
        use sqlx::Row;
        let mut conn = self.store.conn().await.map_err(db)?;
        let rows = sqlx::query(
            "SELECT action, detail FROM audit_log WHERE action = $1 OR (action = $2 AND detail LIKE 'lead:%') \
             ORDER BY id DESC LIMIT 50",
        )
        .bind(AUDIT_LEAD_POST)
        .bind(AUDIT_CLAIM)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let detail: String = r.try_get("detail").ok()?;
                detail.trim_start_matches("lead:").parse::<u64>().ok()
            })
            .max())
    }

    async fn record_problem(&self, external_id: Option<&str>, problem: &str) -> Result<()> {
        let id = match external_id {
            Some(ext) => self.id_of(ext).await?,
            None => None,
        };
        let mut tx = self.store.begin().await.map_err(db)?;
        crate::store::audit(
            &mut tx,
            id,
            ACTOR,
            AUDIT_PROBLEM,
            problem,
            crate::store::now(),
        )
        .await
        .map_err(db)?;
        // A failed send puts the enquiry in front of an admin.
        if let Some(id) = id {
            crate::store::set_status(&mut tx, id, crate::store::Status::NeedsAttention)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn record_connected(&self) -> Result<()> {
        let mut conn = self.store.conn().await.map_err(db)?;
        crate::store::audit(
            &mut conn,
            None,
            ACTOR,
            AUDIT_CONNECTED,
            "",
            crate::store::now(),
        )
        .await
        .map_err(db)
    }
}

/// The Discord problems recorded since the bot last connected, newest first (at most `limit`),
/// for `config check` and the web app's alert. Two look-ups on the `audit_action` index (the
/// last connection, then the problems after it): cheap however long the audit log grows.
pub async fn recent_problems(store: &crate::store::Store, limit: usize) -> Result<Vec<String>> {
    use sqlx::Row;
    let mut conn = store.conn().await.map_err(db)?;
    let connected: Option<i64> =
        sqlx::query("SELECT id FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1")
            .bind(AUDIT_CONNECTED)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
            .map(|r| r.try_get("id"))
            .transpose()
            .map_err(db)?;
    let rows = sqlx::query(
        "SELECT detail FROM audit_log WHERE action = $1 AND id > $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(AUDIT_PROBLEM)
    .bind(connected.unwrap_or(0))
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| r.try_get("detail").map_err(db))
        .collect()
}
