//! Finding the region an enquiry comes from: place names, hospitals, trusts and region names in
//! the text (tolerating typos), or the sender's email domain. No clue means no region: the admin
//! team triages.

use std::collections::{HashMap, HashSet};

use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::kb::Regions;
use std::ops::ControlFlow;

use crate::text::normalize::{edit_budget, for_each_token, tokenize};
use crate::text::patterns::Patterns;

#[derive(Debug)]
struct Place {
    /// As written in regions.toml.
    name: String,
    tokens: Vec<String>,
    /// Indexes into the region list (a few places exist in several regions).
    regions: Vec<usize>,
    /// A region's own name or alias rather than a place within it.
    region_name: bool,
}

/// What the region finder saw in a text.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RegionMatch {
    /// The region id, when the text points to one region more than any other.
    pub region: Option<String>,
    /// The places found, as listed in regions.toml.
    pub places: Vec<String>,
    /// How it was found: "text", "sender domain" or "none".
    pub source: &'static str,
    /// Words that named a place within a region: they say where, not what, so the matcher
    /// leaves them out.
    #[serde(skip)]
    pub place_words: HashSet<String>,
    /// Words that named a region itself ("Wessex", "North West"): kept in the question (an
    /// entry may be about regions), but like a place they say the question is about one
    /// region's own arrangements unless the answering entry names it.
    #[serde(skip)]
    pub region_words: HashSet<String>,
    /// How many regions the text names on their own: a region with at least one whole place
    /// of evidence (a place listed in several regions counts as a share of one in each).
    #[serde(skip)]
    pub regions_named: usize,
}

/// Recognises regions from places; built once from `regions.toml`.
#[derive(Debug)]
pub struct RegionFinder {
    ids: Vec<String>,
    places: Vec<Place>,
    by_first: FxHashMap<String, Vec<usize>>,
    /// Ambiguous places ("Reading", "Bath"): matched case-sensitively on the original text.
    exact_case: Vec<(Regex, usize)>,
    /// [`RegionFinder::exact_case`]'s regexes, in the same order, to learn in one pass which
    /// of them occur at all (`None` if they could not be compiled together).
    exact_case_set: Option<Patterns>,
    /// Words of place names long enough to correct misspellings towards, bucketed by length
    /// and first letter, each with its [`letter_mask`].
    vocabulary: FxHashMap<(usize, char), Vec<PlaceWord>>,
    known: FxHashSet<String>,
    /// Every word of a region's name or alias ("north", "midlands", "humber"), folded.
    region_name_words: FxHashSet<String>,
    domains: Vec<(String, usize)>,
    /// [`Regions::outside`] after a preposition of place ("in Scotland", "to Wales", "across
    /// Northern Ireland") or before those who train there ("NI trainees"), case-insensitive
    /// ([`outside_pattern`]); `None` when the list is empty.
    outside: Option<Regex>,
}

