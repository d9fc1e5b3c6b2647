//! The command line: argument definitions and one function per command. `main.rs` only parses
//! arguments and calls `run`; everything here is library code the tests call directly.

mod commands;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use commands::run;

/// Answers Flexible Portfolio Training enquiries from the FAQ, drafts replies and routes the rest.
#[derive(Debug, Parser)]
#[command(name = "fpt-assist", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Knowledge base: a folder like faq/ or a JSON file in the `kb --json` shape.
    #[arg(long, global = true, default_value = "faq", env = "FPT_KB")]
    pub kb: PathBuf,
    /// Reply templates folder (the built-in copies are used when it does not exist).
    #[arg(
        long,
        global = true,
        default_value = "templates",
        env = "FPT_TEMPLATES"
    )]
    pub templates: PathBuf,
    /// Confidence below which an enquiry is routed instead of answered, in [0,1].
    #[arg(long, global = true, default_value_t = crate::triage::DEFAULT_THRESHOLD)]
    pub threshold: f32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Triage JSONL enquiries from stdin into JSONL decisions on stdout, in input order.
    Triage,
    /// Show what triage would do with one question, with the explanation.
    Ask {
        /// The question, as someone would write it.
        question: String,
        /// Treat it as a chat message instead of an email.
        #[arg(long)]
        chat: bool,
        /// Print the decision as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the knowledge base, or check it for mistakes.
    Kb {
        /// Print every entry as JSON: [{"id","title","questions","answer"}].
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<KbAction>,
    },
    /// Score triage on a labelled JSONL set; exits non-zero below the thresholds.
    Eval {
        /// Labelled enquiries (see shared/eval/README.md for the format).
        file: PathBuf,
        /// Lowest acceptable share of correct decisions, in [0,1].
        #[arg(long, default_value_t = 0.9)]
        min_correct: f64,
        /// Highest acceptable share of false answers, in [0,1].
        #[arg(long, default_value_t = 0.03)]
        max_false: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum KbAction {
    /// Validate the knowledge-base folder and the templates; every problem names file and line.
    Check,
}
