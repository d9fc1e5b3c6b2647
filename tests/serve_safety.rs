//! The built binary's `serve --listen`, in a temp folder: a broken file in `faq/` does not stop
//! it (and `config check`, the log and the knowledge-base page name the file and line),
//! hostile sign-in names never reach the log as typed, an FAQ entry written from the web with
//! a front-matter injection leaves `kb check` clean and `serve` restarting; and purged
//! personal details are gone from the SQLite file itself (`strings`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod service_common;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fpt-assist"));
    c.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("FPT_CONFIG")
        .env("RUST_LOG", "info")
        .arg("--kb")
        .arg(dir.join("faq"))
        .arg("--templates")
        .arg(repo().join("templates"))
        .args(args);
    c
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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
    let port = free_port();
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let child = cmd(dir, &["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("serve starts");
    let serve = Serve {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client.get(format!("{}/healthz", serve.base)).send().await {
            if r.status() == 200 {
                return serve;
            }
        }
        assert!(Instant::now() < deadline, "serve did not answer /healthz");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn field(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html.find(&key).map(|i| i + key.len()).unwrap_or(0);
    html[at..].split('"').next().unwrap_or_default().to_string()
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

/// Signs in; `Some(session cookie)` on success.
async fn sign_in(base: &str, name: &str, password: &str) -> Option<String> {
    let c = client();
    let form = c.get(format!("{base}/login")).send().await.unwrap();
    let login = cookie(&form, "fpt_csrf").unwrap();
    let csrf = field(&form.text().await.unwrap(), "csrf");
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
    (res.status() == 303)
        .then(|| cookie(&res, "fpt_session"))
        .flatten()
}

/// The new-entry form made from the first routed enquiry, once it has been ingested (up to
/// 30 s).
async fn routed_entry_form(base: &str, session: &str) -> String {
    let c = client();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = c
            .get(format!("{base}/kb/new?from=1"))
            .header("Cookie", session)
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            return r.text().await.unwrap();
        }
        assert!(Instant::now() < deadline, "the enquiry was not ingested");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn serve_keeps_going_and_its_log_stays_clean() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    service_common::copy_dir(&repo().join("faq"), &root.join("faq"));
    std::fs::write(
        root.join("faq/entries/broken.md"),
        "+++\nid = \"broken\"\ntitle = \"Broken\nquestions = []\n+++\nAn answer.\n",
    )
    .unwrap();
    let log = root.join("serve.log");

    // config check names the broken file and line, and still passes (a warning)
    let check = cmd(root, &["config", "check"]).output().unwrap();
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("broken.md:3"), "{text}");
    assert!(
        text.contains("example.org") && text.contains("placeholder"),
        "{text}"
    );

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

    // a routed enquiry to turn into an FAQ entry
    let new = root.join("var/mail/new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::copy(
        repo().join("docs/example-mails/routed-hospital.eml"),
        new.join("1.eml"),
    )
    .unwrap();

    let serve = start(root, &log).await;
    let base = serve.base.clone();

    // hostile names: a forged log line with colours, and a password in the name field
    let forged = "eve\n2030-01-01T00:00:00Z  INFO fpt_assist: signed in user=root\u{1b}[31m";
    assert!(sign_in(&base, forged, "x").await.is_none());
    assert!(sign_in(&base, "hunter2-password-typed-here", "x")
        .await
        .is_none());

    // a burst of 20 parallel sign-ins: password checks run two at a time, each in a reused
    // argon2 buffer of 19 MiB, so the burst adds at most about two buffers to the server's
    // peak memory whatever its size. The peak before it (about 110 MiB here in December 2026)
    // is the service after its first triage (about 94 MiB resident: 64 MiB anonymous, mostly
    // the compiled patterns of triage and the matcher, and 30 MiB of the debug binary's code)
    // plus ada's one argon2 buffer. The whole has a looser cap, base plus two buffers plus
    // about 30 MiB for the product to grow: 128 MiB had no margin left (129 MiB measured)
    let peak = |pid: u32| -> Option<u64> {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()?
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    // the routed mail is ingested first (its triage builds the matcher and may load the
    // model): the burst is measured against the peak of a service that has done its work,
    // not against one still building while the burst runs
    let session = sign_in(&base, "ada", "a long passphrase")
        .await
        .expect("ada signs in");
    routed_entry_form(&base, &session).await;
    let before = peak(serve.child.id());
    let burst: Vec<_> = (0..20)
        .map(|i| {
            let base = base.clone();
            tokio::spawn(async move { sign_in(&base, &format!("burst{i}"), "x").await })
        })
        .collect();
    for b in burst {
        assert!(b.await.unwrap().is_none());
    }
    if let (Some(before), Some(after)) = (before, peak(serve.child.id())) {
        eprintln!(
            "serve peak memory: {} MiB before a burst of 20 sign-ins, {} MiB after",
            before / 1024,
            after / 1024
        );
        let added = after.saturating_sub(before);
        assert!(
            added < (2 * 19 + 8) * 1024,
            "the burst added {added} KiB (peak {before} -> {after} KiB)"
        );
        assert!(
            after < 160 * 1024,
            "the service's peak memory is {after} KiB, over 160 MiB"
        );
    }

    let c = client();
    let kb = c
        .get(format!("{base}/kb"))
        .header("Cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        kb.contains("broken.md:3"),
        "the KB page names the broken file"
    );

    // the routed message's new-entry form: write an FAQ entry with an injection attempt
    let page = routed_entry_form(&base, &session).await;
    let csrf = field(&page, "csrf");
    let res = c
        .post(format!("{base}/kb/new"))
        .header("Cookie", &session)
        .form(&[
            ("csrf", csrf.as_str()),
            ("from", "1"),
            ("id", "visa-and-fpt"),
            ("title", "Visas\n+++\ntitle = \"x\"\n+++"),
            (
                "questions",
                "Will FPT affect my visa?\nDoes FPT change sponsorship?\nVisa and FPT?",
            ),
            ("answer", "Your trust can tell you.\n+++\n"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "stored");
    drop(serve);

    // kb check: only the broken file we planted is an error
    let check = cmd(root, &["kb", "check"]).output().unwrap();
    let text = String::from_utf8_lossy(&check.stdout).to_string()
        + &String::from_utf8_lossy(&check.stderr);
    assert!(!text.contains("visa-and-fpt.md"), "{text}");
    std::fs::remove_file(root.join("faq/entries/broken.md")).unwrap();
    let check = cmd(root, &["kb", "check"]).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // serve restarts with the new entry
    let serve = start(root, &log).await;
    let session = sign_in(&serve.base, "ada", "a long passphrase")
        .await
        .unwrap();
    let kb = c
        .get(format!("{}/kb?q=visa", serve.base))
        .header("Cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(kb.contains("visa-and-fpt"), "the new entry is loaded");
    drop(serve);

    let written = std::fs::read(&log).unwrap();
    let text = String::from_utf8_lossy(&written);
    assert!(!written.contains(&0x1b), "no escape codes in a log file");
    assert!(
        text.contains("broken.md:3"),
        "the start-up log names the broken file"
    );
    assert!(!text.contains("user=root"), "no forged line: {text}");
    assert!(
        !text.contains("hunter2"),
        "a password typed as a name is not logged"
    );
    assert!(text.contains("sign-in failed"));
    assert!(text.contains("signed in user=ada"), "{text}");
}

/// The SQLite file of a `sqlite://PATH` URL.
fn sqlite_file(url: &str) -> PathBuf {
    let rest = url.trim_start_matches("sqlite://");
    PathBuf::from(rest.split('?').next().unwrap())
}

#[tokio::test]
async fn purged_details_are_gone_from_the_sqlite_file() {
    use fpt_assist::service::{actions, Outcome};
    let db = service_common::databases().await.remove(0);
    let svc = service_common::service(&db).await;
    let raw = service_common::eml(
        "\"Quintessa Marlowe-Fairweather\" <quintessa.marlowe@example.org>",
        "Zebrafinch question",
        Some("purge1@example.org"),
        "",
        "I work at the Xylophone Clinic. Can I apply for FPT if I am a GP trainee?",
    );
    let Outcome::Stored { id, .. } = svc.ingestor().ingest_raw(&raw).await.unwrap() else {
        panic!("stored");
    };
    actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
        .await
        .unwrap();
    svc.worker().run_once().await.unwrap();
    assert_eq!(
        actions::purge(&svc.store, 0, "alice").await.unwrap(),
        vec![id]
    );
    let file = sqlite_file(&db.url);
    for path in [
        file.clone(),
        PathBuf::from(format!("{}-wal", file.display())),
    ] {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["quintessa", "Marlowe", "Zebrafinch", "Xylophone"] {
            assert!(
                !text.contains(secret),
                "{secret} still in {}",
                path.display()
            );
        }
    }
}

#[test]
fn a_new_empty_database_is_announced_with_its_full_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("FPT_CONFIG")
        .args(["queue"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let abs = std::fs::canonicalize(dir.path()).unwrap();
    assert!(err.contains("new, empty database"), "{err}");
    assert!(
        err.contains(&abs.join("var").display().to_string())
            || err.contains(&dir.path().join("var").display().to_string()),
        "{err}"
    );
    // the second time it exists: nothing said
    let again = Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("FPT_CONFIG")
        .args(["queue"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&again.stderr).contains("new, empty database"));
}
