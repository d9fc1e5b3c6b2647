//! Acronyms the knowledge base defines: a synonym group that holds both "qi" and "quality
//! improvement" says what the letters stand for. The embedding model knows the spelled-out
//! words but not a field's own abbreviations ("is qi a pathway?" lands nearer to "the QI
//! pathway document" than to "is quality improvement a pathway?"), so the texts it embeds,
//! the base's and the questions alike, are given the long form. Lexical matching needs none
//! of this: it rewrites every group to its canonical term (`normalize`). The other way round,
//! where the acronym is the canonical term ("fpt"), its spelled-out forms ("Flexible
//! Portfolio Training") are contracted to it in those texts, as the base mostly writes them.

use rustc_hash::FxHashMap;

use super::{fold, tokenize};

/// Words dropped from a long form's initials ("royal college of physicians" is RCP).
const SKIPPED_IN_INITIALS: [&str; 5] = ["of", "and", "the", "for", "in"];

/// Longest acronym read, in letters.
const MAX_LETTERS: usize = 5;

/// Each acronym (folded) with the long form its synonym group spells it out as.
#[derive(Debug, Clone, Default)]
pub struct Acronyms {
    long: FxHashMap<String, String>,
    /// Long forms (words joined by one space) of the acronyms that are canonical, with the
    /// acronym, and a regular expression finding any of them.
    short: FxHashMap<String, String>,
    long_forms: Option<regex::Regex>,
    /// Every acronym of the groups, canonical or not, sorted.
    all: Vec<String>,
    /// Every slip of an acronym of `all` ([`Acronyms::transposed`]): the word's letters
    /// packed into a `u64` ([`packed`]) with the index in `all` of the acronym it is a
    /// slip of, sorted by the packed word; built from `all` in [`Acronyms::from_groups`].
    slips: Vec<(u64, usize)>,
    /// Bit `n` set when some slip has `n` letters (3 to [`MAX_LETTERS`]).
    slip_lengths: u32,
    /// Bit `c - b'a'` set when some slip starts with the lower-case letter `c`.
    slip_firsts: u32,
}

