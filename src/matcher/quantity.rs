//! Quantities a text states ("2 days", "one full day", "20%"), to tell when a question asks
//! about an amount its best entry states differently: "can I do 2 days a week instead of 1?"
//! against an entry saying "one day a week" shares every topic word with it, yet the entry's
//! answer is not what was asked (the same reasoning as a year the entry never mentions).
//!
//! A quantity is a number (digits, or a number word from one to twelve, or "half") and the
//! words that follow it: the next two tokens that are not stop words, stemmed ("two half days"
//! → 2 with {half, day}). Years (1900–2099) are left to [`super::years`].

use crate::text::{tokenize, Analyzer};

/// A number and the stems of the (at most two) content words right after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The value; one half is stored as 0.5.
    pub value: f32,
    /// Stems of the words the number counts (one or two).
    pub units: Vec<String>,
}

/// Number words read as values.
const NUMBER_WORDS: [(&str, f32); 14] = [
    ("half", 0.5),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("single", 1.0),
];

fn value(word: &str) -> Option<f32> {
    if word.bytes().all(|b| b.is_ascii_digit()) && word.len() <= 4 {
        let n: u16 = word.parse().ok()?;
        return (!(1900..=2099).contains(&n)).then_some(f32::from(n));
    }
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, v)| *v)
}

/// The quantities `text` states, with units stemmed by `analyzer` (stop words skipped).
pub fn quantities(analyzer: &Analyzer, text: &str) -> Vec<Quantity> {
    let words = tokenize(text);
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(v) = value(w) else { continue };
        let units: Vec<String> = words
            .iter()
            .skip(i + 1)
            .take(2)
            .take_while(|u| value(u).is_none())
            .filter(|u| !analyzer.is_stop(u))
            .map(|u| analyzer.stem(u))
            .collect();
        if !units.is_empty() {
            out.push(Quantity { value: v, units });
        }
    }
    out
}

/// Whether a question stating `asked` asks an amount that an entry stating `known` gives
/// differently: some asked quantity counts a word the entry also counts, and the entry never
/// states the asked number of it.
pub fn contradicts(asked: &[Quantity], known: &[Quantity]) -> bool {
    asked.iter().any(|a| {
        a.units.iter().any(|unit| {
            let counted: Vec<f32> = known
                .iter()
                .filter(|k| k.units.contains(unit))
                .map(|k| k.value)
                .collect();
            !counted.is_empty() && !counted.contains(&a.value)
        })
    })
}

/// "how many of the six …": a count within a whole the asker already knows. ("How much of my
/// week …" is not one: it asks a share, which an entry stating the amount does answer.)
static PART_OF_WHOLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\bhow\s+many\s+of\s+(?:the|my|our|your|these|those|all|each)\b")
        .expect("part-of-whole regex is valid")
});

/// Whether `question` asks how many of a whole the asker already knows ("how
/// many of the 6 capabilities do I need signed off before my ARCP?"): the entry that states
/// the whole ("six capabilities") shares its words but rarely breaks it down.
pub fn asks_part_of_whole(question: &str) -> bool {
    PART_OF_WHOLE.is_match(question)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<Quantity> {
        quantities(&Analyzer::default(), text)
    }

    #[test]
    fn a_different_count_of_the_same_thing_contradicts() {
        let entry = q("FPT protects one day a week, or the equivalent of 20% of your time.");
        assert!(contradicts(
            &q("can i do 2 days a week fpt instead of 1?"),
            &entry
        ));
        assert!(contradicts(
            &q("split the time into two half days rather than one full day?"),
            &entry
        ));
        assert!(contradicts(&q("is it 30% of my time?"), &entry));
    }

    #[test]
    fn a_part_of_a_known_whole_is_told_apart_from_the_whole() {
        assert!(asks_part_of_whole(
            "how many of the 6 capabilities do i need signed off before my ARCP"
        ));
        assert!(asks_part_of_whole("how many of the four pathways can I do at once?"));
        assert!(!asks_part_of_whole("How much of my week is protected?"));
        assert!(!asks_part_of_whole("how many capabilities are there?"));
        assert!(!asks_part_of_whole("how much of a commitment is it"));
    }

    #[test]
    fn the_same_count_or_an_uncounted_thing_does_not() {
        let entry = q("You will spend a minimum of one year on your pathway.");
        assert!(!contradicts(&q("is it 1 yr min time on fpt?"), &entry));
        assert!(!contradicts(
            &q("Two things I could not work out: how long is it?"),
            &entry
        ));
        assert!(!contradicts(&q("how many years is it?"), &entry));
        assert!(!contradicts(
            &q("I am applying in 2026 for one year"),
            &entry
        ));
    }
}
