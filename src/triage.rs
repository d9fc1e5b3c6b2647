//! Triage: turns an `Enquiry` into a `Decision` (answer, route or ignore) with an explanation,
//! and drafts the reply that goes with it.
//!
//! Order: ignore rules → read only the sender's words → find the region → match each question →
//! answer only when every question is answered confidently, otherwise route.
//! Invariant: knows nothing of IMAP, Discord, HTTP or the store.

use crate::text::SplitWords;
use std::collections::HashSet;
use std::path::Path;
use std::rc::Rc;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

use serde::Serialize;

use crate::draft::{AnswerView, CandidateView, Draft, Drafter, EnquiryView};
use crate::enquiry::{Channel, Enquiry};
use crate::error::Result;
use crate::ignore::ignore_reason;
use crate::kb::{Contact, EntryKind, KnowledgeBase};
use crate::matcher::calibrate::{self, pair_partner};
use crate::matcher::{Candidate, Index, MatchResult, Matcher, Parts, Semantic};
use crate::region::{RegionFinder, RegionMatch};
use crate::text::coordination::coordinated_objects;
use crate::text::unasked::{unasked, Unasked};
use crate::text::{clean_message, split_questions, CleanText, Question};

/// Share of its words a question must share with an entry that already answers another
/// question of the enquiry to count as answered by it too ("how much protected time do you
/// get? is it a whole day or like an afternoon": the second shares 0.42 with the first's
/// entry). 0.5 before; 0.4 gained two answers on the newcomer sets and no false one, but
/// answered "is it paid?" after "is FPT one day a week": with a word the base does not know
/// the share needed stays [`SAME_ENTRY_COVERAGE_WITH_UNKNOWN`].
const SAME_ENTRY_COVERAGE: f32 = 0.4;
/// [`SAME_ENTRY_COVERAGE`] for a question with a word the base does not know.
const SAME_ENTRY_COVERAGE_WITH_UNKNOWN: f32 = 0.5;
/// Words the base does not know from which a question is not answered by the entry of
/// another question of the enquiry (see [`SAME_ENTRY_COVERAGE`]): two ("how is success
/// measured?" after the aims) ask about something the entry does not speak of. (One, tried
/// in the fortieth session, lost more answers over the labelled sets than false answers it
/// saved: "Could you clarify what the actual figure is?" after a claim.)
const MAX_UNKNOWN_FOR_SAME_ENTRY: usize = 2;

/// Whether the scheme is there for the asker, or for the person they ask for: "can I join /
/// apply / do it?", "is it an option for me?", "does it exist here?", "am I eligible?",
/// "(my friend asked if) she can apply". Asked after saying where they
/// are, it asks about that place ([`crate::region::RegionFinder::outside_place`]).
static OWN_ACCESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:can|could|may|would)\s+(?:i|she|he|they|we)\s+(?:still\s+|also\s+)?(?:join|apply|do|get|take\s+part|be\s+(?:considered|eligible|accepted))\b|\b(?:i|she|he|they|we)\s+(?:can|could)\s+(?:still\s+|also\s+)?(?:join|apply|do|get|take\s+part)\b|\bfor\s+me\b|\bhere\b|\b(?:am|would)\s+i\s+(?:be\s+)?eligible\b|\bexists?\b|\boption\s+for\b")
        .expect("own access regex is valid")
});

/// A question about getting onto the scheme or where it runs, which a place named before it
/// makes a question about that place: "how do I apply?", "are there posts?", "is it
/// available?", "are there any plans to extend it to them?" ([`OWN_ACCESS`] says the rest).
static ASKS_ABOUT_JOINING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:apply|applying|application|join|joining|eligible|eligibility|posts?|available|offered|run|runs|running|open\s+to)\b|\bplans?\s+(?:to|for)\s+(?:(?:extend|expand|bring|roll|introduc|launch|offer|start)\w*)\b|\b(?:extend|expand|bring|roll\w*\s+out)\w*\s+(?:(?:it|fpt|the\s+scheme)\s+)?(?:in)?to\s+(?:them|there)\b")
        .expect("asks-about-joining regex is valid")
});

/// Factor on the probability of the best entry for a question about the scheme in a place
/// where it does not run ([`crate::region::RegionFinder::outside_place`]): what the entry
/// says of the scheme in its own regions does not say whether or how it runs there.
const OUTSIDE_REGIONS: f32 = 0.1;

/// Factor on the probability of an entry pointing to a document the asker says does not
/// answer their question ([`document_without_answer`]): pointing them back to it answers
/// nothing, so the question is routed unless another entry answers it.
const ALREADY_READ: f32 = 0.1;

/// A document the asker says does not answer them: "questions the Handbook doesn't cover",
/// "the FAQ doesn't mention it", "I couldn't find anything in the handbook about …". The
/// named group is the document.
static DOCUMENT_WITHOUT_ANSWER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<doc>handbook|faqs?|documents?)\b[^.?!\n]{0,80}?\b(?:doesn['’]?t|does\s+not|didn['’]?t|did\s+not|don['’]?t|do\s+not|isn['’]?t|is\s+not|wasn['’]?t|was\s+not)\s+(?:seem\s+to\s+|really\s+|actually\s+)?(?:cover|answer|mention|address|explain|say\s+anything)\b|\b(?:couldn['’]?t|could\s+not|can['’]?t|cannot|didn['’]?t|did\s+not)\s+find\b[^.?!\n]{0,50}?\b(?:in|on)\s+(?:the\s+)?(?:trainees['’]?\s+)?(?:fpt\s+)?(?P<doc2>handbook|faqs?|documents?)\b")
        .expect("document-without-answer regex is valid")
});

/// The document ("handbook", "faq", "document") that `text` says does not answer the
/// asker ([`DOCUMENT_WITHOUT_ANSWER`]), singular and lower-case; `None` when it says none.
fn document_without_answer(text: &str) -> Option<String> {
    // Both of the pattern's ways name the document ("handbook", "faq", "document"): ASCII
    // text without one of those words, in any case, cannot match (most enquiries; the
    // scan of the whole message is skipped). Other text is always asked: `(?i)` matches
    // "k" in other scripts' letters (the Kelvin sign) too.
    if text.is_ascii() {
        let lower = text.to_ascii_lowercase();
        if !["handbook", "faq", "document"]
            .iter()
            .any(|w| lower.contains(w))
        {
            return None;
        }
    }
    let caps = DOCUMENT_WITHOUT_ANSWER.captures(text)?;
    let doc = caps.name("doc").or_else(|| caps.name("doc2"))?.as_str();
    let doc = doc.to_ascii_lowercase();
    Some(doc.strip_suffix('s').map_or(doc.clone(), str::to_string))
}

/// Share of an answered first candidate's probability that a runner-up must reach to be sent
/// beside it ([`Triage::near_tie`]): 0.9, a tie within the calibration's noise.
const NEAR_TIE_SHARE: f32 = 0.9;

/// Share of an FAQ entry's words a handbook passage must have to restate it.
const RESTATED_SHARE: f32 = 0.75;
/// Lowest probability of the runner-up for its restatement to count.
const RESTATED_MIN: f32 = 0.1;
/// Lowest probability of the first candidate for the restatement to count: only a near
/// miss is lifted ("im IMT2 atm can i do fpt now", matched on "fpt" alone at 0.38 with its
/// restatement at 0.15, is not).
const RESTATED_FLOOR: f32 = 0.4;
/// Probability from which two entries that restate each other, evenly split ("how long I'd be
/// expected to stay on a pathway once I've started?": the duration entry at 0.34 and the
/// pathways passage at 0.33), count whatever the first's probability.
const RESTATED_EVEN: f32 = 0.25;

/// Below this calibrated probability a question is routed, never answered.
pub const DEFAULT_THRESHOLD: f32 = 0.5;
/// Characters of a message body (or subject) that reach the matcher at most: a longer text
/// is cut, so no message can make triage slow (a real enquiry is far shorter).
pub const MAX_MATCH_CHARS: usize = 20_000;
/// Weight of the statements around a question and of the subject, relative to the question.
const CONTEXT_WEIGHT: f32 = 0.5;
/// A question that names a place in the sender's own words (not only in a signature) is
/// about local arrangements unless its entry speaks of that place or its region ("which day
/// is FPT at Southmead?", "who is the lead in Norwich?"): the probability of an entry that
/// never mentions it is multiplied by this, so only strong evidence still answers and the
/// rest goes to that region's lead. Measured on the labelled FPT sets: the named-place
/// questions the FAQ answers are about where FPT runs, whose entry names the places.
pub const LOCAL_PLACE: f32 = 0.5;
/// [`LOCAL_PLACE`] for a place named only in the statements before a question (a
/// self-introduction: "I'm the rota coordinator at Sheffield Teaching Hospitals. How much of
/// their week is protected?") when the question itself speaks of no arrangement of the
/// asker's own ([`OWN_OR_HERE`]: "my", "our", "we", "here", "locally") nor of a person to
/// contact ([`PERSON_TO_CONTACT`], in the question or in the statements it points back to):
/// only strong evidence (0.67 or more) still answers. Measured on the 4,464 labelled FPT
/// enquiries and mails: 0.6 gave 22 more correct for 2 more false answers (and 2 fewer);
/// without the exceptions for the asker's own arrangements, 23 for 9; with no weight at all
/// for such a place, 34 for 28. Measured again on 4,664 (3 December 2026): 0.75 against
/// 0.6 gave 6 more correct for 1 more false answer ("How does a trust go about becoming an
/// FPT host?" answered from the aims); no weight at all, 10 more correct for 10 more false.
pub const BACKGROUND_PLACE: f32 = 0.75;
/// [`BACKGROUND_PLACE`] without the model. Lexical matching alone, measured on 4,764
/// labelled enquiries and mails: 0.75 gave 1 more correct for 4 more false answers than 0.6
/// ("which day of the wk is fpt usually? im at James Cook" answered with the protected day),
/// so it keeps 0.6.
pub const BACKGROUND_PLACE_LEXICAL: f32 = 0.6;

/// What to do with an enquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum DecisionKind {
    Answer,
    Route,
    Ignore,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Answer => "answer",
            DecisionKind::Route => "route",
            DecisionKind::Ignore => "ignore",
        }
    }
}

/// How one question in the enquiry matched.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionMatch {
    pub text: String,
    #[serde(flatten)]
    pub result: MatchResult,
    /// Whether this question counts as answered.
    pub answered: bool,
    /// Whether the question itself (not its context) asks for an amount ("how many …?") of
    /// something its best entry lacks the most specific word of: another question's entry
    /// does not answer it.
    #[serde(skip)]
    amount_lacking_key: bool,
    /// Whether its best entry matches a word of the question itself, not only of its
    /// context: only then may another question's answer from that entry answer it too
    /// (worked out only for a question not answered by itself).
    #[serde(skip)]
    matches_own_words: bool,
    /// What a bare follow-up asks about what the question before it asked ([`FollowUp`]):
    /// the entry of the question before it may give it.
    #[serde(skip)]
    follow_up: Option<FollowUp>,
}

/// What a question asks, when all it asks is about what the question before it asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FollowUp {
    /// A kind of answer ([`bare_follow_up`]: "Where would I find it?", "What was the
    /// reasoning?"), given by an entry whose phrasings ask it.
    Kind(crate::matcher::ask::AskKind),
    /// Whether it will change ([`WILL_IT_CHANGE`]: "and is that likely to change?"), given by
    /// an entry whose answer speaks of plans ([`PLANS`]).
    WillChange,
}

impl FollowUp {
    fn of(question: &str) -> Option<Self> {
        bare_follow_up(question).map(FollowUp::Kind).or_else(|| {
            WILL_IT_CHANGE
                .is_match(question)
                .then_some(FollowUp::WillChange)
        })
    }
}

/// The decision and everything that explains it.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub decision: DecisionKind,
    pub confidence: f32,
    /// Entries the reply uses.
    pub faq: Vec<String>,
    /// Best first, up to three, also when routed.
    pub candidates: Vec<Candidate>,
    pub region: Option<String>,
    pub reason: String,
    pub questions: Vec<QuestionMatch>,
    pub region_match: RegionMatch,
    pub cleaned: CleanText,
    /// Name to greet the sender by.
    pub sender_name: Option<String>,
}

/// Everything triage needs, built once: knowledge base, index, region finder and templates.
#[derive(Debug)]
pub struct Triage {
    pub kb: KnowledgeBase,
    pub matcher: Matcher,
    regions: RegionFinder,
    pub drafter: Drafter,
    pub threshold: f32,
    /// Why semantic matching is off and how to turn it on; `None` when it is on.
    pub matching_note: Option<String>,
    /// Entry numbers sorted by entry id (of several entries with one id, only the last),
    /// for [`Triage::entry_words`]: searched by binary search, no copy of the ids.
    entry_no: Vec<u32>,
    /// The words of each entry's title and answer, by entry number, for [`LOCAL_PLACE`] and
    /// [`Triage::restates`]: worked out the first time an entry needs them (few entries
    /// ever do), then kept.
    /// (Boxed: an empty slot is 16 bytes, not the 56 of a set held in place, and nearly
    /// every slot stays empty.)
    #[allow(clippy::box_collection)]
    entry_words: Vec<OnceLock<Box<HashSet<String>>>>,
    /// The handbook passages' ids, for [`Triage::restates`].
    passages: HashSet<String>,
    /// The base's subject ([`subject_word`]): the word and its stem.
    subject: Option<(String, String)>,
    /// The word shingles of every answer in the base ([`crate::text::pasted`]), built the
    /// first time a message has a line long enough to be pasted from one.
    answer_shingles: OnceLock<crate::text::pasted::Shingles>,
}

/// [`BYTE_CLASS`] of an ASCII byte other than a letter or digit.
const SEPARATOR: u8 = 0;
/// [`BYTE_CLASS`] of an ASCII letter or digit.
const WORD: u8 = 1;
/// [`BYTE_CLASS`] of a byte beyond ASCII (a character's first byte or a later one).
const BEYOND_ASCII: u8 = 2;

/// Each byte's class for the byte walk of [`Triage::with_acronym_slips_put_right`]: one
/// load a byte where `is_ascii_alphanumeric` makes several comparisons.
const BYTE_CLASS: [u8; 256] = {
    let mut class = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        if b >= 0x80 {
            class[b] = BEYOND_ASCII;
        } else if (b as u8).is_ascii_alphanumeric() {
            class[b] = WORD;
        }
        b += 1;
    }
    class
};

impl Triage {
    /// Lexical matching only.
    pub fn new(kb: KnowledgeBase, drafter: Drafter) -> Self {
        Self::with_semantic(kb, drafter, None)
    }

    /// With the semantic index of `kb` (built from the model and, usually, the cache), or
    /// lexical matching only when `None`. Fits the calibration on the base.
    pub fn with_semantic(kb: KnowledgeBase, drafter: Drafter, semantic: Option<Semantic>) -> Self {
        let matcher = Matcher::new(&kb, semantic);
        Self::with_matcher(kb, drafter, matcher)
    }

    /// [`Triage::with_semantic`] with the built matcher kept in the folder `cache` (beside
    /// the embedding cache): a start with an unchanged base and model loads it instead of
    /// rebuilding the index and re-fitting the calibration (see [`Matcher::cached`]).
    pub fn with_semantic_cached(
        kb: KnowledgeBase,
        drafter: Drafter,
        semantic: Option<Semantic>,
        cache: &Path,
    ) -> Self {
        let matcher = Matcher::cached(&kb, semantic, cache);
        Self::with_matcher(kb, drafter, matcher)
    }

