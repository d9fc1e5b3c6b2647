//! Sentences that ask nothing the knowledge base could answer although they read like a
//! question: one that only announces a question ("Can I ask something about FPT?", "quick
//! question about fpt"), one that only points to an attachment or to words not in the
//! message ("Please see attached.", "pls advise"), and one that asks which of the
//! alternatives before it is right ("Which is it?"). Matched, such a sentence finds the topic
//! name alone and the entry that defines the topic answers it with full confidence; the sender
//! is still waiting to ask, or asked in a file nobody has read. Grammatical patterns: they list
//! no topic.

use super::SplitWords;
use std::sync::LazyLock;

use regex::Regex;

/// What a sentence that asks nothing does instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unasked {
    /// It says a question is coming: "I have a question about FPT.", "I have two doubts
    /// regarding FPT" (Indian English for questions), "Can I ask you something
    /// regarding the pathways?".
    Announced,
    /// It points to an attachment or to text not included: "Please see attached.", "Please
    /// find attached my completed form.", "pls advise", a bare "any ideas?".
    Pointer,
    /// It asks which of the alternatives just stated is right ("a colleague says it's HEE
    /// now. Which is it?"): what is asked is in the sentences before it, and its "it" is no
    /// subject to read the question about.
    Choice,
    /// It arranges travel among colleagues ("anyone want a lift from Bath?", "car share to
    /// the away day anyone?"): asked of them, not of the desk.
    Social,
}

/// Colleagues arranging to get somewhere together: "anyone else going to regional teaching
/// tomorrow?", "happy to car share", "anyone need a lift?".
pub(crate) static TRAVEL_TOGETHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:any(?:one|body|1)\s+(?:else\s+)?(?:going|heading|coming|driving|travell?ing)\s+(?:to|down|up|over)\b|(?:happy|glad)\s+to\s+(?:car\s*-?\s*share|give\s+(?:\w+\s+)?(?:a\s+)?lifts?|drive\s+(?:people|anyone|someone))|car\s*-?\s*shar(?:e|ing)|lift\s*-?\s*shar(?:e|ing)|(?:need|want|fancy)\s+a\s+lift)\b")
        .expect("travel-together regex is valid")
});

/// "Which is it?", "Which one is right?", "Who is correct?", "Which is true?", and nothing
/// else.
static CHOICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\W*(?:(?:so|but|and|ok|okay)\b[,]?\s+)?
        (?:which|who)(?:\s+one)?\s*(?:is|['’]s|was)\s+(?:it|right|correct|true|accurate)
        (?:\s+(?:then|now|please|pls|exactly|actually))?[\s?.!]*$",
    )
    .expect("choice regex is valid")
});

/// "(Could|Can|Would) you (please) clarify|confirm|advise|explain (this|that|the position)
/// (for me) (so I can reassure her)?", "Please could you confirm?", and nothing else: it asks
/// about what was said before it, which is matched as its context.
static CLARIFY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\W*(?:(?:so|but|and|ok|okay)\b[,]?\s+)?(?:please\s+)?
        (?:could|can|would|will)\s+(?:you|someone|anyone|u)\s+(?:please\s+|kindly\s+|possibly\s+|just\s+)?(?:be\s+able\s+to\s+)?
        (?:clarify|confirm|advise|explain|summari[sz]e|outline|shed\s+(?:some\s+)?light|set\s+(?:me|us)\s+straight
          |help(?:\s+(?:me|us))?(?:\s+(?:out|with\s+(?:this|that|it)))?|let\s+(?:me|us|her|him|them)\s+know
          |answer\s+(?:this|that|it|her|him|them))
        (?:\s+(?:on\s+)?(?:this|that|these|it|things|matters|the\s+(?:position|situation|above)))?
        (?:\s+(?:for\s+(?:me|us)|please|pls))?
        (?P<purpose>\s*,?\s+(?:so|as)\s+(?:that\s+)?(?:i|we)\s+(?:can|could|may|know)\b[^?]{0,80})?
        [\s?.!]*$",
    )
    .expect("clarify regex is valid")
});

