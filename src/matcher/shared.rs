//! Analyses shared within one triage: the same text (a question matched with its context and
//! then alone, the subject given to each question as context) is analysed, typo correction
//! included, once per triage instead of once per search (and once without typo correction,
//! for the questions' content words and own words); so are the kinds of answer a question
//! asks for and the years and amounts it states. A question scored with its context leaves
//! here its scores alone, taken before its context's terms were added (its own terms come
//! first, with the same weights), for its search alone.
//!
//! Active only inside [`shared`], on the calling thread, for the one index it was opened
//! for (the index is borrowed, so unchanged, for as long as the scope lasts); outside it, and
//! for any other index, [`analyze`] analyses afresh. Nothing outlives the scope: no analysis
//! of one enquiry serves another, and results are those of analysing every time (an ended
//! scope's tables are emptied and only their room is kept for the next one).

use crate::text::SplitWords;
use std::cell::RefCell;
use std::rc::Rc;

use super::ask::AskKind;
use super::index::{Index, Scores};
use super::quantity::Quantity;
use crate::text::{Token, WordMemo};

/// Texts remembered per scope at most (an enquiry of many question parts analyses the rest
/// afresh).
const MAX_TEXTS: usize = 64;

/// Keys (texts) and what was worked out from each, in the order first worked out.
type Table<T> = Vec<(String, Rc<T>)>;

/// A text's analysis with typo correction.
struct Analysed {
    tokens: Rc<[Token]>,
    /// Whether it left every word as written (no word corrected, no two joined): then the
    /// analysis without typo correction has the same tokens
    /// (`text::Analyzer::analyze_remembering_noting`).
    as_written: bool,
}

/// The analyses of one scope.
struct Memo {
    /// The index the scope was opened for, by address.
    owner: *const Index,
    /// (text, its analysis with typo correction) in the order first analysed.
    texts: Table<Analysed>,
    /// (text, its analysis without typo correction), likewise.
    uncorrected: Table<[Token]>,
    /// (question, the kinds of answer it asks for), likewise.
    asks: Table<[AskKind]>,
    /// (question, what it states), likewise.
    stated: Table<Stated>,
    /// (a question's terms, as `Index::scores` keys them, its lexical scores), likewise.
    scores: Table<Scores>,
    /// Each word's own analysis (typo correction included), shared by every text analysed in
    /// the scope; `None` while a text's analysis has it.
    words: Option<WordMemo>,
}

impl Memo {
    /// Forgets everything the scope worked out, keeping the tables' room for the next scope
    /// on this thread (no growing and rehashing again in every triage).
    fn clear(&mut self) {
        self.owner = std::ptr::null();
        self.texts.clear();
        self.uncorrected.clear();
        self.asks.clear();
        self.stated.clear();
        self.scores.clear();
        if let Some(words) = &mut self.words {
            words.clear();
        }
    }
}

thread_local! {
    static MEMO: RefCell<Option<Memo>> = const { RefCell::new(None) };
    /// The last scope's memo, emptied ([`Memo::clear`]), for the next scope's tables.
    static SPARE: RefCell<Option<Memo>> = const { RefCell::new(None) };
}

/// Puts back the memo that was active before a scope (none, usually) when the scope ends,
/// even by a panic, and keeps the scope's own memo, emptied, for the next scope.
struct Restore(Option<Memo>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        let ended = MEMO.with(|m| std::mem::replace(&mut *m.borrow_mut(), previous));
        if let Some(mut memo) = ended {
            memo.clear();
            SPARE.with(|s| *s.borrow_mut() = Some(memo));
        }
    }
}

/// Runs `f` with the analyses of `index` shared on this thread.
pub(crate) fn shared<R>(index: &Index, f: impl FnOnce() -> R) -> R {
    // an emptied memo of an earlier scope, else a new one: empty either way
    let memo = match SPARE.with(|s| s.borrow_mut().take()) {
        Some(mut memo) => {
            memo.owner = index;
            if memo.words.is_none() {
                memo.words = Some(WordMemo::default());
            }
            memo
        }
        None => Memo {
            owner: index,
            texts: Vec::new(),
            uncorrected: Vec::new(),
            asks: Vec::new(),
            stated: Vec::new(),
            scores: Vec::new(),
            words: Some(WordMemo::default()),
        },
    };
    let _restore = Restore(MEMO.with(|m| m.borrow_mut().replace(memo)));
    f()
}

