//! Files in and out. Uploads go through XMLHttpRequest, the one browser API that reports upload
//! progress, with a FormData body whose files the browser streams from the picked `File`s (never
//! copied into wasm memory). Downloads follow the service's 302 to the file with `fetch` and hand
//! back a `Blob`, so the key never appears in a link on the page.

use super::Client;
use futures::channel::oneshot;
use mojo_api::request::{Body, Part};
use mojo_api::{ApiError, ErrorKind, Request};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// Reports bytes sent so far and the total.
pub type Progress = Rc<dyn Fn(f64, f64)>;

/// A file from the page (picker, drop or paste) under a multipart field name.
#[derive(Clone)]
pub struct FilePart {
    /// Field name (`file`, `attachment[0][content]`).
    pub field: String,
    /// The browser's file (a pasted screenshot is a `Blob` wrapped as a `File` with a made-up name).
    pub file: web_sys::File,
}

impl Client {
    /// Sends `req` (its text parts, if any) with `files` appended, reporting upload progress.
    pub async fn send_with_files<T: DeserializeOwned>(
        &self,
        req: &Request<T>,
        files: &[FilePart],
        on_progress: Progress,
    ) -> Result<T, ApiError> {
        let (status, text) =
            self.execute_xhr(req.method.as_str(), &self.url(req), &req.body, files, on_progress).await?;
        req.decode(status, &text)
    }

    async fn execute_xhr(
        &self,
        method: &str,
        url: &str,
        body: &Body,
        files: &[FilePart],
        on_progress: Progress,
    ) -> Result<(u16, String), ApiError> {
        if self.is_revoked() {
            return Err(ApiError::transport(ErrorKind::SignedOut, "signed out"));
        }
        let browser = |_| ApiError::transport(ErrorKind::Network, "the browser could not start the upload");
        let form = web_sys::FormData::new().map_err(browser)?;
        if let Body::Multipart(parts) = body {
            for part in parts {
                if let Part::Text { name, value } = part {
                    form.append_with_str(name, value).map_err(browser)?;
                }
            }
        }
        for f in files {
            form.append_with_blob_and_filename(&f.field, &f.file, &f.file.name()).map_err(browser)?;
        }
        let xhr = web_sys::XmlHttpRequest::new().map_err(browser)?;
        xhr.open_with_async(method, url, true).map_err(browser)?;
        xhr.set_request_header("Accept", "application/json").map_err(browser)?;
        let (tx, rx) = oneshot::channel::<bool>();
        let tx = Rc::new(RefCell::new(Some(tx)));
        let finish = |ok: bool| {
            let tx = tx.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                if let Some(tx) = tx.borrow_mut().take() {
                    let _ = tx.send(ok);
                }
            })
        };
        let loaded = finish(true);
        let failed = finish(false);
        let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() {
                on_progress(e.loaded(), e.total());
            }
        });
        xhr.set_onload(Some(loaded.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(failed.as_ref().unchecked_ref()));
        xhr.set_ontimeout(Some(failed.as_ref().unchecked_ref()));
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        xhr.send_with_opt_form_data(Some(&form)).map_err(browser)?;
        let answered = rx.await.unwrap_or(false);
        // The handlers must outlive the request; drop them only now.
        drop((loaded, failed, progress));
        if !answered {
            return Err(self.classify_failure().await);
        }
        let status = xhr.status().unwrap_or(0);
        let text = xhr.response_text().ok().flatten().unwrap_or_default();
        super::note_answer(status, &text);
        Ok((status, text))
    }

    /// The bytes of attachment `id` as a `Blob`: `GET /attachments/{id}` answers 302 to the file,
    /// which `fetch` follows.
    pub async fn download(&self, id: i64) -> Result<web_sys::Blob, ApiError> {
        if self.is_revoked() {
            return Err(ApiError::transport(ErrorKind::SignedOut, "signed out"));
        }
        let req = mojo_api::attachment::download(id);
        let lost = |_| ApiError::transport(ErrorKind::Network, "the download broke off");
        let window = web_sys::window().ok_or_else(|| ApiError::transport(ErrorKind::Network, "no window"))?;
        let response = match wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&self.url(&req))).await {
            Ok(r) => r.unchecked_into::<web_sys::Response>(),
            Err(_) => return Err(self.classify_failure().await),
        };
        let status = response.status();
        if !(200..300).contains(&status) {
            let text = match response.text() {
                Ok(p) => {
                    wasm_bindgen_futures::JsFuture::from(p).await.ok().and_then(|t| t.as_string()).unwrap_or_default()
                }
                Err(_) => String::new(),
            };
            return Err(ApiError::from_response(status, &text));
        }
        let promise = response.blob().map_err(lost)?;
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|b| b.unchecked_into::<web_sys::Blob>())
            .map_err(|_| ApiError::transport(ErrorKind::Network, "the download broke off"))
    }
}
