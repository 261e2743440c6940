//! The browser executor of `mojo-api` request descriptions (gloo-net `fetch`).
//! It alone reads the access key from local storage and adds it to the request; nothing else in
//! the dashboard sees the key. It maps every failure to an [`ApiError`] a screen can show.

pub mod credentials;
pub mod upload;

use futures::stream::{self, StreamExt};
use gloo_net::http::{Request as HttpRequest, RequestBuilder};
use mojo_api::request::{Body, Page, Part, is_last_page};
use mojo_api::{ApiError, ErrorKind, Method, Request};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use web_sys::RequestMode;

/// How many requests one screen keeps in flight at once.
pub const CONCURRENCY: usize = 4;

/// A connection to one helpdesk: base URL plus the key. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    base: Arc<str>,
    key: Arc<str>,
    /// Set on sign-out: every clone stops sending at once, so no request carries the key after
    /// the agent signed out (a board load in flight goes no further).
    revoked: Arc<AtomicBool>,
}

impl PartialEq for Client {
    fn eq(&self, other: &Self) -> bool {
        self.base == other.base && self.key == other.key
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Client").field("base", &self.base).finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `base` (already normalised, see [`normalise_base_url`]) and `key`.
    pub fn new(base: &str, key: &str) -> Self {
        Client { base: base.trim_end_matches('/').into(), key: key.trim().into(), revoked: Arc::default() }
    }

    /// The client for the credentials saved on this device, if any.
    pub fn from_storage() -> Option<Self> {
        credentials::load().map(|(base, key)| Client::new(&base, &key))
    }

    /// Stops this client and every clone of it from sending anything more.
    pub fn revoke(&self) {
        self.revoked.store(true, Ordering::SeqCst);
    }

    /// True after [`Client::revoke`].
    pub fn is_revoked(&self) -> bool {
        self.revoked.load(Ordering::SeqCst)
    }

    /// True when both hold the same key (without exposing it).
    pub fn same_key(&self, other: &Client) -> bool {
        self.key == other.key
    }

    /// The helpdesk base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url<T: DeserializeOwned>(&self, req: &Request<T>) -> String {
        let pq = req.path_and_query();
        let sep = if pq.contains('?') { '&' } else { '?' };
        format!("{}{pq}{sep}access_key={}", self.base, mojo_api::request::encode_component(&self.key))
    }

    /// Sends one request and decodes the answer.
    pub async fn send<T: DeserializeOwned>(&self, req: &Request<T>) -> Result<T, ApiError> {
        let (status, text) = self.execute(req.method, &self.url(req), &req.body).await?;
        req.decode(status, &text)
    }

    /// The untyped part of [`Client::send`], kept out of the generic function so the bundle
    /// carries one copy of the fetch machinery instead of one per answer type.
    async fn execute(&self, method: Method, url: &str, body: &Body) -> Result<(u16, String), ApiError> {
        if self.is_revoked() {
            return Err(ApiError::transport(ErrorKind::SignedOut, "signed out"));
        }
        let builder = RequestBuilder::new(url)
            .method(match method {
                Method::Get => gloo_net::http::Method::GET,
                Method::Post => gloo_net::http::Method::POST,
                Method::Put => gloo_net::http::Method::PUT,
                Method::Patch => gloo_net::http::Method::PATCH,
                Method::Delete => gloo_net::http::Method::DELETE,
            })
            .header("Accept", "application/json");
        let built = match body {
            Body::Empty => builder.build().map_err(|e| e.to_string()),
            Body::Json(v) => builder.json(v).map_err(|e| e.to_string()),
            Body::Multipart(parts) => multipart(parts).and_then(|fd| builder.body(fd).map_err(|e| e.to_string())),
        };
        let http: HttpRequest = built.map_err(|e| ApiError::transport(ErrorKind::Network, e))?;
        let response = match http.send().await {
            Ok(r) => r,
            Err(_) => return Err(self.classify_failure().await),
        };
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        note_answer(status, &text);
        Ok((status, text))
    }

    /// A fetch that failed without an answer is either an unreachable host or an answer the
    /// browser refused (CORS). The browser hides which; an opaque `no-cors` probe of the same
    /// host tells them apart: it succeeds only when something answered.
    async fn classify_failure(&self) -> ApiError {
        // The page's own origin cannot be refused by CORS: the connection itself failed.
        let own_origin = web_sys::window().and_then(|w| w.location().origin().ok());
        if own_origin.as_deref() == Some(&*self.base) {
            return ApiError::transport(ErrorKind::Network, format!("the connection to {} failed", self.base));
        }
        let probe = RequestBuilder::new(&format!("{}/api/v2/tickets", self.base)).mode(RequestMode::NoCors).build();
        let reachable = match probe {
            Ok(p) => p.send().await.is_ok(),
            Err(_) => false,
        };
        if reachable {
            ApiError::transport(ErrorKind::Cors, format!("{} answered, but not to this origin", self.base))
        } else {
            ApiError::transport(ErrorKind::Network, format!("{} could not be reached", self.base))
        }
    }

    /// Runs many requests with at most [`CONCURRENCY`] in flight; results in request order.
    pub async fn send_all<T: DeserializeOwned>(&self, reqs: Vec<Request<T>>) -> Vec<Result<T, ApiError>> {
        let calls = reqs.iter().map(|r| (r.method, self.url(r), r.body.clone())).collect();
        let answers = self.execute_all(calls).await;
        reqs.iter().zip(answers).map(|(r, a)| a.and_then(|(status, text)| r.decode(status, &text))).collect()
    }

