//! Every example of the schemas we model in the vendor's OpenAPI document, and every example in
//! REFERENCE.md, decodes; and nothing in it is lost: the model written back out holds every key
//! of the example with the same value (timestamps compared as instants).

use mojo_api::attachment::Attachment;
use mojo_api::comment::Comment;
use mojo_api::group::Group;
use mojo_api::queue::TicketQueue;
use mojo_api::staff_note::StaffNote;
use mojo_api::tag::Tag;
use mojo_api::task::Task;
use mojo_api::ticket::Ticket;
use mojo_api::ticket_type::TicketType;
use mojo_api::user::User;
use mojo_api::{Priority, Role, Status, Timestamp};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("fixture is JSON")
}

/// Timestamps become instants so `...02Z` and `...02.000Z` compare equal.
fn normalise(v: &Value) -> Value {
    match v {
        Value::String(s) if s.len() >= 19 && s.as_bytes()[4] == b'-' && s.as_bytes()[10] == b'T' => {
            Timestamp::parse(s).map(|t| Value::from(t.millis())).unwrap_or_else(|| v.clone())
        }
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), normalise(v))).collect()),
        _ => v.clone(),
    }
}

/// Every key of `expected` is in `actual` with an equal value (recursively).
fn assert_kept(expected: &Value, actual: &Value, at: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or_else(|| panic!("{at}.{k} lost"));
                assert_kept(ev, av, &format!("{at}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{at}: length");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                assert_kept(ev, av, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(expected, actual, "{at}"),
    }
}

fn decodes_losslessly<T: DeserializeOwned + Serialize>(example: &Value, name: &str) -> T {
    let model: T = serde_json::from_value(example.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let back = serde_json::to_value(&model).unwrap();
    assert_kept(&normalise(example), &normalise(&back), name);
    model
}

fn openapi_example(schema: &str) -> Value {
    let doc = fixture("openapi.json");
    doc["components"]["schemas"][schema]["example"].clone()
}

#[test]
fn openapi_ticket_examples() {
    let item: Ticket = decodes_losslessly(&openapi_example("TicketListItem"), "TicketListItem");
    assert_eq!(item.id, 123);
    assert_eq!(item.status(), Status::Solved);
    assert_eq!(item.priority(), Priority::Normal);
    assert_eq!(item.tag_ids, vec![1, 2, 3]);
    assert_eq!(item.tags[0].label.as_deref(), Some("Bug"));
    assert_eq!(item.asset_tag.as_deref(), Some("ASSET-0001"));
    assert_eq!(item.created_on.unwrap().to_iso(), "2024-01-15T10:30:00Z");

    let full: Ticket = decodes_losslessly(&openapi_example("Ticket"), "Ticket");
    assert_eq!(full.ticket_queue.as_ref().unwrap().name.as_deref(), Some("Technical Support"));
    assert_eq!(full.ticket_type.as_ref().unwrap().name.as_deref(), Some("Bug Report"));
    assert_eq!(full.custom_fields().get("custom_field_asset_serial").map(String::as_str), Some("SN-00123"));
    assert_eq!(full.tasks[0].id, 777);
    assert_eq!(full.time_to_first_comment, Some(1800));
}

#[test]
fn openapi_other_examples() {
    let q: TicketQueue = decodes_losslessly(&openapi_example("TicketQueue"), "TicketQueue");
    assert_eq!((q.id, q.display_name()), (1, "Technical Support".to_string()));
    let u: User = decodes_losslessly(&openapi_example("User"), "User");
    assert_eq!((u.role(), u.display_name()), (Role::Agent, "John Doe".to_string()));
    let g: Group = decodes_losslessly(&openapi_example("Group"), "Group");
    assert_eq!(g.zip.as_deref(), Some("10001"));
    let t: Tag = decodes_losslessly(&openapi_example("Tag"), "Tag");
    assert_eq!(t.safe_color(), Some("#ff0000"));
    let ty: TicketType = decodes_losslessly(&openapi_example("TicketType"), "TicketType");
    assert_eq!(ty.display_name(), "Bug Report");
    let c: Comment = decodes_losslessly(&openapi_example("Comment"), "Comment");
    assert_eq!(mojo_api::comment::author_name(&c.related_data).as_deref(), Some("Jane Agent"));
    let n: StaffNote = decodes_losslessly(&openapi_example("StaffNote"), "StaffNote");
    assert!(n.body.is_some());
    let a: Attachment = decodes_losslessly(&openapi_example("Attachment"), "Attachment");
    assert!(a.filename.is_some());
    let k: Task = decodes_losslessly(&openapi_example("Task"), "Task");
    assert_eq!((k.id, k.is_completed), (777, Some(false)));
}

#[test]
fn openapi_examples_of_the_other_resources() {
    use mojo_api::access_right::AccessRight;
    use mojo_api::event::Event;
    use mojo_api::form::TicketForm;
    use mojo_api::group_access::GroupAccess;
    use mojo_api::team::Team;
    let e: Event = decodes_losslessly(&openapi_example("EventLogEntry"), "EventLogEntry");
    assert_eq!((e.entity_type, e.action_name.as_deref()), (Some(1), Some("create")));
    let a: AccessRight = decodes_losslessly(&openapi_example("AccessRight"), "AccessRight");
    assert_eq!(a.accessible_queues[0].id, Some(94748));
    assert_eq!(a.picture_type, Value::String("url".into()));
    let f: TicketForm = decodes_losslessly(&openapi_example("TicketForm"), "TicketForm");
    assert_eq!(f.field_attributes[0].name.as_deref(), Some("priority_id"));
    assert_eq!(f.form_field_rules[0].value.as_deref(), Some("10"));
    assert_eq!(f.hidden_field_attribute_ids, vec![101, 102]);
    let g: GroupAccess = decodes_losslessly(&openapi_example("GroupAccess"), "GroupAccess");
    assert_eq!((g.user_id, g.group_id, g.access), (Some(14), Some(1234), Some(1)));
    let t: Team = decodes_losslessly(&openapi_example("Team"), "Team");
    assert_eq!(t.agent_ids, vec![98, 101]);
}

#[test]
fn request_descriptions() {
    use mojo_api::attachment::{self, UploadTarget};
    use mojo_api::ticket::{self, NewAttachment, TagRef, TicketInput};
    let up = attachment::upload(7, "a.txt", "text/plain", b"hi".to_vec(), UploadTarget::Comment(3));
    assert_eq!(up.path_and_query(), "/api/v2/tickets/7/attachments?comment_id=3");
    assert!(
        matches!(&up.body, Body::Multipart(p) if matches!(&p[0], mojo_api::Part::File { name, .. } if name == "file"))
    );
    assert_eq!(attachment::download_location(302, Some("/blob/x"), ""), Ok("/blob/x".to_string()));
    assert_eq!(
        attachment::download_location(404, None, r#"{"message":"Record not found"}"#).unwrap_err().status,
        Some(404)
    );
    let add = ticket::add_tag(5, &TagRef::Label("vip".into()));
    assert_eq!(add.body, Body::Json(serde_json::json!({"tag_label": "vip"})));
    let input = TicketInput {
        title: Some("T".into()),
        ticket_queue_id: Some(8),
        user_email: Some("c@x.example".into()),
        ..Default::default()
    };
    let multi = ticket::create_with_attachments(
        &input,
        vec![NewAttachment { filename: "f.png".into(), content_type: "image/png".into(), bytes: vec![1, 2] }],
    );
    let Body::Multipart(parts) = &multi.body else { panic!("multipart") };
    let names: Vec<&str> = parts
        .iter()
        .map(|p| match p {
            mojo_api::Part::Text { name, .. } | mojo_api::Part::File { name, .. } => name.as_str(),
        })
        .collect();
    assert_eq!(names, vec!["ticket_queue_id", "title", "user[email]", "attachment[0][content]"]);
    let set = mojo_api::access_right::set_many(mojo_api::access_right::Holder::User(9), &[94748, 15], true);
    assert_eq!(set.path_and_query(), "/api/v2/users/9/access_rights/set");
    assert_eq!(set.body, Body::Json(serde_json::json!({"keys": ["94748", "15"], "has_access": "true"})));
    let open = mojo_api::query::parse("status.id:(<50)").unwrap();
    let search = ticket::search(open.as_ref(), Some("created_on"), true, mojo_api::Page::new(2, 500));
    assert_eq!(
        search.path_and_query(),
        "/api/v2/tickets/search?query=status.id%3A%28%3C50%29&sf=created_on&r=1&page=2&per_page=100"
    );
    let user = mojo_api::user::create(
        &mojo_api::user::UserInput { email: Some("a@b.example".into()), ..Default::default() },
        false,
    );
    assert_eq!(user.path_and_query(), "/api/v2/users?send_welcome_email=0");
}

#[test]
fn reference_examples() {
    let r = fixture("reference_examples.json");
    let full: Ticket = decodes_losslessly(&r["ticket_full"], "ticket_full");
    assert_eq!(full.status(), Status::InProgress);
    assert_eq!(full.due_on.unwrap().to_iso(), "2024-03-06T17:00:00Z");
    assert_eq!(full.custom_fields().get("custom_field_room").map(String::as_str), Some("B-12"));
    assert_eq!(full.related(&["ticket_queue", "name"]).as_deref(), Some("Facilities"));
    let c: Comment = decodes_losslessly(&r["comment"], "comment");
    assert_eq!(c.time_spent, Some(15));
    let a: Attachment = decodes_losslessly(&r["attachment"], "attachment");
    assert_eq!(a.content_size, Some(20480));
    let q: TicketQueue = decodes_losslessly(&r["queue"], "queue");
    assert_eq!(q.email_alias.as_deref(), Some("facilities"));
    let g: Group = decodes_losslessly(&r["group"], "group");
    assert_eq!(g.support_status_id, Some(0));
    let u: User = decodes_losslessly(&r["user"], "user");
    assert_eq!(u.role(), Role::Regular);
    let t: Tag = decodes_losslessly(&r["tag"], "tag");
    assert_eq!(t.label.as_deref(), Some("av"));
    let ty: TicketType = decodes_losslessly(&r["ticket_type"], "ticket_type");
    assert_eq!(ty.id, 3);
}

#[test]
fn tolerant_decoding() {
    let r = fixture("reference_examples.json");
    let t: Ticket = serde_json::from_value(r["ticket_list_item_strings"].clone()).unwrap();
    assert_eq!(t.id, 1002);
    assert_eq!(t.status(), Status::InformationRequested);
    assert_eq!(t.priority(), Priority::Emergency);
    assert_eq!(t.ticket_queue_id, Some(11));
    assert_eq!(t.assigned_to_id, None);
    assert_eq!(t.tag_ids, vec![1, 2]);
    assert_eq!(t.created_on.unwrap().seconds(), 1_384_205_822);
    assert_eq!(t.updated_on.unwrap().to_iso(), "2019-09-03T08:15:42Z");
    assert_eq!(t.created_from, Some(mojo_api::CreatedFrom::Email));
    let cf = t.custom_fields();
    assert_eq!(cf.get("custom_field_room").map(String::as_str), Some("C-3"));
    assert_eq!(cf.get("custom_field_floor").map(String::as_str), Some("2"));
    assert_eq!(t.extra["some_future_key"]["nested"], Value::Bool(true));

    // Unknown enum codes are kept, not refused.
    let odd: Ticket = serde_json::from_str(r#"{"id":5,"status_id":15,"priority_id":99}"#).unwrap();
    assert_eq!(odd.status(), Status::Other(15));
    assert_eq!(odd.priority(), Priority::Other(99));
    // An unreadable date does not make the ticket unreadable.
    let bad_date: Ticket = serde_json::from_str(r#"{"id":6,"created_on":"soon"}"#).unwrap();
    assert_eq!(bad_date.created_on, None);
    // A ticket without an id is refused.
    assert!(serde_json::from_str::<Ticket>(r#"{"title":"x"}"#).is_err());
}

#[test]
fn ticket_input_body() {
    use mojo_api::ticket::TicketInput;
    let mut input = TicketInput {
        title: Some("Printer".into()),
        ticket_queue_id: Some(8),
        priority_id: Some(Priority::Urgent),
        user_email: Some("customer@someplace.com".into()),
        assigned_to_id: Some(None),
        due_on: Some(Timestamp::parse("2024-01-17T17:00:00.000Z")),
        ..Default::default()
    };
    input.custom_fields.insert("room".into(), "B-12".into());
    let req = mojo_api::ticket::create(&input);
    assert_eq!(req.path_and_query(), "/api/v2/tickets");
    let Body::Json(body) = &req.body else { panic!("json body") };
    assert_eq!(
        body,
        &serde_json::json!({"title":"Printer","ticket_queue_id":8,"priority_id":20,"user":{"email":"customer@someplace.com"},
            "assigned_to_id":null,"due_on":"2024-01-17T17:00:00Z","custom_field_room":"B-12"})
    );
    let list =
        mojo_api::ticket::list(mojo_api::Page::new(2, 100), Some("status_id"), Some(mojo_api::ticket::SortOrder::Asc));
    assert_eq!(list.path_and_query(), "/api/v2/tickets?page=2&per_page=100&sort_by=status_id&sort_order=asc");
}

use mojo_api::Body;

#[test]
fn clearing_a_date_or_the_type_sends_null() {
    use mojo_api::ticket::TicketInput;
    let input =
        TicketInput { due_on: Some(None), scheduled_on: Some(None), ticket_type_id: Some(None), ..Default::default() };
    assert_eq!(input.to_json(), serde_json::json!({"due_on": null, "scheduled_on": null, "ticket_type_id": null}));
    let untouched = TicketInput::default();
    assert_eq!(untouched.to_json(), serde_json::json!({}), "fields left alone are not sent at all");
}

#[test]
fn a_yes_that_cannot_be_read_is_still_a_yes() {
    use mojo_api::ApiError;
    assert!(ApiError::undecodable(201, "<html>ok</html>", "expected a comment").accepted_unreadable());
    assert!(ApiError::undecodable(200, "{\"id\":", "expected a ticket").accepted_unreadable());
    assert!(!ApiError::from_response(502, "<h1>Bad gateway</h1>").accepted_unreadable());
    assert!(!ApiError::from_response(422, "{\"errors\":[\"Title can't be blank\"]}").accepted_unreadable());
}
