//! The serve loop's IMAP source against a throwaway Dovecot (tests/support/dovecot.sh):
//! messages are ingested once, marked processed, and the last UID is remembered.

#[path = "support/servers.rs"]
mod servers;
mod service_common;

use fpt_assist::mail::imap::{ImapAuth, ImapConfig};
use fpt_assist::service::{ImapMailSource, MailSource};
use fpt_assist::store;
use service_common::*;

#[tokio::test]
async fn imap_messages_are_ingested_once_and_the_uid_remembered() {
    let Some((tmp, dovecot)) = servers::dovecot_or_skip("fpt-svc-imap-") else {
        return;
    };
    let port = dovecot.port;
    for (i, body) in [ANSWERABLE, ROUTED].iter().enumerate() {
        let path = tmp.path().join(format!("{i}.eml"));
        std::fs::write(
            &path,
            eml(
                "sam@example.org",
                "q",
                Some(&format!("imap{i}@example.org")),
                "",
                body,
            ),
        )
        .unwrap();
        dovecot.append(&path);
    }

    for db in databases().await {
        let svc = service(&db).await;
        let mut config = ImapConfig::new(
            "127.0.0.1",
            port,
            "fpt",
            ImapAuth::Password("secret".into()),
        );
        config.tls = false;
        let mut source = ImapMailSource::from_imap_config(config.clone());
        let handled = source.poll(&svc.ingestor()).await.unwrap();
        assert_eq!(handled, 2, "{}", db.name);
        // a fresh source (as after a restart) starts after the remembered UID
        let mut again = ImapMailSource::from_imap_config(config);
        assert_eq!(again.poll(&svc.ingestor()).await.unwrap(), 0, "{}", db.name);
        let mut conn = svc.store.conn().await.unwrap();
        assert_eq!(
            store::list_enquiries(&mut conn, None).await.unwrap().len(),
            2
        );
        let (_, last_uid) = store::mailbox_state(&mut conn, "INBOX")
            .await
            .unwrap()
            .unwrap();
        assert!(last_uid >= 2);
        drop(conn);
        db.finish().await;
    }
}
