//! Normalisation and analysis: Unicode folding, tokens, stop words, Snowball stems, synonym
//! rewriting and typo correction against a known vocabulary.
//!
//! Invariant: the same `Analyzer` is used for the knowledge base and for enquiries, so both
//! sides of a comparison went through exactly the same steps.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Lower-cases, decomposes (NFKD) and drops accents, and maps typographic punctuation to ASCII.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' => out.push('\''),
            '\u{201C}' | '\u{201D}' => out.push('"'),
            '\u{2010}'..='\u{2015}' => out.push('-'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Splits folded text into word tokens. Apostrophes inside a word are dropped
/// ("addenbrooke's" → "addenbrookes"), `%` becomes the word "percent".
pub fn tokenize(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            current.push(c);
        } else if c == '\''
            && !current.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            // inside a word: skip the apostrophe
        } else {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
            if c == '%' {
                tokens.push("percent".to_string());
            }
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// Words that carry no topic in an enquiry: English function words and the frame of a question
/// ("could you tell me", "I was wondering"). Question words that tell topics apart (who, when,
/// where, how long) are kept.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "anybody",
    "anyone", "anything", "are", "arent", "as", "ask", "asking", "at", "be", "because", "been",
    "being", "both", "but", "by", "can", "cant", "could", "couldnt", "did", "didnt", "do", "does",
    "doesnt", "doing", "dont", "each", "eg", "either", "etc", "even", "ever", "every", "for",
    "from", "further", "get", "gets", "getting", "got", "had", "has", "have", "having", "he",
    "hello", "her", "here", "hers", "hey", "hi", "him", "his", "i", "id", "ie", "if", "ill", "im",
    "in", "info", "information", "into", "is", "isnt", "it", "its", "ive", "just", "kind", "know",
    "let", "lets", "like", "me", "might", "mine", "more", "much", "must", "my", "myself", "need",
    "no", "nor", "not", "now", "of", "off", "ok", "okay", "on", "one's", "or", "other", "our",
    "ours", "out", "over", "own", "please", "pls", "plz", "query", "question", "questions", "quick",
    "re", "really", "regarding", "same", "says", "she", "should", "so", "some", "someone",
    "something", "such", "sure", "tell", "than", "thank", "thanks", "that", "thats", "the", "their",
    "them", "then", "there", "theres", "these", "they", "thing", "things", "this", "those", "to",
    "too", "u", "ur", "us", "very", "via", "wanted", "want", "was", "wasnt", "we", "well", "were",
    "what", "whats", "whether", "which", "while", "will", "with", "wonder", "wondered", "wondering",
    "wont", "would", "wouldnt", "yes", "you", "youre", "your", "yours", "per",
];

/// One analysed word of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The word as written, folded (after typo correction when one applied).
    pub surface: String,
    /// Snowball English stem: the term the index uses.
    pub stem: String,
    /// A function word: kept for phrase matching, ignored for scoring.
    pub stop: bool,
    /// The word as written when typo correction replaced it.
    pub corrected_from: Option<String>,
}

/// A synonym group compiled to stems: every variant is rewritten to the canonical tokens.
#[derive(Debug, Clone)]
struct SynonymRule {
    variant: Vec<String>,
    canonical: Vec<(String, String)>,
}

/// Turns text into tokens the same way for the knowledge base and for enquiries.
pub struct Analyzer {
    stemmer: Stemmer,
    stop: HashSet<&'static str>,
    /// Synonym rules keyed by the first stem of the variant, longest variant first.
    synonyms: HashMap<String, Vec<SynonymRule>>,
    /// Known words (folded surfaces) bucketed by length, for typo correction.
    vocabulary: HashMap<usize, Vec<String>>,
    known: HashSet<String>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("synonyms", &self.synonyms.len())
            .field("vocabulary", &self.known.len())
            .finish()
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new(&[])
    }
}

