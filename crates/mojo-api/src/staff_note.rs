//! Staff notes: private to agents.

use crate::de;
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
