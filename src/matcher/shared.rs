//! Analyses shared within one triage: the same text (a question matched with its context and
//! then alone, the subject given to each question as context) is analysed, typo correction
//! included, once per triage instead of once per search; so is the kind of answer a question
//! asks for.
//!
//! Active only inside [`shared`], on the calling thread, for the one index it was opened
//! for (the index is borrowed, so unchanged, for as long as the scope lasts); outside it, and
//! for any other index, [`analyze`] analyses afresh. Nothing outlives the scope: no analysis
//! of one enquiry serves another, and results are those of analysing every time.

use std::cell::RefCell;
use std::rc::Rc;

use super::ask::AskKind;
use super::index::Index;
use crate::text::Token;

/// Texts remembered per scope at most (an enquiry of many question parts analyses the rest
/// afresh).
const MAX_TEXTS: usize = 64;

/// The analyses of one scope.
struct Memo {
    /// The index the scope was opened for, by address.
    owner: *const Index,
    /// (text, its analysis with typo correction) in the order first analysed.
    texts: Vec<(String, Rc<[Token]>)>,
    /// (question, the kinds of answer it asks for), likewise.
    asks: Vec<(String, Rc<[AskKind]>)>,
}

thread_local! {
    static MEMO: RefCell<Option<Memo>> = const { RefCell::new(None) };
}

/// Puts back the memo that was active before a scope (none, usually) when the scope ends,
/// even by a panic.
struct Restore(Option<Memo>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        MEMO.with(|m| *m.borrow_mut() = previous);
    }
}

/// Runs `f` with the analyses of `index` shared on this thread.
pub(crate) fn shared<R>(index: &Index, f: impl FnOnce() -> R) -> R {
    let memo = Memo {
        owner: index,
        texts: Vec::new(),
        asks: Vec::new(),
    };
    let _restore = Restore(MEMO.with(|m| m.borrow_mut().replace(memo)));
    f()
}

/// `text` analysed by `index`'s analyzer with typo correction: `analyse()` once per scope and
/// text (see [`shared`]).
pub(crate) fn analyze(
    index: &Index,
    text: &str,
    analyse: impl FnOnce() -> Vec<Token>,
) -> Rc<[Token]> {
    let owner: *const Index = index;
    let found = MEMO.with(|m| {
        m.borrow().as_ref().and_then(|memo| {
            if memo.owner != owner {
                return None;
            }
            memo.texts
                .iter()
                .find(|(t, _)| t == text)
                .map(|(_, tokens)| Rc::clone(tokens))
        })
    });
    if let Some(tokens) = found {
        return tokens;
    }
    let tokens: Rc<[Token]> = analyse().into();
    MEMO.with(|m| {
        if let Some(memo) = m.borrow_mut().as_mut() {
            if memo.owner == owner && memo.texts.len() < MAX_TEXTS {
                memo.texts.push((text.to_string(), Rc::clone(&tokens)));
            }
        }
    });
    tokens
}

/// [`super::ask::ask_kinds`] of `question`, once per scope and question (it depends on the
/// text alone).
pub(crate) fn ask_kinds(question: &str) -> Rc<[AskKind]> {
    let found = MEMO.with(|m| {
        m.borrow().as_ref().and_then(|memo| {
            memo.asks
                .iter()
                .find(|(t, _)| t == question)
                .map(|(_, kinds)| Rc::clone(kinds))
        })
    });
    if let Some(kinds) = found {
        return kinds;
    }
    let kinds: Rc<[AskKind]> = super::ask::ask_kinds(question).into();
    MEMO.with(|m| {
        if let Some(memo) = m.borrow_mut().as_mut() {
            if memo.asks.len() < MAX_TEXTS {
                memo.asks.push((question.to_string(), Rc::clone(&kinds)));
            }
        }
    });
    kinds
}
