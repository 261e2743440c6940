//! Tasks on a ticket.

use crate::de;
use crate::request::{Method, Request};
use crate::time::{Timestamp, opt_timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Title.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub title: Option<String>,
    /// Notes.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub notes: Option<String>,
    /// Done.
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub is_completed: Option<bool>,
    /// Ticket.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub ticket_id: Option<i64>,
    /// Assignee.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub assigned_to_id: Option<i64>,
    /// Due.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub due_on: Option<Timestamp>,
    /// Position in the list.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub position: Option<i64>,
    /// Created.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub created_on: Option<Timestamp>,
    /// Updated.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub updated_on: Option<Timestamp>,
    /// Other keys (`assignee`, `account_id`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

crate::input::input! {
    /// Task input (`title` required on create).
    TaskInput { title: String, notes: String, is_completed: bool, due_on: crate::time::Timestamp, assigned_to_id: i64 }
}

/// `GET /tickets/{ticket_id}/tasks`.
pub fn list(ticket_id: i64) -> Request<Vec<Task>> {
    Request::new(Method::Get, format!("/tickets/{ticket_id}/tasks"))
}

/// `POST /tickets/{ticket_id}/tasks` (201).
pub fn create(ticket_id: i64, input: &TaskInput) -> Request<Task> {
    Request::new(Method::Post, format!("/tickets/{ticket_id}/tasks")).json(input.to_json())
}

/// `PUT /tickets/{ticket_id}/tasks/{id}`.
pub fn update(ticket_id: i64, id: i64, input: &TaskInput) -> Request<Task> {
    Request::new(Method::Put, format!("/tickets/{ticket_id}/tasks/{id}")).json(input.to_json())
}

/// `DELETE /tickets/{ticket_id}/tasks/{id}` (empty 200).
pub fn delete(ticket_id: i64, id: i64) -> Request<()> {
    Request::new(Method::Delete, format!("/tickets/{ticket_id}/tasks/{id}"))
}

/// `POST /tickets/{ticket_id}/tasks/reorder` with `{"keys": [ids in the new order]}`.
pub fn reorder(ticket_id: i64, ids: &[i64]) -> Request<Vec<Task>> {
    Request::new(Method::Post, format!("/tickets/{ticket_id}/tasks/reorder")).json(serde_json::json!({ "keys": ids }))
}

/// `POST /tickets/{ticket_id}/tasks/delete_completed`: the remaining tasks.
pub fn delete_completed(ticket_id: i64) -> Request<Vec<Task>> {
    Request::new(Method::Post, format!("/tickets/{ticket_id}/tasks/delete_completed"))
}
