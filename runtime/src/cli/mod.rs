//! What the generated command-line crates (`generated/<crate>-cli`) share: reading flags into
//! the client's types, the JSON body from a file, standard input or per-field flags, printing
//! answers, and the exit codes. Behind feature `cli`, so a user of a client crate alone never
//! compiles it.
//!
//! Exit codes ([`Exit`]): 0 success; 1 the service answered with a documented error (its typed
//! body on standard error), or a cancel it did not accept; 2 an invalid invocation (a flag, a
//! body or a constraint the spec documents, checked before sending); 3 no usable answer (a
//! connection failure, a timeout, an undocumented status or a body that does not decode);
//! 4 a wait that ended without reaching its phase (failed, timed out, gone, another job);
//! 5 a list cut short (the stream's page limit, or a page past the largest a request carries):
//! every item read is printed, and standard error says where it stopped; 6 standard output could
//! not be written (a full disk): the answer is lost. A reader that leaves (`--all | head -1`)
//! ends the program quietly with 0 and no further page is asked for, as ripgrep does.
//!
//! Every line this module writes goes through one writer ([`write_out`]) and every error through
//! one translation ([`failure`], [`shell_message`]), so the shell's conventions hold everywhere.

use std::{
    io::{IsTerminal, Read, Write},
    sync::atomic::{AtomicBool, Ordering},
    time::Duration,
};

use futures::{Stream, StreamExt};
use progenitor_client::{ByteStream, Error, ResponseValue};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

use crate::{
    CancelOutcome, Phase, Runtime,
    endpoint::{Region, Service},
    response::bounded_text,
    wait::{OnPoll, Reading, WaitError, Waited},
};

/// One flag of an operation's command, as the generated crate declares it.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub name: &'static str,
    pub help: &'static str,
    pub arity: Arity,
}

/// How often a flag is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    Optional,
    Required,
    /// A list: the flag once per value.
    Repeated,
    /// A list of at least one value.
    RequiredRepeated,
}

impl Flag {
    pub const fn optional(name: &'static str, help: &'static str) -> Flag {
        Flag {
            name,
            help,
            arity: Arity::Optional,
        }
    }

    pub const fn required(name: &'static str, help: &'static str) -> Flag {
        Flag {
            name,
            help,
            arity: Arity::Required,
        }
    }

    pub const fn repeated(name: &'static str, help: &'static str) -> Flag {
        Flag {
            name,
            help,
            arity: Arity::Repeated,
        }
    }

    pub const fn required_repeated(name: &'static str, help: &'static str) -> Flag {
        Flag {
            name,
            help,
            arity: Arity::RequiredRepeated,
        }
    }

    fn arg(&self) -> clap::Arg {
        let arg = clap::Arg::new(self.name)
            .long(self.name)
            .value_name("VALUE")
            .help(self.help);
        match self.arity {
            Arity::Optional => arg.required(false),
            Arity::Required => arg.required(true),
            Arity::Repeated => arg.action(clap::ArgAction::Append),
            Arity::RequiredRepeated => arg.required(true).action(clap::ArgAction::Append),
        }
    }
}

/// One subcommand, as the generated crate declares it: an operation (its parameters, its
/// body's field flags, `--all` on a list) or a waiter (`--max-wait`, `--poll-interval`).
#[derive(Debug, Clone, Copy)]
pub struct Command {
    pub name: &'static str,
    pub about: &'static str,
    pub long_about: &'static str,
    pub flags: &'static [Flag],
    /// A JSON body: `--json-body FILE|-` and one flag per scalar top-level field.
    pub body: Option<&'static [Flag]>,
    /// A list with `.stream()`: `--all`.
    pub all: bool,
    /// A waiter: `--max-wait` and `--poll-interval`.
    pub wait: bool,
}

