//! What people do to an enquiry, each a POST that redirects back to the enquiry page
//! (post/redirect/get) and leaves a line in the audit log. Admins: approve and send, save an
//! edit (a new draft version), reject with a reason, re-route, mark as answered elsewhere,
//! answer with another FAQ entry. Leads: answer an enquiry of their region (a draft that waits
//! for an admin's approval). The CSRF token was checked by `auth::guard` before these run.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::auth::Session;
use super::enquiry::visible;
use super::error::{WebError, WebResult};
use super::{queries, AppState};
use crate::draft::AnswerView;
use crate::enquiry::{Channel, Enquiry};
use crate::region::RegionMatch;
use crate::service::actions::{self, Action};
use crate::service::{ingest, may_mail};
use crate::store::{self, NewOutbox, Status};
use crate::text::CleanText;
use crate::triage::{Decision, DecisionKind};

/// Longest draft accepted from the editor.
const MAX_DRAFT_CHARS: usize = 50_000;

#[derive(Deserialize)]
pub struct Empty {}

#[derive(Deserialize)]
pub struct TextForm {
    text: String,
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub struct RegionForm {
    region: String,
}

#[derive(Deserialize)]
pub struct EntryForm {
    entry: String,
}

fn back(id: i64, done: &str) -> Response {
    Redirect::to(&format!("/enquiries/{id}?done={done}#result")).into_response()
}

/// The enquiry for an admin-only action: 403 for a lead, then as [`visible`].
async fn admin_visible(
    state: &AppState,
    session: &Session,
    id: i64,
) -> WebResult<store::EnquiryRow> {
    session.require_admin()?;
    visible(state, session, id).await
}

fn draft_text(text: &str) -> WebResult<String> {
    let text = actions::normalise_draft(text);
    if text.trim().is_empty() {
        return Err(WebError::BadRequest("the draft is empty".into()));
    }
    if text.chars().count() > MAX_DRAFT_CHARS {
        return Err(WebError::BadRequest(format!(
            "the draft is longer than {MAX_DRAFT_CHARS} characters"
        )));
    }
    Ok(text)
}

/// The approve form: the version its button named and the editor's text.
#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    text: Option<String>,
}

/// Approve and send: sends what is in the editor. When the editor's text differs from the
/// version shown it is saved as a new version first, in the same transaction; when a newer
/// version than the one shown exists, nothing is queued and 409 shows it and who wrote it.
/// Queued once, however often it is clicked.
pub async fn approve(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<ApproveForm>,
) -> WebResult<Response> {
    admin_visible(&state, &session, id).await?;
    let text = form.text.as_deref().map(draft_text).transpose()?;
    let seen = actions::Seen {
        version: form.version,
        text,
    };
    let done = actions::approve(
        &state.service.store,
        &state.service.config,
        id,
        &session.actor(),
        &seen,
    )
    .await?;
    tracing::info!(user = %crate::logging::safe(&session.name), enquiry = id, version = done.version, new = done.newly_queued, edited = done.saved_edit, "approved");
    Ok(back(
        id,
        if done.newly_queued {
            "approved"
        } else {
            "already"
        },
    ))
}

