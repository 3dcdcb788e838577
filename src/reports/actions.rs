//! The *Aktions-Logging* report: every call to and from Sendcloud and every
//! change a user made (`sendcloud_action_log`): when, who, what, status,
//! duration, and the payload. Filters: direction, result, action (its
//! beginning), date, free text; newest or oldest first; keyset pages by id;
//! one entry's detail. Rendering masks message and payload once more
//! (`actionlog::mask`): rows written before masking was applied on write.

use diesel::prelude::*;

use super::{
    contains_pattern, given, id_key, keyset, lower, prefix_pattern, Cursor, DateRange, Dir, Page,
    ReportError, ReportResult,
};
use crate::actionlog::Entry;
use crate::db::schema::sendcloud_action_log as al;
use crate::db::DbConn;

/// The filters of the Aktions-Logging tab.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    /// `out`, `in`, `internal`.
    pub direction: Option<String>,
    /// `ok`, `error`.
    pub result: Option<String>,
    /// The action's beginning, e.g. `sync.` or `settings.save`.
    pub action: Option<String>,
    pub at: DateRange,
    /// Free text in target, message, user and action.
    pub text: Option<String>,
}

pub const DIRECTIONS: [&str; 3] = ["out", "in", "internal"];
pub const RESULTS: [&str; 2] = ["ok", "error"];

/// One page of entries, by id (= time order).
pub fn list(
    conn: &mut DbConn,
    company_id: i64,
    f: &ActionFilter,
    dir: Dir,
    after: Option<&Cursor>,
    limit: i64,
) -> ReportResult<Page<Entry>> {
    let mut q = al::table
        .filter(al::company_id.eq(company_id))
        .select(Entry::as_select())
        .into_boxed();
    if let Some(d) = given(&f.direction) {
        q = q.filter(al::direction.eq(d.to_string()));
    }
    if let Some(r) = given(&f.result) {
        q = q.filter(al::result.eq(r.to_string()));
    }
    if let Some(a) = given(&f.action) {
        q = q.filter(al::action.like(prefix_pattern(a)).escape('\\'));
    }
    if let Some(t) = f.at.start() {
        q = q.filter(al::at.ge(t));
    }
    if let Some(t) = f.at.end() {
        q = q.filter(al::at.lt(t));
    }
    if let Some(t) = given(&f.text) {
        let pat = contains_pattern(t);
        q = q.filter(
            lower(al::target)
                .like(pat.clone())
                .escape('\\')
                .or(lower(al::message).like(pat.clone()).escape('\\'))
                .or(lower(al::action).like(pat.clone()).escape('\\'))
                .or(lower(al::user_name.assume_not_null())
                    .like(pat)
                    .escape('\\')),
        );
    }
    let q = keyset!(q, al::id, al::id, dir, after, id_key);
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, limit, |e: &Entry| Cursor {
        key: String::new(),
        id: e.id,
    }))
}

/// One entry of the company.
pub fn detail(conn: &mut DbConn, company_id: i64, id: i64) -> ReportResult<Option<Entry>> {
    al::table
        .filter(al::company_id.eq(company_id))
        .filter(al::id.eq(id))
        .select(Entry::as_select())
        .first(conn)
        .optional()
        .map_err(ReportError::from)
}
