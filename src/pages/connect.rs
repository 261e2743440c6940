//! Connect: the helpdesk address and the access key. Saved only after a call with them worked.

use crate::api::{Client, credentials, normalise_base_url};
use crate::store::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::request::Page;

/// The connect screen.
#[component]
pub fn ConnectPage() -> impl IntoView {
    let session = use_session();
    let origin = window().location().origin().unwrap_or_default();
    let base = RwSignal::new(credentials::saved_base().unwrap_or(origin));
    let key = NodeRef::<leptos::html::Input>::new();
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(key_input) = key.get_untracked() else {
            return;
        };
        let key_value = key_input.value().trim().to_string();
        let base_value = match normalise_base_url(&base.get_untracked()) {
            Ok(b) => b,
            Err(m) => {
                message.set(Some(m));
                return;
            }
        };
        if key_value.is_empty() {
            message.set(Some("Enter your access key. You find it in Mojo Helpdesk under your profile.".into()));
            return;
        }
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            let client = Client::new(&base_value, &key_value);
            // One ticket is enough to prove the address is the API and the key may read tickets.
            match client.send(&mojo_api::ticket::list(Page::new(1, 1), None, None)).await {
                Ok(_) => {
                    if let Err(m) = session.sign_in(client, &key_value) {
                        message.set(Some(m));
                    } else {
                        key_input.set_value("");
                    }
                }
                Err(e) if e.kind == mojo_api::ErrorKind::Unauthorized => message.set(Some(
                    "The access key was refused. Check that you copied the whole key from your Mojo Helpdesk profile and that it has not expired or been revoked.".into(),
                )),
                Err(e) => message.set(Some(e.user_message())),
            }
            busy.set(false);
        });
    };

    view! {
        <main class="connect-page">
            <form class="connect-card" on:submit=submit aria-labelledby="connect-title" novalidate>
                <h1 id="connect-title">"Connect to your helpdesk"</h1>
                <p class="muted">"Mojo Dashboard talks to the Mojo Helpdesk API v2 straight from this browser."</p>
                <label class="field">
                    <span>"Helpdesk address"</span>
                    <input type="url" name="base" autocomplete="url" required
                        prop:value=move || base.get()
                        on:input=move |ev| base.set(event_target_value(&ev)) />
                    <small class="muted">"For example https://app.mojohelpdesk.com, or this page's address for the bundled stand-in."</small>
                </label>
                <label class="field">
                    <span>"Access key"</span>
                    <input type="password" name="access_key" node_ref=key autocomplete="off" spellcheck="false" required />
                    <small class="muted">"In Mojo Helpdesk: your profile page, API access key. It stays in this browser only."</small>
                </label>
                {move || message.get().map(|m| view! { <p class="error-notice" role="alert">{m}</p> })}
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Checking…" } else { "Connect" }}
                </button>
            </form>
        </main>
    }
}
