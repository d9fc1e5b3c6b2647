//! Ingest: raw messages → parsed, triaged and stored with their decisions, drafts and outbox
//! rows. The same message twice (same Message-ID, or the same SHA-256 of the raw bytes when it
//! has none) is stored once; follow-ups join their thread.
//!
//! Group commit: parsing and triage run ahead on the ingestor's own threads, several messages at once,
//! outside any transaction; up to [`BATCH_MAX`] prepared messages (or what arrives within
//! [`BATCH_WAIT_MS`] of the first) are then stored in one transaction, so SQLite syncs once per
//! group instead of once per message. Callers (Maildir, IMAP, Graph) mark a message seen only
//! after the call that returned its outcome, i.e. after its group committed. A group that fails
//! is rolled back and its messages stored one transaction each: a poison message gets its own
//! error, the others are stored. A crash mid-group commits none of it; the messages are read
//! again and the duplicate check (inside the same transaction, so it also sees earlier messages
//! of the group) stores each once.
//!
//! What is queued: routed → a notification to the lead and an acknowledgement to the sender
//! (first message of a thread only, at most one per sender per period); answered → a draft
//! waiting for approval; ignored or unreadable → nothing.
//!
//! A reply from a regional lead or the admin team (an address in `faq/regions.toml`) whose
//! In-Reply-To/References name one of our lead notifications is not an enquiry: once
//! `lead_auth` has verified it (the notification's HMAC token for that enquiry and lead, and
//! the trusted receiving server's Authentication-Results passing for the lead's domain), its
//! cleaned text becomes the next draft version of the notified enquiry (edited by the lead),
//! which then waits for an admin's approval; no acknowledgement, no notification; once per
//! message. A reply that fails either check, or that answers an enquiry already sent,
//! rejected or closed, is kept as an ordinary message in the thread, flagged
//! (`needs_attention`, with the reason in the audit log), and never reopens anything.
//!
//! Bounds: the header is bounded before parsing (`mail::bound`, changes audited as
//! `headers_cut`); only the last [`MAX_PARENT_IDS`] of a message's References (and its
//! In-Reply-To) are looked up, in one query each for threads and notifications;
//! triage sees at most [`MAX_TRIAGE_SUBJECT_CHARS`] of the subject and
//! [`MAX_TRIAGE_BODY_CHARS`] of the body (the raw message is kept whole), and runs on the
//! ingestor's own threads, never on the async threads.

use std::future::Future;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use sqlx::{AnyConnection, Connection};

use regex::Regex;
use sha2::{Digest, Sha256};

use super::actions::{self, Action};
use super::lead_auth;
use super::{may_mail, Result, ServiceError};
use crate::config::Config;
use crate::draft::Draft;
use crate::enquiry::Enquiry;
use crate::ignore::recalled_subject;
use crate::live::LiveTriage;
use crate::mail::{parse_message, parse_message_as, Sender};
use crate::store::{self, NewEnquiry, NewOutbox, OutboxKind, Status, Store};
use crate::triage::{Decision, DecisionKind, Triage};

/// Who the service acts as in the audit log.
pub const SERVICE_ACTOR: &str = "fpt-assist";

static REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[FPT-(\d{1,18})\]").expect("reference regex is valid"));

/// What happened to one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stored {
        id: i64,
        thread_id: i64,
        status: Status,
    },
    /// Already stored as enquiry `id` (or, for a lead's reply, recorded on enquiry `id`).
    Duplicate { id: i64 },
    /// A lead's reply to a notification, recorded as draft `version` of enquiry `enquiry_id`
    /// (`None` when the reply had no text of its own).
    LeadReply {
        enquiry_id: i64,
        version: Option<i64>,
    },
}

/// Our reference for a thread, as it appears in subjects: `FPT-12`.
pub fn reference(thread_id: i64) -> String {
    format!("FPT-{thread_id}")
}

/// `Re: <subject> [FPT-n]`, without piling up `Re:` or references.
pub fn reply_subject(subject: Option<&str>, thread_id: i64) -> String {
    let subject = subject.map(str::trim).filter(|s| !s.is_empty());
    let base = match subject {
        Some(s) if s.to_ascii_lowercase().starts_with("re:") => s.to_string(),
        Some(s) => format!("Re: {s}"),
        None => "Re: Your enquiry".to_string(),
    };
    let tag = format!("[{}]", reference(thread_id));
    if base.contains(&tag) {
        base
    } else {
        format!("{base} {tag}")
    }
}

/// The id a message is stored under: its Message-ID, or `sha256:<hex>` of its content key
/// when it has none (see `content_key`).
pub fn external_id(enquiry: &Enquiry) -> String {
    match enquiry.message_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => format!("sha256:{}", content_key(enquiry)),
    }
}

/// The id a raw message is stored under: [`external_id`], except for a message with no
/// Message-ID and nothing its sender wrote (no sender, subject or text), or that is no email
/// at all (an image, compressed data, an empty file): content keys would take such files for
/// one another. That one is
/// `raw-sha256:<hex>` of its bytes: a distinct file is never taken for a duplicate.
pub fn stored_id(enquiry: &Enquiry, raw: &[u8]) -> String {
    let has_id = enquiry
        .message_id
        .as_deref()
        .is_some_and(|id| !id.trim().is_empty());
    let says_nothing = enquiry.from.trim().is_empty()
        && enquiry
            .subject
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        && enquiry.body.trim().is_empty();
    let not_mail = enquiry.parse_problem.as_deref() == Some(crate::mail::NOT_MAIL);
    if has_id || !(says_nothing || not_mail) {
        return external_id(enquiry);
    }
    let digest = Sha256::digest(raw);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("raw-sha256:{hex}")
}

