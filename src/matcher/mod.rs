//! The matcher: ranks knowledge-base entries for a question and gives one calibrated
//! probability that the best one answers it.
//!
//! Two matchers look at every question. The lexical one (`index`: BM25F over an entry's
//! fields plus the best TF-IDF cosine to a single phrasing, coverage of the question's words,
//! unknown words, typo corrections) is good at rare terms, codes and short noisy questions.
//! The semantic one (`semantic`: sentence embeddings of each phrasing and answer passage) sees
//! meaning across different words. `features` turns both into one vector per candidate entry,
//! and `calibrate` fits a logistic model on the knowledge base itself (never on evaluation
//! sets) that maps the vector to the probability that the entry answers the question. The
//! candidate with the highest probability is the answer when it clears the threshold.
//!
//! Invariant: pure and deterministic; no knowledge of channels, and no I/O except
//! `persist`, which keeps a built matcher in one file beside the embedding cache
//! ([`Matcher::cached`]). The same base (and model) always gives the same calibration and the
//! same results, whether the matcher was built or loaded.

pub(crate) mod ask;
pub mod calibrate;
mod features;
#[cfg(test)]
mod features_reference;
mod index;
#[cfg(test)]
mod index_reference;
pub mod persist;
pub mod quantity;
mod ragged;
mod semantic;
mod shared;
pub(crate) use shared::FOLLOW_UP_TO_THE_BELOW;

pub use ask::{ask_kinds, AskKind};
pub use calibrate::{Calibration, FitReport};
pub use features::{Feature, FEATURES, FEATURE_NAMES, LEXICAL_SHARE};
pub use index::{bounded, Index, MAX_QUERY_WORDS};
pub use semantic::{kb_texts, Embed, EmbedError, Exclude, KbText, Semantic, TextKind};

use crate::text::SplitWords;
use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use crate::kb::KnowledgeBase;

/// A ranked entry with the evidence for it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Candidate {
    pub id: String,
    /// Calibrated probability in [0,1] that this entry answers the question.
    pub score: f32,
    /// Share of the enquiry's weighted terms this entry contains, in [0,1].
    pub coverage: f32,
    /// Enquiry words that matched this entry (as written, after typo correction).
    pub matched: Vec<String>,
    /// Lexical score in [0,1]: BM25F relative to the query's maximum, blended with the best
    /// TF-IDF cosine to one phrasing.
    pub lexical: f32,
    /// Best cosine in [-1,1] of the question's embedding to one phrasing of the entry; `None`
    /// without a model.
    pub semantic: Option<f32>,
    /// Best cosine to one passage of the entry's answer; `None` without a model.
    pub passage: Option<f32>,
    /// The whole feature vector the calibration weighed (see [`FEATURE_NAMES`]).
    #[serde(skip)]
    pub features: [f32; FEATURES],
}

/// The result of matching one question.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct MatchResult {
    /// Best first, at most `Index::MAX_CANDIDATES`.
    pub candidates: Vec<Candidate>,
    /// Calibrated probability in [0,1] that the first candidate answers the question.
    pub confidence: f32,
    /// Words corrected for typos ("improvment" → "improvement").
    pub corrections: Vec<(String, String)>,
    /// Enquiry words the knowledge base does not know at all.
    pub unknown: Vec<String>,
    /// Whether the text had any words to match on.
    pub has_terms: bool,
    /// The question's most specific word when the best entry does not contain it.
    pub missing_key: Option<String>,
    /// Why the best entry cannot give what is asked although it shares the topic: a date it
    /// never mentions or an amount it states differently ("asks about 2026, which the entry
    /// does not mention"). Such a question is never counted as answered by another
    /// question's entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<String>,
    /// Whether the semantic matcher took part.
    pub semantic: bool,
    /// Runners-up whose probability was added to the first's: the answer needs them too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

impl MatchResult {
    pub fn top(&self) -> Option<&Candidate> {
        self.candidates.first()
    }
}

