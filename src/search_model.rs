//! The search page's logic, apart from the view: the builder (chips and ranges) and its
//! two-way conversion with the query language, the search's URL state, saved searches, and
//! autocomplete of the raw query at the cursor. Pure, so it is tested natively.
//!
//! The builder reads a query's top-level AND clauses it can show (free text, id lists, date
//! ranges, has-due) and keeps everything else verbatim as `extra`, so switching between the
//! raw editor and the builder never loses a clause.

use mojo_api::query::{self, Cmp, Piece, Query, Value};
use mojo_api::search_field::{FieldKind, SEARCH_FIELDS, search_field};
use serde::{Deserialize, Serialize};

/// Id-list fields of the builder, by their current search names.
pub const LIST_FIELDS: [&str; 7] =
    ["status.id", "priority.id", "ticket_queue.id", "assignee.id", "company.id", "ticket_type.id", "tags.id"];

/// Date fields the builder offers ranges for.
pub const DATE_FIELDS: [&str; 4] = ["created_on", "updated_on", "due_on", "solved_on"];

/// A date range on one field, in whole days (`YYYY-MM-DD`, either end open).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateRange {
    /// First day (inclusive).
    pub from: Option<String>,
    /// Last day (inclusive).
    pub to: Option<String>,
}

/// What the builder shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Builder {
    /// Free text, searched as typed.
    pub text: String,
    /// Id lists by field (index as [`LIST_FIELDS`]); assignee 0 means unassigned.
    pub lists: [Vec<i64>; 7],
    /// Date ranges by field (index as [`DATE_FIELDS`]).
    pub dates: [DateRange; 4],
    /// `Some(true)`: has a due date; `Some(false)`: has none.
    pub has_due: Option<bool>,
    /// Clauses the builder cannot show, kept as they are (ANDed after the rest).
    pub extra: Vec<Query>,
}

fn list_index(field: &str) -> Option<usize> {
    let name = search_field(field)?.name;
    LIST_FIELDS.iter().position(|f| *f == name)
}

fn date_index(field: &str) -> Option<usize> {
    let name = search_field(field)?.name;
    DATE_FIELDS.iter().position(|f| *f == name)
}

fn lit(v: &Value) -> Option<&str> {
    match v {
        Value::Term(p) => match p.as_slice() {
            [Piece::Lit(s)] => Some(s),
            _ => None,
        },
        Value::Phrase(s) => Some(s),
        _ => None,
    }
}

/// The codes of a list field whose values are a fixed set (status, priority), in order.
fn enum_codes(field_index: usize) -> Option<Vec<i64>> {
    match LIST_FIELDS[field_index] {
        "status.id" => Some(mojo_api::Status::ALL.iter().map(|s| s.code()).collect()),
        "priority.id" => Some(mojo_api::Priority::ALL.iter().map(|p| p.code()).collect()),
        _ => None,
    }
}

/// Whether `code` meets a comparison or range (`None`: a bound is not a whole number).
fn meets(v: &Value, code: i64) -> Option<bool> {
    let num = |s: &str| s.trim().parse::<i64>().ok();
    match v {
        Value::Compare(op, n) => {
            let n = num(n)?;
            Some(match op {
                Cmp::Lt => code < n,
                Cmp::Le => code <= n,
                Cmp::Gt => code > n,
                Cmp::Ge => code >= n,
            })
        }
        Value::Range { lo, hi, lo_inclusive, hi_inclusive } => {
            let lo_ok = match lo {
                None => true,
                Some(s) => {
                    let n = num(s)?;
                    if *lo_inclusive { code >= n } else { code > n }
                }
            };
            let hi_ok = match hi {
                None => true,
                Some(s) => {
                    let n = num(s)?;
                    if *hi_inclusive { code <= n } else { code < n }
                }
            };
            Some(lo_ok && hi_ok)
        }
        _ => None,
    }
}

