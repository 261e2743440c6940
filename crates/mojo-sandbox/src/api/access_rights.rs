//! Queue access rights of agents and groups (REFERENCE §3.12), all Manager-only. Errors are 400
//! in the `{"code":"invalid_request","messages":[...]}` shape (§5.1): `Invalid User ID.`,
//! `Invalid Group ID.`, `Invalid Ticket Queue ID.`, `Invalid has_access value.`,
//! `param is missing or the value is empty: keys`.
//!
//! - `GET /access_rights/agents` and the older `/access_rights/restricted_agents`: every active
//!   agent (role 15 and above); `GET /access_rights/groups`: every group.
//! - `GET /users/{id}/access_rights`, `GET /groups/{id}/access_rights`: one holder.
//! - `POST` on those paths: `ticket_queue_id` + `has_access` (strings as documented, or JSON
//!   values), or `has_access_to_all_ticket_queues` (groups as documented; agents too).
//! - `POST .../access_rights/set`: `keys` (queue ids) + `has_access`; answers the updated list
//!   (all agents, or all groups).
//!
//! An agent's rights are the ones the keys use: `users.can_access_all_queues` and the
//! `agent_queues` rows, so a change restricts or widens the agent's key at once. Revoking one
//! queue from a holder with access to all turns the holder into one with every other queue.
//! Managers and above always see every queue: a grant to them changes nothing (200), taking
//! queues away from them is refused (400). `accessible_queues`
//! lists every queue the holder may use (all of them when it has access to all).

use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use crate::params::{Field, Params};
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

const AVATAR_COLORS: [&str; 8] =
    ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/// Whose rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    User(i64),
    Group(i64),
}

fn bad(m: &str) -> ApiError {
    ApiError::InvalidRequest(m.to_string())
}

