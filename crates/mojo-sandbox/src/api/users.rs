//! Users (REFERENCE §3.9): list (paged; `sort_by`/`sort_order` accepted as Pipedream sends
//! them, §7.16), `techs` (agents only), show (400 `Invalid user id`) and `get_by_email` (400
//! `Invalid user email`); create, update and delete for managers. Create and update problems
//! are 400 `{"error": "<reason>"}` with the service's texts (§5.2): `Email is invalid`,
//! `The user with email x already exists as a agent.`, `Invalid company id`,
//! `You are not allowed to set higher than your own role.`, field lengths, and a password of
//! fewer than 8 characters (the default policy; passwords are checked, never stored). `access_key` is always
//! `null`: the real service leaks keys there (§7.14), the stand-in never does. Queue-scoped
//! parts follow the caller's queue access: `related_data.accessible_queues` names only queues
//! the caller may see, and `unassigned_tickets_count` counts only tickets in them.

use super::common;
use crate::AppState;
use crate::auth::{Caller, Need, authenticate};
use crate::call::ApiCall;
use crate::db::record_mail;
use crate::error::{ApiError, ApiResult};
use crate::json::{self, opt_iso};
use crate::params::{Field, Paging, Params, sort_desc};
use crate::seed::{HELPDESK_NAME, ORGANIZATION_NAME};
use axum::extract::State;
use axum::response::Response;
use mojo_api::Role;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use serde_json::{Value, json};

const COLS: &str = "id, email, first_name, middle_name, last_name, role_id, company_id, is_active, \
    work_phone, cell_phone, home_phone, fax_phone, address, im_screen_name, user_notes, helpdesk_notes, \
    time_zone, picture_url, can_access_company_tickets, can_access_all_queues, do_not_email_ever, \
    timer_auto_start, is_on_vacation, is_asset_manager, last_login_on, last_active_on, created_on, updated_on";

/// A user row, as read from the database.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// Every column of [`COLS`] as JSON, by name.
    pub fields: serde_json::Map<String, Value>,
    /// Id.
    pub id: i64,
    /// Role.
    pub role_id: i64,
    /// Group.
    pub company_id: Option<i64>,
    /// Whether the user sees all queues.
    pub all_queues: bool,
}

fn read_row(r: &Row) -> rusqlite::Result<UserRow> {
    let id: i64 = r.get(0)?;
    let first: Option<String> = r.get(2)?;
    let last: Option<String> = r.get(4)?;
    let role_id: i64 = r.get(5)?;
    let company_id: Option<i64> = r.get(6)?;
    let all_queues: bool = r.get(19)?;
    let full_name = full_name(first.as_deref(), last.as_deref());
    let v = json!({
        "id": id,
        "email": r.get::<_, String>(1)?,
        "first_name": first,
        "middle_name": r.get::<_, Option<String>>(3)?,
        "last_name": last,
        "full_name": full_name,
        "role_id": role_id,
        "company_id": company_id,
        "is_active": r.get::<_, bool>(7)?,
        "work_phone": r.get::<_, Option<String>>(8)?,
        "cell_phone": r.get::<_, Option<String>>(9)?,
        "home_phone": r.get::<_, Option<String>>(10)?,
        "fax_phone": r.get::<_, Option<String>>(11)?,
        "address": r.get::<_, Option<String>>(12)?,
        "im_screen_name": r.get::<_, Option<String>>(13)?,
        "user_notes": r.get::<_, Option<String>>(14)?,
        "helpdesk_notes": r.get::<_, Option<String>>(15)?,
        "time_zone": r.get::<_, Option<String>>(16)?,
        "picture_url": r.get::<_, Option<String>>(17)?,
        "can_access_company_tickets": r.get::<_, bool>(18)?,
        "do_not_email_ever": r.get::<_, bool>(20)?,
        "timer_auto_start": r.get::<_, bool>(21)?,
        "is_on_vacation": r.get::<_, bool>(22)?,
        "is_asset_manager": r.get::<_, bool>(23)?,
        "last_login_on": opt_iso(r.get(24)?),
        "last_active_on": opt_iso(r.get(25)?),
        "created_on": opt_iso(r.get(26)?),
        "updated_on": opt_iso(r.get(27)?),
        "helpdesk_name": HELPDESK_NAME,
        "organization_name": ORGANIZATION_NAME,
        "default_private_messages": false,
        "is_alpha_tester": false,
        "is_beta_tester": false,
        "access_key": Value::Null,
    });
    let fields = match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    Ok(UserRow { fields, id, role_id, company_id, all_queues })
}

