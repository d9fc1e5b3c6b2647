//! Ingest throughput and peak memory: a Maildir read by the serve loop's `MaildirSource` into
//! SQLite and, when `TEST_DATABASE_URL` is set, a fresh PostgreSQL database, with group commit
//! (up to `BATCH_MAX` messages per transaction, each moved to `cur/` after its commit) and, for
//! comparison, one transaction per message.
//!
//! `cargo bench --bench ingest` (add `-- 1000 10000` for other sizes) ingests generated
//! messages (answerable, routed to every region, follow-ups, auto-replies). Prints messages per
//! second and the peak resident memory of each run (VmHWM from /proc/self/status, reset before
//! each run through /proc/self/clear_refs), so runs of growing size show whether memory stays
//! flat. A plain harness, not criterion: one 10,000-message run already takes seconds.
//!
//! `cargo bench --bench ingest -- --corpus DIR` ingests instead a copy of the realistic corpus
//! `benches/mail_corpus.py DIR` writes (2-3 KB, mixed plain/HTML/base64), and first times bare
//! mail-parser parsing of the same files, so the rates can be compared in one run. With
//! `--model DIR` (or `FPT_MODEL`) it also ingests the first `MODEL_MESSAGES` of the corpus into
//! SQLite with the embedding model, and first times parsing + triage with the model on one
//! thread with every text unseen (the remembered question vectors forgotten before each mail:
//! the corpus repeats its sentences, which a real mailbox does far less), printing the texts and
//! tokens embedded per mail. `--model-only` skips the runs without the model.

#[path = "../tests/service_common/mod.rs"]
mod service_common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fpt_assist::service::{Ingestor, MailSource, MaildirSource};

/// How many corpus messages the run with the model ingests.
const MODEL_MESSAGES: usize = 300;

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

/// Bare mail-parser parsing of every file of `corpus/new`, as messages per second.
fn parse_rate(corpus: &Path) -> (usize, f64) {
    let files: Vec<Vec<u8>> = std::fs::read_dir(corpus.join("new"))
        .expect("corpus folder (run benches/mail_corpus.py)")
        .map(|f| std::fs::read(f.expect("corpus entry").path()).expect("corpus file"))
        .collect();
    let parser = mail_parser::MessageParser::default();
    let start = Instant::now();
    let mut parts = 0;
    for raw in &files {
        parts += parser.parse(raw).map_or(0, |m| m.parts.len());
    }
    let secs = start.elapsed().as_secs_f64();
    assert!(parts >= files.len(), "every corpus file parses");
    (files.len(), files.len() as f64 / secs)
}

/// Parsing and lexical triage alone (no store) of every file of `corpus/new`, on one thread,
/// as messages per second: the CPU floor of ingest on one core.
fn prepare_rate(corpus: &Path) -> f64 {
    let files: Vec<Vec<u8>> = std::fs::read_dir(corpus.join("new"))
        .expect("corpus folder")
        .map(|f| std::fs::read(f.expect("corpus entry").path()).expect("corpus file"))
        .collect();
    let triage = service_common::triage();
    let start = Instant::now();
    for raw in &files {
        let enquiry = fpt_assist::mail::parse_message(raw);
        let bounded = fpt_assist::service::ingest::bounded_for_triage(&enquiry);
        std::hint::black_box(triage.triage(&bounded));
    }
    files.len() as f64 / start.elapsed().as_secs_f64()
}

/// CPU time of the whole process so far (user + system), in seconds.
fn cpu_secs() -> f64 {
    // SAFETY: getrusage only writes the struct it is given
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a rusage struct
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Parsing and lexical triage of every file of `corpus/new` on `threads` threads, either on
/// tokio's blocking pool `threads` at a time (as the pipeline does) or on `threads` dedicated
/// threads: wall-clock messages per second and CPU milliseconds per message.
async fn parallel_prepare_rate(corpus: &Path, threads: usize, blocking_pool: bool) -> (f64, f64) {
    use futures_util::StreamExt;
    let files: Arc<Vec<Vec<u8>>> = Arc::new(
        std::fs::read_dir(corpus.join("new"))
            .expect("corpus folder")
            .map(|f| std::fs::read(f.expect("corpus entry").path()).expect("corpus file"))
            .collect(),
    );
    let triage = service_common::triage();
    let prepare = |triage: &fpt_assist::Triage, raw: &[u8]| {
        let enquiry = fpt_assist::mail::parse_message(raw);
        let bounded = fpt_assist::service::ingest::bounded_for_triage(&enquiry);
        std::hint::black_box(triage.triage(&bounded));
    };
    let (start, cpu) = (Instant::now(), cpu_secs());
    if blocking_pool {
        let mut done = futures_util::stream::iter(0..files.len())
            .map(|i| {
                let (files, triage) = (files.clone(), triage.clone());
                tokio::task::spawn_blocking(move || prepare(&triage, &files[i]))
            })
            .buffered(threads);
        while done.next().await.is_some() {}
    } else {
        std::thread::scope(|s| {
            for t in 0..threads {
                let (files, triage) = (&files, &triage);
                s.spawn(move || {
                    for raw in files.iter().skip(t).step_by(threads) {
                        prepare(triage, raw);
                    }
                });
            }
        });
    }
    let n = files.len() as f64;
    (
        n / start.elapsed().as_secs_f64(),
        (cpu_secs() - cpu) * 1e3 / n,
    )
}

/// The first `limit` files of `corpus/new`, in name order.
fn corpus_files(corpus: &Path, limit: usize) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("new"))
        .expect("corpus folder")
        .map(|f| f.expect("corpus entry").path())
        .collect();
    files.sort();
    files.truncate(limit);
    files
}

