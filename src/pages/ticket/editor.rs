//! The field editor: every field of the ticket in one form. It keeps its own copy of the fields
//! (written to the draft `edit.<id>` as the agent types), so a refresh never touches it. Saving
//! re-reads the ticket first: if someone else saved meanwhile, the agent sees what changed and
//! chooses; nothing is overwritten silently, and only the fields the agent changed are sent.

use super::{use_workspace, when};
use crate::components::custom_field::custom_input;
use crate::components::field_select::{FieldSelect, choices, error_of};
use crate::search_model::ValueNames;
use crate::store::drafts::{self, DraftWriter};
use crate::store::lookups::use_lookups;
use crate::store::session::use_session;
use crate::ticket_model::{self as model, Conflict, CustomDef, EditDraft, TicketFields};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::search_field::FieldKind;
use mojo_api::ticket::{self, Ticket};
use mojo_api::{ApiError, Priority, Status, Timestamp};

/// `2024-03-04T10:00` in this browser's time zone, for `<input type="datetime-local">`.
pub fn to_local_input(t: Option<Timestamp>) -> String {
    let Some(t) = t else { return String::new() };
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.millis() as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The instant a `datetime-local` value names in this browser's time zone; `None` when empty.
pub fn from_local_input(s: &str) -> Option<Timestamp> {
    if s.trim().is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(s.trim())).get_time();
    (!ms.is_nan()).then_some(Timestamp(ms as i64))
}

