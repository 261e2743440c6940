//! The one extractor every API handler takes: method, path parameters and the merged
//! parameters of query and body. Reading the body here (and not with axum's typed extractors)
//! is what lets one handler accept JSON, urlencoded and multipart alike, find `access_key` in
//! any of them, and turn every malformed body into the service's 400 instead of axum's
//! plain-text rejections.

use crate::error::ApiError;
use crate::params::{Params, Upload};
use axum::extract::{FromRequest, FromRequestParts, Multipart, RawPathParams, Request};
use axum::http::{Method, header};
use serde_json::Value;

/// The largest body accepted (attachments included). Bigger bodies get 413.
pub const MAX_BODY: usize = mojo_api::attachment::MAX_REQUEST_BYTES as usize;

/// A parsed API request.
#[derive(Debug, Clone)]
pub struct ApiCall {
    /// HTTP method (decides whether a read-only key may proceed).
    pub method: Method,
    /// Path parameters by name (`id`, `ticket_id`), percent-decoded.
    pub path: Vec<(String, String)>,
    /// Query and body parameters merged, the body winning.
    pub params: Params,
    /// `http://host:port` as the client addressed the stand-in (from `Host`, and
    /// `X-Forwarded-Proto: https` behind a TLS proxy), for absolute links such as the blob
    /// URL of an attachment download; `None` when the `Host` header is missing or odd.
    pub origin: Option<String>,
}

impl ApiCall {
    /// A path parameter's text (empty when missing).
    pub fn path_param(&self, name: &str) -> &str {
        self.path.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// A path parameter as an id; `None` when it is not a positive integer.
    pub fn path_id(&self, name: &str) -> Option<i64> {
        let raw = self.path_param(name).trim();
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        raw.parse::<i64>().ok().filter(|n| *n > 0)
    }

    /// True for methods a read-only key may not use.
    pub fn is_write(&self) -> bool {
        matches!(self.method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
    }

    /// Uploaded files.
    pub fn files(&self) -> &[Upload] {
        &self.params.files
    }
}

impl<S: Send + Sync> FromRequest<S> for ApiCall {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        let path = match RawPathParams::from_request_parts(&mut parts, state).await {
            Ok(raw) => raw.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            Err(_) => Vec::new(),
        };
        let mut params = Params::from_urlencoded(parts.uri.query().unwrap_or(""))?;
        let kind = BodyKind::of(parts.headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()));
        let declared_len = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared_len.is_some_and(|n| n > MAX_BODY as u64) {
            return Err(ApiError::TooLarge);
        }
        let method = parts.method.clone();
        let origin = origin_of(&parts.headers);

        if kind == BodyKind::Multipart {
            let req = Request::from_parts(parts, body);
            params.merge(read_multipart(req, state).await?);
        } else {
            let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(body_error)?;
            match kind {
                BodyKind::Json => params.merge(Params::from_json(&bytes).map_err(|_| ApiError::MalformedBody)?),
                BodyKind::Form => params.merge(Params::from_urlencoded(&String::from_utf8_lossy(&bytes))?),
                // No declared type (curl -d without -H): JSON when it looks like JSON (and then it
                // must parse), else a form, as curl -d means.
                BodyKind::Undeclared => {
                    let start = bytes.trim_ascii_start();
                    if start.starts_with(b"{") || start.starts_with(b"[") {
                        params.merge(Params::from_json(&bytes).map_err(|_| ApiError::MalformedBody)?);
                    } else if !start.is_empty() {
                        params.merge(Params::from_urlencoded(&String::from_utf8_lossy(&bytes))?);
                    }
                }
                // Any other declared type: the body is not parameters (Rails ignores it too).
                BodyKind::Multipart | BodyKind::Other => {}
            }
        }
        Ok(ApiCall { method, path, params, origin })
    }
}

/// `scheme://host` from the `Host` header (letters, digits, `.-:[]` only).
fn origin_of(headers: &axum::http::HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?.trim();
    if host.is_empty() || host.len() > 255 || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
    {
        return None;
    }
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    Some(format!("{}://{host}", if https { "https" } else { "http" }))
}

/// What a request body is, by its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json` or any `+json` type (`application/vnd.api+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// No `Content-Type` header (or an empty one).
    Undeclared,
    /// Anything else, including near misses such as `application/jsonx`: not parameters.
    Other,
}

impl BodyKind {
    /// Classifies a `Content-Type` value by its exact media type (`type/subtype`, any case;
    /// parameters such as `; charset=utf-8` ignored).
    pub fn of(content_type: Option<&[u8]>) -> BodyKind {
        let Some(raw) = content_type else {
            return BodyKind::Undeclared;
        };
        let Ok(text) = std::str::from_utf8(raw) else {
            return BodyKind::Other;
        };
        let essence = text.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if essence.is_empty() {
            return BodyKind::Undeclared;
        }
        let Some((kind, subtype)) = essence.split_once('/') else {
            return BodyKind::Other;
        };
        let token =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b));
        if !token(kind) || !token(subtype) {
            return BodyKind::Other;
        }
        match (kind, subtype) {
            ("application", "json") => BodyKind::Json,
            (_, s) if s.ends_with("+json") && s.len() > "+json".len() => BodyKind::Json,
            ("application", "x-www-form-urlencoded") => BodyKind::Form,
            ("multipart", "form-data") => BodyKind::Multipart,
            _ => BodyKind::Other,
        }
    }
}

/// A body that could not be read: over the limit (413) or broken on the wire (400).
fn body_error(e: axum::Error) -> ApiError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(err) = source {
        if err.to_string().contains("length limit exceeded") {
            return ApiError::TooLarge;
        }
        source = err.source();
    }
    ApiError::MalformedBody
}

async fn read_multipart<S: Send + Sync>(req: Request, state: &S) -> Result<Params, ApiError> {
    let mut mp = Multipart::from_request(req, state).await.map_err(|_| ApiError::MalformedBody)?;
    let mut p = Params::default();
    let fail = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::MalformedBody
        }
    };
    while let Some(field) = mp.next_field().await.map_err(fail)? {
        let name = field.name().unwrap_or("").to_string();
        let filename = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(str::to_string);
        let data = field.bytes().await.map_err(fail)?;
        match filename {
            Some(filename) => p.files.push(Upload {
                field: name,
                filename,
                content_type: content_type.unwrap_or_else(|| "application/octet-stream".to_string()),
                bytes: data.to_vec(),
            }),
            None if !name.is_empty() => {
                p.insert_form(&name, Value::String(String::from_utf8_lossy(&data).into_owned()))?
            }
            None => {}
        }
    }
    Ok(p)
}
