//! Drafting: renders the reply templates in `templates/` (or the built-in copies of them when
//! that folder is absent) into the text people receive.
//!
//! Invariant: every template is rendered with strict undefined checks, so a misspelt variable
//! is an error reported by `kb check`, never a silent blank in a reply.

use std::path::Path;

use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::kb::{Entry, Problem};

/// The templates, by file name, with the copies built into the binary.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "email_reply.txt",
        include_str!("../templates/email_reply.txt"),
    ),
    (
        "email_reply.html",
        include_str!("../templates/email_reply.html"),
    ),
    (
        "chat_answer.md",
        include_str!("../templates/chat_answer.md"),
    ),
    (
        "route_ack_email.txt",
        include_str!("../templates/route_ack_email.txt"),
    ),
    (
        "route_ack_chat.md",
        include_str!("../templates/route_ack_chat.md"),
    ),
    (
        "lead_notification.txt",
        include_str!("../templates/lead_notification.txt"),
    ),
];

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub text: String,
    pub html: Option<String>,
}

/// Who signs and where replies come from.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub team_name: String,
    pub mailbox: String,
}

impl Default for Signature {
    fn default() -> Self {
        Signature {
            team_name: "The Flexible Portfolio Training team".into(),
            // a placeholder (RFC 2606): the service signs with `[mail] address`
            mailbox: "fpt@example.org".into(),
        }
    }
}

/// One FAQ entry as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    pub id: String,
    pub title: String,
    pub answer: String,
    pub read_more: Option<String>,
}

impl From<&Entry> for AnswerView {
    fn from(e: &Entry) -> Self {
        AnswerView {
            id: e.id.clone(),
            title: e.title.clone(),
            answer: e.answer.clone(),
            read_more: e.read_more.clone(),
        }
    }
}

/// The enquiry as the lead notification shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EnquiryView {
    pub from: String,
    pub subject: Option<String>,
    pub channel: String,
    pub text: String,
}

/// A candidate entry as the lead notification shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateView {
    pub id: String,
    pub title: String,
    pub score: f32,
}

/// Renders the reply templates.
#[derive(Debug)]
pub struct Drafter {
    env: Environment<'static>,
    pub signature: Signature,
}

fn paragraphs(text: &str) -> Value {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut html = String::new();
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let lines: Vec<&str> = block.lines().collect();
        if lines.iter().all(|l| l.trim_start().starts_with("- ")) {
            html.push_str("<ul>");
            for l in lines {
                html.push_str(&format!(
                    "<li>{}</li>",
                    escape(l.trim_start().trim_start_matches("- "))
                ));
            }
            html.push_str("</ul>\n");
        } else {
            html.push_str(&format!("<p>{}</p>\n", escape(block).replace('\n', "<br>")));
        }
    }
    Value::from_safe_string(html)
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // keep acronyms and names such as "HEE" or "FPT" as they are
        Some(c)
            if chars.clone().next().is_some_and(|n| n.is_lowercase())
                && !text.starts_with("Trainees") =>
        {
            c.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_keep_trailing_newline(false);
    env.add_filter("paragraphs", paragraphs);
    env.add_filter("lower_first", lower_first);
    env
}

impl Drafter {
    /// Loads templates from `dir` when it exists, else uses the built-in copies.
    pub fn load(dir: &Path) -> Result<Self> {
        let mut env = environment();
        for (name, builtin) in TEMPLATES {
            let path = dir.join(name);
            let source = if dir.is_dir() {
                std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?
            } else {
                builtin.to_string()
            };
            env.add_template_owned(name.to_string(), source)
                .map_err(|e| Error::Template {
                    name: name.to_string(),
                    message: match e.line() {
                        Some(line) => format!("line {line}: {e}"),
                        None => e.to_string(),
                    },
                })?;
        }
        Ok(Drafter {
            env,
            signature: Signature::default(),
        })
    }

    /// The built-in templates only.
    pub fn builtin() -> Self {
        let mut env = environment();
        for (name, source) in TEMPLATES {
            // The built-in templates are checked by the test suite.
            let _ = env.add_template(name, source);
        }
        Drafter {
            env,
            signature: Signature::default(),
        }
    }

