//! The TLS backend, chosen by this crate's features so that a consumer compiles one and can
//! pick another: `rustls` (the default: rustls with aws-lc-rs, reqwest's own choice, with
//! post-quantum key exchange), `rustls-ring` (rustls with ring: quicker to build, no
//! post-quantum key exchange) or `native-tls` (the platform's). reqwest does the TLS; this
//! module makes the choice usable and its absence clear.

/// Whether this build can reach an `https` URL.
pub const AVAILABLE: bool = cfg!(any(
    feature = "rustls",
    feature = "rustls-ring",
    feature = "native-tls"
));

/// What a call to an `https` URL without a backend is told to do.
pub const MISSING: &str = "this build has no TLS backend: enable one of cloud-runtime's features \
    `rustls`, `rustls-ring` or `native-tls` (a generated crate's default features include \
    `rustls`; with `default-features = false` name one)";

/// With `rustls-ring` alone, reqwest takes the process's rustls crypto provider and panics
/// building a client when there is none: ring's is installed here unless the application
/// installed one. [`crate::RuntimeBuilder::build`] calls this before building its client; an
/// application building `reqwest::Client`s of its own before any runtime calls it first.
/// Without `rustls-ring`, or with `rustls` too (whose provider reqwest then uses), it does
/// nothing.
pub fn install_provider() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // The opt-in this feature is for: ring's provider, which rustls deprecates only for
        // lacking post-quantum key exchange (the `rustls` feature has it).
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        // Another thread may install one between the check and here: theirs stays, as good.
        let _ = provider.install_default();
    }
}

/// Whether `url` can be sent with this build.
pub(crate) fn reachable(url: &reqwest::Url) -> bool {
    AVAILABLE || url.scheme() != "https"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_https_url_needs_a_backend_and_http_never_does() {
        let cases = [
            ("http://127.0.0.1:8080/v1/p/jobs", true),
            ("https://dli.eu-de.otc.t-systems.com/v1.0/p/jobs", AVAILABLE),
            ("HTTPS://DLI.EU-DE.OTC.T-SYSTEMS.COM/", AVAILABLE),
        ];
        for (url, expected) in cases {
            let url = reqwest::Url::parse(url).unwrap();
            assert_eq!(reachable(&url), expected, "{url}");
        }
    }

    /// Whatever backend the features chose (`.ci/run` runs this with the default and with
    /// `rustls-ring` alone, whose missing provider would make reqwest panic here).
    #[test]
    fn a_client_builds_with_the_chosen_backend() {
        install_provider();
        install_provider();
        reqwest::Client::builder()
            .build()
            .expect("a client with the chosen TLS backend");
    }
}
