//! Crash safety over IMAP: `serve` reading a throwaway Dovecot (tests/support/dovecot.sh) is
//! SIGKILLed halfway through 200 messages and restarted. No message is ever flagged `\Seen`
//! without its enquiry, and in the end every message is stored exactly once. Skipped when
//! Dovecot is not installed.

#[path = "support/servers.rs"]
mod servers;
mod service_common;

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fpt_assist::mail::imap::{ImapAuth, ImapConfig, ImapSource};
use sqlx::{AnyConnection, Connection, Row};

const MESSAGES: usize = 200;

struct Serve(Child);
impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn serve(work: &Path) -> Serve {
    Serve(
        Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
            .current_dir(work)
            .env_remove("DATABASE_URL")
            .env("FPT_IMAP_PASSWORD", "secret")
            .env("RUST_LOG", "error")
            .arg("--kb")
            .arg(repo().join("faq"))
            .arg("--templates")
            .arg(repo().join("templates"))
            .args(["serve", "--config", "fpt.toml"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts"),
    )
}

fn message(i: usize) -> Vec<u8> {
    let body = if i.is_multiple_of(2) {
        service_common::ANSWERABLE
    } else {
        service_common::ROUTED
    };
    service_common::eml(
        &format!("sender{i}@example.org"),
        &format!("question {i}"),
        Some(&format!("imapcrash-{i}@example.org")),
        "",
        body,
    )
}

async fn stored(db: &Path) -> HashSet<String> {
    let url = format!("sqlite://{}", db.display());
    let Ok(mut conn) = AnyConnection::connect(&url).await else {
        return HashSet::new();
    };
    let ids = sqlx::query("SELECT external_id FROM enquiries")
        .fetch_all(&mut conn)
        .await
        .map(|rows| {
            rows.iter()
                .filter_map(|r| r.try_get::<String, _>(0).ok())
                .collect()
        })
        .unwrap_or_default();
    let _ = conn.close().await;
    ids
}

/// `(Message-ID, seen)` of every message in the mailbox.
async fn mailbox(port: u16) -> Vec<(String, bool)> {
    let mut config = ImapConfig::new(
        "127.0.0.1",
        port,
        "fpt",
        ImapAuth::Password("secret".into()),
    );
    config.tls = false;
    let mut source = ImapSource::connect(&config).await.expect("IMAP login");
    source.select().await.expect("select");
    let all = source.fetch_since(0).await.expect("fetch");
    source.logout().await;
    all.into_iter()
        .map(|m| {
            let parsed = fpt_assist::mail::parse_message(&m.raw);
            (parsed.message_id.unwrap_or_default(), m.seen)
        })
        .collect()
}

async fn assert_seen_have_enquiries(port: u16, db: &Path, when: &str) -> usize {
    let stored = stored(db).await;
    let mut seen = 0;
    for (id, is_seen) in mailbox(port).await {
        if is_seen {
            seen += 1;
            assert!(
                stored.contains(&id),
                "{when}: {id} is flagged \\Seen but not stored"
            );
        }
    }
    seen
}

#[tokio::test]
async fn serve_killed_mid_imap_ingest_marks_nothing_seen_without_its_enquiry() {
    let Some((tmp, dovecot)) = servers::dovecot_or_skip("fpt-imapcrash-") else {
        return;
    };
    sqlx::any::install_default_drivers();
    let dovecot_dir = tmp.path().join("d");
    let port = dovecot.port;

    // the first message through Dovecot (creates the Maildir with the right owner), the rest
    // written straight into its new/ folder, owned like it
    let first = tmp.path().join("0.eml");
    std::fs::write(&first, message(0)).unwrap();
    dovecot.append(&first);
    let maildir = dovecot_dir.join("mail/fpt/Maildir");
    let owner = std::fs::metadata(&maildir).expect("Dovecot's Maildir");
    for i in 1..MESSAGES {
        let tmp_file = maildir.join(format!("tmp/{i}.test"));
        std::fs::write(&tmp_file, message(i)).unwrap();
        std::os::unix::fs::chown(&tmp_file, Some(owner.uid()), Some(owner.gid())).unwrap();
        std::fs::rename(&tmp_file, maildir.join(format!("new/{i}.test"))).unwrap();
    }
    assert_eq!(mailbox(port).await.len(), MESSAGES);

    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("fpt.toml"),
        format!("[imap]\nhost = \"127.0.0.1\"\nport = {port}\nuser = \"fpt\"\ntls = false\n"),
    )
    .unwrap();
    let db = work.join("var/fpt-assist.db");

    let mut child = serve(&work);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let n = stored(&db).await.len();
        assert!(
            n < MESSAGES,
            "all {MESSAGES} messages were ingested before the kill; cannot test a crash"
        );
        if n >= MESSAGES / 10 {
            break;
        }
        if let Some(status) = child.0.try_wait().unwrap() {
            panic!("serve exited early: {status}");
        }
        assert!(Instant::now() < deadline, "serve ingested nothing in 120 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.0.kill().unwrap(); // SIGKILL
    child.0.wait().unwrap();
    let seen = assert_seen_have_enquiries(port, &db, "after SIGKILL").await;
    assert!(
        seen < MESSAGES,
        "everything was flagged seen before the kill"
    );

    let _child = serve(&work);
    let deadline = Instant::now() + Duration::from_secs(120);
    while stored(&db).await.len() < MESSAGES || mailbox(port).await.iter().any(|(_, seen)| !seen) {
        assert!(
            Instant::now() < deadline,
            "after the restart: {} stored within 120 s",
            stored(&db).await.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let ids = stored(&db).await;
    assert_eq!(ids.len(), MESSAGES);
    for i in 0..MESSAGES {
        assert!(
            ids.contains(&format!("imapcrash-{i}@example.org")),
            "message {i} lost"
        );
    }
    assert_eq!(
        assert_seen_have_enquiries(port, &db, "at the end").await,
        MESSAGES
    );
}
