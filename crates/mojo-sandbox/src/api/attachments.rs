//! Attachments (REFERENCE §3.6): metadata as JSON, bytes kept in the database. Today files
//! arrive with `POST /tickets` (`attachment[i][content]`); upload, 302 download and delete
//! endpoints belong here too.

use crate::json::iso;
use crate::params::{Params, Upload};
use rusqlite::{Connection, Row, params};
use serde_json::{Value, json};

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
    let mut stmt = conn.prepare_cached(
        "SELECT id, filename, content_type, content_size, ticket_id, created_on, created_by_user_id,
                comment_id, staff_note_id, staff_only OR staff_note_id IS NOT NULL
         FROM attachments WHERE owner_ticket_id = ?1 ORDER BY id",
    )?;
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

/// Stores the files of a ticket-create body on the ticket. `attachment[i][filename]` text
/// fields override the file name sent with `attachment[i][content]`.
pub fn store_ticket_uploads(
    conn: &Connection,
    ticket_id: i64,
    user_id: i64,
    p: &Params,
    now: i64,
) -> rusqlite::Result<()> {
    for up in &p.files {
        let filename = override_name(p, up).unwrap_or_else(|| clean_name(&up.filename));
        let content_type = content_type_for(&up.content_type, &filename);
        conn.execute(
            "INSERT INTO attachments (ticket_id, owner_ticket_id, staff_only, filename, content_type,
                 content_size, created_by_user_id, created_on, data)
             VALUES (?1, ?1, 0, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![ticket_id, filename, content_type, up.bytes.len() as i64, user_id, now, up.bytes],
        )?;
    }
    Ok(())
}

/// `attachment[i][filename]` for the file sent as `attachment[i][content]`.
fn override_name(p: &Params, up: &Upload) -> Option<String> {
    let index = up.field.strip_prefix("attachment[")?.strip_suffix("][content]")?;
    p.get("attachment")?.get(index)?.get("filename")?.as_str().map(clean_name).filter(|s| !s.is_empty())
}

/// The last path segment of a client-sent name, never empty.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if base.is_empty() { "attachment".to_string() } else { base.chars().take(255).collect() }
}

/// The client's MIME type, or one guessed from the file name when the client sent none or
/// the generic `application/octet-stream` (curl and some browsers do).
pub fn content_type_for(sent: &str, filename: &str) -> String {
    let sent = sent.trim();
    if !sent.is_empty() && !sent.eq_ignore_ascii_case("application/octet-stream") {
        return sent.to_string();
    }
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "eml" => "message/rfc822",
        _ => "application/octet-stream",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types() {
        assert_eq!(clean_name("C:\\Users\\me\\report.pdf"), "report.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("  "), "attachment");
        assert_eq!(content_type_for("application/octet-stream", "a.PNG"), "image/png");
        assert_eq!(content_type_for("", "notes"), "application/octet-stream");
        assert_eq!(content_type_for("text/markdown", "a.png"), "text/markdown");
    }
}
