//! Groups (formerly companies).

use crate::de;
use crate::request::{Method, Page, Request};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A group of customers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub name: Option<String>,
    /// Primary contact user.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub primary_contact_id: Option<i64>,
    /// Billing contact user.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub billing_contact_id: Option<i64>,
    /// Support level.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub support_level_id: Option<i64>,
    /// 0 active, 1 delinquent.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub support_status_id: Option<i64>,
    /// `YYYY-MM-DD`.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub support_start_date: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub support_end_date: Option<String>,
    /// Support info URL.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub support_info_url: Option<String>,
    /// Address.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub address: Option<String>,
    /// Address line 2.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub address2: Option<String>,
    /// City.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub city: Option<String>,
    /// State.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub state: Option<String>,
    /// Zip (a string, even when sent as a number).
    #[serde(deserialize_with = "de::opt_string", default)]
    pub zip: Option<String>,
    /// Country.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub country: Option<String>,
    /// Website.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub website_url: Option<String>,
    /// Notes.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub notes: Option<String>,
    /// Other keys (custom group fields among them).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Group {
    /// Name, or `Group #id`.
    pub fn display_name(&self) -> String {
        crate::display_or(&self.name, || format!("Group #{}", self.id))
    }
}

/// `GET /groups` (paged, default 30).
pub fn list(page: Page) -> Request<Vec<Group>> {
    Request::new(Method::Get, "/groups").query("page", page.page).query("per_page", page.per_page)
}

/// `GET /groups/{id}` (400 `Invalid group id` when unknown).
pub fn show(id: i64) -> Request<Group> {
    Request::new(Method::Get, format!("/groups/{id}"))
}

crate::input::input! {
    /// Group input (`name` required on create). Dates are `YYYY-MM-DD`.
    GroupInput {
        name: String, primary_contact_id: i64, billing_contact_id: i64, support_level_id: i64, support_status_id: i64,
        support_start_date: String, support_end_date: String, support_info_url: String, address: String,
        address2: String, city: String, state: String, zip: String, country: String, website_url: String, notes: String,
    }
}

/// `POST /groups` (Manager; 201).
pub fn create(input: &GroupInput) -> Request<Group> {
    Request::new(Method::Post, "/groups").json(input.to_json())
}

/// `PUT /groups/{id}` (Manager).
pub fn update(id: i64, input: &GroupInput) -> Request<Group> {
    Request::new(Method::Put, format!("/groups/{id}")).json(input.to_json())
}

/// `DELETE /groups/{id}` (Manager; empty 200).
pub fn delete(id: i64) -> Request<()> {
    Request::new(Method::Delete, format!("/groups/{id}"))
}
