//! `usher-server`: serve the visitor form, kiosk API and admin pages, or `init` a data
//! directory (keys, schema, first admin and its one-time recovery code).

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use usher_server::clock::{Clock, SystemClock};
use usher_server::listener::{self, Limits};
use usher_server::setup::{self, Config, ServerKeys};
use usher_server::store::{Store, redact_url};
use usher_server::{AppState, retention, router};

/// Usher's server: visitor passes, kiosk sync, admin pages.
#[derive(Debug, Parser)]
#[command(name = "usher-server", version)]
struct Cli {
    /// Database: sqlite:PATH or postgres://USER:PASS@HOST/DB (default: sqlite file in the data dir)
    #[arg(long, global = true, value_name = "URL")]
    db: Option<String>,
    /// Data directory: keys, logo.png, default database
    #[arg(long, global = true, value_name = "DIR", default_value = "usher-data")]
    data_dir: PathBuf,
    /// Address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// URL kiosks reach this server at (goes into enrolment codes; default https://ADDR: kiosks
    /// refuse http:// to another computer, as their token would travel in clear)
    #[arg(long, global = true, value_name = "URL")]
    public_url: Option<String>,
    /// Venue name shown on the pages
    #[arg(long, value_name = "NAME")]
    venue: Option<String>,
    /// Days sign-ins are kept
    #[arg(long, value_name = "DAYS", default_value_t = 21, value_parser = clap::value_parser!(i64).range(1..=3650))]
    retention_days: i64,
    /// Default stay length for "who was here", minutes
    #[arg(long, value_name = "MINUTES", default_value_t = 60, value_parser = clap::value_parser!(i64).range(1..=1440))]
    stay_minutes: i64,
    /// Visitor form submissions allowed per address per minute
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10000))]
    form_per_minute: u32,
    /// Login attempts (admin pages and the old API) allowed per address per minute
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10000))]
    login_per_minute: u32,
    /// Behind a reverse proxy: take client addresses (for rate limits) from the right-most
    /// X-Forwarded-For entry, the one the proxy appended
    #[arg(long)]
    trust_forwarded_for: bool,
    /// Connections served at once; more are answered 503 (keep below the open-file limit)
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    max_connections: u32,
    /// Seconds a client has to send a request header
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10))]
    header_timeout: u64,
    /// Seconds from a request's header to its response (body read and handling)
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    request_timeout: u64,
    /// An entrance of the venue, with its capacity if it has one (repeat for each entrance)
    #[arg(long = "entrance", value_name = "NAME[=CAPACITY]", value_parser = usher_server::presence::parse_entrance_flag)]
    entrances: Vec<(usher_core::Entrance, Option<u32>)>,
    /// The venue's capacity (heads inside at once, over every entrance)
    #[arg(long, value_name = "N")]
    capacity: Option<u32>,
    /// Only sign-ins this recent count as inside when no exit is known, minutes
    #[arg(long, value_name = "MINUTES", default_value_t = 720, value_parser = clap::value_parser!(i64).range(1..=10080))]
    max_stay_minutes: i64,
    /// How long a kiosk's place lease lasts without a new presence fetch, minutes
    #[arg(long, value_name = "MINUTES", default_value_t = 240, value_parser = clap::value_parser!(i64).range(1..=10080))]
    lease_minutes: i64,
    /// The entrances the old app's `morf` M and F name (old API at /api/v1.0/)
    #[arg(long, value_name = "M,F", default_value = "brothers,sisters", value_parser = parse_app_entrances)]
    app_entrances: AppEntrances,
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
    let db_url = cli
        .db
        .clone()
        .unwrap_or_else(|| setup::default_db_url(&cli.data_dir));
    let public_url = cli
        .public_url
        .clone()
        .unwrap_or_else(|| format!("https://{}", cli.listen));
    match cli.command {
        Some(Command::Init { name, email }) => {
            setup::create_data_dir(&cli.data_dir)?;
            let store = Store::connect(&db_url)
                .await
                .with_context(|| format!("cannot open database {}", redact_url(&db_url)))?;
            let out = setup::init(&store, &cli.data_dir, &name, &email, &SystemClock).await?;
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
                cli.data_dir.join(setup::PUBLIC_KEY_FILE).display()
            );
            Ok(())
        }
        None => {
            if !cli.data_dir.join(setup::PRIVATE_KEY_FILE).exists() {
                bail!(
                    "no keys in {}: run `usher-server --data-dir {} init --name NAME --email EMAIL` first",
                    cli.data_dir.display(),
                    cli.data_dir.display()
                );
            }
            let keys = ServerKeys::load(&cli.data_dir)?;
            let store = Store::connect(&db_url)
                .await
                .with_context(|| format!("cannot open database {}", redact_url(&db_url)))?;
            let mut config = Config::new(cli.data_dir.clone());
            config.secure_cookies = public_url.starts_with("https://");
            config.public_url = public_url;
            if let Some(v) = cli.venue {
                config.venue_name = v;
            }
            config.retention_days = cli.retention_days;
            config.stay_minutes = cli.stay_minutes;
            config.form_per_minute = cli.form_per_minute;
            config.login_per_minute = cli.login_per_minute;
            config.trust_forwarded_for = cli.trust_forwarded_for;
            config.door =
                usher_server::presence::DoorSettings::from_flags(&cli.entrances, cli.capacity)
                    .map_err(anyhow::Error::msg)?;
            config.door.max_stay_minutes = cli.max_stay_minutes;
            config.door.lease_minutes = cli.lease_minutes;
            config.app_entrances = cli.app_entrances.0.clone();
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let state = AppState::new(store.clone(), keys, config, clock);
            let purge = retention::spawn(state.clone());
            let listener = tokio::net::TcpListener::bind(cli.listen)
                .await
                .with_context(|| format!("cannot listen on {}", cli.listen))?;
            tracing::info!(addr = %cli.listen, db = %redact_url(&db_url), "usher-server listening");
            let limits = Limits {
                max_connections: usize::try_from(cli.max_connections).unwrap_or(512),
                header_timeout: Duration::from_secs(cli.header_timeout),
                request_timeout: Duration::from_secs(cli.request_timeout),
            };
            listener::serve(listener, router(state), limits, shutdown())
                .await
                .context("server failed")?;
            purge.abort();
            store.close().await;
            Ok(())
        }
    }
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

/// `--app-entrances M,F`: two entrance names.
#[derive(Debug, Clone)]
struct AppEntrances([String; 2]);

fn parse_app_entrances(s: &str) -> Result<AppEntrances, String> {
    let entrance = |n: &str| -> Result<String, String> {
        n.trim()
            .parse::<usher_core::Entrance>()
            .map(|e| e.as_str().to_owned())
            .map_err(|e| e.to_string())
    };
    match s.split_once(',') {
        Some((m, f)) => Ok(AppEntrances([entrance(m)?, entrance(f)?])),
        None => Err("give two entrance names, M's then F's: brothers,sisters".into()),
    }
}