/// Ids of `field:n`, `field:(a OR b)`; unassigned as 0 for `assignee.id:(<=0)`; for status and
/// priority also comparisons and ranges (`status.id:(<50)` is the four open statuses).
fn ids_of(field_index: usize, v: &Value) -> Option<Vec<i64>> {
    match v {
        Value::AnyOf(vs) => vs.iter().map(|v| ids_of(field_index, v).filter(|x| x.len() == 1).map(|x| x[0])).collect(),
        Value::Compare(Cmp::Le, n) if LIST_FIELDS[field_index] == "assignee.id" && n == "0" => Some(vec![0]),
        Value::Compare(..) | Value::Range { .. } => {
            let codes = enum_codes(field_index)?;
            let mut picked = Vec::new();
            for c in codes {
                if meets(v, c)? {
                    picked.push(c);
                }
            }
            (!picked.is_empty()).then_some(picked)
        }
        v => lit(v)?.parse::<i64>().ok().filter(|n| *n > 0).map(|n| vec![n]),
    }
}

/// The documented short forms of a status or priority list: the open statuses are
/// `status.id:(<50)`, the first priorities `priority.id:(<=20)` (REFERENCE §4.2).
fn short_form(field_index: usize, ids: &[i64]) -> Option<Value> {
    let codes = enum_codes(field_index)?;
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    match LIST_FIELDS[field_index] {
        "status.id" if sorted == codes[..4] => Some(Value::Compare(Cmp::Lt, codes[4].to_string())),
        "priority.id" if sorted == codes[..2] => Some(Value::Compare(Cmp::Le, codes[1].to_string())),
        _ => None,
    }
}

const DAY_START: &str = "T00:00:00Z";
const DAY_END: &str = "T23:59:59Z";

fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn day_bound(bound: &Option<String>, suffix: &str) -> Option<Option<String>> {
    match bound {
        None => Some(None),
        Some(s) => s.strip_suffix(suffix).filter(|d| is_day(d)).map(|d| Some(d.to_string())),
    }
}

fn range_of(v: &Value) -> Option<DateRange> {
    match v {
        Value::Range { lo, hi, lo_inclusive: true, hi_inclusive: true } if lo.is_some() || hi.is_some() => {
            Some(DateRange { from: day_bound(lo, DAY_START)?, to: day_bound(hi, DAY_END)? })
        }
        _ => None,
    }
}

impl Builder {
    /// The builder for a query (none: empty).
    pub fn from_query(q: Option<&Query>) -> Builder {
        let mut b = Builder::default();
        let parts: Vec<Query> = match q {
            None => vec![],
            Some(Query::And(v)) => v.clone(),
            Some(q) => vec![q.clone()],
        };
        for part in parts {
            if !b.absorb(&part) {
                b.extra.push(part);
            }
        }
        b
    }

    /// Takes in one clause it can show; false leaves it for `extra`.
    fn absorb(&mut self, part: &Query) -> bool {
        match part {
            Query::Text(v) if self.text.is_empty() => match v {
                Value::Phrase(s) if !s.trim().is_empty() => {
                    self.text = s.clone();
                    true
                }
                Value::Term(p) if p.iter().all(|p| matches!(p, Piece::Lit(_))) => {
                    self.text = p.iter().map(|p| p.to_string()).collect::<String>();
                    // Escapes are printing, not content: keep only the letters typed.
                    self.text = self.text.replace('\\', "");
                    !self.text.is_empty()
                }
                _ => false,
            },
            Query::Field(name, v) => {
                if let Some(i) = list_index(name)
                    && self.lists[i].is_empty()
                    && let Some(ids) = ids_of(i, v)
                {
                    self.lists[i] = ids;
                    return true;
                }
                if let Some(i) = date_index(name)
                    && self.dates[i] == DateRange::default()
                    && let Some(r) = range_of(v)
                {
                    self.dates[i] = r;
                    return true;
                }
                false
            }
            Query::Exists(f) if f == "due_on" && self.has_due.is_none() => {
                self.has_due = Some(true);
                true
            }
            Query::Not(inner) if matches!(&**inner, Query::Exists(f) if f == "due_on") && self.has_due.is_none() => {
                self.has_due = Some(false);
                true
            }
            _ => false,
        }
    }

