//! Maildir input: messages in `new/` are ingested in groups (one transaction per group) and,
//! only once the group holding them has committed, moved to `cur/` with the Seen flag
//! (`:2,S`). Also lists the files `fpt-assist ingest` is given.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::ingest::{Ingestor, Outcome};
use super::serve::{MailSource, SourceFuture};
use super::{Result, ServiceError};

/// Counts from one pass over some messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub stored: usize,
    pub duplicates: usize,
    /// Files that could not be read or stored, with the reason (left where they are).
    pub failed: Vec<(PathBuf, String)>,
}

impl IngestReport {
    pub fn seen(&self) -> usize {
        self.stored + self.duplicates + self.failed.len()
    }
}

/// One file to ingest, and whether it sits in a Maildir `new/` folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFile {
    pub path: PathBuf,
    pub in_new: bool,
}

fn io(path: &Path, source: std::io::Error) -> ServiceError {
    ServiceError::Io {
        path: path.into(),
        source,
    }
}

fn files_in(dir: &Path, in_new: bool, out: &mut Vec<MailFile>) -> Result<()> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if path.is_file() && !hidden {
            found.push(MailFile { path, in_new });
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    out.extend(found);
    Ok(())
}

/// Expands paths into message files: a file is itself; a Maildir gives `new/` then `cur/`;
/// any other folder gives its files.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<MailFile>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_file() {
            let in_new = path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == "new");
            out.push(MailFile {
                path: path.clone(),
                in_new,
            });
        } else if path.join("new").is_dir() || path.join("cur").is_dir() {
            for (sub, in_new) in [("new", true), ("cur", false)] {
                if path.join(sub).is_dir() {
                    files_in(&path.join(sub), in_new, &mut out)?;
                }
            }
        } else if path.is_dir() {
            files_in(path, false, &mut out)?;
        } else {
            return Err(io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
            ));
        }
    }
    Ok(out)
}

/// Moves a committed message from `new/` to `cur/` with the Seen flag.
pub fn mark_seen(path: &Path) -> Result<PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = name.split(':').next().unwrap_or(&name);
    let maildir = path
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| io(path, std::io::Error::other("not inside a Maildir")))?;
    let cur = maildir.join("cur");
    let target = cur.join(format!("{base}:2,S"));
    // `cur/` is made only when the move finds it missing (one system call per message, not
    // three)
    if let Err(e) = std::fs::rename(path, &target) {
        if e.kind() != std::io::ErrorKind::NotFound {
            return Err(io(path, e));
        }
        std::fs::create_dir_all(&cur).map_err(|e| io(&cur, e))?;
        std::fs::rename(path, &target).map_err(|e| io(path, e))?;
    }
    Ok(target)
}

/// Why a file is refused: an mbox file (a `From ` postmark line first, more after blank
/// lines) holds several messages, which would be read as one enquiry. `None` for anything else.
pub fn mbox_refusal(raw: &[u8]) -> Option<String> {
    if !raw.starts_with(b"From ") {
        return None;
    }
    let postmarks = |sep: &[u8]| raw.windows(sep.len()).filter(|w| *w == sep).count();
    let messages = 1 + postmarks(b"\n\nFrom ") + postmarks(b"\r\n\r\nFrom ");
    (messages > 1).then(|| {
        format!(
            "an mbox file holding {messages} messages (it starts with a \"From \" line), not one \
             message: nothing was stored. Split it into one file per message (a Maildir, e.g. \
             with mb2md or formail) and ingest that folder"
        )
    })
}

