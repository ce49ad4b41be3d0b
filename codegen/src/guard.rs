//! Library code that panics on input it accepted (openapiv3 on some documents serde read,
//! progenitor on some valid OpenAPI) runs here: the panic becomes an error message naming what
//! panicked, and the process-wide panic hook is silenced meanwhile so no backtrace reaches the
//! maintainer.

use std::{
    panic::{self, AssertUnwindSafe},
    sync::Mutex,
};

/// Serialises guarded runs: the panic hook is process-wide.
static PANIC_HOOK: Mutex<()> = Mutex::new(());

/// Runs `work`; a panic in it is returned as `Err` with its first line.
pub fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    let _guard = PANIC_HOOK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    panic::set_hook(previous);
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
    fn a_panic_becomes_its_first_line_and_the_hook_is_restored() {
        assert_eq!(guarded(|| 7), Ok(7));
        let error = guarded(|| -> u8 { panic!("bad input\nmore") }).unwrap_err();
        assert_eq!(error, "bad input");
        let error = guarded(|| -> u8 { panic!("{}", "while reading: MediaType {") }).unwrap_err();
        assert_eq!(error, "while reading");
    }
}
