//! Triage cost per enquiry on the shipped knowledge base and on generated bases of growing size
//! (1,000, 10,000 and 50,000 entries), the start-up cost at each size, and the matching cost
//! with the semantic side (stand-in vectors of all-MiniLM-L6-v2's 384 dimensions: the model's
//! own forward pass is measured by `benches/semantic.rs`).
//!
//! `cargo bench --bench triage` prints, before criterion's figures, one line per size with the
//! start-up cold (build the matcher and write its file beside the cache) and warm (load that
//! file), each in a fresh child process with the memory it holds afterwards, and the base's
//! JSON size; with `FPT_BENCH_FIT=1`, the time of the calibration fit with the semantic side
//! at 1,000 entries (minutes). With
//! `FPT_BENCH_EXPORT=DIR` it also writes each generated base (`kb-N.json`) and the queries
//! (`queries.json`) for `benches/tantivy_compare.py`, which measures tantivy's query rate on
//! the same bases (see the README's "Benchmarks").

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use fpt_assist::draft::Drafter;
use fpt_assist::kb::{Entry, EntryKind, KnowledgeBase};
use fpt_assist::matcher::calibrate::{Method, PRIOR};
use fpt_assist::matcher::{
    Calibration, Embed, EmbedError, Exclude, FitReport, Matcher, Parts, Semantic,
};
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
/// Sizes the semantic side is measured at: 50,000 entries of stand-in vectors would hold
/// about 600 MB.
const SEMANTIC_SIZES: [usize; 2] = [1_000, 10_000];
/// all-MiniLM-L6-v2's vector length.
const DIMS: usize = 384;

/// Set in a child process: `cold|warm SIZE DIR` (see [`startup_child`]).
const CHILD: &str = "FPT_BENCH_STARTUP_CHILD";

/// In a child process: generates the base, then builds the triage with its matcher file in
/// DIR (cold: the file is removed first; warm: it is loaded), and prints the time and the
/// memory held as `ms kb`.
fn startup_child(spec: &str) {
    let mut it = spec.split_whitespace();
    let (Some(mode), Some(size), Some(dir)) = (it.next(), it.next(), it.next()) else {
        panic!("bad {CHILD}: {spec}");
    };
    let size: usize = size.parse().expect("size");
    let dir = Path::new(dir);
    if mode == "cold" {
        let _ = std::fs::remove_dir_all(dir);
    }
    let kb = generated(size);
    let rss = vm_rss_kb();
    let cpu = cpu_ms();
    let start = std::time::Instant::now();
    let triage = Triage::with_semantic_cached(kb, Drafter::builtin(), None, dir);
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let cpu = cpu_ms() - cpu;
    let held = vm_rss_kb().saturating_sub(rss);
    println!("{ms:.1} {held} {cpu:.1}");
    drop(triage);
}

/// CPU time (user + system) of this process so far, in milliseconds
/// (`CLOCK_PROCESS_CPUTIME_ID`, nanoseconds): unlike the wall clock, not stretched by other
/// processes' load, and finer than /proc/self/stat's clock ticks of 10 ms.
fn cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to write into
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    if rc != 0 {
        return f64::NAN;
    }
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
}

/// Runs [`startup_child`] in a fresh process: (wall milliseconds, KiB held, CPU
/// milliseconds).
fn startup(mode: &str, size: usize, dir: &Path) -> (f64, u64, f64) {
    let out = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env(CHILD, format!("{mode} {size} {}", dir.display()))
        .output()
        .expect("start-up child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    let mut it = line.split_whitespace();
    let ms = it.next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN);
    let kb = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    let cpu = it.next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN);
    (ms, kb, cpu)
}

/// Stand-in vectors: deterministic pseudo-random unit vectors of [`DIMS`] floats.
#[derive(Debug)]
struct StandIn;

impl Embed for StandIn {
    fn model_id(&self) -> &str {
        "stand-in-384"
    }
    fn dims(&self) -> usize {
        DIMS
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut state = t.bytes().fold(0x9e37_79b9_7f4a_7c15u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                }) | 1;
                let mut v: Vec<f32> = (0..DIMS)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
                    })
                    .collect();
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
                v.iter_mut().for_each(|x| *x /= n);
                v
            })
            .collect())
    }
}

/// Set to `SIZE ROUNDS` (or `SIZE ROUNDS loaded`: the matcher loaded from its file, as the
/// criterion run uses it) for a run under callgrind instead of criterion (see [`profile`]).
const PROFILE: &str = "FPT_BENCH_PROFILE";

