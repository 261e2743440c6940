//! The endpoints beyond tickets, over real HTTP: events, tags on tickets, comments, staff notes,
//! attachments (upload, 302 download, blob headers, delete), queue/group/user/tag/type CRUD,
//! tasks, access rights, ticket forms, group access and teams; roles, the 404-versus-400 split
//! of REFERENCE §5.2, atomicity of failing writes and concurrent writers. Each test starts its
//! own in-memory stand-in with the demo seed.

use mojo_sandbox::{AppState, Config, DEFAULT_SEED, DemoKeys};
use reqwest::{Client, Method, StatusCode, multipart};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const NOT_AUTHORIZED: &str = "You are not authorized for that action.";
const READ_ONLY: &str = "This API key is read-only and cannot perform write operations.";

struct Server {
    base: String,
    keys: DemoKeys,
    state: AppState,
    client: Client,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    async fn demo() -> Server {
        let state = mojo_sandbox::open(&Config::memory(DEFAULT_SEED)).expect("open");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(mojo_sandbox::serve(listener, state.clone(), None, async {
            let _ = rx.await;
        }));
        Server {
            base: format!("http://{addr}"),
            keys: state.demo_keys(),
            state,
            // No redirects followed (the 302 is the answer under test), no idle pool.
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
            stop: Some(tx),
            handle: Some(handle),
        }
    }

    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.unwrap().unwrap();
        }
    }

    fn keyed(&self, path: &str, key: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{}/api/v2{path}{sep}access_key={key}", self.base)
    }

    async fn get(&self, path: &str, key: &str) -> (StatusCode, Value) {
        read(self.client.get(self.keyed(path, key)).send().await.unwrap()).await
    }

    async fn send(&self, method: Method, path: &str, key: &str, body: Value) -> (StatusCode, Value) {
        let req = self.client.request(method, self.keyed(path, key));
        let req = if body.is_null() { req } else { req.json(&body) };
        read(req.send().await.unwrap()).await
    }

    async fn post(&self, path: &str, key: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, key, body).await
    }

    async fn upload(&self, path: &str, key: &str, name: &str, mime: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let form = multipart::Form::new()
            .part("file", multipart::Part::bytes(bytes).file_name(name.to_string()).mime_str(mime).unwrap());
        read(self.client.post(self.keyed(path, key)).multipart(form).send().await.unwrap()).await
    }

    fn count(&self, sql: &str) -> i64 {
        self.state.lock().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn id_of_key(&self, key: &str) -> i64 {
        self.state.lock().query_row("SELECT user_id FROM api_keys WHERE key = ?1", [key], |r| r.get(0)).unwrap()
    }

    /// A fresh ticket in queue 11 made by the demo agent.
    async fn new_ticket(&self, title: &str) -> i64 {
        let (st, t) = self.post("/tickets", &self.keys.agent, json!({"title": title, "ticket_queue_id": 11})).await;
        assert_eq!(st, StatusCode::CREATED, "{t}");
        t["id"].as_i64().unwrap()
    }
}

/// Status and body; an empty body reads as `Null`, a non-JSON body or a 500 fails the test.
async fn read(res: reqwest::Response) -> (StatusCode, Value) {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "500: {text}");
    if text.is_empty() {
        return (status, Value::Null);
    }
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, v)
}

fn message_body(m: &str) -> Value {
    json!({"message": m, "messages": [m]})
}

fn error_body(m: &str) -> Value {
    json!({"error": m})
}

fn code_body(m: &str) -> Value {
    json!({"code": "invalid_request", "messages": [m]})
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

fn labels(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|t| t["label"].as_str().unwrap().to_string()).collect()
}

// ---------------------------------------------------------------- events

#[tokio::test]
async fn ticket_events_are_recorded_newest_first_for_managers() {
    let s = Server::demo().await;
    let (a, m) = (s.keys.agent.clone(), s.keys.manager.clone());
    let id = s.new_ticket("Events please").await;
    let t = format!("/tickets/{id}");
    assert_eq!(s.send(Method::PUT, &t, &a, json!({"priority_id": 20})).await.0, StatusCode::OK);
    assert_eq!(s.post(&format!("{t}/comments"), &a, json!({"body": "c"})).await.0, StatusCode::CREATED);
    assert_eq!(s.post(&format!("{t}/staff_notes"), &a, json!({"body": "n"})).await.0, StatusCode::CREATED);
    assert_eq!(s.post(&format!("{t}/add_tag"), &a, json!({"tag_label": "vpn"})).await.0, StatusCode::OK);
    assert_eq!(s.upload(&format!("{t}/attachments"), &a, "a.txt", "text/plain", b"x".to_vec()).await.0, StatusCode::OK);
    assert_eq!(s.post(&format!("{t}/tasks"), &a, json!({"title": "t"})).await.0, StatusCode::CREATED);
    assert_eq!(s.post(&format!("{t}/remove_tag"), &a, json!({"tag_label": "vpn"})).await.0, StatusCode::OK);

    let (st, events) = s.get(&format!("{t}/events"), &m).await;
    assert_eq!(st, StatusCode::OK);
    let seen: Vec<(i64, String)> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["entity_type"].as_i64().unwrap(), e["action_name"].as_str().unwrap().to_string()))
        .collect();
    let want: Vec<(i64, String)> = [
        (8, "remove_tag"),
        (15, "create"),
        (11, "create"),
        (8, "add_tag"),
        (10, "create"),
        (2, "create"),
        (1, "update"),
        (1, "create"),
    ]
    .iter()
    .map(|(e, a)| (*e, a.to_string()))
    .collect();
    assert_eq!(seen, want);
    let list = events.as_array().unwrap();
    assert!(ids(&events).windows(2).all(|w| w[0] > w[1]), "newest first");
    let agent_id = s.id_of_key(&a);
    let first = &list[list.len() - 1];
    assert_eq!(first["entity_id"], id);
    assert_eq!(first["ticket_id"], id);
    assert_eq!(first["user_id"], agent_id);
    assert_eq!(first["description"], format!("Ticket #{id} created via API"));
    assert!(first["user_full_name"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(first["unique_identifier"], format!("event_{}", first["id"]));
    assert_eq!(list[0]["description"], format!("Tag \"vpn\" removed from ticket #{id}"));

    // Managers only; a missing ticket is 404.
    assert_eq!(s.get(&format!("{t}/events"), &a).await, (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED)));
    assert_eq!(s.get("/tickets/999999/events", &m).await, (StatusCode::NOT_FOUND, message_body("Record not found")));

    // The account-wide log: the same entries for the ticket, one by id.
    let (st, filtered) = s.get(&format!("/events?ticket_id={id}"), &m).await;
    assert_eq!((st, &filtered), (StatusCode::OK, &events));
    let eid = list[3]["id"].as_i64().unwrap();
    assert_eq!(s.get(&format!("/events/{eid}"), &m).await, (StatusCode::OK, list[3].clone()));
    for (path, msg) in [
        ("/events/999999", "Invalid event id"),
        ("/events/abc", "Invalid event id"),
        ("/events?ticket_id=999999", "Invalid ticket id"),
        ("/events?ticket_id=abc", "Invalid ticket id"),
    ] {
        assert_eq!(s.get(path, &m).await, (StatusCode::BAD_REQUEST, error_body(msg)), "{path}");
    }
    assert_eq!(s.get("/events", &a).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get("/events/1", &a).await.0, StatusCode::UNAUTHORIZED);
    s.stop().await;
}

#[tokio::test]
async fn the_event_list_is_paged_newest_first_and_capped_at_30() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let id = s.new_ticket("Many events").await;
    for i in 0..40 {
        let (st, _) = s.post(&format!("/tickets/{id}/comments"), &s.keys.agent, json!({"body": format!("c{i}")})).await;
        assert_eq!(st, StatusCode::CREATED);
    }
    let (_, p1) = s.get("/events", &m).await;
    let (_, big) = s.get("/events?per_page=100", &m).await;
    let (_, p2) = s.get("/events?per_page=30&page=2", &m).await;
    let (_, small) = s.get("/events?per_page=5", &m).await;
    assert_eq!(p1.as_array().unwrap().len(), 30);
    assert_eq!(big, p1, "per_page is capped at 30");
    assert_eq!(small.as_array().unwrap().len(), 5);
    assert_eq!(ids(&small), ids(&p1)[..5].to_vec());
    let all: Vec<i64> = ids(&p1).into_iter().chain(ids(&p2)).collect();
    assert_eq!(all.len(), 41, "40 comments and the creation");
    assert!(all.windows(2).all(|w| w[0] > w[1]));
    assert_eq!(s.get("/events?page=3", &m).await, (StatusCode::OK, json!([])));
    s.stop().await;
}

// ---------------------------------------------------------------- tags on tickets

#[tokio::test]
async fn tags_are_added_and_removed_by_label_or_id() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let id = s.new_ticket("Tag me").await;
    let t = format!("/tickets/{id}");
    // By an existing label (any case), by id, by a new label (created with the default colour).
    let (st, tags) = s.post(&format!("{t}/add_tag"), &a, json!({"tag_label": "VPN"})).await;
    assert_eq!((st, tags), (StatusCode::OK, json!([{"id": 1, "label": "vpn", "color": "#1f77b4"}])));
    let (_, tags) = s.post(&format!("{t}/add_tag"), &a, json!({"tag_id": "3"})).await;
    assert_eq!(labels(&tags), ["vpn", "email"]);
    let before = s.count("SELECT COUNT(*) FROM tags");
    let (st, tags) = s.post(&format!("{t}/add_tag"), &a, json!({"tag_label": "  Brand New  "})).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(labels(&tags), ["vpn", "email", "Brand New"]);
    assert_eq!(tags[2]["color"], "#777777");
    assert_eq!(s.count("SELECT COUNT(*) FROM tags"), before + 1);
    let new_id = tags[2]["id"].as_i64().unwrap();
    let (_, all) = s.get("/tags", &a).await;
    assert!(all.as_array().unwrap().contains(&tags[2]));
    // Adding again changes nothing.
    let (st, again) = s.post(&format!("{t}/add_tag"), &a, json!({"tag_label": "brand new"})).await;
    assert_eq!((st, &again), (StatusCode::OK, &tags));
    // The ticket shows them: `tags` in full, `tag_ids` in list items.
    let (_, full) = s.get(&t, &a).await;
    assert_eq!(full["tags"], tags);
    assert_eq!(full["tag_ids"], json!([1, 3, new_id]));
    let (_, page) = s.get("/tickets?per_page=1", &a).await;
    assert_eq!(page[0]["id"], id);
    assert_eq!(page[0]["tag_ids"], json!([1, 3, new_id]));
    // Remove by label and by id.
    let (st, tags) = s.post(&format!("{t}/remove_tag"), &a, json!({"tag_label": "Vpn"})).await;
    assert_eq!((st, labels(&tags)), (StatusCode::OK, vec!["email".to_string(), "Brand New".to_string()]));
    let (_, tags) = s.post(&format!("{t}/remove_tag"), &a, json!({"tag_id": new_id})).await;
    assert_eq!(labels(&tags), ["email"]);
    // What cannot be resolved, or is not on the ticket, is 400.
    let invalid = (StatusCode::BAD_REQUEST, error_body("Invalid tag id or label"));
    for (path, body) in [
        ("remove_tag", json!({"tag_label": "vpn"})),
        ("remove_tag", json!({"tag_label": "no such tag"})),
        ("remove_tag", json!({"tag_id": 999999})),
        ("remove_tag", json!({})),
        ("add_tag", json!({})),
        ("add_tag", json!({"tag_label": "   "})),
        ("add_tag", json!({"tag_id": 999999})),
        ("add_tag", json!({"tag_id": "abc"})),
        ("add_tag", json!({"tag_label": ["x"]})),
    ] {
        assert_eq!(s.post(&format!("{t}/{path}"), &a, body.clone()).await, invalid, "{path} {body}");
    }
    // Ticket missing: 404; roles: customer 401, read-only 401.
    assert_eq!(
        s.post("/tickets/999999/add_tag", &a, json!({"tag_id": 1})).await,
        (StatusCode::NOT_FOUND, message_body("Record not found"))
    );
    assert_eq!(
        s.post(&format!("{t}/add_tag"), &s.keys.customer, json!({"tag_id": 1})).await,
        (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED))
    );
    assert_eq!(
        s.post(&format!("{t}/add_tag"), &s.keys.read_only, json!({"tag_id": 1})).await,
        (StatusCode::UNAUTHORIZED, message_body(READ_ONLY))
    );
    let (_, full) = s.get(&t, &a).await;
    assert_eq!(labels(&full["tags"]), ["email"]);
    s.stop().await;
}

