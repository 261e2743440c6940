//! The stand-in over real HTTP: each test starts the app in-process on 127.0.0.1:0 with the
//! demo seed (in memory unless it tests persistence) and talks to it with reqwest.

use mojo_sandbox::{AppState, Config, DEFAULT_SEED, DemoKeys, Settings};
use reqwest::{Client, Method, StatusCode, multipart};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
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
    async fn start(config: Config) -> Server {
        Self::start_with_static(config, None).await
    }

    async fn start_with_static(config: Config, static_dir: Option<PathBuf>) -> Server {
        let state = mojo_sandbox::open(&config).expect("open");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(mojo_sandbox::serve(listener, state.clone(), static_dir, async {
            let _ = rx.await;
        }));
        Server {
            base: format!("http://{addr}"),
            keys: state.demo_keys(),
            state,
            // No idle pool: a stopped server must not wait on our keep-alive connections.
            client: Client::builder().pool_max_idle_per_host(0).build().unwrap(),
            stop: Some(tx),
            handle: Some(handle),
        }
    }

    async fn demo() -> Server {
        Self::start(Config::memory(DEFAULT_SEED)).await
    }

    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.unwrap().unwrap();
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v2{path}", self.base)
    }

    /// `path` with `access_key=key` appended.
    fn keyed(&self, path: &str, key: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{}{sep}access_key={key}", self.url(path))
    }

    async fn get(&self, path: &str, key: &str) -> (StatusCode, Value) {
        read(self.client.get(self.keyed(path, key)).send().await.unwrap()).await
    }

    async fn json(&self, method: Method, path: &str, key: &str, body: Value) -> (StatusCode, Value) {
        read(self.client.request(method, self.keyed(path, key)).json(&body).send().await.unwrap()).await
    }

    /// Every ticket, through the list endpoint 100 at a time.
    async fn all_tickets(&self, key: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for page in 1.. {
            let (s, v) = self.get(&format!("/tickets?per_page=100&page={page}"), key).await;
            assert_eq!(s, StatusCode::OK);
            let list = v.as_array().unwrap().clone();
            if list.is_empty() {
                break;
            }
            out.extend(list);
        }
        out
    }

    fn db_count(&self, sql: &str) -> i64 {
        self.state.lock().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

/// Status and body; an empty body reads as `Null`, a non-JSON body fails the test.
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

fn validation(list: &[&str]) -> Value {
    json!({"message": format!("Validation failed: {}", list.join(", ")), "messages": list})
}

fn is_iso_millis(v: &Value) -> bool {
    let Some(s) = v.as_str() else { return false };
    let b = s.as_bytes();
    s.len() == 24
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && s.ends_with('Z')
        && mojo_api::Timestamp::parse(s).is_some()
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

/// A fresh temporary directory (no tempfile crate: std is enough).
fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let dir = std::env::temp_dir().join(format!("mojo-sandbox-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const LIST_FIELDS: [&str; 24] = [
    "id",
    "title",
    "description",
    "status_id",
    "ticket_queue_id",
    "ticket_form_id",
    "ticket_type_id",
    "priority_id",
    "user_id",
    "assigned_to_id",
    "company_id",
    "rating",
    "rated_on",
    "rating_comment",
    "created_on",
    "updated_on",
    "status_changed_on",
    "solved_on",
    "first_assigned_on",
    "due_on",
    "scheduled_on",
    "resolution_id",
    "created_from",
    "tag_ids",
];

const FULL_EXTRA_FIELDS: [&str; 24] = [
    "assigned_on",
    "parent_ticket_id",
    "legacy_id",
    "is_attention_required",
    "user_attention_id",
    "cc",
    "time_to_first_comment",
    "first_commented_on",
    "resolution",
    "ticket_type",
    "ticket_queue",
    "tags",
    "custom_field_values",
    "custom_field_types",
    "tasks",
    "all_comments",
    "staff_notes",
    "attachments",
    "staff_only_attachments",
    "potential_assignees",
    "time_tracking_unit",
    "related_data",
    "asset_tag",
    "tag_ids",
];

// ---------------------------------------------------------------- auth

#[tokio::test]
async fn missing_wrong_expired_and_low_role_keys_are_401() {
    let s = Server::demo().await;
    let want = message_body(NOT_AUTHORIZED);
    let (st, body) = read(s.client.get(s.url("/tickets")).send().await.unwrap()).await;
    assert_eq!((st, &body), (StatusCode::UNAUTHORIZED, &want));
    for key in ["wrong", "", &s.keys.expired, &s.keys.customer] {
        let (st, body) = s.get("/tickets", key).await;
        assert_eq!((st, &body), (StatusCode::UNAUTHORIZED, &want), "key {key:?}");
    }
    // Unknown keys are refused on every endpoint, writes included.
    let (st, body) = s.json(Method::POST, "/tickets", "nope", json!({"title": "x", "ticket_queue_id": 11})).await;
    assert_eq!((st, body), (StatusCode::UNAUTHORIZED, want.clone()));
    // An end user may read tags (any user), nothing agent-only.
    let (st, tags) = s.get("/tags", &s.keys.customer).await;
    assert_eq!(st, StatusCode::OK);
    assert!(tags.as_array().unwrap().len() >= 15);
    for path in ["/users", "/groups", "/ticket_queues", "/ticket_types", "/users/techs", "/tickets/10001"] {
        assert_eq!(s.get(path, &s.keys.customer).await.0, StatusCode::UNAUTHORIZED, "{path}");
    }
    s.stop().await;
}

#[tokio::test]
async fn read_only_key_reads_but_cannot_write() {
    let s = Server::demo().await;
    let ro = s.keys.read_only.clone();
    let (st, list) = s.get("/tickets?per_page=3", &ro).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(s.get("/tickets/10001", &ro).await.0, StatusCode::OK);
    let want = message_body(READ_ONLY);
    for (method, path) in [
        (Method::POST, "/tickets"),
        (Method::PUT, "/tickets/10001"),
        (Method::PATCH, "/tickets/10001"),
        (Method::DELETE, "/tickets/10001"),
    ] {
        let (st, body) = s.json(method.clone(), path, &ro, json!({"title": "x", "ticket_queue_id": 11})).await;
        assert_eq!((st, &body), (StatusCode::UNAUTHORIZED, &want), "{method} {path}");
    }
    // Nothing was written.
    let (_, t) = s.get("/tickets/10001", &s.keys.agent).await;
    assert_ne!(t["title"], "x");
    s.stop().await;
}

#[tokio::test]
async fn access_key_may_come_from_any_body() {
    let s = Server::demo().await;
    let agent = s.keys.agent.clone();
    // JSON body.
    let res = s
        .client
        .post(s.url("/tickets"))
        .json(&json!({"access_key": agent, "title": "From JSON", "ticket_queue_id": 11}))
        .send()
        .await
        .unwrap();
    let (st, t) = read(res).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(t["title"], "From JSON");
    // urlencoded body.
    let res = s
        .client
        .post(s.url("/tickets"))
        .form(&[("access_key", agent.as_str()), ("title", "From form"), ("ticket_queue_id", "12")])
        .send()
        .await
        .unwrap();
    let (st, t) = read(res).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(t["ticket_queue_id"], 12);
    // multipart body (the README's browser example).
    let form = multipart::Form::new()
        .text("access_key", agent.clone())
        .text("title", "From multipart")
        .text("ticket_queue_id", "13")
        .text("priority_id", "30");
    let (st, t) = read(s.client.post(s.url("/tickets")).multipart(form).send().await.unwrap()).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(t["ticket_queue_id"], 13);
    s.stop().await;
}

#[tokio::test]
async fn restricted_agent_sees_only_its_queues() {
    let s = Server::demo().await;
    // Kevin Doyle (role 15, Facilities only) is staff member 19: key index 18.
    let kevin = mojo_sandbox::seed::keys_for_seed(DEFAULT_SEED)[18].clone();
    let all = s.all_tickets(&kevin).await;
    assert!(!all.is_empty());
    assert!(all.iter().all(|t| t["ticket_queue_id"] == 12), "only Facilities");
    let it_ticket = s.all_tickets(&s.keys.agent).await.into_iter().find(|t| t["ticket_queue_id"] == 11).unwrap();
    let (st, body) = s.get(&format!("/tickets/{}", it_ticket["id"]), &kevin).await;
    assert_eq!((st, body), (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED)));
    let (_, queues) = s.get("/ticket_queues", &kevin).await;
    assert_eq!(ids(&queues), vec![12]);
    s.stop().await;
}

#[tokio::test]
async fn deleting_can_be_limited_to_managers() {
    let mut config = Config::memory(DEFAULT_SEED);
    config.settings = Settings { agents_can_delete: false };
    let s = Server::start(config).await;
    let (st, body) = s.json(Method::DELETE, "/tickets/10005", &s.keys.agent, Value::Null).await;
    assert_eq!((st, body), (StatusCode::UNAUTHORIZED, message_body(NOT_AUTHORIZED)));
    let (st, body) = s.json(Method::DELETE, "/tickets/10005", &s.keys.manager, Value::Null).await;
    assert_eq!((st, body), (StatusCode::OK, Value::Null));
    s.stop().await;
}

// ---------------------------------------------------------------- errors

#[tokio::test]
async fn missing_tickets_and_routes_are_404() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let record = message_body("Record not found");
    for (method, path) in [
        (Method::GET, "/tickets/999999"),
        (Method::PUT, "/tickets/999999"),
        (Method::PATCH, "/tickets/999999"),
        (Method::DELETE, "/tickets/999999"),
        (Method::GET, "/tickets/abc"),
        (Method::PUT, "/tickets/abc"),
        (Method::DELETE, "/tickets/12abc"),
        (Method::GET, "/tickets/-1"),
    ] {
        let (st, body) = s.json(method.clone(), path, &k, json!({"title": "x"})).await;
        assert_eq!((st, &body), (StatusCode::NOT_FOUND, &record), "{method} {path}");
    }
    let route = message_body("Not found");
    for path in ["/nope", "/tickets/1/nope/2", "/ticket_queue", ""] {
        let (st, body) = s.get(path, &k).await;
        assert_eq!((st, &body), (StatusCode::NOT_FOUND, &route), "{path}");
    }
    // A known path with a method it lacks: JSON 404, never 500.
    for (method, path) in
        [(Method::DELETE, "/ticket_queues"), (Method::POST, "/users/techs"), (Method::PUT, "/tickets")]
    {
        let (st, body) = s.json(method.clone(), path, &k, json!({})).await;
        assert!(st == StatusCode::NOT_FOUND || st == StatusCode::METHOD_NOT_ALLOWED, "{method} {path}: {st}");
        assert_eq!(body, route);
    }
    s.stop().await;
}

#[tokio::test]
async fn unknown_ids_of_queues_users_groups_types_are_400() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    for (path, msg) in [
        ("/ticket_queues/999999", "Invalid ticket queue id"),
        ("/ticket_queues/abc", "Invalid ticket queue id"),
        ("/users/999999", "Invalid user id"),
        ("/users/abc", "Invalid user id"),
        ("/groups/999999", "Invalid group id"),
        ("/groups/x", "Invalid group id"),
        ("/ticket_types/999999", "Invalid ticket type id"),
        ("/ticket_type/999999", "Invalid ticket type id"),
    ] {
        let (st, body) = s.get(path, &k).await;
        assert_eq!((st, body), (StatusCode::BAD_REQUEST, json!({"error": msg})), "{path}");
    }
    // And the known ones answer.
    let (st, q) = s.get("/ticket_queues/11", &k).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        q,
        json!({"id": 11, "name": "IT Support", "email_alias": "support", "email_forward": null, "email_ticket_form_id": 1})
    );
    let (_, t1) = s.get("/ticket_types/1", &k).await;
    let (_, t2) = s.get("/ticket_type/1", &k).await;
    assert_eq!(t1, json!({"id": 1, "name": "Incident"}));
    assert_eq!(t1, t2);
    s.stop().await;
}

