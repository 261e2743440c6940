//! Ticket queues.

use crate::de;
use crate::request::{Method, Page, Request};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A ticket queue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketQueue {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub name: Option<String>,
    /// E-mail alias.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub email_alias: Option<String>,
    /// Forwarding address.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub email_forward: Option<String>,
    /// Form used for e-mailed tickets.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub email_ticket_form_id: Option<i64>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TicketQueue {
    /// Name, or `Queue #id`.
    pub fn display_name(&self) -> String {
        crate::display_or(&self.name, || format!("Queue #{}", self.id))
    }
}

/// `GET /ticket_queues` (paged, default 30).
pub fn list(page: Page) -> Request<Vec<TicketQueue>> {
    Request::new(Method::Get, "/ticket_queues").query("page", page.page).query("per_page", page.per_page)
}

/// `GET /ticket_queues/{id}` (400 `Invalid ticket queue id` when unknown).
pub fn show(id: i64) -> Request<TicketQueue> {
    Request::new(Method::Get, format!("/ticket_queues/{id}"))
}

crate::input::input! {
    /// Queue input (`name` required on create).
    QueueInput { name: String, email_alias: String, email_forward: String, email_ticket_form_id: i64 }
}

/// `POST /ticket_queues` (Manager; 201).
pub fn create(input: &QueueInput) -> Request<TicketQueue> {
    Request::new(Method::Post, "/ticket_queues").json(input.to_json())
}

/// `PUT /ticket_queues/{id}` (Manager).
pub fn update(id: i64, input: &QueueInput) -> Request<TicketQueue> {
    Request::new(Method::Put, format!("/ticket_queues/{id}")).json(input.to_json())
}

/// `DELETE /ticket_queues/{id}` (Manager; empty 200).
pub fn delete(id: i64) -> Request<()> {
    Request::new(Method::Delete, format!("/ticket_queues/{id}"))
}
