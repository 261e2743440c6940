//! Components in real headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use mojo_api::ticket::Ticket;
use mojo_api::{Priority, Status, Timestamp};
use mojo_dashboard::components::safe_html::{SafeHtml, looks_like_html, sanitize_to_string};
use mojo_dashboard::pages::board::{BoardColumns, BoardData, BoardFilter, columns};
use mojo_dashboard::route::{Location, Route};
use mojo_dashboard::store::lookups::{LookupData, Lookups};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let doc = document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

fn ticket(id: i64, status: Status, queue: i64, assignee: Option<i64>) -> Ticket {
    Ticket {
        id,
        title: Some(format!("Ticket {id}")),
        status_id: Some(status),
        priority_id: Some(Priority::Urgent),
        ticket_queue_id: Some(queue),
        assigned_to_id: assignee,
        created_on: Timestamp::parse("2026-01-01T00:00:00Z"),
        ..Default::default()
    }
}

#[wasm_bindgen_test]
async fn cards_offer_moves_and_quick_actions_only_where_the_board_can_change_tickets() {
    let data = BoardData {
        open: vec![ticket(1, Status::New, 1, None), ticket(2, Status::InProgress, 1, None)],
        ..Default::default()
    };
    let el = container();
    let cols = columns(&data, &BoardFilter::default());
    let handle = leptos::mount::mount_to(el.clone(), move || {
        provide_context(Lookups::new());
        let cols = cols.clone();
        view! {
            <BoardColumns columns=Signal::derive(move || cols.clone())
                on_move=Callback::new(|_| ()) on_quick=Callback::new(|_| ()) />
        }
    });
    leptos::task::tick().await;
    assert_eq!(el.query_selector_all(".ticket-card").unwrap().length(), 2);
    assert_eq!(el.query_selector_all(".ticket-card .card-menu").unwrap().length(), 2);
    assert_eq!(el.query_selector_all(".ticket-card[draggable=\"true\"]").unwrap().length(), 2);
    drop(handle);
}