/// Errors building a matcher.
#[derive(Debug, thiserror::Error)]
pub enum MatcherError {
    #[error(transparent)]
    Embed(#[from] EmbedError),
}

/// Lexical index, optional semantic index and the calibration fitted on this base.
#[derive(Debug)]
pub struct Matcher {
    pub index: Index,
    pub semantic: Option<Semantic>,
    pub calibration: Calibration,
    facts: EntryFacts,
}

/// What each entry states that a question may contradict, read once from the base when the
/// matcher is built or loaded, never per question.
#[derive(Debug)]
struct EntryFacts {
    /// The dates (see [`years`]) each entry's title, phrasings and answer mention, by entry
    /// (one row per entry, all in one vector: no block per entry).
    years: ragged::Ragged<u16>,
    /// The years each entry's title and answer give a month or day with ("from August
    /// 2022"), by entry: see [`dated_years`].
    dated: ragged::Ragged<u16>,
    /// The quantities each entry's title, phrasings and answer state, by entry.
    quantities: ragged::Ragged<quantity::Quantity>,
    /// Whether each entry's answer names a person ([`PERSON_NAMED`]), by entry.
    names_person: Vec<bool>,
    /// Whether each entry's answer states a day ([`DAY_STATED`]), by entry.
    states_day: Vec<bool>,
    /// What each entry counts (see [`quantity::counts`]), by entry.
    counts: ragged::Ragged<String>,
    /// The numbered items (see [`numbered_items`]) each entry's title, phrasings and answer
    /// name ("outcome 1"), by entry, each as [`numbered_key`].
    numbered: ragged::Ragged<u64>,
    /// Whether [`REQUEST_MISMATCH`] applies: the entries' phrasings sample what each entry
    /// answers (`Index::phrasings_sample_asks`).
    requests_judged: bool,
}

impl EntryFacts {
    fn new(kb: &KnowledgeBase, index: &Index) -> Self {
        let n = kb.entries.len();
        let mut facts = EntryFacts {
            years: ragged::Ragged::with_rows(n),
            dated: ragged::Ragged::with_rows(n),
            quantities: ragged::Ragged::with_rows(n),
            names_person: Vec::with_capacity(n),
            states_day: Vec::with_capacity(n),
            counts: ragged::Ragged::with_rows(n),
            numbered: ragged::Ragged::with_rows(n),
            requests_judged: index.phrasings_sample_asks(),
        };
        let mut text = String::new();
        for (doc, e) in kb.entries.iter().enumerate() {
            // the title and answer first: what `dated_years` reads
            text.clear();
            text.push_str(&e.title);
            text.push('\n');
            text.push_str(&e.answer);
            let title_and_answer = text.len();
            for q in &e.questions {
                text.push('\n');
                text.push_str(q);
            }
            let dates = years(&text);
            // a year given a month is a year `years` finds in the same words (a whole word
            // after a space or a comma): a text with none has none to read
            let dated = if dates.iter().any(|&d| d >= FIRST_YEAR) {
                dated_years(text.get(..title_and_answer).unwrap_or_default())
            } else {
                Vec::new()
            };
            facts.dated.push_row(dated);
            facts.numbered.push_row(
                numbered_items(&text)
                    .iter()
                    .map(|(label, n)| numbered_key(label, *n)),
            );
            facts.years.push_row(dates);
            // (an entry whose words include no number states no quantity: not read again)
            let stated = if index.states_number(doc) {
                quantity::quantities(index.analyzer(), &text)
            } else {
                Vec::new()
            };
            facts
                .counts
                .push_row(quantity::counts(index.analyzer(), &text, &stated));
            facts.names_person.push(PERSON_NAMED.is_match(&e.answer));
            facts.states_day.push(DAY_STATED.is_match(&e.answer));
            facts.quantities.push_row(stated);
        }
        facts.counts.shrink_to_fit();
        facts.years.shrink_to_fit();
        facts.dated.shrink_to_fit();
        facts.numbered.shrink_to_fit();
        facts.quantities.shrink_to_fit();
        facts
    }
}

/// A question about a date its best entry never mentions (a year: "when does recruitment
/// open for 2026?" against an entry about 2022; a month or a day of the week: "can I move my
/// protected day to a Friday?") is one the entry cannot answer: its probability is
/// multiplied by this.
/// Also applied to "when …" about a year the entry names without a month ([`dated_years`]).
pub const YEAR_MISMATCH: f32 = 0.25;

/// A question (opening with "when", perhaps after "do you know") about when information comes
/// out rather than when the thing itself happens:
/// "when will details of 2023 recruitment be published?", "when will the dates be
/// announced?"; or whether it is out yet ("has the timeline for 2023 been published yet?").
/// An entry that names the year and says where and when its details will be shared answers
/// it, with or without a date.
static PUBLICATION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\W*(?:(?:do|does)\s+(?:you|anyone|any\s*one)\s+know\s+|any\s+idea\s+|(?:could|can)\s+you\s+tell\s+me\s+)?when\b.{0,40}?\b(?:details|information|info|news|announcements?|dates?|plans?)\b.{0,60}?\b(?:published|announced|released|shared|publicised|posted|put\s+up|made\s+available|available|come\s+out|out)\b|\b(?:details|information|info|news|dates?|plans?|timeline|timetable)\b.{0,60}?\b(?:ha(?:s|ve)\s+been|been|are|is)\s+(?:published|announced|released|shared|publicised|made\s+available|finali[sz]ed|confirmed|out)\b",
    )
    .expect("publication regex is valid")
});

/// A date asked for in so many words: "the exact date", "what date", "which day", "the
/// actual start date".
static DATE_ITSELF: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!(
        r"(?i)\b{PRECISE}(?:date|day|month|year)s?\b|\b(?:what|which)\s+(?:date|day|month|year)\b"
    ))
    .expect("date-itself regex is valid")
});

/// The words that make a date asked precise: "exact", "the actual start", "official closing"
/// ([`DATE_ITSELF`], [`DAY_ASKED`]).
const PRECISE: &str =
    r"(?:exact|actual|precise|specific|official)\s+(?:start\s+|end\s+|closing\s+|opening\s+)?";

/// A day asked for: "the exact date", "what date", "the actual start date", "what exact day
/// in August", "which day of the week". A date given only to the month ("from August 2022")
/// or the year does not answer it ([`DAY_STATED`]).
static DAY_ASKED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!(r"(?i)\b{PRECISE}(?:date|day)s?\b|\b(?:what|which)\s+(?:exact\s+)?date\b|\bwhat\s+(?:exact\s+)?day\s+(?:in|of)\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:what|which)\s+day\s+of\s+the\s+(?:week|wk)\b"))
        .expect("day-asked regex is valid")
});

/// A day stated: a day of the month with its month ("3 January", "January 3rd", "1st of
/// March"), a numeric date ("03/01/2023", "2023-01-03") or a day of the week.
static DAY_STATED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b")
        .expect("day-stated regex is valid")
});

/// Words of a trainee's own move ([`shared::asks_after_a_move`]): relocating, rotating,
/// an inter-deanery transfer. An entry that speaks of none of them does not say what such a
/// move means ("move" and "transfer" are left out: the base says them of the scheme's move
/// to HEE, which is not the trainee's).
const MOVE_WORDS: &str = "relocate relocation rotate rotation interdeanery";

/// A question that wants the date itself, not news of when it will be known: "when
/// *exactly* does 2023 recruitment open?", "the actual date", "the deadline", "when does it
/// close?", "need the date". Without it, "when is 2023 recruitment happening?" is answered by
/// an entry that names the year and says its details will follow.
static EXACT_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:exact(?:ly)?|actual|precise(?:ly)?|specific(?:ally)?|deadlines?|clos(?:e|es|ing)|what\s+date|which\s+date|(?:the|a)\s+date\s+(?:it|they|applications?|recruitment)|need\s+(?:the|a)\s+dates?)\b",
    )
    .expect("exact-date regex is valid")
});

/// A question asking exactly when something is to happen: "when exactly will the expansion
/// happen?", "when will it start exactly?", "exactly when is it coming to London?" (not
/// when it did: the past is what an entry's history gives; nor "when exactly can I come off
/// my pathway?", which asks what is allowed).
static WHEN_EXACTLY_AHEAD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\bwhen\s+(?:exactly|precisely|specifically)\s+(?:will|is|are|would|does|do)\b|\bwhen\s+(?:will|is|are|would)\s+[^?.!]{1,60}?\b(?:exactly|precisely)\b|\b(?:exactly|precisely)\s+when\s+(?:will|is|are|would|does|do)\b")
        .expect("when-exactly-ahead regex is valid")
});

