#!/usr/bin/env python3
"""Tantivy's query rate on the bases `cargo bench --bench triage` generates, for comparison.

Usage (tantivy's Python bindings from PyPI, kept out of the Rust build):

    pip install --target /tmp/tantivy-py tantivy
    FPT_BENCH_EXPORT=/tmp/fpt-bench cargo bench --bench triage
    PYTHONPATH=/tmp/tantivy-py python3 benches/tantivy_compare.py /tmp/fpt-bench

For each `kb-N.json` it indexes title, questions and answer as text fields (English stemming,
boosts 2, 3 and 1 like the matcher's BM25F weights), then runs the same enquiries as the Rust
benchmark (words only, as OR queries over the three fields, top 3) in a loop for about two
seconds and prints the time per query, to be set beside criterion's "triage per enquiry".
"""

import json
import pathlib
import re
import sys
import time

import tantivy


def build(entries):
    schema_builder = tantivy.SchemaBuilder()
    for field in ("title", "questions", "answer"):
        schema_builder.add_text_field(field, stored=False, tokenizer_name="en_stem")
    schema_builder.add_text_field("id", stored=True, tokenizer_name="raw")
    schema = schema_builder.build()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=100_000_000, num_threads=1)
    for e in entries:
        writer.add_document(
            tantivy.Document(
                id=e["id"],
                title=e["title"],
                questions="\n".join(e["questions"]),
                answer=e["answer"],
            )
        )
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/fpt-bench")
    enquiries = json.loads((folder / "queries.json").read_text())
    words = [" ".join(re.findall(r"[A-Za-z0-9]+", q)) for q in enquiries]
    bases = sorted(folder.glob("kb-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    for path in bases:
        entries = json.loads(path.read_text())
        start = time.perf_counter()
        index = build(entries)
        built = time.perf_counter() - start
        searcher = index.searcher()
        queries = [
            index.parse_query(
                q,
                ["title", "questions", "answer"],
                field_boosts={"title": 2.0, "questions": 3.0, "answer": 1.0},
            )
            for q in words
        ]
        n = 0
        start = time.perf_counter()
        # (CPU time too, as the triage bench's profile mode prints it: unlike the wall
        # clock, not stretched by other processes' load)
        cpu = time.process_time()
        while time.perf_counter() - start < 2.0:
            for q in queries:
                searcher.search(q, 3)
            n += len(queries)
        secs = time.perf_counter() - start
        cpu = time.process_time() - cpu
        print(
            f"tantivy {len(entries):>6} entries: {secs / n * 1e6:8.1f} µs per query "
            f"(CPU {cpu / n * 1e6:.1f} µs; {n / secs:8.0f} queries/s), "
            f"index built in {built * 1e3:.0f} ms"
        )


if __name__ == "__main__":
    main()
