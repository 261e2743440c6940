//! Attachments (REFERENCE §3.6): metadata as JSON, bytes in the database (a BLOB column).
//!
//! - `GET /tickets/{id}/attachments`: every file of the ticket (its own, its comments', its
//!   staff notes'), by id; end users see only the public ones.
//! - `POST /tickets/{id}/attachments`: multipart field `file`; `comment_id`, `staff_note_id`,
//!   `staff_only` from the query or the body, in that precedence, else the ticket itself.
//!   `staff_only` creates a staff note carrying the file. A missing `file`, or a comment or
//!   note that is not the ticket's, is 422; a file over [`MAX_FILE`] bytes is 413. Answers
//!   **200** (not 201) with the attachment.
//! - `GET /attachments/{id}`: **302** to `/blobs/<token>` on the stand-in itself; the token is
//!   random, valid for [`BLOB_TTL_MS`], and needs no access key.
//! - `DELETE /attachments/{id}` (Manager): 200 with the deleted attachment.
//! - `GET /blobs/{token}`: the bytes. Types that a browser could run (HTML, SVG, XML,
//!   JavaScript, ...) are served as `application/octet-stream` and as a download; a few safe
//!   preview types (images, PDF, plain text, audio, video) are `inline`; everything else keeps
//!   its type but is a download. Always `X-Content-Type-Options: nosniff` and an RFC 6266 /
//!   RFC 5987 `Content-Disposition` with the file name.
//!
//! Files also arrive with a multipart `POST /tickets` (`attachment[i][content]`).

use super::comments::NoteInput;
use super::common::{self, can_access, ticket_of_path};
use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::db::{Event, log_event};
use crate::error::{ApiError, ApiResult, NOT_AUTHORIZED};
use crate::json::{self, iso};
use crate::params::{Field, Params, Upload};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Value, json};

/// The largest file accepted: 20 MiB (the body limit, [`crate::call::MAX_BODY`], is 25 MiB).
pub const MAX_FILE: usize = mojo_api::attachment::MAX_FILE_BYTES as usize;
/// How long a download link lives: 5 minutes.
pub const BLOB_TTL_MS: i64 = 5 * 60 * 1000;

const COLS: &str = "id, filename, content_type, content_size, ticket_id, created_on, created_by_user_id, \
    comment_id, staff_note_id, staff_only OR staff_note_id IS NOT NULL, owner_ticket_id";

fn row_json(r: &Row) -> rusqlite::Result<(Value, bool)> {
    Ok((
        json!({
            "id": r.get::<_, i64>(0)?,
            "filename": r.get::<_, String>(1)?,
            "content_type": r.get::<_, String>(2)?,
            "content_size": r.get::<_, i64>(3)?,
            "ticket_id": r.get::<_, Option<i64>>(4)?,
            "created_on": iso(r.get(5)?),
            "created_by_user_id": r.get::<_, Option<i64>>(6)?,
            "comment_id": r.get::<_, Option<i64>>(7)?,
            "staff_note_id": r.get::<_, Option<i64>>(8)?,
        }),
        r.get::<_, bool>(9)?,
    ))
}

/// The attachments of a ticket (its own and its comments' and notes'), split into
/// (public, staff-only).
pub fn of_ticket(conn: &Connection, ticket_id: i64) -> rusqlite::Result<(Vec<Value>, Vec<Value>)> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLS} FROM attachments WHERE owner_ticket_id = ?1 ORDER BY id"))?;
    let mut public = Vec::new();
    let mut staff = Vec::new();
    for row in stmt.query_map([ticket_id], row_json)? {
        let (v, staff_only) = row?;
        if staff_only {
            staff.push(v);
        } else {
            public.push(v);
        }
    }
    Ok((public, staff))
}

/// One attachment: its JSON, whether it is staff-only, and the ticket it belongs to.
fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<(Value, bool, i64)>> {
    conn.prepare_cached(&format!("SELECT {COLS} FROM attachments WHERE id = ?1"))?
        .query_row([id], |r| {
            let (v, staff) = row_json(r)?;
            Ok((v, staff, r.get::<_, i64>(10)?))
        })
        .optional()
}

/// 413 when any uploaded file is over [`MAX_FILE`].
pub fn check_sizes(p: &Params) -> ApiResult<()> {
    if p.files.iter().any(|f| f.bytes.len() > MAX_FILE) { Err(ApiError::TooLarge) } else { Ok(()) }
}

/// What a file hangs off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum On {
    Ticket,
    Comment(i64),
    StaffNote(i64),
}

/// Where an upload asks to go: [`On`] or a new staff note (`staff_only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Existing(On),
    NewStaffNote,
}

