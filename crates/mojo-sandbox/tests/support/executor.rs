//! The native executor of `mojo-api` request descriptions (reqwest), twin of the dashboard's
//! browser executor: base URL + `access_key` + the description → status and body → `decode`.
//! It never follows redirects (attachment downloads answer 302) and it keeps a log of every
//! exchange so the suite can validate each answer against the OpenAPI document afterwards.

use mojo_api::request::{Body, Part, encode_component};
use mojo_api::{ApiError, ErrorKind, Method, Request};
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex};

/// One request and its answer, as sent and received.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// HTTP method.
    pub method: Method,
    /// Path under `/api/v2`, without the query.
    pub path: String,
    /// Status.
    pub status: u16,
    /// Body text.
    pub body: String,
    /// `Content-Type` of the answer.
    pub content_type: Option<String>,
}

/// What [`Native::raw`] returns.
#[derive(Clone, Debug)]
pub struct Answer {
    /// Status.
    pub status: u16,
    /// Body text.
    pub body: String,
    /// `Location` header.
    pub location: Option<String>,
}

/// A connection to one stand-in with one key.
#[derive(Clone)]
pub struct Native {
    base: String,
    key: String,
    http: reqwest::Client,
    log: Arc<Mutex<Vec<Exchange>>>,
}

impl Native {
    /// A client for `base` with `key`; `log` collects every exchange.
    pub fn new(base: &str, key: &str, log: Arc<Mutex<Vec<Exchange>>>) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("client");
        Native { base: base.trim_end_matches('/').to_string(), key: key.to_string(), http, log }
    }

    /// The same server with another key (sharing the log).
    pub fn with_key(&self, key: &str) -> Self {
        Native { key: key.to_string(), ..self.clone() }
    }

    /// Sends and decodes.
    pub async fn send<T: DeserializeOwned>(&self, req: &Request<T>) -> Result<T, ApiError> {
        let a = self.raw(req).await?;
        req.decode(a.status, &a.body)
    }

    /// Sends and returns the raw answer (network errors as [`ErrorKind::Network`]).
    pub async fn raw<T: DeserializeOwned>(&self, req: &Request<T>) -> Result<Answer, ApiError> {
        let pq = req.path_and_query();
        let sep = if pq.contains('?') { '&' } else { '?' };
        let url = format!("{}{pq}{sep}access_key={}", self.base, encode_component(&self.key));
        let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes()).expect("method");
        let mut builder = self.http.request(method, &url).header("Accept", "application/json");
        builder = match &req.body {
            Body::Empty => builder,
            Body::Json(v) => builder.json(v),
            Body::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for p in parts {
                    form = match p {
                        Part::Text { name, value } => form.text(name.clone(), value.clone()),
                        Part::File { name, filename, content_type, bytes } => form.part(
                            name.clone(),
                            reqwest::multipart::Part::bytes(bytes.clone())
                                .file_name(filename.clone())
                                .mime_str(content_type)
                                .expect("mime"),
                        ),
                    };
                }
                builder.multipart(form)
            }
        };
        let response = builder.send().await.map_err(|e| ApiError::transport(ErrorKind::Network, e.to_string()))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let location = header("location");
        let content_type = header("content-type");
        let body = response.text().await.unwrap_or_default();
        let path = req.path.clone();
        self.log.lock().unwrap().push(Exchange { method: req.method, path, status, body: body.clone(), content_type });
        Ok(Answer { status, body, location })
    }

    /// GET of any URL on the server without the key (blob downloads).
    pub async fn get_url(&self, url: &str) -> reqwest::Response {
        let full = if url.starts_with("http") { url.to_string() } else { format!("{}{url}", self.base) };
        self.http.get(full).send().await.expect("get")
    }
}
