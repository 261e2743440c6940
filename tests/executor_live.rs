//! The browser executor against the real stand-in, in headless Chromium, across origins (the
//! test page and the stand-in listen on different ports, so CORS is exercised too).
//! `scripts/test.sh` starts the stand-in and passes its address and demo keys at build time;
//! without them (a bare `cargo test --target wasm32-unknown-unknown`) these tests say so and pass.
#![cfg(target_arch = "wasm32")]

use mojo_api::request::Page;
use mojo_api::ticket::{self, TicketInput};
use mojo_api::{ErrorKind, attachment, user};
use mojo_dashboard::api::Client;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn live() -> Option<(String, Client, Client, Client)> {
    let url = option_env!("MOJO_SANDBOX_URL")?;
    let agent = Client::new(url, option_env!("MOJO_SANDBOX_AGENT_KEY")?);
    let manager = Client::new(url, option_env!("MOJO_SANDBOX_MANAGER_KEY")?);
    let read_only = Client::new(url, option_env!("MOJO_SANDBOX_READ_ONLY_KEY")?);
    Some((url.to_string(), agent, manager, read_only))
}

fn skipped() {
    web_sys::console::log_1(&"executor_live: MOJO_SANDBOX_URL not set at build time, nothing to test against".into());
}

#[wasm_bindgen_test]
async fn statuses_from_the_stand_in_map_to_errors() {
    let Some((url, agent, manager, read_only)) = live() else { return skipped() };
    let page = agent.send(&ticket::list(Page::new(1, 10), None, None)).await.expect("a page of tickets");
    assert_eq!(page.len(), 10);

    let wrong = Client::new(&url, "not-a-key");
    let e = wrong.send(&ticket::list(Page::new(1, 1), None, None)).await.unwrap_err();
    assert_eq!(
        (e.kind, e.status, e.message.as_deref()),
        (ErrorKind::Unauthorized, Some(401), Some("You are not authorized for that action."))
    );

    let e = read_only.send(&ticket::delete(page[0].id)).await.unwrap_err();
    assert_eq!(e.message.as_deref(), Some("This API key is read-only and cannot perform write operations."));

    let e = agent.send(&user::show(99_999_999)).await.unwrap_err();
    assert_eq!((e.kind, e.message.as_deref()), (ErrorKind::BadRequest, Some("Invalid user id")));

    let e = agent.send(&ticket::show(99_999_999)).await.unwrap_err();
    assert_eq!((e.kind, e.message.as_deref()), (ErrorKind::NotFound, Some("Record not found")));

    let e = manager
        .send(&mojo_api::access_right::show(mojo_api::access_right::Holder::User(99_999_999)))
        .await
        .unwrap_err();
    assert_eq!((e.kind, e.code.as_deref()), (ErrorKind::BadRequest, Some("invalid_request")));

    let e = agent
        .send(&ticket::create(&TicketInput { title: Some("No queue".into()), ..Default::default() }))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(!e.messages.is_empty(), "{e:?}");

    // Over the stand-in's 20 MiB attachment limit.
    let big = vec![0u8; 21 * 1024 * 1024];
    let e = agent
        .send(&attachment::upload(page[0].id, "big.bin", "application/octet-stream", big, Default::default()))
        .await
        .unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::TooLarge, Some(413)));

    // Nothing listens on port 9.
    let nowhere = Client::new("http://127.0.0.1:9", "k");
    let e = nowhere.send(&ticket::list(Page::new(1, 1), None, None)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
}
