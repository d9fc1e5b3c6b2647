//! The outbox claim on real databases: two workers with their own connection pools drain one
//! outbox concurrently and every message is sent exactly once (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL; SQLite serialises the claiming UPDATE).

mod service_common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fpt_assist::send::{MailTransport, OutgoingMail, SendFuture};
use fpt_assist::service::OutboxWorker;
use fpt_assist::store::{self, NewOutbox, OutboxKind, Store};
use service_common::*;

#[derive(Default)]
struct Counting(Mutex<HashMap<String, usize>>);

impl MailTransport for Counting {
    fn send<'a>(&'a self, msg: &'a OutgoingMail) -> SendFuture<'a> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(2)).await;
            *self
                .0
                .lock()
                .unwrap()
                .entry(msg.idempotency_key.clone())
                .or_default() += 1;
            Ok(())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_send_each_message_once() {
    for db in databases().await {
        let svc = service(&db).await;
        {
            let mut conn = svc.store.conn().await.unwrap();
            for i in 0..40 {
                let queued = store::enqueue(
                    &mut conn,
                    &NewOutbox {
                        idempotency_key: format!("lead-x{i}"),
                        enquiry_id: None,
                        kind: OutboxKind::LeadNotification,
                        to_addr: "lead@example.org".into(),
                        subject: format!("n{i}"),
                        body_text: "b".into(),
                        body_html: None,
                        in_reply_to: None,
                        references: vec![],
                        message_id: format!("lead-x{i}@fpt-assist.localhost"),
                        auto_submitted: true,
                    },
                    store::now(),
                )
                .await
                .unwrap();
                assert!(queued);
            }
        }
        let transport = Arc::new(Counting::default());
        let mut handles = Vec::new();
        for _ in 0..2 {
            let store = Store::open(&db.url).await.unwrap();
            let worker = OutboxWorker::new(store, svc.config.clone(), transport.clone());
            handles.push(tokio::spawn(
                async move { worker.run_once().await.unwrap() },
            ));
        }
        let mut sent = 0;
        for h in handles {
            sent += h.await.unwrap().sent;
        }
        assert_eq!(sent, 40, "{}", db.name);
        let counts = transport.0.lock().unwrap().clone();
        assert_eq!(counts.len(), 40);
        assert!(counts.values().all(|&n| n == 1), "{}: {counts:?}", db.name);
        let mut conn = svc.store.conn().await.unwrap();
        let rows = store::list_outbox(&mut conn, None).await.unwrap();
        assert!(rows.iter().all(|r| r.status == "sent" && r.attempts == 1));
        drop(conn);
        db.finish().await;
    }
}