impl Command {
    /// The `clap` command.
    pub fn build(&self) -> clap::Command {
        let mut command = clap::Command::new(self.name).about(self.about);
        if !self.long_about.is_empty() {
            command = command.long_about(self.long_about);
        }
        command = command.args(self.flags.iter().map(Flag::arg));
        if let Some(fields) = self.body {
            command = command
                .arg(
                    clap::Arg::new("json-body")
                        .long("json-body")
                        .value_name("FILE")
                        .help("The request body as a JSON object, from FILE or - for standard input; field flags are set on it"),
                )
                .args(fields.iter().map(Flag::arg));
        }
        if self.all {
            command = command.arg(
                clap::Arg::new("all")
                    .long("all")
                    .action(clap::ArgAction::SetTrue)
                    .help(
                        "Every item of every page, one JSON value per line, as each page arrives",
                    ),
            );
        }
        if self.wait {
            command = command
                .arg(
                    clap::Arg::new("max-wait")
                        .long("max-wait")
                        .value_name("DURATION")
                        .help("How long to wait in all: 90s, 10m, 2h (default 30m)"),
                )
                .arg(
                    clap::Arg::new("poll-interval")
                        .long("poll-interval")
                        .value_name("DURATION")
                        .help("The first interval between polls (default 2s); it grows by half each poll"),
                );
        }
        command
    }
}

/// A service's command: one subcommand per operation, and `wait` with one per waiter.
pub fn service(
    name: &'static str,
    about: &'static str,
    operations: &[Command],
    waiters: &[Command],
) -> clap::Command {
    let mut command = clap::Command::new(name)
        .about(about)
        .subcommand_required(true)
        .subcommands(operations.iter().map(Command::build));
    if !waiters.is_empty() {
        command = command.subcommand(
            clap::Command::new("wait")
                .about("Wait until a job reaches a phase (from the spec's `x-waiters`)")
                .subcommand_required(true)
                .subcommands(waiters.iter().map(Command::build)),
        );
    }
    command
}

/// How much of a body file or standard input a command reads: far above any request body the
/// services take, far below what would exhaust memory.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// The program's exit codes (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    ApiError = 1,
    Usage = 2,
    NoAnswer = 3,
    WaitEnded = 4,
    /// A list cut short: what was read is printed, the rest is not.
    CutShort = 5,
    /// Standard output failed (a full disk): the answer is lost.
    Output = 6,
}

/// Why a command did not succeed: its exit code, and a message for standard error (already
/// printed when empty).
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Usage,
            message: message.into(),
        }
    }
}

/// What a command ends with.
pub type Outcome = Result<(), Failure>;

/// Where and as whom commands call: the runtime (credentials, record mode, default headers),
/// the region or an endpoint that replaces it, and the project every `project_id` defaults to.
#[derive(Debug, Clone)]
pub struct Context {
    pub runtime: Runtime,
    pub region: Option<Region>,
    /// A base URL for every service (a proxy, a local server): wins over `region`.
    pub endpoint: Option<String>,
    pub project_id: Option<String>,
}

impl Context {
    /// The base URL of `service`: the endpoint given, or the region's host for it.
    pub fn base_url(&self, service: &Service) -> Result<String, Failure> {
        match (&self.endpoint, &self.region) {
            (Some(endpoint), _) => Ok(endpoint.clone()),
            (None, Some(region)) => region
                .endpoint(service)
                .map_err(|e| Failure::usage(e.to_string())),
            (None, None) => Err(Failure::usage(
                "no region: pass --region <id> (and --cloud huawei|otc) or --endpoint <url>",
            )),
        }
    }

    /// The `project_id` flag of a command, else the program's `--project-id` (or
    /// `HUAWEICLOUD_SDK_PROJECT_ID`).
    pub fn project_id(&self, matches: &clap::ArgMatches) -> Result<String, Failure> {
        value(matches, "project-id")
            .map(str::to_owned)
            .or_else(|| self.project_id.clone())
            .ok_or_else(|| {
                Failure::usage(
                    "no project: pass --project-id <id> or set HUAWEICLOUD_SDK_PROJECT_ID",
                )
            })
    }
}

/// A flag's one value, if given.
pub fn value<'a>(matches: &'a clap::ArgMatches, flag: &str) -> Option<&'a str> {
    matches
        .try_get_one::<String>(flag)
        .ok()
        .flatten()
        .map(String::as_str)
}

/// A flag's value as the type the client takes: JSON first (numbers, booleans, arrays), then
/// the text as a JSON string (IDs, names, enum words). The type's own checks (length, pattern,
/// range) run here, so a bad value is refused before anything is sent.
pub fn parse<T: DeserializeOwned>(flag: &str, raw: &str) -> Result<T, Failure> {
    let as_json = serde_json::from_str::<T>(raw);
    as_json
        .or_else(|_| serde_json::from_value::<T>(Value::String(raw.to_owned())))
        .map_err(|e| {
            Failure::usage(format!(
                "--{flag} {}: {}",
                bounded_text(&format!("{raw:?}"), 200),
                bounded_text(&shell_message(&e.to_string()), 400)
            ))
        })
}

