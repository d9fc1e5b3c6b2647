//! End to end against real mail servers: Dovecot IMAP in (tests/support/dovecot.sh) and an
//! aiosmtpd SMTP sink out (tests/support/smtp_sink.py), driven through the built binary with a
//! config file, exactly as an operator would run it.
//!
//! 1. Three messages are appended over IMAP: a question the FAQ answers, an out-of-office and a
//!    question naming Derriford (routed to the South West lead).
//! 2. `serve --once` ingests them: the lead gets the notification and the sender the
//!    acknowledgement at the SMTP sink; the out-of-office gets nothing.
//! 3. `approve ID` + `serve --once`: the reply reaches the sink threaded on the question.
//! 4. A follow-up to that reply joins the question's thread.
//! 5. Every message marked `\Seen` in IMAP has its enquiry stored.
//! 6. The SMTP sink is stopped while an approved reply is sent: the row is retried, not failed;
//!    once the sink is back, it is delivered exactly once.
//!
//! Without Dovecot or `/usr/bin/python3` with aiosmtpd the test prints why and passes.

#[path = "support/servers.rs"]
mod servers;
mod service_common;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use servers::{Dovecot, Sink, DOVECOT, PYTHON};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Why this machine cannot run the test, if it cannot.
fn missing_servers() -> Option<String> {
    if !servers::dovecot_installed() {
        return Some(format!("{DOVECOT} not installed (run .ci/install-deps.sh)"));
    }
    if !servers::aiosmtpd_installed() {
        return Some(format!(
            "{PYTHON} with aiosmtpd not installed (run .ci/install-deps.sh)"
        ));
    }
    None
}

// ---------------------------------------------------------------- Dovecot

type ImapSession = async_imap::Session<tokio::net::TcpStream>;

async fn imap_login(port: u16) -> ImapSession {
    let tcp = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::net::TcpStream::connect(("127.0.0.1", port)),
    )
    .await
    .expect("IMAP connect within 10 s")
    .expect("IMAP connect");
    let mut client = async_imap::Client::new(tcp);
    client
        .read_response()
        .await
        .expect("IMAP greeting")
        .expect("IMAP greeting before EOF");
    client
        .login("fpt", "secret")
        .await
        .map_err(|(e, _)| e)
        .expect("IMAP login fpt/secret")
}

/// Appends `raw` to INBOX with the IMAP APPEND command.
fn imap_append(rt: &tokio::runtime::Runtime, port: u16, raw: &[u8]) {
    rt.block_on(async {
        let mut s = imap_login(port).await;
        tokio::time::timeout(Duration::from_secs(10), s.append("INBOX", None, None, raw))
            .await
            .expect("IMAP APPEND within 10 s")
            .expect("IMAP APPEND");
        let _ = s.logout().await;
    });
}

/// (Message-ID without `<>`, seen) for every message in INBOX, read without setting `\Seen`.
fn imap_flags(rt: &tokio::runtime::Runtime, port: u16) -> Vec<(String, bool)> {
    rt.block_on(async {
        let mut s = imap_login(port).await;
        s.select("INBOX").await.expect("IMAP SELECT INBOX");
        let fetches: Vec<_> = s
            .uid_fetch("1:*", "(UID FLAGS BODY.PEEK[])")
            .await
            .expect("IMAP UID FETCH")
            .try_collect()
            .await
            .expect("IMAP FETCH responses");
        let out = fetches
            .iter()
            .map(|f| {
                let seen = f
                    .flags()
                    .any(|fl| matches!(fl, async_imap::types::Flag::Seen));
                let raw = String::from_utf8_lossy(f.body().unwrap_or_default()).into_owned();
                let id = Mail::parse(&raw)
                    .header("Message-ID")
                    .map(bare_id)
                    .unwrap_or_default();
                (id, seen)
            })
            .collect();
        drop(fetches);
        let _ = s.logout().await;
        out
    })
}

// ---------------------------------------------------------------- SMTP sink

impl Sink {
    /// Every message received so far, in arrival order.
    fn mails(&self) -> Vec<Mail> {
        self.messages().iter().map(|raw| Mail::parse(raw)).collect()
    }

    /// The messages whose envelope recipient is `to`.
    fn mails_to(&self, to: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.envelope_to.iter().any(|t| t.eq_ignore_ascii_case(to)))
            .collect()
    }
}

