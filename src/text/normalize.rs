//! Normalisation and analysis: Unicode folding, tokens, stop words, Snowball stems, synonym
//! rewriting and typo correction against a known vocabulary.
//!
//! Invariant: the same `Analyzer` is used for the knowledge base and for enquiries, so both
//! sides of a comparison went through exactly the same steps.

use std::ops::ControlFlow;
use std::rc::Rc;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use super::strings::Strings;
use super::typos::{DeletionIndex, MAX_WORD_CHARS};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Lower-cases, decomposes (NFKD) and drops accents, and maps typographic punctuation to ASCII.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        // NFKD leaves ASCII as it is: only case and the backtick change
        let mut out = text.to_ascii_lowercase();
        if out.contains('`') {
            out = out.replace('`', "'");
        }
        return out;
    }
    fold_unicode(text)
}

fn fold_unicode(text: &str) -> String {
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

/// Splits folded text into word tokens. Apostrophes inside a word are dropped ("don't" →
/// "dont"), a possessive "'s" with them ("addenbrooke's" → "addenbrooke"), `%` becomes the word "percent", and informal
/// spellings become the standard words ("wot" → "what", see [`super::informal`]).
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let _ = for_each_token(text, |w| {
        tokens.push(w.to_owned());
        ControlFlow::<()>::Continue(())
    });
    tokens
}

/// Personal pronouns whose contractions ("she'd", "they're", "we've", "he'll") are read as
/// the pronoun alone. Not "i", "it" or "let": "i'd", "it's" and "let's" already fold to stop
/// words ("id", "its", "lets"), and the base's phrasings were written with them.
const PRONOUNS: &[&str] = &["he", "she", "we", "they", "you", "who", "there", "that"];

/// The words of [`tokenize`]`(text)`, in order, handed to `f` one at a time until it breaks:
/// no string is built for the folded text or each word, so a reader that only needs the first
/// few words (or stops at one it does not expect) pays for those alone.
pub fn for_each_token<B>(text: &str, f: impl FnMut(&str) -> ControlFlow<B>) -> ControlFlow<B> {
    // ASCII text (nearly every enquiry) read byte by byte, folded as `folded_chars` folds it,
    // in a loop of its own: no chained iterator per character
    if text.is_ascii() {
        ascii_tokens_of(text, f)
    } else {
        tokens_of(folded_chars(text), f)
    }
}

/// One byte of ASCII text folded (see [`folded_chars`]).
#[inline(always)]
fn fold_ascii(b: u8) -> char {
    match b {
        b'`' => '\'',
        _ => char::from(b.to_ascii_lowercase()),
    }
}

/// [`tokens_of`] the folded characters of ASCII `text`, read a run of letters and digits at a
/// time: a word written in lower case and ended by anything but an apostrophe inside a word
/// is handed on as a slice of `text`, with no copy; others are gathered (folded) as
/// [`tokens_of`] gathers them.
fn ascii_tokens_of<B>(text: &str, mut f: impl FnMut(&str) -> ControlFlow<B>) -> ControlFlow<B> {
    let b = text.as_bytes();
    let alnum = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    // an apostrophe (or a backtick, which folds to one) at `i` between a word and more of it
    let joins = |i: usize, current: &str| {
        matches!(b.get(i), Some(b'\'' | b'`')) && !current.is_empty() && alnum(i + 1)
    };
    let mut current = String::new();
    // where an apostrophe joined `current` to more of it ("fpt's")
    let mut joined_at = None;
    let mut i = 0;
    while i < b.len() {
        if alnum(i) {
            let start = i;
            while alnum(i) {
                i += 1;
            }
            // ASCII: every byte is a character boundary
            let run = text.get(start..i).unwrap_or_default();
            let lower = !run.bytes().any(|c| c.is_ascii_uppercase());
            if current.is_empty() && lower && !joins(i, run) {
                // "the 4 pathways": a "2" or "4" is a number before what it counts (only
                // those read the word after them)
                let number = match run {
                    "2" | "4" => super::informal::numeral_before(run, next_word(text, i)),
                    _ => None,
                };
                match number {
                    Some(number) => f(number)?,
                    None => hand_str(run, &mut f)?,
                }
            } else {
                current.extend(run.bytes().map(|c| char::from(c.to_ascii_lowercase())));
            }
            continue;
        }
        let c = b[i];
        i += 1;
        if joins(i - 1, &current) {
            // as in `tokenize`: a pronoun's contraction is the pronoun; any other word goes
            // on after the apostrophe
            if PRONOUNS.contains(&current.as_str()) {
                while alnum(i) {
                    i += 1;
                }
                hand_word(&mut current, &mut f)?;
            } else {
                joined_at = Some(current.len());
            }
        } else {
            drop_possessive(&mut current, &mut joined_at);
            hand_word(&mut current, &mut f)?;
            if c == b'%' {
                f("percent")?;
            }
        }
    }
    drop_possessive(&mut current, &mut joined_at);
    hand_word(&mut current, &mut f)
}

/// The lower-case word after the spaces at `at` of ASCII `text` ("" when what follows is not
/// one): what [`super::informal::numeral_before`] reads after a "2" or "4". (Text that is not
/// ASCII keeps its "2" and "4" as digits.)
fn next_word(text: &str, at: usize) -> &str {
    let b = text.as_bytes();
    if !matches!(b.get(at), Some(b' ')) {
        return "";
    }
    let start = at + b[at..].iter().take_while(|&&c| c == b' ').count();
    let len = b[start..]
        .iter()
        .take_while(|c| c.is_ascii_lowercase())
        .count();
    text.get(start..start + len).unwrap_or_default()
}

/// The words of already folded characters (see [`for_each_token`]).
fn tokens_of<B>(
    chars: impl Iterator<Item = char>,
    mut f: impl FnMut(&str) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let mut current = String::new();
    let mut joined_at = None;
    let mut chars = chars.peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            current.push(c);
        } else if c == '\''
            && !current.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            // as in `tokenize`: a pronoun's contraction is the pronoun
            if PRONOUNS.contains(&current.as_str()) {
                while chars.peek().is_some_and(|n| n.is_alphanumeric()) {
                    chars.next();
                }
                hand_word(&mut current, &mut f)?;
            } else {
                joined_at = Some(current.len());
            }
        } else {
            drop_possessive(&mut current, &mut joined_at);
            hand_word(&mut current, &mut f)?;
            if c == '%' {
                f("percent")?;
            }
        }
    }
    drop_possessive(&mut current, &mut joined_at);
    hand_word(&mut current, &mut f)
}

/// Words whose "'s" is read as part of them: "it's" and "let's" fold to the stop words
/// "its" and "lets", as the base's phrasings were written with them.
const KEPT_APOSTROPHE_S: &[&str] = &["it", "let"];

/// Takes the possessive "'s" off a word the apostrophe at `joined_at` joined to an "s"
/// alone ("FPT's aims", "HEE's role", "the College's idea": "fpt", "hee", "college"), so the
/// word is the one the base names; other joins stay as one word ("don't" → "dont").
/// `joined_at` is cleared.
fn drop_possessive(current: &mut String, joined_at: &mut Option<usize>) {
    if let Some(at) = joined_at.take() {
        if current.len() == at + 1
            && current.ends_with('s')
            && !KEPT_APOSTROPHE_S.contains(&&current[..at])
        {
            current.truncate(at);
        }
    }
}

/// The characters of [`fold`]`(text)`, one at a time.
fn folded_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let ascii = text.is_ascii();
    let plain = ascii.then(|| text.bytes().map(fold_ascii));
    let unicode = (!ascii).then(|| {
        text.nfkd()
            .filter(|&c| !is_combining_mark(c))
            .flat_map(|c| match c {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' => {
                    FoldedChar::One(Some('\''))
                }
                '\u{201C}' | '\u{201D}' => FoldedChar::One(Some('"')),
                '\u{2010}'..='\u{2015}' => FoldedChar::One(Some('-')),
                _ => FoldedChar::Lower(c.to_lowercase()),
            })
    });
    plain
        .into_iter()
        .flatten()
        .chain(unicode.into_iter().flatten())
}

/// What one character of NFKD text folds to (see [`fold_unicode`]).
enum FoldedChar {
    One(Option<char>),
    Lower(std::char::ToLowercase),
}

impl Iterator for FoldedChar {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            FoldedChar::One(c) => c.take(),
            FoldedChar::Lower(l) => l.next(),
        }
    }
}

/// Hands a finished word to `f` (an informal spelling as its standard words), and empties it.
fn hand_word<B>(
    current: &mut String,
    f: &mut impl FnMut(&str) -> ControlFlow<B>,
) -> ControlFlow<B> {
    if current.is_empty() {
        return ControlFlow::Continue(());
    }
    let flow = hand_str(current, f);
    current.clear();
    flow
}

/// Hands word `w` (not empty) to `f`, an informal spelling as its standard words.
fn hand_str<B>(w: &str, f: &mut impl FnMut(&str) -> ControlFlow<B>) -> ControlFlow<B> {
    match super::informal::expand(w) {
        Some(standard) => standard.iter().try_for_each(|s| f(s)),
        None => f(w),
    }
}

