//! Users: requesters and agents.

use crate::de;
use crate::enums::Role;
use crate::request::{Method, Page, Request};
use crate::time::{Timestamp, opt_timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// E-mail.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub email: Option<String>,
    /// First name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub first_name: Option<String>,
    /// Middle name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub middle_name: Option<String>,
    /// Last name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub last_name: Option<String>,
    /// Full name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub full_name: Option<String>,
    /// Role.
    #[serde(default)]
    pub role_id: Option<Role>,
    /// Group.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub company_id: Option<i64>,
    /// Active.
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub is_active: Option<bool>,
    /// Work phone.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub work_phone: Option<String>,
    /// Cell phone.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub cell_phone: Option<String>,
    /// Notes about the user.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub user_notes: Option<String>,
    /// Rails time-zone name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub time_zone: Option<String>,
    /// Avatar.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub picture_url: Option<String>,
    /// Created.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub created_on: Option<Timestamp>,
    /// Updated.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub updated_on: Option<Timestamp>,
    /// Last login.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub last_login_on: Option<Timestamp>,
    /// Show and `/users/techs` only.
    #[serde(default)]
    pub related_data: Option<Value>,
    /// Other keys. The service also sends `access_key` here; the dashboard never shows it.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl User {
    /// Full name, else first + last, else e-mail, else `User #id`.
    pub fn display_name(&self) -> String {
        if let Some(n) = self.full_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            return n.to_string();
        }
        let joined = [&self.first_name, &self.last_name]
            .iter()
            .filter_map(|p| p.as_deref().map(str::trim).filter(|p| !p.is_empty()))
            .collect::<Vec<_>>()
            .join(" ");
        if !joined.is_empty() {
            return joined;
        }
        crate::display_or(&self.email, || format!("User #{}", self.id))
    }

    /// Role, `Regular` when missing.
    pub fn role(&self) -> Role {
        self.role_id.unwrap_or(Role::Regular)
    }
}

/// `GET /users` (paged, default 30).
pub fn list(page: Page) -> Request<Vec<User>> {
    Request::new(Method::Get, "/users").query("page", page.page).query("per_page", page.per_page)
}

/// `GET /users/techs`: the agents (paged like `/users`).
pub fn techs(page: Page) -> Request<Vec<User>> {
    Request::new(Method::Get, "/users/techs").query("page", page.page).query("per_page", page.per_page)
}

/// `GET /users/{id}` (400 `Invalid user id` when unknown).
pub fn show(id: i64) -> Request<User> {
    Request::new(Method::Get, format!("/users/{id}"))
}

crate::input::input! {
    /// User input (`email` required on create and ignored on update).
    UserInput {
        email: String, first_name: String, last_name: String, work_phone: String, cell_phone: String,
        home_phone: String, user_notes: String, company_id: i64, password: String, is_active: bool, role_id: i64,
    }
}

/// `GET /users/get_by_email?email=` (400 `Invalid user email` when unknown).
pub fn get_by_email(email: &str) -> Request<User> {
    Request::new(Method::Get, "/users/get_by_email").query("email", email)
}

/// `POST /users` (Manager; 201). The welcome e-mail is sent unless `send_welcome_email` is false.
pub fn create(input: &UserInput, send_welcome_email: bool) -> Request<User> {
    Request::new(Method::Post, "/users")
        .query("send_welcome_email", if send_welcome_email { 1 } else { 0 })
        .json(input.to_json())
}

/// `PUT /users/{id}` (Manager).
pub fn update(id: i64, input: &UserInput) -> Request<User> {
    Request::new(Method::Put, format!("/users/{id}")).json(input.to_json())
}

/// `DELETE /users/{id}` (Manager; empty 200).
pub fn delete(id: i64) -> Request<()> {
    Request::new(Method::Delete, format!("/users/{id}"))
}
