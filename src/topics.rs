//! Gaps as topics: routed questions grouped by meaning, so the dashboard shows "parental
//! leave, 7 times" instead of seven differently worded first lines.
//!
//! Clustering is deterministic agglomerative clustering with centroid linkage on cosine
//! similarity (the two most similar topics merge while their centroids' cosine reaches the
//! threshold), over sentence embeddings when the model is on,
//! else over TF-IDF vectors of the analyzer's stems (the same stemming and synonyms as the
//! matcher), with document frequencies counted over the knowledge base and the questions
//! together, so words every FAQ entry uses ("FPT", "trainee") weigh little and the words that
//! make a question new weigh most. The lexical fallback groups only questions that share their
//! key words ("parental leave"); "maternity leave" joins them only with the model, or when a
//! `faq/synonyms.toml` group makes the words the same. Pure: no I/O.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::kb::KnowledgeBase;
use crate::text::normalize::Analyzer;

/// Cosine between topic centroids needed to merge them, for sentence embeddings. Measured
/// with all-MiniLM-L6-v2 on the wordings in `tests/web_gaps.rs`: parental-leave paraphrases
/// 0.59–0.71 to each other (a maternity-leave one 0.62 to their centroid), while "visa
/// sponsorship by my trust" and "my trust paying course fees" score 0.58: below 0.55, distinct
/// questions sharing a setting start to merge.
pub const EMBEDDING_THRESHOLD: f32 = 0.55;
/// The same for TF-IDF vectors of stems (two questions sharing their one rare key word).
pub const LEXICAL_THRESHOLD: f32 = 0.3;

/// One routed question: the enquiry it came from and its words.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub enquiry: i64,
    pub text: String,
}

/// A group of routed questions that ask about the same thing.
#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    /// The question nearest the topic's centre: its best single wording.
    pub label: Question,
    /// Every question in the topic, the label first, then in input order.
    pub questions: Vec<Question>,
    /// The topic's most weighty stems (lexical clustering only), for a glance.
    pub terms: Vec<String>,
}

impl Topic {
    pub fn count(&self) -> usize {
        self.questions.len()
    }
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

/// Groups `vectors` (one per question, any fixed dimension) by agglomerative clustering with
/// centroid linkage: the two groups whose centroids are most similar are merged while that
/// cosine reaches `threshold` (ties: the earliest pair). Order-independent apart from ties;
/// O(n²) memory and about O(n³) time, so callers bound n. Returns member indices per group,
/// largest group first (ties by first member), the member nearest the centroid first.
#[allow(clippy::needless_range_loop)]
fn cluster(vectors: &[Vec<f32>], threshold: f32) -> Vec<Vec<usize>> {
    let n = vectors.len();
    let mut sums: Vec<Option<Vec<f32>>> = vectors.iter().cloned().map(Some).collect();
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut sim = vec![vec![f32::NEG_INFINITY; n]; n];
    for i in 0..n {
        for j in i + 1..n {
            sim[i][j] = cosine(&vectors[i], &vectors[j]);
        }
    }
    loop {
        let mut best: Option<(usize, usize, f32)> = None;
        for i in 0..n {
            if sums[i].is_none() {
                continue;
            }
            for j in i + 1..n {
                let s = sim[i][j];
                if sums[j].is_some() && s >= threshold && best.is_none_or(|(_, _, b)| s > b) {
                    best = Some((i, j, s));
                }
            }
        }
        let Some((i, j, _)) = best else { break };
        let Some(merged) = sums[j].take() else { break };
        if let Some(sum) = sums[i].as_mut() {
            for (a, b) in sum.iter_mut().zip(&merged) {
                *a += b;
            }
        }
        let moved = std::mem::take(&mut members[j]);
        members[i].extend(moved);
        members[i].sort_unstable();
        let Some(sum) = sums[i].clone() else { break };
        for k in 0..n {
            if k == i {
                continue;
            }
            if let Some(other) = &sums[k] {
                let s = cosine(&sum, other);
                let (a, b) = if k < i { (k, i) } else { (i, k) };
                sim[a][b] = s;
            }
        }
    }
    let mut out: Vec<(Vec<f32>, Vec<usize>)> = sums
        .into_iter()
        .zip(members)
        .filter_map(|(sum, m)| sum.map(|s| (s, m)))
        .collect();
    out.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.1[0].cmp(&b.1[0])));
    out.into_iter()
        .map(|(centroid, mut members)| {
            // the member nearest the centre first: it labels the topic
            let best = members
                .iter()
                .enumerate()
                .max_by(|a, b| {
                    cosine(&centroid, &vectors[*a.1])
                        .total_cmp(&cosine(&centroid, &vectors[*b.1]))
                        .then_with(|| b.0.cmp(&a.0))
                })
                .map_or(0, |(k, _)| k);
            let label = members.remove(best);
            members.insert(0, label);
            members
        })
        .collect()
}

