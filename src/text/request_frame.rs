//! The frame of an indirect question: "Could you tell me what the pathways are?", "I'd like
//! to know how long it lasts", "I was wondering whether …", "do you know who runs it?". The
//! frame asks nothing of its own; what it asks is the clause after it. The embedding model
//! reads the frame as meaning, and a request frame ("could you …") pulls a question towards
//! entries whose phrasings are requests ("Could you send me the pathway document?") and
//! away from the entry that answers the clause; the lexical side already counts the frame's
//! words as stop words (`normalize::STOP_WORDS`), and triage reads a question set off by a
//! dash behind such a frame as it reads a question word's question (`triage::split_lead_in`).
//! Pure functions, no I/O.

use super::SplitWords;
use std::sync::LazyLock;

use regex::Regex;

/// Words a message may open with before the frame ("Hi, could you tell me …", "Quick q -
/// do you know …", "and I was wondering …").
const OPENERS: &str = r"(?:(?:hi|hello|hey|ok|okay|so|and|but|also|just|sorry|please|pls|plz|quick\s+q(?:uestion)?|one\s+more\s+thing)\b[\s,:;.!-]*)*";

/// The frames (matched case-insensitively; either apostrophe).
const FRAMES: &str = concat!(
    r"(?:",
    // "could you (please) tell me", "can u let me know", "would someone be able to tell me"
    r"(?:could|can|would|will)\s+(?:you|u|ya|someone|somebody|anyone|anybody|any1)\s+(?:(?:please|pls|plz|kindly|possibly|just|quickly|be\s+able\s+to)\s+)*(?:tell|let|remind|advise|explain\s+to|clarify\s+for|confirm\s+for)\s+(?:me|us)(?:\s+know)?(?:\s+(?:please|pls|plz))?",
    // "please tell me", "let me know", "tell us"
    r"|(?:(?:please|pls|plz)\s+)?(?:tell|let|remind)\s+(?:me|us)(?:\s+know)?",
    // "I'd like to know", "I would be grateful if you could tell me", "I'd love to know"
    r"|(?:i['’]?d|i\s+would|we['’]?d|we\s+would)\s+(?:(?:really|just)\s+)?(?:like|love|want)\s+to\s+(?:know|find\s+out|understand|check)",
    r"|(?:i['’]?d|i\s+would|we['’]?d|we\s+would)\s+be\s+grateful\s+if\s+(?:you|u|someone)\s+could\s+(?:tell|let)\s+(?:me|us)(?:\s+know)?",
    // "I was wondering", "I'm wondering", "wondering", "I wonder"
    r"|(?:(?:i\s+(?:was|am)|i['’]?m|we\s+(?:were|are)|we['’]?re)\s+)?(?:(?:just|also)\s+)?wondering",
    r"|(?:i|we)\s+(?:(?:just|also)\s+)?wonder(?:ed)?",
    // "do you know", "does anyone know", "anyone know"
    r"|(?:(?:do|does)\s+)?(?:you|u|anyone|anybody|any1|someone|somebody)\s+know",
    // "I want to know", "I need to find out", "just wanted to check"
    r"|(?:i|we)\s+(?:(?:just|really|also)\s+)?(?:want|wanted|need|needed)\s+to\s+(?:know|find\s+out|understand|check)",
    // "I'd be grateful to know", "I'm trying to work out", "could someone help me understand"
    r"|(?:i['’]?d|i\s+would|we['’]?d|we\s+would)\s+be\s+(?:(?:very|most|really|so)\s+)?grateful\s+to\s+(?:know|learn|hear|find\s+out|understand)",
    r"|(?:(?:i\s+am|i['’]?m|we\s+are|we['’]?re)\s+)?(?:just\s+)?trying\s+to\s+(?:understand|work\s+out|find\s+out|figure\s+out)",
    r"|(?:(?:could|can|would)\s+(?:you|u|someone|somebody|anyone|anybody)\s+(?:(?:please|pls|kindly|possibly)\s+)?)?help\s+(?:me|us)\s+(?:to\s+)?(?:understand|work\s+out|find\s+out|figure\s+out)",
    r")",
);

/// What follows the frame: a clause opened by a question word or by "whether"/"if".
const CLAUSE: &str = r"(?:what|whats|how|who|whom|whose|when|where|which|why|whether|if)\b";

static FRAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\W*{OPENERS}{FRAMES}\s*[,:;-]?\s*(?:(?:about|re)\s+)?{CLAUSE}"
    ))
    .expect("request-frame regex is valid")
});

/// Where the clause a frame asks begins in `text`: `None` when `text` opens with no frame or
/// the clause has fewer than [`MIN_CLAUSE_WORDS`] words.
fn clause_start(text: &str) -> Option<usize> {
    let m = FRAMED.find(text)?;
    // the clause starts at the question word the match ends with
    let start = text[..m.end()]
        .rfind(|c: char| !c.is_alphanumeric())
        .map_or(0, |i| i + c_len(text, i));
    (text[start..].split_words().count() >= MIN_CLAUSE_WORDS).then_some(start)
}

/// The length in bytes of the character at byte `i` of `text`.
fn c_len(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(1, char::len_utf8)
}

/// Words the clause after a frame must have to be asked alone: "do you know what FPT is?"
/// (3), not "do you know why?" (1).
pub const MIN_CLAUSE_WORDS: usize = 3;

/// The question a request frame asks, without the frame: "Could you tell me what the
/// pathways actually are?" → "what the pathways actually are?"; "Hi, I was wondering if FPT
/// runs in London" → "if FPT runs in London". `text` itself when it opens with no frame.
pub fn without_frame(text: &str) -> &str {
    match clause_start(text) {
        Some(start) => &text[start..],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clause_a_frame_asks_is_what_is_left() {
        for (framed, clause) in [
            (
                "Could you tell me what the pathways actually are?",
                "what the pathways actually are?",
            ),
            (
                "Hi, can u pls let me know how long FPT lasts",
                "how long FPT lasts",
            ),
            ("I'd like to know why it was set up", "why it was set up"),
            (
                "I was wondering whether FPT runs in London?",
                "whether FPT runs in London?",
            ),
            ("Does anyone know who runs FPT now?", "who runs FPT now?"),
            (
                "I’d be grateful if you could let me know when recruitment opens.",
                "when recruitment opens.",
            ),
            (
                "quick q - do you know what the capabilities are",
                "what the capabilities are",
            ),
            // a colon before a direct question
            (
                "Could you tell me: what are the pathways?",
                "what are the pathways?",
            ),
            (
                "I'd be most grateful to know how many capabilities there are.",
                "how many capabilities there are.",
            ),
            (
                "I'm trying to work out whether the day counts as clinical",
                "whether the day counts as clinical",
            ),
            (
                "could someone help me understand why FPT was set up?",
                "why FPT was set up?",
            ),
        ] {
            assert_eq!(without_frame(framed), clause, "{framed}");
        }
    }

    #[test]
    fn text_without_a_frame_or_with_too_short_a_clause_is_kept() {
        for text in [
            "What are the pathways?",
            "Could you send me the pathway documents?",
            "Can you tell me the deadline?",
            "do you know why?",
            "Tell me about FPT",
            "My ES asked me what the pathways are",
        ] {
            assert_eq!(without_frame(text), text);
        }
    }
}
