//! The ticket workspace's logic, apart from the view so it runs in native tests: the merged
//! timeline, the editable fields and their conflicts, drafts and their idempotent resubmission,
//! validation, where a service message belongs, file checks and tag suggestions.

use mojo_api::attachment::{Attachment, MAX_FILE_BYTES};
use mojo_api::comment::author_name;
use mojo_api::event::Event;
use mojo_api::tag::Tag;
use mojo_api::ticket::{Ticket, TicketInput};
use mojo_api::{Priority, Status, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a timeline entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A public comment (the customer sees it).
    Comment,
    /// A staff note (agents only).
    Note,
    /// A logged event (status change, assignment...).
    Event,
}

/// One entry of the merged timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    /// Kind.
    pub kind: EntryKind,
    /// The comment's, note's or event's id.
    pub id: i64,
    /// When.
    pub at: Option<Timestamp>,
    /// Who.
    pub author: String,
    /// The text (HTML or plain for comments and notes, plain for events).
    pub body: String,
    /// Minutes logged.
    pub time_spent: Option<i64>,
    /// Files that hang off this comment or note.
    pub attachments: Vec<Attachment>,
}

/// Every file of a ticket: public ones and staff-only ones, each once, by id.
pub fn all_files(t: &Ticket) -> Vec<(Attachment, bool)> {
    let mut out: Vec<(Attachment, bool)> = Vec::new();
    for (a, staff) in t.attachments.iter().map(|a| (a, false)).chain(t.staff_only_attachments.iter().map(|a| (a, true)))
    {
        if !out.iter().any(|(b, _)| b.id == a.id) {
            out.push((a.clone(), staff || a.staff_note_id.is_some()));
        }
    }
    out.sort_by_key(|(a, _)| (a.created_on, a.id));
    out
}

/// Comments, staff notes and events of `t` in one list, oldest first (or newest first), with each
/// file under the comment or note it belongs to. Entries at the same moment keep a stable order:
/// comment, then note, then event, then by id.
pub fn timeline(t: &Ticket, events: &[Event], newest_first: bool) -> Vec<TimelineEntry> {
    let files = all_files(t);
    let files_of = |pick: &dyn Fn(&Attachment) -> bool| -> Vec<Attachment> {
        files.iter().filter(|(a, _)| pick(a)).map(|(a, _)| a.clone()).collect()
    };
    let mut out = Vec::new();
    for c in &t.all_comments {
        out.push(TimelineEntry {
            kind: EntryKind::Comment,
            id: c.id,
            at: c.created_on,
            author: author_name(&c.related_data)
                .or_else(|| c.from_email.clone())
                .unwrap_or_else(|| c.user_id.map(|u| format!("User #{u}")).unwrap_or_else(|| "Unknown".into())),
            body: c.body.clone().unwrap_or_default(),
            time_spent: c.time_spent.filter(|m| *m > 0),
            attachments: files_of(&|a| a.comment_id == Some(c.id)),
        });
    }
    for n in &t.staff_notes {
        out.push(TimelineEntry {
            kind: EntryKind::Note,
            id: n.id,
            at: n.created_on,
            author: author_name(&n.related_data)
                .unwrap_or_else(|| n.user_id.map(|u| format!("User #{u}")).unwrap_or_else(|| "Unknown".into())),
            body: n.body.clone().unwrap_or_default(),
            time_spent: n.time_spent.filter(|m| *m > 0),
            attachments: files_of(&|a| a.staff_note_id == Some(n.id) && a.comment_id.is_none()),
        });
    }
    for e in events {
        let text = e.description.clone().filter(|d| !d.trim().is_empty()).or_else(|| e.action_name.clone());
        out.push(TimelineEntry {
            kind: EntryKind::Event,
            id: e.id,
            at: e.created_on,
            author: e.user_full_name.clone().unwrap_or_else(|| "System".into()),
            body: text.unwrap_or_default(),
            time_spent: None,
            attachments: Vec::new(),
        });
    }
    let rank = |k: EntryKind| match k {
        EntryKind::Comment => 0,
        EntryKind::Note => 1,
        EntryKind::Event => 2,
    };
    out.sort_by_key(|e| (e.at.map(|t| t.millis()).unwrap_or(i64::MIN), rank(e.kind), e.id));
    if newest_first {
        out.reverse();
    }
    out
}

