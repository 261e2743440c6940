//! The demo helpdesk: a managed IT & facilities services company ("BrightPath") whose agents
//! work tickets from the staff of 14 client companies. Generation is a pure function of
//! `(seed, anchor)` ([`generate`]): the anchor is the moment of seeding, so ticket ages look
//! current, while the content and the access keys depend on the seed alone ([`keys_for_seed`]),
//! so the printed demo keys are the same on every run.

pub mod rng;
pub mod text;

use crate::api::tickets::{self, TicketRow};
use mojo_api::time::civil_from_days;
use rng::Rng;
use rusqlite::{Connection, params};
use std::collections::HashSet;
use text::*;

/// The account id tasks report (`account_id`).
pub const ACCOUNT_ID: i64 = 7042;
/// The helpdesk's subdomain-style name (`helpdesk_name` on users).
pub const HELPDESK_NAME: &str = "brightpath";
/// The organisation (`organization_name` on users).
pub const ORGANIZATION_NAME: &str = "BrightPath IT & Facilities Services";
/// The staff e-mail domain.
pub const STAFF_DOMAIN: &str = "brightpath.example";
/// How many tickets the demo has unless told otherwise (`--tickets`).
pub const TICKET_COUNT: usize = 2400;
/// The first ticket id (ids grow with creation time, as in the real service).
pub const FIRST_TICKET_ID: i64 = 10_001;
/// The first ticket queue id.
pub const FIRST_QUEUE_ID: i64 = 11;
/// The first group id.
pub const FIRST_GROUP_ID: i64 = 101;
/// The first end-user id (staff are 1..=20).
pub const FIRST_CUSTOMER_ID: i64 = 1001;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
/// How far back tickets go: 18 months.
const SPAN_DAYS: i64 = 548;

/// A group to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSeed {
    pub id: i64,
    pub name: String,
    pub primary_contact_id: Option<i64>,
    pub billing_contact_id: Option<i64>,
    pub support_level_id: i64,
    pub support_status_id: i64,
    pub support_start_date: String,
    pub support_end_date: String,
    pub support_info_url: String,
    pub address: String,
    pub address2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country: String,
    pub website_url: String,
    pub notes: String,
    pub created_on: i64,
}

/// A user to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct UserSeed {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role_id: i64,
    pub company_id: Option<i64>,
    pub is_active: bool,
    pub work_phone: Option<String>,
    pub cell_phone: Option<String>,
    pub user_notes: Option<String>,
    pub helpdesk_notes: Option<String>,
    pub time_zone: String,
    pub all_queues: bool,
    pub can_access_company_tickets: bool,
    pub created_on: i64,
    pub last_login_on: Option<i64>,
    /// For staff: index into [`text::STAFF`].
    pub staff: Option<usize>,
}

/// An access key to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySeed {
    pub key: String,
    pub user_id: i64,
    pub read_only: bool,
    pub label: Option<&'static str>,
    pub expires_on: Option<i64>,
}

/// A comment or staff note to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteSeed {
    pub ticket_id: i64,
    pub user_id: i64,
    pub body: String,
    pub time_spent: Option<i64>,
    pub from_email: Option<String>,
    pub created_on: i64,
}

/// A task to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSeed {
    pub ticket_id: i64,
    pub title: String,
    pub is_completed: bool,
    pub assigned_to_id: Option<i64>,
    pub due_on: Option<i64>,
    pub position: i64,
    pub created_on: i64,
    pub updated_on: i64,
}

/// Everything the seed inserts besides the fixed catalogues of [`text`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    pub groups: Vec<GroupSeed>,
    pub users: Vec<UserSeed>,
    pub keys: Vec<KeySeed>,
    /// `(user_id, queue_id, notify)`.
    pub agent_queues: Vec<(i64, i64, bool)>,
    /// `(team_id, user_id)`.
    pub team_members: Vec<(i64, i64)>,
    pub tickets: Vec<TicketRow>,
    /// `(ticket_id, tag_id)`.
    pub ticket_tags: Vec<(i64, i64)>,
    /// `(ticket_id, field key, value)`.
    pub field_values: Vec<(i64, String, String)>,
    pub comments: Vec<NoteSeed>,
    pub staff_notes: Vec<NoteSeed>,
    pub tasks: Vec<TaskSeed>,
}

/// The access keys of a seed, in assignment order: one per staff member (by [`text::STAFF`]
/// order), then the demo agent's read-only key, the demo customer's key and an expired key.
pub fn keys_for_seed(seed: u64) -> Vec<String> {
    let mut r = Rng::new(seed ^ 0x6d6f_6a6f_2d6b_6579);
    (0..STAFF.len() + 3).map(|_| r.hex40()).collect()
}

/// Staff indices of the demo roles.
const OWNER: usize = 0;
const MANAGER: usize = 2;
const AGENT: usize = 4;
const EXPIRED_HOLDER: usize = 6;

/// Seeds an empty database with `tickets` tickets inside one transaction. A database that has
/// been seeded before (or holds users from elsewhere) is left alone, so data survives restarts.
pub fn seed_if_empty(conn: &mut Connection, seed: u64, tickets: usize, now: i64) -> rusqlite::Result<bool> {
    let seeded =
        crate::db::meta_get(conn, "seed")?.is_some() || crate::db::count(conn, "SELECT COUNT(*) FROM users")? > 0;
    if seeded {
        return Ok(false);
    }
    let anchor = now - now.rem_euclid(MIN);
    let data = generate_with(seed, anchor, tickets);
    let tx = conn.transaction()?;
    write(&tx, &data, anchor)?;
    crate::db::meta_set(&tx, "seed", &seed.to_string())?;
    crate::db::meta_set(&tx, "seeded_on", &crate::json::iso(anchor))?;
    tx.commit()?;
    // Statistics for the query planner (search picks between indexes by them).
    conn.execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?;
    Ok(true)
}

