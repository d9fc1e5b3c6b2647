//! Subject prefixes of replies and forwards, as the common mail clients write them in their
//! users' languages: "Re:", "AW:" (German), "SV:" (Danish, Norwegian, Swedish), "VS:"
//! (Finnish), "Antw:" (Dutch), "RIF:"/"R:" (Italian), "Odp:" (Polish), "YNT:" (Turkish),
//! "RES:" (Portuguese), "回复:" (Chinese); numbered forms ("Re[2]:", "Re(2):", "Re^2:"); and
//! tags before them ("[External] Re:"); forwards likewise ("FW:", "Fwd:", "WG:", "TR:",
//! "RV:", "I:", "Doorst:", "ENC:", "PD:", "YML:"). Whether a message is a reply decides whether its
//! subject is the thread's old topic or a new question, and whether a quote under empty
//! words is our own answer or a forwarded question.

use std::sync::LazyLock;

use regex::Regex;

/// One leading prefix: an optional bracketed tag, the prefix word (perhaps numbered), a colon
/// (ASCII or full-width). Group 1 is the prefix word.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:\[[^\]]{1,40}\]\s*)*(re|aw|sv|vs|antw|rif|r|odp|ynt|res|fw|fwd|wg|tr|rv|i|doorst|enc|pd|yml|vl|vb|ilt|İlt|回复|答复|回覆|转发|轉寄|轉發)(?:\s*[\[(^]\s*\d{1,3}\s*[\])]?)?\s*[:：]",
    )
    .expect("subject prefix regex is valid")
});

/// Prefix words that mark a reply.
const REPLY: [&str; 13] = [
    "re", "aw", "sv", "vs", "antw", "rif", "r", "odp", "ynt", "res", "回复", "答复", "回覆",
];

/// The prefixes at the start of `subject`, lower-cased, in order.
fn prefixes(subject: &str) -> (Vec<String>, &str) {
    let mut rest = subject;
    let mut found = Vec::new();
    while let Some(c) = PREFIX.captures(rest) {
        let (Some(all), Some(word)) = (c.get(0), c.get(1)) else {
            break;
        };
        found.push(word.as_str().to_lowercase());
        rest = &rest[all.end()..];
    }
    (found, rest.trim_start())
}

/// Whether `subject` marks a reply: its first prefix is a reply's ("RE: FW: …" is a reply in
/// a forwarded thread).
pub fn is_reply(subject: &str) -> bool {
    prefixes(subject)
        .0
        .first()
        .is_some_and(|p| REPLY.contains(&p.as_str()))
}

/// Whether `subject` marks a forward: its first prefix is a forward's.
pub fn is_forward(subject: &str) -> bool {
    prefixes(subject)
        .0
        .first()
        .is_some_and(|p| !REPLY.contains(&p.as_str()))
}

/// Whether `subject` forwards a reply ("Fwd: Re: FPT info"): its first prefix is a forward's
/// and a later one a reply's. What is passed on is an answer someone was sent.
pub fn forwards_a_reply(subject: &str) -> bool {
    let (found, _) = prefixes(subject);
    found.first().is_some_and(|p| !REPLY.contains(&p.as_str()))
        && found.iter().skip(1).any(|p| REPLY.contains(&p.as_str()))
}

/// `subject` without its leading reply and forward prefixes and tags; empty when what is
/// left is a mail client's placeholder for a missing subject ([`is_placeholder`]).
pub fn strip_prefixes(subject: &str) -> &str {
    let rest = prefixes(subject.trim()).1;
    if is_placeholder(rest) {
        return "";
    }
    rest
}

/// What mail clients write where the sender gave no subject: "(no subject)", "[No Subject]",
/// "<no subject>", "(untitled)", and the same in the clients' other languages ("(sans
/// objet)", "(kein Betreff)", "(sin asunto)", "(nessun oggetto)", "(geen onderwerp)", "(sem
/// assunto)", "(ingen emne)", "(brak tematu)"). Read as no subject: the words are the
/// client's, not the sender's.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[(\[<]?\s*(?:no\s+subject|untitled|sans\s+objet|kein\s+betreff|ohne\s+betreff|sin\s+asunto|nessun\s+oggetto|geen\s+onderwerp|sem\s+assunto|ingen\s+emne|brak\s+tematu)\s*[)\]>]?$",
    )
    .expect("placeholder subject regex is valid")
});

