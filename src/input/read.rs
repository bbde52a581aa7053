//! Files, folders and standard input: the split of input into records, one record
//! at a time. Nothing is read whole: lines are read with a bound on what is kept
//! ([`super::lines`]), so each record holds at most the record limit in memory however
//! large its input, and a record is handed on as soon as its end is seen.
//!
//! - `.jsonl` / `.ndjson`: every non-blank line is a record.
//! - `.json`: the file is one record.
//! - `.yaml` / `.yml`: documents split at `---` and `...` lines (a marker at the start
//!   of a line always ends a YAML document), each a record; text after `---` on the
//!   marker line belongs to the document that starts there.
//! - a folder: every application file directly inside it, sorted by name.
//! - `-`, standard input: records found by their content, one at a time. A line
//!   starting with `{` is a JSON record of its own (a line holding only `{` starts a
//!   pretty-printed JSON object, which runs to its closing bracket); after a JSON
//!   record every non-blank line is one record, until a `---` line starts YAML
//!   again. Other text is YAML, split as in a `.yaml` file, and a YAML document also
//!   ends where a line starts with `{`.
//!
//! Lines end at `\n`; in YAML files and on standard input also at `\r\n` and at a
//! lone `\r`, as the YAML reader ends them, so markers and line numbers agree with
//! it. JSON Lines end at `\n` only, and so does a line of standard input that
//! starts with `{`.

use super::lines::{Line, Lines, Next, ENDLESS_LINE};
use super::parse::{id_line, parse_json, parse_json_at, parse_json_line, parse_yaml_at};
use super::{failed, InputErrorKind, InputRecord, MAX_RECORD_BYTES};
use std::io::{BufRead, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Json,
    JsonLines,
}

fn format_of(path: &str) -> Option<Format> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some(Format::Yaml)
    } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        Some(Format::JsonLines)
    } else if lower.ends_with(".json") {
        Some(Format::Json)
    } else {
        None
    }
}

/// What a sink says after each record: go on, or stop reading.
pub type Flow = ControlFlow<()>;

/// Reads every record of `path` (`-` for standard input, or a folder), handing each
/// to `sink` as soon as it is read.
pub fn read_records(path: &str, sink: &mut dyn FnMut(InputRecord)) {
    let _ = read_records_until(path, &mut |record| {
        sink(record);
        ControlFlow::Continue(())
    });
}

/// Reads the records of `path` as [`read_records`] does, until `sink` says stop; then
/// nothing more is read. Says whether it was stopped.
pub fn read_records_until(path: &str, sink: &mut dyn FnMut(InputRecord) -> Flow) -> Flow {
    if path == "-" {
        let stdin = std::io::stdin();
        return read_stream(path, stdin.lock(), sink);
    }
    if Path::new(path).is_dir() {
        return read_folder(path, sink);
    }
    let unreadable =
        |message: String| failed(path.to_string(), None, InputErrorKind::Unreadable, message);
    let Some(format) = format_of(path) else {
        return sink(unreadable(format!(
            "{path}: unsupported file type; expected .yaml, .yml, .json, .jsonl, a folder of them, or - for standard input"
        )));
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return sink(unreadable(format!("{path}: cannot open: {e}"))),
    };
    let reader = std::io::BufReader::with_capacity(64 * 1024, file);
    match format {
        Format::JsonLines => read_json_lines(path, reader, sink),
        Format::Yaml => read_yaml(path, reader, sink),
        Format::Json => read_json_file(path, reader, sink),
    }
}

