//! The event log (REFERENCE §3.16): `GET /events` (Manager; newest first; `per_page` default
//! 30 and capped at 30; `ticket_id` filter, 400 `Invalid ticket id` when that ticket does not
//! exist or the caller cannot see it), `GET /events/{id}` (400 `Invalid event id`) and
//! `GET /tickets/{id}/events` (Manager; the whole log of one ticket, newest first; 404 for a
//! missing ticket). Entries are written by the handlers that change things ([`crate::db::log_event`]).

use super::common::ticket_of_path;
use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json::{self, iso};
use crate::params::{Field, Paging};
use axum::extract::State;
use axum::response::Response;
use rusqlite::{OptionalExtension, Row, params};
use serde_json::{Value, json};

const SELECT: &str = "SELECT e.id, e.user_id, e.entity_type, e.entity_id, e.ticket_id, e.action_name, e.description,
        e.created_on, u.first_name, u.last_name, u.email, u.picture_url
    FROM events e LEFT JOIN users u ON u.id = e.user_id";

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    let id: i64 = r.get(0)?;
    let name =
        super::users::full_name(r.get::<_, Option<String>>(8)?.as_deref(), r.get::<_, Option<String>>(9)?.as_deref())
            .or(r.get::<_, Option<String>>(10)?);
    Ok(json!({
        "id": id,
        "user_id": r.get::<_, Option<i64>>(1)?,
        "user_full_name": name,
        "unique_identifier": format!("event_{id}"),
        "entity_type": r.get::<_, i64>(2)?,
        "entity_id": r.get::<_, i64>(3)?,
        "ticket_id": r.get::<_, Option<i64>>(4)?,
        "action_name": r.get::<_, String>(5)?,
        "description": r.get::<_, String>(6)?,
        "created_on": iso(r.get(7)?),
        "picture_url": r.get::<_, Option<String>>(11)?,
    }))
}

/// `GET /events`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let p = &call.params;
        let invalid = || ApiError::bad("Invalid ticket id");
        let ticket = match p.int("ticket_id") {
            Field::Absent | Field::Null => None,
            Field::Invalid => return Err(invalid()),
            Field::Value(id) => {
                let t = super::tickets::find(conn, id)?.ok_or_else(invalid)?;
                if !caller.can_see_queue(t.ticket_queue_id) {
                    return Err(invalid());
                }
                Some(id)
            }
        };
        let pg = Paging::read(p, 30, 30);
        let mut stmt = conn.prepare_cached(&format!(
            "{SELECT} WHERE (?3 IS NULL OR e.ticket_id = ?3) ORDER BY e.created_on DESC, e.id DESC LIMIT ?1 OFFSET ?2"
        ))?;
        let rows =
            stmt.query_map(params![pg.per_page, pg.offset(), ticket], row_json)?.collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows)))
    })
    .await
}

/// `GET /events/{id}`.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let invalid = || ApiError::bad("Invalid event id");
        let id = call.path_id("id").ok_or_else(invalid)?;
        let row = conn.prepare_cached(&format!("{SELECT} WHERE e.id = ?1"))?.query_row([id], row_json).optional()?;
        row.map(json::ok).ok_or_else(invalid)
    })
    .await
}

/// `GET /tickets/{id}/events`.
pub async fn for_ticket(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Manager, json::now_ms())?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let mut stmt =
            conn.prepare_cached(&format!("{SELECT} WHERE e.ticket_id = ?1 ORDER BY e.created_on DESC, e.id DESC"))?;
        let rows = stmt.query_map([t.id], row_json)?.collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows)))
    })
    .await
}
