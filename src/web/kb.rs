//! The knowledge base: browse the entries (and the files left out because of an error), try
//! a question (what triage would decide, with the explanation and the reply it would draft),
//! and turn an answered routed enquiry into a new FAQ entry file `<kb>/entries/<id>.md`
//! (admins only; `serve` reloads the base within seconds of the file being written).
//!
//! A new entry is serialised with the `toml` crate, every field bounded and single-line
//! fields refused when they hold line breaks or control characters; the text is parsed back
//! and run through the checks of `kb check` before it is written, and it is written
//! atomically (a temporary file linked into place, never replacing an existing file).

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
        .current()
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

/// The entry files left out at start-up, as "file:line: error: message".
fn skipped(state: &AppState) -> Vec<String> {
    state
        .service
        .triage
        .current()
        .kb
        .skipped
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Why the last knowledge-base reload was refused (the base in use stayed), if it was.
fn reload_problem(state: &AppState) -> Option<String> {
    state.service.triage.problem()
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
            minijinja::context! {
                title => "Knowledge base", nav => "kb", entries => list, filter => s.q,
                skipped => skipped(&state), reload_problem => reload_problem(&state),
            },
        )
        .await?
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
    let triage = &state.service.triage.current();
    let result = if question.is_empty() {
        None
    } else {
        let enquiry = Enquiry::email("you@example.org", "", &question);
        let d = crate::service::ingest::triage_blocking(triage, &enquiry).await?;
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
                skipped => skipped(&state), reload_problem => reload_problem(&state),
            },
        )
        .await?
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
    let questions = questions_only(&e.cleaned_text);
    let form = NewEntry {
        from: e.id,
        id: String::new(),
        title: e.subject.clone().unwrap_or_default(),
        questions: questions.join("\n"),
        answer,
        read_more: String::new(),
        preview: String::new(),
        save_anyway: String::new(),
    };
    render_new(&state, &session, &form, None).await
}

async fn render_new(
    state: &AppState,
    session: &Session,
    form: &NewEntry,
    error: Option<&str>,
) -> WebResult<Response> {
    render_new_gate(state, session, form, error, None).await
}

/// The form, with the regression gate's report when there is one.
async fn render_new_gate(
    state: &AppState,
    session: &Session,
    form: &NewEntry,
    error: Option<&str>,
    gate: Option<&crate::gate::GateReport>,
) -> WebResult<Response> {
    Ok(state
        .pages
        .render(
            "kb_new.html",
            Some(session),
            minijinja::context! {
                title => "New FAQ entry", nav => "kb", form => form, error => error,
                kb_dir => state.kb_dir().map(|p| p.display().to_string()),
                gate => gate.map(super::gate::context),
            },
        )
        .await?
        .into_response())
}

