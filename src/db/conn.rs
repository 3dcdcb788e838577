//! The one connection type over SQLite and PostgreSQL, and the r2d2 manager
//! that opens the right one for a `DATABASE_URL`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::r2d2::R2D2Connection;
use diesel::Connection;
use diesel::RunQueryDsl;

use super::DbError;

/// A connection to either backend. Queries written against `crate::db::schema`
/// run on both; match on the variant for backend-specific SQL.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Postgres(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// A transaction that writes: use it instead of `transaction` whenever
    /// the closure changes something. On SQLite it begins with
    /// `BEGIN IMMEDIATE`, taking the write lock up front and waiting for it
    /// on the busy timeout. (A deferred transaction that reads first and
    /// writes later fails at once with SQLITE_BUSY when another connection
    /// wrote in between: the busy handler does not cover that upgrade. The
    /// webhook benchmark lost a quarter of concurrent deliveries to it.)
    /// On PostgreSQL, and inside an open transaction (a savepoint), it is
    /// an ordinary `transaction`.
    pub fn write_transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let DbConn::Sqlite(lite) = self else {
            return self.transaction(f);
        };
        if AnsiTransactionManager::transaction_manager_status_mut(lite)
            .transaction_depth()?
            .is_some()
        {
            return self.transaction(f);
        }
        // Writers of this process queue here instead of in SQLite's busy
        // handler, which polls with sleeps of up to 100 ms: with 8 concurrent
        // webhook deliveries those sleeps were the p99 (21–34 ms). Other
        // processes on the same file still meet the busy timeout.
        let _queued = WriterTurn::take();
        AnsiTransactionManager::begin_transaction_sql(lite, "BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(value) => {
                <DbConn as Connection>::TransactionManager::commit_transaction(self)?;
                Ok(value)
            }
            Err(e) => {
                <DbConn as Connection>::TransactionManager::rollback_transaction(self)?;
                Err(e)
            }
        }
    }
}

/// The process's turn to write to SQLite (one write transaction at a time,
/// in arrival order as far as the OS mutex gives it). Held by the thread for
/// the outermost write transaction; a thread that already holds it (a write
/// transaction that opens another connection) does not wait for itself.
struct WriterTurn(Option<std::sync::MutexGuard<'static, ()>>);

static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    static HOLDS_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl WriterTurn {
    fn take() -> WriterTurn {
        if HOLDS_WRITER.with(|h| h.get()) {
            return WriterTurn(None);
        }
        // A writer that panicked left no state behind the lock to distrust.
        let guard = SQLITE_WRITER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        HOLDS_WRITER.with(|h| h.set(true));
        WriterTurn(Some(guard))
    }
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        if self.0.is_some() {
            HOLDS_WRITER.with(|h| h.set(false));
        }
    }
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

/// A parsed `DATABASE_URL`: the backend and what to hand to its driver.
#[derive(Clone)]
pub struct DbUrl {
    pub backend: Backend,
    /// For PostgreSQL the URL itself; for SQLite the file path.
    target: String,
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DbUrl({}, {})", self.backend, self.redacted())
    }
}

