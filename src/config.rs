//! Service configuration: one optional TOML file plus environment overrides for secrets and the
//! database. Every field has a default, so a fresh clone runs `fpt-assist serve` with no file.
//!
//! Secrets (`FPT_IMAP_PASSWORD`, `FPT_SMTP_PASSWORD`, `FPT_IMAP_OAUTH_TOKEN`) are read from the
//! environment only when the file leaves them empty (`FPT_OAUTH2_CLIENT_SECRET` only from the
//! environment), and never appear in `Debug` output. The
//! Discord bot token is never read from the file at all: only from `FPT_DISCORD_TOKEN`, when
//! `serve` starts the bot (see `chat::DiscordConfig`).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Errors loading the configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
}

/// A secret string: shown as `***` in debug output and logs.
#[derive(Clone, Default, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("\"***\"")
        }
    }
}

/// The built-in sender address: a placeholder (RFC 2606 `example.org`) that a deployment
/// must replace with its real mailbox (`[mail] address`); `config check` says so.
pub const DEFAULT_ADDRESS: &str = "fpt@example.org";

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`; `DATABASE_URL` overrides it. Default: SQLite in `var/`.
    pub database_url: Option<String>,
    /// Working folder for the default database, the Maildir and the outbox files.
    pub data_dir: PathBuf,
    pub mail: MailConfig,
    pub outbox: OutboxConfig,
    pub imap: Option<ImapConfig>,
    pub smtp: Option<SmtpConfig>,
    /// The Discord bot (`[discord]`); it runs in `serve` when this section exists and
    /// `FPT_DISCORD_TOKEN` is set.
    #[serde(default)]
    pub discord: Option<crate::chat::DiscordConfig>,
    /// Matching (`[matcher]`): the embedding model and the answer threshold.
    pub matcher: MatcherConfig,
    /// The admin web app (`[web]`).
    pub web: WebConfig,
    /// OAuth2 tokens for Microsoft 365 (`[oauth2]`, see `oauth`): IMAP/SMTP with
    /// `auth = "oauth2"`, and the Graph channel.
    pub oauth2: Option<crate::oauth::OAuthConfig>,
    /// The Microsoft Graph mail channel (`[graph]`, see `mail::graph`).
    pub graph: Option<crate::mail::graph::GraphConfig>,
}

/// `[matcher]`: which sentence-embedding model to use and where its cache lives.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MatcherConfig {
    /// Model folder, or `none` for lexical matching only. `--model` and `FPT_MODEL` override
    /// it. Default: `models/all-MiniLM-L6-v2` in the working folder, when present.
    pub model: Option<String>,
    /// Where knowledge-base embeddings are cached. Default: `<data_dir>/cache`.
    pub cache_dir: Option<PathBuf>,
    /// Labelled enquiries (the `eval` JSONL format, e.g. `tests/data/dev-enquiries.jsonl`)
    /// the web app's regression gate checks knowledge-base edits against, besides the
    /// enquiries admins approved, rejected or re-routed. Default: none.
    pub labelled_set: Option<PathBuf>,
}

/// The admin web app.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WebConfig {
    /// Addresses of reverse proxies in front of the app (e.g. `["127.0.0.1"]` behind nginx on
    /// the same machine): only from these is `X-Forwarded-For` believed for the client's
    /// address. Empty (the default): the connecting address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Our own mailbox and how incoming mail is picked up.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The address replies come from; never sent to.
    pub address: String,
    /// Display name on outgoing mail.
    pub from_name: String,
    /// Right-hand side of the Message-IDs we create.
    pub domain: String,
    /// Other addresses of ours that must never receive automatic mail.
    pub own_addresses: Vec<String>,
    /// Maildir watched by `serve` (new/ is read, committed messages move to cur/).
    /// Default: `<data_dir>/mail`.
    pub maildir: Option<PathBuf>,
    /// How often the Maildir is polled, in milliseconds.
    pub poll_ms: u64,
    /// At most one automatic acknowledgement per sender within this many hours.
    pub ack_once_per_hours: u64,
    /// The authserv-ids (RFC 8601) of our receiving mail servers, whose
    /// `Authentication-Results` headers are believed when a lead's reply is checked
    /// (`service::lead_auth`). Empty: no mail is accepted as a lead's answer (leads answer in
    /// the web app instead).
    pub trusted_authserv_ids: Vec<String>,
}

/// The outbox worker.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxConfig {
    /// `file` (write .eml files) or `smtp`.
    pub transport: String,
    /// Where the file transport writes. Default: `<data_dir>/outbox`.
    pub dir: Option<PathBuf>,
    /// Attempts before a message is marked failed.
    pub max_attempts: u32,
    /// First retry delay in seconds; doubles on each attempt.
    pub backoff_secs: u64,
}

/// IMAP source (used by `src/mail/imap.rs`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ImapConfig {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: Secret,
    pub oauth_token: Secret,
    pub mailbox: String,
    pub tls: bool,
    /// `password` (the password or `FPT_IMAP_OAUTH_TOKEN`) or `oauth2` (XOAUTH2 with tokens
    /// from `[oauth2]`, renewed as needed).
    pub auth: String,
}

/// SMTP transport (used by `src/send/smtp.rs`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: Secret,
    /// `starttls`, `tls` or `none` (loopback tests only).
    pub tls: String,
    /// Connect timeout in seconds; a whole send may take four times as long.
    pub timeout_secs: u64,
    /// `password` (`FPT_SMTP_PASSWORD`) or `oauth2` (XOAUTH2 as `user`, tokens from `[oauth2]`).
    pub auth: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: None,
            data_dir: PathBuf::from("var"),
            mail: MailConfig::default(),
            outbox: OutboxConfig::default(),
            imap: None,
            smtp: None,
            discord: None,
            matcher: MatcherConfig::default(),
            web: WebConfig::default(),
            oauth2: None,
            graph: None,
        }
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            address: DEFAULT_ADDRESS.into(),
            from_name: "Flexible Portfolio Training".into(),
            domain: "fpt-assist.localhost".into(),
            own_addresses: Vec::new(),
            maildir: None,
            poll_ms: 1000,
            ack_once_per_hours: 24,
            trusted_authserv_ids: Vec::new(),
        }
    }
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig {
            transport: "file".into(),
            dir: None,
            max_attempts: 5,
            backoff_secs: 30,
        }
    }
}

impl Default for ImapConfig {
    fn default() -> Self {
        ImapConfig {
            host: String::new(),
            port: 993,
            user: String::new(),
            password: Secret::default(),
            oauth_token: Secret::default(),
            mailbox: "INBOX".into(),
            tls: true,
            auth: "password".into(),
        }
    }
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            host: String::new(),
            port: 587,
            user: String::new(),
            password: Secret::default(),
            tls: "starttls".into(),
            timeout_secs: 30,
            auth: "password".into(),
        }
    }
}

/// Where environment values come from: the process, or a map in tests.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl Config {
    /// Loads `path` (when given) and applies the process environment.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        Self::load_with(path, &ProcessEnv)
    }

    /// Loads `path` (when given) and applies overrides from `env`.
    pub fn load_with(path: Option<&Path>, env: &dyn Env) -> Result<Config, ConfigError> {
        let mut config = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.into(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: path.into(),
                    message: e.to_string(),
                })?
            }
            None => Config::default(),
        };
        if let Some(url) = env.var("DATABASE_URL") {
            config.database_url = Some(url);
        }
        if let Some(imap) = config.imap.as_mut() {
            if imap.password.is_empty() {
                imap.password = Secret(env.var("FPT_IMAP_PASSWORD").unwrap_or_default());
            }
            if imap.oauth_token.is_empty() {
                imap.oauth_token = Secret(env.var("FPT_IMAP_OAUTH_TOKEN").unwrap_or_default());
            }
        }
        if let Some(oauth2) = config.oauth2.as_mut() {
            oauth2.client_secret =
                Secret(env.var(crate::oauth::CLIENT_SECRET_ENV).unwrap_or_default());
        }
        if let Some(smtp) = config.smtp.as_mut() {
            if smtp.password.is_empty() {
                smtp.password = Secret(env.var("FPT_SMTP_PASSWORD").unwrap_or_default());
            }
        }
        Ok(config)
    }

    /// The database URL: the configured one, or SQLite at `<data_dir>/fpt-assist.db`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("fpt-assist.db").display()
            ),
        }
    }

    pub fn maildir(&self) -> PathBuf {
        self.mail
            .maildir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("mail"))
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.outbox
            .dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("outbox"))
    }

    /// Whether `address` is one of ours (case-insensitive).
    pub fn is_own_address(&self, address: &str) -> bool {
        let address = address.trim();
        address.eq_ignore_ascii_case(&self.mail.address)
            || self
                .mail
                .own_addresses
                .iter()
                .any(|a| a.trim().eq_ignore_ascii_case(address))
    }

    /// Settings that work but must be changed before going live (the placeholder sender
    /// address); `config check` prints them, nothing refuses to run.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self
            .mail
            .address
            .trim()
            .eq_ignore_ascii_case(DEFAULT_ADDRESS)
        {
            warnings.push(format!(
                "mail.address is the built-in placeholder {DEFAULT_ADDRESS}: set [mail] address \
                 to the real mailbox before going live (replies come from it and are signed with it)"
            ));
        }
        warnings
    }

    /// Problems that stop the service from running as configured; empty when all is well.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let url = self.database_url();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            problems.push(
                "database_url / DATABASE_URL must start with sqlite:, postgres:// or postgresql://"
                    .into(),
            );
        }
        if !self.mail.address.contains('@') {
            problems.push(format!(
                "mail.address `{}` is not an email address",
                self.mail.address
            ));
        }
        if self.mail.domain.is_empty() || self.mail.domain.contains(['@', '<', '>', ' ']) {
            problems.push(format!(
                "mail.domain `{}` is not a domain name",
                self.mail.domain
            ));
        }
        if self.outbox.max_attempts == 0 {
            problems.push("outbox.max_attempts must be at least 1".into());
        }
        match self.outbox.transport.as_str() {
            "file" => {}
            "smtp" => match &self.smtp {
                None => {
                    problems.push("outbox.transport is smtp but there is no [smtp] section".into())
                }
                Some(s) => {
                    problems.extend(s.problems());
                    if s.auth == "oauth2" && self.oauth2.is_none() {
                        problems
                            .push("smtp.auth is oauth2 but there is no [oauth2] section".into());
                    }
                }
            },
            "graph" if self.graph.is_none() => {
                problems.push("outbox.transport is graph but there is no [graph] section".into())
            }
            "graph" => {}
            other => problems.push(format!(
                "outbox.transport `{other}`: use file, smtp or graph"
            )),
        }
        if let Some(oauth2) = &self.oauth2 {
            problems.extend(oauth2.problems());
        }
        if let Some(graph) = &self.graph {
            problems.extend(graph.problems());
            if self.oauth2.is_none() {
                problems.push("[graph] needs an [oauth2] section for its tokens".into());
            }
        }
        if let Some(imap) = &self.imap {
            if imap.host.is_empty() {
                problems.push("imap.host is empty".into());
            }
            if imap.user.is_empty() {
                problems.push("imap.user is empty".into());
            }
            if imap.auth == "oauth2" {
                if self.oauth2.is_none() {
                    problems.push("imap.auth is oauth2 but there is no [oauth2] section".into());
                }
            } else if imap.auth != "password" {
                problems.push(format!("imap.auth `{}`: use password or oauth2", imap.auth));
            } else if imap.password.is_empty() && imap.oauth_token.is_empty() {
                problems.push(
                    "imap has no password or OAuth token: set FPT_IMAP_PASSWORD or FPT_IMAP_OAUTH_TOKEN"
                        .into(),
                );
            }
        }
        if let Some(discord) = &self.discord {
            if let Err(e) = discord.validate() {
                problems.push(format!("[discord]: {e}"));
            }
        }
        problems
    }
}

impl SmtpConfig {
    /// What stops the SMTP transport from being built or from logging in.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.host.trim().is_empty() {
            problems.push("smtp.host is empty".into());
        }
        if self.port == 0 {
            problems.push("smtp.port must not be 0".into());
        }
        match self.tls.as_str() {
            "starttls" | "tls" => {}
            "none" if crate::mail::imap::is_loopback_host(self.host.trim()) => {}
            "none" => problems.push(format!(
                "smtp.tls = none is only allowed for a loopback host, not `{}`: use starttls or tls",
                self.host
            )),
            other => problems.push(format!("smtp.tls `{other}`: use starttls, tls or none")),
        }
        match self.auth.as_str() {
            "oauth2" if self.user.is_empty() => {
                problems.push("smtp.auth is oauth2 but smtp.user is empty: set the mailbox".into())
            }
            "oauth2" => {}
            "password" if !self.user.is_empty() && self.password.is_empty() => {
                problems.push("smtp.user is set but no password: set FPT_SMTP_PASSWORD".into())
            }
            "password" => {}
            other => problems.push(format!("smtp.auth `{other}`: use password or oauth2")),
        }
        if self.timeout_secs == 0 {
            problems.push("smtp.timeout_secs must be at least 1".into());
        }
        problems
    }

    /// The transport's settings; `None` when `tls` is not one of the known values. A password
    /// without a user is not used (the server is reached without logging in).
    pub fn transport_config(&self) -> Option<crate::send::SmtpConfig> {
        let security = match self.tls.as_str() {
            "tls" => crate::send::SmtpSecurity::Tls,
            "starttls" => crate::send::SmtpSecurity::StartTls,
            "none" => crate::send::SmtpSecurity::None,
            _ => return None,
        };
        let mut c = crate::send::SmtpConfig::new(self.host.trim(), self.port);
        c.security = security;
        c.timeout = std::time::Duration::from_secs(self.timeout_secs.max(1));
        if !self.user.is_empty() {
            c.username = Some(self.user.clone());
            c.password = Some(self.password.expose().to_string());
        }
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct MapEnv(HashMap<&'static str, &'static str>);
    impl Env for MapEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|v| v.to_string())
        }
    }

    #[test]
    fn defaults_need_no_file_and_have_no_problems() {
        let c = Config::load_with(None, &MapEnv(HashMap::new())).unwrap();
        assert!(c.database_url().starts_with("sqlite://var/fpt-assist.db"));
        assert_eq!(c.outbox_dir(), PathBuf::from("var/outbox"));
        assert!(c.problems().is_empty(), "{:?}", c.problems());
    }

    #[test]
    fn env_overrides_secrets_and_database_and_debug_hides_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "[imap]\nhost = \"imap.example.org\"\nuser = \"fpt\"\n[smtp]\nhost = \"smtp.example.org\"\n",
        )
        .unwrap();
        let env = MapEnv(HashMap::from([
            ("DATABASE_URL", "postgres://x/y"),
            ("FPT_IMAP_PASSWORD", "hunter2"),
            ("FPT_SMTP_PASSWORD", "s3cret"),
        ]));
        let c = Config::load_with(Some(&path), &env).unwrap();
        assert_eq!(c.database_url(), "postgres://x/y");
        assert_eq!(c.imap.as_ref().unwrap().password.expose(), "hunter2");
        let debug = format!("{c:?}");
        assert!(!debug.contains("hunter2") && !debug.contains("s3cret"));
    }

    fn load(text: &str, env: &[(&'static str, &'static str)]) -> Config {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, text).unwrap();
        Config::load_with(Some(&path), &MapEnv(env.iter().copied().collect())).unwrap()
    }

    #[test]
    fn discord_section_parses_and_is_absent_by_default() {
        assert_eq!(load("", &[]).discord, None);
        let c = load(
            r#"
[discord]
channels = [1100000000000000010, "1100000000000000011"]
leads_channel = "1100000000000000020"
allow_dms = true
rate_limit_per_minute = 3
admin_team = "role:1100000000000000801"

[discord.leads]
south-west = "user:1100000000000000601"

[discord.region_roles]
"1100000000000000201" = "south-west"
"#,
            &[],
        );
        let d = c.discord.as_ref().expect("[discord] parsed");
        assert_eq!(d.channels, vec![1100000000000000010, 1100000000000000011]);
        assert_eq!(d.leads_channel, 1100000000000000020);
        assert!(d.allow_dms && d.questions_only && d.register_commands);
        assert_eq!(d.rate_limit_per_minute, 3);
        assert_eq!(d.leads["south-west"], "user:1100000000000000601");
        assert_eq!(d.region_roles[&1100000000000000201], "south-west");
        assert!(d.token.is_empty(), "the token never comes from the file");
        assert!(c.problems().is_empty(), "{:?}", c.problems());
    }

    #[test]
    fn discord_token_in_the_file_and_bad_sections_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[discord]\nleads_channel = 1\ntoken = \"abc\"\n").unwrap();
        let err = Config::load_with(Some(&path), &MapEnv(HashMap::new())).unwrap_err();
        assert!(err.to_string().contains("token"), "{err}");
        let c = load("[discord]\nleads_channel = 5\n", &[]);
        let problems = c.problems();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("[discord]") && p.contains("nowhere")),
            "{problems:?}"
        );
    }

    #[test]
    fn smtp_settings_map_to_the_transport() {
        let c = load(
            r#"
[outbox]
transport = "smtp"
[smtp]
host = "smtp.example.org"
port = 465
tls = "tls"
user = "fpt"
"#,
            &[("FPT_SMTP_PASSWORD", "s3cret")],
        );
        assert!(c.problems().is_empty(), "{:?}", c.problems());
        let t = c.smtp.as_ref().unwrap().transport_config().unwrap();
        assert_eq!((t.host.as_str(), t.port), ("smtp.example.org", 465));
        assert_eq!(t.security, crate::send::SmtpSecurity::Tls);
        assert_eq!(t.username.as_deref(), Some("fpt"));
        assert_eq!(t.password.as_deref(), Some("s3cret"));
        assert!(!format!("{t:?}").contains("s3cret"));
    }

    #[test]
    fn smtp_problems_are_reported() {
        let c = load("[outbox]\ntransport = \"smtp\"\n", &[]);
        assert!(
            c.problems()[0].contains("no [smtp] section"),
            "{:?}",
            c.problems()
        );
        let c = load(
            r#"
[outbox]
transport = "smtp"
[smtp]
host = "mail.example.org"
tls = "none"
user = "fpt"
"#,
            &[],
        );
        let p = c.problems().join("\n");
        assert!(
            p.contains("loopback") && p.contains("FPT_SMTP_PASSWORD"),
            "{p}"
        );
        let c = load(
            r#"
[outbox]
transport = "smtp"
[smtp]
host = "127.0.0.1"
port = 2525
tls = "none"
"#,
            &[],
        );
        assert!(c.problems().is_empty(), "{:?}", c.problems());
        let t = c.smtp.as_ref().unwrap().transport_config().unwrap();
        assert_eq!(t.security, crate::send::SmtpSecurity::None);
        assert_eq!(t.username, None);
    }

    #[test]
    fn microsoft_365_sections_are_checked_and_the_secret_comes_from_the_environment() {
        let c = load(
            r#"
[outbox]
transport = "graph"
[imap]
host = "outlook.office365.com"
user = "fpt@example.org"
auth = "oauth2"
[graph]
mailbox = "fpt@example.org"
"#,
            &[],
        );
        let p = c.problems().join("\n");
        assert!(
            p.contains("imap.auth is oauth2 but there is no [oauth2] section")
                && p.contains("[graph] needs an [oauth2] section"),
            "{p}"
        );
        let with_oauth = r#"
[outbox]
transport = "graph"
[oauth2]
tenant = "example.onmicrosoft.com"
client_id = "11111111-2222-3333-4444-555555555555"
scopes = ["https://graph.microsoft.com/.default"]
[graph]
mailbox = "fpt@example.org"
"#;
        let c = load(with_oauth, &[]);
        assert!(
            c.problems().join("\n").contains("FPT_OAUTH2_CLIENT_SECRET"),
            "{:?}",
            c.problems()
        );
        let c = load(with_oauth, &[("FPT_OAUTH2_CLIENT_SECRET", "s3cret")]);
        assert!(c.problems().is_empty(), "{:?}", c.problems());
        assert!(!format!("{c:?}").contains("s3cret"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[oauth2]\nclient_secret = \"s3cret\"\n").unwrap();
        let err = Config::load_with(Some(&path), &MapEnv(HashMap::new())).unwrap_err();
        assert!(err.to_string().contains("client_secret"), "{err}");
    }

    #[test]
    fn unknown_keys_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[mail]\nadress = \"x@y\"\n").unwrap();
        let err = Config::load_with(Some(&path), &MapEnv(HashMap::new())).unwrap_err();
        assert!(err.to_string().contains("adress"), "{err}");
    }
}
