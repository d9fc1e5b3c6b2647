//! The lexical index as it was before the performance work of issue 13, kept (tests only) as
//! the reference the optimised `index` must match number for number: the calibration and
//! every threshold were fitted on these scores.

#![allow(dead_code, clippy::too_many_arguments)]

use std::collections::{HashMap, HashSet};

use super::semantic::Exclude;
use crate::kb::KnowledgeBase;
use crate::text::{Analyzer, Token};

const TITLE: usize = 0;
const QUESTIONS: usize = 1;
const ANSWER: usize = 2;
const FIELDS: usize = 3;
/// How much a term found in each field counts: phrasings of the question weigh most.
const FIELD_WEIGHT: [f32; FIELDS] = [2.0, 3.0, 1.0];
/// BM25F length normalisation per field (b in the paper; 0.75 is the usual default).
const FIELD_B: [f32; FIELDS] = [0.5, 0.75, 0.75];
/// BM25 term-frequency saturation (k1; 1.2 is the usual default).
const K1: f32 = 1.2;
/// Share of the lexical score from BM25F; the rest comes from the closest single phrasing.
const BM25_SHARE: f32 = 0.5;
/// A misspelt word that was corrected counts a little less than one written correctly.
const CORRECTED_WEIGHT: f32 = 0.8;
/// Words the knowledge base has never seen count at this share of the rarest known word's
/// weight when measuring how much of an enquiry an entry covers.
const UNKNOWN_WEIGHT: f32 = 0.6;
use super::index::{bounded, MAX_QUERY_WORDS};

#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    tf: [u16; FIELDS],
}

#[derive(Debug)]
struct Doc {
    id: String,
    len: [f32; FIELDS],
    terms: HashSet<String>,
}

/// One phrasing (title or question) of an entry, as indexed.
#[derive(Debug)]
struct Phrasing {
    doc: u32,
    /// Lower-cased text: phrasings equal to an excluded one are excluded with it.
    key: String,
    field: usize,
    /// Stems and their counts.
    tf: Vec<(String, u16)>,
    /// TF-IDF norm of the phrasing's distinct stems.
    norm: f32,
}

/// Term statistics of a knowledge base, built once and shared by every query.
#[derive(Debug)]
pub struct Index {
    analyzer: Analyzer,
    docs: Vec<Doc>,
    postings: HashMap<String, Vec<Posting>>,
    avg_len: [f32; FIELDS],
    phrasings: Vec<Phrasing>,
    /// Per doc, the phrasing keys by ordinal (title = 0), to resolve an exclusion.
    ordinals: Vec<Vec<String>>,
    phrase_postings: HashMap<String, Vec<u32>>,
    max_idf: f32,
    /// Per doc and phrasing ordinal, the kinds of answer the phrasing asks for.
    asks: Vec<Vec<Vec<super::ask::AskKind>>>,
}

/// One weighted query term.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub stem: String,
    pub written: String,
    pub weight: f32,
    pub idf: f32,
    pub known: bool,
    /// From the question itself (the first part), not its context.
    pub primary: bool,
    pub corrected: bool,
}

/// An analysed query: its weighted terms and what analysis found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pub terms: Vec<Term>,
    pub corrections: Vec<(String, String)>,
    /// Sum of weight × idf over all terms, known or not.
    pub total: f32,
}

impl Query {
    pub fn unknown(&self) -> Vec<String> {
        self.terms
            .iter()
            .filter(|t| !t.known)
            .map(|t| t.written.clone())
            .collect()
    }

    /// Share of the question's weight carried by words the base does not know, in [0,1].
    pub fn unknown_share(&self) -> f32 {
        if self.total <= 0.0 {
            return 0.0;
        }
        self.terms
            .iter()
            .filter(|t| !t.known)
            .map(|t| t.weight * t.idf)
            .sum::<f32>()
            / self.total
    }

    /// The question's most specific known word (highest idf among its own words).
    pub fn key_term(&self) -> Option<&Term> {
        self.terms
            .iter()
            .filter(|t| t.known && t.primary)
            .max_by(|a, b| a.idf.total_cmp(&b.idf))
    }
}

/// Lexical scores of one query against every entry.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scores {
    /// Blend of BM25F (relative to the query's maximum) and best phrasing cosine, in [0,1].
    pub score: Vec<f32>,
    /// Share of the query's weighted terms each entry contains, in [0,1].
    pub coverage: Vec<f32>,
}

impl Index {
    pub const MAX_CANDIDATES: usize = 3;

