//! The admin UI in a real headless Chromium, driven over WebDriver
//! (chromedriver + fantoccini), against the whole module on a random port
//! and a fresh database.
//!
//! Without chromium/chromedriver the tests say SKIPPED and return, unless
//! `SENDCLOUD_TEST_REQUIRE_BROWSER=1` (set by `.ci/run`), which makes them fail.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use sendcloud_plugin::db::Backend;

use crate::common::{fresh_db, TestApp, ADMIN_PASSWORD};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

pub(crate) struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn required() -> bool {
    std::env::var("SENDCLOUD_TEST_REQUIRE_BROWSER").is_ok_and(|v| v == "1" || v == "true")
}

pub(crate) fn start_driver() -> Option<Driver> {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        if required() {
            panic!("browser tests required but {CHROMEDRIVER} or {CHROMIUM} is missing");
        }
        eprintln!(
            "SKIPPED (no {CHROMEDRIVER} / {CHROMIUM}; apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    Some(Driver {
        child,
        port,
        _profile: tempfile::tempdir().expect("profile dir"),
    })
}

pub(crate) async fn connect(driver: &Driver) -> Client {
    connect_with(driver, serde_json::json!({})).await
}

/// A session with Chromium preferences (`prefs` of chromeOptions), e.g.
/// JavaScript switched off.
pub(crate) async fn connect_with(driver: &Driver, prefs: serde_json::Value) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "prefs": prefs,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=de-DE", "--window-size=1280,900",
                format!("--user-data-dir={}", driver._profile.path().display()),
            ]
        }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    // chromedriver needs a moment to listen; retry the session for up to 10 s.
    let mut last = None;
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return c,
            Err(e) => {
                last = Some(e);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    panic!("cannot start a WebDriver session: {last:?}");
}

pub(crate) async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .text()
        .await
        .unwrap()
}

/// Save a screenshot when `SENDCLOUD_TEST_SCREENSHOTS` names a folder (for
/// looking at the UI; tests never depend on it).
pub(crate) async fn screenshot(c: &Client, name: &str) {
    if let Ok(dir) = std::env::var("SENDCLOUD_TEST_SCREENSHOTS") {
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png);
        }
    }
}

