//! Ingest throughput and peak memory: a Maildir of generated messages (answerable, routed to
//! every region, follow-ups, auto-replies) read by the serve loop's `MaildirSource` into SQLite
//! and, when `TEST_DATABASE_URL` is set, a fresh PostgreSQL database.
//!
//! `cargo bench --bench ingest` (add `-- 1000 10000` for other sizes). Prints messages per second
//! and the peak resident memory of each run (VmHWM from /proc/self/status, reset before each run
//! through /proc/self/clear_refs), so runs of growing size show whether memory stays flat.
//! A plain harness, not criterion: one 10,000-message run already takes seconds.

#[path = "../tests/service_common/mod.rs"]
mod service_common;

use std::path::Path;
use std::time::Instant;

use fpt_assist::service::{MailSource, MaildirSource};

const REGION_PLACES: &[&str] = &[
    "Leeds",
    "Newcastle",
    "Manchester",
    "Nottingham",
    "Birmingham",
    "Cambridge",
    "Bristol",
    "Brighton",
    "Oxford",
    "London",
];

const QUESTIONS: &[&str] = &[
    "Can I apply for FPT if I am a GP trainee?",
    "What proportion of the week is set aside for FPT?",
    "How many capabilities per pathway do I need to cover?",
    "Is there funding available for a master's in clinical education through FPT?",
];

/// Message `i` of a deterministic mix: 40% answerable, 40% routed, 10% follow-ups, 10%
/// auto-replies.
fn message(i: usize) -> String {
    let from = format!("doctor{}@example.org", i % 997);
    let (extra, body) = match i % 10 {
        0..=3 => (String::new(), QUESTIONS[i % QUESTIONS.len()].to_string()),
        4..=7 => (
            String::new(),
            format!(
                "I am an IMG in {}. Will FPT affect my visa sponsorship with my trust? My rota \
                 changes in August and I would like to know who to talk to.",
                REGION_PLACES[i % REGION_PLACES.len()]
            ),
        ),
        8 if i >= 10 => (
            format!(
                "In-Reply-To: <bench-{}@example.org>\r\nReferences: <bench-{}@example.org>\r\n",
                i - 8,
                i - 8
            ),
            "Thank you. One more thing: does FPT time count towards my CCT date?".to_string(),
        ),
        _ => (
            "Auto-Submitted: auto-replied\r\n".to_string(),
            "I am out of the office until Monday.".to_string(),
        ),
    };
    format!(
        "From: Dr Example {i} <{from}>\r\nTo: flexibleportfoliotraining@hee.nhs.uk\r\n\
         Subject: FPT question {i}\r\nMessage-ID: <bench-{i}@example.org>\r\n\
         Date: Mon, 2 Mar 2026 09:00:00 +0000\r\n{extra}\r\nHello,\r\n\r\n{body}\r\n\r\n\
         Kind regards,\r\nDr Example\r\n"
    )
}

fn write_maildir(root: &Path, n: usize) {
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(root.join(sub)).expect("maildir");
    }
    for i in 0..n {
        std::fs::write(root.join(format!("new/{i:06}.bench")), message(i)).expect("write");
    }
}

/// Peak resident set size so far, in kB (Linux).
fn vm_hwm_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn vm_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0; ignored elsewhere).
fn reset_hwm() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn run(n: usize) {
    for db in service_common::databases().await {
        let svc = service_common::service(&db).await;
        let maildir = db.dir.path().join("Maildir");
        write_maildir(&maildir, n);
        let mut source = MaildirSource::new(&maildir).expect("maildir");
        let ingestor = svc.ingestor();
        reset_hwm();
        let rss_before = vm_rss_kb().unwrap_or(0);
        let start = Instant::now();
        let handled = source.poll(&ingestor).await.expect("ingest");
        let secs = start.elapsed().as_secs_f64();
        let peak = vm_hwm_kb().unwrap_or(0);
        assert_eq!(handled, n, "every message handled");
        println!(
            "ingest {:>6} messages into {:<8}: {:>7.2} s, {:>7.0} messages/s, RSS before {:>6} kB, peak {:>6} kB (+{} kB)",
            n,
            db.name,
            secs,
            n as f64 / secs,
            rss_before,
            peak,
            peak.saturating_sub(rss_before)
        );
        svc.store.close().await;
        db.finish().await;
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        // warm the knowledge base and the templates before timing anything
        let _ = service_common::triage();
        for n in sizes {
            run(n).await;
        }
    });
}