#[tokio::test]
async fn create_validation_is_422() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"ticket_queue_id": 11}), vec!["Title can't be blank"]),
        (json!({"title": "   ", "ticket_queue_id": 11}), vec!["Title can't be blank"]),
        (json!({"title": null, "ticket_queue_id": 11}), vec!["Title can't be blank"]),
        (json!({"title": "Printer"}), vec!["Ticket queue can't be blank"]),
        (json!({"title": "Printer", "ticket_queue_id": ""}), vec!["Ticket queue can't be blank"]),
        (json!({"title": "Printer", "ticket_queue_id": "abc"}), vec!["Ticket queue can't be blank"]),
        (json!({"title": "Printer", "ticket_queue_id": 999}), vec!["Ticket queue is invalid"]),
        (json!({}), vec!["Title can't be blank", "Ticket queue can't be blank"]),
        (json!({"title": "x", "ticket_queue_id": 11, "status_id": 15}), vec!["Status is not included in the list"]),
        (json!({"title": "x", "ticket_queue_id": 11, "priority_id": 99}), vec!["Priority is not included in the list"]),
        (
            json!({"title": "x", "ticket_queue_id": 11, "priority_id": "high"}),
            vec!["Priority is not included in the list"],
        ),
        (json!({"title": "x", "ticket_queue_id": 11, "user": {"first_name": "A"}}), vec!["User email can't be blank"]),
        (
            json!({"title": "x", "ticket_queue_id": 11, "user": {"email": "not-an-email"}}),
            vec!["User email is invalid"],
        ),
        (json!({"title": "x", "ticket_queue_id": 11, "assigned_to_id": 1001}), vec!["Assigned to is invalid"]),
        (json!({"title": "x", "ticket_queue_id": 11, "user_id": 424242}), vec!["User is invalid"]),
        (json!({"title": "x", "ticket_queue_id": 11, "ticket_type_id": 77}), vec!["Ticket type is invalid"]),
        (json!({"title": "x", "ticket_queue_id": 11, "due_on": "next tuesday"}), vec!["Due on is invalid"]),
        (
            json!({"title": "x", "ticket_queue_id": 11, "custom_field_department": "Space"}),
            vec!["Department is not included in the list"],
        ),
        (json!({"title": "x", "ticket_queue_id": 11, "custom_field_floor": "third"}), vec!["Floor is not a number"]),
        (
            json!({"title": "t".repeat(256), "ticket_queue_id": 11}),
            vec!["Title is too long (maximum is 255 characters)"],
        ),
    ];
    let before = s.db_count("SELECT COUNT(*) FROM tickets");
    for (body, messages) in cases {
        let (st, got) = s.json(Method::POST, "/tickets", &k, body.clone()).await;
        assert_eq!((st, got), (StatusCode::UNPROCESSABLE_ENTITY, validation(&messages)), "{body}");
    }
    assert_eq!(s.db_count("SELECT COUNT(*) FROM tickets"), before, "nothing created");
    s.stop().await;
}

