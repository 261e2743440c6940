//! Tickets (REFERENCE §3.1): list, show, create, update (PUT and PATCH alike), delete.
//!
//! - List: `page` (from 1; 0, negative or garbage is 1), `per_page` (default 30, capped at 100;
//!   0 or garbage is 30), `sort_by` over the 20 documented fields (anything else is `id`),
//!   `sort_order` `asc`/`desc` (default `desc`). NULLs sort last in both orders and ties are
//!   broken by `id` descending, so pages are stable.
//! - Show/update/delete of a missing (or non-numeric) id: 404 `Record not found`, as Rails'
//!   `find` answers.
//! - Create/update validate like the Rails model: 422 `Validation failed: ...`.
//! - Delete is a soft delete (`deleted_at`), which search results can expose later (§3.1(b)).
//! - Queue access: a ticket in a queue the caller cannot see is refused (401) for show, update
//!   and delete, and so is a `ticket_queue_id` naming such a queue on create and update.

use super::{attachments, comments, forms, queues, staff_notes, tags, tasks, ticket_types, users};
use crate::AppState;
use crate::auth::{Caller, Need, authenticate};
use crate::call::ApiCall;
use crate::db::{Event, log_event};
use crate::error::{ApiError, ApiResult, NOT_AUTHORIZED};
use crate::json::{self, iso, opt_iso};
use crate::params::{Field, Paging, Params, sort_desc};
use axum::extract::State;
use axum::response::Response;
use mojo_api::Timestamp;
use mojo_api::ticket::SORT_FIELDS;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value, json};

/// The columns of [`TicketRow`], in its field order.
pub const COLS: &str = "id, title, description, status_id, priority_id, ticket_queue_id, ticket_form_id, \
    ticket_type_id, user_id, assigned_to_id, company_id, rating, rated_on, rating_comment, created_on, \
    updated_on, status_changed_on, solved_on, closed_on, assigned_on, first_assigned_on, due_on, \
    scheduled_on, resolution_id, created_from, parent_ticket_id, legacy_id, is_attention_required, \
    user_attention_id, cc, time_to_first_comment, first_commented_on, asset_tag, deleted_at";

/// Valid `status_id` values.
pub const STATUSES: [i64; 6] = [10, 20, 30, 40, 50, 60];
/// Valid `priority_id` values.
pub const PRIORITIES: [i64; 4] = [10, 20, 30, 40];

/// Longest title accepted (the service's column is a varchar(255)).
const MAX_TITLE: usize = 255;
/// Longest description accepted, in characters.
const MAX_DESCRIPTION: usize = 1_000_000;

/// One ticket as stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketRow {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub status_id: i64,
    pub priority_id: i64,
    pub ticket_queue_id: i64,
    pub ticket_form_id: Option<i64>,
    pub ticket_type_id: Option<i64>,
    pub user_id: i64,
    pub assigned_to_id: Option<i64>,
    pub company_id: Option<i64>,
    pub rating: Option<i64>,
    pub rated_on: Option<i64>,
    pub rating_comment: Option<String>,
    pub created_on: i64,
    pub updated_on: i64,
    pub status_changed_on: Option<i64>,
    pub solved_on: Option<i64>,
    pub closed_on: Option<i64>,
    pub assigned_on: Option<i64>,
    pub first_assigned_on: Option<i64>,
    pub due_on: Option<i64>,
    pub scheduled_on: Option<i64>,
    pub resolution_id: Option<i64>,
    pub created_from: i64,
    pub parent_ticket_id: Option<i64>,
    pub legacy_id: Option<i64>,
    pub is_attention_required: bool,
    pub user_attention_id: Option<i64>,
    pub cc: Option<String>,
    pub time_to_first_comment: Option<i64>,
    pub first_commented_on: Option<i64>,
    pub asset_tag: Option<String>,
    /// When it was (soft-)deleted.
    pub deleted_at: Option<i64>,
}

