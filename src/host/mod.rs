//! The host back office as the module sees it: companies, warehouses,
//! customers and contacts, products, sales orders, goods deliveries.
//!
//! Everything the module reads from or writes to the host's tables goes
//! through the [`Host`] trait. [`ReferenceHost`] implements it on the
//! reference schema in `HOST-SCHEMA.md` (used standalone, in the demo and in
//! tests); a host whose tables differ implements the trait or maps its tables
//! onto the reference names with views. The module writes only the tracking
//! fields of `deliveries`.

pub mod demo;
mod models;
mod reference;

pub use models::*;
pub use reference::ReferenceHost;

use chrono::NaiveDateTime;

use crate::db::{DbConn, DbResult};

/// The narrow interface to the host's data.
pub trait Host: Send + Sync + 'static {
    /// All companies (Mandanten), by name.
    fn companies(&self, conn: &mut DbConn) -> DbResult<Vec<Company>>;
    /// One company, if it exists.
    fn company(&self, conn: &mut DbConn, id: i64) -> DbResult<Option<Company>>;
    /// The company's warehouses (active and inactive), by code.
    fn warehouses(&self, conn: &mut DbConn, company_id: i64) -> DbResult<Vec<Warehouse>>;
    /// Counts of the host objects of a company, for overviews.
    fn stats(&self, conn: &mut DbConn, company_id: i64) -> DbResult<HostStats>;
    /// Write what Sendcloud told us about a delivery's parcel into the
    /// delivery's tracking fields (the only host columns the module writes).
    fn write_tracking(
        &self,
        conn: &mut DbConn,
        delivery_id: i64,
        tracking: &TrackingUpdate,
    ) -> DbResult<()>;
    /// Like [`Host::write_tracking`], but only the fields that are `Some`
    /// (status news must not wipe the stored label document).
    fn patch_tracking(
        &self,
        conn: &mut DbConn,
        delivery_id: i64,
        tracking: &TrackingUpdate,
    ) -> DbResult<()>;
    /// The company's sales orders dated `since` or later that match
    /// `selection`, by id, each with its account, delivery contact and lines
    /// (with product data and the customs attributes named by `keys`).
    fn orders_for_push(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        since: NaiveDateTime,
        selection: OrderSelection,
        keys: &CustomsAttributeKeys,
    ) -> DbResult<Vec<OrderForPush>>;
    /// Like [`Host::orders_for_push`], narrowed by `filter` (changed since,
    /// named order numbers). The default filters what `orders_for_push`
    /// returns; the reference host asks the database.
    fn orders_for_push_filtered(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        filter: &OrderFilter,
        selection: OrderSelection,
        keys: &CustomsAttributeKeys,
    ) -> DbResult<Vec<OrderForPush>> {
        let since = filter
            .dated_since
            .unwrap_or(chrono::DateTime::UNIX_EPOCH.naive_utc());
        let mut orders = self.orders_for_push(conn, company_id, since, selection, keys)?;
        orders.retain(|o| filter.matches(&o.order));
        Ok(orders)
    }
    /// The company's orders matching `selection`, most recently changed
    /// first, at most `limit` (the Bestellungen abgleichen page).
    fn recent_orders(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        selection: OrderSelection,
        limit: i64,
    ) -> DbResult<Vec<SalesOrder>> {
        let filter = OrderFilter::default();
        let keys = CustomsAttributeKeys::default();
        let mut orders: Vec<SalesOrder> = self
            .orders_for_push_filtered(conn, company_id, &filter, selection, &keys)?
            .into_iter()
            .map(|o| o.order)
            .collect();
        orders.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
        orders.truncate(limit.max(0) as usize);
        Ok(orders)
    }
    /// The company's delivery a Sendcloud parcel belongs to: by the parcel's
    /// external reference (the delivery number, or `delivery-<id>`), else
    /// the newest delivery of the sales order with that order number.
    fn delivery_for(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        reference: Option<&str>,
        order_number: &str,
    ) -> DbResult<Option<i64>>;
    /// The product attribute keys the company's products carry, sorted
    /// (the pick-list of the customs attribute settings). A host that
    /// cannot tell returns none, and the settings take any sane key.
    fn product_attribute_keys(&self, conn: &mut DbConn, company_id: i64) -> DbResult<Vec<String>> {
        let _ = (conn, company_id);
        Ok(vec![])
    }
    /// The company's deliveries for a list, newest first (keyset paging).
    fn deliveries(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        query: &DeliveryQuery,
    ) -> DbResult<Vec<DeliveryListRow>>;
    /// One delivery of the company with its order, account, contact,
    /// warehouse and lines (product data and the customs attributes named by
    /// `keys`).
    fn delivery_for_label(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        delivery_id: i64,
        keys: &CustomsAttributeKeys,
    ) -> DbResult<Option<DeliveryForLabel>>;
    /// Deliveries of the company in status `done` created after `since`
    /// (all when `None`), oldest first, at most `limit`: (id, created_at).
    fn deliveries_done_since(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        since: Option<NaiveDateTime>,
        limit: i64,
    ) -> DbResult<Vec<(i64, NaiveDateTime)>>;
}
