//! Run a child process and measure its wall time and peak RSS.
//!
//! Peak RSS is read from the child's own `/proc/<pid>/status` (VmHWM) while it runs,
//! not from `wait4`'s rusage: a forked child's high-water mark also counts the pages it
//! shared with the benchmark process before `exec`, which inflates it.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// Each benchmark uses the fields it needs.
#[allow(dead_code)]
pub struct ChildRun {
    pub wall: Duration,
    pub peak_rss_kb: u64,
    pub stdout_bytes: usize,
    pub success: bool,
}

fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub fn run(bin: &Path, dir: &Path, args: &[&str]) -> ChildRun {
    let t = Instant::now();
    let mut child = Command::new(bin)
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id();
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut n = 0usize;
        let mut buf = vec![0u8; 1 << 16];
        while let Ok(k) = stdout.read(&mut buf) {
            if k == 0 {
                break;
            }
            n += k;
        }
        n
    });
    let mut peak = 0;
    let status = loop {
        if let Some(h) = vm_hwm(pid) {
            peak = peak.max(h);
        }
        match child.try_wait().expect("wait") {
            Some(s) => break s,
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    };
    let wall = t.elapsed();
    ChildRun {
        wall,
        peak_rss_kb: peak,
        stdout_bytes: reader.join().unwrap_or(0),
        success: status.success(),
    }
}
