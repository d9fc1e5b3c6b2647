//! Calibration: one logistic model, fitted on the knowledge base itself, that turns a
//! candidate's features into the probability that the entry answers the question.
//!
//! Training examples come only from the base (never from evaluation sets):
//! - **leave one phrasing out**: each phrasing of an entry that has at least two is asked
//!   against the base without it; its own entry is the positive candidate, the others
//!   negatives;
//! - **leave one entry out**: each entry is removed whole and its phrasings asked; every
//!   candidate is a negative, which teaches what "the base does not answer this" looks like.
//!
//! The model is L2-regularised logistic regression fitted by Newton's method (iteratively
//! reweighted least squares), from zero weights, for a fixed number of steps: the same base
//! and model always give the same weights. Without a model the semantic features are all zero
//! and a lexical-only calibration results.

use std::collections::HashSet;

use serde::Serialize;

use super::features::{self, FEATURES, FEATURE_NAMES};
use super::index::Index;
use super::semantic::{Exclude, Semantic, TextKind};
use super::{Feature, Parts};
use crate::kb::KnowledgeBase;

/// Features shown in explanations but left out of the fit: on the base's own phrasings they
/// separate far better than on real enquiries (a left-out phrasing's entry always has its
/// most specific word, and words unknown to the base are rare there), so fitting them would
/// teach the model a rule that real mail breaks.
const NOT_FITTED: [Feature; 5] = [
    Feature::LexicalMargin,
    Feature::KeyMissing,
    Feature::Unknown,
    Feature::Corrected,
    Feature::Short,
];
/// L2 penalty on the weights (not the intercept), relative to the number of examples.
const L2: f64 = 1.0;
/// Newton steps; the fit converges in far fewer on every base tried.
const STEPS: usize = 30;
/// Phrasings asked per left-out entry at most, so a few very long entries do not dominate.
const PER_ENTRY: usize = 12;

/// How the probability is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Lexical matching only: the lexical confidence function (a logistic of the lexical score
    /// around [`LEXICAL_MIDPOINT`], lowered when the runner-up is close or the entry lacks the
    /// question's most specific word), measured on the labelled FPT sets when it was built.
    Lexical,
    /// Logistic weights fitted on this base's own phrasings (see the module documentation).
    Fitted,
    /// Too few entries with two phrasings to fit on: the model-cosine slopes fitted on the
    /// shipped FPT base ([`PRIOR`]), with the intercept fitted on this base's left-out entries so that at least
    /// [`ABSENT_ROUTED`] of their questions are routed.
    Prior,
}

/// Fitted weights and how the fit went.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub method: Method,
    pub weights: [f32; FEATURES],
    pub report: FitReport,
    /// Median best-phrasing cosine of the base's left-out phrasings to their own entry: how
    /// close a real paraphrase comes on this base. `None` without a fit of its own.
    pub paraphrase_floor: Option<f32>,
    /// Whether the pair rule ([`pair_partner`]) applies on this base: only on a fitted base
    /// whose own held-out questions gain from it ([`pairs_gain`]).
    pub pairs: bool,
}

/// What the fit saw, for `config check` and explanations.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FitReport {
    /// Questions asked (phrasings left out plus phrasings of left-out entries).
    pub queries: usize,
    /// Examples in the fit (one per question: its top candidate).
    pub examples: usize,
    pub positives: usize,
    /// Leave-one-phrasing-out questions whose own entry ranked first.
    pub self_top1: f32,
    /// Whether the semantic features took part.
    pub semantic: bool,
}

