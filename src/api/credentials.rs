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

/// A short tag for the saved connection (helpdesk and key), to keep what belongs to it apart from
/// what another connection on this device wrote ([`crate::store::drafts`]). A one-way hash: the
/// key cannot be read back from it. `"none"` when signed out.
pub fn owner_tag() -> String {
    load().map(|(base, key)| tag_of(&base, &key)).unwrap_or_else(|| "none".into())
}

/// FNV-1a (64 bits) of `base`, a newline and `key`, in hex.
pub fn tag_of(base: &str, key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in base.bytes().chain(std::iter::once(b'\n')).chain(key.trim().bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::tag_of;

    #[test]
    fn owner_tags_tell_connections_apart_and_hide_the_key() {
        let a = tag_of("https://x.mojohelpdesk.com", "c980f164316300499df4f7d84cee650a8f30ec49");
        assert_eq!(a, tag_of("https://x.mojohelpdesk.com", " c980f164316300499df4f7d84cee650a8f30ec49 "));
        assert_ne!(a, tag_of("https://x.mojohelpdesk.com", "4b5fdaf6a0bac080f3a24a46b9a42ddd0e15f761"));
        assert_ne!(a, tag_of("https://y.mojohelpdesk.com", "c980f164316300499df4f7d84cee650a8f30ec49"));
        assert_eq!(a.len(), 16);
        assert!(!a.contains("c980f1"), "the key is not in the tag");
    }
}