/// A repeated flag's values as one list of the type the client takes.
pub fn parse_list<T: DeserializeOwned>(
    matches: &clap::ArgMatches,
    flag: &str,
) -> Result<Option<T>, Failure> {
    let Some(raws) = matches.try_get_many::<String>(flag).ok().flatten() else {
        return Ok(None);
    };
    let items: Vec<Value> = raws.map(|raw| scalar(raw)).collect();
    serde_json::from_value::<T>(Value::Array(items))
        .map(Some)
        .map_err(|e| {
            Failure::usage(format!(
                "--{flag}: {}",
                bounded_text(&shell_message(&e.to_string()), 400)
            ))
        })
}

/// A flag's text as JSON: a number, a Boolean or `null` as such, anything else a string.
fn scalar(raw: &str) -> Value {
    match serde_json::from_str::<Value>(raw) {
        Ok(value @ (Value::Number(_) | Value::Bool(_))) => value,
        _ => Value::String(raw.to_owned()),
    }
}

/// A request body: the JSON object of `--json-body FILE` (`-` is standard input), with each
/// per-field flag given (`(flag, field)`) set on it, then read as the client's type. `None`
/// when neither is given.
pub fn body<T: DeserializeOwned>(
    matches: &clap::ArgMatches,
    fields: &[(&str, &str)],
) -> Result<Option<T>, Failure> {
    let mut body = match value(matches, "json-body") {
        Some(source) => Some(read_json(source)?),
        None => None,
    };
    for (flag, field) in fields {
        let Some(raws) = matches.try_get_many::<String>(flag).ok().flatten() else {
            continue;
        };
        let raws: Vec<&String> = raws.collect();
        let object = body
            .get_or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| Failure::usage("--json-body: the body is not a JSON object, so field flags cannot be added to it"))?;
        let value = match raws.as_slice() {
            [one] => scalar(one),
            many => Value::Array(many.iter().map(|raw| scalar(raw)).collect()),
        };
        object.insert((*field).to_owned(), value);
    }
    body.map(|body| {
        serde_json::from_value::<T>(body).map_err(|e| {
            Failure::usage(format!(
                "the request body does not fit the operation: {}",
                bounded_text(&shell_message(&e.to_string()), 400)
            ))
        })
    })
    .transpose()
}

/// The JSON object in `source`: a file, or standard input for `-`; bounded. A body that is not
/// an object (an array, a scalar) or that gives a key twice is refused, naming what is wrong:
/// the service would read neither as the user meant.
fn read_json(source: &str) -> Result<Value, Failure> {
    let mut text = Vec::new();
    let read = if source == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_BODY_BYTES + 1)
            .read_to_end(&mut text)
    } else {
        std::fs::File::open(source).and_then(|f| f.take(MAX_BODY_BYTES + 1).read_to_end(&mut text))
    };
    let shown = if source == "-" {
        "standard input".to_owned()
    } else {
        bounded_text(source, 200)
    };
    read.map_err(|e| Failure::usage(format!("--json-body {shown}: {e}")))?;
    if text.len() as u64 > MAX_BODY_BYTES {
        return Err(Failure::usage(format!(
            "--json-body {shown}: more than {MAX_BODY_BYTES} bytes"
        )));
    }
    strict_json(&text).map_err(|e| Failure::usage(format!("--json-body {shown}: {e}")))
}

/// `text` as one JSON object, every key of every object given once.
pub fn strict_json(text: &[u8]) -> Result<Value, String> {
    let Strict(value) = serde_json::from_slice(text).map_err(|e| {
        if e.is_data() {
            bounded_text(&e.to_string(), 400)
        } else {
            format!("not JSON: {}", bounded_text(&e.to_string(), 400))
        }
    })?;
    let kind = match &value {
        Value::Object(_) => return Ok(value),
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a Boolean",
        Value::Null => "null",
    };
    Err(format!(
        "the body must be a JSON object ({{\"field\": ...}}), not {kind}"
    ))
}

