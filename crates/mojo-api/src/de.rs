//! Tolerant field decoders (REFERENCE §9): the service and its docs send ids and numbers
//! sometimes as JSON numbers and sometimes as numeric strings, booleans as `true` or `"true"`.

use serde::Deserialize;
use serde::de::{self, Deserializer, Unexpected};
use serde_json::Value;

/// Reads an integer from a JSON number or a numeric string (`12`, `"12"`, `12.0`).
pub fn int_from_value(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// Reads a boolean from `true`/`false`, `"true"`/`"false"`, `"1"`/`"0"`, `1`/`0`.
pub fn bool_from_value(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Serde adapter: a required id given as a number or a numeric string.
pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = Value::deserialize(d)?;
    int_from_value(&v).ok_or_else(|| de::Error::invalid_type(unexpected(&v), &"an integer id"))
}

/// Serde adapter: an optional id; `null`, `""` and a missing key are `None`.
pub fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => int_from_value(&v)
            .map(Some)
            .ok_or_else(|| de::Error::invalid_type(unexpected(&v), &"an integer id or null")),
    }
}

/// Serde adapter: a list of ids, each a number or a numeric string; `null` is empty.
pub fn id_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    let v = Option::<Vec<Value>>::deserialize(d)?;
    v.unwrap_or_default()
        .iter()
        .map(|x| int_from_value(x).ok_or_else(|| de::Error::invalid_type(unexpected(x), &"an id")))
        .collect()
}

/// Serde adapter: an optional boolean in any of the forms of [`bool_from_value`].
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => bool_from_value(&v).map(Some).ok_or_else(|| de::Error::invalid_type(unexpected(&v), &"a boolean")),
    }
}

/// Serde adapter: an optional string; numbers are turned into their text (a zip code `10001`).
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(other) => Some(other.to_string()),
    })
}

/// Serde adapter: a list that may be `null` (read as empty).
pub fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(_) => Unexpected::Other("number"),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}
