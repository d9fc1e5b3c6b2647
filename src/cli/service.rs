//! The mailbox service commands: ingest, serve, queue, show, approve, reject, purge and
//! config check. Each starts its own tokio runtime; the rest of the CLI stays synchronous.
//!
//! `serve` runs every configured channel: the Maildir and `[imap]` sources and the outbox
//! worker (through `service::serve`), the web app with `--listen`, and the Discord bot when a
//! `[discord]` section exists and `FPT_DISCORD_TOKEN` is set. One Ctrl-C/SIGTERM stops them all.

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::inert::{inert, inert_line};
use super::{Command, Common, ConfigAction, Oauth2Action};
use crate::chat::{self, SqlChatStore};
use crate::config::Config;
use crate::oauth::TokenSource;
use crate::send::{FileTransport, GraphTransport, MailTransport, SmtpTransport};
use crate::service::{
    self, actions, maildir, GraphMailSource, ImapMailSource, MailSource, MaildirSource, Outcome,
    Service,
};
use crate::store::{self, redact_url, Status, Store};

/// Runs one of the service commands.
pub fn run(common: &Common, command: Command, out: &mut dyn Write) -> anyhow::Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match command {
            Command::Ingest { svc, paths } => {
                let (service, _) = open(common, svc.config.as_deref()).await?;
                ingest(&service, &paths, out).await
            }
            Command::Serve { svc, once, listen } => {
                let (service, tokens) = open(common, svc.config.as_deref()).await?;
                serve(common, &service, tokens, once, listen.filter(|_| !once), out).await
            }
            Command::Oauth2 {
                svc,
                action: Oauth2Action::Login,
            } => {
                let config = Config::load(svc.config.as_deref())?;
                let Some(oauth2) = &config.oauth2 else {
                    bail!("there is no [oauth2] section in the configuration (see README, Microsoft 365)");
                };
                crate::oauth::login::login(oauth2, &config.data_dir, out).await?;
                Ok(0)
            }
            Command::Queue { svc, status, json } => {
                let store = open_store(&load_config(svc.config.as_deref())?).await?;
                queue(&store, &status, json, out).await
            }
            Command::Show { svc, id, json } => {
                let store = open_store(&load_config(svc.config.as_deref())?).await?;
                show(&store, id, json, out).await
            }
            Command::Approve {
                svc,
                id,
                version,
                actor,
            } => {
                let config = load_config(svc.config.as_deref())?;
                let store = open_store(&config).await?;
                let actor = actor_name(actor);
                let seen = actions::Seen {
                    version,
                    text: None,
                };
                let done = actions::approve(&store, &config, id, &actor, &seen).await?;
                if done.newly_queued {
                    writeln!(
                        out,
                        "enquiry {id}: draft {} approved by {actor} and queued ({})",
                        done.version, done.idempotency_key
                    )?;
                } else {
                    writeln!(
                        out,
                        "enquiry {id}: draft {} was already approved; nothing new queued",
                        done.version
                    )?;
                }
                Ok(0)
            }
            Command::Reject {
                svc,
                id,
                reason,
                actor,
            } => {
                let store = open_store(&load_config(svc.config.as_deref())?).await?;
                let actor = actor_name(actor);
                actions::reject(&store, id, &actor, &reason).await?;
                writeln!(
                    out,
                    "enquiry {id}: draft rejected by {actor}; enquiry closed"
                )?;
                Ok(0)
            }
            Command::Purge { svc, older_than } => {
                let store = open_store(&load_config(svc.config.as_deref())?).await?;
                let ids = actions::purge(&store, older_than, &actor_name(None)).await?;
                writeln!(out, "purged personal details of {} enquiries", ids.len())?;
                Ok(0)
            }
            Command::Config {
                svc,
                action: ConfigAction::Check,
            } => config_check(common, svc.config.as_deref(), out).await,
            _ => bail!("not a mailbox service command"),
        }
    })
}

fn actor_name(actor: Option<String>) -> String {
    actor
        .or_else(|| std::env::var("USER").ok())
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "admin".into())
}

fn load_config(path: Option<&Path>) -> anyhow::Result<Config> {
    let config = Config::load(path)?;
    let problems = config.problems();
    if !problems.is_empty() {
        bail!(
            "the configuration has problems:\n  {}\n(run `fpt-assist config check`)",
            problems.join("\n  ")
        );
    }
    Ok(config)
}