/// Share of a question's weight in words the base has never seen from which, when the
/// entry's closest phrasing is also below the base's typical paraphrase cosine
/// ([`Calibration::paraphrase_floor`]), the probability is scaled by the known share: the
/// unknown words are then what the question is about. Measured on the held-out FPT set and on
/// topic look-alike questions a newcomer wrote (pay, weekends, withdrawing, other schemes): at
/// 0.35 one held-out answer in 35 is lost and half of the look-alikes are routed; at 0.25,
/// three held-out answers are lost for no further look-alike.
const UNKNOWN_FOCUS: f32 = 0.35;
/// Positive examples (and negative ones) needed for a fit of its own; fewer, and
/// [`Method::Prior`] is used. Ten per fitted slope, the events-per-variable rule of thumb for
/// logistic regression (Peduzzi et al., J Clin Epidemiol 1996): ten slopes are fitted. At 30,
/// a library FAQ of 30 entries with one or two phrasings each (`tests/data/other-faq`: 51
/// positives from titles and phrasings) was fitted on its own, and answered 9 of its 70
/// answerable informal questions (6 right) with 3 false answers among 90; with the prior,
/// 15 (14 right), 1 false. The shipped FPT base has 542.
pub const MIN_POSITIVES: usize = 100;
/// Share of a left-out entry's questions that [`Method::Prior`] routes at the default
/// threshold (the acceptance target for questions a base cannot answer).
pub const ABSENT_ROUTED: f64 = 0.9;
/// Lexical score at which the lexical confidence is one half: on the labelled FPT sets every
/// question the knowledge base could not answer scored below it.
pub const LEXICAL_MIDPOINT: f32 = 0.46;
/// How sharply the lexical confidence rises around the midpoint.
const LEXICAL_STEEPNESS: f32 = 12.0;
/// Relative lead over the runner-up below which the lexical confidence is reduced.
const LEXICAL_CLEAR_MARGIN: f32 = 0.3;
/// The lexical confidence is multiplied by this when the entry lacks the question's most
/// specific word.
const LEXICAL_KEY_MISSING: f32 = 0.8;

/// Slopes for a base too small to fit on: only the evidence whose meaning does not depend on
/// the base, the model's cosines (best phrasing, margin over the runner-up, best answer
/// passage, whether the model ranks the entry first), fitted as in [`Calibration::fit`] on the
/// shipped FPT base with all-MiniLM-L6-v2 and those features alone, rounded. Lexical scores
/// are left out because what a lexical score means depends on a base's own wording and size
/// (relative BM25F, coverage of its vocabulary); the asked kind of answer because with one
/// phrasing per entry "no phrasing asks this kind" rests on a single sentence. Measured on
/// StackFAQ (one phrasing per entry): answered precision 0.941, coverage 0.805, left-out
/// entries routed 0.832, where the previous slopes over every feature gave 0.920, 0.710 and
/// 0.764.
pub const PRIOR: [f32; FEATURES] = [
    -2.7, // bias (replaced by the fitted intercept)
    0.0,  // rank
    0.0,  // rank_margin
    0.0,  // lexical
    0.0,  // coverage
    1.42, // semantic
    2.45, // semantic_margin
    2.68, // passage
    0.0,  // lexical_top
    0.52, // semantic_top
    0.0,  // unknown
    0.0,  // key_missing
    0.0,  // short
    0.0,  // corrected
    0.0,  // ask_mismatch
    0.0,  // lexical_margin
];