impl TicketRow {
    /// Reads a row selected with [`COLS`].
    pub fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(TicketRow {
            id: r.get(0)?,
            title: r.get(1)?,
            description: r.get(2)?,
            status_id: r.get(3)?,
            priority_id: r.get(4)?,
            ticket_queue_id: r.get(5)?,
            ticket_form_id: r.get(6)?,
            ticket_type_id: r.get(7)?,
            user_id: r.get(8)?,
            assigned_to_id: r.get(9)?,
            company_id: r.get(10)?,
            rating: r.get(11)?,
            rated_on: r.get(12)?,
            rating_comment: r.get(13)?,
            created_on: r.get(14)?,
            updated_on: r.get(15)?,
            status_changed_on: r.get(16)?,
            solved_on: r.get(17)?,
            closed_on: r.get(18)?,
            assigned_on: r.get(19)?,
            first_assigned_on: r.get(20)?,
            due_on: r.get(21)?,
            scheduled_on: r.get(22)?,
            resolution_id: r.get(23)?,
            created_from: r.get(24)?,
            parent_ticket_id: r.get(25)?,
            legacy_id: r.get(26)?,
            is_attention_required: r.get(27)?,
            user_attention_id: r.get(28)?,
            cc: r.get(29)?,
            time_to_first_comment: r.get(30)?,
            first_commented_on: r.get(31)?,
            asset_tag: r.get(32)?,
            deleted_at: r.get(33)?,
        })
    }

    /// The list-item shape (REFERENCE §3.1(a)).
    pub fn list_item(&self, tag_ids: &[i64]) -> Map<String, Value> {
        let v = json!({
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "status_id": self.status_id,
            "priority_id": self.priority_id,
            "ticket_queue_id": self.ticket_queue_id,
            "ticket_form_id": self.ticket_form_id,
            "ticket_type_id": self.ticket_type_id,
            "user_id": self.user_id,
            "assigned_to_id": self.assigned_to_id,
            "company_id": self.company_id,
            "rating": self.rating,
            "rated_on": opt_iso(self.rated_on),
            "rating_comment": self.rating_comment,
            "created_on": iso(self.created_on),
            "updated_on": iso(self.updated_on),
            "status_changed_on": opt_iso(self.status_changed_on),
            "solved_on": opt_iso(self.solved_on),
            "first_assigned_on": opt_iso(self.first_assigned_on),
            "due_on": opt_iso(self.due_on),
            "scheduled_on": opt_iso(self.scheduled_on),
            "resolution_id": self.resolution_id,
            "created_from": self.created_from,
            "tag_ids": tag_ids,
        });
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }
}

/// Inserts a ticket; `id` 0 lets SQLite pick the next id. Returns the id.
pub fn insert(conn: &Connection, t: &TicketRow) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO tickets ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
         ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)"
    ))?;
    stmt.execute(params![
        (t.id > 0).then_some(t.id),
        t.title,
        t.description,
        t.status_id,
        t.priority_id,
        t.ticket_queue_id,
        t.ticket_form_id,
        t.ticket_type_id,
        t.user_id,
        t.assigned_to_id,
        t.company_id,
        t.rating,
        t.rated_on,
        t.rating_comment,
        t.created_on,
        t.updated_on,
        t.status_changed_on,
        t.solved_on,
        t.closed_on,
        t.assigned_on,
        t.first_assigned_on,
        t.due_on,
        t.scheduled_on,
        t.resolution_id,
        t.created_from,
        t.parent_ticket_id,
        t.legacy_id,
        t.is_attention_required,
        t.user_attention_id,
        t.cc,
        t.time_to_first_comment,
        t.first_commented_on,
        t.asset_tag,
        t.deleted_at,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Writes every column of an existing ticket back.
fn save(conn: &Connection, t: &TicketRow) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE tickets SET title = ?2, description = ?3, status_id = ?4, priority_id = ?5,
            ticket_queue_id = ?6, ticket_form_id = ?7, ticket_type_id = ?8, user_id = ?9,
            assigned_to_id = ?10, company_id = ?11, updated_on = ?12, status_changed_on = ?13,
            solved_on = ?14, closed_on = ?15, assigned_on = ?16, first_assigned_on = ?17, due_on = ?18,
            scheduled_on = ?19, resolution_id = ?20, cc = ?21, asset_tag = ?22
         WHERE id = ?1",
        params![
            t.id,
            t.title,
            t.description,
            t.status_id,
            t.priority_id,
            t.ticket_queue_id,
            t.ticket_form_id,
            t.ticket_type_id,
            t.user_id,
            t.assigned_to_id,
            t.company_id,
            t.updated_on,
            t.status_changed_on,
            t.solved_on,
            t.closed_on,
            t.assigned_on,
            t.first_assigned_on,
            t.due_on,
            t.scheduled_on,
            t.resolution_id,
            t.cc,
            t.asset_tag,
        ],
    )?;
    Ok(())
}

