//! What the signed-in key may read beyond an agent's lists: a ticket's event log and the ticket
//! forms are a manager's (REFERENCE §2). Learned from the first answer and kept for this tab's
//! session, so an agent's key is not sent to be refused again on every ticket it opens (each
//! refusal also shows up, with the request's address, in the browser's own network log).

use mojo_api::{ApiError, ErrorKind};

const KEY: &str = "mojo.manager_reads";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
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

/// Forgets it (sign-in and sign-out: the next key may have another role).
pub fn forget() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}
