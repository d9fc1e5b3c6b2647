//! The evidence about one candidate entry for one question, as a fixed vector of features
//! that the calibration weighs. Both matchers contribute; without a model the semantic
//! features are zero and a lexical-only calibration is fitted.

use crate::text::SplitWords;
use std::collections::HashSet;
use std::rc::Rc;

use super::ask::AskKind;
use super::index::{Index, Keep, Query, Scores};
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
pub(crate) const PER_MATCHER: usize = 5;
/// A question of fewer words than this is embedded with its context.
const CONTEXT_UNDER_WORDS: usize = 12;
/// Words of a context part that are embedded: the ones nearest the question.
const CONTEXT_EMBEDDING_WORDS: usize = 48;
/// A question that points back at its context with a pronoun after a verb or preposition
/// ("Could I do it alongside FPT, or use my FPT day for it?", "does that count?"): what it
/// asks about is in the context, however many words the question has (anaphora; a subject
/// "it" as in "is it one day a week?" usually means the scheme and does not count).
static REFERS_BACK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:do|did|doing|done|use|using|used|for|about|with|into|alongside|take|taking|fit|combine|count|counts|accept|accepting|join|joining|keep|keeping|continue|continuing|start|starting|mean|means|include|includes|allow|allowed)\s+(?:it|this|that|these|those|them)\b(?:\s*[?.,!]|\s+(?:alongside|with|as|during|on|in|for|instead|too|as\s+well)\b|\s*$)",
    )
    .expect("refers-back regex is valid")
});

/// Whether `question` points back at its context (see [`REFERS_BACK`]).
pub(crate) fn refers_back(question: &str) -> bool {
    REFERS_BACK.is_match(question)
}

/// Whether a question that could stand alone must still be matched with its context: it
/// points back at it ([`refers_back`]) and the context names something the base does not
/// know ("I've been offered a leadership fellowship. Could I use my FPT day for it?"), which
/// is then what is asked about. A pronoun that only means the scheme keeps the question alone.
fn needs_context(index: &Index, parts: Parts<'_>) -> bool {
    !parts.context.is_empty()
        && refers_back(parts.question)
        && index
            .query(parts.context, &HashSet::new(), Exclude::None)
            .terms
            .iter()
            .any(|t| !t.known)
}

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
    /// The kinds of answer the question asks for with its context
    /// (`shared::asked_with_context` of the parts the features were computed for).
    pub asked: Rc<[AskKind]>,
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
    index: &Index,
    parts: Parts<'_>,
) -> Result<Vec<f32>, EmbedError> {
    let analyzer = index.analyzer();
    let question = model_text(
        analyzer,
        semantic.model().as_ref(),
        super::bounded(parts.question, super::MAX_QUERY_WORDS),
    );
    // The context helps a question that says little by itself ("how much is it exactly?");
    // a question of its own is embedded alone (a long mail's context costs far more to
    // embed than the question, and dilutes it). Only the words nearest the question count.
    let own_words = parts.question.split_words().count();
    let context: &[(&str, f32)] = if own_words < CONTEXT_UNDER_WORDS || needs_context(index, parts)
    {
        parts.context
    } else {
        &[]
    };
    // The question and its context parts in one call: texts of one length share a forward
    // pass, and a text's vector is the same whatever it is embedded with, so the question's is
    // the one triage's second search, without the context, finds remembered.
    let texts: Vec<&str> = std::iter::once(question.as_str())
        .chain(
            context
                .iter()
                .map(|(t, _)| last_words(t, CONTEXT_EMBEDDING_WORDS)),
        )
        .collect();
    let mut vectors = semantic.embed_recent(&texts)?.into_iter();
    let mut v = vectors
        .next()
        .ok_or_else(|| EmbedError("no vector for the question".into()))?;
    for (cv, (_, w)) in vectors.zip(context) {
        for (a, b) in v.iter_mut().zip(&cv) {
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

/// The question as the embedding model should see it: without the frame of an indirect
/// question ([`crate::text::request_frame`]); the base's acronyms written as in the
/// base's own embedded texts ([`crate::text::acronyms`]); informal spellings in standard
/// words; words the model does not know as whole words ("pathwyas", "capabilites") replaced
/// by the knowledge base word the typo corrector finds, because WordPiece splits an unknown
/// spelling into fragments that mean little to the model. Words the model knows are left as
/// written (the corrector only knows the base's own vocabulary, and would turn a real word it
/// lacks into a wrong one); everything else of the text, punctuation included, is kept.
pub(crate) fn model_text(analyzer: &Analyzer, model: &dyn Embed, text: &str) -> String {
    // ("could you tell me what the pathways are?" is read as the clause it asks)
    let text = analyzer.expand_acronyms(crate::text::request_frame::without_frame(text));
    crate::text::map_words(&text, |word, out| {
        let folded = crate::text::fold(word);
        if let Some(standard) = crate::text::informal::expand(&folded) {
            out.push_str(&standard.join(" "));
            return;
        }
        let fixed = (folded.chars().count() >= 5 && !model.knows_word(&folded))
            .then(|| analyzer.correct(&folded))
            .flatten();
        out.push_str(fixed.unwrap_or(word));
    })
}

/// Up to `K` entries, best first by value (ties: the lower entry number first), kept while
/// scanning: selection in one pass instead of sorting everything that scored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TopK<const K: usize> {
    len: usize,
    items: [(usize, f32); K],
}

impl<const K: usize> Default for TopK<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const K: usize> TopK<K> {
    pub(crate) fn new() -> Self {
        TopK {
            len: 0,
            items: [(0, 0.0); K],
        }
    }

    /// Offers entry `doc` with `value`. The result is the first `K` of a sort by value
    /// (descending, `total_cmp`) then entry number, whatever the order of the offers.
    #[inline]
    pub(crate) fn offer(&mut self, doc: usize, value: f32) {
        let before = |a: (usize, f32), b: (usize, f32)| {
            b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)) == std::cmp::Ordering::Less
        };
        let item = (doc, value);
        if self.len == K {
            let last = self.items[K - 1];
            // (plain comparisons first: a value below the last kept one, neither NaN, is out
            // by `total_cmp` too; a value equal to it and not zero has the same bits, so
            // `total_cmp` finds them equal and the entry numbers decide)
            if value < last.1
                || (value == last.1 && value != 0.0 && doc >= last.0)
                || !before(item, last)
            {
                return;
            }
        }
        let mut at = self.len.min(K - 1);
        self.len = (self.len + 1).min(K);
        while at > 0 && before(item, self.items[at - 1]) {
            self.items[at] = self.items[at - 1];
            at -= 1;
        }
        self.items[at] = item;
    }

    /// The value below which [`TopK::offer`] turns an entry away at once: the last kept
    /// value once `K` are kept, minus infinity before.
    #[inline]
    pub(crate) fn floor(&self) -> f32 {
        if self.len == K {
            self.items[K - 1].1
        } else {
            f32::NEG_INFINITY
        }
    }

    /// The kept entries, best first.
    pub(crate) fn docs(&self) -> impl Iterator<Item = usize> + '_ {
        self.items[..self.len].iter().map(|&(d, _)| d)
    }

    fn first(&self) -> Option<usize> {
        self.docs().next()
    }
}