fn all_queues(conn: &Connection) -> rusqlite::Result<Vec<(i64, String)>> {
    conn.prepare_cached("SELECT id, name FROM ticket_queues ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

fn queue_list(list: &[(i64, String)]) -> Value {
    Value::Array(list.iter().map(|(id, name)| json!({"id": id, "name": name})).collect())
}

/// Whether the holder has access to all queues, and its explicit queues.
fn state_of(conn: &Connection, h: Holder) -> rusqlite::Result<(bool, Vec<i64>)> {
    let (all, sql) = match h {
        Holder::User(id) => (
            conn.query_row("SELECT can_access_all_queues OR role_id >= 30 FROM users WHERE id = ?1", [id], |r| {
                r.get(0)
            })?,
            "SELECT ticket_queue_id FROM agent_queues WHERE user_id = ?1 ORDER BY ticket_queue_id",
        ),
        Holder::Group(id) => (
            conn.query_row("SELECT all_queues FROM group_queue_access WHERE group_id = ?1", [id], |r| r.get(0))
                .optional()?
                .unwrap_or(true),
            "SELECT ticket_queue_id FROM group_queues WHERE group_id = ?1 ORDER BY ticket_queue_id",
        ),
    };
    let id = match h {
        Holder::User(id) | Holder::Group(id) => id,
    };
    let queues = conn.prepare_cached(sql)?.query_map([id], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>()?;
    Ok((all, queues))
}

/// The AccessRight JSON of a holder.
fn right(conn: &Connection, h: Holder) -> rusqlite::Result<Value> {
    let (all, mine) = state_of(conn, h)?;
    let queues: Vec<(i64, String)> = all_queues(conn)?.into_iter().filter(|(id, _)| all || mine.contains(id)).collect();
    Ok(match h {
        Holder::User(id) => {
            let (email, first, last, picture): (String, Option<String>, Option<String>, Option<String>) = conn
                .query_row("SELECT email, first_name, last_name, picture_url FROM users WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?;
            json!({
                "id": id,
                "email": email,
                "full_name": super::users::full_name(first.as_deref(), last.as_deref()),
                "has_access_to_all_ticket_queues": all,
                "accessible_queues": queue_list(&queues),
                "picture_url": picture,
                "picture_type": 0,
                "picture_color": AVATAR_COLORS[id.unsigned_abs() as usize % AVATAR_COLORS.len()],
            })
        }
        Holder::Group(id) => {
            let name: String = conn.query_row("SELECT name FROM groups WHERE id = ?1", [id], |r| r.get(0))?;
            json!({
                "id": id,
                "name": name,
                "has_access_to_all_ticket_queues": all,
                "accessible_queues": queue_list(&queues),
            })
        }
    })
}

fn agents(conn: &Connection) -> rusqlite::Result<Vec<Value>> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM users WHERE role_id >= 15 AND is_active = 1 AND deleted_at IS NULL ORDER BY id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.into_iter().map(|id| right(conn, Holder::User(id))).collect()
}

fn groups(conn: &Connection) -> rusqlite::Result<Vec<Value>> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM groups ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.into_iter().map(|id| right(conn, Holder::Group(id))).collect()
}

/// The holder of the path: an agent (any role from 15, not deleted) or a group.
fn path_holder(conn: &Connection, call: &ApiCall, group: bool) -> ApiResult<Holder> {
    let id = call.path_id("id");
    if group {
        let ok = match id {
            Some(id) => super::common::exists(conn, "SELECT 1 FROM groups WHERE id = ?1", id)?,
            None => false,
        };
        return id.filter(|_| ok).map(Holder::Group).ok_or_else(|| bad("Invalid Group ID."));
    }
    let ok = match id {
        Some(id) => super::common::exists(
            conn,
            "SELECT 1 FROM users WHERE id = ?1 AND role_id >= 15 AND deleted_at IS NULL",
            id,
        )?,
        None => false,
    };
    id.filter(|_| ok).map(Holder::User).ok_or_else(|| bad("Invalid User ID."))
}

fn has_access(p: &Params, key: &str) -> ApiResult<bool> {
    match p.bool(key) {
        Field::Value(b) => Ok(b),
        _ => Err(bad(&format!("Invalid {key} value."))),
    }
}

fn check_queues(conn: &Connection, ids: &[i64]) -> ApiResult<()> {
    for id in ids {
        if !super::common::exists(conn, "SELECT 1 FROM ticket_queues WHERE id = ?1", *id)? {
            return Err(bad("Invalid Ticket Queue ID."));
        }
    }
    Ok(())
}

/// Managers and above always see every queue: granting them one is a no-op (it goes through
/// [`set_queues`], which ignores grants to holders with every queue), taking one away is refused.
fn refuse_managers(conn: &Connection, h: Holder, grant: bool) -> ApiResult<()> {
    if grant {
        return Ok(());
    }
    if let Holder::User(id) = h {
        let role: i64 = conn.query_row("SELECT role_id FROM users WHERE id = ?1", [id], |r| r.get(0))?;
        if role >= 30 {
            return Err(bad("Managers and administrators always have access to all ticket queues."));
        }
    }
    Ok(())
}

/// Sets the "all queues" flag of a holder.
fn set_all(conn: &Connection, h: Holder, all: bool) -> rusqlite::Result<()> {
    match h {
        Holder::User(id) => {
            conn.execute("UPDATE users SET can_access_all_queues = ?2 WHERE id = ?1", params![id, all])?
        }
        Holder::Group(id) => conn.execute(
            "INSERT INTO group_queue_access (group_id, all_queues) VALUES (?1, ?2)
             ON CONFLICT(group_id) DO UPDATE SET all_queues = excluded.all_queues",
            params![id, all],
        )?,
    };
    Ok(())
}

/// Grants or revokes some queues.
fn set_queues(conn: &Connection, h: Holder, queues: &[i64], grant: bool) -> rusqlite::Result<()> {
    let (all, _) = state_of(conn, h)?;
    if all && grant {
        return Ok(());
    }
    let (insert, delete, id) = match h {
        Holder::User(id) => (
            "INSERT OR IGNORE INTO agent_queues (user_id, ticket_queue_id, notify) VALUES (?1, ?2, 1)",
            "DELETE FROM agent_queues WHERE user_id = ?1 AND ticket_queue_id = ?2",
            id,
        ),
        Holder::Group(id) => (
            "INSERT OR IGNORE INTO group_queues (group_id, ticket_queue_id) VALUES (?1, ?2)",
            "DELETE FROM group_queues WHERE group_id = ?1 AND ticket_queue_id = ?2",
            id,
        ),
    };
    if all {
        // Revoking from "all": every other queue stays, explicitly.
        set_all(conn, h, false)?;
        for (q, _) in all_queues(conn)? {
            conn.execute(insert, params![id, q])?;
        }
    }
    for q in queues {
        conn.execute(if grant { insert } else { delete }, params![id, q])?;
    }
    Ok(())
}

/// `GET /access_rights/agents` and `/access_rights/restricted_agents`.
pub async fn list_agents(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        Ok(json::ok(Value::Array(agents(conn)?)))
    })
    .await
}

