//! Tags.

use crate::de;
use crate::request::{Method, Request};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A tag.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Label.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub label: Option<String>,
    /// Colour, a hex string such as `#ff0000`.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub color: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Tag {
    /// The colour if it is a safe `#rgb`/`#rrggbb` value (it ends up in a style attribute).
    pub fn safe_color(&self) -> Option<&str> {
        let c = self.color.as_deref()?.trim();
        let hex = c.strip_prefix('#')?;
        ((hex.len() == 3 || hex.len() == 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(c)
    }
}

/// `GET /tags`: the whole list (the newest spec says not paged; `per_page` is sent anyway for
/// services that page it, and [`crate::request::is_last_page`] decides whether more follow).
pub fn list(page: crate::request::Page) -> Request<Vec<Tag>> {
    Request::new(Method::Get, "/tags").query("page", page.page).query("per_page", page.per_page)
}

crate::input::input! {
    /// Tag input (`label` and `color` required on create).
    TagInput { label: String, color: String }
}

/// `GET /tags/{id}` (400 `Invalid tag id`).
pub fn show(id: i64) -> Request<Tag> {
    Request::new(Method::Get, format!("/tags/{id}"))
}

/// `POST /tags` (Manager; 201).
pub fn create(input: &TagInput) -> Request<Tag> {
    Request::new(Method::Post, "/tags").json(input.to_json())
}

/// `PUT /tags/{id}` (Manager).
pub fn update(id: i64, input: &TagInput) -> Request<Tag> {
    Request::new(Method::Put, format!("/tags/{id}")).json(input.to_json())
}

/// `DELETE /tags/{id}` (Manager; empty 200).
pub fn delete(id: i64) -> Request<()> {
    Request::new(Method::Delete, format!("/tags/{id}"))
}

/// `POST /tags/{id}/merge` with `{"with_tag_id": n}` (Manager; empty 200).
pub fn merge(id: i64, with_tag_id: i64) -> Request<()> {
    Request::new(Method::Post, format!("/tags/{id}/merge")).json(serde_json::json!({ "with_tag_id": with_tag_id }))
}
