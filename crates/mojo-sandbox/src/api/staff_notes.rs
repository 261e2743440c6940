//! Staff notes (REFERENCE §3.5): private to agents. Today they appear in a full ticket's
//! `staff_notes`; the `/tickets/{id}/staff_notes` endpoints belong here too.

use crate::json::iso;
use rusqlite::{Connection, Row};
use serde_json::{Value, json};

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    let user_id: i64 = r.get(2)?;
    let name =
        super::users::full_name(r.get::<_, Option<String>>(7)?.as_deref(), r.get::<_, Option<String>>(8)?.as_deref());
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
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.body, n.user_id, n.ticket_id, n.time_spent, n.created_on, n.updated_on,
                u.first_name, u.last_name
         FROM staff_notes n LEFT JOIN users u ON u.id = n.user_id
         WHERE n.ticket_id = ?1 ORDER BY n.created_on, n.id",
    )?;
    stmt.query_map([ticket_id], row_json)?.collect()
}
