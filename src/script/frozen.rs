//! Read-only maps: the application, its sources and a route as scripts see them,
//! each map frozen behind an `Arc`. Passing the application to every stage call
//! then costs a reference count, not a deep copy, and no script can change what
//! the next one sees: a frozen map has fields to read (`app.project.purpose`,
//! `app["id"]`), `contains`, `keys`, `values`, `len` and `is_empty`, and nothing
//! to write with.

use rhai::{Array, Dynamic, Engine, FuncRegistration, ImmutableString, Map};
use std::sync::Arc;

/// The fixed fields of one kind of map the engine builds (the application, a
/// source, an attachment, a route), in key order: a map of a shape holds its
/// values in this order, and a compiled field read finds its place by the shape's
/// number instead of comparing names.
#[derive(Debug)]
pub struct Shape {
    /// Its number, the index in [`SHAPES`].
    pub id: usize,
    /// Its field names, sorted as a map's keys are.
    pub keys: &'static [&'static str],
}

/// The application as scripts see it.
pub static APP: Shape = Shape {
    id: 0,
    keys: &[
        "applicant",
        "attachments",
        "data_kind",
        "extra",
        "id",
        "language",
        "linking",
        "project",
        "received_on",
        "sources",
        "submitted_at",
        "update_of",
    ],
};

/// A listed source with its catalog entry.
pub static SOURCE: Shape = Shape {
    id: 1,
    keys: &[
        "custodian",
        "form",
        "form_url",
        "icd10",
        "id",
        "known",
        "name",
        "purposes",
        "variables",
        "years",
    ],
};

/// An attachment.
pub static ATTACHMENT: Shape = Shape {
    id: 2,
    keys: &["file", "kind", "received_at", "received_on"],
};

/// The route a deadline function gets.
pub static ROUTE: Shape = Shape {
    id: 3,
    keys: &[
        "calendar",
        "complete_on",
        "custodian",
        "reason",
        "routed_sources",
        "sources",
        "working_days",
    ],
};

/// The applicant.
pub static APPLICANT: Shape = Shape {
    id: 4,
    keys: &["email", "name", "organisation", "role"],
};

/// The project.
pub static PROJECT: Shape = Shape {
    id: 5,
    keys: &["description", "purpose", "title"],
};

/// Every shape, by number.
pub static SHAPES: [&Shape; 6] = [&APP, &SOURCE, &ATTACHMENT, &ROUTE, &APPLICANT, &PROJECT];

impl Shape {
    /// The place of field `key`, if the shape has it.
    pub fn place(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| *k == key)
    }
}

/// What a frozen map holds: any map, or the values of a shape.
#[derive(Debug)]
enum Fields {
    Map(Map),
    Shaped(&'static Shape, Box<[Dynamic]>),
}

/// A map no script can change; scripts see its type as `map`.
#[derive(Debug, Clone)]
pub struct Frozen(Arc<Fields>);

impl Frozen {
    /// `value` with every map inside it (at any depth, in arrays too) frozen.
    pub fn deep(value: Dynamic) -> Dynamic {
        if value.is_map() {
            let map = value.cast::<Map>();
            let frozen: Map = map.into_iter().map(|(k, v)| (k, Frozen::deep(v))).collect();
            return Dynamic::from(Frozen(Arc::new(Fields::Map(frozen))));
        }
        if value.is_array() {
            let items = value.cast::<Array>();
            return Dynamic::from_array(items.into_iter().map(Frozen::deep).collect());
        }
        value
    }

    /// `map` frozen as it is: the maps inside it must be frozen already.
    pub fn wrap(map: Map) -> Dynamic {
        Dynamic::from(Frozen(Arc::new(Fields::Map(map))))
    }

    /// The values of `shape`, in its key order, frozen as a map (the maps inside
    /// them must be frozen already).
    pub fn shaped(shape: &'static Shape, values: Vec<Dynamic>) -> Dynamic {
        debug_assert_eq!(shape.keys.len(), values.len(), "values of every field");
        Dynamic::from(Frozen(Arc::new(Fields::Shaped(
            shape,
            values.into_boxed_slice(),
        ))))
    }

    /// The field `key`, or `()` when the map has none (as for a Rhai map).
    pub fn get(&self, key: &str) -> Dynamic {
        self.get_ref(key).cloned().unwrap_or(Dynamic::UNIT)
    }

