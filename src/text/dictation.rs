//! Dictated text: a message spoken into a phone's voice recognition often keeps the
//! punctuation as words ("could you tell me where it came from question mark who set it up
//! full stop new line many thanks") and spells an acronym out as letters ("the F P T
//! scheme"). Read as written, the message has no sentence ends, so its questions run into
//! its greeting and sign-off, and "F P T" is three unknown letters. [`spoken_punctuation`]
//! writes the marks and joins the letters back before the message is cleaned and split.

use super::SplitWords;
use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// A punctuation mark said aloud, in the forms the common dictation engines (iOS, Android,
/// Windows, Dragon) accept: "comma", "full stop", "period", "question mark", "exclamation
/// mark/point", "new line", "new paragraph". "period" and "comma" alone are also ordinary
/// words, so they count only beside another spoken mark (see [`spoken_punctuation`]).
static SPOKEN_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[ \t]*\b(?P<mark>question\s+mark|full\s+stop|exclamation\s+(?:mark|point)|new\s+line|new\s+paragraph|comma|period)\b[ \t]*")
        .expect("spoken mark regex is valid")
});

/// "question mark" closing a line or the message: a dictated question with nothing after
/// it ("what is flexible portfolio training question mark"), or with only thanks after it
/// ("… or whether it's just a one year thing question mark thanks so much"). The idiom
/// "there's a question mark over …" is followed by what it is over.
static CLOSING_QUESTION_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)\bquestion\s+mark(?:[ \t]*$|[ \t]+(?:thanks|thank\s+you|many\s+thanks|cheers|ta|kind\s+regards|best\s+wishes|regards|speak\s+soon)\b)")
        .expect("closing question mark regex is valid")
});

/// Three or four capital letters said one at a time ("F P T", "H E E"; "S T 3" is left as
/// it is): a spelled-out acronym. Two ("Q I") only in dictated text, where "plan A B" is
/// unlikely.
static SPELLED_LETTERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Z](?: [A-Z]){2,3}\b").expect("spelled letters regex is valid")
});

/// [`SPELLED_LETTERS`] from two letters on, for dictated text.
static SPELLED_LETTERS_DICTATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Z](?: [A-Z]){1,3}\b").expect("spelled letters regex is valid")
});

/// A word before a spoken mark that makes it a noun of the sentence, not punctuation: "came
/// to a full stop", "the question mark now is whether…", "no full stop".
static DETERMINER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:a|an|the|this|that|no|any|one|big|huge|real|same)\s*$")
        .expect("determiner regex is valid")
});

/// Spoken marks a message must hold before "comma" and "period" are read as marks.
const MIN_SPOKEN_MARKS: usize = 2;

/// `text` with dictated punctuation written as marks and spelled-out acronyms joined, when
/// the text reads as dictated: at least [`MIN_SPOKEN_MARKS`] spoken marks other than a bare
/// "comma" or "period", or a "question mark" closing a line, none after a determiner ("came
/// to a full stop"). Otherwise only three or four spelled letters are joined ("what is F P
/// T?"), and `text` is borrowed unchanged when there are none. A message written in capitals
/// throughout keeps its single letters ("CAN I DO A Q I PROJECT" has words of one letter of
/// its own).
pub fn spoken_punctuation(text: &str) -> Cow<'_, str> {
    // (every message passes here: nothing is allocated or scanned twice unless it may be
    // dictated or hold spelled letters)
    let has_lower = || text.chars().any(|c| c.is_lowercase());
    // a spelled-out acronym outside dictation: "I'm applying to F P T next year"
    let undictated = || match SPELLED_LETTERS.is_match(text) && has_lower() {
        true => Cow::Owned(join_letters(&SPELLED_LETTERS, text)),
        false => Cow::Borrowed(text),
    };
    if !holds_a_mark_word(text) {
        return undictated();
    }
    // a mark after "a", "the"… is a noun of the sentence ("came to a full stop")
    let said = |at: usize| !DETERMINER_BEFORE.is_match(&text[..at]);
    let unambiguous = SPOKEN_MARK
        .captures_iter(text)
        .filter(|c| {
            let mark = c
                .name("mark")
                .map_or("", |m| m.as_str())
                .to_ascii_lowercase();
            mark != "comma" && mark != "period" && c.get(0).is_some_and(|m| said(m.start()))
        })
        .count();
    let closing = CLOSING_QUESTION_MARK
        .find_iter(text)
        .any(|m| said(m.start()));
    if unambiguous < MIN_SPOKEN_MARKS && !closing {
        return undictated();
    }
    let marked = SPOKEN_MARK.replace_all(text, |c: &Captures| {
        let whole = c.get(0).map_or("", |m| m.as_str());
        if !c.get(0).is_some_and(|m| said(m.start())) {
            return whole.to_string();
        }
        let mark = c
            .name("mark")
            .map_or("", |m| m.as_str())
            .to_ascii_lowercase();
        let mark: String = mark.split_words().collect::<Vec<_>>().join(" ");
        match mark.as_str() {
            "question mark" => "? ",
            "full stop" | "period" => ". ",
            "exclamation mark" | "exclamation point" => "! ",
            "comma" => ", ",
            "new line" => "\n",
            _ => "\n\n",
        }
        .to_string()
    });
    if !has_lower() {
        return Cow::Owned(marked.into_owned());
    }
    Cow::Owned(join_letters(&SPELLED_LETTERS_DICTATED, &marked))
}