/// Loop guards: a message from our own address (after `parse_message_as(.., Sender::From)`
/// still ours), or an automatic acknowledgement replying to a Message-ID of ours, is ignored,
/// whatever triage made of it: never answered, never routed to a lead.
fn ignore_own_mail(config: &Config, enquiry: &Enquiry, mut decision: Decision) -> Decision {
    if let Some(reason) = crate::ignore::own_address_reason(enquiry, |a| config.is_own_address(a)) {
        decision.decision = DecisionKind::Ignore;
        decision.confidence = 1.0;
        decision.faq.clear();
        decision.reason = reason;
    } else if decision.decision != DecisionKind::Ignore
        && replies_to_our_message(config, enquiry)
        && crate::ignore::says_auto_acknowledgement(&decision.cleaned.text)
    {
        // without our [FPT-n] in the subject, In-Reply-To/References still say it is a reply
        decision.decision = DecisionKind::Ignore;
        decision.confidence = 1.0;
        decision.faq.clear();
        decision.reason =
            "automatic acknowledgement of our mail (an organisation's \"we have your message\" reply)"
                .into();
    }
    decision
}

/// Whether a message replies to one of ours: its In-Reply-To or References name a
/// Message-ID we made (`…@<mail.domain>`).
fn replies_to_our_message(config: &Config, enquiry: &Enquiry) -> bool {
    let ours = format!("@{}", config.mail.domain.to_ascii_lowercase());
    enquiry
        .in_reply_to
        .iter()
        .chain(&enquiry.references)
        .any(|id| {
            id.trim()
                .trim_end_matches('>')
                .to_ascii_lowercase()
                .ends_with(&ours)
        })
}

/// How many of a message's References are used (the last ones: the closest ancestors,
/// RFC 5322 §3.6.4). A message with a million IDs costs no more than one with ten.
pub const MAX_PARENT_IDS: usize = 10;
/// The most of a subject triage sees, in characters (RFC 5322 §2.1.1's line limit).
pub const MAX_TRIAGE_SUBJECT_CHARS: usize = 998;
/// The most of a body triage sees, in characters.
pub const MAX_TRIAGE_BODY_CHARS: usize = 64 * 1024;

/// The last [`MAX_PARENT_IDS`] of `references`.
pub fn recent_references(references: &[String]) -> Vec<String> {
    references[references.len().saturating_sub(MAX_PARENT_IDS)..].to_vec()
}

