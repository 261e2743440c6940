//! The ticket workspace: the ticket with every field by name, an editor for all of them, one
//! merged timeline of comments, staff notes and events with a composer, tags, tasks and files.
//! Every panel writes its drafts to local storage as the agent types; refreshing the ticket after
//! a change never touches an open editor (each keeps its own copy until it is saved).

mod attachments;
mod delete;
pub mod editor;
mod fields;
mod tags;
mod tasks;
mod timeline;

use crate::components::error_notice::ErrorNotice;
use crate::components::safe_html::SafeHtml;
use crate::store::abilities;
use crate::store::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::event::{self, Event};
use mojo_api::form::{self, TicketForm};
use mojo_api::ticket::{self, Ticket};
use mojo_api::{ApiError, Timestamp};

/// A time in the agent's locale, "—" for none.
pub fn when(t: Option<Timestamp>) -> String {
    t.map(|t| {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.millis() as f64));
        String::from(d.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
    })
    .unwrap_or_else(|| "—".into())
}

/// Now, by this browser's clock, in epoch milliseconds.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The full ticket and, when this key may read it, its event log (both at once).
async fn load_ticket(client: &crate::api::Client, id: i64) -> (Result<Ticket, ApiError>, Result<Vec<Event>, ApiError>) {
    let show = ticket::show(id);
    if abilities::manager_reads() == Some(false) {
        return (client.send(&show).await, Ok(Vec::new()));
    }
    let log = event::for_ticket(id);
    let (t, e) = futures::join!(client.send(&show), client.send(&log));
    abilities::learn(&e);
    (t, e)
}

/// The state every panel of one ticket shares (context).
#[derive(Clone, Copy)]
pub struct Workspace {
    /// The ticket id.
    pub id: i64,
    /// The connection.
    pub session: crate::store::session::Session,
    /// The ticket as last loaded.
    pub ticket: RwSignal<Option<Ticket>>,
    /// Its event log (empty when the key may not read it).
    pub events: RwSignal<Vec<Event>>,
    /// Its form with field definitions, when this key may read forms (managers).
    pub form: RwSignal<Option<TicketForm>>,
    /// The field editor is open.
    pub editing: RwSignal<bool>,
    /// The field the editor should focus when it opens.
    pub focus_field: RwSignal<Option<String>>,
    /// The last page-level message: `(is_error, text)`, announced politely.
    pub notice: RwSignal<Option<(bool, String)>>,
    /// A refresh failed: shown beside the data it could not update.
    pub refresh_error: RwSignal<Option<ApiError>>,
    /// (a reload is running, another was asked for meanwhile).
    refreshing: StoredValue<(bool, bool)>,
}

impl Workspace {
    /// Reloads the ticket and its events; what is on screen stays until the answer arrives. Calls
    /// while a reload runs (forty uploads finishing) make one more reload after it, not forty.
    pub fn refresh(&self) {
        let ws = *self;
        if ws.refreshing.get_value().0 {
            ws.refreshing.set_value((true, true));
            return;
        }
        let Some(client) = self.session.client_untracked() else { return };
        ws.refreshing.set_value((true, false));
        spawn_local(async move {
            loop {
                let (t, e) = load_ticket(&client, ws.id).await;
                match t {
                    Ok(t) => {
                        ws.ticket.try_set(Some(t));
                        ws.refresh_error.try_set(None);
                    }
                    Err(e) => {
                        ws.refresh_error.try_set(Some(e));
                    }
                }
                if let Ok(e) = e {
                    ws.events.try_set(e);
                }
                match ws.refreshing.try_get_value() {
                    Some((_, true)) => ws.refreshing.set_value((true, false)),
                    Some(_) => {
                        ws.refreshing.set_value((false, false));
                        break;
                    }
                    None => break,
                }
            }
        });
    }

    /// Says something in the page's live region.
    pub fn say(&self, error: bool, text: impl Into<String>) {
        self.notice.set(Some((error, text.into())));
    }
}

/// The workspace of the ticket on screen.
pub fn use_workspace() -> Workspace {
    expect_context::<Workspace>()
}

