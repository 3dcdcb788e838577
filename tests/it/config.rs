//! `plugin.toml` and the code agree; configuration errors are one clear line.

use sendcloud_plugin::config::{Config, Manifest, EMBEDDED_MANIFEST};
use sendcloud_plugin::users::ALL_PERMISSIONS;
use sendcloud_plugin::web::i18n::LANGUAGES;

#[test]
fn the_manifest_matches_the_code() {
    let m = Manifest::parse(EMBEDDED_MANIFEST, "plugin.toml").unwrap();
    assert_eq!(
        m.plugin.version,
        env!("CARGO_PKG_VERSION"),
        "manifest version = crate version"
    );
    assert_eq!(m.plugin.id, "sendcloud");
    // Permissions: exactly the ones the code checks.
    let mut declared: Vec<&str> = m.permissions.iter().map(|p| p.id.as_str()).collect();
    declared.sort();
    let mut used = ALL_PERMISSIONS.to_vec();
    used.sort();
    assert_eq!(declared, used);
    // Languages: exactly the translation files shipped.
    let shipped: Vec<&str> = LANGUAGES.iter().map(|l| l.0).collect();
    assert_eq!(m.plugin.languages, shipped);
    assert_eq!(m.plugin.default_language, "de");
    // Menus: Konfiguration → Lager → Sendcloud and Berichte → Lager → Sendcloud.
    let paths: Vec<Vec<String>> = m.menu.iter().map(|e| e.path.clone()).collect();
    assert!(paths.contains(&vec![
        "Konfiguration".into(),
        "Lager".into(),
        "Sendcloud".into()
    ]));
    assert!(paths.contains(&vec!["Berichte".into(), "Lager".into(), "Sendcloud".into()]));
    // Every object type of the Abgleich has a scheduled job.
    for object in [
        "sender_addresses",
        "shipping_methods",
        "parcel_statuses",
        "parcels",
        "returns",
        "invoices",
        "brands",
    ] {
        assert!(
            m.job_interval(&format!("sync.{object}")).is_some(),
            "no job for {object}"
        );
    }
    assert!(m.webhooks.sendcloud.contains("{company}") && m.webhooks.sendcloud.contains("{token}"));
    // Jobs: every job kind the worker runs is either scheduled (listed in
    // [[jobs]]) or only follows an event (not listed); every listed job is
    // one the worker runs (the Abgleich as `sync.<object>`).
    const EVENT_ONLY: [&str; 5] = [
        "labels.create",
        "labels.cancel",
        "labels.integration_log",
        "notify",
        "sync",
    ];
    let kinds: Vec<&str> = sendcloud_plugin::worker::Registry::standard()
        .kinds()
        .collect();
    let listed: Vec<&str> = m.jobs.iter().map(|j| j.id.as_str()).collect();
    for kind in &kinds {
        assert!(
            EVENT_ONLY.contains(kind) != listed.contains(kind),
            "job kind {kind}: listed in plugin.toml [[jobs]] exactly when it is scheduled"
        );
    }
    for id in &listed {
        let sync_object = id
            .strip_prefix("sync.")
            .is_some_and(|o| sendcloud_plugin::sync::SyncObject::parse(o).is_some());
        assert!(
            sync_object || kinds.contains(id),
            "plugin.toml lists job {id}, which the worker does not run"
        );
    }
    // The scheduler runs these at every tick (every minute), whatever is written.
    for id in ["labels.sweep", "webhooks.process", "events.deliver"] {
        assert_eq!(m.job_interval(id), Some(1), "{id} runs at every tick");
    }
    // Settings: the defaults of the newer ones, and the order push's default
    // interval is the manifest's `orders.push` job.
    assert!(!m.settings.order_push_enabled);
    assert!(
        !m.settings.integration_log,
        "integration log off by default"
    );
    let d = sendcloud_plugin::settings::CompanySettings::defaults(&m);
    assert!(!d.integration_log && !d.order_push.enabled);
    assert_eq!(
        Some(d.order_push.interval_minutes as u32),
        m.job_interval("orders.push")
    );
    assert_eq!(m.settings.customer_mapping, "dynamic");
    assert_eq!(m.settings.log_retention_days, 7);
    assert_eq!(m.settings.first_sync_order_days, 30);
}

