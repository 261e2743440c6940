//! One board column: header with the status and its count, the cards, and "load more" for the
//! long solved and closed columns.

use crate::board_model::{CARD_SLOT_PX, OVERSCAN, VIRTUAL_AFTER, visible_window};
use crate::components::error_notice::ErrorNotice;
use crate::components::quick_actions::MenuAt;
use crate::components::ticket_card::TicketCard;
use leptos::prelude::*;
use mojo_api::ticket::Ticket;
use mojo_api::{ApiError, Status};

/// Everything a column shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnData {
    /// The column's status.
    pub status: Status,
    /// Cards to show, in order.
    pub tickets: Vec<Ticket>,
    /// The exact number of tickets in this column, when known.
    pub total: Option<usize>,
    /// More can be loaded.
    pub has_more: bool,
    /// A load for this column is running.
    pub loading: bool,
    /// The last load for this column failed.
    pub error: Option<ApiError>,
    /// Cards changed by someone else since the agent looked (shown marked).
    pub marked: Vec<i64>,
}

impl ColumnData {
    /// The count as the header shows it: exact when known, else what is shown so far.
    pub fn count_label(&self) -> String {
        match self.total {
            Some(t) => t.to_string(),
            None if self.has_more => format!("{}+", self.tickets.len()),
            None => self.tickets.len().to_string(),
        }
    }
}