#[tokio::test]
async fn a_ticket_holds_at_most_50_tags() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let id = s.new_ticket("Tag limit").await;
    for i in 0..50 {
        assert_eq!(
            s.post(&format!("/tickets/{id}/add_tag"), &a, json!({"tag_label": format!("l{i}")})).await.0,
            StatusCode::OK
        );
    }
    let tags_before = s.count("SELECT COUNT(*) FROM tags");
    let (st, body) = s.post(&format!("/tickets/{id}/add_tag"), &a, json!({"tag_label": "one too many"})).await;
    assert_eq!((st, body), (StatusCode::BAD_REQUEST, error_body("Ticket has reached the maximum number of tags (50)")));
    assert_eq!(s.count("SELECT COUNT(*) FROM tags"), tags_before, "the new label was not created either");
    // Re-adding one it carries is still fine.
    assert_eq!(s.post(&format!("/tickets/{id}/add_tag"), &a, json!({"tag_label": "l0"})).await.0, StatusCode::OK);
    s.stop().await;
}

// ---------------------------------------------------------------- multipart create

#[tokio::test]
async fn multipart_ticket_create_with_two_files_and_a_requester_email() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let png: Vec<u8> =
        [&[0x89u8, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a][..], &(0..=255u8).collect::<Vec<_>>()].concat();
    let form = multipart::Form::new()
        .text("access_key", a.clone())
        .text("title", "Two files")
        .text("description", "See attached")
        .text("ticket_queue_id", "12")
        .text("priority_id", "20")
        .text("user[email]", "two.files@example.org")
        .text("user[first_name]", "Tess")
        .text("attachment[1][filename]", "notes-renamed.txt")
        .part(
            "attachment[0][content]",
            multipart::Part::bytes(png.clone()).file_name("screen.png").mime_str("image/png").unwrap(),
        )
        .part(
            "attachment[1][content]",
            multipart::Part::bytes("héllo".as_bytes().to_vec()).file_name("notes.txt").mime_str("text/plain").unwrap(),
        );
    let res = s.client.post(format!("{}/api/v2/tickets", s.base)).multipart(form).send().await.unwrap();
    let (st, t) = read(res).await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    assert_eq!(
        (t["title"].clone(), t["ticket_queue_id"].clone(), t["priority_id"].clone()),
        (json!("Two files"), json!(12), json!(20))
    );
    assert_eq!(t["related_data"]["user"]["email"], "two.files@example.org");
    assert_eq!(t["related_data"]["user"]["full_name"], "Tess");
    let atts = t["attachments"].as_array().unwrap().clone();
    assert_eq!(atts.len(), 2);
    assert_eq!(
        (atts[0]["filename"].clone(), atts[0]["content_type"].clone(), atts[0]["content_size"].clone()),
        (json!("screen.png"), json!("image/png"), json!(png.len()))
    );
    assert_eq!(
        (atts[1]["filename"].clone(), atts[1]["content_type"].clone(), atts[1]["content_size"].clone()),
        (json!("notes-renamed.txt"), json!("text/plain"), json!(6))
    );
    let (_, listed) = s.get(&format!("/tickets/{}/attachments", t["id"]), &a).await;
    assert_eq!(listed, json!(atts));
    // Both download intact.
    for (att, bytes) in atts.iter().zip([png, "héllo".as_bytes().to_vec()]) {
        let res = s.client.get(s.keyed(&format!("/attachments/{}", att["id"]), &a)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
        let loc = res.headers()["location"].to_str().unwrap().to_string();
        let blob = s.client.get(&loc).send().await.unwrap();
        assert_eq!(blob.status(), StatusCode::OK);
        assert_eq!(blob.bytes().await.unwrap().to_vec(), bytes);
    }
    // Events for the ticket and each file.
    assert_eq!(s.count(&format!("SELECT COUNT(*) FROM events WHERE ticket_id = {} AND entity_type = 11", t["id"])), 2);
    s.stop().await;
}

// ---------------------------------------------------------------- comments and staff notes

#[tokio::test]
async fn comments_are_listed_in_pages_and_created() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let agent_id = s.id_of_key(&a);
    let id = s.new_ticket("Comments").await;
    let c = format!("/tickets/{id}/comments");
    let (st, made) = s
        .post(&c, &a, json!({"body": "<p>First</p>", "time_spent": "15", "cc": "x@example.com", "suppress_user_notification": true}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    assert_eq!(made["body"], "<p>First</p>");
    assert_eq!(made["time_spent"], 15);
    assert_eq!(made["user_id"], agent_id);
    assert_eq!(made["ticket_id"], id);
    assert_eq!(made["is_private"], false);
    assert_eq!(made["related_data"]["user"]["id"], agent_id);
    assert!(made["related_data"]["user"]["full_name"].as_str().is_some_and(|n| !n.is_empty()));
    // `user_id` of another user of the account attributes it; an unknown one is ignored.
    let (_, other) = s.post(&c, &a, json!({"body": "as someone else", "user_id": 1001})).await;
    assert_eq!(other["user_id"], 1001);
    let (_, unknown) = s.post(&c, &a, json!({"body": "as nobody", "user_id": 4242424})).await;
    assert_eq!(unknown["user_id"], agent_id);
    for i in 0..10 {
        assert_eq!(s.post(&c, &a, json!({"body": format!("n{i}")})).await.0, StatusCode::CREATED);
    }
    // Pages of 10 by default, oldest first.
    let (_, p1) = s.get(&c, &a).await;
    let (_, p2) = s.get(&format!("{c}?page=2"), &a).await;
    let (_, p5) = s.get(&format!("{c}?per_page=5"), &a).await;
    assert_eq!(p1.as_array().unwrap().len(), 10);
    assert_eq!(p2.as_array().unwrap().len(), 3);
    assert_eq!(p1[0], made);
    assert_eq!(ids(&p5), ids(&p1)[..5].to_vec());
    assert_eq!(p2[2]["body"], "n9");
    // The full ticket shows them all, and the first staff reply is stamped.
    let (_, full) = s.get(&format!("/tickets/{id}"), &a).await;
    assert_eq!(full["all_comments"].as_array().unwrap().len(), 13);
    assert_eq!(full["all_comments"][0], made);
    assert_eq!(full["first_commented_on"], made["created_on"]);
    assert!(full["time_to_first_comment"].as_i64().is_some_and(|n| n >= 0));
    // Validation: 400 with the `error` shape.
    for (body, msg) in [
        (json!({}), "Body can't be blank"),
        (json!({"body": "   "}), "Body can't be blank"),
        (json!({"body": null}), "Body can't be blank"),
        (json!({"body": "x", "time_spent": "abc"}), "Time spent is not a number"),
        (json!({"body": "x", "time_spent": -5}), "Time spent must be greater than or equal to 0"),
        (json!({"time_spent": "abc"}), "Body can't be blank, Time spent is not a number"),
    ] {
        assert_eq!(s.post(&c, &a, body.clone()).await, (StatusCode::BAD_REQUEST, error_body(msg)), "{body}");
    }
    assert_eq!(s.count(&format!("SELECT COUNT(*) FROM comments WHERE ticket_id = {id}")), 13);
    // Missing tickets: 404 for both verbs.
    let nf = (StatusCode::NOT_FOUND, message_body("Record not found"));
    assert_eq!(s.get("/tickets/999999/comments", &a).await, nf);
    assert_eq!(s.post("/tickets/abc/comments", &a, json!({"body": "x"})).await, nf);
    s.stop().await;
}

#[tokio::test]
async fn comment_notifications_go_to_the_requester_unless_suppressed() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let (_, t) = s.post("/tickets", &a, json!({"title": "Notify", "ticket_queue_id": 11, "user_id": 1001})).await;
    let id = t["id"].as_i64().unwrap();
    let email: String = s.state.lock().query_row("SELECT email FROM users WHERE id = 1001", [], |r| r.get(0)).unwrap();
    let mails =
        |s: &Server| s.count(&format!("SELECT COUNT(*) FROM outbox WHERE ticket_id = {id} AND kind = 'notification'"));
    assert_eq!(mails(&s), 1, "the creation notified the requester");
    s.post(&format!("/tickets/{id}/comments"), &a, json!({"body": "hello"})).await;
    assert_eq!(mails(&s), 2);
    s.post(&format!("/tickets/{id}/comments?suppress_user_notification=true"), &a, json!({"body": "quiet"})).await;
    s.post(&format!("/tickets/{id}/comments"), &a, json!({"body": "quiet", "suppress_user_notification": "1"})).await;
    assert_eq!(mails(&s), 2);
    let to: String = s
        .state
        .lock()
        .query_row(&format!("SELECT to_email FROM outbox WHERE ticket_id = {id} ORDER BY id DESC LIMIT 1"), [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(to, email);
    s.stop().await;
}

#[tokio::test]
async fn staff_notes_are_listed_and_created_by_staff_only() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let id = s.new_ticket("Notes").await;
    let n = format!("/tickets/{id}/staff_notes");
    let (st, note) = s.post(&n, &a, json!({"body": "internal", "time_spent": 5})).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(
        (note["body"].clone(), note["time_spent"].clone(), note["ticket_id"].clone()),
        (json!("internal"), json!(5), json!(id))
    );
    assert!(note.get("is_private").is_none());
    assert_eq!(note["related_data"]["user"]["id"], s.id_of_key(&a));
    for i in 0..11 {
        s.post(&n, &a, json!({"body": format!("n{i}")})).await;
    }
    let (_, p1) = s.get(&n, &a).await;
    let (_, p2) = s.get(&format!("{n}?page=2&per_page=10"), &a).await;
    assert_eq!((p1.as_array().unwrap().len(), p2.as_array().unwrap().len()), (10, 2));
    assert_eq!(p1[0], note);
    let (_, full) = s.get(&format!("/tickets/{id}"), &a).await;
    assert_eq!(full["staff_notes"].as_array().unwrap().len(), 12);
    assert_eq!(full["staff_notes"][0], note);
    assert!(full["all_comments"].as_array().unwrap().is_empty(), "notes are not comments");
    assert_eq!(s.post(&n, &a, json!({"body": ""})).await, (StatusCode::BAD_REQUEST, error_body("Body can't be blank")));
    assert_eq!(
        s.get("/tickets/999999/staff_notes", &a).await,
        (StatusCode::NOT_FOUND, message_body("Record not found"))
    );
    assert_eq!(s.get(&n, &s.keys.customer).await, (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED)));
    s.stop().await;
}

