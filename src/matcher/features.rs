//! The evidence about one candidate entry for one question, as a fixed vector of features
//! that the calibration weighs. Both matchers contribute; without a model the semantic
//! features are zero and a lexical-only calibration is fitted.

use std::collections::HashSet;

use super::index::{Index, Query};
use super::semantic::{DocCosines, Embed, Exclude, Semantic};
use super::{EmbedError, Matcher, Parts};
use crate::text::Analyzer;

/// The features, in vector order. Each is in [0,1] or [-1,1].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// Constant 1 (the intercept).
    Bias = 0,
    /// The ranking score: [`LEXICAL_SHARE`] of the lexical score plus the rest of the
    /// semantic cosine; the lexical score alone without a model.
    Rank,
    /// Ranking score minus the best ranking score of any other entry.
    RankMargin,
    /// Lexical score of the entry (BM25F relative to the query, blended with phrasing TF-IDF
    /// cosine), in [0,1].
    Lexical,
    /// Share of the question's weighted words the entry contains.
    Coverage,
    /// Best embedding cosine to one phrasing of the entry.
    Semantic,
    /// Semantic cosine minus the best cosine of any other entry (negative when another leads).
    SemanticMargin,
    /// Best embedding cosine to one passage of the entry's answer.
    Passage,
    /// 1 when this entry is the lexical matcher's first choice.
    LexicalTop,
    /// 1 when this entry is the semantic matcher's first choice.
    SemanticTop,
    /// Share of the question's weight in words the knowledge base does not know.
    Unknown,
    /// 1 when the entry lacks the question's most specific known word.
    KeyMissing,
    /// 1 for a question of at most three content words (chat-style: lexical evidence is thin
    /// and the embedding of a fragment is unreliable).
    Short,
    /// Share of the question's words that needed typo correction.
    Corrected,
    /// 1 when the question asks for a kind of answer (an amount, a procedure, a person, a
    /// time, a place, a reason) that none of the entry's phrasings asks for (`ask`).
    AskMismatch,
    /// Lexical score minus the best lexical score of any other entry.
    LexicalMargin,
}

/// Number of features.
pub const FEATURES: usize = 16;

/// Names of the features, for explanations and the fit report.
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "bias",
    "rank",
    "rank_margin",
    "lexical",
    "coverage",
    "semantic",
    "semantic_margin",
    "passage",
    "lexical_top",
    "semantic_top",
    "unknown",
    "key_missing",
    "short",
    "corrected",
    "ask_mismatch",
    "lexical_margin",
];

/// Weight of the lexical score in the ranking score when a model is loaded. On StackFAQ and
/// FPT enquiries 0.3 ranked best of the fixed weights tried (0, 0.1, 0.2, 0.3, 0.5; see also
/// shared/notes/matching-experiments.md); counting the lexical score only for its own top
/// three, as those notes did, ranked "what pathways are available?" below an entry that
/// merely shares "available".
pub const LEXICAL_SHARE: f32 = 0.3;
/// Weight of the lexical score for a question of at most three content words: a fragment's
/// embedding is unreliable while its few words, typo-corrected, say a lot (on the FPT sets 0.5
/// answered more short questions than 0.3 or 0.7 with no false answer; StackFAQ unchanged).
pub const SHORT_LEXICAL_SHARE: f32 = 0.5;
/// Content words from which a question is matched lexically on its own words, without the
/// statements around it.
const QUESTION_ALONE_TERMS: usize = 3;

/// Candidates taken from each matcher's ranking.
const PER_MATCHER: usize = 5;
/// A question of fewer words than this is embedded with its context.
const CONTEXT_UNDER_WORDS: usize = 12;
/// Words of a context part that are embedded: the ones nearest the question.
const CONTEXT_EMBEDDING_WORDS: usize = 48;
/// How much a context part's embedding is added to the question's (times its weight).
const CONTEXT_EMBEDDING_SHARE: f32 = 0.5;

/// One candidate entry and its feature vector.
#[derive(Debug, Clone)]
pub(crate) struct CandidateFeatures {
    pub doc: usize,
    pub x: [f32; FEATURES],
}

/// Everything computed for one question.
#[derive(Debug, Clone)]
pub(crate) struct QueryFeatures {
    pub query: Query,
    pub candidates: Vec<CandidateFeatures>,
}