db_async_test!(every_menu_route_of_the_manifest_is_served, |t| {
    let app = crate::common::TestApp::spawn(t).await;
    let client = app.client();
    app.login(&client, "admin", crate::common::ADMIN_PASSWORD)
        .await;
    for entry in &app.state.config.manifest.menu {
        let res = client.get(app.url(&entry.route)).send().await.unwrap();
        assert_eq!(res.status(), 200, "menu {} → {}", entry.id, entry.route);
    }
});

#[test]
fn a_broken_manifest_names_the_problem_in_one_line() {
    let broken = EMBEDDED_MANIFEST.replace("mount_path = \"/sendcloud\"", "mount_path = ");
    let err = Manifest::parse(&broken, "plugin.toml")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("plugin.toml (plugin.toml): "), "{err}");
    assert!(err.contains("line"), "{err}");
    assert!(!err.contains('\n'), "{err}");
    let bad_mount =
        EMBEDDED_MANIFEST.replace("mount_path = \"/sendcloud\"", "mount_path = \"sendcloud/\"");
    assert!(Manifest::parse(&bad_mount, "p")
        .unwrap_err()
        .to_string()
        .contains("mount_path"));
    let unknown = EMBEDDED_MANIFEST.replace("[settings]", "[settings]\nsurprise = 1");
    assert!(Manifest::parse(&unknown, "p")
        .unwrap_err()
        .to_string()
        .contains("surprise"));
}

#[test]
fn environment_overrides_and_defaults() {
    let c = Config::from_lookup(|_| None).unwrap();
    assert_eq!(c.database_url, "sqlite://data/sendcloud-plugin.sqlite");
    assert_eq!(c.bind, "127.0.0.1:8080");
    assert_eq!(c.public_url, "http://127.0.0.1:8080");
    assert_eq!(c.sendcloud_api_url, "https://panel.sendcloud.sc/api");
    assert_eq!(c.sendcloud_panel_url, "https://panel.sendcloud.sc");
    assert!(!c.secure_cookies);
    let c = Config::from_lookup(|k| match k {
        "SENDCLOUD_API_URL" => Some("http://127.0.0.1:9999/api/".into()),
        "SENDCLOUD_PLUGIN_PUBLIC_URL" => Some("https://office.example.com".into()),
        "SENDCLOUD_PLUGIN_HOST_SECRET" => Some("s3cret-value-long-enough-for-hs256-keys".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(c.sendcloud_api_url, "http://127.0.0.1:9999/api");
    assert_eq!(c.sendcloud_panel_url, "http://127.0.0.1:9999");
    assert!(c.secure_cookies);
    assert_eq!(
        c.public_link("/webhooks/x"),
        "https://office.example.com/sendcloud/webhooks/x"
    );
    assert!(
        !format!("{c:?}").contains("s3cret-value-long-enough-for-hs256-keys"),
        "Debug hides secrets"
    );
    for (name, value) in [
        ("SENDCLOUD_PLUGIN_HOST_SECRET", "x"),
        (
            "SENDCLOUD_PLUGIN_HOST_SECRET",
            "thirty-one-bytes-are-too-short",
        ),
        ("SENDCLOUD_PLUGIN_FRAME_ANCESTORS", "'self'; script-src *"),
        ("SENDCLOUD_PLUGIN_BIND", "nonsense"),
        ("SENDCLOUD_API_URL", "ftp://x"),
        ("SENDCLOUD_PLUGIN_PUBLIC_URL", "not a url"),
    ] {
        let err = Config::from_lookup(|k| (k == name).then(|| value.to_string()))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(name), "{err}");
    }
}

#[test]
fn a_short_host_secret_is_refused_with_a_clear_message() {
    let err =
        Config::from_lookup(|k| (k == "SENDCLOUD_PLUGIN_HOST_SECRET").then(|| "one".to_string()))
            .unwrap_err()
            .to_string();
    assert!(err.contains("at least 32 bytes"), "{err}");
    assert!(
        !err.contains("one\""),
        "the secret itself is not repeated: {err}"
    );
    let ok = Config::from_lookup(|k| (k == "SENDCLOUD_PLUGIN_HOST_SECRET").then(|| "x".repeat(32)));
    assert!(ok.is_ok());
}
