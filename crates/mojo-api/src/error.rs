//! One error type for every way a call can fail: the three error body shapes of the service
//! (REFERENCE §5.1), plus what an executor meets on the way (network, CORS, a body that is not
//! the API's). Screens show [`ApiError::user_message`]; the raw text stays for diagnostics.

use serde_json::Value;
use std::fmt;

/// What kind of failure, as a person needs to tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: missing, wrong or expired key, a role too low, or no access to the record.
    Unauthorized,
    /// 401 for a write sent with a read-only key (`This API key is read-only and cannot perform
    /// write operations.`, REFERENCE §1): the key works, only not for changes.
    ReadOnlyKey,
    /// 400 `{"error": ...}` or `{"code","messages"}`: a bad id or bad input.
    BadRequest,
    /// 403: a missing add-on or plan.
    Forbidden,
    /// 404 with the API's own `Record not found`.
    NotFound,
    /// 413: an upload over the size limit.
    TooLarge,
    /// 422: validation failed.
    Validation,
    /// 429: too many requests.
    RateLimited,
    /// 5xx.
    Server,
    /// The answer is not the Mojo API's (HTML, or a 404 that is not the API's JSON).
    NotMojo,
    /// A 2xx answer whose body could not be read as the expected type.
    Decode,
    /// The host could not be reached at all.
    Network,
    /// The host answered but the browser refused the answer (no CORS permission).
    Cors,
    /// The executor refused to send: the agent signed out meanwhile.
    SignedOut,
    /// Any other status.
    Other,
}

/// A failed API call.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// The kind of failure.
    pub kind: ErrorKind,
    /// The HTTP status, when an answer arrived.
    pub status: Option<u16>,
    /// `message` or `error` (joined when a list) from the body.
    pub message: Option<String>,
    /// `messages`, or `error` when it was a list.
    pub messages: Vec<String>,
    /// `code` from the access-rights shape (`invalid_request`).
    pub code: Option<String>,
    /// The raw body text (cut to 2 KB), or the executor's own detail.
    pub raw: String,
}

impl ApiError {
    /// Reads a non-2xx answer: any of the three body shapes, or none.
    pub fn from_response(status: u16, body: &str) -> Self {
        let mut err = ApiError {
            kind: kind_for_status(status),
            status: Some(status),
            message: None,
            messages: Vec::new(),
            code: None,
            raw: cut(body),
        };
        match serde_json::from_str::<Value>(body) {
            Ok(Value::Object(map)) => {
                if let Some(Value::String(m)) = map.get("message") {
                    err.message = Some(m.clone());
                }
                if let Some(Value::Array(list)) = map.get("messages") {
                    err.messages = strings(list);
                }
                match map.get("error") {
                    Some(Value::String(e)) => err.message = err.message.or(Some(e.clone())),
                    Some(Value::Array(list)) => {
                        let list = strings(list);
                        if err.message.is_none() && !list.is_empty() {
                            err.message = Some(list.join("; "));
                        }
                        err.messages.extend(list);
                    }
                    _ => {}
                }
                if let Some(Value::String(c)) = map.get("code") {
                    err.code = Some(c.clone());
                }
                if err.message.is_none() && !err.messages.is_empty() {
                    err.message = Some(err.messages.join("; "));
                }
                if status == 401 && err.service_message().is_some_and(|m| says_read_only(&m)) {
                    err.kind = ErrorKind::ReadOnlyKey;
                }
                if status == 404 && err.message.is_none() {
                    // JSON, but none of the API's shapes: some other service's 404.
                    err.kind = ErrorKind::NotMojo;
                }
            }
            _ if status == 404 => err.kind = ErrorKind::NotMojo,
            _ if looks_like_html(body) && status < 500 && status != 401 => err.kind = ErrorKind::NotMojo,
            _ => {}
        }
        err
    }

