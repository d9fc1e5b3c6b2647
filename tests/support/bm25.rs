//! Plain BM25 with Snowball stemming over each entry's questions and answer: the baseline the
//! matcher must beat on someone else's FAQ.

use std::collections::HashMap;

use fpt_assist::kb::KnowledgeBase;
use fpt_assist::text::tokenize;
use rust_stemmers::{Algorithm, Stemmer};

pub struct PlainBm25 {
    ids: Vec<String>,
    docs: Vec<HashMap<String, f32>>,
    lens: Vec<f32>,
    avg: f32,
    df: HashMap<String, f32>,
    stemmer: Stemmer,
}

impl PlainBm25 {
    pub fn new(kb: &KnowledgeBase) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut docs = Vec::new();
        let mut lens = Vec::new();
        let mut df: HashMap<String, f32> = HashMap::new();
        for e in &kb.entries {
            let text = format!("{} {} {}", e.title, e.questions.join(" "), e.answer);
            let mut tf: HashMap<String, f32> = HashMap::new();
            let words = tokenize(&text);
            for w in &words {
                *tf.entry(stemmer.stem(w).into_owned()).or_default() += 1.0;
            }
            for t in tf.keys() {
                *df.entry(t.clone()).or_default() += 1.0;
            }
            lens.push(words.len() as f32);
            docs.push(tf);
        }
        let avg = lens.iter().sum::<f32>() / lens.len().max(1) as f32;
        PlainBm25 {
            ids: kb.entries.iter().map(|e| e.id.clone()).collect(),
            docs,
            lens,
            avg,
            df,
            stemmer,
        }
    }

    /// The best entry for a query, if any term matches.
    pub fn top(&self, query: &str) -> Option<&str> {
        let n = self.docs.len() as f32;
        let terms: Vec<String> = tokenize(query)
            .iter()
            .map(|w| self.stemmer.stem(w).into_owned())
            .collect();
        let mut best: Option<(usize, f32)> = None;
        for (d, tf) in self.docs.iter().enumerate() {
            let mut score = 0.0;
            for t in &terms {
                if let Some(&f) = tf.get(t) {
                    let df = self.df[t];
                    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                    score += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * self.lens[d] / self.avg));
                }
            }
            if score > 0.0 && best.is_none_or(|(_, b)| score > b) {
                best = Some((d, score));
            }
        }
        best.map(|(d, _)| self.ids[d].as_str())
    }
}