/// Whether `word` (lower-cased, letters only: "i", "im", "the") is one of the English words
/// that carry no topic ([`STOP_WORDS`]).
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
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
    "wont", "would", "wouldnt", "yes", "you", "youre", "your", "yours", "per", "hasnt", "havent",
    "hadnt", "shouldnt", "werent",
    // hedges and discourse markers: they colour a question, never say what it is about
    "actually", "exactly", "basically", "literally", "honestly", "genuinely", "currently",
    "presently", "nowadays", "anyway", "anyways", "though", "perhaps", "maybe", "possibly",
    "probably", "definitely", "certainly", "simply", "already", "quite", "rather", "somewhat",
    "kindly", "hopefully", "apologies", "sorry", "cheers", "guys", "folks", "somewhere",
    "somehow", "anywhere", "elsewhere", "everyone", "everything", "whatever", "whichever",
    "whoever", "whenever", "wherever", "realistically", "instead",
    // the ordinals that number a letter's questions: "Firstly how much …? Secondly which …?"
    "firstly", "secondly", "thirdly", "fourthly", "lastly",
    "essentially", "generally", "typically", "normally",
    // vague nouns of speech: "the portfolio bit", "that side of it", "all that stuff"
    "bit", "bits", "stuff", "side", "sort",
    // the frame of a passed-on or reported question: "forwarding this from my ES, she wants
    // to know…", "someone mentioned…", "it seems…"
    "forwarding", "forwarded", "wants", "asked", "asks", "mentioned", "noticed", "seems", "seem",
    "seemed", "apparently",
    // ability and degree words that frame what is asked: "will I be able to", "the best person",
    // "a single document", "so far", "my earlier email"
    "able", "unable", "best", "single", "far", "earlier",
    // existence, which every entry presumes: "which pathways exist?"
    "exist", "exists", "existed", "existing",
    // a conjunction of time that frames a condition: "how long do I stay once I start?"
    "once",
    // degree, hedges and feelings around a question, never its topic: "roughly when",
    // "what the actual point is", "done properly", "I'd be grateful", "I'm worried", "my
    // mate is saying", "a couple of things", "the main aims", "the scheme itself"
    "roughly", "around", "approximately", "approx", "actual", "proper", "properly", "totally",
    "completely", "absolutely", "entirely", "altogether", "particular", "particularly", "main",
    "mainly", "itself", "ideally", "always", "overall", "fairly", "pretty", "truly", "grateful",
    "worried", "anxious", "nervous", "confused", "saying", "mate", "mates", "couple",
    // an opinion asked for, not a topic: "do u reckon i need a PGCert first?"
    "reckon",
    // standing, never the topic: "what are the scheme's official aims?", "is there an
    // official guide?" (the noun says what is asked for)
    "official", "officially",
    // the asker's memory, never the topic: "wat r the 4 pathways again lol, totally forgot",
    // "remind me what…", "I can't remember how long it lasts"
    "forgot", "forget", "forgotten", "forgetting", "remember", "remembering", "remind",
    "recall",
    // when the asker will read the answer: "anything written down I could read beforehand"
    "beforehand", "afterwards",
    // the asker's interest, never the topic: "Curious more than anything: whose idea was it?",
    // "one of my registrars is keen on FPT"
    "curious", "curiosity", "technically", "keen",
    // chat's laughter, kisses and asides: "wat does FPT stand for lol", "ngl im confused"
    "lol", "lols", "lolol", "haha", "hahaha", "hehe", "lmao", "omg", "ngl", "imo", "fyi", "xx",
    "xxx",
    // and its groans: "this chat keeps timing out grrr", "ugh the rota again"
    "grr", "grrr", "grrrr", "argh", "ugh", "urgh", "ffs", "sigh",
    // reported speech and liking around what is asked: "what does the scheme say it offers
    // the trust?", "when you say HEE took over…", "I'd love to do the med ed pathway" (as
    // "like" is). Not "said": "someone said…" reports a claim, and its words are the claim's
    "say", "love", "loved",
    // a preposition, like "to" and "into": "does FPT count towards CCT?"
    "towards", "toward",
    // "particular" again: "is there a doc for the informatics pathway specifically?" (not
    // "queries": "should I still contact the RCP about FPT queries?" was then answered with
    // who runs FPT alone, without the address to write to)
    "specifically", "specific",
    // who is asked about in general, as "someone" and "anyone" are: "is it for people in
    // higher specialty training?", "what do people spend their FPT day on?"
    "people",
    // a check of a claim, as the confirmation tags are ("is that true"): "someone said fpt is
    // only in places that can't fill posts. true?", "is it true that London was left out?"
    "true",
    // the frame of a claim being checked, never its topic: "wait is the informatics one
    // actually a real pathway?", "there's a rumour that FPT is ending", "is it a myth that
    // the day is unpaid?" ("real" as "actual" is)
    "real", "rumour", "rumours", "rumor", "rumors", "myth", "myths", "hearsay",
    // the frame of a hypothetical or of what the asker takes to be so, never its topic:
    // "suppose my rota changes, …", "say I moved deanery, would …", "I gather London was left
    // out - why?", "presumably the day is unpaid?" (not "assume": the base asks "can I assume
    // FPT arrangements are the same across all regions?", and "I had assumed it was one
    // national model" finds that entry by it)
    "suppose", "supposing", "imagine", "hypothetically", "hypothetical", "theoretically",
    "gather", "presume", "presumed", "presumably", "guess", "supposedly",
    // a formal letter's courtesy, and Indian English "doubt" for a question: "I humbly
    // request…", "I shall be obliged if…", "I have two doubts regarding FPT", "please revert",
    // "do the needful"
    "humbly", "obliged", "doubt", "doubts", "revert", "needful", "shall", "highly",
];

/// Word sequences that, together, only say "now" or frame the question ("these days", "at
/// the moment"): each of their words is a stop word there, though "days" or "moment" alone
/// may carry a topic.
const STOP_PHRASES: &[&[&str]] = &[
    &["these", "days"],
    // a formal request's frame: "I request you to kindly inform me the procedure"
    &["request", "you", "to"],
    &["inform", "me"],
    &["inform", "us"],
    &["with", "due", "respect"],
    // when a question will be asked, never its topic: "where do I send queries in future?"
    &["in", "future"],
    // how often, never what: "who manages FPT on a day-to-day basis?"
    &["on", "a", "day", "to", "day", "basis"],
    &["on", "a", "daily", "basis"],
    &["day", "to", "day"],
    &["in", "the", "future"],
    // the frame of an obligation: "how many am i supposed to be evidencing?"
    &["supposed", "to"],
    &["at", "the", "moment"],
    &["at", "present"],
    // a wait before the answer: "is there an FAQ I can look at in the meantime?"
    &["in", "the", "meantime"],
    &["right", "now"],
    &["by", "the", "way"],
    &["out", "of", "interest"],
    &["as", "well"],
    &["in", "terms", "of"],
    &["in", "depth"],
    &["in", "more", "depth"],
    &["in", "more", "detail"],
    // an example or the whole of something, never the topic: "for example, can I spend it
    // on teaching?", "one doc that explains everything start to finish"
    &["for", "example"],
    &["for", "instance"],
    // who something is for, never its aims: "is there written information aimed at
    // supervisors?", "is FPT aimed at physician trainees?"
    &["aimed", "at"],
    // "who is the scheme actually meant for?" asks for whom, as "intended for" does
    &["meant", "for"],
    &["start", "to", "finish"],
    // how briefly it is to be said, never what: "explain fpt in one line", "in a nutshell"
    &["in", "one", "line"],
    &["in", "a", "line"],
    &["in", "one", "sentence"],
    &["in", "a", "sentence"],
    &["in", "a", "nutshell"],
    // "what does that mean in practice for those of us already on it?", "how does it work
    // in reality?": the answer's footing, not a practice (a GP surgery) asked about
    &["in", "practice"],
    &["in", "practical", "terms"],
    &["in", "reality"],
    &["in", "a", "few", "words"],
    // sharing experience, and a contrast: "comparing notes, our set-ups sound quite
    // different", "what does it offer the trust, as opposed to the trainee?"
    &["comparing", "notes"],
    &["compared", "notes"],
    &["compare", "notes"],
    &["as", "opposed", "to"],
    // whose view the question takes: "what's the point of fpt from HEE's point of view"
    &["point", "of", "view"],
    // asking for the settled answer, not about a document: "what's the official position -
    // is the day clinical or non-clinical?"
    &["official", "position"],
    &["official", "line"],
    &["official", "stance"],
    // idioms that only frame or hedge the question: "why was it set up in the first place",
    // "in a nutshell what is FPT", "the scheme as a whole", "in order to be considered"
    &["in", "the", "first", "place"],
    &["in", "a", "nutshell"],
    // how the answer should be put, never what it is about: "what is fpt in simple words
    // pls", "in plain english what does the day involve"
    &["in", "simple", "words"],
    &["in", "simple", "terms"],
    &["in", "simple", "english"],
    &["in", "plain", "english"],
    &["in", "plain", "terms"],
    &["in", "plain", "words"],
    &["in", "plain", "language"],
    &["in", "layman", "terms"],
    &["in", "laymans", "terms"],
    &["in", "lay", "terms"],
    &["in", "a", "few", "words"],
    &["in", "short"],
    &["in", "brief"],
    &["in", "a", "couple", "of", "lines"],
    &["in", "a", "couple", "of", "sentences"],
    &["in", "one", "sentence"],
    // what the asker will do with the answer: "a short description I can pass on"
    &["pass", "on"],
    &["pass", "it", "on"],
    &["pass", "this", "on"],
    &["pass", "that", "on"],
    // a status asked after in general, after the question that says what of: "Has anything
    // been published about the 2023 round? Just want to know where things stand."
    &["where", "things", "stand"],
    &["where", "things", "are", "at"],
    &["how", "things", "stand"],
    // when the asker will read it, never a time asked about: "anything I could read
    // beforehand", "a guide to look at in advance"
    &["in", "advance"],
    &["ahead", "of", "time"],
    // "later", never a time asked for: "how would she go about applying when the time
    // comes?", "I might apply down the line"
    &["when", "the", "time", "comes"],
    &["down", "the", "line"],
    &["in", "due", "course"],
    // a ward's change of shift, the time something was heard, not the scheme's handover to
    // HEE: "someone mentioned it at handover"
    &["at", "handover"],
    &["after", "handover"],
    &["before", "handover"],
    &["during", "handover"],
    &["to", "be", "honest"],
    &["as", "a", "whole"],
    &["in", "order", "to"],
    // confirmation tags: the statement before them is what is asked
    &["is", "that", "right"],
    &["is", "this", "right"],
    &["is", "that", "correct"],
    &["is", "this", "correct"],
    &["is", "that", "true"],
    &["is", "this", "true"],
    // the same tag put as a doubt of one's own: "correct me if I'm wrong but fpt is
    // registrar level only?", "am I right that there's a document for each pathway?"
    &["correct", "me", "if", "i", "wrong"],
    &["correct", "me", "if", "im", "wrong"],
    &["correct", "me", "if", "i", "am", "wrong"],
    &["am", "i", "wrong"],
    &["am", "i", "right"],
    &["am", "i", "correct"],
    // a feeling about one's readiness, not what is asked: "would I be out of my depth on the
    // research pathway?" asks whether little experience matters
    &["out", "of", "my", "depth"],
    &["out", "of", "your", "depth"],
    &["out", "of", "their", "depth"],
    &["out", "of", "our", "depth"],
    // "besides", never a topic: "is there a separate application I need to do on top of
    // everything else?"
    &["on", "top", "of"],
    // how short the answer should be, and who the asker will send it to, never what it is
    // about: "what even is FPT - whats the one-line version i can send her", "whats the short
    // version"
    &["one", "line"],
    &["one", "liner"],
    &["short", "version"],
    &["quick", "version"],
    &["i", "can", "send", "her"],
    &["i", "can", "send", "him"],
    &["i", "can", "send", "them"],
];

