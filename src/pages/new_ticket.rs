//! A new ticket: title, description, queue, priority, status, type, assignee, form with its
//! custom fields (by type, with required flags), requester (an existing user or any e-mail), CC,
//! due date, "don't e-mail the requester", and files sent in the same request. The form is a
//! draft in local storage (`new`) from the first keystroke until the service confirms the ticket;
//! a create whose answer was lost is looked up before it is sent again.

use crate::api::upload::{FilePart, Progress};
use crate::components::custom_field::custom_input;
use crate::components::field_select::{FieldSelect, choices, error_of};
use crate::pages::ticket::editor::{focus_first_error, from_local_input, place_errors, to_local_input, usable_date};
use crate::pages::ticket::now_ms;
use crate::store::abilities;
use crate::store::drafts::{self, DraftWriter};
use crate::store::session::use_session;
use crate::ticket_model::{self as model, NewTicketDraft, Requester, TicketFields};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::form::{self, TicketForm};
use mojo_api::request::Page;
use mojo_api::search_field::FieldKind;
use mojo_api::ticket::{self, SortOrder, Ticket};
use mojo_api::user::{self, User};
use mojo_api::{Priority, Status};
use std::rc::Rc;

const DRAFT: &str = "new";

/// "Ann Lee <ann@x.example>": how a user appears in the requester suggestions.
fn user_entry(u: &User) -> String {
    match (&u.full_name, &u.email) {
        (Some(n), Some(e)) if !n.trim().is_empty() => format!("{} <{e}>", n.trim()),
        (_, Some(e)) => e.clone(),
        (Some(n), None) => n.clone(),
        _ => format!("User #{}", u.id),
    }
}

/// What the requester box means: nobody (the ticket is the agent's), a known user, or an e-mail.
fn read_requester(text: &str, users: &[User]) -> Requester {
    let t = text.trim();
    if t.is_empty() {
        return Requester::Me;
    }
    if let Some(u) =
        users.iter().find(|u| user_entry(u) == t || u.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(t)))
    {
        return Requester::User(u.id.to_string());
    }
    let email = t.rsplit_once('<').map(|(_, e)| e.trim_end_matches('>').trim()).unwrap_or(t);
    Requester::Email(email.to_string())
}

