//! The browser executor's error mapping, in headless Chromium: `window.fetch` is replaced by a
//! fake that answers each request as the case says, so every status the service can send, and a
//! fetch that fails with or without a reachable host, map to the right `ApiError`.
#![cfg(target_arch = "wasm32")]

use mojo_api::request::Page;
use mojo_api::{ErrorKind, ticket};
use mojo_dashboard::api::Client;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Installs a fake `fetch`: normal requests get `status` and `body` (or a rejection when
/// `status` is 0); `no-cors` probes resolve when `reachable`. Returns the log of requested URLs.
fn fake_fetch(status: u16, body: &str, content_type: &str, reachable: bool) -> js_sys::Array {
    let log = js_sys::Array::new();
    let f = js_sys::Function::new_with_args(
        "log, status, body, type, reachable",
        r#"
        window.fetch = (req, init) => {
            const url = typeof req === 'string' ? req : req.url;
            const mode = (init && init.mode) || (req && req.mode);
            log.push(url + ' ' + (req.headers ? req.headers.get('accept') : ''));
            if (mode === 'no-cors') {
                return reachable ? Promise.resolve(new Response(null, { status: 200 })) : Promise.reject(new TypeError('Failed to fetch'));
            }
            if (status === 0) return Promise.reject(new TypeError('Failed to fetch'));
            return Promise.resolve(new Response(body, { status, headers: { 'content-type': type } }));
        };
        "#,
    );
    let args = js_sys::Array::of5(
        &log,
        &JsValue::from(status),
        &JsValue::from_str(body),
        &JsValue::from_str(content_type),
        &JsValue::from_bool(reachable),
    );
    f.apply(&JsValue::NULL, &args).unwrap();
    log
}

async fn list_error(
    status: u16,
    body: &str,
    content_type: &str,
    reachable: bool,
) -> (mojo_api::ApiError, js_sys::Array) {
    let log = fake_fetch(status, body, content_type, reachable);
    let client = Client::new("https://helpdesk.example", "k3y w/ space");
    let err = client.send(&ticket::list(Page::new(1, 1), None, None)).await.expect_err("an error");
    (err, log)
}

const JSON: &str = "application/json";

#[wasm_bindgen_test]
async fn maps_every_status() {
    let (e, log) = list_error(401, r#"{"message":"You are not authorized for that action.","messages":["You are not authorized for that action."]}"#, JSON, true).await;
    assert_eq!((e.kind, e.status), (ErrorKind::Unauthorized, Some(401)));
    assert_eq!(e.message.as_deref(), Some("You are not authorized for that action."));
    let first = log.get(0).as_string().unwrap();
    assert!(
        first.starts_with("https://helpdesk.example/api/v2/tickets?page=1&per_page=1&access_key=k3y%20w%2F%20space"),
        "{first}"
    );
    assert!(first.ends_with("application/json"), "Accept header: {first}");

    let (e, _) = list_error(400, r#"{"error":"Invalid user id"}"#, JSON, true).await;
    assert_eq!((e.kind, e.message.as_deref()), (ErrorKind::BadRequest, Some("Invalid user id")));
    let (e, _) = list_error(400, r#"{"code":"invalid_request","messages":["Invalid User ID."]}"#, JSON, true).await;
    assert_eq!((e.kind, e.code.as_deref()), (ErrorKind::BadRequest, Some("invalid_request")));
    let (e, _) = list_error(404, r#"{"message":"Record not found","messages":["Record not found"]}"#, JSON, true).await;
    assert_eq!((e.kind, e.message.as_deref()), (ErrorKind::NotFound, Some("Record not found")));
    let (e, _) = list_error(413, "", "text/plain", true).await;
    assert_eq!(e.kind, ErrorKind::TooLarge);
    let (e, _) = list_error(
        422,
        r#"{"message":"Validation failed: Title can't be blank","messages":["Title can't be blank"]}"#,
        JSON,
        true,
    )
    .await;
    assert_eq!((e.kind, e.messages.clone()), (ErrorKind::Validation, vec!["Title can't be blank".to_string()]));
    let (e, _) = list_error(429, "", "text/plain", true).await;
    assert!(e.kind == ErrorKind::RateLimited && e.is_retryable());
    let (e, _) = list_error(500, "<html>Internal Server Error</html>", "text/html", true).await;
    assert!(e.kind == ErrorKind::Server && e.is_retryable() && e.user_message().contains("HTTP 500"));
    let (e, _) = list_error(404, "<!doctype html><p>Not here</p>", "text/html", true).await;
    assert_eq!(e.kind, ErrorKind::NotMojo);
}

#[wasm_bindgen_test]
async fn maps_foreign_and_missing_answers() {
    let log = fake_fetch(200, "<!doctype html><html><body>Welcome</body></html>", "text/html", true);
    let client = Client::new("https://helpdesk.example", "k");
    let e = client.send(&ticket::list(Page::new(1, 1), None, None)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotMojo, "a web page where the API should be");
    assert_eq!(log.length(), 1);

    let (e, log) = list_error(0, "", "", false).await;
    assert_eq!(e.kind, ErrorKind::Network, "nothing answers");
    assert_eq!(log.length(), 2, "one request and one no-cors probe");
    let probe = log.get(1).as_string().unwrap();
    assert!(!probe.contains("access_key"), "the probe carries no key: {probe}");
    let (e, _) = list_error(0, "", "", true).await;
    assert_eq!(e.kind, ErrorKind::Cors, "the host answers but the browser refuses the answer");

    // A revoked client sends nothing at all.
    let log = fake_fetch(200, "[]", JSON, true);
    let client = Client::new("https://helpdesk.example", "k");
    client.revoke();
    let e = client.send(&ticket::list(Page::new(1, 1), None, None)).await.unwrap_err();
    assert_eq!((e.kind, log.length()), (ErrorKind::SignedOut, 0));
}

#[wasm_bindgen_test]
async fn decodes_successful_answers() {
    fake_fetch(
        200,
        r#"[{"id":"7","title":"Printer","status_id":"20","created_on":"2019-09-03T08:15:42.000Z"}]"#,
        JSON,
        true,
    );
    let client = Client::new("https://helpdesk.example/", "k");
    let page = client.send(&ticket::list(Page::new(1, 1), None, None)).await.unwrap();
    assert_eq!((page[0].id, page[0].status()), (7, mojo_api::Status::InProgress));
    fake_fetch(200, "", JSON, true);
    client.send(&ticket::delete(7)).await.expect("an empty 200 is a successful delete");
}
