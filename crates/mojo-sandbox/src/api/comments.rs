//! Public comments (REFERENCE §3.4). Today they appear in a full ticket's `all_comments`; the
//! `/tickets/{id}/comments` endpoints belong here too.

use crate::json::iso;
use rusqlite::{Connection, Row};
use serde_json::{Value, json};

const COLS: &str = "c.id, c.body, c.user_id, c.ticket_id, c.is_private, c.time_spent, c.created_on, \
    c.updated_on, c.from_email, u.first_name, u.last_name, u.email";

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    let user_id: i64 = r.get(2)?;
    let name =
        super::users::full_name(r.get::<_, Option<String>>(9)?.as_deref(), r.get::<_, Option<String>>(10)?.as_deref())
            .or(r.get::<_, Option<String>>(11)?);
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "body": r.get::<_, String>(1)?,
        "user_id": user_id,
        "ticket_id": r.get::<_, i64>(3)?,
        "is_private": r.get::<_, bool>(4)?,
        "time_spent": r.get::<_, Option<i64>>(5)?,
        "created_on": iso(r.get(6)?),
        "updated_on": iso(r.get(7)?),
        "from_email": r.get::<_, Option<String>>(8)?,
        "related_data": { "user": { "id": user_id, "full_name": name } },
    }))
}

/// The public comments of a ticket, oldest first.
pub fn of_ticket(conn: &Connection, ticket_id: i64) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM comments c LEFT JOIN users u ON u.id = c.user_id
         WHERE c.ticket_id = ?1 AND c.is_private = 0 ORDER BY c.created_on, c.id"
    ))?;
    stmt.query_map([ticket_id], row_json)?.collect()
}
