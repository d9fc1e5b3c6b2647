//! Crash safety through the built binary: `serve` is SIGKILLed halfway through ingesting a
//! Maildir of 500 messages and restarted. Every message ends up stored exactly once, and no
//! message is ever marked seen (moved to `cur/`) without its enquiry. On SQLite always and on
//! PostgreSQL when TEST_DATABASE_URL is set.

mod service_common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Connection, Row};

const MESSAGES: usize = 500;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn serve(dir: &Path, database_url: Option<&str>) -> Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fpt-assist"));
    match database_url {
        Some(url) => c.env("DATABASE_URL", url),
        None => c.env_remove("DATABASE_URL"),
    };
    c.current_dir(dir)
        .env("RUST_LOG", "error")
        .arg("--kb")
        .arg(repo().join("faq"))
        .arg("--templates")
        .arg(repo().join("templates"))
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts")
}

fn message(i: usize) -> String {
    let body = if i.is_multiple_of(2) {
        service_common::ANSWERABLE
    } else {
        service_common::ROUTED
    };
    format!(
        "From: sender{i}@example.org\r\nTo: flexibleportfoliotraining@hee.nhs.uk\r\n\
         Subject: question {i}\r\nMessage-ID: <crash-{i}@example.org>\r\n\r\n{body}\r\n"
    )
}

/// The Message-ID a test message was written with (its file name is not kept by Maildir moves).
fn message_id_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("message readable");
    text.lines()
        .find_map(|l| l.strip_prefix("Message-ID: <"))
        .and_then(|l| l.strip_suffix('>'))
        .expect("test messages have a Message-ID")
        .to_string()
}

fn count(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

async fn stored_ids(url: &str) -> Vec<String> {
    let mut conn = AnyConnection::connect(url).await.expect("connect");
    let rows = sqlx::query("SELECT external_id FROM enquiries")
        .fetch_all(&mut conn)
        .await
        .expect("query");
    let _ = conn.close().await;
    rows.iter()
        .map(|r| r.try_get::<String, _>("external_id").expect("text"))
        .collect()
}

async fn assert_seen_have_enquiries(maildir: &Path, url: &str, when: &str) {
    let stored: HashSet<String> = stored_ids(url).await.into_iter().collect();
    for file in std::fs::read_dir(maildir.join("cur")).expect("cur/") {
        let path = file.expect("entry").path();
        let id = message_id_of(&path);
        assert!(
            stored.contains(&id),
            "{when}: {} is marked seen but enquiry {id} is not stored",
            path.display()
        );
    }
}

#[cfg(unix)]
#[tokio::test]
async fn serve_killed_mid_ingest_loses_and_duplicates_nothing() {
    for db in service_common::databases().await {
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("var/mail");
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        for i in 0..MESSAGES {
            std::fs::write(maildir.join(format!("new/{i:04}.eml")), message(i)).unwrap();
        }
        let pg = (db.name == "postgres").then(|| db.url.clone());
        let url = pg.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                dir.path().join("var/fpt-assist.db").display()
            )
        });

        // run until some, but not all, messages are in, then SIGKILL
        let mut child = serve(dir.path(), pg.as_deref());
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let done = count(&maildir.join("cur"));
            assert!(
                done < MESSAGES,
                "{}: all {MESSAGES} messages were ingested before the kill; cannot test a crash",
                db.name
            );
            if done >= MESSAGES / 10 {
                break;
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("{}: serve exited early: {status}", db.name);
            }
            assert!(
                Instant::now() < deadline,
                "{}: serve ingested nothing within 120 s",
                db.name
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let left = count(&maildir.join("new"));
        assert!(left > 0, "{}: nothing left in new/ after the kill", db.name);
        assert_seen_have_enquiries(&maildir, &url, &format!("{} after SIGKILL", db.name)).await;

        // restart and let it finish
        let mut child = serve(dir.path(), pg.as_deref());
        let deadline = Instant::now() + Duration::from_secs(120);
        while count(&maildir.join("new")) > 0 || stored_ids(&url).await.len() < MESSAGES {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("{}: restarted serve exited: {status}", db.name);
            }
            assert!(
                Instant::now() < deadline,
                "{}: after the restart, {} left in new/ and {} stored after 120 s",
                db.name,
                count(&maildir.join("new")),
                stored_ids(&url).await.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        child.kill().unwrap();
        child.wait().unwrap();

        let ids = stored_ids(&url).await;
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(ids.len(), MESSAGES, "{}: stored rows", db.name);
        assert_eq!(unique.len(), MESSAGES, "{}: stored twice", db.name);
        for i in 0..MESSAGES {
            assert!(
                unique.contains(&format!("crash-{i}@example.org")),
                "{}: message {i} lost",
                db.name
            );
        }
        assert_eq!(count(&maildir.join("cur")), MESSAGES);
        assert_seen_have_enquiries(&maildir, &url, &format!("{} at the end", db.name)).await;
        db.finish().await;
    }
}
