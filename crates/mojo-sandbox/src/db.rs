//! Storage: one SQLite database. Times are INTEGER milliseconds since the epoch (UTC), so they
//! sort and compare as numbers and format the same way everywhere. Every table a later endpoint
//! needs exists from the start, so adding an endpoint never means migrating a demo database.

use rusqlite::{Connection, OptionalExtension, params};

/// The schema. `IF NOT EXISTS` everywhere: opening an existing database is a no-op.
pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    primary_contact_id INTEGER,
    billing_contact_id INTEGER,
    support_level_id INTEGER,
    support_status_id INTEGER,
    support_start_date TEXT,
    support_end_date TEXT,
    support_info_url TEXT,
    address TEXT,
    address2 TEXT,
    city TEXT,
    state TEXT,
    zip TEXT,
    country TEXT,
    website_url TEXT,
    notes TEXT,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name TEXT,
    middle_name TEXT,
    last_name TEXT,
    role_id INTEGER NOT NULL DEFAULT 10,
    company_id INTEGER,
    is_active INTEGER NOT NULL DEFAULT 1,
    work_phone TEXT,
    cell_phone TEXT,
    home_phone TEXT,
    fax_phone TEXT,
    address TEXT,
    im_screen_name TEXT,
    user_notes TEXT,
    helpdesk_notes TEXT,
    time_zone TEXT,
    picture_url TEXT,
    can_access_company_tickets INTEGER NOT NULL DEFAULT 0,
    can_access_all_queues INTEGER NOT NULL DEFAULT 1,
    do_not_email_ever INTEGER NOT NULL DEFAULT 0,
    timer_auto_start INTEGER NOT NULL DEFAULT 0,
    is_on_vacation INTEGER NOT NULL DEFAULT 0,
    is_asset_manager INTEGER NOT NULL DEFAULT 0,
    last_login_on INTEGER,
    last_active_on INTEGER,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX IF NOT EXISTS users_role ON users(role_id);
