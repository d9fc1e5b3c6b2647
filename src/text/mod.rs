//! Text handling shared by the matcher and the region finder: Unicode normalisation,
//! tokenising, informal spellings (`informal`), dictated punctuation (`dictation`), the base's acronyms spelled out
//! (`acronyms`), Damerau-Levenshtein distances within a budget (`edit_distance`), stemming
//! and stop words (`normalize`), reading only what a sender wrote (`clean`), two objects
//! asked for in one clause (`coordination`), the frame of an indirect question
//! (`request_frame`), reply and forward prefixes of subjects (`subject`), sentences that ask nothing
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