pub(crate) async fn login(c: &Client, app: &TestApp) {
    c.goto(&app.url("/admin/config")).await.unwrap();
    // Unauthenticated: we land on the login page.
    assert!(c.current_url().await.unwrap().as_str().contains("/login"));
    c.find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys("admin")
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(ADMIN_PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Id("login-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Id("menu")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_walk_the_menu_and_switch_the_language() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn(fresh_db(Backend::Sqlite).unwrap()).await;
    let c = connect(&driver).await;
    let result = async {
        login(&c, &app).await;
        assert!(c
            .current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with("/sendcloud/admin/config"));
        // German by default.
        let menu = text_of(&c, "#menu").await;
        assert!(
            menu.contains("Konfiguration") && menu.contains("Berichte") && menu.contains("Lager"),
            "{menu}"
        );
        assert_eq!(text_of(&c, "#integration-state").await, "Nicht verbunden");
        screenshot(&c, "config-not-connected-de").await;
        let buttons = text_of(&c, "#buttonbar").await;
        for b in [
            "Setup",
            "Abgleich",
            "Lager konfigurieren",
            "Bestellungen abgleichen",
        ] {
            assert!(buttons.contains(b), "{buttons}");
        }
        // Walk the menu: Berichte → Lager → Sendcloud and its tabs.
        c.find(Locator::Id("nav-reports"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert!(text_of(&c, "h1").await.starts_with("Sendcloud-Berichte"));
        for tab in [
            "Pakete",
            "Retouren",
            "Rechnungen",
            "Brands",
            "Aktions-Logging",
        ] {
            c.find(Locator::LinkText(tab))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            let active = text_of(&c, "#report-tabs a.active").await;
            assert_eq!(active, tab);
        }
        c.find(Locator::Id("nav-config"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert!(text_of(&c, "h1").await.starts_with("Sendcloud-Integration"));
        // Switch the company.
        let select = c.find(Locator::Id("company-select")).await.unwrap();
        select
            .select_by_label("Nordlicht Outdoor GmbH")
            .await
            .unwrap();
        c.wait().for_element(Locator::Css(".flash")).await.unwrap();
        assert!(text_of(&c, "h1").await.contains("Nordlicht Outdoor GmbH"));
        assert!(text_of(&c, "#warehouses")
            .await
            .contains("Außenlager Salzburg"));
        // Switch the language to English: the shell follows.
        let select = c.find(Locator::Id("language-select")).await.unwrap();
        select.select_by_value("en").await.unwrap();
        c.wait().for_element(Locator::Css(".flash")).await.unwrap();
        let menu = text_of(&c, "#menu").await;
        assert!(
            menu.contains("Configuration")
                && menu.contains("Reports")
                && menu.contains("Warehouse"),
            "{menu}"
        );
        assert_eq!(text_of(&c, "#integration-state").await, "Not connected");
        screenshot(&c, "config-not-connected-en").await;
        assert_eq!(
            c.find(Locator::Css("html"))
                .await
                .unwrap()
                .attr("lang")
                .await
                .unwrap()
                .as_deref(),
            Some("en")
        );
        // The choice survives navigation.
        c.find(Locator::Id("nav-reports"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert!(text_of(&c, "h1").await.starts_with("Sendcloud reports"));
        // Log out: back at the login, admin pages closed again.
        c.find(Locator::Id("logout"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .for_element(Locator::Id("login-form"))
            .await
            .unwrap();
        c.goto(&app.url("/admin/reports")).await.unwrap();
        assert!(c.current_url().await.unwrap().as_str().contains("/login"));
    }
    .await;
    c.close().await.ok();
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_posted_without_its_csrf_token_is_refused() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn(fresh_db(Backend::Sqlite).unwrap()).await;
    let c = connect(&driver).await;
    let result = async {
        login(&c, &app).await;
        let before = text_of(&c, "h1").await;
        // Remove the token from the language form, then submit it.
        c.execute(
            "document.querySelector('#language-form input[name=csrf_token]').remove();\
             document.querySelector('#language-select').value = 'fr';\
             document.querySelector('#language-form').submit();",
            vec![],
        )
        .await
        .unwrap();
        let error = text_of(&c, "#error").await;
        assert!(error.contains("403"), "{error}");
        assert!(
            error.contains("Das Formular ist abgelaufen oder ungültig"),
            "{error}"
        );
        // Nothing changed: still German.
        c.goto(&app.url("/admin/config")).await.unwrap();
        assert_eq!(text_of(&c, "h1").await, before);
        // With a forged token it is refused as well.
        c.execute(
            "document.querySelector('#language-form input[name=csrf_token]').value = 'forged';\
             document.querySelector('#language-select').value = 'fr';\
             document.querySelector('#language-form').submit();",
            vec![],
        )
        .await
        .unwrap();
        assert!(text_of(&c, "#error").await.contains("403"));
    }
    .await;
    c.close().await.ok();
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_connect_flow_against_the_standin() {
    let Some(driver) = start_driver() else { return };
    let sc = sendcloud_standin::spawn(sendcloud_standin::StandinConfig {
        rate_limits: false,
        ..Default::default()
    })
    .await
    .unwrap();
    let app = TestApp::spawn_with(fresh_db(Backend::Sqlite).unwrap(), Some(&sc.api_url())).await;
    let c = connect(&driver).await;
    let result = async {
        login(&c, &app).await;
        // Wrong keys by hand: a clear error, still not connected.
        c.find(Locator::Css("#keys-panel summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.find(Locator::Id("public_key"))
            .await
            .unwrap()
            .send_keys("not-a-key")
            .await
            .unwrap();
        c.find(Locator::Id("secret_key"))
            .await
            .unwrap()
            .send_keys("wrong")
            .await
            .unwrap();
        c.find(Locator::Id("keys-submit"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let flash = text_of(&c, ".flash-error").await;
        assert!(
            flash.contains("Sendcloud hat die API-Schlüssel abgelehnt"),
            "{flash}"
        );
        assert_eq!(text_of(&c, "#integration-state").await, "Nicht verbunden");
        // Setup → the stand-in's connect page → approve → back, connected.
        c.find(Locator::Id("btn-setup"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait().for_element(Locator::Id("approve")).await.unwrap();
        assert!(c
            .current_url()
            .await
            .unwrap()
            .as_str()
            .starts_with(sc.base_url()));
        c.find(Locator::Id("approve"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .for_element(Locator::Id("integration-state"))
            .await
            .unwrap();
        assert!(c
            .current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with("/sendcloud/admin/config?connect=returned"));
        assert_eq!(text_of(&c, "#integration-state").await, "Verbunden");
        assert_ne!(text_of(&c, "#integration-id").await, "–");
        // The first Abgleich runs as a job; the page follows its progress.
        app.run_jobs().await;
        c.refresh().await.unwrap();
        assert!(text_of(&c, "#run-state").await.starts_with("Abgeschlossen"));
        let synced = text_of(&c, "#synced-data").await;
        assert!(!synced.starts_with("0 "), "{synced}");
        screenshot(&c, "config-connected").await;
        // A manual Abgleich with its checkboxes.
        c.find(Locator::Id("btn-sync"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.find(Locator::Id("sync-submit"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert!(text_of(&c, ".flash").await.contains("Abgleich gestartet"));
        app.run_jobs().await;
        c.refresh().await.unwrap();
        assert!(text_of(&c, "#run-state").await.starts_with("Abgeschlossen"));
    }
    .await;
    c.close().await.ok();
    result
}
