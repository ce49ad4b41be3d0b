//! `cloudjobs`: every operation of every spec from the shell, signed by the runtime.
//!
//! `cloudjobs [--region ID] [--cloud huawei|otc] [--endpoint URL] [--project-id ID] <service>
//! <operation> --flag value ...`. The services and their commands are generated beside each
//! client (`generated/<crate>-cli`); this file only lists them and reads the program's own
//! flags. Exit codes: see `cloud_runtime::cli`.

use std::{future::Future, pin::Pin, process::ExitCode};

use clap::{Arg, ArgMatches, Command};
use cloud_runtime::{
    Credentials, Region, Runtime,
    cli::{Context, Exit, Failure, Outcome},
};

/// A service's run of what its command parsed.
type Run = for<'a> fn(&'a Context, &'a ArgMatches) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

/// One service: its command and how to run what it parsed.
struct Service {
    name: &'static str,
    command: fn() -> Command,
    run: Run,
}

macro_rules! services {
    ($($krate:ident),* $(,)?) => {
        &[$(Service {
            name: $krate::NAME,
            command: $krate::command,
            run: |context, matches| Box::pin($krate::run(context, matches)),
        }),*]
    };
}

/// Every spec's command line (one per `generated/<crate>-cli`; a test checks none is missing).
const SERVICES: &[Service] = services![
    dataarts_fabric_v1_cli,
    dataarts_factory_v1_cli,
    dli_flink_v1_cli,
    dli_pools_v3_cli,
    dli_queues_v1_cli,
    dli_v1_cli,
    dli_v2_cli,
    mrs_v1_1_cli,
    mrs_v2_cli,
];

fn command() -> Command {
    let mut command = Command::new("cloudjobs")
        .about("Submit, watch, list and cancel big-data jobs on Huawei Cloud and Open Telekom Cloud (DLI, MRS, DataArts)")
        .long_about(
            "Every operation of every spec, one subcommand each, signed with AK/SK from \
             HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (and HUAWEICLOUD_SDK_SECURITY_TOKEN). The typed \
             answer is printed as JSON on standard output; a documented error's body on standard \
             error.\n\nExit codes: 0 success; 1 a documented API error or a cancel not accepted; \
             2 an invalid invocation; 3 no usable answer (connection, timeout, undocumented \
             status, undecodable body); 4 a wait that ended without its phase.",
        )
        .subcommand_required(true)
        .arg(
            Arg::new("region")
                .long("region")
                .env("HUAWEICLOUD_SDK_REGION")
                .value_name("ID")
                .help("The region: eu-de, cn-north-4, ..."),
        )
        .arg(
            Arg::new("cloud")
                .long("cloud")
                .env("CLOUDJOBS_CLOUD")
                .value_parser(["huawei", "otc"])
                .default_value("huawei")
                .help("Whose region: Huawei Cloud or Open Telekom Cloud"),
        )
        .arg(
            Arg::new("endpoint")
                .long("endpoint")
                .value_name("URL")
                .help("A base URL for the service instead of the region's (a proxy, a local server)"),
        )
        .arg(
            Arg::new("record")
                .long("record")
                .value_name("DIR")
                .help("Write every exchange, secrets scrubbed, as a cassette into DIR (as CLOUD_RUNTIME_RECORD does)"),
        )
        .arg(
            Arg::new("project-id")
                .long("project-id")
                .env("HUAWEICLOUD_SDK_PROJECT_ID")
                .value_name("ID")
                .help("The project every operation's project_id defaults to"),
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

/// The runtime and where to call, from the program's flags and the vendor SDKs' environment.
fn context(matches: &ArgMatches) -> Result<Context, Failure> {
    let credentials = Credentials::from_env()
        .map(|(credentials, _)| credentials)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let value = |name: &str| matches.get_one::<String>(name).cloned();
    let mut builder = Runtime::builder().credentials(credentials);
    if let Some(dir) = value("record") {
        builder = builder.record(dir);
    }
    if let Some(project_id) = value("project-id") {
        // Sent and signed as `X-Project-Id`, as the vendor's SDKs do.
        builder = builder.project_id(project_id);
    }
    let runtime = builder.build().map_err(|e| Failure::usage(e.to_string()))?;
    let region = value("region").map(|id| match value("cloud").as_deref() {
        Some("otc") => Region::otc(id),
        _ => Region::huawei(id),
    });
    Ok(Context {
        runtime,
        region,
        endpoint: value("endpoint"),
        project_id: value("project-id"),
    })
}

async fn run(matches: ArgMatches) -> Outcome {
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| Failure::usage("no service named: see --help"))?;
    if name == "completions" {
        let shell = *sub
            .get_one::<clap_complete::Shell>("shell")
            .ok_or_else(|| Failure::usage("name a shell: bash, zsh, fish, ..."))?;
        clap_complete::generate(shell, &mut command(), "cloudjobs", &mut std::io::stdout());
        return Ok(());
    }
    let service = SERVICES
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| Failure::usage(format!("no service `{name}`")))?;
    let context = context(&matches)?;
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
            if !failure.message.is_empty() {
                eprintln!("error: {}", failure.message);
            }
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
        assert_eq!(listed, expected);
    }

    #[test]
    fn the_command_tree_is_valid() {
        command().debug_assert();
    }
}
