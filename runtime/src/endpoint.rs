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
        let at = |region: &str, service| Region::huawei(region).endpoint(service);
        assert_eq!(
            at("cn-north-4", &MRS),
            "https://mrs.cn-north-4.myhuaweicloud.com"
        );
        assert_eq!(
            at("ap-southeast-1", &MRS),
            "https://mrs.ap-southeast-1.myhuaweicloud.cn"
        );
        assert_eq!(
            at("ru-northwest-2", &MRS),
            "https://mrs.ru-northwest-2.myhuaweicloud.cn"
        );
        assert_eq!(
            at("ap-southeast-1", &DLI),
            "https://dli.ap-southeast-1.myhuaweicloud.com"
        );
        assert_eq!(
            at("eu-west-101", &DLI),
            "https://dli.eu-west-101.myhuaweicloud.eu"
        );
        assert_eq!(
            at("eu-west-101", &MRS),
            "https://mrs.eu-west-101.myhuaweicloud.eu"
        );
        assert_eq!(
            at("cn-southwest-2", &FABRIC),
            "https://fabric-ep.cn-southwest-2.myhuaweicloud.com"
        );
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
