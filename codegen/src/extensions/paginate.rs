//! `x-paginate`: a list operation's paging, turned into `.stream()` on its builder.

/// The extension's key on an operation.
pub const KEY: &str = "x-paginate";

/// What the emitter adds to the operation's builder.
pub const BUILDER_MEMBERS: &[&str] = &["stream"];