impl Acronyms {
    /// From synonym groups (the base's `synonyms.toml`): a one-word term of two to
    /// [`MAX_LETTERS`] letters is an acronym when it is the initials, with or without
    /// [`SKIPPED_IN_INITIALS`], of its group's canonical (first) term of two or more words.
    /// Where the acronym is itself canonical ("fpt", "hee", "rcp") the base prefers it and it
    /// stays as written: spelling those out as well, in every text, lost 9 correct decisions
    /// and added 5 false answers over the labelled FPT sets (1 December 2026).
    pub fn from_groups(groups: &[Vec<String>]) -> Self {
        let mut long = FxHashMap::default();
        let mut short = FxHashMap::default();
        for group in groups {
            let terms: Vec<Vec<String>> = group.iter().map(|t| tokenize(t)).collect();
            // a canonical acronym ("fpt") and its group's spelled-out forms of it
            if let Some([word]) = terms.first().map(Vec::as_slice).filter(|t| is_acronym(t)) {
                for words in terms.iter().skip(1).filter(|w| spells(w, word)) {
                    short.insert(words.join(" "), word.clone());
                }
            }
            for short in &terms {
                let [word] = short.as_slice() else { continue };
                if !is_acronym(short) {
                    continue;
                }
                if let Some(words) = terms.first().filter(|words| spells(words, word)) {
                    long.entry(word.clone()).or_insert_with(|| words.join(" "));
                }
            }
        }
        let mut forms: Vec<&String> = short.keys().collect();
        // longest first, so a longer form wins over a shorter one it starts with
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alternatives: Vec<String> = forms
            .iter()
            .map(|f| {
                f.split(' ')
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect();
        // a pattern too large to compile leaves the long forms as written
        let long_forms = (!alternatives.is_empty())
            .then(|| regex::Regex::new(&format!(r"(?i)\b(?:{})\b", alternatives.join("|"))).ok())
            .flatten();
        let mut all: Vec<String> = long.keys().chain(short.values()).cloned().collect();
        all.sort();
        all.dedup();
        let slips = slips_of(&all);
        let slip_lengths = slips
            .iter()
            .fold(0, |m, &(_, a)| m | 1 << all[a].len().min(31));
        let slip_firsts = slips.iter().fold(0, |m, &(_, a)| {
            m | all[a].bytes().next().map_or(0, |b| 1 << (b - b'a'))
        });
        Acronyms {
            long,
            short,
            long_forms,
            all,
            slips,
            slip_lengths,
            slip_firsts,
        }
    }

    /// `text` with the spelled-out forms of the base's canonical acronyms written as the
    /// acronym ("Flexible Portfolio Training" → "fpt"), as the base mostly writes them: the
    /// scheme's long name otherwise pulls a question's embedding towards the entries that
    /// define the scheme.
    pub fn contract<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.long_forms {
            Some(re) => re.replace_all(text, |c: &regex::Captures<'_>| {
                let key = tokenize(&c[0]).join(" ");
                self.short
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| c[0].to_string())
            }),
            None => std::borrow::Cow::Borrowed(text),
        }
    }

    /// The long form of `word` (folded), if it is an acronym.
    pub fn get(&self, word: &str) -> Option<&str> {
        self.long.get(word).map(String::as_str)
    }

    /// The acronym `word` (folded) is a slip of, if it is one: the same letters with two
    /// neighbours after the first swapped ("ftp" for "fpt", "acrp" for "arcp"), and not
    /// itself an acronym of the base. A phone's autocorrect and quick typing make these
    /// slips, and typo correction by edit distance never reaches them: words of four
    /// letters or fewer are left alone there ([`super::normalize::Analyzer::correct`]).
    /// The first letter is kept, as typo correction keeps it (a respiratory registrar's
    /// "PFT" is a lung function test, not the scheme).
    ///
    /// One look-up of the word in the slips precomputed from the acronyms (`slips_of`);
    /// most words are turned away before it by their length and first letter.
    pub fn transposed(&self, word: &str) -> Option<&str> {
        let bytes = word.as_bytes();
        if !self.may_be_slip(bytes) || !bytes.iter().all(u8::is_ascii_lowercase) {
            return None;
        }
        let key = packed(bytes);
        let at = self.slips.binary_search_by_key(&key, |&(k, _)| k).ok()?;
        let &(_, acronym) = self.slips.get(at)?;
        self.all.get(acronym).map(String::as_str)
    }

    /// Whether `word` (ASCII letters in any case, or any bytes) has the length and first
    /// letter (folded) of some slip of an acronym ([`Acronyms::transposed`]): false for
    /// most words, which are then no slip; true says nothing yet.
    pub fn may_be_slip(&self, word: &[u8]) -> bool {
        let Some(first) = word.first().map(u8::to_ascii_lowercase) else {
            return false;
        };
        word.len() <= MAX_LETTERS
            && self.slip_lengths & (1 << word.len()) != 0
            && first.is_ascii_lowercase()
            && self.slip_firsts & (1 << (first - b'a')) != 0
    }

    /// The first definition of [`Acronyms::transposed`], kept as the oracle of its tests:
    /// each swap of two neighbours after the first, in order, looked up in `all`.
    #[cfg(test)]
    pub(crate) fn transposed_by_search(&self, word: &str) -> Option<&str> {
        let bytes = word.as_bytes();
        if !(3..=MAX_LETTERS).contains(&bytes.len())
            || !bytes.iter().all(u8::is_ascii_lowercase)
            || self.all.binary_search_by(|a| a.as_str().cmp(word)).is_ok()
        {
            return None;
        }
        let mut buf = [0u8; MAX_LETTERS];
        let swapped = &mut buf[..bytes.len()];
        (1..bytes.len() - 1).find_map(|i| {
            if bytes[i] == bytes[i + 1] {
                return None;
            }
            swapped.copy_from_slice(bytes);
            swapped.swap(i, i + 1);
            let at = self
                .all
                .binary_search_by(|a| a.as_bytes().cmp(swapped))
                .ok()?;
            Some(self.all[at].as_str())
        })
    }

    /// `text` with every acronym written out in full (matched as a whole word, in any case);
    /// everything else, punctuation included, as it was.
    pub fn expand(&self, text: &str) -> String {
        let text = self.contract(text);
        if self.long.is_empty() {
            return text.into_owned();
        }
        super::map_words(&text, |word, out| {
            out.push_str(self.get(&fold(word)).unwrap_or(word));
        })
    }
}

