//! Ticket forms and their custom fields (REFERENCE §3.2, §3.13): the default form for create,
//! custom-field definitions for validating `custom_field_*` input and for a full ticket's
//! `custom_field_types`, and the manager-only endpoints:
//!
//! - `GET /ticket_forms`: every form with its basic fields (§3.13) and
//!   `hidden_field_attribute_ids`.
//! - `GET /ticket_forms/{id}`: adds `field_attributes` (the standard fields `title`,
//!   `description`, `priority_id`, `ticket_type_id`, then the form's custom fields, each
//!   `{id, name, label, is_required, field_type, options, position, is_visible_for_end_user}`;
//!   `options` are the choices of a select: strings for custom fields, `{id, name}` for
//!   priority and type), `form_field_rules` (none are defined in the demo) and
//!   `available_rule_conditions` (by field type). 400 `Invalid ticket form id` when unknown.
//!
//! Field attribute ids are stable numbers derived from the form: `form_id * 1000 + n` for the
//! standard fields (n = 1..4) and `form_id * 1000 + 100 + position` for custom ones.

use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, Row};
use serde_json::{Map, Value, json};

/// A custom field definition.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomField {
    /// System name without `custom_field_`.
    pub key: String,
    /// Label as agents read it.
    pub label: String,
    /// 1 text, 2 textarea, 3 select, 4 numeric, 5 decimal.
    pub kind: i64,
    /// The choices of a select field.
    pub options: Vec<String>,
}

/// The name the API shows for a field type number.
pub fn type_name(kind: i64) -> &'static str {
    match kind {
        1 => "Text",
        2 => "Textarea",
        3 => "Select",
        4 => "Numeric",
        5 => "Decimal",
        _ => "Text",
    }
}

/// The id of the default form (the one `is_default`, else the lowest id).
pub fn default_form_id(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM ticket_forms ORDER BY is_default DESC, id LIMIT 1", [], |r| r.get(0)).optional()
}

/// Whether a form exists.
pub fn form_exists(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.query_row("SELECT 1 FROM ticket_forms WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
}

/// A custom field by key (without the prefix).
pub fn field(conn: &Connection, key: &str) -> rusqlite::Result<Option<CustomField>> {
    conn.prepare_cached("SELECT key, label, type, options FROM custom_fields WHERE key = ?1")?
        .query_row([key], |r| {
            let options: Option<String> = r.get(3)?;
            Ok(CustomField {
                key: r.get(0)?,
                label: r.get(1)?,
                kind: r.get(2)?,
                options: options.and_then(|o| serde_json::from_str::<Vec<String>>(&o).ok()).unwrap_or_default(),
            })
        })
        .optional()
}

/// Checks and normalises a value for a field: selects match their options case-insensitively
/// (the stored value is the option's spelling); numeric and decimal fields must parse.
pub fn normalise(f: &CustomField, raw: &str) -> Result<String, String> {
    let v = raw.trim();
    match f.kind {
        3 => f
            .options
            .iter()
            .find(|o| o.eq_ignore_ascii_case(v))
            .cloned()
            .ok_or_else(|| format!("{} is not included in the list", f.label)),
        4 => v.parse::<i64>().map(|n| n.to_string()).map_err(|_| format!("{} is not a number", f.label)),
        5 => v
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(|_| v.to_string())
            .ok_or_else(|| format!("{} is not a number", f.label)),
        _ if raw.chars().count() > 10_000 => Err(format!("{} is too long (maximum is 10000 characters)", f.label)),
        _ => Ok(raw.to_string()),
    }
}

/// `custom_field_types` of a ticket: the fields of its form, then any other field it has a
/// value for, each `{name, type, type_name}`.
pub fn types_for(conn: &Connection, form_id: Option<i64>, valued_keys: &[String]) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(
        "SELECT cf.key, cf.type FROM form_fields ff JOIN custom_fields cf ON cf.id = ff.custom_field_id
         WHERE ff.form_id = ?1 ORDER BY ff.position",
    )?;
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for row in stmt.query_map([form_id.unwrap_or(0)], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (key, kind) = row?;
        out.push(json!({"name": format!("custom_field_{key}"), "type": kind, "type_name": type_name(kind)}));
        seen.push(key);
    }
    for key in valued_keys.iter().filter(|k| !seen.contains(k)) {
        if let Some(f) = field(conn, key)? {
            out.push(
                json!({"name": format!("custom_field_{}", f.key), "type": f.kind, "type_name": type_name(f.kind)}),
            );
        }
    }
    Ok(out)
}

const FORM_COLS: &str = "id, name, is_default, is_enabled, description, is_visible_for_end_user, show_cc, \
    show_attach_files, is_visible_for_non_logged_in_user";

