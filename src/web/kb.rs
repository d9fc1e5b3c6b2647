//! The knowledge base: browse the entries, try a question (what triage would decide, with the
//! explanation and the reply it would draft), and turn an answered routed enquiry into a new
//! FAQ entry file `<kb>/entries/<id>.md` (admins only; triage uses it after a restart).

use std::io::Write;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::auth::Session;
use super::enquiry::visible;
use super::error::{WebError, WebResult};
use super::AppState;
use crate::enquiry::Enquiry;
use crate::store;

#[derive(Debug, Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

#[derive(Debug, Serialize)]
struct EntryView {
    id: String,
    title: String,
    questions: Vec<String>,
    answer: String,
    read_more: Option<String>,
    handbook: bool,
}

fn entries(state: &AppState, filter: &str) -> Vec<EntryView> {
    let filter = filter.trim().to_lowercase();
    state
        .service
        .triage
        .kb
        .entries
        .iter()
        .filter(|e| {
            filter.is_empty()
                || e.id.contains(&filter)
                || e.title.to_lowercase().contains(&filter)
                || e.answer.to_lowercase().contains(&filter)
        })
        .map(|e| EntryView {
            id: e.id.clone(),
            title: e.title.clone(),
            questions: e.questions.clone(),
            answer: e.answer.clone(),
            read_more: e.read_more.clone(),
            handbook: e.kind == crate::kb::EntryKind::Handbook,
        })
        .collect()
}

