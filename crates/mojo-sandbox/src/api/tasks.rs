//! Tasks on a ticket (REFERENCE §3.11). Today they appear in a full ticket's `tasks` and block
//! closing; the `/tickets/{id}/tasks` endpoints belong here too.

use crate::json::{iso, opt_iso};
use crate::seed::ACCOUNT_ID;
use rusqlite::{Connection, Row};
use serde_json::{Value, json};

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
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.ticket_id, k.title, k.notes, k.is_completed, k.assigned_to_id, k.due_on,
                k.position, k.created_on, k.updated_on, u.first_name, u.last_name
         FROM tasks k LEFT JOIN users u ON u.id = k.assigned_to_id
         WHERE k.ticket_id = ?1 ORDER BY k.position, k.id",
    )?;
    stmt.query_map([ticket_id], row_json)?.collect()
}

/// How many tasks of a ticket are not completed (closing is refused while any are).
pub fn unfinished(conn: &Connection, ticket_id: i64) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COUNT(*) FROM tasks WHERE ticket_id = ?1 AND is_completed = 0", [ticket_id], |r| r.get(0))
}
