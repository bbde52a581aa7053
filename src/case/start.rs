//! Starting a case file from an application (`hds case new`): the case id, the
//! application (by its path relative to the case file's folder, or inline when it
//! comes from standard input) and no events yet, under a short comment.

use super::append::scalar;
use super::file::{self, Format, MAX_CASE_BYTES};
use crate::input::{self, InputRecord};
use crate::model::application::Application;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Why a case file was not started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// The application is bad input.
    BadInput(String),
    /// The case file cannot be written where asked (it exists, or its folder does
    /// not).
    CannotRun(String),
}

/// The text of a new case file for `application` (a file, or `-` for one
/// application on standard input), to be written to `output` (`None`: standard
/// output, and a path to the application relative to the current folder).
pub fn start(application: &str, output: Option<&Path>) -> Result<String, StartError> {
    let folder = match output {
        Some(out) => {
            if out.symlink_metadata().is_ok() {
                return Err(StartError::CannotRun(format!(
                    "{}: already exists; a case file is never overwritten: choose another name, or record events in it with hds case record",
                    out.display()
                )));
            }
            let folder = file::folder_of(out);
            if !folder.is_dir() {
                return Err(StartError::CannotRun(format!(
                    "{}: no such folder; expected the folder of the case file to exist",
                    folder.display()
                )));
            }
            folder
        }
        None => PathBuf::from("."),
    };
    let shown = output.map_or("CASEFILE".to_string(), |o| o.display().to_string());
    let name = output.map_or("-".to_string(), |o| o.display().to_string());
    if application == "-" {
        let text = read_stdin()?;
        let app = one(parse_stdin(&text))?;
        let head = header(&app.id, &shown);
        let inline = |body: String| format!("{head}application:\n{body}events: []\n");
        let written = inline(indented(&text));
        if file::parse_case(&name, &written, Format::Yaml, &folder).is_ok() {
            return Ok(written);
        }
        // The document as written does not nest (a `---` marker, tabs): write its
        // values again instead.
        let again = crate::yaml::from_str::<crate::yaml::Value>(&text)
            .map_err(|e| StartError::BadInput(format!("-: {e}")))?
            .to_yaml()
            .map_err(|e| StartError::BadInput(format!("-: cannot write the application: {e}")))?;
        let written = inline(indented(&again));
        return file::parse_case(&name, &written, Format::Yaml, &folder)
            .map(|_| written)
            .map_err(|e| StartError::BadInput(e.message));
    }
    let mut records = Vec::new();
    input::read_records(application, &mut |r| records.push(r));
    let app = one(records)?;
    let path = match output {
        Some(_) => relative_to(Path::new(application), &folder)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| application.to_string()),
        None => application.to_string(),
    };
    let written = format!(
        "{}application: {}\nevents: []\n",
        header(&app.id, &shown),
        scalar(&path, false)
    );
    file::parse_case(&name, &written, Format::Yaml, &folder)
        .map(|_| written)
        .map_err(|e| StartError::BadInput(e.message))
}

fn header(id: &str, file: &str) -> String {
    format!(
        "# Case {id}: the application as received and every event since, one a line, in any order.\n\
         # Record an event: hds case record {file} --kind KIND --date YYYY-MM-DD [FIELD=VALUE...]\n\
         case: {}\n",
        scalar(id, false)
    )
}

/// The one application of `records`, or why there is not one.
fn one(mut records: Vec<InputRecord>) -> Result<Application, StartError> {
    let count = records.len();
    match records.pop() {
        Some(record) if count == 1 => record.result.map_err(|e| StartError::BadInput(e.message)),
        _ => Err(StartError::BadInput(format!(
            "the input holds {count} applications; a case follows one application"
        ))),
    }
}

fn read_stdin() -> Result<String, StartError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_CASE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| StartError::BadInput(format!("-: cannot read standard input: {e}")))?;
    if bytes.len() > MAX_CASE_BYTES {
        return Err(StartError::BadInput(format!(
            "-: the application holds more than {MAX_CASE_BYTES} bytes; expected at most {MAX_CASE_BYTES}"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        StartError::BadInput("-: not UTF-8 text; expected an application document".to_string())
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

fn parse_stdin(text: &str) -> Vec<InputRecord> {
    match Format::sniff(text) {
        Format::Json => vec![input::parse_json("-", None, text)],
        Format::Yaml => input::parse_yaml_documents("-", text),
    }
}

/// A document indented to sit under a key, without its document markers.
fn indented(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut lines = text.lines().peekable();
    // Directives and a `---` marker before the content.
    while let Some(l) = lines.peek() {
        if l.starts_with('%') || l.trim_end() == "---" {
            lines.next();
        } else {
            break;
        }
    }
    for line in lines {
        if line.trim_end() == "..." {
            break;
        }
        if !line.trim().is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// `target` as a path relative to `folder`, both as they are on disk (links
/// followed); `None` when either cannot be found.
pub fn relative_to(target: &Path, folder: &Path) -> Option<PathBuf> {
    let target = std::fs::canonicalize(target).ok()?;
    let folder = std::fs::canonicalize(folder).ok()?;
    let t: Vec<Component<'_>> = target.components().collect();
    let f: Vec<Component<'_>> = folder.components().collect();
    let common = t.iter().zip(&f).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return Some(target);
    }
    let mut path = PathBuf::new();
    for _ in common..f.len() {
        path.push("..");
    }
    for c in &t[common..] {
        path.push(c);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_made_relative_to_a_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cases = dir.path().join("cases");
        std::fs::create_dir_all(&cases).expect("mkdir");
        std::fs::write(dir.path().join("a.yaml"), "x").expect("write");
        assert_eq!(
            relative_to(&dir.path().join("a.yaml"), &cases),
            Some(PathBuf::from("../a.yaml"))
        );
        assert_eq!(
            relative_to(&dir.path().join("a.yaml"), dir.path()),
            Some(PathBuf::from("a.yaml"))
        );
        assert_eq!(relative_to(&dir.path().join("missing"), dir.path()), None);
    }

    #[test]
    fn a_document_is_indented_without_its_markers() {
        assert_eq!(
            indented("%YAML 1.2\n---\nid: A\n\nb: |\n  x\n...\n"),
            "  id: A\n\n  b: |\n    x\n"
        );
    }

    #[test]
    fn a_case_file_is_not_started_over_an_existing_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("c.yaml");
        std::fs::write(&out, "keep").expect("write");
        assert!(matches!(
            start("x.yaml", Some(&out)),
            Err(StartError::CannotRun(m)) if m.contains("already exists")
        ));
        assert!(matches!(
            start("x.yaml", Some(&dir.path().join("no/c.yaml"))),
            Err(StartError::CannotRun(m)) if m.contains("no such folder")
        ));
    }
}
