//! Ticket search, `GET /tickets/search` (REFERENCE §4): the query language of
//! [`mojo_api::query`] (the parser the dashboard validates with, so the stand-in evaluates exactly
//! the tree the dashboard prints) turned into one parameterised SQL condition on `tickets`.
//!
//! - Parameters: `query` (absent or blank: every ticket), `sf` (sort field: the README's
//!   `created_on, due_on, rated_on, scheduled_on, solved_on, updated_on`, `closed_on`,
//!   `first_assigned_on` and the 20 fields `GET /tickets` sorts by; anything else is `id`), `r`
//!   (`1` descending, anything else ascending), `page` (from 1; 0 or garbage is 1) and
//!   `per_page` (default 10, raised to 10, capped at 100). NULLs sort last in both orders and
//!   ties are broken by `id` in the same direction, so pages are stable and `r=1` is `r=0`
//!   reversed (NULLs aside). A page past the end is `[]`.
//! - Answer: a plain array of search results: the list item of `GET /tickets` plus `tags`
//!   (`{id, label, color}`), `asset_tag`, `closed_on` and `deleted_at`. Agents and above (read-only
//!   keys too); only tickets in queues the caller may see.
//! - 400 `{"error":"bad request"}` for a query the parser refuses, for a value its field cannot
//!   compare (`created_on:[notadate TO *]`, `status.id:(<abc)`, wildcards on a number, a range on
//!   text), for more than [`MAX_CLAUSES`] clauses (Elasticsearch's old `max_clause_count`), for
//!   a text value longer than SQLite's pattern limit (50,000 bytes) or with more than
//!   [`MAX_WILDCARDS`] wildcards, and for a query still running after [`SEARCH_BUDGET`] (the
//!   stand-in serves everyone from one connection; one costly query must not stall the rest).
//!
//! Fields: every one of [`mojo_api::search_field::SEARCH_FIELDS`] under its current and older
//! names (`queue.id`, `type.id`), the names the README deprecated (`assignee.name`,
//! `comments.id`, `comments.created_on`, `comments.time_spent`, `comments.user.id`,
//! `comments.user.name`, `comments.user.email`, `company.name`, `priority.name`, `queue.name`,
//! `status.name`, `type.name`), the v1 names `status_id` and `queue_id`, and `closed_on` and
//! `deleted_at` (dates). Names are matched without regard to case. An unknown field matches
//! nothing, as in Elasticsearch; it is not an error.
//!
//! What a value means, by field:
//! - Ids and numbers: `f:n` is equality; `(<n)`, `(<=n)`, `(>n)`, `(>=n)`; ranges `[a TO b]`
//!   (inclusive) and `{a TO b}` (exclusive) with `*` for an open end; `f:"n"` is `f:n`. Values
//!   must be whole numbers. An unassigned ticket's `assignee.id` is 0, so `assignee.id:(<=0)` and
//!   `assignee.id:0` find the unassigned ones.
//! - Dates: ISO-8601 (`2024-01-01T10:00:00Z`, with or without fractional seconds or an offset) or
//!   a day (`2024-01-01`, UTC). A day stands for the whole day wherever it appears, as
//!   Elasticsearch fills the missing time of a day for `gt`/`lte`: `created_on:"2024-01-01"` is
//!   that day, `[2024-01-01 TO 2024-01-31]` runs to the end of the 31st, `(<2024-01-02)` and
//!   `{* TO 2024-01-02}` end where the 2nd starts, `(>2024-01-01)` starts where the 2nd starts.
//! - Multi-valued fields (`tags.id`, `comments.*`): a clause holds when one of the values meets
//!   it; `tags.id:(3 AND 5)` wants both tags.
//! - Text (`title`, `description`, `comments.body`, `custom_fields` = the ticket's custom field
//!   values, names, e-mails): the value is contained in the text, ignoring case (each character
//!   lower-cased on its own, Unicode-wide: [`fold`]); `*` (any run) and `?` (one character)
//!   work inside a term; a phrase is a contiguous substring; text is searched as stored (HTML
//!   included). An empty phrase matches nothing. `field:*` is `_exists_:field`. Names are the
//!   user's first and last name joined by a space; status and priority names are the labels of
//!   `mojo_api::{Status, Priority}` (`"On hold"`).
//! - Bare free text: found in any of title, description, a comment body or a custom field value.
//!   A bare `*` is every ticket.
//! - `_exists_:f`: the field has a value: a date or id that is not null (an assignee for
//!   `assignee.id`), a non-empty text, at least one tag or comment.
//! - `AND`, `OR`, `NOT` as in the tree (the parser reads juxtaposed clauses as OR). A clause on a
//!   missing value is simply false, so `NOT due_on:[* TO x]` includes tickets without a due date.
//! - Soft-deleted tickets are left out unless the query names `deleted_at` (e.g.
//!   `_exists_:deleted_at`, `deleted_at:[2024-01-01 TO *]`); then the query alone decides.
//!
//! How: ids, numbers and dates are column comparisons (or `IN` subqueries on `ticket_tags` and
//! `comments`); text goes through the `search_text` FTS5 trigram index of case-folded copies
//! (see `db.rs`) with GLOB patterns, which the index narrows and SQLite re-checks exactly; names
//! and e-mails are looked up in their (small) tables. Every value the client wrote is a bound
//! parameter; the SQL text holds only column names and numbers chosen here.

