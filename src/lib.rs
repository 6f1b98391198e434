//! feedbrief: feeds -> polite fetch -> parse -> extract -> summarize -> disclose -> SQLite,
//! and digests, queries and exports from the store. ARCHITECTURE.md maps the flow and the modules.

// `pub` is for the surface the binary, tests, examples and fuzz target use; everything
// else is `pub(crate)` so dead code shows (ARCHITECTURE.md, "What is public").
#![warn(unreachable_pub)]

pub mod cli;
pub mod cluster;
pub mod config;
pub(crate) mod demo;
pub mod disclose;
pub mod error;
pub mod export;
pub mod extract;
pub mod feed;
pub mod fetch;
pub mod model;
pub mod opml;
pub mod pipeline;
pub(crate) mod scheduler;
pub mod store;
pub mod summarize;
pub(crate) mod text;
pub mod util;

pub use error::{Error, Result};