/// Ingests files in groups stored one transaction each (see [`Ingestor::pipeline`]), reading,
/// parsing and triaging ahead of storage. A file in `new/` is moved to `cur/` only after the
/// transaction holding its enquiry has committed; a file that fails is reported with its own
/// error and left in place, and the rest of its group is stored. `progress` is called once per
/// file, after that file's commit (or failure), in the order of `files`.
/// An mbox file is refused (see [`mbox_refusal`]).
pub async fn ingest_files(
    ingestor: &Ingestor,
    files: &[MailFile],
    mut progress: impl FnMut(&MailFile, &std::result::Result<Outcome, String>),
) -> Result<IngestReport> {
    let mut report = IngestReport::default();
    // owned: the files are read in the pipeline's own task
    let owned: Vec<MailFile> = files.to_vec();
    let mut pipeline = ingestor.pipeline(owned.into_iter().map(|file| async move {
        let raw = tokio::fs::read(&file.path)
            .await
            .map_err(|e| io(&file.path, e))
            .and_then(|raw| match mbox_refusal(&raw) {
                Some(why) => Err(ServiceError::Source(why)),
                None => Ok(raw),
            });
        (file, raw)
    }));
    while let Some(batch) = pipeline.next_batch().await {
        // everything Ok in `batch` is committed now
        for (file, result) in batch {
            let result = result.map_err(|e| e.to_string());
            match &result {
                Ok(outcome) => {
                    match outcome {
                        Outcome::Stored { .. } | Outcome::LeadReply { .. } => report.stored += 1,
                        Outcome::Duplicate { .. } => report.duplicates += 1,
                    }
                    if file.in_new {
                        if let Err(e) = mark_seen(&file.path) {
                            tracing::warn!(file = %file.path.display(), "stored but not moved to cur/: {e}");
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(file = %file.path.display(), "not ingested: {e}");
                    report.failed.push((file.path.clone(), e.clone()));
                }
            }
            progress(&file, &result);
        }
    }
    Ok(report)
}

/// A Maildir polled by `serve`: everything in `new/` is ingested on each poll. A file that
/// fails stays in `new/` and is retried after a delay that doubles up to ten minutes.
#[derive(Debug, Clone)]
pub struct MaildirSource {
    root: PathBuf,
    /// Failed files: when to try again, and how many times they failed.
    retry: HashMap<PathBuf, (Instant, u32)>,
}

fn retry_delay(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.min(10)).min(Duration::from_secs(600))
}

impl MaildirSource {
    /// Creates `new/`, `cur/` and `tmp/` under `root` when they are missing.
    pub fn new(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        for sub in ["new", "cur", "tmp"] {
            let dir = root.join(sub);
            std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        Ok(MaildirSource {
            root,
            retry: HashMap::new(),
        })
    }
}

impl MailSource for MaildirSource {
    fn name(&self) -> String {
        format!("maildir {}", self.root.display())
    }

    fn identity(&self) -> String {
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        format!("maildir {}", root.display())
    }

    fn poll<'a>(&'a mut self, ingestor: &'a Ingestor) -> SourceFuture<'a> {
        Box::pin(async move {
            let mut files = Vec::new();
            files_in(&self.root.join("new"), true, &mut files)?;
            let now = Instant::now();
            self.retry.retain(|path, _| path.exists());
            files.retain(|f| self.retry.get(&f.path).is_none_or(|(at, _)| *at <= now));
            let report = ingest_files(ingestor, &files, |_, _| {}).await?;
            for (path, _) in &report.failed {
                let failures = self.retry.get(path).map_or(0, |(_, n)| *n) + 1;
                self.retry
                    .insert(path.clone(), (now + retry_delay(failures), failures));
            }
            Ok(report.stored + report.duplicates)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_new_then_cur_and_marks_seen() {
        let dir = tempfile::tempdir().unwrap();
        let md = dir.path().join("Maildir");
        MaildirSource::new(&md).unwrap();
        std::fs::write(md.join("new/b"), "x").unwrap();
        std::fs::write(md.join("new/.hidden"), "x").unwrap();
        std::fs::write(md.join("cur/a:2,S"), "x").unwrap();
        let files = collect(std::slice::from_ref(&md)).unwrap();
        let names: Vec<(String, bool)> = files
            .iter()
            .map(|f| {
                (
                    f.path.file_name().unwrap().to_string_lossy().into(),
                    f.in_new,
                )
            })
            .collect();
        assert_eq!(
            names,
            [("b".to_string(), true), ("a:2,S".to_string(), false)]
        );
        let moved = mark_seen(&md.join("new/b")).unwrap();
        assert_eq!(moved, md.join("cur/b:2,S"));
        assert!(collect(&[dir.path().join("missing")]).is_err());
    }

    #[test]
    fn an_mbox_of_several_messages_is_refused_and_one_message_is_not() {
        let mbox = b"From a@example.org Thu Dec 11 12:00:00 2025\nFrom: a@example.org\nSubject: one\n\nHow long is FPT?\n\nFrom b@example.org Thu Dec 11 12:01:00 2025\nFrom: b@example.org\nSubject: two\n\nIs FPT paid?\n";
        let why = mbox_refusal(mbox).unwrap_or_default();
        assert!(why.contains("mbox") && why.contains("2 messages"), "{why}");
        assert_eq!(
            mbox_refusal(b"From: a@example.org\nSubject: x\n\nFrom here on, hi\n"),
            None
        );
        assert_eq!(
            mbox_refusal(
                b"From a@example.org Thu Dec 11 12:00:00 2025\nFrom: a@example.org\n\nhi\n"
            ),
            None
        );
    }

    #[test]
    fn retry_delay_doubles_and_is_capped() {
        assert_eq!(retry_delay(1), Duration::from_secs(2));
        assert_eq!(retry_delay(3), Duration::from_secs(8));
        assert_eq!(retry_delay(40), Duration::from_secs(600));
    }
}