/// Triages the bench's enquiries `ROUNDS` times on a generated base of `SIZE` entries after
/// one warm-up round (the regular expressions compile on first use), and prints the time per
/// enquiry. For instruction counts that do not depend on the machine's load:
/// `FPT_BENCH_PROFILE="1000 10" valgrind --tool=callgrind --toggle-collect='*triage::measured*'
/// target/debug/deps/triage-…` counts only [`measured`].
fn profile(spec: &str) {
    let mut words = spec.split_whitespace();
    let mut it = words.by_ref().take(2).map(|x| x.parse::<usize>().ok());
    let (Some(Some(size)), Some(Some(rounds))) = (it.next(), it.next()) else {
        panic!("bad {PROFILE}: {spec} (expected `SIZE ROUNDS [loaded]`)");
    };
    // `loaded`: the matcher read back from its file, as `cargo bench` and the CLI use it
    let triage = if words.next() == Some("loaded") {
        let dir = tempfile::tempdir().expect("a temporary cache folder");
        drop(Triage::with_semantic_cached(
            generated(size),
            Drafter::builtin(),
            None,
            dir.path(),
        ));
        Triage::with_semantic_cached(generated(size), Drafter::builtin(), None, dir.path())
    } else {
        Triage::new(generated(size), Drafter::builtin())
    };
    let enquiries: Vec<Enquiry> = QUERIES
        .iter()
        .map(|q| Enquiry::email("someone@example.org", "FPT question", q))
        .collect();
    let warm: usize = enquiries
        .iter()
        .map(|e| triage.triage(e).questions.len())
        .sum();
    let start = std::time::Instant::now();
    let cpu = cpu_ms();
    let n = measured(&triage, &enquiries, rounds);
    let enquiries = (rounds * enquiries.len()).max(1) as f64;
    let per = start.elapsed().as_secs_f64() * 1e6 / enquiries;
    // (CPU time too: unlike the wall clock, not stretched by other processes' load)
    let cpu = (cpu_ms() - cpu) * 1e3 / enquiries;
    println!(
        "{size} entries: {} questions; {per:.1} µs per enquiry (CPU {cpu:.1} µs)",
        warm + n
    );
}

/// The triages [`profile`] times (callgrind: `--toggle-collect='*triage::measured*'`).
#[inline(never)]
fn measured(triage: &Triage, enquiries: &[Enquiry], rounds: usize) -> usize {
    let mut n = 0;
    for _ in 0..rounds {
        for e in enquiries {
            n += std::hint::black_box(triage.triage(e)).questions.len();
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    if let Ok(spec) = std::env::var(CHILD) {
        startup_child(&spec);
        std::process::exit(0);
    }
    if let Ok(spec) = std::env::var(PROFILE) {
        profile(&spec);
        std::process::exit(0);
    }
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
    let cache = tempfile::tempdir().expect("a temporary cache folder");
    let mut built = Vec::new();
    for size in SIZES {
        let kb = generated(size);
        let json = serde_json::to_string(&kb.to_json()).expect("base as JSON");
        if let Some(dir) = &export {
            std::fs::write(dir.join(format!("kb-{size}.json")), &json).expect("write base");
        }
        let dir = cache.path().join(size.to_string());
        let (cold_ms, cold_kb, cold_cpu) = startup("cold", size, &dir);
        let (warm_ms, warm_kb, warm_cpu) = startup("warm", size, &dir);
        let file = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok()?.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0u64);
        let mb = |kb: u64| kb as f64 / 1024.0;
        let ratio = |kb: u64| kb as f64 * 1024.0 / json.len() as f64;
        println!(
            "start-up {size:>6} entries: cold {cold_ms:>7.0} ms (CPU {cold_cpu:>6.0} ms, {:>6.1} MB held, {:.2}x JSON), \
             warm {warm_ms:>6.0} ms (CPU {warm_cpu:>5.0} ms, {:>6.1} MB held, {:.2}x JSON); JSON {:>5.1} MB, matcher file {:>5.1} MB",
            mb(cold_kb),
            ratio(cold_kb),
            mb(warm_kb),
            ratio(warm_kb),
            json.len() as f64 / 1e6,
            file as f64 / 1e6,
        );
        let triage = Triage::with_semantic_cached(kb, Drafter::builtin(), None, &dir);
        built.push((size, triage));
    }
    for (size, triage) in &built {
        group.bench_with_input(BenchmarkId::new("generated", size), triage, |b, triage| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % enquiries.len();
                triage.triage(&enquiries[i])
            })
        });
    }
    group.finish();
    drop(built);
    // The semantic side: the question's vector is given (the model's forward pass is
    // benches/semantic.rs); the calibration is the prior (fitting on 10,000 entries
    // with the semantic side asks every phrasing against the whole base).
    if std::env::var_os("FPT_BENCH_FIT").is_some() {
        // the calibration fit with the semantic side, once, at the smallest size: it asks
        // every phrasing against the base, so its cost grows with the square of the base
        // (minutes; only with FPT_BENCH_FIT=1)
        let kb = generated(SEMANTIC_SIZES[0]);
        let semantic = Semantic::embed_kb(Arc::new(StandIn), &kb).expect("stand-in vectors");
        let start = std::time::Instant::now();
        let m = Matcher::new(&kb, Some(semantic));
        println!(
            "calibration fit with the semantic side, {} entries: {:.1} s ({} questions)",
            kb.entries.len(),
            start.elapsed().as_secs_f64(),
            m.calibration.report.queries
        );
    }
    let mut group = c.benchmark_group("matching with the semantic side, one question part");
    let drop_words = HashSet::new();
    for size in SEMANTIC_SIZES {
        let kb = generated(size);
        let semantic = Semantic::embed_kb(Arc::new(StandIn), &kb).expect("stand-in vectors");
        let vectors: Vec<Vec<f32>> = QUERIES
            .iter()
            .map(|q| StandIn.embed(&[q]).expect("stand-in").remove(0))
            .collect();
        let matcher = Matcher::with_calibration(
            &kb,
            Some(semantic),
            Calibration {
                method: Method::Prior,
                weights: PRIOR,
                report: FitReport::default(),
                paraphrase_floor: None,
                pairs: false,
            },
        );
        group.bench_with_input(BenchmarkId::new("generated", size), &matcher, |b, m| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % QUERIES.len();
                let parts = Parts {
                    question: QUERIES[i],
                    context: &[],
                };
                m.search_with(parts, Some(&vectors[i]), &drop_words, Exclude::None)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
