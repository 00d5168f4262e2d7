//! The `hacalc` command: a thin layer over the library that reads files, picks the output
//! format and maps results to exit codes.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