/// The questions in a sender's text, each without the statements before it (their personal
/// context: where they work, their circumstances): the last sentence of each run ending in
/// "?", whitespace collapsed.
pub fn questions_only(text: &str) -> Vec<String> {
    text.split_inclusive('?')
        .map(str::trim)
        .filter(|s| s.ends_with('?'))
        .map(|chunk| {
            let start = chunk[..chunk.len() - 1]
                .rfind(['.', '!', '\n', ':', ';'])
                .map_or(0, |i| i + 1);
            chunk[start..]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|q| q.len() > 3)
        .collect()
}

/// Longest id, title and read-more link accepted, in characters.
const MAX_LINE_CHARS: usize = 200;
/// Most question phrasings, and the longest each may be, in characters.
const MAX_QUESTIONS: usize = 50;
const MAX_QUESTION_CHARS: usize = 500;
/// Longest answer, in characters.
const MAX_ANSWER_CHARS: usize = 20_000;

/// A single-line field as stored: line breaks and other control characters become spaces,
/// runs of whitespace one space.
fn single_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A single-line field: at most `max` characters (after [`single_line`]).
fn one_line(field: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        return Err(format!("The {field} is longer than {max} characters."));
    }
    Ok(())
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
    /// "Preview what would change": run the regression gate, write nothing.
    #[serde(default)]
    preview: String,
    /// "Save anyway": write despite regressions (recorded in the audit log).
    #[serde(default)]
    save_anyway: String,
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

/// Writes `text` to `path` atomically and never over an existing file: a temporary file in
/// `dir`, flushed to disk, then hard-linked to `path` (which fails with `AlreadyExists` when
/// the name is taken) and removed.
fn write_new_file(
    dir: &std::path::Path,
    path: &std::path::Path,
    text: &str,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".new-{}.tmp", crate::web::auth::random_token()));
    let result = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .and_then(|_| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Replaces `path` with `text` atomically: a temporary file in `dir`, flushed, renamed over it.
pub(crate) fn replace_file(
    dir: &std::path::Path,
    path: &std::path::Path,
    text: &str,
) -> std::io::Result<()> {
    let tmp = dir.join(format!(".edit-{}.tmp", crate::web::auth::random_token()));
    let result = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
    let title = single_line(&form.title);
    let title = title.as_str();
    let read_more = single_line(&form.read_more);
    let questions: Vec<String> = form
        .questions
        .lines()
        .map(single_line)
        .filter(|q| !q.is_empty())
        .collect();
    let questions: Vec<&str> = questions.iter().map(String::as_str).collect();
    let answer = form.answer.replace("\r\n", "\n");
    let read_more = Some(read_more.as_str()).filter(|s| !s.is_empty());
    let problem: Option<String> = if !valid_id(id) {
        Some("The id must be lower-case letters, digits and hyphens (like `study-leave`).".into())
    } else if state.service.triage.current().kb.entry(id).is_some() {
        Some("An entry with this id exists already.".into())
    } else if title.is_empty() || questions.is_empty() || answer.trim().is_empty() {
        Some("A title, at least one question and an answer are needed.".into())
    } else if questions.len() > MAX_QUESTIONS {
        Some(format!("At most {MAX_QUESTIONS} questions."))
    } else if answer.chars().count() > MAX_ANSWER_CHARS {
        Some(format!(
            "The answer is longer than {MAX_ANSWER_CHARS} characters."
        ))
    } else if answer
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        Some("The answer holds control characters: remove them.".into())
    } else {
        one_line("title", title, MAX_LINE_CHARS)
            .and_then(|_| one_line("read-more link", read_more.unwrap_or(""), MAX_LINE_CHARS))
            .and_then(|_| {
                questions
                    .iter()
                    .try_for_each(|q| one_line("question", q, MAX_QUESTION_CHARS))
            })
            .err()
    };
    if let Some(problem) = problem {
        return render_new(&state, &session, &form, Some(&problem)).await;
    }
    let dir = state
        .kb_dir()
        .ok_or_else(|| WebError::Conflict("the knowledge base is not a folder".into()))?
        .join("entries");
    let text = entry_file(id, title, &questions, &answer, read_more)?;
    let path = dir.join(format!("{id}.md"));
    // the same checks as `kb check`, on the text about to be written
    let (parsed, problems) = crate::kb::check_entry_text(&path, &text, crate::kb::EntryKind::Faq);
    if let Some(p) = problems.iter().find(|p| p.is_error()) {
        return render_new(
            &state,
            &session,
            &form,
            Some(&format!("The entry would not load: {}", p.message)),
        )
        .await;
    }
    let Some(new_entry) =
        parsed.filter(|e| (e.title.as_str(), e.questions.len()) == (title, questions.len()))
    else {
        return Err(WebError::Internal(format!(
            "{}: the entry does not read back as written",
            path.display()
        )));
    };
    // the regression gate: what the entry would change for enquiries whose answer is known
    let report = super::gate::preview(&state, move |kb| kb.entries.push(new_entry)).await?;
    let save_anyway = !form.save_anyway.is_empty();
    if !form.preview.is_empty() || (report.has_regressions() && !save_anyway) {
        let error = (report.has_regressions() && form.preview.is_empty()).then_some(
            "Not written: this entry would change answers that were right (below). Change it, or save anyway.",
        );
        return render_new_gate(&state, &session, &form, error, Some(&report)).await;
    }
    match write_new_file(&dir, &path, &text) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            return render_new(
                &state,
                &session,
                &form,
                Some("A file with this id exists already."),
            )
            .await;
        }
        Err(err) => return Err(WebError::Internal(format!("{}: {err}", path.display()))),
    }
    let mut conn = state.service.store.conn().await?;
    super::history::record(
        &mut conn,
        &session.actor(),
        &super::history::Version {
            entry: id.to_string(),
            before: None,
            after: text.clone(),
        },
    )
    .await?;
    let detail = if report.has_regressions() {
        format!(
            "wrote entries/{id}.md despite regressions: {}",
            report.summary().join("; ")
        )
    } else {
        format!("wrote entries/{id}.md")
    };
    store::audit(
        &mut conn,
        Some(e.id),
        &session.actor(),
        "faq_entry",
        &detail,
        store::now(),
    )
    .await?;
    tracing::info!(user = %crate::logging::safe(&session.name), entry = id, "FAQ entry written");
    Ok(Redirect::to(&format!("/enquiries/{}?done=faq#result", e.id)).into_response())
}

