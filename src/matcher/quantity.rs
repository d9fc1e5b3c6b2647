//! Quantities a text states ("2 days", "one full day", "20%"), to tell when a question asks
//! about an amount its best entry states differently: "can I do 2 days a week instead of 1?"
//! against an entry saying "one day a week" shares every topic word with it, yet the entry's
//! answer is not what was asked (the same reasoning as a year the entry never mentions).
//!
//! A quantity is a number (digits, or a number word from one to twelve, or "half") and the
//! words that follow it: the next two tokens that are not stop words, stemmed ("two half days"
//! → 2 with {half, day}). Years (1900–2099) are left to [`super::years`].
//!
//! A count asked ("how many FPT posts …?") is told apart from what an entry counts the same
//! way ([`count_asked`], [`counts`], [`counts_other`]): an entry stating "a minimum of one
//! year" and asked "how many years does a post last?" shares every word of the question but
//! counts something else.

use std::ops::ControlFlow;

use crate::text::normalize::for_each_token;
use crate::text::Analyzer;

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

/// Whether a word is a number [`quantities`] reads (a text with none states no quantity).
pub(crate) fn is_number(word: &str) -> bool {
    value(word).is_some()
}

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
    // whether any word is a number, first, with nothing kept (most questions state none)
    let states_a_number = for_each_token(text, |w| match value(w) {
        Some(_) => ControlFlow::Break(()),
        None => ControlFlow::Continue(()),
    })
    .is_break();
    if !states_a_number {
        return Vec::new();
    }
    // the words, one after another in one string (no string per word)
    let mut joined = String::new();
    let mut ends: Vec<usize> = Vec::new();
    let _ = for_each_token(text, |w| {
        joined.push_str(w);
        ends.push(joined.len());
        ControlFlow::<()>::Continue(())
    });
    let words: Vec<&str> = ends
        .iter()
        .scan(0, |start, &end| {
            let w = joined.get(*start..end);
            *start = end;
            w
        })
        .collect();
    let mut out = Vec::new();
    // the stems of the (at most two) content words after position `at`, up to a number
    let units_after = |at: usize| -> Vec<String> {
        words
            .iter()
            .skip(at + 1)
            .take(2)
            .take_while(|u| value(u).is_none())
            .filter(|u| !analyzer.is_stop(u))
            .map(|u| analyzer.stem(u))
            .collect()
    };
    for (i, w) in words.iter().enumerate() {
        let Some(v) = value(w) else { continue };
        if written_for_to(&words, i) {
            continue;
        }
        let mut units = units_after(i);
        // "4 or 5 pathways", "2 to 3 days": the first number counts what the second does
        let range = words.get(i + 1).is_some_and(|j| matches!(*j, "or" | "to"))
            && words.get(i + 2).and_then(|n| value(n)).is_some();
        if units.is_empty() && range {
            units = units_after(i + 2);
        }
        if !units.is_empty() {
            out.push(Quantity { value: v, units });
        }
    }
    out
}

/// Words after which chat writes "2" for "to" ("whats the min time u have 2 commit to",
/// "how 2 apply", "need 2 know"): verbs and adjectives taking a to-infinitive, and question
/// words.
const BEFORE_TO: &[&str] = &[
    "have", "has", "had", "need", "needs", "want", "wants", "going", "got", "able", "used",
    "ought", "due", "like", "love", "hope", "hoping", "try", "trying", "plan", "planning", "how",
    "what", "where", "when", "who", "allowed", "supposed", "meant", "expected",
];

/// Whether the number at `i` of `words` is chat's "2" for "to": after a word of
/// [`BEFORE_TO`] and before a word that is no number and does not look like a plural noun
/// ("have 2 commit", not "have 2 questions" nor "have 2 days").
fn written_for_to(words: &[&str], i: usize) -> bool {
    words[i] == "2"
        && i.checked_sub(1)
            .and_then(|j| words.get(j))
            .is_some_and(|w| BEFORE_TO.contains(w))
        && words.get(i + 1).is_some_and(|n| {
            value(n).is_none()
                && n.chars().all(|c| c.is_alphabetic())
                && (!n.ends_with('s') || n.ends_with("ss"))
        })
}

/// A question that asks for one amount in place of another ("2 days instead of 1", "two half
/// days rather than one full day") names the entry's amount only to replace it: then every
/// asked amount must be one the entry states.
static REPLACES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:instead|rather\s+than|in\s+place\s+of|more\s+than|less\s+than|fewer\s+than)\b",
    )
    .expect("replaces regex is valid")
});

