//! `fpt-assist serve` reading a throwaway Dovecot (tests/support/dovecot.sh) through IMAP IDLE:
//! mail delivered while serve idles is ingested within seconds (about half a second here; a
//! polling fallback would take 15 s); when Dovecot stops,
//! the Maildir and the outbox keep working, and once Dovecot is back serve reconnects and
//! ingests the next message. Skipped when Dovecot is not installed.

#[path = "support/servers.rs"]
mod servers;
mod service_common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Connection, Row};

struct Serve {
    child: Child,
    log: PathBuf,
}
impl Serve {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}
impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

async fn stored(db: &Path, message_id: &str) -> bool {
    let url = format!("sqlite://{}", db.display());
    let Ok(mut conn) = AnyConnection::connect(&url).await else {
        return false;
    };
    let found = sqlx::query("SELECT COUNT(*) FROM enquiries WHERE external_id = $1")
        .bind(message_id)
        .fetch_one(&mut conn)
        .await
        .ok()
        .and_then(|r| r.try_get::<i64, _>(0).ok())
        == Some(1);
    let _ = conn.close().await;
    found
}

/// Waits until `done` or `limit`; returns how long it took.
async fn within(
    serve: &mut Serve,
    what: &str,
    limit: Duration,
    mut done: impl AsyncFnMut() -> bool,
) -> Duration {
    let start = Instant::now();
    while !done().await {
        if let Some(status) = serve.child.try_wait().unwrap() {
            panic!(
                "serve exited ({status}) while waiting for {what}:\n{}",
                serve.log()
            );
        }
        assert!(
            start.elapsed() < limit,
            "{what}: not done within {limit:?}\n--- serve log\n{}",
            serve.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    start.elapsed()
}

fn message(id: &str, body: &str) -> Vec<u8> {
    service_common::eml("sam@example.org", "question", Some(id), "", body)
}

#[cfg(unix)]
#[tokio::test]
async fn serve_idles_on_imap_and_reconnects_after_the_server_restarts() {
    let Some((tmp, dovecot)) = servers::dovecot_or_skip("fpt-idle-") else {
        return;
    };
    sqlx::any::install_default_drivers();
    let port = dovecot.port;

    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("fpt.toml"),
        format!(
            "[mail]\npoll_ms = 200\n[imap]\nhost = \"127.0.0.1\"\nport = {port}\nuser = \"fpt\"\ntls = false\n"
        ),
    )
    .unwrap();
    let log = work.join("serve.log");
    let child = Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
        .current_dir(&work)
        .env_remove("DATABASE_URL")
        .env("FPT_IMAP_PASSWORD", "secret")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .arg("--kb")
        .arg(repo().join("faq"))
        .arg("--templates")
        .arg(repo().join("templates"))
        .args(["serve", "--config", "fpt.toml"])
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .expect("serve starts");
    let mut serve = Serve { child, log };
    let db = work.join("var/fpt-assist.db");

    within(
        &mut serve,
        "the IMAP connection",
        Duration::from_secs(60),
        async || {
            std::fs::read_to_string(work.join("serve.log"))
                .unwrap_or_default()
                .contains("IMAP connected")
        },
    )
    .await;
    assert!(serve.log().contains("idle=true"), "{}", serve.log());
    // let serve settle into IDLE, then deliver
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let eml = tmp.path().join("1.eml");
    std::fs::write(
        &eml,
        message("idle1@example.org", service_common::ANSWERABLE),
    )
    .unwrap();
    dovecot.append(&eml);
    let took = within(
        &mut serve,
        "ingesting mail delivered during IDLE",
        Duration::from_secs(5),
        async || stored(&db, "idle1@example.org").await,
    )
    .await;
    eprintln!("IDLE: delivered message ingested after {took:?}");

    // Dovecot goes away: the Maildir and the outbox keep working meanwhile
    dovecot.stop();
    let new = work.join("var/mail/new");
    std::fs::write(
        work.join("var/mail/tmp/m.eml"),
        message("maildir1@example.org", service_common::ROUTED),
    )
    .unwrap();
    std::fs::rename(work.join("var/mail/tmp/m.eml"), new.join("m.eml")).unwrap();
    let outbox = work.join("var/outbox");
    within(
        &mut serve,
        "Maildir mail and its outbox while IMAP is down",
        Duration::from_secs(10),
        async || {
            stored(&db, "maildir1@example.org").await
                && service_common::files_in(&outbox).len() >= 2
        },
    )
    .await;

    // back up on the same port: serve reconnects and ingests the next message
    dovecot.restart();
    let eml = tmp.path().join("2.eml");
    std::fs::write(&eml, message("idle2@example.org", service_common::ROUTED)).unwrap();
    dovecot.append(&eml);
    let took = within(
        &mut serve,
        "ingesting after Dovecot restarted",
        Duration::from_secs(45),
        async || stored(&db, "idle2@example.org").await,
    )
    .await;
    eprintln!("after the restart: next message ingested after {took:?}");
    assert!(
        serve.log().matches("IMAP connected").count() >= 2,
        "{}",
        serve.log()
    );
}