/// "[hi,] (can/could/may I ask [you] | I have [got] | I've got | just) a/some/one [quick]
/// question/query/thing about <at most four words>", and nothing else.
static ANNOUNCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\W*(?:(?:hi|hello|hey|morning|afternoon)\b\W*)?
        (?:(?:can|could|may)\s+i\s+(?:just\s+|quickly\s+|please\s+)?ask\s+(?:you\s+|u\s+|someone\s+)?
          |i\s+(?:have|had|have\s+got)\s+|i['’]ve\s+got\s+|i['’]d\s+like\s+to\s+ask\s+|just\s+)?
        (?:a\s+|an\s+|some\s+|one\s+|two\s+|a\s+few\s+|a\s+couple\s+of\s+)?
        (?:(?:quick|small|little|brief|general|short)\s+)?
        (?:question|questions|query|queries|qs?|something|thing|things|enquiry|inquiry|doubts?)\s+
        (?:about|re|regarding|on|around|concerning|relating\s+to|related\s+to)\s+
        (?:\w[\w'’-]*\s*){1,4}[\s?.!:,-]*$",
    )
    .expect("announced-question regex is valid")
});

/// "(please/pls/kindly) see|find (the|my) attached/attachment/enclosed …", "attached is/are …",
/// "(please/pls/kindly) advise", "see below", "FYI", with no question mark.
static POINTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\W*(?:
          (?:please\s+|pls\s+|plz\s+|kindly\s+)?(?:see|find)\s+(?:the\s+|my\s+|our\s+)?(?:attached|attachment|attachments|enclosed)\b[^?]{0,80}
        | (?:attached|enclosed)\s+(?:is|are|please\s+find)\b[^?]{0,80}
        | (?:i\s+have\s+|i['’]ve\s+)?attached\s+(?:my|the|our)\b[^?]{0,80}
        | (?:please|pls|plz|kindly)\s+advise
        | see\s+(?:below|above|attached|trail|thread)
        | fyi
        | (?:just\s+)?forwarding\s+(?:this|that|it|on|the\s+[a-z]+|what|you|your)\b[^?]{0,60}
        )[\s.!:,-]*(?:(?:thanks|thank\s+you|thx|ta|cheers|regards)[\s.!]*)?$",
    )
    .expect("pointer regex is valid")
});

/// A question reported rather than asked: "our registrars have been asking whether…", "she
/// wants to know if…", "I'm not sure whether…", "our rota coordinator has asked me what
/// fraction of …", "one of my trainees asked how long …" (a question word only after a verb
/// of asking: "I know what" states), or a question quoted after one ("someone asked 'is FPT
/// still a thing now the pilot's over?'"). The group `q` (`k`, `quoted`) starts the
/// reported question itself.
static REPORTED_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:(?:ask(?:ed|ing|s)?|wonder(?:ed|ing|s)?|enquir(?:ed|ing|es)|inquir(?:ed|ing|es)|quer(?:y|ied|ying|ies)|unsure|not\s+sure)\s+(?:about\s+|me\s+|us\s+|him\s+|her\s+|them\s+)?(?P<q>(?:whether|if|how|what|when|who|why|where|which)\b)|(?:know|confused)\s+(?:about\s+)?(?P<k>(?:whether|if)\b)|(?:ask(?:ed|ing|s)?|wonder(?:ed|ing|s)?)\s+(?:me\s+|us\s+|him\s+|her\s+|them\s+)?[,:]?\s*["'“‘](?P<quoted>\w))"#)
        .expect("reported question regex is valid")
});

