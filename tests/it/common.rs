//! Test helpers: fresh databases on both backends, the whole module started on
//! a random port, HTTP clients with a cookie jar; a company connected to a
//! Sendcloud stand-in and the host deliveries its labels are made for.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use diesel::prelude::*;
use diesel::{Connection, RunQueryDsl};
use sendcloud_plugin::config::Config;
use sendcloud_plugin::crypto::SecretBox;
use sendcloud_plugin::db::{Backend, Db, DbConn};
use sendcloud_plugin::host::ReferenceHost;
use sendcloud_plugin::labels;
use sendcloud_plugin::sync::SyncObject;
use sendcloud_plugin::web::AppState;
use sendcloud_standin::{self as standin, StandinConfig, StandinHandle};

pub const PG_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";

fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1" || v == "true")
}

/// A database for one test, removed afterwards.
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut c) = diesel::PgConnection::establish(&pg_admin_url()) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c);
            }
        }
    }
}

pub fn pg_admin_url() -> String {
    std::env::var("SENDCLOUD_TEST_POSTGRES_URL").unwrap_or_else(|_| PG_DEFAULT.to_string())
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty database. `None` (after saying SKIPPED) when PostgreSQL is
/// unreachable and not required.
pub fn fresh_db(backend: Backend) -> Option<TestDb> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
            Some(TestDb {
                url,
                backend,
                _dir: Some(dir),
                pg_name: None,
            })
        }
        Backend::Postgres => {
            let admin = pg_admin_url();
            let mut conn = match diesel::PgConnection::establish(&admin) {
                Ok(c) => c,
                Err(e) => {
                    if required("SENDCLOUD_TEST_REQUIRE_POSTGRES") {
                        panic!("PostgreSQL is required but unreachable at {admin}: {e}");
                    }
                    eprintln!("SKIPPED (PostgreSQL unreachable at {admin}): {e}");
                    return None;
                }
            };
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let name = format!("sc_test_{}_{}_{}", std::process::id(), n, rand_suffix());
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .expect("create test database");
            let mut url = url::Url::parse(&admin).expect("postgres url");
            url.set_path(&name);
            Some(TestDb {
                url: url.to_string(),
                backend,
                _dir: None,
                pg_name: Some(name),
            })
        }
    }
}

fn rand_suffix() -> String {
    sendcloud_plugin::crypto::random_token()
        .chars()
        .filter(|c| c.is_ascii_lowercase())
        .take(6)
        .collect()
}

/// Run a small HTTP double (an `HttpServer` not yet bound) on a free
/// loopback port with one worker; its address and handle.
macro_rules! serve_double {
    ($server:expr) => {{
        let server = $server
            .workers(1)
            .disable_signals()
            .bind("127.0.0.1:0")
            .expect("bind a test double");
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        (addr, handle)
    }};
}

/// Two tests from one body: `<name>::sqlite` and `<name>::postgres`.
macro_rules! db_test {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn sqlite() {
                let $db = $crate::common::fresh_db(sendcloud_plugin::db::Backend::Sqlite).unwrap();
                $body
            }
            #[test]
            fn postgres() {
                let Some($db) = $crate::common::fresh_db(sendcloud_plugin::db::Backend::Postgres)
                else {
                    return;
                };
                $body
            }
        }
    };
}

/// The async flavour of `db_test!`.
macro_rules! db_async_test {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $db = $crate::common::fresh_db(sendcloud_plugin::db::Backend::Sqlite).unwrap();
                $body
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($db) = $crate::common::fresh_db(sendcloud_plugin::db::Backend::Postgres)
                else {
                    return;
                };
                $body
            }
        }
    };
}

