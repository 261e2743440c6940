//! Tasks on a ticket (REFERENCE §3.11), for agents: `GET /tickets/{id}/tasks` (in list order),
//! `POST` (201; `title` required), `PUT`/`PATCH /tickets/{id}/tasks/{task_id}` (partial:
//! `title`, `notes`, `is_completed`, `due_on`, `assigned_to_id`), `DELETE` (empty 200),
//! `POST .../tasks/reorder` with `keys` (task ids in the new order; ids of other tickets are
//! ignored, tasks not named keep their order after the named ones; 200 with the tasks) and
//! `POST .../tasks/delete_completed` (200 with the remaining tasks). A missing ticket is 404;
//! a task that is not the ticket's is 400 `Invalid task id`; input problems are 400
//! `{"error": "..."}`. A ticket with unfinished tasks cannot be closed (see tickets).

use super::common::{self, ticket_of_path};
use crate::AppState;
use crate::auth::{Caller, Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json::{self, iso, opt_iso};
use crate::params::{Field, Params};
use crate::seed::ACCOUNT_ID;
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Value, json};

const SELECT: &str = "SELECT k.id, k.ticket_id, k.title, k.notes, k.is_completed, k.assigned_to_id, k.due_on,
        k.position, k.created_on, k.updated_on, u.first_name, u.last_name
    FROM tasks k LEFT JOIN users u ON u.id = k.assigned_to_id";

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    let assignee_id: Option<i64> = r.get(5)?;
    let assignee = match assignee_id {
        Some(id) => json!({
            "id": id,
            "full_name": super::users::full_name(
                r.get::<_, Option<String>>(10)?.as_deref(),
                r.get::<_, Option<String>>(11)?.as_deref(),
            ),
        }),
        None => Value::Null,
    };
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "ticket_id": r.get::<_, i64>(1)?,
        "title": r.get::<_, String>(2)?,
        "notes": r.get::<_, Option<String>>(3)?,
        "is_completed": r.get::<_, bool>(4)?,
        "assigned_to_id": assignee_id,
        "due_on": opt_iso(r.get(6)?),
        "position": r.get::<_, i64>(7)?,
        "created_on": iso(r.get(8)?),
        "updated_on": iso(r.get(9)?),
        "account_id": ACCOUNT_ID,
        "assignee": assignee,
    }))
}

/// The tasks of a ticket, in list order.
pub fn of_ticket(conn: &Connection, ticket_id: i64) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE k.ticket_id = ?1 ORDER BY k.position, k.id"))?;
    stmt.query_map([ticket_id], row_json)?.collect()
}

fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached(&format!("{SELECT} WHERE k.id = ?1"))?.query_row([id], row_json).optional()
}

/// How many tasks of a ticket are not completed (closing is refused while any are).
pub fn unfinished(conn: &Connection, ticket_id: i64) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COUNT(*) FROM tasks WHERE ticket_id = ?1 AND is_completed = 0", [ticket_id], |r| r.get(0))
}

/// A validated task input; `None` fields are left alone.
#[derive(Default)]
struct Input {
    title: Option<String>,
    notes: Option<Option<String>>,
    is_completed: Option<bool>,
    due_on: Option<Option<i64>>,
    assigned_to_id: Option<Option<i64>>,
}

fn read_input(conn: &Connection, p: &Params, creating: bool) -> ApiResult<Input> {
    let mut errs = Vec::new();
    let title =
        common::required_text(p, "title", "Title", common::SHORT, creating, &mut errs).map(|s| s.trim().to_string());
    let notes = common::optional_text(p, "notes", "Notes", 65_535, &mut errs);
    let is_completed = common::optional_bool(p, "is_completed", "Is completed", &mut errs);
    let due_on = common::optional_time(p, "due_on", "Due on", &mut errs);
    let assigned_to_id = match p.int("assigned_to_id") {
        Field::Absent => None,
        Field::Null | Field::Value(0) => Some(None),
        Field::Value(id)
            if common::exists(
                conn,
                "SELECT 1 FROM users WHERE id = ?1 AND role_id >= 15 AND is_active = 1 AND deleted_at IS NULL",
                id,
            )? =>
        {
            Some(Some(id))
        }
        Field::Value(_) | Field::Invalid => {
            errs.push("Assigned to is invalid".into());
            None
        }
    };
    if errs.is_empty() {
        Ok(Input { title, notes, is_completed, due_on, assigned_to_id })
    } else {
        Err(ApiError::bad(errs.join(", ")))
    }
}

/// The task of the path `{task_id}` on ticket `ticket_id`: 400 `Invalid task id` otherwise.
fn path_task(conn: &Connection, call: &ApiCall, ticket_id: i64) -> ApiResult<i64> {
    let invalid = || ApiError::bad("Invalid task id");
    let id = call.path_id("task_id").ok_or_else(invalid)?;
    if common::exists(conn, &format!("SELECT 1 FROM tasks WHERE id = ?1 AND ticket_id = {ticket_id}"), id)? {
        Ok(id)
    } else {
        Err(invalid())
    }
}

