//! Where the connection lives on this device: the helpdesk URL and the access key, in local
//! storage. Only `api` reads the key back; the rest of the dashboard asks for the base URL.

const BASE_KEY: &str = "mojo.base_url";
const ACCESS_KEY: &str = "mojo.access_key";

/// Saves both; `Err` when the browser refuses storage (private mode, quota).
pub fn save(base: &str, key: &str) -> Result<(), String> {
    let s = crate::store::local_storage().ok_or("This browser does not allow local storage for this page.")?;
    s.set_item(BASE_KEY, base)
        .and_then(|_| s.set_item(ACCESS_KEY, key))
        .map_err(|_| "The browser refused to store the connection (storage full or blocked).".to_string())
}

/// The saved base URL and key, when both are present.
pub fn load() -> Option<(String, String)> {
    let s = crate::store::local_storage()?;
    let base = s.get_item(BASE_KEY).ok().flatten()?;
    let key = s.get_item(ACCESS_KEY).ok().flatten()?;
    (!base.is_empty() && !key.is_empty()).then_some((base, key))
}

/// The saved base URL alone (to prefill the connect form after sign-out).
pub fn saved_base() -> Option<String> {
    crate::store::local_storage()?.get_item(BASE_KEY).ok().flatten()
}

/// Forgets the key (and the URL).
pub fn clear() {
    if let Some(s) = crate::store::local_storage() {
        let _ = s.remove_item(ACCESS_KEY);
        let _ = s.remove_item(BASE_KEY);
    }
}
