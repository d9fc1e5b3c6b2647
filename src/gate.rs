//! The regression gate: what a knowledge-base change would do to enquiries whose right
//! decision is known (the project's labelled set, in the `eval` JSONL format, and the
//! enquiries admins approved, corrected or rejected).
//!
//! Each labelled enquiry is triaged with the base in use ("before") and with the changed base
//! ("after"). A **regression** is an enquiry the before-base got right and the after-base
//! gets wrong, e.g. "answered from `eligibility`" becoming "routed". Without a before-base
//! every enquiry the after-base gets wrong counts. Pure: no I/O.

use std::collections::BTreeMap;

use regex::RegexBuilder;
use serde::{Deserialize, Serialize};

use crate::enquiry::Enquiry;
use crate::jsonl::EnquiryLine;
use crate::triage::{DecisionKind, Triage};

/// What the right decision for a labelled enquiry is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "lowercase")]
pub enum Expect {
    /// Answered; from this entry when one is named (else any entry whose reply holds `facts`).
    Answer {
        entry: Option<String>,
        facts: Vec<String>,
    },
    Route,
    Ignore,
}

/// One enquiry whose right decision is known.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// The set's id ("d001"), or "enquiry 12" for a stored one.
    pub id: String,
    /// The stored enquiry it is (for a link), when it came from the store.
    pub stored: Option<i64>,
    pub enquiry: Enquiry,
    pub expect: Expect,
}

/// What triage did with an enquiry, as a user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub decision: DecisionKind,
    /// The entry answered from (the first one), for `Answer`.
    pub entry: Option<String>,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.decision, &self.entry) {
            (DecisionKind::Answer, Some(e)) => write!(f, "answered from `{e}`"),
            (DecisionKind::Answer, None) => write!(f, "answered"),
            (DecisionKind::Route, _) => write!(f, "routed"),
            (DecisionKind::Ignore, _) => write!(f, "ignored"),
        }
    }
}

/// A labelled enquiry whose outcome the change alters.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: String,
    pub stored: Option<i64>,
    /// The subject, else the first line of the body (at most 80 characters).
    pub summary: String,
    pub before: Option<Outcome>,
    pub after: Outcome,
    /// Right before (or no before-base) and wrong after.
    pub regression: bool,
    /// Wrong before, right after.
    pub fixed: bool,
}

/// The gate's verdict over a labelled set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GateReport {
    pub total: usize,
    /// Enquiries whose outcome changed, and (without a before-base) those still wrong.
    pub changes: Vec<Change>,
    /// Lines of the labelled file that could not be read.
    pub errors: Vec<String>,
}

impl GateReport {
    pub fn regressions(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.regression)
    }

    pub fn has_regressions(&self) -> bool {
        self.regressions().next().is_some()
    }

    /// One line per kind of regression, largest first: "2 enquiries answered from
    /// `eligibility` would now be routed".
    pub fn summary(&self) -> Vec<String> {
        let mut groups: BTreeMap<(String, String), usize> = BTreeMap::new();
        for c in self.regressions() {
            let before = c
                .before
                .as_ref()
                .map_or_else(|| "expected right".to_string(), ToString::to_string);
            *groups.entry((before, c.after.to_string())).or_default() += 1;
        }
        let mut lines: Vec<(usize, String)> = groups
            .into_iter()
            .map(|((before, after), n)| {
                let what = if n == 1 { "enquiry" } else { "enquiries" };
                (n, format!("{n} {what} {before} would now be {after}"))
            })
            .collect();
        lines.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        lines.into_iter().map(|(_, l)| l).collect()
    }
}

#[derive(Deserialize)]
struct Line {
    id: serde_json::Value,
    enquiry: EnquiryLine,
    expect: ExpectLine,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Label {
    Answer,
    Route,
    Ignore,
}

#[derive(Deserialize)]
struct ExpectLine {
    decision: Label,
    #[serde(default)]
    facts: Vec<String>,
    #[serde(default)]
    faq: Vec<String>,
}

/// Reads a labelled JSONL text (the `eval` format: `{"id", "enquiry", "expect": {"decision",
/// "facts"?, "faq"?}}`). Unreadable lines are returned as "line N: error".
pub fn parse_labelled(jsonl: &str) -> (Vec<Labelled>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, text) in jsonl.lines().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        let line: Line = match serde_json::from_str(text) {
            Ok(l) => l,
            Err(e) => {
                errors.push(format!("line {}: {e}", n + 1));
                continue;
            }
        };
        let id = match &line.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let enquiry = match line.enquiry.into_enquiry() {
            Ok(e) => e,
            Err(e) => {
                errors.push(format!("line {} ({id}): {e}", n + 1));
                continue;
            }
        };
        let expect = match line.expect.decision {
            Label::Answer => Expect::Answer {
                entry: line.expect.faq.into_iter().next(),
                facts: line.expect.facts,
            },
            Label::Route => Expect::Route,
            Label::Ignore => Expect::Ignore,
        };
        out.push(Labelled {
            id,
            stored: None,
            enquiry,
            expect,
        });
    }
    (out, errors)
}

