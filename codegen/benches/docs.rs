//! `cargo bench -p codegen --bench docs`: reading and drafting the hostile pages of
//! `codegen::docs::hostile` at 10 KB and 100 KB, each shape once. The readers take about ten
//! times as long for the larger page (the old ones took minutes: 100 nested tables, 27 s); at
//! 100 KB the nested HTML shapes pass the nesting limit and measure their refusal.
//! Dev profile, 2026-11-28: repeated rows naming their own table 9.1 ms / 84.5 ms, references
//! in one cell 1.7 / 16.4 ms, A-B-A tables 1.4 / 12.1 ms, tags left open 5.6 / 53.7 ms, many
//! sections 0.9 / 7.2 ms; 10 KB of nested tables (180 levels) 9.5 ms.

use std::path::Path;

use codegen::docs::{Page, draft, hostile::hostile_pages, html, rst};
use criterion::{Criterion, criterion_group, criterion_main};

fn read(file: &str, text: &str) -> Option<Page> {
    if file.ends_with(".rst") {
        rst::read(Path::new(file), text)
    } else {
        html::read(Path::new(file), text)
    }
}

fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile pages");
    group.sample_size(10);
    for bytes in [10_000, 100_000] {
        for (shape, file, text) in hostile_pages(bytes) {
            group.bench_function(
                format!("{shape}, {} KB: read and draft", bytes / 1000),
                |b| b.iter(|| read(file, &text).map(|page| draft::draft(&page))),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
