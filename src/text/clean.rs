//! Reading only what the sender wrote: quoted replies, forwarded blocks, signatures, phone
//! footers, greetings and sign-offs are taken off before matching, and a message is split into
//! its questions.

use std::sync::LazyLock;

use regex::Regex;

/// What is left of a message once everything the sender did not write for this enquiry is gone.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct CleanText {
    /// The sender's own words, without greeting, sign-off, signature or quotes.
    pub text: String,
    /// The sign-off and signature block (names, job titles, hospitals), kept for the region.
    pub signature: String,
    /// The sender's name as signed ("Dr D. Moore"), when the sign-off gives one.
    pub signed_name: Option<String>,
    /// Whether quoted or forwarded text was removed.
    pub quoted: bool,
}

static QUOTE_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(
            on\s.{0,200}\bwrote:\s*$            # Gmail, Apple Mail
          | on\s.{0,200}$                       # a wrapped 'On … wrote:' (checked with the next line)
          | -{2,}\s*original\s+message\s*-{2,}  # Outlook, older clients
          | -{2,}\s*forwarded\s+message\s*-{2,}
          | begin\s+forwarded\s+message:
          | _{8,}\s*$                           # Outlook's rule above the From: block
          | from:\s.+$                          # Outlook 'From: … Sent: …' block
        )",
    )
    .expect("quote header regex is valid")
});

static WROTE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bwrote:\s*$").expect("wrote regex is valid"));

static OUTLOOK_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*?(sent|date|to|subject|cc)\s*:\*?\s")
        .expect("outlook field regex is valid")
});

static MOBILE_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(sent from (my )?\w+|sent from outlook|get outlook for \w+|sent via \w+|sent using \w+)")
        .expect("footer regex is valid")
});

static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(
            many\s+thanks|thanks\s+(?:again|in\s+advance|so\s+much|very\s+much|a\s+lot)|thanks|thank\s+you(?:\s+(?:so|very)\s+much)?(?:\s+in\s+advance)?
          | thx|ta|cheers|best(?:\s+wishes|\s+regards)?|kind(?:est)?\s+regards|warm(?:est)?\s+regards|regards
          | with\s+(?:best|kind)\s+(?:wishes|regards)|all\s+the\s+best|yours(?:\s+sincerely|\s+faithfully|\s+truly)?
          | sincerely|take\s+care|speak\s+soon|bw|kr
        )\s*[,.!]*\s*(?P<name>[^?]{0,60})$",
    )
    .expect("sign-off regex is valid")
});

static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(
            (?:dear|hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening)|morning|afternoon|greetings|to\s+whom\s+it\s+may\s+concern)
            (?:\s+[\w.'/-]+){0,4}?\s*[,!:]
          | (?:dear|hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening))(?:\s+[\w.'/-]+){0,4}\s*$
        )",
    )
    .expect("greeting regex is valid")
});

/// Takes a message body and returns only what the sender wrote for this enquiry.
pub fn clean_message(body: &str) -> CleanText {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = body.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut quoted = false;
    let mut signature_lines: Vec<&str> = Vec::new();

    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed.starts_with('>') {
            quoted = true;
            i += 1;
            continue;
        }
        if trimmed == "--" || line == "-- " {
            // the conventional signature separator: everything below is signature
            signature_lines.extend(&lines[i + 1..]);
            break;
        }
        if MOBILE_FOOTER.is_match(trimmed) {
            i += 1;
            continue;
        }
        if is_quote_start(&lines, i) {
            quoted = true;
            break;
        }
        kept.push(line);
        i += 1;
    }

    // Sign-off: the last short line that starts with a closing phrase, looking only at the end.
    let mut signed_name = None;
    let non_empty: Vec<usize> = (0..kept.len())
        .filter(|&k| !kept[k].trim().is_empty())
        .collect();
    let tail_start = non_empty.len().saturating_sub(8);
    for &k in &non_empty[tail_start..] {
        let line = kept[k].trim();
        if let Some(caps) = SIGN_OFF.captures(line) {
            let name = caps.name("name").map(|m| m.as_str().trim()).unwrap_or("");
            let after: Vec<&str> = kept[k + 1..]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect();
            // A sign-off closes the message: few short lines may follow it (name, role, trust).
            if after.len() <= 6 && after.iter().all(|l| l.len() <= 80 && !l.ends_with('?')) {
                let candidate = if name.is_empty() {
                    after.first().copied().unwrap_or("")
                } else {
                    name
                };
                if looks_like_name(candidate) {
                    signed_name = Some(candidate.trim_end_matches([',', '.']).to_string());
                }
                let mut sig: Vec<&str> = vec![line];
                sig.extend(after);
                sig.extend(signature_lines.iter().copied());
                signature_lines = sig;
                kept.truncate(k);
                break;
            }
        }
    }

    let mut text = kept.join("\n").trim().to_string();
    text = strip_greeting(&text);
    CleanText {
        text: text.trim().to_string(),
        signature: signature_lines.join("\n").trim().to_string(),
        signed_name,
        quoted,
    }
}

