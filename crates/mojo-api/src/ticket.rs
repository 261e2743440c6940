//! Tickets. One [`Ticket`] type serves all three shapes the API sends (REFERENCE §3.1): the list
//! item of `GET /tickets`, the search result (list item + `tags`, `asset_tag`, `closed_on`,
//! `deleted_at`) and the full ticket of show/create/update. Fields a shape lacks are `None` or
//! empty; keys nobody modelled stay in `extra`. One type keeps the cache and the views simple:
//! a card built from a list item and a detail built from a full ticket read the same fields.

use crate::attachment::Attachment;
use crate::comment::Comment;
use crate::de;
use crate::enums::{CreatedFrom, Priority, Status};
use crate::queue::TicketQueue;
use crate::request::{Method, Page, Request};
use crate::staff_note::StaffNote;
use crate::tag::Tag;
use crate::task::Task;
use crate::time::{Timestamp, opt_timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// `{id, name}` as used for resolution, ticket type, time-tracking unit and potential assignees.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IdName {
    /// Id.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub id: Option<i64>,
    /// Name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub name: Option<String>,
}

/// One custom field value of a full ticket (`custom_field_values[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldValue {
    /// `custom_field_<key>`.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub name: Option<String>,
    /// The value, always text on input; kept as JSON to accept numbers too.
    #[serde(default)]
    pub value: Value,
}

