use super::*;
use serde_json::json;

fn ticket(v: serde_json::Value) -> Ticket {
    serde_json::from_value(v).expect("ticket decodes")
}

fn sample() -> Ticket {
    ticket(json!({
        "id": 7, "title": "Printer on fire", "description": "<p>Smoke</p>", "ticket_queue_id": 3,
        "priority_id": 20, "status_id": 10, "ticket_type_id": null, "assigned_to_id": 5,
        "due_on": "2024-03-05T10:00:00Z", "cc": "a@x.example", "custom_field_department": "IT",
        "all_comments": [
            {"id": 2, "body": "second", "created_on": "2024-03-04T10:05:00Z", "related_data": {"user": {"full_name": "Ann"}}},
            {"id": 1, "body": "first", "created_on": "2024-03-04T10:00:00Z", "from_email": "c@x.example", "time_spent": 0}
        ],
        "staff_notes": [
            {"id": 9, "body": "private", "created_on": "2024-03-04T10:05:00Z", "time_spent": 15, "related_data": {"user": {"full_name": "Bo"}}}
        ],
        "attachments": [
            {"id": 40, "filename": "log.txt", "comment_id": 2, "created_on": "2024-03-04T10:05:00Z"},
            {"id": 41, "filename": "photo.png", "created_on": "2024-03-04T09:00:00Z"}
        ],
        "staff_only_attachments": [
            {"id": 42, "filename": "secret.pdf", "staff_note_id": 9, "created_on": "2024-03-04T10:05:00Z"},
            {"id": 40, "filename": "log.txt", "comment_id": 2, "created_on": "2024-03-04T10:05:00Z"}
        ]
    }))
}

#[test]
fn timeline_merges_in_time_order_with_files_under_their_entry() {
    let t = sample();
    let events: Vec<Event> = serde_json::from_value(json!([
        {"id": 100, "user_full_name": "Ann", "action_name": "status_change", "description": "Status: New → In progress", "created_on": "2024-03-04T10:01:00Z"},
        {"id": 101, "action_name": "assigned", "description": " ", "created_on": "2024-03-04T10:05:00Z"}
    ]))
    .unwrap();
    let tl = timeline(&t, &events, false);
    let order: Vec<(EntryKind, i64)> = tl.iter().map(|e| (e.kind, e.id)).collect();
    assert_eq!(
        order,
        vec![
            (EntryKind::Comment, 1),
            (EntryKind::Event, 100),
            (EntryKind::Comment, 2),
            (EntryKind::Note, 9),
            (EntryKind::Event, 101)
        ]
    );
    assert_eq!(tl[0].author, "c@x.example");
    assert_eq!(tl[0].time_spent, None, "0 minutes is no time logged");
    assert_eq!(tl[1].body, "Status: New → In progress");
    assert_eq!(tl[4].body, "assigned", "a blank description falls back to the action");
    assert_eq!(tl[4].author, "System");
    assert_eq!(tl[2].attachments.iter().map(|a| a.id).collect::<Vec<_>>(), vec![40]);
    assert_eq!(tl[3].attachments.iter().map(|a| a.id).collect::<Vec<_>>(), vec![42]);
    assert_eq!(tl[3].time_spent, Some(15));
    let reversed: Vec<i64> = timeline(&t, &events, true).iter().map(|e| e.id).collect();
    assert_eq!(reversed, vec![101, 9, 2, 100, 1]);
}

#[test]
fn all_files_lists_each_file_once_and_marks_staff_only() {
    let files = all_files(&sample());
    let ids: Vec<(i64, bool)> = files.iter().map(|(a, s)| (a.id, *s)).collect();
    assert_eq!(ids, vec![(41, false), (40, false), (42, true)]);
}

