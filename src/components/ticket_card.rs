//! A ticket on the board: id, title, priority, queue, assignee and age.

use crate::board_model::{age_label, due_label};
use crate::components::quick_actions::MenuAt;
use crate::route::ticket_href;
use crate::store::lookups::use_lookups;
use leptos::prelude::*;
use mojo_api::ticket::Ticket;

/// One card; the whole card links to the ticket.
#[component]
pub fn TicketCard(
    /// The ticket (a list item is enough).
    ticket: Ticket,
    /// "Now" in epoch milliseconds, for the age.
    now_ms: i64,
    /// Changed by someone else since the agent looked.
    #[prop(optional)]
    updated: bool,
    /// The board's quick-action menu, on a board that may change tickets: then the card can be
    /// dragged and has its "⋯". Without it (a regrouped board, a read-only key) it is only a link.
    #[prop(default = None)]
    menu: Option<RwSignal<MenuAt>>,
) -> impl IntoView {
    let lookups = use_lookups();
    let actionable = menu.is_some();
    let id = ticket.id;
    let queue_id = ticket.ticket_queue_id;
    let assignee_id = ticket.assigned_to_id;
    let priority = ticket.priority();
    let age = ticket.created_on.map(|c| age_label(c.millis(), now_ms)).unwrap_or_default();
    let created = ticket.created_on.map(|c| c.to_iso()).unwrap_or_default();
    let title = crate::ticket_model::visible_text(&ticket.display_title());
    let due = ticket.due_on.filter(|_| ticket.status().code() < 50).map(|d| due_label(d.millis(), now_ms));
    view! {
        <li class="ticket-card" class:card-updated=updated data-ticket-id=ticket.id draggable=actionable.then_some("true")>
            <a class="card-link" href=ticket_href(ticket.id)>
                <div class="card-top">
                    <span class="ticket-id">{format!("#{}", ticket.id)}</span>
                    {updated.then(|| view! { <span class="updated-mark" title="Changed by someone else since you looked">"Updated"</span> })}
                    <span class=format!("priority-badge priority-{}", priority.slug())>{priority.label()}</span>
                </div>
                <div class="card-title">{title}</div>
                <div class="card-meta">
                    <span class="queue-name">{move || lookups.with(|l| l.queue_name(queue_id))}</span>
                    <span class="assignee-name" class:unassigned=assignee_id.is_none()>
                        {move || lookups.with(|l| l.agent_name(assignee_id))}
                    </span>
                    <time class="age" datetime=created title="Age since created">{age}</time>
                </div>
                {due.map(|(state, text)| view! { <div class=format!("due-state {}", state.class())>{text}</div> })}
            </a>
            // Outside the link: the board's one quick-action menu opens beside it.
            {actionable.then(|| view! { <button type="button" class="card-menu" data-quick=ticket.id aria-haspopup="menu"
                aria-expanded=move || menu.is_some_and(|m| m.with(|o| o.is_some_and(|(i, _, _)| i == id))).to_string()
                aria-label=format!("Quick actions for #{}", ticket.id) title="Assign, priority, tag">"⋯"</button> })}
        </li>
    }
}
