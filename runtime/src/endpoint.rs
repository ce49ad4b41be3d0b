//! Where a service lives: `https://{service}.{region}.myhuaweicloud.com` on Huawei Cloud (with the
//! region files' exceptions) and `https://{service}.{region}.otc.t-systems.com` on Open Telekom
//! Cloud. Any other URL (a proxy, a local server) is given as is.
//!
//! A region id becomes part of a host name, and with IAM credentials the password is posted to
//! that host: an id is therefore checked to be one DNS label (`eu-de`, `cn-north-4`), so that a
//! region-built URL always ends in the cloud's domain, whatever a config file says.

use crate::error::ConfigError;

/// A service, by the first label of its host (`mrs`, `dli`, `fabric-ep`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    host_label: &'static str,
}

impl Service {
    pub const fn new(host_label: &'static str) -> Self {
        Service { host_label }
    }

    pub fn host_label(&self) -> &'static str {
        self.host_label
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    HuaweiCloud,
    OpenTelekomCloud,
}

/// A region of one cloud, e.g. `Region::huawei("cn-north-4")`, `Region::otc("eu-de")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub cloud: Cloud,
    pub id: String,
}

impl Region {
    pub fn huawei(id: impl Into<String>) -> Self {
        Region {
            cloud: Cloud::HuaweiCloud,
            id: id.into(),
        }
    }

    pub fn otc(id: impl Into<String>) -> Self {
        Region {
            cloud: Cloud::OpenTelekomCloud,
            id: id.into(),
        }
    }

    /// The base URL of `service` in this region; a region id that is not one DNS label is a
    /// [`ConfigError::InvalidRegion`].
    pub fn endpoint(&self, service: &Service) -> Result<String, ConfigError> {
        check_label(&self.id).map_err(|problem| ConfigError::InvalidRegion {
            id: quoted(&self.id),
            problem,
        })?;
        Ok(format!(
            "https://{}.{}.{}",
            service.host_label(),
            self.id,
            self.domain(service.host_label())
        ))
    }

    /// The base URL of IAM in this region, where tokens are obtained.
    pub fn iam_url(&self) -> Result<String, ConfigError> {
        self.endpoint(&Service::new("iam"))
    }

    fn domain(&self, service: &str) -> &'static str {
        match self.cloud {
            Cloud::OpenTelekomCloud => "otc.t-systems.com",
            Cloud::HuaweiCloud => match (service, self.id.as_str()) {
                (_, "eu-west-101") => "myhuaweicloud.eu",
                // MRS's region file puts these on .cn; DLI's keeps them on .com.
                ("mrs", "ap-southeast-1" | "ap-southeast-4" | "ru-northwest-2") => {
                    "myhuaweicloud.cn"
                }
                _ => "myhuaweicloud.com",
            },
        }
    }
}

/// Longest DNS label (RFC 1035).
const MAX_LABEL: usize = 63;

/// Why `id` is not one DNS label as the vendors write region ids: lower-case letters, digits and
/// inner hyphens, at most 63 characters.
fn check_label(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        return Err("it is empty");
    }
    if id.len() > MAX_LABEL {
        return Err("it is longer than a DNS label (63 characters)");
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("only lower-case letters, digits and `-` may stand in a region id");
    }
    if id.starts_with('-') || id.ends_with('-') {
        return Err("a region id neither starts nor ends with `-`");
    }
    Ok(())
}

/// The id as a message shows it: escaped, on one line, at most 80 characters.
fn quoted(id: &str) -> String {
    let mut shown: String = id.chars().take(80).flat_map(char::escape_debug).collect();
    if id.chars().count() > 80 {
        shown.push('…');
    }
    format!("\"{shown}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MRS: Service = Service::new("mrs");
    const DLI: Service = Service::new("dli");
    const FABRIC: Service = Service::new("fabric-ep");

    #[test]
    fn huawei_cloud_hosts_with_the_region_file_exceptions() {
        for (service, region, endpoint) in [
            (
                MRS,
                "cn-north-4",
                "https://mrs.cn-north-4.myhuaweicloud.com",
            ),
            (
                MRS,
                "ap-southeast-1",
                "https://mrs.ap-southeast-1.myhuaweicloud.cn",
            ),
            (
                MRS,
                "ru-northwest-2",
                "https://mrs.ru-northwest-2.myhuaweicloud.cn",
            ),
            (
                MRS,
                "eu-west-101",
                "https://mrs.eu-west-101.myhuaweicloud.eu",
            ),
            (
                DLI,
                "ap-southeast-1",
                "https://dli.ap-southeast-1.myhuaweicloud.com",
            ),
            (
                DLI,
                "eu-west-101",
                "https://dli.eu-west-101.myhuaweicloud.eu",
            ),
            (
                FABRIC,
                "cn-southwest-2",
                "https://fabric-ep.cn-southwest-2.myhuaweicloud.com",
            ),
        ] {
            assert_eq!(Region::huawei(region).endpoint(&service).unwrap(), endpoint);
        }
    }

    #[test]
    fn open_telekom_cloud_hosts() {
        assert_eq!(
            Region::otc("eu-de").endpoint(&MRS).unwrap(),
            "https://mrs.eu-de.otc.t-systems.com"
        );
        assert_eq!(
            Region::otc("eu-nl").endpoint(&DLI).unwrap(),
            "https://dli.eu-nl.otc.t-systems.com"
        );
        assert_eq!(
            Region::otc("eu-de").iam_url().unwrap(),
            "https://iam.eu-de.otc.t-systems.com"
        );
        assert_eq!(
            Region::huawei("cn-north-4").iam_url().unwrap(),
            "https://iam.cn-north-4.myhuaweicloud.com"
        );
    }

    /// Every id that would move a region-built URL off the cloud's domain is refused, on both
    /// clouds, for a service and for IAM; the vendors' own ids pass.
    #[test]
    fn region_ids_are_one_dns_label() {
        let hostile = [
            "",
            "evil.example/",
            "evil.example#",
            "evil.example?",
            "x@evil.example:443/",
            "eu-de.evil.example\\",
            "eu-de.evil.example",
            "eu-de/",
            "eu-de:8443",
            "eu de",
            "EU-DE",
            "-eu-de",
            "eu-de-",
            "eu-de\n",
            "eu-de\u{0}",
            "ëu-de",
            "eu-de%2f",
            &"a".repeat(64),
            &"x".repeat(10_000),
        ];
        for id in hostile {
            for region in [Region::otc(id), Region::huawei(id)] {
                for outcome in [region.endpoint(&DLI), region.iam_url()] {
                    let error = outcome.expect_err(id).to_string();
                    assert!(error.starts_with("region id \""), "{error}");
                    assert!(error.len() < 400, "{} bytes", error.len());
                    assert!(!error.contains('\n'), "{error}");
                }
            }
        }
        for id in [
            "eu-de",
            "eu-nl",
            "cn-north-4",
            "ap-southeast-1",
            "eu-west-101",
            "la-north-2",
        ] {
            for region in [Region::otc(id), Region::huawei(id)] {
                let url = region.endpoint(&MRS).unwrap();
                let host = reqwest::Url::parse(&url)
                    .unwrap()
                    .host_str()
                    .unwrap()
                    .to_owned();
                assert!(
                    host.ends_with(".otc.t-systems.com") || host.contains(".myhuaweicloud."),
                    "{host}"
                );
                assert!(host.starts_with(&format!("mrs.{id}.")), "{host}");
            }
        }
    }
}
