//! The knowledge base: FAQ entries, handbook passages, synonyms and regions, loaded from a
//! `faq/` folder or from a JSON file in the `kb --json` shape. Owns parsing and validation of
//! those files; knows nothing about matching.

mod check;
mod entry;
mod regions;

pub use check::{check_entry_text, check_folder, Problem};
pub use entry::{split_front_matter, Entry, EntryKind};
pub use regions::{Contact, Region, Regions};

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// Everything triage knows: entries to answer from, synonyms and regions to route to.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    pub entries: Vec<Entry>,
    /// Groups of equivalent terms, the first of each being canonical.
    pub synonyms: Vec<Vec<String>>,
    pub regions: Regions,
    /// Where the base was loaded from, for messages.
    pub source: PathBuf,
    /// Entry files left out by [`KnowledgeBase::load_lenient`] because of an error, each
    /// naming its file and line.
    pub skipped: Vec<Problem>,
}

#[derive(Debug, Deserialize)]
struct SynonymFile {
    #[serde(default)]
    group: Vec<SynonymGroup>,
}

#[derive(Debug, Deserialize)]
struct SynonymGroup {
    terms: Vec<String>,
}

impl KnowledgeBase {
    /// Loads a knowledge-base folder (`entries/`, `handbook/`, `synonyms.toml`,
    /// `regions.toml`) or a JSON file holding an array of entries. Fails on the first problem;
    /// `kb check` lists them all.
    pub fn load(path: &Path) -> Result<Self> {
        if path.is_file() {
            return Self::load_json(path);
        }
        if !path.is_dir() {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no knowledge-base folder or JSON file here (pass --kb PATH)",
                ),
            ));
        }
        let (kb, problems) = check::load_folder(path);
        match problems.into_iter().find(|p| p.is_error()) {
            Some(problem) => Err(problem.into_error()),
            None => Ok(kb),
        }
    }

    /// Loads like [`KnowledgeBase::load`], except that an entry or handbook file with an
    /// error is left out and listed in `skipped` (file and line) instead of failing: what a
    /// running service uses, so that one broken file does not stop it. Problems in
    /// `regions.toml`, `synonyms.toml` or a missing `entries/` still fail.
    pub fn load_lenient(path: &Path) -> Result<Self> {
        if path.is_dir() {
            check::load_folder_lenient(path)
        } else {
            Self::load(path)
        }
    }

    /// Loads entries from JSON: `[{"id","title","questions":[...],"answer"}, ...]`.
    pub fn load_json(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_json(&text).map_err(|e| match e {
            Error::Input(msg) => Error::kb(path, 1, msg),
            other => other,
        })
    }

    /// Parses entries from a JSON array in the `kb --json` shape.
    pub fn from_json(text: &str) -> Result<Self> {
        #[derive(Deserialize)]
        struct JsonEntry {
            id: String,
            #[serde(default)]
            title: String,
            #[serde(default)]
            questions: Vec<String>,
            #[serde(default)]
            answer: String,
            #[serde(default)]
            read_more: Option<String>,
        }
        let raw: Vec<JsonEntry> = serde_json::from_str(text).map_err(|e| {
            Error::Input(format!(
                "line {}: {e} (expected an array of {{\"id\",\"title\",\"questions\",\"answer\"}})",
                e.line()
            ))
        })?;
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::with_capacity(raw.len());
        for e in raw {
            if !seen.insert(e.id.clone()) {
                return Err(Error::Input(format!("duplicate entry id `{}`", e.id)));
            }
            entries.push(Entry {
                title: if e.title.is_empty() {
                    e.questions.first().cloned().unwrap_or_default()
                } else {
                    e.title
                },
                id: e.id,
                questions: e.questions,
                answer: e.answer,
                read_more: e.read_more,
                kind: EntryKind::Faq,
                source: None,
            });
        }
        Ok(KnowledgeBase {
            entries,
            ..Default::default()
        })
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Entries in the `kb --json` shape.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.entries
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "id": e.id, "title": e.title, "questions": e.questions, "answer": e.answer,
                        "read_more": e.read_more,
                    })
                })
                .collect(),
        )
    }
}
