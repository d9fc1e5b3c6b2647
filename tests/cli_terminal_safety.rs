//! `show` and `queue` print what came in a message inert: an ESC or BEL stored in a sender's
//! name, subject or text (from before parsing removed them, or from any other path into the
//! store) reaches the admin's terminal as visible `\u{1b}`, never as a control sequence.

use std::path::PathBuf;
use std::process::Command;

use fpt_assist::cli::inert::inert_line;
use fpt_assist::store::{self, NewEnquiry, Status, Store};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn show_and_queue_never_send_control_sequences_to_the_terminal() {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::open(&url).await.unwrap();
    let mut conn = store.conn().await.unwrap();
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[31m";
    let subject = format!("FPT{hostile}question");
    let text = format!("How long is FPT?{hostile}\nSecond line\u{202e}gnp.exe");
    let name = format!("Dr{hostile} A");
    let id = store::insert_enquiry(
        &mut conn,
        &NewEnquiry {
            channel: "email",
            external_id: "hostile@example.org",
            thread_id: None,
            sender: "a@example.org",
            sender_name: Some(&name),
            subject: Some(&subject),
            cleaned_text: &text,
            raw: None,
            attachments: "[]",
            received_at: 1_700_000_000,
            decision: "route",
            confidence: 0.1,
            faq: "[]",
            region: None,
            reason: &format!("routed{hostile}"),
            status: Status::Routed,
            parse_problem: Some(&format!("problem{hostile}")),
        },
    )
    .await
    .unwrap()
    .unwrap();
    drop(conn);
    store.close().await;
    for args in [
        vec!["show".to_string(), id.to_string()],
        vec!["queue".into()],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_fpt-assist"))
            .current_dir(dir.path())
            .env("DATABASE_URL", &url)
            .env_remove("FPT_CONFIG")
            .env("RUST_LOG", "warn")
            .arg("--kb")
            .arg(repo().join("faq"))
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let shown = String::from_utf8(out.stdout).unwrap();
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}') && !shown.contains('\u{202e}'),
            "{args:?}: {shown:?}"
        );
        assert!(
            shown.contains("\\u{1b}"),
            "{args:?}: the escape is shown: {shown}"
        );
        assert!(shown.contains("question"), "{args:?}: {shown}");
    }
}

/// A log sink in memory.
#[derive(Clone, Default)]
struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::ErrorKind::Other)?
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn logs_write_control_sequences_from_mail_inert() {
    // the subscriber the binary installs (main.rs), writing to memory
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let from_mail = "Dr\u{1b}]0;owned\u{7} A\u{1b}[31m";
        // the subscriber escapes the message; a field value from mail goes through
        // `inert_line` (the subscriber leaves `%` field values as they are)
        tracing::warn!(sender = %inert_line(from_mail), "send failed: {from_mail}");
    });
    let logged = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("send failed"), "{logged}");
    assert!(
        !logged.contains("\u{1b}]0") && !logged.contains('\u{7}') && !logged.contains("\u{1b}[31m"),
        "{logged:?}"
    );
}
