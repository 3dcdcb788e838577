//! The incremental Abgleich of returns (v3 `GET /returns`) and the one
//! store path that both it and the `return_created` webhooks use.
//!
//! v3 filters returns by creation time only (`from_date`/`to_date`, both
//! required), so the position per company (`sendcloud_sync_cursors`,
//! `object = 'returns'`) is a high-water mark on `created_at`: a run asks for
//! `from_date` = the previous run's `to_date` minus [`OVERLAP_MINUTES`] up
//! to its own start. While a run is under way the cursor column holds a
//! JSON [`Resume`] (the next page's cursor and the run's window) written in
//! the same transaction as each page, so a run that dies resumes at the next
//! page. A run with nothing new costs one request.
//!
//! A v3 return names no outgoing parcel: it is found by the return's order
//! number among the company's stored parcels (the newest outgoing one), and
//! through that parcel's external reference / order the host's delivery
//! (`Host::delivery_for`). Each row carries `as_of_ms`: older news never
//! overwrites newer, whichever path brings it.

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use diesel::prelude::*;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use super::{Counts, SyncError};
use crate::context::Context;
use crate::db::schema::sendcloud_parcels as p;
use crate::db::schema::sendcloud_returns as r;
use crate::db::schema::sendcloud_sync_cursors as cur;
use crate::db::types::DecValue;
use crate::db::{DbConn, DbError, DbResult};
use crate::host::Host;
use crate::sendcloud::{RawReturn, ReturnFilter, SendcloudClient};

/// How far before the previous run's end the next run looks back.
pub const OVERLAP_MINUTES: i64 = 5;

/// Returns per page asked of Sendcloud (v3 allows 1–40).
pub const PAGE_SIZE: u32 = 40;

const OBJECT: &str = "returns";

/// An interrupted run, stored in `sendcloud_sync_cursors.cursor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resume {
    pub next: String,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    #[serde(default)]
    pub run_id: Option<i64>,
    #[serde(default)]
    pub counts: Counts,
}

/// Where the returns Abgleich of a company stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Position {
    pub high_water: Option<NaiveDateTime>,
    pub resume: Option<Resume>,
}

/// The stored position (an unreadable resume record counts as none).
pub fn position(conn: &mut DbConn, company_id: i64) -> DbResult<Position> {
    let row: Option<(Option<String>, Option<NaiveDateTime>)> = cur::table
        .filter(cur::company_id.eq(company_id).and(cur::object.eq(OBJECT)))
        .select((cur::cursor, cur::high_water))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => Position::default(),
        Some((cursor, high_water)) => Position {
            high_water,
            resume: cursor.and_then(|c| serde_json::from_str(&c).ok()),
        },
    })
}

