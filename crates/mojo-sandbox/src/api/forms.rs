//! Ticket forms and their custom fields (REFERENCE §3.2, §3.13). Today: the default form for
//! create, custom-field definitions for validating `custom_field_*` input and for a full
//! ticket's `custom_field_types`; the manager-only `/ticket_forms` endpoints belong here too.

use rusqlite::{Connection, OptionalExtension};
use serde_json::{Value, json};

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