impl RegionFinder {
    pub fn new(regions: &Regions) -> Self {
        let mut finder = RegionFinder {
            ids: regions.regions.iter().map(|r| r.id.clone()).collect(),
            places: Vec::new(),
            by_first: FxHashMap::default(),
            exact_case: Vec::new(),
            exact_case_set: None,
            outside: outside_pattern(&regions.outside),
            vocabulary: FxHashMap::default(),
            known: FxHashSet::default(),
            region_name_words: FxHashSet::default(),
            domains: Vec::new(),
        };
        let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
        for (ri, region) in regions.regions.iter().enumerate() {
            for d in &region.domains {
                finder
                    .domains
                    .push((d.trim().trim_start_matches('@').to_ascii_lowercase(), ri));
            }
            let names = std::iter::once(&region.name)
                .chain(&region.aliases)
                .map(|n| (n, true));
            // a spelling of an ambiguous place ("Guy's" for "Guys") is ambiguous too: both
            // fold to the same word, which "you guys" also gives
            let ambiguous_tokens: Vec<Vec<String>> =
                region.ambiguous.iter().map(|a| tokenize(a)).collect();
            let is_ambiguous = |p: &String| ambiguous_tokens.contains(&tokenize(p));
            let places = region
                .places
                .iter()
                .filter(|p| !is_ambiguous(p))
                .map(|p| (p, false));
            for (name, region_name) in names.chain(places) {
                let tokens = tokenize(name);
                if tokens.is_empty() {
                    continue;
                }
                match seen.get(&tokens) {
                    Some(&pi) => {
                        let place = &mut finder.places[pi];
                        if !place.regions.contains(&ri) {
                            place.regions.push(ri);
                        }
                        place.region_name |= region_name;
                    }
                    None => {
                        let pi = finder.places.len();
                        seen.insert(tokens.clone(), pi);
                        finder
                            .by_first
                            .entry(tokens[0].clone())
                            .or_default()
                            .push(pi);
                        for t in &tokens {
                            if t.chars().count() >= 6 && finder.known.insert(t.clone()) {
                                let first = t.chars().next().unwrap_or_default();
                                finder
                                    .vocabulary
                                    .entry((t.chars().count(), first))
                                    .or_default()
                                    .push((t.clone(), letter_mask(t)));
                            }
                        }
                        finder.places.push(Place {
                            name: name.clone(),
                            tokens,
                            regions: vec![ri],
                            region_name,
                        });
                    }
                }
            }
            let spellings = region
                .places
                .iter()
                .filter(|p| !region.ambiguous.contains(p) && is_ambiguous(p));
            for a in region.ambiguous.iter().chain(spellings) {
                if let Ok(re) = Regex::new(&format!(r"\b{}\b", regex::escape(a))) {
                    finder.exact_case.push((re, ri));
                }
            }
        }
        for list in finder.by_first.values_mut() {
            let places = &finder.places;
            list.sort_by_key(|&pi| std::cmp::Reverse(places[pi].tokens.len()));
        }
        finder.region_name_words = finder
            .places
            .iter()
            .filter(|p| p.region_name)
            .flat_map(|p| p.tokens.iter().cloned())
            .collect();
        finder.exact_case_set =
            Patterns::new(finder.exact_case.iter().map(|(re, _)| re.as_str())).ok();
        finder
    }

    /// Whether a folded word is a word of some region's name or alias ("midlands" of "East
    /// Midlands", "north" of "North West"): written alone ("the Midlands", "a friend up
    /// north") it says where, not what, even when it names no one region.
    pub fn is_region_name_word(&self, word: &str) -> bool {
        self.region_name_words.contains(word)
    }

