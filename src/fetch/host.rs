//! Per-host politeness: a concurrency cap and each host's `pace::Pacer` (the gap between
//! requests, adapted to the host's answers, floored, Retry-After pauses). Shared by
//! every request the Fetcher makes; the decisions are the Pacer's, the waiting is here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::pace::{Outcome, PaceSettings, Pacer};

pub(crate) struct HostLimiter {
    per_host: usize,
    pace: PaceSettings,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
}

struct HostState {
    slots: Arc<Semaphore>,
    pacer: Mutex<Pacer>,
    /// Woken when the host answers: the answer can bring the next turn forward.
    answered: Notify,
}

/// Held while a request to the host is in flight.
pub(crate) struct HostPermit {
    _permit: OwnedSemaphorePermit,
    state: Arc<HostState>,
}

impl Drop for HostPermit {
    /// The request is over: the pacer counts it out, and a request waiting for an
    /// answer looks again.
    fn drop(&mut self) {
        self.state.pacer().finish();
        self.state.answered.notify_waiters();
    }
}

impl HostLimiter {
    pub(crate) fn new(per_host: usize, pace: PaceSettings) -> Self {
        HostLimiter {
            per_host: per_host.max(1),
            pace,
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
                    pacer: Mutex::new(Pacer::new(self.pace)),
                    answered: Notify::new(),
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
            // Made before looking, so an answer that lands in between still wakes us.
            let answered = state.answered.notified();
            let wait = state.pacer().try_start(Instant::now());
            match wait {
                Ok(()) => break,
                Err(d) if d > max_wait => return Err(d),
                Err(d) => {
                    tokio::select! {
                        _ = tokio::time::sleep(d) => {}
                        _ = answered => {}
                    }
                }
            }
        }
        Ok(HostPermit {
            _permit: permit,
            state,
        })
    }

    /// The host asked us to stay away (429/503 Retry-After): no request starts before then.
    pub(crate) fn pause(&self, host: &str, delay: Duration) {
        self.state(host).pacer().pause(Instant::now(), delay);
    }

    /// What became of a request to the host: the pacer adapts the gap.
    pub(crate) fn observe(&self, host: &str, outcome: Outcome) {
        let state = self.state(host);
        state.pacer().observe(Instant::now(), outcome);
        state.answered.notify_waiters();
    }

    /// The host's own floor (robots.txt `Crawl-delay`).
    pub(crate) fn set_floor(&self, host: &str, floor: Duration) {
        self.state(host).pacer().set_host_floor(floor);
    }
}

impl HostState {
    /// The std mutex is held for one decision, never across an await.
    fn pacer(&self) -> std::sync::MutexGuard<'_, Pacer> {
        self.pacer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: Duration = Duration::from_secs(3600);

    #[tokio::test(start_paused = true)]
    async fn a_pause_longer_than_the_caller_will_wait_fails_fast() {
        let lim = HostLimiter::new(2, PaceSettings::fixed(Duration::ZERO));
        lim.pause("a.example", Duration::from_secs(600));
        let t = Instant::now();
        let r = lim.acquire("a.example", Duration::from_secs(60)).await;
        assert!(matches!(r, Err(d) if d > Duration::from_secs(590)));
        assert!(t.elapsed() < Duration::from_millis(10));
    }

    #[tokio::test(start_paused = true)]
    async fn spaces_requests_to_one_host_and_honours_pauses() {
        let lim = HostLimiter::new(4, PaceSettings::fixed(Duration::from_secs(1)));
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

    /// Until a host has answered, the next request waits for that answer (at most the
    /// old 1 s gap); the answer wakes it at once, so a fast host is not held back.
    #[tokio::test(start_paused = true)]
    async fn the_first_answer_releases_the_next_request() {
        let lim = Arc::new(HostLimiter::new(
            2,
            PaceSettings {
                floor: Duration::ZERO,
                target_concurrency: 1.0,
                adaptive: true,
            },
        ));
        let probe = lim.acquire("a.example", MAX).await.unwrap();
        let lim2 = lim.clone();
        let t0 = Instant::now();
        let waiter = tokio::spawn(async move {
            let p = lim2.acquire("a.example", MAX).await.unwrap();
            (Instant::now(), p)
        });
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert!(!waiter.is_finished(), "no answer yet: it waits");
        lim.observe(
            "a.example",
            Outcome::Response {
                status: 200,
                latency: Duration::from_millis(30),
            },
        );
        drop(probe);
        let (started, _p) = waiter.await.unwrap();
        assert_eq!(started - t0, Duration::from_millis(30));
    }

    #[tokio::test(start_paused = true)]
    async fn caps_concurrency_per_host() {
        let lim = Arc::new(HostLimiter::new(1, PaceSettings::fixed(Duration::ZERO)));
        let held = lim.acquire("a.example", MAX).await.unwrap();
        let lim2 = lim.clone();
        let waiter = tokio::spawn(async move { lim2.acquire("a.example", MAX).await.unwrap() });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished());
        drop(held);
        let _ = waiter.await.unwrap();
    }
}