/// Whether `text` holds, in any case, a word a spoken mark begins with ("question", "stop",
/// "new ", "exclamation"): in one pass over its bytes, comparing a word only where its first
/// letter stands (every message is asked this, most hold none).
fn holds_a_mark_word(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|i| {
        // (`| 0x20` folds an ASCII capital to its lower case; the whole word is compared
        // after, so any other byte it maps to a first letter only costs that comparison)
        let word: &[u8] = match bytes[i] | 0x20 {
            b'q' => b"question",
            b's' => b"stop",
            b'n' => b"new ",
            b'e' => b"exclamation",
            _ => return false,
        };
        bytes
            .get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

/// `text` with each run of single letters that `letters` finds written as one word.
fn join_letters(letters: &Regex, text: &str) -> String {
    letters
        .replace_all(text, |c: &Captures| c[0].replace(' ', ""))
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_word_is_found_as_a_scan_of_every_window_finds_it() {
        let by_windows = |text: &str| {
            let bytes = text.as_bytes();
            ["question", "stop", "new ", "exclamation"]
                .iter()
                .any(|word| {
                    bytes
                        .windows(word.len())
                        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
                })
        };
        for text in [
            "",
            "s",
            "sto",
            "STOP",
            "full sToP new line",
            "renew",
            "new",
            "New Year",
            "a QUESTION mark",
            "questio",
            "exclamatio",
            "Exclamation point",
            "café stop",
            "naïve né sto qu",
            "Q S N E q s n e 1 2 3",
            "what is fpt?",
        ] {
            assert_eq!(holds_a_mark_word(text), by_windows(text), "{text:?}");
        }
    }

    #[test]
    fn dictated_marks_become_punctuation_and_letters_an_acronym() {
        let text = "Hello there comma I'm putting together a talk full stop could you tell me where the scheme came from question mark who set it up new line many thanks";
        assert_eq!(
            spoken_punctuation(text),
            "Hello there, I'm putting together a talk. could you tell me where the scheme came from? who set it up\nmany thanks"
        );
        let text = "what is the F P T scheme trying to do full stop what are the aims question mark thanks";
        let out = spoken_punctuation(text);
        assert!(
            out.contains("the FPT scheme trying to do. what are the aims? thanks"),
            "{out}"
        );
        // one mark closing the message is enough
        assert_eq!(
            spoken_punctuation("what is flexible portfolio training question mark"),
            "what is flexible portfolio training? "
        );
        // nor is one with only thanks after it
        assert_eq!(
            spoken_punctuation("or is it just a one year thing question mark thanks so much"),
            "or is it just a one year thing? thanks so much"
        );
    }

    #[test]
    fn ordinary_words_are_left_alone() {
        // outside dictation, three or four spelled letters are still an acronym
        assert_eq!(
            spoken_punctuation("I'm applying to F P T next year, how do I apply?"),
            "I'm applying to FPT next year, how do I apply?"
        );
        assert_eq!(spoken_punctuation("what is F P T?"), "what is FPT?");
        for text in [
            "there is a question mark over whether FPT continues after this year?",
            "my FPT project came to a full stop when my supervisor left",
            "Things came to a full stop with my project and the question mark now is whether I can stay on FPT.",
            "is it plan A B or C?",
            "a comma splice, a full stop",
            "is the probation period part of FPT?",
            "CAN I DO A Q I PROJECT ON FPT? QUESTION MARK",
        ] {
            let out = spoken_punctuation(text);
            if text.starts_with("CAN") {
                // all capitals: the mark is written, the single letters stay apart
                assert!(out.contains("A Q I"), "{out}");
            } else {
                assert_eq!(out, text);
            }
        }
    }
}