/// One analysed word of a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Token {
    /// The word as written, folded (after typo correction when one applied).
    pub surface: String,
    /// Snowball English stem: the term the index uses. Shared, not copied, by the tokens of
    /// one word (a word met again in a triage, the query terms made from it).
    pub stem: Rc<str>,
    /// A function word: kept for phrase matching, ignored for scoring.
    pub stop: bool,
    /// The word as written when typo correction replaced it.
    pub corrected_from: Option<String>,
}

/// Distinct words a [`WordMemo`] keeps at most (further words are analysed afresh).
const MAX_MEMO_WORDS: usize = 4096;

/// What [`Analyzer::analyze_words`] works out for one word on its own, with typo correction:
/// whether it is a stop word, the word it is corrected to, and its stem.
#[derive(Debug, Clone)]
struct WordAnalysis {
    stop: bool,
    corrected: Option<String>,
    stem: Rc<str>,
}

/// Words one analyzer has already analysed with typo correction, for
/// [`Analyzer::analyze_remembering`]: a word met again in another text of the same enquiry
/// (a question, then as context of the next) is not corrected, looked up and stemmed again.
/// Only valid for the analyzer that filled it, unchanged meanwhile (the caller's duty:
/// `matcher::shared` keeps one per triage, for its one index).
#[derive(Debug, Default)]
pub struct WordMemo {
    words: FxHashMap<String, WordAnalysis>,
}

/// Distinct words whose room a [`WordMemo`] keeps when cleared for reuse (more is given
/// back): about as many as a long enquiry's distinct words.
const KEPT_MEMO_WORDS: usize = 256;

impl WordMemo {
    /// Forgets every word, keeping the room of up to [`KEPT_MEMO_WORDS`] words for the next
    /// enquiry (no rehashing while it fills again).
    pub fn clear(&mut self) {
        self.words.clear();
        self.words.shrink_to(KEPT_MEMO_WORDS);
    }
}

/// A synonym group compiled to stems: every variant is rewritten to the canonical tokens.
#[derive(Debug, Clone)]
struct SynonymRule {
    variant: Vec<String>,
    canonical: Vec<(String, String)>,
}

/// An analyzer's learnt vocabulary, borrowed (see [`Analyzer::vocabulary`]).
#[derive(Debug)]
pub struct Vocabulary<'a> {
    /// The words in learning order (a word's number is its position).
    pub words: &'a Strings,
    /// Per word, the number of its stem in `stems`.
    pub word_stems: &'a [u32],
    /// The words' distinct stems.
    pub stems: &'a Strings,
    /// The typo index's (deletion hash, word number) pairs, sorted.
    pub deletions: &'a [(u32, u32)],
    /// Numbers of the words too long for the deletion index.
    pub long: &'a [u32],
}

impl<'a> Vocabulary<'a> {
    /// Each word in learning order with its stem.
    pub fn pairs(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let (words, stems, word_stems) = (self.words, self.stems, self.word_stems);
        words
            .iter()
            .zip(word_stems)
            .map(move |(w, &s)| (w, stems.get_str(s)))
    }
}

/// Turns text into tokens the same way for the knowledge base and for enquiries.
pub struct Analyzer {
    stemmer: Stemmer,
    /// Stop words, each with its stem (worked out once: most words of a question are stop
    /// words, and stemming one is a lookup).
    stop: FxHashMap<&'static str, String>,
    /// Synonym rules keyed by the first stem of the variant, longest variant first.
    synonyms: FxHashMap<String, Vec<SynonymRule>>,
    /// Known words (folded surfaces of 3+ characters), numbered in the order learnt, each
    /// stored once.
    words: Strings,
    /// Per word of `words`, the number of its stem in `stems` (stemming a known word is a
    /// lookup).
    word_stems: Vec<u32>,
    /// The known words' distinct stems.
    stems: Strings,
    /// Typo-correction lookup over `words`, built on first use after the last `learn`.
    typos: OnceLock<Typos>,
    /// Words of the language known beyond the base (the embedding model's whole-word
    /// vocabulary, when a model is loaded): such a word is written as meant and never
    /// "corrected" into a base word ("loads" is not "leads").
    dictionary: Option<Dictionary>,
    /// The synonym groups' acronyms and their long forms, for the texts the embedding model
    /// reads ([`super::acronyms`]).
    acronyms: super::acronyms::Acronyms,
}

/// Whether a folded word is a real word of the language (see [`Analyzer::set_dictionary`]).
pub type Dictionary = std::sync::Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// What typo correction looks candidates up in.
#[derive(Debug, Default)]
struct Typos {
    /// Words of up to [`super::typos::MAX_WORD_CHARS`] characters.
    deletions: DeletionIndex,
    /// Longer words (numbers into `words`), compared one by one: rare, and too long for the
    /// deletion index.
    long: Vec<u32>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("synonyms", &self.synonyms.len())
            .field("vocabulary", &self.words.len())
            .finish()
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new(&[])
    }
}