/// The new-ticket screen.
#[component]
pub fn NewTicketPage() -> impl IntoView {
    let session = use_session();
    let restored: Option<NewTicketDraft> = drafts::load(DRAFT);
    let had_draft = restored.is_some();
    let draft = RwSignal::new(restored.unwrap_or_else(|| NewTicketDraft {
        fields: TicketFields {
            priority_id: Priority::Normal.code().to_string(),
            status_id: Status::New.code().to_string(),
            ..Default::default()
        },
        ..Default::default()
    }));
    let writer = DraftWriter::new();
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let top_error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let progress = RwSignal::new(None::<f64>);
    let files = RwSignal::new_local(Vec::<web_sys::File>::new());
    let forms = RwSignal::new(Vec::<TicketForm>::new());
    let form = RwSignal::new(None::<TicketForm>);
    let users = RwSignal::new(Vec::<User>::new());
    let users_loaded = StoredValue::new(false);
    let edit = move |f: &dyn Fn(&mut NewTicketDraft)| {
        draft.update(|d| f(d));
        writer.write(DRAFT.to_string(), draft.get_untracked(), false);
    };
    // Forms are a manager's list; with an agent's key the default form is used.
    let load_form = move |id: Option<i64>| {
        let Some(client) = session.client_untracked() else { return };
        let Some(id) = id else {
            form.set(None);
            return;
        };
        spawn_local(async move {
            form.try_set(client.send(&form::show(id)).await.ok());
        });
    };
    if let Some(client) = session.client_untracked().filter(|_| abilities::manager_reads() != Some(false)) {
        spawn_local(async move {
            let answer = client.send(&form::list()).await;
            abilities::learn(&answer);
            if let Ok(list) = answer {
                let list: Vec<TicketForm> = list.into_iter().filter(|f| f.is_enabled != Some(false)).collect();
                // `try_`: the form may have been left while the list was on its way.
                let Some(chosen) = draft.try_with_untracked(|d| d.ticket_form_id.parse::<i64>().ok()) else { return };
                let default = list.iter().find(|f| f.is_default == Some(true)).or(list.first()).map(|f| f.id);
                forms.try_set(list);
                load_form(chosen.or(default));
            }
        });
    }
    let load_users = move || {
        if users_loaded.get_value() {
            return;
        }
        users_loaded.set_value(true);
        let Some(client) = session.client_untracked() else { return };
        spawn_local(async move {
            if let Ok(list) = client.fetch_all_pages(100, 100, user::list).await {
                users.try_set(list);
            }
        });
    };
    let defs = Memo::new(move |_| {
        let values = draft.with(|d| d.fields.custom.clone());
        form.with(|f| model::custom_defs(&[], f.as_ref(), &values))
    });
    let doubt = RwSignal::new(None::<(i64, Option<mojo_api::Timestamp>)>);
    // `check`: look for a lost earlier create first (unless the agent just said it was not theirs).
    let create_with = move |check: bool| {
        if sending.get_untracked() {
            return;
        }
        doubt.set(None);
        let mut d = draft.get_untracked();
        d.requester = users.with_untracked(|u| read_requester(&d.requester_text, u));
        if let Some(f) = form.get_untracked() {
            d.ticket_form_id = f.id.to_string();
        }
        let mut problems = model::validate_new(&d, &defs.get_untracked());
        let sizes: Vec<u64> = files.with_untracked(|f| f.iter().map(|f| f.size() as u64).collect());
        if let Some(p) = model::request_problem(&sizes) {
            problems.push(("files".into(), p));
        }
        if !problems.is_empty() {
            focus_first_error(".new-ticket", &problems);
            errors.set(problems);
            top_error.set(Some("Some fields need attention.".into()));
            return;
        }
        let Some(client) = session.client_untracked() else { return };
        errors.set(Vec::new());
        top_error.set(None);
        sending.set(true);
        spawn_local(async move {
            // The last create lost its answer: is the ticket there already? A ticket says who asked,
            // not who created it, so a match is only ever a question for the agent.
            if let Some(sent) = d.sent_at.filter(|_| check) {
                let recent =
                    client.send(&ticket::list(Page::new(1, 30), Some("created_on"), Some(SortOrder::Desc))).await;
                match recent {
                    Ok(list) => {
                        let title = d.fields.title.trim().to_string();
                        let rows: Vec<(i64, String, Option<mojo_api::Timestamp>)> = list
                            .iter()
                            .map(|t: &Ticket| (t.id, t.title.clone().unwrap_or_default(), t.created_on))
                            .collect();
                        let found = model::already_posted(
                            rows.iter().map(|(i, t, c)| (*i, t.as_str(), *c, None)),
                            &title,
                            sent,
                            None,
                        );
                        if let Some(model::Posted::Mine(found) | model::Posted::Maybe(found)) = found {
                            let at = rows.iter().find(|r| r.0 == found).and_then(|r| r.2);
                            doubt.try_set(Some((found, at)));
                            sending.try_set(false);
                            return;
                        }
                    }
                    Err(e) => {
                        top_error
                            .try_set(Some(format!("Not created: {} Everything you typed is kept.", e.user_message())));
                        sending.try_set(false);
                        return;
                    }
                }
            }
            d.sent_at = Some(now_ms());
            writer.cancel();
            let _ = drafts::save(DRAFT, &d);
            let input = d.to_input();
            let picked = files.try_get_untracked().unwrap_or_default();
            let result = if picked.is_empty() {
                client.send(&ticket::create(&input)).await
            } else {
                let parts: Vec<FilePart> = picked
                    .iter()
                    .enumerate()
                    .map(|(i, f)| FilePart { field: ticket::attachment_field(i), file: f.clone() })
                    .collect();
                progress.set(Some(0.0));
                let report: Progress = Rc::new(move |sent, total| {
                    if total > 0.0 {
                        progress.try_set(Some(sent / total));
                    }
                });
                client.send_with_files(&ticket::create_form(&input), &parts, report).await
            };
            sending.try_set(false);
            progress.try_set(None);
            match result {
                Ok(t) => {
                    drafts::clear(DRAFT);
                    files.try_set(Vec::new());
                    crate::route::navigate(&crate::route::ticket_href(t.id));
                }
                Err(e) if e.accepted_unreadable() => {
                    // The helpdesk said yes; only its answer was garbled. The draft stays (with
                    // its send time) so that pressing Create again looks for the ticket first.
                    let _ = drafts::save(DRAFT, &d);
                    draft.try_set(d);
                    top_error.try_set(Some("The helpdesk accepted the ticket, but its answer could not be read. Look on the board, or press Create again: it will look for the ticket before creating another.".into()));
                }
                Err(e) => {
                    if e.status.is_some_and(|s| s < 500) {
                        d.sent_at = None;
                    }
                    let _ = drafts::save(DRAFT, &d);
                    draft.try_set(d);
                    let mut labels = model::service_labels();
                    labels.extend(defs.try_get_untracked().unwrap_or_default().into_iter().map(|d| (d.key, d.label)));
                    let (placed, rest) = place_errors(&e, &labels);
                    focus_first_error(".new-ticket", &placed);
                    errors.try_set(placed);
                    top_error.try_set(Some(format!(
                        "Not created: {} Everything you typed is kept.",
                        rest.unwrap_or_else(|| "the helpdesk refused some fields (marked below).".into())
                    )));
                }
            }
        });
    };
    let create = move || create_with(true);
    let discard = move || {
        let sure =
            web_sys::window().and_then(|w| w.confirm_with_message("Discard this new ticket?").ok()).unwrap_or(false);
        if sure {
            writer.cancel();
            drafts::clear(DRAFT);
            crate::route::navigate("#/");
        }
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            create();
        }
    };
    let add_files = move |list: Option<web_sys::FileList>| {
        let Some(list) = list else { return };
        let mut refused = Vec::new();
        for f in (0..list.length()).filter_map(|i| list.get(i)) {
            match model::upload_problem(&f.name(), f.size() as u64) {
                Some(p) => refused.push(p),
                None => files.update(|v| v.push(f)),
            }
        }
        errors.update(|e| {
            e.retain(|(f, _)| f != "files");
            if !refused.is_empty() {
                e.push(("files".into(), refused.join(" ")));
            }
        });
    };
    let select = move |field: &'static str,
                       label: &'static str,
                       options: Signal<Vec<(String, String)>>,
                       get: fn(&TicketFields) -> String,
                       set: fn(&mut TicketFields, String)| {
        view! {
            <FieldSelect name=field label=label options=options
                value=Signal::derive(move || draft.with(|d| get(&d.fields)))
                error=Signal::derive(error_of(errors, field))
                on_change=Callback::new(move |v: String| edit(&|d| set(&mut d.fields, v.clone()))) />
        }
    };
    let queue_opts = choices(FieldKind::Queue, Some("Choose a queue…"));
    let type_opts = choices(FieldKind::TicketType, Some("None"));
    let agent_opts = choices(FieldKind::Agent, Some("Unassigned"));
    let status_opts = choices(FieldKind::Status, None);
    let priority_opts = choices(FieldKind::Priority, None);
    view! {
        <div class="new-ticket-page">
            <p class="breadcrumb"><a href="#/">"← Board"</a></p>
            <form class="ticket-detail new-ticket" novalidate aria-labelledby="new-title" on:keydown=on_keydown
                on:submit=move |ev| { ev.prevent_default(); create(); }>
                <h1 id="new-title">"New ticket"</h1>
                {had_draft.then(|| view! { <p class="draft-note" role="status">"Your unfinished ticket was restored."</p> })}
                {move || top_error.get().map(|e| view! { <div class="error-notice" role="alert">{e}</div> })}
                {move || doubt.get().map(|(found, at)| view! {
                    <div class="doubt" role="alertdialog" aria-labelledby="new-doubt">
                        <p id="new-doubt">{format!(
                            "Your last Create lost its answer, and ticket #{found} with this title was created at {}. Is it the one you sent?",
                            crate::pages::ticket::when(at)
                        )}</p>
                        <div class="actions">
                            <button type="button" class="button small primary" on:click=move |_| {
                                writer.cancel();
                                drafts::clear(DRAFT);
                                crate::route::navigate(&crate::route::ticket_href(found));
                            }>{format!("Yes: open #{found}")}</button>
                            <button type="button" class="button small" on:click=move |_| create_with(false)>"No, create mine"</button>
                        </div>
                    </div>
                })}
                {move || writer.error.get().map(|e| view! { <div class="error-notice" role="alert">{format!("Draft not kept: {e}")}</div> })}
                <fieldset class="plain-fieldset" prop:disabled=move || sending.get()>
                <label class="field" class:has-error=move || error_of(errors, "title")().is_some()>
                    <span>"Title *"</span>
                    <input type="text" name="title" required maxlength="255" autofocus prop:value=move || draft.with(|d| d.fields.title.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(&|d| d.fields.title = v.clone()) } />
                    <small class="field-error">{error_of(errors, "title")}</small>
                </label>
                <div class="editor-grid">
                    {select("ticket_queue_id", "Queue *", queue_opts, |f| f.ticket_queue_id.clone(), |f, v| f.ticket_queue_id = v)}
                    {select("priority_id", "Priority", priority_opts, |f| f.priority_id.clone(), |f, v| f.priority_id = v)}
                    {select("status_id", "Status", status_opts, |f| f.status_id.clone(), |f, v| f.status_id = v)}
                    {select("ticket_type_id", "Type", type_opts, |f| f.ticket_type_id.clone(), |f, v| f.ticket_type_id = v)}
                    {select("assigned_to_id", "Assignee", agent_opts, |f| f.assigned_to_id.clone(), |f, v| f.assigned_to_id = v)}
                    <label class="field" class:has-error=move || error_of(errors, "user_email")().is_some() || error_of(errors, "user_id")().is_some()>
                        <span>"Requester"</span>
                        <input type="text" name="requester" list="requester-users" autocomplete="off" placeholder="Name or e-mail; empty: you"
                            prop:value=move || draft.with(|d| d.requester_text.clone()) on:focus=move |_| load_users()
                            on:input=move |ev| { let v = event_target_value(&ev); edit(&|d| d.requester_text = v.clone()) } />
                        <datalist id="requester-users">
                            {move || users.get().iter().map(|u| view! { <option value=user_entry(u)></option> }).collect_view()}
                        </datalist>
                        <small class="muted">"A new e-mail address creates the user."</small>
                        <small class="field-error">{error_of(errors, "user_email")}{error_of(errors, "user_id")}</small>
                    </label>
                    <label class="field" class:has-error=move || error_of(errors, "cc")().is_some()>
                        <span>"CC"</span>
                        <input type="text" name="cc" placeholder="name@example.com, …" prop:value=move || draft.with(|d| d.fields.cc.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); edit(&|d| d.fields.cc = v.clone()) } />
                        <small class="field-error">{error_of(errors, "cc")}</small>
                    </label>
                    <label class="field" class:has-error=move || error_of(errors, "due_on")().is_some()>
                        <span>"Due"</span>
                        <input type="datetime-local" name="due_on" prop:value=move || to_local_input(draft.with(|d| d.fields.due_on))
                            on:change=move |ev| {
                                let text = event_target_value(&ev);
                                let v = from_local_input(&text).filter(|t| usable_date(*t));
                                errors.update(|e| {
                                    e.retain(|(f, _)| f != "due_on");
                                    if v.is_none() && !text.trim().is_empty() {
                                        e.push(("due_on".into(), "Not a date this helpdesk can keep (years 1970 to 2999).".into()));
                                    }
                                });
                                edit(&|d| d.fields.due_on = v)
                            } />
                        <small class="field-error">{error_of(errors, "due_on")}</small>
                    </label>
                    <Show when=move || forms.with(|f| f.len() > 1)>
                        <label class="field">
                            <span>"Form"</span>
                            <select name="ticket_form_id" on:change=move |ev| {
                                let v = event_target_value(&ev);
                                edit(&|d| d.ticket_form_id = v.clone());
                                load_form(v.parse().ok());
                            }>
                                {move || forms.get().into_iter().map(|f| {
                                    let selected = form.with(|x| x.as_ref().map(|x| x.id)) == Some(f.id);
                                    view! { <option value=f.id.to_string() selected=selected>{f.name.clone().unwrap_or_else(|| format!("Form #{}", f.id))}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    </Show>
                </div>
                // The required queue sits in the grid above, not below a tall text box.
                <label class="field" class:has-error=move || error_of(errors, "description")().is_some()>
                    <span>"Description"</span>
                    <textarea name="description" rows="7" prop:value=move || draft.with(|d| d.fields.description.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(&|d| d.fields.description = v.clone()) }></textarea>
                    <small class="field-error">{error_of(errors, "description")}</small>
                </label>
                <Show when=move || !defs.with(Vec::is_empty)>
                    <h2>"Custom fields"</h2>
                    <div class="editor-grid">
                        <For each=move || defs.get() key=|d| d.key.clone() let:def>
                            {custom_input(def, Signal::derive(move || draft.with(|d| d.fields.custom.clone())), errors,
                                Callback::new(move |(k, v): (String, String)| edit(&|d| { d.fields.custom.insert(k.clone(), v.clone()); })))}
                        </For>
                    </div>
                </Show>
                <div class="field">
                    <span>"Files"</span>
                    <input type="file" multiple name="files" on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        add_files(input.files());
                        input.set_value("");
                    } />
                    <ul class="picked-files">
                        {move || files.get().into_iter().enumerate().map(|(i, f)| view! {
                            <li>{format!("{} ({})", f.name(), model::human_size(f.size() as u64))}" "
                                <button type="button" class="link-button" aria-label=format!("Remove {}", f.name())
                                    on:click=move |_| files.update(|v| { if i < v.len() { v.remove(i); } })>"Remove"</button></li>
                        }).collect_view()}
                    </ul>
                    <small class="muted">{format!("Up to {} each; sent with the ticket in one request. Files are not kept in the draft: pick them again after a reload.", model::human_size(mojo_api::attachment::MAX_FILE_BYTES))}</small>
                    <small class="field-error" role="alert">{error_of(errors, "files")}</small>
                </div>
                <label class="field inline">
                    <input type="checkbox" prop:checked=move || draft.with(|d| d.suppress) on:change=move |ev| { let v = event_target_checked(&ev); edit(&|d| d.suppress = v) } />
                    <span>"Don't e-mail the requester about this ticket"</span>
                </label>
                </fieldset>
                {move || progress.get().map(|p| view! { <progress class="create-progress" max="100" value=(p * 100.0).round() aria-label="Sending files"></progress> })}
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || sending.get() aria-keyshortcuts="Control+Enter Meta+Enter">
                        {move || if sending.get() { "Creating…" } else { "Create ticket (Ctrl+Enter)" }}
                    </button>
                    <button type="button" class="button ghost" on:click=move |_| discard()>"Discard"</button>
                    <span class="muted">"Draft kept on this device as you type."</span>
                </div>
            </form>
        </div>
    }
}
