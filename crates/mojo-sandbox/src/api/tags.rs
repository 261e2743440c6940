//! Tags (REFERENCE §3.10) and tags on tickets (§3.3).
//!
//! - `GET /tags` follows the newest spec: the whole list, sorted by `sort_by` (`id`, `label`,
//!   `color`; default `id`) and `sort_order` (default `asc`). The README's paging is honoured
//!   only when the client sends `per_page` (then `page` counts from 1), so both kinds of client
//!   get what they expect (§1.5 [CONFLICT]). `GET /tags/{id}`: any user; 400 `Invalid tag id`.
//! - `POST /tags` (201), `PUT`/`PATCH /tags/{id}`, `DELETE /tags/{id}` (empty 200; the tag
//!   leaves every ticket), `POST /tags/{id}/merge` with `with_tag_id` (empty 200; the tickets
//!   of `id` get `with_tag_id` and `id` is deleted): Manager. `label` (unique, any case, at most
//!   255 characters) and `color` (`#rgb` or `#rrggbb`) are required on create; problems are
//!   400 `{"error": "..."}`.
//! - `POST /tickets/{id}/add_tag`, `/remove_tag` (Agent): `tag_id` or `tag_label` (an id that
//!   names a tag wins); 200 with the ticket's tags after the change. An unknown label on add
//!   creates the tag with [`DEFAULT_COLOR`]; a ticket holds at most [`MAX_TAGS_PER_TICKET`]
//!   tags. Anything unusable, and removing a tag the ticket does not carry, is 400
//!   `{"error":"Invalid tag id or label"}`.

use super::common::{self, ticket_of_path};
use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use crate::params::{Field, Paging, Params, sort_desc};
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Value, json};

/// The colour of a tag created by `add_tag` with a new label (the README's example colour).
pub const DEFAULT_COLOR: &str = "#777777";
/// How many tags one ticket may carry (the service has a limit; its value is not public).
pub const MAX_TAGS_PER_TICKET: i64 = 50;
const INVALID_TAG: &str = "Invalid tag id or label";

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

fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached("SELECT id, label, color FROM tags WHERE id = ?1")?.query_row([id], row_json).optional()
}

fn id_by_label(conn: &Connection, label: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM tags WHERE label = ?1 COLLATE NOCASE")?
        .query_row([label], |r| r.get(0))
        .optional()
}

/// `#rgb` or `#rrggbb`.
fn valid_color(c: &str) -> bool {
    c.strip_prefix('#').is_some_and(|h| (h.len() == 3 || h.len() == 6) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Validated `label` and `color` of a create (`current` is `None`) or an update.
fn read_input(conn: &Connection, p: &Params, current: Option<i64>) -> ApiResult<(Option<String>, Option<String>)> {
    let creating = current.is_none();
    let mut errs = Vec::new();
    let label =
        common::required_text(p, "label", "Label", common::SHORT, creating, &mut errs).map(|s| s.trim().to_string());
    let color = common::required_text(p, "color", "Color", 7, creating, &mut errs).map(|s| s.trim().to_string());
    if let Some(l) = &label
        && id_by_label(conn, l)?.is_some_and(|id| Some(id) != current)
    {
        errs.push("Label has already been taken".into());
    }
    if let Some(c) = &color
        && !valid_color(c)
    {
        errs.push("Color is invalid".into());
    }
    if errs.is_empty() { Ok((label, color)) } else { Err(ApiError::bad(errs.join(", "))) }
}

fn path_tag(conn: &Connection, call: &ApiCall) -> ApiResult<Value> {
    let invalid = || ApiError::bad("Invalid tag id");
    let id = call.path_id("id").ok_or_else(invalid)?;
    find(conn, id)?.ok_or_else(invalid)
}

fn id_of(v: &Value) -> i64 {
    v.get("id").and_then(Value::as_i64).unwrap_or(0)
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

/// `GET /tags/{id}`: any user with a key.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::AnyUser, json::now_ms())?;
        Ok(json::ok(path_tag(conn, &call)?))
    })
    .await
}

/// `POST /tags` (Manager).
pub async fn create(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let (label, color) = read_input(conn, &call.params, None)?;
        let (label, color) = (label.unwrap_or_default(), color.unwrap_or_default());
        let tx = conn.transaction()?;
        tx.execute("INSERT INTO tags (label, color) VALUES (?1, ?2)", params![label, color])?;
        let id = tx.last_insert_rowid();
        common::log(&tx, &caller, (8, id), None, "create", format!("Tag \"{label}\" created"), now)?;
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::created(body))
    })
    .await
}

/// `PUT`/`PATCH /tags/{id}` (Manager).
pub async fn update(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let id = id_of(&path_tag(conn, &call)?);
        let (label, color) = read_input(conn, &call.params, Some(id))?;
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE tags SET label = COALESCE(?2, label), color = COALESCE(?3, color) WHERE id = ?1",
            params![id, label, color],
        )?;
        common::log(&tx, &caller, (8, id), None, "update", format!("Tag #{id} updated"), now)?;
        let body = find(&tx, id)?.unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}