fn save_position(conn: &mut DbConn, company_id: i64, pos: &Position) -> DbResult<()> {
    let now = Utc::now().naive_utc();
    let cursor = pos
        .resume
        .as_ref()
        .map(|r| serde_json::to_string(r).unwrap_or_default());
    let target = cur::table.filter(cur::company_id.eq(company_id).and(cur::object.eq(OBJECT)));
    let n = diesel::update(target)
        .set((
            cur::cursor.eq(&cursor),
            cur::high_water.eq(pos.high_water),
            cur::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(cur::table)
            .values((
                cur::company_id.eq(company_id),
                cur::object.eq(OBJECT),
                cur::cursor.eq(&cursor),
                cur::high_water.eq(pos.high_water),
                cur::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Where a first run starts: before any Sendcloud account existed.
fn beginning() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// The returns Abgleich as part of run `run_id`: what it counted, also when
/// it failed halfway.
pub async fn sync_in_run(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
    run_id: Option<i64>,
) -> (Counts, Result<(), SyncError>) {
    let pos = match ctx.db.run(move |c| position(c, company_id)).await {
        Ok(pos) => pos,
        Err(e) => return (Counts::default(), Err(e.into())),
    };
    let mut counts = match &pos.resume {
        Some(r) if run_id.is_some() && r.run_id == run_id => r.counts,
        _ => Counts::default(),
    };
    let (from, to, cursor) = match &pos.resume {
        Some(r) => (r.from, r.to, Some(r.next.clone())),
        // `to_date` is sent in whole seconds: round up so that a return
        // created during this second is inside the window.
        None => (
            pos.high_water.unwrap_or_else(beginning),
            Utc::now()
                .naive_utc()
                .with_nanosecond(0)
                .unwrap_or_default()
                + Duration::seconds(1),
            None,
        ),
    };
    let resumed = cursor.is_some();
    let filter = ReturnFilter {
        from_date: Utc.from_utc_datetime(&from),
        to_date: Utc.from_utc_datetime(&to),
        parent_parcel_status: None,
        page_size: Some(PAGE_SIZE),
        cursor,
    };
    let host = ctx.host.clone();
    let pages = client.return_v3_pages(&filter);
    futures_util::pin_mut!(pages);
    let mut first = true;
    loop {
        let asked_ms = Utc::now().timestamp_millis();
        let Some(page) = pages.next().await else {
            return (counts, Ok(()));
        };
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                let refused = matches!(
                    e,
                    crate::sendcloud::Error::NotFound { .. }
                        | crate::sendcloud::Error::Validation { .. }
                );
                if first && resumed && refused {
                    // The saved cursor is no longer known: the next run
                    // reads the interrupted window again from its start.
                    let high_water = pos.high_water;
                    let cleared = ctx
                        .db
                        .run(move |c| {
                            save_position(
                                c,
                                company_id,
                                &Position {
                                    high_water,
                                    resume: None,
                                },
                            )
                        })
                        .await;
                    if let Err(db) = cleared {
                        return (counts, Err(db.into()));
                    }
                }
                return (counts, Err(e.into()));
            }
        };
        first = false;
        let after = Position {
            high_water: match page.next_cursor {
                Some(_) => pos.high_water,
                None => Some(to - Duration::minutes(OVERLAP_MINUTES)),
            },
            resume: page.next_cursor.clone().map(|next| Resume {
                next,
                from,
                to,
                run_id,
                counts: Counts::default(),
            }),
        };
        let items = page.items;
        let so_far = counts;
        let host = host.clone();
        let written = ctx
            .db
            .run(move |c| {
                c.write_transaction(|c| {
                    let n = store_returns(c, host.as_ref(), company_id, &items, asked_ms)?;
                    let mut total = so_far;
                    total.add(n);
                    let mut after = after;
                    if let Some(r) = after.resume.as_mut() {
                        r.counts = total;
                    }
                    save_position(c, company_id, &after)?;
                    Ok::<_, DbError>(n)
                })
            })
            .await;
        match written {
            Ok(n) => counts.add(n),
            Err(e) => return (counts, Err(e.into())),
        }
    }
}

/// The stored columns of a return.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = r, treat_none_as_null = true)]
struct ReturnRow {
    status: Option<String>,
    parcel_status: Option<String>,
    order_number: String,
    tracking_number: Option<String>,
    tracking_url: Option<String>,
    carrier: Option<String>,
    shipping_product_code: Option<String>,
    shipping_option_code: Option<String>,
    reason_id: Option<i64>,
    reason: Option<String>,
    refund_type: Option<String>,
    return_fee: Option<DecValue>,
    return_fee_currency: Option<String>,
    label_cost: Option<DecValue>,
    label_currency: Option<String>,
    from_name: Option<String>,
    from_country: Option<String>,
    brand_id: Option<i64>,
    outgoing_parcel_id: Option<i64>,
    delivery_id: Option<i64>,
    created_at: Option<NaiveDateTime>,
    delivered_at: Option<NaiveDateTime>,
    raw: Option<String>,
}

fn row_of(x: &RawReturn) -> ReturnRow {
    let v = &x.parsed;
    let code =
        |c: &Option<crate::sendcloud::shipments::Code>| c.as_ref().and_then(|c| c.code.clone());
    ReturnRow {
        status: v.status.clone(),
        parcel_status: v.parcel_status(),
        order_number: v.order_number.clone(),
        tracking_number: v.tracking_number.clone().filter(|t| !t.is_empty()),
        tracking_url: v.tracking_url.clone().filter(|t| !t.is_empty()),
        carrier: v.carrier(),
        shipping_product_code: code(&v.shipping_product),
        shipping_option_code: code(&v.shipping_option),
        reason_id: v.reason.as_ref().and_then(|r| r.id),
        reason: v.reason.as_ref().and_then(|r| r.description.clone()),
        refund_type: v.refund.as_ref().and_then(|r| r.refund_type.clone()),
        return_fee: v.return_fee.as_ref().and_then(|m| m.value).map(DecValue),
        return_fee_currency: v.return_fee.as_ref().and_then(|m| m.currency.clone()),
        label_cost: v.label_cost.as_ref().and_then(|m| m.value).map(DecValue),
        label_currency: v.label_cost.as_ref().and_then(|m| m.currency.clone()),
        from_name: v.from_address.as_ref().and_then(|a| a.name.clone()),
        from_country: v.from_address.as_ref().and_then(|a| a.country_code.clone()),
        brand_id: v.brand_id,
        outgoing_parcel_id: None,
        delivery_id: None,
        created_at: v.created_at.as_ref().map(|d| d.naive_utc()),
        delivered_at: v.delivered_at_iso.as_ref().map(|d| d.naive_utc()),
        raw: Some(crate::text::storable(&x.raw.to_string()).into_owned()),
    }
}

/// The company's newest outgoing parcel with this order number, and its
/// external reference.
fn outgoing_parcel(
    conn: &mut DbConn,
    company_id: i64,
    order_number: &str,
) -> DbResult<Option<(i64, Option<String>)>> {
    if order_number.trim().is_empty() {
        return Ok(None);
    }
    Ok(p::table
        .filter(
            p::company_id
                .eq(company_id)
                .and(p::order_number.eq(order_number))
                .and(p::is_return.eq(false)),
        )
        .order((p::date_created.desc(), p::sendcloud_id.desc()))
        .select((p::sendcloud_id, p::external_reference))
        .first(conn)
        .optional()?)
}

/// Upsert returns of a company by Sendcloud id (inside the caller's write
/// transaction), linked to their outgoing parcel and the host's delivery.
/// A return stored from newer news (`as_of_ms`) is left as it is; one whose
/// answer did not change is only touched.
pub fn store_returns(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
    list: &[RawReturn],
    as_of_ms: i64,
) -> DbResult<Counts> {
    let now = Utc::now().naive_utc();
    let mut counts = Counts {
        fetched: list.len() as i32,
        ..Default::default()
    };
    let ids: Vec<i64> = list.iter().filter_map(|x| x.parsed.id).collect();
    let existing: HashMap<i64, (Option<String>, i64)> = r::table
        .filter(
            r::company_id
                .eq(company_id)
                .and(r::sendcloud_id.eq_any(&ids)),
        )
        .select((r::sendcloud_id, r::raw, r::as_of_ms))
        .load::<(i64, Option<String>, i64)>(conn)?
        .into_iter()
        .map(|(id, raw, ts)| (id, (raw, ts)))
        .collect();
    for x in list {
        let Some(id) = x.parsed.id else {
            // Without an id it cannot be matched again: not stored.
            counts.failed += 1;
            continue;
        };
        let mut row = row_of(x);
        if let Some((parcel, reference)) = outgoing_parcel(conn, company_id, &row.order_number)? {
            row.outgoing_parcel_id = Some(parcel);
            row.delivery_id =
                host.delivery_for(conn, company_id, reference.as_deref(), &row.order_number)?;
        }
        let target = r::table.filter(r::company_id.eq(company_id).and(r::sendcloud_id.eq(id)));
        match existing.get(&id) {
            None => {
                diesel::insert_into(r::table)
                    .values((
                        r::company_id.eq(company_id),
                        r::sendcloud_id.eq(id),
                        row,
                        r::as_of_ms.eq(as_of_ms),
                        r::synced_at.eq(now),
                    ))
                    .execute(conn)?;
                counts.created += 1;
            }
            Some((_, stored)) if *stored > as_of_ms => counts.unchanged += 1,
            Some((raw, _)) if *raw == row.raw => {
                diesel::update(target)
                    .set((
                        r::outgoing_parcel_id.eq(row.outgoing_parcel_id),
                        r::delivery_id.eq(row.delivery_id),
                        r::as_of_ms.eq(as_of_ms),
                        r::synced_at.eq(now),
                    ))
                    .execute(conn)?;
                counts.unchanged += 1;
            }
            Some(_) => {
                diesel::update(target)
                    .set((row, r::as_of_ms.eq(as_of_ms), r::synced_at.eq(now)))
                    .execute(conn)?;
                counts.updated += 1;
            }
        }
    }
    Ok(counts)
}

/// A `return_created` webhook's `data` as a return: the id, order number,
/// reason and refund type it states (the Abgleich fills in the rest).
pub fn from_webhook(data: &serde_json::Value) -> Option<RawReturn> {
    let id = match &data["id"] {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    let v3 = serde_json::json!({
        "id": id,
        "order_number": data["order_number"].as_str().unwrap_or(""),
        "brand_id": data["brand_id"],
        "reason": {"id": data["return_reason_id"]},
        "refund": {"refund_type": data["refund_type"]},
        "status": "open",
    });
    let parsed = serde_json::from_value(v3.clone()).ok()?;
    Some(RawReturn { parsed, raw: v3 })
}

/// How many returns of a company the module holds.
pub fn count(conn: &mut DbConn, company_id: i64) -> DbResult<i64> {
    Ok(r::table
        .filter(r::company_id.eq(company_id))
        .count()
        .get_result(conn)?)
}
