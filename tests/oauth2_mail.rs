//! OAuth2 for Microsoft 365 style mailboxes, against real servers and a local token endpoint
//! (`tests/support/oauth_fake.rs`) issuing short-lived tokens:
//!
//! - Dovecot with its `oauth2` passdb validating XOAUTH2 tokens at the fake's introspection
//!   URL: `serve` keeps reading across several token expiries, recovers when one token is
//!   refused, and reports a revoked grant while the Maildir keeps working;
//! - the aiosmtpd sink authenticating XOAUTH2 against the same introspection URL: sends
//!   renew the token and replace a refused one;
//! - the binary: `oauth2 login` (device code) saves the refresh token with mode 0600 and
//!   never prints it; `config check` gets a token (saving the rotated refresh token) and
//!   reports a revoked grant.
//!
//! Tests needing Dovecot or aiosmtpd skip with a printed reason when they are absent.

#[path = "support/oauth_fake.rs"]
mod oauth_fake;
#[path = "support/servers.rs"]
mod servers;
mod service_common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use fpt_assist::config::Secret;
use fpt_assist::mail::imap::{ImapAuth, ImapConfig};
use fpt_assist::oauth::{Flow, OAuthConfig, TokenSource};
use fpt_assist::send::{OutgoingMail, SendError, SmtpConfig, SmtpSecurity, SmtpTransport};
use fpt_assist::service::{self, ImapMailSource, MailSource, MaildirSource};
use oauth_fake::{OAuthFake, CLIENT_ID, CLIENT_SECRET};
use sqlx::{AnyConnection, Connection, Row};

fn client_credentials(auth: &OAuthFake) -> OAuthConfig {
    OAuthConfig {
        token_url: Some(auth.url("/token")),
        client_id: CLIENT_ID.into(),
        scopes: vec!["https://outlook.office365.com/.default".into()],
        client_secret: Secret(CLIENT_SECRET.into()),
        ..OAuthConfig::default()
    }
}

