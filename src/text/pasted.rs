//! Our own answer pasted back into a message with no quote marks and no attribution line
//! ("Thanks, that's clear!" over the text of our reply, copied from a phone or a web client
//! that quotes nothing): found by w-shingling (Broder, "On the resemblance and containment
//! of documents", 1997), the share of a line's runs of [`SHINGLE_WORDS`] words that also
//! occur in some answer of the knowledge base. A sender's own question shares a phrase or
//! two with an answer, never most of a line.

use super::SplitWords;
use rustc_hash::{FxHashMap, FxHashSet};

/// Words in a shingle: long enough that a run of them is a phrase of the answer, short
/// enough that a line wrapped by a mail client (ten or twelve words) still has several.
pub const SHINGLE_WORDS: usize = 4;

/// Fewest words on a line judged: a shorter line ("Thanks!", "FPT pathways") has too few
/// shingles to say anything.
pub const MIN_LINE_WORDS: usize = 8;

/// Share of a line's shingles found in the answers at which the line is taken as pasted.
pub const PASTED_SHARE: f32 = 0.6;

/// The number of a word no answer has: no shingle of the answers holds it.
const UNSEEN: u32 = u32::MAX;

/// Shingles of a set of answer texts: each distinct word of the answers numbered, and each
/// run of [`SHINGLE_WORDS`] words kept as its words' numbers (exact: no hash stands for a
/// run, so no two runs are ever taken for one another).
#[derive(Debug, Default)]
pub struct Shingles {
    /// Every lower-cased word of the answers, numbered in order of first sight.
    words: FxHashMap<String, u32>,
    /// The answers' runs of words, as their numbers.
    runs: FxHashSet<[u32; SHINGLE_WORDS]>,
}

/// Whether `text` has a line long enough to be judged ([`MIN_LINE_WORDS`]): the cheap test
/// before the answers' shingles are built or looked up.
pub fn may_hold_pasted(text: &str) -> bool {
    text.lines()
        .any(|l| l.split_words().nth(MIN_LINE_WORDS - 1).is_some())
}

/// The words of `text`, letters and digits only ("20%" → "20"), not yet lower-cased.
fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    // ASCII text split byte by byte (on ASCII, `char::is_alphanumeric` is
    // `u8::is_ascii_alphanumeric`), other text character by character
    let ascii = text.is_ascii();
    let bytes = ascii.then(|| ascii_words(text));
    let chars = (!ascii).then(|| {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    });
    bytes
        .into_iter()
        .flatten()
        .chain(chars.into_iter().flatten())
}

/// The runs of ASCII letters and digits of ASCII `text`, as slices of it: found by byte
/// position, so no run is checked again as UTF-8 (every byte of ASCII text is a character
/// boundary).
fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < b.len() && !b[at].is_ascii_alphanumeric() {
            at += 1;
        }
        let start = at;
        while at < b.len() && b[at].is_ascii_alphanumeric() {
            at += 1;
        }
        // (a boundary on ASCII text, so never the empty default)
        (start < at).then(|| text.get(start..at).unwrap_or_default())
    })
}

/// `word` lower-cased into `buf` (ASCII copied byte by byte; else [`str::to_lowercase`]).
fn lower_into<'b>(word: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if word.is_ascii() {
        buf.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        buf.push_str(&word.to_lowercase());
    }
    buf
}

/// A window of [`SHINGLE_WORDS`] word numbers as a run, unless a word is [`UNSEEN`].
fn run(window: &[u32]) -> Option<[u32; SHINGLE_WORDS]> {
    let run: [u32; SHINGLE_WORDS] = window.try_into().ok()?;
    (!run.contains(&UNSEEN)).then_some(run)
}

