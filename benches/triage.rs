//! Triage cost per enquiry on the shipped knowledge base and on generated bases of growing size
//! (1,000, 10,000 and 50,000 entries), and the start-up cost (building the matcher) at each size.
//!
//! `cargo bench --bench triage` prints, before criterion's figures, one line per size with the
//! build time, the memory the built triage holds and the base's JSON size. With
//! `FPT_BENCH_EXPORT=DIR` it also writes each generated base (`kb-N.json`) and the queries
//! (`queries.json`) for `benches/tantivy_compare.py`, which measures tantivy's query rate on
//! the same bases (see the README's "Benchmarks").

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use fpt_assist::draft::Drafter;
use fpt_assist::kb::{Entry, EntryKind, KnowledgeBase};
use fpt_assist::{Enquiry, Triage};

const QUERIES: &[&str] = &[
    "Dear team, what proportion of the week is set aside for FPT?\nThanks, Dr D. Moore",
    "how many capabilites per pathway",
    "my fpt day at the QE in Birmingham keeps getting cancelled, what can i do",
    "Hi, can I remain on my pathway for the whole of my higher specialty training?\nBest, Ife",
    "is fpt in london yet?",
    "Dear FPT team, is there funding available for a master's in clinical education through FPT?",
];

/// A deterministic pseudo-random knowledge base: words drawn from a vocabulary that grows with
/// the base, like a real organisation's FAQ.
fn generated(entries: usize) -> KnowledgeBase {
    let seed_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("faq/entries/capabilities.md"),
    )
    .unwrap_or_default();
    let mut vocab: Vec<String> = fpt_assist::text::tokenize(&seed_text);
    let syllables = [
        "ka", "lo", "mi", "ren", "tor", "va", "sul", "pe", "dra", "nix", "qua", "bel",
    ];
    let mut state: u64 = 0x9e3779b97f4a7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..entries * 2 {
        let n = 2 + next() % 3;
        vocab.push(
            (0..n)
                .map(|_| syllables[(next() % syllables.len() as u64) as usize])
                .collect(),
        );
    }
    let mut sentence = |len: usize| -> String {
        (0..len)
            .map(|_| vocab[(next() % vocab.len() as u64) as usize].clone())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let entries = (0..entries)
        .map(|i| Entry {
            id: format!("entry-{i}"),
            title: sentence(5),
            questions: (0..6).map(|_| sentence(9) + "?").collect(),
            answer: sentence(45),
            read_more: None,
            kind: EntryKind::Faq,
            source: None,
        })
        .collect();
    KnowledgeBase {
        entries,
        ..Default::default()
    }
}

fn vm_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

fn bench(c: &mut Criterion) {
    let export = std::env::var_os("FPT_BENCH_EXPORT").map(std::path::PathBuf::from);
    if let Some(dir) = &export {
        std::fs::create_dir_all(dir).expect("export folder");
        std::fs::write(
            dir.join("queries.json"),
            serde_json::to_string(QUERIES).expect("queries"),
        )
        .expect("write queries.json");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shipped = Triage::load(&root.join("faq"), &root.join("templates"))
        .expect("the shipped knowledge base loads");
    let enquiries: Vec<Enquiry> = QUERIES
        .iter()
        .map(|q| Enquiry::email("someone@example.org", "FPT question", q))
        .collect();
    let mut group = c.benchmark_group("triage per enquiry");
    group.bench_function("shipped faq/", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % enquiries.len();
            let e = &enquiries[i];
            let d = shipped.triage(e);
            shipped.draft(e, &d).ok()
        })
    });
    let mut built = Vec::new();
    for size in SIZES {
        let kb = generated(size);
        let json = serde_json::to_string(&kb.to_json()).expect("base as JSON");
        if let Some(dir) = &export {
            std::fs::write(dir.join(format!("kb-{size}.json")), &json).expect("write base");
        }
        let rss = vm_rss_kb();
        let start = std::time::Instant::now();
        let triage = Triage::new(kb, Drafter::builtin());
        let secs = start.elapsed().as_secs_f64();
        let held = vm_rss_kb().saturating_sub(rss);
        println!(
            "start-up {size:>6} entries: build {:>7.0} ms, memory held {:>7.1} MB, JSON {:>6.1} MB ({:.2}x)",
            secs * 1e3,
            held as f64 / 1024.0,
            json.len() as f64 / 1e6,
            held as f64 * 1024.0 / json.len() as f64
        );
        built.push((size, triage));
    }
    for (size, triage) in built {
        group.bench_with_input(BenchmarkId::new("generated", size), &triage, |b, triage| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % enquiries.len();
                triage.triage(&enquiries[i])
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