    /// The query the builder means (none when empty).
    pub fn to_query(&self) -> Option<Query> {
        let mut parts = Vec::new();
        if !self.text.trim().is_empty() {
            parts.push(Query::text(self.text.trim()));
        }
        for (i, ids) in self.lists.iter().enumerate() {
            let field = LIST_FIELDS[i];
            let values: Vec<Value> = ids
                .iter()
                .map(|id| {
                    if *id == 0 && field == "assignee.id" {
                        Value::Compare(Cmp::Le, "0".into())
                    } else {
                        Value::Term(vec![Piece::Lit(id.to_string())])
                    }
                })
                .collect();
            if let Some(v) = short_form(i, ids) {
                parts.push(Query::Field(field.into(), v));
                continue;
            }
            match values.len() {
                0 => {}
                1 => parts.push(Query::Field(field.into(), values.into_iter().next().expect("one"))),
                _ => parts.push(Query::Field(field.into(), Value::AnyOf(values))),
            }
        }
        for (i, r) in self.dates.iter().enumerate() {
            if r.from.is_some() || r.to.is_some() {
                parts.push(Query::Field(
                    DATE_FIELDS[i].into(),
                    Value::Range {
                        lo: r.from.as_ref().map(|d| format!("{d}{DAY_START}")),
                        hi: r.to.as_ref().map(|d| format!("{d}{DAY_END}")),
                        lo_inclusive: true,
                        hi_inclusive: true,
                    },
                ));
            }
        }
        match self.has_due {
            Some(true) => parts.push(Query::Exists("due_on".into())),
            Some(false) => parts.push(Query::Not(Box::new(Query::Exists("due_on".into())))),
            None => {}
        }
        parts.extend(self.extra.iter().cloned());
        Query::all(parts)
    }

    /// The printed query ("" when empty).
    pub fn to_query_string(&self) -> String {
        self.to_query().map(|q| q.to_string()).unwrap_or_default()
    }

    /// Adds an id to a list field (no duplicates).
    pub fn add(&mut self, field: usize, id: i64) {
        if !self.lists[field].contains(&id) {
            self.lists[field].push(id);
        }
    }

    /// Removes an id from a list field.
    pub fn remove(&mut self, field: usize, id: i64) {
        self.lists[field].retain(|x| *x != id);
    }

    /// Adds the id when absent, removes it when present.
    pub fn toggle(&mut self, field: usize, id: i64) {
        if self.lists[field].contains(&id) { self.remove(field, id) } else { self.add(field, id) }
    }
}

/// The whole search as the URL holds it: `#/search?q=…&sf=…&r=1`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchState {
    /// The query as printed ("" for every ticket).
    #[serde(rename = "query")]
    pub q: String,
    /// Sort field.
    #[serde(rename = "sort", default = "default_sort")]
    pub sf: String,
    /// Newest (largest) first.
    #[serde(rename = "descending", default = "yes")]
    pub desc: bool,
}

fn default_sort() -> String {
    DEFAULT_SORT.to_string()
}

fn yes() -> bool {
    true
}

/// The sort a new search starts with.
pub const DEFAULT_SORT: &str = "updated_on";

impl Default for SearchState {
    fn default() -> Self {
        SearchState { q: String::new(), sf: DEFAULT_SORT.into(), desc: true }
    }
}

impl SearchState {
    /// Reads the URL's query pairs; unknown sort fields fall back to the default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> SearchState {
        let sf = get("sf").filter(|s| mojo_api::ticket::SEARCH_SORT_FIELDS.contains(&s.as_str()));
        SearchState {
            q: get("q").unwrap_or_default(),
            sf: sf.unwrap_or_else(default_sort),
            desc: get("r").map(|r| r != "0").unwrap_or(true),
        }
    }

    /// The hash of this search.
    pub fn href(&self) -> String {
        let enc = mojo_api::request::encode_component;
        let mut h = String::from("#/search");
        let mut sep = '?';
        for (k, v) in [("q", self.q.clone()), ("sf", self.sf.clone()), ("r", (self.desc as u8).to_string())] {
            if k == "q" && v.is_empty() {
                continue;
            }
            h.push(sep);
            h.push_str(k);
            h.push('=');
            h.push_str(&enc(&v));
            sep = '&';
        }
        h
    }
}

