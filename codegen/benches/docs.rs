//! `cargo bench -p codegen --bench docs`: reading, drafting and checking the hostile pages of
//! `codegen::docs::hostile` at 10 KB and 100 KB, each shape once. Near-linear readers take about
//! ten times as long for the larger page; the old ones took minutes (100 nested tables: 27 s).

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