/// The opening of a purpose clause, without the space before it: "so (that) I can", "so she
/// knows", "so I describe", "so we plan" (a verb of passing on, understanding or preparing
/// after "so" and who it is for), "in order to". The reason a question is asked, never what
/// it asks; shared by [`PURPOSE`] and the trailing reasons of `triage`. A consequence ("so I
/// need to extend?") is no purpose.
pub const PURPOSE_OPENING: &str = r"(?:so\s+(?:that\s+)?(?:i|we|she|he|they|it)\s+(?:can|could|may|might|will|would|knows?|describe|explain|understand|hear|plan|present|prepare|pass|give|tell|brief|reassure|advise|answer|reply|update|include|cover|check|make|put|write|quote)|in\s+order\s+to)";

/// A purpose clause ([`PURPOSE_OPENING`]) after a reported question ("… what fraction of my
/// time FPT takes up so she can plan ward cover"): why it was asked, not what.
static PURPOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&[r"(?i)[,;]?\s+", PURPOSE_OPENING, r"\b.*$"].concat())
        .expect("purpose regex is valid")
});

/// What the writer did or said after a reported question, joined to it: " and i waffled",
/// " but I didn't know".
static WRITER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:and|but|so)\s+(?:i|we)\s+(?:\w+ed|didn['’]?t|did\s+not|couldn['’]?t|could\s+not|had\s+no|have\s+no|just|said|told)\b")
        .expect("writer-after regex is valid")
});

/// The last question reported in `context` ([`REPORTED_QUESTION`]) taken out of its frame:
/// the reported question itself, from its question word to the end of its sentence without a
/// purpose clause ("whether the FPT day involves any clinical work", "what fraction of my
/// contracted time FPT takes up"), and the rest of `context` (the frame and the other
/// sentences), which stays context. `None` when nothing is reported or fewer than three words
/// are left.
pub fn reported_question(context: &str) -> Option<(String, String)> {
    let caps = REPORTED_QUESTION.captures_iter(context).last()?;
    let start = caps
        .name("q")
        .or_else(|| caps.name("k"))
        .or_else(|| caps.name("quoted"))?
        .start();
    // the sentence ends at the first full stop, question or exclamation mark after it
    let end = context[start..]
        .find(['.', '?', '!'])
        .map_or(context.len(), |i| start + i);
    let clause = &context[start..end];
    // "… what the FPT day is meant to be used for - she assumed it was extra study leave":
    // what follows a spaced dash is said about the question, not asked; it stays context
    let (clause, aside) = match clause.find(" - ").or_else(|| clause.find(" – ")) {
        Some(dash) => (
            &clause[..dash],
            clause[dash..].trim_start_matches([' ', '-', '–']),
        ),
        None => (clause, ""),
    };
    let clause = PURPOSE.replace(clause, "");
    // "what fpt is and i waffled": what the writer did after it was asked is no part of it
    let clause = match WRITER_AFTER.find(&clause) {
        Some(m) => clause[..m.start()].to_string(),
        None => clause.into_owned(),
    };
    let clause = clause.trim();
    if clause.split_words().count() < 3 {
        return None;
    }
    let after = context.get(end + 1..).unwrap_or_default().trim();
    let frame = format!("{} {aside} {}", context[..start].trim(), after)
        .split_words()
        .collect::<Vec<_>>()
        .join(" ");
    Some((format!("{clause}?"), frame))
}

/// Whether `question` only asks us to clarify or confirm (see [`CLARIFY`]) what `context`,
/// the sentences before it, reports as asked ("One of our registrars has asked whether FPT
/// is still a pilot. Can you advise?"): the reported question is then what is asked. A
/// claim before it ("I was under the impression that… Could you confirm?") stays context.
pub fn asks_the_reported_question(question: &str, context: &str) -> bool {
    let q = question.trim();
    (CLARIFY.is_match(q) || BARE_TAG.is_match(q) || SHORT_ANSWER_WANTED.is_match(q))
        && REPORTED_QUESTION.is_match(context)
}

