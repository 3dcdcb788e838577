//! Who may use the module. Two sources, one shape ([`User`]):
//! - the host passes its user in a signed token (HS256 JWT with the shared
//!   secret `SENDCLOUD_PLUGIN_HOST_SECRET`), carrying permissions and the
//!   companies the user may see;
//! - standalone, the module keeps its own users (`sendcloud_users`, argon2
//!   password hashes); an admin is created on first start.
//!
//! Sessions end server-side: every login (module user or host hand-over)
//! gets a row in `sendcloud_sessions`; the web layer checks it on each
//! request, logout deletes it, a password reset deletes all of the user's.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::Utc;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::db::schema::{sendcloud_sessions, sendcloud_users};
use crate::db::{DbConn, DbError, DbResult};

pub const PERM_CONFIGURE: &str = "sendcloud.configure";
pub const PERM_REPORTS: &str = "sendcloud.reports";
pub const PERM_API: &str = "sendcloud.api";
pub const ALL_PERMISSIONS: &[&str] = &[PERM_CONFIGURE, PERM_REPORTS, PERM_API];

/// An authenticated user, whichever way they came in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub permissions: Vec<String>,
    /// The companies this user may see; `None` = all.
    pub companies: Option<Vec<i64>>,
}

impl User {
    pub fn has(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }

    pub fn may_see_company(&self, company_id: i64) -> bool {
        self.companies
            .as_ref()
            .is_none_or(|list| list.contains(&company_id))
    }
}

/// The claims of a host token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostClaims {
    /// The host's user id or login.
    pub sub: String,
    /// Display name (optional).
    #[serde(default)]
    pub name: Option<String>,
    /// Module permissions (`sendcloud.configure`, `sendcloud.reports`, `sendcloud.api`).
    #[serde(default)]
    pub permissions: Vec<String>,
    /// Company ids the user may see; absent = all.
    #[serde(default)]
    pub companies: Option<Vec<i64>>,
    /// Expiry, seconds since the epoch (required).
    pub exp: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("host tokens are not enabled (SENDCLOUD_PLUGIN_HOST_SECRET is not set)")]
    Disabled,
    #[error("the host token is invalid: {0}")]
    Invalid(String),
    #[error("the host token has expired: ask the host for a new one")]
    Expired,
}

/// How many seconds after its `exp` a host token is still accepted (clock
/// skew between host and module). jsonwebtoken's default is 60.
pub const HOST_TOKEN_LEEWAY_SECS: u64 = 5;

/// The shortest host token secret accepted at start-up (checked by `config`).
pub use crate::config::MIN_HOST_SECRET_BYTES;

/// Verify a host token and turn it into a user.
pub fn verify_host_token(secret: Option<&str>, token: &str) -> Result<User, TokenError> {
    let secret = secret.ok_or(TokenError::Disabled)?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub"]);
    // Clocks of host and module may differ a little; not more than this.
    validation.leeway = HOST_TOKEN_LEEWAY_SECS;
    let data = jsonwebtoken::decode::<HostClaims>(
        token,
        &jsonwebtoken::DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
        _ => TokenError::Invalid(e.to_string()),
    })?;
    let c = data.claims;
    Ok(User {
        name: c.name.unwrap_or(c.sub),
        permissions: c.permissions,
        companies: c.companies,
    })
}

/// Make a host token (what a host does; used by tests and the docs example).
pub fn make_host_token(secret: &str, claims: &HostClaims) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_default()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = sendcloud_users)]
struct UserRow {
    username: String,
    password_hash: String,
    permissions: String,
    company_ids: Option<String>,
}

