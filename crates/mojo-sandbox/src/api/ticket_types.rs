//! Ticket types (REFERENCE §3.15): the whole list (paged only when `per_page` is given, like
//! tags) and show (400 `Invalid ticket type id`), at `/ticket_types/{id}` and the README's
//! `/ticket_type/{id}`. Writes (Manager): `POST /ticket_types` (201; `name` required, at most
//! 255 characters), `PUT`/`PATCH /ticket_types/{id}`, `DELETE /ticket_types/{id}` (empty 200;
//! tickets of the type keep existing with no type, as Rails' `dependent: :nullify`). Problems are
//! 400 `{"error": "..."}`.

use super::common;
use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use crate::params::{Field, Paging};
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Value, json};

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    Ok(json!({ "id": r.get::<_, i64>(0)?, "name": r.get::<_, String>(1)? }))
}

/// The `{id, name}` of a type, or `None`.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached("SELECT id, name FROM ticket_types WHERE id = ?1")?.query_row([id], row_json).optional()
}

fn path_type(conn: &Connection, call: &ApiCall) -> ApiResult<i64> {
    let invalid = || ApiError::bad("Invalid ticket type id");
    let id = call.path_id("id").ok_or_else(invalid)?;
    find(conn, id)?.map(|_| id).ok_or_else(invalid)
}

fn read_name(call: &ApiCall, creating: bool) -> ApiResult<Option<String>> {
    let mut errs = Vec::new();
    let name = common::required_text(&call.params, "name", "Name", common::SHORT, creating, &mut errs);
    if errs.is_empty() { Ok(name.map(|s| s.trim().to_string())) } else { Err(ApiError::bad(errs.join(", "))) }
}

/// `GET /ticket_types`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let (limit, offset) = match call.params.int("per_page") {
            Field::Absent => (-1, 0),
            _ => {
                let pg = Paging::read(&call.params, 30, 100);
                (pg.per_page, pg.offset())
            }
        };
        let mut stmt = conn.prepare_cached("SELECT id, name FROM ticket_types ORDER BY id LIMIT ?1 OFFSET ?2")?;
        let rows = stmt.query_map(params![limit, offset], row_json)?.collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows)))
    })
    .await
}

/// `GET /ticket_types/{id}` and the README's `GET /ticket_type/{id}`.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let id = path_type(conn, &call)?;
        Ok(json::ok(find(conn, id)?.unwrap_or(Value::Null)))
    })
    .await
}

/// `POST /ticket_types` (Manager).
pub async fn create(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let name = read_name(&call, true)?.unwrap_or_default();
        let tx = conn.transaction()?;
        tx.execute("INSERT INTO ticket_types (name) VALUES (?1)", [&name])?;
        let body = find(&tx, tx.last_insert_rowid())?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::created(body))
    })
    .await
}

/// `PUT`/`PATCH /ticket_types/{id}` (Manager).
pub async fn update(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let id = path_type(conn, &call)?;
        let name = read_name(&call, false)?;
        let tx = conn.transaction()?;
        if let Some(name) = name {
            tx.execute("UPDATE ticket_types SET name = ?2 WHERE id = ?1", params![id, name])?;
        }
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}

/// `DELETE /ticket_types/{id}` (Manager).
pub async fn delete(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let id = path_type(conn, &call)?;
        let tx = conn.transaction()?;
        tx.execute("UPDATE tickets SET ticket_type_id = NULL WHERE ticket_type_id = ?1", [id])?;
        tx.execute("DELETE FROM ticket_types WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(json::empty_ok())
    })
    .await
}
