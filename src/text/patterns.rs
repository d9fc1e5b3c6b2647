//! A list of regular expressions asked "which of these match?" about one text, in one pass
//! where that is safe to do fast.
//!
//! A [`RegexSet`] of the same patterns answers for all of them in one scan (its lazy DFA), a
//! few times faster than one scan per pattern on the short texts triage reads. On text with
//! characters beyond ASCII, though, a set whose patterns use Unicode word boundaries (`\b`)
//! falls back to a much slower engine (the lazy DFA gives up on them there), so such text is
//! asked pattern by pattern as before. Either way each answer is exactly `Regex::is_match` of
//! that pattern: only the cost differs.

use regex::{Regex, RegexSet};

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
        let set = RegexSet::new(each.iter().map(Regex::as_str))?;
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
        }
    }
}
