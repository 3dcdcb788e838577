//! A company's Sendcloud account as the other services need it: the
//! integration row's connection state, its encrypted keys and webhook token,
//! and the API client built from them. Low in the data flow: `sync`,
//! `orders` and `integrations` (the connect flow above it) use it; it uses
//! no service.
//!
//! Keys are stored only as AES-256-GCM ciphertexts bound to the company
//! (`crate::crypto`); no function here returns a clear key to a caller
//! outside the module, and no message contains one.

mod discover;
mod keys;

pub use discover::*;
pub use keys::*;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::sendcloud_integrations as si;
use crate::db::{DbConn, DbResult};

/// The connection state of a company's integration (stored in lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "lowercase")]
pub enum IntegrationState {
    Disconnected,
    Pending,
    Connected,
}

pub const STATE_CONNECTED: IntegrationState = IntegrationState::Connected;

impl IntegrationState {
    /// The stored state; anything unknown counts as disconnected.
    pub fn parse(s: &str) -> IntegrationState {
        s.parse().unwrap_or(IntegrationState::Disconnected)
    }

    pub fn as_str_static(&self) -> &'static str {
        self.into()
    }

    /// The translation id of the state's label.
    pub fn label_id(&self) -> &'static str {
        match self {
            IntegrationState::Disconnected => "state-disconnected",
            IntegrationState::Pending => "state-pending",
            IntegrationState::Connected => "state-connected",
        }
    }
}

/// What the integration overview shows. Never carries a key.
#[derive(Debug, Clone, PartialEq)]
pub struct IntegrationView {
    pub state: IntegrationState,
    pub sendcloud_integration_id: Option<i64>,
    pub shop_name: Option<String>,
    pub webhook_active: bool,
    pub last_sync_at: Option<NaiveDateTime>,
    pub failing_since: Option<NaiveDateTime>,
}

/// The overview of a company's integration (disconnected when there is none).
pub fn view(conn: &mut DbConn, company_id: i64) -> DbResult<IntegrationView> {
    type Row = (
        String,
        Option<i64>,
        Option<String>,
        bool,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let row: Option<Row> = si::table
        .filter(si::company_id.eq(company_id))
        .select((
            si::state,
            si::sendcloud_integration_id,
            si::shop_name,
            si::webhook_active,
            si::last_sync_at,
            si::failing_since,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((state, id, shop, hook, last, failing)) => IntegrationView {
            state: IntegrationState::parse(&state),
            sendcloud_integration_id: id,
            shop_name: shop,
            webhook_active: hook,
            last_sync_at: last,
            failing_since: failing,
        },
        None => IntegrationView {
            state: IntegrationState::Disconnected,
            sendcloud_integration_id: None,
            shop_name: None,
            webhook_active: false,
            last_sync_at: None,
            failing_since: None,
        },
    })
}

/// The companies whose integration is connected, in id order.
pub fn connected_companies(conn: &mut DbConn) -> DbResult<Vec<i64>> {
    Ok(si::table
        .filter(si::state.eq("connected"))
        .select(si::company_id)
        .order(si::company_id)
        .load(conn)?)
}
