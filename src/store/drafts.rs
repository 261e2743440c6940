//! Drafts: what an agent is writing (a new ticket, an edit, a comment or note), kept in this
//! device's local storage under `mojo.draft.<who>.<name>` as the agent types, so a reload, a crash,
//! a sign-out or a failed save loses nothing. A draft is removed only when the service confirmed
//! the save. Drafts outlive sign-out on purpose, but belong to the connection that wrote them
//! (`<who>`, see [`crate::api::credentials::owner_tag`]): on a shared machine, another agent signing
//! in does not see, or post under their own name, what the first one was typing.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

const PREFIX: &str = "mojo.draft.";

/// How long typing may pause before the draft is written.
pub const SAVE_DELAY: Duration = Duration::from_millis(300);

/// Where `name` is kept for the signed-in connection.
fn item(name: &str) -> String {
    format!("{PREFIX}{}.{name}", crate::api::credentials::owner_tag())
}

/// The draft saved under `name`; a damaged one reads as none. A draft kept before drafts had
/// owners (`mojo.draft.<name>`) is taken over by the first connection that asks for it.
pub fn load<T: DeserializeOwned>(name: &str) -> Option<T> {
    let storage = super::local_storage()?;
    let own = item(name);
    let text = match storage.get_item(&own).ok().flatten() {
        Some(text) => text,
        None => {
            let legacy = format!("{PREFIX}{name}");
            let text = storage.get_item(&legacy).ok().flatten()?;
            if storage.set_item(&own, &text).is_ok() {
                let _ = storage.remove_item(&legacy);
            }
            text
        }
    };
    serde_json::from_str(&text).ok()
}

/// Writes the draft now; `Err` when the browser refuses (storage full or blocked).
pub fn save<T: Serialize>(name: &str, value: &T) -> Result<(), String> {
    save_item(&item(name), value)
}

fn save_item<T: Serialize>(item: &str, value: &T) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    super::local_storage()
        .ok_or_else(|| "This browser does not allow local storage for this page.".to_string())?
        .set_item(item, &text)
        .map_err(|_| "The browser refused to keep the draft (storage full or blocked).".to_string())
}

/// Forgets the draft (after the service confirmed the save, or when the agent discards it).
pub fn clear(name: &str) {
    clear_item(&item(name));
}

fn clear_item(item: &str) {
    if let Some(s) = super::local_storage() {
        let _ = s.remove_item(item);
    }
}

/// Writes a draft [`SAVE_DELAY`] after the last change, and at once when the page is hidden or
/// closed or the screen goes away, so no typing is lost between keystroke and write.
#[derive(Clone, Copy)]
pub struct DraftWriter {
    pending: StoredValue<Option<Box<dyn FnOnce() + Send + Sync>>>,
    timer: StoredValue<Option<TimeoutHandle>>,
    /// The last write's failure, shown beside the form.
    pub error: RwSignal<Option<String>>,
}

impl DraftWriter {
    /// A writer that flushes on `pagehide` and when its owner is cleaned up.
    pub fn new() -> Self {
        let w =
            DraftWriter { pending: StoredValue::new(None), timer: StoredValue::new(None), error: RwSignal::new(None) };
        let hide = window_event_listener_untyped("pagehide", move |_| w.flush());
        on_cleanup(move || {
            hide.remove();
            w.flush();
        });
        w
    }

    /// Saves `value` under `name` soon (or clears it when `empty`), for the connection signed in now:
    /// a write that waits until after a sign-out (the screen's cleanup flushes it) still lands
    /// with the agent who typed it.
    pub fn write<T: Serialize + Send + Sync + 'static>(&self, name: String, value: T, empty: bool) {
        let error = self.error;
        let item = item(&name);
        let job: Box<dyn FnOnce() + Send + Sync> = Box::new(move || {
            if empty {
                clear_item(&item);
                error.try_set(None);
            } else {
                error.try_set(save_item(&item, &value).err());
            }
        });
        self.pending.try_set_value(Some(job));
        if let Some(Some(h)) = self.timer.try_get_value() {
            h.clear();
        }
        let me = *self;
        let handle = set_timeout_with_handle(move || me.flush(), SAVE_DELAY).ok();
        self.timer.try_set_value(handle);
    }

    /// Runs the pending write now.
    pub fn flush(&self) {
        if let Some(job) = self.pending.try_update_value(|p| p.take()).flatten() {
            job();
        }
    }

    /// Drops a pending write (the draft was just saved to the service or discarded).
    pub fn cancel(&self) {
        self.pending.try_update_value(|p| p.take());
    }
}

impl Default for DraftWriter {
    fn default() -> Self {
        Self::new()
    }
}
