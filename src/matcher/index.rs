//! The inverted index over knowledge-base entries and the scoring of one query against it.

use std::collections::{HashMap, HashSet};

use super::{confidence, Candidate, MatchResult};
use crate::kb::KnowledgeBase;
use crate::text::{Analyzer, Token};

const TITLE: usize = 0;
const QUESTIONS: usize = 1;
const ANSWER: usize = 2;
const FIELDS: usize = 3;
/// How much a term found in each field counts: phrasings of the question weigh most.
const FIELD_WEIGHT: [f32; FIELDS] = [2.0, 3.0, 1.0];
const FIELD_B: [f32; FIELDS] = [0.5, 0.75, 0.75];
const K1: f32 = 1.2;
/// Share of the score from BM25F; the rest comes from the closest single phrasing.
const BM25_SHARE: f32 = 0.5;
/// A misspelt word that was corrected counts a little less than one written correctly.
const CORRECTED_WEIGHT: f32 = 0.8;
/// Words the knowledge base has never seen count at this share of the rarest known word's
/// weight when measuring how much of an enquiry an entry covers.
const UNKNOWN_WEIGHT: f32 = 0.6;
/// Confidence is multiplied by this when the best entry lacks the question's most specific word.
const KEY_TERM_MISSING: f32 = 0.8;

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

/// Term statistics of a knowledge base, built once and shared by every query.
#[derive(Debug)]
pub struct Index {
    analyzer: Analyzer,
    docs: Vec<Doc>,
    postings: HashMap<String, Vec<Posting>>,
    avg_len: [f32; FIELDS],
    /// Single phrasings (and titles): the entry they belong to and their norm.
    phrasings: Vec<(u32, f32)>,
    phrase_postings: HashMap<String, Vec<u32>>,
    max_idf: f32,
}

