//! The binary: start-up errors are one line and a non-zero exit, never a panic.

use std::process::Command;

fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sendcloud-plugin"));
    cmd.args(args)
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env(
            "SENDCLOUD_PLUGIN_KEY_FILE",
            dir.path().join("k").to_str().unwrap(),
        )
        .env("SENDCLOUD_PLUGIN_BIND", "127.0.0.1:0")
        .env("RUST_LOG", "error");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_one_line_error(stderr: &str, needle: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr}");
    assert!(
        lines[0].starts_with("sendcloud-plugin: error: "),
        "{stderr}"
    );
    assert!(lines[0].contains(needle), "{needle} not in {stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn malformed_database_url() {
    let (code, _, err) = run(
        &["serve"],
        &[("DATABASE_URL", "mysql://root@localhost/shop")],
    );
    assert_ne!(code, 0);
    assert_one_line_error(&err, "DATABASE_URL: unsupported database 'mysql'");
}

#[test]
fn unreachable_database() {
    let (code, _, err) = run(
        &["serve"],
        &[("DATABASE_URL", "postgres://app:pw123@127.0.0.1:9/shop")],
    );
    assert_ne!(code, 0);
    assert_one_line_error(
        &err,
        "cannot connect to PostgreSQL at postgres://app:***@127.0.0.1:9/shop",
    );
    assert!(!err.contains("pw123"));
}

#[test]
fn broken_plugin_toml() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plugin.toml");
    std::fs::write(&path, "[plugin]\nid = \"sendcloud\"\nname = 3 4\n").unwrap();
    let (code, _, err) = run(
        &["serve"],
        &[("SENDCLOUD_PLUGIN_MANIFEST", path.to_str().unwrap())],
    );
    assert_ne!(code, 0);
    assert_one_line_error(&err, "plugin.toml (");
    let (code, _, err) = run(
        &["serve"],
        &[("SENDCLOUD_PLUGIN_MANIFEST", "/nonexistent/plugin.toml")],
    );
    assert_ne!(code, 0);
    assert_one_line_error(&err, "cannot read");
}

#[test]
fn bad_encryption_key() {
    let (code, _, err) = run(&["serve"], &[("SENDCLOUD_PLUGIN_KEY", "too-short")]);
    assert_ne!(code, 0);
    assert_one_line_error(&err, "SENDCLOUD_PLUGIN_KEY");
}

#[test]
fn migrate_up_and_down_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.sqlite").display());
    let (code, out, err) = run(&["migrate"], &[("DATABASE_URL", &url)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("applied 2026-11-24-000001_host_schema"),
        "{out}"
    );
    let (code, out, _) = run(&["migrate"], &[("DATABASE_URL", &url)]);
    assert_eq!(code, 0);
    assert!(out.contains("nothing to do"));
    let (code, out, _) = run(&["migrate", "--down-all"], &[("DATABASE_URL", &url)]);
    assert_eq!(code, 0);
    assert!(
        out.contains("reverted 2026-11-24-000002_module_base"),
        "{out}"
    );
}

#[test]
fn a_short_host_secret_stops_the_start() {
    let (code, _, err) = run(
        &["serve"],
        &[(
            "SENDCLOUD_PLUGIN_HOST_SECRET",
            "one-character-is-too-little",
        )],
    );
    assert_ne!(code, 0);
    assert_one_line_error(&err, "at least 32 bytes");
    assert!(!err.contains("one-character-is-too-little"), "{err}");
}

#[test]
fn reset_admin_password_ends_the_open_sessions_of_admin() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("r.sqlite").display());
    let db = sendcloud_plugin::db::Db::open(&url).unwrap();
    let now = chrono::Utc::now().naive_utc();
    let sid = {
        let mut conn = db.conn().unwrap();
        sendcloud_plugin::users::create_user(&mut conn, "admin", "old password", &[], None)
            .unwrap();
        sendcloud_plugin::users::start_session(
            &mut conn,
            "admin",
            sendcloud_plugin::users::SESSION_LOCAL,
            now,
        )
        .unwrap()
    };
    let (code, out, err) = run(&["reset-admin-password"], &[("DATABASE_URL", &url)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("New password for admin: "), "{out}");
    let mut conn = db.conn().unwrap();
    assert!(!sendcloud_plugin::users::session_open(&mut conn, &sid, now).unwrap());
}

/// `sendcloud-plugin sync` against the stand-in, on a database prepared
/// in-process (demo data, the company connected with `secret`).
async fn cli_sync(
    db: &crate::common::TestDb,
    sc: &sendcloud_standin::StandinHandle,
    secret: Option<&str>,
    args: &[&str],
) -> (i32, String, String) {
    let keys = sc.standin().demo_keys().unwrap();
    let secret = secret.unwrap_or(&keys.secret_key).to_string();
    let url = db.url.clone();
    let company = tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        let database = sendcloud_plugin::db::Db::open(&url).unwrap();
        let mut conn = database.conn().unwrap();
        sendcloud_plugin::host::demo::load_if_empty(&mut conn).unwrap();
        let secrets = sendcloud_plugin::crypto::SecretBox::load(
            &sendcloud_plugin::config::KeySource::Inline(crate::common::TEST_KEY.into()),
        )
        .unwrap();
        let company: i64 = sendcloud_plugin::db::schema::companies::table
            .select(sendcloud_plugin::db::schema::companies::id)
            .order(sendcloud_plugin::db::schema::companies::id)
            .first(&mut conn)
            .unwrap();
        sendcloud_plugin::integrations::store_keys(
            &mut conn,
            &secrets,
            company,
            &keys.public_key,
            &secret,
            None,
        )
        .unwrap();
        company
    })
    .await
    .unwrap();
    let company = company.to_string();
    let mut all = vec!["sync", "--company", company.as_str()];
    all.extend_from_slice(args);
    let all: Vec<String> = all.iter().map(|s| s.to_string()).collect();
    let env = [
        ("DATABASE_URL".to_string(), db.url.clone()),
        ("SENDCLOUD_API_URL".to_string(), sc.api_url().to_string()),
        (
            "SENDCLOUD_PLUGIN_KEY".to_string(),
            crate::common::TEST_KEY.to_string(),
        ),
    ];
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = all.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        run(&args, &env)
    })
    .await
    .unwrap()
}

db_async_test!(
    the_sync_command_runs_an_abgleich_and_says_how_it_went,
    |db| {
        let sc = sendcloud_standin::spawn(sendcloud_standin::StandinConfig {
            rate_limits: false,
            ..Default::default()
        })
        .await
        .unwrap();
        let (code, out, err) = cli_sync(
            &db,
            &sc,
            None,
            &["--objects", "sender_addresses,parcels", "--lang", "en"],
        )
        .await;
        assert_eq!(code, 0, "{out}\n{err}");
        assert!(out.contains("Sender addresses: "), "{out}");
        assert!(out.contains("Parcels: "), "{out}");
        assert!(out.contains(" fetched, "), "{out}");
        assert!(!err.contains("panicked"));

        // Unknown object type: refused before anything runs.
        let (code, _, err) = cli_sync(&db, &sc, None, &["--objects", "pallets"]).await;
        assert_ne!(code, 0);
        assert_one_line_error(&err, "unknown object type \"pallets\"");

        // Keys refused: exit code 1 and the reason, in German by default.
        let (code, out, err) = cli_sync(
            &db,
            &sc,
            Some("not-the-secret"),
            &["--objects", "parcels", "--full"],
        )
        .await;
        assert_ne!(code, 0, "{out}");
        assert_one_line_error(&err, "Pakete: Sendcloud hat die API-Schlüssel abgelehnt.");
    }
);