impl DbUrl {
    /// `postgres://…`/`postgresql://…` → PostgreSQL; `sqlite://PATH`,
    /// `sqlite:PATH` or a plain file path → SQLite. Anything else is an error
    /// naming the problem.
    pub fn parse(url: &str) -> Result<Self, DbError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(DbError::Config("DATABASE_URL is empty".into()));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let parsed = url::Url::parse(url).map_err(|e| {
                DbError::Config(format!("DATABASE_URL is not a valid PostgreSQL URL: {e}"))
            })?;
            if parsed.host_str().is_none_or(str::is_empty) {
                return Err(DbError::Config(
                    "DATABASE_URL: the PostgreSQL URL names no host".into(),
                ));
            }
            return Ok(DbUrl {
                backend: Backend::Postgres,
                target: url.to_string(),
            });
        }
        let path = if let Some(rest) = url.strip_prefix("sqlite://") {
            rest
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            rest
        } else if let Some((scheme, _)) = url.split_once("://") {
            return Err(DbError::Config(format!(
                "DATABASE_URL: unsupported database '{scheme}' (use sqlite://FILE or postgres://USER@HOST/DB)"
            )));
        } else {
            url
        };
        if path.is_empty() {
            return Err(DbError::Config(
                "DATABASE_URL: the SQLite URL names no file".into(),
            ));
        }
        Ok(DbUrl {
            backend: Backend::Sqlite,
            target: path.to_string(),
        })
    }

    /// The URL with any password replaced, safe to print.
    pub fn redacted(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://{}", self.target),
            Backend::Postgres => match url::Url::parse(&self.target) {
                Ok(mut u) => {
                    if u.password().is_some() {
                        let _ = u.set_password(Some("***"));
                    }
                    u.to_string()
                }
                Err(_) => "postgres://…".into(),
            },
        }
    }

    /// The SQLite file, if this is SQLite.
    pub fn sqlite_path(&self) -> Option<&str> {
        (self.backend == Backend::Sqlite).then_some(self.target.as_str())
    }

    /// Open one connection, configured for the module (SQLite: WAL, a busy
    /// timeout, enforced foreign keys; PostgreSQL: a plan per execution).
    pub fn connect(&self) -> Result<DbConn, DbError> {
        match self.backend {
            Backend::Postgres => {
                let mut conn = diesel::PgConnection::establish(&self.target).map_err(|e| {
                    DbError::Connect(format!(
                        "cannot connect to PostgreSQL at {}: {}",
                        self.redacted(),
                        first_line(&e.to_string())
                    ))
                })?;
                // diesel prepares its statements once per connection; after five
                // runs PostgreSQL may keep a generic plan made while a table was
                // still empty (a sequential scan) for good. The module's tables
                // start empty and grow (parcels: the parcel benchmark slowed from
                // 19,000 to 3,700 parcels/s between 5,000 and 100,000 parcels on
                // such a plan), so every execution gets its own plan.
                conn.batch_execute("SET plan_cache_mode = force_custom_plan")
                    .map_err(|e| {
                        DbError::Connect(format!(
                            "cannot configure the PostgreSQL session at {}: {e}",
                            self.redacted()
                        ))
                    })?;
                Ok(DbConn::Postgres(conn))
            }
            Backend::Sqlite => {
                if let Some(dir) = std::path::Path::new(&self.target).parent() {
                    if !dir.as_os_str().is_empty() && !dir.exists() {
                        std::fs::create_dir_all(dir).map_err(|e| {
                            DbError::Connect(format!(
                                "cannot create the directory {} for the SQLite database: {e}",
                                dir.display()
                            ))
                        })?;
                    }
                }
                let mut conn = diesel::SqliteConnection::establish(&self.target).map_err(|e| {
                    DbError::Connect(format!(
                        "cannot open SQLite database {}: {}",
                        self.target,
                        first_line(&e.to_string())
                    ))
                })?;
                let fail = |e: diesel::result::Error| {
                    DbError::Connect(format!(
                        "cannot configure SQLite database {}: {e}",
                        self.target
                    ))
                };
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(fail)?;
                // Switching to WAL needs a moment without other writers (another
                // instance may be migrating this very file); it is persistent,
                // so it is skipped once done and retried briefly while busy.
                let mut attempt = 0;
                loop {
                    let mode: String = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
                        "journal_mode FROM pragma_journal_mode",
                    ))
                    .get_result(&mut conn)
                    .unwrap_or_default();
                    if mode.eq_ignore_ascii_case("wal") {
                        break;
                    }
                    match conn.batch_execute("PRAGMA journal_mode = WAL;") {
                        Ok(()) => break,
                        Err(e) if attempt < 100 && e.to_string().contains("locked") => {
                            attempt += 1;
                            std::thread::sleep(std::time::Duration::from_millis(50));
                        }
                        Err(e) => return Err(fail(e)),
                    }
                }
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().trim().to_string()
}

