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
    /// The question's most specific word when the best entry does not contain it (which
    /// lowers the confidence).
    pub missing_key: Option<String>,
}

impl MatchResult {
    pub fn top(&self) -> Option<&Candidate> {
        self.candidates.first()
    }
}

/// Score at which confidence is one half: measured on the labelled sets, every question the
/// knowledge base cannot answer scored below it.
const MIDPOINT: f32 = 0.46;
/// How sharply confidence rises around the midpoint.
const STEEPNESS: f32 = 12.0;
/// Relative lead over the runner-up below which confidence is reduced.
const CLEAR_MARGIN: f32 = 0.3;

/// Confidence from the best entry's score and its lead over the runner-up.
///
/// The score already reflects how much of the enquiry the entry covers (a question about
/// funding that mentions "FPT day" scores low). A small lead over the runner-up lowers the
/// confidence further: two entries fitting almost equally well is a reason to ask a person.
pub fn confidence(top: &Candidate, runner_up: Option<&Candidate>) -> f32 {
    let margin = match runner_up {
        Some(second) if top.score > 0.0 => ((top.score - second.score) / top.score).clamp(0.0, 1.0),
        _ => 1.0,
    };
    let strength = 1.0 / (1.0 + (-STEEPNESS * (top.score - MIDPOINT)).exp());
    let clarity = 0.85 + 0.15 * (margin / CLEAR_MARGIN).min(1.0);
    (strength * clarity).clamp(0.0, 1.0)
}