    /// The field `key`, if the map has it.
    pub(crate) fn get_ref(&self, key: &str) -> Option<&Dynamic> {
        match &*self.0 {
            Fields::Map(m) => m.get(key),
            Fields::Shaped(shape, values) => values.get(shape.place(key)?),
        }
    }

    /// The field at `places[shape]` when the map is of a shape `places` knows,
    /// else the field `key`.
    pub(crate) fn get_placed(&self, places: &[Option<u8>], key: &str) -> Option<&Dynamic> {
        if let Fields::Shaped(shape, values) = &*self.0 {
            if let Some(Some(i)) = places.get(shape.id) {
                return values.get(usize::from(*i));
            }
        }
        self.get_ref(key)
    }

    /// The field `key` as a script reads it: a map without it is an error naming
    /// the fields it has, as for a Rhai map in the sandbox.
    fn field(&self, key: &str) -> Result<Dynamic, Box<rhai::EvalAltResult>> {
        match self.get_ref(key) {
            Some(v) => Ok(v.clone()),
            None => Err(format!(
                "no field '{key}' in this map; it has: {}",
                self.keys().collect::<Vec<_>>().join(", ")
            )
            .into()),
        }
    }

    /// How many fields the map has.
    pub(crate) fn len(&self) -> usize {
        match &*self.0 {
            Fields::Map(m) => m.len(),
            Fields::Shaped(_, values) => values.len(),
        }
    }

    /// The field names, in key order.
    pub fn keys(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match &*self.0 {
            Fields::Map(m) => Box::new(m.keys().map(|k| k.as_str())),
            Fields::Shaped(shape, _) => Box::new(shape.keys.iter().copied()),
        }
    }

    /// The fields, in key order.
    fn entries(&self) -> Vec<(&str, &Dynamic)> {
        match &*self.0 {
            Fields::Map(m) => m.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            Fields::Shaped(shape, values) => {
                shape.keys.iter().copied().zip(values.iter()).collect()
            }
        }
    }

    /// Whether the map has no field.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A writable copy, for showing the map as Rhai shows maps.
    fn thawed(&self) -> Map {
        self.entries()
            .into_iter()
            .map(|(k, v)| (k.into(), thaw(v.clone())))
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
        f.get_ref(key.as_str()).is_some()
    });
    doc(
        "keys",
        &["map: map", "array"],
        "The field names of a read-only map, in name order.",
    )
    .register_into_engine(engine, |f: &mut Frozen| -> Array {
        f.keys().map(|k| Dynamic::from(k.to_string())).collect()
    });
    doc(
        "values",
        &["map: map", "array"],
        "The field values of a read-only map, in field-name order.",
    )
    .register_into_engine(engine, |f: &mut Frozen| -> Array {
        f.entries().into_iter().map(|(_, v)| v.clone()).collect()
    });
    doc(
        "len",
        &["map: map", "int"],
        "How many fields a read-only map has.",
    )
    .register_into_engine(engine, |f: &mut Frozen| f.len() as rhai::INT);
    doc(
        "is_empty",
        &["map: map", "bool"],
        "True when a read-only map has no field.",
    )
    .register_into_engine(engine, |f: &mut Frozen| f.is_empty());
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
    fn every_shape_lists_its_fields_once_in_key_order() {
        for (i, shape) in SHAPES.iter().enumerate() {
            assert_eq!(shape.id, i);
            assert!(shape.keys.windows(2).all(|w| w[0] < w[1]), "{shape:?}");
        }
    }

    #[test]
    fn a_map_of_a_shape_reads_shows_and_thaws_as_the_same_map_would() {
        let values: Vec<Dynamic> = ATTACHMENT
            .keys
            .iter()
            .map(|k| Dynamic::from(k.to_string()))
            .collect();
        let shaped = Frozen::shaped(&ATTACHMENT, values.clone());
        let mut map = Map::new();
        for (k, v) in ATTACHMENT.keys.iter().zip(values) {
            map.insert((*k).into(), v);
        }
        let wrapped = Frozen::wrap(map);
        let mut scope = rhai::Scope::new();
        scope.push("a", shaped.clone());
        scope.push("b", wrapped);
        let same = engine()
            .eval_with_scope::<bool>(&mut scope, "`${a}|${a.kind}|${a.keys()}|${a.len()}` == `${b}|${b.kind}|${b.keys()}|${b.len()}`")
            .expect("runs");
        assert!(same);
        assert_eq!(
            format!("{:?}", thaw(shaped)),
            format!("{:?}", thaw(scope.get_value::<Dynamic>("b").expect("b")))
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
