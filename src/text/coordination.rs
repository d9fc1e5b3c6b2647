//! Two things asked for in one clause: "Where can I find the handbook and the trainee forms
//! for supervisor meetings?", "Pls send link to the handbook + the forms". The clause's
//! opening ("where can I find", "send link to") applies to each object, so each can be asked
//! on its own: "Where can I find the handbook?" and "Where can I find the trainee forms for
//! supervisor meetings?". Triage asks both readings and adds the entry a reading answers
//! confidently (`triage`); the question itself is matched as written.

use super::SplitWords;
use std::sync::LazyLock;

use regex::Regex;

/// A coordinator joining two noun phrases, each opened by a determiner: "and (also) the",
/// " + the", " & your", ", as well as the", "plus any".
static COORDINATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i),?\s+(?:and(?:\s+also|\s+separately)?|\+|&|as\s+well\s+as|plus)\s+(?P<det>the|a|an|any|your|our|my|some)\s+\w",
    )
    .expect("coordinator regex is valid")
});

/// Determiners that open the first object.
static DETERMINER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|a|an|any|your|our|my|some)\s+\w").expect("determiner regex is valid")
});

/// A word: a run of anything but white space.
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S+").expect("word regex is valid"));

/// Words from the first object's determiner to the coordinator, at most: a noun phrase, not
/// a clause ("is the FPT day a whole day and the rest clinical?" is no list of objects).
const MAX_OBJECT_WORDS: usize = 8;

/// Words the clause must have before its first object ("send link to", "where can I find"):
/// a bare "the handbook and the forms" asks nothing of either.
const MIN_OPENING_WORDS: usize = 2;

/// A question asking for two objects at once, read as two questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coordinated {
    /// The opening with the first object; the opening with the second and what follows it.
    pub readings: [String; 2],
    /// Each object's own words, from its determiner ("the handbook", "the trainee forms for
    /// supervisor meetings?"): an entry that answers a reading must match one of them.
    pub objects: [String; 2],
}

/// The two readings of a question asking for two objects at once: the opening with the first
/// object, and the opening with the second and what follows it. `None` unless the question
/// has exactly one such coordinator, an opening of at least [`MIN_OPENING_WORDS`] words, and
/// a first object of at most [`MAX_OBJECT_WORDS`] words opened by a determiner (the earliest
/// one in those words, so "the complete guide of the programme" is one object).
pub fn coordinated_objects(question: &str) -> Option<Coordinated> {
    let mut joints = COORDINATOR.captures_iter(question);
    let joint = joints.next()?;
    if joints.next().is_some() {
        return None;
    }
    let whole = joint.get(0)?;
    let second = joint.name("det")?.start();
    let before = &question[..whole.start()];
    // the earliest determiner within MAX_OBJECT_WORDS words of the coordinator
    let starts: Vec<usize> = WORD.find_iter(before).map(|w| w.start()).collect();
    let from = starts
        .get(starts.len().saturating_sub(MAX_OBJECT_WORDS))
        .copied()
        .unwrap_or(0);
    let first = DETERMINER.find(&before[from..])?.start() + from;
    if before[..first].split_words().count() < MIN_OPENING_WORDS
        || before[..first].contains(['?', '.', '!'])
    {
        return None;
    }
    let ends = if question.trim_end().ends_with('?') {
        "?"
    } else {
        ""
    };
    let one = format!("{}{ends}", before.trim_end());
    let two = format!("{}{}", &question[..first], &question[second..]);
    Some(Coordinated {
        readings: [one, two],
        objects: [
            before[first..].trim().to_string(),
            question[second..].trim().to_string(),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_object_is_asked_with_the_opening() {
        assert_eq!(
            coordinated_objects(
                "Where can I find the handbook and the trainee forms for supervisor meetings?"
            ),
            Some(Coordinated {
                readings: [
                    "Where can I find the handbook?".to_string(),
                    "Where can I find the trainee forms for supervisor meetings?".to_string()
                ],
                objects: [
                    "the handbook".to_string(),
                    "the trainee forms for supervisor meetings?".to_string()
                ]
            })
        );
        assert_eq!(
            coordinated_objects("Pls send link to the handbook + the forms for sup meetings.")
                .map(|c| c.readings),
            Some([
                "Pls send link to the handbook".to_string(),
                "Pls send link to the forms for sup meetings.".to_string()
            ])
        );
        // the earliest determiner opens the first object
        assert_eq!(
            coordinated_objects(
                "Where can I find the complete guide of the programme and also the forms the trainee should use?"
            )
            .map(|c| c.readings),
            Some([
                "Where can I find the complete guide of the programme?".to_string(),
                "Where can I find the forms the trainee should use?".to_string()
            ])
        );
    }

    #[test]
    fn no_two_objects_no_readings() {
        for q in [
            "what is FPT and how long is it?",
            "the handbook and the forms?",
            "is the research pathway harder than the others and the QI one easier?  and the rest?",
            "can I do research and QI?",
        ] {
            assert_eq!(coordinated_objects(q), None, "{q}");
        }
    }
}
