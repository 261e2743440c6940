//! The fields `GET /tickets/search` knows (REFERENCE §4.3): their current names, the older names
//! the README still uses, and what kind of value each takes. The dashboard's builder and
//! autocomplete read this list; anything that names a field should use it.

/// What a field's values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A status code (10..60).
    Status,
    /// A priority code (10..40).
    Priority,
    /// A ticket queue id.
    Queue,
    /// An agent id (`<=0` for none).
    Agent,
    /// A user id (requester, author).
    User,
    /// A group (company) id.
    Group,
    /// A ticket type id.
    TicketType,
    /// A ticket form id.
    Form,
    /// A tag id.
    Tag,
    /// A date-time, ISO-8601 UTC.
    Date,
    /// A number.
    Number,
    /// An e-mail address.
    Email,
    /// Free text.
    Text,
}

/// One searchable field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchField {
    /// The current name.
    pub name: &'static str,
    /// Older names that mean the same (README 2025, deprecated names).
    pub aliases: &'static [&'static str],
    /// What its values are.
    pub kind: FieldKind,
    /// A short description for people.
    pub label: &'static str,
}

const fn f(name: &'static str, aliases: &'static [&'static str], kind: FieldKind, label: &'static str) -> SearchField {
    SearchField { name, aliases, kind, label }
}

/// Every searchable field of the newest spec, with the README's older names as aliases.
pub const SEARCH_FIELDS: &[SearchField] = &[
    f("title", &[], FieldKind::Text, "Title"),
    f("description", &[], FieldKind::Text, "Description"),
    f("comments.body", &[], FieldKind::Text, "Comment text"),
    f("status.id", &[], FieldKind::Status, "Status"),
    f("priority.id", &[], FieldKind::Priority, "Priority"),
    f("ticket_queue.id", &["queue.id"], FieldKind::Queue, "Queue"),
    f("assignee.id", &[], FieldKind::Agent, "Assignee"),
    f("assignee.email", &[], FieldKind::Email, "Assignee e-mail"),
    f("company.id", &[], FieldKind::Group, "Group (company)"),
    f("ticket_type.id", &["type.id"], FieldKind::TicketType, "Ticket type"),
    f("ticket_form.id", &[], FieldKind::Form, "Ticket form"),
    f("tags.id", &[], FieldKind::Tag, "Tag"),
    f("created_by.id", &[], FieldKind::User, "Requester"),
    f("created_by.name", &[], FieldKind::Text, "Requester name"),
    f("created_by.email", &[], FieldKind::Email, "Requester e-mail"),
    f("created_on", &[], FieldKind::Date, "Created"),
    f("updated_on", &[], FieldKind::Date, "Updated"),
    f("due_on", &[], FieldKind::Date, "Due"),
    f("solved_on", &[], FieldKind::Date, "Solved"),
    f("scheduled_on", &[], FieldKind::Date, "Scheduled"),
    f("status_changed_on", &[], FieldKind::Date, "Status changed"),
    f("rated_on", &[], FieldKind::Date, "Rated"),
    f("rating", &[], FieldKind::Number, "Rating"),
    f("custom_fields", &[], FieldKind::Text, "Custom fields"),
];

/// The field a name (current or old, any case) refers to.
pub fn search_field(name: &str) -> Option<&'static SearchField> {
    SEARCH_FIELDS
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name) || f.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_names_resolve_to_current_ones() {
        assert_eq!(search_field("queue.id").map(|f| f.name), Some("ticket_queue.id"));
        assert_eq!(search_field("TYPE.ID").map(|f| f.name), Some("ticket_type.id"));
        assert_eq!(search_field("status.id").map(|f| f.kind), Some(FieldKind::Status));
        assert_eq!(search_field("nope"), None);
    }
}