/// Triage's outcome for `enquiry`, and whether it is right for `expect`.
fn judge(triage: &Triage, enquiry: &Enquiry, expect: &Expect) -> (Outcome, bool) {
    let d = triage.triage(enquiry);
    let outcome = Outcome {
        decision: d.decision,
        entry: (d.decision == DecisionKind::Answer)
            .then(|| d.faq.first().cloned())
            .flatten(),
    };
    let right = match expect {
        Expect::Route => d.decision == DecisionKind::Route,
        Expect::Ignore => d.decision == DecisionKind::Ignore,
        Expect::Answer { entry, facts } => {
            d.decision == DecisionKind::Answer
                && entry
                    .as_ref()
                    .is_none_or(|e| outcome.entry.as_ref() == Some(e))
                && (facts.is_empty() || {
                    let reply = triage
                        .draft(enquiry, &d)
                        .ok()
                        .flatten()
                        .map(|r| r.text)
                        .unwrap_or_default();
                    facts.iter().all(|f| {
                        RegexBuilder::new(f)
                            .case_insensitive(true)
                            .build()
                            .is_ok_and(|re| re.is_match(&reply))
                    })
                })
        }
    };
    (outcome, right)
}

fn summary(enquiry: &Enquiry) -> String {
    let text = enquiry
        .subject
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| {
            enquiry
                .body
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
        });
    let mut s: String = text.trim().chars().take(80).collect();
    if text.trim().chars().count() > 80 {
        s.push('…');
    }
    s
}

/// Scores `after` (and `before`, when given) on `labelled`: which outcomes change, which of
/// the changes are regressions. Without `before`, every enquiry `after` gets wrong is listed
/// as a regression.
pub fn compare(before: Option<&Triage>, after: &Triage, labelled: &[Labelled]) -> GateReport {
    let mut report = GateReport {
        total: labelled.len(),
        ..GateReport::default()
    };
    for l in labelled {
        let (after_outcome, after_right) = judge(after, &l.enquiry, &l.expect);
        let (before_outcome, before_right) = match before {
            Some(b) => {
                let (o, r) = judge(b, &l.enquiry, &l.expect);
                (Some(o), r)
            }
            None => (None, true),
        };
        let changed = before_outcome.as_ref() != Some(&after_outcome);
        let regression = before_right && !after_right;
        let fixed = before.is_some() && !before_right && after_right;
        if regression || (before.is_some() && changed) {
            report.changes.push(Change {
                id: l.id.clone(),
                stored: l.stored,
                summary: summary(&l.enquiry),
                before: before_outcome,
                after: after_outcome,
                regression,
                fixed,
            });
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Drafter;
    use crate::kb::KnowledgeBase;

    fn triage(kb: KnowledgeBase) -> Triage {
        Triage::new(kb, Drafter::builtin())
    }

    fn base() -> KnowledgeBase {
        KnowledgeBase::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faq"))
            .expect("the shipped base loads")
    }

    const SET: &str = r#"{"id": "q1", "enquiry": {"channel": "email", "from": "a@example.org", "subject": "Eligibility", "body": "Am I eligible for FPT?"}, "expect": {"decision": "answer"}}
{"id": "q2", "enquiry": {"channel": "email", "from": "b@example.org", "subject": "Who can apply", "body": "Who is eligible to apply for Flexible Portfolio Training?"}, "expect": {"decision": "answer"}}
not json
"#;

    #[test]
    fn removing_an_entry_shows_its_answers_becoming_routed() {
        let (set, errors) = parse_labelled(SET);
        assert_eq!(set.len(), 2);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let before = triage(base());
        let b = compare(None, &before, &set);
        assert!(!b.has_regressions(), "{:?}", b.changes);
        let answered: Vec<_> = set
            .iter()
            .map(|l| judge(&before, &l.enquiry, &l.expect).0)
            .collect();
        let from = answered[0].entry.clone().expect("answered from an entry");

        let mut kb = base();
        kb.entries.retain(|e| e.id != from);
        let after = triage(kb);
        let report = compare(Some(&before), &after, &set);
        assert!(report.has_regressions());
        let lines = report.summary();
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&format!("answered from `{from}`"))),
            "{lines:?}"
        );
        assert!(report.regressions().all(|c| c.before.is_some()));
        // the same base against itself changes nothing
        assert!(compare(Some(&before), &before, &set).changes.is_empty());
    }
}
