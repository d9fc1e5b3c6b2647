//! Ignore rules: messages that need no answer. Auto-replies and out-of-office notices
//! (RFC 3834), bounces, bulk and list mail, mail from robots, and chat small talk.
//! Replying to any of these risks a mail loop or noise, so they are never answered.

use std::sync::LazyLock;

use regex::Regex;

use crate::enquiry::{Channel, Enquiry};
use crate::text::tokenize;

static AUTO_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(?:(?:re|fw|fwd|aw)\s*:\s*)*(
            out\s+of\s+(?:the\s+)?office|automatic\s+reply|auto(?:matic)?[\s-]?(?:reply|response)|autoreply
          | on\s+leave|away\s+from\s+(?:my\s+)?(?:desk|office)|absence\s+notice|abwesenheitsnotiz|r[eé]ponse\s+automatique
          | undeliverable|undelivered\s+mail|delivery\s+status\s+notification|delivery\s+(?:has\s+)?failed|delivery\s+failure
          | mail\s+delivery\s+(?:failed|failure|subsystem)|returned\s+mail|failure\s+notice|message\s+not\s+delivered
        )",
    )
    .expect("auto subject regex is valid")
});

static ROBOT_SENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|<|\s)(mailer-daemon|postmaster|owner-[^@]*|[^@\s<]*-request|no-?reply|do-?not-?reply|donotreply|bounces?(\+[^@]*)?)@")
        .expect("robot sender regex is valid")
});

/// Words of chat small talk: a message made only of these asks nothing.
#[rustfmt::skip]
const SMALL_TALK: &[&str] = &[
    "thanks", "thank", "thankyou", "thx", "ty", "tyvm", "cheers", "ta", "great", "brilliant",
    "perfect", "awesome", "nice", "cool", "ok", "okay", "k", "kk", "lol", "haha", "hello", "hi",
    "hey", "hiya", "morning", "afternoon", "evening", "good", "all", "everyone", "folks", "team",
    "you", "so", "much", "very", "a", "lot", "that", "thats", "is", "helpful", "useful",
    "appreciated", "appreciate", "it", "got", "noted", "sure", "yes", "yep", "no", "nope", "bye",
    "see", "ya", "later", "will", "do", "sounds", "fab", "lovely", "ace", "super", "many", "again",
    "the", "guys", "night", "gm", "np", "welcome", "yeah", "wow", "and", "for", "help", "your",
    "oh", "right", "alright", "fine", "done", "cheers", "mate", "really", "have", "weekend", "day",
    "amazing", "legend", "star", "ill", "makes", "sense", "understood", "gotcha", "excellent",
    "fantastic", "was",
];

/// Why a message needs no answer, or `None` when it may need one.
pub fn ignore_reason(enquiry: &Enquiry, cleaned_text: &str) -> Option<String> {
    let h = &enquiry.headers;
    if let Some(v) = h.get("Auto-Submitted") {
        if !v.trim().eq_ignore_ascii_case("no") {
            return Some(format!("automatic message (Auto-Submitted: {})", v.trim()));
        }
    }
    for name in ["X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"] {
        if h.has(name) {
            return Some(format!("automatic message ({name} header)"));
        }
    }
    if let Some(ct) = h.get("Content-Type") {
        let ct = ct.to_ascii_lowercase();
        if ct.contains("multipart/report") || ct.contains("message/delivery-status") {
            return Some("delivery report (bounce)".into());
        }
    }
    if let Some(p) = h.get("Precedence") {
        let p = p.trim().to_ascii_lowercase();
        if matches!(p.as_str(), "bulk" | "list" | "junk" | "auto_reply") {
            return Some(format!("bulk mail (Precedence: {p})"));
        }
    }
    for name in ["List-Id", "List-Unsubscribe", "List-Post"] {
        if h.has(name) {
            return Some(format!("mailing-list mail ({name} header)"));
        }
    }
    if h.get("Return-Path").is_some_and(|v| v.trim() == "<>") {
        return Some("bounce (empty Return-Path)".into());
    }
    if enquiry.channel() == Channel::Email && ROBOT_SENDER.is_match(&enquiry.from) {
        return Some(format!("sent by a robot address ({})", enquiry.from));
    }
    if let Some(subject) = &enquiry.subject {
        if AUTO_SUBJECT.is_match(subject) {
            return Some(format!(
                "automatic reply or bounce (subject \"{}\")",
                subject.trim()
            ));
        }
    }
    let subject_empty = enquiry
        .subject
        .as_deref()
        .is_none_or(|s| s.trim().is_empty());
    if cleaned_text.trim().is_empty()
        && (enquiry.channel() == Channel::Chat || (subject_empty && enquiry.attachments.is_empty()))
    {
        return Some("empty message".into());
    }
    // A subject asks something only when it is a new question, not "Re: …" of our reply.
    let subject_asks = enquiry.subject.as_deref().is_some_and(|s| {
        let s = s.trim().to_ascii_lowercase();
        s.contains('?') && !s.starts_with("re:")
    });
    if is_small_talk(cleaned_text) && (enquiry.channel() == Channel::Chat || !subject_asks) {
        return Some("small talk with no question".into());
    }
    None
}

