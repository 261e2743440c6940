//! The ticket board: six status columns. Open columns hold every open ticket; solved and closed
//! show the newest first, a page at a time. Filters live in the URL (`#/board?queue=3`).

use crate::api::Client;
use crate::board_model::{BandSearch, COLUMNS, Group, GroupBy, column_of, group_open};
use crate::components::error_notice::ErrorNotice;
use crate::components::quick_actions::{MenuAt, QuickAction, QuickActionMenu, open_from_click};
use crate::components::status_column::{ColumnData, ColumnScroll, RevealCard, StatusColumn};
use crate::route::{Location, board_href, navigate};
use crate::store::lookups::use_lookups;
use crate::store::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::request::Page;
use mojo_api::ticket::{self, MAX_PER_PAGE, SortOrder, Ticket};
use mojo_api::{ApiError, Status};
use wasm_bindgen::JsCast;

/// Tickets per page when loading the board.
const PAGE: u32 = MAX_PER_PAGE;
/// Closed tickets per page.
const CLOSED_PAGE: u32 = 50;
/// Probe pages are small: enough statuses per answer to settle an edge, little data.
const PROBE_PAGE: u32 = 10;
/// Probe pages per round of the band search.
const PROBES_PER_ROUND: usize = 8;

/// How many pages of changes one auto-refresh reads at most (the rest waits for the next).
const POLL_PAGES: u32 = 5;

/// What the board has loaded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoardData {
    /// Every open ticket.
    pub open: Vec<Ticket>,
    /// Solved tickets loaded so far (newest first).
    pub solved: Vec<Ticket>,
    /// Closed tickets loaded so far (newest first).
    pub closed: Vec<Ticket>,
    /// Exact solved count, once the band search has finished.
    pub solved_total: Option<usize>,
    /// Exact closed count, once the band search has finished.
    pub closed_total: Option<usize>,
    /// Next page of the ascending stream (solved).
    pub solved_next: u32,
    /// Next page of the descending stream (closed).
    pub closed_next: u32,
    /// Requests the load took.
    pub requests: usize,
}

impl BoardData {
    /// Moves a ticket to another status column at once (before the service confirms): it leaves
    /// its column, enters the new one at the top, and the solved/closed totals follow. Returns the
    /// status it had, or `None` when the board does not hold it.
    pub fn move_ticket(&mut self, id: i64, to: Status) -> Option<Status> {
        let mut ticket = None;
        for (list, total) in [
            (&mut self.open, None),
            (&mut self.solved, Some(&mut self.solved_total)),
            (&mut self.closed, Some(&mut self.closed_total)),
        ] {
            if let Some(i) = list.iter().position(|t| t.id == id) {
                ticket = Some(list.remove(i));
                if let Some(Some(n)) = total {
                    *n = n.saturating_sub(1);
                }
                break;
            }
        }
        let mut ticket = ticket?;
        let from = ticket.status();
        ticket.status_id = Some(to);
        self.insert(ticket);
        Some(from)
    }

    /// The newest `updated_on` the board holds (epoch ms).
    pub fn newest_update(&self) -> Option<i64> {
        self.open.iter().chain(&self.solved).chain(&self.closed).filter_map(|t| t.updated_on.map(|u| u.millis())).max()
    }

    /// The board's copy of a ticket.
    pub fn find(&self, id: i64) -> Option<&Ticket> {
        self.open.iter().chain(&self.solved).chain(&self.closed).find(|t| t.id == id)
    }

    /// Puts a ticket into the column of its status (top), replacing the board's copy of it if it
    /// has one (a newer copy from the service, or a ticket someone else changed); the solved and
    /// closed totals follow, counting the ticket once.
    pub fn insert(&mut self, ticket: Ticket) {
        for (list, total) in [
            (&mut self.open, None),
            (&mut self.solved, Some(&mut self.solved_total)),
            (&mut self.closed, Some(&mut self.closed_total)),
        ] {
            if let Some(i) = list.iter().position(|t| t.id == ticket.id) {
                list.remove(i);
                if let Some(Some(n)) = total {
                    *n = n.saturating_sub(1);
                }
            }
        }
        match column_of(ticket.status()) {
            Status::Solved => {
                self.solved_total = self.solved_total.map(|n| n + 1);
                self.solved.insert(0, ticket);
            }
            Status::Closed => {
                self.closed_total = self.closed_total.map(|n| n + 1);
                self.closed.insert(0, ticket);
            }
            _ => self.open.insert(0, ticket),
        }
    }
}

fn by_status(page: Page, order: SortOrder) -> mojo_api::Request<Vec<Ticket>> {
    ticket::list(page, Some("status_id"), Some(order))
}