/// Inserts one file; returns its id. Logs the event.
fn insert(
    conn: &Connection,
    ticket_id: i64,
    on: On,
    up: &Upload,
    name: String,
    user_id: i64,
    now: i64,
) -> rusqlite::Result<i64> {
    let content_type = content_type_for(&up.content_type, &name);
    let (on_ticket, comment, note) = match on {
        On::Ticket => (Some(ticket_id), None, None),
        On::Comment(c) => (None, Some(c), None),
        On::StaffNote(n) => (None, None, Some(n)),
    };
    conn.execute(
        "INSERT INTO attachments (ticket_id, owner_ticket_id, comment_id, staff_note_id, staff_only, filename,
             content_type, content_size, created_by_user_id, created_on, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            on_ticket,
            ticket_id,
            comment,
            note,
            note.is_some(),
            name,
            content_type,
            up.bytes.len() as i64,
            user_id,
            now,
            up.bytes
        ],
    )?;
    let id = conn.last_insert_rowid();
    log_event(
        conn,
        &Event {
            user_id,
            entity_type: 11,
            entity_id: id,
            ticket_id: Some(ticket_id),
            action: "create",
            description: format!("Attachment {name} added to ticket #{ticket_id}"),
        },
        now,
    )?;
    Ok(id)
}

/// Stores the files of a ticket-create body on the ticket. `attachment[i][filename]` text
/// fields override the file name sent with `attachment[i][content]`. Sizes are checked first
/// with [`check_sizes`].
pub fn store_ticket_uploads(
    conn: &Connection,
    ticket_id: i64,
    user_id: i64,
    p: &Params,
    now: i64,
) -> rusqlite::Result<()> {
    for up in &p.files {
        let filename = override_name(p, up).unwrap_or_else(|| clean_name(&up.filename));
        insert(conn, ticket_id, On::Ticket, up, filename, user_id, now)?;
    }
    Ok(())
}

/// `attachment[i][filename]` for the file sent as `attachment[i][content]`.
fn override_name(p: &Params, up: &Upload) -> Option<String> {
    let index = up.field.strip_prefix("attachment[")?.strip_suffix("][content]")?;
    p.get("attachment")?.get(index)?.get("filename")?.as_str().map(clean_name).filter(|s| !s.is_empty())
}

/// The last path segment of a client-sent name without control characters, never empty.
fn clean_name(name: &str) -> String {
    let base: String = name.rsplit(['/', '\\']).next().unwrap_or("").chars().filter(|c| !c.is_control()).collect();
    let base = base.trim();
    if base.is_empty() || base == "." || base == ".." {
        "attachment".to_string()
    } else {
        base.chars().take(255).collect()
    }
}

/// The client's MIME type when it is a well-formed `type/subtype[; params]`, or one guessed
/// from the file name when the client sent none, a malformed one, or the generic
/// `application/octet-stream` (curl and some browsers do).
pub fn content_type_for(sent: &str, filename: &str) -> String {
    let sent = sent.trim();
    if well_formed_type(sent) && !essence(sent).eq_ignore_ascii_case("application/octet-stream") {
        return sent.to_string();
    }
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "xml" => "application/xml",
        "json" => "application/json",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "eml" => "message/rfc822",
        _ => "application/octet-stream",
    }
    .to_string()
}

/// `type/subtype` of a MIME type, lower-cased.
fn essence(t: &str) -> String {
    t.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// A MIME type a header can carry: visible ASCII (and spaces), `type/subtype` tokens, at most
/// 255 characters.
fn well_formed_type(t: &str) -> bool {
    if t.is_empty() || t.len() > 255 || !t.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        return false;
    }
    let e = essence(t);
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
    matches!(e.split_once('/'), Some((a, b)) if token(a) && token(b))
}

/// Types a browser could execute or render as a document on the stand-in's origin.
fn is_active_content(essence: &str) -> bool {
    ["html", "xml", "svg", "javascript", "ecmascript", "xsl", "x-shockwave-flash", "cache-manifest", "vtt"]
        .iter()
        .any(|bad| essence.contains(bad))
        || essence == "text/css"
}

/// Types shown in the browser rather than downloaded.
fn is_preview(essence: &str) -> bool {
    matches!(
        essence,
        "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "image/bmp"
            | "image/avif"
            | "application/pdf"
            | "text/plain"
            | "text/csv"
    ) || essence.starts_with("audio/")
        || essence.starts_with("video/")
}

/// The `Content-Type` and disposition type a stored file is served with.
pub fn served_as(stored: &str) -> (String, &'static str) {
    let e = essence(stored);
    if !well_formed_type(stored) || is_active_content(&e) {
        ("application/octet-stream".to_string(), "attachment")
    } else if is_preview(&e) {
        (stored.to_string(), "inline")
    } else {
        (stored.to_string(), "attachment")
    }
}

