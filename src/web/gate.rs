//! The regression gate in the web app: before a knowledge-base edit is saved, what it would
//! change for the enquiries whose right decision is known: the labelled set named by
//! `[matcher] labelled_set` (the `eval` JSONL format) and every enquiry an admin approved
//! (expect that entry), rejected or re-routed (expect route). See `crate::gate`.

use std::collections::HashMap;

use super::error::{WebError, WebResult};
use super::{queries, AppState};
use crate::draft::Drafter;
use crate::gate::{self, Expect, GateReport, Labelled};
use crate::kb::KnowledgeBase;
use crate::matcher::Semantic;
use crate::store;
use crate::triage::Triage;

/// At most this many stored enquiries are checked (the newest).
const MAX_STORED: i64 = 500;

/// The labelled enquiries: the configured set, then the ones admins settled.
async fn labelled(state: &AppState) -> WebResult<Vec<Labelled>> {
    let mut out = Vec::new();
    if let Some(path) = &state.options.labelled_set {
        match tokio::fs::read_to_string(path).await {
            Ok(text) => {
                let (set, errors) = gate::parse_labelled(&text);
                for e in errors {
                    tracing::warn!(file = %path.display(), "labelled set: {e}");
                }
                out.extend(set);
            }
            Err(e) => tracing::warn!(file = %path.display(), "cannot read the labelled set: {e}"),
        }
    }
    let mut conn = state.service.store.conn().await?;
    for (id, entry) in queries::settled_enquiries(&mut conn, MAX_STORED).await? {
        let Some(row) = store::get_enquiry(&mut conn, id).await? else {
            continue;
        };
        out.push(Labelled {
            id: format!("FPT-{id}"),
            stored: Some(id),
            enquiry: super::enquiry::as_enquiry(&row),
            expect: match entry {
                Some(entry) => Expect::Answer {
                    entry: Some(entry),
                    facts: Vec::new(),
                },
                None => Expect::Route,
            },
        });
    }
    Ok(out)
}

/// The triage `kb` would make, built like the one in use: its threshold and signature, and
/// its model with the vectors of unchanged texts reused (only new texts are embedded).
fn rebuild(current: &Triage, kb: KnowledgeBase) -> Result<Triage, String> {
    let semantic = match &current.matcher.semantic {
        Some(s) => {
            let known: HashMap<&str, &[f32]> = s
                .texts()
                .iter()
                .enumerate()
                .map(|(i, t)| (t.text.as_str(), s.vector(i)))
                .collect();
            let texts = crate::matcher::kb_texts(&kb);
            let missing: Vec<&str> = texts
                .iter()
                .map(|t| t.text.as_str())
                .filter(|t| !known.contains_key(t))
                .collect();
            let fresh = s.embed(&missing).map_err(|e| e.to_string())?;
            let fresh: HashMap<&str, Vec<f32>> = missing.into_iter().zip(fresh).collect();
            let vectors = texts
                .iter()
                .map(|t| {
                    known
                        .get(t.text.as_str())
                        .map(|v| v.to_vec())
                        .or_else(|| fresh.get(t.text.as_str()).cloned())
                        .unwrap_or_default()
                })
                .collect();
            Some(Semantic::new(s.model().clone(), &kb, vectors).map_err(|e| e.to_string())?)
        }
        None => None,
    };
    let mut drafter = Drafter::builtin();
    drafter.signature = current.drafter.signature.clone();
    let mut triage = Triage::with_semantic(kb, drafter, semantic);
    triage.threshold = current.threshold;
    Ok(triage)
}

/// What saving `change` (applied to the base in use) would do to the labelled enquiries.
pub async fn preview(
    state: &AppState,
    change: impl FnOnce(&mut KnowledgeBase) + Send + 'static,
) -> WebResult<GateReport> {
    let labelled = labelled(state).await?;
    let current = state.service.triage.current();
    tokio::task::spawn_blocking(move || {
        let mut kb = current.kb.clone();
        change(&mut kb);
        let after = rebuild(&current, kb).map_err(WebError::Internal)?;
        Ok(gate::compare(Some(&current), &after, &labelled))
    })
    .await
    .map_err(|e| WebError::Internal(format!("the regression check stopped: {e}")))?
}

/// The report as the page shows it.
pub fn context(report: &GateReport) -> minijinja::Value {
    let changes: Vec<_> = report
        .changes
        .iter()
        .map(|c| {
            minijinja::context! {
                id => c.id, stored => c.stored, summary => c.summary,
                before => c.before.as_ref().map(ToString::to_string),
                after => c.after.to_string(), regression => c.regression, fixed => c.fixed,
            }
        })
        .collect();
    minijinja::context! {
        total => report.total, changes => changes, summary => report.summary(),
        regressions => report.regressions().count(),
    }
}
