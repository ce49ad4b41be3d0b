//! The one place spec files are read. Each file under `specs/` is discovered, read, checked as
//! YAML (syntax, duplicate keys, non-finite numbers), converted once to the JSON form the lint
//! rules read, parsed from that into the typed form codegen renders (openapiv3, guarded: it
//! panics on some documents serde accepts), and hashed. Lint, render and output all work from
//! what this returns: data flows one way, and every guard on reading has this one home.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::OnceLock,
};

use openapiv3::OpenAPI;
use serde::Deserialize as _;
use sha2::{Digest, Sha256};

use crate::{
    crate_names,
    diagnostics::{Position, Positions, Problem, segment},
    layout::Layout,
    spec::{SPEC_EXTENSION, Spec, is_valid_crate_stem},
    spec_json::SpecDocument,
};

/// One spec file, read once.
pub struct Loaded {
    /// Relative to the workspace root: `specs/dli-v1.yaml`.
    pub path: PathBuf,
    pub sha256: String,
    /// The JSON form the lint rules read; `None` when the file is not readable YAML.
    pub document: Option<SpecDocument>,
    /// The typed form codegen renders, or why openapiv3 cannot read it; `None` without a document.
    pub openapi: Option<Result<OpenAPI, Problem>>,
    /// What reading found: file and crate name, YAML syntax, duplicate keys, numbers.
    pub problems: Vec<Problem>,
    /// The text read (without a byte-order mark), kept for [`Loaded::positions`]; empty when
    /// the file was not read as YAML.
    text: String,
    /// Where each node of the file is written: built on first use, at most once, so that a clean
    /// run (which locates nothing) does not parse its specs a second time.
    positions: OnceLock<Positions>,
}

impl Loaded {
    /// `problem` (about this file) with the position of its pointer's node.
    pub fn locate(&self, mut problem: Problem) -> Problem {
        problem.locate(self.positions());
        problem
    }

    /// Where each node of the file is written ([`yaml_positions`]); none when it was not read.
    pub fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| yaml_positions(&self.text))
    }

    /// The typed form of a spec the loader read, if openapiv3 could read it.
    pub fn spec(&self) -> Option<Spec> {
        let loaded = self;
        let openapi = loaded.openapi.as_ref()?.as_ref().ok()?.clone();
        Some(Spec {
            path: loaded.path.clone(),
            stem: loaded
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: loaded.sha256.clone(),
            openapi,
        })
    }
}

/// Every `*.yaml` directly in `layout.specs_dir`, sorted by name so that nothing depends on the
/// file system's order, each read once.
pub fn load(layout: &Layout) -> Vec<Loaded> {
    let files = discover(layout.root, layout.specs_dir);
    let names = crate_names::check(layout.root, layout.out_dir, &files);
    let read = crate::parallel::map(&files, |path| read(layout.root, path));
    files
        .into_iter()
        .zip(read)
        .map(|(path, mut loaded)| {
            let mut problems: Vec<Problem> = names.iter().filter(|p| p.file == path).cloned().collect();
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            if !is_valid_crate_stem(&stem) {
                problems.push(Problem {
                    file: path.clone(),
                    pointer: String::new(),
                    rule: "file-name",
                    message: format!("`{stem}` cannot name a crate"),
                    hint: "name spec files `<service>-v<version>.yaml` in lowercase letters, digits, `-` and `.`".into(),
                    position: None,
                });
            }
            problems.append(&mut loaded.problems);
            loaded.problems = problems;
            loaded
        })
        .chain(misnamed(layout.root, layout.specs_dir).into_iter().map(|path| {
            let problem = Problem {
                file: path.clone(),
                pointer: String::new(),
                rule: "file-name",
                message: "looks like a spec but is not read: spec files end in `.yaml`".into(),
                hint: "rename it `<service>-v<version>.yaml`, or move it out of the specs directory (a crate it made is kept until then)".into(),
                position: None,
            };
            Loaded {
                path,
                sha256: String::new(),
                document: None,
                openapi: None,
                problems: vec![problem],
                text: String::new(),
                positions: OnceLock::new(),
            }
        }))
        .collect()
}

