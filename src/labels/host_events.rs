//! Host events in: the host says a delivery was created, changed or
//! cancelled ([`delivery_event`]: the plugin API calls it, a Rust host may
//! call it directly), and the sweep's look at what the host changed on its
//! own ([`notice_changes`]). Labels still go through the one path
//! ([`super::request_labels`] → `LabelJob`) and cancellations through
//! [`super::request_cancel`] → `CancelJob`; nothing calls Sendcloud here.
//!
//! Idempotent: the jobs' dedupe keys and the label's state make the same
//! event twice one label or one cancellation.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{shipping_state, Label, ShippingState, STATE_CANCELLED, STATE_CANCEL_REQUESTED};
use crate::config::Manifest;
use crate::db::{DbConn, DbResult};
use crate::host::{DeliveryQuery, Host};

/// What happened to a delivery in the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryEvent {
    Created,
    Changed,
    Cancelled,
}

impl DeliveryEvent {
    pub fn parse(s: &str) -> Option<DeliveryEvent> {
        match s.trim() {
            "created" => Some(DeliveryEvent::Created),
            "changed" => Some(DeliveryEvent::Changed),
            "cancelled" | "canceled" => Some(DeliveryEvent::Cancelled),
            _ => None,
        }
    }
}

/// What the module did about a host event (a stable code for the host).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventOutcome {
    /// A label job is queued (auto-label on, delivery due).
    LabelRequested,
    /// The failed label is tried again.
    LabelRetried,
    /// The delivery has its label already (or one is being made).
    AlreadyLabelled,
    /// The delivery's label was cancelled; a new one is made only by hand.
    LabelWasCancelled,
    /// The delivery is not `done` yet.
    NotDue,
    /// Auto-label is off for the company: labels are made by hand.
    AutoLabelOff,
    /// The label's cancellation at Sendcloud is queued.
    CancelRequested,
    /// No label to cancel at Sendcloud.
    NothingToCancel,
    /// The parcel is on its way or delivered: it cannot be cancelled.
    AlreadyShipped,
    /// The label is cancelled (or its cancellation requested) already.
    AlreadyCancelled,
    /// The company has no such delivery.
    UnknownDelivery,
}

impl EventOutcome {
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    /// Did the event start work (a job)?
    pub fn started(&self) -> bool {
        matches!(
            self,
            EventOutcome::LabelRequested
                | EventOutcome::LabelRetried
                | EventOutcome::CancelRequested
        )
    }
}

/// Handle a host event about one delivery (see the module docs).
pub fn delivery_event(
    conn: &mut DbConn,
    host: &dyn Host,
    manifest: &Manifest,
    company_id: i64,
    delivery_id: i64,
    event: DeliveryEvent,
) -> DbResult<EventOutcome> {
    let rows = host.deliveries(
        conn,
        company_id,
        &DeliveryQuery {
            ids: Some(vec![delivery_id]),
            limit: 1,
            ..Default::default()
        },
    )?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(EventOutcome::UnknownDelivery);
    };
    let label = super::label_of(conn, company_id, delivery_id)?;
    match event {
        DeliveryEvent::Cancelled => cancel(conn, company_id, label.as_ref()),
        DeliveryEvent::Created | DeliveryEvent::Changed => {
            if row.delivery.status != "done" {
                return Ok(EventOutcome::NotDue);
            }
            let auto = crate::settings::load(conn, company_id, manifest)?.auto_create_label;
            let outcome = match label.as_ref().map(|l| l.state.as_str()) {
                Some(super::STATE_FAILED) => EventOutcome::LabelRetried,
                Some(STATE_CANCELLED) => return Ok(EventOutcome::LabelWasCancelled),
                Some(super::STATE_CREATED) | Some(STATE_CANCEL_REQUESTED) => {
                    return Ok(EventOutcome::AlreadyLabelled)
                }
                // No label yet, or one being made (`pending`: its job is
                // queued or died; asking again is harmless).
                _ if auto => EventOutcome::LabelRequested,
                _ => return Ok(EventOutcome::AutoLabelOff),
            };
            // `request_labels` counts a label job already queued as the
            // job to follow; for the host that is the same event twice.
            let queued = crate::jobs::pending_with_key(
                conn,
                &super::job::LabelJob {
                    company_id,
                    delivery_id,
                    trigger: "host".into(),
                },
            )?
            .is_some();
            let s = super::request_labels(conn, host, company_id, &[delivery_id], "host")?;
            Ok(
                if (s.enqueued > 0 && !queued) || outcome == EventOutcome::LabelRetried {
                    outcome
                } else {
                    // Its job is queued already: the same event twice.
                    EventOutcome::AlreadyLabelled
                },
            )
        }
    }
}

