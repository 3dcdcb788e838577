//! The stored labels (`sendcloud_labels`) and their tracking: states, the
//! reservation written before the paid call, problems as facts, the
//! tracking history, status news from webhooks and the Abgleich applied
//! with the `as_of_ms` rule, and the write-back to the host's delivery
//! through `crate::host`. Below `sync`, `webhooks` and `labels` (they all
//! bring news here); it calls no service and no Sendcloud. Every change of a
//! label's state or status writes its host event (`crate::hostevents`
//! outbox) in the same transaction.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::db::schema::{
    sendcloud_label_events as le, sendcloud_label_settings as ls, sendcloud_labels as l,
};
use crate::db::{DbConn, DbError, DbResult};
use crate::host::{Host, TrackingUpdate};
use crate::hostevents::{EventType, LabelFacts};

pub const STATE_PENDING: &str = "pending";
pub const STATE_CREATED: &str = "created";
pub const STATE_FAILED: &str = "failed";
pub const STATE_CANCEL_REQUESTED: &str = "cancel_requested";
pub const STATE_CANCELLED: &str = "cancelled";

/// The action-log name of label calls.
pub const ACTION_CREATE: &str = "labels.create";
pub const ACTION_CANCEL: &str = "labels.cancel";

/// The `external_reference_id` of a delivery's first label: unique per
/// Sendcloud user, stable across retries and processes.
pub fn external_reference(company_id: i64, delivery_id: i64) -> String {
    format!("sc-delivery-{company_id}-{delivery_id}")
}

/// The reference after `current` (a label replacing a cancelled one).
pub fn next_reference(current: &str) -> String {
    match current.rsplit_once('~') {
        Some((base, n)) => match n.parse::<u32>() {
            Ok(n) => format!("{base}~{}", n + 1),
            Err(_) => format!("{current}~2"),
        },
        None => format!("{current}~2"),
    }
}

/// One problem of a label: ours (`check`, a fix-list entry by code) or
/// Sendcloud's (`sendcloud`, its message for a field). Stored as facts,
/// rendered in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// `check` or `sendcloud`.
    pub source: String,
    /// Our code (`house_number_missing`, …) or Sendcloud's (`invalid`, …).
    pub code: String,
    /// Which field (`to_address.house_number`, `line:2`, …), "" for none.
    pub field: String,
    /// For checks: values the message shows (sku, `code|weight|min|max`);
    /// for Sendcloud: its message, verbatim.
    pub detail: String,
}

impl Problem {
    pub fn check(code: &str, field: &str, detail: &str) -> Problem {
        Problem {
            source: "check".into(),
            code: code.into(),
            field: field.into(),
            detail: detail.into(),
        }
    }

    pub fn sendcloud(field: Option<&str>, message: &str) -> Problem {
        Problem {
            source: "sendcloud".into(),
            code: "sendcloud".into(),
            field: field.unwrap_or("").into(),
            detail: message.into(),
        }
    }

    pub fn is_check(&self) -> bool {
        self.source == "check"
    }
}

/// What a label needs to know of its shipping option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingOption {
    pub code: String,
    pub carrier: String,
    pub min_weight_kg: Decimal,
    pub max_weight_kg: Decimal,
    /// Destinations (ISO-2); empty: not known, not checked.
    pub to_countries: Vec<String>,
    pub needs_service_point: bool,
    pub needs_email: bool,
    pub needs_phone: bool,
}

/// A stored label.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = l)]
pub struct Label {
    pub id: i64,
    pub company_id: i64,
    pub delivery_id: i64,
    pub external_reference_id: String,
    pub order_number: String,
    pub state: String,
    pub shipment_id: Option<String>,
    pub parcel_id: Option<i64>,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    pub carrier: Option<String>,
    pub option_code: Option<String>,
    pub status_id: Option<i64>,
    pub status_code: Option<String>,
    pub status_message: Option<String>,
    pub problems: String,
    pub cancel_outcome: Option<String>,
    pub test_mode: bool,
    pub attempts: i32,
    pub as_of_ms: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Label {
    pub fn problems(&self) -> Vec<Problem> {
        serde_json::from_str(&self.problems).unwrap_or_default()
    }

    /// The shipping state the Lieferungen page shows.
    pub fn shipping_state(&self) -> ShippingState {
        shipping_state(Some(self))
    }
}

/// Where a delivery's shipping stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum ShippingState {
    NoLabel,
    LabelCreated,
    InTransit,
    Delivered,
    Failed,
    Cancelled,
}