/// Whether `subject` (prefixes taken off or not) is only a mail client's placeholder for a
/// missing subject ([`PLACEHOLDER`]).
pub fn is_placeholder(subject: &str) -> bool {
    PLACEHOLDER.is_match(prefixes(subject.trim()).1.trim())
}

/// A subject that names no topic: "Enquiry", "Quick question", "Query", "Hello", "Help",
/// "Urgent", "Information" ([`is_generic`]).
static GENERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:(?:a|my|one|quick|short|small|general|new|website|web|online|brief)\s+){0,2}(?:enquiry|enquiries|inquiry|inquiries|query|queries|question|questions|q|request|message|e-?mail|note)|hello|hi|hey|hiya|help|help\s+please|please\s+help|urgent|important|fyi|info|information|hello\s+there)\W*$")
        .expect("generic subject regex is valid")
});

/// Whether `subject` (prefixes taken off) names no topic of its own ([`GENERIC`]): as the
/// context of the question in the body it only pulls the question towards an entry that
/// happens to use its word ("Enquiry" towards the entry on where to send enquiries).
pub fn is_generic(subject: &str) -> bool {
    GENERIC.is_match(prefixes(subject.trim()).1.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_naming_no_topic_is_generic() {
        for subject in [
            "Enquiry",
            "Quick question",
            "RE: Query",
            "Hello!",
            "general enquiry",
            "Question?",
        ] {
            assert!(is_generic(subject), "{subject}");
        }
        for subject in [
            "FPT enquiry",
            "Question about pathways",
            "LTFT query",
            "Enquiry re: FPT duration",
        ] {
            assert!(!is_generic(subject), "{subject}");
        }
    }

    #[test]
    fn a_mail_clients_placeholder_is_no_subject() {
        for s in [
            "(no subject)",
            "[No Subject]",
            "Re: (no subject)",
            "<no subject>",
            "(kein Betreff)",
            "untitled",
        ] {
            assert!(is_placeholder(s), "{s}");
            assert_eq!(strip_prefixes(s), "", "{s}");
        }
        for s in [
            "no subject line on my last mail - FPT",
            "Untitled project on the FPT day",
            "FPT",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
        assert_eq!(strip_prefixes("Re: FPT days"), "FPT days");
    }

    #[test]
    fn a_forwarded_reply_is_told_from_a_forward_and_a_reply() {
        assert!(forwards_a_reply("Fwd: Re: FPT info"));
        assert!(forwards_a_reply("FW: RE: AW: pathways"));
        assert!(!forwards_a_reply("Fwd: FPT info"));
        assert!(!forwards_a_reply("Re: Fwd: FPT info"));
        assert!(!forwards_a_reply("FPT info"));
    }

    #[test]
    fn replies_in_the_common_clients_languages() {
        for s in [
            "Re: Eligibility",
            "RE: FW: FPT placements",
            "AW: Eligibility",
            "SV: FPT",
            "VS: FPT",
            "Antw: FPT",
            "RIF: FPT",
            "R: FPT",
            "Odp: FPT",
            "YNT: FPT",
            "Re[2]: FPT",
            "Re(3): FPT",
            "回复：FPT",
            "[External] Re: FPT",
        ] {
            assert!(is_reply(s), "{s}");
            assert!(!is_forward(s), "{s}");
            assert_eq!(
                strip_prefixes(s).trim_start_matches("FW: "),
                strip_prefixes(s)
            );
        }
        // (the forwards `clean::is_forward_subject` knew, before "RE: FW:" became a reply)
        for s in [
            "FW: FPT",
            "Fwd: Re: FPT",
            "WG: FPT",
            "TR : FPT",
            "RV: FPT",
            "I: FPT",
            "Doorst: FPT",
            "ENC: FPT",
            "PD: FPT",
            "YML: FPT",
        ] {
            assert!(is_forward(s), "{s}");
            assert!(!is_reply(s), "{s}");
        }
        for s in [
            "FPT question",
            "Reading: FPT posts",
            "Research: FPT?",
            "Re FPT",
            "Ref: 123",
            "Fwd question",
            "Information",
            "Trainee question",
        ] {
            assert!(!is_reply(s) && !is_forward(s), "{s}");
        }
        assert_eq!(
            strip_prefixes("RE: FW: AW: How long is FPT?"),
            "How long is FPT?"
        );
        assert_eq!(strip_prefixes("How long is FPT?"), "How long is FPT?");
    }
}
