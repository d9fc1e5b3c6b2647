//! The serve loop: polls every mail source, then runs the outbox worker, once a poll interval,
//! until shutdown. Mail sources plug in through `MailSource` (Maildir here, IMAP in
//! `mail::imap`): a source ingests what it finds through the `Ingestor` and records its own
//! progress (e.g. the IMAP last UID) only after the ingest committed.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::{Ingestor, Result, Service, WorkerReport};

/// A boxed future, so the trait stays object-safe without `async-trait`.
pub type SourceFuture<'a> = Pin<Box<dyn Future<Output = Result<usize>> + Send + 'a>>;

/// Somewhere messages arrive from.
pub trait MailSource: Send {
    /// For logs: "maildir var/mail", "imap INBOX".
    fn name(&self) -> String;
    /// Ingests whatever waits; returns how many messages were handled.
    fn poll<'a>(&'a mut self, ingestor: &'a Ingestor) -> SourceFuture<'a>;
}

/// Totals over a serve run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServeReport {
    pub received: usize,
    pub outbox: WorkerReport,
}

/// Runs until `shutdown` completes, or for one pass when `once` is set. A failing source or
/// worker pass is logged and tried again on the next tick; the loop itself does not stop.
pub async fn serve(
    service: &Service,
    sources: &mut [Box<dyn MailSource>],
    once: bool,
    shutdown: impl Future<Output = ()>,
) -> Result<ServeReport> {
    let ingestor = service.ingestor();
    let worker = service.worker();
    let interval = Duration::from_millis(service.config.mail.poll_ms.max(50));
    let mut report = ServeReport::default();
    tokio::pin!(shutdown);
    loop {
        for source in sources.iter_mut() {
            match source.poll(&ingestor).await {
                Ok(n) => report.received += n,
                Err(e) => tracing::warn!(source = %source.name(), "poll failed: {e}"),
            }
        }
        match worker.run_once().await {
            Ok(r) => {
                report.outbox.sent += r.sent;
                report.outbox.retried += r.retried;
                report.outbox.failed += r.failed;
            }
            Err(e) => tracing::warn!("outbox pass failed: {e}"),
        }
        if once {
            return Ok(report);
        }
        tokio::select! {
            _ = &mut shutdown => {
                tracing::info!("shutting down");
                return Ok(report);
            }
            _ = tokio::time::sleep(interval) => {}
        }
    }
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
