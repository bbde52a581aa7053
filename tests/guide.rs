//! The step-by-step guide in `rules/README.md` is run as written: each walk-through
//! is applied to a fresh copy of the rules, its command is run with the real binary,
//! and the text the guide promises must appear. The guide cannot rot.

mod common;

use common::{copy_dir, root};

#[derive(Debug)]
enum Step {
    Replace {
        file: String,
        old: String,
        new: String,
    },
    Create {
        file: String,
        text: String,
    },
    Run {
        command: String,
        expected: Vec<String>,
    },
}

#[derive(Debug)]
struct Walkthrough {
    title: String,
    steps: Vec<Step>,
}

/// The backticked text after `marker` in `prose`, e.g. In `rules/settings.yaml`.
fn quoted_after(prose: &str, marker: &str) -> Option<String> {
    let at = prose.rfind(marker)?;
    let rest = &prose[at + marker.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(rest[..rest.find('`')?].to_string())
}

fn parse_guide(readme: &str) -> Vec<Walkthrough> {
    let start = readme.find("## Common changes").expect("the guide section");
    let section = &readme[start..];
    let end = section[3..]
        .find("\n## ")
        .map(|i| i + 3)
        .unwrap_or(section.len());
    let section = &section[..end];
    let mut out: Vec<Walkthrough> = Vec::new();
    let mut prose = String::new();
    let mut pending_old: Option<(String, String)> = None;
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(title) = line.strip_prefix("### ") {
            out.push(Walkthrough {
                title: title.to_string(),
                steps: vec![],
            });
            prose.clear();
            pending_old = None;
            continue;
        }
        let Some(current) = out.last_mut() else {
            continue;
        };
        if let Some(lang) = line.strip_prefix("```") {
            let mut block = String::new();
            for l in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                block.push_str(l);
                block.push('\n');
            }
            if lang == "sh" {
                current.steps.push(Step::Run {
                    command: block.trim().to_string(),
                    expected: vec![],
                });
            } else if let Some(file) = quoted_after(&prose, "Create ") {
                current.steps.push(Step::Create { file, text: block });
            } else if let Some((file, old)) = pending_old.take() {
                current.steps.push(Step::Replace {
                    file,
                    old,
                    new: block,
                });
            } else if let Some(file) = quoted_after(&prose, "In ") {
                pending_old = Some((file, block));
            }
            prose.clear();
            continue;
        }
        if let Some(rest) = line.strip_prefix("Expected: `") {
            if let Some(Step::Run { expected, .. }) = current.steps.last_mut() {
                expected.push(rest.trim_end_matches('`').to_string());
            }
            continue;
        }
        prose.push_str(line);
        prose.push(' ');
    }
    out
}

#[test]
fn every_walkthrough_in_the_policy_guide_works_as_written() {
    let readme = std::fs::read_to_string(root().join("rules/README.md")).expect("rules/README.md");
    let guide = parse_guide(&readme);
    let titles: Vec<&str> = guide.iter().map(|w| w.title.as_str()).collect();
    for wanted in [
        "Change a deadline",
        "closure day",
        "Add a data source",
        "Move a source",
        "completeness requirement",
    ] {
        assert!(
            titles.iter().any(|t| t.contains(wanted)),
            "no walk-through '{wanted}' in {titles:?}"
        );
    }
    let hds = assert_cmd::cargo::cargo_bin("hds");
    for walk in &guide {
        let dir = tempfile::tempdir().expect("temp dir");
        for folder in ["rules", "calendars", "examples"] {
            copy_dir(&root().join(folder), &dir.path().join(folder));
        }
        let mut ran = 0;
        for step in &walk.steps {
            match step {
                Step::Replace { file, old, new } => {
                    let path = dir.path().join(file);
                    let text = std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("{}: {file}: {e}", walk.title));
                    assert_eq!(
                        text.matches(old.as_str()).count(),
                        1,
                        "{}: the text to replace must occur once in {file}:\n{old}",
                        walk.title
                    );
                    std::fs::write(&path, text.replacen(old.as_str(), new, 1)).expect("write");
                }
                Step::Create { file, text } => {
                    std::fs::write(dir.path().join(file), text).expect("write")
                }
                Step::Run { command, expected } => {
                    let mut words = command.split_whitespace();
                    assert_eq!(words.next(), Some("hds"), "{}: {command}", walk.title);
                    let out = std::process::Command::new(&hds)
                        .args(words)
                        .current_dir(dir.path())
                        .env_remove("HDS_RULES")
                        .output()
                        .expect("runs");
                    let stdout = String::from_utf8_lossy(&out.stdout);
                    assert!(
                        out.status.success(),
                        "{}: `{command}` failed:\n{stdout}\n{}",
                        walk.title,
                        String::from_utf8_lossy(&out.stderr)
                    );
                    assert!(
                        !expected.is_empty(),
                        "{}: no Expected: line after `{command}`",
                        walk.title
                    );
                    for e in expected {
                        assert!(
                            stdout.contains(e.as_str()),
                            "{}: `{command}` did not print `{e}`:\n{stdout}",
                            walk.title
                        );
                    }
                    ran += 1;
                }
            }
        }
        assert!(ran > 0, "{}: no command to prove it", walk.title);
        // The change must be what made the difference: the shipped rules do not print it.
        if let Some(Step::Run { command, expected }) = walk
            .steps
            .iter()
            .rev()
            .find(|s| matches!(s, Step::Run { .. }))
        {
            let args: Vec<&str> = command.split_whitespace().skip(1).collect();
            let out = std::process::Command::new(&hds)
                .arg("--rules")
                .arg(root().join("rules"))
                .args(&args)
                .current_dir(dir.path())
                .output()
                .expect("runs");
            let stdout = String::from_utf8_lossy(&out.stdout);
            for e in expected {
                assert!(
                    !stdout.contains(e.as_str()),
                    "{}: the shipped rules already print `{e}`",
                    walk.title
                );
            }
        }
    }
}
