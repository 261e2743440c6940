//! An error in plain language with an optional retry; never blocks the rest of the page.

use leptos::prelude::*;
use mojo_api::ApiError;

/// Shows `error.user_message()`, the HTTP status, and a Retry button when `on_retry` is given.
#[component]
pub fn ErrorNotice(
    /// What failed.
    error: ApiError,
    /// What the agent was trying to do ("Loading the board").
    #[prop(into, optional)]
    context: Option<String>,
    /// Runs when the agent clicks Retry.
    #[prop(into, optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let status = error.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
    let heading =
        context.map(|c| format!("{c} failed{status}.")).unwrap_or_else(|| format!("Something failed{status}."));
    view! {
        <div class="error-notice" role="alert">
            <strong>{heading}</strong>
            " "
            <span>{error.user_message()}</span>
            {on_retry.map(|cb| view! {
                " "
                <button type="button" class="button small" on:click=move |_| cb.run(())>"Retry"</button>
            })}
        </div>
    }
}