impl QueryFeatures {
    pub fn has_terms(&self) -> bool {
        !self.query.terms.is_empty()
    }
}

/// The question's embedding: the question's own vector plus its context's, weighted, then
/// L2-normalised again.
pub(crate) fn embed_parts(
    semantic: &Semantic,
    analyzer: &Analyzer,
    parts: Parts<'_>,
) -> Result<Vec<f32>, EmbedError> {
    let question = model_text(
        analyzer,
        semantic.model().as_ref(),
        super::bounded(parts.question, super::MAX_QUERY_WORDS),
    );
    let mut texts = vec![question.as_str()];
    // The context helps a question that says little by itself ("how much is it exactly?");
    // a question of its own is embedded alone (a long mail's context costs far more to
    // embed than the question, and dilutes it). Only the words nearest the question count.
    let own_words = parts.question.split_whitespace().count();
    let context: &[(&str, f32)] = if own_words < CONTEXT_UNDER_WORDS {
        parts.context
    } else {
        &[]
    };
    texts.extend(
        context
            .iter()
            .map(|(t, _)| last_words(t, CONTEXT_EMBEDDING_WORDS)),
    );
    let vectors = semantic.embed(&texts)?;
    let mut v = vectors
        .first()
        .cloned()
        .ok_or_else(|| EmbedError("no vector for the question".into()))?;
    for (cv, (_, w)) in vectors.iter().skip(1).zip(context) {
        for (a, b) in v.iter_mut().zip(cv) {
            *a += CONTEXT_EMBEDDING_SHARE * w * b;
        }
    }
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
    Ok(v)
}

