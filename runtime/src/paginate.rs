//! Paginators: every item of a list operation, across its pages, as one stream. Each generated
//! list builder that its spec declares with `x-paginate` gets `.stream()`, which calls
//! [`items`] (page number or offset) or [`items_after_marker`] with how to fetch one page, and
//! returns [`Items`].
//!
//! What the stream promises, whatever the service answers:
//!
//! - Pages are fetched lazily, one at a time, and no page number, offset or marker is asked for
//!   twice (save the marker the caller set on the builder, which the paginator cannot see; see
//!   below). The page size is whatever the caller set on the builder; the paginator leaves it
//!   alone.
//! - It ends where the list ends: at an empty page, at a page shorter than the first, when the
//!   items read reach the documented total (the smallest total any page gave: a total that grows
//!   or is out of reach does not keep it going), or, by marker, at a page without a next marker
//!   or naming one already followed.
//! - It ends when a page brings nothing new: a page whose items are exactly those of a page
//!   already read (a service ignoring the page parameter, repeating its last page, or handing
//!   back the start marker) is not yielded again, and the stream ends there; short of a
//!   documented total, with [`Truncated::RepeatedPage`] as its last item. That page costs
//!   one request: the paginator cannot see the marker the caller set on the builder.
//! - It reads at most [`Items::max_pages`] pages ([`DEFAULT_MAX_PAGES`] unless the caller sets
//!   it), and never past page or offset `u32::MAX`, the largest a request carries. Stopping
//!   there while the service still hands out new items is reported, not silent: the last item
//!   is an error ([`Truncated`], as `Error::Custom` in the generated crates).
//! - An error from a page ends the stream after it is yielded.
//!
//! Memory beyond the current page: 8 bytes per page and per marker followed (fingerprints,
//! keyed per stream so that a server cannot forge a match).

use std::{
    collections::HashSet,
    fmt,
    future::Future,
    hash::{BuildHasher, Hasher, RandomState},
    pin::Pin,
    task::{Context, Poll},
};

use futures::{FutureExt, Stream, future::BoxFuture};
use serde::Serialize;

/// The pages a stream reads unless [`Items::max_pages`] says otherwise. At the services' usual
/// page sizes (10 to 100) that is 100,000 to 1,000,000 items; against a service that never stops
/// handing out pages it bounds the stream to as many requests.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// One page as the generated code reads it from a response.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The documented total number of items, when the response carries it.
    pub total: Option<u64>,
}

/// How a list operation pages (the spec's `x-paginate` style): one enum for the client's
/// streams, the mocks and the generator.
pub use crate::contract::Paging;

/// One page of a list paged by marker, as the generated code reads it from a response.
#[derive(Debug)]
pub struct MarkedPage<T> {
    pub items: Vec<T>,
    /// Where the next page starts; `None` (or empty) on the last page.
    pub next: Option<String>,
}

/// Why a stream stopped while the service was still handing out new items. It is the stream's
/// last item, so that a list read in part is never taken for the whole list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Truncated {
    #[error(
        "the list was read up to the stream's page limit, {pages} pages, and may go on: raise it with .max_pages(n) on the stream to read further"
    )]
    MaxPages { pages: u32 },
    #[error(
        "after {pages} pages the service sent a page it had already sent, with {read} items read of the {total} its total announces; the rest cannot be read"
    )]
    RepeatedPage { pages: u32, read: u64, total: u64 },
    /// Generated code never does this: a marker-paged list streams through
    /// [`items_after_marker`].
    #[error("a list paged by marker streams through `items_after_marker`, not `items`")]
    MarkerPaging,
    #[error(
        "the list goes on after {parameter} {after}, but the next {parameter} is past u32::MAX, the largest a request can carry; the rest cannot be read"
    )]
    Unaddressable {
        /// `page` or `offset`.
        parameter: &'static str,
        /// The page, or the offset of the last item, read last.
        after: u64,
    },
}

/// How the error of a stream cut short begins (`Error::Custom`), so that the command line can
/// tell it from any other error and exit accordingly.
pub const STOPPED_EARLY: &str = "the stream stopped early: ";

impl<E> From<Truncated> for progenitor_client::Error<E> {
    fn from(truncated: Truncated) -> Self {
        progenitor_client::Error::Custom(format!("{STOPPED_EARLY}{truncated}"))
    }
}

