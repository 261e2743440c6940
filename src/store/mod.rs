//! Reactive state shared by the screens, provided as context by the app shell.

pub mod abilities;
pub mod drafts;
pub mod lookups;
pub mod saved_searches;
pub mod session;

/// This device's local storage, when the browser allows it (the one way every store reaches it).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
