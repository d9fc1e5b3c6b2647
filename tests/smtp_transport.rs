//! `SmtpTransport` against a real SMTP server (tests/support/smtp_sink.py on aiosmtpd).
//!
//! Each test starts its own sink on a free port. Without `/usr/bin/python3` + aiosmtpd (see
//! .ci/install-deps.sh) the tests print a reason and pass.

#[path = "support/servers.rs"]
mod servers;

use std::time::{Duration, Instant};

use fpt_assist::send::smtp::{SmtpConfig, SmtpSecurity, SmtpTransport};
use fpt_assist::send::{MailTransport, OutgoingMail, SendError};
use servers::{Sink, PYTHON};

fn sink_available() -> bool {
    let ok = servers::aiosmtpd_installed();
    if !ok {
        servers::skip(&format!(
            "{PYTHON} with aiosmtpd not installed (run .ci/install-deps.sh)"
        ));
    }
    ok
}

impl Sink {
    fn config(&self) -> SmtpConfig {
        let mut c = SmtpConfig::new("127.0.0.1", self.port);
        c.security = SmtpSecurity::None;
        c.timeout = Duration::from_secs(10);
        c
    }
}

fn mail(key: &str, to: &str) -> OutgoingMail {
    OutgoingMail {
        idempotency_key: key.into(),
        from: "fpt@example.org".into(),
        from_name: Some("FPT enquiries".into()),
        to: to.into(),
        subject: "Re: Portfolio deadline".into(),
        text: "Dear Dana,\n\nThe deadline is 30 June.\n".into(),
        html: Some("<p>Dear Dana,</p><p>The deadline is <b>30 June</b>.</p>".into()),
        message_id: format!("{key}@fpt-assist.example.org"),
        in_reply_to: Some("q1@student.example.org".into()),
        references: vec![
            "root@student.example.org".into(),
            "q1@student.example.org".into(),
        ],
        auto_submitted: true,
    }
}

#[tokio::test]
async fn delivers_threaded_multipart_reply() {
    if !sink_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let sink = Sink::start(tmp.path(), &[]);
    let smtp = SmtpTransport::new(&sink.config()).expect("transport");
    let transport: &dyn MailTransport = &smtp;

    let msg = mail("reply-1-1", "dana@student.example.org");
    transport.send(&msg).await.expect("sent");

    let stored = sink.messages();
    assert_eq!(stored.len(), 1);
    let raw = &stored[0];
    assert!(raw.contains("X-Envelope-From: <fpt@example.org>"), "{raw}");
    assert!(
        raw.contains("X-Envelope-To: <dana@student.example.org>"),
        "{raw}"
    );

    let parsed = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("parseable message");
    assert_eq!(parsed.subject(), Some("Re: Portfolio deadline"));
    assert_eq!(
        parsed.message_id(),
        Some("reply-1-1@fpt-assist.example.org")
    );
    assert_eq!(
        parsed.in_reply_to().as_text(),
        Some("q1@student.example.org")
    );
    let refs: Vec<&str> = parsed
        .references()
        .as_text_list()
        .expect("References")
        .iter()
        .map(|r| r.as_ref())
        .collect();
    assert_eq!(refs, ["root@student.example.org", "q1@student.example.org"]);
    assert!(raw.contains("Auto-Submitted: auto-replied"), "{raw}");
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(parsed.body_text(0).is_some_and(|t| t.contains("30 June")));
    assert!(parsed
        .body_html(0)
        .is_some_and(|h| h.contains("<b>30 June</b>")));
    assert!(
        raw.contains("From: \"FPT enquiries\" <fpt@example.org>")
            || raw.contains("From: FPT enquiries <fpt@example.org>"),
        "{raw}"
    );

    // Plain text only, no Auto-Submitted when a person sends it.
    let mut plain = mail("reply-1-2", "dana@student.example.org");
    plain.html = None;
    plain.auto_submitted = false;
    transport.send(&plain).await.expect("sent");
    let stored = sink.messages();
    assert_eq!(stored.len(), 2);
    assert!(!stored[1].contains("Auto-Submitted"), "{}", stored[1]);
    assert!(!stored[1].contains("multipart"), "{}", stored[1]);
    assert!(stored[1].contains("text/plain"), "{}", stored[1]);
}