fn copy_corpus(corpus: &Path, root: &Path, limit: usize) -> usize {
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(root.join(sub)).expect("maildir");
    }
    let files = corpus_files(corpus, limit);
    for path in &files {
        let name = path.file_name().expect("file name");
        std::fs::copy(path, root.join("new").join(name)).expect("copy corpus file");
    }
    files.len()
}

/// How a run stores messages.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// The service's default: group commit.
    Grouped,
    /// One transaction per message (as before group commit).
    PerMessage,
}

/// The messages one run ingests.
#[derive(Clone, Copy)]
enum Input<'a> {
    Generated(usize),
    Corpus(&'a Path, usize),
}

/// Ingests one Maildir per database; returns the SQLite rate (messages per second).
async fn run(input: Input<'_>, mode: Mode, model: Option<&Arc<fpt_assist::Triage>>) -> f64 {
    let mut sqlite_rate = 0.0;
    let dbs = service_common::databases().await;
    for db in dbs {
        if model.is_some() && db.name != "sqlite" {
            db.finish().await;
            continue;
        }
        let mut svc = service_common::service(&db).await;
        if let Some(triage) = model {
            svc.triage = triage.clone().into();
        }
        let maildir = db.dir.path().join("Maildir");
        let n = match input {
            Input::Corpus(c, limit) => copy_corpus(c, &maildir, limit),
            Input::Generated(n) => {
                write_maildir(&maildir, n);
                n
            }
        };
        let mut source = MaildirSource::new(&maildir).expect("maildir");
        let ingestor: Ingestor = match mode {
            Mode::Grouped => svc.ingestor(),
            Mode::PerMessage => svc.ingestor().with_batch(1, Duration::ZERO),
        };
        reset_hwm();
        let rss_before = vm_rss_kb().unwrap_or(0);
        let (start, cpu) = (Instant::now(), cpu_secs());
        let handled = source.poll(&ingestor).await.expect("ingest");
        let secs = start.elapsed().as_secs_f64();
        let cpu_ms = (cpu_secs() - cpu) * 1e3 / n.max(1) as f64;
        let peak = vm_hwm_kb().unwrap_or(0);
        assert_eq!(handled, n, "every message handled");
        let rate = n as f64 / secs;
        if db.name == "sqlite" {
            sqlite_rate = rate;
        }
        println!(
            "ingest {:>6} messages into {:<8} {:<22}: {:>7.2} s, {:>7.0} messages/s, {:.3} ms CPU per message, RSS before {:>6} kB, peak {:>6} kB (+{} kB)",
            n,
            db.name,
            match (mode, model.is_some()) {
                (Mode::Grouped, false) => "grouped",
                (Mode::Grouped, true) => "grouped, with the model",
                (Mode::PerMessage, _) => "one tx per message",
            },
            secs,
            rate,
            cpu_ms,
            rss_before,
            peak,
            peak.saturating_sub(rss_before)
        );
        svc.store.close().await;
        db.finish().await;
    }
    sqlite_rate
}

/// The embedding model, counting what it is asked to embed.
#[derive(Debug)]
struct Counting {
    model: Arc<fpt_assist::model::Embedder>,
    texts: AtomicUsize,
    tokens: AtomicUsize,
}