/// The sender's question as a phrasing: one line, e-mail addresses and numbers of five or
/// more digits (phone, GMC, NHS numbers; spaces, dashes and brackets allowed inside) replaced,
/// at most `MAX_QUESTION_CHARS` characters.
pub fn anonymised_question(text: &str) -> String {
    static EMAIL: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\S+@\S+").ok());
    static NUMBER: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\+?\(?\d(?:[\d\s().-]*\d){4,}").ok());
    let mut line = single_line(text);
    if let Some(re) = EMAIL.as_ref() {
        line = re.replace_all(&line, "[email]").into_owned();
    }
    if let Some(re) = NUMBER.as_ref() {
        line = re.replace_all(&line, "[number]").into_owned();
    }
    line.chars().take(MAX_QUESTION_CHARS).collect()
}

/// The question of enquiry text to offer as a new phrasing: its first question, anonymised.
pub fn question_to_learn(cleaned_text: &str) -> Option<String> {
    questions_only(cleaned_text)
        .into_iter()
        .next()
        .map(|q| anonymised_question(&q))
        .filter(|q| !q.is_empty())
}

/// An entry's front matter as read and rewritten when a phrasing is added (field order kept).
#[derive(Debug, Deserialize, Serialize)]
struct EditableFront {
    id: String,
    title: String,
    #[serde(default)]
    questions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read_more: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    learned: Vec<LearnedRow>,
}

/// The front matter as hand-written entries have it: `id`, `title`, `questions` one a line,
/// `read_more`, then the `[[learned]]` tables (so a change shows as a few lines in a diff).
fn front_text(fm: &EditableFront) -> Result<String, toml::ser::Error> {
    #[derive(Serialize)]
    struct Head<'a> {
        id: &'a str,
        title: &'a str,
    }
    #[derive(Serialize)]
    struct Tail<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        read_more: Option<&'a str>,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        learned: &'a [LearnedRow],
    }
    let mut out = toml::to_string(&Head {
        id: &fm.id,
        title: &fm.title,
    })?;
    out.push_str("questions = [\n");
    for q in &fm.questions {
        out.push_str(&format!("  {},\n", toml::Value::String(q.clone())));
    }
    out.push_str("]\n");
    out.push_str(&toml::to_string(&Tail {
        read_more: fm.read_more.as_deref(),
        learned: &fm.learned,
    })?);
    Ok(out)
}