/// "First Last", or whichever part exists, or `None`.
pub fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let joined =
        [first, last].iter().flatten().map(|s| s.trim()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// A user row by id (deleted users excluded).
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<UserRow>> {
    conn.prepare_cached(&format!("SELECT {COLS} FROM users WHERE id = ?1 AND deleted_at IS NULL"))?
        .query_row([id], read_row)
        .optional()
}

/// `{id, full_name, email}` of a user, for `related_data`.
pub fn brief(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached("SELECT id, first_name, last_name, email FROM users WHERE id = ?1")?
        .query_row([id], |r| {
            let first: Option<String> = r.get(1)?;
            let last: Option<String> = r.get(2)?;
            let email: String = r.get(3)?;
            Ok(json!({
                "id": r.get::<_, i64>(0)?,
                "full_name": full_name(first.as_deref(), last.as_deref()).unwrap_or_else(|| email.clone()),
                "email": email,
            }))
        })
        .optional()
}

/// Open unassigned tickets in the queues the caller may see.
fn unassigned_open(conn: &Connection, caller: &Caller) -> rusqlite::Result<i64> {
    conn.query_row(
        &format!(
            "SELECT COUNT(*) FROM tickets WHERE deleted_at IS NULL AND status_id < 50 AND assigned_to_id IS NULL
             AND {}",
            caller.queue_filter_sql("ticket_queue_id")
        ),
        [],
        |r| r.get(0),
    )
}

/// The user JSON of a list (no `related_data`).
fn plain(u: &UserRow, unassigned: i64) -> Value {
    let mut m = u.fields.clone();
    let count = if u.role_id >= 15 { json!(unassigned) } else { Value::Null };
    m.insert("unassigned_tickets_count".into(), count);
    Value::Object(m)
}

fn support_level_name(id: Option<i64>) -> Option<&'static str> {
    match id? {
        1 => Some("Bronze"),
        2 => Some("Silver"),
        3 => Some("Gold"),
        4 => Some("Platinum"),
        _ => None,
    }
}

/// A group's `YYYY-MM-DD` as the date-time `YYYY-MM-DDT00:00:00.000Z`.
fn date_as_time(d: &str) -> String {
    mojo_api::Timestamp::parse(d).map(|t| t.to_iso_millis()).unwrap_or_else(|| d.to_string())
}

