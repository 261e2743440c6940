//! Attachments.

use crate::de;
use crate::error::ApiError;
use crate::request::{Method, Part, Request};
use crate::time::{Timestamp, opt_timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An attachment's metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// File name (untrusted text).
    #[serde(deserialize_with = "de::opt_string", default)]
    pub filename: Option<String>,
    /// MIME type.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub content_type: Option<String>,
    /// Size in bytes.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub content_size: Option<i64>,
    /// Ticket, when attached to the ticket itself.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub ticket_id: Option<i64>,
    /// Created.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub created_on: Option<Timestamp>,
    /// Uploader.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub created_by_user_id: Option<i64>,
    /// Comment it belongs to.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub comment_id: Option<i64>,
    /// Staff note it belongs to.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub staff_note_id: Option<i64>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where to hang an uploaded file (REFERENCE §3.6): a comment beats a staff note, which beats
/// `staff_only` (a new staff note carries the file), which beats the ticket itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UploadTarget {
    /// The ticket.
    #[default]
    Ticket,
    /// A new staff note, visible to staff only.
    StaffOnly,
    /// An existing comment of the ticket.
    Comment(i64),
    /// An existing staff note of the ticket.
    StaffNote(i64),
}

/// `GET /tickets/{ticket_id}/attachments`.
pub fn list(ticket_id: i64) -> Request<Vec<Attachment>> {
    Request::new(Method::Get, format!("/tickets/{ticket_id}/attachments"))
}

/// The multipart field that carries the uploaded file.
pub const FILE_FIELD: &str = "file";

/// The largest file the dashboard sends (and the stand-in accepts): 20 MiB. Bigger files are
/// refused before upload instead of after the bytes went over the wire (the service says 413).
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The largest request body the dashboard sends (and the stand-in reads): 25 MiB, so several files
/// created with a ticket in one request must fit in it together.
pub const MAX_REQUEST_BYTES: u64 = 25 * 1024 * 1024;

/// `POST /tickets/{id}/attachments` without its body: the executor adds the file under
/// [`FILE_FIELD`] (the browser streams it from a `File`, never copying it through wasm).
pub fn upload_request(ticket_id: i64, target: UploadTarget) -> Request<Attachment> {
    let req = Request::new(Method::Post, format!("/tickets/{ticket_id}/attachments"));
    match target {
        UploadTarget::Ticket => req,
        UploadTarget::StaffOnly => req.query("staff_only", "true"),
        UploadTarget::Comment(id) => req.query("comment_id", id),
        UploadTarget::StaffNote(id) => req.query("staff_note_id", id),
    }
}

/// `POST /tickets/{id}/attachments` with one file as multipart field `file`; `target` says where
/// it hangs (REFERENCE §3.6: `comment_id` beats `staff_note_id` beats `staff_only`). 200, not 201.
pub fn upload(
    ticket_id: i64,
    filename: &str,
    content_type: &str,
    bytes: Vec<u8>,
    target: UploadTarget,
) -> Request<Attachment> {
    upload_request(ticket_id, target).multipart(vec![Part::File {
        name: FILE_FIELD.into(),
        filename: filename.into(),
        content_type: content_type.into(),
        bytes,
    }])
}

/// `GET /attachments/{id}`: answers 302 to a short-lived blob URL. Executors must not follow
/// the redirect themselves; they hand status and `Location` to [`download_location`].
pub fn download(id: i64) -> Request<()> {
    Request::new(Method::Get, format!("/attachments/{id}"))
}

/// The blob URL from the answer to [`download`].
pub fn download_location(status: u16, location: Option<&str>, body: &str) -> Result<String, ApiError> {
    match (status, location) {
        (300..=399, Some(loc)) if !loc.is_empty() => Ok(loc.to_string()),
        (200..=399, _) => Err(ApiError::undecodable(status, body, "expected a redirect to the file")),
        _ => Err(ApiError::from_response(status, body)),
    }
}

/// `DELETE /attachments/{id}` (Manager; 200 with the deleted attachment).
pub fn delete(id: i64) -> Request<Attachment> {
    Request::new(Method::Delete, format!("/attachments/{id}"))
}