/// A ticket in any of its three shapes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// Ticket id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Title.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub title: Option<String>,
    /// Description: plain text or untrusted e-mail HTML.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub description: Option<String>,
    /// Status.
    #[serde(default)]
    pub status_id: Option<Status>,
    /// Priority.
    #[serde(default)]
    pub priority_id: Option<Priority>,
    /// Queue.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub ticket_queue_id: Option<i64>,
    /// Form.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub ticket_form_id: Option<i64>,
    /// Type.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub ticket_type_id: Option<i64>,
    /// Requester.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub user_id: Option<i64>,
    /// Assignee.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub assigned_to_id: Option<i64>,
    /// Group (formerly company).
    #[serde(deserialize_with = "de::opt_id", default)]
    pub company_id: Option<i64>,
    /// Rating out of 100.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub rating: Option<i64>,
    /// When rated.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub rated_on: Option<Timestamp>,
    /// Rating comment.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub rating_comment: Option<String>,
    /// Created.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub created_on: Option<Timestamp>,
    /// Last update.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub updated_on: Option<Timestamp>,
    /// Last status change.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub status_changed_on: Option<Timestamp>,
    /// Solved.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub solved_on: Option<Timestamp>,
    /// Closed (search results only).
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub closed_on: Option<Timestamp>,
    /// Soft-deleted (search results only).
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub deleted_at: Option<Timestamp>,
    /// Last assignment (full ticket).
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub assigned_on: Option<Timestamp>,
    /// First assignment.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub first_assigned_on: Option<Timestamp>,
    /// Due.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub due_on: Option<Timestamp>,
    /// Scheduled.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub scheduled_on: Option<Timestamp>,
    /// Resolution id.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub resolution_id: Option<i64>,
    /// Where it came from.
    #[serde(default)]
    pub created_from: Option<CreatedFrom>,
    /// Tag ids (list items).
    #[serde(deserialize_with = "de::id_list", default)]
    pub tag_ids: Vec<i64>,
    /// Tags (full ticket and search results).
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub tags: Vec<Tag>,
    /// Asset reference (not the tags).
    #[serde(deserialize_with = "de::opt_string", default)]
    pub asset_tag: Option<String>,
    /// Parent ticket.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub parent_ticket_id: Option<i64>,
    /// Comma-separated CC e-mails.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub cc: Option<String>,
    /// Needs attention.
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub is_attention_required: Option<bool>,
    /// Seconds to the first comment.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub time_to_first_comment: Option<i64>,
    /// First comment.
    #[serde(deserialize_with = "opt_timestamp", default)]
    pub first_commented_on: Option<Timestamp>,
    /// Resolution.
    #[serde(default)]
    pub resolution: Option<IdName>,
    /// Type, nested (full ticket).
    #[serde(default)]
    pub ticket_type: Option<IdName>,
    /// Queue, nested (full ticket).
    #[serde(default)]
    pub ticket_queue: Option<TicketQueue>,
    /// Custom field values (full ticket).
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub custom_field_values: Vec<CustomFieldValue>,
    /// Custom field types (full ticket): `[{name, type, type_name}]`.
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub custom_field_types: Vec<Value>,
    /// Tasks (full ticket).
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub tasks: Vec<Task>,
    /// Public comments (full ticket).
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub all_comments: Vec<Comment>,
    /// Staff notes (full ticket).
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub staff_notes: Vec<StaffNote>,
    /// Attachments (full ticket).
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub attachments: Vec<Attachment>,
    /// Staff-only attachments (full ticket).
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub staff_only_attachments: Vec<Attachment>,
    /// Agents this ticket may be assigned to.
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub potential_assignees: Vec<IdName>,
    /// Loosely specified extra data (`user`, `assignee_user`, `company`, `ticket_queue`...).
    #[serde(default)]
    pub related_data: Option<Value>,
    /// Every other key, including top-level `custom_field_*`.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Ticket {
    /// Status, `New` when the service left it out.
    pub fn status(&self) -> Status {
        self.status_id.unwrap_or(Status::New)
    }

    /// Priority, `Normal` when the service left it out.
    pub fn priority(&self) -> Priority {
        self.priority_id.unwrap_or(Priority::Normal)
    }

    /// Title, or a placeholder naming the id.
    pub fn display_title(&self) -> String {
        match self.title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => t.to_string(),
            _ => format!("(untitled ticket #{})", self.id),
        }
    }

    /// Custom field values by `custom_field_<key>`: the top-level `custom_field_*` keys and the
    /// `custom_field_values` list merged (the list wins where both name a field).
    pub fn custom_fields(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (k, v) in &self.extra {
            if k.starts_with("custom_field_") && k != "custom_field_values" && k != "custom_field_types" {
                out.insert(k.clone(), value_text(v));
            }
        }
        for cf in &self.custom_field_values {
            if let Some(name) = &cf.name {
                let key = if name.starts_with("custom_field_") { name.clone() } else { format!("custom_field_{name}") };
                out.insert(key, value_text(&cf.value));
            }
        }
        out
    }

    /// A string from `related_data` at a path such as `["user", "full_name"]`.
    pub fn related(&self, path: &[&str]) -> Option<String> {
        let mut v = self.related_data.as_ref()?;
        for p in path {
            v = v.get(p)?;
        }
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The fields of `GET /tickets` `sort_by` (REFERENCE §1.6).
pub const SORT_FIELDS: [&str; 20] = [
    "id",
    "title",
    "description",
    "user_id",
    "assigned_to_id",
    "status_id",
    "ticket_form_id",
    "priority_id",
    "ticket_queue_id",
    "company_id",
    "rating",
    "rated_on",
    "created_on",
    "updated_on",
    "status_changed_on",
    "solved_on",
    "assigned_on",
    "ticket_type_id",
    "due_on",
    "scheduled_on",
];

/// The most `GET /tickets` serves per page.
pub const MAX_PER_PAGE: u32 = 100;
/// What `GET /tickets` serves when `per_page` is missing (README: 30).
pub const DEFAULT_PER_PAGE: u32 = 30;

/// Sort order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortOrder {
    /// Ascending.
    Asc,
    /// Descending (the default).
    Desc,
}

