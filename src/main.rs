//! The `credlint` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    credlint::cli::main()
}