/// A live (not deleted) ticket by id.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<TicketRow>> {
    conn.prepare_cached(&format!("SELECT {COLS} FROM tickets WHERE id = ?1 AND deleted_at IS NULL"))?
        .query_row([id], TicketRow::from_row)
        .optional()
}

/// The ticket of a path `{id}` that the caller may see: 404 when missing or not a number,
/// 401 when it sits in a queue the caller has no access to.
pub fn find_visible(conn: &Connection, call: &ApiCall, caller: &Caller) -> ApiResult<TicketRow> {
    let id = call.path_id("id").ok_or(ApiError::RecordNotFound)?;
    let t = find(conn, id)?.ok_or(ApiError::RecordNotFound)?;
    if !caller.can_see_queue(t.ticket_queue_id) {
        return Err(ApiError::Unauthorized(NOT_AUTHORIZED));
    }
    Ok(t)
}

/// Rows about some tickets, grouped per ticket in the order of `ids`: `sql` selects the ticket id
/// first and holds `{ids}` where the id list goes (integers only, so nothing is interpolated
/// that a client wrote); `read` reads one row.
fn per_ticket<T>(
    conn: &Connection,
    ids: &[i64],
    sql: &str,
    read: impl Fn(&Row) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<Vec<T>>> {
    let mut out: Vec<Vec<T>> = ids.iter().map(|_| Vec::new()).collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let mut stmt = conn.prepare(&sql.replace("{ids}", &list.join(",")))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let tid: i64 = row.get(0)?;
        if let Some(pos) = ids.iter().position(|i| *i == tid) {
            out[pos].push(read(row)?);
        }
    }
    Ok(out)
}