/// `text` analysed by `index`'s analyzer with typo correction: `analyse(words)` once per scope
/// and text (see [`shared`]), given the scope's [`WordMemo`] for `index`'s analyzer (`None`
/// outside a scope); `analyse` also says whether it left every word as written.
pub(crate) fn analyze(
    index: &Index,
    text: &str,
    analyse: impl FnOnce(Option<&mut WordMemo>) -> (Vec<Token>, bool),
) -> Rc<[Token]> {
    let analysed = memoized(
        index,
        |m| &mut m.texts,
        text,
        || {
            let mut words = take_words(index);
            let (tokens, as_written) = analyse(words.as_mut());
            put_back_words(index, words);
            Rc::new(Analysed {
                tokens: tokens.into(),
                as_written,
            })
        },
    );
    Rc::clone(&analysed.tokens)
}

/// `text` analysed by `index`'s analyzer without typo correction: `analyse(words)` once per
/// scope and text (see [`shared`]), given the scope's [`WordMemo`] for `index`'s analyzer to
/// read (`None` outside a scope, or while a text's analysis has it). The tokens do not depend
/// on what the word memo holds (it only saves work), so remembering them changes nothing.
pub(crate) fn analyze_uncorrected(
    index: &Index,
    text: &str,
    analyse: impl FnOnce(Option<&WordMemo>) -> Vec<Token>,
) -> Rc<[Token]> {
    // a text already analysed with typo correction that corrected nothing has those tokens
    if let Some(analysed) = remembered(index, |m| &mut m.texts, text) {
        if analysed.as_written {
            return Rc::clone(&analysed.tokens);
        }
    }
    memoized(
        index,
        |m| &mut m.uncorrected,
        text,
        || with_words(index, |words| analyse(words).into()),
    )
}

/// `f` given the scope's [`WordMemo`] for `index`'s analyzer to read (`None` outside a scope,
/// or while a text's analysis has it).
fn with_words<R>(index: &Index, f: impl FnOnce(Option<&WordMemo>) -> R) -> R {
    let words = take_words(index);
    let result = f(words.as_ref());
    put_back_words(index, words);
    result
}

/// `f` given the scope's [`WordMemo`] for `index`'s analyzer to read and add to (`None`
/// outside a scope, or while a text's analysis has it).
pub(crate) fn with_words_mut<R>(index: &Index, f: impl FnOnce(Option<&mut WordMemo>) -> R) -> R {
    let mut words = take_words(index);
    let result = f(words.as_mut());
    put_back_words(index, words);
    result
}

/// The scope's [`WordMemo`] for `index`'s analyzer, taken out while it is used (`None` outside
/// a scope, for another index, or while it is already out).
fn take_words(index: &Index) -> Option<WordMemo> {
    let owner: *const Index = index;
    MEMO.with(|m| {
        m.borrow_mut()
            .as_mut()
            .filter(|memo| memo.owner == owner)
            .and_then(|memo| memo.words.take())
    })
}

/// Puts back what [`take_words`] took, when the scope is still `index`'s.
fn put_back_words(index: &Index, words: Option<WordMemo>) {
    let owner: *const Index = index;
    if let Some(words) = words {
        MEMO.with(|m| {
            if let Some(memo) = m.borrow_mut().as_mut().filter(|memo| memo.owner == owner) {
                memo.words = Some(words);
            }
        });
    }
}

/// [`super::ask::ask_kinds`] of `question`, once per scope and question.
pub(crate) fn ask_kinds(index: &Index, question: &str) -> Rc<[AskKind]> {
    memoized(
        index,
        |m| &mut m.asks,
        question,
        || super::ask::ask_kinds(question).into(),
    )
}

