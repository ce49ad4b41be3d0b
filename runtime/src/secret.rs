//! A value that must never be shown: credentials, and the request body fields a spec marks
//! `format: password` (codegen hands every such field to progenitor as this type).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroize;

/// What [`Secret`]'s `Debug` and `Display` print instead of the value.
pub const REDACTED: &str = "<redacted>";

/// A secret value: shown as `<redacted>` by `Debug` and `Display`, readable only through
/// [`Secret::expose`], serialised as the plain string it holds (it has to reach the service),
/// and wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself: for signing, for the header that carries it, and for the request
    /// body that sends it; nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_nowhere_but_sent_as_is() {
        let secret = Secret::from("Mrs@Cluster2026!");
        for shown in [
            format!("{secret:?}"),
            format!("{secret}"),
            format!("{:?}", Some(secret.clone())),
            format!("{:#?}", vec![secret.clone()]),
        ] {
            assert!(!shown.contains("Mrs@"), "{shown}");
            assert!(shown.contains(REDACTED), "{shown}");
        }
        assert_eq!(
            serde_json::to_string(&secret).unwrap(),
            "\"Mrs@Cluster2026!\""
        );
        let back: Secret = serde_json::from_str("\"Mrs@Cluster2026!\"").unwrap();
        assert_eq!(back.expose(), "Mrs@Cluster2026!");
    }
}
