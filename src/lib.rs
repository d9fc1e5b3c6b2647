//! fpt-assist: answers Flexible Portfolio Training enquiries from the FAQ, drafts replies for
//! admin review and routes what it cannot answer to the right regional lead.
//!
//! See ARCHITECTURE.md for the map. The domain core (`text`, `kb`, `matcher`, `region`,
//! `ignore`, `triage`, `draft`) is pure: no I/O beyond loading its files, no channels.

pub mod chat;
pub mod cli;
pub mod config;
pub mod draft;
pub mod enquiry;
pub mod error;
pub mod eval;
pub mod gate;
pub mod ignore;
pub mod jsonl;
pub mod kb;
pub mod live;
pub mod logging;
pub mod mail;
pub mod matcher;
pub mod memory;
pub mod model;
pub mod oauth;
pub mod region;
pub mod send;
pub mod service;
pub mod store;
pub mod text;
pub mod topics;
pub mod triage;
pub mod web;

pub use enquiry::{Channel, Enquiry};
pub use error::{Error, Result};
pub use triage::{Decision, DecisionKind, Triage};
