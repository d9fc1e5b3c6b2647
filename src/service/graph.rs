//! The Microsoft Graph mail source for the serve loop: adapts `mail::graph::GraphClient` to
//! `MailSource`.
//!
//! `poll`: follow the folder's delta query from the saved delta link (or from the start),
//! page by page. For each message not removed from the folder: when its Message-ID is already
//! stored (an enquiry or a lead's reply) it is only marked; otherwise its MIME is fetched, and
//! a page's messages are ingested together (one transaction per group); only after that commit
//! is each marked read (or moved to `processed_folder`).
//! The new delta link is saved (`<data_dir>/graph-<key>.delta`, written atomically) once the
//! last page is reached. The crash rules are IMAP's: a crash before the mark leaves the
//! message unread, to be seen again and recognised as a duplicate; a crash before the delta
//! link is saved repeats the round, with the same result. An expired delta token (`410`)
//! restarts from the start of the folder; stored messages are recognised, nothing is stored
//! twice.
//!
//! `wait`: sleeps `graph.poll_secs` (Graph change notifications need a public HTTPS endpoint,
//! which this service does not have).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::serve::{MailSource, SourceFuture, WaitFuture};
use super::watch::lock_key;
use super::{Ingestor, Result, ServiceError};
use crate::mail::graph::{DeltaItem, GraphClient, GraphConfig, GraphError};
use crate::oauth::TokenSource;
use crate::store;

/// Reads one mailbox folder through Microsoft Graph.
pub struct GraphMailSource {
    client: GraphClient,
    config: GraphConfig,
    state_file: PathBuf,
}

impl std::fmt::Debug for GraphMailSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphMailSource")
            .field("mailbox", &self.config.mailbox)
            .field("folder", &self.config.folder)
            .finish_non_exhaustive()
    }
}

impl GraphMailSource {
    /// From the `[graph]` settings; `data_dir` keeps the delta link.
    pub fn new(
        config: &GraphConfig,
        tokens: Arc<TokenSource>,
        data_dir: &std::path::Path,
    ) -> Result<Self> {
        let client = GraphClient::new(config, tokens).map_err(source_err)?;
        let mut source = GraphMailSource {
            client,
            config: config.clone(),
            state_file: PathBuf::new(),
        };
        source.state_file = data_dir.join(format!(
            "graph-{:016x}.delta",
            lock_key(&source.identity()) as u64
        ));
        Ok(source)
    }

    /// The saved delta link, if any.
    fn delta_link(&self) -> Option<String> {
        std::fs::read_to_string(&self.state_file)
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn save_delta_link(&self, link: Option<&str>) -> Result<()> {
        let io = |e: std::io::Error| ServiceError::Io {
            path: self.state_file.clone(),
            source: e,
        };
        match link {
            Some(link) => {
                if let Some(parent) = self.state_file.parent() {
                    std::fs::create_dir_all(parent).map_err(io)?;
                }
                let tmp = self.state_file.with_extension("delta.tmp");
                std::fs::write(&tmp, link).map_err(io)?;
                std::fs::rename(&tmp, &self.state_file).map_err(io)
            }
            None => match std::fs::remove_file(&self.state_file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
                _ => Ok(()),
            },
        }
    }

    async fn already_stored(&self, ingestor: &Ingestor, message_id: &str) -> Result<bool> {
        let mut conn = ingestor.store().conn().await?;
        Ok(store::find_by_external_id(&mut conn, "email", message_id)
            .await?
            .is_some()
            || store::find_lead_reply(&mut conn, message_id)
                .await?
                .is_some())
    }

    /// Marks a committed message: moved to `processed_folder`, or marked read.
    async fn mark(&self, item: &DeltaItem) -> Result<()> {
        match &self.config.processed_folder {
            Some(folder) => self.client.move_to(&item.id, folder).await,
            None if item.is_read => Ok(()),
            None => self.client.mark_read(&item.id).await,
        }
        .map_err(source_err)
    }

    /// Handles one delta page: messages already stored are only marked; the others are
    /// downloaded, ingested together (one transaction per group) and marked once committed.
    /// After marking what was stored, the first message's error (if any) is returned.
    async fn handle_page(&self, ingestor: &Ingestor, items: &[DeltaItem]) -> Result<usize> {
        let mut fetched = Vec::new();
        for item in items {
            if item.removed {
                continue;
            }
            if let Some(mid) = &item.message_id {
                if self.already_stored(ingestor, mid).await? {
                    if !item.is_read || self.config.processed_folder.is_some() {
                        self.mark(item).await?;
                    }
                    continue;
                }
            }
            let raw = self.client.mime(&item.id).await.map_err(source_err)?;
            fetched.push((item, raw));
        }
        let (items, raws): (Vec<&DeltaItem>, Vec<Vec<u8>>) = fetched.into_iter().unzip();
        // commit first, then mark: a crash in between leaves them to be seen again (duplicates)
        let results = ingestor.ingest_batch(raws).await;
        let mut handled = 0;
        let mut failed = None;
        for (item, result) in items.into_iter().zip(results) {
            match result {
                Ok(_) => {
                    self.mark(item).await?;
                    handled += 1;
                }
                Err(e) => {
                    failed.get_or_insert(e);
                }
            }
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(handled),
        }
    }

    async fn poll_once(&mut self, ingestor: &Ingestor) -> Result<usize> {
        let initial = self.client.initial_delta_url(&self.config.folder);
        let mut url = self.delta_link().unwrap_or_else(|| initial.clone());
        let mut resynced = false;
        let mut handled = 0;
        loop {
            let page = match self.client.delta_page(&url).await {
                Err(GraphError::SyncReset) if !resynced => {
                    tracing::warn!(source = %self.name(), "the Graph delta token expired; reading the folder again (stored messages are skipped)");
                    self.save_delta_link(None)?;
                    resynced = true;
                    url = initial.clone();
                    continue;
                }
                other => other.map_err(source_err)?,
            };
            handled += self.handle_page(ingestor, &page.items).await?;
            match (page.next_link, page.delta_link) {
                (Some(next), _) => url = next,
                (None, Some(delta)) => {
                    self.save_delta_link(Some(&delta))?;
                    break;
                }
                (None, None) => {
                    return Err(ServiceError::Source(
                        "Microsoft Graph delta page without nextLink or deltaLink".into(),
                    ))
                }
            }
        }
        Ok(handled)
    }
}

fn source_err(e: GraphError) -> ServiceError {
    ServiceError::Source(e.to_string())
}

impl MailSource for GraphMailSource {
    fn name(&self) -> String {
        format!("graph {} {}", self.config.mailbox, self.config.folder)
    }

    fn identity(&self) -> String {
        format!(
            "graph {}/{}",
            self.config.mailbox.trim().to_lowercase(),
            self.config.folder
        )
    }

    fn poll<'a>(&'a mut self, ingestor: &'a Ingestor) -> SourceFuture<'a> {
        Box::pin(self.poll_once(ingestor))
    }

    fn wait<'a>(&'a mut self, _interval: Duration) -> WaitFuture<'a> {
        Box::pin(tokio::time::sleep(Duration::from_secs(
            self.config.poll_secs.max(1),
        )))
    }
}
