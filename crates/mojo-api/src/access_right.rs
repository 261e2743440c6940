//! Which ticket queues an agent or a group may access.

use crate::de;
use crate::request::{Method, Request};
use crate::ticket::IdName;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// Queue access of one agent or group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccessRight {
    /// The user's or group's id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Group name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub name: Option<String>,
    /// User e-mail.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub email: Option<String>,
    /// User name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub full_name: Option<String>,
    /// Access to every queue.
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub has_access_to_all_ticket_queues: Option<bool>,
    /// The queues, when not all.
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub accessible_queues: Vec<IdName>,
    /// Avatar.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub picture_url: Option<String>,
    /// Integer code or a string: sources disagree (REFERENCE §3.12), kept as JSON.
    #[serde(default)]
    pub picture_type: Value,
    /// Avatar colour.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub picture_color: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Whose access rights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// An agent (user id).
    User(i64),
    /// A group (group id).
    Group(i64),
}

impl Holder {
    fn path(self) -> String {
        match self {
            Holder::User(id) => format!("/users/{id}/access_rights"),
            Holder::Group(id) => format!("/groups/{id}/access_rights"),
        }
    }
}

/// `GET /access_rights/agents` (Manager): every active agent.
pub fn agents() -> Request<Vec<AccessRight>> {
    Request::new(Method::Get, "/access_rights/agents")
}

/// `GET /access_rights/restricted_agents`: the name used until June 2026.
pub fn restricted_agents() -> Request<Vec<AccessRight>> {
    Request::new(Method::Get, "/access_rights/restricted_agents")
}

/// `GET /access_rights/groups` (Manager).
pub fn groups() -> Request<Vec<AccessRight>> {
    Request::new(Method::Get, "/access_rights/groups")
}

/// `GET /users/{id}/access_rights` or `/groups/{id}/access_rights` (Manager).
pub fn show(holder: Holder) -> Request<AccessRight> {
    Request::new(Method::Get, holder.path())
}

/// Grants or revokes one queue (`{"ticket_queue_id": "..", "has_access": "true"}`, strings as documented).
pub fn set(holder: Holder, ticket_queue_id: i64, has_access: bool) -> Request<AccessRight> {
    Request::new(Method::Post, holder.path())
        .json(json!({ "ticket_queue_id": ticket_queue_id.to_string(), "has_access": has_access.to_string() }))
}

/// Grants or revokes several queues (`/set` with `keys`).
pub fn set_many(holder: Holder, ticket_queue_ids: &[i64], has_access: bool) -> Request<Vec<AccessRight>> {
    let keys: Vec<String> = ticket_queue_ids.iter().map(i64::to_string).collect();
    Request::new(Method::Post, format!("{}/set", holder.path()))
        .json(json!({ "keys": keys, "has_access": has_access.to_string() }))
}

/// A group's access to every queue (`{"has_access_to_all_ticket_queues": "true"}`).
pub fn set_group_all(group_id: i64, all: bool) -> Request<AccessRight> {
    Request::new(Method::Post, Holder::Group(group_id).path())
        .json(json!({ "has_access_to_all_ticket_queues": all.to_string() }))
}
