//! Configuration: the manifest `plugin.toml` (defaults, menus, jobs, settings)
//! and the environment variables that override it. Everything the process
//! needs to start is resolved here, once, with one-line errors.

use serde::Deserialize;
use std::path::PathBuf;

/// The manifest as shipped in the crate; used when no `plugin.toml` is given.
pub const EMBEDDED_MANIFEST: &str = include_str!("../plugin.toml");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("plugin.toml ({path}): {message}")]
    Manifest { path: String, message: String },
    #[error("{name}: {message}")]
    Env { name: &'static str, message: String },
}

/// `plugin.toml`, typed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub plugin: PluginInfo,
    #[serde(default)]
    pub menu: Vec<MenuEntry>,
    #[serde(default)]
    pub permissions: Vec<Permission>,
    #[serde(default)]
    pub jobs: Vec<JobDefault>,
    pub webhooks: Webhooks,
    pub settings: SettingsDefaults,
    /// When a failing automatic Abgleich is reported (companies override it).
    #[serde(default)]
    pub notifications: NotifyDefaults,
}

/// Defaults of the failure notifications (`[notifications]`, see
/// `crate::notify`): notify after this many failed automatic runs in a row,
/// or when the first failure is this many hours old (0 = not by time).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct NotifyDefaults {
    pub after_failed_runs: i32,
    pub after_hours: i32,
}

impl Default for NotifyDefaults {
    fn default() -> Self {
        NotifyDefaults {
            after_failed_runs: 3,
            after_hours: 6,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub mount_path: String,
    pub default_language: String,
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuEntry {
    pub id: String,
    pub path: Vec<String>,
    pub route: String,
    pub permission: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    pub id: String,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobDefault {
    pub id: String,
    pub interval_minutes: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhooks {
    pub sendcloud: String,
    pub max_body_bytes: usize,
}

/// Defaults of the per-company settings (see `crate::settings`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsDefaults {
    pub auto_create_label: bool,
    pub service_point_enabled: bool,
    pub service_point_field: String,
    pub customs_shipment_type: i32,
    pub customs_origin_country: String,
    pub customs_hs_code: String,
    pub hs_code_attribute: String,
    pub origin_attribute: String,
    pub customer_mapping: String,
    pub default_shipping_method: String,
    pub log_retention_days: i32,
    pub first_sync_order_days: i32,
    /// The scheduled order push is on for a company that never saved its
    /// settings (its default interval is the `orders.push` job's).
    pub order_push_enabled: bool,
    /// Label failures also go to Sendcloud's integration log.
    pub integration_log: bool,
}

impl Manifest {
    /// Parse and check a manifest. `path` only names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Manifest, ConfigError> {
        let err = |message: String| ConfigError::Manifest {
            path: path.to_string(),
            message,
        };
        let m: Manifest = toml::from_str(text)
            .map_err(|e| err(e.message().to_string() + &location(text, e.span())))?;
        if !m.plugin.mount_path.starts_with('/') || m.plugin.mount_path.ends_with('/') {
            return Err(err(format!(
                "plugin.mount_path must start with '/' and not end with one (is {:?})",
                m.plugin.mount_path
            )));
        }
        if !m.plugin.languages.contains(&m.plugin.default_language) {
            return Err(err(format!(
                "plugin.default_language {:?} is not in plugin.languages",
                m.plugin.default_language
            )));
        }
        for entry in &m.menu {
            if !m.permissions.iter().any(|p| p.id == entry.permission) {
                return Err(err(format!(
                    "menu {:?} needs permission {:?}, which [[permissions]] does not declare",
                    entry.id, entry.permission
                )));
            }
        }
        if !(0..=4).contains(&m.settings.customs_shipment_type) {
            return Err(err("settings.customs_shipment_type must be 0..4".into()));
        }
        if !["dynamic", "manual"].contains(&m.settings.customer_mapping.as_str()) {
            return Err(err(
                "settings.customer_mapping must be \"dynamic\" or \"manual\"".into(),
            ));
        }
        Ok(m)
    }

    /// The default interval of a scheduled job, in minutes.
    pub fn job_interval(&self, id: &str) -> Option<u32> {
        self.jobs
            .iter()
            .find(|j| j.id == id)
            .map(|j| j.interval_minutes)
    }
}

fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(r) => {
            let line = text[..r.start.min(text.len())].matches('\n').count() + 1;
            format!(" (line {line})")
        }
        None => String::new(),
    }
}

/// Everything the process needs at run time.
#[derive(Clone)]
pub struct Config {
    pub manifest: Manifest,
    pub database_url: String,
    /// host:port to listen on.
    pub bind: String,
    /// The address Sendcloud (and browsers) reach this module at, without the
    /// mount path, e.g. `https://backoffice.example.com`.
    pub public_url: String,
    /// Sendcloud's API root; v2 is `{api}/v2`, v3 `{api}/v3`.
    pub sendcloud_api_url: String,
    /// The base of Sendcloud's panel (connect pages), derived from the API URL.
    pub sendcloud_panel_url: String,
    pub key: KeySource,
    /// Shared secret the host signs user tokens with (HS256); `None` disables
    /// host tokens (standalone login only).
    pub host_token_secret: Option<String>,
    /// Set cookies with `Secure` (on when the public URL is https).
    pub secure_cookies: bool,
    /// Who may frame the module's pages: the CSP `frame-ancestors` sources
    /// (`SENDCLOUD_PLUGIN_FRAME_ANCESTORS`, e.g. `'self'
    /// https://backoffice.example.com`; default `'self'`, `'none'` forbids
    /// framing).
    pub frame_ancestors: String,
    /// The SMTP server for failure notifications
    /// (`SENDCLOUD_PLUGIN_SMTP_URL`, e.g. `smtp://mail.example.com:587?tls=required`
    /// or `smtps://user:password@mail.example.com`); `None`: no e-mail.
    pub smtp_url: Option<String>,
    /// The sender of notification e-mails (`SENDCLOUD_PLUGIN_SMTP_FROM`).
    pub smtp_from: String,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("sendcloud_api_url", &self.sendcloud_api_url)
            .field("key", &self.key)
            .field(
                "host_token_secret",
                &self.host_token_secret.as_ref().map(|_| "***"),
            )
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

/// Where the encryption key comes from.
#[derive(Clone)]
pub enum KeySource {
    /// `SENDCLOUD_PLUGIN_KEY`: base64 of 32 bytes.
    Inline(String),
    /// `SENDCLOUD_PLUGIN_KEY_FILE` (created with mode 0600 on first start).
    File(PathBuf),
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Inline(_) => f.write_str("Inline(***)"),
            KeySource::File(p) => write!(f, "File({})", p.display()),
        }
    }
}