/// A numbered item: a word of four letters or more, then a number of one or two digits that
/// ends the phrase ("an outcome 2 at my ARCP", "band 5?", "level 7 and …"), not an amount of
/// something ("spend 2 days") nor a point in training or time ("year 2", "week 3").
static NUMBERED_ITEM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b([a-z]{4,})\s+(\d{1,2})\b(?:\s*$|\s*[^\w\s%]|\s+(at|in|on|from|for|and|or|but|so|is|was|were|are|still|last|this|that|which|would|will|can|could|does|do|did|mean|means|count|counts|before|after|then|now|i|i'm|me|my|we|to|of|as|if|when|because|enough|ok|okay|allow|let)\b)",
    )
    .expect("numbered-item regex is valid")
});

/// Words before a number that make it an amount or a point in time, not an item's number.
const NOT_ITEM_LABELS: &[&str] = &[
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "time",
    "times",
    "about",
    "around",
    "only",
    "least",
    "most",
    "than",
    "over",
    "under",
    "with",
    "from",
    "into",
    "after",
    "before",
    "within",
    "every",
    "each",
    "just",
    "nearly",
    "almost",
    "roughly",
    "approximately",
    "maybe",
    "perhaps",
    "aged",
    "age",
    "page",
    "till",
    "until",
    "since",
    "during",
    "august",
    "september",
    "october",
    "november",
    "december",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
];

/// The numbered items a text names: (label folded to lower case without a final "s",
/// number). "I had an outcome 2 at ARCP" → `[("outcome", 2)]`.
fn numbered_items(text: &str) -> Vec<(String, u8)> {
    NUMBERED_ITEM
        .captures_iter(text)
        .filter_map(|c| {
            let label = c.get(1)?.as_str().to_lowercase();
            if NOT_ITEM_LABELS.contains(&label.as_str()) {
                return None;
            }
            let digits = c.get(2)?.as_str();
            // chat's "a form 4 my ES meeting": "for", not an item's number
            if let Some(next) = c.get(3) {
                let next = next.as_str().to_lowercase();
                if matches!(
                    crate::text::informal::numeral_before(digits, &next),
                    Some("to" | "for")
                ) {
                    return None;
                }
            }
            let n: u8 = digits.parse().ok()?;
            let label = label.strip_suffix('s').map(str::to_string).unwrap_or(label);
            Some((label, n))
        })
        .collect()
}

/// A stable key for a numbered item (FNV-1a over "label number"), the same on every run.
fn numbered_key(label: &str, n: u8) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in label.bytes().chain([b' ', n]) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A question about a numbered item ("would an outcome 2 still let me carry on?") whose
/// candidate entry names the item's kind ("outcome") but never that number ("subject to your
/// ARCP outcome") asks what the entry does not say: its probability is multiplied by this, as
/// for a year the entry never mentions.
pub const NUMBERED_MISMATCH: f32 = 0.25;

/// A claim put up to be checked: "is it true that …", "is it right that …", "is it true fpt
/// is …", "am I right in thinking that …", "correct me if I'm wrong but …", after a lead-in
/// ("just to check - is it right that …").
static CLAIM_CHECK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)^\W*(?:(?:just\s+to\s+(?:check|confirm|clarify|be\s+sure)|quick\s+(?:check|question)|sorry|so|and|but|ok|okay|also)\W+)?(?:is\s+it\s+(?:really\s+|actually\s+)?(?:(?:true|right|correct|the\s+case)\s+that|true)|am\s+i\s+(?:right|correct)\s+(?:in\s+(?:thinking|saying|understanding)\s+)?(?:that\b)?|correct\s+me\s+if\s+(?:i['’]?m|im|i\s+am)\s+wrong(?:\s*,?\s*but)?)\b")
        .expect("claim-check regex is valid")
});

/// A yes/no question put with "is"/"are" ("is fpt 2 days a week?", "are there 5 capabilities
/// per pathway?") or with "does" and what something has or gives ("does each pathway have ten
/// capabilities?"): an amount in it is a claim to check, which the entry stating the true
/// amount answers, as for "is it true that …" ([`CLAIM_CHECK`]); "can I do 2 days a week
/// instead of 1?" asks for something else and is not one.
static COPULA_QUESTION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\W*(?:(?:so|and|but|ok|okay)\W+)?(?:is|are|was|were|isn['’]?t|aren['’]?t|(?:does|do)\s+(?:each|every|the|a|an|fpt|it|they)\b(?:\s+[\w-]+){0,2}?\s+(?:have|has|get|give|last|include|contain|involve)\b)",
    )
    .expect("copula question regex is valid")
});

/// A person named in an answer: a title and a capitalised name ("Dr Asha Patel", "Professor
/// Jones", "Ms. Lee"). An answer naming only organisations ("HEE", "the RCP") or pointing to
/// a mailbox names no one.
static PERSON_NAMED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\b(?:Dr|Prof|Professor|Mr|Mrs|Ms|Miss|Mx|Sir|Dame)\.?\s+[A-Z][a-z]+")
        .expect("person-named regex is valid")
});

/// A statement put up with a question tag ("QI pathway has 5 capabilities yeah?", "it's 2
/// days a week, right?", "six in each, isn't it?"): a claim to check, as [`COPULA_QUESTION`].
static TAG_QUESTION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)[\w,]\s*(?:,\s*|\s+)(?:yeah|yes|yh|ya|right|correct|innit|no|isn['’]?t\s+it|aren['’]?t\s+they|doesn['’]?t\s+it|don['’]?t\s+they|is\s+that\s+(?:right|correct))\s*\?+\W*$",
    )
    .expect("tag question regex is valid")
});

/// A question asking an amount its best entry states differently ("2 days a week" against
/// "one day a week", see [`quantity`]) is one the entry cannot answer: its probability is
/// multiplied by this, as for a year the entry never mentions.
pub const QUANTITY_MISMATCH: f32 = 0.25;

/// A question asking something of a person (a service, the state of their own case, a
/// deadline…; [`ask::REQUEST_KINDS`]) that none of its best entry's phrasings asks: its
/// probability is multiplied by this, as for a date or amount the entry does not give. The
/// fitted `ask_mismatch` weight alone is learnt from the base's own phrasings, where such
/// requests are rare, and let a near-copy of a phrasing ("could you *post me a printed*
/// copy of the handbook?") through. Not applied on a base of one phrasing per entry (what an
/// entry offers would rest on one sentence; see `Index::phrasings_sample_asks`).
pub const REQUEST_MISMATCH: f32 = 0.25;