/// One training example.
#[derive(Debug, Clone)]
pub struct Example {
    pub query: usize,
    pub x: [f32; FEATURES],
    pub y: bool,
    /// From a leave-one-entry-out question (the right answer is absent).
    pub absent: bool,
    /// The other candidates (at most [`Index::MAX_CANDIDATES`] in all), in rank order: their
    /// features and whether each is the question's own entry.
    pub others: Vec<([f32; FEATURES], bool)>,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Calibration {
    /// Probability in [0,1] for one feature vector.
    pub fn probability(&self, x: &[f32; FEATURES]) -> f32 {
        if self.method == Method::Lexical {
            return lexical_confidence(x);
        }
        let z: f64 = self
            .weights
            .iter()
            .zip(x)
            .map(|(w, v)| f64::from(*w) * f64::from(*v))
            .sum();
        let p = sigmoid(z) as f32;
        // An unknown focus: much of the question is in words the base has never seen ("is
        // the FPT day *paid*?") and its closest phrasing is no nearer than a typical
        // paraphrase on this base: the entry shares the topic, not the answer.
        let unknown = x[Feature::Unknown as usize];
        match self.paraphrase_floor {
            Some(floor) if unknown >= UNKNOWN_FOCUS && x[Feature::Semantic as usize] < floor => {
                p * (1.0 - unknown)
            }
            _ => p,
        }
    }

    /// The weights by feature name, for explanations.
    pub fn named(&self) -> Vec<(&'static str, f32)> {
        FEATURE_NAMES.iter().copied().zip(self.weights).collect()
    }

    /// Calibrates on `kb` (see the module documentation). Without a model, the lexical
    /// confidence function is used.
    pub fn fit(kb: &KnowledgeBase, index: &Index, semantic: Option<&Semantic>) -> Self {
        let Some(semantic) = semantic else {
            return Calibration {
                method: Method::Lexical,
                weights: [0.0; FEATURES],
                report: FitReport::default(),
                paraphrase_floor: None,
                pairs: false,
            };
        };
        let examples = examples(kb, index, Some(semantic));
        let positives = examples.iter().filter(|e| e.y).count();
        let queries = examples
            .iter()
            .map(|e| e.query)
            .collect::<HashSet<_>>()
            .len();
        let report = FitReport {
            queries,
            examples: examples.len(),
            positives,
            semantic: true,
            ..Default::default()
        };
        let negatives = examples.len() - positives;
        let (method, weights) = if positives >= MIN_POSITIVES && negatives >= MIN_POSITIVES {
            (Method::Fitted, newton(&examples, true))
        } else {
            (Method::Prior, prior_with_intercept(&examples))
        };
        let paraphrase_floor = (method == Method::Fitted).then(|| paraphrase_floor(&examples));
        let mut calibration = Calibration {
            method,
            weights,
            report,
            paraphrase_floor,
            pairs: false,
        };
        calibration.report.self_top1 = self_top1(&calibration, &examples);
        calibration.pairs =
            calibration.method == Method::Fitted && pairs_gain(&calibration, &examples);
        tracing::debug!(
            method = ?calibration.method,
            weights = ?calibration.weights,
            examples = calibration.report.examples,
            positives = calibration.report.positives,
            "calibration fitted"
        );
        calibration
    }
}

/// The lexical confidence: a logistic of the lexical score, times a clarity factor for the
/// lead over the runner-up, times [`LEXICAL_KEY_MISSING`] when the key word is missing.
fn lexical_confidence(x: &[f32; FEATURES]) -> f32 {
    let score = x[Feature::Lexical as usize];
    let margin = if score > 0.0 {
        (x[Feature::LexicalMargin as usize] / score).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let strength = 1.0 / (1.0 + (-LEXICAL_STEEPNESS * (score - LEXICAL_MIDPOINT)).exp());
    let clarity = 0.85 + 0.15 * (margin / LEXICAL_CLEAR_MARGIN).min(1.0);
    let key = if x[Feature::KeyMissing as usize] > 0.0 {
        LEXICAL_KEY_MISSING
    } else {
        1.0
    };
    (strength * clarity * key).clamp(0.0, 1.0)
}

/// Median best-phrasing cosine of the positive examples (left-out phrasings to their own
/// entry); 0 when there are none.
fn paraphrase_floor(examples: &[Example]) -> f32 {
    let mut cos: Vec<f32> = examples
        .iter()
        .filter(|e| e.y)
        .map(|e| e.x[Feature::Semantic as usize])
        .collect();
    cos.sort_by(f32::total_cmp);
    cos.get(cos.len() / 2).copied().unwrap_or(0.0)
}

/// [`PRIOR`]'s slopes with the intercept that routes [`ABSENT_ROUTED`] of the left-out
/// entries' questions at probability one half.
fn prior_with_intercept(examples: &[Example]) -> [f32; FEATURES] {
    let mut w = PRIOR;
    let mut z: Vec<f64> = examples
        .iter()
        .filter(|e| e.absent)
        .map(|e| {
            w.iter()
                .zip(&e.x)
                .skip(1)
                .map(|(a, b)| f64::from(*a) * f64::from(*b))
                .sum()
        })
        .collect();
    if z.is_empty() {
        return w;
    }
    z.sort_by(f64::total_cmp);
    let at = ((z.len() as f64 * ABSENT_ROUTED).ceil() as usize).min(z.len() - 1);
    w[Feature::Bias as usize] = -(z[at] as f32) - 1e-3;
    w
}

/// Lowest probability of the first candidate for a runner-up's probability to be added to it
/// (see [`PAIR_MIN`]).
pub const PAIR_FLOOR: f32 = 0.25;
/// Lowest probability of a runner-up whose probability is added to the first candidate's
/// ([`pair_partner`]): when two entries share a question ("does fpt work the same everywhere
/// in the country?": regional variation at 0.42, where FPT runs at 0.35) the answer may lie in
/// either, so the chance that one of them answers it is the sum, and both are sent. Over the
/// 2,480 labelled FPT enquiries (2 December 2026), with a floor of 0.25: 0.15 gained 15
/// correct answers for no false one; 0.1, the same and one false answer (0.38 + 0.12 for "can
/// my fpt project be based at a different trust?"). A breaking helper's enquiries aimed at
/// this rule got 10 wrong answers from it in 18; its 283 enquiries written before any run, none.
/// Unscaled by the base: on a base where it does not pay, [`pairs_gain`] turns it off.
pub const PAIR_MIN: f32 = 0.15;
/// The probability a pair must reach in [`pairs_gain`]'s test: the default answer threshold.
const PAIR_TEST_THRESHOLD: f32 = 0.5;

/// The pair rule: given the candidates' probabilities, first candidate first, the candidate
/// whose probability is added to the first's, if any. The first must be below `threshold` and
/// at least [`PAIR_FLOOR`], and the most probable; the partner the next most probable, at least
/// [`PAIR_MIN`]; every other candidate below [`PAIR_MIN`] (a chance spread over three entries
/// says none is clearly it: "can I do FPT as a consultant?" gave aims 0.32, pathways 0.23,
/// supervision 0.45); and the two together must reach `threshold`.
pub fn pair_partner(probabilities: &[f32], threshold: f32) -> Option<usize> {
    let (&first, rest) = probabilities.split_first()?;
    if !(PAIR_FLOOR..threshold).contains(&first) || rest.iter().any(|&p| p > first) {
        return None;
    }
    let (i, &partner) = rest
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
    let spread = rest
        .iter()
        .enumerate()
        .any(|(j, &p)| j != i && p >= PAIR_MIN);
    (partner >= PAIR_MIN && !spread && first + partner >= threshold).then_some(i + 1)
}

/// Whether the pair rule ([`pair_partner`]) helps on this base, judged on its own held-out
/// questions at [`PAIR_TEST_THRESHOLD`]: it must lift more questions whose own entry is the
/// first candidate or the partner (a left-out phrasing) than questions whose entry is not in
/// the base at all (a left-out entry). On the shipped FPT base 28 against 18. Only a base with
/// a fit of its own ([`Method::Fitted`]) is tested: with one phrasing per entry (StackFAQ)
/// there are no left-out phrasings to gain, and an earlier form of the rule answered 46 of the
/// 91 routed StackFAQ questions whose entry was left out.
fn pairs_gain(c: &Calibration, examples: &[Example]) -> bool {
    let (mut right, mut absent) = (0, 0);
    for e in examples {
        let probabilities: Vec<f32> = std::iter::once(&e.x)
            .chain(e.others.iter().map(|(x, _)| x))
            .map(|x| c.probability(x))
            .collect();
        let Some(partner) = pair_partner(&probabilities, PAIR_TEST_THRESHOLD) else {
            continue;
        };
        if e.absent {
            absent += 1;
        } else if e.y || e.others.get(partner - 1).is_some_and(|(_, own)| *own) {
            right += 1;
        }
    }
    tracing::debug!(
        right,
        absent,
        "pair rule tested on the base's held-out questions"
    );
    right > absent
}

/// Whether candidate features `x` lead a ranking: the lexical or the semantic matcher's first
/// choice.
fn leads_a_ranking(x: &[f32; FEATURES]) -> bool {
    x[Feature::LexicalTop as usize] > 0.5 || x[Feature::SemanticTop as usize] > 0.5
}

/// Of candidates given first in rank order as (features, probability), the index of the one
/// to answer with on a fitted base ([`Method::Fitted`]): the most probable of the first and of
/// those leading a ranking ([`leads_a_ranking`]), the earlier on a tie. "who is fpt aimed at?
/// just med regs or other trainees too" ranks the aims first (probability 0.11), but who FPT
/// is for (0.60, the semantic matcher's first choice) answers it. A candidate neither matcher
/// puts first is never preferred: the fit saw only first-ranked candidates, so its probability
/// is an extrapolation.
///
/// Measured (3 December 2026): over the 3,180 labelled FPT enquiries, 12 more right and 2 more
/// false answers than the first-ranked; any candidate at all, 11 and 2. On the base's own
/// held-out questions it answers 6 fewer rightly (net, of about 3,000 at threshold 0.5: a
/// left-out phrasing's own entry is nearly always ranked first). On StackFAQ, whose base has
/// no fit of its own, it would put the right entry first for 0.955 of questions against the
/// ranking's 0.962, so a base with the prior or lexical calibration keeps the ranking's order.
pub fn most_probable<'a>(candidates: impl Iterator<Item = (&'a [f32; FEATURES], f32)>) -> usize {
    let mut best: Option<(usize, f32)> = None;
    for (i, (x, p)) in candidates.enumerate() {
        if (i == 0 || leads_a_ranking(x)) && best.is_none_or(|(_, bp)| p > bp) {
            best = Some((i, p));
        }
    }
    best.map_or(0, |(i, _)| i)
}

