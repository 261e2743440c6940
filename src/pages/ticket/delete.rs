//! Deleting a ticket: a dialog that names the ticket and says it cannot be undone.

use super::use_workspace;
use crate::components::focus::keep_tab_within;
use crate::store::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::ticket;

/// The confirmation dialog; `open` shows it.
#[component]
pub fn DeleteDialog(
    /// Shown while true.
    open: RwSignal<bool>,
) -> impl IntoView {
    let ws = use_workspace();
    let session = use_session();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let title = Memo::new(move |_| {
        ws.ticket
            .with(|t| t.as_ref().map(|t| crate::ticket_model::visible_text(&t.display_title())).unwrap_or_default())
    });
    let confirm = move || {
        let Some(client) = session.client_untracked() else { return };
        busy.set(true);
        error.set(None);
        let id = ws.id;
        spawn_local(async move {
            match client.send(&ticket::delete(id)).await {
                Ok(()) => {
                    for name in [format!("edit.{id}"), format!("comment.{id}")] {
                        crate::store::drafts::clear(&name);
                    }
                    open.try_set(false);
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_hash(&format!("/?deleted={id}"));
                    }
                }
                Err(e) => {
                    error.try_set(Some(format!("Ticket #{id} was not deleted: {}", e.user_message())));
                }
            }
            busy.try_set(false);
        });
    };
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if open.get()
            && let Some(b) = cancel_ref.get()
        {
            let _ = b.focus();
        }
    });
    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop" on:keydown=move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
                "Escape" => open.set(false),
                // The dialog keeps the keyboard: Tab goes round its buttons.
                "Tab" => {
                    if let Some(modal) = document().query_selector(".modal").ok().flatten() {
                        keep_tab_within(&modal, &ev);
                    }
                }
                _ => {}
            }>
                <div class="modal" role="alertdialog" aria-modal="true" aria-labelledby="delete-title" aria-describedby="delete-text">
                    <h2 id="delete-title">{move || format!("Delete ticket #{}?", ws.id)}</h2>
                    <p id="delete-text">
                        "\u{201c}"<strong>{move || title.get()}</strong>"\u{201d} "
                        "will be deleted with its comments, staff notes, tasks and files. This cannot be undone here."
                    </p>
                    {move || error.get().map(|e| view! { <div class="error-notice" role="alert">{e}</div> })}
                    <div class="actions">
                        <button type="button" class="button danger-solid" disabled=move || busy.get() on:click=move |_| confirm()>
                            {move || if busy.get() { "Deleting…".to_string() } else { format!("Delete ticket #{}", ws.id) }}
                        </button>
                        <button type="button" class="button ghost" node_ref=cancel_ref on:click=move |_| open.set(false)>"Cancel"</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