/// r2d2 manager opening connections for one `DbUrl`.
///
/// The pool tests a connection on checkout (`is_valid`), but pings only a
/// PostgreSQL connection that has not answered for longer than
/// `ping_after_idle`: one that ran a query moments ago is handed out
/// unchecked, so the busy hot path keeps its round trips while a connection
/// that sat idle across a database restart is found dead and replaced
/// instead of failing its caller's first query. SQLite connections (a local
/// file) are never pinged.
pub struct DbManager {
    url: DbUrl,
    ping_after_idle_ms: Arc<AtomicU64>,
}

/// How long a PostgreSQL connection may have been silent before a checkout
/// pings it.
pub const PING_AFTER_IDLE: Duration = Duration::from_secs(2);

impl DbManager {
    pub fn new(url: DbUrl) -> Self {
        DbManager {
            url,
            ping_after_idle_ms: Arc::new(AtomicU64::new(PING_AFTER_IDLE.as_millis() as u64)),
        }
    }

    /// A handle that changes the idle time after which a checkout pings
    /// (in milliseconds; the manager itself is owned by the pool).
    pub fn ping_after_idle_ms(&self) -> Arc<AtomicU64> {
        self.ping_after_idle_ms.clone()
    }

    fn ping_after_idle(&self) -> Duration {
        Duration::from_millis(self.ping_after_idle_ms.load(Ordering::Relaxed))
    }
}

/// When a PostgreSQL connection last answered: set on connect and by every
/// query that finished without an error, cleared by one that failed (the
/// connection may be dead, so its next checkout pings). Kept in the
/// connection itself as its diesel instrumentation, where `is_valid` finds it.
struct LastAnswer(Option<Instant>);

impl Instrumentation for LastAnswer {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery { error, .. } = event {
            self.0 = error.is_none().then(Instant::now);
        }
    }
}

impl r2d2::ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = DbError;

    fn connect(&self) -> Result<DbConn, DbError> {
        let mut conn = self.url.connect()?;
        if let DbConn::Postgres(pg) = &mut conn {
            pg.set_instrumentation(LastAnswer(Some(Instant::now())));
        }
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), DbError> {
        let DbConn::Postgres(pg) = conn else {
            return Ok(());
        };
        let answered = pg
            .instrumentation()
            .downcast_ref::<LastAnswer>()
            .and_then(|last| last.0);
        match answered {
            Some(at) if at.elapsed() < self.ping_after_idle() => Ok(()),
            _ => conn.ping().map_err(DbError::Query),
        }
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

// The `MultiBackend` generated above learns the decimal column type here
// (the derive only knows diesel's built-in types).
mod dec_support {
    use super::MultiBackend;
    use crate::db::types::{Dec, DecValue, OptDecValue};
    use diesel::backend::Backend;
    use diesel::deserialize::{self, FromSql};
    use diesel::serialize::{self, IsNull, Output, ToSql};
    use diesel::sql_types::HasSqlType;
    use rust_decimal::Decimal;

    impl HasSqlType<Dec> for MultiBackend {
        fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
            MultiBackend::lookup_sql_type::<Dec>(lookup)
        }
    }

    impl FromSql<Dec, MultiBackend> for Decimal {
        fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            bytes.from_sql::<Decimal, Dec>()
        }
    }

    impl ToSql<diesel::sql_types::Nullable<Dec>, MultiBackend> for OptDecValue {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
            match &self.0 {
                Some(v) => {
                    out.set_value((Dec, v));
                    Ok(IsNull::No)
                }
                None => Ok(IsNull::Yes),
            }
        }
    }

    impl ToSql<Dec, MultiBackend> for DecValue {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
            out.set_value((Dec, self));
            Ok(IsNull::No)
        }
    }
}
