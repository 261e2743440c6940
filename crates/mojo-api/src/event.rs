//! The event log: who did what to a ticket and when.

use crate::de;
use crate::request::{Method, Page, Request};
use crate::time::{Timestamp, opt_timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One event-log entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Who.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub user_id: Option<i64>,
    /// Who, by name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub user_full_name: Option<String>,
    /// A stable identifier.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub unique_identifier: Option<String>,
    /// What kind of thing (1 ticket, 2 comment, 8 tag, 10 staff note, 11 attachment, 15 task, ...).
    #[serde(deserialize_with = "de::opt_id", default)]
    pub entity_type: Option<i64>,
    /// Which thing.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub entity_id: Option<i64>,
    /// `create`, `update`, `delete`, ...
    #[serde(deserialize_with = "de::opt_string", default)]
    pub action_name: Option<String>,
    /// Human-readable.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub description: Option<String>,
    /// When.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub created_on: Option<Timestamp>,
    /// Avatar.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub picture_url: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /tickets/{ticket_id}/events` (Manager), newest first.
pub fn for_ticket(ticket_id: i64) -> Request<Vec<Event>> {
    Request::new(Method::Get, format!("/tickets/{ticket_id}/events"))
}

/// `GET /events` (Manager), newest first, optionally for one ticket; at most 30 per page.
pub fn list(page: Page, ticket_id: Option<i64>) -> Request<Vec<Event>> {
    Request::new(Method::Get, "/events")
        .query("page", page.page)
        .query("per_page", page.per_page)
        .query_opt("ticket_id", ticket_id)
}

/// `GET /events/{id}` (Manager; 400 `Invalid event id`).
pub fn show(id: i64) -> Request<Event> {
    Request::new(Method::Get, format!("/events/{id}"))
}
