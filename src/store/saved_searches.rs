//! Saved searches: named searches kept in this device's local storage (`mojo.saved_searches`),
//! shared by every tab (the list follows `storage` events) and by the board's filter.
//!
//! Only the board and the search use them, so the list is read (and its query parser loaded)
//! by the screen that asks for it, not by the shell: that keeps the parser out of the first load.

use crate::search_model::{SavedSearch, parse_saved};
use leptos::prelude::*;

const STORAGE_KEY: &str = "mojo.saved_searches";

/// Reads the list; a damaged entry leaves the list empty rather than breaking the page.
fn read() -> Vec<SavedSearch> {
    super::local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|j| parse_saved(&j).ok())
        .unwrap_or_default()
}

/// The saved searches (context).
#[derive(Clone, Copy)]
pub struct SavedSearches {
    list: RwSignal<Vec<SavedSearch>>,
}

impl SavedSearches {
    /// Loads the list from storage.
    pub fn load() -> Self {
        SavedSearches { list: RwSignal::new(read()) }
    }

    /// The list (reactive).
    pub fn list(&self) -> Vec<SavedSearch> {
        self.list.get()
    }

    /// The search saved under `name`.
    pub fn find(&self, name: &str) -> Option<SavedSearch> {
        self.list.with(|l| l.iter().find(|s| s.name == name).cloned())
    }

    /// Rereads storage (another tab changed it).
    pub fn reload(&self) {
        self.list.set(read());
    }

    /// Changes the list and stores it; `Err` when the browser refuses (quota, blocked).
    pub fn update(&self, change: impl FnOnce(&mut Vec<SavedSearch>)) -> Result<(), String> {
        let mut next = self.list.get_untracked();
        change(&mut next);
        let json = serde_json::to_string(&next).map_err(|e| e.to_string())?;
        super::local_storage()
            .ok_or("This browser does not allow local storage for this page.")?
            .set_item(STORAGE_KEY, &json)
            .map_err(|_| "The browser refused to store the saved searches (storage full or blocked).".to_string())?;
        self.list.set(next);
        Ok(())
    }
}

/// The saved searches of this screen: read from storage on first use, then kept up to date with
/// other tabs for as long as the screen is open.
pub fn use_saved_searches() -> SavedSearches {
    if let Some(saved) = use_context::<SavedSearches>() {
        return saved;
    }
    let saved = SavedSearches::load();
    let storage = window_event_listener(leptos::ev::storage, move |ev| {
        if ev.key().is_none_or(|k| k == STORAGE_KEY) {
            saved.reload();
        }
    });
    on_cleanup(move || storage.remove());
    provide_context(saved);
    saved
}
