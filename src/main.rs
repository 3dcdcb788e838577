//! The `sendcloud-plugin` command: run the module standalone (`demo`, the
//! default, with demo data and the Sendcloud stand-in; `serve` for real data),
//! migrate the database, reset the standalone admin password, run the stand-in
//! alone (`standin`; the `sendcloud-standin` crate, present through the default
//! feature `demo`). Errors are one line on stderr and a non-zero exit code,
//! never a panic.

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use sendcloud_plugin::config::Config;
use sendcloud_plugin::crypto::SecretBox;
use sendcloud_plugin::db::{self, Db};
use sendcloud_plugin::host::{demo, ReferenceHost};
use sendcloud_plugin::users;
use sendcloud_plugin::web::{self, AppState};
use sendcloud_plugin::worker::Runner;

#[derive(Parser)]
#[command(
    name = "sendcloud-plugin",
    version,
    about = "Sendcloud module for a retail back office"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run standalone with demo data (the default): SQLite unless DATABASE_URL says otherwise.
    Demo,
    /// Run standalone on the configured database, without demo data.
    Serve,
    /// Apply the database migrations (or revert them all with --down-all) and exit.
    Migrate {
        /// Revert every migration instead (drops the module's and the reference host tables).
        #[arg(long)]
        down_all: bool,
    },
    /// Set a new random password for the standalone user `admin` and print it once.
    ResetAdminPassword,
    /// Run an Abgleich of one company now, with a progress bar; exit code 1
    /// with the reason when it fails.
    Sync {
        /// The host's company id.
        #[arg(long)]
        company: i64,
        /// Object types, comma-separated: sender_addresses, shipping_methods,
        /// parcel_statuses, parcels, brands, … (default: all).
        #[arg(long, value_delimiter = ',')]
        objects: Vec<String>,
        /// Read everything again (resets the objects' positions).
        #[arg(long)]
        full: bool,
        /// Language of the output (de, en, nl, fr).
        #[arg(long, default_value = "de")]
        lang: String,
    },
    /// Run the local Sendcloud stand-in server (for tests, demos, benchmarks).
    Standin {
        /// Port on 127.0.0.1 (0 = any free port).
        #[arg(long, default_value_t = 8081)]
        port: u16,
        /// Seconds between automatic parcel status steps (0 = only via the control API).
        #[arg(long, default_value_t = 60)]
        status_step: u64,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sendcloud-plugin: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let command = cli.command.unwrap_or(Command::Demo);
    if let Command::Standin { port, status_step } = command {
        let config = sendcloud_standin::StandinConfig {
            bind: format!("127.0.0.1:{port}"),
            status_step: (status_step > 0).then(|| std::time::Duration::from_secs(status_step)),
            ..Default::default()
        };
        return runtime()?
            .block_on(sendcloud_standin::run(config))
            .map_err(|e| format!("stand-in: {e}"));
    }
    let config = Config::from_env().map_err(|e| e.to_string())?;
    match command {
        Command::Standin { .. } => Ok(()),
        Command::Migrate { down_all } => {
            let url = db::DbUrl::parse(&config.database_url).map_err(|e| e.to_string())?;
            let mut conn = url.connect().map_err(|e| e.to_string())?;
            let done = if down_all {
                db::revert_all(&mut conn)
            } else {
                db::migrate(&mut conn)
            }
            .map_err(|e| e.to_string())?;
            let verb = if down_all { "reverted" } else { "applied" };
            if done.is_empty() {
                println!("{}: nothing to do", url.redacted());
            }
            for name in done {
                println!("{verb} {name}");
            }
            Ok(())
        }
        Command::ResetAdminPassword => {
            let db = Db::open(&config.database_url).map_err(|e| e.to_string())?;
            let mut conn = db.conn().map_err(|e| e.to_string())?;
            let password = users::reset_password(&mut conn, "admin").map_err(|e| e.to_string())?;
            println!("New password for admin: {password}");
            println!("Every open session of admin has ended.");
            Ok(())
        }
        Command::Sync {
            company,
            objects,
            full,
            lang,
        } => sync(config, company, &objects, full, &lang),
        Command::Serve => serve(config, false),
        Command::Demo => serve(config, true),
    }
}

