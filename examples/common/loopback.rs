//! The benchmarks' loopback HTTP side: reading one request head off a keep-alive
//! connection, and the RSS feed every benchmark feed serves.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;

/// What the benchmark servers need of a request head.
pub struct RequestHead {
    pub target: String,
    pub hostname: String,
    pub port: u16,
    pub if_none_match: bool,
}

/// The next request head on the connection; `None` once the client closes it.
pub fn read_head(reader: &mut BufReader<TcpStream>) -> Option<RequestHead> {
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return None;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut host = String::new();
    let mut if_none_match = false;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let lower = h.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("host:") {
            host = v.trim().to_string();
        }
        if lower.starts_with("if-none-match:") {
            if_none_match = true;
        }
    }
    let (hostname, port) = host
        .rsplit_once(':')
        .map(|(h, p)| (h.to_string(), p.parse().unwrap_or(80)))
        .unwrap_or((host.clone(), 80));
    Some(RequestHead {
        target,
        hostname,
        port,
        if_none_match,
    })
}

/// Feed `n` on `host:port`: `items` dated items linking to `/page/{n}/{i}`.
pub fn feed_xml(host: &str, port: u16, n: usize, items: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {n}</title><link>http://{host}:{port}/</link><description>d</description>"
    );
    for i in 0..items {
        s.push_str(&format!(
            "<item><title>Story {i} of feed {n}</title><link>http://{host}:{port}/page/{n}/{i}</link><guid>f{n}-i{i}</guid><pubDate>Sat, 28 Nov 2026 0{i}:00:00 GMT</pubDate><description>Short excerpt of story {i} from feed {n}, about the economy and the weather.</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}
