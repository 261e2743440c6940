//! One module per screen.

pub mod board;
pub mod connect;
pub mod kiosk;
pub mod new_ticket;
pub mod search;
pub mod ticket;
