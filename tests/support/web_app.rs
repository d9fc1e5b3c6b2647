//! Test harness for the web app: the app spawned on 127.0.0.1:0 over a fresh database (via
//! `service_common`), a reqwest client that follows no redirects, and helpers to sign in and
//! post forms with the CSRF token.
#![allow(dead_code)]

use std::net::SocketAddr;

use fpt_assist::config::Config;
use fpt_assist::service::{Outcome, Service};
use fpt_assist::store;
use fpt_assist::web::{self, queries, AppState, WebOptions};

use crate::service_common::{self, TestDb};

pub struct TestApp {
    pub addr: SocketAddr,
    pub service: Service,
    pub db: TestDb,
    pub client: reqwest::Client,
    pub kb_dir: std::path::PathBuf,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A signed-in browser: its session cookie and CSRF token.
#[derive(Clone, Debug)]
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

pub const PASSWORD: &str = "correct horse battery";

/// The authserv-id (RFC 8601) of "our" receiving mail server in these tests.
pub const MX: &str = "mx.fpt.example.org";

/// The Authentication-Results header our server adds when `from`'s domain signed the mail.
pub fn passed(from: &str) -> String {
    let domain = from.rsplit('@').next().unwrap_or_default().to_lowercase();
    format!("Authentication-Results: {MX}; dkim=pass header.d={domain}\r\n")
}

pub async fn spawn_app(db: TestDb) -> TestApp {
    spawn_app_with(db, |_| {}).await
}

/// The app over a service whose configuration `tweak` adjusts first.
pub async fn spawn_app_with(db: TestDb, tweak: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_full(db, tweak, |_| {}).await
}

/// The app with web options `options` adjusts (trusted proxies, …).
pub async fn spawn_app_with_options(db: TestDb, options: impl FnOnce(&mut WebOptions)) -> TestApp {
    spawn_app_full(db, |_| {}, options).await
}

async fn spawn_app_full(
    db: TestDb,
    tweak: impl FnOnce(&mut Config),
    options: impl FnOnce(&mut WebOptions),
) -> TestApp {
    let service = service_common::service_with(
        &db,
        |c| {
            c.mail.trusted_authserv_ids = vec![MX.to_string()];
            tweak(c)
        },
        None,
    )
    .await;
    let kb_dir = db.dir.path().join("kb");
    std::fs::create_dir_all(kb_dir.join("entries")).expect("kb dir");
    let mut web_options = WebOptions {
        kb_dir: Some(kb_dir.clone()),
        ..WebOptions::default()
    };
    options(&mut web_options);
    let state = AppState::new(service.clone(), web_options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(web::serve_on(listener, state, async move {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        addr,
        service,
        db,
        client,
        kb_dir,
        shutdown: Some(tx),
    }
}

/// The value of `name="csrf"` in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// A cookie's value from the response's Set-Cookie headers.
pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.to_string())
}

pub fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str, who: Option<&Browser>) -> reqwest::Response {
        let mut req = self.client.get(self.url(path));
        if let Some(b) = who {
            req = req.header("Cookie", format!("fpt_session={}", b.cookie));
        }
        req.send().await.expect("GET")
    }

    pub async fn page(&self, path: &str, who: &Browser) -> String {
        let res = self.get(path, Some(who)).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.text().await.expect("body")
    }

    /// POSTs a form with raw cookie header and fields (no CSRF added).
    pub async fn post_raw(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut req = self
            .client
            .post(self.url(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(c) = cookie {
            req = req.header("Cookie", c);
        }
        req.send().await.expect("POST")
    }

    /// POSTs a form as `who`, with its CSRF token.
    pub async fn post(
        &self,
        path: &str,
        who: &Browser,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut all = vec![("csrf", who.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, Some(&format!("fpt_session={}", who.cookie)), &all)
            .await
    }

    pub async fn add_user(&self, name: &str, role: &str, region: Option<&str>) {
        let hash = web::hash_password(PASSWORD).expect("hash");
        let mut conn = self.service.store.conn().await.expect("conn");
        queries::insert_user(&mut conn, name, role, region, &hash, store::now())
            .await
            .expect("user added");
    }

    /// Signs in through the form; panics when it fails.
    pub async fn sign_in(&self, name: &str) -> Browser {
        self.try_sign_in(name, PASSWORD)
            .await
            .unwrap_or_else(|status| panic!("sign-in of {name} failed: {status}"))
    }

    pub async fn try_sign_in(&self, name: &str, password: &str) -> Result<Browser, u16> {
        let form = self.get("/login", None).await;
        let login_cookie = cookie_value(&set_cookie(&form, "fpt_csrf").expect("login csrf cookie"));
        let html = form.text().await.expect("body");
        let token = csrf_in(&html).expect("csrf field on the login form");
        let res = self
            .post_raw(
                "/login",
                Some(&format!("fpt_csrf={login_cookie}")),
                &[
                    ("csrf", &token),
                    ("name", name),
                    ("password", password),
                    ("next", "/queue"),
                ],
            )
            .await;
        if res.status() != 303 {
            return Err(res.status().as_u16());
        }
        let cookie = cookie_value(&set_cookie(&res, "fpt_session").expect("session cookie"));
        let mut b = Browser {
            cookie,
            csrf: String::new(),
        };
        let queue = self.page("/queue", &b).await;
        b.csrf = csrf_in(&queue).expect("csrf on the queue page");
        Ok(b)
    }

    /// Ingests a message; returns the enquiry id.
    pub async fn ingest(&self, from: &str, subject: &str, body: &str) -> i64 {
        let raw = service_common::eml(from, subject, None, "", body);
        match self
            .service
            .ingestor()
            .ingest_raw(&raw)
            .await
            .expect("ingest")
        {
            Outcome::Stored { id, .. }
            | Outcome::Duplicate { id }
            | Outcome::LeadReply { enquiry_id: id, .. } => id,
        }
    }

    pub async fn status_of(&self, id: i64) -> String {
        let mut conn = self.service.store.conn().await.expect("conn");
        store::get_enquiry(&mut conn, id)
            .await
            .expect("get")
            .expect("exists")
            .status
    }

    pub async fn replies(&self, id: i64) -> usize {
        let mut conn = self.service.store.conn().await.expect("conn");
        store::list_outbox(&mut conn, Some(id))
            .await
            .expect("outbox")
            .iter()
            .filter(|o| o.kind == "reply")
            .count()
    }
}

/// Runs `test` on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL.
pub async fn on_each_database<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for db in service_common::databases().await {
        let name = db.name;
        eprintln!("-- on {name}");
        test(spawn_app(db).await).await;
    }
}
