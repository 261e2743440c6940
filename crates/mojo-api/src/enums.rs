//! The service's numeric codes as enums with labels. Each has an `Other(n)` fallback so that a
//! code added by the vendor later is kept and shown, never a decoding failure.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $code:expr => $label:expr ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A code this client does not know.
            Other(i64),
        }

        impl $name {
            /// Every known value, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The numeric code the API uses.
            pub fn code(self) -> i64 {
                match self {
                    $($name::$variant => $code,)+
                    $name::Other(n) => n,
                }
            }

            /// The value for a numeric code.
            pub fn from_code(n: i64) -> Self {
                match n {
                    $($code => $name::$variant,)+
                    n => $name::Other(n),
                }
            }

            /// Plain-language label, as agents read it.
            pub fn label(self) -> String {
                match self {
                    $($name::$variant => $label.to_string(),)+
                    $name::Other(n) => format!("{} {}", stringify!($name).to_lowercase(), n),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = serde_json::Value::deserialize(d)?;
                crate::de::int_from_value(&v)
                    .map($name::from_code)
                    .ok_or_else(|| serde::de::Error::custom(concat!("not a ", stringify!($name), " code")))
            }
        }
    };
}

code_enum! {
    /// Ticket status (`status_id`). "Open" means below [`Status::Solved`].
    Status {
        /// 10
        New = 10 => "New",
        /// 20
        InProgress = 20 => "In progress",
        /// 30
        OnHold = 30 => "On hold",
        /// 40
        InformationRequested = 40 => "Information requested",
        /// 50
        Solved = 50 => "Solved",
        /// 60
        Closed = 60 => "Closed",
    }
}

impl Status {
    /// True for statuses below solved (the docs' `status.id:(<50)`).
    pub fn is_open(self) -> bool {
        self.code() < 50
    }

    /// A short machine name, used for CSS classes and URL parameters.
    pub fn slug(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in-progress",
            Status::OnHold => "on-hold",
            Status::InformationRequested => "info-requested",
            Status::Solved => "solved",
            Status::Closed => "closed",
            Status::Other(_) => "other",
        }
    }
}

code_enum! {
    /// Ticket priority (`priority_id`). A lower code is more pressing.
    Priority {
        /// 10
        Emergency = 10 => "Emergency",
        /// 20
        Urgent = 20 => "Urgent",
        /// 30
        Normal = 30 => "Normal",
        /// 40
        Low = 40 => "Low",
    }
}

impl Priority {
    /// A short machine name, used for CSS classes.
    pub fn slug(self) -> &'static str {
        match self {
            Priority::Emergency => "emergency",
            Priority::Urgent => "urgent",
            Priority::Normal => "normal",
            Priority::Low => "low",
            Priority::Other(_) => "other",
        }
    }
}

code_enum! {
    /// User role (`role_id`). Endpoints need at least [`Role::Agent`] or [`Role::Manager`].
    Role {
        /// 10: a requester (end user).
        Regular = 10 => "Regular user",
        /// 15: legacy restricted technician.
        RestrictedAgent = 15 => "Restricted technician",
        /// 20: technician / agent.
        Agent = 20 => "Agent",
        /// 30
        Manager = 30 => "Manager",
        /// 35
        Admin = 35 => "Admin",
        /// 40
        Owner = 40 => "Owner",
    }
}

impl Role {
    /// Agents and above (restricted technicians included) work tickets.
    pub fn is_staff(self) -> bool {
        self.code() >= 15
    }
}

code_enum! {
    /// Where a ticket came from (`created_from`).
    CreatedFrom {
        /// 0
        Web = 0 => "Web",
        /// 1
        Email = 1 => "Email",
        /// 2
        Widget = 2 => "Widget",
        /// 3
        Api = 3 => "API",
        /// 4
        Chat = 4 => "Chat",
        /// 5
        Scheduler = 5 => "Scheduler",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_labels_and_fallback() {
        assert_eq!(Status::from_code(40), Status::InformationRequested);
        assert_eq!(Status::from_code(15), Status::Other(15));
        assert_eq!(Status::Other(15).label(), "status 15");
        assert_eq!(Priority::Urgent.code(), 20);
        assert_eq!(Role::from_code(35).label(), "Admin");
        assert_eq!(CreatedFrom::from_code(3), CreatedFrom::Api);
        let s: Status = serde_json::from_str("\"50\"").unwrap();
        assert_eq!(s, Status::Solved);
        assert_eq!(serde_json::to_string(&Priority::Low).unwrap(), "40");
        assert!(Status::OnHold.is_open() && !Status::Solved.is_open());
        assert_eq!(Status::ALL.len(), 6);
    }
}
