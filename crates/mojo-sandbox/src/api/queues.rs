//! Ticket queues (REFERENCE §3.7): list (paged, 30 by default, 100 at most) and show
//! (400 `Invalid ticket queue id` for an unknown id, not 404). A restricted agent's key sees
//! only the owner's queues: the list leaves the others out and show treats them as unknown.
//!
//! Writes (Manager): `POST /ticket_queues` (201; `name` required), `PUT`/`PATCH
//! /ticket_queues/{id}` (partial), `DELETE /ticket_queues/{id}` (empty 200). Input: `name`,
//! `email_alias`, `email_forward`, `email_ticket_form_id` (an existing form, or null). Problems
//! are 400 `{"error": "..."}`. A queue that still holds (live) tickets cannot be deleted: 400
//! `Cannot delete record because dependent tickets exist` (Rails' `restrict_with_error`);
//! deleting a queue also drops the agents' and groups' access rows for it.

use super::common;
use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use crate::params::{Field, Paging, Params};
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Value, json};

const COLS: &str = "id, name, email_alias, email_forward, email_ticket_form_id";

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "name": r.get::<_, String>(1)?,
        "email_alias": r.get::<_, Option<String>>(2)?,
        "email_forward": r.get::<_, Option<String>>(3)?,
        "email_ticket_form_id": r.get::<_, Option<i64>>(4)?,
    }))
}

/// The queue object, or `None`.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached(&format!("SELECT {COLS} FROM ticket_queues WHERE id = ?1"))?
        .query_row([id], row_json)
        .optional()
}

/// `GET /ticket_queues`: the queues the caller may see, by id.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let pg = Paging::read(&call.params, 30, 100);
        let sql = format!(
            "SELECT {COLS} FROM ticket_queues WHERE {} ORDER BY id LIMIT ?1 OFFSET ?2",
            caller.queue_filter_sql("id")
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![pg.per_page, pg.offset()], row_json)?.collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows)))
    })
    .await
}

/// `GET /ticket_queues/{id}`.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let invalid = || ApiError::bad("Invalid ticket queue id");
        let id = call.path_id("id").filter(|id| caller.can_see_queue(*id)).ok_or_else(invalid)?;
        find(conn, id)?.map(json::ok).ok_or_else(invalid)
    })
    .await
}

/// A validated queue input.
struct Input {
    name: Option<String>,
    email_alias: Option<Option<String>>,
    email_forward: Option<Option<String>>,
    email_ticket_form_id: Option<Option<i64>>,
}

fn read_input(conn: &Connection, p: &Params, creating: bool) -> ApiResult<Input> {
    let mut errs = Vec::new();
    let name =
        common::required_text(p, "name", "Name", common::SHORT, creating, &mut errs).map(|s| s.trim().to_string());
    let email_alias = common::optional_text(p, "email_alias", "Email alias", common::SHORT, &mut errs);
    let email_forward = common::optional_text(p, "email_forward", "Email forward", common::SHORT, &mut errs);
    if let Some(Some(f)) = &email_forward
        && !common::valid_email(f.trim())
    {
        errs.push("Email forward is invalid".into());
    }
    let email_ticket_form_id = match p.int("email_ticket_form_id") {
        Field::Absent => None,
        Field::Null | Field::Value(0) => Some(None),
        Field::Value(id) if super::forms::form_exists(conn, id)? => Some(Some(id)),
        Field::Value(_) | Field::Invalid => {
            errs.push("Email ticket form is invalid".into());
            None
        }
    };
    if errs.is_empty() {
        Ok(Input { name, email_alias, email_forward, email_ticket_form_id })
    } else {
        Err(ApiError::bad(errs.join(", ")))
    }
}

/// The queue of the path, for writes (managers see every queue).
fn path_queue(conn: &Connection, call: &ApiCall) -> ApiResult<i64> {
    let invalid = || ApiError::bad("Invalid ticket queue id");
    let id = call.path_id("id").ok_or_else(invalid)?;
    find(conn, id)?.map(|_| id).ok_or_else(invalid)
}

/// `POST /ticket_queues` (Manager).
pub async fn create(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        authenticate(conn, &call, Need::Manager, now)?;
        let i = read_input(conn, &call.params, true)?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO ticket_queues (name, email_alias, email_forward, email_ticket_form_id, created_on, updated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![i.name, i.email_alias.flatten(), i.email_forward.flatten(), i.email_ticket_form_id.flatten(), now],
        )?;
        let body = find(&tx, tx.last_insert_rowid())?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::created(body))
    })
    .await
}

/// `PUT`/`PATCH /ticket_queues/{id}` (Manager).
pub async fn update(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        authenticate(conn, &call, Need::Manager, now)?;
        let id = path_queue(conn, &call)?;
        let i = read_input(conn, &call.params, false)?;
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE ticket_queues SET name = COALESCE(?2, name),
                 email_alias = CASE WHEN ?3 THEN ?4 ELSE email_alias END,
                 email_forward = CASE WHEN ?5 THEN ?6 ELSE email_forward END,
                 email_ticket_form_id = CASE WHEN ?7 THEN ?8 ELSE email_ticket_form_id END,
                 updated_on = ?9
             WHERE id = ?1",
            params![
                id,
                i.name,
                i.email_alias.is_some(),
                i.email_alias.flatten(),
                i.email_forward.is_some(),
                i.email_forward.flatten(),
                i.email_ticket_form_id.is_some(),
                i.email_ticket_form_id.flatten(),
                now
            ],
        )?;
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}

/// `DELETE /ticket_queues/{id}` (Manager).
pub async fn delete(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let id = path_queue(conn, &call)?;
        if common::exists(conn, "SELECT 1 FROM tickets WHERE ticket_queue_id = ?1 AND deleted_at IS NULL LIMIT 1", id)?
        {
            return Err(ApiError::bad("Cannot delete record because dependent tickets exist"));
        }
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM agent_queues WHERE ticket_queue_id = ?1", [id])?;
        tx.execute("DELETE FROM group_queues WHERE ticket_queue_id = ?1", [id])?;
        tx.execute("DELETE FROM ticket_queues WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(json::empty_ok())
    })
    .await
}
