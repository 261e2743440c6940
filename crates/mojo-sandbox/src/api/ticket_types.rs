//! Ticket types (REFERENCE §3.15): the whole list (paged only when `per_page` is given, like
//! tags) and show (400 `Invalid ticket type id`).

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
        let invalid = || ApiError::BadRequest("Invalid ticket type id".into());
        let id = call.path_id("id").ok_or_else(invalid)?;
        find(conn, id)?.map(json::ok).ok_or_else(invalid)
    })
    .await
}
