//! The admin UI in headless Chromium as staff meet it (issue 13): every
//! admin page in all four languages (no text of another language, no
//! 4xx/5xx, nothing wider than the window at 1280 and 760 px), a Setup
//! cancelled on Sendcloud's page, the pages without JavaScript and the
//! button bar's one size.
//!
//! The walk takes its pages from `web::ROUTES` (every GET page behind a
//! login), so pages added later are walked without touching this file.

use fantoccini::{Client, Locator};
use sendcloud_plugin::db::Backend;
use sendcloud_plugin::web::i18n::{I18n, LANGUAGES};
use sendcloud_plugin::web::{Access, ROUTES};

use crate::browser::{connect, connect_with, login, screenshot, start_driver, text_of};
use crate::common::{fresh_db, TestApp, ADMIN_PASSWORD};

/// The admin pages to walk: every GET route behind a login from `ROUTES`
/// (without path parameters), plus the integration page with its
/// Abgleich panel open. Routes that answer with something other than HTML
/// (the progress JSON) are dropped by [`html_pages`].
fn admin_pages() -> Vec<String> {
    let mut paths: Vec<String> = ROUTES
        .iter()
        .filter(|r| r.method == "GET" && matches!(r.access, Access::Admin(_) | Access::Login))
        .filter(|r| !r.path.contains('{'))
        .map(|r| r.path.to_string())
        .collect();
    paths.push("/admin/config?panel=sync".into());
    paths
}

/// The walked pages that are HTML, each checked for its status (no 4xx or
/// 5xx) in `lang`.
async fn html_pages(app: &TestApp, client: &reqwest::Client, lang: &str) -> Vec<String> {
    let mut pages = vec![];
    for path in admin_pages() {
        let res = client.get(app.url(&path)).send().await.expect("GET");
        let status = res.status().as_u16();
        assert!(status < 400, "{lang} {path}: HTTP {status}");
        let html = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/html"));
        if html {
            pages.push(path);
        }
    }
    assert!(pages.len() >= 6, "{pages:?}");
    pages
}

/// Phrases of the other languages' messages that must not appear on a page
/// in `lang`: texts of two words or more that `lang` says differently and
/// that are not part of any of `lang`'s own texts.
fn foreign_phrases(i18n: &I18n, lang: &str) -> Vec<(String, String)> {
    let own: Vec<String> = I18n::ids(lang)
        .iter()
        .map(|id| i18n.text(lang, id))
        .collect();
    let mut phrases = vec![];
    for (other, _, _) in LANGUAGES {
        if *other == lang {
            continue;
        }
        for id in I18n::ids(other) {
            let text = i18n.text(other, &id);
            let words = text.split_whitespace().count();
            if words < 2
                || text.len() < 10
                || text.contains('{')
                || text == i18n.text(lang, &id)
                || own.iter().any(|o| o.contains(&text))
            {
                continue;
            }
            phrases.push((format!("{other}:{id}"), text));
        }
    }
    phrases
}

/// German words that no name from Sendcloud or the host consists of: one
/// of them on an English, Dutch or French page is German text left over
/// (a hard-coded string, a stored sentence).
const GERMAN_WORDS: &[&str] = &[
    "und",
    "nicht",
    "oder",
    "für",
    "wird",
    "werden",
    "wurde",
    "bitte",
    "Bitte",
    "keine",
    "noch",
    "Sie",
    "ist",
    "sind",
    "eine",
    "einen",
    "zum",
    "zur",
    "auf",
    "nach",
    "Fehler",
    "gespeichert",
];

fn foreign_text_on(page_text: &str, lang: &str, phrases: &[(String, String)]) -> Vec<String> {
    let mut found: Vec<String> = phrases
        .iter()
        .filter(|(_, p)| page_text.contains(p.as_str()))
        .map(|(id, p)| format!("{id} {p:?}"))
        .collect();
    if lang != "de" {
        for w in page_text.split(|c: char| !c.is_alphanumeric()) {
            if GERMAN_WORDS.contains(&w) {
                found.push(format!("German word {w:?}"));
            }
        }
    }
    found.dedup();
    found
}

