//! The server's settings: one struct read from the settings file
//! (`/etc/usher-server/usher-server.toml` or `--config FILE`), then environment variables
//! (`USHER_DB`, ...), then flags, each layer over the one before (flags win). Every field is
//! documented once, in `usher-server.example.toml` beside the crate (a test checks it).

use crate::listener::Limits;
use crate::setup::{self, Config};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the settings file is read from when `--config` is not given (a missing file there
/// is no error: the defaults, environment and flags apply).
pub const DEFAULT_FILE: &str = "/etc/usher-server/usher-server.toml";

// Ranges of the numeric settings (flags, environment and file alike).
const RETENTION_DAYS_MIN: i64 = 1;
const RETENTION_DAYS_MAX: i64 = 3650;
const STAY_MINUTES_MIN: i64 = 1;
const STAY_MINUTES_MAX: i64 = 1440;
const FORM_PER_MINUTE_MIN: i64 = 1;
const FORM_PER_MINUTE_MAX: i64 = 10000;
const LOGIN_PER_MINUTE_MIN: i64 = 1;
const LOGIN_PER_MINUTE_MAX: i64 = 10000;
const MAX_CONNECTIONS_MIN: i64 = 1;
const MAX_CONNECTIONS_MAX: i64 = 100000;
const HEADER_TIMEOUT_MIN: i64 = 1;
const HEADER_TIMEOUT_MAX: i64 = 10;
const REQUEST_TIMEOUT_MIN: i64 = 1;
const REQUEST_TIMEOUT_MAX: i64 = 600;
const MAX_STAY_MINUTES_MIN: i64 = 1;
const MAX_STAY_MINUTES_MAX: i64 = 10_080;
const LEASE_MINUTES_MIN: i64 = 1;
const LEASE_MINUTES_MAX: i64 = 10_080;
const LARGEST_PARTY_MIN: i64 = 1;
const LARGEST_PARTY_MAX: i64 = 20;

/// Every setting of the server, each `None` until some layer sets it. One field serves the
/// file (its key is the field's name), the environment (`USHER_` and the name in capitals) and
/// the flag (`--` and the name with dashes). To add one: a field here, its line in
/// [`ServerSettings::over`], its use in [`ServerSettings::config`] (or where it is read), and its
/// documented key in `usher-server.example.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Database: sqlite:PATH or postgres://USER:PASS@HOST/DB (default: sqlite file in the data dir)
    #[arg(long, global = true, env = "USHER_DB", value_name = "URL")]
    pub db: Option<String>,
    /// Data directory: keys, logo.png, default database (default: usher-data)
    #[arg(long, global = true, env = "USHER_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on (default: 127.0.0.1:8080)
    #[arg(long, global = true, env = "USHER_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// URL kiosks reach this server at (goes into enrolment codes; default https://ADDR: kiosks
    /// refuse http:// to another computer, as their token would travel in clear)
    #[arg(long, global = true, env = "USHER_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Venue name shown on the pages (default: Usher)
    #[arg(long, global = true, env = "USHER_VENUE", value_name = "NAME")]
    pub venue: Option<String>,
    /// Days sign-ins are kept (default: 21)
    #[arg(long, global = true, env = "USHER_RETENTION_DAYS", value_name = "DAYS",
          value_parser = clap::value_parser!(i64).range(RETENTION_DAYS_MIN..=RETENTION_DAYS_MAX))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, RETENTION_DAYS_MIN, RETENTION_DAYS_MAX, _>"
    )]
    pub retention_days: Option<i64>,
    /// Default stay length for "who was here", minutes (default: 60)
    #[arg(long, global = true, env = "USHER_STAY_MINUTES", value_name = "MINUTES",
          value_parser = clap::value_parser!(i64).range(STAY_MINUTES_MIN..=STAY_MINUTES_MAX))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, STAY_MINUTES_MIN, STAY_MINUTES_MAX, _>"
    )]
    pub stay_minutes: Option<i64>,
    /// Visitor form submissions allowed per address per minute (default: 10)
    #[arg(long, global = true, env = "USHER_FORM_PER_MINUTE", value_name = "N",
          value_parser = clap::value_parser!(u32).range(FORM_PER_MINUTE_MIN..=FORM_PER_MINUTE_MAX))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, FORM_PER_MINUTE_MIN, FORM_PER_MINUTE_MAX, _>"
    )]
    pub form_per_minute: Option<u32>,
    /// Login attempts (admin pages and the old API) allowed per address per minute (default: 5)
    #[arg(long, global = true, env = "USHER_LOGIN_PER_MINUTE", value_name = "N",
          value_parser = clap::value_parser!(u32).range(LOGIN_PER_MINUTE_MIN..=LOGIN_PER_MINUTE_MAX))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, LOGIN_PER_MINUTE_MIN, LOGIN_PER_MINUTE_MAX, _>"
    )]
    pub login_per_minute: Option<u32>,
    /// Behind a reverse proxy: take client addresses (for rate limits) from the right-most
    /// X-Forwarded-For entry, the one the proxy appended (default: false)
    #[arg(long, global = true, env = "USHER_TRUST_FORWARDED_FOR", value_name = "BOOL",
          num_args = 0..=1, default_missing_value = "true")]
    pub trust_forwarded_for: Option<bool>,
    /// Connections served at once; more are answered 503 (keep below the open-file limit;
    /// default: 512)
    #[arg(long, global = true, env = "USHER_MAX_CONNECTIONS", value_name = "N",
          value_parser = clap::value_parser!(u32).range(MAX_CONNECTIONS_MIN..=MAX_CONNECTIONS_MAX))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, MAX_CONNECTIONS_MIN, MAX_CONNECTIONS_MAX, _>"
    )]
    pub max_connections: Option<u32>,
    /// Seconds a client has to send a request header (at most 10; default: 10)
    #[arg(long, global = true, env = "USHER_HEADER_TIMEOUT", value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(HEADER_TIMEOUT_MIN as u64..=HEADER_TIMEOUT_MAX as u64))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, HEADER_TIMEOUT_MIN, HEADER_TIMEOUT_MAX, _>"
    )]
    pub header_timeout: Option<u64>,
    /// Seconds from a request's header to its response, body read and handling (default: 30)
    #[arg(long, global = true, env = "USHER_REQUEST_TIMEOUT", value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(REQUEST_TIMEOUT_MIN as u64..=REQUEST_TIMEOUT_MAX as u64))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, REQUEST_TIMEOUT_MIN, REQUEST_TIMEOUT_MAX, _>"
    )]
    pub request_timeout: Option<u64>,
    /// An entrance of the venue, with its capacity if it has one (repeat for each entrance;
    /// in the file a list: entrance = ["main=120", "hall"])
    #[arg(long, global = true, env = "USHER_ENTRANCE", value_name = "NAME[=CAPACITY]",
          value_delimiter = ',', value_parser = crate::presence::parse_entrance_flag)]
    #[serde(default, deserialize_with = "entrances")]
    pub entrance: Option<Vec<(usher_core::Entrance, Option<u32>)>>,
    /// The venue's capacity (heads inside at once, over every entrance)
    #[arg(long, global = true, env = "USHER_CAPACITY", value_name = "N")]
    pub capacity: Option<u32>,
    /// Only sign-ins this recent count as inside when no exit is known, minutes (default: 720)
    #[arg(long, global = true, env = "USHER_MAX_STAY_MINUTES", value_name = "MINUTES",
          value_parser = clap::value_parser!(i64).range(MAX_STAY_MINUTES_MIN..=MAX_STAY_MINUTES_MAX))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, MAX_STAY_MINUTES_MIN, MAX_STAY_MINUTES_MAX, _>"
    )]
    pub max_stay_minutes: Option<i64>,
    /// How long a kiosk's place lease lasts without a new presence fetch, minutes (default: 240)
    #[arg(long, global = true, env = "USHER_LEASE_MINUTES", value_name = "MINUTES",
          value_parser = clap::value_parser!(i64).range(LEASE_MINUTES_MIN..=LEASE_MINUTES_MAX))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, LEASE_MINUTES_MIN, LEASE_MINUTES_MAX, _>"
    )]
    pub lease_minutes: Option<i64>,
    /// The largest party one pass from the visitor form may admit (default: 6)
    #[arg(long, global = true, env = "USHER_LARGEST_PARTY", value_name = "N",
          value_parser = clap::value_parser!(i64).range(LARGEST_PARTY_MIN..=LARGEST_PARTY_MAX))]
    #[serde(
        default,
        deserialize_with = "ranged::<_, LARGEST_PARTY_MIN, LARGEST_PARTY_MAX, _>"
    )]
    pub largest_party: Option<i64>,
    /// The entrances the old app's `morf` M and F name, M's then F's (old API at /api/v1.0/;
    /// default: brothers,sisters)
    #[arg(long, global = true, env = "USHER_APP_ENTRANCES", value_name = "M,F",
          value_parser = parse_app_entrances)]
    #[serde(default, deserialize_with = "app_entrances")]
    pub app_entrances: Option<AppEntrances>,
}

