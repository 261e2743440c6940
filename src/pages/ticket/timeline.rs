//! One merged timeline of comments, staff notes (marked private) and events, oldest or newest
//! first, with each file under the comment or note it belongs to; and the composer for a comment
//! or a staff note. The composer's draft (`comment.<id>`) is kept as the agent types; a send that
//! lost its answer is looked up before it is sent again, so a retry never posts twice.

use super::attachments::FileChip;
use super::{now_ms, use_workspace, when};
use crate::components::safe_html::SafeHtml;
use crate::store::abilities;
use crate::store::drafts::{self, DraftWriter};
use crate::store::session::use_session;
use crate::ticket_model::{self as model, CommentDraft, EntryKind, Posted, TimelineEntry};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::comment::author_name;
use mojo_api::comment::{self, CommentInput};
use mojo_api::staff_note;
use mojo_api::ticket::{self, Ticket};

const ORDER_KEY: &str = "mojo.timeline_newest_first";
const COMPOSER_ID: &str = "composer-body";

/// Puts the cursor in the comment box.
pub fn focus_composer() {
    use wasm_bindgen::JsCast;
    if let Some(el) = document().get_element_by_id(COMPOSER_ID).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

fn local_flag(key: &str) -> bool {
    crate::store::local_storage().and_then(|s| s.get_item(key).ok().flatten()).is_some_and(|v| v == "1")
}

fn set_local_flag(key: &str, on: bool) {
    if let Some(s) = crate::store::local_storage() {
        let _ = s.set_item(key, if on { "1" } else { "0" });
    }
}

/// The timeline with its composer.
#[component]
pub fn Timeline() -> impl IntoView {
    let ws = use_workspace();
    let newest_first = RwSignal::new(local_flag(ORDER_KEY));
    let entries = Memo::new(move |_| {
        let first = newest_first.get();
        ws.ticket.with(|t| t.as_ref().map(|t| ws.events.with(|e| model::timeline(t, e, first))).unwrap_or_default())
    });
    let count = move || entries.with(|e| e.iter().filter(|x| x.kind != EntryKind::Event).count());
    view! {
        <section class="timeline-section" aria-labelledby="timeline-heading">
            <div class="timeline-head">
                <h2 id="timeline-heading">{move || format!("Conversation ({})", count())}</h2>
                <button type="button" class="button small ghost" aria-pressed=move || newest_first.get().to_string()
                    on:click=move |_| { let v = !newest_first.get_untracked(); newest_first.set(v); set_local_flag(ORDER_KEY, v); }>
                    {move || if newest_first.get() { "Newest first ↓" } else { "Oldest first ↓" }}
                </button>
            </div>
            <ol class="timeline">
                <For each=move || entries.get() key=|e| (e.kind as u8, e.id, e.attachments.len()) let:entry>
                    <Entry entry=entry />
                </For>
            </ol>
            // One composer, above the newest entry whichever way the list runs.
            <div class="composer-slot" class:first=move || newest_first.get()><Composer /></div>
        </section>
    }
}

#[component]
fn Entry(entry: TimelineEntry) -> impl IntoView {
    let (class, badge) = match entry.kind {
        EntryKind::Comment => ("timeline-item comment", None),
        EntryKind::Note => ("timeline-item note", Some("Staff note · private")),
        EntryKind::Event => ("timeline-item event", None),
    };
    let body = entry.body.clone();
    let is_event = entry.kind == EntryKind::Event;
    view! {
        <li class=class data-entry-id=entry.id>
            <div class="timeline-meta">
                <strong>{entry.author.clone()}</strong>" · "<time>{when(entry.at)}</time>
                {badge.map(|b| view! { <span class="private-badge">{b}</span> })}
                {entry.time_spent.map(|m| view! { <span class="time-spent">{format!(" · {m} min")}</span> })}
            </div>
            {if is_event {
                view! { <p class="event-text">{model::visible_text(&body)}</p> }.into_any()
            } else {
                view! { <Foldable><SafeHtml text=body /></Foldable> }.into_any()
            }}
            {(!entry.attachments.is_empty()).then(|| view! {
                <ul class="file-chips" aria-label="Files">
                    {entry.attachments.iter().map(|a| view! { <FileChip file=a.clone() /> }).collect_view()}
                </ul>
            })}
        </li>
    }
}

/// Taller than this, an entry is folded (to the height `.entry-body.folded` sets in ticket.css)
/// with a button to show it all: one pasted log or a 200,000-character reply must not turn the
/// ticket into a page of 50,000 pixels.
const FOLD_OVER_PX: i32 = 900;

/// A comment's or note's text, folded when it is very long.
#[component]
fn Foldable(children: Children) -> impl IntoView {
    let body = NodeRef::<leptos::html::Div>::new();
    let long = RwSignal::new(false);
    let open = RwSignal::new(false);
    // Measured once it is laid out.
    Effect::new(move |_| {
        if let Some(el) = body.get() {
            request_animation_frame(move || long.set(el.scroll_height() > FOLD_OVER_PX));
        }
    });
    view! {
        <div class="entry-body" class:folded=move || long.get() && !open.get() node_ref=body>{children()}</div>
        <Show when=move || long.get()>
            <button type="button" class="button small fold-toggle" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Fold it again" } else { "Show all of it" }}
            </button>
        </Show>
    }
}

/// The draft name of ticket `id`'s comment.
fn draft_name(id: i64) -> String {
    format!("comment.{id}")
}

/// `(id, body, created, author)` of every comment or note of `t`, for matching a lost save.
fn posted(t: &Ticket, note: bool) -> Vec<(i64, String, Option<mojo_api::Timestamp>, Option<i64>)> {
    if note {
        t.staff_notes.iter().map(|n| (n.id, n.body.clone().unwrap_or_default(), n.created_on, n.user_id)).collect()
    } else {
        t.all_comments.iter().map(|c| (c.id, c.body.clone().unwrap_or_default(), c.created_on, c.user_id)).collect()
    }
}

fn find_posted(t: &Ticket, d: &CommentDraft) -> Option<Posted> {
    let sent = d.sent_at?;
    let list = posted(t, d.note);
    model::already_posted(list.iter().map(|(i, b, at, u)| (*i, b.as_str(), *at, *u)), &d.body, sent, abilities::me())
}

/// A comment or note with the draft's text that may be the draft's lost save: who and when.
#[derive(Clone, Debug, PartialEq)]
struct Doubt {
    author: Option<i64>,
    who: String,
    at: Option<mojo_api::Timestamp>,
}

fn doubt_of(t: &Ticket, note: bool, id: i64) -> Doubt {
    let found = if note {
        t.staff_notes.iter().find(|n| n.id == id).map(|n| (n.user_id, author_name(&n.related_data), n.created_on))
    } else {
        t.all_comments
            .iter()
            .find(|c| c.id == id)
            .map(|c| (c.user_id, author_name(&c.related_data).or(c.from_email.clone()), c.created_on))
    };
    let (author, who, at) = found.unwrap_or_default();
    Doubt { author, who: who.unwrap_or_else(|| "someone".into()), at }
}

/// Writes a comment or a staff note.
#[component]
fn Composer() -> impl IntoView {
    let ws = use_workspace();
    let session = use_session();
    let id = ws.id;
    let draft = RwSignal::new(drafts::load::<CommentDraft>(&draft_name(id)).unwrap_or_default());
    let writer = DraftWriter::new();
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let info = RwSignal::new(None::<String>);
    let doubt = RwSignal::new(None::<Doubt>);
    let forget_draft = move |note: bool| {
        writer.cancel();
        drafts::clear(&draft_name(id));
        draft.try_set(CommentDraft { note, ..Default::default() });
    };
    // A draft whose send lost its answer: did it arrive? (The ticket in hand is fresh.)
    if let Some(t) = ws.ticket.get_untracked() {
        let d = draft.get_untracked();
        if d.sent_at.is_some() {
            match find_posted(&t, &d) {
                Some(Posted::Mine(_)) => {
                    forget_draft(d.note);
                    info.set(Some(
                        "Your last message had reached the helpdesk before the page closed; it is in the conversation."
                            .into(),
                    ));
                }
                Some(Posted::Maybe(found)) => doubt.set(Some(doubt_of(&t, d.note, found))),
                None => info.set(Some("Your unsent message was restored. It has not reached the helpdesk yet.".into())),
            }
        } else if !d.is_empty() {
            info.set(Some("Your unsent message was restored.".into()));
        }
    }
    let edit = move |f: &dyn Fn(&mut CommentDraft)| {
        draft.update(|d| f(d));
        let d = draft.get_untracked();
        let empty = d.is_empty();
        writer.write(draft_name(id), d, empty);
    };
    // `check`: look for a lost earlier save first (unless the agent just said it was not theirs).
    let send_with = move |check: bool| {
        if sending.get_untracked() {
            return;
        }
        let d = draft.get_untracked();
        if d.body.trim().is_empty() {
            error.set(Some(if d.note { "Write the note first." } else { "Write the comment first." }.into()));
            focus_composer();
            return;
        }
        let minutes = match d.minutes() {
            Ok(m) => m,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        if let Some(p) = (!d.note).then(|| model::cc_problem(&d.cc)).flatten() {
            error.set(Some(format!("CC: {p}.")));
            return;
        }
        let Some(client) = session.client_untracked() else { return };
        sending.set(true);
        error.set(None);
        info.set(None);
        doubt.set(None);
        spawn_local(async move {
            // A retry of a send whose answer was lost: look before sending again.
            if check && d.sent_at.is_some() {
                match client.send(&ticket::show(id)).await {
                    Ok(t) => {
                        let found = find_posted(&t, &d);
                        if let Some(Posted::Maybe(found)) = found {
                            doubt.try_set(Some(doubt_of(&t, d.note, found)));
                            sending.try_set(false);
                            return;
                        }
                        if found.is_some() {
                            forget_draft(d.note);
                            sending.try_set(false);
                            ws.ticket.try_set(Some(t));
                            ws.say(false, "It had already been saved; it was not sent twice.");
                            info.try_set(Some("It had already been saved; it was not sent twice.".into()));
                            return;
                        }
                    }
                    Err(e) => {
                        error.try_set(Some(format!(
                            "Not sent: {} Your text is kept; try again when the helpdesk answers.",
                            e.user_message()
                        )));
                        sending.try_set(false);
                        return;
                    }
                }
            }
            let mut pending = d.clone();
            pending.sent_at = Some(now_ms());
            writer.cancel();
            let _ = drafts::save(&draft_name(id), &pending);
            draft.try_set(pending.clone());
            let input = CommentInput {
                body: Some(d.body.clone()),
                time_spent: minutes,
                cc: (!d.note).then(|| d.cc.trim().to_string()).filter(|c| !c.is_empty()),
                suppress_user_notification: (!d.note && d.suppress).then_some(true),
                ..Default::default()
            };
            let result = if d.note {
                client.send(&staff_note::create(id, &input)).await.map(|n| n.user_id)
            } else {
                client.send(&comment::create(id, &input)).await.map(|c| c.user_id)
            };
            sending.try_set(false);
            match result {
                Ok(author) => {
                    abilities::learn_me(author);
                    forget_draft(d.note);
                    ws.say(false, if d.note { "Staff note added." } else { "Comment added." });
                    ws.refresh();
                }
                Err(e) if e.accepted_unreadable() => {
                    // The helpdesk said yes; only its answer was garbled. Sending again would
                    // post it twice.
                    forget_draft(d.note);
                    info.try_set(Some(
                        "Saved. (The helpdesk's answer could not be read, so the conversation was reloaded.)".into(),
                    ));
                    ws.refresh();
                }
                Err(e) => {
                    // A 4xx answer means nothing was saved; a lost answer or a 5xx leaves the send
                    // in doubt (and `sent_at` set, so the next try looks first).
                    if e.status.is_some_and(|s| s < 500) {
                        pending.sent_at = None;
                        let _ = drafts::save(&draft_name(id), &pending);
                        draft.try_set(pending);
                    }
                    error.try_set(Some(format!("Not sent: {} Your text is kept.", e.user_message())));
                    request_animation_frame(focus_composer);
                }
            }
        });
    };
    let send = move || send_with(true);
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            send();
        } else if ev.key() == "Escape"
            && let Some(el) = document().active_element()
        {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.blur();
            }
        }
    };
    let note = move || draft.with(|d| d.note);
    view! {
        <form class="composer" class:note=note aria-label="Add to the conversation" on:keydown=on_keydown
            on:submit=move |ev| { ev.prevent_default(); send(); }>
            // Nothing can be typed while a send is in flight: what it sends is what the box shows.
            <fieldset class="plain-fieldset" prop:disabled=move || sending.get()>
            <div class="composer-kind" role="radiogroup" aria-label="Kind">
                <label><input type="radio" name="kind" checked=move || !note() on:change=move |_| edit(&|d| d.note = false) />" Public comment"</label>
                <label><input type="radio" name="kind" checked=note on:change=move |_| edit(&|d| d.note = true) />" Staff note (private)"</label>
            </div>
            {move || info.get().map(|i| view! { <p class="draft-note" role="status">{i}</p> })}
            {move || doubt.get().map(|dbt| {
                let what = if note() { "staff note" } else { "comment" };
                let author = dbt.author;
                view! {
                    <div class="doubt" role="alertdialog" aria-labelledby="doubt-text">
                        <p id="doubt-text">{format!(
                            "Your last send lost its answer, and a {what} with exactly this text was posted by {} at {}. Is it the one you sent?",
                            dbt.who, when(dbt.at)
                        )}</p>
                        <div class="actions">
                            <button type="button" class="button small primary" on:click=move |_| {
                                abilities::learn_me(author);
                                forget_draft(note());
                                doubt.set(None);
                                info.set(Some("Fine: it is in the conversation; nothing was sent again.".into()));
                            }>"Yes, that one is mine"</button>
                            <button type="button" class="button small" on:click=move |_| send_with(false)>"No, send mine"</button>
                        </div>
                    </div>
                }
            })}
            <textarea id=COMPOSER_ID rows="4" aria-keyshortcuts="C"
                aria-label=move || if note() { "Staff note" } else { "Comment" }
                placeholder=move || if note() { "Write a staff note (agents only)… (c to focus, Ctrl+Enter to send)" } else { "Write a comment the requester will see… (c to focus, Ctrl+Enter to send)" }
                prop:value=move || draft.with(|d| d.body.clone())
                on:input=move |ev| { let v = event_target_value(&ev); edit(&|d| d.body = v.clone()) }></textarea>
            <div class="composer-options">
                <label class="field inline"><span>"Time spent (min)"</span>
                    <input type="text" inputmode="numeric" class="minutes" prop:value=move || draft.with(|d| d.time_spent.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(&|d| d.time_spent = v.clone()) } /></label>
                <Show when=move || !note()>
                    <label class="field inline"><span>"CC"</span>
                        <input type="text" class="cc" placeholder="name@example.com, …" prop:value=move || draft.with(|d| d.cc.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); edit(&|d| d.cc = v.clone()) } /></label>
                    <label class="field inline"><input type="checkbox" prop:checked=move || draft.with(|d| d.suppress)
                        on:change=move |ev| { let v = event_target_checked(&ev); edit(&|d| d.suppress = v) } />
                        <span>"Don't e-mail the requester"</span></label>
                </Show>
            </div>
            </fieldset>
            {move || error.get().map(|e| view! { <div class="error-notice" role="alert">{e}</div> })}
            {move || writer.error.get().map(|e| view! { <div class="error-notice" role="alert">{format!("Draft not kept: {e}")}</div> })}
            <div class="actions">
                <button type="submit" class="button primary" disabled=move || sending.get()>
                    {move || match (sending.get(), note()) {
                        (true, _) => "Sending…",
                        (false, true) => "Add staff note",
                        (false, false) => "Add comment",
                    }}
                </button>
                <span class="muted">{move || draft.with(|d| if d.is_empty() { String::new() } else { "Draft kept on this device".to_string() })}</span>
                {move || draft.with(|d| model::length_note(&d.body)).map(|n| view! { <span class="muted length-note">{n}</span> })}
            </div>
        </form>
    }
}