/// Share of leave-one-phrasing-out questions whose positive candidate scores highest.
fn self_top1(c: &Calibration, examples: &[Example]) -> f32 {
    let mut best: std::collections::BTreeMap<usize, (f32, bool)> = Default::default();
    let mut has_positive = HashSet::new();
    for e in examples.iter().filter(|e| !e.absent) {
        if e.y {
            has_positive.insert(e.query);
        }
        let p = c.probability(&e.x);
        let slot = best.entry(e.query).or_insert((f32::MIN, false));
        if p > slot.0 {
            *slot = (p, e.y);
        }
    }
    let asked = best.len().max(1);
    best.values().filter(|(_, y)| *y).count() as f32 / asked as f32
}

/// The training examples of a base: leave one phrasing out, leave one entry out.
pub fn examples(kb: &KnowledgeBase, index: &Index, semantic: Option<&Semantic>) -> Vec<Example> {
    let mut out = Vec::new();
    let drop = HashSet::new();
    // (doc, ordinal, text, index into the semantic texts)
    let mut phrasings: Vec<(u32, u32, String, Option<usize>)> = Vec::new();
    match semantic {
        Some(s) => {
            for (i, t) in s.texts().iter().enumerate() {
                if t.kind == TextKind::Phrasing {
                    phrasings.push((t.doc, t.ordinal, t.text.clone(), Some(i)));
                }
            }
        }
        None => {
            for (d, e) in kb.entries.iter().enumerate() {
                let mut seen = HashSet::new();
                for (o, p) in std::iter::once(&e.title).chain(&e.questions).enumerate() {
                    if !p.trim().is_empty() && seen.insert(p.trim().to_lowercase()) {
                        phrasings.push((d as u32, o as u32, p.trim().to_string(), None));
                    }
                }
            }
        }
    }
    let mut per_doc = vec![0usize; kb.entries.len()];
    for p in &phrasings {
        per_doc[p.0 as usize] += 1;
    }
    let view = MatcherView { index, semantic };
    let mut query_no = 0;
    let mut asked_absent = vec![0usize; kb.entries.len()];
    for (doc, ordinal, text, vi) in &phrasings {
        let vector = vi.and_then(|i| semantic.map(|s| s.vector(i)));
        let parts = Parts {
            question: text,
            context: &[],
        };
        if per_doc[*doc as usize] >= 2 {
            let exclude = Exclude::Phrasing {
                doc: *doc,
                ordinal: *ordinal,
            };
            let cands = view.features(parts, vector, &drop, exclude);
            if let Some(c) = cands
                .first()
                .filter(|c| c.doc == *doc as usize || !overlaps(kb, c.doc))
            {
                out.push(Example {
                    query: query_no,
                    y: c.doc == *doc as usize,
                    x: c.x,
                    absent: false,
                    others: others(&cands, Some(*doc as usize)),
                });
            }
            query_no += 1;
        }
        if asked_absent[*doc as usize] < PER_ENTRY {
            asked_absent[*doc as usize] += 1;
            let cands = view.features(parts, vector, &drop, Exclude::Doc(*doc));
            if let Some(c) = cands.first().filter(|c| !overlaps(kb, c.doc)) {
                out.push(Example {
                    query: query_no,
                    y: false,
                    x: c.x,
                    absent: true,
                    others: others(&cands, None),
                });
            }
            query_no += 1;
        }
    }
    out
}

