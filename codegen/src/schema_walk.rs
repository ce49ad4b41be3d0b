//! The one walk over a JSON schema of the loaded spec: lint rules, secrets and the model use it
//! instead of recursing over `properties`, `items`, unions and `$ref`s each in their own way.
//!
//! From a schema, [`walk`] visits it and every schema below it: the members of `allOf`, `anyOf`
//! and `oneOf`, each property, `items` and an object `additionalProperties`. A `$ref` is followed
//! to its target, which is then reported at the target's own place (`/components/schemas/Job`),
//! as lint reports it. Each node is visited once per (place, context); a reference cycle is
//! followed once along any one path, so every walk ends.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::diagnostics::segment;

/// How a node was reached from its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    Root,
    /// `allOf`, `anyOf` or `oneOf` member `index` of `members`.
    Member {
        keyword: &'static str,
        index: usize,
        members: &'a [Value],
    },
    /// Property `name`; `required` when the parent lists it.
    Property {
        name: &'a str,
        required: bool,
    },
    Items,
    AdditionalProperties,
}

/// One schema the walk reached.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// The schema, references followed.
    pub schema: &'a Map<String, Value>,
    /// Its place in the document (JSON pointer): where a problem in it is reported.
    pub at: String,
    /// Where its values sit in a JSON instance of the root schema: `/job/tags/*` (`*` is any
    /// array index or map key).
    pub instance: String,
    pub step: Step<'a>,
}

/// Visits `schema` (at document pointer `at`) and every schema below it. `visit` gets each node
/// with the context its parent passed down and returns the context for the node's children, or
/// `None` to walk no further below it.
pub fn walk<'a, C, F>(doc: &'a Value, schema: &'a Value, at: String, context: C, visit: &mut F)
where
    C: Clone + Ord,
    F: FnMut(&Node<'a>, &C) -> Option<C>,
{
    Walker::new(doc).walk(schema, at, context, visit);
}

/// Several walks over one document that visit each (place, context) once between them: a
/// component reached from many operations is checked (and reported) once.
pub struct Walker<'a, C> {
    doc: &'a Value,
    seen: BTreeSet<(String, C)>,
}

impl<'a, C: Clone + Ord> Walker<'a, C> {
    pub fn new(doc: &'a Value) -> Self {
        Walker {
            doc,
            seen: BTreeSet::new(),
        }
    }

