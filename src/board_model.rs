//! The board's data work, kept apart from the view so it can be tested natively.
//!
//! `GET /tickets` has no filters and no totals (REFERENCE §1.5), but it sorts by `status_id`.
//! In ascending status order the open tickets come first, then solved, then closed. So the board
//! (1) finds where each status band starts by probing single positions (`per_page=1&page=i+1`
//! returns the ticket at index `i`), a k-ary search that needs a few rounds of small requests even
//! for 100,000 tickets; (2) loads exactly the pages that hold the open tickets, with bounded
//! concurrency; (3) shows the newest solved and closed tickets a page at a time. Counts are exact
//! for every column without loading the whole helpdesk.

use mojo_api::ticket::Ticket;
use mojo_api::{Priority, Status};
use std::collections::{BTreeMap, BTreeSet};

/// The columns, in board order.
pub const COLUMNS: [Status; 6] =
    [Status::New, Status::InProgress, Status::OnHold, Status::InformationRequested, Status::Solved, Status::Closed];

/// The status band a ticket's status falls into on the board (unknown codes go with the
/// nearest known column below them, so nothing disappears).
pub fn column_of(status: Status) -> Status {
    let code = status.code();
    *COLUMNS.iter().rev().find(|c| c.code() <= code).unwrap_or(&Status::New)
}

/// What one probe found at an index of the ascending-status order: a status, or past the end.
pub type Probe = Option<Status>;

/// The three places the board needs in ascending-status order: the first solved-or-later
/// ticket, the first closed-or-later ticket, and the end.
#[derive(Clone, Debug, Default)]
pub struct BandSearch {
    seen: BTreeMap<usize, Probe>,
}

/// Which boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edge {
    Solved,
    Closed,
    End,
}

impl Edge {
    fn after(self, p: &Probe) -> bool {
        match (self, p) {
            (_, None) => true,
            (Edge::Solved, Some(s)) => s.code() >= Status::Solved.code(),
            (Edge::Closed, Some(s)) => s.code() >= Status::Closed.code(),
            (Edge::End, Some(_)) => false,
        }
    }
}

const EDGES: [Edge; 3] = [Edge::Solved, Edge::Closed, Edge::End];

impl BandSearch {
    /// An empty search.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records what is at `index`.
    pub fn record(&mut self, index: usize, probe: Probe) {
        self.seen.insert(index, probe);
    }

    /// Records a page of tickets that starts at `first_index`; a short page also marks the end.
    pub fn record_page(&mut self, first_index: usize, tickets: &[Ticket], per_page: usize) {
        for (i, t) in tickets.iter().enumerate() {
            self.record(first_index + i, Some(t.status()));
        }
        if tickets.len() < per_page {
            self.record(first_index + tickets.len(), None);
        }
    }

    /// (lowest index that may be the edge, the edge if known to be at or before it).
    fn bounds(&self, edge: Edge) -> (usize, Option<usize>) {
        let mut lo = 0;
        let mut hi = None;
        for (&i, p) in &self.seen {
            if edge.after(p) {
                hi = Some(hi.map_or(i, |h: usize| h.min(i)));
            } else {
                lo = lo.max(i + 1);
            }
        }
        (lo, hi)
    }

    /// The edge's index once it is pinned down.
    fn edge(&self, edge: Edge) -> Option<usize> {
        match self.bounds(edge) {
            (lo, Some(hi)) if hi <= lo => Some(hi),
            _ => None,
        }
    }

    /// True when all three edges are known.
    pub fn done(&self) -> bool {
        EDGES.iter().all(|e| self.edge(*e).is_some())
    }