/// A request for the answer put briefly, naming nothing of its own: "whats the short
/// version", "what's the one-line version I can send her?", "got a quick summary?".
static SHORT_ANSWER_WANTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:so\W+)?(?:what['’]?s|whats|wats|what\s+is|what\s+would\s+be|give\s+me|got|any|is\s+there)\s+(?:the|a|an)\s+(?:(?:short|quick|one[\s-]line|one[\s-]liner|brief|simple|easy|tl;?dr|nutshell|elevator|layman['’]?s?)\s+)+(?:version|answer|summary|pitch|explanation|description)\b[^?]{0,40}\W*$")
        .expect("short answer wanted regex is valid")
});

/// Whether `sentence` only asks for an answer put briefly ([`SHORT_ANSWER_WANTED`]: "whats the
/// short version"): a question without a question mark, of what was said before it.
pub fn asks_short_answer(sentence: &str) -> bool {
    SHORT_ANSWER_WANTED.is_match(sentence.trim())
}

/// A question tag with nothing of its own, which asks the yes-or-no question reported just
/// before it: "my mate asked if FPT is paid extra on top of salary. is it?", "my consultant
/// asked whether FPT pushes my CCT back. does it?", "… and can I?", "is it though??".
static BARE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|so|but|well|ok|okay)\W+)?(?:is|are|does|do|did|was|were|will|would|can|could|has|have|should)\s+(?:it|they|that|this|i|we|she|he)(?:\s+(?:really|actually|though|tho|now|still|even|not|n['’]t))*\W*$")
        .expect("bare tag regex is valid")
});

/// Whether `question` only asks us to answer (see [`CLARIFY`]: "Would you be able to
/// summarise?", "Could you advise?"), naming nothing: after the questions it follows it asks
/// nothing new.
pub fn only_asks_to_answer(question: &str) -> bool {
    CLARIFY.is_match(question.trim())
}

/// A request to clarify what was said before it, without the reason the sender gives
/// ("Could you clarify so I can pass it on accurately?" → "Could you clarify?"): the reason's
/// words ("pass", "accurately", "reassure") are no part of what is asked, and would outweigh
/// the context the request points to. `None` when `sentence` is no such request or gives no
/// reason.
pub fn request_without_purpose(sentence: &str) -> Option<String> {
    let s = sentence.trim();
    let purpose = CLARIFY.captures(s)?.name("purpose")?;
    let mut bare = s[..purpose.start()].trim_end().to_string();
    bare.push('?');
    Some(bare)
}

/// A body that only asks for an answer to what its subject says, or says nothing at all:
/// "?", "any?", "pls advise", "Please revert at the earliest", "kindly reply asap", "see subject",
/// "as per subject line", "question in the subject". Nothing else.
static DEFERS_TO_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\W*(?:
          (?:(?:please|pls|plz|kindly)\s+)?(?:advise|advice|revert|reply|respond|help|confirm|clarify|explain|let\s+(?:me|us)\s+know)
            (?:\s+(?:asap|soon|urgently|at\s+the\s+earliest|at\s+your\s+earliest(?:\s+convenience)?|me|us|on\s+(?:this|the\s+same)|(?:the\s+)?same))*
        | (?:(?:please|pls|plz|kindly)\s+)?see\s+(?:the\s+)?(?:subject|subj|title)(?:\s+line)?
        | as\s+(?:per\s+)?(?:the\s+)?(?:subject|title)(?:\s+line)?
        | (?:my\s+)?(?:question|query|q)\s+(?:is\s+)?(?:in|above\s+in)\s+(?:the\s+)?(?:subject|title)(?:\s+line)?
        | any(?:\s+(?:info|news|update|ideas?|thoughts?|details))?
        )?(?:\W+(?:thanks?|thank\s+you|thx|ta|regards))?\W*$",
    )
    .expect("defers-to-subject regex is valid")
});

