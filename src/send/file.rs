//! The file transport: each message becomes `<dir>/<idempotency-key>.eml`, written to a
//! temporary name, synced and renamed, so a file either exists whole or not at all.
//!
//! Crash safety: when the file for a key already exists, the message was sent before the worker
//! could record it; the send is reported as done and nothing is written twice.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{build_message, MailTransport, OutgoingMail, SendError, SendFuture};

/// Writes messages as `.eml` files into one folder.
#[derive(Debug, Clone)]
pub struct FileTransport {
    dir: PathBuf,
}

impl FileTransport {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileTransport { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a key is written to. Keys are ours, but anything outside `[A-Za-z0-9._-]` is
    /// replaced so a key can never leave the folder.
    pub fn path_for(&self, key: &str) -> PathBuf {
        let safe: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir
            .join(format!("{}.eml", safe.trim_start_matches('.')))
    }

    fn write(&self, msg: &OutgoingMail) -> Result<(), SendError> {
        let path = self.path_for(&msg.idempotency_key);
        if path.exists() {
            return Ok(());
        }
        let bytes = build_message(msg)?.formatted();
        let io = |e: std::io::Error| SendError::Transient(format!("{}: {e}", self.dir.display()));
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        let tmp = self.dir.join(format!(
            ".{}.{}.tmp",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let mut file = std::fs::File::create(&tmp).map_err(io)?;
        file.write_all(&bytes).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(())
    }
}

impl MailTransport for FileTransport {
    /// An existing file for the key means it was already delivered.
    fn checks_idempotency_key(&self) -> bool {
        true
    }

    fn send<'a>(&'a self, msg: &'a OutgoingMail) -> SendFuture<'a> {
        Box::pin(async move {
            let this = self.clone();
            let msg = msg.clone();
            tokio::task::spawn_blocking(move || this.write(&msg))
                .await
                .map_err(|e| SendError::Transient(format!("file writer stopped: {e}")))?
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_once_per_key() {
        let dir = tempfile::tempdir().unwrap();
        let t = FileTransport::new(dir.path().join("outbox"));
        let mut m = crate::send::tests::sample();
        t.send(&m).await.unwrap();
        m.text = "changed".into();
        t.send(&m).await.unwrap();
        let text = std::fs::read_to_string(t.path_for("reply-1-1")).unwrap();
        assert!(text.contains("Hello") && !text.contains("changed"));
        assert_eq!(std::fs::read_dir(t.dir()).unwrap().count(), 1);
    }

    #[test]
    fn keys_cannot_escape_the_folder() {
        let t = FileTransport::new("/x");
        assert_eq!(
            t.path_for("../../etc/passwd"),
            PathBuf::from("/x/_.._etc_passwd.eml")
        );
    }
}
