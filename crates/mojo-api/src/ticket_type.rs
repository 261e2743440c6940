//! Ticket types.

use crate::de;
use crate::request::{Method, Request};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A ticket type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketType {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub name: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TicketType {
    /// Name, or `Type #id`.
    pub fn display_name(&self) -> String {
        crate::display_or(&self.name, || format!("Type #{}", self.id))
    }
}

/// `GET /ticket_types` (not paged).
pub fn list() -> Request<Vec<TicketType>> {
    Request::new(Method::Get, "/ticket_types")
}

/// `GET /ticket_types/{id}`.
pub fn show(id: i64) -> Request<TicketType> {
    Request::new(Method::Get, format!("/ticket_types/{id}"))
}

crate::input::input! {
    /// Ticket type input.
    TicketTypeInput { name: String }
}

/// `GET /ticket_type/{id}`: the README's singular spelling, which the service also answers.
pub fn show_singular(id: i64) -> Request<TicketType> {
    Request::new(Method::Get, format!("/ticket_type/{id}"))
}

/// `POST /ticket_types` (Manager; 201).
pub fn create(input: &TicketTypeInput) -> Request<TicketType> {
    Request::new(Method::Post, "/ticket_types").json(input.to_json())
}

/// `PUT /ticket_types/{id}` (Manager).
pub fn update(id: i64, input: &TicketTypeInput) -> Request<TicketType> {
    Request::new(Method::Put, format!("/ticket_types/{id}")).json(input.to_json())
}

/// `DELETE /ticket_types/{id}` (Manager; empty 200).
pub fn delete(id: i64) -> Request<()> {
    Request::new(Method::Delete, format!("/ticket_types/{id}"))
}