/// The tag ids of some tickets, grouped per ticket.
fn tag_ids_of(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<Vec<i64>>> {
    per_ticket(
        conn,
        ids,
        "SELECT ticket_id, tag_id FROM ticket_tags WHERE ticket_id IN ({ids}) ORDER BY ticket_id, tag_id",
        |r| r.get(1),
    )
}

/// The tags (`{id, label, color}`, as the ticket show gives them) of some tickets, grouped per ticket.
pub fn tags_of(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<Vec<Value>>> {
    per_ticket(
        conn,
        ids,
        "SELECT tt.ticket_id, t.id, t.label, t.color FROM ticket_tags tt JOIN tags t ON t.id = tt.tag_id
         WHERE tt.ticket_id IN ({ids}) ORDER BY tt.ticket_id, t.id",
        |r| Ok(json!({"id": r.get::<_, i64>(1)?, "label": r.get::<_, String>(2)?, "color": r.get::<_, String>(3)?})),
    )
}

/// Columns that are never NULL (sorting them needs no NULL handling, so an index can serve it).
const NOT_NULL: [&str; 8] =
    ["id", "title", "status_id", "priority_id", "ticket_queue_id", "user_id", "created_on", "updated_on"];

/// An SQL `ORDER BY` on the ticket column `field` (one the caller checked against a fixed list):
/// NULLs last in both orders, text without regard to case, ties broken by `id` (descending when
/// `ties_desc`), so every page is stable.
pub fn order_sql(field: &str, desc: bool, ties_desc: bool) -> String {
    let dir = |d: bool| if d { "DESC" } else { "ASC" };
    let (dir, ties) = (dir(desc), dir(ties_desc));
    match field {
        "id" => format!("id {dir}"),
        "title" | "description" => format!("{field} COLLATE NOCASE {dir} NULLS LAST, id {ties}"),
        f if NOT_NULL.contains(&f) => format!("{f} {dir}, id {ties}"),
        f => format!("{f} {dir} NULLS LAST, id {ties}"),
    }
}

/// The SQL `ORDER BY` of `GET /tickets`.
pub fn order_by(p: &Params) -> String {
    let field = p.str("sort_by").and_then(|s| SORT_FIELDS.iter().find(|f| **f == s).copied()).unwrap_or("id");
    order_sql(field, sort_desc(p, true), true)
}

/// One page of the tickets in the caller's queues that meet `filter`, an SQL condition on
/// `tickets` whose placeholders are `?1`..`?n` for the `n` values of `args`.
pub fn select_page(
    conn: &Connection,
    caller: &Caller,
    filter: &str,
    args: &[rusqlite::types::Value],
    order: &str,
    pg: Paging,
) -> ApiResult<Vec<TicketRow>> {
    let n = args.len();
    let sql = format!(
        "SELECT {COLS} FROM tickets WHERE {} AND {filter} ORDER BY {order} LIMIT ?{} OFFSET ?{}",
        caller.queue_filter_sql("ticket_queue_id"),
        n + 1,
        n + 2
    );
    let mut stmt = conn.prepare(&sql)?;
    let values = args.iter().cloned().chain([pg.per_page.into(), pg.offset().into()]);
    Ok(stmt.query_map(rusqlite::params_from_iter(values), TicketRow::from_row)?.collect::<Result<Vec<_>, _>>()?)
}

/// One page of list items for a caller.
pub fn page(conn: &Connection, p: &Params, caller: &Caller) -> ApiResult<Vec<Value>> {
    let rows = select_page(conn, caller, "deleted_at IS NULL", &[], &order_by(p), Paging::read(p, 30, 100))?;
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let tag_ids = tag_ids_of(conn, &ids)?;
    Ok(rows.iter().zip(tag_ids).map(|(t, tags)| Value::Object(t.list_item(&tags))).collect())
}

/// The custom field values of a ticket, `(key without prefix, value)`, in field order.
fn field_values(conn: &Connection, ticket_id: i64) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.field_key, v.value FROM ticket_field_values v
         LEFT JOIN custom_fields cf ON cf.key = v.field_key
         WHERE v.ticket_id = ?1 ORDER BY cf.id, v.field_key",
    )?;
    stmt.query_map([ticket_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// Agents who may take the ticket: active staff with access to its queue.
fn potential_assignees(conn: &Connection, queue_id: i64) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, first_name, last_name, email FROM users
         WHERE role_id >= 15 AND is_active = 1 AND deleted_at IS NULL
           AND (can_access_all_queues = 1 OR role_id >= 30
                OR id IN (SELECT user_id FROM agent_queues WHERE ticket_queue_id = ?1))
         ORDER BY first_name COLLATE NOCASE, last_name COLLATE NOCASE, id",
    )?;
    stmt.query_map([queue_id], |r| {
        let first: Option<String> = r.get(1)?;
        let last: Option<String> = r.get(2)?;
        let email: String = r.get(3)?;
        Ok(json!({
            "id": r.get::<_, i64>(0)?,
            "name": users::full_name(first.as_deref(), last.as_deref()).unwrap_or(email),
        }))
    })?
    .collect()
}

fn resolution(conn: &Connection, id: Option<i64>) -> rusqlite::Result<Value> {
    let Some(id) = id else {
        return Ok(Value::Null);
    };
    Ok(conn
        .prepare_cached("SELECT id, name FROM resolutions WHERE id = ?1")?
        .query_row([id], |r| Ok(json!({"id": r.get::<_, i64>(0)?, "name": r.get::<_, String>(1)?})))
        .optional()?
        .unwrap_or(Value::Null))
}

/// The full ticket (REFERENCE §3.1(c)): list fields plus everything show adds. Custom field
/// values come both as `custom_field_values` and as top-level `custom_field_<key>` (§3.2).
pub fn full(conn: &Connection, t: &TicketRow) -> rusqlite::Result<Value> {
    let tag_list = tags::of_ticket(conn, t.id)?;
    let tag_ids: Vec<i64> = tag_list.iter().filter_map(|v| v.get("id").and_then(Value::as_i64)).collect();
    let mut m = t.list_item(&tag_ids);
    let values = field_values(conn, t.id)?;
    let keys: Vec<String> = values.iter().map(|(k, _)| k.clone()).collect();
    let queue = queues::find(conn, t.ticket_queue_id)?.unwrap_or(Value::Null);
    let ticket_type = match t.ticket_type_id {
        Some(id) => ticket_types::find(conn, id)?.unwrap_or(Value::Null),
        None => Value::Null,
    };
    let requester = users::brief(conn, t.user_id)?.unwrap_or(Value::Null);
    let assignee = match t.assigned_to_id {
        Some(id) => users::brief(conn, id)?.unwrap_or(Value::Null),
        None => Value::Null,
    };
    let company = match t.company_id {
        Some(id) => conn
            .prepare_cached("SELECT id, name FROM groups WHERE id = ?1")?
            .query_row([id], |r| Ok(json!({"id": r.get::<_, i64>(0)?, "name": r.get::<_, String>(1)?})))
            .optional()?
            .unwrap_or(Value::Null),
        None => Value::Null,
    };
    let (attachments, staff_only_attachments) = attachments::of_ticket(conn, t.id)?;
    let queue_brief = json!({"id": t.ticket_queue_id, "name": queue.get("name").cloned().unwrap_or(Value::Null)});

    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("assigned_on", opt_iso(t.assigned_on));
    put("parent_ticket_id", json!(t.parent_ticket_id));
    put("legacy_id", json!(t.legacy_id));
    put("is_attention_required", json!(t.is_attention_required));
    put("user_attention_id", json!(t.user_attention_id));
    put("cc", json!(t.cc));
    put("time_to_first_comment", json!(t.time_to_first_comment));
    put("first_commented_on", opt_iso(t.first_commented_on));
    // The OpenAPI document types these as objects, not nullable: a ticket without one leaves
    // the key out (clients read a missing key as "none").
    for (key, value) in [("resolution", resolution(conn, t.resolution_id)?), ("ticket_type", ticket_type.clone())] {
        if !value.is_null() {
            put(key, value);
        }
    }
    put("ticket_queue", queue);
    put("tags", Value::Array(tag_list));
    put(
        "custom_field_values",
        Value::Array(values.iter().map(|(k, v)| json!({"name": format!("custom_field_{k}"), "value": v})).collect()),
    );
    put("custom_field_types", Value::Array(forms::types_for(conn, t.ticket_form_id, &keys)?));
    put("tasks", Value::Array(tasks::of_ticket(conn, t.id)?));
    put("all_comments", Value::Array(comments::of_ticket(conn, t.id)?));
    put("staff_notes", Value::Array(staff_notes::of_ticket(conn, t.id)?));
    put("attachments", Value::Array(attachments));
    put("staff_only_attachments", Value::Array(staff_only_attachments));
    put("potential_assignees", Value::Array(potential_assignees(conn, t.ticket_queue_id)?));
    put("time_tracking_unit", json!({"id": 1, "name": "Minutes"}));
    put(
        "related_data",
        json!({
            "user": requester,
            "assignee_user": assignee,
            "company": company,
            "ticket_type_name": ticket_type.get("name").cloned().unwrap_or(Value::Null),
            "ticket_queue": queue_brief.clone(),
            "queue": queue_brief,
        }),
    );
    put("asset_tag", json!(t.asset_tag));
    for (k, v) in values {
        m.insert(format!("custom_field_{k}"), Value::String(v));
    }
    Ok(Value::Object(m))
}

/// A requester to create from `user: {email}` once validation has passed.
struct NewRequester {
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
}

/// What an input asks for beyond the ticket's own columns.
#[derive(Default)]
struct Extra {
    custom: Vec<(String, Option<String>)>,
    new_requester: Option<NewRequester>,
    changed: Vec<&'static str>,
}

fn exists(conn: &Connection, sql: &str, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.prepare_cached(sql)?.query_row([id], |_| Ok(())).optional()?.is_some())
}

