//! Helpers the endpoint modules share: the ticket of a sub-resource path as the caller may
//! see it, reading optional and required input fields the way the Rails models validate them,
//! the event log entries of ticket sub-resources, and random tokens.

use super::tickets::{self, TicketRow};
use crate::auth::Caller;
use crate::call::ApiCall;
use crate::db::{Event, log_event};
use crate::error::{ApiError, ApiResult, NOT_AUTHORIZED};
use crate::params::{Field, Params};
use mojo_api::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

/// Longest short text (a varchar(255) column).
pub const SHORT: usize = 255;
/// Longest body of a comment or staff note, in characters (as a ticket description).
pub const LONG: usize = 1_000_000;

/// The group-ticket access of a user to a group (REFERENCE §3.14): the stored value, else 1
/// for the user's own group when the profile allows company tickets, else 0.
pub fn group_access_level(conn: &Connection, user_id: i64, group_id: i64) -> rusqlite::Result<i64> {
    let stored: Option<i64> = conn
        .prepare_cached("SELECT access FROM group_access WHERE user_id = ?1 AND group_id = ?2")?
        .query_row(params![user_id, group_id], |r| r.get(0))
        .optional()?;
    if let Some(a) = stored {
        return Ok(a);
    }
    let own: Option<(Option<i64>, bool)> = conn
        .prepare_cached("SELECT company_id, can_access_company_tickets FROM users WHERE id = ?1")?
        .query_row([user_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match own {
        Some((Some(c), true)) if c == group_id => 1,
        _ => 0,
    })
}

/// Whether an end user (role 10) may see a ticket: the requester, or a member with full or
/// comment-only access to the ticket's group.
pub fn end_user_can_access(conn: &Connection, user_id: i64, t: &TicketRow) -> rusqlite::Result<bool> {
    if t.user_id == user_id {
        return Ok(true);
    }
    match t.company_id {
        Some(g) => Ok(matches!(group_access_level(conn, user_id, g)?, 1 | 2)),
        None => Ok(false),
    }
}

/// Whether the caller may see a ticket: agents by queue, end users by [`end_user_can_access`].
pub fn can_access(conn: &Connection, caller: &Caller, t: &TicketRow) -> rusqlite::Result<bool> {
    if caller.role >= 15 {
        Ok(caller.can_see_queue(t.ticket_queue_id))
    } else {
        end_user_can_access(conn, caller.user_id, t)
    }
}

/// The live ticket of the path's `{id}`: 404 `Record not found` when missing (or not a number),
/// 401 when the caller may not see it (REFERENCE §5.2: sub-resources use Rails' `find`).
pub fn ticket_of_path(conn: &Connection, call: &ApiCall, caller: &Caller) -> ApiResult<TicketRow> {
    let id = call.path_id("id").ok_or(ApiError::RecordNotFound)?;
    let t = tickets::find(conn, id)?.ok_or(ApiError::RecordNotFound)?;
    if !can_access(conn, caller, &t)? {
        return Err(ApiError::Unauthorized(NOT_AUTHORIZED));
    }
    Ok(t)
}

/// Marks a ticket as changed (its `updated_on`), as Rails' `touch` on a child record does.
pub fn touch_ticket(conn: &Connection, ticket_id: i64, now: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE tickets SET updated_on = ?2 WHERE id = ?1", params![ticket_id, now])?;
    Ok(())
}

/// Logs an event about a ticket or one of its parts.
/// `entity` is `(entity_type, entity_id)`.
pub fn log(
    conn: &Connection,
    caller: &Caller,
    entity: (i64, i64),
    ticket_id: Option<i64>,
    action: &str,
    description: String,
    now: i64,
) -> rusqlite::Result<()> {
    let (entity_type, entity_id) = entity;
    log_event(conn, &Event { user_id: caller.user_id, entity_type, entity_id, ticket_id, action, description }, now)
}

/// A required text (`name`, `title`, `label`, `body`): on create a missing, null or blank value
/// is "`label` can't be blank"; on update a missing key leaves the value alone (`None`).
/// Over `max` characters is "`label` is too long". Surrounding whitespace is kept off names.
pub fn required_text(
    p: &Params,
    key: &str,
    label: &str,
    max: usize,
    creating: bool,
    errs: &mut Vec<String>,
) -> Option<String> {
    match p.text(key) {
        Field::Absent if !creating => None,
        Field::Value(s) if !s.trim().is_empty() => {
            if s.chars().count() > max {
                errs.push(format!("{label} is too long (maximum is {max} characters)"));
                None
            } else {
                Some(s)
            }
        }
        _ => {
            errs.push(format!("{label} can't be blank"));
            None
        }
    }
}

/// An optional text: `None` when absent (leave it), `Some(None)` for null or blank (clear it),
/// `Some(Some(s))` to set it; over `max` characters is an error.
pub fn optional_text(p: &Params, key: &str, label: &str, max: usize, errs: &mut Vec<String>) -> Option<Option<String>> {
    match p.text(key) {
        Field::Absent | Field::Invalid => None,
        Field::Null => Some(None),
        Field::Value(s) if s.trim().is_empty() => Some(None),
        Field::Value(s) if s.chars().count() > max => {
            errs.push(format!("{label} is too long (maximum is {max} characters)"));
            None
        }
        Field::Value(s) => Some(Some(s)),
    }
}

/// An optional date-time (ISO 8601): `None` when absent, `Some(None)` to clear.
pub fn optional_time(p: &Params, key: &str, label: &str, errs: &mut Vec<String>) -> Option<Option<i64>> {
    match p.text(key) {
        Field::Absent => None,
        Field::Null => Some(None),
        Field::Value(s) if s.trim().is_empty() => Some(None),
        Field::Value(s) => match Timestamp::parse(s.trim()) {
            Some(ts) => Some(Some(ts.millis())),
            None => {
                errs.push(format!("{label} is invalid"));
                None
            }
        },
        Field::Invalid => {
            errs.push(format!("{label} is invalid"));
            None
        }
    }
}

/// An optional boolean: `None` when absent or null, an error when not a boolean.
pub fn optional_bool(p: &Params, key: &str, label: &str, errs: &mut Vec<String>) -> Option<bool> {
    match p.bool(key) {
        Field::Value(b) => Some(b),
        Field::Invalid => {
            errs.push(format!("{label} is invalid"));
            None
        }
        Field::Absent | Field::Null => None,
    }
}

/// A non-negative whole number of minutes (`time_spent`): `None` when absent or blank.
pub fn minutes(p: &Params, key: &str, label: &str, errs: &mut Vec<String>) -> Option<i64> {
    match p.int(key) {
        Field::Value(n) if n < 0 => {
            errs.push(format!("{label} must be greater than or equal to 0"));
            None
        }
        Field::Value(n) => Some(n),
        Field::Invalid => {
            errs.push(format!("{label} is not a number"));
            None
        }
        Field::Absent | Field::Null => None,
    }
}

/// A list of ids from `keys` (`["1","2"]`, `[1,2]`, `keys[]=1&keys[]=2`, or `"1,2"`); `None` when
/// the key is missing; entries that are not ids are `Err` with their text.
pub fn id_list(p: &Params, key: &str) -> Option<Result<Vec<i64>, String>> {
    let raw = p.get(key)?;
    let items: Vec<Value> = match raw {
        Value::Array(list) => list.clone(),
        Value::Object(map) => map.values().cloned().collect(),
        Value::String(s) if s.trim().is_empty() => Vec::new(),
        Value::String(s) => s.split(',').map(|x| Value::String(x.trim().to_string())).collect(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    };
    let mut out = Vec::with_capacity(items.len());
    for v in &items {
        match mojo_api::de::int_from_value(v) {
            Some(id) => out.push(id),
            None => {
                return Some(Err(match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                }));
            }
        }
    }
    Some(Ok(out))
}

/// Whether a query finding one row by id finds it.
pub fn exists(conn: &Connection, sql: &str, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.prepare_cached(sql)?.query_row([id], |_| Ok(())).optional()?.is_some())
}