impl UserRow {
    fn into_user(self) -> User {
        User {
            name: self.username,
            permissions: split_list(&self.permissions),
            companies: self.company_ids.map(|s| {
                split_list(&s)
                    .iter()
                    .filter_map(|v| v.parse().ok())
                    .collect()
            }),
        }
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// Set only by the test harness: see [`use_cheap_password_hashing`].
static CHEAP_HASHING: AtomicBool = AtomicBool::new(false);

/// The argon2 parameters of new password hashes in production: Argon2id
/// with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum).
pub fn production_hash_params() -> Params {
    Params::default()
}

/// Test harness only: new password hashes in this process use the cheapest
/// argon2 parameters (8 KiB, 1 pass), so that a suite that creates a user
/// per test app does not spend its time hashing. Nothing in the module or
/// its binary calls this; verifying reads the parameters from the stored
/// hash, so both kinds of hash verify as before.
#[doc(hidden)]
pub fn use_cheap_password_hashing() {
    CHEAP_HASHING.store(true, Ordering::Relaxed);
}

/// The hasher for new hashes (the production parameters unless the test
/// harness asked otherwise).
fn hasher() -> Argon2<'static> {
    let params = if CHEAP_HASHING.load(Ordering::Relaxed) {
        Params::new(
            Params::MIN_M_COST,
            Params::MIN_T_COST,
            Params::MIN_P_COST,
            None,
        )
        .unwrap_or_default()
    } else {
        production_hash_params()
    };
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_password(password: &str) -> DbResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbError::Invalid(format!("cannot hash password: {e}")))
}

