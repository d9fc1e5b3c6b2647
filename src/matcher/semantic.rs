//! The semantic side of matching: every entry's phrasings (title and questions) and answer
//! passages as sentence embeddings, and the cosine of a question to each entry.
//!
//! The model itself is behind [`Embed`]; this module only holds vectors and compares them, so
//! it stays pure and testable with a stand-in model. Vectors are L2-normalised, so a dot
//! product is a cosine in [-1, 1].
//!
//! Cost: comparing a question with the base is a dense matrix-vector product over every
//! stored vector (one contiguous matrix, row by row); without an approximate-nearest-neighbour
//! index that is unavoidable. Its per-entry results go into a caller's buffer, reused from one
//! question to the next, so a question allocates nothing in proportion to the base.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

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
/// sentence ends; the base's acronyms spelled out ([`crate::text::acronyms`]).
pub fn kb_texts(kb: &KnowledgeBase) -> Vec<KbText> {
    let acronyms = crate::text::acronyms::Acronyms::from_groups(&kb.synonyms);
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
                    text: acronyms.expand(p),
                });
            }
        }
        for (ordinal, passage) in passages(&e.answer).into_iter().enumerate() {
            out.push(KbText {
                doc,
                kind: TextKind::Passage,
                ordinal: ordinal as u32,
                text: acronyms.expand(&passage),
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

/// Distinct question texts whose vectors [`Semantic::embed_recent`] keeps, the least recently
/// used dropped first. A chat user who asks again, a mail quoting an earlier question, and a
/// question that triage searches with its context and then alone are embedded once (a short
/// question costs milliseconds to embed, a look-up microseconds). 512 vectors of
/// all-MiniLM-L6-v2's 384 floats are about 0.8 MB with their texts; a day's enquiries are far
/// fewer than 512, so repeats within a day are all found.
pub const RECENT_TEXTS: usize = 512;

/// The vectors of recently embedded texts, keyed by the exact text given to the model; at most
/// `capacity` of them, the least recently used evicted first.
#[derive(Debug, Default)]
struct Recent {
    capacity: usize,
    /// text → (vector, time of last use on `clock`)
    vectors: HashMap<String, (Vec<f32>, u64)>,
    clock: u64,
}

impl Recent {
    fn new(capacity: usize) -> Self {
        Recent {
            capacity,
            ..Default::default()
        }
    }

    fn get(&mut self, text: &str) -> Option<Vec<f32>> {
        self.clock += 1;
        let clock = self.clock;
        self.vectors.get_mut(text).map(|(v, used)| {
            *used = clock;
            v.clone()
        })
    }

    fn put(&mut self, text: &str, vector: Vec<f32>) {
        if self.capacity == 0 {
            return;
        }
        if !self.vectors.contains_key(text) && self.vectors.len() >= self.capacity {
            // a scan of at most `capacity` entries: microseconds, against milliseconds to embed
            let oldest = self
                .vectors
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(t, _)| t.clone());
            if let Some(t) = oldest {
                self.vectors.remove(&t);
            }
        }
        self.clock += 1;
        self.vectors.insert(text.to_string(), (vector, self.clock));
    }
}

/// Embedded knowledge base and the model to embed questions with.
#[derive(Debug, Clone)]
pub struct Semantic {
    model: Arc<dyn Embed>,
    /// Vectors of the last [`RECENT_TEXTS`] question texts (shared by clones: same model).
    recent: Arc<Mutex<Recent>>,
    texts: Vec<KbText>,
    /// The vectors of `texts`, row after row, each `width` floats.
    matrix: Vec<f32>,
    width: usize,
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
        let width = vectors.first().map_or(0, Vec::len);
        if let Some(v) = vectors.iter().find(|v| v.len() != width) {
            return Err(EmbedError(format!(
                "a knowledge-base vector of {} floats among vectors of {width}",
                v.len()
            )));
        }
        let mut matrix = Vec::with_capacity(vectors.len() * width);
        for v in vectors {
            matrix.extend_from_slice(&v);
        }
        Ok(Semantic {
            model,
            recent: Arc::new(Mutex::new(Recent::new(RECENT_TEXTS))),
            texts,
            matrix,
            width,
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
        &self.matrix[i * self.width..(i + 1) * self.width]
    }

    /// Embeds texts (no cache: for batches such as the base's texts or a list of questions).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.model.embed(texts)
    }

    /// Forgets the remembered question vectors (benchmarks of a question never seen before).
    pub fn forget_recent(&self) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.vectors.clear();
    }

    /// Embeds question texts, reusing the vectors of the last [`RECENT_TEXTS`] distinct texts
    /// (exact text); the others are embedded together in one call and remembered.
    pub fn embed_recent(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let lock = || self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<Option<Vec<f32>>> = {
            let mut recent = lock();
            texts.iter().map(|t| recent.get(t)).collect()
        };
        let missing: Vec<&str> = texts
            .iter()
            .zip(&out)
            .filter(|(_, v)| v.is_none())
            .map(|(t, _)| *t)
            .collect();
        if !missing.is_empty() {
            let fresh = self.model.embed(&missing)?;
            if fresh.len() != missing.len() {
                return Err(EmbedError(format!(
                    "{} vectors for {} texts",
                    fresh.len(),
                    missing.len()
                )));
            }
            let mut fresh = fresh.into_iter();
            let mut recent = lock();
            for (t, slot) in texts.iter().zip(out.iter_mut()) {
                if slot.is_none() {
                    if let Some(v) = fresh.next() {
                        recent.put(t, v.clone());
                        *slot = Some(v);
                    }
                }
            }
        }
        out.into_iter()
            .map(|v| v.ok_or_else(|| EmbedError("a text was not embedded".into())))
            .collect()
    }

    /// Cosines of a question vector to every entry, leaving out what `exclude` names.
    pub fn cosines(&self, query: &[f32], exclude: Exclude) -> DocCosines {
        let mut out = DocCosines::default();
        self.cosines_into(query, exclude, &mut out);
        out
    }

    /// [`Self::cosines`] into `out`, whose vectors are resized to the number of entries and
    /// overwritten: a buffer kept from one question to the next is never reallocated.
    pub fn cosines_into(&self, query: &[f32], exclude: Exclude, out: &mut DocCosines) {
        out.phrasing.clear();
        out.phrasing.resize(self.docs, 0.0);
        out.passage.clear();
        out.passage.resize(self.docs, 0.0);
        if self.width == 0 {
            return;
        }
        let skip = |t: &KbText| match exclude {
            Exclude::None => false,
            Exclude::Doc(d) => t.doc == d,
            Exclude::Phrasing { doc, ordinal } => {
                t.doc == doc && t.kind == TextKind::Phrasing && t.ordinal == ordinal
            }
        };
        let mut keep = |t: &KbText, cos: f32| {
            if skip(t) {
                return;
            }
            let slot = match t.kind {
                TextKind::Phrasing => &mut out.phrasing[t.doc as usize],
                TextKind::Passage => &mut out.passage[t.doc as usize],
            };
            if cos > *slot {
                *slot = cos;
            }
        };
        // Four rows at a time: four independent sums keep the processor busy, and each is
        // still summed in order, so every cosine is the same number as one row's own sum.
        let w = self.width;
        let row = |i: usize| &self.matrix[i * w..(i + 1) * w];
        let n = self.texts.len().min(self.matrix.len() / w);
        let mut i = 0;
        while i + ROWS_AT_ONCE <= n {
            let cos = dot4(query, [row(i), row(i + 1), row(i + 2), row(i + 3)]);
            for (k, c) in cos.into_iter().enumerate() {
                keep(&self.texts[i + k], c);
            }
            i += ROWS_AT_ONCE;
        }
        for j in i..n {
            keep(&self.texts[j], dot(query, row(j)));
        }
    }
}

/// Rows of the matrix compared with the question together.
const ROWS_AT_ONCE: usize = 4;

/// The dot product summed in order from -0.0, as `Iterator::sum` does.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// [`dot`] of `a` with four rows at once (each summed in order: the same four numbers).
fn dot4(a: &[f32], rows: [&[f32]; 4]) -> [f32; 4] {
    let n = rows.iter().map(|r| r.len()).fold(a.len(), usize::min);
    let (a, [r0, r1, r2, r3]) = (&a[..n], rows.map(|r| &r[..n]));
    let mut s = [-0.0f32; 4];
    for i in 0..n {
        let x = a[i];
        s[0] += x * r0[i];
        s[1] += x * r1[i];
        s[2] += x * r2[i];
        s[3] += x * r3[i];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_rows_at_once_give_each_row_s_own_sum() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        };
        for len in [0, 1, 3, 16, 384] {
            let a: Vec<f32> = (0..len).map(|_| next()).collect();
            let rows: Vec<Vec<f32>> = (0..4).map(|_| (0..len).map(|_| next()).collect()).collect();
            let four = dot4(&a, [&rows[0], &rows[1], &rows[2], &rows[3]]);
            for (r, c) in rows.iter().zip(four) {
                let own: f32 = a.iter().zip(r).map(|(x, y)| x * y).sum();
                assert_eq!(c.to_bits(), own.to_bits(), "length {len}");
            }
        }
    }

    #[test]
    fn recent_keeps_the_most_recently_used_texts() {
        let mut r = Recent::new(2);
        r.put("a", vec![1.0]);
        r.put("b", vec![2.0]);
        assert_eq!(r.get("a"), Some(vec![1.0]));
        r.put("c", vec![3.0]); // evicts b, the least recently used
        assert_eq!(r.get("b"), None);
        assert_eq!(r.get("a"), Some(vec![1.0]));
        assert_eq!(r.get("c"), Some(vec![3.0]));
        assert_eq!(r.vectors.len(), 2);
        let mut none = Recent::new(0);
        none.put("a", vec![1.0]);
        assert_eq!(none.get("a"), None);
    }

    /// Counts the texts it is asked to embed.
    #[derive(Debug, Default)]
    struct Counting(Mutex<usize>);

    impl Embed for Counting {
        fn model_id(&self) -> &str {
            "counting"
        }
        fn dims(&self) -> usize {
            1
        }
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            *self.0.lock().unwrap() += texts.len();
            Ok(texts.iter().map(|t| vec![t.len() as f32]).collect())
        }
    }

    #[test]
    fn a_repeated_question_is_embedded_once() {
        let model = Arc::new(Counting::default());
        let kb = KnowledgeBase::default();
        let s = Semantic::new(model.clone(), &kb, Vec::new()).unwrap();
        assert_eq!(
            s.embed_recent(&["ab", "abc"]).unwrap(),
            [vec![2.0], vec![3.0]]
        );
        assert_eq!(
            s.embed_recent(&["abc", "abcd"]).unwrap(),
            [vec![3.0], vec![4.0]]
        );
        assert_eq!(*model.0.lock().unwrap(), 3);
    }

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
