//! Staff notes: private to agents.

use crate::comment::CommentInput;
use crate::de;
use crate::request::{Method, Page, Request};
use crate::time::{Timestamp, opt_timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A staff note.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StaffNote {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Body.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub body: Option<String>,
    /// Author.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub user_id: Option<i64>,
    /// Ticket.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub ticket_id: Option<i64>,
    /// Minutes.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub time_spent: Option<i64>,
    /// Created.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub created_on: Option<Timestamp>,
    /// Updated.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub updated_on: Option<Timestamp>,
    /// `{"user": {...}}`.
    #[serde(default)]
    pub related_data: Option<Value>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /tickets/{ticket_id}/staff_notes` (paged; the spec's default is 10).
pub fn list(ticket_id: i64, page: Page) -> Request<Vec<StaffNote>> {
    Request::new(Method::Get, format!("/tickets/{ticket_id}/staff_notes"))
        .query("page", page.page)
        .query("per_page", page.per_page)
}

/// `POST /tickets/{ticket_id}/staff_notes` (201). Same input as a comment.
pub fn create(ticket_id: i64, input: &CommentInput) -> Request<StaffNote> {
    Request::new(Method::Post, format!("/tickets/{ticket_id}/staff_notes")).json(input.to_json())
}
