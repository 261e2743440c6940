//! CORS, written out instead of pulled in: the dashboard calls the stand-in cross-origin during
//! development, and the real service is expected to allow browser use (REFERENCE §5.3). Every
//! preflight gets a 204 with permissive headers; every answer names the allowed origin, and an
//! error answer that came without a body (a static file service's 405, say) gets the JSON
//! `{"error": "..."}` body. Answers hyper writes itself, before any service runs, are handled
//! one level lower, in [`crate::transport`].

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The methods the API answers.
pub const ALLOW_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
/// The request headers allowed when the preflight names none.
pub const DEFAULT_ALLOW_HEADERS: &str = "content-type, accept";

/// The middleware: answers `OPTIONS` itself, decorates everything else.
pub async fn cors(req: Request, next: Next) -> Response {
    let origin = allow_origin(req.headers());
    if req.method() == Method::OPTIONS {
        let allow_headers = req
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .cloned()
            .unwrap_or(HeaderValue::from_static(DEFAULT_ALLOW_HEADERS));
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NO_CONTENT;
        let h = res.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(ALLOW_METHODS));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allow_headers);
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        h.insert(header::VARY, HeaderValue::from_static("Origin, Access-Control-Request-Headers"));
        return res;
    }
    let mut res = crate::error::fill_empty_error(next.run(req).await);
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("Location"));
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    res
}

/// The request's `Origin` echoed back, or `*` when there is none.
fn allow_origin(headers: &HeaderMap) -> HeaderValue {
    headers.get(header::ORIGIN).filter(|v| !v.is_empty()).cloned().unwrap_or(HeaderValue::from_static("*"))
}
