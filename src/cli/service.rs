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
use super::{Command, Common, ConfigAction};
use crate::chat::{self, SqlChatStore};
use crate::config::Config;
use crate::send::{FileTransport, MailTransport, SmtpTransport};
use crate::service::{
    self, actions, maildir, ImapMailSource, MailSource, MaildirSource, Outcome, Service,
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
                let service = open(common, svc.config.as_deref()).await?;
                ingest(&service, &paths, out).await
            }
            Command::Serve { svc, once, listen } => {
                let service = open(common, svc.config.as_deref()).await?;
                serve(&service, once, listen.filter(|_| !once), out).await
            }
            Command::Queue { svc, status, json } => {
                let store = open_store(&load_config(svc.config.as_deref())?).await?;
                queue(&store, &status, json, out).await
            }
            Command::Show { svc, id, json } => {
                let store = open_store(&load_config(svc.config.as_deref())?).await?;
                show(&store, id, json, out).await
            }
            Command::Approve { svc, id, actor } => {
                let config = load_config(svc.config.as_deref())?;
                let store = open_store(&config).await?;
                let actor = actor_name(actor);
                let done = actions::approve(&store, &config, id, &actor).await?;
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
    Store::open(&url)
        .await
        .with_context(|| format!("cannot open the database {}", redact_url(&url)))
}

fn transport(config: &Config) -> anyhow::Result<Arc<dyn MailTransport>> {
    match config.outbox.transport.as_str() {
        "file" => Ok(Arc::new(FileTransport::new(config.outbox_dir()))),
        "smtp" => {
            let Some(smtp) = &config.smtp else {
                bail!("outbox.transport is smtp but there is no [smtp] section");
            };
            let Some(c) = smtp.transport_config() else {
                bail!("smtp.tls `{}`: use starttls, tls or none", smtp.tls);
            };
            let transport = SmtpTransport::new(&c).context("cannot set up the SMTP transport")?;
            Ok(Arc::new(transport))
        }
        other => bail!("outbox.transport `{other}`: use file or smtp"),
    }
}

async fn open(common: &Common, config_path: Option<&Path>) -> anyhow::Result<Service> {
    let config = load_config(config_path)?;
    let store = open_store(&config).await?;
    let mut triage =
        crate::triage::Triage::load(&common.kb, &common.templates).with_context(|| {
            format!(
                "cannot load the knowledge base from {} (run `fpt-assist kb check`)",
                common.kb.display()
            )
        })?;
    triage.threshold = common.threshold;
    Ok(Service {
        transport: transport(&config)?,
        store,
        triage: Arc::new(triage),
        config: Arc::new(config),
    })
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
    service: &Service,
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
    let maildir = service.config.maildir();
    let mut sources: Vec<Box<dyn MailSource>> = vec![Box::new(MaildirSource::new(&maildir)?)];
    if let Some(imap) = &service.config.imap {
        sources.push(Box::new(ImapMailSource::new(imap)));
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
        let auth = if !imap.oauth_token.is_empty() {
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
    writeln!(out, "discord:   {}", discord_state(&config))?;
    if problems.is_empty() {
        if let Err(e) = open_store(&config).await {
            problems.push(format!("{e:#}"));
        }
        if let Err(e) = transport(&config) {
            problems.push(format!("{e:#}"));
        }
    }
    if let Err(e) = crate::triage::Triage::load(&common.kb, &common.templates) {
        problems.push(format!("knowledge base {}: {e}", common.kb.display()));
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

/// One line on the Discord bot for `config check`: whether it will run, and whether the token
/// is present (never the token itself).
fn discord_state(config: &Config) -> String {
    let token = chat::Token::from_env().is_some();
    let env = chat::config::TOKEN_ENV;
    match (&config.discord, token) {
        (Some(d), true) => format!(
            "enabled ({env} set; {} channel(s), DMs {}, leads channel {})",
            d.channels.len(),
            if d.allow_dms { "on" } else { "off" },
            d.leads_channel
        ),
        (Some(_), false) => format!("disabled: [discord] is configured but {env} is not set"),
        (None, true) => format!("disabled: {env} is set but there is no [discord] section"),
        (None, false) => "disabled (no [discord] section)".into(),
    }
}
