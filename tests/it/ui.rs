//! The admin UI as staff read it (issue 13), over HTTP: times in the
//! reader's zone and language, words and plurals in every language, the
//! connection states, the pick-lists of the settings, forms that keep
//! what was entered.

use std::sync::Arc;

use diesel::prelude::*;
use sendcloud_plugin::db::schema::sendcloud_integrations as si;

use crate::common::{TestApp, ADMIN_PASSWORD};

/// A client whose cookie jar the test may add to (the browser's zone
/// cookie that app.js sets).
fn client_with_jar(app: &TestApp) -> (reqwest::Client, Arc<reqwest::cookie::Jar>) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let _ = app;
    (client, jar)
}

async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = app.page(client, page).await;
    let csrf = TestApp::csrf_of(&html);
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
    form.extend_from_slice(fields);
    client
        .post(app.url(action))
        .form(&form)
        .send()
        .await
        .expect("POST")
}

async fn set_language(app: &TestApp, client: &reqwest::Client, lang: &str) {
    let res = post_form(
        app,
        client,
        "/admin/config",
        "/language",
        &[("lang", lang), ("next", "")],
    )
    .await;
    assert_eq!(res.status(), 303);
}

/// The stored last-sync time of every company.
async fn set_last_sync(app: &TestApp, at: chrono::NaiveDateTime) {
    app.state
        .db
        .run(move |c| {
            diesel::update(si::table)
                .set(si::last_sync_at.eq(Some(at)))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
}

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

// Item 5: every time in the reader's zone (their choice, else the
// browser's, else Europe/Berlin) and language, UTC in the tooltip.
db_async_test!(times_are_shown_in_the_readers_zone_and_language, |t| {
    let app = TestApp::spawn(t).await;
    app.connect_all("pk", "sk", Some(7)).await;
    set_last_sync(&app, at("2026-12-04 18:05")).await;
    let (client, jar) = client_with_jar(&app);
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/config").await;
    // No choice, no browser zone: Berlin, German form, UTC in the title.
    assert!(
        page.contains(
            r#"<time datetime="2026-12-04T18:05:00Z" title="2026-12-04 18:05 UTC">04.12.2026, 19:05</time>"#
        ),
        "{page}"
    );
    assert!(!page.contains("18:05 UTC</td>"), "no bare UTC times left");
    // The browser's zone (the cookie app.js sets).
    let origin: url::Url = app.origin.parse().unwrap();
    jar.add_cookie_str("sendcloud_tz=America/New_York; Path=/", &origin);
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains(">04.12.2026, 13:05</time>"), "{page}");
    // A made-up browser zone is ignored.
    jar.add_cookie_str("sendcloud_tz=Mars/Olympus; Path=/", &origin);
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains(">04.12.2026, 19:05</time>"), "{page}");
    // The user's own choice wins over the browser's, and is kept.
    let res = post_form(
        &app,
        &client,
        "/admin/preferences",
        "/admin/preferences",
        &[("time_zone", "Asia/Tokyo")],
    )
    .await;
    assert_eq!(res.status(), 303);
    jar.add_cookie_str("sendcloud_tz=America/New_York; Path=/", &origin);
    let page = app.page(&client, "/admin/config").await;
    assert!(page.contains(">05.12.2026, 03:05</time>"), "{page}");
    let prefs = app.page(&client, "/admin/preferences").await;
    assert!(
        prefs.contains(r#"<option value="Asia/Tokyo" selected>"#),
        "{prefs}"
    );
    // English, Dutch and French forms.
    for (lang, shown) in [
        ("en", "5 Dec 2026, 03:05"),
        ("nl", "05-12-2026 03:05"),
        ("fr", "05/12/2026 03:05"),
    ] {
        set_language(&app, &client, lang).await;
        let page = app.page(&client, "/admin/config").await;
        assert!(page.contains(&format!(">{shown}</time>")), "{lang}: {page}");
    }
    // A zone that does not exist is refused, the choice stays.
    let res = post_form(
        &app,
        &client,
        "/admin/preferences",
        "/admin/preferences",
        &[("time_zone", "Mars/Olympus")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let prefs = app.page(&client, "/admin/preferences").await;
    assert!(prefs.contains("flash-error"), "{prefs}");
    assert!(prefs.contains(r#"<option value="Asia/Tokyo" selected>"#));
    // The choice is the user's: a new login finds it again.
    let (fresh, _) = client_with_jar(&app);
    app.login(&fresh, "admin", ADMIN_PASSWORD).await;
    set_language(&app, &fresh, "de").await;
    let page = app.page(&fresh, "/admin/config").await;
    assert!(page.contains(">05.12.2026, 03:05</time>"), "{page}");
});
