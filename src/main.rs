//! Thin binary: parse the command line, set up logging, run, map errors to exit codes
//! (0 done, 1 unexpected error, 2 usage or configuration error, 3 database locked).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = feedbrief::cli::Args::parse();
    feedbrief::cli::init_logging(&args);
    match feedbrief::cli::run(args) {
        Ok(code) => code,
        Err(err) if feedbrief::cli::is_broken_pipe(&err) => {
            // The reader went away (`feedbrief export | head`): not an error.
            ExitCode::SUCCESS
        }
        Err(err) => {
            let code = feedbrief::cli::exit_code(&err);
            eprintln!("feedbrief: error: {}", feedbrief::cli::error_message(&err));
            ExitCode::from(code)
        }
    }
}
