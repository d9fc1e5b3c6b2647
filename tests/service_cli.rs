//! End to end through the built binary, in a temp folder with no config file: a message
//! dropped into var/mail/new is served, listed, approved and written to var/outbox.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod service_common;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cmd(dir: &Path, args: &[&str]) -> Command {
    cmd_db(dir, None, args)
}

/// The binary in `dir`, on the default SQLite database or on `database_url`.
fn cmd_db(dir: &Path, database_url: Option<&str>, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fpt-assist"));
    match database_url {
        Some(url) => c.env("DATABASE_URL", url),
        None => c.env_remove("DATABASE_URL"),
    };
    c.current_dir(dir)
        .env_remove("FPT_CONFIG")
        .env("RUST_LOG", "warn")
        .arg("--kb")
        .arg(repo().join("faq"))
        .arg("--templates")
        .arg(repo().join("templates"))
        .args(args);
    c
}

fn run_db(dir: &Path, db: Option<&str>, args: &[&str]) -> Output {
    let out = cmd_db(dir, db, args).output().expect("binary runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn queue(dir: &Path) -> Vec<serde_json::Value> {
    queue_db(dir, None)
}

fn queue_db(dir: &Path, db: Option<&str>) -> Vec<serde_json::Value> {
    let out = run_db(dir, db, &["queue", "--json"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("queue --json prints JSON lines"))
        .collect()
}

const QUESTION: &[u8] = b"From: \"Sam Jones\" <sam@example.org>\r\nTo: flexibleportfoliotraining@hee.nhs.uk\r\nSubject: eligibility\r\nMessage-ID: <cli1@example.org>\r\n\r\nCan I apply for FPT if I am a GP trainee?\r\n";

#[test]
fn serve_once_queue_approve_and_the_reply_is_written() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for db in runtime.block_on(service_common::databases()) {
        // SQLite: the default database under var/, as on a fresh clone
        let url = (db.name == "postgres").then(|| db.url.clone());
        end_to_end(url.as_deref());
        runtime.block_on(db.finish());
    }
}

fn end_to_end(db: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("var/mail/new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(new.join("1.eml"), QUESTION).unwrap();

    run_db(dir.path(), db, &["serve", "--once"]);
    assert_eq!(dir.path().join("var/fpt-assist.db").exists(), db.is_none());
    assert_eq!(std::fs::read_dir(&new).unwrap().count(), 0, "moved to cur/");

    let rows = queue_db(dir.path(), db);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    for key in [
        "id",
        "channel",
        "external_id",
        "from",
        "subject",
        "decision",
        "confidence",
        "region",
        "status",
        "thread",
    ] {
        assert!(row.get(key).is_some(), "queue --json lacks {key}: {row}");
    }
    assert_eq!(row["status"], "waiting");
    assert_eq!(row["external_id"], "cli1@example.org");
    let id = row["id"].as_i64().unwrap().to_string();

    let shown = run_db(dir.path(), db, &["show", &id]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("waiting for approval"));

    run_db(dir.path(), db, &["approve", &id, "--as", "alice"]);
    run_db(dir.path(), db, &["approve", &id, "--as", "alice"]);
    run_db(dir.path(), db, &["serve", "--once"]);
    let outbox: Vec<PathBuf> = std::fs::read_dir(dir.path().join("var/outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    let text = std::fs::read_to_string(&outbox[0]).unwrap();
    assert!(text.contains("In-Reply-To: <cli1@example.org>"), "{text}");
    assert!(text.contains("References: <cli1@example.org>"));
    assert!(text.contains("Subject: Re: eligibility"));
    assert_eq!(queue_db(dir.path(), db)[0]["status"], "sent");

    let sent = run_db(dir.path(), db, &["queue", "--status", "sent"]);
    assert!(String::from_utf8_lossy(&sent.stdout).contains("1 enquiries"));
    let check = run_db(dir.path(), db, &["config", "check"]);
    assert!(String::from_utf8_lossy(&check.stdout).contains("ok"));
}

#[test]
fn bad_config_and_unknown_ids_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "[outbox]\ntransport = \"pigeon\"\n",
    )
    .unwrap();
    let out = cmd(dir.path(), &["config", "check", "--config", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("pigeon"));
    let out = cmd(dir.path(), &["approve", "42"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("42"));
}

#[cfg(unix)]
#[test]
fn serve_picks_up_new_mail_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = cmd(dir.path(), &["serve"]).spawn().unwrap();
    let new = dir.path().join("var/mail/new");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !new.is_dir() {
        assert!(
            Instant::now() < deadline,
            "serve did not create var/mail/new"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::write(dir.path().join("var/mail/tmp/1.eml"), QUESTION).unwrap();
    std::fs::rename(dir.path().join("var/mail/tmp/1.eml"), new.join("1.eml")).unwrap();
    while std::fs::read_dir(&new).unwrap().count() > 0 {
        assert!(
            Instant::now() < deadline,
            "serve did not pick the message up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
    assert_eq!(queue(dir.path()).len(), 1);
}

/// One HTTP/1.1 GET on `stream`, keeping the connection open; the response head and body.
fn http_get(stream: &mut std::net::TcpStream, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"
    )?;
    let mut response = Vec::new();
    let mut buf = [0u8; 1024];
    // the head, then `content-length` bytes of body
    let complete = |r: &[u8]| {
        let text = String::from_utf8_lossy(r);
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            return false;
        };
        let length = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        body.len() >= length
    };
    while !complete(&response) {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&response).into_owned())
}

#[cfg(unix)]
#[test]
fn serve_listen_stops_the_web_app_on_sigterm() {
    use std::io::Read;
    use std::net::TcpStream;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = cmd(dir.path(), &["serve", "--listen", &addr])
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    // the web app answers /healthz, on a connection we keep open (idle keep-alive)
    let mut idle = loop {
        if let Ok(mut s) = TcpStream::connect(&addr) {
            if let Ok(r) = http_get(&mut s, "/healthz") {
                if r.starts_with("HTTP/1.1 200") && r.ends_with("\r\n\r\nok\n") {
                    break s;
                }
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("serve --listen exited early: {status:?}");
        }
        assert!(Instant::now() < deadline, "/healthz never answered");
        std::thread::sleep(Duration::from_millis(100));
    };

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let sent = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if sent.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("serve --listen did not stop within 10 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(status.success(), "{status:?}\n{log}");
    assert!(
        log.contains("web app stopped"),
        "the web server stopped with the rest, gracefully:\n{log}"
    );
    // its connections are closed and the port no longer answers
    let mut rest = Vec::new();
    assert_eq!(idle.read_to_end(&mut rest).unwrap_or(0), 0);
    assert!(
        TcpStream::connect(&addr).is_err(),
        "nothing listens any more"
    );
}