/// A plausible e-mail address (what Rails' format validators typically accept).
fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && e.len() <= 255
        && !e.chars().any(char::is_whitespace)
}

fn parse_time(p: &Params, key: &str, label: &str, errs: &mut Vec<String>) -> Option<Option<i64>> {
    match p.text(key) {
        Field::Absent => None,
        Field::Null => Some(None),
        Field::Value(s) if s.trim().is_empty() => Some(None),
        Field::Value(s) => match Timestamp::parse(&s) {
            Some(ts) => Some(Some(ts.millis())),
            None => {
                errs.push(format!("{label} is invalid"));
                None
            }
        },
        Field::Invalid => {
            errs.push(format!("{label} is invalid"));
            None
        }
    }
}

fn short_text(p: &Params, key: &str, label: &str, max: usize, errs: &mut Vec<String>) -> Option<Option<String>> {
    match p.text(key) {
        Field::Absent | Field::Invalid => None,
        Field::Null => Some(None),
        Field::Value(s) if s.trim().is_empty() => Some(None),
        Field::Value(s) if s.chars().count() > max => {
            errs.push(format!("{label} is too long (maximum is {max} characters)"));
            None
        }
        Field::Value(s) => Some(Some(s)),
    }
}

/// Validates an input against `t` and applies it (create and update share this). Nothing is
/// written; errors come back as one 422 listing every problem, as Rails does. A queue the
/// caller has no access to is refused first, with the 401 reads get for such tickets.
fn apply_input(conn: &Connection, caller: &Caller, t: &mut TicketRow, p: &Params, creating: bool) -> ApiResult<Extra> {
    let mut errs: Vec<String> = Vec::new();
    let mut extra = Extra::default();

    match p.text("title") {
        Field::Value(s) if s.trim().is_empty() => errs.push("Title can't be blank".into()),
        Field::Value(s) if s.chars().count() > MAX_TITLE => {
            errs.push(format!("Title is too long (maximum is {MAX_TITLE} characters)"))
        }
        Field::Value(s) => t.title = s,
        Field::Absent if !creating => {}
        _ => errs.push("Title can't be blank".into()),
    }
    match p.text("description") {
        Field::Value(s) if s.chars().count() > MAX_DESCRIPTION => {
            errs.push(format!("Description is too long (maximum is {MAX_DESCRIPTION} characters)"))
        }
        Field::Value(s) => t.description = Some(s),
        Field::Null => t.description = None,
        _ => {}
    }
    match p.int("ticket_queue_id") {
        Field::Value(id) => {
            if exists(conn, "SELECT 1 FROM ticket_queues WHERE id = ?1", id)? {
                if !caller.can_see_queue(id) {
                    return Err(ApiError::Unauthorized(NOT_AUTHORIZED));
                }
                t.ticket_queue_id = id;
            } else {
                errs.push("Ticket queue is invalid".into());
            }
        }
        Field::Absent if !creating => {}
        // Rails casts "abc" to nil: a queue that is not a number is a missing queue.
        _ => errs.push("Ticket queue can't be blank".into()),
    }
    for (key, label, allowed, target) in [
        ("priority_id", "Priority", &PRIORITIES[..], &mut t.priority_id),
        ("status_id", "Status", &STATUSES[..], &mut t.status_id),
    ] {
        match p.int(key) {
            Field::Value(v) if allowed.contains(&v) => *target = v,
            Field::Value(_) | Field::Invalid => errs.push(format!("{label} is not included in the list")),
            Field::Null if !creating => errs.push(format!("{label} can't be blank")),
            Field::Null | Field::Absent => {}
        }
    }
    let refs: [(&str, &str, &str, &mut Option<i64>); 3] = [
        ("ticket_type_id", "Ticket type", "SELECT 1 FROM ticket_types WHERE id = ?1", &mut t.ticket_type_id),
        (
            "assigned_to_id",
            "Assigned to",
            "SELECT 1 FROM users WHERE id = ?1 AND role_id >= 15 AND is_active = 1 AND deleted_at IS NULL",
            &mut t.assigned_to_id,
        ),
        ("resolution_id", "Resolution", "SELECT 1 FROM resolutions WHERE id = ?1", &mut t.resolution_id),
    ];
    for (key, label, sql, target) in refs {
        match p.int(key) {
            // 0 is how some clients say "none" (e.g. unassign).
            Field::Null | Field::Value(0) => *target = None,
            Field::Value(id) if exists(conn, sql, id)? => *target = Some(id),
            Field::Value(_) | Field::Invalid => errs.push(format!("{label} is invalid")),
            Field::Absent => {}
        }
    }
    match p.int("ticket_form_id") {
        Field::Value(id) if forms::form_exists(conn, id)? => t.ticket_form_id = Some(id),
        Field::Value(_) | Field::Invalid => errs.push("Ticket form is invalid".into()),
        Field::Null | Field::Absent => {
            if creating {
                t.ticket_form_id = forms::default_form_id(conn)?;
            }
        }
    }
    match p.int("user_id") {
        Field::Value(id)
            if exists(conn, "SELECT 1 FROM users WHERE id = ?1 AND is_active = 1 AND deleted_at IS NULL", id)? =>
        {
            t.user_id = id
        }
        Field::Value(_) | Field::Invalid => errs.push("User is invalid".into()),
        Field::Null | Field::Absent => {}
    }
    if creating && let Some(user) = p.get("user") {
        let email = user.get("email").and_then(Value::as_str).map(str::trim).unwrap_or("");
        let name = |k: &str| {
            user.get(k)
                .and_then(Value::as_str)
                .map(|s| s.trim().chars().take(45).collect::<String>())
                .filter(|s| !s.is_empty())
        };
        if email.is_empty() {
            errs.push("User email can't be blank".into());
        } else if !valid_email(email) {
            errs.push("User email is invalid".into());
        } else {
            let found: Option<i64> = conn
                .prepare_cached("SELECT id FROM users WHERE email = ?1 COLLATE NOCASE AND deleted_at IS NULL")?
                .query_row([email], |r| r.get(0))
                .optional()?;
            match found {
                Some(id) => t.user_id = id,
                None => {
                    extra.new_requester = Some(NewRequester {
                        email: email.to_string(),
                        first_name: name("first_name"),
                        last_name: name("last_name"),
                    })
                }
            }
        }
    }
    if let Some(v) = short_text(p, "cc", "Cc", 1000, &mut errs) {
        t.cc = v;
    }
    if let Some(v) = short_text(p, "asset_tag", "Asset tag", 255, &mut errs) {
        t.asset_tag = v;
    }
    if let Some(v) = parse_time(p, "due_on", "Due on", &mut errs) {
        t.due_on = v;
    }
    if let Some(v) = parse_time(p, "scheduled_on", "Scheduled on", &mut errs) {
        t.scheduled_on = v;
    }
    for (key, _) in p.iter() {
        let Some(short) = key.strip_prefix("custom_field_") else {
            continue;
        };
        if short == "values" || short == "types" {
            continue;
        }
        // Unknown custom fields are ignored quietly, like other unknown keys.
        let Some(def) = forms::field(conn, short)? else {
            continue;
        };
        match p.text(key) {
            Field::Value(s) if s.trim().is_empty() => extra.custom.push((def.key, None)),
            Field::Value(s) => match forms::normalise(&def, &s) {
                Ok(v) => extra.custom.push((def.key, Some(v))),
                Err(e) => errs.push(e),
            },
            Field::Null => extra.custom.push((def.key, None)),
            Field::Absent | Field::Invalid => {}
        }
    }
    if errs.is_empty() { Ok(extra) } else { Err(ApiError::Validation(errs)) }
}

