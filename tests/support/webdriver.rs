//! A minimal W3C WebDriver client over reqwest (what the browser tests need and no more):
//! start chromedriver, open headless Chromium, navigate, find, click, type, read text and
//! take screenshots. Lighter than a WebDriver crate, and the protocol is plain JSON.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Driver {
    child: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where chromedriver and Chromium are, or why the browser tests skip.
pub fn find_browser() -> Result<(String, String), String> {
    let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .ok_or("chromedriver not found (apt-get install chromium-driver)")?;
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .ok_or("chromium not found (apt-get install chromium)")?;
    Ok((driver.to_string(), chromium.to_string()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Driver {
    pub async fn start(driver: &str, chromium: &str) -> Result<Driver, String> {
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {driver}: {e}"))?;
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut d = Driver {
            child,
            base,
            session: String::new(),
            http,
            _profile: profile,
        };
        for _ in 0..100 {
            if d.http
                .get(format!("{}/status", d.base))
                .send()
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
            "--lang=en-GB",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("--user-data-dir={}", d._profile.path().display())])
        .collect::<Vec<_>>();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args}
        }}});
        let v = d.call("POST", "/session", Some(caps)).await?;
        d.session = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {v}"))?
            .to_string();
        Ok(d)
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self
                .http
                .post(url)
                .header("Content-Type", "application/json")
                .body(body.unwrap_or(json!({})).to_string()),
        };
        let res = req.send().await.map_err(|e| e.to_string())?;
        let status = res.status();
        let text = res.text().await.map_err(|e| e.to_string())?;
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if !status.is_success() {
            return Err(format!("{method} {path}: {status}: {}", v["value"]));
        }
        Ok(if v.get("sessionId").is_some() {
            v
        } else {
            v["value"].clone()
        })
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.call("POST", &self.s("/url"), Some(json!({ "url": url })))
            .await
            .map(|_| ())
    }

    pub async fn url(&self) -> Result<String, String> {
        Ok(self
            .call("GET", &self.s("/url"), None)
            .await?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    pub async fn source(&self) -> Result<String, String> {
        Ok(self
            .call("GET", &self.s("/source"), None)
            .await?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    pub async fn find(&self, css: &str) -> Result<String, String> {
        let v = self
            .call(
                "POST",
                &self.s("/element"),
                Some(json!({"using": "css selector", "value": css})),
            )
            .await
            .map_err(|e| format!("{css}: {e}"))?;
        v[ELEMENT]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("{css}: {v}"))
    }

    pub async fn click(&self, css: &str) -> Result<(), String> {
        let id = self.find(css).await?;
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/click")),
            Some(json!({})),
        )
        .await
        .map(|_| ())
    }

    pub async fn clear_and_type(&self, css: &str, text: &str) -> Result<(), String> {
        let id = self.find(css).await?;
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/clear")),
            Some(json!({})),
        )
        .await?;
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/value")),
            Some(json!({ "text": text })),
        )
        .await
        .map(|_| ())
    }

    pub async fn text(&self, css: &str) -> Result<String, String> {
        let id = self.find(css).await?;
        Ok(self
            .call("GET", &self.s(&format!("/element/{id}/text")), None)
            .await?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    /// Waits (up to 10 s) until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> Result<String, String> {
        let mut last = String::new();
        for _ in 0..100 {
            match self.text(css).await {
                Ok(t) if t.contains(needle) => return Ok(t),
                Ok(t) => last = t,
                Err(e) => last = e,
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("{css} never contained {needle:?}: {last}"))
    }

    /// Presses Tab in the page and returns the text of the focused element.
    pub async fn tab_and_focused_text(&self) -> Result<String, String> {
        let actions = json!({"actions": [{"type": "key", "id": "kb", "actions": [
            {"type": "keyDown", "value": "\u{E004}"}, {"type": "keyUp", "value": "\u{E004}"}
        ]}]});
        self.call("POST", &self.s("/actions"), Some(actions))
            .await?;
        let v = self.call("GET", &self.s("/element/active"), None).await?;
        let id = v[ELEMENT]
            .as_str()
            .ok_or_else(|| format!("no focused element: {v}"))?
            .to_string();
        Ok(self
            .call("GET", &self.s(&format!("/element/{id}/text")), None)
            .await?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    /// Whether a JavaScript alert is open (an XSS payload that ran would open one).
    pub async fn alert_open(&self) -> bool {
        self.call("GET", &self.s("/alert/text"), None).await.is_ok()
    }

    pub async fn set_size(&self, width: u32, height: u32) -> Result<(), String> {
        self.call(
            "POST",
            &self.s("/window/rect"),
            Some(json!({"width": width, "height": height})),
        )
        .await
        .map(|_| ())
    }

    pub async fn screenshot(&self, path: &std::path::Path) -> Result<(), String> {
        let v = self.call("GET", &self.s("/screenshot"), None).await?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or(""))
            .map_err(|e| e.to_string())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, png).map_err(|e| e.to_string())
    }

    pub async fn quit(&self) {
        let _ = self.call("DELETE", &self.s(""), None).await;
    }
}