/// Everything the process logged (tracing and `log`), for tests that make
/// sure secrets never reach the logs. Installed once per test binary.
pub fn captured_logs() -> String {
    let buf = log_buffer();
    let bytes = buf.lock().map(|b| b.clone()).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn log_buffer() -> &'static std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    static BUF: std::sync::OnceLock<std::sync::Arc<std::sync::Mutex<Vec<u8>>>> =
        std::sync::OnceLock::new();
    BUF.get_or_init(|| {
        let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let writer = buf.clone();
        let _ = tracing_subscriber::fmt()
            .with_env_filter("debug,hyper=info,h2=info,rustls=info,actix_server=info,mio=info")
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .try_init();
        buf
    })
}

struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(data);
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// At least 32 bytes: shorter host secrets are refused at start-up.
pub const HOST_SECRET: &str = "test-host-secret-of-at-least-32-bytes";
/// The master key of every test app (base64 of 32 bytes).
pub const TEST_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
pub const ADMIN_PASSWORD: &str = "correct horse battery";

/// The whole module on a random port against a fresh database with the demo
/// data and a user `admin` / `ADMIN_PASSWORD`.
pub struct TestApp {
    /// e.g. `http://127.0.0.1:PORT`
    pub origin: String,
    /// e.g. `http://127.0.0.1:PORT/sendcloud`
    pub base: String,
    pub state: AppState,
    /// Kept so the database lives as long as the app (dropped after it).
    _db: TestDb,
}

pub fn test_config(db_url: &str, bind: &str, api_url: Option<&str>) -> Config {
    let db_url = db_url.to_string();
    let bind = bind.to_string();
    let api_url = api_url.map(str::to_string);
    Config::from_lookup(move |k| match k {
        "DATABASE_URL" => Some(db_url.clone()),
        "SENDCLOUD_PLUGIN_BIND" => Some(bind.clone()),
        "SENDCLOUD_API_URL" => api_url.clone(),
        "SENDCLOUD_PLUGIN_KEY" => Some(TEST_KEY.into()),
        "SENDCLOUD_PLUGIN_HOST_SECRET" => Some(HOST_SECRET.into()),
        _ => None,
    })
    .expect("test config")
}

impl TestApp {
    pub async fn spawn(db: TestDb) -> TestApp {
        Self::spawn_with(db, None).await
    }

    /// The module talking to the Sendcloud at `api_url` (e.g. a stand-in).
    pub async fn spawn_with(db: TestDb, api_url: Option<&str>) -> TestApp {
        log_buffer();
        // Test passwords need no protection: cheap argon2 parameters (the
        // production ones are checked by a unit test of `users`).
        sendcloud_plugin::users::use_cheap_password_hashing();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let config = test_config(&db.url, &addr.to_string(), api_url);
        let secrets = SecretBox::load(&config.key).expect("key");
        let url = db.url.clone();
        let database = tokio::task::spawn_blocking(move || {
            let database = Db::open(&url).expect("open db");
            let mut conn = database.conn().expect("conn");
            sendcloud_plugin::host::demo::load_if_empty(&mut conn).expect("demo data");
            sendcloud_plugin::users::create_user(
                &mut conn,
                "admin",
                ADMIN_PASSWORD,
                sendcloud_plugin::users::ALL_PERMISSIONS,
                None,
            )
            .expect("admin user");
            database
        })
        .await
        .expect("setup");
        let state =
            AppState::new(database, config, secrets, Arc::new(ReferenceHost)).expect("state");
        let server = sendcloud_plugin::web::serve(state.clone(), listener)
            .await
            .expect("server");
        tokio::spawn(server);
        let origin = format!("http://{addr}");
        TestApp {
            base: format!("{origin}{}", state.config.mount_path()),
            origin,
            state,
            _db: db,
        }
    }