/// Every application file of a folder, sorted by name; subfolders, hidden files and
/// files of other types are passed over. A name that is not a regular file (a named
/// pipe, which would wait for a writer) is an `unreadable` record, not opened.
fn read_folder(path: &str, sink: &mut dyn FnMut(InputRecord) -> Flow) -> Flow {
    let mut files = Vec::new();
    if let Err(e) = application_files(Path::new(path), &mut files) {
        return sink(failed(
            path.to_string(),
            None,
            InputErrorKind::Unreadable,
            format!("{path}: cannot read the folder: {e}"),
        ));
    }
    if files.is_empty() {
        return sink(failed(
            path.to_string(),
            None,
            InputErrorKind::Unreadable,
            format!("{path}: no application files in the folder; expected .yaml, .yml, .json or .jsonl files"),
        ));
    }
    for file in files {
        let name = file.display().to_string();
        if crate::input::not_a_regular_file(&file) {
            sink(failed(
                name.clone(),
                None,
                InputErrorKind::Unreadable,
                format!("{name}: not a regular file (a device, pipe or socket); expected an application file"),
            ))?;
            continue;
        }
        read_records_until(&name, sink)?;
    }
    ControlFlow::Continue(())
}

fn application_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if !hidden && !path.is_dir() && format_of(&path.to_string_lossy()).is_some() {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

/// A `.json` file: one record, read no further than the limit.
fn read_json_file(
    path: &str,
    reader: impl Read,
    sink: &mut dyn FnMut(InputRecord) -> Flow,
) -> Flow {
    let mut bytes = Vec::new();
    let limit = MAX_RECORD_BYTES as u64;
    if let Err(e) = reader.take(limit + 1).read_to_end(&mut bytes) {
        return sink(failed(
            path.to_string(),
            None,
            InputErrorKind::Unreadable,
            format!("{path}: cannot read: {e}"),
        ));
    }
    if bytes.len() as u64 > limit {
        return sink(failed(
            path.to_string(),
            None,
            InputErrorKind::TooLarge,
            format!("{path}: the file holds more than {MAX_RECORD_BYTES} bytes; expected at most {MAX_RECORD_BYTES} for one application"),
        ));
    }
    match utf8(path, 1, strip_bom(bytes)) {
        Ok(text) => sink(parse_json(path, None, &text)),
        Err(message) => sink(failed(
            path.to_string(),
            None,
            InputErrorKind::Unreadable,
            message,
        )),
    }
}

/// A JSON Lines file: every non-blank line a record.
fn read_json_lines(
    path: &str,
    reader: impl BufRead,
    sink: &mut dyn FnMut(InputRecord) -> Flow,
) -> Flow {
    let mut lines = Lines::new(reader);
    loop {
        match lines.next_line(MAX_RECORD_BYTES + 1) {
            Next::End => return ControlFlow::Continue(()),
            Next::Line(line) if line.is_blank() => {}
            Next::Line(line) => sink(json_line(path, line))?,
            Next::Endless(n) => return sink(endless(path, n)),
            Next::Failed(n, e) => return sink(broken(path, n, &e)),
        }
    }
}

/// One line as one JSON record, `path:N`.
fn json_line(path: &str, line: Line) -> InputRecord {
    let n = line.number;
    let input = numbered(path, n);
    if line.len > MAX_RECORD_BYTES as u64 {
        return failed(
            input,
            None,
            InputErrorKind::TooLarge,
            format!(
                "{path}:{n}: the line holds {} bytes; expected at most {MAX_RECORD_BYTES} per application",
                line.len
            ),
        );
    }
    match utf8(path, n, strip_bom(line.bytes)) {
        Ok(text) => parse_json_line(input, path, n, &text),
        Err(message) => failed(input, None, InputErrorKind::Unreadable, message),
    }
}

/// `path:n`, the name of a record by the line it starts on, as `format!` would
/// write it but without its machinery, since every record of a file is named.
fn numbered(path: &str, n: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 || at == 0 {
            break;
        }
    }
    let digits = &digits[at..];
    let mut name = String::with_capacity(path.len() + 1 + digits.len());
    name.push_str(path);
    name.push(':');
    name.extend(digits.iter().map(|d| char::from(*d)));
    name
}

fn endless(path: &str, n: usize) -> InputRecord {
    failed(
        format!("{path}:{n}"),
        None,
        InputErrorKind::TooLarge,
        format!("{path}:{n}: the line runs past {ENDLESS_LINE} bytes without a line end; expected at most {MAX_RECORD_BYTES} bytes per application (the rest of the input is not read)"),
    )
}

