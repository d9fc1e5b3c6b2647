//! The semantic side of matching: every entry's phrasings (title and questions) and answer
//! passages as sentence embeddings, and the cosine of a question to each entry.
//!
//! The model itself is behind [`Embed`]; this module only holds vectors and compares them, so
//! it stays pure and testable with a stand-in model. Vectors are L2-normalised, so a dot
//! product is a cosine in [-1, 1].

use std::fmt::Debug;
use std::sync::Arc;

use crate::kb::KnowledgeBase;

/// An embedding model failed; the message says on what.
#[derive(Debug, Clone, thiserror::Error)]
#[error("embedding failed: {0}")]
pub struct EmbedError(pub String);

/// A sentence-embedding model: texts in, L2-normalised vectors of `dims()` floats out.
pub trait Embed: Send + Sync + Debug {
    /// Identifies the weights (the sha256 of the weights file): caches are keyed by it.
    fn model_id(&self) -> &str;
    /// Length of every vector.
    fn dims(&self) -> usize;
    /// One vector per text, in order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;
    /// Whether the model has `word` (lower-case) as one token of its vocabulary, i.e. knows it
    /// as a word rather than as fragments. Default: no word is known.
    fn knows_word(&self, _word: &str) -> bool {
        false
    }
}

/// What a text of an entry is: a way of asking (title, question) or part of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Phrasing,
    Passage,
}

/// One embedded text of the knowledge base.
#[derive(Debug, Clone)]
pub struct KbText {
    pub doc: u32,
    pub kind: TextKind,
    /// Index of the phrasing within its entry (title is 0, questions from 1), for leave-one-out.
    pub ordinal: u32,
    pub text: String,
}

/// Words per answer passage: long enough for a fact and its context, short enough that the
/// passage's embedding is about one thing (all-MiniLM-L6-v2 was trained on sentence pairs).
const PASSAGE_WORDS: usize = 45;

/// The texts of a knowledge base that are embedded, in a stable order: per entry its title,
/// its questions, then its answer in passages of about [`PASSAGE_WORDS`] words cut at
/// sentence ends.
pub fn kb_texts(kb: &KnowledgeBase) -> Vec<KbText> {
    let mut out = Vec::new();
    for (d, e) in kb.entries.iter().enumerate() {
        let doc = d as u32;
        let mut seen = std::collections::HashSet::new();
        for (ordinal, p) in std::iter::once(&e.title).chain(&e.questions).enumerate() {
            let p = p.trim();
            if !p.is_empty() && seen.insert(p.to_lowercase()) {
                out.push(KbText {
                    doc,
                    kind: TextKind::Phrasing,
                    ordinal: ordinal as u32,
                    text: p.to_string(),
                });
            }
        }
        for (ordinal, passage) in passages(&e.answer).into_iter().enumerate() {
            out.push(KbText {
                doc,
                kind: TextKind::Passage,
                ordinal: ordinal as u32,
                text: passage,
            });
        }
    }
    out
}

/// Cuts an answer into passages of whole sentences, each about [`PASSAGE_WORDS`] words.
fn passages(answer: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut words = 0;
    for sentence in answer
        .split_inclusive(['.', '?', '!', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let n = sentence.split_whitespace().count();
        if words > 0 && words + n > PASSAGE_WORDS {
            out.push(std::mem::take(&mut current));
            words = 0;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(sentence);
        words += n;
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// Embedded knowledge base and the model to embed questions with.
#[derive(Debug, Clone)]
pub struct Semantic {
    model: Arc<dyn Embed>,
    texts: Vec<KbText>,
    vectors: Vec<Vec<f32>>,
    docs: usize,
}

/// Cosines of one question against every entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocCosines {
    /// Best cosine to any phrasing of each entry (0 when it has none).
    pub phrasing: Vec<f32>,
    /// Best cosine to any passage of each entry's answer.
    pub passage: Vec<f32>,
}

/// Which knowledge-base texts a query must not see (leave-one-out calibration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclude {
    None,
    /// One phrasing of one entry (the question being asked).
    Phrasing {
        doc: u32,
        ordinal: u32,
    },
    /// A whole entry, as if the base did not have it.
    Doc(u32),
}

impl Semantic {
    /// Pairs a model with the vectors of `kb_texts(kb)` (in that order, e.g. from the cache).
    pub fn new(
        model: Arc<dyn Embed>,
        kb: &KnowledgeBase,
        vectors: Vec<Vec<f32>>,
    ) -> Result<Self, EmbedError> {
        let texts = kb_texts(kb);
        if texts.len() != vectors.len() {
            return Err(EmbedError(format!(
                "{} vectors for {} knowledge-base texts",
                vectors.len(),
                texts.len()
            )));
        }
        Ok(Semantic {
            model,
            texts,
            vectors,
            docs: kb.entries.len(),
        })
    }

    /// Embeds `kb_texts(kb)` with `model` directly (no cache).
    pub fn embed_kb(model: Arc<dyn Embed>, kb: &KnowledgeBase) -> Result<Self, EmbedError> {
        let texts = kb_texts(kb);
        let refs: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
        let vectors = model.embed(&refs)?;
        Self::new(model, kb, vectors)
    }

    pub fn model(&self) -> &Arc<dyn Embed> {
        &self.model
    }

    pub fn texts(&self) -> &[KbText] {
        &self.texts
    }

    /// The stored vector of knowledge-base text `i` (aligned with [`Self::texts`]).
    pub fn vector(&self, i: usize) -> &[f32] {
        &self.vectors[i]
    }

    /// Embeds question texts.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.model.embed(texts)
    }

    /// Cosines of a question vector to every entry, leaving out what `exclude` names.
    pub fn cosines(&self, query: &[f32], exclude: Exclude) -> DocCosines {
        let mut out = DocCosines {
            phrasing: vec![0.0; self.docs],
            passage: vec![0.0; self.docs],
        };
        for (t, v) in self.texts.iter().zip(&self.vectors) {
            let skip = match exclude {
                Exclude::None => false,
                Exclude::Doc(d) => t.doc == d,
                Exclude::Phrasing { doc, ordinal } => {
                    t.doc == doc && t.kind == TextKind::Phrasing && t.ordinal == ordinal
                }
            };
            if skip {
                continue;
            }
            let cos: f32 = query.iter().zip(v).map(|(a, b)| a * b).sum();
            let slot = match t.kind {
                TextKind::Phrasing => &mut out.phrasing[t.doc as usize],
                TextKind::Passage => &mut out.passage[t.doc as usize],
            };
            if cos > *slot {
                *slot = cos;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_keep_whole_sentences_of_bounded_length() {
        let answer = "One. ".repeat(100);
        let p = passages(&answer);
        assert!(p.len() >= 2);
        assert!(p
            .iter()
            .all(|s| s.split_whitespace().count() <= PASSAGE_WORDS && s.ends_with('.')));
        assert_eq!(passages("Short answer."), vec!["Short answer.".to_string()]);
    }
}