/// Shortest misspelling, in characters, whose closest words at one distance are one
/// correction when they share a stem ("protectd" → "protect"/"protected"); a shorter one
/// stays a tie ("chars": "chart", "charts"). Chosen on the labelled sets and StackFAQ
/// (with no such limit "special chars" became "special chart" and four StackFAQ questions
/// were routed).
const SAME_STEM_TIE_MIN_CHARS: usize = 7;

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
        let stemmer = Stemmer::create(Algorithm::English);
        let stop = STOP_WORDS
            .iter()
            .map(|&w| (w, stemmer.stem(w).into_owned()))
            .collect();
        let mut analyzer = Analyzer {
            stemmer,
            stop,
            synonyms: FxHashMap::default(),
            words: Strings::default(),
            word_stems: Vec::new(),
            stems: Strings::default(),
            typos: OnceLock::new(),
            dictionary: None,
            acronyms: super::acronyms::Acronyms::from_groups(synonym_groups),
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

    /// `text` as the embedding model should read the base's acronyms: spelled out where the
    /// long form is canonical ("qi" → "quality improvement"), contracted where the acronym is
    /// ("Flexible Portfolio Training" → "fpt"; see [`super::acronyms::Acronyms::expand`]).
    pub fn expand_acronyms(&self, text: &str) -> String {
        self.acronyms.expand(text)
    }

    /// Adds the words of `text` to the vocabulary that misspellings are corrected towards.
    pub fn learn(&mut self, text: &str) {
        self.learn_words(&tokenize(text));
    }

    /// Adds already tokenised words (see [`tokenize`]) to the vocabulary.
    pub fn learn_words(&mut self, words: &[String]) {
        for word in words {
            self.learn_word(word);
        }
    }

    /// Adds one tokenised word to the vocabulary if it is one to learn (three characters or
    /// more, not all digits) and new; `true` when it was added.
    pub fn learn_word(&mut self, word: &str) -> bool {
        if word.chars().count() < 3
            || word.chars().all(|c| c.is_ascii_digit())
            || self.words.get(word).is_some()
        {
            return false;
        }
        // an irregular form has its base form's stem here as in [`Analyzer::stem`]: a synonym
        // variant ("taken over") is compiled with that stem, and the base's "taken" and a
        // question's "took" are one word (not `stem` itself: its acronym rule reads the
        // vocabulary this builds, so the stems would depend on the order words are learnt)
        let stem = self
            .stemmer
            .stem(super::irregular::base_form(word).unwrap_or(word));
        self.word_stems.push(self.stems.intern(&stem));
        self.words.intern(word);
        self.typos = OnceLock::new();
        true
    }

    /// The stem of a known word.
    fn known_stem(&self, word: &str) -> Option<&str> {
        let id = self.words.get(word)?;
        Some(self.stems.get_str(*self.word_stems.get(id as usize)?))
    }

    /// The stem analysis gives a folded word (not a synonym's rewriting): the known word's
    /// stem, a stop word's, or the Snowball stem.
    pub fn stem_of(&self, word: &str) -> String {
        match self.known_stem(word) {
            Some(stem) => stem.to_string(),
            None => match self.stop.get(word) {
                Some(stem) => stem.clone(),
                None => self.stem(word),
            },
        }
    }

    /// Whether a synonym rule starts with the stem `stem` (a text with none of them is
    /// never rewritten).
    pub fn starts_synonym(&self, stem: &str) -> bool {
        self.synonyms.contains_key(stem)
    }

    /// Gives back the room the vocabulary's buffers grew beyond their content.
    pub fn shrink_to_fit(&mut self) {
        self.words.shrink_to_fit();
        self.word_stems.shrink_to_fit();
        self.stems.shrink_to_fit();
    }

    fn typos(&self) -> &Typos {
        self.typos.get_or_init(|| {
            let deletions = DeletionIndex::build(self.words.iter(), edit_budget);
            let long = self
                .words
                .iter()
                .enumerate()
                .filter(|(_, w)| w.chars().count() > MAX_WORD_CHARS)
                .map(|(i, _)| i as u32)
                .collect();
            Typos { deletions, long }
        })
    }

    /// The learnt vocabulary in learning order, each word with its stem, and the
    /// typo-correction lookup over it (deletion index pairs, long word numbers): everything
    /// [`Analyzer::with_vocabulary`] needs to restore this analyzer.
    pub fn vocabulary(&self) -> Vocabulary<'_> {
        let typos = self.typos();
        Vocabulary {
            words: &self.words,
            word_stems: &self.word_stems,
            stems: &self.stems,
            deletions: typos.deletions.entries(),
            long: &typos.long,
        }
    }

    /// An analyzer with `synonym_groups` (as [`Analyzer::new`]) and the vocabulary
    /// [`Analyzer::vocabulary`] gave, without learning or indexing anything again. `None`
    /// when the parts do not fit together (stem numbers or word numbers out of range, an
    /// unsorted deletion index).
    pub fn with_vocabulary(
        synonym_groups: &[Vec<String>],
        words: Strings,
        word_stems: Vec<u32>,
        stems: Strings,
        deletions: Vec<(u32, u32)>,
        long: Vec<u32>,
    ) -> Option<Self> {
        let mut analyzer = Self::new(synonym_groups);
        let n = words.len();
        let deletions = DeletionIndex::from_entries(deletions, n)?;
        if long.iter().any(|&id| id as usize >= n)
            || word_stems.len() != n
            || word_stems.iter().any(|&s| s as usize >= stems.len())
        {
            return None;
        }
        analyzer.words = words;
        analyzer.word_stems = word_stems;
        analyzer.stems = stems;
        analyzer.typos = OnceLock::from(Typos { deletions, long });
        Some(analyzer)
    }

    /// Builds the typo-correction lookup now rather than on the first correction.
    pub fn prepare(&self) {
        self.typos();
    }

    /// Whether a folded word is known to the vocabulary.
    pub fn knows(&self, word: &str) -> bool {
        self.words.get(word).is_some()
    }

    /// Whether a folded word is a stop word (carries no topic).
    pub fn is_stop(&self, word: &str) -> bool {
        self.stop.contains_key(word)
    }

    pub fn stem(&self, word: &str) -> String {
        // "taken" and "took" as "take": Snowball removes regular endings only
        let word = super::irregular::base_form(word).unwrap_or(word);
        // "FPTs", "CCTs", "PDFs": Snowball keeps the "s" of a word with no vowel before it
        // (and of "ESs", which ends in "ss"); an acronym the base knows, with an "s" the base
        // does not write, is that acronym (a two-letter one, which is too short to learn,
        // when a synonym group has it)
        if let Some(acronym) = word
            .strip_suffix('s')
            .filter(|a| a.chars().all(|c| c.is_ascii_alphanumeric()) && !self.knows(word))
            .filter(|a| {
                (a.len() >= 2 && !a.contains(['a', 'e', 'i', 'o', 'u', 'y']) && self.knows(a))
                    || (a.len() == 2 && self.synonyms.contains_key(*a))
            })
        {
            return self.stemmer.stem(acronym).into_owned();
        }
        // Snowball takes "-ence" off "evidence" and "experience" ("evid", "experi") but only
        // "-ed" or "-ing" off "evidenced", "experiencing" ("evidenc", "experienc"): an
        // inflection of a word ending in "-nce" is stemmed as that word
        if let Some(base) = word
            .strip_suffix("nced")
            .or_else(|| word.strip_suffix("ncing"))
            .filter(|b| b.len() >= 3)
        {
            return self.stemmer.stem(&format!("{base}nce")).into_owned();
        }
        // Snowball takes "-ality" back to the adjective ("speciality" → "special", "reality"
        // → "real", "personality" → "person"), so "what is special about FPT?" would name the
        // specialty: a noun in "-ality" keeps an ending of its own ("specialiti"), as
        // "quality" ("qualiti") already does
        if let Some(base) = word
            .strip_suffix("ality")
            .or_else(|| word.strip_suffix("alities"))
            .filter(|b| b.len() >= 2)
        {
            let mut stem = self.stemmer.stem(&format!("{base}al")).into_owned();
            stem.push_str("iti");
            return stem;
        }
        self.stemmer.stem(word).into_owned()
    }

    /// The base's acronym that the folded `word`, unknown to the base, is a slip of (two
    /// letters after the first swapped: "ftp" for "fpt"; see
    /// [`super::acronyms::Acronyms::transposed`]), when the base knows that acronym. Taken
    /// even where the dictionary knows the slip as a word of its own, as it knows "ftp"; the
    /// enquiry's text is put right before it is read (`Triage`), where the writing shows
    /// whether the word was meant ("FtP", "fitness to practise (FTP)").
    pub fn transposed_acronym(&self, word: &str) -> Option<&str> {
        // (the acronyms first: a short list, where the vocabulary is a hash look-up)
        self.acronyms
            .transposed(word)
            .filter(|acronym| !self.knows(word) && self.knows(acronym))
    }

    /// [`Analyzer::transposed_acronym`] by its first definition (each swap looked up:
    /// [`super::acronyms::Acronyms::transposed_by_search`]), the oracle of its tests.
    #[cfg(test)]
    pub(crate) fn transposed_acronym_by_search(&self, word: &str) -> Option<&str> {
        self.acronyms
            .transposed_by_search(word)
            .filter(|acronym| !self.knows(word) && self.knows(acronym))
    }

    /// Whether `word` (ASCII letters in any case, or any bytes) can be a slip of one of the
    /// base's acronyms by its length and first letter
    /// ([`super::acronyms::Acronyms::may_be_slip`]): false for most words, which
    /// [`Analyzer::transposed_acronym`] would turn away.
    pub fn may_be_acronym_slip(&self, word: &[u8]) -> bool {
        self.acronyms.may_be_slip(word)
    }

    /// Whether a folded word is known to the base or is a real word of the language (the
    /// dictionary, when one is set): such a word is never corrected into another.
    pub fn is_real_word(&self, word: &str) -> bool {
        self.knows(word) || self.dictionary.as_ref().is_some_and(|real| real(word))
    }

    /// The one known word or stop word that `word`, of three or four letters, is a slip of:
    /// two neighbouring letters after the first swapped ("mnay" → "many", "tiem" → "time",
    /// "waht" → "what"). A word
    /// this short is not corrected by edit distance (one edit away it has many neighbours), but
    /// a swap keeps every letter and the first, as quick typing on a phone slips. `None` when
    /// no swap is a known word, or more than one is.
    fn short_slip(&self, word: &str) -> Option<&str> {
        let chars: Vec<char> = word.chars().collect();
        if !(3..=4).contains(&chars.len()) || !chars.iter().all(|c| c.is_alphabetic()) {
            return None;
        }
        let mut found: Option<&str> = None;
        let mut swapped = String::with_capacity(word.len());
        for i in 1..chars.len() - 1 {
            if chars[i] == chars[i + 1] {
                continue;
            }
            swapped.clear();
            for (j, c) in chars.iter().enumerate() {
                swapped.push(if j == i {
                    chars[i + 1]
                } else if j == i + 1 {
                    chars[i]
                } else {
                    *c
                });
            }
            // a known word, or a stop word ("waht" → "what"), which the base may never write
            let known = match self.words.get(&swapped) {
                Some(id) => Some(self.words.get_str(id)),
                None => STOP_WORDS.iter().copied().find(|w| *w == swapped),
            };
            if let Some(word) = known {
                if found.is_some_and(|f| f != word) {
                    return None;
                }
                found = Some(word);
            }
        }
        found
    }

    /// The closest known word within the edit budget of `word`'s length (Damerau-Levenshtein
    /// distance, [`super::edit_distance::within`]: `strsim`'s distance, without allocating),
    /// if exactly one is closest. The candidate must start with the same letter and its own
    /// length's budget must allow the distance too. A word of three or four letters is
    /// corrected only as a slip of two neighbouring letters ([`Self::short_slip`]); shorter
    /// ones never. Cost: a bounded number of index lookups (see [`super::typos`]), not a scan
    /// of the vocabulary.
    pub fn correct(&self, word: &str) -> Option<&str> {
        let len = word.chars().count();
        let budget = edit_budget(len);
        if word.chars().any(|c| c.is_ascii_digit())
            || super::informal::is_number_word(word)
            || self.is_real_word(word)
        {
            return None;
        }
        if budget == 0 {
            return self.short_slip(word);
        }
        let first = word.chars().next()?;
        let typos = self.typos();
        let mut best: Option<(&str, usize, Option<u32>)> = None;
        let mut tie = false;
        // (only candidates starting with `first` are kept below: the lookups that keep it
        // find every one of them within the budget)
        let ids = typos.deletions.candidates_keeping_first(word, budget);
        for &id in ids.iter().chain(&typos.long) {
            if id as usize >= self.words.len() {
                continue;
            }
            let candidate = self.words.get_str(id);
            let l = candidate.chars().count();
            // Misspellings rarely change the first letter; requiring it avoids turning one
            // real word into another.
            if l + budget < len || l > len + budget || !candidate.starts_with(first) {
                continue;
            }
            // (`None` beyond `budget`, which `budget.min(…)` never exceeds: the same
            // candidates kept with the same distances as the full distance gave)
            let Some(d) = super::edit_distance::within(word, candidate, budget) else {
                continue;
            };
            if d > budget.min(edit_budget(l)) {
                continue;
            }
            // two words at the same distance are a tie unless they share a stem and the
            // word is long ("protectd": "protect" and "protected" are one correction; the
            // shorter, then the first in byte order, is taken, whatever order they were
            // found in; a short word's "chars" is not "chart"/"charts")
            let stem = self.word_stems.get(id as usize).copied();
            match best {
                Some((_, bd, _)) if d > bd => {}
                Some((b, bd, best_stem)) if d == bd => {
                    if stem != best_stem || len < SAME_STEM_TIE_MIN_CHARS {
                        tie = true;
                    } else if (candidate.len(), candidate) < (b.len(), b) {
                        best = Some((candidate, d, stem));
                    }
                }
                _ => {
                    best = Some((candidate, d, stem));
                    tie = false;
                }
            }
        }
        match best {
            Some((w, _, _)) if !tie => Some(w),
            _ => None,
        }
    }

    /// Words of the language beyond the base's vocabulary that typo correction leaves as
    /// written (the embedding model's whole-word vocabulary); `None`: every word unknown to
    /// the base may be corrected.
    pub fn set_dictionary(&mut self, dictionary: Option<Dictionary>) {
        self.dictionary = dictionary;
    }

    /// Analyses text: tokens, typo correction (when `correct_typos`), stems, stop words and
    /// synonym rewriting.
    pub fn analyze(&self, text: &str, correct_typos: bool) -> Vec<Token> {
        self.analyze_words(tokenize(text), correct_typos)
    }

    /// [`Analyzer::analyze`]`(text, true)`, each word's own analysis (stop word, correction,
    /// stem) taken from `memo` when it holds the word, and put there when not: the same
    /// tokens either way.
    pub fn analyze_remembering(&self, text: &str, memo: Option<&mut WordMemo>) -> Vec<Token> {
        self.analyze_words_noting(tokenize(text), true, memo).0
    }

    /// [`Analyzer::analyze_remembering`], and whether it left every word as written (no word
    /// corrected, no two joined): then [`Analyzer::analyze`]`(text, false)` gives the same
    /// tokens (each word's stop flag and stem are those of the word as written, and stop
    /// phrases and synonyms are read off the same words and stems).
    pub fn analyze_remembering_noting(
        &self,
        text: &str,
        memo: Option<&mut WordMemo>,
    ) -> (Vec<Token>, bool) {
        self.analyze_words_noting(tokenize(text), true, memo)
    }

    /// [`Analyzer::analyze`]`(text, false)` (no typo correction), each word's own analysis
    /// taken from `memo` when it holds the word uncorrected: a word the corrected analysis left
    /// as written has the same stop flag and stem without correction. Other words are analysed
    /// afresh and not remembered (the memo holds corrected analyses only). The same tokens
    /// either way.
    pub fn analyze_uncorrected_remembering(
        &self,
        text: &str,
        memo: Option<&WordMemo>,
    ) -> Vec<Token> {
        let words = tokenize(text);
        let mut tokens: Vec<Token> = Vec::with_capacity(words.len());
        for word in words {
            let known = memo
                .and_then(|m| m.words.get(word.as_str()))
                .filter(|known| known.corrected.is_none());
            tokens.push(match known {
                Some(known) => Token {
                    stop: known.stop,
                    stem: Rc::clone(&known.stem),
                    surface: word,
                    corrected_from: None,
                },
                None => self.analyze_word(word, false),
            });
        }
        mark_stop_phrases(&mut tokens);
        self.rewrite_synonyms(tokens)
    }

    /// [`Analyzer::analyze`] of text already split by [`tokenize`].
    pub fn analyze_words(&self, words: Vec<String>, correct_typos: bool) -> Vec<Token> {
        self.analyze_words_with(words, correct_typos, None)
    }

    /// One word's analysis on its own (see [`Analyzer::analyze_words_with`]).
    ///
    /// The vocabulary is asked about `word` once: a word it knows is never corrected
    /// ([`Analyzer::correct`] leaves a real word alone) and has its known stem; a word it
    /// does not know has none, and a correction (a known word) has its own.
    fn analyze_word(&self, word: String, correct_typos: bool) -> Token {
        let stop_stem = self.stop.get(word.as_str());
        let stop = stop_stem.is_some();
        let known = self.known_stem(&word);
        let (surface, corrected_from, known) = if known.is_some() || !correct_typos || stop {
            (word, None, known)
        } else {
            match self.correct(&word) {
                Some(fixed) => (fixed.to_string(), Some(word), self.known_stem(fixed)),
                None => (word, None, None),
            }
        };
        // (a stop word is never corrected, so `surface` is `word` when `stop_stem` is set; a
        // slip corrected into a stop word, "waht" → "what", is one)
        let stop_stem = match corrected_from {
            Some(_) => self.stop.get(surface.as_str()),
            None => stop_stem,
        };
        let stop = stop_stem.is_some();
        let stem: Rc<str> = match (known, stop_stem) {
            (Some(stem), _) => Rc::from(stem),
            (None, Some(stem)) => Rc::from(stem.as_str()),
            (None, None) => Rc::from(self.stem(&surface)),
        };
        Token {
            stop,
            surface,
            stem,
            corrected_from,
        }
    }

    /// [`Analyzer::analyze_words`], each word's own analysis through `memo` when given (typo
    /// correction on only: the memo holds corrected analyses).
    fn analyze_words_with(
        &self,
        words: Vec<String>,
        correct_typos: bool,
        memo: Option<&mut WordMemo>,
    ) -> Vec<Token> {
        self.analyze_words_noting(words, correct_typos, memo).0
    }

    /// [`Analyzer::analyze_words_with`], and whether every word was left as written (no
    /// word corrected, no two joined; see [`Analyzer::analyze_remembering_noting`]).
    fn analyze_words_noting(
        &self,
        words: Vec<String>,
        correct_typos: bool,
        mut memo: Option<&mut WordMemo>,
    ) -> (Vec<Token>, bool) {
        let mut tokens: Vec<Token> = Vec::with_capacity(words.len());
        let mut words = words.into_iter().peekable();
        // the two words joined, reused from pair to pair
        let mut joined = String::new();
        while let Some(word) = words.next() {
            // a compound written in two ("git hub", "e mail", "drop box"): joined when the
            // base knows the joined word and not both halves (split-word correction)
            if correct_typos
                && words
                    .peek()
                    .is_some_and(|next| self.joins(&word, next, &mut joined))
            {
                let joined = joined.clone();
                let from = format!("{word} {}", words.next().unwrap_or_default());
                let stem = self.known_stem(&joined).map(Rc::from).unwrap_or_default();
                tokens.push(Token {
                    stop: false,
                    surface: joined,
                    stem,
                    corrected_from: Some(from),
                });
                continue;
            }
            let token = match memo.as_deref_mut().filter(|_| correct_typos) {
                Some(memo) => match memo.words.get(word.as_str()) {
                    Some(known) => {
                        let (surface, corrected_from) = match &known.corrected {
                            Some(fixed) => (fixed.clone(), Some(word)),
                            None => (word, None),
                        };
                        Token {
                            stop: known.stop,
                            stem: Rc::clone(&known.stem),
                            surface,
                            corrected_from,
                        }
                    }
                    None => {
                        let key = (memo.words.len() < MAX_MEMO_WORDS).then(|| word.clone());
                        let token = self.analyze_word(word, true);
                        if let Some(key) = key {
                            let analysis = WordAnalysis {
                                stop: token.stop,
                                corrected: token
                                    .corrected_from
                                    .is_some()
                                    .then(|| token.surface.clone()),
                                stem: Rc::clone(&token.stem),
                            };
                            memo.words.insert(key, analysis);
                        }
                        token
                    }
                },
                None => self.analyze_word(word, correct_typos),
            };
            tokens.push(token);
        }
        // (before synonyms: a rewritten variant keeps only its first word's correction)
        let as_written = tokens.iter().all(|t| t.corrected_from.is_none());
        mark_stop_phrases(&mut tokens);
        (self.rewrite_synonyms(tokens), as_written)
    }

    /// Whether `first` and `second` are written as one word (left in `joined`): when the base
    /// knows that word (not a stop word), does not know both halves as words, and neither half
    /// is a stop word ("on line", "in to" stay apart).
    fn joins(&self, first: &str, second: &str, joined: &mut String) -> bool {
        if first.is_empty()
            || second.len() < 2
            || self.stop.contains_key(first)
            || self.stop.contains_key(second)
            || (self.knows(first) && self.knows(second))
        {
            return false;
        }
        joined.clear();
        joined.push_str(first);
        joined.push_str(second);
        self.knows(joined) && !self.stop.contains_key(joined.as_str())
    }

    /// `tokens` with every synonym group's variant rewritten to its canonical tokens (the
    /// longest variant starting at a token first). Most texts hold none: their tokens come
    /// back as they are, with no second vector.
    fn rewrite_synonyms(&self, mut tokens: Vec<Token>) -> Vec<Token> {
        if self.synonyms.is_empty() {
            return tokens;
        }
        // (the tokens before the first variant are moved as they are, as the loop below
        // would move them one by one)
        let Some(first) = (0..tokens.len()).find(|&i| self.rule_at(&tokens, i).is_some()) else {
            return tokens;
        };
        let mut out = Vec::with_capacity(tokens.len());
        out.extend(tokens.drain(..first));
        // the tokens not yet read, moved out one at a time (no empty token left in their
        // place): a rule is looked for at the first of them, as `rule_at(&tokens, i)` looks at
        // `tokens[i..]`
        let mut rest = tokens.into_iter();
        while !rest.as_slice().is_empty() {
            match self.rule_at(rest.as_slice(), 0) {
                Some(rule) => {
                    let corrected_from = rest
                        .as_slice()
                        .first()
                        .and_then(|t| t.corrected_from.clone());
                    for (surface, stem) in &rule.canonical {
                        out.push(Token {
                            stop: self.stop.contains_key(surface.as_str()),
                            surface: surface.clone(),
                            stem: Rc::from(stem.as_str()),
                            corrected_from: corrected_from.clone(),
                        });
                    }
                    // the variant's tokens, read: dropped (a variant has at least one word)
                    rest.nth(rule.variant.len().saturating_sub(1));
                }
                None => out.extend(rest.next()),
            }
        }
        out
    }

    /// The synonym rule whose variant starts at `tokens[i]` (the longest first), if any.
    fn rule_at(&self, tokens: &[Token], i: usize) -> Option<&SynonymRule> {
        let rules = self.synonyms.get(&*tokens.get(i)?.stem)?;
        rules.iter().find(|r| {
            i + r.variant.len() <= tokens.len()
                && r.variant
                    .iter()
                    .zip(&tokens[i..])
                    .all(|(v, t)| **v == *t.stem)
        })
    }
}

