//! A ticket field's picker (status, priority, queue, type, assignee), shared by the editor and
//! the new-ticket form, with its choices from the lookups and its error under it.

use crate::search_model::ValueNames;
use crate::store::lookups::use_lookups;
use leptos::prelude::*;
use mojo_api::search_field::FieldKind;

/// The message for `field` among `errors` (field name, message).
pub fn error_of(errors: RwSignal<Vec<(String, String)>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || errors.with(|e| e.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()))
}

/// The choices for a field of `kind` as `(value, label)`, led by `none` (value "") when given.
pub fn choices(kind: FieldKind, none: Option<&'static str>) -> Signal<Vec<(String, String)>> {
    let lookups = use_lookups();
    Signal::derive(move || {
        let mut out: Vec<(String, String)> = none.map(|n| (String::new(), n.to_string())).into_iter().collect();
        out.extend(lookups.with(|l| l.values(kind)).into_iter().map(|(id, name)| (id.to_string(), name)));
        out
    })
}

/// A labelled select. A value missing from the choices (a queue this key cannot list) still
/// shows, as "#id", so saving does not change it behind the agent's back.
#[component]
pub fn FieldSelect(
    /// The form name (the ticket field).
    name: &'static str,
    /// What the agent reads.
    label: &'static str,
    /// `(value, label)` choices.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The value now.
    #[prop(into)]
    value: Signal<String>,
    /// What is wrong with it.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Every change.
    on_change: Callback<String>,
) -> impl IntoView {
    let err_id = format!("err-{name}");
    view! {
        <label class="field" class:has-error=move || error.with(Option::is_some)>
            <span>{label}</span>
            <select name=name aria-describedby=err_id.clone() aria-invalid=move || error.with(Option::is_some).then_some("true")
                on:change=move |ev| on_change.run(event_target_value(&ev))>
                {move || {
                    let current = value.get();
                    let mut opts = options.get();
                    if !current.is_empty() && !opts.iter().any(|(v, _)| *v == current) {
                        opts.push((current.clone(), format!("#{current}")));
                    }
                    opts.into_iter().map(|(v, l)| {
                        let selected = v == current;
                        view! { <option value=v selected=selected>{l}</option> }
                    }).collect_view()
                }}
            </select>
            <small class="field-error" id=err_id>{move || error.get()}</small>
        </label>
    }
}
