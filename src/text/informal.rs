//! Informal spellings of chat and quick email ("wot r the pathways", "hw many days a wk"),
//! rewritten to the standard words before anything else reads the text, so that both the
//! lexical side and the embedding model see "what are the pathways".
//!
//! This is lexical normalisation of short messages (Han & Baldwin, "Lexical normalisation of
//! short text messages", ACL 2011): a fixed dictionary of one-to-one (or one-to-few)
//! replacements for unambiguous informal forms. Only forms that cannot be an ordinary English
//! word, a name or a medical abbreviation in FPT enquiries are listed ("n", "sup", "reg" and
//! "ed" are not: they may be an initial, a supervisor, a regulation or education).

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// Informal form (folded, as [`super::tokenize`] yields it) → the standard words.
#[rustfmt::skip]
const INFORMAL: &[(&str, &[&str])] = &[
    ("abt", &["about"]), ("pov", &["point", "of", "view"]), ("addy", &["address"]), ("b4", &["before"]), ("bc", &["because"]),
    ("becoz", &["because"]), ("bcoz", &["because"]), ("coz", &["because"]), ("cos", &["because"]),
    ("cuz", &["because"]), ("dunno", &["do", "not", "know"]), ("gonna", &["going", "to"]),
    ("gotta", &["have", "to"]), ("hw", &["how"]), ("idk", &["i", "do", "not", "know"]),
    ("lemme", &["let", "me"]), ("msg", &["message"]), ("nah", &["no"]), ("nope", &["no"]),
    ("pls", &["please"]), ("plz", &["please"]), ("ppl", &["people"]), ("r", &["are"]),
    ("some1", &["someone"]), ("any1", &["anyone"]), ("tbh", &["to", "be", "honest"]),
    ("thx", &["thanks"]), ("thnx", &["thanks"]), ("u", &["you"]),
    ("ur", &["your"]), ("wanna", &["want", "to"]), ("wat", &["what"]), ("wats", &["whats"]),
    ("wk", &["week"]), ("wks", &["weeks"]), ("wot", &["what"]), ("wots", &["whats"]),
    ("wut", &["what"]), ("yeah", &["yes"]), ("yep", &["yes"]), ("yr", &["year"]),
    ("yrs", &["years"]), ("2day", &["today"]), ("2moro", &["tomorrow"]), ("cya", &["see", "you"]), ("gr8", &["great"]),
    ("hrs", &["hours"]), ("mins", &["minutes"]), ("til", &["until"]), ("esp", &["especially"]),
    ("approx", &["approximately"]), ("prev", &["previous"]),
    ("obv", &["obviously"]), ("ofc", &["of", "course"]), ("defo", &["definitely"]),
    ("mtg", &["meeting"]), ("tmrw", &["tomorrow"]), ("tmr", &["tomorrow"]), ("tomoz", &["tomorrow"]),
    ("appt", &["appointment"]), ("dept", &["department"]), ("qs", &["questions"]),
    ("howd", &["how", "would"]), ("whos", &["who", "is"]), ("hows", &["how", "is"]),
    ("wheres", &["where", "is"]), ("whens", &["when", "is"]), ("whys", &["why", "is"]),
    ("atm", &["at", "the", "moment"]), ("diff", &["different"]),
    ("smth", &["something"]), ("bcos", &["because"]),
    ("mtgs", &["meetings"]), ("appts", &["appointments"]), ("depts", &["departments"]),
    ("mths", &["months"]), ("wkly", &["weekly"]), ("thru", &["through"]), ("tho", &["though"]),
    ("govt", &["government"]), ("exp", &["experience"]),
    // vowels dropped in a hurry: "hw mny days", "wht r the pathways", "wen does it start"
    ("mny", &["many"]), ("wht", &["what"]), ("wen", &["when"]), ("hv", &["have"]),
    ("hav", &["have"]), ("evry", &["every"]), ("wud", &["would"]), ("wld", &["would"]),
    ("cud", &["could"]), ("cld", &["could"]), ("shud", &["should"]), ("shld", &["should"]),
    ("frm", &["from"]), ("lng", &["long"]), ("nxt", &["next"]), ("dys", &["days"]),
    ("ther", &["there"]), ("thier", &["their"]),
    // letters swapped in a hurry in words that cannot be anything else
    ("teh", &["the"]), ("hte", &["the"]), ("adn", &["and"]), ("taht", &["that"]),
    // numbers for sounds: "does every1 get a day", "can ne1 tell me", "sum1 said"
    ("every1", &["everyone"]), ("ne1", &["anyone"]), ("sum1", &["someone"]),
];

/// [`INFORMAL`] keyed by the informal form (the first listing of a form wins, as in a scan
/// of the list): every word of every text is looked up, so a hash lookup instead of a scan.
static BY_FORM: LazyLock<FxHashMap<&'static str, &'static [&'static str]>> = LazyLock::new(|| {
    let mut map = FxHashMap::default();
    for &(informal, standard) in INFORMAL {
        map.entry(informal).or_insert(standard);
    }
    map
});

/// The longest informal form, in bytes: a longer word (most words) is none, without a hash.
const LONGEST_FORM: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < INFORMAL.len() {
        if INFORMAL[i].0.len() > longest {
            longest = INFORMAL[i].0.len();
        }
        i += 1;
    }
    longest
};