#[test]
fn fields_update_sends_only_what_changed() {
    let t = sample();
    let base = TicketFields::from_ticket(&t);
    assert_eq!(base.priority_id, "20");
    assert_eq!(base.assigned_to_id, "5");
    assert_eq!(base.custom.get("custom_field_department").map(String::as_str), Some("IT"));
    let mut mine = base.clone();
    assert!(mine.update_from(&base).to_json().as_object().unwrap().is_empty());
    mine.title = "  Printer on fire (2nd floor) ".into();
    mine.assigned_to_id = String::new();
    mine.custom.insert("custom_field_department".into(), "Facilities".into());
    mine.due_on = None;
    mine.ticket_type_id = String::new();
    let body = mine.update_from(&base).to_json();
    assert_eq!(
        body,
        json!({"title": "Printer on fire (2nd floor)", "assigned_to_id": null, "due_on": null, "custom_field_department": "Facilities"}),
        "a cleared date is sent as null, so the service clears it"
    );
    assert_eq!(mine.changed_from(&base), vec!["title", "assigned_to_id", "due_on", "custom_field_department"]);
}

#[test]
fn conflicts_name_fields_both_changed_and_rebase_keeps_the_rest() {
    let base = TicketFields::from_ticket(&sample());
    let mut theirs = base.clone();
    theirs.status_id = "20".into();
    theirs.title = "Printer fixed?".into();
    let mut mine = base.clone();
    mine.title = "Printer on fire, 2nd floor".into();
    mine.cc = "b@x.example".into();
    let (changed, both) = conflicts(&base, &theirs, &mine);
    assert_eq!(changed, vec!["title", "status_id"]);
    assert_eq!(
        both,
        vec![Conflict {
            field: "title".into(),
            was: "Printer on fire".into(),
            theirs: "Printer fixed?".into(),
            mine: "Printer on fire, 2nd floor".into()
        }]
    );
    let took_theirs = rebase(&base, &theirs, &mine, false);
    assert_eq!(
        (took_theirs.title.as_str(), took_theirs.status_id.as_str(), took_theirs.cc.as_str()),
        ("Printer fixed?", "20", "b@x.example")
    );
    let kept_mine = rebase(&base, &theirs, &mine, true);
    assert_eq!((kept_mine.title.as_str(), kept_mine.status_id.as_str()), ("Printer on fire, 2nd floor", "20"));
    // The same change on both sides is no conflict, and not even news (a lost answer of this
    // agent's own save looks exactly like that).
    mine.title = "Printer fixed?".into();
    mine.status_id = "20".into();
    assert_eq!(conflicts(&base, &theirs, &mine), (vec![], vec![]));
}

#[test]
fn a_lost_answer_is_matched_to_its_draft_by_text_time_and_author() {
    let at = |s: &str| Timestamp::parse(s);
    let sent = at("2024-03-04T10:00:00Z").unwrap().millis();
    let existing = vec![
        (1, "Please restart the printer", at("2024-03-01T10:00:00Z"), Some(5)),
        (2, "<p>Please   restart\nthe printer</p>", at("2024-03-04T10:00:01Z"), Some(5)),
        (3, "Something else", at("2024-03-04T10:00:02Z"), Some(5)),
        (4, "Same words from a colleague", at("2024-03-04T10:00:03Z"), Some(9)),
    ];
    let find = |body: &str, me: Option<i64>| already_posted(existing.clone(), body, sent, me);
    assert_eq!(find("Please restart the printer", Some(5)), Some(Posted::Mine(2)));
    assert_eq!(find("Please restart the printer", None), Some(Posted::Maybe(2)), "without knowing who I am, ask");
    assert_eq!(find("Please restart the printer!", Some(5)), None);
    assert_eq!(find("Same words from a colleague", Some(5)), None, "a colleague's identical words are not my save");
    assert_eq!(find("Same words from a colleague", None), Some(Posted::Maybe(4)));
    // An old identical comment is not this draft's save.
    assert_eq!(already_posted(existing[..1].to_vec(), "Please restart the printer", sent, None), None);
    assert_eq!(comparable_text("a<br>b &amp; <b>c</b>"), "a b &amp; c");
}