/// Where the next page starts: a page number or offset, or a marker (`None`: the builder's own).
struct Cursor {
    number: u32,
    marker: Option<String>,
}

/// A page as the stream reads it, whichever way the list pages.
struct Fetched<T> {
    items: Vec<T>,
    total: Option<u64>,
    next_marker: Option<String>,
    /// Of the items, in order; equal for equal pages.
    fingerprint: u64,
}

type PageFuture<'a, T, E> = BoxFuture<'a, Result<Fetched<T>, E>>;
type Fetch<'a, T, E> = Box<dyn FnMut(&Cursor) -> PageFuture<'a, T, E> + Send + 'a>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Number,
    Offset,
    Marker,
}

/// The stream `.stream()` returns: every item of the list, then `None`; or, if the stream had
/// to stop early, a last `Err` saying why (see the [module docs](self)).
pub struct Items<'a, T, E> {
    fetch: Fetch<'a, T, E>,
    mode: Mode,
    /// The page to fetch next; `None` once the stream has ended.
    next: Option<Cursor>,
    pending: Option<(Cursor, PageFuture<'a, T, E>)>,
    ready: std::vec::IntoIter<T>,
    /// Yielded once `ready` is empty.
    truncated: Option<Truncated>,
    max_pages: u32,
    pages: u32,
    items_read: u64,
    first_len: Option<usize>,
    total: Option<u64>,
    keys: RandomState,
    pages_read: HashSet<u64>,
    markers_followed: HashSet<u64>,
}

// No field is structurally pinned: each future is boxed.
impl<T, E> Unpin for Items<'_, T, E> {}

impl<T, E> fmt::Debug for Items<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages_read", &self.pages)
            .field("items_read", &self.items_read)
            .field("max_pages", &self.max_pages)
            .field("ended", &(self.next.is_none() && self.pending.is_none()))
            .finish_non_exhaustive()
    }
}

impl<'a, T, E> Items<'a, T, E> {
    fn new(fetch: Fetch<'a, T, E>, mode: Mode, first: Cursor, keys: RandomState) -> Self {
        Items {
            fetch,
            mode,
            next: Some(first),
            pending: None,
            ready: Vec::new().into_iter(),
            truncated: None,
            max_pages: DEFAULT_MAX_PAGES,
            pages: 0,
            items_read: 0,
            first_len: None,
            total: None,
            keys,
            pages_read: HashSet::new(),
            markers_followed: HashSet::new(),
        }
    }

    /// A stream whose one item is `reason`: nothing is fetched.
    fn refused(reason: Truncated) -> Self
    where
        T: Send + 'a,
        E: Send + 'a,
    {
        let fetch: Fetch<'a, T, E> = Box::new(|_: &Cursor| futures::future::pending().boxed());
        let first = Cursor {
            number: 0,
            marker: None,
        };
        let mut items = Items::new(fetch, Mode::Offset, first, RandomState::new());
        items.next = None;
        items.truncated = Some(reason);
        items
    }