/// Loads what the board paints first: every open ticket (ascending-status pages, in waves of
/// [`crate::api::CONCURRENCY`], until the first solved ticket shows up) and the newest closed ones.
/// Returns the data and what the pages revealed about where the status bands lie.
pub async fn load_board(client: &Client) -> Result<(BoardData, BandSearch), ApiError> {
    let mut data = BoardData { closed_next: 2, ..Default::default() };
    let mut search = BandSearch::new();
    let mut next = 1u32;
    let mut closed_page = Some(by_status(Page::new(1, CLOSED_PAGE), SortOrder::Desc));
    loop {
        let wave = crate::api::CONCURRENCY as u32;
        let mut reqs: Vec<_> = (next..next + wave).map(|p| by_status(Page::new(p, PAGE), SortOrder::Asc)).collect();
        reqs.extend(closed_page.take());
        data.requests += reqs.len();
        let mut answers = client.send_all(reqs).await.into_iter();
        let mut finished = false;
        for page_no in next..next + wave {
            let page = answers.next().expect("one answer per request")?;
            if finished {
                continue;
            }
            search.record_page((page_no as usize - 1) * PAGE as usize, &page, PAGE as usize);
            finished = page.len() < PAGE as usize || page.iter().any(|t| !t.status().is_open());
            for t in page {
                match column_of(t.status()) {
                    Status::Solved => data.solved.push(t),
                    Status::Closed => {}
                    _ => data.open.push(t),
                }
            }
            data.solved_next = page_no + 1;
        }
        if let Some(closed) = answers.next() {
            data.closed = closed?.into_iter().filter(|t| column_of(t.status()) == Status::Closed).collect();
        }
        if finished {
            return Ok((data, search));
        }
        next += wave;
    }
}

/// Finishes the band search begun by [`load_board`]: the exact solved and closed counts, in a few
/// rounds of small probe pages (see `board_model`). Returns (solved, closed, requests).
pub async fn count_bands(client: &Client, mut search: BandSearch) -> Result<(usize, usize, usize), ApiError> {
    let mut requests = 0;
    while !search.done() {
        let pages = search.next_pages(PROBES_PER_ROUND, PROBE_PAGE as usize);
        if pages.is_empty() {
            break;
        }
        requests += pages.len();
        let reqs = pages.iter().map(|p| by_status(Page::new(*p, PROBE_PAGE), SortOrder::Asc)).collect();
        for (p, answer) in pages.iter().zip(client.send_all(reqs).await) {
            search.record_page((*p as usize - 1) * PROBE_PAGE as usize, &answer?, PROBE_PAGE as usize);
        }
    }
    Ok((search.solved_count().unwrap_or(0), search.closed_count().unwrap_or(0), requests))
}

/// What narrows the board (from the URL).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoardFilter {
    /// Only this queue.
    pub queue: Option<i64>,
    /// Only tickets a search found (`q=` on the board, e.g. a saved search).
    pub ids: Option<std::collections::HashSet<i64>>,
    /// Only this priority (`priority=10`).
    pub priority: Option<i64>,
    /// Only this assignee (`assignee=7`); `Some(None)` is unassigned (`assignee=none`).
    pub assignee: Option<Option<i64>>,
    /// Only this ticket type (`type=2`).
    pub ticket_type: Option<i64>,
    /// Only this group (`group=4`).
    pub group: Option<i64>,
    /// Only tickets with this tag (`tag=9`).
    pub tag: Option<i64>,
}

/// The board's URL parameters, in the order links write them.
pub const BOARD_PARAMS: [&str; 9] = ["by", "queue", "priority", "assignee", "type", "group", "tag", "q", "poll"];

impl BoardFilter {
    /// Only tickets of `queue`.
    pub fn queue(queue: Option<i64>) -> Self {
        BoardFilter { queue, ..Default::default() }
    }

    /// The filters the URL names (the search's ids are filled in once found).
    pub fn from_location(l: &Location) -> Self {
        let id = |k: &str| l.param(k).and_then(|v| v.trim().parse::<i64>().ok()).filter(|v| *v > 0);
        let assignee = match l.param("assignee").map(str::trim) {
            Some("none") => Some(None),
            _ => id("assignee").map(Some),
        };
        BoardFilter {
            queue: id("queue"),
            ids: None,
            priority: id("priority"),
            assignee,
            ticket_type: id("type"),
            group: id("group"),
            tag: id("tag"),
        }
    }

    /// True when the board shows every ticket.
    pub fn is_empty(&self) -> bool {
        self.queue.is_none()
            && self.ids.is_none()
            && self.priority.is_none()
            && self.assignee.is_none()
            && self.ticket_type.is_none()
            && self.group.is_none()
            && self.tag.is_none()
    }

    /// The ticket passes.
    pub fn keeps(&self, t: &Ticket) -> bool {
        (self.queue.is_none() || t.ticket_queue_id == self.queue)
            && self.ids.as_ref().is_none_or(|ids| ids.contains(&t.id))
            && self.priority.is_none_or(|p| t.priority().code() == p)
            && self.assignee.is_none_or(|a| t.assigned_to_id.filter(|x| *x > 0) == a)
            && (self.ticket_type.is_none() || t.ticket_type_id == self.ticket_type)
            && (self.group.is_none() || t.company_id == self.group)
            && self.tag.is_none_or(|tag| t.tag_ids.contains(&tag) || t.tags.iter().any(|x| x.id == tag))
    }
}

/// The board's address with `key` set to `value` (empty: removed) and every other filter kept.
pub fn board_href_with(l: &Location, key: &str, value: &str) -> String {
    let pairs: Vec<(&str, String)> = BOARD_PARAMS
        .iter()
        .map(|k| (*k, if *k == key { value.to_string() } else { l.param(k).unwrap_or_default().to_string() }))
        .collect();
    board_href(&pairs)
}

