//! `ImapSource` against a real, throwaway Dovecot (tests/support/dovecot.sh).
//!
//! Each test starts its own Dovecot on a free port in a tempdir under /tmp. Without
//! /usr/sbin/dovecot (see .ci/install-deps.sh) the tests print a reason and pass.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fpt_assist::mail::imap::{
    connect_with_backoff, Backoff, ImapAuth, ImapConfig, ImapError, ImapSource,
};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/dovecot.sh");

/// A running Dovecot; stopped on drop.
struct Dovecot {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    port: u16,
    counter: std::cell::Cell<u32>,
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local addr").port()
}

fn start_script(dir: &Path, port: u16) {
    let out = Command::new("bash")
        .arg(SCRIPT)
        .arg("start")
        .arg(dir)
        .arg(port.to_string())
        .output()
        .expect("run dovecot.sh");
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("ready"),
        "dovecot.sh start failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn append_script(dir: &Path, eml: &Path, mailbox: &str) {
    let out = Command::new("bash")
        .arg(SCRIPT)
        .arg("append")
        .arg(dir)
        .arg(eml)
        .arg(mailbox)
        .output()
        .expect("run dovecot.sh append");
    assert!(
        out.status.success(),
        "append failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Dovecot {
    /// Starts Dovecot, or returns None (with a printed reason) when it is not installed.
    fn start() -> Option<Dovecot> {
        if !Path::new("/usr/sbin/dovecot").exists() {
            std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("skipping: dovecot not installed (run .ci/install-deps.sh)\n"),
            )
            .ok();
            return None;
        }
        let tmp = tempfile::Builder::new()
            .prefix("fpt-imap-")
            .tempdir_in("/tmp")
            .expect("tempdir");
        // Dovecot runs as nobody when we are root: the parent must be traversable.
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o711))
            .expect("chmod tempdir");
        let dir = tmp.path().join("d");
        let d = Dovecot {
            _tmp: tmp,
            dir,
            port: free_port(),
            counter: std::cell::Cell::new(0),
        };
        d.run_start();
        Some(d)
    }

    fn run_start(&self) {
        start_script(&self.dir, self.port);
    }

    /// Starts Dovecot again (same dir and port) from another thread after `delay`.
    fn start_later(&self, delay: Duration) -> std::thread::JoinHandle<()> {
        let (dir, port) = (self.dir.clone(), self.port);
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            start_script(&dir, port);
        })
    }

    fn stop(&self) {
        let _ = Command::new("bash")
            .arg(SCRIPT)
            .arg("stop")
            .arg(&self.dir)
            .output();
    }

    /// Writes a small message file for `append_*`.
    fn message(&self, subject: &str) -> PathBuf {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        let eml = self._tmp.path().join(format!("m{n}.eml"));
        let body = format!(
            "From: Student <student{n}@example.org>\r\nTo: fpt@example.org\r\n\
             Subject: {subject}\r\nMessage-ID: <m{n}@example.org>\r\n\
             Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nHello, question {n}.\r\n"
        );
        std::fs::write(&eml, body).expect("write eml");
        eml
    }

    /// Delivers a small message into `mailbox` with doveadm.
    fn append_to(&self, subject: &str, mailbox: &str) {
        append_script(&self.dir, &self.message(subject), mailbox);
    }

    /// Delivers a message into INBOX from another thread after `delay`.
    fn append_later(&self, subject: &str, delay: Duration) -> std::thread::JoinHandle<()> {
        let (dir, eml) = (self.dir.clone(), self.message(subject));
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            append_script(&dir, &eml, "INBOX");
        })
    }

    fn append(&self, subject: &str) {
        self.append_to(subject, "INBOX");
    }

    fn config(&self) -> ImapConfig {
        let mut c = ImapConfig::new(
            "127.0.0.1",
            self.port,
            "fpt",
            ImapAuth::Password("secret".into()),
        );
        c.tls = false;
        c
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn connected(d: &Dovecot) -> (ImapSource, u32) {
    let mut s = ImapSource::connect(&d.config()).await.expect("connect");
    let v = s.select().await.expect("select");
    (s, v)
}

#[tokio::test]
async fn fetch_peeks_and_mark_processed_sets_seen() {
    let Some(d) = Dovecot::start() else { return };
    for i in 1..=3 {
        d.append(&format!("Question {i}"));
    }
    let (mut s, uidvalidity) = connected(&d).await;
    assert!(uidvalidity > 0);

    let msgs = s.fetch_since(0).await.expect("fetch");
    assert_eq!(msgs.len(), 3);
    assert!(msgs.windows(2).all(|w| w[0].uid < w[1].uid), "UID order");
    for (i, m) in msgs.iter().enumerate() {
        let raw = String::from_utf8_lossy(&m.raw);
        assert!(
            raw.contains(&format!("Subject: Question {}", i + 1)),
            "{raw}"
        );
        assert!(raw.contains("Hello, question"), "full body fetched: {raw}");
        assert!(!m.seen, "new mail starts unseen");
    }
    // Fetching did not set \Seen (BODY.PEEK[]): seen from a second, independent session too.
    let (mut other, _) = connected(&d).await;
    assert!(other
        .fetch_since(0)
        .await
        .expect("fetch")
        .iter()
        .all(|m| !m.seen));

    s.mark_processed(msgs[0].uid).await.expect("mark");
    let again = other.fetch_since(0).await.expect("fetch");
    assert_eq!(again.len(), 3, "without processed_folder the message stays");
    assert!(again[0].seen, "processed message is \\Seen");
    assert!(!again[1].seen && !again[2].seen);

    // Nothing after the last UID, even though `n:*` on the server returns the last message.
    let last = msgs[2].uid;
    assert!(s.fetch_since(last).await.expect("fetch").is_empty());
    assert!(s.fetch_since(last + 100).await.expect("fetch").is_empty());
    assert!(s.fetch_since(u32::MAX).await.expect("fetch").is_empty());
    assert_eq!(s.fetch_since(msgs[0].uid).await.expect("fetch").len(), 2);
}

#[tokio::test]
async fn idle_wakes_up_on_new_mail() {
    let Some(d) = Dovecot::start() else { return };
    d.append("First");
    let (mut s, _) = connected(&d).await;
    assert!(s.uses_idle(), "dovecot advertises IDLE");
    let first = s.fetch_since(0).await.expect("fetch");
    assert_eq!(first.len(), 1);
    let last = first[0].uid;

    // Nothing arrives: false after the timeout.
    let t = Instant::now();
    assert!(!s
        .wait_for_new(Duration::from_millis(800))
        .await
        .expect("idle"));
    assert!(
        t.elapsed() >= Duration::from_millis(700),
        "{:?}",
        t.elapsed()
    );
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());

    // Mail delivered while idling: true well before the 30 s timeout.
    let appender = d.append_later("While idling", Duration::from_millis(700));
    let t = Instant::now();
    assert!(
        s.wait_for_new(Duration::from_secs(30)).await.expect("idle"),
        "IDLE reported new mail"
    );
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    appender.join().expect("append thread");
    let new = s.fetch_since(last).await.expect("fetch after idle");
    assert_eq!(new.len(), 1);
    assert!(String::from_utf8_lossy(&new[0].raw).contains("Subject: While idling"));

    // The session is usable after IDLE/DONE, and mail that arrived between commands (not
    // during IDLE) is still noticed.
    d.append("Between commands");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(s.wait_for_new(Duration::from_secs(10)).await.expect("idle"));
}

