//! A validator for the subset of OpenAPI 3.0 the vendor's document uses: `$ref`, `type`,
//! `nullable`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `oneOf`,
//! `anyOf`, `allOf`, `maxLength`, and the `date-time` / `date` formats (checked with the same
//! parser the client uses). Small enough to read, strict where the document is strict.

use mojo_api::Timestamp;
use serde_json::Value;

/// The vendor's OpenAPI document (the copy in mojo-api's fixtures).
pub struct OpenApi {
    doc: Value,
}

/// A documented operation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Operation {
    /// `get`, `post`, ...
    pub method: String,
    /// `/api/v2/tickets/{id}`.
    pub template: String,
}

impl OpenApi {
    /// Loads the document.
    pub fn load() -> Self {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../mojo-api/tests/fixtures/openapi.json");
        let text = std::fs::read_to_string(path).expect("openapi.json");
        OpenApi { doc: serde_json::from_str(&text).expect("openapi.json is JSON") }
    }

    /// Every operation of the document.
    pub fn operations(&self) -> Vec<Operation> {
        let mut out = Vec::new();
        for (template, item) in self.doc["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("path item").keys() {
                if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    out.push(Operation { method: method.clone(), template: template.clone() });
                }
            }
        }
        out.sort();
        out
    }

    /// The documented operation a concrete request falls under (`/tickets/12` → `/api/v2/tickets/{id}`),
    /// preferring templates with more literal segments (`/users/techs` over `/users/{id}`).
    pub fn operation_for(&self, method: &str, path: &str) -> Option<Operation> {
        let full = format!("/api/v2{path}");
        let segs: Vec<&str> = full.split('/').collect();
        let method = method.to_ascii_lowercase();
        self.operations()
            .into_iter()
            .filter(|op| op.method == method)
            .filter_map(|op| {
                let t: Vec<&str> = op.template.split('/').collect();
                if t.len() != segs.len() {
                    return None;
                }
                let mut literals = 0;
                for (a, b) in t.iter().zip(&segs) {
                    if a.starts_with('{') {
                        continue;
                    }
                    if a != b {
                        return None;
                    }
                    literals += 1;
                }
                Some((literals, op))
            })
            .max_by_key(|(l, _)| *l)
            .map(|(_, op)| op)
    }

    /// The JSON schema of the answer `status` of `op`: `Some(None)` when the document describes the
    /// status without a body, `None` when it does not describe that status at all.
    pub fn response_schema(&self, op: &Operation, status: u16) -> Option<Option<&Value>> {
        let responses = &self.doc["paths"][&op.template][&op.method]["responses"];
        let response = responses.get(status.to_string())?;
        Some(response.get("content").and_then(|c| c.get("application/json")).and_then(|j| j.get("schema")))
    }

    /// Problems of `value` against `schema` (empty when it conforms).
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, value, "$", &mut errors, 0);
        errors
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r.trim_start_matches('#');
                self.doc.pointer(pointer).unwrap_or_else(|| panic!("unresolved $ref {r}"))
            }
            None => schema,
        }
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>, depth: usize) {
        assert!(depth < 64, "schema recursion at {at}");
        let schema = self.resolve(schema);
        if value.is_null() && schema.get("nullable").and_then(Value::as_bool) == Some(true) {
            return;
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.check(s, value, at, errors, depth + 1);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = schema.get(key).and_then(Value::as_array) {
                let fits = alts.iter().filter(|s| self.validate_at(s, value, at, depth).is_empty()).count();
                let ok = if key == "oneOf" { fits == 1 } else { fits >= 1 };
                if !ok {
                    errors.push(format!("{at}: matches {fits} of the {key} alternatives"));
                }
            }
        }
        if let Some(t) = schema.get("type").and_then(Value::as_str) {
            let fits = match t {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                _ => true,
            };
            if !fits {
                errors.push(format!("{at}: expected {t}, got {}", short(value)));
                return;
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array)
            && !options.contains(value)
        {
            errors.push(format!("{at}: {} is not one of {}", short(value), Value::Array(options.clone())));
        }
        if let (Some(s), Some(f)) = (value.as_str(), schema.get("format").and_then(Value::as_str)) {
            let ok = match f {
                "date-time" => s.len() > 10 && Timestamp::parse(s).is_some() && s.ends_with('Z'),
                "date" => s.len() == 10 && Timestamp::parse(s).is_some(),
                _ => true,
            };
            if !ok {
                errors.push(format!("{at}: {s:?} is not a {f}"));
            }
        }
        if let (Some(s), Some(max)) = (value.as_str(), schema.get("maxLength").and_then(Value::as_u64))
            && s.chars().count() as u64 > max
        {
            errors.push(format!("{at}: longer than {max}"));
        }
        if let Some(obj) = value.as_object() {
            let props = schema.get("properties").and_then(Value::as_object);
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for r in required.iter().filter_map(Value::as_str) {
                    if !obj.contains_key(r) {
                        errors.push(format!("{at}: required key {r:?} missing"));
                    }
                }
            }
            for (k, v) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(s) => self.check(s, v, &format!("{at}.{k}"), errors, depth + 1),
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => errors.push(format!("{at}: unexpected key {k:?}")),
                        Some(s @ Value::Object(_)) => self.check(s, v, &format!("{at}.{k}"), errors, depth + 1),
                        _ => {}
                    },
                }
            }
        }
        if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
            for (i, v) in list.iter().enumerate() {
                self.check(items, v, &format!("{at}[{i}]"), errors, depth + 1);
            }
        }
    }

    fn validate_at(&self, schema: &Value, value: &Value, at: &str, depth: usize) -> Vec<String> {
        let mut e = Vec::new();
        self.check(schema, value, at, &mut e, depth + 1);
        e
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 { format!("{}…", &s[..s.char_indices().nth(60).map_or(s.len(), |(i, _)| i)]) } else { s }
}