/// A word of at most eight bytes packed into a `u64`, its first byte highest (so packed
/// words of lower-case letters sort as the words do, and no two such words of different
/// lengths pack alike, no letter being zero).
fn packed(word: &[u8]) -> u64 {
    word.iter()
        .take(8)
        .enumerate()
        .fold(0, |k, (i, &b)| k | u64::from(b) << (56 - 8 * i))
}

/// The slips of `all` (sorted acronyms of two to [`MAX_LETTERS`] lower-case ASCII letters):
/// every word made from an acronym by swapping two neighbouring letters after the first
/// that differ, packed ([`packed`]), with the index in `all` of its acronym; not a word
/// that is itself in `all`. [`Acronyms::transposed`] tries the swaps of a word in order of
/// their place and takes the first that makes an acronym, so where two acronyms give the
/// same word (at different places: a swap at one place undoes itself), the swap further
/// left is kept. Sorted by the packed word, one entry each.
fn slips_of(all: &[String]) -> Vec<(u64, usize)> {
    // (packed word, place of the swap, acronym)
    let mut found: Vec<(u64, usize, usize)> = Vec::new();
    for (a, acronym) in all.iter().enumerate() {
        let bytes = acronym.as_bytes();
        if !(3..=MAX_LETTERS).contains(&bytes.len()) {
            continue;
        }
        for i in 1..bytes.len() - 1 {
            if bytes[i] == bytes[i + 1] {
                continue;
            }
            let mut swapped = [0u8; MAX_LETTERS];
            let swapped = &mut swapped[..bytes.len()];
            swapped.copy_from_slice(bytes);
            swapped.swap(i, i + 1);
            if all.binary_search_by(|x| x.as_bytes().cmp(swapped)).is_ok() {
                continue;
            }
            found.push((packed(swapped), i, a));
        }
    }
    found.sort_unstable();
    found.dedup_by_key(|&mut (k, _, _)| k);
    found.into_iter().map(|(k, _, a)| (k, a)).collect()
}

