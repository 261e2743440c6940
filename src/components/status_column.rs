//! One board column: header with the status and its count, the cards, and "load more" for the
//! long solved and closed columns.

use crate::components::error_notice::ErrorNotice;
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
            <ul class="card-list">
                {data.tickets.into_iter().map(|t| {
                    let updated = data.marked.contains(&t.id);
                    view! { <TicketCard ticket=t now_ms=now_ms updated=updated /> }
                }).collect_view()}
            </ul>
            {data.loading.then(|| view! { <p class="column-loading" aria-live="polite">"Loading…"</p> })}
            {(data.has_more && !data.loading && data.error.is_none()).then(|| on_more.map(|cb| view! {
                <button type="button" class="button more" on:click=move |_| cb.run(())>{more_label.clone()}</button>
            }))}
        </section>
    }
}
