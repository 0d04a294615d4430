//! Command-line arguments of `pulsemap`.
//!
//! Contract: secrets are never accepted as plain arguments — only from stdin
//! (`--token-stdin`, `--client-secret-stdin`) or the environment (`PULSEMAP_TOKEN`,
//! `PULSEMAP_CLIENT_SECRET`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use pulsemap_core::metrics::{Better, ComparisonSpec, DateField, DateRange};
use pulsemap_core::SurveyId;

/// Pulsemap: live Qualtrics survey metrics from the command line.
#[derive(Debug, Parser)]
#[command(name = "pulsemap", version, about)]
pub struct Cli {
    /// Where the local cache lives (default: the platform data dir, e.g. $XDG_DATA_HOME/pulsemap).
    #[arg(long, global = true, env = "PULSEMAP_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Developer switch: allow loopback `http://` Qualtrics hosts (the simulator).
    #[arg(long, global = true)]
    pub dev_allow_loopback: bool,
    /// Keychain service name secrets are filed under.
    #[arg(
        long,
        global = true,
        env = "PULSEMAP_KEYRING_SERVICE",
        default_value = "pulsemap"
    )]
    pub keyring_service: String,
    /// Print machine-readable JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and save a Qualtrics connection (the secret goes to the OS keychain).
    Connect(ConnectArgs),
    /// Show the connection status (re-validates against Qualtrics); exits non-zero unless
    /// connected (see the exit codes).
    Status,
    /// Delete the saved connection and its keychain entry.
    Disconnect,
    /// List the surveys visible to the connection (fetched from Qualtrics; fails when that
    /// fails).
    Surveys(SurveysArgs),
    /// Refresh cached responses (all cached surveys when none is given).
    Refresh(RefreshArgs),
    /// Compute a metric from the cache.
    Metric(Box<MetricArgs>),
    /// Write a support debug bundle (zip) for one survey.
    DebugExport(DebugExportArgs),
    /// Saved response filters of a survey (for `metric --filter saved:ID`).
    Filters(FiltersArgs),
    /// Values of an embedded data field with their n (for `metric --filter field:...`).
    FieldValues(FieldValuesArgs),
    /// Journey maps: list, show, export, import, duplicate, templates; set a card's settings.
    Map(crate::map::MapArgs),
    /// Show, set or clear the support address the app's "Contact support" mails (no default:
    /// the user or their organisation sets it).
    SupportAddress(SupportAddressArgs),
    /// Show the disk taken by each survey's cached responses, or clear one survey's.
    Cache(CacheArgs),
}

/// `cache` arguments.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do (lists the cache sizes when omitted).
    #[command(subcommand)]
    pub action: Option<CacheAction>,
}

/// `cache` actions.
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Delete a survey's cached responses (the next refresh fetches them all again).
    Clear {
        /// The survey id (`SV_...`).
        survey: SurveyId,
    },
}

/// `support-address` arguments.
#[derive(Debug, Args)]
pub struct SupportAddressArgs {
    /// What to do (shows the address when omitted).
    #[command(subcommand)]
    pub action: Option<SupportAddressAction>,
}

/// `support-address` actions.
#[derive(Debug, Subcommand)]
pub enum SupportAddressAction {
    /// Save the support address, e.g. `help@your-org.com`.
    Set {
        /// The address.
        address: String,
    },
    /// Remove the support address.
    Clear,
}

/// `connect` arguments.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// Datacenter host, e.g. iad1.qualtrics.com.
    #[arg(long)]
    pub base_url: String,
    /// Read the API token from stdin (or set PULSEMAP_TOKEN).
    #[arg(long, conflicts_with_all = ["oauth_client_id", "client_secret_stdin"])]
    pub token_stdin: bool,
    /// Use OAuth client credentials with this client id.
    #[arg(long, requires = "client_secret_stdin")]
    pub oauth_client_id: Option<String>,
    /// Read the OAuth client secret from stdin (or set PULSEMAP_CLIENT_SECRET).
    #[arg(long)]
    pub client_secret_stdin: bool,
}

/// `surveys` arguments.
#[derive(Debug, Args)]
pub struct SurveysArgs {
    /// Print the cached list without asking Qualtrics (offline).
    #[arg(long)]
    pub cached: bool,
}