    /// Reads at most `pages` pages (at least one), counted from the first; the default is
    /// [`DEFAULT_MAX_PAGES`]. If the list goes on beyond them, the stream's last item is a
    /// [`Truncated::MaxPages`] error.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Takes a page just read: decides what of it is yielded and where (or whether) to go on.
    fn read_page(&mut self, at: Cursor, page: Fetched<T>) {
        if page.items.is_empty() {
            return;
        }
        if !self.pages_read.insert(page.fingerprint) {
            tracing::warn!(
                page = self.pages + 1,
                "the service sent a page it had already sent; the list ends here"
            );
            // Short of the documented total the list is cut short, and says so; without a
            // total a repeated page is how some services end a list.
            if let Some(total) = self.total.filter(|total| self.items_read < *total) {
                self.truncated = Some(Truncated::RepeatedPage {
                    pages: self.pages,
                    read: self.items_read,
                    total,
                });
            }
            return;
        }
        self.pages += 1;
        let len = page.items.len();
        self.items_read = self.items_read.saturating_add(len as u64);
        let first_len = *self.first_len.get_or_insert(len);
        if let Some(total) = page.total {
            self.total = Some(self.total.map_or(total, |least| least.min(total)));
        }
        self.ready = page.items.into_iter();
        let next = match self.mode {
            Mode::Number | Mode::Offset => {
                let ended =
                    len < first_len || self.total.is_some_and(|total| self.items_read >= total);
                if ended {
                    return;
                }
                let (parameter, next) = if self.mode == Mode::Number {
                    ("page", u64::from(at.number) + 1)
                } else {
                    ("offset", u64::from(at.number) + len as u64)
                };
                match u32::try_from(next) {
                    Ok(number) => Cursor {
                        number,
                        marker: None,
                    },
                    Err(_) => {
                        self.truncated = Some(Truncated::Unaddressable {
                            parameter,
                            after: next - 1,
                        });
                        return;
                    }
                }
            }
            Mode::Marker => {
                let Some(marker) = page.next_marker.filter(|m| !m.is_empty()) else {
                    return;
                };
                if !self.markers_followed.insert(self.keys.hash_one(&marker)) {
                    return;
                }
                Cursor {
                    number: 0,
                    marker: Some(marker),
                }
            }
        };
        if self.pages >= self.max_pages {
            self.truncated = Some(Truncated::MaxPages { pages: self.pages });
            return;
        }
        self.next = Some(next);
    }
}

impl<T, E: From<Truncated>> Stream for Items<'_, T, E> {
    type Item = Result<T, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.ready.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(truncated) = this.truncated.take() {
                return Poll::Ready(Some(Err(truncated.into())));
            }
            let (at, mut future) = match this.pending.take() {
                Some(pending) => pending,
                None => {
                    let Some(cursor) = this.next.take() else {
                        return Poll::Ready(None);
                    };
                    let future = (this.fetch)(&cursor);
                    (cursor, future)
                }
            };
            let outcome = match future.as_mut().poll(cx) {
                Poll::Ready(outcome) => outcome,
                Poll::Pending => {
                    this.pending = Some((at, future));
                    return Poll::Pending;
                }
            };
            match outcome {
                Ok(page) => this.read_page(at, page),
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }
}

/// Writes serialised items straight into a hasher.
struct HashWriter<H>(H);

impl<H: Hasher> std::io::Write for HashWriter<H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What tells one page from another: its items as JSON, hashed with the stream's keys.
fn fingerprint<T: Serialize>(keys: &RandomState, items: &[T]) -> u64 {
    let mut writer = HashWriter(keys.build_hasher());
    // Generated types serialise infallibly; were one to fail, the bytes written so far count.
    let _ = serde_json::to_writer(&mut writer, items);
    writer.0.finish()
}

/// A page's total as a count: a non-negative integer, or a string holding one (services whose
/// page says String send `"12"`); anything else is no total.
pub fn count<T: serde::Serialize + ?Sized>(total: &T) -> Option<u64> {
    match serde_json::to_value(total).ok()? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Every item of the pages `fetch` returns for `builder` at page (or offset) `n`.
pub fn items<'a, B, T, E, Fut>(
    builder: B,
    paging: Paging,
    fetch: fn(B, u32) -> Fut,
) -> Items<'a, T, E>
where
    B: Clone + Send + 'a,
    T: Serialize + Send + 'a,
    E: From<Truncated> + Send + 'a,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'a,
{
    let (mode, first) = match paging {
        Paging::Number { first } => (Mode::Number, first),
        Paging::Offset => (Mode::Offset, 0),
        Paging::Marker => return Items::refused(Truncated::MarkerPaging),
    };
    let keys = RandomState::new();
    let page_keys = keys.clone();
    let fetch: Fetch<'a, T, E> = Box::new(move |cursor: &Cursor| {
        let request = fetch(builder.clone(), cursor.number);
        let keys = page_keys.clone();
        async move {
            let page = request.await?;
            Ok::<_, E>(Fetched {
                fingerprint: fingerprint(&keys, &page.items),
                items: page.items,
                total: page.total,
                next_marker: None,
            })
        }
        .boxed()
    });
    let first = Cursor {
        number: first,
        marker: None,
    };
    Items::new(fetch, mode, first, keys)
}