    fn with_matcher(kb: KnowledgeBase, drafter: Drafter, matcher: Matcher) -> Self {
        let matching_note = matcher
            .semantic
            .is_none()
            .then(|| format!("semantic matching is off; {}", crate::model::HOW_TO_TURN_ON));
        let regions = RegionFinder::new(&kb.regions);
        let entry_no = entry_numbers(&kb);
        let entry_words = kb.entries.iter().map(|_| OnceLock::new()).collect();
        let subject = subject_word(&matcher.index);
        let passages = kb
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Handbook)
            .map(|e| e.id.clone())
            .collect();
        Triage {
            passages,
            subject,
            entry_no,
            entry_words,
            kb,
            matcher,
            regions,
            drafter,
            threshold: DEFAULT_THRESHOLD,
            matching_note,
            answer_shingles: OnceLock::new(),
        }
    }

    /// Loads the knowledge base (folder or JSON) and the templates folder.
    pub fn load(kb: &Path, templates: &Path) -> Result<Self> {
        Ok(Self::new(
            KnowledgeBase::load(kb)?,
            Drafter::load(templates)?,
        ))
    }

    /// Whether the entry with id `id` only points to `document` ("handbook", "faq",
    /// "document"): its title names it (a plural counts) and its answer gives no address to
    /// write to ("If your question is not covered there, please email the FPT mailbox at …"
    /// answers someone the document failed).
    fn points_only_to(&self, id: &str, document: &str) -> bool {
        let Some((_, e)) = self.entry(id) else {
            return false;
        };
        !e.answer.contains('@')
            && crate::text::tokenize(&e.title)
                .iter()
                .any(|w| w == document || w.strip_suffix('s') == Some(document))
    }

    /// The entry with id `id` (the last one, if several have it) and its number.
    fn entry(&self, id: &str) -> Option<(usize, &crate::kb::Entry)> {
        let at = self
            .entry_no
            .binary_search_by(|&i| {
                self.kb
                    .entries
                    .get(i as usize)
                    .map_or("", |e| e.id.as_str())
                    .cmp(id)
            })
            .ok()?;
        let i = *self.entry_no.get(at)? as usize;
        Some((i, self.kb.entries.get(i)?))
    }

    /// The words of the title and answer of the entry with id `id` (the last one, if several
    /// have it), worked out on first use.
    fn entry_words(&self, id: &str) -> Option<&HashSet<String>> {
        let (i, e) = self.entry(id)?;
        Some(self.entry_words.get(i)?.get_or_init(|| {
            Box::new(
                crate::text::tokenize(&format!("{}\n{}", e.title, e.answer))
                    .into_iter()
                    .collect(),
            )
        }))
    }

    /// Whether one of entries `a` and `b` is an FAQ entry and the other a handbook passage
    /// that restates it: at least [`RESTATED_SHARE`] of the entry's title and answer words
    /// (stop words aside) are in the passage's.
    fn restates(&self, a: &str, b: &str) -> bool {
        let (faq, passage) = match (self.passages.contains(a), self.passages.contains(b)) {
            (false, true) => (a, b),
            (true, false) => (b, a),
            _ => return false,
        };
        let (Some(fw), Some(pw)) = (self.entry_words(faq), self.entry_words(passage)) else {
            return false;
        };
        let analyzer = self.matcher.index.analyzer();
        let content: Vec<&String> = fw.iter().filter(|w| !analyzer.is_stop(w)).collect();
        if content.is_empty() {
            return false;
        }
        let shared = content.iter().filter(|w| pw.contains(**w)).count();
        shared as f32 >= RESTATED_SHARE * content.len() as f32
    }

    /// The reason a yes/no question asks about ([`CAUSE_ASKED`]: "did the RCP pull out
    /// because of funding?" → "funding") when the entry of `top` mentions fewer than half of
    /// its words (stop words aside; a word and its inflections, by their first five letters,
    /// count as one): "because the RCP ran out of money" is not given by an entry naming the
    /// RCP alone. `None` when no reason is asked, or the entry mentions it.
    fn unmentioned_cause(&self, question: &str, top: Option<&Candidate>) -> Option<String> {
        let top = top?;
        let caps = CAUSE_ASKED.captures(question)?;
        let cause = caps.name("cause")?.as_str().trim();
        // (the asker's own reason for asking: "… because I need to plan my rota?")
        let first = cause.split_words().next().unwrap_or("").to_lowercase();
        if ["i", "i'm", "im", "my", "me", "we", "our", "us"].contains(&first.as_str()) {
            return None;
        }
        let analyzer = self.matcher.index.analyzer();
        let said: Vec<String> = crate::text::tokenize(cause)
            .into_iter()
            .filter(|w| w.len() >= 3 && !analyzer.is_stop(w))
            .collect();
        if said.is_empty() {
            return None;
        }
        let words = self.entry_words(&top.id)?;
        let stem = |w: &str| w.chars().take(5).collect::<String>();
        let mentioned = said
            .iter()
            .filter(|w| {
                words.contains(*w) || words.iter().any(|e| e.len() >= 5 && stem(e) == stem(w))
            })
            .count();
        (2 * mentioned < said.len()).then(|| cause.to_string())
    }

    /// Whether `question` names one specialty ("geriatric medicine", "cardio", "resp"): a
    /// word the knowledge base's synonyms rewrite to the word "specialty", written as
    /// something else (not "specialty" itself, nor the "specialty" of "higher specialty
    /// training" an abbreviation such as "HST" stands for). False for a base without such a
    /// synonym group.
    fn names_a_specialty(&self, question: &str) -> bool {
        let index = &self.matcher.index;
        let Some(specialty) = index
            .analyze_uncorrected("specialty")
            .first()
            .map(|t| Rc::clone(&t.stem))
        else {
            return false;
        };
        let tokens = index.analyze_uncorrected(question);
        let rewritten = tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                t.stem == specialty
                    && i.checked_sub(1)
                        .and_then(|j| tokens.get(j))
                        .is_none_or(|before| before.surface != "higher")
            })
            .count();
        let written = crate::text::tokenize(question)
            .iter()
            .filter(|w| w.starts_with("specialt") || w.starts_with("speciality"))
            .count();
        rewritten > written
    }

    /// The runner-up whose probability the pair rule ([`pair_partner`]) adds to the first
    /// candidate's, when the base has the rule. Not when the first entry mismatches what is
    /// asked, when neither entry has the question's most specific word ("what are the six
    /// capabilities *called*?"), nor when a second thing is asked after a comma. (Nor, left
    /// to the caller, after a place lowered the entries that do not name it: the pair would
    /// undo it, "are there FPT posts in respiratory at Leicester?")
    fn pair_partner(&self, result: &MatchResult, question: &str) -> Option<Candidate> {
        let probabilities: Vec<f32> = result.candidates.iter().map(|c| c.score).collect();
        let partner = result
            .candidates
            .get(pair_partner(&probabilities, self.threshold)?)?;
        self.may_send_runner_up(result, question, partner)
            .then(|| partner.clone())
    }

    /// Whether `runner_up` may be sent beside the first candidate of `result` (the pair rule
    /// and a near tie): the base has the rule, the first entry does not mismatch what is
    /// asked, no second thing is asked after a comma, and the runner-up has the question's
    /// most specific word when the first lacks it.
    fn may_send_runner_up(
        &self,
        result: &MatchResult,
        question: &str,
        runner_up: &Candidate,
    ) -> bool {
        self.matcher.calibration.pairs
            && result.mismatch.is_none()
            && !COMPOUND_QUESTION.is_match(question)
            && result
                .missing_key
                .as_ref()
                .is_none_or(|k| runner_up.matched.contains(k))
    }

    /// The runner-up sent beside an answered first candidate that it nearly ties: with the
    /// model, the first at or above the threshold, the runner-up at least [`NEAR_TIE_SHARE`]
    /// of it, every other candidate below [`calibrate::PAIR_MIN`], and the pair rule's
    /// conditions ([`Self::may_send_runner_up`]). The probability is not added: the question
    /// is answered by the first alone.
    fn near_tie(&self, result: &MatchResult, question: &str) -> Option<String> {
        let [first, second, rest @ ..] = result.candidates.as_slice() else {
            return None;
        };
        (result.semantic
            && result.also.is_empty()
            && first.score >= self.threshold
            && second.score >= NEAR_TIE_SHARE * first.score
            && rest.iter().all(|c| c.score < calibrate::PAIR_MIN)
            && self.may_send_runner_up(result, question, second))
        .then(|| second.id.clone())
    }

    /// `text` with each other name of the matched region that it names (an alias in
    /// regions.toml sharing no word with the region's name: "the Oxford Deanery", "Mersey",
    /// "NCL") written as the region's name, which is how the base names regions: "is fpt
    /// available in the oxford deanery?" asks about Thames Valley. Aliases that share a word
    /// with the name ("Yorkshire", "HEE Wessex") are left as written.
    ///
    /// Also returns the words of the region's name when an alias was rewritten (none
    /// otherwise).
    fn with_region_names(&self, text: &str, found: &RegionMatch) -> (String, Vec<String>) {
        let Some(region) = found
            .region
            .as_deref()
            .and_then(|id| self.kb.regions.get(id))
        else {
            return (text.to_string(), Vec::new());
        };
        let name_words = crate::text::tokenize(&region.name);
        let mut out = text.to_string();
        let mut renamed = false;
        for alias in &region.aliases {
            if !found.places.iter().any(|p| p.eq_ignore_ascii_case(alias))
                || crate::text::tokenize(alias)
                    .iter()
                    .any(|w| name_words.contains(w))
            {
                continue;
            }
            if let Ok(re) = Regex::new(&format!(r"(?i)\b{}\b", regex::escape(alias))) {
                if re.is_match(&out) {
                    out = re
                        .replace_all(&out, regex::NoExpand(region.name.as_str()))
                        .into_owned();
                    renamed = true;
                }
            }
        }
        let analyzer = self.matcher.index.analyzer();
        let words = if renamed {
            name_words
                .into_iter()
                .filter(|w| !analyzer.is_stop(w))
                .collect()
        } else {
            Vec::new()
        };
        (out, words)
    }

    /// `text` with the base's acronyms written with two letters after the first swapped put
    /// right ("what actually is FTP?" → "… FPT?"; see
    /// [`crate::text::normalize::Analyzer::transposed_acronym`]), in capitals. Not a word
    /// written in mixed case ("FtP": its capitals are the initials of words of its own) nor
    /// one in brackets ("fitness to practise (FTP)": the writer defines it). Borrowed, with
    /// nothing allocated, when no word is such a slip.
    ///
    /// The text is read by bytes: a word is a run of alphanumeric characters (an ASCII byte
    /// read as it is, a character beyond ASCII decoded where it starts), and a word is
    /// turned away by its length and first letter before anything else is asked of it.
    fn with_acronym_slips_put_right<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let analyzer = self.matcher.index.analyzer();
        // (asked only of a word of three to five bytes with a slip's length and first letter)
        let slip = |s: usize, e: usize| -> Option<&str> {
            let word = text.as_bytes().get(s..e)?;
            if !word.iter().all(u8::is_ascii_alphabetic) {
                return None;
            }
            let upper = word.iter().filter(|b| b.is_ascii_uppercase()).count();
            // all lower case, all capitals or only the first a capital
            let plain = upper == 0
                || upper == word.len()
                || (upper == 1 && word.first().is_some_and(u8::is_ascii_uppercase));
            let bracketed = s.checked_sub(1).and_then(|p| text.as_bytes().get(p)) == Some(&b'(')
                && text.as_bytes().get(e) == Some(&b')');
            if !plain || bracketed {
                return None;
            }
            // (lower-cased on the stack: no string built for each short word of a mail)
            let mut buf = [0u8; 5];
            let lower = buf.get_mut(..word.len())?;
            lower.copy_from_slice(word);
            lower.make_ascii_lowercase();
            analyzer.transposed_acronym(std::str::from_utf8(lower).ok()?)
        };
        let bytes = text.as_bytes();
        // whether the character starting at `i` (always a boundary) is alphanumeric, and
        // its width in bytes: decoded only beyond ASCII
        let wide = |i: usize| -> (bool, usize) {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_alphanumeric(), c.len_utf8()),
                None => (false, 1),
            }
        };
        // the slips' places first (most text has none: nothing is built then)
        let mut slips: Vec<(usize, usize, &str)> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            // between words: ASCII bytes other than letters and digits skipped in a run
            while bytes
                .get(i)
                .is_some_and(|&b| BYTE_CLASS[usize::from(b)] == SEPARATOR)
            {
                i += 1;
            }
            let Some(&b) = bytes.get(i) else {
                break;
            };
            let start = i;
            if b.is_ascii() {
                i += 1;
            } else {
                let (alphanumeric, width) = wide(i);
                i += width;
                if !alphanumeric {
                    continue;
                }
            }
            // in a word: ASCII letters and digits read in a run, a character beyond ASCII
            // decoded; the word ends before the first character that is neither
            loop {
                while bytes
                    .get(i)
                    .is_some_and(|&b| BYTE_CLASS[usize::from(b)] == WORD)
                {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(b) if !b.is_ascii() => match wide(i) {
                        (true, width) => i += width,
                        (false, _) => break,
                    },
                    _ => break,
                }
            }
            let word = bytes.get(start..i).unwrap_or_default();
            if (3..=5).contains(&word.len()) && analyzer.may_be_acronym_slip(word) {
                if let Some(acronym) = slip(start, i) {
                    slips.push((start, i, acronym));
                }
            }
        }
        if slips.is_empty() {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (s, e, acronym) in slips {
            out.push_str(&text[last..s]);
            out.push_str(&acronym.to_ascii_uppercase());
            last = e;
        }
        out.push_str(&text[last..]);
        std::borrow::Cow::Owned(out)
    }

    /// Whether the semantic matcher takes part.
    pub fn semantic(&self) -> bool {
        self.matcher.semantic.is_some()
    }

    pub fn region_name(&self, id: Option<&str>) -> Option<&str> {
        id.and_then(|id| self.kb.regions.get(id))
            .map(|r| r.name.as_str())
    }

    /// Who a routed enquiry goes to.
    pub fn contact_for(&self, region: Option<&str>) -> &Contact {
        self.kb.regions.contact_for(region)
    }

    /// Decides what to do with an enquiry.
    pub fn triage(&self, enquiry: &Enquiry) -> Decision {
        self.matcher.sharing_analyses(|| self.decide(enquiry))
    }

    fn decide(&self, enquiry: &Enquiry) -> Decision {
        let body = truncate_chars(&enquiry.body, MAX_MATCH_CHARS);
        let body = &*self.with_acronym_slips_put_right(body);
        let mut cleaned = clean_message(body);
        // the forwarder's own note, whose signature may say where they work
        let mut cover_note = String::new();
        if let Some(passed_on) = crate::text::clean::forwarded_question(
            body,
            &cleaned.text,
            enquiry.subject.as_deref().unwrap_or(""),
        ) {
            // the forwarder's note only passes the question on: the question is below it
            cover_note = std::mem::replace(&mut cleaned.text, passed_on);
        }
        // our earlier answer pasted back with no quote marks or attribution ("Thanks!" over
        // the text of our reply) is ours, not the sender's question
        if crate::text::pasted::may_hold_pasted(&cleaned.text) {
            let shingles = self.answer_shingles.get_or_init(|| {
                crate::text::pasted::Shingles::of(self.kb.entries.iter().map(|e| e.answer.as_str()))
            });
            if let Some((own, pasted)) = shingles.split(&cleaned.text) {
                cleaned.text = own;
                cleaned.quoted = true;
                cleaned.quoted_text = format!("{pasted}\n{}", cleaned.quoted_text);
            }
        }
        // "> mo: is there a pathway doc for informatics?" / "same q but for med ed": in chat, a
        // reply that points at the question it quotes asks it again
        if enquiry.channel() == crate::enquiry::Channel::Chat {
            if let Some((asked, narrowing)) =
                crate::text::clean::asks_the_quoted_again(&cleaned.text, &cleaned.quoted_text)
            {
                // "same q as mo but for scotland" under "is fpt in london yet?": what the
                // reply narrows to is a word the base does not have, so the quoted question's
                // answer is not its answer; asked alone, it goes to a person
                let index = &self.matcher.index;
                let unknown = index.analyzer().analyze(&narrowing, true).iter().any(|t| {
                    !t.stop && t.surface.chars().count() > 2 && !index.knows_stem(&t.stem)
                });
                cleaned.text = if unknown {
                    format!("{}?", narrowing.trim_end_matches('?'))
                } else {
                    asked
                };
            }
        }
        let sender_name = sender_name(enquiry, &cleaned);
        let mut decision = Decision {
            decision: DecisionKind::Ignore,
            confidence: 0.0,
            faq: Vec::new(),
            candidates: Vec::new(),
            region: None,
            reason: String::new(),
            questions: Vec::new(),
            region_match: RegionMatch::default(),
            cleaned,
            sender_name,
        };
        // (a notice greeting the room that names the subject is a person's complaint or news
        // about it: "Hi everyone, the FPT forms link has been broken for weeks")
        if let Some(reason) = ignore_reason(enquiry, &decision.cleaned.text).filter(|reason| {
            reason != crate::ignore::GREETED_ROOM_NOTICE
                || !self.writes_subject(&decision.cleaned.text)
        }) {
            decision.confidence = 1.0;
            decision.reason = reason;
            return decision;
        }

        // "Re: FPT protected time": the subject is the thread's earlier topic
        let is_reply = enquiry
            .subject
            .as_deref()
            .is_some_and(crate::text::subject::is_reply);
        let subject = enquiry
            .subject
            .as_deref()
            .map(|s| strip_reply_prefix(truncate_chars(s, 1_000)))
            .unwrap_or("");
        // ("FTP path ways?")
        let subject = &*self.with_acronym_slips_put_right(subject);
        // the organisation of an NHS directory name ("… (BARTS HEALTH NHS TRUST)") says where
        // (joined with one allocation of the exact length, as below: `format!` grows its
        // string piece by piece, and every mail passes here)
        // ("Kind regards, / Dr Tom Preston": a person's name is no place)
        let signature = without_titled_names(&decision.cleaned.signature);
        let where_pieces = [
            subject,
            &decision.cleaned.text,
            &signature,
            enquiry.organisation.as_deref().unwrap_or(""),
            &cover_note,
        ];
        let where_text = where_pieces.join("\n");
        // the cleaned body's words, read once: for the region finder here (its words are most
        // of `where_text`'s), then for the words of region names and places below
        let cleaned_words = TextWords::of(&decision.cleaned.text);
        // a real word is never corrected into a place ("midway" is not Medway)
        decision.region_match = self.regions.find_in_words(
            &where_text,
            |word| joined_words(&where_text, &where_pieces, (1, &cleaned_words), word),
            Some(&enquiry.from),
            |w| self.matcher.index.analyzer().is_real_word(w),
        );
        // "Following up on my email below…": the place is often only in the quoted mail
        if decision.region_match.region.is_none() && !decision.cleaned.quoted_text.is_empty() {
            let from_quote = self.regions.find(&decision.cleaned.quoted_text, None, |w| {
                self.matcher.index.analyzer().is_real_word(w)
            });
            if from_quote.region.is_some() {
                decision.region_match = RegionMatch {
                    source: "quoted mail",
                    // the quote's places say where, not what: they are not the question's
                    // own places
                    region_words: HashSet::new(),
                    regions_named: 0,
                    ..from_quote
                };
            }
        }
        decision.region = decision.region_match.region.clone();
        if let Some(why) = &enquiry.unreadable {
            // nothing to match: an admin reads it (never answered automatically)
            decision.decision = DecisionKind::Route;
            decision.reason = format!("{why}; kept for an admin to read (needs_attention)");
            return decision;
        }
        // the places named are the region's business, not the question's topic; so are the
        // words of a region's name that the base never uses ("Does FPT work the same way in
        // Yorkshire as in the North West?"): unknown, they would read as a topic it lacks
        let mut drop: HashSet<String> = decision.region_match.place_words.clone();
        let analyzer = self.matcher.index.analyzer();
        drop.extend(
            decision
                .region_match
                .region_words
                .iter()
                .filter(|w| !analyzer.knows(w) && !analyzer.is_stop(w))
                .cloned(),
        );
        // a place's name runs on in capitalised words the base does not know ("Darlington
        // Memorial", "Sunderland Royal"): they name the same place, not a topic
        let tails = place_name_tails(
            &decision.cleaned.text,
            &decision.region_match.place_words,
            |w| !analyzer.knows(w) && !analyzer.is_stop(w),
        );
        drop.extend(tails);
        // "my mate in the Midlands", "a friend up north": a word of a region's name the base
        // never uses says where, even when it names no one region
        // (the cleaned body's words, read above: the text matched below is most often the
        // cleaned body itself)
        drop.extend(cleaned_words.present(|w| {
            self.regions.is_region_name_word(w) && !analyzer.knows(w) && !analyzer.is_stop(w)
        }));
        // The subject gives context to a single question; with several it cannot say which.
        // (markup typed into plain text — "<script>…</script> What are the pathways?" — is
        // not the sender's words: the matcher reads the text without it)
        // a body that only asks for an answer ("Pls advise.", "?") leaves the question to a
        // new mail's subject that asks one ("FPT pathways list?") or names three things or
        // more ("Min duration FPT"); "FPT", "Research pathway" or a forward's "Fw: FPT
        // question" ask nothing in particular
        let subject_asks_alone = || {
            let raw = enquiry.subject.as_deref().unwrap_or("");
            !is_reply
                && !crate::text::subject::is_forward(raw)
                && (subject.contains('?')
                    || QUESTION_OPENER.is_match(subject)
                    || analyzer
                        .analyze(subject, false)
                        .iter()
                        .filter(|t| !t.stop)
                        .count()
                        >= 3)
        };
        let text = if decision.cleaned.text.trim().is_empty()
            || (crate::text::unasked::defers_to_subject(&decision.cleaned.text)
                && subject_asks_alone())
        {
            subject.to_string()
        } else {
            crate::text::markup::without_markup(&decision.cleaned.text).into_owned()
        };
        // another name of the region written as its name ("the Oxford Deanery" → Thames
        // Valley), whose words then name the region as the alias did
        let (text, renamed) = self.with_region_names(&text, &decision.region_match);
        // places named in the sender's own words, as opposed to a signature or a domain
        let mut named = decision.region_match.region_words.clone();
        named.extend(renamed);
        let named = &named;
        let local: Vec<&String> = if drop.is_empty() && named.is_empty() {
            Vec::new()
        } else {
            // (a few words: compared one by one, cheaper than hashing every word of the text)
            let places: Vec<&str> = drop.iter().chain(named).map(String::as_str).collect();
            let text_words_of_its_own;
            let text_words = if text == decision.cleaned.text {
                &cleaned_words
            } else {
                text_words_of_its_own = TextWords::of(&text);
                &text_words_of_its_own
            };
            let mut written = text_words.present(|t| places.contains(&t));
            // "My rota coordinator at Southmead told me FPT has been scrapped": where the
            // teller of a claim works says who told, not what is asked (a place written
            // elsewhere in the text still counts)
            if SPEAKER_AT_PLACE.is_match(&text) {
                let without = SPEAKER_AT_PLACE.replace_all(&text, " said");
                written = TextWords::of(&without).present(|t| places.contains(&t));
            }
            // "and", "the" of "Yorkshire and the Humber" name nothing: every entry has them
            let analyzer = self.matcher.index.analyzer();
            // "… the Royal College of Physicians …" above a signature at the Royal Preston
            // Hospital: a word only of places of several words, none of them written whole
            // in the sender's words, was written for something else
            let stray = stray_place_words(text_words, &decision.region_match.places, &written);
            drop.iter()
                .chain(named)
                .filter(|w| {
                    written.contains(w.as_str())
                        && !analyzer.is_stop(w)
                        && !stray.contains(w.as_str())
                })
                .collect()
        };

        let segments = unasked_as_context(split_questions(&text));
        let single = segments.len() == 1;
        // the question before each one, which a follow-up's "it" points back to
        // (without a lead-in that only announces it: "In among all the rota chaos I forgot
        // to ask at induction: is there a minimum time …, and what happens after that?"; with
        // the statements before it when it names nothing itself: "… we were left out of the
        // FPT pilot. Is that right, and why? Is there any intention to bring it here?")
        let previous: Vec<Option<String>> = std::iter::once(None)
            .chain(segments.iter().map(|q| {
                let asked = without_announcement(&q.question);
                Some(
                    // (the statements first: most questions have none, and counting a
                    // question's words analyses it)
                    if !q.context.trim().is_empty() && self.content_words(asked) <= 1 {
                        format!("{} {asked}", q.context.trim())
                    } else {
                        asked.to_string()
                    },
                )
            }))
            .collect();
        // whether each question follows the one before with no statement between them ("…
        // where FPT came from and what it's trying to achieve?", "What is FPT? How long is
        // it?"): that question, not the statements before both, is what its "it" is nearest
        let adjoins_previous: Vec<bool> = segments
            .iter()
            .enumerate()
            // (statements after the last question are added to its context; a question
            // straight after one with statements before it has none of its own: "Two
            // questions from teaching. Why were London and Thames Valley not in the pilot?
            // And are there any plans to bring them in?")
            .map(|(i, q)| {
                i > 0
                    && (q.context.is_empty()
                        || q.context.starts_with(segments[i - 1].context.as_str()))
            })
            .collect();
        // A place weighs the question it is written in ("who runs fpt now the pilot's done?
        // and is it ever coming to london" asks one question about London, not two), and a
        // later one that does not say what it asks about by itself ("when will fpt start in
        // oxford? next august?"); a place in the subject, or written in no question nor its
        // statements (a closing line), weighs them all.
        let local_from: Vec<Vec<&String>> = if local.is_empty() {
            vec![Vec::new(); segments.len()]
        } else {
            let is_local = |t: &str| local.iter().any(|w| w.as_str() == t);
            let words: Vec<HashSet<String>> = segments
                .iter()
                .map(|q| words_present(&[q.context.as_str(), " ", &q.question].concat(), is_local))
                .collect();
            let in_subject = words_present(subject, is_local);
            let everywhere = |w: &String| {
                in_subject.contains(w.as_str()) || !words.iter().any(|s| s.contains(w.as_str()))
            };
            segments
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let inherits = !stands_alone(&q.question);
                    local
                        .iter()
                        .copied()
                        .filter(|w| {
                            everywhere(w)
                                || words[i].contains(w.as_str())
                                || (inherits && words[..i].iter().any(|s| s.contains(w.as_str())))
                        })
                        .collect()
                })
                .collect()
        };
        // a place named only in the statements before a question (a self-introduction: "I'm
        // the rota coordinator at Sheffield Teaching Hospitals. How much of their week …?"),
        // not in the question itself, the subject or a closing line; `asked` is the question
        // without its list marker, hedge, indirect frame and lead-ins
        let only_background = |q: &Question, places: &[&String], asked: &str| {
            let is_place = |t: &str| places.iter().any(|w| w.as_str() == t);
            !places.is_empty() && {
                // "starting fpt in aug at Leicester Royal - are there forms i'm supposed to
                // use?": a statement set off by a dash before the question introduces the
                // asker as a sentence before it would
                let (introduction, question) = dash_introduction(&q.question);
                let mut in_context = words_present(&q.context, is_place);
                in_context.extend(words_present(introduction, is_place));
                words_present(question, is_place).is_empty()
                    && words_present(subject, is_place).is_empty()
                    // "I work at West Suffolk Hospital. Are there FPT posts in geriatrics
                    // there?": a question pointing at the place asks about it
                    && !points_at_place(question)
                    // "I'm at the Princess Royal Hospital. Is there FPT in cardiology?":
                    // whether the scheme is offered is asked of the place just named
                    && !ASKS_IF_OFFERED.is_match(question)
                    && places.iter().all(|w| in_context.contains(w.as_str()))
                    // (a lead-in's "my" is its setting: "Before I talk to my TPD I wanted to
                    // understand one thing: how much of my week …?")
                    && !speaks_of_own_arrangements(asked)
                    && !PERSON_TO_CONTACT.is_match(&q.question)
                    && (stands_alone(&q.question) || !PERSON_TO_CONTACT.is_match(&q.context))
                    // a bare question takes its meaning from the situation before it ("my FPT
                    // day has been cancelled four weeks in a row. What can I do?"): that
                    // situation's own arrangements count
                    && (!self.is_bare(&q.question) || !speaks_of_own_arrangements(&q.context))
            }
        };
        let read_without_answer = document_without_answer(&[subject, "\n", &text].concat());
        let mut questions: Vec<QuestionMatch> = segments
            .into_iter()
            .zip(previous)
            .enumerate()
            .map(|(i, (q, previous))| {
                let mut context = Vec::new();
                let (lead_ins, question) = split_lead_ins(strip_indirect_frame(strip_hedge(
                    strip_list_marker(&q.question),
                )));
                let only_background = only_background(&q, &local_from[i], question);
                let (question, reason) = split_trailing_reason(question);
                let question = strip_alternative_tail(question);
                // "Thames Valley isn't one of the FPT areas. Is there a reason for that?": a
                // question that only asks why of the statement before it asks why that is so
                let why_so = (!q.context.is_empty() && WHY_THAT_IS_SO.is_match(&question))
                    .then(|| format!("why {}?", q.context.trim_end_matches(['.', '!', ' '])));
                // "I heard London didn't take part in the pilot. Why was that?", "I understand
                // Thames Valley wasn't in the pilot - could you tell me why that was?": asked
                // as why the claim before it (the last statement, a lead-in or a clause set
                // off by a dash), without the frame that reports it, is so; taken below when
                // more confident
                let why_claim = {
                    // (the dash's question may point back)
                    let (intro, asked) = at_first_dash(&question).unwrap_or(("", &question));
                    let asked =
                        crate::text::request_frame::without_frame(strip_indirect_frame(asked));
                    WHY_WAS_THAT.is_match(asked).then(|| {
                        if !intro.is_empty() {
                            intro.to_string()
                        } else if let Some(lead_in) = lead_ins.last() {
                            lead_in.to_string()
                        } else {
                            crate::text::clean::sentences(&q.context)
                                .pop()
                                .unwrap_or_default()
                        }
                    })
                }
                .filter(|stated| has_word(stated))
                .map(|stated| {
                    let (_, claim) = split_lead_ins(&stated);
                    let claim = reported_claim(claim).unwrap_or(claim);
                    format!("why {}?", claim.trim_end_matches(['.', '!', ' ']))
                });
                let purpose = purpose_reading(&question);
                let question = why_so
                    .as_deref()
                    .or(purpose.as_deref())
                    .unwrap_or(question.as_str());
                let listed = without_enumerating_adjective(question);
                let question = listed.as_deref().unwrap_or(question);
                for &lead_in in &lead_ins {
                    context.push((lead_in, CONTEXT_WEIGHT));
                }
                if let Some(reason) = reason {
                    context.push((reason, CONTEXT_WEIGHT));
                }
                // a follow-up's "it" is what the question before it asked about, and so is
                // that of a short question of one word of its own straight after it ("can I
                // carry on right to the end of my training? What would decide it?")
                // (two words of its own when it adjoins the question before: "Why is FPT not
                // available to London trainees, and is there any plan to change that?")
                let two_word_follow_up = i > 0
                    && adjoins_previous[i]
                    && !stands_alone(question)
                    && self.content_words(question) == 2;
                let short_follow_up = two_word_follow_up
                    || (i > 0
                        && (adjoins_previous[i] || q.context.is_empty())
                        && !stands_alone(question)
                        && self.content_words(question) <= 1);
                if let Some(previous) = previous.as_deref().filter(|_| {
                    is_follow_up(question)
                        || short_follow_up
                        || (continues_previous(question)
                            && !self.names_subject(question)
                            && self.content_words(question) <= MAX_DETAILS_WORDS)
                }) {
                    context.push((previous, CONTEXT_WEIGHT));
                }
                // ("… with its own application form and interview? That's what someone in my
                // deanery told me but it doesn't sound right.": a remark naming only where a
                // claim came from says nothing of its topic)
                let own_context = without_source_remarks(&q.context);
                if !own_context.is_empty() {
                    context.push((own_context.as_ref(), CONTEXT_WEIGHT));
                }
                if single && !subject.is_empty() && subject != text {
                    context.push((subject, CONTEXT_WEIGHT));
                }
                // a lone letter ("q", "?", "x") names nothing: it neither is a question nor
                // gives one context (the FAQ's "Q&A" is not what "q" asks about)
                context.retain(|(t, _)| has_word(t));
                if !has_word(question) || unasked(question).is_some() {
                    return QuestionMatch {
                        answered: false,
                        amount_lacking_key: false,
                        matches_own_words: false,
                        follow_up: None,
                        text: q.question,
                        result: MatchResult::default(),
                    };
                }
                let mut result = self.matcher.search(
                    Parts {
                        question,
                        context: &context,
                    },
                    &drop,
                );
                // The statements around a question help one that says little by itself; they
                // must not sink a clear one ("I've just accepted an offer and have a handful
                // of questions. Who is the best address to send them to?"). The question alone
                // is taken when it is more confident about the same entry, unless the context
                // brings words the base does not know: those may be what is really asked
                // about ("nobody can tell me where to get a parking permit. Who should I speak
                // to?"). A question that points elsewhere alone needs its context ("I can't
                // find the research pathway document. Where should I be looking?"). With the
                // model, a question that names what it asks about by itself and is answered
                // alone is taken when its context sinks it below the threshold, unless the
                // context brings more than one unknown word ("wat is flexible portfolio
                // training exactly? keep hearing about it") and the question does not name
                // the base's subject itself: "I'm a final year student thinking ahead to a
                // career in medicine. What exactly is Flexible Portfolio Training?" asks about
                // FPT whatever the student's words. Lexical matching alone is not trusted with
                // this: on the newcomer sets it gave as many false answers as correct ones.
                let names_subject = |t: &str| self.names_subject(t);
                // the question just before this one, with no statement between them
                let adjoining = previous.as_deref().filter(|_| adjoins_previous[i]);
                // the words of the question alone that the base does not know
                let mut question_unknown = result.unknown.clone();
                // the question alone, when it was found to ask something new the base lacks
                // (below): no other reading of it then answers it
                let mut asks_something_new: Option<MatchResult> = None;
                if !context.is_empty() {
                    let alone = self.matcher.search(
                        Parts {
                            question,
                            context: &[],
                        },
                        &drop,
                    );
                    let same_entry = alone.top().map(|c| &c.id) == result.top().map(|c| &c.id);
                    let extra_unknown = result
                        .unknown
                        .iter()
                        .filter(|w| !alone.unknown.contains(w))
                        .count();
                    // (not when the context made the entry miss what is asked: a year it
                    // names, a request)
                    let diluted = alone.confidence > result.confidence
                        && same_entry
                        && alone.unknown == result.unknown
                        && result.mismatch.is_none();
                    // not when the context made it a request the entry does not offer
                    // ("The link gives a 404. Could you email me a copy?")
                    let sunk = alone.semantic
                        && alone.confidence >= self.threshold
                        && result.confidence < self.threshold
                        && alone.mismatch.is_none()
                        && result.mismatch.is_none()
                        && (extra_unknown <= 1
                            || names_subject(question)
                            // "My second child was born last year. What are the pathways?":
                            // a question naming what the entry's title names asks about it
                            // whatever the statements before it say
                            || alone.top().is_some_and(|c| self.names_title_of(question, &c.id))
                            // "Could you confirm who runs Flexible Portfolio Training, and
                            // what the RCP's involvement has been?": the second question
                            // shares the first one's subject
                            || adjoining.is_some_and(&names_subject))
                        && stands_alone(question)
                        // one word of its own is too little to leave the context for ("…
                        // a standard template for our meetings. Is there anything
                        // official?"), unless it names the base's subject ("whats FPT?")
                        // or the context agrees on the entry ("wot are the pathwys again?
                        // i know research is one but cant remember the others")
                        && (self.content_words(question) >= 2
                            || names_subject(question)
                            || same_entry);
                    // "How many people applied in the 2022 round, and how competitive was
                    // it?": such a follow-up of two words, none of which the base knows as a
                    // topic, asks something new about what the question before named, which
                    // that question's words must not answer
                    let asks_new = two_word_follow_up
                        && !alone.unknown.is_empty()
                        && self.known_topic_words(question, &alone.unknown) == 0;
                    question_unknown = alone.unknown.clone();
                    if asks_new {
                        asks_something_new = Some(alone.clone());
                    }
                    if diluted || sunk || asks_new {
                        result = alone;
                    }
                }
                // "The document lists a lot of activities. Am I expected to do all of
                // them?": the question asked with "them" resolved is read too
                let analyzer = self.matcher.index.analyzer();
                // nearest first: the question just before it in the same run of questions,
                // the statements just before the question, its lead-in, the question before
                // it, the subject
                let near: Vec<&str> = adjoining
                    .into_iter()
                    .chain(std::iter::once(q.context.as_str()))
                    .chain(lead_ins.iter().rev().copied())
                    .chain(context.iter().map(|(t, _)| *t))
                    .collect();
                // a word that may name what a pronoun or a count points to
                let known_word = |w: &str| analyzer.knows(w) && !analyzer.is_stop(w);
                let resolved = resolve_plural_pronoun(question, &near, known_word);
                // "is it a whole day or an afternoon?" asks which: an entry that answers
                // either alternative answers the question (the other's words only dilute it)
                // "one of our registrars asked me about Flexible Portfolio Training. I don't
                // really know what it is - could you give me a brief summary?": "it" is the
                // base's subject named just before
                // (a reason cut off the question still says what "it" is: "… what it is so I
                // can pass it to a colleague?" asks for an address, not what the scheme is)
                let it_found = IT_FOUND.is_match(&q.question);
                let read_as_subject = |question: &str, near: &[&str]| {
                    if it_found {
                        return None;
                    }
                    self.subject.as_ref().and_then(|(word, _)| {
                        resolve_subject_pronoun(question, near, word, names_subject)
                    })
                };
                // (the question before it first, then what was nearest without it)
                let about_subject = read_as_subject(question, &near).or_else(|| {
                    adjoining.and_then(|_| read_as_subject(question, near.get(1..).unwrap_or(&[])))
                });
                // each other reading of the question is taken when it is more confident and
                // nothing sinks it; `extra` is context of its own. Whether something sank it
                // (a mismatch) is returned.
                let better = |result: &mut MatchResult, reading: &str, extra: Option<&str>| {
                    let mut with_extra = context.clone();
                    with_extra.extend(extra.map(|e| (e, CONTEXT_WEIGHT)));
                    let other = self.matcher.search(
                        Parts {
                            question: reading,
                            context: &with_extra,
                        },
                        &drop,
                    );
                    let sunk = other.mismatch.is_some();
                    if other.confidence > result.confidence && !sunk {
                        *result = other;
                    }
                    sunk
                };
                // "and if I have a question it doesn't answer, who should I contact?": the
                // main clause is asked with the condition as its context
                if let Some((condition, main)) = split_condition(question) {
                    better(&mut result, main, Some(condition));
                }
                // "what the scheme is meant to achieve - is it mainly X, or more Y?": the
                // question before the dash, with the guesses after it as its context
                if let Some((asked, guesses)) = split_guesses_after_dash(question) {
                    better(&mut result, asked, Some(guesses));
                }
                // with "it" read as the subject the statements before have done their part:
                // the question is asked alone too, with the model ("someone mentioned fpt at
                // teaching today. what is it?" is not about teaching)
                let better_alone = |result: &mut MatchResult, reading: &str| {
                    let alone = self.matcher.search(
                        Parts {
                            question: reading,
                            context: &[],
                        },
                        &drop,
                    );
                    // lexical matching alone is not trusted with this (see the question
                    // taken alone above)
                    if alone.semantic
                        && alone.confidence > result.confidence
                        && alone.mismatch.is_none()
                    {
                        *result = alone;
                    }
                };
                if let Some(reading) = &about_subject {
                    better_alone(&mut result, reading);
                }
                // "What is the flexible portfolio training that my colleagues are doing?",
                // "what is this FPT thing everyone keeps talking about?": a clause after the
                // subject only says which thing is meant
                if let Some(reading) = self.subject.as_ref().and_then(|(word, _)| {
                    what_is_without_clause(question, word, |q| analyzer.expand_acronyms(q))
                }) {
                    better_alone(&mut result, &reading);
                }
                // so have they once a subject "they" is read as what they named ("Could you
                // give me a quick summary of the pathways - what they are, …?": "what the
                // pathways are?"); not an object "them", whose sentence may say what is
                // wanted of them ("reading material for our registrars … could I point them
                // to?")
                // (only when one plural could be meant: in "… the scheme's stated objectives
                // - especially anything about keeping registrars in post. What are they?" it
                // could be either)
                let sole = || sole_plural(&near, known_word);
                if let Some(reading) = resolved
                    .as_ref()
                    .filter(|_| THEY.is_match(question) && sole())
                {
                    better_alone(&mut result, reading);
                }
                // "I need the medical education pathway document for a meeting tomorrow and
                // I've wasted an hour looking for it. Where is it??": "it" is the document
                // named just before, whatever else those statements say
                if let Some(reading) = resolve_document_pronoun(question, &near) {
                    better_alone(&mut result, &reading);
                }
                // "… the thing I can't get a straight answer on is whether the protected bit
                // is a whole day, or a percentage spread across sessions. Could you
                // clarify?": a request that names nothing asks the question the statements
                // put without a question mark
                if self.content_words(question) <= 1 {
                    if let Some(unmarked) = unmarked_question(&q.context) {
                        better(&mut result, unmarked, None);
                    }
                }
                // "… London and the Thames Valley don't seem to have featured … whether the
                // scheme will reach those areas?": the places named before
                let is_place = |w: &str| {
                    decision.region_match.place_words.contains(w)
                        || decision.region_match.region_words.contains(w)
                };
                if let Some(reading) = resolve_places(question, &near, is_place) {
                    better(&mut result, &reading, None);
                }
                // "my ES was going on about capabilities - how many are in each pathway?":
                // the count's noun is the plural named just before
                let counted = resolve_elided_count(question, &near, known_word);
                // ("is it a whole day or just a few hrs?" read as the subject's, then its
                // first alternative)
                let subject_alternative = about_subject.as_deref().and_then(first_alternative);
                for alternative in resolved
                    .into_iter()
                    .chain(why_claim)
                    .chain(counted)
                    .chain(about_subject)
                    .chain(subject_alternative)
                    .chain(first_alternative(question))
                    .chain(for_the_activity(question))
                {
                    better(&mut result, &alternative, None);
                }
                // (as written: stripping a tag leaves "Who's right?" as "Who's?")
                // "Someone said FPT automatically extends your CCT by a year. Is that
                // correct?": when the claim is all a bare check asks, the claim is the
                // question; if it asks something of a person that no entry offers (a
                // consequence, a delay: a mismatch), the statements around the check do not
                // answer it either, nor does the subject below. (A wrong date or amount in a
                // claim is corrected by the entry that states the true one: "I heard the
                // last intake started in October - is that right?")
                let mut claim_sunk = false;
                // (kept: a claim's place is asked about below)
                let claimed = claim_question(&[own_context.as_ref(), " ", &q.question].concat());
                if let Some(claim) = claimed.as_deref() {
                    // (the check's own words are no content: "Is that how it works?")
                    let bare_check = self.content_words(&CONFIRM.replace_all(question, " ")) <= 1
                        && crate::matcher::ask::asks_request(&crate::matcher::ask::ask_kinds(
                            claim,
                        ));
                    let mut with_claim = result.clone();
                    if better(&mut with_claim, claim, None) && bare_check {
                        claim_sunk = true;
                        result = self.matcher.search(
                            Parts {
                                question: claim,
                                context: &context,
                            },
                            &drop,
                        );
                    } else {
                        result = with_claim;
                    }
                }
                // A mail's subject often says what a vague question in its body is about
                // ("Who leads FPT where I work?" over "How would I go about finding the right
                // person?"). When the question alone is routed for want of a topic (no entry
                // mismatches it), it is asked again as the subject followed by the question,
                // and as the subject with the question as its context; the second is taken
                // only when both readings pick the same entry. Not for a reply ("Re: …"
                // names the thread's earlier topic), a question that asks a second thing
                // after a comma, nor a question with a word the base does not know: that word
                // is what it asks about, not the subject's topic ("Is FPT still a pilot?" over
                // "How do I get ethics approval for my pilot QI project?").
                if single
                    && !subject.is_empty()
                    && subject != text
                    && has_word(subject)
                    && result.mismatch.is_none()
                    && !claim_sunk
                    && result.confidence < self.threshold
                    && !is_reply
                    && !COMPOUND_QUESTION.is_match(question)
                    && question_unknown.is_empty()
                {
                    let reading = strip_indirect_frame(strip_hedge(subject));
                    let joined = if reading.ends_with(['?', '.', '!']) {
                        format!("{reading} {question}")
                    } else {
                        format!("{reading}. {question}")
                    };
                    let joined = self.matcher.search(
                        Parts {
                            question: &joined,
                            context: &context,
                        },
                        &drop,
                    );
                    let mut with_question = context.clone();
                    with_question.push((question, CONTEXT_WEIGHT));
                    let titled = self.matcher.search(
                        Parts {
                            question: reading,
                            context: &with_question,
                        },
                        &drop,
                    );
                    if joined.mismatch.is_none() {
                        let agree = joined.top().map(|c| &c.id) == titled.top().map(|c| &c.id);
                        let best = if agree && titled.confidence > joined.confidence {
                            titled
                        } else {
                            joined
                        };
                        // the subject names the topic, the question what is asked of it:
                        // "Number of FPT posts 2023" over "How many posts will there be?"
                        // still asks how many, which an entry that never says how many
                        // does not answer
                        let asked = crate::matcher::ask::ask_kinds(question);
                        let offers_what_is_asked = best.top().is_some_and(|c| {
                            !crate::matcher::ask::mismatch(&asked, &self.offered_kinds(&c.id))
                        });
                        if best.confidence > result.confidence
                            && best.mismatch.is_none()
                            && offers_what_is_asked
                        {
                            result = best;
                        }
                    }
                }
                // "keep hearing about it wat is flexible portfolio training exactly?": the
                // question after an unpunctuated statement is read with the statement as
                // context, so the statement's words do not pick the entry
                // (not a bare check whose claim asks what no entry offers: "… can be split into
                // two half days. Is that how it works?" is not "how it works")
                if let Some((head, tail)) = embedded_question(question).filter(|_| !claim_sunk) {
                    // a statement that makes the question ask what the entry does not offer
                    // (a mismatch) is never left behind below: "I'm LTFT, how much protected
                    // time do I get on FPT?" asks what the asker's own hours make of the
                    // rule, which the question alone does not
                    let head_sinks = better(&mut result, tail, Some(head));
                    if !head_sinks {
                        // "keep seeing it on the regs whatsapp sorry dumb question but wats
                        // FPT?": a question that names the base's subject stands without the
                        // statement, as does one whose statement brings at most one word the
                        // base does not know (as the question alone above): "i know research
                        // is one but cant remember the others wot are the pathwys again?"
                        let unknown_in_head = crate::text::tokenize(head)
                            .iter()
                            .filter(|w| !analyzer.is_stop(w) && !analyzer.knows(w))
                            .count();
                        if stands_alone(tail) && (names_subject(tail) || unknown_in_head <= 1) {
                            better_alone(&mut result, tail);
                        }
                        // "someone mentioned fpt at teaching today, wot even is it": the "it"
                        // of the question is the subject the statement names
                        if let Some(resolved) = read_as_subject(tail, &[head]) {
                            better_alone(&mut result, &resolved);
                        }
                    }
                }
                // places in two regions or more compare them ("my friend's FPT in Yorkshire
                // looks different from mine in the North West"): not one region's own case
                let local_here = &local_from[i];
                let mut weighed_local = false;
                // (whether the scheme is offered in places of two regions is still asked of
                // those places: "is fpt available in wiltshire? salisbury or swindon")
                if !local_here.is_empty()
                    && (decision.region_match.regions_named < 2
                        || ASKS_IF_OFFERED.is_match(&q.question))
                {
                    let factor = if only_background {
                        // lexical matching alone is not trusted with the lighter weight
                        if result.semantic {
                            BACKGROUND_PLACE
                        } else {
                            BACKGROUND_PLACE_LEXICAL
                        }
                    } else {
                        LOCAL_PLACE
                    };
                    self.weigh_local(
                        &mut result,
                        local_here,
                        &decision.region_match.places,
                        decision.region.as_deref(),
                        factor,
                    );
                    weighed_local = true;
                } else if local.is_empty()
                    // ("Is FPT available in my region?" with no region known: whether it runs
                    // there is for someone who knows where that is)
                    && (decision.region.is_some() || ASKS_IF_OFFERED.is_match(&q.question))
                    && asks_about_own_place(&q.question)
                {
                    weighed_local = true;
                    // "is there a date yet for when FPT posts will be available here?" from a
                    // trust of a known region: as local as naming the place
                    self.weigh_local(
                        &mut result,
                        &[] as &[&String],
                        &[],
                        decision.region.as_deref(),
                        LOCAL_PLACE,
                    );
                }
                // An FAQ entry and a handbook passage that restates it split the probability
                // that the answer is right between them ("how long do you stay on a pathway
                // once you start?": duration and the pathways passage). With the model their
                // probabilities add up; lexical probabilities are not trusted with this (on
                // the newcomer sets it gave more false answers than correct ones).
                if let (true, Some(a), Some(b)) = (
                    result.semantic,
                    result.candidates.first(),
                    result.candidates.get(1),
                ) {
                    if result.mismatch.is_none()
                        && !weighed_local
                        && ((result.confidence >= RESTATED_FLOOR && b.score >= RESTATED_MIN)
                            || b.score >= RESTATED_EVEN)
                        && self.restates(&a.id, &b.id)
                    {
                        result.confidence = (result.confidence + b.score).min(1.0);
                    } else if let Some(partner) = (!weighed_local)
                        .then(|| self.pair_partner(&result, question))
                        .flatten()
                    {
                        // Two entries that each answer part of it ("does fpt work the same
                        // everywhere in the country?": regional variation at 0.42, where FPT
                        // runs at 0.35): the chance that one of them answers is the sum, and
                        // both are sent (the pair rule, `calibrate::pair_partner`).
                        result.confidence = (result.confidence + partner.score).min(1.0);
                        result.also.push(partner.id);
                    } else if let Some(second) = (!weighed_local)
                        .then(|| self.near_tie(&result, question))
                        .flatten()
                    {
                        // "is the fpt day counted as clinical or non clinical?": pathways
                        // 0.52, protected time 0.50. Answered either way; the runner-up,
                        // as likely to be the one meant, is sent too
                        result.also.push(second);
                    }
                }
                // "I've read the handbook and have questions it doesn't cover. Who should I
                // send those to?": the document the asker says fails them is not the answer
                if let Some(document) = read_without_answer.as_deref() {
                    if result.mismatch.is_none()
                        && result
                            .top()
                            .is_some_and(|c| self.points_only_to(&c.id, document))
                    {
                        result.confidence *= ALREADY_READ;
                        result.mismatch =
                            Some(format!("the asker says the {document} does not answer it"));
                    }
                }
                // "is FPT open to trainees in Scotland?": the scheme where the base does not
                // say it runs, named in the question or in the statements around it when the
                // question asks whether the scheme is there for the asker ("I'm an ST4 in
                // Cardiff, can I join FPT?", "I'm in Scotland - does FPT exist here?"; not
                // "I'm a registrar in Glasgow. Where did the scheme come from?", which the
                // base answers wherever the asker is)
                if let Some(alone) = asks_something_new {
                    result = alone;
                }
                if result.mismatch.is_none() {
                    // ("I'm in Cardiff so I know it isn't run here, but what's the background
                    // to FPT?": the statement before a question run into it is its context)
                    let (asked, before) = match embedded_question(&q.question) {
                        Some((head, tail)) => (tail, head),
                        None => (q.question.as_str(), ""),
                    };
                    // ("I assume HEIW runs its own version of FPT. Is that right?": a claim
                    // put to be checked is what is asked)
                    let outside = self.regions.outside_place(asked).or_else(|| {
                        claimed
                            .as_deref()
                            .and_then(|claim| self.regions.outside_place(claim))
                    }).or_else(|| {
                        (OWN_ACCESS.is_match(asked) || ASKS_ABOUT_JOINING.is_match(asked))
                            .then(|| {
                                self.regions
                                    .outside_place(before)
                                    .or_else(|| self.regions.outside_place(&q.context))
                            })
                            .flatten()
                    });
                    if let Some(place) = outside {
                        result.confidence *= OUTSIDE_REGIONS;
                        result.mismatch = Some(format!(
                            "asks about FPT in {place}, where the knowledge base does not say it runs"
                        ));
                    }
                }
                // "any FPT posts in geriatric medicine in South London yet?", "is there FPT
                // in cardiology?": whether posts are offered in one named specialty is for
                // someone who knows the posts; an entry saying where the scheme runs, or who
                // may apply, does not say which specialties have posts
                if result.mismatch.is_none()
                    && asks_for_posts(&q.question)
                    && self.names_a_specialty(&q.question)
                {
                    result.confidence *= OUTSIDE_REGIONS;
                    result.mismatch = Some(
                        "asks about posts in one named specialty, which the knowledge base does not list"
                            .to_string(),
                    );
                }
                // "did the rcp pull out bc of funding issues?": a yes/no question whether
                // something happened for a reason asks about the reason; an entry that never
                // mentions it says what happened, not why
                if result.mismatch.is_none() {
                    if let Some(cause) = self.unmentioned_cause(&q.question, result.top()) {
                        result.confidence *= OUTSIDE_REGIONS;
                        result.mismatch = Some(format!(
                            "asks whether it was because of {cause}, which the entry does not say"
                        ));
                    }
                }
                let answered = result.has_terms && result.confidence >= self.threshold;
                // ("2 qs: is it 1 day/wk, and does it HAVE to be research?": the second
                // matches the protected-time entry only on the first one's words; read only
                // for a question not answered by itself, the only one it decides)
                let matches_own_words = !answered
                    && result.top().is_some_and(|c| {
                        // (`analyze(_, false)`'s tokens, each word's read from this
                        // triage's memo when it holds the word uncorrected)
                        let index = &self.matcher.index;
                        let own: HashSet<Rc<str>> = index
                            .analyze_uncorrected(question)
                            .iter()
                            .filter(|t| !t.stop)
                            .map(|t| Rc::clone(&t.stem))
                            .collect();
                        c.matched.iter().any(|w| {
                            index
                                .analyze_uncorrected(w)
                                .iter()
                                .any(|t| own.contains(&t.stem))
                        })
                    });
                let text = if q.context.is_empty() {
                    q.question
                } else {
                    [q.context.as_str(), " ", &q.question].concat()
                };
                QuestionMatch {
                    matches_own_words,
                    follow_up: FollowUp::of(question),
                    answered,
                    amount_lacking_key: result.missing_key.is_some()
                        && crate::matcher::ask::ask_kinds(question)
                            .contains(&crate::matcher::ask::AskKind::Amount),
                    text,
                    result,
                }
            })
            // a question with no word the base knows is left out; one that asks nothing
            // answerable stays, to say why the message is routed
            .filter(|q| q.result.has_terms || unasked(&q.text).is_some())
            .collect();

        // A question whose best entry already answers another question is answered by it,
        // when that entry matches a word of the question itself.
        let answered: Vec<String> = questions
            .iter()
            .filter(|q| q.answered)
            .filter_map(|q| q.result.top().map(|c| c.id.clone()))
            .collect();
        // (not an amount asked of something the entry lacks the most specific word of:
        // "Which regions have FPT, and how many posts does each region have?" is not
        // answered by the entry naming the regions)
        // (nor one with two words or more the base never uses: "What are the aims of FPT,
        // and how is success against those aims measured?" asks what the aims' entry does
        // not say)
        for q in questions.iter_mut().filter(|q| {
            !q.answered
                && q.result.mismatch.is_none()
                && !q.amount_lacking_key
                && q.matches_own_words
                && q.result.unknown.len() < MAX_UNKNOWN_FOR_SAME_ENTRY
        }) {
            // a word the base never uses asks about something new ("is FPT one day a week
            // and is it *paid*?"): then the share must be the old half
            let needed = if q.result.unknown.is_empty() {
                SAME_ENTRY_COVERAGE
            } else {
                SAME_ENTRY_COVERAGE_WITH_UNKNOWN
            };
            if q.result
                .top()
                .is_some_and(|c| answered.contains(&c.id) && c.coverage >= needed)
            {
                q.answered = true;
            }
        }

        // "Is there a set form for our FPT meetings? Where would I find it?": a question that
        // only asks where to find what the question just before it asked about is answered
        // by that question's entry when its phrasings ask where ([`AskKind::Place`]): the
        // entry says where it is; so is "Am I right that X? And if so, what was the
        // reasoning?" when its phrasings ask why ([`AskKind::Reason`]); also when the
        // follow-up, with no context of its own, was answered by itself from its bare "where"
        // and "find" (it names nothing to be answered from; "Specifically the QI one - where
        // can I find it?" does)
        for i in 1..questions.len() {
            let (before, rest) = questions.split_at_mut(i);
            let (previous, q) = (&before[i - 1], &mut rest[0]);
            if (q.answered && FollowUp::of(&q.text).is_none())
                || !previous.answered
                || previous.result.confidence < FOUND_WITH_PREVIOUS
            {
                continue;
            }
            let Some(follow_up) = q.follow_up else {
                continue;
            };
            let gives_it = previous.result.top().is_some_and(|c| match follow_up {
                FollowUp::Kind(kind) => self.offered_kinds(&c.id).contains(&kind),
                // "… and is it likely to be included at some point?"
                FollowUp::WillChange => self
                    .entry(&c.id)
                    .is_some_and(|(_, e)| PLANS.is_match(&e.answer)),
            });
            if gives_it {
                q.answered = true;
                q.result.confidence = previous.result.confidence;
                q.result.candidates = previous.result.candidates.clone();
                q.result.also = previous.result.also.clone();
                q.result.mismatch = None;
            }
        }

        let mut candidates: Vec<Candidate> = Vec::new();
        for q in &questions {
            for c in &q.result.candidates {
                match candidates.iter_mut().find(|x| x.id == c.id) {
                    Some(existing) if existing.score >= c.score => {}
                    Some(existing) => *existing = c.clone(),
                    None => candidates.push(c.clone()),
                }
            }
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
        candidates.truncate(Index::MAX_CANDIDATES);
        decision.candidates = candidates;
        decision.confidence = questions
            .iter()
            .map(|q| q.result.confidence)
            .fold(f32::NAN, f32::min);
        if decision.confidence.is_nan() {
            decision.confidence = 0.0;
        }

        // "Thanks, but that doesn't really answer my question": the same entry sent again
        // would not either; a person should reply (read in the body as written: cleaning
        // takes the thanks it opens with away, and the quote below is ours)
        let quoted = decision.cleaned.quoted_text.trim();
        let answer_fell_short = ANSWER_FELL_SHORT.is_match(body)
            && (quoted.is_empty() || !ANSWER_FELL_SHORT.is_match(quoted));
        let all_answered = !questions.is_empty() && questions.iter().all(|q| q.answered);
        if all_answered && !answer_fell_short {
            decision.decision = DecisionKind::Answer;
            decision.confidence = questions
                .iter()
                .filter(|q| q.result.confidence >= self.threshold)
                .map(|q| q.result.confidence)
                .fold(1.0, f32::min);
            // each question's entry, in the order asked (a follow-up's may be the entry of
            // the question before it, which replaced its own above)
            for q in &questions {
                if let Some(top) = q.result.top() {
                    if !decision.faq.contains(&top.id) {
                        decision.faq.push(top.id.clone());
                    }
                }
            }
            // A question may need two entries (the background of the scheme *and* its aims):
            // a runner-up whose calibrated probability clears the threshold on its own is part
            // of the answer. Without a model the lexical confidence is not a probability per
            // entry, so a runner-up must also match words of the question that the entries
            // already chosen do not ("where can I read the full *research* pathway
            // *document*": the handbook, and the pathway documents).
            let calibrated = self.semantic();
            for q in questions.iter().filter(|q| q.answered) {
                let mut covered: HashSet<String> = q
                    .result
                    .top()
                    .map(|c| c.matched.iter().cloned().collect())
                    .unwrap_or_default();
                for id in &q.result.also {
                    if !decision.faq.contains(id) {
                        decision.faq.push(id.clone());
                    }
                }
                for c in q.result.candidates.iter().skip(1) {
                    let adds = c.matched.iter().any(|w| !covered.contains(w));
                    if c.score >= self.threshold
                        && (calibrated || adds)
                        && !decision.faq.contains(&c.id)
                    {
                        decision.faq.push(c.id.clone());
                        covered.extend(c.matched.iter().cloned());
                    }
                }
            }
            // "Where can I find the handbook and the trainee forms for supervisor meetings?":
            // each object asked with the clause's opening; an entry that a reading answers
            // with confidence by itself is part of the answer
            // (the entry must match a word of the object itself, not only of the opening: a
            // "send me the …" matched on "send" alone adds nothing)
            let analyzer = self.matcher.index.analyzer();
            let stems = |text: &str| -> HashSet<Rc<str>> {
                analyzer
                    .analyze(text, true)
                    .into_iter()
                    .filter(|t| !t.stop)
                    .map(|t| t.stem)
                    .collect()
            };
            for q in questions.iter().filter(|q| q.answered) {
                let Some(coordinated) = coordinated_objects(&q.text) else {
                    continue;
                };
                for (reading, object) in coordinated.readings.iter().zip(&coordinated.objects) {
                    let r = self.matcher.search(
                        Parts {
                            question: reading,
                            context: &[],
                        },
                        &drop,
                    );
                    let object = stems(object);
                    let answers = |top: &Candidate| {
                        r.confidence >= self.threshold
                            && r.mismatch.is_none()
                            && top.matched.iter().any(|w| !stems(w).is_disjoint(&object))
                    };
                    if let Some(top) = r.top().filter(|top| answers(top)) {
                        if !decision.faq.contains(&top.id) {
                            decision.faq.push(top.id.clone());
                        }
                    }
                }
            }
            // each matched word once, however many questions share it
            let mut matched: Vec<String> = Vec::new();
            for word in questions
                .iter()
                .filter_map(|q| q.result.top())
                .flat_map(|c| c.matched.iter())
            {
                if !matched.contains(word) && matched.len() < MAX_REASON_WORDS {
                    matched.push(word.clone());
                }
            }
            decision.reason = format!(
                "answered from {} (confidence {:.2}); matched: {}",
                decision.faq.join(", "),
                decision.confidence,
                matched.join(", ")
            );
        } else {
            decision.decision = DecisionKind::Route;
            let whom = match self.region_name(decision.region.as_deref()) {
                Some(name) => format!("the {name} lead"),
                None => "the admin team (no region found)".to_string(),
            };
            decision.reason = if answer_fell_short {
                format!(
                    "the sender says an earlier answer did not answer their question, so a \
                     person should reply; routed to {whom}"
                )
            } else if questions.is_empty() {
                format!("no question found to match; routed to {whom}")
            } else {
                let mut seen = HashSet::new();
                let weakest = questions.iter().filter(|q| !q.answered).map(|q| {
                    let best = match (q.result.top(), unasked(&q.text)) {
                        (Some(c), _) => format!(
                            "best `{}` at {:.2} (threshold {:.2})",
                            c.id, q.result.confidence, self.threshold
                        ),
                        (None, Some(Unasked::Announced)) => {
                            "it only says a question is coming, a person must ask what it is".into()
                        }
                        (None, Some(Unasked::Pointer)) => {
                            "it points to an attachment or to words not in the message, a person must read them".into()
                        }
                        (None, Some(Unasked::Choice)) => {
                            "it asks which of the things said before it is right".into()
                        }
                        (None, Some(Unasked::Social)) => {
                            "it arranges travel among colleagues, nothing asked of the team".into()
                        }
                        (None, None) => format!("no entry matched (threshold {:.2})", self.threshold),
                    };
                    let unknown = if q.result.unknown.is_empty() {
                        String::new()
                    } else {
                        let words: Vec<String> = q
                            .result
                            .unknown
                            .iter()
                            .take(MAX_REASON_WORDS)
                            .map(|w| shorten(w, 30))
                            .collect();
                        format!(", words the FAQ does not cover: {}", words.join(", "))
                    };
                    format!("\"{}\": {best}{unknown}", shorten(&q.text, 80))
                });
                // the same question asked again is explained once
                let weakest: Vec<String> = weakest.filter(|w| seen.insert(w.clone())).collect();
                format!(
                    "no confident answer for {}; routed to {whom}",
                    weakest.join("; ")
                )
            };
        }
        // "anyone fancy a coffee from downstairs?": in the chat channel, colleagues talk to
        // each other; a message that names nothing the base covers is theirs, not the team's
        if decision.decision == DecisionKind::Route
            && enquiry.channel == Some(crate::enquiry::Channel::Chat)
            && decision.region.is_none()
            && !crate::text::clean::calls_on_the_desk(&enquiry.body)
        {
            let reason = if self.is_chatter(&decision.cleaned.text, &questions) {
                Some("chat between colleagues: nothing in it is about what the FAQ covers")
            } else if self.is_reply_to_a_colleague(&decision.cleaned.text) {
                Some("chat between colleagues: a reply or a remark to someone in the channel, asking nothing of the team")
            } else if self.is_remark(&decision.cleaned.text, &questions) {
                Some("chat between colleagues: a remark that asks nothing, requests nothing and does not name the scheme")
            } else {
                None
            };
            if let Some(reason) = reason {
                decision.decision = DecisionKind::Ignore;
                decision.reason = reason.to_string();
            }
        }
        // the reason goes into a lead's notification and the logs: bounded whatever came in
        decision.reason = shorten(&decision.reason, MAX_REASON_CHARS);
        decision.questions = questions;
        decision
    }

    /// Whether a routed chat message is talk between colleagues ([`CHATTER_MAX_CONFIDENCE`]):
    /// it speaks to the room ([`TO_THE_ROOM`]), does not name the base's subject nor ask the
    /// team to act ([`ASKS_THE_TEAM`]), no entry comes near it, and the words the base
    /// does not know are at least two and at least half of its content words ("whos got the
    /// med reg bleep tonight?", "happy friday all, survived another wk"); or it asks the others
    /// in the room for something ([`ASKS_THE_ROOM`]), with a word the base does not know, and
    /// every question is below [`ROOM_QUESTION_MAX_CONFIDENCE`] ("does anyone have the
    /// teaching rota for thurs?").
    fn is_chatter(&self, text: &str, questions: &[QuestionMatch]) -> bool {
        if self.writes_subject(text)
            || questions.is_empty()
            || ASKS_THE_TEAM.is_match(text)
            || !TO_THE_ROOM.is_match(text)
        {
            return false;
        }
        let mut unknown: HashSet<&str> = HashSet::new();
        let mut highest = 0f32;
        for q in questions {
            highest = highest.max(q.result.confidence);
            unknown.extend(q.result.unknown.iter().map(String::as_str));
        }
        if highest < CHATTER_MAX_CONFIDENCE
            && unknown.len() >= 2
            && 2 * unknown.len() >= self.content_words(text)
        {
            return true;
        }
        // "does anyone have the teaching rota for thurs?": a thing asked of the others in
        // the room, with a word the base does not know, that no entry comes close to
        !unknown.is_empty()
            && highest < ROOM_QUESTION_MAX_CONFIDENCE
            && ASKS_THE_ROOM.is_match(text)
    }

    /// Whether a routed chat message answers or remarks to a colleague ("yeah its 1 day a
    /// wk, i do mine on weds", "ha same, my ARCP was a nightmare"): it opens as a reply
    /// ([`REPLY_OPENER`]), asks nothing (no question mark, no question word, no unmarked
    /// question), asks nothing of the team ([`ASKS_THE_TEAM`]), states no need or trouble
    /// ([`crate::ignore::needs_or_troubled`]) and does not name the base's subject ("lol my fpt
    /// day got cancelled again" needs a person).
    fn is_reply_to_a_colleague(&self, text: &str) -> bool {
        REPLY_OPENER.is_match(text)
            && !text.contains('?')
            // "lol. my trust has stopped my portfolio day completely": trouble of the writer's
            && !crate::ignore::needs_or_troubled(text)
            && !QUESTION_WORD.is_match(text)
            && !ASKS_THE_TEAM.is_match(text)
            && !crate::text::clean::asks_unmarked(text)
            && !self.writes_subject(text)
    }

    /// Whether a routed chat message is a remark to the channel ("see you all at teaching on
    /// thursday, I'll bring biscuits", "oriel has crashed AGAIN"): no question mark, no
    /// question word ([`QUESTION_WORD`]), no question put with its verb first anywhere
    /// ([`INVERTED_QUESTION`]) or unmarked, nothing asked of the team ([`ASKS_THE_TEAM`]) and
    /// no request or trouble of the writer's ([`REQUEST`], [`crate::ignore::needs_or_troubled`]),
    /// the base's subject not named, and
    /// no entry close ([`REMARK_MAX_CONFIDENCE`]). A person writing to the desk in chat says
    /// what they want; a statement that does none of this is talk between colleagues. Only on
    /// a base with a subject ([`subject_word`]): without one, not naming it tells nothing.
    fn is_remark(&self, text: &str, questions: &[QuestionMatch]) -> bool {
        // (on a base with no subject of its own, a topic typed without a question, "making
        // the text on github crossed out.", is the same shape as a remark: never dropped)
        self.subject.is_some()
            && !text.contains('?')
            && !QUESTION_WORD.is_match(text)
            && !INVERTED_QUESTION.is_match(text)
            && !OPENS_WITH_AUXILIARY.is_match(text)
            && !ASKS_THE_TEAM.is_match(text)
            && !REQUEST.is_match(text)
            && !crate::ignore::needs_or_troubled(text)
            && !crate::text::clean::asks_unmarked(text)
            && !self.writes_subject(text)
            && questions
                .iter()
                .all(|q| q.result.confidence < REMARK_MAX_CONFIDENCE)
    }

    /// Whether `text` names the base's subject ([`subject_word`]), by its stem.
    fn names_subject(&self, text: &str) -> bool {
        self.subject.as_ref().is_some_and(|(_, stem)| {
            self.matcher
                .index
                .analyzer()
                .analyze(text, false)
                .iter()
                .any(|tok| *tok.stem == **stem)
        })
    }

    /// Whether `text` names the base's subject ([`names_subject`]) or writes its word, which
    /// synonyms may have rewritten ("fpt day" is analysed as the protected time it names):
    /// a chat message that writes it is about the subject, never chatter.
    fn writes_subject(&self, text: &str) -> bool {
        self.names_subject(text)
            || self.subject.as_ref().is_some_and(|(_, stem)| {
                let analyzer = self.matcher.index.analyzer();
                crate::text::normalize::tokenize(text)
                    .iter()
                    .any(|w| &analyzer.stem_of(w) == stem)
            })
    }

    /// Whether `text` has a word (its stem) of entry `id`'s title other than the base's
    /// subject and stop words: "What are the pathways?" names "The four FPT pathways".
    fn names_title_of(&self, text: &str, id: &str) -> bool {
        let Some((_, e)) = self.entry(id) else {
            return false;
        };
        let analyzer = self.matcher.index.analyzer();
        let subject = self.subject.as_ref().map(|(_, stem)| stem.as_str());
        let title: HashSet<Rc<str>> = analyzer
            .analyze(&e.title, false)
            .into_iter()
            .filter(|t| !analyzer.is_stop(&t.stem) && Some(&*t.stem) != subject)
            .map(|t| t.stem)
            .collect();
        analyzer
            .analyze(text, false)
            .iter()
            .any(|t| title.contains(&t.stem))
    }

    /// The kinds of answer entry `id`'s phrasings ask for ([`crate::matcher::ask`]); none
    /// for an id the base does not have.
    fn offered_kinds(&self, id: &str) -> Vec<crate::matcher::ask::AskKind> {
        self.entry(id).map_or_else(Vec::new, |(doc, _)| {
            self.matcher
                .index
                .ask_kinds(doc, crate::matcher::Exclude::None)
        })
    }

    /// How many words of `question` are not stop words ([`Triage::is_bare`] when none).
    fn content_words(&self, question: &str) -> usize {
        self.matcher.index.content_words(question)
    }

    /// How many words of `question` say what it is about and are known to the base: not stop
    /// words, not question words ("how", "what", …), not among `unknown`.
    fn known_topic_words(&self, question: &str, unknown: &[String]) -> usize {
        self.matcher
            .index
            .analyze_uncorrected(question)
            .iter()
            .filter(|t| {
                !t.stop
                    && !matches!(
                        t.surface.as_str(),
                        "how" | "what" | "when" | "where" | "who" | "why" | "which" | "whether"
                    )
                    && !unknown.contains(&t.surface)
            })
            .count()
    }

    /// Whether `question` is too bare to say what it asks about without the statements before
    /// it: no word of it is left after the stop words ("What can I do?", "Who should I ask?").
    fn is_bare(&self, question: &str) -> bool {
        self.content_words(question) == 0
    }

    /// Multiplies by `factor` ([`LOCAL_PLACE`], or [`BACKGROUND_PLACE`] for a place named only
    /// in a question's background) each candidate whose entry names none of the `local` place
    /// words nor its region, then ranks the candidates again.
    ///
    /// A place of several words ("Leicester Royal Infirmary", from `places`, the places found
    /// as listed in regions.toml) is named only by an entry with all its words: "Royal
    /// College of Physicians" does not name the Royal Infirmary.
    fn weigh_local(
        &self,
        result: &mut MatchResult,
        local: &[&String],
        places: &[String],
        region: Option<&str>,
        factor: f32,
    ) {
        let region_words: Vec<String> = self
            .region_name(region)
            .map(crate::text::tokenize)
            .unwrap_or_default();
        let long_places: Vec<Vec<String>> = places
            .iter()
            .map(|p| crate::text::tokenize(p))
            .filter(|p| p.len() > 1 && p.iter().any(|w| local.contains(&w)))
            .collect();
        let single: Vec<&String> = local
            .iter()
            .copied()
            .filter(|w| !long_places.iter().any(|p| p.contains(*w)))
            .collect();
        for c in &mut result.candidates {
            let Some(words) = self.entry_words(&c.id) else {
                continue;
            };
            let names_it = single.iter().any(|w| words.contains(*w))
                || long_places
                    .iter()
                    .any(|p| p.iter().all(|w| words.contains(w)))
                || (!region_words.is_empty() && region_words.iter().all(|w| words.contains(w)));
            if !names_it {
                c.score *= factor;
            }
        }
        result
            .candidates
            .sort_by(|a, b| b.score.total_cmp(&a.score));
        if result.has_terms {
            result.confidence = result.candidates.first().map_or(0.0, |c| c.score);
        }
    }

    /// Drafts the message for the asker: the answer, the routing acknowledgement, or nothing.
    pub fn draft(&self, enquiry: &Enquiry, decision: &Decision) -> Result<Option<Draft>> {
        let email = enquiry.channel() == Channel::Email;
        let region_name = self.region_name(decision.region.as_deref());
        if enquiry.unreadable.is_some() {
            // an admin reads it first: no acknowledgement promising an answer to unread words
            return Ok(None);
        }
        match decision.decision {
            DecisionKind::Ignore => Ok(None),
            DecisionKind::Answer => {
                let answers: Vec<AnswerView> = decision
                    .faq
                    .iter()
                    .filter_map(|id| self.kb.entry(id))
                    .map(AnswerView::from)
                    .collect();
                if email {
                    self.drafter
                        .email_answer(decision.sender_name.as_deref(), region_name, &answers)
                        .map(Some)
                } else {
                    self.drafter.chat_answer(&answers).map(Some)
                }
            }
            DecisionKind::Route => self
                .drafter
                .route_ack(email, decision.sender_name.as_deref(), region_name)
                .map(Some),
        }
    }

    /// The notification for the lead (or admin team) a routed enquiry goes to.
    pub fn lead_notification(
        &self,
        enquiry: &Enquiry,
        decision: &Decision,
        reference: &str,
    ) -> Result<Draft> {
        let contact = self.contact_for(decision.region.as_deref());
        let view = EnquiryView {
            from: match &enquiry.forwarded_by {
                Some(by) => format!("{} (forwarded by {by})", enquiry.from),
                None => enquiry.from.clone(),
            },
            subject: enquiry.subject.clone(),
            channel: enquiry.channel().as_str().into(),
            text: if decision.cleaned.text.is_empty() {
                enquiry.body.clone()
            } else {
                decision.cleaned.text.clone()
            },
        };
        let candidates: Vec<CandidateView> = decision
            .candidates
            .iter()
            .filter_map(|c| {
                self.kb.entry(&c.id).map(|e| CandidateView {
                    id: c.id.clone(),
                    title: e.title.clone(),
                    score: c.score,
                })
            })
            .collect();
        self.drafter.lead_notification(
            &contact.name,
            self.region_name(decision.region.as_deref()),
            reference,
            &decision.reason,
            &view,
            &candidates,
        )
    }
}

