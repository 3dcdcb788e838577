//! The reports of *Berichte → Lager → Sendcloud*: one query service per tab
//! (typed filter, the columns staff sort on, keyset pages by (sort key, id),
//! a detail query), no HTTP. `web::reports` renders them and streams their
//! CSV export page by page over the same keyset queries.
//!
//! Keyset, never OFFSET: page 500 costs what page 1 costs (an index range
//! from the cursor on, see the `report_indexes` migration), and rows that
//! arrive while someone pages neither repeat nor vanish.

pub mod actions;
pub mod catalog;
pub mod parcels;
pub mod runs;

use base64::Engine;
use chrono::{NaiveDate, NaiveDateTime};

use crate::db::DbError;

/// Rows per page on screen.
pub const PAGE_SIZE: i64 = 50;
/// Rows per keyset page of a CSV export.
pub const EXPORT_PAGE: i64 = 1000;

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dir {
    Asc,
    #[default]
    Desc,
}

impl Dir {
    pub fn parse(s: &str) -> Option<Dir> {
        match s {
            "asc" => Some(Dir::Asc),
            "desc" => Some(Dir::Desc),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Dir::Asc => "asc",
            Dir::Desc => "desc",
        }
    }

    pub fn flip(&self) -> Dir {
        match self {
            Dir::Asc => Dir::Desc,
            Dir::Desc => Dir::Asc,
        }
    }
}

/// Where a page starts: after the row with this sort key and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

impl Cursor {
    /// The cursor as it travels in a URL (`after=`): URL-safe base64 of
    /// `id:key`.
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}:{}", self.id, self.key))
    }

    /// `None` for anything that is not a cursor this module wrote.
    pub fn decode(s: &str) -> Option<Cursor> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (id, key) = text.split_once(':')?;
        Some(Cursor {
            id: id.parse().ok()?,
            key: key.to_string(),
        })
    }
}

/// One page of a report and the cursor of the next one (`None`: the last).
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// Cut a `limit + 1` result to `limit` rows and make the next cursor
    /// from the last row kept.
    pub(crate) fn from_rows(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> Cursor) -> Page<T> {
        let limit = usize::try_from(limit.max(1)).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more { rows.last().map(key) } else { None };
        Page { rows, next }
    }
}

/// Errors of a report query.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// A cursor whose key does not fit the sort column (edited URL).
    #[error("invalid page cursor")]
    BadCursor,
}

impl From<diesel::result::Error> for ReportError {
    fn from(e: diesel::result::Error) -> Self {
        ReportError::Db(DbError::Query(e))
    }
}

pub type ReportResult<T> = Result<T, ReportError>;

/// A date range as staff enter it (whole days, both ends included), as
/// timestamps: `[from 00:00, the day after `to` 00:00)`. The dates are UTC
/// days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DateRange {
    pub fn start(&self) -> Option<NaiveDateTime> {
        self.from.and_then(|d| d.and_hms_opt(0, 0, 0))
    }

    /// Exclusive end.
    pub fn end(&self) -> Option<NaiveDateTime> {
        self.to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    }
}

/// A `LIKE` pattern matching `needle` anywhere (lower-cased, `%`, `_` and
/// `\` escaped; use with `.escape('\\')`).
pub(crate) fn contains_pattern(needle: &str) -> String {
    format!("%{}%", escape_like(&needle.to_lowercase()))
}

/// A `LIKE` pattern matching values that start with `prefix` (case as given).
pub(crate) fn prefix_pattern(prefix: &str) -> String {
    format!("{}%", escape_like(prefix))
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A filter value as typed: trimmed, empty is none.
pub fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

diesel::define_sql_function! {
    /// SQL `lower(text)`, the same on both backends (case-insensitive
    /// free-text search; PostgreSQL's `LIKE` is case-sensitive).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Keyset paging on a boxed query: the rows after the cursor in the sort
/// order, ordered by (sort column, id).
macro_rules! keyset {
    ($query:expr, $col:expr, $id:expr, $dir:expr, $after:expr, $key:expr) => {{
        let mut q = $query;
        if let Some(c) = $after {
            let v = $key(c)?;
            // `key >= v AND (key > v OR id > c)` rather than `key > v OR
            // (key = v AND id > c)`: the first conjunct is an index range
            // on both databases, so page 500 starts where page 499 ended
            // instead of scanning past 24,950 rows.
            q = match $dir {
                $crate::reports::Dir::Asc => {
                    q.filter($col.ge(v.clone()).and($col.gt(v).or($id.gt(c.id))))
                }
                $crate::reports::Dir::Desc => {
                    q.filter($col.le(v.clone()).and($col.lt(v).or($id.lt(c.id))))
                }
            };
        }
        match $dir {
            $crate::reports::Dir::Asc => q.order(($col.asc(), $id.asc())),
            $crate::reports::Dir::Desc => q.order(($col.desc(), $id.desc())),
        }
    }};
}
pub(crate) use keyset;

/// A text sort key from a cursor.
pub(crate) fn text_key(c: &Cursor) -> ReportResult<String> {
    Ok(c.key.clone())
}

/// An integer sort key from a cursor.
pub(crate) fn int_key(c: &Cursor) -> ReportResult<i64> {
    c.key.parse().map_err(|_| ReportError::BadCursor)
}

/// The id itself as the sort key.
pub(crate) fn id_key(c: &Cursor) -> ReportResult<i64> {
    Ok(c.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_survive_the_url() {
        let c = Cursor {
            key: "SO:2026/1 ä".into(),
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("not a cursor"), None);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_A"), "%50\\%\\_a%");
        assert_eq!(prefix_pattern("SO-"), "SO-%");
    }
}
