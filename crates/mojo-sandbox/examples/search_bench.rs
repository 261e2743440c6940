//! Benchmark of `GET /tickets/search` (reported, not asserted): 20 representative queries over
//! real HTTP on loopback against an in-memory stand-in seeded with N demo tickets; prints p50 and
//! p95 latency overall and per query.
//!
//! ```sh
//! cargo run --release -p mojo-sandbox --example search_bench              # the demo's 2,400 tickets
//! cargo run --release -p mojo-sandbox --example search_bench -- 50000     # a 50,000-ticket helpdesk
//! ```

use mojo_api::query::Query;
use mojo_sandbox::{Config, DEFAULT_SEED};
use std::time::{Duration, Instant};

/// Timed runs of each query (after warm-up runs).
const RUNS: usize = 25;
const WARMUP: usize = 3;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let tickets: usize = std::env::args().nth(1).map(|s| s.parse().expect("a ticket count")).unwrap_or(2400);
    let mut config = Config::memory(DEFAULT_SEED);
    config.tickets = tickets;
    let t0 = Instant::now();
    let state = mojo_sandbox::open(&config).expect("open");
    eprintln!("seeded {tickets} tickets in {:.1} s", t0.elapsed().as_secs_f64());
    let key = state.demo_keys().manager;

    // Values taken from the data, so every query finds something.
    let (queue, agent, agent_email, tag1, tag2, word, comment_word, phrase, field_value, now) = {
        let conn = state.lock();
        let one = |sql: &str| -> String {
            conn.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        };
        let title = one("SELECT title FROM tickets WHERE title LIKE '% % %' ORDER BY id LIMIT 1 OFFSET 11");
        let words: Vec<&str> = title.split(' ').collect();
        let word = words.iter().copied().filter(|w| w.chars().all(char::is_alphabetic)).max_by_key(|w| w.len());
        let longest = |text: &str| {
            // The helpdesk's own name is in every signature: a word found everywhere, not a typical one.
            text.split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.eq_ignore_ascii_case("brightpath"))
                .max_by_key(|w| w.len())
                .unwrap_or("thanks")
                .to_lowercase()
        };
        let comment_word = longest(&one("SELECT body FROM comments ORDER BY id LIMIT 1 OFFSET 7"));
        (
            one("SELECT ticket_queue_id FROM tickets GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"),
            one(
                "SELECT assigned_to_id FROM tickets WHERE assigned_to_id IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1",
            ),
            one(
                "SELECT email FROM users WHERE id = (SELECT assigned_to_id FROM tickets WHERE assigned_to_id IS NOT NULL LIMIT 1)",
            ),
            one("SELECT tag_id FROM ticket_tags GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"),
            one("SELECT tag_id FROM ticket_tags GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1 OFFSET 1"),
            word.unwrap_or("password").to_lowercase(),
            comment_word,
            format!("{} {}", words[0], words[1]),
            one("SELECT value FROM ticket_field_values WHERE length(value) > 3 LIMIT 1"),
            one("SELECT strftime('%Y-%m-%d', MAX(created_on) / 1000, 'unixepoch') FROM tickets"),
        )
    };
    let days_ago = |n: i64| {
        let t = mojo_api::Timestamp::parse(&now).unwrap().millis() - n * 86_400_000;
        mojo_api::Timestamp(t).to_string()[..10].to_string()
    };
    let queries: Vec<(String, &str)> = vec![
        ("status.id:10".into(), "updated_on"),
        ("status.id:(10 OR 20 OR 30 OR 40)".into(), "updated_on"),
        ("priority.id:10 AND status.id:(<50)".into(), "created_on"),
        (format!("ticket_queue.id:{queue}"), "updated_on"),
        ("assignee.id:0 AND status.id:(<50)".into(), "created_on"),
        (format!("assignee.id:{agent} AND status.id:20"), "updated_on"),
        (format!("due_on:(<{now}) AND status.id:(<50)"), "due_on"),
        (format!("created_on:[{} TO *]", days_ago(30)), "created_on"),
        (format!("updated_on:(>={})", days_ago(7)), "updated_on"),
        (format!("solved_on:[{} TO {}]", days_ago(90), days_ago(60)), "solved_on"),
        (format!("tags.id:{tag1}"), "updated_on"),
        (format!("tags.id:({tag1} AND {tag2})"), "updated_on"),
        (Query::text(&word).to_string(), "updated_on"),
        (Query::text(&phrase).to_string(), "updated_on"),
        (format!("title:{}*", &word[..word.len().min(4)]), "created_on"),
        (format!("description:{word}"), "updated_on"),
        (format!("comments.body:{comment_word}"), "updated_on"),
        (format!("custom_fields:{}", Query::text(&field_value)), "updated_on"),
        (format!("status.id:10 AND NOT priority.id:40 AND queue.id:{queue}"), "created_on"),
        (format!("assignee.email:\"{agent_email}\""), "updated_on"),
    ];

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(mojo_sandbox::serve(listener, state, None, async {
        let _ = rx.await;
    }));
    let client = reqwest::Client::new();

    let mut all = Vec::new();
    println!("{:<70} {:>8} {:>10} {:>10}", "query (sorted by sf, r=1, per_page 30)", "results", "p50", "p95");
    for (q, sf) in &queries {
        let mut times = Vec::with_capacity(RUNS);
        let mut count = 0;
        for i in 0..WARMUP + RUNS {
            let start = Instant::now();
            let res = client
                .get(format!("{base}/api/v2/tickets/search"))
                .query(&[("access_key", key.as_str()), ("query", q), ("sf", sf), ("r", "1"), ("per_page", "30")])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{q}");
            let body: serde_json::Value = res.json().await.unwrap();
            if i >= WARMUP {
                times.push(start.elapsed());
            }
            count = body.as_array().map_or(0, Vec::len);
        }
        times.sort();
        println!("{:<70} {:>8} {:>10} {:>10}", q, count, ms(percentile(&times, 0.5)), ms(percentile(&times, 0.95)));
        all.extend(times);
    }
    all.sort();
    println!(
        "all {} calls on {tickets} tickets: p50 {}, p95 {}, max {}",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.95)),
        ms(*all.last().unwrap())
    );
    let _ = tx.send(());
    let _ = server.await;
}