fn slug_email(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'á' | 'à' | 'ä' => Some('a'),
            'é' | 'è' => Some('e'),
            'í' => Some('i'),
            'ó' | 'ö' => Some('o'),
            'ú' | 'ü' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

fn date_text(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// "Monday, March 17".
fn long_date(ms: i64) -> String {
    let days = ms.div_euclid(DAY);
    let (_, m, d) = civil_from_days(days);
    const NAMES: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    format!("{}, {} {d}", NAMES[(days + 4).rem_euclid(7) as usize], MONTHS[(m - 1) as usize])
}

fn phone(rng: &mut Rng, area: &str) -> String {
    format!("({area}) 555-{:04}", rng.range(100, 199))
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Values for the placeholders of one ticket.
struct Slots {
    vals: Vec<(&'static str, String)>,
}

impl Slots {
    fn get(&self, name: &str) -> String {
        self.vals.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            match rest[start..].find('}') {
                Some(end) => {
                    out.push_str(&self.get(&rest[start + 1..start + end]));
                    rest = &rest[start + end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The requester as descriptions sign them.
struct Person<'a> {
    first: &'a str,
    last: &'a str,
    email: &'a str,
    job: &'a str,
    company: &'a str,
    phone: &'a str,
}

/// Builds the generated data with [`TICKET_COUNT`] tickets. Pure: the same `(seed, anchor)`
/// gives the same dataset.
pub fn generate(seed: u64, anchor: i64) -> Dataset {
    generate_with(seed, anchor, TICKET_COUNT)
}

/// Builds the generated data with `tickets` tickets over the same 18 months, people and
/// catalogues (a bigger helpdesk for load tests, a smaller one for quick tests).
pub fn generate_with(seed: u64, anchor: i64, tickets: usize) -> Dataset {
    let mut root = Rng::new(seed);
    let mut people_rng = root.fork(1);
    let mut ticket_rng = root.fork(2);
    let keys = keys_for_seed(seed);
    let mut d = Dataset::default();
    let mut emails: HashSet<String> = HashSet::new();

    // Staff.
    for (i, s) in STAFF.iter().enumerate() {
        let id = i as i64 + 1;
        let email = format!("{}.{}@{STAFF_DOMAIN}", slug_email(s.first), slug_email(s.last));
        emails.insert(email.clone());
        let r = &mut people_rng;
        d.users.push(UserSeed {
            id,
            email,
            first_name: s.first.into(),
            last_name: s.last.into(),
            role_id: s.role,
            company_id: None,
            is_active: s.active,
            work_phone: Some(phone(r, "614")),
            cell_phone: r.chance(0.6).then(|| phone(r, "614")),
            user_notes: Some(s.title.into()),
            helpdesk_notes: None,
            time_zone: "Eastern Time (US & Canada)".into(),
            all_queues: !s.restricted,
            can_access_company_tickets: false,
            created_on: anchor - r.range(SPAN_DAYS + 60, 1800) * DAY,
            last_login_on: if s.active {
                Some(anchor - r.range(5, 3 * 24 * 60) * MIN)
            } else {
                Some(anchor - r.range(200, 260) * DAY)
            },
            staff: Some(i),
        });
        d.team_members.push((s.team as i64 + 1, id));
        for q in s.home_queues {
            d.agent_queues.push((id, FIRST_QUEUE_ID + *q as i64, true));
        }
        d.keys.push(KeySeed {
            key: keys[i].clone(),
            user_id: id,
            read_only: false,
            label: match i {
                OWNER => Some("owner"),
                MANAGER => Some("manager"),
                AGENT => Some("agent"),
                _ => None,
            },
            expires_on: None,
        });
    }

    // Groups and their people.
    let mut customer_id = FIRST_CUSTOMER_ID;
    let mut by_group: Vec<Vec<usize>> = Vec::new();
    for (gi, c) in COMPANIES.iter().enumerate() {
        let r = &mut people_rng;
        let gid = FIRST_GROUP_ID + gi as i64;
        let start = anchor - r.range(300, 1600) * DAY;
        let delinquent = c.name.starts_with("Orion");
        let years = r.range(1, 3);
        let end = if delinquent {
            anchor - r.range(40, 120) * DAY
        } else {
            (start + years * 365 * DAY).max(anchor + r.range(30, 400) * DAY)
        };
        let slug = c.domain.trim_end_matches(".example");
        d.groups.push(GroupSeed {
            id: gid,
            name: c.name.into(),
            primary_contact_id: None,
            billing_contact_id: None,
            support_level_id: r.range(1, 4),
            support_status_id: delinquent as i64,
            support_start_date: date_text(start),
            support_end_date: date_text(end),
            support_info_url: format!("https://{HELPDESK_NAME}.example/clients/{slug}"),
            address: c.address.into(),
            address2: c.address2.map(str::to_string),
            city: c.city.into(),
            state: c.state.into(),
            zip: c.zip.into(),
            country: "United States".into(),
            website_url: format!("www.{}", c.domain),
            notes: c.notes.into(),
            created_on: start,
        });
        let n = r.range(11, 16);
        let mut members = Vec::new();
        for _ in 0..n {
            let first = *r.pick(FIRST_NAMES);
            let last = *r.pick(LAST_NAMES);
            let mut email = format!("{}.{}@{}", slug_email(first), slug_email(last), c.domain);
            let mut k = 2;
            while emails.contains(&email) {
                email = format!("{}.{}{k}@{}", slug_email(first), slug_email(last), c.domain);
                k += 1;
            }
            emails.insert(email.clone());
            members.push(d.users.len());
            d.users.push(UserSeed {
                id: customer_id,
                email,
                first_name: first.into(),
                last_name: last.into(),
                role_id: 10,
                company_id: Some(gid),
                is_active: !r.chance(0.03),
                work_phone: Some(phone(r, c.phone_area)),
                cell_phone: r.chance(0.35).then(|| phone(r, c.phone_area)),
                user_notes: Some(r.pick(JOB_TITLES).to_string()),
                helpdesk_notes: r.chance(0.08).then(|| "Prefers a phone call over e-mail.".to_string()),
                time_zone: c.time_zone.into(),
                all_queues: false,
                can_access_company_tickets: r.chance(0.2),
                created_on: anchor - r.range(SPAN_DAYS + 10, 1500) * DAY,
                last_login_on: r.chance(0.7).then(|| anchor - r.range(60, 90 * 24 * 60) * MIN),
                staff: None,
            });
            customer_id += 1;
        }
        let g = d.groups.last_mut().expect("just pushed");
        g.primary_contact_id = Some(d.users[members[0]].id);
        g.billing_contact_id = Some(d.users[members[1]].id);
        by_group.push(members);
    }
    // A few requesters without a group (freelancers, personal addresses).
    let mut independents = Vec::new();
    for _ in 0..12 {
        let r = &mut people_rng;
        let first = *r.pick(FIRST_NAMES);
        let last = *r.pick(LAST_NAMES);
        let mut email = format!("{}{}@inbox.example", slug_email(first), slug_email(last));
        let mut k = 2;
        while emails.contains(&email) {
            email = format!("{}{}{k}@inbox.example", slug_email(first), slug_email(last));
            k += 1;
        }
        emails.insert(email.clone());
        independents.push(d.users.len());
        d.users.push(UserSeed {
            id: customer_id,
            email,
            first_name: first.into(),
            last_name: last.into(),
            role_id: 10,
            company_id: None,
            is_active: true,
            work_phone: None,
            cell_phone: Some(phone(r, "555")),
            user_notes: None,
            helpdesk_notes: None,
            time_zone: "Eastern Time (US & Canada)".into(),
            all_queues: false,
            can_access_company_tickets: false,
            created_on: anchor - r.range(SPAN_DAYS + 10, 900) * DAY,
            last_login_on: None,
            staff: None,
        });
        customer_id += 1;
    }

    // The extra demo keys.
    let customer_user = d.users[by_group[0][0]].id;
    d.keys.push(KeySeed {
        key: keys[STAFF.len()].clone(),
        user_id: AGENT as i64 + 1,
        read_only: true,
        label: Some("read-only"),
        expires_on: None,
    });
    d.keys.push(KeySeed {
        key: keys[STAFF.len() + 1].clone(),
        user_id: customer_user,
        read_only: false,
        label: Some("customer"),
        expires_on: None,
    });
    d.keys.push(KeySeed {
        key: keys[STAFF.len() + 2].clone(),
        user_id: EXPIRED_HOLDER as i64 + 1,
        read_only: false,
        label: Some("expired"),
        expires_on: Some(anchor - 30 * DAY),
    });

    gen_tickets(&mut d, &mut ticket_rng, anchor, tickets, &by_group, &independents);
    whole_seconds(&mut d);
    d
}

/// Rails stores datetimes to the second (`...:42.000Z`); so does the seed.
fn whole_seconds(d: &mut Dataset) {
    let s = |v: &mut i64| *v -= v.rem_euclid(1000);
    let o = |v: &mut Option<i64>| {
        if let Some(x) = v {
            *x -= x.rem_euclid(1000);
        }
    };
    for t in &mut d.tickets {
        s(&mut t.created_on);
        s(&mut t.updated_on);
        for f in [
            &mut t.rated_on,
            &mut t.status_changed_on,
            &mut t.solved_on,
            &mut t.closed_on,
            &mut t.assigned_on,
            &mut t.first_assigned_on,
            &mut t.due_on,
            &mut t.scheduled_on,
            &mut t.first_commented_on,
        ] {
            o(f);
        }
        t.time_to_first_comment = t.first_commented_on.map(|f| (f - t.created_on) / 1000);
    }
    for c in d.comments.iter_mut().chain(d.staff_notes.iter_mut()) {
        s(&mut c.created_on);
    }
    for k in &mut d.tasks {
        s(&mut k.created_on);
        s(&mut k.updated_on);
        o(&mut k.due_on);
    }
    for u in &mut d.users {
        s(&mut u.created_on);
        o(&mut u.last_login_on);
    }
}

/// Creation times: denser towards the present (the helpdesk grows), mostly on weekday
/// business hours (US Eastern), sorted so ids follow creation order.
fn creation_times(rng: &mut Rng, anchor: i64, count: usize) -> Vec<(i64, u64)> {
    let today = anchor.div_euclid(DAY) * DAY;
    let mut out: Vec<(i64, u64)> = (0..count as u64)
        .map(|i| {
            // Each ticket draws from its own stream, so the day of seeding shifts times by
            // hours but never reshuffles which ticket gets which draws.
            let mut r = rng.fork(i);
            let u = r.f64();
            let age = if r.chance(0.45) { u * SPAN_DAYS as f64 } else { SPAN_DAYS as f64 * (1.0 - u.sqrt()) };
            let weekend_roll = r.chance(0.85);
            let business = r.chance(0.86);
            let minute_business = r.range(0, 10 * 60 - 1);
            let minute_any = r.range(0, 24 * 60 - 1);
            let second = r.range(0, 59);
            let fallback = r.range(10, 600) * MIN + r.range(0, 59) * 1000;
            let stream = r.next_u64();
            let mut day = today - (age as i64) * DAY;
            let weekday = (day.div_euclid(DAY) + 4).rem_euclid(7);
            if (weekday == 0 || weekday == 6) && weekend_roll {
                day += if weekday == 6 { -DAY } else { DAY };
            }
            let time = if business { 13 * HOUR + minute_business * MIN } else { minute_any * MIN } + second * 1000;
            let t = day + time;
            (if t > anchor - 10 * MIN { anchor - fallback } else { t }, stream)
        })
        .collect();
    out.sort_unstable();
    out
}

fn gen_tickets(
    d: &mut Dataset,
    rng: &mut Rng,
    anchor: i64,
    count: usize,
    by_group: &[Vec<usize>],
    independents: &[usize],
) {
    let times = creation_times(rng, anchor, count);
    let queue_weights: Vec<f64> = QUEUES.iter().map(|q| q.3).collect();
    let group_weights: Vec<f64> = by_group.iter().map(|m| m.len() as f64).collect();
    let tag_id = |label: &str| TAGS.iter().position(|(l, _)| *l == label).map(|i| i as i64 + 1);
    let managers: Vec<i64> =
        STAFF.iter().enumerate().filter(|(_, s)| s.role == 30).map(|(i, _)| i as i64 + 1).collect();

    for (n, (created, stream)) in times.into_iter().enumerate() {
        let id = FIRST_TICKET_ID + n as i64;
        // One stream per ticket: a branch taken for one ticket never shifts the next ones.
        let mut ticket_rng = Rng::new(stream);
        let rng = &mut ticket_rng;
        let qi = rng.weighted(&queue_weights);
        let queue_id = FIRST_QUEUE_ID + qi as i64;
        let tpl = rng.pick(TEMPLATES[qi]);
        let age = anchor - created;

        // Requester.
        let requester_ix = if rng.chance(0.04) {
            *rng.pick(independents)
        } else {
            let g = rng.weighted(&group_weights);
            *rng.pick(&by_group[g])
        };
        let requester = d.users[requester_ix].clone();
        let company = requester.company_id.map(|g| &COMPANIES[(g - FIRST_GROUP_ID) as usize]);

        // Priority, status and the lifecycle.
        let priority = [10, 20, 30, 40][rng.weighted(&[0.04, 0.16, 0.58, 0.22])];
        let age_days = age as f64 / DAY as f64;
        let p_open = 0.9 * (-age_days / 58.0).exp() + 0.046;
        let mut open = rng.chance(p_open) || age < 40 * MIN;
        let resp_scale = match priority {
            10 => 20 * MIN,
            20 => HOUR,
            30 => 4 * HOUR,
            _ => 10 * HOUR,
        };
        let first_resp = (created + (resp_scale as f64 * (0.15 + rng.f64() * 1.7)) as i64)
            .min(anchor - rng.range(1, 9) * MIN)
            .max(created + MIN);
        let solve_scale = match priority {
            10 => 6 * HOUR,
            20 => 36 * HOUR,
            30 => 3 * DAY,
            _ => 6 * DAY,
        };
        let expo = -(1.0 - rng.f64()).ln();
        let mut solved_on = None;
        let mut closed_on = None;
        if !open {
            let s = created + (solve_scale as f64 * (0.1 + expo)) as i64;
            let latest = anchor - 10 * MIN;
            let s = s.min(latest).max(first_resp + 5 * MIN);
            if s >= latest {
                open = true;
            } else {
                solved_on = Some(s);
                if anchor - s > 5 * DAY && rng.chance(0.9) {
                    closed_on = Some((s + rng.range(3 * 24 * 60, 7 * 24 * 60) * MIN).min(anchor - MIN));
                }
            }
        }
        let status = if !open {
            if closed_on.is_some() { 60 } else { 50 }
        } else if age < 4 * HOUR {
            [10, 20, 40][rng.weighted(&[0.6, 0.3, 0.1])]
        } else if age_days > 60.0 {
            // Long-running: mostly parked waiting on someone.
            [10, 20, 30, 40][rng.weighted(&[0.01, 0.2, 0.6, 0.19])]
        } else {
            [10, 20, 30, 40][rng.weighted(&[0.12, 0.42, 0.2, 0.26])]
        };
        let end = solved_on.unwrap_or(anchor - 5 * MIN);

        // Assignee.
        let assigned = if status == 10 { rng.chance(0.45) } else { rng.chance(0.975) };
        let assignee = assigned.then(|| pick_agent(rng, qi, age_days)).flatten();
        let first_assigned_on = assignee.map(|_| (created + rng.range(1, 90) * MIN).min(first_resp).min(anchor - MIN));
        let assigned_on = first_assigned_on
            .map(|f| if rng.chance(0.1) && end > f + HOUR { f + (rng.f64() * (end - f) as f64) as i64 } else { f });

        // Words.
        let slots = make_slots(rng, created, &requester, company);
        let title = slots.fill(tpl.title);
        let created_from =
            if tpl.scheduled { 5 } else { [1, 0, 2, 3, 4][rng.weighted(&[0.55, 0.25, 0.07, 0.05, 0.08])] };
        let person = Person {
            first: &requester.first_name,
            last: &requester.last_name,
            email: &requester.email,
            job: requester.user_notes.as_deref().unwrap_or("Staff"),
            company: company.map(|c| c.name).unwrap_or(""),
            phone: requester.work_phone.as_deref().or(requester.cell_phone.as_deref()).unwrap_or(""),
        };
        let description =
            if tpl.scheduled { slots.fill(tpl.body) } else { describe(rng, &slots, tpl, qi, created_from, &person) };

        // Form, type, custom fields, tags.
        let form_ix = tpl.form.unwrap_or(QUEUES[qi].2);
        let form_id = form_ix as i64 + 1;
        let type_id = (!rng.chance(0.07)).then_some(tpl.kind as i64 + 1);
        let asset = slots.get("asset");
        let mut asset_tag = None;
        for key in FORMS[form_ix].2 {
            if !rng.chance(0.7) {
                continue;
            }
            let value = field_value(rng, key, &slots, created);
            if *key == "asset_number" {
                asset_tag = rng.chance(0.6).then(|| asset.clone());
            }
            d.field_values.push((id, key.to_string(), value));
        }
        let mut tag_set: Vec<i64> = tpl.tags.iter().filter(|_| rng.chance(0.8)).filter_map(|l| tag_id(l)).collect();
        if company.is_some_and(|c| c.notes.contains("VIP")) && rng.chance(0.3) {
            tag_set.extend(tag_id("vip"));
        }
        if open && rng.chance(0.08) {
            tag_set.extend(tag_id("follow-up"));
        }
        if rng.chance(0.03) {
            tag_set.push(rng.range(1, TAGS.len() as i64));
        }
        tag_set.sort_unstable();
        tag_set.dedup();
        for t in &tag_set {
            d.ticket_tags.push((id, *t));
        }

        // Dates a client cares about.
        let due_on = rng.chance(if priority <= 20 { 0.7 } else { 0.3 }).then(|| {
            created
                + match priority {
                    10 => 4 * HOUR,
                    20 => DAY,
                    30 => 3 * DAY,
                    _ => 7 * DAY,
                }
        });
        let scheduled_on = (tpl.scheduled || ((qi == 1 || qi == 6) && rng.chance(0.35))).then(|| {
            let day = (created + rng.range(1, 10) * DAY).div_euclid(DAY) * DAY;
            day + [13, 14, 18][rng.below(3) as usize] * HOUR
        });

        // Conversation.
        let agent_for_comments = assignee.unwrap_or_else(|| pick_agent(rng, qi, age_days).unwrap_or(5));
        let agent_first = STAFF[(agent_for_comments - 1) as usize].first;
        let n_comments = match status {
            10 => 0,
            50 | 60 => rng.range(2, 6),
            _ => rng.range(1, 4),
        } as usize;
        let mut stamps: Vec<i64> =
            (0..n_comments)
                .map(|k| {
                    if k == 0 {
                        first_resp
                    } else {
                        first_resp + (rng.f64() * (end - first_resp).max(MIN) as f64) as i64
                    }
                })
                .collect();
        stamps.sort_unstable();
        if status >= 50
            && let Some(last) = stamps.last_mut()
        {
            *last = (end - rng.range(1, 20) * MIN).max(first_resp);
        }
        let rfirst = requester.first_name.clone();
        let mut last_by_requester = false;
        let mut prev_agent_text = String::new();
        for (k, at) in stamps.iter().enumerate() {
            let by_agent = k % 2 == 0 || (status >= 50 && k == n_comments - 1);
            let last = k == n_comments - 1;
            let (user_id, body, time_spent, from_email) = if by_agent {
                let text = if k == 0 {
                    *rng.pick(AGENT_FIRST)
                } else if last && status >= 50 {
                    *rng.pick(AGENT_DONE)
                } else if last && status == 40 {
                    AGENT_UPDATE[6]
                } else {
                    *rng.pick(AGENT_UPDATE)
                };
                let text = slots.fill(&text.replace("{rfirst}", &rfirst));
                prev_agent_text = text.clone();
                let body = if rng.chance(0.3) {
                    format!("<p>{}</p><p>Best,<br>{agent_first}<br>BrightPath Service Desk</p>", html_escape(&text))
                } else {
                    format!("{text}\n\n{agent_first}\nBrightPath Service Desk")
                };
                let spent = rng.chance(0.45).then(|| rng.range(1, 18) * 5);
                (agent_for_comments, body, spent, None)
            } else {
                let text = *rng.pick(REQUESTER_REPLY);
                let body = if created_from == 1 && rng.chance(0.5) {
                    format!(
                        "<div dir=\"ltr\">{}<br><br>{}</div><br><div class=\"gmail_quote\">On {}, {agent_first} &lt;support@{STAFF_DOMAIN}&gt; wrote:<blockquote class=\"gmail_quote\" style=\"margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex\">{}</blockquote></div>",
                        html_escape(text),
                        html_escape(&rfirst),
                        long_date(*at),
                        html_escape(&prev_agent_text)
                    )
                } else {
                    format!("{text}\n\n{rfirst}")
                };
                let from = (created_from == 1).then(|| requester.email.clone());
                (requester.id, body, None, from)
            };
            last_by_requester = !by_agent;
            d.comments.push(NoteSeed { ticket_id: id, user_id, body, time_spent, from_email, created_on: *at });
        }
        let first_commented_on = stamps.first().copied();

        // Staff notes.
        if rng.chance(0.16) {
            for _ in 0..rng.range(1, 2) {
                let author = if rng.chance(0.7) { agent_for_comments } else { *rng.pick(&managers) };
                let at = created + (rng.f64() * (end - created).max(MIN) as f64) as i64;
                let mut s = slots.fill(rng.pick::<&str>(STAFF_NOTES));
                s = s.replace("{case}", &rng.range(100_000, 999_999).to_string());
                d.staff_notes.push(NoteSeed {
                    ticket_id: id,
                    user_id: author,
                    body: s,
                    time_spent: rng.chance(0.3).then(|| rng.range(1, 6) * 5),
                    from_email: None,
                    created_on: at,
                });
            }
        }

        // Tasks: onboarding checklists and change plans.
        let checklist: &[&str] = if qi == 6 {
            &ONBOARDING_TASKS[..rng.range(4, 6) as usize]
        } else if tpl.kind == 4 {
            CHANGE_TASKS
        } else {
            &[]
        };
        let done_upto = if status >= 50 { checklist.len() } else { rng.below(checklist.len().max(1) as u64) as usize };
        for (pos, title) in checklist.iter().enumerate() {
            let completed = pos < done_upto;
            let task_created = created + rng.range(2, 30) * MIN;
            d.tasks.push(TaskSeed {
                ticket_id: id,
                title: title.to_string(),
                is_completed: completed,
                assigned_to_id: assignee.or(Some(agent_for_comments)),
                due_on: rng.chance(0.5).then(|| created + rng.range(2, 10) * DAY),
                position: pos as i64,
                created_on: task_created.min(anchor - MIN),
                updated_on: if completed {
                    (task_created + (rng.f64() * (end - task_created).max(MIN) as f64) as i64).min(anchor - MIN)
                } else {
                    task_created.min(anchor - MIN)
                },
            });
        }

        // Rating and resolution.
        let (rating, rated_on, rating_comment) = match solved_on {
            Some(s) if rng.chance(0.38) => {
                let r = [100, 80, 60, 40, 20][rng.weighted(&[0.52, 0.25, 0.11, 0.06, 0.06])];
                let at = (s + rng.range(30, 3 * 24 * 60) * MIN).min(anchor - MIN);
                let c = rng.chance(0.45).then(|| rng.pick(RATING_COMMENTS).to_string());
                (Some(r), Some(at), c)
            }
            _ => (None, None, None),
        };
        let resolution_id = solved_on
            .filter(|_| rng.chance(0.75))
            .map(|_| rng.weighted(&[0.55, 0.15, 0.06, 0.06, 0.08, 0.07, 0.03]) as i64 + 1);

        let status_changed_on = match status {
            60 => closed_on,
            50 => solved_on,
            10 => Some(created),
            _ => Some(stamps.last().copied().unwrap_or(first_resp)),
        };
        let updated_on = [Some(created), stamps.last().copied(), status_changed_on, rated_on, assigned_on, closed_on]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(created);
        let attention = open && assignee.is_some() && last_by_requester;
        let cc = rng.chance(0.1).then(|| {
            let domain = requester.email.split('@').nth(1).unwrap_or("inbox.example");
            if rng.chance(0.5) {
                format!("it-manager@{domain}")
            } else {
                format!(
                    "{}.{}@{domain}",
                    slug_email(rng.pick::<&str>(FIRST_NAMES)),
                    slug_email(rng.pick::<&str>(LAST_NAMES))
                )
            }
        });
        let parent_ticket_id = (n > 60 && rng.chance(0.015)).then(|| id - rng.range(1, 60));

        d.tickets.push(TicketRow {
            id,
            title,
            description: Some(description),
            status_id: status,
            priority_id: priority,
            ticket_queue_id: queue_id,
            ticket_form_id: Some(form_id),
            ticket_type_id: type_id,
            user_id: requester.id,
            assigned_to_id: assignee,
            company_id: requester.company_id,
            rating,
            rated_on,
            rating_comment,
            created_on: created,
            updated_on,
            status_changed_on,
            solved_on,
            closed_on,
            assigned_on,
            first_assigned_on,
            due_on,
            scheduled_on,
            resolution_id,
            created_from,
            parent_ticket_id,
            legacy_id: None,
            is_attention_required: attention,
            user_attention_id: attention.then_some(assignee).flatten(),
            cc,
            time_to_first_comment: first_commented_on.map(|f| (f - created) / 1000),
            first_commented_on,
            asset_tag,
            deleted_at: None,
        });
    }
}

/// An agent for a ticket in queue `qi`: mostly those whose home queue it is.
fn pick_agent(rng: &mut Rng, qi: usize, age_days: f64) -> Option<i64> {
    let weights: Vec<f64> = STAFF
        .iter()
        .map(|s| {
            let home = s.home_queues.contains(&qi);
            if !s.active {
                // Rachel left about 8 months ago; she worked IT tickets before that.
                return if home && age_days > 250.0 { 3.0 } else { 0.0 };
            }
            if s.restricted && !home {
                return 0.0;
            }
            match (s.role, home) {
                (15 | 20, true) => 3.0,
                (15 | 20, false) => 0.15,
                (30 | 35, true) => 0.6,
                _ => 0.0,
            }
        })
        .collect();
    (weights.iter().sum::<f64>() > 0.0).then(|| rng.weighted(&weights) as i64 + 1)
}

fn make_slots(rng: &mut Rng, created: i64, requester: &UserSeed, company: Option<&Company>) -> Slots {
    let days = created.div_euclid(DAY);
    let (year, month, _) = civil_from_days(days);
    let mut later = created + rng.range(3, 20) * DAY;
    // Start dates and last days fall on weekdays.
    match (later.div_euclid(DAY) + 4).rem_euclid(7) {
        0 => later += DAY,
        6 => later += 2 * DAY,
        _ => {}
    }
    let earlier = created - rng.range(1, 6) * DAY;
    let domain = company.map(|c| c.domain).unwrap_or("inbox.example").to_string();
    let dept = CUSTOM_FIELDS[2].3;
    let vals = vec![
        ("first", rng.pick(FIRST_NAMES).to_string()),
        ("last", rng.pick(LAST_NAMES).to_string()),
        ("first2", rng.pick(FIRST_NAMES).to_string()),
        ("dept", rng.pick(dept).to_string()),
        ("laptop", rng.pick(LAPTOPS).to_string()),
        ("phone_model", rng.pick(PHONES).to_string()),
        ("dock", rng.pick(DOCKS).to_string()),
        ("headset", rng.pick(HEADSETS).to_string()),
        ("system", rng.pick(SYSTEMS).to_string()),
        ("app", rng.pick(APPS).to_string()),
        ("printer", rng.pick(PRINTERS).to_string()),
        ("floor", rng.range(1, 6).to_string()),
        ("floor_name", rng.pick(FLOOR_NAMES).to_string()),
        ("room", rng.pick(ROOMS).to_string()),
        ("entrance", rng.pick(ENTRANCES).to_string()),
        ("desk", format!("{}-{:02}", rng.range(1, 5), rng.range(1, 40))),
        ("bsod", rng.pick(BSOD).to_string()),
        ("server", rng.pick(SERVERS).to_string()),
        ("site", rng.pick(SITES).to_string()),
        ("domain", format!("portal.{domain}")),
        ("time", format!("{}:{:02}{}", rng.range(7, 11), rng.range(0, 11) * 5, "am")),
        ("port", rng.pick(&["443", "8443", "1433", "22", "3389"]).to_string()),
        ("invoice", format!("INV-{year}-{:05}", rng.range(1000, 99_999))),
        ("amount_fmt", format!("${},{:03}.00", rng.range(1, 9), rng.range(0, 999))),
        ("po", format!("PO-{}", rng.range(40_000, 99_999))),
        ("quarter", rng.range(1, 4).to_string()),
        ("year", (year - rng.range(0, 1)).to_string()),
        ("month", MONTHS[((month as i64 - 1 + rng.range(1, 3)) % 12) as usize].to_string()),
        ("date", long_date(later)),
        ("prev_date", long_date(earlier)),
        ("last_year", (year - 1).to_string()),
        ("weekday", rng.pick(WEEKDAYS).to_string()),
        ("pto", (rng.range(4, 30) * 4).to_string()),
        ("project", rng.pick(PROJECTS).to_string()),
        ("mailbox", format!("{}{domain}", rng.pick(MAILBOXES))),
        ("job", rng.pick(JOB_TITLES).to_string()),
        ("phone", requester.work_phone.clone().or(requester.cell_phone.clone()).unwrap_or_default()),
        ("asset", format!("{}-{:05}", rng.pick(&["LT", "DT", "MN", "PR"]), rng.range(100, 99_999))),
        ("seats", (rng.range(1, 12) * 5).to_string()),
    ];
    Slots { vals }
}

fn field_value(rng: &mut Rng, key: &str, slots: &Slots, created: i64) -> String {
    let options = |k: &str| CUSTOM_FIELDS.iter().find(|f| f.0 == k).map(|f| f.3).unwrap_or(&[]);
    match key {
        "asset_number" => slots.get("asset"),
        "location" => format!(
            "{}, floor {}",
            rng.pick(&["Main office", "Building B", "North clinic", "Warehouse", "Downtown branch"]),
            slots.get("floor")
        ),
        "floor" => slots.get("floor"),
        "employee_name" => format!("{} {}", slots.get("first"), slots.get("last")),
        "start_date" => date_text(created + rng.range(5, 21) * DAY),
        "equipment_needed" => rng
            .pick(&[
                "Laptop, dock, two monitors, headset",
                "Laptop and headset only (remote)",
                "Desktop, one monitor, desk phone",
                "Laptop, mobile phone, badge",
            ])
            .to_string(),
        "invoice_number" => slots.get("invoice"),
        "amount" => format!("{}.{:02}", rng.range(80, 9_800), rng.range(0, 99)),
        "seats" => slots.get("seats"),
        "application" => {
            let app = slots.get("app");
            options(key)
                .iter()
                .find(|o| o.starts_with(app.split(' ').next().unwrap_or("")))
                .map(|s| s.to_string())
                .unwrap_or_else(|| rng.pick(options(key)).to_string())
        }
        "department" => {
            let dept = slots.get("dept");
            if options(key).contains(&dept.as_str()) { dept } else { rng.pick(options(key)).to_string() }
        }
        k => {
            let opts = options(k);
            if opts.is_empty() { String::from("n/a") } else { rng.pick(opts).to_string() }
        }
    }
}

/// A description as requesters write them: plain text with line breaks from forms and chat,
/// plain or HTML e-mail (signature, sometimes a table, a link, a quoted earlier message).
fn describe(rng: &mut Rng, slots: &Slots, tpl: &Template, qi: usize, created_from: i64, who: &Person<'_>) -> String {
    let body = slots.fill(tpl.body);
    let mut extras: Vec<String> = Vec::new();
    for _ in 0..rng.range(0, 2) {
        let e = slots.fill(rng.pick::<&str>(EXTRAS));
        if !extras.contains(&e) {
            extras.push(e);
        }
    }
    if created_from != 1 {
        // Web form, widget, chat, API: just what was typed.
        let mut s = body;
        for e in &extras {
            s.push_str("\n\n");
            s.push_str(e);
        }
        return s;
    }
    let greeting = *rng.pick(GREETINGS);
    let closing = *rng.pick(CLOSINGS);
    if rng.chance(0.5) {
        let mut s = format!("{greeting}\n\n{body}\n");
        for e in &extras {
            s.push('\n');
            s.push_str(e);
            s.push('\n');
        }
        s.push_str(&format!("\n{closing}\n{} {}\n{}", who.first, who.last, who.job));
        if !who.company.is_empty() {
            s.push_str(&format!(" | {}", who.company));
        }
        if !who.phone.is_empty() {
            s.push_str(&format!("\n{}", who.phone));
        }
        return s;
    }
    let e = html_escape;
    let mut h = String::from("<div dir=\"ltr\">");
    h.push_str(&format!("<p>{}</p>\n<p>{}</p>\n", e(greeting), e(&body)));
    for x in &extras {
        h.push_str(&format!("<p>{}</p>\n", e(x)));
    }
    if rng.chance(0.35) {
        h.push_str(&table_for(rng, qi, slots));
    }
    if rng.chance(0.2) {
        let n = rng.range(1, 9);
        h.push_str(&format!(
            "<p>Screenshot: <a href=\"https://share.{}/s/{:08x}\">screenshot-{n}.png</a></p>\n",
            who.email.split('@').nth(1).unwrap_or("inbox.example"),
            rng.next_u64() as u32
        ));
    }
    h.push_str(&format!("<p>{}<br>\n<b>{} {}</b><br>\n{}", e(closing), e(who.first), e(who.last), e(who.job)));
    if !who.company.is_empty() {
        h.push_str(&format!(" | {}", e(who.company)));
    }
    if !who.phone.is_empty() {
        let digits: String = who.phone.chars().filter(char::is_ascii_digit).collect();
        h.push_str(&format!("<br>\nDirect: <a href=\"tel:+1{digits}\">{}</a>", e(who.phone)));
    }
    h.push_str("</p>\n");
    if rng.chance(0.15) {
        h.push_str(&format!(
            "<blockquote style=\"margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex\">\n<p>On {}, BrightPath Service Desk &lt;support@{STAFF_DOMAIN}&gt; wrote:</p>\n<p>{}</p>\n</blockquote>\n",
            e(&slots.get("prev_date")),
            e(&slots.fill(rng.pick::<&str>(AGENT_UPDATE)))
        ));
    }
    h.push_str("</div>");
    h
}

fn table_for(rng: &mut Rng, qi: usize, slots: &Slots) -> String {
    let e = html_escape;
    let rows: Vec<(String, String)> = match qi {
        3 => (0..rng.range(2, 4))
            .map(|k| {
                (format!("{}-{k}", slots.get("invoice")), format!("${}.{:02}", rng.range(90, 2400), rng.range(0, 99)))
            })
            .collect(),
        6 => vec![
            ("Name".into(), format!("{} {}", slots.get("first"), slots.get("last"))),
            ("Start date".into(), slots.get("date")),
            ("Department".into(), slots.get("dept")),
            ("Title".into(), slots.get("job")),
        ],
        _ => vec![
            ("Device".into(), slots.get("laptop")),
            ("Asset tag".into(), slots.get("asset")),
            ("Location".into(), slots.get("room")),
            ("Operating system".into(), "Windows 11 Pro 23H2".into()),
        ],
    };
    let head =
        if qi == 3 { "<tr><th>Invoice</th><th>Amount</th></tr>\n" } else { "<tr><th>Item</th><th>Details</th></tr>\n" };
    let mut t =
        String::from("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:collapse\">\n");
    t.push_str(head);
    for (a, b) in rows {
        t.push_str(&format!("<tr><td>{}</td><td>{}</td></tr>\n", e(&a), e(&b)));
    }
    t.push_str("</table>\n");
    t
}

/// Inserts the catalogues and a dataset.
pub fn write(conn: &Connection, d: &Dataset, anchor: i64) -> rusqlite::Result<()> {
    let created = anchor - 2000 * DAY;
    for (i, name) in TEAMS.iter().enumerate() {
        conn.execute("INSERT INTO teams (id, name) VALUES (?1, ?2)", params![i as i64 + 1, name])?;
    }
    for (i, (name, description, fields, default)) in FORMS.iter().enumerate() {
        let id = i as i64 + 1;
        conn.execute(
            "INSERT INTO ticket_forms (id, name, description, is_default, is_enabled,
                 is_visible_for_end_user, show_cc, show_attach_files, is_visible_for_non_logged_in_user)
             VALUES (?1, ?2, ?3, ?4, 1, 1, 1, 1, ?5)",
            params![id, name, description, default, *default],
        )?;
        for (pos, key) in fields.iter().enumerate() {
            let fid = CUSTOM_FIELDS.iter().position(|f| f.0 == *key).map(|p| p as i64 + 1).unwrap_or(0);
            conn.execute(
                "INSERT INTO form_fields (form_id, custom_field_id, position, is_required) VALUES (?1, ?2, ?3, ?4)",
                params![id, fid, pos as i64, pos == 0 && !default],
            )?;
        }
    }
    for (i, (key, label, kind, options)) in CUSTOM_FIELDS.iter().enumerate() {
        let opts = (!options.is_empty()).then(|| serde_json::to_string(options).unwrap_or_default());
        conn.execute(
            "INSERT INTO custom_fields (id, key, label, type, options) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![i as i64 + 1, key, label, kind, opts],
        )?;
    }
    for (i, (name, alias, form, _)) in QUEUES.iter().enumerate() {
        conn.execute(
            "INSERT INTO ticket_queues (id, name, email_alias, email_forward, email_ticket_form_id, created_on, updated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![
                FIRST_QUEUE_ID + i as i64,
                name,
                alias,
                (i == 3).then(|| format!("accounts@{STAFF_DOMAIN}")),
                *form as i64 + 1,
                created
            ],
        )?;
    }
    for (i, name) in TICKET_TYPES.iter().enumerate() {
        conn.execute("INSERT INTO ticket_types (id, name) VALUES (?1, ?2)", params![i as i64 + 1, name])?;
    }
    for (i, name) in RESOLUTIONS.iter().enumerate() {
        conn.execute("INSERT INTO resolutions (id, name) VALUES (?1, ?2)", params![i as i64 + 1, name])?;
    }
    for (i, (label, color)) in TAGS.iter().enumerate() {
        conn.execute("INSERT INTO tags (id, label, color) VALUES (?1, ?2, ?3)", params![i as i64 + 1, label, color])?;
    }
    {
        let mut stmt = conn.prepare(
            "INSERT INTO groups (id, name, primary_contact_id, billing_contact_id, support_level_id,
                 support_status_id, support_start_date, support_end_date, support_info_url, address,
                 address2, city, state, zip, country, website_url, notes, created_on, updated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18)",
        )?;
        for g in &d.groups {
            stmt.execute(params![
                g.id,
                g.name,
                g.primary_contact_id,
                g.billing_contact_id,
                g.support_level_id,
                g.support_status_id,
                g.support_start_date,
                g.support_end_date,
                g.support_info_url,
                g.address,
                g.address2,
                g.city,
                g.state,
                g.zip,
                g.country,
                g.website_url,
                g.notes,
                g.created_on
            ])?;
        }
    }
    {
        let mut stmt = conn.prepare(
            "INSERT INTO users (id, email, first_name, last_name, role_id, company_id, is_active,
                 work_phone, cell_phone, user_notes, helpdesk_notes, time_zone, can_access_all_queues,
                 can_access_company_tickets, last_login_on, last_active_on, created_on, updated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16, ?16)",
        )?;
        for u in &d.users {
            stmt.execute(params![
                u.id,
                u.email,
                u.first_name,
                u.last_name,
                u.role_id,
                u.company_id,
                u.is_active,
                u.work_phone,
                u.cell_phone,
                u.user_notes,
                u.helpdesk_notes,
                u.time_zone,
                u.all_queues,
                u.can_access_company_tickets,
                u.last_login_on,
                u.created_on
            ])?;
        }
    }
    for k in &d.keys {
        conn.execute(
            "INSERT INTO api_keys (key, user_id, read_only, label, expires_on, created_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![k.key, k.user_id, k.read_only, k.label, k.expires_on, created],
        )?;
    }
    for (u, q, notify) in &d.agent_queues {
        conn.execute(
            "INSERT INTO agent_queues (user_id, ticket_queue_id, notify) VALUES (?1, ?2, ?3)",
            params![u, q, notify],
        )?;
    }
    for (t, u) in &d.team_members {
        conn.execute("INSERT INTO team_members (team_id, user_id) VALUES (?1, ?2)", params![t, u])?;
    }
    for t in &d.tickets {
        tickets::insert(conn, t)?;
    }
    {
        let mut stmt = conn.prepare("INSERT INTO ticket_tags (ticket_id, tag_id) VALUES (?1, ?2)")?;
        for (t, g) in &d.ticket_tags {
            stmt.execute(params![t, g])?;
        }
        let mut stmt =
            conn.prepare("INSERT INTO ticket_field_values (ticket_id, field_key, value) VALUES (?1, ?2, ?3)")?;
        for (t, k, v) in &d.field_values {
            stmt.execute(params![t, k, v])?;
        }
        let mut stmt = conn.prepare(
            "INSERT INTO comments (ticket_id, user_id, body, is_private, time_spent, from_email, created_on, updated_on)
             VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?6)",
        )?;
        for c in &d.comments {
            stmt.execute(params![c.ticket_id, c.user_id, c.body, c.time_spent, c.from_email, c.created_on])?;
        }
        let mut stmt = conn.prepare(
            "INSERT INTO staff_notes (ticket_id, user_id, body, time_spent, created_on, updated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        )?;
        for n in &d.staff_notes {
            stmt.execute(params![n.ticket_id, n.user_id, n.body, n.time_spent, n.created_on])?;
        }
        let mut stmt = conn.prepare(
            "INSERT INTO tasks (ticket_id, title, is_completed, assigned_to_id, due_on, position, created_on, updated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for k in &d.tasks {
            stmt.execute(params![
                k.ticket_id,
                k.title,
                k.is_completed,
                k.assigned_to_id,
                k.due_on,
                k.position,
                k.created_on,
                k.updated_on
            ])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANCHOR: i64 = 1_750_000_000_000;

    #[test]
    fn same_seed_same_data() {
        let a = generate(42, ANCHOR);
        let b = generate(42, ANCHOR);
        assert_eq!(a, b);
        let c = generate(43, ANCHOR);
        assert_ne!(a.tickets[0].title, c.tickets[..5].iter().map(|t| t.title.clone()).collect::<String>());
        assert_ne!(a.keys, c.keys);
    }

    #[test]
    fn keys_depend_on_seed_only() {
        let a = generate(42, ANCHOR);
        let b = generate(42, ANCHOR + 3 * DAY);
        let strings = |d: &Dataset| d.keys.iter().map(|k| k.key.clone()).collect::<Vec<_>>();
        assert_eq!(strings(&a), strings(&b));
        assert_eq!(strings(&a), keys_for_seed(42));
        assert_eq!(keys_for_seed(42), keys_for_seed(42));
        assert_ne!(keys_for_seed(42), keys_for_seed(43));
        let all: HashSet<&String> = a.keys.iter().map(|k| &k.key).collect();
        assert_eq!(all.len(), a.keys.len(), "keys are unique");
        assert!(a.keys.iter().all(|k| k.key.len() == 40 && k.key.bytes().all(|b| b.is_ascii_hexdigit())));
    }

    #[test]
    fn realistic_mix() {
        let d = generate(DEFAULT, ANCHOR);
        assert!(d.tickets.len() >= 2000);
        let open = d.tickets.iter().filter(|t| t.status_id < 50).count() as f64;
        let share = open / d.tickets.len() as f64;
        // Stays in range whatever day and hour the seeding happens.
        for k in 0..10 {
            let o = generate(DEFAULT, ANCHOR + k * (DAY + 5 * HOUR + 17 * MIN));
            let n = o.tickets.iter().filter(|t| t.status_id < 50).count() as f64;
            let share = n / o.tickets.len() as f64;
            assert!((0.155..=0.195).contains(&share), "anchor +{k}: open share {share}");
        }
        for other in [1u64, 2, 3, 99] {
            let o = generate(other, ANCHOR);
            let n = o.tickets.iter().filter(|t| t.status_id < 50).count() as f64;
            let share = n / o.tickets.len() as f64;
            assert!((0.14..=0.21).contains(&share), "seed {other}: open share {share}");
        }
        assert!((0.15..=0.20).contains(&share), "open share {share}");
        for s in crate::api::tickets::STATUSES {
            assert!(d.tickets.iter().any(|t| t.status_id == s), "status {s}");
        }
        for t in &d.tickets {
            assert!(t.created_on <= ANCHOR && t.updated_on <= ANCHOR && t.updated_on >= t.created_on);
            assert!(t.created_on >= ANCHOR - (SPAN_DAYS + 2) * DAY);
            if let Some(s) = t.solved_on {
                assert!(s > t.created_on && s <= ANCHOR);
            }
            if let Some(c) = t.closed_on {
                assert!(c >= t.solved_on.unwrap());
            }
            if let Some(r) = t.rating {
                assert!([20, 40, 60, 80, 100].contains(&r) && t.rated_on.is_some());
            }
            assert_eq!(t.status_id >= 50, t.solved_on.is_some());
            if t.status_id == 60 {
                let open_tasks = d.tasks.iter().filter(|k| k.ticket_id == t.id && !k.is_completed).count();
                assert_eq!(open_tasks, 0);
            }
        }
        let ids: Vec<i64> = d.tickets.iter().map(|t| t.id).collect();
        assert!(ids.windows(2).all(|w| w[1] == w[0] + 1));
        assert!(d.tickets.windows(2).all(|w| w[0].created_on <= w[1].created_on));
        assert!(d.comments.len() > d.tickets.len());
        assert!(d.users.iter().filter(|u| u.role_id == 10).count() >= 150);
        assert!(d.users.iter().filter(|u| u.role_id == 20).count() >= 12);
        assert!(d.groups.len() >= 12);
        let html = d.tickets.iter().filter(|t| t.description.as_deref().unwrap_or("").starts_with("<div")).count();
        let tables = d.tickets.iter().filter(|t| t.description.as_deref().unwrap_or("").contains("<table")).count();
        assert!(html > 300 && tables > 50, "html {html}, tables {tables}");
    }

    #[test]
    fn seeds_fast_and_once() {
        let mut conn = crate::db::open(None).unwrap();
        let start = std::time::Instant::now();
        assert!(seed_if_empty(&mut conn, 7, TICKET_COUNT, ANCHOR).unwrap());
        let took = start.elapsed();
        assert!(!seed_if_empty(&mut conn, 7, TICKET_COUNT, ANCHOR).unwrap());
        let n = crate::db::count(&conn, "SELECT COUNT(*) FROM tickets").unwrap();
        assert_eq!(n as usize, TICKET_COUNT);
        // Generous for unoptimised builds on a busy 2-core machine; release takes a fraction.
        assert!(took.as_secs_f64() < 10.0, "seeding took {took:?}");
    }

    const DEFAULT: u64 = crate::DEFAULT_SEED;
}