/// `app_entrances`: the two entrance names the old app's `morf` M and F stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppEntrances(pub [String; 2]);

/// `M,F` (flag, environment and file alike): two entrance names.
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

/// The old app's entrances from the file, written as the flag is: `"brothers,sisters"`.
fn app_entrances<'de, D>(d: D) -> Result<Option<AppEntrances>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let s = String::deserialize(d)?;
    parse_app_entrances(&s)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// Entrances from the file, written as the flag is: `["main=120", "hall"]`.
#[allow(clippy::type_complexity)]
fn entrances<'de, D>(d: D) -> Result<Option<Vec<(usher_core::Entrance, Option<u32>)>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let list = Vec::<String>::deserialize(d)?;
    list.iter()
        .map(|s| crate::presence::parse_entrance_flag(s).map_err(serde::de::Error::custom))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A number from the file, in `LO..=HI`.
fn ranged<'de, T, const LO: i64, const HI: i64, D>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Copy + TryInto<i64>,
{
    let v = T::deserialize(d)?;
    match v.try_into() {
        Ok(n) if (LO..=HI).contains(&n) => Ok(Some(v)),
        _ => Err(serde::de::Error::custom(format!(
            "must be a whole number from {LO} to {HI}"
        ))),
    }
}

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not valid: bad TOML, an unknown key or a bad value.
    #[error("{path}:{line}: {key}: {message}")]
    File {
        /// The file.
        path: String,
        /// The line (from 1).
        line: usize,
        /// The key, as written on that line (or `-` when the line has none).
        key: String,
        /// What is wrong.
        message: String,
    },
}