#[tokio::test]
async fn end_users_reach_the_comments_of_their_own_and_their_groups_tickets() {
    let s = Server::demo().await;
    let cust = s.keys.customer.clone();
    let me = s.id_of_key(&cust);
    let (group, own_ticket, other_in_group): (i64, i64, i64) = {
        let db = s.state.lock();
        let group: i64 = db.query_row("SELECT company_id FROM users WHERE id = ?1", [me], |r| r.get(0)).unwrap();
        let own: i64 = db
            .query_row("SELECT MIN(id) FROM tickets WHERE user_id = ?1 AND deleted_at IS NULL", [me], |r| r.get(0))
            .unwrap();
        let other: i64 = db
            .query_row("SELECT MIN(id) FROM tickets WHERE company_id = ?1 AND user_id <> ?2", [group, me], |r| r.get(0))
            .unwrap();
        (group, own, other)
    };
    let (st, list) = s.get(&format!("/tickets/{own_ticket}/comments?per_page=100"), &cust).await;
    assert_eq!(st, StatusCode::OK);
    let (_, as_agent) = s.get(&format!("/tickets/{own_ticket}/comments?per_page=100"), &s.keys.agent).await;
    assert_eq!(list, as_agent);
    let (st, c) =
        s.post(&format!("/tickets/{own_ticket}/comments"), &cust, json!({"body": "thanks", "user_id": 1})).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(c["user_id"], me, "end users cannot attribute comments to others");
    // Group tickets need group access 1 or 2.
    s.state.lock().execute("UPDATE users SET can_access_company_tickets = 0 WHERE id = ?1", [me]).unwrap();
    let path = format!("/tickets/{other_in_group}/comments");
    assert_eq!(s.get(&path, &cust).await, (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED)));
    let (st, ga) = s.post(&format!("/users/{me}/group_access/{group}"), &s.keys.manager, json!({"access": "2"})).await;
    assert_eq!((st, ga), (StatusCode::OK, json!({"user_id": me, "group_id": group, "access": 2})));
    assert_eq!(s.get(&path, &cust).await.0, StatusCode::OK);
    // Never staff notes, never agent-only endpoints.
    assert_eq!(s.get(&format!("/tickets/{own_ticket}/staff_notes"), &cust).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get(&format!("/tickets/{own_ticket}/tasks"), &cust).await.0, StatusCode::UNAUTHORIZED);
    s.stop().await;
}

// ---------------------------------------------------------------- attachments

async fn download(s: &Server, id: i64, key: &str) -> reqwest::Response {
    let res = s.client.get(s.keyed(&format!("/attachments/{id}"), key)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.text().await.unwrap(), "");
    let res = s.client.get(s.keyed(&format!("/attachments/{id}"), key)).send().await.unwrap();
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    assert!(loc.starts_with(&format!("{}/blobs/", s.base)), "{loc}");
    // The link needs no key.
    s.client.get(&loc).send().await.unwrap()
}

#[tokio::test]
async fn attachments_upload_download_and_delete() {
    let s = Server::demo().await;
    let (a, m) = (s.keys.agent.clone(), s.keys.manager.clone());
    let id = s.new_ticket("Files").await;
    let path = format!("/tickets/{id}/attachments");
    let bytes: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
    let (st, att) = s.upload(&path, &a, "report.pdf", "application/pdf", bytes.clone()).await;
    assert_eq!(st, StatusCode::OK, "200, not 201: {att}");
    let aid = att["id"].as_i64().unwrap();
    assert_eq!(att["filename"], "report.pdf");
    assert_eq!(att["content_type"], "application/pdf");
    assert_eq!(att["content_size"], 5000);
    assert_eq!(att["ticket_id"], id);
    assert_eq!(att["created_by_user_id"], s.id_of_key(&a));
    assert_eq!((att["comment_id"].clone(), att["staff_note_id"].clone()), (Value::Null, Value::Null));
    assert_eq!(s.get(&path, &a).await, (StatusCode::OK, json!([att])));
    let (_, full) = s.get(&format!("/tickets/{id}"), &a).await;
    assert_eq!(full["attachments"], json!([att]));

    let blob = download(&s, aid, &a).await;
    assert_eq!(blob.status(), StatusCode::OK);
    let h = blob.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["content-disposition"], "inline; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(blob.bytes().await.unwrap().to_vec(), bytes);
    // The read-only key may download too.
    assert_eq!(download(&s, aid, &s.keys.read_only).await.status(), StatusCode::OK);

    // Delete: managers only; answers the deleted attachment; the file and its links are gone.
    let res = s.client.get(s.keyed(&format!("/attachments/{aid}"), &a)).send().await.unwrap();
    let old_link = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        s.send(Method::DELETE, &format!("/attachments/{aid}"), &a, Value::Null).await,
        (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED))
    );
    assert_eq!(
        s.send(Method::DELETE, &format!("/attachments/{aid}"), &m, Value::Null).await,
        (StatusCode::OK, att.clone())
    );
    let nf = (StatusCode::NOT_FOUND, message_body("Record not found"));
    assert_eq!(s.get(&format!("/attachments/{aid}"), &a).await, nf);
    assert_eq!(s.send(Method::DELETE, &format!("/attachments/{aid}"), &m, Value::Null).await, nf);
    assert_eq!(s.get("/attachments/abc", &a).await, nf);
    assert_eq!(
        read(s.client.get(&old_link).send().await.unwrap()).await,
        (StatusCode::NOT_FOUND, message_body("Not found"))
    );
    assert_eq!(s.get(&path, &a).await, (StatusCode::OK, json!([])));
    assert_eq!(s.count(&format!("SELECT COUNT(*) FROM events WHERE entity_type = 11 AND entity_id = {aid}")), 2);
    s.stop().await;
}

#[tokio::test]
async fn blobs_never_run_on_the_stand_ins_origin() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let id = s.new_ticket("Hostile files").await;
    let path = format!("/tickets/{id}/attachments");
    for (name, mime) in [
        ("x.html", "text/html"),
        ("x.svg", "image/svg+xml"),
        ("x.xml", "application/xml"),
        ("x.xhtml", "application/xhtml+xml"),
        ("x.js", "text/javascript"),
        ("x.html", "TEXT/HTML; charset=utf-8"),
        ("x.html", "application/octet-stream"),
    ] {
        let (st, att) = s.upload(&path, &a, name, mime, b"<script>alert(1)</script>".to_vec()).await;
        assert_eq!(st, StatusCode::OK);
        let blob = download(&s, att["id"].as_i64().unwrap(), &a).await;
        let h = blob.headers();
        assert_eq!(h["content-type"], "application/octet-stream", "{mime}");
        assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment; "), "{mime}");
        assert_eq!(h["x-content-type-options"], "nosniff");
    }
    // Names of any script are encoded per RFC 6266 / 5987, never raw in the header.
    let (_, att) = s.upload(&path, &a, "Résumé \"final\";.txt", "text/plain", b"cv".to_vec()).await;
    assert_eq!(att["filename"], "Résumé \"final\";.txt");
    let blob = download(&s, att["id"].as_i64().unwrap(), &a).await;
    assert_eq!(blob.headers()["content-type"], "text/plain");
    assert_eq!(
        blob.headers()["content-disposition"],
        "inline; filename=\"R_sum_ _final_;.txt\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%3B.txt"
    );
    // A zip keeps its type but is a download.
    let (_, att) = s.upload(&path, &a, "a.zip", "application/zip", vec![0x50, 0x4b]).await;
    let blob = download(&s, att["id"].as_i64().unwrap(), &a).await;
    assert_eq!(blob.headers()["content-type"], "application/zip");
    assert_eq!(blob.headers()["content-disposition"], "attachment; filename=\"a.zip\"; filename*=UTF-8''a.zip");
    // Unknown, malformed and expired links: JSON 404.
    let nf = (StatusCode::NOT_FOUND, message_body("Not found"));
    for bad in ["nope", "../../etc/passwd", &"0".repeat(48)] {
        assert_eq!(read(s.client.get(format!("{}/blobs/{bad}", s.base)).send().await.unwrap()).await, nf, "{bad}");
    }
    let res = s.client.get(s.keyed(&format!("/attachments/{}", att["id"]), &a)).send().await.unwrap();
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    s.state.lock().execute("UPDATE blob_tokens SET expires_on = 0", []).unwrap();
    assert_eq!(read(s.client.get(&loc).send().await.unwrap()).await, nf);
    s.stop().await;
}

