//! The front door: which requests are API requests, and the static app for the rest.
//!
//! - A path is an API path when, with duplicate slashes collapsed, percent escapes decoded and
//!   letters folded, it is `/api` or starts with `/api/`. API paths never reach the static
//!   files: they go to the API router with duplicate slashes collapsed and any trailing slash
//!   dropped (Rails normalises paths the same way, so `/api/v2/tickets/` and
//!   `//api/v2/tickets` are the ticket list); what the router does not know answers the JSON
//!   404, `/API/V2/tickets` included (Rails routes are case-sensitive).
//! - `/blobs/<token>` (the download links `GET /attachments/{id}` redirects to) also goes to
//!   the API router.
//! - Other paths go to the static app: files as they are; a missing path without a file
//!   extension gets `index.html` (client-side routes of the single-page app); a missing file
//!   with an extension (`/nonexistent.js`) is a JSON 404, never `index.html`.

use crate::error::ApiError;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::uri::PathAndQuery;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};
use tower_service::Service;

/// A built single-page app: its directory and its `index.html`.
#[derive(Clone)]
pub struct Statics {
    dir: ServeDir,
    index: ServeFile,
}

impl Statics {
    /// The app in `dir` (which holds `index.html`).
    pub fn new(dir: &Path) -> Self {
        Statics { dir: ServeDir::new(dir), index: ServeFile::new(dir.join("index.html")) }
    }
}

/// Collapses runs of `/` into one.
fn squeeze(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
}

/// The path the API router should see when `path` is an API path (see the module docs), or
/// `None` for a path of the static app.
pub fn api_path(path: &str) -> Option<String> {
    let squeezed = squeeze(path);
    let folded = squeeze(&crate::params::percent_decode(&squeezed)).to_ascii_lowercase();
    if folded != "/api" && !folded.starts_with("/api/") {
        return None;
    }
    let mut out = squeezed;
    while out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    Some(out)
}

/// Whether the last segment of a path names a file with an extension (`app.js`, `x.png`).
fn has_extension(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.rfind('.').is_some_and(|i| i > 0 && i + 1 < last.len())
}

/// `req` with its path replaced (the query kept).
fn with_path(mut req: Request, path: &str) -> Request {
    if req.uri().path() == path {
        return req;
    }
    let pq = match req.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    let mut parts = req.uri().clone().into_parts();
    if let Ok(pq) = PathAndQuery::try_from(pq) {
        parts.path_and_query = Some(pq);
        if let Ok(uri) = Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
    req
}

/// Routes one request: API paths to `api`, the rest to `statics` (or the JSON 404).
pub async fn dispatch(req: Request, mut api: Router, statics: Option<Statics>) -> Response {
    if let Some(path) = api_path(req.uri().path()) {
        let req = with_path(req, &path);
        return match api.call(req).await {
            Ok(res) => res,
            Err(never) => match never {},
        };
    }
    // Attachment download links (`GET /attachments/{id}` redirects there) are served by the
    // API router too, never by the static app.
    if req.uri().path().starts_with("/blobs/") {
        return match api.call(req).await {
            Ok(res) => res,
            Err(never) => match never {},
        };
    }
    match statics {
        Some(s) => serve_static(req, s).await,
        None => ApiError::RouteNotFound.into_response(),
    }
}

async fn serve_static(req: Request, mut s: Statics) -> Response {
    let spa_route = !has_extension(req.uri().path());
    let (parts, body) = req.into_parts();
    let res = match s.dir.call(Request::from_parts(parts.clone(), body)).await {
        Ok(res) => res,
        Err(never) => match never {},
    };
    if res.status() != StatusCode::NOT_FOUND {
        return res.map(Body::new);
    }
    if spa_route && (parts.method == Method::GET || parts.method == Method::HEAD) {
        return match s.index.call(Request::from_parts(parts, Body::empty())).await {
            Ok(res) => res.map(Body::new),
            Err(never) => match never {},
        };
    }
    ApiError::RouteNotFound.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths() {
        assert_eq!(api_path("/api/v2/tickets").as_deref(), Some("/api/v2/tickets"));
        assert_eq!(api_path("/api/v2/tickets/").as_deref(), Some("/api/v2/tickets"));
        assert_eq!(api_path("//api//v2///tickets//").as_deref(), Some("/api/v2/tickets"));
        assert_eq!(api_path("/API/V2/tickets").as_deref(), Some("/API/V2/tickets"));
        assert_eq!(api_path("/%61pi/v2/tickets").as_deref(), Some("/%61pi/v2/tickets"));
        assert_eq!(api_path("/api").as_deref(), Some("/api"));
        assert_eq!(api_path("/api/").as_deref(), Some("/api"));
        assert_eq!(api_path("/apiary"), None);
        assert_eq!(api_path("/"), None);
        assert_eq!(api_path("/tickets/10001"), None);
        assert!(has_extension("/assets/app-1f2e.js"));
        assert!(has_extension("/nonexistent.js"));
        assert!(!has_extension("/tickets/10001"));
        assert!(!has_extension("/v1.2/board"));
        assert!(!has_extension("/.hidden"));
        assert!(!has_extension("/"));
    }
}