/// Field names whose values differ, for the event log and `updated_on`.
fn diff(old: &TicketRow, new: &TicketRow) -> Vec<&'static str> {
    let mut out = Vec::new();
    macro_rules! cmp {
        ($($f:ident),*) => { $( if old.$f != new.$f { out.push(stringify!($f)); } )* };
    }
    cmp!(
        title,
        description,
        status_id,
        priority_id,
        ticket_queue_id,
        ticket_form_id,
        ticket_type_id,
        user_id,
        assigned_to_id,
        due_on,
        scheduled_on,
        resolution_id,
        cc,
        asset_tag
    );
    out
}

/// The bookkeeping timestamps that follow a change of status or assignee.
fn stamp_transitions(old: Option<&TicketRow>, t: &mut TicketRow, now: i64) {
    let old_status = old.map(|o| o.status_id);
    if old_status != Some(t.status_id) {
        t.status_changed_on = Some(now);
        if t.status_id >= 50 {
            if t.solved_on.is_none() || old_status.is_some_and(|s| s < 50) {
                t.solved_on = Some(now);
            }
            if t.status_id == 60 {
                t.closed_on = Some(now);
            } else {
                t.closed_on = None;
            }
        } else {
            // Reopened: no longer solved or closed.
            t.solved_on = None;
            t.closed_on = None;
        }
    }
    let old_assignee = old.and_then(|o| o.assigned_to_id);
    if t.assigned_to_id != old_assignee {
        match t.assigned_to_id {
            Some(_) => {
                t.assigned_on = Some(now);
                if t.first_assigned_on.is_none() {
                    t.first_assigned_on = Some(now);
                }
            }
            None => t.assigned_on = None,
        }
    }
}