CREATE TABLE IF NOT EXISTS api_keys (
    key TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    read_only INTEGER NOT NULL DEFAULT 0,
    label TEXT,
    expires_on INTEGER,
    created_on INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS team_members (
    team_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE TABLE IF NOT EXISTS ticket_queues (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email_alias TEXT,
    email_forward TEXT,
    email_ticket_form_id INTEGER,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS agent_queues (
    user_id INTEGER NOT NULL,
    ticket_queue_id INTEGER NOT NULL,
    notify INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, ticket_queue_id)
);
CREATE TABLE IF NOT EXISTS group_queues (
    group_id INTEGER NOT NULL,
    ticket_queue_id INTEGER NOT NULL,
    PRIMARY KEY (group_id, ticket_queue_id)
);
CREATE TABLE IF NOT EXISTS group_access (
    user_id INTEGER NOT NULL,
    group_id INTEGER NOT NULL,
    access INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, group_id)
);
CREATE TABLE IF NOT EXISTS ticket_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS resolutions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tags (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE COLLATE NOCASE,
    color TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ticket_forms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    is_default INTEGER NOT NULL DEFAULT 0,
    is_enabled INTEGER NOT NULL DEFAULT 1,
    is_visible_for_end_user INTEGER NOT NULL DEFAULT 1,
    show_cc INTEGER NOT NULL DEFAULT 1,
    show_attach_files INTEGER NOT NULL DEFAULT 1,
    is_visible_for_non_logged_in_user INTEGER NOT NULL DEFAULT 0
);
-- Custom ticket fields. `key` is the system name without the `custom_field_` prefix;
-- `type` follows the v1 field attributes: 1 text, 2 textarea, 3 select, 4 numeric, 5 decimal.
CREATE TABLE IF NOT EXISTS custom_fields (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    type INTEGER NOT NULL,
    options TEXT
);
CREATE TABLE IF NOT EXISTS form_fields (
    form_id INTEGER NOT NULL,
    custom_field_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    is_required INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (form_id, custom_field_id)
);
CREATE TABLE IF NOT EXISTS tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    description TEXT,
    status_id INTEGER NOT NULL,
    priority_id INTEGER NOT NULL,
    ticket_queue_id INTEGER NOT NULL,
    ticket_form_id INTEGER,
    ticket_type_id INTEGER,
    user_id INTEGER NOT NULL,
    assigned_to_id INTEGER,
    company_id INTEGER,
    rating INTEGER,
    rated_on INTEGER,
    rating_comment TEXT,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    status_changed_on INTEGER,
    solved_on INTEGER,
    closed_on INTEGER,
    assigned_on INTEGER,
    first_assigned_on INTEGER,
    due_on INTEGER,
    scheduled_on INTEGER,
    resolution_id INTEGER,
    created_from INTEGER NOT NULL DEFAULT 3,
    parent_ticket_id INTEGER,
    legacy_id INTEGER,
    is_attention_required INTEGER NOT NULL DEFAULT 0,
    user_attention_id INTEGER,
    cc TEXT,
    time_to_first_comment INTEGER,
    first_commented_on INTEGER,
    asset_tag TEXT,
    deleted_at INTEGER
);
CREATE INDEX IF NOT EXISTS tickets_queue ON tickets(ticket_queue_id);
CREATE INDEX IF NOT EXISTS tickets_created ON tickets(created_on);
CREATE INDEX IF NOT EXISTS tickets_updated ON tickets(updated_on);
CREATE INDEX IF NOT EXISTS tickets_status ON tickets(status_id);
-- For ticket search (`GET /tickets/search`): the id fields it filters on and the dates it sorts by.
CREATE INDEX IF NOT EXISTS tickets_assignee ON tickets(assigned_to_id);
CREATE INDEX IF NOT EXISTS tickets_requester ON tickets(user_id);
CREATE INDEX IF NOT EXISTS tickets_company ON tickets(company_id);
CREATE INDEX IF NOT EXISTS tickets_due ON tickets(due_on);
CREATE INDEX IF NOT EXISTS tickets_solved ON tickets(solved_on);
CREATE INDEX IF NOT EXISTS tickets_closed ON tickets(closed_on);
CREATE TABLE IF NOT EXISTS ticket_tags (
    ticket_id INTEGER NOT NULL,
    tag_id INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, tag_id)
);
CREATE INDEX IF NOT EXISTS ticket_tags_tag ON ticket_tags(tag_id);
CREATE TABLE IF NOT EXISTS ticket_field_values (
    ticket_id INTEGER NOT NULL,
    field_key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (ticket_id, field_key)
);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    is_private INTEGER NOT NULL DEFAULT 0,
    time_spent INTEGER,
    cc TEXT,
    from_email TEXT,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_ticket ON comments(ticket_id);
CREATE INDEX IF NOT EXISTS comments_user ON comments(user_id);
CREATE INDEX IF NOT EXISTS comments_created ON comments(created_on);
CREATE TABLE IF NOT EXISTS staff_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    time_spent INTEGER,
    cc TEXT,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS staff_notes_ticket ON staff_notes(ticket_id);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    notes TEXT,
    is_completed INTEGER NOT NULL DEFAULT 0,
    assigned_to_id INTEGER,
    due_on INTEGER,
    position INTEGER NOT NULL DEFAULT 0,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_ticket ON tasks(ticket_id);
CREATE TABLE IF NOT EXISTS attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER,
    owner_ticket_id INTEGER NOT NULL,
    comment_id INTEGER,
    staff_note_id INTEGER,
    staff_only INTEGER NOT NULL DEFAULT 0,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content_size INTEGER NOT NULL,
    created_by_user_id INTEGER,
    created_on INTEGER NOT NULL,
    data BLOB
);
CREATE INDEX IF NOT EXISTS attachments_ticket ON attachments(owner_ticket_id);
-- The event log (REFERENCE §3.16): entity_type 1 ticket, 2 comment, 10 staff note, ...
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER,
    entity_type INTEGER NOT NULL,
    entity_id INTEGER NOT NULL,
    ticket_id INTEGER,
    action_name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_on INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_ticket ON events(ticket_id);