fn form_json(r: &Row) -> rusqlite::Result<Map<String, Value>> {
    let v = json!({
        "id": r.get::<_, i64>(0)?,
        "name": r.get::<_, String>(1)?,
        "is_default": r.get::<_, bool>(2)?,
        "is_enabled": r.get::<_, bool>(3)?,
        "description": r.get::<_, Option<String>>(4)?,
        "is_visible_for_end_user": r.get::<_, bool>(5)?,
        "show_cc": r.get::<_, bool>(6)?,
        "show_attach_files": r.get::<_, bool>(7)?,
        "is_visible_for_non_logged_in_user": r.get::<_, bool>(8)?,
        "hidden_field_attribute_ids": [],
    });
    Ok(match v {
        Value::Object(m) => m,
        _ => Map::new(),
    })
}

/// The conditions a form rule may use, by field type (`available_rule_conditions`).
fn rule_conditions() -> Value {
    let c = |name: &str, label: &str, require_value: bool| json!({"name": name, "label": label, "require_value": require_value});
    let text = vec![
        c("equals", "Equals", true),
        c("not_equals", "Does not equal", true),
        c("contains", "Contains", true),
        c("is_empty", "Is empty", false),
        c("is_not_empty", "Is not empty", false),
    ];
    let select = vec![
        c("equals", "Equals", true),
        c("not_equals", "Does not equal", true),
        c("is_empty", "Is empty", false),
        c("is_not_empty", "Is not empty", false),
    ];
    let number = vec![
        c("equals", "Equals", true),
        c("greater_than", "Greater than", true),
        c("less_than", "Less than", true),
        c("is_empty", "Is empty", false),
        c("is_not_empty", "Is not empty", false),
    ];
    json!({
        "1": text,
        "2": [c("contains", "Contains", true), c("is_empty", "Is empty", false), c("is_not_empty", "Is not empty", false)],
        "3": select,
        "4": number,
        "5": number,
    })
}

/// The `field_attributes` of a form.
fn field_attributes(conn: &Connection, form_id: i64) -> rusqlite::Result<Vec<Value>> {
    let base = form_id.saturating_mul(1000);
    let types: Vec<Value> = conn
        .prepare_cached("SELECT id, name FROM ticket_types ORDER BY id")?
        .query_map([], |r| Ok(json!({"id": r.get::<_, i64>(0)?, "name": r.get::<_, String>(1)?})))?
        .collect::<Result<_, _>>()?;
    let priorities: Vec<Value> = [(10, "emergency"), (20, "urgent"), (30, "normal"), (40, "low")]
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    let standard = |n: i64, name: &str, label: &str, required: bool, kind: i64, options: Value| {
        json!({
            "id": base + n, "name": name, "label": label, "is_required": required, "field_type": kind,
            "options": options, "position": n - 1, "is_visible_for_end_user": true,
        })
    };
    let mut out = vec![
        standard(1, "title", "Subject", true, 1, Value::Null),
        standard(2, "description", "Description", false, 2, Value::Null),
        standard(3, "priority_id", "Priority", true, 3, Value::Array(priorities)),
        standard(4, "ticket_type_id", "Type", false, 3, Value::Array(types)),
    ];
    let mut stmt = conn.prepare_cached(
        "SELECT ff.position, ff.is_required, cf.key, cf.label, cf.type, cf.options
         FROM form_fields ff JOIN custom_fields cf ON cf.id = ff.custom_field_id
         WHERE ff.form_id = ?1 ORDER BY ff.position",
    )?;
    let rows = stmt.query_map([form_id], |r| {
        let position: i64 = r.get(0)?;
        let kind: i64 = r.get(4)?;
        let options: Option<String> = r.get(5)?;
        let options = options
            .and_then(|o| serde_json::from_str::<Vec<String>>(&o).ok())
            .filter(|_| kind == 3)
            .map(|list| Value::Array(list.into_iter().map(Value::String).collect()))
            .unwrap_or(Value::Null);
        Ok(json!({
            "id": base + 100 + position,
            "name": format!("custom_field_{}", r.get::<_, String>(2)?),
            "label": r.get::<_, String>(3)?,
            "is_required": r.get::<_, bool>(1)?,
            "field_type": kind,
            "options": options,
            "position": position + 4,
            "is_visible_for_end_user": true,
        }))
    })?;
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// `GET /ticket_forms` (Manager).
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let rows = conn
            .prepare_cached(&format!("SELECT {FORM_COLS} FROM ticket_forms ORDER BY id"))?
            .query_map([], form_json)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows.into_iter().map(Value::Object).collect())))
    })
    .await
}

/// `GET /ticket_forms/{id}` (Manager).
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let invalid = || ApiError::bad("Invalid ticket form id");
        let id = call.path_id("id").ok_or_else(invalid)?;
        let mut form = conn
            .prepare_cached(&format!("SELECT {FORM_COLS} FROM ticket_forms WHERE id = ?1"))?
            .query_row([id], form_json)
            .optional()?
            .ok_or_else(invalid)?;
        form.insert("field_attributes".into(), Value::Array(field_attributes(conn, id)?));
        form.insert("form_field_rules".into(), Value::Array(Vec::new()));
        form.insert("available_rule_conditions".into(), rule_conditions());
        Ok(json::ok(Value::Object(form)))
    })
    .await
}
