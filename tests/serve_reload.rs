//! Live knowledge-base changes: the built binary's `serve --listen` on a copy of `faq/` in a
//! temp folder. An entry file added, changed and removed on disk is taken into use within 5 s
//! without a restart (mail dropped afterwards is answered from it, with its new text, then
//! routed again); a broken file keeps the previous base in use, and the log and the
//! knowledge-base page say why.
//!
//! Runs with the model when `FPT_TEST_MODEL` (or `models/all-MiniLM-L6-v2`) is there, lexical
//! matching otherwise; needs no server.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod service_common;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The model folder to use, or "none" (lexical matching) when it is not installed.
fn model_arg() -> String {
    let dir = std::env::var_os("FPT_TEST_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("models/all-MiniLM-L6-v2"));
    if dir.join("model.safetensors").exists() {
        dir.display().to_string()
    } else {
        "none".into()
    }
}

fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fpt-assist"));
    c.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("FPT_CONFIG")
        .env_remove("FPT_MODEL")
        .env("RUST_LOG", "info")
        .arg("--kb")
        .arg(dir.join("faq"))
        .arg("--templates")
        .arg(repo().join("templates"))
        .arg("--model")
        .arg(model_arg())
        .args(args);
    c
}

struct Serve {
    child: Child,
    base: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start(dir: &Path, log: &Path) -> Serve {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(log).unwrap();
    let child = cmd(dir, &["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("serve starts");
    let serve = Serve {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(r) = reqwest::get(format!("{}/healthz", serve.base)).await {
            if r.status() == 200 {
                return serve;
            }
        }
        assert!(Instant::now() < deadline, "serve did not answer /healthz");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// Signs in as `name`; the session cookie.
async fn sign_in(base: &str, name: &str, password: &str) -> String {
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = c.get(format!("{base}/login")).send().await.unwrap();
    let login = cookie(&form, "fpt_csrf").unwrap();
    let html = form.text().await.unwrap();
    let key = "name=\"csrf\" value=\"";
    let at = html.find(key).map(|i| i + key.len()).unwrap_or(0);
    let csrf = html[at..].split('"').next().unwrap_or_default().to_string();
    let res = c
        .post(format!("{base}/login"))
        .header("Cookie", login)
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", name),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sign-in refused");
    cookie(&res, "fpt_session").expect("a session cookie")
}

async fn kb_page(base: &str, session: &str) -> String {
    reqwest::Client::new()
        .get(format!("{base}/kb"))
        .header("Cookie", session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

const QUESTION: &str = "Where can I lock up my bicycle?";

fn entry(marker: &str) -> String {
    format!(
        "+++\nid = \"bicycle-storage\"\ntitle = \"Bicycle storage (test entry)\"\nquestions = [\n  \
         \"Where can I lock up my bicycle?\",\n  \"Is there somewhere to store a bike?\",\n  \
         \"bike shed?\",\n]\n+++\n{marker}: this answer exists only in a test.\n"
    )
}

/// How many times the log says the base was reloaded / a change was refused.
fn count(log: &Path, needle: &str) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .matches(needle)
        .count()
}

const RELOADED: &str = "knowledge base reloaded";
const REFUSED: &str = "knowledge-base change refused";

/// Waits until the log says `needle` more than `before` times; the time it took.
async fn wait_log(log: &Path, needle: &str, before: usize, since: Instant) -> Duration {
    let deadline = since + Duration::from_secs(30);
    while count(log, needle) <= before {
        assert!(
            Instant::now() < deadline,
            "the log never said `{needle}`:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    since.elapsed()
}

/// Writes a file the way editors do: a temporary file renamed into place.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Drops a question into the Maildir and waits for its enquiry; (decision, latest draft text).
async fn ask(root: &Path, n: usize) -> (String, String) {
    let tmp = root.join("var/mail/tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::create_dir_all(root.join("var/mail/new")).unwrap();
    let mail = format!(
        "From: trainee{n}@example.org\r\nTo: fpt@example.org\r\nSubject: bike {n}\r\n\
         Message-ID: <reload-{n}@example.org>\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n\r\n\
         Hello,\r\n\r\n{QUESTION}\r\n\r\nThanks\r\n"
    );
    std::fs::write(tmp.join(format!("{n}.eml")), mail).unwrap();
    std::fs::rename(
        tmp.join(format!("{n}.eml")),
        root.join(format!("var/mail/new/{n}.eml")),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = cmd(root, &["queue", "--status", "all", "--json"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let row = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["subject"] == format!("bike {n}"));
        if let Some(row) = row {
            let id = row["id"].as_i64().unwrap().to_string();
            let show = cmd(root, &["show", &id, "--json"]).output().unwrap();
            let shown: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
            let draft = shown["drafts"]
                .as_array()
                .and_then(|d| d.last())
                .map(|d| d["text"].as_str().unwrap_or_default().to_string())
                .unwrap_or_default();
            return (row["decision"].as_str().unwrap().to_string(), draft);
        }
        assert!(Instant::now() < deadline, "mail {n} was never ingested");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn serve_takes_faq_changes_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    service_common::copy_dir(&repo().join("faq"), &root.join("faq"));
    let log = root.join("serve.log");
    let mut add = cmd(root, &["user", "add", "ada", "--role", "admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"a long passphrase\n")
        .unwrap();
    assert!(add.wait().unwrap().success());

    let serve = start(root, &log).await;

    // the shipped base does not cover bicycles: routed
    let (decision, _) = ask(root, 1).await;
    assert_eq!(decision, "route");

    // added: in use within 5 s, and the next mail is answered from it
    let file = root.join("faq/entries/bicycle-storage.md");
    let reloads = count(&log, RELOADED);
    let t0 = Instant::now();
    save(&file, &entry("RELOAD-MARKER-1"));
    let took = wait_log(&log, RELOADED, reloads, t0).await;
    assert!(took < Duration::from_secs(5), "reload took {took:?}");
    let (decision, draft) = ask(root, 2).await;
    assert_eq!(
        decision,
        "answer",
        "{draft}\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(draft.contains("RELOAD-MARKER-1"), "{draft}");

    // changed: the new answer text is used
    let reloads = count(&log, RELOADED);
    let t0 = Instant::now();
    save(&file, &entry("RELOAD-MARKER-2"));
    let took = wait_log(&log, RELOADED, reloads, t0).await;
    assert!(took < Duration::from_secs(5), "reload took {took:?}");
    let (decision, draft) = ask(root, 3).await;
    assert_eq!(decision, "answer", "{draft}");
    assert!(draft.contains("RELOAD-MARKER-2"), "{draft}");

    // a broken file: refused, the previous base stays in use and the page says why
    let refused = count(&log, REFUSED);
    let broken = root.join("faq/entries/broken.md");
    save(
        &broken,
        "+++\nid = \"broken\"\ntitle = \"Broken\nquestions = []\n+++\nAn answer.\n",
    );
    wait_log(&log, REFUSED, refused, Instant::now()).await;
    let (decision, draft) = ask(root, 4).await;
    assert_eq!(
        decision,
        "answer",
        "the old base must stay in use: {draft}\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(draft.contains("RELOAD-MARKER-2"), "{draft}");
    let session = sign_in(&serve.base, "ada", "a long passphrase").await;
    let page = kb_page(&serve.base, &session).await;
    assert!(
        page.contains("id=\"reload-problem\"") && page.contains("broken.md"),
        "the knowledge-base page must name the broken file:\n{page}"
    );

    // the entry removed, then the broken file (so no reload can succeed in between): routed
    // again, and the problem is gone from the page
    let reloads = count(&log, RELOADED);
    std::fs::remove_file(&file).unwrap();
    let t0 = Instant::now();
    std::fs::remove_file(&broken).unwrap();
    let took = wait_log(&log, RELOADED, reloads, t0).await;
    assert!(took < Duration::from_secs(5), "reload took {took:?}");
    let (decision, _) = ask(root, 5).await;
    assert_eq!(decision, "route");
    let page = kb_page(&serve.base, &session).await;
    assert!(!page.contains("id=\"reload-problem\""), "{page}");
}
