//! The `hds` binary: a thin face over the library.

/// Evaluation allocates and frees many small values (script maps, strings, the
/// decision); mimalloc serves them with far fewer instructions than the system
/// allocator, on every thread, without contention.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    hds::cli::main()
}
