//! Screens whose code is fetched the first time they are opened.
//!
//! The first load has to stay small: the main module holds the shell, the connect screen, the
//! client and the shared lists, and each screen (board, ticket, new ticket, search, wallboard)
//! comes as a part of its own, so a link to a ticket or the wallboard fetches only what that
//! screen needs. (Measured against three parts, board / ticket with new ticket / search with
//! wallboard: fewer shared chunks, but each way in then carries another screen's code, and
//! only the board came out smaller, by 12 KiB gzip.) In the release build (cargo feature `split`, set by `index.html`), each screen declared
//! with [`on_demand_screen!`] becomes a split point of wasm-split: `scripts/bin/wasm-bindgen`
//! cuts the module into the main part and one wasm chunk per screen (code shared by several
//! screens goes into chunks of its own), and `scripts/post-build.mjs` puts the chunks, named by
//! content, into `dist/`. The chunk loads when its screen is first opened, and the agent's other
//! screens in idle time once one is up ([`prefetch_screens`]), so that moving between them does
//! not wait for the network.
//!
//! Without the feature (native tests, wasm-bindgen-test, `cargo check`) the same functions are
//! plain calls and the loaders are ready at once, so every build runs the same screen code.

use futures::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;
use std::future::Future;

/// Declares a screen whose code is a chunk of its own in the release build:
/// `on_demand_screen!(chunk_name, load_fn, build_fn, fn screen(arg: Type) { view })`.
/// `load_fn()` fetches the chunk (at once ready without the feature); `build_fn(args)` builds the
/// view once the chunk is there, or gives `None` when it is not.
macro_rules! on_demand_screen {
    ($chunk:ident, $load:ident, $build:ident, fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        #[cfg_attr(
            feature = "split",
            ::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload($load))
        )]
        fn $name($($arg: $ty),*) -> Result<::leptos::prelude::AnyView, ::leptos::wasm_split::SplitLoaderError> {
            Ok($body)
        }

        #[cfg(not(feature = "split"))]
        async fn $load() -> Result<(), ::leptos::wasm_split::SplitLoaderError> {
            Ok(())
        }

        fn $build($($arg: $ty),*) -> Option<::leptos::prelude::AnyView> {
            // The chunk is loaded by now, so the split function's future is ready at its first poll.
            #[cfg(feature = "split")]
            return ::futures::FutureExt::now_or_never($name($($arg),*)).and_then(Result::ok);
            #[cfg(not(feature = "split"))]
            return $name($($arg),*).ok();
        }
    };
}

on_demand_screen!(
    board,
    load_board_code,
    build_board,
    fn board_screen(location: ReadSignal<crate::route::Location>) {
        view! { <crate::pages::board::BoardPage location=location /> }.into_any()
    }
);

on_demand_screen!(
    ticket,
    load_ticket_code,
    build_ticket,
    fn ticket_screen(id: i64) {
        view! { <crate::pages::ticket::TicketPage id=id /> }.into_any()
    }
);

on_demand_screen!(
    new_ticket,
    load_new_ticket_code,
    build_new_ticket,
    fn new_ticket_screen() {
        view! { <crate::pages::new_ticket::NewTicketPage /> }.into_any()
    }
);

on_demand_screen!(
    search,
    load_search_code,
    build_search,
    fn search_screen(location: ReadSignal<crate::route::Location>) {
        view! { <crate::pages::search::SearchPage location=location /> }.into_any()
    }
);

on_demand_screen!(
    kiosk,
    load_kiosk_code,
    build_kiosk,
    fn kiosk_screen(location: ReadSignal<crate::route::Location>) {
        view! { <crate::pages::kiosk::KioskPage location=location /> }.into_any()
    }
);

/// The board.
pub fn board(location: ReadSignal<crate::route::Location>) -> impl IntoView {
    on_demand("the board", load_board_code, move || build_board(location))
}

/// The ticket workspace (`#/tickets/42`).
pub fn ticket(id: i64) -> impl IntoView {
    on_demand("this ticket", load_ticket_code, move || build_ticket(id))
}

/// The new-ticket form.
pub fn new_ticket() -> impl IntoView {
    on_demand("the new-ticket form", load_new_ticket_code, build_new_ticket)
}

/// The search screen.
pub fn search(location: ReadSignal<crate::route::Location>) -> impl IntoView {
    on_demand("search", load_search_code, move || build_search(location))
}

/// The wallboard.
pub fn kiosk(location: ReadSignal<crate::route::Location>) -> impl IntoView {
    screen(
        "the wallboard",
        Watched::Unattended,
        Callback::new(move |()| Box::pin(load_kiosk_code()) as Download),
        Callback::new(move |()| build_kiosk(location)),
    )
}