/// Where a phrasing came from: `[[learned]]` in the entry file.
#[derive(Debug, Deserialize, Serialize)]
struct LearnedRow {
    question: String,
    from: String,
    by: String,
    on: String,
}

#[derive(Debug, Deserialize)]
pub struct Phrasing {
    from: i64,
    entry: String,
    question: String,
}

/// Adds the question of an answered enquiry as a new phrasing of an entry: appended to the
/// entry file's `questions`, its origin in a `[[learned]]` table (question, enquiry, admin,
/// date), checked like `kb check`, written atomically (a temporary file renamed over the
/// entry), and audited with the line added. A running `serve` reloads it within seconds.
pub async fn add_phrasing(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<Phrasing>,
) -> WebResult<Response> {
    session.require_admin()?;
    let e = visible(&state, &session, form.from).await?;
    let question = anonymised_question(&form.question);
    if question.len() < 4 {
        return Err(WebError::BadRequest("the question is empty".into()));
    }
    let current = state.service.triage.current();
    let entry = current
        .kb
        .entry(&form.entry)
        .ok_or_else(|| WebError::BadRequest("unknown FAQ entry".into()))?;
    let path = entry
        .source
        .clone()
        .filter(|p| p.is_file())
        .ok_or_else(|| WebError::Conflict("this entry has no file to add to".into()))?;
    let text = std::fs::read_to_string(&path)
        .map_err(|err| WebError::Internal(format!("{}: {err}", path.display())))?;
    let (front, body) = crate::kb::split_front_matter(&text)
        .ok_or_else(|| WebError::Conflict(format!("{}: no front matter", path.display())))?;
    let mut fm: EditableFront = toml::from_str(front)
        .map_err(|err| WebError::Conflict(format!("{}: {err}", path.display())))?;
    let known = entry
        .questions
        .iter()
        .any(|q| q.trim().eq_ignore_ascii_case(question.trim()));
    if !known {
        if fm.questions.len() >= MAX_QUESTIONS * 4 {
            return Err(WebError::Conflict(
                "this entry has too many phrasings already".into(),
            ));
        }
        fm.questions.push(question.clone());
        fm.learned.push(LearnedRow {
            question: question.clone(),
            from: format!("FPT-{}", e.id),
            by: session.name.clone(),
            on: store::format_time(store::now())[..10].to_string(),
        });
        let front = front_text(&fm).map_err(|err| WebError::Internal(err.to_string()))?;
        let new_text = format!("+++\n{front}+++\n{body}");
        let (_, problems) = crate::kb::check_entry_text(&path, &new_text, entry.kind);
        if let Some(p) = problems.iter().find(|p| p.is_error()) {
            return Err(WebError::Internal(format!(
                "the entry would not load: {}",
                p.message
            )));
        }
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        replace_file(dir, &path, &new_text)
            .map_err(|err| WebError::Internal(format!("{}: {err}", path.display())))?;
        let mut conn = state.service.store.conn().await?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        super::history::record(
            &mut conn,
            &session.actor(),
            &super::history::Version {
                entry: entry.id.clone(),
                before: Some(text.clone()),
                after: new_text.clone(),
            },
        )
        .await?;
        store::audit(
            &mut conn,
            Some(e.id),
            &session.actor(),
            "faq_phrasing",
            &format!(
                "entries/{name}: + question {question:?} (from FPT-{})",
                e.id
            ),
            store::now(),
        )
        .await?;
        tracing::info!(user = %crate::logging::safe(&session.name), entry = %entry.id, "phrasing added");
    }
    Ok(Redirect::to(&format!("/enquiries/{}?done=phrasing#result", e.id)).into_response())
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

    #[test]
    fn only_the_question_is_prefilled() {
        let q = questions_only(
            "I'm a registrar at a big hospital. I am on parental leave. Can I still do FPT? Thanks. \
             And when does it start?",
        );
        assert_eq!(q, vec!["Can I still do FPT?", "And when does it start?"]);
    }
}