/// The kinds of answer a question asks for, with its context: [`ask_kinds`] of the question,
/// plus [`AskKind::Fault`] when a context part reports one and the question is of no kind and
/// does not open with a question word ([`asks_for_a_fact`]), or asks something of a person ("The link to the handbook gives a 404. Could you email me a
/// copy?": the question asks for a way round the fault, which an entry pointing to the
/// handbook does not give).
///
/// A question for whom to speak to about what the context said ("My FPT supervisor has just
/// left and I would like to arrange a replacement. Who do I speak to about this?") asks about
/// that: the context's change, consequence or status of the asker's own case joins the kinds
/// asked, which an entry giving the mailbox does not offer. A question about an amount of
/// time ([`TIME_ASKED`]), whether they may join ([`ALLOWED_TO_JOIN`]) or what it means for
/// them ([`FOR_ME`]), after the asker says they work part time ([`OWN_PART_TIME`]) asks a
/// consequence of their circumstances.
pub(crate) fn asked_with_context(index: &Index, parts: super::Parts<'_>) -> Rc<[AskKind]> {
    let asked = ask_kinds(index, parts.question);
    let mut extra: Vec<AskKind> = Vec::new();
    // ("The link on our intranet is broken. What's the right address to send questions
    // to?" asks for the fact the entry gives, which is the way round: only a question of no
    // kind, or one asking something of a person, takes the fault on)
    if !asked.contains(&AskKind::Fault)
        && ((asked.is_empty() && !asks_for_a_fact(parts.question))
            || super::ask::asks_request(&asked))
        && parts
            .context
            .iter()
            .any(|(t, _)| ask_kinds(index, t).contains(&AskKind::Fault))
    {
        extra.push(AskKind::Fault);
    }
    // "Just following up on my email from last week about FPT in Thames Valley. Any
    // update?": a bare chaser after the sender's own earlier message asks its state
    let chases = BARE_CHASER.is_match(parts.question);
    if chases
        && !asked.contains(&AskKind::Status)
        && (OWN_EARLIER_MESSAGE.is_match(parts.question)
            || parts
                .context
                .iter()
                .any(|(t, _)| OWN_EARLIER_MESSAGE.is_match(t)))
    {
        extra.push(AskKind::Status);
    }
    if chases || WHOM_ABOUT_THIS.is_match(parts.question) {
        for (t, _) in parts.context {
            for k in ask_kinds(index, t).iter() {
                if matches!(k, AskKind::Change | AskKind::Consequence | AskKind::Status)
                    && !asked.contains(k)
                    && !extra.contains(k)
                {
                    extra.push(*k);
                }
            }
        }
    }
    // "I can't work out whether FPT time counts towards my CCT date. Does it?": a bare
    // echo asks what the statement before it wondered, so it asks that statement's kinds of
    // something of a person (a credit, a consequence, a change …)
    if BARE_ECHO.is_match(parts.question) {
        for (t, _) in parts.context {
            for k in ask_kinds(index, t).iter() {
                if super::ask::REQUEST_KINDS.contains(k) && !asked.contains(k) && !extra.contains(k)
                {
                    extra.push(*k);
                }
            }
        }
    }
    // "I work LTFT at 60%. Is the 20% calculated from my 60% or from full time?": a question
    // about time asked by someone who works part time asks what their own circumstances make
    // of the rule, which the entry stating the rule does not say
    // ("I am LTFT 60% at Maidstone. can I do FPT also or not allowed?": whether they may
    // join, asked by someone who works part time, is the same)
    if !asked.contains(&AskKind::Consequence)
        && (asks_about_time(parts.question)
            || ALLOWED_TO_JOIN.is_match(parts.question)
            || FOR_ME.is_match(parts.question))
        && parts.context.iter().any(|(t, _)| works_part_time(t))
    {
        extra.push(AskKind::Consequence);
    }
    // "I've just moved from Newcastle to Bristol. Can I carry on with FPT down here?": whether
    // the scheme goes with the sender on a move is a consequence of their own move
    if !asked.contains(&AskKind::Consequence)
        && !extra.contains(&AskKind::Consequence)
        && asks_after_a_move(parts)
    {
        extra.push(AskKind::Consequence);
    }
    if extra.is_empty() {
        return asked;
    }
    asked.iter().copied().chain(extra).collect()
}

/// Whether a question asks whether the scheme goes on, or goes with the sender, on a move of
/// their own ([`GOES_ON`] in the question, [`MOVES`] in it or its context): "I'm moving
/// deanery next year - does my FPT carry over?".
pub(crate) fn asks_after_a_move(parts: super::Parts<'_>) -> bool {
    GOES_ON.is_match(parts.question)
        && (MOVES.is_match(parts.question) || parts.context.iter().any(|(t, _)| MOVES.is_match(t)))
}