/// The editable fields of a ticket, as the editor holds them. Ids are kept as the text of the
/// chosen option ("" = none), so a select can bind to them directly.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketFields {
    /// Title.
    pub title: String,
    /// Description (HTML or plain text, as stored).
    pub description: String,
    /// Queue id.
    pub ticket_queue_id: String,
    /// Priority code.
    pub priority_id: String,
    /// Status code.
    pub status_id: String,
    /// Type id.
    pub ticket_type_id: String,
    /// Assignee id ("" = unassigned).
    pub assigned_to_id: String,
    /// Due.
    pub due_on: Option<Timestamp>,
    /// Scheduled.
    pub scheduled_on: Option<Timestamp>,
    /// CC e-mails.
    pub cc: String,
    /// `custom_field_<key>` → value.
    pub custom: BTreeMap<String, String>,
}

fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

/// The editor's fields with their labels, in the order the editor shows them.
pub const FIELD_LABELS: [(&str, &str); 10] = [
    ("title", "Title"),
    ("description", "Description"),
    ("status_id", "Status"),
    ("priority_id", "Priority"),
    ("ticket_queue_id", "Queue"),
    ("ticket_type_id", "Type"),
    ("assigned_to_id", "Assignee"),
    ("due_on", "Due"),
    ("scheduled_on", "Scheduled"),
    ("cc", "CC"),
];

impl TicketFields {
    /// The fields as `t` has them.
    pub fn from_ticket(t: &Ticket) -> Self {
        TicketFields {
            title: t.title.clone().unwrap_or_default(),
            description: t.description.clone().unwrap_or_default(),
            ticket_queue_id: id_text(t.ticket_queue_id),
            priority_id: t.priority_id.map(|p| p.code().to_string()).unwrap_or_default(),
            status_id: t.status_id.map(|s| s.code().to_string()).unwrap_or_default(),
            ticket_type_id: id_text(t.ticket_type_id),
            assigned_to_id: id_text(t.assigned_to_id.filter(|a| *a > 0)),
            due_on: t.due_on,
            scheduled_on: t.scheduled_on,
            cc: t.cc.clone().unwrap_or_default(),
            custom: t.custom_fields(),
        }
    }

    /// One field's value as text, by the names of [`FIELD_LABELS`] or `custom_field_<key>`.
    pub fn get(&self, field: &str) -> String {
        let ts = |t: &Option<Timestamp>| t.map(|t| t.to_iso()).unwrap_or_default();
        match field {
            "title" => self.title.clone(),
            "description" => self.description.clone(),
            "ticket_queue_id" => self.ticket_queue_id.clone(),
            "priority_id" => self.priority_id.clone(),
            "status_id" => self.status_id.clone(),
            "ticket_type_id" => self.ticket_type_id.clone(),
            "assigned_to_id" => self.assigned_to_id.clone(),
            "due_on" => ts(&self.due_on),
            "scheduled_on" => ts(&self.scheduled_on),
            "cc" => self.cc.clone(),
            other => self.custom.get(other).cloned().unwrap_or_default(),
        }
    }

    /// Copies one field from `other`.
    pub fn take(&mut self, field: &str, other: &TicketFields) {
        match field {
            "title" => self.title = other.title.clone(),
            "description" => self.description = other.description.clone(),
            "ticket_queue_id" => self.ticket_queue_id = other.ticket_queue_id.clone(),
            "priority_id" => self.priority_id = other.priority_id.clone(),
            "status_id" => self.status_id = other.status_id.clone(),
            "ticket_type_id" => self.ticket_type_id = other.ticket_type_id.clone(),
            "assigned_to_id" => self.assigned_to_id = other.assigned_to_id.clone(),
            "due_on" => self.due_on = other.due_on,
            "scheduled_on" => self.scheduled_on = other.scheduled_on,
            "cc" => self.cc = other.cc.clone(),
            key => match other.custom.get(key) {
                Some(v) => {
                    self.custom.insert(key.to_string(), v.clone());
                }
                None => {
                    self.custom.remove(key);
                }
            },
        }
    }

    /// Every field name these fields have: the standard ones, then the custom ones of both.
    fn names<'a>(&'a self, other: &'a TicketFields) -> Vec<String> {
        let mut names: Vec<String> = FIELD_LABELS.iter().map(|(k, _)| k.to_string()).collect();
        for k in self.custom.keys().chain(other.custom.keys()) {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
        names
    }

