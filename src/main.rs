//! The `usher` binary: parse the command line, run it, and turn failure into one line.

use clap::Parser;
use clap::error::ErrorKind;
use std::process::ExitCode;
use usher::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => {
            // clap explains over several lines; keep the explanation, drop usage and tips.
            let rendered = e.to_string();
            let explanation: Vec<&str> = rendered
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("tip:"))
                .filter(|l| !l.is_empty())
                .collect();
            let line = explanation.join(" ");
            eprintln!(
                "usher: {} (see usher --help)",
                line.trim_start_matches("error: ")
            );
            return ExitCode::from(2);
        }
    };
    // `USHER_LOG` sets the filter; without it, warnings (a screen file that does not load, a
    // camera lost, sync trouble) still reach stderr. No log line carries a secret or contact
    // detail at any level (tests/logs.rs); colours only on a terminal, so logs grep cleanly.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("USHER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(cli, &mut std::io::stdout().lock()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            let message = format!("{e:#}").replace('\n', " ");
            eprintln!("usher: error: {message}");
            ExitCode::from(2)
        }
    }
}
