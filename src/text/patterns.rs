//! A list of regular expressions asked "which of these match?" about one text, in one pass
//! where that is safe to do fast.
//!
//! A [`RegexSet`] of the same patterns answers for all of them in one scan (its lazy DFA), a
//! few times faster than one scan per pattern on the short texts triage reads. On text with
//! characters beyond ASCII, though, a set whose patterns use Unicode word boundaries (`\b`)
//! falls back to a much slower engine (the lazy DFA gives up on them there), so such text is
//! asked pattern by pattern as before. Either way each answer is exactly `Regex::is_match` of
//! that pattern: only the cost differs.
//!
//! The lazy DFA needs a cache of a minimum size, which grows with the set's automaton (about
//! 18 bytes per NFA state; Unicode `\w` and bounded repeats of it make many states). Below it
//! the regex crate builds no lazy DFA at all and every set search runs the PikeVM, some 500
//! times slower: the answer kinds' set (`matcher::ask`) crossed the crate's default of 2 MB
//! when its eighteenth pattern came, and asking it took about 60% of a triage. The sets here
//! get [`SET_DFA_CACHE`] instead (an upper bound: the cache grows only as states are made).
//! Since the kinds' patterns match words with ASCII classes, not Unicode `\w`, their set fits
//! the default again; the larger bound keeps room for patterns to come.

use regex::{Regex, RegexSet, RegexSetBuilder};

/// The most memory a set's lazy DFA cache may take (the regex crate's `dfa_size_limit`; its
/// default is 2 MB). A test checks that the answer kinds' set, the largest, needs at most half
/// of it.
pub const SET_DFA_CACHE: usize = 8 << 20;

/// Patterns kept both one by one and as a set (same order, same syntax and flags).
#[derive(Debug)]
pub struct Patterns {
    each: Vec<Regex>,
    set: RegexSet,
}

impl Patterns {
    /// Compiles `patterns`; an error names the first that does not compile.
    pub fn new<I, S>(patterns: I) -> Result<Self, regex::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let each = patterns
            .into_iter()
            .map(|p| Regex::new(p.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        let set = RegexSetBuilder::new(each.iter().map(Regex::as_str))
            .dfa_size_limit(SET_DFA_CACHE)
            .build()?;
        Ok(Patterns { each, set })
    }

    /// The number of patterns.
    pub fn len(&self) -> usize {
        self.each.len()
    }

    /// Whether there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.each.is_empty()
    }

    /// Pattern number `i` on its own (for its matches' positions).
    pub fn get(&self, i: usize) -> Option<&Regex> {
        self.each.get(i)
    }

    /// Which patterns match somewhere in `text`: the answer for pattern `i` is
    /// `self.get(i).is_match(text)`. ASCII text is scanned once for all of them, now; other
    /// text one pattern at a time, when asked.
    pub fn matching<'a>(&'a self, text: &'a str) -> Matching<'a> {
        Matching {
            set: text.is_ascii().then(|| self.set.matches(text)),
            each: &self.each,
            text,
        }
    }

    /// Whether any pattern matches somewhere in `text` (`matching(text)` would say one does):
    /// on ASCII text one search of the set that stops at its first match, without the scan to
    /// the end that says which; other text pattern by pattern, up to the first that matches.
    /// Most texts match none of a list of signs, and this says so for less.
    pub fn any(&self, text: &str) -> bool {
        if text.is_ascii() {
            self.set.is_match(text)
        } else {
            self.each.iter().any(|r| r.is_match(text))
        }
    }
}

/// The answer of [`Patterns::matching`] for one text.
#[derive(Debug)]
pub struct Matching<'a> {
    set: Option<regex::SetMatches>,
    each: &'a [Regex],
    text: &'a str,
}