#[tokio::test]
async fn upload_targets_follow_the_documented_precedence() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let id = s.new_ticket("Targets").await;
    let other = s.new_ticket("Other").await;
    let (_, comment) = s.post(&format!("/tickets/{id}/comments"), &a, json!({"body": "c"})).await;
    let (_, note) = s.post(&format!("/tickets/{id}/staff_notes"), &a, json!({"body": "n"})).await;
    let (_, foreign) = s.post(&format!("/tickets/{other}/comments"), &a, json!({"body": "elsewhere"})).await;
    let (cid, nid) = (comment["id"].as_i64().unwrap(), note["id"].as_i64().unwrap());
    let up = |q: String| {
        let s = &s;
        let a = a.clone();
        async move { s.upload(&format!("/tickets/{id}/attachments{q}"), &a, "f.txt", "text/plain", b"f".to_vec()).await }
    };
    let (st, on_comment) = up(format!("?comment_id={cid}&staff_note_id={nid}&staff_only=true")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        (on_comment["comment_id"].clone(), on_comment["staff_note_id"].clone(), on_comment["ticket_id"].clone()),
        (json!(cid), Value::Null, Value::Null)
    );
    let (_, on_note) = up(format!("?staff_note_id={nid}&staff_only=true")).await;
    assert_eq!((on_note["comment_id"].clone(), on_note["staff_note_id"].clone()), (Value::Null, json!(nid)));
    let notes_before = s.count(&format!("SELECT COUNT(*) FROM staff_notes WHERE ticket_id = {id}"));
    let (_, staff_only) = up("?staff_only=true".into()).await;
    assert_eq!(s.count(&format!("SELECT COUNT(*) FROM staff_notes WHERE ticket_id = {id}")), notes_before + 1);
    let new_note = staff_only["staff_note_id"].as_i64().expect("a new staff note carries the file");
    assert_ne!(new_note, nid);
    let (_, on_ticket) = up("?staff_only=false".into()).await;
    assert_eq!(on_ticket["ticket_id"], id);
    // staff_only in a multipart text field works like the query.
    let form = multipart::Form::new()
        .text("staff_only", "1")
        .part("file", multipart::Part::bytes(b"z".to_vec()).file_name("z.txt"));
    let (st, body_flag) =
        read(s.client.post(s.keyed(&format!("/tickets/{id}/attachments"), &a)).multipart(form).send().await.unwrap())
            .await;
    assert_eq!(st, StatusCode::OK);
    assert!(body_flag["staff_note_id"].is_i64());
    // The full ticket splits them: comment files are public, note files staff-only.
    let (_, full) = s.get(&format!("/tickets/{id}"), &a).await;
    assert_eq!(ids(&full["attachments"]), vec![on_comment["id"].as_i64().unwrap(), on_ticket["id"].as_i64().unwrap()]);
    assert_eq!(
        ids(&full["staff_only_attachments"]),
        vec![on_note["id"].as_i64().unwrap(), staff_only["id"].as_i64().unwrap(), body_flag["id"].as_i64().unwrap()]
    );
    assert!(
        full["staff_notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == new_note && n["body"] == "Attached file: f.txt")
    );
    // End users see only the public files and cannot fetch staff-only ones.
    let cust = s.keys.customer.clone();
    let me = s.id_of_key(&cust);
    s.state.lock().execute("UPDATE tickets SET user_id = ?1 WHERE id = ?2", [me, id]).unwrap();
    let (_, theirs) = s.get(&format!("/tickets/{id}/attachments"), &cust).await;
    assert_eq!(theirs, full["attachments"]);
    let (st, _) = s.get(&format!("/attachments/{}", staff_only["id"]), &cust).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(download(&s, on_ticket["id"].as_i64().unwrap(), &cust).await.status(), StatusCode::OK);
    // Wrong targets and missing files: 422, nothing stored.
    let before = s.count("SELECT COUNT(*) FROM attachments");
    for (q, msg) in [
        (format!("?comment_id={}", foreign["id"]), "Comment does not belong to this ticket"),
        ("?comment_id=999999".to_string(), "Comment does not belong to this ticket"),
        ("?comment_id=abc".to_string(), "Comment does not belong to this ticket"),
        ("?staff_note_id=999999&staff_only=true".to_string(), "Staff note does not belong to this ticket"),
    ] {
        assert_eq!(up(q.clone()).await, (StatusCode::UNPROCESSABLE_ENTITY, message_body(msg)), "{q}");
    }
    let form = multipart::Form::new().part("attachment", multipart::Part::bytes(b"z".to_vec()).file_name("z.txt"));
    let res = s.client.post(s.keyed(&format!("/tickets/{id}/attachments"), &a)).multipart(form).send().await.unwrap();
    let want = json!({"message": "Validation failed: File can't be blank", "messages": ["File can't be blank"]});
    assert_eq!(read(res).await, (StatusCode::UNPROCESSABLE_ENTITY, want.clone()));
    assert_eq!(
        s.post(&format!("/tickets/{id}/attachments"), &a, json!({})).await,
        (StatusCode::UNPROCESSABLE_ENTITY, want)
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM attachments"), before);
    assert_eq!(
        s.upload("/tickets/999999/attachments", &a, "f.txt", "text/plain", vec![1]).await,
        (StatusCode::NOT_FOUND, message_body("Record not found"))
    );
    s.stop().await;
}

#[tokio::test]
async fn files_over_20_mib_are_413_and_change_nothing() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let id = s.new_ticket("Big").await;
    let limit = 20 * 1024 * 1024;
    let (st, ok) = s
        .upload(&format!("/tickets/{id}/attachments"), &a, "max.bin", "application/octet-stream", vec![7u8; limit])
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ok["content_size"], limit);
    let before = (s.count("SELECT COUNT(*) FROM attachments"), s.count("SELECT COUNT(*) FROM tickets"));
    let (st, body) = s
        .upload(&format!("/tickets/{id}/attachments"), &a, "big.bin", "application/octet-stream", vec![7u8; limit + 1])
        .await;
    assert_eq!((st, body), (StatusCode::PAYLOAD_TOO_LARGE, json!({"error": "Request entity too large"})));
    // A multipart ticket create with one file too many bytes creates no ticket at all.
    let form = multipart::Form::new()
        .text("title", "Too big")
        .text("ticket_queue_id", "11")
        .part("attachment[0][content]", multipart::Part::bytes(vec![1u8; 10]).file_name("small.txt"))
        .part("attachment[1][content]", multipart::Part::bytes(vec![1u8; limit + 1]).file_name("big.bin"));
    let (st, _) = read(s.client.post(s.keyed("/tickets", &a)).multipart(form).send().await.unwrap()).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!((s.count("SELECT COUNT(*) FROM attachments"), s.count("SELECT COUNT(*) FROM tickets")), before);
    s.stop().await;
}

// ---------------------------------------------------------------- queues, groups, types

#[tokio::test]
async fn ticket_queues_crud() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let (st, q) = s.post("/ticket_queues", &m, json!({"name": " Field Ops ", "email_alias": "field", "email_forward": "ops@example.com", "email_ticket_form_id": "2"})).await;
    assert_eq!(st, StatusCode::CREATED);
    let id = q["id"].as_i64().unwrap();
    assert_eq!(
        q,
        json!({"id": id, "name": "Field Ops", "email_alias": "field", "email_forward": "ops@example.com", "email_ticket_form_id": 2})
    );
    assert_eq!(s.get(&format!("/ticket_queues/{id}"), &s.keys.agent).await, (StatusCode::OK, q.clone()));
    let (_, all) = s.get("/ticket_queues", &s.keys.agent).await;
    assert_eq!(ids(&all), vec![11, 12, 13, 14, 15, 16, 17, id]);
    let (_, page) = s.get("/ticket_queues?per_page=3&page=3", &m).await;
    assert_eq!(ids(&page), vec![17, id]);
    // Partial update; null clears.
    let (st, u) = s
        .send(
            Method::PUT,
            &format!("/ticket_queues/{id}"),
            &m,
            json!({"name": "Field Operations", "email_forward": null}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        u,
        json!({"id": id, "name": "Field Operations", "email_alias": "field", "email_forward": null, "email_ticket_form_id": 2})
    );
    let (_, u2) =
        s.send(Method::PATCH, &format!("/ticket_queues/{id}"), &m, json!({"email_ticket_form_id": null})).await;
    assert_eq!(u2["email_ticket_form_id"], Value::Null);
    assert_eq!(u2["name"], "Field Operations");
    // Validation and unknown ids: 400 `error`.
    for (method, path, body, msg) in [
        (Method::POST, "/ticket_queues".to_string(), json!({}), "Name can't be blank"),
        (Method::POST, "/ticket_queues".to_string(), json!({"name": "  "}), "Name can't be blank"),
        (
            Method::POST,
            "/ticket_queues".to_string(),
            json!({"name": "x", "email_ticket_form_id": 99}),
            "Email ticket form is invalid",
        ),
        (
            Method::POST,
            "/ticket_queues".to_string(),
            json!({"name": "x".repeat(256)}),
            "Name is too long (maximum is 255 characters)",
        ),
        (Method::PUT, format!("/ticket_queues/{id}"), json!({"name": ""}), "Name can't be blank"),
        (Method::PUT, "/ticket_queues/999999".to_string(), json!({"name": "x"}), "Invalid ticket queue id"),
        (Method::DELETE, "/ticket_queues/999999".to_string(), Value::Null, "Invalid ticket queue id"),
        (
            Method::DELETE,
            "/ticket_queues/11".to_string(),
            Value::Null,
            "Cannot delete record because dependent tickets exist",
        ),
    ] {
        assert_eq!(
            s.send(method.clone(), &path, &m, body.clone()).await,
            (StatusCode::BAD_REQUEST, error_body(msg)),
            "{method} {path} {body}"
        );
    }
    // Agents may read but not write; the read-only key gets its own text.
    assert_eq!(
        s.post("/ticket_queues", &s.keys.agent, json!({"name": "x"})).await,
        (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED))
    );
    assert_eq!(
        s.send(Method::DELETE, &format!("/ticket_queues/{id}"), &s.keys.agent, Value::Null).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.post("/ticket_queues", &s.keys.read_only, json!({"name": "x"})).await,
        (StatusCode::UNAUTHORIZED, message_body(READ_ONLY))
    );
    // An empty queue can go.
    assert_eq!(
        s.send(Method::DELETE, &format!("/ticket_queues/{id}"), &m, Value::Null).await,
        (StatusCode::OK, Value::Null)
    );
    assert_eq!(
        s.get(&format!("/ticket_queues/{id}"), &m).await,
        (StatusCode::BAD_REQUEST, error_body("Invalid ticket queue id"))
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM ticket_queues"), 7);
    s.stop().await;
}

#[tokio::test]
async fn groups_crud() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let (st, g) = s
        .post(
            "/groups",
            &m,
            json!({"name": "Acme", "zip": 10001, "support_status_id": "1", "support_start_date": "2024-02-29",
            "primary_contact_id": 1001, "website_url": "www.acme.example", "website-url": "ignored"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{g}");
    let id = g["id"].as_i64().unwrap();
    assert_eq!(
        (g["name"].clone(), g["zip"].clone(), g["support_status_id"].clone()),
        (json!("Acme"), json!("10001"), json!(1))
    );
    assert_eq!((g["support_start_date"].clone(), g["primary_contact_id"].clone()), (json!("2024-02-29"), json!(1001)));
    assert_eq!(g["website_url"], "www.acme.example");
    assert_eq!(g.as_object().unwrap().len(), 17);
    assert_eq!(s.get(&format!("/groups/{id}"), &s.keys.agent).await, (StatusCode::OK, g.clone()));
    let (st, u) = s.send(Method::PUT, &format!("/groups/{id}"), &m, json!({"city": "Springfield", "zip": null})).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        (u["city"].clone(), u["zip"].clone(), u["name"].clone()),
        (json!("Springfield"), Value::Null, json!("Acme"))
    );
    for (method, path, body, msg) in [
        (Method::POST, "/groups".to_string(), json!({"city": "x"}), "Name can't be blank"),
        (
            Method::POST,
            "/groups".to_string(),
            json!({"name": "x", "support_status_id": 2}),
            "Support status is not included in the list",
        ),
        (
            Method::POST,
            "/groups".to_string(),
            json!({"name": "x", "support_end_date": "2023-02-29"}),
            "Support end date is invalid",
        ),
        (
            Method::POST,
            "/groups".to_string(),
            json!({"name": "x", "billing_contact_id": 999999}),
            "Billing contact is invalid",
        ),
        (Method::POST, "/groups".to_string(), json!({}), "Name can't be blank"),
        (Method::PUT, "/groups/999999".to_string(), json!({"name": "x"}), "Invalid group id"),
        (Method::DELETE, "/groups/abc".to_string(), Value::Null, "Invalid group id"),
    ] {
        assert_eq!(
            s.send(method.clone(), &path, &m, body.clone()).await,
            (StatusCode::BAD_REQUEST, error_body(msg)),
            "{method} {path}"
        );
    }
    assert_eq!(s.post("/groups", &s.keys.agent, json!({"name": "x"})).await.0, StatusCode::UNAUTHORIZED);
    // Deleting a group with members leaves them without one.
    let member: i64 =
        s.state.lock().query_row("SELECT MIN(id) FROM users WHERE company_id = 101", [], |r| r.get(0)).unwrap();
    assert_eq!(s.send(Method::DELETE, "/groups/101", &m, Value::Null).await, (StatusCode::OK, Value::Null));
    assert_eq!(s.get("/groups/101", &m).await, (StatusCode::BAD_REQUEST, error_body("Invalid group id")));
    let (_, user) = s.get(&format!("/users/{member}"), &m).await;
    assert_eq!(user["company_id"], Value::Null);
    assert_eq!(s.count("SELECT COUNT(*) FROM tickets WHERE company_id = 101"), 0);
    s.stop().await;
}

#[tokio::test]
async fn ticket_types_crud() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let (st, t) = s.post("/ticket_types", &m, json!({"name": "Hardware Swap"})).await;
    assert_eq!(st, StatusCode::CREATED);
    let id = t["id"].as_i64().unwrap();
    assert_eq!(t, json!({"id": id, "name": "Hardware Swap"}));
    assert_eq!(s.get(&format!("/ticket_type/{id}"), &s.keys.agent).await, (StatusCode::OK, t.clone()));
    let (_, u) = s.send(Method::PUT, &format!("/ticket_types/{id}"), &m, json!({"name": "Swap"})).await;
    assert_eq!(u, json!({"id": id, "name": "Swap"}));
    assert_eq!(
        s.post("/ticket_types", &m, json!({"name": ""})).await,
        (StatusCode::BAD_REQUEST, error_body("Name can't be blank"))
    );
    assert_eq!(
        s.send(Method::PUT, "/ticket_types/999", &m, json!({"name": "x"})).await,
        (StatusCode::BAD_REQUEST, error_body("Invalid ticket type id"))
    );
    assert_eq!(s.post("/ticket_types", &s.keys.agent, json!({"name": "x"})).await.0, StatusCode::UNAUTHORIZED);
    // Tickets of a deleted type keep existing without one.
    let tid = s.new_ticket("Typed").await;
    s.send(Method::PUT, &format!("/tickets/{tid}"), &s.keys.agent, json!({"ticket_type_id": id})).await;
    assert_eq!(
        s.send(Method::DELETE, &format!("/ticket_types/{id}"), &m, Value::Null).await,
        (StatusCode::OK, Value::Null)
    );
    let (_, ticket) = s.get(&format!("/tickets/{tid}"), &m).await;
    assert_eq!((ticket["ticket_type_id"].clone(), ticket["ticket_type"].clone()), (Value::Null, Value::Null));
    assert_eq!(
        s.get(&format!("/ticket_types/{id}"), &m).await,
        (StatusCode::BAD_REQUEST, error_body("Invalid ticket type id"))
    );
    s.stop().await;
}

