//! Knowledge-base history: every change the app makes to a file in `faq/` is recorded in the
//! audit log (action `faq_version`, no enquiry) with the text before and after; the history
//! page of an entry shows each change as a line diff (`similar` crate) with who and when, and
//! an admin can restore the text an entry had before any change (itself recorded as a change).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::auth::Session;
use super::error::{WebError, WebResult};
use super::AppState;
use crate::store;

/// What one `faq_version` audit row holds (its detail, as JSON).
#[derive(Debug, Serialize, Deserialize)]
pub struct Version {
    /// The entry id (`entries/<id>.md`).
    pub entry: String,
    /// The file's text before the change; `None` when the change created it.
    pub before: Option<String>,
    pub after: String,
}

/// Records a change of `entry`'s file in the audit log.
pub async fn record(
    conn: &mut sqlx::AnyConnection,
    actor: &str,
    version: &Version,
) -> WebResult<()> {
    let detail = serde_json::to_string(version).map_err(|e| WebError::Internal(e.to_string()))?;
    store::audit(conn, None, actor, "faq_version", &detail, store::now()).await?;
    Ok(())
}

/// The recorded changes of `entry`, newest first: (audit id, actor, time, version).
async fn versions(
    conn: &mut sqlx::AnyConnection,
    entry: &str,
) -> WebResult<Vec<(i64, String, i64, Version)>> {
    let rows = super::queries::audit_with_action(conn, "faq_version").await?;
    Ok(rows
        .into_iter()
        .rev()
        .filter_map(|a| {
            let v: Version = serde_json::from_str(&a.detail).ok()?;
            (v.entry == entry).then_some((a.id, a.actor, a.at, v))
        })
        .collect())
}

/// "+ line" / "- line" / "  line" rows of a line diff.
fn diff(before: &str, after: &str) -> Vec<(char, String)> {
    similar::TextDiff::from_lines(before, after)
        .iter_all_changes()
        .map(|c| {
            let sign = match c.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            };
            (sign, c.value().trim_end_matches('\n').to_string())
        })
        .collect()
}

/// The history page of one entry.
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(entry): Path<String>,
) -> WebResult<Response> {
    session.require_admin()?;
    if !super::kb::valid_id(&entry) {
        return Err(WebError::NotFound);
    }
    let mut conn = state.service.store.conn().await?;
    let list = versions(&mut conn, &entry).await?;
    let changes: Vec<_> = list
        .iter()
        .map(|(id, actor, at, v)| {
            minijinja::context! {
                id => id, actor => actor, at => store::format_time(*at),
                created => v.before.is_none(),
                diff => diff(v.before.as_deref().unwrap_or(""), &v.after),
            }
        })
        .collect();
    Ok(state
        .pages
        .render(
            "kb_history.html",
            Some(&session),
            minijinja::context! { title => "Entry history", nav => "kb", entry => entry, changes => changes },
        )
        .await?
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct Restore {
    /// The audit id of the change whose earlier text is restored.
    version: i64,
}

/// Restores the text `entry` had before change `version`: checked like `kb check`, written
/// atomically, recorded as a new change.
pub async fn restore(
    State(state): State<AppState>,
    session: Session,
    Path(entry): Path<String>,
    Form(form): Form<Restore>,
) -> WebResult<Response> {
    session.require_admin()?;
    if !super::kb::valid_id(&entry) {
        return Err(WebError::NotFound);
    }
    let mut conn = state.service.store.conn().await?;
    let list = versions(&mut conn, &entry).await?;
    let Some((_, _, _, v)) = list.into_iter().find(|(id, ..)| *id == form.version) else {
        return Err(WebError::NotFound);
    };
    let Some(text) = v.before else {
        return Err(WebError::Conflict(
            "this change created the entry: there is no earlier text to restore".into(),
        ));
    };
    let dir = state
        .kb_dir()
        .ok_or_else(|| WebError::Conflict("the knowledge base is not a folder".into()))?
        .join("entries");
    let path = dir.join(format!("{entry}.md"));
    let (_, problems) = crate::kb::check_entry_text(&path, &text, crate::kb::EntryKind::Faq);
    if let Some(p) = problems.iter().find(|p| p.is_error()) {
        return Err(WebError::Conflict(format!(
            "the earlier text would not load: {}",
            p.message
        )));
    }
    let current = std::fs::read_to_string(&path).ok();
    super::kb::replace_file(&dir, &path, &text)
        .map_err(|e| WebError::Internal(format!("{}: {e}", path.display())))?;
    record(
        &mut conn,
        &session.actor(),
        &Version {
            entry: entry.clone(),
            before: current,
            after: text,
        },
    )
    .await?;
    tracing::info!(user = %crate::logging::safe(&session.name), %entry, "FAQ entry restored");
    Ok(Redirect::to(&format!("/kb/history/{entry}?done=restored")).into_response())
}
