//! How long to leave between requests to one host, decided from the host's own answers
//! (in the spirit of Scrapy's AutoThrottle): the gap is the observed response time
//! divided by a target concurrency, smoothed, never below the configured floor (or the
//! host's `Crawl-delay`), and it grows on 429/503/timeouts. Pure: every decision takes
//! the current instant as an argument, so tests drive the clock by hand.

use std::time::Duration;

use tokio::time::Instant;

/// While `target_concurrency` requests are unanswered (the first one to a new host
/// among them), the next waits for an answer, but no longer than this after the last
/// start: the fixed gap feedbrief used before pacing adapted, so a slow host, or one
/// not yet heard from, is no harder hit than it was.
pub(crate) const START_GAP: Duration = Duration::from_secs(1);
/// A host that is struggling (429, 503, timeouts) gets at least this gap, doubling
/// with each further sign of trouble.
pub(crate) const BACKOFF_MIN: Duration = Duration::from_secs(1);
/// After trouble, this many good answers in a row before the gap may drop below
/// `BACKOFF_MIN` again: a host that just said no is not hit harder than the old fixed
/// gap hit it until it has shown it copes.
pub(crate) const RECOVERY_ANSWERS: u32 = 10;
/// The gap never grows past this (Scrapy's AUTOTHROTTLE_MAX_DELAY): longer and the
/// run would give up on the host anyway (`MAX_POLITE_WAIT`).
pub(crate) const MAX_GAP: Duration = Duration::from_secs(60);

/// What the pacing follows; from `Settings`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PaceSettings {
    /// Never less than this between two request starts to one host.
    pub(crate) floor: Duration,
    /// Requests the host should be handling at once on average: gap = latency / this.
    pub(crate) target_concurrency: f64,
    /// Off: the gap is always `floor` (the fixed gap of old); Retry-After still pauses.
    pub(crate) adaptive: bool,
}

impl PaceSettings {
    /// A fixed gap, as before pacing adapted.
    #[cfg(test)]
    pub(crate) fn fixed(gap: Duration) -> Self {
        PaceSettings {
            floor: gap,
            target_concurrency: 1.0,
            adaptive: false,
        }
    }
}

/// What became of one request, as the pacer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Response headers arrived `latency` after the request was sent.
    Response { status: u16, latency: Duration },
    /// No answer within the timeout.
    Timeout,
    /// The connection failed (refused, reset): the host may be down or overloaded.
    Failed,
}

/// Statuses that say the server is overloaded or rate-limiting, not that one page is bad.
fn is_overload(status: u16) -> bool {
    matches!(status, 408 | 429 | 502 | 503 | 504)
}

/// One host's pacing state.
#[derive(Debug, Clone)]
pub(crate) struct Pacer {
    settings: PaceSettings,
    /// The host's own floor (robots.txt `Crawl-delay`), if it set one.
    host_floor: Duration,
    /// The adaptive gap; None until the host has answered once.
    gap: Option<Duration>,
    /// When the last request started.
    last_start: Option<Instant>,
    /// No request starts before this (Retry-After, or a backoff after trouble).
    paused_until: Option<Instant>,
    /// Good answers since the last trouble; None if there was none.
    calm: Option<u32>,
    /// Requests started and not yet finished.
    in_flight: usize,
}

impl Pacer {
    pub(crate) fn new(settings: PaceSettings) -> Self {
        Pacer {
            settings,
            host_floor: Duration::ZERO,
            gap: None,
            last_start: None,
            paused_until: None,
            calm: None,
            in_flight: 0,
        }
    }

    /// The configured floor or the host's Crawl-delay, whichever is longer.
    pub(crate) fn floor(&self) -> Duration {
        self.settings.floor.max(self.host_floor)
    }

    /// The host asked (robots.txt `Crawl-delay`) for at least `floor` between requests.
    pub(crate) fn set_host_floor(&mut self, floor: Duration) {
        self.host_floor = floor;
    }

    /// The gap the next request keeps from the last one's start.
    pub(crate) fn gap(&self) -> Duration {
        if !self.settings.adaptive {
            return self.settings.floor.max(self.host_floor);
        }
        match self.gap {
            Some(g) => g.min(MAX_GAP).max(self.floor()),
            None => START_GAP.max(self.floor()),
        }
    }

    /// Requests allowed in flight before the next one waits for an answer.
    fn slots(&self) -> usize {
        (self.settings.target_concurrency.floor() as usize).max(1)
    }

    /// The earliest instant the next request may start, if any bound applies. While
    /// `target_concurrency` requests are unanswered, the next one waits for an answer
    /// (which calls `finish`), but no longer than the old fixed gap: a gap learned from
    /// a quick robots.txt or 304 must not send page requests piling onto a slow host
    /// before it has answered the first.
    pub(crate) fn next_start(&self) -> Option<Instant> {
        let busy = self.settings.adaptive && self.in_flight >= self.slots();
        let gap = if busy {
            self.gap().max(START_GAP)
        } else {
            self.gap()
        };
        let by_gap = self.last_start.map(|t| t + gap);
        by_gap.max(self.paused_until)
    }

