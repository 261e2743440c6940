//! Group-ticket access of users (REFERENCE §3.14), Manager-only: `GET /users/{id}/group_access`
//! (one entry per group, by group id), `GET` and `POST /users/{id}/group_access/{group_id}`
//! (`access` 0 none, 1 full, 2 comment only; as a string or a number). Errors are 400
//! `{"error": ...}`: `Invalid User ID.`, `Invalid Group ID.` (the user is checked first), and
//! `Invalid access value` for anything but 0, 1 or 2.
//!
//! A user without a stored value has 1 for their own group when their profile allows company
//! tickets, else 0. The access decides which tickets an end user's key may see (their own,
//! plus those of groups with access 1 or 2).

use super::common::{exists, group_access_level};
use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use crate::params::Field;
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, params};
use serde_json::{Value, json};

fn entry(conn: &Connection, user_id: i64, group_id: i64) -> rusqlite::Result<Value> {
    Ok(json!({"user_id": user_id, "group_id": group_id, "access": group_access_level(conn, user_id, group_id)?}))
}

fn path_user(conn: &Connection, call: &ApiCall) -> ApiResult<i64> {
    let invalid = || ApiError::bad("Invalid User ID.");
    let id = call.path_id("id").ok_or_else(invalid)?;
    if exists(conn, "SELECT 1 FROM users WHERE id = ?1 AND deleted_at IS NULL", id)? { Ok(id) } else { Err(invalid()) }
}

fn path_group(conn: &Connection, call: &ApiCall) -> ApiResult<i64> {
    let invalid = || ApiError::bad("Invalid Group ID.");
    let id = call.path_id("group_id").ok_or_else(invalid)?;
    if exists(conn, "SELECT 1 FROM groups WHERE id = ?1", id)? { Ok(id) } else { Err(invalid()) }
}

/// `GET /users/{id}/group_access`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let user = path_user(conn, &call)?;
        let groups: Vec<i64> = conn
            .prepare_cached("SELECT id FROM groups ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let list = groups.into_iter().map(|g| entry(conn, user, g)).collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(list)))
    })
    .await
}

/// `GET /users/{id}/group_access/{group_id}`.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let user = path_user(conn, &call)?;
        let group = path_group(conn, &call)?;
        Ok(json::ok(entry(conn, user, group)?))
    })
    .await
}

/// `POST /users/{id}/group_access/{group_id}`.
pub async fn set(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let user = path_user(conn, &call)?;
        let group = path_group(conn, &call)?;
        let access = match call.params.int("access") {
            Field::Value(a @ 0..=2) => a,
            _ => return Err(ApiError::bad("Invalid access value")),
        };
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO group_access (user_id, group_id, access) VALUES (?1, ?2, ?3)
             ON CONFLICT(user_id, group_id) DO UPDATE SET access = excluded.access",
            params![user, group, access],
        )?;
        let body = entry(&tx, user, group)?;
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}