/// The last `n` whitespace-separated words of `text`.
fn last_words(text: &str, n: usize) -> &str {
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices().rev() {
        if c.is_whitespace() {
            if in_word {
                seen += 1;
                if seen == n {
                    return text[i..].trim_start();
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    text
}

/// The question as the embedding model should see it: words the model does not know as whole
/// words ("pathwyas", "capabilites") replaced by the knowledge base word the typo corrector
/// finds, because WordPiece splits an unknown spelling into fragments that mean little to the
/// model. Words the model knows are left as written (the corrector only knows the base's own
/// vocabulary, and would turn a real word it lacks into a wrong one); everything else of the
/// text, punctuation included, is kept.
pub(crate) fn model_text(analyzer: &Analyzer, model: &dyn Embed, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let folded = crate::text::fold(word);
        let fixed = (folded.chars().count() >= 5 && !model.knows_word(&folded))
            .then(|| analyzer.correct(&folded))
            .flatten();
        match fixed {
            Some(f) => out.push_str(f),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn top_n(scores: &[f32], n: usize, skip: Option<usize>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len())
        .filter(|&d| Some(d) != skip && scores[d] > 0.0)
        .collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order.truncate(n);
    order
}

/// The two largest values (from 0.0) and where the largest is: `best_other` for every entry
/// in one pass.
#[derive(Clone, Copy)]
struct Top2 {
    at: usize,
    first: f32,
    second: f32,
}

fn top2(scores: &[f32]) -> Top2 {
    let mut t = Top2 {
        at: usize::MAX,
        first: 0.0,
        second: 0.0,
    };
    for (i, &s) in scores.iter().enumerate() {
        if s > t.first {
            t.second = t.first;
            t.first = s;
            t.at = i;
        } else {
            t.second = t.second.max(s);
        }
    }
    t
}

fn best_other(t: Top2, d: usize) -> f32 {
    if d == t.at {
        t.second
    } else {
        t.first
    }
}

/// Features of the candidates for one question.
pub(crate) fn compute(
    m: &Matcher,
    parts: Parts<'_>,
    vector: Option<&[f32]>,
    drop: &HashSet<String>,
    exclude: Exclude,
) -> QueryFeatures {
    compute_with(&m.index, m.semantic.as_ref(), parts, vector, drop, exclude)
}

/// Features of the candidates for one question, from the two indexes.
pub(crate) fn compute_with(
    index: &Index,
    semantic: Option<&Semantic>,
    parts: Parts<'_>,
    vector: Option<&[f32]>,
    drop: &HashSet<String>,
    exclude: Exclude,
) -> QueryFeatures {
    // The question alone when it has enough words of its own; its context only helps a
    // question too short to say what it is about ("how much is it exactly?").
    let own = index.query(&[(parts.question, 1.0)], drop, exclude);
    let query = if parts.context.is_empty()
        || semantic.is_some() && own.terms.len() >= QUESTION_ALONE_TERMS
    {
        own
    } else {
        let mut weighted = vec![(parts.question, 1.0)];
        weighted.extend(parts.context.iter().copied());
        index.query(&weighted, drop, exclude)
    };
    let lex = index.scores(&query, exclude);
    let cos: Option<DocCosines> = match (semantic, vector) {
        (Some(s), Some(v)) => Some(s.cosines(v, exclude)),
        _ => None,
    };
    let skip = match exclude {
        Exclude::Doc(d) => Some(d as usize),
        _ => None,
    };
    let mut docs = top_n(&lex.score, PER_MATCHER, skip);
    if let Some(c) = &cos {
        for d in top_n(&c.phrasing, PER_MATCHER, skip) {
            if !docs.contains(&d) {
                docs.push(d);
            }
        }
    }
    let lex_top = top_n(&lex.score, 1, skip).first().copied();
    let sem_top = cos
        .as_ref()
        .and_then(|c| top_n(&c.phrasing, 1, skip).first().copied());
    let content_words = query.terms.iter().filter(|t| t.primary).count();
    let corrected = if query.terms.is_empty() {
        0.0
    } else {
        query.terms.iter().filter(|t| t.corrected).count() as f32 / query.terms.len() as f32
    };
    let unknown = query.unknown_share();
    let asked = super::ask::ask_kinds(parts.question);
    let key = query.key_term().cloned();
    let share = if content_words <= 3 {
        SHORT_LEXICAL_SHARE
    } else {
        LEXICAL_SHARE
    };
    let rank: Vec<f32> = (0..lex.score.len())
        .map(|d| match &cos {
            Some(c) => share * lex.score[d] + (1.0 - share) * c.phrasing[d].max(0.0),
            None => lex.score[d],
        })
        .collect();
    let rank_top = top2(&rank);
    let lex_top2 = top2(&lex.score);
    let sem_top2 = cos.as_ref().map(|c| top2(&c.phrasing));
    let mut candidates: Vec<CandidateFeatures> = docs
        .into_iter()
        .map(|d| {
            let mut x = [0f32; FEATURES];
            x[Feature::Bias as usize] = 1.0;
            x[Feature::Rank as usize] = rank[d];
            x[Feature::RankMargin as usize] = rank[d] - best_other(rank_top, d);
            x[Feature::Lexical as usize] = lex.score[d];
            x[Feature::LexicalMargin as usize] = lex.score[d] - best_other(lex_top2, d);
            x[Feature::Coverage as usize] = lex.coverage[d];
            x[Feature::LexicalTop as usize] = f32::from(lex_top == Some(d));
            if let (Some(c), Some(sem_top2)) = (&cos, sem_top2) {
                x[Feature::Semantic as usize] = c.phrasing[d];
                x[Feature::Passage as usize] = c.passage[d];
                x[Feature::SemanticMargin as usize] = c.phrasing[d] - best_other(sem_top2, d);
                x[Feature::SemanticTop as usize] = f32::from(sem_top == Some(d));
            }
            x[Feature::Unknown as usize] = unknown;
            x[Feature::KeyMissing as usize] =
                f32::from(key.as_ref().is_some_and(|k| !index.has(d, k)));
            x[Feature::Short as usize] = f32::from(content_words <= 3);
            x[Feature::Corrected as usize] = corrected;
            x[Feature::AskMismatch as usize] =
                f32::from(super::ask::mismatch(&asked, &index.ask_kinds(d, exclude)));
            CandidateFeatures { doc: d, x }
        })
        .collect();
    // best first by the ranking score (ties: knowledge-base order)
    candidates.sort_by(|a, b| {
        b.x[Feature::Rank as usize]
            .total_cmp(&a.x[Feature::Rank as usize])
            .then(a.doc.cmp(&b.doc))
    });
    QueryFeatures { query, candidates }
}