/// Whether a question stating `asked` asks an amount that an entry stating `known` gives
/// differently: some asked quantity counts a word the entry also counts, and the entry never
/// states the asked number of it.
///
/// A question offering alternatives ("is it 1 day a week or half a day?", "are there 4 or 5
/// pathways?") does not contradict an entry that states one of them: for each counted word,
/// one asked number the entry states is enough.
///
/// `question` is the question's text (for `REPLACES`); `asked` its quantities, `known` the
/// entry's.
pub fn contradicts(question: &str, asked: &[Quantity], known: &[Quantity]) -> bool {
    // nothing asked, nothing contradicted: the question is not scanned (this runs for every
    // candidate)
    if asked.is_empty() || known.is_empty() {
        return false;
    }
    let replaces = REPLACES.is_match(question);
    let counted = |unit: &String| -> Vec<f32> {
        known
            .iter()
            .filter(|k| k.units.contains(unit))
            .map(|k| k.value)
            .collect()
    };
    asked.iter().any(|a| {
        a.units.iter().any(|unit| {
            let stated = counted(unit);
            !stated.is_empty()
                && if replaces {
                    !stated.contains(&a.value)
                } else {
                    !asked
                        .iter()
                        .filter(|b| b.units.contains(unit))
                        .any(|b| stated.contains(&b.value))
                }
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

/// "how many", "the number of", a leading "number of": a count asked for, whose next words
/// name what is counted ("how many FPT posts", "the number of places").
static COUNT_ASKED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\bhow\s+many\b|\b(?:the|what|total|exact|rough)\s+(?:total\s+)?number\s+of\b|^\W*(?:number|no\.)\s+of\b",
    )
    .expect("count-asked regex is valid")
});

/// Measures of time: a count of one ("how many hours a week?") is answered by an entry
/// stating another ("one day a week").
const TIME_UNITS: [&str; 8] = [
    "minut", "hour", "session", "day", "week", "month", "year", "term",
];

/// The stems of the (at most two) words after each count asked in `text` ("how many FPT
/// posts" → fpt, post; "how many capabilities make up" → capabl, make), analysed as the
/// index analyses them, stop words and numbers left out, each with whether the base knows
/// the word.
fn counted_words(analyzer: &Analyzer, text: &str) -> Vec<(String, bool)> {
    counted_words_with(analyzer, text, |window| analyzer.analyze(window, true))
}

/// [`counted_words`], each window of words analysed by `analyse` (which must give
/// `analyzer.analyze(window, true)`: through a triage's word memo, say).
fn counted_words_with(
    analyzer: &Analyzer,
    text: &str,
    analyse: impl Fn(&str) -> Vec<crate::text::Token>,
) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for m in COUNT_ASKED.find_iter(text) {
        // the words counted follow at once, in the same clause ("how many, and how is it
        // evidenced?" names nothing counted)
        let rest = text.get(m.end()..).unwrap_or_default();
        let rest = rest
            .split([',', ';', ':', '.', '?', '!', '(', ')', '–', '—'])
            .next()
            .unwrap_or_default();
        let mut window = String::new();
        let mut seen = 0;
        let _ = for_each_token(rest, |w| {
            seen += 1;
            window.push_str(w);
            window.push(' ');
            if seen >= 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        // analysed as the index analyses words: typos corrected, synonyms rewritten
        // ("competencies" counts what "capabilities" does)
        out.extend(
            analyse(&window)
                .into_iter()
                .filter(|t| !t.stop && value(&t.surface).is_none())
                .map(|t| {
                    let known = analyzer.knows(&t.surface);
                    (t.stem.to_string(), known)
                }),
        );
    }
    out
}

/// What an entry counts: the units of the quantities it states ("one day a week" → day) and
/// the words after each count its phrasings ask ("how many years does a post last?" →
/// year), as stems. `text` is the entry's title, answer and phrasings; `stated` its
/// [`quantities`]. Sorted, each once.
pub fn counts(analyzer: &Analyzer, text: &str, stated: &[Quantity]) -> Vec<String> {
    let mut out: Vec<String> = stated.iter().flat_map(|q| q.units.clone()).collect();
    out.extend(counted_words(analyzer, text).into_iter().map(|(s, _)| s));
    out.sort_unstable();
    out.dedup();
    out
}

/// The words after a count `question` asks ("how many FPT posts are there in cardiology?" →
/// fpt, post), as stems, when the base knows every one of them (an unknown or misspelt word
/// is left to the unknown-word signal). Empty when no count is asked.
pub fn count_asked(analyzer: &Analyzer, question: &str) -> Vec<String> {
    count_asked_with(analyzer, question, |window| analyzer.analyze(window, true))
}

/// [`count_asked`], the words after a count analysed by `analyse` (which must give
/// `analyzer.analyze(window, true)`: through a triage's word memo, say).
pub fn count_asked_with(
    analyzer: &Analyzer,
    question: &str,
    analyse: impl Fn(&str) -> Vec<crate::text::Token>,
) -> Vec<String> {
    if !question.contains(['m', 'M', 'n', 'N']) {
        return Vec::new();
    }
    let words = counted_words_with(analyzer, question, analyse);
    if words.iter().all(|(_, known)| *known) {
        words.into_iter().map(|(s, _)| s).collect()
    } else {
        Vec::new()
    }
}

/// Whether an entry that counts `counts` (see [`counts`]) cannot answer a question counting
/// `asked` (see [`count_asked`]): it counts none of the asked words, and its answer speaks
/// of none of them (`speaks_of`, which leaves out words most answers use). "How many FPT
/// posts?" against an entry stating "a minimum of one year on your pathway" and asked "how
/// many years does a post last?" is one; "how many learning outcomes?" against an entry
/// speaking of "outcome descriptors" is not. Measures of time stand for one another.
/// Nothing asked: false. `counts` is sorted.
pub fn counts_other(asked: &[String], counts: &[String], speaks_of: impl Fn(&str) -> bool) -> bool {
    let time = |s: &str| TIME_UNITS.contains(&s);
    !asked.is_empty()
        && !asked.iter().any(|a| {
            counts.binary_search(a).is_ok()
                || (time(a) && counts.iter().any(|c| time(c)))
                || speaks_of(a)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<Quantity> {
        quantities(&Analyzer::default(), text)
    }

    /// Whether the question `text` contradicts the entry's quantities.
    fn c(text: &str, entry: &[Quantity]) -> bool {
        contradicts(text, &q(text), entry)
    }

    #[test]
    fn a_different_count_of_the_same_thing_contradicts() {
        let entry = q("FPT protects one day a week, or the equivalent of 20% of your time.");
        assert!(c("can i do 2 days a week fpt instead of 1?", &entry));
        assert!(c(
            "split the time into two half days rather than one full day?",
            &entry
        ));
        assert!(c("is it 30% of my time?", &entry));
    }

    #[test]
    fn a_part_of_a_known_whole_is_told_apart_from_the_whole() {
        assert!(asks_part_of_whole(
            "how many of the 6 capabilities do i need signed off before my ARCP"
        ));
        assert!(asks_part_of_whole(
            "how many of the four pathways can I do at once?"
        ));
        assert!(!asks_part_of_whole("How much of my week is protected?"));
        assert!(!asks_part_of_whole("how many capabilities are there?"));
        assert!(!asks_part_of_whole("how much of a commitment is it"));
    }

    #[test]
    fn alternatives_that_include_the_entry_s_amount_do_not_contradict_it() {
        let entry = q("FPT protects one day a week. There are four pathways.");
        assert!(!c("is it 1 day a wk or half a day?", &entry));
        assert!(!c("are there 4 or 5 pathways?", &entry));
        assert!(c("are there 5 or 6 pathways?", &entry));
    }

    #[test]
    fn the_same_count_or_an_uncounted_thing_does_not() {
        let entry = q("You will spend a minimum of one year on your pathway.");
        assert!(!c("is it 1 yr min time on fpt?", &entry));
        assert!(!c(
            "Two things I could not work out: how long is it?",
            &entry
        ));
        assert!(!c("how many years is it?", &entry));
        assert!(!c("I am applying in 2026 for one year", &entry));
    }

    #[test]
    fn chat_s_2_for_to_is_no_amount() {
        let entry = q("You will spend a minimum of one year on your pathway.");
        assert!(q("whats the min time u have 2 commit to once ur on fpt").is_empty());
        assert!(!c("how 2 apply for fpt and how long is it?", &entry));
        // a count after the same words is still one
        assert!(!q("do I have 2 years on it?").is_empty());
        assert!(!q("we have 2 registrars on fpt").is_empty());
    }

    #[test]
    fn a_count_of_something_the_entry_neither_counts_nor_speaks_of_is_another_question() {
        let mut a = Analyzer::default();
        let duration = "You will spend a minimum of one year on your pathway, with the option \
                        to continue for the rest of your higher specialty training.";
        let phrasings = "how many years does a portfolio post last";
        a.learn(&format!(
            "{duration} {phrasings} FPT fpt posts cardiology trainees"
        ));
        let stated = quantities(&a, duration);
        let counts = counts(&a, &format!("{duration}\n{phrasings}"), &stated);
        let spoken: Vec<String> = a
            .analyze(duration, false)
            .into_iter()
            .filter(|t| !t.stop)
            .map(|t| t.stem.to_string())
            .collect();
        let other = |q: &str| {
            counts_other(&count_asked(&a, q), &counts, |w| {
                spoken.iter().any(|s| s == w)
            })
        };
        assert!(other(
            "how many FPT posts are there in cardiology this year?"
        ));
        assert!(other("how many trainees are on it?"));
        // what the entry counts, a measure of time, or a word its answer speaks of
        assert!(!other("how many years does it last?"));
        assert!(!other("how many months is the minimum?"));
        assert!(!other("how many pathways could I do?"));
        // nothing counted in the same clause, or an unknown word: nothing to judge
        assert!(!other("how many, and how is progress evidenced?"));
        assert!(!other("how many widgets?"));
        assert!(!other("what is FPT?"));
    }
}