impl fpt_assist::matcher::Embed for Counting {
    fn model_id(&self) -> &str {
        self.model.model_id()
    }
    fn dims(&self) -> usize {
        self.model.dims()
    }
    fn knows_word(&self, word: &str) -> bool {
        self.model.knows_word(word)
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, fpt_assist::matcher::EmbedError> {
        self.texts.fetch_add(texts.len(), Ordering::Relaxed);
        let tokens: usize = texts.iter().map(|t| self.model.token_count(t)).sum();
        self.tokens.fetch_add(tokens, Ordering::Relaxed);
        self.model.embed(texts)
    }
}

/// Parsing and triage with the model of the first `MODEL_MESSAGES` files of `corpus/new`, on
/// one thread, each mail's texts unseen: messages per second, and texts and tokens embedded
/// per mail.
fn model_prepare_rate(corpus: &Path, model: &ModelTriage) -> (f64, f64, f64) {
    let files: Vec<Vec<u8>> = corpus_files(corpus, MODEL_MESSAGES)
        .iter()
        .map(|p| std::fs::read(p).expect("corpus file"))
        .collect();
    let (texts, tokens) = (
        model.counting.texts.load(Ordering::Relaxed),
        model.counting.tokens.load(Ordering::Relaxed),
    );
    let start = Instant::now();
    for raw in &files {
        model.semantic.forget_recent();
        let enquiry = fpt_assist::mail::parse_message(raw);
        let bounded = fpt_assist::service::ingest::bounded_for_triage(&enquiry);
        std::hint::black_box(model.triage.triage(&bounded));
    }
    let rate = files.len() as f64 / start.elapsed().as_secs_f64();
    let n = files.len() as f64;
    (
        rate,
        (model.counting.texts.load(Ordering::Relaxed) - texts) as f64 / n,
        (model.counting.tokens.load(Ordering::Relaxed) - tokens) as f64 / n,
    )
}

/// The triage with the embedding model, the semantic side it shares its remembered question
/// vectors with, and the model's counts.
struct ModelTriage {
    triage: Arc<fpt_assist::Triage>,
    semantic: fpt_assist::matcher::Semantic,
    counting: Arc<Counting>,
}

/// The triage with the embedding model in `dir`, when it holds one.
fn model_triage(dir: &Path, cache: &Path) -> Option<ModelTriage> {
    use fpt_assist::draft::Drafter;
    use fpt_assist::kb::KnowledgeBase;
    use fpt_assist::matcher::{kb_texts, Embed, Semantic};
    use fpt_assist::model::{Embedder, EmbeddingCache};
    if !dir.join("model.safetensors").exists() {
        println!("with the model: skipped, no model in {}", dir.display());
        return None;
    }
    let root = service_common::repo();
    let model = Arc::new(Embedder::load(dir).expect("the model loads"));
    let kb = KnowledgeBase::load(&root.join("faq")).expect("faq/ loads");
    let texts = kb_texts(&kb);
    let refs: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
    let mut store = EmbeddingCache::open(cache, model.as_ref());
    let (vectors, _) = store.embed_all(model.as_ref(), &refs).expect("embeds");
    let counting = Arc::new(Counting {
        model,
        texts: AtomicUsize::new(0),
        tokens: AtomicUsize::new(0),
    });
    let m: Arc<dyn Embed> = counting.clone();
    let semantic = Semantic::new(m, &kb, vectors).expect("aligned");
    let drafter = Drafter::load(&root.join("templates")).expect("templates load");
    let triage = Arc::new(fpt_assist::Triage::with_semantic(
        kb,
        drafter,
        Some(semantic.clone()),
    ));
    Some(ModelTriage {
        triage,
        semantic,
        counting,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from)
    };
    let corpus = value("--corpus");
    let model = value("--model").or_else(|| std::env::var_os("FPT_MODEL").map(PathBuf::from));
    let model_only = args.iter().any(|a| a == "--model-only");
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
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
        if let Some(corpus) = &corpus {
            if args.iter().any(|a| a == "--prepare-only") {
                for round in 0..2 {
                    for (threads, pool) in [(1, false), (2, true), (2, false), (4, true)] {
                        let (rate, cpu) = parallel_prepare_rate(corpus, threads, pool).await;
                        println!(
                            "round {round}: parse + lexical triage on {threads} {}: {rate:.0} messages/s, {cpu:.3} ms CPU per message",
                            if pool { "at once on the blocking pool" } else { "dedicated threads" }
                        );
                    }
                }
                return;
            }
            if !model_only {
                let (n, parse) = parse_rate(corpus);
                println!("bare mail-parser: {n} corpus messages, {parse:.0} messages/s");
                println!(
                    "parse + lexical triage, no store, one thread: {:.0} messages/s",
                    prepare_rate(corpus)
                );
                let grouped = run(Input::Corpus(corpus, usize::MAX), Mode::Grouped, None).await;
                run(Input::Corpus(corpus, usize::MAX), Mode::PerMessage, None).await;
                println!(
                    "SQLite grouped ingest takes {:.0}x the time of bare parsing",
                    parse / grouped
                );
            }
            if let Some(dir) = &model {
                let cache = tempfile::tempdir().expect("a temporary folder");
                if let Some(with_model) = model_triage(dir, cache.path()) {
                    let (rate, texts, tokens) = model_prepare_rate(corpus, &with_model);
                    println!(
                        "parse + triage with the model, every text unseen, no store, one thread: \
                         {rate:.1} messages/s ({texts:.2} texts, {tokens:.1} tokens embedded per mail)"
                    );
                    with_model.semantic.forget_recent();
                    run(
                        Input::Corpus(corpus, MODEL_MESSAGES),
                        Mode::Grouped,
                        Some(&with_model.triage),
                    )
                    .await;
                }
            }
            return;
        }
        for n in sizes {
            run(Input::Generated(n), Mode::Grouped, None).await;
            run(Input::Generated(n), Mode::PerMessage, None).await;
        }
    });
}