fn is_quote_start(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    let lower = line.to_ascii_lowercase();
    if !QUOTE_HEADER.is_match(line) {
        return false;
    }
    if lower.starts_with("on ") {
        // 'On Mon, 3 Oct 2022 at 10:00, FPT <x@y> wrote:' possibly wrapped over two lines
        return WROTE_LINE.is_match(line)
            || lines
                .get(i + 1)
                .is_some_and(|next| WROTE_LINE.is_match(next.trim()) && next.len() < 120);
    }
    if lower.starts_with("from:") {
        // an Outlook header block: From: followed by Sent:/Date:/To:/Subject: lines
        return lines[i + 1..]
            .iter()
            .take(4)
            .any(|l| OUTLOOK_FIELD.is_match(l));
    }
    if line.starts_with('_') {
        return lines[i + 1..]
            .iter()
            .take(3)
            .any(|l| l.trim().to_ascii_lowercase().starts_with("from:"));
    }
    true
}

fn looks_like_name(s: &str) -> bool {
    let s = s.trim();
    let words: Vec<&str> = s.split_whitespace().collect();
    !s.is_empty()
        && words.len() <= 5
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
        })
        && s.chars().any(|c| c.is_alphabetic())
        && !s.contains('@')
}

fn strip_greeting(text: &str) -> String {
    match GREETING.find(text) {
        Some(m) => {
            let rest = &text[m.end()..];
            // 'Hi, is FPT offered …' → 'is FPT offered …'; keep the text if nothing follows.
            if rest.trim().is_empty() {
                text.to_string()
            } else {
                rest.trim_start().to_string()
            }
        }
        None => text.to_string(),
    }
}

/// One question of a message, with the statements that lead up to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Statements before the question ("I'm a GP trainee."), which give it context.
    pub context: String,
    /// The question itself ("Can I apply?"), or the whole text when nothing ends in "?".
    pub question: String,
}

static JOINED_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(,?\s+and\s+(?:also\s+)?|,?\s+also\s+|;\s*)(who|what|when|where|which|how|why)\b",
    )
    .expect("joined question regex is valid")
});

