//! The `sendcloud-plugin` command: run the module standalone (`demo`, the
//! default, with demo data; `serve` for real data), migrate the database,
//! reset the standalone admin password. Errors are one line on stderr and a
//! non-zero exit code, never a panic.

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use sendcloud_plugin::config::Config;
use sendcloud_plugin::crypto::SecretBox;
use sendcloud_plugin::db::{self, Db};
use sendcloud_plugin::host::{demo, ReferenceHost};
use sendcloud_plugin::users;
use sendcloud_plugin::web::{self, AppState};

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
    let config = Config::from_env().map_err(|e| e.to_string())?;
    match cli.command.unwrap_or(Command::Demo) {
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
            Ok(())
        }
        Command::Serve => serve(config, false),
        Command::Demo => serve(config, true),
    }
}

fn serve(config: Config, demo_data: bool) -> Result<(), String> {
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
    println!("  Stop with Ctrl-C.");
    println!();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(async move {
        let server = web::serve(state, listener)
            .await
            .map_err(|e| e.to_string())?;
        server.await.map_err(|e| e.to_string())
    })
}