/// Entries in `root/specs_dir` that look like a spec under another extension (`.yml`, `.json`,
/// `.YAML`): refused rather than skipped, as skipping one would remove the crate it made.
fn misnamed(root: &Path, specs_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join(specs_dir))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| specs_dir.join(entry.file_name()))
        .filter(|path| {
            path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                e != SPEC_EXTENSION
                    && ["yaml", "yml", "json"].contains(&e.to_ascii_lowercase().as_str())
            })
        })
        .collect();
    files.sort();
    files
}

/// Entries named `*.yaml` directly in `root/specs_dir`, relative to `root`, sorted: regular
/// files or not (a symlink, FIFO or directory is reported by [`load`], never skipped, so no
/// crate is ever removed because its spec went unseen).
pub fn discover(root: &Path, specs_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join(specs_dir))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| specs_dir.join(entry.file_name()))
        .filter(|path| path.extension().is_some_and(|e| e == SPEC_EXTENSION))
        .collect();
    files.sort();
    files
}

fn read(root: &Path, path: &Path) -> Loaded {
    let mut loaded = Loaded {
        path: path.to_owned(),
        sha256: String::new(),
        document: None,
        openapi: None,
        problems: Vec::new(),
        text: String::new(),
        positions: OnceLock::new(),
    };
    // Only a regular file is read: a FIFO would block the read, and a symlink could take
    // generation outside the repository (a link is refused, not followed: copy the file).
    match fs::symlink_metadata(root.join(path)) {
        Ok(metadata) if metadata.is_file() => {}
        Ok(metadata) => {
            let kind = crate::files::special_kind(metadata.file_type()).unwrap_or("directory");
            loaded.problems.push(Problem {
                file: path.to_owned(),
                pointer: String::new(),
                rule: "read",
                message: format!("is a {kind}, not a regular file; it is not read, and its crate is kept as it is"),
                hint: "make it a regular file holding the spec (replace a link by a copy of its target), or remove it".into(),
                position: None,
            });
            return loaded;
        }
        Err(e) => {
            loaded.problems.push(read_problem(path, e.to_string()));
            return loaded;
        }
    }
    let bytes = match fs::read(root.join(path)) {
        Ok(bytes) => bytes,
        Err(e) => {
            loaded.problems.push(read_problem(path, e.to_string()));
            return loaded;
        }
    };
    loaded.sha256 = hex::encode(Sha256::digest(&bytes));
    let Ok(text) = std::str::from_utf8(&bytes) else {
        loaded
            .problems
            .push(read_problem(path, "the file is not UTF-8".into()));
        return loaded;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (parsed, problems) = parse_spec(path, text);
    loaded.problems = problems;
    if let Some((yaml, document)) = parsed {
        // From the YAML value, which keeps the document's order (a JSON object sorts its keys).
        let typed = crate::guard::guarded(|| OpenAPI::deserialize(&yaml));
        loaded.openapi = Some(match typed {
            Ok(Ok(openapi)) => Ok(openapi),
            Ok(Err(e)) => Err(
                locate_structure_error(path, text).unwrap_or_else(|| Problem {
                    file: path.to_owned(),
                    pointer: String::new(),
                    rule: "openapi-document",
                    message: e.to_string(),
                    hint: STRUCTURE_HINT.into(),
                    position: None,
                }),
            ),
            Err(panic) => Err(Problem {
                file: path.to_owned(),
                pointer: String::new(),
                rule: "openapi-document",
                message: format!("the OpenAPI reader (openapiv3) fails on this document: {panic}"),
                hint: STRUCTURE_HINT.into(),
                position: None,
            }),
        });
        loaded.document = Some(document);
        loaded.text = text.to_owned();
    }
    loaded
}

/// Where each node of a spec is written, by JSON pointer, from the YAML parser's marks (serde_yaml
/// keeps none): a mapping entry at its key, a list item at the item, the first document only.
/// Read once per file, after serde_yaml accepted the text; a node a merge key brings in has no
/// position of its own, and [`Positions::find`] gives it its mapping's.
pub fn yaml_positions(text: &str) -> Positions {
    use yaml_rust2::parser::{Event, Parser};

    enum Frame {
        /// A mapping at `pointer`: the next node is a key unless `key` holds one. `item`: a
        /// block mapping that is a list item, still to be positioned at its first key.
        Map {
            pointer: String,
            key: Option<String>,
            item: bool,
        },
        Seq {
            pointer: String,
            next: usize,
        },
        /// A mapping or list used as a key: skipped whole, as no pointer can name inside it.
        Skip,
    }
    // The parser marks a block mapping where its first value starts, a flow one at its `{`: a
    // block mapping that is a list item takes its first key's place instead (`- name: x`).
    let lines: Vec<&str> = text.split('\n').collect();
    let is_block_mapping = |event: &Event, at: Position| {
        matches!(event, Event::MappingStart(..))
            && lines
                .get(at.line() as usize - 1)
                .and_then(|l| l.chars().nth(at.column() as usize - 1))
                != Some('{')
    };
    let mut positions = Positions::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Ok((event, mark)) = parser.next_token() {
        let position = Position::new(mark.line(), mark.col() + 1);
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        let closes = matches!(event, Event::MappingEnd | Event::SequenceEnd);
        match event {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::StreamStart | Event::DocumentStart | Event::Nothing => continue,
            _ => {}
        }
        if closes {
            // A closed value ends its parent's entry; a closed key (skipped) does not.
            let was_key = matches!(stack.pop(), Some(Frame::Skip));
            if let (false, Some(Frame::Map { key, .. })) = (was_key, stack.last_mut()) {
                *key = None;
            }
            continue;
        }
        // A node: the document, a key, a mapping's value or a list item.
        let mut item = false;
        let child = match stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Skip) => None,
            Some(Frame::Map {
                pointer,
                key,
                item: unplaced,
            }) => match key.take() {
                Some(key) => Some(format!("{pointer}/{}", segment(&key))),
                None => {
                    if std::mem::take(unplaced) {
                        positions.insert(pointer.clone(), position);
                    }
                    match &event {
                        Event::Scalar(value, ..) => {
                            let at = format!("{pointer}/{}", segment(value));
                            positions.insert(at, position);
                            *key = Some(value.clone());
                        }
                        // An alias or a collection as a key: JSON has no such key.
                        _ => *key = Some(String::new()),
                    }
                    if opens {
                        stack.push(Frame::Skip);
                    }
                    continue;
                }
            },
            Some(Frame::Seq { pointer, next }) => {
                let at = format!("{pointer}/{next}");
                *next += 1;
                item = is_block_mapping(&event, position);
                if !item {
                    positions.insert(at.clone(), position);
                }
                Some(at)
            }
        };
        if opens {
            stack.push(match (child, &event) {
                (Some(pointer), Event::MappingStart(..)) => Frame::Map {
                    pointer,
                    key: None,
                    item,
                },
                (Some(pointer), _) => Frame::Seq { pointer, next: 0 },
                (None, _) => Frame::Skip,
            });
        } else if let Some(Frame::Map { key, .. }) = stack.last_mut() {
            // A scalar or an alias as a value ends its entry.
            *key = None;
        }
    }
    positions
}