/// Whether `question` opens with a question word ("What is the correct email address …?",
/// "Where can I find …?") or asks whether the thing is somewhere ([`WHETHER_IT_IS_THERE`]):
/// it asks for a fact, which the entry gives however broken the link to it; a request or
/// another yes/no question ("Could you send me a copy?", "Is there another copy?") asks for a
/// way round the fault.
fn asks_for_a_fact(question: &str) -> bool {
    let first = question
        .split_words()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .replace('’', "'");
    matches!(
        first.as_str(),
        "what" | "whats" | "where" | "wheres" | "which" | "who" | "whos" | "when" | "how"
    ) || first.starts_with("what'")
        || first.starts_with("where'")
        || first.starts_with("who'")
        || WHETHER_IT_IS_THERE.is_match(question)
}

/// A yes/no question whether the thing is to be found somewhere: "Is the FPT handbook
/// actually available on the HEE website somewhere?", "are the pathway documents online?"
/// (not "Is there another copy?", which asks for a way round).
static WHETHER_IT_IS_THERE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)^\W*(?:is|are)\s+(?:the|this|that|these|those|it|they)\b[^?]{0,80}?\b(?:available|online|published|on\s+the\s+(?:[a-z]+\s+)?(?:website|site|web|page))\b")
        .expect("whether-it-is-there regex is valid")
});

/// Working part time ([`super::ask::WORKS_PART_TIME`]), in text of any case.
static OWN_PART_TIME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!("(?i){}", super::ask::WORKS_PART_TIME))
        .expect("own part-time regex is valid")
});

/// An alternative the writer weighs, just before where part-time work is named: "weighing up
/// FPT against going LTFT", "FPT or going part time", "instead of switching to LTFT".
static ALTERNATIVE_BEFORE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:against|versus|vs|instead\s+of|rather\s+than|compared\s+(?:to|with)|between\s+(?:[a-z0-9'’-]+\s+){1,4}and|or)\W*$")
        .expect("alternative-before regex is valid")
});

/// Whether `context` says the writer (or the person written about) works part time
/// ([`OWN_PART_TIME`]), and not only as an alternative they weigh ([`ALTERNATIVE_BEFORE`]):
/// "I'm weighing up FPT against going LTFT for a year" says nothing of their own hours.
fn works_part_time(context: &str) -> bool {
    OWN_PART_TIME
        .find_iter(context)
        .any(|m| !ALTERNATIVE_BEFORE.is_match(&context[..m.start()]))
}

/// A move of the sender's own: "I've just moved from Newcastle to Bristol", "transferring
/// from Leeds to Nottingham", "an inter-deanery transfer", "my rotation moves me to".
static MOVES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:i['’]?ve\s+|i\s+have\s+|i['’]?m\s+|i\s+am\s+|we['’]?re\s+|i\s+|we\s+)(?:just\s+|recently\s+)?(?:moved|moving|relocated|relocating|transferred|transferring|rotating|rotate|rotated)\b|\b(?:if|when|once|after|before)\s+(?:i|we)\s+(?:move|relocate|transfer|rotate)\s+(?:(?:from|to)\s+(?-i:[A-Z][a-z]{2,})|(?:to\s+)?(?:another|a\s+new|a\s+different|the\s+new)\s+(?:deanery|region|trust|hospital)|(?:deanery|deaneries|region|regions|trusts?)\b)|\binter[\s-]?(?:deanery|regional)\s+transfer\b|\bIDT\b|\bmoves?\s+me\s+(?:from|to)\b")
        .expect("moves regex is valid")
});

/// Whether the scheme goes on, or goes with the asker: "can I carry on with FPT", "would my
/// FPT transfer with me?", "does it come with me?", "my FPT post comes with me?".
static GOES_ON: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:carry\s+on|continue|keep\s+(?:going|it|my|doing|fpt|the\s+(?:scheme|day|post|place|pathway))|stay\s+on|start\s+(?:(?:the|my|it|fpt|all)\s+)?(?:[\w-]+\s+){0,3}?(?:again|over|from\s+scratch)|re-?apply|apply\s+again|remain\s+on|transfer(?:red)?\s+(?:with|across|over)|carr(?:y|ies|ied)\s+over|(?:come|comes|coming|move|moves|go|goes)\s+with\s+me|follows?\s+me)\b")
        .expect("goes-on regex is valid")
});

