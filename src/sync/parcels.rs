//! The incremental Abgleich of parcels (DESIGN §4, MISSION "incremental sync").
//!
//! A run asks Sendcloud only for parcels changed since the previous run
//! (`GET /parcels?updated_after=…`), so an Abgleich with nothing new costs one
//! request. Pages are streamed: the next page is fetched while the current one
//! is written, so memory stays flat whatever the account holds. Each page is
//! upserted by (company, Sendcloud id) in one transaction together with the
//! position in `sendcloud_sync_cursors`: a run that dies halfway resumes at
//! the page after the last one written, and a page written twice changes
//! nothing.
//!
//! Position per company (`object = 'parcels'`):
//! - `high_water`: where the next run starts (`updated_after`); set when a run
//!   has read the last page, to the time that run started minus
//!   [`OVERLAP_MINUTES`] (our clock, not Sendcloud's `date_updated`, whose
//!   time zone Sendcloud does not state; the overlap covers clock skew).
//! - `cursor`: while a run is under way, a JSON [`Resume`] with the cursor
//!   of the next page and the run's own start and `updated_after`, so that a
//!   resumed run finishes the interrupted one instead of skipping ahead.
//!
//! Without a high-water mark (the first run, or after the position row was
//! deleted: that is how a full resync is asked for) a run reads every parcel.

use chrono::{Duration, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use super::{Counts, SyncError};
use crate::context::Context;
use crate::db::schema::sendcloud_parcels as p;
use crate::db::schema::sendcloud_sync_cursors as cur;
use crate::db::types::DecValue;
use crate::db::{DbConn, DbError, DbResult};
use crate::sendcloud::{Parcel, ParcelFilter, SendcloudClient};

/// How far before the previous run's start the next run looks back.
pub const OVERLAP_MINUTES: i64 = 5;

const OBJECT: &str = "parcels";

/// An interrupted run, stored in `sendcloud_sync_cursors.cursor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resume {
    /// The cursor of the next page to read.
    pub next: String,
    /// The `updated_after` of the interrupted run (`None`: everything).
    pub since: Option<NaiveDateTime>,
    /// When the interrupted run started (becomes the high-water mark).
    pub started: NaiveDateTime,
    /// The run row (`sendcloud_sync_runs`) the pages so far belong to, and
    /// what they counted: a resumed run reports the whole run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<i64>,
    #[serde(default)]
    pub counts: Counts,
}

/// The run a parcel Abgleich belongs to: each page writes the run's
/// progress (`base`, what the run's earlier objects counted, plus the
/// parcels so far) in the page's own transaction.
#[derive(Debug, Clone, Copy)]
pub struct RunProgress {
    pub run_id: i64,
    pub base: Counts,
}

/// Where the parcel Abgleich of a company stands.
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

/// Run the parcel Abgleich of a company: resume an interrupted run, or read
/// what changed since the high-water mark.
pub async fn sync(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
) -> Result<Counts, SyncError> {
    let (counts, result) = sync_with(ctx, client, company_id, None).await;
    result.map(|()| counts)
}

/// The parcel Abgleich as part of a run: progress per page on the run row,
/// and what it counted even when it failed halfway.
pub async fn sync_in_run(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
    run: RunProgress,
) -> (Counts, Result<(), SyncError>) {
    sync_with(ctx, client, company_id, Some(run)).await
}