#[test]
fn comment_minutes_are_checked() {
    let mut d = CommentDraft { time_spent: " 15 ".into(), ..Default::default() };
    assert_eq!(d.minutes(), Ok(Some(15)));
    d.time_spent = "1.5".into();
    assert!(d.minutes().is_err());
    d.time_spent = "-3".into();
    assert!(d.minutes().is_err());
    d.time_spent = String::new();
    assert_eq!(d.minutes(), Ok(None));
    assert!(d.is_empty());
}

fn def(key: &str, label: &str, kind: i64, options: &[&str], required: bool) -> CustomDef {
    CustomDef {
        key: key.into(),
        label: label.into(),
        kind,
        options: options.iter().map(|o| o.to_string()).collect(),
        required,
    }
}

#[test]
fn new_ticket_validation_mirrors_the_service() {
    let mut d = NewTicketDraft::default();
    let custom = vec![
        def("custom_field_department", "Department", 3, &["IT", "HR"], true),
        def("custom_field_amount", "Amount", 5, &[], false),
    ];
    let fields: Vec<String> = validate_new(&d, &custom).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, vec!["title", "ticket_queue_id", "custom_field_department"]);
    d.fields.title = "x".repeat(256);
    d.fields.ticket_queue_id = "3".into();
    d.fields.custom.insert("custom_field_department".into(), "IT".into());
    d.fields.custom.insert("custom_field_amount".into(), "12,50".into());
    d.requester = Requester::Email("not an email".into());
    d.fields.cc = "a@x.example, nope".into();
    let errs = validate_new(&d, &custom);
    assert_eq!(
        errs.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        vec!["title", "user_email", "cc", "custom_field_amount"]
    );
    assert_eq!(errs[0].1, "Title is too long (maximum is 255 characters)");
    assert_eq!(errs[2].1, "\u{201c}nope\u{201d} is not an e-mail address");
    assert_eq!(errs[3].1, "Amount is a number");
    d.fields.title = "Printer".into();
    d.requester = Requester::Email(" jo@x.example ".into());
    d.fields.cc = String::new();
    d.fields.custom.insert("custom_field_amount".into(), "12.50".into());
    assert!(validate_new(&d, &custom).is_empty());
    d.fields.custom.remove("custom_field_amount");
    d.fields.priority_id = "20".into();
    d.suppress = true;
    assert_eq!(
        d.to_input().to_json(),
        json!({"title": "Printer", "ticket_queue_id": 3, "priority_id": 20, "user": {"email": "jo@x.example"},
               "custom_field_department": "IT", "suppress_user_notification": true})
    );
}

#[test]
fn custom_values_cc_and_names_are_checked() {
    let whole = def("custom_field_seats", "Seats", 4, &[], false);
    assert_eq!(custom_value_problem(&whole, "12"), None);
    assert_eq!(custom_value_problem(&whole, "2.5").as_deref(), Some("Seats is a whole number"));
    assert_eq!(custom_value_problem(&whole, "1e9").as_deref(), Some("Seats is a whole number"));
    assert_eq!(custom_value_problem(&whole, ""), None);
    let decimal = def("custom_field_amount", "Amount", 5, &[], false);
    assert_eq!(custom_value_problem(&decimal, "-12.50"), None);
    assert_eq!(custom_value_problem(&decimal, "abc").as_deref(), Some("Amount is a number"));
    assert_eq!(custom_value_problem(&decimal, "inf").as_deref(), Some("Amount is a number"));
    let pick = def("custom_field_department", "Department", 3, &["IT"], true);
    assert_eq!(custom_value_problem(&pick, "Sales").as_deref(), Some("Department is not included in the list"));
    assert_eq!(
        custom_problems(&[pick], &BTreeMap::new()),
        vec![("custom_field_department".to_string(), "Department is required".to_string())]
    );
    assert_eq!(cc_problem("a@x.example; b@y.example"), None);
    assert_eq!(cc_problem("a@b").as_deref(), Some("\u{201c}a@b\u{201d} is not an e-mail address"));
    assert_eq!(visible_text("invoice\u{202e}fdp.exe"), "invoice\u{fffd}fdp.exe");
    assert_eq!(visible_text("a\u{0}b\u{2067}c"), "a\u{fffd}b\u{fffd}c");
    assert_eq!(visible_text("👩\u{200d}💻 ok\nnext"), "👩\u{200d}💻 ok\nnext", "emoji joiners and line breaks stay");
}

