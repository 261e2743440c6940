//! Reactive state shared by the screens, provided as context by the app shell.

pub mod abilities;
pub mod drafts;
pub mod lookups;
pub mod saved_searches;
pub mod session;