impl ShippingState {
    pub const ALL: [ShippingState; 6] = [
        ShippingState::NoLabel,
        ShippingState::LabelCreated,
        ShippingState::InTransit,
        ShippingState::Delivered,
        ShippingState::Failed,
        ShippingState::Cancelled,
    ];

    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<ShippingState> {
        s.parse().ok()
    }

    /// Translation id of its name.
    pub fn label_id(&self) -> String {
        format!("shipping-state-{}", self.as_str().replace('_', "-"))
    }
}

/// v2 status ids that mean delivered / cancelled / not yet moving.
const DELIVERED: &[i64] = &[11, 93];
const CANCELLED: &[i64] = &[1998, 1999, 2000, 2001];
const NOT_MOVING: &[i64] = &[999, 1000, 1001, 1002];

/// The v2 status id of a v3 status code (webhooks and v2 lists send ids).
pub fn status_id_of_code(code: &str) -> Option<i64> {
    Some(match code {
        "NO_LABEL" => 999,
        "READY_TO_SEND" => 1000,
        "ANNOUNCING" => 1001,
        "ANNOUNCEMENT_FAILED" => 1002,
        "EN_ROUTE_TO_SORTING_CENTER" => 3,
        "PARCEL_EN_ROUTE" => 91,
        "DELIVERED" => 11,
        "CANCELLATION_REQUESTED" => 1999,
        "CANCELLED" => 2000,
        _ => return None,
    })
}

/// The shipping state of a delivery with this label (or none).
pub fn shipping_state(label: Option<&Label>) -> ShippingState {
    let Some(l) = label else {
        return ShippingState::NoLabel;
    };
    match l.state.as_str() {
        STATE_FAILED => ShippingState::Failed,
        STATE_CANCELLED => ShippingState::Cancelled,
        STATE_PENDING => ShippingState::NoLabel,
        _ => match l.status_id {
            Some(s) if DELIVERED.contains(&s) => ShippingState::Delivered,
            Some(s) if CANCELLED.contains(&s) => ShippingState::Cancelled,
            Some(s) if !NOT_MOVING.contains(&s) => ShippingState::InTransit,
            _ => ShippingState::LabelCreated,
        },
    }
}

/// The company's label of a delivery.
pub fn label_of(conn: &mut DbConn, company_id: i64, delivery_id: i64) -> DbResult<Option<Label>> {
    Ok(l::table
        .filter(l::company_id.eq(company_id))
        .filter(l::delivery_id.eq(delivery_id))
        .select(Label::as_select())
        .first(conn)
        .optional()?)
}