/// A clause giving the asker's reason, circumstance or purpose after the question: "will my
/// banding change, given that 20% of my week is non-clinical?", "…, seeing as my rota is
/// full?", "which documents are available, so I can make sure I have the full set?", "which
/// pathways are on offer, so I describe them correctly?" (a purpose: see
/// [`crate::text::unasked::PURPOSE_OPENING`]), "is there one document I could read, to
/// refresh my memory?", "what is
/// the scheme meant to achieve – I'm writing about it for my portfolio", "what is fpt in
/// simple words pls, i am new in UK system". A
/// "because" clause is left in: it often carries what is asked ("is there a deal between
/// them, because it seems …").
static TRAILING_REASON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&[r"(?i),?\s+(?:given\s+that|seeing\s+(?:as|that)|considering(?:\s+that)?)\s+|,\s*given\s+(?:i|we)(?:[’']m|[’']re|\s+am|\s+are|\s+have|[’']ve)\s+|,\s*as\s+(?:i|we)(?:\s+am|\s+are|[’']m|[’']re)?\s+(?:not\s+sure|unsure|uncertain)\s+|(?:,\s*|\s+)", crate::text::unasked::PURPOSE_OPENING, r"\s+|,\s*(?:just\s+)?to\s+(?:refresh|help|fit|get|make|plan|prepare|check|ensure|understand|avoid|brush|remind)\s+|\s+[–—-]{1,2}\s+(?:i|we)(?:[’']m|[’']re|[’']ve|\s+am|\s+are|\s+have|\s+need|\s+want)\s+(?:\w+ing|to)\b|,\s*(?:as\s+|since\s+)?(?:im|i[’']m|i\s+am|we[’']re|we\s+are)\s+(?:(?:quite|very|totally|completely|fairly|pretty|still)\s+)?new\b"].concat())
        .expect("trailing reason regex is valid")
});

/// Splits a trailing reason ([`TRAILING_REASON`]) off a question of at least three words:
/// the question is what is asked, the reason is context (its words are not the question's:
/// "20% … non-clinical" is not what "will my banding change" asks about).
fn split_trailing_reason(question: &str) -> (&str, Option<&str>) {
    match TRAILING_REASON.find(question) {
        Some(m)
            if question[..m.start()].split_words().count() >= 3
                && question[m.end()..].split_words().count() >= 2 =>
        {
            (
                question[..m.start()].trim_end(),
                Some(question[m.end()..].trim()),
            )
        }
        // "explain fpt in one line for my mum", "aims of fpt pls need them for my
        // interview answer": who or what it is for, at the end
        _ => match TRAILING_PURPOSE.find(question) {
            Some(m) if question[..m.start()].split_words().count() >= 3 => (
                question[..m.start()].trim_end(),
                Some(question[m.start()..].trim()),
            ),
            _ => (question, None),
        },
    }
}

/// Who or what a question is for, closing it: "for my mum", "to tell my partner", "pls need
/// them for my interview", "for my presentation" ([`split_trailing_reason`]). The person or
/// occasion says why it is asked, not what.
static TRAILING_PURPOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[,;]?\s+(?:(?:pls|plz|please)\s+)?(?:(?:i\s+)?need\s+(?:it|them|this|these|that)\s+)?(?:for|to\s+tell|to\s+explain\s+(?:it\s+)?to)\s+my\s+(?:mum|mom|mam|dad|parents?|partner|husband|wife|boyfriend|girlfriend|family|friends?|flatmates?|kids?|children|nan|gran|interview|talk|presentation|poster|essay|report|dissertation|blog|newsletter|teaching\s+session)(?:\s+(?:answer|prep|preparation|slides?|tomorrow|next\s+week|later))?[\s.!?😂🙏🤣😅]*$")
        .expect("trailing purpose regex is valid")
});

/// A yes/no question whether something happened or holds for a reason: "did the rcp pull
/// out bc of funding issues?", "was London left out due to cost?", "is it only one day
/// because of rota gaps?". The reason is the `cause` group. Not a reason the asker gives for
/// asking, set off by a comma ("Is there a bug on youtube, because my videos stop …") or
/// about themselves ("… because I need to plan my rota?": see [`Triage::unmentioned_cause`]).
static CAUSE_ASKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:so|and|but|just\s+wondering|wondering)\s+)?(?:did|does|do|was|were|is|are|has|have|had|will|would)\b[^?.!,;:–—]*?\s(?:because\s+of|because|bc\s+of|bc|b/c|cos\s+of|cuz|coz|due\s+to|owing\s+to|as\s+a\s+result\s+of|on\s+account\s+of)\s+(?P<cause>[^?.!;,]{3,80})")
        .expect("cause-asked regex is valid")
});

/// Whether posts exist, asked: "any FPT posts …?", "whether there are (any) posts …", "are
/// there jobs …", "posts available / going / on offer", or whether the scheme is offered at
/// all ([`ASKS_IF_OFFERED`]). Not how to get one ("how do I end up in an FPT post?").
static POSTS_ASKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bany\s+(?:fpt\s+|flexible\s+portfolio\s+)?(?:posts?|jobs?|vacanc(?:y|ies)|places|slots?)\b|\b(?:whether|if)\s+there\s+(?:is|are|will\s+be|were)\s+(?:any\s+)?(?:fpt\s+)?(?:posts?|jobs?|vacanc(?:y|ies)|places|slots?)\b|\b(?:posts?|jobs?|vacanc(?:y|ies)|places|slots?)\s+(?:(?:are|is)\s+)?(?:available|going|on\s+offer|advertised)\b")
        .expect("posts-asked regex is valid")
});

/// Who a scheme is for, asked after "available" or "open": "is FPT available for cardiology
/// registrars?", "open to geris trainees": eligibility, not posts.
static FOR_WHOM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:for|to)\s+(?:[\w-]+\s+){0,3}?(?:registrars?|regs?|trainees?|doctors?|people|physicians|st[3-8]s?|spr?s)\b")
        .expect("for-whom regex is valid")
});

/// Whether `question` asks whether posts are offered ([`POSTS_ASKED`], [`ASKS_IF_OFFERED`]),
/// not who may take them ([`FOR_WHOM`]).
fn asks_for_posts(question: &str) -> bool {
    (POSTS_ASKED.is_match(question) || ASKS_IF_OFFERED.is_match(question))
        && !FOR_WHOM.is_match(question)
}

/// A question whether the scheme, or a post on it, is offered at all: "Is there FPT in
/// cardiology?", "are there any FPT posts …?", "is fpt available …?", "is the scheme
/// running …?", "do they offer FPT …?" (not "is FPT run the same way everywhere?", which
/// asks how). Asked after a place is named, or of places in two regions,
/// it is asked of those places ([`LOCAL_PLACE`]).
static ASKS_IF_OFFERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:is|are)\s+there\s+(?:any\s+|an?\s+)?(?:fpt|flexible\s+portfolio)\b|\b(?:is|are)\s+there\s+(?:any\s+)?(?:fpt\s+)?(?:posts?|jobs?|places?|slots?|vacanc(?:y|ies))\b|\b(?:is|does)\s+(?:fpt|flexible\s+portfolio\s+training|the\s+scheme|the\s+programme)\s+(?:(?:even|currently|still|actually|yet)\s+)?(?:available|offered|on\s+offer|running|exist|happening)\b|\bdo\s+(?:you|they|we)\s+(?:have|offer|run)\s+(?:any\s+)?(?:fpt|posts?)\b")
        .expect("asks-if-offered regex is valid")
});

/// The asker's own arrangements or place in a question: "my", "our", "we", "here", "locally"
/// ([`BACKGROUND_PLACE`]).
static OWN_OR_HERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:my|our|we|here|locally)\b").expect("own-or-here regex is valid")
});

/// What the asker brings, not what is arranged where they work: "someone with my
/// background", "my experience", "my PhD", and the week they share out ("how much of my
/// working week would be ring-fenced?": the scheme's share of a week, the same everywhere),
/// and the pathway they chose ("resources for my pathway": the same pathway everywhere)
/// ([`speaks_of_own_arrangements`]).
const OWN_ATTRIBUTES: &[&str] = &[
    "pathway",
    "week",
    "working",
    "background",
    "experience",
    "qualifications",
    "qualification",
    "interests",
    "interest",
    "skills",
    "cv",
    "phd",
    "md",
    "msc",
    "masters",
    "degree",
];

/// Whether `text` speaks of the asker's own arrangements or place ([`OWN_OR_HERE`]): "my FPT
/// day", "our rota", "here"; "my background" or "my experience" ([`OWN_ATTRIBUTES`]) is what
/// the asker brings, the same wherever they work.
fn speaks_of_own_arrangements(text: &str) -> bool {
    OWN_OR_HERE.find_iter(text).any(|m| {
        let next = text[m.end()..]
            .split_words()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_ascii_lowercase()
            })
            .find(|w| w != "own");
        !(matches!(m.as_str().to_ascii_lowercase().as_str(), "my" | "our")
            && next.is_some_and(|w| OWN_ATTRIBUTES.contains(&w.as_str())))
    })
}

/// A person to contact, asked for in a question or in the statements a question points back
/// to ("I'd like to talk to whoever leads FPT in Wessex. Could you give me their name?").
static PERSON_TO_CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:lead|leads|leader|contact|speak\s+to|talk\s+to)\b")
        .expect("person-to-contact regex is valid")
});

/// The asker's own place, pointed at rather than named: "available here", "start here",
/// "in our area", "at my trust" (not "medical student here -", which introduces the asker).
static HERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:available|running|run|offered|open|opening|start|starts|starting|begin|begins|come|comes|coming|brought|bring|expand(?:ed|ing)?|introduced|launch(?:ed|es|ing)?|posts?|fpt|it|scheme)\s+here\b|\b(?:in|at|to|for|across)\s+(?:our|my|this)\s+(?:area|region|deanery|trust|hospital|patch|local\s+office|site)\b|\blocally\s*\?")
        .expect("here regex is valid")
});

/// Least confidence of the question before a bare "where would I find it?" for its entry to
/// answer both ([`bare_follow_up`]): the follow-up adds nothing to tell entries apart,
/// so an answer of middling confidence would be given twice on the same evidence, and a wrong
/// one could no longer be caught by the follow-up routing. Set on the labelled sets, where
/// the rule fires twice: below 0.77 it answered one more correctly and one more falsely (a
/// first question answered from the handbook at 0.77 that wanted a pathway's document).
const FOUND_WITH_PREVIOUS: f32 = 0.8;

/// A question that only asks where to find, get or read something pointed at: "Where would
/// I find it?", "and where do I get them from?", "where can I download that?", "where is
/// it?", "Could you point me in the right direction?".
static WHERE_TO_FIND_IT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|so|also|but)\s+)?(?:(?:where|how)\s+(?:would|can|could|do|should|might|will)\s+(?:i|we|you|u|one)\s+(?:find|get|access|download|see|locate|read|view|get\s+hold\s+of|look\s+at)|where\s+(?:is|are)|where['’]?s)\s+(?:it|them|that|this|those|these|one|they)(?:\s+(?:from|then|online|now|exactly|please|pls))?\W*$|^\W*(?:(?:and|so|also|but)\s+)?(?:(?:could|can|would)\s+(?:you|u|someone|somebody|anyone)\s+(?:please\s+)?)?(?:point|direct|steer)\s+me\s+(?:in\s+the\s+right\s+direction|to\s+(?:it|them|where\s+(?:it\s+is|they\s+are)))(?:\s+please)?\W*$")
        .expect("where-to-find-it regex is valid")
});

/// A question that only asks the reason for what was just said: "why was that?", "and if
/// so, what was the reasoning?", "what was the thinking behind that?", "how come?".
static REASON_FOR_IT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|so|also|but)\s+)?(?:if\s+so\s*,?\s+)?(?:why(?:\s+(?:was|is|were|are)\s+(?:that|this|it|they)(?:\s+the\s+case)?)?|what\s+(?:was|is|were)\s+the\s+(?:reason(?:ing)?|rationale|thinking|logic)(?:\s+(?:behind|for)\s+(?:that|this|it))?|how\s+come)\W*$")
        .expect("reason-for-it regex is valid")
});

/// A question that only asks whether what was just asked about will change: "and is it likely
/// to be included at some point?", "whether that's likely to change", "is there any chance
/// that changes?", "any plans for that to change?", "will that ever change?".
static WILL_IT_CHANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|but|so|also)\s+)?(?:(?:whether|if)\s+)?(?:(?:is|are)\s+there\s+(?:any\s+)?(?:chance|likelihood|prospect|plans?)\s+(?:that|this|it|of\s+(?:that|this|it))\s+(?:chang(?:es|ing)|will\s+change)|(?:is|was|are)\s+(?:that|this|it|they)\s+likely\s+to\s+(?:change|happen|be\s+\w+)|(?:that|this|it)\s*(?:['’]s|\s+is|\s+will\s+be)\s+likely\s+to\s+(?:change|happen|be\s+\w+)|will\s+(?:that|this|it|they)\s+(?:ever\s+)?(?:change|be\s+\w+)|(?:are\s+there\s+)?(?:any\s+)?plans?\s+(?:for\s+(?:that|this|it)\s+to\s+change|to\s+change\s+(?:that|this|it)))(?:\s+(?:at\s+some\s+point|in\s+(?:the\s+)?future|soon|any\s+time\s+soon|one\s+day))?\W*$")
        .expect("will-it-change regex is valid")
});

/// An answer that speaks of plans for the future: "Plans are currently underway to expand the
/// scheme", "will be rolled out", "in future".
static PLANS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:plans?\s+(?:are|is|to)\b|underway|will\s+(?:be\s+)?(?:expand|extend|roll)|to\s+expand\b|in\s+(?:the\s+)?future\b)")
        .expect("plans regex is valid")
});

/// The kind of answer `question` asks about what the question before it asked, when that is
/// all it asks: where to find it ([`WHERE_TO_FIND_IT`]) or why ([`REASON_FOR_IT`]).
fn bare_follow_up(question: &str) -> Option<crate::matcher::ask::AskKind> {
    use crate::matcher::ask::AskKind;
    if WHERE_TO_FIND_IT.is_match(question) {
        Some(AskKind::Place)
    } else if REASON_FOR_IT.is_match(question) {
        Some(AskKind::Reason)
    } else {
        None
    }
}

/// The asker's own place, pointed at by a clause: "available where I am", "where I work",
/// "where we're based".
static WHERE_I_AM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bwhere\s+(?:i|we)\s*(?:am|are|['’]m|['’]re)?\s*(?:based|working|training|work|train|live)?\b")
        .expect("where-I-am regex is valid")
});

/// The asker's own place, named by what it is: "my deanery", "our trust", "my region".
static OWN_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:my|our)\s+(?:{PLACE_NOUNS}|local\s+office)\b"
    ))
    .expect("own-place regex is valid")
});

/// Nouns naming a place of training, pointed at or owned ([`OWN_PLACE`],
/// [`POINTS_AT_THE_PLACE`]).
const PLACE_NOUNS: &str = "region|area|deanery|trust|hospital|patch|rotation";

