//! The `/api/v2` endpoints, one module per resource. Every handler has the same shape:
//! take an [`ApiCall`](crate::call::ApiCall), run one closure on the database that
//! authenticates, validates and answers, and return a response or an
//! [`ApiError`](crate::error::ApiError).

pub mod attachments;
pub mod comments;
pub mod forms;
pub mod groups;
pub mod queues;
pub mod staff_notes;
pub mod tags;
pub mod tasks;
pub mod ticket_types;
pub mod tickets;
pub mod users;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};

/// The route table. Static segments (`/users/techs`, later `/tickets/search`) win over `{id}`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/tickets", get(tickets::list).post(tickets::create))
        .route(
            "/api/v2/tickets/{id}",
            get(tickets::show).put(tickets::update).patch(tickets::update).delete(tickets::delete),
        )
        .route("/api/v2/ticket_queues", get(queues::list))
        .route("/api/v2/ticket_queues/{id}", get(queues::show))
        .route("/api/v2/users", get(users::list))
        .route("/api/v2/users/techs", get(users::techs))
        .route("/api/v2/users/{id}", get(users::show))
        .route("/api/v2/groups", get(groups::list))
        .route("/api/v2/groups/{id}", get(groups::show))
        .route("/api/v2/tags", get(tags::list))
        .route("/api/v2/ticket_types", get(ticket_types::list))
        .route("/api/v2/ticket_types/{id}", get(ticket_types::show))
        // The README's singular spelling (REFERENCE §7.12).
        .route("/api/v2/ticket_type/{id}", get(ticket_types::show))
        // Anything else under /api answers the JSON 404, even when a static app is served.
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
}

/// 404 `{"message":"Not found","messages":["Not found"]}` for unknown routes and for a known
/// path with a method it does not have (Rails has no route for that verb either).
pub async fn not_found() -> Response {
    ApiError::RouteNotFound.into_response()
}
