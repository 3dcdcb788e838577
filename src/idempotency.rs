//! Idempotency keys of the plugin API (`Idempotency-Key` on a POST that
//! creates something): the first answer (status and JSON body) is stored per
//! caller and key in `sendcloud_idempotency_keys`, in the same transaction
//! as the work, and a repeated request gets it back instead of doing the
//! work again. The same key with a different request (another fingerprint)
//! is refused. No HTTP here: `web::api` computes the fingerprint and renders.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::sendcloud_idempotency_keys as k;
use crate::db::{DbConn, DbResult};

/// The longest key accepted (longer ones are refused, not cut).
pub const MAX_KEY_LEN: usize = 200;

/// How long a stored answer is kept (older keys are purged and may be used
/// again).
pub const KEEP_HOURS: i64 = 24;

/// A stored first answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub status: i32,
    /// The answer as JSON text.
    pub body: String,
}

/// What a key says about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// Never seen: do the work.
    New,
    /// The same request was answered before: answer this again.
    Replay(Stored),
    /// The key was used for a different request.
    Reused,
}

/// SHA-256 (hex) of what identifies a request: method, path, body.
pub fn fingerprint(method: &str, path: &str, canonical_body: &str) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b"\n");
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(canonical_body.as_bytes());
    hex::encode(h.finalize())
}

/// Look a key up (in the caller's transaction).
pub fn seen(conn: &mut DbConn, caller: &str, key: &str, fingerprint: &str) -> DbResult<Seen> {
    let row: Option<(String, i32, String)> = k::table
        .filter(k::caller.eq(caller))
        .filter(k::idem_key.eq(key))
        .select((k::fingerprint, k::status, k::body))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => Seen::New,
        Some((f, status, body)) if f == fingerprint => Seen::Replay(Stored { status, body }),
        Some(_) => Seen::Reused,
    })
}

/// Store the first answer for a key (in the transaction that did the work).
/// `false` when another request stored one first (the caller rolls back and
/// answers what [`seen`] then says).
pub fn store(
    conn: &mut DbConn,
    caller: &str,
    key: &str,
    fingerprint: &str,
    answer: &Stored,
) -> DbResult<bool> {
    let values = (
        k::caller.eq(caller),
        k::idem_key.eq(key),
        k::fingerprint.eq(fingerprint),
        k::status.eq(answer.status),
        k::body.eq(&answer.body),
        k::created_at.eq(Utc::now().naive_utc()),
    );
    // `ON CONFLICT DO NOTHING`: a racing request that stored first wins.
    let n = match conn {
        DbConn::Postgres(pg) => diesel::insert_into(k::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(pg)?,
        DbConn::Sqlite(lite) => diesel::insert_into(k::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(lite)?,
    };
    Ok(n == 1)
}

/// Forget keys stored before `before`; how many.
pub fn purge(conn: &mut DbConn, before: NaiveDateTime) -> DbResult<usize> {
    Ok(diesel::delete(k::table.filter(k::created_at.lt(before))).execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_differ_by_method_path_and_body() {
        let a = fingerprint("POST", "/a", "{}");
        assert_eq!(a, fingerprint("POST", "/a", "{}"));
        assert_ne!(a, fingerprint("POST", "/b", "{}"));
        assert_ne!(a, fingerprint("PUT", "/a", "{}"));
        assert_ne!(a, fingerprint("POST", "/a", "{\"x\":1}"));
        assert_eq!(a.len(), 64);
    }
}