    fn render(&self, name: &str, ctx: Value) -> Result<String> {
        let template = self.env.get_template(name).map_err(|e| Error::Template {
            name: name.into(),
            message: e.to_string(),
        })?;
        let text = template.render(ctx).map_err(|e| Error::Template {
            name: name.into(),
            message: match e.line() {
                Some(line) => format!("line {line}: {e}"),
                None => e.to_string(),
            },
        })?;
        Ok(tidy(&text))
    }

    fn base(&self, sender_name: Option<&str>, region_name: Option<&str>) -> Value {
        minijinja::context! {
            team_name => self.signature.team_name,
            mailbox => self.signature.mailbox,
            sender_name => sender_name,
            region_name => region_name,
        }
    }

    /// The email reply (plain text and HTML) answering with these entries.
    pub fn email_answer(
        &self,
        sender_name: Option<&str>,
        region_name: Option<&str>,
        answers: &[AnswerView],
    ) -> Result<Draft> {
        let ctx = minijinja::context! { answers => answers, ..self.base(sender_name, region_name) };
        Ok(Draft {
            text: self.render("email_reply.txt", ctx.clone())?,
            html: Some(self.render("email_reply.html", ctx)?),
        })
    }

    /// The chat answer with these entries.
    pub fn chat_answer(&self, answers: &[AnswerView]) -> Result<Draft> {
        let ctx = minijinja::context! { answers => answers, ..self.base(None, None) };
        Ok(Draft {
            text: self.render("chat_answer.md", ctx)?,
            html: None,
        })
    }

    /// Tells the asker their question went to a regional lead (or the admin team).
    pub fn route_ack(
        &self,
        email: bool,
        sender_name: Option<&str>,
        region_name: Option<&str>,
    ) -> Result<Draft> {
        let name = if email {
            "route_ack_email.txt"
        } else {
            "route_ack_chat.md"
        };
        Ok(Draft {
            text: self.render(name, self.base(sender_name, region_name))?,
            html: None,
        })
    }

    /// The notification a lead receives for a routed enquiry.
    pub fn lead_notification(
        &self,
        lead_name: &str,
        region_name: Option<&str>,
        reference: &str,
        reason: &str,
        enquiry: &EnquiryView,
        candidates: &[CandidateView],
    ) -> Result<Draft> {
        let ctx = minijinja::context! {
            lead_name => lead_name, reference => reference, reason => reason,
            enquiry => enquiry, candidates => candidates,
            ..self.base(None, region_name)
        };
        Ok(Draft {
            text: self.render("lead_notification.txt", ctx)?,
            html: None,
        })
    }
}

/// Collapses runs of blank lines left by template logic and trims the ends.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string() + "\n"
}

/// Renders every template in `dir` with sample data; each failure names the file and line.
pub fn check_templates(dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return problems;
    }
    let drafter = match Drafter::load(dir) {
        Ok(d) => d,
        Err(e) => {
            let (name, message) = match &e {
                Error::Template { name, message } => (name.clone(), message.clone()),
                other => (String::new(), other.to_string()),
            };
            problems.push(Problem {
                path: dir.join(name),
                line: line_in(&message),
                message,
                warning: false,
            });
            return problems;
        }
    };
    let answers = vec![AnswerView {
        id: "sample".into(),
        title: "Sample title".into(),
        answer: "A sample answer.\n\n- first\n- second".into(),
        read_more: Some("The handbook.".into()),
    }];
    let enquiry = EnquiryView {
        from: "someone@example.org".into(),
        subject: Some("A question".into()),
        channel: "email".into(),
        text: "What is FPT?".into(),
    };
    let candidates = vec![CandidateView {
        id: "sample".into(),
        title: "Sample".into(),
        score: 0.4,
    }];
    let results = [
        (
            "email_reply.txt",
            drafter
                .email_answer(Some("Dr A. Sample"), Some("Wessex"), &answers)
                .map(|_| ()),
        ),
        ("chat_answer.md", drafter.chat_answer(&answers).map(|_| ())),
        (
            "route_ack_email.txt",
            drafter.route_ack(true, None, Some("Wessex")).map(|_| ()),
        ),
        (
            "route_ack_chat.md",
            drafter.route_ack(false, None, None).map(|_| ()),
        ),
        (
            "lead_notification.txt",
            drafter
                .lead_notification("Lead", None, "E-1", "no match", &enquiry, &candidates)
                .map(|_| ()),
        ),
    ];
    for (file, result) in results {
        if let Err(Error::Template { name, message }) = result {
            problems.push(Problem {
                path: dir.join(if name.is_empty() {
                    file.to_string()
                } else {
                    name
                }),
                line: line_in(&message),
                message,
                warning: false,
            });
        }
    }
    problems
}