async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let url = config.database_url();
    let file = sqlite_file(&url);
    let new = file.as_ref().is_some_and(|f| !f.exists());
    let store = Store::open(&url)
        .await
        .with_context(|| format!("cannot open the database {}", redact_url(&url)))?;
    if let (true, Some(file)) = (new, file) {
        // a new, empty database is often the sign of running in the wrong folder
        let abs = std::path::absolute(&file).unwrap_or(file);
        let data = std::path::absolute(&config.data_dir).unwrap_or(config.data_dir.clone());
        eprintln!(
            "note: created a new, empty database {} (data folder {}); if you expected your \
             data, run from the folder that holds it or set data_dir / DATABASE_URL",
            abs.display(),
            data.display()
        );
    }
    Ok(store)
}

/// The file of a `sqlite:` URL (without its query), when it is one.
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// The process's one OAuth2 token source, when `[oauth2]` is configured.
fn token_source(config: &Config) -> anyhow::Result<Option<Arc<TokenSource>>> {
    config
        .oauth2
        .as_ref()
        .map(|c| TokenSource::new(c, &config.data_dir))
        .transpose()
        .context("cannot set up OAuth2")
}

fn transport(
    config: &Config,
    tokens: Option<&Arc<TokenSource>>,
) -> anyhow::Result<Arc<dyn MailTransport>> {
    match config.outbox.transport.as_str() {
        "file" => Ok(Arc::new(FileTransport::new(config.outbox_dir()))),
        "smtp" => {
            let Some(smtp) = &config.smtp else {
                bail!("outbox.transport is smtp but there is no [smtp] section");
            };
            let Some(c) = smtp.transport_config() else {
                bail!("smtp.tls `{}`: use starttls, tls or none", smtp.tls);
            };
            let transport = match (smtp.auth.as_str(), tokens) {
                ("oauth2", Some(tokens)) => SmtpTransport::with_tokens(&c, tokens.clone()),
                ("oauth2", None) => bail!("smtp.auth is oauth2 but there is no [oauth2] section"),
                _ => SmtpTransport::new(&c),
            }
            .context("cannot set up the SMTP transport")?;
            Ok(Arc::new(transport))
        }
        "graph" => {
            let (Some(graph), Some(tokens)) = (&config.graph, tokens) else {
                bail!("outbox.transport is graph: it needs [graph] and [oauth2] sections");
            };
            let transport = GraphTransport::new(graph, tokens.clone())
                .context("cannot set up the Microsoft Graph transport")?;
            Ok(Arc::new(transport))
        }
        other => bail!("outbox.transport `{other}`: use file, smtp or graph"),
    }
}

async fn open(
    common: &Common,
    config_path: Option<&Path>,
) -> anyhow::Result<(Service, Option<Arc<TokenSource>>)> {
    let config = load_config(config_path)?;
    let store = open_store(&config).await?;
    // lenient: one broken entry file is left out (and reported), not a reason to stop
    let mut triage = super::model::load_triage(common, Some(&config), true)?;
    for problem in &triage.kb.skipped {
        tracing::warn!(%problem, "knowledge-base file left out: fix it (the change is picked up without a restart)");
    }
    match &triage.matching_note {
        Some(note) => tracing::warn!("{note}"),
        None => tracing::info!("semantic matching on"),
    }
    // replies are signed with the configured mailbox, not a built-in address
    triage.drafter.signature.mailbox = config.mail.address.clone();
    let tokens = token_source(&config)?;
    let service = Service {
        transport: transport(&config, tokens.as_ref())?,
        store,
        triage: Arc::new(triage).into(),
        config: Arc::new(config),
    };
    Ok((service, tokens))
}

