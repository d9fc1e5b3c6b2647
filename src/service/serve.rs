//! The serve loop: every mail source is watched by its own task and the outbox worker runs in
//! another, so a mailbox that is slow or unreachable never holds up sending.
//!
//! A source task first takes the mailbox's lock (`watch::MailboxLock`: one watcher per mailbox
//! across instances sharing a PostgreSQL database); while it holds it, it ingests what waits
//! (`MailSource::poll`) and then waits for more (`MailSource::wait`: a sleep for the Maildir,
//! IMAP IDLE where offered). Without the lock it tries again every `LOCK_RETRY`. Sources
//! record their own progress (e.g. the IMAP last UID) only after the ingest committed.
//!
//! `--once` polls each source once (when its lock is free), then runs the outbox once.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::watch::MailboxLock;
use super::{Ingestor, OutboxWorker, Result, Service, WorkerReport};

/// A boxed future, so the trait stays object-safe without `async-trait`.
pub type SourceFuture<'a> = Pin<Box<dyn Future<Output = Result<usize>> + Send + 'a>>;
/// What `MailSource::wait` returns.
pub type WaitFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// How often an instance without a mailbox's lock tries to take it.
pub const LOCK_RETRY: Duration = Duration::from_secs(2);
/// How long shutdown waits for a task to finish what it is doing before abandoning it.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Somewhere messages arrive from.
pub trait MailSource: Send {
    /// For logs: "maildir var/mail", "imap INBOX".
    fn name(&self) -> String;
    /// Names the mailbox the same way on every instance (for the one-watcher lock).
    fn identity(&self) -> String {
        self.name()
    }
    /// Ingests whatever waits; returns how many messages were handled.
    fn poll<'a>(&'a mut self, ingestor: &'a Ingestor) -> SourceFuture<'a>;
    /// Waits until new mail may have arrived; `interval` is the configured poll interval.
    /// The default sleeps for it.
    fn wait<'a>(&'a mut self, interval: Duration) -> WaitFuture<'a> {
        Box::pin(tokio::time::sleep(interval))
    }
}

/// Totals over a serve run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServeReport {
    pub received: usize,
    pub outbox: WorkerReport,
}

fn add(total: &mut WorkerReport, r: WorkerReport) {
    total.sent += r.sent;
    total.retried += r.retried;
    total.failed += r.failed;
}

/// Runs until `shutdown` completes, or for one pass when `once` is set. A failing source or
/// worker pass is logged and tried again later; the loop itself does not stop.
pub async fn serve(
    service: &Service,
    sources: Vec<Box<dyn MailSource>>,
    once: bool,
    shutdown: impl Future<Output = ()>,
) -> Result<ServeReport> {
    let interval = Duration::from_millis(service.config.mail.poll_ms.max(50));
    let received = Arc::new(AtomicUsize::new(0));
    if once {
        let ingestor = service.ingestor();
        for mut source in sources {
            let mut lock = lock_for(service, source.as_ref());
            watch_once(&mut lock, source.as_mut(), &ingestor, &received).await;
            lock.release().await;
        }
        let mut report = ServeReport {
            received: received.load(Ordering::Relaxed),
            ..ServeReport::default()
        };
        match service.worker().run_once().await {
            Ok(r) => add(&mut report.outbox, r),
            Err(e) => tracing::warn!("outbox pass failed: {e}"),
        }
        return Ok(report);
    }

    let (stop, stopped) = watch::channel(false);
    let mut watchers = Vec::new();
    for source in sources {
        let lock = lock_for(service, source.as_ref());
        watchers.push(tokio::spawn(watch_source(
            source,
            lock,
            service.ingestor(),
            interval,
            received.clone(),
            stopped.clone(),
        )));
    }
    let worker = tokio::spawn(run_worker(service.worker(), interval, stopped));
    shutdown.await;
    tracing::info!("shutting down");
    let _ = stop.send(true);
    let mut report = ServeReport::default();
    for task in watchers {
        finish(task).await;
    }
    if let Some(r) = finish(worker).await {
        report.outbox = r;
    }
    report.received = received.load(Ordering::Relaxed);
    Ok(report)
}

/// Waits for a task to end after shutdown was signalled; abandons it after `SHUTDOWN_GRACE`
/// (every ingest group and outbox step is its own transaction, so stopping mid-way loses nothing).
async fn finish<T>(mut task: tokio::task::JoinHandle<T>) -> Option<T> {
    match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
        Ok(Ok(v)) => Some(v),
        Ok(Err(e)) => {
            tracing::error!("serve task stopped abnormally: {e}");
            None
        }
        Err(_) => {
            tracing::warn!("a serve task did not stop in time; abandoning it");
            task.abort();
            None
        }
    }
}

fn lock_for(service: &Service, source: &dyn MailSource) -> MailboxLock {
    MailboxLock::new(
        service.store.clone(),
        &service.config.data_dir,
        &source.identity(),
    )
}

/// One round: make sure we hold the lock, then poll. Returns whether we hold the lock.
async fn watch_once(
    lock: &mut MailboxLock,
    source: &mut dyn MailSource,
    ingestor: &Ingestor,
    received: &AtomicUsize,
) -> bool {
    if lock.is_held() {
        if !lock.still_held().await {
            tracing::warn!(source = %source.name(), "lost the mailbox lock; standing by");
            return false;
        }
    } else {
        match lock.try_acquire().await {
            Ok(true) => tracing::info!(source = %source.name(), "watching (mailbox lock taken)"),
            Ok(false) => {
                tracing::debug!(source = %source.name(), "another instance watches this mailbox");
                return false;
            }
            Err(e) => {
                tracing::warn!(source = %source.name(), "cannot take the mailbox lock: {e}");
                return false;
            }
        }
    }
    match source.poll(ingestor).await {
        Ok(n) => {
            received.fetch_add(n, Ordering::Relaxed);
        }
        Err(e) => tracing::warn!(source = %source.name(), "poll failed: {e}"),
    }
    true
}

async fn watch_source(
    mut source: Box<dyn MailSource>,
    mut lock: MailboxLock,
    ingestor: Ingestor,
    interval: Duration,
    received: Arc<AtomicUsize>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut standing_by = false;
    while !*stopped.borrow() {
        let held = watch_once(&mut lock, source.as_mut(), &ingestor, &received).await;
        if !held && !standing_by {
            tracing::info!(source = %source.name(), "standing by: another instance watches this mailbox");
        }
        standing_by = !held;
        let wait: WaitFuture<'_> = if held {
            source.wait(interval)
        } else {
            Box::pin(tokio::time::sleep(LOCK_RETRY))
        };
        tokio::select! {
            _ = stopped.changed() => break,
            _ = wait => {}
        }
    }
    lock.release().await;
}

async fn run_worker(
    worker: OutboxWorker,
    interval: Duration,
    mut stopped: watch::Receiver<bool>,
) -> WorkerReport {
    let mut total = WorkerReport::default();
    while !*stopped.borrow() {
        match worker.run_once().await {
            Ok(r) => add(&mut total, r),
            Err(e) => tracing::warn!("outbox pass failed: {e}"),
        }
        tokio::select! {
            _ = stopped.changed() => break,
            _ = tokio::time::sleep(interval) => {}
        }
    }
    total
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