/// A JSON value read with every object's keys checked for repeats.
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<Er>(self, v: bool) -> Result<Value, Er> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<Er>(self, v: i64) -> Result<Value, Er> {
        Ok(Value::from(v))
    }
    fn visit_u64<Er>(self, v: u64) -> Result<Value, Er> {
        Ok(Value::from(v))
    }
    fn visit_f64<Er>(self, v: f64) -> Result<Value, Er> {
        Ok(Value::from(v))
    }
    fn visit_str<Er>(self, v: &str) -> Result<Value, Er> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<Er>(self, v: String) -> Result<Value, Er> {
        Ok(Value::String(v))
    }
    fn visit_unit<Er>(self) -> Result<Value, Er> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(value) = map.next_value()?;
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the key {} is given twice (the service would read only one of them)",
                    bounded_text(&format!("{key:?}"), 100)
                )));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A duration flag: `90`, `90s`, `500ms`, `10m`, `2h`.
pub fn duration(flag: &str, raw: &str) -> Result<Duration, Failure> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let number: u64 = number.parse().map_err(|_| {
        Failure::usage(format!(
            "--{flag} {}: not a duration such as 90s, 10m or 2h",
            bounded_text(raw, 40)
        ))
    })?;
    let seconds = match unit {
        "ms" => return Ok(Duration::from_millis(number)),
        "" | "s" => number,
        "m" => number.saturating_mul(60),
        "h" => number.saturating_mul(3600),
        _ => {
            return Err(Failure::usage(format!(
                "--{flag} {}: the unit must be ms, s, m or h",
                bounded_text(raw, 40)
            )));
        }
    };
    Ok(Duration::from_secs(seconds))
}

/// Whether a progress line is on standard error, to be cleared before anything else is written.
static PROGRESS_SHOWN: AtomicBool = AtomicBool::new(false);

/// Clears the waiter's progress line, if one is shown, so that an answer or an error starts on a
/// line of its own.
pub fn clear_progress() {
    if PROGRESS_SHOWN.swap(false, Ordering::Relaxed) {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}

/// The one writer of standard output: every answer, line and byte goes through it. Each write is
/// flushed, so a reader that left is seen at once (and `--all` asks for no further page); a
/// broken pipe ends the program quietly with 0, as ripgrep does; any other failure (a full disk)
/// is [`Exit::Output`], never a success with the answer lost.
pub fn write_out(bytes: &[u8]) -> Outcome {
    clear_progress();
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(output_failure)
}

/// What a failed write to standard output means.
pub fn output_failure(error: std::io::Error) -> Failure {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        Failure {
            exit: Exit::Success,
            message: String::new(),
        }
    } else {
        Failure {
            exit: Exit::Output,
            message: format!("cannot write standard output, the answer is lost: {error}"),
        }
    }
}

/// Prints a failure's message on standard error (after clearing any progress line): `error:
/// <message>`, once.
pub fn report(failure: &Failure) {
    clear_progress();
    if !failure.message.is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "error: {}", failure.message);
    }
}

/// Writes `value` as JSON on standard output: indented on a terminal, one line otherwise
/// (`null`, an empty answer, prints nothing).
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Outcome {
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    if value.is_null() {
        return Ok(());
    }
    let mut text = if std::io::stdout().is_terminal() {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    }
    .unwrap_or_default();
    text.push('\n');
    write_out(text.as_bytes())
}

/// The typed answer on standard output, or the failure.
pub fn answer<T: Serialize, E: Serialize + std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<E>>,
) -> Outcome {
    let value = result.map_err(failure)?;
    print_json(&*value)
}

/// A binary answer (an export's zip), its bytes copied to standard output as they arrive.
pub async fn answer_bytes<E: Serialize + std::fmt::Debug>(
    result: Result<ResponseValue<ByteStream>, Error<E>>,
) -> Outcome {
    let mut stream = result.map_err(failure)?.into_inner();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Failure {
            exit: Exit::NoAnswer,
            message: format!("reading the answer: {}", transport_message(&e)),
        })?;
        write_out(&chunk)?;
    }
    Ok(())
}