    /// A 2xx answer whose body is not the expected JSON.
    pub fn undecodable(status: u16, body: &str, detail: &str) -> Self {
        let kind = if looks_like_html(body) || serde_json::from_str::<Value>(body).is_err() {
            ErrorKind::NotMojo
        } else {
            ErrorKind::Decode
        };
        ApiError {
            kind,
            status: Some(status),
            message: Some(detail.to_string()),
            messages: Vec::new(),
            code: None,
            raw: cut(body),
        }
    }

    /// A failure with no HTTP answer (network, CORS), built by an executor.
    pub fn transport(kind: ErrorKind, detail: impl Into<String>) -> Self {
        ApiError { kind, status: None, message: None, messages: Vec::new(), code: None, raw: detail.into() }
    }

    /// The service's own words, if it gave any.
    pub fn service_message(&self) -> Option<String> {
        self.message.clone().or_else(|| (!self.messages.is_empty()).then(|| self.messages.join("; ")))
    }

    /// A plain-language sentence for the person at the screen.
    pub fn user_message(&self) -> String {
        let said = self.service_message();
        let with = |base: &str| match &said {
            Some(s) if !s.is_empty() => format!("{base} The service said: “{}”", s.trim_end_matches(['.', ' '])),
            _ => base.to_string(),
        };
        match self.kind {
            ErrorKind::Unauthorized => with(
                "The access key was refused for this: it is wrong or expired, read-only, or not allowed here (its role or queue access). Sign out to use another key.",
            ),
            ErrorKind::ReadOnlyKey => "This access key is read-only: the helpdesk lets it look, not change anything, so nothing was changed. Sign out and connect with a read-write key to make changes.".to_string(),
            ErrorKind::BadRequest => with("The service refused the request as invalid."),
            ErrorKind::Forbidden => with("Your helpdesk plan does not include this feature."),
            ErrorKind::NotFound => with("It does not exist (any more)."),
            ErrorKind::TooLarge => "The file is larger than the service accepts.".to_string(),
            ErrorKind::Validation => with("The service did not accept the data."),
            ErrorKind::RateLimited => "Too many requests: the service asked us to slow down. Try again in a moment.".to_string(),
            ErrorKind::Server => format!(
                "The helpdesk service had an internal error (HTTP {}); try again in a moment.",
                self.status.unwrap_or(500)
            ),
            ErrorKind::NotMojo => "That address answered, but not as a Mojo Helpdesk API v2 (it sent a web page or an unknown answer). Check the helpdesk URL.".to_string(),
            ErrorKind::Decode => "The service answered in a form this dashboard cannot read.".to_string(),
            ErrorKind::Network => "The helpdesk could not be reached: check the address and your network connection.".to_string(),
            ErrorKind::Cors => "The helpdesk answered, but the browser blocked the answer: that server does not allow calls from this page's origin (CORS). Serve the dashboard from an allowed origin or use the bundled stand-in.".to_string(),
            ErrorKind::SignedOut => "You signed out, so this was not sent.".to_string(),
            ErrorKind::Other => with(&format!("The request failed (HTTP {}).", self.status.unwrap_or(0))),
        }
    }

    /// True when the service said yes (2xx) but its answer could not be read: a write it answered
    /// this way has most likely happened, and must not be sent again as if it had not.
    pub fn accepted_unreadable(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    /// True when trying again later may succeed (network, 429, 5xx).
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind, ErrorKind::Network | ErrorKind::RateLimited | ErrorKind::Server)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for ApiError {}

/// "read-only", "read only" or "readonly" in any case: how a refusal names a read-only key.
fn says_read_only(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    ["read-only", "read only", "readonly"].iter().any(|w| m.contains(w))
}

fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        400 => ErrorKind::BadRequest,
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        413 => ErrorKind::TooLarge,
        422 => ErrorKind::Validation,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Other,
    }
}