/// Every item of the pages `fetch` returns for `builder` after each marker: `None` for the
/// first page (the builder as the caller set it, marker included), then each page's `next`.
pub fn items_after_marker<'a, B, T, E, Fut>(
    builder: B,
    fetch: fn(B, Option<String>) -> Fut,
) -> Items<'a, T, E>
where
    B: Clone + Send + 'a,
    T: Serialize + Send + 'a,
    E: From<Truncated> + Send + 'a,
    Fut: Future<Output = Result<MarkedPage<T>, E>> + Send + 'a,
{
    let keys = RandomState::new();
    let page_keys = keys.clone();
    let fetch: Fetch<'a, T, E> = Box::new(move |cursor: &Cursor| {
        let request = fetch(builder.clone(), cursor.marker.clone());
        let keys = page_keys.clone();
        async move {
            let page = request.await?;
            Ok::<_, E>(Fetched {
                fingerprint: fingerprint(&keys, &page.items),
                items: page.items,
                total: None,
                next_marker: page.next,
            })
        }
        .boxed()
    });
    let first = Cursor {
        number: 0,
        marker: None,
    };
    Items::new(fetch, Mode::Marker, first, keys)
}

#[cfg(test)]
mod tests {
    #[test]
    fn totals_read_as_counts() {
        use serde_json::json;
        let cases = [
            (json!(12), Some(12)),
            (json!("12"), Some(12)),
            (json!(" 7 "), Some(7)),
            (json!(0), Some(0)),
            (json!(-1), None),
            (json!("-1"), None),
            (json!("many"), None),
            (json!(1.5), None),
            (json!(null), None),
            (json!(u64::MAX), Some(u64::MAX)),
        ];
        for (total, expected) in cases {
            assert_eq!(count(&total), expected, "{total}");
        }
    }

    use std::sync::{Arc, Mutex};

