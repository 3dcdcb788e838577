//! The database layer: backend selection by URL, the r2d2 pool, the embedded
//! migrations (one tree per backend, same names) and the way async code runs
//! diesel without blocking the executor (`Db::run`).
//!
//! This layer never calls Sendcloud and never renders anything.

pub mod conn;
pub mod schema;
pub mod types;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::RunQueryDsl;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub use conn::{Backend, DbConn, DbUrl};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A key for `pg_advisory_lock` so that instances starting together migrate
/// one after the other ("sc" "migr" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x7363_6d69_6772;

/// Errors of the database layer. Messages are one line and never contain a
/// database password.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Connect(String),
    #[error("database pool: {0}")]
    Pool(String),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database task failed: {0}")]
    Task(String),
    #[error("{0}")]
    Invalid(String),
}

impl DbError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, DbError::Query(diesel::result::Error::NotFound))
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// The module's handle on its database: cheap to clone, shared by every
/// request and job.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<conn::DbManager>,
    url: DbUrl,
    ping_after_idle_ms: Arc<AtomicU64>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({:?})", self.url)
    }
}

impl Db {
    /// Parse the URL, connect once (failing fast with a clear message when the
    /// database is unreachable), run pending migrations, then build the pool.
    pub fn open(database_url: &str) -> DbResult<Db> {
        let url = DbUrl::parse(database_url)?;
        if let Some(path) = url.sqlite_path() {
            prepare_sqlite_file(path)?;
        }
        let mut first = url.connect()?;
        migrate(&mut first)?;
        drop(first);
        let size = match url.backend {
            Backend::Postgres => 10,
            Backend::Sqlite => 8,
        };
        let manager = conn::DbManager::new(url.clone());
        let ping_after_idle_ms = manager.ping_after_idle_ms();
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            // A checkout pings only a PostgreSQL connection that has been
            // silent for longer than `conn::PING_AFTER_IDLE` (see
            // `DbManager`): a `SELECT 1` before every checkout was a third
            // of a webhook receipt's round trips, none at all let every
            // stale connection fail a request after a database restart.
            .test_on_check_out(true)
            .connection_timeout(Duration::from_secs(10))
            .build(manager)
            .map_err(|e| DbError::Pool(e.to_string()))?;
        Ok(Db {
            pool,
            url,
            ping_after_idle_ms,
        })
    }

    pub fn backend(&self) -> Backend {
        self.url.backend
    }

    /// How long a PostgreSQL connection may have been silent before its
    /// checkout pings it (default `conn::PING_AFTER_IDLE`; tests set zero to
    /// have every checkout ping).
    pub fn set_ping_after_idle(&self, idle: Duration) {
        let ms = u64::try_from(idle.as_millis()).unwrap_or(u64::MAX);
        self.ping_after_idle_ms.store(ms, Ordering::Relaxed);
    }

    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    /// A pooled connection for blocking code (jobs, CLI, tests).
    pub fn conn(&self) -> DbResult<r2d2::PooledConnection<conn::DbManager>> {
        self.pool.get().map_err(|e| DbError::Pool(e.to_string()))
    }

    /// Run blocking diesel work on the blocking thread pool, never on the
    /// async executor.
    pub async fn run<F, R>(&self, f: F) -> DbResult<R>
    where
        F: FnOnce(&mut DbConn) -> DbResult<R> + Send + 'static,
        R: Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| DbError::Pool(e.to_string()))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }

    /// A cheap round trip for health checks.
    pub async fn ping(&self) -> DbResult<()> {
        self.run(|conn| {
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok(())
        })
        .await
    }
}

/// A new SQLite file holds webhook tokens and password hashes: create it
/// 0600, and the folders the module creates for it 0700, before SQLite opens
/// it (SQLite gives its `-wal` and `-shm` files the mode of the database
/// file). Existing files and folders keep what the operator gave them.
fn prepare_sqlite_file(path: &str) -> DbResult<()> {
    let path = std::path::Path::new(path);
    if path.as_os_str() == ":memory:" || path.exists() {
        return Ok(());
    }
    let io = |what: &str, e: std::io::Error| {
        DbError::Connect(format!(
            "cannot create the SQLite {what} {}: {e}",
            path.display()
        ))
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(parent).map_err(|e| io("folder for", e))?;
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Another process created it in between: theirs is as good.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io("file", e)),
    }
}

/// Run the pending migrations of the connection's backend. On PostgreSQL an
/// advisory lock makes instances that start together take turns.
pub fn migrate(conn: &mut DbConn) -> DbResult<Vec<String>> {
    let conn_backend = conn.backend();
    let mig = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    match conn {
        DbConn::Postgres(pg) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                .execute(pg)?;
            let result = pg
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<String>>())
                .map_err(mig);
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                .execute(pg)?;
            result
        }
        // One exclusive transaction: a second process waits (busy timeout)
        // and then finds nothing pending.
        DbConn::Sqlite(lite) => lite
            .exclusive_transaction(|c| {
                c.run_pending_migrations(SQLITE_MIGRATIONS)
                    .map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>())
                    .map_err(|e| DbError::Migration(e.to_string()))
            })
            .map_err(|e| match e {
                DbError::Query(q) => DbError::Migration(q.to_string()),
                other => other,
            }),
    }
    .map(|versions: Vec<String>| {
        versions
            .iter()
            .map(|v| full_name(v, conn_backend))
            .collect()
    })
}

/// Revert every migration (used by `migrate --down-all` and the up/down test).
pub fn revert_all(conn: &mut DbConn) -> DbResult<Vec<String>> {
    let conn_backend = conn.backend();
    let mig = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    match conn {
        DbConn::Postgres(pg) => pg
            .revert_all_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<String>>())
            .map_err(mig),
        DbConn::Sqlite(lite) => lite
            .revert_all_migrations(SQLITE_MIGRATIONS)
            .map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<String>>())
            .map_err(mig),
    }
    .map(|versions: Vec<String>| {
        versions
            .iter()
            .map(|v| full_name(v, conn_backend))
            .collect()
    })
}

/// `20261124000001` → `2026-11-24-000001_host_schema`.
fn full_name(version: &str, backend: Backend) -> String {
    migration_names(backend)
        .into_iter()
        .find(|n| n.split('_').next().map(|p| p.replace('-', "")) == Some(version.to_string()))
        .unwrap_or_else(|| version.to_string())
}

/// The names of the migrations embedded for a backend, in order.
pub fn migration_names(backend: Backend) -> Vec<String> {
    use diesel::migration::MigrationSource;
    let src = match backend {
        Backend::Postgres => POSTGRES_MIGRATIONS,
        Backend::Sqlite => SQLITE_MIGRATIONS,
    };
    let list: Result<Vec<Box<dyn diesel::migration::Migration<diesel::sqlite::Sqlite>>>, _> =
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(&src);
    list.map(|v| v.iter().map(|m| m.name().to_string()).collect())
        .unwrap_or_default()
}
