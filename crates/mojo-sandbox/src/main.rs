//! `mojo-sandbox`: runs the stand-in on a port, printing the demo keys and the address.

use mojo_sandbox::{Config, DEFAULT_SEED, DbLocation, default_db_path};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
mojo-sandbox: a local stand-in of the Mojo Helpdesk REST API v2 (/api/v2)

USAGE:
    mojo-sandbox [--db PATH] [--memory] [--port N] [--host ADDR] [--static DIR] [--seed N] [--tickets N]

OPTIONS:
    --db PATH      SQLite file (default: <repo>/data/mojo-sandbox.sqlite3); data survives restarts
    --memory       keep everything in memory instead (gone on exit)
    --port N       port to listen on (default 8080; 0 picks a free one)
    --host ADDR    address to bind (default 127.0.0.1)
    --static DIR   also serve a built single-page app (e.g. trunk's dist/) at /
    --seed N       demo-data seed, used when the database is empty (default 20240304)
    --tickets N    how many demo tickets to generate into an empty database (default 2400)
    --help         this text

On start it prints the demo access keys (manager, agent, read-only, customer) and
`listening on http://HOST:PORT`. Pass a key as ?access_key=KEY.";

struct Args {
    config: Config,
    host: String,
    port: u16,
}

fn parse(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut db: Option<PathBuf> = None;
    let mut memory = false;
    let mut host = "127.0.0.1".to_string();
    let mut port: u16 = 8080;
    let mut static_dir: Option<PathBuf> = None;
    let mut seed = DEFAULT_SEED;
    let mut tickets = mojo_sandbox::seed::TICKET_COUNT;
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs {what}"));
        match name.as_str() {
            "--help" | "-h" => return Ok(None),
            "--db" => db = Some(PathBuf::from(value("a path")?)),
            "--memory" => memory = true,
            "--port" => {
                port = value("a number")?.parse().map_err(|_| "--port needs a number from 0 to 65535".to_string())?
            }
            "--host" => host = value("an address")?,
            "--static" => static_dir = Some(PathBuf::from(value("a directory")?)),
            "--seed" => {
                seed = value("a number")?.parse().map_err(|_| "--seed needs a non-negative integer".to_string())?
            }
            "--tickets" => {
                tickets = value("a number")?
                    .parse()
                    .ok()
                    .filter(|n| (1..=1_000_000).contains(n))
                    .ok_or_else(|| "--tickets needs a number from 1 to 1000000".to_string())?
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    if memory && db.is_some() {
        return Err("--db and --memory exclude each other".into());
    }
    if let Some(dir) = &static_dir
        && !dir.join("index.html").is_file()
    {
        return Err(format!("--static {}: no index.html there", dir.display()));
    }
    let location = if memory { DbLocation::Memory } else { DbLocation::File(db.unwrap_or_else(default_db_path)) };
    let mut config = Config::memory(seed);
    config.tickets = tickets;
    config.db = location;
    config.static_dir = static_dir;
    Ok(Some(Args { config, host, port }))
}

/// Completes on Ctrl-C or (on Unix) SIGTERM, so scripts can stop the server cleanly.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("mojo-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let state = match mojo_sandbox::open(&args.config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mojo-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("mojo-sandbox: cannot listen on {}:{}: {e}", args.host, args.port);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| format!("{}:{}", args.host, args.port));
    if let DbLocation::File(p) = &args.config.db {
        eprintln!("database: {}", p.display());
    }
    let keys = state.demo_keys();
    println!("manager key: {}", keys.manager);
    println!("agent key: {}", keys.agent);
    println!("read-only key: {}", keys.read_only);
    println!("customer key: {}", keys.customer);
    println!("listening on http://{addr}");
    let shutdown = stop_signal();
    match mojo_sandbox::serve(listener, state, args.config.static_dir.clone(), shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mojo-sandbox: server error: {e}");
            ExitCode::FAILURE
        }
    }
}
