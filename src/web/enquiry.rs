//! One enquiry: the sender's cleaned words, the thread, the decision with its explanation
//! (recomputed from the stored message with the current knowledge base: matched entries and
//! the terms that matched), the draft editor, the actions allowed to this person and the
//! audit log. `/enquiries/{id}/original` shows the original message as text: headers, body,
//! attachments and the raw source, all escaped.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::auth::Session;
use super::error::{WebError, WebResult};
use super::{queries, AppState};
use crate::enquiry::{Attachment, Enquiry};
use crate::mail::parse_message;
use crate::service::actions::{self, Action, Stage};
use crate::store::{self, EnquiryRow};

#[derive(Debug, Deserialize)]
pub struct Flash {
    done: Option<String>,
}

#[derive(Debug, Serialize)]
struct CandidateView {
    id: String,
    title: String,
    /// Calibrated probability that the entry answers the question.
    score: f32,
    coverage: f32,
    lexical: f32,
    /// Best embedding cosine to one phrasing; `None` when semantic matching is off.
    semantic: Option<f32>,
    matched: Vec<String>,
}

#[derive(Debug, Serialize)]
struct QuestionView {
    text: String,
    confidence: f32,
    answered: bool,
    candidates: Vec<CandidateView>,
    unknown: Vec<String>,
}

/// Loads an enquiry this person may see: 404 both when it is missing and when it is not
/// theirs (a lead cannot tell another region's enquiry ids from unused ones).
pub async fn visible(state: &AppState, session: &Session, id: i64) -> WebResult<EnquiryRow> {
    let mut conn = state.service.store.conn().await?;
    let e = store::get_enquiry(&mut conn, id)
        .await?
        .ok_or(WebError::NotFound)?;
    if !session.may_see(&e.decision, &e.status, e.region.as_deref()) {
        tracing::warn!(user = %crate::logging::safe(&session.name), enquiry = id, "refused: not this lead's enquiry");
        return Err(WebError::NotFound);
    }
    Ok(e)
}

/// The most of a message body or source the original-message page shows, in characters;
/// the rest is one click away (the `.eml` download).
pub const ORIGINAL_SHOWN_CHARS: usize = 100_000;

/// `text` cut to `max` characters (on a character boundary) and whether it was cut.
fn capped(text: &str, max: usize) -> (&str, bool) {
    match text.char_indices().nth(max) {
        Some((at, _)) => (&text[..at], true),
        None => (text, false),
    }
}

/// The enquiry as triage sees it: the original message when kept, else the stored words.
pub(crate) fn as_enquiry(e: &EnquiryRow) -> Enquiry {
    match &e.raw {
        Some(raw) if e.channel == "email" => parse_message(raw),
        _ => {
            let mut q = if e.channel == "chat" {
                Enquiry::chat(&e.sender, &e.cleaned_text)
            } else {
                Enquiry::email(
                    &e.sender,
                    e.subject.as_deref().unwrap_or(""),
                    &e.cleaned_text,
                )
            };
            q.from_name = e.sender_name.clone();
            q
        }
    }
}