/// What identifies a message apart from its transport: SHA-256 (hex) over the sender, the
/// Date header, the subject and the body text as read. A copy delivered again with another
/// `Received:` or `Delivered-To:` line has the same key; another person's message has not.
pub fn content_key(enquiry: &Enquiry) -> String {
    let mut hash = Sha256::new();
    for part in [
        enquiry.from.trim().to_lowercase().as_str(),
        enquiry.headers.get("Date").unwrap_or("").trim(),
        enquiry.subject.as_deref().unwrap_or("").trim(),
        enquiry.body.trim(),
    ] {
        hash.update(part.as_bytes());
        hash.update([0u8]);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Text compared to tell a resent question from a new one: words only, case folded.
fn resend_form(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How far back an Outlook recall looks for the message it recalls (7 days, in seconds).
const RECALL_WINDOW_SECS: i64 = 7 * 24 * 3600;

/// The Message-IDs a message answers: its last References, then its In-Reply-To.
fn parent_ids(enquiry: &Enquiry) -> Vec<String> {
    let mut ids = recent_references(&enquiry.references);
    ids.extend(enquiry.in_reply_to.iter().cloned());
    ids
}

/// `text` cut to its first `max` characters.
fn cut(text: &str, max: usize) -> &str {
    // a text of at most `max` bytes has at most `max` characters: nothing to walk (every
    // body of an ordinary mail)
    if text.len() <= max {
        return text;
    }
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The enquiry as triage should see it: subject and body cut to
/// [`MAX_TRIAGE_SUBJECT_CHARS`] and [`MAX_TRIAGE_BODY_CHARS`], at most [`MAX_PARENT_IDS`]
/// references. Used by ingest and by the web app's explanation.
pub fn bounded_for_triage(enquiry: &Enquiry) -> Enquiry {
    Enquiry {
        subject: enquiry
            .subject
            .as_deref()
            .map(|s| cut(s, MAX_TRIAGE_SUBJECT_CHARS).to_string()),
        body: cut(&enquiry.body, MAX_TRIAGE_BODY_CHARS).to_string(),
        references: recent_references(&enquiry.references),
        ..enquiry.clone()
    }
}

/// Triage on the blocking pool (it is CPU work that grows with the message).
pub async fn triage_blocking(triage: &Arc<Triage>, enquiry: &Enquiry) -> Result<Decision> {
    let triage = triage.clone();
    let enquiry = bounded_for_triage(enquiry);
    tokio::task::spawn_blocking(move || triage.triage(&enquiry))
        .await
        .map_err(|e| ServiceError::Source(format!("triage stopped: {e}")))
}

/// Our Message-ID for an outgoing message (without `<>`).
pub fn our_message_id(config: &Config, key: &str) -> String {
    format!("{key}@{}", config.mail.domain)
}

/// The outbox row notifying a regional lead (or the admin team) at `to` of enquiry
/// `enquiry_id`: subject `[FPT-n] <subject>`, our Message-ID made from `key` and the
/// notification's token (`lead_auth::token`: unguessable, verifiable when the lead replies),
/// no threading headers (a re-routing adds them). Used at ingest and on re-routing.
/// [`ServiceError::Secret`] when the signing secret cannot be read or made.
pub fn lead_notification_mail(
    config: &Config,
    key: String,
    enquiry_id: i64,
    to: &str,
    reference: &str,
    subject: Option<&str>,
    note: Draft,
) -> Result<NewOutbox> {
    let secret = lead_auth::secret(config).map_err(ServiceError::Secret)?;
    let token = lead_auth::token(&secret, enquiry_id, to);
    Ok(NewOutbox {
        message_id: our_message_id(config, &lead_auth::keyed(&key, &token)),
        idempotency_key: key,
        enquiry_id: Some(enquiry_id),
        kind: OutboxKind::LeadNotification,
        to_addr: to.to_string(),
        subject: format!("[{reference}] {}", subject.unwrap_or("Enquiry")),
        body_text: note.text,
        body_html: note.html,
        in_reply_to: None,
        references: Vec::new(),
        auto_submitted: true,
    })
}

/// What became of a message from a lead's address.
enum LeadReply {
    /// It answers none of our notifications: an ordinary message.
    NotOne,
    /// Recorded as the lead's answer (or a duplicate of one).
    Done(Outcome),
    /// It claims to answer a notification but is not accepted: stored as an ordinary
    /// message, flagged with this reason.
    Flag(String),
}

/// The most messages stored in one transaction (group commit).
pub const BATCH_MAX: usize = 100;
/// The longest a group waits for more messages once its first is ready, in milliseconds.
pub const BATCH_WAIT_MS: u64 = 100;

/// A message parsed and triaged, ready to be stored: CPU work done outside any transaction.
pub struct Prepared {
    raw: Vec<u8>,
    enquiry: Enquiry,
    external_id: String,
    decision: Decision,
    /// The sender's words as compared with their recent enquiries ([`resend_form`]), when
    /// they are compared at all: worked out with the triage, off the storing thread.
    resend: Option<String>,
    /// The triage in use when the message was read, kept for drafting (a knowledge-base
    /// reload meanwhile does not change it half-way).
    triage: Arc<Triage>,
}

/// Whether a message with this decision is compared with its sender's recent enquiries to
/// tell a resent question from a new one: never for an ignored message, unreadable mail or
/// mail without a sender (nothing says they are the same), nor for an empty text.
fn compared_for_resend(enquiry: &Enquiry, decision: &Decision) -> bool {
    decision.decision != DecisionKind::Ignore
        && !is_unreadable(enquiry)
        && !decision.cleaned.text.trim().is_empty()
}

/// Unreadable mail, or mail without a sender: stored as `needs_attention` unless ignored.
fn is_unreadable(enquiry: &Enquiry) -> bool {
    enquiry.parse_problem.is_some()
        || enquiry.unreadable.is_some()
        || enquiry.from.trim().is_empty()
}

/// Ingests raw messages into the store.
///
/// Group commit: [`Ingestor::pipeline`] and [`Ingestor::ingest_batch`] store up to
/// [`BATCH_MAX`] messages in one transaction (one fsync on SQLite); the caller marks a message
/// seen only once the call returning its outcome has returned, i.e. after that commit. When a
/// group fails, it is rolled back and its messages stored one transaction each, so one bad
/// message gets its own error and the others are stored.
#[derive(Clone)]
pub struct Ingestor {
    store: Store,
    live: LiveTriage,
    config: Arc<Config>,
    batch_max: usize,
    batch_wait: Duration,
    workers: Arc<PrepareThreads>,
}

/// How many messages are parsed and triaged at once (the threads of [`PrepareThreads`]).
fn prepare_parallelism() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8)
}

/// One message's parsing and triage, run on a [`PrepareThreads`] thread.
type PrepareJob = Box<dyn FnOnce() + Send>;

/// The threads that parse and triage messages for one ingestor (and its clones), started on
/// first use and kept until the last clone is dropped.
///
/// Not tokio's blocking pool: there, two messages at a time took turns over a dozen threads
/// (an idle one is woken for each task), each with its own per-thread scratch to warm (the
/// matcher's buffers, the regular expressions' lazy DFA caches); parse + lexical triage of the
/// realistic corpus took 0.85–1.0 ms of CPU per message that way against 0.65–0.77 ms on two
/// threads of their own (`benches/ingest.rs --prepare-only`, 2 December 2026).
struct PrepareThreads {
    jobs: std::sync::OnceLock<Option<std::sync::mpsc::Sender<PrepareJob>>>,
}

impl PrepareThreads {
    fn new() -> Self {
        PrepareThreads {
            jobs: std::sync::OnceLock::new(),
        }
    }

    /// Starts [`prepare_parallelism`] threads sharing one queue; `None` when not one could be
    /// started (then jobs go to tokio's blocking pool).
    fn start() -> Option<std::sync::mpsc::Sender<PrepareJob>> {
        let (tx, rx) = std::sync::mpsc::channel::<PrepareJob>();
        let rx = Arc::new(std::sync::Mutex::new(rx));
        let mut started = 0;
        for i in 0..prepare_parallelism() {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("fpt-prepare-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(poisoned) => poisoned.into_inner().recv(),
                    };
                    let Ok(job) = job else { break };
                    // a panic drops the job's reply sender: the caller gets an error, and
                    // this thread goes on with the next job
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                });
            match spawned {
                Ok(_) => started += 1,
                Err(e) => tracing::warn!("cannot start a thread to parse and triage mail: {e}"),
            }
        }
        (started > 0).then_some(tx)
    }

    /// Runs `work` on one of the threads and returns its result; `None` when it panicked.
    async fn run<R: Send + 'static>(&self, work: impl FnOnce() -> R + Send + 'static) -> Option<R> {
        let (reply, result) = tokio::sync::oneshot::channel();
        let job: PrepareJob = Box::new(move || {
            let _ = reply.send(work());
        });
        match self.jobs.get_or_init(Self::start) {
            Some(jobs) => match jobs.send(job) {
                Ok(()) => {}
                Err(std::sync::mpsc::SendError(job)) => {
                    let _ = tokio::task::spawn_blocking(job).await;
                }
            },
            None => {
                let _ = tokio::task::spawn_blocking(job).await;
            }
        }
        result.await.ok()
    }
}