#[test]
fn service_messages_find_their_field() {
    let mut labels = service_labels();
    labels.push(("custom_field_department".into(), "Department".into()));
    let f = |m: &str| field_of_message(m, &labels);
    assert_eq!(f("Title can't be blank").as_deref(), Some("title"));
    assert_eq!(f("Ticket queue is invalid").as_deref(), Some("ticket_queue_id"));
    assert_eq!(f("User email is invalid").as_deref(), Some("user_email"), "the longest label wins over 'User'");
    assert_eq!(f("User is invalid").as_deref(), Some("user_id"));
    assert_eq!(f("Department is not included in the list").as_deref(), Some("custom_field_department"));
    assert_eq!(f("Titles are nice"), None, "a label must be a whole word");
    assert_eq!(f("Something else"), None);
}

#[test]
fn files_are_checked_and_classified() {
    assert_eq!(human_size(812), "812 B");
    assert_eq!(human_size(14_540), "14.2 KB");
    assert_eq!(human_size(MAX_FILE_BYTES), "20.0 MB");
    assert_eq!(upload_problem("a.png", MAX_FILE_BYTES), None);
    assert_eq!(
        upload_problem("big.iso", MAX_FILE_BYTES + 1).as_deref(),
        Some("big.iso is 20971521 bytes; the largest file the helpdesk takes is 20971520 bytes."),
        "the sizes differ in the message"
    );
    assert_eq!(
        upload_problem("huge.iso", 30 * 1024 * 1024).as_deref(),
        Some("huge.iso is 30.0 MB; the largest file the helpdesk takes is 20.0 MB.")
    );
    let mib = 1024 * 1024;
    assert_eq!(request_problem(&[15 * mib, 4 * mib]), None);
    assert_eq!(
        request_problem(&[15 * mib, 15 * mib]).as_deref(),
        Some(
            "These files add up to 30.0 MB; one request takes at most 24.8 MB. Attach the rest on the ticket once it is created."
        )
    );
    assert_eq!(upload_problem("e.txt", 0).as_deref(), Some("e.txt is empty."));
    assert_eq!(file_view("image/png", "shot.PNG"), FileView::Image);
    assert_eq!(file_view("image/jpeg; charset=binary", "a.jpg"), FileView::Image);
    assert_eq!(file_view("image/svg+xml", "logo.svg"), FileView::Download);
    assert_eq!(file_view("image/png", "logo.svg"), FileView::Download, "the name must agree");
    assert_eq!(file_view("text/html", "page.png"), FileView::Download, "the type must agree");
    assert_eq!(file_view("", "noext"), FileView::Download);
    let now = Timestamp::parse("2024-12-03T10:15:02Z").unwrap();
    assert_eq!(pasted_name(now, "image/png"), "screenshot-20241203-101502.png");
    assert_eq!(pasted_name(now, "image/jpeg"), "screenshot-20241203-101502.jpg");
}

