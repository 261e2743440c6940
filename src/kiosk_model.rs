//! The kiosk wallboard's logic, apart from the view: its configuration from the URL, the queries
//! one refresh sends, the figures each view shows, and the refresh timing (interval, backoff,
//! staleness). Pure, so it is tested natively.
//!
//! A kiosk is set up by bookmarking one address, for example
//! `#/kiosk?views=tiles,board,due,chart&queues=3,5&rotate=20&refresh=60&theme=dark&alert_open=150&alert_emergency=1`.
//! The access key is never in the URL: the kiosk uses the key stored on that device.

use mojo_api::query::{self, Query};
use mojo_api::ticket::Ticket;
use mojo_api::{Priority, Status};

/// One screen of the rotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Big tiles: open tickets by status, priority and queue; new and solved today.
    Tiles,
    /// The open columns of the board, titles only.
    Board,
    /// The oldest open tickets.
    Oldest,
    /// Overdue and due within a day.
    Due,
    /// Created today.
    New,
    /// Created and solved per day over 14 days.
    Chart,
}

impl View {
    /// Every view, in the default rotation order.
    pub const ALL: [View; 6] = [View::Tiles, View::Board, View::Due, View::Oldest, View::New, View::Chart];

    /// The URL name.
    pub fn key(self) -> &'static str {
        match self {
            View::Tiles => "tiles",
            View::Board => "board",
            View::Oldest => "oldest",
            View::Due => "due",
            View::New => "new",
            View::Chart => "chart",
        }
    }

    /// The heading on the wall.
    pub fn title(self) -> &'static str {
        match self {
            View::Tiles => "Open tickets",
            View::Board => "Board",
            View::Oldest => "Oldest open tickets",
            View::Due => "Due soon and overdue",
            View::New => "New today",
            View::Chart => "Created and solved, last 14 days",
        }
    }

    fn from_key(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.key().eq_ignore_ascii_case(s.trim()))
    }
}

/// Light or dark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Light text on black (the default: high contrast, easy on a wall).
    Dark,
    /// Dark text on white.
    Light,
}

/// The kiosk's settings, all from the URL.
#[derive(Clone, Debug, PartialEq)]
pub struct KioskConfig {
    /// The rotation (never empty).
    pub views: Vec<View>,
    /// Only these queues (empty: all).
    pub queues: Vec<i64>,
    /// Seconds per view.
    pub rotate_s: f64,
    /// Seconds between refreshes.
    pub refresh_s: f64,
    /// Colours.
    pub theme: Theme,
    /// Pulse the open-tickets tile at or above this many open tickets.
    pub alert_open: Option<usize>,
    /// Pulse the emergency tile at or above this many open emergencies.
    pub alert_emergency: Option<usize>,
}

/// Shortest rotation step and refresh interval accepted (faster values are raised).
pub const MIN_ROTATE_S: f64 = 3.0;
/// Fast refreshes are for tests and benchmarks; a real wall uses the default.
pub const MIN_REFRESH_S: f64 = 0.2;

impl KioskConfig {
    /// Reads the URL's query pairs; anything unreadable falls back to its default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> KioskConfig {
        let num = |k: &str| get(k).and_then(|v| v.trim().parse::<f64>().ok()).filter(|n| n.is_finite());
        let count = |k: &str| get(k).and_then(|v| v.trim().parse::<usize>().ok());
        let mut views: Vec<View> = Vec::new();
        for v in get("views").unwrap_or_default().split(',').filter_map(View::from_key) {
            if !views.contains(&v) {
                views.push(v);
            }
        }
        if views.is_empty() {
            views = View::ALL.to_vec();
        }
        let queues = get("queues")
            .map(|v| v.split(',').filter_map(|q| q.trim().parse::<i64>().ok()).filter(|q| *q > 0).collect())
            .unwrap_or_default();
        KioskConfig {
            views,
            queues,
            rotate_s: num("rotate").unwrap_or(20.0).clamp(MIN_ROTATE_S, 3600.0),
            refresh_s: num("refresh").unwrap_or(60.0).clamp(MIN_REFRESH_S, 3600.0),
            theme: if get("theme").is_some_and(|t| t.eq_ignore_ascii_case("light")) {
                Theme::Light
            } else {
                Theme::Dark
            },
            alert_open: count("alert_open"),
            alert_emergency: count("alert_emergency"),
        }
    }

    /// `AND ticket_queue.id:(a OR b)` for the queue filter ("" without one).
    fn queue_clause(&self) -> String {
        match self.queues.as_slice() {
            [] => String::new(),
            qs => format!(" AND ticket_queue.id:({})", qs.iter().map(i64::to_string).collect::<Vec<_>>().join(" OR ")),
        }
    }

    /// The open tickets.
    pub fn open_query(&self) -> Query {
        parse(&format!("status.id:(<50){}", self.queue_clause()))
    }

    /// Tickets created since `day` (`YYYY-MM-DD`, UTC start of the chart's first local day).
    pub fn created_since(&self, since_iso: &str) -> Query {
        parse(&format!("created_on:[{since_iso} TO *]{}", self.queue_clause()))
    }

    /// Tickets solved since `since_iso`.
    pub fn solved_since(&self, since_iso: &str) -> Query {
        parse(&format!("solved_on:[{since_iso} TO *]{}", self.queue_clause()))
    }
}