    /// The untyped part of [`Client::send_all`]: one copy of the concurrent-fetch machinery in
    /// the bundle, whatever the answer types.
    async fn execute_all(&self, calls: Vec<(Method, String, Body)>) -> Vec<Result<(u16, String), ApiError>> {
        stream::iter(calls.into_iter().map(|(method, url, body)| {
            let client = self.clone();
            async move { client.execute(method, &url, &body).await }
        }))
        .buffered(CONCURRENCY)
        .collect()
        .await
    }

    /// Every page of a paged list. The service gives no total, so page 1 goes alone (most lists
    /// fit in it); after a full page, the next pages go in waves of [`CONCURRENCY`], and the
    /// paging rule says when to stop.
    pub async fn fetch_all_pages<T, F>(&self, per_page: u32, max_per_page: u32, make: F) -> Result<Vec<T>, ApiError>
    where
        T: DeserializeOwned,
        F: Fn(Page) -> Request<Vec<T>>,
    {
        let mut out = Vec::new();
        let mut first = 1u32;
        let mut wave_size = 1u32;
        loop {
            let wave: Vec<_> = (first..first + wave_size).map(|p| make(Page::new(p, per_page))).collect();
            let mut done = false;
            for result in self.send_all(wave).await {
                let page = result?;
                if done {
                    continue;
                }
                done = is_last_page(per_page, max_per_page, page.len());
                out.extend(page);
            }
            if done {
                return Ok(out);
            }
            first += wave_size;
            wave_size = CONCURRENCY as u32;
        }
    }
}

/// What every answer teaches about the key, whichever screen asked: a write refused because the
/// key is read-only is remembered until sign-out, and the page says so ([`crate::store::abilities`]).
pub(crate) fn note_answer(status: u16, text: &str) {
    if status == 401 && ApiError::from_response(status, text).kind == ErrorKind::ReadOnlyKey {
        crate::store::abilities::learn_read_only();
    }
}

fn multipart(parts: &[Part]) -> Result<web_sys::FormData, String> {
    let js = |_| "the browser could not build the form data".to_string();
    let form = web_sys::FormData::new().map_err(js)?;
    for part in parts {
        match part {
            Part::Text { name, value } => form.append_with_str(name, value).map_err(js)?,
            Part::File { name, filename, content_type, bytes } => {
                let array = js_sys::Uint8Array::from(bytes.as_slice());
                let options = web_sys::BlobPropertyBag::new();
                options.set_type(content_type);
                let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&array), &options)
                    .map_err(js)?;
                form.append_with_blob_and_filename(name, &blob, filename).map_err(js)?
            }
        }
    }
    Ok(form)
}

/// Makes what a person types into a base URL: adds `https://` when no scheme is given, drops a
/// trailing `/` and a pasted `/api/v2`. `Err` with a plain message for what cannot be a URL.
pub fn normalise_base_url(input: &str) -> Result<String, String> {
    let mut s = input.trim().to_string();
    if s.is_empty() {
        return Err("Enter the helpdesk address, for example https://app.mojohelpdesk.com".into());
    }
    if !s.contains("://") {
        // "javascript:", "data:", "http:/host": a scheme, but not a web address. "localhost:8080"
        // is a host and port, not a scheme.
        if let Some((scheme, rest)) = s.split_once(':') {
            let scheme_like = scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
            if scheme_like && !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return Err("The address must start with http:// or https://".into());
            }
        }
        s = format!("https://{s}");
    }
    let lower = s.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err("The address must start with http:// or https://".into());
    }
    while s.ends_with('/') {
        s.pop();
    }
    for suffix in ["/api/v2", "/api"] {
        if s.to_ascii_lowercase().ends_with(suffix) {
            s.truncate(s.len() - suffix.len());
        }
    }
    let host = s.split("://").nth(1).unwrap_or("");
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains('?') || host.contains('#') {
        return Err("That does not look like a web address.".into());
    }
    if host.split('/').next().unwrap_or("").contains('@') {
        return Err("Leave the user name and password out of the address: the access key is all the API needs.".into());
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::normalise_base_url;

    #[test]
    fn base_url_forms() {
        assert_eq!(normalise_base_url("app.mojohelpdesk.com").unwrap(), "https://app.mojohelpdesk.com");
        assert_eq!(normalise_base_url(" http://127.0.0.1:8080/ ").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(normalise_base_url("https://x.mojohelpdesk.com/api/v2/").unwrap(), "https://x.mojohelpdesk.com");
        assert!(normalise_base_url("").is_err());
        assert!(normalise_base_url("ftp://x").is_err());
        assert!(normalise_base_url("https://").is_err());
        assert!(normalise_base_url("https://a b").is_err());
        for bad in ["javascript:alert(1)", "data:text/html,hi", "http:/127.0.0.1:8080", "mailto:x@y", "http://u:p@host"]
        {
            assert!(normalise_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(normalise_base_url("localhost:8080").unwrap(), "https://localhost:8080");
        assert_eq!(normalise_base_url("127.0.0.1:8080/api/v2").unwrap(), "https://127.0.0.1:8080");
    }
}