/// Fetches the code of the agent's other screens while nothing else is going on, so that
/// opening a ticket or the search later does not wait for it. A failure here is silent: the
/// screen tries again, and says so, when it is opened. Nothing is fetched once the caller is
/// gone (signed out within the two seconds).
pub fn prefetch_screens() {
    // Two seconds leave the board's own requests and its first paint alone.
    let timer = set_timeout_with_handle(
        || {
            spawn_local(async {
                let _ = load_board_code().await;
                let _ = load_ticket_code().await;
                let _ = load_search_code().await;
                let _ = load_new_ticket_code().await;
            })
        },
        std::time::Duration::from_secs(2),
    );
    if let Ok(timer) = timer {
        on_cleanup(move || timer.clear());
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Loading,
    Ready,
    Failed,
}

/// A part's download, boxed so that one copy of [`screen`] serves every part.
type Download = std::pin::Pin<Box<dyn Future<Output = Result<(), SplitLoaderError>>>>;

/// Who is at the screen: an agent can press Try again; a wallboard has nobody, so it tries again
/// by itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Watched {
    ByAgent,
    Unattended,
}

/// After this long without its part, a screen says the download is slow (and offers a reload).
const SLOW_AFTER: std::time::Duration = std::time::Duration::from_secs(12);

/// How often an unattended screen tries again to fetch a part that failed (and at once when the
/// browser says it is back online).
const UNATTENDED_RETRY: std::time::Duration = std::time::Duration::from_secs(30);

/// Loads a screen's code, then builds the screen in this place (under this owner, untracked, as
/// a component would be); on failure says so and offers to try again.
fn on_demand<F>(
    what: &'static str,
    load: fn() -> F,
    build: impl Fn() -> Option<AnyView> + Send + Sync + 'static,
) -> AnyView
where
    F: Future<Output = Result<(), SplitLoaderError>> + 'static,
{
    screen(
        what,
        Watched::ByAgent,
        Callback::new(move |()| Box::pin(load()) as Download),
        Callback::new(move |()| build()),
    )
}

fn screen(
    what: &'static str,
    watched: Watched,
    load: Callback<(), Download>,
    build: Callback<(), Option<AnyView>>,
) -> AnyView {
    let phase = RwSignal::new(Phase::Loading);
    let slow = RwSignal::new(false);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let clear_timer = move || {
        if let Some(Some(t)) = timer.try_update_value(Option::take) {
            t.clear();
        }
    };
    on_cleanup(clear_timer);
    let fetch = Callback::new(move |()| {
        clear_timer();
        slow.set(false);
        let mut download = load.run(());
        // Already loaded (or no split build): build at once, without a frame of "Opening…".
        match (&mut download).now_or_never() {
            Some(result) => phase.set(if result.is_ok() { Phase::Ready } else { Phase::Failed }),
            None => {
                phase.set(Phase::Loading);
                // A download that hangs (a stalled connection) must not leave "Opening…" alone.
                let handle = set_timeout_with_handle(
                    move || {
                        slow.try_set(true);
                    },
                    SLOW_AFTER,
                )
                .ok();
                timer.set_value(handle);
                spawn_local(async move {
                    let loaded = download.await.is_ok();
                    clear_timer();
                    slow.try_set(false);
                    phase.try_set(if loaded { Phase::Ready } else { Phase::Failed });
                });
            }
        }
    });
    if watched == Watched::Unattended {
        // Nobody will press Try again: do it on a timer, and as soon as the network is back.
        Effect::new(move |_| {
            if phase.get() == Phase::Failed {
                let handle = set_timeout_with_handle(
                    move || {
                        if phase.try_get_untracked() == Some(Phase::Failed) {
                            fetch.run(());
                        }
                    },
                    UNATTENDED_RETRY,
                )
                .ok();
                timer.set_value(handle);
            }
        });
        let online = window_event_listener_untyped("online", move |_| {
            if phase.try_get_untracked() == Some(Phase::Failed) {
                fetch.run(());
            }
        });
        on_cleanup(move || online.remove());
    }
    fetch.run(());
    (move || match phase.get() {
        Phase::Loading if slow.get() => view! {
            <div class="error-notice" role="status">
                <p>{format!("Still opening {what}: its part of the dashboard is slow to download. It opens by itself when it arrives.")}</p>
                <div class="actions">{reload_button()}</div>
            </div>
        }
        .into_any(),
        Phase::Loading => {
            view! { <p class="loading screen-loading" role="status">{format!("Opening {what}…")}</p> }.into_any()
        }
        Phase::Ready => untrack(|| build.run(())).unwrap_or_else(|| failed(what, watched, fetch)),
        Phase::Failed => failed(what, watched, fetch),
    })
    .into_any()
}

fn failed(what: &'static str, watched: Watched, retry: Callback<()>) -> AnyView {
    let next = match watched {
        Watched::ByAgent => "Nothing you typed is lost: drafts are kept on this device.".to_string(),
        Watched::Unattended => format!(
            "It tries again by itself every {} seconds, and as soon as the network is back.",
            UNATTENDED_RETRY.as_secs()
        ),
    };
    view! {
        <div class="error-notice" role="alert">
            <p>{format!("Could not open {what}: its part of the dashboard did not download. The network may be down, or the dashboard was updated since this page was loaded.")}</p>
            <p>{next}</p>
            <div class="actions">
                <button type="button" class="button" on:click=move |_| retry.run(())>"Try again"</button>
                {reload_button()}
            </div>
        </div>
    }
    .into_any()
}

fn reload_button() -> impl IntoView {
    view! {
        <button type="button" class="button ghost" on:click=move |_| { let _ = window().location().reload(); }>"Reload the dashboard"</button>
    }
}