/// `related_data` of show and techs (REFERENCE §3.9, spec 2026-07), as `caller` may see it.
fn related(conn: &Connection, u: &UserRow, caller: &Caller) -> rusqlite::Result<Value> {
    let company = match u.company_id {
        None => Value::Null,
        Some(cid) => conn
            .prepare_cached(
                "SELECT id, name, support_status_id, support_level_id, support_start_date, support_end_date
                 FROM groups WHERE id = ?1",
            )?
            .query_row([cid], |r| {
                let status: Option<i64> = r.get(2)?;
                Ok(json!({
                    "id": r.get::<_, i64>(0)?,
                    "name": r.get::<_, String>(1)?,
                    "is_delinquent": status == Some(1),
                    "support_status": status.map(|s| if s == 1 { "Delinquent" } else { "Active" }),
                    // The document types the level as a string (not nullable) and the dates as
                    // date-times, while groups keep plain dates: no level reads as "".
                    "support_level": support_level_name(r.get(3)?).unwrap_or(""),
                    "support_start_date": r.get::<_, Option<String>>(4)?.map(|d| date_as_time(&d)),
                    "support_end_date": r.get::<_, Option<String>>(5)?.map(|d| date_as_time(&d)),
                }))
            })
            .optional()?
            .unwrap_or(Value::Null),
    };
    let staff = u.role_id >= 15;
    let (teams, queues) = if staff {
        let mut stmt = conn.prepare_cached(
            "SELECT t.id, t.name FROM team_members m JOIN teams t ON t.id = m.team_id
             WHERE m.user_id = ?1 ORDER BY t.id",
        )?;
        let teams = stmt
            .query_map([u.id], |r| Ok(json!({"id": r.get::<_, i64>(0)?, "name": r.get::<_, String>(1)?})))?
            .collect::<Result<Vec<_>, _>>()?;
        let all = u.all_queues || u.role_id >= 30;
        let mut stmt = conn.prepare_cached(
            "SELECT q.id, q.name, COALESCE(a.notify, 0), a.user_id IS NOT NULL
             FROM ticket_queues q LEFT JOIN agent_queues a ON a.ticket_queue_id = q.id AND a.user_id = ?1
             ORDER BY q.id",
        )?;
        let queues = stmt
            .query_map([u.id], |r| {
                Ok((
                    json!({"id": r.get::<_, i64>(0)?, "name": r.get::<_, String>(1)?, "notify": r.get::<_, bool>(2)?}),
                    r.get::<_, bool>(3)?,
                ))
            })?
            .filter_map(|x| match x {
                Ok((v, member)) if (all || member) && v["id"].as_i64().is_some_and(|q| caller.can_see_queue(q)) => {
                    Some(Ok(v))
                }
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<Vec<_>, _>>()?;
        (teams, queues)
    } else {
        (Vec::new(), Vec::new())
    };
    let f = &u.fields;
    let phone = ["work_phone", "cell_phone", "home_phone"]
        .iter()
        .find_map(|k| f.get(*k).and_then(Value::as_str).map(str::to_string));
    // Never null here (the spec types it as a string): the e-mail stands in for a missing name.
    let name = f.get("full_name").filter(|v| v.is_string()).or_else(|| f.get("email")).cloned().unwrap_or(Value::Null);
    let mut out = json!({
        "full_name": name,
        "role_name": Role::from_code(u.role_id).label(),
        "address": f.get("address").cloned().unwrap_or(Value::Null),
        "phone": phone,
        "company": company,
        "teams": teams,
        "accessible_queues": queues,
        "can_access_all_queues": staff && (u.all_queues || u.role_id >= 30),
        "wants_to_be_notified_by_all_queues": staff && u.role_id >= 30,
        "email_forward_helpdesk_url": Value::Null,
    });
    // An end user's access to their own group's tickets (REFERENCE §3.9, §3.14).
    if !staff
        && let Some(g) = u.company_id
        && let Value::Object(m) = &mut out
    {
        let access = match super::common::group_access_level(conn, u.id, g)? {
            1 => "Full",
            2 => "Comment only",
            _ => "No",
        };
        m.insert("company_tickets_access".into(), json!(access));
    }
    Ok(out)
}

fn with_related(conn: &Connection, u: &UserRow, unassigned: i64, caller: &Caller) -> rusqlite::Result<Value> {
    let mut v = plain(u, unassigned);
    if let Value::Object(m) = &mut v {
        m.insert("related_data".into(), related(conn, u, caller)?);
    }
    Ok(v)
}

fn page_of(conn: &Connection, call: &ApiCall, techs_only: bool) -> ApiResult<Vec<UserRow>> {
    let p = &call.params;
    let pg = Paging::read(p, 30, 100);
    let column = match p.str("sort_by").as_deref() {
        Some("created_on") => "created_on",
        Some("updated_on") => "updated_on",
        Some("last_login_on") => "last_login_on",
        Some("email") => "email",
        Some("first_name") => "first_name COLLATE NOCASE",
        Some("last_name") => "last_name COLLATE NOCASE",
        Some("role_id") => "role_id",
        _ => "id",
    };
    let dir = if sort_desc(p, false) { "DESC" } else { "ASC" };
    let filter = if techs_only { "AND role_id >= 15" } else { "" };
    let sql = format!(
        "SELECT {COLS} FROM users WHERE deleted_at IS NULL {filter}
         ORDER BY {column} IS NULL, {column} {dir}, id {dir} LIMIT ?1 OFFSET ?2"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![pg.per_page, pg.offset()], read_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// `GET /users`: every user, agents and requesters.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let rows = page_of(conn, &call, false)?;
        let unassigned = unassigned_open(conn, &caller)?;
        Ok(json::ok(Value::Array(rows.iter().map(|u| plain(u, unassigned)).collect())))
    })
    .await
}

/// `GET /users/techs`: agents (role 15 and above) with `related_data`.
pub async fn techs(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let rows = page_of(conn, &call, true)?;
        let unassigned = unassigned_open(conn, &caller)?;
        let list = rows.iter().map(|u| with_related(conn, u, unassigned, &caller)).collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(list)))
    })
    .await
}

/// `GET /users/{id}`.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let invalid = || ApiError::BadRequest("Invalid user id".into());
        let id = call.path_id("id").ok_or_else(invalid)?;
        let u = find(conn, id)?.ok_or_else(invalid)?;
        let unassigned = unassigned_open(conn, &caller)?;
        Ok(json::ok(with_related(conn, &u, unassigned, &caller)?))
    })
    .await
}

