//! Input bodies for create and update calls. Every field is optional: `None` is not sent, so
//! one struct serves create (with the required fields set) and partial update alike.

/// Declares an input struct whose `Some` fields become a JSON object (`to_json`).
macro_rules! input {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// `custom_field_<key>` values (sent as top-level keys), where the resource has them.
            pub custom_fields: std::collections::BTreeMap<String, String>,
        }

        impl $name {
            /// The JSON body: set fields only.
            pub fn to_json(&self) -> serde_json::Value {
                let mut m = serde_json::Map::new();
                $(
                    if let Some(v) = &self.$field {
                        m.insert(stringify!($field).to_string(), serde_json::to_value(v).unwrap_or(serde_json::Value::Null));
                    }
                )*
                for (k, v) in &self.custom_fields {
                    let key = if k.starts_with("custom_field_") { k.clone() } else { format!("custom_field_{k}") };
                    m.insert(key, serde_json::Value::String(v.clone()));
                }
                serde_json::Value::Object(m)
            }
        }
    };
}

pub(crate) use input;