fn broken(path: &str, n: usize, e: &std::io::Error) -> InputRecord {
    failed(
        format!("{path}:{n}"),
        None,
        InputErrorKind::Unreadable,
        format!("{path}:{n}: cannot read further: {e}"),
    )
}

fn strip_bom(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    bytes
}

/// The bytes as text, or why not: the line and column of the first byte that is not
/// UTF-8, counted from `first_line`.
fn utf8(path: &str, first_line: usize, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = first_line + good.iter().filter(|b| **b == b'\n').count();
        let column = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        format!(
            "{path}:{line}:{column}: not UTF-8 text (byte {} of the record); expected UTF-8 text",
            good.len()
        )
    })
}

fn is_marker(line: &[u8]) -> bool {
    line.starts_with(b"---") && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r'))
}

fn is_end_marker(line: &[u8]) -> bool {
    line.starts_with(b"...") && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r'))
}

/// Whether a line holds something besides blanks, comments and YAML directives. A
/// comment runs to the end of the line unless a line break the YAML reader knows
/// (U+0085, U+2028, U+2029) ends it first, and what follows is content.
fn has_content(line: &[u8], number: usize) -> bool {
    let line = if number == 1 {
        line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
    } else {
        line
    };
    let text = line.trim_ascii();
    if text.is_empty() || line.starts_with(b"%") {
        return false;
    }
    !text.starts_with(b"#") || !crate::yaml::is_blank(&String::from_utf8_lossy(text))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkKind {
    /// A YAML document, possibly opened by a `---` line.
    Yaml { marker: bool },
    /// A pretty-printed JSON object on standard input, and its bracket depth.
    Json { depth: i64 },
}

/// The lines of one record being gathered; at most the record limit is kept.
struct Chunk {
    kind: ChunkKind,
    start: usize,
    text: Vec<u8>,
    len: u64,
    content: bool,
}

impl Chunk {
    fn new(kind: ChunkKind, start: usize) -> Chunk {
        Chunk {
            kind,
            start,
            text: Vec::new(),
            len: 0,
            content: false,
        }
    }

    fn add(&mut self, line: &Line) {
        self.len += line.len + 1;
        if self.len <= MAX_RECORD_BYTES as u64 {
            self.text.extend_from_slice(&line.bytes);
            self.text.push(b'\n');
        }
        match &mut self.kind {
            ChunkKind::Yaml { marker } => {
                let own = if is_end_marker(&line.bytes) {
                    false
                } else if *marker && line.number == self.start {
                    let rest = line.bytes.get(3..).unwrap_or_default().trim_ascii();
                    !rest.is_empty() && !rest.starts_with(b"#")
                } else {
                    has_content(&line.bytes, line.number)
                };
                self.content |= own;
            }
            ChunkKind::Json { depth } => {
                self.content = true;
                *depth += bracket_depth(&line.bytes);
            }
        }
    }

    /// The record: where it starts (its line) and what was read.
    fn record(self, path: &str) -> (usize, InputRecord) {
        let too_large = self.len > MAX_RECORD_BYTES as u64;
        let (first_line, skip) = match self.kind {
            ChunkKind::Yaml { marker: true } if !starts_on_marker(&self.text) => {
                (self.start + 1, true)
            }
            _ => (self.start, false),
        };
        if too_large {
            let kept = String::from_utf8_lossy(&self.text);
            let what = match self.kind {
                ChunkKind::Yaml { .. } => "document",
                ChunkKind::Json { .. } => "object",
            };
            return (
                first_line,
                failed(
                    path.to_string(),
                    id_line(&kept),
                    InputErrorKind::TooLarge,
                    format!(
                        "{path}:{first_line}: the {what} holds {} bytes or more; expected at most {MAX_RECORD_BYTES}",
                        self.len
                    ),
                ),
            );
        }
        let mut bytes = self.text;
        if skip {
            let cut = bytes
                .iter()
                .position(|b| *b == b'\n')
                .map_or(bytes.len(), |i| i + 1);
            bytes.drain(..cut);
        }
        let bytes = if first_line == 1 {
            strip_bom(bytes)
        } else {
            bytes
        };
        let text = match utf8(path, first_line, bytes) {
            Ok(text) => text,
            Err(message) => {
                return (
                    first_line,
                    failed(path.to_string(), None, InputErrorKind::Unreadable, message),
                )
            }
        };
        let record = match self.kind {
            ChunkKind::Yaml { .. } => parse_yaml_at(path, &text, first_line - 1),
            ChunkKind::Json { .. } => parse_json_at(path, first_line - 1, &text),
        };
        (first_line, record)
    }
}

fn starts_on_marker(text: &[u8]) -> bool {
    let first = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let rest = first.get(3..).unwrap_or_default().trim_ascii();
    is_marker(first) && !rest.is_empty() && !rest.starts_with(b"#")
}

/// How much a line opens (`{`, `[`) minus what it closes, outside JSON strings.
fn bracket_depth(line: &[u8]) -> i64 {
    let (mut depth, mut in_string, mut escaped) = (0i64, false, false);
    for b in line {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'{' | b'[') => depth += 1,
            (false, _, b'}' | b']') => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// Hands records on and names them: every record of a stream of several by its first
/// line (`file:12`), a stream's only document by the file alone. The first document
/// waits until the next record is found (or the stream ends) to know which.
struct Namer<'a> {
    path: &'a str,
    sink: &'a mut dyn FnMut(InputRecord) -> Flow,
    pending: Option<(usize, InputRecord)>,
    count: usize,
}

impl<'a> Namer<'a> {
    fn new(path: &'a str, sink: &'a mut dyn FnMut(InputRecord) -> Flow) -> Self {
        Namer {
            path,
            sink,
            pending: None,
            count: 0,
        }
    }

    /// A gathered document: blank ones are no record.
    fn chunk(&mut self, chunk: Chunk) -> Flow {
        if !chunk.content {
            return ControlFlow::Continue(());
        }
        let (line, record) = chunk.record(self.path);
        self.count += 1;
        if self.count == 1 {
            self.pending = Some((line, record));
            return ControlFlow::Continue(());
        }
        self.flush()?;
        self.named(line, record)
    }

    /// A record always named by its line (a JSON line).
    fn line(&mut self, record: InputRecord) -> Flow {
        self.count += 1;
        self.flush()?;
        (self.sink)(record)
    }

    fn named(&mut self, line: usize, mut record: InputRecord) -> Flow {
        record.input = format!("{}:{line}", self.path);
        (self.sink)(record)
    }

    fn flush(&mut self) -> Flow {
        match self.pending.take() {
            Some((line, record)) => self.named(line, record),
            None => ControlFlow::Continue(()),
        }
    }

    /// The end of the stream: the only document is named by the file; a stream with
    /// no record at all is one empty document.
    fn finish(mut self) -> Flow {
        if let Some((_, record)) = self.pending.take() {
            return (self.sink)(record);
        }
        if self.count == 0 {
            return (self.sink)(parse_yaml_at(self.path, "", 0));
        }
        ControlFlow::Continue(())
    }

    /// The stream stopped at line `n`: the open record, if any, is reported with
    /// why, and nothing after it is read.
    fn give_up(mut self, open: Option<Chunk>, record: InputRecord) -> Flow {
        self.flush()?;
        match open {
            Some(chunk) if chunk.content => {
                let mut record = record;
                record.input = format!("{}:{}", self.path, chunk.start);
                (self.sink)(record)
            }
            _ => (self.sink)(record),
        }
    }
}

/// A YAML file (or text): its documents, one record each.
pub(super) fn read_yaml(
    path: &str,
    reader: impl BufRead,
    sink: &mut dyn FnMut(InputRecord) -> Flow,
) -> Flow {
    let mut namer = Namer::new(path, sink);
    let mut lines = Lines::yaml(reader);
    let mut open: Option<Chunk> = None;
    loop {
        let line = match lines.next_line(MAX_RECORD_BYTES + 1) {
            Next::Line(line) => line,
            Next::End => break,
            Next::Endless(n) => return namer.give_up(open, endless(path, n)),
            Next::Failed(n, e) => return namer.give_up(open, broken(path, n, &e)),
        };
        if is_marker(&line.bytes) {
            if let Some(chunk) = open.take() {
                namer.chunk(chunk)?;
            }
            let mut chunk = Chunk::new(ChunkKind::Yaml { marker: true }, line.number);
            chunk.add(&line);
            open = Some(chunk);
        } else if is_end_marker(&line.bytes) {
            let mut chunk = open
                .take()
                .unwrap_or_else(|| Chunk::new(ChunkKind::Yaml { marker: false }, line.number));
            chunk.add(&line);
            namer.chunk(chunk)?;
        } else {
            open.get_or_insert_with(|| Chunk::new(ChunkKind::Yaml { marker: false }, line.number))
                .add(&line);
        }
    }
    if let Some(chunk) = open {
        namer.chunk(chunk)?;
    }
    namer.finish()
}

/// What standard input is reading at the moment, when no record is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Yaml,
    JsonLines,
}