fn parse(s: &str) -> Query {
    // Built only from numbers and ISO instants, so it always reads.
    query::parse(s).ok().flatten().unwrap_or_else(|| Query::text(s))
}

/// A millisecond clock with the wall's local time zone: `shift_ms` is added to UTC to get local.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    /// Now, epoch milliseconds (UTC).
    pub now: i64,
    /// Local minus UTC, in milliseconds.
    pub shift_ms: i64,
}

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

impl Clock {
    /// Now, in the browser's time zone (reads the browser's clock: not for native tests).
    pub fn browser() -> Clock {
        let shift_ms = -(js_sys::Date::new_0().get_timezone_offset() * 60_000.0) as i64;
        Clock { now: js_sys::Date::now() as i64, shift_ms }
    }

    /// The UTC instant at which the local day holding `t` began.
    pub fn day_start(&self, t: i64) -> i64 {
        (t + self.shift_ms).div_euclid(DAY_MS) * DAY_MS - self.shift_ms
    }

    /// Start of today (local).
    pub fn today(&self) -> i64 {
        self.day_start(self.now)
    }

    /// Start of the chart's first day (13 local days before today).
    pub fn chart_start(&self) -> i64 {
        self.today() - 13 * DAY_MS
    }
}

/// One refresh's answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fetched {
    /// Open tickets.
    pub open: Vec<Ticket>,
    /// Created since the chart's first day.
    pub created: Vec<Ticket>,
    /// Solved since the chart's first day.
    pub solved: Vec<Ticket>,
}

/// A count with its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tile {
    /// What is counted.
    pub label: String,
    /// How many.
    pub count: usize,
    /// A CSS hook (`status-new`, `priority-emergency`, `queue`).
    pub class: String,
    /// Over its alert threshold.
    pub alert: bool,
}

/// A day of the chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    /// Local start of the day (UTC epoch ms).
    pub start: i64,
    /// Created that day.
    pub created: usize,
    /// Solved that day.
    pub solved: usize,
}

/// Everything the views show, computed once per refresh.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// When the data was fetched.
    pub at: i64,
    /// Open tickets in all.
    pub open_total: usize,
    /// The open-total tile is over its threshold.
    pub open_alert: bool,
    /// By open status, then new and solved today.
    pub by_status: Vec<Tile>,
    /// Open tickets by priority.
    pub by_priority: Vec<Tile>,
    /// Open tickets by queue id (most first).
    pub by_queue: Vec<(i64, usize)>,
    /// Open columns for the board view: status and its tickets, oldest first.
    pub columns: Vec<(Status, Vec<Ticket>)>,
    /// Oldest open first.
    pub oldest: Vec<Ticket>,
    /// Open with a due date before now, earliest first.
    pub overdue: Vec<Ticket>,
    /// Open and due within the next 24 hours, earliest first.
    pub due_soon: Vec<Ticket>,
    /// Created today, newest first.
    pub new_today: Vec<Ticket>,
    /// 14 days, oldest first.
    pub days: Vec<Day>,
}

fn created(t: &Ticket) -> i64 {
    t.created_on.map(|c| c.millis()).unwrap_or(i64::MAX)
}