/// Whether `question` asks about the asker's own place, pointed at: when something happens
/// there ([`HERE`]), or anything at all there when a clause points at it ([`WHERE_I_AM`]:
/// "is there an informatics post available where I am?") or names it as the asker's own
/// ([`OWN_PLACE`]: "will there be FPT posts in my deanery for the August intake?"). Only
/// someone who knows that place's plans can say.
fn asks_about_own_place(question: &str) -> bool {
    OWN_PLACE.is_match(question)
        || WHERE_I_AM
            .find_iter(question)
            .any(|m| m.as_str().split_words().count() >= 3)
        || (HERE.is_match(question)
            && crate::matcher::ask::ask_kinds(question)
                .contains(&crate::matcher::ask::AskKind::Time))
}

/// A dismissive alternative closing a yes/no question: "…, or nah?", "… or what", a chat's
/// bare "… is it national or", "… or is
/// that just marketing lol", "…, or is it purely about trainee development?". It offers the
/// answer "no" in other words and asks nothing of its own, but its words dilute the question.
/// A question tag after a statement ("QI is one of the pathways, right?", "… yeah?", "… is
/// that correct?") is the same: the statement is the question.
static ALTERNATIVE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[\s,]+or\s*\?*\s*$|[\s,]+or\s+(?:(?:nah|not|no|naw|nope|what)\b|(?:is|was|are|were|does|do)\s+(?:that|it|this|they|those)\s+(?:just|only|purely|simply|mainly|basically|all)\b[^?]*?)\s*(?:\b(?:lol|haha|tbh)\b\s*)?\?*\s*$|[\s,]+(?:right|yeah|yes|correct|innit|isn'?t\s+it|aren'?t\s+they|is\s+that\s+(?:right|correct|true))\s*\?+\s*$",
    )
    .expect("alternative tail regex is valid")
});

/// `question` without a dismissive alternative at its end ([`ALTERNATIVE_TAIL`]), keeping
/// its question mark; unchanged when nothing would be left of it.
fn strip_alternative_tail(question: &str) -> String {
    match ALTERNATIVE_TAIL.find(question) {
        // "a programme in its own right?" ends with a phrase, not a tag
        Some(m)
            if question[..m.start()].split_words().count() >= 3
                && !question[..m.start()].to_lowercase().ends_with(" own") =>
        {
            let mark = if question.trim_end().ends_with('?') {
                "?"
            } else {
                ""
            };
            format!("{}{mark}", question[..m.start()].trim_end())
        }
        _ => question.to_string(),
    }
}

/// A question whose subject is a pronoun standing for what the question before it asked
/// about: "is it a whole day or an afternoon?", "and does that count for ARCP?".
static FOLLOW_UP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:(?:and|or|but|so|also)\s+)?(?:is|was|are|were|does|do|did|can|could|will|would|should|has|have)\s+(?:it|that|this|they|those|these)\b",
    )
    .expect("follow-up regex is valid")
});

/// A question that asks a second thing after a comma ("when will it start here, and will
/// current trainees be able to join?", "what pathways are there, and can I do two?").
static COMPOUND_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i),\s*(?:and|or|but)\s+(?:whether|if|when|what|how|who|where|which|why|is|are|was|were|will|would|can|could|do|does|did|should|has|have)\b",
    )
    .expect("compound question regex is valid")
});

/// A word that stands for something named elsewhere ("it", "that", "them", "there", "here").
static POINTING_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:it|its|it's|that|this|they|them|their|those|these|there|here|one|he|she|him|her|his)\b")
        .expect("pointing-word regex is valid")
});

/// Whether `question` says what it asks about by itself: three words or more, and not a
/// follow-up; a word pointing elsewhere ([`POINTING_WORD`]) only in a clause after a first
/// one that stands alone, which it points back to ("is the FPT day meant to be away from the
/// wards altogether, or is it counted as clinical time?").
fn stands_alone(question: &str) -> bool {
    // "He'd like to know what the four options are": the person asking through someone
    // else is not what the question is about
    let question = match ASKS_THROUGH_SOMEONE.find(question) {
        Some(m) => &question[m.end()..],
        None => question,
    };
    let contracted = WH_CONTRACTION.find_iter(question).count();
    if question.split_words().count() + contracted < 3 || is_follow_up(question) {
        return false;
    }
    let Some(pointing) = POINTING_WORD
        .find_iter(question)
        .find(|m| !is_existential_there(question, m.start(), m.end()))
    else {
        return true;
    };
    question[..pointing.start()]
        .split_once([',', ';'])
        .is_some_and(|(first, _)| first.split_words().count() >= 3 && stands_alone(first))
}

/// The frame of a question asked for someone else, who is named before it: "he'd like to
/// know", "she wants to know", "they were wondering", "he asked". What follows is the
/// question; the pronoun is the asker's, not a word pointing to what is asked about.
static ASKS_THROUGH_SOMEONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:he|she|they)\s*(?:['’]d|would|also\s+would)\s+(?:really\s+)?(?:like|love)\s+to\s+(?:know|ask|check|find\s+out)\b|^\W*(?:he|she|they)\s+(?:also\s+)?(?:wants?|wanted|needs?|needed)\s+to\s+(?:know|ask|check|find\s+out)\b|^\W*(?:he|she|they)(?:\s+(?:is|was|are|were)|['’](?:s|re))\s+(?:also\s+)?wondering\b|^\W*(?:he|she|they)\s+(?:also\s+)?(?:asked|asks)\b")
        .expect("asks-through-someone regex is valid")
});

/// A question word contracted with "is" ("whats", "what's", "hows", "who's"): two words
/// written as one, so "whats FPT?" has the three words of "what is FPT?".
static WH_CONTRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:what|wat|wot|who|where|how|when)(?:['’]s|s)\b")
        .expect("wh-contraction regex is valid")
});

/// The words of `written` (words of places found in `text`) that belong only to places of
/// several words of which none is written whole in `text`: "royal" of "Royal Preston
/// Hospital" (found in a signature) in "… the Royal College of Physicians …". Such a word
/// names no place in the text.
fn stray_place_words<'a>(
    text: &TextWords,
    places: &[String],
    written: &'a HashSet<String>,
) -> HashSet<&'a str> {
    let places: Vec<Vec<String>> = places.iter().map(|p| crate::text::tokenize(p)).collect();
    let mut tokens: Option<Vec<&str>> = None;
    let mut whole = |place: &[String]| {
        let tokens = tokens.get_or_insert_with(|| text.iter().collect());
        tokens.windows(place.len()).any(|w| w == place)
    };
    written
        .iter()
        .filter(|w| {
            let of: Vec<&Vec<String>> = places
                .iter()
                .filter(|p| p.iter().any(|x| x == *w))
                .collect();
            !of.is_empty() && of.iter().all(|p| p.len() > 1) && !of.iter().any(|p| whole(p))
        })
        .map(String::as_str)
        .collect()
}

/// Whether `question` points at a place said before it ([`POINTS_AT_THE_PLACE`]): "Is FPT
/// offered there yet?", "What is the local FPT set-up?", "r there any posts in the region?".
/// The existential "there" ("are there any posts?") points at nothing.
fn points_at_place(question: &str) -> bool {
    POINTS_AT_THE_PLACE.find_iter(question).any(|m| {
        !is_existential_there(question, m.start(), m.end())
            && !says_how_it_is_run(question, m.start(), m.end())
    })
}

/// Whether the "locally" at `start..end` of `text` says how something is run ("whether
/// it's national or done locally", "is it managed locally?"), not where: a question about
/// the scheme's management names no place.
fn says_how_it_is_run(text: &str, start: usize, end: usize) -> bool {
    text[start..end].eq_ignore_ascii_case("locally")
        && text[..start]
            .split_words()
            .next_back()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_ascii_lowercase()
            })
            .is_some_and(|w| {
                matches!(
                    w.as_str(),
                    "managed"
                        | "run"
                        | "done"
                        | "organised"
                        | "organized"
                        | "decided"
                        | "handled"
                        | "administered"
                        | "delivered"
                        | "overseen"
                        | "coordinated"
                        | "controlled"
                )
            })
}

/// Whether the pointing word at `start..end` of `text` is the existential "there" ("is
/// there a central mailbox?", "there is a form", "are there any posts?"), which stands for
/// no place named elsewhere.
fn is_existential_there(text: &str, start: usize, end: usize) -> bool {
    if !text[start..end].eq_ignore_ascii_case("there") {
        return false;
    }
    let before = text[..start].split_words().next_back().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_ascii_lowercase()
    });
    let after = text[end..].split_words().next().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .to_ascii_lowercase()
    });
    matches!(
        before.as_deref(),
        Some("is" | "are" | "was" | "were" | "isn't" | "aren't" | "isnt" | "arent")
    ) || matches!(
        after.as_deref(),
        Some("is" | "are" | "was" | "were" | "'s" | "’s" | "isn't" | "aren't")
    ) || text[end..].starts_with("'s")
        || text[end..].starts_with("’s")
}

/// The words of [`crate::text::tokenize`]`(text)`, read once and kept one after another in
/// one buffer (no string per word), for a text whose words are looked through more than once:
/// the cleaned body is read for the words of region names and again for the places named in
/// it, and [`stray_place_words`] reads it a third time.
struct TextWords {
    /// the words, each straight after the one before
    joined: String,
    /// where each word of `joined` ends
    ends: Vec<usize>,
}

impl TextWords {
    fn of(text: &str) -> Self {
        let mut joined = String::with_capacity(text.len());
        let mut ends = Vec::new();
        let _ = crate::text::normalize::for_each_token(text, |t| {
            joined.push_str(t);
            ends.push(joined.len());
            std::ops::ControlFlow::<()>::Continue(())
        });
        TextWords { joined, ends }
    }

    /// The words in order, as [`crate::text::tokenize`] gives them.
    fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| self.joined.get(start..end).unwrap_or_default())
    }

    /// [`words_present`] of the text these are the words of.
    fn present(&self, wanted: impl Fn(&str) -> bool) -> HashSet<String> {
        let mut present = HashSet::new();
        for t in self.iter() {
            if wanted(t) && !present.contains(t) {
                present.insert(t.to_string());
            }
        }
        present
    }
}

/// A person's name after a title: "Dr Tom Preston", "Dr J. Barrow", "Mrs Hannah Wells",
/// "Prof A B Lamb" (the title, then up to four capitalised words or initials).
static TITLED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor)\.?[ \t]+(?:[A-Z][A-Za-z'’-]*\.?[ \t]+){0,3}[A-Z][A-Za-z'’-]+")
        .expect("titled name regex is valid")
});

/// A word naming a place of care in or just after a name: "Dr Gray's Hospital" is a place.
static PLACE_OF_CARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Hospital|Infirmary|Centre|Center|Clinic|Hospice|Surgery|Medical|Health|Trust|Unit|House)\b")
        .expect("place-of-care regex is valid")
});

/// `text` with each person's name after a title ([`TITLED_NAME`]) blanked out, so that a
/// surname that is also a place ("Dr Hannah Wells", "Dr Tom Preston") does not say where the
/// sender trains; a name with or before a word naming a place of care ([`PLACE_OF_CARE`])
/// is kept. Blanks keep the text's length.
fn without_titled_names(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['D', 'M', 'P']) {
        return std::borrow::Cow::Borrowed(text);
    }
    TITLED_NAME.replace_all(text, |c: &regex::Captures<'_>| {
        let m = c.get(0).map_or("", |m| m.as_str());
        let end = c.get(0).map_or(0, |m| m.end());
        let next_word = text[end..]
            .trim_start_matches([' ', '\t'])
            .split(|ch: char| !ch.is_alphanumeric())
            .next()
            .unwrap_or("");
        if PLACE_OF_CARE.is_match(m) || PLACE_OF_CARE.is_match(next_word) {
            m.to_string()
        } else {
            " ".repeat(m.len())
        }
    })
}

/// Hands `word` the words of [`crate::text::tokenize`]`(joined)`, in order, where `joined`
/// is `pieces` joined by line breaks and `shared.1` is the [`TextWords`] of piece number
/// `shared.0`: that piece's words are taken from it instead of being read again. On ASCII
/// text a line break ends a word as the end of the text does (it joins nothing, and a "2" or
/// "4" reads only a word after spaces), so the words of the joined text are those of each
/// piece in turn; text with other characters is read whole (its folding differs from ASCII's:
/// a "2" or "4" there stays a digit).
fn joined_words(
    joined: &str,
    pieces: &[&str],
    shared: (usize, &TextWords),
    word: &mut dyn FnMut(&str),
) {
    fn read(text: &str, word: &mut dyn FnMut(&str)) {
        let _ = crate::text::normalize::for_each_token(text, |w| {
            word(w);
            std::ops::ControlFlow::<()>::Continue(())
        });
    }
    if !joined.is_ascii() {
        read(joined, word);
        return;
    }
    for (i, piece) in pieces.iter().enumerate() {
        if i == shared.0 {
            shared.1.iter().for_each(&mut *word);
        } else {
            read(piece, word);
        }
    }
}

/// The words of [`crate::text::tokenize`]`(text)` that `wanted` picks: all a caller asking
/// only whether the text has one of a few words needs, without a set of every word.
fn words_present(text: &str, wanted: impl Fn(&str) -> bool) -> HashSet<String> {
    let mut present = HashSet::new();
    let _ = crate::text::normalize::for_each_token(text, |t| {
        if wanted(t) && !present.contains(t) {
            present.insert(t.to_string());
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    present
}

/// Most capitalised words read as the rest of a place's name ([`place_name_tails`]).
const MAX_PLACE_TAIL: usize = 2;

/// The capitalised words straight after a word of a place found in `text` (`place_words`,
/// lower-cased) that `unknown` says the base does not know, at most [`MAX_PLACE_TAIL`] after
/// each: "I'm a registrar at Darlington Memorial" → "memorial". Lower-cased, as the matcher
/// reads words.
fn place_name_tails(
    text: &str,
    place_words: &HashSet<String>,
    unknown: impl Fn(&str) -> bool,
) -> Vec<String> {
    if place_words.is_empty() {
        return Vec::new();
    }
    let words: Vec<&str> = text.split_words().collect();
    let mut tails = Vec::new();
    let mut lowered = String::new();
    // the place words' lengths in bytes: lower-casing keeps an ASCII word's length, so an
    // ASCII word of any other length is none of them (neither lower-cased nor looked up)
    let lengths: Vec<usize> = place_words.iter().map(String::len).collect();
    for (i, w) in words.iter().enumerate() {
        // (a word that ends its clause ends the name too: "in Darlington. Memorial …"): only
        // a word with nothing to trim, that is opening and closing alphanumeric, is read
        if !(w.chars().next().is_some_and(char::is_alphanumeric)
            && w.chars().next_back().is_some_and(char::is_alphanumeric))
        {
            continue;
        }
        // lower-cased as `str::to_lowercase` does, in one buffer for an ASCII word
        lowered.clear();
        if w.is_ascii() {
            if !lengths.contains(&w.len()) {
                continue;
            }
            lowered.push_str(w);
            lowered.make_ascii_lowercase();
        } else {
            lowered.push_str(&w.to_lowercase());
        }
        if !place_words.contains(lowered.as_str()) {
            continue;
        }
        push_place_tail(&words[i + 1..], &unknown, &mut tails);
    }
    tails
}

/// Pushes onto `tails` the capitalised words the base does not know (`unknown`) that open
/// `after`, the words after a place's word: at most [`MAX_PLACE_TAIL`], lower-cased, up to
/// the first that ends its clause ([`place_name_tails`]).
fn push_place_tail(after: &[&str], unknown: impl Fn(&str) -> bool, tails: &mut Vec<String>) {
    for next in after.iter().take(MAX_PLACE_TAIL) {
        let word = next.trim_end_matches(|c: char| !c.is_alphanumeric());
        let lower = word.to_lowercase();
        if !word.chars().next().is_some_and(char::is_uppercase)
            || word.chars().any(|c| !c.is_alphabetic())
            || !unknown(&lower)
        {
            break;
        }
        tails.push(lower);
        if word.len() != next.len() {
            break;
        }
    }
}

/// Whether `question` is a follow-up ([`FOLLOW_UP`]): the question before it is its context.
fn is_follow_up(question: &str) -> bool {
    FOLLOW_UP.is_match(question)
}

/// A question that takes its topic from the question before it without a pronoun: "where
/// will the details go up?", "is there any more info?", "and what are the options?": it asks
/// about "the details", "the info", "more information", "the options" of something it does
/// not name, in at most
/// [`MAX_DETAILS_WORDS`] content words. Its previous question is its context (the question
/// alone is still taken when it is more confident about the same entry). An "and …" question
/// is not one: "… And how much is the pay?" asks something new, which the previous
/// question's words would answer wrongly (a break test's false answers).
fn continues_previous(question: &str) -> bool {
    CONTINUES_PREVIOUS.is_match(question)
}

/// Content words at most of a question that [`continues_previous`] ("where will details go
/// up" has four); a longer one says enough to be matched by itself.
const MAX_DETAILS_WORDS: usize = 4;

/// See [`continues_previous`].
static CONTINUES_PREVIOUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|any|further|more|those|these|such|full)\s+(?:details|info|information|specifics|particulars|options|choices|alternatives|possibilities)\b|^\W*(?:where|when|how)\s+(?:will|would|do|does|can|could|are|is|should)\s+(?:details|info|information)\b")
        .expect("continues-previous regex is valid")
});

/// The " or " that joins the two alternatives of a question ("is it a whole day or an
/// afternoon?", "… out of programme or part of training?").
static ALTERNATIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[\s,]+or\s+").expect("alternative regex is valid"));

/// A plural pronoun standing for things named before the question: "all of them", "do they
/// count", "are those compulsory?", "every one of those over the year" ("those" and "these"
/// before a noun are not pronouns: "of those activities", see [`resolve_plural_pronoun`]).
static PLURAL_PRONOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bthem\b|\b(?:they|those|these)\b(?:\s*[?.!,]|\s*$|\s+(?:all|both|each|count|have|need|are|were|mandatory|compulsory|required)\b)|\bof\s+(?:those|these)\b")
        .expect("plural pronoun regex is valid")
});

/// A demonstrative naming places ("those areas", "these regions", "those two areas", "the
/// same parts of the country"): it points back to the places named before it.
static PLACES_POINTED_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:those|these|both\s+(?:of\s+)?(?:those|these)|the\s+same)\s+(?:(?:two|three|both|2|3)\s+)?(?:areas|regions|places|parts\s+of\s+the\s+country|deaneries|local\s+offices)\b")
        .expect("places pointed at regex is valid")
});

/// "them" as what a scheme is brought to: "are there any plans to bring them in?", "will it be
/// extended to them?", "when will it reach them?" (the captured "them" points back to the
/// places named before it, [`resolve_places`]).
static THEM_REACHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:bring(?:ing)?|br[oa]ught|includ(?:e|es|ed|ing)|add(?:s|ed|ing)?|(?:extend|expand|roll(?:ed|ing)?\s+(?:it\s+)?out|open(?:ed|ing)?\s+(?:it\s+)?up)\w*\s+(?:(?:it|fpt|the\s+scheme)\s+)?(?:in)?to|reach(?:es|ed|ing)?|cover(?:s|ed|ing)?)\s+(them)\b")
        .expect("them-reached regex is valid")
});

/// "… London and the Thames Valley don't seem to have featured in the pilot. Could you say
/// whether there is any intention for the scheme to reach those areas?": the question with
/// "those areas" read as the places named in the nearest text of `near` that names any
/// (`is_place` says whether a lower-cased word is part of a place's or a region's name), as
/// written there ("London and Thames Valley").
fn resolve_places(
    question: &str,
    near: &[&str],
    is_place: impl Fn(&str) -> bool,
) -> Option<String> {
    let pointed = PLACES_POINTED_AT
        .find(question)
        .map(|m| m.range())
        .or_else(|| {
            THEM_REACHED
                .captures(question)
                .and_then(|c| c.get(1))
                .map(|m| m.range())
        })?;
    // a run of place words ended: one name, as written
    fn flush(run: &mut Vec<String>, names: &mut Vec<String>) {
        if !run.is_empty() {
            let name = run.join(" ");
            if !names.contains(&name) {
                names.push(name);
            }
            run.clear();
        }
    }
    let names = near.iter().find_map(|text| {
        // runs of place words, as written; punctuation ends a run ("London, Leeds")
        let mut names: Vec<String> = Vec::new();
        let mut run: Vec<String> = Vec::new();
        for raw in text.split_words() {
            let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let place = !word.is_empty() && is_place(&word.to_lowercase());
            if place {
                run.push(word.to_string());
            }
            if !place || raw.ends_with(|c: char| !c.is_alphanumeric()) {
                flush(&mut run, &mut names);
            }
        }
        flush(&mut run, &mut names);
        (!names.is_empty()).then_some(names)
    })?;
    let joined = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    };
    Some(format!(
        "{}{joined}{}",
        &question[..pointed.start],
        &question[pointed.end..]
    ))
}

/// "they", the subject plural pronoun.
static THEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bthey\b").expect("they regex is valid"));

/// The pronoun word itself within a [`PLURAL_PRONOUN`] match.
static PLURAL_PRONOUN_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:them|they|those|these)\b").expect("pronoun word regex is valid")
});

/// A short question where, or how, to find or get "it": "Where is it??", "where can I find
/// it?", "how do I get hold of it?".
static WHERE_IS_IT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:so|and|but|ok)\s+)?(?:where|how)\b[^?.!]{0,40}?\bit\b")
        .expect("where-is-it regex is valid")
});

/// Words a question asking where "it" is may have at most ([`resolve_document_pronoun`]).
const MAX_WHERE_IS_IT_WORDS: usize = 8;

/// A document named by a determiner, up to four words before its noun: "the medical education
/// pathway document", "a copy of the handbook", "the trainee forms".
static NAMED_DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|a|an|this|that)\s+((?:[a-z0-9'’-]+\s+){0,4}?(?:document|doc|docs|documents|form|forms|handbook|pdf|guide|guidance|table|leaflet|booklet|template))\b")
        .expect("named-document regex is valid")
});

/// `question` asking where or how to get "it" ([`WHERE_IS_IT`], at most
/// [`MAX_WHERE_IS_IT_WORDS`] words) with "it" replaced by the last document the nearest text
/// of `near` (nearest first) names ([`NAMED_DOCUMENT`]): "Where is it??" after "I need the
/// medical education pathway document for a meeting tomorrow" → "Where is the medical
/// education pathway document??". `None` otherwise.
fn resolve_document_pronoun(question: &str, near: &[&str]) -> Option<String> {
    let found = WHERE_IS_IT.find(question)?;
    if question.split_words().count() > MAX_WHERE_IS_IT_WORDS {
        return None;
    }
    let document = near.iter().find_map(|text| {
        NAMED_DOCUMENT
            .captures_iter(text)
            .last()
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
    })?;
    // "it" is the last word of the match
    let it = found.end() - 2;
    Some(format!(
        "{}the {document}{}",
        &question[..it],
        &question[found.end()..]
    ))
}

/// Whether `word` looks like a plural noun: four letters or more ending in "s" but not "ss",
/// "us" or "is".
fn looks_plural(word: &str) -> bool {
    word.len() >= 4
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
}

/// `question` with its plural pronoun ([`PLURAL_PRONOUN`]) replaced by the last plural noun
/// that the nearest text of `near` (nearest first) names and the base knows ("… lists a lot
/// of activities. Am I expected to do all of them?" → "… all of the activities?"): a pronoun
/// carries no topic, its antecedent does. `None` when there is no such pronoun or no plural the base knows in the context.
/// A plural is a word of four letters or more ending in "s" but not "ss", "us" or "is".
fn resolve_plural_pronoun(
    question: &str,
    near: &[&str],
    known: impl Fn(&str) -> bool,
) -> Option<String> {
    let found = PLURAL_PRONOUN.find(question)?;
    let pronoun = PLURAL_PRONOUN_WORD.find_at(question, found.start())?;
    // "of those activities": a determiner before its noun, which names the things itself
    let next = question[pronoun.end()..].split_words().next().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    });
    if next.as_deref().is_some_and(|w| looks_plural(w) && known(w)) {
        return None;
    }
    let word = nearest_plural(near, known)?;
    let end = pronoun.end();
    Some(format!(
        "{}the {word}{}",
        &question[..pronoun.start()],
        &question[end..]
    ))
}

/// The last plural the base knows (`known`, a plural as [`looks_plural`] reads it) in the
/// nearest text of `near` (nearest first) that names one.
fn nearest_plural(near: &[&str], known: impl Fn(&str) -> bool) -> Option<String> {
    near.iter().find_map(|text| plurals_in(text, &known).pop())
}

/// The plurals the base knows (`known`) that `text` names, in their order.
fn plurals_in(text: &str, known: impl Fn(&str) -> bool) -> Vec<String> {
    crate::text::tokenize(text)
        .into_iter()
        .filter(|w| looks_plural(w) && known(w))
        .collect()
}

/// "how many" straight before "are", "is" or "of them" ("how many are in each pathway?",
/// "how many are there?"): the count's noun is left out. Not before "do I …": "how many
/// capabilities per pathway and how many do I need signed off per year" asks what the
/// asker must do, of which the noun's entry says nothing.
static ELIDED_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bhow\s+(many)\s+(?:are|were|is|of\s+(?:them|those|these))\b")
        .expect("elided count regex is valid")
});

/// `question` with the noun its "how many" leaves out ([`ELIDED_COUNT`]) written in: the last
/// plural the base knows (`known`) in the nearest of `near` that has one. "how many are in
/// each pathway?" after "my ES was going on about capabilities" → "how many capabilities are
/// in each pathway?". `None` when nothing is left out or no plural is near.
fn resolve_elided_count(
    question: &str,
    near: &[&str],
    known: impl Fn(&str) -> bool,
) -> Option<String> {
    let many = ELIDED_COUNT.captures(question)?.get(1)?.end();
    let word = nearest_plural(near, known)?;
    Some(format!("{} {word}{}", &question[..many], &question[many..]))
}

/// Whether the nearest of `near` that names a plural the base knows (as
/// [`resolve_plural_pronoun`] reads them, `known`) names only one: a plural pronoun then
/// points to it without doubt.
fn sole_plural(near: &[&str], known: impl Fn(&str) -> bool) -> bool {
    near.iter()
        .map(|text| plurals_in(text, &known))
        .find(|plurals| !plurals.is_empty())
        .is_some_and(|plurals| plurals.iter().all(|w| *w == plurals[0]))
}

/// Share of the base's entries that must contain a word for it to be the base's subject
/// ("FPT" in nearly all the entries of `faq/`; no word of StackFAQ's comes near).
const SUBJECT_SHARE: f32 = 0.8;

/// The word nearly every entry contains ([`SUBJECT_SHARE`] of them, at least five; not a
/// stop word): what the base is about, which "it" usually means in a question to it. Read
/// off the index's postings (linear in its stems, not its text), as the shortest word the
/// base knows with that stem, and its stem. `None` when no word is that common.
fn subject_word(index: &Index) -> Option<(String, String)> {
    let analyzer = index.analyzer();
    let (stem, n) =
        index.most_common_stem(|s| s.chars().any(char::is_alphabetic) && !analyzer.is_stop(s))?;
    let needed = ((index.len() as f32 * SUBJECT_SHARE).ceil() as usize).max(5);
    if n < needed {
        return None;
    }
    let word = analyzer
        .vocabulary()
        .pairs()
        .filter(|&(_, s)| s == stem)
        .map(|(w, _)| w)
        .min_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)))
        .unwrap_or(stem)
        .to_string();
    Some((word, stem.to_string()))
}

/// The numbers of `kb`'s entries sorted by id, keeping only the last entry of each id (as a
/// map from id to number filled in entry order would).
fn entry_numbers(kb: &KnowledgeBase) -> Vec<u32> {
    let id = |i: u32| kb.entries.get(i as usize).map_or("", |e| e.id.as_str());
    let mut order: Vec<u32> = (0..kb.entries.len() as u32).collect();
    // by id, the last entry of an id first
    order.sort_by(|&a, &b| id(a).cmp(id(b)).then(b.cmp(&a)));
    order.dedup_by(|later, first| id(*later) == id(*first));
    order
}

/// The singular pronoun "it" standing for the base's subject.
static IT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bit\b").expect("pronoun regex is valid"));

/// "it" as the thing to be found, read, sent, filled in or fetched ("where can I find it?",
/// "could you send it to me?", "where do I get it from?", "… so I can pass it to a
/// colleague?"): a document or an address, never the scheme the
/// base is about.
static IT_FOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:find|download|access|read|open|locate|send|forward|print|get\s+hold\s+of|get\s+a\s+copy\s+of|fill\s+in|fill\s+out|bring|attach|upload|submit|hand\s+in|pass|share|email|e-mail|text|copy|save|write\s+down|note\s+down)\s+it\b|\bget\s+it\s+(?:from|off)\b|\bgive\s+it\s+to\b")
        .expect("it-found regex is valid")
});

/// "What is / what's (the, this, that) <a word> (thing, scheme, …)" and a clause after it
/// that says who has it or speaks of it ("that my colleagues are doing", "everyone keeps
/// talking about"): group `asked` is the question without the clause, group `subject` the
/// word asked about.
static WHAT_IS_WITH_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:so\s+|and\s+|but\s+)?(?P<asked>what(?:['’]s|s|\s+is|\s+exactly\s+is)\s+(?:the\s+|this\s+|that\s+|a\s+)?(?P<subject>[\w-]+(?:\s+[\w-]+){0,3}?)(?:\s+(?:thing|scheme|programme|program|day|stuff|business|post|posts))?)\s+(?P<clause>(?:that|which|everyone|everybody|people|my|our|your|his|her|their|the|registrars|regs|colleagues|doctors|trainees|you|they|i|we|he|she|all|some|so\s+many)\s+[^?]*)\?*\s*$")
        .expect("what-is-with-clause regex is valid")
});

/// `question` ("what is the FPT thing my colleagues keep talking about?") as "what is the FPT
/// thing?" when what is asked about is the base's subject `word` (its long forms written as
/// it by `expand`) and the clause after it only says which thing is meant
/// ([`WHAT_IS_WITH_CLAUSE`]), asking nothing of its own (no question word after its first).
/// `None` otherwise.
fn what_is_without_clause(
    question: &str,
    word: &str,
    expand: impl Fn(&str) -> String,
) -> Option<String> {
    // (most questions are no "what is …": nothing is built for them)
    if !WHAT_IS_WITH_CLAUSE.is_match(question) {
        return None;
    }
    let question = expand(question);
    let caps = WHAT_IS_WITH_CLAUSE.captures(&question)?;
    if !caps.name("subject")?.as_str().eq_ignore_ascii_case(word) {
        return None;
    }
    let asks_more = caps
        .name("clause")?
        .as_str()
        .split_words()
        .skip(1)
        .any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "what" | "how" | "why" | "when" | "where" | "who" | "which" | "whether" | "if"
            )
        });
    (!asks_more).then(|| format!("{}?", caps.name("asked").map_or("", |m| m.as_str())))
}

/// A condition in a question ("is it ringfenced if the ward is short?"): what it asks hangs
/// on the asker's circumstances, not on the scheme alone.
static IT_CONDITIONED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:if|unless|when|whenever)\b").expect("condition regex is valid")
});

/// Words a question may have before a bare "it" that stands for the base's subject ("how
/// long is it", "and is it"): more may name what it stands for.
const MAX_WORDS_BEFORE_IT: usize = 3;

/// "it" standing for a clause or situation, not a thing: "is it possible to …", "would it be
/// ok if …", "it depends", "how long does it take to hear back?".
static DUMMY_IT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:is\s+it|it\s+is|it['’]?s|it\s+was|was\s+it|would\s+it\s+be|will\s+it\s+be|it\s+would\s+be|it\s+will\s+be)\s+(?:\w+\s+)?(?:possible|ok|okay|true|worth|necessary|likely|easy|hard|difficult|better|best|allowed|normal|common|usual|fine|acceptable|wise|sensible|realistic|advisable|essential|important|compulsory|mandatory|required|too\s+late|late|early)\b|\bit\s+(?:depends|seems|sounds|looks|appears|says|said|mentions|turns|happens|matters)\b|\b(?:does|did|will|would)\s+it\s+(?:take|matter)\b|\bit\s+(?:takes|took)\b")
        .expect("dummy-it regex is valid")
});

/// `question` with its first "it" replaced by the base's subject `word` when the nearest text
/// of `near` that names anything names the subject (`names_subject`), or nothing comes
/// before it and the "it" is no dummy ([`DUMMY_IT`]), and the question does not name the
/// subject: "I don't really know what it is - could you give me a brief summary?" after "…
/// asked me about Flexible Portfolio Training." → "… what FPT is …"; a chat message "is it
/// a whole day?" → "is FPT a whole day?". `None` otherwise.
fn resolve_subject_pronoun(
    question: &str,
    near: &[&str],
    word: &str,
    names_subject: impl Fn(&str) -> bool,
) -> Option<String> {
    let pronoun = IT.find(question)?;
    if names_subject(question) || IT_FOUND.is_match(question) {
        return None;
    }
    // with nothing before it, a subject "it" is the scheme the base, the mailbox and the
    // channel are about ("is it a whole day or just a few hrs here n there"), unless it
    // stands for a clause after it ("is it possible to …", "it depends")
    // (and the question names nothing before it that it could stand for: "if i do the
    // research pathway would it help me …" means the pathway)
    match near.iter().find(|t| has_word(t)) {
        Some(nearest) if !names_subject(nearest) => return None,
        None if DUMMY_IT.is_match(question)
            || IT_CONDITIONED.is_match(question)
            || question[..pronoun.start()].split_words().count() > MAX_WORDS_BEFORE_IT =>
        {
            return None
        }
        _ => {}
    }
    Some(format!(
        "{}{word}{}",
        &question[..pronoun.start()],
        &question[pronoun.end()..]
    ))
}

/// A question that opens with a condition: "if …", "when …", "once …".
static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:if|when|whenever|unless|once|after|before|in\s+case)\b")
        .expect("condition regex is valid")
});

/// A condition around a question for whom to ask and the question it conditions, before it
/// ("and if I have a question it doesn't answer, who should I contact?" → ("I have a
/// question it doesn't answer", "who should I contact?")) or after it ("who do i email if
/// my question isnt in the faq" → ("my question isnt in the faq", "who do i email")). Only
/// a question for whom to ask ("who", "how do I contact"), or before it where to look,
/// which a condition rarely changes; "if I die, what will happen to my account?" hangs on
/// its condition, and after "where do I find the forms" the condition ("if the link is
/// broken") may rule out where to look. `None` otherwise, or for a main clause under three
/// words.
fn split_condition(question: &str) -> Option<(&str, &str)> {
    static CONDITIONS: LazyLock<[Regex; 2]> = LazyLock::new(|| {
        [
            r"(?i)^\W*(?:and\s+|but\s+|also\s+|so\s+)?(?:if|in\s+case)\s+(?P<condition>[^,?]{3,160}),\s*(?:then\s+)?(?P<main>(?:who|whom|where|how\s+(?:do|can|should|would)\s+(?:i|we)\s+(?:contact|reach|find|get\s+in\s+touch))\b[^?]*\?)\s*$",
            r"(?i)^\W*(?:and\s+|but\s+|also\s+|so\s+)?(?P<main>(?:who|whom|how\s+(?:do|can|should|would)\s+(?:i|we)\s+(?:contact|reach|get\s+in\s+touch))\b[^?,]*?)\s*,?\s+(?:if|in\s+case)\s+(?P<condition>[^?]{3,160}?)\s*\?*\s*$",
        ]
        .map(|pattern| Regex::new(pattern).expect("condition regex is valid"))
    });
    CONDITIONS.iter().find_map(|re| {
        let caps = re.captures(question)?;
        let (condition, main) = (
            caps.name("condition")?.as_str(),
            caps.name("main")?.as_str(),
        );
        (main.split_words().count() >= 3).then_some((condition, main))
    })
}

