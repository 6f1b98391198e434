//! Due feeds and next-check math (TTL, Cache-Control, Expires, Retry-After, backoff).