/// A named search saved on this device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    /// The name the agent gave it.
    pub name: String,
    /// The search.
    #[serde(flatten)]
    pub search: SearchState,
}

/// Reads an export (a JSON array of saved searches) and checks every query parses. Names are
/// trimmed; an empty name or a bad query rejects the whole file, naming the entry.
pub fn parse_saved(json: &str) -> Result<Vec<SavedSearch>, String> {
    let list: Vec<SavedSearch> =
        serde_json::from_str(json).map_err(|e| format!("This is not a saved-searches file: {e}"))?;
    if list.len() > MAX_SAVED {
        return Err(format!("The file holds {} searches; at most {MAX_SAVED} can be kept.", list.len()));
    }
    let mut seen: Vec<String> = Vec::new();
    list.into_iter()
        .enumerate()
        .map(|(i, mut s)| {
            s.name = s.name.trim().to_string();
            if s.name.is_empty() {
                return Err(format!("Entry {} has no name.", i + 1));
            }
            if s.name.chars().count() > MAX_NAME {
                return Err(format!("Entry {}: the name is longer than {MAX_NAME} characters.", i + 1));
            }
            if seen.contains(&s.name) {
                return Err(format!("“{}” is in the file twice.", s.name));
            }
            seen.push(s.name.clone());
            if let Err(e) = query::parse(&s.search.q) {
                return Err(format!("“{}”: the query does not read: {e}", s.name));
            }
            if !mojo_api::ticket::SEARCH_SORT_FIELDS.contains(&s.search.sf.as_str()) {
                s.search.sf = default_sort();
            }
            Ok(s)
        })
        .collect()
}

/// The longest query the page sends (longer ones meet the helpdesk's URL limits).
pub const MAX_QUERY_CHARS: usize = 8000;
/// The most clauses a query may hold (Elasticsearch's `max_clause_count`; the stand-in's too).
pub const MAX_CLAUSES: usize = 1024;

/// Why a query that reads still cannot be sent, in plain words (`None`: it can).
pub fn beyond_limits(q: &Query) -> Option<String> {
    fn clauses(q: &Query) -> usize {
        fn values(v: &Value) -> usize {
            match v {
                Value::AnyOf(vs) | Value::AllOf(vs) => vs.iter().map(values).sum(),
                _ => 1,
            }
        }
        match q {
            Query::And(qs) | Query::Or(qs) => qs.iter().map(clauses).sum(),
            Query::Not(q) => clauses(q),
            Query::Field(_, v) | Query::Text(v) => values(v),
            Query::Exists(_) => 1,
        }
    }
    let len = q.to_string().chars().count();
    if len > MAX_QUERY_CHARS {
        return Some(format!(
            "This query is too long to send: {len} characters, at most {MAX_QUERY_CHARS}. Shorten it."
        ));
    }
    let n = clauses(q);
    (n > MAX_CLAUSES).then(|| format!("This query has {n} terms; a search takes at most {MAX_CLAUSES}. Remove some."))
}

/// The most saved searches one device keeps (and one file may bring).
pub const MAX_SAVED: usize = 500;
/// The longest name of a saved search, in characters (the name fields allow as much).
pub const MAX_NAME: usize = 80;

/// Merges imported searches into the saved ones: same name replaces, new names are appended.
pub fn merge_saved(saved: &mut Vec<SavedSearch>, imported: Vec<SavedSearch>) {
    for s in imported {
        match saved.iter_mut().find(|x| x.name == s.name) {
            Some(x) => *x = s,
            None => saved.push(s),
        }
    }
}

/// One autocomplete proposal: replace `start..end` (char positions) of the raw query with `insert`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// What to show.
    pub label: String,
    /// Text to put in.
    pub insert: String,
    /// First replaced char.
    pub start: usize,
    /// After the last replaced char.
    pub end: usize,
}

/// Names for the ids of a field kind (from the helpdesk's own lists), used by autocomplete.
pub trait ValueNames {
    /// `(id, name)` pairs for a kind, empty when the kind has no list.
    fn values(&self, kind: FieldKind) -> Vec<(i64, String)>;
}