    /// The fields whose values differ from `base`.
    pub fn changed_from(&self, base: &TicketFields) -> Vec<String> {
        self.names(base).into_iter().filter(|f| self.get(f) != base.get(f)).collect()
    }

    /// The update that turns `base` into these fields: only what changed is sent, so a field
    /// someone else changed meanwhile is not overwritten by the value this editor loaded.
    pub fn update_from(&self, base: &TicketFields) -> TicketInput {
        let mut input = TicketInput::default();
        let id = |s: &str| s.trim().parse::<i64>().ok();
        for f in self.changed_from(base) {
            match f.as_str() {
                "title" => input.title = Some(self.title.trim().to_string()),
                "description" => input.description = Some(self.description.clone()),
                "ticket_queue_id" => input.ticket_queue_id = id(&self.ticket_queue_id),
                "priority_id" => input.priority_id = id(&self.priority_id).map(Priority::from_code),
                "status_id" => input.status_id = id(&self.status_id).map(Status::from_code),
                "ticket_type_id" => input.ticket_type_id = Some(id(&self.ticket_type_id)),
                "assigned_to_id" => input.assigned_to_id = Some(id(&self.assigned_to_id)),
                "due_on" => input.due_on = Some(self.due_on),
                "scheduled_on" => input.scheduled_on = Some(self.scheduled_on),
                "cc" => input.cc = Some(self.cc.trim().to_string()),
                key => {
                    input.custom_fields.insert(key.to_string(), self.custom.get(key).cloned().unwrap_or_default());
                }
            }
        }
        input
    }
}

/// An open edit of a ticket's fields, as kept in its draft: the fields as loaded, the agent's
/// values, and the `updated_on` the editor loaded (to notice someone else's save).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EditDraft {
    /// The fields when the editor opened (or after the last merge).
    pub base: TicketFields,
    /// The agent's values.
    pub mine: TicketFields,
    /// The ticket's `updated_on` when `base` was read.
    pub loaded_updated_on: Option<Timestamp>,
}

impl EditDraft {
    /// A fresh edit of `t`.
    pub fn of(t: &Ticket) -> Self {
        let f = TicketFields::from_ticket(t);
        EditDraft { base: f.clone(), mine: f, loaded_updated_on: t.updated_on }
    }

    /// True when the agent changed something.
    pub fn has_changes(&self) -> bool {
        self.mine != self.base
    }
}

/// A custom field as the editor shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomDef {
    /// `custom_field_<key>`.
    pub key: String,
    /// What the agent reads.
    pub label: String,
    /// 1 text, 2 text area, 3 select, 4 whole number, 5 decimal (REFERENCE §3.2).
    pub kind: i64,
    /// A select's choices (known only when the form could be read).
    pub options: Vec<String>,
    /// The form requires a value.
    pub required: bool,
}

/// "custom_field_cost_center" → "Cost center".
pub fn custom_label(key: &str) -> String {
    let words = key.trim_start_matches("custom_field_").replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => key.to_string(),
    }
}

/// The custom fields of a ticket: the form's (in its order, with labels, choices and required
/// flags) when the form could be read, then those its `custom_field_types` name, then any other
/// field it has a value for.
pub fn custom_defs(
    types: &[serde_json::Value],
    form: Option<&mojo_api::form::TicketForm>,
    values: &BTreeMap<String, String>,
) -> Vec<CustomDef> {
    let mut out: Vec<CustomDef> = Vec::new();
    let type_of = |key: &str| {
        types
            .iter()
            .find(|t| t.get("name").and_then(|n| n.as_str()) == Some(key))
            .and_then(|t| t.get("type"))
            .and_then(|t| t.as_i64().or_else(|| t.as_str().and_then(|s| s.parse().ok())))
    };
    for a in form.map(|f| f.field_attributes.as_slice()).unwrap_or_default() {
        let Some(key) = a.name.clone().filter(|n| n.starts_with("custom_field_")) else { continue };
        let options = match &a.options {
            serde_json::Value::Array(list) => list
                .iter()
                .filter_map(|o| o.as_str().map(str::to_string).or_else(|| o.get("name")?.as_str().map(str::to_string)))
                .collect(),
            _ => Vec::new(),
        };
        out.push(CustomDef {
            label: a.label.clone().filter(|l| !l.trim().is_empty()).unwrap_or_else(|| custom_label(&key)),
            kind: a.field_type.or_else(|| type_of(&key)).unwrap_or(1),
            options,
            required: a.is_required.unwrap_or(false),
            key,
        });
    }
    let names = types.iter().filter_map(|t| t.get("name")?.as_str().map(str::to_string));
    for key in names.chain(values.keys().cloned()) {
        let key = if key.starts_with("custom_field_") { key } else { format!("custom_field_{key}") };
        if out.iter().any(|d| d.key == key) {
            continue;
        }
        out.push(CustomDef {
            label: custom_label(&key),
            kind: type_of(&key).unwrap_or(1),
            options: Vec::new(),
            required: false,
            key,
        });
    }
    out
}

