//! Read-only maps: the application, its sources and a route as scripts see them,
//! each map frozen behind an `Arc`. Passing the application to every stage call
//! then costs a reference count, not a deep copy, and no script can change what
//! the next one sees: a frozen map has fields to read (`app.project.purpose`,
//! `app["id"]`), `contains`, `keys`, `values`, `len` and `is_empty`, and nothing
//! to write with.

use rhai::{Array, Dynamic, Engine, FuncRegistration, ImmutableString, Map};
use std::sync::Arc;

/// A map no script can change; scripts see its type as `map`.
#[derive(Debug, Clone)]
pub struct Frozen(Arc<Map>);

impl Frozen {
    /// `value` with every map inside it (at any depth, in arrays too) frozen.
    pub fn deep(value: Dynamic) -> Dynamic {
        if value.is_map() {
            let map = value.cast::<Map>();
            let frozen: Map = map.into_iter().map(|(k, v)| (k, Frozen::deep(v))).collect();
            return Dynamic::from(Frozen(Arc::new(frozen)));
        }
        if value.is_array() {
            let items = value.cast::<Array>();
            return Dynamic::from_array(items.into_iter().map(Frozen::deep).collect());
        }
        value
    }

    /// `map` frozen as it is: the maps inside it must be frozen already.
    pub fn wrap(map: Map) -> Dynamic {
        Dynamic::from(Frozen(Arc::new(map)))
    }

    /// The field `key`, or `()` when the map has none (as for a Rhai map).
    pub fn get(&self, key: &str) -> Dynamic {
        self.0.get(key).cloned().unwrap_or(Dynamic::UNIT)
    }

    /// The field `key` as a script reads it: a map without it is an error naming
    /// the fields it has, as for a Rhai map in the sandbox.
    fn field(&self, key: &str) -> Result<Dynamic, Box<rhai::EvalAltResult>> {
        match self.0.get(key) {
            Some(v) => Ok(v.clone()),
            None => Err(format!(
                "no field '{key}' in this map; it has: {}",
                self.keys().collect::<Vec<_>>().join(", ")
            )
            .into()),
        }
    }

    /// The field `key`, if the map has it.
    pub(crate) fn get_ref(&self, key: &str) -> Option<&Dynamic> {
        self.0.get(key)
    }

    /// How many fields the map has.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The field names, in key order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(|k| k.as_str())
    }

    /// Whether the map has no field.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A writable copy, for showing the map as Rhai shows maps.
    fn thawed(&self) -> Map {
        self.0
            .iter()
            .map(|(k, v)| (k.clone(), thaw(v.clone())))
            .collect()
    }
}

/// `value` with every frozen map inside it turned back into a Rhai map.
pub fn thaw(value: Dynamic) -> Dynamic {
    if let Some(f) = value.read_lock::<Frozen>().map(|f| f.thawed()) {
        return Dynamic::from_map(f);
    }
    if value.is_array() {
        let items = value.cast::<Array>();
        return Dynamic::from_array(items.into_iter().map(thaw).collect());
    }
    value
}

/// The field `key` of a map, frozen or not; `None` for any other value.
pub fn field(value: &Dynamic, key: &str) -> Option<Dynamic> {
    if let Some(f) = value.read_lock::<Frozen>() {
        return Some(f.get(key));
    }
    value
        .read_lock::<Map>()
        .map(|m| m.get(key).cloned().unwrap_or(Dynamic::UNIT))
}