fn cancel(conn: &mut DbConn, company_id: i64, label: Option<&Label>) -> DbResult<EventOutcome> {
    let Some(label) = label else {
        return Ok(EventOutcome::NothingToCancel);
    };
    if label.state == STATE_CANCELLED || label.state == STATE_CANCEL_REQUESTED {
        return Ok(EventOutcome::AlreadyCancelled);
    }
    if label.state != super::STATE_CREATED
        || (label.shipment_id.is_none() && label.parcel_id.is_none())
    {
        return Ok(EventOutcome::NothingToCancel);
    }
    match shipping_state(Some(label)) {
        ShippingState::InTransit | ShippingState::Delivered => Ok(EventOutcome::AlreadyShipped),
        ShippingState::Cancelled => Ok(EventOutcome::AlreadyCancelled),
        _ => {
            // Queued now, or queued already by the same event: one cancel.
            super::request_cancel(conn, company_id, label.delivery_id, "host")?;
            Ok(EventOutcome::CancelRequested)
        }
    }
}

/// Most labels the sweep compares with the host per look.
pub const NOTICE_BATCH: i64 = 500;

/// What the sweep noticed on its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Noticed {
    /// Failed labels whose delivery the host changed after the failure.
    pub retried: usize,
    /// Labels not yet moving whose delivery the host cancelled.
    pub cancelled: usize,
}

/// The sweep's look at what the host changed without telling: a failed
/// label whose delivery changed after the failure is tried again (the
/// host's `updated_at` is newer than the label's); a label not yet moving
/// whose delivery is now `cancelled` is cancelled at Sendcloud. Looks at the
/// newest [`NOTICE_BATCH`] labels of each kind.
pub fn notice_changes(conn: &mut DbConn, host: &dyn Host, company_id: i64) -> DbResult<Noticed> {
    let mut out = Noticed::default();
    let failed =
        super::labels_in_states(conn, company_id, &[super::STATE_FAILED], None, NOTICE_BATCH)?;
    let created: Vec<Label> = super::labels_in_states(
        conn,
        company_id,
        &[super::STATE_CREATED],
        None,
        NOTICE_BATCH,
    )?
    .into_iter()
    .filter(|l| shipping_state(Some(l)) == ShippingState::LabelCreated)
    .collect();
    let ids: Vec<i64> = failed
        .iter()
        .chain(created.iter())
        .map(|l| l.delivery_id)
        .collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let limit = ids.len() as i64;
    let deliveries: HashMap<i64, crate::host::Delivery> = host
        .deliveries(
            conn,
            company_id,
            &DeliveryQuery {
                ids: Some(ids),
                limit,
                ..Default::default()
            },
        )?
        .into_iter()
        .map(|r| (r.delivery.id, r.delivery))
        .collect();
    let retry: Vec<i64> = failed
        .iter()
        .filter(|l| {
            deliveries
                .get(&l.delivery_id)
                .is_some_and(|d| d.status == "done" && d.updated_at > l.updated_at)
        })
        .map(|l| l.delivery_id)
        .collect();
    if !retry.is_empty() {
        out.retried = super::request_labels(conn, host, company_id, &retry, "sweep")?.enqueued;
    }
    for l in &created {
        if deliveries
            .get(&l.delivery_id)
            .is_some_and(|d| d.status == "cancelled")
            && super::request_cancel(conn, company_id, l.delivery_id, "sweep")?
        {
            out.cancelled += 1;
        }
    }
    Ok(out)
}
