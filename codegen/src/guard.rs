//! Library code that panics on input it accepted (openapiv3 on some documents serde read,
//! progenitor on some valid OpenAPI) runs here: the panic becomes an error message naming what
//! panicked, and the panic hook is silent for it so no backtrace reaches the
//! maintainer.

use std::{
    cell::Cell,
    panic::{self, AssertUnwindSafe},
    sync::Once,
};

thread_local! {
    /// Set while this thread runs guarded work: the hook stays quiet for its panics only.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// The hook is process-wide, so it is installed once and asks the panicking thread whether it
/// is guarded; other threads' panics reach the hook that was there before. Guarded runs on
/// different threads (specs rendered in parallel) do not wait for each other.
static QUIET_HOOK: Once = Once::new();

/// Runs `work`; a panic in it is returned as `Err` with its first line.
pub fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    GUARDED.with(|g| g.set(outer));
    result.map_err(|payload| panic_message(payload.as_ref()))
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panicked without a message".into());
    // Keep the first line, minus a trailing `Debug` dump (`...: MediaType {`) that says nothing alone.
    let first = text.lines().next().unwrap_or_default();
    let first = match first.trim_end().ends_with(['{', '(']) {
        true => first.rsplit_once(':').map_or(first, |(head, _)| head),
        false => first,
    };
    first.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_first_line_on_any_thread() {
        assert_eq!(guarded(|| 7), Ok(7));
        let error = guarded(|| -> u8 { panic!("bad input\nmore") }).unwrap_err();
        assert_eq!(error, "bad input");
        let error = guarded(|| -> u8 { panic!("{}", "while reading: MediaType {") }).unwrap_err();
        assert_eq!(error, "while reading");
        // Guarded runs on several threads at once: each gets its own panic back.
        let messages: Vec<String> = std::thread::scope(|scope| {
            let runs: Vec<_> = (0..8)
                .map(|i| scope.spawn(move || guarded(|| -> u8 { panic!("spec {i}") }).unwrap_err()))
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let expected: Vec<String> = (0..8).map(|i| format!("spec {i}")).collect();
        assert_eq!(messages, expected);
    }
}
