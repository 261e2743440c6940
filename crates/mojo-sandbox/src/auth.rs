//! Access keys and roles (REFERENCE §1.2, §2). A key carries its owner's permissions: the role
//! decides which endpoints answer, the owner's queue access decides which tickets are visible.
//! Every refusal is a 401 in the `{"message","messages"}` shape, never a 403 (§7.17).

use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult, NOT_AUTHORIZED, READ_ONLY};
use rusqlite::{Connection, OptionalExtension, params};

/// The lowest role an endpoint accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any user with a key, end users included (tags).
    AnyUser,
    /// Agents: role 20, and the legacy restricted technician (15) too.
    Agent,
    /// Managers (30) and above.
    Manager,
}

impl Need {
    fn min_role(self) -> i64 {
        match self {
            Need::AnyUser => 10,
            Need::Agent => 15,
            Need::Manager => 30,
        }
    }
}

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    /// The key's owner.
    pub user_id: i64,
    /// The owner's role.
    pub role: i64,
    /// A read-only key (only GET, HEAD and OPTIONS).
    pub read_only: bool,
    /// True when the owner sees every queue (managers always do).
    pub all_queues: bool,
    /// The queues a restricted owner sees.
    pub queues: Vec<i64>,
}

impl Caller {
    /// Whether tickets of `queue_id` are visible to the caller.
    pub fn can_see_queue(&self, queue_id: i64) -> bool {
        self.all_queues || self.queues.contains(&queue_id)
    }

    /// A SQL condition on `tickets.ticket_queue_id` limiting rows to the visible queues
    /// (`1` when all are visible). Built from integers only.
    pub fn queue_filter_sql(&self, column: &str) -> String {
        if self.all_queues {
            "1".to_string()
        } else if self.queues.is_empty() {
            "0".to_string()
        } else {
            let ids: Vec<String> = self.queues.iter().map(i64::to_string).collect();
            format!("{column} IN ({})", ids.join(","))
        }
    }

    /// Managers and above.
    pub fn is_manager(&self) -> bool {
        self.role >= 30
    }
}

/// Checks the `access_key` of a call (query string or any body) against `need`.
pub fn authenticate(conn: &Connection, call: &ApiCall, need: Need, now: i64) -> ApiResult<Caller> {
    let key = call.params.str("access_key").ok_or(ApiError::Unauthorized(NOT_AUTHORIZED))?;
    let row = conn
        .prepare_cached(
            "SELECT k.user_id, k.read_only, k.expires_on, u.role_id, u.can_access_all_queues
             FROM api_keys k JOIN users u ON u.id = k.user_id
             WHERE k.key = ?1 AND u.is_active = 1 AND u.deleted_at IS NULL",
        )?
        .query_row([&key], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })
        .optional()?;
    let Some((user_id, read_only, expires_on, role, all_queues)) = row else {
        return Err(ApiError::Unauthorized(NOT_AUTHORIZED));
    };
    if expires_on.is_some_and(|e| e <= now) {
        return Err(ApiError::Unauthorized(NOT_AUTHORIZED));
    }
    if read_only && call.is_write() {
        return Err(ApiError::Unauthorized(READ_ONLY));
    }
    if role < need.min_role() {
        return Err(ApiError::Unauthorized(NOT_AUTHORIZED));
    }
    let all_queues = all_queues || role >= 30;
    let queues = if all_queues {
        Vec::new()
    } else {
        let mut stmt = conn
            .prepare_cached("SELECT ticket_queue_id FROM agent_queues WHERE user_id = ?1 ORDER BY ticket_queue_id")?;
        stmt.query_map(params![user_id], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>()?
    };
    Ok(Caller { user_id, role, read_only, all_queues, queues })
}