    /// Indexes every entry of the knowledge base.
    pub fn build(kb: &KnowledgeBase) -> Self {
        let mut analyzer = Analyzer::new(&kb.synonyms);
        for e in &kb.entries {
            analyzer.learn(&e.title);
            for q in &e.questions {
                analyzer.learn(q);
            }
            analyzer.learn(&e.answer);
        }
        let mut docs = Vec::with_capacity(kb.entries.len());
        let mut postings: HashMap<String, Vec<Posting>> = HashMap::new();
        let mut phrasings = Vec::new();
        let mut ordinals = Vec::with_capacity(kb.entries.len());
        let mut total_len = [0f32; FIELDS];
        let mut asks = Vec::with_capacity(kb.entries.len());
        let stems = |text: &str| -> Vec<String> {
            analyzer
                .analyze(text, false)
                .into_iter()
                .filter(|t| !t.stop)
                .map(|t| t.stem.to_string())
                .collect()
        };
        for (doc_no, e) in kb.entries.iter().enumerate() {
            let doc_no = doc_no as u32;
            let mut tf: HashMap<String, [u16; FIELDS]> = HashMap::new();
            let mut len = [0f32; FIELDS];
            let mut keys = Vec::new();
            for (ordinal, phrasing) in std::iter::once(&e.title).chain(&e.questions).enumerate() {
                let field = if ordinal == 0 { TITLE } else { QUESTIONS };
                let mut counts: HashMap<String, u16> = HashMap::new();
                for stem in stems(phrasing) {
                    let slot = tf.entry(stem.clone()).or_default();
                    slot[field] = slot[field].saturating_add(1);
                    len[field] += 1.0;
                    *counts.entry(stem).or_default() += 1;
                }
                let key = phrasing.trim().to_lowercase();
                keys.push(key.clone());
                if !counts.is_empty() {
                    let mut tf: Vec<(String, u16)> = counts.into_iter().collect();
                    tf.sort();
                    phrasings.push(Phrasing {
                        doc: doc_no,
                        key,
                        field,
                        tf,
                        norm: 0.0,
                    });
                }
            }
            for stem in stems(&e.answer) {
                let slot = tf.entry(stem).or_default();
                slot[ANSWER] = slot[ANSWER].saturating_add(1);
                len[ANSWER] += 1.0;
            }
            for f in 0..FIELDS {
                total_len[f] += len[f];
            }
            let terms: HashSet<String> = tf.keys().cloned().collect();
            for (stem, counts) in tf {
                postings.entry(stem).or_default().push(Posting {
                    doc: doc_no,
                    tf: counts,
                });
            }
            docs.push(Doc {
                id: e.id.clone(),
                len,
                terms,
            });
            ordinals.push(keys);
            asks.push(
                std::iter::once(&e.title)
                    .chain(&e.questions)
                    .map(|p| super::ask::ask_kinds(p))
                    .collect(),
            );
        }
        for list in postings.values_mut() {
            list.sort_by_key(|p| p.doc);
        }
        let n = docs.len().max(1) as f32;
        let avg_len = total_len.map(|t| (t / n).max(1.0));
        let mut index = Index {
            analyzer,
            docs,
            postings,
            avg_len,
            phrasings,
            ordinals,
            phrase_postings: HashMap::new(),
            max_idf: 0.0,
            asks,
        };
        index.max_idf = index.idf_for_df(0);
        let mut phrase_postings: HashMap<String, Vec<u32>> = HashMap::new();
        let mut norms = Vec::with_capacity(index.phrasings.len());
        for (p, phrasing) in index.phrasings.iter().enumerate() {
            let mut norm = 0.0;
            for (stem, _) in &phrasing.tf {
                let idf = index.idf(stem);
                norm += idf * idf;
                phrase_postings
                    .entry(stem.clone())
                    .or_default()
                    .push(p as u32);
            }
            norms.push(f32::sqrt(norm));
        }
        for (phrasing, norm) in index.phrasings.iter_mut().zip(norms) {
            phrasing.norm = norm;
        }
        index.phrase_postings = phrase_postings;
        index
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The kinds of answer entry `doc`'s phrasings ask for, without the phrasings `exclude`
    /// hides (so a left-out phrasing does not vouch for its own kind).
    pub(crate) fn ask_kinds(&self, doc: usize, exclude: Exclude) -> Vec<super::ask::AskKind> {
        let hidden_key = match exclude {
            Exclude::Phrasing { doc: d, ordinal } if d as usize == doc => self
                .ordinals
                .get(doc)
                .and_then(|keys| keys.get(ordinal as usize)),
            _ => None,
        };
        let mut kinds = Vec::new();
        for (o, list) in self.asks[doc].iter().enumerate() {
            if hidden_key.is_some() && self.ordinals[doc].get(o) == hidden_key {
                continue;
            }
            for k in list {
                if !kinds.contains(k) {
                    kinds.push(*k);
                }
            }
        }
        kinds
    }

    /// The id of entry number `doc`.
    pub fn doc_id(&self, doc: usize) -> &str {
        &self.docs[doc].id
    }

    fn idf_for_df(&self, df: usize) -> f32 {
        let n = self.docs.len() as f32;
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    fn idf(&self, stem: &str) -> f32 {
        self.idf_for_df(self.postings.get(stem).map_or(0, Vec::len))
    }

    /// Turns analysed tokens into weighted terms, one per stem (linear in the tokens).
    fn terms(
        &self,
        tokens: &[Token],
        weight: f32,
        primary: bool,
        drop: &HashSet<String>,
        (exclude, hidden): (Exclude, Option<&(u32, Vec<usize>)>),
        out: &mut Vec<Term>,
        seen: &mut HashMap<String, usize>,
    ) {
        for t in tokens {
            if t.stop
                || drop.contains(&t.surface)
                || t.corrected_from.as_ref().is_some_and(|w| drop.contains(w))
            {
                continue;
            }
            let w = if t.corrected_from.is_some() {
                weight * CORRECTED_WEIGHT
            } else {
                weight
            };
            if let Some(&i) = seen.get(&*t.stem) {
                let existing = &mut out[i];
                existing.weight = existing.weight.max(w);
                existing.primary |= primary;
                continue;
            }
            let df = self.df_under(&t.stem, exclude, hidden);
            let known = df > 0;
            // Unknown codes and numbers ("ST3", "IMT1s", a list's "2.", "ten") and one- or
            // two-letter fragments say nothing about the topic: leave them out.
            if !known
                && (t.surface.chars().any(|c| c.is_ascii_digit())
                    || t.surface.chars().count() <= 2
                    || super::quantity::is_number(&t.surface))
            {
                continue;
            }
            let idf = if known {
                self.idf_for_df(df)
            } else {
                self.max_idf * UNKNOWN_WEIGHT
            };
            seen.insert(t.stem.to_string(), out.len());
            out.push(Term {
                stem: t.stem.to_string(),
                written: t
                    .corrected_from
                    .clone()
                    .unwrap_or_else(|| t.surface.clone()),
                weight: w,
                idf,
                known,
                primary,
                corrected: t.corrected_from.is_some(),
            });
        }
    }

    /// Analyses several parts of an enquiry, each with its own weight: the question itself
    /// counts fully, the statements around it and the subject count less. Words in `drop`
    /// (place names, which say where, not what) are left out. Each part is cut to
    /// [`MAX_QUERY_WORDS`] words.
    pub(crate) fn query(
        &self,
        parts: &[(&str, f32)],
        drop: &HashSet<String>,
        exclude: Exclude,
    ) -> Query {
        let mut q = Query::default();
        let mut seen = HashMap::new();
        let hidden = self.hidden(exclude);
        for (i, &(text, weight)) in parts.iter().enumerate() {
            let text = bounded(text, MAX_QUERY_WORDS);
            let tokens = self.analyzer.analyze(text, true);
            q.corrections.extend(tokens.iter().filter_map(|t| {
                t.corrected_from
                    .as_ref()
                    .map(|from| (from.clone(), t.surface.clone()))
            }));
            self.terms(
                &tokens,
                weight,
                i == 0,
                drop,
                (exclude, hidden.as_ref()),
                &mut q.terms,
                &mut seen,
            );
        }
        q.total = q.terms.iter().map(|t| t.weight * t.idf).sum();
        q
    }

    /// Document frequency of `stem` with `exclude` applied: a word found only in a left-out
    /// entry (or only in a left-out phrasing) is unknown to the base, as it would be if the
    /// base never had it. This is what lets calibration learn what unknown words mean.
    fn df_under(&self, stem: &str, exclude: Exclude, hidden: Option<&(u32, Vec<usize>)>) -> usize {
        let Some(postings) = self.postings.get(stem) else {
            return 0;
        };
        match exclude {
            Exclude::None => postings.len(),
            Exclude::Doc(d) => postings.iter().filter(|p| p.doc != d).count(),
            Exclude::Phrasing { doc, .. } => {
                let hidden_count = |f: usize| -> u16 {
                    hidden.map_or(0, |(_, list)| {
                        list.iter()
                            .filter(|&&p| self.phrasings[p].field == f)
                            .flat_map(|&p| &self.phrasings[p].tf)
                            .filter(|(s, _)| s == stem)
                            .map(|(_, c)| *c)
                            .sum()
                    })
                };
                postings
                    .iter()
                    .filter(|p| p.doc != doc || (0..FIELDS).any(|f| p.tf[f] > hidden_count(f)))
                    .count()
            }
        }
    }

    /// Phrasing indices of `doc` that `exclude` hides (the excluded phrasing and any phrasing
    /// of the same entry with the same text).
    fn hidden(&self, exclude: Exclude) -> Option<(u32, Vec<usize>)> {
        let Exclude::Phrasing { doc, ordinal } = exclude else {
            return None;
        };
        let key = self.ordinals.get(doc as usize)?.get(ordinal as usize)?;
        let hidden = self
            .phrasings
            .iter()
            .enumerate()
            .filter(|(_, p)| p.doc == doc && &p.key == key)
            .map(|(i, _)| i)
            .collect();
        Some((doc, hidden))
    }

    /// Lexical scores of `q` against every entry, leaving out what `exclude` names.
    pub(crate) fn scores(&self, q: &Query, exclude: Exclude) -> Scores {
        let n = self.docs.len();
        let mut out = Scores {
            score: vec![0.0; n],
            coverage: vec![0.0; n],
        };
        if q.total <= 0.0 || n == 0 {
            return out;
        }
        let hidden = self.hidden(exclude);
        let skip_doc = match exclude {
            Exclude::Doc(d) => Some(d),
            _ => None,
        };
        // term counts and field lengths of the hidden phrasings, per stem
        let (hidden_doc, hidden_len, hidden_tf) = match &hidden {
            Some((doc, list)) => {
                let mut len = [0f32; FIELDS];
                let mut tf: HashMap<&str, [u16; FIELDS]> = HashMap::new();
                for &p in list {
                    let ph = &self.phrasings[p];
                    for (stem, c) in &ph.tf {
                        tf.entry(stem.as_str()).or_default()[ph.field] += c;
                        len[ph.field] += *c as f32;
                    }
                }
                (Some(*doc), len, tf)
            }
            None => (None, [0f32; FIELDS], HashMap::new()),
        };
        let mut bm25 = vec![0f32; n];
        let mut dot = vec![0f32; self.phrasings.len()];
        let mut qnorm = 0f32;
        for term in &q.terms {
            let w = term.weight * term.idf;
            qnorm += w * w;
            if !term.known {
                continue;
            }
            if let Some(postings) = self.postings.get(&term.stem) {
                for p in postings {
                    if skip_doc == Some(p.doc) {
                        continue;
                    }
                    let doc = &self.docs[p.doc as usize];
                    let mut counts = p.tf;
                    let mut len = doc.len;
                    if hidden_doc == Some(p.doc) {
                        if let Some(h) = hidden_tf.get(term.stem.as_str()) {
                            for f in 0..FIELDS {
                                counts[f] = counts[f].saturating_sub(h[f]);
                            }
                        }
                        for f in 0..FIELDS {
                            len[f] -= hidden_len[f];
                        }
                    }
                    let mut tf = 0.0;
                    for f in 0..FIELDS {
                        if counts[f] > 0 {
                            let norm = 1.0 - FIELD_B[f] + FIELD_B[f] * len[f] / self.avg_len[f];
                            tf += FIELD_WEIGHT[f] * counts[f] as f32 / norm;
                        }
                    }
                    if tf > 0.0 {
                        bm25[p.doc as usize] += w * tf / (K1 + tf);
                        out.coverage[p.doc as usize] += w;
                    }
                }
            }
            if let Some(phrases) = self.phrase_postings.get(&term.stem) {
                for &ph in phrases {
                    dot[ph as usize] += w * term.idf;
                }
            }
        }
        // unknown words count in the query's norm: they are part of what was asked
        let qnorm = qnorm.sqrt();
        let mut best_phrase = vec![0f32; n];
        for (ph, &d) in dot.iter().enumerate() {
            if d <= 0.0 {
                continue;
            }
            let phrasing = &self.phrasings[ph];
            if skip_doc == Some(phrasing.doc)
                || hidden.as_ref().is_some_and(|(_, list)| list.contains(&ph))
            {
                continue;
            }
            let cos = d / (qnorm * phrasing.norm).max(f32::EPSILON);
            let slot = &mut best_phrase[phrasing.doc as usize];
            *slot = slot.max(cos);
        }
        for d in 0..n {
            if out.coverage[d] > 0.0 {
                out.score[d] = (BM25_SHARE * bm25[d] / q.total
                    + (1.0 - BM25_SHARE) * best_phrase[d])
                    .clamp(0.0, 1.0);
                out.coverage[d] = (out.coverage[d] / q.total).clamp(0.0, 1.0);
            }
        }
        out
    }

    /// The query's words that entry `doc` contains (as written, after typo correction).
    pub(crate) fn matched(&self, q: &Query, doc: usize) -> Vec<String> {
        let terms = &self.docs[doc].terms;
        q.terms
            .iter()
            .filter(|t| terms.contains(&t.stem))
            .map(|t| t.written.clone())
            .collect()
    }

    /// Whether entry `doc` contains the stem of `term`.
    pub(crate) fn has(&self, doc: usize, term: &Term) -> bool {
        self.docs[doc].terms.contains(&term.stem)
    }
}