/// A status column.
#[component]
pub fn StatusColumn(
    /// What to show.
    data: ColumnData,
    /// "Now" in epoch ms (card ages).
    now_ms: i64,
    /// Loads the next page (solved, closed).
    #[prop(default = None)]
    on_more: Option<Callback<()>>,
    /// The board's quick-action menu, when its cards may be changed (see [`TicketCard`]).
    #[prop(default = None)]
    menu: Option<RwSignal<MenuAt>>,
) -> impl IntoView {
    let status = data.status;
    let heading_id = format!("col-{}", status.slug());
    let label_id = heading_id.clone();
    let shown = data.tickets.len();
    let empty = data.tickets.is_empty() && !data.loading && data.error.is_none();
    // The oldest open ticket's age: how long the column's longest wait has been.
    let oldest = (status.code() < 50).then(|| crate::board_model::oldest_wait(&data.tickets, now_ms)).flatten();
    let more_label = match data.total {
        Some(t) => format!("Show more ({shown} of {t})"),
        None => "Show more".to_string(),
    };
    view! {
        <section class=format!("status-column status-{}", status.slug()) aria-labelledby=label_id data-status=status.code()>
            <header class="column-header">
                <h2 id=heading_id>{status.label()}</h2>
                <span class="column-count" data-exact=if data.total.is_some() { "true" } else { "false" } aria-label=format!("{} tickets", data.count_label())>
                    {data.count_label()}
                </span>
            </header>
            {oldest.map(|o| view! { <p class="column-oldest">{o}</p> })}
            {data.error.clone().map(|e| view! { <ErrorNotice error=e context="Loading this column" on_retry=on_more.unwrap_or_else(|| Callback::new(|_| ())) /> })}
            {empty.then(|| view! { <p class="column-empty">"No tickets"</p> })}
            {if data.tickets.len() > VIRTUAL_AFTER {
                view! { <VirtualCardList tickets=data.tickets marked=data.marked now_ms=now_ms status=status.code() menu=menu /> }.into_any()
            } else {
                let list = NodeRef::<leptos::html::Ul>::new();
                let code = status.code();
                let start = saved_scroll(code);
                list.on_load(move |el| if start > 0.0 { request_animation_frame(move || el.set_scroll_top(start as i32)) });
                let keep = use_context::<ColumnScroll>();
                view! {
                    <ul class="card-list" node_ref=list on:scroll=move |ev| {
                        let el: web_sys::Element = event_target(&ev);
                        if let Some(c) = keep { c.0.update_value(|m| { m.insert(code, el.scroll_top() as f64); }); }
                    }>
                        {data.tickets.into_iter().map(|t| {
                            let updated = data.marked.contains(&t.id);
                            view! { <TicketCard ticket=t now_ms=now_ms updated=updated menu=menu /> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {data.loading.then(|| view! { <p class="column-loading" aria-live="polite">"Loading…"</p> })}
            {(data.has_more && !data.loading && data.error.is_none()).then(|| on_more.map(|cb| view! {
                <button type="button" class="button more" on:click=move |_| cb.run(())>{more_label.clone()}</button>
            }))}
        </section>
    }
}

/// Where each column was scrolled (by status code), so a board rebuilt after a move or a refresh
/// keeps every column where the agent left it; provided by the board.
#[derive(Clone, Copy)]
pub struct ColumnScroll(pub StoredValue<std::collections::HashMap<i64, f64>>);

fn saved_scroll(status: i64) -> f64 {
    use_context::<ColumnScroll>().and_then(|c| c.0.with_value(|m| m.get(&status).copied())).unwrap_or(0.0)
}

fn keep_scroll(status: i64, top: f64) {
    if let Some(c) = use_context::<ColumnScroll>() {
        c.0.update_value(|m| {
            m.insert(status, top);
        });
    }
}

/// Asks the column holding a ticket to scroll it into the page (after a keyboard move into a
/// long column); provided by the board.
#[derive(Clone, Copy)]
pub struct RevealCard(pub RwSignal<Option<i64>>);

/// A long column: only the cards in view (and a margin) are in the page, between two spacers that
/// keep the scroll height of the whole list. Cards have a fixed slot ([`CARD_SLOT_PX`]) here.
#[component]
fn VirtualCardList(
    tickets: Vec<Ticket>,
    marked: Vec<i64>,
    now_ms: i64,
    status: i64,
    menu: Option<RwSignal<MenuAt>>,
) -> impl IntoView {
    let n = tickets.len();
    let tickets = StoredValue::new(tickets);
    let start = saved_scroll(status);
    let scroll_top = RwSignal::new(start);
    let keep = use_context::<ColumnScroll>();
    let viewport = RwSignal::new(0.0f64);
    let node = NodeRef::<leptos::html::Ul>::new();
    // The list's height is known once it is in the page (and after a window resize).
    let measure = move || {
        if let Some(el) = node.get_untracked() {
            viewport.set(el.client_height() as f64);
        }
    };
    node.on_load(move |el| {
        request_animation_frame(move || {
            // Where the list should be by now: the saved place, or a card it was asked to show.
            el.set_scroll_top(scroll_top.get_untracked() as i32);
            measure();
        })
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let window = Memo::new(move |_| visible_window(n, scroll_top.get(), viewport.get(), CARD_SLOT_PX, OVERSCAN));
    let slice = move || {
        let (start, end) = window.get();
        tickets.with_value(|t| t[start..end].to_vec())
    };
    let marked = StoredValue::new(marked);
    if let Some(RevealCard(reveal)) = use_context::<RevealCard>() {
        Effect::new(move |_| {
            let Some(id) = reveal.get() else { return };
            let Some(i) = tickets.with_value(|t| t.iter().position(|t| t.id == id)) else { return };
            let top = (i as f64 * CARD_SLOT_PX - viewport.get_untracked() / 2.0).max(0.0);
            if let Some(el) = node.get_untracked() {
                el.set_scroll_top(top as i32);
            }
            scroll_top.set(top);
            keep_scroll(status, top);
            // Done: a later rebuild of the board must not scroll there again.
            reveal.set(None);
        });
    }
    view! {
        <ul class="card-list virtual" node_ref=node data-virtual=n
            on:scroll=move |ev| {
                let el: web_sys::Element = event_target(&ev);
                let top = el.scroll_top() as f64;
                scroll_top.set(top);
                if let Some(c) = keep { c.0.update_value(|m| { m.insert(status, top); }); }
            }>
            <li class="card-spacer" aria-hidden="true" style=move || format!("height:{}px", window.get().0 as f64 * CARD_SLOT_PX)></li>
            <For each=slice key=|t| (t.id, t.updated_on, t.status_id) let:t>
                {
                    let updated = marked.with_value(|m| m.contains(&t.id));
                    view! { <TicketCard ticket=t now_ms=now_ms updated=updated menu=menu /> }
                }
            </For>
            <li class="card-spacer" aria-hidden="true" style=move || format!("height:{}px", (n - window.get().1) as f64 * CARD_SLOT_PX)></li>
        </ul>
    }
}
