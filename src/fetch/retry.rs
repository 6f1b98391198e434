//! What is worth asking again, and after how long. The Fetcher's own host pauses and
//! the llm summarizer's retries both follow these rules, so HTTP behaviour has one
//! owner. Like lychee's `retry.rs`: 4xx other than 408 and 429 is final.

use std::time::Duration;

use crate::error::Error;

/// Attempts per model request: the first call plus two retries.
pub(crate) const MAX_API_ATTEMPTS: u32 = 3;
/// Longest Retry-After a request is willing to sleep through inside one run.
pub(crate) const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);
/// Pause before retrying a 5xx that gave no Retry-After.
pub(crate) const SERVER_ERROR_PAUSE: Duration = Duration::from_millis(500);
/// Pause before retrying a 429 that gave no Retry-After (a model endpoint).
pub(crate) const API_429_PAUSE: Duration = Duration::from_secs(1);
/// Rest given to a host (for every request to it) that answered 429 without saying
/// how long.
pub(crate) const HOST_429_PAUSE: Duration = Duration::from_secs(30);

/// Statuses that may succeed if asked again: timeouts, rate limits and the server
/// errors that mean "not now" rather than "never".
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Whether a failed fetch may work on a later run (the pipeline's page retries): server
/// trouble (any 5xx), rate limiting (429, a host that asked for a pause), timeouts and
/// connection errors. A 404, 410 or a refused address will not change by asking again.
/// Broader than `is_retryable_status`, which decides an immediate retry within a run.
pub(crate) fn is_transient(e: &Error) -> bool {
    match e {
        Error::HttpStatus { status, .. } => *status >= 500 || *status == 429 || *status == 408,
        Error::Timeout { .. }
        | Error::HostPaused { .. }
        | Error::Network { .. }
        | Error::RobotsUnavailable { .. } => true,
        _ => false,
    }
}

/// How long a whole host should rest after answering `status`, if at all: a 429 or
/// 503 with Retry-After for as long as it says; a bare 429 for `HOST_429_PAUSE`.
pub(crate) fn host_pause(status: u16, retry_after: Option<Duration>) -> Option<Duration> {
    match (status, retry_after) {
        (429 | 503, Some(d)) => Some(d),
        (429, None) => Some(HOST_429_PAUSE),
        _ => None,
    }
}

/// Whether to ask a JSON API again after attempt number `attempt` (1-based) answered
/// `status`, and after how long. None when the status is final, the attempts are
/// used up, or the wait asked for is longer than `max_wait` (or `MAX_RETRY_WAIT`).
pub(crate) fn api_retry(
    status: u16,
    retry_after: Option<Duration>,
    attempt: u32,
    max_wait: Duration,
) -> Option<Duration> {
    if !is_retryable_status(status) || attempt >= MAX_API_ATTEMPTS {
        return None;
    }
    let wait = match (status, retry_after) {
        (_, Some(d)) => d,
        (429, None) => API_429_PAUSE,
        _ => SERVER_ERROR_PAUSE,
    };
    (wait <= MAX_RETRY_WAIT.min(max_wait)).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Duration = Duration::from_secs(120);

    #[test]
    fn only_timeouts_rate_limits_and_transient_server_errors_are_retryable() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [200, 301, 304, 400, 401, 403, 404, 410, 422, 501, 505] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn api_retries_wait_as_asked_and_stop_after_the_last_attempt() {
        assert_eq!(api_retry(429, None, 1, LONG), Some(API_429_PAUSE));
        assert_eq!(api_retry(502, None, 1, LONG), Some(SERVER_ERROR_PAUSE));
        assert_eq!(
            api_retry(503, Some(Duration::from_secs(2)), 2, LONG),
            Some(Duration::from_secs(2))
        );
        assert_eq!(api_retry(500, None, MAX_API_ATTEMPTS, LONG), None);
        assert_eq!(api_retry(400, None, 1, LONG), None);
        assert_eq!(api_retry(401, None, 1, LONG), None);
    }

    #[test]
    fn a_wait_longer_than_the_run_allows_is_not_slept_through() {
        assert_eq!(api_retry(429, Some(Duration::from_secs(31)), 1, LONG), None);
        // The request timeout bounds the wait too.
        assert_eq!(
            api_retry(429, Some(Duration::from_secs(5)), 1, Duration::from_secs(4)),
            None
        );
    }

    #[test]
    fn server_trouble_and_timeouts_are_transient_missing_pages_are_not() {
        let status = |s| Error::HttpStatus {
            url: "https://a.example/p".into(),
            status: s,
            retry_after: None,
        };
        for s in [500, 502, 503, 504, 429, 408] {
            assert!(is_transient(&status(s)), "{s}");
        }
        for s in [400, 401, 403, 404, 410, 451] {
            assert!(!is_transient(&status(s)), "{s}");
        }
        let url = "https://a.example/p".to_string();
        assert!(is_transient(&Error::Timeout {
            url: url.clone(),
            seconds: 30
        }));
        assert!(is_transient(&Error::Network {
            url: url.clone(),
            message: "connection refused".into(),
            source: None
        }));
        assert!(!is_transient(&Error::TooLarge { url, limit: 1 }));
    }

    #[test]
    fn hosts_rest_after_rate_limits_only() {
        let ra = Some(Duration::from_secs(90));
        assert_eq!(host_pause(429, ra), ra);
        assert_eq!(host_pause(503, ra), ra);
        assert_eq!(host_pause(429, None), Some(HOST_429_PAUSE));
        assert_eq!(host_pause(503, None), None);
        assert_eq!(host_pause(500, ra), None);
        assert_eq!(host_pause(404, None), None);
    }
}