fn requester_company(conn: &Connection, user_id: i64) -> rusqlite::Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT company_id FROM users WHERE id = ?1")?
        .query_row([user_id], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten())
}

fn write_custom(conn: &Connection, ticket_id: i64, custom: &[(String, Option<String>)]) -> rusqlite::Result<()> {
    for (key, value) in custom {
        match value {
            Some(v) => conn.execute(
                "INSERT INTO ticket_field_values (ticket_id, field_key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT(ticket_id, field_key) DO UPDATE SET value = excluded.value",
                params![ticket_id, key, v],
            )?,
            None => conn.execute(
                "DELETE FROM ticket_field_values WHERE ticket_id = ?1 AND field_key = ?2",
                params![ticket_id, key],
            )?,
        };
    }
    Ok(())
}

/// `GET /tickets`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        Ok(json::ok(Value::Array(page(conn, &call.params, &caller)?)))
    })
    .await
}

/// `GET /tickets/{id}`.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let t = find_visible(conn, &call, &caller)?;
        Ok(json::ok(full(conn, &t)?))
    })
    .await
}

/// `POST /tickets`: 201 with the full ticket. The requester is `user` (by e-mail, created when
/// new), else `user_id`, else the caller; `created_from` is 3 (API). Files of a multipart body
/// (`attachment[i][content]`) become attachments of the ticket (413 over 20 MiB each). A
/// requester other than the caller gets a notification in the outbox unless
/// `suppress_user_notification` is true.
pub async fn create(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let p = &call.params;
        attachments::check_sizes(p)?;
        let mut t = TicketRow {
            status_id: 10,
            priority_id: 30,
            user_id: caller.user_id,
            created_on: now,
            updated_on: now,
            created_from: 3,
            ..TicketRow::default()
        };
        let extra = apply_input(conn, &caller, &mut t, p, true)?;
        let tx = conn.transaction()?;
        if let Some(nr) = &extra.new_requester {
            tx.execute(
                "INSERT INTO users (email, first_name, last_name, role_id, is_active, can_access_all_queues,
                     created_on, updated_on)
                 VALUES (?1, ?2, ?3, 10, 1, 0, ?4, ?4)",
                params![nr.email, nr.first_name, nr.last_name, now],
            )?;
            t.user_id = tx.last_insert_rowid();
        }
        t.company_id = requester_company(&tx, t.user_id)?;
        stamp_transitions(None, &mut t, now);
        let id = insert(&tx, &t)?;
        t.id = id;
        write_custom(&tx, id, &extra.custom)?;
        attachments::store_ticket_uploads(&tx, id, caller.user_id, p, now)?;
        log_event(
            &tx,
            &Event {
                user_id: caller.user_id,
                entity_type: 1,
                entity_id: id,
                ticket_id: Some(id),
                action: "create",
                description: format!("Ticket #{id} created via API"),
            },
            now,
        )?;
        if t.user_id != caller.user_id && !matches!(p.bool("suppress_user_notification"), Field::Value(true)) {
            comments::notify_requester(&tx, &t, &format!("Ticket #{id} created: {}", t.title), now)?;
        }
        let body = full(&tx, &t)?;
        tx.commit()?;
        Ok(json::created(body))
    })
    .await
}