impl Snapshot {
    /// The figures for `f` at `clock`, with the thresholds of `cfg`.
    pub fn compute(f: &Fetched, clock: Clock, cfg: &KioskConfig) -> Snapshot {
        let now = clock.now;
        let today = clock.today();
        let mut open: Vec<Ticket> = f.open.iter().filter(|t| t.status().code() < 50).cloned().collect();
        open.sort_unstable_by_key(|t| (created(t), t.id));
        let open_statuses = [Status::New, Status::InProgress, Status::OnHold, Status::InformationRequested];
        let count_status = |s: Status| open.iter().filter(|t| t.status() == s).count();
        let new_today: Vec<Ticket> = {
            let mut v: Vec<Ticket> =
                f.created.iter().filter(|t| created(t) >= today && created(t) <= now).cloned().collect();
            v.sort_unstable_by_key(|t| (std::cmp::Reverse(created(t)), t.id));
            v
        };
        let solved_today = f.solved.iter().filter(|t| t.solved_on.is_some_and(|s| s.millis() >= today)).count();
        let mut by_status: Vec<Tile> = open_statuses
            .iter()
            .map(|s| Tile {
                label: s.label(),
                count: count_status(*s),
                class: format!("k-status-{}", s.slug()),
                alert: false,
            })
            .collect();
        by_status.push(Tile { label: "New today".into(), count: new_today.len(), class: "today".into(), alert: false });
        by_status.push(Tile {
            label: "Solved today".into(),
            count: solved_today,
            class: "solved-today".into(),
            alert: false,
        });
        let by_priority = Priority::ALL
            .iter()
            .map(|p| {
                let count = open.iter().filter(|t| t.priority() == *p).count();
                let alert = *p == Priority::Emergency && cfg.alert_emergency.is_some_and(|n| count >= n);
                Tile { label: p.label(), count, class: format!("k-priority-{}", p.slug()), alert }
            })
            .collect();
        let mut by_queue: Vec<(i64, usize)> = Vec::new();
        for t in &open {
            let q = t.ticket_queue_id.unwrap_or(0);
            match by_queue.iter_mut().find(|(id, _)| *id == q) {
                Some((_, n)) => *n += 1,
                None => by_queue.push((q, 1)),
            }
        }
        by_queue.sort_unstable_by_key(|(id, n)| (std::cmp::Reverse(*n), *id));
        let columns =
            open_statuses.iter().map(|s| (*s, open.iter().filter(|t| t.status() == *s).cloned().collect())).collect();
        let due = |t: &Ticket| t.due_on.map(|d| d.millis());
        let mut overdue: Vec<Ticket> = open.iter().filter(|t| due(t).is_some_and(|d| d < now)).cloned().collect();
        overdue.sort_unstable_by_key(|t| (due(t), t.id));
        let mut due_soon: Vec<Ticket> =
            open.iter().filter(|t| due(t).is_some_and(|d| d >= now && d < now + DAY_MS)).cloned().collect();
        due_soon.sort_unstable_by_key(|t| (due(t), t.id));
        let start = clock.chart_start();
        let mut days: Vec<Day> = (0..14).map(|i| Day { start: start + i * DAY_MS, created: 0, solved: 0 }).collect();
        // Days are found by local midnight, so a day of 23 or 25 hours (clock change) still counts right.
        let index = |t: i64| -> Option<usize> {
            if t < start || t > now {
                return None;
            }
            let d = clock.day_start(t);
            days.iter().position(|x| clock.day_start(x.start + DAY_MS / 2) == d)
        };
        let created_idx: Vec<usize> = f.created.iter().filter_map(|t| index(created(t))).collect();
        let solved_idx: Vec<usize> =
            f.solved.iter().filter_map(|t| t.solved_on.and_then(|s| index(s.millis()))).collect();
        for i in created_idx {
            days[i].created += 1;
        }
        for i in solved_idx {
            days[i].solved += 1;
        }
        let open_total = open.len();
        Snapshot {
            at: now,
            open_total,
            open_alert: cfg.alert_open.is_some_and(|n| open_total >= n),
            by_status,
            by_priority,
            by_queue,
            columns,
            oldest: open.iter().take(12).cloned().collect(),
            overdue,
            due_soon,
            new_today,
            days,
        }
    }
}

