//! One custom field as an input of its kind: text, text area, select, whole or decimal number
//! (typed as text and checked, so the browser never rewrites what is being typed).

use crate::ticket_model::CustomDef;
use leptos::prelude::*;

/// A labelled input for `def`, with its error under it.
#[component]
pub fn CustomFieldInput(
    /// The field.
    def: CustomDef,
    /// Its value now.
    #[prop(into)]
    value: Signal<String>,
    /// What is wrong with it, if anything.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Every change.
    on_change: Callback<String>,
) -> impl IntoView {
    let name = def.key.clone();
    let changed = move |ev: web_sys::Event| on_change.run(event_target_value(&ev));
    let input = match def.kind {
        2 => view! { <textarea name=name rows="3" prop:value=value required=def.required on:input=changed></textarea> }.into_any(),
        3 if !def.options.is_empty() => {
            let current = value.get_untracked();
            view! {
                <select name=name required=def.required on:change=changed>
                    <option value="">"—"</option>
                    {def.options.iter().map(|o| view! { <option value=o.clone() selected=*o == current>{o.clone()}</option> }).collect_view()}
                </select>
            }
            .into_any()
        }
        4 => view! { <input type="text" inputmode="numeric" name=name prop:value=value required=def.required on:input=changed /> }.into_any(),
        5 => view! { <input type="text" inputmode="decimal" name=name prop:value=value required=def.required on:input=changed /> }.into_any(),
        _ => view! { <input type="text" name=name prop:value=value required=def.required on:input=changed /> }.into_any(),
    };
    view! {
        <label class="field" class:has-error=move || error.with(Option::is_some)>
            <span>{def.label.clone()}{def.required.then_some(" *")}</span>
            {input}
            <small class="field-error">{move || error.get()}</small>
        </label>
    }
}

/// The custom-field input for `def` bound to `values` (by key) and `errors`; `set` stores a change.
pub fn custom_input(
    def: CustomDef,
    values: Signal<std::collections::BTreeMap<String, String>>,
    errors: RwSignal<Vec<(String, String)>>,
    set: Callback<(String, String)>,
) -> impl IntoView {
    let (k1, k2, k3) = (def.key.clone(), def.key.clone(), def.key.clone());
    view! {
        <CustomFieldInput def=def
            value=Signal::derive(move || values.with(|v| v.get(&k1).cloned().unwrap_or_default()))
            error=Signal::derive(move || errors.with(|e| e.iter().find(|(f, _)| *f == k2).map(|(_, m)| m.clone())))
            on_change=Callback::new(move |v: String| set.run((k3.clone(), v))) />
    }
}