fn flash_text(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "approved" => "Approved: the reply is queued and will be sent once.",
        "already" => "This draft was approved before: it is queued once, nothing new was sent.",
        "saved" => "Saved as a new draft version.",
        "rejected" => "Rejected and closed.",
        "rerouted" => "Re-routed.",
        "elsewhere" => "Marked as answered elsewhere and closed.",
        "entry" => "A new draft was made from the chosen entry.",
        "answered" => "Thank you: your answer is saved as a draft for the admin team to approve.",
        "faq" => "The FAQ entry was written. A running service uses it within seconds.",
        "phrasing" => "The question was added as a phrasing of the entry (its origin is noted in the entry file). A running service uses it within seconds.",
        _ => return None,
    })
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> WebResult<Response> {
    let e = visible(&state, &session, id).await?;
    let (drafts, audit, outbox, thread, marks) = {
        let mut conn = state.service.store.conn().await?;
        (
            store::drafts(&mut conn, id).await?,
            store::list_audit(&mut conn, Some(id)).await?,
            store::list_outbox(&mut conn, Some(id)).await?,
            // a lead sees only the thread's messages they may open themselves
            queries::thread(&mut conn, e.thread_id)
                .await?
                .into_iter()
                .filter(|t| session.may_see(&t.decision, &t.status, t.region.as_deref()))
                .collect::<Vec<_>>(),
            queries::marks(&mut conn, id).await?,
        )
    };
    // the entry an admin answered with (audit action "use_entry <id>"), offered for the phrasing
    let learn_entry: Option<String> = audit
        .iter()
        .rev()
        .find_map(|a| a.action.strip_prefix("use_entry ").map(str::to_string));
    let triage = &state.service.triage.current();
    let questions: Vec<QuestionView> = if e.purged_at.is_some() {
        Vec::new()
    } else {
        // triage is CPU work (and grows with the message): never on the async threads
        let decision = crate::service::ingest::triage_blocking(triage, &as_enquiry(&e)).await?;
        decision
            .questions
            .iter()
            .map(|q| QuestionView {
                text: q.text.clone(),
                confidence: q.result.confidence,
                answered: q.answered,
                unknown: q.result.unknown.clone(),
                candidates: q
                    .result
                    .candidates
                    .iter()
                    .map(|c| CandidateView {
                        id: c.id.clone(),
                        title: triage
                            .kb
                            .entry(&c.id)
                            .map(|x| x.title.clone())
                            .unwrap_or_default(),
                        score: c.score,
                        coverage: c.coverage,
                        lexical: c.lexical,
                        semantic: c.semantic,
                        matched: c.matched.clone(),
                    })
                    .collect(),
            })
            .collect()
    };
    let faq: Vec<String> = serde_json::from_str(&e.faq).unwrap_or_default();
    let latest = drafts.last();
    let answered = e.status == "sent" || latest.is_some_and(|d| d.approved_at.is_some());
    let entries: Vec<(String, String)> = triage
        .kb
        .entries
        .iter()
        .map(|x| (x.id.clone(), x.title.clone()))
        .collect();
    let regions: Vec<(String, String)> = triage
        .kb
        .regions
        .regions
        .iter()
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    let attachments: Vec<Attachment> = serde_json::from_str(&e.attachments).unwrap_or_default();
    let stage = Stage::of(&e.status, latest);
    let can: std::collections::BTreeMap<&str, bool> = [
        Action::Approve,
        Action::EditDraft,
        Action::LeadAnswer,
        Action::Reroute,
        Action::Reject,
        Action::AnsweredElsewhere,
    ]
    .into_iter()
    .map(|a| {
        let key = if a == Action::EditDraft {
            "edit"
        } else {
            a.as_str()
        };
        (key, e.purged_at.is_none() && actions::allowed(stage, a))
    })
    .collect();
    let stage_label = match stage {
        Stage::Queued => "Queued for sending".to_string(),
        other => super::render::label(other.as_str()),
    };
    let page = state
        .pages
        .render(
            "enquiry.html",
            Some(&session),
            minijinja::context! {
                title => format!("Enquiry FPT-{}", e.id),
                nav => "queue",
                e => &e,
                region_name => triage.region_name(e.region.as_deref()),
                faq => faq,
                questions => questions,
                matching_note => triage.matching_note.clone(),
                drafts => &drafts,
                latest => latest,
                audit => audit,
                outbox => outbox,
                thread => thread,
                marks => marks,
                attachments => attachments,
                entries => entries,
                regions => regions,
                can_make_faq => e.decision == "route" && answered && session.is_admin(),
                learn_question => super::kb::question_to_learn(&e.cleaned_text),
                learn_entry => learn_entry,
                has_original => e.raw.is_some(),
                flash => flash_text(flash.done.as_deref()),
                stage => stage.as_str(),
                stage_label => stage_label,
                can => can,
                threshold => triage.threshold,
            },
        )
        .await?;
    Ok(page.into_response())
}

/// The original message, shown as text: headers, the body and the raw source each cut to
/// [`ORIGINAL_SHOWN_CHARS`], attachments listed (never inlined), and the whole message one
/// click away as an `.eml` download.
pub async fn original(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let e = visible(&state, &session, id).await?;
    let raw = e.raw.as_deref().ok_or(WebError::NotFound)?;
    let parsed = parse_message(raw);
    let source = String::from_utf8_lossy(raw);
    let (body, body_cut) = capped(&parsed.body, ORIGINAL_SHOWN_CHARS);
    let (source, source_cut) = capped(&source, ORIGINAL_SHOWN_CHARS);
    let page = state
        .pages
        .render(
            "original.html",
            Some(&session),
            minijinja::context! {
                title => format!("Original message of FPT-{}", e.id),
                nav => "queue",
                e => &e,
                headers => parsed.headers.0,
                body => body,
                body_cut => body_cut,
                attachments => parsed.attachments,
                parse_problem => parsed.parse_problem,
                source => source,
                source_cut => source_cut,
                size => raw.len(),
            },
        )
        .await?;
    Ok(page.into_response())
}

/// The original message as a file (`message/rfc822`, downloaded, never shown inline).
pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let e = visible(&state, &session, id).await?;
    let raw = e.raw.ok_or(WebError::NotFound)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "message/rfc822".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"FPT-{id}.eml\""),
            ),
        ],
        raw,
    )
        .into_response())
}