/// How long to wait before the next refresh: the interval after a success; after `failures`
/// failures in a row, 2 s doubling each time, never longer than the interval (nor than 60 s when
/// the interval is longer), so a wall recovers within a minute of the service coming back.
pub fn next_wait_s(refresh_s: f64, failures: u32) -> f64 {
    if failures == 0 {
        return refresh_s;
    }
    let backoff = 2.0 * 2f64.powi(failures.saturating_sub(1).min(16) as i32);
    backoff.min(refresh_s.min(60.0))
}

/// Whether the numbers on the wall are out of date: the last refresh failed, or the last good one
/// is older than two intervals (and at least 30 s).
pub fn is_stale(last_ok: Option<i64>, now: i64, refresh_s: f64, last_failed: bool) -> bool {
    match last_ok {
        None => last_failed,
        Some(t) => last_failed || (now - t) as f64 > (2.0 * refresh_s * 1000.0).max(30_000.0),
    }
}

/// "just now", "1 min ago", "12 min ago", "3 h 5 min ago".
pub fn ago(ms: i64) -> String {
    let min = ms.max(0) / 60_000;
    match min {
        0 => "just now".into(),
        m if m < 60 => format!("{m} min ago"),
        m => format!("{} h {} min ago", m / 60, m % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mojo_api::Timestamp;

    fn cfg(q: &str) -> KioskConfig {
        let pairs: Vec<(String, String)> = q
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        KioskConfig::from_params(|k| pairs.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone()))
    }

    #[test]
    fn config_from_the_url_with_defaults_for_anything_odd() {
        let c = cfg(
            "views=chart,TILES,nope,chart&queues=3,x,5,-1&rotate=1&refresh=abc&theme=light&alert_open=150&alert_emergency=1",
        );
        assert_eq!(c.views, vec![View::Chart, View::Tiles]);
        assert_eq!(c.queues, vec![3, 5]);
        assert_eq!((c.rotate_s, c.refresh_s), (MIN_ROTATE_S, 60.0));
        assert_eq!(c.theme, Theme::Light);
        assert_eq!((c.alert_open, c.alert_emergency), (Some(150), Some(1)));
        let d = cfg("");
        assert_eq!(d.views, View::ALL.to_vec());
        assert_eq!((d.rotate_s, d.refresh_s, d.theme, d.alert_open), (20.0, 60.0, Theme::Dark, None));
        assert_eq!(cfg("refresh=NaN&rotate=inf").refresh_s, 60.0);
        assert_eq!(cfg("refresh=0.01").refresh_s, MIN_REFRESH_S);
    }

    #[test]
    fn queries_carry_the_queue_filter() {
        assert_eq!(cfg("").open_query().to_string(), "status.id:(<50)");
        let c = cfg("queues=3,5");
        assert_eq!(c.open_query().to_string(), "status.id:(<50) AND ticket_queue.id:(3 OR 5)");
        assert_eq!(
            c.created_since("2026-11-21T05:00:00Z").to_string(),
            "created_on:[2026-11-21T05:00:00Z TO *] AND ticket_queue.id:(3 OR 5)"
        );
    }

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn ticket(id: i64, status: i64, priority: i64, created: &str) -> Ticket {
        serde_json::from_value(serde_json::json!({
            "id": id, "title": format!("T{id}"), "status_id": status, "priority_id": priority,
            "ticket_queue_id": 1 + id % 2, "created_on": created,
        }))
        .unwrap()
    }

    #[test]
    fn local_days_follow_the_wall_clock() {
        // 2026-12-04 02:00 UTC is still 2026-12-03 in New York (UTC-5).
        let c = Clock { now: at("2026-12-04T02:00:00Z").millis(), shift_ms: -5 * 3_600_000 };
        assert_eq!(c.today(), at("2026-12-03T05:00:00Z").millis());
        assert_eq!(c.chart_start(), at("2026-11-20T05:00:00Z").millis());
        let utc = Clock { now: at("2026-12-04T02:00:00Z").millis(), shift_ms: 0 };
        assert_eq!(utc.today(), at("2026-12-04").millis());
    }

    #[test]
    fn the_snapshot_counts_what_each_view_shows() {
        let clock = Clock { now: at("2026-12-04T15:00:00Z").millis(), shift_ms: 0 };
        let mut open = vec![
            ticket(1, 10, 10, "2026-12-04T09:00:00Z"),
            ticket(2, 20, 30, "2026-11-01T09:00:00Z"),
            ticket(3, 30, 10, "2026-12-01T09:00:00Z"),
            ticket(4, 40, 40, "2026-12-03T09:00:00Z"),
            ticket(5, 50, 30, "2026-12-02T09:00:00Z"), // solved: not open whatever the answer says
        ];
        open[1].due_on = Some(at("2026-12-04T10:00:00Z")); // overdue
        open[2].due_on = Some(at("2026-12-05T09:00:00Z")); // due within a day
        open[3].due_on = Some(at("2026-12-09T09:00:00Z")); // later
        let mut solved = ticket(6, 50, 30, "2026-11-25T09:00:00Z");
        solved.solved_on = Some(at("2026-12-04T08:00:00Z"));
        let mut solved_before = ticket(7, 60, 30, "2026-11-10T09:00:00Z");
        solved_before.solved_on = Some(at("2026-11-22T08:00:00Z"));
        let f = Fetched {
            open: open.clone(),
            created: vec![open[0].clone(), open[2].clone(), open[3].clone(), solved.clone()],
            solved: vec![solved, solved_before],
        };
        let s = Snapshot::compute(&f, clock, &cfg("alert_open=4&alert_emergency=2"));
        assert_eq!(s.open_total, 4);
        assert!(s.open_alert);
        let counts: Vec<(String, usize)> = s.by_status.iter().map(|t| (t.label.clone(), t.count)).collect();
        assert_eq!(
            counts,
            [
                ("New", 1),
                ("In progress", 1),
                ("On hold", 1),
                ("Information requested", 1),
                ("New today", 1),
                ("Solved today", 1)
            ]
            .map(|(l, n)| (l.to_string(), n))
        );
        let emergency = &s.by_priority[0];
        assert_eq!((emergency.label.as_str(), emergency.count, emergency.alert), ("Emergency", 2, true));
        assert_eq!(s.by_queue, vec![(1, 2), (2, 2)]);
        assert_eq!(s.oldest.iter().map(|t| t.id).collect::<Vec<_>>(), [2, 3, 4, 1]);
        assert_eq!(s.overdue.iter().map(|t| t.id).collect::<Vec<_>>(), [2]);
        assert_eq!(s.due_soon.iter().map(|t| t.id).collect::<Vec<_>>(), [3]);
        assert_eq!(s.new_today.iter().map(|t| t.id).collect::<Vec<_>>(), [1]);
        assert_eq!(s.days.len(), 14);
        assert_eq!(s.days[0].start, at("2026-11-21").millis());
        let created: Vec<usize> = s.days.iter().map(|d| d.created).collect();
        let solved: Vec<usize> = s.days.iter().map(|d| d.solved).collect();
        assert_eq!(created, [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1]);
        assert_eq!(solved, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(s.columns.iter().map(|(st, v)| (*st, v.len())).collect::<Vec<_>>().len(), 4);
        // No thresholds, no alerts.
        let quiet = Snapshot::compute(&f, clock, &cfg(""));
        assert!(!quiet.open_alert && quiet.by_priority.iter().all(|t| !t.alert));
    }

    #[test]
    fn backoff_and_staleness() {
        assert_eq!(next_wait_s(60.0, 0), 60.0);
        let waits: Vec<f64> = (1..=7).map(|f| next_wait_s(60.0, f)).collect();
        assert_eq!(waits, [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]);
        assert_eq!(next_wait_s(600.0, 9), 60.0, "a long interval still retries every minute");
        assert_eq!(next_wait_s(1.0, 5), 1.0, "never slower than the interval");
        assert!(!is_stale(Some(0), 59_000, 30.0, false));
        assert!(is_stale(Some(0), 61_000, 30.0, false));
        assert!(is_stale(Some(0), 1_000, 30.0, true));
        assert!(!is_stale(None, 0, 30.0, false));
        assert_eq!(
            (ago(10_000), ago(125_000), ago(3_900_000)),
            ("just now".into(), "2 min ago".into(), "1 h 5 min ago".into())
        );
    }
}
