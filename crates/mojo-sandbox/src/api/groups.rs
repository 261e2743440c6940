//! Groups, formerly companies (REFERENCE §3.8): list (paged, by id) and show
//! (400 `Invalid group id`).

use crate::AppState;
use crate::auth::{Need, authenticate};
use crate::call::ApiCall;
use crate::error::{ApiError, ApiResult};
use crate::json;
use crate::params::Paging;
use axum::extract::State;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Value, json};

const COLS: &str = "id, name, primary_contact_id, billing_contact_id, support_level_id, \
    support_status_id, support_start_date, support_end_date, support_info_url, address, address2, \
    city, state, zip, country, website_url, notes";

fn row_json(r: &Row) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "name": r.get::<_, String>(1)?,
        "primary_contact_id": r.get::<_, Option<i64>>(2)?,
        "billing_contact_id": r.get::<_, Option<i64>>(3)?,
        "support_level_id": r.get::<_, Option<i64>>(4)?,
        "support_status_id": r.get::<_, Option<i64>>(5)?,
        "support_start_date": r.get::<_, Option<String>>(6)?,
        "support_end_date": r.get::<_, Option<String>>(7)?,
        "support_info_url": r.get::<_, Option<String>>(8)?,
        "address": r.get::<_, Option<String>>(9)?,
        "address2": r.get::<_, Option<String>>(10)?,
        "city": r.get::<_, Option<String>>(11)?,
        "state": r.get::<_, Option<String>>(12)?,
        "zip": r.get::<_, Option<String>>(13)?,
        "country": r.get::<_, Option<String>>(14)?,
        "website_url": r.get::<_, Option<String>>(15)?,
        "notes": r.get::<_, Option<String>>(16)?,
    }))
}

/// The group object, or `None`.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached(&format!("SELECT {COLS} FROM groups WHERE id = ?1"))?.query_row([id], row_json).optional()
}

/// `GET /groups`.
pub async fn list(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let pg = Paging::read(&call.params, 30, 100);
        let mut stmt = conn.prepare_cached(&format!("SELECT {COLS} FROM groups ORDER BY id LIMIT ?1 OFFSET ?2"))?;
        let rows = stmt.query_map(params![pg.per_page, pg.offset()], row_json)?.collect::<Result<Vec<_>, _>>()?;
        Ok(json::ok(Value::Array(rows)))
    })
    .await
}

/// `GET /groups/{id}`.
pub async fn show(State(st): State<AppState>, call: ApiCall) -> ApiResult<Response> {
    st.run(move |conn, _| {
        authenticate(conn, &call, Need::Agent, json::now_ms())?;
        let invalid = || ApiError::BadRequest("Invalid group id".into());
        let id = call.path_id("id").ok_or_else(invalid)?;
        find(conn, id)?.map(json::ok).ok_or_else(invalid)
    })
    .await
}
