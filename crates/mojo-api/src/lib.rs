//! The Mojo Helpdesk REST API v2 as data: tolerant models, request descriptions and errors.
//! No I/O: the dashboard executes requests in the browser, tests execute them natively.
//! The behaviour it follows is in `docs/mojo-api-reference.md` (a copy of the team's research notes on the real service) (§ numbers in the docs below).

pub mod access_right;
pub mod attachment;
pub mod comment;
pub mod de;
pub mod enums;
pub mod error;
pub mod event;
pub mod form;
pub mod group;
pub mod group_access;
pub(crate) mod input;
pub mod query;
pub mod queue;
pub mod request;
pub mod search_field;
pub mod staff_note;
pub mod tag;
pub mod task;
pub mod team;
pub mod ticket;
pub mod ticket_type;
pub mod time;
pub mod user;

pub use enums::{CreatedFrom, Priority, Role, Status};
pub use error::{ApiError, ErrorKind};
pub use request::{Body, Method, Page, Part, Request};
pub use time::Timestamp;

/// The trimmed text if it is not blank, else the fallback.
pub(crate) fn display_or(text: &Option<String>, fallback: impl FnOnce() -> String) -> String {
    match text.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => fallback(),
    }
}
