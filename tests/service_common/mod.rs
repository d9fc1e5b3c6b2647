//! Shared test harness for the store and service tests: a fresh database per test (a temp
//! SQLite file always; a new PostgreSQL database when `TEST_DATABASE_URL` is set), a service
//! over it with the repository's knowledge base and a file transport in a temp folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use fpt_assist::config::Config;
use fpt_assist::send::{FileTransport, MailTransport};
use fpt_assist::service::Service;
use fpt_assist::store::Store;
use fpt_assist::triage::Triage;
use sqlx::Connection;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// One database to run a test on. Call `finish` at the end of the test to drop a PostgreSQL
/// database (a failing test leaves its `fpt_test_*` database behind for inspection).
pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    pub dir: tempfile::TempDir,
    admin: Option<(String, String)>,
}

impl TestDb {
    /// Drops the PostgreSQL database (`WITH (FORCE)` ends the test's own connections).
    pub async fn finish(self) {
        if let Some((admin_url, name)) = &self.admin {
            if let Ok(mut conn) = sqlx::AnyConnection::connect(admin_url).await {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await;
                let _ = conn.close().await;
            }
        }
    }
}

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// Replaces the database name in a postgres URL.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{db}?{q}"),
        None => format!("{root}/{db}"),
    }
}

/// The databases this run tests against.
pub async fn databases() -> Vec<TestDb> {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let mut dbs = vec![TestDb {
        name: "sqlite",
        url,
        dir,
        admin: None,
    }];
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("fpt_test_{}", unique());
            let mut conn = sqlx::AnyConnection::connect(&admin_url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let _ = conn.close().await;
            dbs.push(TestDb {
                name: "postgres",
                url: with_database(&admin_url, &name),
                dir: tempfile::tempdir().expect("temp dir"),
                admin: Some((admin_url.clone(), name)),
            });
        }
        _ => {
            // written past the test harness's capture, so a plain `cargo test` shows it
            std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("skipping: TEST_DATABASE_URL not set (PostgreSQL half of the test)\n"),
            )
            .ok();
        }
    }
    dbs
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn triage() -> Arc<Triage> {
    static TRIAGE: std::sync::OnceLock<Arc<Triage>> = std::sync::OnceLock::new();
    TRIAGE
        .get_or_init(|| {
            Arc::new(
                Triage::load(&repo().join("faq"), &repo().join("templates")).expect("kb loads"),
            )
        })
        .clone()
}

/// A service over `db` with the file transport in `<db.dir>/var/outbox`.
pub async fn service(db: &TestDb) -> Service {
    service_with(db, |_| {}, None).await
}

pub async fn service_with(
    db: &TestDb,
    tweak: impl FnOnce(&mut Config),
    transport: Option<Arc<dyn MailTransport>>,
) -> Service {
    let mut config = Config {
        data_dir: db.dir.path().join("var"),
        database_url: Some(db.url.clone()),
        ..Config::default()
    };
    tweak(&mut config);
    let store = Store::open(&db.url).await.expect("store opens");
    let transport = transport.unwrap_or_else(|| Arc::new(FileTransport::new(config.outbox_dir())));
    Service {
        store,
        triage: triage().into(),
        config: Arc::new(config),
        transport,
    }
}

/// A plain message.
pub fn eml(
    from: &str,
    subject: &str,
    message_id: Option<&str>,
    extra: &str,
    body: &str,
) -> Vec<u8> {
    let mut m = format!(
        "From: {from}\r\nTo: flexibleportfoliotraining@hee.nhs.uk\r\nSubject: {subject}\r\n"
    );
    if let Some(id) = message_id {
        m.push_str(&format!("Message-ID: <{id}>\r\n"));
    }
    m.push_str(extra);
    m.push_str("\r\n");
    m.push_str(body);
    m.push_str("\r\n");
    m.into_bytes()
}

/// A question the knowledge base answers with confidence.
pub const ANSWERABLE: &str = "Can I apply for FPT if I am a GP trainee?";
/// A question that is routed (to the Yorkshire and Humber lead).
pub const ROUTED: &str = "I am an IMG in Leeds. Will FPT affect my visa sponsorship with my trust?";

pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// Copies a folder tree (a knowledge base into a test's own folder).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