/// `GET /users/get_by_email?email=` (Agent): the user as show answers it; 400
/// `Invalid user email` when no (live) user has that address, in any case.
pub async fn get_by_email(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let invalid = || ApiError::bad("Invalid user email");
        let email = call.params.str("email").ok_or_else(invalid)?;
        let id: i64 = conn
            .prepare_cached("SELECT id FROM users WHERE email = ?1 COLLATE NOCASE AND deleted_at IS NULL")?
            .query_row([&email], |r| r.get(0))
            .optional()?
            .ok_or_else(invalid)?;
        let u = find(conn, id)?.ok_or_else(invalid)?;
        let unassigned = unassigned_open(conn, &caller)?;
        Ok(json::ok(with_related(conn, &u, unassigned, &caller)?))
    })
    .await
}

/// The roles a user may have.
const ROLES: [i64; 6] = [10, 15, 20, 30, 35, 40];

/// The columns a create or update sets (`email` is handled by create alone). The first
/// problem found is the answer, as the service reports one reason.
fn read_input(conn: &Connection, p: &Params, caller: &Caller) -> ApiResult<Vec<(&'static str, Sql)>> {
    let mut errs: Vec<String> = Vec::new();
    let mut out: Vec<(&'static str, Sql)> = Vec::new();
    match p.int("role_id") {
        Field::Absent => {}
        Field::Value(r) if r > 40 => return Err(ApiError::bad("You are not allowed to set a super admin role.")),
        Field::Value(r) if r > caller.role => {
            return Err(ApiError::bad("You are not allowed to set higher than your own role."));
        }
        Field::Value(r) if ROLES.contains(&r) => out.push(("role_id", Sql::Integer(r))),
        Field::Value(_) | Field::Invalid | Field::Null => errs.push("Role is not included in the list".into()),
    }
    for (key, label, max) in [
        ("first_name", "First name", 45),
        ("middle_name", "Middle name", 45),
        ("last_name", "Last name", 45),
        ("work_phone", "Work phone", 30),
        ("cell_phone", "Cell phone", 30),
        ("home_phone", "Home phone", 30),
        ("fax_phone", "Fax phone", 30),
        ("address", "Address", common::SHORT),
        ("user_notes", "User notes", 65_535),
    ] {
        if let Some(v) = common::optional_text(p, key, label, max, &mut errs) {
            out.push((key, v.map(|s| Sql::Text(s.trim().to_string())).unwrap_or(Sql::Null)));
        }
    }
    match p.int("company_id") {
        Field::Absent => {}
        Field::Null | Field::Value(0) => out.push(("company_id", Sql::Null)),
        Field::Value(id) if common::exists(conn, "SELECT 1 FROM groups WHERE id = ?1", id)? => {
            out.push(("company_id", Sql::Integer(id)))
        }
        Field::Value(_) | Field::Invalid => errs.push("Invalid company id".into()),
    }
    if let Some(b) = common::optional_bool(p, "is_active", "Is active", &mut errs) {
        out.push(("is_active", Sql::Integer(b.into())));
    }
    if let Field::Value(pw) = p.text("password")
        && pw.chars().count() < 8
    {
        errs.push("Password should be at least 8 characters".into());
    }
    match errs.into_iter().next() {
        None => Ok(out),
        Some(e) => Err(ApiError::BadRequest(e)),
    }
}

/// Validates the `email` of a new user: present, 6 to 255 characters, well formed, unused.
fn new_email(conn: &Connection, p: &Params) -> ApiResult<String> {
    let email = match p.text("email") {
        Field::Value(s) => s.trim().to_string(),
        _ => String::new(),
    };
    let n = email.chars().count();
    if n == 0 {
        return Err(ApiError::bad("Email can't be blank"));
    }
    if n < 6 {
        return Err(ApiError::bad("Email is too short (minimum is 6 characters)"));
    }
    if n > 255 {
        return Err(ApiError::bad("Email is too long (maximum is 255 characters)"));
    }
    if !common::valid_email(&email) {
        return Err(ApiError::bad("Email is invalid"));
    }
    let taken: Option<(i64, bool)> = conn
        .prepare_cached("SELECT role_id, deleted_at IS NOT NULL FROM users WHERE email = ?1 COLLATE NOCASE")?
        .query_row([&email], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match taken {
        Some((role, false)) => Err(ApiError::bad(format!(
            "The user with email {email} already exists as a {}.",
            Role::from_code(role).label().to_lowercase()
        ))),
        Some((_, true)) => Err(ApiError::bad("Email has already been taken")),
        None => Ok(email),
    }
}

/// `POST /users` (Manager): 201 with the user as show answers it. The welcome e-mail is
/// recorded in the outbox unless `send_welcome_email` (query or body) is `0`/`false`.
pub async fn create(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let p = &call.params;
        let mut cols = read_input(conn, p, &caller)?;
        let email = new_email(conn, p)?;
        let welcome = !matches!(p.bool("send_welcome_email"), Field::Value(false));
        cols.push(("email", Sql::Text(email.clone())));
        cols.push(("created_on", Sql::Integer(now)));
        cols.push(("updated_on", Sql::Integer(now)));
        let names: Vec<&str> = cols.iter().map(|(k, _)| *k).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let tx = conn.transaction()?;
        tx.execute(
            &format!("INSERT INTO users ({}) VALUES ({})", names.join(", "), marks.join(", ")),
            params_from_iter(cols.into_iter().map(|(_, v)| v)),
        )?;
        let id = tx.last_insert_rowid();
        if welcome {
            record_mail(&tx, "welcome", &email, Some(id), None, &format!("Welcome to {ORGANIZATION_NAME}"), now)?;
        }
        common::log(&tx, &caller, (4, id), None, "create", format!("User {email} created"), now)?;
        let u = find(&tx, id)?.ok_or_else(|| ApiError::Internal("created user vanished".into()))?;
        let unassigned = unassigned_open(&tx, &caller)?;
        let body = with_related(&tx, &u, unassigned, &caller)?;
        tx.commit()?;
        Ok(json::created(body))
    })
    .await
}

