//! Malformed input never yields a 500 and never changes data: random, truncated and mistyped
//! bodies (JSON, urlencoded, multipart) go to every write endpoint; each answer must be a 4xx in
//! one of the documented error shapes, with the data unchanged, or a 2xx the service would give
//! too (unknown keys are ignored on update). And concurrent writers lose no update.

mod support;

use mojo_api::request::Page;
use mojo_api::ticket::{self, TagRef, TicketInput};
use mojo_api::{comment, queue};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use support::executor::Native;
use support::{Rng, Sandbox};

/// One of the three documented error shapes (REFERENCE §5.1).
fn documented_error_shape(body: &str) -> bool {
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(body) else { return false };
    let message = m.get("message").is_some_and(Value::is_string)
        && m.get("messages").is_none_or(|v| v.as_array().is_some_and(|a| a.iter().all(Value::is_string)));
    let error =
        m.get("error").is_some_and(|e| e.is_string() || e.as_array().is_some_and(|a| a.iter().all(Value::is_string)));
    let code = m.get("code").is_some_and(Value::is_string) && m.get("messages").is_some_and(Value::is_array);
    message || error || code
}

/// Everything a write could change, read through the API.
async fn snapshot(http: &reqwest::Client, base: &str, key: &str, ticket: i64) -> String {
    let mut out = String::new();
    for path in [
        "/tickets?per_page=3&sort_by=id&sort_order=desc".to_string(),
        format!("/tickets/{ticket}"),
        format!("/tickets/{ticket}/comments?per_page=100"),
        format!("/tickets/{ticket}/staff_notes?per_page=100"),
        format!("/tickets/{ticket}/tasks"),
        format!("/tickets/{ticket}/attachments"),
        "/ticket_queues?per_page=100".to_string(),
        "/groups?per_page=100".to_string(),
        "/tags".to_string(),
        "/ticket_types".to_string(),
        "/users?per_page=100&page=3".to_string(),
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let r = http.get(format!("{base}/api/v2{path}{sep}access_key={key}")).send().await.unwrap();
        out.push_str(&r.text().await.unwrap());
        out.push('\n');
    }
    out
}