use super::tickets::{self, TicketRow};
use crate::AppState;
use crate::auth::{Caller, Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json::{self, opt_iso};
use crate::params::{Field, Paging, Params};
use axum::extract::State;
use axum::response::Response;
use mojo_api::query::{self, Cmp, Piece, Query, Value};
use mojo_api::search_field::search_field;
use mojo_api::ticket::{SEARCH_SORT_FIELDS, SORT_FIELDS};
use mojo_api::{Priority, Status, Timestamp};
use rusqlite::Connection;
use rusqlite::types::Value as Sql;
use serde_json::{Value as Json, json};

/// The most clauses (field values, `_exists_`, free-text terms) one query may hold.
pub const MAX_CLAUSES: usize = 1024;

/// SQLite's longest GLOB pattern (`SQLITE_MAX_LIKE_PATTERN_LENGTH`), in bytes.
const MAX_PATTERN: usize = 50_000;

/// The answer to anything the search cannot evaluate (REFERENCE §4.4).
const BAD_QUERY: &str = "bad request";

const DAY_MS: i64 = 86_400_000;

/// Text as search compares it: each character lower-cased on its own (so `É` is `é` and `Σ` is
/// `σ` wherever it stands, and folding a part of a text gives a part of the folded text); NUL
/// becomes U+FFFD, as SQLite strings end at NUL.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\0' {
            out.push('\u{FFFD}');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// `GET /tickets/search`.
pub async fn search(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| Ok(json::ok(answer(conn, &call)?))).await
}

/// What `GET /tickets/search` answers for a call: the key checked, then [`run`].
pub fn answer(conn: &mut Connection, call: &ApiCall) -> ApiResult<Json> {
    let caller = authenticate(conn, call, Need::Agent, json::now_ms())?;
    Ok(Json::Array(run(conn, &call.params, &caller)?))
}

/// One page of search results for a caller.
pub fn run(conn: &mut Connection, p: &Params, caller: &Caller) -> ApiResult<Vec<Json>> {
    let query = match p.text("query") {
        Field::Value(s) => query::parse(&s).map_err(|_| refused())?,
        _ => None,
    };
    let mut w = Where::default();
    let cond = match &query {
        Some(q) => w.query(q)?,
        None => "1".to_string(),
    };
    let live = if query.as_ref().is_some_and(names_deleted_at) { "1" } else { "deleted_at IS NULL" };
    let desc = matches!(p.bool("r"), Field::Value(true));
    let order = tickets::order_sql(sort_field(p), desc, desc);
    let pg = Paging::read(p, 10, 100);
    let pg = Paging { per_page: pg.per_page.max(10), ..pg };
    let filter = format!("{live} AND {cond}");
    let rows = within_budget(conn, |conn| tickets::select_page(conn, caller, &filter, &w.args, &order, pg))?;
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let tags = tickets::tags_of(conn, &ids)?;
    Ok(rows.iter().zip(tags).map(|(t, tags)| result(t, tags)).collect())
}

