//! Teams of agents (REFERENCE §3.16): `GET /teams` (paged, 30 by default, 100 at most) and
//! `GET /teams/{id}` (404 `Record not found`), each `{id, name, agent_ids}`.

use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use crate::params::Paging;
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

fn with_members(conn: &Connection, id: i64, name: String) -> rusqlite::Result<Value> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.user_id FROM team_members m JOIN users u ON u.id = m.user_id
         WHERE m.team_id = ?1 AND u.deleted_at IS NULL ORDER BY m.user_id",
    )?;
    let agent_ids = stmt.query_map([id], |r| r.get::<_, i64>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(json!({"id": id, "name": name, "agent_ids": agent_ids}))
}

/// `GET /teams`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let pg = Paging::read(&call.params, 30, 100);
        let rows = conn
            .prepare_cached("SELECT id, name FROM teams ORDER BY id LIMIT ?1 OFFSET ?2")?
            .query_map(params![pg.per_page, pg.offset()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        let list = rows.into_iter().map(|(id, name)| with_members(conn, id, name)).collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(list)))
    })
    .await
}

/// `GET /teams/{id}`.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let id = call.path_id("id").ok_or(ApiError::RecordNotFound)?;
        let name: String = conn
            .prepare_cached("SELECT name FROM teams WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or(ApiError::RecordNotFound)?;
        Ok(json::ok(with_members(conn, id, name)?))
    })
    .await
}