/// `PUT`/`PATCH /users/{id}` (Manager): a partial update; `email` is ignored. 400 `Invalid user
/// id` for an unknown user, and the role rules of §3.9.
pub async fn update(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let invalid = || ApiError::bad("Invalid user id");
        let id = call.path_id("id").ok_or_else(invalid)?;
        let target = find(conn, id)?.ok_or_else(invalid)?;
        if target.role_id > caller.role {
            return Err(ApiError::bad("You are not allowed to update a user with higher role than yours."));
        }
        let mut cols = read_input(conn, &call.params, &caller)?;
        let tx = conn.transaction()?;
        if !cols.is_empty() {
            cols.push(("updated_on", Sql::Integer(now)));
            let sets: Vec<String> = cols.iter().enumerate().map(|(i, (k, _))| format!("{k} = ?{}", i + 2)).collect();
            let mut values = vec![Sql::Integer(id)];
            values.extend(cols.into_iter().map(|(_, v)| v));
            tx.execute(&format!("UPDATE users SET {} WHERE id = ?1", sets.join(", ")), params_from_iter(values))?;
            common::log(&tx, &caller, (4, id), None, "update", format!("User #{id} updated"), now)?;
        }
        let u = find(&tx, id)?.ok_or_else(invalid)?;
        let unassigned = unassigned_open(&tx, &caller)?;
        let body = with_related(&tx, &u, unassigned, &caller)?;
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}

/// `DELETE /users/{id}` (Manager): a soft delete (the user's keys stop working at once); 404
/// `Record not found` for an unknown user; 422 for the account owner, a user with a higher
/// role than the caller's, and the caller.
pub async fn delete(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let id = call.path_id("id").ok_or(ApiError::RecordNotFound)?;
        let target = find(conn, id)?.ok_or(ApiError::RecordNotFound)?;
        if target.role_id >= 40 {
            return Err(ApiError::Unprocessable("The account owner cannot be deleted.".into()));
        }
        if target.role_id > caller.role {
            return Err(ApiError::Unprocessable(
                "You are not allowed to delete a user with higher role than yours.".into(),
            ));
        }
        if id == caller.user_id {
            return Err(ApiError::Unprocessable("You cannot delete yourself.".into()));
        }
        let tx = conn.transaction()?;
        tx.execute("UPDATE users SET deleted_at = ?2, updated_on = ?2 WHERE id = ?1", params![id, now])?;
        common::log(&tx, &caller, (4, id), None, "delete", format!("User #{id} deleted"), now)?;
        tx.commit()?;
        Ok(json::empty_ok())
    })
    .await
}