    /// The place outside the scheme's regions ([`Regions::outside`]) that `question` asks
    /// about, as written: one named after a preposition of place, with or without a point of
    /// the compass ("is it open to trainees in Scotland?", "im st4 in n wales", "does FPT
    /// exist in Wales?", "could I bring it with me to Glasgow?") or
    /// before those who train there ("can NI trainees do FPT?"), or as the one that runs or
    /// offers something ("HEIW runs its own version", "Scotland has a similar scheme").
    /// Not one named as where the asker comes from ("I'm moving from Scotland"), which
    /// leaves the question about the scheme where it runs.
    pub fn outside_place<'t>(&self, question: &'t str) -> Option<&'t str> {
        let found = self.outside.as_ref()?.captures(question)?;
        found
            .get(1)
            .or_else(|| found.get(2))
            .or_else(|| found.get(3))
            .map(|m| m.as_str())
    }

    /// A place word close to a misspelt word ("Derrifrod" → "derriford").
    fn correct(&self, word: &str) -> Option<&str> {
        let len = word.chars().count();
        if len < 6 || self.known.contains(word) {
            return None;
        }
        let budget = edit_budget(len).min(if len < 9 { 1 } else { 2 });
        let first = word.chars().next()?;
        let mask = letter_mask(word);
        let mut best: Option<(&str, usize)> = None;
        for l in len - budget..=len + budget {
            // only candidates of the same first letter, in the order they were added
            for (candidate, candidate_mask) in
                self.vocabulary.get(&(l, first)).into_iter().flatten()
            {
                // (the letter masks first: a quicker bound of the same kind)
                if masks_exceed(mask, *candidate_mask, budget)
                    || bag_distance_exceeds(word, candidate, budget)
                {
                    continue;
                }
                // (the distance when within the budget: `strsim`'s, without allocating)
                let Some(d) = crate::text::edit_distance::within(word, candidate, budget) else {
                    continue;
                };
                if best.is_none_or(|(_, bd)| d < bd) {
                    best = Some((candidate, d));
                }
            }
        }
        best.map(|(w, _)| w)
    }

    /// Finds the region named or implied by `text`; `is_known_word` says whether a word is an
    /// ordinary word of the knowledge base (those are never corrected into place names).
    pub fn find(
        &self,
        text: &str,
        sender: Option<&str>,
        is_known_word: impl Fn(&str) -> bool,
    ) -> RegionMatch {
        self.find_in_words(
            text,
            |word| {
                let _ = for_each_token(text, |w| {
                    word(w);
                    ControlFlow::<()>::Continue(())
                });
            },
            sender,
            is_known_word,
        )
    }

    /// [`RegionFinder::find`] given the words of `text` instead of reading them: `words`
    /// hands each word of [`crate::text::tokenize`]`(text)` to its argument, in order (a
    /// caller that has already read most of `text` passes those words on). The result is
    /// `find`'s exactly when the words are those of `tokenize(text)`; `text` itself is still
    /// searched for the places whose case matters.
    pub fn find_in_words(
        &self,
        text: &str,
        words: impl FnOnce(&mut dyn FnMut(&str)),
        sender: Option<&str>,
        is_known_word: impl Fn(&str) -> bool,
    ) -> RegionMatch {
        // A word of the knowledge base is never corrected, so it is not looked up; a word seen
        // before in the same text is corrected as it was then.
        let mut corrected: FxHashMap<String, Option<&str>> = FxHashMap::default();
        // the words of `tokenize(text)`, each corrected, one after another in one buffer:
        // word `i` ends at `ends[i]` (no string per word)
        let mut buf = String::with_capacity(text.len());
        let mut ends: Vec<usize> = Vec::new();
        words(&mut |w: &str| {
            // a word of fewer than six characters is never corrected (see `correct`): under
            // six bytes it has fewer than six characters, so it needs no look-up
            let fixed = if w.len() < 6 || is_known_word(w) {
                None
            } else {
                match corrected.get(w) {
                    Some(&fixed) => fixed,
                    None => {
                        let fixed = self.correct(w);
                        corrected.insert(w.to_string(), fixed);
                        fixed
                    }
                }
            };
            buf.push_str(fixed.unwrap_or(w));
            ends.push(buf.len());
        });
        let word = |i: usize| {
            let start = i
                .checked_sub(1)
                .and_then(|p| ends.get(p))
                .copied()
                .unwrap_or(0);
            let end = ends.get(i).copied().unwrap_or(start);
            buf.get(start..end).unwrap_or_default()
        };
        let n = ends.len();
        let mut scores = vec![0f32; self.ids.len()];
        // the evidence of each region named, whatever the sender's move (`scores` less so)
        let mut named = vec![0f32; self.ids.len()];
        // places already counted in `named`: a place written twice (in the subject and the
        // body: "Respiratory in Cumbria" / "… posts in Cumbria?") is still one place, and a
        // place of two regions still a share of one in each
        let mut counted: Vec<usize> = Vec::new();
        let mut found = RegionMatch {
            source: "none",
            ..Default::default()
        };
        let mut i = 0;
        while i < n {
            let hit = self.by_first.get(word(i)).and_then(|list| {
                list.iter().copied().find(|&pi| {
                    let p = &self.places[pi];
                    i + p.tokens.len() <= n
                        && p.tokens.iter().enumerate().all(|(k, a)| a == word(i + k))
                })
            });
            match hit {
                Some(pi) => {
                    let place = &self.places[pi];
                    let mut weight =
                        if place.region_name { 1.5 } else { 1.0 } / place.regions.len() as f32;
                    if !counted.contains(&pi) {
                        counted.push(pi);
                        for &ri in &place.regions {
                            named[ri] += weight;
                        }
                    }
                    // "I've moved from Leeds to Bristol": where the sender left counts half,
                    // so the place they moved to says where (both are named)
                    if i >= 2
                        && word(i - 1) == "from"
                        && (2..=4).any(|k| i >= k && LEAVING.contains(&word(i - k)))
                    {
                        weight *= 0.5;
                    }
                    for &ri in &place.regions {
                        scores[ri] += weight;
                    }
                    let named = (i..i + place.tokens.len()).map(|k| word(k).to_string());
                    if place.region_name {
                        found.region_words.extend(named);
                    } else {
                        found.place_words.extend(named);
                    }
                    if !found.places.contains(&place.name) {
                        found.places.push(place.name.clone());
                    }
                    i += place.tokens.len();
                }
                None => i += 1,
            }
        }
        let in_longer_place = found.place_words.clone();
        // which ambiguous places occur at all, in one pass over ASCII text (the rest are not
        // searched again); other text is searched place by place as it would be anyway
        let present = self
            .exact_case_set
            .as_ref()
            .filter(|_| text.is_ascii())
            .map(|set| set.matching(text));
        for (k, (re, ri)) in self.exact_case.iter().enumerate() {
            if present.as_ref().is_some_and(|p| !p.matched(k)) {
                continue;
            }
            // a capital at the start of a sentence that goes on says nothing ("Reading the
            // handbook, …", "Bath time …"); alone on a line (a signature) it is the place
            if let Some(m) = re
                .find_iter(text)
                .find(|m| !(starts_sentence(text, m.start()) && sentence_goes_on(text, m.end())))
            {
                // "Stoke" inside "Stoke Mandeville" is that longer place, not Stoke itself
                if tokenize(m.as_str())
                    .iter()
                    .all(|w| in_longer_place.contains(w))
                {
                    continue;
                }
                scores[*ri] += 1.0;
                named[*ri] += 1.0;
                found.places.push(m.as_str().to_string());
                found.place_words.extend(tokenize(m.as_str()));
            }
        }
        found.regions_named = named.iter().filter(|&&s| s >= 1.0 - 1e-6).count();
        let best = scores.iter().copied().fold(0f32, f32::max);
        if best > 0.0 {
            let leaders: Vec<usize> = (0..scores.len())
                .filter(|&r| (scores[r] - best).abs() < 1e-6)
                .collect();
            if let [only] = leaders[..] {
                found.region = Some(self.ids[only].clone());
                found.source = "text";
            }
        }
        if found.region.is_none() {
            if let Some(domain) = sender
                .and_then(|s| s.rsplit_once('@'))
                .map(|(_, d)| d.trim_end_matches('>').to_ascii_lowercase())
            {
                if let Some((_, ri)) = self
                    .domains
                    .iter()
                    .find(|(d, _)| domain == *d || domain.ends_with(&format!(".{d}")))
                {
                    found.region = Some(self.ids[*ri].clone());
                    found.source = "sender domain";
                }
            }
        }
        found
    }
}

