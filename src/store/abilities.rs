//! Who the signed-in key is and what it may read beyond an agent's lists: a ticket's event log and the ticket
//! forms are a manager's (REFERENCE §2). Learned from the first answer and kept in local storage
//! for as long as the agent stays signed in (every tab shares it; sign-in and sign-out forget it,
//! so another key starts afresh), so an agent's key is not sent to be refused again on every ticket
//! or in every new tab (each refusal also shows up, with the request's address, in the browser's own
//! network log), and "Assign to me" asks who the agent is once, not once per tab.

use mojo_api::{ApiError, ErrorKind};

const KEY: &str = "mojo.manager_reads";

fn storage() -> Option<web_sys::Storage> {
    super::local_storage()
}

/// `Some(true)`: manager reads work; `Some(false)`: refused; `None`: not asked yet.
pub fn manager_reads() -> Option<bool> {
    match storage()?.get_item(KEY).ok().flatten().as_deref() {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    }
}

/// Records what a manager-only read answered (other failures teach nothing).
pub fn learn<T>(answer: &Result<T, ApiError>) {
    let value = match answer {
        Ok(_) => "yes",
        Err(e) if matches!(e.kind, ErrorKind::Unauthorized | ErrorKind::Forbidden) => "no",
        Err(_) => return,
    };
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, value);
    }
}

/// Forgets it all (sign-in and sign-out: the next key may be someone else's, with another role).
pub fn forget() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
        let _ = s.remove_item(ME);
        let _ = s.remove_item(READ_ONLY);
    }
}

const READ_ONLY: &str = "mojo.read_only";

/// The window event [`learn_read_only`] sends, so the page can say so at once.
pub const READ_ONLY_EVENT: &str = "mojo-read-only";

/// True once the helpdesk refused a write because the signed-in key is read-only.
pub fn read_only() -> bool {
    storage().and_then(|s| s.get_item(READ_ONLY).ok().flatten()).as_deref() == Some("yes")
}

/// Remembers, until sign-out, that the key is read-only (the API has no way to ask; the first
/// refused write tells), and tells the page ([`READ_ONLY_EVENT`]); other tabs hear of it through
/// the storage event.
pub fn learn_read_only() {
    if read_only() {
        return;
    }
    if let Some(s) = storage() {
        let _ = s.set_item(READ_ONLY, "yes");
    }
    if let (Some(w), Ok(ev)) = (web_sys::window(), web_sys::Event::new(READ_ONLY_EVENT)) {
        let _ = w.dispatch_event(&ev);
    }
}

const ME: &str = "mojo.me";

/// The signed-in agent's user id, once an answer told it (the author of a comment they posted).
pub fn me() -> Option<i64> {
    storage()?.get_item(ME).ok().flatten()?.parse().ok()
}

/// Remembers the signed-in agent's user id until sign-out.
pub fn learn_me(id: Option<i64>) {
    if let (Some(id), Some(s)) = (id.filter(|i| *i > 0), storage()) {
        let _ = s.set_item(ME, &id.to_string());
    }
}
