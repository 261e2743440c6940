//! Teams of agents.

use crate::de;
use crate::request::{Method, Request};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A team.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Team {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub name: Option<String>,
    /// Members.
    #[serde(deserialize_with = "de::id_list", default)]
    pub agent_ids: Vec<i64>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /teams`.
pub fn list(page: crate::request::Page) -> Request<Vec<Team>> {
    Request::new(Method::Get, "/teams").query("page", page.page).query("per_page", page.per_page)
}

/// `GET /teams/{id}` (404 `Record not found`).
pub fn show(id: i64) -> Request<Team> {
    Request::new(Method::Get, format!("/teams/{id}"))
}
