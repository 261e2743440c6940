//! Public comments (REFERENCE §3.4): `GET /tickets/{id}/comments` (paged, 10 by default, 100 at
//! most, oldest first, as `all_comments` of the full ticket) and `POST /tickets/{id}/comments`
//! (201). Any user who may see the ticket may call them: agents by queue, end users for their
//! own tickets or their group's (§3.14). A missing ticket is 404 `Record not found`; input that
//! fails validation is 400 `{"error": "..."}` (§5.2), e.g. `Body can't be blank`.
//!
//! Input: `body` (required), `time_spent` (minutes, ≥ 0), `cc`, `user_id` (attributes the
//! comment to another active user of the account; ignored when there is no such user, and for
//! end users' keys), `suppress_user_notification` (query or body). Unless suppressed, a comment
//! by someone other than the requester records a notification to the requester in the outbox.
//! The first comment by staff stamps the ticket's `first_commented_on`/`time_to_first_comment`.

use super::common::{self, LONG, ticket_of_path};
use crate::AppState;
use crate::auth::{Caller, Need, authenticate};
use crate::call::ApiCall;
use crate::db::record_mail;
use crate::error::{ApiError, ApiResult};
use crate::json::{self, iso};
use crate::params::{Field, Paging, Params};
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, Row, params};
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

/// One comment by id.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached(&format!(
        "SELECT {COLS} FROM comments c LEFT JOIN users u ON u.id = c.user_id WHERE c.id = ?1"
    ))?
    .query_row([id], row_json)
    .optional()
}

/// The input of a comment or staff note, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteInput {
    /// The text.
    pub body: String,
    /// Minutes.
    pub time_spent: Option<i64>,
    /// CC addresses.
    pub cc: Option<String>,
    /// The author: `user_id` when it names an active user and the caller is staff, else the caller.
    pub author: i64,
    /// `suppress_user_notification`.
    pub suppress: bool,
}

/// Reads and validates a comment or staff-note input; problems are one 400 `{"error": ...}`
/// listing them all.
pub fn read_input(conn: &Connection, p: &Params, caller: &Caller) -> ApiResult<NoteInput> {
    let mut errs = Vec::new();
    let body = common::required_text(p, "body", "Body", LONG, true, &mut errs);
    let time_spent = common::minutes(p, "time_spent", "Time spent", &mut errs);
    let cc = common::optional_text(p, "cc", "Cc", 1000, &mut errs).flatten();
    let mut author = caller.user_id;
    if caller.role >= 15
        && let Field::Value(id) = p.int("user_id")
        && common::exists(conn, "SELECT 1 FROM users WHERE id = ?1 AND is_active = 1 AND deleted_at IS NULL", id)?
    {
        author = id;
    }
    let suppress = matches!(p.bool("suppress_user_notification"), Field::Value(true));
    match body {
        Some(body) if errs.is_empty() => Ok(NoteInput { body, time_spent, cc, author, suppress }),
        _ => Err(ApiError::bad(errs.join(", "))),
    }
}

/// Stamps the first staff reply of a ticket.
pub fn stamp_first_comment(conn: &Connection, ticket_id: i64, author: i64, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE tickets SET first_commented_on = ?2, time_to_first_comment = MAX(0, (?2 - created_on) / 1000)
         WHERE id = ?1 AND first_commented_on IS NULL
           AND EXISTS (SELECT 1 FROM users WHERE id = ?3 AND role_id >= 15)",
        params![ticket_id, now, author],
    )?;
    Ok(())
}

/// `GET /tickets/{id}/comments`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::AnyUser, json::now_ms())?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let pg = Paging::read(&call.params, 10, 100);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLS} FROM comments c LEFT JOIN users u ON u.id = c.user_id
             WHERE c.ticket_id = ?1 AND c.is_private = 0 ORDER BY c.created_on, c.id LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = stmt.query_map(params![t.id, pg.per_page, pg.offset()], row_json)?.collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows)))
    })
    .await
}

/// `POST /tickets/{id}/comments`.
pub async fn create(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::AnyUser, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let input = read_input(conn, &call.params, &caller)?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO comments (ticket_id, user_id, body, is_private, time_spent, cc, created_on, updated_on)
             VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?6)",
            params![t.id, input.author, input.body, input.time_spent, input.cc, now],
        )?;
        let id = tx.last_insert_rowid();
        stamp_first_comment(&tx, t.id, input.author, now)?;
        common::touch_ticket(&tx, t.id, now)?;
        common::log(&tx, &caller, (2, id), Some(t.id), "create", format!("Comment added to ticket #{}", t.id), now)?;
        if !input.suppress && input.author != t.user_id {
            notify_requester(&tx, &t, &format!("New comment on ticket #{}: {}", t.id, t.title), now)?;
        }
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::created(body))
    })
    .await
}

/// Records the e-mail the requester of `t` would get, unless they never want e-mail.
pub fn notify_requester(
    conn: &Connection,
    t: &super::tickets::TicketRow,
    subject: &str,
    now: i64,
) -> rusqlite::Result<()> {
    let to: Option<(String, bool)> = conn
        .prepare_cached("SELECT email, do_not_email_ever FROM users WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([t.user_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((email, false)) = to {
        record_mail(conn, "notification", &email, Some(t.user_id), Some(t.id), subject, now)?;
    }
    Ok(())
}