/// True for messages like "thanks!", "cheers 👍", "morning all": no word asks anything.
pub fn is_small_talk(text: &str) -> bool {
    let words = tokenize(text);
    if words.len() > 12 {
        return false;
    }
    // emoji-only and punctuation-only messages have no words at all
    words
        .iter()
        .all(|w| SMALL_TALK.contains(&w.as_str()) || w.chars().all(|c| !c.is_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email_with(header: (&str, &str), subject: &str) -> Enquiry {
        let mut e = Enquiry::email(
            "someone@example.org",
            subject,
            "I am away until Monday. How long is FPT?",
        );
        e.headers.push(header.0, header.1);
        e
    }

    #[test]
    fn auto_replies_and_bounces_are_ignored() {
        assert!(
            ignore_reason(&email_with(("Auto-Submitted", "auto-replied"), "FPT"), "x").is_some()
        );
        assert!(ignore_reason(&email_with(("X-Autoreply", "yes"), "FPT"), "x").is_some());
        assert!(ignore_reason(
            &email_with(
                (
                    "Content-Type",
                    "multipart/report; report-type=delivery-status"
                ),
                "x"
            ),
            "x"
        )
        .is_some());
        assert!(ignore_reason(
            &email_with(("X-Other", "1"), "Out of Office: back Monday"),
            "x"
        )
        .is_some());
        assert!(ignore_reason(
            &email_with(("X-Other", "1"), "Undeliverable: FPT question"),
            "x"
        )
        .is_some());
        let mut bounce = Enquiry::email("MAILER-DAEMON@mx.example.org", "failure", "x");
        bounce.body = "could not deliver".into();
        assert!(ignore_reason(&bounce, "could not deliver").is_some());
    }

    #[test]
    fn auto_submitted_no_is_a_person() {
        let e = email_with(("Auto-Submitted", "no"), "How long is FPT?");
        assert_eq!(ignore_reason(&e, "How long is FPT?"), None);
    }

    #[test]
    fn bulk_and_list_mail_is_ignored() {
        assert!(ignore_reason(&email_with(("Precedence", "bulk"), "Digest"), "x").is_some());
        assert!(ignore_reason(
            &email_with(("List-Unsubscribe", "<mailto:x@example.org>"), "Digest"),
            "x"
        )
        .is_some());
    }

    #[test]
    fn chat_small_talk_is_ignored_but_questions_are_not() {
        for text in [
            "thanks!",
            "cheers!",
            "👍",
            "hello",
            "great, thanks so much",
            "morning all",
        ] {
            assert!(
                ignore_reason(&Enquiry::chat("u1", text), text).is_some(),
                "{text}"
            );
        }
        for text in ["thanks, how long is fpt?", "is fpt in london yet?"] {
            assert_eq!(
                ignore_reason(&Enquiry::chat("u1", text), text),
                None,
                "{text}"
            );
        }
    }

    #[test]
    fn a_thank_you_email_is_ignored_but_a_subject_only_question_is_not() {
        let thanks = Enquiry::email("a@example.org", "Re: FPT", "Thank you!");
        assert!(ignore_reason(&thanks, "Thank you!").is_some());
        let subject_only = Enquiry::email("a@example.org", "How many days a week is FPT?", "");
        assert_eq!(ignore_reason(&subject_only, ""), None);
    }
}