    /// As [`walk`], skipping what an earlier walk of this walker visited.
    pub fn walk<F>(&mut self, schema: &'a Value, at: String, context: C, visit: &mut F)
    where
        F: FnMut(&Node<'a>, &C) -> Option<C>,
    {
        let root = Reached {
            schema,
            at,
            instance: String::new(),
            step: Step::Root,
        };
        descend(
            self.doc,
            root,
            context,
            &mut self.seen,
            &mut Vec::new(),
            visit,
        );
    }
}

struct Reached<'a> {
    schema: &'a Value,
    at: String,
    instance: String,
    step: Step<'a>,
}

fn descend<'a, C, F>(
    doc: &'a Value,
    reached: Reached<'a>,
    context: C,
    seen: &mut BTreeSet<(String, C)>,
    path: &mut Vec<String>,
    visit: &mut F,
) where
    C: Clone + Ord,
    F: FnMut(&Node<'a>, &C) -> Option<C>,
{
    let Reached {
        mut schema,
        mut at,
        instance,
        step,
    } = reached;
    // Follow references (a chain of them too), each target reported at its own place.
    let mut followed = 0;
    while let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let Some(found) = target.strip_prefix('#').and_then(|p| doc.pointer(p)) else {
            return;
        };
        followed += 1;
        if followed > 64 || path.iter().any(|p| p == &target[1..]) {
            return;
        }
        schema = found;
        at = target[1..].to_owned();
    }
    let Value::Object(map) = schema else { return };
    if !seen.insert((at.clone(), context.clone())) {
        return;
    }
    let node = Node {
        schema: map,
        at: at.clone(),
        instance: instance.clone(),
        step,
    };
    let Some(below) = visit(&node, &context) else {
        return;
    };
    path.push(at.clone());
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = map.get(keyword) {
            for (index, member) in members.iter().enumerate() {
                let child = Reached {
                    schema: member,
                    at: format!("{at}/{keyword}/{index}"),
                    instance: instance.clone(),
                    step: Step::Member {
                        keyword,
                        index,
                        members,
                    },
                };
                descend(doc, child, below.clone(), seen, path, visit);
            }
        }
    }
    let required: Vec<&str> = map
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (name, property) in properties {
            let child = Reached {
                schema: property,
                at: format!("{at}/properties/{}", segment(name)),
                instance: format!("{instance}/{}", segment(name)),
                step: Step::Property {
                    name,
                    required: required.contains(&name.as_str()),
                },
            };
            descend(doc, child, below.clone(), seen, path, visit);
        }
    }
    for (key, step) in [
        ("items", Step::Items),
        ("additionalProperties", Step::AdditionalProperties),
    ] {
        if let Some(inner) = map.get(key).filter(|v| v.is_object()) {
            let child = Reached {
                schema: inner,
                at: format!("{at}/{key}"),
                instance: format!("{instance}/*"),
                step,
            };
            descend(doc, child, below.clone(), seen, path, visit);
        }
    }
    path.pop();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of child, a reference reported at its target, a cycle followed once (the
    /// children's `items` is the tree again, so it is not walked into), and a
    /// context passed down (here: the depth) that keeps a node visited once per context.
    #[test]
    fn the_walk_reaches_every_child_once_per_context_and_ends_on_cycles() {
        let doc = serde_json::json!({
            "components": {"schemas": {
                "Tree": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "either": {"anyOf": [{"type": "integer"}, {"type": "string"}]}
                }}
            }}
        });
        let root = serde_json::json!({"$ref": "#/components/schemas/Tree"});
        let mut seen = Vec::new();
        walk(&doc, &root, "/root".into(), (), &mut |node, _| {
            let step = match node.step {
                Step::Root => "root".to_owned(),
                Step::Member { keyword, index, .. } => format!("{keyword}[{index}]"),
                Step::Property { name, required } => {
                    format!("{name}{}", if required { "!" } else { "" })
                }
                Step::Items => "items".into(),
                Step::AdditionalProperties => "map".into(),
            };
            seen.push(format!("{} {} {step}", node.at, node.instance));
            Some(())
        });
        assert_eq!(
            seen,
            [
                "/components/schemas/Tree  root",
                "/components/schemas/Tree/properties/children /children children",
                "/components/schemas/Tree/properties/either /either either",
                "/components/schemas/Tree/properties/either/anyOf/0 /either anyOf[0]",
                "/components/schemas/Tree/properties/either/anyOf/1 /either anyOf[1]",
                "/components/schemas/Tree/properties/labels /labels labels",
                "/components/schemas/Tree/properties/labels/additionalProperties /labels/* map",
                "/components/schemas/Tree/properties/name /name name!",
            ]
        );
        // A context that differs per path visits a shared place once per context; `None` stops.
        let mut depths = Vec::new();
        walk(&doc, &root, "/root".into(), 0u8, &mut |node, depth| {
            depths.push((node.instance.clone(), *depth));
            (*depth < 1).then_some(depth + 1)
        });
        assert_eq!(depths.len(), 5, "{depths:?}");
    }

    /// A reference to nothing, or a chain of references back to itself, ends the walk there.
    #[test]
    fn broken_and_circular_references_end_the_walk() {
        let doc = serde_json::json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"}
        }}});
        for root in [
            serde_json::json!({"$ref": "#/components/schemas/A"}),
            serde_json::json!({"$ref": "#/components/schemas/Missing"}),
            serde_json::json!(true),
        ] {
            let mut visits = 0;
            walk(&doc, &root, "/root".into(), (), &mut |_, _| {
                visits += 1;
                Some(())
            });
            assert_eq!(visits, 0, "{root}");
        }
    }
}
