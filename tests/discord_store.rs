//! The bot's storage contract, on the in-memory store and on the service database
//! (`SqlChatStore` over SQLite, and PostgreSQL when `TEST_DATABASE_URL` is set).

mod service_common;

use fpt_assist::chat::store::{recent_problems, AUDIT_FEEDBACK, AUDIT_LEAD_POST, AUDIT_PROBLEM};
use fpt_assist::chat::{AnswerBy, ChatEnquiry, ChatStore, MemoryChatStore, SqlChatStore};
use fpt_assist::store::{self, Store};
use fpt_assist::DecisionKind;

fn enquiry(id: u64, decision: DecisionKind) -> ChatEnquiry {
    ChatEnquiry {
        external_id: id.to_string(),
        channel_id: 1100000000000000010,
        guild_id: Some(1100000000000000001),
        reply_to: Some(id),
        author_id: 1100000000000000501,
        author_name: "Dr Jones".into(),
        text: "Is there funding for a masters degree at Derriford?".into(),
        decision,
        confidence: 0.12,
        faq: vec![],
        region: Some("south-west".into()),
        reason: "no confident answer".into(),
    }
}

/// What every `ChatStore` must do.
async fn contract(s: &dyn ChatStore) {
    let routed = enquiry(1239867315000000001, DecisionKind::Route);
    assert!(s.record_enquiry(&routed).await.unwrap().is_some());
    assert!(
        s.record_enquiry(&routed).await.unwrap().is_none(),
        "duplicate"
    );
    let back = s.enquiry(&routed.external_id).await.unwrap().unwrap();
    assert_eq!(back.channel_id, routed.channel_id);
    assert_eq!(back.reply_to, routed.reply_to);
    assert_eq!(back.author_id, routed.author_id);
    assert_eq!(back.region.as_deref(), Some("south-west"));
    assert_eq!(back.decision, DecisionKind::Route);
    assert!(s.enquiry("404").await.unwrap().is_none());

    assert!(!s.is_routed(&routed.external_id).await.unwrap());
    s.link_lead_post(1239867500000000000, &routed.external_id)
        .await
        .unwrap();
    assert!(s.is_routed(&routed.external_id).await.unwrap());
    let found = s.enquiry_for_lead_post(1239867500000000000).await.unwrap();
    assert_eq!(
        found.map(|e| e.external_id),
        Some(routed.external_id.clone())
    );
    assert!(s.enquiry_for_lead_post(77).await.unwrap().is_none());

    let lead = AnswerBy::Lead {
        user_id: 1100000000000000601,
        name: "Casey".into(),
    };
    s.record_answer(&routed.external_id, &lead, "Yes, up to £500.")
        .await
        .unwrap();
    s.record_feedback(&routed.external_id, false, 1100000000000000501)
        .await
        .unwrap();

    let newer = enquiry(1239867315000000009, DecisionKind::Answer);
    s.record_enquiry(&newer).await.unwrap();
    assert_eq!(
        s.latest_message_id(1100000000000000010).await.unwrap(),
        Some(1239867315000000009)
    );
    assert_eq!(s.latest_message_id(5).await.unwrap(), None);

    // A lead's reply is relayed once, and remembered for its later edits.
    let key = "lead:1239867600000000001";
    assert!(s.claim(key, Some(&routed.external_id)).await.unwrap());
    assert!(
        !s.claim(key, Some(&routed.external_id)).await.unwrap(),
        "replayed"
    );
    assert_eq!(
        s.claimed(key).await.unwrap(),
        Some(routed.external_id.clone())
    );
    assert_eq!(s.claimed("lead:5").await.unwrap(), None);
    // the leads channel is caught up after the newest post or relayed reply
    assert_eq!(
        s.latest_leads_activity().await.unwrap(),
        Some(1239867600000000001)
    );
}

/// Problems are kept until the bot connects again.
async fn problems_since_connecting(s: &dyn ChatStore) {
    s.record_problem(None, "old: token refused").await.unwrap();
    s.record_connected().await.unwrap();
    s.record_problem(Some("1239867315000000001"), "could not post: code 50013")
        .await
        .unwrap();
}

#[tokio::test]
async fn the_memory_store_keeps_the_contract() {
    let s = MemoryChatStore::new();
    contract(&s).await;
    assert_eq!(s.answers().len(), 1);
    assert_eq!(s.feedback().len(), 1);
    problems_since_connecting(&s).await;
    assert_eq!(s.problems(), vec!["could not post: code 50013".to_string()]);
}

#[tokio::test]
async fn the_database_store_keeps_the_contract_and_shows_in_the_service_tables() {
    for db in service_common::databases().await {
        let st = Store::open(&db.url).await.unwrap();
        let s = SqlChatStore::new(st.clone());
        contract(&s).await;
        problems_since_connecting(&s).await;
        assert_eq!(
            recent_problems(&st, 5).await.unwrap(),
            vec!["could not post: code 50013".to_string()],
            "{}",
            db.name
        );

        let mut conn = st.conn().await.unwrap();
        let id = store::find_by_external_id(&mut conn, "chat", "1239867315000000001")
            .await
            .unwrap()
            .unwrap();
        let row = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        // answered, then a send for it failed (problems_since_connecting): an admin looks
        assert_eq!(row.status, "needs_attention", "{}", db.name);
        assert_eq!(row.sender, "discord:1100000000000000501");
        // the lead's answer is the latest draft, ready to become an FAQ entry
        let draft = store::latest_draft(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(draft.text, "Yes, up to £500.");
        assert!(draft.sent_at.is_some());
        let audit = store::list_audit(&mut conn, Some(id)).await.unwrap();
        assert!(audit.iter().any(|a| a.action == AUDIT_LEAD_POST));
        assert!(audit
            .iter()
            .any(|a| a.action == AUDIT_FEEDBACK && a.detail == "still_need_help"));
        // a failed send shows in the enquiry's audit trail (`show`, the web app)
        assert!(audit
            .iter()
            .any(|a| a.action == AUDIT_PROBLEM && a.detail.contains("50013")));
        drop(conn);
        st.close().await;
        db.finish().await;
    }
}

/// The status state machine holds for Discord too: once an enquiry is sent or closed, a
/// lead's later answer is neither relayed (`may_answer`) nor recorded.
#[tokio::test]
async fn a_sent_or_closed_chat_enquiry_takes_no_more_lead_answers() {
    for db in service_common::databases().await {
        let st = Store::open(&db.url).await.unwrap();
        let s = SqlChatStore::new(st.clone());
        let routed = enquiry(1239867315000000101, DecisionKind::Route);
        s.record_enquiry(&routed).await.unwrap();
        assert!(s.may_answer(&routed.external_id).await.unwrap());
        let lead = AnswerBy::Lead {
            user_id: 1100000000000000601,
            name: "Casey".into(),
        };
        s.record_answer(&routed.external_id, &lead, "First answer.")
            .await
            .unwrap();
        assert!(
            !s.may_answer(&routed.external_id).await.unwrap(),
            "{}: sent",
            db.name
        );
        assert!(s
            .record_answer(&routed.external_id, &lead, "A late second answer.")
            .await
            .is_err());
        let mut conn = st.conn().await.unwrap();
        let id = store::find_by_external_id(&mut conn, "chat", &routed.external_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(store::drafts(&mut conn, id).await.unwrap().len(), 1);
        drop(conn);
        st.close().await;
        db.finish().await;
    }
}