// ---------------------------------------------------------------- users

#[tokio::test]
async fn users_are_created_with_or_without_a_welcome_email() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let (st, u) = s
        .post(
            "/users",
            &m,
            json!({"email": "Alex.Example@example.com", "first_name": "Alex", "last_name": "Example",
            "company_id": "102", "password": "Sup3rSecret", "role_id": 20, "work_phone": "555-0100"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{u}");
    let id = u["id"].as_i64().unwrap();
    assert_eq!(
        (u["email"].clone(), u["full_name"].clone(), u["role_id"].clone()),
        (json!("Alex.Example@example.com"), json!("Alex Example"), json!(20))
    );
    assert_eq!(
        (u["company_id"].clone(), u["is_active"].clone(), u["work_phone"].clone()),
        (json!(102), json!(true), json!("555-0100"))
    );
    assert_eq!(u["access_key"], Value::Null);
    assert_eq!(u["related_data"]["role_name"], "Agent");
    assert_eq!(s.get(&format!("/users/{id}"), &m).await.1["email"], "Alex.Example@example.com");
    let welcome = |s: &Server, email: &str| {
        s.count(&format!("SELECT COUNT(*) FROM outbox WHERE kind = 'welcome' AND to_email = '{email}'"))
    };
    assert_eq!(welcome(&s, "Alex.Example@example.com"), 1);
    // 0 / false in the query or the body: no e-mail. Default role 10.
    let (st, q) = s.post("/users?send_welcome_email=0", &m, json!({"email": "quiet.one@example.com"})).await;
    assert_eq!((st, q["role_id"].clone()), (StatusCode::CREATED, json!(10)));
    s.post("/users", &m, json!({"email": "quiet.two@example.com", "send_welcome_email": false})).await;
    s.post("/users?send_welcome_email=1", &m, json!({"email": "loud.one@example.com"})).await;
    s.post("/users?send_welcome_email=true", &m, json!({"email": "loud.two@example.com"})).await;
    assert_eq!((welcome(&s, "quiet.one@example.com"), welcome(&s, "quiet.two@example.com")), (0, 0));
    assert_eq!((welcome(&s, "loud.one@example.com"), welcome(&s, "loud.two@example.com")), (1, 1));
    // get_by_email, in any case.
    let (st, found) = s.get("/users/get_by_email?email=alex.example%40EXAMPLE.com", &s.keys.agent).await;
    assert_eq!((st, found["id"].clone()), (StatusCode::OK, json!(id)));
    assert!(found["related_data"].is_object());
    for path in ["/users/get_by_email?email=nobody%40example.com", "/users/get_by_email", "/users/get_by_email?email="]
    {
        assert_eq!(
            s.get(path, &s.keys.agent).await,
            (StatusCode::BAD_REQUEST, error_body("Invalid user email")),
            "{path}"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn user_validation_uses_the_services_texts() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let agent_email: String =
        s.state.lock().query_row("SELECT email FROM users WHERE id = 5", [], |r| r.get(0)).unwrap();
    let before = s.count("SELECT COUNT(*) FROM users");
    for (body, msg) in [
        (json!({}), "Email can't be blank".to_string()),
        (json!({"email": "a@b.c"}), "Email is too short (minimum is 6 characters)".into()),
        (json!({"email": "not an email"}), "Email is invalid".into()),
        (
            json!({"email": format!("{}@example.com", "a".repeat(250))}),
            "Email is too long (maximum is 255 characters)".into(),
        ),
        (
            json!({"email": agent_email.to_uppercase()}),
            format!("The user with email {} already exists as a agent.", agent_email.to_uppercase()),
        ),
        (json!({"email": "new.user@example.com", "company_id": 999}), "Invalid company id".into()),
        (json!({"email": "new.user@example.com", "company_id": "abc"}), "Invalid company id".into()),
        (
            json!({"email": "new.user@example.com", "role_id": 35}),
            "You are not allowed to set higher than your own role.".into(),
        ),
        (
            json!({"email": "new.user@example.com", "role_id": 50}),
            "You are not allowed to set a super admin role.".into(),
        ),
        (json!({"email": "new.user@example.com", "role_id": 25}), "Role is not included in the list".into()),
        (
            json!({"email": "new.user@example.com", "first_name": "x".repeat(46)}),
            "First name is too long (maximum is 45 characters)".into(),
        ),
        (
            json!({"email": "new.user@example.com", "cell_phone": "1".repeat(31)}),
            "Cell phone is too long (maximum is 30 characters)".into(),
        ),
        (
            json!({"email": "new.user@example.com", "password": "111111"}),
            "Password should be at least 8 characters".into(),
        ),
    ] {
        assert_eq!(s.post("/users", &m, body.clone()).await, (StatusCode::BAD_REQUEST, error_body(&msg)), "{body}");
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM users"), before);
    assert_eq!(s.count("SELECT COUNT(*) FROM outbox"), 0);
    assert_eq!(
        s.post("/users", &s.keys.agent, json!({"email": "new.user@example.com"})).await,
        (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED))
    );
    // The owner may create managers.
    assert_eq!(
        s.post("/users", &s.keys.owner, json!({"email": "boss@example.com", "role_id": 35})).await.0,
        StatusCode::CREATED
    );
    s.stop().await;
}

#[tokio::test]
async fn users_are_updated_and_deleted() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let (_, u) = s.post("/users", &m, json!({"email": "temp.user@example.com", "first_name": "Temp"})).await;
    let id = u["id"].as_i64().unwrap();
    let (st, up) = s
        .send(Method::PUT, &format!("/users/{id}"), &m, json!({"email": "changed@example.com", "user_notes": "Thats me again.", "last_name": "User", "is_active": "false"}))
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        (up["email"].clone(), up["user_notes"].clone(), up["full_name"].clone(), up["is_active"].clone()),
        (json!("temp.user@example.com"), json!("Thats me again."), json!("Temp User"), json!(false))
    );
    for (path, body, msg) in [
        ("/users/999999".to_string(), json!({"first_name": "x"}), "Invalid user id"),
        ("/users/abc".to_string(), json!({"first_name": "x"}), "Invalid user id"),
        (
            "/users/1".to_string(),
            json!({"first_name": "x"}),
            "You are not allowed to update a user with higher role than yours.",
        ),
        (format!("/users/{id}"), json!({"role_id": 40}), "You are not allowed to set higher than your own role."),
        (format!("/users/{id}"), json!({"company_id": 5}), "Invalid company id"),
    ] {
        assert_eq!(s.send(Method::PUT, &path, &m, body).await, (StatusCode::BAD_REQUEST, error_body(msg)), "{path}");
    }
    // Delete: 404 when unknown, 422 for the owner and for oneself.
    assert_eq!(
        s.send(Method::DELETE, "/users/999999", &m, Value::Null).await,
        (StatusCode::NOT_FOUND, message_body("Record not found"))
    );
    assert_eq!(
        s.send(Method::DELETE, "/users/1", &s.keys.owner, Value::Null).await,
        (StatusCode::UNPROCESSABLE_ENTITY, message_body("The account owner cannot be deleted."))
    );
    let me = s.id_of_key(&m);
    assert_eq!(
        s.send(Method::DELETE, &format!("/users/{me}"), &m, Value::Null).await,
        (StatusCode::UNPROCESSABLE_ENTITY, message_body("You cannot delete yourself."))
    );
    assert_eq!(
        s.send(Method::DELETE, &format!("/users/{id}"), &s.keys.agent, Value::Null).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(s.send(Method::DELETE, &format!("/users/{id}"), &m, Value::Null).await, (StatusCode::OK, Value::Null));
    assert_eq!(s.get(&format!("/users/{id}"), &m).await, (StatusCode::BAD_REQUEST, error_body("Invalid user id")));
    assert_eq!(
        s.post("/users", &m, json!({"email": "temp.user@example.com"})).await,
        (StatusCode::BAD_REQUEST, error_body("Email has already been taken"))
    );
    // A deleted agent's key stops working at once.
    let kevin_key = mojo_sandbox::seed::keys_for_seed(DEFAULT_SEED)[18].clone();
    let kevin = s.id_of_key(&kevin_key);
    assert_eq!(s.get("/ticket_queues", &kevin_key).await.0, StatusCode::OK);
    assert_eq!(s.send(Method::DELETE, &format!("/users/{kevin}"), &m, Value::Null).await.0, StatusCode::OK);
    assert_eq!(s.get("/ticket_queues", &kevin_key).await, (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED)));
    s.stop().await;
}

// ---------------------------------------------------------------- tags CRUD

#[tokio::test]
async fn tags_crud_and_merge() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let (st, t) = s.post("/tags", &m, json!({"label": "Test", "color": "#777777"})).await;
    assert_eq!(st, StatusCode::CREATED);
    let id = t["id"].as_i64().unwrap();
    assert_eq!(t, json!({"id": id, "label": "Test", "color": "#777777"}));
    assert_eq!(s.get(&format!("/tags/{id}"), &s.keys.customer).await, (StatusCode::OK, t.clone()));
    let (_, u) = s.send(Method::PUT, &format!("/tags/{id}"), &m, json!({"color": "#ff0000"})).await;
    assert_eq!(u, json!({"id": id, "label": "Test", "color": "#ff0000"}));
    for (method, path, body, msg) in [
        (Method::POST, "/tags".to_string(), json!({}), "Label can't be blank, Color can't be blank"),
        (Method::POST, "/tags".to_string(), json!({"label": "x"}), "Color can't be blank"),
        (Method::POST, "/tags".to_string(), json!({"label": "VPN", "color": "#000"}), "Label has already been taken"),
        (Method::POST, "/tags".to_string(), json!({"label": "y", "color": "red"}), "Color is invalid"),
        (Method::PUT, format!("/tags/{id}"), json!({"label": "printer"}), "Label has already been taken"),
        (Method::PUT, "/tags/999999".to_string(), json!({"color": "#fff"}), "Invalid tag id"),
        (Method::DELETE, "/tags/999999".to_string(), Value::Null, "Invalid tag id"),
        (Method::POST, format!("/tags/{id}/merge"), json!({"with_tag_id": 999999}), "Invalid tag id"),
        (Method::POST, format!("/tags/{id}/merge"), json!({}), "Invalid tag id"),
        (Method::POST, format!("/tags/{id}/merge"), json!({"with_tag_id": id}), "Cannot merge a tag into itself"),
        (Method::POST, "/tags/999999/merge".to_string(), json!({"with_tag_id": 1}), "Invalid tag id"),
    ] {
        assert_eq!(
            s.send(method.clone(), &path, &m, body.clone()).await,
            (StatusCode::BAD_REQUEST, error_body(msg)),
            "{method} {path} {body}"
        );
    }
    assert_eq!(s.get("/tags/999999", &s.keys.customer).await, (StatusCode::BAD_REQUEST, error_body("Invalid tag id")));
    // Same label, other case, on itself is fine.
    assert_eq!(s.send(Method::PUT, &format!("/tags/{id}"), &m, json!({"label": "TEST"})).await.1["label"], "TEST");
    assert_eq!(
        s.post("/tags", &s.keys.agent, json!({"label": "z", "color": "#000"})).await.0,
        StatusCode::UNAUTHORIZED
    );
    // Merge: tickets of `id` get tag 2 (no duplicates), `id` disappears.
    let a = s.keys.agent.clone();
    let t1 = s.new_ticket("m1").await;
    let t2 = s.new_ticket("m2").await;
    s.post(&format!("/tickets/{t1}/add_tag"), &a, json!({"tag_id": id})).await;
    s.post(&format!("/tickets/{t2}/add_tag"), &a, json!({"tag_id": id})).await;
    s.post(&format!("/tickets/{t2}/add_tag"), &a, json!({"tag_id": 2})).await;
    let with_2 = s.count("SELECT COUNT(*) FROM ticket_tags WHERE tag_id = 2");
    assert_eq!(
        s.post(&format!("/tags/{id}/merge"), &m, json!({"with_tag_id": "2"})).await,
        (StatusCode::OK, Value::Null)
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM ticket_tags WHERE tag_id = 2"), with_2 + 1);
    assert_eq!(s.get(&format!("/tickets/{t1}"), &a).await.1["tag_ids"], json!([2]));
    assert_eq!(s.get(&format!("/tickets/{t2}"), &a).await.1["tag_ids"], json!([2]));
    assert_eq!(s.get(&format!("/tags/{id}"), &a).await.0, StatusCode::BAD_REQUEST);
    // Delete takes the tag off every ticket.
    assert_eq!(s.send(Method::DELETE, "/tags/2", &m, Value::Null).await, (StatusCode::OK, Value::Null));
    assert_eq!(s.count("SELECT COUNT(*) FROM ticket_tags WHERE tag_id = 2"), 0);
    assert_eq!(s.get(&format!("/tickets/{t1}"), &a).await.1["tags"], json!([]));
    s.stop().await;
}

// ---------------------------------------------------------------- tasks

#[tokio::test]
async fn tasks_crud_reorder_and_delete_completed() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let id = s.new_ticket("Tasks").await;
    let p = format!("/tickets/{id}/tasks");
    let (st, t1) =
        s.post(&p, &a, json!({"title": "Check printer", "notes": "paper?", "due_on": "2030-01-16T17:00:00Z"})).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(
        (t1["title"].clone(), t1["notes"].clone(), t1["is_completed"].clone()),
        (json!("Check printer"), json!("paper?"), json!(false))
    );
    assert_eq!(
        (t1["due_on"].clone(), t1["position"].clone(), t1["ticket_id"].clone()),
        (json!("2030-01-16T17:00:00.000Z"), json!(0), json!(id))
    );
    assert_eq!(t1["account_id"], 7042);
    let (_, t2) = s.post(&p, &a, json!({"title": "Order toner", "is_completed": "true"})).await;
    let (_, t3) = s.post(&p, &a, json!({"title": "Call vendor", "assigned_to_id": 5})).await;
    assert_eq!(t3["assignee"]["id"], 5);
    assert_eq!(
        ids(&s.get(&p, &a).await.1),
        vec![t1["id"].as_i64().unwrap(), t2["id"].as_i64().unwrap(), t3["id"].as_i64().unwrap()]
    );
    let (k1, k2, k3) = (t1["id"].as_i64().unwrap(), t2["id"].as_i64().unwrap(), t3["id"].as_i64().unwrap());
    // Update.
    let (st, u) = s
        .send(
            Method::PUT,
            &format!("{p}/{k1}"),
            &a,
            json!({"notes": "Help", "is_completed": true, "title": "Printer checked", "due_on": null}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        (u["notes"].clone(), u["is_completed"].clone(), u["title"].clone(), u["due_on"].clone()),
        (json!("Help"), json!(true), json!("Printer checked"), Value::Null)
    );
    // Reorder with string keys; foreign and unknown ids are ignored.
    let other = s.new_ticket("Other tasks").await;
    let (_, foreign) = s.post(&format!("/tickets/{other}/tasks"), &a, json!({"title": "x"})).await;
    let (st, list) = s
        .post(
            &format!("{p}/reorder"),
            &a,
            json!({"keys": [k3.to_string(), foreign["id"].to_string(), "999999", k1.to_string()]}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ids(&list), vec![k3, k1, k2]);
    assert_eq!(
        list.as_array().unwrap().iter().map(|t| t["position"].as_i64().unwrap()).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert_eq!(s.get(&format!("/tickets/{other}/tasks"), &a).await.1[0]["position"], 0);
    assert_eq!(
        s.post(&format!("{p}/reorder"), &a, json!({})).await,
        (StatusCode::BAD_REQUEST, error_body("param is missing or the value is empty: keys"))
    );
    // Closing waits for the open task; delete_completed leaves it.
    let (st, _) = s.send(Method::PUT, &format!("/tickets/{id}"), &a, json!({"status_id": 60})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, rest) = s.post(&format!("{p}/delete_completed"), &a, Value::Null).await;
    assert_eq!((st, ids(&rest)), (StatusCode::OK, vec![k3]));
    // Invalid tasks: 400; missing tickets: 404; validation: 400.
    let invalid = (StatusCode::BAD_REQUEST, error_body("Invalid task id"));
    assert_eq!(s.send(Method::PUT, &format!("{p}/{k1}"), &a, json!({"title": "gone"})).await, invalid);
    assert_eq!(s.send(Method::PUT, &format!("{p}/{}", foreign["id"]), &a, json!({"title": "x"})).await, invalid);
    assert_eq!(s.send(Method::DELETE, &format!("{p}/abc"), &a, Value::Null).await, invalid);
    assert_eq!(
        s.post(&p, &a, json!({"notes": "no title"})).await,
        (StatusCode::BAD_REQUEST, error_body("Title can't be blank"))
    );
    assert_eq!(
        s.post(&p, &a, json!({"title": "x", "due_on": "soon"})).await,
        (StatusCode::BAD_REQUEST, error_body("Due on is invalid"))
    );
    assert_eq!(
        s.send(Method::PUT, &format!("{p}/{k3}"), &a, json!({"title": " "})).await,
        (StatusCode::BAD_REQUEST, error_body("Title can't be blank"))
    );
    let nf = (StatusCode::NOT_FOUND, message_body("Record not found"));
    assert_eq!(s.get("/tickets/999999/tasks", &a).await, nf);
    assert_eq!(s.send(Method::PUT, &format!("/tickets/999999/tasks/{k3}"), &a, json!({"title": "x"})).await, nf);
    // Delete the last one; now the ticket closes.
    assert_eq!(s.send(Method::DELETE, &format!("{p}/{k3}"), &a, Value::Null).await, (StatusCode::OK, Value::Null));
    assert_eq!(s.get(&p, &a).await, (StatusCode::OK, json!([])));
    assert_eq!(s.send(Method::PUT, &format!("/tickets/{id}"), &a, json!({"status_id": 60})).await.0, StatusCode::OK);
    assert_eq!(s.get(&p, &s.keys.customer).await.0, StatusCode::UNAUTHORIZED);
    s.stop().await;
}

// ---------------------------------------------------------------- access rights

#[tokio::test]
async fn agent_access_rights_feed_the_queue_restrictions() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let kevin_key = mojo_sandbox::seed::keys_for_seed(DEFAULT_SEED)[18].clone();
    let kevin = s.id_of_key(&kevin_key);
    let (st, agents) = s.get("/access_rights/agents", &m).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(s.get("/access_rights/restricted_agents", &m).await.1, agents);
    let active_staff =
        s.count("SELECT COUNT(*) FROM users WHERE role_id >= 15 AND is_active = 1 AND deleted_at IS NULL");
    assert_eq!(agents.as_array().unwrap().len() as i64, active_staff);
    let mine = agents.as_array().unwrap().iter().find(|r| r["id"] == kevin).unwrap().clone();
    assert_eq!(mine["has_access_to_all_ticket_queues"], false);
    assert_eq!(mine["accessible_queues"], json!([{"id": 12, "name": "Facilities"}]));
    assert!(mine["email"].as_str().unwrap().contains('@'));
    assert_eq!(s.get(&format!("/users/{kevin}/access_rights"), &m).await, (StatusCode::OK, mine));
    // Grant queue 11: Kevin's key sees its tickets at once.
    let it_ticket: i64 = s
        .state
        .lock()
        .query_row("SELECT MIN(id) FROM tickets WHERE ticket_queue_id = 11 AND deleted_at IS NULL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(s.get(&format!("/tickets/{it_ticket}"), &kevin_key).await.0, StatusCode::UNAUTHORIZED);
    let (st, r) = s
        .post(&format!("/users/{kevin}/access_rights"), &m, json!({"ticket_queue_id": "11", "has_access": "true"}))
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ids(&r["accessible_queues"]), vec![11, 12]);
    assert_eq!(s.get(&format!("/tickets/{it_ticket}"), &kevin_key).await.0, StatusCode::OK);
    // Several at once: the answer is the updated list.
    let (st, list) = s
        .post(&format!("/users/{kevin}/access_rights/set"), &m, json!({"keys": ["13", "14"], "has_access": "true"}))
        .await;
    assert_eq!(st, StatusCode::OK);
    let me = list.as_array().unwrap().iter().find(|r| r["id"] == kevin).unwrap();
    assert_eq!(ids(&me["accessible_queues"]), vec![11, 12, 13, 14]);
    let (_, queues) = s.get("/ticket_queues", &kevin_key).await;
    assert_eq!(ids(&queues), vec![11, 12, 13, 14]);
    // Revoke.
    let (_, r) = s
        .post(&format!("/users/{kevin}/access_rights/set"), &m, json!({"keys": ["11", "13"], "has_access": "false"}))
        .await;
    assert_eq!(
        ids(&r.as_array().unwrap().iter().find(|x| x["id"] == kevin).unwrap()["accessible_queues"]),
        vec![12, 14]
    );
    assert_eq!(s.get(&format!("/tickets/{it_ticket}"), &kevin_key).await.0, StatusCode::UNAUTHORIZED);
    // An agent with every queue loses one: all the others stay.
    let agent = s.id_of_key(&s.keys.agent);
    let (_, r) =
        s.post(&format!("/users/{agent}/access_rights"), &m, json!({"ticket_queue_id": 11, "has_access": false})).await;
    assert_eq!(r["has_access_to_all_ticket_queues"], false);
    assert_eq!(ids(&r["accessible_queues"]), vec![12, 13, 14, 15, 16, 17]);
    assert_eq!(s.get(&format!("/tickets/{it_ticket}"), &s.keys.agent).await.0, StatusCode::UNAUTHORIZED);
    let (_, r) =
        s.post(&format!("/users/{agent}/access_rights"), &m, json!({"has_access_to_all_ticket_queues": "true"})).await;
    assert_eq!(r["has_access_to_all_ticket_queues"], true);
    assert_eq!(s.get(&format!("/tickets/{it_ticket}"), &s.keys.agent).await.0, StatusCode::OK);
    // Errors in the code/messages shape; nothing changes.
    let before = s.count("SELECT COUNT(*) FROM agent_queues");
    for (method, path, body, msg) in [
        (Method::GET, "/users/999999/access_rights".to_string(), Value::Null, "Invalid User ID."),
        (Method::GET, "/users/1001/access_rights".to_string(), Value::Null, "Invalid User ID."),
        (Method::GET, "/users/abc/access_rights".to_string(), Value::Null, "Invalid User ID."),
        (
            Method::POST,
            "/users/999999/access_rights".to_string(),
            json!({"ticket_queue_id": "11", "has_access": "true"}),
            "Invalid User ID.",
        ),
        (
            Method::POST,
            format!("/users/{kevin}/access_rights"),
            json!({"ticket_queue_id": "999", "has_access": "true"}),
            "Invalid Ticket Queue ID.",
        ),
        (
            Method::POST,
            format!("/users/{kevin}/access_rights"),
            json!({"has_access": "true"}),
            "Invalid Ticket Queue ID.",
        ),
        (
            Method::POST,
            format!("/users/{kevin}/access_rights"),
            json!({"ticket_queue_id": "11", "has_access": "maybe"}),
            "Invalid has_access value.",
        ),
        (
            Method::POST,
            format!("/users/{kevin}/access_rights/set"),
            json!({"has_access": "true"}),
            "param is missing or the value is empty: keys",
        ),
        (
            Method::POST,
            format!("/users/{kevin}/access_rights/set"),
            json!({"keys": ["11", "999"], "has_access": "true"}),
            "Invalid Ticket Queue ID.",
        ),
        (
            Method::POST,
            format!("/users/{kevin}/access_rights/set"),
            json!({"keys": ["11", "x"], "has_access": "true"}),
            "Invalid Ticket Queue ID.",
        ),
        (
            Method::POST,
            "/users/3/access_rights".to_string(),
            json!({"ticket_queue_id": "11", "has_access": "false"}),
            "Managers and administrators always have access to all ticket queues.",
        ),
    ] {
        assert_eq!(
            s.send(method.clone(), &path, &m, body.clone()).await,
            (StatusCode::BAD_REQUEST, code_body(msg)),
            "{method} {path} {body}"
        );
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM agent_queues"), before);
    // A grant to a manager changes nothing: they see every queue anyway.
    let (st, r) = s.post("/users/3/access_rights", &m, json!({"ticket_queue_id": "11", "has_access": "true"})).await;
    assert_eq!((st, r["has_access_to_all_ticket_queues"].clone()), (StatusCode::OK, json!(true)));
    assert_eq!(r["accessible_queues"].as_array().unwrap().len(), 7);
    assert_eq!(s.count("SELECT COUNT(*) FROM agent_queues"), before);
    // Managers only.
    for path in ["/access_rights/agents", "/access_rights/restricted_agents", "/access_rights/groups"] {
        assert_eq!(
            s.get(path, &s.keys.agent).await,
            (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED)),
            "{path}"
        );
    }
    assert_eq!(
        s.post(
            &format!("/users/{kevin}/access_rights"),
            &s.keys.agent,
            json!({"ticket_queue_id": "11", "has_access": "true"})
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    s.stop().await;
}

#[tokio::test]
async fn group_access_rights() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let (st, groups) = s.get("/access_rights/groups", &m).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(groups.as_array().unwrap().len(), 14);
    let g = &groups[0];
    assert_eq!((g["id"].clone(), g["has_access_to_all_ticket_queues"].clone()), (json!(101), json!(true)));
    assert_eq!(g["accessible_queues"].as_array().unwrap().len(), 7);
    assert!(g["name"].is_string());
    let (_, r) = s.post("/groups/101/access_rights", &m, json!({"has_access_to_all_ticket_queues": "false"})).await;
    assert_eq!(
        (r["has_access_to_all_ticket_queues"].clone(), r["accessible_queues"].clone()),
        (json!(false), json!([]))
    );
    let (_, r) = s.post("/groups/101/access_rights", &m, json!({"ticket_queue_id": "13", "has_access": "true"})).await;
    assert_eq!(r["accessible_queues"], json!([{"id": 13, "name": "HR Requests"}]));
    let (st, list) =
        s.post("/groups/101/access_rights/set", &m, json!({"keys": ["11", "12"], "has_access": "true"})).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 14);
    assert_eq!(ids(&list[0]["accessible_queues"]), vec![11, 12, 13]);
    assert_eq!(s.get("/groups/101/access_rights", &m).await.1, list[0]);
    let (_, r) = s.post("/groups/102/access_rights/set", &m, json!({"keys": ["11"], "has_access": "false"})).await;
    assert_eq!(ids(&r[1]["accessible_queues"]), vec![12, 13, 14, 15, 16, 17]);
    for (path, body, msg) in [
        ("/groups/999/access_rights", json!({"has_access_to_all_ticket_queues": "true"}), "Invalid Group ID."),
        (
            "/groups/101/access_rights",
            json!({"has_access_to_all_ticket_queues": "sure"}),
            "Invalid has_access_to_all_ticket_queues value.",
        ),
        (
            "/groups/101/access_rights/set",
            json!({"keys": [], "has_access": "true"}),
            "param is missing or the value is empty: keys",
        ),
    ] {
        assert_eq!(s.post(path, &m, body).await, (StatusCode::BAD_REQUEST, code_body(msg)), "{path}");
    }
    assert_eq!(s.get("/groups/999/access_rights", &m).await, (StatusCode::BAD_REQUEST, code_body("Invalid Group ID.")));
    assert_eq!(s.get("/groups/101/access_rights", &s.keys.agent).await.0, StatusCode::UNAUTHORIZED);
    s.stop().await;
}

// ---------------------------------------------------------------- forms, group access, teams

#[tokio::test]
async fn ticket_forms_with_field_attributes() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let (st, forms) = s.get("/ticket_forms", &m).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ids(&forms), vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(
        forms[0],
        json!({"id": 1, "name": "General Request", "is_default": true, "is_enabled": true,
            "description": "Anything that does not fit another form.", "is_visible_for_end_user": true, "show_cc": true,
            "show_attach_files": true, "is_visible_for_non_logged_in_user": true, "hidden_field_attribute_ids": []})
    );
    assert!(forms[0].get("field_attributes").is_none(), "the list has basic fields only");
    let (st, f) = s.get("/ticket_forms/2", &m).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(f["name"], "Hardware Request");
    let fields = f["field_attributes"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "title",
            "description",
            "priority_id",
            "ticket_type_id",
            "custom_field_asset_number",
            "custom_field_device_type",
            "custom_field_location",
            "custom_field_department"
        ]
    );
    let device = &fields[5];
    assert_eq!(
        (device["label"].clone(), device["field_type"].clone(), device["is_required"].clone()),
        (json!("Device type"), json!(3), json!(false))
    );
    assert_eq!(device["options"][0], "Laptop");
    assert_eq!(device["options"].as_array().unwrap().len(), 8);
    assert_eq!((fields[4]["is_required"].clone(), fields[4]["options"].clone()), (json!(true), Value::Null));
    assert_eq!(fields[2]["options"][0], json!({"id": 10, "name": "emergency"}));
    let field_ids: Vec<i64> = fields.iter().map(|x| x["id"].as_i64().unwrap()).collect();
    let mut unique = field_ids.clone();
    unique.dedup();
    assert_eq!(unique.len(), 8);
    assert_eq!(f["form_field_rules"], json!([]));
    assert_eq!(
        f["available_rule_conditions"]["3"][0],
        json!({"name": "equals", "label": "Equals", "require_value": true})
    );
    // The form's fields are the ones a ticket of that form shows as custom_field_types.
    let (_, t) =
        s.post("/tickets", &s.keys.agent, json!({"title": "hw", "ticket_queue_id": 11, "ticket_form_id": 2})).await;
    let typed: Vec<&str> =
        t["custom_field_types"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(typed, names[4..].to_vec());
    for path in ["/ticket_forms/999", "/ticket_forms/abc"] {
        assert_eq!(s.get(path, &m).await, (StatusCode::BAD_REQUEST, error_body("Invalid ticket form id")), "{path}");
    }
    assert_eq!(s.get("/ticket_forms", &s.keys.agent).await, (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED)));
    assert_eq!(s.get("/ticket_forms/1", &s.keys.agent).await.0, StatusCode::UNAUTHORIZED);
    s.stop().await;
}

#[tokio::test]
async fn group_access_of_users() {
    let s = Server::demo().await;
    let m = s.keys.manager.clone();
    let (st, list) = s.get("/users/1001/group_access", &m).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 14);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|x| x["user_id"] == 1001 && [0, 1].contains(&x["access"].as_i64().unwrap()))
    );
    let (st, one) = s.post("/users/1001/group_access/105", &m, json!({"access": "1"})).await;
    assert_eq!((st, &one), (StatusCode::OK, &json!({"user_id": 1001, "group_id": 105, "access": 1})));
    assert_eq!(s.get("/users/1001/group_access/105", &m).await, (StatusCode::OK, one));
    assert_eq!(s.post("/users/1001/group_access/105", &m, json!({"access": 2})).await.1["access"], 2);
    assert_eq!(s.post("/users/1001/group_access/105", &m, json!({"access": "0"})).await.1["access"], 0);
    let (_, list) = s.get("/users/1001/group_access", &m).await;
    assert_eq!(list.as_array().unwrap().iter().find(|x| x["group_id"] == 105).unwrap()["access"], 0);
    for body in
        [json!({"access": "3"}), json!({"access": "-1"}), json!({"access": "full"}), json!({}), json!({"access": 1.5})]
    {
        assert_eq!(
            s.post("/users/1001/group_access/105", &m, body.clone()).await,
            (StatusCode::BAD_REQUEST, error_body("Invalid access value")),
            "{body}"
        );
    }
    for (path, msg) in [
        ("/users/999999/group_access", "Invalid User ID."),
        ("/users/abc/group_access", "Invalid User ID."),
        ("/users/999999/group_access/105", "Invalid User ID."),
        ("/users/999999/group_access/999", "Invalid User ID."),
        ("/users/1001/group_access/999", "Invalid Group ID."),
        ("/users/1001/group_access/x", "Invalid Group ID."),
    ] {
        assert_eq!(s.get(path, &m).await, (StatusCode::BAD_REQUEST, error_body(msg)), "{path}");
        assert_eq!(
            s.post(path, &m, json!({"access": "1"})).await.0,
            if path.ends_with("group_access") { StatusCode::NOT_FOUND } else { StatusCode::BAD_REQUEST },
            "{path}"
        );
    }
    assert_eq!(
        s.get("/users/1001/group_access", &s.keys.agent).await,
        (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED))
    );
    assert_eq!(
        s.post("/users/1001/group_access/105", &s.keys.agent, json!({"access": "1"})).await.0,
        StatusCode::UNAUTHORIZED
    );
    s.stop().await;
}