impl SortOrder {
    /// `asc` or `desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

/// `GET /tickets`: one page of ticket list items.
pub fn list(page: Page, sort_by: Option<&str>, order: Option<SortOrder>) -> Request<Vec<Ticket>> {
    Request::new(Method::Get, "/tickets")
        .query("page", page.page)
        .query("per_page", page.per_page)
        .query_opt("sort_by", sort_by)
        .query_opt("sort_order", order.map(SortOrder::as_str))
}

/// `GET /tickets/{id}`: the full ticket.
pub fn show(id: i64) -> Request<Ticket> {
    Request::new(Method::Get, format!("/tickets/{id}"))
}

/// `POST /tickets` with a JSON body (201, the full ticket).
pub fn create(input: &TicketInput) -> Request<Ticket> {
    Request::new(Method::Post, "/tickets").json(input.to_json())
}

/// `PUT /tickets/{id}`: a partial update; only the fields set in `input` are sent.
pub fn update(id: i64, input: &TicketInput) -> Request<Ticket> {
    Request::new(Method::Put, format!("/tickets/{id}")).json(input.to_json())
}

/// `DELETE /tickets/{id}` (200, empty body).
pub fn delete(id: i64) -> Request<()> {
    Request::new(Method::Delete, format!("/tickets/{id}"))
}

/// Ticket input fields for create and update (README "Ticket input fields", REFERENCE §6).
/// `None` fields are not sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TicketInput {
    /// Title (required on create).
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Queue (required on create).
    pub ticket_queue_id: Option<i64>,
    /// Priority.
    pub priority_id: Option<Priority>,
    /// Status.
    pub status_id: Option<Status>,
    /// Type; `Some(None)` clears it.
    pub ticket_type_id: Option<Option<i64>>,
    /// Assignee; `Some(None)` unassigns.
    pub assigned_to_id: Option<Option<i64>>,
    /// Form (the default form if missing).
    pub ticket_form_id: Option<i64>,
    /// Requester.
    pub user_id: Option<i64>,
    /// Requester by e-mail: creates or links the user.
    pub user_email: Option<String>,
    /// CC e-mails, comma-separated.
    pub cc: Option<String>,
    /// Due date; `Some(None)` clears it.
    pub due_on: Option<Option<Timestamp>>,
    /// Scheduled date; `Some(None)` clears it.
    pub scheduled_on: Option<Option<Timestamp>>,
    /// `custom_field_<key>` → value.
    pub custom_fields: BTreeMap<String, String>,
    /// Do not e-mail the requester about the creation.
    pub suppress_user_notification: Option<bool>,
}

impl TicketInput {
    /// The JSON body.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        let mut put = |k: &str, v: Value| {
            m.insert(k.to_string(), v);
        };
        if let Some(v) = &self.title {
            put("title", v.clone().into());
        }
        if let Some(v) = &self.description {
            put("description", v.clone().into());
        }
        if let Some(v) = self.ticket_queue_id {
            put("ticket_queue_id", v.into());
        }
        if let Some(v) = self.priority_id {
            put("priority_id", v.code().into());
        }
        if let Some(v) = self.status_id {
            put("status_id", v.code().into());
        }
        if let Some(v) = self.ticket_type_id {
            put("ticket_type_id", v.map(Value::from).unwrap_or(Value::Null));
        }
        if let Some(v) = self.assigned_to_id {
            put("assigned_to_id", v.map(Value::from).unwrap_or(Value::Null));
        }
        if let Some(v) = self.ticket_form_id {
            put("ticket_form_id", v.into());
        }
        if let Some(v) = self.user_id {
            put("user_id", v.into());
        }
        if let Some(v) = &self.user_email {
            put("user", serde_json::json!({ "email": v }));
        }
        if let Some(v) = &self.cc {
            put("cc", v.clone().into());
        }
        if let Some(v) = self.due_on {
            put("due_on", v.map(|t| Value::from(t.to_iso())).unwrap_or(Value::Null));
        }
        if let Some(v) = self.scheduled_on {
            put("scheduled_on", v.map(|t| Value::from(t.to_iso())).unwrap_or(Value::Null));
        }
        if let Some(v) = self.suppress_user_notification {
            put("suppress_user_notification", v.into());
        }
        for (k, v) in &self.custom_fields {
            let key = if k.starts_with("custom_field_") { k.clone() } else { format!("custom_field_{k}") };
            m.insert(key, v.clone().into());
        }
        Value::Object(m)
    }
}

/// A tag to add or remove: by id or by label (an unknown label creates the tag on add).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagRef {
    /// `tag_id`.
    Id(i64),
    /// `tag_label`.
    Label(String),
}

