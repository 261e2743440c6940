//! The shell: context providers, the header, and the screen for the current route.

use crate::lazy;
use crate::pages::connect::ConnectPage;
use crate::route::{Route, use_location};
use crate::store::lookups::Lookups;
use crate::store::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The whole dashboard.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::from_storage();
    let lookups = Lookups::new();
    provide_context(session);
    provide_context(lookups);
    let location = use_location();
    let storage = window_event_listener(leptos::ev::storage, move |_| {
        session.follow_storage();
    });
    on_cleanup(move || storage.remove());
    let read_only = window_event_listener_untyped(crate::store::abilities::READ_ONLY_EVENT, move |_| {
        session.follow_read_only();
    });
    on_cleanup(move || read_only.remove());
    // `/` goes to the search box from anywhere (but types a slash in a text field).
    let slash = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || in_text_field(&ev) {
            return;
        }
        ev.prevent_default();
        if location.with_untracked(|l| l.route != Route::Search) {
            crate::route::navigate("#/search");
        }
        focus_search_box();
    });
    on_cleanup(move || slash.remove());

    // Names for ids, once per connection.
    Effect::new(move |_| match session.client() {
        Some(client) => spawn_local(async move { lookups.load(&client).await }),
        None => lookups.set(Default::default()),
    });

    view! {
        <Show when=move || session.client().is_some() fallback=|| view! { <ConnectPage /> }>
            // The wallboard takes the whole screen: no header, no navigation.
            <Show when=move || location.with(|l| l.route == Route::Kiosk) fallback=move || view! { <Shell location=location /> }>
                {lazy::kiosk(location)}
            </Show>
        </Show>
    }
}

/// The header and the current screen.
#[component]
fn Shell(location: ReadSignal<crate::route::Location>) -> impl IntoView {
    let session = crate::store::session::use_session();
    // The screen is rebuilt only when the route changes: a new query on the same screen (a search,
    // a board filter) goes through the screen's own reactive state, so nothing it holds (drafts,
    // timers, a move in flight) is torn down under it.
    let route = Memo::new(move |_| location.with(|l| l.route.clone()));
    // The other screens' code, fetched in idle time (the release build loads it on demand).
    lazy::prefetch_screens();
    view! {
            <header class="app-header">
                <a class="brand" href="#/">"Mojo Dashboard"</a>
                <nav aria-label="Main">
                    <a href="#/" aria-current=move || (location.with(|l| l.route == Route::Board)).then_some("page")>"Board"</a>
                    <a href="#/search" aria-current=move || (location.with(|l| l.route == Route::Search)).then_some("page")>"Search"</a>
                    <a href="#/tickets/new" aria-current=move || (location.with(|l| l.route == Route::NewTicket)).then_some("page")>"New ticket"</a>
                </nav>
                <span class="helpdesk-host" title="Connected helpdesk">{move || session.client().map(|c| c.base().to_string()).unwrap_or_default()}</span>
                <button type="button" class="button ghost" on:click=move |_| {
                    session.sign_out();
                    crate::route::navigate("#/");
                }>"Sign out"</button>
            </header>
            <LookupWarnings />
            {move || session.read_only().then(|| view! {
                <div class="warning-bar read-only-bar" role="status">
                    "This access key is read-only: the helpdesk shows you everything but refuses changes. To work on tickets, sign out and connect with a read-write key."
                </div>
            })}
            <main class="app-main">
                {move || match route.get() {
                    Route::Board => lazy::board(location).into_any(),
                    Route::Ticket(id) => lazy::ticket(id).into_any(),
                    Route::NewTicket => lazy::new_ticket().into_any(),
                    Route::Search => lazy::search(location).into_any(),
                    Route::Kiosk => ().into_any(),
                    Route::NotFound(path) => view! {
                        <div class="not-found"><h1>"Nothing here"</h1><p>{format!("No screen at “{path}”.")}</p><a href="#/">"Go to the board"</a></div>
                    }.into_any(),
                }}
            </main>
    }
}

/// Lists that failed to load: names fall back to ids, and the agent is told why.
#[component]
fn LookupWarnings() -> impl IntoView {
    let lookups = crate::store::lookups::use_lookups();
    move || {
        let errors = lookups.with(|l| l.errors.clone());
        (!errors.is_empty()).then(|| {
            let what = errors.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
            let why = errors[0].1.user_message();
            view! { <div class="warning-bar" role="status">{format!("Could not load {what}: names show as numbers. {why}")}</div> }
        })
    }
}

/// True when a key press lands in something that takes text.
pub(crate) fn in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()
}

/// Focuses the search page's text box once it is on screen: the route changes on `hashchange`,
/// which can come a few frames after the key press, so it looks again for up to ~30 frames.
fn focus_search_box() {
    focus_search_box_within(30);
}

fn focus_search_box_within(frames: u32) {
    use wasm_bindgen::JsCast;
    request_animation_frame(move || {
        match document().get_element_by_id("search-text").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            Some(el) => {
                let _ = el.focus();
            }
            None if frames > 0 => focus_search_box_within(frames - 1),
            None => {}
        }
    });
}