    /// Store the same Sendcloud keys (and integration id) for every company,
    /// so that whichever company a page selects is connected.
    pub async fn connect_all(&self, public_key: &str, secret_key: &str, integration: Option<i64>) {
        let secrets = self.state.secrets.clone();
        let (pk, sk) = (public_key.to_string(), secret_key.to_string());
        self.state
            .db
            .run(move |c| {
                use diesel::QueryDsl;
                let companies: Vec<i64> = sendcloud_plugin::db::schema::companies::table
                    .select(sendcloud_plugin::db::schema::companies::id)
                    .load(c)?;
                for company in companies {
                    sendcloud_plugin::integrations::store_keys(
                        c,
                        &secrets,
                        company,
                        &pk,
                        &sk,
                        integration,
                    )?;
                }
                Ok(())
            })
            .await
            .unwrap();
    }

    /// An HTTP client with its own cookie jar that does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Run every due job now (instead of waiting for a worker).
    pub async fn run_jobs(&self) -> usize {
        sendcloud_plugin::worker::Runner::new(self.state.ctx())
            .run_pending()
            .await
            .expect("jobs")
    }

    /// The text of the page at `path` (GET with the client's cookies).
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The CSRF token in a page's forms.
    pub fn csrf_of(html: &str) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = html.find(marker).expect("page has a CSRF field") + marker.len();
        html[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// Log `client` in as `user`; panics unless the login succeeds.
    pub async fn login(&self, client: &reqwest::Client, user: &str, password: &str) {
        let page = self.page(client, "/login").await;
        let csrf = Self::csrf_of(&page);
        let res = client
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("username", user),
                ("password", password),
                ("next", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.ends_with("/admin/config"),
            "login failed, went to {location}"
        );
    }

    /// A client logged in as the standalone admin with `company` selected
    /// in its session (as the company switcher does), and `path` as that
    /// client then sees it.
    pub async fn admin_on(&self, company: i64, path: &str) -> (reqwest::Client, String) {
        let client = self.client();
        self.login(&client, "admin", ADMIN_PASSWORD).await;
        let page = self.page(&client, path).await;
        let res = client
            .post(self.url("/admin/company"))
            .form(&[
                ("csrf_token", Self::csrf_of(&page)),
                ("company_id", company.to_string()),
                ("next", format!("{}{path}", self.state.config.mount_path())),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "company {company} selected");
        let page = self.page(&client, path).await;
        (client, page)
    }

    /// A host token with the given permissions and companies.
    pub fn host_token(&self, permissions: &[&str], companies: Option<Vec<i64>>) -> String {
        sendcloud_plugin::users::make_host_token(
            HOST_SECRET,
            &sendcloud_plugin::users::HostClaims {
                sub: "host-user-7".into(),
                name: Some("Host User".into()),
                permissions: permissions.iter().map(|p| p.to_string()).collect(),
                companies,
                exp: chrono::Utc::now().timestamp() + 600,
            },
        )
    }
}

// A connected company and its deliveries: the fixtures of the label, API
// and host-event tests.

/// A delivery to make for the test.
#[derive(Clone)]
pub struct Spec {
    pub country: &'static str,
    pub postal_code: &'static str,
    pub house_number: Option<&'static str>,
    pub email: Option<&'static str>,
    pub phone: Option<&'static str>,
    pub method: &'static str,
    pub quantity: &'static str,
    pub unit_price: &'static str,
    pub weight_kg: Option<&'static str>,
    pub hs_code: Option<&'static str>,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            country: "DE",
            postal_code: "10115",
            house_number: Some("12"),
            email: Some("kunde@example.com"),
            phone: Some("+49301234567"),
            method: "1301",
            quantity: "2",
            unit_price: "19.90",
            weight_kg: Some("1.250"),
            hs_code: None,
        }
    }
}
impl Spec {
    /// The default delivery whose customer has no house number (a label
    /// that fails its checks before Sendcloud is called).
    pub fn no_house_number() -> Spec {
        Spec {
            house_number: None,
            ..Spec::default()
        }
    }

    /// A delivery to Zurich by UPS whose product has its HS code: outside
    /// the EU customs area, with customs information.
    pub fn swiss() -> Spec {
        Spec {
            country: "CH",
            postal_code: "8001",
            method: "1601",
            hs_code: Some("691110"),
            ..Spec::default()
        }
    }
}

