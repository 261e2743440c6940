//! Ticket queues (REFERENCE §3.7): list (paged, 30 by default, 100 at most) and show
//! (400 `Invalid ticket queue id` for an unknown id, not 404). A restricted agent's key sees
//! only the owner's queues: the list leaves the others out and show treats them as unknown.

use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use crate::params::Paging;
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
        let invalid = || ApiError::BadRequest("Invalid ticket queue id".into());
        let id = call.path_id("id").filter(|id| caller.can_see_queue(*id)).ok_or_else(invalid)?;
        find(conn, id)?.map(json::ok).ok_or_else(invalid)
    })
    .await
}