impl TagRef {
    fn body(&self) -> Value {
        match self {
            TagRef::Id(id) => serde_json::json!({ "tag_id": id }),
            TagRef::Label(l) => serde_json::json!({ "tag_label": l }),
        }
    }
}

/// `POST /tickets/{id}/add_tag`: the ticket's tags after the change.
pub fn add_tag(id: i64, tag: &TagRef) -> Request<Vec<Tag>> {
    Request::new(Method::Post, format!("/tickets/{id}/add_tag")).json(tag.body())
}

/// `POST /tickets/{id}/remove_tag` (400 `Invalid tag id or label`).
pub fn remove_tag(id: i64, tag: &TagRef) -> Request<Vec<Tag>> {
    Request::new(Method::Post, format!("/tickets/{id}/remove_tag")).json(tag.body())
}

/// A file to attach at creation.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAttachment {
    /// File name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Bytes.
    pub bytes: Vec<u8>,
}

/// The multipart field of the `i`-th file attached at creation (`attachment[i][content]`, as the
/// vendor's browser example names it).
pub fn attachment_field(i: usize) -> String {
    format!("attachment[{i}][content]")
}

/// `POST /tickets` as multipart form data holding only the text fields: every input becomes a
/// text field (`user[email]` for the requester's e-mail). The executor adds the files under
/// [`attachment_field`] names (the browser streams them from `File`s).
pub fn create_form(input: &TicketInput) -> Request<Ticket> {
    let mut parts = Vec::new();
    if let Value::Object(map) = input.to_json() {
        for (k, v) in map {
            match v {
                Value::Object(inner) => {
                    for (ik, iv) in inner {
                        parts.push(crate::request::Part::Text { name: format!("{k}[{ik}]"), value: plain(&iv) });
                    }
                }
                Value::Null => parts.push(crate::request::Part::Text { name: k, value: String::new() }),
                other => parts.push(crate::request::Part::Text { name: k, value: plain(&other) }),
            }
        }
    }
    Request::new(Method::Post, "/tickets").multipart(parts)
}

/// `POST /tickets` as multipart form data with files as `attachment[i][content]`, as the
/// vendor's browser example does; the other inputs as [`create_form`] sends them.
pub fn create_with_attachments(input: &TicketInput, files: Vec<NewAttachment>) -> Request<Ticket> {
    let mut req = create_form(input);
    if let crate::request::Body::Multipart(parts) = &mut req.body {
        for (i, f) in files.into_iter().enumerate() {
            parts.push(crate::request::Part::File {
                name: attachment_field(i),
                filename: f.filename,
                content_type: f.content_type,
                bytes: f.bytes,
            });
        }
    }
    req
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The fields `sf` may sort search results by: the README's list, plus `closed_on` and the other
/// dates the official example and public clients use.
pub const SEARCH_SORT_FIELDS: [&str; 9] = [
    "created_on",
    "updated_on",
    "due_on",
    "rated_on",
    "scheduled_on",
    "solved_on",
    "closed_on",
    "status_changed_on",
    "id",
];

/// Search pages hold 10 to 100 results (REFERENCE §4.1).
pub const SEARCH_PER_PAGE: std::ops::RangeInclusive<u32> = 10..=100;

/// `GET /tickets/search`: one page of results for `query` (`None` searches every ticket), sorted
/// by `sort_field` (`sf`), newest first when `descending` (`r=1`). `per_page` is kept within 10..=100.
pub fn search(
    query: Option<&crate::query::Query>,
    sort_field: Option<&str>,
    descending: bool,
    page: Page,
) -> Request<Vec<Ticket>> {
    let per_page = page.per_page.clamp(*SEARCH_PER_PAGE.start(), *SEARCH_PER_PAGE.end());
    Request::new(Method::Get, "/tickets/search")
        .query_opt("query", query.map(ToString::to_string))
        .query_opt("sf", sort_field)
        .query("r", if descending { 1 } else { 0 })
        .query("page", page.page)
        .query("per_page", per_page)
}