/// Browse (with `?q=` filtering the list).
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(s): Query<Search>,
) -> WebResult<Response> {
    let list = entries(&state, &s.q);
    Ok(state
        .pages
        .render(
            "kb.html",
            Some(&session),
            minijinja::context! { title => "Knowledge base", nav => "kb", entries => list, filter => s.q },
        )?
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct TryForm {
    #[serde(default)]
    question: String,
}

/// "Try a question": the decision triage would make, explained, with its draft.
pub async fn try_question(
    State(state): State<AppState>,
    session: Session,
    Query(form): Query<TryForm>,
) -> WebResult<Response> {
    let question: String = form.question.trim().chars().take(5_000).collect();
    let triage = &state.service.triage;
    let result = if question.is_empty() {
        None
    } else {
        let enquiry = Enquiry::email("you@example.org", "", &question);
        let d = triage.triage(&enquiry);
        let reply = triage.draft(&enquiry, &d)?.map(|r| r.text);
        let candidates: Vec<_> = d
            .candidates
            .iter()
            .map(|c| {
                minijinja::context! {
                    id => c.id, score => c.score, matched => c.matched,
                    title => triage.kb.entry(&c.id).map(|e| e.title.clone()),
                }
            })
            .collect();
        Some(minijinja::context! {
            decision => d.decision.as_str(),
            confidence => d.confidence,
            reason => d.reason,
            region => triage.region_name(d.region.as_deref()),
            candidates => candidates,
            reply => reply,
        })
    };
    Ok(state
        .pages
        .render(
            "kb.html",
            Some(&session),
            minijinja::context! {
                title => "Knowledge base", nav => "kb", entries => entries(&state, ""),
                question => question, result => result, threshold => triage.threshold,
            },
        )?
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct From {
    from: i64,
}

/// The new-entry form, filled from an answered routed enquiry.
pub async fn new_form(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<From>,
) -> WebResult<Response> {
    session.require_admin()?;
    let e = visible(&state, &session, q.from).await?;
    let answer = {
        let mut conn = state.service.store.conn().await?;
        store::latest_draft(&mut conn, e.id)
            .await?
            .map(|d| d.text)
            .unwrap_or_default()
    };
    let questions: Vec<String> = e
        .cleaned_text
        .split_inclusive('?')
        .map(str::trim)
        .filter(|s| s.ends_with('?') && s.len() > 3)
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let form = NewEntry {
        from: e.id,
        id: String::new(),
        title: e.subject.clone().unwrap_or_default(),
        questions: questions.join("\n"),
        answer,
        read_more: String::new(),
    };
    render_new(&state, &session, &form, None)
}

fn render_new(
    state: &AppState,
    session: &Session,
    form: &NewEntry,
    error: Option<&str>,
) -> WebResult<Response> {
    Ok(state
        .pages
        .render(
            "kb_new.html",
            Some(session),
            minijinja::context! {
                title => "New FAQ entry", nav => "kb", form => form, error => error,
                kb_dir => state.kb_dir().map(|p| p.display().to_string()),
            },
        )?
        .into_response())
}

#[derive(Debug, Deserialize, Serialize)]
pub struct NewEntry {
    from: i64,
    id: String,
    title: String,
    questions: String,
    answer: String,
    #[serde(default)]
    read_more: String,
}

#[derive(Serialize)]
struct Front<'a> {
    id: &'a str,
    title: &'a str,
    questions: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_more: Option<&'a str>,
}

/// Checks an entry id: lower-case letters, digits and single hyphens, at most 64 characters.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The file text of an entry: TOML front matter between `+++` lines, then the answer.
pub fn entry_file(
    id: &str,
    title: &str,
    questions: &[&str],
    answer: &str,
    read_more: Option<&str>,
) -> Result<String, WebError> {
    let front = toml::to_string(&Front {
        id,
        title,
        questions: questions.to_vec(),
        read_more,
    })
    .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(format!("+++\n{front}+++\n{}\n", answer.trim()))
}

/// Writes the new entry file; never overwrites one.
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<NewEntry>,
) -> WebResult<Response> {
    session.require_admin()?;
    let e = visible(&state, &session, form.from).await?;
    let id = form.id.trim();
    let title = form.title.trim();
    let questions: Vec<&str> = form
        .questions
        .lines()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .collect();
    let answer = form.answer.replace("\r\n", "\n");
    let read_more = Some(form.read_more.trim()).filter(|s| !s.is_empty());
    let problem = if !valid_id(id) {
        Some("The id must be lower-case letters, digits and hyphens (like `study-leave`).")
    } else if state.service.triage.kb.entry(id).is_some() {
        Some("An entry with this id exists already.")
    } else if title.is_empty() || questions.is_empty() || answer.trim().is_empty() {
        Some("A title, at least one question and an answer are needed.")
    } else {
        None
    };
    if problem.is_some() {
        return render_new(&state, &session, &form, problem);
    }
    let dir = state
        .kb_dir()
        .ok_or_else(|| WebError::Conflict("the knowledge base is not a folder".into()))?
        .join("entries");
    let text = entry_file(id, title, &questions, &answer, read_more)?;
    let path = dir.join(format!("{id}.md"));
    let written = std::fs::create_dir_all(&dir).and_then(|_| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
    });
    if let Err(err) = written {
        if err.kind() == std::io::ErrorKind::AlreadyExists {
            return render_new(
                &state,
                &session,
                &form,
                Some("A file with this id exists already."),
            );
        }
        return Err(WebError::Internal(format!("{}: {err}", path.display())));
    }
    let mut conn = state.service.store.conn().await?;
    store::audit(
        &mut conn,
        Some(e.id),
        &session.actor(),
        "faq_entry",
        &format!("wrote entries/{id}.md"),
        store::now(),
    )
    .await?;
    tracing::info!(user = %session.name, entry = id, "FAQ entry written");
    Ok(Redirect::to(&format!("/enquiries/{}?done=faq#result", e.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_and_files_are_valid_front_matter() {
        assert!(valid_id("study-leave") && valid_id("a1"));
        assert!(!valid_id("../x") && !valid_id("A") && !valid_id("a--b") && !valid_id(""));
        let text = entry_file("x", "Title \"q\"", &["Why?"], "Because.", None).unwrap();
        assert!(text.starts_with("+++\nid = \"x\"\n"), "{text}");
        assert!(text.ends_with("+++\nBecause.\n"), "{text}");
    }
}
