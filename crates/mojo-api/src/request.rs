//! Requests as data. An endpoint function returns a [`Request`]: method, path under
//! `/api/v2`, query pairs, body, and (as a type parameter) what the answer decodes to.
//! Executors (the browser's gloo-net one, the tests' native one) only add the base URL and the
//! access key, send it, and hand status and body back to [`Request::decode`].

use crate::error::ApiError;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::marker::PhantomData;

/// The path prefix of every v2 endpoint.
pub const API_PREFIX: &str = "/api/v2";

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One part of a multipart body.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// A text field.
    Text {
        /// Field name, e.g. `title` or `user[email]`.
        name: String,
        /// Field value.
        value: String,
    },
    /// A file field.
    File {
        /// Field name, e.g. `file` or `attachment[0][content]`.
        name: String,
        /// The file name sent in Content-Disposition.
        filename: String,
        /// MIME type.
        content_type: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// `application/json`.
    Json(Value),
    /// `multipart/form-data`.
    Multipart(Vec<Part>),
}

/// A description of one API call whose successful answer decodes to `T`.
/// `()` means an empty (or ignored) body, as DELETE answers.
#[derive(Debug)]
pub struct Request<T> {
    /// HTTP method.
    pub method: Method,
    /// Path under [`API_PREFIX`], starting with `/`.
    pub path: String,
    /// Query pairs, not yet encoded; the executor adds `access_key`.
    pub query: Vec<(String, String)>,
    /// Body.
    pub body: Body,
    answer: PhantomData<fn() -> T>,
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            method: self.method,
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            answer: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Request<T> {
    /// A request with no query and no body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request { method, path: path.into(), query: Vec::new(), body: Body::Empty, answer: PhantomData }
    }

    /// Adds a query pair.
    pub fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_string(), value.to_string()));
        self
    }

    /// Adds a query pair when the value is present.
    pub fn query_opt(self, key: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: Value) -> Self {
        self.body = Body::Json(body);
        self
    }

    /// Sets a multipart body.
    pub fn multipart(mut self, parts: Vec<Part>) -> Self {
        self.body = Body::Multipart(parts);
        self
    }

    /// Path and query (without the access key), percent-encoded: `/api/v2/tickets?page=2`.
    pub fn path_and_query(&self) -> String {
        let mut out = format!("{API_PREFIX}{}", self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode_component(k));
            out.push('=');
            out.push_str(&encode_component(v));
        }
        out
    }

    /// Turns the answer into `T` or an [`ApiError`]. 2xx bodies must decode as `T`
    /// (an empty body reads as JSON `null`, which `()` and `Option` accept).
    pub fn decode(&self, status: u16, body: &str) -> Result<T, ApiError> {
        if !(200..300).contains(&status) {
            return Err(ApiError::from_response(status, body));
        }
        let text = if body.trim().is_empty() { "null" } else { body };
        serde_json::from_str::<T>(text).map_err(|e| ApiError::undecodable(status, body, &e.to_string()))
    }
}

/// Percent-encodes a query component (RFC 3986 unreserved characters stay).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Reads a percent-encoded query component (`+` is a space, as forms send it). Invalid escapes
/// stay as written and invalid UTF-8 becomes U+FFFD: an address typed by hand never fails.
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push(h * 16 + l);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Page parameters of the list endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Page number, from 1.
    pub page: u32,
    /// Items per page as requested.
    pub per_page: u32,
}

impl Page {
    /// Page `page` of `per_page` items.
    pub fn new(page: u32, per_page: u32) -> Self {
        Page { page: page.max(1), per_page: per_page.max(1) }
    }
}

/// The paging rule (REFERENCE §1.5, §7.3): the service gives no total, so a page that is empty or
/// shorter than what the service actually serves per page is the last. `max_per_page` is the
/// service's cap (100): asking for 1000 and getting 100 is not the end.
pub fn is_last_page(requested_per_page: u32, max_per_page: u32, received: usize) -> bool {
    let served = requested_per_page.clamp(1, max_per_page.max(1)) as usize;
    received == 0 || received < served
}

/// The page to ask for after `page`, or `None` when `page` was the last.
pub fn next_page(page: Page, max_per_page: u32, received: usize) -> Option<u32> {
    (!is_last_page(page.per_page, max_per_page, received)).then_some(page.page + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_rule() {
        assert!(is_last_page(30, 100, 0));
        assert!(is_last_page(30, 100, 29));
        assert!(!is_last_page(30, 100, 30));
        assert!(!is_last_page(1000, 100, 100), "a capped page is not the end");
        assert!(is_last_page(1000, 100, 99));
        assert_eq!(next_page(Page::new(3, 100), 100, 100), Some(4));
        assert_eq!(next_page(Page::new(3, 100), 100, 7), None);
        assert_eq!(Page::new(0, 0), Page { page: 1, per_page: 1 });
    }

    #[test]
    fn encodes_query() {
        let r: Request<Value> =
            Request::new(Method::Get, "/tickets/search").query("query", "status.id:(<50) AND title:\"a&b\"");
        assert_eq!(
            r.path_and_query(),
            "/api/v2/tickets/search?query=status.id%3A%28%3C50%29%20AND%20title%3A%22a%26b%22"
        );
    }

    #[test]
    fn components_round_trip() {
        for s in ["", "a b", "status.id:(<50) AND title:(\"x & y\")", "é ü 漢字 😀", "100%", "%zz%4"] {
            assert_eq!(decode_component(&encode_component(s)), s);
        }
        assert_eq!(decode_component("a+b%20c%2"), "a b c%2");
        assert_eq!(decode_component("%FF"), "\u{FFFD}");
    }

    #[test]
    fn decodes_empty_and_errors() {
        let del: Request<()> = Request::new(Method::Delete, "/tickets/1");
        assert_eq!(del.decode(200, ""), Ok(()));
        let err = del.decode(404, r#"{"message":"Record not found"}"#).unwrap_err();
        assert_eq!(err.status, Some(404));
        let list: Request<Vec<i64>> = Request::new(Method::Get, "/x");
        assert_eq!(list.decode(200, "[1,2]").unwrap(), vec![1, 2]);
        assert_eq!(list.decode(200, "<html>").unwrap_err().kind, crate::error::ErrorKind::NotMojo);
    }
}