/// The first alternative of a question that asks which of two is true, as a question of its
/// own: the question up to its last " or " ("is it a whole day or an afternoon?" → "is it a
/// whole day?"). An entry that answers it answers which. The second alternative alone is
/// not asked: it loses the frame the question opened with ("if I take a week of leave, does
/// it use an FPT day, or is the day taken from my clinical days?"). `None` when the question
/// offers no alternative, opens with a condition ([`CONDITION`]), or its first alternative
/// would have fewer than three words.
fn first_alternative(question: &str) -> Option<String> {
    // "if I fail my ARCP, do I lose FPT at once or is there a warning?" chooses between
    // consequences of the asker's case, which an entry that shares the topic rarely states
    if CONDITION.is_match(question) {
        return None;
    }
    let m = ALTERNATIVE.find_iter(question).last()?;
    let (before, after) = (question[..m.start()].trim(), question[m.end()..].trim());
    if before.split_words().count() < 3 || after.is_empty() {
        return None;
    }
    // "does my FPT day stay protected on nights, or do I just lose it that week?": the second
    // alternative asks what only a person can say (a consequence, a change, …), which an
    // entry answering the first alone does not tell. (Not whether something counts as
    // something: "does it sit within training, or does it count as time out?" is answered by
    // what it is.)
    use crate::matcher::ask::{ask_kinds, asks_request, AskKind};
    let request = |t: &str| {
        let kinds: Vec<AskKind> = ask_kinds(t)
            .into_iter()
            .filter(|k| *k != AskKind::Credit)
            .collect();
        asks_request(&kinds)
    };
    if request(after) && !request(before) {
        return None;
    }
    let mark = if question.trim_end().ends_with('?') {
        "?"
    } else {
        ""
    };
    Some(format!("{before}{mark}"))
}

/// What someone else said, or the asker believed, before a request to check it: "a colleague
/// told me that …", "I heard …", "I was under the impression that …", "there's a rumour
/// going round that …", "my reg thinks …", "my understanding is that …", "I believe/think/
/// presume …", "I'm assuming …", "she seems convinced that …", "as far as I know …". The
/// named group `claim` is what was said.
static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:heard(?:\s+somewhere)?|told\s+(?:me|us|her|him|them|(?:a|an|the|our|my|some)(?:\s+[\w'’-]+){1,3}?\s+that)|(?:was|were|been)\s+told|under\s+the\s+impression|said|says|(?:some\s*one|somebody|people|others|every\s*one|folk|colleagues?|friends?|they|he|she|him|her|them|trainees|registrars|regs|consultants|posts?|tweets?|threads?|rumou?rs?)(?:\s+[\w'’-]+){0,3}?\s+saying|mentioned(?:\s+(?:to\s+me|over\s+\w+))?|suggested|claimed|claims|reckons|thinks|believes|swears(?:\s+blind)?|insists|(?:is|was)\s+(?:adamant|convinced|certain)|read(?:\s+somewhere|\s+online|\s+(?:on|in)\s+(?:[\w'’-]+\s+){1,5}?that)?|i\s+thought|apparently|rumou?r(?:\s+going\s+(?:round|around)(?:\s+\w+){0,3})?|assumed?|(?:i['’]?m|i\s+am|i\s+was)\s+(?:just\s+)?assuming|(?:my|our)\s+understanding\s+(?:is|was)|i\s+(?:(?:always|honestly|really|genuinely)\s+)?(?:think|believed?|presumed?|gather|reckon|suspect)|(?:seems?|seemed)\s+(?:to\s+be\s+)?(?:convinced|adamant|certain|sure)|(?:i['’]?m|i\s+am|i\s+was)\s+(?:pretty\s+|fairly\s+|quite\s+)?(?:sure|certain|convinced)|as\s+far\s+as\s+i\s+(?:know|understand|can\s+tell))\b\s*(?:,\s*)?(?:that\s+)?(?P<claim>[^.?!;]{8,240})")
        .expect("claim regex is valid")
});

/// Whether a [`CLAIM`] match in `text` reports something said, not its absence: "I haven't
/// heard anything - any update?", "nobody has said", "I was never told" report nothing.
fn said(text: &str, claim: &regex::Captures<'_>) -> bool {
    let start = claim.get(0).map_or(0, |m| m.start());
    !NEGATED.is_match(text[..start].trim_end())
}

/// A negation just before a word that reports ([`said`]): "haven't", "didnt", "not", "never".
static NEGATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(?:haven|hasn|hadn|didn|don|doesn|wasn|weren|isn|aren|won|wouldn|couldn|can)['’]?t|\b(?:not|never|nobody|no\s*one))$")
        .expect("negated regex is valid")
});

/// A question that asks only whether there is a reason for the statement before it: "Is
/// there a reason for that?", "any particular reason?". ("Why was that?" asks "why" itself,
/// which the entries' phrasings answer with the statement as its context; it is also read
/// as why the statement's claim is so, [`WHY_WAS_THAT`].)
static WHY_THAT_IS_SO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|so|but)\s+)?(?:(?:is|was)\s+there\s+(?:a|any)\s+(?:particular\s+|specific\s+|good\s+)?reason(?:\s+(?:for\s+(?:that|this)|why))?|any\s+(?:particular\s+|specific\s+)?reason(?:\s+(?:for\s+(?:that|this)|why))?)\W*$")
        .expect("why-that-is-so regex is valid")
});

/// "What are the different pathways?", "could you tell me what the various options are",
/// "the different streams you can pick": "different" and "various" there only say that the
/// things are several, and "different" is also what an entry on how the scheme differs
/// between regions is about, so a question listing things is pulled towards it (the word is
/// rare in the base, so it outweighs "pathways", which is everywhere). Not "different
/// from/to/between/in each …", a comparison.
static ENUMERATING_ADJECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:what|which)(?:\s*['’]\s*re|\s+are|\s+r|\s+were)\s+(?:all\s+)?the|(?:what|which)\s+(?:all\s+)?the|(?:tell|show|list|explain|outline)\s+(?:me|us)?\s*(?:about\s+)?(?:all\s+)?the|about\s+(?:all\s+)?the)\s+(?:different|various|diff)\s+((?:[a-z]+\s+)?[a-z]+s\b)(\s+(?:from|to|than|between|in\s+(?:each|every|different)|across)\b)?")
        .expect("enumerating-adjective regex is valid")
});

/// `question` without an adjective that only says the things it lists are several
/// ([`ENUMERATING_ADJECTIVE`]): "what are the pathways?". None when there is none.
fn without_enumerating_adjective(question: &str) -> Option<String> {
    let caps = ENUMERATING_ADJECTIVE.captures(question)?;
    if caps.get(3).is_some() {
        return None;
    }
    let whole = caps.get(0)?;
    let (head, things) = (caps.get(1)?.as_str(), caps.get(2)?.as_str());
    Some(format!(
        "{}{head} {things}{}",
        &question[..whole.start()],
        &question[whole.end()..]
    ))
}

/// Those who want to do something, said of whom the scheme is for: "only for people who
/// want to do research", "for trainees who are interested in QI", "for those who plan to go
/// into medical education", "for academic types who want to do research": the activity is
/// what the scheme would be for.
static FOR_PEOPLE_WHO_DO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bfor\s+(?:(?:people|those|trainees|doctors|registrars|regs|folk|ppl|anyone|someone|somebody)|(?:[a-z-]+\s+)?(?:types|sorts|people|trainees|doctors|registrars|regs|folk))\s+(?:who|that)\s+(?:(?:really|only|just|actually)\s+)?(?:want|wants|wanna|wish|wishes|plan|plans|intend|intends|hope|hopes|are\s+(?:interested|keen)\s+(?:in|on)|is\s+(?:interested|keen)\s+(?:in|on)|are\s+into|is\s+into|like|likes|love|loves|do|does)\s+(?:to\s+)?(?:do(?:ing)?\s+|go(?:ing)?\s+into\s+|get(?:ting)?\s+into\s+|pursu(?:e|ing)\s+|focus(?:ing)?\s+on\s+)?")
        .expect("for-people-who-do regex is valid")
});

/// `question` read with the activity in place of those who want to do it
/// ([`FOR_PEOPLE_WHO_DO`]): "is FPT basically only for people who want to do research?" →
/// "is FPT basically only for research?"; or with "only for" in place of "restricted to"
/// ([`RESTRICTED_TO`]). `None` when it has neither.
fn for_the_activity(question: &str) -> Option<String> {
    if let Some(m) = RESTRICTED_TO.find(question) {
        return Some(format!(
            "{}only for {}",
            &question[..m.start()],
            &question[m.end()..]
        ));
    }
    let m = FOR_PEOPLE_WHO_DO.find(question)?;
    Some(format!(
        "{}for {}",
        &question[..m.start()],
        &question[m.end()..]
    ))
}

/// "restricted to", "limited to", "confined to", "exclusive to": what the scheme would be
/// only for ([`for_the_activity`] reads it as "only for").
static RESTRICTED_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:restricted|limited|confined|exclusive)\s+to\s+")
        .expect("restricted-to regex is valid")
});

/// A question that asks what something is for, its purpose: "what's FPT actually for?",
/// "who's it aimed at and what's it for?", "not sure what the scheme is for". The trailing
/// "for" is a stop word, so without it the question reads as "what is FPT?" and gets the
/// scheme's description instead of its aims. Not a verb's particle ("what was it set up
/// for?", "what are you looking for?", "what am I eligible for?": the thing is the subject of
/// no verb there, or a person).
static PURPOSE_ASKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[,;:.!?(]\s*|\b(?:and|so|but|like|or)\s+)what(?:\s*['’]\s*s|s|\s+is|\s+are|\s+was)\s+((?:(?:the|this|that|your|our|its)\s+)?(?:[a-z0-9-]+\s+){0,2}?[a-z0-9-]+)\s+(?:(?:actually|really|even|exactly|meant|supposed\s+to\s+be)\s+)?for\s*[?!.]*\s*$|(?:^|\b(?:what|sure|know|understand|clear|idea|explain|tell\s+me)\s+)what\s+((?:(?:the|this|that|your|our|its)\s+)?(?:[a-z0-9-]+\s+){0,2}?[a-z0-9-]+)\s+(?:is|are|was)\s+(?:(?:actually|really|even|exactly|meant|supposed\s+to\s+be)\s+)?for\s*[?!.]*\s*$")
        .expect("purpose-asked regex is valid")
});

/// Words that make "what is X for?" something other than a thing's purpose: a person asked
/// about ("you", "I"), a verb's participle ("set up", "used", "looking", "applying").
const NOT_PURPOSE_WORDS: &[&str] = &[
    "i", "you", "u", "we", "they", "he", "she", "me", "am", "up", "out", "in", "on", "there",
    "here", "time", "day", "days", "session", "sessions",
];

/// "what's FPT actually for?" read as what asks it: "what is the purpose of FPT?" ([`PURPOSE_ASKED`]).
/// None when the question asks nothing of the kind.
fn purpose_reading(question: &str) -> Option<String> {
    let caps = PURPOSE_ASKED.captures(question)?;
    let thing = caps.get(1).or_else(|| caps.get(2))?.as_str().trim();
    // "what is FPT used for?": the purpose of FPT
    let thing = thing
        .strip_suffix(" used")
        .or_else(|| thing.strip_suffix(" meant"))
        .unwrap_or(thing);
    let words: Vec<String> = thing.split_whitespace().map(|w| w.to_lowercase()).collect();
    // ("set up", "needed", "asked"; "training" and "meeting" are things)
    let participle = |w: &str| w.len() > 4 && w.ends_with("ed") && w != "need";
    let preposition = |w: &str| matches!(w, "for" | "to" | "with" | "by" | "from" | "of");
    if words
        .iter()
        .any(|w| NOT_PURPOSE_WORDS.contains(&w.as_str()) || participle(w) || preposition(w))
    {
        return None;
    }
    Some(format!("what is the purpose of {thing}?"))
}

/// A question that asks only why the statement before it is so, in its own words: "Why was
/// that?", "why that was", "why is that the case?", "how come?".
static WHY_WAS_THAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|so|but)\s+)?(?:why\s+(?:(?:is|was)\s+(?:that|this)|(?:that|this)\s+(?:is|was))(?:\s+(?:so|the\s+case))?|how\s+come)\W*$")
        .expect("why-was-that regex is valid")
});

/// What `stated` reports as said or believed ([`CLAIM`], when it says it: [`said`]): "I heard
/// London didn't take part" → "London didn't take part".
fn reported_claim(stated: &str) -> Option<&str> {
    CLAIM
        .captures(stated)
        .filter(|c| said(stated, c))
        .and_then(|c| c.name("claim"))
        .map(|m| m.as_str())
}

/// Highest confidence of any question in a chat message read as talk between colleagues
/// ([`Triage::is_chatter`]): no entry comes near it. Set on the labelled sets' chat (the
/// coffee, the wifi and "who's on the take today" score 0.00–0.02 with the model; the
/// canteen, at 0.08, is still routed).
const CHATTER_MAX_CONFIDENCE: f32 = 0.05;

/// Words that speak to everyone in the channel: "anyone fancy a coffee?", "happy friday all",
/// "who's got the bleep tonight?", "morning all". A question with none of them ("is there
/// funding for a masters during parental leave?") may be asked of the team.
static TO_THE_ROOM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:any\s*one|anybody|every\s*one|everybody|all|guys|folks|peeps|ppl|y['’]?all)\b|\bwho['’]?s\s+(?:got|on|around|free|about|in|going|coming)\b")
        .expect("to-the-room regex is valid")
});

/// Highest confidence of any question in a chat message that asks the others in the room
/// for something ([`ASKS_THE_ROOM`]) and has a word the base does not know, read as talk
/// between colleagues ([`Triage::is_chatter`]).
const ROOM_QUESTION_MAX_CONFIDENCE: f32 = 0.35;

/// Highest confidence of a chat remark ([`Triage::is_remark`]). Set on the labelled sets: at
/// it, no chat enquiry labelled to be routed or answered is taken for a remark; the remarks
/// labelled to be ignored came to 0.06 or less.
const REMARK_MAX_CONFIDENCE: f32 = 0.15;

/// A question put with its verb first anywhere in a message ("heard fpt is only 6 months now
/// is that true", "fpt day - can i move it"): a question though unmarked.
static INVERTED_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:is|are|was|were|do|does|did|can|could|should|would|will|has|have|am)\s+(?:it|that|this|there|i|we|you|u|they|he|she|my|the|fpt)\b")
        .expect("inverted question regex is valid")
});

/// A message put as a question by its first word, a verb before anything else: "do QIPs
/// count for the qi pathway", "are ARCPs different on fpt" ("did" is left out: "did a bit of
/// teaching today" tells).
static OPENS_WITH_AUXILIARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:do|does|is|are|can|could|will|would|should|has|have|am)\s+\w")
        .expect("opens-with-auxiliary regex is valid")
});

/// A request, or trouble the writer has, said without a question, beside what
/// [`crate::ignore::needs_or_troubled`] reads: "pls", "need the link",
/// "looking for the form", "can't find", "not sure", "stuck", "urgent", "anyone", "the
/// handbook link is broken", "nobody has replied", "I'd still like to know about pay", the
/// writer's own case ("my supervisor left last month").
static REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:pl[sz]|please|plz|needed|wanted|looking\s+for|send|sent|help|any\s*one|anybody|some\s*one|somebody|couldn['’]?t|confused|not\s+sure|unsure|wonder(?:ing)?|stuck|struggling|query|question|q|info|information|broken|not\s+working|isn['’]?t\s+working|doesn['’]?t\s+work|404|error|missing|expired|nobody|no\s+one|no\s+reply|keeps?|my|mine|know|tell|ask(?:ing)?|interested|enquir\w*|explain|clarify|like\s+to)\b")
        .expect("request regex is valid")
});

/// A question put to the others in the room: "does anyone have the teaching rota?", "anyone
/// wanna swap my on call?", "who's going to the conf in may?", "is anybody around?", "who
/// else is on the take today", "has anyone seen the charger for the meeting room laptop?". ("Does
/// anyone know …" is not one: it asks for information, which may be the team's to give.)
static ASKS_THE_ROOM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:does|do|did|has|have|is|will|would)\s+)?(?:any\s*one|anybody)\s+(?:else\s+)?(?:got|have|has|wanna|want|fancy|going|around|free|up\s+for|on|seen|found|taken|borrowed|moved)\b|^\W*(?:any\s*one|anybody)\b|\bwho['’]?s\s+(?:going|coming|up\s+for|around|free|got|on)\b|\bwho\s+else\s+(?:is|['’]s|s|fancies|wants|needs|has|got|going|coming)\b")
        .expect("asks-the-room regex is valid")
});

/// A question word anywhere: "lol my day got cancelled again, who do i moan to".
static QUESTION_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:who|whom|whose|what|when|where|why|how|which|whether)\b")
        .expect("question-word regex is valid")
});

/// The opening of a reply to a colleague in the chat channel: "yeah …", "ha same …", "lol
/// …", "tbf …", "mine …", "me too …".
static REPLY_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:yeah|yea|yep|yup|ya|yh|ha+|haha\w*|lol|same|tbf|tbh|agreed|true|exactly|totally|mine|ours|me\s+too|snap|ditto|fair)\b")
        .expect("reply-opener regex is valid")
});

/// A request that someone act for the asker: "can someone reset my eportfolio password",
/// "could you help", "would u check this": asked of the team, never chatter.
static ASKS_THE_TEAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:can|could|would|will)\s+(?:some\s*one|somebody|any\s*one|anybody|you|u|ya)\b|\bhelp\b")
        .expect("asks-the-team regex is valid")
});

/// A sender saying the answer they were sent fell short: "that doesn't really answer my
/// question", "that's not what I asked", "your reply didn't help".
static ANSWER_FELL_SHORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:doesn|didn|don|hasn|haven|wasn|isn)['’]?t|does\s+not|did\s+not|has\s+not|was\s+not|is\s+not)\s+(?:really\s+|quite\s+|actually\s+|fully\s+)?(?:answer(?:ed)?|address(?:ed)?|cover(?:ed)?)\s+(?:my|the|our)\s+(?:question|query|point)|\b(?:that|this|it)['’]?s\s+not\s+(?:quite\s+|really\s+)?what\s+i\s+(?:asked|meant|was\s+asking)|\b(?:your|the)\s+(?:reply|answer|response)\s+(?:didn['’]?t|did\s+not|doesn['’]?t|does\s+not)\s+(?:really\s+|quite\s+)?(?:help|answer)")
        .expect("answer-fell-short regex is valid")
});

/// A request to check a claim: "is that right?", "is it true?", "is that still the
/// arrangement?", "is that the real story?", "is that actually the reason?", "is that the
/// current situation?", "is that how it works?", "is she right?", "have I got the wrong end
/// of the stick?", "have I got the wrong site?", "any truth in that?", "could you
/// confirm?", "can you confirm the correct figure?", "have I got that wrong?".
static CONFIRM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:is\s+there\s+)?(?:any\s+)?truth\s+(?:in|to)\s+(?:that|this|it)\b|(?:fact|true)\s+or\s+(?:fiction|myth|false|not)\b|is\s+(?:that|this|it)\s+(?:really\s+|actually\s+)?(?:the\s+(?:(?:real|true|actual|full|whole|right)\s+)?(?:story|picture|reason|position)|the\s+(?:current|present)\s+(?:situation|position|arrangement|state\s+of\s+(?:affairs|play)|set-?up)|how\s+(?:it|fpt|the\s+scheme|things)\s+works?|a\s+myth|right|true|correct|accurate|so|the\s+case|what\s+(?:it['’]?s|it\s+is|fpt\s+is|the\s+scheme\s+is)\s+(?:really\s+|actually\s+)?(?:for|about|meant\s+for)\b|still\s+(?:the\s+)?(?:case|arrangement|situation|position|plan|set-?up|true|right|correct|accurate|current|so))|(?:true|right|correct)\s*\?|(?:could|can|would)\s+(?:you|someone|somebody)\s+(?:please\s+)?confirm(?:\s+(?:if|whether)\s+(?:that|this)\s+is\s+(?:right|true|correct))?\s*[?.]?\s*$|(?:could|can|would)\s+(?:you|someone|somebody)\s+(?:please\s+)?clarify\s+(?:which|what\s+the\s+(?:actual|correct|real|right)|whether\s+(?:that|this)|if\s+(?:that|this))|(?:could|can|would)\s+(?:you|someone|somebody)\s+(?:please\s+)?(?:confirm|tell\s+me)\s+(?:what\s+)?the\s+(?:actual|correct|real|right|true)\b|am\s+i\s+(?:right|wrong|correct|mistaken)|(?:is|are)\s+(?:she|he|they)\s+(?:right|correct)\b|have\s+i\s+got\s+(?:the\s+)?wrong\s+end\s+of\s+the\s+stick|(?:have\s+i\s+got|am\s+i\s+(?:on|at|looking\s+(?:at|in|on)))\s+the\s+wrong\s+(?:site|website|page|link|place|address|idea)\b|who(?:['’]s|\s+is)\s+(?:right|correct)|have\s+i\s+got\s+(?:that|this|it)\s+(?:right|wrong))")
        .expect("confirm regex is valid")
});

/// A sentence that only says where a claim came from, or doubts it: "That's what someone in my
/// deanery told me but it doesn't sound right.", "At least that's what I heard.", "That's
/// what my ES says."
static SOURCE_REMARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:at\s+least|well|or\s+at\s+least)\s*,?\s*)?(?:that['’]?s|thats|this\s+is|that\s+is)\s+what\s+(?:[\w'’-]+\s+){0,6}?(?:told|tells|said|says|heard|read|thinks|reckons|claimed|claims|mentioned|believes)\b(?:\s+(?:me|us|him|her|them))?(?:\s*,?\s*(?:but|and)\s+(?:it|that)\s+(?:doesn['’]?t|does\s+not|didn['’]?t)\s+(?:sound|seem)\s+(?:right|correct|true))?\W*$")
        .expect("source remark regex is valid")
});

/// A sentence that only says the asker could not find, or keeps hearing different, answers:
/// "I can't seem to find a straight answer.", "couldn't find anything online", "getting mixed
/// messages", "I keep seeing different numbers quoted". It says why the question is asked,
/// not what about.
static SEARCH_REMARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|but|as|because|cos|so|sorry|tbh|honestly)\W+)*(?:(?:i|we)\s+(?:just\s+|really\s+|still\s+)?(?:can['’]?t|cannot|couldn['’]?t|could\s+not|haven['’]?t\s+been\s+able\s+to)\s+(?:seem\s+to\s+)?find\s+(?:a\s+|any\s+)?(?:(?:straight|clear|definite|simple|proper|consistent|definitive)\s+)?(?:answer|info(?:rmation)?|anything|it)(?:\s+(?:anywhere|online|on\s+(?:the\s+)?(?:website|web|internet|intranet|page)))?|(?:(?:i|we)(?:['’]?m|\s+am|['’]?re|\s+are|['’]?ve\s+been|\s+have\s+been|\s+keep)\s+)?(?:keep\s+)?(?:getting|hearing|seeing|being\s+(?:told|given))\s+(?:(?:very|such|lots\s+of|so\s+many)\s+)?(?:mixed|conflicting|different|contradictory)\s+(?:messages|answers|things|info(?:rmation)?|numbers|stories|views|advice|signals)(?:\s+(?:quoted|online|from\s+(?:different\s+)?people))?)\W*$")
        .expect("search remark regex is valid")
});

/// Whether sentence `s` only says where a claim came from ([`SOURCE_REMARK`]) or that no
/// clear answer was found ([`SEARCH_REMARK`]).
fn is_remark(s: &str) -> bool {
    SOURCE_REMARK.is_match(s) || SEARCH_REMARK.is_match(s)
}

/// `context` without its sentences that only say where a claim came from ([`SOURCE_REMARK`])
/// or that no clear answer was found ([`SEARCH_REMARK`]); borrowed as it is when it has none.
fn without_source_remarks(context: &str) -> std::borrow::Cow<'_, str> {
    // (most contexts hold none of the words the remarks need: no sentence split for them)
    const REMARK_WORDS: [&str; 7] = [
        "what",
        "What",
        "find",
        "mixed",
        "different",
        "conflicting",
        "contradictory",
    ];
    if !REMARK_WORDS.iter().any(|w| context.contains(w)) {
        return std::borrow::Cow::Borrowed(context);
    }
    let sentences = crate::text::clean::sentences(context);
    if !sentences.iter().any(|s| is_remark(s)) {
        return std::borrow::Cow::Borrowed(context);
    }
    std::borrow::Cow::Owned(
        sentences
            .iter()
            .filter(|s| !is_remark(s))
            .map(|s| s.as_ref())
            .collect::<Vec<&str>>()
            .join(" "),
    )
}

/// A question run on after a claim, behind a comma or a dash, that asks something of its own:
/// "… to London - do you have a date …", "… last week, did you get it". (Not one that asks
/// what or why of the claim: "you mentioned there are six capabilities per pathway - what
/// sits under each one?", "he also said it looks different in each region - why would that
/// be?".)
static QUESTION_RUN_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:,|\s[-–—])\s*(?:do|does|did|can|could|will|would|is|are|have|has|when)\s")
        .expect("question run-on regex is valid")
});

/// A contrast after a claim: ", but", ", whereas", ", although", or the asker's own trouble
/// with it ("… on the RCP website but I can't find them").
static CONTRAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),\s*(?:but|whereas|although|though|yet)\b|\s+but\s+(?:i|we)\s+(?:can|could|don|didn|haven|hadn|am|was|just)\w*")
        .expect("contrast regex is valid")
});

/// A claim-check read as the question it asks: "a colleague told me FPT gives you two
/// protected days a week now. I'd like to get my facts straight. Is that right?" asks "is it
/// true that FPT gives you two protected days a week now?", and the matcher answers a claim
/// with the entry that states the truth ([`crate::matcher`] does not sink a claim whose
/// amount differs: the answer corrects it). `None` without both a claim and, after it, a
/// request to check it.
///
/// `question` is the question with the statements before it (the claim is often one of them).
fn claim_question(question: &str) -> Option<String> {
    // the claim before a request to check it, or a claim asked as it stands ("my ES reckons
    // fpt is only half a day??")
    // (the last claim that names what it is about: in "a registrar swears FPT is half a day.
    // I thought it was more. Who's right?" the asker's "it was more" answers the first)
    let checked = CONFIRM.find(question).and_then(|confirm| {
        let before = &question[..confirm.start()];
        let claims: Vec<regex::Match> = CLAIM
            .captures_iter(before)
            .filter(|c| said(before, c))
            .filter_map(|c| c.name("claim"))
            .collect();
        let names_its_subject = |m: &regex::Match| {
            let first = m.as_str().split_words().next().unwrap_or("");
            !matches!(
                first.to_ascii_lowercase().as_str(),
                "it" | "it's"
                    | "it’s"
                    | "its"
                    | "that"
                    | "that's"
                    | "that’s"
                    | "thats"
                    | "this"
                    | "they"
                    | "so"
            )
        };
        claims
            .iter()
            .rev()
            .find(|m| names_its_subject(m))
            .or(claims.last())
            .copied()
    });
    let claim = match checked {
        // "… told me FPT is 10% of my time, but my understanding was that it's more. Can you
        // confirm?": what follows a contrast is the asker's own view, not the claim (a claim
        // asked as it stands keeps it: "I've heard there's a handbook, but is there anything
        // else?" asks after the contrast)
        Some(m) => {
            let claim = m.as_str();
            CONTRAST.find(claim).map_or(claim, |c| &claim[..c.start()])
        }
        // (not one that runs on into a question of its own: "I've read that there are plans
        // to expand FPT to London - do you have a date …?" asks the date)
        None => CLAIM
            .captures_iter(question)
            .filter(|c| said(question, c))
            .filter_map(|c| c.name("claim"))
            .find(|m| {
                question[m.end()..].trim_start().starts_with('?')
                    && !QUESTION_RUN_ON.is_match(m.as_str())
            })
            .map(|m| m.as_str())
            .or_else(|| tagged_statement(question))?,
    };
    // "I think I read somewhere that FPT gives …": the claim is what was read
    let claim = CLAIM
        .captures(claim)
        .filter(|c| {
            c.get(0)
                .is_some_and(|m| claim[..m.start()].split_words().count() <= 1)
        })
        .and_then(|c| c.name("claim"))
        .map_or(claim, |m| m.as_str());
    let claim = claim.trim().trim_end_matches(|c: char| {
        c == '-' || c == '–' || c == '—' || c == ',' || c == ':' || c.is_whitespace()
    });
    (claim.split_words().count() >= 3).then(|| format!("is it true that {claim}?"))
}

/// A statement with a request to check it as its tag, ending the text: "fpt = 2 days a week
/// right?", "FPT is one year minimum, is that correct?", "so it's run by HEE now, am I
/// right?". The statement is the sentence before the tag; `None` when the sentence before it
/// opens as a question ("is it 2 days, right?" asks already) or there is no tag at the end.
fn tagged_statement(question: &str) -> Option<&str> {
    let confirm = CONFIRM.find(question)?;
    if !question[confirm.end()..]
        .chars()
        .all(|c| c.is_whitespace() || c == '?' || c == '!' || c == '.')
    {
        return None;
    }
    let before = &question[..confirm.start()];
    let start = before.rfind(['.', '?', '!', '\n']).map_or(0, |i| i + 1);
    let statement = before[start..].trim();
    let first = statement.split_words().next()?.to_ascii_lowercase();
    const OPENS_A_QUESTION: [&str; 24] = [
        "is", "are", "am", "was", "were", "does", "do", "did", "can", "could", "will", "would",
        "should", "has", "have", "what", "which", "who", "when", "where", "why", "how", "whats",
        "wat",
    ];
    (!OPENS_A_QUESTION.contains(&first.as_str())).then_some(statement)
}

/// Question words that open a question inside a longer unpunctuated sentence, with their
/// informal spellings ("wat", "wots", "hw"). Not "who", "which", "where" or "when", which
/// as often open a relative clause ("a friend who has …", "the region where I work").
const EMBEDDED_QUESTION_WORDS: [&str; 11] = [
    "what", "whats", "wat", "wats", "wot", "wots", "how", "hows", "hw", "why", "whys",
];

// `embedded_question` reads words into a buffer of 8 bytes: every question word must fit.
const _: () = {
    let mut i = 0;
    while i < EMBEDDED_QUESTION_WORDS.len() {
        assert!(EMBEDDED_QUESTION_WORDS[i].len() <= 8);
        i += 1;
    }
};

/// Words the statement before an embedded question may have at most: a remark ("keep
/// hearing about it", "my ES reckons its half a day", "i know research is one but cant
/// remember the others"), not a narrative.
const MAX_EMBEDDING_STATEMENT_WORDS: usize = 12;

/// Last words of a frame that makes the words after it its question ("I'd like to know
/// why", "can you tell me how", "not sure what", "I was wondering when").
const QUESTION_FRAME_WORDS: [&str; 16] = [
    "know",
    "wondering",
    "wonder",
    "sure",
    "me",
    "us",
    "ask",
    "asking",
    "explain",
    "confirm",
    "clarify",
    "understand",
    "out",
    "curious",
    "unclear",
    "clear",
];

/// `text` before and after its first spaced dash (" - ", " – ", " — "), if it has one.
fn at_first_dash(text: &str) -> Option<(&str, &str)> {
    [" - ", " – ", " — "]
        .iter()
        .filter_map(|dash| text.find(dash).map(|at| (at, dash.len())))
        .min()
        .map(|(at, len)| (&text[..at], &text[at + len..]))
}

/// A statement set off by a dash before what a question asks ("ST4 at Leeds - how long
/// is FPT?", "starting fpt in aug at Leicester Royal - are there forms i'm supposed to
/// use?"): the statement and the question after it; `("", question)` when the part before
/// the first dash asks something itself or the part after it is no question of its own.
fn dash_introduction(question: &str) -> (&str, &str) {
    match at_first_dash(question) {
        Some((head, tail)) => {
            // the question must open with a question word or a verb (or ask in five words
            // or more: "just curious why FPT was only piloted in some regions?"), stand
            // without the statement ("plans are underway for london - any actual date??"
            // asks about the statement) and not point at its place ("ST3 at addenbrookes -
            // r there any posts in the region?")
            let opens = QUESTION_OPENER.is_match(tail)
                || ((tail.contains('?') || crate::text::clean::opens_a_question(tail))
                    && tail.split_words().count() >= 5);
            if opens
                && !head.contains('?')
                && !crate::text::clean::opens_a_question(head)
                && stands_alone(tail)
                && !points_at_place(tail)
            {
                (head, tail)
            } else {
                ("", question)
            }
        }
        None => ("", question),
    }
}

/// A question word or an auxiliary verb opening a question ("how long…", "are there…"), not
/// an elliptical "any date??".
static QUESTION_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:so\s+|and\s+|but\s+)?(?:what|whats|how|who|when|where|which|why|is|are|am|was|were|can|could|do|does|did|will|would|should|shall|has|have|may|might|r)\b")
        .expect("question-opener regex is valid")
});

/// A question's reference to a place named before it ([`points_at_place`]): "the region",
/// "this area", "that trust", "my hospital", "there", "here", "local", "locally".
static POINTS_AT_THE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(?:(?:the|this|that|my|our)\s+(?:{PLACE_NOUNS}|site|department|dept)|there|here|local|locally)\b"))
        .expect("points-at-the-place regex is valid")
});

/// A question asked after a statement with no punctuation between them: the statement and
/// the question from its first question word ([`EMBEDDED_QUESTION_WORDS`]) on. "keep hearing
/// about it wat is flexible portfolio training exactly?" → ("keep hearing about it", "wat
/// is flexible portfolio training exactly?"). `None` when the text opens with a question
/// word or a condition ([`CONDITION`]), the statement before it would have fewer than two
/// or more than [`MAX_EMBEDDING_STATEMENT_WORDS`] words, holds a question mark or ends with a
/// frame ([`QUESTION_FRAME_WORDS`]), or the question would have fewer than two words.
fn embedded_question(question: &str) -> Option<(&str, &str)> {
    // the word's letters and digits, lower-cased, in a buffer as long as the longest
    // question word: a word that does not fit is none (no string built per word)
    let is_question_word = |w: &str| {
        let mut buf = [0u8; 8];
        let mut len = 0;
        if w.is_ascii() {
            // the same, byte by byte (ASCII letters lower-case to ASCII letters)
            for b in w.bytes().filter(u8::is_ascii_alphanumeric) {
                let Some(slot) = buf.get_mut(len) else {
                    return false;
                };
                *slot = b.to_ascii_lowercase();
                len += 1;
            }
            return std::str::from_utf8(&buf[..len])
                .is_ok_and(|w| EMBEDDED_QUESTION_WORDS.contains(&w));
        }
        for c in w
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
        {
            let Some(room) = buf.get_mut(len..).filter(|room| room.len() >= c.len_utf8()) else {
                return false;
            };
            len += c.encode_utf8(room).len();
        }
        std::str::from_utf8(&buf[..len]).is_ok_and(|w| EMBEDDED_QUESTION_WORDS.contains(&w))
    };
    // "if I leave, what happens to my account?": the condition is part of what is asked
    if CONDITION.is_match(question) {
        return None;
    }
    let mut words = question.split_words();
    if words.next().is_none_or(is_question_word) {
        return None;
    }
    // the second word on: a question word after at least two words of statement
    let (index, word) = words
        .enumerate()
        .find(|(_, w)| is_question_word(w))
        .map(|(i, w)| (i + 1, w))?;
    if index < 2 {
        return None;
    }
    // `word` is a slice of `question`: its byte offset there
    let offset = word.as_ptr() as usize - question.as_ptr() as usize;
    let (head, tail) = (question[..offset].trim(), question[offset..].trim());
    // "keep seeing it on the regs whatsapp sorry dumb question but wats FPT?": a hedge just
    // before the question is no part of the statement
    let head = HEDGE_BEFORE_QUESTION
        .find(head)
        .map_or(head, |hedge| head[..hedge.start()].trim());
    if head.contains('?')
        || head.split_words().count() > MAX_EMBEDDING_STATEMENT_WORDS
        || tail.split_words().count() < 2
    {
        return None;
    }
    // "I'd like to know why …", "can you tell me how …", "not sure what …": the words before
    // frame the question; read whole, it is already one question
    let last = head
        .split_words()
        .next_back()
        .map(|w| crate::text::fold(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .unwrap_or_default();
    if QUESTION_FRAME_WORDS.contains(&last.as_str()) {
        return None;
    }
    Some((head.trim_end_matches(|c: char| !c.is_alphanumeric()), tail))
}

/// A hedge ending a statement just before its question: "… sorry dumb question but", "…
/// apologies if this is obvious but", "… prob a silly q but".
static HEDGE_BEFORE_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s(?:(?:so\s+)?(?:sorry|apologies|soz)\b[^?]{0,40}|(?:prob(?:ably)?\s+)?(?:an?\s+)?(?:dumb|silly|stupid|basic|daft|noob)\s+(?:q|qn|question)\s*)\s*[,-]?\s*but$")
        .expect("hedge-before-question regex is valid")
});

