//! Live knowledge-base changes for `serve`: `faq/` is watched (the `notify` crate, debounced
//! with `notify-debouncer-full`), and after a change the base is loaded strictly, checked like
//! `kb check`, embedded (the embedding cache makes unchanged texts free), re-calibrated and
//! swapped into the [`LiveTriage`] in use. Enquiries already started keep the base they
//! started with. A base that fails to load or check is not used: the old one stays, and the
//! problem is logged and shown on the knowledge-base page until a later change fixes it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use super::Common;
use crate::config::Config;
use crate::draft::Drafter;
use crate::kb::{check_folder, KnowledgeBase};
use crate::live::LiveTriage;
use crate::model::{self, Loaded};
use crate::triage::Triage;

/// Quiet time after the last file event before a reload: an editor's save or a `git pull`
/// touching several files becomes one reload.
pub const DEBOUNCE: Duration = Duration::from_millis(400);

/// What a reload needs: where the base and templates are, the threshold and signature of the
/// running service, and the embedding model (loaded once, when watching starts).
struct Reloader {
    kb: PathBuf,
    templates: PathBuf,
    threshold: f32,
    mailbox: String,
    cache: PathBuf,
    model: model::ModelChoice,
    embedder: Option<Option<Arc<model::Embedder>>>,
}

impl Reloader {
    /// The embedder, loaded the first time; `None` when matching is lexical. A model that
    /// fails to load is tried again on the next reload.
    fn embedder(&mut self) -> anyhow::Result<Option<Arc<model::Embedder>>> {
        if let Some(e) = &self.embedder {
            return Ok(e.clone());
        }
        let loaded = match model::load(&self.model).context("cannot load the model")? {
            Loaded::On(e) => Some(Arc::from(e)),
            Loaded::Off(_) => None,
        };
        self.embedder = Some(loaded.clone());
        Ok(loaded)
    }

    /// Builds the new triage, or says why the base on disk cannot be used.
    fn build(&mut self) -> anyhow::Result<Triage> {
        if self.kb.is_dir() {
            let errors: Vec<String> = check_folder(&self.kb, &self.templates)
                .iter()
                .filter(|p| p.is_error())
                .map(ToString::to_string)
                .collect();
            if !errors.is_empty() {
                bail!("{}", errors.join("\n"));
            }
        }
        let kb = KnowledgeBase::load(&self.kb).with_context(|| {
            format!("cannot load the knowledge base from {}", self.kb.display())
        })?;
        let mut drafter = Drafter::load(&self.templates).with_context(|| {
            format!(
                "cannot load the templates from {}",
                self.templates.display()
            )
        })?;
        drafter.signature.mailbox = self.mailbox.clone();
        let semantic = match self.embedder()? {
            Some(e) => Some(super::model::semantic_index(&kb, e, &self.cache)?),
            None => None,
        };
        let mut triage = Triage::with_semantic_cached(kb, drafter, semantic, &self.cache);
        triage.threshold = self.threshold;
        Ok(triage)
    }
}

/// Watches `common.kb` and reloads into `live` after every (debounced) change until `stop`
/// completes. Errors setting up the watcher are returned; reload failures are only logged and
/// recorded in `live` (the old base stays).
pub async fn watch_kb(
    common: Common,
    config: Arc<Config>,
    live: LiveTriage,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |res: DebounceEventResult| match res {
        Ok(events) => {
            // reading a file is an event too (inotify access): only changes count
            let changed: Vec<_> = events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths.iter())
                .collect();
            if !changed.is_empty() {
                tracing::debug!(paths = ?changed, "knowledge-base files changed");
                let _ = tx.send(());
            }
        }
        Err(errors) => {
            for e in errors {
                tracing::warn!("watching the knowledge base: {e}");
            }
        }
    })
    .context("cannot start watching the knowledge base")?;
    let watched = watched_path(&common.kb);
    debouncer
        .watch(&watched, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {} for changes", watched.display()))?;
    tracing::info!(kb = %common.kb.display(), "watching the knowledge base for changes");
    let mut reloader = Reloader {
        kb: common.kb.clone(),
        templates: common.templates.clone(),
        threshold: common.threshold,
        mailbox: config.mail.address.clone(),
        cache: super::model::cache_dir(&common, Some(&config)),
        model: super::model::model_choice(&common, Some(&config)),
        embedder: None,
    };
    // the model is loaded now, not on the first change, so that reload is quick
    let mut reloader = tokio::task::spawn_blocking(move || {
        if let Err(e) = reloader.embedder() {
            tracing::warn!("knowledge-base reloads: {e:#}");
        }
        reloader
    })
    .await
    .context("loading the model for knowledge-base reloads stopped abnormally")?;
    // editors' swap and backup files, and saves without a change, are events too: only a
    // change of the base's files' content starts a reload
    let mut seen = fingerprint(&common.kb);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            got = rx.recv() => {
                if got.is_none() {
                    break;
                }
                // one reload for a burst of changes
                while rx.try_recv().is_ok() {}
                let now = fingerprint(&reloader.kb);
                if now == seen {
                    continue;
                }
                seen = now;
                let (r, result) = tokio::task::spawn_blocking(move || {
                    let result = reloader.build();
                    (reloader, result)
                })
                .await
                .context("the knowledge-base reload stopped abnormally")?;
                reloader = r;
                apply(&live, result);
            }
        }
    }
    drop(debouncer);
    Ok(())
}

/// Puts a built triage in use, or keeps the old one and records why.
fn apply(live: &LiveTriage, result: anyhow::Result<Triage>) {
    match result {
        Ok(triage) => {
            tracing::info!(
                entries = triage.kb.entries.len(),
                "knowledge base reloaded: the new entries answer from now on"
            );
            live.swap(Arc::new(triage));
        }
        Err(e) => {
            let problem = format!("{e:#}");
            tracing::error!(
                %problem,
                "knowledge-base change refused: the previous base stays in use; fix the problem and save again"
            );
            live.set_problem(Some(problem));
        }
    }
}

/// A SHA-256 over the names and contents of the base's files (`.md`, `.toml`, `.json`, in
/// name order), or of the one JSON file: equal fingerprints mean nothing a reload would see
/// has changed. Unreadable files count by name only (the reload will report them).
fn fingerprint(kb: &Path) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        for e in read.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, files);
            } else if path
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x, "md" | "toml" | "json"))
            {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    if kb.is_dir() {
        walk(kb, &mut files);
    } else {
        files.push(kb.to_path_buf());
    }
    files.sort();
    let mut hash = Sha256::new();
    for f in &files {
        hash.update(f.to_string_lossy().as_bytes());
        hash.update([0]);
        if let Ok(bytes) = std::fs::read(f) {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(&bytes);
        }
        hash.update([0]);
    }
    hash.finalize().into()
}

/// A folder is watched whole; a JSON base file through its folder (editors replace files).
fn watched_path(kb: &Path) -> PathBuf {
    if kb.is_file() {
        kb.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    } else {
        kb.to_path_buf()
    }
}