    /// The pages (of `per_page` tickets, ascending status) worth asking for next, at most `max`.
    /// Edges with no upper bound yet share one ladder of points ×4 apart, so a single round
    /// brackets the end of even a huge helpdesk; bracketed edges get evenly spread points, and a
    /// bracket no wider than a page is settled by the page that covers it.
    pub fn next_pages(&self, max: usize, per_page: usize) -> Vec<u32> {
        let per_page = per_page.max(1);
        let brackets: BTreeSet<(usize, Option<usize>)> =
            EDGES.iter().filter(|e| self.edge(**e).is_none()).map(|e| self.bounds(*e)).collect();
        let open_ended: Vec<usize> = brackets.iter().filter(|(_, hi)| hi.is_none()).map(|(lo, _)| *lo).collect();
        let bounded: Vec<(usize, usize)> = brackets.iter().filter_map(|(lo, hi)| hi.map(|h| (*lo, h))).collect();
        let mut points = BTreeSet::new();
        let ladder = match (open_ended.is_empty(), bounded.is_empty()) {
            (true, _) => 0,
            (false, true) => max,
            (false, false) => max / 2,
        };
        if let Some(start) = open_ended.iter().max() {
            let mut at = (*start).max(per_page);
            for _ in 0..ladder.max(1) {
                at = at.saturating_mul(4);
                points.insert(at);
            }
        }
        if !bounded.is_empty() {
            let share = ((max - ladder.min(max)) / bounded.len()).max(1);
            for (lo, hi) in bounded {
                let span = hi - lo;
                let parts = share.min(span / per_page + 1);
                for k in 0..parts {
                    points.insert(lo + span * k / parts);
                }
            }
        }
        let pages: BTreeSet<u32> =
            points.into_iter().filter(|i| !self.seen.contains_key(i)).map(|i| (i / per_page + 1) as u32).collect();
        pages.into_iter().take(max).collect()
    }

    /// Tickets before the first solved one: the open count.
    pub fn open_count(&self) -> Option<usize> {
        self.edge(Edge::Solved)
    }

    /// Solved count (tickets between the first solved and the first closed).
    pub fn solved_count(&self) -> Option<usize> {
        Some(self.edge(Edge::Closed)? - self.edge(Edge::Solved)?)
    }

    /// Closed count (from the first closed to the end).
    pub fn closed_count(&self) -> Option<usize> {
        Some(self.edge(Edge::End)? - self.edge(Edge::Closed)?)
    }

    /// Total number of tickets.
    pub fn total(&self) -> Option<usize> {
        self.edge(Edge::End)
    }
}

/// Tickets grouped by board column, each column in the order given.
pub fn group_by_column<'a>(tickets: impl IntoIterator<Item = &'a Ticket>) -> BTreeMap<i64, Vec<&'a Ticket>> {
    let mut out: BTreeMap<i64, Vec<&Ticket>> = COLUMNS.iter().map(|c| (c.code(), Vec::new())).collect();
    for t in tickets {
        out.entry(column_of(t.status()).code()).or_default().push(t);
    }
    out
}

/// A ticket's age in words from its creation to `now_ms` ("3 h", "12 d", "5 mo").
pub fn age_label(created_ms: i64, now_ms: i64) -> String {
    let mins = ((now_ms - created_ms).max(0) / 60_000) as u64;
    match mins {
        0..=59 => format!("{mins} min"),
        60..=1439 => format!("{} h", mins / 60),
        1440..=86_399 => format!("{} d", mins / 1440),
        _ => format!("{} mo", mins / 43_200),
    }
}

/// The tickets of one page of `GET /tickets` sorted by `updated_on` descending that changed after
/// `since` (epoch ms), and whether the next page may hold more (this page was full and all of it
/// was newer).
pub fn changed_after(page: &[Ticket], since: i64, page_size: usize) -> (Vec<Ticket>, bool) {
    let newer: Vec<Ticket> =
        page.iter().filter(|t| t.updated_on.is_some_and(|u| u.millis() > since)).cloned().collect();
    let more = page.len() >= page_size && newer.len() == page.len();
    (newer, more)
}

/// Whether a newer copy of a ticket differs in anything a card shows (a change that only moved
/// `updated_on`, such as the agent's own confirmed move, is not news).
pub fn visible_change(old: &Ticket, new: &Ticket) -> bool {
    old.status() != new.status()
        || old.priority() != new.priority()
        || old.title != new.title
        || old.assigned_to_id != new.assigned_to_id
        || old.ticket_queue_id != new.ticket_queue_id
        || old.due_on != new.due_on
        || old.tag_ids != new.tag_ids
}

/// What the board's columns stand for (`group=` in the URL).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    /// One column per status (the default; cards move between them).
    Status,
    /// Open tickets by priority.
    Priority,
    /// Open tickets by queue.
    Queue,
    /// Open tickets by assignee, unassigned first.
    Assignee,
    /// Open tickets by due date: overdue, today, this week, later, none.
    Due,
}