/// Verbs of moving away that, a few words before "from", make the place after it the one
/// the sender left ("moved from Leeds to Bristol", "transferring over from the North West").
const LEAVING: &[&str] = &[
    "moved",
    "moving",
    "move",
    "moves",
    "relocated",
    "relocating",
    "relocate",
    "transferred",
    "transferring",
    "transfer",
    "came",
    "coming",
    "switched",
    "switching",
    "rotating",
    "rotate",
    "rotated",
];

/// Whether byte offset `at` of `text` begins a sentence: only spaces (or nothing) since the
/// start of the text, a line break, or sentence-ending punctuation.
fn starts_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\t', '"', '\'', '(', '*', '-']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', '\r', ':', ';'])
}

/// Whether a lower-case word follows byte offset `at` on the same line, directly or joined by
/// "/", "&" or "+" ("Reading/links for informatics", "Bath & bedtime").
fn sentence_goes_on(text: &str, at: usize) -> bool {
    text[at..]
        .trim_start_matches([' ', '\t', '/', '&', '+'])
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// A word's letters as a set of bits (see [`letter_mask`]).
type LetterMask = u64;

/// A word of a place name that misspellings are corrected towards, with its
/// [`letter_mask`].
type PlaceWord = (String, Option<LetterMask>);

/// The pattern of [`RegionFinder::outside_place`]: a preposition of place, an optional
/// "the", then one of `names` as a whole word (longest first, so "Northern Ireland" is read
/// before "Ireland"), or one of `names` before the people or bodies of training there ("NI
/// trainees", "Scottish registrars", "the Welsh deanery"), or one of `names` that runs or
/// offers something ("HEIW runs its own version", "Scotland has a similar scheme"); `None`
/// for an empty list or one that does not compile.
fn outside_pattern(names: &[String]) -> Option<Regex> {
    let mut names: Vec<&str> = names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        return None;
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let alternatives: Vec<String> = names
        .iter()
        .map(|n| regex::escape(n).replace(' ', r"\s+"))
        .collect();
    let names = alternatives.join("|");
    Regex::new(&format!(
        r"(?i)\b(?:in|to|across|throughout|within|into|at|for)\s+(?:the\s+)?(?:(?:north|south|east|west|mid|n|s|e|w)\.?\s+)?({names})\b|\b({names})\s+(?:trainees?|registrars?|regs|doctors?|deaner(?:y|ies)|programmes?)\b|\b({names})\s+(?:(?:also|still|already|now)\s+)?(?:runs?|ran|offers?|offered|has|have|had|does|did|provides?|operates?)\s+(?:its|their|a|an|the|fpt|it|something|anything)\b"
    ))
    .ok()
}

/// The letters of an ASCII word as a set of bits (a letter's code modulo 64); `None` for any
/// other word, which [`masks_exceed`] never rules out.
fn letter_mask(word: &str) -> Option<LetterMask> {
    word.is_ascii()
        .then(|| word.bytes().fold(0, |m, c| m | 1 << (c & 63)))
}

/// Whether the letter masks of two words show more than `budget` letters of one missing from
/// the other. Each such bit is a letter (at least one) one word has and the other lacks, so
/// its count differs by at least one: a lower bound of the bag distance (see
/// [`bag_distance_exceeds`]), which rules out no pair that bound would keep.
fn masks_exceed(a: Option<LetterMask>, b: Option<LetterMask>, budget: usize) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    (a & !b).count_ones() as usize > budget || (b & !a).count_ones() as usize > budget
}