/// The ticket screen.
#[component]
pub fn TicketPage(
    /// Ticket id from the URL.
    id: i64,
) -> impl IntoView {
    let session = use_session();
    let ws = Workspace {
        id,
        session,
        ticket: RwSignal::new(None),
        events: RwSignal::new(Vec::new()),
        form: RwSignal::new(None),
        editing: RwSignal::new(false),
        focus_field: RwSignal::new(None),
        notice: RwSignal::new(None),
        refresh_error: RwSignal::new(None),
        refreshing: StoredValue::new((false, false)),
    };
    provide_context(ws);
    let first_error = RwSignal::new(None::<ApiError>);
    let load = move || {
        let Some(client) = session.client_untracked() else {
            return;
        };
        first_error.set(None);
        spawn_local(async move {
            let (t, e) = load_ticket(&client, id).await;
            match t {
                Ok(t) => {
                    let form_id = t.ticket_form_id;
                    ws.ticket.try_set(Some(t));
                    if let Ok(e) = e {
                        ws.events.try_set(e);
                    }
                    // Forms are for managers; an agent's key is refused and the editor makes do
                    // with the ticket's own custom-field types.
                    let form = match form_id {
                        Some(f) if abilities::manager_reads() != Some(false) => {
                            let answer = client.send(&form::show(f)).await;
                            abilities::learn(&answer);
                            answer.ok()
                        }
                        _ => None,
                    };
                    ws.form.try_set(form);
                }
                Err(e) => {
                    first_error.try_set(Some(e));
                }
            }
        });
    };
    load();
    // Only the arrival of the first answer changes the screen; later refreshes flow into the
    // panels without rebuilding them (an open editor, an upload list, a composer stay as they are).
    let loaded = Memo::new(move |_| ws.ticket.with(Option::is_some));
    view! {
        <div class="ticket-page">
            <p class="breadcrumb"><a href="#/">"← Board"</a></p>
            {move || match (loaded.get(), first_error.get()) {
                (false, None) => view! { <p class="page-loading" aria-live="polite">{format!("Loading ticket #{id}…")}</p> }.into_any(),
                (false, Some(e)) => view! { <ErrorNotice error=e context=format!("Loading ticket #{id}") on_retry=Callback::new(move |_| load()) /> }.into_any(),
                (true, _) => view! { <TicketWorkspace /> }.into_any(),
            }}
        </div>
    }
}

/// The loaded ticket: head, description or editor, timeline, and the side panels.
#[component]
fn TicketWorkspace() -> impl IntoView {
    let ws = use_workspace();
    let title = Memo::new(move |_| {
        ws.ticket
            .with(|t| t.as_ref().map(|t| crate::ticket_model::visible_text(&t.display_title())).unwrap_or_default())
    });
    let status =
        Memo::new(move |_| ws.ticket.with(|t| t.as_ref().map(Ticket::status).unwrap_or(mojo_api::Status::New)));
    let priority =
        Memo::new(move |_| ws.ticket.with(|t| t.as_ref().map(Ticket::priority).unwrap_or(mojo_api::Priority::Normal)));
    let description =
        Signal::derive(move || ws.ticket.with(|t| t.as_ref().and_then(|t| t.description.clone()).unwrap_or_default()));
    let delete_open = RwSignal::new(false);
    // An edit left unsaved (reload, crash, sign-out) opens again as it was.
    if crate::store::drafts::load::<crate::ticket_model::EditDraft>(&editor::draft_name(ws.id))
        .is_some_and(|d| d.has_changes())
    {
        ws.editing.set(true);
    }
    // Keyboard: e edits the fields, c writes a comment (both outside text fields).
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || crate::app::in_text_field(&ev)
            || delete_open.get_untracked()
        {
            return;
        }
        match ev.key().as_str() {
            "e" if !ws.editing.get_untracked() => {
                ev.prevent_default();
                ws.editing.set(true);
            }
            "c" => {
                ev.prevent_default();
                timeline::focus_composer();
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());
    view! {
        <article class="ticket-detail">
            <header class="ticket-head">
                <span class="ticket-id">{format!("#{}", ws.id)}</span>
                <h1 title=move || title.get()>{move || title.get()}</h1>
                <span class=move || format!("status-pill status-{}", status.get().slug())>{move || status.get().label()}</span>
                <span class=move || format!("priority-badge priority-{}", priority.get().slug())>{move || priority.get().label()}</span>
                <div class="head-actions">
                    <button type="button" class="button small" aria-keyshortcuts="E" disabled=move || ws.editing.get()
                        on:click=move |_| ws.editing.set(true)>"Edit"</button>
                    <button type="button" class="button small danger-outline" on:click=move |_| delete_open.set(true)>"Delete…"</button>
                </div>
            </header>
            <p class="sr-only" role="status" aria-live="polite">{move || ws.notice.get().filter(|(e, _)| !e).map(|(_, t)| t)}</p>
            {move || ws.notice.get().filter(|(e, _)| *e).map(|(_, text)| view! {
                <div class="error-notice" role="alert">{text}" "
                    <button type="button" class="link-button" on:click=move |_| ws.notice.set(None)>"Dismiss"</button>
                </div>
            })}
            {move || ws.refresh_error.get().map(|e| view! {
                <ErrorNotice error=e context="Refreshing the ticket" on_retry=Callback::new(move |_| ws.refresh()) />
            })}
            <div class="ticket-body">
                <section class="ticket-main">
                    <Show when=move || ws.editing.get() fallback=move || view! {
                        <h2>"Description"</h2>
                        <Show when=move || !description.with(|d| d.trim().is_empty()) fallback=|| view! { <p class="muted">"No description."</p> }>
                            <SafeHtml text=description />
                        </Show>
                    }>
                        <editor::TicketEditor />
                    </Show>
                    <timeline::Timeline />
                </section>
                <aside class="ticket-side" aria-label="Ticket details">
                    <fields::FieldList />
                    <tags::TagEditor />
                    <tasks::TaskList />
                    <attachments::AttachmentPanel />
                </aside>
            </div>
            <delete::DeleteDialog open=delete_open />
        </article>
    }
}
