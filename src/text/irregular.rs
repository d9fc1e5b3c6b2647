//! Irregular verb forms read as their base form before stemming ("taken over" is "take
//! over", "chose" is "choose"). Snowball's English stemmer (Porter's rules) only removes
//! regular endings, so "took", "taken" and "taking" would be three stems; a lemmatiser takes
//! such forms from an exception list instead (WordNet's `morphy` does, from its `verb.exc`).
//! This is a short list of that kind: the past tense and past participle of common English
//! verbs, leaving out forms that are also everyday nouns or adjectives in enquiries ("left",
//! "found", "saw", "lay", "bore", "felt", "wound") and forms already stop words ("got",
//! "did", "was").

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// Irregular form (folded) → base form.
#[rustfmt::skip]
const IRREGULAR: &[(&str, &str)] = &[
    ("taken", "take"), ("took", "take"), ("undertaken", "undertake"), ("undertook", "undertake"),
    ("overtaken", "overtake"), ("overtook", "overtake"), ("given", "give"), ("gave", "give"),
    ("gone", "go"), ("went", "go"), ("gotten", "get"), ("began", "begin"), ("begun", "begin"),
    ("chosen", "choose"), ("chose", "choose"), ("written", "write"), ("wrote", "write"),
    ("known", "know"), ("knew", "know"), ("made", "make"), ("paid", "pay"), ("sent", "send"),
    ("told", "tell"), ("thought", "think"), ("brought", "bring"), ("bought", "buy"),
    ("kept", "keep"), ("held", "hold"), ("spent", "spend"), ("met", "meet"), ("ran", "run"),
    ("won", "win"), ("taught", "teach"), ("caught", "catch"), ("sought", "seek"),
    ("understood", "understand"), ("drawn", "draw"), ("drew", "draw"), ("grown", "grow"),
    ("grew", "grow"), ("shown", "show"), ("seen", "see"), ("forgot", "forget"),
    ("forgotten", "forget"), ("withdrew", "withdraw"), ("withdrawn", "withdraw"),
    ("became", "become"), ("came", "come"), ("driven", "drive"), ("drove", "drive"),
    ("fallen", "fall"), ("stood", "stand"), ("spoke", "speak"), ("spoken", "speak"),
    ("broke", "break"), ("broken", "break"), ("built", "build"), ("learnt", "learn"),
    ("dealt", "deal"), ("meant", "mean"), ("sold", "sell"), ("lost", "lose"), ("led", "lead"),
    ("ridden", "ride"), ("rode", "ride"), ("sat", "sit"), ("slept", "sleep"), ("spun", "spin"),
    ("threw", "throw"), ("thrown", "throw"), ("woke", "wake"),
    ("woken", "wake"), ("wore", "wear"), ("worn", "wear"), ("hid", "hide"), ("hidden", "hide"),
    ("froze", "freeze"), ("frozen", "freeze"), ("flew", "fly"), ("flown", "fly"),
    ("forbade", "forbid"), ("forbidden", "forbid"), ("rewritten", "rewrite"),
    ("rewrote", "rewrite"), ("mistaken", "mistake"), ("mistook", "mistake"),
];

/// [`IRREGULAR`] keyed by the irregular form.
static BY_FORM: LazyLock<FxHashMap<&'static str, &'static str>> =
    LazyLock::new(|| IRREGULAR.iter().copied().collect());

/// The base form of an irregular verb form (`word` folded: lower case), if it is one.
pub fn base_form(word: &str) -> Option<&'static str> {
    BY_FORM.get(word).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irregular_forms_give_their_base_and_other_words_none() {
        assert_eq!(base_form("taken"), Some("take"));
        assert_eq!(base_form("chose"), Some("choose"));
        assert_eq!(base_form("left"), None);
        assert_eq!(base_form("taking"), None);
        for (form, base) in IRREGULAR {
            assert_ne!(form, base);
            assert!(form.chars().all(|c| c.is_ascii_lowercase()), "{form}");
        }
    }
}