/// Create a standalone user.
pub fn create_user(
    conn: &mut DbConn,
    username: &str,
    password: &str,
    permissions: &[&str],
    companies: Option<&[i64]>,
) -> DbResult<()> {
    let hash = hash_password(password)?;
    diesel::insert_into(sendcloud_users::table)
        .values((
            sendcloud_users::username.eq(username),
            sendcloud_users::password_hash.eq(hash),
            sendcloud_users::permissions.eq(permissions.join(",")),
            sendcloud_users::company_ids
                .eq(companies.map(|c| c.iter().map(i64::to_string).collect::<Vec<_>>().join(","))),
            sendcloud_users::created_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// On first start (no users yet) create `admin` with a random password and
/// return it, so the caller can show it once.
pub fn ensure_admin(conn: &mut DbConn) -> DbResult<Option<String>> {
    let count: i64 = sendcloud_users::table.count().get_result(conn)?;
    if count > 0 {
        return Ok(None);
    }
    let password: String = crate::crypto::random_token().chars().take(16).collect();
    create_user(conn, "admin", &password, ALL_PERMISSIONS, None)?;
    Ok(Some(password))
}

/// Give a standalone user a new random password and return it. Every open
/// session of the user ends.
pub fn reset_password(conn: &mut DbConn, username: &str) -> DbResult<String> {
    let password: String = crate::crypto::random_token().chars().take(16).collect();
    let hash = hash_password(&password)?;
    end_sessions_of(conn, username)?;
    let n = diesel::update(sendcloud_users::table.filter(sendcloud_users::username.eq(username)))
        .set(sendcloud_users::password_hash.eq(hash))
        .execute(conn)?;
    if n == 0 {
        create_user(conn, username, &password, ALL_PERMISSIONS, None)?;
    }
    Ok(password)
}

/// A standalone user looked up for a login: the stored hash and who they are.
/// Checking the password ([`check_password`]) needs no database connection,
/// so the caller can give the connection back before argon2 runs.
pub struct LoginCandidate {
    password_hash: String,
    user: User,
}

/// Look up a standalone user for a login (`None`: no such user).
pub fn login_candidate(conn: &mut DbConn, username: &str) -> DbResult<Option<LoginCandidate>> {
    let row: Option<UserRow> = sendcloud_users::table
        .filter(sendcloud_users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(|row| LoginCandidate {
        password_hash: row.password_hash.clone(),
        user: row.into_user(),
    }))
}

/// Check a password against a looked-up user (CPU-bound: argon2; run it off
/// the async executor and without holding a pooled connection). Unknown
/// users and wrong passwords look the same and cost the same.
pub fn check_password(candidate: Option<LoginCandidate>, password: &str) -> Option<User> {
    let Some(candidate) = candidate else {
        // Spend the same effort as for a real user.
        let _ = hash_password(password);
        return None;
    };
    let ok = PasswordHash::new(&candidate.password_hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false);
    ok.then_some(candidate.user)
}

/// Check a standalone login in one go (CLI and tests; the web login uses
/// [`login_candidate`] and [`check_password`] so no connection is held
/// while hashing).
pub fn verify_login(conn: &mut DbConn, username: &str, password: &str) -> DbResult<Option<User>> {
    let candidate = login_candidate(conn, username)?;
    Ok(check_password(candidate, password))
}

/// Where a session's user came from.
pub const SESSION_LOCAL: &str = "local";
/// A host token hand-over (`/sso`).
pub const SESSION_HOST: &str = "host";
/// How long a session lives at most (the cookie's lifetime, too).
pub const SESSION_TTL_HOURS: i64 = 10;

fn session_key(session_id: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(session_id.as_bytes()))
}

/// Start a server-side session for `user` and return its id (to keep in the
/// session cookie). Expired sessions of everyone are removed on the way.
pub fn start_session(
    conn: &mut DbConn,
    username: &str,
    source: &str,
    now: chrono::NaiveDateTime,
) -> DbResult<String> {
    diesel::delete(sendcloud_sessions::table.filter(sendcloud_sessions::expires_at.lt(now)))
        .execute(conn)?;
    let id = crate::crypto::random_token();
    diesel::insert_into(sendcloud_sessions::table)
        .values((
            sendcloud_sessions::id.eq(session_key(&id)),
            sendcloud_sessions::username.eq(username),
            sendcloud_sessions::source.eq(source),
            sendcloud_sessions::created_at.eq(now),
            sendcloud_sessions::expires_at.eq(now + chrono::Duration::hours(SESSION_TTL_HOURS)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Is the session with this id still open (not logged out, not ended by a
/// password reset, not expired)?
pub fn session_open(
    conn: &mut DbConn,
    session_id: &str,
    now: chrono::NaiveDateTime,
) -> DbResult<bool> {
    let n: i64 = sendcloud_sessions::table
        .filter(sendcloud_sessions::id.eq(session_key(session_id)))
        .filter(sendcloud_sessions::expires_at.ge(now))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// End one session (logout).
pub fn end_session(conn: &mut DbConn, session_id: &str) -> DbResult<()> {
    diesel::delete(
        sendcloud_sessions::table.filter(sendcloud_sessions::id.eq(session_key(session_id))),
    )
    .execute(conn)?;
    Ok(())
}

/// End every session of a standalone user (password reset). How many ended.
pub fn end_sessions_of(conn: &mut DbConn, username: &str) -> DbResult<usize> {
    Ok(diesel::delete(
        sendcloud_sessions::table
            .filter(sendcloud_sessions::source.eq(SESSION_LOCAL))
            .filter(sendcloud_sessions::username.eq(username)),
    )
    .execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_hashes_use_the_strong_parameters() {
        // The unit tests never call `use_cheap_password_hashing`.
        let p = production_hash_params();
        assert!(p.m_cost() >= 19 * 1024 && p.t_cost() >= 2, "{p:?}");
        let hash = hash_password("secret").expect("hash");
        let parsed = PasswordHash::new(&hash).expect("phc");
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        let stored = Params::try_from(&parsed).expect("params");
        assert_eq!(
            (stored.m_cost(), stored.t_cost(), stored.p_cost()),
            (p.m_cost(), p.t_cost(), p.p_cost())
        );
    }

    #[test]
    fn host_token_round_trip_and_rejections() {
        let claims = HostClaims {
            sub: "u1".into(),
            name: Some("Erika Muster".into()),
            permissions: vec![PERM_CONFIGURE.into()],
            companies: Some(vec![2]),
            exp: Utc::now().timestamp() + 300,
        };
        let token = make_host_token("shared", &claims);
        let user = verify_host_token(Some("shared"), &token).unwrap();
        assert_eq!(user.name, "Erika Muster");
        assert!(user.has(PERM_CONFIGURE) && !user.has(PERM_REPORTS));
        assert!(user.may_see_company(2) && !user.may_see_company(1));
        assert!(matches!(
            verify_host_token(Some("other"), &token),
            Err(TokenError::Invalid(_))
        ));
        assert!(matches!(
            verify_host_token(None, &token),
            Err(TokenError::Disabled)
        ));
        let expired = make_host_token(
            "shared",
            &HostClaims {
                exp: Utc::now().timestamp() - 3600,
                ..claims.clone()
            },
        );
        assert!(verify_host_token(Some("shared"), &expired).is_err());
        // Expired 20 s ago: past the small leeway.
        let just_expired = make_host_token(
            "shared",
            &HostClaims {
                exp: Utc::now().timestamp() - 20,
                ..claims.clone()
            },
        );
        assert!(verify_host_token(Some("shared"), &just_expired).is_err());
        assert!(verify_host_token(Some("shared"), "not.a.token").is_err());
    }
}
