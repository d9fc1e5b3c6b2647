//! The lexical side of matching: an inverted index over knowledge-base entries, BM25F over
//! their fields (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and
//! Beyond", 2009) blended with the best TF-IDF cosine to any single phrasing, and the coverage
//! of the question's weighted terms by each entry.
//!
//! Cost: building tokenises each text once and interns stems; a query visits only the
//! postings (entries and phrasings) of its own known terms, with per-entry length
//! normalisation precomputed, and allocates nothing in proportion to the base: its
//! accumulators are per-thread scratch space reused (only the touched slots are cleared), and
//! [`Index::scores`] returns only the entries it touched.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use rustc_hash::FxHashMap;

use super::ask::AskKind;
use super::features::{Top2, TopK, PER_MATCHER};
use super::persist::{PersistError, Reader, Writer};
use super::ragged::Ragged;
use super::semantic::Exclude;
use crate::kb::KnowledgeBase;
use crate::text::normalize::{for_each_token, mark_stop_phrases_by, starts_stop_phrase};
use crate::text::strings::Strings;
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
/// Words analysed per query part at most: longer text is cut (a 1 MB subject must cost no
/// more than a long email). 400 words is well past any real question.
pub const MAX_QUERY_WORDS: usize = 400;

#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    tf: [u16; FIELDS],
}

#[derive(Debug)]
struct Doc {
    /// Stems per field.
    len: [f32; FIELDS],
}

/// Every stem's postings, one stem after another in shared vectors (no vector per stem).
#[derive(Debug, Default)]
struct Postings {
    /// Stem `s`'s entries are `doc_start[s]..doc_start[s + 1]` of `docs` and `tfs`.
    doc_start: Vec<u32>,
    /// Entry numbers, increasing within each stem.
    docs: Vec<u32>,
    /// Term counts per field, aligned with `docs`.
    tfs: Vec<[u16; FIELDS]>,
    /// Per posting (aligned with `docs`), its field-weighted, length-normalised term
    /// frequency, `bm25f_tf(tfs[i], doc_norms[docs[i]])`: it does not depend on the query,
    /// so it is worked out once when the index is built or read ([`Postings::weigh`]), with
    /// the same operations in the same order as scoring did per posting (the same bits).
    weights: Vec<f32>,
    /// Stem `s`'s phrasings are `phrasing_start[s]..phrasing_start[s + 1]` of `phrasings`.
    phrasing_start: Vec<u32>,
    phrasings: Vec<u32>,
}

/// Where one stem occurs.
#[derive(Debug, Clone, Copy)]
struct TermPostings<'a> {
    /// Entries containing the stem, by entry number.
    docs: &'a [u32],
    tfs: &'a [[u16; FIELDS]],
    /// Their BM25F term frequencies ([`Postings::weights`]).
    weights: &'a [f32],
    /// Phrasings containing the stem, by phrasing number.
    phrasings: &'a [u32],
}

impl<'a> TermPostings<'a> {
    fn len(&self) -> usize {
        self.docs.len()
    }

    fn iter(&self) -> impl Iterator<Item = Posting> + 'a {
        self.docs
            .iter()
            .zip(self.tfs)
            .map(|(&doc, &tf)| Posting { doc, tf })
    }
}

impl Postings {
    fn stems(&self) -> usize {
        self.doc_start.len().saturating_sub(1)
    }

    fn get(&self, stem: usize) -> Option<TermPostings<'_>> {
        let range = |starts: &[u32]| -> Option<std::ops::Range<usize>> {
            Some(*starts.get(stem)? as usize..*starts.get(stem + 1)? as usize)
        };
        let d = range(&self.doc_start)?;
        let p = range(&self.phrasing_start)?;
        Some(TermPostings {
            docs: self.docs.get(d.clone())?,
            tfs: self.tfs.get(d.clone())?,
            weights: self.weights.get(d)?,
            phrasings: self.phrasings.get(p)?,
        })
    }

    fn shrink_to_fit(&mut self) {
        self.doc_start.shrink_to_fit();
        self.docs.shrink_to_fit();
        self.tfs.shrink_to_fit();
        self.weights.shrink_to_fit();
        self.phrasing_start.shrink_to_fit();
        self.phrasings.shrink_to_fit();
    }

    /// Works out every posting's BM25F term frequency ([`Postings::weights`]) from its counts
    /// and its entry's length norms `doc_norms` (an entry number out of range, never in a
    /// built or checked index, weighs 0).
    fn weigh(&mut self, doc_norms: &[[f32; FIELDS]]) {
        self.weights = self
            .docs
            .iter()
            .zip(&self.tfs)
            .map(|(&doc, counts)| {
                doc_norms
                    .get(doc as usize)
                    .map_or(0.0, |norm| bm25f_tf(counts, norm))
            })
            .collect();
    }

    /// The postings of `stems` stems from every (stem, entry) posting and every (stem,
    /// phrasing number) pair, each in increasing entry or phrasing order: each stem's lists
    /// keep that order (a counting sort by stem into arrays of their exact size, so no
    /// vector per stem is grown while building).
    fn laid_out(
        stems: usize,
        docs: &[(u32, Posting)],
        phrasings: impl Iterator<Item = (u32, u32)> + Clone,
    ) -> Self {
        if stems == 0 {
            return Postings::default();
        }
        let starts = |counts: &mut dyn Iterator<Item = u32>| -> Vec<u32> {
            let mut start = vec![0u32; stems + 1];
            for stem in counts {
                if let Some(c) = start.get_mut(stem as usize + 1) {
                    *c += 1;
                }
            }
            for s in 0..stems {
                start[s + 1] += start[s];
            }
            start
        };
        let doc_start = starts(&mut docs.iter().map(|&(stem, _)| stem));
        let mut next: Vec<u32> = doc_start[..stems].to_vec();
        let mut flat_docs = vec![0u32; docs.len()];
        let mut tfs = vec![[0u16; FIELDS]; docs.len()];
        for &(stem, p) in docs {
            if let Some(at) = next.get_mut(stem as usize) {
                flat_docs[*at as usize] = p.doc;
                tfs[*at as usize] = p.tf;
                *at += 1;
            }
        }
        let (phrasing_start, phrasings) = phrasing_lists(stems, phrasings);
        Postings {
            doc_start,
            docs: flat_docs,
            tfs,
            weights: Vec::new(),
            phrasing_start,
            phrasings,
        }
    }
}

/// Each of `stems` stems' phrasings from every (stem, phrasing number) pair, in the pairs'
/// order: where each stem's list starts (one more than the stems) and the lists one after
/// another (a counting sort by stem).
fn phrasing_lists(
    stems: usize,
    phrasings: impl Iterator<Item = (u32, u32)> + Clone,
) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; stems + 1];
    for (stem, _) in phrasings.clone() {
        if let Some(c) = start.get_mut(stem as usize + 1) {
            *c += 1;
        }
    }
    for s in 0..stems {
        start[s + 1] += start[s];
    }
    let mut next: Vec<u32> = start[..stems].to_vec();
    let mut flat = vec![0u32; start[stems] as usize];
    for (stem, p) in phrasings {
        if let Some(at) = next.get_mut(stem as usize) {
            flat[*at as usize] = p;
            *at += 1;
        }
    }
    (start, flat)
}

/// One phrasing (title or question) of an entry, as indexed.
#[derive(Debug)]
struct Phrasing {
    /// The phrasing's text, lower-cased, as a number within its entry (the first ordinal
    /// with that text): phrasings equal to an excluded one are excluded with it.
    key: u32,
    /// Where the phrasing's stem numbers and their counts (in the stems' alphabetical
    /// order) are in `Index::phrasing_stems` and `Index::phrasing_counts`.
    tf: std::ops::Range<u32>,
    /// [`TITLE`] or [`QUESTIONS`] (a byte: 16 bytes a phrasing).
    field: u8,
}

/// What scoring reads of every phrasing a query reaches, kept apart from the rest of
/// [`Phrasing`] (8 bytes each, so more of them share a cache line).
#[derive(Debug, Clone, Copy)]
struct PhrasingAt {
    doc: u32,
    /// TF-IDF norm of the phrasing's distinct stems.
    norm: f32,
}

/// Term statistics of a knowledge base, built once and shared by every query.
#[derive(Debug)]
pub struct Index {
    analyzer: Analyzer,
    docs: Vec<Doc>,
    /// Per doc, its entry's id.
    doc_ids: Ragged<u8>,
    /// One bit per doc: whether its entry's words (title, phrasings, answer) include a
    /// number ([`super::quantity::is_number`]); an entry without states no quantity.
    states_number: Vec<u64>,
    /// Per doc, BM25F length normalisation per field, `1 - b + b · len / avg_len`, computed
    /// once (what `Postings::weights` are worked out from; scoring reads it only when
    /// something is left out).
    doc_norms: Vec<[f32; FIELDS]>,
    /// The stems, numbered in alphabetical order (a number indexes `postings`).
    stems: Strings,
    postings: Postings,
    avg_len: [f32; FIELDS],
    phrasings: Vec<Phrasing>,
    /// Per phrasing (aligned with `phrasings`), its entry and norm.
    phrasing_at: Vec<PhrasingAt>,
    /// Every phrasing's stem numbers, one after another (see `Phrasing::tf`).
    phrasing_stems: Vec<u32>,
    /// Their counts, aligned with `phrasing_stems` (apart: 6 bytes a pair, not 8).
    phrasing_counts: Vec<u16>,
    /// Per doc, the phrasing keys (see `Phrasing::key`) by ordinal (title = 0), to resolve
    /// an exclusion.
    ordinals: Ragged<u32>,
    /// Per doc, the range of its phrasings in `phrasings`.
    doc_phrasings: Vec<std::ops::Range<u32>>,
    max_idf: f32,
    /// Per doc, the kinds of answer its phrasings ask for, as (phrasing ordinal, kind) in
    /// ordinal order (most phrasings ask for none, so no list per phrasing).
    asks: Ragged<(u32, AskKind)>,
}