/// The smallest year [`years`] reads (its pattern's `(?:19|20)\d{2}`); its other dates are
/// coded below 113.
const FIRST_YEAR: u16 = 1900;

/// The dates named in `text`: years (1900–2099, four digits standing alone) as themselves,
/// months as 101–112 and days of the week as 1–7 (Monday first), written in full or by their
/// common unambiguous short forms ("Weds", "Thurs", "Sept"; not "May", "Sun" or "Sat", which
/// are also ordinary words).
pub fn years(text: &str) -> Vec<u16> {
    const { assert!(FIRST_YEAR > 112, "years are above the months' codes") };
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(&format!(
            r"(?i)\b(?:(?:19|20)\d{{2}}|mondays?|tuesdays?|tues|wednesdays?|weds|thursdays?|thurs|fridays?|saturdays?|sundays?|{MONTHS})\b"
        ))
        .expect("date regex is valid")
    });
    const NAMES: [(&str, u16); 19] = [
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
        ("sun", 7),
        ("jan", 101),
        ("feb", 102),
        ("mar", 103),
        ("apr", 104),
        ("jun", 106),
        ("jul", 107),
        ("aug", 108),
        ("sep", 109),
        ("oct", 110),
        ("nov", 111),
        ("dec", 112),
        ("may", 105),
    ];
    let mut out: Vec<u16> = DATE
        .find_iter(text)
        .filter_map(|m| {
            let word = m.as_str().to_ascii_lowercase();
            word.parse().ok().or_else(|| {
                NAMES
                    .iter()
                    .find(|(prefix, _)| word.starts_with(prefix))
                    .map(|(_, code)| *code)
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Month names in full and their unambiguous short form "Sept" (not "May", an ordinary word
/// on its own), as regex alternatives.
const MONTHS: &str =
    "january|february|march|april|june|july|august|september|sept|october|november|december";

/// The years `text` gives a month (and perhaps a day) with: "from August 2022", "1 March
/// 2023", "March, 2023". A text that names a year only as a label ("recruitment for 2023 is
/// under way") says something about that year but not when.
pub fn dated_years(text: &str) -> Vec<u16> {
    static DATED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        // beside a year, "May" and the three-letter forms are months too
        regex::Regex::new(&format!(
            r"(?i)\b(?:{MONTHS}|may|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\b[\s,]{{1,3}}((?:19|20)\d{{2}})\b"
        ))
        .expect("dated year regex is valid")
    });
    let mut out: Vec<u16> = DATED
        .captures_iter(text)
        .filter_map(|c| c.get(1)?.as_str().parse().ok())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What to match: the question and the text around it, each with a weight.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    /// The question itself.
    pub question: &'a str,
    /// Statements before or after it, the subject: counted at their weight lexically and
    /// added to the question's embedding with the same weight.
    pub context: &'a [(&'a str, f32)],
}

impl Matcher {
    /// Whether entry `doc` does not speak of a task asked of a person (`task`, stems from
    /// `ask::task_asked`): of the task's words that tell something (used by at most half the
    /// base's answers), the entry holds none in any field. Nothing telling asked: false.
    fn does_other_task(&self, task: &[String], doc: usize) -> bool {
        let mut telling = task
            .iter()
            .filter(|w| self.index.answers_using(w) * 2 <= self.index.len())
            .peekable();
        telling.peek().is_some() && !telling.any(|w| self.index.contains_stem(doc, w))
    }

    /// Builds the lexical index, pairs it with the semantic index (if any) and fits the
    /// calibration on the base.
    pub fn new(kb: &KnowledgeBase, semantic: Option<Semantic>) -> Self {
        let mut index = Index::build(kb);
        attach_dictionary(&mut index, semantic.as_ref());
        let calibration = Calibration::fit(kb, &index, semantic.as_ref());
        let facts = EntryFacts::new(kb, &index);
        Matcher {
            index,
            semantic,
            calibration,
            facts,
        }
    }

    /// A matcher with a given calibration instead of one fitted on `kb` (benchmarks and
    /// tests that must not pay for the fit).
    pub fn with_calibration(
        kb: &KnowledgeBase,
        semantic: Option<Semantic>,
        calibration: Calibration,
    ) -> Self {
        let mut index = Index::build(kb);
        attach_dictionary(&mut index, semantic.as_ref());
        let facts = EntryFacts::new(kb, &index);
        Matcher {
            index,
            semantic,
            calibration,
            facts,
        }
    }

    /// [`Matcher::new`], or the same matcher loaded from the file kept in `dir` for this
    /// base, model and code (see [`persist`]): an unchanged base starts without rebuilding the
    /// index or re-fitting the calibration. A missing, stale or corrupt file is rebuilt and
    /// written again (a corrupt or unreadable file with a warning; one for another base, model
    /// or code at debug level, as every edit of the base makes one); a file that cannot be
    /// written only costs the next start a rebuild. Never fails.
    pub fn cached(kb: &KnowledgeBase, semantic: Option<Semantic>, dir: &Path) -> Self {
        Self::cached_with_outcome(kb, semantic, dir).0
    }

    /// [`Matcher::cached`], saying whether the file was used.
    pub fn cached_with_outcome(
        kb: &KnowledgeBase,
        semantic: Option<Semantic>,
        dir: &Path,
    ) -> (Self, persist::Outcome) {
        let model_id = semantic.as_ref().map(|s| s.model().model_id().to_string());
        let key = persist::MatcherKey::new(kb, model_id.as_deref());
        let path = persist::path_for(dir, model_id.as_deref());
        let loaded = persist::read(&path, key).and_then(|bytes| {
            let mut r = persist::Reader::new(&bytes);
            let index = Index::decode(kb, &mut r)?;
            let calibration = decode_calibration(&mut r)?;
            r.finish()?;
            Ok((index, calibration))
        });
        let outcome = match loaded {
            Ok((mut index, calibration)) => {
                attach_dictionary(&mut index, semantic.as_ref());
                tracing::debug!(path = %path.display(), "matcher loaded from its file");
                let facts = EntryFacts::new(kb, &index);
                let matcher = Matcher {
                    index,
                    semantic,
                    calibration,
                    facts,
                };
                return (matcher, persist::Outcome::Loaded);
            }
            Err(persist::PersistError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                tracing::debug!(path = %path.display(), "no matcher file yet; building");
                persist::Outcome::Missing
            }
            Err(e @ persist::PersistError::Stale) => {
                tracing::debug!(reason = %e, path = %path.display(), "matcher file out of date; rebuilding it");
                persist::Outcome::Stale
            }
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "matcher file not used; rebuilding it");
                persist::Outcome::Unusable
            }
        };
        let matcher = Self::new(kb, semantic);
        let mut w = persist::Writer::default();
        let written = matcher.index.encode(&mut w).and_then(|()| {
            encode_calibration(&matcher.calibration, &mut w);
            persist::write(&path, key, &w.buf)
        });
        let bytes = w.buf.len();
        drop(w);
        // the build's temporaries are freed: give their pages back (a built matcher would
        // otherwise hold far more than the same one loaded from its file)
        crate::memory::release_free_memory();
        match written {
            Ok(()) => {
                tracing::debug!(path = %path.display(), bytes, "matcher file written")
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot keep the built matcher; the next start rebuilds it")
            }
        }
        (matcher, outcome)
    }

    /// Lexical matching only.
    pub fn lexical(kb: &KnowledgeBase) -> Self {
        Self::new(kb, None)
    }

    /// Runs `f` (the searches of one enquiry) with each text analysed once however many
    /// searches use it (a question with its context and alone, a subject given to each
    /// question): the same results, without analysing the same words again.
    pub fn sharing_analyses<R>(&self, f: impl FnOnce() -> R) -> R {
        shared::shared(&self.index, f)
    }

    /// Matches one question (with its context), ignoring the words in `drop` (place names).
    /// If the model fails on this text, the lexical result stands and a warning is logged.
    pub fn search(&self, parts: Parts<'_>, drop: &HashSet<String>) -> MatchResult {
        let vector = self.semantic.as_ref().and_then(|s| {
            match features::embed_parts(s, &self.index, parts) {
                Ok(v) => Some(v),
                Err(e) => {
                    tracing::warn!(error = %e, "semantic matching failed for one question; lexical result used");
                    None
                }
            }
        });
        self.search_with(parts, vector.as_deref(), drop, Exclude::None)
    }

    /// Every candidate's feature vector (see [`FEATURE_NAMES`]), for explanations and analysis.
    pub fn candidate_features(
        &self,
        parts: Parts<'_>,
        vector: Option<&[f32]>,
        drop: &HashSet<String>,
        exclude: Exclude,
    ) -> Vec<(String, [f32; FEATURES])> {
        features::compute(self, parts, vector, drop, exclude)
            .candidates
            .into_iter()
            .map(|c| (self.index.doc_id(c.doc).to_string(), c.x))
            .collect()
    }

    /// The question's embedding (question plus weighted context), if a model is loaded.
    pub fn embed(&self, parts: Parts<'_>) -> Option<Result<Vec<f32>, EmbedError>> {
        self.semantic
            .as_ref()
            .map(|s| features::embed_parts(s, &self.index, parts))
    }

    /// Matches a single text with no context.
    pub fn search_text(&self, text: &str, drop: &HashSet<String>) -> MatchResult {
        self.search(
            Parts {
                question: text,
                context: &[],
            },
            drop,
        )
    }

    /// Matches with a precomputed question embedding, leaving out what `exclude` names.
    pub fn search_with(
        &self,
        parts: Parts<'_>,
        vector: Option<&[f32]>,
        drop: &HashSet<String>,
        exclude: Exclude,
    ) -> MatchResult {
        // "is it true that FPT is two days a week?" is answered by the entry that states the
        // true amount, which corrects the claim; the frame's words ("true") are not its topic
        let claim = CLAIM_CHECK.find(parts.question);
        let checks_claim = claim.is_some()
            || COPULA_QUESTION.is_match(parts.question)
            || TAG_QUESTION.is_match(parts.question);
        let parts = match claim {
            Some(m) if parts.question[m.end()..].split_words().count() >= 3 => Parts {
                question: &parts.question[m.end()..],
                context: parts.context,
            },
            _ => parts,
        };
        let qf = features::compute(self, parts, vector, drop, exclude);
        let mut result = MatchResult {
            corrections: qf.query.corrections.clone(),
            unknown: qf.query.unknown(),
            has_terms: qf.has_terms(),
            semantic: vector.is_some() && self.semantic.is_some(),
            ..Default::default()
        };
        let stated = shared::stated(&self.index, parts.question, || shared::Stated {
            years: years(parts.question),
            quantities: quantity::quantities(self.index.analyzer(), parts.question),
            part_of_whole: quantity::asks_part_of_whole(parts.question),
            // (its words through the triage's word memo: "capabilites" corrected once)
            count_asked: quantity::count_asked_with(
                self.index.analyzer(),
                parts.question,
                |window| self.index.analyze_corrected(window),
            ),
            task_asked: ask::task_asked(self.index.analyzer(), parts.question),
        });
        let (asked_years, asked_quantities, part_of_whole, stated_count, task_asked) = (
            &stated.years,
            &stated.quantities,
            stated.part_of_whole,
            &stated.count_asked,
            &stated.task_asked,
        );
        // calendar years, not months or weekdays
        let asked_calendar_years: Vec<u16> =
            asked_years.iter().copied().filter(|&y| y >= 1900).collect();
        // (worked out for these parts by the candidates' features)
        let asked_kinds = std::rc::Rc::clone(&qf.asked);
        let asks_when = asked_kinds.contains(&ask::AskKind::Time);
        // "I'm applying this winter (2026/27). When will the recruitment details come out?":
        // a year the statements before the question name is the one asked about when the
        // question names none
        let context_years: Vec<u16> = if asks_when && asked_years.is_empty() {
            parts
                .context
                .iter()
                .flat_map(|(t, _)| years(t))
                .filter(|&y| y >= 1900)
                .collect()
        } else {
            Vec::new()
        };
        // "when will the 2023 details be published?" asks when news comes out, which "details
        // will be shared once they have been finalised" answers without a date
        let asks_publication = asks_when && PUBLICATION.is_match(parts.question);
        // a numbered item named in the question or the statements before it ("I had an
        // outcome 2 at ARCP. Can I stay on FPT?")
        // each paired, once, with the query's terms that write its label ("outcome" for
        // "an outcome 2"): a candidate holding such a term names the item's kind
        let asked_items: Vec<(u64, &index::Term)> = std::iter::once(parts.question)
            .chain(parts.context.iter().map(|(t, _)| *t))
            .flat_map(numbered_items)
            .flat_map(|(label, n)| {
                let key = numbered_key(&label, n);
                qf.query
                    .terms
                    .iter()
                    .filter(move |t| {
                        let w = t.written.to_lowercase();
                        w.strip_suffix('s').unwrap_or(&w) == label
                    })
                    .map(move |t| (key, t))
            })
            .collect();
        let asks_exact_date = asks_when
            && (EXACT_DATE.is_match(parts.question)
                || parts.context.iter().any(|(t, _)| EXACT_DATE.is_match(t)));
        // "What was the exact date that …?": a date asked for in words ("when exactly can I
        // search a specific folder?" asks no date)
        let asks_date_itself = asks_exact_date
            && (DATE_ITSELF.is_match(parts.question)
                || parts.context.iter().any(|(t, _)| DATE_ITSELF.is_match(t)));
        // the feature `ask_mismatch` already says whether the entry's phrasings offer the
        // kinds asked; with one phrasing per entry no request is judged by it
        let asks_request = self.facts.requests_judged && ask::asks_request(&asked_kinds);
        let asks_name = asked_kinds.contains(&ask::AskKind::Name);
        // "What exact day in August 2022 did the cohort start?": a day, asked in so many words
        let asks_day = !checks_claim && DAY_ASKED.is_match(parts.question);
        // the stems of a move's words, when the question asks what a move of the sender's own
        // means for their FPT
        let move_stems: Vec<std::rc::Rc<str>> = if shared::asks_after_a_move(parts) {
            self.index
                .analyzer()
                .analyze(MOVE_WORDS, false)
                .into_iter()
                .map(|t| t.stem)
                .collect()
        } else {
            Vec::new()
        };
        let mut scored: Vec<(usize, f32, Option<&'static str>)> = qf
            .candidates
            .iter()
            .take(Index::MAX_CANDIDATES)
            .map(|c| {
                let mut p = self.calibration.probability(&c.x);
                let mut mismatch = None;
                let known = self.facts.years.row(c.doc);
                if asked_years.iter().any(|y| !known.contains(y)) {
                    p *= YEAR_MISMATCH;
                    mismatch = Some("asks about a date the entry does not mention");
                } else if asks_exact_date
                    && !asks_publication
                    && !asked_calendar_years.is_empty()
                    && asked_calendar_years
                        .iter()
                        .all(|y| !self.facts.dated.row(c.doc).contains(y))
                {
                    // "when exactly does 2023 recruitment open?" against "recruitment for 2023
                    // is under way": the entry names the year but gives no date in it (nor in
                    // any other year asked: "when did 2022 start, and what about 2023?")
                    p *= YEAR_MISMATCH;
                    mismatch = Some("asks when, in a year the entry gives no date for");
                } else if asks_date_itself
                    && !asks_publication
                    && asked_calendar_years.is_empty()
                    && known.is_empty()
                {
                    // "What was the exact date that management handed over from the RCP to
                    // HEE?" against the entry saying it has: the date asked for is a year
                    // and more, and the entry names no year at all
                    p *= YEAR_MISMATCH;
                    mismatch = Some("asks for the exact date, which the entry does not give");
                } else if context_years
                    .iter()
                    .any(|y| known.iter().any(|k| *k >= 1900) && known.iter().all(|k| k < y))
                {
                    // the entry's years are all before the one the asker is in: its news is
                    // older than the question
                    p *= YEAR_MISMATCH;
                    mismatch = Some("asks when, about a year later than any the entry names");
                } else if asks_exact_date
                    && !asks_publication
                    && asked_calendar_years.is_empty()
                    && known.is_empty()
                    && WHEN_EXACTLY_AHEAD.is_match(parts.question)
                {
                    // "when exactly will the expansion to Thames Valley happen?" against "plans
                    // are underway to expand the scheme to these areas": the time itself is
                    // asked, and the entry names no year at all
                    p *= YEAR_MISMATCH;
                    mismatch = Some("asks exactly when something will happen, which the entry does not say");
                }
                // (covers the feature `ask_mismatch` for a request: when none of the asked
                // kinds is offered, the request kind is not either)
                if asks_request {
                    let offered = self.index.ask_kinds(c.doc, exclude);
                    if ask::unmet_request(&asked_kinds, &offered) {
                        p *= REQUEST_MISMATCH;
                        let unmet = |kind: ask::AskKind| {
                            asked_kinds.contains(&kind) && !offered.contains(&kind)
                        };
                        mismatch = Some(if unmet(ask::AskKind::Equivalent) {
                            "asks about another scheme like it, which the entry does not describe"
                        } else if unmet(ask::AskKind::Comparison) {
                            "asks how it differs from something else, which the entry does not say"
                        } else if unmet(ask::AskKind::Pay) {
                            "asks about pay, which the entry does not say"
                        } else if unmet(ask::AskKind::Evidence) {
                            "asks for evidence of an effect, which the entry does not give"
                        } else if unmet(ask::AskKind::Plans) {
                            "asks about plans for the future, which the entry does not speak of"
                        } else {
                            "asks something of a person that the entry does not offer"
                        });
                    }
                }
                // "I'm moving deanery next year - does my FPT carry over?" against the entry
                // saying the handover to HEE changes nothing (its phrasings ask what a change
                // means for the asker): an entry that never speaks of moving does not say
                // what a move of their own means
                if !move_stems.is_empty()
                    && !move_stems
                        .iter()
                        .any(|stem| self.index.contains_stem(c.doc, stem))
                {
                    p *= REQUEST_MISMATCH;
                    mismatch = Some("asks what a move of the sender's own means for them, which the entry does not speak of");
                }
                // "could you give me the name of our regional lead?" against an entry whose
                // answer names no one (it says who leads, or where to ask): whatever its
                // phrasings ask, the name is not in it
                if asks_name && !self.facts.names_person.get(c.doc).copied().unwrap_or(false) {
                    p *= REQUEST_MISMATCH;
                    mismatch = Some("asks for a person's name, which the entry does not give");
                }
                // "what exact date do 2023 applications open?", "which day of the week is the
                // FPT day?" against entries giving a month, a year or "one day a week": the
                // day is not in them
                if asks_day
                    && mismatch.is_none()
                    && !self.facts.states_day.get(c.doc).copied().unwrap_or(false)
                {
                    p *= YEAR_MISMATCH;
                    mismatch = Some("asks for a day, which the entry does not give");
                }
                let named = self.facts.numbered.row(c.doc);
                if asked_items
                    .iter()
                    .any(|(key, term)| !named.contains(key) && self.index.has(c.doc, term))
                {
                    p *= NUMBERED_MISMATCH;
                    mismatch = Some("asks about a numbered item the entry does not name");
                }
                let stated = self.facts.quantities.row(c.doc);
                if !checks_claim && quantity::contradicts(parts.question, asked_quantities, stated)
                {
                    p *= QUANTITY_MISMATCH;
                    mismatch = Some("asks about an amount the entry states differently");
                } else if part_of_whole {
                    p *= QUANTITY_MISMATCH;
                    mismatch =
                        Some("asks how many of a whole, which the entry does not break down");
                } else if !checks_claim
                    && quantity::counts_other(stated_count, self.facts.counts.row(c.doc), |w| {
                        // a word most answers use ("FPT", "trainee") tells nothing
                        self.index.answer_uses(c.doc, w)
                            && self.index.answers_using(w) * 2 <= self.index.len()
                    })
                {
                    p *= QUANTITY_MISMATCH;
                    mismatch = Some("asks how many of something the entry does not count");
                }
                // "who is responsible for finding me a new supervisor?" against the entry
                // saying who runs the scheme: of the task's words that tell (used by at most
                // half the answers), the entry has none
                if !checks_claim && self.does_other_task(task_asked, c.doc) {
                    p *= REQUEST_MISMATCH;
                    mismatch = Some("asks who does a task the entry does not speak of");
                }
                (c.doc, p, mismatch)
            })
            .collect();
        // the answer is the candidate most likely to answer, which need not be the one ranked
        // first: "who is fpt aimed at?" ranks the aims first, but who it is for answers it
        // (on a base with a fit of its own: `calibrate::most_probable`)
        if self.calibration.method == calibrate::Method::Fitted {
            let best = calibrate::most_probable(
                scored.iter().zip(&qf.candidates).map(|(s, c)| (&c.x, s.1)),
            );
            // (no candidates at all: nothing to move)
            if let Some(head) = scored.get_mut(..=best) {
                head.rotate_right(1);
            }
        }
        result.mismatch = scored.first().and_then(|s| s.2).map(str::to_string);
        result.candidates = scored
            .iter()
            .map(|&(doc, p, _)| {
                let c = qf
                    .candidates
                    .iter()
                    .find(|c| c.doc == doc)
                    .expect("scored candidates come from the feature list");
                Candidate {
                    id: self.index.doc_id(doc).to_string(),
                    score: p,
                    coverage: c.x[Feature::Coverage as usize],
                    matched: self.index.matched(&qf.query, doc),
                    lexical: c.x[Feature::Lexical as usize],
                    semantic: result.semantic.then(|| c.x[Feature::Semantic as usize]),
                    passage: result.semantic.then(|| c.x[Feature::Passage as usize]),
                    features: c.x,
                }
            })
            .collect();
        if let Some(&(doc, p, _)) = scored.first() {
            result.confidence = if result.has_terms { p } else { 0.0 };
            if let Some(key) = qf.query.key_term() {
                if !self.index.has(doc, key) {
                    result.missing_key = Some(key.written.clone());
                }
            }
        }
        result
    }
}