async fn sync_with(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
    run: Option<RunProgress>,
) -> (Counts, Result<(), SyncError>) {
    let pos = match ctx.db.run(move |c| position(c, company_id)).await {
        Ok(pos) => pos,
        Err(e) => return (Counts::default(), Err(e.into())),
    };
    let run_id = run.map(|r| r.run_id);
    // Pages an interrupted attempt of this same run already counted.
    let mut counts = match &pos.resume {
        Some(r) if run_id.is_some() && r.run_id == run_id => r.counts,
        _ => Counts::default(),
    };
    let (since, started, cursor) = match &pos.resume {
        Some(r) => (r.since, r.started, Some(r.next.clone())),
        None => (pos.high_water, Utc::now().naive_utc(), None),
    };
    let resumed = cursor.is_some();
    let filter = ParcelFilter {
        updated_after: since.map(|t| Utc.from_utc_datetime(&t)),
        cursor,
        ..Default::default()
    };
    // Fetch page n+1 while page n is written: one page in flight, one in hand.
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let pages = client.parcel_pages(&filter);
    let producer = tokio::spawn(async move {
        futures_util::pin_mut!(pages);
        loop {
            // The page shows Sendcloud's state as of the request at the latest.
            let asked_ms = Utc::now().timestamp_millis();
            let Some(page) = pages.next().await else {
                break;
            };
            let failed = page.is_err();
            if tx.send((page, asked_ms)).await.is_err() || failed {
                break;
            }
        }
    });
    let mut first = true;
    let result = loop {
        let Some((page, asked_ms)) = rx.recv().await else {
            break Ok(());
        };
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                let cursor_refused = matches!(
                    e,
                    crate::sendcloud::Error::NotFound { .. }
                        | crate::sendcloud::Error::Validation { .. }
                );
                if first && resumed && cursor_refused {
                    // Sendcloud refused the saved cursor ("Invalid cursor", an
                    // expired one): the next run reads the interrupted range
                    // again from its start.
                    let high_water = pos.high_water;
                    let saved = ctx
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
                    if let Err(db) = saved {
                        break Err(db.into());
                    }
                }
                break Err(e.into());
            }
        };
        first = false;
        let after = Position {
            high_water: match page.next_cursor {
                Some(_) => pos.high_water,
                None => Some(started - Duration::minutes(OVERLAP_MINUTES)),
            },
            resume: page.next_cursor.clone().map(|next| Resume {
                next,
                since,
                started,
                run_id,
                counts: Counts::default(),
            }),
        };
        let items = page.items;
        let now = Utc::now().naive_utc();
        let so_far = counts;
        let host = ctx.host.clone();
        let written = ctx
            .db
            .run(move |c| {
                c.write_transaction(|c| {
                    let n = store_page(c, host.as_ref(), company_id, &items, asked_ms, now)?;
                    let mut total = so_far;
                    total.add(n);
                    let mut after = after;
                    if let Some(r) = after.resume.as_mut() {
                        r.counts = total;
                    }
                    save_position(c, company_id, &after)?;
                    if let Some(run) = run {
                        let mut shown = run.base;
                        shown.add(total);
                        super::set_progress(c, run.run_id, "running", Some(OBJECT), shown, None)?;
                    }
                    Ok::<_, DbError>(n)
                })
            })
            .await;
        match written {
            Ok(n) => counts.add(n),
            Err(e) => break Err(e.into()),
        }
    };
    drop(rx);
    let _ = producer.await;
    (counts, result)
}