impl GroupBy {
    /// Every grouping, in the picker's order.
    pub const ALL: [GroupBy; 5] = [GroupBy::Status, GroupBy::Priority, GroupBy::Queue, GroupBy::Assignee, GroupBy::Due];

    /// The URL value.
    pub fn key(self) -> &'static str {
        match self {
            GroupBy::Status => "status",
            GroupBy::Priority => "priority",
            GroupBy::Queue => "queue",
            GroupBy::Assignee => "assignee",
            GroupBy::Due => "due",
        }
    }

    /// The picker's words.
    pub fn label(self) -> &'static str {
        match self {
            GroupBy::Status => "Status",
            GroupBy::Priority => "Priority",
            GroupBy::Queue => "Queue",
            GroupBy::Assignee => "Assignee",
            GroupBy::Due => "Due date",
        }
    }

    /// From the URL (anything else: by status).
    pub fn from_param(v: Option<&str>) -> GroupBy {
        GroupBy::ALL.into_iter().find(|g| Some(g.key()) == v).unwrap_or(GroupBy::Status)
    }
}

/// One column of a regrouped board.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// A stable key (for the DOM).
    pub key: String,
    /// The heading.
    pub label: String,
    /// Its tickets, in the order shown.
    pub tickets: Vec<Ticket>,
}

/// Open tickets in the columns of `by` (not `Status`, which the status board shows). `name` names a
/// queue (`GroupBy::Queue`) or an agent (`GroupBy::Assignee`) by id; `clock` places due dates in
/// the local days. Priorities and due buckets always show all their columns; queues and agents
/// the ones holding tickets, by name.
pub fn group_open(
    open: &[Ticket],
    by: GroupBy,
    name: &dyn Fn(GroupBy, i64) -> String,
    clock: crate::kiosk_model::Clock,
) -> Vec<Group> {
    let newest_first = |mut v: Vec<Ticket>| {
        v.sort_unstable_by_key(|t| (std::cmp::Reverse(t.created_on.map(|c| c.millis())), std::cmp::Reverse(t.id)));
        v
    };
    let of = |pred: &dyn Fn(&Ticket) -> bool| -> Vec<Ticket> { open.iter().filter(|t| pred(t)).cloned().collect() };
    match by {
        GroupBy::Status => Vec::new(),
        GroupBy::Priority => Priority::ALL
            .iter()
            .map(|p| Group {
                key: p.slug().into(),
                label: p.label(),
                tickets: newest_first(of(&|t: &Ticket| t.priority() == *p)),
            })
            .collect(),
        GroupBy::Queue | GroupBy::Assignee => {
            let id_of = |t: &Ticket| match by {
                GroupBy::Queue => t.ticket_queue_id.unwrap_or(0),
                _ => t.assigned_to_id.filter(|a| *a > 0).unwrap_or(0),
            };
            let mut ids: Vec<i64> = open.iter().map(id_of).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut groups: Vec<(bool, String, i64)> = ids
                .into_iter()
                .map(|id| {
                    let unassigned = by == GroupBy::Assignee && id == 0;
                    (!unassigned, if unassigned { "Unassigned".to_string() } else { name(by, id) }, id)
                })
                .collect();
            groups.sort_unstable_by_key(|(named, label, id)| (*named, label.to_lowercase(), *id));
            groups
                .into_iter()
                .map(|(_, label, id)| Group {
                    key: format!("{}-{id}", by.key()),
                    label,
                    tickets: newest_first(of(&|t: &Ticket| id_of(t) == id)),
                })
                .collect()
        }
        GroupBy::Due => {
            let end_today = clock.today() + crate::kiosk_model::DAY_MS;
            let end_week = end_today + 6 * crate::kiosk_model::DAY_MS;
            let due = |t: &Ticket| t.due_on.map(|d| d.millis());
            let by_due = |mut v: Vec<Ticket>| {
                v.sort_unstable_by_key(|t| (due(t), t.id));
                v
            };
            let now = clock.now;
            [
                ("overdue", "Overdue", by_due(of(&|t: &Ticket| due(t).is_some_and(|d| d < now)))),
                ("today", "Due today", by_due(of(&|t: &Ticket| due(t).is_some_and(|d| d >= now && d < end_today)))),
                (
                    "week",
                    "Due this week",
                    by_due(of(&|t: &Ticket| due(t).is_some_and(|d| d >= end_today && d < end_week))),
                ),
                ("later", "Due later", by_due(of(&|t: &Ticket| due(t).is_some_and(|d| d >= end_week)))),
                ("none", "No due date", newest_first(of(&|t: &Ticket| due(t).is_none()))),
            ]
            .into_iter()
            .map(|(key, label, tickets)| Group { key: key.into(), label: label.into(), tickets })
            .collect()
        }
    }
}