/// Gives the index's analyzer the model's whole-word vocabulary, so typo correction leaves
/// real words as written; without a model every word unknown to the base may be corrected.
fn attach_dictionary(index: &mut Index, semantic: Option<&Semantic>) {
    let dictionary = semantic.map(|s| {
        let model = s.model().clone();
        let real: crate::text::normalize::Dictionary =
            std::sync::Arc::new(move |word: &str| model.knows_word(word));
        real
    });
    index.analyzer_mut().set_dictionary(dictionary);
}

fn encode_calibration(c: &Calibration, w: &mut persist::Writer) {
    w.u8(match c.method {
        calibrate::Method::Lexical => 0,
        calibrate::Method::Fitted => 1,
        calibrate::Method::Prior => 2,
    });
    c.weights.iter().for_each(|&x| w.f32(x));
    let r = &c.report;
    w.len(r.queries);
    w.len(r.examples);
    w.len(r.positives);
    w.f32(r.self_top1);
    w.u8(u8::from(r.semantic));
    w.u8(u8::from(c.paraphrase_floor.is_some()));
    w.f32(c.paraphrase_floor.unwrap_or(0.0));
    w.u8(u8::from(c.pairs));
}

fn decode_calibration(r: &mut persist::Reader<'_>) -> Result<Calibration, persist::PersistError> {
    let method = match r.u8()? {
        0 => calibrate::Method::Lexical,
        1 => calibrate::Method::Fitted,
        2 => calibrate::Method::Prior,
        _ => return Err(persist::PersistError::Corrupt("calibration method".into())),
    };
    let mut weights = [0f32; FEATURES];
    for x in &mut weights {
        *x = r.f32()?;
    }
    let count = |r: &mut persist::Reader<'_>| -> Result<usize, persist::PersistError> {
        usize::try_from(r.u64()?)
            .map_err(|_| persist::PersistError::Corrupt("calibration report".into()))
    };
    let report = FitReport {
        queries: count(r)?,
        examples: count(r)?,
        positives: count(r)?,
        self_top1: r.f32()?,
        semantic: r.bool()?,
    };
    let has_floor = r.bool()?;
    let floor = r.f32()?;
    let pairs = r.bool()?;
    Ok(Calibration {
        method,
        weights,
        report,
        paraphrase_floor: has_floor.then_some(floor),
        pairs,
    })
}

