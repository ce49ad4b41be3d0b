//! Paginators: every item of a list operation, across its pages, as one stream. Each generated
//! list builder that its spec declares with `x-paginate` gets `.stream()`, which calls
//! [`items`] with how to fetch one page.
//!
//! Pages are fetched lazily, one at a time, each once. The stream stops at the documented total
//! when the service gives one, at an empty page, or at a page shorter than the first (the page
//! size is whatever the caller set on the builder, which the paginator leaves alone). An error
//! ends the stream after it is yielded.
//!
//! Lists paged by marker (MRS v1.1's Sahara-style `marker` and `markers.next`) use
//! [`items_after_marker`]: the next page starts after the marker the last page gave, and the
//! stream ends at an empty page, a page without a next marker, or a marker already followed.

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

/// One page of a list paged by marker, as the generated code reads it from a response.
#[derive(Debug)]
pub struct MarkedPage<T> {
    pub items: Vec<T>,
    /// Where the next page starts; `None` (or empty) on the last page.
    pub next: Option<String>,
}

/// Every item of the pages `fetch` returns for `builder` after each marker: `None` for the
/// first page (the builder as the caller set it, marker included), then each page's `next`.
pub fn items_after_marker<'a, B, T, E, Fut>(
    builder: B,
    fetch: fn(B, Option<String>) -> Fut,
) -> Items<'a, T, E>
where
    B: Clone + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
    Fut: Future<Output = Result<MarkedPage<T>, E>> + Send + 'a,
{
    // The markers followed so far: a service that hands one back again would loop.
    let state = Some((builder, None::<String>, Vec::<String>::new()));
    let pages = stream::unfold(state, move |state| async move {
        let (builder, marker, mut followed) = state?;
        match fetch(builder.clone(), marker).await {
            Err(error) => Some((vec![Err(error)], None)),
            Ok(page) if page.items.is_empty() => None,
            Ok(page) => {
                let next = page
                    .next
                    .filter(|next| !next.is_empty() && !followed.contains(next));
                let items = page.items.into_iter().map(Ok).collect();
                let state = next.map(|next| {
                    followed.push(next.clone());
                    (builder, Some(next), followed)
                });
                Some((items, state))
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

    /// A list of `items`, `size` a page, whose page after marker `m` starts after item `m`; its
    /// `next` is the last item's marker, or `next` says otherwise for the page after a marker.
    #[derive(Clone)]
    struct Marked {
        items: u64,
        size: u64,
        /// Overrides the next marker the page after `.0` gives (a service repeating itself).
        next_after: Option<(Option<String>, Option<String>)>,
        asked: Arc<Mutex<Vec<Option<String>>>>,
    }

    async fn fetch_after(list: Marked, marker: Option<String>) -> Result<MarkedPage<u64>, String> {
        list.asked.lock().unwrap().push(marker.clone());
        let start = marker
            .as_deref()
            .map_or(0, |m| m.parse::<u64>().unwrap() + 1);
        let end = (start + list.size).min(list.items);
        let mut next = (end < list.items).then(|| (end - 1).to_string());
        if let Some((after, given)) = &list.next_after
            && *after == marker
        {
            next = given.clone();
        }
        Ok(MarkedPage {
            items: (start..end).collect(),
            next,
        })
    }

    /// Items, page size, the override of one page's next marker, the markers asked for, and
    /// how many items are read.
    type Case = (
        u64,
        u64,
        Option<(Option<String>, Option<String>)>,
        Vec<Option<String>>,
        u64,
    );

    #[tokio::test]
    async fn marker_pages_follow_each_next_once_and_stop_without_one() {
        let m = |s: &str| Some(s.to_owned());
        let cases: [Case; 6] = [
            (0, 10, None, vec![None], 0),
            (3, 10, None, vec![None], 3),
            (25, 10, None, vec![None, m("9"), m("19")], 25),
            // A last page that still names a next marker: its next page is empty.
            (
                20,
                10,
                Some((m("9"), m("19"))),
                vec![None, m("9"), m("19")],
                20,
            ),
            // An empty marker is no marker.
            (30, 10, Some((m("9"), m(""))), vec![None, m("9")], 20),
            // A service handing back a marker already followed is not followed again.
            (30, 10, Some((m("9"), m("9"))), vec![None, m("9")], 20),
        ];
        for (items, size, next_after, asked, read) in cases {
            let list = Marked {
                items,
                size,
                next_after,
                asked: Arc::default(),
            };
            let got: Vec<u64> = items_after_marker(list.clone(), fetch_after)
                .map(Result::unwrap)
                .collect()
                .await;
            assert_eq!(got, (0..read).collect::<Vec<_>>(), "{items} items");
            assert_eq!(
                *list.asked.lock().unwrap(),
                asked,
                "{items} items of {size}"
            );
        }
    }
}