/// A field both this editor and someone else changed since the editor loaded the ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Field name.
    pub field: String,
    /// The value the editor loaded.
    pub was: String,
    /// The value saved meanwhile by someone else.
    pub theirs: String,
    /// This agent's value.
    pub mine: String,
}

/// What happened to the ticket between loading (`base`) and saving: fields someone else changed
/// (`theirs` differs from `base`), and among them those this agent changed to something else too.
pub fn conflicts(base: &TicketFields, theirs: &TicketFields, mine: &TicketFields) -> (Vec<String>, Vec<Conflict>) {
    // A field they set to exactly this agent's value is no news (it may be this agent's own
    // earlier save whose answer was lost).
    let changed_by_them: Vec<String> =
        theirs.changed_from(base).into_iter().filter(|f| theirs.get(f) != mine.get(f)).collect();
    let mine_changed = mine.changed_from(base);
    let both = changed_by_them
        .iter()
        .filter(|f| mine_changed.contains(f) && mine.get(f) != theirs.get(f))
        .map(|f| Conflict { field: f.clone(), was: base.get(f), theirs: theirs.get(f), mine: mine.get(f) })
        .collect();
    (changed_by_them, both)
}

/// The edit after taking their values where both changed a field: the new base is theirs, and
/// this agent's other changes stay on top of it.
pub fn rebase(base: &TicketFields, theirs: &TicketFields, mine: &TicketFields, keep_mine: bool) -> TicketFields {
    let mut out = theirs.clone();
    for f in mine.changed_from(base) {
        let conflicting = theirs.get(&f) != base.get(&f);
        if keep_mine || !conflicting {
            out.take(&f, mine);
        }
    }
    out
}

/// A comment or staff note being written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommentDraft {
    /// The text.
    pub body: String,
    /// A staff note (private) rather than a public comment.
    pub note: bool,
    /// Minutes spent, as typed.
    pub time_spent: String,
    /// CC e-mails (comments only).
    pub cc: String,
    /// Do not e-mail the requester.
    pub suppress: bool,
    /// When a save of this draft was last sent (epoch ms); set until the service confirms it, so a
    /// retry after a lost answer first looks whether the save arrived.
    #[serde(default)]
    pub sent_at: Option<i64>,
}

impl CommentDraft {
    /// True when there is nothing worth keeping.
    pub fn is_empty(&self) -> bool {
        self.body.trim().is_empty() && self.time_spent.trim().is_empty() && self.cc.trim().is_empty()
    }

    /// Minutes as a number; `Err` names the problem.
    pub fn minutes(&self) -> Result<Option<i64>, String> {
        let t = self.time_spent.trim();
        if t.is_empty() {
            return Ok(None);
        }
        match t.parse::<i64>() {
            Ok(m) if (0..=100_000).contains(&m) => Ok(Some(m)),
            _ => Err("Time spent is a whole number of minutes (0 to 100000).".into()),
        }
    }
}