/// Saves the editor's text as a new draft version.
pub async fn save(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> WebResult<Response> {
    admin_visible(&state, &session, id).await?;
    let text = draft_text(&form.text)?;
    new_draft(&state, &session, id, Action::EditDraft, &text, None, "edit").await?;
    Ok(back(id, "saved"))
}

/// Stores a draft version through the state machine (refused when the enquiry is closed,
/// sent, queued or purged), makes the enquiry wait for approval and audits it.
async fn new_draft(
    state: &AppState,
    session: &Session,
    id: i64,
    action: Action,
    text: &str,
    html: Option<&str>,
    audit_action: &str,
) -> WebResult<i64> {
    Ok(actions::save_draft(
        &state.service.store,
        id,
        &session.actor(),
        action,
        text,
        html,
        audit_action,
    )
    .await?)
}

/// Rejects the latest draft with a reason and closes the enquiry.
pub async fn reject(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> WebResult<Response> {
    admin_visible(&state, &session, id).await?;
    let reason = form.reason.trim();
    if reason.is_empty() {
        return Err(WebError::BadRequest("give a reason for rejecting".into()));
    }
    let reason: String = reason.chars().take(500).collect();
    actions::reject(&state.service.store, id, &session.actor(), &reason).await?;
    Ok(back(id, "rejected"))
}

/// Sends the enquiry to another region's lead, or to the admin team (`admin`): updates the
/// region, audits the change and, in the same transaction, queues a notification to the new
/// lead (see [`reroute_notification`]) unless the enquiry was purged or the lead's address may
/// not be mailed (ours, a robot, missing).
pub async fn reroute(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<RegionForm>,
) -> WebResult<Response> {
    admin_visible(&state, &session, id).await?;
    let region = match form.region.as_str() {
        "admin" => None,
        r if state.service.triage.current().kb.regions.get(r).is_some() => Some(r),
        _ => return Err(WebError::BadRequest("unknown region".into())),
    };
    let actor = session.actor();
    let contact = state.service.triage.current().contact_for(region).clone();
    let now = store::now();
    let mut tx = state.service.store.begin().await?;
    let e = actions::lock_enquiry(&mut tx, id).await?;
    actions::check(&mut tx, &e, Action::Reroute).await?;
    let notify = e.purged_at.is_none() && may_mail(&state.service.config, &contact.email);
    queries::set_region(&mut tx, id, region).await?;
    if e.status != "routed" {
        store::set_status(&mut tx, id, Status::Routed).await?;
    }
    let detail = format!(
        "from {} to {}; {}",
        e.region.as_deref().unwrap_or("admin team"),
        region.unwrap_or("admin team"),
        if notify {
            format!("{} notified", contact.name)
        } else {
            "nobody notified (no address that may be mailed, or purged)".to_string()
        }
    );
    let audit_id = store::audit_id(&mut tx, Some(id), &actor, "reroute", &detail, now).await?;
    if notify {
        let key = format!("lead-{id}-reroute-{audit_id}");
        let message = reroute_notification(&state, &e, region, &contact.email, &actor, &key)?;
        store::enqueue(&mut tx, &message, now).await?;
    }
    tx.commit().await?;
    tracing::info!(user = %crate::logging::safe(&session.name), enquiry = id, notified = notify, "re-routed");
    Ok(back(id, "rerouted"))
}

/// The lead notification for a re-routed enquiry, rendered with `triage.lead_notification`
/// from the stored row (cleaned text, sender, subject, the new region, and "re-routed by
/// <actor>" as the reason). It threads to the sender's original message (email only) and
/// carries a lead-notification Message-ID, so the lead's reply becomes a draft like any other.
fn reroute_notification(
    state: &AppState,
    e: &store::EnquiryRow,
    region: Option<&str>,
    to: &str,
    actor: &str,
    key: &str,
) -> WebResult<NewOutbox> {
    let triage = &state.service.triage.current();
    let channel = if e.channel == "chat" {
        Channel::Chat
    } else {
        Channel::Email
    };
    let enquiry = Enquiry {
        channel: Some(channel),
        from: e.sender.clone(),
        from_name: e.sender_name.clone(),
        subject: e.subject.clone(),
        body: e.cleaned_text.clone(),
        ..Enquiry::default()
    };
    let decision = Decision {
        decision: DecisionKind::Route,
        confidence: e.confidence as f32,
        faq: Vec::new(),
        candidates: Vec::new(),
        region: region.map(str::to_string),
        reason: format!("re-routed by {actor}"),
        questions: Vec::new(),
        region_match: RegionMatch::default(),
        cleaned: CleanText {
            text: e.cleaned_text.clone(),
            ..CleanText::default()
        },
        sender_name: e.sender_name.clone(),
    };
    let reference = ingest::reference(e.thread_id);
    let note = triage.lead_notification(&enquiry, &decision, &reference)?;
    let mut message = ingest::lead_notification_mail(
        &state.service.config,
        key.to_string(),
        e.id,
        to,
        &reference,
        e.subject.as_deref(),
        note,
    )?;
    // threaded to the sender's Message-ID, when the enquiry is an email that had one
    if e.channel == "email" && !e.external_id.starts_with("sha256:") {
        message.in_reply_to = Some(e.external_id.clone());
        message.references = vec![e.external_id.clone()];
    }
    Ok(message)
}

/// Closes an enquiry someone answered outside this tool.
pub async fn answered_elsewhere(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(_): Form<Empty>,
) -> WebResult<Response> {
    admin_visible(&state, &session, id).await?;
    let now = store::now();
    let mut tx = state.service.store.begin().await?;
    let e = actions::lock_enquiry(&mut tx, id).await?;
    actions::check(&mut tx, &e, Action::AnsweredElsewhere).await?;
    queries::add_mark(&mut tx, id, "answered_elsewhere", &session.actor(), now).await?;
    store::set_status(&mut tx, id, Status::Closed).await?;
    store::audit(
        &mut tx,
        Some(id),
        &session.actor(),
        "answered_elsewhere",
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(back(id, "elsewhere"))
}

/// Re-drafts the reply from another FAQ entry with the reply templates.
pub async fn use_entry(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<EntryForm>,
) -> WebResult<Response> {
    let e = admin_visible(&state, &session, id).await?;
    let triage = &state.service.triage.current();
    let entry = triage
        .kb
        .entry(&form.entry)
        .ok_or_else(|| WebError::BadRequest("unknown FAQ entry".into()))?;
    let answers = [AnswerView::from(entry)];
    let draft = if e.channel == "chat" {
        triage.drafter.chat_answer(&answers)?
    } else {
        triage.drafter.email_answer(
            e.sender_name.as_deref(),
            triage.region_name(e.region.as_deref()),
            &answers,
        )?
    };
    new_draft(
        &state,
        &session,
        id,
        Action::EditDraft,
        &draft.text,
        draft.html.as_deref(),
        &format!("use_entry {}", entry.id),
    )
    .await?;
    Ok(back(id, "entry"))
}

/// A lead's (or admin's) answer to a routed enquiry: a draft awaiting an admin's approval.
pub async fn lead_answer(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> WebResult<Response> {
    visible(&state, &session, id).await?;
    let text = draft_text(&form.text)?;
    new_draft(
        &state,
        &session,
        id,
        Action::LeadAnswer,
        &text,
        None,
        "lead_answer",
    )
    .await?;
    Ok(back(id, "answered"))
}
