//! One watcher per mailbox. Several `serve` instances may share one PostgreSQL database; only
//! the one holding a mailbox's lock reads that mailbox, the others keep sending the outbox
//! (shared through `FOR UPDATE SKIP LOCKED`) and try for the lock again every few seconds.
//!
//! - PostgreSQL: a session advisory lock, `pg_try_advisory_lock(key)`, taken on a connection
//!   detached from the pool and kept open for as long as the instance watches. When the
//!   process dies its connection closes, the server releases the lock, and another instance
//!   takes over on its next try.
//! - SQLite: one instance is assumed (SQLite has one writer anyway). The equivalent guard is an
//!   exclusive `flock` on `<data_dir>/watch-<key>.lock`, so a second `serve` on the same
//!   data folder stands by instead of reading the same Maildir.
//!
//! The key is the first 8 bytes of SHA-256 over `fpt-assist watch <mailbox identity>`, where the
//! identity names the mailbox the same way on every machine (the Maildir's canonical path, or
//! `imap user@host:port/mailbox`).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Connection, Row};

use super::{Result, ServiceError};
use crate::store::{Dialect, Store};

/// The advisory-lock key for a mailbox identity.
pub fn lock_key(identity: &str) -> i64 {
    let digest = Sha256::digest(format!("fpt-assist watch {identity}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// The right to watch one mailbox, held or not.
pub struct MailboxLock {
    store: Store,
    key: i64,
    file_path: PathBuf,
    /// PostgreSQL: the dedicated connection (kept between tries, holds the lock once taken).
    conn: Option<AnyConnection>,
    /// SQLite: the locked file.
    file: Option<std::fs::File>,
    held: bool,
}

impl std::fmt::Debug for MailboxLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailboxLock")
            .field("key", &self.key)
            .field("held", &self.held)
            .finish()
    }
}

impl MailboxLock {
    /// A lock for the mailbox `identity`; `data_dir` holds the SQLite lock files.
    pub fn new(store: Store, data_dir: &Path, identity: &str) -> Self {
        let key = lock_key(identity);
        MailboxLock {
            store,
            key,
            file_path: data_dir.join(format!("watch-{:016x}.lock", key as u64)),
            conn: None,
            file: None,
            held: false,
        }
    }

    pub fn key(&self) -> i64 {
        self.key
    }

    pub fn is_held(&self) -> bool {
        self.held
    }

    /// Tries once to take the lock; `Ok(true)` when this instance now watches the mailbox
    /// (or already did).
    pub async fn try_acquire(&mut self) -> Result<bool> {
        if self.held {
            return Ok(true);
        }
        match self.store.dialect() {
            Dialect::Postgres => {
                if self.conn.is_none() {
                    let conn = self.store.conn().await?.detach();
                    self.conn = Some(conn);
                }
                let Some(conn) = self.conn.as_mut() else {
                    return Ok(false);
                };
                let row = sqlx::query("SELECT pg_try_advisory_lock($1) AS ok")
                    .bind(self.key)
                    .fetch_one(&mut *conn)
                    .await;
                match row.and_then(|r| r.try_get::<bool, _>("ok")) {
                    Ok(ok) => self.held = ok,
                    Err(e) => {
                        // a broken connection: open a new one next time
                        self.conn = None;
                        return Err(e.into());
                    }
                }
            }
            Dialect::Sqlite => {
                let io = |e: std::io::Error| ServiceError::Io {
                    path: self.file_path.clone(),
                    source: e,
                };
                if let Some(parent) = self.file_path.parent() {
                    std::fs::create_dir_all(parent).map_err(io)?;
                }
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&self.file_path)
                    .map_err(io)?;
                match file.try_lock() {
                    Ok(()) => {
                        self.file = Some(file);
                        self.held = true;
                    }
                    Err(std::fs::TryLockError::WouldBlock) => {}
                    Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
                }
            }
        }
        Ok(self.held)
    }

    /// Whether the lock is still ours. On PostgreSQL this asks the lock connection: when it
    /// broke, the server has released the lock and another instance may hold it now.
    pub async fn still_held(&mut self) -> bool {
        if !self.held {
            return false;
        }
        if let Some(conn) = self.conn.as_mut() {
            if let Err(e) = conn.ping().await {
                tracing::warn!("mailbox lock connection lost: {e}");
                self.conn = None;
                self.held = false;
            }
        }
        self.held
    }

    /// Gives the lock up (also what closing the process does).
    pub async fn release(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            if self.held {
                let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(self.key)
                    .execute(&mut conn)
                    .await;
            }
            let _ = conn.close().await;
        }
        self.file = None;
        self.held = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_distinct() {
        assert_eq!(
            lock_key("imap a@b:993/INBOX"),
            lock_key("imap a@b:993/INBOX")
        );
        assert_ne!(
            lock_key("imap a@b:993/INBOX"),
            lock_key("imap a@b:993/Other")
        );
    }

    #[tokio::test]
    async fn sqlite_lock_file_admits_one_holder() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open(&url).await.unwrap();
        let mut a = MailboxLock::new(store.clone(), dir.path(), "maildir /x");
        let mut b = MailboxLock::new(store.clone(), dir.path(), "maildir /x");
        let mut other = MailboxLock::new(store.clone(), dir.path(), "maildir /y");
        assert!(a.try_acquire().await.unwrap());
        assert!(!b.try_acquire().await.unwrap());
        assert!(other.try_acquire().await.unwrap());
        assert!(a.still_held().await);
        a.release().await;
        assert!(b.try_acquire().await.unwrap());
    }
}