/// Columns longer than this render only the cards in view (plus a margin), so a helpdesk with
/// thousands of open tickets scrolls as smoothly as a small one.
pub const VIRTUAL_AFTER: usize = 400;

/// The height of one card slot in a virtualised column, in CSS pixels (card plus gap).
pub const CARD_SLOT_PX: f64 = 132.0;

/// Cards rendered beyond each edge of the view.
pub const OVERSCAN: usize = 6;

/// The cards `[start, end)` of `n` to render for a list scrolled to `scroll_top` with a view
/// `viewport` pixels high, slots `slot` pixels high, `overscan` extra on each side.
pub fn visible_window(n: usize, scroll_top: f64, viewport: f64, slot: f64, overscan: usize) -> (usize, usize) {
    if n == 0 || slot <= 0.0 {
        return (0, 0);
    }
    let first = (scroll_top.max(0.0) / slot).floor() as usize;
    let shown = (viewport.max(slot) / slot).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(n);
    let end = (first + shown + overscan).min(n);
    (start.min(end), end)
}

/// "oldest 3 d": how long the longest-waiting of `tickets` has waited (none: `None`).
pub fn oldest_wait(tickets: &[Ticket], now_ms: i64) -> Option<String> {
    tickets
        .iter()
        .filter_map(|t| t.created_on.map(|c| c.millis()))
        .min()
        .map(|c| format!("oldest {}", age_label(c, now_ms)))
}

/// How an open ticket's due date stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueState {
    /// Past due.
    Overdue,
    /// Due within 24 hours.
    Soon,
    /// Due later.
    Later,
}

impl DueState {
    /// A CSS hook.
    pub fn class(self) -> &'static str {
        match self {
            DueState::Overdue => "overdue",
            DueState::Soon => "due-soon",
            DueState::Later => "due-later",
        }
    }
}

