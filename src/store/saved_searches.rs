//! Saved searches: named searches kept in this device's local storage (`mojo.saved_searches`),
//! shared by every tab (the list follows `storage` events) and by the board's filter.

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

/// The saved searches from context.
pub fn use_saved_searches() -> SavedSearches {
    expect_context::<SavedSearches>()
}