/// Every item of a list, one JSON value per line as each page arrives. A reader that leaves
/// stops the stream (no further page is asked for); a list cut short is [`Exit::CutShort`].
pub async fn all<T: Serialize, E: Serialize + std::fmt::Debug>(
    items: impl Stream<Item = Result<T, Error<E>>>,
) -> Outcome {
    let mut items = std::pin::pin!(items);
    let mut printed = 0u64;
    while let Some(item) = items.next().await {
        let item = item.map_err(|error| match error {
            // The user's flags were checked on the first page; a request refused after items
            // came is one the paginator made (a page number past the documented range of the
            // page parameter): not the user's input, but the end of what can be read.
            Error::InvalidRequest(message) if printed > 0 => Failure {
                exit: Exit::CutShort,
                message: format!(
                    "the list is cut short after {printed} items: the next page cannot be asked for ({})",
                    shell_message(&message)
                ),
            },
            Error::Custom(message) if message.starts_with(crate::paginate::STOPPED_EARLY) => {
                Failure {
                    exit: Exit::CutShort,
                    message: format!(
                        "the list is cut short, the items above are not all: {}",
                        bounded_text(&message[crate::paginate::STOPPED_EARLY.len()..], 2048)
                    ),
                }
            }
            other => failure(other),
        })?;
        let mut line = serde_json::to_string(&item).unwrap_or_default();
        line.push('\n');
        write_out(line.as_bytes())?;
        printed += 1;
    }
    Ok(())
}

/// A cancel's answer and what it means: `{"outcomes": [...], "answer": ...}` on standard
/// output. Accepted, or already finished: success; not found or refused: 1.
pub fn cancelled<T: Serialize, E: Serialize + std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<E>>,
    outcomes: Vec<CancelOutcome>,
) -> Outcome {
    let answer = match result {
        Ok(value) => serde_json::to_value(&*value).unwrap_or(Value::Null),
        Err(Error::ErrorResponse(value)) => serde_json::to_value(&*value).unwrap_or(Value::Null),
        Err(error) => return Err(failure(error)),
    };
    print_json(&serde_json::json!({"outcomes": outcomes, "answer": answer}))?;
    let accepted = outcomes.iter().all(|outcome| {
        matches!(
            outcome,
            CancelOutcome::Accepted
                | CancelOutcome::AcceptedOrAlreadyFinished
                | CancelOutcome::AlreadyFinished { .. }
        )
    });
    if accepted {
        Ok(())
    } else {
        Err(Failure {
            exit: Exit::ApiError,
            message: String::new(),
        })
    }
}

/// The response headers a service names its request by: Huawei Cloud's gateway answers
/// `X-Request-Id` (the ID its support asks for), OpenStack-derived services of Open Telekom Cloud
/// `X-Openstack-Request-Id`.
pub const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "x-openstack-request-id"];

/// ` (request ID ...)` when `headers` carry one, for an error message.
fn request_id(headers: &reqwest::header::HeaderMap) -> String {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .filter(|id| !id.is_empty())
        .map(|id| format!(" (request ID {})", bounded_text(id, 128)))
        .unwrap_or_default()
}

/// The failure a call's error means, worded for a shell user (the one place a library error
/// becomes a shell message); a documented error's typed body goes to standard error with the
/// service's request ID.
pub fn failure<E: Serialize + std::fmt::Debug>(error: Error<E>) -> Failure {
    let no_answer = |message: String| Failure {
        exit: Exit::NoAnswer,
        message,
    };
    match error {
        Error::ErrorResponse(value) => {
            let status = value.status();
            let id = request_id(value.headers());
            let body = serde_json::to_string(&*value).unwrap_or_default();
            Failure {
                exit: Exit::ApiError,
                message: format!(
                    "status {}{id}: {}",
                    status.as_u16(),
                    bounded_text(&body, 8192)
                ),
            }
        }
        Error::InvalidRequest(message) => Failure::usage(shell_message(&message)),
        Error::Custom(message) => no_answer(shell_message(&message)),
        Error::CommunicationError(e) | Error::InvalidUpgrade(e) | Error::ResponseBodyError(e) => {
            no_answer(transport_message(&e))
        }
        Error::InvalidResponsePayload(_, e) => no_answer(format!(
            "the answer does not decode as the spec documents it: {}",
            bounded_text(&e.to_string(), 400)
        )),
        Error::UnexpectedResponse(response) => no_answer(format!(
            "the service answered status {}{}, which the spec does not document",
            response.status().as_u16(),
            request_id(response.headers())
        )),
    }
}