/// A stream of records told apart by their content, as standard input is read (see
/// the module comment for how), named `path` in records and messages.
pub fn read_stream(
    path: &str,
    reader: impl BufRead,
    sink: &mut dyn FnMut(InputRecord) -> Flow,
) -> Flow {
    let mut namer = Namer::new(path, sink);
    let mut lines = Lines::yaml(reader);
    let mut open: Option<Chunk> = None;
    let mut mode = Mode::Yaml;
    loop {
        let mut line = match lines.next_line(MAX_RECORD_BYTES + 1) {
            Next::Line(line) => line,
            Next::End => break,
            Next::Endless(n) => return namer.give_up(open, endless(path, n)),
            Next::Failed(n, e) => return namer.give_up(open, broken(path, n, &e)),
        };
        if line.bytes.starts_with(b"\xEF\xBB\xBF") {
            line.bytes.drain(..3);
            line.len -= 3;
        }
        let opens_json = line.bytes.first() == Some(&b'{');
        match open.as_ref().map(|c| c.kind) {
            Some(ChunkKind::Json { .. }) if !opens_json && !is_marker(&line.bytes) => {
                if let Some(chunk) = open.as_mut() {
                    chunk.add(&line);
                    if matches!(chunk.kind, ChunkKind::Json { depth } if depth <= 0) {
                        if let Some(chunk) = open.take() {
                            namer.chunk(chunk)?;
                        }
                    }
                }
                continue;
            }
            Some(ChunkKind::Yaml { .. }) if !opens_json && !is_marker(&line.bytes) => {
                if let Some(chunk) = open.as_mut() {
                    chunk.add(&line);
                }
                if is_end_marker(&line.bytes) {
                    if let Some(chunk) = open.take() {
                        namer.chunk(chunk)?;
                    }
                }
                continue;
            }
            Some(_) => {
                if let Some(chunk) = open.take() {
                    namer.chunk(chunk)?;
                }
            }
            None => {}
        }
        // Between records.
        if is_marker(&line.bytes) {
            let mut chunk = Chunk::new(ChunkKind::Yaml { marker: true }, line.number);
            chunk.add(&line);
            open = Some(chunk);
            mode = Mode::Yaml;
        } else if line.is_blank() || is_end_marker(&line.bytes) {
        } else if opens_json && line.bytes.trim_ascii() == b"{" {
            let mut chunk = Chunk::new(ChunkKind::Json { depth: 0 }, line.number);
            chunk.add(&line);
            open = Some(chunk);
            mode = Mode::JsonLines;
        } else if opens_json || mode == Mode::JsonLines {
            mode = Mode::JsonLines;
            namer.line(json_line(path, line))?;
        } else {
            let mut chunk = Chunk::new(ChunkKind::Yaml { marker: false }, line.number);
            chunk.add(&line);
            open = Some(chunk);
        }
    }
    if let Some(chunk) = open {
        namer.chunk(chunk)?;
    }
    namer.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_record_is_named_as_format_would_name_it() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, usize::MAX] {
            assert_eq!(super::numbered("ø/a.jsonl", n), format!("ø/a.jsonl:{n}"));
        }
    }
}