/// `refresh` arguments.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Survey ids (SV_...).
    pub surveys: Vec<SurveyId>,
    /// Refresh now, re-reading every response (edits made in Qualtrics show).
    #[arg(long)]
    pub force: bool,
    /// Refresh now, incrementally (only responses recorded since the last refresh; cheap,
    /// but edits to existing responses wait for the next full sync).
    #[arg(long, conflicts_with_all = ["force", "full"])]
    pub incremental: bool,
    /// Re-download everything instead of an incremental update.
    #[arg(long)]
    pub full: bool,
}

/// Card type.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CardTypeArg {
    /// One number.
    Number,
    /// A series over time.
    Series,
    /// A comparison between groups.
    Comparison,
}

/// `metric` arguments.
#[derive(Debug, Args)]
pub struct MetricArgs {
    /// Survey id (`SV_` followed by letters and digits).
    #[arg(long)]
    pub survey: SurveyId,
    /// Question id (QID...) or export tag; `QID6.2` picks row 2 of a matrix.
    #[arg(long)]
    pub question: String,
    /// Calculation: count, average, nps, csat, top2box, distribution, min, max, median, ...
    #[arg(long)]
    pub calc: String,
    /// Group by: question:QID, field:NAME or time:day|week|month|quarter|year.
    #[arg(long)]
    pub group_by: Option<String>,
    /// Card type.
    #[arg(long = "type", value_enum, default_value = "number")]
    pub card_type: CardTypeArg,
    /// Comparison cards: previous-range, year-earlier, target, previous:month|quarter|year
    /// (default previous:month) or GROUP_A,GROUP_B.
    #[arg(long, value_parser = crate::scope::parse_compare)]
    pub compare: Option<ComparisonSpec>,
    /// Date range: all, last:90d, this:month, previous:quarter or FROM..TO (ISO dates,
    /// inclusive); relative ranges follow today in --tz (default the system zone).
    #[arg(long, value_parser = crate::scope::parse_range, default_value = "all")]
    pub range: DateRange,
    /// Which date places a response in the range: recorded (default), end or start.
    #[arg(long, value_parser = crate::scope::parse_date_field, default_value = "recorded")]
    pub date_field: DateField,
    /// Segment filter, repeatable (all must pass): field:NAME=V1,V2, question:QID=C1,C2
    /// (QID6.1 for a matrix row; choices by id, recode or label) or saved:FILTER_ID.
    #[arg(long = "filter", value_parser = crate::scope::parse_filter)]
    pub filters: Vec<crate::scope::FilterArg>,
    /// Target value; status green/amber/red.
    #[arg(long, value_parser = crate::scope::parse_number)]
    pub target: Option<f64>,
    /// With --target: higher (default) or lower is better.
    #[arg(long, value_parser = crate::scope::parse_better, requires = "target")]
    pub better: Option<Better>,
    /// With --target: amber when the value misses by at most this (default 10% of |target|).
    #[arg(long, value_parser = crate::scope::parse_number, requires = "target")]
    pub amber: Option<f64>,
    /// Below this n the value is flagged low n (default 30).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub min_n: u32,
    /// Series cards: one line per group of question:QID or field:NAME (at most 8 lines).
    #[arg(long)]
    pub split_by: Option<String>,
    /// IANA time zone relative ranges resolve in (e.g. America/Los_Angeles).
    #[arg(long, value_parser = crate::scope::parse_tz)]
    pub tz: Option<String>,
}

/// `filters` arguments.
#[derive(Debug, Args)]
pub struct FiltersArgs {
    /// Survey id.
    pub survey: SurveyId,
    /// Print the cached list only (no network).
    #[arg(long, conflicts_with = "read")]
    pub cached: bool,
    /// Also read each filter's members now (a full filtered export per filter), so
    /// `metric --filter saved:ID` can use them; later refreshes keep them fresh.
    #[arg(long)]
    pub read: bool,
}

/// `field-values` arguments.
#[derive(Debug, Args)]
pub struct FieldValuesArgs {
    /// Survey id.
    #[arg(long)]
    pub survey: SurveyId,
    /// Embedded data field name (case-sensitive).
    #[arg(long)]
    pub field: String,
}

/// `debug-export` arguments.
#[derive(Debug, Args)]
pub struct DebugExportArgs {
    /// Survey id.
    pub survey: SurveyId,
    /// Destination zip file.
    #[arg(long)]
    pub out: PathBuf,
    /// Include personal data unredacted (explicit opt-out of redaction).
    #[arg(long)]
    pub no_redact: bool,
    /// Replace the file at --out if it exists (never allowed inside the data dir, nor onto
    /// something that is not a regular file).
    #[arg(long)]
    pub force: bool,
}
