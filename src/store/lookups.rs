//! Names for ids: queues, agents, groups, ticket types and tags, loaded once per connection so
//! cards and the ticket page show names, never bare ids. A failed list leaves its map empty and
//! records the error; screens keep working with `#id` fallbacks.

use crate::api::Client;
use leptos::prelude::*;
use mojo_api::ApiError;
use mojo_api::group::Group;
use mojo_api::queue::TicketQueue;
use mojo_api::tag::Tag;
use mojo_api::ticket_type::TicketType;
use mojo_api::user::User;
use std::collections::BTreeMap;

/// Everything the lookups hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LookupData {
    /// Queues by id, in name order when listed.
    pub queues: BTreeMap<i64, TicketQueue>,
    /// Agents by id.
    pub agents: BTreeMap<i64, User>,
    /// Groups by id.
    pub groups: BTreeMap<i64, Group>,
    /// Ticket types by id.
    pub types: BTreeMap<i64, TicketType>,
    /// Tags by id.
    pub tags: BTreeMap<i64, Tag>,
    /// Lists that failed to load, with why.
    pub errors: Vec<(String, ApiError)>,
    /// True once every list has answered (or failed).
    pub loaded: bool,
}

impl LookupData {
    /// Queue name or `Queue #id`.
    pub fn queue_name(&self, id: Option<i64>) -> String {
        match id {
            Some(id) => self.queues.get(&id).map(TicketQueue::display_name).unwrap_or_else(|| format!("Queue #{id}")),
            None => "No queue".into(),
        }
    }

    /// Agent name or `Agent #id`; `Unassigned` for none.
    pub fn agent_name(&self, id: Option<i64>) -> String {
        match id {
            Some(id) => self.agents.get(&id).map(User::display_name).unwrap_or_else(|| format!("Agent #{id}")),
            None => "Unassigned".into(),
        }
    }

    /// Group name or `Group #id`.
    pub fn group_name(&self, id: Option<i64>) -> Option<String> {
        id.map(|id| self.groups.get(&id).map(Group::display_name).unwrap_or_else(|| format!("Group #{id}")))
    }

    /// Type name or `Type #id`.
    pub fn type_name(&self, id: Option<i64>) -> Option<String> {
        id.map(|id| self.types.get(&id).map(TicketType::display_name).unwrap_or_else(|| format!("Type #{id}")))
    }

    /// Queues sorted by name, for pickers.
    pub fn queues_by_name(&self) -> Vec<(i64, String)> {
        by_name(self.queues.values().map(|q| (q.id, q.display_name())).collect())
    }
}

/// A loaded list keyed by id; a failed one is empty and its error is recorded under `what`.
/// `(id, name)` pairs by name without regard to case, then by id (one sort for every list).
fn by_name(mut v: Vec<(i64, String)>) -> Vec<(i64, String)> {
    v.sort_unstable_by_key(|(id, n)| (n.to_lowercase(), *id));
    v
}

fn by_id<T>(
    loaded: Result<Vec<T>, ApiError>,
    id: fn(&T) -> i64,
    what: &str,
    errors: &mut Vec<(String, ApiError)>,
) -> BTreeMap<i64, T> {
    match loaded {
        // Inserted one by one: collecting into a map would add a sort per list type to the bundle.
        Ok(v) => {
            let mut m = BTreeMap::new();
            for x in v {
                m.insert(id(&x), x);
            }
            m
        }
        Err(e) => {
            errors.push((what.to_string(), e));
            BTreeMap::new()
        }
    }
}