#[tokio::test]
async fn teams_list_and_show() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let (st, teams) = s.get("/teams", &a).await;
    assert_eq!(st, StatusCode::OK);
    let names: Vec<&str> = teams.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Service Desk", "Field Services", "Network Operations", "Finance & People"]);
    let members = s.count("SELECT COUNT(*) FROM team_members");
    let listed: usize = teams.as_array().unwrap().iter().map(|t| t["agent_ids"].as_array().unwrap().len()).sum();
    assert_eq!(listed as i64, members);
    assert_eq!(s.get("/teams/2", &a).await, (StatusCode::OK, teams[1].clone()));
    assert_eq!(ids(&s.get("/teams?per_page=2&page=2", &a).await.1), vec![3, 4]);
    let nf = (StatusCode::NOT_FOUND, message_body("Record not found"));
    assert_eq!(s.get("/teams/99", &a).await, nf);
    assert_eq!(s.get("/teams/abc", &a).await, nf);
    assert_eq!(s.get("/teams", &s.keys.customer).await.0, StatusCode::UNAUTHORIZED);
    s.stop().await;
}

// ---------------------------------------------------------------- roles, atomicity, concurrency

#[tokio::test]
async fn agents_get_401_on_every_manager_only_call() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let want = (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED));
    for (method, path) in [
        (Method::GET, "/tickets/10001/events"),
        (Method::GET, "/events"),
        (Method::GET, "/events/1"),
        (Method::DELETE, "/attachments/1"),
        (Method::POST, "/ticket_queues"),
        (Method::PUT, "/ticket_queues/11"),
        (Method::DELETE, "/ticket_queues/11"),
        (Method::POST, "/groups"),
        (Method::PUT, "/groups/101"),
        (Method::DELETE, "/groups/101"),
        (Method::POST, "/users"),
        (Method::PUT, "/users/1001"),
        (Method::DELETE, "/users/1001"),
        (Method::POST, "/tags"),
        (Method::PUT, "/tags/1"),
        (Method::DELETE, "/tags/1"),
        (Method::POST, "/tags/1/merge"),
        (Method::POST, "/ticket_types"),
        (Method::PUT, "/ticket_types/1"),
        (Method::DELETE, "/ticket_types/1"),
        (Method::GET, "/ticket_forms"),
        (Method::GET, "/ticket_forms/1"),
        (Method::GET, "/users/1001/group_access"),
        (Method::GET, "/users/1001/group_access/101"),
        (Method::POST, "/users/1001/group_access/101"),
        (Method::GET, "/access_rights/agents"),
        (Method::GET, "/access_rights/restricted_agents"),
        (Method::GET, "/access_rights/groups"),
        (Method::GET, "/users/5/access_rights"),
        (Method::POST, "/users/5/access_rights"),
        (Method::POST, "/users/5/access_rights/set"),
        (Method::GET, "/groups/101/access_rights"),
        (Method::POST, "/groups/101/access_rights"),
        (Method::POST, "/groups/101/access_rights/set"),
    ] {
        assert_eq!(s.send(method.clone(), path, &a, json!({"name": "x"})).await, want, "{method} {path}");
    }
    // The customer (role 10) gets the same on agent endpoints.
    for (method, path) in [
        (Method::GET, "/teams"),
        (Method::GET, "/users/get_by_email?email=x"),
        (Method::POST, "/tickets/10001/add_tag"),
        (Method::GET, "/tickets/10001/tasks"),
        (Method::POST, "/tickets/10001/staff_notes"),
    ] {
        assert_eq!(s.send(method.clone(), path, &s.keys.customer, json!({})).await, want, "{method} {path}");
    }
    // Read-only keys: every new write is refused with the read-only text.
    let ro = (StatusCode::UNAUTHORIZED, message_body(READ_ONLY));
    for (method, path) in [
        (Method::POST, "/tickets/10001/comments"),
        (Method::POST, "/tickets/10001/staff_notes"),
        (Method::POST, "/tickets/10001/attachments"),
        (Method::POST, "/tickets/10001/tasks"),
        (Method::POST, "/tickets/10001/add_tag"),
        (Method::POST, "/tickets/10001/remove_tag"),
    ] {
        assert_eq!(s.send(method.clone(), path, &s.keys.read_only, json!({"body": "x"})).await, ro, "{method} {path}");
    }
    s.stop().await;
}

