//! Shared state: the database behind a mutex, and account settings. Handlers run their
//! database work on the blocking pool ([`AppState::run`]) so a slow query never stalls the
//! async workers, and a panic there becomes a 500 for that request only.

use crate::error::{ApiError, ApiResult};
use rusqlite::Connection;
use std::sync::{Arc, Mutex, MutexGuard};

/// Account-wide settings that change how endpoints behave.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Whether agents (not only managers) may delete tickets (REFERENCE §2: an account option).
    pub agents_can_delete: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { agents_can_delete: true }
    }
}

/// The state every handler gets; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Mutex<Connection>,
    settings: Settings,
}

impl AppState {
    /// Wraps an open (schema-ready) connection.
    pub fn new(conn: Connection, settings: Settings) -> Self {
        AppState { inner: Arc::new(Inner { db: Mutex::new(conn), settings }) }
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Locks the database for synchronous use (startup, tests). A poisoned lock is recovered:
    /// SQLite rolled back whatever the panicking holder had open.
    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        self.inner.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` with the locked database on the blocking pool.
    pub async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection, &Settings) -> ApiResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.db.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut conn, &inner.settings)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("handler failed: {e}")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_in_a_handler_is_a_500_and_the_database_stays_usable() {
        let state = AppState::new(crate::db::open(None).unwrap(), Settings::default());
        let boom = state
            .run(|conn, _| -> ApiResult<()> {
                conn.execute("INSERT INTO meta(key, value) VALUES ('a', 'b')", [])?;
                panic!("handler bug")
            })
            .await;
        assert!(matches!(boom, Err(ApiError::Internal(_))));
        let n = state
            .run(|conn, _| Ok(crate::db::count(conn, "SELECT COUNT(*) FROM meta WHERE key = 'a'")?))
            .await
            .unwrap();
        assert_eq!(n, 1, "the lock was recovered after the panic");
    }
}