/// Marks every word of a [`STOP_PHRASES`] sequence as a stop word.
fn mark_stop_phrases(tokens: &mut [Token]) {
    let mut marks = Vec::new();
    for i in 0..tokens.len() {
        // most words start no phrase: one test of the word instead of one per phrase
        if !starts_stop_phrase(&tokens[i].surface) {
            continue;
        }
        // (only the phrases this word starts: "in" starts thirty, most words one or two)
        let Some(phrases) = stop_phrases_by_first_word().get(tokens[i].surface.as_str()) else {
            continue;
        };
        for phrase in phrases {
            let end = i + phrase.len();
            if end <= tokens.len()
                && phrase
                    .iter()
                    .enumerate()
                    .all(|(k, p)| tokens[i + k].surface == *p)
            {
                marks.extend(i..end);
            }
        }
    }
    for i in marks {
        tokens[i].stop = true;
    }
}

/// [`STOP_PHRASES`] grouped by their first word, each group in the list's order.
fn stop_phrases_by_first_word() -> &'static FxHashMap<&'static str, Vec<&'static [&'static str]>> {
    static BY_FIRST: OnceLock<FxHashMap<&'static str, Vec<&'static [&'static str]>>> =
        OnceLock::new();
    BY_FIRST.get_or_init(|| {
        let mut by_first: FxHashMap<&'static str, Vec<&'static [&'static str]>> =
            FxHashMap::default();
        for &phrase in STOP_PHRASES {
            if let Some(&first) = phrase.first() {
                by_first.entry(first).or_default().push(phrase);
            }
        }
        by_first
    })
}

/// Whether `word` is the first word of a [`STOP_PHRASES`] sequence (no word elsewhere in a
/// text starts one).
pub fn starts_stop_phrase(word: &str) -> bool {
    // the first words of `STOP_PHRASES` (a test checks the two agree)
    matches!(
        word,
        "these"
            | "at"
            | "right"
            | "by"
            | "out"
            | "as"
            | "in"
            | "to"
            | "is"
            | "point"
            | "official"
            | "supposed"
            | "when"
            | "down"
            | "after"
            | "before"
            | "during"
            | "pass"
            | "ahead"
            | "where"
            | "how"
            | "for"
            | "start"
            | "comparing"
            | "compared"
            | "compare"
            | "request"
            | "inform"
            | "with"
            | "on"
            | "day"
            | "correct"
            | "am"
            | "one"
            | "short"
            | "quick"
            | "i"
            | "aimed"
            | "meant"
    )
}

/// The stop-phrase marking of [`Analyzer::analyze`] over `n` words, told by `is(i, w)`
/// whether word `i` is `w`: calls `mark(i)` for every word of a [`STOP_PHRASES`] sequence
/// (a word may be marked more than once).
pub fn mark_stop_phrases_by(
    n: usize,
    is: impl Fn(usize, &str) -> bool,
    mut mark: impl FnMut(usize),
) {
    for i in 0..n {
        for phrase in STOP_PHRASES {
            let end = i + phrase.len();
            if end <= n && phrase.iter().enumerate().all(|(k, p)| is(i + k, p)) {
                (i..end).for_each(&mut mark);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_phrases_start_with_exactly_the_listed_first_words() {
        let firsts: std::collections::HashSet<&str> = STOP_PHRASES
            .iter()
            .filter_map(|p| p.first().copied())
            .collect();
        for w in &firsts {
            assert!(starts_stop_phrase(w), "{w}");
        }
        for w in ["the", "moment", "is", "isn", "a", "", "these"] {
            assert_eq!(starts_stop_phrase(w), firsts.contains(w), "{w}");
        }
    }

    #[test]
    fn how_briefly_something_is_to_be_said_is_no_topic() {
        let a = Analyzer::default();
        let topic = |text: &str| -> Vec<String> {
            a.analyze(text, false)
                .into_iter()
                .filter(|t| !t.stop)
                .map(|t| t.surface)
                .collect()
        };
        assert_eq!(topic("explain fpt in one line"), ["explain", "fpt"]);
        assert_eq!(topic("the aims in a nutshell"), ["aims"]);
        // a line that is something else is a topic
        assert_eq!(topic("is there a phone line"), ["phone", "line"]);
    }

    #[test]
    fn an_acronym_with_an_s_is_the_acronym() {
        let mut a = Analyzer::new(&[vec!["fpt".into(), "flexible portfolio training".into()]]);
        a.learn("the nhs and its pdf");
        assert_eq!(a.stem("fpts"), a.stem("fpt"));
        assert_eq!(a.stem("pdfs"), a.stem("pdf"));
        // a word the base writes with its "s" stays so, and so does one it does not know
        assert_eq!(a.stem("nhs"), "nhs");
        assert_eq!(a.stem("ccts"), "ccts");
        // a two-letter acronym of a synonym group too ("ESs")
        let a = Analyzer::new(&[vec!["supervisor".into(), "es".into()]]);
        assert_eq!(a.stem("ess"), a.stem("es"));
    }

    #[test]
    fn fold_removes_accents_case_and_curly_quotes() {
        assert_eq!(fold("Café Ürban’s “FPT”"), "cafe urban's \"fpt\"");
    }

    #[test]
    fn ascii_runs_give_the_words_folded_characters_give() {
        let by_chars = |text: &str| {
            let mut out = Vec::new();
            let _ = tokens_of(text.bytes().map(fold_ascii), |w| {
                out.push(w.to_owned());
                ControlFlow::<()>::Continue(())
            });
            out
        };
        let by_runs = |text: &str| {
            let mut out = Vec::new();
            let _ = ascii_tokens_of(text, |w| {
                out.push(w.to_owned());
                ControlFlow::<()>::Continue(())
            });
            out
        };
        let pieces = [
            "a", "B", "she", "She", "we", "'", "`", "'s", "'d", "x", "7", "%", " ", "  ", ".", "?",
            "-", "wot", "R", "2day", "O'Neill", "they're", "u", "who", "'tis", "''",
        ];
        let mut next = crate::text::xorshift(0x2545_f491_u32);
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..next() % 9 {
                text.push_str(pieces[next() % pieces.len()]);
            }
            assert_eq!(by_runs(&text), by_chars(&text), "{text:?}");
        }
        let every_ascii: String = (0u8..128).map(char::from).collect();
        assert_eq!(by_runs(&every_ascii), by_chars(&every_ascii));
        // a reader that stops is stopped at the same word
        let mut seen = Vec::new();
        let flow = ascii_tokens_of("Wot r the pathways? I'd like 2", |w| {
            seen.push(w.to_owned());
            if w == "the" {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert!(flow.is_break());
        assert_eq!(seen, ["what", "are", "the"]);
    }

    #[test]
    fn words_handed_one_at_a_time_are_the_tokens() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "Café Ürban’s “FPT” — 20% of O'Neill's ﬁrst ½ day, wot r u doin 2day?",
            "e\u{301}tude ΣΊΣΥΦΟΣ İstanbul ß '' 'x' x' 'tis `quoted`",
            "she'd heard we’ll lose it; they're sure who's",
            "",
            "   %%% ",
        ] {
            let mut words = Vec::new();
            let flow: ControlFlow<()> = for_each_token(text, |w| {
                words.push(w.to_string());
                ControlFlow::Continue(())
            });
            assert!(flow.is_continue());
            assert_eq!(words, tokenize(text), "{text}");
            assert_eq!(folded_chars(text).collect::<String>(), fold(text), "{text}");
        }
        // stopping early hands nothing more
        let mut seen = 0;
        let flow = for_each_token("one two three", |w| {
            seen += 1;
            if w == "two" {
                ControlFlow::Break(w.len())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!((flow, seen), (ControlFlow::Break(3), 2));
    }

    #[test]
    fn ascii_text_folds_as_the_unicode_path_does() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        let text = format!("{every_ascii} Addenbrooke`s QE Hospital, ST3 20% O'Neill");
        assert_eq!(fold(&text), fold_unicode(&text));
    }

    #[test]
    fn hedges_and_time_fillers_carry_no_topic() {
        let a = Analyzer::default();
        let content = |t: &str| -> Vec<String> {
            a.analyze(t, false)
                .into_iter()
                .filter(|t| !t.stop)
                .map(|t| t.surface)
                .collect()
        };
        assert_eq!(
            content("who actually runs FPT these days"),
            ["who", "runs", "fpt"]
        );
        assert_eq!(
            content("how many days a week"),
            ["how", "many", "days", "week"]
        );
        assert_eq!(content("at the moment is it open"), ["open"]);
        assert_eq!(
            content("one day a week, is that right"),
            ["one", "day", "week"]
        );
        assert_eq!(
            content("correct me if I'm wrong but fpt is registrar level only"),
            ["fpt", "registrar", "level", "only"]
        );
        assert_eq!(
            content("am i right that there's a real document for each pathway"),
            ["document", "pathway"]
        );
        // idioms that frame the question: no place is asked about here
        assert_eq!(
            content("why was FPT set up in the first place"),
            ["why", "fpt", "set", "up"]
        );
        assert_eq!(content("in a nutshell what is FPT"), ["fpt"]);
        assert_eq!(
            content("I humbly request you to kindly inform me the pathways"),
            ["pathways"]
        );
        assert_eq!(content("I have two doubts regarding FPT"), ["two", "fpt"]);
        assert_eq!(
            content("who manages FPT on a day-to-day basis"),
            ["who", "manages", "fpt"]
        );
        assert_eq!(content("what is fpt in simple words pls"), ["fpt"]);
        assert_eq!(content("in plain english what is FPT"), ["fpt"]);
        assert_eq!(content("someone mentioned fpt at handover"), ["fpt"]);
        assert_eq!(
            content("how do I apply when the time comes"),
            ["how", "apply"]
        );
        // "place" alone is still a word
        assert_eq!(content("a place on the scheme"), ["place", "scheme"]);
    }

    #[test]
    fn tokenize_handles_apostrophes_and_percent() {
        assert_eq!(
            tokenize("Addenbrooke’s: 20% time!"),
            vec!["addenbrooke", "20", "percent", "time"]
        );
        assert_eq!(tokenize("St Thomas' — QI?"), vec!["st", "thomas", "qi"]);
        // a pronoun's contraction is the pronoun, not a word of its own ("shed", "well")
        assert_eq!(
            tokenize("she'd heard we'll lose it; they’re sure"),
            vec!["she", "heard", "we", "lose", "it", "they", "sure"]
        );
        assert_eq!(tokenize("it's I'd"), vec!["its", "id"]);
    }

    #[test]
    fn stems_make_inflections_equal() {
        let a = Analyzer::default();
        let stems: Vec<String> = a
            .analyze("capabilities capability", false)
            .into_iter()
            .map(|t| t.stem.to_string())
            .collect();
        assert_eq!(stems[0], stems[1]);
        // Snowball alone gives "evid" and "evidenc", "experi" and "experienc"
        for (a_word, b_word) in [
            ("evidenced", "evidence"),
            ("experienced", "experience"),
            ("experiencing", "experiences"),
            ("balanced", "balance"),
        ] {
            assert_eq!(a.stem(a_word), a.stem(b_word), "{a_word} / {b_word}");
        }
        // Snowball alone makes "speciality" "special" and "reality" "real"
        for (noun, adjective) in [("speciality", "special"), ("reality", "real")] {
            assert_ne!(a.stem(noun), a.stem(adjective), "{noun} / {adjective}");
        }
        assert_eq!(a.stem("specialities"), a.stem("speciality"));
        assert_eq!(a.stem("quality"), "qualiti");
        assert_eq!(a.stem("qualities"), "qualiti");
    }

    #[test]
    fn typos_are_corrected_towards_known_words_only_within_budget() {
        let mut a = Analyzer::default();
        a.learn("quality improvement capabilities separately research");
        assert_eq!(a.correct("improvment"), Some("improvement"));
        assert_eq!(a.correct("capabilites"), Some("capabilities"));
        assert_eq!(a.correct("seperately"), Some("separately"));
        assert_eq!(a.correct("reseach"), Some("research"));
        // two words of one stem at the same distance are one correction, for a long word
        a.learn("protect protected chart charts");
        assert_eq!(a.correct("protectd"), Some("protect"));
        assert_eq!(a.correct("chars"), None);
        // short words are never changed, and far-off words are left alone
        assert_eq!(a.correct("qi"), None);
        assert_eq!(a.correct("banana"), None);
        // a word of three or four letters is corrected only as two neighbouring letters
        // swapped after the first, into the one known word that gives
        a.learn("many time form from how");
        assert_eq!(a.correct("mnay"), Some("many"));
        assert_eq!(a.correct("tiem"), Some("time"));
        assert_eq!(a.correct("hwo"), Some("how"));
        assert_eq!(a.correct("tmie"), Some("time"));
        assert_eq!(a.correct("itme"), None, "the first letter stays");
        assert_eq!(a.correct("tame"), None, "a letter changed is no slip");
        assert_eq!(a.correct("frmo"), Some("from"));
        assert_eq!(a.correct("waht"), Some("what"), "a stop word too");
        a.learn("fomr");
        assert_eq!(a.correct("fomr"), None, "a known word is left alone");
    }

    /// An analyzer that knows a few words and a synonym group, and texts with misspellings,
    /// split words, a stop phrase and the group for the word memo's tests.
    fn memo_fixture() -> (Analyzer, [&'static str; 5]) {
        let mut a = Analyzer::new(&[vec!["quality improvement".into(), "qi".into()]]);
        a.learn("quality improvement capabilities separately research github at the moment");
        let texts = [
            "Is the QI pathway seperately funded, at the moment?",
            "qi capabilites and reseach, git hub at the moment",
            "Capabilites: seperately? Research, research and QI",
            "",
            "improvment improvment banana the the quality improvement",
        ];
        (a, texts)
    }

    #[test]
    fn remembered_word_analyses_give_the_same_tokens() {
        let (a, texts) = memo_fixture();
        let mut memo = WordMemo::default();
        for _ in 0..2 {
            for t in texts {
                assert_eq!(
                    a.analyze_remembering(t, Some(&mut memo)),
                    a.analyze(t, true),
                    "{t}"
                );
                assert_eq!(a.analyze_remembering(t, None), a.analyze(t, true), "{t}");
            }
        }
        assert!(!memo.words.is_empty());
    }

    #[test]
    fn an_analysis_that_corrected_nothing_is_the_uncorrected_one() {
        let (a, texts) = memo_fixture();
        let mut memo = WordMemo::default();
        let more = [
            "Is the QI pathway funded?",
            "quality improvment",
            "quality improvement at the moment",
            "git hub",
        ];
        let mut as_written = 0;
        for t in texts.into_iter().chain(more) {
            for words in [None, Some(&mut memo)] {
                let (tokens, same) = a.analyze_remembering_noting(t, words);
                assert_eq!(tokens, a.analyze(t, true), "{t}");
                if same {
                    as_written += 1;
                    assert_eq!(tokens, a.analyze(t, false), "{t}");
                }
            }
        }
        // ("quality improvment" is rewritten to "qi" only once corrected, its correction
        // lost with the variant's second word: not as written)
        assert!(!a.analyze_remembering_noting("quality improvment", None).1);
        assert!(as_written >= 4);
    }

    #[test]
    fn uncorrected_analyses_read_from_the_memo_give_the_same_tokens() {
        let (a, texts) = memo_fixture();
        let mut memo = WordMemo::default();
        for t in texts {
            assert_eq!(
                a.analyze_uncorrected_remembering(t, None),
                a.analyze(t, false),
                "{t}"
            );
            a.analyze_remembering(t, Some(&mut memo));
            for u in texts {
                assert_eq!(
                    a.analyze_uncorrected_remembering(u, Some(&memo)),
                    a.analyze(u, false),
                    "{u}"
                );
            }
        }
    }

    #[test]
    fn a_compound_written_in_two_is_joined_when_the_base_knows_it() {
        let mut a = Analyzer::default();
        a.learn("strikethrough on github markdown email online line");
        let surfaces = |text: &str| -> Vec<String> {
            a.analyze(text, true)
                .into_iter()
                .map(|t| t.surface)
                .collect()
        };
        assert!(surfaces("cross out text on git hub").contains(&"github".to_string()));
        assert!(surfaces("send an e mail").contains(&"email".to_string()));
        // a stop word is not half of a compound; without correction nothing is joined
        assert!(!surfaces("on line").contains(&"online".to_string()));
        assert!(!a
            .analyze("git hub", false)
            .iter()
            .any(|t| t.surface == "github"));
    }

    /// The scan over length buckets that typo correction used before the deletion index,
    /// kept as the reference the index must agree with.
    fn correct_by_scan<'a>(a: &'a Analyzer, word: &str) -> Option<&'a str> {
        let len = word.chars().count();
        let budget = edit_budget(len);
        if a.knows(word)
            || word.chars().any(|c| c.is_ascii_digit())
            || super::super::informal::is_number_word(word)
        {
            return None;
        }
        if budget == 0 {
            return a.short_slip(word);
        }
        let first = word.chars().next()?;
        let mut best: Option<(&str, usize)> = None;
        let mut tie = false;
        for candidate in a.words.iter() {
            let l = candidate.chars().count();
            if l + budget < len || l > len + budget || !candidate.starts_with(first) {
                continue;
            }
            let d = strsim::damerau_levenshtein(word, candidate);
            if d > budget.min(edit_budget(l)) {
                continue;
            }
            match best {
                Some((_, bd)) if d > bd => {}
                Some((b, bd)) if d == bd => {
                    if a.known_stem(candidate) != a.known_stem(b) || len < SAME_STEM_TIE_MIN_CHARS {
                        tie = true;
                    } else if (candidate.len(), candidate) < (b.len(), b) {
                        best = Some((candidate, d));
                    }
                }
                _ => {
                    best = Some((candidate, d));
                    tie = false;
                }
            }
        }
        match best {
            Some((w, _)) if !tie => Some(w),
            _ => None,
        }
    }

    /// Misspellings of `word`: every single deletion, transposition, doubled letter and
    /// vowel swap, and pairs of them (a deterministic sample), so one- and two-edit typos of
    /// every shape are tried.
    fn misspellings(word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        let mut one = Vec::new();
        for i in 0..chars.len() {
            let mut c = chars.clone();
            c.remove(i);
            one.push(c);
            let mut c = chars.clone();
            c.insert(i, chars[i]);
            one.push(c);
            let mut c = chars.clone();
            c[i] = if "aeiou".contains(chars[i]) { 'y' } else { 'e' };
            one.push(c);
            if i + 1 < chars.len() {
                let mut c = chars.clone();
                c.swap(i, i + 1);
                one.push(c);
            }
        }
        let mut out: Vec<String> = one.iter().map(|c| c.iter().collect()).collect();
        for (k, c) in one.iter().enumerate().step_by(3) {
            let i = (k * 7 + 3) % c.len().max(1);
            let mut c = c.clone();
            if i < c.len() {
                c.remove(i);
            }
            c.insert((k * 5) % (c.len() + 1), 'a');
            out.push(c.iter().collect());
        }
        out
    }

    /// [`Analyzer::analyze_word`] as first written: the vocabulary asked about the word when
    /// correcting it and again for its stem (and, since 7 December 2026, a word corrected into
    /// a stop word is one: "actualy" → "actually", "waht" → "what").
    fn analyze_word_first(a: &Analyzer, word: String, correct_typos: bool) -> Token {
        let stop_stem = a.stop.get(word.as_str());
        let stop = stop_stem.is_some();
        let (surface, corrected_from) = if correct_typos && !stop {
            match a.correct(&word) {
                Some(fixed) => (fixed.to_string(), Some(word)),
                None => (word, None),
            }
        } else {
            (word, None)
        };
        let stop_stem = if corrected_from.is_some() {
            a.stop.get(surface.as_str())
        } else {
            stop_stem
        };
        let stop = stop_stem.is_some();
        let stem: Rc<str> = match (a.known_stem(&surface), stop_stem) {
            (Some(stem), _) => Rc::from(stem),
            (None, Some(stem)) => Rc::from(stem.as_str()),
            (None, None) => Rc::from(a.stem(&surface)),
        };
        Token {
            stop,
            surface,
            stem,
            corrected_from,
        }
    }

    /// `analyze_word` analyses as its first definition, with and without typo correction,
    /// with the shipped base's vocabulary and synonyms: on every word of the enquiry sets'
    /// bodies and subjects, every word of the vocabulary (none of which is corrected) and
    /// misspellings of them.
    #[test]
    fn a_word_is_analysed_as_first_written() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
        let kb = crate::kb::KnowledgeBase::load(&root).expect("faq/ loads");
        let mut a = Analyzer::new(&kb.synonyms);
        for dir in ["entries", "handbook"] {
            for f in std::fs::read_dir(root.join(dir)).expect("faq/ is shipped") {
                let f = f.expect("faq/ entries list").path();
                a.learn(&std::fs::read_to_string(f).expect("faq/ files are text"));
            }
        }
        let vocabulary: Vec<String> = a.words.iter().map(str::to_string).collect();
        let mut words: Vec<String> = crate::text::labelled_texts(&["body", "subject"])
            .iter()
            .flat_map(|t| tokenize(t))
            .collect();
        words.sort();
        words.dedup();
        for word in &vocabulary {
            assert_eq!(a.correct(word), None, "{word:?}");
            words.push(word.clone());
            words.extend(misspellings(word).into_iter().take(3));
        }
        let mut corrected = 0;
        for word in &words {
            for correct_typos in [true, false] {
                let token = a.analyze_word(word.clone(), correct_typos);
                corrected += usize::from(token.corrected_from.is_some());
                assert_eq!(
                    token,
                    analyze_word_first(&a, word.clone(), correct_typos),
                    "{word:?}"
                );
            }
        }
        assert!(corrected > 1_000, "{corrected}");
    }

    /// [`Analyzer::rewrite_synonyms`] as first written: each token read by its index, the ones
    /// kept taken out of the vector (an empty token left in their place).
    fn rewrite_synonyms_by_index(a: &Analyzer, mut tokens: Vec<Token>) -> Vec<Token> {
        if a.synonyms.is_empty() {
            return tokens;
        }
        let Some(first) = (0..tokens.len()).find(|&i| a.rule_at(&tokens, i).is_some()) else {
            return tokens;
        };
        let mut out = Vec::with_capacity(tokens.len());
        out.extend(tokens.drain(..first));
        let mut i = 0;
        while i < tokens.len() {
            match a.rule_at(&tokens, i) {
                Some(rule) => {
                    for (surface, stem) in &rule.canonical {
                        out.push(Token {
                            stop: a.stop.contains_key(surface.as_str()),
                            surface: surface.clone(),
                            stem: Rc::from(stem.as_str()),
                            corrected_from: tokens[i].corrected_from.clone(),
                        });
                    }
                    i += rule.variant.len();
                }
                None => {
                    out.push(std::mem::take(&mut tokens[i]));
                    i += 1;
                }
            }
        }
        out
    }

    /// `rewrite_synonyms` rewrites as its first definition, with the shipped base's synonym
    /// groups: on the words of every body and subject of the enquiry sets, and on 20,000
    /// generated texts of the groups' words (variants back to back, overlapping, cut short,
    /// corrected), filler words between them.
    #[test]
    fn synonyms_rewrite_as_read_by_index() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
        let kb = crate::kb::KnowledgeBase::load(&root).expect("faq/ loads");
        let a = Analyzer::new(&kb.synonyms);
        let tokens_of = |text: &str, corrected: bool| -> Vec<Token> {
            let mut tokens: Vec<Token> = tokenize(text)
                .into_iter()
                .map(|w| {
                    let mut t = a.analyze_word(w, false);
                    if corrected {
                        t.corrected_from = Some(format!("{}x", t.surface));
                    }
                    t
                })
                .collect();
            mark_stop_phrases(&mut tokens);
            tokens
        };
        let mut texts = crate::text::labelled_texts(&["body", "subject"]);
        let mut words: Vec<String> = kb
            .synonyms
            .iter()
            .flatten()
            .flat_map(|t| tokenize(t))
            .collect();
        words.extend(["the", "and", "a", "pathway", "in", "of"].map(String::from));
        let mut next = crate::text::xorshift(0x0051_7e35);
        for _ in 0..20_000 {
            let len = 1 + next() % 10;
            let text: Vec<&str> = (0..len)
                .map(|_| words[next() % words.len()].as_str())
                .collect();
            texts.push(text.join(" "));
        }
        let mut rewritten = 0;
        for (k, text) in texts.iter().enumerate() {
            let tokens = tokens_of(text, k % 3 == 0);
            let expected = rewrite_synonyms_by_index(&a, tokens.clone());
            rewritten += usize::from(expected != tokens);
            assert_eq!(a.rewrite_synonyms(tokens), expected, "{text:?}");
        }
        // both outcomes are exercised: texts rewritten and texts left alone
        assert!(rewritten > 1_000 && rewritten < texts.len(), "{rewritten}");
    }

    #[test]
    fn deletion_index_corrects_exactly_like_the_vocabulary_scan() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
        let mut a = Analyzer::default();
        let mut files = vec![root.join("synonyms.toml"), root.join("regions.toml")];
        for dir in ["entries", "handbook"] {
            for f in std::fs::read_dir(root.join(dir)).expect("faq/ is shipped") {
                files.push(f.expect("faq/ entries list").path());
            }
        }
        for f in files {
            a.learn(&std::fs::read_to_string(f).expect("faq/ files are text"));
        }
        // a few long words, which the deletion index leaves to a scan
        a.learn("pneumonoultramicroscopicsilicovolcanoconiosisx interdisciplinarityish");
        let vocabulary: Vec<String> = a.words.iter().map(str::to_string).collect();
        assert!(
            vocabulary.len() > 500,
            "the shipped base has a real vocabulary"
        );
        let (mut tried, mut corrected) = (0, 0);
        for word in &vocabulary {
            for typo in misspellings(word) {
                let expected = correct_by_scan(&a, &typo);
                assert_eq!(a.correct(&typo), expected, "correcting {typo:?}");
                tried += 1;
                corrected += usize::from(expected.is_some());
            }
        }
        // the list exercises both outcomes: real corrections and words left alone
        assert!(corrected > tried / 10, "{corrected} of {tried} corrected");
        assert!(corrected < tried, "{corrected} of {tried} corrected");
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
            .map(|t| t.stem.to_string())
            .collect();
        assert_eq!(stems, vec!["switch", "medic", "educ", "qualiti", "improv"]);
    }
}