#[tokio::test]
async fn failing_writes_change_nothing() {
    let s = Server::demo().await;
    let (a, m) = (s.keys.agent.clone(), s.keys.manager.clone());
    let snapshot = |s: &Server| {
        [
            "tickets",
            "comments",
            "staff_notes",
            "tasks",
            "attachments",
            "tags",
            "ticket_tags",
            "users",
            "groups",
            "ticket_queues",
            "ticket_types",
            "agent_queues",
            "group_queues",
            "group_access",
            "events",
            "outbox",
        ]
        .map(|t| s.count(&format!("SELECT COUNT(*) FROM {t}")))
    };
    let before = snapshot(&s);
    let failing: Vec<(Method, &str, &str, Value)> = vec![
        (Method::POST, "/tickets/10001/comments", a.as_str(), json!({"body": ""})),
        (Method::POST, "/tickets/10001/staff_notes", a.as_str(), json!({"time_spent": "x"})),
        (Method::POST, "/tickets/10001/tasks", a.as_str(), json!({"title": ""})),
        (Method::POST, "/tickets/10001/add_tag", a.as_str(), json!({"tag_id": 999999})),
        (Method::POST, "/tickets/10001/remove_tag", a.as_str(), json!({"tag_label": "never"})),
        (Method::POST, "/tickets/10001/attachments", a.as_str(), json!({"staff_only": true})),
        (Method::POST, "/users", m.as_str(), json!({"email": "x@example.com", "company_id": 9})),
        (Method::PUT, "/users/1001", m.as_str(), json!({"first_name": "Ok", "company_id": 9})),
        (Method::POST, "/groups", m.as_str(), json!({"name": "Ok", "support_status_id": 5})),
        (Method::PUT, "/groups/101", m.as_str(), json!({"name": "Ok", "support_end_date": "x"})),
        (Method::POST, "/ticket_queues", m.as_str(), json!({"email_alias": "x"})),
        (Method::PUT, "/ticket_queues/11", m.as_str(), json!({"name": "Ok", "email_ticket_form_id": 99})),
        (Method::POST, "/tags", m.as_str(), json!({"label": "ok"})),
        (Method::POST, "/tags/1/merge", m.as_str(), json!({"with_tag_id": 1})),
        (Method::POST, "/users/19/access_rights/set", m.as_str(), json!({"keys": ["11", "999"], "has_access": "true"})),
        (Method::POST, "/groups/101/access_rights/set", m.as_str(), json!({"keys": ["11"], "has_access": "perhaps"})),
        (Method::POST, "/users/1001/group_access/101", m.as_str(), json!({"access": "9"})),
        (Method::DELETE, "/ticket_queues/11", m.as_str(), Value::Null),
    ];
    let (_, queue_before) = s.get("/ticket_queues/11", &m).await;
    let (_, user_before) = s.get("/users/1001", &m).await;
    for (method, path, key, body) in failing {
        let (st, got) = s.send(method.clone(), path, key, body.clone()).await;
        assert!(st.is_client_error(), "{method} {path} {body}: {st} {got}");
    }
    assert_eq!(snapshot(&s), before);
    assert_eq!(s.get("/ticket_queues/11", &m).await.1, queue_before);
    assert_eq!(s.get("/users/1001", &m).await.1, user_before);
    s.stop().await;
}