/// Runs `f` with a time budget of [`SEARCH_BUDGET`]: the stand-in answers from one database
/// connection, so a query that would take seconds (thousands of wildcard terms) is stopped and
/// refused (400 `bad request`) instead of holding every other caller behind it.
fn within_budget<T>(conn: &mut Connection, f: impl FnOnce(&Connection) -> ApiResult<T>) -> ApiResult<T> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let deadline = std::time::Instant::now() + SEARCH_BUDGET;
    let stopped = Arc::new(AtomicBool::new(false));
    let flag = stopped.clone();
    conn.progress_handler(
        10_000,
        Some(move || {
            let over = std::time::Instant::now() > deadline;
            if over {
                flag.store(true, Ordering::Relaxed);
            }
            over
        }),
    )?;
    let result = f(conn);
    conn.progress_handler(0, None::<fn() -> bool>)?;
    match result {
        Err(_) if stopped.load(Ordering::Relaxed) => Err(refused()),
        r => r,
    }
}

/// The longest one search may run.
pub const SEARCH_BUDGET: std::time::Duration = std::time::Duration::from_secs(2);

/// The most wildcards (`*`, `?`) one text value may hold.
pub const MAX_WILDCARDS: usize = 64;

/// The search-result shape (REFERENCE §3.1(b)).
fn result(t: &TicketRow, tags: Vec<Json>) -> Json {
    let tag_ids: Vec<i64> = tags.iter().filter_map(|v| v.get("id").and_then(Json::as_i64)).collect();
    let mut m = t.list_item(&tag_ids);
    m.insert("tags".into(), Json::Array(tags));
    m.insert("asset_tag".into(), json!(t.asset_tag));
    m.insert("closed_on".into(), opt_iso(t.closed_on));
    m.insert("deleted_at".into(), opt_iso(t.deleted_at));
    Json::Object(m)
}

fn refused() -> ApiError {
    ApiError::bad(BAD_QUERY)
}

/// The column `sf` names, `id` when it names none of the sortable ones.
fn sort_field(p: &Params) -> &'static str {
    let sf = p.str("sf").unwrap_or_default();
    SORT_FIELDS
        .iter()
        .chain(SEARCH_SORT_FIELDS.iter())
        .chain(["first_assigned_on"].iter())
        .find(|f| **f == sf)
        .copied()
        .unwrap_or("id")
}

/// Whether the query names `deleted_at` anywhere (then deleted tickets are candidates too).
fn names_deleted_at(q: &Query) -> bool {
    match q {
        Query::And(qs) | Query::Or(qs) => qs.iter().any(names_deleted_at),
        Query::Not(q) => names_deleted_at(q),
        Query::Field(name, _) | Query::Exists(name) => name.eq_ignore_ascii_case("deleted_at"),
        Query::Text(_) => false,
    }
}

// ---------------------------------------------------------------- fields

/// Numbers or instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scale {
    /// Whole numbers.
    Int,
    /// Instants, as milliseconds since the epoch.
    Date,
}