const STRUCTURE_HINT: &str = "give the document the OpenAPI 3.0 structure: `openapi`, `info` (title, version) and `paths` are required, each field with its documented type";

fn read_problem(path: &Path, message: String) -> Problem {
    Problem {
        file: path.to_owned(),
        pointer: String::new(),
        rule: "read",
        message,
        hint: "make the file a readable UTF-8 YAML file".into(),
        position: None,
    }
}

/// Reads a spec once: YAML syntax and duplicate keys (which YAML readers resolve silently by
/// keeping the last) are checked on the YAML itself, then non-finite numbers (`.inf`, `.nan`,
/// which JSON cannot hold and openapiv3 panics on), then the document is converted to JSON for
/// the rules. A spec that cannot be read gives its problems and no document.
fn parse_spec(
    path: &Path,
    text: &str,
) -> (Option<(serde_yaml::Value, SpecDocument)>, Vec<Problem>) {
    // A byte-order mark is no content (editors on some systems write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((line, column)) = nesting_beyond(text, MAX_NESTING) {
        return (
            None,
            vec![Problem {
                file: path.to_path_buf(),
                pointer: String::new(),
                rule: "yaml",
                message: format!(
                    "line {line} column {column}: nested more than {MAX_NESTING} levels deep"
                ),
                hint: "flatten the document: name deep schemas as components and `$ref` them"
                    .into(),
                position: Some(Position::new(line, column)),
            }],
        );
    }
    let mut yaml = match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(yaml) => yaml,
        Err(e) if e.to_string().contains("duplicate entry with key") => {
            return (None, vec![duplicate_key(path, e)]);
        }
        Err(e) => {
            let hint = "fix the YAML syntax at that line (indentation, quoting of `: ` and `#`)";
            return (None, vec![located(path, "yaml", e, hint)]);
        }
    };
    let mut problems = Vec::new();
    if let Err(problem) = apply_merges(path, &mut yaml, &mut String::new()) {
        return (None, vec![problem]);
    }
    non_finite_numbers(path, &yaml, &mut String::new(), &mut problems);
    match serde_json::to_value(&yaml) {
        Ok(document) => {
            let spec = SpecDocument {
                path: path.to_path_buf(),
                document,
            };
            (Some((yaml, spec)), problems)
        }
        Err(e) => {
            problems.push(Problem {
                file: path.to_path_buf(),
                pointer: String::new(),
                rule: "yaml",
                message: format!("not a JSON-shaped document: {e}"),
                hint: "use strings as mapping keys (quote numeric keys such as status codes: `'200':`)".into(),
                position: None,
            });
            (None, problems)
        }
    }
}