#[test]
fn tag_suggestions_prefer_prefixes_and_skip_the_tickets_own() {
    let tags: Vec<Tag> = serde_json::from_value(json!([
        {"id": 1, "label": "vpn"}, {"id": 2, "label": "Printer"}, {"id": 3, "label": "printer-jam"},
        {"id": 4, "label": "laser printer"}, {"id": 5, "label": "urgent"}
    ]))
    .unwrap();
    let labels = |v: Vec<Tag>| v.into_iter().map(|t| t.label.unwrap()).collect::<Vec<_>>();
    assert_eq!(labels(tag_suggestions(&tags, &[], "PRINT", 10)), vec!["Printer", "printer-jam", "laser printer"]);
    assert_eq!(labels(tag_suggestions(&tags, &[2], "print", 10)), vec!["printer-jam", "laser printer"]);
    assert_eq!(labels(tag_suggestions(&tags, &[], "", 2)), vec!["Printer", "laser printer"]);
}

#[test]
fn custom_fields_come_from_the_form_then_the_types_then_the_values() {
    let form: mojo_api::form::TicketForm = serde_json::from_value(json!({
        "id": 1, "field_attributes": [
            {"id": 1001, "name": "title", "label": "Subject", "is_required": true, "field_type": 1},
            {"id": 1101, "name": "custom_field_department", "label": "Department", "is_required": true, "field_type": 3, "options": ["IT", "HR"]},
            {"id": 1102, "name": "custom_field_room", "label": "", "field_type": 1}
        ]
    }))
    .unwrap();
    let types = vec![
        json!({"name": "custom_field_room", "type": 1, "type_name": "Text"}),
        json!({"name": "custom_field_cost_center", "type": "4", "type_name": "Number"}),
    ];
    let mut values = BTreeMap::new();
    values.insert("custom_field_legacy_ref".to_string(), "A-1".to_string());
    values.insert("custom_field_room".to_string(), "12".to_string());
    let defs = custom_defs(&types, Some(&form), &values);
    let summary: Vec<(&str, &str, i64, usize, bool)> =
        defs.iter().map(|d| (d.key.as_str(), d.label.as_str(), d.kind, d.options.len(), d.required)).collect();
    assert_eq!(
        summary,
        vec![
            ("custom_field_department", "Department", 3, 2, true),
            ("custom_field_room", "Room", 1, 0, false),
            ("custom_field_cost_center", "Cost center", 4, 0, false),
            ("custom_field_legacy_ref", "Legacy ref", 1, 0, false),
        ]
    );
    // Without the form (an agent's key), the types alone say what there is.
    let defs = custom_defs(&types, None, &BTreeMap::new());
    assert_eq!(
        defs.iter().map(|d| d.key.as_str()).collect::<Vec<_>>(),
        vec!["custom_field_room", "custom_field_cost_center"]
    );
}

#[test]
fn tag_labels_are_cleaned_or_refused_never_cut() {
    assert_eq!(clean_tag_label("  vpn   issue "), Ok("vpn issue".to_string()));
    assert_eq!(clean_tag_label("\u{202e}evil\u{202c}"), Ok("evil".to_string()), "bidi controls dropped");
    assert_eq!(clean_tag_label("tab\there\n"), Ok("tab here".to_string()));
    assert_eq!(clean_tag_label("a\u{0}b"), Ok("ab".to_string()));
    assert_eq!(clean_tag_label("日本語 ✓"), Ok("日本語 ✓".to_string()));
    assert_eq!(clean_tag_label(" \u{200f} "), Err("Write the tag first.".to_string()));
    assert_eq!(
        clean_tag_label(&"x".repeat(101)),
        Err("A tag has at most 100 characters; this one has 101.".to_string())
    );
    assert_eq!(clean_tag_label(&"x".repeat(100)).map(|l| l.len()), Ok(100));
}

#[test]
fn length_note_counts_characters_not_bytes() {
    assert_eq!(length_note(&"a".repeat(LONG_TEXT_CHARS)), None);
    assert_eq!(
        length_note(&"é".repeat(LONG_TEXT_CHARS + 1)).as_deref(),
        Some("10,001 characters: a long text, shown folded on the ticket")
    );
    assert_eq!(
        length_note(&"x".repeat(200_000)).as_deref(),
        Some("200,000 characters: a long text, shown folded on the ticket")
    );
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(thousands(999), "999");
}