#[wasm_bindgen_test]
async fn board_puts_tickets_in_their_columns() {
    let data = BoardData {
        open: vec![
            ticket(1, Status::New, 1, None),
            ticket(2, Status::New, 2, Some(7)),
            ticket(3, Status::InProgress, 1, Some(7)),
            ticket(4, Status::OnHold, 1, None),
            ticket(5, Status::InformationRequested, 2, None),
            ticket(6, Status::Other(15), 1, None),
        ],
        solved: vec![ticket(7, Status::Solved, 1, Some(7))],
        closed: vec![ticket(8, Status::Closed, 1, None), ticket(9, Status::Closed, 2, None)],
        solved_total: Some(40),
        closed_total: Some(2),
        ..Default::default()
    };
    let mut names = LookupData::default();
    names.queues.insert(1, serde_json::from_str(r#"{"id":1,"name":"IT Support"}"#).unwrap());
    names.agents.insert(7, serde_json::from_str(r#"{"id":7,"first_name":"Ada","last_name":"Agent"}"#).unwrap());
    let el = container();
    let cols = columns(&data, &BoardFilter::default());
    let handle = leptos::mount::mount_to(el.clone(), move || {
        let lookups = Lookups::new();
        lookups.set(names.clone());
        provide_context(lookups);
        view! { <BoardColumns columns=Signal::derive(move || cols.clone()) on_more=Callback::new(|_| ()) /> }
    });
    leptos::task::tick().await;
    let count =
        |status: i64| el.query_selector_all(&format!("[data-status=\"{status}\"] .ticket-card")).unwrap().length();
    assert_eq!([count(10), count(20), count(30), count(40), count(50), count(60)], [3, 1, 1, 1, 1, 2]);
    let header = |status: i64| {
        el.query_selector(&format!("[data-status=\"{status}\"] .column-count"))
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(header(10), "3");
    assert_eq!(header(50), "40", "solved shows the exact total, not what is loaded");
    let card = el.query_selector("[data-ticket-id=\"3\"]").unwrap().unwrap();
    let text = card.text_content().unwrap();
    assert!(text.contains("#3") && text.contains("Ticket 3") && text.contains("Urgent"), "{text}");
    assert!(text.contains("IT Support") && text.contains("Ada Agent"), "{text}");
    let two = el.query_selector("[data-ticket-id=\"2\"]").unwrap().unwrap().text_content().unwrap();
    assert!(two.contains("Queue #2"), "unknown queue falls back to its id: {two}");
    assert_eq!(
        el.query_selector("[data-ticket-id=\"3\"] a").unwrap().unwrap().get_attribute("href").as_deref(),
        Some("#/tickets/3")
    );
    // "Show more" offered for solved (1 of 40 loaded), not for closed (2 of 2).
    assert!(el.query_selector("[data-status=\"50\"] .button.more").unwrap().is_some());
    assert!(el.query_selector("[data-status=\"60\"] .button.more").unwrap().is_none());
    // A board that cannot change tickets (no moves, no quick actions: a read-only key) shows no
    // dead "⋯" button and no draggable card.
    assert_eq!(el.query_selector_all(".card-menu").unwrap().length(), 0);
    assert_eq!(el.query_selector_all("[draggable]").unwrap().length(), 0);
    drop(handle);
}

#[wasm_bindgen_test]
fn queue_filter_narrows_every_column() {
    let data = BoardData {
        open: vec![ticket(1, Status::New, 1, None), ticket(2, Status::New, 2, None)],
        closed: vec![ticket(8, Status::Closed, 2, None)],
        solved_total: Some(0),
        closed_total: Some(1),
        ..Default::default()
    };
    let cols = columns(&data, &BoardFilter::queue(Some(2)));
    assert_eq!(cols[0].tickets.iter().map(|t| t.id).collect::<Vec<_>>(), vec![2]);
    assert_eq!(cols[0].total, Some(1));
    assert_eq!(cols[5].tickets.len(), 1);
    assert_eq!(cols[5].total, None, "a filtered closed column cannot claim an exact total");
}

/// Payloads that must never run script, carry handlers, or keep dangerous URLs.
const HOSTILE: &[&str] = &[
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1></style></mglyph></table></mtext></math>",
    "<a href=\"javascript:window.__xss=1\">click</a>",
    "<a href=\"java\tscript:window.__xss=1\">tab</a>",
    "<a href=\" JaVaScRiPt:window.__xss=1\">case</a>",
    "<a href=\"data:text/html,<script>window.__xss=1</script>\">data</a>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<iframe src=\"javascript:window.__xss=1\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<object data=\"javascript:window.__xss=1\"></object>",
    "<embed src=\"javascript:window.__xss=1\">",
    "<form action=\"javascript:window.__xss=1\"><button>go</button></form>",
    "<input autofocus onfocus=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    "<body onload=window.__xss=1>",
    "<div style=\"background:url(javascript:window.__xss=1)\">styled</div>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=refresh content=\"0;url=javascript:window.__xss=1\">",
    "<base href=\"https://evil.example/\">",
    "<img src=\"https://tracker.example/pixel.gif\">",
    "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
    "<video><source onerror=window.__xss=1></video>",
    "<audio src=x onerror=window.__xss=1>",
    "<marquee onstart=window.__xss=1>m</marquee>",
    "<p onclick=window.__xss=1 onmouseover=window.__xss=1>hover</p>",
    "<a href=x id=access_key name=access_key>clobber</a>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\"></noscript>",
    "<template><script>window.__xss=1</script></template>",
    "<textarea><script>window.__xss=1</script></textarea>",
    "<!--<img src=x onerror=window.__xss=1>-->",
    "<scr<script>ipt>window.__xss=1</script>",
    "<IMG SRC=JaVaScRiPt:window.__xss=1>",
    "<table background=\"javascript:window.__xss=1\"><tr><td>t</td></tr></table>",
    "<a href=\"&#106;avascript:window.__xss=1\">entity</a>",
    "<a href=\"https://ok.example\" onclick=\"window.__xss=1\">mixed</a>",
    "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><img src=x onerror=window.__xss=1>",
];

fn assert_clean(html: &str, payload: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<svg",
        "<math",
        "<style",
        "<link",
        "<meta",
        "<base",
        "<input",
        "<textarea",
        "javascript:",
        "vbscript:",
        "data:text",
        " style=",
        " id=",
        " name=",
    ] {
        assert!(!lower.contains(bad), "{bad} survived in {html:?} from {payload:?}");
    }
    let div = document().create_element("div").unwrap();
    div.set_inner_html(html);
    let all = div.query_selector_all("*").unwrap();
    for i in 0..all.length() {
        let el: web_sys::Element = all.item(i).unwrap().unchecked_into();
        let names = el.get_attribute_names();
        for n in names.iter() {
            let n = n.as_string().unwrap();
            assert!(!n.starts_with("on"), "handler {n} survived from {payload:?}");
        }
        if el.tag_name() == "IMG" {
            let src = el.get_attribute("src").unwrap_or_default();
            assert!(
                src.starts_with("data:image/png")
                    || src.starts_with("data:image/gif")
                    || src.starts_with("data:image/jpeg"),
                "image {src} kept from {payload:?}"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn sanitiser_strips_hostile_html() {
    for p in HOSTILE {
        assert_clean(&sanitize_to_string(p), p);
    }
    // Rendered through the component, none of them runs.
    let el = container();
    let handle = leptos::mount::mount_to(el.clone(), || {
        HOSTILE.iter().map(|p| view! { <SafeHtml text=p.to_string() /> }).collect_view()
    });
    leptos::task::tick().await;
    gloo_timers_sleep(50).await;
    let flag = js_sys::Reflect::get(&window(), &"__xss".into()).unwrap();
    assert!(flag.is_undefined(), "a payload ran");
    drop(handle);
}

async fn gloo_timers_sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
fn sanitiser_keeps_what_agents_need() {
    assert_eq!(sanitize_to_string("<p>Hello <b>world</b></p>"), "<p>Hello <b>world</b></p>");
    assert_eq!(
        sanitize_to_string("<a href=\"https://example.com/x?a=1&amp;b=2\" title=\"t\">site</a>"),
        "<a title=\"t\" href=\"https://example.com/x?a=1&amp;b=2\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">site</a>"
    );
    assert_eq!(sanitize_to_string("<a href=\"javascript:alert(1)\">x</a>"), "<a>x</a>");
    assert_eq!(
        sanitize_to_string("<blockquote>quoted<br>line</blockquote>"),
        "<blockquote>quoted<br>line</blockquote>"
    );
    assert_eq!(
        sanitize_to_string("<table><tr><td colspan=\"2\">c</td></tr></table>"),
        "<table><tbody><tr><td colspan=\"2\">c</td></tr></tbody></table>"
    );
    assert_eq!(
        sanitize_to_string("<img src=\"https://t.example/p.gif\" alt=\"logo\">"),
        "<span class=\"blocked-image\">[image: logo]</span>"
    );
    assert_eq!(sanitize_to_string("<custom-tag>inner <i>text</i></custom-tag>"), "inner <i>text</i>");
    assert_eq!(sanitize_to_string("a &lt;b&gt; c"), "a &lt;b&gt; c");
    assert_eq!(
        sanitize_to_string("<table width=\"20000\"><tr><td width=\"9999\">t</td></tr></table>"),
        "<table><tbody><tr><td>t</td></tr></tbody></table>"
    );
    let deep =
        format!("{}DEEP CONTENT AT LEVEL 70<b>bold</b>{}<p>after deep</p>", "<div>".repeat(70), "</div>".repeat(70));
    let out = sanitize_to_string(&deep);
    assert!(out.contains("DEEP CONTENT AT LEVEL 70bold") && out.contains("<p>after deep</p>"), "deep text kept: {out}");
    assert!(looks_like_html("<p>x</p>") && looks_like_html("Hi<br>there"));
    assert!(!looks_like_html("if a < b and c > d") && !looks_like_html("plain\ntext"));
    assert!(!looks_like_html("x <not a tag") && !looks_like_html("<<>>") && !looks_like_html("2<3"));
    assert!(looks_like_html("<!-- c -->") && looks_like_html("x</foo>") && looks_like_html("<SCRIPT>x"));
}

#[wasm_bindgen_test]
async fn plain_text_keeps_line_breaks_and_is_not_html() {
    let el = container();
    let handle = leptos::mount::mount_to(el.clone(), || view! { <SafeHtml text="Line one\nLine 2 <not a tag" /> });
    leptos::task::tick().await;
    let body = el.query_selector(".safe-html").unwrap().unwrap();
    assert_eq!(body.text_content().unwrap(), "Line one\nLine 2 <not a tag");
    assert!(body.class_list().contains("plain-text"));
    assert_eq!(body.children().length(), 0);
    drop(handle);
}

#[wasm_bindgen_test]
fn routes_parse() {
    assert_eq!(Location::parse("").route, Route::Board);
    assert_eq!(Location::parse("#/").route, Route::Board);
    assert_eq!(Location::parse("#/tickets/42").route, Route::Ticket(42));
    assert_eq!(Location::parse("#/tickets/abc").route, Route::NotFound("/tickets/abc".into()));
    let l = Location::parse("#/board?queue=3&q=a%20b+c");
    assert_eq!((l.route.clone(), l.param("queue"), l.param("q")), (Route::Board, Some("3"), Some("a b c")));
}