const OVERFLOW_JS: &str = r#"
const w = document.documentElement.clientWidth;
const out = [];
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) continue;
  if (r.right > w + 1 || r.left < -1) {
    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' right=' + Math.round(r.right) + ' of ' + w);
  }
}
if (document.documentElement.scrollWidth > w + 1) {
  out.push('page scrollWidth ' + document.documentElement.scrollWidth + ' of ' + w);
}
return out;
"#;

async fn overflowing(c: &Client) -> Vec<String> {
    let v = c
        .execute(OVERFLOW_JS, vec![])
        .await
        .expect("overflow script");
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn body_text(c: &Client) -> String {
    c.execute("return document.body.innerText;", vec![])
        .await
        .expect("text")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn choose_language(c: &Client, app: &TestApp, lang: &str) {
    c.goto(&app.url("/admin/config")).await.unwrap();
    let select = c.find(Locator::Id("language-select")).await.unwrap();
    select.select_by_value(lang).await.unwrap();
    c.wait()
        .for_element(Locator::Css(&format!("html[lang='{lang}']")))
        .await
        .unwrap();
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    from: &str,
    action: &str,
    fields: &[(&str, &str)],
) {
    let html = app.page(client, from).await;
    let csrf = TestApp::csrf_of(&html);
    let mut form = vec![("csrf_token", csrf.as_str())];
    form.extend_from_slice(fields);
    let res = client
        .post(app.url(action))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{action}");
}

// Item 9: every admin page in all four languages, at 1280 and 760 px.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_in_every_language_stays_in_it_and_fits_the_window() {
    let Some(driver) = start_driver() else { return };
    let sc = sendcloud_standin::spawn(sendcloud_standin::StandinConfig {
        rate_limits: false,
        ..Default::default()
    })
    .await
    .unwrap();
    let app = TestApp::spawn_with(fresh_db(Backend::Sqlite).unwrap(), Some(&sc.api_url())).await;
    let keys = sc.standin().demo_keys().unwrap();
    app.connect_all(
        &keys.public_key,
        &keys.secret_key,
        Some(keys.integration_id as i64),
    )
    .await;
    // A run of every object, so the pages show Sendcloud's data too.
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let fields: Vec<(&str, &str)> = sendcloud_plugin::sync::SyncObject::available()
        .map(|o| (o.as_str(), "1"))
        .collect();
    post(&app, &client, "/admin/config", "/admin/sync", &fields).await;
    app.run_jobs().await;
    let i18n = app.state.i18n.clone();
    let c = connect(&driver).await;
    let result = async {
        login(&c, &app).await;
        let mut problems = vec![];
        for (lang, _, _) in LANGUAGES {
            post(
                &app,
                &client,
                "/admin/config",
                "/language",
                &[("lang", lang), ("next", "")],
            )
            .await;
            let pages = html_pages(&app, &client, lang).await;
            let phrases = foreign_phrases(&i18n, lang);
            choose_language(&c, &app, lang).await;
            for width in [1280u32, 760] {
                c.set_window_size(width, 900).await.unwrap();
                for path in &pages {
                    c.goto(&app.url(path)).await.unwrap();
                    c.wait().for_element(Locator::Id("content")).await.unwrap();
                    let name: String = path
                        .chars()
                        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
                        .collect();
                    screenshot(&c, &format!("walk-{lang}-{width}{name}")).await;
                    let text = body_text(&c).await;
                    for f in foreign_text_on(&text, lang, &phrases) {
                        problems.push(format!("{lang} {width}px {path}: {f}"));
                    }
                    for o in overflowing(&c).await {
                        problems.push(format!(
                            "{lang} {width}px {path}: wider than the window: {o}"
                        ));
                    }
                }
            }
        }
        problems.sort();
        problems.dedup();
        assert!(
            problems.is_empty(),
            "{} problems:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    .await;
    c.close().await.ok();
    result
}

// Item 1: Setup cancelled on Sendcloud's connect page says the connection
// was not completed and offers Setup again, which then connects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_setup_cancelled_at_sendcloud_says_so_and_can_be_started_again() {
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
        c.find(Locator::Id("btn-setup"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait().for_element(Locator::Id("deny")).await.unwrap();
        c.find(Locator::Id("deny"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .for_element(Locator::Id("integration-state"))
            .await
            .unwrap();
        assert_eq!(
            text_of(&c, "#integration-state").await,
            "Verbindung nicht abgeschlossen"
        );
        let hint = text_of(&c, "#connect-hint").await;
        assert!(hint.contains("nicht bestätigt"), "{hint}");
        // Setup again, approve this time: connected.
        c.find(Locator::Id("btn-setup-again"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait().for_element(Locator::Id("approve")).await.unwrap();
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
        assert_eq!(text_of(&c, "#integration-state").await, "Verbunden");
        assert!(c.find(Locator::Id("connect-hint")).await.is_err());
    }
    .await;
    c.close().await.ok();
    result
}

// Item 6: with JavaScript the buttons of the button bar have one size;
// app.js opens the Abgleich panel in place and tells the browser's zone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_button_bar_has_one_size_and_the_panel_opens_in_place() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn(fresh_db(Backend::Sqlite).unwrap()).await;
    app.connect_all("pk", "sk", Some(7)).await;
    let c = connect(&driver).await;
    let result = async {
        login(&c, &app).await;
        for lang in ["de", "fr"] {
            choose_language(&c, &app, lang).await;
            let sizes = c
                .execute(
                    "return Array.from(document.querySelectorAll('#buttonbar button, #buttonbar a.button'))\
                     .map(e => { const r = e.getBoundingClientRect(); \
                       return [e.id, Math.round(r.height), getComputedStyle(e).fontSize]; });",
                    vec![],
                )
                .await
                .unwrap();
            let sizes = sizes.as_array().unwrap().clone();
            // Setup, Abgleich, Lager konfigurieren, Versandmethoden-Zuordnung,
            // Bestellungen abgleichen.
            assert_eq!(sizes.len(), 5, "{sizes:?}");
            let first = (&sizes[0][1], &sizes[0][2]);
            for s in &sizes {
                assert_eq!((&s[1], &s[2]), first, "{lang}: {sizes:?}");
            }
        }
        choose_language(&c, &app, "de").await;
        let before = c.current_url().await.unwrap();
        c.find(Locator::Id("btn-sync")).await.unwrap().click().await.unwrap();
        assert!(c.find(Locator::Id("sync-submit")).await.unwrap().is_displayed().await.unwrap());
        assert_eq!(c.current_url().await.unwrap(), before, "opened in place");
        let cookie = c.execute("return document.cookie;", vec![]).await.unwrap();
        assert!(
            cookie.as_str().unwrap_or_default().contains("sendcloud_tz="),
            "{cookie:?}"
        );
    }
    .await;
    c.close().await.ok();
    result
}

// Item 6: without JavaScript every page works: the Abgleich panel opens
// through its link and starts a run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_abgleich_opens_and_starts() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn(fresh_db(Backend::Sqlite).unwrap()).await;
    app.connect_all("pk", "sk", Some(7)).await;
    let c = connect_with(
        &driver,
        serde_json::json!({ "profile.managed_default_content_settings.javascript": 2 }),
    )
    .await;
    let result = async {
        login(&c, &app).await;
        let cookie = c.get_all_cookies().await.unwrap();
        assert!(
            !cookie.iter().any(|k| k.name() == "sendcloud_tz"),
            "JavaScript is off: app.js did not run"
        );
        c.find(Locator::Id("btn-sync"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .for_element(Locator::Id("sync-submit"))
            .await
            .unwrap();
        assert!(c
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("panel=sync"));
        c.find(Locator::Id("sync-submit"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert!(text_of(&c, ".flash").await.contains("Abgleich gestartet"));
        // The language switch works without its autosubmit: the OK button.
        let select = c.find(Locator::Id("language-select")).await.unwrap();
        select.select_by_value("en").await.unwrap();
        c.find(Locator::Id("language-submit"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .for_element(Locator::Css("html[lang='en']"))
            .await
            .unwrap();
    }
    .await;
    c.close().await.ok();
    result
}