/// Messages from a source flowing through preparation (parsing and triage, several at a time
/// on the ingestor's own threads, ahead of storage) into groups stored one transaction each. Holds at
/// most two groups' worth of messages, however many the source has.
pub struct Pipeline<T> {
    ingestor: Ingestor,
    rx: tokio::sync::mpsc::Receiver<(T, Result<Prepared>)>,
    producer: tokio::task::JoinHandle<()>,
}

impl<T> Drop for Pipeline<T> {
    fn drop(&mut self) {
        self.producer.abort();
    }
}

impl<T: Send + 'static> Pipeline<T> {
    /// The next group: up to the ingestor's batch size of messages, or what arrived within
    /// its batch wait of the first, each with its outcome, in the source's order. Every `Ok`
    /// outcome is committed when this returns (the caller may mark it seen); an `Err` is the
    /// message's own error (reading, or storing it alone), and nothing of it was stored.
    /// `None` once the source is exhausted.
    pub async fn next_batch(&mut self) -> Option<Vec<(T, Result<Outcome>)>> {
        let first = self.rx.recv().await?;
        let mut got = vec![first];
        let deadline = tokio::time::Instant::now() + self.ingestor.batch_wait;
        while got.len() < self.ingestor.batch_max {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(next)) => got.push(next),
                Ok(None) | Err(_) => break,
            }
        }
        let mut items = Vec::with_capacity(got.len());
        let mut ready = Vec::with_capacity(got.len());
        for (item, prepared) in got {
            match prepared {
                Ok(p) => {
                    ready.push(p);
                    items.push((item, None));
                }
                Err(e) => items.push((item, Some(e))),
            }
        }
        let mut outcomes = self.ingestor.store_batch(&ready).await.into_iter();
        drop(ready);
        Some(
            items
                .into_iter()
                .map(|(item, failed)| {
                    let result = match failed {
                        Some(e) => Err(e),
                        None => outcomes.next().unwrap_or_else(|| {
                            Err(ServiceError::Source(
                                "a message's outcome went missing".into(),
                            ))
                        }),
                    };
                    (item, result)
                })
                .collect(),
        )
    }
}

impl Ingestor {
    pub fn new(store: Store, live: LiveTriage, config: Arc<Config>) -> Self {
        Ingestor {
            store,
            live,
            config,
            batch_max: BATCH_MAX,
            batch_wait: Duration::from_millis(BATCH_WAIT_MS),
            workers: Arc::new(PrepareThreads::new()),
        }
    }

