//! Scores triage on a labelled set (the format of `shared/eval/README.md`): decisions, facts
//! in the drafted reply, regions for routed enquiries, and false answers, the costliest mistake.

use regex::RegexBuilder;
use serde::Deserialize;

use crate::jsonl::EnquiryLine;
use crate::triage::{DecisionKind, Triage};

#[derive(Debug, Deserialize)]
struct Labelled {
    id: serde_json::Value,
    enquiry: EnquiryLine,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
struct Expect {
    decision: DecisionKindLabel,
    #[serde(default)]
    facts: Vec<String>,
    #[serde(default)]
    region: Option<String>,
    /// Entries the reply must use, the first one first (FAQ sets without facts to check).
    #[serde(default)]
    faq: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum DecisionKindLabel {
    Answer,
    Route,
    Ignore,
}

/// One enquiry triage got wrong.
#[derive(Debug, Clone)]
pub struct Miss {
    pub id: String,
    pub expected: String,
    pub got: String,
    pub detail: String,
    pub false_answer: bool,
}

/// Totals of an evaluation run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub total: usize,
    pub correct: usize,
    pub false_answers: usize,
    pub misses: Vec<Miss>,
    /// Lines that could not be read.
    pub errors: Vec<String>,
    /// Enquiries expected to be answered.
    pub answerable: usize,
    /// Of those with an expected entry (`faq`), how many; and how many had it as the top
    /// candidate whatever the decision (P@1).
    pub ranked: usize,
    pub top1: usize,
    /// Replies given, and of those the correct ones (answered precision = correct / given).
    pub answered: usize,
    pub answered_correct: usize,
    /// Enquiries expected to be routed, and how many were.
    pub routable: usize,
    pub routed: usize,
}

impl Report {
    pub fn correct_rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
    /// Share of enquiries with an expected entry whose top candidate was that entry.
    pub fn top1_rate(&self) -> f64 {
        ratio(self.top1, self.ranked)
    }
    /// Correct replies among replies given.
    pub fn answered_precision(&self) -> f64 {
        ratio(self.answered_correct, self.answered)
    }
    /// Correct replies among enquiries that should be answered.
    pub fn coverage(&self) -> f64 {
        ratio(self.answered_correct, self.answerable)
    }
    /// Share of enquiries that should be routed that were.
    pub fn routed_rate(&self) -> f64 {
        ratio(self.routed, self.routable)
    }
    pub fn false_answer_rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.false_answers as f64 / self.total as f64
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Evaluates every line of a labelled JSONL text.
pub fn evaluate(triage: &Triage, jsonl: &str) -> Report {
    let mut report = Report::default();
    for (n, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let labelled: Labelled = match serde_json::from_str(line) {
            Ok(l) => l,
            Err(e) => {
                report.errors.push(format!("line {}: {e}", n + 1));
                continue;
            }
        };
        let id = match &labelled.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let enquiry = match labelled.enquiry.into_enquiry() {
            Ok(e) => e,
            Err(e) => {
                report.errors.push(format!("line {} ({id}): {e}", n + 1));
                continue;
            }
        };
        report.total += 1;
        let decision = triage.triage(&enquiry);
        let reply = match triage.draft(&enquiry, &decision) {
            Ok(d) => d.map(|d| d.text).unwrap_or_default(),
            Err(e) => {
                report
                    .errors
                    .push(format!("line {} ({id}): drafting failed: {e}", n + 1));
                String::new()
            }
        };
        let expected = labelled.expect.decision;
        let got = decision.decision;
        match expected {
            DecisionKindLabel::Answer => report.answerable += 1,
            DecisionKindLabel::Route => report.routable += 1,
            DecisionKindLabel::Ignore => {}
        }
        if expected == DecisionKindLabel::Route && got == DecisionKind::Route {
            report.routed += 1;
        }
        if let Some(first) = labelled.expect.faq.first() {
            report.ranked += 1;
            let top = decision
                .questions
                .first()
                .and_then(|q| q.result.top())
                .map(|c| c.id.as_str());
            if top == Some(first.as_str()) {
                report.top1 += 1;
            }
        }
        let same = matches!(
            (expected, got),
            (DecisionKindLabel::Answer, DecisionKind::Answer)
                | (DecisionKindLabel::Route, DecisionKind::Route)
                | (DecisionKindLabel::Ignore, DecisionKind::Ignore)
        );
        let mut detail = String::new();
        let mut holds = same;
        if same && got == DecisionKind::Answer {
            if let Some(first) = labelled.expect.faq.first() {
                if decision.faq.first() != Some(first) {
                    holds = false;
                    detail = format!(
                        "answered from {}, expected {}",
                        decision.faq.join(", "),
                        labelled.expect.faq.join(", ")
                    );
                }
            }
            for fact in &labelled.expect.facts {
                let found = RegexBuilder::new(fact)
                    .case_insensitive(true)
                    .build()
                    .map(|re| re.is_match(&reply))
                    .unwrap_or(false);
                if !found {
                    holds = false;
                    detail = format!(
                        "reply lacks /{fact}/ (answered from {})",
                        decision.faq.join(", ")
                    );
                }
            }
        }
        if same && got == DecisionKind::Route && labelled.expect.region != decision.region {
            holds = false;
            detail = format!(
                "region {:?}, expected {:?} (places seen: {})",
                decision.region,
                labelled.expect.region,
                decision.region_match.places.join(", ")
            );
        }
        if !same {
            detail = decision.reason.clone();
        }
        if got == DecisionKind::Answer {
            report.answered += 1;
            if holds {
                report.answered_correct += 1;
            }
        }
        if holds {
            report.correct += 1;
        } else {
            let false_answer = got == DecisionKind::Answer;
            if false_answer {
                report.false_answers += 1;
            }
            report.misses.push(Miss {
                id,
                expected: format!("{expected:?}").to_lowercase(),
                got: got.as_str().to_string(),
                detail,
                false_answer,
            });
        }
    }
    report
}
