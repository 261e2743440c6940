//! The `/api/v2` endpoints, one module per resource. Every handler has the same shape:
//! take an [`ApiCall`](crate::call::ApiCall), run one closure on the database that
//! authenticates, validates and answers, and return a response or an
//! [`ApiError`](crate::error::ApiError).

pub mod access_rights;
pub mod attachments;
pub mod comments;
pub mod common;
pub mod events;
pub mod forms;
pub mod group_access;
pub mod groups;
pub mod queues;
pub mod search;
pub mod staff_notes;
pub mod tags;
pub mod tasks;
pub mod teams;
pub mod ticket_types;
pub mod tickets;
pub mod users;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};

/// The route table. Static segments (`/users/techs`, `/tasks/reorder`) win over `{id}`. A
/// ticket, user or group in the path is always `{id}`, so handlers of a resource and of its
/// sub-resources read it the same way.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/tickets", get(tickets::list).post(tickets::create))
        .route("/api/v2/tickets/search", get(search::search))
        .route(
            "/api/v2/tickets/{id}",
            get(tickets::show).put(tickets::update).patch(tickets::update).delete(tickets::delete),
        )
        .route("/api/v2/tickets/{id}/events", get(events::for_ticket))
        .route("/api/v2/tickets/{id}/add_tag", post(tags::add_to_ticket))
        .route("/api/v2/tickets/{id}/remove_tag", post(tags::remove_from_ticket))
        .route("/api/v2/tickets/{id}/comments", get(comments::list).post(comments::create))
        .route("/api/v2/tickets/{id}/staff_notes", get(staff_notes::list).post(staff_notes::create))
        .route("/api/v2/tickets/{id}/attachments", get(attachments::list).post(attachments::upload))
        .route("/api/v2/tickets/{id}/tasks", get(tasks::list).post(tasks::create))
        .route("/api/v2/tickets/{id}/tasks/reorder", post(tasks::reorder))
        .route("/api/v2/tickets/{id}/tasks/delete_completed", post(tasks::delete_completed))
        .route(
            "/api/v2/tickets/{id}/tasks/{task_id}",
            axum::routing::put(tasks::update).patch(tasks::update).delete(tasks::delete),
        )
        .route("/api/v2/attachments/{id}", get(attachments::download).delete(attachments::delete))
        .route("/api/v2/events", get(events::list))
        .route("/api/v2/events/{id}", get(events::show))
        .route("/api/v2/ticket_queues", get(queues::list).post(queues::create))
        .route(
            "/api/v2/ticket_queues/{id}",
            get(queues::show).put(queues::update).patch(queues::update).delete(queues::delete),
        )
        .route("/api/v2/teams", get(teams::list))
        .route("/api/v2/teams/{id}", get(teams::show))
        .route("/api/v2/users", get(users::list).post(users::create))
        .route("/api/v2/users/techs", get(users::techs))
        .route("/api/v2/users/get_by_email", get(users::get_by_email))
        .route("/api/v2/users/{id}", get(users::show).put(users::update).patch(users::update).delete(users::delete))
        .route("/api/v2/users/{id}/access_rights", get(access_rights::show_user).post(access_rights::set_user))
        .route("/api/v2/users/{id}/access_rights/set", post(access_rights::set_user_many))
        .route("/api/v2/users/{id}/group_access", get(group_access::list))
        .route("/api/v2/users/{id}/group_access/{group_id}", get(group_access::show).post(group_access::set))
        .route("/api/v2/groups", get(groups::list).post(groups::create))
        .route(
            "/api/v2/groups/{id}",
            get(groups::show).put(groups::update).patch(groups::update).delete(groups::delete),
        )
        .route("/api/v2/groups/{id}/access_rights", get(access_rights::show_group).post(access_rights::set_group))
        .route("/api/v2/groups/{id}/access_rights/set", post(access_rights::set_group_many))
        .route("/api/v2/access_rights/agents", get(access_rights::list_agents))
        .route("/api/v2/access_rights/restricted_agents", get(access_rights::list_agents))
        .route("/api/v2/access_rights/groups", get(access_rights::list_groups))
        .route("/api/v2/tags", get(tags::list).post(tags::create))
        .route("/api/v2/tags/{id}", get(tags::show).put(tags::update).patch(tags::update).delete(tags::delete))
        .route("/api/v2/tags/{id}/merge", post(tags::merge))
        .route("/api/v2/ticket_forms", get(forms::list))
        .route("/api/v2/ticket_forms/{id}", get(forms::show))
        .route("/api/v2/ticket_types", get(ticket_types::list).post(ticket_types::create))
        .route(
            "/api/v2/ticket_types/{id}",
            get(ticket_types::show).put(ticket_types::update).patch(ticket_types::update).delete(ticket_types::delete),
        )
        // The README's singular spelling (REFERENCE §7.12).
        .route("/api/v2/ticket_type/{id}", get(ticket_types::show))
        // Download links of attachments (outside /api; see `front::dispatch`).
        .route("/blobs/{token}", get(attachments::blob))
        // Anything else under /api answers the JSON 404, even when a static app is served.
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
}

/// 404 `{"message":"Not found","messages":["Not found"]}` for unknown routes and for a known
/// path with a method it does not have (Rails has no route for that verb either).
pub async fn not_found() -> Response {
    ApiError::RouteNotFound.into_response()
}
