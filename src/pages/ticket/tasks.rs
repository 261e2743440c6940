//! The ticket's tasks: add, tick off (and back), edit notes, delete. The service refuses to close
//! a ticket while tasks are open, so this list is where that gets fixed.

use super::{Workspace, use_workspace};
use crate::api::Client;
use crate::ticket_model::visible_text;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::ApiError;
use mojo_api::task::{self, Task, TaskInput};

/// Tasks panel.
#[component]
pub fn TaskList() -> impl IntoView {
    let ws = use_workspace();
    let new_title = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let tasks = Memo::new(move |_| ws.ticket.with(|t| t.as_ref().map(|t| t.tasks.clone()).unwrap_or_default()));
    let add = move || {
        let title = new_title.get_untracked().trim().to_string();
        if title.is_empty() {
            return;
        }
        let id = ws.id;
        let input = TaskInput { title: Some(title.clone()), ..Default::default() };
        new_title.set(String::new());
        let back = title.clone();
        run_change_then(
            ws,
            busy,
            error,
            format!("Task \u{201c}{}\u{201d} added", visible_text(&title)),
            Box::new(move |c| Box::pin(async move { c.send(&task::create(id, &input)).await.map(|_| ()) })),
            Box::new(move || {
                new_title.try_set(back);
            }),
        );
    };
    let open_count = move || tasks.with(|t| t.iter().filter(|t| t.is_completed != Some(true)).count());
    view! {
        <section class="side-panel tasks-panel" aria-labelledby="tasks-heading">
            <h2 id="tasks-heading">{move || {
                let n = tasks.with(Vec::len);
                if n == 0 { "Tasks".to_string() } else { format!("Tasks ({} of {n} open)", open_count()) }
            }}</h2>
            <ul class="task-list">
                <For each=move || tasks.get() key=|t| (t.id, t.is_completed, t.notes.clone(), t.title.clone()) let:t>
                    <TaskRow task=t busy=busy error=error />
                </For>
            </ul>
            <form class="task-add" on:submit=move |ev| { ev.prevent_default(); add(); }>
                <input type="text" aria-label="New task" placeholder="Add a task…" maxlength="255" prop:value=move || new_title.get()
                    on:input=move |ev| new_title.set(event_target_value(&ev)) />
                <button type="submit" class="button small" disabled=move || busy.get() || new_title.with(|t| t.trim().is_empty())>"Add"</button>
            </form>
            {move || error.get().map(|e| view! { <div class="error-notice" role="alert">{e}</div> })}
        </section>
    }
}

/// One call on a task, given the client.
type Call = Box<dyn FnOnce(Client) -> LocalBoxFuture<'static, Result<(), ApiError>>>;

/// Runs one change, then reads the list back (positions and completion as the service has them).
fn run_change(ws: Workspace, busy: RwSignal<bool>, error: RwSignal<Option<String>>, what: String, call: Call) {
    run_change_then(ws, busy, error, what, call, Box::new(|| ()));
}

/// [`run_change`] with something to do when the change fails (put the typed title back).
fn run_change_then(
    ws: Workspace,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    what: String,
    call: Call,
    on_failure: Box<dyn FnOnce()>,
) {
    let Some(client) = ws.session.client_untracked() else { return };
    busy.set(true);
    error.set(None);
    spawn_local(async move {
        match call(client.clone()).await {
            Ok(()) => {
                ws.say(false, what);
                if let Ok(list) = client.send(&task::list(ws.id)).await {
                    ws.ticket.update(|t| {
                        if let Some(t) = t {
                            t.tasks = list;
                        }
                    });
                }
            }
            Err(e) => {
                error.try_set(Some(format!("{what} failed: {}", e.user_message())));
                on_failure();
            }
        }
        busy.try_set(false);
    });
}

#[component]
fn TaskRow(task: Task, busy: RwSignal<bool>, error: RwSignal<Option<String>>) -> impl IntoView {
    let ws = use_workspace();
    let change = move |what: String, call: Call| run_change(ws, busy, error, what, call);
    let ticket_id = task.ticket_id.unwrap_or_default();
    let id = task.id;
    let title = visible_text(&task.title.clone().unwrap_or_default());
    let done = task.is_completed == Some(true);
    let notes = RwSignal::new(task.notes.clone().unwrap_or_default());
    let editing = RwSignal::new(false);
    let confirm = RwSignal::new(false);
    let tid = if ticket_id > 0 { ticket_id } else { ws.id };
    let t1 = title.clone();
    let toggle = move |_| {
        let input = TaskInput { is_completed: Some(!done), ..Default::default() };
        let what = if done {
            format!("Task \u{201c}{t1}\u{201d} reopened")
        } else {
            format!("Task \u{201c}{t1}\u{201d} done")
        };
        change(
            what,
            Box::new(move |c| Box::pin(async move { c.send(&task::update(tid, id, &input)).await.map(|_| ()) })),
        );
    };
    let t2 = StoredValue::new(title.clone());
    let save_notes = move || {
        let input = TaskInput { notes: Some(notes.get_untracked()), ..Default::default() };
        editing.set(false);
        change(
            format!("Notes of \u{201c}{}\u{201d} saved", t2.get_value()),
            Box::new(move |c| Box::pin(async move { c.send(&task::update(tid, id, &input)).await.map(|_| ()) })),
        );
    };
    let t3 = title.clone();
    let delete = move |_| {
        if !confirm.get_untracked() {
            confirm.set(true);
            return;
        }
        change(
            format!("Task \u{201c}{t3}\u{201d} deleted"),
            Box::new(move |c| Box::pin(async move { c.send(&task::delete(tid, id)).await })),
        );
    };
    let shown_notes = task.notes.clone().filter(|n| !n.trim().is_empty());
    view! {
        <li class="task" class:done=done data-task-id=id>
            <label class="task-title">
                <input type="checkbox" checked=done disabled=move || busy.get() on:change=toggle />
                <span>{title.clone()}</span>
            </label>
            <div class="task-actions">
                <button type="button" class="link-button" aria-label=format!("Edit notes of {title}") on:click=move |_| editing.set(!editing.get_untracked())>"Notes"</button>
                <button type="button" class="link-button danger" aria-label=move || if confirm.get() { format!("Really delete task {}", title) } else { format!("Delete task {}", title) }
                    on:blur=move |_| confirm.set(false) on:click=delete>{move || if confirm.get() { "Really delete?" } else { "Delete" }}</button>
            </div>
            <Show when=move || editing.get() fallback=move || shown_notes.clone().map(|n| view! { <p class="task-notes">{n}</p> })>
                <form class="task-notes-form" on:submit=move |ev| { ev.prevent_default(); save_notes(); }>
                    <textarea rows="2" aria-label="Task notes" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                    <button type="submit" class="button small">"Save notes"</button>
                </form>
            </Show>
        </li>
    }
}
