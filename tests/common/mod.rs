//! Helpers shared by the integration tests: the repository root, the `hds` binary,
//! and temporary copies of the shipped rules.

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
