//! Ticket forms, their fields and rules.

use crate::de;
use crate::request::{Method, Request};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One field of a form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldAttribute {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// `priority_id`, `custom_field_room`, ...
    #[serde(deserialize_with = "de::opt_string", default)]
    pub name: Option<String>,
    /// Label shown to people.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub label: Option<String>,
    /// Required.
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub is_required: Option<bool>,
    /// 1 text, 2 textarea, 3 select, 4 numeric, 5 decimal (v1 codes), where given.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub field_type: Option<i64>,
    /// Choices of a select, where given.
    #[serde(default)]
    pub options: Value,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A rule that shows a field when another has a value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormFieldRule {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// The field the rule watches.
    #[serde(deserialize_with = "de::opt_id", default)]
    pub field_attribute_id: Option<i64>,
    /// `equals`, ...
    #[serde(deserialize_with = "de::opt_string", default)]
    pub condition: Option<String>,
    /// The value compared with.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub value: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A ticket form (the list gives the basic fields; show adds fields and rules).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketForm {
    /// Id.
    #[serde(deserialize_with = "de::id")]
    pub id: i64,
    /// Name.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub name: Option<String>,
    /// The form used when none is named.
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub is_default: Option<bool>,
    /// Enabled.
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub is_enabled: Option<bool>,
    /// Description.
    #[serde(deserialize_with = "de::opt_string", default)]
    pub description: Option<String>,
    /// Offers a CC field.
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub show_cc: Option<bool>,
    /// Offers attachments.
    #[serde(deserialize_with = "de::opt_bool", default)]
    pub show_attach_files: Option<bool>,
    /// Fields hidden by default.
    #[serde(deserialize_with = "de::id_list", default)]
    pub hidden_field_attribute_ids: Vec<i64>,
    /// Fields (show only).
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub field_attributes: Vec<FieldAttribute>,
    /// Rules (show only).
    #[serde(deserialize_with = "de::null_as_empty", default)]
    pub form_field_rules: Vec<FormFieldRule>,
    /// Conditions by field type (show only).
    #[serde(default)]
    pub available_rule_conditions: Value,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /ticket_forms` (Manager).
pub fn list() -> Request<Vec<TicketForm>> {
    Request::new(Method::Get, "/ticket_forms")
}

/// `GET /ticket_forms/{id}` (Manager; 400 `Invalid ticket form id`).
pub fn show(id: i64) -> Request<TicketForm> {
    Request::new(Method::Get, format!("/ticket_forms/{id}"))
}