/// Deepest nesting a spec may have, block levels and flow brackets together. The YAML reader's
/// cost grows with the square of flow nesting (400 KB of `[`: over a minute), so a deeper
/// document is refused by a linear scan before it runs; real specs nest about 15 levels.
pub const MAX_NESTING: usize = 64;

/// Where `text` first nests deeper than `limit` (line, column; 1-based), scanning once: block
/// levels by indentation, flow levels by `[`/`{` outside quotes, comments and block scalars.
/// It over-counts rather than misses (a plain scalar's unbalanced bracket counts).
pub fn nesting_beyond(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    let mut block_scalar: Option<usize> = None;
    for (number, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.trim();
        if let Some(owner) = block_scalar {
            if content.is_empty() || indent > owner {
                continue;
            }
            block_scalar = None;
        }
        let mut block = indents.len();
        if quote.is_none() && flow == 0 && !content.is_empty() && !content.starts_with('#') {
            while indents.last().is_some_and(|&top| top >= indent) {
                indents.pop();
            }
            indents.push(indent);
            // `- - x` nests one level per dash.
            let dashes = content.split(' ').take_while(|w| *w == "-").count();
            block = indents.len() + dashes;
        }
        let mut previous: Option<char> = None; // the last character that is not a space
        let mut escaped = false;
        let mut chars = line.char_indices().peekable();
        while let Some((column, c)) = chars.next() {
            match quote {
                Some('\'') => {
                    if c == '\'' {
                        if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                            chars.next();
                        } else {
                            quote = None;
                        }
                    }
                }
                Some(_) => {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        quote = None;
                    }
                }
                None => {
                    let starts_value =
                        matches!(previous, None | Some(':' | '-' | '?' | ',' | '[' | '{'));
                    match c {
                        '#' if column == 0 || line[..column].ends_with([' ', '\t']) => break,
                        '\'' | '"' if starts_value => quote = Some(c),
                        '[' | '{' if starts_value || flow > 0 => {
                            flow += 1;
                            if block + flow > limit {
                                return Some((number + 1, column + 1));
                            }
                        }
                        ']' | '}' if flow > 0 => flow -= 1,
                        _ => {}
                    }
                }
            }
            if !c.is_whitespace() {
                previous = Some(c);
            }
        }
        if block > limit {
            return Some((number + 1, 1));
        }
        // `key: |`, `- >-`: the lines indented below are text.
        if quote.is_none() && flow == 0 {
            let code = content.split(" #").next().unwrap_or(content);
            let last = code.rsplit(' ').next().unwrap_or_default();
            if (last.starts_with('|') || last.starts_with('>'))
                && last[1..]
                    .chars()
                    .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
            {
                block_scalar = Some(indent);
            }
        }
    }
    None
}

