//! The Abgleich of Sendcloud's invoices to the account, with their items.
//!
//! v3 publishes no invoices to us, so this reads v2: `GET /user/invoices`
//! (one request, the whole list: an account gets a few a month) and, only
//! for invoices the module does not hold yet, `GET /user/invoices/{id}` for
//! the items (an issued invoice's lines do not change; the list carries
//! what does, the paid flag). So a run with nothing new costs one request.
//! Invoices and items are written per invoice with its items in one
//! transaction; a run that dies halfway fetches the missing details next
//! time. Invoices are never deleted.

use chrono::Utc;
use diesel::prelude::*;
use std::collections::HashMap;

use super::{Counts, SyncError};
use crate::context::Context;
use crate::db::schema::sendcloud_invoice_items as it;
use crate::db::schema::sendcloud_invoices as inv;
use crate::db::types::DecValue;
use crate::db::{DbConn, DbResult};
use crate::sendcloud::invoices::{Invoice, InvoiceDetail};
use crate::sendcloud::SendcloudClient;

/// The stored fields of an invoice that the list states.
#[derive(Debug, Clone, PartialEq)]
struct Head {
    reference: String,
    kind: String,
    price_incl: rust_decimal::Decimal,
    price_excl: rust_decimal::Decimal,
    is_paid: bool,
    invoice_date: Option<chrono::NaiveDateTime>,
}

fn head_of(i: &Invoice) -> Head {
    Head {
        reference: i.reference.clone(),
        kind: i.kind.clone(),
        price_incl: i.price_incl.round_dp(2),
        price_excl: i.price_excl.round_dp(2),
        is_paid: i.is_paid,
        invoice_date: i.date.as_ref().map(|d| d.naive_local()),
    }
}

/// Sync the invoices of a company (see the module docs).
pub async fn sync(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
) -> Result<Counts, SyncError> {
    let list = client.list_invoices().await?;
    let asked_ms = Utc::now().timestamp_millis();
    let stored: HashMap<i64, Head> = ctx.db.run(move |c| stored_heads(c, company_id)).await?;
    let mut counts = Counts {
        fetched: list.len() as i32,
        ..Default::default()
    };
    for invoice in list {
        let head = head_of(&invoice);
        match stored.get(&invoice.id) {
            Some(old) if *old == head => counts.unchanged += 1,
            Some(_) => {
                let id = invoice.id;
                ctx.db
                    .run(move |c| {
                        c.write_transaction(|c| update_head(c, company_id, id, &head, asked_ms))
                    })
                    .await?;
                counts.updated += 1;
            }
            None => {
                let detail = client.get_invoice(invoice.id).await?;
                ctx.db
                    .run(move |c| {
                        c.write_transaction(|c| {
                            insert_invoice(c, company_id, &invoice, &detail, asked_ms)
                        })
                    })
                    .await?;
                counts.created += 1;
            }
        }
    }
    Ok(counts)
}

fn stored_heads(conn: &mut DbConn, company_id: i64) -> DbResult<HashMap<i64, Head>> {
    type Columns = (
        i64,
        String,
        String,
        rust_decimal::Decimal,
        rust_decimal::Decimal,
        bool,
        Option<chrono::NaiveDateTime>,
    );
    Ok(inv::table
        .filter(inv::company_id.eq(company_id))
        .select((
            inv::sendcloud_id,
            inv::reference,
            inv::kind,
            inv::price_incl,
            inv::price_excl,
            inv::is_paid,
            inv::invoice_date,
        ))
        .load::<Columns>(conn)?
        .into_iter()
        .map(
            |(id, reference, kind, price_incl, price_excl, is_paid, invoice_date)| {
                (
                    id,
                    Head {
                        reference,
                        kind,
                        price_incl: price_incl.round_dp(2),
                        price_excl: price_excl.round_dp(2),
                        is_paid,
                        invoice_date,
                    },
                )
            },
        )
        .collect())
}

fn update_head(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    h: &Head,
    as_of_ms: i64,
) -> DbResult<()> {
    diesel::update(inv::table.filter(inv::company_id.eq(company_id).and(inv::sendcloud_id.eq(id))))
        .set((
            inv::reference.eq(&h.reference),
            inv::kind.eq(&h.kind),
            inv::price_incl.eq(DecValue(h.price_incl)),
            inv::price_excl.eq(DecValue(h.price_excl)),
            inv::is_paid.eq(h.is_paid),
            inv::invoice_date.eq(h.invoice_date),
            inv::as_of_ms.eq(as_of_ms),
            inv::synced_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Store a new invoice with its items (inside the caller's transaction).
fn insert_invoice(
    conn: &mut DbConn,
    company_id: i64,
    invoice: &Invoice,
    detail: &InvoiceDetail,
    as_of_ms: i64,
) -> DbResult<()> {
    let h = head_of(invoice);
    let raw = serde_json::to_string(detail).ok();
    diesel::insert_into(inv::table)
        .values((
            inv::company_id.eq(company_id),
            inv::sendcloud_id.eq(invoice.id),
            inv::reference.eq(&h.reference),
            inv::kind.eq(&h.kind),
            inv::price_incl.eq(DecValue(h.price_incl)),
            inv::price_excl.eq(DecValue(h.price_excl)),
            inv::currency.eq(None::<String>),
            inv::is_paid.eq(h.is_paid),
            inv::invoice_date.eq(h.invoice_date),
            inv::item_count.eq(detail.items.len() as i64),
            inv::raw.eq(raw.as_deref().map(crate::text::storable)),
            inv::as_of_ms.eq(as_of_ms),
            inv::synced_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    let invoice_id: i64 = inv::table
        .filter(
            inv::company_id
                .eq(company_id)
                .and(inv::sendcloud_id.eq(invoice.id)),
        )
        .select(inv::id)
        .first(conn)?;
    let mut seen = std::collections::HashSet::new();
    for (position, item) in detail.items.iter().enumerate() {
        if !seen.insert(item.id) {
            continue;
        }
        diesel::insert_into(it::table)
            .values((
                it::company_id.eq(company_id),
                it::invoice_id.eq(invoice_id),
                it::sendcloud_id.eq(item.id),
                it::description.eq(crate::text::storable(&item.name)),
                it::amount.eq(None::<DecValue>),
                it::quantity.eq(None::<DecValue>),
                it::parcel_id.eq(None::<i64>),
                it::tracking_number.eq(None::<String>),
                it::position.eq(position as i64),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How many invoices of a company the module holds.
pub fn count(conn: &mut DbConn, company_id: i64) -> DbResult<i64> {
    Ok(inv::table
        .filter(inv::company_id.eq(company_id))
        .count()
        .get_result(conn)?)
}