/// One weighted query term.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// The stem, shared with the token it came from.
    pub stem: Rc<str>,
    /// The stem's number in the index that analysed the query (`None`: the base never has
    /// it), so scoring and [`Index::has`] find its postings without hashing the stem.
    pub id: Option<u32>,
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
    /// How many of `terms` (the first ones) come from the first part, the question itself:
    /// they are the terms, with the same weights, of the question asked alone.
    pub own: usize,
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

/// The lexical evidence for one entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hit {
    /// Entry number.
    pub doc: u32,
    /// Blend of BM25F (relative to the query's maximum) and best phrasing cosine, in [0,1].
    pub score: f32,
    /// Share of the query's weighted terms the entry contains, in [0,1].
    pub coverage: f32,
}

/// Lexical scores of one query: the entries with any of its known terms, in entry order.
/// Every other entry scores 0 with coverage 0. Its size is the number of entries the query's
/// postings reach, never the base's.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scores {
    pub hits: Vec<Hit>,
    /// The first [`PER_MATCHER`] entries by score (then entry number) among the hits of
    /// score > 0 other than the entry left out (`skipped`), and the two best scores of all
    /// hits: what `features::candidates` would work out in one pass over `hits`, offered in
    /// the same order while the hits are written (no second pass).
    pub best: TopK<PER_MATCHER>,
    pub top2: Top2,
    /// The entry left out by `Exclude::Doc` when these scores were taken (a check only).
    pub skipped: Option<u32>,
}

impl Scores {
    /// The evidence for entry `doc` (0 and 0 when the query does not reach it), by binary
    /// search.
    pub fn get(&self, doc: usize) -> (f32, f32) {
        match self.hits.binary_search_by_key(&doc, |h| h.doc as usize) {
            Ok(i) => (self.hits[i].score, self.hits[i].coverage),
            Err(_) => (0.0, 0.0),
        }
    }

    /// Every entry's score and coverage, as vectors of `n` (tests compare them with the
    /// reference implementation's).
    #[cfg(test)]
    pub fn dense(&self, n: usize) -> (Vec<f32>, Vec<f32>) {
        let mut score = vec![0.0; n];
        let mut coverage = vec![0.0; n];
        for h in &self.hits {
            score[h.doc as usize] = h.score;
            coverage[h.doc as usize] = h.coverage;
        }
        (score, coverage)
    }
}

impl Index {
    pub const MAX_CANDIDATES: usize = 3;

    /// Indexes every entry of the knowledge base. Each text is tokenised once, without a
    /// string per word: each distinct word is learnt for typo correction and analysed (stem,
    /// stop word) at its first sight only ([`BuildWords`]), and stems are numbered from then
    /// on; the stems are renumbered in alphabetical order at the end.
    pub fn build(kb: &KnowledgeBase) -> Self {
        let mut analyzer = Analyzer::new(&kb.synonyms);
        let mut words = BuildWords::default();
        let mut docs = Vec::with_capacity(kb.entries.len());
        // every (stem, entry) posting in entry order, laid out by stem at the end (stems by
        // their first-use number until then)
        // (room for a posting per four bytes of text, about one per word: untouched room
        // costs no memory, and growing a vector this size copies it)
        let text_bytes: usize = kb
            .entries
            .iter()
            .map(|e| {
                e.title.len() + e.answer.len() + e.questions.iter().map(String::len).sum::<usize>()
            })
            .sum();
        let mut doc_postings: Vec<(u32, Posting)> = Vec::with_capacity(text_bytes / 4);
        let mut phrasings = Vec::new();
        let mut phrasing_at = Vec::new();
        let mut phrasing_tf: Vec<(u32, u16)> = Vec::with_capacity(text_bytes / 4);
        let mut ordinals = Ragged::with_rows(kb.entries.len());
        let mut doc_ids = Ragged::with_rows(kb.entries.len());
        let mut doc_phrasings = Vec::with_capacity(kb.entries.len());
        let mut total_len = [0f32; FIELDS];
        let mut asks = Ragged::with_rows(kb.entries.len());
        let mut keys = Vec::new();
        let mut doc_asks = Vec::new();
        // the answer kinds' patterns of this build's own (see `ask::kind_patterns`)
        let kind_patterns = super::ask::kind_patterns();
        let mut states_number = vec![0u64; kb.entries.len().div_ceil(64)];
        // one entry's stem counts per field, and where each stem's count is (by first-use
        // number; a slot is valid when the count there is that stem's)
        let mut doc_tf: Vec<(u32, [u16; FIELDS])> = Vec::new();
        let mut slot_of: Vec<u32> = Vec::new();
        // one entry's phrasings' stems, one after another, and the answer's
        let mut phrasing_stems: Vec<u32> = Vec::new();
        let mut phrasing_ends: Vec<usize> = Vec::new();
        let mut answer: Vec<u32> = Vec::new();
        let mut text_stems: Vec<u32> = Vec::new();
        // where each stem's count is in `phrasing_tf` (by first-use number)
        let mut phrasing_slot: Vec<u32> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        for (doc_no, e) in kb.entries.iter().enumerate() {
            let doc_no = doc_no as u32;
            doc_tf.clear();
            let mut len = [0f32; FIELDS];
            keys.clear();
            texts.clear();
            let first_phrasing = phrasings.len() as u32;
            phrasing_stems.clear();
            phrasing_ends.clear();
            for phrasing in std::iter::once(&e.title).chain(&e.questions) {
                words.stems_of(&mut analyzer, phrasing, &mut text_stems);
                phrasing_stems.extend_from_slice(&text_stems);
                phrasing_ends.push(phrasing_stems.len());
            }
            words.stems_of(&mut analyzer, &e.answer, &mut answer);
            if std::mem::take(&mut words.number) {
                states_number[doc_no as usize / 64] |= 1 << (doc_no % 64);
            }
            slot_of.resize(words.used_stems(), u32::MAX);
            phrasing_slot.resize(words.used_stems(), u32::MAX);
            let mut count = |stem: u32, field: usize, doc_tf: &mut Vec<(u32, [u16; FIELDS])>| {
                let slot = &mut slot_of[stem as usize];
                match doc_tf.get_mut(*slot as usize) {
                    Some((s, counts)) if *s == stem => {
                        counts[field] = counts[field].saturating_add(1);
                    }
                    _ => {
                        *slot = doc_tf.len() as u32;
                        let mut counts = [0u16; FIELDS];
                        counts[field] = 1;
                        doc_tf.push((stem, counts));
                    }
                }
            };
            let mut from = 0;
            for (ordinal, (phrasing, &to)) in std::iter::once(&e.title)
                .chain(&e.questions)
                .zip(&phrasing_ends)
                .enumerate()
            {
                let field = if ordinal == 0 { TITLE } else { QUESTIONS };
                let stems = &phrasing_stems[from..to];
                from = to;
                for &stem in stems {
                    count(stem, field, &mut doc_tf);
                    len[field] += 1.0;
                }
                let text = phrasing.trim().to_lowercase();
                let key = match texts.iter().position(|t| *t == text) {
                    Some(first) => first as u32,
                    None => texts.len() as u32,
                };
                texts.push(text);
                if !stems.is_empty() {
                    // each distinct stem with its count, in order of first sight (put in the
                    // stems' alphabetical order once the stems are renumbered); where a
                    // stem's count is, by stem (valid when at or after this phrasing's start
                    // and the pair there is that stem's)
                    let start = phrasing_tf.len() as u32;
                    for &stem in stems {
                        let slot = &mut phrasing_slot[stem as usize];
                        match phrasing_tf.get_mut(*slot as usize) {
                            Some((s, c)) if *slot >= start && *s == stem => {
                                *c = c.saturating_add(1);
                            }
                            _ => {
                                *slot = phrasing_tf.len() as u32;
                                phrasing_tf.push((stem, 1));
                            }
                        }
                    }
                    let tf = start..phrasing_tf.len() as u32;
                    phrasings.push(Phrasing {
                        key,
                        field: field as u8,
                        tf,
                    });
                    phrasing_at.push(PhrasingAt {
                        doc: doc_no,
                        norm: 0.0,
                    });
                }
                keys.push(key);
            }
            for &stem in &answer {
                count(stem, ANSWER, &mut doc_tf);
                len[ANSWER] += 1.0;
            }
            for f in 0..FIELDS {
                total_len[f] += len[f];
            }
            for &(stem, counts) in &doc_tf {
                doc_postings.push((
                    stem,
                    Posting {
                        doc: doc_no,
                        tf: counts,
                    },
                ));
            }
            docs.push(Doc { len });
            doc_ids.push_str(&e.id);
            ordinals.push_row(keys.drain(..));
            doc_phrasings.push(first_phrasing..phrasings.len() as u32);
            for (o, p) in std::iter::once(&e.title).chain(&e.questions).enumerate() {
                for k in super::ask::ask_kinds_with(&kind_patterns, p) {
                    doc_asks.push((o as u32, k));
                }
            }
            asks.push_row(doc_asks.drain(..));
        }
        drop((
            slot_of,
            doc_tf,
            phrasing_stems,
            answer,
            text_stems,
            phrasing_slot,
            texts,
        ));
        drop((keys, doc_asks, kind_patterns));
        doc_ids.shrink_to_fit();
        ordinals.shrink_to_fit();
        asks.shrink_to_fit();
        // the stems renumbered in alphabetical order: each phrasing's stems in that order
        let (stem_ids, rank) = words.stems_by_rank();
        for (stem, _) in &mut doc_postings {
            *stem = rank[*stem as usize];
        }
        for (stem, _) in &mut phrasing_tf {
            *stem = rank[*stem as usize];
        }
        for p in &phrasings {
            phrasing_tf[p.tf.start as usize..p.tf.end as usize].sort_unstable_by_key(|&(s, _)| s);
        }
        drop(rank);
        drop(words);
        analyzer.shrink_to_fit();
        let n = docs.len().max(1) as f32;
        let avg_len = total_len.map(|t| (t / n).max(1.0));
        let doc_norms: Vec<[f32; FIELDS]> = docs
            .iter()
            .map(|doc| field_norms(doc.len, avg_len))
            .collect();
        phrasings.shrink_to_fit();
        phrasing_at.shrink_to_fit();
        let mut postings = Postings::laid_out(
            stem_ids.len(),
            &doc_postings,
            phrasings.iter().enumerate().flat_map(|(p, phrasing)| {
                phrasing_tf[phrasing.tf.start as usize..phrasing.tf.end as usize]
                    .iter()
                    .map(move |&(stem, _)| (stem, p as u32))
            }),
        );
        drop(doc_postings);
        postings.weigh(&doc_norms);
        let (phrasing_stems, phrasing_counts) = phrasing_tf.into_iter().unzip();
        let mut index = Index {
            analyzer,
            docs,
            doc_ids,
            states_number,
            doc_norms,
            stems: stem_ids,
            postings,
            avg_len,
            phrasings,
            phrasing_at,
            phrasing_stems,
            phrasing_counts,
            ordinals,
            doc_phrasings,
            max_idf: 0.0,
            asks,
        };
        index.max_idf = index.idf_for_df(0);
        let norms: Vec<f32> = index
            .phrasings
            .iter()
            .map(|phrasing| {
                let mut norm = 0.0;
                for (stem, _) in index.tf_of(phrasing) {
                    let df = index.postings.get(stem as usize).map_or(0, |t| t.len());
                    let idf = index.idf_for_df(df);
                    norm += idf * idf;
                }
                f32::sqrt(norm)
            })
            .collect();
        for (at, norm) in index.phrasing_at.iter_mut().zip(norms) {
            at.norm = norm;
        }
        index.analyzer.prepare();
        index
    }

