//! Any text in place of one file of the built-in rule set (a script, the settings,
//! the catalog or a calendar): loading and checking it never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(mut files) = hds::ruleset::files::RuleFiles::built_in() else {
        return;
    };
    let names: Vec<String> = files
        .files
        .keys()
        .filter(|n| !n.ends_with("ruleset.yaml"))
        .cloned()
        .collect();
    let name = &names[usize::from(which) % names.len()];
    if let Some(file) = files.files.get_mut(name) {
        file.text = text.to_string();
    }
    let _ = hds::RuleSet::load(&files);
});