fn mutations(valid: &Value, rng: &mut Rng) -> Vec<(String, Vec<u8>)> {
    let text = valid.to_string();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let json = "application/json".to_string();
    // Truncated JSON at several cuts.
    for _ in 0..4 {
        let cut = 1 + rng.below(text.len().saturating_sub(1).max(1));
        out.push((json.clone(), text.as_bytes()[..cut].to_vec()));
    }
    // Not an object.
    for v in ["[]", "\"text\"", "42", "null", "[{\"title\":\"x\"}]", "{\"a\":{\"b\":{\"c\":[[[[[[]]]]]]}}}"] {
        out.push((json.clone(), v.as_bytes().to_vec()));
    }
    // Random bytes, also claiming to be a form and multipart.
    for ct in
        ["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "text/plain"]
    {
        let bytes: Vec<u8> = (0..200).map(|_| rng.next() as u8).collect();
        out.push((ct.to_string(), bytes));
    }
    // Each field mistyped, blanked or huge.
    if let Value::Object(map) = valid {
        for k in map.keys() {
            for bad in [
                json!({}),
                json!([]),
                json!(-1),
                json!("abc"),
                json!(true),
                json!(null),
                json!(""),
                json!("é".repeat(60_000)),
                json!(1e300),
            ] {
                let mut m = map.clone();
                m.insert(k.clone(), bad);
                out.push((json.clone(), Value::Object(m).to_string().into_bytes()));
            }
            let mut m = map.clone();
            m.remove(k);
            out.push((json.clone(), Value::Object(m).to_string().into_bytes()));
        }
    }
    // Broken urlencoded and multipart bodies.
    out.push(("application/x-www-form-urlencoded".into(), b"title=%zz&ticket_queue_id=%%&&==&a[=1".to_vec()));
    out.push((
        "multipart/form-data; boundary=xyz".into(),
        b"--xyz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nunterminated".to_vec(),
    ));
    out.push(("multipart/form-data".into(), b"--\r\n".to_vec()));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_never_500_and_never_change_data() {
    let sb = Sandbox::start().await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let m = Native::new(&sb.base, &sb.keys.manager, log);
    let queues = m.send(&queue::list(Page::new(1, 100))).await.unwrap();
    let q = queues[0].id;
    let t = m
        .send(&ticket::create(&TicketInput {
            title: Some("Fuzz target".into()),
            ticket_queue_id: Some(q),
            ..Default::default()
        }))
        .await
        .unwrap()
        .id;
    let users = m.send(&mojo_api::user::list(Page::new(1, 5))).await.unwrap();
    let u = users[0].id;
    let groups = m.send(&mojo_api::group::list(Page::new(1, 5))).await.unwrap();
    let g = groups[0].id;
    let tags = m.send(&mojo_api::tag::list(Page::new(1, 5))).await.unwrap();
    let types = m.send(&mojo_api::ticket_type::list()).await.unwrap();
    let task = m
        .send(&mojo_api::task::create(
            t,
            &mojo_api::task::TaskInput { title: Some("fuzz task".into()), ..Default::default() },
        ))
        .await
        .unwrap();

    let endpoints: Vec<(&str, String, Value)> = vec![
        ("POST", "/tickets".into(), json!({"title": "x", "ticket_queue_id": q, "priority_id": 30})),
        (
            "PUT",
            format!("/tickets/{t}"),
            json!({"title": "y", "status_id": 20, "priority_id": 20, "due_on": "2030-01-01T00:00:00Z"}),
        ),
        ("PATCH", format!("/tickets/{t}"), json!({"assigned_to_id": u})),
        ("POST", format!("/tickets/{t}/add_tag"), json!({"tag_label": "fuzz"})),
        ("POST", format!("/tickets/{t}/remove_tag"), json!({"tag_id": tags[0].id})),
        ("POST", format!("/tickets/{t}/comments"), json!({"body": "hello", "time_spent": 5})),
        ("POST", format!("/tickets/{t}/staff_notes"), json!({"body": "note", "time_spent": 5})),
        ("POST", format!("/tickets/{t}/tasks"), json!({"title": "task"})),
        ("PUT", format!("/tickets/{t}/tasks/{}", task.id), json!({"is_completed": true})),
        ("POST", format!("/tickets/{t}/tasks/reorder"), json!({"keys": [task.id]})),
        ("POST", "/ticket_queues".into(), json!({"name": "q"})),
        ("PUT", format!("/ticket_queues/{q}"), json!({"name": "q2"})),
        ("POST", "/groups".into(), json!({"name": "g"})),
        ("PUT", format!("/groups/{g}"), json!({"city": "c"})),
        ("POST", "/users".into(), json!({"email": "fuzz@example.org", "first_name": "F"})),
        ("PUT", format!("/users/{u}"), json!({"user_notes": "n"})),
        ("POST", "/tags".into(), json!({"label": "l", "color": "#000000"})),
        ("PUT", format!("/tags/{}", tags[0].id), json!({"color": "#111111"})),
        ("POST", "/ticket_types".into(), json!({"name": "t"})),
        ("PUT", format!("/ticket_types/{}", types[0].id), json!({"name": "t2"})),
        ("POST", format!("/users/{u}/access_rights"), json!({"ticket_queue_id": q.to_string(), "has_access": "true"})),
        ("POST", format!("/users/{u}/access_rights/set"), json!({"keys": [q.to_string()], "has_access": "true"})),
        ("POST", format!("/groups/{g}/access_rights"), json!({"has_access_to_all_ticket_queues": "true"})),
        ("POST", format!("/users/{u}/group_access/{g}"), json!({"access": "1"})),
    ];

    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let key = sb.keys.manager.clone();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut sent = 0;
    let mut refused = 0;
    let mut failures = Vec::new();
    // The state as it stands; re-read only after an accepted write (which may change it).
    let mut before = snapshot(&http, &sb.base, &key, t).await;
    for (method, path, valid) in &endpoints {
        for (content_type, body) in mutations(valid, &mut rng) {
            let url = format!("{}/api/v2{path}?access_key={key}", sb.base);
            let r = http
                .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), &url)
                .header("content-type", &content_type)
                .body(body.clone())
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            sent += 1;
            let show = String::from_utf8_lossy(&body[..body.len().min(80)]).to_string();
            if status >= 500 {
                failures.push(format!("{method} {path} [{content_type}] {show:?} → {status} {text}"));
            } else if status >= 400 {
                refused += 1;
                if !documented_error_shape(&text) && status != 413 {
                    failures.push(format!(
                        "{method} {path} [{content_type}] {show:?} → {status} with an undocumented body {text:?}"
                    ));
                }
                let after = snapshot(&http, &sb.base, &key, t).await;
                if after != before {
                    failures.push(format!("{method} {path} [{content_type}] {show:?} → {status} but the data changed"));
                    before = after;
                }
            } else {
                before = snapshot(&http, &sb.base, &key, t).await;
            }
        }
    }
    println!("{sent} malformed requests, {refused} refused with a 4xx");
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    assert!(refused * 2 > sent, "most malformed requests must be refused ({refused} of {sent})");
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_lose_no_update() {
    let sb = Sandbox::start().await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let a = Native::new(&sb.base, &sb.keys.agent, log);
    let q = a.send(&queue::list(Page::new(1, 100))).await.unwrap()[0].id;
    let t = a
        .send(&ticket::create(&TicketInput {
            title: Some("Busy ticket".into()),
            ticket_queue_id: Some(q),
            ..Default::default()
        }))
        .await
        .unwrap()
        .id;
    let mut jobs = Vec::new();
    for i in 0..40 {
        let c = a.clone();
        jobs.push(tokio::spawn(async move {
            let input = comment::CommentInput { body: Some(format!("comment {i}")), ..Default::default() };
            c.send(&comment::create(t, &input)).await.map(|_| ())
        }));
        let c = a.clone();
        jobs.push(tokio::spawn(async move {
            c.send(&ticket::add_tag(t, &TagRef::Label(format!("parallel-{i}")))).await.map(|_| ())
        }));
    }
    // Different fields of the same ticket at once: each update must survive the others.
    let fields: Vec<TicketInput> = vec![
        TicketInput { cc: Some("one@example.org".into()), ..Default::default() },
        TicketInput { priority_id: Some(mojo_api::Priority::Emergency), ..Default::default() },
        TicketInput { status_id: Some(mojo_api::Status::OnHold), ..Default::default() },
        TicketInput { description: Some("rewritten".into()), ..Default::default() },
    ];
    for f in fields {
        let c = a.clone();
        jobs.push(tokio::spawn(async move { c.send(&ticket::update(t, &f)).await.map(|_| ()) }));
    }
    for j in jobs {
        j.await.unwrap().expect("every concurrent write succeeds");
    }
    let full = a.send(&ticket::show(t)).await.unwrap();
    let comments = a.send(&comment::list(t, Page::new(1, 100))).await.unwrap();
    assert_eq!(comments.iter().filter(|c| c.body.as_deref().is_some_and(|b| b.starts_with("comment "))).count(), 40);
    assert_eq!(full.tags.iter().filter(|x| x.label.as_deref().is_some_and(|l| l.starts_with("parallel-"))).count(), 40);
    assert_eq!(full.cc.as_deref(), Some("one@example.org"));
    assert_eq!(full.priority(), mojo_api::Priority::Emergency);
    assert_eq!(full.status(), mojo_api::Status::OnHold);
    assert_eq!(full.description.as_deref(), Some("rewritten"));
    sb.stop().await;
}