/// Applies YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`) as YAML 1.1 defines them: the
/// mapping's own keys win, then earlier merged mappings over later ones, and a merged mapping's
/// own merges apply first. Anything else under `<<` is refused at its place: left in, it would
/// reach the rules and openapiv3 as a property named `<<`.
fn apply_merges(
    path: &Path,
    value: &mut serde_yaml::Value,
    at: &mut String,
) -> Result<(), Problem> {
    use serde_yaml::Value;
    let refuse = |at: &str, what: &str| Problem {
        file: path.to_path_buf(),
        pointer: format!("{at}/<<"),
        rule: "yaml",
        message: format!("the merge key `<<` holds {what}, not a mapping or a list of mappings"),
        hint: "merge an anchored mapping (`<<: *name`) or a list of them, or write the keys out"
            .into(),
        position: None,
    };
    match value {
        Value::Mapping(mapping) => {
            while let Some(merge) = mapping.remove("<<") {
                let sources = match merge {
                    Value::Mapping(m) => vec![m],
                    Value::Sequence(items) => {
                        let mut sources = Vec::new();
                        for item in items {
                            match item {
                                Value::Mapping(m) => sources.push(m),
                                _ => {
                                    return Err(refuse(
                                        at,
                                        "a list with an item that is not a mapping",
                                    ));
                                }
                            }
                        }
                        sources
                    }
                    _ => return Err(refuse(at, "a scalar")),
                };
                for mut source in sources {
                    let mut source_value = Value::Mapping(std::mem::take(&mut source));
                    apply_merges(path, &mut source_value, &mut at.clone())?;
                    if let Value::Mapping(source) = source_value {
                        for (k, v) in source {
                            mapping.entry(k).or_insert(v);
                        }
                    }
                }
            }
            for (key, item) in mapping.iter_mut() {
                let len = at.len();
                at.push('/');
                at.push_str(&segment(key.as_str().unwrap_or_default()));
                apply_merges(path, item, at)?;
                at.truncate(len);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                apply_merges(path, item, at)?;
                at.truncate(len);
            }
        }
        Value::Tagged(tagged) => apply_merges(path, &mut tagged.value, at)?,
        _ => {}
    }
    Ok(())
}

/// serde_yaml's `<path>: duplicate entry with key "k" at line L column C`, as a problem.
fn duplicate_key(path: &Path, e: serde_yaml::Error) -> Problem {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let text = e.to_string();
    let (inside, key) = match text.split_once(": duplicate entry with key ") {
        Some((inside, rest)) => (inside, rest.split(" at line ").next().unwrap_or(rest)),
        None => ("", text.as_str()),
    };
    let place = if inside.is_empty() || inside.starts_with("duplicate") {
        "the document".to_owned()
    } else {
        format!("`{inside}`")
    };
    Problem {
        file: path.to_path_buf(),
        pointer: String::new(),
        rule: "duplicate-key",
        message: format!(
            "line {line} column {column}: key {key} appears twice in {place}; YAML would keep only the last"
        ),
        hint: "merge the two entries into one (each key once per mapping)".into(),
        position: Some(Position::new(line, column)),
    }
}

