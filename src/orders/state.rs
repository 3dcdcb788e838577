//! The push state of a company's recent orders (the list on *Bestellungen
//! abgleichen* with its *Senden*/*Erneut senden* buttons, and the plugin API): per
//! order whether it was pushed, changed since, never pushed, or held back.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::{DbConn, DbResult};
use crate::host::{Host, OrderSelection};
use crate::settings::OrderHold;

/// Where an order stands with Sendcloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PushState {
    /// Pushed, unchanged since.
    Pushed,
    /// Pushed, changed since (the next push sends it).
    Changed,
    /// Never pushed.
    New,
    /// Held back by the company's hold rule.
    Held,
}

impl PushState {
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    /// Translation id of its name.
    pub fn label_id(&self) -> &'static str {
        match self {
            PushState::Pushed => "order-state-pushed",
            PushState::Changed => "order-state-changed",
            PushState::New => "order-state-new",
            PushState::Held => "order-state-held",
        }
    }
}

/// One order of the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderPushLine {
    pub order_id: i64,
    pub order_number: String,
    pub order_date: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub state: PushState,
    pub pushed_at: Option<NaiveDateTime>,
    pub sendcloud_order_id: Option<i64>,
}

impl OrderPushLine {
    /// Translation id of its button: *Senden* for an order never sent,
    /// *Erneut senden* for one Sendcloud has (whatever its state now).
    pub fn send_label_id(&self) -> &'static str {
        if self.pushed_at.is_some() {
            "orders-resend"
        } else {
            "orders-send"
        }
    }
}

/// The company's approved and open orders, most recently changed first,
/// with their push state.
pub fn recent_orders(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
    hold: &OrderHold,
    limit: i64,
) -> DbResult<Vec<OrderPushLine>> {
    let orders = host.recent_orders(conn, company_id, OrderSelection::ApprovedAndOpen, limit)?;
    let mut out = Vec::with_capacity(orders.len());
    for o in orders {
        let record = super::push_record(conn, company_id, o.id)?;
        let state = match &record {
            _ if hold.holds(&o) => PushState::Held,
            Some((_, pushed_updated, _)) if o.updated_at <= *pushed_updated => PushState::Pushed,
            Some(_) => PushState::Changed,
            None => PushState::New,
        };
        out.push(OrderPushLine {
            order_id: o.id,
            order_number: o.order_number,
            order_date: o.order_date,
            updated_at: o.updated_at,
            state,
            pushed_at: record.as_ref().map(|r| r.2),
            sendcloud_order_id: record.and_then(|r| r.0),
        });
    }
    Ok(out)
}

/// Is `order_number` one of the company's approved and open orders?
pub fn order_exists(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
    order_number: &str,
) -> DbResult<bool> {
    let filter = crate::host::OrderFilter {
        order_numbers: Some(vec![order_number.to_string()]),
        ..Default::default()
    };
    Ok(!host
        .orders_for_push_filtered(
            conn,
            company_id,
            &filter,
            OrderSelection::ApprovedAndOpen,
            &crate::host::CustomsAttributeKeys::default(),
        )?
        .is_empty())
}
