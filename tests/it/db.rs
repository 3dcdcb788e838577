//! The database layer on both backends: migrations, concurrency at start,
//! exact decimals, the reference host schema and the demo data.

use diesel::prelude::*;
use rust_decimal::Decimal;
use sendcloud_plugin::db::schema::*;
use sendcloud_plugin::db::types::DecValue;
use sendcloud_plugin::db::{self, Db, DbUrl};
use sendcloud_plugin::host::{demo, Host, ReferenceHost, TrackingUpdate};
use std::str::FromStr;

/// Tables the migrations create: 10 of the reference host schema, 36 of the
/// module (incl. its users and their preferences, sessions, webhook refusal
/// counts, shipping options and their manual mapping, returns, invoices,
/// invoice items, notification settings and incidents, labels with their
/// events, settings and stored documents, the plugin API's idempotency keys,
/// the host events hook and outbox, the scheduled order push's marks, the
/// integration log's writes of the last hour and failures not written).
const TABLES: i64 = 46;

fn table_count(conn: &mut db::DbConn) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sql = match conn.backend() {
        db::Backend::Sqlite => {
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '__diesel%' AND name NOT LIKE 'sqlite_%'"
        }
        db::Backend::Postgres => {
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%'"
        }
    };
    diesel::sql_query(sql).get_result::<N>(conn).unwrap().n
}

db_test!(migrations_go_up_down_and_up_again, |t| {
    let url = DbUrl::parse(&t.url).unwrap();
    let mut conn = url.connect().unwrap();
    let applied = db::migrate(&mut conn).unwrap();
    assert_eq!(applied.len(), db::migration_names(t.backend).len());
    assert_eq!(table_count(&mut conn), TABLES);
    assert!(
        db::migrate(&mut conn).unwrap().is_empty(),
        "second run applies nothing"
    );
    let reverted = db::revert_all(&mut conn).unwrap();
    assert_eq!(reverted.len(), applied.len());
    assert_eq!(table_count(&mut conn), 0);
    assert_eq!(db::migrate(&mut conn).unwrap().len(), applied.len());
    assert_eq!(table_count(&mut conn), TABLES);
});

db_test!(two_instances_starting_together_both_migrate_once, |t| {
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let url = t.url.clone();
            std::thread::spawn(move || Db::open(&url).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().expect("every instance starts");
    }
    let db = Db::open(&t.url).unwrap();
    let mut conn = db.conn().unwrap();
    assert_eq!(table_count(&mut conn), TABLES);
    assert!(db::migrate(&mut conn).unwrap().is_empty());
});

