//! `usher-server`: serve the visitor form, kiosk API and admin pages, or `init` a data
//! directory (keys, schema, first admin and its one-time recovery code).

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use usher_server::clock::{Clock, SystemClock};
use usher_server::listener;
use usher_server::settings::{self, ServerSettings};
use usher_server::setup::{self, ServerKeys};
use usher_server::store::{Store, redact_url};
use usher_server::{AppState, backup, retention, router};

/// Usher's server: visitor passes, kiosk sync, admin pages.
///
/// Settings come from the settings file, then USHER_* environment variables, then flags (flags
/// win); see usher-server.example.toml.
#[derive(Debug, Parser)]
#[command(name = "usher-server", version)]
struct Cli {
    /// Settings file (default: /etc/usher-server/usher-server.toml, when it exists)
    #[arg(long, global = true, env = "USHER_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    settings: ServerSettings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the schema, keys and the first admin; print a one-time recovery code
    Init {
        /// The admin's name
        #[arg(long)]
        name: String,
        /// The admin's login e-mail
        #[arg(long)]
        email: String,
    },
    /// Create whichever key files are missing in the data directory (never replaces one), and
    /// the schema: the server can then start; `init` makes the first admin
    Keys,
    /// Check the settings file (--config, or the default one): say what is wrong, with its line
    CheckConfig,
    /// Write the database and the key files to one archive (mode 0600), while the server runs
    Backup {
        /// The archive to write (replaced atomically if it exists)
        file: PathBuf,
    },
    /// Restore an archive from `backup` into an empty data directory and database
    Restore {
        /// The archive to read
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                print!("{e}");
                return ExitCode::SUCCESS;
            }
            let text = e.to_string();
            let line = text.lines().next().unwrap_or("bad arguments");
            eprintln!("usher-server: {}", line.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .thread_name("usher-server-worker")
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("usher-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("usher-server: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if matches!(cli.command, Some(Command::CheckConfig)) {
        return check_config(cli.config.as_deref());
    }
    let settings = cli
        .settings
        .over(ServerSettings::file_layer(cli.config.as_deref())?);
    let data_dir = settings.data_dir();
    let db_url = settings.db_url();
    let public_url = settings.public_url();
    match cli.command {
        Some(Command::CheckConfig) => Ok(()),
        Some(Command::Keys) => {
            ServerKeys::create_missing(&data_dir)?;
            let store = Store::connect(&db_url)
                .await
                .with_context(|| format!("cannot open database {}", redact_url(&db_url)))?;
            store.close().await;
            println!(
                "Keys and schema ready in {}; `usher-server init --name NAME --email EMAIL` makes the first admin.",
                data_dir.display()
            );
            Ok(())
        }
        Some(Command::Backup { file }) => {
            let store = Store::connect(&db_url)
                .await
                .with_context(|| format!("cannot open database {}", redact_url(&db_url)))?;
            let m = backup::backup(&store, &db_url, &data_dir, &file, SystemClock.now()).await;
            store.close().await;
            let m = m?;
            println!(
                "Backed up the {} database and {} to {} (mode 0600). Keep it as safe as the \
                 data directory: it holds contact.key.",
                m.backend,
                m.files.join(", "),
                file.display()
            );
            Ok(())
        }
        Some(Command::Restore { file }) => {
            let m = backup::restore(&file, &db_url, &data_dir).await?;
            println!(
                "Restored the {} database made {} by usher-server {} into {}, and {} into {}.",
                m.backend,
                usher_server::http::fmt_time(m.created_at),
                m.server_version,
                redact_url(&db_url),
                m.files.join(", "),
                data_dir.display()
            );
            Ok(())
        }
        Some(Command::Init { name, email }) => {
            setup::create_data_dir(&data_dir)?;
            let store = Store::connect(&db_url)
                .await
                .with_context(|| format!("cannot open database {}", redact_url(&db_url)))?;
            let out = setup::init(&store, &data_dir, &name, &email, &SystemClock).await?;
            store.close().await;
            if out.created {
                println!("Created admin {name} <{email}>.");
            } else {
                println!("Admin <{email}> exists: issued a new recovery code.");
            }
            println!(
                "One-time recovery code (valid 24 hours): {}",
                String::from_utf8_lossy(out.recovery_code.expose())
            );
            println!("Set the password at {public_url}/admin/recover");
            println!(
                "Organiser public key (for kiosks): {}",
                data_dir.join(setup::PUBLIC_KEY_FILE).display()
            );
            Ok(())
        }
        None => {
            if !data_dir.join(setup::PRIVATE_KEY_FILE).exists() {
                bail!(
                    "no keys in {}: run `usher-server --data-dir {} init --name NAME --email EMAIL` first",
                    data_dir.display(),
                    data_dir.display()
                );
            }
            let keys = ServerKeys::load(&data_dir)?;
            let store = Store::connect(&db_url)
                .await
                .with_context(|| format!("cannot open database {}", redact_url(&db_url)))?;
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let config = settings.config().map_err(anyhow::Error::msg)?;
            let state = AppState::new(store.clone(), keys, config, clock);
            let purge = retention::spawn(state.clone());
            let listen = settings.listen();
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            tracing::info!(addr = %listen, db = %redact_url(&db_url), "usher-server listening");
            listener::serve(listener, router(state), settings.limits(), shutdown())
                .await
                .context("server failed")?;
            purge.abort();
            store.close().await;
            Ok(())
        }
    }
}

/// `check-config`: the file named, or the default one, parsed as the server would.
fn check_config(explicit: Option<&Path>) -> anyhow::Result<()> {
    let path = explicit.unwrap_or(Path::new(settings::DEFAULT_FILE));
    if explicit.is_none() && !path.exists() {
        println!(
            "{}: no such file; the defaults, environment and flags apply",
            path.display()
        );
        return Ok(());
    }
    ServerSettings::read(path)?;
    println!("{}: ok", path.display());
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
