//! Per-host politeness: a concurrency cap, a minimum interval between requests to one
//! host, and Retry-After pauses. Shared by every request the Fetcher makes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

pub(crate) struct HostLimiter {
    per_host: usize,
    min_interval: Duration,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
}

struct HostState {
    slots: Arc<Semaphore>,
    /// Earliest instant the next request to this host may start.
    next_start: Mutex<Instant>,
}

/// Held while a request to the host is in flight.
pub(crate) struct HostPermit {
    _permit: OwnedSemaphorePermit,
}

impl HostLimiter {
    pub(crate) fn new(per_host: usize, min_interval: Duration) -> Self {
        HostLimiter {
            per_host: per_host.max(1),
            min_interval,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn state(&self, host: &str) -> Arc<HostState> {
        // The std mutex is only held for the map lookup, never across an await.
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(host.to_ascii_lowercase())
            .or_insert_with(|| {
                Arc::new(HostState {
                    slots: Arc::new(Semaphore::new(self.per_host)),
                    next_start: Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// Wait for a free slot and for the host's interval, then reserve the next start.
    /// If the host asked us (Retry-After) to stay away longer than `max_wait`, give up
    /// at once with the remaining pause instead of holding the run hostage.
    pub(crate) async fn acquire(
        &self,
        host: &str,
        max_wait: Duration,
    ) -> Result<HostPermit, Duration> {
        let state = self.state(host);
        let permit = match state.slots.clone().acquire_owned().await {
            Ok(p) => p,
            // The semaphore is never closed; if it were, going on unthrottled is safer
            // than failing every request.
            Err(_) => Arc::new(Semaphore::new(1))
                .acquire_owned()
                .await
                .expect("fresh semaphore"),
        };
        loop {
            let wait = {
                let mut next = state.next_start.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                if now >= *next {
                    *next = now + self.min_interval;
                    None
                } else {
                    Some(*next - now)
                }
            };
            match wait {
                None => break,
                Some(d) if d > max_wait => return Err(d),
                Some(d) => tokio::time::sleep(d).await,
            }
        }
        Ok(HostPermit { _permit: permit })
    }

    /// The host asked us to stay away (429/503 Retry-After): no request starts before then.
    pub(crate) fn pause(&self, host: &str, delay: Duration) {
        let state = self.state(host);
        let mut next = state.next_start.lock().unwrap_or_else(|e| e.into_inner());
        let until = Instant::now() + delay;
        if until > *next {
            *next = until;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: Duration = Duration::from_secs(3600);

    #[tokio::test(start_paused = true)]
    async fn a_pause_longer_than_the_caller_will_wait_fails_fast() {
        let lim = HostLimiter::new(2, Duration::ZERO);
        lim.pause("a.example", Duration::from_secs(600));
        let t = Instant::now();
        let r = lim.acquire("a.example", Duration::from_secs(60)).await;
        assert!(matches!(r, Err(d) if d > Duration::from_secs(590)));
        assert!(t.elapsed() < Duration::from_millis(10));
    }

    #[tokio::test(start_paused = true)]
    async fn spaces_requests_to_one_host_and_honours_pauses() {
        let lim = HostLimiter::new(4, Duration::from_secs(1));
        let t0 = Instant::now();
        drop(lim.acquire("a.example", MAX).await.unwrap());
        drop(lim.acquire("a.example", MAX).await.unwrap());
        assert!(t0.elapsed() >= Duration::from_secs(1));
        // Another host is not delayed.
        let t1 = Instant::now();
        drop(lim.acquire("b.example", MAX).await.unwrap());
        assert!(t1.elapsed() < Duration::from_millis(10));
        lim.pause("b.example", Duration::from_secs(30));
        let t2 = Instant::now();
        drop(lim.acquire("b.example", MAX).await.unwrap());
        assert!(t2.elapsed() >= Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn caps_concurrency_per_host() {
        let lim = Arc::new(HostLimiter::new(1, Duration::ZERO));
        let held = lim.acquire("a.example", MAX).await.unwrap();
        let lim2 = lim.clone();
        let waiter = tokio::spawn(async move { lim2.acquire("a.example", MAX).await.unwrap() });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished());
        drop(held);
        let _ = waiter.await.unwrap();
    }
}
