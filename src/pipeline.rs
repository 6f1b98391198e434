//! The only wiring of stages and the only concurrent stage.
