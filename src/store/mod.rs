//! The only SQL: open (WAL, migrations by `user_version`), feeds, items, articles,
//! summaries, disclosures, the llm summary cache and full-text search.
