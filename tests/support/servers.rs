//! The real servers some tests start, shared instead of copied: the aiosmtpd SMTP sink
//! (`tests/support/smtp_sink.py`) and a throwaway Dovecot (`tests/support/dovecot.sh`), each
//! on a free loopback port and stopped when its guard is dropped.
//!
//! Include it with `#[path = "support/servers.rs"] mod servers;`. Tests decide themselves
//! whether to skip (`aiosmtpd_installed`, `dovecot_installed`) and what to print.
#![allow(dead_code)]

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Python that has aiosmtpd (Debian's `python3-aiosmtpd`).
pub const PYTHON: &str = "/usr/bin/python3";
pub const SINK_PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py");
pub const DOVECOT_SH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/dovecot.sh");
pub const DOVECOT: &str = "/usr/sbin/dovecot";

/// A loopback port nobody listens on (right now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Whether `PYTHON` can import aiosmtpd.
pub fn aiosmtpd_installed() -> bool {
    Command::new(PYTHON)
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Prints why a test is skipped, past the test harness's capture so plain `cargo test` shows it.
pub fn skip(why: &str) {
    std::io::Write::write_fmt(&mut std::io::stderr(), format_args!("skipping: {why}\n")).ok();
}

/// A Dovecot started in a fresh folder under /tmp (which `nobody` can enter), or `None` with
/// the reason printed when Dovecot is not installed. Keep the folder for the test's length.
pub fn dovecot_or_skip(prefix: &str) -> Option<(tempfile::TempDir, Dovecot)> {
    if !dovecot_installed() {
        skip("dovecot not installed (run .ci/install-deps.sh)");
        return None;
    }
    let tmp = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in("/tmp")
        .expect("a temp folder under /tmp");
    let dovecot = Dovecot::start(&tmp.path().join("d"));
    Some((tmp, dovecot))
}

/// Whether Dovecot is installed.
pub fn dovecot_installed() -> bool {
    Path::new(DOVECOT).exists()
}

// ---------------------------------------------------------------- SMTP sink

/// A running smtp_sink.py storing each message as `<dir>/*.eml`; stopped on drop.
pub struct Sink {
    child: Option<Child>,
    pub port: u16,
    pub dir: PathBuf,
    args: Vec<String>,
}

impl Sink {
    /// Starts the sink on a free port, with extra arguments (`--reject ADDR`, `--auth U:P`).
    pub fn start(dir: &Path, extra: &[&str]) -> Sink {
        let mut sink = Sink {
            child: None,
            port: free_port(),
            dir: dir.to_path_buf(),
            args: extra.iter().map(|a| a.to_string()).collect(),
        };
        sink.restart();
        sink
    }

    /// Starts the sink (again) on the same port and folder; waits for "ready" (15 s).
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the sink is already running");
        let mut child = Command::new(PYTHON)
            .arg(SINK_PY)
            .args(["--port", &self.port.to_string(), "--dir"])
            .arg(&self.dir)
            .args(&self.args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn smtp_sink.py");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(15)).unwrap_or_default();
        self.child = Some(child);
        assert_eq!(
            line.trim(),
            "ready",
            "smtp_sink.py did not say ready on port {} within 15 s",
            self.port
        );
    }

    /// Stops the sink (SIGTERM, then SIGKILL after 5 s) and waits until the port refuses.
    pub fn stop(&mut self) {
        if !self.terminate() {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            assert!(
                Instant::now() < deadline,
                "port {} still accepts connections 5 s after stopping the sink",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, then SIGKILL after 5 s; `false` when it was not running.
    fn terminate(&mut self) -> bool {
        let Some(mut child) = self.child.take() else {
            return false;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        true
    }

    /// The stored messages' files, in arrival order.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        files.sort();
        files
    }

    /// The stored messages as text, in arrival order.
    pub fn messages(&self) -> Vec<String> {
        self.files()
            .iter()
            .map(|p| {
                let raw = std::fs::read(p).expect("read a sink message");
                String::from_utf8_lossy(&raw).into_owned()
            })
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // never panics: a test may already be failing
        self.terminate();
    }
}

// ---------------------------------------------------------------- Dovecot

/// Runs `dovecot.sh ARGS…`; panics with its output when it fails.
pub fn dovecot_sh(args: &[&str]) {
    let out = Command::new("bash")
        .arg(DOVECOT_SH)
        .args(args)
        .output()
        .expect("run dovecot.sh");
    assert!(
        out.status.success(),
        "dovecot.sh {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running throwaway Dovecot (user `fpt`, password `secret`, plain IMAP on loopback);
/// stopped on drop.
pub struct Dovecot {
    pub dir: String,
    pub port: u16,
}

impl Dovecot {
    /// Starts Dovecot with its files in `dir`, on a free port.
    pub fn start(dir: &Path) -> Dovecot {
        let dovecot = Dovecot {
            dir: dir.to_string_lossy().into_owned(),
            port: free_port(),
        };
        dovecot.restart();
        dovecot
    }

    /// Starts it (again) on the same port and folder.
    pub fn restart(&self) {
        dovecot_sh(&["start", &self.dir, &self.port.to_string()]);
    }

    /// Stops it and waits for it to exit (the drop does this too).
    pub fn stop(&self) {
        dovecot_sh(&["stop", &self.dir]);
    }

    /// Delivers the message in file `eml` to INBOX.
    pub fn append(&self, eml: &Path) {
        dovecot_sh(&["append", &self.dir, &eml.to_string_lossy()]);
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(DOVECOT_SH)
            .args(["stop", &self.dir])
            .output();
    }
}