/// Whether a mail's `body` (cleaned: no greeting, signature or quoted text) leaves its
/// question to the subject line ([`DEFERS_TO_SUBJECT`]): subject "Min duration FPT", body
/// "Pls advise." asks what the subject names.
pub fn defers_to_subject(body: &str) -> bool {
    let b = body.trim();
    b.chars().count() <= 80 && DEFERS_TO_SUBJECT.is_match(b)
}

/// Whether `sentence` asks nothing a knowledge base could answer ([`Unasked`]), and how.
pub fn unasked(sentence: &str) -> Option<Unasked> {
    let s = sentence.trim();
    if s.chars().count() > 200 {
        return None;
    }
    if ANNOUNCED.is_match(s) {
        Some(Unasked::Announced)
    } else if POINTER.is_match(s) {
        Some(Unasked::Pointer)
    } else if CHOICE.is_match(s) {
        Some(Unasked::Choice)
    } else if TRAVEL_TOGETHER.is_match(s) {
        Some(Unasked::Social)
    } else if crate::text::clean::is_bare_plea(s) {
        // "any ideas?", "help?": help with what is not in the message
        Some(Unasked::Pointer)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_that_only_asks_for_an_answer_defers_to_the_subject() {
        for body in [
            "?",
            "pls advise",
            "Pls advise.",
            "Please revert at the earliest.",
            "kindly reply asap, thanks",
            "see subject",
            "see subj",
            "As per subject line",
            "any?",
            "question in the subject",
        ] {
            assert!(defers_to_subject(body), "{body}");
        }
        for body in [
            "Please see attached.",
            "pls advise how long it lasts",
            "how long is it?",
            "I work at Leeds. Pls advise",
        ] {
            assert!(!defers_to_subject(body), "{body}");
        }
    }

    #[test]
    fn an_announced_question_asks_nothing_yet() {
        for s in [
            "Can I ask something about FPT?",
            "I have a question about FPT.",
            "I have two doubts regarding FPT.",
            "quick question about fpt",
            "Hi, could I ask you a quick question regarding the research pathway?",
            "I've got a couple of questions about flexible portfolio training",
        ] {
            assert_eq!(unasked(s), Some(Unasked::Announced), "{s}");
        }
    }

    #[test]
    fn a_pointer_to_an_attachment_asks_nothing_here() {
        for s in [
            "Please see attached.",
            "Please find attached my completed FPT form for sign-off.",
            "pls advise",
            "Attached is my application.",
            "FYI",
            // a forward whose note says only that it forwards
            "Forwarding the reply I got.",
            "Just forwarding this on",
        ] {
            assert_eq!(unasked(s), Some(Unasked::Pointer), "{s}");
        }
    }

    #[test]
    fn a_choice_between_what_was_said_asks_nothing_of_its_own() {
        for s in [
            "Which is it?",
            "So which one is right?",
            "who's correct?",
            "which is it then",
        ] {
            assert_eq!(unasked(s), Some(Unasked::Choice), "{s}");
        }
        for s in [
            "Which is the research pathway?",
            "Who is it for?",
            "which pathway is it?",
        ] {
            assert_eq!(unasked(s), None, "{s}");
        }
    }

    #[test]
    fn a_request_to_clarify_a_reported_question_asks_it() {
        let reported = "One of our registrars has asked whether FPT is still a pilot.";
        assert!(asks_the_reported_question("Can you advise?", reported));
        assert!(asks_the_reported_question("Could you clarify?", reported));
        let claim = "I was under the impression that FPT splits the week 50/50.";
        assert!(!asks_the_reported_question("Could you confirm?", claim));
        assert!(!asks_the_reported_question("How long is it?", reported));
        let asked_what = "Our rota coordinator has asked me what fraction of my contracted time FPT takes up so she can plan ward cover.";
        assert!(asks_the_reported_question("Could you confirm?", asked_what));
        assert!(asks_the_reported_question("Can you help?", asked_what));
        assert!(only_asks_to_answer("Would you be able to summarise?"));
        assert!(!only_asks_to_answer(
            "Would you be able to summarise the pathways?"
        ));
        assert!(asks_the_reported_question(
            "Could you let me know?",
            asked_what
        ));
        assert!(!asks_the_reported_question(
            "Could you confirm?",
            "I know what FPT is."
        ));
        // a bare tag asks the yes-or-no question reported before it
        let mate = "my mate asked if FPT is paid extra on top of salary.";
        for tag in ["is it?", "does it??", "and is it though?", "can I?"] {
            assert!(asks_the_reported_question(tag, mate), "{tag}");
        }
        assert!(!asks_the_reported_question("is it a whole day?", mate));
        // so is a request for a short answer
        let waffled = "my consultant just asked me what fpt is and i waffled.";
        for q in [
            "whats the short version",
            "what's the one-line version i can send her?",
        ] {
            assert!(asks_the_reported_question(q, waffled), "{q}");
        }
        // a question quoted after a verb of asking is reported too
        let quoted =
            "someone on my whatsapp group asked 'is FPT still a thing now the pilot's over?'.";
        assert!(asks_the_reported_question("is it?", quoted));
        let (q, _) = reported_question(quoted).expect("a quoted question is reported");
        assert!(q.starts_with("is FPT still a thing"), "{q}");
        assert!(!asks_the_reported_question("is it?", claim));
    }

    #[test]
    fn a_reported_question_is_taken_out_of_its_frame() {
        let (q, frame) = reported_question(
            "Bit of context. Our rota coordinator has asked me what fraction of my contracted time FPT takes up so she can plan ward cover. I didn't want to guess.",
        )
        .expect("a reported question");
        assert_eq!(q, "what fraction of my contracted time FPT takes up?");
        assert_eq!(
            frame,
            "Bit of context. Our rota coordinator has asked me I didn't want to guess."
        );
        let (q, _) = reported_question(
            "At our information evening last night one of the registrars asked whether the FPT day involves any clinical work.",
        )
        .expect("a reported question");
        assert_eq!(q, "whether the FPT day involves any clinical work?");
        // what follows a spaced dash is said about the question and stays context
        let (q, frame) = reported_question(
            "My clinical supervisor was asking me what the FPT day is actually meant to be used for - she assumed it was basically extra study leave. I wasn't sure how to explain it.",
        )
        .expect("a reported question");
        assert_eq!(q, "what the FPT day is actually meant to be used for?");
        assert_eq!(
            frame,
            "My clinical supervisor was asking me she assumed it was basically extra study leave I wasn't sure how to explain it."
        );
        assert_eq!(reported_question("She asked me why."), None);
        assert_eq!(reported_question("I know what FPT is."), None);
    }

    #[test]
    fn a_request_to_clarify_loses_the_reason_it_gives() {
        for (s, bare) in [
            (
                "Could you clarify so I can pass it on accurately?",
                "Could you clarify?",
            ),
            (
                "Could you please confirm this for me, so that I can reassure her?",
                "Could you please confirm this for me?",
            ),
        ] {
            assert_eq!(request_without_purpose(s).as_deref(), Some(bare), "{s}");
        }
        for s in [
            "Can you confirm?",
            "Could you clarify how long FPT lasts so I can plan?",
            "Can you confirm the pathways?",
        ] {
            assert_eq!(request_without_purpose(s), None, "{s}");
        }
    }

    #[test]
    fn a_real_question_is_asked() {
        for s in [
            "Can I ask how long FPT lasts?",
            "I have a question about FPT: how long does it last?",
            "What is FPT?",
            "question about fpt - is it paid?",
            "Please see attached - am I eligible?",
            "Can I ask something about FPT? How long is it?",
            "I've attached my CV, which pathway would suit me?",
            "fpt",
        ] {
            assert_eq!(unasked(s), None, "{s}");
        }
    }
}
