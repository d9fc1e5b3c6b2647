//! The JSON shapes of the command line: an enquiry line in (`triage`, `eval`) and a decision
//! line out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::enquiry::{Channel, Enquiry, Headers};
use crate::mail::parse_message;
use crate::matcher::Candidate;
use crate::triage::{Decision, Triage};

/// `{"id", "channel", "from", "subject"?, "body", "headers"?}` or `{"id", "channel", "raw"}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EnquiryLine {
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    pub channel: Channel,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub raw: Option<String>,
}

impl EnquiryLine {
    /// The enquiry this line describes; a `raw` message is parsed with mail-parser.
    pub fn into_enquiry(self) -> Result<Enquiry, String> {
        if let Some(raw) = self.raw {
            if self.channel != Channel::Email {
                return Err("`raw` is only for email: chat messages need `body`".into());
            }
            return Ok(parse_message(raw.as_bytes()));
        }
        let body = self
            .body
            .ok_or("missing `body` (or `raw` for a whole email message)")?;
        // an email body pasted as HTML ("<html><body><p>Dear FPT team, …") is read as its
        // text, as intake reads HTML sent as text/plain; chat text is taken as written
        let body = if self.channel == Channel::Email {
            crate::mail::body_as_text(body)
        } else {
            body
        };
        let mut headers = Headers::default();
        for (k, v) in self.headers {
            headers.push(k, v);
        }
        Ok(Enquiry {
            channel: Some(self.channel),
            from: self.from,
            subject: self.subject,
            body,
            headers,
            ..Default::default()
        })
    }
}

/// The id of a line as text, for error lines and reports.
pub fn id_text(id: &Option<serde_json::Value>) -> serde_json::Value {
    id.clone().unwrap_or(serde_json::Value::Null)
}

/// One output line of `fpt-assist triage`.
#[derive(Debug, Serialize)]
pub struct DecisionLine {
    pub id: serde_json::Value,
    pub decision: &'static str,
    pub confidence: f32,
    pub faq: Vec<String>,
    pub candidates: Vec<CandidateLine>,
    pub region: Option<String>,
    pub reason: String,
    pub reply: Option<String>,
}

/// One candidate entry of a [`DecisionLine`], with both matchers' signals (rounded to three
/// places): `score` is the calibrated probability in [0,1] that the entry answers the
/// question, `lexical` the lexical score in [0,1], `coverage` the share of the question's
/// weighted terms the entry holds, `semantic` and `passage` the best cosines in [-1,1] to one
/// of its phrasings and to one passage of its answer (`null` without a model), and `matched`
/// the question's words found in it.
#[derive(Debug, Serialize)]
pub struct CandidateLine {
    pub id: String,
    pub score: f32,
    pub lexical: f32,
    pub coverage: f32,
    pub semantic: Option<f32>,
    pub passage: Option<f32>,
    pub matched: Vec<String>,
}

fn round(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

impl From<&Candidate> for CandidateLine {
    fn from(c: &Candidate) -> Self {
        CandidateLine {
            id: c.id.clone(),
            score: round(c.score),
            lexical: round(c.lexical),
            coverage: round(c.coverage),
            semantic: c.semantic.map(round),
            passage: c.passage.map(round),
            matched: c.matched.clone(),
        }
    }
}

impl DecisionLine {
    pub fn new(id: serde_json::Value, decision: &Decision, reply: Option<String>) -> Self {
        DecisionLine {
            id,
            decision: decision.decision.as_str(),
            confidence: round(decision.confidence),
            faq: decision.faq.clone(),
            candidates: decision
                .candidates
                .iter()
                .map(CandidateLine::from)
                .collect(),
            region: decision.region.clone(),
            reason: decision.reason.clone(),
            reply,
        }
    }
}

/// Triages one input line into its output line (or an error line for that id).
pub fn triage_line(triage: &Triage, line: &str) -> serde_json::Value {
    let parsed: EnquiryLine = match serde_json::from_str(line) {
        Ok(p) => p,
        Err(e) => {
            let id = serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .unwrap_or(serde_json::Value::Null);
            return serde_json::json!({"id": id, "error": format!("cannot read this line: {e}")});
        }
    };
    let id = id_text(&parsed.id);
    let enquiry = match parsed.into_enquiry() {
        Ok(e) => e,
        Err(e) => return serde_json::json!({"id": id, "error": e}),
    };
    let decision = triage.triage(&enquiry);
    match triage.draft(&enquiry, &decision) {
        Ok(draft) => serde_json::to_value(DecisionLine::new(id, &decision, draft.map(|d| d.text)))
            .unwrap_or_else(|e| serde_json::json!({"error": e.to_string()})),
        Err(e) => serde_json::json!({"id": id, "error": e.to_string()}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(channel: &str, body: &str) -> EnquiryLine {
        serde_json::from_value(serde_json::json!({
            "channel": channel, "from": "a@example.org", "body": body
        }))
        .expect("a valid enquiry line")
    }

    #[test]
    fn an_email_body_pasted_as_html_is_read_as_its_text() {
        let html = "<html><body><p>Dear FPT team,</p><p>Is there a handbook for trainees?&nbsp;</p><p>Thanks,<br>Nana</p></body></html>";
        let enquiry = line("email", html).into_enquiry().expect("an enquiry");
        assert!(!enquiry.body.contains('<'), "{}", enquiry.body);
        assert!(!enquiry.body.contains("&nbsp;"), "{}", enquiry.body);
        assert!(
            enquiry.body.contains("Is there a handbook for trainees?"),
            "{}",
            enquiry.body
        );
        // plain text, and chat (where markup is what was typed), are taken as written
        let plain = "Is FPT <b>one</b> day a week?";
        assert_eq!(
            line("email", plain)
                .into_enquiry()
                .expect("an enquiry")
                .body,
            plain
        );
        assert_eq!(
            line("chat", html).into_enquiry().expect("an enquiry").body,
            html
        );
    }
}
