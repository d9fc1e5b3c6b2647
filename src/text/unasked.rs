//! Sentences that ask nothing the knowledge base could answer although they read like a
//! question: one that only announces a question ("Can I ask something about FPT?", "quick
//! question about fpt"), one that only points to an attachment or to words not in the
//! message ("Please see attached.", "pls advise"), and one that asks which of the
//! alternatives before it is right ("Which is it?"). Matched, such a sentence finds the topic
//! name alone and the entry that defines the topic answers it with full confidence; the sender
//! is still waiting to ask, or asked in a file nobody has read. Grammatical patterns: they list
//! no topic.

use std::sync::LazyLock;

use regex::Regex;

/// What a sentence that asks nothing does instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unasked {
    /// It says a question is coming: "I have a question about FPT.", "Can I ask you something
    /// regarding the pathways?".
    Announced,
    /// It points to an attachment or to text not included: "Please see attached.", "Please
    /// find attached my completed form.", "pls advise".
    Pointer,
    /// It asks which of the alternatives just stated is right ("a colleague says it's HEE
    /// now. Which is it?"): what is asked is in the sentences before it, and its "it" is no
    /// subject to read the question about.
    Choice,
}

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

/// "[hi,] (can/could/may I ask [you] | I have [got] | I've got | just) a/some/one [quick]
/// question/query/thing about <at most four words>", and nothing else.
static ANNOUNCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\W*(?:(?:hi|hello|hey|morning|afternoon)\b\W*)?
        (?:(?:can|could|may)\s+i\s+(?:just\s+|quickly\s+|please\s+)?ask\s+(?:you\s+|u\s+|someone\s+)?
          |i\s+(?:have|had|have\s+got)\s+|i['’]ve\s+got\s+|i['’]d\s+like\s+to\s+ask\s+|just\s+)?
        (?:a\s+|an\s+|some\s+|one\s+|two\s+|a\s+few\s+|a\s+couple\s+of\s+)?
        (?:(?:quick|small|little|brief|general|short)\s+)?
        (?:question|questions|query|queries|qs?|something|thing|things|enquiry|inquiry)\s+
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
        )[\s.!:,-]*$",
    )
    .expect("pointer regex is valid")
});

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
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announced_question_asks_nothing_yet() {
        for s in [
            "Can I ask something about FPT?",
            "I have a question about FPT.",
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
