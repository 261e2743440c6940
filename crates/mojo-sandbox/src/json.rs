//! Building responses: JSON with the charset Rails sends, empty 200s for deletes, and the
//! timestamp format (`2024-03-04T09:15:00.000Z`) used everywhere.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use mojo_api::Timestamp;
use serde_json::Value;

/// The `Content-Type` of every JSON answer.
pub const JSON_TYPE: &str = "application/json; charset=utf-8";

/// A JSON response with the given status.
pub fn response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"null".to_vec());
    let mut res = Response::new(Body::from(bytes));
    *res.status_mut() = status;
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE));
    res
}

/// 200 with a JSON body.
pub fn ok(body: Value) -> Response {
    response(StatusCode::OK, &body)
}

/// 201 with a JSON body.
pub fn created(body: Value) -> Response {
    response(StatusCode::CREATED, &body)
}

/// 200 with an empty body, as the service answers most deletes (REFERENCE §1.3).
pub fn empty_ok() -> Response {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::OK;
    res
}

/// Milliseconds since the epoch as the ISO-8601 UTC text with milliseconds.
pub fn iso(ms: i64) -> String {
    Timestamp(ms).to_iso_millis()
}

/// An optional timestamp as JSON (`null` when absent).
pub fn opt_iso(ms: Option<i64>) -> Value {
    ms.map(|m| Value::String(iso(m))).unwrap_or(Value::Null)
}

/// The current time in milliseconds since the epoch, cut to whole seconds: Rails keeps
/// datetimes to the second, so answers read `...:42.000Z` like the real service's.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64 * 1000).unwrap_or(0)
}
