//! Independent work (one spec each) spread over threads, results in input order, so what is
//! generated never depends on the thread count. `CODEGEN_JOBS=N` sets the count (1: no thread
//! is started), as `RAYON_NUM_THREADS` would; by default, the machine's parallelism.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable naming the thread count.
pub const JOBS_VARIABLE: &str = "CODEGEN_JOBS";

/// The threads work may use: `CODEGEN_JOBS` when it is a positive number, else the machine's.
pub fn jobs() -> usize {
    jobs_from(
        std::env::var_os(JOBS_VARIABLE).as_deref(),
        std::thread::available_parallelism().map_or(1, usize::from),
    )
}

/// The thread count `CODEGEN_JOBS=value` asks for on a machine of `machine` threads: a
/// positive number (spaces around it allowed) as it is, anything else (empty, zero, negative,
/// not a number, not UTF-8) the machine's.
fn jobs_from(value: Option<&std::ffi::OsStr>, machine: usize) -> usize {
    value
        .and_then(std::ffi::OsStr::to_str)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(machine)
}

/// `items.iter().map(work)`, each item on whichever thread is free, the results in `items`'
/// order. A panic in `work` reaches the caller, as it would without threads.
pub fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = jobs().min(items.len());
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(at) else {
                            return done;
                        };
                        done.push((at, work(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(at, _)| *at);
    done.into_iter().map(|(_, result)| result).collect()
}

/// `(here(), there())`, `there` on a thread of its own while `here` runs on this one (which may
/// hold what cannot cross threads, such as `syn` trees); one after the other when `CODEGEN_JOBS`
/// is 1. A panic in either reaches the caller.
pub fn beside<A, B: Send>(here: impl FnOnce() -> A, there: impl FnOnce() -> B + Send) -> (A, B) {
    if jobs() <= 1 {
        return (here(), there());
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(there);
        let a = here();
        let b = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

#[cfg(test)]
mod tests {
    /// What each value of `CODEGEN_JOBS` means on a machine of 4 threads.
    #[test]
    fn the_thread_count_is_a_positive_number_or_the_machines() {
        use std::ffi::OsStr;
        let cases: [(Option<&OsStr>, usize); 10] = [
            (None, 4),
            (Some(OsStr::new("1")), 1),
            (Some(OsStr::new("16")), 16),
            (Some(OsStr::new(" 2 ")), 2),
            (Some(OsStr::new("")), 4),
            (Some(OsStr::new("0")), 4),
            (Some(OsStr::new("-1")), 4),
            (Some(OsStr::new("two")), 4),
            (Some(OsStr::new("1.5")), 4),
            (Some(OsStr::new("99999999999999999999999")), 4),
        ];
        for (value, expected) in cases {
            assert_eq!(super::jobs_from(value, 4), expected, "{value:?}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            assert_eq!(super::jobs_from(Some(OsStr::from_bytes(b"\xff")), 4), 4);
        }
    }

    /// Order is the input's whatever the threads and however long each item takes.
    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..200).collect();
        let slow_first = |n: &u64| {
            // Early items take longest, so threads finish out of order.
            std::thread::sleep(std::time::Duration::from_micros((200 - n) * 20));
            n * 2
        };
        let expected: Vec<u64> = items.iter().map(|n| n * 2).collect();
        assert_eq!(super::map(&items, slow_first), expected);
        assert_eq!(super::map(&[] as &[u64], slow_first), Vec::<u64>::new());
        assert_eq!(super::map(&[3u64], slow_first), vec![6]);
    }

    /// Both run, each result in its place, whichever ends first.
    #[test]
    fn beside_returns_each_side_in_its_place() {
        let slow = || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            "here"
        };
        assert_eq!(super::beside(slow, || 2), ("here", 2));
        assert_eq!(super::beside(|| 1, || "there"), (1, "there"));
    }
}