fn line_in(message: &str) -> usize {
    message
        .split("line ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer() -> AnswerView {
        AnswerView {
            id: "protected-time".into(),
            title: "Protected time".into(),
            answer: "FPT protects one day a week.".into(),
            read_more: Some("The Trainees FPT Handbook.".into()),
        }
    }

    #[test]
    fn email_reply_greets_by_name_answers_and_signs_off() {
        let d = Drafter::builtin()
            .email_answer(Some("Dr D. Moore"), None, &[answer()])
            .unwrap();
        assert!(d.text.starts_with("Dear Dr D. Moore,"));
        assert!(d.text.contains("FPT protects one day a week."));
        assert!(d
            .text
            .contains("You can read more in the Trainees FPT Handbook."));
        assert!(d.text.contains("Kind regards,"));
        assert!(!d.text.contains("\n\n\n"));
        let html = d.html.unwrap();
        assert!(html.contains("<p>FPT protects one day a week.</p>"));
    }

    #[test]
    fn html_escapes_names_and_answers() {
        let mut a = answer();
        a.answer = "<script>alert(1)</script>".into();
        let d = Drafter::builtin()
            .email_answer(Some("<b>x</b>"), None, &[a])
            .unwrap();
        let html = d.html.unwrap();
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<b>x</b>"));
    }

    #[test]
    fn unknown_sender_gets_a_neutral_greeting() {
        let d = Drafter::builtin()
            .route_ack(true, None, Some("Wessex"))
            .unwrap();
        assert!(d.text.starts_with("Hello,"));
        assert!(d.text.contains("regional lead for Wessex"));
    }

    #[test]
    fn shipped_templates_pass_the_check() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        assert_eq!(check_templates(&dir), vec![]);
    }

    #[test]
    fn a_misspelt_variable_is_reported_with_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        for (name, source) in TEMPLATES {
            std::fs::write(dir.path().join(name), source).unwrap();
        }
        std::fs::write(
            dir.path().join("route_ack_chat.md"),
            "Hello\n{{ regoin_name }}\n",
        )
        .unwrap();
        let problems = check_templates(dir.path());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].path.ends_with("route_ack_chat.md"));
        assert_eq!(problems[0].line, 2);
    }

    #[test]
    fn paragraphs_are_separated_and_headers_stay_on_their_own_lines() {
        let d = Drafter::builtin();
        let reply = d
            .email_answer(Some("Dr A"), None, &[answer(), answer()])
            .unwrap()
            .text;
        assert!(
            reply.starts_with(
                "Dear Dr A,\n\nThank you for your email and your questions.\n\nProtected time\n"
            ),
            "{reply}"
        );
        let ack = d.route_ack(true, None, None).unwrap().text;
        assert!(
            ack.starts_with("Hello,\n\nThank you for your email."),
            "{ack}"
        );
        let enquiry = EnquiryView {
            from: "a@example.org".into(),
            subject: Some("Funding".into()),
            channel: "email".into(),
            text: "Is there funding?".into(),
        };
        let note = d
            .lead_notification("Lead", Some("Wessex"), "FPT-1", "no match", &enquiry, &[])
            .unwrap()
            .text;
        assert!(
            note.contains("From: a@example.org\nSubject: Funding\nChannel: email\n"),
            "{note}"
        );
    }
}