/// Words a lead-in may have at most ("Following up on my earlier email:", "Quick question -").
const MAX_LEAD_IN_WORDS: usize = 10;

/// Words a statement before a dash may have at most when a question word's whole question
/// follows the dash ([`WH_OPENING`]): the statement is the question's setting, kept as
/// context.
const MAX_SETTING_WORDS: usize = 30;

/// A personal pronoun, which stands for a person or thing named before it ("when were they
/// due to start?", "who dreamt it up?"); "one" and "this" may be a numeral or a determiner.
static PERSONAL_PRONOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:it|its|they|them|their|he|she|him|her|his)\b")
        .expect("personal pronoun regex is valid")
});

/// A clause opened by a question word: "what are the official aims …?", "how long …?".
static WH_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:so\s+|and\s+|but\s+)?(?:what|how|who|when|where|which|why)\b")
        .expect("wh-opening regex is valid")
});

/// A clause of background before the question, ended by a comma: "Since HEE took over from
/// the College, is it run locally?", "Now that the pilot is over, who runs FPT?", "Given I'm
/// writing this after a 13-hour shift, …". Conditions
/// ("if", "after", "when") are not background: they are part of what is asked.
static BACKGROUND_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:since|now\s+that|given(?:\s+that)?|seeing\s+that|following)\b[^,?:]{3,160}(,\s+)",
    )
    .expect("background clause regex is valid")
});

/// A hedge that excuses the question before asking it, ended by "but": "sorry total noob q
/// but what even is FPT", "probably a silly question, but …", "random one but …". It says
/// nothing about what is asked and its words ("noob", "silly") only dilute the question.
static HEDGE_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:\W*\w+\W+){0,6}?(?:q|qs|qn|qu|question|questions|query|one|ask)\b[,.!)]*(\s+but\s+)",
    )
    .expect("hedge lead-in regex is valid")
});

/// An apology for disturbing before the question: "sorry to bug u, …", "so sorry to bother
/// you again -", "apologies for bothering you but".
static APOLOGY_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:(?:hi|hello|hey|hiya|morning|afternoon)\W+)?(?:i[’']?m\s+|i\s+am\s+)?(?:(?:so|really|very)\s+)?(?:sorry|apologies)\s+(?:to|for)\s+(?:bug|bother|trouble|disturb|pester|hassle)(?:ing)?\s+(?:you|u|ya)(?:\s+(?:again|all|guys))?(?:\s*[,.!:;–—-]+\s*|\s+but\s+)",
    )
    .expect("apology lead-in regex is valid")
});

/// Chat's interjections before a question: "wait what are the pathways again?", "hmm is it
/// a whole day?", "ooh ok so who runs it now?". They say the writer is thinking, not what
/// about.
static INTERJECTION_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:(?:wait|hmm+|h+m+|um+|umm+|erm+|uh+|oh+|ah+|ooh+|ok+|okay|okie|right|so|oops|lol|haha+|omg|ngl|tbh|yeah|yep|ahh+)\b[\s,.!…-]*)+",
    )
    .expect("interjection lead-in regex is valid")
});

/// A question announced as quick before it is put, with no punctuation to end the
/// announcement (phone and chat): "Quick q does the FPT day count as clinical time",
/// "hi small question is it paid". Says only that a question follows.
static QUICK_QUESTION_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:(?:hi|hello|hey|hiya|morning|afternoon)\W+)?(?:(?:a|one|just\s+a)\s+)?(?:quick|small|short|brief|little|random)\s+(?:q|qn|qu|qq|question|query)\s+",
    )
    .expect("quick question lead-in regex is valid")
});

/// `question` without a hedge excusing it ([`APOLOGY_LEAD_IN`], [`HEDGE_LEAD_IN`]), an
/// announcement that it is quick ([`QUICK_QUESTION_LEAD_IN`]) or the
/// interjections before it ([`INTERJECTION_LEAD_IN`]), when a question of three words or
/// more follows. Unlike a lead-in, the hedge is not kept as context: it never names the
/// topic, and its words would only mislead.
fn strip_hedge(question: &str) -> &str {
    let ends = [
        INTERJECTION_LEAD_IN.find(question).map(|m| m.end()),
        APOLOGY_LEAD_IN.find(question).map(|m| m.end()),
        // (with punctuation after it, "Quick question - …" is a lead-in kept as context)
        QUICK_QUESTION_LEAD_IN
            .find(question)
            .map(|m| m.end())
            .filter(|&end| question[end..].starts_with(char::is_alphanumeric)),
        HEDGE_LEAD_IN
            .captures(question)
            .and_then(|c| c.get(1))
            .map(|but| but.end()),
    ];
    ends.into_iter()
        .flatten()
        .map(|end| question[end..].trim())
        .find(|after| after.split_words().count() >= 3 && starts_like_a_question(after))
        .unwrap_or(question)
}

/// The frame of an indirect question before its question word when the frame's verb is a
/// word the base may use of a topic: "I would like to understand who …", "I'd kindly like to
/// learn how …", and a letter's "I am writing to ask which …" ("writing" is no topic); and a
/// frame of not knowing, after a clause of background or not: "I've read the HEE page but
/// I'm struggling to work out what …", "I can't tell whether …", "I'm not sure how …"; a
/// question others keep putting or put once, quoted or not ("Several of our F2s have asked
/// whether …", "my rota coordinator asked me 'what even is FPT'"). The
/// words after it are the question. ("I'd like to know which …" is left
/// as it is: "know" is a stop word already, and the model reads the frame well.)
static INDIRECT_FRAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)^\W*(?:[^?]{0,100}?\s(?:but|and|so)\s+)?(?:i(?:\s+(?:wanted|want|would(?:\s+\w+ly)?\s+like|need)|[’']d(?:\s+\w+ly)?\s+like)\s+to\s+(?:understand|learn)|(?:i\s+am|i[’']m|i\s+was)\s+(?:just\s+)?writing\s+to\s+(?:ask|enquire|inquire|find\s+out|check)(?:\s+about)?|(?:i\s+am|i[’']m|im)\s+(?:really\s+|still\s+)?(?:struggling|trying)\s+to\s+(?:work\s+out|figure\s+out|understand|find\s+out|get\s+my\s+head\s+(?:round|around))|i\s+(?:can[’']?t|cannot|couldn[’']?t)\s+(?:quite\s+|really\s+)?(?:work\s+out|figure\s+out|tell|find\s+out|understand)|i\s+(?:don[’']?t|do\s+not)\s+(?:really\s+|quite\s+|actually\s+|even\s+)?(?:understand|know)|(?:i\s+am|i[’']m|im)\s+(?:still\s+|a\s+bit\s+|slightly\s+)?(?:not\s+sure|unsure|unclear|confused)(?:\s+(?:about|on|as\s+to))?|it[’']?s\s+(?:not\s+clear|unclear)(?:\s+to\s+me)?|(?:[\w’'-]+\s+){1,6}?(?:have|has|had|keep|keeps|kept)\s+(?:been\s+)?ask(?:ed|ing)(?:\s+(?:me|us))?|(?:[\w’'-]+\s+){1,6}?asked\s+(?:me|us)|(?:could|can|would)\s+you\s+(?:please\s+)?(?:give|send|provide|offer)\s+(?:me|us)\s+(?:a|an|some)\s+(?:\w+\s+)?(?:overview|summary|outline|explanation|description|idea|sense)\s+of|(?:i\s+(?:would|should|shall|will)|i[’'](?:d|ll))\s+be\s+(?:very\s+|most\s+|really\s+|highly\s+|extremely\s+)?(?:grateful|obliged|thankful)\s+if\s+you\s+(?:could\s+|would\s+|can\s+|will\s+)?(?:please\s+|kindly\s+)?(?:briefly\s+)?(?:describe|explain|outline|summari[sz]e|set\s+out|let\s+me\s+know|tell\s+me|advise(?:\s+me)?|confirm))\s+["'“‘]?(whether|if|how|what|when|who|why|where|which)\b"#,

    )
    .expect("indirect frame regex is valid")
});

/// A question word's question, a dash, then guesses at the answer put as yes-or-no questions:
/// "what the scheme is meant to achieve - is it mainly about wellbeing, or more about
/// projects?", "how long does it last – is it a year or longer?".
static GUESSES_AFTER_DASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?P<asked>(?:so\s+)?(?:how|what|when|where|who|why|which|whether)\b[^?]{10,}?)\s+[-–—]+\s+(?P<guesses>(?:or\s+)?(?:is|are|does|do|did|was|will|would|can|could|should)\s+(?:it|that|this|they)\b[^-–—]*)$",
    )
    .expect("guesses-after-dash regex is valid")
});

/// The question and the guesses of [`GUESSES_AFTER_DASH`], when `question` is of that shape.
fn split_guesses_after_dash(question: &str) -> Option<(&str, &str)> {
    let caps = GUESSES_AFTER_DASH.captures(question)?;
    let asked = caps.name("asked")?.as_str().trim();
    let guesses = caps.name("guesses")?.as_str().trim();
    (asked.split_words().count() >= 4).then_some((asked, guesses))
}

/// `question` from the question word of an indirect question on ([`INDIRECT_FRAME`]), when
/// three words or more are left; unchanged otherwise.
fn strip_indirect_frame(question: &str) -> &str {
    match INDIRECT_FRAME.captures(question).and_then(|c| c.get(1)) {
        Some(word) if question[word.start()..].split_words().count() >= 3 => {
            let asked = &question[word.start()..];
            // "I don't actually know what FPT is, and I start in August": a statement of the
            // writer's own joined after the indirect question is no part of it
            match OWN_STATEMENT_JOINED.find(asked) {
                Some(m) if asked[..m.start()].split_words().count() >= 3 => &asked[..m.start()],
                _ => asked,
            }
        }
        _ => question,
    }
}

/// The place of someone who told the writer something, up to the verb of telling: "at
/// Southmead told", "from Leeds said", "in Bristol reckons" (one to five capitalised words).
static SPEAKER_AT_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:at|from|in)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}\s+(?i:told|tells|said|says|reckons|thinks|claims|claimed|mentioned|insists|insisted|swears|swore)\b")
        .expect("speaker-at-place regex is valid")
});

/// A statement of the writer's own joined to what comes before it: ", and I start in August",
/// ", but my rota starts in May" (what follows an indirect question, [`strip_indirect_frame`]).
static OWN_STATEMENT_JOINED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),\s*(?:and|but|so|as)\s+(?:i|we|my|our|i['’]m|im|i['’]ve|i\s+am|i\s+have)\s")
        .expect("own-statement-joined regex is valid")
});

/// Splits a lead-in off a question: a short clause without a question of its own, ended by a
/// colon or a dash, before a question of at least three words ("Following up on my earlier
/// email: is FPT running in London?"), or a clause of background ended by a comma
/// ([`BACKGROUND_CLAUSE`]). The lead-in stays as context: it may name the topic ("About the
/// research pathway: how long is it?"), but it is not the question.
fn split_lead_ins(question: &str) -> (Vec<&str>, &str) {
    // "Quick one - now that the College has handed FPT over, does that change …?": a
    // lead-in, then a clause of background, then the question
    let mut lead_ins = Vec::new();
    let mut rest = question;
    while lead_ins.len() < MAX_LEAD_INS {
        match split_lead_in(rest) {
            (Some(lead_in), after) => {
                lead_ins.push(lead_in);
                rest = after;
            }
            (None, _) => break,
        }
    }
    (lead_ins, rest)
}

/// `question` without the lead-ins before it when they only announce it ([`PSEUDO_CLEFT`],
/// [`ANNOUNCED`]: "Anyway, what I actually wanted to ask is: …", "I forgot to ask at
/// induction: …"; a lone word beside one, "Anyway", too); as written otherwise (a lead-in may name the topic: "About the research
/// pathway: how long is it?").
fn without_announcement(question: &str) -> &str {
    let (lead_ins, rest) = split_lead_ins(question);
    if !lead_ins.is_empty()
        && lead_ins.iter().all(|l| {
            PSEUDO_CLEFT.is_match(l) || ANNOUNCED.is_match(l) || l.split_words().count() == 1
        })
        && lead_ins
            .iter()
            .any(|l| PSEUDO_CLEFT.is_match(l) || ANNOUNCED.is_match(l))
    {
        rest
    } else {
        question
    }
}

/// Lead-ins split off one question at most ([`split_lead_ins`]).
const MAX_LEAD_INS: usize = 2;

/// A person addressed by name before a question: "Ben, do you know if …?" (a forwarded
/// colleague's question). One capitalised word and a comma; [`split_lead_in`] keeps it as a
/// lead-in only when a question of three words or more follows.
static VOCATIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\p{Lu}\p{Ll}{1,14},\s+").expect("vocative regex is valid"));

/// One lead-in split off a question (see [`split_lead_ins`]).
fn split_lead_in(question: &str) -> (Option<&str>, &str) {
    if let Some(m) = VOCATIVE.find(question) {
        let after = question[m.end()..].trim();
        if after.split_words().count() >= 3
            && after.ends_with('?')
            && crate::text::clean::opens_a_question(after)
        {
            return (
                Some(question[..m.end()].trim().trim_end_matches(',')),
                after,
            );
        }
    }
    if let Some(comma) = BACKGROUND_CLAUSE.captures(question).and_then(|c| c.get(1)) {
        let (before, after) = (
            question[..comma.start()].trim(),
            question[comma.end()..].trim(),
        );
        if after.split_words().count() >= 3
            && (after.ends_with('?') || starts_like_a_question(after))
        {
            return (Some(before), after);
        }
    }
    let separators = [": ", " - ", " – ", " — ", " -- "];
    let cut = separators
        .iter()
        .filter_map(|sep| question.find(sep).map(|i| (i, sep.len())))
        .min_by_key(|&(i, _)| i);
    let Some((at, len)) = cut else {
        return (None, question);
    };
    let (before, after) = (question[..at].trim(), question[at + len..].trim());
    let words = |s: &str| s.split_words().count();
    let cleft = PSEUDO_CLEFT.is_match(before) || ANNOUNCED.is_match(before);
    if before.is_empty()
        || before.contains('?')
        || (starts_like_a_question(before) && !cleft)
        || words(before)
            > if cleft {
                MAX_CLEFT_WORDS
            } else if (WH_OPENING.is_match(after)
                || (WH_OPENING.is_match(crate::text::request_frame::without_frame(after))
                    && !speaks_of_own_arrangements(after)))
                && after.ends_with('?')
                && !PERSONAL_PRONOUN.is_match(after)
            {
                // "I want to get the 'why' right rather than just saying 'it gives you a day
                // off a week' - what are the official aims of the programme?": a question
                // word's whole question after the dash; what comes before it is its setting
                // (not when the question points back to it: "the trainees recruited in the
                // 2022 round - when were they due to start?"); also behind a request frame
                // ("… what I'm talking about - could you tell me what the pathways are?"),
                // unless it asks about the asker's own arrangements, which the setting
                // describes ("… my rota coordinator says nothing can change - could you
                // tell me how I get my FPT day protected on my rota?")
                MAX_SETTING_WORDS
            } else {
                MAX_LEAD_IN_WORDS
            }
        || words(after) < 3
        || !(after.ends_with('?') || starts_like_a_question(after))
    {
        return (None, question);
    }
    (Some(before), after)
}

/// A pseudo-cleft that announces the question after a colon or dash: "What I can't work out
/// from the website is really basic: how many …?", "The thing we need to know - …". Its
/// question word is followed by its subject ("what I …", not "what do I …"), so it is a
/// statement about the question, not a question.
static PSEUDO_CLEFT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:anyway|anyhow|so|but|and|ok|okay|right|basically|well|sorry)\W+)*(?:what|all|the\s+(?:only\s+|main\s+|one\s+|real\s+|big\s+)?(?:thing|question|bit|part))\s+(?:i|we|i['’]d|i['’]m|we['’]d|we['’]re)\s+[^?]*\b(?:is|was)\b")
        .expect("pseudo-cleft regex is valid")
});

/// A clause that announces the question after it, as a pseudo-cleft does: "Before I talk to
/// my TPD I wanted to understand one thing properly: how much …?", "I have a quick question -
/// …". It ends on the thing announced ("one thing", "a question", "the following"), or says
/// what the question is about ("My question is about the recruitment process itself: …"),
/// or says the writer means to ask it ("In among all the rota chaos I forgot to ask at
/// induction: is there …?").
static ANNOUNCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:one|a|the|my|two|a\s+couple\s+of)\s+(?:(?:quick|simple|small|main|specific|last|final)\s+)?(?:thing|question|query|point)s?(?:\s+(?:properly|really|first|quickly|clearly|though|please))?\s*$|\b(?:forgot|meant|wanted|want|needed|need|have|had|going|like|love)\s+to\s+ask(?:\s+(?:you|you\s+all|the\s+team))?(?:\s+(?:at|in|during|after|before|on|about)\s+(?:\S+\s+){0,3}?\S+)?\s*$|\bthe\s+following\s*$|^\W*(?:my|the|our)\s+(?:main\s+|real\s+|actual\s+|specific\s+)?(?:question|query)\s+is\s+(?:about|on|regarding|around)\b")
        .expect("announcement regex is valid")
});

/// Longest pseudo-cleft lead-in, in words ([`PSEUDO_CLEFT`], [`ANNOUNCED`]).
const MAX_CLEFT_WORDS: usize = 20;

/// An indirect question: "she wants to know whether …", "I was wondering if …", "could you
/// confirm how …", within the first words of a clause.
static INDIRECT_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\S+\s+){0,6}?(?:know|wondering|wonder|ask|asking|tell\s+me|confirm|clarify|find\s+out|advise|check)\s+(?:on\s+)?(?:whether|if|how|what|when|who|which|where|why)\b")
        .expect("indirect question regex is valid")
});

/// A question put without a question mark inside a statement: "the thing I can't get a
/// straight answer on is whether …", "I was wondering what …", "I'm not sure if …". The
/// group `q` starts at its question word.
static QUESTION_IN_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:is|was)|wondering|wonder|not\s+sure|unsure|unclear|know|understand|work\s+out|figure\s+out|answer\s+on|confused\s+(?:about|as\s+to))\s+(?P<q>(?:whether|if|what|how|when|which|who)\b[^.!?]*)")
        .expect("question in statement regex is valid")
});

/// The last question put without a question mark in the statements `context`
/// ([`QUESTION_IN_STATEMENT`]), from its question word to the end of its sentence; `None` when
/// there is none of four words or more.
fn unmarked_question(context: &str) -> Option<&str> {
    QUESTION_IN_STATEMENT
        .captures_iter(context)
        .filter_map(|c| c.name("q"))
        .map(|m| m.as_str().trim())
        .filter(|q| q.split_words().count() >= 4)
        .last()
}

/// The question without a list marker in front.
fn strip_list_marker(question: &str) -> &str {
    match crate::text::clean::LIST_MARKER.find(question) {
        Some(m) if question[m.end()..].split_words().count() >= 2 => &question[m.end()..],
        _ => question,
    }
}

/// Whether a clause opens the way English questions do: a question word or an auxiliary verb,
/// or an indirect question ("she wants to know whether …").
fn starts_like_a_question(clause: &str) -> bool {
    if INDIRECT_QUESTION.is_match(clause) {
        return true;
    }
    crate::text::clean::opens_a_question(clause)
}