impl ServerSettings {
    /// Parses the text of a settings file named `path` (for messages).
    pub fn parse(text: &str, path: &str) -> Result<Self, SettingsError> {
        toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start).min(text.len());
            let line = text[..at].matches('\n').count() + 1;
            let this = text.lines().nth(line - 1).unwrap_or("");
            let key = this
                .split_once('=')
                .map(|(k, _)| k.trim().trim_matches('"').to_string())
                .filter(|k| !k.is_empty() && !k.starts_with('#'))
                .unwrap_or_else(|| "-".into());
            SettingsError::File {
                path: path.into(),
                line,
                key,
                message: e.message().trim().replace('\n', " "),
            }
        })
    }

    /// Reads a settings file.
    pub fn read(path: &Path) -> Result<Self, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The file layer: `explicit` (`--config`) must exist; without it [`DEFAULT_FILE`] is read
    /// when it exists.
    pub fn file_layer(explicit: Option<&Path>) -> Result<Self, SettingsError> {
        match explicit {
            Some(p) => Self::read(p),
            None if Path::new(DEFAULT_FILE).exists() => Self::read(Path::new(DEFAULT_FILE)),
            None => Ok(Self::default()),
        }
    }

    /// These settings over `lower`: each field set here wins.
    #[must_use]
    pub fn over(self, lower: Self) -> Self {
        macro_rules! over {
            ($($f:ident),* $(,)?) => { ServerSettings { $($f: self.$f.or(lower.$f)),* } };
        }
        over!(
            db,
            data_dir,
            listen,
            public_url,
            venue,
            retention_days,
            stay_minutes,
            form_per_minute,
            login_per_minute,
            trust_forwarded_for,
            max_connections,
            header_timeout,
            request_timeout,
            entrance,
            capacity,
            max_stay_minutes,
            lease_minutes,
            largest_party,
            app_entrances,
        )
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("usher-data"))
    }

    /// The database URL.
    pub fn db_url(&self) -> String {
        self.db
            .clone()
            .unwrap_or_else(|| setup::default_db_url(&self.data_dir()))
    }

    /// The address to listen on.
    pub fn listen(&self) -> SocketAddr {
        self.listen
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)))
    }

    /// The URL kiosks reach the server at.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("https://{}", self.listen()))
    }

    /// The socket limits.
    pub fn limits(&self) -> Limits {
        Limits {
            max_connections: usize::try_from(self.max_connections.unwrap_or(512)).unwrap_or(512),
            header_timeout: Duration::from_secs(self.header_timeout.unwrap_or(10)),
            request_timeout: Duration::from_secs(self.request_timeout.unwrap_or(30)),
        }
    }

    /// The handlers' configuration; an error names a bad combination of entrances and
    /// capacity.
    pub fn config(&self) -> Result<Config, String> {
        let mut config = Config::new(self.data_dir());
        config.public_url = self.public_url();
        config.secure_cookies = config.public_url.starts_with("https://");
        if let Some(v) = &self.venue {
            config.venue_name.clone_from(v);
        }
        if let Some(v) = self.retention_days {
            config.retention_days = v;
        }
        if let Some(v) = self.stay_minutes {
            config.stay_minutes = v;
        }
        if let Some(v) = self.form_per_minute {
            config.form_per_minute = v;
        }
        if let Some(v) = self.login_per_minute {
            config.login_per_minute = v;
        }
        config.trust_forwarded_for = self.trust_forwarded_for.unwrap_or(false);
        config.door = crate::presence::DoorSettings::from_flags(
            self.entrance.as_deref().unwrap_or_default(),
            self.capacity,
        )?;
        if let Some(v) = self.max_stay_minutes {
            config.door.max_stay_minutes = v;
        }
        if let Some(v) = self.lease_minutes {
            config.door.lease_minutes = v;
        }
        if let Some(v) = self.largest_party {
            config.largest_party = u64::try_from(v)
                .ok()
                .and_then(usher_core::stay::PartySize::new)
                .ok_or("largest_party must be 1 to 20")?;
        }
        if let Some(AppEntrances(v)) = &self.app_entrances {
            config.app_entrances.clone_from(v);
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_names_file_line_and_key() {
        let e = ServerSettings::parse("venue = \"Hall\"\n\nretention_dayz = 3\n", "x.toml")
            .expect_err("unknown key");
        let text = e.to_string();
        assert!(
            text.starts_with("x.toml:3: retention_dayz: unknown field"),
            "{text}"
        );
    }

    #[test]
    fn a_value_out_of_range_names_its_line_and_range() {
        let e = ServerSettings::parse("# c\nheader_timeout = 60\n", "s.toml").expect_err("range");
        assert_eq!(
            e.to_string(),
            "s.toml:2: header_timeout: must be a whole number from 1 to 10"
        );
        let e = ServerSettings::parse("listen = \"nowhere\"\n", "s.toml").expect_err("addr");
        assert!(e.to_string().starts_with("s.toml:1: listen: "), "{e}");
    }

    #[test]
    fn the_old_apis_entrances_and_the_login_limit_reach_the_config() {
        let s = ServerSettings::parse(
            "app_entrances = \"men, women\"\nlogin_per_minute = 7\n",
            "f",
        )
        .expect("ok");
        let c = s.config().expect("config");
        assert_eq!(c.app_entrances, ["men".to_string(), "women".to_string()]);
        assert_eq!(c.login_per_minute, 7);
        let d = ServerSettings::default().config().expect("config");
        assert_eq!(
            d.app_entrances,
            ["brothers".to_string(), "sisters".to_string()]
        );
        assert_eq!(d.login_per_minute, 5);
        let e = ServerSettings::parse("\napp_entrances = \"men\"\n", "s.toml").expect_err("one");
        assert!(
            e.to_string()
                .starts_with("s.toml:2: app_entrances: give two entrance names"),
            "{e}"
        );
        let e = ServerSettings::parse("login_per_minute = 0\n", "s.toml").expect_err("zero");
        assert_eq!(
            e.to_string(),
            "s.toml:1: login_per_minute: must be a whole number from 1 to 10000"
        );
    }

    #[test]
    fn upper_layers_win_field_by_field() {
        let file = ServerSettings::parse("venue = \"File\"\nstay_minutes = 5\n", "f").expect("ok");
        let flags = ServerSettings {
            venue: Some("Flag".into()),
            ..ServerSettings::default()
        };
        let s = flags.over(file);
        assert_eq!(s.venue.as_deref(), Some("Flag"));
        assert_eq!(s.stay_minutes, Some(5));
        assert_eq!(s.config().expect("config").stay_minutes, 5);
        assert_eq!(s.config().expect("config").retention_days, 21);
    }
}