async fn ingest(
    service: &Service,
    paths: &[std::path::PathBuf],
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let files = maildir::collect(paths)?;
    let bar = ProgressBar::with_draw_target(
        Some(files.len() as u64),
        if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = maildir::ingest_files(&service.ingestor(), &files, |_, result| {
        bar.inc(1);
        if let Ok(Outcome::Stored { id, .. }) = result {
            bar.set_message(format!("enquiry {id}"));
        }
    })
    .await?;
    bar.finish_and_clear();
    writeln!(
        out,
        "{} message(s): {} stored, {} duplicate(s), {} failed",
        report.seen(),
        report.stored,
        report.duplicates,
        report.failed.len()
    )?;
    for (path, error) in &report.failed {
        writeln!(out, "failed: {}: {error}", path.display())?;
    }
    Ok(if report.failed.is_empty() { 0 } else { 1 })
}

/// Completes once `stop` turns true (or its sender is gone).
async fn stopped(mut stop: tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Starts the Discord bot when `[discord]` exists and `FPT_DISCORD_TOKEN` is set; it stops
/// when `stop` turns true. The token is never logged.
fn spawn_discord(
    service: &Service,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Option<tokio::task::JoinHandle<()>> {
    let section = service.config.discord.clone()?;
    let (discord, has_token) = section.with_env_token();
    if !has_token {
        tracing::info!(
            "[discord] is configured but {} is not set: the Discord bot stays off",
            chat::config::TOKEN_ENV
        );
        return None;
    }
    let triage = service.triage.clone();
    let store: Arc<dyn chat::ChatStore> = Arc::new(SqlChatStore::new(service.store.clone()));
    tracing::info!(
        channels = discord.channels.len(),
        dms = discord.allow_dms,
        "starting the Discord bot"
    );
    Some(tokio::spawn(async move {
        match chat::run(discord, triage, store, stopped(stop)).await {
            Ok(()) => tracing::info!("Discord bot stopped"),
            Err(e) => tracing::error!("Discord bot stopped: {e}"),
        }
    }))
}

/// How long the web app may take, once asked to stop, to finish the requests in flight.
const WEB_SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs the service: the mail sources and the outbox, the web app on `listen` and the Discord
/// bot, all stopped by the one Ctrl-C/SIGTERM (`once`: one pass, no web app or bot).
async fn serve(
    common: &Common,
    service: &Service,
    tokens: Option<Arc<TokenSource>>,
    once: bool,
    listen: Option<std::net::SocketAddr>,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    if !once {
        let mut signal = Box::pin(service::serve::shutdown_signal());
        // Poll it once here so the Ctrl-C/SIGTERM handlers are installed before the web app
        // listens: a SIGTERM right after the port answers must stop us cleanly, not kill us.
        let early =
            std::future::poll_fn(|cx| std::task::Poll::Ready(signal.as_mut().poll(cx).is_ready()))
                .await;
        tokio::spawn(async move {
            if !early {
                signal.await;
            }
            let _ = stop_tx.send(true);
        });
    }
    let web = match listen {
        Some(addr) => Some(
            crate::web::spawn(service.clone(), addr, stopped(stop.clone()))
                .await
                .with_context(|| format!("cannot listen on {addr}"))?,
        ),
        None => None,
    };
    let discord = if once {
        None
    } else {
        spawn_discord(service, stop.clone())
    };
    // live knowledge-base changes: faq/ is watched and reloaded while serving
    let kb_watch = (!once).then(|| {
        let (common, config, live) = (
            common.clone(),
            service.config.clone(),
            service.triage.clone(),
        );
        let stop = stopped(stop.clone());
        tokio::spawn(async move {
            if let Err(e) = super::reload::watch_kb(common, config, live, stop).await {
                tracing::error!("knowledge-base changes are not picked up until a restart: {e:#}");
            }
        })
    });
    let maildir = service.config.maildir();
    let mut sources: Vec<Box<dyn MailSource>> = vec![Box::new(MaildirSource::new(&maildir)?)];
    if let Some(imap) = &service.config.imap {
        let source = ImapMailSource::new(imap);
        sources.push(Box::new(match (imap.auth.as_str(), &tokens) {
            ("oauth2", Some(tokens)) => source.with_tokens(tokens.clone()),
            _ => source,
        }));
    }
    if let (Some(graph), Some(tokens)) = (&service.config.graph, &tokens) {
        let source = GraphMailSource::new(graph, tokens.clone(), &service.config.data_dir)
            .context("cannot set up the Microsoft Graph channel")?;
        sources.push(Box::new(source));
    }
    tracing::info!(maildir = %maildir.display(), outbox = %service.config.outbox_dir().display(), "serving");
    let report = service::serve(service, sources, once, stopped(stop)).await?;
    if let Some(task) = web {
        match tokio::time::timeout(WEB_SHUTDOWN_GRACE, task).await {
            Ok(Ok(Ok(()))) => tracing::info!("web app stopped"),
            Ok(Ok(Err(e))) => tracing::error!("web app stopped: {e}"),
            Ok(Err(e)) => tracing::error!("web app task failed: {e}"),
            Err(_) => tracing::warn!(
                "the web app did not finish its requests within {} s",
                WEB_SHUTDOWN_GRACE.as_secs()
            ),
        }
    }
    if let Some(task) = kb_watch {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
    }
    if let Some(task) = discord {
        if tokio::time::timeout(std::time::Duration::from_secs(10), task)
            .await
            .is_err()
        {
            tracing::warn!("the Discord bot did not stop within 10 s");
        }
    }
    writeln!(
        out,
        "received {}, sent {}, retrying {}, failed {}",
        report.received, report.outbox.sent, report.outbox.retried, report.outbox.failed
    )?;
    service.store.close().await;
    Ok(0)
}

async fn queue(
    store: &Store,
    status: &str,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let status = match status {
        "all" => None,
        s => Some(s.parse::<Status>().map_err(anyhow::Error::msg)?),
    };
    let mut conn = store.conn().await?;
    let rows = store::list_enquiries(&mut conn, status).await?;
    for e in &rows {
        if json {
            let value = serde_json::json!({
                "id": e.id,
                "channel": e.channel,
                "external_id": e.external_id,
                "from": e.sender,
                "subject": e.subject,
                "decision": e.decision,
                "confidence": e.confidence,
                "region": e.region,
                "status": e.status,
                "thread": e.thread_id,
                "problem": e.parse_problem,
            });
            writeln!(out, "{value}")?;
        } else {
            writeln!(
                out,
                "{:>5}  {:<15} {:<6} {:.2}  {:<12} {:<30} {}",
                e.id,
                e.status,
                e.decision,
                e.confidence,
                e.region.as_deref().unwrap_or("-"),
                inert_line(&e.sender),
                inert_line(e.subject.as_deref().unwrap_or(""))
            )?;
            // why an admin is needed: "no readable text: only an attachment winmail.dat"
            if let (Status::NeedsAttention, Some(problem)) = (
                e.status.parse().unwrap_or(Status::Waiting),
                &e.parse_problem,
            ) {
                writeln!(out, "       ! {}", inert_line(problem))?;
            }
        }
    }
    if !json {
        writeln!(out, "{} enquiries", rows.len())?;
    }
    Ok(0)
}

async fn show(store: &Store, id: i64, json: bool, out: &mut dyn Write) -> anyhow::Result<i32> {
    let mut conn = store.conn().await?;
    let Some(e) = store::get_enquiry(&mut conn, id).await? else {
        bail!("no enquiry {id} (see `fpt-assist queue`)");
    };
    let drafts = store::drafts(&mut conn, id).await?;
    let outbox = store::list_outbox(&mut conn, Some(id)).await?;
    let audit = store::list_audit(&mut conn, Some(id)).await?;
    if json {
        let value =
            serde_json::json!({"enquiry": e, "drafts": drafts, "outbox": outbox, "audit": audit});
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(0);
    }
    writeln!(
        out,
        "Enquiry {}  (thread FPT-{}, {})",
        e.id, e.thread_id, e.channel
    )?;
    writeln!(
        out,
        "From:       {} {}",
        inert_line(&e.sender),
        e.sender_name
            .as_deref()
            .map(|n| format!("({})", inert_line(n)))
            .unwrap_or_default()
    )?;
    writeln!(
        out,
        "Subject:    {}",
        inert_line(e.subject.as_deref().unwrap_or(""))
    )?;
    writeln!(out, "Received:   {}", store::format_time(e.received_at))?;
    writeln!(out, "Status:     {}", e.status)?;
    writeln!(
        out,
        "Decision:   {} (confidence {:.2}), region {}",
        e.decision,
        e.confidence,
        e.region.as_deref().unwrap_or("-")
    )?;
    writeln!(out, "Reason:     {}", inert_line(&e.reason))?;
    if let Some(p) = &e.parse_problem {
        writeln!(out, "Problem:    {}", inert_line(p))?;
    }
    if e.attachments != "[]" {
        writeln!(out, "Attachments: {}", inert_line(&e.attachments))?;
    }
    writeln!(
        out,
        "\n{}\n{}",
        "-".repeat(60),
        inert(e.cleaned_text.trim_end())
    )?;
    for d in &drafts {
        let state = match (&d.sent_at, &d.approved_by, &d.rejected_by) {
            (Some(_), _, _) => "sent".to_string(),
            (_, Some(by), _) => format!("approved by {by}"),
            (_, _, Some(by)) => format!("rejected by {by}"),
            _ => "waiting for approval".into(),
        };
        writeln!(
            out,
            "\nDraft {} ({state}):\n{}\n{}",
            d.version,
            "-".repeat(60),
            inert(d.text.trim_end())
        )?;
    }
    for o in &outbox {
        writeln!(
            out,
            "\nOutbox {}: {} to {} [{}] attempts {}{}",
            o.idempotency_key,
            o.kind,
            inert_line(&o.to_addr),
            o.status,
            o.attempts,
            o.last_error
                .as_deref()
                .map(|e| format!(", last error: {}", inert_line(e)))
                .unwrap_or_default()
        )?;
    }
    writeln!(out)?;
    for a in &audit {
        writeln!(
            out,
            "{}  {:<10} {:<12} {}",
            store::format_time(a.at),
            inert_line(&a.actor),
            a.action,
            inert_line(&a.detail)
        )?;
    }
    Ok(0)
}

async fn config_check(
    common: &Common,
    path: Option<&Path>,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let config = Config::load(path)?;
    let mut problems = config.problems();
    let mut warnings = config.warnings();
    writeln!(
        out,
        "config:    {}",
        path.map(|p| p.display().to_string())
            .unwrap_or_else(|| "(none: defaults)".into())
    )?;
    writeln!(out, "database:  {}", redact_url(&config.database_url()))?;
    writeln!(out, "maildir:   {}", config.maildir().display())?;
    if config.outbox.transport == "file" {
        writeln!(out, "outbox:    file ({})", config.outbox_dir().display())?;
    } else {
        writeln!(out, "outbox:    {}", config.outbox.transport)?;
    }
    writeln!(
        out,
        "from:      {} <{}>, Message-IDs @{}",
        config.mail.from_name, config.mail.address, config.mail.domain
    )?;
    if let Some(smtp) = &config.smtp {
        let login = if smtp.user.is_empty() {
            "no login".to_string()
        } else if smtp.auth == "oauth2" {
            format!("user {}, XOAUTH2 with [oauth2] tokens", smtp.user)
        } else if smtp.password.is_empty() {
            format!("user {}, password missing (FPT_SMTP_PASSWORD)", smtp.user)
        } else {
            format!("user {}, password set", smtp.user)
        };
        let used = if config.outbox.transport == "smtp" {
            ""
        } else {
            " (not used: outbox.transport is not smtp)"
        };
        writeln!(
            out,
            "smtp:      {}:{} tls={}, {login}{used}",
            smtp.host, smtp.port, smtp.tls
        )?;
    }
    if let Some(imap) = &config.imap {
        let auth = if imap.auth == "oauth2" {
            "XOAUTH2 with [oauth2] tokens"
        } else if !imap.oauth_token.is_empty() {
            "OAuth token set"
        } else if !imap.password.is_empty() {
            "password set"
        } else {
            "no password or token"
        };
        writeln!(
            out,
            "imap:      {}@{}:{}/{} ({}), {auth}",
            imap.user,
            imap.host,
            imap.port,
            imap.mailbox,
            if imap.tls { "TLS" } else { "plain" }
        )?;
    }
    if let Some(graph) = &config.graph {
        writeln!(
            out,
            "graph:     {} folder {} ({}), every {} s, at {}",
            graph.mailbox,
            graph.folder,
            match &graph.processed_folder {
                Some(f) => format!("processed mail moved to {f}"),
                None => "processed mail marked read".into(),
            },
            graph.poll_secs,
            graph.base_url
        )?;
    }
    writeln!(out, "discord:   {}", discord_state(&config))?;
    writeln!(out, "leads:     {}", lead_reply_state(&config))?;
    if problems.is_empty() {
        match open_store(&config).await {
            Err(e) => problems.push(format!("{e:#}")),
            Ok(store) => {
                if config.discord.is_some() {
                    // What the running bot reported since it last connected (refused token,
                    // missing permissions, Message Content intent off, failed sends).
                    match chat::store::recent_problems(&store, 5).await {
                        Ok(found) => {
                            problems.extend(found.into_iter().map(|p| format!("discord: {p}")))
                        }
                        Err(e) => {
                            problems.push(format!("discord: cannot read the bot's problems: {e}"))
                        }
                    }
                }
                store.close().await;
            }
        }
        match token_source(&config) {
            Err(e) => problems.push(format!("{e:#}")),
            Ok(tokens) => {
                if let Some(tokens) = &tokens {
                    problems.extend(oauth2_check(tokens, out).await?);
                }
                if let Err(e) = transport(&config, tokens.as_ref()) {
                    problems.push(format!("{e:#}"));
                }
            }
        }
    } else if let Some(c) = &config.oauth2 {
        writeln!(out, "oauth2:    {:?} at {}", c.flow, c.token_url())?;
    }
    match crate::kb::KnowledgeBase::load_lenient(&common.kb) {
        Ok(kb) => {
            for p in &kb.skipped {
                warnings.push(format!(
                    "knowledge base: {p} (this entry is left out until it is fixed)"
                ));
            }
        }
        Err(e) => problems.push(format!("knowledge base {}: {e}", common.kb.display())),
    }
    if let Err(e) = crate::draft::Drafter::load(&common.templates) {
        problems.push(format!("templates {}: {e}", common.templates.display()));
    }
    for w in &warnings {
        writeln!(out, "warning:   {w}")?;
    }
    match super::model::load_triage(common, Some(&config), true) {
        Ok(t) => match &t.matching_note {
            Some(note) => writeln!(out, "matching:  lexical only: {note}")?,
            None => writeln!(
                out,
                "matching:  semantic and lexical ({} entries, calibrated on {} questions)",
                t.kb.entries.len(),
                t.matcher.calibration.report.queries
            )?,
        },
        Err(e) => problems.push(format!("{e:#}")),
    }
    for p in &problems {
        writeln!(out, "problem:   {p}")?;
    }
    if problems.is_empty() {
        writeln!(out, "ok")?;
        Ok(0)
    } else {
        Ok(1)
    }
}

/// One line on leads' replies by mail for `config check`: whether they can be accepted and
/// where the signing secret comes from (never the secret).
fn lead_reply_state(config: &Config) -> String {
    let secret =
        if std::env::var(crate::service::lead_auth::SECRET_ENV).is_ok_and(|v| !v.is_empty()) {
            format!("{} set", crate::service::lead_auth::SECRET_ENV)
        } else {
            format!(
                "secret in {} (made on first use)",
                config.data_dir.join("lead-token.key").display()
            )
        };
    if config.mail.trusted_authserv_ids.is_empty() {
        format!(
            "replies by mail are not accepted as answers (no [mail] trusted_authserv_ids); {secret}"
        )
    } else {
        format!(
            "replies accepted when Authentication-Results from {} pass; {secret}",
            config.mail.trusted_authserv_ids.join(", ")
        )
    }
}

/// One line on the Discord bot for `config check`: whether it will run, and whether the token
/// is present (never the token itself).
fn discord_state(config: &Config) -> String {
    let token = chat::Token::from_env().is_some();
    let env = chat::config::TOKEN_ENV;
    match (&config.discord, token) {
        (Some(d), true) => format!(
            "enabled ({env} set; {} channel(s), DMs {}, leads channel {}{})",
            d.channels.len(),
            if d.allow_dms { "on" } else { "off" },
            d.leads_channel,
            d.api_proxy
                .as_deref()
                .map(|p| format!(", REST through {p}"))
                .unwrap_or_default()
        ),
        (Some(_), false) => format!("disabled: [discord] is configured but {env} is not set"),
        (None, true) => format!("disabled: {env} is set but there is no [discord] section"),
        (None, false) => "disabled (no [discord] section)".into(),
    }
}

/// Asks the token endpoint for a token now, as `serve` would: prints the outcome (never the
/// token) and returns the problem, if any. Records the result in `oauth2-status.json`.
async fn oauth2_check(tokens: &TokenSource, out: &mut dyn Write) -> anyhow::Result<Vec<String>> {
    let c = tokens.config();
    let flow = match c.flow {
        crate::oauth::Flow::ClientCredentials => "client credentials".to_string(),
        crate::oauth::Flow::DeviceCode => format!(
            "refresh token from `oauth2 login` in {}",
            c.token_file(tokens.data_dir()).display()
        ),
    };
    match tokens.access_token().await {
        Ok(bearer) => {
            let left = bearer
                .expires_at
                .saturating_duration_since(tokio::time::Instant::now());
            writeln!(
                out,
                "oauth2:    {flow} at {}: token obtained, valid for {} min",
                c.token_url(),
                left.as_secs() / 60
            )?;
            Ok(Vec::new())
        }
        Err(e) => {
            writeln!(out, "oauth2:    {flow} at {}: no token", c.token_url())?;
            Ok(vec![format!("oauth2: {e}")])
        }
    }
}