/// What something means for the asker in particular: "how would the FPT day work for me?",
/// "what does that mean in my case?".
static FOR_ME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:for\s+me|in\s+my\s+case|for\s+(?:someone|people)\s+like\s+me|appl(?:y|ies)\s+to\s+me)\b")
        .expect("for-me regex is valid")
});

/// Whether the asker may join or stay on the scheme: "can I do FPT also or not allowed?",
/// "could I still apply?", "am I eligible?".
static ALLOWED_TO_JOIN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:(?:can|could|may)\s+(?:i|we|u)\s+(?:still\s+|also\s+|even\s+)?(?:do|apply|join|take\s+part|be\s+on|go\s+on|get\s+on|start)\b|(?:am|are)\s+(?:i|we)\s+(?:still\s+|even\s+)?(?:eligible|allowed|able\s+to\s+(?:do|apply|join))\b|\ballowed\b)")
        .expect("allowed-to-join regex is valid")
});

/// A question about an amount of time: "is it still one full day a week?", "is the 20%
/// calculated from my 60%?".
static TIME_ASKED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:days?|time|hours?|weeks?|weekly|percent|per\s+cent|pro[\s-]?rata|proportion|fraction)\b|\d\s*%")
        .expect("time-asked regex is valid")
});

/// Whether `question` asks about an amount of time ([`TIME_ASKED`]) in a word other than the
/// name of the FPT day itself: "what topics can the fpt day be spent on?" asks about topics.
fn asks_about_time(question: &str) -> bool {
    TIME_ASKED.find_iter(question).any(|m| {
        let before = question[..m.start()].trim_end().as_bytes();
        let names_the_day = |name: &str| {
            before.len() >= name.len()
                && before[before.len() - name.len()..].eq_ignore_ascii_case(name.as_bytes())
        };
        !(m.as_str()
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case("day"))
            && ["fpt", "portfolio", "protected"]
                .into_iter()
                .any(names_the_day))
    })
}

/// "Who do I speak to about this?", "who should I contact regarding that?": whom to ask about
/// what was just said.
static WHOM_ABOUT_THIS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:who|whom)\b[^?.!]{0,40}\b(?:about|regarding|re|with)\s+(?:this|that|it|these|those)\b")
        .expect("whom-about-this regex is valid")
});

/// "Follow-up to the below", "following up on my email below": the sender carrying on their
/// own thread, whose earlier message is quoted below (in [`BARE_CHASER`] before a chaser on
/// the same line, in [`OWN_EARLIER_MESSAGE`] anywhere).
pub(crate) const FOLLOW_UP_TO_THE_BELOW: &str =
    r"follow(?:ing)?[\s-]*up\s+(?:to|on)\s+(?:the|my)\s+(?:(?:e-?mail|message|question)\s+)?below";

/// A question that only echoes the statement before it: "Does it?", "or not?", "is it?",
/// "can I?", "and will it?": what it asks is what that statement wondered.
static BARE_ECHO: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)^\W*(?:(?:and|so|but|or|well)\s+)?(?:(?:does|do|did|is|are|was|were|will|would|can|could|has|have|should)(?:n['’]?t)?\s+(?:it|they|that|this|i|we|he|she|there)(?:\s+not)?(?:\s+or\s+not)?|or\s+not|or\s+no)\W*$")
        .expect("bare-echo regex is valid")
});

/// A question that only chases: "any update?", "any news??", "anything yet?". What it chases
/// is said before it ("Just following up on my email from last week about FPT in Thames
/// Valley. Any update?", or in the same line: "Follow-up to the below: any news?"): the state
/// of the asker's own case, when the context asks after it.
static BARE_CHASER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!(r"(?i)^\W*(?:{FOLLOW_UP_TO_THE_BELOW}\s*[:,.–—-]+\s*)?(?:(?:and|so|but)\s+)?(?:is\s+there\s+)?(?:any|got\s+any)\s+(?:updates?|news|progress|word|joy)(?:\s+(?:yet|at\s+all|please|pls|on\s+(?:this|that|it)))*\W*$|^\W*anything\s+yet\W*$"))
        .expect("bare-chaser regex is valid")
});

