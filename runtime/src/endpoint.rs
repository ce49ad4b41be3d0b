//! Where a service lives: `https://{service}.{region}.myhuaweicloud.com` on Huawei Cloud (with the
//! region files' exceptions) and `https://{service}.{region}.otc.t-systems.com` on Open Telekom
//! Cloud. Any other URL (a proxy, a local server) is given as is.

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

    /// The base URL of `service` in this region.
    pub fn endpoint(&self, service: &Service) -> String {
        format!(
            "https://{}.{}.{}",
            service.host_label(),
            self.id,
            self.domain(service.host_label())
        )
    }

    /// The base URL of IAM in this region, where tokens are obtained.
    pub fn iam_url(&self) -> String {
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
            assert_eq!(Region::huawei(region).endpoint(&service), endpoint);
        }
    }

    #[test]
    fn open_telekom_cloud_hosts() {
        assert_eq!(
            Region::otc("eu-de").endpoint(&MRS),
            "https://mrs.eu-de.otc.t-systems.com"
        );
        assert_eq!(
            Region::otc("eu-nl").endpoint(&DLI),
            "https://dli.eu-nl.otc.t-systems.com"
        );
        assert_eq!(
            Region::otc("eu-de").iam_url(),
            "https://iam.eu-de.otc.t-systems.com"
        );
        assert_eq!(
            Region::huawei("cn-north-4").iam_url(),
            "https://iam.cn-north-4.myhuaweicloud.com"
        );
    }
}
