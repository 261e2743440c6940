//! Staff notes (REFERENCE §3.5): private to staff. `GET /tickets/{id}/staff_notes` (paged, 10 by
//! default, 100 at most, oldest first) and `POST /tickets/{id}/staff_notes` (201), with the input
//! of a comment ([`super::comments::read_input`]). Agents only: an end user's key, even one that
//! may see the ticket, gets 401 (staff notes are never shown to end users). A missing ticket is
//! 404; a blank `body` is 400 `{"error":"Body can't be blank"}`. Notes notify nobody.

use super::comments::NoteInput;
use super::common::{self, ticket_of_path};
use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::ApiResult;
use crate::json::{self, iso};
use crate::params::Paging;
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Value, json};

const COLS: &str = "n.id, n.body, n.user_id, n.ticket_id, n.time_spent, n.created_on, n.updated_on, \
    u.first_name, u.last_name, u.email";

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    let user_id: i64 = r.get(2)?;
    let name =
        super::users::full_name(r.get::<_, Option<String>>(7)?.as_deref(), r.get::<_, Option<String>>(8)?.as_deref())
            .or(r.get::<_, Option<String>>(9)?);
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "body": r.get::<_, String>(1)?,
        "user_id": user_id,
        "ticket_id": r.get::<_, i64>(3)?,
        "time_spent": r.get::<_, Option<i64>>(4)?,
        "created_on": iso(r.get(5)?),
        "updated_on": iso(r.get(6)?),
        "related_data": { "user": { "id": user_id, "full_name": name } },
    }))
}

/// The staff notes of a ticket, oldest first.
pub fn of_ticket(conn: &Connection, ticket_id: i64) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM staff_notes n LEFT JOIN users u ON u.id = n.user_id
         WHERE n.ticket_id = ?1 ORDER BY n.created_on, n.id"
    ))?;
    stmt.query_map([ticket_id], row_json)?.collect()
}

/// One staff note by id.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached(&format!(
        "SELECT {COLS} FROM staff_notes n LEFT JOIN users u ON u.id = n.user_id WHERE n.id = ?1"
    ))?
    .query_row([id], row_json)
    .optional()
}

/// Inserts a staff note and logs it; returns its id.
pub fn insert(
    conn: &Connection,
    caller: &crate::auth::Caller,
    ticket_id: i64,
    input: &NoteInput,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO staff_notes (ticket_id, user_id, body, time_spent, cc, created_on, updated_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![ticket_id, input.author, input.body, input.time_spent, input.cc, now],
    )?;
    let id = conn.last_insert_rowid();
    common::touch_ticket(conn, ticket_id, now)?;
    common::log(
        conn,
        caller,
        (10, id),
        Some(ticket_id),
        "create",
        format!("Staff note added to ticket #{ticket_id}"),
        now,
    )?;
    Ok(id)
}

/// `GET /tickets/{id}/staff_notes`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let pg = Paging::read(&call.params, 10, 100);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLS} FROM staff_notes n LEFT JOIN users u ON u.id = n.user_id
             WHERE n.ticket_id = ?1 ORDER BY n.created_on, n.id LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = stmt.query_map(params![t.id, pg.per_page, pg.offset()], row_json)?.collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows)))
    })
    .await
}

/// `POST /tickets/{id}/staff_notes`.
pub async fn create(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let input = super::comments::read_input(conn, &call.params, &caller)?;
        let tx = conn.transaction()?;
        let id = insert(&tx, &caller, t.id, &input, now)?;
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::created(body))
    })
    .await
}
