//! A local stand-in of the Mojo Helpdesk REST API v2 (`/api/v2`), backed by SQLite and seeded
//! with a deterministic demo helpdesk. It follows `docs/mojo-api-reference.md` (§ numbers in
//! the docs refer to it): plain JSON objects and arrays, the service's three error shapes,
//! `access_key` from the query or any body, JSON/urlencoded/multipart bodies alike.
//!
//! Layout: [`call`] reads a request into [`params::Params`], [`auth`] checks the key,
//! [`api`] holds one module per resource (routes in [`api::routes`]), [`db`] the schema,
//! [`seed`] the demo data. [`front`] decides what is an API path (and serves the static app),
//! [`transport`] gives even hyper's own error answers CORS headers and a JSON body. A new
//! endpoint is a new handler in its resource module plus a line in [`api::routes`].

pub mod api;
pub mod auth;
pub mod call;
pub mod cors;
pub mod db;
pub mod error;
pub mod front;
pub mod json;
pub mod params;
pub mod seed;
mod state;
pub mod transport;

pub use state::{AppState, Settings};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::response::{IntoResponse, Response};
use std::future::Future;
use std::path::{Path, PathBuf};
use tower_http::catch_panic::CatchPanicLayer;

/// The seed used when none is given: the demo keys printed at start are derived from it.
pub const DEFAULT_SEED: u64 = 20_240_304;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq)]
pub enum DbLocation {
    /// A SQLite file; data survives restarts.
    File(PathBuf),
    /// In memory; gone when the process ends (tests, throw-away demos).
    Memory,
}

/// How to start the stand-in.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The database.
    pub db: DbLocation,
    /// The demo-data seed (used only when the database is empty).
    pub seed: u64,
    /// How many tickets the demo data has (used only when the database is empty).
    pub tickets: usize,
    /// A built single-page app (trunk's `dist/`) to serve at `/`.
    pub static_dir: Option<PathBuf>,
    /// Account settings.
    pub settings: Settings,
}

impl Config {
    /// An in-memory database with the given seed.
    pub fn memory(seed: u64) -> Self {
        Config {
            db: DbLocation::Memory,
            seed,
            tickets: seed::TICKET_COUNT,
            static_dir: None,
            settings: Settings::default(),
        }
    }

    /// A database file with the given seed.
    pub fn file(path: impl Into<PathBuf>, seed: u64) -> Self {
        Config { db: DbLocation::File(path.into()), ..Config::memory(seed) }
    }
}

/// The default database file: `<repo>/data/mojo-sandbox.sqlite3` (the repo's `data/` is
/// git-ignored). The directory is created.
pub fn default_db_path() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let _ = std::fs::create_dir_all(&dir);
    let dir = dir.canonicalize().unwrap_or(dir);
    dir.join("mojo-sandbox.sqlite3")
}

/// The keys of the demo users, as stored in the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoKeys {
    /// The account owner (role 40).
    pub owner: String,
    /// A manager (role 30).
    pub manager: String,
    /// An agent (role 20), read-write.
    pub agent: String,
    /// The same agent's read-only key.
    pub read_only: String,
    /// An end user (role 10); refused by agent endpoints.
    pub customer: String,
    /// An agent's key that has expired.
    pub expired: String,
}

/// Opens the database, creates the schema, seeds it when empty, and returns the state.
pub fn open(config: &Config) -> Result<AppState, String> {
    let path = match &config.db {
        DbLocation::File(p) => {
            if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            Some(p.as_path())
        }
        DbLocation::Memory => None,
    };
    let mut conn = db::open(path).map_err(|e| format!("cannot open the database: {e}"))?;
    seed::seed_if_empty(&mut conn, config.seed, config.tickets, json::now_ms())
        .map_err(|e| format!("cannot seed the database: {e}"))?;
    Ok(AppState::new(conn, config.settings.clone()))
}

impl AppState {
    /// The demo keys (empty strings where the database has none, e.g. a foreign database).
    pub fn demo_keys(&self) -> DemoKeys {
        let conn = self.lock();
        let get = |label: &str| -> String {
            conn.query_row("SELECT key FROM api_keys WHERE label = ?1", [label], |r| r.get(0)).unwrap_or_default()
        };
        DemoKeys {
            owner: get("owner"),
            manager: get("manager"),
            agent: get("agent"),
            read_only: get("read-only"),
            customer: get("customer"),
            expired: get("expired"),
        }
    }
}

/// The whole application: the API, CORS, panic safety, and (optionally) the static app.
///
/// Every request first goes through [`front::dispatch`]: a path under `/api` (in any case,
/// however many slashes) is an API path and only ever reaches the API router, with duplicate
/// slashes collapsed and a trailing slash dropped, as Rails normalises paths; anything else
/// goes to the static app (or a JSON 404 without one).
pub fn app(state: AppState, static_dir: Option<&Path>) -> Router {
    let api = api::routes().method_not_allowed_fallback(api::not_found).fallback(api::not_found).with_state(state);
    let statics = static_dir.map(front::Statics::new);
    harden(Router::new().fallback(move |req: Request| front::dispatch(req, api.clone(), statics.clone())))
}

/// The layers every answer passes through: the body-size limit, panic safety (a panicking
/// handler answers 500 JSON and the server keeps serving) and CORS (outermost, so even those
/// answers carry `Access-Control-Allow-Origin`).
pub fn harden(router: Router) -> Router {
    router
        .layer(DefaultBodyLimit::max(call::MAX_BODY))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(cors::cors))
}

/// The answer of a panicking handler.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    error::ApiError::Internal("a handler panicked".into()).into_response()
}

/// Serves `app` on an already bound listener until `shutdown` completes. Connections go
/// through [`transport::Guarded`], so even the answers hyper writes on its own (414 for an
/// over-long URL, 431 for oversized headers, 400 for an unparsable request) carry the CORS
/// headers and a JSON body.
pub async fn serve<F>(
    listener: tokio::net::TcpListener,
    state: AppState,
    static_dir: Option<PathBuf>,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    axum::serve(transport::Guarded(listener), app(state, static_dir.as_deref())).with_graceful_shutdown(shutdown).await
}
