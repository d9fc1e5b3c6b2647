//! Semantic matching costs (issue 9's targets, 2 cores): triage per enquiry with the model for
//! a chat question and a 300-word email, and start-up (load the model, embed or read the
//! knowledge base, fit the calibration) with a cold and a warm embedding cache. A question is
//! measured as never seen before (the semantic side's recent-question vectors forgotten) and,
//! for the chat question, asked again. Side by side in one run: lexical-only triage of the
//! same enquiries as the peer.
//!
//! Needs the model (`FPT_MODEL`, default `models/all-MiniLM-L6-v2`); without it the benchmark
//! prints why and measures nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use fpt_assist::draft::Drafter;
use fpt_assist::kb::KnowledgeBase;
use fpt_assist::matcher::{kb_texts, Embed, Semantic};
use fpt_assist::model::{Embedder, EmbeddingCache};
use fpt_assist::{Enquiry, Triage};

const CHAT: &str = "how many days a week do i get for fpt?";

/// A 300-word email: greeting, who they are, their situation, the question in the middle,
/// more context, sign-off.
fn email() -> Enquiry {
    let body =
        "Dear FPT team,\n\nI hope you are well. My name is Dr Alex Morgan and I am currently \
        an ST4 registrar in respiratory medicine. I have been working in the same department for \
        the last two years and I have really enjoyed the mix of acute and outpatient work, \
        although the on-call commitments have been heavy at times and the rota has changed \
        several times this year. Several colleagues in my training programme have mentioned \
        Flexible Portfolio Training to me over the last few months, and one of them has been \
        doing a quality improvement project on discharge summaries that I found very \
        interesting. I have also spoken briefly to my educational supervisor, who was \
        supportive in principle but said I should find out more before we discuss it properly \
        at my next meeting. I have had a look at some of the material online but I could not \
        find a clear answer to one thing. Could you tell me how much protected time I would get \
        each week if I joined FPT? I would like to understand this properly before I talk to my \
        rota coordinator, because our department is already quite stretched and I want to be \
        able to explain exactly what the commitment would mean for the rest of the team. I am \
        also thinking about whether the timing would work with my exams next year, but I \
        appreciate that is something I will need to work out locally with my supervisor and \
        the department. Thank you very much for your help, and I look forward to hearing from \
        you when you have a moment. I am happy to provide any further information if that \
        would be useful.\n\nKind regards,\nAlex Morgan\nST4 Respiratory Medicine";
    Enquiry::email("alex@example.org", "A question about FPT", body)
}

fn model_dir() -> PathBuf {
    std::env::var_os("FPT_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models/all-MiniLM-L6-v2"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn start(model: Arc<Embedder>, cache: &Path) -> Triage {
    let kb = KnowledgeBase::load(&root().join("faq")).expect("faq/ loads");
    let texts = kb_texts(&kb);
    let refs: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
    let mut store = EmbeddingCache::open(cache, model.as_ref());
    let (vectors, _) = store.embed_all(model.as_ref(), &refs).expect("embeds");
    let m: Arc<dyn Embed> = model;
    let semantic = Semantic::new(m, &kb, vectors).expect("aligned");
    Triage::with_semantic(kb, Drafter::builtin(), Some(semantic))
}

fn semantic(c: &mut Criterion) {
    let dir = model_dir();
    if !dir.join("model.safetensors").exists() {
        eprintln!("skipping: no model at {} (set FPT_MODEL)", dir.display());
        return;
    }
    let model = Arc::new(Embedder::load(&dir).expect("the model loads"));
    let cache = tempfile::tempdir().expect("a temporary folder");
    let triage = start(model.clone(), cache.path());
    let lexical = Triage::new(triage.kb.clone(), Drafter::builtin());
    let chat = Enquiry::chat("u", CHAT);
    let mail = email();

    let mut group = c.benchmark_group("triage");
    group.sample_size(30);
    // A question never seen before: the semantic side's recent-question vectors are
    // forgotten before each one (forgetting one entry costs nanoseconds).
    let forget = || {
        if let Some(s) = &triage.matcher.semantic {
            s.forget_recent();
        }
    };
    group.bench_function("chat question, with the model", |b| {
        b.iter(|| {
            forget();
            triage.triage(&chat)
        })
    });
    group.bench_function("chat question asked again, with the model", |b| {
        b.iter(|| triage.triage(&chat))
    });
    group.bench_function("chat question, lexical only", |b| {
        b.iter(|| lexical.triage(&chat))
    });
    group.bench_function("300-word email, with the model", |b| {
        b.iter(|| {
            forget();
            triage.triage(&mail)
        })
    });
    group.bench_function("300-word email, lexical only", |b| {
        b.iter(|| lexical.triage(&mail))
    });
    group.finish();

    let mut group = c.benchmark_group("start-up");
    group.sample_size(10);
    group.bench_function("warm cache (model load + cached embeddings + fit)", |b| {
        b.iter(|| {
            let model = Arc::new(Embedder::load(&dir).expect("loads"));
            start(model, cache.path())
        })
    });
    group.bench_function("cold cache (model load + embedding the base + fit)", |b| {
        b.iter(|| {
            let cold = tempfile::tempdir().expect("a temporary folder");
            let model = Arc::new(Embedder::load(&dir).expect("loads"));
            start(model, cold.path())
        })
    });
    group.finish();
}

criterion_group!(benches, semantic);
criterion_main!(benches);