/// [`Example::others`]: the candidates after the first, and whether each is entry `own`.
fn others(
    candidates: &[features::CandidateFeatures],
    own: Option<usize>,
) -> Vec<([f32; FEATURES], bool)> {
    candidates
        .iter()
        .take(Index::MAX_CANDIDATES)
        .skip(1)
        .map(|c| (c.x, Some(c.doc) == own))
        .collect()
}

/// Whether entry `doc` is written to overlap others (a handbook passage restates what FAQ
/// entries say): when it comes first for another entry's question it may well answer it, so
/// such a question is no evidence either way and is left out of the fit.
fn overlaps(kb: &KnowledgeBase, doc: usize) -> bool {
    kb.entries
        .get(doc)
        .is_some_and(|e| e.kind == crate::kb::EntryKind::Handbook)
}

/// Borrowed index and semantic side, to compute features before a `Matcher` exists.
struct MatcherView<'a> {
    index: &'a Index,
    semantic: Option<&'a Semantic>,
}

impl MatcherView<'_> {
    fn features(
        &self,
        parts: Parts<'_>,
        vector: Option<&[f32]>,
        drop: &HashSet<String>,
        exclude: Exclude,
    ) -> Vec<features::CandidateFeatures> {
        features::compute_with(self.index, self.semantic, parts, vector, drop, exclude).candidates
    }
}

