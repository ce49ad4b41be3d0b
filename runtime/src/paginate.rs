//! Paginators: every item of a list operation, across its pages, as one stream. Each generated
//! list builder that its spec declares with `x-paginate` gets `.stream()`, which calls
//! [`items`] with how to fetch one page.
//!
//! Pages are fetched lazily, one at a time, each once. The stream stops at the documented total
//! when the service gives one, at an empty page, or at a page shorter than the first (the page
//! size is whatever the caller set on the builder, which the paginator leaves alone). An error
//! ends the stream after it is yielded.

use std::{future::Future, pin::Pin};

use futures::{Stream, StreamExt, stream};

/// One page as the generated code reads it from a response.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The documented total number of items, when the response carries it.
    pub total: Option<u64>,
}

/// How a list operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// A page number, the first being `first` (0 or 1, as the docs say).
    Number { first: u32 },
    /// An offset in items, starting at 0.
    Offset,
}

/// The stream `.stream()` returns.
pub type Items<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, E>> + Send + 'a>>;

struct State<B> {
    builder: B,
    next: u32,
    seen: u64,
    first_len: Option<usize>,
}

/// Every item of the pages `fetch` returns for `builder` at page (or offset) `n`.
pub fn items<'a, B, T, E, Fut>(
    builder: B,
    paging: Paging,
    fetch: fn(B, u32) -> Fut,
) -> Items<'a, T, E>
where
    B: Clone + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'a,
{
    let start = match paging {
        Paging::Number { first } => first,
        Paging::Offset => 0,
    };
    let state = Some(State {
        builder,
        next: start,
        seen: 0,
        first_len: None,
    });
    let pages = stream::unfold(state, move |state| async move {
        let mut state = state?;
        match fetch(state.builder.clone(), state.next).await {
            Err(error) => Some((vec![Err(error)], None)),
            Ok(page) if page.items.is_empty() => None,
            Ok(page) => {
                let len = page.items.len();
                state.seen += len as u64;
                let first_len = *state.first_len.get_or_insert(len);
                let last = len < first_len || page.total.is_some_and(|total| state.seen >= total);
                state.next = match paging {
                    Paging::Number { .. } => state.next.saturating_add(1),
                    Paging::Offset => u32::try_from(state.seen).unwrap_or(u32::MAX),
                };
                let items = page.items.into_iter().map(Ok).collect();
                Some((items, (!last).then_some(state)))
            }
        }
    });
    Box::pin(pages.flat_map(stream::iter))
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A fake list of `total` items served `size` at a time; records the pages asked for.
    #[derive(Clone)]
    struct Fake {
        total: u64,
        size: u64,
        tell_total: bool,
        asked: Arc<Mutex<Vec<u32>>>,
    }

    async fn fetch(fake: Fake, n: u32) -> Result<Page<u64>, String> {
        fake.asked.lock().unwrap().push(n);
        let start = (u64::from(n) - 1) * fake.size;
        let items = (start..(start + fake.size).min(fake.total)).collect();
        Ok(Page {
            items,
            total: fake.tell_total.then_some(fake.total),
        })
    }

    async fn run(total: u64, size: u64, tell_total: bool) -> (Vec<u64>, Vec<u32>) {
        let fake = Fake {
            total,
            size,
            tell_total,
            asked: Arc::default(),
        };
        let got: Vec<u64> = items(fake.clone(), Paging::Number { first: 1 }, fetch)
            .map(Result::unwrap)
            .collect()
            .await;
        let asked = fake.asked.lock().unwrap().clone();
        (got, asked)
    }

    #[tokio::test]
    async fn pages_are_fetched_lazily_once_each_and_stop_where_the_list_ends() {
        // (items, page size, total given?) -> pages asked for.
        let cases: [(u64, u64, bool, &[u32]); 6] = [
            (0, 10, true, &[1]),
            (3, 10, false, &[1, 2]),
            (10, 10, true, &[1]),
            (10, 10, false, &[1, 2]),
            (25, 10, false, &[1, 2, 3]),
            (30, 10, true, &[1, 2, 3]),
        ];
        for (total, size, tell, asked) in cases {
            let (got, pages) = run(total, size, tell).await;
            assert_eq!(got, (0..total).collect::<Vec<_>>(), "{total} items");
            assert_eq!(pages, asked, "{total} items of {size}, total given: {tell}");
        }
    }

    #[tokio::test]
    async fn nothing_is_fetched_until_the_stream_is_read_and_an_error_ends_it() {
        let fake = Fake {
            total: 100,
            size: 10,
            tell_total: true,
            asked: Arc::default(),
        };
        let mut stream = items(fake.clone(), Paging::Number { first: 1 }, fetch);
        assert!(fake.asked.lock().unwrap().is_empty());
        let first: Vec<u64> = (&mut stream).take(12).map(Result::unwrap).collect().await;
        assert_eq!(first, (0..12).collect::<Vec<_>>());
        assert_eq!(*fake.asked.lock().unwrap(), [1, 2], "only the pages read");

        async fn failing(_: (), _: u32) -> Result<Page<u8>, String> {
            Err("503".to_owned())
        }
        let all: Vec<Result<u8, String>> = items((), Paging::Offset, failing).collect().await;
        assert_eq!(all, [Err("503".to_owned())]);
    }
}