impl Matching<'_> {
    /// Whether pattern `i` matches the text (false for a number beyond the list).
    pub fn matched(&self, i: usize) -> bool {
        match &self.set {
            Some(m) => i < m.len() && m.matched(i),
            None => self.each.get(i).is_some_and(|r| r.is_match(self.text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_answers_as_each_pattern_does_on_ascii_and_other_text() {
        let p = Patterns::new([r"\bbath\b", r"(?i)\bclick\s+here\b", r"£\d+", r"\bcafe\b"])
            .expect("valid patterns");
        assert_eq!(p.len(), 4);
        for text in [
            "Bath time: click here",
            "a bath, then CLICK  here",
            "bathe in £50 of cafés",
            "the café’s bath is in the cafe",
            "",
        ] {
            let m = p.matching(text);
            for i in 0..p.len() {
                let re = p.get(i).expect("pattern");
                assert_eq!(m.matched(i), re.is_match(text), "{text}: {}", re.as_str());
            }
            assert!(!m.matched(p.len()));
            assert_eq!(p.any(text), (0..p.len()).any(|i| m.matched(i)), "{text}");
        }
    }

    /// The answer kinds' set keeps its lazy DFA with room to spare: with half of
    /// [`SET_DFA_CACHE`], the reverse lazy DFA the regex crate builds beside the forward one
    /// builds (without it neither lazy DFA is used: the set's Unicode `\w` repeats once
    /// outgrew the crate's default of 2 MB), and a forward one configured as the crate's
    /// answers a run of questions without giving up (either failure sends every search to the
    /// PikeVM).
    #[test]
    fn the_largest_set_keeps_its_lazy_dfa_with_half_its_cache() {
        use regex_automata::nfa::thompson::{Compiler, Config, WhichCaptures};
        use regex_automata::{hybrid::dfa::DFA, Input, MatchKind, PatternSet};
        let kinds = crate::matcher::ask::kind_patterns();
        let patterns: Vec<&str> = (0..kinds.len())
            .filter_map(|i| kinds.get(i).map(Regex::as_str))
            .collect();
        assert!(patterns.len() >= 18);
        let texts = [
            "dear team, what proportion of the week is set aside for fpt?",
            "how many capabilites per pathway",
            "my fpt day at the qe in birmingham keeps getting cancelled, what can i do",
            "hi, can i remain on my pathway for the whole of my higher specialty training?",
            "is fpt in london yet?",
            "is there funding available for a master's in clinical education through fpt?",
            "could you send me a letter confirming my fpt day, and who signs it off?",
            "when is the deadline and where do i apply, is the handbook still up to date?",
            "is there an equivalent of fpt in scotland or anything like it for gp trainees?",
            "does the research time count towards my cct if i work part time at 80%?",
        ];
        let reverse = Compiler::new()
            .configure(
                Config::new()
                    .which_captures(WhichCaptures::None)
                    .reverse(true),
            )
            .build_many(&patterns)
            .expect("the reverse automaton builds");
        let reverse_builds = |capacity: usize| {
            let config = DFA::config()
                .match_kind(MatchKind::All)
                .unicode_word_boundary(true)
                .cache_capacity(capacity);
            DFA::builder()
                .configure(config)
                .build_from_nfa(reverse.clone())
                .is_ok()
        };
        let gives_up = |capacity: usize| {
            let config = DFA::config()
                .match_kind(MatchKind::All)
                .starts_for_each_pattern(true)
                .unicode_word_boundary(true)
                .cache_capacity(capacity)
                .minimum_cache_clear_count(Some(3))
                .minimum_bytes_per_state(Some(10));
            let Ok(dfa) = DFA::builder().configure(config).build_many(&patterns) else {
                return true;
            };
            let mut cache = dfa.create_cache();
            let mut found = PatternSet::new(dfa.pattern_len());
            (0..3).flat_map(|_| texts).any(|text| {
                dfa.try_which_overlapping_matches(&mut cache, &Input::new(text), &mut found)
                    .is_err()
            })
        };
        assert!(reverse_builds(SET_DFA_CACHE / 2));
        assert!(!gives_up(SET_DFA_CACHE / 2));
    }
}
