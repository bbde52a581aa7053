//! The layers of `src/` run one way: a module imports only modules in lower layers
//! (README, "Architecture"). Read from the source, so a new import that runs back up
//! fails here before it becomes a knot. Rhai's dynamic values stay inside `script/`,
//! the one boundary with Rhai.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

/// Each top-level module of the library and its layer.
const LAYERS: &[(&str, u8)] = &[
    ("error", 0),
    ("shape", 0),
    ("yaml", 1),
    ("model", 1),
    ("calendar", 2),
    ("catalog", 2),
    ("input", 2),
    ("batch", 3),
    ("script", 3),
    ("ruleset", 4),
    ("engine", 5),
    ("case", 6),
    ("render", 7),
    ("tools", 8),
    ("cli", 9),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// Every `crate::<module>` a file names, outside its unit tests.
fn imports(text: &str) -> Vec<String> {
    // Unit tests may use anything; a `#[cfg(test)] mod tests;` line hides nothing.
    let code = text
        .split("#[cfg(test)]\nmod tests {")
        .next()
        .unwrap_or_default();
    let mut found = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if rest[name.len()..].starts_with("::") || rest[name.len()..].starts_with([';', ',', '}']) {
            found.push(name);
        }
    }
    found
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_imports_only_lower_layers() {
    let src = common::root().join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in all {
        let relative = path.strip_prefix(&src).expect("under src");
        let module = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = layer(&module) else {
            panic!("src/{module} has no layer: add it to LAYERS and to README's table");
        };
        let text = std::fs::read_to_string(&path).expect("read");
        for used in imports(&text) {
            if used == module {
                continue;
            }
            let Some(theirs) = layer(&used) else {
                continue;
            };
            if theirs >= own {
                wrong
                    .entry(relative.display().to_string())
                    .or_default()
                    .push(format!("{used} (layer {theirs}, own layer {own})"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run back up or sideways: {wrong:#?}"
    );
}

/// What names one of Rhai's dynamic values in a file: the types themselves, or a
/// read of one.
fn dynamic_values(text: &str) -> Vec<String> {
    let mut found: Vec<String> = ["Dynamic", "rhai::Map", "rhai::Array", "read_lock"]
        .into_iter()
        .filter(|name| text.contains(name))
        .map(str::to_string)
        .collect();
    // `use rhai::{Map, …}` names them without the prefix.
    for (i, _) in text.match_indices("use rhai::{") {
        let list = &text[i + "use rhai::{".len()..];
        let list = &list[..list.find('}').unwrap_or(list.len())];
        for name in list.split(',').map(str::trim) {
            if matches!(name, "Map" | "Array") {
                found.push(format!("rhai::{name}"));
            }
        }
    }
    found
}

#[test]
fn dynamic_values_appear_only_in_script() {
    let src = common::root().join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in all {
        let relative = path.strip_prefix(&src).expect("under src");
        if relative.starts_with("script") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let found = dynamic_values(&text);
        if !found.is_empty() {
            wrong.insert(relative.display().to_string(), found);
        }
    }
    assert!(
        wrong.is_empty(),
        "Rhai's dynamic values outside script/, the one boundary with Rhai: {wrong:#?}"
    );
}