#[cfg(test)]
mod numbered_tests {
    use super::numbered_items;

    #[test]
    fn numbered_items_are_read_but_not_chats_for() {
        assert_eq!(
            numbered_items("I had an outcome 2 at ARCP"),
            vec![("outcome".to_string(), 2)]
        );
        assert!(numbered_items("is there a form 4 my ES meeting?").is_empty());
        assert!(numbered_items("is there a form 4 the meetings").is_empty());
    }
}

#[cfg(test)]
mod date_tests {
    use super::years;

    #[test]
    fn a_year_is_dated_only_beside_a_month() {
        assert_eq!(
            super::dated_years("to start from August 2022. Recruitment for 2023 is under way."),
            vec![2022]
        );
        assert_eq!(super::dated_years("on 1 March, 2023"), vec![2023]);
        assert!(super::dated_years("the 2021 FAQ").is_empty());
    }

    #[test]
    fn every_dated_year_is_a_year_the_text_names() {
        // what `EntryFacts::new` relies on to skip `dated_years`
        for text in [
            "to start from August 2022. Recruitment for 2023 is under way.",
            "on 1 March, 2023",
            "May 1999 and may  ,2001",
            "SEPT 2024\nDec,2025x jan 2026",
            "march 19٣٣, june\t2030",
            "friday 2022",
        ] {
            let named = years(text);
            for y in super::dated_years(text) {
                assert!(y >= super::FIRST_YEAR && named.contains(&y), "{text}: {y}");
            }
        }
    }

