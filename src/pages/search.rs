//! Ticket search: free text, a builder of chips and ranges, and the raw query editor, kept in
//! step both ways; sorting, load-more paging, and saved searches. The whole search lives in the
//! URL (`#/search?q=…&sf=…&r=1`), so it can be shared, bookmarked, and walked with Back/Forward.

use crate::components::error_notice::ErrorNotice;
use crate::route::{Location, board_href, navigate, replace_location, ticket_href};
use crate::search_model::{Builder, DATE_FIELDS, LIST_FIELDS, SavedSearch, SearchState, Suggestion, ValueNames};
use crate::search_model::{apply, beyond_limits, merge_saved, parse_saved, suggest};
use crate::store::lookups::{LookupData, use_lookups};
use crate::store::saved_searches::use_saved_searches;
use crate::store::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::query::{self, ParseError, Query};
use mojo_api::request::Page;
use mojo_api::search_field::FieldKind;
use mojo_api::ticket::{self, SEARCH_SORT_FIELDS, Ticket};
use mojo_api::{ApiError, Timestamp};
use wasm_bindgen::JsCast;

/// Results per page.
const PER_PAGE: u32 = 25;
/// Quiet time after typing before the search runs.
const DEBOUNCE_MS: u64 = 350;

/// What a search has found so far.
#[derive(Clone, Debug, PartialEq)]
struct Results {
    state: SearchState,
    tickets: Vec<Ticket>,
    next_page: u32,
    /// A short page came back: everything is here.
    complete: bool,
}

/// Runs `f` after `ms` unless `debounce` is called again first.
fn debounce(seq: StoredValue<u64>, ms: u64, f: impl FnOnce() + 'static) {
    let mine = seq.get_value() + 1;
    seq.set_value(mine);
    set_timeout(
        move || {
            // Gone (the page was left) or overtaken by a later keystroke: nothing to do.
            if seq.try_get_value() == Some(mine) {
                f();
            }
        },
        std::time::Duration::from_millis(ms),
    );
}

fn sort_label(f: &str) -> &'static str {
    match f {
        "created_on" => "Created",
        "updated_on" => "Updated",
        "due_on" => "Due",
        "rated_on" => "Rated",
        "scheduled_on" => "Scheduled",
        "solved_on" => "Solved",
        "closed_on" => "Closed",
        "status_changed_on" => "Status changed",
        "id" => "Ticket number",
        _ => "Other",
    }
}

fn day(t: Option<Timestamp>) -> String {
    t.map(|t| t.to_iso().chars().take(10).collect()).unwrap_or_else(|| "—".into())
}

/// UTF-16 offset (what the DOM reports) to a char offset.
fn utf16_to_char(s: &str, utf16: u32) -> usize {
    let mut units = 0;
    for (i, c) in s.chars().enumerate() {
        if units >= utf16 as usize {
            return i;
        }
        units += c.len_utf16();
    }
    s.chars().count()
}

fn char_to_utf16(s: &str, chars: usize) -> u32 {
    s.chars().take(chars).map(char::len_utf16).sum::<usize>() as u32
}

