//! Files: the ticket's and the staff-only ones, downloaded through the API (the key never sits
//! in a link), raster images previewed on request, SVG and HTML only ever downloaded. Uploads
//! come from the picker, a drop anywhere on the page or a pasted screenshot; each file is checked
//! for size first, sent with FormData and shows its own progress, error and retry.

use super::{use_workspace, when};
use crate::api::upload::{FilePart, Progress};
use crate::store::session::use_session;
use crate::ticket_model::{self as model, FileView};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mojo_api::attachment::{self, Attachment, FILE_FIELD, UploadTarget};
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// Where an upload stands.
#[derive(Clone, Debug, PartialEq)]
enum UploadState {
    /// Sending; the fraction sent so far.
    Sending(f64),
    /// Stored by the service.
    Done,
    /// Refused or failed, with the reason.
    Failed(String),
    /// Never sent (too big, empty).
    Refused(String),
}

#[derive(Clone)]
struct Upload {
    seq: u64,
    name: String,
    size: u64,
    staff_only: bool,
    file: web_sys::File,
    state: UploadState,
}

/// Saves a blob to the agent's disk under `name`.
fn save_blob(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.set_rel("noopener");
        let _ = document().body().map(|b| b.append_child(&a));
        a.click();
        a.remove();
    }
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}

/// One file: its name (a click downloads it), size, and a preview for raster images.
#[component]
pub fn FileChip(
    /// The file.
    file: Attachment,
) -> impl IntoView {
    let session = use_session();
    // Saved under its own name; shown with invisible controls made visible (no bidi tricks).
    let name = file.filename.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| format!("file-{}", file.id));
    let shown = model::visible_text(&name);
    let size = file.content_size.map(|s| model::human_size(s.max(0) as u64)).unwrap_or_default();
    let view_kind = model::file_view(file.content_type.as_deref().unwrap_or(""), &name);
    let id = file.id;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<String>);
    on_cleanup(move || {
        if let Some(Some(url)) = preview.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    let fetch = move |then_save: bool, name: String| {
        let Some(client) = session.client_untracked() else { return };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match client.download(id).await {
                Ok(blob) => {
                    if then_save {
                        save_blob(&blob, &name);
                    } else if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
                        preview.try_set(Some(url));
                    }
                }
                Err(e) => {
                    error.try_set(Some(format!("{}: {}", model::visible_text(&name), e.user_message())));
                }
            }
            busy.try_set(false);
        });
    };
    let n1 = name.clone();
    let n2 = name.clone();
    view! {
        <li class="file-chip" data-attachment-id=id>
            <button type="button" class="file-name link-button" title=format!("Download {shown}") disabled=move || busy.get()
                on:click=move |_| fetch(true, n1.clone())>{shown.clone()}</button>
            <span class="file-size muted">{size}</span>
            {(view_kind == FileView::Image).then(|| view! {
                <Show when=move || preview.with(Option::is_none)>
                    <button type="button" class="link-button" disabled=move || busy.get() aria-label=format!("Preview {n2}")
                        on:click={let n = n2.clone(); move |_| fetch(false, n.clone())}>"Preview"</button>
                </Show>
            })}
            {move || preview.get().map(|url| view! { <img class="file-preview" src=url alt=format!("Preview of {name}") /> })}
            {move || error.get().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
        </li>
    }
}