/// Text compared the way a resubmission check needs: tags dropped, whitespace collapsed.
pub fn comparable_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_tag = false;
    for ch in body.chars() {
        match ch {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How far the service's clock may be behind this browser's when a save is matched to its draft.
pub const CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;

/// What a look for a lost save found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Posted {
    /// This agent's earlier save, for sure (same text, same author, after the send).
    Mine(i64),
    /// The same text after the send, but whose is unknown (the agent is asked).
    Maybe(i64),
}

/// Looks among existing comments or notes (`id`, body, created, author) for this draft's earlier
/// save whose answer was lost: the same text, created no earlier than the send (less clock skew).
/// With `me` known, only the agent's own count (a colleague's identical words are not this save);
/// without it, a match is only [`Posted::Maybe`].
pub fn already_posted<'a>(
    existing: impl IntoIterator<Item = (i64, &'a str, Option<Timestamp>, Option<i64>)>,
    body: &str,
    sent_at: i64,
    me: Option<i64>,
) -> Option<Posted> {
    let want = comparable_text(body);
    let found = existing
        .into_iter()
        .filter(|(_, b, at, _)| {
            at.map(|t| t.millis() >= sent_at - CLOCK_SKEW_MS).unwrap_or(true) && comparable_text(b) == want
        })
        .filter(|(_, _, _, author)| me.is_none() || *author == me)
        .map(|(id, _, _, _)| id)
        .max()?;
    Some(if me.is_some() { Posted::Mine(found) } else { Posted::Maybe(found) })
}

/// Why a CC list is not one: the first entry that is not an e-mail address.
pub fn cc_problem(cc: &str) -> Option<String> {
    cc.split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .find(|a| !plausible_email(a))
        .map(|a| format!("\u{201c}{a}\u{201d} is not an e-mail address"))
}

/// Why a custom field's value would be refused: a whole number or a decimal that is not one, a
/// choice that is not on the list. Empty values pass (required is checked apart).
pub fn custom_value_problem(def: &CustomDef, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match def.kind {
        4 if v.parse::<i64>().is_err() => Some(format!("{} is a whole number", def.label)),
        5 if v.parse::<f64>().map(|f| !f.is_finite()).unwrap_or(true) => Some(format!("{} is a number", def.label)),
        3 if !def.options.is_empty() && !def.options.iter().any(|o| o == v) => {
            Some(format!("{} is not included in the list", def.label))
        }
        _ if v.chars().count() > 10_000 => Some(format!("{} is too long (maximum is 10000 characters)", def.label)),
        _ => None,
    }
}

/// The problems of the custom fields of `values` by `defs`: required ones left empty, values
/// of the wrong kind.
pub fn custom_problems(defs: &[CustomDef], values: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for d in defs {
        let v = values.get(&d.key).map(String::as_str).unwrap_or("");
        if d.required && v.trim().is_empty() {
            out.push((d.key.clone(), format!("{} is required", d.label)));
        } else if let Some(p) = custom_value_problem(d, v) {
            out.push((d.key.clone(), p));
        }
    }
    out
}

/// Bidirectional overrides and isolates, and other invisible format controls, can make a name
/// read as something else ("invoice\u{202e}fdp.exe" shows as "invoiceexe.pdf"). Untrusted names
/// are shown with each such character as a visible U+FFFD; joiners in emoji are kept.
pub fn visible_text(s: &str) -> String {
    s.chars().map(|c| if hidden_control(c) { '\u{fffd}' } else { c }).collect()
}

/// Bidi overrides, isolates and marks, and control characters other than line break and tab.
fn hidden_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
        || (c.is_control() && c != '\n' && c != '\t')
}

/// How the requester of a new ticket is given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Requester {
    /// Nobody chosen: the ticket is the signed-in agent's.
    #[default]
    Me,
    /// An existing user, by id.
    User(String),
    /// By e-mail: the service links the user or creates one.
    Email(String),
}

/// The new-ticket form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewTicketDraft {
    /// The fields shared with the editor.
    pub fields: TicketFields,
    /// Form id ("" = the default form).
    pub ticket_form_id: String,
    /// Requester.
    pub requester: Requester,
    /// The requester as typed ("Ann Lee <ann@x.example>", an e-mail, or nothing).
    #[serde(default)]
    pub requester_text: String,
    /// Do not e-mail the requester about the creation.
    pub suppress: bool,
    /// When a create was last sent (epoch ms), until the service confirms it.
    #[serde(default)]
    pub sent_at: Option<i64>,
}

/// The longest title the service takes.
pub const MAX_TITLE: usize = 255;