/// Whether `terms` is one word of two to [`MAX_LETTERS`] lower-case ASCII letters.
fn is_acronym(terms: &[String]) -> bool {
    matches!(terms, [word] if (2..=MAX_LETTERS).contains(&word.len())
        && word.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Whether the words of a term of two or more spell `acronym` by their initials, with or
/// without [`SKIPPED_IN_INITIALS`].
fn spells(words: &[String], acronym: &str) -> bool {
    words.len() >= 2 && (initials(words, false) == acronym || initials(words, true) == acronym)
}

fn initials(words: &[String], skip: bool) -> String {
    words
        .iter()
        .filter(|w| !skip || !SKIPPED_IN_INITIALS.contains(&w.as_str()))
        .filter_map(|w| w.chars().next())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups() -> Vec<Vec<String>> {
        [
            &[
                "quality improvement",
                "qi",
                "qip",
                "quality improvement project",
            ][..],
            &["rcp", "royal college of physicians", "royal college"],
            &["higher specialty training", "hst", "higher training"],
            &["capability", "competency"],
            &["pathway", "stream", "track"],
        ]
        .iter()
        .map(|g| g.iter().map(|t| t.to_string()).collect())
        .collect()
    }

    #[test]
    fn an_acronym_with_two_letters_swapped_is_read_as_the_acronym() {
        let a = Acronyms::from_groups(&groups());
        assert_eq!(a.transposed("rpc"), Some("rcp"));
        assert_eq!(a.transposed("hts"), Some("hst"));
        assert_eq!(a.transposed("rcp"), None);
        // the first letter stays ("pft" for "fpt" is a lung function test)
        assert_eq!(a.transposed("crp"), None);
        assert_eq!(a.transposed("the"), None);
        assert_eq!(a.transposed("rcpx"), None);
    }

    /// The precomputed slips give what the first definition (each swap looked up) gives, on
    /// every word of one to six letters over a small alphabet (with a capital and a letter
    /// beyond ASCII among them), for 100 random sets of acronyms of two to six
    /// letters over that alphabet (so that slips of two acronyms collide, and slips are
    /// acronyms themselves), and on every word of the enquiry sets with the shipped
    /// synonyms.
    #[test]
    fn transposed_gives_what_each_swap_looked_up_gives() {
        let letters = ["a", "b", "c", "d", "A", "é"];
        let mut words: Vec<String> = vec![String::new()];
        let mut all_words = Vec::new();
        for _ in 0..6 {
            words = words
                .iter()
                .flat_map(|w| letters.iter().map(move |l| format!("{w}{l}")))
                .collect();
            all_words.extend(words.iter().cloned());
        }
        let mut next = super::super::xorshift(0x9e37_79b9);
        let alphabet = b"abcd";
        for round in 0..100 {
            let count = 1 + next() % 12;
            let groups: Vec<Vec<String>> = (0..count)
                .map(|_| {
                    let len = 2 + next() % 5;
                    let acronym: String = (0..len)
                        .map(|_| char::from(alphabet[next() % alphabet.len()]))
                        .collect();
                    let long: Vec<String> = acronym.chars().map(|c| format!("{c}xx")).collect();
                    vec![long.join(" "), acronym]
                })
                .collect();
            let a = Acronyms::from_groups(&groups);
            for word in &all_words {
                assert_eq!(
                    a.transposed(word),
                    a.transposed_by_search(word),
                    "round {round}, {word:?}, {:?}",
                    a.all
                );
            }
        }
        let synonyms = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faq/synonyms.toml"),
        )
        .expect("the shipped synonyms");
        let groups: Vec<Vec<String>> = synonyms
            .lines()
            .filter_map(|l| l.strip_prefix("terms = "))
            .filter_map(|t| serde_json::from_str(t).ok())
            .collect();
        let a = Acronyms::from_groups(&groups);
        assert!(a.all.iter().any(|x| x == "fpt") && !a.slips.is_empty());
        let mut asked = 0;
        for text in super::super::labelled_texts(&["body", "subject"]) {
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                for word in [word.to_string(), word.to_lowercase()] {
                    assert_eq!(a.transposed(&word), a.transposed_by_search(&word), "{word}");
                    asked += 1;
                }
            }
        }
        assert!(asked > 100_000, "{asked}");
        assert_eq!(a.transposed("ftp"), Some("fpt"));
    }

    #[test]
    fn acronyms_are_the_initials_of_a_longer_term_in_their_group() {
        let a = Acronyms::from_groups(&groups());
        assert_eq!(a.get("qi"), Some("quality improvement"));
        assert_eq!(a.get("hst"), Some("higher specialty training"));
        // only the canonical term spells an acronym out; a canonical acronym stays
        assert_eq!(a.get("qip"), None);
        assert_eq!(a.get("rcp"), None);
        // a synonym that is not an abbreviation stays as written
        assert_eq!(a.get("track"), None);
        assert_eq!(a.get("competency"), None);
    }

    #[test]
    fn expansion_keeps_the_rest_of_the_text() {
        let a = Acronyms::from_groups(&groups());
        assert_eq!(
            a.expand("is QI a pathway in HST? Ask the RCP."),
            "is quality improvement a pathway in higher specialty training? Ask the RCP."
        );
        // inside a longer word nothing changes
        assert_eq!(a.expand("qis, hsts"), "qis, hsts");
        assert_eq!(Acronyms::default().expand("QI"), "QI");
    }

    #[test]
    fn a_canonical_acronyms_long_form_is_contracted() {
        let a = Acronyms::from_groups(&groups());
        assert_eq!(
            a.expand("Does the Royal College  of Physicians run QI?"),
            "Does the rcp run quality improvement?"
        );
        // a form that is not the initials ("royal college") and a longer word stay
        assert_eq!(
            a.contract("the royal college's view"),
            "the royal college's view"
        );
        assert_eq!(
            a.contract("royal college of physiciansx"),
            "royal college of physiciansx"
        );
    }
}
