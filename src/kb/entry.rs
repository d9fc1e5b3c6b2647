//! One knowledge-base entry and its file format: TOML front matter between `+++` lines, then
//! the answer in Markdown-light prose.

use std::path::PathBuf;

use serde::Deserialize;

/// Whether an entry is a short FAQ answer or a longer handbook passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Faq,
    Handbook,
}

/// A question people ask, the ways they ask it, and the answer to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// Alternative phrasings of the question as people ask it.
    pub questions: Vec<String>,
    pub answer: String,
    /// Where to read more.
    pub read_more: Option<String>,
    pub kind: EntryKind,
    /// The file it came from, when loaded from a folder.
    pub source: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FrontMatter {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub questions: Vec<String>,
    #[serde(default)]
    pub read_more: Option<String>,
    /// Where phrasings added from the web app came from (see [`Learned`]); not used for
    /// matching (the phrasing itself is in `questions`).
    #[serde(default)]
    #[allow(dead_code)]
    pub learned: Vec<Learned>,
}

/// The origin of a phrasing added from an answered enquiry: `[[learned]]` tables in the front
/// matter with `question`, `from` ("FPT-12"), `by` (the admin) and `on` (YYYY-MM-DD).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Learned {
    pub question: String,
    pub from: String,
    pub by: String,
    pub on: String,
}

/// Splits a file into its front matter (with the line it starts on) and its body.
pub fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}
