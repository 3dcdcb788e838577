//! The incremental Abgleich of parcels (DESIGN §4, MISSION "incremental sync").
//!
//! A run asks Sendcloud only for shipments changed since the previous run
//! (v3 `GET /shipments?updated_after=…`, cursor from the `Link` header), so
//! an Abgleich with nothing new costs one request. Each shipment's parcels
//! (one per collo) are stored by their parcel id, the id v2 and the status
//! webhooks use, so both paths update the same rows. Pages are streamed: the next page is fetched while the current one
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
use crate::sendcloud::{Parcel, SendcloudClient, Shipment, ShipmentFilter};

/// How far before the previous run's start the next run looks back.
pub const OVERLAP_MINUTES: i64 = 5;

/// Shipments per page asked of Sendcloud (v3 allows 1–100).
pub const PAGE_SIZE: u32 = 100;

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
    let filter = ShipmentFilter {
        updated_after: since.map(|t| Utc.from_utc_datetime(&t)),
        cursor,
        page_size: Some(PAGE_SIZE),
        ..Default::default()
    };
    // v3 states status codes and messages; the integer id (what the v2
    // webhooks send and the reports filter on) comes from the company's
    // synced parcel status list.
    let statuses = match ctx.db.run(move |c| status_ids(c, company_id)).await {
        Ok(s) => std::sync::Arc::new(s),
        Err(e) => return (counts, Err(e.into())),
    };
    // Fetch page n+1 while page n is written: one page in flight, one in hand.
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let pages = client.shipment_pages(&filter);
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
        let items = rows_of_shipments(&page.items, &statuses);
        let now = Utc::now().naive_utc();
        let so_far = counts;
        let host = ctx.host.clone();
        let written = ctx
            .db
            .run(move |c| {
                write_page(
                    c,
                    host.as_ref(),
                    &PageWrite {
                        company_id,
                        items: &items,
                        asked_ms,
                        now,
                        after,
                        so_far,
                        run,
                        reads_all: since.is_none(),
                    },
                )
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

/// One page of the Abgleich as it is written: the page's rows, the position
/// after it and (inside a run) the run's progress.
pub struct PageWrite<'a> {
    pub company_id: i64,
    items: &'a [(i64, ParcelRow)],
    pub asked_ms: i64,
    pub now: NaiveDateTime,
    pub after: Position,
    /// What the run counted before this page.
    pub so_far: Counts,
    pub run: Option<RunProgress>,
    /// The run reads every parcel (no `updated_after`): new parcels are the
    /// rule, so they go in before anything is looked up.
    pub reads_all: bool,
}

/// The rows of a page of v3 shipments, as [`write_page`] takes them.
pub struct PageRows(Vec<(i64, ParcelRow)>);

impl PageRows {
    pub fn of(list: &[Shipment], statuses: &HashMap<String, i64>) -> PageRows {
        PageRows(rows_of_shipments(list, statuses))
    }
}

impl<'a> PageWrite<'a> {
    /// A page of the Abgleich from its rows (for the benchmark's "write
    /// only", which writes exactly what the Abgleich writes per page).
    pub fn new(
        company_id: i64,
        rows: &'a PageRows,
        asked_ms: i64,
        after: Position,
        reads_all: bool,
    ) -> Self {
        PageWrite {
            company_id,
            items: &rows.0,
            asked_ms,
            now: Utc::now().naive_utc(),
            after,
            so_far: Counts::default(),
            run: None,
            reads_all,
        }
    }
}

/// Write one page of the Abgleich in one write transaction: its parcels
/// (with the news they bring to the deliveries' labels and the host), the
/// position after it and the run's progress, so a run that dies resumes at
/// the next page. Returns what the page counted.
///
/// The page goes in as a whole, without a savepoint: on PostgreSQL every
/// statement is a round trip, and a page costs `BEGIN`, the insert of new
/// parcels, the look-up of the others, the labels' look-up, the position,
/// the progress and `COMMIT`. When the database refuses the page (a value it
/// cannot hold, such as a weight beyond NUMERIC(10,3) on PostgreSQL), the
/// transaction is rolled back and the page written again parcel by parcel,
/// each in a savepoint: the ones it refuses are set aside, counted as failed
/// and named in the action log (`sync.parcels.skipped`), so one bad record
/// never blocks the page, the run or the runs after it. The next change of
/// such a parcel at Sendcloud brings it back into an incremental run.
pub fn write_page(
    c: &mut DbConn,
    host: &dyn crate::host::Host,
    w: &PageWrite<'_>,
) -> DbResult<Counts> {
    let whole = c.write_transaction(|c| {
        let n = store_rows(c, w.company_id, w.items, w.asked_ms, w.now, w.reads_all)?;
        apply_news(c, host, w)?;
        finish_page(c, w, n)
    });
    match whole {
        Err(DbError::Query(diesel::result::Error::DatabaseError(..))) => {}
        other => return other,
    }
    c.write_transaction(|c| {
        let n = store_one_by_one(c, host, w)?;
        finish_page(c, w, n)
    })
}

/// The news the page's parcels bring to the labels (missed webhooks repaired).
fn apply_news(c: &mut DbConn, host: &dyn crate::host::Host, w: &PageWrite<'_>) -> DbResult<()> {
    let news: Vec<_> = w
        .items
        .iter()
        .map(|(id, row)| row.news(*id, w.asked_ms))
        .collect();
    crate::tracking::apply_parcel_news(c, host, w.company_id, &news)?;
    Ok(())
}

/// The position after the page and the run's progress.
fn finish_page(c: &mut DbConn, w: &PageWrite<'_>, n: Counts) -> DbResult<Counts> {
    let mut total = w.so_far;
    total.add(n);
    let mut after = w.after.clone();
    if let Some(r) = after.resume.as_mut() {
        r.counts = total;
    }
    save_position(c, w.company_id, &after)?;
    if let Some(run) = w.run {
        let mut shown = run.base;
        shown.add(total);
        super::set_progress(c, run.run_id, "running", Some(OBJECT), shown, None)?;
    }
    Ok(n)
}

/// The page parcel by parcel, each in a savepoint (after the page as a
/// whole was refused).
fn store_one_by_one(
    c: &mut DbConn,
    host: &dyn crate::host::Host,
    w: &PageWrite<'_>,
) -> DbResult<Counts> {
    let mut counts = Counts::default();
    for parcel in w.items {
        let one = std::slice::from_ref(parcel);
        let stored = c.transaction(|c| {
            let n = store_rows(c, w.company_id, one, w.asked_ms, w.now, false)?;
            let news = [parcel.1.news(parcel.0, w.asked_ms)];
            crate::tracking::apply_parcel_news(c, host, w.company_id, &news)?;
            Ok::<_, DbError>(n)
        });
        match stored {
            Ok(n) => counts.add(n),
            Err(DbError::Query(diesel::result::Error::DatabaseError(_, info))) => {
                counts.fetched += 1;
                counts.failed += 1;
                crate::actionlog::record(
                    c,
                    &crate::actionlog::Action {
                        company_id: Some(w.company_id),
                        direction: crate::actionlog::Direction::Internal,
                        action: "sync.parcels.skipped",
                        target: &format!("parcel {}", parcel.0),
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
pub(crate) struct ParcelRow {
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
    shipment_id: Option<String>,
    status_code: Option<String>,
}

impl ParcelRow {
    /// What this row tells the deliveries' labels (and through them the
    /// host's delivery): the Abgleich's half of the write-back.
    fn news(&self, parcel_id: i64, as_of_ms: i64) -> crate::tracking::ParcelNews {
        let given = |s: &Option<String>| s.clone().filter(|v| !v.is_empty());
        crate::tracking::ParcelNews {
            parcel_id,
            shipment_id: given(&self.shipment_id),
            external_reference: given(&self.external_reference),
            order_number: Some(self.order_number.clone()).filter(|o| !o.is_empty()),
            tracking_number: Some(self.tracking_number.clone()).filter(|t| !t.is_empty()),
            tracking_url: given(&self.tracking_url),
            carrier: given(&self.carrier),
            status_id: self.status_id,
            status_code: given(&self.status_code),
            status_message: self.status_message.clone(),
            as_of_ms,
        }
    }

    /// What this source does not state is kept from the stored row: v3
    /// shipments name no v2 shipping method id and no return flag, v2
    /// webhooks no v3 status code (kept only while the status id is the same).
    fn completed_from(mut self, old: &ParcelRow, from_v3: bool) -> ParcelRow {
        if from_v3 {
            if self.shipping_method_id.is_none() {
                self.shipping_method_id = old.shipping_method_id;
            }
            self.is_return = self.is_return || old.is_return;
            if self.status_id.is_none() {
                self.status_id = old.status_id;
            }
        } else {
            if self.status_code.is_none() && self.status_id == old.status_id {
                self.status_code.clone_from(&old.status_code);
            }
            if self.shipment_id.is_none() {
                self.shipment_id.clone_from(&old.shipment_id);
            }
        }
        self
    }
}

/// Parcel status id by message (lower case), from the company's synced
/// status list.
pub fn status_ids(conn: &mut DbConn, company_id: i64) -> DbResult<HashMap<String, i64>> {
    use crate::db::schema::sendcloud_parcel_statuses as ps;
    Ok(ps::table
        .filter(ps::company_id.eq(company_id))
        .select((ps::message, ps::status_id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .map(|(m, id)| (m.to_lowercase(), id))
        .collect())
}

/// The rows of a page of v3 shipments: one per parcel (collo), keyed by the
/// parcel id.
pub(crate) fn rows_of_shipments(
    list: &[Shipment],
    statuses: &HashMap<String, i64>,
) -> Vec<(i64, ParcelRow)> {
    let mut out = Vec::new();
    for s in list {
        let to = s.to_address.clone().unwrap_or_default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        for (i, x) in s.parcels.iter().enumerate() {
            let status = x.status.clone().unwrap_or_default();
            let row = ParcelRow {
                external_reference: s
                    .external_reference_id
                    .clone()
                    .filter(|r| !r.is_empty() && i == 0),
                order_number: text(&s.order_number),
                name: text(&to.name),
                company_name: text(&to.company_name),
                city: text(&to.city),
                postal_code: text(&to.postal_code),
                country: text(&to.country_code),
                tracking_number: text(&x.tracking_number),
                tracking_url: x.tracking_url.clone().filter(|u| !u.is_empty()),
                carrier: s.carrier.as_ref().and_then(|c| c.code.clone()),
                shipping_method_id: None,
                shipping_method_name: s.shipping_option_code().map(str::to_string),
                status_id: statuses.get(&status.message.to_lowercase()).copied(),
                status_message: status.message,
                weight: x
                    .weight
                    .as_ref()
                    .and_then(|w| w.kg())
                    .map(|w| w.round_dp(3)),
                is_return: false,
                date_created: x.created_at.as_ref().map(|d| d.naive_local()),
                date_updated: x.updated_at.as_ref().map(|d| d.naive_local()),
                date_announced: x.announced_at.as_ref().map(|d| d.naive_local()),
                shipment_id: s.id.clone(),
                status_code: Some(status.code).filter(|c| !c.is_empty()),
            };
            out.push((x.id, row));
        }
    }
    out
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
        shipment_id: x.shipment_uuid.clone().filter(|u| !u.is_empty()),
        status_code: None,
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
    let rows: Vec<(i64, ParcelRow)> = list.iter().map(|x| (x.id, row_of(x))).collect();
    store_any(conn, company_id, &rows, as_of_ms, now, false, false)
}

/// Store a page of v3 shipments as the Abgleich does (inside the caller's
/// write transaction); `statuses` from [`status_ids`].
pub fn store_shipments(
    conn: &mut DbConn,
    company_id: i64,
    list: &[Shipment],
    statuses: &HashMap<String, i64>,
    as_of_ms: i64,
    now: NaiveDateTime,
) -> DbResult<Counts> {
    store_rows(
        conn,
        company_id,
        &rows_of_shipments(list, statuses),
        as_of_ms,
        now,
        false,
    )
}

/// [`store_parcels`] for rows read from v3 shipments.
fn store_rows(
    conn: &mut DbConn,
    company_id: i64,
    list: &[(i64, ParcelRow)],
    as_of_ms: i64,
    now: NaiveDateTime,
    insert_first: bool,
) -> DbResult<Counts> {
    store_any(conn, company_id, list, as_of_ms, now, true, insert_first)
}

fn store_any(
    conn: &mut DbConn,
    company_id: i64,
    list: &[(i64, ParcelRow)],
    as_of_ms: i64,
    now: NaiveDateTime,
    from_v3: bool,
    insert_first: bool,
) -> DbResult<Counts> {
    let mut counts = Counts {
        fetched: list.len() as i32,
        ..Default::default()
    };
    // A page lists a parcel once; should it not, the last copy wins.
    let mut page: Vec<&(i64, ParcelRow)> = Vec::with_capacity(list.len());
    for item in list.iter().rev() {
        if !page.iter().any(|(known, _)| *known == item.0) {
            page.push(item);
        }
    }
    page.reverse();
    macro_rules! insert_rows {
        ($list:expr) => {
            $list
                .iter()
                .map(|item| {
                    let (id, row): &(i64, ParcelRow) = item;
                    (
                        p::company_id.eq(company_id),
                        p::sendcloud_id.eq(*id),
                        columns(row),
                        p::as_of_ms.eq(as_of_ms),
                        p::synced_at.eq(now),
                    )
                })
                .collect::<Vec<_>>()
        };
    }
    // PostgreSQL: every statement is a round trip, so new parcels go in
    // first, as one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`
    // per page, and only the parcels it did not insert are looked up (a
    // first Abgleich: one statement per page instead of two; `insert_first`,
    // for runs that read everything, where new parcels are the rule). A parcel
    // another writer inserts at the same moment waits for that writer and is
    // then looked up like any stored parcel. The derived MultiConnection has
    // no batch insert, so it runs on the backend's own connection.
    let mut rest: Vec<&(i64, ParcelRow)> = page.clone();
    if let (DbConn::Postgres(pg), true) = (&mut *conn, insert_first) {
        let rows = insert_rows!(page);
        let mut inserted: Vec<i64> = Vec::with_capacity(rows.len());
        // 500 rows × 25 values stay far below the bind limit.
        for chunk in rows.chunks(500) {
            inserted.extend(
                diesel::insert_into(p::table)
                    .values(chunk)
                    .on_conflict((p::company_id, p::sendcloud_id))
                    .do_nothing()
                    .returning(p::sendcloud_id)
                    .get_results::<i64>(pg)?,
            );
        }
        counts.created += inserted.len() as i32;
        let inserted: std::collections::HashSet<i64> = inserted.into_iter().collect();
        rest.retain(|(id, _)| !inserted.contains(id));
        if rest.is_empty() {
            return Ok(counts);
        }
    }
    let ids: Vec<i64> = rest.iter().map(|(id, _)| *id).collect();
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
    let mut fresh: Vec<&(i64, ParcelRow)> = Vec::new();
    for item in rest {
        let (id, row) = item;
        let target = p::table.filter(p::company_id.eq(company_id).and(p::sendcloud_id.eq(*id)));
        match existing.get(id) {
            None => fresh.push(item),
            // Stored from newer news: keep it.
            Some((_, stored)) if *stored > as_of_ms => counts.unchanged += 1,
            Some((old, _)) => {
                let row = row.clone().completed_from(old, from_v3);
                if *old == row {
                    diesel::update(target)
                        .set((p::as_of_ms.eq(as_of_ms), p::synced_at.eq(now)))
                        .execute(conn)?;
                    counts.unchanged += 1;
                } else {
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
    }
    if !fresh.is_empty() {
        let rows = insert_rows!(fresh);
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
    diesel::dsl::Eq<p::shipment_id, &Option<String>>,
    diesel::dsl::Eq<p::status_code, &Option<String>>,
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
        p::shipment_id.eq(&row.shipment_id),
        p::status_code.eq(&row.status_code),
    )
}

/// How many parcels of a company the module holds.
pub fn count(conn: &mut DbConn, company_id: i64) -> DbResult<i64> {
    Ok(p::table
        .filter(p::company_id.eq(company_id))
        .count()
        .get_result(conn)?)
}
