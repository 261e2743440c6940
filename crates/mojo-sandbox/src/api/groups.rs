//! Groups, formerly companies (REFERENCE §3.8): list (paged, by id) and show (400 `Invalid
//! group id`). Writes (Manager): `POST /groups` (201; `name` required), `PUT`/`PATCH
//! /groups/{id}` (partial), `DELETE /groups/{id}` (empty 200; members and tickets of the group
//! keep existing without a group, its access rows go). Input: the 16 fields of §3.8; contacts
//! must be users of the account, `support_status_id` 0 or 1, dates `YYYY-MM-DD`, texts at most
//! 255 characters (`notes` 65,535). Problems are 400 `{"error": "..."}` with the messages
//! joined. Unknown keys (such as the README's `website-url`) are ignored.

use super::common;
use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use crate::params::{Field, Paging, Params};
use axum::extract::State;
use axum::response::Response;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use serde_json::{Value, json};

const COLS: &str = "id, name, primary_contact_id, billing_contact_id, support_level_id, \
    support_status_id, support_start_date, support_end_date, support_info_url, address, address2, \
    city, state, zip, country, website_url, notes";

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "name": r.get::<_, String>(1)?,
        "primary_contact_id": r.get::<_, Option<i64>>(2)?,
        "billing_contact_id": r.get::<_, Option<i64>>(3)?,
        "support_level_id": r.get::<_, Option<i64>>(4)?,
        "support_status_id": r.get::<_, Option<i64>>(5)?,
        "support_start_date": r.get::<_, Option<String>>(6)?,
        "support_end_date": r.get::<_, Option<String>>(7)?,
        "support_info_url": r.get::<_, Option<String>>(8)?,
        "address": r.get::<_, Option<String>>(9)?,
        "address2": r.get::<_, Option<String>>(10)?,
        "city": r.get::<_, Option<String>>(11)?,
        "state": r.get::<_, Option<String>>(12)?,
        "zip": r.get::<_, Option<String>>(13)?,
        "country": r.get::<_, Option<String>>(14)?,
        "website_url": r.get::<_, Option<String>>(15)?,
        "notes": r.get::<_, Option<String>>(16)?,
    }))
}

/// The group object, or `None`.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached(&format!("SELECT {COLS} FROM groups WHERE id = ?1"))?.query_row([id], row_json).optional()
}

/// `GET /groups`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let pg = Paging::read(&call.params, 30, 100);
        let mut stmt = conn.prepare_cached(&format!("SELECT {COLS} FROM groups ORDER BY id LIMIT ?1 OFFSET ?2"))?;
        let rows = stmt.query_map(params![pg.per_page, pg.offset()], row_json)?.collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows)))
    })
    .await
}

fn path_group(conn: &Connection, call: &ApiCall) -> ApiResult<i64> {
    let invalid = || ApiError::bad("Invalid group id");
    let id = call.path_id("id").ok_or_else(invalid)?;
    find(conn, id)?.map(|_| id).ok_or_else(invalid)
}

/// `GET /groups/{id}`.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let id = path_group(conn, &call)?;
        Ok(json::ok(find(conn, id)?.unwrap_or(Value::Null)))
    })
    .await
}

/// `YYYY-MM-DD` with a real month and day.
fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r).filter(|x| x.bytes().all(|c| c.is_ascii_digit())).and_then(|x| x.parse::<u32>().ok())
    };
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
            let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
        }
        _ => false,
    }
}

