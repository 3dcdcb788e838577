//! Per-user preferences of the admin UI (`sendcloud_user_prefs`): the time
//! zone a user reads times in. Keyed by the user's name as the session
//! carries it, so module users and host users handed over by token both
//! have one. The web layer keeps the zone in the session after login
//! (`web::session::time_zone`) so pages need no query for it.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::schema::sendcloud_user_prefs as up;
use crate::db::{DbConn, DbError, DbResult};

/// The zone used when neither the user nor the browser names one.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Berlin";

/// Is `name` an IANA time zone name the module knows?
pub fn valid_time_zone(name: &str) -> bool {
    name.parse::<chrono_tz::Tz>().is_ok()
}

/// The time zones a user may choose, sorted by name (IANA names with a
/// region, plus `UTC`).
pub fn time_zones() -> Vec<&'static str> {
    let mut zones: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|n| {
            *n == "UTC" || (n.contains('/') && !n.starts_with("Etc/") && !n.starts_with("SystemV/"))
        })
        .collect();
    zones.sort_unstable();
    zones.dedup();
    zones
}

/// The user's chosen zone (`None`: the browser's).
pub fn time_zone_of(conn: &mut DbConn, username: &str) -> DbResult<Option<String>> {
    Ok(up::table
        .find(username)
        .select(up::time_zone)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Set (or with `None` clear) the user's zone. An unknown zone name is
/// refused.
pub fn set_time_zone(
    conn: &mut DbConn,
    username: &str,
    zone: Option<&str>,
    now: NaiveDateTime,
) -> DbResult<()> {
    if let Some(z) = zone {
        if !valid_time_zone(z) {
            return Err(DbError::Invalid(format!("unknown time zone {z:?}")));
        }
    }
    conn.write_transaction(|c| {
        diesel::delete(up::table.find(username)).execute(c)?;
        diesel::insert_into(up::table)
            .values((
                up::username.eq(username),
                up::time_zone.eq(zone),
                up::updated_at.eq(now),
            ))
            .execute(c)?;
        Ok(())
    })
}

/// `set_time_zone` at the current time.
pub fn save_time_zone(conn: &mut DbConn, username: &str, zone: Option<&str>) -> DbResult<()> {
    set_time_zone(conn, username, zone, Utc::now().naive_utc())
}