/// `Content-Disposition` per RFC 6266 with the RFC 5987 `filename*` for any name: an ASCII
/// fallback (quotes, backslashes, controls and non-ASCII replaced by `_`) and the UTF-8 name
/// percent-encoded.
pub fn content_disposition(kind: &str, filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in filename.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// `GET /tickets/{id}/attachments`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::AnyUser, json::now_ms())?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {COLS} FROM attachments WHERE owner_ticket_id = ?1 ORDER BY id"))?;
        let mut out = Vec::new();
        for row in stmt.query_map([t.id], row_json)? {
            let (v, staff_only) = row?;
            if !staff_only || caller.role >= 15 {
                out.push(v);
            }
        }
        Ok(json::ok(Value::Array(out)))
    })
    .await
}

/// `POST /tickets/{id}/attachments`.
pub async fn upload(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::AnyUser, now)?;
        let t = ticket_of_path(conn, &call, &caller)?;
        let p = &call.params;
        let Some(file) = call.files().iter().find(|f| f.field == "file") else {
            return Err(ApiError::invalid("File can't be blank"));
        };
        if file.bytes.len() > MAX_FILE {
            return Err(ApiError::TooLarge);
        }
        let staff = caller.role >= 15;
        let target = match (p.int("comment_id"), p.int("staff_note_id")) {
            (Field::Value(c), _) => {
                if !common::exists(conn, &format!("SELECT 1 FROM comments WHERE id = ?1 AND ticket_id = {}", t.id), c)?
                {
                    return Err(ApiError::Unprocessable("Comment does not belong to this ticket".into()));
                }
                Target::Existing(On::Comment(c))
            }
            (Field::Invalid, _) => {
                return Err(ApiError::Unprocessable("Comment does not belong to this ticket".into()));
            }
            (_, Field::Value(n)) => {
                if !staff {
                    return Err(ApiError::Unauthorized(NOT_AUTHORIZED));
                }
                if !common::exists(
                    conn,
                    &format!("SELECT 1 FROM staff_notes WHERE id = ?1 AND ticket_id = {}", t.id),
                    n,
                )? {
                    return Err(ApiError::Unprocessable("Staff note does not belong to this ticket".into()));
                }
                Target::Existing(On::StaffNote(n))
            }
            (_, Field::Invalid) => {
                return Err(ApiError::Unprocessable("Staff note does not belong to this ticket".into()));
            }
            _ if matches!(p.bool("staff_only"), Field::Value(true)) => {
                if !staff {
                    return Err(ApiError::Unauthorized(NOT_AUTHORIZED));
                }
                Target::NewStaffNote
            }
            _ => Target::Existing(On::Ticket),
        };
        let name = clean_name(&file.filename);
        let tx = conn.transaction()?;
        let on = match target {
            Target::NewStaffNote => {
                let note = NoteInput {
                    body: format!("Attached file: {name}"),
                    time_spent: None,
                    cc: None,
                    author: caller.user_id,
                    suppress: true,
                };
                On::StaffNote(super::staff_notes::insert(&tx, &caller, t.id, &note, now)?)
            }
            Target::Existing(on) => on,
        };
        let id = insert(&tx, t.id, on, file, name, caller.user_id, now)?;
        common::touch_ticket(&tx, t.id, now)?;
        let body = find(&tx, id)?.map(|(v, _, _)| v).unwrap_or(Value::Null);
        tx.commit()?;
        Ok(json::ok(body))
    })
    .await
}

/// The attachment of the path `{id}` with its ticket, as the caller may see it: 404 when it
/// (or its ticket) does not exist, 401 when the caller may not see the ticket or, being an
/// end user, the file is staff-only.
fn visible(conn: &Connection, call: &ApiCall, caller: &crate::auth::Caller) -> ApiResult<(Value, i64)> {
    let id = call.path_id("id").ok_or(ApiError::RecordNotFound)?;
    let (v, staff_only, owner) = find(conn, id)?.ok_or(ApiError::RecordNotFound)?;
    let t = super::tickets::find(conn, owner)?.ok_or(ApiError::RecordNotFound)?;
    if !can_access(conn, caller, &t)? || (staff_only && caller.role < 15) {
        return Err(ApiError::Unauthorized(NOT_AUTHORIZED));
    }
    Ok((v, id))
}