#[tokio::test]
async fn polling_fallback_notices_new_mail() {
    let Some(d) = Dovecot::start() else { return };
    let (mut s, _) = connected(&d).await;
    s.set_use_idle(false);
    assert!(!s.uses_idle());
    assert!(!s
        .wait_for_new(Duration::from_millis(300))
        .await
        .expect("poll"));
    d.append("Polled");
    assert!(s
        .wait_for_new(Duration::from_millis(300))
        .await
        .expect("poll"));
    assert_eq!(s.fetch_since(0).await.expect("fetch").len(), 1);
}

#[tokio::test]
async fn processed_folder_receives_moved_messages() {
    let Some(d) = Dovecot::start() else { return };
    d.append("Move me");
    d.append("Keep me");
    let mut cfg = d.config();
    cfg.processed_folder = Some("Processed".into()); // does not exist yet: created on demand
    let mut s = ImapSource::connect(&cfg).await.expect("connect");
    s.select().await.expect("select");
    let msgs = s.fetch_since(0).await.expect("fetch");
    assert_eq!(msgs.len(), 2);
    s.mark_processed(msgs[0].uid).await.expect("move");

    let left = s.fetch_since(0).await.expect("fetch");
    assert_eq!(left.len(), 1);
    assert!(String::from_utf8_lossy(&left[0].raw).contains("Keep me"));

    let mut pcfg = d.config();
    pcfg.mailbox = "Processed".into();
    let mut p = ImapSource::connect(&pcfg).await.expect("connect");
    p.select().await.expect("select Processed");
    let moved = p.fetch_since(0).await.expect("fetch");
    assert_eq!(moved.len(), 1);
    assert!(moved[0].seen, "moved message carries \\Seen");
    assert!(String::from_utf8_lossy(&moved[0].raw).contains("Move me"));

    // A second move reuses the existing folder.
    s.mark_processed(left[0].uid).await.expect("move");
    assert!(s.fetch_since(0).await.expect("fetch").is_empty());
}