    #[test]
    fn asking_when_news_comes_out_is_not_asking_when_it_happens() {
        for q in [
            "Do you know when details of FPT recruitment for 2023 will be published?",
            "when will the 2023 dates be announced",
            "When is information about 2023 recruitment likely to be available?",
            "I was wondering whether the timeline for the 2023 FPT recruitment has been published yet.",
        ] {
            assert!(super::PUBLICATION.is_match(q), "{q}");
        }
        for q in [
            "when exactly does 2023 fpt recruitment open? need the date",
            "What is the closing date for 2023 applications?",
            "can you add me to a mailing list so i get told when 2023 details come out?",
        ] {
            assert!(!super::PUBLICATION.is_match(q), "{q}");
        }
    }

    #[test]
    fn a_day_is_stated_only_with_its_month_or_as_a_weekday() {
        for day in [
            "3 January",
            "January 3rd",
            "1st of March",
            "03/01/2023",
            "on Wednesdays",
        ] {
            assert!(super::DAY_STATED.is_match(day), "{day}");
        }
        for not_a_day in ["from August 2022", "in 2023", "one day a week", "May I ask"] {
            assert!(!super::DAY_STATED.is_match(not_a_day), "{not_a_day}");
        }
    }

    #[test]
    fn years_months_and_weekdays_are_dates_and_modal_may_is_not() {
        assert_eq!(years("interviews in March 2022"), vec![103, 2022]);
        assert_eq!(years("can I move my day to a Friday or Thurs?"), vec![4, 5]);
        assert!(years("I may apply; ST3 in 1 year").is_empty());
    }
}