    /// This ingestor storing at most `max` messages per transaction (at least 1; 1 is a
    /// transaction per message) and waiting at most `wait` for a group to fill.
    pub fn with_batch(mut self, max: usize, wait: Duration) -> Self {
        self.batch_max = max.max(1);
        self.batch_wait = wait;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Parses, triages and stores one raw message in its own transaction. Never fails on the
    /// message's content: unreadable mail is stored as `needs_attention`. Errors are the
    /// database's or the templates'.
    pub async fn ingest_raw(&self, raw: &[u8]) -> Result<Outcome> {
        let prepared = self.prepare(raw.to_vec()).await?;
        self.store_alone(&prepared).await
    }

    /// Parses and triages several messages (some at once) and stores them in groups of at most
    /// the batch size, one transaction per group. The outcomes are in the order of `raws`,
    /// every `Ok` committed; an `Err` is that message's own error (as [`Ingestor::ingest_raw`]
    /// would give it), and nothing of it was stored.
    pub async fn ingest_batch(&self, raws: Vec<Vec<u8>>) -> Vec<Result<Outcome>> {
        let mut pipeline = self.pipeline(
            raws.into_iter()
                .enumerate()
                .map(|(i, raw)| async move { (i, Ok(raw)) }),
        );
        let mut out = Vec::new();
        while let Some(batch) = pipeline.next_batch().await {
            out.extend(batch.into_iter().map(|(_, result)| result));
        }
        out
    }

    /// A [`Pipeline`] over `loads`: each future reads one message, giving the caller's handle
    /// for it (a file, a UID) and its raw bytes or the error reading it. The futures are run
    /// in order, a few at a time, in a task of their own.
    pub fn pipeline<T, F, I>(&self, loads: I) -> Pipeline<T>
    where
        T: Send + 'static,
        F: Future<Output = (T, Result<Vec<u8>>)> + Send + 'static,
        I: IntoIterator<Item = F>,
        I::IntoIter: Send + 'static,
    {
        use futures_util::StreamExt;
        let (tx, rx) = tokio::sync::mpsc::channel(self.batch_max);
        let ingestor = self.clone();
        let loads = loads.into_iter();
        let producer = tokio::spawn(async move {
            let mut prepared = futures_util::stream::iter(loads)
                .map(|load| {
                    let ingestor = ingestor.clone();
                    async move {
                        let (item, raw) = load.await;
                        let prepared = match raw {
                            Ok(raw) => ingestor.prepare(raw).await,
                            Err(e) => Err(e),
                        };
                        (item, prepared)
                    }
                })
                // twice the threads: a slow message at the head of the order does not leave
                // a thread idle
                .buffered(2 * prepare_parallelism());
            while let Some(next) = prepared.next().await {
                if tx.send(next).await.is_err() {
                    break;
                }
            }
        });
        Pipeline {
            ingestor: self.clone(),
            rx,
            producer,
        }
    }

    /// Parses and triages a raw message on the ingestor's own threads (CPU work that grows
    /// with the message, never on the async threads), with the triage in use now. Errors only
    /// when that work panicked.
    pub async fn prepare(&self, raw: Vec<u8>) -> Result<Prepared> {
        let config = self.config.clone();
        let triage = self.live.current();
        self.workers
            .run(move || {
                let mut enquiry = parse_message(&raw);
                if config.is_own_address(&enquiry.from) {
                    // a forward of our own answer, or a Reply-To naming our mailbox: it is the
                    // From address's message
                    enquiry = parse_message_as(&raw, Sender::From);
                } else if is_lead(&triage, &enquiry.from) {
                    // a Reply-To (or forward) naming a lead on someone else's mail: answering the
                    // lead would send the asker's answer, and our acknowledgement, to the lead
                    let from = parse_message_as(&raw, Sender::From);
                    if !is_lead(&triage, &from.from) && !config.is_own_address(&from.from) {
                        enquiry = from;
                    }
                }
                enquiry.references = recent_references(&enquiry.references);
                let external_id = stored_id(&enquiry, &raw);
                let decision = triage.triage(&bounded_for_triage(&enquiry));
                let decision = ignore_own_mail(&config, &enquiry, decision);
                let resend = compared_for_resend(&enquiry, &decision)
                    .then(|| resend_form(&decision.cleaned.text));
                Prepared {
                    raw,
                    enquiry,
                    external_id,
                    decision,
                    resend,
                    triage,
                }
            })
            .await
            .ok_or_else(|| ServiceError::Source("parsing and triage stopped: it panicked".into()))
    }

    /// Stores prepared messages in one transaction; when that fails, rolls it back and stores
    /// each in a transaction of its own. One outcome per message, in order; every `Ok` is
    /// committed when this returns.
    pub async fn store_batch(&self, batch: &[Prepared]) -> Vec<Result<Outcome>> {
        if batch.len() > 1 {
            match self.store_together(batch).await {
                Ok(outcomes) => {
                    for outcome in &outcomes {
                        log_committed(outcome);
                    }
                    return outcomes.into_iter().map(Ok).collect();
                }
                Err(e) => tracing::warn!(
                    messages = batch.len(),
                    "a group of messages could not be stored together ({e}): storing them one at a time"
                ),
            }
        }
        let mut out = Vec::with_capacity(batch.len());
        for prepared in batch {
            out.push(self.store_alone(prepared).await);
        }
        out
    }

    async fn store_together(&self, batch: &[Prepared]) -> Result<Vec<Outcome>> {
        let mut tx = self.store.begin().await?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for prepared in batch {
            match self.store_one(&mut tx, prepared).await {
                Ok(outcome) => outcomes.push(outcome),
                Err(e) => {
                    if let Err(r) = tx.rollback().await {
                        tracing::warn!("rolling back a group of messages failed: {r}");
                    }
                    return Err(e);
                }
            }
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn store_alone(&self, prepared: &Prepared) -> Result<Outcome> {
        let mut tx = self.store.begin().await?;
        match self.store_one(&mut tx, prepared).await {
            Ok(outcome) => {
                tx.commit().await?;
                log_committed(&outcome);
                Ok(outcome)
            }
            Err(e) => {
                if let Err(r) = tx.rollback().await {
                    tracing::warn!("rolling back a message failed: {r}");
                }
                Err(e)
            }
        }
    }

    /// Stores one prepared message on `conn`, which is inside a transaction the caller
    /// commits: the duplicate checks, a lead's reply, or the enquiry with its decision.
    async fn store_one(&self, conn: &mut AnyConnection, p: &Prepared) -> Result<Outcome> {
        let enquiry = &p.enquiry;
        let channel = enquiry.channel().as_str();
        let mut external_id = std::borrow::Cow::Borrowed(p.external_id.as_str());
        let (stored, lead_reply) = store::find_stored(conn, channel, &external_id).await?;
        if let Some(id) = stored {
            let key = content_key(enquiry);
            if enquiry.message_id.is_none() || same_content(conn, id, &key).await? {
                return Ok(Outcome::Duplicate { id });
            }
            // a Message-ID reused on a different message (web forms do): a message of its
            // own, stored under the id and its content
            tracing::warn!(enquiry = id, "Message-ID reused by a different message");
            let own = format!("{external_id}#{}", &key[..16]);
            if let Some(id) = store::find_by_external_id(conn, channel, &own).await? {
                return Ok(Outcome::Duplicate { id });
            }
            if let Some(id) = store::find_lead_reply(conn, &own).await? {
                return Ok(Outcome::Duplicate { id });
            }
            external_id = std::borrow::Cow::Owned(own);
        } else if let Some(id) = lead_reply {
            return Ok(Outcome::Duplicate { id });
        }
        let decision = &p.decision;
        // an out-of-office from a lead is ignored like anyone's
        let mut flag = None;
        if decision.decision != DecisionKind::Ignore && is_lead(&p.triage, &enquiry.from) {
            match self
                .store_lead_reply(conn, enquiry, &external_id, decision)
                .await?
            {
                LeadReply::NotOne => {}
                LeadReply::Done(outcome) => return Ok(outcome),
                LeadReply::Flag(reason) => flag = Some(reason),
            }
        }
        self.store_decision(conn, p, &external_id, flag.as_deref())
            .await
    }

    /// Records a verified lead's reply to one of our notifications as a draft on the notified
    /// enquiry. [`LeadReply::NotOne`] when the message answers no notification (an ordinary
    /// message); [`LeadReply::Flag`] when it does but fails `lead_auth`'s checks or the
    /// enquiry is no longer open (then it is stored as an ordinary, flagged message).
    async fn store_lead_reply(
        &self,
        conn: &mut AnyConnection,
        enquiry: &Enquiry,
        external_id: &str,
        decision: &Decision,
    ) -> Result<LeadReply> {
        let lead = enquiry.from.trim().to_ascii_lowercase();
        let note = store::find_notification(conn, &parent_ids(enquiry)).await?;
        let Some(note) = note else {
            // one of "our" notification ids that we never sent: guessed or altered
            let domain = format!("@{}", self.config.mail.domain.to_ascii_lowercase());
            let claims_ours = parent_ids(enquiry).iter().any(|id| {
                let id = id.trim().trim_matches(['<', '>']).to_ascii_lowercase();
                id.starts_with("lead-") && id.ends_with(&domain)
            });
            if claims_ours {
                return Ok(self.flag(
                    0,
                    &lead,
                    format!(
                        "claims to be {lead}'s answer to a lead notification that was never \
                         sent (a guessed or altered Message-ID): not used as the lead's answer"
                    ),
                ));
            }
            return Ok(LeadReply::NotOne);
        };
        let enquiry_id = note.enquiry_id;
        let secret = lead_auth::secret(&self.config).map_err(ServiceError::Secret)?;
        if !note.to_addr.trim().eq_ignore_ascii_case(&lead)
            || !lead_auth::verify(&secret, &note.message_id, enquiry_id, &lead)
        {
            return Ok(self.flag(
                enquiry_id,
                &lead,
                format!(
                    "claims to answer the notification of FPT-{enquiry_id} as {lead}, but that \
                 notification's token does not match this sender: not used as the lead's answer"
                ),
            ));
        }
        if !lead_auth::sender_authenticated(
            &enquiry.headers,
            &lead,
            &self.config.mail.trusted_authserv_ids,
        ) {
            return Ok(self.flag(
                enquiry_id,
                &lead,
                format!(
                    "claims to be {lead}'s answer to FPT-{enquiry_id}, but no trusted \
                 Authentication-Results header shows DMARC, DKIM or SPF passing for the \
                 lead's domain: not used as the lead's answer"
                ),
            ));
        }
        let now = store::now();
        // a savepoint inside the caller's transaction: what this reply wrote is undone alone
        // when it turns out to be recorded already
        let mut tx = conn.begin().await?;
        let e = actions::lock_enquiry(&mut tx, enquiry_id).await?;
        let purged = e.purged_at.is_some();
        if !purged {
            match actions::check(&mut tx, &e, Action::LeadAnswer).await {
                Ok(()) => {}
                Err(ServiceError::Refused(why)) => {
                    tx.rollback().await?;
                    return Ok(self.flag(
                        enquiry_id,
                        &lead,
                        format!(
                            "{lead}'s answer came after the enquiry was finished ({why}): \
                             attached to the thread, nothing reopened"
                        ),
                    ));
                }
                Err(other) => return Err(other),
            }
        }
        let text = decision.cleaned.text.trim();
        let version = if text.is_empty() || purged {
            None
        } else {
            Some(store::insert_draft(&mut tx, enquiry_id, text, None, &lead, now).await?)
        };
        if !store::insert_lead_reply(&mut tx, external_id, enquiry_id, version, &lead, now).await? {
            tx.rollback().await?;
            return Ok(LeadReply::Done(Outcome::Duplicate { id: enquiry_id }));
        }
        let detail = match version {
            Some(v) => {
                store::set_status(&mut tx, enquiry_id, Status::Waiting).await?;
                format!("draft {v} from the lead's reply {external_id}")
            }
            None if purged => format!("reply {external_id} to a purged enquiry: not used"),
            None => format!("reply {external_id} has no text of its own: no draft"),
        };
        store::audit(&mut tx, Some(enquiry_id), &lead, "lead_reply", &detail, now).await?;
        tx.commit().await?;
        Ok(LeadReply::Done(Outcome::LeadReply {
            enquiry_id,
            version,
        }))
    }

    fn flag(&self, enquiry_id: i64, lead: &str, reason: String) -> LeadReply {
        tracing::warn!(
            enquiry = enquiry_id,
            claimed = %crate::logging::safe(lead),
            "a claimed lead reply was not accepted: stored as an ordinary, flagged message"
        );
        LeadReply::Flag(reason)
    }

    /// Stores an enquiry with its decision; `flag` (a reason) stores it as
    /// `needs_attention` with nothing drafted or queued and the reason in the audit log.
    async fn store_decision(
        &self,
        tx: &mut AnyConnection,
        p: &Prepared,
        external_id: &str,
        flag: Option<&str>,
    ) -> Result<Outcome> {
        let (enquiry, raw, triage) = (&p.enquiry, p.raw.as_slice(), &p.triage);
        let now = store::now();
        // thread lookups: one query, a bounded list of ids
        let mut thread = store::find_thread_by_message_ids(tx, &parent_ids(enquiry)).await?;
        if thread.is_none() {
            if let Some(n) = enquiry
                .subject
                .as_deref()
                .map(|s| cut(s, MAX_TRIAGE_SUBJECT_CHARS))
                .and_then(|s| REFERENCE.captures(s))
                .and_then(|c| c.get(1))
                .and_then(|m| m.as_str().parse::<i64>().ok())
            {
                thread = store::thread_of(tx, n).await?;
            }
        }
        let follow_up = thread.is_some();
        let unreadable = is_unreadable(enquiry);
        let window =
            i64::try_from(self.config.mail.ack_once_per_hours).unwrap_or(i64::MAX / 7200) * 3600;
        // The same question again from the same person (a new Message-ID, minutes later):
        // joined to the first, answered once.
        let decision = &p.decision;
        let mut resent_of = None;
        // (never for unreadable mail or mail without a sender: nothing says they are the same;
        // see `compared_for_resend`)
        if let Some(text) = &p.resend {
            resent_of = store::recent_from_sender(tx, &enquiry.from, now - window, 20)
                .await?
                .into_iter()
                .find(|e| {
                    // once the first is answered (or closed), asking again means something
                    // went wrong: that one is a new enquiry for an admin to see
                    e.decision != DecisionKind::Ignore.as_str()
                        && !matches!(e.status.as_str(), "sent" | "closed")
                        && resend_form(&e.cleaned_text) == *text
                });
        }
        let mut decision = std::borrow::Cow::Borrowed(decision);
        if let Some(first) = &resent_of {
            thread = Some(first.thread_id);
            let d = decision.to_mut();
            d.decision = DecisionKind::Ignore;
            d.reason = format!(
                "the same question again from the same sender: joined to enquiry {}, which is answered once",
                first.id
            );
        }
        let decision = decision.as_ref();
        let status = match decision.decision {
            _ if flag.is_some() => Status::NeedsAttention,
            DecisionKind::Ignore => Status::Ignored,
            _ if unreadable => Status::NeedsAttention,
            DecisionKind::Answer => Status::Waiting,
            DecisionKind::Route => Status::Routed,
        };
        let faq = serde_json::to_string(&decision.faq).unwrap_or_else(|_| "[]".into());
        let attachments =
            serde_json::to_string(&enquiry.attachments).unwrap_or_else(|_| "[]".into());
        let new = NewEnquiry {
            channel: enquiry.channel().as_str(),
            external_id,
            thread_id: thread,
            sender: &enquiry.from,
            sender_name: enquiry.from_name.as_deref(),
            subject: enquiry.subject.as_deref(),
            cleaned_text: &decision.cleaned.text,
            raw: Some(raw),
            attachments: &attachments,
            received_at: now,
            decision: decision.decision.as_str(),
            confidence: f64::from(decision.confidence),
            faq: &faq,
            region: decision.region.as_deref(),
            reason: &decision.reason,
            status,
            parse_problem: enquiry.parse_problem.as_deref(),
        };
        let Some(id) = store::insert_enquiry(tx, &new).await? else {
            // stored by someone else since we looked (nothing of this message written yet)
            let id = store::find_by_external_id(tx, new.channel, external_id)
                .await?
                .unwrap_or_default();
            return Ok(Outcome::Duplicate { id });
        };
        let thread_id = thread.unwrap_or(id);
        let mut queued = Vec::new();
        let mut ack_left_out: Option<String> = None;
        match (decision.decision, status) {
            _ if flag.is_some() => {}
            (DecisionKind::Answer, _) => {
                if let Some(draft) = triage.draft(enquiry, decision)? {
                    // the enquiry was inserted just now: this is its first draft
                    store::insert_draft_version(
                        tx,
                        id,
                        1,
                        &draft.text,
                        draft.html.as_deref(),
                        SERVICE_ACTOR,
                        now,
                    )
                    .await?;
                    queued.push("draft");
                }
            }
            (DecisionKind::Route, Status::Routed) => {
                let reference = reference(thread_id);
                let contact = triage.contact_for(decision.region.as_deref());
                if may_mail(&self.config, &contact.email) {
                    let note = triage.lead_notification(enquiry, decision, &reference)?;
                    let message = lead_notification_mail(
                        &self.config,
                        format!("lead-{id}"),
                        id,
                        &contact.email,
                        &reference,
                        enquiry.subject.as_deref(),
                        note,
                    )?;
                    store::enqueue(tx, &message, now).await?;
                    queued.push("lead_notification");
                } else {
                    tracing::warn!(
                        enquiry = id,
                        "no lead address to notify: left for the admin team"
                    );
                }
                // a web form's relay or a person's post through a list asks for no automatic
                // reply (RFC 3834 §2): the lead is told, the asker hears from a person
                let no_auto_reply = crate::ignore::no_automatic_reply(enquiry);
                if let Some(marker) = &no_auto_reply {
                    ack_left_out = Some(marker.ack_left_out());
                }
                // the last guard against loops: at most one automatic message to an address
                // per window, whatever triage said
                // (counted only when it decides: not for a follow-up or an address never mailed)
                if !follow_up
                    && no_auto_reply.is_none()
                    && may_mail(&self.config, &enquiry.from)
                    && store::recent_auto_mail_to(tx, &enquiry.from, now - window).await? == 0
                {
                    if let Some(ack) = triage.draft(enquiry, decision)? {
                        let key = format!("ack-{id}");
                        let mut references = enquiry.references.clone();
                        references.extend(enquiry.message_id.iter().cloned());
                        store::enqueue(
                            tx,
                            &NewOutbox {
                                message_id: our_message_id(&self.config, &key),
                                idempotency_key: key,
                                enquiry_id: Some(id),
                                kind: OutboxKind::Ack,
                                to_addr: enquiry.from.clone(),
                                subject: reply_subject(enquiry.subject.as_deref(), thread_id),
                                body_text: ack.text,
                                body_html: ack.html,
                                in_reply_to: enquiry.message_id.clone(),
                                references,
                                auto_submitted: true,
                            },
                            now,
                        )
                        .await?;
                        queued.push("ack");
                    }
                }
            }
            _ => {}
        }
        let mut detail = format!(
            "decision={} status={} thread={} queued=[{}]",
            decision.decision.as_str(),
            status.as_str(),
            thread_id,
            queued.join(",")
        );
        if let Some(by) = &enquiry.forwarded_by {
            detail.push_str(&format!(" forwarded_by={by}"));
        }
        if let Some(note) = &ack_left_out {
            detail.push_str(&format!(" ({note})"));
        }
        if let Some(first) = &resent_of {
            detail.push_str(&format!(" resent_of={}", first.id));
        }
        store::audit(tx, Some(id), SERVICE_ACTOR, "ingest", &detail, now).await?;
        if !enquiry.cut_headers.is_empty() {
            tracing::warn!(
                enquiry = id,
                fields = enquiry.cut_headers.len(),
                "the header was bounded before parsing (see the audit log; the raw message is kept whole)"
            );
            let detail = enquiry.cut_headers.join("; ");
            store::audit(tx, Some(id), SERVICE_ACTOR, "headers_cut", &detail, now).await?;
        }
        if let Some(reason) = flag {
            store::audit(tx, Some(id), SERVICE_ACTOR, "flagged", reason, now).await?;
        }
        if decision.decision == DecisionKind::Ignore {
            flag_recalled(tx, enquiry, id, now).await?;
        }
        Ok(Outcome::Stored {
            id,
            thread_id,
            status,
        })
    }
}

/// Logs an outcome once its transaction has committed.
fn log_committed(outcome: &Outcome) {
    match *outcome {
        Outcome::Stored {
            id,
            thread_id,
            status,
        } => tracing::info!(
            enquiry = id,
            thread = thread_id,
            status = status.as_str(),
            "stored"
        ),
        Outcome::LeadReply {
            enquiry_id,
            version,
        } => {
            tracing::info!(enquiry = enquiry_id, version = ?version, "lead reply stored as a draft")
        }
        Outcome::Duplicate { id } => tracing::debug!(enquiry = id, "already stored"),
    }
}

/// Whether stored enquiry `id` is the message whose content key is `key` (a purged
/// enquiry, whose raw message is gone, counts as the same).
async fn same_content(conn: &mut AnyConnection, id: i64, key: &str) -> Result<bool> {
    let stored = store::get_enquiry(conn, id).await?;
    Ok(match stored.and_then(|e| e.raw) {
        Some(raw) => content_key(&parse_message(&raw)) == key,
        None => true,
    })
}

/// Whether `address` is a regional lead's or the admin team's in `triage`'s knowledge base.
fn is_lead(triage: &Triage, address: &str) -> bool {
    let address = address.trim();
    let regions = &triage.kb.regions;
    !address.is_empty()
        && std::iter::once(&regions.admin_team)
            .chain(regions.regions.iter().map(|r| &r.lead))
            .any(|c| c.email.trim().eq_ignore_ascii_case(address))
}

/// For an Outlook recall message (enquiry `recall_id`), flags the sender's recalled
/// enquiry for an admin (`needs_attention`) unless it is finished already.
async fn flag_recalled(
    tx: &mut AnyConnection,
    enquiry: &Enquiry,
    recall_id: i64,
    now: i64,
) -> Result<()> {
    let Some(subject) = recalled_subject(enquiry) else {
        return Ok(());
    };
    let wanted = resend_form(&subject);
    let recalled = store::recent_from_sender(tx, &enquiry.from, now - RECALL_WINDOW_SECS, 50)
        .await?
        .into_iter()
        .find(|e| {
            e.id != recall_id
                && e.subject.as_deref().map(resend_form).as_deref() == Some(wanted.as_str())
        });
    let Some(recalled) = recalled else {
        return Ok(());
    };
    if matches!(recalled.status.as_str(), "sent" | "closed" | "ignored") {
        return Ok(());
    }
    store::set_status(tx, recalled.id, Status::NeedsAttention).await?;
    let detail = format!(
        "the sender recalled this message (Outlook recall, enquiry {recall_id}): check before answering"
    );
    store::audit(
        tx,
        Some(recalled.id),
        SERVICE_ACTOR,
        "recalled",
        &detail,
        now,
    )
    .await?;
    tracing::info!(
        enquiry = recalled.id,
        "recalled by its sender: needs attention"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_get_one_re_and_one_reference() {
        assert_eq!(reply_subject(Some("FPT time"), 3), "Re: FPT time [FPT-3]");
        assert_eq!(
            reply_subject(Some("RE: FPT time [FPT-3]"), 3),
            "RE: FPT time [FPT-3]"
        );
        assert_eq!(reply_subject(None, 1), "Re: Your enquiry [FPT-1]");
    }

    #[test]
    fn external_id_falls_back_to_a_content_hash_that_ignores_transport_headers() {
        let raw = "From: a@example.org\r\nSubject: FPT\r\nDate: Thu, 11 Dec 2025 12:00:04 +0000\r\n\r\nHow long is FPT?\r\n";
        let first = crate::mail::parse_message(raw.as_bytes());
        let again = crate::mail::parse_message(
            format!("Received: from mx2.example.org by mx.example.org\r\nDelivered-To: fpt@example.org\r\n{raw}").as_bytes(),
        );
        assert!(external_id(&first).starts_with("sha256:"));
        assert_eq!(external_id(&first), external_id(&again));
        let other = crate::mail::parse_message(raw.replace("long", "much").as_bytes());
        assert_ne!(external_id(&first), external_id(&other));
    }
}
