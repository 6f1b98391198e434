//! Digest query + renderers writing into `impl Write`.
