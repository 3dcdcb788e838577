//! The [`Host`] implementation on the reference schema (`HOST-SCHEMA.md`).

use diesel::prelude::*;

use super::*;
use crate::db::schema::*;
use crate::db::{DbConn, DbResult};

/// The host as described by the reference schema.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReferenceHost;

impl Host for ReferenceHost {
    fn companies(&self, conn: &mut DbConn) -> DbResult<Vec<Company>> {
        Ok(companies::table
            .select(Company::as_select())
            .order((companies::name, companies::id))
            .load(conn)?)
    }

    fn company(&self, conn: &mut DbConn, id: i64) -> DbResult<Option<Company>> {
        Ok(companies::table
            .find(id)
            .select(Company::as_select())
            .first(conn)
            .optional()?)
    }

    fn warehouses(&self, conn: &mut DbConn, company_id: i64) -> DbResult<Vec<Warehouse>> {
        Ok(warehouses::table
            .filter(warehouses::company_id.eq(company_id))
            .select(Warehouse::as_select())
            .order(warehouses::code)
            .load(conn)?)
    }

    fn stats(&self, conn: &mut DbConn, company_id: i64) -> DbResult<HostStats> {
        Ok(HostStats {
            warehouses: warehouses::table
                .filter(warehouses::company_id.eq(company_id))
                .count()
                .get_result(conn)?,
            customers: customers::table
                .filter(customers::company_id.eq(company_id))
                .count()
                .get_result(conn)?,
            products: products::table
                .filter(products::company_id.eq(company_id))
                .count()
                .get_result(conn)?,
            sales_orders: sales_orders::table
                .filter(sales_orders::company_id.eq(company_id))
                .count()
                .get_result(conn)?,
            deliveries: deliveries::table
                .filter(deliveries::company_id.eq(company_id))
                .count()
                .get_result(conn)?,
        })
    }

    fn write_tracking(
        &self,
        conn: &mut DbConn,
        delivery_id: i64,
        t: &TrackingUpdate,
    ) -> DbResult<()> {
        let now = chrono::Utc::now().naive_utc();
        let n = diesel::update(deliveries::table.find(delivery_id))
            .set((
                deliveries::tracking_number.eq(&t.tracking_number),
                deliveries::tracking_url.eq(&t.tracking_url),
                deliveries::carrier.eq(&t.carrier),
                deliveries::shipping_status.eq(&t.shipping_status),
                deliveries::label_pdf.eq(&t.label_pdf),
                deliveries::remarks.eq(&t.remarks),
                deliveries::updated_at.eq(now),
            ))
            .execute(conn)?;
        if n == 0 {
            return Err(crate::db::DbError::Query(diesel::result::Error::NotFound));
        }
        Ok(())
    }
}
