//! Our own answer pasted back into a message with no quote marks and no attribution line
//! ("Thanks, that's clear!" over the text of our reply, copied from a phone or a web client
//! that quotes nothing): found by w-shingling (Broder, "On the resemblance and containment
//! of documents", 1997), the share of a line's runs of [`SHINGLE_WORDS`] words that also
//! occur in some answer of the knowledge base. A sender's own question shares a phrase or
//! two with an answer, never most of a line.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Words in a shingle: long enough that a run of them is a phrase of the answer, short
/// enough that a line wrapped by a mail client (ten or twelve words) still has several.
pub const SHINGLE_WORDS: usize = 4;

/// Fewest words on a line judged: a shorter line ("Thanks!", "FPT pathways") has too few
/// shingles to say anything.
pub const MIN_LINE_WORDS: usize = 8;

/// Share of a line's shingles found in the answers at which the line is taken as pasted.
pub const PASTED_SHARE: f32 = 0.6;

/// Shingles (hashed) of a set of answer texts.
#[derive(Debug, Default)]
pub struct Shingles(HashSet<u64>);

/// Whether `text` has a line long enough to be judged ([`MIN_LINE_WORDS`]): the cheap test
/// before the answers' shingles are built or looked up.
pub fn may_hold_pasted(text: &str) -> bool {
    text.lines()
        .any(|l| l.split_whitespace().nth(MIN_LINE_WORDS - 1).is_some())
}

/// The lower-cased words of `text`, letters and digits only ("20%" → "20").
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn shingle_hashes(words: &[String]) -> impl Iterator<Item = u64> + '_ {
    words.windows(SHINGLE_WORDS).map(|w| {
        let mut h = DefaultHasher::new();
        w.hash(&mut h);
        h.finish()
    })
}

impl Shingles {
    /// The shingles of every text in `answers`.
    pub fn of<'a>(answers: impl IntoIterator<Item = &'a str>) -> Self {
        let mut set = HashSet::new();
        for answer in answers {
            set.extend(shingle_hashes(&words(answer)));
        }
        Shingles(set)
    }

    /// Whether `line` is pasted from the answers: no question mark, at least
    /// [`MIN_LINE_WORDS`] words and [`PASTED_SHARE`] of its shingles found.
    pub fn is_pasted(&self, line: &str) -> bool {
        // a line that asks is the sender's, whatever it quotes
        if line.contains('?') {
            return false;
        }
        let words = words(line);
        if words.len() < MIN_LINE_WORDS {
            return false;
        }
        let (mut found, mut all) = (0usize, 0usize);
        for h in shingle_hashes(&words) {
            all += 1;
            found += usize::from(self.0.contains(&h));
        }
        all > 0 && found as f32 >= PASTED_SHARE * all as f32
    }

    /// `text` split into the sender's own lines and the pasted ones, or `None` when no line
    /// is pasted.
    pub fn split(&self, text: &str) -> Option<(String, String)> {
        let (mut own, mut pasted) = (Vec::new(), Vec::new());
        for line in text.lines() {
            if self.is_pasted(line) {
                pasted.push(line);
            } else {
                own.push(line);
            }
        }
        (!pasted.is_empty()).then(|| (own.join("\n").trim().to_string(), pasted.join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "Flexible Portfolio Training (FPT) protects one day a week (or 20% \
        time equivalent) for non-clinical professional development in one of four pathways: \
        clinical informatics, medical education, quality improvement or research.";

    #[test]
    fn our_answer_pasted_back_is_found_line_by_line_and_a_question_is_not() {
        let s = Shingles::of([ANSWER]);
        let text = "Thanks, that's really clear!\nFPT protects one day a week (or 20% time \
                    equivalent) for non-clinical\nprofessional development in one of four \
                    pathways: clinical informatics, medical education,";
        let (own, pasted) = s.split(text).expect("pasted lines found");
        assert_eq!(own, "Thanks, that's really clear!");
        assert!(pasted.contains("professional development"));
        for question in [
            "Does the one day a week for professional development include nights on call?",
            "Which of the four pathways would suit someone with an MSc in informatics?",
            "Thanks!",
            "FPT protects one day a week (or 20% time equivalent) for non-clinical professional development - does that include research?",
        ] {
            assert!(!s.is_pasted(question), "{question}");
            assert!(s.split(question).is_none(), "{question}");
        }
    }
}