#[tokio::test]
async fn lost_connection_is_reported_and_reconnect_works() {
    let Some(d) = Dovecot::start() else { return };
    d.append("Before restart");
    let (mut s, uidvalidity) = connected(&d).await;
    let (mut idler, _) = connected(&d).await;
    assert_eq!(s.fetch_since(0).await.expect("fetch").len(), 1);

    // One session idles while the server goes away.
    let idle = tokio::spawn(async move {
        let r = idler.wait_for_new(Duration::from_secs(60)).await;
        (idler, r)
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    d.stop();

    let (mut idler, r) = tokio::time::timeout(Duration::from_secs(20), idle)
        .await
        .expect("IDLE returns when the server goes away")
        .expect("join");
    let err = r.expect_err("IDLE on a dead connection");
    assert!(err.is_connection_lost(), "{err}");

    let err = s
        .fetch_since(0)
        .await
        .expect_err("fetch on a dead connection");
    assert!(err.is_connection_lost(), "{err}");
    // Later calls keep saying so instead of touching the broken stream.
    let err = s.mark_processed(1).await.expect_err("dead");
    assert!(err.is_connection_lost(), "{err}");
    let err = idler
        .wait_for_new(Duration::from_secs(1))
        .await
        .expect_err("dead");
    assert!(err.is_connection_lost(), "{err}");

    // Server down: connect fails with a connection error naming the setting.
    let err = ImapSource::connect(&d.config()).await.expect_err("down");
    assert!(err.is_connection_lost(), "{err}");
    assert!(matches!(err, ImapError::Connect { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("cannot connect to 127.0.0.1:{}:", d.port)),
        "{msg}"
    );
    assert!(msg.ends_with("check [imap] host/port"), "{msg}");

    // Bring it back a little later; connect_with_backoff keeps retrying until then.
    let starter = d.start_later(Duration::from_millis(600));
    let mut backoff = Backoff::with_limits(Duration::from_millis(100), Duration::from_secs(1));
    let (mut s2, v2) = connect_with_backoff(&d.config(), &mut backoff)
        .await
        .expect("reconnect");
    starter.join().expect("start thread");
    assert_eq!(v2, uidvalidity, "same mailbox after restart");
    assert_eq!(
        s2.fetch_since(0)
            .await
            .expect("fetch after reconnect")
            .len(),
        1
    );
    assert_eq!(
        backoff.next_delay(),
        Duration::from_millis(100),
        "reset on success"
    );
}

#[tokio::test]
async fn configuration_errors_are_clear_and_not_retried() {
    let Some(d) = Dovecot::start() else { return };

    let mut cfg = d.config();
    cfg.auth = ImapAuth::Password("wrong".into());
    let err = ImapSource::connect(&cfg).await.expect_err("bad password");
    assert!(matches!(err, ImapError::Auth { .. }), "{err}");
    assert!(!err.is_connection_lost());
    assert!(err.to_string().contains("check [imap] username"), "{err}");

    // Dovecot here offers only PLAIN/LOGIN: XOAUTH2 is refused cleanly (no hang).
    let mut cfg = d.config();
    cfg.auth = ImapAuth::XOAuth2 {
        token: "ya29.token".into(),
    };
    let err = tokio::time::timeout(Duration::from_secs(10), ImapSource::connect(&cfg))
        .await
        .expect("no hang")
        .expect_err("xoauth2 unsupported");
    assert!(matches!(err, ImapError::Auth { .. }), "{err}");

    let mut cfg = d.config();
    cfg.mailbox = "No/Such/Box".into();
    let mut s = ImapSource::connect(&cfg).await.expect("connect");
    let err = s.select().await.expect_err("missing mailbox");
    assert!(matches!(err, ImapError::Mailbox { .. }), "{err}");
    assert!(err.to_string().contains("check [imap] mailbox"), "{err}");

    let mut backoff = Backoff::new();
    let mut cfg = d.config();
    cfg.auth = ImapAuth::Password("wrong".into());
    let t = Instant::now();
    let err = connect_with_backoff(&cfg, &mut backoff)
        .await
        .expect_err("auth errors are returned, not retried");
    assert!(matches!(err, ImapError::Auth { .. }), "{err}");
    assert!(t.elapsed() < Duration::from_secs(5));

    // fetch before select is a usage error.
    let mut s = ImapSource::connect(&d.config()).await.expect("connect");
    let err = s.fetch_since(0).await.expect_err("not selected");
    assert!(matches!(err, ImapError::NotSelected { .. }), "{err}");
}

#[tokio::test]
async fn processed_folder_without_move_uses_copy_and_expunge() {
    let Some(d) = Dovecot::start() else { return };
    d.append("Copy me");
    d.append("Leave me");
    let mut cfg = d.config();
    cfg.processed_folder = Some("Done".into());
    let mut s = ImapSource::connect(&cfg).await.expect("connect");
    assert!(s.supports_move());
    s.set_use_move(false);
    assert!(!s.supports_move());
    s.select().await.expect("select");
    let msgs = s.fetch_since(0).await.expect("fetch");
    assert_eq!(msgs.len(), 2);

    s.mark_processed(msgs[0].uid).await.expect("copy + expunge");
    let left = s.fetch_since(0).await.expect("fetch");
    assert_eq!(left.len(), 1);
    assert!(String::from_utf8_lossy(&left[0].raw).contains("Leave me"));

    let mut dcfg = d.config();
    dcfg.mailbox = "Done".into();
    let mut done = ImapSource::connect(&dcfg).await.expect("connect");
    done.select().await.expect("select Done");
    let copied = done.fetch_since(0).await.expect("fetch");
    assert_eq!(copied.len(), 1);
    assert!(copied[0].seen);
    assert!(String::from_utf8_lossy(&copied[0].raw).contains("Copy me"));
}
