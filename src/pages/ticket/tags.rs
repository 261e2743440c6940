//! The ticket's tags: shown in their colours, removed with one click, added with suggestions from
//! the helpdesk's tags (a label nobody used yet creates the tag).

use super::use_workspace;
use crate::store::lookups::use_lookups;
use crate::store::session::use_session;
use crate::ticket_model::{clean_tag_label, tag_suggestions, visible_text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::tag::Tag;
use mojo_api::ticket::{self, TagRef};

/// Tags panel.
#[component]
pub fn TagEditor() -> impl IntoView {
    let ws = use_workspace();
    let session = use_session();
    let lookups = use_lookups();
    let typed = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let tags = Memo::new(move |_| ws.ticket.with(|t| t.as_ref().map(|t| t.tags.clone()).unwrap_or_default()));
    let suggestions = Memo::new(move |_| {
        let have: Vec<i64> = tags.with(|t| t.iter().map(|t| t.id).collect());
        let all: Vec<Tag> = lookups.with(|l| l.tags.values().cloned().collect());
        typed.with(|s| tag_suggestions(&all, &have, s, 8))
    });
    let apply = move |tags: Vec<Tag>| {
        let known: Vec<Tag> = tags.clone();
        ws.ticket.update(|t| {
            if let Some(t) = t {
                t.tag_ids = tags.iter().map(|x| x.id).collect();
                t.tags = tags;
            }
        });
        // A new label made a new tag: the helpdesk's list learns it too.
        if known.iter().any(|t| lookups.with(|l| !l.tags.contains_key(&t.id))) {
            let mut data = lookups.get();
            for t in known {
                data.tags.insert(t.id, t);
            }
            lookups.set(data);
        }
    };
    // `typed_back`: what to put back in the box if the change fails.
    let run = move |req: mojo_api::Request<Vec<Tag>>, what: String, typed_back: Option<String>| {
        let Some(client) = session.client_untracked() else { return };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match client.send(&req).await {
                Ok(tags) => {
                    apply(tags);
                    ws.say(false, what);
                }
                Err(e) => {
                    error.try_set(Some(format!("{what} failed: {}", e.user_message())));
                    if let Some(t) = typed_back {
                        typed.try_set(t);
                    }
                }
            }
            busy.try_set(false);
        });
    };
    let add = move |choice: Option<Tag>| {
        let typed_now = typed.get_untracked();
        let label = if choice.is_some() || typed_now.trim().is_empty() {
            typed_now.trim().to_string()
        } else {
            match clean_tag_label(&typed_now) {
                Ok(l) => l,
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            }
        };
        let tag = choice.or_else(|| {
            lookups.with(|l| {
                l.tags.values().find(|t| t.label.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(&label))).cloned()
            })
        });
        let (r, name) = match tag {
            Some(t) => (TagRef::Id(t.id), t.label.unwrap_or_default()),
            None if !label.is_empty() => (TagRef::Label(label.clone()), label.clone()),
            None => return,
        };
        if tags.with_untracked(|have| have.iter().any(|h| h.label.as_deref() == Some(name.as_str()))) {
            typed.set(String::new());
            return;
        }
        typed.set(String::new());
        open.set(false);
        active.set(None);
        run(ticket::add_tag(ws.id, &r), format!("Tag \u{201c}{}\u{201d} added", visible_text(&name)), Some(label));
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let n = suggestions.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.set(Some(active.get_untracked().map(|i| (i + 1) % n).unwrap_or(0)));
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.set(Some(active.get_untracked().map(|i| (i + n - 1) % n).unwrap_or(n - 1)));
            }
            "Enter" => {
                ev.prevent_default();
                let pick = active.get_untracked().and_then(|i| suggestions.with_untracked(|s| s.get(i).cloned()));
                add(pick);
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    view! {
        <section class="side-panel tags-panel" aria-labelledby="tags-heading">
            <h2 id="tags-heading">"Tags"</h2>
            <ul class="tag-list" aria-label="Tags">
                <For each=move || tags.get() key=|t| t.id let:tag>
                    {
                        let style = tag.safe_color().map(|c| format!("--tag-color:{c}")).unwrap_or_default();
                        let label = visible_text(&tag.label.clone().unwrap_or_default());
                        let id = tag.id;
                        let what = format!("Tag \u{201c}{label}\u{201d} removed");
                        view! {
                            <li class="tag" style=style>
                                {label.clone()}
                                <button type="button" class="tag-remove" aria-label=format!("Remove tag {label}") disabled=move || busy.get()
                                    on:click=move |_| run(ticket::remove_tag(ws.id, &TagRef::Id(id)), what.clone(), None)>"×"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <div class="tag-add combobox">
                <input type="text" role="combobox" aria-label="Add a tag" aria-autocomplete="list" aria-controls="tag-suggestions"
                    aria-expanded=move || (open.get() && !suggestions.with(Vec::is_empty)).to_string()
                    aria-activedescendant=move || active.get().map(|i| format!("tag-option-{i}"))
                    placeholder="Add a tag…" prop:value=move || typed.get()
                    on:input=move |ev| { typed.set(event_target_value(&ev)); open.set(true); active.set(None); }
                    on:focus=move |_| open.set(true)
                    on:blur=move |_| { set_timeout(move || { open.try_set(false); }, std::time::Duration::from_millis(150)); }
                    on:keydown=on_keydown />
                <Show when=move || open.get() && !suggestions.with(Vec::is_empty)>
                    <ul class="suggestions" id="tag-suggestions" role="listbox" aria-label="Matching tags">
                        {move || suggestions.get().into_iter().enumerate().map(|(i, t)| {
                            let label = visible_text(&t.label.clone().unwrap_or_default());
                            let style = t.safe_color().map(|c| format!("--tag-color:{c}")).unwrap_or_default();
                            view! {
                                <li role="option" id=format!("tag-option-{i}") aria-selected=move || (active.get() == Some(i)).to_string()
                                    class:active=move || active.get() == Some(i)
                                    on:mousedown=move |ev| { ev.prevent_default(); add(Some(t.clone())); }>
                                    <span class="tag-dot" style=style></span>{label}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </Show>
                {move || {
                    let t = typed.get();
                    let t = t.trim();
                    let exists = lookups.with(|l| l.tags.values().any(|x| x.label.as_deref().is_some_and(|y| y.eq_ignore_ascii_case(t))));
                    (!t.is_empty() && !exists).then(|| view! { <small class="muted">{format!("Enter creates the new tag \u{201c}{t}\u{201d}.")}</small> })
                }}
            </div>
            {move || error.get().map(|e| view! { <div class="error-notice" role="alert">{e}</div> })}
        </section>
    }
}
