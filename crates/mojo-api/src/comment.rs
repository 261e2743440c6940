//! Public comments on a ticket.

use crate::de;
use crate::request::{Method, Page, Request};
use crate::time::{Timestamp, opt_timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A comment. `body` is plain text or untrusted e-mail HTML.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Comment {
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
    /// Private (v1 legacy).
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub is_private: Option<bool>,
    /// Minutes.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub time_spent: Option<i64>,
    /// Created.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub created_on: Option<Timestamp>,
    /// Updated.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub updated_on: Option<Timestamp>,
    /// Sender address for e-mailed comments.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub from_email: Option<String>,
    /// `{"user": {"id", "full_name"}}`.
    #[serde(default)]
    pub related_data: Option<Value>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The author's name from `related_data.user.full_name`, if given.
pub fn author_name(related: &Option<Value>) -> Option<String> {
    related.as_ref()?.get("user")?.get("full_name")?.as_str().map(str::to_string)
}

crate::input::input! {
    /// Comment (and staff note) input: `body` required; `time_spent` in minutes; `user_id` attributes it to
    /// another user of the account; `suppress_user_notification` sends no e-mail.
    CommentInput { body: String, time_spent: i64, cc: String, user_id: i64, suppress_user_notification: bool }
}

/// `GET /tickets/{ticket_id}/comments` (paged; the spec's default is 10).
pub fn list(ticket_id: i64, page: Page) -> Request<Vec<Comment>> {
    Request::new(Method::Get, format!("/tickets/{ticket_id}/comments"))
        .query("page", page.page)
        .query("per_page", page.per_page)
}

/// `POST /tickets/{ticket_id}/comments` (201).
pub fn create(ticket_id: i64, input: &CommentInput) -> Request<Comment> {
    Request::new(Method::Post, format!("/tickets/{ticket_id}/comments")).json(input.to_json())
}
