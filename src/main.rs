use std::process::ExitCode;

fn main() -> ExitCode {
    lloom_monctl::cli::run().into()
}
