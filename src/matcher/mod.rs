//! The matcher: ranks knowledge-base entries for a piece of text and says how sure it is.
//!
//! Scoring combines BM25F over an entry's fields (question phrasings weigh more than the title,
//! the title more than the answer) with the best cosine similarity to any single phrasing, so a
//! paraphrase of one way of asking scores well even when the entry is long. Confidence comes
//! from how much of the enquiry the best entry covers and its margin over the runner-up.
//!
//! Invariant: pure and deterministic; no I/O, no knowledge of channels.

mod index;

pub use index::Index;

use serde::Serialize;

/// A ranked entry with the evidence for it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Candidate {
    pub id: String,
    /// Combined score in [0,1]: BM25F relative to the query's maximum, and phrasing similarity.
    pub score: f32,
    /// Share of the enquiry's weighted terms this entry contains, in [0,1].
    pub coverage: f32,
    /// Enquiry words that matched this entry (as written, after typo correction).
    pub matched: Vec<String>,
}

/// The result of matching one question.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MatchResult {
    /// Best first, at most `Index::MAX_CANDIDATES`.
    pub candidates: Vec<Candidate>,
    /// Confidence in [0,1] that the first candidate answers the question.
    pub confidence: f32,
    /// Words corrected for typos ("improvment" → "improvement").
    pub corrections: Vec<(String, String)>,
    /// Enquiry words the knowledge base does not know at all.
    pub unknown: Vec<String>,
    /// Whether the text had any words to match on.
    pub has_terms: bool,
}

impl MatchResult {
    pub fn top(&self) -> Option<&Candidate> {
        self.candidates.first()
    }
}

/// Confidence from the best entry's coverage and its lead over the runner-up.
///
/// Coverage says whether the entry speaks to everything the sender asked about (a question about
/// funding that mentions "FPT day" covers little). The margin says whether the choice is clear.
pub fn confidence(top: &Candidate, runner_up: Option<&Candidate>) -> f32 {
    let margin = match runner_up {
        Some(second) if top.score > 0.0 => ((top.score - second.score) / top.score).clamp(0.0, 1.0),
        _ => 1.0,
    };
    let clarity = 0.55 + 0.45 * (margin / 0.35).min(1.0);
    let strength = (top.score / 0.5).min(1.0);
    (top.coverage.powf(1.5) * clarity * (0.7 + 0.3 * strength)).clamp(0.0, 1.0)
}
