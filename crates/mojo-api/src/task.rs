//! Tasks on a ticket.

use crate::de;
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