/// The sender's own earlier message followed up: "following up on my email from last week",
/// "chasing my earlier message", "I emailed a month ago", "I sent this a couple of weeks ago",
/// "Follow-up to the below".
/// (Alone, "Following up on my earlier email: is FPT running in London?" is a lead-in: only a
/// bare chaser after it asks the message's state.)
static OWN_EARLIER_MESSAGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!(r"(?i)\b{FOLLOW_UP_TO_THE_BELOW}\b|\b(?:follow(?:ing)?\s+up|chas(?:e|ing))\s+(?:up\s+)?(?:on\s+)?my\s+(?:(?:earlier|last|previous|first|original)\s+)?(?:e-?mail|message|enquiry|query|application|question)\b|\bi\s+(?:e-?mailed|sent|wrote|messaged|asked)\b[^.?!]{{0,60}}\b(?:ago|last\s+(?:week|month))\b"))
        .expect("own-earlier-message regex is valid")
});

/// What a question states that every candidate is checked against (its years, amounts, and
/// whether it asks how many of a whole), once per scope and question.
pub(crate) fn stated(
    index: &Index,
    question: &str,
    work_out: impl FnOnce() -> Stated,
) -> Rc<Stated> {
    memoized(index, |m| &mut m.stated, question, || Rc::new(work_out()))
}

/// What [`stated`] keeps of a question.
#[derive(Debug)]
pub(crate) struct Stated {
    pub years: Vec<u16>,
    pub quantities: Vec<Quantity>,
    pub part_of_whole: bool,
    /// The counted noun of a count asked (`quantity::count_asked`).
    pub count_asked: Vec<String>,
    /// The words of a task asked of a person (`ask::task_asked`).
    pub task_asked: Vec<String>,
}

/// Whether a scope is open for `index` on this thread.
pub(crate) fn active(index: &Index) -> bool {
    let owner: *const Index = index;
    MEMO.with(|m| m.borrow().as_ref().is_some_and(|memo| memo.owner == owner))
}

/// The scores remembered under `key` in this scope, if any (shared, not copied).
pub(crate) fn scores(index: &Index, key: &str) -> Option<Rc<Scores>> {
    let owner: *const Index = index;
    MEMO.with(|m| {
        let m = m.borrow();
        let memo = m.as_ref().filter(|memo| memo.owner == owner)?;
        memo.scores
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| Rc::clone(v))
    })
}

/// Remembers `scores` under `key` for the rest of the scope (nothing outside one).
pub(crate) fn remember_scores(index: &Index, key: String, scores: Rc<Scores>) {
    let owner: *const Index = index;
    MEMO.with(|m| {
        if let Some(memo) = m.borrow_mut().as_mut().filter(|memo| memo.owner == owner) {
            if memo.scores.len() < MAX_TEXTS && !memo.scores.iter().any(|(k, _)| *k == key) {
                memo.scores.push((key, scores));
            }
        }
    });
}

/// The value remembered for `key` in the table `table` picks of the scope's memo, if a scope
/// is open for `index` and has worked it out.
fn remembered<T: ?Sized>(
    index: &Index,
    table: fn(&mut Memo) -> &mut Table<T>,
    key: &str,
) -> Option<Rc<T>> {
    let owner: *const Index = index;
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        let memo = m.as_mut().filter(|memo| memo.owner == owner)?;
        table(memo)
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| Rc::clone(v))
    })
}

/// The value for `key` in the table `table` picks of the scope's memo, if a scope is open for
/// `index`, else `compute()` (remembered when a scope is open and the table not full).
fn memoized<T: ?Sized>(
    index: &Index,
    table: fn(&mut Memo) -> &mut Table<T>,
    key: &str,
    compute: impl FnOnce() -> Rc<T>,
) -> Rc<T> {
    if let Some(value) = remembered(index, table, key) {
        return value;
    }
    let owner: *const Index = index;
    let value = compute();
    MEMO.with(|m| {
        if let Some(memo) = m.borrow_mut().as_mut().filter(|memo| memo.owner == owner) {
            let entries = table(memo);
            if entries.len() < MAX_TEXTS {
                entries.push((key.to_string(), Rc::clone(&value)));
            }
        }
    });
    value
}