/// `GET /attachments/{id}`: 302 to a fresh blob link.
pub async fn download(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let caller = authenticate(conn, &call, Need::AnyUser, json::now_ms())?;
        let (_, id) = visible(conn, &call, &caller)?;
        let now = exact_now_ms();
        let token = common::random_token();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM blob_tokens WHERE expires_on <= ?1", [now])?;
        tx.execute(
            "INSERT INTO blob_tokens (token, attachment_id, expires_on) VALUES (?1, ?2, ?3)",
            params![token, id, now + BLOB_TTL_MS],
        )?;
        tx.commit()?;
        let location = format!("{}/blobs/{token}", call.origin.as_deref().unwrap_or(""));
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::FOUND;
        if let Ok(v) = HeaderValue::from_str(&location) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(res)
    })
    .await
}

/// `DELETE /attachments/{id}` (Manager).
pub async fn delete(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let now = json::now_ms();
        let caller = authenticate(conn, &call, Need::Manager, now)?;
        let (v, id) = visible(conn, &call, &caller)?;
        let owner: i64 = conn.query_row("SELECT owner_ticket_id FROM attachments WHERE id = ?1", [id], |r| r.get(0))?;
        let name = v.get("filename").and_then(Value::as_str).unwrap_or("").to_string();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM attachments WHERE id = ?1", [id])?;
        tx.execute("DELETE FROM blob_tokens WHERE attachment_id = ?1", [id])?;
        common::touch_ticket(&tx, owner, now)?;
        common::log(
            &tx,
            &caller,
            (11, id),
            Some(owner),
            "delete",
            format!("Attachment {name} deleted from ticket #{owner}"),
            now,
        )?;
        tx.commit()?;
        Ok(json::ok(v))
    })
    .await
}

/// `GET /blobs/{token}`: the bytes behind a download link, no key needed.
pub async fn blob(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        let token = call.path_param("token");
        if token.len() != 48 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ApiError::RouteNotFound);
        }
        let row: Option<(String, String, Vec<u8>)> = conn
            .prepare_cached(
                "SELECT a.filename, a.content_type, COALESCE(a.data, x'') FROM blob_tokens b
                 JOIN attachments a ON a.id = b.attachment_id WHERE b.token = ?1 AND b.expires_on > ?2",
            )?
            .query_row(params![token, exact_now_ms()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let (filename, stored_type, data) = row.ok_or(ApiError::RouteNotFound)?;
        let (content_type, kind) = served_as(&stored_type);
        let mut res = Response::new(Body::from(data));
        let h = res.headers_mut();
        let octet = HeaderValue::from_static("application/octet-stream");
        h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).unwrap_or(octet));
        if let Ok(v) = HeaderValue::from_str(&content_disposition(kind, &filename)) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300"));
        Ok(res)
    })
    .await
}

/// The current time in milliseconds (not cut to seconds: link lifetimes are measured exactly).
fn exact_now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types() {
        assert_eq!(clean_name("C:\\Users\\me\\report.pdf"), "report.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("  "), "attachment");
        assert_eq!(clean_name(".."), "attachment");
        assert_eq!(clean_name("a\r\nb.txt"), "ab.txt");
        assert_eq!(content_type_for("application/octet-stream", "a.PNG"), "image/png");
        assert_eq!(content_type_for("", "notes"), "application/octet-stream");
        assert_eq!(content_type_for("text/markdown", "a.png"), "text/markdown");
        assert_eq!(content_type_for("text/plain; charset=utf-8", "a"), "text/plain; charset=utf-8");
        assert_eq!(content_type_for("not a type", "a.pdf"), "application/pdf");
        assert_eq!(content_type_for("text/plain\u{7f}", "a.txt"), "text/plain");
    }

    #[test]
    fn dangerous_types_are_downloads() {
        for t in [
            "text/html",
            "TEXT/HTML; charset=utf-8",
            "image/svg+xml",
            "application/xhtml+xml",
            "text/xml",
            "application/xml",
            "application/javascript",
            "text/javascript",
            "text/css",
            "garbage",
        ] {
            assert_eq!(served_as(t), ("application/octet-stream".to_string(), "attachment"), "{t}");
        }
        assert_eq!(served_as("image/png"), ("image/png".to_string(), "inline"));
        assert_eq!(served_as("application/pdf"), ("application/pdf".to_string(), "inline"));
        assert_eq!(served_as("application/zip"), ("application/zip".to_string(), "attachment"));
    }

    #[test]
    fn dispositions() {
        assert_eq!(
            content_disposition("inline", "a b.png"),
            "inline; filename=\"a b.png\"; filename*=UTF-8''a%20b.png"
        );
        assert_eq!(
            content_disposition("attachment", "Résumé \"final\".pdf"),
            "attachment; filename=\"R_sum_ _final_.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf"
        );
    }
}
