//! Helpers shared by the integration tests: the repository root, the `hds` binary,
//! temporary copies of the shipped rules, and [`Test`], which sets up, runs and
//! checks one command in one expression.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `hds` run from the repository root, with no HDS_RULES or RUST_LOG from outside.
pub fn hds() -> Command {
    let mut cmd = Command::cargo_bin("hds").expect("binary builds");
    cmd.current_dir(root())
        .env_remove("HDS_RULES")
        .env_remove("RUST_LOG");
    cmd.timeout(Duration::from_secs(300));
    cmd
}

/// The 1-based line of the first line of the repository file `path` that holds
/// `text`, so a test can name a rule's line without pinning a number.
pub fn line_of(path: &str, text: &str) -> usize {
    let content = std::fs::read_to_string(root().join(path)).expect("a repository file");
    1 + content
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text} in {path}"))
}

/// Runs `cmd`, which must succeed (else the test fails showing its stderr), and
/// gives its standard output.
pub fn stdout_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("hds runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// `[` nested `n` deep and closed again.
pub fn nested_brackets(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A copy of the shipped rules and calendars in a temporary folder.
pub fn copy_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("rules"), &dir.path().join("rules"));
    copy_dir(&root().join("calendars"), &dir.path().join("calendars"));
    dir
}

pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

/// The JSON values of the lines of `text`; panics naming a line that is not JSON.
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The JSON values of the lines of a command's output.
pub fn lines(output: &[u8]) -> Vec<serde_json::Value> {
    json_lines(&String::from_utf8_lossy(output))
}

/// Text as written in a test. Text that starts with a newline is unindented: that
/// newline is dropped, the spaces common to the start of every non-blank line are
/// removed, blank lines become empty and a last line of only spaces (the indentation
/// of the closing quote) is dropped. Other text is used as is.
///
/// ```text
/// "
///     a
///       b
/// "   gives "a\n  b\n"
/// ```
pub fn unindent(text: &str) -> String {
    let Some(body) = text.strip_prefix('\n') else {
        return text.to_string();
    };
    let indent = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in body.split_inclusive('\n') {
        if line.trim().is_empty() {
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line.get(indent..).unwrap_or(line));
        }
    }
    out
}

/// What one run of `hds` gave.
#[derive(Debug)]
pub struct Output {
    /// The exit code; `None` when the process was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Standard output as JSON Lines.
    pub fn json(&self) -> Vec<serde_json::Value> {
        json_lines(&self.stdout)
    }
}

type JsonCheck = Box<dyn FnOnce(&[serde_json::Value])>;

/// One run of `hds`, set up and checked in one expression, so a CLI test reads as
/// one row:
///
/// ```text
/// Test::new()
///     .edit("rules/settings.yaml", |t| t.replace("working_days: 30", "working_days: 31"))
///     .args(["evaluate", "--format", "text", "examples/cancer-registry.yaml"])
///     .stdout_contains("31 working days")
///     .run();
/// ```
///
/// Each test runs in its own temporary folder, laid out like the repository root: a
/// copy of `examples/`, `rules/`, `calendars/` and `tests/fixtures/`, so commands
/// behave as they do from the root (`./rules` is the rule set) and a test may change
/// any of it without touching the repository or other tests. Paths given to `file`,
/// `edit`, `copy`, `remove` and `dir`, and in arguments, are relative to that folder.
///
/// The exit code must be 0 unless `code` says otherwise; stdout and stderr are
/// checked only as asked. `run` runs the command and checks; a `Test` dropped
/// without `run` runs then, so a forgotten `run` cannot pass silently.
#[must_use = "a Test runs and checks nothing until .run() (or until it is dropped)"]
pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<String>,
    code: i32,
    stdout: Option<String>,
    stdout_contains: Vec<String>,
    stderr: Option<String>,
    stderr_contains: Vec<String>,
    stdout_json: Vec<JsonCheck>,
    cwd: Option<String>,
    ran: bool,
}

impl Default for Test {
    fn default() -> Self {
        Test::new()
    }
}

impl Test {
    /// A test in a fresh folder holding copies of the shipped examples, rules,
    /// calendars and test fixtures.
    pub fn new() -> Test {
        let dir = tempfile::tempdir().expect("temp dir");
        for part in ["examples", "rules", "calendars", "tests/fixtures"] {
            copy_dir(&root().join(part), &dir.path().join(part));
        }
        Test {
            dir,
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            code: 0,
            stdout: None,
            stdout_contains: Vec::new(),
            stderr: None,
            stderr_contains: Vec::new(),
            stdout_json: Vec::new(),
            cwd: None,
            ran: false,
        }
    }

    /// Writes `text` (unindented) to `path`, creating its folders; replaces a file
    /// that is there.
    pub fn file(self, path: &str, text: &str) -> Test {
        let target = self.dir.path().join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        write(&target, &unindent(text));
        self
    }

