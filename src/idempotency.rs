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
use crate::db::{DbConn, DbError, DbResult};

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

/// What [`once`] did.
#[derive(Debug)]
pub enum Done<T> {
    /// The work ran now; its answer was stored under the key (if any).
    Fresh(T),
    /// The same request was answered before: its first answer.
    Replay(Stored),
}

/// Why [`once`] did not do the work.
#[derive(Debug)]
pub enum Refused<E> {
    /// The work refused (everything rolled back).
    Work(E),
    /// The key was used for a different request.
    Reused,
    Db(DbError),
}

impl<E> From<diesel::result::Error> for Refused<E> {
    fn from(e: diesel::result::Error) -> Self {
        Refused::Db(DbError::Query(e))
    }
}

impl<E> From<DbError> for Refused<E> {
    fn from(e: DbError) -> Self {
        Refused::Db(e)
    }
}

/// Run `work` once per (caller, key) in one write transaction: a key seen
/// with the same fingerprint answers the stored answer without running
/// `work`; seen with another fingerprint it is [`Refused::Reused`];
/// otherwise `work` runs and the answer it returns ([`Stored`], beside its
/// own value) is stored with the key in the same transaction. An error of
/// `work` rolls everything back. Two concurrent first requests: one
/// stores, the other rolls back and answers the stored answer. Without a
/// key, `work` just runs in a transaction.
pub fn once<T, E>(
    conn: &mut DbConn,
    caller: &str,
    key: Option<&str>,
    fingerprint: &str,
    work: impl FnOnce(&mut DbConn) -> Result<(Stored, T), E>,
) -> Result<Done<T>, Refused<E>> {
    enum Tx<E> {
        Refused(Refused<E>),
        Lost,
    }
    impl<E> From<diesel::result::Error> for Tx<E> {
        fn from(e: diesel::result::Error) -> Self {
            Tx::Refused(Refused::from(e))
        }
    }
    let r = conn.write_transaction(|c| -> Result<Done<T>, Tx<E>> {
        if let Some(key) = key {
            match seen(c, caller, key, fingerprint).map_err(|e| Tx::Refused(e.into()))? {
                Seen::Replay(s) => return Ok(Done::Replay(s)),
                Seen::Reused => return Err(Tx::Refused(Refused::Reused)),
                Seen::New => {}
            }
        }
        let (answer, value) = work(c).map_err(|e| Tx::Refused(Refused::Work(e)))?;
        if let Some(key) = key {
            if !store(c, caller, key, fingerprint, &answer).map_err(|e| Tx::Refused(e.into()))? {
                return Err(Tx::Lost);
            }
        }
        Ok(Done::Fresh(value))
    });
    match r {
        Ok(done) => Ok(done),
        Err(Tx::Refused(e)) => Err(e),
        Err(Tx::Lost) => match seen(conn, caller, key.unwrap_or_default(), fingerprint)? {
            Seen::Replay(s) => Ok(Done::Replay(s)),
            _ => Err(Refused::Reused),
        },
    }
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
