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
    ("mtg", &["meeting"]), ("tmrw", &["tomorrow"]), ("tmr", &["tomorrow"]), ("tomoz", &["tomorrow"]),
    ("appt", &["appointment"]), ("dept", &["department"]), ("qs", &["questions"]),
    ("howd", &["how", "would"]), ("whos", &["who", "is"]), ("hows", &["how", "is"]),
    ("wheres", &["where", "is"]), ("whens", &["when", "is"]), ("whys", &["why", "is"]),
    ("atm", &["at", "the", "moment"]), ("diff", &["different"]),
    ("smth", &["something"]), ("bcos", &["because"]),
    ("mtgs", &["meetings"]), ("appts", &["appointments"]), ("depts", &["departments"]),
    ("mths", &["months"]), ("wkly", &["weekly"]), ("thru", &["through"]), ("tho", &["though"]),
    ("govt", &["government"]),
    // vowels dropped in a hurry: "hw mny days", "wht r the pathways", "wen does it start"
    ("mny", &["many"]), ("wht", &["what"]), ("wen", &["when"]), ("hv", &["have"]),
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

/// The standard words for an informal form, if `word` (folded) is one.
pub fn expand(word: &str) -> Option<&'static [&'static str]> {
    if word.len() > LONGEST_FORM {
        return None;
    }
    BY_FORM.get(word).copied()
}

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