/// The two largest values (from 0.0) and where the largest is: `best_other` for every entry.
/// Offering every entry with a non-zero value gives the same numbers as a pass over all.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Top2 {
    at: usize,
    first: f32,
    second: f32,
}

impl Default for Top2 {
    fn default() -> Self {
        Self::new()
    }
}

impl Top2 {
    pub(crate) fn new() -> Self {
        Top2 {
            at: usize::MAX,
            first: 0.0,
            second: 0.0,
        }
    }

    fn offer(&mut self, i: usize, s: f32) {
        if s > self.first {
            self.second = self.first;
            self.first = s;
            self.at = i;
        } else {
            self.second = self.second.max(s);
        }
    }

    /// The second largest value (0.0 before two were offered): an offer not above it changes
    /// nothing.
    #[inline]
    pub(crate) fn second(&self) -> f32 {
        self.second
    }

    /// [`Top2::offer`] of a value that is neither NaN nor -0.0 (a lexical or ranking score:
    /// sums of non-negative terms from +0.0, clamped), with a plain comparison instead of
    /// `f32::max`: `max` differs from it only for a NaN (never kept by either) or a zero of
    /// the other sign, and `second` holds neither.
    #[inline]
    pub(crate) fn offer_score(&mut self, i: usize, s: f32) {
        if s > self.first {
            self.second = self.first;
            self.first = s;
            self.at = i;
        } else if s > self.second {
            self.second = s;
        }
    }
}

fn best_other(t: Top2, d: usize) -> f32 {
    if d == t.at {
        t.second
    } else {
        t.first
    }
}

thread_local! {
    /// Per-thread buffer for the semantic cosines of one question (two vectors of the base's
    /// size), reused from one question to the next.
    static COSINES: std::cell::RefCell<DocCosines> = std::cell::RefCell::default();
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
    // (Without a model a question with context is always matched with it: its own query is
    // then not analysed at all.)
    let with_context = || {
        let mut weighted = vec![(parts.question, 1.0)];
        weighted.extend(parts.context.iter().copied());
        index.query(&weighted, drop, exclude)
    };
    let query = if parts.context.is_empty() {
        index.query(&[(parts.question, 1.0)], drop, exclude)
    } else if semantic.is_some() {
        let own = index.query(&[(parts.question, 1.0)], drop, exclude);
        if own.terms.len() >= QUESTION_ALONE_TERMS && !needs_context(index, parts) {
            own
        } else {
            with_context()
        }
    } else {
        with_context()
    };
    // without a semantic side there are never cosines, and the candidates read the hits of
    // the lexical top five only (see `candidates`)
    let keep = if semantic.is_some() {
        Keep::All
    } else {
        Keep::Best
    };
    let lex = index.scores_keeping(&query, exclude, keep);
    match (semantic, vector) {
        (Some(s), Some(v)) => COSINES.with(|buffer| {
            let mut cos = buffer.borrow_mut();
            s.cosines_into(v, exclude, &mut cos);
            let (candidates, asked) = candidates(index, &query, &lex, Some(&cos), parts, exclude);
            QueryFeatures {
                query,
                candidates,
                asked,
            }
        }),
        _ => {
            let (candidates, asked) = candidates(index, &query, &lex, None, parts, exclude);
            QueryFeatures {
                query,
                candidates,
                asked,
            }
        }
    }
}

