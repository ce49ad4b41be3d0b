//! `x-waiters`: waiters polling an operation, turned into `Client::wait_until_<name>()` and one
//! waiter type each, which forwards every setter of the polled operation's builder.

/// The extension's key on an operation.
pub const KEY: &str = "x-waiters";

/// What the emitter adds to each waiter type beside the polled operation's setters: a parameter
/// of the polled operation named like one would be a second method of that name.
pub const WAITER_MEMBERS: &[&str] = &["max_wait", "poll_interval", "phase_of", "read", "send"];

/// The `Client` method of waiter `name`.
pub fn client_method(name: &str) -> String {
    format!("wait_until_{}", crate::naming::method_name(name))
}