/// `DELETE /tags/{id}` (Manager).
pub async fn delete(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let tag = path_tag(conn, &call)?;
        let id = id_of(&tag);
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM ticket_tags WHERE tag_id = ?1", [id])?;
        tx.execute("DELETE FROM tags WHERE id = ?1", [id])?;
        let label = tag.get("label").and_then(Value::as_str).unwrap_or("");
        common::log(&tx, &caller, (8, id), None, "delete", format!("Tag \"{label}\" deleted"), now)?;
        tx.commit()?;
        Ok(json::empty_ok())
    })
    .await
}

/// `POST /tags/{id}/merge` (Manager).
pub async fn merge(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let from = id_of(&path_tag(conn, &call)?);
        let into = match call.params.int("with_tag_id") {
            Field::Value(id) if find(conn, id)?.is_some() => id,
            _ => return Err(ApiError::bad("Invalid tag id")),
        };
        if into == from {
            return Err(ApiError::bad("Cannot merge a tag into itself"));
        }
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO ticket_tags (ticket_id, tag_id) SELECT ticket_id, ?2 FROM ticket_tags WHERE tag_id = ?1",
            params![from, into],
        )?;
        tx.execute("DELETE FROM ticket_tags WHERE tag_id = ?1", [from])?;
        tx.execute("DELETE FROM tags WHERE id = ?1", [from])?;
        common::log(&tx, &caller, (8, into), None, "merge", format!("Tag #{from} merged into tag #{into}"), now)?;
        tx.commit()?;
        Ok(json::empty_ok())
    })
    .await
}

/// The tag a `tag_id`/`tag_label` body names: `(Some(id), _)` for an existing tag,
/// `(None, Some(label))` for a label that names no tag yet; 400 when neither is usable.
fn named_tag(conn: &Connection, p: &Params) -> ApiResult<(Option<i64>, Option<String>)> {
    if let Field::Value(id) = p.int("tag_id")
        && find(conn, id)?.is_some()
    {
        return Ok((Some(id), None));
    }
    match p.text("tag_label") {
        Field::Value(l) if !l.trim().is_empty() => {
            let l = l.trim().to_string();
            Ok((id_by_label(conn, &l)?, Some(l)))
        }
        _ => Err(ApiError::bad(INVALID_TAG)),
    }
}

/// `POST /tickets/{id}/add_tag` (Agent).
pub async fn add_to_ticket(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let (found, label) = named_tag(conn, &call.params)?;
        if found.is_none()
            && let Some(l) = &label
            && l.chars().count() > common::SHORT
        {
            return Err(ApiError::bad(format!("Label is too long (maximum is {} characters)", common::SHORT)));
        }
        let already = match found {
            Some(id) => common::exists(
                conn,
                &format!("SELECT 1 FROM ticket_tags WHERE ticket_id = {} AND tag_id = ?1", t.id),
                id,
            )?,
            None => false,
        };
        if !already {
            let count: i64 =
                conn.query_row("SELECT COUNT(*) FROM ticket_tags WHERE ticket_id = ?1", [t.id], |r| r.get(0))?;
            if count >= MAX_TAGS_PER_TICKET {
                return Err(ApiError::bad(format!(
                    "Ticket has reached the maximum number of tags ({MAX_TAGS_PER_TICKET})"
                )));
            }
        }
        let tx = conn.transaction()?;
        if !already {
            let id = match found {
                Some(id) => id,
                None => {
                    let l = label.clone().unwrap_or_default();
                    tx.execute("INSERT INTO tags (label, color) VALUES (?1, ?2)", params![l, DEFAULT_COLOR])?;
                    let id = tx.last_insert_rowid();
                    common::log(&tx, &caller, (8, id), None, "create", format!("Tag \"{l}\" created"), now)?;
                    id
                }
            };
            tx.execute("INSERT INTO ticket_tags (ticket_id, tag_id) VALUES (?1, ?2)", params![t.id, id])?;
            common::touch_ticket(&tx, t.id, now)?;
            let l: String = tx.query_row("SELECT label FROM tags WHERE id = ?1", [id], |r| r.get(0))?;
            common::log(
                &tx,
                &caller,
                (8, id),
                Some(t.id),
                "add_tag",
                format!("Tag \"{l}\" added to ticket #{}", t.id),
                now,
            )?;
        }
        let tags = of_ticket(&tx, t.id)?;
        tx.commit()?;
        Ok(json::ok(Value::Array(tags)))
    })
    .await
}

/// `POST /tickets/{id}/remove_tag` (Agent).
pub async fn remove_from_ticket(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let id = named_tag(conn, &call.params)?.0.ok_or_else(|| ApiError::bad(INVALID_TAG))?;
        if !common::exists(conn, &format!("SELECT 1 FROM ticket_tags WHERE ticket_id = {} AND tag_id = ?1", t.id), id)?
        {
            return Err(ApiError::bad(INVALID_TAG));
        }
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM ticket_tags WHERE ticket_id = ?1 AND tag_id = ?2", params![t.id, id])?;
        common::touch_ticket(&tx, t.id, now)?;
        let l: String = tx.query_row("SELECT label FROM tags WHERE id = ?1", [id], |r| r.get(0))?;
        common::log(
            &tx,
            &caller,
            (8, id),
            Some(t.id),
            "remove_tag",
            format!("Tag \"{l}\" removed from ticket #{}", t.id),
            now,
        )?;
        let tags = of_ticket(&tx, t.id)?;
        tx.commit()?;
        Ok(json::ok(Value::Array(tags)))
    })
    .await
}
