//! Text handling shared by the matcher and the region finder: Unicode normalisation,
//! tokenising, informal spellings (`informal`), the base's acronyms spelled out
//! (`acronyms`), stemming and stop words (`normalize`), reading only what a sender wrote
//! (`clean`), and lists of regular expressions matched in one pass (`patterns`). Pure
//! functions, no I/O.

pub mod acronyms;
pub mod clean;
pub mod informal;
pub mod normalize;
pub mod patterns;
pub mod typos;

pub use clean::{clean_message, split_questions, CleanText, Question};
pub use normalize::{fold, tokenize, Analyzer, Token};
