//! Development aid (not shipped): prints matcher metrics on the labelled sets.
#[path = "../tests/support/bm25.rs"]
mod bm25;

use std::path::Path;

use fpt_assist::draft::Drafter;
use fpt_assist::jsonl::EnquiryLine;
use fpt_assist::kb::KnowledgeBase;
use fpt_assist::{DecisionKind, Triage};
use regex::RegexBuilder;

fn main() {
    let triage = Triage::new(
        KnowledgeBase::load(Path::new("faq")).unwrap(),
        Drafter::builtin(),
    );
    let mut correct_conf = Vec::new();
    let mut wrong_conf = Vec::new();
    let mut route_conf = Vec::new();
    let mut top_ok = 0;
    let mut answerable = 0;
    for file in [
        "../shared/eval/dev-enquiries.jsonl",
        "tests/data/holdout-enquiries.jsonl",
    ] {
        for line in std::fs::read_to_string(file).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let exp = v["expect"]["decision"].as_str().unwrap().to_string();
            if exp == "ignore" {
                continue;
            }
            let e: EnquiryLine = serde_json::from_value(v["enquiry"].clone()).unwrap();
            let enquiry = e.into_enquiry().unwrap();
            let d = triage.triage(&enquiry);
            // confidence of the weakest question, and whether its top entries carry the facts
            let tops: Vec<String> = d
                .questions
                .iter()
                .filter_map(|q| q.result.top().map(|c| c.id.clone()))
                .collect();
            let text: String = tops
                .iter()
                .filter_map(|id| triage.kb.entry(id))
                .map(|e| {
                    format!(
                        "{} {} {}",
                        e.title,
                        e.answer,
                        e.read_more.clone().unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            let conf = d
                .questions
                .iter()
                .map(|q| q.result.confidence)
                .fold(1.0f32, f32::min);
            let id = v["id"].as_str().unwrap().to_string();
            for q in &d.questions {
                let c = q.result.candidates.first();
                let s1 = c.map_or(0.0, |c| c.score);
                let s2 = q.result.candidates.get(1).map_or(0.0, |c| c.score);
                eprintln!(
                    "FEAT {id} {exp} s1={s1:.2} cov={:.2} margin={:.2} unk={} known_cov={:.2}",
                    c.map_or(0.0, |c| c.coverage),
                    (s1 - s2) / s1.max(1e-6),
                    q.result.unknown.len(),
                    0.0
                );
            }
            if exp == "answer" {
                answerable += 1;
                let ok = v["expect"]["facts"].as_array().unwrap().iter().all(|f| {
                    RegexBuilder::new(f.as_str().unwrap())
                        .case_insensitive(true)
                        .build()
                        .unwrap()
                        .is_match(&text)
                });
                if ok {
                    top_ok += 1;
                    correct_conf.push((conf, id));
                } else {
                    wrong_conf.push((conf, id, tops.join("+")));
                }
            } else {
                route_conf.push((conf, id, tops.join("+")));
            }
            let _ = DecisionKind::Answer;
        }
    }
    route_conf.sort_by(|a, b| b.0.total_cmp(&a.0));
    wrong_conf.sort_by(|a, b| b.0.total_cmp(&a.0));
    correct_conf.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("top-1 carries facts: {top_ok}/{answerable}");
    println!(
        "highest route confidences: {:?}",
        &route_conf[..6.min(route_conf.len())]
    );
    println!(
        "wrong-top confidences: {:?}",
        &wrong_conf[..8.min(wrong_conf.len())]
    );
    for t in [0.3f32, 0.35, 0.4, 0.45, 0.5] {
        let ans = correct_conf.iter().filter(|c| c.0 >= t).count();
        let fa = route_conf.iter().filter(|c| c.0 >= t).count()
            + wrong_conf.iter().filter(|c| c.0 >= t).count();
        println!("threshold {t}: answered correctly {ans}/{answerable}, false {fa}");
    }

    // someone else's FAQ
    let other = KnowledgeBase::load(Path::new("tests/data/other-faq/kb.json")).unwrap();
    let base = bm25::PlainBm25::new(&other);
    let t2 = Triage::new(other, Drafter::builtin());
    let (mut ours, mut theirs, mut n, mut nulls, mut null_routed, mut ans_conf) =
        (0, 0, 0, 0, 0, Vec::new());
    for line in std::fs::read_to_string("tests/data/other-faq/queries.jsonl")
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let q = v["query"].as_str().unwrap();
        let r = t2.index.search(q, &Default::default());
        match v["expect"].as_str() {
            Some(exp) => {
                n += 1;
                if r.top().is_some_and(|c| c.id == exp) {
                    ours += 1;
                    ans_conf.push(r.confidence);
                }
                if base.top(q) == Some(exp) {
                    theirs += 1;
                }
            }
            None => {
                nulls += 1;
                if r.confidence < triage.threshold {
                    null_routed += 1;
                }
            }
        }
    }
    let answered = ans_conf.iter().filter(|&&c| c >= triage.threshold).count();
    println!("other FAQ: ours {ours}/{n}, plain BM25 {theirs}/{n}; absent routed {null_routed}/{nulls}; correct-top answered {answered}");
}