db_test!(decimals_are_exact_on_both_backends, |t| {
    let db = Db::open(&t.url).unwrap();
    let mut conn = db.conn().unwrap();
    diesel::insert_into(companies::table)
        .values((
            companies::name.eq("Decimal GmbH"),
            companies::street.eq("Weg"),
            companies::postal_code.eq("1"),
            companies::city.eq("X"),
            companies::country.eq("DE"),
            companies::currency.eq("EUR"),
        ))
        .execute(&mut conn)
        .unwrap();
    let cid: i64 = companies::table
        .select(companies::id)
        .first(&mut conn)
        .unwrap();
    for (sku, weight, price) in [
        ("A", Some("0.001"), "9999999999.99"),
        ("B", None, "0.10"),
        ("C", Some("1234567.125"), "19.99"),
    ] {
        diesel::insert_into(products::table)
            .values((
                products::company_id.eq(cid),
                products::sku.eq(sku),
                products::name.eq(sku),
                products::weight_kg.eq(weight.map(|w| DecValue(Decimal::from_str(w).unwrap()))),
                products::price.eq(DecValue(Decimal::from_str(price).unwrap())),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let rows: Vec<(String, Option<Decimal>, Decimal)> = products::table
        .select((products::sku, products::weight_kg, products::price))
        .order(products::sku)
        .load(&mut conn)
        .unwrap();
    assert_eq!(rows[0].1, Some(Decimal::from_str("0.001").unwrap()));
    assert_eq!(rows[0].2, Decimal::from_str("9999999999.99").unwrap());
    assert_eq!(rows[1].1, None);
    assert_eq!(rows[1].2, Decimal::from_str("0.1").unwrap());
    assert_eq!(rows[2].1, Some(Decimal::from_str("1234567.125").unwrap()));
    // Sums stay exact (no float drift).
    let total: Decimal = rows.iter().map(|r| r.2).sum();
    assert_eq!(total, Decimal::from_str("10000000020.08").unwrap());
});

db_test!(foreign_keys_are_enforced, |t| {
    let db = Db::open(&t.url).unwrap();
    let mut conn = db.conn().unwrap();
    let err = diesel::insert_into(warehouses::table)
        .values((
            warehouses::company_id.eq(4242),
            warehouses::code.eq("X"),
            warehouses::name.eq("X"),
            warehouses::street.eq("X"),
            warehouses::postal_code.eq("1"),
            warehouses::city.eq("X"),
            warehouses::country.eq("DE"),
            warehouses::active.eq(true),
        ))
        .execute(&mut conn);
    assert!(
        err.is_err(),
        "a warehouse of a missing company must be refused"
    );
});

db_test!(demo_data_is_realistic_and_loads_once, |t| {
    let db = Db::open(&t.url).unwrap();
    let mut conn = db.conn().unwrap();
    let summary = demo::load_if_empty(&mut conn).unwrap().expect("loaded");
    assert_eq!(summary.companies, 2);
    assert_eq!(summary.warehouses, 3);
    assert_eq!(summary.customers, 50);
    assert_eq!(summary.products, 30);
    assert_eq!(summary.sales_orders, 200);
    assert!(summary.deliveries > 20, "{summary:?}");
    assert!(
        demo::load_if_empty(&mut conn).unwrap().is_none(),
        "second start loads nothing"
    );

    let host = ReferenceHost;
    let companies = host.companies(&mut conn).unwrap();
    assert_eq!(companies.len(), 2);
    // One warehouse in another country than its company.
    let c1 = companies.iter().find(|c| c.country == "DE").unwrap();
    let wh = host.warehouses(&mut conn, c1.id).unwrap();
    assert!(wh.iter().any(|w| w.country != c1.country));
    // Every order status appears; orders lie within the last 60 days.
    let statuses: Vec<String> = sales_orders::table
        .select(sales_orders::status)
        .distinct()
        .load(&mut conn)
        .unwrap();
    for s in ["draft", "open", "partial", "complete", "cancelled"] {
        assert!(statuses.iter().any(|x| x == s), "no {s} order");
    }
    let oldest: chrono::NaiveDateTime = sales_orders::table
        .select(diesel::dsl::min(sales_orders::order_date))
        .first::<Option<chrono::NaiveDateTime>>(&mut conn)
        .unwrap()
        .unwrap();
    assert!(chrono::Utc::now().naive_utc() - oldest <= chrono::Duration::days(61));
    // Broken addresses for the error log.
    let no_number: i64 = customers::table
        .filter(customers::house_number.is_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(no_number >= 2);
    let unknown_country: i64 = customers::table
        .filter(customers::country.eq("XX"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(unknown_country, 1);
    // Account name equals contact name for some, a contact person for others.
    let pairs: Vec<(String, String, bool)> = customers::table
        .inner_join(contacts::table)
        .select((customers::name, contacts::name, customers::is_company))
        .load(&mut conn)
        .unwrap();
    assert!(pairs.iter().any(|(a, c, _)| a == c));
    assert!(pairs
        .iter()
        .any(|(a, c, company)| *company && a != c && !c.is_empty()));
    assert!(pairs.iter().any(|(_, c, _)| c.is_empty()));
    // Some products carry HS code and origin, some do not.
    let with_hs: i64 = product_attributes::table
        .filter(product_attributes::key.eq_any(["hs_code", "zolltarifnummer"]))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(with_hs > 10 && with_hs < 30);
});

db_test!(tracking_write_touches_only_tracking_fields, |t| {
    let db = Db::open(&t.url).unwrap();
    let mut conn = db.conn().unwrap();
    demo::load_if_empty(&mut conn).unwrap();
    let (id, number, status): (i64, String, String) = deliveries::table
        .select((
            deliveries::id,
            deliveries::delivery_number,
            deliveries::status,
        ))
        .first(&mut conn)
        .unwrap();
    let update = TrackingUpdate {
        tracking_number: Some("3SABCD0123456789".into()),
        tracking_url: Some(
            "https://tracking.sendcloud.sc/forward?carrier=postnl&code=3SABCD0123456789".into(),
        ),
        carrier: Some("postnl".into()),
        shipping_status: Some("Ready to send".into()),
        label_pdf: Some(b"%PDF-1.4 test".to_vec()),
        remarks: None,
    };
    ReferenceHost
        .write_tracking(&mut conn, id, &update)
        .unwrap();
    let row: (Option<String>, Option<Vec<u8>>, String, String) = deliveries::table
        .find(id)
        .select((
            deliveries::tracking_number,
            deliveries::label_pdf,
            deliveries::delivery_number,
            deliveries::status,
        ))
        .first(&mut conn)
        .unwrap();
    assert_eq!(row.0.as_deref(), Some("3SABCD0123456789"));
    assert_eq!(row.1.as_deref(), Some(&b"%PDF-1.4 test"[..]));
    assert_eq!((row.2, row.3), (number, status));
    assert!(ReferenceHost
        .write_tracking(&mut conn, 987654, &update)
        .is_err());
});

#[test]
fn database_urls_are_checked_with_clear_messages() {
    for (url, expect) in [
        ("", "empty"),
        ("mysql://root@localhost/x", "unsupported database 'mysql'"),
        ("postgres://", "no host"),
        ("sqlite://", "names no file"),
    ] {
        let err = DbUrl::parse(url).unwrap_err().to_string();
        assert!(err.contains(expect), "{url}: {err}");
        assert!(!err.contains('\n'));
    }
    assert_eq!(
        DbUrl::parse("data/x.sqlite").unwrap().backend,
        db::Backend::Sqlite
    );
    assert_eq!(
        DbUrl::parse("postgresql://u@h/d").unwrap().backend,
        db::Backend::Postgres
    );
    // Passwords never show.
    let u = DbUrl::parse("postgres://user:hunter2@127.0.0.1:1/x").unwrap();
    assert!(!u.redacted().contains("hunter2"));
    assert!(!format!("{u:?}").contains("hunter2"));
}

#[test]
fn an_unreachable_postgresql_is_a_one_line_error_without_the_password() {
    let err = Db::open("postgres://user:hunter2@127.0.0.1:9/nowhere")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("cannot connect to PostgreSQL"), "{err}");
    assert!(!err.contains("hunter2") && !err.contains('\n'), "{err}");
}

#[test]
fn sqlite_runs_in_wal_mode_with_a_busy_timeout() {
    let t = crate::common::fresh_db(db::Backend::Sqlite).unwrap();
    let db = Db::open(&t.url).unwrap();
    let mut conn = db.conn().unwrap();
    let pragma = |conn: &mut db::DbConn, name: &str| -> String {
        let column = if name == "busy_timeout" {
            "timeout"
        } else {
            name
        };
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(&format!(
            "CAST({column} AS TEXT) FROM pragma_{name}"
        )))
        .get_result(conn)
        .unwrap()
    };
    assert_eq!(pragma(&mut conn, "journal_mode"), "wal");
    assert_eq!(pragma(&mut conn, "busy_timeout"), "10000");
    assert_eq!(pragma(&mut conn, "foreign_keys"), "1");
}

#[test]
fn postgres_sessions_plan_every_execution() {
    // A generic plan cached while a table was empty would stay a sequential
    // scan as the table grows (see `DbUrl::connect`).
    let Some(t) = crate::common::fresh_db(db::Backend::Postgres) else {
        return;
    };
    let db = Db::open(&t.url).unwrap();
    let mut conn = db.conn().unwrap();
    let mode: String = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
        "current_setting('plan_cache_mode')",
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(mode, "force_custom_plan");
}

/// Check out `n` connections at once (so that the pool holds `n`), run a
/// query on each, return them; then end every other session of the test
/// database from a connection of its own, waiting until they are gone.
fn pool_of_terminated_sessions(url: &str, db: &Db, n: usize) {
    let mut held: Vec<_> = (0..n).map(|_| db.conn().unwrap()).collect();
    for conn in &mut held {
        diesel::sql_query("SELECT 1").execute(&mut **conn).unwrap();
    }
    drop(held);
    assert!(terminate_other_sessions(url) >= n);
}

/// End every other session of the test database (from a connection of its
/// own), waiting until they are gone; how many there were.
fn terminate_other_sessions(url: &str) -> usize {
    let mut admin = diesel::PgConnection::establish(url).unwrap();
    #[derive(diesel::QueryableByName)]
    struct Ended {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        ended: bool,
    }
    // The timeout makes pg_terminate_backend wait until the session is gone.
    let ended: Vec<Ended> = diesel::sql_query(
        "SELECT pg_terminate_backend(pid, 10000) AS ended FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .load(&mut admin)
    .unwrap();
    assert!(ended.iter().all(|e| e.ended));
    ended.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_postgres_connections_are_replaced_before_a_query_fails() {
    // After a database restart every pooled connection is dead; a checkout
    // pings a connection that has been silent (here: any) and replaces it.
    let Some(t) = crate::common::fresh_db(db::Backend::Postgres) else {
        return;
    };
    let db = Db::open(&t.url).unwrap();
    db.set_ping_after_idle(std::time::Duration::ZERO);
    pool_of_terminated_sessions(&t.url, &db, 3);
    db.ping().await.expect("the first query after the restart");
    // Every connection handed out is a live one, also several at once.
    let mut held: Vec<_> = (0..3).map(|_| db.conn().unwrap()).collect();
    for conn in &mut held {
        diesel::sql_query("SELECT 1").execute(&mut **conn).unwrap();
    }
}

#[test]
fn a_postgres_connection_that_answered_moments_ago_is_not_pinged() {
    // The hot path: the checkout test (`is_valid`) sends no `SELECT 1` for a
    // connection that answered moments ago (here "moments" is an hour), so a
    // dead one passes unchecked; a failed query makes the next test ping it.
    use diesel::r2d2::ManageConnection;
    let Some(t) = crate::common::fresh_db(db::Backend::Postgres) else {
        return;
    };
    let manager = db::conn::DbManager::new(DbUrl::parse(&t.url).unwrap());
    manager
        .ping_after_idle_ms()
        .store(3_600_000, std::sync::atomic::Ordering::Relaxed);
    let mut conn = manager.connect().unwrap();
    diesel::sql_query("SELECT 1").execute(&mut conn).unwrap();
    terminate_other_sessions(&t.url);
    assert!(manager.is_valid(&mut conn).is_ok(), "no ping");
    assert!(diesel::sql_query("SELECT 1").execute(&mut conn).is_err());
    assert!(
        manager.is_valid(&mut conn).is_err(),
        "pinged after the failure"
    );
    // Without the hour, a connection silent for longer than the threshold is
    // pinged and found dead at once.
    let mut conn = manager.connect().unwrap();
    terminate_other_sessions(&t.url);
    manager
        .ping_after_idle_ms()
        .store(0, std::sync::atomic::Ordering::Relaxed);
    assert!(manager.is_valid(&mut conn).is_err());
}
