//! Set-up shared by the benchmarks that need the module's database: fresh
//! databases on both backends and the module's state over one.

use std::sync::Arc;

use diesel::prelude::*;
use sendcloud_plugin::config::Config;
use sendcloud_plugin::crypto::SecretBox;
use sendcloud_plugin::db::Db;
use sendcloud_plugin::host::ReferenceHost;
use sendcloud_plugin::web::AppState;

fn pg_admin_url() -> String {
    std::env::var("SENDCLOUD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A database to measure on: SQLite in a temp dir, or a fresh PostgreSQL
/// database that is dropped again with the value.
pub struct BenchDb {
    pub label: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut conn) = diesel::PgConnection::establish(&pg_admin_url()) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

/// SQLite, and PostgreSQL when it answers (it says so when it does not).
pub fn databases(tag: &str) -> Vec<BenchDb> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut out = vec![BenchDb {
        label: "SQLite",
        url: format!("sqlite://{}", dir.path().join("bench.sqlite").display()),
        _dir: Some(dir),
        pg_name: None,
    }];
    let admin = pg_admin_url();
    let name = format!("sc_bench_{tag}_{}", std::process::id());
    let created = diesel::PgConnection::establish(&admin)
        .ok()
        .and_then(|mut c| {
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut c)
                .ok()?;
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .ok()
        });
    match (created, url::Url::parse(&admin)) {
        (Some(_), Ok(mut url)) => {
            url.set_path(&name);
            out.push(BenchDb {
                label: "PostgreSQL",
                url: url.to_string(),
                _dir: None,
                pg_name: Some(name),
            });
        }
        _ => println!("PostgreSQL: not reachable at {admin}, skipped"),
    }
    out
}

/// The host token secret of the benchmarks' module (the plugin API's).
pub const HOST_SECRET: &str = "bench-host-secret-of-at-least-32-bytes";

/// The module's state over `db_url` (migrated, demo data loaded), bound to
/// `bind` and talking to the Sendcloud at `api_url`.
pub async fn app_state(db_url: &str, bind: &str, api_url: Option<&str>) -> AppState {
    let (url, bind, api) = (
        db_url.to_string(),
        bind.to_string(),
        api_url.map(str::to_string),
    );
    let config = Config::from_lookup(move |k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "SENDCLOUD_PLUGIN_BIND" => Some(bind.clone()),
        "SENDCLOUD_API_URL" => api.clone(),
        "SENDCLOUD_PLUGIN_KEY" => Some("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=".into()),
        "SENDCLOUD_PLUGIN_HOST_SECRET" => Some(HOST_SECRET.into()),
        _ => None,
    })
    .expect("config");
    let secrets = SecretBox::load(&config.key).expect("key");
    let url = db_url.to_string();
    let db = tokio::task::spawn_blocking(move || {
        let db = Db::open(&url).expect("open database");
        let mut conn = db.conn().expect("connection");
        sendcloud_plugin::host::demo::load_if_empty(&mut conn).expect("demo data");
        db
    })
    .await
    .expect("set-up");
    AppState::new(db, config, secrets, Arc::new(ReferenceHost)).expect("state")
}

/// A memory figure of this process from `/proc/self/status`, in MiB.
fn status_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The process's peak resident memory so far (VmHWM), in MiB.
#[allow(dead_code)]
pub fn peak_rss_mib() -> f64 {
    status_mib("VmHWM:")
}

/// The process's current resident memory (VmRSS), in MiB.
#[allow(dead_code)]
pub fn rss_mib() -> f64 {
    status_mib("VmRSS:")
}

/// Reset the peak resident memory to the current one (Linux: `5` to
/// `/proc/self/clear_refs`), so that the next [`peak_rss_mib`] shows the
/// peak of what runs in between.
#[allow(dead_code)]
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