/// Store one page of the Abgleich (inside its write transaction). When the
/// database refuses the page as a whole (a value it cannot hold, such as a
/// weight beyond NUMERIC(10,3) on PostgreSQL), each parcel is stored on its
/// own and the ones it refuses are set aside: counted as failed and named in
/// the action log (`sync.parcels.skipped`), so one bad record never blocks
/// the page, the run or the runs after it. The next change of such a parcel
/// at Sendcloud brings it back into an incremental run.
fn store_page(
    c: &mut DbConn,
    host: &dyn crate::host::Host,
    company_id: i64,
    items: &[Parcel],
    asked_ms: i64,
    now: NaiveDateTime,
) -> DbResult<Counts> {
    let whole = c.transaction(|c| store_parcels(c, company_id, items, asked_ms, now));
    match whole {
        Ok(n) => {
            // The news reaches the deliveries' labels and the host (missed webhooks repaired).
            let news: Vec<_> = items
                .iter()
                .map(|x| crate::tracking::news_of_parcel(x, asked_ms))
                .collect();
            crate::tracking::apply_parcel_news(c, host, company_id, &news)?;
            return Ok(n);
        }
        Err(DbError::Query(diesel::result::Error::DatabaseError(..))) => {}
        Err(e) => return Err(e),
    }
    let mut counts = Counts::default();
    for parcel in items {
        let one = std::slice::from_ref(parcel);
        match c.transaction(|c| store_parcels(c, company_id, one, asked_ms, now)) {
            Ok(n) => counts.add(n),
            Err(DbError::Query(diesel::result::Error::DatabaseError(_, info))) => {
                counts.fetched += 1;
                counts.failed += 1;
                crate::actionlog::record(
                    c,
                    &crate::actionlog::Action {
                        company_id: Some(company_id),
                        direction: crate::actionlog::Direction::Internal,
                        action: "sync.parcels.skipped",
                        target: &format!("parcel {}", parcel.id),
                        ok: false,
                        status_code: None,
                        message: &crate::text::storable(info.message()),
                        user_name: None,
                    },
                )?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(counts)
}

/// The stored fields of a parcel, to tell changed from unchanged.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = p)]
struct ParcelRow {
    external_reference: Option<String>,
    order_number: String,
    name: String,
    company_name: String,
    city: String,
    postal_code: String,
    country: String,
    tracking_number: String,
    tracking_url: Option<String>,
    carrier: Option<String>,
    shipping_method_id: Option<i64>,
    shipping_method_name: Option<String>,
    status_id: Option<i64>,
    status_message: String,
    weight: Option<rust_decimal::Decimal>,
    is_return: bool,
    date_created: Option<NaiveDateTime>,
    date_updated: Option<NaiveDateTime>,
    date_announced: Option<NaiveDateTime>,
}

fn row_of(x: &Parcel) -> ParcelRow {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    ParcelRow {
        external_reference: x.external_reference.clone().filter(|r| !r.is_empty()),
        order_number: text(&x.order_number),
        name: text(&x.name),
        company_name: text(&x.company_name),
        city: text(&x.city),
        postal_code: text(&x.postal_code),
        country: x
            .country
            .as_ref()
            .and_then(|c| c.iso_2.clone())
            .unwrap_or_default(),
        tracking_number: text(&x.tracking_number),
        tracking_url: x.tracking_url.clone().filter(|u| !u.is_empty()),
        carrier: x.carrier.as_ref().and_then(|c| c.code.clone()),
        shipping_method_id: x.shipment.as_ref().map(|s| s.id),
        shipping_method_name: x.shipment.as_ref().and_then(|s| s.name.clone()),
        status_id: x.status.as_ref().map(|s| s.id),
        status_message: x
            .status
            .as_ref()
            .map(|s| s.message.clone())
            .unwrap_or_default(),
        weight: x.weight.map(|w| w.round_dp(3)),
        is_return: x.is_return.unwrap_or(false),
        date_created: x.date_created.map(|d| d.naive_local()),
        date_updated: x.date_updated.map(|d| d.naive_local()),
        date_announced: x.date_announced.map(|d| d.naive_local()),
    }
}

/// Upsert parcels of a company by Sendcloud id (call inside a write
/// transaction). `as_of_ms`: what time the data is from (a status webhook's
/// payload timestamp, or the Abgleich's fetch time). A parcel stored from
/// newer news is left as it is: a late webhook never undoes a newer state.
pub fn store_parcels(
    conn: &mut DbConn,
    company_id: i64,
    list: &[Parcel],
    as_of_ms: i64,
    now: NaiveDateTime,
) -> DbResult<Counts> {
    let mut counts = Counts {
        fetched: list.len() as i32,
        ..Default::default()
    };
    let ids: Vec<i64> = list.iter().map(|x| x.id).collect();
    let existing: HashMap<i64, (ParcelRow, i64)> = p::table
        .filter(
            p::company_id
                .eq(company_id)
                .and(p::sendcloud_id.eq_any(&ids)),
        )
        .select((p::sendcloud_id, ParcelRow::as_select(), p::as_of_ms))
        .load::<(i64, ParcelRow, i64)>(conn)?
        .into_iter()
        .map(|(id, row, ts)| (id, (row, ts)))
        .collect();
    // New parcels go in as one multi-row INSERT per page (row by row, a page
    // of 100 cost 100 round trips on PostgreSQL); the derived MultiConnection
    // has no batch insert, so it runs on the backend's own connection.
    let mut fresh: Vec<(i64, ParcelRow)> = Vec::new();
    for x in list {
        let row = row_of(x);
        let target = p::table.filter(p::company_id.eq(company_id).and(p::sendcloud_id.eq(x.id)));
        match existing.get(&x.id) {
            None => {
                // A page lists a parcel once; should it not, the last copy wins.
                fresh.retain(|(id, _)| *id != x.id);
                fresh.push((x.id, row));
            }
            // Stored from newer news: keep it.
            Some((_, stored)) if *stored > as_of_ms => counts.unchanged += 1,
            Some((old, _)) if *old == row => {
                diesel::update(target)
                    .set((p::as_of_ms.eq(as_of_ms), p::synced_at.eq(now)))
                    .execute(conn)?;
                counts.unchanged += 1;
            }
            Some(_) => {
                diesel::update(target)
                    .set((
                        columns(&row),
                        p::as_of_ms.eq(as_of_ms),
                        p::synced_at.eq(now),
                    ))
                    .execute(conn)?;
                counts.updated += 1;
            }
        }
    }
    if !fresh.is_empty() {
        let rows: Vec<_> = fresh
            .iter()
            .map(|(id, row)| {
                (
                    p::company_id.eq(company_id),
                    p::sendcloud_id.eq(*id),
                    columns(row),
                    p::as_of_ms.eq(as_of_ms),
                    p::synced_at.eq(now),
                )
            })
            .collect();
        // 500 rows × 23 values stay far below both backends' bind limits.
        for chunk in rows.chunks(500) {
            let insert = diesel::insert_into(p::table).values(chunk);
            match conn {
                DbConn::Postgres(pg) => insert.execute(pg)?,
                DbConn::Sqlite(lite) => insert.execute(lite)?,
            };
        }
        counts.created += fresh.len() as i32;
    }
    Ok(counts)
}

/// The stored fields of a parcel as column assignments.
#[allow(clippy::type_complexity)]
fn columns(
    row: &ParcelRow,
) -> (
    diesel::dsl::Eq<p::external_reference, &Option<String>>,
    diesel::dsl::Eq<p::order_number, &String>,
    diesel::dsl::Eq<p::name, &String>,
    diesel::dsl::Eq<p::company_name, &String>,
    diesel::dsl::Eq<p::city, &String>,
    diesel::dsl::Eq<p::postal_code, &String>,
    diesel::dsl::Eq<p::country, &String>,
    diesel::dsl::Eq<p::tracking_number, &String>,
    diesel::dsl::Eq<p::tracking_url, &Option<String>>,
    diesel::dsl::Eq<p::carrier, &Option<String>>,
    diesel::dsl::Eq<p::shipping_method_id, Option<i64>>,
    diesel::dsl::Eq<p::shipping_method_name, &Option<String>>,
    diesel::dsl::Eq<p::status_id, Option<i64>>,
    diesel::dsl::Eq<p::status_message, &String>,
    diesel::dsl::Eq<p::weight, Option<DecValue>>,
    diesel::dsl::Eq<p::is_return, bool>,
    diesel::dsl::Eq<p::date_created, Option<NaiveDateTime>>,
    diesel::dsl::Eq<p::date_updated, Option<NaiveDateTime>>,
    diesel::dsl::Eq<p::date_announced, Option<NaiveDateTime>>,
) {
    (
        p::external_reference.eq(&row.external_reference),
        p::order_number.eq(&row.order_number),
        p::name.eq(&row.name),
        p::company_name.eq(&row.company_name),
        p::city.eq(&row.city),
        p::postal_code.eq(&row.postal_code),
        p::country.eq(&row.country),
        p::tracking_number.eq(&row.tracking_number),
        p::tracking_url.eq(&row.tracking_url),
        p::carrier.eq(&row.carrier),
        p::shipping_method_id.eq(row.shipping_method_id),
        p::shipping_method_name.eq(&row.shipping_method_name),
        p::status_id.eq(row.status_id),
        p::status_message.eq(&row.status_message),
        p::weight.eq(row.weight.map(DecValue)),
        p::is_return.eq(row.is_return),
        p::date_created.eq(row.date_created),
        p::date_updated.eq(row.date_updated),
        p::date_announced.eq(row.date_announced),
    )
}

/// How many parcels of a company the module holds.
pub fn count(conn: &mut DbConn, company_id: i64) -> DbResult<i64> {
    Ok(p::table
        .filter(p::company_id.eq(company_id))
        .count()
        .get_result(conn)?)
}