/// The first `max` characters of `text` (on a character boundary).
fn truncate_chars(text: &str, max: usize) -> &str {
    // a text of at most `max` bytes has at most `max` characters: nothing to walk
    if text.len() <= max {
        return text;
    }
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// The subject without its reply and forward prefixes; empty when it is a client's
/// placeholder or names no topic ("Enquiry", "Quick question": `subject::is_generic`).
fn strip_reply_prefix(subject: &str) -> &str {
    if crate::text::subject::is_generic(subject) {
        return "";
    }
    crate::text::subject::strip_prefixes(subject)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// The name to greet the sender by: the display name of the address, else how they signed,
/// when it reads as a person's name ([`greeting_name`]); otherwise none ("Hello,").
fn sender_name(enquiry: &Enquiry, cleaned: &CleanText) -> Option<String> {
    enquiry
        .from_name
        .as_deref()
        .and_then(greeting_name)
        .or_else(|| cleaned.signed_name.as_deref().and_then(greeting_name))
}

/// Whether `text` has a word of two letters or digits or more.
fn has_word(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.chars().count() >= 2)
}

/// The questions of a message without those that ask nothing answerable ([`unasked`]: "Can
/// I ask something about FPT?", "Please see attached."): each becomes context of the question
/// after it. A choice between what was said before ("Which is it?") asks its context. When every question is such a one they are all kept, so the message is routed
/// with the reason.
fn unasked_as_context(mut segments: Vec<Question>) -> Vec<Question> {
    // "Could you clarify so I can reassure her?": the request, not the reason for it
    // "… has asked whether FPT is still a pilot. Can you advise?": the reported question
    for q in &mut segments {
        if let Some(bare) = crate::text::unasked::request_without_purpose(&q.question) {
            q.question = bare;
        }
        if crate::text::unasked::asks_the_reported_question(&q.question, &q.context) {
            // the reported question out of its frame ("one of the registrars asked whether
            // …"), the frame and the rest as its context
            match crate::text::unasked::reported_question(&q.context) {
                Some((reported, rest)) => {
                    q.question = reported;
                    q.context = rest;
                }
                None => q.question = std::mem::take(&mut q.context),
            }
        }
    }
    // "I'd like a short paragraph on FPT: what it is, where it came from, and what it's
    // meant to achieve. Would you be able to summarise?": a bare request to answer after
    // questions asks nothing new, and alone its words would be matched as a question
    // (the statements just before it stay as the question before's context)
    let mut kept: Vec<Question> = Vec::with_capacity(segments.len());
    for q in segments {
        let asked_before = kept.iter().any(|k| unasked(&k.question).is_none());
        match kept.last_mut() {
            Some(last)
                if asked_before && crate::text::unasked::only_asks_to_answer(&q.question) =>
            {
                if has_word(&q.context) {
                    last.context = format!("{} {}", last.context, q.context).trim().to_string();
                }
            }
            _ => kept.push(q),
        }
    }
    let mut segments = kept;
    let mut kinds: Vec<Option<Unasked>> = segments.iter().map(|q| unasked(&q.question)).collect();
    if kinds.iter().all(Option::is_some) {
        // "My ES says it's one year, my TPD says two. Which is right?": when nothing else is
        // asked, the claims before a choice are what it asks about
        for (q, kind) in segments.iter_mut().zip(kinds.iter_mut()) {
            if *kind == Some(Unasked::Choice) && has_word(&q.context) {
                // (the choice stays at the end: it asks to check the claims, "a registrar
                // swears FPT is half a day. I thought it was more. Who's right?")
                let choice = std::mem::take(&mut q.question);
                q.question = format!("{} {choice}", std::mem::take(&mut q.context));
                *kind = unasked(&q.question);
            }
        }
        if kinds.iter().all(Option::is_some) {
            return segments;
        }
    }
    let mut out: Vec<Question> = Vec::with_capacity(segments.len());
    let mut carried: Vec<String> = Vec::new();
    for (mut q, kind) in segments.into_iter().zip(kinds) {
        if !q.context.is_empty() && (kind.is_some() || !carried.is_empty()) {
            carried.push(std::mem::take(&mut q.context));
        }
        if kind.is_some() {
            carried.push(q.question);
            continue;
        }
        if !carried.is_empty() {
            q.context = carried.join(" ");
            carried.clear();
        }
        out.push(q);
    }
    out
}

/// Words listed at most in a reason ("matched: …", "words the FAQ does not cover: …").
const MAX_REASON_WORDS: usize = 12;
/// Longest reason, in characters: it goes into a lead's notification and the logs.
const MAX_REASON_CHARS: usize = 1_000;

/// Longest name greeted, in characters and in words ("Dr Carla de Brito" has four).
const MAX_NAME_CHARS: usize = 40;
const MAX_NAME_WORDS: usize = 4;

/// Words that are never part of a name in a greeting: a salutation, a sign-off, or the
/// words of a lure ("URGENT Reset Your Password At …").
const NOT_NAME_WORDS: &[&str] = &[
    "dear", "sir", "madam", "hello", "hi", "hey", "team", "all", "urgent", "click", "here",
    "reset", "password", "login", "account", "verify", "you", "your", "are", "is", "the", "at",
    "to", "from", "and", "or", "regards", "thanks", "best", "wishes", "kind", "admin", "support",
    "noreply", "call", "free", "now",
];

/// `raw` as a name to greet someone by, or `None` when it does not read as a person's name.
/// The greeting is sent unseen in an automatic acknowledgement, so whatever a sender put in
/// their display name or sign-off must not reach it unless it is plainly a name: one to
/// [`MAX_NAME_WORDS`] words of letters (with ' ’ - inside and a full stop only at the end of
/// an initial or title), no word in capitals of three letters or more, no digits, markup,
/// links, control or bidirectional characters, and no word of [`NOT_NAME_WORDS`].
fn greeting_name(raw: &str) -> Option<String> {
    let name = raw.trim().trim_matches(['"', '\'']).trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(|c| {
            c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
        })
    {
        return None;
    }
    let words: Vec<&str> = name.split_words().collect();
    if words.len() > MAX_NAME_WORDS {
        return None;
    }
    let plain = |w: &str| {
        let body = w.strip_suffix('.').unwrap_or(w);
        let mut chars = body.chars();
        chars.next().is_some_and(char::is_alphabetic)
            && chars.all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-'))
            && !(body.chars().count() >= 3 && body.chars().all(char::is_uppercase))
            && !NOT_NAME_WORDS.contains(&body.to_lowercase().as_str())
    };
    words.iter().all(|w| plain(w)).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_asking_the_options_of_something_unnamed_continues_the_previous_one() {
        for continues in [
            "what are the options?",
            "is there any more info?",
            "where will the details go up?",
        ] {
            assert!(continues_previous(continues), "{continues}");
        }
        // a question naming what it asks about stands alone
        for alone in ["what pathways are there?", "what options does FPT give?"] {
            assert!(!continues_previous(alone), "{alone}");
        }
    }

    #[test]
    fn a_question_asking_a_second_thing_after_a_comma_is_compound() {
        assert!(COMPOUND_QUESTION.is_match(
            "when exactly will it start here, and will current trainees be able to join?"
        ));
        assert!(
            COMPOUND_QUESTION.is_match("what pathways are there, and is it possible to do two?")
        );
        assert!(!COMPOUND_QUESTION.is_match("How would I go about finding the right person?"));
        assert!(!COMPOUND_QUESTION.is_match("is it research, QI and education?"));
    }

    #[test]
    fn a_statement_before_a_dash_introduces_the_question() {
        assert_eq!(
            dash_introduction(
                "starting fpt in aug at Leicester Royal - are there forms i'm supposed to use?"
            ),
            (
                "starting fpt in aug at Leicester Royal",
                "are there forms i'm supposed to use?"
            )
        );
        assert_eq!(
            dash_introduction("ST4 at Leeds – how long is FPT?"),
            ("ST4 at Leeds", "how long is FPT?")
        );
        assert_eq!(
            dash_introduction(
                "I'm in Newcastle - just curious why FPT was only piloted in some regions?"
            ),
            (
                "I'm in Newcastle",
                "just curious why FPT was only piloted in some regions?"
            )
        );
        assert_eq!(
            dash_introduction("New ST3 in Manchester - what is FPT?"),
            ("New ST3 in Manchester", "what is FPT?")
        );
        // a question before the dash, none after it, one that asks about the statement or
        // points at its place: nothing introduces
        for question in [
            "is FPT running at Leeds - and if so how do I apply?",
            "how long is FPT - I'm at Leeds",
            "how long is FPT?",
            "ok so plans are underway for london - any actual date??",
            "Based in Leeds - any news on dates?",
            "ST3 renal at addenbrookes - r there any renal fpt posts in the region?",
        ] {
            assert_eq!(dash_introduction(question), ("", question), "{question}");
        }
    }

    #[test]
    fn guesses_after_a_dash_are_the_question_s_context() {
        assert_eq!(
            split_guesses_after_dash(
                "what the scheme is actually meant to achieve - is it mainly about the trainee's own wellbeing, or is it more about getting projects done for the trust?"
            ),
            Some((
                "what the scheme is actually meant to achieve",
                "is it mainly about the trainee's own wellbeing, or is it more about getting projects done for the trust?"
            ))
        );
        assert_eq!(split_guesses_after_dash("Quick one - is FPT paid?"), None);
        assert_eq!(split_guesses_after_dash("how long - is it a year?"), None);
        // a request after the dash is no guess: "is there a date?", "is there a form?"
        assert_eq!(
            split_guesses_after_dash(
                "when will london and thames valley actually get fpt - is there a date?"
            ),
            None
        );
    }

    #[test]
    fn an_indirect_question_is_read_from_its_question_word() {
        assert_eq!(
            strip_indirect_frame("I would like to understand who the FPT scheme is designed for."),
            "who the FPT scheme is designed for."
        );
        assert_eq!(
            strip_indirect_frame("I'd really like to learn how the pathways work"),
            "how the pathways work"
        );
        assert_eq!(
            strip_indirect_frame("I am writing to enquire about whether FPT runs in my region"),
            "whether FPT runs in my region"
        );
        assert_eq!(
            strip_indirect_frame(
                "I've had a look at the HEE page but I'm struggling to work out what the scheme is meant to achieve"
            ),
            "what the scheme is meant to achieve"
        );
        assert_eq!(
            strip_indirect_frame("I'm not sure whether FPT counts towards my CCT."),
            "whether FPT counts towards my CCT."
        );
        assert_eq!(
            strip_indirect_frame("I would be grateful if you could briefly describe what Flexible Portfolio Training is."),
            "what Flexible Portfolio Training is."
        );
        assert_eq!(
            strip_indirect_frame(
                "I would be grateful if you could let me know which address I should write to."
            ),
            "which address I should write to."
        );
        // a question others have put
        assert_eq!(
            strip_indirect_frame(
                "Several of our F2s have asked whether they can apply for FPT now, or whether \
                 it's only for later in training?"
            ),
            "whether they can apply for FPT now, or whether it's only for later in training?"
        );
        assert_eq!(
            strip_indirect_frame("My registrars keep asking me how long the pathway lasts"),
            "how long the pathway lasts"
        );
        // a question someone put, in quotes or not (not someone's asking in a clause:
        // "tagged over and over without anyone asking me if this is ok?")
        assert_eq!(
            strip_indirect_frame(
                "I keep getting tagged over and over without anyone asking me if this is ok?"
            ),
            "I keep getting tagged over and over without anyone asking me if this is ok?"
        );
        assert_eq!(
            strip_indirect_frame("my new rota coordinator asked me 'what even is FPT'"),
            "what even is FPT'"
        );
        assert_eq!(
            strip_indirect_frame("My ES asked me how the capabilities are assessed"),
            "how the capabilities are assessed"
        );
        assert_eq!(
            strip_indirect_frame("I don't actually know what FPT is, and I start in August!"),
            "what FPT is"
        );
        // a request for an overview asks what the overview is of
        assert_eq!(
            strip_indirect_frame("Could you give me a brief overview of where FPT came from"),
            "where FPT came from"
        );
        // "know" frames nothing the base uses; too little left is not a question
        for q in [
            "I'd like to know which pathways exist",
            "I would like to understand the background of FPT",
            "I want to understand why FPT",
        ] {
            assert_eq!(strip_indirect_frame(q), q);
        }
    }

    #[test]
    fn a_dismissive_alternative_is_left_out_of_the_question() {
        for (asked, kept) in [
            (
                "does fpt help with burnout or is that just marketing lol",
                "does fpt help with burnout",
            ),
            (
                "is fpt supposed to help with that or nah",
                "is fpt supposed to help with that",
            ),
            (
                "Is it designed to help with that, or is it purely about trainee development?",
                "Is it designed to help with that?",
            ),
            ("does it count or not?", "does it count?"),
            (
                "is it like a mini curriculum or what",
                "is it like a mini curriculum",
            ),
            // a real alternative is part of what is asked
            (
                "is it one day a week or two?",
                "is it one day a week or two?",
            ),
            ("or not?", "or not?"),
            // a chat's alternative left unsaid
            (
                "who actually manages fpt day to day now, is it national or",
                "who actually manages fpt day to day now, is it national",
            ),
            // a question tag: the statement before it is the question
            (
                "QI is one of the pathways right?",
                "QI is one of the pathways?",
            ),
            ("fpt is one day a week, yeah?", "fpt is one day a week?"),
            (
                "it's run by HEE now, is that correct?",
                "it's run by HEE now?",
            ),
            (
                "is FPT a programme in its own right?",
                "is FPT a programme in its own right?",
            ),
        ] {
            assert_eq!(strip_alternative_tail(asked), kept, "{asked}");
        }
    }
    use crate::kb::{Entry, EntryKind};

    /// The shipped base and templates.
    fn shipped() -> Triage {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        Triage::load(&root.join("faq"), &root.join("templates")).expect("the shipped base loads")
    }

    #[test]
    fn a_clause_after_the_subject_only_says_which_thing_is_meant() {
        let plain = |q: &str| q.to_string();
        assert_eq!(
            what_is_without_clause(
                "what is this FPT thing everyone keeps talking about?",
                "fpt",
                plain
            )
            .as_deref(),
            Some("what is this FPT thing?")
        );
        assert_eq!(
            what_is_without_clause("What's the fpt my colleagues are doing", "fpt", plain)
                .as_deref(),
            Some("What's the fpt?")
        );
        for q in [
            // a clause that asks ("… my ES mentioned, and how long is it?")
            "what is the FPT thing my ES mentioned and how long does it last?",
            // words that say what of the subject is asked
            "what is the FPT application deadline the regs mentioned?",
            "what is the handbook my ES mentioned?",
            "what is FPT?",
        ] {
            assert_eq!(what_is_without_clause(q, "fpt", plain), None, "{q}");
        }
    }

    #[test]
    fn what_something_is_for_asks_its_purpose() {
        for (asked, read) in [
            ("what's FPT actually for?", "what is the purpose of FPT?"),
            (
                "who's FPT aimed at and what's it for?",
                "what is the purpose of it?",
            ),
            (
                "not sure what the scheme is for",
                "what is the purpose of the scheme?",
            ),
            ("genuine q, whats fpt for??", "what is the purpose of fpt?"),
            (
                "what is flexible portfolio training for",
                "what is the purpose of flexible portfolio training?",
            ),
            ("what is FPT used for?", "what is the purpose of FPT?"),
        ] {
            assert_eq!(purpose_reading(asked).as_deref(), Some(read), "{asked}");
        }
        // a verb's particle, a person, the day itself: no purpose asked
        for asked in [
            "what was fpt originally set up for?",
            "what are you looking for?",
            "what am I eligible for?",
            "what is the FPT day actually for?",
            "what is FPT?",
            "what's the form for applying for?",
        ] {
            assert_eq!(purpose_reading(asked), None, "{asked}");
        }
        let t = shipped();
        let d = t.triage(&Enquiry::chat("u", "what's FPT actually for?"));
        assert_eq!(
            d.faq.first().map(String::as_str),
            Some("aims"),
            "{}",
            d.reason
        );
    }

    #[test]
    fn an_adjective_that_only_says_things_are_several_is_left_out() {
        for (asked, read) in [
            ("what are the different pathways?", "what are the pathways?"),
            (
                "Could you tell me what the various pathway options are?",
                "Could you tell me what the pathway options are?",
            ),
            (
                "tell me about the different streams you can pick",
                "tell me about the streams you can pick",
            ),
        ] {
            assert_eq!(
                without_enumerating_adjective(asked).as_deref(),
                Some(read),
                "{asked}"
            );
        }
        for asked in [
            "why is FPT different in each region?",
            "what are the different rules in different regions?",
            "what are the different requirements between regions?",
            "is FPT different from LTFT?",
        ] {
            assert_eq!(without_enumerating_adjective(asked), None, "{asked}");
        }
    }

    #[test]
    fn a_lead_in_announcing_the_question_is_set_aside() {
        assert_eq!(
            without_announcement(
                "In among all the rota chaos I forgot to ask at induction: is there a minimum time on FPT?"
            ),
            "is there a minimum time on FPT?"
        );
        assert_eq!(
            without_announcement(
                "Anyway, what I actually wanted to ask is: what are the pathways you can do?"
            ),
            "what are the pathways you can do?"
        );
        // a lead-in naming the topic stays
        let topic = "About the research pathway: how long is it?";
        assert_eq!(without_announcement(topic), topic);
        let t = shipped();
        let d = t.triage(&Enquiry::email(
            "a@example.org",
            "forgot to ask",
            "Hi,\n\nIn among all the rota chaos I forgot to ask at induction: is there a minimum time you have to spend on FPT, and what happens after that?\n\nCallum",
        ));
        assert_eq!(d.decision, DecisionKind::Answer, "{}", d.reason);
        assert_eq!(d.faq.first().map(String::as_str), Some("duration"));
    }

    #[test]
    fn what_the_base_cannot_say_of_the_askers_case_or_its_timing_goes_to_a_person() {
        let t = shipped();
        for asked in [
            // the outcome of their own application
            "I ranked an FPT post first but was given a standard post. Why didn't I get it?",
            // a bare echo asks what the statement before it wondered: a credit
            "I can't work out whether FPT time counts towards my CCT date. Does it?",
            // exactly when, of an entry with no date
            "Is FPT running in Oxford yet, and when exactly will the expansion to Thames Valley happen?",
        ] {
            let d = t.triage(&Enquiry::chat("u", asked));
            assert_eq!(d.decision, DecisionKind::Route, "{asked}: {}", d.reason);
        }
    }

    #[test]
    fn a_follow_up_and_a_joined_question_read_what_came_before() {
        let t = shipped();
        for (asked, first) in [
            // "them": the places named in the question before, which had statements before it
            (
                "Two questions from teaching. Why were London and Thames Valley not included in the FPT pilot? And are there any plans to bring them in?",
                "where-it-runs",
            ),
            // chat's "n" joins two questions
            ("wht r the aims of fpt n is it still hee run??", "aims"),
            // a greeting ended by a full stop
            ("Good morning. Kindly tell me the fpt pathways.", "pathways"),
            // what "we'd like to know" is the question of a mail with no question mark
            (
                "Writing on behalf of a few of us from the Wednesday teaching. We'd like to know whether research is the only FPT option.",
                "pathways",
            ),
            // "in practice" frames the answer
            (
                "Our bulletin said FPT continues as normal after the transfer to HEE. What does that mean in practice - will anything change for our training?",
                "supervision",
            ),
        ] {
            let d = t.triage(&Enquiry::chat("u", asked));
            assert_eq!(d.decision, DecisionKind::Answer, "{asked}: {}", d.reason);
            assert!(
                d.faq.iter().any(|id| id.contains(first)),
                "{asked}: {:?}",
                d.faq
            );
        }
        let d = t.triage(&Enquiry::chat(
            "u",
            "wht r the aims of fpt n is it still hee run??",
        ));
        assert!(d.faq.contains(&"governance".to_string()), "{:?}", d.faq);
    }

    /// The first definition of `Triage::with_acronym_slips_put_right`, kept as the oracle of
    /// its tests: every character read with `char_indices`, each swap looked up
    /// ([`crate::text::normalize::Analyzer::transposed_acronym_by_search`]).
    fn acronym_slips_put_right_by_char(t: &Triage, text: &str) -> String {
        let analyzer = t.matcher.index.analyzer();
        let slip = |word: &str, at: usize| -> Option<&str> {
            if !(3..=5).contains(&word.len()) || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
                return None;
            }
            let upper = word.bytes().filter(u8::is_ascii_uppercase).count();
            let plain = upper == 0
                || upper == word.len()
                || (upper == 1 && word.as_bytes()[0].is_ascii_uppercase());
            let bracketed = text[..at].ends_with('(') && text[at + word.len()..].starts_with(')');
            if !plain || bracketed {
                return None;
            }
            analyzer.transposed_acronym_by_search(&word.to_ascii_lowercase())
        };
        let mut slips: Vec<(usize, usize, &str)> = Vec::new();
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if c.is_alphanumeric() {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                if let Some(acronym) = slip(&text[s..i], s) {
                    slips.push((s, i, acronym));
                }
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (s, e, acronym) in slips {
            out.push_str(&text[last..s]);
            out.push_str(&acronym.to_ascii_uppercase());
            last = e;
        }
        out.push_str(&text[last..]);
        out
    }

    /// The byte walk with the precomputed slips puts right what the first definition puts
    /// right, and borrows exactly when nothing changes: on every body and subject of the
    /// enquiry sets, each of their words alone (as written, lower case, capitals), and
    /// 40,000 generated texts of the shipped acronyms, their slips, words of their letters
    /// and other words in mixed case, in brackets, next to digits, letters beyond ASCII,
    /// emoji and punctuation.
    #[test]
    fn acronym_slips_are_put_right_as_the_first_definition_put_them_right() {
        let t = shipped();
        let check = |text: &str| {
            let fast = t.with_acronym_slips_put_right(text);
            let slow = acronym_slips_put_right_by_char(&t, text);
            assert_eq!(fast, slow, "{text:?}");
            assert_eq!(
                matches!(fast, std::borrow::Cow::Borrowed(_)),
                slow == text,
                "{text:?}"
            );
            slow != text
        };
        let mut changed = 0;
        for text in crate::text::labelled_texts(&["body", "subject"]) {
            changed += usize::from(check(&text));
            for word in text.split_whitespace() {
                check(word);
                check(&word.to_lowercase());
                check(&word.to_uppercase());
            }
        }
        assert!(changed > 0);
        let pieces = [
            "ftp",
            "FTP",
            "Ftp",
            "fTp",
            "FtP",
            "fpt",
            "FPT",
            "pft",
            "tfp",
            "hee",
            "ehe",
            "HEE",
            "rcp",
            "rpc",
            "RPC",
            "arcp",
            "acrp",
            "ACRP",
            "qi",
            "qip",
            "qpi",
            "hst",
            "hts",
            "the",
            "and",
            "what",
            "is",
            "f",
            "ft",
            "ftpx",
            "ftps",
            "(",
            ")",
            " ",
            "  ",
            "\n",
            "?",
            ".",
            ",",
            "'",
            "-",
            "_",
            "/",
            "1",
            "2024",
            "é",
            "ß",
            "\u{a0}",
            "\u{2028}",
            "😀",
            "Ω",
            "ｆｔｐ",
            "ftpé",
            "éftp",
        ];
        let mut next = crate::text::xorshift(0x51a7_e3c1);
        for _ in 0..40_000 {
            let n = 1 + next() % 12;
            let text: String = (0..n).map(|_| pieces[next() % pieces.len()]).collect();
            check(&text);
        }
        // the generated texts reach every kind of answer
        assert_eq!(t.with_acronym_slips_put_right("(ftp) ftp"), "(ftp) FPT");
    }

    #[test]
    fn an_acronym_written_with_two_letters_swapped_is_put_right() {
        let t = shipped();
        let fixed = |text: &str| t.with_acronym_slips_put_right(text).into_owned();
        assert_eq!(fixed("what actually is FTP?"), "what actually is FPT?");
        assert_eq!(fixed("the ftp scheme, ftp"), "the FPT scheme, FPT");
        // meant as written: mixed case, defined in brackets, another first letter
        for text in [
            "a GMC FtP case",
            "fitness to practise (FTP) hearing",
            "my PFT results",
            "what is FPT?",
        ] {
            assert_eq!(fixed(text), text);
            assert!(matches!(
                t.with_acronym_slips_put_right(text),
                std::borrow::Cow::Borrowed(_)
            ));
        }
        assert_eq!(
            t.triage(&Enquiry::chat("u", "whats ftp")).faq,
            vec!["what-is-fpt".to_string()]
        );
    }

    fn triage() -> Triage {
        let entry = |id: &str, title: &str, questions: &[&str], answer: &str| Entry {
            id: id.into(),
            title: title.into(),
            questions: questions.iter().map(|s| s.to_string()).collect(),
            answer: answer.into(),
            read_more: None,
            kind: EntryKind::Faq,
            source: None,
        };
        let kb = KnowledgeBase {
            entries: vec![
                entry(
                    "time",
                    "Protected time",
                    &["How much protected time do I get?", "how many days a week"],
                    "One day a week.",
                ),
                entry(
                    "pathways",
                    "The pathways",
                    &["Which pathways are there?", "what pathway options"],
                    "Research, education, QI, informatics.",
                ),
                entry(
                    "contact",
                    "Contact",
                    &["What is the email address?", "how do I contact you"],
                    "Write to the mailbox.",
                ),
            ],
            ..Default::default()
        };
        Triage::new(kb, Drafter::builtin())
    }

    #[test]
    fn a_handbook_passage_restates_the_entry_whose_words_it_has() {
        let mut kb = triage().kb;
        let mut passage = kb.entries[0].clone();
        passage.id = "handbook-time".into();
        passage.kind = EntryKind::Handbook;
        passage.answer =
            "FPT protects one day a week. Trainees choose one of four pathways.".into();
        kb.entries.push(passage);
        let t = Triage::new(kb, Drafter::builtin());
        assert!(t.restates("time", "handbook-time"));
        assert!(t.restates("handbook-time", "time"));
        // two FAQ entries, or a passage that does not have the entry's words
        assert!(!t.restates("time", "pathways"));
        assert!(!t.restates("contact", "handbook-time"));
    }

    #[test]
    fn thanks_above_the_quote_of_our_answer_is_ignored_not_answered_again() {
        let t = triage();
        for (subject, body) in [
            ("RE: How long is FPT", "Thanks!\n\n-----Original Message-----\nFrom: FPT Team <fpt@example.org>\nSent: 09 November 2022 10:02\nTo: Dr X\nSubject: RE: How long is FPT\n\nYou will spend a minimum of one year on your pathway, with the option to continue for the rest of your higher specialty training."),
            ("Re: pathways", "ta\n\n-------- Original message --------\nFrom: FPT Team <fpt@example.org>\nDate: 09/11/2022 10:02 (GMT+00:00)\nSubject: Re: pathways\n\nYour non-clinical FPT day is focused on one of four pathways."),
        ] {
            let d = t.triage(&Enquiry::email("sam@example.org", subject, body));
            assert_eq!(d.decision, DecisionKind::Ignore, "{subject}: {}", d.reason);
        }
        // a forward with no words of the forwarder's own still passes the question on
        let d = t.triage(&Enquiry::email(
            "sam@example.org",
            "FW: FPT",
            "\n-----Original Message-----\nFrom: Dr Jo Taylor <jo@example.org>\nSent: 09 November 2022 10:02\nSubject: FPT\n\nHow long does FPT last?",
        ));
        assert_ne!(d.decision, DecisionKind::Ignore, "{}", d.reason);
        assert!(
            d.questions
                .iter()
                .any(|q| q.text.contains("How long does FPT last?")),
            "{:?}",
            d.questions
        );
    }

    #[test]
    fn the_subject_says_what_a_vague_question_is_about() {
        let t = triage();
        let mail = |subject: &str| {
            t.triage(&Enquiry::email(
                "sam@example.org",
                subject,
                "Hello,\n\nI keep hearing about this at work. Could you tell me more about it?\n\nThanks\nSam",
            ))
        };
        let titled = mail("Which pathways are there?");
        assert_eq!(titled.decision, DecisionKind::Answer, "{}", titled.reason);
        assert_eq!(titled.faq, ["pathways"]);
        // a reply's subject is the thread's earlier topic; a subject about nothing known
        // gives no topic
        for subject in ["Re: Which pathways are there?", "Hello"] {
            let other = mail(subject);
            assert_eq!(
                other.decision,
                DecisionKind::Route,
                "{subject}: {}",
                other.reason
            );
        }
        // a word the base does not know is what the question asks about, not the subject
        let elsewhere = t.triage(&Enquiry::email(
            "sam@example.org",
            "Which pathways are there?",
            "Hello,\n\nI keep hearing about this at work. How do I get ethics approval?\n\nSam",
        ));
        assert_eq!(
            elsewhere.decision,
            DecisionKind::Route,
            "{}",
            elsewhere.reason
        );
    }

    #[test]
    fn a_year_the_entry_never_mentions_is_not_answered_from_it() {
        let mut kb = triage().kb;
        kb.entries[0]
            .questions
            .push("When did the 2022 intake start?".into());
        kb.entries[0].answer = "One day a week. The 2022 intake started in August 2022.".into();
        let t = Triage::new(kb, Drafter::builtin());
        let ask = |q: &str| t.triage(&Enquiry::chat("u", q));
        assert_eq!(
            ask("When did the 2022 intake start?").decision,
            DecisionKind::Answer
        );
        let other = ask("When did the 2031 intake start?");
        assert_eq!(other.decision, DecisionKind::Route, "{}", other.reason);
    }

    #[test]
    fn where_it_is_asks_for_the_document_named_before() {
        let near = ["I need the medical education pathway document for a meeting tomorrow and I've wasted an hour looking for it."];
        assert_eq!(
            resolve_document_pronoun("Where is it??", &near).as_deref(),
            Some("Where is the medical education pathway document??")
        );
        assert_eq!(
            resolve_document_pronoun(
                "how do I get hold of it?",
                &["My ES wants a copy of the handbook."]
            )
            .as_deref(),
            Some("how do I get hold of the copy of the handbook?")
        );
        // no document named, a long question, or no "it" to find
        assert_eq!(
            resolve_document_pronoun("Where is it?", &["I'm an ST4 in Leeds."]),
            None
        );
        assert_eq!(
            resolve_document_pronoun(
                "where is it run and how do I apply for a post there?",
                &near
            ),
            None
        );
        assert_eq!(resolve_document_pronoun("Who wrote it?", &near), None);
    }

    #[test]
    fn a_plural_pronoun_is_read_as_the_plural_named_before_it() {
        let known = |w: &str| ["activities", "pathways", "documents"].contains(&w);
        let context = ["The pathway document lists a lot of activities."];
        assert_eq!(
            resolve_plural_pronoun("Am I expected to do all of them?", &context, known).as_deref(),
            Some("Am I expected to do all of the activities?")
        );
        assert_eq!(
            resolve_plural_pronoun("are they compulsory", &context, known).as_deref(),
            Some("are the activities compulsory")
        );
        assert_eq!(
            resolve_plural_pronoun(
                "must I tick off every one of those over the year?",
                &context,
                known
            )
            .as_deref(),
            Some("must I tick off every one of the activities over the year?")
        );
        // a determiner before its noun is no pronoun
        assert_eq!(
            resolve_plural_pronoun("must I do all of those activities?", &context, known),
            None
        );
        // nothing to stand for, or no pronoun
        assert_eq!(
            resolve_plural_pronoun("do I need all of them?", &["I'm an ST4."], known),
            None
        );
        assert_eq!(
            resolve_plural_pronoun("what pathways are there?", &context, known),
            None
        );
    }

    #[test]
    fn a_trailing_reason_is_context_not_the_question() {
        // being new to something, after the question
        assert_eq!(
            split_trailing_reason("what is fpt in simple words pls, i am new in UK system").0,
            "what is fpt in simple words pls"
        );
        assert_eq!(
            split_trailing_reason(
                "will my banding change, given that 20% of my week is non-clinical?"
            ),
            (
                "will my banding change",
                Some("20% of my week is non-clinical?")
            )
        );
        assert_eq!(
            split_trailing_reason(
                "which address should I write to, as I am not sure this is the right one."
            ),
            (
                "which address should I write to",
                Some("this is the right one.")
            )
        );
        // a purpose with or without its comma
        assert_eq!(
            split_trailing_reason(
                "What is the best email address for the team so I can pass it on?"
            ),
            (
                "What is the best email address for the team",
                Some("pass it on?")
            )
        );
        assert_eq!(
            split_trailing_reason("how long is FPT?"),
            ("how long is FPT?", None)
        );
        assert_eq!(
            split_trailing_reason(
                "what is the scheme meant to achieve – I'm writing about it for my portfolio"
            ),
            (
                "what is the scheme meant to achieve",
                Some("about it for my portfolio")
            )
        );
        // a purpose is context too
        assert_eq!(
            split_trailing_reason(
                "Could you let me know which documents are available, so I can make sure I have the full set?"
            ),
            (
                "Could you let me know which documents are available",
                Some("make sure I have the full set?")
            )
        );
        // a purpose without "can", and one with "to"
        assert_eq!(
            split_trailing_reason(
                "Could you confirm which pathways are on offer for the FPT day, so I describe them correctly?"
            ),
            (
                "Could you confirm which pathways are on offer for the FPT day",
                Some("them correctly?")
            )
        );
        assert_eq!(
            split_trailing_reason(
                "Is there one document that gives a full overview of the scheme I could read beforehand, to refresh my memory?"
            ),
            (
                "Is there one document that gives a full overview of the scheme I could read beforehand",
                Some("my memory?")
            )
        );
        // a consequence asked about stays the question
        assert_eq!(
            split_trailing_reason(
                "Will FPT reduce my clinical competences so I need extra time before CCT?"
            ),
            (
                "Will FPT reduce my clinical competences so I need extra time before CCT?",
                None
            )
        );
        // who or what it is for, closing it
        assert_eq!(
            split_trailing_reason("explain fpt in one line for my mum 😂"),
            ("explain fpt in one line", Some("for my mum 😂"))
        );
        assert_eq!(
            split_trailing_reason("aims of fpt pls need them for my interview answer 🙏"),
            (
                "aims of fpt",
                Some("pls need them for my interview answer 🙏")
            )
        );
        assert_eq!(
            split_trailing_reason("is fpt open for my specialty"),
            ("is fpt open for my specialty", None)
        );
    }

    #[test]
    fn the_scheme_asked_about_outside_its_regions_goes_to_a_person() {
        let t = shipped();
        for asked in [
            "Is FPT open to trainees in Scotland?",
            "I'm an ST3 in Glasgow. Can trainees in Scotland apply for FPT or is it England only?",
            "I'm in Wales - does FPT exist here?",
            "I'm an ST4 at University Hospital of Wales in Cardiff, can I join FPT?",
            "does fpt exist in NI at all? I'm in Belfast",
        ] {
            let d = t.triage(&Enquiry::chat("u", asked));
            assert_eq!(d.decision, DecisionKind::Route, "{asked}: {}", d.reason);
            assert_eq!(d.region, None, "{asked}");
        }
        // where the asker comes from, or is, beside a question the base answers wherever
        // they are, is not where they ask about
        for asked in [
            "I'm originally from Scotland. How long does FPT last?",
            "I'm a renal registrar in Glasgow. Could you tell me where the scheme originally came from?",
        ] {
            let d = t.triage(&Enquiry::chat("u", asked));
            assert_eq!(d.decision, DecisionKind::Answer, "{asked}: {}", d.reason);
        }
    }

    #[test]
    fn markup_typed_into_a_message_is_not_read_as_its_words() {
        let t = shipped();
        let d = t.triage(&Enquiry::chat(
            "u",
            "<script>alert('x')</script> What are the FPT pathways?",
        ));
        assert_eq!(d.decision, DecisionKind::Answer, "{}", d.reason);
        assert!(
            d.faq.iter().any(|id| id.contains("pathways")),
            "{:?}",
            d.faq
        );
        // what the screens show is the message as sent
        assert!(d.cleaned.text.contains("<script>"));
    }

    #[test]
    fn chat_between_colleagues_is_not_routed_to_a_lead() {
        let t = shipped();
        // (lexically; with the model, the coffee too: tests/model.rs)
        for chatter in [
            "happy friday all 🎉 survived another wk",
            // a reply to a colleague, asking nothing
            "yeah its 1 day a wk, i do mine on weds. ES was fine with it",
            "ha same, my ARCP was a total nightmare this yr",
            // a thing asked of the room
            "morning all ☕ who else is on the take today",
            // a remark that asks and requests nothing
            "see you all at regional teaching on thursday, I'll bring biscuits",
            "off to clinic now, back at 2",
        ] {
            let d = t.triage(&Enquiry::chat("u", chatter));
            assert_eq!(d.decision, DecisionKind::Ignore, "{chatter}: {}", d.reason);
        }
        // a reply that asks goes on as a question
        let asks = "yeah but who do i ask about moving my fpt day?";
        let d = t.triage(&Enquiry::chat("u", asks));
        assert_ne!(d.decision, DecisionKind::Ignore, "{asks}: {}", d.reason);
        // asked of the team, about FPT, or not to the room, it is routed as before
        for asked in [
            "can someone reset my eportfolio password",
            "is the fpt canteen open past 8 tonight?",
            "is there funding for a masters degree during parental leave?",
            // a statement of trouble, or of the writer's own case, asks for a person
            "the handbook link is broken",
            "my supervisor left last month",
            // after a laugh, a greeting or a goodbye too
            "on my way. my protected day has been cancelled 3 weeks running",
            "thanks! also my portfolio day got cancelled again",
            "running late, sorry! also I'd like to withdraw from FPT",
        ] {
            let d = t.triage(&Enquiry::chat("u", asked));
            assert_eq!(d.decision, DecisionKind::Route, "{asked}: {}", d.reason);
        }
        // and never an email: a person wrote to the mailbox
        let d = t.triage(&Enquiry::email(
            "a@example.org",
            "coffee",
            "anyone fancy a coffee from downstairs?",
        ));
        assert_ne!(d.decision, DecisionKind::Ignore, "{}", d.reason);
    }

    #[test]
    fn a_forward_whose_note_only_says_it_forwards_goes_to_a_person() {
        let t = shipped();
        let d = t.triage(&Enquiry::email(
            "a@example.org",
            "Fwd: Re: FPT enquiry",
            "Forwarding the reply I got.\n\n---------- Forwarded message ---------\nFrom: FPT Team <fpt@example.org>\nDate: Mon, 3 Apr 2023\nSubject: Re: FPT enquiry\nTo: Dr A\n\nDear Dr A, thank you for your enquiry. FPT protects one day a week for professional development.\nKind regards, FPT Team",
        ));
        assert_eq!(d.decision, DecisionKind::Route, "{}", d.reason);
    }

    #[test]
    fn two_things_asked_for_in_one_clause_are_both_answered() {
        let t = shipped();
        for asked in [
            "Where can I find the handbook and the trainee forms for supervisor meetings?",
            "Pls send link to the handbook + the forms for sup meetings",
        ] {
            let d = t.triage(&Enquiry::email("a@example.org", "links", asked));
            assert_eq!(d.decision, DecisionKind::Answer, "{asked}: {}", d.reason);
            for id in ["handbook", "trainee-forms"] {
                assert!(d.faq.iter().any(|f| f == id), "{asked}: {:?}", d.faq);
            }
        }
        // an object the base does not speak of adds no entry
        let d = t.triage(&Enquiry::email(
            "a@example.org",
            "links",
            "Where can I find the handbook and the ARCP guidance for FPT trainees?",
        ));
        assert_eq!(d.faq, ["handbook"], "{}", d.reason);
        // one thing asked for: one entry
        let d = t.triage(&Enquiry::email(
            "a@example.org",
            "forms",
            "Where can I find the trainee forms for supervisor meetings?",
        ));
        assert!(!d.faq.iter().any(|f| f == "handbook"), "{:?}", d.faq);
    }

    #[test]
    fn who_runs_the_scheme_is_no_task_the_governance_entry_lacks() {
        // (a task the entry does not speak of is routed with the model: tests/model.rs)
        let t = shipped();
        // who runs the scheme is the entry's to answer
        for asked in [
            "who is responsible for FPT now?",
            "who's in charge of fpt locally",
        ] {
            let d = t.triage(&Enquiry::chat("u", asked));
            assert_eq!(d.decision, DecisionKind::Answer, "{asked}: {}", d.reason);
        }
    }

    #[test]
    fn a_sender_saying_the_answer_fell_short_is_read() {
        for text in [
            "Thanks for this, but it doesn't really answer my question.",
            "that's not what I asked",
            "Your reply didn't help, sorry.",
        ] {
            assert!(ANSWER_FELL_SHORT.is_match(text), "{text}");
        }
        assert!(!ANSWER_FELL_SHORT.is_match("Thanks, that answers my question."));
        let t = triage();
        let d = t.triage(&Enquiry::email(
            "l.h@example.org",
            "Re: FPT after ARCP",
            "Thanks for this, but it doesn't really answer my question. How long do I stay on FPT?\n\nLeanne",
        ));
        assert_eq!(d.decision, DecisionKind::Route, "{}", d.reason);
        assert!(d.reason.contains("did not answer"), "{}", d.reason);
    }

    #[test]
    fn asking_for_the_real_story_checks_the_claim_before_it() {
        assert_eq!(
            claim_question("I heard FPT was set up by the BMA. Is that the real story?").as_deref(),
            Some("is it true that FPT was set up by the BMA?")
        );
        assert_eq!(
            claim_question("someone said it's only for academics - any truth in that?").as_deref(),
            Some("is it true that it's only for academics?")
        );
        // what a third person thinks or believes is a claim too
        assert_eq!(
            claim_question(
                "My reg (below) thinks each pathway has about ten competencies to sign off. Is that right?"
            )
            .as_deref(),
            Some("is it true that each pathway has about ten competencies to sign off?")
        );
    }

    #[test]
    fn a_remark_saying_only_where_a_claim_came_from_is_no_context() {
        assert_eq!(
            without_source_remarks(
                "That's what someone in my deanery told me but it doesn't sound right."
            ),
            ""
        );
        assert_eq!(
            without_source_remarks("I'm an ST4. At least that's what I heard."),
            "I'm an ST4."
        );
        assert_eq!(
            without_source_remarks("That's what the pathway documents are for, I think."),
            "That's what the pathway documents are for, I think."
        );
    }

    #[test]
    fn a_bare_check_of_a_claim_no_entry_settles_is_routed() {
        let t = shipped();
        for asked in [
            "My understanding is that the FPT day can be split into two half days. Is that how it works?",
            "i think i sent my supervisor form last week, did you get it?",
        ] {
            let d = t.triage(&Enquiry::chat("u", asked));
            assert_eq!(d.decision, DecisionKind::Route, "{asked}: {}", d.reason);
        }
        let asked = "My understanding is that FPT gives one day a week. Is that how it works?";
        let d = t.triage(&Enquiry::chat("u", asked));
        assert_eq!(d.decision, DecisionKind::Answer, "{asked}: {}", d.reason);
    }

    #[test]
    fn those_who_want_to_do_something_are_read_as_the_activity() {
        assert_eq!(
            for_the_activity("is FPT basically only for people who want to do research?")
                .as_deref(),
            Some("is FPT basically only for research?")
        );
        assert_eq!(
            for_the_activity("is it just for trainees who are interested in QI").as_deref(),
            Some("is it just for QI")
        );
        assert_eq!(
            for_the_activity("is fpt just for academic types who want to do research?").as_deref(),
            Some("is fpt just for research?")
        );
        assert_eq!(
            for_the_activity("FPT is NOT restricted to research, i.e. there are other pathways?")
                .as_deref(),
            Some("FPT is NOT only for research, i.e. there are other pathways?")
        );
        assert_eq!(for_the_activity("is FPT for registrars?"), None);
        let t = shipped();
        let asked =
            "correct me if im wrong but FPT is basically only for people who want to do research?";
        let d = t.triage(&Enquiry::chat("u", asked));
        assert_eq!(d.decision, DecisionKind::Answer, "{}", d.reason);
        assert_eq!(
            d.faq.first().map(String::as_str),
            Some("pathways"),
            "{}",
            d.reason
        );
    }

    #[test]
    fn a_titled_name_in_a_signature_is_no_place() {
        assert_eq!(
            without_titled_names("Kind regards,\nDr Tom Preston").trim_end(),
            "Kind regards,"
        );
        assert_eq!(
            without_titled_names("Dr J. Barrow\nST5, Leeds").trim_start(),
            "ST5, Leeds"
        );
        assert_eq!(
            without_titled_names("Dr Gray's Hospital, Elgin"),
            "Dr Gray's Hospital, Elgin"
        );
        let triage = shipped();
        let routed = |signature: &str| {
            let e = Enquiry::email(
                "a@example.org",
                "Annual leave on the FPT day",
                &format!("Hello,\n\nCan annual leave be taken on an FPT day?\n\nKind regards,\n{signature}"),
            );
            triage.triage(&e).region
        };
        assert_eq!(routed("Dr Tom Preston"), None);
        assert_eq!(
            routed("Dr Tom Smith\nRoyal Preston Hospital").as_deref(),
            Some("north-west")
        );
    }

    #[test]
    fn a_claim_put_up_to_be_checked_is_asked_as_the_claim() {
        assert_eq!(
            claim_question(
                "One of the SpRs on my firm told me that FPT gives you two protected days a week now rather than one. I'd like to get my facts straight. Is that right?"
            )
            .as_deref(),
            Some("is it true that FPT gives you two protected days a week now rather than one?")
        );
        assert_eq!(
            claim_question("I heard FPT was set up by the BMA - is that right?").as_deref(),
            Some("is it true that FPT was set up by the BMA?")
        );
        assert_eq!(
            claim_question(
                "a registrar on my firm swears FPT is half a day a week. I thought it was more. Who's right?"
            )
            .as_deref(),
            Some("is it true that FPT is half a day a week?")
        );
        assert_eq!(
            claim_question(
                " I was under the impression that FPT splits your week 50/50 between clinical work and your project. Could you confirm?"
            )
            .as_deref(),
            Some("is it true that FPT splits your week 50/50 between clinical work and your project?")
        );
        assert_eq!(
            claim_question(
                "my ES reckons fpt is only half a day?? i thought it was more than that"
            )
            .as_deref(),
            Some("is it true that fpt is only half a day?")
        );
        assert_eq!(
            claim_question(
                " Our educational lead told a new registrar that FPT is run by the College. Could you clarify which is correct?"
            )
            .as_deref(),
            Some("is it true that FPT is run by the College?")
        );
        assert_eq!(
            claim_question(
                "Medical HR have told me FPT is 10% of my time, but my understanding was that it is more. Can you confirm the correct figure?"
            )
            .as_deref(),
            Some("is it true that FPT is 10% of my time?")
        );
        assert_eq!(
            claim_question(
                "I read on an old college page that the RCP was co-running FPT with HEE. Is that still the arrangement?"
            )
            .as_deref(),
            Some("is it true that the RCP was co-running FPT with HEE?")
        );
        // the asker's own belief, put up to be checked
        assert_eq!(
            claim_question(
                "My understanding is that one of FPT's aims is for trusts to benefit. Is that accurate?"
            )
            .as_deref(),
            Some("is it true that one of FPT's aims is for trusts to benefit?")
        );
        assert_eq!(
            claim_question("I heard FPT is still only a pilot. Is that the current situation?")
                .as_deref(),
            Some("is it true that FPT is still only a pilot?")
        );
        assert_eq!(
            claim_question(
                "I read on a forum that you can't stop after a year. Is that how it works?"
            )
            .as_deref(),
            Some("is it true that you can't stop after a year?")
        );
        assert_eq!(
            claim_question(
                "My supervisor seems convinced that you need a PhD for the research pathway. Is she right?"
            )
            .as_deref(),
            Some("is it true that you need a PhD for the research pathway?")
        );
        assert_eq!(
            claim_question("I think FPT gives one day each week. Is correct?").as_deref(),
            Some("is it true that FPT gives one day each week?")
        );
        assert_eq!(
            claim_question(
                "I believe London wasn't in the pilot. Have I got the wrong end of the stick?"
            )
            .as_deref(),
            Some("is it true that London wasn't in the pilot?")
        );
        assert_eq!(
            claim_question("I saw someone on Twitter saying FPT is being wound up. Is that true?")
                .as_deref(),
            Some("is it true that FPT is being wound up?")
        );
        // a statement with a check as its tag
        assert_eq!(
            claim_question("fpt = 2 days a week right?").as_deref(),
            Some("is it true that fpt = 2 days a week?")
        );
        assert_eq!(
            claim_question("Thanks. So FPT is run by HEE now, am I right?").as_deref(),
            Some("is it true that So FPT is run by HEE now?")
        );
        assert_eq!(claim_question("is it 2 days a week, right?"), None);
        assert_eq!(
            claim_question(
                "I believe the four pathway documents are on the RCP website but I can't find them there. Have I got the wrong site?"
            )
            .as_deref(),
            Some("is it true that the four pathway documents are on the RCP website?")
        );
        // a claim inside a claim is what was read; a claim run on into its own question is
        // not asked
        assert_eq!(
            claim_question(
                "I think I read somewhere that FPT gives trainees 10% of their time? Could you clarify what the actual figure is?"
            )
            .as_deref(),
            Some("is it true that FPT gives trainees 10% of their time?")
        );
        assert_eq!(
            claim_question(
                "I've read that there are plans to expand FPT to London - do you have a date for when the first posts will go live?"
            ),
            None
        );
        assert_eq!(
            claim_question("Could you write a letter saying I did FPT?"),
            None
        );
        // no claim, or no request to check it
        assert_eq!(claim_question(" Is that right?"), None);
        assert_eq!(claim_question("I think I'd like to apply. How do I?"), None);
        assert_eq!(
            claim_question("I emailed a month ago and haven't heard anything - any update?"),
            None
        );
        assert_eq!(
            claim_question("I heard about FPT from a friend. How long is it?"),
            None
        );
        // a reporting word is a whole word: "reading" reports nothing read (the claim here
        // is what was mentioned, not "ing it too")
        assert_eq!(
            claim_question(
                "You mentioned a trainee handbook - what does it cover? Is it worth my ES reading it too?"
            )
            .as_deref(),
            Some("is it true that a trainee handbook - what does it cover?")
        );
    }

    #[test]
    fn a_leading_condition_is_split_from_its_question() {
        assert_eq!(
            split_condition("And if I have a question it doesn't answer, who should I contact?"),
            Some((
                "I have a question it doesn't answer",
                "who should I contact?"
            ))
        );
        assert_eq!(split_condition("if I fail my ARCP, lose FPT?"), None);
        assert_eq!(split_condition("Is FPT one day a week?"), None);
        assert_eq!(
            split_condition("who do i email if my question isnt in the faq"),
            Some(("my question isnt in the faq", "who do i email"))
        );
        assert_eq!(
            split_condition("where do I find the forms if the link is broken?"),
            None
        );
    }

    #[test]
    fn the_first_alternative_of_a_question_is_a_question() {
        assert_eq!(
            first_alternative("is it a whole day or like an afternoon?").as_deref(),
            Some("is it a whole day?")
        );
        assert_eq!(
            first_alternative(
                "Is the research pathway its own document, or is it in the handbook?"
            )
            .as_deref(),
            Some("Is the research pathway its own document?")
        );
        assert_eq!(first_alternative("what pathways are there?"), None);
        assert_eq!(
            first_alternative("if I fail my ARCP do I lose FPT at once or later?"),
            None
        );
        assert_eq!(first_alternative("GP or not?"), None);
        assert_eq!(
            first_alternative(
                "does my FPT day stay protected on nights, or do I just lose it that week?"
            ),
            None
        );
        assert_eq!(
            first_alternative("does FPT sit within training, or does it count as time out?")
                .as_deref(),
            Some("does FPT sit within training?")
        );
    }

    #[test]
    fn a_question_after_an_unpunctuated_remark_is_found() {
        assert_eq!(
            embedded_question("keep hearing about it wat is flexible portfolio training?"),
            Some((
                "keep hearing about it",
                "wat is flexible portfolio training?"
            ))
        );
        assert_eq!(
            embedded_question("my ES reckons its half a day how long is it actually"),
            Some(("my ES reckons its half a day", "how long is it actually"))
        );
        // a question of its own, a frame, a condition, a relative clause, a narrative
        assert_eq!(embedded_question("what is FPT and how long is it?"), None);
        assert_eq!(
            embedded_question("I'd like to know why it was set up"),
            None
        );
        assert_eq!(
            embedded_question("If I kick the bucket, what happens to my account?"),
            None
        );
        assert_eq!(
            embedded_question("I invited a friend who has a yahoo mail, will it work?"),
            None
        );
        assert_eq!(
            embedded_question(
                "I am a clinical director at a large trust in the north and our board wants to know how it works"
            ),
            None
        );
    }

    #[test]
    fn a_question_that_names_its_topic_stands_alone() {
        assert!(stands_alone("wat is flexible portfolio training exactly?"));
        assert!(!stands_alone("what is it exactly?"));
        assert!(!stands_alone("who should I speak to about that?"));
        assert!(!stands_alone("how long?"));
        // "whats" is "what is"; an existential "there" points nowhere, "here" does
        assert!(stands_alone("whats FPT?"));
        assert!(stands_alone("Is there a central mailbox I can use?"));
        assert!(stands_alone("are there any FPT posts in gastro?"));
        assert!(!stands_alone("can I do it there?"));
        // asked through someone else: the pronoun is the asker's
        assert!(stands_alone(
            "He'd like to know what the four options for the FPT day are"
        ));
        assert!(stands_alone("she wants to know how long FPT lasts"));
        assert!(!stands_alone("he'd like to know when it starts"));
        assert!(!stands_alone("is he eligible?"));
        // a pointing word in a later clause points back to the first one
        assert!(stands_alone(
            "is the FPT day meant to be away from the wards, or is it clinical time?"
        ));
        assert!(!stands_alone(
            "can I get onto it now, or is it only for regs?"
        ));
        assert!(!stands_alone("why is there no FPT here?"));
    }

    #[test]
    fn a_question_without_its_mark_is_found_in_the_statements() {
        assert_eq!(
            unmarked_question(
                "I've been reading about FPT and the thing I can't get a straight answer on is whether the protected bit is a whole day each week, or a percentage. I'd be grateful."
            ),
            Some("whether the protected bit is a whole day each week, or a percentage")
        );
        assert_eq!(
            unmarked_question("I'm an ST4 in gastro at Sunderland."),
            None
        );
        // too short to be a question of its own
        assert_eq!(unmarked_question("Not sure if so."), None);
    }

    #[test]
    fn a_document_the_asker_says_fails_them_is_named() {
        for (text, document) in [
            (
                "I've read the Trainees FPT Handbook and have questions it doesn't cover.",
                Some("handbook"),
            ),
            ("The FAQs don't really mention nights.", Some("faq")),
            (
                "I couldn't find anything in the handbook about nights.",
                Some("handbook"),
            ),
            ("Where is the handbook? It covers the pathways.", None),
            ("Does the handbook cover supervision?", None),
        ] {
            assert_eq!(document_without_answer(text).as_deref(), document, "{text}");
        }
    }

    #[test]
    fn a_clause_pointing_at_the_askers_own_place_asks_about_it() {
        for local in [
            "Is there an informatics FPT post available where I am?",
            "are there fpt jobs where I work",
            "is it running where we're based?",
            "when will FPT start here?",
            "Will there be FPT posts in my deanery for the August 2023 intake?",
        ] {
            assert!(asks_about_own_place(local), "{local}");
        }
        for general in [
            "where I trained nobody had heard of it - what is FPT?",
            "is FPT available here?",
            "what pathways are there?",
        ] {
            assert!(!asks_about_own_place(general), "{general}");
        }
    }

    /// `joined_words` hands on the words `tokenize` gives of the joined text, in order,
    /// whichever piece's words it is given (the region finder's text: subject, cleaned body,
    /// signature, organisation and cover note, joined by line breaks): on every body and
    /// subject of the enquiry sets between two others, and on 40,000 sets of two to five
    /// generated pieces that end and start in words `tokenize` reads across characters (an
    /// apostrophe, a contraction, a "2" or "4" before a plural, "%", spaces, line breaks,
    /// text beyond ASCII).
    #[test]
    fn joined_words_are_the_words_of_the_joined_text() {
        // the region finder's text: pieces joined by line breaks, one piece's words shared
        let check = |pieces: &[&str], shared: usize| {
            let joined = pieces.join("\n");
            let words = TextWords::of(pieces[shared]);
            let mut read: Vec<String> = Vec::new();
            joined_words(&joined, pieces, (shared, &words), &mut |w| {
                read.push(w.to_string())
            });
            assert_eq!(read, crate::text::tokenize(&joined), "{pieces:?}");
        };
        // every body and subject of the enquiry sets, as the cleaned body between others
        let texts: Vec<String> = crate::text::labelled_texts(&["body", "subject"]);
        assert!(texts.len() > 1_000);
        for (i, text) in texts.iter().enumerate() {
            let before = &texts[(i + 1) % texts.len()];
            let after = &texts[(i + 7) % texts.len()];
            check(&[before, text, after, "", "2"], 1);
            check(&[text, before, after], 0);
            check(&[before, after, text], 2);
        }
        // generated pieces: words cut at a piece's end ("2" before a plural, an apostrophe,
        // a possessive, "%"), line breaks and spaces at either end, characters beyond ASCII
        let parts = [
            "FPT's", "FPT'", "it'", "s", "don`t", "2", "4", "pathways", "half", "10%", "Leeds",
            "ROYAL", "ü", "K", "\u{212A}", "'", "’", "-", ",", "?", " ", "\n", "wot", "we'", "re",
            "", "  ",
        ];
        let mut next = crate::text::xorshift(0x2f1c_9a47);
        for _ in 0..40_000 {
            let mut pieces: Vec<String> = Vec::new();
            for _ in 0..2 + next() % 4 {
                let mut piece = String::new();
                for _ in 0..next() % 6 {
                    piece.push_str(parts[next() % parts.len()]);
                    if next().is_multiple_of(3) {
                        piece.push(' ');
                    }
                }
                pieces.push(piece);
            }
            let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
            check(&pieces, next() % pieces.len());
        }
    }

    /// `TextWords` reads the words `tokenize` gives, in order, and `present` picks those
    /// `words_present` picks: on every body and subject of the enquiry sets and on strings
    /// built of pieces `tokenize` treats apart (apostrophes, "2"/"4" before a word, "%",
    /// capitals, text beyond ASCII).
    #[test]
    fn text_words_are_the_words_of_tokenize() {
        let mut texts: Vec<String> = crate::text::labelled_texts(&["body", "subject"]);
        let pieces = [
            "FPT's", "it's", "don`t", "2", "4", "pathways", "half", "10%", "Leeds", "ROYAL", "ü",
            "Straße", "K", "\u{212A}", "'", "’", "-", ",", "?", " ", "\n", "wot", "r", "u",
        ];
        let mut next = crate::text::xorshift(0x51ed_270b);
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..1 + next() % 12 {
                text.push_str(pieces[next() % pieces.len()]);
                if next().is_multiple_of(2) {
                    text.push(' ');
                }
            }
            texts.push(text);
        }
        for text in &texts {
            let words = TextWords::of(text);
            let read: Vec<&str> = words.iter().collect();
            assert_eq!(read, crate::text::tokenize(text), "{text:?}");
            let wanted = |w: &str| w.len().is_multiple_of(3) || w.starts_with('p');
            assert_eq!(
                words.present(wanted),
                words_present(text, wanted),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_word_of_a_longer_place_written_for_something_else_names_no_place() {
        let places = vec!["Royal Preston Hospital".to_string(), "Leeds".to_string()];
        let written: HashSet<String> = ["royal", "leeds"].iter().map(|w| w.to_string()).collect();
        let text = "Who runs FPT now that the Royal College of Physicians is out? I'm in Leeds.";
        let stray = stray_place_words(&TextWords::of(text), &places, &written);
        assert!(stray.contains("royal"), "{stray:?}");
        assert!(!stray.contains("leeds"), "{stray:?}");
        let text = "I'm at the Royal Preston Hospital - who runs FPT now?";
        assert!(stray_place_words(&TextWords::of(text), &places, &written).is_empty());
        // the mail whose signature names the hospital: its question is answered
        let t = shipped();
        let d = t.triage(&Enquiry::email(
            "a@example.org",
            "Query re: FPT",
            "Dear Sir/Madam,\n\nI would be grateful if you could clarify which organisation is now responsible for Flexible Portfolio Training, given that I understand the arrangement with the Royal College of Physicians has come to an end.\n\nYours faithfully,\n\nDr O. Adebayo\nSpecialty Registrar in Respiratory Medicine\nDepartment of Respiratory Medicine | Level 4 | Royal Preston Hospital\nSharoe Green Lane, Preston PR2 9HT",
        ));
        assert_eq!(d.decision, DecisionKind::Answer, "{}", d.reason);
        assert_eq!(d.faq.first().map(String::as_str), Some("governance"));
    }

    #[test]
    fn why_a_reported_claim_is_so_is_read_as_the_claim() {
        for asked in [
            "Why was that?",
            "why that was",
            "and why is that the case?",
            "how come?",
        ] {
            assert!(WHY_WAS_THAT.is_match(asked), "{asked}");
        }
        for other in ["why was FPT set up?", "how come it's only one day?"] {
            assert!(!WHY_WAS_THAT.is_match(other), "{other}");
        }
        for (stated, claim) in [
            ("I heard London didn't take part", "London didn't take part"),
            (
                "I've since read that FPT wasn't piloted everywhere",
                "FPT wasn't piloted everywhere",
            ),
            (
                "Apparently the RCP no longer runs it",
                "the RCP no longer runs it",
            ),
            ("London didn't take part", "London didn't take part"),
        ] {
            assert_eq!(reported_claim(stated).unwrap_or(stated), claim, "{stated}");
        }
    }

    #[test]
    fn posts_in_a_named_specialty_and_a_reason_no_entry_gives_are_routed() {
        let t = shipped();
        for (chat, routed) in [
            "any FPT posts in geriatric medicine in South London yet?",
            "is there FPT in gastro?",
            "are there jobs in resp on fpt this year",
            "did the rcp pull out bc of funding issues?",
            "was London left out of the pilot due to cost?",
            "did HEE take over because the RCP ran out of money?",
        ]
        .map(|q| (q, true))
        .into_iter()
        .chain(
            [
                // who may apply, by specialty, is said; "higher specialty training" is no
                // specialty named
                "is FPT open to cardiology registrars?",
                "is FPT available for cardiology registrars?",
                "applying for resp ST3 this yr and want one of the fpt posts - is there a separate application?",
                "which specialties is FPT for?",
                "I'm a resp ST4 - how many days a week is FPT?",
                // a reason the entry gives
                "was London left out of the pilot because it isn't hard to recruit to?",
                // the asker's own reason for asking
                "is fpt one day a week, because my rota coordinator needs to know",
                "is fpt one day a week because I need to plan my rota?",
            ]
            .map(|q| (q, false)),
        ) {
            let d = t.triage(&Enquiry::chat("trainee", chat));
            let answered = d.decision == DecisionKind::Answer;
            assert_eq!(!answered, routed, "{chat}: {}", d.reason);
        }
    }

    #[test]
    fn a_question_pointing_at_a_place_named_before_it_asks_about_that_place() {
        for local in [
            "Are there FPT posts in geriatrics there?",
            "Is FPT offered there yet?",
            "What is the local FPT set-up?",
            "how does it work at my trust",
            "is it running here?",
        ] {
            assert!(points_at_place(local), "{local}");
        }
        for general in [
            "Are there any FPT posts in geriatrics?",
            "is there a handbook?",
            "there's a form, isn't there?",
            "What does my supervisor need to do?",
            // how the scheme is run, not where
            "who manages FPT now - whether it's national or done locally?",
        ] {
            assert!(!points_at_place(general), "{general}");
        }
        let t = shipped();
        let d = t.triage(&Enquiry::email(
            "a@example.org",
            "Geriatrics",
            "Dear FPT team,\n\nI work at West Suffolk Hospital in Bury St Edmunds. Are there FPT posts in geriatrics there?\n\nKind regards,\nDr A. Trainee",
        ));
        assert_eq!(d.decision, DecisionKind::Route, "{}", d.reason);
        assert_eq!(d.region.as_deref(), Some("east-of-england"));
    }

    #[test]
    fn a_follow_up_asks_whether_what_was_just_asked_about_will_change() {
        for asked in [
            "and is it likely to be included at some point?",
            "whether that's likely to change?",
            "and is there any chance that changes?",
            "any plans for that to change?",
            "will that ever change?",
            "Is that likely to change in the future?",
        ] {
            assert!(WILL_IT_CHANGE.is_match(asked), "{asked}");
        }
        for other in [
            "will my supervisor change?",
            "is it likely to be busy?  and who do I ask",
            "what changes?",
        ] {
            assert!(!WILL_IT_CHANGE.is_match(other), "{other}");
        }
        let t = shipped();
        let d = t.triage(&Enquiry::email(
            "a@example.org",
            "Thames Valley",
            "Why was Thames Valley left out of the FPT pilot? And is that likely to change?",
        ));
        assert_eq!(d.decision, DecisionKind::Answer, "{}", d.reason);
        assert_eq!(d.faq, ["where-it-runs"], "{}", d.reason);
    }

    #[test]
    fn a_bare_follow_up_asks_where_or_why_of_what_was_just_asked_about() {
        use crate::matcher::ask::AskKind;
        for asked in [
            "Where would I find it?",
            "and where do I get them from?",
            "where can i download that",
            "where is it?",
            "wheres it",
            "how can I get hold of them?",
            "Could you point me in the right direction?",
        ] {
            assert_eq!(bare_follow_up(asked), Some(AskKind::Place), "{asked}");
        }
        for asked in [
            "if so what was the reasoning?",
            "Why was that?",
            "and what was the thinking behind that?",
            "how come?",
        ] {
            assert_eq!(bare_follow_up(asked), Some(AskKind::Reason), "{asked}");
        }
        for other in [
            "where would I find the research pathway document?",
            "where is it running?",
            "how would I use it?",
            "how is it?",
            "hows it going",
            "where does it come from?",
            "could you point me to the person who runs it?",
            "why was FPT set up?",
            "what was the reasoning behind the four pathways?",
        ] {
            assert_eq!(bare_follow_up(other), None, "{other}");
        }
    }

    #[test]
    fn the_askers_background_is_not_a_local_arrangement() {
        assert!(speaks_of_own_arrangements("can I move my FPT day?"));
        assert!(speaks_of_own_arrangements("is it the same here?"));
        assert!(!speaks_of_own_arrangements(
            "Would it still be suitable for someone with my background?"
        ));
        assert!(!speaks_of_own_arrangements(
            "does my own experience matter?"
        ));
        assert!(speaks_of_own_arrangements(
            "does my experience count for our rota?"
        ));
        assert!(!speaks_of_own_arrangements(
            "how much of my working week would be ring-fenced?"
        ));
        assert!(!speaks_of_own_arrangements(
            "Is there anything that pulls together useful links and resources for my pathway?"
        ));
        assert!(speaks_of_own_arrangements(
            "who signs off my pathway work at our trust?"
        ));
    }

    #[test]
    fn it_is_the_subject_the_text_before_names() {
        let names = |t: &str| t.to_lowercase().contains("fpt");
        assert_eq!(
            resolve_subject_pronoun(
                "I don't know what it is - could you give me a summary?",
                &["One of our registrars asked me about FPT."],
                "fpt",
                names
            )
            .as_deref(),
            Some("I don't know what fpt is - could you give me a summary?")
        );
        // the text before is about something else, or the question names the subject
        assert_eq!(
            resolve_subject_pronoun(
                "could I use my day for it?",
                &["I've been offered a leadership fellowship."],
                "fpt",
                names
            ),
            None
        );
        assert_eq!(
            resolve_subject_pronoun("is it FPT?", &["FPT"], "fpt", names),
            None
        );
        // what is found, read or sent is a document, not the scheme
        assert_eq!(
            resolve_subject_pronoun(
                "Could you point me to where I can find it?",
                &["Someone told me there is a document describing the informatics option within FPT."],
                "fpt",
                names
            ),
            None
        );
        // and so is what is fetched or filled in
        assert_eq!(
            resolve_subject_pronoun(
                "Where do I actually get it from?",
                &["my ES says there's an FPT form I'm meant to bring filled in."],
                "fpt",
                names
            ),
            None
        );
        // with nothing before it, "it" is the scheme the channel is about, unless it stands
        // for a clause ("is it possible to …") or a situation ("it depends")
        assert_eq!(
            resolve_subject_pronoun(
                "is it a whole day or just a few hrs here n there",
                &[""],
                "fpt",
                names
            )
            .as_deref(),
            Some("is fpt a whole day or just a few hrs here n there")
        );
        for dummy in [
            "is it possible to change pathway?",
            "would it be ok to swap my day?",
            "how long does it take to hear back?",
            // what it stands for is named before it
            "if i do the research pathway would it help me get an ACF later",
            // a condition of the asker's circumstances
            "is it ringfenced if the ward is short?",
        ] {
            assert_eq!(
                resolve_subject_pronoun(dummy, &[], "fpt", names),
                None,
                "{dummy}"
            );
        }
    }

    #[test]
    fn the_subject_is_the_word_nearly_every_entry_names() {
        let index = |titles: &[&str]| {
            let kb = KnowledgeBase {
                entries: titles
                    .iter()
                    .enumerate()
                    .map(|(i, title)| Entry {
                        id: format!("e{i}"),
                        title: title.to_string(),
                        questions: Vec::new(),
                        answer: title.to_string(),
                        read_more: None,
                        kind: EntryKind::Faq,
                        source: None,
                    })
                    .collect(),
                ..Default::default()
            };
            Index::build(&kb)
        };
        let six = index(&[
            "the fpt day",
            "fpt pay",
            "fpt leave",
            "the fpt pathways",
            "who runs fpt",
            "the forms",
        ]);
        assert_eq!(subject_word(&six).map(|(w, _)| w).as_deref(), Some("fpt"));
        // too few entries, or no word in nearly all of them ("the" is a stop word)
        assert_eq!(subject_word(&index(&["fpt pay", "fpt leave"])), None);
        let mixed = index(&[
            "the day",
            "the pay",
            "the leave",
            "the forms",
            "fpt",
            "fpt x",
        ]);
        assert_eq!(subject_word(&mixed), None);
    }

    #[test]
    fn places_pointed_at_are_the_places_named_before() {
        let places = ["london", "thames", "valley"];
        let is_place = |w: &str| places.contains(&w);
        let near = [
            "I noticed that London and the Thames Valley don't seem to have featured in the original FPT pilot at all.",
        ];
        assert_eq!(
            resolve_places(
                "whether there is any intention for the scheme to reach those areas in the future?",
                &near,
                is_place
            )
            .as_deref(),
            Some("whether there is any intention for the scheme to reach London and Thames Valley in the future?")
        );
        // a comma ends a place's name
        let listed = ["Neither London, Thames nor Valley ran it."];
        assert_eq!(
            resolve_places("Will it reach those regions?", &listed, is_place).as_deref(),
            Some("Will it reach London, Thames and Valley?")
        );
        // nothing pointed at, or no place named before
        assert_eq!(
            resolve_places("Which areas run FPT?", &near, is_place),
            None
        );
        assert_eq!(
            resolve_places(
                "Will FPT reach those areas?",
                &["I work in medicine."],
                is_place
            ),
            None
        );
    }

    #[test]
    fn a_count_with_its_noun_left_out_counts_the_plural_named_before() {
        let known = |w: &str| ["capabilities", "pathways"].contains(&w);
        assert_eq!(
            resolve_elided_count(
                "how many are in each pathway?",
                &["my ES was going on about capabilities in our meeting"],
                known
            )
            .as_deref(),
            Some("how many capabilities are in each pathway?")
        );
        // a count that names its noun, or nothing plural before it, is left as it is
        assert_eq!(
            resolve_elided_count("how many pathways are there?", &["capabilities"], known),
            None
        );
        assert_eq!(
            resolve_elided_count("how many are there?", &["my ES asked"], known),
            None
        );
    }

    #[test]
    fn capitalised_words_the_base_lacks_after_a_place_are_its_name() {
        let places: HashSet<String> = ["darlington".to_string(), "sunderland".to_string()].into();
        let unknown = |w: &str| ["memorial", "royal", "notes"].contains(&w);
        assert_eq!(
            place_name_tails(
                "I'm a registrar at Darlington Memorial and was comparing notes",
                &places,
                unknown
            ),
            ["memorial"]
        );
        // a word the base knows, a lower-case word, or a new sentence ends the name
        assert!(place_name_tails("in Sunderland. Royal …", &places, unknown).is_empty());
        assert!(place_name_tails("in Sunderland royal", &places, unknown).is_empty());
        assert!(place_name_tails("in Sunderland Training", &places, unknown).is_empty());
    }

    /// `place_name_tails` as first written: each word trimmed and lower-cased into a new string.
    fn place_name_tails_reference(
        text: &str,
        place_words: &HashSet<String>,
        unknown: impl Fn(&str) -> bool,
    ) -> Vec<String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut tails = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            if !place_words.contains(&bare.to_lowercase()) || bare.len() != w.len() {
                continue;
            }
            // (the tail after a place's word is read as before: only the test of the word
            // itself changed)
            super::push_place_tail(&words[i + 1..], &unknown, &mut tails);
        }
        tails
    }

    #[test]
    fn place_name_tails_are_those_of_the_first_definition() {
        let places: HashSet<String> = ["darlington", "sunderland", "ålesund", "st", "kelvin"]
            .map(String::from)
            .into();
        let unknown = |w: &str| ["memorial", "royal", "notes", "ålesund", "k"].contains(&w);
        let pieces = [
            "Darlington",
            "darlington",
            "DARLINGTON",
            "Darlington.",
            "(Darlington",
            "Darlington,",
            "Memorial",
            "Memorial.",
            "memorial",
            "Royal",
            "Notes",
            "Ålesund",
            "ÅLESUND",
            "St",
            "St.",
            "\u{212A}elvin",
            "K",
            "Kelvin",
            "1Darlington",
            "Darlington1",
            "…",
            "-",
            "in",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(1 + (state % 7)) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
                text.push(' ');
            }
            assert_eq!(
                place_name_tails(&text, &places, unknown),
                place_name_tails_reference(&text, &places, unknown),
                "{text:?}"
            );
        }
        // real mail, with places of several lengths (the length test skips most words)
        let places: HashSet<String> = [
            "london",
            "leeds",
            "north",
            "west",
            "east",
            "kent",
            "wales",
            "st",
            "yorkshire",
            "darlington",
            "sunderland",
            "midlands",
            "thames",
            "valley",
        ]
        .map(String::from)
        .into();
        let unknown = |w: &str| w.len() > 6;
        for text in crate::text::labelled_texts(&["body", "subject"]) {
            assert_eq!(
                place_name_tails(&text, &places, unknown),
                place_name_tails_reference(&text, &places, unknown),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_lone_letter_is_not_a_question() {
        let t = triage();
        for body in ["q", "Q?", "x"] {
            let d = t.triage(&Enquiry::chat("u", body));
            assert_ne!(d.decision, DecisionKind::Answer, "{body}: {}", d.reason);
        }
        assert!(has_word("is FPT 1 day?"));
        assert!(!has_word("q ? x"));
    }

    #[test]
    fn a_reason_is_bounded_however_long_the_message() {
        let t = triage();
        let repeated = "How many days a week is it? ".repeat(100);
        let long_word = "a".repeat(20_000);
        for body in [repeated.as_str(), long_word.as_str()] {
            let d = t.triage(&Enquiry::email("x@example.org", "q", body));
            assert!(
                d.reason.chars().count() <= MAX_REASON_CHARS,
                "{} chars",
                d.reason.chars().count()
            );
        }
    }

    #[test]
    fn only_a_plain_name_is_greeted() {
        for name in [
            "Dr D. Moore",
            "Jane",
            "Siobhán O'Brien",
            "Anne-Marie Lee",
            "Dr Carla de Brito",
        ] {
            assert_eq!(greeting_name(name).as_deref(), Some(name), "{name}");
        }
        for lure in [
            "URGENT Reset Your Password At evil.example",
            "[Click Here](http://evil.example/login)",
            "<script>alert(1)</script>",
            "IDIOT",
            "You Are Fired",
            "Call 07700900123",
            "Jane\u{202e}live",
            "Dear Sir",
            "**URGENT** Wire £500",
            "evil.example",
        ] {
            assert_eq!(greeting_name(lure), None, "{lure}");
        }
    }

    #[test]
    fn working_part_time_in_a_clause_of_background_still_asks_what_it_means_for_the_asker() {
        // lexical matching (the shipped base without a model): the clause is context, and
        // the question asks what the asker's part-time hours make of the rule
        let t = shipped();
        let text = "Hello,\n\nGiven I'm LTFT at 60%, how would the FPT day work for me?\n\nThanks";
        let d = t.triage(&Enquiry::email("a@example.org", "FPT and LTFT", text));
        assert_eq!(d.decision, DecisionKind::Route, "{}", d.reason);
    }

    #[test]
    fn a_lead_in_then_a_clause_of_background_are_both_context() {
        assert_eq!(
            split_lead_ins(
                "quick one - now that the College has handed FPT over to HEE, does that change who supervises me?"
            ),
            (
                vec![
                    "quick one",
                    "now that the College has handed FPT over to HEE"
                ],
                "does that change who supervises me?"
            )
        );
        assert_eq!(
            split_lead_ins(
                "Given I'm writing this after a 13-hour shift, I'd like to know: is that one of the official aims?"
            ),
            (
                vec![
                    "Given I'm writing this after a 13-hour shift",
                    "I'd like to know"
                ],
                "is that one of the official aims?"
            )
        );
        assert_eq!(
            split_lead_ins("what is FPT?"),
            (Vec::<&str>::new(), "what is FPT?")
        );
        // a clause announcing the question is its setting
        assert_eq!(
            split_lead_ins(
                "Before I have the conversation with my TPD I wanted to understand one thing properly: how much of my week is ring-fenced?"
            ),
            (
                vec!["Before I have the conversation with my TPD I wanted to understand one thing properly"],
                "how much of my week is ring-fenced?"
            )
        );
        // a person addressed by name is not part of the question
        assert_eq!(
            split_lead_ins("Ben, do you know if FPT is open to anyone in training?"),
            (
                vec!["Ben"],
                "do you know if FPT is open to anyone in training?"
            )
        );
        assert_eq!(
            split_lead_ins("so, do you know if FPT is open to anyone?"),
            (
                Vec::<&str>::new(),
                "so, do you know if FPT is open to anyone?"
            )
        );
    }

    #[test]
    fn a_bare_request_to_answer_after_questions_is_no_question_of_its_own() {
        let segments = unasked_as_context(split_questions(
            "I'd like a short paragraph on FPT: what it is, where it came from, and what it's meant to achieve. Would you be able to summarise?\nMany thanks",
        ));
        let asked: Vec<&str> = segments.iter().map(|q| q.question.as_str()).collect();
        assert_eq!(
            asked,
            [
                "what it is",
                "where it came from",
                "what it's meant to achieve"
            ]
        );
        assert!(segments[2].context.contains("Many thanks"));
        // alone, it is the question (routed: it names nothing)
        let alone = unasked_as_context(split_questions("Would you be able to summarise?"));
        assert_eq!(alone.len(), 1);
    }

    #[test]
    fn a_lead_in_is_context_not_the_question() {
        assert_eq!(
            split_lead_in("Following up on my last email: is FPT running in London?"),
            (
                Some("Following up on my last email"),
                "is FPT running in London?"
            )
        );
        assert_eq!(
            split_lead_in("Quick question - what pathways are there?"),
            (Some("Quick question"), "what pathways are there?")
        );
        // a pseudo-cleft announces the question: its "what" is followed by its subject
        assert_eq!(
            split_lead_in("What I can't work out from the website is really basic: how many days a week is it?"),
            (
                Some("What I can't work out from the website is really basic"),
                "how many days a week is it?"
            )
        );
        assert_eq!(
            split_lead_in("What is the pathway for: research or teaching?").0,
            None
        );
        // a long statement before a dash is the setting of a question word's question
        assert_eq!(
            split_lead_in("I want to get the 'why' right rather than just saying 'it gives you a day off a week' - what are the official aims of the programme?"),
            (
                Some("I want to get the 'why' right rather than just saying 'it gives you a day off a week'"),
                "what are the official aims of the programme?"
            )
        );
        // a dash inside a question, or a long clause, is not a lead-in
        assert_eq!(split_lead_in("is the 20% time - one day - fixed?").0, None);
        assert_eq!(split_lead_in("what is FPT?"), (None, "what is FPT?"));
        // a hedge excusing the question is not the question
        assert_eq!(
            strip_hedge("sorry total noob q but what even is FPT"),
            "what even is FPT"
        );
        assert_eq!(
            strip_hedge("Probably a silly question, but can I do FPT part time?"),
            "can I do FPT part time?"
        );
        // nor is an apology for disturbing
        assert_eq!(
            strip_hedge("so sorry to bother you again - can I do FPT as an IMT?"),
            "can I do FPT as an IMT?"
        );
        assert_eq!(
            strip_hedge("sorry to bug u but who runs fpt now"),
            "who runs fpt now"
        );
        assert_eq!(
            strip_hedge("sorry to bother you about FPT"),
            "sorry to bother you about FPT"
        );
        // nor are chat's interjections
        assert_eq!(
            strip_hedge("wait what are the pathways again?"),
            "what are the pathways again?"
        );
        assert_eq!(
            strip_hedge("hmm ok so who runs it now?"),
            "who runs it now?"
        );
        assert_eq!(
            strip_hedge("right now is it running?"),
            "right now is it running?"
        );
        // nor an unpunctuated announcement that the question is quick
        assert_eq!(
            strip_hedge("Quick q does the FPT day count as clinical time"),
            "does the FPT day count as clinical time"
        );
        assert_eq!(
            strip_hedge("quick question about the pathways"),
            "quick question about the pathways"
        );
        // "but" inside a question is not a hedge's
        assert_eq!(
            strip_hedge("is the research one full time but unpaid?"),
            "is the research one full time but unpaid?"
        );
        assert_eq!(
            split_lead_in("Since HEE took over from the College, is it run locally now?"),
            (
                Some("Since HEE took over from the College"),
                "is it run locally now?"
            )
        );
        // a condition is part of what is asked
        assert_eq!(
            split_lead_in("If my ARCP goes badly, can I keep my FPT day?").0,
            None
        );
        assert_eq!(
            split_lead_in("Forwarding this from my ES - she wants to know whether it changes").0,
            Some("Forwarding this from my ES")
        );
        assert_eq!(
            strip_list_marker("2. What pathways are there?"),
            "What pathways are there?"
        );
        assert_eq!(strip_list_marker("b) how long?"), "how long?");
        assert_eq!(
            strip_list_marker("And second, who is it open to?"),
            "who is it open to?"
        );
        assert_eq!(
            strip_list_marker("second year trainees?"),
            "second year trainees?"
        );
    }

    #[test]
    fn a_clear_match_is_answered_and_explained() {
        let t = triage();
        let d = t.triage(&Enquiry::chat(
            "u",
            "how many days a week of protected time?",
        ));
        assert_eq!(d.decision, DecisionKind::Answer);
        assert_eq!(d.faq, vec!["time"]);
        assert!(d.confidence >= t.threshold);
        assert!(d.candidates[0].matched.contains(&"protected".to_string()));
    }

    #[test]
    fn a_question_the_base_cannot_answer_is_routed_not_answered() {
        let t = triage();
        let d = t.triage(&Enquiry::chat(
            "u",
            "is there funding for a masters degree during parental leave?",
        ));
        assert_eq!(d.decision, DecisionKind::Route);
        assert!(d.confidence < t.threshold);
        assert!(d.reason.contains("no confident answer"), "{}", d.reason);
    }

    #[test]
    fn the_threshold_is_the_cut_between_answer_and_route() {
        let mut t = triage();
        let e = Enquiry::chat("u", "which pathways are there?");
        assert_eq!(t.triage(&e).decision, DecisionKind::Answer);
        t.threshold = 1.01;
        assert_eq!(t.triage(&e).decision, DecisionKind::Route);
    }

    #[test]
    fn two_questions_are_answered_in_one_reply_only_when_both_are_known() {
        let t = triage();
        let both = Enquiry::email(
            "a@example.org",
            "Two questions",
            "Which pathways are there? And how many days a week of protected time?",
        );
        let d = t.triage(&both);
        assert_eq!(d.decision, DecisionKind::Answer);
        assert_eq!(d.faq.len(), 2);
        let reply = t.draft(&both, &d).unwrap().unwrap().text;
        assert!(reply.contains("One day a week.") && reply.contains("Research, education"));
        let mixed = Enquiry::email(
            "a@example.org",
            "Two questions",
            "Which pathways are there? Can I get funding for parking permits?",
        );
        assert_eq!(t.triage(&mixed).decision, DecisionKind::Route);
    }

    #[test]
    fn an_entry_lacking_the_questions_most_specific_word_is_trusted_less() {
        let t = triage();
        let d = t.triage(&Enquiry::chat("u", "which pathways are there?"));
        assert_eq!(d.questions[0].result.missing_key, None);
        let mut kb = t.kb.clone();
        kb.entries[2]
            .answer
            .push_str(" Changes of address and pathway questions go to the mailbox.");
        let t = Triage::new(kb, Drafter::builtin());
        let d = t.triage(&Enquiry::chat("u", "how do I change pathways?"));
        let q = &d.questions[0];
        assert_eq!(q.result.top().map(|c| c.id.as_str()), Some("pathways"));
        assert_eq!(
            q.result.missing_key.as_deref(),
            Some("change"),
            "{:?}",
            q.result
        );
        assert!(q.result.confidence < 0.2);
    }

    #[test]
    fn a_request_after_thanks_is_not_small_talk_on_either_channel() {
        let t = triage();
        for text in [
            "Thanks - I'd still like to know about pay.",
            "Thanks, I'd like to withdraw from FPT",
            "Thank you, but I asked about pensions, not pathways.",
            "Thanks for nothing, I still don't know if it's paid",
        ] {
            let email = Enquiry::email("a@example.org", "Re: FPT [FPT-1]", text);
            for (channel, e) in [("email", email), ("chat", Enquiry::chat("u", text))] {
                let d = t.triage(&e);
                assert_ne!(
                    d.decision,
                    DecisionKind::Ignore,
                    "{channel}: {text}: {}",
                    d.reason
                );
            }
        }
        for text in ["thanks!", "Thanks so much, much appreciated!"] {
            let email = Enquiry::email("a@example.org", "Re: FPT [FPT-1]", text);
            for (channel, e) in [("email", email), ("chat", Enquiry::chat("u", text))] {
                let d = t.triage(&e);
                assert_eq!(d.decision, DecisionKind::Ignore, "{channel}: {text}");
            }
        }
    }
}