fn topics(questions: &[Question], groups: Vec<Vec<usize>>, terms: Vec<Vec<String>>) -> Vec<Topic> {
    groups
        .into_iter()
        .zip(terms.into_iter().chain(std::iter::repeat(Vec::new())))
        .map(|(members, terms)| Topic {
            label: questions[members[0]].clone(),
            questions: members.iter().map(|&i| questions[i].clone()).collect(),
            terms,
        })
        .collect()
}

/// Topics from sentence embeddings, one vector per question (same order).
pub fn by_embeddings(questions: &[Question], vectors: &[Vec<f32>], threshold: f32) -> Vec<Topic> {
    let n = questions.len().min(vectors.len());
    let groups = cluster(&vectors[..n], threshold);
    topics(&questions[..n], groups, Vec::new())
}

/// Topics from TF-IDF vectors of `analyzer`'s stems, document frequencies over `kb`'s
/// entries and the questions.
pub fn by_terms(
    questions: &[Question],
    kb: &KnowledgeBase,
    analyzer: &Analyzer,
    threshold: f32,
) -> Vec<Topic> {
    let stems = |text: &str| -> Vec<String> {
        analyzer
            .analyze(text, true)
            .into_iter()
            .filter(|t| !t.stop && t.stem.chars().count() > 1)
            .map(|t| t.stem.to_string())
            .collect()
    };
    let docs: Vec<Vec<String>> = questions.iter().map(|q| stems(&q.text)).collect();
    let mut df: HashMap<String, f32> = HashMap::new();
    let kb_docs: Vec<Vec<String>> = kb
        .entries
        .iter()
        .map(|e| {
            stems(&format!(
                "{} {} {}",
                e.title,
                e.questions.join(" "),
                e.answer
            ))
        })
        .collect();
    for d in kb_docs.iter().chain(&docs) {
        let mut seen: Vec<&String> = d.iter().collect();
        seen.sort();
        seen.dedup();
        for s in seen {
            *df.entry(s.clone()).or_default() += 1.0;
        }
    }
    let total = (kb_docs.len() + docs.len()) as f32;
    let vocabulary: BTreeMap<&String, usize> = {
        let mut all: Vec<&String> = docs.iter().flatten().collect();
        all.sort();
        all.dedup();
        all.into_iter().enumerate().map(|(i, s)| (s, i)).collect()
    };
    let idf = |s: &String| (total / df.get(s).copied().unwrap_or(1.0)).ln().max(0.0);
    let vectors: Vec<Vec<f32>> = docs
        .iter()
        .map(|d| {
            let mut v = vec![0.0f32; vocabulary.len()];
            for s in d {
                if let Some(&i) = vocabulary.get(s) {
                    v[i] += idf(s);
                }
            }
            v
        })
        .collect();
    let groups = cluster(&vectors, threshold);
    let names: Vec<&String> = vocabulary.keys().copied().collect();
    let terms = groups
        .iter()
        .map(|members| {
            let mut weight = vec![0.0f32; names.len()];
            for &m in members {
                for (w, x) in weight.iter_mut().zip(&vectors[m]) {
                    *w += x;
                }
            }
            let mut ranked: Vec<(usize, f32)> = weight
                .into_iter()
                .enumerate()
                .filter(|(_, w)| *w > 0.0)
                .collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            ranked
                .into_iter()
                .take(3)
                .map(|(i, _)| names[i].clone())
                .collect()
        })
        .collect();
    topics(questions, groups, terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(i: i64, text: &str) -> Question {
        Question {
            enquiry: i,
            text: text.into(),
        }
    }

    #[test]
    fn centroid_clustering_is_deterministic_and_largest_first() {
        let v = vec![
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![0.9, 0.1],
            vec![0.95, 0.05],
        ];
        let groups = cluster(&v, 0.8);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].len(), 3);
        assert_eq!(groups[1], vec![1]);
        assert_eq!(cluster(&v, 0.8), groups);
    }

    #[test]
    fn lexical_topics_group_paraphrases_on_their_rare_word() {
        let kb = KnowledgeBase::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faq"))
            .unwrap();
        let analyzer = Analyzer::new(&kb.synonyms);
        let questions = vec![
            q(1, "Can I still do FPT while I am on parental leave?"),
            q(2, "Do I need a visa to take part in FPT?"),
            q(
                3,
                "What happens to my protected day when I go off on parental leave?",
            ),
            q(
                4,
                "Does parental leave pause or end my place on the scheme?",
            ),
        ];
        let topics = by_terms(&questions, &kb, &analyzer, LEXICAL_THRESHOLD);
        assert_eq!(topics[0].count(), 3, "{topics:#?}");
        let ids: Vec<i64> = topics[0].questions.iter().map(|q| q.enquiry).collect();
        assert!(ids.contains(&1) && ids.contains(&3) && ids.contains(&4));
        assert_eq!(topics.len(), 2);
        assert!(topics[0].terms.contains(&"leav".to_string()), "{topics:#?}");
    }
}
