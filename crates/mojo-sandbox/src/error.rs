//! The error bodies of the service (REFERENCE §5.1). The real API picks one of three shapes per
//! controller; each variant here renders the shape its status uses there, so clients meet the
//! same bodies they would meet in production.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The generic 401 text (the spec's sample wording).
pub const NOT_AUTHORIZED: &str = "You are not authorized for that action.";
/// The 401 text for a read-only key used to write (exact wording from the spec).
pub const READ_ONLY: &str = "This API key is read-only and cannot perform write operations.";
/// The 400 text for form keys nested deeper than [`crate::params::MAX_DEPTH`].
pub const TOO_DEEP: &str = "bad request: parameters are nested too deeply (at most 32 levels)";
/// The 404 text of controllers that use `find` (tickets and their sub-resources).
pub const RECORD_NOT_FOUND: &str = "Record not found";

/// Every way a request can fail.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 401 `{"message","messages"}`: bad, missing, expired or read-only key, role too low,
    /// no access to the record.
    Unauthorized(&'static str),
    /// 404 `{"message":"Record not found",...}`: a ticket (or sub-resource) that does not exist.
    RecordNotFound,
    /// 404 `{"message":"Not found",...}`: no such route.
    RouteNotFound,
    /// 400 `{"error": "..."}`: unknown ids on queue/user/group/type endpoints, bad parameters.
    BadRequest(String),
    /// 400 `{"code":"invalid_request","messages":[...]}`: the access-rights endpoints, which
    /// inherit the v3 API base (REFERENCE §5.1).
    InvalidRequest(String),
    /// 400 `{"error":"bad request"}`: a body that cannot be parsed at all.
    MalformedBody,
    /// 413: a body over the size limit.
    TooLarge,
    /// 422 `{"message":"Validation failed: a, b","messages":["a","b"]}`.
    Validation(Vec<String>),
    /// 422 with a message that is not a validation list (e.g. closing with open tasks).
    Unprocessable(String),
    /// 500: a bug or a storage failure. Never caused by input on purpose.
    Internal(String),
}

/// Result type of handlers and queries.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A 400 `{"error": ...}`.
    pub fn bad(msg: impl Into<String>) -> Self {
        ApiError::BadRequest(msg.into())
    }

    /// A 422 with one validation message.
    pub fn invalid(msg: impl Into<String>) -> Self {
        ApiError::Validation(vec![msg.into()])
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::RecordNotFound | ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) | ApiError::InvalidRequest(_) | ApiError::MalformedBody => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Validation(_) | ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The JSON body, in the shape the real controller would use.
    pub fn body(&self) -> Value {
        fn msg(m: &str) -> Value {
            json!({ "message": m, "messages": [m] })
        }
        match self {
            ApiError::Unauthorized(m) => msg(m),
            ApiError::RecordNotFound => msg(RECORD_NOT_FOUND),
            ApiError::RouteNotFound => msg("Not found"),
            ApiError::BadRequest(e) => json!({ "error": e }),
            ApiError::InvalidRequest(m) => json!({ "code": "invalid_request", "messages": [m] }),
            ApiError::MalformedBody => json!({ "error": "bad request" }),
            ApiError::TooLarge => json!({ "error": "Request entity too large" }),
            ApiError::Validation(list) => {
                json!({ "message": format!("Validation failed: {}", list.join(", ")), "messages": list })
            }
            ApiError::Unprocessable(m) => msg(m),
            ApiError::Internal(_) => json!({ "error": "Internal server error" }),
        }
    }
}

/// The `{"error": "..."}` body of an error answer the stand-in did not write itself (hyper's
/// automatic 414/431/400, a static file service's empty 405): the 400 shape of §5.1, with the
/// texts of [`ApiError`] where one exists for the status.
pub fn generic_body(status: StatusCode) -> Value {
    match status {
        StatusCode::BAD_REQUEST => ApiError::MalformedBody.body(),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge.body(),
        StatusCode::NOT_FOUND => ApiError::RouteNotFound.body(),
        s => json!({ "error": s.canonical_reason().unwrap_or("error") }),
    }
}

/// Gives an error answer with an empty body and no type the JSON body of [`generic_body`].
pub fn fill_empty_error(mut res: Response) -> Response {
    use axum::body::HttpBody;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error())
        || res.headers().contains_key(axum::http::header::CONTENT_TYPE)
        || res.body().size_hint().exact() != Some(0)
    {
        return res;
    }
    let filled = crate::json::response(status, &generic_body(status));
    let (mut parts, body) = filled.into_parts();
    for (name, value) in res.headers() {
        if name != axum::http::header::CONTENT_LENGTH && !parts.headers.contains_key(name) {
            parts.headers.insert(name.clone(), value.clone());
        }
    }
    *res.headers_mut() = parts.headers;
    *res.body_mut() = body;
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            eprintln!("mojo-sandbox: internal error: {detail}");
        }
        crate::json::response(self.status(), &self.body())
    }
}

impl From<crate::params::TooDeep> for ApiError {
    fn from(_: crate::params::TooDeep) -> Self {
        ApiError::BadRequest(TOO_DEEP.into())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::Internal(format!("sqlite: {e}"))
    }
}
