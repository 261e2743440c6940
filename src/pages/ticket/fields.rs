//! Every field of the ticket by name, not by id. A click on an editable value opens the editor
//! on that field.

use super::{use_workspace, when};
use crate::store::lookups::use_lookups;
use leptos::prelude::*;
use mojo_api::ticket::Ticket;

/// `(label, value, field the editor opens on)` for every field of `t`.
fn rows(t: &Ticket, l: &crate::store::lookups::LookupData) -> Vec<(String, String, Option<&'static str>)> {
    let requester = t
        .related(&["user", "full_name"])
        .or_else(|| t.related(&["user", "email"]))
        .unwrap_or_else(|| t.user_id.map(|u| format!("User #{u}")).unwrap_or_else(|| "—".into()));
    let requester_email = t.related(&["user", "email"]);
    let type_name = t.ticket_type.as_ref().and_then(|x| x.name.clone()).or_else(|| l.type_name(t.ticket_type_id));
    let queue_name =
        t.ticket_queue.as_ref().and_then(|q| q.name.clone()).unwrap_or_else(|| l.queue_name(t.ticket_queue_id));
    let group = t.related(&["company", "name"]).or_else(|| l.group_name(t.company_id));
    let s = |x: &str| x.to_string();
    let mut out = vec![
        (s("Status"), t.status().label(), Some("status_id")),
        (s("Priority"), t.priority().label(), Some("priority_id")),
        (s("Queue"), queue_name, Some("ticket_queue_id")),
        (s("Assignee"), l.agent_name(t.assigned_to_id.filter(|a| *a > 0)), Some("assigned_to_id")),
        (
            s("Requester"),
            requester_email.filter(|e| *e != requester).map(|e| format!("{requester}\n{e}")).unwrap_or(requester),
            None,
        ),
        (s("Group"), group.unwrap_or_else(|| "—".into()), None),
        (s("Type"), type_name.unwrap_or_else(|| "—".into()), Some("ticket_type_id")),
        (s("Created"), when(t.created_on), None),
        (s("Updated"), when(t.updated_on), None),
        (s("Due"), when(t.due_on), Some("due_on")),
        (s("Scheduled"), when(t.scheduled_on), Some("scheduled_on")),
        (s("Solved"), when(t.solved_on), None),
        (s("Source"), t.created_from.map(|c| c.label()).unwrap_or_else(|| "—".into()), None),
        (s("CC"), t.cc.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| "—".into()), Some("cc")),
    ];
    if let Some(r) = t.rating {
        out.push((s("Rating"), format!("{r}/100 ({} stars)", (r + 10) / 20), None));
    }
    out
}

/// The field list (side panel).
#[component]
pub fn FieldList() -> impl IntoView {
    let ws = use_workspace();
    let lookups = use_lookups();
    let open_on = move |field: String| {
        ws.focus_field.set(Some(field));
        ws.editing.set(true);
    };
    view! {
        <section class="ticket-fields side-panel" aria-labelledby="fields-heading">
            <h2 id="fields-heading">"Fields"</h2>
            <dl>
                {move || {
                    let Some(t) = ws.ticket.get() else { return ().into_any() };
                    let l = lookups.get();
                    let custom = t.custom_fields();
                    let labels = ws.form.with(|f| f.as_ref().map(|f| f.field_attributes.iter().filter_map(|a| Some((a.name.clone()?, a.label.clone()?))).collect::<Vec<_>>()).unwrap_or_default());
                    view! {
                        {rows(&t, &l).into_iter().map(|(k, v, field)| match field {
                            Some(f) => view! {
                                <dt>{k.clone()}</dt>
                                <dd><button type="button" class="field-value" title=format!("Edit {k}") on:click=move |_| open_on(f.to_string())>{v}</button></dd>
                            }.into_any(),
                            None => view! { <dt>{k}</dt><dd>{v}</dd> }.into_any(),
                        }).collect_view()}
                        {custom.into_iter().map(|(k, v)| {
                            let label = labels.iter().find(|(n, _)| *n == k).map(|(_, l)| l.clone())
                                .unwrap_or_else(|| k.trim_start_matches("custom_field_").replace('_', " "));
                            let key = k.clone();
                            view! {
                                <dt class="custom-field">{label.clone()}</dt>
                                <dd><button type="button" class="field-value" title=format!("Edit {label}") on:click=move |_| open_on(key.clone())>
                                    {if v.is_empty() { "—".to_string() } else { v }}
                                </button></dd>
                            }
                        }).collect_view()}
                    }.into_any()
                }}
            </dl>
        </section>
    }
}
