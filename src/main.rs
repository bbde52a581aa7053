//! The `hds` binary: a thin face over the library.

/// Evaluation allocates and frees many small values (script maps, strings, the
/// decision); mimalloc serves them with far fewer instructions than the system
/// allocator, on every thread, without contention. Counting what each thread holds
/// lets the sandbox bound a rule call's memory.
#[global_allocator]
static ALLOCATOR: hds::script::memory::Counting<mimalloc::MiMalloc> =
    hds::script::memory::Counting(mimalloc::MiMalloc);

fn main() -> std::process::ExitCode {
    hds::cli::main()
}