/// Newton's method for L2-regularised logistic regression, from zero weights.
fn newton(examples: &[Example], semantic: bool) -> [f32; FEATURES] {
    let n = FEATURES;
    let disabled: Vec<usize> = NOT_FITTED.iter().map(|f| *f as usize).collect();
    let active: Vec<bool> = (0..n)
        .map(|j| {
            !disabled.contains(&j)
                && (semantic
                    || !matches!(
                    j,
                    x if x == Feature::Semantic as usize
                            || x == Feature::Passage as usize
                        || x == Feature::SemanticMargin as usize
                        || x == Feature::SemanticTop as usize
                    ))
        })
        .collect();
    let mut w = vec![0f64; n];
    let lambda = L2;
    for _ in 0..STEPS {
        let mut grad = vec![0f64; n];
        let mut hess = vec![0f64; n * n];
        for e in examples {
            let x: Vec<f64> = e.x.iter().map(|&v| f64::from(v)).collect();
            let z: f64 = w.iter().zip(&x).map(|(a, b)| a * b).sum();
            let p = sigmoid(z);
            let y = if e.y { 1.0 } else { 0.0 };
            let r = p - y;
            let s = (p * (1.0 - p)).max(1e-9);
            for i in 0..n {
                if !active[i] {
                    continue;
                }
                grad[i] += r * x[i];
                for j in 0..n {
                    if active[j] {
                        hess[i * n + j] += s * x[i] * x[j];
                    }
                }
            }
        }
        for i in 0..n {
            if !active[i] {
                hess[i * n + i] = 1.0;
                grad[i] = 0.0;
                continue;
            }
            if i != Feature::Bias as usize {
                grad[i] += lambda * w[i];
                hess[i * n + i] += lambda;
            } else {
                hess[i * n + i] += 1e-6;
            }
        }
        let Some(step) = solve(&hess, &grad, n) else {
            break;
        };
        let mut change = 0f64;
        for i in 0..n {
            w[i] -= step[i];
            change = change.max(step[i].abs());
        }
        if change < 1e-7 {
            break;
        }
    }
    let mut out = [0f32; FEATURES];
    for (o, v) in out.iter_mut().zip(w) {
        *o = v as f32;
    }
    out
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` if singular.
fn solve(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut m: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut row = a[i * n..(i + 1) * n].to_vec();
            row.push(b[i]);
            row
        })
        .collect();
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| m[x][col].abs().total_cmp(&m[y][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        let pivot_row = m[col].clone();
        for (row, r) in m.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / pivot_row[col];
                if f != 0.0 {
                    for (x, p) in r[col..].iter_mut().zip(&pivot_row[col..]) {
                        *x -= f * p;
                    }
                }
            }
        }
    }
    Some((0..n).map(|i| m[i][n] / m[i][i]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_entries_that_share_a_question_pair_up_and_a_spread_does_not() {
        // regional variation and where FPT runs: the chance that one of them answers
        assert_eq!(pair_partner(&[0.42, 0.35, 0.01], 0.5), Some(1));
        // the partner need not be ranked second
        assert_eq!(pair_partner(&[0.42, 0.01, 0.35], 0.5), Some(2));
        // a third entry almost as likely: nothing is clearly it
        assert_eq!(pair_partner(&[0.32, 0.23, 0.45], 0.5), None);
        assert_eq!(pair_partner(&[0.38, 0.2, 0.16], 0.5), None);
        // too weak a partner, too weak a first, or not enough together
        assert_eq!(pair_partner(&[0.45, 0.1], 0.5), None);
        assert_eq!(pair_partner(&[0.2, 0.19], 0.5), None);
        assert_eq!(pair_partner(&[0.3, 0.16], 0.5), None);
        // already answered alone, or nothing to pair with
        assert_eq!(pair_partner(&[0.6, 0.3], 0.5), None);
        assert_eq!(pair_partner(&[0.45], 0.5), None);
        assert_eq!(pair_partner(&[], 0.5), None);
    }

    #[test]
    fn the_most_probable_leader_answers_and_an_unranked_one_never_does() {
        let plain = [0f32; FEATURES];
        let mut semantic_first = plain;
        semantic_first[Feature::SemanticTop as usize] = 1.0;
        let mut lexical_first = plain;
        lexical_first[Feature::LexicalTop as usize] = 1.0;
        // the semantic matcher's first choice is likelier than the entry ranked first
        let c = [(&plain, 0.11), (&semantic_first, 0.6), (&plain, 0.05)];
        assert_eq!(most_probable(c.into_iter()), 1);
        // an entry no matcher puts first is not preferred, however probable
        let c = [(&lexical_first, 0.2), (&plain, 0.9)];
        assert_eq!(most_probable(c.into_iter()), 0);
        // a tie keeps the ranking's order; nothing to choose from gives the first
        let c = [(&plain, 0.4), (&semantic_first, 0.4)];
        assert_eq!(most_probable(c.into_iter()), 0);
        assert_eq!(most_probable(std::iter::empty()), 0);
    }

    #[test]
    fn solve_inverts_a_small_system() {
        let x = solve(&[2.0, 1.0, 1.0, 3.0], &[3.0, 5.0], 2).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-9 && (x[1] - 1.4).abs() < 1e-9);
    }
}