/// The company's labels of these deliveries.
pub fn labels_of(conn: &mut DbConn, company_id: i64, delivery_ids: &[i64]) -> DbResult<Vec<Label>> {
    let mut out = Vec::new();
    for chunk in delivery_ids.chunks(500) {
        out.extend(
            l::table
                .filter(l::company_id.eq(company_id))
                .filter(l::delivery_id.eq_any(chunk))
                .select(Label::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Labels of the company in these states, newest delivery first, keyset by
/// delivery id (the Logs, and the Lieferungen filter).
pub fn labels_in_states(
    conn: &mut DbConn,
    company_id: i64,
    states: &[&str],
    before_delivery: Option<i64>,
    limit: i64,
) -> DbResult<Vec<Label>> {
    let mut q = l::table
        .filter(l::company_id.eq(company_id))
        .filter(l::state.eq_any(states.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
        .into_boxed();
    if let Some(b) = before_delivery {
        q = q.filter(l::delivery_id.lt(b));
    }
    Ok(q.select(Label::as_select())
        .order(l::delivery_id.desc())
        .limit(limit)
        .load(conn)?)
}

/// How many labels of the company have failed (the menu badge / Logs count).
pub fn failed_count(conn: &mut DbConn, company_id: i64) -> DbResult<i64> {
    Ok(l::table
        .filter(l::company_id.eq(company_id))
        .filter(l::state.eq(STATE_FAILED))
        .count()
        .get_result(conn)?)
}

/// One entry of a label's tracking history.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Serialize)]
pub struct TrackingEvent {
    pub status_id: Option<i64>,
    pub status_code: Option<String>,
    pub message: String,
    pub as_of_ms: i64,
}

/// The tracking history of a label, oldest first.
pub fn history(conn: &mut DbConn, label_id: i64) -> DbResult<Vec<TrackingEvent>> {
    Ok(le::table
        .filter(le::label_id.eq(label_id))
        .select((le::status_id, le::status_code, le::message, le::as_of_ms))
        .order((le::as_of_ms, le::id))
        .load(conn)?)
}

fn add_event(
    conn: &mut DbConn,
    label_id: i64,
    status_id: Option<i64>,
    status_code: Option<&str>,
    message: &str,
    as_of_ms: i64,
) -> DbResult<()> {
    let exists: i64 = le::table
        .filter(le::label_id.eq(label_id))
        .filter(le::as_of_ms.eq(as_of_ms))
        .filter(le::message.eq(message))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(le::table)
            .values((
                le::label_id.eq(label_id),
                le::status_id.eq(status_id),
                le::status_code.eq(status_code),
                le::message.eq(message),
                le::as_of_ms.eq(as_of_ms),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Per-company label settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSettings {
    pub test_mode: bool,
    pub swept_until: Option<NaiveDateTime>,
}

pub fn label_settings(conn: &mut DbConn, company_id: i64) -> DbResult<LabelSettings> {
    let row: Option<(bool, Option<NaiveDateTime>)> = ls::table
        .find(company_id)
        .select((ls::test_mode, ls::swept_until))
        .first(conn)
        .optional()?;
    Ok(row
        .map(|(test_mode, swept_until)| LabelSettings {
            test_mode,
            swept_until,
        })
        .unwrap_or_default())
}

fn upsert_settings(
    conn: &mut DbConn,
    company_id: i64,
    test_mode: Option<bool>,
    swept_until: Option<NaiveDateTime>,
) -> DbResult<()> {
    let now = Utc::now().naive_utc();
    let current = label_settings(conn, company_id)?;
    let exists: i64 = ls::table
        .filter(ls::company_id.eq(company_id))
        .count()
        .get_result(conn)?;
    let test = test_mode.unwrap_or(current.test_mode);
    let swept = swept_until.or(current.swept_until);
    if exists == 0 {
        diesel::insert_into(ls::table)
            .values((
                ls::company_id.eq(company_id),
                ls::test_mode.eq(test),
                ls::swept_until.eq(swept),
                ls::updated_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        diesel::update(ls::table.find(company_id))
            .set((
                ls::test_mode.eq(test),
                ls::swept_until.eq(swept),
                ls::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Switch test mode on or off (with an action-log entry).
pub fn set_test_mode(conn: &mut DbConn, company_id: i64, on: bool, user: &str) -> DbResult<()> {
    conn.write_transaction(|c| {
        upsert_settings(c, company_id, Some(on), None)?;
        crate::actionlog::record(
            c,
            &crate::actionlog::Action {
                company_id: Some(company_id),
                direction: crate::actionlog::Direction::Internal,
                action: "labels.test_mode",
                target: if on { "on" } else { "off" },
                ok: true,
                status_code: None,
                message: "",
                user_name: Some(user),
            },
        )
    })
}

/// Remember how far the auto-label sweep looked.
pub fn set_swept_until(conn: &mut DbConn, company_id: i64, until: NaiveDateTime) -> DbResult<()> {
    upsert_settings(conn, company_id, None, Some(until))
}

/// What [`reserve`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Reserved {
    /// The row to announce with (new, pending, failed or replacing a cancelled one).
    Go(Label),
    /// The delivery has a label already.
    Done(Label),
}

/// Write (and commit) the delivery's label row before the paid request:
/// a new row `pending`; a failed one back to `pending`; a cancelled one with
/// the next reference. A created label is left alone.
pub fn reserve(
    conn: &mut DbConn,
    company_id: i64,
    delivery_id: i64,
    order_number: &str,
    test_mode: bool,
) -> DbResult<Reserved> {
    match reserve_once(conn, company_id, delivery_id, order_number, test_mode) {
        // Another request inserted the row at the same moment (PostgreSQL):
        // read what it wrote.
        Err(DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => reserve_once(conn, company_id, delivery_id, order_number, test_mode),
        other => other,
    }
}

fn reserve_once(
    conn: &mut DbConn,
    company_id: i64,
    delivery_id: i64,
    order_number: &str,
    test_mode: bool,
) -> DbResult<Reserved> {
    conn.write_transaction(|c| {
        let now = Utc::now().naive_utc();
        match label_of(c, company_id, delivery_id)? {
            None => {
                diesel::insert_into(l::table)
                    .values((
                        l::company_id.eq(company_id),
                        l::delivery_id.eq(delivery_id),
                        l::external_reference_id.eq(external_reference(company_id, delivery_id)),
                        l::order_number.eq(order_number),
                        l::state.eq(STATE_PENDING),
                        l::problems.eq("[]"),
                        l::test_mode.eq(test_mode),
                        l::attempts.eq(1),
                        l::as_of_ms.eq(0i64),
                        l::created_at.eq(now),
                        l::updated_at.eq(now),
                    ))
                    .execute(c)?;
            }
            Some(row) if row.state == STATE_CREATED || row.state == STATE_CANCEL_REQUESTED => {
                return Ok(Reserved::Done(row));
            }
            Some(row) => {
                let reference = if row.state == STATE_CANCELLED {
                    next_reference(&row.external_reference_id)
                } else {
                    row.external_reference_id.clone()
                };
                let fresh = row.state == STATE_CANCELLED;
                diesel::update(l::table.find(row.id))
                    .set((
                        l::external_reference_id.eq(reference),
                        l::order_number.eq(order_number),
                        l::state.eq(STATE_PENDING),
                        l::test_mode.eq(test_mode),
                        l::attempts.eq(row.attempts + 1),
                        l::updated_at.eq(now),
                    ))
                    .execute(c)?;
                if fresh {
                    diesel::update(l::table.find(row.id))
                        .set((
                            l::shipment_id.eq(None::<String>),
                            l::parcel_id.eq(None::<i64>),
                            l::tracking_number.eq(None::<String>),
                            l::tracking_url.eq(None::<String>),
                            l::status_id.eq(None::<i64>),
                            l::status_code.eq(None::<String>),
                            l::status_message.eq(None::<String>),
                            l::cancel_outcome.eq(None::<String>),
                            l::as_of_ms.eq(0i64),
                        ))
                        .execute(c)?;
                }
            }
        }
        let row = label_of(c, company_id, delivery_id)?
            .ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        Ok(Reserved::Go(row))
    })
}

/// Mark a label failed with its problems (the Logs entry).
pub fn mark_failed(conn: &mut DbConn, label_id: i64, problems: &[Problem]) -> DbResult<()> {
    let json = serde_json::to_string(problems).unwrap_or_else(|_| "[]".into());
    diesel::update(l::table.find(label_id))
        .set((
            l::state.eq(STATE_FAILED),
            l::problems.eq(json),
            l::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    emit(conn, label_id, EventType::LabelFailed)
}

/// Write the host event of a label change (the outbox row), in the
/// caller's transaction, with the label's facts as they are now.
fn emit(conn: &mut DbConn, label_id: i64, event: EventType) -> DbResult<()> {
    let Some(label) = l::table
        .find(label_id)
        .select(Label::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(());
    };
    let problems = label
        .problems()
        .into_iter()
        .map(|p| if p.is_check() { p.code } else { p.field })
        .collect();
    let facts = LabelFacts {
        delivery_id: label.delivery_id,
        order_number: label.order_number,
        external_reference_id: label.external_reference_id,
        shipment_id: label.shipment_id,
        parcel_id: label.parcel_id,
        tracking_number: label.tracking_number,
        tracking_url: label.tracking_url,
        carrier: label.carrier,
        status_id: label.status_id,
        status_code: label.status_code,
        status_message: label.status_message.filter(|m| !m.is_empty()),
        problems,
        cancel_outcome: label.cancel_outcome,
        test_mode: label.test_mode,
    };
    crate::hostevents::record(conn, label.company_id, event, &facts)?;
    Ok(())
}

/// What Sendcloud says about a label's parcel (from the announce answer, a
/// webhook or the Abgleich).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParcelNews {
    pub parcel_id: i64,
    pub shipment_id: Option<String>,
    pub external_reference: Option<String>,
    pub order_number: Option<String>,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    pub carrier: Option<String>,
    pub status_id: Option<i64>,
    pub status_code: Option<String>,
    pub status_message: String,
    /// When the news is from (ms since the epoch).
    pub as_of_ms: i64,
}

/// Store a created shipment on its label (and the host's delivery), in the
/// caller's transaction. `label_pdf` is written when given.
pub fn store_created(
    conn: &mut DbConn,
    host: &dyn Host,
    label: &Label,
    news: &ParcelNews,
    option_code: Option<&str>,
    label_pdf: Option<Vec<u8>>,
) -> DbResult<()> {
    let now = Utc::now().naive_utc();
    diesel::update(l::table.find(label.id))
        .set((
            l::state.eq(STATE_CREATED),
            l::shipment_id.eq(&news.shipment_id),
            l::parcel_id.eq(Some(news.parcel_id)),
            l::tracking_number.eq(&news.tracking_number),
            l::tracking_url.eq(&news.tracking_url),
            l::carrier.eq(&news.carrier),
            l::status_id.eq(news.status_id),
            l::status_code.eq(&news.status_code),
            l::status_message.eq(Some(&news.status_message)),
            l::problems.eq("[]"),
            l::as_of_ms.eq(news.as_of_ms.max(label.as_of_ms)),
            l::updated_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(code) = option_code {
        diesel::update(l::table.find(label.id))
            .set(l::option_code.eq(code))
            .execute(conn)?;
    }
    add_event(
        conn,
        label.id,
        news.status_id,
        news.status_code.as_deref(),
        &news.status_message,
        news.as_of_ms,
    )?;
    host.patch_tracking(
        conn,
        label.delivery_id,
        &TrackingUpdate {
            tracking_number: news.tracking_number.clone(),
            tracking_url: news.tracking_url.clone(),
            carrier: news.carrier.clone(),
            shipping_status: Some(news.status_message.clone()).filter(|s| !s.is_empty()),
            label_pdf,
            remarks: None,
        },
    )?;
    if label.state != STATE_CREATED {
        emit(conn, label.id, EventType::LabelCreated)?;
    }
    Ok(())
}

/// Apply parcel news from a webhook or the Abgleich to the labels they
/// concern, in the caller's transaction: a label's parcel by id, else our
/// reference, else (a failed or pending label) a parcel for the same order
/// number: made in Sendcloud after our attempt failed, adopted, so the Logs
/// entry leaves by itself. News older than what the label has is ignored.
/// Returns how many labels changed.
pub fn apply_parcel_news(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
    news: &[ParcelNews],
) -> DbResult<usize> {
    // One look-up for the whole page: most parcels concern no label.
    let mut candidates: Vec<Label> = Vec::new();
    for chunk in news.chunks(300) {
        let ids: Vec<i64> = chunk.iter().map(|n| n.parcel_id).collect();
        let refs: Vec<String> = chunk
            .iter()
            .filter_map(|n| n.external_reference.clone())
            .collect();
        let orders: Vec<String> = chunk
            .iter()
            .filter_map(|n| n.order_number.clone())
            .collect();
        candidates.extend(
            l::table
                .filter(l::company_id.eq(company_id))
                .filter(
                    l::parcel_id
                        .eq_any(ids)
                        .or(l::external_reference_id.eq_any(refs))
                        .or(l::order_number
                            .eq_any(orders)
                            .and(l::state.eq_any([STATE_FAILED, STATE_PENDING]))
                            .and(l::parcel_id.is_null())),
                )
                .select(Label::as_select())
                .load(conn)?,
        );
    }
    if candidates.is_empty() {
        return Ok(0);
    }
    let mut changed = 0;
    for n in news {
        let is_cancelled = n.status_id.is_some_and(|s| CANCELLED.contains(&s));
        let found = candidates
            .iter()
            .find(|l| l.parcel_id == Some(n.parcel_id))
            .or_else(|| {
                n.external_reference
                    .as_ref()
                    .and_then(|r| candidates.iter().find(|l| &l.external_reference_id == r))
            })
            .or_else(|| {
                if is_cancelled {
                    return None;
                }
                n.order_number.as_ref().and_then(|o| {
                    candidates.iter().find(|l| {
                        &l.order_number == o
                            && l.parcel_id.is_none()
                            && (l.state == STATE_FAILED || l.state == STATE_PENDING)
                    })
                })
            })
            .map(|l| l.id);
        // Re-read: an earlier news item of this page may have changed it.
        let label: Option<Label> = match found {
            Some(id) => l::table
                .find(id)
                .select(Label::as_select())
                .first(conn)
                .optional()?,
            None => None,
        };
        let Some(label) = label else {
            continue;
        };
        if n.as_of_ms <= label.as_of_ms && label.parcel_id == Some(n.parcel_id) {
            continue;
        }
        if label.parcel_id.is_none() || label.state == STATE_FAILED || label.state == STATE_PENDING
        {
            store_created(conn, host, &label, n, None, None)?;
        } else {
            let cancelled = n.status_id.is_some_and(|s| s == 2000 || s == 1998);
            let state = if cancelled {
                STATE_CANCELLED
            } else {
                label.state.as_str()
            };
            let event = match n.status_id {
                Some(_) if cancelled && label.state != STATE_CANCELLED => {
                    Some(EventType::LabelCancelled)
                }
                Some(s) if n.status_id != label.status_id && DELIVERED.contains(&s) => {
                    Some(EventType::Delivered)
                }
                Some(_) if n.status_id != label.status_id && !cancelled => {
                    Some(EventType::StatusChanged)
                }
                _ => None,
            };
            diesel::update(l::table.find(label.id))
                .set((
                    l::state.eq(state),
                    l::status_id.eq(n.status_id.or(label.status_id)),
                    l::status_code.eq(n.status_code.clone().or(label.status_code.clone())),
                    l::status_message.eq(Some(&n.status_message)),
                    l::tracking_number
                        .eq(n.tracking_number.clone().or(label.tracking_number.clone())),
                    l::tracking_url.eq(n.tracking_url.clone().or(label.tracking_url.clone())),
                    l::as_of_ms.eq(n.as_of_ms),
                    l::updated_at.eq(Utc::now().naive_utc()),
                ))
                .execute(conn)?;
            add_event(
                conn,
                label.id,
                n.status_id,
                n.status_code.as_deref(),
                &n.status_message,
                n.as_of_ms,
            )?;
            host.patch_tracking(
                conn,
                label.delivery_id,
                &TrackingUpdate {
                    tracking_number: n.tracking_number.clone(),
                    tracking_url: n.tracking_url.clone(),
                    carrier: n.carrier.clone(),
                    shipping_status: Some(n.status_message.clone()).filter(|s| !s.is_empty()),
                    label_pdf: None,
                    remarks: None,
                },
            )?;
            if let Some(event) = event {
                emit(conn, label.id, event)?;
            }
        }
        changed += 1;
    }
    Ok(changed)
}

/// Store the outcome of a cancellation on the label.
pub fn store_cancel_outcome(
    conn: &mut DbConn,
    host: &dyn Host,
    label: &Label,
    outcome: CancelOutcome,
) -> DbResult<()> {
    let state = match outcome {
        CancelOutcome::Cancelled => STATE_CANCELLED,
        CancelOutcome::Queued => STATE_CANCEL_REQUESTED,
        CancelOutcome::AlreadyCancelled => STATE_CANCELLED,
        _ => label.state.as_str(),
    };
    let (status_id, message) = match outcome {
        CancelOutcome::Cancelled | CancelOutcome::AlreadyCancelled => (Some(2000), "Cancelled"),
        CancelOutcome::Queued => (Some(1999), "Cancellation requested"),
        _ => (
            label.status_id,
            label.status_message.as_deref().unwrap_or(""),
        ),
    };
    let message = message.to_string();
    diesel::update(l::table.find(label.id))
        .set((
            l::state.eq(state),
            l::cancel_outcome.eq(outcome.as_str()),
            l::status_id.eq(status_id),
            l::status_message.eq(Some(&message)),
            l::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    if state != label.state {
        host.patch_tracking(
            conn,
            label.delivery_id,
            &TrackingUpdate {
                shipping_status: Some(message),
                ..TrackingUpdate::default()
            },
        )?;
        emit(
            conn,
            label.id,
            if state == STATE_CANCELLED {
                EventType::LabelCancelled
            } else {
                EventType::StatusChanged
            },
        )?;
    }
    Ok(())
}

/// A cancellation's outcome, in words on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum CancelOutcome {
    Cancelled,
    Queued,
    TooLate,
    Delivered,
    AlreadyCancelled,
    NotFound,
    NoLabel,
    Failed,
}

impl CancelOutcome {
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<CancelOutcome> {
        s.parse().ok()
    }

    pub fn label_id(&self) -> String {
        format!("cancel-outcome-{}", self.as_str().replace('_', "-"))
    }

    /// The outcome of Sendcloud's 409 message (already cancelled, announced
    /// more than 42 days ago, delivered); the label's status decides when the
    /// message says nothing we know.
    pub fn of_refusal(message: &str, status_id: Option<i64>) -> CancelOutcome {
        let m = message.to_lowercase();
        if m.contains("already") && m.contains("cancel") {
            CancelOutcome::AlreadyCancelled
        } else if m.contains("42") || m.contains("days") {
            CancelOutcome::TooLate
        } else if m.contains("deliver") || status_id.is_some_and(|s| DELIVERED.contains(&s)) {
            CancelOutcome::Delivered
        } else if status_id.is_some_and(|s| CANCELLED.contains(&s)) {
            CancelOutcome::AlreadyCancelled
        } else {
            CancelOutcome::TooLate
        }
    }
}

/// The news of a v2 parcel (webhook payload, v2 list).
pub fn news_of_parcel(x: &crate::sendcloud::Parcel, as_of_ms: i64) -> ParcelNews {
    ParcelNews {
        parcel_id: x.id,
        shipment_id: None,
        external_reference: x.external_reference.clone().filter(|r| !r.is_empty()),
        order_number: x.order_number.clone().filter(|o| !o.is_empty()),
        tracking_number: x.tracking_number.clone().filter(|t| !t.is_empty()),
        tracking_url: x.tracking_url.clone().filter(|t| !t.is_empty()),
        carrier: x.carrier.as_ref().and_then(|c| c.code.clone()),
        status_id: x.status.as_ref().map(|s| s.id),
        status_code: None,
        status_message: x
            .status
            .as_ref()
            .map(|s| s.message.clone())
            .unwrap_or_default(),
        as_of_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_stable_and_replacements_count_up() {
        assert_eq!(external_reference(3, 17), "sc-delivery-3-17");
        assert_eq!(next_reference("sc-delivery-3-17"), "sc-delivery-3-17~2");
        assert_eq!(next_reference("sc-delivery-3-17~2"), "sc-delivery-3-17~3");
    }

    #[test]
    fn refusals_in_words() {
        assert_eq!(
            CancelOutcome::of_refusal("The shipment has already been cancelled.", None),
            CancelOutcome::AlreadyCancelled
        );
        assert_eq!(
            CancelOutcome::of_refusal("announced more than 42 days ago", None),
            CancelOutcome::TooLate
        );
        assert_eq!(
            CancelOutcome::of_refusal("has been delivered", None),
            CancelOutcome::Delivered
        );
    }
}