    /// The stem numbers and counts of phrasing `p`.
    fn tf_of(&self, p: &Phrasing) -> impl ExactSizeIterator<Item = (u32, u16)> + '_ {
        let range = p.tf.start as usize..p.tf.end as usize;
        let stems = self.phrasing_stems.get(range.clone()).unwrap_or_default();
        let counts = self.phrasing_counts.get(range).unwrap_or_default();
        stems.iter().copied().zip(counts.iter().copied())
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The analyzer, to give it a dictionary of real words (see [`Analyzer::set_dictionary`]).
    pub(crate) fn analyzer_mut(&mut self) -> &mut Analyzer {
        &mut self.analyzer
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The kinds of answer entry `doc`'s phrasings ask for, without the phrasings `exclude`
    /// hides (so a left-out phrasing does not vouch for its own kind).
    /// Whether the entries' phrasings sample what each entry answers: at least half the
    /// entries have two phrasings or more besides the title. On a base of one phrasing per
    /// entry, what an entry "offers" is the kind of a single sentence.
    pub(crate) fn phrasings_sample_asks(&self) -> bool {
        let several = self.ordinals.rows().filter(|keys| keys.len() >= 3).count();
        self.ordinals.len() > 0 && several * 2 >= self.ordinals.len()
    }

    pub(crate) fn ask_kinds(&self, doc: usize, exclude: Exclude) -> Vec<super::ask::AskKind> {
        let hidden_key = match exclude {
            Exclude::Phrasing { doc: d, ordinal } if d as usize == doc => {
                self.ordinals.row(doc).get(ordinal as usize)
            }
            _ => None,
        };
        let mut kinds = Vec::new();
        for &(o, k) in self.asks.row(doc) {
            if hidden_key.is_some() && self.ordinals.row(doc).get(o as usize) == hidden_key {
                continue;
            }
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        kinds
    }

    /// Whether entry number `doc`'s answer uses `stem` (its answer field counts it).
    pub(crate) fn answer_uses(&self, doc: usize, stem: &str) -> bool {
        self.postings_of(stem).is_some_and(|(_, p)| {
            p.docs
                .binary_search(&(doc as u32))
                .ok()
                .and_then(|i| p.tfs.get(i))
                .is_some_and(|tf| tf[ANSWER] > 0)
        })
    }

    /// Whether entry number `doc` holds `stem` in any field (its phrasings, title or answer).
    pub(crate) fn contains_stem(&self, doc: usize, stem: &str) -> bool {
        self.postings_of(stem)
            .is_some_and(|(_, p)| p.docs.binary_search(&(doc as u32)).is_ok())
    }

    /// How many entries' answers use `stem`. Linear in the entries containing it.
    pub(crate) fn answers_using(&self, stem: &str) -> usize {
        self.postings_of(stem)
            .map_or(0, |(_, p)| p.tfs.iter().filter(|tf| tf[ANSWER] > 0).count())
    }

    /// Whether entry number `doc`'s words include a number (see `states_number`).
    pub(crate) fn states_number(&self, doc: usize) -> bool {
        self.states_number
            .get(doc / 64)
            .is_some_and(|bits| bits & (1 << (doc % 64)) != 0)
    }

    /// The id of entry number `doc`.
    pub fn doc_id(&self, doc: usize) -> &str {
        self.doc_ids.str(doc)
    }

    fn idf_for_df(&self, df: usize) -> f32 {
        let n = self.docs.len() as f32;
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    /// Whether the base has `stem` (an analysed word's stem) anywhere.
    pub fn knows_stem(&self, stem: &str) -> bool {
        self.postings_of(stem).is_some()
    }

    /// The postings of `stem`, if the base has it.
    fn postings_of(&self, stem: &str) -> Option<(u32, TermPostings<'_>)> {
        let id = self.stems.get(stem)?;
        self.postings.get(id as usize).map(|p| (id, p))
    }

    /// The postings of a term of a query this index analysed (as [`Index::postings_of`] its
    /// stem, by the stem's number).
    fn postings_of_term(&self, term: &Term) -> Option<(u32, TermPostings<'_>)> {
        let id = term.id?;
        self.postings.get(id as usize).map(|p| (id, p))
    }

    /// Turns analysed tokens into weighted terms, one per stem (linear in the tokens).
    #[allow(clippy::too_many_arguments)]
    fn terms<'t>(
        &self,
        tokens: &'t [Token],
        weight: f32,
        primary: bool,
        drop: &HashSet<String>,
        (exclude, hidden): (Exclude, Option<&(u32, Vec<usize>)>),
        out: &mut Vec<Term>,
        seen: &mut FxHashMap<&'t str, usize>,
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
            let found = self.postings_of(&t.stem);
            let id = found.map(|(id, _)| id);
            let df = self.df_under(found, exclude, hidden);
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
            seen.insert(&*t.stem, out.len());
            out.push(Term {
                stem: Rc::clone(&t.stem),
                id,
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

    /// How many of `text`'s words are not stop words, analysed without typo correction
    /// (`analyze(text, false)`), each word's analysis read from this triage's memo when it
    /// holds the word uncorrected (see [`super::shared`]).
    pub(crate) fn content_words(&self, text: &str) -> usize {
        self.analyze_uncorrected(text)
            .iter()
            .filter(|t| !t.stop)
            .count()
    }

    /// `text`'s tokens without typo correction, the same as `analyze(text, false)` (words,
    /// stop flags, stems, synonyms rewritten): once per triage and text, each word's analysis
    /// read from this triage's memo when it holds the word uncorrected (see
    /// [`super::shared`]; outside a triage, analysed afresh).
    pub(crate) fn analyze_uncorrected(&self, text: &str) -> Rc<[Token]> {
        super::shared::analyze_uncorrected(self, text, |words| {
            self.analyzer.analyze_uncorrected_remembering(text, words)
        })
    }

    /// `text`'s tokens with typo correction, the same as `analyze(text, true)`, each word's
    /// analysis read from (or added to) this triage's memo (see [`super::shared`]; outside a
    /// triage, analysed afresh). The text itself is not remembered.
    pub(crate) fn analyze_corrected(&self, text: &str) -> Vec<Token> {
        super::shared::with_words_mut(self, |words| self.analyzer.analyze_remembering(text, words))
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
        let hidden = self.hidden(exclude);
        // every part analysed first, so the stems seen can be borrowed from their tokens
        let analysed: Vec<Rc<[Token]>> = parts
            .iter()
            .map(|&(text, _)| {
                let text = bounded(text, MAX_QUERY_WORDS);
                super::shared::analyze(self, text, |words| {
                    self.analyzer.analyze_remembering_noting(text, words)
                })
            })
            .collect();
        let mut seen = FxHashMap::default();
        for (i, (tokens, &(_, weight))) in analysed.iter().zip(parts).enumerate() {
            q.corrections.extend(tokens.iter().filter_map(|t| {
                t.corrected_from
                    .as_ref()
                    .map(|from| (from.clone(), t.surface.clone()))
            }));
            self.terms(
                tokens,
                weight,
                i == 0,
                drop,
                (exclude, hidden.as_ref()),
                &mut q.terms,
                &mut seen,
            );
            if i == 0 {
                q.own = q.terms.len();
            }
        }
        q.total = q.terms.iter().map(|t| t.weight * t.idf).sum();
        q
    }

    /// Document frequency of a stem with `exclude` applied: a word found only in a left-out
    /// entry (or only in a left-out phrasing) is unknown to the base, as it would be if the
    /// base never had it. This is what lets calibration learn what unknown words mean.
    /// `found` is the stem's number and postings ([`Index::postings_of`]), `None` when the
    /// base never has it.
    fn df_under(
        &self,
        found: Option<(u32, TermPostings<'_>)>,
        exclude: Exclude,
        hidden: Option<&(u32, Vec<usize>)>,
    ) -> usize {
        let Some((id, postings)) = found else {
            return 0;
        };
        match exclude {
            Exclude::None => postings.len(),
            Exclude::Doc(d) => postings.docs.iter().filter(|&&p| p != d).count(),
            Exclude::Phrasing { doc, .. } => {
                let hidden_count = |f: usize| -> u16 {
                    hidden.map_or(0, |(_, list)| {
                        list.iter()
                            .filter(|&&p| usize::from(self.phrasings[p].field) == f)
                            .flat_map(|&p| self.tf_of(&self.phrasings[p]))
                            .filter(|&(s, _)| s == id)
                            .map(|(_, c)| c)
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
        let key = self.ordinals.row(doc as usize).get(ordinal as usize)?;
        let range = self.doc_phrasings.get(doc as usize)?.clone();
        let hidden = (range.start as usize..range.end as usize)
            .filter(|&i| self.phrasings[i].key == *key)
            .collect();
        Some((doc, hidden))
    }

    /// Lexical scores of `q` against every entry, leaving out what `exclude` names, with a
    /// hit for every entry reached ([`Keep::All`]).
    #[cfg(test)]
    pub(crate) fn scores(&self, q: &Query, exclude: Exclude) -> Rc<Scores> {
        self.scores_keeping(q, exclude, Keep::All)
    }

    /// Lexical scores of `q` against every entry, leaving out what `exclude` names; `keep`
    /// says which hits the result holds (its top five and best two are the same either way).
    ///
    /// Only the postings of the query's known terms are visited; nothing is allocated in
    /// proportion to the base (scratch space is kept per thread and reused; the result holds
    /// only the entries reached, or with [`Keep::Best`] only the top five's).
    pub(crate) fn scores_keeping(&self, q: &Query, exclude: Exclude, keep: Keep) -> Rc<Scores> {
        let mut out = Scores::default();
        if q.total <= 0.0 || self.docs.is_empty() {
            return Rc::new(out);
        }
        // The question alone, after it was scored with its context in the same triage: its
        // scores were taken when the context's terms were about to be added (see below).
        let alone_key = (q.own == q.terms.len() && super::shared::active(self))
            .then(|| prefix_key(&q.terms, q.total, exclude, keep));
        if let Some(found) = alone_key
            .as_deref()
            .and_then(|k| super::shared::scores(self, k))
        {
            return found;
        }
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            self.scores_into(q, exclude, keep, &mut out, &mut scratch);
        });
        let out = Rc::new(out);
        if let Some(key) = alone_key {
            super::shared::remember_scores(self, key, Rc::clone(&out));
        }
        out
    }

    fn scores_into(
        &self,
        q: &Query,
        exclude: Exclude,
        keep: Keep,
        out: &mut Scores,
        scratch: &mut Scratch,
    ) {
        debug_assert!(out.hits.is_empty());
        let hidden = self.hidden(exclude);
        let skip_doc = match exclude {
            Exclude::Doc(d) => Some(d),
            _ => None,
        };
        // term counts and field lengths of the hidden phrasings, per stem number
        let (hidden_doc, hidden_norm, hidden_tf) = match &hidden {
            Some((doc, list)) => {
                let mut len = [0f32; FIELDS];
                let mut tf: HashMap<u32, [u16; FIELDS]> = HashMap::new();
                for &p in list {
                    let ph = &self.phrasings[p];
                    let field = usize::from(ph.field);
                    for (stem, c) in self.tf_of(ph) {
                        tf.entry(stem).or_default()[field] += c;
                        len[field] += c as f32;
                    }
                }
                let mut doc_len = self.docs[*doc as usize].len;
                for f in 0..FIELDS {
                    doc_len[f] -= len[f];
                }
                (Some(*doc), field_norms(doc_len, self.avg_len), tf)
            }
            None => (None, [1.0; FIELDS], HashMap::new()),
        };
        scratch.fit(self.phrasings.len(), self.docs.len());
        // With a context, the question's own terms come first, with the weights they have
        // alone: the sums after them are the question's alone, kept for its own search.
        let own =
            (q.own > 0 && q.own < q.terms.len() && super::shared::active(self)).then_some(q.own);
        let mut qnorm = 0f32;
        for (i, term) in q.terms.iter().enumerate() {
            if own == Some(i) {
                let total: f32 = q.terms[..i].iter().map(|t| t.weight * t.idf).sum();
                if total > 0.0 {
                    let mut alone = Scores::default();
                    let hidden = hidden.as_ref();
                    let qnorm = qnorm.sqrt();
                    let excluded = (skip_doc, hidden);
                    self.finish(total, qnorm, excluded, keep, false, scratch, &mut alone);
                    scratch.forget_cosines(&self.phrasing_at);
                    let key = prefix_key(&q.terms[..i], total, exclude, keep);
                    super::shared::remember_scores(self, key, Rc::new(alone));
                }
            }
            let w = term.weight * term.idf;
            qnorm += w * w;
            if !term.known {
                continue;
            }
            let Some((id, postings)) = self.postings_of_term(term) else {
                continue;
            };
            if skip_doc.is_none() && hidden_doc.is_none() {
                // nothing left out (every search of a triage): no check per posting, and the
                // sums and marks borrowed once for the whole list
                accumulate_list(
                    postings.docs,
                    postings.weights,
                    (&mut scratch.acc, &mut scratch.touched),
                    w,
                );
            } else {
                let hidden_counts = hidden_tf.get(&id);
                for p in postings.iter() {
                    if skip_doc == Some(p.doc) {
                        continue;
                    }
                    let mut counts = p.tf;
                    let norm = if hidden_doc == Some(p.doc) {
                        if let Some(h) = hidden_counts {
                            for f in 0..FIELDS {
                                counts[f] = counts[f].saturating_sub(h[f]);
                            }
                        }
                        &hidden_norm
                    } else {
                        &self.doc_norms[p.doc as usize]
                    };
                    let tf = bm25f_tf(&counts, norm);
                    if tf > 0.0 {
                        scratch.accumulate(p.doc, w, tf);
                    }
                }
            }
            add_phrasings(
                postings.phrasings,
                w * term.idf,
                &mut scratch.dot,
                &mut scratch.phrasings,
            );
        }
        // unknown words count in the query's norm: they are part of what was asked
        // (the sums and marks are cleared as the hits are taken from them)
        self.finish(
            q.total,
            qnorm.sqrt(),
            (skip_doc, hidden.as_ref()),
            keep,
            true,
            scratch,
            out,
        );
        scratch.clear();
    }

    /// The scores from the sums in `scratch`, for a query of weight `total` and norm
    /// `qnorm`: the sums left as they are, or with `last` reset and their marks cleared as
    /// they are read (the query's last use of them: no second pass over the entries reached
    /// to clear them).
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        total: f32,
        qnorm: f32,
        (skip_doc, hidden): (Option<u32>, Option<&(u32, Vec<usize>)>),
        keep: Keep,
        last: bool,
        scratch: &mut Scratch,
        out: &mut Scores,
    ) {
        // the phrasings in the order they were reached: each entry keeps the maximum of its
        // phrasings' cosines, whatever the order (no NaN: `d` > 0 and the divisor > 0)
        let excludes = skip_doc.is_some() || hidden.is_some();
        // (the scratch vectors borrowed apart, once: not reloaded per item)
        let Scratch {
            dot,
            phrasings,
            acc,
            touched,
            offered,
        } = scratch;
        // (`dot` and `phrasing_at` cut to one length: one bounds check of a phrasing serves
        // both)
        let reachable = dot.len().min(self.phrasing_at.len());
        let (dot, phrasing_at) = (&dot[..reachable], &self.phrasing_at[..reachable]);
        let acc = acc.as_mut_slice();
        for &ph in phrasings.iter() {
            let d = dot[ph as usize];
            if d <= 0.0 {
                continue;
            }
            let phrasing = phrasing_at[ph as usize];
            if excludes
                && (skip_doc == Some(phrasing.doc)
                    || hidden.is_some_and(|(_, list)| list.contains(&(ph as usize))))
            {
                continue;
            }
            let cos = d / (qnorm * phrasing.norm).max(f32::EPSILON);
            // `slot.max(cos)` by a plain comparison: the slot is never NaN (0, then only
            // values kept here), `max` keeps it too when `cos` is NaN, and neither is ever
            // -0.0 (`cos` is `d` > 0 over a positive divisor), so they keep the same bits
            let slot = &mut acc[phrasing.doc as usize].best;
            if cos > *slot {
                *slot = cos;
            }
        }
        // the entries reached read from the bitmap, in increasing order (what `Scores::get`
        // searches)
        match (keep, last) {
            (Keep::All, false) => write_hits::<false>(touched, acc, total, skip_doc, out),
            (Keep::All, true) => write_hits::<true>(touched, acc, total, skip_doc, out),
            (Keep::Best, false) => best_hits::<false>(touched, acc, total, skip_doc, offered, out),
            (Keep::Best, true) => best_hits::<true>(touched, acc, total, skip_doc, offered, out),
        }
        out.skipped = skip_doc;
    }

    /// The query's words that entry `doc` contains (as written, after typo correction).
    pub(crate) fn matched(&self, q: &Query, doc: usize) -> Vec<String> {
        q.terms
            .iter()
            .filter(|t| self.has(doc, t))
            .map(|t| t.written.clone())
            .collect()
    }

    /// The stem the most entries contain (in any field), with how many, among the stems
    /// `keep` accepts; ties go to the stem first in byte order. `None` on an empty base.
    /// Linear in the number of distinct stems.
    pub(crate) fn most_common_stem(&self, keep: impl Fn(&str) -> bool) -> Option<(&str, usize)> {
        (0..self.stems.len() as u32)
            .map(|id| (self.stems.get_str(id), id))
            .filter(|(s, _)| keep(s))
            .filter_map(|(s, id)| self.postings.get(id as usize).map(|p| (s, p.docs.len())))
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
    }

    /// Whether entry `doc` contains the stem of `term`.
    pub(crate) fn has(&self, doc: usize, term: &Term) -> bool {
        self.postings_of_term(term)
            .is_some_and(|(_, p)| p.docs.binary_search(&(doc as u32)).is_ok())
    }
}

/// Every kind of answer, in the order the persisted index numbers them.
const ASK_KINDS: [AskKind; 22] = [
    AskKind::Amount,
    AskKind::Procedure,
    AskKind::Person,
    AskKind::Time,
    AskKind::Place,
    AskKind::Reason,
    AskKind::Service,
    AskKind::Credit,
    AskKind::Delay,
    AskKind::Change,
    AskKind::Status,
    AskKind::Deadline,
    AskKind::Items,
    AskKind::Consequence,
    AskKind::Fault,
    AskKind::Currency,
    AskKind::Name,
    AskKind::Equivalent,
    AskKind::Comparison,
    AskKind::Pay,
    AskKind::Evidence,
    AskKind::Plans,
];

impl Index {
    /// Appends the index to a persisted matcher's payload (see `persist`). Fails only if an
    /// answer kind is missing from [`ASK_KINDS`] (the file is then not written).
    pub(crate) fn encode(&self, w: &mut Writer) -> Result<(), PersistError> {
        let crate::text::normalize::Vocabulary {
            words,
            word_stems,
            stems,
            deletions,
            long,
        } = self.analyzer.vocabulary();
        w.len(words.len());
        for (word, &stem) in words.iter().zip(word_stems) {
            w.str(word);
            w.u32(stem);
        }
        w.len(stems.len());
        stems.iter().for_each(|s| w.str(s));
        // (hashes sorted: each as its difference from the one before, a few bytes)
        w.len(deletions.len());
        let mut before = 0u32;
        for &(h, id) in deletions {
            w.var(u64::from(h.wrapping_sub(before)));
            w.var(u64::from(id));
            before = h;
        }
        w.len(long.len());
        for &id in long {
            w.u32(id);
        }
        w.len(self.docs.len());
        for (i, (doc, norm)) in self.docs.iter().zip(&self.doc_norms).enumerate() {
            w.str(self.doc_ids.str(i));
            doc.len.iter().chain(norm).for_each(|&x| w.f32(x));
        }
        if self.stems.len() != self.postings.stems() {
            return Err(PersistError::Corrupt("stems without postings".into()));
        }
        w.len(self.stems.len());
        self.stems.iter().for_each(|s| w.str(s));
        w.len(self.phrasings.len());
        for (p, at) in self.phrasings.iter().zip(&self.phrasing_at) {
            w.var(u64::from(at.doc));
            w.var(u64::from(p.key));
            w.u8(p.field);
            let tf = self.tf_of(p);
            w.var(tf.len() as u64);
            // (stem numbers increasing: each as its difference from the one before)
            let mut before = 0u32;
            for (stem, c) in tf {
                w.var(u64::from(stem.wrapping_sub(before)));
                w.var(u64::from(c));
                before = stem;
            }
            w.f32(at.norm);
        }
        for id in 0..self.postings.stems() {
            let list = self
                .postings
                .get(id)
                .ok_or_else(|| PersistError::Corrupt(format!("stem {id} has no postings")))?;
            // (entries increasing: each as its difference from the one before; the
            // phrasings' lists are worked out again from the phrasings when read)
            w.var(list.len() as u64);
            let mut before = 0u32;
            for p in list.iter() {
                w.var(u64::from(p.doc.wrapping_sub(before)));
                p.tf.iter().for_each(|&c| w.var(u64::from(c)));
                before = p.doc;
            }
        }
        self.avg_len.iter().for_each(|&x| w.f32(x));
        w.f32(self.max_idf);
        for (keys, range) in self.ordinals.rows().zip(&self.doc_phrasings) {
            w.len(keys.len());
            keys.iter().for_each(|&k| w.u32(k));
            w.u32(range.start);
            w.u32(range.end);
        }
        w.len(self.states_number.len());
        self.states_number.iter().for_each(|&bits| w.u64(bits));
        for per_doc in self.asks.rows() {
            w.len(per_doc.len());
            for &(o, k) in per_doc {
                let n = ASK_KINDS.iter().position(|a| *a == k).ok_or_else(|| {
                    PersistError::Corrupt(format!("answer kind {k:?} has no number"))
                })?;
                w.u32(o);
                w.u8(n as u8);
            }
        }
        Ok(())
    }

    /// The index [`Index::encode`] wrote for `kb` (whose synonym groups rebuild the
    /// analyzer's rules). Every count and every number that indexes something is checked:
    /// a payload that does not hold together is an error, never a panic later.
    pub(crate) fn decode(kb: &KnowledgeBase, r: &mut Reader<'_>) -> Result<Self, PersistError> {
        let bad = |what: &str| PersistError::Corrupt(what.to_string());
        let n = r.len(12)?;
        let mut words = Strings::with_capacity(n, 8 * n);
        let mut word_stems = Vec::with_capacity(n);
        for _ in 0..n {
            if !words.insert(r.str()?).1 {
                return Err(bad("duplicate word"));
            }
            word_stems.push(r.u32()?);
        }
        let n = r.len(8)?;
        let mut word_stem_list = Strings::with_capacity(n, 8 * n);
        for _ in 0..n {
            if !word_stem_list.insert(r.str()?).1 {
                return Err(bad("duplicate stem"));
            }
        }
        words.shrink_to_fit();
        word_stem_list.shrink_to_fit();
        let n = r.len(2)?;
        let mut deletions = Vec::with_capacity(n);
        let mut before = 0u32;
        for _ in 0..n {
            let h = before
                .checked_add(r.var32()?)
                .ok_or_else(|| bad("deletion hash"))?;
            deletions.push((h, r.var32()?));
            before = h;
        }
        let n = r.len(4)?;
        let long = (0..n).map(|_| r.u32()).collect::<Result<Vec<_>, _>>()?;
        let analyzer = Analyzer::with_vocabulary(
            &kb.synonyms,
            words,
            word_stems,
            word_stem_list,
            deletions,
            long,
        )
        .ok_or_else(|| bad("vocabulary"))?;
        let n_docs = r.len(32)?;
        if n_docs != kb.entries.len() {
            return Err(bad("entry count"));
        }
        let mut docs = Vec::with_capacity(n_docs);
        let mut doc_ids = Ragged::with_rows(n_docs);
        let mut doc_norms = Vec::with_capacity(n_docs);
        for _ in 0..n_docs {
            doc_ids.push_str(r.str()?);
            let mut v = [0f32; 2 * FIELDS];
            for x in &mut v {
                *x = r.f32()?;
            }
            docs.push(Doc {
                len: [v[0], v[1], v[2]],
            });
            doc_norms.push([v[3], v[4], v[5]]);
        }
        let n_stems = r.len(8)?;
        let mut stems = Strings::with_capacity(n_stems, 8 * n_stems);
        for _ in 0..n_stems {
            if !stems.insert(r.str()?).1 {
                return Err(bad("duplicate stem"));
            }
        }
        stems.shrink_to_fit();
        let n_phrasings = r.len(7)?;
        let mut phrasings = Vec::with_capacity(n_phrasings);
        let mut phrasing_at = Vec::with_capacity(n_phrasings);
        let mut phrasing_tf = Vec::new();
        for _ in 0..n_phrasings {
            let doc = r.var32()?;
            if doc as usize >= n_docs {
                return Err(bad("entry number"));
            }
            let key = r.var32()?;
            let field = usize::from(r.u8()?);
            if field >= FIELDS {
                return Err(bad("field"));
            }
            let n = r.var_len(2)?;
            let start = phrasing_tf.len() as u32;
            let mut before = 0u32;
            for _ in 0..n {
                let stem = before.saturating_add(r.var32()?);
                if stem as usize >= n_stems {
                    return Err(bad("stem number"));
                }
                let c = u16::try_from(r.var()?).map_err(|_| bad("count"))?;
                phrasing_tf.push((stem, c));
                before = stem;
            }
            let tf = start..phrasing_tf.len() as u32;
            let norm = r.f32()?;
            phrasings.push(Phrasing {
                key,
                field: field as u8,
                tf,
            });
            phrasing_at.push(PhrasingAt { doc, norm });
        }
        let mut postings = Postings::default();
        if n_stems > 0 {
            postings.doc_start.reserve_exact(n_stems + 1);
            postings.doc_start.push(0);
        }
        for _ in 0..n_stems {
            let n = r.var_len(4)?;
            let mut before = None;
            for _ in 0..n {
                let delta = r.var32()?;
                let doc = match before {
                    None => delta,
                    Some(b) if delta > 0 => u32::checked_add(b, delta).unwrap_or(u32::MAX),
                    Some(_) => return Err(bad("postings out of order")),
                };
                if doc as usize >= n_docs {
                    return Err(bad("entry number"));
                }
                let mut tf = [0u16; FIELDS];
                for c in &mut tf {
                    *c = u16::try_from(r.var()?).map_err(|_| bad("count"))?;
                }
                postings.docs.push(doc);
                postings.tfs.push(tf);
                before = Some(doc);
            }
            postings.doc_start.push(postings.docs.len() as u32);
        }
        // each stem's phrasings, in phrasing order, from the phrasings' stems
        let (phrasing_start, phrasing_list) = phrasing_lists(
            n_stems,
            phrasings.iter().enumerate().flat_map(|(p, phrasing)| {
                phrasing_tf[phrasing.tf.start as usize..phrasing.tf.end as usize]
                    .iter()
                    .map(move |&(stem, _)| (stem, p as u32))
            }),
        );
        if n_stems > 0 {
            postings.phrasing_start = phrasing_start;
            postings.phrasings = phrasing_list;
        }
        let avg_len = [r.f32()?, r.f32()?, r.f32()?];
        let max_idf = r.f32()?;
        let mut ordinals = Ragged::with_rows(n_docs);
        let mut doc_phrasings = Vec::with_capacity(n_docs);
        for _ in 0..n_docs {
            let n = r.len(4)?;
            ordinals.push_row((0..n).map(|_| r.u32()).collect::<Result<Vec<_>, _>>()?);
            let (start, end) = (r.u32()?, r.u32()?);
            if start > end || end as usize > n_phrasings {
                return Err(bad("phrasing range"));
            }
            doc_phrasings.push(start..end);
        }
        let n = r.len(8)?;
        if n != n_docs.div_ceil(64) {
            return Err(bad("number bits"));
        }
        let states_number = (0..n).map(|_| r.u64()).collect::<Result<Vec<_>, _>>()?;
        let mut asks = Ragged::with_rows(n_docs);
        let mut per_doc = Vec::new();
        for _ in 0..n_docs {
            let n = r.len(5)?;
            per_doc.clear();
            for _ in 0..n {
                let o = r.u32()?;
                let i = usize::from(r.u8()?);
                let k = ASK_KINDS
                    .get(i)
                    .copied()
                    .ok_or_else(|| bad("answer kind"))?;
                per_doc.push((o, k));
            }
            asks.push_row(per_doc.drain(..));
        }
        doc_ids.shrink_to_fit();
        ordinals.shrink_to_fit();
        asks.shrink_to_fit();
        postings.weigh(&doc_norms);
        postings.shrink_to_fit();
        let (phrasing_stems, phrasing_counts) = phrasing_tf.into_iter().unzip();
        Ok(Index {
            analyzer,
            docs,
            doc_ids,
            states_number,
            doc_norms,
            stems,
            postings,
            avg_len,
            phrasings,
            phrasing_at,
            phrasing_stems,
            phrasing_counts,
            ordinals,
            doc_phrasings,
            max_idf,
            asks,
        })
    }
}

/// The first `max_words` words of `text` (whitespace-separated), as a slice: linear time.
pub fn bounded(text: &str, max_words: usize) -> &str {
    // each word counted ends with a whitespace character: fewer bytes than two per word
    // cannot reach the bound
    if text.len() < max_words.saturating_mul(2) {
        return text;
    }
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == max_words {
                    return &text[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    text
}

/// Per-thread working space of [`Index::scores`], sized to the largest index used on the
/// thread and cleared after each query (only the touched slots), so a query allocates nothing
/// in proportion to the base.
#[derive(Debug, Default)]
struct Scratch {
    /// Per phrasing: the dot product with the query (TF-IDF weights).
    dot: Vec<f32>,
    /// Phrasings whose `dot` was touched.
    phrasings: Vec<u32>,
    /// Per entry: its sums, side by side.
    acc: Vec<Acc>,
    /// One bit per entry: whether it has a BM25F contribution (set while scoring, read in
    /// entry order and cleared by the query's last [`Index::finish`]): no sort of the reached
    /// entries, and no list of them.
    touched: Vec<u64>,
    /// The entries [`best_hits`] offered to its top five and their sums (it may reset the
    /// sums as it reads them, and writes the hits of the five it keeps after).
    offered: Vec<(u32, Acc)>,
}

/// The key of a question's scores in the triage's memo: its terms (stems, weights, idfs,
/// whether known, bit for bit), its total weight and what is left out.
fn prefix_key(terms: &[Term], total: f32, exclude: Exclude, keep: Keep) -> String {
    let mut key = String::with_capacity(32 + 32 * terms.len());
    key.push(match keep {
        Keep::All => 'a',
        Keep::Best => 'b',
    });
    match exclude {
        Exclude::None => key.push('n'),
        Exclude::Doc(d) => {
            key.push('d');
            push_hex(&mut key, d);
        }
        Exclude::Phrasing { doc, ordinal } => {
            key.push('p');
            push_hex(&mut key, doc);
            push_hex(&mut key, ordinal);
        }
    }
    push_hex(&mut key, total.to_bits());
    for t in terms {
        key.push('\u{1e}');
        key.push_str(&t.stem);
        key.push('\u{1f}');
        push_hex(&mut key, t.weight.to_bits());
        push_hex(&mut key, t.idf.to_bits());
        key.push(if t.known { '+' } else { '-' });
    }
    key
}

/// Appends `bits` as eight hexadecimal digits.
fn push_hex(key: &mut String, bits: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for i in (0..8).rev() {
        key.push(char::from(HEX[(bits >> (4 * i)) as usize & 0xf]));
    }
}

/// One entry's sums in [`Scratch`] (16 bytes, aligned: never across two cache lines).
#[derive(Debug, Default, Clone, Copy)]
#[repr(C, align(16))]
struct Acc {
    /// The BM25F sum (weighted by the query's terms).
    bm25: f32,
    /// The query's weight the entry contains.
    coverage: f32,
    /// The best phrasing cosine.
    best: f32,
}

impl Acc {
    /// Sums back to zero.
    #[inline(always)]
    fn reset(&mut self) {
        self.bm25 = 0.0;
        self.coverage = 0.0;
        self.best = 0.0;
    }
}

impl Scratch {
    /// Room for an index of `phrasings` phrasings and `docs` entries.
    /// The sums come in blocks of 64, one per word of the bitmap (`acc.len()` is always
    /// `64 * touched.len()`), so that the walks over the bitmap read an entry's sums from its
    /// word's block without a bounds check per entry.
    fn fit(&mut self, phrasings: usize, docs: usize) {
        if self.dot.len() < phrasings {
            self.dot.resize(phrasings, 0.0);
        }
        let words = docs.div_ceil(64);
        if self.touched.len() < words {
            self.touched.resize(words, 0);
            self.acc.resize(words * 64, Acc::default());
        }
    }

    /// Adds a posting's BM25F contribution (term weight `w`, field-weighted normalised term
    /// frequency `tf` > 0) and coverage to entry `doc`'s sums, marking the entry reached.
    #[inline(always)]
    fn accumulate(&mut self, doc: u32, w: f32, tf: f32) {
        let d = doc as usize;
        accumulate(&mut self.acc[d], &mut self.touched[d / 64], d, w, tf);
    }

    /// Forgets the phrasing cosines [`Index::finish`] kept per entry (the sums stay).
    fn forget_cosines(&mut self, phrasing_at: &[PhrasingAt]) {
        for &p in &self.phrasings {
            if let Some(at) = phrasing_at.get(p as usize) {
                if let Some(acc) = self.acc.get_mut(at.doc as usize) {
                    acc.best = 0.0;
                }
            }
        }
    }

    /// Clears the phrasings' dot products (the entries' sums and marks were cleared by the
    /// query's last [`Index::finish`]).
    fn clear(&mut self) {
        for &p in &self.phrasings {
            self.dot[p as usize] = 0.0;
        }
        self.phrasings.clear();
    }
}

/// Calls `f` with each entry marked in the bitmap `touched` (bit `d % 64` of word `d / 64`),
/// in increasing order, and its sums in `acc` (64 a word, see [`Scratch::fit`]: read from the
/// word's block, no bounds check per entry), and with `CLEAR` clears the marks as it goes.
#[inline(always)]
fn for_each_marked<const CLEAR: bool>(
    touched: &mut [u64],
    acc: &mut [Acc],
    mut f: impl FnMut(u32, &mut Acc),
) {
    let (blocks, _) = acc.as_chunks_mut::<64>();
    debug_assert!(blocks.len() >= touched.len());
    for (i, (word, block)) in touched.iter_mut().zip(blocks).enumerate() {
        let mut bits = *word;
        if bits == 0 {
            continue;
        }
        if CLEAR {
            *word = 0;
        }
        while bits != 0 {
            // (below 64: `bits` is not 0)
            let bit = bits.trailing_zeros() as usize & 63;
            f((i * 64 + bit) as u32, &mut block[bit]);
            bits &= bits - 1;
        }
    }
}

/// Adds a posting's BM25F contribution (term weight `w`, field-weighted normalised term
/// frequency `tf` > 0) and coverage to entry `d`'s sums `acc`, marking the entry reached in
/// `mark`, its word of the bitmap.
#[inline(always)]
fn accumulate(acc: &mut Acc, mark: &mut u64, d: usize, w: f32, tf: f32) {
    // marked whenever reached (the first time is what counts; again changes nothing)
    *mark |= 1 << (d % 64);
    acc.bm25 += w * tf / (K1 + tf);
    acc.coverage += w;
}

/// Adds one postings list's BM25F contributions (term weight `w`; entries `docs` with their
/// term frequencies `weights`, see [`Postings::weights`]) to the entries' sums in `acc`,
/// marking each entry reached in the bitmap. A function of its own, with the slices as
/// arguments, so that its loop keeps them in registers (inside `scores_into` they were read
/// again from the stack per posting).
#[inline(never)]
fn accumulate_list(
    docs: &[u32],
    weights: &[f32],
    (acc, touched): (&mut [Acc], &mut [u64]),
    w: f32,
) {
    for (&doc, &tf) in docs.iter().zip(weights) {
        let d = doc as usize;
        let a = &mut acc[d];
        if tf > 0.0 {
            accumulate(a, &mut touched[d / 64], d, w, tf);
        }
    }
}

/// Adds `x` (a term's weight times its idf) to the dot product of each phrasing of `list`,
/// noting in `reached` each phrasing reached for the first time (its product was 0).
#[inline(never)]
fn add_phrasings(list: &[u32], x: f32, dot: &mut [f32], reached: &mut Vec<u32>) {
    reached.reserve(list.len());
    for &ph in list {
        let slot = &mut dot[ph as usize];
        if *slot == 0.0 {
            reached.push(ph);
        }
        *slot += x;
    }
}

/// Writes a hit for each entry marked in `touched` (in increasing order) from its sums in `acc`, for
/// a query of weight `total`, into `out.hits`, and takes the lexical top five and best two
/// (`Scores::best`, `Scores::top2`) as it goes, offered in the same order as before. An
/// entry without coverage (none ever is: every entry reached has a term of positive weight)
/// is neither offered nor written (it used to be written and taken out after). With `RESET`
/// each entry's sums are reset and the marks cleared once read.
///
/// The top five is only offered a score that could enter it (`offer` turns away any value
/// below the fifth kept one; a NaN, never a score (clamped sums of finite terms), would still
/// be offered as before), and the best two
/// a score above the second: the same offers that change anything, fewer calls.
#[inline(never)]
fn write_hits<const RESET: bool>(
    touched: &mut [u64],
    acc: &mut [Acc],
    total: f32,
    skip_doc: Option<u32>,
    out: &mut Scores,
) {
    let (mut best, mut top2) = (TopK::<PER_MATCHER>::new(), Top2::new());
    let mut floor = f32::NEG_INFINITY;
    let reached: u32 = touched.iter().map(|w| w.count_ones()).sum();
    out.hits.reserve(reached as usize);
    for_each_marked::<RESET>(touched, acc, |doc, a| {
        if a.coverage > 0.0 {
            let hit = hit_of(a, total, doc);
            offer(&mut best, &mut top2, &mut floor, doc, hit.score, skip_doc);
            out.hits.push(hit);
        }
        if RESET {
            a.reset();
        }
    });
    out.best = best;
    out.top2 = top2;
}

/// Offers entry `doc`'s `score` to the top five (`best`, when it is not below their
/// `floor`, not `skip_doc` and positive; `floor` then follows them) and to the best two
/// (`top2`, always): the one order of offers both ways of writing hits keep. Whether it was
/// offered to the top five.
#[inline(always)]
fn offer(
    best: &mut TopK<PER_MATCHER>,
    top2: &mut Top2,
    floor: &mut f32,
    doc: u32,
    score: f32,
    skip_doc: Option<u32>,
) -> bool {
    let taken = score.partial_cmp(floor) != Some(std::cmp::Ordering::Less)
        && Some(doc) != skip_doc
        && score > 0.0;
    if taken {
        best.offer(doc as usize, score);
        *floor = best.floor();
    }
    top2.offer_score(doc as usize, score);
    taken
}

/// Entry `doc`'s hit from its sums `a` for a query of weight `total`: its lexical score, the
/// blend of BM25F (relative to the query's weight, share [`BM25_SHARE`]) and the best
/// phrasing cosine, and its coverage, both in [0,1].
#[inline(always)]
fn hit_of(a: &Acc, total: f32, doc: u32) -> Hit {
    Hit {
        doc,
        score: blend_of(a, total).clamp(0.0, 1.0),
        coverage: (a.coverage / total).clamp(0.0, 1.0),
    }
}

/// The blend of [`hit_of`]'s score before its clamp to [0,1].
#[inline(always)]
fn blend_of(a: &Acc, total: f32) -> f32 {
    BM25_SHARE * a.bm25 / total + (1.0 - BM25_SHARE) * a.best
}

/// [`write_hits`] for [`Keep::Best`]: the same top five and best two, from the same offers
/// in the same order, but hits written only for the top five's entries (in increasing entry
/// order, as `Scores::get` searches them), so nothing is written or allocated per entry
/// reached. An entry without coverage is offered to neither (as in `write_hits`), so none
/// is among the hits. With `RESET` each entry's sums are reset and the marks cleared once
/// read, the sums of each entry offered to the top five kept aside in `offered` (in entry
/// order) for its hit.
#[inline(never)]
fn best_hits<const RESET: bool>(
    touched: &mut [u64],
    acc: &mut [Acc],
    total: f32,
    skip_doc: Option<u32>,
    offered: &mut Vec<(u32, Acc)>,
    out: &mut Scores,
) {
    let (mut best, mut top2) = (TopK::<PER_MATCHER>::new(), Top2::new());
    let mut floor = f32::NEG_INFINITY;
    // A score below both the top five's floor and the best two's second changes neither
    // (`offer` turns it away from the five, and `Top2` keeps both of its values): `gate`
    // is the smaller of the two once it is positive (minus infinity before), and a blend
    // below it, before its clamp to [0,1], is such a score (clamped, a blend below a gate
    // in (0,1] stays below it; a NaN is not below it and is offered as before).
    let mut gate = f32::NEG_INFINITY;
    offered.clear();
    for_each_marked::<RESET>(touched, acc, |doc, a| {
        // (the gate first: an entry it turns away is offered to neither, with or without
        // coverage, so most entries are not asked about their coverage)
        let blend = blend_of(a, total);
        let turned_away = blend < gate;
        if !turned_away && a.coverage > 0.0 {
            let score = blend.clamp(0.0, 1.0);
            let taken = offer(&mut best, &mut top2, &mut floor, doc, score, skip_doc);
            if RESET && taken {
                offered.push((doc, *a));
            }
            gate = floor.min(top2.second());
            if gate.is_nan() || gate <= 0.0 {
                gate = f32::NEG_INFINITY;
            }
        }
        if RESET {
            a.reset();
        }
    });
    let mut kept: [u32; PER_MATCHER] = [0; PER_MATCHER];
    let mut n = 0;
    for (slot, d) in kept.iter_mut().zip(best.docs()) {
        *slot = d as u32;
        n += 1;
    }
    let kept = &mut kept[..n];
    kept.sort_unstable();
    out.hits.reserve_exact(n);
    for &doc in kept.iter() {
        // (each kept entry was offered, once: its sums are in `offered`, by entry number)
        let a = if RESET {
            match offered.binary_search_by_key(&doc, |&(d, _)| d) {
                Ok(i) => offered[i].1,
                Err(_) => continue,
            }
        } else {
            acc[doc as usize]
        };
        out.hits.push(hit_of(&a, total, doc));
    }
    out.best = best;
    out.top2 = top2;
}

/// Which hits [`Index::scores_keeping`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// A hit for every entry the query reached (what the ranking scores need when there are
    /// semantic cosines: `features::candidates` offers every hit to their best two).
    All,
    /// Hits for the lexical top five's entries only (without cosines `features::candidates`
    /// reads no other: its candidates are the lexical top five).
    Best,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The field-weighted, length-normalised term frequency of one posting: the sum over the
/// fields where the stem occurs of weight × count / normalisation, in field order.
#[inline(always)]
fn bm25f_tf(counts: &[u16; FIELDS], norm: &[f32; FIELDS]) -> f32 {
    let mut tf = 0.0;
    for f in 0..FIELDS {
        if counts[f] > 0 {
            tf += FIELD_WEIGHT[f] * counts[f] as f32 / norm[f];
        }
    }
    tf
}

/// BM25F length normalisation per field: `1 - b + b · len / avg_len` (b = [`FIELD_B`]).
fn field_norms(len: [f32; FIELDS], avg_len: [f32; FIELDS]) -> [f32; FIELDS] {
    let mut norm = [1.0; FIELDS];
    for f in 0..FIELDS {
        norm[f] = 1.0 - FIELD_B[f] + FIELD_B[f] * len[f] / avg_len[f];
    }
    norm
}

/// What the build knows of one distinct word of the base, worked out at its first sight.
#[derive(Debug, Clone, Copy)]
struct WordFacts {
    /// Its stem's number in [`BuildWords::stems`].
    stem: u32,
    /// A stop word.
    stop: bool,
    /// The first word of a stop phrase ([`starts_stop_phrase`]).
    phrase: bool,
    /// Its stem starts a synonym rule.
    synonym: bool,
    /// A number ([`super::quantity::is_number`]).
    number: bool,
}

/// The words and stems an index build has seen: each distinct word of the base is learnt and
/// analysed once, and each text's words are looked up by one hash of the word, with no
/// string made per word.
#[derive(Debug, Default)]
struct BuildWords {
    /// Every distinct word seen (stop words and short words too).
    words: Strings,
    /// Per word of `words`.
    facts: Vec<WordFacts>,
    /// Every stem seen: the words' and those of synonym rewritings.
    stems: Strings,
    /// Per stem of `stems`, its first-use number among the stems the index keeps (those of
    /// words analysis does not drop as stop words), `u32::MAX` while unused.
    used: Vec<u32>,
    /// The `stems` numbers of the kept stems, by first-use number.
    order: Vec<u32>,
    /// The word numbers of the text being analysed, and which of them are stop words.
    ids: Vec<u32>,
    stop: Vec<bool>,
    /// Whether a text analysed since this was last reset had a number.
    number: bool,
}

impl BuildWords {
    /// The number of word `w`, learning and analysing it if it is new.
    fn word(&mut self, analyzer: &mut Analyzer, w: &str) -> u32 {
        let (id, new) = self.words.insert(w);
        if new {
            analyzer.learn_word(w);
            let stem = analyzer.stem_of(w);
            let stem_id = self.stem(&stem);
            self.facts.push(WordFacts {
                stem: stem_id,
                stop: analyzer.is_stop(w),
                phrase: starts_stop_phrase(w),
                synonym: analyzer.starts_synonym(&stem),
                number: super::quantity::is_number(w),
            });
        }
        id
    }

    /// The number of `stem` in `stems`.
    fn stem(&mut self, stem: &str) -> u32 {
        let (id, new) = self.stems.insert(stem);
        if new {
            self.used.push(u32::MAX);
        }
        id
    }

    /// The first-use number of stem `stem` (a `stems` number), numbering it if new.
    fn use_stem(&mut self, stem: u32) -> u32 {
        let slot = &mut self.used[stem as usize];
        if *slot == u32::MAX {
            *slot = self.order.len() as u32;
            self.order.push(stem);
        }
        *slot
    }

    /// How many stems the index keeps so far.
    fn used_stems(&self) -> usize {
        self.order.len()
    }

    /// The stems `analyzer.analyze_words(tokenize(text), false)` gives `text`'s words that
    /// are not stop words, in order, as first-use numbers, into `out`; each new word is
    /// learnt (as `Analyzer::learn_words` would, in the same order). A text with a word
    /// whose stem starts a synonym rule is analysed by the analyzer itself.
    fn stems_of(&mut self, analyzer: &mut Analyzer, text: &str, out: &mut Vec<u32>) {
        out.clear();
        self.ids.clear();
        let (mut phrase, mut synonym, mut number) = (false, false, false);
        let _ = for_each_token(text, |w| {
            let id = self.word(analyzer, w);
            let facts = self.facts[id as usize];
            phrase |= facts.phrase;
            synonym |= facts.synonym;
            number |= facts.number;
            self.ids.push(id);
            std::ops::ControlFlow::<()>::Continue(())
        });
        self.number |= number;
        if synonym {
            let words: Vec<String> = self
                .ids
                .iter()
                .map(|&id| self.words.get_str(id).to_string())
                .collect();
            for t in analyzer.analyze_words(words, false) {
                if !t.stop {
                    let stem = self.stem(&t.stem);
                    out.push(self.use_stem(stem));
                }
            }
            return;
        }
        self.stop.clear();
        let facts = &self.facts;
        self.stop
            .extend(self.ids.iter().map(|&id| facts[id as usize].stop));
        if phrase {
            let (words, ids, stop) = (&self.words, &self.ids, &mut self.stop);
            mark_stop_phrases_by(
                ids.len(),
                |i, w| words.get_str(ids[i]) == w,
                |i| stop[i] = true,
            );
        }
        for i in 0..self.ids.len() {
            if !self.stop[i] {
                let stem = self.facts[self.ids[i] as usize].stem;
                out.push(self.use_stem(stem));
            }
        }
    }

    /// The kept stems in alphabetical order (numbered so), and each first-use number's
    /// number in that order.
    fn stems_by_rank(&self) -> (Strings, Vec<u32>) {
        let mut by_text: Vec<u32> = (0..self.order.len() as u32).collect();
        by_text.sort_unstable_by(|&a, &b| {
            self.stems
                .get_str(self.order[a as usize])
                .cmp(self.stems.get_str(self.order[b as usize]))
        });
        let bytes = self
            .order
            .iter()
            .map(|&s| self.stems.get_str(s).len())
            .sum();
        let mut stems = Strings::with_capacity(by_text.len(), bytes);
        let mut rank = vec![0u32; by_text.len()];
        for (r, &first_use) in by_text.iter().enumerate() {
            stems.intern(self.stems.get_str(self.order[first_use as usize]));
            rank[first_use as usize] = r as u32;
        }
        (stems, rank)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Entry, EntryKind};

    /// A deterministic pseudo-random base: words drawn from a vocabulary that grows with the
    /// base (as in `benches/triage.rs`), with some phrasings repeated inside an entry.
    fn generated(entries: usize) -> KnowledgeBase {
        let syllables = [
            "ka", "lo", "mi", "ren", "tor", "va", "sul", "pe", "dra", "nix", "qua", "bel",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut vocab: Vec<String> = ["placement", "pathway", "training", "the", "what"]
            .map(String::from)
            .to_vec();
        for _ in 0..entries * 2 {
            let n = 2 + next() % 3;
            vocab.push(
                (0..n)
                    .map(|_| syllables[(next() % syllables.len() as u64) as usize])
                    .collect(),
            );
        }
        let mut sentence = |len: usize| -> String {
            (0..len)
                .map(|_| vocab[(next() % vocab.len() as u64) as usize].clone())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let entries = (0..entries)
            .map(|i| {
                let mut questions: Vec<String> = (0..4).map(|_| sentence(7) + "?").collect();
                if i % 5 == 0 {
                    questions.push(questions[0].clone());
                }
                Entry {
                    id: format!("entry-{i}"),
                    title: sentence(4),
                    questions,
                    answer: sentence(40),
                    read_more: None,
                    kind: EntryKind::Faq,
                    source: None,
                }
            })
            .collect();
        KnowledgeBase {
            entries,
            ..Default::default()
        }
    }

    fn bits(v: &[f32]) -> Vec<u32> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    /// Queries and exclusions against both implementations; every term and every score must
    /// be the same number, bit for bit.
    fn assert_same_as_reference(kb: &KnowledgeBase, extra_queries: &[&str]) -> usize {
        use super::super::index_reference as reference;
        let new = Index::build(kb);
        let old = reference::Index::build(kb);
        assert_eq!(new.len(), old.len());
        let drop: HashSet<String> = ["london".to_string()].into_iter().collect();
        let mut queries: Vec<(String, String)> = extra_queries
            .iter()
            .map(|q| (q.to_string(), String::new()))
            .collect();
        for (i, e) in kb.entries.iter().enumerate().step_by(7) {
            // a phrasing, a phrasing with typos and context, and a slice of the answer
            let q = &e.questions[i % e.questions.len()];
            let typo: String = q.replacen('a', "", 1).replacen("e", "ee", 1);
            queries.push((q.clone(), String::new()));
            queries.push((typo, e.title.clone()));
            queries.push((bounded(&e.answer, 12).to_string(), String::new()));
        }
        let mut compared = 0;
        for (k, (question, context)) in queries.iter().enumerate() {
            let doc = (k % new.len()) as u32;
            for exclude in [
                Exclude::None,
                Exclude::Doc(doc),
                Exclude::Phrasing { doc, ordinal: 1 },
                Exclude::Phrasing { doc, ordinal: 0 },
            ] {
                let parts = [(question.as_str(), 1.0), (context.as_str(), 0.5)];
                let qn = new.query(&parts, &drop, exclude);
                let qo = old.query(&parts, &drop, exclude);
                assert_eq!(qn.corrections, qo.corrections, "{question:?}");
                assert_eq!(qn.total.to_bits(), qo.total.to_bits(), "{question:?}");
                assert_eq!(qn.terms.len(), qo.terms.len(), "{question:?}");
                for (a, b) in qn.terms.iter().zip(&qo.terms) {
                    assert_eq!(
                        (&*a.stem, &a.written, a.weight.to_bits(), a.idf.to_bits()),
                        (
                            b.stem.as_str(),
                            &b.written,
                            b.weight.to_bits(),
                            b.idf.to_bits()
                        ),
                    );
                    assert_eq!(
                        (a.known, a.primary, a.corrected),
                        (b.known, b.primary, b.corrected)
                    );
                }
                let sn = new.scores(&qn, exclude);
                let so = old.scores(&qo, exclude);
                let (score, coverage) = sn.dense(new.len());
                assert_eq!(bits(&score), bits(&so.score), "{question:?} {exclude:?}");
                assert_eq!(
                    bits(&coverage),
                    bits(&so.coverage),
                    "{question:?} {exclude:?}"
                );
                // only the top five's hits: the same top five and best two, and those hits
                let sb = new.scores_keeping(&qn, exclude, Keep::Best);
                assert_eq!(
                    format!("{:?} {:?}", sb.best, sb.top2),
                    format!("{:?} {:?}", sn.best, sn.top2),
                    "{question:?} {exclude:?}"
                );
                assert_eq!(sb.hits.len(), sn.best.docs().count());
                for h in &sb.hits {
                    let (score, coverage) = sn.get(h.doc as usize);
                    assert!(sn.best.docs().any(|d| d == h.doc as usize));
                    assert_eq!(
                        (h.score.to_bits(), h.coverage.to_bits()),
                        (score.to_bits(), coverage.to_bits())
                    );
                }
                for d in (0..new.len()).step_by(new.len() / 20 + 1) {
                    assert_eq!(new.matched(&qn, d), old.matched(&qo, d));
                    assert_eq!(new.ask_kinds(d, exclude), old.ask_kinds(d, exclude));
                }
                // in one triage's scope, the question with its context and then alone (its
                // scores taken on the way to the first's) are the reference's, bit for bit
                super::super::shared::shared(&new, || {
                    let with = new.scores(&new.query(&parts, &drop, exclude), exclude);
                    let alone_parts = [(question.as_str(), 1.0)];
                    let alone = new.scores(&new.query(&alone_parts, &drop, exclude), exclude);
                    let reference = old.scores(&old.query(&alone_parts, &drop, exclude), exclude);
                    let (with_score, with_coverage) = with.dense(new.len());
                    assert_eq!(bits(&with_score), bits(&so.score), "{question:?}");
                    assert_eq!(bits(&with_coverage), bits(&so.coverage), "{question:?}");
                    let (alone_score, alone_coverage) = alone.dense(new.len());
                    assert_eq!(bits(&alone_score), bits(&reference.score), "{question:?}");
                    assert_eq!(bits(&alone_coverage), bits(&reference.coverage));
                });
                compared += usize::from(score.iter().any(|&x| x > 0.0));
            }
        }
        compared
    }

    #[test]
    fn scores_are_the_reference_scores_on_the_shipped_base() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
        let kb = KnowledgeBase::load(&root).expect("the shipped base loads");
        let compared = assert_same_as_reference(
            &kb,
            &[
                "what proportion of the week is set aside for FPT?",
                "how many capabilites per pathway",
                "Is there funding for a master's in London?",
                "",
                "the of and",
            ],
        );
        assert!(compared > 50, "only {compared} queries scored anything");
    }

    #[test]
    fn scores_are_the_reference_scores_on_a_generated_base() {
        let kb = generated(600);
        let compared = assert_same_as_reference(&kb, &["kalo mitor placement pathway"]);
        assert!(compared > 300, "only {compared} queries scored anything");
    }

    #[test]
    fn bounded_keeps_the_first_words_only() {
        assert_eq!(bounded("a b c d", 2), "a b");
        assert_eq!(bounded("a b", 5), "a b");
        let huge = "word ".repeat(1_000_000);
        assert_eq!(bounded(&huge, 3), "word word word");
    }
}