/// Puts the cursor in the first field named in `errors` inside `scope` (a CSS selector), so a
/// keyboard or screen-reader user lands on what needs fixing.
pub fn focus_first_error(scope: &str, errors: &[(String, String)]) {
    use wasm_bindgen::JsCast;
    let Some((field, _)) = errors.first() else { return };
    let name = match field.as_str() {
        "user_email" | "user_id" => "requester",
        other => other,
    };
    let selector = format!("{scope} [name=\"{name}\"]");
    // After the next paint: a form that was disabled while saving is enabled again by then.
    request_animation_frame(move || {
        let found = document().query_selector(&selector).ok().flatten();
        if let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

/// A date the helpdesk can keep: years 1970 to 2999.
pub fn usable_date(t: Timestamp) -> bool {
    const YEAR_1970: i64 = 0;
    const YEAR_3000: i64 = 32_503_680_000_000;
    (YEAR_1970..YEAR_3000).contains(&t.millis())
}

/// The draft name of ticket `id`'s edit.
pub fn draft_name(id: i64) -> String {
    format!("edit.{id}")
}

/// The service's messages placed at their fields; what fits no field comes back apart.
pub fn place_errors(e: &ApiError, labels: &[(String, String)]) -> (Vec<(String, String)>, Option<String>) {
    let mut placed = Vec::new();
    let mut rest = Vec::new();
    let messages = if e.messages.is_empty() { e.service_message().into_iter().collect() } else { e.messages.clone() };
    for m in messages {
        match model::field_of_message(&m, labels) {
            Some(f) => placed.push((f, m)),
            None => rest.push(m),
        }
    }
    let rest = if placed.is_empty() {
        Some(e.user_message())
    } else if rest.is_empty() {
        None
    } else {
        Some(rest.join(" "))
    };
    (placed, rest)
}

/// The editor (replaces the description while open).
#[component]
pub fn TicketEditor() -> impl IntoView {
    let ws = use_workspace();
    let session = use_session();
    let lookups = use_lookups();
    let id = ws.id;
    let name = draft_name(id);
    let restored: Option<EditDraft> = drafts::load(&name);
    let restored_changes = restored.as_ref().is_some_and(EditDraft::has_changes);
    let start = restored.unwrap_or_else(|| EditDraft::of(&ws.ticket.get_untracked().unwrap_or_default()));
    let draft = RwSignal::new(start);
    let writer = DraftWriter::new();
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let top_error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    // Date fields whose text names no usable date (the browser lets years like 0001 or 12345 through).
    let date_problems = RwSignal::new(Vec::<&'static str>::new());
    let conflict = RwSignal::new(None::<(Ticket, Vec<String>, Vec<Conflict>)>);
    let persist = move || {
        let d = draft.get_untracked();
        let empty = !d.has_changes();
        writer.write(draft_name(id), d, empty);
    };
    let edit = move |f: &dyn Fn(&mut TicketFields)| {
        draft.update(|d| f(&mut d.mine));
        persist();
    };
    let custom_defs = Memo::new(move |_| {
        let types = ws.ticket.with(|t| t.as_ref().map(|t| t.custom_field_types.clone()).unwrap_or_default());
        let values = draft.with(|d| d.mine.custom.clone());
        ws.form.with(|f| model::custom_defs(&types, f.as_ref(), &values))
    });
    let labels = move || {
        let mut l = model::service_labels();
        l.extend(custom_defs.get_untracked().into_iter().map(|d| (d.key, d.label)));
        l
    };
    let close = move || {
        writer.cancel();
        drafts::clear(&draft_name(id));
        ws.editing.set(false);
        ws.focus_field.set(None);
    };
    let cancel = move || {
        if draft.with_untracked(EditDraft::has_changes) {
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message(&format!("Discard your changes to ticket #{id}?")).ok())
                .unwrap_or(false);
            if !sure {
                return;
            }
        }
        close();
    };
    let save = move || {
        if saving.get_untracked() {
            return;
        }
        let d = draft.get_untracked();
        let mut local = Vec::new();
        if d.mine.title.trim().is_empty() {
            local.push(("title".to_string(), "Title can't be blank".to_string()));
        }
        if let Some(p) = model::cc_problem(&d.mine.cc) {
            local.push(("cc".to_string(), p));
        }
        for f in ["due_on", "scheduled_on"] {
            if date_problems.with_untracked(|p| p.contains(&f)) {
                local.push((f.to_string(), "Not a date this helpdesk can keep (years 1970 to 2999).".to_string()));
            }
        }
        local.extend(model::custom_problems(&custom_defs.get_untracked(), &d.mine.custom));
        if !local.is_empty() {
            focus_first_error(".ticket-editor", &local);
            errors.set(local);
            top_error.set(Some("Some fields need attention.".into()));
            return;
        }
        if !d.has_changes() {
            close();
            return;
        }
        let Some(client) = session.client_untracked() else { return };
        saving.set(true);
        errors.set(Vec::new());
        top_error.set(None);
        spawn_local(async move {
            // Re-read first: was the ticket saved by someone else since this editor loaded it?
            let fresh = match client.send(&ticket::show(id)).await {
                Ok(t) => t,
                Err(e) => {
                    top_error.try_set(Some(format!(
                        "Not saved: the ticket could not be re-read before saving ({}). Your changes are kept; try again.",
                        e.user_message()
                    )));
                    saving.try_set(false);
                    return;
                }
            };
            // Compared field by field, not only by `updated_on`: that has whole seconds, and two
            // saves within one second must not pass for none.
            let theirs = TicketFields::from_ticket(&fresh);
            let (changed, both) = model::conflicts(&d.base, &theirs, &d.mine);
            if !changed.is_empty() {
                conflict.try_set(Some((fresh, changed, both)));
                saving.try_set(false);
                return;
            }
            let input = d.mine.update_from(&d.base);
            match client.send(&ticket::update(id, &input)).await {
                Ok(_) => {
                    saving.try_set(false);
                    close();
                    ws.say(false, format!("Ticket #{id} saved."));
                    ws.refresh();
                }
                Err(e) if e.accepted_unreadable() => {
                    // The helpdesk said yes; only its answer was garbled.
                    saving.try_set(false);
                    close();
                    ws.say(
                        false,
                        format!("Ticket #{id} saved (the helpdesk's answer could not be read, so it was reloaded)."),
                    );
                    ws.refresh();
                }
                Err(e) => {
                    let (placed, rest) = place_errors(&e, &labels());
                    focus_first_error(".ticket-editor", &placed);
                    errors.try_set(placed);
                    top_error.try_set(rest.map(|r| format!("Not saved: {r} Your changes are kept.")));
                    saving.try_set(false);
                }
            }
        });
    };
    // Resolving a conflict: the new base is their version; "keep mine" saves straight away.
    let resolve = move |keep_mine: bool| {
        let Some((fresh, _, _)) = conflict.get_untracked() else { return };
        let theirs = TicketFields::from_ticket(&fresh);
        draft.update(|d| {
            d.mine = model::rebase(&d.base, &theirs, &d.mine, keep_mine);
            d.base = theirs;
            d.loaded_updated_on = fresh.updated_on;
        });
        persist();
        conflict.set(None);
        if keep_mine {
            save();
        }
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            save();
        } else if ev.key() == "Escape" {
            ev.prevent_default();
            cancel();
        }
    };
    let form_ref = NodeRef::<leptos::html::Form>::new();
    // Focus the field the agent clicked (or the title) once the form is on screen.
    Effect::new(move |_| {
        if let Some(form) = form_ref.get() {
            let field = ws.focus_field.get_untracked().unwrap_or_else(|| "title".into());
            let sel = format!("[name=\"{field}\"]");
            if let Ok(Some(el)) = form.query_selector(&sel) {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }
    });
    let text_input = move |field: &'static str,
                           label: &'static str,
                           get: fn(&TicketFields) -> String,
                           set: fn(&mut TicketFields, String)| {
        let err = error_of(errors, field);
        let err_id = format!("err-{field}");
        view! {
            <label class="field" class:has-error=move || err().is_some()>
                <span>{label}</span>
                <input type="text" name=field prop:value=move || draft.with(|d| get(&d.mine))
                    aria-invalid=move || err().is_some().then_some("true") aria-describedby=err_id.clone()
                    on:input=move |ev| { let v = event_target_value(&ev); edit(&|f| set(f, v.clone())) } />
                <small class="field-error" id=err_id>{err}</small>
            </label>
        }
    };
    let select = move |field: &'static str,
                       label: &'static str,
                       options: Signal<Vec<(String, String)>>,
                       get: fn(&TicketFields) -> String,
                       set: fn(&mut TicketFields, String)| {
        view! {
            <FieldSelect name=field label=label options=options
                value=Signal::derive(move || draft.with(|d| get(&d.mine)))
                error=Signal::derive(error_of(errors, field))
                on_change=Callback::new(move |v: String| edit(&|f| set(f, v.clone()))) />
        }
    };
    let statuses = choices(FieldKind::Status, None);
    let priorities = choices(FieldKind::Priority, None);
    let queues = choices(FieldKind::Queue, None);
    let types = choices(FieldKind::TicketType, Some("None"));
    let assignees = Signal::derive(move || {
        let mut v = vec![(String::new(), "Unassigned".to_string())];
        let potential = ws.ticket.with(|t| t.as_ref().map(|t| t.potential_assignees.clone()).unwrap_or_default());
        if potential.is_empty() {
            v.extend(lookups.with(|l| l.values(FieldKind::Agent)).into_iter().map(|(i, n)| (i.to_string(), n)));
        } else {
            v.extend(potential.into_iter().filter_map(|p| {
                let id = p.id?;
                Some((id.to_string(), p.name.unwrap_or_else(|| format!("Agent #{id}"))))
            }));
        }
        v
    });
    let date_input = move |field: &'static str,
                           label: &'static str,
                           get: fn(&TicketFields) -> Option<Timestamp>,
                           set: fn(&mut TicketFields, Option<Timestamp>)| {
        let err = error_of(errors, field);
        view! {
            <label class="field" class:has-error=move || err().is_some()>
                <span>{label}</span>
                <span class="date-row">
                    <input type="datetime-local" name=field min="1970-01-01T00:00" max="2999-12-31T23:59"
                        prop:value=move || to_local_input(draft.with(|d| get(&d.mine)))
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            let v = from_local_input(&text);
                            let usable = text.trim().is_empty() || v.is_some_and(usable_date);
                            date_problems.update(|p| { p.retain(|f| *f != field); if !usable { p.push(field); } });
                            if usable { edit(&|f| set(f, v)) }
                        } />
                    <button type="button" class="button small ghost" aria-label=format!("Clear {label}")
                        on:click=move |_| edit(&|f| set(f, None))>"Clear"</button>
                </span>
                <small class="field-error">{err}</small>
            </label>
        }
    };
    view! {
        <form class="ticket-editor" novalidate node_ref=form_ref aria-label=format!("Edit ticket #{id}") on:keydown=on_keydown
            on:submit=move |ev| { ev.prevent_default(); save(); }>
            <h2>"Edit ticket"</h2>
            {restored_changes.then(|| view! { <p class="draft-note" role="status">"Your unsaved changes were restored."</p> })}
            {move || conflict.get().map(|(fresh, changed, both)| {
                let base = draft.with_untracked(|d| d.base.clone());
                let lk = lookups.get();
                let theirs = TicketFields::from_ticket(&fresh);
                view! {
                    <div class="conflict" role="alertdialog" aria-labelledby="conflict-title">
                        <h3 id="conflict-title">{format!("Ticket #{id} was changed by someone else at {}", when(fresh.updated_on))}</h3>
                        <table class="conflict-table">
                            <thead><tr><th>"Field"</th><th>"When you opened it"</th><th>"Now"</th><th>"Yours"</th></tr></thead>
                            <tbody>
                                {changed.into_iter().map(|f| {
                                    let mine = both.iter().find(|c| c.field == f).map(|c| c.mine.clone());
                                    let label = field_label(&f, &custom_defs.get_untracked());
                                    let clash = mine.is_some();
                                    view! {
                                        <tr class:clash=clash>
                                            <td>{label}</td>
                                            <td>{shown(&f, &base.get(&f), &lk)}</td>
                                            <td>{shown(&f, &theirs.get(&f), &lk)}</td>
                                            <td>{mine.map(|m| shown(&f, &m, &lk)).unwrap_or_else(|| "(unchanged)".into())}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <div class="actions">
                            <button type="button" class="button primary" on:click=move |_| resolve(true)>"Save mine over theirs"</button>
                            <button type="button" class="button" on:click=move |_| resolve(false)>"Take theirs, keep my other changes"</button>
                            <button type="button" class="button ghost" on:click=move |_| conflict.set(None)>"Back to editing"</button>
                        </div>
                    </div>
                }
            })}
            {move || top_error.get().map(|e| view! { <div class="error-notice" role="alert">{e}</div> })}
            {move || writer.error.get().map(|e| view! { <div class="error-notice" role="alert">{format!("Draft not kept: {e}")}</div> })}
            <fieldset class="plain-fieldset" prop:disabled=move || saving.get()>
            {text_input("title", "Title", |f| f.title.clone(), |f, v| f.title = v)}
            <label class="field" class:has-error=move || error_of(errors, "description")().is_some()>
                <span>"Description"</span>
                <textarea name="description" rows="8" prop:value=move || draft.with(|d| d.mine.description.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); edit(&|f| f.description = v.clone()) }></textarea>
                <small class="muted">"HTML is kept as written and shown through the safe viewer."</small>
                <small class="field-error">{error_of(errors, "description")}</small>
            </label>
            <div class="editor-grid">
                {select("status_id", "Status", statuses, |f| f.status_id.clone(), |f, v| f.status_id = v)}
                {select("priority_id", "Priority", priorities, |f| f.priority_id.clone(), |f, v| f.priority_id = v)}
                {select("ticket_queue_id", "Queue", queues, |f| f.ticket_queue_id.clone(), |f, v| f.ticket_queue_id = v)}
                {select("ticket_type_id", "Type", types, |f| f.ticket_type_id.clone(), |f, v| f.ticket_type_id = v)}
                {select("assigned_to_id", "Assignee", assignees, |f| f.assigned_to_id.clone(), |f, v| f.assigned_to_id = v)}
                {text_input("cc", "CC", |f| f.cc.clone(), |f, v| f.cc = v)}
                {date_input("due_on", "Due", |f| f.due_on, |f, v| f.due_on = v)}
                {date_input("scheduled_on", "Scheduled", |f| f.scheduled_on, |f, v| f.scheduled_on = v)}
            </div>
            <Show when=move || !custom_defs.with(Vec::is_empty)>
                <h3>"Custom fields"</h3>
                <div class="editor-grid">
                    <For each=move || custom_defs.get() key=|d| d.key.clone() let:def>
                        {custom_input(def, Signal::derive(move || draft.with(|d| d.mine.custom.clone())), errors,
                            Callback::new(move |(k, v): (String, String)| edit(&|f| { f.custom.insert(k.clone(), v.clone()); })))}
                    </For>
                </div>
            </Show>
            </fieldset>
            <div class="actions sticky-actions">
                <button type="submit" class="button primary" disabled=move || saving.get() aria-keyshortcuts="Control+Enter Meta+Enter">
                    {move || if saving.get() { "Saving…" } else { "Save (Ctrl+Enter)" }}
                </button>
                <button type="button" class="button ghost" on:click=move |_| cancel() aria-keyshortcuts="Escape">"Cancel (Esc)"</button>
                <span class="muted">{move || draft.with(|d| {
                    let n = d.mine.changed_from(&d.base).len();
                    if n == 0 { "No changes".to_string() } else { format!("{n} field(s) changed · draft kept on this device") }
                })}</span>
            </div>
        </form>
    }
}

fn field_label(field: &str, defs: &[CustomDef]) -> String {
    model::FIELD_LABELS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, l)| l.to_string())
        .or_else(|| defs.iter().find(|d| d.key == field).map(|d| d.label.clone()))
        .unwrap_or_else(|| model::custom_label(field))
}

/// A field value for the conflict table: names instead of ids, dates in the agent's locale.
fn shown(field: &str, value: &str, l: &crate::store::lookups::LookupData) -> String {
    if value.is_empty() {
        return "—".into();
    }
    let code = value.parse::<i64>().ok();
    match (field, code) {
        ("status_id", Some(c)) => Status::from_code(c).label(),
        ("priority_id", Some(c)) => Priority::from_code(c).label(),
        ("ticket_queue_id", Some(c)) => l.queue_name(Some(c)),
        ("assigned_to_id", Some(c)) => l.agent_name(Some(c)),
        ("ticket_type_id", Some(c)) => l.type_name(Some(c)).unwrap_or_default(),
        ("due_on" | "scheduled_on", _) => when(Timestamp::parse(value)),
        ("description", _) => {
            let text = model::comparable_text(value);
            if text.chars().count() > 140 { format!("{}…", text.chars().take(140).collect::<String>()) } else { text }
        }
        _ => value.to_string(),
    }
}
