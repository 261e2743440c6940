//! Hash routing (`#/`, `#/tickets/42`, `#/board?queue=3`): works on any static host without
//! server rewrites, and survives reloads and bookmarks. The route and its query are the
//! screen's shareable state.

use leptos::prelude::*;

/// A screen of the dashboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The status board, with optional URL filters.
    Board,
    /// One ticket.
    Ticket(i64),
    /// A new ticket (`#/tickets/new`).
    NewTicket,
    /// Ticket search (`#/search?q=…&sf=…&r=1`).
    Search,
    /// The kiosk wallboard (`#/kiosk?views=…&queues=…&rotate=…&refresh=…&theme=…`).
    Kiosk,
    /// An address that names no screen.
    NotFound(String),
}

/// A parsed location hash: the route plus its query pairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The screen.
    pub route: Route,
    /// Decoded query pairs after `?`.
    pub query: Vec<(String, String)>,
}

impl Location {
    /// Parses `#/tickets/42?x=1` (the leading `#` optional).
    pub fn parse(hash: &str) -> Self {
        let h = hash.trim_start_matches('#');
        let (path, query) = h.split_once('?').unwrap_or((h, ""));
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let route = match parts.as_slice() {
            [] | ["board"] => Route::Board,
            ["search"] => Route::Search,
            ["kiosk"] => Route::Kiosk,
            ["tickets", "new"] | ["new"] => Route::NewTicket,
            ["tickets", id] => match id.parse::<i64>() {
                Ok(id) if id > 0 => Route::Ticket(id),
                _ => Route::NotFound(path.to_string()),
            },
            _ => Route::NotFound(path.to_string()),
        };
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        Location { route, query }
    }

    /// The first value of a query parameter.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// The hash for the board with the given filters (empty values left out).
pub fn board_href(params: &[(&str, String)]) -> String {
    let q: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", mojo_api::request::encode_component(v)))
        .collect();
    if q.is_empty() { "#/".to_string() } else { format!("#/board?{}", q.join("&")) }
}

/// The hash of a ticket's page.
pub fn ticket_href(id: i64) -> String {
    format!("#/tickets/{id}")
}

fn decode(s: &str) -> String {
    mojo_api::request::decode_component(s)
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The current location as a signal that follows `hashchange`.
pub fn use_location() -> ReadSignal<Location> {
    let (location, set_location) = signal(Location::parse(&current_hash()));
    let handle =
        window_event_listener(leptos::ev::hashchange, move |_| set_location.set(Location::parse(&current_hash())));
    on_cleanup(move || handle.remove());
    location
}

/// Replaces the current history entry's hash (typing in a search box must not fill the history
/// with one entry per keystroke); `hashchange` still fires.
pub fn replace_location(hash: &str) {
    let loc = window().location();
    let href = loc.href().unwrap_or_default();
    let base = href.split_once('#').map_or(href.as_str(), |(b, _)| b);
    let _ = loc.replace(&format!("{base}{hash}"));
}

/// Navigates by setting the hash (adds a history entry, so Back works).
pub fn navigate(hash: &str) {
    let _ = window().location().set_hash(hash);
}