/// The shortest host token secret accepted at start-up (HS256 wants a key of
/// at least its hash size).
pub const MIN_HOST_SECRET_BYTES: usize = 32;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/sendcloud-plugin.sqlite";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_API_URL: &str = "https://panel.sendcloud.sc/api";
pub const DEFAULT_KEY_FILE: &str = "data/secret.key";
pub const DEFAULT_SMTP_FROM: &str = "Sendcloud-Modul <sendcloud-plugin@localhost>";

impl Config {
    /// Resolve the configuration from a variable lookup (the process
    /// environment in `main`, a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let var = |name: &str| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let manifest = match var("SENDCLOUD_PLUGIN_MANIFEST") {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Manifest {
                    path: path.clone(),
                    message: format!("cannot read: {e}"),
                })?;
                Manifest::parse(&text, &path)?
            }
            None => Manifest::parse(EMBEDDED_MANIFEST, "built in")?,
        };
        let bind = var("SENDCLOUD_PLUGIN_BIND").unwrap_or_else(|| DEFAULT_BIND.into());
        if bind
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse::<u16>().ok())
            .is_none()
        {
            return Err(ConfigError::Env {
                name: "SENDCLOUD_PLUGIN_BIND",
                message: format!("expected host:port, got {bind:?}"),
            });
        }
        let public_url = match var("SENDCLOUD_PLUGIN_PUBLIC_URL") {
            Some(u) => check_url("SENDCLOUD_PLUGIN_PUBLIC_URL", &u)?,
            None => format!("http://{bind}"),
        };
        let sendcloud_api_url = check_url(
            "SENDCLOUD_API_URL",
            &var("SENDCLOUD_API_URL").unwrap_or_else(|| DEFAULT_API_URL.into()),
        )?;
        let sendcloud_panel_url = sendcloud_api_url
            .strip_suffix("/api")
            .unwrap_or(&sendcloud_api_url)
            .to_string();
        let key = match (
            var("SENDCLOUD_PLUGIN_KEY"),
            var("SENDCLOUD_PLUGIN_KEY_FILE"),
        ) {
            (Some(k), _) => KeySource::Inline(k),
            (None, Some(f)) => KeySource::File(f.into()),
            (None, None) => KeySource::File(DEFAULT_KEY_FILE.into()),
        };
        let host_token_secret = var("SENDCLOUD_PLUGIN_HOST_SECRET");
        if let Some(secret) = &host_token_secret {
            let min = MIN_HOST_SECRET_BYTES;
            if secret.len() < min {
                return Err(ConfigError::Env {
                    name: "SENDCLOUD_PLUGIN_HOST_SECRET",
                    message: format!(
                        "the host token secret must be at least {min} bytes long (is {}); generate one with `openssl rand -base64 48`",
                        secret.len()
                    ),
                });
            }
        }
        let frame_ancestors =
            var("SENDCLOUD_PLUGIN_FRAME_ANCESTORS").unwrap_or_else(|| "'self'".into());
        if frame_ancestors
            .chars()
            .any(|c| c.is_control() || matches!(c, ';' | ',' | '"'))
        {
            return Err(ConfigError::Env {
                name: "SENDCLOUD_PLUGIN_FRAME_ANCESTORS",
                message: format!(
                    "expected space-separated CSP sources such as 'self' https://host.example, got {frame_ancestors:?}"
                ),
            });
        }
        Ok(Config {
            frame_ancestors,
            secure_cookies: public_url.starts_with("https://"),
            manifest,
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            bind,
            public_url,
            sendcloud_api_url,
            sendcloud_panel_url,
            key,
            host_token_secret,
            smtp_url: var("SENDCLOUD_PLUGIN_SMTP_URL"),
            smtp_from: var("SENDCLOUD_PLUGIN_SMTP_FROM")
                .unwrap_or_else(|| DEFAULT_SMTP_FROM.into()),
        })
    }

    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// The mount path of the module's routes, e.g. `/sendcloud`.
    pub fn mount_path(&self) -> &str {
        &self.manifest.plugin.mount_path
    }

    /// An absolute URL for a path below the mount path.
    pub fn public_link(&self, path: &str) -> String {
        format!("{}{}{}", self.public_url, self.mount_path(), path)
    }
}

fn check_url(name: &'static str, value: &str) -> Result<String, ConfigError> {
    let parsed = url::Url::parse(value).map_err(|e| ConfigError::Env {
        name,
        message: format!("not a URL ({e}): {value:?}"),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(ConfigError::Env {
            name,
            message: format!("must be an http(s) URL, got {value:?}"),
        });
    }
    Ok(value.trim_end_matches('/').to_string())
}
