//! Which groups' tickets a user may see (0 none, 1 full, 2 comment only).

use crate::de;
use crate::request::{Method, Request};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A user's access to one group's tickets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupAccess {
    /// The user.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub user_id: Option<i64>,
    /// The group.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub group_id: Option<i64>,
    /// 0 no access, 1 full access, 2 comment only.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub access: Option<i64>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Access levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// 0
    None = 0,
    /// 1
    Full = 1,
    /// 2
    CommentOnly = 2,
}

/// `GET /users/{user_id}/group_access` (Manager).
pub fn list(user_id: i64) -> Request<Vec<GroupAccess>> {
    Request::new(Method::Get, format!("/users/{user_id}/group_access"))
}

/// `GET /users/{user_id}/group_access/{group_id}` (Manager).
pub fn show(user_id: i64, group_id: i64) -> Request<GroupAccess> {
    Request::new(Method::Get, format!("/users/{user_id}/group_access/{group_id}"))
}

/// `POST /users/{user_id}/group_access/{group_id}` with `{"access": "n"}` (Manager).
pub fn set(user_id: i64, group_id: i64, access: Access) -> Request<GroupAccess> {
    Request::new(Method::Post, format!("/users/{user_id}/group_access/{group_id}"))
        .json(serde_json::json!({ "access": (access as i64).to_string() }))
}
