//! `cloudjobs`: every operation of every spec from the shell, signed by the runtime.
//!
//! `cloudjobs [--region ID] [--cloud huawei|otc] [--endpoint URL] [--project-id ID] [--timeout
//! DURATION] [--retries N] [--record DIR] <service> <operation> --flag value ...` (the program's
//! options are accepted anywhere on the line). The services and their commands are generated beside each
//! client (`generated/<crate>-cli`); this file only lists them and reads the program's own
//! flags. Exit codes: see `cloud_runtime::cli`.

use std::{future::Future, pin::Pin, process::ExitCode};

use clap::{Arg, ArgMatches, Command};
use cloud_runtime::{
    Credentials, Region, RetryPolicy, Runtime,
    cli::{self, Context, Exit, Failure, Outcome},
};

/// A service's run of what its command parsed.
type Run = for<'a> fn(&'a Context, &'a ArgMatches) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

/// One service: its command and how to run what it parsed.
struct Service {
    name: &'static str,
    command: fn() -> Command,
    run: Run,
}

/// Each crate behind the feature of its family (`Cargo.toml`), so that a build with fewer
/// families lists only theirs.
macro_rules! services {
    ($($family:literal: $($krate:ident),+;)*) => {
        &[$($(#[cfg(feature = $family)] Service {
            name: $krate::NAME,
            command: $krate::command,
            run: |context, matches| Box::pin($krate::run(context, matches)),
        },)+)*]
    };
}

/// Every spec's command line (one per `generated/<crate>-cli`; a test checks none is missing
/// and each sits under its family's feature).
const SERVICES: &[Service] = services![
    "dataarts": dataarts_fabric_v1_cli, dataarts_factory_v1_cli;
    "dli": dli_flink_v1_cli, dli_pools_v3_cli, dli_queues_v1_cli, dli_v1_cli, dli_v2_cli;
    "mrs": mrs_v1_1_cli, mrs_v2_cli;
];

/// Exit codes, as `cloud_runtime::cli` defines them (the README's table says the same).
const EXIT_CODES: &str = "Exit codes: 0 success (also when the reader of standard output left); \
    1 a documented API error or a cancel not accepted; 2 an invalid invocation; 3 no usable \
    answer (connection, timeout, undocumented status, undecodable body); 4 a wait that ended \
    without its phase; 5 a list cut short (the items read are printed); 6 standard output could \
    not be written (a full disk).";

fn command() -> Command {
    // Every program option is global: accepted before the service, after the operation, anywhere,
    // as the AWS and OpenStack command lines take theirs.
    let mut command = Command::new("cloudjobs")
        .about("Submit, watch, list and cancel big-data jobs on Huawei Cloud and Open Telekom Cloud (DLI, MRS, DataArts)")
        .long_about(format!(
            "Every operation of every spec, one subcommand each, signed with AK/SK from \
             HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (and HUAWEICLOUD_SDK_SECURITY_TOKEN). The \
             program's options are accepted anywhere on the line. The typed answer is printed as \
             JSON on standard output; a documented error's body on standard error, with the \
             service's request ID.\n\n{EXIT_CODES}"
        ))
        .subcommand_required(true)
        .arg(
            Arg::new("region")
                .long("region")
                .env("HUAWEICLOUD_SDK_REGION")
                .value_name("ID")
                .value_parser(trimmed)
                .global(true)
                .help("The region: eu-de, cn-north-4, ..."),
        )
        .arg(
            Arg::new("cloud")
                .long("cloud")
                .env("CLOUDJOBS_CLOUD")
                .value_parser(["huawei", "otc"])
                .default_value("huawei")
                .global(true)
                .help("Whose region: Huawei Cloud or Open Telekom Cloud"),
        )
        .arg(
            Arg::new("endpoint")
                .long("endpoint")
                .value_name("URL")
                .value_parser(endpoint)
                .global(true)
                .help("A base URL (http or https) for the service instead of the region's (a proxy, a local server)"),
        )
        .arg(
            Arg::new("record")
                .long("record")
                .value_name("DIR")
                .global(true)
                .help("Write every exchange, secrets and account IDs scrubbed, as a cassette into DIR (as CLOUD_RUNTIME_RECORD does)"),
        )
        .arg(
            Arg::new("project-id")
                .long("project-id")
                .env("HUAWEICLOUD_SDK_PROJECT_ID")
                // The project ID names the account: never shown by --help.
                .hide_env_values(true)
                .value_name("ID")
                .value_parser(trimmed)
                .global(true)
                .help("The project every operation's project_id defaults to"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .visible_alias("cli-read-timeout")
                .env("CLOUDJOBS_TIMEOUT")
                .value_name("DURATION")
                .global(true)
                .help("The limit on each attempt, from sending to the end of the answer: 90s, 2m, 500ms (default 60s)"),
        )
        .arg(
            Arg::new("retries")
                .long("retries")
                .visible_alias("cli-retry-count")
                .env("CLOUDJOBS_RETRIES")
                .value_name("N")
                .value_parser(clap::value_parser!(u32).range(0..=10))
                .global(true)
                .help("Retries after a failed attempt (a 5xx, 429, a refused connection, a timeout), 0 to 10 (default 2)"),
        )
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        );
    for service in SERVICES {
        command = command.subcommand((service.command)());
    }
    command
}