fn strings(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn looks_like_html(body: &str) -> bool {
    let t = body.trim_start().get(..64.min(body.trim_start().len())).unwrap_or("").to_ascii_lowercase();
    t.starts_with("<!doctype")
        || t.starts_with("<html")
        || t.starts_with("<head")
        || t.starts_with("<?xml")
        || t.starts_with("<body")
}

fn cut(s: &str) -> String {
    if s.len() <= 2048 {
        return s.to_string();
    }
    let mut end = 2048;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_message_shape() {
        let e = ApiError::from_response(
            401,
            r#"{"message":"You are not authorized for that action.","messages":["You are not authorized for that action."]}"#,
        );
        assert_eq!(e.kind, ErrorKind::Unauthorized);
        assert_eq!(e.message.as_deref(), Some("You are not authorized for that action."));
        assert_eq!(e.messages.len(), 1);
        let nf = ApiError::from_response(404, r#"{"message":"Record not found"}"#);
        assert_eq!(nf.kind, ErrorKind::NotFound);
        assert_eq!(nf.service_message().as_deref(), Some("Record not found"));
    }

    #[test]
    fn tells_a_read_only_key_from_a_wrong_one() {
        // The exact body the newest spec gives for a write with a read-only key.
        let ro = ApiError::from_response(
            401,
            r#"{"message":"This API key is read-only and cannot perform write operations.","messages":["This API key is read-only and cannot perform write operations."]}"#,
        );
        assert_eq!(ro.kind, ErrorKind::ReadOnlyKey);
        assert!(ro.user_message().starts_with("This access key is read-only"));
        // The other shapes and spellings say the same.
        assert_eq!(ApiError::from_response(401, r#"{"error":"API key is READ ONLY"}"#).kind, ErrorKind::ReadOnlyKey);
        assert_eq!(ApiError::from_response(401, r#"{"messages":["Readonly key"]}"#).kind, ErrorKind::ReadOnlyKey);
        // A wrong key, a role too low, and a 422 that merely mentions the words, are not.
        let wrong =
            ApiError::from_response(401, r#"{"message":"Invalid access key","messages":["Invalid access key"]}"#);
        assert_eq!(wrong.kind, ErrorKind::Unauthorized);
        assert_eq!(ApiError::from_response(401, "").kind, ErrorKind::Unauthorized);
        assert_eq!(ApiError::from_response(422, r#"{"message":"Field is read-only"}"#).kind, ErrorKind::Validation);
    }

    #[test]
    fn reads_error_shapes() {
        let e = ApiError::from_response(400, r#"{"error":"Invalid user id"}"#);
        assert_eq!((e.kind, e.message.as_deref()), (ErrorKind::BadRequest, Some("Invalid user id")));
        let list = ApiError::from_response(400, r#"{"error":["Name can't be blank","Name is too short"]}"#);
        assert_eq!(list.messages, vec!["Name can't be blank", "Name is too short"]);
        assert_eq!(list.message.as_deref(), Some("Name can't be blank; Name is too short"));
        let code = ApiError::from_response(400, r#"{"code":"invalid_request","messages":["Invalid User ID."]}"#);
        assert_eq!(code.code.as_deref(), Some("invalid_request"));
        assert_eq!(code.message.as_deref(), Some("Invalid User ID."));
    }

    #[test]
    fn tells_foreign_answers_apart() {
        assert_eq!(ApiError::from_response(404, "<!DOCTYPE html><html>nope</html>").kind, ErrorKind::NotMojo);
        assert_eq!(ApiError::from_response(404, "Not Found").kind, ErrorKind::NotMojo);
        assert_eq!(ApiError::from_response(404, r#"{"detail":"x"}"#).kind, ErrorKind::NotMojo);
        assert_eq!(ApiError::from_response(502, "<html>Bad gateway</html>").kind, ErrorKind::Server);
        assert_eq!(ApiError::from_response(500, "").kind, ErrorKind::Server);
        assert_eq!(ApiError::undecodable(200, "<html></html>", "x").kind, ErrorKind::NotMojo);
        assert_eq!(ApiError::undecodable(200, "{\"a\":1}", "x").kind, ErrorKind::Decode);
        assert!(ApiError::from_response(503, "").is_retryable());
        assert!(!ApiError::from_response(422, "{}").is_retryable());
    }
}
