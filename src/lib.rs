//! Mojo Dashboard: a Leptos single-page app for agents of Mojo Helpdesk (REST API v2).

pub mod api;
pub mod app;
pub mod board_model;
pub mod components;
pub mod kiosk_model;
pub mod lazy;
pub mod pages;
pub mod route;
pub mod search_model;
pub mod store;
pub mod ticket_model;

pub use app::App;