    use futures::StreamExt;

    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    enum Failure {
        Server(&'static str),
        Truncated(Truncated),
    }

    impl From<Truncated> for Failure {
        fn from(truncated: Truncated) -> Self {
            Failure::Truncated(truncated)
        }
    }

    /// What a page's total says.
    #[derive(Debug, Clone, Copy)]
    enum Total {
        Absent,
        Fixed(u64),
        /// One page more than read so far.
        Growing,
    }

    /// How a fake service answers for page (or offset) `n`.
    #[derive(Debug, Clone, Copy)]
    enum Answer {
        /// A list of `len` items.
        Honest {
            len: u64,
            tell_total: bool,
        },
        /// The first page, whatever is asked.
        SamePage(Total),
        /// New items on every page, for ever.
        Endless(Total),
        Failing,
    }

    #[derive(Clone)]
    struct Fake {
        paging: Paging,
        answer: Answer,
        size: u64,
        asked: Arc<Mutex<Vec<u32>>>,
    }

    async fn fetch(fake: Fake, n: u32) -> Result<Page<u64>, Failure> {
        fake.asked.lock().unwrap().push(n);
        let start = match fake.paging {
            Paging::Number { first } => u64::from(n - first) * fake.size,
            Paging::Offset | Paging::Marker => u64::from(n),
        };
        let total = |total: Total| match total {
            Total::Absent => None,
            Total::Fixed(total) => Some(total),
            Total::Growing => Some(start + 2 * fake.size),
        };
        let (items, total) = match fake.answer {
            Answer::Honest { len, tell_total } => (
                (start..(start + fake.size).min(len)).collect(),
                tell_total.then_some(len),
            ),
            Answer::SamePage(t) => ((0..fake.size).collect(), total(t)),
            Answer::Endless(t) => ((start..start + fake.size).collect(), total(t)),
            Answer::Failing => return Err(Failure::Server("503")),
        };
        Ok(Page { items, total })
    }

    /// Reads the whole stream: the items, the pages asked for, and the last error if any.
    async fn run(
        paging: Paging,
        answer: Answer,
        max_pages: Option<u32>,
    ) -> (u64, Vec<u32>, Option<Failure>) {
        let fake = Fake {
            paging,
            answer,
            size: 10,
            asked: Arc::default(),
        };
        let mut stream = items(fake.clone(), paging, fetch);
        if let Some(max) = max_pages {
            stream = stream.max_pages(max);
        }
        let (mut read, mut error) = (0, None);
        while let Some(item) = stream.next().await {
            assert!(error.is_none(), "an error is the last item");
            match item {
                Ok(item) => {
                    assert_eq!(item, read, "every item once, in order");
                    read += 1;
                }
                Err(e) => error = Some(e),
            }
        }
        let asked = fake.asked.lock().unwrap().clone();
        (read, asked, error)
    }

    #[tokio::test]
    async fn honest_and_hostile_lists_end_each_page_asked_once() {
        const BY_PAGE: Paging = Paging::Number { first: 1 };
        let honest = |len, tell_total| Answer::Honest { len, tell_total };
        let max = |pages| Some(Failure::Truncated(Truncated::MaxPages { pages }));
        let repeated = |read, total| {
            Some(Failure::Truncated(Truncated::RepeatedPage {
                pages: 1,
                read,
                total,
            }))
        };
        let huge = Total::Fixed(i32::MAX as u64);
        let pages = |n: u32| (1..=n).collect::<Vec<_>>();
        // (paging, answer, max pages set) -> (items read, pages asked, last error), 10 a page.
        type Case = (Paging, Answer, Option<u32>, u64, Vec<u32>, Option<Failure>);
        let cases: Vec<Case> = vec![
            (BY_PAGE, honest(0, true), None, 0, vec![1], None),
            (BY_PAGE, honest(3, false), None, 3, vec![1, 2], None),
            (BY_PAGE, honest(10, true), None, 10, vec![1], None),
            (BY_PAGE, honest(10, false), None, 10, vec![1, 2], None),
            (BY_PAGE, honest(25, false), None, 25, vec![1, 2, 3], None),
            (BY_PAGE, honest(30, true), None, 30, vec![1, 2, 3], None),
            (BY_PAGE, honest(30, true), Some(3), 30, vec![1, 2, 3], None),
            (
                Paging::Offset,
                honest(25, false),
                None,
                25,
                vec![0, 10, 20],
                None,
            ),
            // The same full page again: nothing new, whatever the total says.
            (
                BY_PAGE,
                Answer::SamePage(Total::Absent),
                None,
                10,
                vec![1, 2],
                None,
            ),
            // Short of the total, the repeat is reported: the list is cut short.
            (
                BY_PAGE,
                Answer::SamePage(huge),
                None,
                10,
                vec![1, 2],
                repeated(10, i32::MAX as u64),
            ),
            (
                BY_PAGE,
                Answer::SamePage(Total::Growing),
                None,
                10,
                vec![1, 2],
                repeated(10, 20),
            ),
            (
                Paging::Offset,
                Answer::SamePage(huge),
                None,
                10,
                vec![0, 10],
                repeated(10, i32::MAX as u64),
            ),
            // A total that grows binds at its first value.
            (
                BY_PAGE,
                Answer::Endless(Total::Growing),
                None,
                20,
                vec![1, 2],
                None,
            ),
            // New items for ever: the page limit, then an error saying so.
            (
                BY_PAGE,
                Answer::Endless(Total::Absent),
                Some(5),
                50,
                pages(5),
                max(5),
            ),
            (
                BY_PAGE,
                Answer::Endless(huge),
                Some(5),
                50,
                pages(5),
                max(5),
            ),
            (
                BY_PAGE,
                Answer::Endless(huge),
                Some(0),
                10,
                pages(1),
                max(1),
            ),
            (
                BY_PAGE,
                Answer::Endless(Total::Absent),
                None,
                10 * u64::from(DEFAULT_MAX_PAGES),
                pages(DEFAULT_MAX_PAGES),
                max(DEFAULT_MAX_PAGES),
            ),
            // The last page number a request can carry is asked for once.
            (
                Paging::Number { first: u32::MAX },
                Answer::Endless(Total::Absent),
                None,
                10,
                vec![u32::MAX],
                Some(Failure::Truncated(Truncated::Unaddressable {
                    parameter: "page",
                    after: u64::from(u32::MAX),
                })),
            ),
            (
                BY_PAGE,
                Answer::Failing,
                None,
                0,
                vec![1],
                Some(Failure::Server("503")),
            ),
        ];
        for (paging, answer, max_pages, read, asked, error) in cases {
            let got = run(paging, answer, max_pages).await;
            let case = format!("{paging:?} {answer:?} max {max_pages:?}");
            assert_eq!(got.0, read, "items read: {case}");
            assert_eq!(got.1, asked, "pages asked: {case}");
            assert_eq!(got.2, error, "last error: {case}");
        }
    }

    #[tokio::test]
    async fn nothing_is_fetched_until_the_stream_is_read() {
        let fake = Fake {
            paging: Paging::Number { first: 1 },
            answer: Answer::Honest {
                len: 100,
                tell_total: true,
            },
            size: 10,
            asked: Arc::default(),
        };
        let mut stream = items(fake.clone(), fake.paging, fetch);
        assert!(fake.asked.lock().unwrap().is_empty());
        let first: Vec<u64> = (&mut stream).take(12).map(Result::unwrap).collect().await;
        assert_eq!(first, (0..12).collect::<Vec<_>>());
        assert_eq!(*fake.asked.lock().unwrap(), [1, 2], "only the pages read");
    }

    #[test]
    fn offsets_past_u32_max_are_not_asked_for() {
        async fn never(_: (), _: u32) -> Result<Page<u64>, Failure> {
            unreachable!("no page is fetched")
        }
        // The offset of a page, its length -> what comes next.
        let cases: [(u32, usize, Option<u32>, Option<Truncated>); 3] = [
            (u32::MAX - 20, 10, Some(u32::MAX - 10), None),
            (u32::MAX - 10, 10, Some(u32::MAX), None),
            (
                u32::MAX - 5,
                10,
                None,
                Some(Truncated::Unaddressable {
                    parameter: "offset",
                    after: u64::from(u32::MAX) + 4,
                }),
            ),
        ];
        for (offset, len, next, truncated) in cases {
            let mut stream = items((), Paging::Offset, never);
            let page = Fetched {
                items: (0..len as u64).collect(),
                total: None,
                next_marker: None,
                fingerprint: 1,
            };
            let at = Cursor {
                number: offset,
                marker: None,
            };
            stream.next = None;
            stream.read_page(at, page);
            assert_eq!(stream.next.map(|c| c.number), next, "{offset}");
            assert_eq!(stream.truncated, truncated, "{offset}");
        }
    }

    /// How a fake marker-paged service answers. Its items are numbered; the page after marker
    /// `m` starts after item `m`, and names its last item as the next marker.
    #[derive(Debug, Clone)]
    enum Marking {
        /// A list of `len` items, the last page without a next marker.
        Honest { len: u64 },
        /// As `Honest`, but the page after marker `.0` names `.1` as the next.
        NextAfter(u64, Option<String>, Option<String>),
        /// The first page for any marker, with a new next marker each time.
        FreshMarkerSamePage,
        /// New items and a new next marker on every page, for ever.
        Endless,
    }

    #[derive(Clone)]
    struct Marked {
        marking: Marking,
        /// The marker set on the builder: the first page starts after it.
        start: Option<String>,
        asked: Arc<Mutex<Vec<Option<String>>>>,
    }

    async fn fetch_after(list: Marked, marker: Option<String>) -> Result<MarkedPage<u64>, Failure> {
        const SIZE: u64 = 10;
        list.asked.lock().unwrap().push(marker.clone());
        let after = marker.clone().or(list.start.clone());
        let start = after
            .as_deref()
            .map_or(0, |m| m.parse::<u64>().unwrap() + 1);
        let calls = list.asked.lock().unwrap().len();
        let (items, next) = match &list.marking {
            Marking::Honest { len } | Marking::NextAfter(len, ..) => {
                let end = (start + SIZE).min(*len);
                let mut next = (end < *len).then(|| (end - 1).to_string());
                if let Marking::NextAfter(_, at, given) = &list.marking
                    && *at == after
                {
                    next = given.clone();
                }
                ((start..end).collect(), next)
            }
            Marking::FreshMarkerSamePage => ((0..SIZE).collect(), Some(calls.to_string())),
            Marking::Endless => (
                (start..start + SIZE).collect(),
                Some((start + SIZE - 1).to_string()),
            ),
        };
        Ok(MarkedPage { items, next })
    }

    #[tokio::test]
    async fn marker_pages_follow_each_next_once_and_stop_when_nothing_is_new() {
        let m = |s: &str| Some(s.to_owned());
        let honest = |len| Marking::Honest { len };
        let max = |pages| Some(Failure::Truncated(Truncated::MaxPages { pages }));
        // (answers, builder's marker, max pages) -> (items read, markers asked, last error).
        type Case = (
            Marking,
            Option<String>,
            Option<u32>,
            std::ops::Range<u64>,
            Vec<Option<String>>,
            Option<Failure>,
        );
        let cases: Vec<Case> = vec![
            (honest(0), None, None, 0..0, vec![None], None),
            (honest(3), None, None, 0..3, vec![None], None),
            (
                honest(25),
                None,
                None,
                0..25,
                vec![None, m("9"), m("19")],
                None,
            ),
            (honest(25), m("4"), None, 5..25, vec![None, m("14")], None),
            // A last page that still names a next marker: its next page is empty.
            (
                Marking::NextAfter(20, m("9"), m("19")),
                None,
                None,
                0..20,
                vec![None, m("9"), m("19")],
                None,
            ),
            // An empty marker is no marker.
            (
                Marking::NextAfter(30, m("9"), m("")),
                None,
                None,
                0..20,
                vec![None, m("9")],
                None,
            ),
            // A marker already followed is not followed again.
            (
                Marking::NextAfter(30, m("9"), m("9")),
                None,
                None,
                0..20,
                vec![None, m("9")],
                None,
            ),
            // The start marker handed back: its page is asked for again (the paginator cannot
            // see the builder's marker) but not yielded again.
            (
                Marking::NextAfter(30, m("4"), m("4")),
                m("4"),
                None,
                5..15,
                vec![None, m("4")],
                None,
            ),
            // A fresh marker on every page, the same items: nothing new on the second page.
            (
                Marking::FreshMarkerSamePage,
                None,
                None,
                0..10,
                vec![None, m("1")],
                None,
            ),
            (
                Marking::Endless,
                None,
                Some(3),
                0..30,
                vec![None, m("9"), m("19")],
                max(3),
            ),
        ];
        for (marking, start, max_pages, read, asked, error) in cases {
            let list = Marked {
                marking: marking.clone(),
                start,
                asked: Arc::default(),
            };
            let mut stream = items_after_marker(list.clone(), fetch_after);
            if let Some(max) = max_pages {
                stream = stream.max_pages(max);
            }
            let all: Vec<Result<u64, Failure>> = stream.collect().await;
            let mut expected: Vec<_> = read.map(Ok).collect();
            expected.extend(error.map(Err));
            assert_eq!(all, expected, "{marking:?}");
            assert_eq!(*list.asked.lock().unwrap(), asked, "{marking:?}");
        }
    }

    #[tokio::test]
    async fn the_default_limit_ends_an_endless_marker_list() {
        let list = Marked {
            marking: Marking::Endless,
            start: None,
            asked: Arc::default(),
        };
        let all: Vec<Result<u64, Failure>> = items_after_marker(list.clone(), fetch_after)
            .collect()
            .await;
        assert_eq!(list.asked.lock().unwrap().len(), DEFAULT_MAX_PAGES as usize);
        assert_eq!(all.len(), 10 * DEFAULT_MAX_PAGES as usize + 1);
        assert_eq!(
            all.last(),
            Some(&Err(Failure::Truncated(Truncated::MaxPages {
                pages: DEFAULT_MAX_PAGES
            })))
        );
    }

    #[test]
    fn the_truncation_reaches_a_generated_crate_as_custom_text() {
        let error: progenitor_client::Error<()> = Truncated::MaxPages { pages: 7 }.into();
        match error {
            progenitor_client::Error::Custom(text) => assert_eq!(
                text,
                "the stream stopped early: the list was read up to the stream's page limit, 7 pages, and may go on: raise it with .max_pages(n) on the stream to read further"
            ),
            other => panic!("{other:?}"),
        }
    }

    /// `items` pages by number or offset; handed a marker paging it fetches nothing and says so.
    #[tokio::test]
    async fn items_refuses_marker_paging_without_fetching() {
        async fn never(_: (), _: u32) -> Result<Page<u64>, Failure> {
            unreachable!("no page is fetched")
        }
        let read: Vec<Result<u64, Failure>> = items((), Paging::Marker, never).collect().await;
        assert_eq!(read, [Err(Failure::Truncated(Truncated::MarkerPaging))]);
    }
}
