//! Tags (REFERENCE §3.10). `GET /tags` follows the newest spec: the whole list, sorted by
//! `sort_by` (`id`, `label`, `color`; default `id`) and `sort_order` (default `asc`). The
//! README's paging is honoured only when the client sends `per_page` (then `page` counts from 1),
//! so both kinds of client get what they expect (REFERENCE §1.5 [CONFLICT]).

use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::ApiResult;
use crate::json;
use crate::params::{Field, Paging, sort_desc};
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, Row, params};
use serde_json::{Value, json};

/// A tag as JSON.
pub fn row_json(r: &Row) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "label": r.get::<_, String>(1)?,
        "color": r.get::<_, String>(2)?,
    }))
}

/// The tags of a ticket, by id.
pub fn of_ticket(conn: &Connection, ticket_id: i64) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.label, t.color FROM ticket_tags tt JOIN tags t ON t.id = tt.tag_id
         WHERE tt.ticket_id = ?1 ORDER BY t.id",
    )?;
    stmt.query_map([ticket_id], row_json)?.collect()
}

/// `GET /tags`: any user with a key.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::AnyUser, json::now_ms())?;
        let p = &call.params;
        let column = match p.str("sort_by").as_deref() {
            Some("label") => "label COLLATE NOCASE",
            Some("color") => "color",
            _ => "id",
        };
        let dir = if sort_desc(p, false) { "DESC" } else { "ASC" };
        let (limit, offset) = match p.int("per_page") {
            Field::Absent => (-1, 0),
            _ => {
                let pg = Paging::read(p, 30, 100);
                (pg.per_page, pg.offset())
            }
        };
        let sql = format!("SELECT id, label, color FROM tags ORDER BY {column} {dir}, id {dir} LIMIT ?1 OFFSET ?2");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![limit, offset], row_json)?.collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows)))
    })
    .await
}
