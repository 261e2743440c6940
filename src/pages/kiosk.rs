//! The kiosk wallboard (`#/kiosk?…`, settings in [`crate::kiosk_model`]): views that rotate on a
//! wall-mounted screen with nobody at the keyboard. It refreshes on an interval; when the service
//! fails it keeps showing the last figures with their age and a stale warning, retries with
//! backoff and recovers by itself. Nothing ever waits for a click.

use crate::api::Client;
use crate::board_model::age_label;
use crate::kiosk_model::{Clock, DAY_MS, Fetched, KioskConfig, Snapshot, Theme, View, ago, is_stale, next_wait_s};
use crate::route::Location;
use crate::store::lookups::use_lookups;
use crate::store::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::query::Query;
use mojo_api::request::Page;
use mojo_api::ticket::{self, Ticket};
use mojo_api::{ApiError, Timestamp};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen::JsCast;

fn now_ms() -> i64 {
    Clock::browser().now
}

/// Local time minus UTC, in milliseconds, as the browser knows it.
fn local_shift_ms() -> i64 {
    Clock::browser().shift_ms
}

/// `HH:MM` local.
fn hhmm(t: i64) -> String {
    let m = (t + local_shift_ms()).rem_euclid(DAY_MS) / 60_000;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// `Thu 4` (weekday and day of month, local).
fn day_label(start: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let local = start + local_shift_ms() + DAY_MS / 2;
    let wd = WEEKDAYS[local.div_euclid(DAY_MS).rem_euclid(7) as usize];
    let iso = Timestamp(local).to_iso();
    format!("{wd} {}", iso.get(8..10).unwrap_or("").trim_start_matches('0'))
}

async fn sleep_s(seconds: f64) {
    let ms = (seconds * 1000.0).round().clamp(0.0, i32::MAX as f64) as i32;
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// One refresh: the open tickets and the last 14 days' created and solved, by search.
async fn fetch(client: &Client, cfg: &KioskConfig, clock: Clock) -> Result<Fetched, ApiError> {
    let since = Timestamp(clock.chart_start()).to_iso();
    let all = |q: Query| {
        let client = client.clone();
        async move { client.fetch_all_pages(100, 100, move |p: Page| ticket::search(Some(&q), Some("id"), false, p)).await }
    };
    let open = all(cfg.open_query()).await?;
    let created = all(cfg.created_since(&since)).await?;
    let solved = all(cfg.solved_since(&since)).await?;
    Ok(Fetched { open, created, solved })
}

/// Keeps the screen awake where the browser offers the Screen Wake Lock API (asked again when
/// the page comes back into view, since the browser releases it when hidden).
fn request_wake_lock() {
    let Ok(nav) = js_sys::Reflect::get(&window(), &"navigator".into()) else { return };
    let Ok(lock) = js_sys::Reflect::get(&nav, &"wakeLock".into()) else { return };
    if lock.is_undefined() || lock.is_null() {
        return;
    }
    let Ok(request) = js_sys::Reflect::get(&lock, &"request".into()) else { return };
    let Ok(request) = request.dyn_into::<js_sys::Function>() else { return };
    if let Ok(p) = request.call1(&lock, &"screen".into()).and_then(|p| p.dyn_into::<js_sys::Promise>()) {
        spawn_local(async move {
            // Refused (no user gesture, battery saver): the wall simply may dim.
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        });
    }
}

/// The wallboard.
#[component]
pub fn KioskPage(
    /// The current location (the kiosk's settings).
    location: ReadSignal<Location>,
) -> impl IntoView {
    let session = use_session();
    let cfg = Memo::new(move |_| location.with(|l| KioskConfig::from_params(|k| l.param(k).map(String::from))));
    let snapshot = RwSignal::new(None::<Snapshot>);
    let last_ok = RwSignal::new(None::<i64>);
    // Failures in a row and the last one's message.
    let failure = RwSignal::new(None::<(u32, String)>);
    let now = RwSignal::new(now_ms());
    let started = now_ms();
    // Successful refreshes so far (shown as `data-refreshes`, for the soak benchmark).
    let refreshes = RwSignal::new(0u64);

    // The clock (also drives the rotation and the "N min ago").
    if let Ok(tick) = set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_secs(1)) {
        on_cleanup(move || tick.clear());
    }
    request_wake_lock();
    let visible = window_event_listener_untyped("visibilitychange", move |_| {
        let hidden = js_sys::Reflect::get(&document(), &"hidden".into()).ok().and_then(|v| v.as_bool());
        if hidden == Some(false) {
            request_wake_lock();
        }
    });
    on_cleanup(move || visible.remove());

    // The refresh loop: runs until the kiosk leaves the screen or the session ends.
    let alive = Arc::new(AtomicBool::new(true));
    {
        let alive = alive.clone();
        spawn_local(async move {
            let mut failures = 0u32;
            while alive.load(Ordering::Relaxed) {
                let Some(client) = session.client_untracked() else { break };
                let c = cfg.get_untracked();
                let clock = Clock::browser();
                match fetch(&client, &c, clock).await {
                    Ok(f) if alive.load(Ordering::Relaxed) => {
                        failures = 0;
                        snapshot.set(Some(Snapshot::compute(&f, clock, &c)));
                        last_ok.set(Some(clock.now));
                        failure.set(None);
                        refreshes.update(|n| *n += 1);
                    }
                    Ok(_) => break,
                    Err(e) => {
                        if !alive.load(Ordering::Relaxed) {
                            break;
                        }
                        failures += 1;
                        failure.set(Some((failures, e.user_message())));
                    }
                }
                sleep_s(next_wait_s(c.refresh_s, failures)).await;
            }
        });
    }
    on_cleanup(move || alive.store(false, Ordering::Relaxed));

    let view_now = Memo::new(move |_| {
        let c = cfg.get();
        let step = ((now.get() - started).max(0) as f64 / (c.rotate_s * 1000.0)) as usize;
        c.views[step % c.views.len()]
    });
    let stale = move || is_stale(last_ok.get(), now.get(), cfg.with(|c| c.refresh_s), failure.with(Option::is_some));
    let status_line = move || {
        let age = last_ok.get().map(|t| ago(now.get() - t));
        match (age, failure.get(), stale()) {
            (None, None, _) => "Loading…".to_string(),
            (None, Some((_, why)), _) => format!("No data yet. {why} Retrying by itself."),
            (Some(age), Some((_, why)), _) => format!("Stale: last updated {age}. {why} Retrying by itself."),
            (Some(age), None, true) => format!("Stale: last updated {age}."),
            (Some(age), None, false) => format!("Updated {age}"),
        }
    };

    view! {
        <div class="kiosk" class:kiosk-light=move || cfg.with(|c| c.theme == Theme::Light) data-view=move || view_now.get().key() data-refreshes=move || refreshes.get()>
            <header class="kiosk-head">
                <h1 class="kiosk-title">{move || view_now.get().title()}</h1>
                <p class="kiosk-status" class:stale=stale role="status" aria-live="polite">
                    {move || stale().then_some("⚠ ")}{status_line}
                </p>
                <time class="kiosk-clock">{move || hhmm(now.get())}</time>
            </header>
            <main class="kiosk-main">
                {move || match snapshot.get() {
                    None => view! { <p class="kiosk-waiting">{status_line}</p> }.into_any(),
                    Some(s) => match view_now.get() {
                        View::Tiles => view! { <TilesView s=s /> }.into_any(),
                        View::Board => view! { <BoardView s=s /> }.into_any(),
                        View::Oldest => view! { <TicketList tickets=s.oldest.clone() now=s.at empty="No open tickets." what=Detail::Age /> }.into_any(),
                        View::Due => view! { <DueView s=s /> }.into_any(),
                        View::New => view! { <TicketList tickets=s.new_today.clone() now=s.at empty="No tickets yet today." what=Detail::CreatedAt /> }.into_any(),
                        View::Chart => view! { <ChartView s=s /> }.into_any(),
                    },
                }}
            </main>
            <footer class="kiosk-foot" aria-hidden="true">
                {move || {
                    let current = view_now.get();
                    cfg.with(|c| c.views.iter().map(|v| view! {
                        <span class="kiosk-dot" class:current=*v == current>{v.title()}</span>
                    }).collect_view())
                }}
            </footer>
        </div>
    }
}

#[component]
fn TileBox(label: String, count: usize, class: String, alert: bool) -> impl IntoView {
    view! {
        <div class=format!("tile {class}") class:alert=alert>
            <span class="tile-count">{count}</span>
            <span class="tile-label">{label}</span>
            {alert.then(|| view! { <span class="tile-alert">"ALERT"</span> })}
        </div>
    }
}

#[component]
fn TilesView(s: Snapshot) -> impl IntoView {
    let lookups = use_lookups();
    let queues: Vec<(String, usize)> =
        s.by_queue.iter().take(8).map(|(id, n)| (lookups.with(|l| l.queue_name(Some(*id))), *n)).collect();
    view! {
        <div class="tiles-view">
            <section class="tile-row" aria-label="By status">
                <TileBox label="Open".into() count=s.open_total class="open-total".into() alert=s.open_alert />
                {s.by_status.into_iter().map(|t| view! { <TileBox label=t.label count=t.count class=t.class alert=t.alert /> }).collect_view()}
            </section>
            <section class="tile-row" aria-label="Open by priority">
                {s.by_priority.into_iter().map(|t| view! { <TileBox label=t.label count=t.count class=t.class alert=t.alert /> }).collect_view()}
            </section>
            <section class="tile-row queues" aria-label="Open by queue">
                {queues.into_iter().map(|(name, n)| view! { <TileBox label=name count=n class="queue".into() alert=false /> }).collect_view()}
            </section>
        </div>
    }
}

/// How many titles a board column shows on a wall.
const COLUMN_ROWS: usize = 15;

#[component]
fn BoardView(s: Snapshot) -> impl IntoView {
    view! {
        <div class="kiosk-board">
            {s.columns.into_iter().map(|(status, tickets)| {
                let more = tickets.len().saturating_sub(COLUMN_ROWS);
                view! {
                    <section class=format!("kiosk-column status-{}", status.slug())>
                        <h2><span>{status.label()}</span><span class="kiosk-count">{tickets.len()}</span></h2>
                        <ol>
                            {tickets.into_iter().take(COLUMN_ROWS).map(|t| view! {
                                <li class=format!("k-pri-{}", t.priority().slug())>
                                    <span class="kiosk-id">{format!("#{}", t.id)}</span>
                                    <span class="kiosk-ticket-title">{t.display_title()}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                        {(more > 0).then(|| view! { <p class="kiosk-more">{format!("+ {more} more")}</p> })}
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

/// How many tickets a list view shows.
const LIST_ROWS: usize = 12;

/// What the right-hand side of a ticket row says.
#[derive(Clone, Copy, PartialEq)]
enum Detail {
    /// Age since created.
    Age,
    /// Local time created.
    CreatedAt,
    /// Overdue by.
    Overdue,
    /// Due in.
    DueIn,
}

#[component]
fn TicketList(tickets: Vec<Ticket>, now: i64, empty: &'static str, what: Detail) -> impl IntoView {
    let lookups = use_lookups();
    if tickets.is_empty() {
        return view! { <p class="kiosk-empty">{empty}</p> }.into_any();
    }
    let more = tickets.len().saturating_sub(LIST_ROWS);
    view! {
        <ol class="kiosk-list">
            {tickets.into_iter().take(LIST_ROWS).map(|t| {
                let created = t.created_on.map(|c| c.millis()).unwrap_or(now);
                let due = t.due_on.map(|d| d.millis()).unwrap_or(now);
                let detail = match what {
                    Detail::Age => age_label(created, now),
                    Detail::CreatedAt => hhmm(created),
                    Detail::Overdue => format!("overdue {}", age_label(due, now)),
                    Detail::DueIn => format!("due in {}", age_label(now, due)),
                };
                let queue = lookups.with(|l| l.queue_name(t.ticket_queue_id));
                view! {
                    <li class=format!("k-pri-{}", t.priority().slug())>
                        <span class="kiosk-id">{format!("#{}", t.id)}</span>
                        <span class="kiosk-ticket-title">{t.display_title()}</span>
                        <span class="kiosk-queue">{queue}</span>
                        <span class="kiosk-detail">{detail}</span>
                    </li>
                }
            }).collect_view()}
            {(more > 0).then(|| view! { <li class="kiosk-more">{format!("+ {more} more")}</li> })}
        </ol>
    }
    .into_any()
}

#[component]
fn DueView(s: Snapshot) -> impl IntoView {
    view! {
        <div class="kiosk-due">
            <section>
                <h2 class="overdue-head">{format!("Overdue: {}", s.overdue.len())}</h2>
                <TicketList tickets=s.overdue now=s.at empty="Nothing overdue." what=Detail::Overdue />
            </section>
            <section>
                <h2 class="due-soon-head">{format!("Due within 24 h: {}", s.due_soon.len())}</h2>
                <TicketList tickets=s.due_soon now=s.at empty="Nothing due in the next 24 hours." what=Detail::DueIn />
            </section>
        </div>
    }
}

#[component]
fn ChartView(s: Snapshot) -> impl IntoView {
    const W: f64 = 1600.0;
    const H: f64 = 640.0;
    const TOP: f64 = 30.0;
    const BOTTOM: f64 = 80.0;
    const LEFT: f64 = 70.0;
    let max = s.days.iter().map(|d| d.created.max(d.solved)).max().unwrap_or(0).max(1);
    // A round top for the axis: 1, 2, 5 × 10^k.
    let top = {
        let mut step = 1usize;
        loop {
            if let Some(t) = [step, 2 * step, 5 * step].into_iter().find(|t| *t >= max) {
                break t;
            }
            step *= 10;
        }
    };
    let plot_h = H - TOP - BOTTOM;
    let slot = (W - LEFT) / s.days.len().max(1) as f64;
    let bar = slot * 0.34;
    let y = move |n: usize| TOP + plot_h * (1.0 - n as f64 / top as f64);
    let created_total: usize = s.days.iter().map(|d| d.created).sum();
    let solved_total: usize = s.days.iter().map(|d| d.solved).sum();
    view! {
        <figure class="kiosk-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img"
                aria-label=format!("Created {created_total} and solved {solved_total} tickets over 14 days")>
                {[0usize, top / 2, top].into_iter().map(|v| view! {
                    <line class="grid" x1=LEFT x2=W y1=y(v) y2=y(v) />
                    <text class="axis" x=LEFT - 12.0 y=y(v) + 10.0 text-anchor="end">{v}</text>
                }).collect_view()}
                {s.days.iter().enumerate().map(|(i, d)| {
                    let x = LEFT + i as f64 * slot + slot * 0.14;
                    view! {
                        <rect class="bar-created" x=x y=y(d.created) width=bar height=plot_h * d.created as f64 / top as f64>
                            <title>{format!("{}: {} created", day_label(d.start), d.created)}</title>
                        </rect>
                        <rect class="bar-solved" x=x + bar y=y(d.solved) width=bar height=plot_h * d.solved as f64 / top as f64>
                            <title>{format!("{}: {} solved", day_label(d.start), d.solved)}</title>
                        </rect>
                        <text class="value" x=x + bar / 2.0 y=y(d.created) - 8.0 text-anchor="middle">{d.created}</text>
                        <text class="value" x=x + bar * 1.5 y=y(d.solved) - 8.0 text-anchor="middle">{d.solved}</text>
                        <text class="axis" x=x + bar y=H - BOTTOM + 40.0 text-anchor="middle">{day_label(d.start)}</text>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="kiosk-legend">
                <span class="legend-created">{format!("Created: {created_total}")}</span>
                <span class="legend-solved">{format!("Solved: {solved_total}")}</span>
            </figcaption>
        </figure>
    }
}