/// A plausible e-mail address: something@something.tld, no spaces.
pub fn plausible_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// The problems of a new ticket the service would refuse (or a form requires), by field name:
/// the same rules as the service's 422s, plus the form's custom fields (required, kind).
pub fn validate_new(d: &NewTicketDraft, custom: &[CustomDef]) -> Vec<(String, String)> {
    let mut errs = Vec::new();
    let title = d.fields.title.trim();
    if title.is_empty() {
        errs.push(("title".into(), "Title can't be blank".into()));
    } else if title.chars().count() > MAX_TITLE {
        errs.push(("title".into(), format!("Title is too long (maximum is {MAX_TITLE} characters)")));
    }
    if d.fields.ticket_queue_id.trim().is_empty() {
        errs.push(("ticket_queue_id".into(), "Ticket queue can't be blank".into()));
    }
    match &d.requester {
        Requester::Email(e) if !plausible_email(e) => {
            errs.push(("user_email".into(), "User email is invalid".into()));
        }
        Requester::User(u) if u.trim().parse::<i64>().is_err() => {
            errs.push(("user_id".into(), "Choose a requester".into()));
        }
        _ => {}
    }
    if let Some(p) = cc_problem(&d.fields.cc) {
        errs.push(("cc".into(), p));
    }
    errs.extend(custom_problems(custom, &d.fields.custom));
    errs
}

impl NewTicketDraft {
    /// The create input (empty fields are not sent).
    pub fn to_input(&self) -> TicketInput {
        let f = &self.fields;
        let id = |s: &str| s.trim().parse::<i64>().ok();
        TicketInput {
            title: Some(f.title.trim().to_string()),
            description: Some(f.description.clone()).filter(|d| !d.trim().is_empty()),
            ticket_queue_id: id(&f.ticket_queue_id),
            priority_id: id(&f.priority_id).map(Priority::from_code),
            status_id: id(&f.status_id).map(Status::from_code),
            ticket_type_id: id(&f.ticket_type_id).map(Some),
            assigned_to_id: id(&f.assigned_to_id).map(Some),
            ticket_form_id: id(&self.ticket_form_id),
            user_id: match &self.requester {
                Requester::User(u) => id(u),
                _ => None,
            },
            user_email: match &self.requester {
                Requester::Email(e) => Some(e.trim().to_string()),
                _ => None,
            },
            cc: Some(f.cc.trim().to_string()).filter(|c| !c.is_empty()),
            due_on: f.due_on.map(Some),
            scheduled_on: f.scheduled_on.map(Some),
            custom_fields: f
                .custom
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            suppress_user_notification: self.suppress.then_some(true),
        }
    }
}

/// The field a service message is about, from the label it starts with (the service says
/// "Title can't be blank", "Ticket queue is invalid", "Department is not included in the list").
/// `labels` are `(field, label)`; the longest matching label wins.
pub fn field_of_message(message: &str, labels: &[(String, String)]) -> Option<String> {
    let m = message.trim().to_lowercase();
    labels
        .iter()
        .filter(|(_, label)| {
            let l = label.to_lowercase();
            !l.is_empty() && m.starts_with(&l) && m[l.len()..].starts_with(' ')
        })
        .max_by_key(|(_, label)| label.len())
        .map(|(field, _)| field.clone())
}

/// The service's labels for ticket fields (as its 422 messages begin), by field name.
pub fn service_labels() -> Vec<(String, String)> {
    [
        ("title", "Title"),
        ("description", "Description"),
        ("ticket_queue_id", "Ticket queue"),
        ("priority_id", "Priority"),
        ("status_id", "Status"),
        ("ticket_type_id", "Ticket type"),
        ("assigned_to_id", "Assigned to"),
        ("ticket_form_id", "Ticket form"),
        ("user_id", "User"),
        ("user_email", "User email"),
        ("cc", "Cc"),
        ("due_on", "Due on"),
        ("scheduled_on", "Scheduled on"),
    ]
    .iter()
    .map(|(f, l)| (f.to_string(), l.to_string()))
    .collect()
}

/// Past this many characters the composer says how long the text is, and that the ticket will
/// show it folded: nothing refuses it (the API states no limit), but nobody should send a pasted
/// 200,000-character log without knowing.
pub const LONG_TEXT_CHARS: usize = 10_000;

/// "12,345 characters: long…" for a text over [`LONG_TEXT_CHARS`], else `None`.
pub fn length_note(text: &str) -> Option<String> {
    let n = text.chars().count();
    (n > LONG_TEXT_CHARS).then(|| format!("{} characters: a long text, shown folded on the ticket", thousands(n)))
}

/// 1234567 → "1,234,567".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A byte count for people: "812 B", "14.2 KB", "20.0 MB" (1 KB = 1,024 B, as file managers say).
pub fn human_size(bytes: u64) -> String {
    const K: f64 = 1024.0;
    let b = bytes as f64;
    if b < K {
        format!("{bytes} B")
    } else if b < K * K {
        format!("{:.1} KB", b / K)
    } else if b < K * K * K {
        format!("{:.1} MB", b / K / K)
    } else {
        format!("{:.1} GB", b / K / K / K)
    }
}