impl Shingles {
    /// The shingles of every text in `answers`.
    pub fn of<'a>(answers: impl IntoIterator<Item = &'a str>) -> Self {
        let mut shingles = Shingles::default();
        let mut buf = String::new();
        let mut ids = Vec::new();
        for answer in answers {
            ids.clear();
            for w in raw_words(answer) {
                let w = lower_into(w, &mut buf);
                let next = u32::try_from(shingles.words.len()).unwrap_or(UNSEEN - 1);
                let id = match shingles.words.get(w) {
                    Some(&id) => id,
                    None => {
                        shingles.words.insert(w.to_string(), next);
                        next
                    }
                };
                ids.push(id);
            }
            shingles
                .runs
                .extend(ids.windows(SHINGLE_WORDS).filter_map(run));
        }
        shingles
    }

    /// Whether `line` is pasted from the answers: no question mark, at least
    /// [`MIN_LINE_WORDS`] words and [`PASTED_SHARE`] of its shingles found.
    pub fn is_pasted(&self, line: &str) -> bool {
        // a line that asks is the sender's, whatever it quotes
        if line.contains('?') {
            return false;
        }
        let words = raw_words(line).count();
        if words < MIN_LINE_WORDS {
            return false;
        }
        // the line's shingles, and the share of them that must be found
        let all = words - (SHINGLE_WORDS - 1);
        let needed = PASTED_SHARE * all as f32;
        let mut buf = String::new();
        let mut window = [UNSEEN; SHINGLE_WORDS];
        let (mut found, mut judged) = (0usize, 0usize);
        for (k, w) in raw_words(line).enumerate() {
            let lower = if w
                .bytes()
                .any(|b| !b.is_ascii_lowercase() && !b.is_ascii_digit())
            {
                lower_into(w, &mut buf)
            } else {
                w
            };
            window.rotate_left(1);
            window[SHINGLE_WORDS - 1] = self.words.get(lower).copied().unwrap_or(UNSEEN);
            if k + 1 < SHINGLE_WORDS {
                continue;
            }
            judged += 1;
            found += usize::from(run(&window).is_some_and(|r| self.runs.contains(&r)));
            // stop once even finding every shingle left could not reach the share (`as f32`
            // never decreases, so the answer at the end would be the same)
            if ((found + (all - judged)) as f32) < needed {
                return false;
            }
        }
        found as f32 >= needed
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

    /// `raw_words` reads the words its first definition read (ASCII split as bytes, each run
    /// checked as UTF-8): on every body and subject of the enquiry sets, line by line and
    /// whole, and on 20,000 generated texts of words, digits, punctuation, "%", apostrophes,
    /// spaces, tabs and line breaks, and text beyond ASCII.
    #[test]
    fn words_are_read_as_first_written() {
        fn first(text: &str) -> Vec<&str> {
            if text.is_ascii() {
                text.as_bytes()
                    .split(|b| !b.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .filter_map(|w| std::str::from_utf8(w).ok())
                    .collect()
            } else {
                text.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect()
            }
        }
        let mut texts = Vec::new();
        for text in crate::text::labelled_texts(&["body", "subject"]) {
            texts.extend(text.lines().map(str::to_string));
            texts.push(text);
        }
        let pieces = [
            "FPT", "is", "20%", "of", "time", "GP's", "1", "22", " ", "  ", "\t", "\n", ",", ".",
            "-", "(", ")", "é", "Größe", "\u{A0}", "a", "Z9", "",
        ];
        let mut next = crate::text::xorshift(0x0035_a5c1);
        for _ in 0..20_000 {
            let len = next() % 12;
            let text: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
            texts.push(text);
        }
        for text in &texts {
            assert_eq!(raw_words(text).collect::<Vec<_>>(), first(text), "{text:?}");
        }
    }

    #[test]
    fn stopping_early_judges_every_line_as_counting_every_shingle_would() {
        let s = Shingles::of([ANSWER]);
        // the share of shingles found, counted to the end
        let counted = |line: &str| {
            let mut buf = String::new();
            let ids: Vec<u32> = raw_words(line)
                .map(|w| {
                    let w = lower_into(w, &mut buf);
                    s.words.get(w).copied().unwrap_or(UNSEEN)
                })
                .collect();
            let all = ids.windows(SHINGLE_WORDS).count();
            let found = ids
                .windows(SHINGLE_WORDS)
                .filter(|w| run(w).is_some_and(|r| s.runs.contains(&r)))
                .count();
            !line.contains('?')
                && ids.len() >= MIN_LINE_WORDS
                && all > 0
                && found as f32 >= PASTED_SHARE * all as f32
        };
        let words: Vec<&str> = ANSWER.split_words().collect();
        let mut lines = Vec::new();
        for start in 0..words.len() {
            for len in [8, 10, 13, 20] {
                let mut line: Vec<&str> = words.iter().skip(start).take(len).copied().collect();
                lines.push(line.join(" "));
                // a word of the sender's at either end or in the middle
                line.insert(line.len() / 2, "banana");
                lines.push(line.join(" "));
                line.insert(0, "Thanks");
                line.push("honestly");
                lines.push(line.join(" "));
            }
        }
        let mut pasted = 0;
        for line in &lines {
            assert_eq!(s.is_pasted(line), counted(line), "{line}");
            pasted += usize::from(counted(line));
        }
        assert!(pasted > 0 && pasted < lines.len());
    }

    #[test]
    fn words_are_split_alike_on_ascii_and_other_text() {
        for text in [
            "FPT protects one day a week (or 20% time-equivalent)!",
            "  a--b  c'd 3rd ",
            "café au lait, Zürich 2024",
            "",
        ] {
            let expected: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(raw_words(text).collect::<Vec<_>>(), expected, "{text}");
        }
    }

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