/// Proposals for the word at `cursor` (a char position): field names while typing a name,
/// values (ids with their names) after `field:`. At most `limit`.
pub fn suggest(text: &str, cursor: usize, names: &dyn ValueNames, limit: usize) -> Vec<Suggestion> {
    let chars: Vec<char> = text.chars().collect();
    let cursor = cursor.min(chars.len());
    let mut start = cursor;
    while start > 0 {
        let c = chars[start - 1];
        let escaped = start >= 2 && chars[start - 2] == '\\';
        if (c.is_whitespace() || c == '(' || c == ')') && !escaped {
            break;
        }
        start -= 1;
    }
    let word: String = chars[start..cursor].iter().collect();
    let word_start = start + word.chars().take_while(|c| matches!(c, '-' | '!' | '+')).count();
    let word = word.trim_start_matches(['-', '!', '+']).to_string();
    // Inside `field:(a OR b` the field is further back: find the last `name:(` before the cursor.
    let (field, value_start) = match word.split_once(':') {
        Some((f, _)) => (Some(f.to_string()), word_start + f.chars().count() + 1),
        None => {
            let before: String = chars[..start].iter().collect();
            let open = before.rfind(":(").filter(|i| !before[*i..].contains(')'));
            match open {
                Some(i) => {
                    let name_start = before[..i].rfind(|c: char| c.is_whitespace() || c == '(').map_or(0, |j| j + 1);
                    (Some(before[name_start..i].trim_start_matches(['-', '!', '+']).to_string()), word_start)
                }
                None => (None, word_start),
            }
        }
    };
    let mut out = Vec::new();
    match field {
        None => {
            let w = word.to_ascii_lowercase();
            if w.is_empty() {
                return out;
            }
            for f in SEARCH_FIELDS {
                for name in std::iter::once(&f.name).chain(f.aliases) {
                    if name.starts_with(&w) && *name != w {
                        out.push(Suggestion {
                            label: format!("{name}: {}", f.label),
                            insert: format!("{name}:"),
                            start: word_start,
                            end: cursor,
                        });
                    }
                }
            }
            if "_exists_".starts_with(&w) {
                out.push(Suggestion {
                    label: "_exists_: field has a value".into(),
                    insert: "_exists_:".into(),
                    start: word_start,
                    end: cursor,
                });
            }
        }
        Some(field) => {
            let typed: String = chars[value_start.min(cursor)..cursor].iter().collect();
            let typed = typed.trim_start_matches(['(', '"']).to_lowercase();
            if field == "_exists_" {
                for f in SEARCH_FIELDS {
                    if f.name.starts_with(&typed) {
                        out.push(Suggestion {
                            label: format!("{}: {}", f.name, f.label),
                            insert: f.name.to_string(),
                            start: value_start,
                            end: cursor,
                        });
                    }
                }
            } else if let Some(f) = search_field(&field) {
                let mut values = names.values(f.kind);
                if f.kind == FieldKind::Agent {
                    values.insert(0, (0, "Unassigned".into()));
                }
                for (id, name) in values {
                    let insert =
                        if id == 0 && f.kind == FieldKind::Agent { "(<=0)".to_string() } else { id.to_string() };
                    if typed.is_empty() || id.to_string().starts_with(&typed) || name.to_lowercase().contains(&typed) {
                        let replace_from = value_start + if chars.get(value_start) == Some(&'(') { 1 } else { 0 };
                        out.push(Suggestion {
                            label: format!("{name} ({id})"),
                            insert,
                            start: replace_from,
                            end: cursor,
                        });
                    }
                }
                if f.kind == FieldKind::Date && typed.is_empty() {
                    out.push(Suggestion {
                        label: "a range of days".into(),
                        insert: "[2025-01-01T00:00:00Z TO *]".into(),
                        start: value_start,
                        end: cursor,
                    });
                }
            }
        }
    }
    out.truncate(limit);
    out
}