/// Puts `name` on a pasted image that came without a useful one.
fn named(file: web_sys::File) -> web_sys::File {
    let name = file.name();
    if !name.is_empty() && name != "image.png" {
        return file;
    }
    let kind = file.type_();
    let new_name = model::pasted_name(mojo_api::Timestamp(super::now_ms()), &kind);
    let options = web_sys::FilePropertyBag::new();
    options.set_type(&kind);
    web_sys::File::new_with_blob_sequence_and_options(&js_sys::Array::of1(&file), &new_name, &options).unwrap_or(file)
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The files panel with its uploader.
#[component]
pub fn AttachmentPanel() -> impl IntoView {
    let ws = use_workspace();
    let session = use_session();
    let files = Memo::new(move |_| ws.ticket.with(|t| t.as_ref().map(model::all_files).unwrap_or_default()));
    let uploads = RwSignal::new_local(Vec::<Upload>::new());
    let seq = StoredValue::new(0u64);
    let staff_only = RwSignal::new(false);
    let dragging = RwSignal::new(false);
    let picker = NodeRef::<leptos::html::Input>::new();
    let set_state = move |n: u64, s: UploadState| {
        uploads.update(|list| {
            if let Some(u) = list.iter_mut().find(|u| u.seq == n) {
                u.state = s;
            }
        })
    };
    let start = move |n: u64| {
        let Some(u) = uploads.with_untracked(|l| l.iter().find(|u| u.seq == n).cloned()) else { return };
        let Some(client) = session.client_untracked() else { return };
        set_state(n, UploadState::Sending(0.0));
        let progress: Progress = Rc::new(move |sent, total| {
            if total > 0.0 {
                uploads.try_update(|list| {
                    if let Some(u) = list.iter_mut().find(|u| u.seq == n) {
                        u.state = UploadState::Sending((sent / total).min(1.0));
                    }
                });
            }
        });
        let target = if u.staff_only { UploadTarget::StaffOnly } else { UploadTarget::Ticket };
        let part = FilePart { field: FILE_FIELD.to_string(), file: u.file.clone() };
        spawn_local(async move {
            match client.send_with_files(&attachment::upload_request(ws.id, target), &[part], progress).await {
                Ok(stored) => {
                    crate::store::abilities::learn_me(stored.created_by_user_id);
                    uploads.try_update(|list| {
                        if let Some(x) = list.iter_mut().find(|x| x.seq == n) {
                            x.state = UploadState::Done;
                        }
                    });
                    ws.say(false, format!("{} uploaded.", u.name));
                    ws.refresh();
                }
                Err(e) => {
                    uploads.try_update(|list| {
                        if let Some(x) = list.iter_mut().find(|x| x.seq == n) {
                            x.state = UploadState::Failed(e.user_message());
                        }
                    });
                }
            }
        });
    };
    let enqueue = move |list: Vec<web_sys::File>| {
        let staff = staff_only.get_untracked();
        for file in list.into_iter().map(named) {
            let n = seq.get_value() + 1;
            seq.set_value(n);
            let name = model::visible_text(&file.name());
            let size = file.size() as u64;
            let state = match model::upload_problem(&name, size) {
                Some(p) => UploadState::Refused(p),
                None => UploadState::Sending(0.0),
            };
            let go = matches!(state, UploadState::Sending(_));
            uploads.update(|l| l.push(Upload { seq: n, name, size, staff_only: staff, file, state }));
            if go {
                start(n);
            }
        }
    };
    // Drop anywhere on the page; paste a screenshot anywhere (a paste of text is left alone).
    let has_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer().is_some_and(|dt| {
            (0..dt.types().length()).any(|i| dt.types().get(i).as_string().as_deref() == Some("Files"))
        })
    };
    let over = window_event_listener(leptos::ev::dragover, move |ev| {
        if has_files(&ev) {
            ev.prevent_default();
            dragging.set(true);
        }
    });
    let leave = window_event_listener(leptos::ev::dragleave, move |ev| {
        if ev.related_target().is_none() {
            dragging.set(false);
        }
    });
    let drop = window_event_listener(leptos::ev::drop, move |ev| {
        dragging.set(false);
        let list = files_of(ev.data_transfer().and_then(|dt| dt.files()));
        if !list.is_empty() {
            ev.prevent_default();
            enqueue(list);
        }
    });
    let paste = window_event_listener(leptos::ev::paste, move |ev| {
        let list = files_of(ev.clipboard_data().and_then(|dt| dt.files()));
        if !list.is_empty() {
            ev.prevent_default();
            enqueue(list);
        }
    });
    // Leaving the page while files are on their way loses them: the browser asks first.
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if uploads.with_untracked(|l| l.iter().any(|u| matches!(u.state, UploadState::Sending(_)))) {
            ev.prevent_default();
            ev.set_return_value("Files are still uploading.");
        }
    });
    on_cleanup(move || {
        unload.remove();
        over.remove();
        leave.remove();
        drop.remove();
        paste.remove();
    });
    let delete = move |a: Attachment| {
        let name = model::visible_text(&a.filename.clone().unwrap_or_else(|| format!("file #{}", a.id)));
        let sure = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&format!(
                    "Delete the file \u{201c}{name}\u{201d} from ticket #{}? This cannot be undone.",
                    ws.id
                ))
                .ok()
            })
            .unwrap_or(false);
        if !sure {
            return;
        }
        let Some(client) = session.client_untracked() else { return };
        spawn_local(async move {
            match client.send(&attachment::delete(a.id)).await {
                Ok(_) => {
                    ws.say(false, format!("{name} deleted."));
                    ws.refresh();
                }
                Err(e) if matches!(e.kind, mojo_api::ErrorKind::Unauthorized) => {
                    ws.say(true, format!("{name} was not deleted: only a manager's key may delete files."))
                }
                Err(e) => ws.say(true, format!("Deleting {name} failed: {}", e.user_message())),
            }
        });
    };
    view! {
        <section class="side-panel files-panel" aria-labelledby="files-heading">
            <h2 id="files-heading">{move || format!("Files ({})", files.with(Vec::len))}</h2>
            <ul class="file-list">
                <For each=move || files.get() key=|(a, _)| a.id let:item>
                    {
                        let (a, staff) = item;
                        let where_ = if a.comment_id.is_some() { "on a comment" } else if staff { "staff only" } else { "ticket" };
                        let date = when(a.created_on);
                        let a2 = a.clone();
                        let name = model::visible_text(&a.filename.clone().unwrap_or_default());
                        // Deleting files is a manager's right: hidden for a key known not to be one.
                        let may_delete = crate::store::abilities::manager_reads() != Some(false);
                        view! {
                            <li class="file-row" class:staff-only=staff>
                                <ul class="file-chips"><FileChip file=a /></ul>
                                <span class="file-where muted">{format!("{where_} · {date}")}</span>
                                {may_delete.then(|| view! {
                                    <button type="button" class="link-button danger" aria-label=format!("Delete file {name}")
                                        on:click=move |_| delete(a2.clone())>"Delete"</button>
                                })}
                            </li>
                        }
                    }
                </For>
            </ul>
            <div class="upload-box" class:dragging=move || dragging.get()>
                <input type="file" multiple node_ref=picker class="sr-only" id="file-picker"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        enqueue(files_of(input.files()));
                        input.set_value("");
                    } />
                <label for="file-picker" class="button small">"Upload files…"</label>
                <label class="field inline"><input type="checkbox" prop:checked=move || staff_only.get()
                    on:change=move |ev| staff_only.set(event_target_checked(&ev)) /><span>"Staff only"</span></label>
                <p class="muted small-print">{format!("or drop files anywhere, or paste a screenshot · up to {} each", model::human_size(attachment::MAX_FILE_BYTES))}</p>
            </div>
            <ul class="upload-list" aria-label="Uploads" aria-live="polite">
                {move || uploads.get().into_iter().rev().map(|u| {
                    let n = u.seq;
                    let label = format!("{} ({})", u.name, model::human_size(u.size));
                    match u.state {
                        UploadState::Sending(f) => view! {
                            <li class="upload sending">
                                <span>{label.clone()}</span>
                                <progress max="100" value=(f * 100.0).round() aria-label=format!("Uploading {label}")></progress>
                                <span class="muted">{format!("{:.0}%", f * 100.0)}</span>
                            </li>
                        }.into_any(),
                        UploadState::Done => view! { <li class="upload done">{format!("✓ {label}")}</li> }.into_any(),
                        UploadState::Failed(why) => view! {
                            <li class="upload failed" role="alert">
                                <span>{format!("{label}: {why}")}</span>" "
                                <button type="button" class="button small" on:click=move |_| start(n)>"Retry"</button>
                                <button type="button" class="link-button" on:click=move |_| uploads.update(|l| l.retain(|x| x.seq != n))>"Dismiss"</button>
                            </li>
                        }.into_any(),
                        UploadState::Refused(why) => view! {
                            <li class="upload failed" role="alert">
                                <span>{why}</span>" "
                                <button type="button" class="link-button" on:click=move |_| uploads.update(|l| l.retain(|x| x.seq != n))>"Dismiss"</button>
                            </li>
                        }.into_any(),
                    }
                }).collect_view()}
            </ul>
            <Show when=move || dragging.get()>
                <div class="drop-overlay" aria-hidden="true"><p>{move || format!("Drop to attach to ticket #{}", ws.id)}</p></div>
            </Show>
        </section>
    }
}