#[cfg(test)]
mod claim_tests {
    use super::{Matcher, CLAIM_CHECK, COPULA_QUESTION, TAG_QUESTION};
    use crate::kb::KnowledgeBase;
    use std::collections::HashSet;

    #[test]
    fn a_claim_check_is_found_after_a_lead_in_and_without_that() {
        for claim in [
            "is it true that FPT is two days a week?",
            "Just to check - is it right that each pathway has ten competencies?",
            "is it true fpt is only for people who want to do research??",
            "Am I right in thinking that Thames Valley was not in the pilot?",
            "Correct me if I'm wrong but each pathway has ten capabilities?",
        ] {
            assert!(CLAIM_CHECK.is_match(claim), "{claim}");
        }
        for other in [
            "is it paid?",
            "I think it is true that",
            "is it right for me?",
        ] {
            assert!(!CLAIM_CHECK.is_match(other), "{other}");
        }
        assert!(COPULA_QUESTION.is_match("does each pathway have ten capabilities?"));
        assert!(!COPULA_QUESTION.is_match("can I do 2 days a week instead of 1?"));
        for tagged in [
            "QI pathway has 5 capabilities yeah?",
            "it's 2 days a week, right?",
            "six in each, isn't it?",
            "fpt is one year min, is that right?",
        ] {
            assert!(TAG_QUESTION.is_match(tagged), "{tagged}");
        }
        for other in ["right?", "can I do 2 days instead, yeah", "what is it?"] {
            assert!(!TAG_QUESTION.is_match(other), "{other}");
        }
    }

    #[test]
    fn a_number_word_the_base_never_uses_is_a_claimed_amount_not_an_unknown_word() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
        let kb = KnowledgeBase::load(&root).expect("the shipped base loads");
        let matcher = Matcher::lexical(&kb);
        let result =
            matcher.search_text("does each pathway have ten capabilities?", &HashSet::new());
        assert!(
            !result.unknown.iter().any(|w| w == "ten"),
            "{:?}",
            result.unknown
        );
        assert_eq!(result.top().map(|c| c.id.as_str()), Some("capabilities"));
        assert!(result.mismatch.is_none(), "{:?}", result.mismatch);
    }

    #[test]
    fn a_count_a_name_or_an_equivalent_the_entry_does_not_give_is_not_answered_from_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
        let kb = KnowledgeBase::load(&root).expect("the shipped base loads");
        let matcher = Matcher::lexical(&kb);
        let threshold = crate::triage::DEFAULT_THRESHOLD;
        let confidence = |q: &str| matcher.search_text(q, &HashSet::new()).confidence;
        for other in [
            // the duration entry counts years, not posts
            "how many fpt posts are there in cardiology this year?",
            // the entry on local management names no one
            "Please could you send me the name and email address of the FPT lead for our region?",
            // the eligibility entry says who FPT is for, not what else there is
            "is there anything like fpt for GP trainees?",
            "Is there an equivalent of FPT for surgical trainees?",
            // the recruitment entry gives a month and a year, the protected-time entry "one
            // day a week": neither gives a day
            "What exact day in August 2022 did the FPT cohort start?",
            "what exact date do 2023 FPT applications open?",
            "which day of the week is the FPT day usually?",
        ] {
            assert!(
                confidence(other) < threshold,
                "{other}: {}",
                confidence(other)
            );
        }
        for answered in [
            "how many capabilities make up each pathway?",
            "how many competencies in each strand",
            "how many days a week is fpt",
            "can GP trainees do fpt?",
            "when did the 2022 FPT cohort start?",
        ] {
            assert!(
                confidence(answered) >= threshold,
                "{answered}: {}",
                confidence(answered)
            );
        }
    }
}