/// Problems for every `.inf`/`.nan` in `value`, by JSON pointer.
fn non_finite_numbers(
    path: &Path,
    value: &serde_yaml::Value,
    at: &mut String,
    problems: &mut Vec<Problem>,
) {
    match value {
        serde_yaml::Value::Number(n) if n.as_f64().is_some_and(|f| !f.is_finite()) => {
            problems.push(Problem {
                file: path.to_path_buf(),
                pointer: at.clone(),
                rule: "number",
                message: format!("`{n}` is not a finite number"),
                hint: "give a finite bound, or leave the keyword out (no `maximum` means no bound)"
                    .into(),
                position: None,
            });
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                non_finite_numbers(path, item, at, problems);
                at.truncate(len);
            }
        }
        serde_yaml::Value::Mapping(map) => {
            for (key, item) in map {
                let len = at.len();
                let key = match key {
                    serde_yaml::Value::String(k) => k.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim_end()
                        .to_owned(),
                };
                at.push('/');
                at.push_str(&segment(&key));
                non_finite_numbers(path, item, at, problems);
                at.truncate(len);
            }
        }
        serde_yaml::Value::Tagged(tagged) => non_finite_numbers(path, &tagged.value, at, problems),
        _ => {}
    }
}

/// Why openapiv3 cannot read `text`, with the line and column: read again from the text only
/// on this (failing) path, as the JSON form carries no positions.
fn locate_structure_error(path: &Path, text: &str) -> Option<Problem> {
    match crate::guard::guarded(|| serde_yaml::from_str::<OpenAPI>(text)) {
        Ok(Err(e)) => Some(located(path, "openapi-document", e, STRUCTURE_HINT)),
        _ => None,
    }
}

