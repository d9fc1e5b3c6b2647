//! `fpt-assist model …` and loading triage with the configured model: install, fetch and
//! status of the sentence-embedding model, and the one place that decides whether semantic
//! matching is on.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;

use super::{Common, ModelAction};
use crate::config::Config;
use crate::draft::Drafter;
use crate::kb::KnowledgeBase;
use crate::matcher::{kb_texts, Embed, Semantic};
use crate::model::{self, EmbeddingCache, Loaded, ModelChoice};
use crate::triage::Triage;

/// The model the user chose: `--model`/`FPT_MODEL`, else the config's `[matcher] model`.
pub fn model_choice(common: &Common, config: Option<&Config>) -> ModelChoice {
    let configured = config.and_then(|c| c.matcher.model.as_deref());
    ModelChoice::parse(common.model.as_deref().or(configured))
}

/// Where knowledge-base embeddings are cached.
pub fn cache_dir(common: &Common, config: Option<&Config>) -> PathBuf {
    common
        .cache_dir
        .clone()
        .or_else(|| config.and_then(|c| c.matcher.cache_dir.clone()))
        .or_else(|| config.map(|c| c.data_dir.join("cache")))
        .unwrap_or_else(|| PathBuf::from("var/cache"))
}

/// The semantic index of `kb` with `embedder`, reusing the on-disk cache.
pub fn semantic_index(
    kb: &KnowledgeBase,
    embedder: Arc<model::Embedder>,
    cache: &std::path::Path,
) -> anyhow::Result<Semantic> {
    let texts = kb_texts(kb);
    let refs: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
    let mut store = EmbeddingCache::open(cache, embedder.as_ref());
    let (vectors, stats) = store
        .embed_all(embedder.as_ref(), &refs)
        .context("cannot embed the knowledge base")?;
    tracing::debug!(
        hits = stats.hits,
        embedded = stats.embedded,
        "knowledge-base embeddings"
    );
    let model: Arc<dyn Embed> = embedder;
    Ok(Semantic::new(model, kb, vectors)?)
}

/// Loads the knowledge base, the templates and (if configured and present) the model, and
/// fits the calibration. A model folder named explicitly must load; the default one missing
/// means lexical matching, with `matching_note` saying why. `lenient`: a broken entry file is
/// left out (listed in `kb.skipped`) instead of failing, as `serve` needs.
pub fn load_triage(
    common: &Common,
    config: Option<&Config>,
    lenient: bool,
) -> anyhow::Result<Triage> {
    let kb = if lenient {
        KnowledgeBase::load_lenient(&common.kb)
    } else {
        KnowledgeBase::load(&common.kb)
    };
    let kb = kb.with_context(|| {
        format!(
            "cannot load the knowledge base from {} (run `fpt-assist kb check` to see every problem)",
            common.kb.display()
        )
    })?;
    let drafter = Drafter::load(&common.templates).with_context(|| {
        format!(
            "cannot load the templates from {}",
            common.templates.display()
        )
    })?;
    let choice = model_choice(common, config);
    let loaded = model::load(&choice).with_context(|| {
        format!(
            "cannot load the model (--model {}); use --model none for lexical matching only",
            choice
                .dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default()
        )
    })?;
    let cache = cache_dir(common, config);
    let (semantic, note) = match loaded {
        Loaded::On(embedder) => {
            let embedder: Arc<model::Embedder> = Arc::from(embedder);
            let s = semantic_index(&kb, embedder, &cache)?;
            (Some(s), None)
        }
        Loaded::Off(reason) => (None, Some(reason)),
    };
    let mut triage = Triage::with_semantic_cached(kb, drafter, semantic, &cache);
    triage.matching_note = note;
    triage.threshold = common.threshold;
    Ok(triage)
}

/// Runs `fpt-assist model …`.
pub fn run(common: &Common, action: ModelAction, out: &mut dyn Write) -> anyhow::Result<i32> {
    let choice = model_choice(common, None);
    let target = choice
        .dir()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(model::DEFAULT_MODEL_DIR));
    match action {
        ModelAction::Install { source } => {
            model::install(&source, &target)
                .with_context(|| format!("cannot install the model from {}", source.display()))?;
            writeln!(
                out,
                "installed {} into {} (checksums verified)",
                model::MODEL_NAME,
                target.display()
            )?;
            Ok(0)
        }
        ModelAction::Fetch { url } => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            runtime
                .block_on(model::fetch(&url, &target))
                .context("cannot fetch the model")?;
            writeln!(
                out,
                "fetched {} at revision {} into {} (checksums verified)",
                model::MODEL_NAME,
                model::MODEL_REVISION,
                target.display()
            )?;
            Ok(0)
        }
        ModelAction::Status => {
            if choice == ModelChoice::Off {
                writeln!(out, "model: none (--model none): lexical matching only")?;
                return Ok(0);
            }
            let status = model::status(&target);
            writeln!(out, "model folder: {}", status.dir.display())?;
            if !status.present {
                writeln!(
                    out,
                    "not installed: semantic matching is off; {}",
                    model::HOW_TO_TURN_ON
                )?;
                return Ok(1);
            }
            match &status.problem {
                Some(p) => writeln!(out, "files: {p}")?,
                None => writeln!(
                    out,
                    "files: {} revision {} (sha256 verified)",
                    model::MODEL_NAME,
                    model::MODEL_REVISION
                )?,
            }
            match model::Embedder::load(&target) {
                Ok(e) => {
                    let v = e.embed(&["How many days a week are protected for FPT?"]);
                    match v {
                        Ok(v) => writeln!(
                            out,
                            "loads: yes ({} dimensions); semantic matching is on",
                            v.first().map_or(0, Vec::len)
                        )?,
                        Err(err) => writeln!(out, "loads, but fails to embed: {err}")?,
                    }
                }
                Err(e) => {
                    writeln!(out, "does not load: {e}")?;
                    return Ok(1);
                }
            }
            Ok(if status.verified { 0 } else { 1 })
        }
    }
}
