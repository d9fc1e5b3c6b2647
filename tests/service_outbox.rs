//! Outbox, approval and purge on real databases: approved replies become .eml files with the
//! threading headers, approving twice sends once, a crash between send and commit does not
//! send twice, transient failures are retried and then given up.

mod service_common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use fpt_assist::send::{FileTransport, MailTransport, OutgoingMail, SendError, SendFuture};
use fpt_assist::service::{actions, Outcome};
use fpt_assist::store;
use service_common::*;

async fn ingest(svc: &fpt_assist::service::Service, raw: &[u8]) -> i64 {
    match svc.ingestor().ingest_raw(raw).await.unwrap() {
        Outcome::Stored { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

/// An answerable question from Sam, a different one for each `id` (the same question resent
/// by the same person would join the first enquiry).
fn answerable(id: &str) -> Vec<u8> {
    let local = id.split('@').next().unwrap_or(id);
    eml(
        "Sam <sam@example.org>",
        "eligibility",
        Some(id),
        "References: <earlier@example.org>\r\n",
        &format!("{ANSWERABLE} Ref {local}"),
    )
}

#[tokio::test]
async fn approved_reply_is_written_with_threading_headers_once() {
    for db in databases().await {
        let svc = service(&db).await;
        let id = ingest(&svc, &answerable("q1@example.org")).await;
        let first = actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
            .await
            .unwrap();
        assert!(first.newly_queued);
        let second = actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
            .await
            .unwrap();
        assert!(!second.newly_queued, "{}", db.name);
        let report = svc.worker().run_once().await.unwrap();
        assert_eq!(report.sent, 1, "{}", db.name);
        // a third approval after sending is refused (sent allows nothing) and sends nothing
        assert!(
            actions::approve(&svc.store, &svc.config, id, "bob", &Default::default())
                .await
                .is_err()
        );
        assert_eq!(svc.worker().run_once().await.unwrap().sent, 0);

        let files = files_in(&svc.config.outbox_dir());
        assert_eq!(files.len(), 1, "{}: {files:?}", db.name);
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.contains("In-Reply-To: <q1@example.org>"), "{text}");
        assert!(text.contains("References: <earlier@example.org> <q1@example.org>"));
        assert!(text.contains(&format!("Subject: Re: eligibility [FPT-{id}]")));
        assert!(text.contains("Message-ID: <reply-"));
        assert!(text.contains("@fpt-assist.localhost>"));
        assert!(!text.contains("Auto-Submitted"), "a person approved it");
        assert!(text.contains("multipart/alternative"));

        let mut conn = svc.store.conn().await.unwrap();
        let e = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(e.status, "sent");
        let d = store::latest_draft(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(d.approved_by.as_deref(), Some("alice"));
        assert!(d.sent_at.is_some());
        let actions: Vec<String> = store::list_audit(&mut conn, Some(id))
            .await
            .unwrap()
            .into_iter()
            .map(|a| format!("{}:{}", a.actor, a.action))
            .collect();
        assert_eq!(
            actions,
            [
                "fpt-assist:ingest",
                "alice:approve",
                "alice:approve",
                "outbox:sent",
            ],
            "{}",
            db.name
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn crash_between_send_and_commit_does_not_send_twice() {
    for db in databases().await {
        let svc = service(&db).await;
        let id = ingest(&svc, &answerable("q2@example.org")).await;
        let approved = actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
            .await
            .unwrap();
        // the transport wrote the file, then the process died before the row was marked sent
        let transport = FileTransport::new(svc.config.outbox_dir());
        let mail = OutgoingMail {
            idempotency_key: approved.idempotency_key.clone(),
            from: "x@example.org".into(),
            from_name: None,
            to: "sam@example.org".into(),
            subject: "the copy sent before the crash".into(),
            text: "FIRST SEND".into(),
            html: None,
            message_id: "m@example.org".into(),
            in_reply_to: None,
            references: vec![],
            auto_submitted: false,
        };
        transport.send(&mail).await.unwrap();
        let mut conn = svc.store.conn().await.unwrap();
        let row = &store::list_outbox(&mut conn, Some(id)).await.unwrap()[0];
        assert_eq!(row.status, "pending");
        drop(conn);

        let report = svc.worker().run_once().await.unwrap();
        assert_eq!(report.sent, 1);
        let files = files_in(&svc.config.outbox_dir());
        assert_eq!(files.len(), 1, "{}", db.name);
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(
            text.contains("FIRST SEND"),
            "the file was rewritten: {text}"
        );
        let mut conn = svc.store.conn().await.unwrap();
        assert_eq!(
            store::list_outbox(&mut conn, Some(id)).await.unwrap()[0].status,
            "sent"
        );
        db.finish().await;
    }
}

/// Fails every send with the given error and counts the attempts.
struct Failing {
    permanent: bool,
    calls: AtomicUsize,
}

impl MailTransport for Failing {
    fn send<'a>(&'a self, _msg: &'a OutgoingMail) -> SendFuture<'a> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let permanent = self.permanent;
        Box::pin(async move {
            if permanent {
                Err(SendError::Permanent("550 no such user".into()))
            } else {
                Err(SendError::Transient("connection refused".into()))
            }
        })
    }
}

#[tokio::test]
async fn transient_failures_retry_with_backoff_then_fail() {
    for db in databases().await {
        // with a real backoff the row waits
        let failing = Arc::new(Failing {
            permanent: false,
            calls: AtomicUsize::new(0),
        });
        let svc = service_with(&db, |_| {}, Some(failing.clone())).await;
        let id = ingest(&svc, &answerable("q3@example.org")).await;
        actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
            .await
            .unwrap();
        let r = svc.worker().run_once().await.unwrap();
        assert_eq!((r.sent, r.retried, r.failed), (0, 1, 0));
        let mut conn = svc.store.conn().await.unwrap();
        let row = store::list_outbox(&mut conn, Some(id))
            .await
            .unwrap()
            .remove(0);
        assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
        assert!(row.next_attempt_at > store::now() + 10);
        assert_eq!(row.last_error.as_deref(), Some("connection refused"));
        drop(conn);
        // not due yet: nothing happens
        assert_eq!(svc.worker().run_once().await.unwrap(), Default::default());

        // with no backoff the worker keeps trying until max_attempts, then gives up
        let failing = Arc::new(Failing {
            permanent: false,
            calls: AtomicUsize::new(0),
        });
        let svc2 = fpt_assist::service::Service {
            transport: failing.clone(),
            config: Arc::new({
                let mut c = (*svc.config).clone();
                c.outbox.backoff_secs = 0;
                c.outbox.max_attempts = 3;
                c
            }),
            ..svc.clone()
        };
        let id2 = ingest(&svc2, &answerable("q4@example.org")).await;
        actions::approve(&svc2.store, &svc2.config, id2, "alice", &Default::default())
            .await
            .unwrap();
        let r = svc2.worker().run_once().await.unwrap();
        assert_eq!((r.retried, r.failed), (2, 1), "{}", db.name);
        assert_eq!(failing.calls.load(Ordering::SeqCst), 3);
        let mut conn = svc.store.conn().await.unwrap();
        let row = store::list_outbox(&mut conn, Some(id2))
            .await
            .unwrap()
            .remove(0);
        assert_eq!((row.status.as_str(), row.attempts), ("failed", 3));
        let e = store::get_enquiry(&mut conn, id2).await.unwrap().unwrap();
        assert_eq!(e.status, "needs_attention");
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn permanent_failure_is_not_retried() {
    for db in databases().await {
        let failing = Arc::new(Failing {
            permanent: true,
            calls: AtomicUsize::new(0),
        });
        let svc = service_with(&db, |_| {}, Some(failing.clone())).await;
        let id = ingest(&svc, &answerable("q5@example.org")).await;
        actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
            .await
            .unwrap();
        let r = svc.worker().run_once().await.unwrap();
        assert_eq!((r.sent, r.retried, r.failed), (0, 0, 1), "{}", db.name);
        assert_eq!(failing.calls.load(Ordering::SeqCst), 1);
        db.finish().await;
    }
}

#[tokio::test]
async fn reject_closes_and_approve_is_then_refused() {
    for db in databases().await {
        let svc = service(&db).await;
        let id = ingest(&svc, &answerable("q6@example.org")).await;
        actions::reject(&svc.store, id, "alice", "wrong entry")
            .await
            .unwrap();
        assert!(
            actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
                .await
                .is_err()
        );
        assert!(
            actions::approve(&svc.store, &svc.config, 9999, "alice", &Default::default())
                .await
                .is_err()
        );
        let mut conn = svc.store.conn().await.unwrap();
        let e = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(e.status, "closed");
        let audit = store::list_audit(&mut conn, Some(id)).await.unwrap();
        assert!(audit
            .iter()
            .any(|a| a.action == "reject" && a.detail == "wrong entry"));
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn purge_removes_personal_details_and_keeps_counts() {
    for db in databases().await {
        let svc = service(&db).await;
        let sent = ingest(&svc, &answerable("q7@example.org")).await;
        actions::approve(&svc.store, &svc.config, sent, "alice", &Default::default())
            .await
            .unwrap();
        svc.worker().run_once().await.unwrap();
        let waiting = ingest(&svc, &answerable("q8@example.org")).await;
        // older_than 0 days: everything finished so far
        let purged = actions::purge(&svc.store, 0, "alice").await.unwrap();
        assert_eq!(purged, vec![sent], "{}", db.name);
        let mut conn = svc.store.conn().await.unwrap();
        let e = store::get_enquiry(&mut conn, sent).await.unwrap().unwrap();
        assert!(e.raw.is_none() && e.sender.is_empty() && e.subject.is_none());
        assert!(e.cleaned_text.is_empty() && e.purged_at.is_some());
        assert_eq!((e.decision.as_str(), e.status.as_str()), ("answer", "sent"));
        assert!(store::latest_draft(&mut conn, sent)
            .await
            .unwrap()
            .unwrap()
            .text
            .is_empty());
        let o = store::list_outbox(&mut conn, Some(sent))
            .await
            .unwrap()
            .remove(0);
        assert!(o.to_addr.is_empty() && o.body_text.is_empty());
        // the waiting one is untouched; counts remain
        let w = store::get_enquiry(&mut conn, waiting)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(w.sender, "sam@example.org");
        let counts = store::counts_by_status(&mut conn).await.unwrap();
        assert_eq!(counts, vec![("sent".into(), 1), ("waiting".into(), 1)]);
        drop(conn);
        // a purged enquiry cannot be approved again
        assert!(
            actions::approve(&svc.store, &svc.config, sent, "alice", &Default::default())
                .await
                .is_err()
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn mailbox_state_round_trips() {
    for db in databases().await {
        let svc = service(&db).await;
        let mut conn = svc.store.conn().await.unwrap();
        assert_eq!(
            store::mailbox_state(&mut conn, "INBOX").await.unwrap(),
            None
        );
        store::set_mailbox_state(&mut conn, "INBOX", 7, 41, 1)
            .await
            .unwrap();
        store::set_mailbox_state(&mut conn, "INBOX", 7, 42, 2)
            .await
            .unwrap();
        assert_eq!(
            store::mailbox_state(&mut conn, "INBOX").await.unwrap(),
            Some((7, 42)),
            "{}",
            db.name
        );
        drop(conn);
        db.finish().await;
    }
}

/// Delivers every message (counting them) but cannot tell whether a key was already sent,
/// like an SMTP server.
struct Counting {
    calls: AtomicUsize,
}

impl MailTransport for Counting {
    fn send<'a>(&'a self, _msg: &'a OutgoingMail) -> SendFuture<'a> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn a_send_interrupted_by_a_crash_is_not_resent_blindly_over_smtp() {
    for db in databases().await {
        let counting = Arc::new(Counting {
            calls: AtomicUsize::new(0),
        });
        let svc = service_with(&db, |_| {}, Some(counting.clone())).await;
        let id = ingest(&svc, &answerable("q9@example.org")).await;
        actions::approve(&svc.store, &svc.config, id, "alice", &Default::default())
            .await
            .unwrap();
        // a worker claimed the row and died mid-send: its lease has run out
        let mut conn = svc.store.conn().await.unwrap();
        let claimed = store::claim_due(&mut conn, svc.store.dialect(), store::now(), -10, 10)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1);
        drop(conn);

        let report = svc.worker().run_once().await.unwrap();
        assert_eq!((report.sent, report.failed), (0, 1), "{}", db.name);
        assert_eq!(
            counting.calls.load(Ordering::SeqCst),
            0,
            "resent after a crash"
        );
        let mut conn = svc.store.conn().await.unwrap();
        let row = store::list_outbox(&mut conn, Some(id))
            .await
            .unwrap()
            .remove(0);
        assert_eq!(row.status, "failed");
        assert!(row.last_error.unwrap_or_default().contains("interrupted"));
        let e = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(e.status, "needs_attention", "an admin is asked to check");
        let audit: Vec<String> = store::list_audit(&mut conn, Some(id))
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert!(audit.contains(&"send_interrupted".to_string()), "{audit:?}");
        db.finish().await;
    }
}