fn q(s: Option<&str>) -> String {
    s.map_or("NULL".into(), |s| format!("'{s}'"))
}

fn last_id(c: &mut DbConn, table: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT max(id) AS n FROM {table}"))
        .get_result::<N>(c)
        .unwrap()
        .n
}

/// Insert a customer, product, order, delivery (done) and their lines for
/// the company; the delivery's id.
pub fn make_delivery(c: &mut DbConn, company: i64, spec: &Spec) -> i64 {
    let n = number_suffix();
    let warehouse: i64 = sendcloud_plugin::db::schema::warehouses::table
        .filter(sendcloud_plugin::db::schema::warehouses::company_id.eq(company))
        .select(sendcloud_plugin::db::schema::warehouses::id)
        .order(sendcloud_plugin::db::schema::warehouses::id)
        .first(c)
        .unwrap();
    let exec = |c: &mut DbConn, sql: String| {
        diesel::sql_query(sql).execute(c).unwrap();
    };
    exec(c, format!(
        "INSERT INTO customers (company_id, account_number, name, is_company, email, phone, street, house_number, postal_code, city, country) \
         VALUES ({company}, 'T{n}', 'Erika Muster', false, {}, {}, 'Hauptstraße', {}, '{}', 'Stadt', '{}')",
        q(spec.email), q(spec.phone), q(spec.house_number), spec.postal_code, spec.country));
    let customer = last_id(c, "customers");
    exec(c, format!(
        "INSERT INTO products (company_id, sku, name, weight_kg, price) VALUES ({company}, 'SKU-{n}', 'Teekanne', {}, '{}')",
        q(spec.weight_kg), spec.unit_price));
    let product = last_id(c, "products");
    if let Some(hs) = spec.hs_code {
        exec(c, format!(
            "INSERT INTO product_attributes (product_id, key, value) VALUES ({product}, 'hs_code', '{hs}')"));
        exec(c, format!(
            "INSERT INTO product_attributes (product_id, key, value) VALUES ({product}, 'origin_country', 'DE')"));
    }
    exec(c, format!(
        "INSERT INTO sales_orders (company_id, order_number, order_date, customer_id, status, approved, payment_status, currency, total_amount, shipping_method_ref, updated_at) \
         VALUES ({company}, 'AU-{n}', '2026-12-01 10:00:00', {customer}, 'open', true, 'paid', 'EUR', '39.80', '{}', '2026-12-01 10:00:00')",
        spec.method));
    let order = last_id(c, "sales_orders");
    exec(c, format!(
        "INSERT INTO sales_order_lines (order_id, line_no, product_id, description, quantity, unit_price) VALUES ({order}, 1, {product}, 'Teekanne weiß', '{}', '{}')",
        spec.quantity, spec.unit_price));
    let line = last_id(c, "sales_order_lines");
    exec(c, format!(
        "INSERT INTO deliveries (company_id, delivery_number, order_id, warehouse_id, created_at, status, updated_at) \
         VALUES ({company}, 'LS-{n}', {order}, {warehouse}, '2026-12-02 09:00:00', 'done', '2026-12-02 09:00:00')"));
    let delivery = last_id(c, "deliveries");
    exec(c, format!(
        "INSERT INTO delivery_lines (delivery_id, order_line_id, product_id, quantity) VALUES ({delivery}, {line}, {product}, '{}')",
        spec.quantity));
    delivery
}