/// `GET /access_rights/groups`.
pub async fn list_groups(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        Ok(json::ok(Value::Array(groups(conn)?)))
    })
    .await
}

async fn show(st: AppState, call: ApiCall, group: bool) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let h = path_holder(conn, &call, group)?;
        Ok(json::ok(right(conn, h)?))
    })
    .await
}

async fn set_one(st: AppState, call: ApiCall, group: bool) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let h = path_holder(conn, &call, group)?;
        let p = &call.params;
        let tx = conn.transaction()?;
        if !p.text("has_access_to_all_ticket_queues").is_absent() {
            let all = has_access(p, "has_access_to_all_ticket_queues")?;
            refuse_managers(&tx, h, all)?;
            set_all(&tx, h, all)?;
        } else {
            let queue = match p.int("ticket_queue_id") {
                Field::Value(q) => q,
                _ => return Err(bad("Invalid Ticket Queue ID.")),
            };
            check_queues(&tx, &[queue])?;
            let grant = has_access(p, "has_access")?;
            refuse_managers(&tx, h, grant)?;
            set_queues(&tx, h, &[queue], grant)?;
        }
        let body = right(&tx, h)?;
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}

async fn set_many(st: AppState, call: ApiCall, group: bool) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let h = path_holder(conn, &call, group)?;
        let p = &call.params;
        let keys = match super::common::id_list(p, "keys") {
            None => return Err(bad("param is missing or the value is empty: keys")),
            Some(Err(_)) => return Err(bad("Invalid Ticket Queue ID.")),
            Some(Ok(k)) if k.is_empty() => return Err(bad("param is missing or the value is empty: keys")),
            Some(Ok(k)) => k,
        };
        check_queues(conn, &keys)?;
        let grant = has_access(p, "has_access")?;
        refuse_managers(conn, h, grant)?;
        let tx = conn.transaction()?;
        set_queues(&tx, h, &keys, grant)?;
        let list = if group { groups(&tx)? } else { agents(&tx)? };
        tx.commit()?;
        Ok(json::ok(Value::Array(list)))
    })
    .await
}

/// `GET /users/{id}/access_rights`.
pub async fn show_user(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    show(st, call, false).await
}

/// `GET /groups/{id}/access_rights`.
pub async fn show_group(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    show(st, call, true).await
}

/// `POST /users/{id}/access_rights`.
pub async fn set_user(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    set_one(st, call, false).await
}

/// `POST /groups/{id}/access_rights`.
pub async fn set_group(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    set_one(st, call, true).await
}

/// `POST /users/{id}/access_rights/set`.
pub async fn set_user_many(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    set_many(st, call, false).await
}

/// `POST /groups/{id}/access_rights/set`.
pub async fn set_group_many(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    set_many(st, call, true).await
}