fn sentences(text: &str) -> Vec<String> {
    let mut sentences: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (idx, &c) in chars.iter().enumerate() {
        if c == '\n' {
            if !current.trim().is_empty() {
                current.push(' ');
            }
            // a blank line or a list item ends a sentence
            let next_line_starts_item = chars
                .get(idx + 1)
                .is_some_and(|n| *n == '-' || *n == '*' || n.is_ascii_digit());
            if (chars.get(idx + 1) == Some(&'\n') || next_line_starts_item)
                && !current.trim().is_empty()
            {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        current.push(c);
        let next = chars.get(idx + 1);
        let boundary = matches!(c, '?' | '!')
            || (c == '.'
                && next.is_some_and(|n| n.is_whitespace())
                && !ends_with_abbreviation(&current));
        if boundary && next.is_none_or(|n| n.is_whitespace()) {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        sentences.push(current);
    }
    sentences
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Splits a question that joins two asks ("what does FPT stand for and who set it up") in two.
fn split_joined(question: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    for caps in JOINED_QUESTION.captures_iter(question) {
        let (Some(joint), Some(word)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let before = question[start..joint.start()].trim();
        // both halves must be real questions, not "how and when"
        if before.split_whitespace().count() >= 3 {
            parts.push(before.to_string());
            start = word.start();
        }
    }
    let rest = question[start..].trim();
    if parts.is_empty() || rest.split_whitespace().count() < 3 {
        return vec![question.trim().to_string()];
    }
    parts.push(rest.to_string());
    parts
}

/// Splits cleaned text into its questions, each with the statements just before it
/// ("I'm a GP trainee. Can I apply?"). Text without a question mark is one question.
pub fn split_questions(text: &str) -> Vec<Question> {
    let sentences = sentences(text);
    let asked: Vec<usize> = (0..sentences.len())
        .filter(|&i| sentences[i].ends_with('?'))
        .collect();
    if asked.is_empty() {
        return split_joined(text.trim())
            .into_iter()
            .map(|question| Question {
                context: String::new(),
                question,
            })
            .collect();
    }
    let mut out = Vec::new();
    let mut context: Vec<&str> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        if asked.contains(&i) {
            for part in split_joined(s) {
                out.push(Question {
                    context: context.join(" "),
                    question: part,
                });
            }
            context.clear();
        } else {
            context.push(s);
        }
    }
    // statements after the last question add to its context
    if let (Some(last), false) = (out.last_mut(), context.is_empty()) {
        last.context = format!("{} {}", last.context, context.join(" "))
            .trim()
            .to_string();
    }
    out
}

fn ends_with_abbreviation(sentence: &str) -> bool {
    let last = sentence
        .trim_end_matches('.')
        .rsplit(' ')
        .next()
        .unwrap_or("");
    matches!(
        last.to_ascii_lowercase().as_str(),
        "dr" | "mr" | "mrs" | "ms" | "prof" | "st" | "e.g" | "i.e" | "etc" | "vs"
    ) || last.len() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_greeting_and_sign_off_and_keeps_the_name() {
        let c = clean_message(
            "Dear team, what proportion of the week is set aside for FPT?\nThanks, Dr D. Moore",
        );
        assert_eq!(c.text, "what proportion of the week is set aside for FPT?");
        assert_eq!(c.signed_name.as_deref(), Some("Dr D. Moore"));
    }

    #[test]
    fn sign_off_on_its_own_line_with_signature_block() {
        let c = clean_message("Hello,\n\nHow long is the pathway?\n\nKind regards,\nRuth Smith\nST4 Cardiology\nFreeman Hospital");
        assert_eq!(c.text, "How long is the pathway?");
        assert_eq!(c.signed_name.as_deref(), Some("Ruth Smith"));
        assert!(c.signature.contains("Freeman Hospital"));
    }

    #[test]
    fn strips_gmail_quote_even_when_wrapped() {
        let c = clean_message(
            "Is London included now?\n\nOn Mon, 3 Oct 2022 at 10:00, FPT Team <fpt@example.org>\nwrote:\n> FPT protects one day a week.\n> Regards",
        );
        assert_eq!(c.text, "Is London included now?");
        assert!(c.quoted);
    }

    #[test]
    fn strips_outlook_from_sent_block_and_quote_marks() {
        let body = "Thanks, and does it run in Wessex?\n\n________________________________\nFrom: FPT Mailbox <fpt@example.org>\nSent: 03 October 2022 10:00\nTo: Dr X\nSubject: RE: FPT\n\nOld text about research pathway";
        let c = clean_message(body);
        assert_eq!(c.text, "Thanks, and does it run in Wessex?");
        let c = clean_message("Which pathways?\n> quoted research text\n> more");
        assert_eq!(c.text, "Which pathways?");
    }

    #[test]
    fn drops_mobile_footers_and_dash_signatures() {
        let c = clean_message("how long is fpt\n\nSent from my iPhone");
        assert_eq!(c.text, "how long is fpt");
        let c = clean_message("who runs fpt?\n-- \nDr A\nLeeds Teaching Hospitals");
        assert_eq!(c.text, "who runs fpt?");
        assert!(c.signature.contains("Leeds"));
    }

    #[test]
    fn a_question_that_starts_with_thanks_is_not_a_sign_off() {
        let c = clean_message("Thanks for the info. Is there a handbook?");
        assert!(c.text.contains("handbook"));
    }

    fn questions(text: &str) -> Vec<(String, String)> {
        split_questions(text)
            .into_iter()
            .map(|q| (q.context, q.question))
            .collect()
    }

    #[test]
    fn splits_several_questions_keeping_their_context() {
        assert_eq!(
            questions("I'm a GP trainee. Can I apply? Also, how long does it last?"),
            vec![
                ("I'm a GP trainee.".into(), "Can I apply?".into()),
                (String::new(), "Also, how long does it last?".into())
            ]
        );
        assert_eq!(
            questions("how much time do you get for fpt"),
            vec![(String::new(), "how much time do you get for fpt".into())]
        );
        assert_eq!(
            questions("Dr. Smith said so. Is it one day?"),
            vec![("Dr. Smith said so.".into(), "Is it one day?".into())]
        );
    }

    #[test]
    fn splits_two_asks_joined_in_one_sentence() {
        assert_eq!(
            questions("what does FPT stand for and who set it up originally"),
            vec![
                (String::new(), "what does FPT stand for".into()),
                (String::new(), "who set it up originally".into())
            ]
        );
        // a single ask with "and" stays whole
        assert_eq!(questions("how and when do I apply?").len(), 1);
    }
}