/// A YAML (or YAML-to-OpenAPI) error as a problem whose message leads with line and column.
fn located(path: &Path, rule: &'static str, e: serde_yaml::Error, hint: &str) -> Problem {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    // serde_yaml ends its message with the location, which leads here instead.
    let text = e.to_string();
    let message = text
        .split_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    Problem {
        file: path.to_path_buf(),
        pointer: String::new(),
        rule,
        message: format!("line {line} column {column}: {message}"),
        hint: hint.into(),
        position: Some(Position::new(line, column)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each pointer's line and column as an editor shows them: (case, pointer, the text whose
    /// first character the position names, counted from the start of `POSITIONED`). Block and
    /// flow styles, quoted keys, list items, an escaped `/`, a key a rule finds missing (its
    /// nearest written parent), a key a merge brought in (its mapping), a complex key skipped.
    #[test]
    fn every_pointer_has_the_line_and_column_of_its_node() {
        const POSITIONED: &str = "openapi: 3.0.3\ninfo: {title: t, version: v1}\npaths:\n  /v1/jobs:\n    get:\n      parameters:\n        - name: limit\n          in: query\n        - {name: page, schema: {type: integer}}\n      responses:\n        '200': {description: ok}\ncomponents:\n  schemas:\n    Base: &base {type: object}\n    Job:\n      <<: *base\n      properties:\n        \"a/b\": {type: string}\n      ? [x, y]\n      : z\n      title: Job\n";
        let position = |needle: &str| {
            let at = POSITIONED.find(needle).unwrap();
            let before = &POSITIONED[..at];
            Some(Position::new(
                before.matches('\n').count() + 1,
                at - before.rfind('\n').map_or(0, |i| i + 1) + 1,
            ))
        };
        let positions = yaml_positions(POSITIONED);
        let cases = [
            ("top-level key", "/openapi", position("openapi")),
            ("flow key", "/info/version", position("version")),
            ("escaped route", "/paths/~1v1~1jobs", position("/v1/jobs")),
            (
                "block list item",
                "/paths/~1v1~1jobs/get/parameters/0",
                position("name: limit"),
            ),
            (
                "key in a block item",
                "/paths/~1v1~1jobs/get/parameters/0/in",
                position("in: query"),
            ),
            (
                "flow list item",
                "/paths/~1v1~1jobs/get/parameters/1",
                position("{name: page"),
            ),
            (
                "nested flow key",
                "/paths/~1v1~1jobs/get/parameters/1/schema/type",
                position("type: integer"),
            ),
            (
                "quoted key",
                "/paths/~1v1~1jobs/get/responses/200",
                position("'200'"),
            ),
            (
                "quoted key with `/`",
                "/components/schemas/Job/properties/a~1b",
                position("\"a/b\""),
            ),
            (
                "missing key: its parent",
                "/paths/~1v1~1jobs/get/parameters/0/schema/type",
                position("name: limit"),
            ),
            (
                "merged key: its mapping",
                "/components/schemas/Job/type",
                position("Job:"),
            ),
            (
                "after a complex key",
                "/components/schemas/Job/title",
                position("title: Job"),
            ),
            ("the whole document", "", None),
            ("not in the file at all", "/nowhere/at/all", None),
        ];
        for (case, pointer, expected) in cases {
            assert_eq!(positions.find(pointer), expected, "{case}: {pointer}");
        }
        // A loaded spec keeps the positions of the file it read (after a byte-order mark too).
        let loaded = read_text(&format!("\u{feff}{HEAD}paths: {{}}\n"));
        assert_eq!(
            loaded.positions().find("/info/title"),
            Some(Position::new(2, 8))
        );
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: v1}\n";

    /// `text` written as `specs/t-v1.yaml` and read as `load` reads it.
    fn read_text(text: &str) -> Loaded {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join("specs")).unwrap();
        fs::write(root.path().join("specs/t-v1.yaml"), text).unwrap();
        read(root.path(), Path::new("specs/t-v1.yaml"))
    }

    /// What YAML means, read as it means it: (case, document, pointer into the JSON form,
    /// expected value there). A merge key is applied as YAML 1.1 defines it (own keys first,
    /// earlier merges before later, a merged mapping's own merges included); a byte-order mark
    /// is no content.
    #[test]
    fn specs_read_as_yaml_means_them() {
        let paths = "paths:\n  /x:\n    get:\n      operationId: x\n      parameters:\n        - <<: *limit\n          name: page\n      responses: {'200': {description: ok}}\n";
        let components = "components:\n  parameters:\n    Limit: &limit {name: limit, in: query, schema: {type: integer, maximum: 9}}\n  schemas:\n    Base: &base {type: object, required: [a], properties: {a: {type: string, maxLength: 3}}}\n    Mid: &mid {<<: *base, description: mid, title: mid}\n    Req: {<<: [*mid, {title: other, nullable: true}], title: own}\n";
        let spec = format!("{HEAD}{components}{paths}");
        let cases: [(&str, String, &str, serde_json::Value); 8] = [
            (
                "merged schema keeps `required`",
                spec.clone(),
                "/components/schemas/Req/required",
                serde_json::json!(["a"]),
            ),
            (
                "merged constraint",
                spec.clone(),
                "/components/schemas/Req/properties/a/maxLength",
                serde_json::json!(3),
            ),
            (
                "own key wins",
                spec.clone(),
                "/components/schemas/Req/title",
                serde_json::json!("own"),
            ),
            (
                "earlier merge wins",
                spec.clone(),
                "/components/schemas/Req/description",
                serde_json::json!("mid"),
            ),
            (
                "later merge fills in",
                spec.clone(),
                "/components/schemas/Req/nullable",
                serde_json::json!(true),
            ),
            (
                "merged parameter keeps `in`",
                spec.clone(),
                "/paths/~1x/get/parameters/0/in",
                serde_json::json!("query"),
            ),
            (
                "merged parameter's own name",
                spec.clone(),
                "/paths/~1x/get/parameters/0/name",
                serde_json::json!("page"),
            ),
            (
                "byte-order mark",
                format!("\u{feff}{spec}"),
                "/openapi",
                serde_json::json!("3.0.3"),
            ),
        ];
        for (case, text, pointer, expected) in cases {
            let loaded = read_text(&text);
            assert_eq!(loaded.problems, [], "{case}");
            let document = &loaded.document.as_ref().expect(case).document;
            assert_eq!(document.pointer(pointer), Some(&expected), "{case}");
            assert!(
                !document.to_string().contains("<<"),
                "{case}: no `<<` key is left"
            );
            let openapi = loaded.openapi.expect(case).expect(case);
            let schemas = &openapi.components.unwrap().schemas;
            let Some(openapiv3::ReferenceOr::Item(req)) = schemas.get("Req") else {
                panic!("{case}: Req");
            };
            let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &req.schema_kind
            else {
                panic!("{case}: Req is an object, not untyped: {req:?}");
            };
            assert_eq!(object.required, ["a"], "{case}");
        }
    }

    /// What is refused, before any reader trusts it: (case, document, rule, pointer, message
    /// start). Nesting is refused by a linear scan before the YAML reader (quadratic in flow
    /// nesting) runs; brackets in quoted strings, comments and block scalars do not count.
    #[test]
    fn yaml_a_spec_cannot_mean_is_refused_at_its_place() {
        let deep_flow = format!(
            "{HEAD}paths: {}{}\n",
            "[".repeat(200_000),
            "]".repeat(200_000)
        );
        let deep_block: String = (0..70)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        let cases: [(&str, String, &str, &str, &str); 5] = [
            (
                "scalar merge",
                format!("{HEAD}paths: {{}}\ncomponents: {{schemas: {{A: {{<<: 3}}}}}}\n"),
                "yaml",
                "/components/schemas/A/<<",
                "the merge key `<<` holds a scalar",
            ),
            (
                "list of scalars merged",
                format!("{HEAD}paths: {{}}\nx-a: {{<<: [1]}}\n"),
                "yaml",
                "/x-a/<<",
                "the merge key `<<` holds a list",
            ),
            (
                "400 KB of flow nesting",
                deep_flow,
                "yaml",
                "",
                "line 3 column 71: nested more than 64 levels deep",
            ),
            (
                "block nesting",
                format!("{HEAD}{deep_block}"),
                "yaml",
                "",
                "line 67 column 1: nested more than 64",
            ),
            (
                "one document at a time",
                format!("\u{feff}{HEAD}---\n{HEAD}"),
                "yaml",
                "",
                "line ",
            ),
        ];
        for (case, text, rule, pointer, message) in cases {
            let loaded = read_text(&text);
            let problem = loaded
                .problems
                .first()
                .unwrap_or_else(|| panic!("{case}: accepted"));
            assert_eq!(
                (problem.rule, problem.pointer.as_str()),
                (rule, pointer),
                "{case}: {problem}"
            );
            assert!(problem.message.starts_with(message), "{case}: {problem}");
            assert!(loaded.document.is_none(), "{case}");
        }
        let brackets = "[{".repeat(100);
        let quiet = format!(
            "{HEAD}paths: {{}}\nx-a: '{brackets}'\nx-b: \"{brackets}\"\nx-c: |\n  {brackets}\n  {brackets}\nx-d: 1 # {brackets}\nx-e: don't {brackets}\n"
        );
        assert_eq!(
            nesting_beyond(&quiet, MAX_NESTING).map(|(line, _)| line),
            Some(10),
            "the scan over-counts rather than misses: a plain scalar's brackets count"
        );
        let quiet = quiet.replace(&format!("x-e: don't {brackets}\n"), "");
        assert_eq!(nesting_beyond(&quiet, MAX_NESTING), None);
        assert_eq!(read_text(&quiet).problems, []);
    }
}