#[tokio::test]
async fn malformed_bodies_are_4xx_never_500() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let raw = |method: Method, path: &str, ctype: &str, body: Vec<u8>| {
        s.client.request(method, s.keyed(path, &k)).header("content-type", ctype).body(body)
    };
    let bad_request = json!({"error": "bad request"});
    for body in [&b"{\"title\": \"x\", "[..], b"{", b"not json", b"{\"a\":}", b"\xff\xfe"] {
        let (st, v) =
            read(raw(Method::POST, "/tickets", "application/json", body.to_vec()).send().await.unwrap()).await;
        assert_eq!((st, &v), (StatusCode::BAD_REQUEST, &bad_request));
        let (st, _) =
            read(raw(Method::PUT, "/tickets/10001", "application/json", body.to_vec()).send().await.unwrap()).await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
    }
    // Wrong types: objects where scalars belong are dropped (Rails' strong parameters).
    let (st, v) = s.json(Method::POST, "/tickets", &k, json!({"title": {}, "ticket_queue_id": [1]})).await;
    assert_eq!(
        (st, v),
        (StatusCode::UNPROCESSABLE_ENTITY, validation(&["Title can't be blank", "Ticket queue can't be blank"]))
    );
    let (st, v) = s.json(Method::POST, "/tickets", &k, json!([1, 2, 3])).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (st, v) = s.json(Method::POST, "/tickets", &k, json!("just a string")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (st, t) = s
        .json(Method::PUT, "/tickets/10001", &k, json!({"status_id": [60], "title": {"a": 1}, "priority_id": true}))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{t}");
    let (st, t) = s.json(Method::PUT, "/tickets/10001", &k, json!({"status_id": [60], "title": {"a": 1}})).await;
    assert_eq!(st, StatusCode::OK, "ignored: {t}");
    // Huge strings: a long description is fine up to the limit, then 422; a body past the
    // limit is 413.
    let (st, t) = s
        .json(
            Method::POST,
            "/tickets",
            &k,
            json!({"title": "Big", "ticket_queue_id": 11, "description": "d".repeat(200_000)}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(t["description"].as_str().unwrap().len(), 200_000);
    let (st, v) = s
        .json(
            Method::POST,
            "/tickets",
            &k,
            json!({"title": "Big", "ticket_queue_id": 11, "description": "d".repeat(1_000_001)}),
        )
        .await;
    assert_eq!(
        (st, v),
        (StatusCode::UNPROCESSABLE_ENTITY, validation(&["Description is too long (maximum is 1000000 characters)"]))
    );
    let (st, _) =
        s.json(Method::POST, "/tickets", &k, json!({"title": "x".repeat(100_000), "ticket_queue_id": 11})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, _) =
        read(raw(Method::POST, "/tickets", "application/json", vec![b' '; 26 * 1024 * 1024]).send().await.unwrap())
            .await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    // Broken multipart and odd encodings.
    let (st, v) = read(
        raw(
            Method::POST,
            "/tickets",
            "multipart/form-data; boundary=XYZ",
            b"--XYZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nunterminated".to_vec(),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!((st, v), (StatusCode::BAD_REQUEST, bad_request.clone()));
    let (st, _) =
        read(raw(Method::POST, "/tickets", "multipart/form-data", b"garbage".to_vec()).send().await.unwrap()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, v) = read(
        raw(
            Method::POST,
            "/tickets",
            "application/x-www-form-urlencoded",
            b"title=%ff%fe%&ticket_queue_id=11&%%%=1".to_vec(),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    // Garbage in the query string never fails a read.
    for q in
        ["page=%zz", "per_page=1e9", "sort_by=;DROP TABLE tickets", "sort_order=sideways", "page=99999999999999999999"]
    {
        let (st, _) = s.get(&format!("/tickets?{q}"), &k).await;
        assert_eq!(st, StatusCode::OK, "{q}");
    }
    assert!(s.db_count("SELECT COUNT(*) FROM tickets") > 2000);
    s.stop().await;
}

// ---------------------------------------------------------------- tickets

#[tokio::test]
async fn create_show_update_delete_round_trip() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let input = json!({
        "title": "Projector not turning on",
        "description": "<p>Room B projector shows no power light.</p>",
        "ticket_queue_id": "12",
        "priority_id": "20",
        "status_id": 20,
        "ticket_type_id": "1",
        "assigned_to_id": "11",
        "ticket_form_id": 3,
        "user": {"email": "Sam.Sample@Example.org", "first_name": "Sam", "last_name": "Sample"},
        "cc": "watcher@example.com",
        "due_on": "2030-03-06T17:00:00Z",
        "scheduled_on": "2030-03-05T09:30:00.000Z",
        "asset_tag": "PR-00042",
        "custom_field_location": "Building B, Room 12",
        "custom_field_floor": "2",
        "custom_field_facilities_category": "electrical",
        "custom_field_unknown": "ignored",
        "suppress_user_notification": "true",
        "not_a_field": 1,
    });
    let (st, created) = s.json(Method::POST, "/tickets", &k, input).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert!(id > 12_400);
    let expect = |t: &Value| {
        assert_eq!(t["title"], "Projector not turning on");
        assert_eq!(t["description"], "<p>Room B projector shows no power light.</p>");
        assert_eq!(t["ticket_queue_id"], 12);
        assert_eq!(t["priority_id"], 20);
        assert_eq!(t["status_id"], 20);
        assert_eq!(t["ticket_type_id"], 1);
        assert_eq!(t["assigned_to_id"], 11);
        assert_eq!(t["ticket_form_id"], 3);
        assert_eq!(t["created_from"], 3);
        assert_eq!(t["cc"], "watcher@example.com");
        assert_eq!(t["due_on"], "2030-03-06T17:00:00.000Z");
        assert_eq!(t["scheduled_on"], "2030-03-05T09:30:00.000Z");
        assert_eq!(t["asset_tag"], "PR-00042");
        assert_eq!(t["company_id"], Value::Null);
        assert_eq!(t["rating"], Value::Null);
        assert_eq!(t["solved_on"], Value::Null);
        assert_eq!(t["tag_ids"], json!([]));
        assert_eq!(t["tags"], json!([]));
        assert_eq!(t["custom_field_location"], "Building B, Room 12");
        assert_eq!(t["custom_field_floor"], "2");
        assert_eq!(t["custom_field_facilities_category"], "Electrical");
        assert!(t.get("custom_field_unknown").is_none());
        assert!(t.get("not_a_field").is_none());
        let values: BTreeSet<(String, String)> = t["custom_field_values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["name"].as_str().unwrap().to_string(), v["value"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(values.len(), 3);
        assert!(values.contains(&("custom_field_facilities_category".into(), "Electrical".into())));
        let types: Vec<&str> =
            t["custom_field_types"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert_eq!(types, ["custom_field_facilities_category", "custom_field_location", "custom_field_floor"]);
        assert_eq!(t["custom_field_types"][2]["type_name"], "Numeric");
        assert_eq!(t["ticket_type"], json!({"id": 1, "name": "Incident"}));
        assert_eq!(t["ticket_queue"]["name"], "Facilities");
        assert_eq!(t["related_data"]["ticket_queue"], json!({"id": 12, "name": "Facilities"}));
        assert_eq!(t["related_data"]["user"]["email"], "Sam.Sample@Example.org");
        assert_eq!(t["related_data"]["user"]["full_name"], "Sam Sample");
        assert_eq!(t["related_data"]["assignee_user"]["full_name"], "Noah Fischer");
        assert_eq!(t["related_data"]["company"], Value::Null);
        assert_eq!(t["related_data"]["ticket_type_name"], "Incident");
        assert_eq!(t["time_tracking_unit"], json!({"id": 1, "name": "Minutes"}));
        assert_eq!(t["all_comments"], json!([]));
        assert_eq!(t["tasks"], json!([]));
        assert!(
            t["potential_assignees"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == &json!({"id": 11, "name": "Noah Fischer"}))
        );
        for f in ["created_on", "updated_on", "status_changed_on", "assigned_on", "first_assigned_on"] {
            assert!(is_iso_millis(&t[f]), "{f}: {}", t[f]);
        }
    };
    expect(&created);
    let requester = created["user_id"].as_i64().unwrap();
    assert!(requester > 1000, "a new requester was created");
    let (st, shown) = s.get(&format!("/tickets/{id}"), &k).await;
    assert_eq!(st, StatusCode::OK);
    expect(&shown);
    assert_eq!(shown, created);
    let (_, user) = s.get(&format!("/users/{requester}"), &k).await;
    assert_eq!(user["email"], "Sam.Sample@Example.org");
    assert_eq!(user["role_id"], 10);
    // The same e-mail links to the same user.
    let (_, again) = s
        .json(
            Method::POST,
            "/tickets",
            &k,
            json!({"title": "Again", "ticket_queue_id": 12, "user": {"email": "sam.sample@example.org"}}),
        )
        .await;
    assert_eq!(again["user_id"], requester);

    // Update: partial, unknown keys ignored, bookkeeping timestamps follow.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (st, up) = s
        .json(Method::PUT, &format!("/tickets/{id}"), &k, json!({"status_id": "50", "assignee_id": 6, "assigned_to_id": 13, "custom_field_floor": null, "due_on": ""}))
        .await;
    assert_eq!(st, StatusCode::OK, "{up}");
    assert_eq!(up["title"], "Projector not turning on");
    assert_eq!(up["status_id"], 50);
    assert_eq!(up["assigned_to_id"], 13);
    assert_eq!(up["due_on"], Value::Null);
    assert!(up.get("custom_field_floor").is_none());
    assert_ne!(up["updated_on"], created["updated_on"]);
    assert_eq!(up["solved_on"], up["updated_on"]);
    assert_eq!(up["status_changed_on"], up["updated_on"]);
    assert_eq!(up["assigned_on"], up["updated_on"]);
    assert_eq!(up["first_assigned_on"], created["first_assigned_on"]);
    // Only unknown keys: nothing changes, not even updated_on.
    let (st, same) = s.json(Method::PATCH, &format!("/tickets/{id}"), &k, json!({"assignee_id": 6})).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(same, up);
    // PATCH is a partial update too; reopening clears solved_on.
    let (st, p) = s
        .json(
            Method::PATCH,
            &format!("/tickets/{id}"),
            &k,
            json!({"title": "Projector fixed?", "status_id": 20, "assigned_to_id": null}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(p["title"], "Projector fixed?");
    assert_eq!(p["solved_on"], Value::Null);
    assert_eq!(p["assigned_to_id"], Value::Null);
    assert_eq!(p["related_data"]["assignee_user"], Value::Null);
    // Validation on update.
    let (st, v) =
        s.json(Method::PUT, &format!("/tickets/{id}"), &k, json!({"title": "", "ticket_queue_id": 999})).await;
    assert_eq!(
        (st, v),
        (StatusCode::UNPROCESSABLE_ENTITY, validation(&["Title can't be blank", "Ticket queue is invalid"]))
    );

    // Delete: empty 200, then gone everywhere.
    let res = s.client.delete(s.keyed(&format!("/tickets/{id}"), &k)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "");
    let (st, body) = s.get(&format!("/tickets/{id}"), &k).await;
    assert_eq!((st, body), (StatusCode::NOT_FOUND, message_body("Record not found")));
    assert_eq!(s.json(Method::DELETE, &format!("/tickets/{id}"), &k, Value::Null).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        s.json(Method::PUT, &format!("/tickets/{id}"), &k, json!({"title": "x"})).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, first_page) = s.get("/tickets", &k).await;
    assert!(!ids(&first_page).contains(&id));
    s.stop().await;
}

#[tokio::test]
async fn create_defaults_requester_and_form() {
    let s = Server::demo().await;
    let (st, t) =
        s.json(Method::POST, "/tickets", &s.keys.agent, json!({"title": "Minimal", "ticket_queue_id": 8 + 3})).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(t["user_id"], 5, "the caller (Jordan Lee) is the requester");
    assert_eq!(t["status_id"], 10);
    assert_eq!(t["priority_id"], 30);
    assert_eq!(t["ticket_form_id"], 1, "the default form");
    assert_eq!(t["created_from"], 3);
    assert_eq!(t["description"], Value::Null);
    assert_eq!(t["assigned_to_id"], Value::Null);
    assert_eq!(t["created_on"], t["updated_on"]);
    // A requester by id brings the group along.
    let (_, t) = s
        .json(
            Method::POST,
            "/tickets",
            &s.keys.agent,
            json!({"title": "For a client", "ticket_queue_id": 11, "user_id": "1001"}),
        )
        .await;
    assert_eq!(t["user_id"], 1001);
    assert_eq!(t["company_id"], 101);
    assert_eq!(t["related_data"]["company"]["id"], 101);
    s.stop().await;
}

#[tokio::test]
async fn urlencoded_and_multipart_with_string_ids_and_booleans() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let res = s
        .client
        .post(s.keyed("/tickets", &k))
        .form(&[
            ("title", "Wi-Fi down in Suite 210"),
            ("description", "Line one\nLine two"),
            ("ticket_queue_id", "15"),
            ("priority_id", "10"),
            ("status_id", "20"),
            ("assigned_to_id", "9"),
            ("user[email]", "form.user@example.net"),
            ("suppress_user_notification", "true"),
            ("custom_field_department", "Sales"),
        ])
        .send()
        .await
        .unwrap();
    let (st, t) = read(res).await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    assert_eq!(t["description"], "Line one\nLine two");
    assert_eq!(
        (t["ticket_queue_id"].clone(), t["priority_id"].clone(), t["assigned_to_id"].clone()),
        (json!(15), json!(10), json!(9))
    );
    assert_eq!(t["related_data"]["user"]["email"], "form.user@example.net");
    assert_eq!(t["custom_field_department"], "Sales");
    // Updates take forms as well.
    let res = s
        .client
        .put(s.keyed(&format!("/tickets/{}", t["id"]), &k))
        .form(&[("status_id", "60"), ("assigned_to_id", "")])
        .send()
        .await
        .unwrap();
    let (st, u) = read(res).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(u["status_id"], 60);
    assert_eq!(u["assigned_to_id"], Value::Null);
    assert!(is_iso_millis(&u["solved_on"]));

    // Multipart with files (the README's create-with-attachments example).
    let form = multipart::Form::new()
        .text("title", "Scanner error log")
        .text("ticket_queue_id", "11")
        .text("priority_id", "30")
        .text("user[email]", "multi.part@example.net")
        .text("suppress_user_notification", "false")
        .text("attachment[1][filename]", "renamed.log")
        .part(
            "attachment[0][content]",
            multipart::Part::bytes(b"hello".to_vec()).file_name("note.txt").mime_str("text/plain").unwrap(),
        )
        .part("attachment[1][content]", multipart::Part::bytes(vec![0u8; 2048]).file_name("dump.bin"))
        .part("attachment[2][content]", multipart::Part::bytes(vec![1, 2, 3]).file_name("C:\\temp\\shot.png"));
    let (st, t) = read(s.client.post(s.keyed("/tickets", &k)).multipart(form).send().await.unwrap()).await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    let atts = t["attachments"].as_array().unwrap();
    let summary: Vec<(String, String, i64)> = atts
        .iter()
        .map(|a| {
            (
                a["filename"].as_str().unwrap().into(),
                a["content_type"].as_str().unwrap().into(),
                a["content_size"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("note.txt".into(), "text/plain".into(), 5),
            ("renamed.log".into(), "text/plain".into(), 2048),
            ("shot.png".into(), "image/png".into(), 3),
        ]
    );
    assert!(
        atts.iter().all(|a| a["ticket_id"] == t["id"] && a["created_by_user_id"] == 5 && a["comment_id"].is_null())
    );
    assert_eq!(t["staff_only_attachments"], json!([]));
    s.stop().await;
}

#[tokio::test]
async fn closing_with_unfinished_tasks_is_422() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let id: i64 = s
        .state
        .lock()
        .query_row(
            "SELECT k.ticket_id FROM tasks k JOIN tickets t ON t.id = k.ticket_id
         WHERE k.is_completed = 0 AND t.status_id < 50 ORDER BY k.ticket_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let (_, t) = s.get(&format!("/tickets/{id}"), &k).await;
    let open: Vec<&Value> = t["tasks"].as_array().unwrap().iter().filter(|x| x["is_completed"] == false).collect();
    assert!(!open.is_empty());
    assert!(open.iter().all(|x| x["ticket_id"] == id && x["account_id"].is_i64() && is_iso_millis(&x["created_on"])));
    let (st, body) = s.json(Method::PUT, &format!("/tickets/{id}"), &k, json!({"status_id": 60})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = body["messages"][0].as_str().unwrap();
    assert!(msg.starts_with("Ticket cannot be closed while it has") && msg.contains("unfinished task"), "{msg}");
    assert_eq!(body["message"], format!("Validation failed: {msg}"));
    // Solving is allowed; closing works once every task is done.
    assert_eq!(s.json(Method::PUT, &format!("/tickets/{id}"), &k, json!({"status_id": 50})).await.0, StatusCode::OK);
    s.state.lock().execute("UPDATE tasks SET is_completed = 1 WHERE ticket_id = ?1", [id]).unwrap();
    let (st, t) = s.json(Method::PUT, &format!("/tickets/{id}"), &k, json!({"status_id": 60})).await;
    assert_eq!((st, t["status_id"].clone()), (StatusCode::OK, json!(60)));
    s.stop().await;
}

#[tokio::test]
async fn paging_edges() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let (_, default) = s.get("/tickets", &k).await;
    assert_eq!(default.as_array().unwrap().len(), 30);
    let (_, p1) = s.get("/tickets?page=1", &k).await;
    assert_eq!(p1, default);
    for q in ["page=0", "page=-4", "page=abc", "page=", "per_page=0&page=0", "per_page=abc", "per_page=-5"] {
        let (st, v) = s.get(&format!("/tickets?{q}"), &k).await;
        assert_eq!((st, &v), (StatusCode::OK, &default), "{q}");
    }
    let (_, big) = s.get("/tickets?per_page=1000", &k).await;
    assert_eq!(big.as_array().unwrap().len(), 100);
    let (_, hundred) = s.get("/tickets?per_page=100", &k).await;
    assert_eq!(big, hundred);
    let (_, p2) = s.get("/tickets?page=2&per_page=30", &k).await;
    let (_, sixty) = s.get("/tickets?per_page=60", &k).await;
    let mut joined = ids(&default);
    joined.extend(ids(&p2));
    assert_eq!(joined, ids(&sixty));
    let (st, past) = s.get("/tickets?page=1000", &k).await;
    assert_eq!((st, past), (StatusCode::OK, json!([])));
    let (_, past) = s.get("/tickets?page=25&per_page=100", &k).await;
    assert_eq!(past, json!([]), "2,400 tickets fill 24 pages of 100");
    let (_, last) = s.get("/tickets?page=24&per_page=100", &k).await;
    assert_eq!(last.as_array().unwrap().len(), 100);
    // Other paged lists.
    let (_, users) = s.get("/users", &k).await;
    assert_eq!(users.as_array().unwrap().len(), 30);
    let (_, users) = s.get("/users?per_page=500", &k).await;
    assert_eq!(users.as_array().unwrap().len(), 100);
    let (_, none) = s.get("/users?page=99", &k).await;
    assert_eq!(none, json!([]));
    let (_, groups) = s.get("/groups?per_page=5&page=2", &k).await;
    assert_eq!(ids(&groups), vec![106, 107, 108, 109, 110]);
    let (_, queues) = s.get("/ticket_queues?per_page=2&page=0", &k).await;
    assert_eq!(ids(&queues), vec![11, 12]);
    s.stop().await;
}

#[tokio::test]
async fn sorting() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    // Default: id descending.
    let (_, v) = s.get("/tickets?per_page=100", &k).await;
    let list = ids(&v);
    assert_eq!(list[0], 12_400);
    assert!(list.windows(2).all(|w| w[0] > w[1]));
    for q in ["sort_by=nope", "sort_by=id&sort_order=desc", "sort_order=DESC", "sort_order=weird"] {
        let (_, other) = s.get(&format!("/tickets?per_page=100&{q}"), &k).await;
        assert_eq!(ids(&other), list, "{q}");
    }
    let (_, asc) = s.get("/tickets?per_page=5&sort_by=id&sort_order=asc", &k).await;
    assert_eq!(ids(&asc), vec![10_001, 10_002, 10_003, 10_004, 10_005]);

    let field = |v: &Value, f: &str| -> Vec<Value> { v.as_array().unwrap().iter().map(|t| t[f].clone()).collect() };
    let (_, created_asc) = s.get("/tickets?per_page=100&sort_by=created_on&sort_order=asc", &k).await;
    let times: Vec<String> =
        field(&created_asc, "created_on").iter().map(|t| t.as_str().unwrap().to_string()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "created_on asc");
    let (_, status_asc) = s.get("/tickets?per_page=100&sort_by=status_id&sort_order=asc", &k).await;
    let rows: Vec<(i64, i64)> = status_asc
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["status_id"].as_i64().unwrap(), t["id"].as_i64().unwrap()))
        .collect();
    assert_eq!(rows[0].0, 10);
    assert!(rows.windows(2).all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 > w[1].1)), "ties by id desc");
    let (_, status_desc) = s.get("/tickets?per_page=100&sort_by=status_id", &k).await;
    assert!(field(&status_desc, "status_id").iter().all(|x| x == 60));
    // Every page of status asc together is non-decreasing.
    let mut prev = 0;
    for page in 1..=24 {
        let (_, v) = s.get(&format!("/tickets?per_page=100&page={page}&sort_by=status_id&sort_order=asc"), &k).await;
        for st in field(&v, "status_id") {
            let st = st.as_i64().unwrap();
            assert!(st >= prev);
            prev = st;
        }
    }
    assert_eq!(prev, 60);
    // NULLs last in both orders.
    for order in ["asc", "desc"] {
        let (_, first) = s.get(&format!("/tickets?per_page=100&sort_by=due_on&sort_order={order}"), &k).await;
        assert!(field(&first, "due_on").iter().all(|d| !d.is_null()), "{order}: non-null first");
        let (_, last) = s.get(&format!("/tickets?per_page=100&page=24&sort_by=due_on&sort_order={order}"), &k).await;
        assert!(field(&last, "due_on").iter().all(Value::is_null), "{order}: null last");
        let (_, r) = s.get(&format!("/tickets?per_page=100&sort_by=rating&sort_order={order}"), &k).await;
        let ratings: Vec<i64> = field(&r, "rating").iter().map(|x| x.as_i64().unwrap()).collect();
        if order == "asc" {
            assert_eq!(ratings[0], 20);
            assert!(ratings.windows(2).all(|w| w[0] <= w[1]));
        } else {
            assert_eq!(ratings[0], 100);
            assert!(ratings.windows(2).all(|w| w[0] >= w[1]));
        }
    }
    let (_, titles) = s.get("/tickets?per_page=100&sort_by=title&sort_order=asc", &k).await;
    let t: Vec<String> = field(&titles, "title").iter().map(|x| x.as_str().unwrap().to_lowercase()).collect();
    assert!(t.windows(2).all(|w| w[0] <= w[1]), "title asc, case-insensitive");
    // Every documented field is accepted.
    for f in mojo_api::ticket::SORT_FIELDS {
        let (st, v) = s.get(&format!("/tickets?per_page=10&sort_by={f}&sort_order=asc"), &k).await;
        assert_eq!((st, v.as_array().unwrap().len()), (StatusCode::OK, 10), "{f}");
    }
    s.stop().await;
}

#[tokio::test]
async fn list_items_and_full_tickets_have_the_documented_shape() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let (_, v) = s.get("/tickets?per_page=100&page=3", &k).await;
    let want: BTreeSet<&str> = LIST_FIELDS.into_iter().collect();
    for t in v.as_array().unwrap() {
        let keys: BTreeSet<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, want);
        for f in ["created_on", "updated_on"] {
            assert!(is_iso_millis(&t[f]), "{f}: {}", t[f]);
        }
        for f in ["rated_on", "status_changed_on", "solved_on", "first_assigned_on", "due_on", "scheduled_on"] {
            assert!(t[f].is_null() || is_iso_millis(&t[f]), "{f}: {}", t[f]);
        }
        assert!(t["tag_ids"].as_array().unwrap().iter().all(Value::is_i64));
        assert!((0..=5).contains(&t["created_from"].as_i64().unwrap()));
    }
    // A solved, rated ticket with comments, shown in full.
    let all = s.all_tickets(&k).await;
    let rated = all
        .iter()
        .find(|t| t["rating"].is_i64() && t["status_id"] == 60 && !t["tag_ids"].as_array().unwrap().is_empty())
        .unwrap();
    let (st, full) = s.get(&format!("/tickets/{}", rated["id"]), &k).await;
    assert_eq!(st, StatusCode::OK);
    for f in LIST_FIELDS.iter().chain(FULL_EXTRA_FIELDS.iter()) {
        assert!(full.get(*f).is_some(), "missing {f}");
    }
    for f in LIST_FIELDS {
        assert_eq!(full[f], rated[f], "{f} same in list and show");
    }
    let tags = full["tags"].as_array().unwrap();
    assert_eq!(tags.iter().map(|t| t["id"].clone()).collect::<Vec<_>>(), rated["tag_ids"].as_array().unwrap().clone());
    assert!(tags.iter().all(|t| t["label"].is_string() && t["color"].as_str().unwrap().starts_with('#')));
    let comments = full["all_comments"].as_array().unwrap();
    assert!(comments.len() >= 2);
    for c in comments {
        assert_eq!(c["ticket_id"], rated["id"]);
        assert_eq!(c["is_private"], false);
        assert_eq!(c["related_data"]["user"]["id"], c["user_id"]);
        assert!(c["related_data"]["user"]["full_name"].is_string());
        assert!(is_iso_millis(&c["created_on"]));
    }
    assert!(is_iso_millis(&full["first_commented_on"]));
    assert!(full["time_to_first_comment"].as_i64().unwrap() > 0);
    assert!(full["solved_on"].as_str() <= full["updated_on"].as_str());
    assert!([20, 40, 60, 80, 100].contains(&full["rating"].as_i64().unwrap()));
    let rd = &full["related_data"];
    assert_eq!(rd["user"]["id"], full["user_id"]);
    assert!(rd["user"]["email"].as_str().unwrap().contains('@'));
    assert_eq!(rd["ticket_queue"]["id"], full["ticket_queue_id"]);
    assert_eq!(full["ticket_queue"]["id"], full["ticket_queue_id"]);
    assert!(full["potential_assignees"].as_array().unwrap().len() >= 12);
    // Custom fields: the list and the top-level keys say the same.
    let with_fields = all
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .find(|id| s.db_count(&format!("SELECT COUNT(*) FROM ticket_field_values WHERE ticket_id = {id}")) >= 2)
        .unwrap();
    let (_, t) = s.get(&format!("/tickets/{with_fields}"), &k).await;
    let values = t["custom_field_values"].as_array().unwrap();
    assert!(values.len() >= 2);
    for v in values {
        let name = v["name"].as_str().unwrap();
        assert!(name.starts_with("custom_field_"));
        assert_eq!(t[name], v["value"]);
    }
    assert!(!t["custom_field_types"].as_array().unwrap().is_empty());
    s.stop().await;
}

// ---------------------------------------------------------------- other resources

#[tokio::test]
async fn users_groups_queues_tags_types() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let (_, users) = s.get("/users?per_page=100", &k).await;
    let first = &users[0];
    assert_eq!(first["id"], 1);
    assert_eq!(first["full_name"], "Dana Whitfield");
    assert_eq!(first["role_id"], 40);
    assert!(users.as_array().unwrap().iter().all(|u| u["access_key"].is_null() && u.get("related_data").is_none()));
    assert!(is_iso_millis(&first["created_on"]));
    let (_, by_created) = s.get("/users?per_page=100&sort_by=created_on&sort_order=desc", &k).await;
    let times: Vec<&str> = by_created.as_array().unwrap().iter().map(|u| u["created_on"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    let (st, jordan) = s.get("/users/5", &k).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(jordan["email"], "jordan.lee@brightpath.example");
    assert_eq!(jordan["access_key"], Value::Null);
    assert_eq!(jordan["related_data"]["role_name"], "Agent");
    assert_eq!(jordan["related_data"]["can_access_all_queues"], true);
    assert_eq!(jordan["related_data"]["teams"], json!([{"id": 1, "name": "Service Desk"}]));
    assert_eq!(jordan["related_data"]["accessible_queues"].as_array().unwrap().len(), 7);
    let (_, customer) = s.get("/users/1001", &k).await;
    assert_eq!(customer["role_id"], 10);
    assert_eq!(customer["company_id"], 101);
    assert_eq!(customer["related_data"]["company"]["name"], "Northwind Logistics");
    assert_eq!(customer["related_data"]["accessible_queues"], json!([]));
    let (_, techs) = s.get("/users/techs?per_page=100", &k).await;
    let techs = techs.as_array().unwrap();
    assert!(techs.iter().all(|u| u["role_id"].as_i64().unwrap() >= 15 && u["related_data"]["full_name"].is_string()));
    assert_eq!(techs.len(), 20);
    let (_, techs_page) = s.get("/users/techs?per_page=5&page=2", &k).await;
    assert_eq!(ids(&techs_page), vec![6, 7, 8, 9, 10]);

    let (_, g) = s.get("/groups/101", &k).await;
    assert_eq!(g["name"], "Northwind Logistics");
    assert_eq!(g["city"], "Columbus");
    assert_eq!(g["zip"], "43219");
    assert_eq!(g["primary_contact_id"], 1001);
    assert_eq!(g["support_status_id"], 0);
    assert_eq!(g["support_start_date"].as_str().unwrap().len(), 10);
    let expected: BTreeSet<&str> = [
        "id",
        "name",
        "primary_contact_id",
        "billing_contact_id",
        "support_level_id",
        "support_status_id",
        "support_start_date",
        "support_end_date",
        "support_info_url",
        "address",
        "address2",
        "city",
        "state",
        "zip",
        "country",
        "website_url",
        "notes",
    ]
    .into_iter()
    .collect();
    assert_eq!(g.as_object().unwrap().keys().map(String::as_str).collect::<BTreeSet<_>>(), expected);

    let (_, tags) = s.get("/tags", &k).await;
    let tag_ids = ids(&tags);
    assert_eq!(tag_ids, (1..=20).collect::<Vec<_>>(), "whole list, id asc");
    let (_, desc) = s.get("/tags?sort_order=desc", &k).await;
    assert_eq!(ids(&desc)[0], 20);
    let (_, by_label) = s.get("/tags?sort_by=label", &k).await;
    assert_eq!(by_label[0]["label"], "access-card");
    let (_, paged) = s.get("/tags?per_page=5&page=2", &k).await;
    assert_eq!(ids(&paged), vec![6, 7, 8, 9, 10]);
    assert_eq!(tags[0], json!({"id": 1, "label": "vpn", "color": "#1f77b4"}));

    let (_, types) = s.get("/ticket_types", &k).await;
    assert_eq!(types.as_array().unwrap().len(), 7);
    let (_, queues) = s.get("/ticket_queues", &k).await;
    let names: Vec<&str> = queues.as_array().unwrap().iter().map(|q| q["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "IT Support",
            "Facilities",
            "HR Requests",
            "Billing",
            "Network & Infrastructure",
            "Software Licenses",
            "Onboarding"
        ]
    );
    s.stop().await;
}

#[tokio::test]
async fn seed_counts() {
    let s = Server::demo().await;
    let k = s.keys.manager.clone();
    let all = s.all_tickets(&k).await;
    assert_eq!(all.len(), 2400);
    let statuses: BTreeSet<i64> = all.iter().map(|t| t["status_id"].as_i64().unwrap()).collect();
    assert_eq!(statuses, [10, 20, 30, 40, 50, 60].into_iter().collect());
    let priorities: BTreeSet<i64> = all.iter().map(|t| t["priority_id"].as_i64().unwrap()).collect();
    assert_eq!(priorities, [10, 20, 30, 40].into_iter().collect());
    let queues: BTreeSet<i64> = all.iter().map(|t| t["ticket_queue_id"].as_i64().unwrap()).collect();
    assert!(queues.len() >= 6);
    let open = all.iter().filter(|t| t["status_id"].as_i64().unwrap() < 50).count();
    assert!((360..=480).contains(&open), "15–20% open: {open}");
    let ratings: Vec<i64> = all.iter().filter_map(|t| t["rating"].as_i64()).collect();
    assert!(ratings.len() > 200);
    assert!(ratings.iter().all(|r| (20..=100).contains(r) && r % 20 == 0));
    assert!(
        all.iter()
            .filter(|t| t["rating"].is_i64())
            .all(|t| t["status_id"].as_i64().unwrap() >= 50 && t["rated_on"].is_string())
    );
    let now = mojo_api::Timestamp::parse(&mojo_sandbox::json::iso(mojo_sandbox::json::now_ms())).unwrap();
    let overdue = all
        .iter()
        .filter(|t| {
            t["status_id"].as_i64().unwrap() < 50
                && t["due_on"].as_str().and_then(mojo_api::Timestamp::parse).is_some_and(|d| d < now)
        })
        .count();
    assert!(overdue > 10, "some open tickets are overdue: {overdue}");
    let oldest =
        all.iter().map(|t| mojo_api::Timestamp::parse(t["created_on"].as_str().unwrap()).unwrap()).min().unwrap();
    let days = (now.millis() - oldest.millis()) / 86_400_000;
    assert!((500..=560).contains(&days), "18 months back: {days}");
    assert!(all.iter().any(|t| t["description"].as_str().unwrap().contains("<table")));
    assert!(all.iter().any(|t| t["description"].as_str().unwrap().contains("\n\n")));

    let users = {
        let mut out = Vec::new();
        for page in 1.. {
            let (_, v) = s.get(&format!("/users?per_page=100&page={page}"), &k).await;
            let list = v.as_array().unwrap().clone();
            if list.is_empty() {
                break;
            }
            out.extend(list);
        }
        out
    };
    let role = |r: i64| users.iter().filter(|u| u["role_id"] == r).count();
    assert!(role(20) >= 12);
    assert!(role(30) >= 1 && role(40) == 1);
    assert!(role(10) >= 150);
    let emails: HashSet<&str> = users.iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(emails.len(), users.len(), "unique e-mails");
    let (_, groups) = s.get("/groups?per_page=100", &k).await;
    assert!(groups.as_array().unwrap().len() >= 12);
    let grouped: HashSet<i64> = users.iter().filter_map(|u| u["company_id"].as_i64()).collect();
    assert!(grouped.len() >= 12);
    let (_, tags) = s.get("/tags", &k).await;
    let tags = tags.as_array().unwrap();
    assert!(tags.len() >= 15);
    assert!(tags.iter().all(|t| {
        let c = t["color"].as_str().unwrap();
        c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
    }));
    let (_, types) = s.get("/ticket_types", &k).await;
    assert!(types.as_array().unwrap().len() >= 5);
    assert!(s.db_count("SELECT COUNT(*) FROM comments") > 2400);
    assert!(s.db_count("SELECT COUNT(*) FROM staff_notes") > 100);
    assert!(s.db_count("SELECT COUNT(*) FROM comments WHERE time_spent IS NOT NULL") > 500);
    s.stop().await;
}

#[tokio::test]
async fn keys_are_deterministic() {
    let a = Server::demo().await;
    let b = Server::demo().await;
    assert_eq!(a.keys, b.keys);
    let c = Server::start(Config::memory(7)).await;
    assert_ne!(a.keys.agent, c.keys.agent);
    let expected = mojo_sandbox::seed::keys_for_seed(DEFAULT_SEED);
    assert_eq!(a.keys.owner, expected[0]);
    assert_eq!(a.keys.manager, expected[2]);
    assert_eq!(a.keys.agent, expected[4]);
    for key in [&a.keys.owner, &a.keys.manager, &a.keys.agent, &a.keys.read_only, &a.keys.customer, &a.keys.expired] {
        assert_eq!(key.len(), 40);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    // And every one of them does what its name says.
    assert_eq!(a.get("/tickets?per_page=1", &a.keys.owner).await.0, StatusCode::OK);
    assert_eq!(a.get("/users/3", &a.keys.manager).await.1["role_id"], 30);
    for s in [a, b, c] {
        s.stop().await;
    }
}

// ---------------------------------------------------------------- transport

#[tokio::test]
async fn cors_preflight_and_headers() {
    let s = Server::demo().await;
    let res = s
        .client
        .request(Method::OPTIONS, s.url("/tickets"))
        .header("Origin", "http://localhost:8081")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type, x-requested-with")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], "http://localhost:8081");
    assert_eq!(h["access-control-allow-methods"], "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    assert_eq!(h["access-control-allow-headers"], "content-type, x-requested-with");
    assert_eq!(h["access-control-max-age"], "600");
    // No key needed, any path, and sensible defaults without request headers.
    for path in ["/api/v2/nothing/here", "/api/v2/tickets/10001", "/"] {
        let res = s.client.request(Method::OPTIONS, format!("{}{path}", s.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{path}");
        assert_eq!(res.headers()["access-control-allow-origin"], "*");
        assert_eq!(res.headers()["access-control-allow-headers"], "content-type, accept");
    }
    // Every answer, errors included, names the origin and is UTF-8 JSON.
    for (path, status) in [("/tickets?per_page=1", 200), ("/tickets/999999", 404), ("/users/0", 400)] {
        let res =
            s.client.get(s.keyed(path, &s.keys.agent)).header("Origin", "http://example.test").send().await.unwrap();
        assert_eq!(res.status().as_u16(), status);
        assert_eq!(res.headers()["access-control-allow-origin"], "http://example.test");
        assert_eq!(res.headers()["content-type"], "application/json; charset=utf-8");
    }
    let res = s.client.get(s.url("/tickets")).send().await.unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert_eq!(res.headers()["content-type"], "application/json; charset=utf-8");
    s.stop().await;
}

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = temp_dir("restart");
    let db = dir.join("nested").join("demo.sqlite3");
    let first = Server::start(Config::file(&db, DEFAULT_SEED)).await;
    let keys = first.keys.clone();
    let (st, t) = first
        .json(
            Method::POST,
            "/tickets",
            &keys.agent,
            json!({"title": "Remember me", "ticket_queue_id": 14, "custom_field_invoice_number": "INV-1"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let id = t["id"].as_i64().unwrap();
    let (st, _) =
        first.json(Method::PUT, "/tickets/10002", &keys.agent, json!({"title": "Renamed before restart"})).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(first.json(Method::DELETE, "/tickets/10003", &keys.agent, Value::Null).await.0, StatusCode::OK);
    first.stop().await;

    // A different seed on restart does not reseed or change anything.
    let second = Server::start(Config::file(&db, 999)).await;
    assert_eq!(second.keys, keys);
    let (st, again) = second.get(&format!("/tickets/{id}"), &keys.agent).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(again, t);
    assert_eq!(second.get("/tickets/10002", &keys.agent).await.1["title"], "Renamed before restart");
    assert_eq!(second.get("/tickets/10003", &keys.agent).await.0, StatusCode::NOT_FOUND);
    assert_eq!(second.db_count("SELECT COUNT(*) FROM tickets"), 2401);
    assert_eq!(second.db_count("SELECT COUNT(*) FROM users WHERE role_id >= 15"), 20);
    assert_eq!(second.all_tickets(&keys.agent).await.len(), 2400, "2,401 minus the deleted one");
    second.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn serves_a_static_app_beside_the_api() {
    let dir = temp_dir("static");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>dash</title>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    let s = Server::start_with_static(Config::memory(DEFAULT_SEED), Some(dir.clone())).await;
    let get = |path: &str| s.client.get(format!("{}{path}", s.base)).send();
    let res = get("/").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("<title>dash</title>"));
    let res = get("/app.js").await.unwrap();
    assert_eq!(res.text().await.unwrap(), "console.log(1)");
    let res = get("/tickets/10001/some/client/route").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("dash"), "SPA fallback");
    let (st, body) = read(get("/api/v2/unknown").await.unwrap()).await;
    assert_eq!((st, body), (StatusCode::NOT_FOUND, message_body("Not found")));
    let (st, _) = s.get("/tickets?per_page=1", &s.keys.agent).await;
    assert_eq!(st, StatusCode::OK);
    s.stop().await;
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_lives_on() {
    use axum::routing::get;
    async fn boom() -> &'static str {
        if std::hint::black_box(true) {
            panic!("deliberate test panic");
        }
        "unreachable"
    }
    let app =
        mojo_sandbox::harden(axum::Router::new().route("/boom", get(boom)).route("/ok", get(|| async { "fine" })));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = Client::new();
    for _ in 0..3 {
        let res = client.get(format!("{base}/boom")).header("Origin", "http://o.test").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(res.headers()["access-control-allow-origin"], "http://o.test");
        assert_eq!(res.headers()["content-type"], "application/json; charset=utf-8");
        assert_eq!(res.json::<Value>().await.unwrap(), json!({"error": "Internal server error"}));
    }
    let res = client.get(format!("{base}/ok")).send().await.unwrap();
    assert_eq!(res.text().await.unwrap(), "fine");
    server.abort();
}

// ---------------------------------------------------------------- hostile input

/// Sends raw bytes over TCP and returns the whole answer (the request should ask the server to
/// close the connection, or be one that hyper refuses, after which it closes).
async fn raw_http(base: &str, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut out = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), stream.read_to_end(&mut out)).await;
    assert!(read.is_ok(), "the server did not close the connection: {}", String::from_utf8_lossy(&out));
    String::from_utf8_lossy(&out).into_owned()
}

/// Status, lower-cased headers and body of a raw answer.
fn split_answer(raw: &str) -> (u16, String, String) {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no head: {raw:?}"));
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("status: {head}"));
    (status, head.to_ascii_lowercase(), body.to_string())
}

#[tokio::test]
async fn deeply_nested_parameters_are_400_and_the_server_lives_on() {
    let s = Server::demo().await;
    let deep_key = format!("a{}", "[b]".repeat(10_000));
    let too_deep = json!({"error": "bad request: parameters are nested too deeply (at most 32 levels)"});
    // Query string, no key (this aborted the whole process with a stack overflow).
    let (st, v) = read(s.client.get(format!("{}?{deep_key}=1", s.url("/tags"))).send().await.unwrap()).await;
    assert_eq!((st, &v), (StatusCode::BAD_REQUEST, &too_deep));
    // Just past the limit is refused too; just within it is fine.
    let (st, _) = s.get(&format!("/tags?a{}=1", "[b]".repeat(32)), &s.keys.agent).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, _) = s.get(&format!("/tags?a{}=1", "[b]".repeat(31)), &s.keys.agent).await;
    assert_eq!(st, StatusCode::OK);
    // urlencoded body.
    let res = s
        .client
        .post(s.url("/tickets"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{deep_key}=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(read(res).await, (StatusCode::BAD_REQUEST, too_deep.clone()));
    // A multipart field name.
    let form = multipart::Form::new().text(deep_key.clone(), "1").text("title", "x");
    let (st, v) = read(s.client.post(s.keyed("/tickets", &s.keys.agent)).multipart(form).send().await.unwrap()).await;
    assert_eq!((st, v), (StatusCode::BAD_REQUEST, too_deep.clone()));
    // JSON nested 100,000 deep, declared or not: 400, never a crash.
    for body in [
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000)),
    ] {
        for ctype in [Some("application/json"), None] {
            let mut req = s.client.post(s.keyed("/tickets", &s.keys.agent)).body(body.clone());
            if let Some(c) = ctype {
                req = req.header("content-type", c);
            }
            let (st, v) = read(req.send().await.unwrap()).await;
            assert_eq!((st, v), (StatusCode::BAD_REQUEST, json!({"error": "bad request"})), "{ctype:?}");
        }
    }
    // Still serving.
    assert_eq!(s.get("/tickets?per_page=1", &s.keys.agent).await.0, StatusCode::OK);
    s.stop().await;
}

#[tokio::test]
async fn queue_restrictions_hold_for_writes_and_for_queue_show() {
    let s = Server::demo().await;
    // Kevin Doyle (role 15) sees Facilities (12) only.
    let kevin = mojo_sandbox::seed::keys_for_seed(DEFAULT_SEED)[18].clone();
    let refused = message_body(NOT_AUTHORIZED);
    let before = s.db_count("SELECT COUNT(*) FROM tickets");
    // Create into a hidden queue: 401, in every body format; nothing written.
    let (st, v) = s.json(Method::POST, "/tickets", &kevin, json!({"title": "x", "ticket_queue_id": 11})).await;
    assert_eq!((st, &v), (StatusCode::UNAUTHORIZED, &refused));
    let res = s.client.post(s.keyed("/tickets", &kevin)).form(&[("title", "x"), ("ticket_queue_id", "13")]).send();
    assert_eq!(read(res.await.unwrap()).await, (StatusCode::UNAUTHORIZED, refused.clone()));
    // Refused even when the rest is invalid too (the refusal comes first).
    let (st, _) = s.json(Method::POST, "/tickets", &kevin, json!({"title": "", "ticket_queue_id": "14"})).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(s.db_count("SELECT COUNT(*) FROM tickets"), before);
    // Into his own queue: fine.
    let (st, mine) =
        s.json(Method::POST, "/tickets", &kevin, json!({"title": "Leaky tap", "ticket_queue_id": 12})).await;
    assert_eq!(st, StatusCode::CREATED, "{mine}");
    let id = mine["id"].as_i64().unwrap();
    // Moving his ticket into a hidden queue: 401 with PUT and PATCH, and the ticket stays.
    for method in [Method::PUT, Method::PATCH] {
        let (st, v) = s
            .json(method.clone(), &format!("/tickets/{id}"), &kevin, json!({"ticket_queue_id": 11, "title": "moved"}))
            .await;
        assert_eq!((st, &v), (StatusCode::UNAUTHORIZED, &refused), "{method}");
    }
    let (_, still) = s.get(&format!("/tickets/{id}"), &kevin).await;
    assert_eq!((still["ticket_queue_id"].clone(), still["title"].clone()), (json!(12), json!("Leaky tap")));
    // Out of a hidden queue: a manager puts a ticket in IT; Kevin can neither move nor delete it.
    let (_, it) =
        s.json(Method::POST, "/tickets", &s.keys.manager, json!({"title": "IT", "ticket_queue_id": 11})).await;
    let it_id = it["id"].as_i64().unwrap();
    let (st, _) = s.json(Method::PUT, &format!("/tickets/{it_id}"), &kevin, json!({"ticket_queue_id": 12})).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _) = s.json(Method::DELETE, &format!("/tickets/{it_id}"), &kevin, Value::Null).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get(&format!("/tickets/{it_id}"), &s.keys.manager).await.1["ticket_queue_id"], 11);
    // Staying in his queue is fine.
    let (st, _) = s.json(Method::PATCH, &format!("/tickets/{id}"), &kevin, json!({"ticket_queue_id": "12"})).await;
    assert_eq!(st, StatusCode::OK);
    // A hidden queue looks like an unknown one on show, as the list hides it.
    let (st, v) = s.get("/ticket_queues/11", &kevin).await;
    assert_eq!((st, v), (StatusCode::BAD_REQUEST, json!({"error": "Invalid ticket queue id"})));
    assert_eq!(s.get("/ticket_queues/12", &kevin).await.1["name"], "Facilities");
    assert_eq!(s.get("/ticket_queues/11", &s.keys.agent).await.0, StatusCode::OK);
    // Users: another agent's accessible queues name only queues Kevin may see, and the
    // unassigned count covers only his queues.
    let (_, jordan) = s.get("/users/5", &kevin).await;
    assert_eq!(ids(&jordan["related_data"]["accessible_queues"]), vec![12]);
    let (_, techs) = s.get("/users/techs?per_page=100", &kevin).await;
    for t in techs.as_array().unwrap() {
        assert!(ids(&t["related_data"]["accessible_queues"]).iter().all(|q| *q == 12), "{}", t["id"]);
    }
    let facilities_unassigned = s.db_count(
        "SELECT COUNT(*) FROM tickets WHERE deleted_at IS NULL AND status_id < 50 AND assigned_to_id IS NULL
         AND ticket_queue_id = 12",
    );
    assert_eq!(jordan["unassigned_tickets_count"], facilities_unassigned);
    let (_, jordan_for_manager) = s.get("/users/5", &s.keys.manager).await;
    assert!(jordan_for_manager["unassigned_tickets_count"].as_i64().unwrap() > facilities_unassigned);
    assert_eq!(jordan_for_manager["related_data"]["accessible_queues"].as_array().unwrap().len(), 7);
    s.stop().await;
}

#[tokio::test]
async fn api_paths_are_normalised_and_never_reach_the_static_app() {
    let dir = temp_dir("paths");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>dash</title>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    let with_static = Server::start_with_static(Config::memory(DEFAULT_SEED), Some(dir.clone())).await;
    let without = Server::demo().await;
    for s in [&with_static, &without] {
        let k = &s.keys.agent;
        let at = |path: &str| format!("{}{path}{}access_key={k}", s.base, if path.contains('?') { '&' } else { '?' });
        for (path, expected_len) in [
            ("/api/v2/tickets/?per_page=2", Some(2)),
            ("//api/v2/tickets?per_page=3", Some(3)),
            ("/api//v2///tickets//?per_page=4", Some(4)),
            ("/api/v2/users/techs/", Some(20)),
            ("/api/v2/tickets/10001/", None),
            ("/api/v2/ticket_queues/11/", None),
        ] {
            let res = s.client.get(at(path)).send().await.unwrap();
            assert_eq!(res.headers()["content-type"], "application/json; charset=utf-8", "{path}");
            let (st, v) = read(res).await;
            assert_eq!(st, StatusCode::OK, "{path}: {v}");
            if let Some(n) = expected_len {
                assert_eq!(v.as_array().map(Vec::len), Some(n), "{path}");
            } else {
                assert!(v["id"].is_i64(), "{path}");
            }
        }
        for path in ["/API/V2/tickets", "/Api/v2/tickets/", "//API//v2/nothing", "/api/", "/api", "/%61pi/v2/tickets"] {
            let (st, v) = read(s.client.get(at(path)).send().await.unwrap()).await;
            assert_eq!((st, v), (StatusCode::NOT_FOUND, message_body("Not found")), "{path}");
        }
    }
    let s = with_static;
    let get = |path: &str| s.client.get(format!("{}{path}", s.base)).send();
    // A missing file with an extension is a 404, not index.html; SPA routes still get it.
    for path in ["/nonexistent.js", "/assets/missing.css", "/favicon.ico"] {
        let (st, v) = read(get(path).await.unwrap()).await;
        assert_eq!((st, v), (StatusCode::NOT_FOUND, message_body("Not found")), "{path}");
    }
    let res = get("/board/open").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("<title>dash</title>"));
    assert_eq!(get("/app.js").await.unwrap().text().await.unwrap(), "console.log(1)");
    // A write to a static path: an error, with a JSON body and CORS.
    let res = s.client.post(format!("{}/app.js", s.base)).header("Origin", "http://o.test").send().await.unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(res.headers()["access-control-allow-origin"], "http://o.test");
    assert_eq!(res.headers()["content-type"], "application/json; charset=utf-8");
    assert!(res.json::<Value>().await.unwrap()["error"].is_string());
    s.stop().await;
    without.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn paging_numbers_beyond_i64_and_with_fractions() {
    let s = Server::demo().await;
    let k = s.keys.manager.clone();
    let len = |v: &Value| v.as_array().map(Vec::len).unwrap_or(usize::MAX);
    for path in [
        "/tickets",
        "/users",
        "/users/techs",
        "/groups",
        "/ticket_queues",
        "/tags?per_page=5",
        "/ticket_types?per_page=5",
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        for page in ["99999999999999999999", "9223372036854775808", "1e400", "99999999999999999999.0"] {
            let (st, v) = s.get(&format!("{path}{sep}page={page}"), &k).await;
            assert_eq!(st, StatusCode::OK);
            if page == "1e400" {
                assert!(len(&v) > 0, "garbage is page 1: {path}");
            } else {
                assert_eq!(v, json!([]), "{path} page={page}");
            }
        }
        let (_, first) = s.get(&format!("{path}{sep}page=1.0"), &k).await;
        let (_, plain) = s.get(path, &k).await;
        assert_eq!(first, plain, "{path}: page=1.0 is page 1");
    }
    for (per_page, n) in [
        ("9999999999999999999", 100),
        ("99999999999999999999999999", 100),
        ("100.0", 100),
        ("7.00", 7),
        ("100.5", 30),
        ("abc", 30),
        ("1e9", 30),
        ("-99999999999999999999", 30),
    ] {
        let (st, v) = s.get(&format!("/tickets?per_page={per_page}"), &k).await;
        assert_eq!((st, len(&v)), (StatusCode::OK, n), "per_page={per_page}");
    }
    let (_, v) = s.json(Method::GET, "/tickets", &k, json!({"per_page": 1e300, "page": 2.0})).await;
    assert_eq!(len(&v), 100);
    s.stop().await;
}

#[tokio::test]
async fn body_content_types_are_matched_exactly() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let post = |ctype: Option<&str>, body: &str| {
        let mut req = s.client.post(s.keyed("/tickets", &k)).body(body.to_string());
        if let Some(c) = ctype {
            req = req.header("content-type", c);
        }
        req.send()
    };
    let json_body = r#"{"title": "Typed", "ticket_queue_id": 11}"#;
    for ctype in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON ; charset=UTF-8",
        "application/vnd.api+json",
        "application/merge-patch+json",
    ] {
        let (st, t) = read(post(Some(ctype), json_body).await.unwrap()).await;
        assert_eq!((st, &t["title"]), (StatusCode::CREATED, &json!("Typed")), "{ctype}");
    }
    // Near misses are not JSON (nor forms): the body is not read as parameters.
    let blank = validation(&["Title can't be blank", "Ticket queue can't be blank"]);
    for ctype in ["application/jsonx", "application/json-seq", "text/json+", "application/+json", "text/plain", "jsonx"]
    {
        let (st, v) = read(post(Some(ctype), json_body).await.unwrap()).await;
        assert_eq!((st, &v), (StatusCode::UNPROCESSABLE_ENTITY, &blank), "{ctype}");
    }
    for ctype in ["application/x-www-form-urlencodedx", "multipart/form-dataz; boundary=x"] {
        let (st, v) = read(post(Some(ctype), "title=Form&ticket_queue_id=11").await.unwrap()).await;
        assert_eq!((st, &v), (StatusCode::UNPROCESSABLE_ENTITY, &blank), "{ctype}");
    }
    // No Content-Type: JSON when it looks like JSON (and then it must parse), else a form.
    let (st, t) = read(post(None, json_body).await.unwrap()).await;
    assert_eq!((st, &t["title"]), (StatusCode::CREATED, &json!("Typed")));
    for bad in ["{\"title\": ", "  [1, 2", "{oops}"] {
        let (st, v) = read(post(None, bad).await.unwrap()).await;
        assert_eq!((st, v), (StatusCode::BAD_REQUEST, json!({"error": "bad request"})), "{bad}");
    }
    let (st, t) = read(post(None, "title=Undeclared+form&ticket_queue_id=12").await.unwrap()).await;
    assert_eq!((st, &t["title"], &t["ticket_queue_id"]), (StatusCode::CREATED, &json!("Undeclared form"), &json!(12)));
    s.stop().await;
}

#[tokio::test]
async fn limit_answers_carry_cors_headers_and_json_bodies() {
    let s = Server::demo().await;
    // URL over 64 KB: hyper answers 414 itself.
    let long =
        format!("GET /api/v2/tickets?q={} HTTP/1.1\r\nHost: x\r\nOrigin: http://o.test\r\n\r\n", "a".repeat(70_000));
    let (status, head, body) = split_answer(&raw_http(&s.base, long.as_bytes()).await);
    assert_eq!(status, 414);
    assert!(head.contains("\r\naccess-control-allow-origin: *\r\n"), "{head}");
    assert!(head.contains("\r\ncontent-type: application/json; charset=utf-8\r\n"), "{head}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({"error": "URI Too Long"}));
    // Too many headers: 431 from hyper.
    let mut many = String::from("GET /api/v2/tickets HTTP/1.1\r\nHost: x\r\n");
    for i in 0..150 {
        many.push_str(&format!("x-h{i}: v\r\n"));
    }
    many.push_str("\r\n");
    let (status, head, body) = split_answer(&raw_http(&s.base, many.as_bytes()).await);
    assert_eq!(status, 431);
    assert!(head.contains("\r\naccess-control-allow-origin: *\r\n"), "{head}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({"error": "Request Header Fields Too Large"}));
    // A request line hyper cannot parse: 400 from hyper.
    let (status, head, body) = split_answer(&raw_http(&s.base, b"GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n").await);
    assert_eq!(status, 400);
    assert!(head.contains("\r\naccess-control-allow-origin: *\r\n"), "{head}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({"error": "bad request"}));
    // A body over the limit: 413 from the stand-in, with the request's origin.
    let big = "POST /api/v2/tickets HTTP/1.1\r\nHost: x\r\nOrigin: http://o.test\r\nContent-Type: application/json\r\n\
               Content-Length: 30000000\r\nConnection: close\r\n\r\n{";
    let (status, head, body) = split_answer(&raw_http(&s.base, big.as_bytes()).await);
    assert_eq!(status, 413);
    assert!(head.contains("\r\naccess-control-allow-origin: http://o.test\r\n"), "{head}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({"error": "Request entity too large"}));
    // The server is unharmed, and ordinary answers are untouched.
    let (status, head, body) =
        split_answer(&raw_http(&s.base, b"GET /api/v2/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await);
    assert_eq!(status, 404);
    assert_eq!(head.matches("access-control-allow-origin").count(), 1);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), message_body("Not found"));
    s.stop().await;
}

#[tokio::test]
async fn timestamps_with_multibyte_characters_are_422() {
    let s = Server::demo().await;
    let k = s.keys.agent.clone();
    let (st, v) =
        s.json(Method::POST, "/tickets", &k, json!({"title": "x", "ticket_queue_id": 11, "due_on": "2024-01-€"})).await;
    assert_eq!((st, v), (StatusCode::UNPROCESSABLE_ENTITY, validation(&["Due on is invalid"])));
    let res = s.client.patch(s.keyed("/tickets/10001?scheduled_on=2024-01-%E2%82%AC", &k)).send().await.unwrap();
    assert_eq!(read(res).await, (StatusCode::UNPROCESSABLE_ENTITY, validation(&["Scheduled on is invalid"])));
    s.stop().await;
}
