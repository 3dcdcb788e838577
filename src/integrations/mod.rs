//! The Sendcloud integration of each company (one per company): its state
//! (disconnected, pending while the connect flow runs, connected), its
//! encrypted keys and its webhook token; connecting through Sendcloud's
//! connect page or with hand-entered keys, the connection test, disconnecting,
//! and applying the webhooks Sendcloud sends about the integration (received
//! by `crate::webhooks`) (MISSION row 1).
//!
//! The state, keys and client of the account live one layer lower in
//! `crate::account` (re-exported here), so that the services the connect
//! flow starts (the first Abgleich and order push) can use them without an
//! import cycle.

mod connect;

pub use crate::account::*;
pub use connect::*;