/// A received message: unfolded headers and the envelope recipients the sink recorded.
#[derive(Debug)]
struct Mail {
    headers: Vec<(String, String)>,
    envelope_to: Vec<String>,
    raw: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let head = raw
            .split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .split("\n\n")
            .next()
            .unwrap_or_default();
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            let line = line.trim_end_matches('\r');
            if line.starts_with([' ', '\t']) {
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
            } else if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
        let envelope_to = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("X-Envelope-To"))
            .map(|(_, v)| bare_id(v))
            .collect();
        Mail {
            headers,
            envelope_to,
            raw: raw.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `<a@b>` → `a@b`.
fn bare_id(v: &str) -> String {
    v.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

// ---------------------------------------------------------------- the binary

struct Fpt {
    dir: PathBuf,
    config: PathBuf,
    database_url: String,
}

impl Fpt {
    fn output(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
            .current_dir(&self.dir)
            .env("FPT_CONFIG", &self.config)
            .env("DATABASE_URL", &self.database_url)
            .env_remove("FPT_DISCORD_TOKEN")
            .env_remove("FPT_SMTP_PASSWORD")
            .env_remove("FPT_IMAP_PASSWORD")
            .env("RUST_LOG", "warn")
            .arg("--kb")
            .arg(repo().join("faq"))
            .arg("--templates")
            .arg(repo().join("templates"))
            .args(args)
            .output()
            .expect("run fpt-assist")
    }

    /// Runs a command that must succeed; returns its stdout.
    fn run(&self, args: &[&str]) -> String {
        let out = self.output(args);
        assert!(
            out.status.success(),
            "fpt-assist {args:?} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `serve --once`; returns (received, sent, retrying, failed) from its summary line.
    fn serve_once(&self) -> [usize; 4] {
        let out = self.run(&["serve", "--once"]);
        let line = out
            .lines()
            .find(|l| l.starts_with("received "))
            .unwrap_or_else(|| panic!("no summary line from serve --once: {out}"));
        let numbers: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().expect("a count"))
            .collect();
        assert_eq!(numbers.len(), 4, "unexpected summary: {line}");
        [numbers[0], numbers[1], numbers[2], numbers[3]]
    }

    fn queue(&self) -> Vec<serde_json::Value> {
        self.run(&["queue", "--status", "all", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).expect("queue --json prints JSON lines"))
            .collect()
    }

    /// The queue entry whose external id is `message_id`.
    fn enquiry(&self, message_id: &str) -> serde_json::Value {
        let queue = self.queue();
        queue
            .iter()
            .find(|e| e["external_id"].as_str().map(bare_id).as_deref() == Some(message_id))
            .cloned()
            .unwrap_or_else(|| panic!("no enquiry for <{message_id}> in the queue: {queue:#?}"))
    }

    fn outbox(&self, id: i64) -> Vec<serde_json::Value> {
        let show: serde_json::Value =
            serde_json::from_str(&self.run(&["show", "--json", &id.to_string()]))
                .expect("show --json prints JSON");
        show["outbox"].as_array().cloned().unwrap_or_default()
    }
}

fn eml(from: &str, subject: &str, message_id: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: flexibleportfoliotraining@hee.nhs.uk\r\nSubject: {subject}\r\n\
         Date: Mon, 3 Mar 2025 09:00:00 +0000\r\nMessage-ID: <{message_id}>\r\n{extra}\r\n{body}\r\n"
    )
    .into_bytes()
}

/// The South West lead's address from faq/regions.toml.
fn south_west_lead() -> String {
    let text = std::fs::read_to_string(repo().join("faq/regions.toml")).expect("regions.toml");
    let value: toml::Value = toml::from_str(&text).expect("regions.toml parses");
    value["region"]
        .as_array()
        .expect("[[region]] list")
        .iter()
        .find(|r| r["id"].as_str() == Some("south-west"))
        .and_then(|r| r["lead"]["email"].as_str())
        .expect("south-west has a lead email")
        .to_string()
}

fn id_of(entry: &serde_json::Value) -> i64 {
    entry["id"].as_i64().expect("numeric enquiry id")
}

#[test]
fn mail_round_trip_through_imap_and_smtp() {
    if let Some(why) = missing_servers() {
        servers::skip(&why);
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");

    // Dovecot runs as `nobody` when the tests run as root: its folder's parents must be
    // traversable, so the temp dir lives in /tmp and is opened up.
    let tmp = tempfile::Builder::new()
        .prefix("fpt-e2e-")
        .tempdir_in("/tmp")
        .expect("temp dir in /tmp");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod the temp dir");
    }
    let dovecot = Dovecot::start(&tmp.path().join("dovecot"));
    let mut sink = Sink::start(&tmp.path().join("sink"), &[]);

    let config = tmp.path().join("fpt.toml");
    std::fs::write(
        &config,
        format!(
            r#"data_dir = "{data}"

[mail]
poll_ms = 100

[outbox]
transport = "smtp"
backoff_secs = 1
max_attempts = 5

[imap]
host = "127.0.0.1"
port = {imap}
user = "fpt"
password = "secret"
tls = false

[smtp]
host = "127.0.0.1"
port = {smtp}
tls = "none"
timeout_secs = 5
"#,
            data = tmp.path().join("var").display(),
            imap = dovecot.port,
            smtp = sink.port,
        ),
    )
    .expect("write the config");
    let fpt = Fpt {
        dir: tmp.path().to_path_buf(),
        config,
        database_url: format!("sqlite://{}?mode=rwc", tmp.path().join("e2e.db").display()),
    };
    let check = fpt.run(&["config", "check"]);
    assert!(check.contains("smtp:      127.0.0.1:"), "{check}");
    assert!(check.contains("discord:   disabled"), "{check}");

    // 1. Three messages arrive over IMAP.
    let question = "e2e-q1@example.org";
    let ooo = "e2e-ooo@example.org";
    let routed = "e2e-routed@example.org";
    imap_append(
        &rt,
        dovecot.port,
        &eml(
            "Sam Jones <sam@example.org>",
            "FPT eligibility",
            question,
            "",
            service_common::ANSWERABLE,
        ),
    );
    imap_append(
        &rt,
        dovecot.port,
        &eml(
            "Pat Away <pat@example.org>",
            "Automatic reply: FPT",
            ooo,
            "Auto-Submitted: auto-replied\r\n",
            "I am out of the office until Monday and will reply on my return.",
        ),
    );
    imap_append(
        &rt,
        dovecot.port,
        &eml(
            "Alex Moor <alex@example.org>",
            "Visa question",
            routed,
            "",
            "I am a trainee at Derriford. Will FPT affect my visa sponsorship with my trust?",
        ),
    );

    // 2. Ingest: the routed question notifies its lead and acknowledges the sender.
    let [received, sent, retrying, failed] = fpt.serve_once();
    assert_eq!(received, 3, "all three appended messages are ingested");
    assert_eq!((retrying, failed), (0, 0));
    assert_eq!(sent, 2, "lead notification and acknowledgement");

    let q = fpt.enquiry(question);
    assert_eq!(q["decision"], "answer", "{q}");
    let o = fpt.enquiry(ooo);
    assert_eq!(o["decision"], "ignore", "{o}");
    let r = fpt.enquiry(routed);
    assert_eq!(r["decision"], "route", "{r}");
    assert_eq!(r["region"], "south-west", "{r}");

    let lead = south_west_lead();
    let to_lead = sink.mails_to(&lead);
    assert_eq!(to_lead.len(), 1, "one notification to {lead}");
    assert!(
        to_lead[0].raw.contains("visa sponsorship"),
        "the notification quotes the question: {}",
        to_lead[0].raw
    );
    let acks = sink.mails_to("alex@example.org");
    assert_eq!(acks.len(), 1, "one acknowledgement to the sender");
    assert_eq!(acks[0].header("Auto-Submitted"), Some("auto-replied"));
    assert_eq!(
        acks[0].header("In-Reply-To").map(bare_id).as_deref(),
        Some(routed)
    );
    assert!(
        sink.mails_to("sam@example.org").is_empty(),
        "nothing is sent to the asker before approval"
    );

    // 3. Approve the answer from the CLI; the next pass sends it, threaded.
    let approved = fpt.run(&["approve", &id_of(&q).to_string(), "--as", "e2e"]);
    assert!(approved.contains("approved"), "{approved}");
    let [_, sent, _, failed] = fpt.serve_once();
    assert_eq!((sent, failed), (1, 0), "the approved reply is sent");
    let replies = sink.mails_to("sam@example.org");
    assert_eq!(replies.len(), 1, "one reply to the asker");
    let reply = &replies[0];
    assert_eq!(
        reply.header("In-Reply-To").map(bare_id).as_deref(),
        Some(question),
        "{}",
        reply.raw
    );
    let references = reply.header("References").unwrap_or_default();
    assert!(
        references.contains(&format!("<{question}>")),
        "References names the question: {references}"
    );
    let subject = reply.header("Subject").unwrap_or_default();
    assert!(subject.starts_with("Re: "), "reply subject: {subject}");
    let reply_id = reply
        .header("Message-ID")
        .map(bare_id)
        .expect("the reply has a Message-ID");
    assert!(
        reply_id.ends_with("@fpt-assist.localhost"),
        "Message-ID of our domain: {reply_id}"
    );

    // The out-of-office got nothing, ever.
    assert!(
        sink.mails_to("pat@example.org").is_empty(),
        "no reply to an out-of-office"
    );
    assert_eq!(fpt.enquiry(ooo)["status"], "ignored");

    // 4. A follow-up to our reply joins the question's thread.
    let follow_up = "e2e-q1-followup@example.org";
    imap_append(
        &rt,
        dovecot.port,
        &eml(
            "Sam Jones <sam@example.org>",
            &format!("Re: {subject}"),
            follow_up,
            &format!("In-Reply-To: <{reply_id}>\r\nReferences: <{question}> <{reply_id}>\r\n"),
            "Thank you. How many days a week is FPT time?",
        ),
    );
    let [received, ..] = fpt.serve_once();
    assert_eq!(received, 1, "the follow-up is ingested");
    let f = fpt.enquiry(follow_up);
    assert_eq!(
        f["thread"],
        fpt.enquiry(question)["thread"],
        "the follow-up joins the question's thread: {f}"
    );

    // 5. Nothing is marked \Seen without its enquiry stored (and everything was stored).
    let stored: Vec<String> = fpt
        .queue()
        .iter()
        .filter_map(|e| e["external_id"].as_str().map(bare_id))
        .collect();
    let flags = imap_flags(&rt, dovecot.port);
    assert_eq!(flags.len(), 4, "four messages in INBOX: {flags:?}");
    for (id, seen) in &flags {
        assert!(
            !seen || stored.contains(id),
            "<{id}> is \\Seen but not stored"
        );
        assert!(*seen, "<{id}> was ingested but not marked \\Seen");
    }

    // 6. SMTP down during a send: retried, then delivered exactly once.
    let second = "e2e-q2@example.org";
    imap_append(
        &rt,
        dovecot.port,
        &eml(
            "Kim Lee <kim@example.org>",
            "Protected time",
            second,
            "",
            "How many days a week is FPT time?",
        ),
    );
    let [received, ..] = fpt.serve_once();
    assert_eq!(received, 1);
    let q2 = fpt.enquiry(second);
    assert_eq!(q2["decision"], "answer", "{q2}");

    sink.stop();
    fpt.run(&["approve", &id_of(&q2).to_string(), "--as", "e2e"]);
    let [_, sent, retrying, failed] = fpt.serve_once();
    assert_eq!(
        (sent, failed),
        (0, 0),
        "nothing is sent or failed while the SMTP server is down"
    );
    assert!(retrying >= 1, "the reply is retried (retrying {retrying})");
    let rows = fpt.outbox(id_of(&q2));
    let row = rows
        .iter()
        .find(|o| o["kind"] == "reply")
        .unwrap_or_else(|| panic!("a reply row in the outbox: {rows:#?}"));
    assert_eq!(row["status"], "pending", "retried, not failed: {row}");
    assert!(
        row["last_error"].as_str().is_some_and(|e| !e.is_empty()),
        "the error is recorded: {row}"
    );

    sink.restart();
    // The retry is due after backoff_secs (1 s); run the worker until it sends (bounded).
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        std::thread::sleep(Duration::from_millis(600));
        let [_, sent, _, failed] = fpt.serve_once();
        assert_eq!(failed, 0, "the retried reply must not fail");
        if sent > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the retried reply was not delivered within 20 s of the SMTP server coming back"
        );
    }
    // One more pass sends nothing again.
    let [_, sent, ..] = fpt.serve_once();
    assert_eq!(sent, 0, "nothing left to send");
    let to_kim = sink.mails_to("kim@example.org");
    assert_eq!(to_kim.len(), 1, "delivered exactly once: {to_kim:#?}");
    assert_eq!(
        to_kim[0].header("In-Reply-To").map(bare_id).as_deref(),
        Some(second)
    );
    let rows = fpt.outbox(id_of(&q2));
    assert!(
        rows.iter()
            .any(|o| o["kind"] == "reply" && o["status"] == "sent"),
        "the row is recorded as sent: {rows:#?}"
    );
    assert_eq!(fpt.enquiry(second)["status"], "sent");
}