/// Applies a suggestion; returns the new text and the cursor after the insertion.
pub fn apply(text: &str, s: &Suggestion) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let (start, end) = (s.start.min(chars.len()), s.end.min(chars.len()));
    let mut out: String = chars[..start].iter().collect();
    out.push_str(&s.insert);
    let cursor = out.chars().count();
    out.extend(&chars[end..]);
    (out, cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Names;
    impl ValueNames for Names {
        fn values(&self, kind: FieldKind) -> Vec<(i64, String)> {
            match kind {
                FieldKind::Queue => vec![(3, "Billing".into()), (7, "IT support".into())],
                FieldKind::Status => vec![(10, "New".into()), (20, "In progress".into())],
                _ => vec![],
            }
        }
    }

    fn parse(s: &str) -> Option<Query> {
        query::parse(s).unwrap()
    }

    #[test]
    fn builder_to_query_and_back() {
        let mut b = Builder { text: "printer: \"jam\" (urgent)".into(), ..Default::default() };
        b.add(0, 10);
        b.add(0, 20);
        b.add(2, 3);
        b.add(3, 0);
        b.dates[0] = DateRange { from: Some("2025-01-01".into()), to: None };
        b.has_due = Some(false);
        let q = b.to_query_string();
        assert_eq!(
            q,
            r#""printer: \"jam\" (urgent)" AND status.id:(10 OR 20) AND ticket_queue.id:3 AND assignee.id:(<=0) AND created_on:[2025-01-01T00:00:00Z TO *] AND NOT _exists_:due_on"#
        );
        assert_eq!(Builder::from_query(parse(&q).as_ref()), b);
    }

    #[test]
    fn reads_old_names_and_keeps_what_it_cannot_show() {
        let b = Builder::from_query(
            parse("queue.id:19 AND type.id:(2 OR 4) AND rating:(>=60) AND (status.id:10 OR priority.id:10)").as_ref(),
        );
        assert_eq!(b.lists[2], vec![19]);
        assert_eq!(b.lists[5], vec![2, 4]);
        assert_eq!(b.extra.len(), 2);
        assert_eq!(
            b.to_query_string(),
            "ticket_queue.id:19 AND ticket_type.id:(2 OR 4) AND rating:(>=60) AND (status.id:10 OR priority.id:10)"
        );
    }

    #[test]
    fn status_and_priority_comparisons_are_chips() {
        let q = "status.id:(<50) AND priority.id:(<=20)";
        let b = Builder::from_query(parse(q).as_ref());
        assert_eq!((b.lists[0].as_slice(), b.lists[1].as_slice()), (&[10, 20, 30, 40][..], &[10, 20][..]));
        assert!(b.extra.is_empty());
        assert_eq!(b.to_query_string(), q, "the documented short forms are kept");
        let b = Builder::from_query(parse("status.id:[20 TO 40] AND priority.id:{10 TO *]").as_ref());
        assert_eq!((b.lists[0].as_slice(), b.lists[1].as_slice()), (&[20, 30, 40][..], &[20, 30, 40][..]));
        assert_eq!(b.to_query_string(), "status.id:(20 OR 30 OR 40) AND priority.id:(20 OR 30 OR 40)");
        // Nothing to show, or not a number: kept as written.
        let b = Builder::from_query(parse("status.id:(>60) AND priority.id:(<abc) AND ticket_queue.id:(<5)").as_ref());
        assert!(b.lists.iter().all(Vec::is_empty));
        assert_eq!(b.extra.len(), 3);
    }

    #[test]
    fn limits_are_told_before_sending() {
        assert_eq!(beyond_limits(&parse("status.id:10").unwrap()), None);
        assert!(beyond_limits(&parse(&["x"; 1100].join(" OR ")).unwrap()).unwrap().contains("1100 terms"));
        assert_eq!(beyond_limits(&parse(&["x"; 1024].join(" OR ")).unwrap()), None);
        let long = Query::text(&"x".repeat(9000));
        assert!(beyond_limits(&long).unwrap().contains("too long"));
    }

    #[test]
    fn a_top_level_or_stays_whole() {
        let b = Builder::from_query(parse("status.id:10 OR status.id:20").as_ref());
        assert!(b.lists[0].is_empty());
        assert_eq!(b.to_query_string(), "status.id:10 OR status.id:20");
    }

    #[test]
    fn odd_ranges_and_repeated_fields_go_to_extra() {
        let b = Builder::from_query(
            parse(
                "created_on:{2025-01-01T00:00:00Z TO *] AND status.id:10 AND status.id:20 AND due_on:[2025-01-01 TO *]",
            )
            .as_ref(),
        );
        assert_eq!(b.lists[0], vec![10]);
        assert_eq!(b.extra.len(), 3);
        assert_eq!(b.dates[2], DateRange::default());
    }

    #[test]
    fn url_state_round_trip() {
        let s = SearchState { q: "title:(\"a & b\") AND status.id:(<50)".into(), sf: "created_on".into(), desc: false };
        let href = s.href();
        assert!(href.starts_with("#/search?q="), "{href}");
        let loc = crate::route::Location::parse(&href);
        assert_eq!(loc.route, crate::route::Route::Search);
        assert_eq!(SearchState::from_params(|k| loc.param(k).map(String::from)), s);
        let bad = SearchState::from_params(|k| (k == "sf").then(|| "password".to_string()));
        assert_eq!(bad, SearchState::default());
    }

    #[test]
    fn saved_searches_import_checks_every_entry() {
        let ok = r#"[{"name":" Mine ","query":"assignee.id:4","sort":"created_on","descending":false},{"name":"All","query":""}]"#;
        let v = parse_saved(ok).unwrap();
        assert_eq!(v[0].name, "Mine");
        assert_eq!(v[1].search, SearchState::default());
        let exported = serde_json::to_string(&v).unwrap();
        assert_eq!(parse_saved(&exported).unwrap(), v);
        assert!(parse_saved(r#"[{"name":"x","query":"status.id:(<"}]"#).unwrap_err().contains("“x”"));
        assert!(parse_saved(r#"[{"name":"  ","query":""}]"#).unwrap_err().contains("Entry 1"));
        assert!(parse_saved("{}").is_err());
        // Limits (found by a hostile-input pass): long names, duplicates, huge files.
        let long = format!(r#"[{{"name":"{}","query":""}}]"#, "n".repeat(81));
        assert!(parse_saved(&long).unwrap_err().contains("longer than 80"));
        assert!(
            parse_saved(r#"[{"name":"a","query":""},{"name":" a ","query":"status.id:10"}]"#)
                .unwrap_err()
                .contains("twice")
        );
        let many: Vec<String> = (0..501).map(|i| format!(r#"{{"name":"n{i}","query":""}}"#)).collect();
        assert!(parse_saved(&format!("[{}]", many.join(","))).unwrap_err().contains("at most 500"));
        let mut saved = v.clone();
        merge_saved(
            &mut saved,
            vec![SavedSearch { name: "All".into(), search: SearchState { q: "x".into(), ..Default::default() } }],
        );
        assert_eq!((saved.len(), saved[1].search.q.as_str()), (2, "x"));
    }

    #[test]
    fn suggests_fields_then_values() {
        let s = suggest("status.id:10 AND que", 20, &Names, 10);
        assert_eq!(s[0].insert, "queue.id:");
        assert_eq!(apply("status.id:10 AND que", &s[0]), ("status.id:10 AND queue.id:".into(), 26));
        let s = suggest("ticket_queue.id:bil", 19, &Names, 10);
        assert_eq!(s.len(), 1);
        assert_eq!(apply("ticket_queue.id:bil", &s[0]).0, "ticket_queue.id:3");
        let s = suggest("status.id:(10 OR ", 17, &Names, 10);
        assert_eq!(s.iter().map(|s| s.insert.as_str()).collect::<Vec<_>>(), ["10", "20"]);
        let s = suggest("assignee.id:", 12, &Names, 10);
        assert_eq!(s[0].insert, "(<=0)");
        let s = suggest("_exists_:du", 11, &Names, 10);
        assert_eq!(apply("_exists_:du", &s[0]).0, "_exists_:due_on");
        assert!(suggest("", 0, &Names, 10).is_empty());
    }
}