/// The columns an input sets, with their new values. `name` is required on create.
fn read_input(conn: &Connection, p: &Params, creating: bool) -> ApiResult<Vec<(&'static str, Sql)>> {
    let mut errs = Vec::new();
    let mut out: Vec<(&'static str, Sql)> = Vec::new();
    let text = |v: Option<String>| v.map(Sql::Text).unwrap_or(Sql::Null);
    if let Some(name) = common::required_text(p, "name", "Name", common::SHORT, creating, &mut errs) {
        out.push(("name", Sql::Text(name.trim().to_string())));
    }
    for (key, label) in [("primary_contact_id", "Primary contact"), ("billing_contact_id", "Billing contact")] {
        match p.int(key) {
            Field::Absent => {}
            Field::Null | Field::Value(0) => out.push((key, Sql::Null)),
            Field::Value(id)
                if common::exists(conn, "SELECT 1 FROM users WHERE id = ?1 AND deleted_at IS NULL", id)? =>
            {
                out.push((key, Sql::Integer(id)))
            }
            Field::Value(_) | Field::Invalid => errs.push(format!("{label} is invalid")),
        }
    }
    match p.int("support_level_id") {
        Field::Absent => {}
        Field::Null => out.push(("support_level_id", Sql::Null)),
        Field::Value(n) if n >= 0 => out.push(("support_level_id", Sql::Integer(n))),
        Field::Value(_) | Field::Invalid => errs.push("Support level is invalid".into()),
    }
    match p.int("support_status_id") {
        Field::Absent => {}
        Field::Null => out.push(("support_status_id", Sql::Null)),
        Field::Value(n @ (0 | 1)) => out.push(("support_status_id", Sql::Integer(n))),
        Field::Value(_) | Field::Invalid => errs.push("Support status is not included in the list".into()),
    }
    for (key, label) in [("support_start_date", "Support start date"), ("support_end_date", "Support end date")] {
        match common::optional_text(p, key, label, 10, &mut errs) {
            None => {}
            Some(None) => out.push((key, Sql::Null)),
            Some(Some(d)) if valid_date(d.trim()) => out.push((key, Sql::Text(d.trim().to_string()))),
            Some(Some(_)) => errs.push(format!("{label} is invalid")),
        }
    }
    for (key, label, max) in [
        ("support_info_url", "Support info url", common::SHORT),
        ("address", "Address", common::SHORT),
        ("address2", "Address2", common::SHORT),
        ("city", "City", common::SHORT),
        ("state", "State", common::SHORT),
        ("zip", "Zip", common::SHORT),
        ("country", "Country", common::SHORT),
        ("website_url", "Website url", common::SHORT),
        ("notes", "Notes", 65_535),
    ] {
        if let Some(v) = common::optional_text(p, key, label, max, &mut errs) {
            out.push((key, text(v)));
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(ApiError::bad(errs.join(", "))) }
}

/// `POST /groups` (Manager).
pub async fn create(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let mut cols = read_input(conn, &call.params, true)?;
        cols.push(("created_on", Sql::Integer(now)));
        cols.push(("updated_on", Sql::Integer(now)));
        let names: Vec<&str> = cols.iter().map(|(k, _)| *k).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let tx = conn.transaction()?;
        tx.execute(
            &format!("INSERT INTO groups ({}) VALUES ({})", names.join(", "), marks.join(", ")),
            params_from_iter(cols.into_iter().map(|(_, v)| v)),
        )?;
        let id = tx.last_insert_rowid();
        common::log(&tx, &caller, (5, id), None, "create", format!("Group #{id} created"), now)?;
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::created(body))
    })
    .await
}

/// `PUT`/`PATCH /groups/{id}` (Manager).
pub async fn update(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let id = path_group(conn, &call)?;
        let mut cols = read_input(conn, &call.params, false)?;
        let tx = conn.transaction()?;
        if !cols.is_empty() {
            cols.push(("updated_on", Sql::Integer(now)));
            let sets: Vec<String> = cols.iter().enumerate().map(|(i, (k, _))| format!("{k} = ?{}", i + 2)).collect();
            let mut values = vec![Sql::Integer(id)];
            values.extend(cols.into_iter().map(|(_, v)| v));
            tx.execute(&format!("UPDATE groups SET {} WHERE id = ?1", sets.join(", ")), params_from_iter(values))?;
            common::log(&tx, &caller, (5, id), None, "update", format!("Group #{id} updated"), now)?;
        }
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}

/// `DELETE /groups/{id}` (Manager).
pub async fn delete(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let id = path_group(conn, &call)?;
        let tx = conn.transaction()?;
        tx.execute("UPDATE users SET company_id = NULL WHERE company_id = ?1", [id])?;
        tx.execute("UPDATE tickets SET company_id = NULL WHERE company_id = ?1", [id])?;
        tx.execute("DELETE FROM group_access WHERE group_id = ?1", [id])?;
        tx.execute("DELETE FROM group_queues WHERE group_id = ?1", [id])?;
        tx.execute("DELETE FROM group_queue_access WHERE group_id = ?1", [id])?;
        tx.execute("DELETE FROM groups WHERE id = ?1", [id])?;
        common::log(&tx, &caller, (5, id), None, "delete", format!("Group #{id} deleted"), now)?;
        tx.commit()?;
        Ok(json::empty_ok())
    })
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert!(super::valid_date("2024-02-29"));
        assert!(!super::valid_date("2023-02-29"));
        assert!(!super::valid_date("2024-13-01"));
        assert!(!super::valid_date("2024-1-01"));
        assert!(!super::valid_date("２０２４-01-01"));
    }
}
