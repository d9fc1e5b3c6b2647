//! Mail intake as real mailboxes deliver it, through ingest on real databases (SQLite always,
//! PostgreSQL when TEST_DATABASE_URL is set): re-delivered copies without Message-ID, reused
//! Message-IDs, resent questions, Outlook recalls, web forms with Reply-To, forwards,
//! unreadable mail, and auto-replies. What is checked is what a person would notice: how many
//! enquiries, their status, and who gets mail.

mod service_common;

use fpt_assist::service::{Outcome, Service};
use fpt_assist::store::{self, OutboxRow, Status};
use service_common::*;

async fn stored(outcome: Outcome) -> (i64, i64, Status) {
    match outcome {
        Outcome::Stored {
            id,
            thread_id,
            status,
        } => (id, thread_id, status),
        other => panic!("expected a stored enquiry, got {other:?}"),
    }
}

async fn outbox(svc: &Service) -> Vec<OutboxRow> {
    let mut conn = svc.store.conn().await.unwrap();
    store::list_outbox(&mut conn, None).await.unwrap()
}

async fn enquiries(svc: &Service) -> Vec<store::EnquiryRow> {
    let mut conn = svc.store.conn().await.unwrap();
    store::list_enquiries(&mut conn, None).await.unwrap()
}

const DATE: &str = "Date: Thu, 11 Dec 2025 12:00:04 +0000\r\n";

#[tokio::test]
async fn a_copy_delivered_again_without_message_id_is_one_enquiry() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        let first = eml("a@example.org", "FPT", None, DATE, ANSWERABLE);
        let (id, _, _) = stored(ing.ingest_raw(&first).await.unwrap()).await;
        for transport in [
            "Received: from mx2.example.org by mx.example.org; Thu, 11 Dec 2025 12:00:09 +0000\r\n",
            "Delivered-To: fpt@example.org\r\nReturn-Path: <a@example.org>\r\n",
            "X-Forwarded-To: fpt@example.org\r\nReceived: by relay.example.org\r\n",
        ] {
            let mut again = transport.as_bytes().to_vec();
            again.extend_from_slice(&first);
            assert_eq!(
                ing.ingest_raw(&again).await.unwrap(),
                Outcome::Duplicate { id },
                "{}: {transport}",
                db.name
            );
        }
        // another message from the same sender on another day is not a copy
        let other = eml(
            "a@example.org",
            "FPT",
            None,
            "Date: Fri, 12 Dec 2025 09:00:00 +0000\r\n",
            "Which pathways are there?",
        );
        stored(ing.ingest_raw(&other).await.unwrap()).await;
        assert_eq!(enquiries(&svc).await.len(), 2, "{}", db.name);
        let mut conn = svc.store.conn().await.unwrap();
        assert_eq!(store::drafts(&mut conn, id).await.unwrap().len(), 1);
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_reused_message_id_never_drops_a_different_message() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        let id = Some("webform 11/12/2025 12:00@forms.example.net");
        let maria = eml("maria@example.net", "Website enquiry", id, DATE, ANSWERABLE);
        let ben = eml(
            "ben@example.net",
            "Website enquiry",
            id,
            DATE,
            "Is FPT available in London?",
        );
        let (first, _, _) = stored(ing.ingest_raw(&maria).await.unwrap()).await;
        let (second, _, status) = stored(ing.ingest_raw(&ben).await.unwrap()).await;
        assert_ne!(first, second);
        assert_eq!(status, Status::Waiting, "{}", db.name);
        // each one delivered again is still a duplicate of itself
        let mut again = b"Received: by mx2.example.org\r\n".to_vec();
        again.extend_from_slice(&ben);
        assert_eq!(
            ing.ingest_raw(&again).await.unwrap(),
            Outcome::Duplicate { id: second }
        );
        assert_eq!(
            ing.ingest_raw(&maria).await.unwrap(),
            Outcome::Duplicate { id: first }
        );
        let all = enquiries(&svc).await;
        assert_eq!(all.len(), 2, "{}", db.name);
        assert_eq!(all[1].sender, "ben@example.net");
        db.finish().await;
    }
}

