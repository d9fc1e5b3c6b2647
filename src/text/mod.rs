//! Text handling shared by the matcher and the region finder: Unicode normalisation,
//! tokenising, informal spellings (`informal`), dictated punctuation (`dictation`), the base's acronyms spelled out
//! (`acronyms`), Damerau-Levenshtein distances within a budget (`edit_distance`), stemming
//! and stop words (`normalize`), reading only what a sender wrote (`clean`), two objects
//! asked for in one clause (`coordination`), the frame of an indirect question
//! (`request_frame`), HTML markup typed into plain text (`markup`), reply and forward prefixes of subjects (`subject`), sentences that ask nothing
//! answerable (`unasked`), lists of regular expressions
//! matched in one pass (`patterns`), and a table of distinct strings each stored once
//! (`strings`). Pure functions, no I/O.

pub mod acronyms;
pub mod clean;
pub mod coordination;
pub mod dictation;
pub mod edit_distance;
pub mod informal;
pub mod irregular;
pub mod markup;
pub mod normalize;
pub mod pasted;
pub mod patterns;
pub mod request_frame;
pub mod strings;
pub mod subject;
pub mod typos;
pub mod unasked;

pub use clean::{clean_message, split_questions, CleanText, Question};
pub use normalize::{fold, tokenize, Analyzer, Token, WordMemo};

/// The words of a text between whitespace, as [`str::split_whitespace`] gives them, read
/// byte by byte when that gives the same words (see [`SplitWords::split_words`]).
#[derive(Debug, Clone)]
pub enum Words<'a> {
    /// ASCII text without a vertical tab: split at ASCII whitespace.
    Ascii(std::str::SplitAsciiWhitespace<'a>),
    /// Other text: split at Unicode whitespace.
    Unicode(std::str::SplitWhitespace<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        match self {
            Words::Ascii(w) => w.next(),
            Words::Unicode(w) => w.next(),
        }
    }
}

impl<'a> DoubleEndedIterator for Words<'a> {
    #[inline]
    fn next_back(&mut self) -> Option<&'a str> {
        match self {
            Words::Ascii(w) => w.next_back(),
            Words::Unicode(w) => w.next_back(),
        }
    }
}

/// [`str::split_whitespace`] at a fraction of its cost on ASCII text (nearly every enquiry):
/// the same words, in the same order either way.
pub trait SplitWords {
    /// The words of `self` between whitespace, exactly those of `split_whitespace`. On ASCII
    /// text `char::is_whitespace` holds for space, tab, line feed, vertical tab, form feed
    /// and carriage return, and `u8::is_ascii_whitespace` for the same but the vertical tab:
    /// ASCII text without one is split byte by byte, other text as `split_whitespace` does.
    fn split_words(&self) -> Words<'_>;
}

impl SplitWords for str {
    #[inline]
    fn split_words(&self) -> Words<'_> {
        if self.is_ascii() && !self.as_bytes().contains(&0x0B) {
            Words::Ascii(self.split_ascii_whitespace())
        } else {
            Words::Unicode(self.split_whitespace())
        }
    }
}

/// `text` with each word (a run of alphanumeric characters) written by `word`, which appends
/// the word's replacement, or the word itself, to the output; everything between words is
/// copied as it is.
pub fn map_words(text: &str, mut word: impl FnMut(&str, &mut String)) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else {
            if let Some(s) = start.take() {
                word(&text[s..i], &mut out);
            }
            out.push(c);
        }
    }
    if let Some(s) = start {
        word(&text[s..], &mut out);
    }
    out
}

/// A xorshift32 generator (Marsaglia 2003) from `seed` (not zero), for tests' generated
/// inputs: the same sequence every run.
#[cfg(test)]
pub(crate) fn xorshift(seed: u32) -> impl FnMut() -> usize {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize
    }
}

/// The texts of field `fields` ("body", "subject") of every enquiry of the labelled sets in
/// `tests/data` (`*-enquiries.jsonl`), in file order: real mail and chat for tests that check
/// a fast path against the plain one.
#[cfg(test)]
pub(crate) fn labelled_texts(fields: &[&str]) -> Vec<String> {
    let mut texts = Vec::new();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(data)
        .expect("tests/data")
        .map(|f| f.expect("tests/data entry").path())
        .filter(|p| p.to_string_lossy().ends_with("-enquiries.jsonl"))
        .collect();
    files.sort();
    for path in files {
        for line in std::fs::read_to_string(&path).expect("enquiry set").lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            for field in fields {
                if let Some(text) = v["enquiry"][field].as_str() {
                    texts.push(text.to_string());
                }
            }
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `split_words` gives the words of `split_whitespace`, from the front and from the back,
    /// on ASCII text with every kind of ASCII whitespace (the vertical tab too) and on text
    /// beyond ASCII (no-break and ideographic spaces, next line).
    #[test]
    fn split_words_gives_the_words_of_split_whitespace() {
        let pieces = [
            "a", "fpt", " ", "  ", "\t", "\n", "\r\n", "\x0B", "\x0C", "\x1F", "é", "\u{A0}",
            "\u{85}", "\u{3000}", "?", "",
        ];
        let mut next = xorshift(0x2545_f491);
        for _ in 0..4000 {
            let len = next() % 9;
            let text: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
            let want: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(text.split_words().collect::<Vec<_>>(), want, "{text:?}");
            let mut back: Vec<&str> = text.split_words().rev().collect();
            back.reverse();
            assert_eq!(back, want, "{text:?}");
            assert_eq!(text.split_words().count(), want.len(), "{text:?}");
        }
    }
}