-- A group's access to every queue (REFERENCE §3.12); a group without a row has it.
CREATE TABLE IF NOT EXISTS group_queue_access (
    group_id INTEGER PRIMARY KEY,
    all_queues INTEGER NOT NULL DEFAULT 1
);
-- Short-lived download tokens of `GET /attachments/{id}` (served at `/blobs/{token}`).
CREATE TABLE IF NOT EXISTS blob_tokens (
    token TEXT PRIMARY KEY,
    attachment_id INTEGER NOT NULL,
    expires_on INTEGER NOT NULL
);
-- E-mail the real service would send (welcome e-mails, notifications), recorded instead.
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    to_email TEXT NOT NULL,
    user_id INTEGER,
    ticket_id INTEGER,
    subject TEXT NOT NULL,
    created_on INTEGER NOT NULL
);
-- Ticket search's text index: a case-folded copy (`search_fold`, see `api::search::fold`) of every
-- searchable text, one row per piece, in an FTS5 trigram index that answers GLOB patterns. The
-- rowid is `source id * 4 + kind`: 0 a ticket's title and 1 its description (source: the ticket),
-- 2 a comment body (source: the comment), 3 a custom field value (source: its row in
-- ticket_field_values). The triggers keep it current whoever writes; `open` fills it for a
-- database made before it existed.
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
    body, ticket_id UNINDEXED, tokenize = 'trigram case_sensitive 1', detail = 'none'
);
CREATE TRIGGER IF NOT EXISTS search_ticket_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO search_text (rowid, body, ticket_id) VALUES (NEW.id * 4, search_fold(NEW.title), NEW.id);
    INSERT INTO search_text (rowid, body, ticket_id)
        SELECT NEW.id * 4 + 1, search_fold(NEW.description), NEW.id WHERE NEW.description IS NOT NULL;
END;
CREATE TRIGGER IF NOT EXISTS search_ticket_update AFTER UPDATE OF title, description ON tickets
WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description BEGIN
    DELETE FROM search_text WHERE rowid = OLD.id * 4;
    DELETE FROM search_text WHERE rowid = OLD.id * 4 + 1;
    INSERT INTO search_text (rowid, body, ticket_id) VALUES (NEW.id * 4, search_fold(NEW.title), NEW.id);
    INSERT INTO search_text (rowid, body, ticket_id)
        SELECT NEW.id * 4 + 1, search_fold(NEW.description), NEW.id WHERE NEW.description IS NOT NULL;
END;
CREATE TRIGGER IF NOT EXISTS search_ticket_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM search_text WHERE rowid = OLD.id * 4;
    DELETE FROM search_text WHERE rowid = OLD.id * 4 + 1;
END;
CREATE TRIGGER IF NOT EXISTS search_comment_insert AFTER INSERT ON comments BEGIN
    INSERT INTO search_text (rowid, body, ticket_id) VALUES (NEW.id * 4 + 2, search_fold(NEW.body), NEW.ticket_id);
END;
CREATE TRIGGER IF NOT EXISTS search_comment_update AFTER UPDATE OF body, ticket_id ON comments BEGIN
    DELETE FROM search_text WHERE rowid = OLD.id * 4 + 2;
    INSERT INTO search_text (rowid, body, ticket_id) VALUES (NEW.id * 4 + 2, search_fold(NEW.body), NEW.ticket_id);
END;
CREATE TRIGGER IF NOT EXISTS search_comment_delete AFTER DELETE ON comments BEGIN
    DELETE FROM search_text WHERE rowid = OLD.id * 4 + 2;
END;
CREATE TRIGGER IF NOT EXISTS search_value_insert AFTER INSERT ON ticket_field_values BEGIN
    INSERT INTO search_text (rowid, body, ticket_id)
        VALUES (NEW.rowid * 4 + 3, search_fold(NEW.value), NEW.ticket_id);
END;
CREATE TRIGGER IF NOT EXISTS search_value_update AFTER UPDATE ON ticket_field_values BEGIN
    DELETE FROM search_text WHERE rowid = OLD.rowid * 4 + 3;
    INSERT INTO search_text (rowid, body, ticket_id)
        VALUES (NEW.rowid * 4 + 3, search_fold(NEW.value), NEW.ticket_id);
END;
CREATE TRIGGER IF NOT EXISTS search_value_delete AFTER DELETE ON ticket_field_values BEGIN
    DELETE FROM search_text WHERE rowid = OLD.rowid * 4 + 3;
END;
"#;

/// The version of the `search_text` contents; a database whose `meta.search_index` differs is
/// re-indexed on open.
const SEARCH_INDEX_VERSION: &str = "1";