fn log(
    conn: &Connection,
    caller: &Caller,
    id: i64,
    ticket_id: i64,
    action: &str,
    what: &str,
    now: i64,
) -> rusqlite::Result<()> {
    common::log(conn, caller, (15, id), Some(ticket_id), action, format!("Task {what} on ticket #{ticket_id}"), now)
}

/// `GET /tickets/{id}/tasks`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let t = ticket_of_path(conn, &call, &caller)?;
        Ok(json::ok(Value::Array(of_ticket(conn, t.id)?)))
    })
    .await
}

/// `POST /tickets/{id}/tasks`.
pub async fn create(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let i = read_input(conn, &call.params, true)?;
        let tx = conn.transaction()?;
        let position: i64 =
            tx.query_row("SELECT COALESCE(MAX(position) + 1, 0) FROM tasks WHERE ticket_id = ?1", [t.id], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO tasks (ticket_id, title, notes, is_completed, assigned_to_id, due_on, position, created_on, updated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                t.id,
                i.title.unwrap_or_default(),
                i.notes.flatten(),
                i.is_completed.unwrap_or(false),
                i.assigned_to_id.flatten(),
                i.due_on.flatten(),
                position,
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        log(&tx, &caller, id, t.id, "create", "added", now)?;
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::created(body))
    })
    .await
}

/// `PUT`/`PATCH /tickets/{id}/tasks/{task_id}`.
pub async fn update(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let id = path_task(conn, &call, t.id)?;
        let i = read_input(conn, &call.params, false)?;
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE tasks SET title = COALESCE(?2, title),
                 notes = CASE WHEN ?3 THEN ?4 ELSE notes END,
                 is_completed = COALESCE(?5, is_completed),
                 due_on = CASE WHEN ?6 THEN ?7 ELSE due_on END,
                 assigned_to_id = CASE WHEN ?8 THEN ?9 ELSE assigned_to_id END,
                 updated_on = ?10
             WHERE id = ?1",
            params![
                id,
                i.title,
                i.notes.is_some(),
                i.notes.flatten(),
                i.is_completed,
                i.due_on.is_some(),
                i.due_on.flatten(),
                i.assigned_to_id.is_some(),
                i.assigned_to_id.flatten(),
                now
            ],
        )?;
        log(&tx, &caller, id, t.id, "update", "updated", now)?;
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}

/// `DELETE /tickets/{id}/tasks/{task_id}`.
pub async fn delete(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let id = path_task(conn, &call, t.id)?;
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM tasks WHERE id = ?1", [id])?;
        log(&tx, &caller, id, t.id, "delete", "deleted", now)?;
        tx.commit()?;
        Ok(json::empty_ok())
    })
    .await
}

/// `POST /tickets/{id}/tasks/reorder`.
pub async fn reorder(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let keys = match common::id_list(&call.params, "keys") {
            None => return Err(ApiError::bad("param is missing or the value is empty: keys")),
            Some(Err(bad)) => return Err(ApiError::bad(format!("Invalid task id: {bad}"))),
            Some(Ok(k)) => k,
        };
        let current: Vec<i64> = conn
            .prepare_cached("SELECT id FROM tasks WHERE ticket_id = ?1 ORDER BY position, id")?
            .query_map([t.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut order: Vec<i64> = Vec::with_capacity(current.len());
        for k in keys {
            if current.contains(&k) && !order.contains(&k) {
                order.push(k);
            }
        }
        for k in &current {
            if !order.contains(k) {
                order.push(*k);
            }
        }
        let tx = conn.transaction()?;
        for (pos, id) in order.iter().enumerate() {
            tx.execute("UPDATE tasks SET position = ?2 WHERE id = ?1 AND position <> ?2", params![id, pos as i64])?;
        }
        let list = of_ticket(&tx, t.id)?;
        tx.commit()?;
        Ok(json::ok(Value::Array(list)))
    })
    .await
}

/// `POST /tickets/{id}/tasks/delete_completed`.
pub async fn delete_completed(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let done: Vec<i64> = conn
            .prepare_cached("SELECT id FROM tasks WHERE ticket_id = ?1 AND is_completed = 1 ORDER BY id")?
            .query_map([t.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let tx = conn.transaction()?;
        for id in done {
            tx.execute("DELETE FROM tasks WHERE id = ?1", [id])?;
            log(&tx, &caller, id, t.id, "delete", "deleted", now)?;
        }
        let list = of_ticket(&tx, t.id)?;
        tx.commit()?;
        Ok(json::ok(Value::Array(list)))
    })
    .await
}