/// A transport error in a shell user's words: whether it timed out, could not connect, or what
/// else, with its causes (reqwest's own text, "error sending request", says none of that).
fn transport_message(error: &reqwest::Error) -> String {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else if error.is_builder() {
        "cannot build the request (is --endpoint an http(s) URL?)"
    } else {
        "the exchange failed"
    };
    let url = error
        .url()
        .map(|url| format!(" ({})", bounded_text(url.as_str(), 300)))
        .unwrap_or_default();
    let causes = if causes.is_empty() {
        String::new()
    } else {
        format!(": {}", bounded_text(&causes.join(": "), 600))
    };
    format!("{what}{url}{causes}")
}

/// A library's message in a shell user's words, bounded: no `Error:` prefix (the program says
/// `error:` once), no advice meant for code (`Runtime::builder()`), and no pattern too long to
/// read (a path segment's rule said in words; any other long one summarised).
pub fn shell_message(message: &str) -> String {
    let mut text = message.trim();
    loop {
        let stripped = ["Error: ", "Custom Error: ", "Invalid Request: ", "error: "]
            .iter()
            .find_map(|prefix| text.strip_prefix(prefix));
        match stripped {
            Some(rest) => text = rest.trim_start(),
            None => break,
        }
    }
    let mut text = text.to_owned();
    if let Some(advice) = text.find(", or give credentials in code with Runtime::builder()") {
        text.truncate(advice);
    }
    const PATTERN: &str = "doesn't match pattern \"";
    if let Some(at) = text.find(PATTERN) {
        let start = at + PATTERN.len();
        let end = text[start..]
            .rfind('"')
            .map_or(text.len(), |end| start + end);
        let pattern = &text[start..end];
        let said = if pattern.contains(r"(?!\.\.?$)") {
            "must be one path segment: not empty, not `.` or `..`, without `/`, `\\` or control characters".to_owned()
        } else if pattern.chars().count() <= 80 {
            format!("must match the pattern `{pattern}`")
        } else {
            format!(
                "does not have the form the spec documents (a pattern of {} characters; see the flag's help)",
                pattern.chars().count()
            )
        };
        let rest = text.get(end + 1..).unwrap_or("").to_owned();
        text = format!("{}{said}{rest}", &text[..at]);
    }
    bounded_text(&text, 2048)
}

/// A waiter's end: the last answer on standard output when it reached its phase; otherwise exit
/// 4 (failed, timed out, another job, or gone: the service no longer knows the job), and a
/// failed poll keeps its own code.
pub fn waited<T, E>(result: Result<Waited<T>, WaitError<T, Error<E>>>) -> Outcome
where
    T: Serialize + std::fmt::Debug,
    E: Serialize + std::fmt::Debug,
{
    match result {
        Ok(Waited::Reached(value)) => print_json(&value),
        Ok(Waited::Gone) => Err(Failure {
            exit: Exit::WaitEnded,
            message: "the service no longer knows the job (gone)".into(),
        }),
        Err(WaitError::Call { source, .. }) => Err(failure(source)),
        Err(error) => Err(Failure {
            exit: Exit::WaitEnded,
            message: shell_message(&error.to_string()),
        }),
    }
}

/// The progress line a waiter shows on a terminal (`phase running, 42 s`), rewritten in place;
/// nothing when standard error is not a terminal (piped, in CI).
pub fn progress() -> Option<OnPoll> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    Some(std::sync::Arc::new(
        |reading: &Reading, waited: Duration| {
            PROGRESS_SHOWN.store(true, Ordering::Relaxed);
            let _ = write!(
                std::io::stderr(),
                "\r\x1b[2K{}",
                progress_line(reading, waited)
            );
        },
    ))
}

/// One progress line: the phase, the service's word where it differs, the time waited.
pub fn progress_line(reading: &Reading, waited: Duration) -> String {
    let phase = match &reading.phase {
        Phase::Unknown(word) if word.is_empty() => "unknown".to_owned(),
        phase => phase.to_string(),
    };
    let word = reading
        .status
        .as_deref()
        .filter(|w| !w.eq_ignore_ascii_case(&phase))
        .map(|w| format!(" ({})", bounded_text(w, 40)))
        .unwrap_or_default();
    format!("phase {phase}{word}, {} s", waited.as_secs())
}

#[cfg(test)]
mod tests;
