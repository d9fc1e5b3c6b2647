//! The triage in use, swappable while the service runs (live knowledge-base changes).
//!
//! `LiveTriage` holds an `Arc<Triage>` behind `arc_swap::ArcSwap`: a reader takes the current
//! `Arc` with `current()` and keeps it for the whole enquiry, so an enquiry in flight finishes
//! with the base it started with while a reload swaps in a new one. A reload that failed
//! leaves the base in use and records why (`problem`), for the knowledge-base page.

use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;

use crate::triage::Triage;

/// A shared, atomically swappable handle on the triage in use. Cloning shares the handle.
#[derive(Clone)]
pub struct LiveTriage {
    current: Arc<ArcSwap<Triage>>,
    problem: Arc<Mutex<Option<String>>>,
}

impl std::fmt::Debug for LiveTriage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveTriage")
            .field("entries", &self.current().kb.entries.len())
            .finish()
    }
}

impl LiveTriage {
    pub fn new(triage: Arc<Triage>) -> Self {
        LiveTriage {
            current: Arc::new(ArcSwap::new(triage)),
            problem: Arc::new(Mutex::new(None)),
        }
    }

    /// The triage in use now; keep it for the whole of one enquiry.
    pub fn current(&self) -> Arc<Triage> {
        self.current.load_full()
    }

    /// Puts `triage` in use (enquiries already started keep theirs) and clears the problem.
    pub fn swap(&self, triage: Arc<Triage>) {
        self.current.store(triage);
        self.set_problem(None);
    }

    /// Why the last reload was refused (the old base stayed in use), or `None`.
    pub fn problem(&self) -> Option<String> {
        self.problem.lock().map(|p| p.clone()).unwrap_or(None)
    }

    pub fn set_problem(&self, problem: Option<String>) {
        if let Ok(mut p) = self.problem.lock() {
            *p = problem;
        }
    }
}

impl From<Arc<Triage>> for LiveTriage {
    fn from(triage: Arc<Triage>) -> Self {
        LiveTriage::new(triage)
    }
}

impl From<Triage> for LiveTriage {
    fn from(triage: Triage) -> Self {
        LiveTriage::new(Arc::new(triage))
    }
}