/// One weighted query term.
#[derive(Debug, Clone)]
struct Term {
    stem: String,
    written: String,
    weight: f32,
    idf: f32,
    known: bool,
    /// From the question itself (the first part), not its context.
    primary: bool,
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
        let mut phrase_terms: Vec<Vec<String>> = Vec::new();
        let mut total_len = [0f32; FIELDS];
        for (doc_no, e) in kb.entries.iter().enumerate() {
            let doc_no = doc_no as u32;
            let mut tf: HashMap<String, [u16; FIELDS]> = HashMap::new();
            let mut len = [0f32; FIELDS];
            let questions = e.questions.join("\n");
            for (field, text) in [
                (TITLE, e.title.as_str()),
                (QUESTIONS, questions.as_str()),
                (ANSWER, e.answer.as_str()),
            ] {
                for t in analyzer
                    .analyze(text, false)
                    .into_iter()
                    .filter(|t| !t.stop)
                {
                    let slot = tf.entry(t.stem).or_default();
                    slot[field] = slot[field].saturating_add(1);
                    len[field] += 1.0;
                }
            }
            for f in 0..FIELDS {
                total_len[f] += len[f];
            }
            for phrasing in std::iter::once(&e.title).chain(e.questions.iter()) {
                let terms: HashSet<String> = analyzer
                    .analyze(phrasing, false)
                    .into_iter()
                    .filter(|t| !t.stop)
                    .map(|t| t.stem)
                    .collect();
                if !terms.is_empty() {
                    phrasings.push((doc_no, 0.0));
                    phrase_terms.push(terms.into_iter().collect());
                }
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
        }
        let n = docs.len().max(1) as f32;
        let avg_len = total_len.map(|t| (t / n).max(1.0));
        let mut index = Index {
            analyzer,
            docs,
            postings,
            avg_len,
            phrasings,
            phrase_postings: HashMap::new(),
            max_idf: 0.0,
        };
        index.max_idf = index.idf_for_df(0);
        for (p, terms) in phrase_terms.into_iter().enumerate() {
            let mut norm = 0.0;
            for stem in terms {
                let idf = index.idf(&stem);
                norm += idf * idf;
                index
                    .phrase_postings
                    .entry(stem)
                    .or_default()
                    .push(p as u32);
            }
            index.phrasings[p].1 = norm.sqrt();
        }
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

    fn idf_for_df(&self, df: usize) -> f32 {
        let n = self.docs.len() as f32;
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    fn idf(&self, stem: &str) -> f32 {
        self.idf_for_df(self.postings.get(stem).map_or(0, Vec::len))
    }

    /// Turns analysed tokens into weighted terms, one per stem.
    fn terms(
        &self,
        tokens: &[Token],
        weight: f32,
        primary: bool,
        drop: &HashSet<String>,
        out: &mut Vec<Term>,
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
            if let Some(existing) = out.iter_mut().find(|x| x.stem == t.stem) {
                existing.weight = existing.weight.max(w);
                existing.primary |= primary;
                continue;
            }
            let known = self.postings.contains_key(&t.stem);
            // Unknown codes and numbers ("ST3", "IMT1s", a list's "2.") and one- or
            // two-letter fragments say nothing about the topic: leave them out.
            if !known
                && (t.surface.chars().any(|c| c.is_ascii_digit()) || t.surface.chars().count() <= 2)
            {
                continue;
            }
            let idf = if known {
                self.idf(&t.stem)
            } else {
                self.max_idf * UNKNOWN_WEIGHT
            };
            out.push(Term {
                stem: t.stem.clone(),
                written: t
                    .corrected_from
                    .clone()
                    .unwrap_or_else(|| t.surface.clone()),
                weight: w,
                idf,
                known,
                primary,
            });
        }
    }

    /// Matches `text`, ignoring the words in `drop` (place names, which say where, not what).
    pub fn search(&self, text: &str, drop: &HashSet<String>) -> MatchResult {
        self.search_parts(&[(text, 1.0)], drop)
    }

    /// Matches several parts of an enquiry, each with its own weight: the question itself
    /// counts fully, the statements around it and the subject count less.
    pub fn search_parts(&self, parts: &[(&str, f32)], drop: &HashSet<String>) -> MatchResult {
        let mut terms = Vec::new();
        let mut corrections: Vec<(String, String)> = Vec::new();
        for (i, &(text, weight)) in parts.iter().enumerate() {
            let tokens = self.analyzer.analyze(text, true);
            corrections.extend(tokens.iter().filter_map(|t| {
                t.corrected_from
                    .as_ref()
                    .map(|from| (from.clone(), t.surface.clone()))
            }));
            self.terms(&tokens, weight, i == 0, drop, &mut terms);
        }
        let unknown: Vec<String> = terms
            .iter()
            .filter(|t| !t.known)
            .map(|t| t.written.clone())
            .collect();
        let total: f32 = terms.iter().map(|t| t.weight * t.idf).sum();
        let mut result = MatchResult {
            candidates: Vec::new(),
            confidence: 0.0,
            corrections,
            unknown,
            has_terms: !terms.is_empty(),
            missing_key: None,
        };
        if total <= 0.0 || self.docs.is_empty() {
            return result;
        }

        let mut bm25 = vec![0f32; self.docs.len()];
        let mut covered = vec![0f32; self.docs.len()];
        let mut dot = vec![0f32; self.phrasings.len()];
        let mut qnorm = 0f32;
        for term in terms.iter().filter(|t| t.known) {
            let w = term.weight * term.idf;
            qnorm += w * w;
            if let Some(postings) = self.postings.get(&term.stem) {
                for p in postings {
                    let doc = &self.docs[p.doc as usize];
                    let mut tf = 0.0;
                    for f in 0..FIELDS {
                        if p.tf[f] > 0 {
                            let norm = 1.0 - FIELD_B[f] + FIELD_B[f] * doc.len[f] / self.avg_len[f];
                            tf += FIELD_WEIGHT[f] * p.tf[f] as f32 / norm;
                        }
                    }
                    bm25[p.doc as usize] += w * tf / (K1 + tf);
                    covered[p.doc as usize] += w;
                }
            }
            if let Some(phrases) = self.phrase_postings.get(&term.stem) {
                for &ph in phrases {
                    dot[ph as usize] += w * term.idf;
                }
            }
        }
        // unknown words still count in the query's norm: they are part of what was asked
        let qnorm = (qnorm
            + terms
                .iter()
                .filter(|t| !t.known)
                .map(|t| (t.weight * t.idf).powi(2))
                .sum::<f32>())
        .sqrt();
        let mut best_phrase = vec![0f32; self.docs.len()];
        for (ph, &d) in dot.iter().enumerate() {
            if d > 0.0 {
                let (doc, norm) = self.phrasings[ph];
                let cos = d / (qnorm * norm).max(f32::EPSILON);
                let slot = &mut best_phrase[doc as usize];
                *slot = slot.max(cos);
            }
        }
        let mut ranked: Vec<(usize, f32)> = (0..self.docs.len())
            .filter(|&d| covered[d] > 0.0)
            .map(|d| {
                (
                    d,
                    BM25_SHARE * bm25[d] / total + (1.0 - BM25_SHARE) * best_phrase[d],
                )
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(Self::MAX_CANDIDATES);
        result.candidates = ranked
            .into_iter()
            .map(|(d, score)| {
                let doc = &self.docs[d];
                let matched = terms
                    .iter()
                    .filter(|t| doc.terms.contains(&t.stem))
                    .map(|t| t.written.clone())
                    .collect();
                Candidate {
                    id: doc.id.clone(),
                    score: score.clamp(0.0, 1.0),
                    coverage: (covered[d] / total).clamp(0.0, 1.0),
                    matched,
                }
            })
            .collect();
        if let Some(top) = result.candidates.first() {
            result.confidence = confidence(top, result.candidates.get(1));
            // The most specific known word of the question itself says what it is about: when
            // the best entry lacks it, the entry answers a neighbouring question ("how do I
            // change pathway?" is not "which pathways are there?").
            let key = terms
                .iter()
                .filter(|t| t.known && t.primary)
                .max_by(|a, b| a.idf.total_cmp(&b.idf));
            if let Some(key) = key.filter(|k| !top.matched.contains(&k.written)) {
                result.confidence *= KEY_TERM_MISSING;
                result.missing_key = Some(key.written.clone());
            }
        }
        result
    }
}