/// Where a field's values are.
#[derive(Clone, Copy, Debug)]
enum Target {
    /// A column of `tickets` (`nullable`: may be NULL; `zero`: NULL reads as 0).
    Column { col: &'static str, scale: Scale, nullable: bool, zero: bool },
    /// Values of rows of another table: `sub` selects ticket ids `WHERE`, `col` is the value.
    Related { sub: &'static str, col: &'static str, scale: Scale },
    /// Indexed text (`search_text`) of one kind (see `db.rs`): 0 title, 1 description, 2 comment
    /// body, 3 custom field value; `exists` is the `_exists_` condition.
    Indexed { kind: u8, exists: &'static str },
    /// The text `expr` of rows `sub` selects `WHERE`, whose id is `outer` of the ticket.
    Lookup { outer: &'static str, sub: &'static str, expr: &'static str },
    /// A fixed list of labels (status, priority names) keyed by the ticket column `outer`.
    Labels { outer: &'static str, labels: fn() -> Vec<(i64, String)> },
}

const fn column(col: &'static str, scale: Scale, nullable: bool) -> Target {
    Target::Column { col, scale, nullable, zero: false }
}

const COMMENTS: &str = "SELECT ticket_id FROM comments WHERE";
const USERS: &str = "SELECT id FROM users WHERE";
const COMMENT_USERS: &str = "SELECT c.ticket_id FROM comments c JOIN users u ON u.id = c.user_id WHERE";
const NAME: &str = "trim(trim(coalesce(first_name, '')) || ' ' || trim(coalesce(last_name, '')))";
const COMMENT_USER_NAME: &str = "trim(trim(coalesce(u.first_name, '')) || ' ' || trim(coalesce(u.last_name, '')))";

fn status_labels() -> Vec<(i64, String)> {
    Status::ALL.iter().map(|s| (s.code(), s.label())).collect()
}

fn priority_labels() -> Vec<(i64, String)> {
    Priority::ALL.iter().map(|p| (p.code(), p.label())).collect()
}

/// The target of a field name (current, older or deprecated, any case); `None`: unknown.
fn target(name: &str) -> Option<Target> {
    use Scale::{Date, Int};
    // Current names and their aliases resolve through mojo-api's list.
    let canonical = search_field(name).map(|f| f.name).unwrap_or(name);
    let t = match canonical.to_ascii_lowercase().as_str() {
        "title" => Target::Indexed { kind: 0, exists: "tickets.title <> ''" },
        "description" => {
            Target::Indexed { kind: 1, exists: "(tickets.description IS NOT NULL AND tickets.description <> '')" }
        }
        "comments.body" => {
            Target::Indexed { kind: 2, exists: "tickets.id IN (SELECT ticket_id FROM comments WHERE body <> '')" }
        }
        "custom_fields" => Target::Indexed {
            kind: 3,
            exists: "tickets.id IN (SELECT ticket_id FROM ticket_field_values WHERE value <> '')",
        },
        "status.id" | "status_id" => column("status_id", Int, false),
        "priority.id" => column("priority_id", Int, false),
        "ticket_queue.id" | "queue_id" => column("ticket_queue_id", Int, false),
        "assignee.id" => Target::Column { col: "assigned_to_id", scale: Int, nullable: true, zero: true },
        "company.id" => column("company_id", Int, true),
        "ticket_type.id" => column("ticket_type_id", Int, true),
        "ticket_form.id" => column("ticket_form_id", Int, true),
        "created_by.id" => column("user_id", Int, false),
        "rating" => column("rating", Int, true),
        "tags.id" => Target::Related { sub: "SELECT ticket_id FROM ticket_tags WHERE", col: "tag_id", scale: Int },
        "created_on" => column("created_on", Date, false),
        "updated_on" => column("updated_on", Date, false),
        c @ ("due_on" | "solved_on" | "scheduled_on" | "status_changed_on" | "rated_on" | "closed_on"
        | "deleted_at") => column(SEARCH_DATE_COLUMNS.iter().find(|d| **d == c).copied().unwrap_or("id"), Date, true),
        "comments.id" => Target::Related { sub: COMMENTS, col: "id", scale: Int },
        "comments.created_on" => Target::Related { sub: COMMENTS, col: "created_on", scale: Date },
        "comments.time_spent" => Target::Related { sub: COMMENTS, col: "time_spent", scale: Int },
        "comments.user.id" => Target::Related { sub: COMMENTS, col: "user_id", scale: Int },
        "assignee.email" => Target::Lookup { outer: "tickets.assigned_to_id", sub: USERS, expr: "email" },
        "assignee.name" => Target::Lookup { outer: "tickets.assigned_to_id", sub: USERS, expr: NAME },
        "created_by.email" => Target::Lookup { outer: "tickets.user_id", sub: USERS, expr: "email" },
        "created_by.name" => Target::Lookup { outer: "tickets.user_id", sub: USERS, expr: NAME },
        "comments.user.email" => Target::Lookup { outer: "tickets.id", sub: COMMENT_USERS, expr: "u.email" },
        "comments.user.name" => Target::Lookup { outer: "tickets.id", sub: COMMENT_USERS, expr: COMMENT_USER_NAME },
        "company.name" => {
            Target::Lookup { outer: "tickets.company_id", sub: "SELECT id FROM groups WHERE", expr: "name" }
        }
        "queue.name" => {
            Target::Lookup { outer: "tickets.ticket_queue_id", sub: "SELECT id FROM ticket_queues WHERE", expr: "name" }
        }
        "type.name" => {
            Target::Lookup { outer: "tickets.ticket_type_id", sub: "SELECT id FROM ticket_types WHERE", expr: "name" }
        }
        "status.name" => Target::Labels { outer: "tickets.status_id", labels: status_labels },
        "priority.name" => Target::Labels { outer: "tickets.priority_id", labels: priority_labels },
        _ => return None,
    };
    Some(t)
}

/// The nullable date columns search knows (the SQL takes the name from here, never from input).
const SEARCH_DATE_COLUMNS: [&str; 7] =
    ["due_on", "solved_on", "scheduled_on", "status_changed_on", "rated_on", "closed_on", "deleted_at"];

// ---------------------------------------------------------------- values

/// A set of numbers (or instants) `lo <= x < hi`; `None` is an open end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    lo: Option<i64>,
    hi: Option<i64>,
}

impl Span {
    fn contains(self, x: i64) -> bool {
        self.lo.is_none_or(|lo| lo <= x) && self.hi.is_none_or(|hi| x < hi)
    }
}

/// A value read for a number or date field: the numbers it stands for, `start..end` (one number,
/// one millisecond, or a whole day).
fn point(scale: Scale, s: &str) -> Result<(i64, i64), ApiError> {
    let s = s.trim();
    match scale {
        Scale::Int => {
            let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(refused());
            }
            let n: i64 = s.parse().map_err(|_| refused())?;
            Ok((n, n.saturating_add(1)))
        }
        Scale::Date => {
            let t = Timestamp::parse(s).ok_or_else(refused)?.millis();
            Ok((t, t.saturating_add(if s.len() == 10 { DAY_MS } else { 1 })))
        }
    }
}

/// The span of one value that is not a list: `Ok(None)` for `*` (any value: the field exists).
fn span(scale: Scale, v: &Value) -> Result<Option<Span>, ApiError> {
    let range = |lo: Option<i64>, hi: Option<i64>| Ok(Some(Span { lo, hi }));
    match v {
        Value::Term(pieces) if pieces.iter().all(|p| *p == Piece::AnyRun) => Ok(None),
        Value::Term(pieces) => match pieces.as_slice() {
            [Piece::Lit(s)] => {
                let (a, b) = point(scale, s)?;
                range(Some(a), Some(b))
            }
            _ => Err(refused()),
        },
        Value::Phrase(s) => {
            let (a, b) = point(scale, s)?;
            range(Some(a), Some(b))
        }
        Value::Compare(op, s) => {
            let (a, b) = point(scale, s)?;
            match op {
                Cmp::Lt => range(None, Some(a)),
                Cmp::Le => range(None, Some(b)),
                Cmp::Gt => range(Some(b), None),
                Cmp::Ge => range(Some(a), None),
            }
        }
        Value::Range { lo, hi, lo_inclusive, hi_inclusive } => {
            let lo = match lo {
                Some(s) => {
                    let (a, b) = point(scale, s)?;
                    Some(if *lo_inclusive { a } else { b })
                }
                None => None,
            };
            let hi = match hi {
                Some(s) => {
                    let (a, b) = point(scale, s)?;
                    Some(if *hi_inclusive { b } else { a })
                }
                None => None,
            };
            range(lo, hi)
        }
        Value::AnyOf(_) | Value::AllOf(_) => Err(refused()),
    }
}

/// A GLOB pattern meaning "contains this" for a text value (folded, GLOB's `*?[` escaped);
/// `Ok(None)` for a value of wildcards only (`*`: any value) and `Ok(Some(None))`-like emptiness
/// is left to the caller.
fn pattern(v: &Value) -> Result<Option<String>, ApiError> {
    let mut out = String::from("*");
    let lit = |out: &mut String, s: &str| {
        for c in fold(s).chars() {
            match c {
                '*' => out.push_str("[*]"),
                '?' => out.push_str("[?]"),
                '[' => out.push_str("[[]"),
                c => out.push(c),
            }
        }
    };
    match v {
        Value::Term(pieces) if pieces.iter().all(|p| *p == Piece::AnyRun) => return Ok(None),
        Value::Term(pieces) => {
            for p in pieces {
                match p {
                    Piece::Lit(s) => lit(&mut out, s),
                    Piece::AnyRun => out.push('*'),
                    Piece::AnyChar => out.push('?'),
                }
            }
        }
        Value::Phrase(s) => lit(&mut out, s),
        _ => return Err(refused()),
    }
    out.push('*');
    let wildcards = match v {
        Value::Term(pieces) => pieces.iter().filter(|p| !matches!(p, Piece::Lit(_))).count(),
        _ => 0,
    };
    if out.len() > MAX_PATTERN || wildcards > MAX_WILDCARDS {
        return Err(refused());
    }
    Ok(Some(out))
}

// ---------------------------------------------------------------- SQL

/// The condition being built and its parameters (`?1`, `?2`, ... in order of `args`).
#[derive(Default)]
struct Where {
    args: Vec<Sql>,
    clauses: usize,
}

/// `parts` joined by `op` as a balanced tree, so a long list does not nest deeply.
fn join(mut parts: Vec<String>, op: &str) -> String {
    match parts.len() {
        0 => if op == "AND" { "1" } else { "0" }.to_string(),
        1 => parts.pop().unwrap_or_default(),
        n => {
            let right = parts.split_off(n / 2);
            format!("({} {op} {})", join(parts, op), join(right, op))
        }
    }
}

impl Where {
    /// A placeholder for a new parameter.
    fn arg(&mut self, v: impl Into<Sql>) -> String {
        self.args.push(v.into());
        format!("?{}", self.args.len())
    }

    /// Counts a clause; too many is a 400.
    fn clause(&mut self) -> ApiResult<()> {
        self.clauses += 1;
        if self.clauses > MAX_CLAUSES { Err(refused()) } else { Ok(()) }
    }

    fn query(&mut self, q: &Query) -> ApiResult<String> {
        match q {
            Query::And(qs) | Query::Or(qs) => {
                let parts = qs.iter().map(|q| self.query(q)).collect::<ApiResult<Vec<_>>>()?;
                Ok(join(parts, if matches!(q, Query::And(_)) { "AND" } else { "OR" }))
            }
            Query::Not(inner) => Ok(format!("NOT {}", self.query(inner)?)),
            Query::Exists(name) => {
                self.clause()?;
                Ok(target(name).map(exists).unwrap_or_else(|| "0".into()))
            }
            Query::Field(name, v) => match target(name) {
                Some(t) => self.value(t, v),
                None => {
                    self.clause()?;
                    Ok("0".into())
                }
            },
            Query::Text(v) => self.free_text(v),
        }
    }

    /// A field's value, lists spread into AND/OR of their members.
    fn value(&mut self, t: Target, v: &Value) -> ApiResult<String> {
        match v {
            Value::AnyOf(vs) | Value::AllOf(vs) => {
                let parts = vs.iter().map(|v| self.value(t, v)).collect::<ApiResult<Vec<_>>>()?;
                Ok(join(parts, if matches!(v, Value::AllOf(_)) { "AND" } else { "OR" }))
            }
            v => {
                self.clause()?;
                self.atom(t, v)
            }
        }
    }

    fn atom(&mut self, t: Target, v: &Value) -> ApiResult<String> {
        match t {
            Target::Column { col, scale, nullable, zero } => {
                let Some(s) = span(scale, v)? else { return Ok(exists(t)) };
                let test = self.span_sql(&format!("tickets.{col}"), s);
                Ok(match (nullable, zero && s.contains(0)) {
                    (false, _) => test,
                    (true, true) => format!("(tickets.{col} IS NULL OR {test})"),
                    (true, false) => format!("(tickets.{col} IS NOT NULL AND {test})"),
                })
            }
            Target::Related { sub, col, scale } => {
                let Some(s) = span(scale, v)? else { return Ok(exists(t)) };
                let test = self.span_sql(col, s);
                Ok(format!("tickets.id IN ({sub} {test})"))
            }
            Target::Indexed { kind, .. } => match self.text_value(v)? {
                Text::Pattern(p) => Ok(self.indexed(Some(kind), p)),
                Text::Any => Ok(exists(t)),
                Text::Nothing => Ok("0".into()),
            },
            Target::Lookup { outer, sub, expr } => match self.text_value(v)? {
                Text::Pattern(p) => {
                    let p = self.arg(p);
                    Ok(format!("({outer} IS NOT NULL AND {outer} IN ({sub} search_fold({expr}) GLOB {p}))"))
                }
                Text::Any => Ok(exists(t)),
                Text::Nothing => Ok("0".into()),
            },
            Target::Labels { outer, labels } => match self.text_value(v)? {
                Text::Pattern(p) => {
                    let rows: Vec<String> = labels()
                        .into_iter()
                        .map(|(code, label)| {
                            let label = self.arg(fold(&label));
                            format!("({code}, {label})")
                        })
                        .collect();
                    let p = self.arg(p);
                    Ok(format!("{outer} IN (SELECT column1 FROM (VALUES {}) WHERE column2 GLOB {p})", rows.join(", ")))
                }
                Text::Any => Ok(exists(t)),
                Text::Nothing => Ok("0".into()),
            },
        }
    }

    /// `lo <= expr < hi` with the open ends left out; both open: `expr IS NOT NULL`.
    fn span_sql(&mut self, expr: &str, s: Span) -> String {
        match (s.lo, s.hi) {
            (Some(lo), Some(hi)) if hi == lo.saturating_add(1) => format!("{expr} = {}", self.arg(lo)),
            (Some(lo), Some(hi)) => format!("({expr} >= {} AND {expr} < {})", self.arg(lo), self.arg(hi)),
            (Some(lo), None) => format!("{expr} >= {}", self.arg(lo)),
            (None, Some(hi)) => format!("{expr} < {}", self.arg(hi)),
            (None, None) => format!("{expr} IS NOT NULL"),
        }
    }

    fn text_value(&mut self, v: &Value) -> ApiResult<Text> {
        if matches!(v, Value::Phrase(s) if s.is_empty()) {
            return Ok(Text::Nothing);
        }
        Ok(match pattern(v)? {
            Some(p) => Text::Pattern(p),
            None => Text::Any,
        })
    }

    /// Tickets with an indexed text of `kind` (any kind: `None`) matching the GLOB `pattern`.
    fn indexed(&mut self, kind: Option<u8>, pattern: String) -> String {
        let p = self.arg(pattern);
        let kind = kind.map(|k| format!(" AND rowid % 4 = {k}")).unwrap_or_default();
        format!("tickets.id IN (SELECT ticket_id FROM search_text WHERE body GLOB {p}{kind})")
    }

    /// Bare text: in any indexed text.
    fn free_text(&mut self, v: &Value) -> ApiResult<String> {
        match v {
            Value::AnyOf(vs) | Value::AllOf(vs) => {
                let parts = vs.iter().map(|v| self.free_text(v)).collect::<ApiResult<Vec<_>>>()?;
                Ok(join(parts, if matches!(v, Value::AllOf(_)) { "AND" } else { "OR" }))
            }
            v => {
                self.clause()?;
                Ok(match self.text_value(v)? {
                    Text::Pattern(p) => self.indexed(None, p),
                    Text::Any => "1".into(),
                    Text::Nothing => "0".into(),
                })
            }
        }
    }
}

/// A text value, read.
enum Text {
    /// "Contains": a GLOB pattern on folded text.
    Pattern(String),
    /// `*`: any value.
    Any,
    /// Matches nothing (an empty phrase).
    Nothing,
}

/// `_exists_:` of a target.
fn exists(t: Target) -> String {
    match t {
        Target::Column { col, nullable: false, .. } => format!("tickets.{col} IS NOT NULL"),
        Target::Column { col, .. } => format!("tickets.{col} IS NOT NULL"),
        Target::Related { sub, col, .. } => format!("tickets.id IN ({sub} {col} IS NOT NULL)"),
        Target::Indexed { exists, .. } => exists.to_string(),
        Target::Lookup { outer, sub, expr } => {
            format!("({outer} IS NOT NULL AND {outer} IN ({sub} {expr} IS NOT NULL AND {expr} <> ''))")
        }
        Target::Labels { .. } => "1".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mojo_api::search_field::{FieldKind, SEARCH_FIELDS};

    #[test]
    fn every_documented_field_has_a_place() {
        for f in SEARCH_FIELDS {
            for name in std::iter::once(&f.name).chain(f.aliases) {
                let t = target(name).unwrap_or_else(|| panic!("{name} has no target"));
                let text = matches!(f.kind, FieldKind::Text | FieldKind::Email);
                let is_text = matches!(t, Target::Indexed { .. } | Target::Lookup { .. } | Target::Labels { .. });
                assert_eq!(text, is_text, "{name}: text field or not");
                if f.kind == FieldKind::Date {
                    assert!(matches!(t, Target::Column { scale: Scale::Date, .. }), "{name}");
                }
            }
        }
        for name in [
            "assignee.name",
            "comments.id",
            "comments.created_on",
            "comments.time_spent",
            "comments.user.id",
            "comments.user.name",
            "comments.user.email",
            "company.name",
            "priority.name",
            "queue.name",
            "status.name",
            "type.name",
            "status_id",
            "queue_id",
            "closed_on",
            "deleted_at",
            "STATUS.ID",
        ] {
            assert!(target(name).is_some(), "{name}");
        }
        assert!(target("nope").is_none());
    }

    #[test]
    fn folding_is_per_character() {
        assert_eq!(fold("ÉCOLE ΟΔΟΣ Straße"), "école οδοσ straße");
        assert_eq!(fold("a\0b"), "a\u{FFFD}b");
    }

    #[test]
    fn days_cover_the_whole_day() {
        let day = Timestamp::parse("2024-01-02").unwrap().millis();
        let v = |s: &str| query::parse(&format!("created_on:{s}")).unwrap().unwrap();
        let span_of = |s: &str| match v(s) {
            Query::Field(_, v) => span(Scale::Date, &v).unwrap().unwrap(),
            _ => unreachable!(),
        };
        assert_eq!(span_of("\"2024-01-02\""), Span { lo: Some(day), hi: Some(day + DAY_MS) });
        assert_eq!(span_of("[2024-01-02 TO 2024-01-02]"), Span { lo: Some(day), hi: Some(day + DAY_MS) });
        assert_eq!(span_of("{2024-01-02 TO *]"), Span { lo: Some(day + DAY_MS), hi: None });
        assert_eq!(span_of("(<2024-01-02)"), Span { lo: None, hi: Some(day) });
        assert_eq!(span_of("(<=2024-01-02)"), Span { lo: None, hi: Some(day + DAY_MS) });
        assert_eq!(span_of("(>=2024-01-02T00:00:00Z)"), Span { lo: Some(day), hi: None });
        assert_eq!(span_of("(>2024-01-02T00:00:00.000Z)"), Span { lo: Some(day + 1), hi: None });
    }

    #[test]
    fn patterns_escape_glob_syntax() {
        assert_eq!(pattern(&Value::Phrase("A*b?[c]".into())).unwrap().unwrap(), "*a[*]b[?][[]c]*");
        let wild = Value::Term(vec![Piece::Lit("Pr".into()), Piece::AnyRun, Piece::Lit("T".into()), Piece::AnyChar]);
        assert_eq!(pattern(&wild).unwrap().unwrap(), "*pr*t?*");
        assert_eq!(pattern(&Value::Term(vec![Piece::AnyRun])).unwrap(), None);
        assert!(pattern(&Value::Compare(Cmp::Lt, "a".into())).is_err());
    }

    #[test]
    fn long_lists_nest_shallowly() {
        let parts: Vec<String> = (0..1024).map(|i| i.to_string()).collect();
        let sql = join(parts, "OR");
        let depth = sql.chars().scan(0i32, |d, c| {
            *d += (c == '(') as i32 - (c == ')') as i32;
            Some(*d)
        });
        assert_eq!(depth.max(), Some(10));
    }
}