/// Numerals one to twelve as the words the knowledge base writes them in ("what are the 4
/// pathways" asks what "the four pathways" answers; "1 day a week" is "one day a week"). Larger
/// numbers are left as digits: the base writes percentages and years that way. "2" and "4"
/// only before what they count ([`numeral_before`]).
const NUMERALS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

/// The standard words for an informal form, if `word` (folded) is one; a numeral from 1 to 12
/// ([`NUMERALS`]) as its word.
pub fn expand(word: &str) -> Option<&'static [&'static str]> {
    if let Some(numeral) = numeral(word) {
        return Some(numeral);
    }
    if word.len() > LONGEST_FORM {
        return None;
    }
    BY_FORM.get(word).copied()
}

/// Whether `word` (folded) is a number word from one to twelve ([`NUMERALS`]): a real word
/// wherever the base lacks it, never a typo ("3 months" is "three months", not "there").
pub fn is_number_word(word: &str) -> bool {
    NUMERALS.contains(&word)
}

/// The word for a numeral from 1 to 12 written in digits ("5", "12"; not "04" nor "13"),
/// except chat's "2" for "to" and "4" for "for" ("how 2 apply", "a doc 4 QI"), which only
/// [`numeral_before`] reads as numbers.
fn numeral(word: &str) -> Option<&'static [&'static str]> {
    let n = match word.as_bytes() {
        [b'2' | b'4'] => return None,
        [d @ b'1'..=b'9'] => usize::from(d - b'0'),
        [b'1', d @ b'0'..=b'2'] => 10 + usize::from(d - b'0'),
        _ => return None,
    };
    NUMERALS.get(n - 1).map(std::slice::from_ref)
}

/// "2" or "4" (folded) as the number word when the word after it (`next`, folded) is one a
/// number counts: a plural noun ("4 pathways", "2 days"; not "2 commit", "4 the", "2 class")
/// or "half" ("2 half days"); as chat's "to" or "for" before a word no number counts
/// ([`AFTER_TO_OR_FOR`]: "is there a form 4 my ES meeting?", "who do i talk 2 about fpt", "how
/// 2 apply"). Otherwise the digit is kept.
pub fn numeral_before(word: &str, next: &str) -> Option<&'static str> {
    let (number, preposition) = match word {
        "2" => ("two", "to"),
        "4" => ("four", "for"),
        _ => return None,
    };
    let counted = next == "half"
        || (next.len() >= 3
            && next.bytes().all(|b| b.is_ascii_lowercase())
            && next.ends_with('s')
            && !next.ends_with("ss"));
    if counted {
        Some(number)
    } else {
        AFTER_TO_OR_FOR.contains(&next).then_some(preposition)
    }
}

/// Words after which chat's "2" and "4" are "to" and "for", never a number: pronouns,
/// determiners, prepositions and the verbs an enquiry puts after "to" ("how 2 apply").
const AFTER_TO_OR_FOR: &[&str] = &[
    "my", "me", "the", "a", "an", "u", "you", "ur", "your", "us", "him", "her", "them", "it",
    "this", "that", "about", "with", "do", "be", "get", "apply", "ask", "talk", "speak", "go",
    "see", "know", "find", "start", "join", "use", "sign", "commit", "contact", "email",
    "everyone", "all",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn informal_forms_expand_and_words_do_not() {
        assert_eq!(expand("wot"), Some(&["what"][..]));
        assert_eq!(expand("tbh"), Some(&["to", "be", "honest"][..]));
        assert_eq!(expand("atm"), Some(&["at", "the", "moment"][..]));
        assert_eq!(expand("what"), None);
        assert_eq!(expand("reg"), None);
        assert_eq!(expand("wheres"), Some(&["where", "is"][..]));
        assert_eq!(expand("whereabouts"), None);
        assert_eq!(expand("ther"), Some(&["there"][..]));
        // numerals the base writes as words
        assert_eq!(expand("5"), Some(&["five"][..]));
        assert_eq!(expand("1"), Some(&["one"][..]));
        assert_eq!(expand("12"), Some(&["twelve"][..]));
        for other in ["0", "04", "13", "20", "2023", "st4", "2", "4"] {
            assert_eq!(expand(other), None, "{other}");
        }
        // chat's "2" and "4" are numbers only before what they count
        assert_eq!(numeral_before("4", "pathways"), Some("four"));
        assert_eq!(numeral_before("2", "half"), Some("two"));
        assert_eq!(numeral_before("2", "commit"), Some("to"));
        assert_eq!(numeral_before("4", "the"), Some("for"));
        assert_eq!(numeral_before("4", "my"), Some("for"));
        assert_eq!(numeral_before("2", "about"), Some("to"));
        assert_eq!(numeral_before("2", "year"), None);
        assert_eq!(numeral_before("2", "class"), None);
        assert_eq!(numeral_before("5", "days"), None);
        assert!(is_number_word("three") && !is_number_word("there"));
        // every form expands as a scan of the list finds it first
        for (informal, _) in INFORMAL {
            let first = INFORMAL
                .iter()
                .find(|(w, _)| w == informal)
                .map(|(_, s)| *s);
            assert_eq!(expand(informal), first, "{informal}");
        }
    }
}