    /// A request started with `try_start` is over (answered, failed or dropped).
    pub(crate) fn finish(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// Start a request at `now` if its turn has come (reserving the turn), else say how
    /// long to wait. A waiter should also look again when the host answers
    /// (`observe`), which can bring the next turn forward.
    pub(crate) fn try_start(&mut self, now: Instant) -> Result<(), Duration> {
        match self.next_start() {
            Some(t) if t > now => Err(t - now),
            _ => {
                self.last_start = Some(now);
                self.in_flight += 1;
                Ok(())
            }
        }
    }

    /// The host asked us to stay away (Retry-After) for `delay` from `now`.
    pub(crate) fn pause(&mut self, now: Instant, delay: Duration) {
        let until = now + delay;
        if self.paused_until.is_none_or(|p| until > p) {
            self.paused_until = Some(until);
        }
    }

    /// Learn from one request's outcome.
    pub(crate) fn observe(&mut self, now: Instant, outcome: Outcome) {
        if !self.settings.adaptive {
            return;
        }
        match outcome {
            Outcome::Response { status, .. } if is_overload(status) => self.back_off(now),
            Outcome::Timeout | Outcome::Failed => self.back_off(now),
            Outcome::Response { status, latency } => {
                let target = latency.div_f64(self.settings.target_concurrency.max(0.01));
                let next = match self.gap {
                    // The first answer sets the pace directly.
                    None => target,
                    // Scrapy's rule: halfway from the old gap to the target, but never
                    // below the target, so a slower answer slows us down at once and
                    // a faster one speeds us up gradually.
                    Some(old) => target.max((old + target) / 2),
                };
                let recovering = self.calm.is_some_and(|n| n < RECOVERY_ANSWERS);
                let least = if recovering {
                    BACKOFF_MIN.max(self.floor())
                } else {
                    self.floor()
                };
                let next = next.min(MAX_GAP).max(least);
                // Error pages and 304s are small and quick; letting them shrink the
                // gap would speed us up exactly when the host is saying no.
                if let Some(old) = self.gap
                    && !(200..300).contains(&status)
                    && next < old
                {
                    return;
                }
                self.gap = Some(next);
                if (200..300).contains(&status) {
                    self.calm = self.calm.map(|n| n.saturating_add(1));
                }
            }
        }
    }

    /// The host is struggling: double the gap (at least `BACKOFF_MIN`) and keep away
    /// for that long from now, not just from the last start.
    fn back_off(&mut self, now: Instant) {
        let old = self.gap.unwrap_or(Duration::ZERO);
        let next = (old * 2).max(BACKOFF_MIN).min(MAX_GAP).max(self.floor());
        self.gap = Some(next);
        self.calm = Some(0);
        self.pause(now, next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn adaptive(floor: Duration) -> Pacer {
        Pacer::new(PaceSettings {
            floor,
            target_concurrency: 1.0,
            adaptive: true,
        })
    }

    fn ok(latency: Duration) -> Outcome {
        Outcome::Response {
            status: 200,
            latency,
        }
    }

    /// Start one request at `now` and answer it after `latency`; returns when it ended.
    fn request(p: &mut Pacer, now: Instant, latency: Duration) -> Instant {
        p.try_start(now).expect("its turn");
        let end = now + latency;
        p.observe(end, ok(latency));
        p.finish();
        end
    }

    #[test]
    fn the_first_answer_sets_the_pace_until_then_the_old_fixed_gap_holds() {
        let t0 = Instant::now();
        let mut p = adaptive(Duration::ZERO);
        p.try_start(t0).unwrap();
        // A second request while the first is unanswered waits the old 1 s gap.
        assert_eq!(p.try_start(t0 + 10 * MS), Err(START_GAP - 10 * MS));
        p.observe(t0 + 20 * MS, ok(20 * MS));
        p.finish();
        assert_eq!(p.gap(), 20 * MS);
        assert!(p.try_start(t0 + 20 * MS).is_ok());
    }

    #[test]
    fn while_a_request_is_unanswered_the_next_waits_for_it_whatever_the_gap() {
        let t0 = Instant::now();
        let mut p = adaptive(Duration::ZERO);
        // A quick robots.txt teaches a 2 ms gap ...
        let t = request(&mut p, t0, 2 * MS);
        // ... then a page takes long to answer: the next request waits for it, up
        // to the old fixed gap, not the 2 ms.
        p.try_start(t).unwrap();
        assert_eq!(p.try_start(t + 5 * MS), Err(START_GAP - 5 * MS));
        p.observe(t + 400 * MS, ok(400 * MS));
        p.finish();
        assert!(p.try_start(t + 400 * MS).is_ok());
        assert_eq!(p.gap(), 400 * MS);
        // With a target of two, two may be unanswered at once.
        let mut q = Pacer::new(PaceSettings {
            floor: Duration::ZERO,
            target_concurrency: 2.0,
            adaptive: true,
        });
        let t = request(&mut q, t0, 2 * MS);
        q.try_start(t).unwrap();
        assert!(q.try_start(t + MS).is_ok());
        assert!(q.try_start(t + 2 * MS).is_err());
    }

    #[test]
    fn slower_answers_slow_the_pace_at_once() {
        let t0 = Instant::now();
        let mut p = adaptive(Duration::ZERO);
        let mut t = t0;
        for _ in 0..5 {
            t = request(&mut p, t, 50 * MS);
        }
        assert_eq!(p.gap(), 50 * MS);
        t = request(&mut p, t, 800 * MS);
        assert_eq!(
            p.gap(),
            800 * MS,
            "the latency rose; the gap follows it at once"
        );
        // The next start keeps the new gap from the last one.
        let last = t - 800 * MS;
        assert_eq!(p.next_start(), Some(last + 800 * MS));
    }

    #[test]
    fn a_429_pauses_the_host_and_doubles_the_gap() {
        let t0 = Instant::now();
        let mut p = adaptive(Duration::ZERO);
        let t = request(&mut p, t0, 10 * MS);
        p.try_start(t).unwrap();
        let answered = t + 5 * MS;
        p.observe(
            answered,
            Outcome::Response {
                status: 429,
                latency: 5 * MS,
            },
        );
        p.finish();
        assert_eq!(p.gap(), BACKOFF_MIN);
        assert_eq!(p.try_start(answered), Err(BACKOFF_MIN));
        // Retry-After on top holds for as long as it says.
        p.pause(answered, Duration::from_secs(30));
        assert_eq!(p.try_start(answered), Err(Duration::from_secs(30)));
        // More trouble: the gap doubles.
        let later = answered + Duration::from_secs(30);
        p.try_start(later).unwrap();
        p.observe(later + 30 * MS, Outcome::Timeout);
        assert_eq!(p.gap(), 2 * BACKOFF_MIN);
    }

    #[test]
    fn after_trouble_the_pace_recovers_but_never_past_the_target() {
        let t0 = Instant::now();
        let mut p = adaptive(Duration::ZERO);
        let mut t = request(&mut p, t0, 40 * MS);
        p.try_start(t).unwrap();
        p.observe(t, Outcome::Failed);
        p.finish();
        assert_eq!(p.gap(), BACKOFF_MIN);
        let mut gaps = vec![p.gap()];
        for _ in 0..30 {
            t = p.next_start().expect("a bound after trouble").max(t);
            t = request(&mut p, t, 40 * MS);
            gaps.push(p.gap());
        }
        assert!(gaps.windows(2).all(|w| w[1] <= w[0]), "{gaps:?}");
        assert!(gaps.iter().all(|g| *g >= 40 * MS), "{gaps:?}");
        // Until it has answered well a while, no harder than the old fixed gap.
        let probation = RECOVERY_ANSWERS as usize;
        assert!(
            gaps[..probation].iter().all(|g| *g >= BACKOFF_MIN),
            "{gaps:?}"
        );
        assert!(
            gaps[probation + 1] < BACKOFF_MIN,
            "then it speeds up: {gaps:?}"
        );
        assert!(*gaps.last().unwrap() < 41 * MS, "to the target: {gaps:?}");
    }

    #[test]
    fn error_pages_and_304s_never_speed_the_pace_up() {
        let t0 = Instant::now();
        let mut p = adaptive(Duration::ZERO);
        let t = request(&mut p, t0, 300 * MS);
        p.try_start(t).unwrap();
        p.observe(
            t + MS,
            Outcome::Response {
                status: 404,
                latency: MS,
            },
        );
        assert_eq!(p.gap(), 300 * MS);
    }

    #[test]
    fn the_floor_and_crawl_delay_hold_whatever_the_host_answers() {
        let t0 = Instant::now();
        let mut p = adaptive(200 * MS);
        let t = request(&mut p, t0, MS);
        assert_eq!(p.gap(), 200 * MS);
        p.set_host_floor(Duration::from_secs(5));
        assert_eq!(p.gap(), Duration::from_secs(5));
        assert_eq!(p.try_start(t), Err(Duration::from_secs(5) - MS));
        // With a higher target concurrency the gap is latency / target, still floored.
        let mut q = Pacer::new(PaceSettings {
            floor: Duration::ZERO,
            target_concurrency: 4.0,
            adaptive: true,
        });
        request(&mut q, t0, 400 * MS);
        assert_eq!(q.gap(), 100 * MS);
    }

    #[test]
    fn switched_off_it_is_the_old_fixed_gap() {
        let t0 = Instant::now();
        let mut p = Pacer::new(PaceSettings::fixed(Duration::from_secs(1)));
        let t = request(&mut p, t0, MS);
        p.observe(t, Outcome::Timeout);
        assert_eq!(p.gap(), Duration::from_secs(1));
        assert_eq!(p.try_start(t), Err(Duration::from_secs(1) - MS));
        p.pause(t, Duration::from_secs(9));
        assert_eq!(p.try_start(t), Err(Duration::from_secs(9)));
    }
}
