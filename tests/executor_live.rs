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

    // A read-only key: its reads work, its first refused write is told apart from a wrong key
    // and remembered (until sign-out), and the page is told at once by an event.
    mojo_dashboard::store::abilities::forget();
    assert!(!mojo_dashboard::store::abilities::read_only());
    let heard = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = heard.clone();
    let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || flag.set(true));
    let window = web_sys::window().unwrap();
    use wasm_bindgen::JsCast;
    window
        .add_event_listener_with_callback(
            mojo_dashboard::store::abilities::READ_ONLY_EVENT,
            listener.as_ref().unchecked_ref(),
        )
        .unwrap();
    assert_eq!(read_only.send(&ticket::list(Page::new(1, 1), None, None)).await.map(|p| p.len()).ok(), Some(1));
    assert!(!mojo_dashboard::store::abilities::read_only(), "a read teaches nothing");
    let e = read_only.send(&ticket::delete(page[0].id)).await.unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_deref()),
        (ErrorKind::ReadOnlyKey, Some("This API key is read-only and cannot perform write operations."))
    );
    assert!(mojo_dashboard::store::abilities::read_only());
    assert!(heard.get(), "the page heard of it");
    window
        .remove_event_listener_with_callback(
            mojo_dashboard::store::abilities::READ_ONLY_EVENT,
            listener.as_ref().unchecked_ref(),
        )
        .unwrap();
    mojo_dashboard::store::abilities::forget();
    assert!(!mojo_dashboard::store::abilities::read_only(), "sign-out forgets it");
    // A wrong key's refusal is not taken for a read-only key.
    let _ = wrong.send(&ticket::delete(page[0].id)).await;
    assert!(!mojo_dashboard::store::abilities::read_only());

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