/// `PUT`/`PATCH /tickets/{id}`: a partial update; unknown keys are ignored (the official
/// example sends `assignee_id`, REFERENCE §5.2). Closing while tasks are open is a 422.
pub async fn update(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Agent, now)?;
        let old = find_visible(conn, &call, &caller)?;
        let mut t = old.clone();
        let mut extra = apply_input(conn, &caller, &mut t, &call.params, false)?;
        if t.status_id == 60 && old.status_id != 60 {
            let open = tasks::unfinished(conn, t.id)?;
            if open > 0 {
                return Err(ApiError::invalid(format!(
                    "Ticket cannot be closed while it has {open} unfinished task{}",
                    if open == 1 { "" } else { "s" }
                )));
            }
        }
        if t.user_id != old.user_id {
            t.company_id = requester_company(conn, t.user_id)?;
        }
        stamp_transitions(Some(&old), &mut t, now);
        extra.changed = diff(&old, &t);
        if !extra.custom.is_empty() {
            extra.changed.push("custom_fields");
        }
        let tx = conn.transaction()?;
        if !extra.changed.is_empty() {
            t.updated_on = now;
            save(&tx, &t)?;
            write_custom(&tx, t.id, &extra.custom)?;
            log_event(
                &tx,
                &Event {
                    user_id: caller.user_id,
                    entity_type: 1,
                    entity_id: t.id,
                    ticket_id: Some(t.id),
                    action: "update",
                    description: format!("Ticket #{} updated: {}", t.id, extra.changed.join(", ")),
                },
                now,
            )?;
        }
        let body = full(&tx, &t)?;
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}

/// `DELETE /tickets/{id}`: 200 with an empty body. Agents may delete when the account allows
/// it (the default here), else only managers.
pub async fn delete(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, settings| {
        let now = json::now_ms();
        let need = if settings.agents_can_delete { Need::Agent } else { Need::Manager };
        let caller = authenticate(conn, &call, need, now)?;
        let t = find_visible(conn, &call, &caller)?;
        let tx = conn.transaction()?;
        tx.execute("UPDATE tickets SET deleted_at = ?2 WHERE id = ?1", params![t.id, now])?;
        log_event(
            &tx,
            &Event {
                user_id: caller.user_id,
                entity_type: 1,
                entity_id: t.id,
                ticket_id: Some(t.id),
                action: "delete",
                description: format!("Ticket #{} deleted", t.id),
            },
            now,
        )?;
        tx.commit()?;
        Ok(json::empty_ok())
    })
    .await
}
