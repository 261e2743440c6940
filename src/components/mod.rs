//! Reusable views.

pub mod custom_field;
pub mod error_notice;
pub mod field_select;
pub mod focus;
pub mod quick_actions;
pub mod safe_html;
pub mod status_column;
pub mod ticket_card;