/// Whether the bag distance of two ASCII words (the larger of the counts of letters one has
/// beyond the other) exceeds `budget`. It is a lower bound of their Damerau-Levenshtein
/// distance (a substitution, insertion or deletion changes each count by at most one, a
/// transposition by none), so a pair it rules out could never be within `budget`. Words with
/// other characters are never ruled out here.
fn bag_distance_exceeds(a: &str, b: &str, budget: usize) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return false;
    }
    let mut counts = [0i32; 128];
    for c in a.bytes() {
        counts[usize::from(c & 0x7f)] += 1;
    }
    for c in b.bytes() {
        counts[usize::from(c & 0x7f)] -= 1;
    }
    let (mut more_a, mut more_b) = (0usize, 0usize);
    for n in counts {
        if n > 0 {
            more_a += n.unsigned_abs() as usize;
        } else {
            more_b += n.unsigned_abs() as usize;
        }
    }
    more_a.max(more_b) > budget
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Contact, Region};

    #[test]
    fn letter_masks_never_rule_out_what_the_bag_distance_keeps() {
        let words = [
            "newcastle",
            "newcastel",
            "nwecastle",
            "birmingham",
            "birmingam",
            "bristol",
            "brsitol",
            "cambridge",
            "cambrigde",
            "manchester",
            "manchestre",
            "aaaaaa",
            "abcdef",
            "fedcba",
            "zürich",
            "zurich",
            "leeds!",
            "leeds",
            "",
        ];
        for a in words {
            for b in words {
                for budget in 0..3 {
                    if masks_exceed(letter_mask(a), letter_mask(b), budget) {
                        assert!(bag_distance_exceeds(a, b, budget), "{a} {b} {budget}");
                    }
                }
            }
        }
    }

    fn regions() -> Regions {
        let region =
            |id: &str, name: &str, places: &[&str], ambiguous: &[&str], domains: &[&str]| Region {
                id: id.into(),
                name: name.into(),
                aliases: vec![],
                domains: domains.iter().map(|s| s.to_string()).collect(),
                places: places.iter().map(|s| s.to_string()).collect(),
                ambiguous: ambiguous.iter().map(|s| s.to_string()).collect(),
                lead: Contact::default(),
            };
        Regions {
            admin_team: Contact::default(),
            regions: vec![
                region(
                    "north-east",
                    "North East",
                    &["Freeman Hospital", "Newcastle", "QE", "Durham"],
                    &[],
                    &["nuth.nhs.uk"],
                ),
                region(
                    "west-midlands",
                    "West Midlands",
                    &[
                        "Birmingham",
                        "QE",
                        "Queen Elizabeth Hospital Birmingham",
                        "Stoke",
                    ],
                    &["Stoke"],
                    &[],
                ),
                region(
                    "south-west",
                    "South West",
                    &["Derriford", "Bath", "Plymouth"],
                    &["Bath"],
                    &[],
                ),
                region(
                    "thames-valley",
                    "Thames Valley",
                    &["Reading", "Oxford", "Stoke Mandeville"],
                    &["Reading"],
                    &[],
                ),
                region(
                    "london",
                    "London",
                    &["Guy's", "Guys", "St Thomas'"],
                    &["Guys"],
                    &[],
                ),
            ],
            outside: vec![
                "Scotland".into(),
                "Northern Ireland".into(),
                "Ireland".into(),
            ],
        }
    }

    #[test]
    fn a_place_outside_the_regions_is_found_where_the_question_asks_about_it() {
        let finder = RegionFinder::new(&regions());
        assert_eq!(
            finder.outside_place("is it open to trainees in Scotland?"),
            Some("Scotland")
        );
        assert_eq!(
            finder.outside_place("does fpt run across northern  ireland"),
            Some("northern  ireland")
        );
        assert_eq!(
            finder.outside_place("can scotland trainees do fpt?"),
            Some("scotland")
        );
        // a point of the compass before it, written out or as chat shortens it
        assert_eq!(
            finder.outside_place("im st4 in n ireland, is fpt available?"),
            Some("ireland")
        );
        assert_eq!(
            finder.outside_place("I'm in South Scotland"),
            Some("Scotland")
        );
        // where the asker comes from, or a place inside the regions, is not
        assert_eq!(
            finder.outside_place("I'm moving from Scotland, how long is FPT?"),
            None
        );
        assert_eq!(
            finder.outside_place("is FPT open to trainees in Newcastle?"),
            None
        );
        // a longer word holding a name is not the name
        // the one that runs or offers something there
        assert_eq!(
            finder.outside_place("I assume Scotland runs its own version of FPT"),
            Some("Scotland")
        );
        assert_eq!(
            finder.outside_place("Scotland is lovely, how long is FPT?"),
            None
        );
        assert_eq!(finder.outside_place("in Irelandia"), None);
        let none = Regions {
            outside: Vec::new(),
            ..regions()
        };
        assert_eq!(RegionFinder::new(&none).outside_place("in Scotland"), None);
    }

    #[test]
    fn the_words_of_region_names_are_known_as_such() {
        let finder = RegionFinder::new(&regions());
        // "the Midlands" is no one region, but it says where
        for word in ["west", "midlands", "thames", "valley", "north", "london"] {
            assert!(finder.is_region_name_word(word), "{word}");
        }
        // a place's words are not a region's name; nor is any other word
        for word in ["birmingham", "freeman", "hospital", "pathway", "midland"] {
            assert!(!finder.is_region_name_word(word), "{word}");
        }
    }

    fn find(text: &str) -> Option<String> {
        RegionFinder::new(&regions())
            .find(text, None, |_| false)
            .region
    }

    #[test]
    fn finds_hospitals_cities_and_region_names() {
        assert_eq!(
            find("I work at the Freeman Hospital").as_deref(),
            Some("north-east")
        );
        assert_eq!(find("based at derriford").as_deref(), Some("south-west"));
        assert_eq!(
            find("Is FPT offered in Thames Valley?").as_deref(),
            Some("thames-valley")
        );
    }

    #[test]
    fn counts_the_regions_a_text_names() {
        let named = |text: &str| {
            RegionFinder::new(&regions())
                .find(text, None, |_| false)
                .regions_named
        };
        assert_eq!(named("what is FPT?"), 0);
        assert_eq!(named("I work at the Freeman Hospital"), 1);
        assert_eq!(
            named("my friend's FPT at the Freeman Hospital looks nothing like mine in Oxford"),
            2
        );
        // a place listed in two regions is not a whole region's evidence
        assert_eq!(named("I'm at the QE"), 0);
        // nor is it when written twice (subject and body)
        assert_eq!(named("FPT at the QE\nAny FPT posts at the QE?"), 0);
    }

    #[test]
    fn the_place_moved_to_says_where() {
        assert_eq!(
            find("I've just moved from Newcastle to Birmingham. Are there posts there?").as_deref(),
            Some("west-midlands")
        );
        // where the sender left, named alone, still says where
        assert_eq!(
            find("I'm moving from Newcastle next year").as_deref(),
            Some("north-east")
        );
        // two places with no move between them name no one region
        assert_eq!(find("Newcastle or Birmingham?").as_deref(), None);
        // both regions are still named
        let found = RegionFinder::new(&regions()).find(
            "I moved from Newcastle to Birmingham",
            None,
            |_| false,
        );
        assert_eq!(found.regions_named, 2);
    }

    #[test]
    fn tolerates_typos_in_place_names() {
        assert_eq!(find("I'm at Derrifrod").as_deref(), Some("south-west"));
        assert_eq!(
            find("working in Birmingam").as_deref(),
            Some("west-midlands")
        );
    }

    #[test]
    fn other_places_break_a_tie_between_shared_names() {
        assert_eq!(
            find("my fpt day at the QE in Birmingham").as_deref(),
            Some("west-midlands")
        );
        assert_eq!(find("I'm at the QE").as_deref(), None);
    }

    #[test]
    fn ambiguous_places_need_their_capital_letter() {
        assert_eq!(
            find("I moved to Reading last year").as_deref(),
            Some("thames-valley")
        );
        assert_eq!(find("reading the handbook now"), None);
        assert_eq!(find("I'll take a bath"), None);
        // a capital that only starts a sentence is no place; alone on a line it is
        assert_eq!(find("Reading the handbook, I saw nothing on pay."), None);
        assert_eq!(find("Thanks.\nBath time with the kids is hard."), None);
        assert_eq!(find("Reading/links for informatics"), None);
        assert_eq!(find("Reading/Oxford").as_deref(), Some("thames-valley"));
        assert_eq!(
            find("Kind regards,\nDr A Smith\nBath").as_deref(),
            Some("south-west")
        );
        // another spelling of an ambiguous name is ambiguous too ("you guys")
        assert_eq!(find("do i just email u guys to apply for fpt?"), None);
        assert_eq!(
            find("I'm a reg at Guy's this year").as_deref(),
            Some("london")
        );
        // an ambiguous name inside a longer place is that place
        assert_eq!(
            find("I'm at Stoke Mandeville").as_deref(),
            Some("thames-valley")
        );
        assert_eq!(find("I'm at Stoke").as_deref(), Some("west-midlands"));
    }

    #[test]
    fn sender_domain_is_a_fallback_and_no_clue_is_none() {
        let f = RegionFinder::new(&regions());
        assert_eq!(
            f.find("how long is it", Some("dr.x@nuth.nhs.uk"), |_| false)
                .region
                .as_deref(),
            Some("north-east")
        );
        assert_eq!(
            f.find("how long is it", Some("dr.x@example.org"), |_| false)
                .region,
            None
        );
    }

    #[test]
    fn bag_distance_never_rules_out_a_pair_within_budget() {
        let words = [
            "derriford",
            "derrifrod",
            "dreriford",
            "birmingham",
            "brimingham",
            "southmead",
            "southmaed",
            "norwich",
            "nowrich",
            "newcastle",
            "plymouth",
            "plymuoth",
            "sheffield",
        ];
        for a in words {
            for b in words {
                let d = strsim::damerau_levenshtein(a, b);
                for budget in 0..3 {
                    if d <= budget {
                        assert!(!super::bag_distance_exceeds(a, b, budget), "{a} {b}");
                    }
                }
            }
        }
        assert!(super::bag_distance_exceeds("norwich", "norfolk", 2));
    }
}
