//! `fpt-assist user add|passwd|disable`: web accounts. Passwords are read from standard input
//! (one line; without echo when it is a terminal) and stored only as argon2 hashes.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context};
use clap::Subcommand;

use super::ServiceOpts;
use crate::config::Config;
use crate::store::{self, redact_url, Store};
use crate::web::queries;
use crate::web::{hash_password, Role};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account; the password is read from standard input.
    Add {
        name: String,
        /// admin (everything) or lead (the routed enquiries of one region).
        #[arg(long)]
        role: String,
        /// The lead's region id (see faq/regions.toml).
        #[arg(long)]
        region: Option<String>,
    },
    /// Set a new password (read from standard input); ends the account's sessions.
    Passwd { name: String },
    /// Disable an account and end its sessions.
    Disable { name: String },
}

/// Runs a `user` command.
pub fn run(
    svc: &ServiceOpts,
    kb: &Path,
    action: UserAction,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let config = Config::load(svc.config.as_deref())?;
        let url = config.database_url();
        let store = Store::open(&url)
            .await
            .with_context(|| format!("cannot open the database {}", redact_url(&url)))?;
        let code = match action {
            UserAction::Add { name, role, region } => {
                let role: Role = role.parse().map_err(anyhow::Error::msg)?;
                check_name(&name)?;
                let region = match (role, region) {
                    (Role::Lead, None) => bail!("a lead needs --region ID (see faq/regions.toml)"),
                    (Role::Admin, Some(_)) => bail!("--region is only for leads"),
                    (_, r) => r,
                };
                if let Some(r) = &region {
                    check_region(kb, r)?;
                }
                let password = read_password(input, out)?;
                let hash = hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
                let mut conn = store.conn().await?;
                queries::insert_user(
                    &mut conn,
                    &name,
                    role.as_str(),
                    region.as_deref(),
                    &hash,
                    store::now(),
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
                store::audit(
                    &mut conn,
                    None,
                    "cli",
                    "user_add",
                    &format!("{name} ({})", role.as_str()),
                    store::now(),
                )
                .await?;
                writeln!(out, "added {} `{name}`", role.as_str())?;
                0
            }
            UserAction::Passwd { name } => {
                let password = read_password(input, out)?;
                let hash = hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
                let mut conn = store.conn().await?;
                if !queries::set_password(&mut conn, &name, &hash).await? {
                    bail!("no user `{name}`");
                }
                store::audit(&mut conn, None, "cli", "user_passwd", &name, store::now()).await?;
                writeln!(out, "password of `{name}` changed")?;
                0
            }
            UserAction::Disable { name } => {
                let mut conn = store.conn().await?;
                if !queries::disable_user(&mut conn, &name).await? {
                    bail!("no user `{name}`");
                }
                store::audit(&mut conn, None, "cli", "user_disable", &name, store::now()).await?;
                writeln!(out, "`{name}` disabled")?;
                0
            }
        };
        store.close().await;
        Ok(code)
    })
}

fn check_name(name: &str) -> anyhow::Result<()> {
    if name.is_empty()
        || name.chars().count() > 64
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
    {
        bail!("a user name is 1–64 letters, digits, '.', '-', '_' or '@'");
    }
    Ok(())
}

fn check_region(kb: &Path, region: &str) -> anyhow::Result<()> {
    // a knowledge base that cannot be loaded here is reported by `kb check`, not by us
    if let Ok(kb) = crate::kb::KnowledgeBase::load(kb) {
        if !kb.regions.regions.is_empty() && kb.regions.get(region).is_none() {
            let ids: Vec<&str> = kb.regions.regions.iter().map(|r| r.id.as_str()).collect();
            bail!("unknown region `{region}`: use one of {}", ids.join(", "));
        }
    }
    Ok(())
}

/// One line from standard input; echo is switched off while a terminal types it.
fn read_password(input: &mut dyn BufRead, out: &mut dyn Write) -> anyhow::Result<String> {
    let terminal = std::io::stdin().is_terminal();
    if terminal {
        write!(out, "Password (at least {MIN_PASSWORD_CHARS} characters): ")?;
        out.flush()?;
        let _ = std::process::Command::new("stty").arg("-echo").status();
    }
    let mut line = String::new();
    let read = input.read_line(&mut line);
    if terminal {
        let _ = std::process::Command::new("stty").arg("echo").status();
        writeln!(out)?;
    }
    read.context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        bail!("the password needs at least {MIN_PASSWORD_CHARS} characters");
    }
    Ok(password)
}
