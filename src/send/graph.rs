//! The Microsoft Graph transport: sends `OutgoingMail` with `POST /users/{mailbox}/sendMail`
//! as a MIME message (rendered by [`super::build_message`], like SMTP), so our Message-ID,
//! In-Reply-To and References are the ones Graph sends on. For tenants where SMTP AUTH is off.
//!
//! Failures: throttling, 5xx, network trouble and token problems are
//! [`SendError::Transient`]; `403` (missing `Mail.Send` permission, a configuration problem an
//! administrator can fix) is transient too, so the message waits; other 4xx are permanent.
//! Like SMTP, `sendMail` cannot be asked whether it already sent a message, so the outbox
//! treats a send interrupted by a crash as needing an admin's check.

use std::sync::Arc;

use super::{build_message, MailTransport, OutgoingMail, SendError, SendFuture};
use crate::mail::graph::{GraphClient, GraphConfig, GraphError};
use crate::oauth::TokenSource;

/// Sends mail through Microsoft Graph.
#[derive(Debug, Clone)]
pub struct GraphTransport {
    client: GraphClient,
}

impl GraphTransport {
    /// For the `[graph]` mailbox, with tokens from `tokens`.
    pub fn new(config: &GraphConfig, tokens: Arc<TokenSource>) -> Result<Self, GraphError> {
        Ok(GraphTransport {
            client: GraphClient::new(config, tokens)?,
        })
    }

    /// Sends one message.
    pub async fn send_mail(&self, msg: &OutgoingMail) -> Result<(), SendError> {
        let mime = build_message(msg)?.formatted();
        match self.client.send_mime(&mime).await {
            Ok(()) => {
                tracing::debug!(key = %msg.idempotency_key, "Graph: sent");
                Ok(())
            }
            Err(e) => {
                tracing::warn!(key = %msg.idempotency_key, error = %e, "Graph: send failed");
                let permanent = matches!(
                    &e,
                    GraphError::Status { status, .. }
                        if (400..500).contains(status) && ![401, 403, 408, 429].contains(status)
                );
                if permanent {
                    Err(SendError::Permanent(e.to_string()))
                } else {
                    Err(SendError::Transient(e.to_string()))
                }
            }
        }
    }
}

impl MailTransport for GraphTransport {
    fn send<'a>(&'a self, msg: &'a OutgoingMail) -> SendFuture<'a> {
        Box::pin(self.send_mail(msg))
    }
}