/// One list's load as a boxed future that files the answer (or the failure) into `d` on arrival.
fn file<'a, T: 'a>(
    d: &'a std::cell::RefCell<LookupData>,
    load: impl std::future::Future<Output = Result<Vec<T>, ApiError>> + 'a,
    id: fn(&T) -> i64,
    what: &'static str,
    slot: fn(&mut LookupData) -> &mut BTreeMap<i64, T>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>> {
    Box::pin(async move {
        let loaded = load.await;
        let mut d = d.borrow_mut();
        let map = by_id(loaded, id, what, &mut d.errors);
        *slot(&mut d) = map;
    })
}

/// Shared lookups (context).
#[derive(Clone, Copy)]
pub struct Lookups {
    data: RwSignal<LookupData>,
}

impl Lookups {
    /// Empty lookups.
    pub fn new() -> Self {
        Lookups { data: RwSignal::new(LookupData::default()) }
    }

    /// The data (reactive).
    pub fn get(&self) -> LookupData {
        self.data.get()
    }

    /// Reads through a closure without cloning everything (reactive).
    pub fn with<R>(&self, f: impl FnOnce(&LookupData) -> R) -> R {
        self.data.with(f)
    }

    /// Loads every list, all at once (bounded by the client).
    pub async fn load(&self, client: &Client) {
        use mojo_api::{group, queue, tag, ticket_type, user};
        // The five lists load at once. Each future files its own list, so the join runs over one
        // boxed future type (a `join!` of five answer types would put five copies in the bundle).
        let d = std::cell::RefCell::new(LookupData { loaded: true, ..Default::default() });
        let types_req = ticket_type::list();
        let jobs = vec![
            file(&d, client.fetch_all_pages(100, 100, queue::list), |x| x.id, "queues", |d| &mut d.queues),
            file(&d, client.fetch_all_pages(100, 100, user::techs), |x| x.id, "agents", |d| &mut d.agents),
            file(&d, client.fetch_all_pages(100, 100, group::list), |x| x.id, "groups", |d| &mut d.groups),
            file(&d, client.send(&types_req), |x| x.id, "ticket types", |d| &mut d.types),
            file(&d, client.fetch_all_pages(100, 100, tag::list), |x| x.id, "tags", |d| &mut d.tags),
        ];
        futures::future::join_all(jobs).await;
        let mut d = d.into_inner();
        // Errors in a fixed order, whichever list failed first.
        let order = ["queues", "agents", "groups", "ticket types", "tags"];
        d.errors.sort_unstable_by_key(|e| order.iter().position(|o| e.0 == *o).unwrap_or(order.len()));
        self.data.set(d);
    }

    /// Replaces the data (tests, sign-out).
    pub fn set(&self, data: LookupData) {
        self.data.set(data);
    }
}

impl Default for Lookups {
    fn default() -> Self {
        Self::new()
    }
}

/// The lookups from context.
pub fn use_lookups() -> Lookups {
    expect_context::<Lookups>()
}

impl LookupData {
    /// Tag label or `Tag #id`.
    pub fn tag_label(&self, id: i64) -> String {
        self.tags.get(&id).and_then(|t| t.label.clone()).unwrap_or_else(|| format!("Tag #{id}"))
    }

    /// `(id, name)` pairs sorted by name.
    fn sorted<T>(map: &BTreeMap<i64, T>, name: impl Fn(&T) -> String) -> Vec<(i64, String)> {
        by_name(map.iter().map(|(id, x)| (*id, name(x))).collect())
    }
}

impl crate::search_model::ValueNames for LookupData {
    fn values(&self, kind: mojo_api::search_field::FieldKind) -> Vec<(i64, String)> {
        use mojo_api::search_field::FieldKind as K;
        match kind {
            K::Status => mojo_api::Status::ALL.iter().map(|s| (s.code(), s.label())).collect(),
            K::Priority => mojo_api::Priority::ALL.iter().map(|p| (p.code(), p.label())).collect(),
            K::Queue => self.queues_by_name(),
            K::Agent => Self::sorted(&self.agents, User::display_name),
            K::Group => Self::sorted(&self.groups, Group::display_name),
            K::TicketType => Self::sorted(&self.types, TicketType::display_name),
            K::Tag => Self::sorted(&self.tags, |t| t.label.clone().unwrap_or_default()),
            _ => Vec::new(),
        }
    }
}