/// Why the board could not be narrowed by its search.
#[derive(Clone, Debug, PartialEq)]
enum NarrowFailure {
    /// The query in the URL does not parse.
    Unreadable(String),
    /// The search call failed.
    Api(ApiError),
}

/// Most search results the board fetches to narrow itself (30 pages of 100).
pub const SEARCH_NARROW_CAP: u32 = 30;

/// The ids of every ticket a query finds (up to [`SEARCH_NARROW_CAP`] pages); `true` when capped.
pub async fn search_ids_of(
    client: &Client,
    query: Option<&mojo_api::query::Query>,
) -> Result<(std::collections::HashSet<i64>, bool), ApiError> {
    let mut ids = std::collections::HashSet::new();
    for page in 1..=SEARCH_NARROW_CAP {
        let list = client.send(&ticket::search(query, Some("id"), false, Page::new(page, MAX_PER_PAGE))).await?;
        let short = list.len() < MAX_PER_PAGE as usize;
        ids.extend(list.into_iter().map(|t| t.id));
        if short {
            return Ok((ids, false));
        }
    }
    Ok((ids, true))
}

/// The open tickets regrouped (by priority, queue, assignee or due date): no moves here, only
/// reading; each column says how many it holds and how long its oldest has waited.
#[component]
pub fn GroupedColumns(
    /// The columns.
    #[prop(into)]
    groups: Signal<Vec<Group>>,
    /// Cards changed by others since the agent looked.
    marked: RwSignal<std::collections::HashSet<i64>>,
) -> impl IntoView {
    let now = js_sys::Date::now() as i64;
    move || {
        let groups = groups.get();
        let n = groups.len();
        view! {
            <div class="board-columns grouped" style=format!("--columns: {n}")>
                {groups.into_iter().map(|g| {
                    let count = g.tickets.len();
                    let oldest = crate::board_model::oldest_wait(&g.tickets, now);
                    let heading = format!("group-{}", g.key);
                    let labelled_by = heading.clone();
                    view! {
                        <section class="status-column group-column" data-group=g.key.clone() aria-labelledby=labelled_by>
                            <header class="column-header">
                                <h2 id=heading>{g.label.clone()}</h2>
                                <span class="column-count" aria-label=format!("{count} tickets")>{count}</span>
                            </header>
                            {oldest.map(|o| view! { <p class="column-oldest">{o}</p> })}
                            {(count == 0).then(|| view! { <p class="column-empty">"No tickets"</p> })}
                            <ul class="card-list">
                                {g.tickets.into_iter().map(|t| {
                                    let updated = marked.with_untracked(|m| m.contains(&t.id));
                                    view! { <crate::components::ticket_card::TicketCard ticket=t now_ms=now updated=updated /> }
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                }).collect_view()}
            </div>
        }
    }
}

/// The columns to show for `data`, narrowed by `filter`.
pub fn columns(data: &BoardData, filter: &BoardFilter) -> Vec<ColumnData> {
    let keep = |t: &&Ticket| filter.keeps(t);
    let whole = filter.is_empty();
    COLUMNS
        .iter()
        .map(|status| {
            let (tickets, total, has_more): (Vec<Ticket>, Option<usize>, bool) = match status {
                Status::Solved => {
                    let v: Vec<Ticket> = data.solved.iter().filter(keep).cloned().collect();
                    let more = data.solved_total.is_none_or(|t| data.solved.len() < t);
                    (v, if whole { data.solved_total } else { None }, more)
                }
                Status::Closed => {
                    let v: Vec<Ticket> = data.closed.iter().filter(keep).cloned().collect();
                    let more = data.closed_total.is_none_or(|t| data.closed.len() < t);
                    (v, if whole { data.closed_total } else { None }, more)
                }
                s => {
                    let v: Vec<Ticket> =
                        data.open.iter().filter(keep).filter(|t| column_of(t.status()) == *s).cloned().collect();
                    let n = v.len();
                    (v, Some(n), false)
                }
            };
            ColumnData { status: *status, tickets, total, has_more, loading: false, error: None, marked: Vec::new() }
        })
        .collect()
}

/// The six columns side by side.
#[component]
pub fn BoardColumns(
    /// Column contents.
    #[prop(into)]
    columns: Signal<Vec<ColumnData>>,
    /// Loads more of a column (by status).
    #[prop(into, optional)]
    on_more: Option<Callback<Status>>,
    /// Moves a ticket (id) to a status: cards become draggable, columns drop targets, and
    /// Alt+→ / Alt+← move the focused card to the next / previous column.
    #[prop(into, optional)]
    on_move: Option<Callback<(i64, Status)>>,
    /// Runs a card's quick action (assign to me, priority, tag).
    #[prop(into, optional)]
    on_quick: Option<Callback<(i64, QuickAction)>>,
) -> impl IntoView {
    // Passed down to the cards, not provided as a context: a context would outlive these columns
    // (and its state) when the board regroups, and the next cards would find it.
    let menu = RwSignal::<MenuAt>::new(None);
    let cards_menu = on_quick.is_some().then_some(menu);
    let now = js_sys::Date::now() as i64;
    let card_of = |target: Option<web_sys::EventTarget>| -> Option<(i64, Status)> {
        let el: web_sys::Element = target?.dyn_into().ok()?;
        let card = el.closest(".ticket-card").ok()??;
        let id = card.get_attribute("data-ticket-id")?.parse().ok()?;
        let column = card.closest("[data-status]").ok()??;
        let status = Status::from_code(column.get_attribute("data-status")?.parse().ok()?);
        Some((id, status))
    };
    let on_dragstart = move |ev: leptos::ev::DragEvent| {
        if let (Some((id, _)), Some(dt)) = (card_of(ev.target()), ev.data_transfer()) {
            let _ = dt.set_data("text/plain", &id.to_string());
            dt.set_effect_allowed("move");
        }
    };
    let on_dragover = move |ev: leptos::ev::DragEvent| {
        if on_move.is_some() {
            ev.prevent_default();
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        let Some(cb) = on_move else { return };
        ev.prevent_default();
        let id = ev.data_transfer().and_then(|dt| dt.get_data("text/plain").ok()).and_then(|s| s.parse::<i64>().ok());
        let target: Option<web_sys::Element> = ev.target().and_then(|t| t.dyn_into().ok());
        let column = target.and_then(|t| t.closest("[data-status]").ok().flatten());
        let to = column
            .and_then(|c| c.get_attribute("data-status"))
            .and_then(|s| s.parse::<i64>().ok())
            .map(Status::from_code);
        if let (Some(id), Some(to)) = (id, to) {
            cb.run((id, to));
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let Some(cb) = on_move else { return };
        if !ev.alt_key() || !(ev.key() == "ArrowRight" || ev.key() == "ArrowLeft") {
            return;
        }
        let Some((id, from)) = card_of(ev.target()) else { return };
        let i = COLUMNS.iter().position(|c| *c == from).unwrap_or(0);
        let j = if ev.key() == "ArrowRight" { (i + 1).min(COLUMNS.len() - 1) } else { i.saturating_sub(1) };
        ev.prevent_default();
        if i != j {
            cb.run((id, COLUMNS[j]));
        }
    };
    view! {
        <div class="board-columns" on:dragstart=on_dragstart on:dragover=on_dragover on:drop=on_drop on:keydown=on_keydown
            on:click=move |ev| { if on_quick.is_some() { open_from_click(&ev, menu); } }>
            {move || columns.get().into_iter().map(|c| {
                let status = c.status;
                let more = on_more.map(|cb| Callback::new(move |_| cb.run(status)));
                view! { <StatusColumn data=c now_ms=now on_more=more menu=cards_menu /> }
            }).collect_view()}
        </div>
        {on_quick.map(|cb| view! { <QuickActionMenu menu=menu on_action=cb /> })}
    }
}

/// A short message after a move.
#[derive(Clone, Debug, PartialEq)]
struct Toast {
    text: String,
    /// (ticket, status to go back to).
    undo: Option<(i64, Status)>,
    error: bool,
}

/// Puts the keyboard focus back on a card after the board re-rendered around it. In a long
/// (virtualised) column the card may be out of the page: the column scrolls to it first.
fn focus_card(id: i64, reveal: RevealCard) {
    reveal.0.set(Some(id));
    fn attempt(id: i64, frames: u32) {
        request_animation_frame(move || {
            let found = document()
                .query_selector(&format!("[data-ticket-id=\"{id}\"] a"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            match found {
                Some(el) => {
                    let _ = el.focus();
                }
                None if frames > 0 => attempt(id, frames - 1),
                None => {}
            }
        });
    }
    attempt(id, 30);
}

/// The board screen.
#[component]
pub fn BoardPage(
    /// The current location (filters).
    location: ReadSignal<Location>,
) -> impl IntoView {
    let session = use_session();
    let lookups = use_lookups();
    // Long columns keep their scroll across rebuilds and scroll to a card moved into them.
    let reveal = RevealCard(RwSignal::new(None));
    provide_context(reveal);
    provide_context(ColumnScroll(StoredValue::new(Default::default())));
    let data = RwSignal::new(None::<BoardData>);
    let error = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(false);
    let more_loading = RwSignal::new(None::<Status>);
    let more_error = RwSignal::new(None::<(Status, ApiError)>);
    let saved = crate::store::saved_searches::use_saved_searches();
    let search_filter =
        Memo::new(move |_| location.with(|l| l.param("q").map(String::from).filter(|q| !q.trim().is_empty())));
    // The tickets a search (`q=`) finds: `None` while none is asked for.
    let search_ids = RwSignal::new(None::<Result<(std::collections::HashSet<i64>, bool), NarrowFailure>>);
    let search_seq = StoredValue::new(0u64);
    let run_search_filter = move || {
        let seq = search_seq.get_value() + 1;
        search_seq.set_value(seq);
        search_ids.set(None);
        let Some(q) = search_filter.get_untracked() else { return };
        let Some(client) = session.client_untracked() else { return };
        let parsed = match mojo_api::query::parse(&q) {
            Ok(p) => p,
            Err(e) => {
                search_ids.set(Some(Err(NarrowFailure::Unreadable(e.to_string()))));
                return;
            }
        };
        spawn_local(async move {
            let found = search_ids_of(&client, parsed.as_ref()).await.map_err(NarrowFailure::Api);
            // `try_`: the board may have been left meanwhile (its values are gone).
            if search_seq.try_get_value() == Some(seq) {
                search_ids.set(Some(found));
            }
        });
    };
    Effect::new(move |_| {
        search_filter.track();
        run_search_filter();
    });
    let filter = Memo::new(move |_| BoardFilter {
        ids: search_ids.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|(ids, _)| ids.clone())),
        ..location.with(BoardFilter::from_location)
    });
    let queue_filter = Memo::new(move |_| filter.with(|f| f.queue));

    // Auto refresh: what others changed since the board loaded waits behind a bar; nothing
    // moves under the agent's pointer until they ask for it.
    let since = StoredValue::new(None::<i64>);
    let pending = RwSignal::new(Vec::<Ticket>::new());
    let marked = RwSignal::new(std::collections::HashSet::<i64>::new());
    let reload = move || {
        let Some(client) = session.client_untracked() else {
            return;
        };
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            match load_board(&client).await {
                Ok((d, search)) => {
                    pending.set(Vec::new());
                    marked.set(Default::default());
                    // For the benchmark: the moment the data is in hand (data → painted board).
                    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                        let _ = p.mark("mojo:board-data");
                    }
                    let board_newest = d.newest_update();
                    data.set(Some(d));
                    loading.set(false);
                    // The service's newest change, not just the board's: a ticket changed deep in
                    // the solved or closed lists is not news to this board either. Asked after the
                    // paint, not before it; the updates bar waits for it (`since`).
                    let newest = ticket::list(Page::new(1, 1), Some("updated_on"), Some(SortOrder::Desc));
                    let latest = client.send(&newest).await.ok().and_then(|l| l.first().and_then(|t| t.updated_on));
                    since.set_value(board_newest.max(latest.map(|u| u.millis())));
                    // Counts for solved and closed follow the paint; until then they read "N+".
                    if let Ok((solved, closed, requests)) = count_bands(&client, search).await {
                        data.update(|d| {
                            if let Some(d) = d {
                                d.solved_total = Some(solved);
                                d.closed_total = Some(closed);
                                d.requests += requests;
                            }
                        });
                    }
                }
                Err(e) => {
                    error.set(Some(e));
                    loading.set(false);
                }
            }
        });
    };
    reload();

    let polling = StoredValue::new(false);
    let poll = move || {
        let hidden = js_sys::Reflect::get(&document(), &"hidden".into()).ok().and_then(|v| v.as_bool()) == Some(true);
        let Some(from) = since.get_value() else { return };
        if hidden || polling.get_value() || loading.get_untracked() {
            return;
        }
        let Some(client) = session.client_untracked() else { return };
        polling.set_value(true);
        spawn_local(async move {
            let mut found: Vec<Ticket> = Vec::new();
            for page in 1..=POLL_PAGES {
                let req = ticket::list(Page::new(page, MAX_PER_PAGE), Some("updated_on"), Some(SortOrder::Desc));
                let Ok(list) = client.send(&req).await else { break };
                let (newer, more) = crate::board_model::changed_after(&list, from, MAX_PER_PAGE as usize);
                found.extend(newer);
                if !more {
                    break;
                }
            }
            polling.set_value(false);
            // A reload in the meantime starts from its own moment.
            if since.try_get_value() != Some(Some(from)) || found.is_empty() {
                return;
            }
            since.set_value(found.iter().filter_map(|t| t.updated_on.map(|u| u.millis())).max().max(Some(from)));
            let news: Vec<Ticket> = data
                .try_with_untracked(|d| {
                    let Some(d) = d else { return Vec::new() };
                    found
                        .into_iter()
                        .filter(|t| d.find(t.id).is_none_or(|old| crate::board_model::visible_change(old, t)))
                        .collect()
                })
                .unwrap_or_default();
            if !news.is_empty() {
                pending.update(|p| {
                    for t in news {
                        p.retain(|x| x.id != t.id);
                        p.push(t);
                    }
                });
            }
        });
    };
    let poll_s = location.with_untracked(|l| l.param("poll").and_then(|v| v.parse::<u64>().ok())).unwrap_or(60).max(2);
    if let Ok(h) = set_interval_with_handle(poll, std::time::Duration::from_secs(poll_s)) {
        on_cleanup(move || h.clear());
    }
    let back = window_event_listener_untyped("visibilitychange", move |_| poll());
    on_cleanup(move || back.remove());
    let show_updates = move |_| {
        let news = pending.get_untracked();
        marked.update(|m| m.extend(news.iter().map(|t| t.id)));
        data.update(|d| {
            if let Some(d) = d {
                for t in news {
                    d.insert(t);
                }
            }
        });
        pending.set(Vec::new());
    };

    let load_more = Callback::new(move |status: Status| {
        let Some(client) = session.client_untracked() else {
            return;
        };
        let Some(current) = data.get_untracked() else {
            return;
        };
        more_loading.set(Some(status));
        more_error.set(None);
        spawn_local(async move {
            let (req, next) = if status == Status::Solved {
                (by_status(Page::new(current.solved_next, PAGE), SortOrder::Asc), current.solved_next)
            } else {
                (by_status(Page::new(current.closed_next, CLOSED_PAGE), SortOrder::Desc), current.closed_next)
            };
            match client.send(&req).await {
                Ok(page) => data.update(|d| {
                    if let Some(d) = d {
                        let fresh = page.into_iter().filter(|t| column_of(t.status()) == status);
                        if status == Status::Solved {
                            d.solved.extend(fresh);
                            d.solved_next = next + 1;
                        } else {
                            d.closed.extend(fresh);
                            d.closed_next = next + 1;
                        }
                    }
                }),
                Err(e) => more_error.set(Some((status, e))),
            }
            more_loading.set(None);
        });
    });

    let shown_columns = Signal::derive(move || {
        let mut cols = data.with(|d| d.as_ref().map(|d| filter.with(|f| columns(d, f))).unwrap_or_default());
        let marked_ids: Vec<i64> = marked.with(|m| m.iter().copied().collect());
        for c in cols.iter_mut() {
            c.marked = marked_ids.iter().copied().filter(|id| c.tickets.iter().any(|t| t.id == *id)).collect();
            c.loading = more_loading.get() == Some(c.status);
            if let Some((s, e)) = more_error.get()
                && s == c.status
            {
                c.error = Some(e);
            }
        }
        cols
    });

    // Moving a card: at once on the board, then the service; on refusal it goes back with the
    // service's reason. Every move offers Undo for a few seconds; the toast is a live region, so
    // screen readers hear what happened.
    let toast = RwSignal::new(None::<Toast>);
    let toast_seq = StoredValue::new(0u64);
    let show_toast = move |t: Toast| {
        let seq = toast_seq.get_value() + 1;
        toast_seq.set_value(seq);
        toast.set(Some(t));
        set_timeout(
            move || {
                if toast_seq.try_get_value() == Some(seq) {
                    toast.set(None);
                }
            },
            std::time::Duration::from_millis(6000),
        );
    };
    let move_ticket = Callback::new(move |(id, to): (i64, Status)| {
        let Some(client) = session.client_untracked() else { return };
        let mut from = None;
        data.update(|d| from = d.as_mut().and_then(|d| d.move_ticket(id, to)));
        let Some(from) = from else { return };
        if from == to {
            return;
        }
        focus_card(id, reveal);
        spawn_local(async move {
            let input = ticket::TicketInput { status_id: Some(to), ..Default::default() };
            match client.send(&ticket::update(id, &input)).await {
                Ok(saved) => {
                    // The rebuilt column gets a new card element: if the keyboard was on this
                    // card (or nowhere), it stays on it.
                    let active = document().active_element();
                    let on_card = active.as_ref().is_none_or(|e| {
                        e.tag_name() == "BODY"
                            || e.closest("[data-ticket-id]")
                                .ok()
                                .flatten()
                                .and_then(|c| c.get_attribute("data-ticket-id"))
                                == Some(id.to_string())
                    });
                    data.update(|d| {
                        if let Some(d) = d {
                            d.insert(saved);
                        }
                    });
                    if on_card {
                        focus_card(id, reveal);
                    }
                    show_toast(Toast {
                        text: format!("Moved #{id} to {}.", to.label()),
                        undo: Some((id, from)),
                        error: false,
                    });
                }
                Err(e) => {
                    data.update(|d| {
                        if let Some(d) = d {
                            d.move_ticket(id, from);
                        }
                    });
                    focus_card(id, reveal);
                    let why = e.service_message().unwrap_or_else(|| e.user_message());
                    show_toast(Toast {
                        text: format!("#{id} stays in {}: {why}", from.label()),
                        undo: None,
                        error: true,
                    });
                }
            }
        });
    });

    // Quick actions on a card: the answer (the saved ticket) replaces the card; a refusal says why.
    let quick = Callback::new(move |(id, action): (i64, QuickAction)| {
        let Some(client) = session.client_untracked() else { return };
        spawn_local(async move {
            let done: Result<String, ApiError> = match action {
                QuickAction::AssignTo(me) => {
                    let input = ticket::TicketInput { assigned_to_id: Some(Some(me)), ..Default::default() };
                    client.send(&ticket::update(id, &input)).await.map(|saved| {
                        data.update(|d| {
                            if let Some(d) = d {
                                d.insert(saved)
                            }
                        });
                        format!("#{id} is assigned to you.")
                    })
                }
                QuickAction::Priority(p) => {
                    let input = ticket::TicketInput { priority_id: Some(p), ..Default::default() };
                    client.send(&ticket::update(id, &input)).await.map(|saved| {
                        data.update(|d| {
                            if let Some(d) = d {
                                d.insert(saved)
                            }
                        });
                        format!("#{id} is now {}.", p.label())
                    })
                }
                QuickAction::AddTag(label) => {
                    client.send(&ticket::add_tag(id, &ticket::TagRef::Label(label.clone()))).await.map(|tags| {
                        data.update(|d| {
                            if let Some(d) = d
                                && let Some(mut t) = d.find(id).cloned()
                            {
                                t.tag_ids = tags.iter().map(|x| x.id).collect();
                                t.tags = tags;
                                d.insert(t);
                            }
                        });
                        format!("Tag \u{201c}{}\u{201d} added to #{id}.", crate::ticket_model::visible_text(&label))
                    })
                }
            };
            match done {
                Ok(text) => show_toast(Toast { text, undo: None, error: false }),
                Err(e) if e.accepted_unreadable() => {
                    // The helpdesk said yes; only its answer was garbled: read the ticket back.
                    if let Ok(fresh) = client.send(&ticket::show(id)).await {
                        data.update(|d| {
                            if let Some(d) = d {
                                d.insert(fresh)
                            }
                        });
                    }
                    show_toast(Toast {
                        text: format!(
                            "#{id} was changed (the helpdesk's answer could not be read, so it was read again)."
                        ),
                        undo: None,
                        error: false,
                    });
                }
                Err(e) => {
                    let why = e.service_message().unwrap_or_else(|| e.user_message());
                    show_toast(Toast { text: format!("#{id} was not changed: {why}"), undo: None, error: true });
                }
            }
        });
    });

    let set_param = move |key: &'static str| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            navigate(&location.with_untracked(|l| board_href_with(l, key, &v)));
        }
    };
    let on_queue = set_param("queue");
    let on_search = set_param("q");
    // The other pickers: (label, URL key, lookup kind, "all" label).
    use mojo_api::search_field::FieldKind;
    let pickers: [(&'static str, &'static str, FieldKind, &'static str); 5] = [
        ("Assignee", "assignee", FieldKind::Agent, "Anyone"),
        ("Priority", "priority", FieldKind::Priority, "Any priority"),
        ("Type", "type", FieldKind::TicketType, "Any type"),
        ("Group", "group", FieldKind::Group, "Any group"),
        ("Tag", "tag", FieldKind::Tag, "Any tag"),
    ];
    let group_by = Memo::new(move |_| location.with(|l| GroupBy::from_param(l.param("by"))));
    let grouped = Signal::derive(move || {
        let by = group_by.get();
        data.with(|d| {
            let Some(d) = d else { return Vec::new() };
            let open: Vec<Ticket> = filter.with(|f| d.open.iter().filter(|t| f.keeps(t)).cloned().collect());
            lookups.with(|l| {
                let name = |g: GroupBy, id: i64| {
                    if g == GroupBy::Queue { l.queue_name(Some(id)) } else { l.agent_name(Some(id)) }
                };
                group_open(&open, by, &name, crate::kiosk_model::Clock::browser())
            })
        })
    });
    let group_picker = view! {
        <label class="field inline">
            <span>"Columns"</span>
            <select data-filter="by" on:change=set_param("by") prop:value=move || group_by.get().key()>
                {GroupBy::ALL.into_iter().map(|g| view! {
                    <option value=g.key() selected=move || group_by.get() == g>{format!("By {}", g.label().to_lowercase())}</option>
                }).collect_view()}
            </select>
        </label>
    };
    let picker_views = pickers
        .into_iter()
        .map(|(label, key, kind, all)| {
            let current = Memo::new(move |_| location.with(|l| l.param(key).unwrap_or_default().to_string()));
            view! {
                <label class="field inline">
                    <span>{label}</span>
                    <select data-filter=key on:change=set_param(key) prop:value=move || current.get()>
                        <option value="" selected=move || current.with(String::is_empty)>{all}</option>
                        {(key == "assignee").then(|| view! {
                            <option value="none" selected=move || current.with(|c| c == "none")>"Unassigned"</option>
                        })}
                        {move || {
                            use crate::search_model::ValueNames;
                            lookups.with(|l| l.values(kind)).into_iter().filter(|(id, _)| *id > 0).map(|(id, name)| {
                                let v = id.to_string();
                                let v2 = v.clone();
                                view! { <option value=v selected=move || current.with(|c| *c == v2)>{name}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
            }
        })
        .collect_view();

    view! {
        <div class="board-page">
            <div class="toolbar" role="toolbar" aria-label="Board filters">
                <label class="field inline">
                    <span>"Queue"</span>
                    <select on:change=on_queue prop:value=move || queue_filter.get().map(|q| q.to_string()).unwrap_or_default()>
                        <option value="">"All queues"</option>
                        {move || lookups.with(|l| l.queues_by_name()).into_iter().map(|(id, name)| view! {
                            <option value=id.to_string() selected=move || queue_filter.get() == Some(id)>{name}</option>
                        }).collect_view()}
                    </select>
                </label>
                {group_picker}
                {picker_views}
                <label class="field inline">
                    <span>"Search"</span>
                    <select id="board-search" on:change=on_search>
                        <option value="" selected=move || search_filter.get().is_none()>"All tickets"</option>
                        {move || {
                            let current = search_filter.get();
                            let list = saved.list();
                            let known = list.iter().any(|s| Some(&s.search.q) == current.as_ref());
                            let mut opts: Vec<(String, String)> = list.into_iter().map(|s| (s.search.q, s.name)).collect();
                            if let (Some(q), false) = (current.clone(), known) {
                                opts.push((q.clone(), format!("Query: {q}")));
                            }
                            opts.into_iter().map(|(q, name)| {
                                let selected = current.as_ref() == Some(&q);
                                view! { <option value=q selected=selected>{name}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
                <button type="button" class="button" on:click=move |_| { reload(); run_search_filter(); } disabled=move || loading.get()>
                    {move || if loading.get() { "Refreshing…" } else { "Refresh" }}
                </button>
                <span class="toolbar-note">{move || if session.read_only() {
                    "Read-only key: open a card to read the ticket."
                } else if group_by.get() == GroupBy::Status {
                    "Drag a card, or Alt+→ / Alt+← on a focused card, to change its status."
                } else {
                    "Open tickets only. Choose “By status” to move cards between statuses."
                }}</span>
                <span class="toolbar-note" aria-live="polite">
                    {move || data.with(|d| d.as_ref().map(|d| {
                        let n = filter.with(|f| d.open.iter().filter(|t| f.keeps(t)).count());
                        if n == 1 { "1 open ticket".to_string() } else { format!("{n} open tickets") }
                    }).unwrap_or_default())}
                </span>
            </div>
            {move || error.get().map(|e| view! { <ErrorNotice error=e context="Loading the board" on_retry=Callback::new(move |_| reload()) /> })}
            {move || match search_ids.get() {
                Some(Err(NarrowFailure::Api(e))) => Some(view! { <ErrorNotice error=e context="Narrowing the board by the search" on_retry=Callback::new(move |_| run_search_filter()) /> }.into_any()),
                Some(Err(NarrowFailure::Unreadable(why))) => Some(view! {
                    <div class="error-notice" role="alert">{format!("The board's search does not read: {why}. The board shows every ticket.")}</div>
                }.into_any()),
                Some(Ok((ids, capped))) => Some(view! {
                    <p class="board-narrowed" role="status">
                        {format!("Narrowed to {}{} tickets found by the search ", ids.len(), if capped { "+" } else { "" })}
                        <a href=crate::search_model::SearchState { q: search_filter.get().unwrap_or_default(), ..Default::default() }.href()>"(open in Search)"</a>
                        {capped.then_some(" — only the first results are used.")}
                    </p>
                }.into_any()),
                None if search_filter.with(Option::is_some) => Some(view! { <p class="board-narrowed" aria-live="polite">"Finding the search's tickets…"</p> }.into_any()),
                None => None,
            }}
            {move || {
                let n = pending.with(Vec::len);
                (n > 0).then(|| view! {
                    <div class="updates-bar" role="status">
                        <span>{if n == 1 { "1 ticket updated by others".to_string() } else { format!("{n} tickets updated by others") }}</span>
                        <button type="button" class="button small" on:click=show_updates>"Show"</button>
                    </div>
                })
            }}
            {move || (loading.get() && data.with(Option::is_none)).then(|| view! { <div class="board-loading" aria-live="polite">"Loading tickets…"</div> })}
            <Show when=move || data.with(Option::is_some)>
                {move || if group_by.get() != GroupBy::Status {
                    view! { <GroupedColumns groups=grouped marked=marked /> }.into_any()
                } else if session.read_only() {
                    // The helpdesk refuses this key's writes: no drag, no quick actions.
                    view! { <BoardColumns columns=shown_columns on_more=load_more /> }.into_any()
                } else {
                    view! { <BoardColumns columns=shown_columns on_more=load_more on_move=move_ticket on_quick=quick /> }.into_any()
                }}
            </Show>
            <div class="toast-region" role="status" aria-live="polite">
                {move || toast.get().map(|t| {
                    let undo = t.undo;
                    view! {
                        <div class="toast" class:toast-error=t.error>
                            <span>{t.text.clone()}</span>
                            {undo.map(|(id, back)| view! {
                                <button type="button" class="button small" on:click=move |_| {
                                    toast.set(None);
                                    move_ticket.run((id, back));
                                }>"Undo"</button>
                            })}
                            <button type="button" class="toast-close" aria-label="Dismiss" title="Dismiss" on:click=move |_| toast.set(None)>"×"</button>
                        </div>
                    }
                })}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: i64, s: Status) -> Ticket {
        Ticket { id, status_id: Some(s), ..Default::default() }
    }

    #[test]
    fn moves_between_columns_and_back() {
        let mut d = BoardData {
            open: vec![t(1, Status::New), t(2, Status::OnHold)],
            solved: vec![t(3, Status::Solved)],
            closed: vec![t(4, Status::Closed)],
            solved_total: Some(10),
            closed_total: Some(20),
            ..Default::default()
        };
        assert_eq!(d.move_ticket(1, Status::Solved), Some(Status::New));
        assert_eq!((d.open.len(), d.solved[0].id, d.solved_total), (1, 1, Some(11)));
        assert_eq!(d.move_ticket(1, Status::New), Some(Status::Solved));
        assert_eq!((d.open[0].id, d.solved.len(), d.solved_total), (1, 1, Some(10)));
        assert_eq!(d.move_ticket(4, Status::InProgress), Some(Status::Closed));
        assert_eq!((d.closed_total, d.open[0].status()), (Some(19), Status::InProgress));
        assert_eq!(d.move_ticket(99, Status::New), None);
        // The service confirms a move to solved with its own copy: counted once, not twice.
        d.move_ticket(2, Status::Solved);
        assert_eq!(d.solved_total, Some(11));
        d.insert(t(2, Status::Solved));
        assert_eq!((d.solved_total, d.solved.iter().filter(|x| x.id == 2).count()), (Some(11), 1));
        d.move_ticket(2, Status::OnHold);
        let cols = columns(&d, &BoardFilter::default());
        assert_eq!(cols.iter().map(|c| c.tickets.len()).collect::<Vec<_>>(), vec![1, 1, 1, 0, 1, 0]);
    }
}