/// A plausible e-mail address (what Rails' format validators typically accept).
pub fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !domain.contains("..")
        && !e.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
}

/// 48 hex digits from the operating system's random source (a time-and-counter hash where
/// there is none): unguessable blob tokens.
pub fn random_token() -> String {
    use std::io::Read;
    let mut buf = [0u8; 24];
    let from_os = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf)).is_ok();
    if !from_os {
        use std::collections::hash_map::RandomState;
        use std::hash::{BuildHasher, Hasher};
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        for chunk in buf.chunks_mut(8) {
            let mut h = RandomState::new().build_hasher();
            h.write_u128(nanos);
            h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
            let bytes = h.finish().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn id_lists_in_every_form() {
        let p = Params::from_json(br#"{"a":["1",2," 3 "],"b":"4, 5","c":["x"],"d":[],"e":7}"#).unwrap();
        assert_eq!(id_list(&p, "a"), Some(Ok(vec![1, 2, 3])));
        assert_eq!(id_list(&p, "b"), Some(Ok(vec![4, 5])));
        assert_eq!(id_list(&p, "c"), Some(Err("x".into())));
        assert_eq!(id_list(&p, "d"), Some(Ok(vec![])));
        assert_eq!(id_list(&p, "e"), Some(Ok(vec![7])));
        assert_eq!(id_list(&p, "zzz"), None);
        let p = Params::from_urlencoded("keys[]=3&keys[]=1").unwrap();
        assert_eq!(id_list(&p, "keys"), Some(Ok(vec![3, 1])));
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 48);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn emails() {
        assert!(valid_email("a@b.co"));
        assert!(valid_email("agent+test@example.com"));
        for bad in ["", "a", "a@b", "@b.co", "a@.b", "a@b.", "a b@c.de", "a@b..c", "a@b@c.de", "<a@b.c>"] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}