#[tokio::test]
async fn the_same_question_resent_with_a_new_message_id_gets_one_reply() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        // answered: one draft
        let (first, thread, _) = stored(
            ing.ingest_raw(&eml(
                "a@example.org",
                "FPT",
                Some("r1@example.org"),
                "",
                ANSWERABLE,
            ))
            .await
            .unwrap(),
        )
        .await;
        let (again, again_thread, status) = stored(
            ing.ingest_raw(&eml(
                "A@Example.org",
                "FPT (resent)",
                Some("r2@example.org"),
                "",
                &format!("{ANSWERABLE}\r\n"),
            ))
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(again_thread, thread, "{}", db.name);
        assert_eq!(status, Status::Ignored, "{}", db.name);
        let mut conn = svc.store.conn().await.unwrap();
        assert_eq!(store::drafts(&mut conn, first).await.unwrap().len(), 1);
        assert!(store::drafts(&mut conn, again).await.unwrap().is_empty());
        let row = store::get_enquiry(&mut conn, again).await.unwrap().unwrap();
        assert!(
            row.reason.contains(&format!("enquiry {first}")),
            "{}",
            row.reason
        );
        drop(conn);

        // routed: one acknowledgement, one notification to the lead
        stored(
            ing.ingest_raw(&eml(
                "b@example.org",
                "visa",
                Some("v1@example.org"),
                "",
                ROUTED,
            ))
            .await
            .unwrap(),
        )
        .await;
        stored(
            ing.ingest_raw(&eml(
                "b@example.org",
                "visa",
                Some("v2@example.org"),
                "",
                ROUTED,
            ))
            .await
            .unwrap(),
        )
        .await;
        let out = outbox(&svc).await;
        assert_eq!(
            out.iter().filter(|o| o.kind == "ack").count(),
            1,
            "{}: {out:?}",
            db.name
        );
        assert_eq!(
            out.iter().filter(|o| o.kind == "lead_notification").count(),
            1,
            "{}",
            db.name
        );
        // asked again after the answer went out: a new enquiry, not joined
        fpt_assist::service::actions::approve(
            &svc.store,
            &svc.config,
            first,
            "alice",
            &Default::default(),
        )
        .await
        .unwrap();
        svc.worker().run_once().await.unwrap();
        let (_, _, status) = stored(
            ing.ingest_raw(&eml(
                "a@example.org",
                "FPT",
                Some("r4@example.org"),
                "",
                ANSWERABLE,
            ))
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(status, Status::Waiting, "{}", db.name);
        // a different question from the same person is a new enquiry
        let (_, _, status) = stored(
            ing.ingest_raw(&eml(
                "a@example.org",
                "pathways",
                Some("r3@example.org"),
                "",
                "Which pathways are there?",
            ))
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(status, Status::Waiting);
        db.finish().await;
    }
}

#[tokio::test]
async fn an_outlook_recall_is_not_answered_and_flags_the_recalled_enquiry() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        let (first, _, _) = stored(
            ing.ingest_raw(&eml(
                "Dr A <a@example.org>",
                "FPT question",
                Some("q1@example.org"),
                "",
                ANSWERABLE,
            ))
            .await
            .unwrap(),
        )
        .await;
        let recall = eml(
            "Dr A <a@example.org>",
            "Recall: FPT question",
            Some("recall1@example.org"),
            "",
            "Dr A would like to recall the message, \"FPT question\".",
        );
        let (_, _, status) = stored(ing.ingest_raw(&recall).await.unwrap()).await;
        assert_eq!(status, Status::Ignored, "{}", db.name);
        let mut conn = svc.store.conn().await.unwrap();
        let recalled = store::get_enquiry(&mut conn, first).await.unwrap().unwrap();
        assert_eq!(recalled.status, "needs_attention", "{}", db.name);
        let audit = store::list_audit(&mut conn, Some(first)).await.unwrap();
        assert!(audit.iter().any(|a| a.action == "recalled"), "{audit:?}");
        drop(conn);
        assert!(outbox(&svc).await.is_empty(), "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_web_form_reply_goes_to_reply_to_never_to_the_robot() {
    for db in databases().await {
        let svc = service(&db).await;
        let raw = eml(
            "Deanery website <no-reply@forms.example.net>",
            "Website enquiry",
            Some("form-1@forms.example.net"),
            "Reply-To: Dr Priya Shah <priya.shah@example.org>\r\n",
            ROUTED,
        );
        let (_, _, status) = stored(svc.ingestor().ingest_raw(&raw).await.unwrap()).await;
        assert_eq!(status, Status::Routed, "{}", db.name);
        let out = outbox(&svc).await;
        let ack: Vec<&OutboxRow> = out.iter().filter(|o| o.kind == "ack").collect();
        assert_eq!(ack.len(), 1, "{out:?}");
        assert_eq!(ack[0].to_addr, "priya.shah@example.org");
        assert!(ack[0].body_text.contains("Priya"), "{}", ack[0].body_text);
        assert!(!out.iter().any(|o| o.to_addr.contains("no-reply")));
        db.finish().await;
    }
}

#[tokio::test]
async fn a_forwarded_question_is_answered_to_its_original_sender() {
    for db in databases().await {
        let svc = service(&db).await;
        // attached as message/rfc822, routed: the applicant is acknowledged, the lead gets the
        // applicant's words
        let raw = format!(
            "From: Gemma Whitfield <gemma@nhs.example>\r\nSubject: Fwd: visa question\r\nMessage-ID: <fwd-1@nhs.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nCould you help Dr Osei?\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: Kwame Osei <kwame.osei@example.net>\r\nSubject: visa question\r\nMessage-ID: <orig-1@example.net>\r\n\r\n{ROUTED}\r\n--b--\r\n"
        );
        let (id, _, status) =
            stored(svc.ingestor().ingest_raw(raw.as_bytes()).await.unwrap()).await;
        assert_eq!(status, Status::Routed, "{}", db.name);
        let out = outbox(&svc).await;
        let ack: Vec<&OutboxRow> = out.iter().filter(|o| o.kind == "ack").collect();
        assert_eq!(ack.len(), 1, "{out:?}");
        assert_eq!(ack[0].to_addr, "kwame.osei@example.net");
        assert!(!out.iter().any(|o| o.to_addr == "gemma@nhs.example"));
        let note = out
            .iter()
            .find(|o| o.kind == "lead_notification")
            .expect("lead notified");
        assert!(
            note.body_text.contains("visa sponsorship"),
            "{}",
            note.body_text
        );
        assert!(
            note.body_text.contains("forwarded by"),
            "{}",
            note.body_text
        );
        let mut conn = svc.store.conn().await.unwrap();
        let row = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(row.sender, "kwame.osei@example.net");
        assert!(!row.cleaned_text.contains("help Dr Osei"));
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn unreadable_mail_is_kept_for_an_admin_and_never_answered() {
    for db in databases().await {
        let svc = service(&db).await;
        let pdf = "From: a@example.org\r\nSubject: Re: FPT\r\nMessage-ID: <pdf-1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: application/pdf; name=\"question.pdf\"\r\nContent-Disposition: attachment; filename=\"question.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n";
        let smime = "From: b@example.org\r\nSubject: FPT\r\nMessage-ID: <smime-1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggFAMIIBPAIBADA=\r\n";
        for (raw, why) in [(pdf, "question.pdf"), (smime, "S/MIME")] {
            let (id, _, status) =
                stored(svc.ingestor().ingest_raw(raw.as_bytes()).await.unwrap()).await;
            assert_eq!(status, Status::NeedsAttention, "{}: {why}", db.name);
            let mut conn = svc.store.conn().await.unwrap();
            let row = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
            let problem = row.parse_problem.unwrap_or_default();
            assert!(
                problem.starts_with("no readable text") && problem.contains(why),
                "{problem}"
            );
        }
        assert!(outbox(&svc).await.is_empty(), "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn auto_replies_without_rfc_3834_headers_get_nothing() {
    for db in databases().await {
        let svc = service(&db).await;
        for (i, subject) in [
            "Automatische Antwort: Re: FPT",
            "Respuesta automática: Re: FPT",
            "Automatisch antwoord: Re: FPT",
            "Read: Re: FPT",
            "Accepted: FPT catch-up",
        ]
        .iter()
        .enumerate()
        {
            let raw = eml(
                &format!("person{i}@example.net"),
                subject,
                Some(&format!("auto-{i}@example.net")),
                "In-Reply-To: <reply-1-1@fpt.example.org>\r\n",
                ROUTED,
            );
            let (_, _, status) = stored(svc.ingestor().ingest_raw(&raw).await.unwrap()).await;
            assert_eq!(status, Status::Ignored, "{}: {subject}", db.name);
        }
        let raw = eml(
            "robot@example.net",
            "Your enquiry",
            Some("xar@example.net"),
            "X-Autoresponder: yes\r\n",
            ROUTED,
        );
        let (_, _, status) = stored(svc.ingestor().ingest_raw(&raw).await.unwrap()).await;
        assert_eq!(status, Status::Ignored);
        assert!(outbox(&svc).await.is_empty(), "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn calendar_invitations_get_nothing() {
    for db in databases().await {
        let svc = service(&db).await;
        let invite = "From: Dr A <a@example.org>\r\nSubject: FPT catch-up\r\nMessage-ID: <inv-1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCan we meet to talk about my FPT pathway?\r\n--b\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:FPT catch-up\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n--b--\r\n";
        let (_, _, status) =
            stored(svc.ingestor().ingest_raw(invite.as_bytes()).await.unwrap()).await;
        assert_eq!(status, Status::Ignored, "{}", db.name);
        assert!(outbox(&svc).await.is_empty(), "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn at_most_one_automatic_message_to_an_address_per_window() {
    for db in databases().await {
        let svc = service(&db).await;
        // two different routed questions from one address: one acknowledgement
        for (i, question) in [
            ROUTED,
            "I work in Leeds. Does FPT count towards my visa salary threshold?",
        ]
        .iter()
        .enumerate()
        {
            let raw = eml(
                "c@example.org",
                &format!("visa {i}"),
                Some(&format!("w{i}@example.org")),
                "",
                question,
            );
            let (_, _, status) = stored(svc.ingestor().ingest_raw(&raw).await.unwrap()).await;
            assert_eq!(status, Status::Routed, "{}: {question}", db.name);
        }
        let acks: Vec<OutboxRow> = outbox(&svc)
            .await
            .into_iter()
            .filter(|o| o.kind == "ack")
            .collect();
        assert_eq!(acks.len(), 1, "{}: {acks:?}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn the_outbox_sends_one_acknowledgement_per_address_whatever_was_queued() {
    for db in databases().await {
        let svc = service(&db).await;
        // two acknowledgements to one address queued past ingest's own check (two instances
        // racing, or a bug): the worker sends one
        let mut conn = svc.store.conn().await.unwrap();
        for i in 0..2 {
            let key = format!("ack-test-{i}");
            store::enqueue(
                &mut conn,
                &store::NewOutbox {
                    message_id: format!("{key}@fpt.example.org"),
                    idempotency_key: key,
                    enquiry_id: None,
                    kind: store::OutboxKind::Ack,
                    to_addr: if i == 0 {
                        "loop@example.org"
                    } else {
                        "Loop@Example.org"
                    }
                    .into(),
                    subject: "Re: FPT".into(),
                    body_text: "We have passed your question on.".into(),
                    body_html: None,
                    in_reply_to: None,
                    references: Vec::new(),
                    auto_submitted: true,
                },
                store::now(),
            )
            .await
            .unwrap();
        }
        drop(conn);
        let report = svc.worker().run_once().await.unwrap();
        assert_eq!((report.sent, report.failed), (1, 1), "{}", db.name);
        let out = outbox(&svc).await;
        let suppressed = out.iter().find(|o| o.status == "failed").unwrap();
        assert!(
            suppressed
                .last_error
                .as_deref()
                .unwrap_or_default()
                .contains("already went to this address"),
            "{suppressed:?}"
        );
        assert_eq!(
            files_in(&svc.config.outbox_dir()).len(),
            1,
            "{}: one message written",
            db.name
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_forward_of_our_own_answer_is_the_forwarders_message() {
    for db in databases().await {
        let svc = service(&db).await;
        let ours = svc.config.mail.address.clone();
        let raw = format!(
            "From: Gemma Whitfield <gemma@nhs.example>\r\nSubject: FW: Re: FPT [FPT-1]\r\nMessage-ID: <fw-ours@nhs.example>\r\n\r\n{ROUTED}\r\n\r\n________________________________\r\nFrom: Flexible Portfolio Training <{ours}>\r\nSent: 09 December 2025 21:14\r\nTo: Gemma Whitfield <gemma@nhs.example>\r\nSubject: Re: FPT [FPT-1]\r\n\r\nFPT protects one day a week.\r\n"
        );
        let (id, _, status) =
            stored(svc.ingestor().ingest_raw(raw.as_bytes()).await.unwrap()).await;
        assert_eq!(status, Status::Routed, "{}", db.name);
        let mut conn = svc.store.conn().await.unwrap();
        let row = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
        assert_eq!(row.sender, "gemma@nhs.example");
        assert!(row.cleaned_text.contains("visa"), "{}", row.cleaned_text);
        drop(conn);
        let acks: Vec<OutboxRow> = outbox(&svc)
            .await
            .into_iter()
            .filter(|o| o.kind == "ack")
            .collect();
        assert_eq!(acks.len(), 1);
        assert_eq!(acks[0].to_addr, "gemma@nhs.example");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_request_that_starts_with_thanks_reaches_a_person() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        for (i, body) in [
            "Thanks - I'd still like to know about pay.",
            "Thanks, I'd like to withdraw from FPT",
            "Thank you, but I asked about pensions, not pathways.",
            "Thanks for nothing, I still don't know if it's paid",
        ]
        .iter()
        .enumerate()
        {
            let raw = eml(
                &format!("trainee{i}@example.org"),
                "Re: FPT [FPT-1]",
                Some(&format!("thanks-but-{i}@example.org")),
                DATE,
                body,
            );
            let (_, _, status) = stored(ing.ingest_raw(&raw).await.unwrap()).await;
            assert_ne!(status, Status::Ignored, "{}: {body}", db.name);
        }
        // pure thanks is still nothing to answer
        for (i, body) in ["thanks!", "Thanks so much, much appreciated!"]
            .iter()
            .enumerate()
        {
            let raw = eml(
                "trainee@example.org",
                "Re: FPT [FPT-1]",
                Some(&format!("only-thanks-{i}@example.org")),
                DATE,
                body,
            );
            let (_, _, status) = stored(ing.ingest_raw(&raw).await.unwrap()).await;
            assert_eq!(status, Status::Ignored, "{}: {body}", db.name);
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn mail_from_our_own_address_is_never_answered_or_routed() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        let ours = svc.config.mail.address.clone();
        for (i, body) in [ANSWERABLE, ROUTED].iter().enumerate() {
            let raw = eml(
                &ours,
                "FPT question",
                Some(&format!("own-{i}@example.org")),
                DATE,
                body,
            );
            let (id, _, status) = stored(ing.ingest_raw(&raw).await.unwrap()).await;
            assert_eq!(status, Status::Ignored, "{}: {body}", db.name);
            let mut conn = svc.store.conn().await.unwrap();
            let row = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
            assert!(row.reason.contains("loop guard"), "{}", row.reason);
            assert!(store::drafts(&mut conn, id).await.unwrap().is_empty());
        }
        // no draft to ourselves, no lead notified, no acknowledgement
        assert!(outbox(&svc).await.is_empty(), "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn bounces_and_acknowledgements_without_auto_headers_reach_no_lead() {
    for db in databases().await {
        let svc = service(&db).await;
        let ing = svc.ingestor();
        // the null reverse-path of RFC 5321: a bounce or an auto-response, whatever it says
        let null_path = eml(
            "someone@example.org",
            "Re: FPT",
            Some("null-path@example.org"),
            &format!("Return-Path: <>\r\n{DATE}"),
            ROUTED,
        );
        // a trust's acknowledgement of our mail, with no automatic header at all
        let ack = eml(
            "medical.education@trust.example.org",
            "RE: Your FPT question [FPT-1]",
            Some("trust-ack@example.org"),
            DATE,
            "Thank you for contacting the Medical Education Department.\r\n\r\nThis mailbox is not monitored at weekends. We aim to respond within 5 working days.\r\n\r\nMedical Education Team",
        );
        for (name, raw) in [("Return-Path: <>", null_path), ("acknowledgement", ack)] {
            let (id, _, status) = stored(ing.ingest_raw(&raw).await.unwrap()).await;
            assert_eq!(status, Status::Ignored, "{}: {name}", db.name);
            let mut conn = svc.store.conn().await.unwrap();
            let row = store::get_enquiry(&mut conn, id).await.unwrap().unwrap();
            assert!(!row.reason.is_empty(), "{name}");
        }
        assert!(outbox(&svc).await.is_empty(), "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn an_acknowledgement_replying_to_our_message_id_reaches_no_lead() {
    for db in databases().await {
        let svc = service(&db).await;
        let ours = format!("ack-1@{}", svc.config.mail.domain);
        let ack = eml(
            "medical.education@trust.example.org",
            "RE: Your FPT question",
            Some("trust-ack-2@example.org"),
            &format!("In-Reply-To: <{ours}>\r\nReferences: <{ours}>\r\n{DATE}"),
            "This is an automated response. Thank you for your email: we aim to respond within 5 working days.",
        );
        let (_, _, status) = stored(svc.ingestor().ingest_raw(&ack).await.unwrap()).await;
        assert_eq!(status, Status::Ignored, "{}", db.name);
        // a person's reply to the same message is a person's
        let person = eml(
            "trainee@example.org",
            "RE: Your FPT question",
            Some("person-2@example.org"),
            &format!("In-Reply-To: <{ours}>\r\n{DATE}"),
            ROUTED,
        );
        let (_, _, status) = stored(svc.ingestor().ingest_raw(&person).await.unwrap()).await;
        assert_ne!(status, Status::Ignored, "{}", db.name);
        assert!(
            outbox(&svc)
                .await
                .iter()
                .all(|o| o.to_addr != "medical.education@trust.example.org"),
            "{}",
            db.name
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_reply_to_naming_a_lead_does_not_make_the_lead_the_asker() {
    for db in databases().await {
        let svc = service(&db).await;
        let raw = eml(
            "eve@example.org",
            "FPT question",
            Some("reply-to-lead@example.org"),
            &format!("Reply-To: lead.london@example.org\r\n{DATE}"),
            ROUTED,
        );
        let (id, _, status) = stored(svc.ingestor().ingest_raw(&raw).await.unwrap()).await;
        assert_ne!(status, Status::Ignored, "{}", db.name);
        let row = {
            let mut conn = svc.store.conn().await.unwrap();
            store::get_enquiry(&mut conn, id).await.unwrap().unwrap()
        };
        assert_eq!(row.sender, "eve@example.org", "{}", db.name);
        // the acknowledgement goes to the asker, never to the lead
        let acks: Vec<String> = outbox(&svc)
            .await
            .into_iter()
            .filter(|o| o.kind == "ack")
            .map(|o| o.to_addr)
            .collect();
        assert_eq!(acks, ["eve@example.org"], "{}", db.name);
        db.finish().await;
    }
}
