//! The raw listener: a local HTTP/1.1 server that keeps the bytes a client put on the wire.

/// One request as it arrived on the socket, before any URL parsing: what a client really sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    /// `POST /v2/p/clusters/c/job-executions/j/kill HTTP/1.1`
    pub line: String,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A local HTTP/1.1 listener that records each request's raw request line, headers and body and
/// answers every one with `status` and `body`. wiremock parses (and so normalises) URLs; this
/// shows the bytes a client put on the wire.
pub struct RawListener {
    pub url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<RawRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RawListener {
    pub async fn start(status: u16, body: &'static str) -> RawListener {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let mut data = Vec::new();
                    let mut buffer = [0u8; 4096];
                    let head_end = loop {
                        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                            break at;
                        }
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => data.extend_from_slice(&buffer[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
                    let mut lines = head.split("\r\n");
                    let line = lines.next().unwrap_or_default().to_owned();
                    let headers: Vec<(String, String)> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let length: usize = headers
                        .iter()
                        .find(|(n, _)| n == "content-length")
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0);
                    let mut received = data[head_end + 4..].to_vec();
                    while received.len() < length {
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => received.extend_from_slice(&buffer[..n]),
                        }
                    }
                    log.lock().expect("log").push(RawRequest {
                        line,
                        headers,
                        body: received,
                    });
                    let reply = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                });
            }
        });
        RawListener {
            url,
            received,
            task,
        }
    }

    /// Every request received so far, and forgets them.
    pub fn take(&self) -> Vec<RawRequest> {
        std::mem::take(&mut *self.received.lock().expect("log"))
    }
}

impl Drop for RawListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}