/// Opens (or creates) a database file, or an in-memory one when `path` is `None`, and makes
/// sure the schema exists.
pub fn open(path: Option<&std::path::Path>) -> rusqlite::Result<Connection> {
    let conn = match path {
        Some(p) => Connection::open(p)?,
        None => Connection::open_in_memory()?,
    };
    // WAL keeps readers of a file database (e.g. the sqlite3 shell) from blocking writes.
    if path.is_some() {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    }
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Handlers build a few dozen distinct statements; keep them all prepared.
    conn.set_prepared_statement_cache_capacity(128);
    register_search_fold(&conn)?;
    conn.execute_batch(SCHEMA)?;
    index_search_text(&conn)?;
    // Keeps the planner's statistics current on long-lived databases (cheap when they are).
    conn.execute_batch("PRAGMA optimize = 0x10002;")?;
    Ok(conn)
}

/// `search_fold(text)`: [`crate::api::search::fold`] as an SQL function, for the triggers and
/// the lookups of ticket search. NULL stays NULL.
fn register_search_fold(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("search_fold", 1, flags, |ctx| {
        use rusqlite::types::ValueRef;
        Ok(match ctx.get_raw(0) {
            ValueRef::Null => None,
            ValueRef::Text(b) | ValueRef::Blob(b) => Some(crate::api::search::fold(&String::from_utf8_lossy(b))),
            ValueRef::Integer(i) => Some(i.to_string()),
            ValueRef::Real(f) => Some(f.to_string()),
        })
    })
}

/// Fills `search_text` from the tables when it was made by another version (or before it
/// existed): a database file from before ticket search opens with every text searchable.
fn index_search_text(conn: &Connection) -> rusqlite::Result<()> {
    if meta_get(conn, "search_index")?.as_deref() == Some(SEARCH_INDEX_VERSION) {
        return Ok(());
    }
    conn.execute_batch(&format!(
        "BEGIN;
         DELETE FROM search_text;
         INSERT INTO search_text (rowid, body, ticket_id) SELECT id * 4, search_fold(title), id FROM tickets;
         INSERT INTO search_text (rowid, body, ticket_id)
             SELECT id * 4 + 1, search_fold(description), id FROM tickets WHERE description IS NOT NULL;
         INSERT INTO search_text (rowid, body, ticket_id) SELECT id * 4 + 2, search_fold(body), ticket_id FROM comments;
         INSERT INTO search_text (rowid, body, ticket_id)
             SELECT rowid * 4 + 3, search_fold(value), ticket_id FROM ticket_field_values;
         INSERT INTO meta (key, value) VALUES ('search_index', '{SEARCH_INDEX_VERSION}')
             ON CONFLICT(key) DO UPDATE SET value = excluded.value;
         COMMIT;"
    ))
}

/// A value from the `meta` table.
pub fn meta_get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
}

/// Sets a value in the `meta` table.
pub fn meta_set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// One entry for the event log.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    /// Who did it.
    pub user_id: i64,
    /// 1 ticket, 2 comment, 4 user, 5 company, 8 tag, 10 staff note, 11 attachment, 15 task
    /// (REFERENCE §3.16).
    pub entity_type: i64,
    /// The entity's id.
    pub entity_id: i64,
    /// The ticket it concerns, for the per-ticket event list.
    pub ticket_id: Option<i64>,
    /// `create`, `update`, `delete` (and `add_tag`/`remove_tag`, `merge`).
    pub action: &'a str,
    /// Human-readable text.
    pub description: String,
}

/// Records an event in the log (read later by the events endpoints).
pub fn log_event(conn: &Connection, ev: &Event<'_>, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO events(user_id, entity_type, entity_id, ticket_id, action_name, description, created_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![ev.user_id, ev.entity_type, ev.entity_id, ev.ticket_id, ev.action, ev.description, now],
    )?;
    Ok(())
}

/// A count from a query returning one integer.
pub fn count(conn: &Connection, sql: &str) -> rusqlite::Result<i64> {
    conn.query_row(sql, [], |r| r.get(0))
}

/// Records an e-mail the real service would send (the stand-in sends none).
pub fn record_mail(
    conn: &Connection,
    kind: &str,
    to_email: &str,
    user_id: Option<i64>,
    ticket_id: Option<i64>,
    subject: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO outbox(kind, to_email, user_id, ticket_id, subject, created_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![kind, to_email, user_id, ticket_id, subject, now],
    )?;
    Ok(())
}