#[tokio::test]
async fn rejected_recipient_is_permanent() {
    if !sink_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let sink = Sink::start(tmp.path(), &["--reject", "nosuchuser"]);
    let smtp = SmtpTransport::new(&sink.config()).expect("transport");

    let err = smtp
        .send(&mail("reply-2-1", "nosuchuser@student.example.org"))
        .await
        .expect_err("rejected");
    match &err {
        SendError::Permanent(m) => assert!(m.contains("550"), "{m}"),
        other => panic!("expected Permanent, got {other:?}"),
    }
    assert!(sink.messages().is_empty());

    // The transport is still usable for other recipients.
    smtp.send(&mail("reply-2-2", "dana@student.example.org"))
        .await
        .expect("sent");
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn server_down_is_transient_and_resend_delivers_once() {
    if !sink_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut sink = Sink::start(tmp.path(), &[]);
    let smtp = SmtpTransport::new(&sink.config()).expect("transport");

    // A first message leaves a pooled connection behind ...
    smtp.send(&mail("reply-3-1", "dana@student.example.org"))
        .await
        .expect("sent");
    // ... which dies with the server.
    sink.stop();
    let second = mail("reply-3-2", "dana@student.example.org");
    let err = smtp.send(&second).await.expect_err("server down");
    match &err {
        SendError::Transient(m) => assert!(m.contains(&sink.port.to_string()), "{m}"),
        other => panic!("expected Transient, got {other:?}"),
    }
    // Still down, fresh attempt: connection refused.
    let err = smtp.send(&second).await.expect_err("server down");
    assert!(matches!(err, SendError::Transient(_)), "{err:?}");

    sink.restart();
    smtp.send(&second).await.expect("resent");
    let stored = sink.messages();
    assert_eq!(stored.len(), 2, "first and second, each once");
    assert!(stored[0].contains("reply-3-1@"));
    assert_eq!(
        stored
            .iter()
            .filter(|m| m.contains("<reply-3-2@fpt-assist.example.org>"))
            .count(),
        1
    );
}

#[tokio::test]
async fn silent_server_times_out_as_transient() {
    // Accepts TCP connections but never greets: no aiosmtpd needed.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn); // keep them open, say nothing
        }
    });
    let mut config = SmtpConfig::new("127.0.0.1", port);
    config.security = SmtpSecurity::None;
    config.timeout = Duration::from_millis(500);
    let smtp = SmtpTransport::new(&config).expect("transport");
    let t = Instant::now();
    let err = smtp
        .send(&mail("reply-4-1", "dana@student.example.org"))
        .await
        .expect_err("timeout");
    assert!(matches!(err, SendError::Transient(_)), "{err:?}");
    assert_eq!(smtp.send_deadline(), Duration::from_secs(2));
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
    // The next attempt (fresh pool) times out the same way instead of hanging.
    let err = smtp
        .send(&mail("reply-4-1", "dana@student.example.org"))
        .await
        .expect_err("timeout");
    assert!(matches!(err, SendError::Transient(_)), "{err:?}");
}

#[tokio::test]
async fn login_is_used_and_wrong_password_is_transient() {
    if !sink_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let sink = Sink::start(tmp.path(), &["--auth", "fpt:secret"]);

    let mut config = sink.config();
    config.username = Some("fpt".into());
    config.password = Some("wrong".into());
    let err = SmtpTransport::new(&config)
        .expect("transport")
        .send(&mail("reply-5-1", "dana@student.example.org"))
        .await
        .expect_err("bad login");
    match &err {
        SendError::Transient(m) => assert!(m.contains("check [smtp] user/password"), "{m}"),
        other => panic!("expected Transient, got {other:?}"),
    }
    assert!(sink.messages().is_empty());

    config.password = Some("secret".into());
    SmtpTransport::new(&config)
        .expect("transport")
        .send(&mail("reply-5-1", "dana@student.example.org"))
        .await
        .expect("sent with login");
    assert_eq!(sink.messages().len(), 1);
}
