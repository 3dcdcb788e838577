//! The Lieferungen list and a delivery's detail: host deliveries with their
//! label and shipping state, filtered and keyset-paged (newest first, by
//! delivery id), and the Logs (failed labels with their problems).

use serde::Serialize;

use super::{labels_in_states, labels_of, Label, ShippingState, TrackingEvent};
use crate::db::{DbConn, DbResult};
use crate::host::{DeliveryListRow, DeliveryQuery, Host};

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryView {
    pub row: DeliveryListRow,
    pub label: Option<Label>,
    pub state: ShippingState,
}

/// Filters of the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub state: Option<ShippingState>,
    pub search: Option<String>,
    /// The last delivery id of the previous page.
    pub before: Option<i64>,
    pub limit: i64,
}

/// How many rows a filtered pass reads at most before it stops (a page may
/// then be short; the next page goes on from there).
const SCAN_ROUNDS: usize = 20;

/// A page of the list, and the id to continue after (when there may be more).
pub fn list(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
    f: &ListFilter,
) -> DbResult<(Vec<DeliveryView>, Option<i64>)> {
    let limit = f.limit.clamp(1, 200);
    let mut out = Vec::new();
    let mut before = f.before;
    let label_states: Option<&[&str]> = match f.state {
        None | Some(ShippingState::NoLabel) => None,
        Some(ShippingState::Failed) => Some(&[super::STATE_FAILED]),
        Some(ShippingState::Cancelled) => Some(&[
            super::STATE_CANCELLED,
            super::STATE_CREATED,
            super::STATE_CANCEL_REQUESTED,
        ]),
        Some(_) => Some(&[super::STATE_CREATED, super::STATE_CANCEL_REQUESTED]),
    };
    for _ in 0..SCAN_ROUNDS {
        let views: Vec<DeliveryView> = match label_states {
            None => {
                let rows = host.deliveries(
                    conn,
                    company_id,
                    &DeliveryQuery {
                        before_id: before,
                        limit,
                        search: f.search.clone(),
                        ..Default::default()
                    },
                )?;
                if rows.is_empty() {
                    return Ok((out, None));
                }
                before = rows.last().map(|r| r.delivery.id);
                let ids: Vec<i64> = rows.iter().map(|r| r.delivery.id).collect();
                let labels = labels_of(conn, company_id, &ids)?;
                rows.into_iter()
                    .map(|row| {
                        let label = labels
                            .iter()
                            .find(|l| l.delivery_id == row.delivery.id)
                            .cloned();
                        let state = super::shipping_state(label.as_ref());
                        DeliveryView { row, label, state }
                    })
                    .collect()
            }
            Some(states) => {
                let labels = labels_in_states(conn, company_id, states, before, limit)?;
                if labels.is_empty() {
                    return Ok((out, None));
                }
                before = labels.last().map(|l| l.delivery_id);
                let ids: Vec<i64> = labels.iter().map(|l| l.delivery_id).collect();
                let rows = host.deliveries(
                    conn,
                    company_id,
                    &DeliveryQuery {
                        ids: Some(ids),
                        limit,
                        search: f.search.clone(),
                        ..Default::default()
                    },
                )?;
                rows.into_iter()
                    .map(|row| {
                        let label = labels
                            .iter()
                            .find(|l| l.delivery_id == row.delivery.id)
                            .cloned();
                        let state = super::shipping_state(label.as_ref());
                        DeliveryView { row, label, state }
                    })
                    .collect()
            }
        };
        for v in views {
            if f.state.is_none_or(|s| s == v.state) && (out.len() as i64) < limit {
                out.push(v);
            }
        }
        if out.len() as i64 >= limit {
            let next = out.last().map(|v| v.row.delivery.id);
            return Ok((out, next));
        }
    }
    Ok((out, before))
}

/// One delivery with its label and tracking history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryDetail {
    pub view: DeliveryView,
    pub history: Vec<TrackingEvent>,
}

pub fn detail(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
    delivery_id: i64,
) -> DbResult<Option<DeliveryDetail>> {
    let Some(row) = host
        .deliveries(
            conn,
            company_id,
            &DeliveryQuery {
                ids: Some(vec![delivery_id]),
                limit: 1,
                ..Default::default()
            },
        )?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let label = super::label_of(conn, company_id, delivery_id)?;
    let history = match &label {
        Some(l) => super::history(conn, l.id)?,
        None => vec![],
    };
    let state = super::shipping_state(label.as_ref());
    Ok(Some(DeliveryDetail {
        view: DeliveryView { row, label, state },
        history,
    }))
}