/// The candidates and their features: the lexical and the semantic top [`PER_MATCHER`].
///
/// Only the entries the query reached lexically and the semantic side's best ones are
/// looked at: an entry with no lexical evidence ranks by its cosine alone, so the two best
/// cosines bound every such entry's ranking score, and the maxima over "any other entry"
/// are the same numbers as over the whole base.
fn candidates(
    index: &Index,
    query: &Query,
    lex: &Scores,
    cos: Option<&DocCosines>,
    parts: Parts<'_>,
    exclude: Exclude,
) -> (Vec<CandidateFeatures>, Rc<[AskKind]>) {
    let skip = match exclude {
        Exclude::Doc(d) => Some(d as usize),
        _ => None,
    };
    let content_words = query.terms.iter().filter(|t| t.primary).count();
    let share = if content_words <= 3 {
        SHORT_LEXICAL_SHARE
    } else {
        LEXICAL_SHARE
    };
    let rank_of = |d: usize, lexical: f32| match cos {
        Some(c) => share * lexical + (1.0 - share) * c.phrasing[d].max(0.0),
        None => lexical,
    };
    // the lexical top five and best two, taken while the scores were finished (the same
    // offers in the same order: see `Scores::best`), and, with cosines, one pass over the
    // entries reached lexically for the ranking scores
    debug_assert!(lex.hits.is_empty() || lex.skipped == skip.map(|d| d as u32));
    let (lex_best, lex_top2) = (lex.best, lex.top2);
    let mut rank_top = Top2::new();
    if cos.is_some() {
        for h in &lex.hits {
            let d = h.doc as usize;
            rank_top.offer_score(d, rank_of(d, h.score));
        }
    } else {
        // without cosines the ranking score is the lexical score: the same offers
        rank_top = lex_top2;
    }
    let mut sem_best = TopK::<PER_MATCHER>::new();
    let mut sem_top2 = Top2::new();
    // the two entries of highest cosine, whatever it is: they bound the ranking score of
    // every entry without lexical evidence
    let mut sem_two = TopK::<2>::new();
    if let Some(c) = cos {
        for (d, &p) in c.phrasing.iter().enumerate() {
            if Some(d) != skip && p > 0.0 {
                sem_best.offer(d, p);
            }
            sem_top2.offer(d, p);
            sem_two.offer(d, p);
        }
    }
    let mut docs: Vec<usize> = lex_best.docs().collect();
    for d in sem_best.docs() {
        if !docs.contains(&d) {
            docs.push(d);
        }
    }
    let lex_top = lex_best.first();
    let sem_top = sem_best.first();
    let corrected = if query.terms.is_empty() {
        0.0
    } else {
        query.terms.iter().filter(|t| t.corrected).count() as f32 / query.terms.len() as f32
    };
    let unknown = query.unknown_share();
    let asked = super::shared::asked_with_context(index, parts);
    let key = query.key_term().cloned();
    for d in sem_two.docs() {
        if lex
            .hits
            .binary_search_by_key(&d, |h| h.doc as usize)
            .is_err()
        {
            rank_top.offer_score(d, rank_of(d, 0.0));
        }
    }
    let mut candidates: Vec<CandidateFeatures> = docs
        .into_iter()
        .map(|d| {
            let (lexical, coverage) = lex.get(d);
            let rank = rank_of(d, lexical);
            let mut x = [0f32; FEATURES];
            x[Feature::Bias as usize] = 1.0;
            x[Feature::Rank as usize] = rank;
            x[Feature::RankMargin as usize] = rank - best_other(rank_top, d);
            x[Feature::Lexical as usize] = lexical;
            x[Feature::LexicalMargin as usize] = lexical - best_other(lex_top2, d);
            x[Feature::Coverage as usize] = coverage;
            x[Feature::LexicalTop as usize] = f32::from(lex_top == Some(d));
            if let Some(c) = cos {
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
    (candidates, asked)
}

#[cfg(test)]
mod tests {
    use super::refers_back;

    #[test]
    fn a_pronoun_object_points_back_at_the_context_and_a_subject_it_does_not() {
        assert!(refers_back(
            "Could I do it alongside FPT, or use my FPT day for it?"
        ));
        assert!(refers_back("does my audit count for that?"));
        assert!(refers_back("can I use this for my QI project"));
        assert!(!refers_back("is it one day a week?"));
        assert!(!refers_back("how long does it last?"));
        assert!(!refers_back("what is that pathway about"));
    }
}
