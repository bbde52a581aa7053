//! The shipped rule set and calendars are built into the binary (include_dir);
//! rebuild when any of their files changes.

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=calendars");
}
