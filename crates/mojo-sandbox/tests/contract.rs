//! The contract suite: every endpoint of the vendor README, driven through the native executor
//! of the same `mojo-api` request descriptions the dashboard runs in the browser, against the
//! stand-in over real HTTP. Each step checks status and body and reads the state back; at the
//! end every answer is validated against the vendor's OpenAPI document, and the coverage of the
//! README's endpoints and of the OpenAPI operations in scope is printed and asserted.

mod support;

use mojo_api::attachment::{self, UploadTarget};
use mojo_api::comment::{self, CommentInput};
use mojo_api::request::Page;
use mojo_api::ticket::{self, NewAttachment, TagRef, TicketInput};
use mojo_api::{
    ErrorKind, Priority, Status, access_right, event, form, group, group_access, queue, staff_note, tag, task, team,
    ticket_type, user,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use support::Sandbox;
use support::executor::{Exchange, Native};
use support::openapi::{OpenApi, Operation};

/// The README's endpoints (method, OpenAPI template): what "the whole API" means here.
const README_ENDPOINTS: &[(&str, &str)] = &[
    ("get", "/api/v2/tickets"),
    ("get", "/api/v2/tickets/{id}"),
    ("post", "/api/v2/tickets"),
    ("put", "/api/v2/tickets/{id}"),
    ("get", "/api/v2/tickets/{ticket_id}/events"),
    ("post", "/api/v2/tickets/{id}/add_tag"),
    ("post", "/api/v2/tickets/{id}/remove_tag"),
    ("delete", "/api/v2/tickets/{id}"),
    ("get", "/api/v2/tickets/{ticket_id}/comments"),
    ("post", "/api/v2/tickets/{ticket_id}/comments"),
    ("get", "/api/v2/tickets/{ticket_id}/staff_notes"),
    ("post", "/api/v2/tickets/{ticket_id}/staff_notes"),
    ("get", "/api/v2/tickets/{ticket_id}/attachments"),
    ("post", "/api/v2/tickets/{ticket_id}/attachments"),
    ("get", "/api/v2/attachments/{id}"),
    ("delete", "/api/v2/attachments/{id}"),
    ("get", "/api/v2/ticket_queues"),
    ("get", "/api/v2/ticket_queues/{id}"),
    ("post", "/api/v2/ticket_queues"),
    ("put", "/api/v2/ticket_queues/{id}"),
    ("delete", "/api/v2/ticket_queues/{id}"),
    ("get", "/api/v2/groups"),
    ("post", "/api/v2/groups"),
    ("put", "/api/v2/groups/{id}"),
    ("delete", "/api/v2/groups/{id}"),
    ("get", "/api/v2/users"),
    ("get", "/api/v2/users/techs"),
    ("get", "/api/v2/users/{id}"),
    ("get", "/api/v2/users/get_by_email"),
    ("post", "/api/v2/users"),
    ("put", "/api/v2/users/{id}"),
    ("delete", "/api/v2/users/{id}"),
    ("get", "/api/v2/tags"),
    ("get", "/api/v2/tags/{id}"),
    ("post", "/api/v2/tags"),
    ("put", "/api/v2/tags/{id}"),
    ("delete", "/api/v2/tags/{id}"),
    ("get", "/api/v2/tickets/{ticket_id}/tasks"),
    ("post", "/api/v2/tickets/{ticket_id}/tasks"),
    ("put", "/api/v2/tickets/{ticket_id}/tasks/{id}"),
    ("delete", "/api/v2/tickets/{ticket_id}/tasks/{id}"),
    ("get", "/api/v2/access_rights/agents"),
    ("get", "/api/v2/access_rights/groups"),
    ("get", "/api/v2/users/{user_id}/access_rights"),
    ("get", "/api/v2/groups/{group_id}/access_rights"),
    ("post", "/api/v2/users/{user_id}/access_rights"),
    ("post", "/api/v2/users/{user_id}/access_rights/set"),
    ("post", "/api/v2/groups/{group_id}/access_rights"),
    ("post", "/api/v2/groups/{group_id}/access_rights/set"),
    ("get", "/api/v2/ticket_forms"),
    ("get", "/api/v2/ticket_forms/{id}"),
    ("get", "/api/v2/users/{user_id}/group_access"),
    ("get", "/api/v2/users/{user_id}/group_access/{group_id}"),
    ("post", "/api/v2/users/{user_id}/group_access/{group_id}"),
    ("get", "/api/v2/ticket_types"),
    ("get", "/api/v2/ticket_types/{id}"),
    ("post", "/api/v2/ticket_types"),
    ("put", "/api/v2/ticket_types/{id}"),
    ("delete", "/api/v2/ticket_types/{id}"),
];

/// OpenAPI operations out of scope: assets and articles (separate add-ons).
fn in_scope(op: &Operation) -> bool {
    let t = &op.template;
    !(t.contains("/assets")
        || t.contains("/asset_")
        || t.contains("/locations")
        || t.contains("/departments")
        || t.contains("/articles"))
}

fn expect_status<T: std::fmt::Debug>(r: Result<T, mojo_api::ApiError>, status: u16, what: &str) -> mojo_api::ApiError {
    let e = r.expect_err(what);
    assert_eq!(e.status, Some(status), "{what}: {e:?}");
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_readme_endpoint_behaves_and_matches_the_openapi_document() {
    let sb = Sandbox::start().await;
    let log: Arc<Mutex<Vec<Exchange>>> = Arc::default();
    let m = Native::new(&sb.base, &sb.keys.manager, log.clone());
    let a = m.with_key(&sb.keys.agent);
    let ro = m.with_key(&sb.keys.read_only);

    // ---- tickets: list, create, show, update, tags ----
    let page = m.send(&ticket::list(Page::new(1, 5), Some("id"), Some(ticket::SortOrder::Asc))).await.unwrap();
    assert_eq!(page.len(), 5);
    assert!(page.windows(2).all(|w| w[0].id < w[1].id), "ascending ids");
    let queues = a.send(&queue::list(Page::new(1, 100))).await.unwrap();
    let q = queues[0].id;
    let input = TicketInput {
        title: Some("Contract: printer on fire".into()),
        description: Some("<p>Smoke from <b>tray 2</b></p>".into()),
        ticket_queue_id: Some(q),
        priority_id: Some(Priority::Urgent),
        user_email: Some("contract.requester@example.org".into()),
        cc: Some("boss@example.org".into()),
        ..Default::default()
    };
    let created = a.send(&ticket::create(&input)).await.unwrap();
    let t = created.id;
    let shown = a.send(&ticket::show(t)).await.unwrap();
    assert_eq!(shown.title.as_deref(), Some("Contract: printer on fire"));
    assert_eq!(
        (shown.priority(), shown.ticket_queue_id, shown.cc.as_deref()),
        (Priority::Urgent, Some(q), Some("boss@example.org"))
    );
    assert_eq!(shown.related(&["user", "email"]).as_deref(), Some("contract.requester@example.org"));
    let requester = user::get_by_email("contract.requester@example.org");
    assert_eq!(a.send(&requester).await.unwrap().id, shown.user_id.unwrap());
    expect_status(ro.send(&ticket::create(&input)).await, 401, "read-only key cannot create");
    let missing = TicketInput { title: Some("no queue".into()), ..Default::default() };
    let e = expect_status(a.send(&ticket::create(&missing)).await, 422, "queue required");
    assert_eq!(e.kind, ErrorKind::Validation);
    let updated = a
        .send(&ticket::update(t, &TicketInput { status_id: Some(Status::InProgress), ..Default::default() }))
        .await
        .unwrap();
    assert_eq!(updated.status(), Status::InProgress);
    let tags = a.send(&ticket::add_tag(t, &TagRef::Label("contract-new-label".into()))).await.unwrap();
    let new_tag = tags.iter().find(|x| x.label.as_deref() == Some("contract-new-label")).expect("tag created").id;
    let tags = a.send(&ticket::remove_tag(t, &TagRef::Id(new_tag))).await.unwrap();
    assert!(tags.iter().all(|x| x.id != new_tag));
    expect_status(
        a.send(&ticket::remove_tag(t, &TagRef::Label("never-there".into()))).await,
        400,
        "remove unknown tag",
    );
    a.send(&ticket::add_tag(t, &TagRef::Id(new_tag))).await.unwrap();
    assert!(a.send(&ticket::show(t)).await.unwrap().tags.iter().any(|x| x.id == new_tag));

    // ---- search: the new ticket by its words (free text with a ':'), and by its tag ----
    let words = mojo_api::query::Query::text("contract: printer on FIRE");
    let found = ro.send(&ticket::search(Some(&words), Some("created_on"), true, Page::new(1, 10))).await.unwrap();
    assert_eq!(found.iter().map(|x| x.id).collect::<Vec<_>>(), [t]);
    assert!(found[0].tags.iter().any(|x| x.id == new_tag && x.label.as_deref() == Some("contract-new-label")));
    let by_tag = mojo_api::query::Query::field_term("tags.id", new_tag);
    let found = a.send(&ticket::search(Some(&by_tag), None, false, Page::new(1, 10))).await.unwrap();
    assert_eq!(found.iter().map(|x| x.id).collect::<Vec<_>>(), [t]);
    let every = ro.send(&ticket::search(None, Some("updated_on"), true, Page::new(1, 1))).await.unwrap();
    assert_eq!(every.len(), 10, "per_page is raised to 10");

    // ---- multipart create with two files ----
    let files = vec![
        NewAttachment {
            filename: "notes.txt".into(),
            content_type: "text/plain".into(),
            bytes: b"first file".to_vec(),
        },
        NewAttachment {
            filename: "pixel.png".into(),
            content_type: "image/png".into(),
            bytes: vec![0x89, b'P', b'N', b'G', 1, 2, 3],
        },
    ];
    let with_files = a.send(&ticket::create_with_attachments(&input, files)).await.unwrap();
    let listed = a.send(&attachment::list(with_files.id)).await.unwrap();
    assert_eq!(
        listed.iter().map(|x| x.filename.clone().unwrap_or_default()).collect::<BTreeSet<_>>(),
        ["notes.txt".to_string(), "pixel.png".to_string()].into()
    );

    // ---- comments and staff notes ----
    let c = a
        .send(&comment::create(
            t,
            &CommentInput { body: Some("Replaced the fuser.".into()), time_spent: Some(25), ..Default::default() },
        ))
        .await
        .unwrap();
    assert_eq!((c.time_spent, c.ticket_id), (Some(25), Some(t)));
    assert!(a.send(&comment::list(t, Page::new(1, 100))).await.unwrap().iter().any(|x| x.id == c.id));
    expect_status(a.send(&comment::create(t, &CommentInput::default())).await, 400, "comment without body");
    let n = a
        .send(&staff_note::create(t, &CommentInput { body: Some("Vendor ticket 4471".into()), ..Default::default() }))
        .await
        .unwrap();
    assert!(a.send(&staff_note::list(t, Page::new(1, 100))).await.unwrap().iter().any(|x| x.id == n.id));
    expect_status(a.send(&comment::list(99_999_999, Page::new(1, 10))).await, 404, "comments of a missing ticket");

    // ---- attachments: upload targets, download through 302, delete ----
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let up = a
        .send(&attachment::upload(t, "log ü.bin", "application/octet-stream", bytes.clone(), UploadTarget::Ticket))
        .await
        .unwrap();
    assert_eq!((up.content_size, up.ticket_id), (Some(70_000), Some(t)));
    let on_comment = a
        .send(&attachment::upload(t, "c.txt", "text/plain", b"c".to_vec(), UploadTarget::Comment(c.id)))
        .await
        .unwrap();
    assert_eq!(on_comment.comment_id, Some(c.id));
    let staff =
        a.send(&attachment::upload(t, "s.txt", "text/plain", b"s".to_vec(), UploadTarget::StaffOnly)).await.unwrap();
    assert!(staff.staff_note_id.is_some());
    let full = a.send(&ticket::show(t)).await.unwrap();
    assert!(full.staff_only_attachments.iter().any(|x| x.id == staff.id));
    let dl = a.raw(&attachment::download(up.id)).await.unwrap();
    let location =
        attachment::download_location(dl.status, dl.location.as_deref(), &dl.body).expect("302 with Location");
    let blob = a.get_url(&location).await;
    assert_eq!(blob.status(), 200);
    let disposition =
        blob.headers().get("content-disposition").map(|v| v.to_str().unwrap_or("").to_string()).unwrap_or_default();
    assert!(disposition.contains("attachment") || disposition.contains("filename"), "{disposition}");
    assert_eq!(blob.bytes().await.unwrap().to_vec(), bytes, "downloaded bytes equal the upload");
    expect_status(a.send(&attachment::delete(up.id)).await, 401, "agents cannot delete attachments");
    let deleted = m.send(&attachment::delete(up.id)).await.unwrap();
    assert_eq!(deleted.id, up.id);
    assert!(a.send(&attachment::list(t)).await.unwrap().iter().all(|x| x.id != up.id));

    // ---- tasks ----
    let k1 = a
        .send(&task::create(t, &task::TaskInput { title: Some("Order toner".into()), ..Default::default() }))
        .await
        .unwrap();
    let k2 = a
        .send(&task::create(t, &task::TaskInput { title: Some("Call vendor".into()), ..Default::default() }))
        .await
        .unwrap();
    let done = a
        .send(&task::update(
            t,
            k1.id,
            &task::TaskInput { is_completed: Some(true), notes: Some("done".into()), ..Default::default() },
        ))
        .await
        .unwrap();
    assert_eq!((done.is_completed, done.notes.as_deref()), (Some(true), Some("done")));
    let order = a.send(&task::reorder(t, &[k2.id, k1.id])).await.unwrap();
    assert_eq!(order.iter().map(|x| x.id).collect::<Vec<_>>(), vec![k2.id, k1.id]);
    let closing =
        a.send(&ticket::update(t, &TicketInput { status_id: Some(Status::Closed), ..Default::default() })).await;
    expect_status(closing, 422, "closing with an unfinished task");
    let left = a.send(&task::delete_completed(t)).await.unwrap();
    assert_eq!(left.iter().map(|x| x.id).collect::<Vec<_>>(), vec![k2.id]);
    a.send(&task::delete(t, k2.id)).await.unwrap();
    assert!(a.send(&task::list(t)).await.unwrap().is_empty());
    expect_status(a.send(&task::delete(t, k2.id)).await, 400, "deleting a gone task");

    // ---- events ----
    let events = m.send(&event::for_ticket(t)).await.unwrap();
    assert!(!events.is_empty());
    assert!(events.windows(2).all(|w| w[0].created_on >= w[1].created_on), "newest first");
    expect_status(a.send(&event::for_ticket(t)).await, 401, "events need a manager");
    let all_events = m.send(&event::list(Page::new(1, 30), Some(t))).await.unwrap();
    let one = m.send(&event::show(all_events[0].id)).await.unwrap();
    assert_eq!(one.id, all_events[0].id);

    // ---- delete the tickets ----
    expect_status(ro.send(&ticket::delete(t)).await, 401, "read-only key cannot delete");
    a.send(&ticket::delete(with_files.id)).await.unwrap();
    m.send(&ticket::delete(t)).await.unwrap();
    expect_status(a.send(&ticket::show(t)).await, 404, "deleted ticket");

    // ---- queues ----
    expect_status(
        a.send(&queue::create(&queue::QueueInput { name: Some("Nope".into()), ..Default::default() })).await,
        401,
        "agents cannot create queues",
    );
    let nq = m
        .send(&queue::create(&queue::QueueInput {
            name: Some("Contract queue".into()),
            email_alias: Some("contract".into()),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(a.send(&queue::show(nq.id)).await.unwrap().email_alias.as_deref(), Some("contract"));
    let renamed = m
        .send(&queue::update(nq.id, &queue::QueueInput { name: Some("Contract queue 2".into()), ..Default::default() }))
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Contract queue 2"));
    expect_status(m.send(&queue::create(&queue::QueueInput::default())).await, 400, "queue name required");
    m.send(&queue::delete(nq.id)).await.unwrap();
    let e = expect_status(a.send(&queue::show(nq.id)).await, 400, "deleted queue");
    assert_eq!(e.message.as_deref(), Some("Invalid ticket queue id"));

    // ---- groups ----
    let g = m
        .send(&group::create(&group::GroupInput {
            name: Some("Contract Org".into()),
            zip: Some("00000".into()),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(a.send(&group::show(g.id)).await.unwrap().zip.as_deref(), Some("00000"));
    let g2 = m
        .send(&group::update(g.id, &group::GroupInput { city: Some("Springfield".into()), ..Default::default() }))
        .await
        .unwrap();
    assert_eq!(g2.city.as_deref(), Some("Springfield"));
    assert!(a.send(&group::list(Page::new(1, 100))).await.unwrap().iter().any(|x| x.id == g.id));

    // ---- users ----
    let nu = m
        .send(&user::create(
            &user::UserInput {
                email: Some("contract.user@example.org".into()),
                first_name: Some("Con".into()),
                last_name: Some("Tract".into()),
                company_id: Some(g.id),
                ..Default::default()
            },
            false,
        ))
        .await
        .unwrap();
    assert_eq!((nu.display_name(), nu.company_id), ("Con Tract".to_string(), Some(g.id)));
    let e = expect_status(
        m.send(&user::create(
            &user::UserInput { email: Some("contract.user@example.org".into()), ..Default::default() },
            false,
        ))
        .await,
        400,
        "duplicate e-mail",
    );
    assert!(e.message.unwrap_or_default().to_lowercase().contains("email"));
    let nu2 = m
        .send(&user::update(
            nu.id,
            &user::UserInput {
                user_notes: Some("VIP".into()),
                email: Some("changed@example.org".into()),
                ..Default::default()
            },
        ))
        .await
        .unwrap();
    assert_eq!(
        (nu2.user_notes.as_deref(), nu2.email.as_deref()),
        (Some("VIP"), Some("contract.user@example.org")),
        "email cannot change"
    );
    assert_eq!(a.send(&user::show(nu.id)).await.unwrap().id, nu.id);
    assert!(!a.send(&user::techs(Page::new(1, 100))).await.unwrap().is_empty());
    assert!(!a.send(&user::list(Page::new(1, 100))).await.unwrap().is_empty());
    expect_status(a.send(&user::get_by_email("nobody@nowhere.example")).await, 400, "unknown e-mail");

    // ---- access rights and group access ----
    let agents = m.send(&access_right::agents()).await.unwrap();
    let old = m.send(&access_right::restricted_agents()).await.unwrap();
    assert_eq!(agents.len(), old.len(), "both names answer alike");
    let agent_id = agents[0].id;
    let before = m.send(&access_right::show(access_right::Holder::User(agent_id))).await.unwrap();
    assert_eq!(before.id, agent_id);
    m.send(&access_right::set(access_right::Holder::User(agent_id), q, true)).await.unwrap();
    let many =
        m.send(&access_right::set_many(access_right::Holder::User(agent_id), &[q, queues[1].id], true)).await.unwrap();
    assert!(!many.is_empty());
    let e =
        expect_status(m.send(&access_right::show(access_right::Holder::User(99_999_999))).await, 400, "unknown user");
    assert_eq!(e.code.as_deref(), Some("invalid_request"));
    assert!(!m.send(&access_right::groups()).await.unwrap().is_empty());
    let ga = m.send(&access_right::set_group_all(g.id, true)).await.unwrap();
    assert_eq!(ga.has_access_to_all_ticket_queues, Some(true));
    m.send(&access_right::set(access_right::Holder::Group(g.id), q, true)).await.unwrap();
    m.send(&access_right::set_many(access_right::Holder::Group(g.id), &[q], false)).await.unwrap();
    m.send(&access_right::show(access_right::Holder::Group(g.id))).await.unwrap();
    let set = m.send(&group_access::set(nu.id, g.id, group_access::Access::CommentOnly)).await.unwrap();
    assert_eq!(set.access, Some(2));
    assert_eq!(m.send(&group_access::show(nu.id, g.id)).await.unwrap().access, Some(2));
    assert!(m.send(&group_access::list(nu.id)).await.unwrap().iter().any(|x| x.group_id == Some(g.id)));
    expect_status(a.send(&group_access::list(nu.id)).await, 401, "group access needs a manager");

    m.send(&user::delete(nu.id)).await.unwrap();
    m.send(&group::delete(g.id)).await.unwrap();
    expect_status(a.send(&group::show(g.id)).await, 400, "deleted group");

    // ---- tags ----
    let nt = m
        .send(&tag::create(&tag::TagInput {
            label: Some("contract".into()),
            color: Some("#123456".into()),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(a.send(&tag::show(nt.id)).await.unwrap().color.as_deref(), Some("#123456"));
    let recoloured = m
        .send(&tag::update(nt.id, &tag::TagInput { color: Some("#ff0000".into()), ..Default::default() }))
        .await
        .unwrap();
    assert_eq!(recoloured.color.as_deref(), Some("#ff0000"));
    expect_status(
        m.send(&tag::create(&tag::TagInput { label: Some("no colour".into()), ..Default::default() })).await,
        400,
        "colour required",
    );
    // Merging moves the tickets of `nt` to `new_tag` and removes `nt`.
    m.send(&tag::merge(nt.id, new_tag)).await.unwrap();
    expect_status(a.send(&tag::show(nt.id)).await, 400, "merged tag is gone");
    assert!(a.send(&tag::list(Page::new(1, 1000))).await.unwrap().iter().any(|x| x.id == new_tag));
    m.send(&tag::delete(new_tag)).await.unwrap();
    expect_status(a.send(&tag::show(new_tag)).await, 400, "deleted tag");

    // ---- ticket types ----
    let ty = m
        .send(&ticket_type::create(&ticket_type::TicketTypeInput {
            name: Some("Contract type".into()),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(a.send(&ticket_type::show(ty.id)).await.unwrap().display_name(), "Contract type");
    assert_eq!(a.send(&ticket_type::show_singular(ty.id)).await.unwrap().id, ty.id);
    m.send(&ticket_type::update(
        ty.id,
        &ticket_type::TicketTypeInput { name: Some("Contract type 2".into()), ..Default::default() },
    ))
    .await
    .unwrap();
    assert!(a.send(&ticket_type::list()).await.unwrap().iter().any(|x| x.name.as_deref() == Some("Contract type 2")));
    m.send(&ticket_type::delete(ty.id)).await.unwrap();
    expect_status(a.send(&ticket_type::show(ty.id)).await, 400, "deleted type");

    // ---- forms and teams ----
    let forms = m.send(&form::list()).await.unwrap();
    let default_form = forms.iter().find(|f| f.is_default == Some(true)).unwrap_or(&forms[0]).id;
    let shown_form = m.send(&form::show(default_form)).await.unwrap();
    assert!(
        shown_form.field_attributes.iter().any(|f| f.name.as_deref().is_some_and(|n| n.starts_with("custom_field_")))
    );
    expect_status(a.send(&form::list()).await, 401, "forms need a manager");
    let teams = a.send(&team::list(Page::new(1, 100))).await.unwrap();
    assert_eq!(a.send(&team::show(teams[0].id)).await.unwrap().id, teams[0].id);

    // ---- every answer against the OpenAPI document ----
    let doc = OpenApi::load();
    let exchanges = log.lock().unwrap().clone();
    let mut problems = Vec::new();
    let mut undocumented = BTreeSet::new();
    let mut hit = BTreeSet::new();
    for x in &exchanges {
        // The README's old names answer like the new ones the document describes.
        let path = x
            .path
            .replace("/access_rights/restricted_agents", "/access_rights/agents")
            .replace("/ticket_type/", "/ticket_types/");
        let Some(op) = doc.operation_for(x.method.as_str(), &path) else {
            problems.push(format!("{} {}: no such operation in the document", x.method.as_str(), x.path));
            continue;
        };
        hit.insert((op.method.clone(), op.template.clone()));
        match doc.response_schema(&op, x.status) {
            None => {
                undocumented.insert(format!("{} {} → {}", op.method, op.template, x.status));
            }
            Some(None) => {}
            Some(Some(schema)) => match serde_json::from_str::<Value>(&x.body) {
                Ok(_) if !x.content_type.as_deref().unwrap_or("").starts_with("application/json") => {
                    problems.push(format!(
                        "{} {} → {}: content type {:?}",
                        op.method, op.template, x.status, x.content_type
                    ));
                }
                Ok(v) => {
                    for e in doc.validate(schema, &v) {
                        problems.push(format!("{} {} → {}: {e}", op.method, op.template, x.status));
                    }
                }
                Err(_) if x.body.trim().is_empty() => {}
                Err(e) => problems.push(format!("{} {} → {}: not JSON ({e})", op.method, op.template, x.status)),
            },
        }
    }
    assert!(problems.is_empty(), "answers that break the OpenAPI document:\n{}", problems.join("\n"));
    println!("{} exchanges validated; statuses the document does not list: {undocumented:?}", exchanges.len());

    // ---- coverage ----
    let readme: BTreeSet<(String, String)> =
        README_ENDPOINTS.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let missing: Vec<_> = readme.difference(&hit).collect();
    let scope: BTreeSet<(String, String)> =
        doc.operations().into_iter().filter(in_scope).map(|o| (o.method, o.template)).collect();
    let scope_missing: Vec<_> = scope.difference(&hit).collect();
    println!(
        "coverage: README endpoints {}/{}; OpenAPI operations in scope {}/{} (assets and articles out of scope)",
        readme.len() - missing.len(),
        readme.len(),
        scope.len() - scope_missing.len(),
        scope.len()
    );
    assert!(missing.is_empty(), "README endpoints not exercised: {missing:?}");
    assert!(scope_missing.is_empty(), "OpenAPI operations in scope not exercised: {scope_missing:?}");
    sb.stop().await;
}

/// Every manager-only call of REFERENCE §2, made with an agent's key and with the read-only key:
/// 401 in the `{"message","messages"}` shape, and nothing changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manager_only_calls_refuse_agents() {
    let sb = Sandbox::start().await;
    let log: Arc<Mutex<Vec<Exchange>>> = Arc::default();
    let m = Native::new(&sb.base, &sb.keys.manager, log.clone());
    let a = m.with_key(&sb.keys.agent);
    let t = m.send(&ticket::list(Page::new(1, 1), None, None)).await.unwrap()[0].id;
    let q = m.send(&queue::list(Page::new(1, 1))).await.unwrap()[0].id;
    let g = m.send(&group::list(Page::new(1, 1))).await.unwrap()[0].id;
    let u = m.send(&user::list(Page::new(1, 1))).await.unwrap()[0].id;
    let tg = m.send(&tag::list(Page::new(1, 1))).await.unwrap()[0].id;
    let ty = m.send(&ticket_type::list()).await.unwrap()[0].id;
    let f = m.send(&form::list()).await.unwrap()[0].id;
    let att =
        m.send(&attachment::upload(t, "x.txt", "text/plain", b"x".to_vec(), UploadTarget::Ticket)).await.unwrap().id;

    macro_rules! refused {
        ($($req:expr),+ $(,)?) => {{
            let mut n = 0;
            $(
                for (who, key) in [("agent", &a), ("read-only", &a.with_key(&sb.keys.read_only))] {
                    let e = key.send(&$req).await.expect_err(stringify!($req));
                    assert_eq!(e.status, Some(401), "{who}: {}: {e:?}", stringify!($req));
                    assert!(e.message.is_some(), "{who}: {}: message shape", stringify!($req));
                }
                n += 1;
            )+
            n
        }};
    }
    let n = refused!(
        queue::create(&queue::QueueInput { name: Some("x".into()), ..Default::default() }),
        queue::update(q, &queue::QueueInput { name: Some("x".into()), ..Default::default() }),
        queue::delete(q),
        group::create(&group::GroupInput { name: Some("x".into()), ..Default::default() }),
        group::update(g, &group::GroupInput { name: Some("x".into()), ..Default::default() }),
        group::delete(g),
        user::create(&user::UserInput { email: Some("x@example.org".into()), ..Default::default() }, false),
        user::update(u, &user::UserInput { user_notes: Some("x".into()), ..Default::default() }),
        user::delete(u),
        tag::create(&tag::TagInput { label: Some("x".into()), color: Some("#000000".into()), ..Default::default() }),
        tag::update(tg, &tag::TagInput { color: Some("#000000".into()), ..Default::default() }),
        tag::delete(tg),
        tag::merge(tg, tg + 1),
        ticket_type::create(&ticket_type::TicketTypeInput { name: Some("x".into()), ..Default::default() }),
        ticket_type::update(ty, &ticket_type::TicketTypeInput { name: Some("x".into()), ..Default::default() }),
        ticket_type::delete(ty),
        event::for_ticket(t),
        event::list(Page::new(1, 30), None),
        form::list(),
        form::show(f),
        access_right::agents(),
        access_right::groups(),
        access_right::show(access_right::Holder::User(u)),
        access_right::set(access_right::Holder::Group(g), q, false),
        group_access::list(u),
        group_access::set(u, g, group_access::Access::None),
        attachment::delete(att),
    );
    // Nothing changed: the manager still sees every record as it was.
    assert_eq!(m.send(&queue::show(q)).await.unwrap().id, q);
    assert_eq!(m.send(&group::show(g)).await.unwrap().id, g);
    assert_eq!(m.send(&tag::show(tg)).await.unwrap().id, tg);
    assert_eq!(m.send(&ticket_type::show(ty)).await.unwrap().id, ty);
    assert!(m.send(&attachment::list(t)).await.unwrap().iter().any(|x| x.id == att));
    println!("{n} manager-only calls refused for agent and read-only keys");
    sb.stop().await;
}