/// Moves focus among the result links (ArrowUp/ArrowDown), from `from` by `step`.
fn focus_result(step: i32) {
    let doc = document();
    let Ok(links) = doc.query_selector_all(".search-results .result-link") else { return };
    let n = links.length() as i32;
    if n == 0 {
        return;
    }
    let active = doc.active_element();
    let current = (0..n).find(|i| {
        links.item(*i as u32).and_then(|l| l.dyn_into::<web_sys::Element>().ok()).as_ref() == active.as_ref()
    });
    let next = match current {
        Some(i) => (i + step).clamp(0, n - 1),
        None => 0,
    };
    if let Some(el) = links.item(next as u32).and_then(|l| l.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The search screen.
#[component]
pub fn SearchPage(
    /// The current location (the search state).
    location: ReadSignal<Location>,
) -> impl IntoView {
    let session = use_session();
    let lookups = use_lookups();
    let state = Memo::new(move |_| location.with(|l| SearchState::from_params(|k| l.param(k).map(String::from))));
    let url_query = Memo::new(move |_| state.with(|s| query::parse(&s.q)));
    let builder = Memo::new(move |_| Builder::from_query(url_query.get().ok().flatten().as_ref()));

    let go = move |next: SearchState, replace: bool| {
        let href = next.href();
        if replace { replace_location(&href) } else { navigate(&href) }
    };
    // The raw editor holds what the agent typed, valid or not; the URL holds the last valid query.
    let draft = RwSignal::new(state.get_untracked().q);
    // Chips and pickers change the query in the editor when it reads (so a valid edit not yet
    // searched is kept), else the last query that read; an unfinished edit stays in the editor.
    let draft_query = move || query::parse(&draft.get_untracked());
    let set_builder = move |change: &dyn Fn(&mut Builder)| {
        let mut b = match draft_query() {
            Ok(q) => Builder::from_query(q.as_ref()),
            Err(_) => builder.get_untracked(),
        };
        change(&mut b);
        go(SearchState { q: b.to_query_string(), ..state.get_untracked() }, false);
    };

    let printed = |s: &str| query::parse(s).ok().flatten().map(|q| q.to_string()).unwrap_or_default();
    Effect::new(move |_| {
        let q = state.with(|s| s.q.clone());
        // What the agent typed and has not finished (it does not read yet) is never replaced.
        let unfinished = draft.with_untracked(|d| query::parse(d).is_err());
        if !unfinished && draft.with_untracked(|d| printed(d) != printed(&q)) {
            draft.set(q);
        }
    });
    let draft_parse: Memo<Result<Option<Query>, ParseError>> = Memo::new(move |_| draft.with(|d| query::parse(d)));
    let typing = StoredValue::new(0u64);
    let commit_draft = move |replace: bool| {
        if let Ok(q) = draft_parse.get_untracked() {
            let q = q.map(|q| q.to_string()).unwrap_or_default();
            if q != state.get_untracked().q {
                go(SearchState { q, ..state.get_untracked() }, replace);
            }
        }
    };

    // The free-text box mirrors the builder's text, without fighting the agent's spaces.
    let words = RwSignal::new(builder.get_untracked().text);
    Effect::new(move |_| {
        let t = builder.with(|b| b.text.clone());
        if words.with_untracked(|w| w.trim() != t.trim()) {
            words.set(t);
        }
    });
    let words_typing = StoredValue::new(0u64);

    // Results: the newest search wins; an older answer arriving late is dropped.
    let session_seq = StoredValue::new(0u64);
    let results = RwSignal::new(None::<Results>);
    let error = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(false);
    let fetch_page = move |st: SearchState, page: u32| {
        let Some(client) = session.client_untracked() else { return };
        let Ok(q) = query::parse(&st.q) else { return };
        let mine = session_seq.get_value() + 1;
        // A query beyond the service's limits is not sent: the page says why instead.
        if q.as_ref().and_then(beyond_limits).is_some() {
            session_seq.set_value(mine);
            loading.set(false);
            results.set(None);
            return;
        }
        session_seq.set_value(mine);
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            let req = ticket::search(q.as_ref(), Some(&st.sf), st.desc, Page::new(page, PER_PAGE));
            let answer = client.send(&req).await;
            // `try_`: the search may have been left while the answer was on its way.
            if session_seq.try_get_value() != Some(mine) {
                return;
            }
            loading.set(false);
            match answer {
                Ok(list) => results.update(|r| {
                    let complete = list.len() < PER_PAGE as usize;
                    match r {
                        Some(r) if page > 1 && r.state == st => {
                            let fresh: Vec<Ticket> =
                                list.into_iter().filter(|t| !r.tickets.iter().any(|x| x.id == t.id)).collect();
                            r.tickets.extend(fresh);
                            r.next_page = page + 1;
                            r.complete = complete;
                        }
                        _ => *r = Some(Results { state: st, tickets: list, next_page: page + 1, complete }),
                    }
                }),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| fetch_page(state.get(), 1));
    let load_more = move || {
        if let Some(r) = results.get_untracked() {
            fetch_page(r.state, r.next_page);
        }
    };
    let retry = Callback::new(move |_| {
        let st = state.get_untracked();
        match results.get_untracked() {
            Some(r) if r.state == st && !r.tickets.is_empty() => fetch_page(st, r.next_page),
            _ => fetch_page(st, 1),
        }
    });

    // Autocomplete in the raw editor (a combobox: focus stays in the editor).
    let editor = NodeRef::<leptos::html::Textarea>::new();
    let cursor = RwSignal::new(0usize);
    let show_suggestions = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let suggestions = Memo::new(move |_| {
        if !show_suggestions.get() {
            return Vec::new();
        }
        let c = cursor.get();
        draft.with(|d| lookups.with(|l| suggest(d, c, l as &dyn ValueNames, 8)))
    });
    let read_cursor = move || {
        if let Some(el) = editor.get_untracked() {
            let pos = el.selection_start().ok().flatten().unwrap_or(0);
            cursor.set(utf16_to_char(&el.value(), pos));
        }
    };
    let take_suggestion = move |s: Suggestion| {
        let (text, at) = apply(&draft.get_untracked(), &s);
        draft.set(text.clone());
        active.set(None);
        cursor.set(at);
        if let Some(el) = editor.get_untracked() {
            el.set_value(&text);
            let p = char_to_utf16(&text, at);
            let _ = el.set_selection_range(p, p);
            let _ = el.focus();
        }
        debounce(typing, DEBOUNCE_MS, move || commit_draft(true));
    };
    let on_editor_key = move |ev: leptos::ev::KeyboardEvent| {
        let list = suggestions.get_untracked();
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if !list.is_empty() => {
                ev.prevent_default();
                let n = list.len();
                active.update(|a| {
                    *a = Some(match (*a, ev.key() == "ArrowDown") {
                        (None, true) => 0,
                        (None, false) => n - 1,
                        (Some(i), true) => (i + 1) % n,
                        (Some(i), false) => (i + n - 1) % n,
                    })
                });
            }
            "Enter" | "Tab" if active.get_untracked().is_some() => {
                ev.prevent_default();
                if let Some(s) = active.get_untracked().and_then(|i| list.get(i).cloned()) {
                    take_suggestion(s);
                }
            }
            "Enter" if !ev.shift_key() => {
                ev.prevent_default();
                show_suggestions.set(false);
                commit_draft(false);
            }
            "Escape" => {
                show_suggestions.set(false);
                active.set(None);
            }
            _ => {}
        }
    };

    let options = move |kind: FieldKind| Signal::derive(move || lookups.with(|l| l.values(kind)));
    let field_kinds = [
        FieldKind::Status,
        FieldKind::Priority,
        FieldKind::Queue,
        FieldKind::Agent,
        FieldKind::Group,
        FieldKind::TicketType,
        FieldKind::Tag,
    ];
    let list_labels = ["Status", "Priority", "Queue", "Assignee", "Group", "Type", "Tags"];

    let shown_count = move || {
        results.with(|r| {
            r.as_ref().map(|r| {
                let n = r.tickets.len();
                match (r.complete, n) {
                    (true, 0) => "No tickets match.".to_string(),
                    (true, 1) => "1 ticket".to_string(),
                    (true, n) => format!("{n} tickets"),
                    (false, n) => format!("{n}+ tickets so far"),
                }
            })
        })
    };

    view! {
        <div class="search-page">
            <div class="search-main">
                <h1 class="visually-hidden">"Search tickets"</h1>
                <div class="search-bar">
                    <label class="field grow">
                        <span>"Words"</span>
                        <input id="search-text" type="search" placeholder="Text in titles, descriptions and comments — press / to come here"
                            autocomplete="off"
                            prop:value=move || words.get()
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                words.set(v.clone());
                                debounce(words_typing, DEBOUNCE_MS, move || set_builder(&|b| b.text = v.trim().to_string()));
                            }
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "ArrowDown" { ev.prevent_default(); focus_result(1); }
                                if ev.key() == "Enter" {
                                    let v = words.get_untracked();
                                    words_typing.set_value(words_typing.get_value() + 1);
                                    set_builder(&|b| b.text = v.trim().to_string());
                                }
                            } />
                    </label>
                    <label class="field">
                        <span>"Sort by"</span>
                        <select on:change=move |ev| go(SearchState { sf: event_target_value(&ev), ..state.get_untracked() }, false)>
                            {SEARCH_SORT_FIELDS.iter().map(|f| view! {
                                <option value=*f selected=move || state.with(|s| s.sf == *f)>{sort_label(f)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="button sort-direction" aria-label="Sort direction"
                        on:click=move |_| go(SearchState { desc: !state.get_untracked().desc, ..state.get_untracked() }, false)>
                        {move || if state.with(|s| s.desc) { "↓ Newest first" } else { "↑ Oldest first" }}
                    </button>
                </div>

                <fieldset class="builder">
                    <legend>"Filters"</legend>
                    {(0..LIST_FIELDS.len()).map(|i| {
                        let toggles = i < 2;
                        view! {
                            <ListFilter label=list_labels[i] options=options(field_kinds[i]) toggles=toggles
                                unassigned=LIST_FIELDS[i] == "assignee.id"
                                selected=Signal::derive(move || builder.with(|b| b.lists[i].clone()))
                                on_toggle=Callback::new(move |id: i64| set_builder(&|b| b.toggle(i, id))) />
                        }
                    }).collect_view()}
                    <div class="builder-dates">
                        {DATE_FIELDS.iter().enumerate().map(|(i, f)| {
                            let label = match *f { "created_on" => "Created", "updated_on" => "Updated", "due_on" => "Due", _ => "Solved" };
                            view! {
                                <div class="date-range" role="group" aria-label=format!("{label} between")>
                                    <span class="date-label">{label}</span>
                                    <input type="date" aria-label=format!("{label} from") data-field=*f data-end="from"
                                        prop:value=move || builder.with(|b| b.dates[i].from.clone().unwrap_or_default())
                                        on:change=move |ev| { let v = event_target_value(&ev); set_builder(&|b| b.dates[i].from = (!v.is_empty()).then(|| v.clone())); } />
                                    <span aria-hidden="true">"–"</span>
                                    <input type="date" aria-label=format!("{label} to") data-field=*f data-end="to"
                                        prop:value=move || builder.with(|b| b.dates[i].to.clone().unwrap_or_default())
                                        on:change=move |ev| { let v = event_target_value(&ev); set_builder(&|b| b.dates[i].to = (!v.is_empty()).then(|| v.clone())); } />
                                </div>
                            }
                        }).collect_view()}
                        <label class="field inline">
                            <span>"Due date"</span>
                            <select id="has-due" on:change=move |ev| {
                                let v = event_target_value(&ev);
                                set_builder(&|b| b.has_due = match v.as_str() { "yes" => Some(true), "no" => Some(false), _ => None });
                            }>
                                <option value="" selected=move || builder.with(|b| b.has_due.is_none())>"Any"</option>
                                <option value="yes" selected=move || builder.with(|b| b.has_due == Some(true))>"Has a due date"</option>
                                <option value="no" selected=move || builder.with(|b| b.has_due == Some(false))>"No due date"</option>
                            </select>
                        </label>
                    </div>
                    {move || builder.with(|b| (!b.extra.is_empty()).then(|| {
                        let text = b.extra.iter().map(|q| q.to_string()).collect::<Vec<_>>().join(" AND ");
                        view! { <p class="builder-extra">"Also: " <code>{text}</code> <span class="muted">" (edit in the query below)"</span></p> }
                    }))}
                    {move || (builder.with(|b| *b != Builder::default())).then(|| view! {
                        <button type="button" class="button small ghost" on:click=move |_| go(SearchState { q: String::new(), ..state.get_untracked() }, false)>"Clear all"</button>
                    })}
                </fieldset>

                <div class="query-editor">
                    <label for="raw-query">"Query"</label>
                    <textarea id="raw-query" node_ref=editor rows="2" spellcheck="false" autocomplete="off"
                        role="combobox" aria-autocomplete="list" aria-controls="query-suggestions"
                        aria-expanded=move || (!suggestions.with(Vec::is_empty)).to_string()
                        aria-activedescendant=move || active.get().map(|i| format!("suggestion-{i}")).unwrap_or_default()
                        aria-invalid=move || draft_parse.with(Result::is_err).to_string()
                        aria-describedby="query-help query-error"
                        prop:value=move || draft.get()
                        on:input=move |ev| {
                            draft.set(event_target_value(&ev));
                            show_suggestions.set(true);
                            active.set(None);
                            read_cursor();
                            debounce(typing, DEBOUNCE_MS, move || commit_draft(true));
                        }
                        on:click=move |_| read_cursor()
                        on:keyup=move |ev: leptos::ev::KeyboardEvent| if ev.key().starts_with("Arrow") && active.get_untracked().is_none() { read_cursor() }
                        on:keydown=on_editor_key
                        on:blur=move |_| show_suggestions.set(false)
                    ></textarea>
                    <ul id="query-suggestions" class="query-suggestions" role="listbox" aria-label="Suggestions" hidden=move || suggestions.with(Vec::is_empty)>
                        {move || suggestions.get().into_iter().enumerate().map(|(i, s)| {
                            let label = s.label.clone();
                            view! {
                                <li id=format!("suggestion-{i}") role="option" class="suggestion" class:active=move || active.get() == Some(i)
                                    aria-selected=move || (active.get() == Some(i)).to_string()
                                    on:mousedown=move |ev| { ev.prevent_default(); take_suggestion(s.clone()); }>{label}</li>
                            }
                        }).collect_view()}
                    </ul>
                    <p id="query-help" class="muted small">"Fields such as " <code>"status.id:(<50)"</code> ", " <code>"ticket_queue.id:3"</code> ", " <code>"created_on:[2025-01-01T00:00:00Z TO *]"</code> "; AND, OR, NOT, parentheses. Enter searches."</p>
                    <div id="query-error" aria-live="polite">
                        {move || draft_parse.get().err().map(|e| {
                            let text = draft.get_untracked();
                            let chars: Vec<char> = text.chars().collect();
                            let at = e.position.min(chars.len());
                            let before: String = chars[..at].iter().collect();
                            let here: String = chars.get(at).map(|c| c.to_string()).unwrap_or_else(|| " ".into());
                            let after: String = chars.get(at + 1..).map(|s| s.iter().collect()).unwrap_or_default();
                            view! {
                                <div class="query-error" role="alert">
                                    <strong>{format!("The query does not read at character {}: {}.", at + 1, e.message.trim_end_matches('.'))}</strong>
                                    <pre class="query-pointer">{before}<mark>{here}</mark>{after}</pre>
                                    <span class="muted">"The results below are for the last query that read."</span>
                                </div>
                            }
                        })}
                        {move || url_query.get().err().map(|e| view! {
                            <div class="query-error" role="alert">{format!("The address holds a query that does not read: {e}.")}</div>
                        })}
                    </div>
                </div>

                <div class="results-head">
                    <span class="result-count" aria-live="polite">{shown_count}</span>
                    {move || loading.get().then(|| view! { <span class="muted">"Searching…"</span> })}
                </div>
                {move || state.with(|st| query::parse(&st.q).ok().flatten().as_ref().and_then(beyond_limits))
                    .map(|why| view! { <div class="query-error" role="alert">{why}</div> })}
                {move || error.get().map(|e| view! { <ErrorNotice error=e context="Searching" on_retry=retry /> })}
                <ol class="search-results" aria-busy=move || loading.get().to_string() class:stale=move || loading.get()
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                        "ArrowDown" => { ev.prevent_default(); focus_result(1) }
                        "ArrowUp" => { ev.prevent_default(); focus_result(-1) }
                        _ => {}
                    }>
                    {move || results.with(|r| r.as_ref().map(|r| r.tickets.clone()).unwrap_or_default()).into_iter().map(|t| {
                        view! { <ResultRow ticket=t /> }
                    }).collect_view()}
                </ol>
                {move || results.with(|r| r.as_ref().is_some_and(|r| !r.complete)).then(|| view! {
                    <button type="button" class="button more" disabled=move || loading.get() on:click=move |_| load_more()>"Load more"</button>
                })}
            </div>
            <SavedSearchPanel state=state valid=Signal::derive(move || url_query.with(Result::is_ok)) />
        </div>
    }
}

/// One id-list filter: toggle chips for short fixed lists (status, priority), chips plus an
/// "add" picker for the helpdesk's own lists.
#[component]
fn ListFilter(
    /// Field label.
    label: &'static str,
    /// Every choice as (id, name).
    options: Signal<Vec<(i64, String)>>,
    /// Chosen ids.
    selected: Signal<Vec<i64>>,
    /// Adds or removes an id.
    on_toggle: Callback<i64>,
    /// Show every option as a toggle.
    toggles: bool,
    /// Offer "Unassigned" (id 0).
    #[prop(default = false)]
    unassigned: bool,
) -> impl IntoView {
    let name_of = move |id: i64| {
        if id == 0 && unassigned {
            return "Unassigned".to_string();
        }
        options.with(|o| o.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone())).unwrap_or_else(|| format!("#{id}"))
    };
    if toggles {
        return view! {
            <div class="list-filter" role="group" aria-label=label>
                <span class="filter-label">{label}</span>
                {move || options.get().into_iter().map(|(id, name)| view! {
                    <button type="button" class="chip toggle" aria-pressed=move || selected.with(|s| s.contains(&id)).to_string()
                        on:click=move |_| on_toggle.run(id)>{name}</button>
                }).collect_view()}
            </div>
        }
        .into_any();
    }
    view! {
        <div class="list-filter" role="group" aria-label=label>
            <span class="filter-label">{label}</span>
            {move || selected.get().into_iter().map(|id| {
                let name = name_of(id);
                view! {
                    <span class="chip">{name.clone()}
                        <button type="button" class="chip-remove" aria-label=format!("Remove {label} {name}") on:click=move |_| on_toggle.run(id)>"×"</button>
                    </span>
                }
            }).collect_view()}
            <select aria-label=format!("Add {label}") on:change=move |ev| {
                if let Ok(id) = event_target_value(&ev).parse::<i64>() { on_toggle.run(id); }
                if let Some(sel) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) { sel.set_value(""); }
            }>
                <option value="" selected=true>"Add…"</option>
                {unassigned.then(|| view! { <option value="0">"Unassigned"</option> })}
                {move || options.get().into_iter().filter(|(id, _)| !selected.with(|s| s.contains(id))).map(|(id, name)| view! {
                    <option value=id.to_string()>{name}</option>
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

/// A result: the key fields and a link to the ticket.
#[component]
fn ResultRow(ticket: Ticket) -> impl IntoView {
    let lookups = use_lookups();
    let status = ticket.status();
    let priority = ticket.priority();
    let (queue, assignee) = (ticket.ticket_queue_id, ticket.assigned_to_id);
    let title = ticket.display_title();
    let updated = day(ticket.updated_on);
    let created = day(ticket.created_on);
    let due = ticket.due_on.map(|d| day(Some(d)));
    let names = move |l: &LookupData| (l.queue_name(queue), l.agent_name(assignee));
    view! {
        <li class="search-result" data-ticket-id=ticket.id>
            <a class="result-link" href=ticket_href(ticket.id)>
                <span class="ticket-id">{format!("#{}", ticket.id)}</span>
                <span class="result-title">{title}</span>
                <span class=format!("status-pill status-{}", status.slug())>{status.label()}</span>
                <span class=format!("priority-badge priority-{}", priority.slug())>{priority.label()}</span>
                <span class="result-meta">{move || { let (q, a) = lookups.with(names); format!("{q} · {a}") }}</span>
                <span class="result-dates">{format!("Created {created} · Updated {updated}")}{due.map(|d| format!(" · Due {d}"))}</span>
            </a>
        </li>
    }
}

/// Saved searches: save the current one under a name; open, rename, delete, use on the board;
/// export and import as a JSON file.
#[component]
fn SavedSearchPanel(
    /// The current search.
    state: Memo<SearchState>,
    /// The current query reads (only those can be saved).
    valid: Signal<bool>,
) -> impl IntoView {
    let saved = use_saved_searches();
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let renaming = RwSignal::new(None::<(String, String)>);
    let confirm_delete = RwSignal::new(None::<String>);
    let report = move |r: Result<String, String>| {
        message.set(Some(match r {
            Ok(m) => (false, m),
            Err(e) => (true, e),
        }))
    };
    let save = move || {
        let n = name.get_untracked().trim().to_string();
        if n.is_empty() {
            report(Err("Give the search a name.".into()));
            return;
        }
        let s = SavedSearch { name: n.clone(), search: state.get_untracked() };
        let existed = saved.find(&n).is_some();
        report(saved.update(|l| merge_saved(l, vec![s])).map(|_| {
            name.set(String::new());
            if existed { format!("Updated “{n}”.") } else { format!("Saved “{n}”.") }
        }));
    };
    let export = move || {
        let json = serde_json::to_string_pretty(&saved.list()).unwrap_or_else(|_| "[]".into());
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&json));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type("application/json");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
        if let Ok(a) = document().create_element("a").map(|e| e.unchecked_into::<web_sys::HtmlAnchorElement>()) {
            a.set_href(&url);
            a.set_download("mojo-saved-searches.json");
            a.click();
        }
        // The download starts after this handler returns: free the blob a little later.
        set_timeout(
            move || {
                let _ = web_sys::Url::revoke_object_url(&url);
            },
            std::time::Duration::from_secs(30),
        );
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        if file.size() > 1_000_000.0 {
            report(Err(format!("“{}” is too large for a saved-searches file.", file.name())));
            return;
        }
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
            let Some(text) = text else {
                report(Err(format!("Could not read “{}”.", file.name())));
                return;
            };
            report(parse_saved(&text).and_then(|list| {
                let n = list.len();
                let fresh = list.iter().filter(|s| saved.find(&s.name).is_none()).count();
                if saved.list().len() + fresh > crate::search_model::MAX_SAVED {
                    return Err(format!(
                        "That would make more than {} saved searches.",
                        crate::search_model::MAX_SAVED
                    ));
                }
                saved.update(|l| merge_saved(l, list)).map(|_| format!("Imported {n} saved searches."))
            }));
        });
    };
    view! {
        <aside class="saved-searches" aria-labelledby="saved-heading">
            <h2 id="saved-heading">"Saved searches"</h2>
            <form class="save-form" on:submit=move |ev| { ev.prevent_default(); save(); }>
                <input type="text" aria-label="Name for this search" placeholder="Name this search" maxlength="80"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <button type="submit" class="button small" disabled=move || !valid.get()>"Save"</button>
            </form>
            {move || message.get().map(|(err, m)| view! { <p class="saved-message" class:error=err role="status">{m}</p> })}
            <ul class="saved-list">
                {move || saved.list().into_iter().map(|s| {
                    let n = s.name.clone();
                    let (n1, n3, n4) = (n.clone(), n.clone(), n.clone());
                    let board_link = board_href(&[("q", s.search.q.clone())]);
                    view! {
                        <li class="saved-item">
                            {move || match renaming.get() {
                                Some((old, text)) if old == n1 => view! {
                                    <form class="rename-form" on:submit=move |ev| {
                                        ev.prevent_default();
                                        let new = text.trim().to_string();
                                        let old = old.clone();
                                        if new.is_empty() { report(Err("A saved search needs a name.".into())); return; }
                                        if new != old && saved.find(&new).is_some() { report(Err(format!("“{new}” already exists."))); return; }
                                        report(saved.update(|l| if let Some(x) = l.iter_mut().find(|x| x.name == old) { x.name = new.clone() }).map(|_| format!("Renamed to “{new}”.")));
                                        renaming.set(None);
                                    }>
                                        <input type="text" aria-label="New name" maxlength="80" prop:value=text.clone()
                                            on:input=move |ev| renaming.update(|r| if let Some(r) = r { r.1 = event_target_value(&ev) }) />
                                        <button type="submit" class="button small">"OK"</button>
                                        <button type="button" class="button small ghost" on:click=move |_| renaming.set(None)>"Cancel"</button>
                                    </form>
                                }.into_any(),
                                _ => view! { <a class="saved-link" href=s.search.href() title=s.search.q.clone()>{n1.clone()}</a> }.into_any(),
                            }}
                            <span class="saved-actions">
                                <a class="button small ghost" href=board_link title="Show the board narrowed to this search">"Board"</a>
                                <button type="button" class="button small ghost" on:click=move |_| renaming.set(Some((n3.clone(), n3.clone())))>"Rename"</button>
                                {move || if confirm_delete.get().as_deref() == Some(n4.as_str()) {
                                    let n = n4.clone();
                                    view! {
                                        <button type="button" class="button small danger" on:click=move |_| {
                                            let n = n.clone();
                                            report(saved.update(|l| l.retain(|x| x.name != n)).map(|_| format!("Deleted “{n}”.")));
                                            confirm_delete.set(None);
                                        }>{format!("Delete “{n4}”?")}</button>
                                    }.into_any()
                                } else {
                                    let n = n4.clone();
                                    view! { <button type="button" class="button small ghost" on:click=move |_| confirm_delete.set(Some(n.clone()))>"Delete"</button> }.into_any()
                                }}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || saved.list().is_empty().then(|| view! { <p class="muted small">"None yet. Name the current search above to keep it."</p> })}
            <div class="saved-io">
                <button type="button" class="button small ghost" on:click=move |_| export() disabled=move || saved.list().is_empty()>"Export"</button>
                <label class="button small ghost file-button">"Import"
                    <input type="file" accept="application/json,.json" class="visually-hidden" on:change=import />
                </label>
            </div>
        </aside>
    }
}
