//! Attachments.

use crate::de;
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
