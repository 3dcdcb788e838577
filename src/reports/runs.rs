//! The *Abgleich-Läufe* report: every run of the company
//! (`sendcloud_sync_runs`): who or what started it, its objects, counts per
//! object, duration and error. Filters: state, trigger, start date; newest
//! or oldest first; keyset pages by id; one run's detail.

use diesel::prelude::*;

use super::{id_key, keyset, Cursor, DateRange, Dir, Page, ReportError, ReportResult};
use crate::db::schema::sendcloud_sync_runs as r;
use crate::db::DbConn;
use crate::sync::Run;

/// The filters of the Abgleich-Läufe tab.
#[derive(Debug, Clone, Default)]
pub struct RunFilter {
    /// `queued`, `running`, `done`, `failed`.
    pub state: Option<String>,
    /// `manual`, `scheduler`, `connect`, `api`, …
    pub trigger: Option<String>,
    pub started: DateRange,
}

/// The run states a filter offers.
pub const STATES: [&str; 4] = ["queued", "running", "done", "failed"];

/// One page of runs, by id (= start order).
pub fn list(
    conn: &mut DbConn,
    company_id: i64,
    f: &RunFilter,
    dir: Dir,
    after: Option<&Cursor>,
    limit: i64,
) -> ReportResult<Page<Run>> {
    let mut q = r::table
        .filter(r::company_id.eq(company_id))
        .select(Run::as_select())
        .into_boxed();
    if let Some(s) = super::given(&f.state) {
        q = q.filter(r::state.eq(s.to_string()));
    }
    if let Some(t) = super::given(&f.trigger) {
        q = q.filter(r::trigger.eq(t.to_string()));
    }
    if let Some(t) = f.started.start() {
        q = q.filter(r::started_at.ge(t));
    }
    if let Some(t) = f.started.end() {
        q = q.filter(r::started_at.lt(t));
    }
    let q = keyset!(q, r::id, r::id, dir, after, id_key);
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, limit, |run: &Run| Cursor {
        key: String::new(),
        id: run.id,
    }))
}

/// The triggers the company's runs have, for the filter select.
pub fn triggers(conn: &mut DbConn, company_id: i64) -> ReportResult<Vec<String>> {
    r::table
        .filter(r::company_id.eq(company_id))
        .select(r::trigger)
        .distinct()
        .order(r::trigger)
        .load(conn)
        .map_err(ReportError::from)
}

/// One run of the company.
pub fn detail(conn: &mut DbConn, company_id: i64, id: i64) -> ReportResult<Option<Run>> {
    r::table
        .filter(r::company_id.eq(company_id))
        .filter(r::id.eq(id))
        .select(Run::as_select())
        .first(conn)
        .optional()
        .map_err(ReportError::from)
}
