//! Two `fpt-assist serve` processes on one PostgreSQL database and one Maildir: exactly one
//! watches the mailbox (advisory lock), both send the outbox (SKIP LOCKED). Every message is
//! ingested once, every reply sent once, and when the watcher is killed the other instance
//! takes the mailbox over within seconds. Needs TEST_DATABASE_URL (skipped without it).

mod service_common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Connection, Row};

const MESSAGES: usize = 200;
const WATCHING: &str = "watching (mailbox lock taken)";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cmd(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fpt-assist"));
    c.current_dir(dir)
        .env("DATABASE_URL", url)
        .env("NO_COLOR", "1")
        .arg("--kb")
        .arg(repo().join("faq"))
        .arg("--templates")
        .arg(repo().join("templates"))
        .args(args)
        .arg("--config")
        .arg(dir.join("fpt.toml"));
    c
}

struct Instance {
    dir: PathBuf,
    child: Child,
}

impl Instance {
    fn start(dir: &Path, url: &str, maildir: &Path) -> Instance {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(
            dir.join("fpt.toml"),
            format!(
                "data_dir = \"var\"\n[mail]\nmaildir = \"{}\"\npoll_ms = 200\n",
                maildir.display()
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.join("serve.log")).unwrap();
        let child = cmd(dir, url, &["serve"])
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("serve starts");
        Instance {
            dir: dir.to_path_buf(),
            child,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("serve.log")).unwrap_or_default()
    }

    fn watches(&self) -> bool {
        self.log().contains(WATCHING)
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn outbox_files(&self) -> Vec<String> {
        service_common::files_in(&self.dir.join("var/outbox"))
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .filter(|n| n.ends_with(".eml"))
            .collect()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn message(i: usize) -> String {
    let body = if i.is_multiple_of(2) {
        service_common::ANSWERABLE
    } else {
        service_common::ROUTED
    };
    format!(
        "From: sender{i}@example.org\r\nTo: flexibleportfoliotraining@hee.nhs.uk\r\n\
         Subject: question {i}\r\nMessage-ID: <two-{i}@example.org>\r\n\r\n{body}\r\n"
    )
}

fn deliver(maildir: &Path, name: &str, text: &str) {
    let tmp = maildir.join("tmp").join(name);
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, maildir.join("new").join(name)).unwrap();
}

/// A count, or `None` while the database is not there yet (the instances migrate it).
async fn try_scalar(url: &str, sql: &'static str) -> Option<i64> {
    let mut conn = AnyConnection::connect(url).await.ok()?;
    let n = sqlx::query(sql)
        .fetch_one(&mut conn)
        .await
        .ok()?
        .try_get(0)
        .ok();
    let _ = conn.close().await;
    n
}

async fn scalar(url: &str, sql: &'static str) -> i64 {
    try_scalar(url, sql).await.expect("count query")
}

async fn wait_for(
    what: &str,
    instances: &mut [&mut Instance],
    mut done: impl AsyncFnMut() -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !done().await {
        for i in instances.iter_mut() {
            assert!(
                i.alive(),
                "serve in {} exited:\n{}",
                i.dir.display(),
                i.log()
            );
        }
        assert!(
            Instant::now() < deadline,
            "timed out after 120 s waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[cfg(unix)]
#[tokio::test]
async fn two_instances_share_one_database_and_one_mailbox() {
    let Some(db) = service_common::databases()
        .await
        .into_iter()
        .find(|d| d.name == "postgres")
    else {
        std::io::Write::write_fmt(
            &mut std::io::stderr(),
            format_args!(
                "skipping: TEST_DATABASE_URL not set (two serve instances need PostgreSQL)\n"
            ),
        )
        .ok();
        return;
    };
    let url = db.url.clone();
    let root = tempfile::tempdir().unwrap();
    let maildir = root.path().join("shared-mail");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    for i in 0..MESSAGES {
        deliver(&maildir, &format!("{i:04}.eml"), &message(i));
    }
    let mut a = Instance::start(&root.path().join("a"), &url, &maildir);
    let mut b = Instance::start(&root.path().join("b"), &url, &maildir);

    wait_for(
        "every message to be ingested",
        &mut [&mut a, &mut b],
        async || {
            try_scalar(&url, "SELECT COUNT(*) FROM enquiries").await == Some(MESSAGES as i64)
                && service_common::files_in(&maildir.join("new")).is_empty()
        },
    )
    .await;
    assert!(
        a.watches() != b.watches(),
        "exactly one instance must watch the mailbox:\n--- a\n{}\n--- b\n{}",
        a.log(),
        b.log()
    );
    assert_eq!(
        scalar(&url, "SELECT COUNT(DISTINCT external_id) FROM enquiries").await,
        MESSAGES as i64
    );

    // approve every draft from the command line, half through each instance's folder
    let waiting: Vec<i64> = {
        let mut conn = AnyConnection::connect(&url).await.unwrap();
        let rows = sqlx::query("SELECT id FROM enquiries WHERE status = 'waiting' ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        rows.iter().map(|r| r.try_get("id").unwrap()).collect()
    };
    assert_eq!(waiting.len(), MESSAGES / 2);
    for (n, id) in waiting.iter().enumerate() {
        let dir = if n.is_multiple_of(2) { &a.dir } else { &b.dir };
        let out = cmd(dir, &url, &["approve", &id.to_string(), "--as", "alice"])
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "approve {id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // replies, lead notifications and acknowledgements (one per routed sender)
    let expected = (MESSAGES / 2 + MESSAGES / 2 * 2) as i64;
    wait_for(
        "every outbox row to be sent",
        &mut [&mut a, &mut b],
        async || {
            scalar(&url, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await == expected
        },
    )
    .await;
    assert_eq!(scalar(&url, "SELECT COUNT(*) FROM outbox").await, expected);
    assert_eq!(
        scalar(&url, "SELECT COUNT(*) FROM outbox WHERE attempts <> 1").await,
        0,
        "a row was claimed twice"
    );
    assert_eq!(
        scalar(&url, "SELECT COUNT(*) FROM audit_log WHERE action = 'sent'").await,
        expected,
        "sent audit rows"
    );
    let (fa, fb) = (a.outbox_files(), b.outbox_files());
    let all: HashSet<&String> = fa.iter().chain(fb.iter()).collect();
    assert_eq!(
        fa.len() + fb.len(),
        expected as usize,
        "one outbox file per message (a: {}, b: {})",
        fa.len(),
        fb.len()
    );
    assert_eq!(all.len(), expected as usize, "a key was written by both");
    let keys: HashSet<String> = {
        let mut conn = AnyConnection::connect(&url).await.unwrap();
        let rows = sqlx::query("SELECT idempotency_key FROM outbox")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        rows.iter()
            .map(|r| format!("{}.eml", r.try_get::<String, _>(0).unwrap()))
            .collect()
    };
    assert_eq!(keys, all.into_iter().cloned().collect::<HashSet<String>>());

    // kill the watcher: the other takes the mailbox over within seconds
    let (holder, standby) = if a.watches() {
        (&mut a, &mut b)
    } else {
        (&mut b, &mut a)
    };
    holder.child.kill().unwrap(); // SIGKILL: its connection, and so its lock, goes away
    holder.child.wait().unwrap();
    let killed_at = Instant::now();
    deliver(&maildir, "after.eml", &message(MESSAGES));
    wait_for(
        "the standby to ingest new mail",
        &mut [standby],
        async || scalar(&url, "SELECT COUNT(*) FROM enquiries").await == MESSAGES as i64 + 1,
    )
    .await;
    let takeover = killed_at.elapsed();
    eprintln!("takeover: new mail ingested {takeover:?} after the watcher was killed");
    assert!(
        takeover < Duration::from_secs(10),
        "takeover took {takeover:?}"
    );
    assert!(standby.watches(), "{}", standby.log());
    drop(a);
    drop(b);
    db.finish().await;
}