#[tokio::test]
async fn concurrent_writers_lose_no_update() {
    let s = Server::demo().await;
    let a = s.keys.agent.clone();
    let id = s.new_ticket("Busy").await;
    let mut jobs = Vec::new();
    for i in 0..50 {
        let (client, tag_url, comment_url, task_url) = (
            s.client.clone(),
            s.keyed(&format!("/tickets/{id}/add_tag"), &a),
            s.keyed(&format!("/tickets/{id}/comments"), &a),
            s.keyed(&format!("/tickets/{id}/tasks"), &a),
        );
        jobs.push(tokio::spawn(async move {
            let t = client.post(tag_url).json(&json!({"tag_label": format!("busy-{i}")})).send();
            let c = client.post(comment_url).json(&json!({"body": format!("comment {i}")})).send();
            let k = client.post(task_url).json(&json!({"title": format!("task {i}")})).send();
            let (t, c, k) = tokio::join!(t, c, k);
            (t.unwrap().status(), c.unwrap().status(), k.unwrap().status())
        }));
    }
    for j in jobs {
        assert_eq!(j.await.unwrap(), (StatusCode::OK, StatusCode::CREATED, StatusCode::CREATED));
    }
    let (_, t) = s.get(&format!("/tickets/{id}"), &a).await;
    assert_eq!(t["tags"].as_array().unwrap().len(), 50);
    assert_eq!(t["all_comments"].as_array().unwrap().len(), 50);
    let tasks = t["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 50);
    let mut positions: Vec<i64> = tasks.iter().map(|k| k["position"].as_i64().unwrap()).collect();
    positions.sort();
    assert_eq!(positions, (0..50).collect::<Vec<_>>(), "every task got its own position");
    assert_eq!(s.count(&format!("SELECT COUNT(*) FROM events WHERE ticket_id = {id}")), 151);
    s.stop().await;
}

#[tokio::test]
async fn odd_inputs_on_the_new_endpoints_are_4xx_never_500() {
    let s = Server::demo().await;
    let (a, m) = (s.keys.agent.clone(), s.keys.manager.clone());
    let odd = [
        json!(null),
        json!([]),
        json!({"body": {"x": 1}, "title": [1], "tag_id": {"a": 1}, "keys": {"0": "11"}}),
        json!({"time_spent": "99999999999999999999999", "position": -1, "due_on": "2024-01-€"}),
        json!({"access": [1], "has_access": {"x": true}, "ticket_queue_id": "11; DROP TABLE users"}),
        json!({"label": "\u{0}", "color": "#zzzzzz", "name": "\u{202e}", "email": "a@b.c\u{0}"}),
        json!("just a string"),
    ];
    let paths = [
        "/tickets/10001/comments",
        "/tickets/10001/staff_notes",
        "/tickets/10001/tasks",
        "/tickets/10001/tasks/reorder",
        "/tickets/10001/add_tag",
        "/tickets/10001/remove_tag",
        "/tickets/10001/attachments",
        "/users",
        "/groups",
        "/tags",
        "/ticket_queues",
        "/ticket_types",
        "/users/19/access_rights",
        "/users/19/access_rights/set",
        "/groups/101/access_rights",
        "/users/1001/group_access/101",
        "/tags/1/merge",
        "/tickets/99999999999999999999999/comments",
        "/users/-1/group_access/1",
    ];
    for path in paths {
        for body in &odd {
            for key in [&a, &m] {
                let (st, _) = s.post(path, key, body.clone()).await;
                assert!(st.as_u16() < 500, "{path} {body}: {st}");
            }
        }
    }
    for path in [
        "/events?ticket_id=1e99",
        "/events/99999999999999999999",
        "/attachments/-5",
        "/teams/0",
        "/ticket_forms/1.5",
        "/events?per_page=-4&page=x",
    ] {
        assert!(s.get(path, &m).await.0.as_u16() < 500, "{path}");
    }
    s.stop().await;
}