/// `bytes` for a limit message: in MB, or in bytes when MB would hide the difference.
fn size_against(size: u64, max: u64) -> (String, String) {
    if human_size(size) == human_size(max) {
        (format!("{size} bytes"), format!("{max} bytes"))
    } else {
        (human_size(size), human_size(max))
    }
}

/// Why a file cannot be uploaded, before any byte is sent.
pub fn upload_problem(name: &str, size: u64) -> Option<String> {
    if size > MAX_FILE_BYTES {
        let (is, max) = size_against(size, MAX_FILE_BYTES);
        Some(format!("{} is {is}; the largest file the helpdesk takes is {max}.", visible_text(name)))
    } else if size == 0 {
        Some(format!("{} is empty.", visible_text(name)))
    } else {
        None
    }
}

/// Why files sent together in one request (a new ticket's) cannot go: their total is over the
/// request limit.
pub fn request_problem(sizes: &[u64]) -> Option<String> {
    let total: u64 = sizes.iter().sum();
    // Room for the ticket's own fields and the multipart framing.
    let room = mojo_api::attachment::MAX_REQUEST_BYTES - 256 * 1024;
    (total > room).then(|| {
        let (is, max) = size_against(total, room);
        format!("These files add up to {is}; one request takes at most {max}. Attach the rest on the ticket once it is created.")
    })
}

/// How a file may be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileView {
    /// A raster image: previewed inline.
    Image,
    /// Anything else: only downloaded (SVG and HTML can carry script, so they never render inline).
    Download,
}

/// [`FileView`] of a file by its type and name; both must say raster image.
pub fn file_view(content_type: &str, filename: &str) -> FileView {
    let ct = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let raster_type =
        matches!(ct.as_str(), "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/bmp" | "image/avif");
    let raster_ext = matches!(ext.as_str(), "png" | "jpg" | "jpeg" | "gif" | "webp" | "bmp" | "avif");
    if raster_type && raster_ext { FileView::Image } else { FileView::Download }
}

/// A name for a pasted image that has none ("screenshot-20241203-101502.png").
pub fn pasted_name(now: Timestamp, content_type: &str) -> String {
    let ext = match content_type {
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => "png",
    };
    let iso = now.to_iso();
    let digits: String = iso.chars().filter(char::is_ascii_digit).take(14).collect();
    let (d, t) = digits.split_at(digits.len().min(8));
    format!("screenshot-{d}-{t}.{ext}")
}

/// The longest tag label the dashboard sends.
pub const MAX_TAG_LABEL: usize = 100;

/// A typed tag label made fit to keep: control and bidi characters dropped, runs of whitespace
/// made one space, trimmed; `Err` says why it cannot be a tag (empty, or longer than
/// [`MAX_TAG_LABEL`] — never cut silently).
pub fn clean_tag_label(typed: &str) -> Result<String, String> {
    let kept: String =
        typed.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).filter(|c| !hidden_control(*c)).collect();
    let label = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = label.chars().count();
    if n == 0 {
        Err("Write the tag first.".into())
    } else if n > MAX_TAG_LABEL {
        Err(format!("A tag has at most {MAX_TAG_LABEL} characters; this one has {n}."))
    } else {
        Ok(label)
    }
}

/// Tags to suggest for `typed`: those whose label starts with it first, then those containing it
/// (case-insensitive), leaving out the ones the ticket has; at most `limit`.
pub fn tag_suggestions(all: &[Tag], have: &[i64], typed: &str, limit: usize) -> Vec<Tag> {
    let needle = typed.trim().to_lowercase();
    let mut starts = Vec::new();
    let mut contains = Vec::new();
    for t in all.iter().filter(|t| !have.contains(&t.id)) {
        let label = t.label.clone().unwrap_or_default().to_lowercase();
        if needle.is_empty() || label.starts_with(&needle) {
            starts.push(t.clone());
        } else if label.contains(&needle) {
            contains.push(t.clone());
        }
    }
    let by_label = |a: &Tag, b: &Tag| a.label.cmp(&b.label);
    starts.sort_by(by_label);
    contains.sort_by(by_label);
    starts.into_iter().chain(contains).take(limit).collect()
}

#[cfg(test)]
mod tests;
