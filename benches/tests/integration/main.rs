//! pulsemap-bench's integration tests, one binary: the benchmark's child commands.

mod export_child;
mod paint;
mod probe;