#[cfg(test)]
mod tests {
    use super::{
        asks_about_time, asks_for_a_fact, works_part_time, ALLOWED_TO_JOIN, BARE_CHASER, GOES_ON,
        MOVES, OWN_EARLIER_MESSAGE,
    };

    #[test]
    fn a_question_word_or_whether_it_is_somewhere_asks_for_a_fact() {
        for fact in [
            "What's the right address to send questions to?",
            "Is the FPT handbook actually available on the HEE website somewhere?",
            "are the pathway documents online?",
        ] {
            assert!(asks_for_a_fact(fact), "{fact}");
        }
        for way_round in ["Could you send me a copy?", "Is there another copy?"] {
            assert!(!asks_for_a_fact(way_round), "{way_round}");
        }
    }

    #[test]
    fn a_bare_chaser_after_the_senders_own_thread() {
        for own in [
            "Follow-up to the below",
            "following up on my email below",
            "Just following up on my email from last week about FPT in Thames Valley.",
        ] {
            assert!(OWN_EARLIER_MESSAGE.is_match(own), "{own}");
        }
        assert!(!OWN_EARLIER_MESSAGE.is_match("See the answer below"));
        assert!(BARE_CHASER.is_match("any news?"));
        assert!(BARE_CHASER.is_match("Follow-up to the below: any news?"));
        assert!(!BARE_CHASER.is_match("Follow-up to the below: any news on the 2024 intake?"));
    }

    #[test]
    fn part_time_weighed_as_an_alternative_is_not_the_writers_own() {
        for weighed in [
            "I'm an ST4 weighing up FPT against going LTFT for a year (burnt out tbh).",
            "Deciding between FPT and going part time.",
            "Should I do FPT or go LTFT?",
        ] {
            assert!(!works_part_time(weighed), "{weighed}");
        }
        for own in [
            "I'm going LTFT in August.",
            "I work LTFT at 60%.",
            // an alternative named before, the writer's own hours after
            "I chose FPT over the ACF. I'm LTFT at 80% since my son was born.",
        ] {
            assert!(works_part_time(own), "{own}");
        }
    }

    #[test]
    fn the_fpt_day_named_is_no_amount_of_time_asked() {
        assert!(!asks_about_time(
            "what topics can the fpt day actually be spent on?"
        ));
        assert!(!asks_about_time("what can my Protected Day be used for"));
        assert!(asks_about_time("is it still one full day a week?"));
        assert!(asks_about_time("is the fpt day 20% of my 60%?"));
        assert!(asks_about_time("how many days is it?"));
    }

    #[test]
    fn whether_one_may_join_is_asked_of_ones_own_case() {
        for q in [
            "can I do FPT also or not allowed?",
            "Could I still apply?",
            "am I eligible?",
        ] {
            assert!(ALLOWED_TO_JOIN.is_match(q), "{q}");
        }
        assert!(!ALLOWED_TO_JOIN.is_match("how long does it last?"));
    }

    #[test]
    fn a_move_of_ones_own_and_the_scheme_going_with_it() {
        for moved in [
            "I've just moved from Newcastle to Bristol for family reasons.",
            "I'm transferring from Leeds to Nottingham via inter-deanery transfer in August.",
            "My rotation moves me from Frimley Park to Wexham Park.",
            "if I move from Sheffield to Bristol, my FPT post comes with me?",
            "I'm doing FPT in Bristol and I rotate to Exeter in August.",
            "I'm transferring via IDT from Birmingham to Nottingham.",
        ] {
            assert!(MOVES.is_match(moved), "{moved}");
        }
        assert!(!MOVES.is_match("Has FPT moved to HEE?"));
        // a move up a grade is no move of place
        assert!(!MOVES.is_match(
            "When I move from ST3 to ST4 in August, does my FPT continue automatically?"
        ));
        for q in [
            "Can I carry on with FPT down here?",
            "Would my FPT transfer with me?",
            "if I move from Sheffield to Bristol, my FPT post comes with me?",
            "Will it carry over, or do I have to start again?",
            "Do I have to start the minimum one year again?",
            "Do I have to reapply for FPT?",
            "Will I be able to keep FPT, given London didn't take part in the pilot?",
        ] {
            assert!(GOES_ON.is_match(q), "{q}");
        }
        assert!(!GOES_ON.is_match("How long is FPT?"));
    }
}