/// An environment or flag value without the trailing line breaks files and `$(cat ..)` leave.
fn trimmed(raw: &str) -> Result<String, String> {
    let value = raw.trim_end_matches(['\r', '\n']);
    if value.is_empty() {
        return Err("empty".into());
    }
    Ok(value.to_owned())
}

/// `--endpoint`: an absolute http or https URL with a host, checked before anything is sent.
fn endpoint(raw: &str) -> Result<String, String> {
    let raw = raw.trim_end_matches(['\r', '\n']);
    let url = reqwest::Url::parse(raw).map_err(|e| {
        format!("not a URL ({e}): give the service's base URL, such as https://dli.eu-de.otc.t-systems.com")
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "the scheme is `{}`: only http and https URLs are called",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL names no host".into());
    }
    Ok(raw.to_owned())
}

/// `--record DIR`: a directory that exists or can be made, and that a file can be written into,
/// checked at start: a recording lost later is a run that looked fine and kept nothing.
fn record_dir(dir: &str) -> Result<(), Failure> {
    let path = std::path::Path::new(dir);
    if path.exists() && !path.is_dir() {
        return Err(Failure::usage(format!(
            "--record {dir}: not a directory; name a directory for the cassettes"
        )));
    }
    std::fs::create_dir_all(path)
        .map_err(|e| Failure::usage(format!("--record {dir}: cannot create the directory: {e}")))?;
    let probe = path.join(format!(".cloudjobs-probe.{}", std::process::id()));
    std::fs::File::create_new(&probe)
        .map_err(|e| Failure::usage(format!("--record {dir}: cannot write into it: {e}")))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// The runtime and where to call, from the program's flags and the vendor SDKs' environment.
fn context(matches: &ArgMatches, sub: &ArgMatches) -> Result<Context, Failure> {
    let credentials = Credentials::from_env()
        .map(|(credentials, _)| credentials)
        .map_err(|e| Failure::usage(cli::shell_message(&e.to_string())))?;
    let value = |name: &str| matches.get_one::<String>(name).cloned();
    let endpoint = value("endpoint");
    if endpoint
        .as_deref()
        .is_some_and(|url| url.starts_with("http://"))
        && std::env::var_os("HUAWEICLOUD_SDK_SECURITY_TOKEN").is_some_and(|t| !t.is_empty())
    {
        eprintln!(
            "warning: --endpoint is http://: the security token (HUAWEICLOUD_SDK_SECURITY_TOKEN) travels in clear; use https unless this is a local proxy"
        );
    }
    let mut builder = Runtime::builder().credentials(credentials);
    if let Some(dir) = value("record") {
        record_dir(&dir)?;
        builder = builder.record(dir);
    }
    // The operation's own --project-id wins over the program's, and is what record mode must
    // scrub: the runtime-wide project is the one the call uses.
    let project_id = cli::value(deepest(sub), "project-id")
        .map(str::to_owned)
        .or_else(|| value("project-id"));
    if let Some(project_id) = &project_id {
        // Sent and signed as `X-Project-Id`, as the vendor's SDKs do.
        builder = builder.project_id(project_id.clone());
    }
    if let Some(raw) = value("timeout") {
        let timeout = cli::duration("timeout", &raw)?;
        if timeout.is_zero() {
            return Err(Failure::usage(
                "--timeout 0: give a positive duration, such as 30s",
            ));
        }
        builder = builder.timeout(timeout);
    }
    if let Some(retries) = matches.get_one::<u32>("retries") {
        builder = builder.retry(RetryPolicy {
            max_attempts: retries + 1,
            ..RetryPolicy::default()
        });
    }
    let runtime = builder
        .build()
        .map_err(|e| Failure::usage(cli::shell_message(&e.to_string())))?;
    let region = value("region").map(|id| match value("cloud").as_deref() {
        Some("otc") => Region::otc(id),
        _ => Region::huawei(id),
    });
    Ok(Context {
        runtime,
        region,
        endpoint,
        project_id,
    })
}

/// The matches of the innermost subcommand (`<service> <operation>`, `<service> wait <waiter>`).
fn deepest(matches: &ArgMatches) -> &ArgMatches {
    let mut matches = matches;
    while let Some((_, sub)) = matches.subcommand() {
        matches = sub;
    }
    matches
}

async fn run(matches: ArgMatches) -> Outcome {
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| Failure::usage("no service named: see --help"))?;
    if name == "completions" {
        let shell = *sub
            .get_one::<clap_complete::Shell>("shell")
            .ok_or_else(|| Failure::usage("name a shell: bash, zsh, fish, ..."))?;
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command(), "cloudjobs", &mut script);
        return cli::write_out(&script);
    }
    let service = SERVICES
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| Failure::usage(format!("no service `{name}`")))?;
    let context = context(&matches, sub)?;
    (service.run)(&context, sub).await
}

fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                Exit::Usage as u8
            } else {
                0
            });
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start: {error}");
            return ExitCode::from(Exit::NoAnswer as u8);
        }
    };
    match runtime.block_on(run(matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            cli::report(&failure);
            ExitCode::from(failure.exit as u8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every spec has its command line here, and nothing else is listed.
    #[test]
    fn every_spec_is_a_service() {
        let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let mut expected: Vec<String> = std::fs::read_dir(specs)
            .unwrap()
            .filter_map(|e| {
                let path = e.ok()?.path();
                let stem = path.file_stem()?.to_string_lossy().replace('.', "-");
                (path.extension()? == "yaml").then_some(stem)
            })
            .collect();
        expected.sort();
        let listed: Vec<&str> = SERVICES.iter().map(|s| s.name).collect();
        assert_eq!(listed, expected, "with the default features, every family");
    }

    /// Each command line is an optional dependency enabled by its family's feature (the first
    /// word of its name), and every family is a default feature.
    #[test]
    fn each_service_sits_under_its_familys_feature() {
        let manifest: toml::Table = include_str!("../Cargo.toml").parse().unwrap();
        let features = manifest["features"].as_table().unwrap();
        let default = features["default"].as_array().unwrap();
        for (name, dependency) in manifest["dependencies"].as_table().unwrap() {
            let Some(krate) = name.strip_suffix("-cli") else {
                continue;
            };
            assert_eq!(
                dependency.get("optional").and_then(|v| v.as_bool()),
                Some(true),
                "{name}"
            );
            let family = krate.split('-').next().unwrap();
            let enabling = features[family].as_array().unwrap();
            assert!(
                enabling
                    .iter()
                    .any(|f| f.as_str() == Some(&format!("dep:{name}"))),
                "{name}"
            );
            assert!(
                default.iter().any(|f| f.as_str() == Some(family)),
                "{family}"
            );
        }
    }

    #[test]
    fn the_command_tree_is_valid() {
        command().debug_assert();
    }
}
