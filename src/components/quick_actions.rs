//! Quick actions on a board card: assign to me, set the priority, add a tag, without opening the
//! ticket. One menu for the whole board, opened by a card's "⋯" button (found by event
//! delegation, so the cards stay plain) and placed beside it.

use crate::search_model::ValueNames;
use crate::store::abilities;
use crate::store::lookups::use_lookups;
use leptos::prelude::*;
use mojo_api::Priority;
use mojo_api::search_field::FieldKind;
use wasm_bindgen::JsCast;

/// What a quick action does to a ticket.
#[derive(Clone, Debug, PartialEq)]
pub enum QuickAction {
    /// Assign to this agent (the signed-in one).
    AssignTo(i64),
    /// Set the priority.
    Priority(Priority),
    /// Add a tag by label (a new label creates the tag).
    AddTag(String),
}

/// The open menu: the ticket, and where its "⋯" button is (viewport pixels: left, bottom).
pub type MenuAt = Option<(i64, f64, f64)>;

/// Opens the menu for the card whose "⋯" button was clicked (`true` when it was one).
pub fn open_from_click(ev: &web_sys::MouseEvent, menu: RwSignal<MenuAt>) -> bool {
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    let Some(button) = el.closest("[data-quick]").ok().flatten() else { return false };
    let Some(id) = button.get_attribute("data-quick").and_then(|v| v.parse::<i64>().ok()) else { return false };
    ev.prevent_default();
    ev.stop_propagation();
    let rect = button.get_bounding_client_rect();
    menu.set(Some((id, rect.right(), rect.bottom())));
    true
}

fn close(menu: RwSignal<MenuAt>) {
    if let Some((id, _, _)) = menu.get_untracked() {
        menu.set(None);
        // Back to the button that opened it.
        request_animation_frame(move || {
            if let Some(b) = document()
                .query_selector(&format!("[data-quick=\"{id}\"]"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = b.focus();
            }
        });
    }
}

/// The menu (rendered once per board).
#[component]
pub fn QuickActionMenu(
    /// Which card it is open for, if any.
    menu: RwSignal<MenuAt>,
    /// Runs an action on a ticket.
    on_action: Callback<(i64, QuickAction)>,
) -> impl IntoView {
    let lookups = use_lookups();
    let tag = RwSignal::new(String::new());
    let me = RwSignal::new(abilities::me());
    let who = RwSignal::new(None::<i64>);
    let tag_error = RwSignal::new(None::<String>);
    let node = NodeRef::<leptos::html::Div>::new();
    let run = move |id: i64, action: QuickAction| {
        on_action.run((id, action));
        tag.set(String::new());
        tag_error.set(None);
        close(menu);
    };
    // Escape or a click elsewhere closes it.
    let outside = window_event_listener(leptos::ev::mousedown, move |ev| {
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest(".quick-menu, [data-quick]").ok().flatten())
            .is_some();
        if !inside && menu.get_untracked().is_some() {
            menu.set(None);
        }
    });
    on_cleanup(move || outside.remove());
    Effect::new(move |_| {
        if menu.get().is_some() {
            me.set(abilities::me());
            request_animation_frame(move || {
                if let Some(first) = node
                    .get_untracked()
                    .and_then(|n| n.query_selector("button, select").ok().flatten())
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = first.focus();
                }
            });
        }
    });
    move || {
        let (id, right, bottom) = menu.get()?;
        let width = 250.0;
        let vw = window().inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(1280.0);
        let vh = window().inner_height().ok().and_then(|w| w.as_f64()).unwrap_or(800.0);
        let left = (right - width).clamp(8.0, (vw - width - 8.0).max(8.0));
        let top = if bottom + 300.0 > vh { (bottom - 330.0).max(8.0) } else { bottom + 4.0 };
        let agents = lookups.with(|l| l.values(FieldKind::Agent));
        let tags: Vec<String> = lookups.with(|l| l.tags.values().filter_map(|t| t.label.clone()).collect());
        Some(view! {
            <div class="quick-menu" role="menu" node_ref=node aria-label=format!("Quick actions for #{id}")
                style=format!("left:{left}px;top:{top}px;width:{width}px")
                on:keydown=move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
                    "Escape" => {
                        ev.prevent_default();
                        close(menu);
                    }
                    // The menu keeps the keyboard while open: Tab goes round its controls.
                    "Tab" => {
                        if let Some(root) = node.get_untracked() {
                            crate::components::focus::keep_tab_within(&root, &ev);
                        }
                    }
                    _ => {}
                }>
                <p class="quick-title">{format!("#{id}")}</p>
                {move || match me.get() {
                    Some(m) => {
                        let name = lookups.with(|l| l.agent_name(Some(m)));
                        view! {
                            <button type="button" role="menuitem" class="quick-item" on:click=move |_| run(id, QuickAction::AssignTo(m))>
                                {format!("Assign to me ({name})")}
                            </button>
                        }.into_any()
                    }
                    // Chosen first, then confirmed: arrow keys on a closed select change its value
                    // (and fire `change`) one agent at a time.
                    None => view! {
                        <div class="quick-item quick-who">
                            <label for="quick-who">"Assign to me — which agent are you?"</label>
                            <select id="quick-who" on:change=move |ev| who.set(event_target_value(&ev).parse::<i64>().ok())>
                                <option value="">"Choose yourself…"</option>
                                {agents.iter().map(|(aid, n)| view! { <option value=aid.to_string()>{n.clone()}</option> }).collect_view()}
                            </select>
                            <button type="button" class="button small" disabled=move || who.get().is_none() on:click=move |_| {
                                if let Some(m) = who.get_untracked() {
                                    abilities::learn_me(Some(m));
                                    me.set(Some(m));
                                    run(id, QuickAction::AssignTo(m));
                                }
                            }>"Assign to me"</button>
                        </div>
                    }.into_any(),
                }}
                <span class="quick-label" aria-hidden="true">"Priority"</span>
                <div class="quick-priorities" role="group" aria-label="Priority">
                    {Priority::ALL.iter().map(|p| {
                        let p = *p;
                        view! {
                            <button type="button" role="menuitem" class=format!("quick-item priority-badge priority-{}", p.slug())
                                on:click=move |_| run(id, QuickAction::Priority(p))>{p.label()}</button>
                        }
                    }).collect_view()}
                </div>
                <span class="quick-label" aria-hidden="true">"Tag"</span>
                <form class="quick-tag" on:submit=move |ev| {
                    ev.prevent_default();
                    match crate::ticket_model::clean_tag_label(&tag.get_untracked()) {
                        Ok(label) => run(id, QuickAction::AddTag(label)),
                        Err(e) => tag_error.set(Some(e)),
                    }
                }>
                    <input type="text" list="quick-tags" aria-label="Add a tag" placeholder="Add a tag…" aria-describedby="quick-tag-error"
                        prop:value=move || tag.get() on:input=move |ev| tag.set(event_target_value(&ev)) />
                    <datalist id="quick-tags">{tags.into_iter().map(|t| view! { <option value=t></option> }).collect_view()}</datalist>
                    <button type="submit" class="button small">"Add"</button>
                </form>
                <small class="field-error" id="quick-tag-error" role="alert">{move || tag_error.get()}</small>
            </div>
        })
    }
}