/// The due state and its words ("Overdue 3 d", "Due in 5 h"), so it never rests on colour alone.
pub fn due_label(due_ms: i64, now_ms: i64) -> (DueState, String) {
    if due_ms < now_ms {
        (DueState::Overdue, format!("Overdue {}", age_label(due_ms, now_ms)))
    } else if due_ms - now_ms < 86_400_000 {
        (DueState::Soon, format!("Due in {}", age_label(now_ms, due_ms)))
    } else {
        (DueState::Later, format!("Due in {}", age_label(now_ms, due_ms)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_window_covers_the_view_and_a_margin_and_never_runs_past_the_ends() {
        use super::visible_window;
        // 2,500 cards of 132 px, a 660 px view: 5 in view (+1 partly), 6 more each side.
        assert_eq!(visible_window(2500, 0.0, 660.0, 132.0, 6), (0, 12));
        assert_eq!(visible_window(2500, 132.0 * 100.0 + 50.0, 660.0, 132.0, 6), (94, 112));
        assert_eq!(visible_window(2500, 132.0 * 2498.0, 660.0, 132.0, 6), (2492, 2500));
        assert_eq!(visible_window(2500, 1e12, 660.0, 132.0, 6), (2500, 2500));
        assert_eq!(visible_window(3, -40.0, 660.0, 132.0, 6), (0, 3));
        assert_eq!(visible_window(0, 0.0, 660.0, 132.0, 6), (0, 0));
        assert_eq!(visible_window(10, 0.0, 0.0, 132.0, 0), (0, 2), "a view not measured yet still shows a card");
    }

    #[test]
    fn changes_after_a_moment_and_what_counts_as_news() {
        use mojo_api::ticket::Ticket;
        let t = |id: i64, updated: &str, status: i64| -> Ticket {
            serde_json::from_value(
                serde_json::json!({"id": id, "title": "x", "status_id": status, "updated_on": updated}),
            )
            .unwrap()
        };
        let since = mojo_api::Timestamp::parse("2026-12-04T10:00:00Z").unwrap().millis();
        let page =
            [t(3, "2026-12-04T10:05:00Z", 10), t(2, "2026-12-04T10:01:00Z", 20), t(1, "2026-12-04T09:00:00Z", 10)];
        let (newer, more) = super::changed_after(&page, since, 3);
        assert_eq!((newer.iter().map(|t| t.id).collect::<Vec<_>>(), more), (vec![3, 2], false));
        let (_, more) = super::changed_after(&page[..2], since, 2);
        assert!(more, "a full page of news: look at the next one");
        assert!(!super::visible_change(&t(2, "2026-12-04T09:00:00Z", 20), &page[1]), "only updated_on moved");
        assert!(super::visible_change(&t(2, "2026-12-04T09:00:00Z", 10), &page[1]), "status changed");
    }

    #[test]
    fn regrouping_open_tickets() {
        use super::{GroupBy, group_open};
        use mojo_api::ticket::Ticket;
        let t = |id: i64, priority: i64, queue: i64, assignee: Option<i64>, due: Option<&str>| -> Ticket {
            serde_json::from_value(serde_json::json!({
                "id": id, "title": "x", "status_id": 10, "priority_id": priority, "ticket_queue_id": queue,
                "assigned_to_id": assignee, "due_on": due, "created_on": format!("2026-12-0{}T08:00:00Z", id),
            }))
            .unwrap()
        };
        let open = [
            t(1, 10, 3, None, Some("2026-12-03T08:00:00Z")),
            t(2, 30, 5, Some(7), Some("2026-12-04T20:00:00Z")),
            t(3, 30, 3, Some(8), Some("2026-12-07T08:00:00Z")),
            t(4, 40, 5, Some(7), Some("2026-12-30T08:00:00Z")),
            t(5, 20, 3, None, None),
        ];
        let names = |by: GroupBy, id: i64| match (by, id) {
            (GroupBy::Queue, 3) => "Zeta".to_string(),
            (GroupBy::Queue, 5) => "Alpha".to_string(),
            (_, 7) => "Bea".to_string(),
            (_, id) => format!("Agent {id}"),
        };
        let clock = crate::kiosk_model::Clock {
            now: mojo_api::Timestamp::parse("2026-12-04T12:00:00Z").unwrap().millis(),
            shift_ms: 0,
        };
        let ids = |g: &super::Group| g.tickets.iter().map(|t| t.id).collect::<Vec<_>>();
        let p = group_open(&open, GroupBy::Priority, &names, clock);
        assert_eq!(
            p.iter().map(|g| (g.label.as_str(), ids(g))).collect::<Vec<_>>(),
            [("Emergency", vec![1]), ("Urgent", vec![5]), ("Normal", vec![3, 2]), ("Low", vec![4])]
        );
        let q = group_open(&open, GroupBy::Queue, &names, clock);
        assert_eq!(
            q.iter().map(|g| (g.label.as_str(), ids(g))).collect::<Vec<_>>(),
            [("Alpha", vec![4, 2]), ("Zeta", vec![5, 3, 1])]
        );
        let a = group_open(&open, GroupBy::Assignee, &names, clock);
        assert_eq!(
            a.iter().map(|g| (g.label.as_str(), ids(g))).collect::<Vec<_>>(),
            [("Unassigned", vec![5, 1]), ("Agent 8", vec![3]), ("Bea", vec![4, 2])]
        );
        let d = group_open(&open, GroupBy::Due, &names, clock);
        assert_eq!(
            d.iter().map(|g| (g.key.as_str(), ids(g))).collect::<Vec<_>>(),
            [("overdue", vec![1]), ("today", vec![2]), ("week", vec![3]), ("later", vec![4]), ("none", vec![5])]
        );
        assert_eq!(GroupBy::from_param(Some("due")), GroupBy::Due);
        assert_eq!(GroupBy::from_param(Some("nonsense")), GroupBy::Status);
    }

    #[test]
    fn due_labels_say_it_in_words() {
        let h = 3_600_000;
        assert_eq!(super::due_label(0, 3 * 24 * h), (super::DueState::Overdue, "Overdue 3 d".into()));
        assert_eq!(super::due_label(5 * h, 0), (super::DueState::Soon, "Due in 5 h".into()));
        assert_eq!(super::due_label(30 * h, 0), (super::DueState::Later, "Due in 1 d".into()));
    }

    use super::*;

    fn statuses(n_open: usize, n_solved: usize, n_closed: usize) -> Vec<Status> {
        let mut v = Vec::new();
        for i in 0..n_open {
            v.push(COLUMNS[i % 4]);
        }
        v.sort_by_key(|s| s.code());
        v.extend(std::iter::repeat_n(Status::Solved, n_solved));
        v.extend(std::iter::repeat_n(Status::Closed, n_closed));
        v
    }

    fn run(data: &[Status], per_page: usize) -> (BandSearch, usize, usize) {
        let mut s = BandSearch::new();
        let mut rounds = 0;
        let mut probes = 0;
        while !s.done() {
            let next = s.next_pages(8, per_page);
            assert!(!next.is_empty(), "search stalled");
            for p in next {
                let first = (p as usize - 1) * per_page;
                let page: Vec<Ticket> = data
                    .iter()
                    .skip(first)
                    .take(per_page)
                    .map(|st| Ticket { id: 1, status_id: Some(*st), ..Default::default() })
                    .collect();
                s.record_page(first, &page, per_page);
                probes += 1;
            }
            rounds += 1;
            assert!(rounds < 40);
        }
        (s, rounds, probes)
    }

    #[test]
    fn finds_exact_band_counts() {
        for (o, so, c) in [
            (0, 0, 0),
            (1, 0, 0),
            (0, 0, 7),
            (312, 901, 1187),
            (5, 100_000, 3),
            (40_000, 1, 0),
            (99, 1, 1),
            (414, 206, 1780),
        ] {
            let data = statuses(o, so, c);
            let (s, rounds, probes) = run(&data, 10);
            assert_eq!(
                (s.open_count(), s.solved_count(), s.closed_count(), s.total()),
                (Some(o), Some(so), Some(c), Some(o + so + c))
            );
            // Logarithmic in the number of tickets: a handful of rounds of small requests.
            let n = (o + so + c).max(2) as f64;
            let bound = 2 + n.log(4.0).ceil() as usize;
            assert!(rounds <= bound, "{o}/{so}/{c}: {rounds} rounds > {bound}");
            assert!(probes <= 8 * bound, "{o}/{so}/{c}: {probes} probes");
            println!("{o}/{so}/{c}: {rounds} rounds, {probes} probes");
        }
    }

    #[test]
    fn pages_count_as_probes() {
        let data = statuses(30, 10, 5);
        let mut s = BandSearch::new();
        let page: Vec<Ticket> = data
            .iter()
            .enumerate()
            .map(|(i, st)| Ticket { id: i as i64, status_id: Some(*st), ..Default::default() })
            .collect();
        s.record_page(0, &page, 100);
        assert_eq!((s.open_count(), s.solved_count(), s.closed_count()), (Some(30), Some(10), Some(5)));
    }

    #[test]
    fn columns_and_ages() {
        assert_eq!(column_of(Status::Other(15)), Status::New);
        assert_eq!(column_of(Status::Other(70)), Status::Closed);
        assert_eq!(column_of(Status::OnHold), Status::OnHold);
        let t = [
            Ticket { id: 1, status_id: Some(Status::OnHold), ..Default::default() },
            Ticket { id: 2, status_id: None, ..Default::default() },
        ];
        let g = group_by_column(t.iter());
        assert_eq!(g[&30].len(), 1);
        assert_eq!(g[&10][0].id, 2);
        assert_eq!(age_label(0, 59 * 60_000), "59 min");
        assert_eq!(age_label(0, 3 * 3_600_000), "3 h");
        assert_eq!(age_label(0, 12 * 86_400_000), "12 d");
        assert_eq!(age_label(0, 200 * 86_400_000), "6 mo");
    }
}