/// The number of edits a misspelt word of this length may be away from a known word.
pub fn edit_budget(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

impl Analyzer {
    /// Builds an analyzer; each group lists equivalent terms, the first being canonical.
    pub fn new(synonym_groups: &[Vec<String>]) -> Self {
        let mut analyzer = Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
            stop: STOP_WORDS.iter().copied().collect(),
            synonyms: HashMap::new(),
            vocabulary: HashMap::new(),
            known: HashSet::new(),
        };
        for group in synonym_groups {
            let Some(first) = group.first() else { continue };
            let canonical: Vec<(String, String)> = tokenize(first)
                .into_iter()
                .map(|w| {
                    let stem = analyzer.stem(&w);
                    (w, stem)
                })
                .collect();
            if canonical.is_empty() {
                continue;
            }
            for term in group.iter().skip(1) {
                let variant: Vec<String> =
                    tokenize(term).iter().map(|w| analyzer.stem(w)).collect();
                if variant.is_empty() {
                    continue;
                }
                analyzer
                    .synonyms
                    .entry(variant[0].clone())
                    .or_default()
                    .push(SynonymRule {
                        variant,
                        canonical: canonical.clone(),
                    });
            }
            for term in group {
                analyzer.learn(term);
            }
        }
        for rules in analyzer.synonyms.values_mut() {
            rules.sort_by_key(|r| std::cmp::Reverse(r.variant.len()));
        }
        analyzer
    }

    /// Adds the words of `text` to the vocabulary that misspellings are corrected towards.
    pub fn learn(&mut self, text: &str) {
        for word in tokenize(text) {
            if word.chars().count() >= 3
                && !word.chars().all(|c| c.is_ascii_digit())
                && self.known.insert(word.clone())
            {
                self.vocabulary
                    .entry(word.chars().count())
                    .or_default()
                    .push(word);
            }
        }
    }

    /// Whether a folded word is known to the vocabulary.
    pub fn knows(&self, word: &str) -> bool {
        self.known.contains(word)
    }

    pub fn stem(&self, word: &str) -> String {
        self.stemmer.stem(word).into_owned()
    }

    /// The closest known word within the edit budget of `word`'s length, if exactly one is
    /// closest. Words of four letters or fewer are never corrected.
    pub fn correct(&self, word: &str) -> Option<&str> {
        let len = word.chars().count();
        let budget = edit_budget(len);
        if budget == 0 || self.known.contains(word) || word.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let first = word.chars().next()?;
        let mut best: Option<(&str, usize)> = None;
        let mut tie = false;
        for l in len.saturating_sub(budget)..=len + budget {
            let Some(bucket) = self.vocabulary.get(&l) else {
                continue;
            };
            for candidate in bucket {
                // Misspellings rarely change the first letter; requiring it keeps this fast
                // and avoids turning one real word into another.
                if !candidate.starts_with(first) {
                    continue;
                }
                let d = strsim::damerau_levenshtein(word, candidate);
                if d > budget.min(edit_budget(l)) {
                    continue;
                }
                match best {
                    Some((_, bd)) if d > bd => {}
                    Some((_, bd)) if d == bd => tie = true,
                    _ => {
                        best = Some((candidate.as_str(), d));
                        tie = false;
                    }
                }
            }
        }
        match best {
            Some((w, _)) if !tie => Some(w),
            _ => None,
        }
    }

    /// Analyses text: tokens, typo correction (when `correct_typos`), stems, stop words and
    /// synonym rewriting.
    pub fn analyze(&self, text: &str, correct_typos: bool) -> Vec<Token> {
        let words = tokenize(text);
        let mut tokens: Vec<Token> = Vec::with_capacity(words.len());
        for word in words {
            let stop = self.stop.contains(word.as_str());
            let (surface, corrected_from) = if correct_typos && !stop {
                match self.correct(&word) {
                    Some(fixed) => (fixed.to_string(), Some(word)),
                    None => (word, None),
                }
            } else {
                (word, None)
            };
            let stem = self.stem(&surface);
            tokens.push(Token {
                stop,
                surface,
                stem,
                corrected_from,
            });
        }
        self.rewrite_synonyms(tokens)
    }

    fn rewrite_synonyms(&self, tokens: Vec<Token>) -> Vec<Token> {
        if self.synonyms.is_empty() {
            return tokens;
        }
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            let rule = self.synonyms.get(&tokens[i].stem).and_then(|rules| {
                rules.iter().find(|r| {
                    i + r.variant.len() <= tokens.len()
                        && r.variant
                            .iter()
                            .zip(&tokens[i..])
                            .all(|(v, t)| *v == t.stem)
                })
            });
            match rule {
                Some(rule) => {
                    for (surface, stem) in &rule.canonical {
                        out.push(Token {
                            stop: self.stop.contains(surface.as_str()),
                            surface: surface.clone(),
                            stem: stem.clone(),
                            corrected_from: tokens[i].corrected_from.clone(),
                        });
                    }
                    i += rule.variant.len();
                }
                None => {
                    out.push(tokens[i].clone());
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_accents_case_and_curly_quotes() {
        assert_eq!(fold("Café Ürban’s “FPT”"), "cafe urban's \"fpt\"");
    }

    #[test]
    fn tokenize_handles_apostrophes_and_percent() {
        assert_eq!(
            tokenize("Addenbrooke’s: 20% time!"),
            vec!["addenbrookes", "20", "percent", "time"]
        );
        assert_eq!(tokenize("St Thomas' — QI?"), vec!["st", "thomas", "qi"]);
    }

    #[test]
    fn stems_make_inflections_equal() {
        let a = Analyzer::default();
        let stems: Vec<String> = a
            .analyze("capabilities capability", false)
            .into_iter()
            .map(|t| t.stem)
            .collect();
        assert_eq!(stems[0], stems[1]);
    }

    #[test]
    fn typos_are_corrected_towards_known_words_only_within_budget() {
        let mut a = Analyzer::default();
        a.learn("quality improvement capabilities separately research");
        assert_eq!(a.correct("improvment"), Some("improvement"));
        assert_eq!(a.correct("capabilites"), Some("capabilities"));
        assert_eq!(a.correct("seperately"), Some("separately"));
        assert_eq!(a.correct("reseach"), Some("research"));
        // short words are never changed, and far-off words are left alone
        assert_eq!(a.correct("qi"), None);
        assert_eq!(a.correct("banana"), None);
    }

    #[test]
    fn synonyms_rewrite_abbreviations_to_canonical_terms() {
        let a = Analyzer::new(&[
            vec!["medical education".into(), "med ed".into()],
            vec!["quality improvement".into(), "QI".into()],
        ]);
        let stems: Vec<String> = a
            .analyze("switch from med ed to QI", false)
            .into_iter()
            .filter(|t| !t.stop)
            .map(|t| t.stem)
            .collect();
        assert_eq!(stems, vec!["switch", "medic", "educ", "qualiti", "improv"]);
    }
}