async fn stored(url: &str) -> Vec<String> {
    let Ok(mut conn) = AnyConnection::connect(url).await else {
        return Vec::new();
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

async fn wait_for(what: &str, secs: u64, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done().await {
        assert!(Instant::now() < deadline, "{what}: not within {secs} s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn eml(i: usize) -> Vec<u8> {
    service_common::eml(
        &format!("sender{i}@example.org"),
        &format!("question {i}"),
        Some(&format!("oauth-{i}@example.org")),
        "",
        service_common::ANSWERABLE,
    )
}

/// Starts Dovecot with the oauth2 passdb pointed at `introspect`.
fn dovecot_with_oauth2(dir: &Path, introspect: &str) -> servers::Dovecot {
    let dovecot = servers::Dovecot {
        dir: dir.to_string_lossy().into_owned(),
        port: servers::free_port(),
    };
    let out = Command::new("bash")
        .arg(servers::DOVECOT_SH)
        .args(["start", &dovecot.dir, &dovecot.port.to_string()])
        .env("DOVECOT_OAUTH2_INTROSPECT", introspect)
        .output()
        .expect("run dovecot.sh");
    assert!(
        out.status.success(),
        "dovecot.sh start: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    dovecot
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reads_imap_across_token_expiries_survives_a_refused_token_and_reports_revocation() {
    if !servers::dovecot_installed() {
        servers::skip("dovecot not installed (run .ci/install-deps.sh)");
        return;
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    const LIFETIME: Duration = Duration::from_secs(3);
    let auth = OAuthFake::start(LIFETIME).await;
    let tmp = tempfile::Builder::new()
        .prefix("fpt-oauth2-")
        .tempdir_in("/tmp")
        .unwrap();
    let dovecot = dovecot_with_oauth2(&tmp.path().join("d"), &auth.url("/introspect"));
    // one database is enough here (the store is not what this test is about)
    let mut dbs = service_common::databases().await;
    let db = dbs.remove(0);
    for other in dbs {
        other.finish().await;
    }
    let service = service_common::service(&db).await;
    let data_dir = service.config.data_dir.clone();
    let tokens = TokenSource::new(&client_credentials(&auth), &data_dir).unwrap();

    let mut imap = ImapConfig::new(
        "127.0.0.1",
        dovecot.port,
        "fpt",
        ImapAuth::Password(String::new()),
    );
    imap.tls = false;
    let maildir = data_dir.join("mail");
    let sources: Vec<Box<dyn MailSource>> = vec![
        Box::new(ImapMailSource::from_imap_config(imap).with_tokens(tokens)),
        Box::new(MaildirSource::new(&maildir).unwrap()),
    ];
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let svc = service.clone();
    let task = tokio::spawn(async move {
        service::serve(&svc, sources, false, async {
            let _ = stopped.await;
        })
        .await
    });

    // one message per token lifetime: every one needs a fresh login with a fresh token
    for i in 0..4 {
        if i == 2 {
            // the next token is refused by Dovecot: the source must get another one
            auth.refuse_next_token();
        }
        let file = tmp.path().join(format!("{i}.eml"));
        std::fs::write(&file, eml(i)).unwrap();
        dovecot.append(&file);
        let id = format!("oauth-{i}@example.org");
        wait_for(&format!("message {i} stored"), 30, async || {
            stored(&db.url).await.contains(&id)
        })
        .await;
        tokio::time::sleep(LIFETIME + Duration::from_millis(500)).await;
    }
    let log = std::fs::read_to_string(format!("{}/dovecot.log", dovecot.dir)).unwrap();
    let logins = log.matches("Login: user=<fpt>, method=XOAUTH2").count();
    assert!(
        logins >= 4,
        "a login per token lifetime, got {logins}:\n{log}"
    );
    assert!(
        log.contains("auth failed"),
        "Dovecot refused one token:\n{log}"
    );
    assert!(auth.token_requests() >= 5, "{}", auth.token_requests());

    // the grant is revoked: an alert, and the rest keeps running
    auth.revoke();
    wait_for("the revoked grant recorded", 30, async || {
        fpt_assist::oauth::read_status(&data_dir).is_some_and(|s| s.needs_attention())
    })
    .await;
    let status = fpt_assist::oauth::read_status(&data_dir).unwrap();
    assert!(status.detail.contains("invalid_grant"), "{status:?}");
    std::fs::write(maildir.join("new/after-revoke.eml"), eml(99)).unwrap();
    wait_for("the Maildir still read", 30, async || {
        stored(&db.url)
            .await
            .contains(&"oauth-99@example.org".to_string())
    })
    .await;
    let _ = stop.send(());
    task.await.unwrap().unwrap();
    db.finish().await;
}

fn mail(n: usize) -> OutgoingMail {
    OutgoingMail {
        idempotency_key: format!("reply-{n}-1"),
        from: "fpt@example.org".into(),
        from_name: None,
        to: "d.moore@example.org".into(),
        subject: format!("Re: question {n}"),
        text: "Hello".into(),
        html: None,
        message_id: format!("reply-{n}-1@fpt.example.org"),
        in_reply_to: None,
        references: Vec::new(),
        auto_submitted: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_xoauth2_renews_tokens_and_replaces_a_refused_one() {
    if !servers::aiosmtpd_installed() {
        servers::skip("aiosmtpd not installed (run .ci/install-deps.sh)");
        return;
    }
    const LIFETIME: Duration = Duration::from_secs(2);
    let auth = OAuthFake::start(LIFETIME).await;
    let dir = tempfile::tempdir().unwrap();
    let introspect = auth.url("/introspect");
    let sink = servers::Sink::start(&dir.path().join("sink"), &["--xoauth2", &introspect]);
    let tokens = TokenSource::new(&client_credentials(&auth), dir.path()).unwrap();
    let mut config = SmtpConfig::new("127.0.0.1", sink.port);
    config.security = SmtpSecurity::None;
    config.username = Some("fpt".into());
    let transport = SmtpTransport::with_tokens(&config, tokens).unwrap();

    transport.send_mail(&mail(1)).await.unwrap();
    assert_eq!(auth.token_requests(), 1);
    tokio::time::sleep(LIFETIME + Duration::from_millis(300)).await;
    transport.send_mail(&mail(2)).await.unwrap();
    assert_eq!(auth.token_requests(), 2, "renewed after expiry");
    tokio::time::sleep(LIFETIME + Duration::from_millis(300)).await;
    auth.refuse_next_token();
    transport.send_mail(&mail(3)).await.unwrap();
    assert_eq!(
        auth.token_requests(),
        4,
        "the refused token was replaced once"
    );
    assert_eq!(sink.messages().len(), 3);

    auth.revoke();
    tokio::time::sleep(LIFETIME + Duration::from_millis(300)).await;
    match transport.send_mail(&mail(4)).await {
        Err(SendError::Transient(e)) => assert!(e.contains("OAuth2"), "{e}"),
        other => panic!("expected a temporary failure, got {other:?}"),
    }
    assert_eq!(sink.messages().len(), 3);
}

fn cli(work: &Path, args: &[&str]) -> (i32, String) {
    let repo = service_common::repo();
    let out = Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
        .current_dir(work)
        .env_remove("DATABASE_URL")
        .env_remove("FPT_OAUTH2_CLIENT_SECRET")
        .env("RUST_LOG", "error")
        .arg("--kb")
        .arg(repo.join("faq"))
        .arg("--templates")
        .arg(repo.join("templates"))
        .args(args)
        .output()
        .expect("run fpt-assist");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_code_login_then_config_check_saves_rotation_and_reports_revocation() {
    let auth = OAuthFake::start(Duration::from_secs(600)).await;
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().to_path_buf();
    std::fs::write(
        work.join("fpt.toml"),
        format!(
            "[oauth2]\nflow = \"device_code\"\ntoken_url = \"{}\"\ndevice_code_url = \"{}\"\n\
             client_id = \"{CLIENT_ID}\"\n\
             scopes = [\"https://outlook.office365.com/IMAP.AccessAsUser.All\", \"offline_access\"]\n",
            auth.url("/token"),
            auth.url("/devicecode")
        ),
    )
    .unwrap();
    let file = work.join("var/oauth2-refresh-token");

    let w = work.clone();
    let (code, out) =
        tokio::task::spawn_blocking(move || cli(&w, &["oauth2", "login", "--config", "fpt.toml"]))
            .await
            .unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("https://login.example.org/device") && out.contains("FPT-TEST-CODE"),
        "{out}"
    );
    assert!(
        !out.contains("rt-") && !out.contains("at-"),
        "a token was printed: {out}"
    );
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_eq!(saved.trim(), auth.refresh_token());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the refresh token file is private");

    // config check gets a token; the server rotates the refresh token and it is saved
    let before = auth.refresh_token();
    let w = work.clone();
    let (code, out) =
        tokio::task::spawn_blocking(move || cli(&w, &["config", "check", "--config", "fpt.toml"]))
            .await
            .unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("token obtained"), "{out}");
    assert_ne!(auth.refresh_token(), before, "the fake rotated it");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap().trim(),
        auth.refresh_token(),
        "the rotated refresh token was saved"
    );

    // the grant is revoked: config check says so and what to do
    auth.revoke();
    let w = work.clone();
    let (code, out) =
        tokio::task::spawn_blocking(move || cli(&w, &["config", "check", "--config", "fpt.toml"]))
            .await
            .unwrap();
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("problem:   oauth2:") && out.contains("fpt-assist oauth2 login"),
        "{out}"
    );
    let status = fpt_assist::oauth::read_status(&work.join("var")).unwrap();
    assert!(status.needs_attention(), "{status:?}");
}

#[tokio::test]
async fn client_credentials_need_the_secret_and_a_wrong_one_is_refused() {
    let auth = OAuthFake::start(Duration::from_secs(600)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = client_credentials(&auth);
    config.client_secret = Secret("wrong".into());
    let tokens = TokenSource::new(&config, dir.path()).unwrap();
    let err = tokens.access_token().await.unwrap_err();
    assert!(err.needs_attention());
    assert!(
        err.to_string().contains("FPT_OAUTH2_CLIENT_SECRET"),
        "says which secret to replace: {err}"
    );
    // refused grants are not retried at once (the endpoint is not hammered)
    let _ = tokens.access_token().await.unwrap_err();
    assert_eq!(auth.token_requests(), 1);
    assert_eq!(config.flow, Flow::ClientCredentials);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_once_with_imap_auth_oauth2_in_the_config_file_reads_the_mailbox() {
    if !servers::dovecot_installed() {
        servers::skip("dovecot not installed (run .ci/install-deps.sh)");
        return;
    }
    sqlx::any::install_default_drivers();
    let auth = OAuthFake::start(Duration::from_secs(600)).await;
    let tmp = tempfile::Builder::new()
        .prefix("fpt-oauth2-cli-")
        .tempdir_in("/tmp")
        .unwrap();
    let dovecot = dovecot_with_oauth2(&tmp.path().join("d"), &auth.url("/introspect"));
    let file = tmp.path().join("m.eml");
    std::fs::write(&file, eml(7)).unwrap();
    dovecot.append(&file);
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("fpt.toml"),
        format!(
            "[imap]\nhost = \"127.0.0.1\"\nport = {}\nuser = \"fpt\"\ntls = false\nauth = \"oauth2\"\n\
             [oauth2]\ntoken_url = \"{}\"\nclient_id = \"{CLIENT_ID}\"\n\
             scopes = [\"https://outlook.office365.com/.default\"]\n",
            dovecot.port,
            auth.url("/token")
        ),
    )
    .unwrap();
    let repo = service_common::repo();
    let w = work.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
            .current_dir(&w)
            .env_remove("DATABASE_URL")
            .env("FPT_OAUTH2_CLIENT_SECRET", CLIENT_SECRET)
            .env("RUST_LOG", "error")
            .arg("--kb")
            .arg(repo.join("faq"))
            .arg("--templates")
            .arg(repo.join("templates"))
            .args(["serve", "--once", "--config", "fpt.toml"])
            .output()
            .expect("run serve --once")
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("received 1"), "{text}");
    let db = format!("sqlite://{}", work.join("var/fpt-assist.db").display());
    assert_eq!(stored(&db).await, ["oauth-7@example.org"]);
    assert_eq!(auth.token_requests(), 1);
}