/// Registers the frozen map type: reading fields, and the map functions that do
/// not change a map. Each of `fields` gets a getter of its own, the quick way to
/// read it; any other field is read through the indexer, which Rhai tries only
/// after looking for a getter.
pub fn register(engine: &mut Engine, fields: impl IntoIterator<Item = &'static str>) {
    engine.register_type_with_name::<Frozen>("map");
    for name in fields {
        engine.register_get(name, move |f: &mut Frozen| f.field(name));
    }
    engine.register_indexer_get(|f: &mut Frozen, key: ImmutableString| f.field(&key));
    let doc = |name: &str, params: &[&str], text: &str| {
        FuncRegistration::new(name.to_string())
            .with_params_info(params)
            .with_comments([format!("/// {text}")])
    };
    doc(
        "contains",
        &["map: map", "field: string", "bool"],
        "True when a read-only map (the application, a source, the route, or a map inside them) has the field; `\"x\" in map` asks the same.",
    )
    .register_into_engine(engine, |f: &mut Frozen, key: ImmutableString| {
        f.0.contains_key(key.as_str())
    });
    doc(
        "keys",
        &["map: map", "array"],
        "The field names of a read-only map, in name order.",
    )
    .register_into_engine(engine, |f: &mut Frozen| -> Array {
        f.0.keys().map(|k| Dynamic::from(k.clone())).collect()
    });
    doc(
        "values",
        &["map: map", "array"],
        "The field values of a read-only map, in field-name order.",
    )
    .register_into_engine(engine, |f: &mut Frozen| -> Array {
        f.0.values().cloned().collect()
    });
    doc(
        "len",
        &["map: map", "int"],
        "How many fields a read-only map has.",
    )
    .register_into_engine(engine, |f: &mut Frozen| f.0.len() as rhai::INT);
    doc(
        "is_empty",
        &["map: map", "bool"],
        "True when a read-only map has no field.",
    )
    .register_into_engine(engine, |f: &mut Frozen| f.0.is_empty());
    doc(
        "to_string",
        &["map: map", "string"],
        "A read-only map as text, as a map is shown: `#{\"purpose\": \"research\"}`.",
    )
    .register_into_engine(engine, |f: &mut Frozen| {
        Dynamic::from_map(f.thawed()).to_string()
    });
    doc(
        "to_debug",
        &["map: map", "string"],
        "A read-only map as debugging text.",
    )
    .register_into_engine(engine, |f: &mut Frozen| {
        format!("{:?}", Dynamic::from_map(f.thawed()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        let mut e = Engine::new();
        register(&mut e, ["project", "sources"]);
        e
    }

    fn app() -> Dynamic {
        let mut project = Map::new();
        project.insert("purpose".into(), "research".into());
        let mut source = Map::new();
        source.insert("id".into(), "npr".into());
        let mut app = Map::new();
        app.insert("project".into(), project.into());
        app.insert("sources".into(), vec![Dynamic::from(source)].into());
        app.insert("linking".into(), Dynamic::UNIT);
        Frozen::deep(app.into())
    }

    fn run(script: &str) -> Result<Dynamic, Box<rhai::EvalAltResult>> {
        let mut scope = rhai::Scope::new();
        scope.push("app", app());
        engine().eval_with_scope::<Dynamic>(&mut scope, script)
    }

    #[test]
    fn a_frozen_map_reads_like_a_map_at_every_depth() {
        let read = |s: &str| run(s).expect(s).to_string();
        assert_eq!(read("app.project.purpose"), "research");
        assert_eq!(read("app[\"project\"].purpose"), "research");
        assert_eq!(read("app.sources[0].id"), "npr");
        assert_eq!(
            read("let ids = []; for s in app.sources { ids.push(s.id) } ids[0]"),
            "npr"
        );
        assert_eq!(read("app.linking == ()"), "true");
        assert!(run("app.nothing").is_err_and(|e| e
            .to_string()
            .contains("no field 'nothing' in this map; it has: linking, project, sources")));
        assert_eq!(read("\"project\" in app"), "true");
        assert_eq!(read("app.keys().len()"), "3");
        assert_eq!(read("type_of(app)"), "map");
        assert_eq!(read("`${app.project}`"), "#{\"purpose\": \"research\"}");
    }

    #[test]
    fn no_script_can_change_a_frozen_map() {
        assert!(run("app.project.purpose = \"x\"; app.project.purpose").is_err());
        assert!(run("app.sources[0].id = \"x\"").is_err());
        assert!(run("app.id = 1").is_err());
        // A list read from it is the script's own copy.
        assert_eq!(
            run("let s = app.sources; s.push(1); app.sources.len()")
                .expect("runs")
                .as_int()
                .ok(),
            Some(1)
        );
    }

    #[test]
    fn thawing_gives_back_plain_maps() {
        let thawed = thaw(app());
        assert!(thawed.is_map());
        assert!(field(&thawed, "project").is_some_and(|p| p.is_map()));
        assert_eq!(
            field(&app(), "project")
                .and_then(|p| field(&p, "purpose"))
                .map(|p| p.to_string()),
            Some("research".to_string())
        );
    }
}
