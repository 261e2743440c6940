//! One ticket, read-only: every field by name, the description and comments rendered safely.

use crate::components::error_notice::ErrorNotice;
use crate::components::safe_html::SafeHtml;
use crate::store::lookups::use_lookups;
use crate::store::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::comment::author_name;
use mojo_api::ticket::{self, Ticket};
use mojo_api::{ApiError, Timestamp};

fn when(t: Option<Timestamp>) -> String {
    t.map(|t| {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.millis() as f64));
        String::from(d.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
    })
    .unwrap_or_else(|| "—".into())
}

/// The ticket screen.
#[component]
pub fn TicketPage(
    /// Ticket id from the URL.
    id: i64,
) -> impl IntoView {
    let session = use_session();
    let result = RwSignal::new(None::<Result<Ticket, ApiError>>);
    let load = move || {
        let Some(client) = session.client_untracked() else {
            return;
        };
        result.set(None);
        spawn_local(async move { result.set(Some(client.send(&ticket::show(id)).await)) });
    };
    load();
    view! {
        <div class="ticket-page">
            <p class="breadcrumb"><a href="#/">"← Board"</a></p>
            {move || match result.get() {
                None => view! { <p class="page-loading" aria-live="polite">{format!("Loading ticket #{id}…")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e context=format!("Loading ticket #{id}") on_retry=Callback::new(move |_| load()) /> }.into_any(),
                Some(Ok(t)) => view! { <TicketDetail ticket=t /> }.into_any(),
            }}
        </div>
    }
}

/// The fields and texts of a full ticket.
#[component]
pub fn TicketDetail(
    /// A full ticket.
    ticket: Ticket,
) -> impl IntoView {
    let lookups = use_lookups();
    let l = lookups.get();
    let t = ticket;
    let status = t.status();
    let priority = t.priority();
    let requester = t
        .related(&["user", "full_name"])
        .or_else(|| t.related(&["user", "email"]))
        .unwrap_or_else(|| t.user_id.map(|u| format!("User #{u}")).unwrap_or_else(|| "—".into()));
    let requester_email = t.related(&["user", "email"]);
    let type_name = t.ticket_type.as_ref().and_then(|x| x.name.clone()).or_else(|| l.type_name(t.ticket_type_id));
    let queue_name =
        t.ticket_queue.as_ref().and_then(|q| q.name.clone()).unwrap_or_else(|| l.queue_name(t.ticket_queue_id));
    let group = t.related(&["company", "name"]).or_else(|| l.group_name(t.company_id));
    let custom = t.custom_fields();
    let rating = t.rating.map(|r| format!("{r}/100 ({} stars)", (r + 10) / 20));
    let mut fields: Vec<(&str, String)> = vec![
        ("Status", status.label()),
        ("Priority", priority.label()),
        ("Queue", queue_name),
        ("Assignee", l.agent_name(t.assigned_to_id)),
        (
            "Requester",
            requester_email.filter(|e| *e != requester).map(|e| format!("{requester}\n{e}")).unwrap_or(requester),
        ),
        ("Group", group.unwrap_or_else(|| "—".into())),
        ("Type", type_name.unwrap_or_else(|| "—".into())),
        ("Created", when(t.created_on)),
        ("Updated", when(t.updated_on)),
        ("Due", when(t.due_on)),
        ("Scheduled", when(t.scheduled_on)),
        ("Solved", when(t.solved_on)),
        ("Source", t.created_from.map(|c| c.label()).unwrap_or_else(|| "—".into())),
        ("CC", t.cc.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| "—".into())),
    ];
    if let Some(r) = rating {
        fields.push(("Rating", r));
    }
    let description = t.description.clone().unwrap_or_default();
    let mut comments = t.all_comments.clone();
    comments.sort_unstable_by_key(|c| (c.created_on, c.id));
    let tags = t.tags.clone();
    view! {
        <article class="ticket-detail">
            <header class="ticket-head">
                <span class="ticket-id">{format!("#{}", t.id)}</span>
                <h1 title=t.display_title()>{t.display_title()}</h1>
                <span class=format!("status-pill status-{}", status.slug())>{status.label()}</span>
                <span class=format!("priority-badge priority-{}", priority.slug())>{priority.label()}</span>
            </header>
            <div class="ticket-body">
                <section class="ticket-main">
                    <h2>"Description"</h2>
                    {if description.trim().is_empty() {
                        view! { <p class="muted">"No description."</p> }.into_any()
                    } else {
                        view! { <SafeHtml text=description /> }.into_any()
                    }}
                    <h2>{format!("Comments ({})", comments.len())}</h2>
                    <ol class="timeline">
                        {comments.into_iter().map(|c| {
                            let who = author_name(&c.related_data).or(c.from_email.clone()).unwrap_or_else(|| c.user_id.map(|u| format!("User #{u}")).unwrap_or_default());
                            let body = c.body.clone().unwrap_or_default();
                            view! {
                                <li class="timeline-item comment">
                                    <div class="timeline-meta"><strong>{who}</strong>" · "<span>{when(c.created_on)}</span>
                                        {c.time_spent.filter(|m| *m > 0).map(|m| view! { <span class="time-spent">{format!(" · {m} min")}</span> })}
                                    </div>
                                    <SafeHtml text=body />
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </section>
                <aside class="ticket-fields" aria-label="Ticket fields">
                    <dl>
                        {fields.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                        {custom.into_iter().map(|(k, v)| {
                            let label = k.trim_start_matches("custom_field_").replace('_', " ");
                            view! { <dt class="custom-field">{label}</dt><dd>{if v.is_empty() { "—".to_string() } else { v }}</dd> }
                        }).collect_view()}
                    </dl>
                    {(!tags.is_empty()).then(|| view! {
                        <ul class="tag-list" aria-label="Tags">
                            {tags.into_iter().map(|tag| {
                                let style = tag.safe_color().map(|c| format!("--tag-color:{c}")).unwrap_or_default();
                                view! { <li class="tag" style=style>{tag.label.clone().unwrap_or_default()}</li> }
                            }).collect_view()}
                        </ul>
                    })}
                </aside>
            </div>
        </article>
    }
}
