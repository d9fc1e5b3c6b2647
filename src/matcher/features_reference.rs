//! Tests only: the candidate selection of `features` as it was before issue 13 (whole-base
//! vectors of lexical scores, cosines and ranking scores, full sorts, maxima over every entry),
//! which the sparse top-k selection of `features::compute_with` must match bit for bit.

use std::collections::HashSet;
use std::sync::Arc;

use super::features::{compute_with, Feature, FEATURES, LEXICAL_SHARE, SHORT_LEXICAL_SHARE};
use super::index::Index;
use super::semantic::{Embed, EmbedError, Exclude, Semantic};
use super::Parts;
use crate::kb::{Entry, EntryKind, KnowledgeBase};

/// The features that depend on the selection (everything but the question-level ones).
const COMPARED: [Feature; 10] = [
    Feature::Rank,
    Feature::RankMargin,
    Feature::Lexical,
    Feature::LexicalMargin,
    Feature::Coverage,
    Feature::LexicalTop,
    Feature::Semantic,
    Feature::Passage,
    Feature::SemanticMargin,
    Feature::SemanticTop,
];

fn top_n(scores: &[f32], n: usize, skip: Option<usize>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len())
        .filter(|&d| Some(d) != skip && scores[d] > 0.0)
        .collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order.truncate(n);
    order
}

fn best_other(scores: &[f32], d: usize) -> f32 {
    scores
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != d)
        .map(|(_, &s)| s)
        .fold(0.0, f32::max)
}

/// The previous selection: (entry, selection-dependent features) best first.
fn reference(
    index: &Index,
    semantic: Option<&Semantic>,
    question: &str,
    vector: Option<&[f32]>,
    exclude: Exclude,
) -> Vec<(usize, [f32; FEATURES])> {
    let query = index.query(&[(question, 1.0)], &HashSet::new(), exclude);
    let (lex, coverage) = index.scores(&query, exclude).dense(index.len());
    let cos = match (semantic, vector) {
        (Some(s), Some(v)) => Some(s.cosines(v, exclude)),
        _ => None,
    };
    let skip = match exclude {
        Exclude::Doc(d) => Some(d as usize),
        _ => None,
    };
    let mut docs = top_n(&lex, 5, skip);
    if let Some(c) = &cos {
        for d in top_n(&c.phrasing, 5, skip) {
            if !docs.contains(&d) {
                docs.push(d);
            }
        }
    }
    let lex_top = top_n(&lex, 1, skip).first().copied();
    let sem_top = cos
        .as_ref()
        .and_then(|c| top_n(&c.phrasing, 1, skip).first().copied());
    let content_words = query.terms.iter().filter(|t| t.primary).count();
    let share = if content_words <= 3 {
        SHORT_LEXICAL_SHARE
    } else {
        LEXICAL_SHARE
    };
    let rank: Vec<f32> = (0..lex.len())
        .map(|d| match &cos {
            Some(c) => share * lex[d] + (1.0 - share) * c.phrasing[d].max(0.0),
            None => lex[d],
        })
        .collect();
    let mut out: Vec<(usize, [f32; FEATURES])> = docs
        .into_iter()
        .map(|d| {
            let mut x = [0f32; FEATURES];
            x[Feature::Rank as usize] = rank[d];
            x[Feature::RankMargin as usize] = rank[d] - best_other(&rank, d);
            x[Feature::Lexical as usize] = lex[d];
            x[Feature::LexicalMargin as usize] = lex[d] - best_other(&lex, d);
            x[Feature::Coverage as usize] = coverage[d];
            x[Feature::LexicalTop as usize] = f32::from(lex_top == Some(d));
            if let Some(c) = &cos {
                x[Feature::Semantic as usize] = c.phrasing[d];
                x[Feature::Passage as usize] = c.passage[d];
                x[Feature::SemanticMargin as usize] = c.phrasing[d] - best_other(&c.phrasing, d);
                x[Feature::SemanticTop as usize] = f32::from(sem_top == Some(d));
            }
            (d, x)
        })
        .collect();
    out.sort_by(|a, b| {
        b.1[Feature::Rank as usize]
            .total_cmp(&a.1[Feature::Rank as usize])
            .then(a.0.cmp(&b.0))
    });
    out
}

/// A stand-in model: hashed words into 16 dimensions, L2-normalised (texts sharing words
/// are close, so cosines have ties, zeros and clear winners).
#[derive(Debug)]
pub(crate) struct Hashed;

impl Embed for Hashed {
    fn model_id(&self) -> &str {
        "hashed-words-16"
    }
    fn dims(&self) -> usize {
        16
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut v = vec![0f32; 16];
                for w in t.split_whitespace() {
                    let h = w
                        .bytes()
                        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
                    v[(h % 16) as usize] += if h & 16 == 0 { 1.0 } else { -0.5 };
                }
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
                v.iter_mut().for_each(|x| *x /= n);
                v
            })
            .collect())
    }
}

fn generated(entries: usize) -> KnowledgeBase {
    let words = [
        "placement",
        "pathway",
        "training",
        "funding",
        "leave",
        "rota",
        "mentor",
        "project",
        "week",
        "day",
        "region",
        "trust",
        "deanery",
        "course",
        "exam",
        "portfolio",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut sentence = |len: usize| -> String {
        (0..len)
            .map(|_| words[(next() % words.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    };
    KnowledgeBase {
        entries: (0..entries)
            .map(|i| Entry {
                id: format!("e{i}"),
                title: sentence(3),
                questions: (0..3).map(|_| sentence(5) + "?").collect(),
                answer: sentence(30),
                read_more: None,
                kind: EntryKind::Faq,
                source: None,
            })
            .collect(),
        ..Default::default()
    }
}

#[test]
fn sparse_selection_gives_the_features_of_the_whole_base_vectors() {
    let kb = generated(150);
    let index = Index::build(&kb);
    let semantic = Semantic::embed_kb(Arc::new(Hashed), &kb).expect("stand-in embeds");
    let mut questions: Vec<String> = kb
        .entries
        .iter()
        .step_by(5)
        .flat_map(|e| [e.questions[0].clone(), e.title.clone()])
        .collect();
    questions.extend(["funding", "zzz unknown", "", "week day week"].map(String::from));
    let mut compared = 0;
    for (k, question) in questions.iter().enumerate() {
        let doc = (k * 7 % kb.entries.len()) as u32;
        let vector = semantic.embed(&[question]).expect("embeds").remove(0);
        for exclude in [
            Exclude::None,
            Exclude::Doc(doc),
            Exclude::Phrasing { doc, ordinal: 1 },
        ] {
            for sem in [None, Some(&semantic)] {
                let v = sem.map(|_| vector.as_slice());
                let parts = Parts {
                    question,
                    context: &[],
                };
                let new = compute_with(&index, sem, parts, v, &HashSet::new(), exclude);
                let old = reference(&index, sem, question, v, exclude);
                assert_eq!(new.candidates.len(), old.len(), "{question:?} {exclude:?}");
                for (c, (d, x)) in new.candidates.iter().zip(&old) {
                    assert_eq!(c.doc, *d, "{question:?} {exclude:?}");
                    for f in COMPARED {
                        assert_eq!(
                            c.x[f as usize].to_bits(),
                            x[f as usize].to_bits(),
                            "{question:?} {exclude:?} {f:?}"
                        );
                    }
                }
                compared += old.len();
            }
        }
    }
    assert!(compared > 500, "only {compared} candidates compared");
}