/// Digits that keep a test's order and delivery numbers apart.
fn number_suffix() -> String {
    use std::sync::atomic::AtomicU64;
    static N: AtomicU64 = AtomicU64::new(1);
    format!(
        "{}{}",
        std::process::id() % 1000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Store the stand-in's demo keys (and `integration_id`, if given) for the
/// first company by id; its id.
pub async fn connect_first_company(
    app: &TestApp,
    sc: &StandinHandle,
    integration_id: Option<i64>,
) -> i64 {
    let keys = sc.standin().demo_keys().unwrap();
    let secrets = app.state.secrets.clone();
    app.state
        .db
        .run(move |c| {
            let company: i64 = sendcloud_plugin::db::schema::companies::table
                .select(sendcloud_plugin::db::schema::companies::id)
                .order(sendcloud_plugin::db::schema::companies::id)
                .first(c)?;
            sendcloud_plugin::integrations::store_keys(
                c,
                &secrets,
                company,
                &keys.public_key,
                &keys.secret_key,
                integration_id,
            )?;
            Ok(company)
        })
        .await
        .unwrap()
}

/// A stand-in, the app connected for its first company, sender addresses
/// and shipping methods synced. (app, stand-in, company)
pub async fn setup(db: TestDb) -> (TestApp, StandinHandle, i64) {
    let sc = standin::spawn(StandinConfig {
        rate_limits: false,
        ..Default::default()
    })
    .await
    .expect("stand-in");
    let app = TestApp::spawn_with(db, Some(&sc.api_url())).await;
    let integration = sc.standin().demo_keys().unwrap().integration_id as i64;
    let company = connect_first_company(&app, &sc, Some(integration)).await;
    app.state
        .db
        .run(move |c| {
            sendcloud_plugin::integrations::enqueue_sync(
                c,
                company,
                "test",
                &[SyncObject::SenderAddresses, SyncObject::ShippingMethods],
            )
        })
        .await
        .unwrap();
    app.run_jobs().await;
    (app, sc, company)
}

pub async fn delivery(app: &TestApp, company: i64, spec: Spec) -> i64 {
    app.state
        .db
        .run(move |c| Ok(make_delivery(c, company, &spec)))
        .await
        .unwrap()
}

pub async fn label(app: &TestApp, company: i64, delivery: i64) -> labels::Label {
    app.state
        .db
        .run(move |c| labels::label_of(c, company, delivery))
        .await
        .unwrap()
        .expect("label row")
}

/// Make a delivery's label now (no job), as the worker does.
pub async fn create_label(app: &TestApp, company: i64, delivery: i64) -> labels::CreateOutcome {
    labels::create_label(&app.state.ctx(), company, delivery)
        .await
        .expect("create")
}

/// Change a company's settings as an admin saving the page would.
pub async fn change_settings(
    app: &TestApp,
    company: i64,
    change: impl FnOnce(&mut sendcloud_plugin::settings::CompanySettings) + Send + 'static,
) {
    let manifest = app.state.config.manifest.clone();
    app.state
        .db
        .run(move |c| {
            let mut s = sendcloud_plugin::settings::load(c, company, &manifest)?;
            change(&mut s);
            sendcloud_plugin::settings::save(c, company, &s, "admin", &manifest)
        })
        .await
        .unwrap();
}

/// Ask for these deliveries' labels as `trigger` (`button`, `retry`, …)
/// does: queued as jobs, not yet run.
pub async fn request_labels(
    app: &TestApp,
    company: i64,
    ids: &[i64],
    trigger: &'static str,
) -> labels::RequestSummary {
    let ids = ids.to_vec();
    app.state
        .db
        .run(move |c| labels::request_labels(c, &ReferenceHost, company, &ids, trigger))
        .await
        .unwrap()
}

/// [`setup`] and one default delivery whose label is made (and checked to
/// be). (app, stand-in, company, delivery)
pub async fn labelled_delivery(db: TestDb) -> (TestApp, StandinHandle, i64, i64) {
    let (app, sc, company) = setup(db).await;
    let id = delivery(&app, company, Spec::default()).await;
    let out = create_label(&app, company, id).await;
    assert!(
        matches!(out, labels::CreateOutcome::Created { .. }),
        "{out:?}"
    );
    (app, sc, company, id)
}