/// `sendcloud-plugin sync`: queue the run, work the queue until it has
/// finished (a worker of a running server may take it instead: then this
/// only watches), show its object and counts, and end with a summary per
/// object or the reason it failed.
fn sync(
    config: Config,
    company: i64,
    keys: &[String],
    full: bool,
    lang: &str,
) -> Result<(), String> {
    use sendcloud_plugin::sync::{self, Requested, SyncObject, SyncRequest};
    let i18n = sendcloud_plugin::i18n::I18n::load()?;
    let lang = if sendcloud_plugin::i18n::I18n::supports(lang) {
        lang.to_string()
    } else {
        return Err(format!("--lang {lang:?}: one of de, en, nl, fr"));
    };
    let mut objects = vec![];
    for key in keys.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        match SyncObject::parse(key).filter(|o| o.info().available) {
            Some(o) => objects.push(o),
            None => {
                let known: Vec<&str> = SyncObject::available().map(|o| o.as_str()).collect();
                return Err(format!(
                    "unknown object type {key:?}; known: {}",
                    known.join(", ")
                ));
            }
        }
    }
    if objects.is_empty() {
        objects = SyncObject::available().collect();
    }
    let rt = runtime()?;
    let secrets = SecretBox::load(&config.key).map_err(|e| e.to_string())?;
    let db = Db::open(&config.database_url).map_err(|e| e.to_string())?;
    let state = AppState::new(db, config, secrets, Arc::new(ReferenceHost))?;
    let ctx = state.ctx();
    let mut conn = state.db.conn().map_err(|e| e.to_string())?;
    let requested = sync::request_run(
        &mut conn,
        company,
        &SyncRequest {
            trigger: "cli",
            objects: &objects,
            full,
            user: Some("cli"),
            key: None,
        },
    )
    .map_err(|e| e.to_string())?;
    let run_id = match requested {
        Requested::Started(id) => id,
        Requested::AlreadyRunning => {
            return Err(format!(
            "an Abgleich of company {company} is already queued or running; wait for it to finish"
        ))
        }
        Requested::NotConnected => {
            return Err(i18n.text(&lang, "problem-not-connected").to_string())
        }
        Requested::NothingSelected => return Err("no object type to synchronise".into()),
    };
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .map_err(|e| e.to_string())?,
    );
    let label = |o: SyncObject| i18n.text(&lang, o.label_id());
    let run = rt.block_on(async {
        let runner = Runner::new(ctx.clone());
        let worker = tokio::spawn(async move {
            // Work the queue until it is empty; our run is among it.
            while let Ok(Some(_)) = runner.run_next().await {}
        });
        let run = loop {
            let run = ctx
                .db
                .run(move |c| sync::run_of(c, company, run_id))
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("run {run_id} vanished"))?;
            let what = run
                .current_object
                .as_deref()
                .and_then(SyncObject::parse)
                .map(label)
                .unwrap_or_else(|| i18n.text(&lang, "run-queued"));
            bar.set_message(format!(
                "{what}: {} {}, {} {}, {} {}, {} {}",
                run.fetched,
                i18n.text(&lang, "run-fetched"),
                run.created,
                i18n.text(&lang, "run-created"),
                run.updated,
                i18n.text(&lang, "run-updated"),
                run.failed,
                i18n.text(&lang, "run-failed"),
            ));
            bar.tick();
            if !run.is_active() {
                break run;
            }
            if worker.is_finished() {
                // Someone else's worker holds the job: keep watching.
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            } else {
                tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            }
        };
        worker.abort();
        Ok::<_, String>(run)
    })?;
    bar.finish_and_clear();
    for p in run.object_progress() {
        let name = label(p.object);
        match &p.problem {
            None => {
                let n = |v: i32| fluent_bundle::FluentValue::from(v);
                println!(
                    "{}",
                    i18n.text_with(
                        &lang,
                        "log-sync-done",
                        &[
                            ("object", fluent_bundle::FluentValue::from(name.as_str())),
                            ("fetched", n(p.counts.fetched)),
                            ("created", n(p.counts.created)),
                            ("updated", n(p.counts.updated)),
                            ("unchanged", n(p.counts.unchanged)),
                            ("failed", n(p.counts.failed)),
                        ],
                    )
                );
            }
            Some(problem) => println!("{}", problem.render(&i18n, &lang, Some(&name))),
        }
    }
    match run.problem() {
        None => Ok(()),
        Some((object, problem)) => {
            let name = object.map(label);
            Err(problem.render(&i18n, &lang, name.as_deref()))
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

fn serve(mut config: Config, demo_data: bool) -> Result<(), String> {
    let rt = runtime()?;
    // The demo brings its own Sendcloud: the stand-in, on the next port,
    // unless SENDCLOUD_API_URL points somewhere (e.g. the real Sendcloud).
    let mut standin = None;
    if demo_data && std::env::var("SENDCLOUD_API_URL").is_err() {
        let port = config
            .bind
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse::<u16>().ok())
            .map(|p| if p == 0 { 0 } else { p.saturating_add(1) })
            .unwrap_or(0);
        let handle = rt
            .block_on(sendcloud_standin::spawn(sendcloud_standin::StandinConfig {
                bind: format!("127.0.0.1:{port}"),
                status_step: Some(std::time::Duration::from_secs(60)),
                ..Default::default()
            }))
            .map_err(|e| format!("cannot start the Sendcloud stand-in on port {port}: {e}"))?;
        config.sendcloud_api_url = handle.api_url().to_string();
        config.sendcloud_panel_url = handle.base_url().to_string();
        standin = Some(handle);
    }
    let secrets = SecretBox::load(&config.key).map_err(|e| e.to_string())?;
    let db = Db::open(&config.database_url).map_err(|e| e.to_string())?;
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    if demo_data {
        if let Some(summary) = demo::load_if_empty(&mut conn).map_err(|e| e.to_string())? {
            tracing::info!(?summary, "loaded the demo data");
        }
    }
    let admin_password = users::ensure_admin(&mut conn).map_err(|e| e.to_string())?;
    drop(conn);
    let listener = std::net::TcpListener::bind(&config.bind).map_err(|e| {
        format!(
            "cannot listen on {} ({e}); set SENDCLOUD_PLUGIN_BIND",
            config.bind
        )
    })?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let link = format!("{}{}/admin/config", config.public_url, config.mount_path());
    let backend = db.backend();
    let db_name = db.url().redacted();
    let state = AppState::new(db, config, secrets, Arc::new(ReferenceHost))?;

    println!();
    println!(
        "sendcloud-plugin {} is running on {address} ({backend}: {db_name})",
        env!("CARGO_PKG_VERSION")
    );
    println!("  Admin UI:  {link}");
    match admin_password {
        Some(p) => println!("  Login:     admin / {p}   (shown only this once; `sendcloud-plugin reset-admin-password` sets a new one)"),
        None => println!("  Login:     the existing users (`sendcloud-plugin reset-admin-password` sets a new admin password)"),
    }
    match &standin {
        Some(h) => {
            println!(
                "  Sendcloud: the built-in stand-in at {} (press Setup and approve)",
                h.base_url()
            );
        }
        None => println!("  Sendcloud: {}", state.config.sendcloud_api_url),
    }
    println!("  Stop with Ctrl-C.");
    println!();

    let runner = Runner::new(state.ctx());
    rt.block_on(async move {
        let worker = runner.spawn(std::time::Duration::from_secs(2));
        let server = web::serve(state, listener)
            .await
            .map_err(|e| e.to_string())?;
        let result = server.await.map_err(|e| e.to_string());
        worker.abort();
        drop(standin);
        result
    })
}
