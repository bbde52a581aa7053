//! The `hds` binary: a thin face over the library.

fn main() -> std::process::ExitCode {
    hds::cli::main()
}