    /// Rewrites the file at `path` with `change`, which must change it: an edit whose
    /// pattern no longer matches fails the test instead of testing the unchanged file.
    pub fn edit(self, path: &str, change: impl FnOnce(&str) -> String) -> Test {
        let target = self.dir.path().join(path);
        let before =
            std::fs::read_to_string(&target).unwrap_or_else(|e| panic!("cannot edit {path}: {e}"));
        let after = change(&before);
        assert!(before != after, "the edit left {path} unchanged");
        write(&target, &after);
        self
    }

    /// Copies the file or folder `from` to `to`.
    pub fn copy(self, from: &str, to: &str) -> Test {
        let (from, to) = (self.dir.path().join(from), self.dir.path().join(to));
        if from.is_dir() {
            copy_dir(&from, &to);
        } else {
            std::fs::copy(&from, &to).expect("copy");
        }
        self
    }

    /// Removes the file or folder at `path`.
    pub fn remove(self, path: &str) -> Test {
        let target = self.dir.path().join(path);
        if target.is_dir() {
            std::fs::remove_dir_all(&target).expect("remove folder");
        } else {
            std::fs::remove_file(&target).expect("remove file");
        }
        self
    }

    /// Creates an empty folder at `path`.
    pub fn dir(self, path: &str) -> Test {
        std::fs::create_dir_all(self.dir.path().join(path)).expect("mkdir");
        self
    }

    /// Runs the command in the folder `path` instead of the test's root folder.
    pub fn in_dir(mut self, path: &str) -> Test {
        self.cwd = Some(path.to_string());
        self
    }

    /// The test's root folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl Into<String>) -> Test {
        self.args.push(arg.into());
        self
    }

    /// Adds arguments.
    pub fn args(mut self, args: impl IntoIterator<Item = impl Into<String>>) -> Test {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable for the run.
    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Gives `text` (unindented) on standard input.
    pub fn stdin(mut self, text: &str) -> Test {
        self.stdin = Some(unindent(text));
        self
    }

    /// The exit code expected instead of 0.
    pub fn code(mut self, code: i32) -> Test {
        self.code = code;
        self
    }

    /// Standard output must be exactly `text` (unindented).
    pub fn stdout(mut self, text: &str) -> Test {
        self.stdout = Some(unindent(text));
        self
    }

    /// Standard output must contain `text` (unindented).
    pub fn stdout_contains(mut self, text: &str) -> Test {
        self.stdout_contains.push(unindent(text));
        self
    }

    /// Standard error must be exactly `text` (unindented).
    pub fn stderr(mut self, text: &str) -> Test {
        self.stderr = Some(unindent(text));
        self
    }

    /// Standard error must contain `text` (unindented).
    pub fn stderr_contains(mut self, text: &str) -> Test {
        self.stderr_contains.push(unindent(text));
        self
    }

    /// Checks standard output as JSON Lines: `check` gets one value per line.
    pub fn stdout_json(mut self, check: impl FnOnce(&[serde_json::Value]) + 'static) -> Test {
        self.stdout_json.push(Box::new(check));
        self
    }

    /// Runs `hds` and checks everything asked for.
    #[track_caller]
    pub fn run(mut self) -> Output {
        self.execute()
    }

    #[track_caller]
    fn execute(&mut self) -> Output {
        self.ran = true;
        let mut cmd = hds();
        let cwd = match &self.cwd {
            Some(sub) => self.dir.path().join(sub),
            None => self.dir.path().to_path_buf(),
        };
        cmd.current_dir(cwd).args(&self.args);
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        if let Some(input) = self.stdin.take() {
            cmd.write_stdin(input);
        }
        let out = cmd.output().expect("hds runs");
        let out = Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let shown = format!(
            "hds {}\n--- stdout:\n{}--- stderr:\n{}",
            self.args.join(" "),
            out.stdout,
            out.stderr
        );
        assert_eq!(out.code, Some(self.code), "exit code of {shown}");
        if let Some(want) = &self.stdout {
            assert_eq!(&out.stdout, want, "stdout of {shown}");
        }
        for want in &self.stdout_contains {
            assert!(
                out.stdout.contains(want.as_str()),
                "no '{want}' in stdout of {shown}"
            );
        }
        if let Some(want) = &self.stderr {
            assert_eq!(&out.stderr, want, "stderr of {shown}");
        }
        for want in &self.stderr_contains {
            assert!(
                out.stderr.contains(want.as_str()),
                "no '{want}' in stderr of {shown}"
            );
        }
        let checks = std::mem::take(&mut self.stdout_json);
        if !checks.is_empty() {
            let records = out.json();
            for check in checks {
                check(&records);
            }
        }
        out
    }
}

impl Drop for Test {
    fn drop(&mut self) {
        if !self.ran && !std::thread::panicking() {
            self.execute();
        }
    }
}
