//! The [`Host`] implementation on the reference schema (`HOST-SCHEMA.md`).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rust_decimal::Decimal;

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

    fn product_attribute_keys(&self, conn: &mut DbConn, company_id: i64) -> DbResult<Vec<String>> {
        Ok(product_attributes::table
            .inner_join(products::table)
            .filter(products::company_id.eq(company_id))
            .select(product_attributes::key)
            .distinct()
            .order(product_attributes::key.asc())
            .load::<String>(conn)?)
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

    fn orders_for_push(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        since: NaiveDateTime,
        selection: OrderSelection,
        keys: &CustomsAttributeKeys,
    ) -> DbResult<Vec<OrderForPush>> {
        let mut query = sales_orders::table
            .filter(sales_orders::company_id.eq(company_id))
            .filter(sales_orders::order_date.ge(since))
            .filter(sales_orders::approved.eq(true))
            .filter(sales_orders::status.eq_any(["open", "partial"]))
            .into_boxed();
        if selection == OrderSelection::ApprovedOpenAndPaid {
            query = query.filter(sales_orders::payment_status.eq("paid"));
        }
        let orders: Vec<SalesOrder> = query
            .select(SalesOrder::as_select())
            .order(sales_orders::id)
            .load(conn)?;
        if orders.is_empty() {
            return Ok(Vec::new());
        }

        let mut customer_ids: Vec<i64> = orders.iter().map(|o| o.customer_id).collect();
        customer_ids.sort_unstable();
        customer_ids.dedup();
        let mut customers_by_id = HashMap::new();
        for chunk in customer_ids.chunks(ID_CHUNK) {
            for c in customers::table
                .filter(customers::id.eq_any(chunk))
                .select(Customer::as_select())
                .load(conn)?
            {
                customers_by_id.insert(c.id, c);
            }
        }

        let mut contact_ids: Vec<i64> = orders.iter().filter_map(|o| o.contact_id).collect();
        contact_ids.sort_unstable();
        contact_ids.dedup();
        let mut contacts_by_id = HashMap::new();
        for chunk in contact_ids.chunks(ID_CHUNK) {
            for c in contacts::table
                .filter(contacts::id.eq_any(chunk))
                .select(Contact::as_select())
                .load(conn)?
            {
                contacts_by_id.insert(c.id, c);
            }
        }

        let order_ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
        type LineRow = (
            i64,
            i64,
            i32,
            String,
            Decimal,
            Decimal,
            i64,
            String,
            String,
            Option<Decimal>,
            Option<String>,
        );
        let mut lines_by_order: HashMap<i64, Vec<OrderLineForPush>> = HashMap::new();
        let mut product_ids = Vec::new();
        for chunk in order_ids.chunks(ID_CHUNK) {
            let rows: Vec<LineRow> = sales_order_lines::table
                .inner_join(products::table)
                .filter(sales_order_lines::order_id.eq_any(chunk))
                .select((
                    sales_order_lines::id,
                    sales_order_lines::order_id,
                    sales_order_lines::line_no,
                    sales_order_lines::description,
                    sales_order_lines::quantity,
                    sales_order_lines::unit_price,
                    products::id,
                    products::sku,
                    products::name,
                    products::weight_kg,
                    products::ean,
                ))
                .order((sales_order_lines::order_id, sales_order_lines::line_no))
                .load(conn)?;
            for (
                id,
                order_id,
                line_no,
                description,
                quantity,
                unit_price,
                pid,
                sku,
                name,
                w,
                ean,
            ) in rows
            {
                product_ids.push(pid);
                lines_by_order
                    .entry(order_id)
                    .or_default()
                    .push(OrderLineForPush {
                        id,
                        line_no,
                        description,
                        quantity,
                        unit_price,
                        product_id: pid,
                        sku,
                        product_name: name,
                        weight_kg: w,
                        ean,
                        hs_code: None,
                        origin_country: None,
                    });
            }
        }

        product_ids.sort_unstable();
        product_ids.dedup();
        let wanted = [keys.hs_code.as_str(), keys.origin_country.as_str()];
        let mut attributes: HashMap<(i64, String), String> = HashMap::new();
        for chunk in product_ids.chunks(ID_CHUNK) {
            let rows: Vec<(i64, String, String)> = product_attributes::table
                .filter(product_attributes::product_id.eq_any(chunk))
                .filter(product_attributes::key.eq_any(wanted))
                .select((
                    product_attributes::product_id,
                    product_attributes::key,
                    product_attributes::value,
                ))
                .load(conn)?;
            for (pid, key, value) in rows {
                attributes.insert((pid, key), value);
            }
        }
        let attribute = |pid: i64, key: &str| {
            attributes
                .get(&(pid, key.to_string()))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let mut out = Vec::with_capacity(orders.len());
        for order in orders {
            let Some(customer) = customers_by_id.get(&order.customer_id).cloned() else {
                // Enforced by a foreign key; a host view without it skips the order.
                continue;
            };
            let contact = order
                .contact_id
                .and_then(|id| contacts_by_id.get(&id).cloned());
            let mut lines = lines_by_order.remove(&order.id).unwrap_or_default();
            for line in &mut lines {
                line.hs_code = attribute(line.product_id, &keys.hs_code);
                line.origin_country = attribute(line.product_id, &keys.origin_country);
            }
            out.push(OrderForPush {
                order,
                customer,
                contact,
                lines,
            });
        }
        Ok(out)
    }

    fn delivery_for(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        reference: Option<&str>,
        order_number: &str,
    ) -> DbResult<Option<i64>> {
        if let Some(reference) = reference.map(str::trim).filter(|r| !r.is_empty()) {
            let by_number: Option<i64> = deliveries::table
                .filter(deliveries::company_id.eq(company_id))
                .filter(deliveries::delivery_number.eq(reference))
                .select(deliveries::id)
                .first(conn)
                .optional()?;
            if by_number.is_some() {
                return Ok(by_number);
            }
            let id = reference.strip_prefix("delivery-").unwrap_or(reference);
            if let Ok(id) = id.parse::<i64>() {
                let by_id: Option<i64> = deliveries::table
                    .filter(deliveries::company_id.eq(company_id))
                    .filter(deliveries::id.eq(id))
                    .select(deliveries::id)
                    .first(conn)
                    .optional()?;
                if by_id.is_some() {
                    return Ok(by_id);
                }
            }
        }
        if order_number.trim().is_empty() {
            return Ok(None);
        }
        Ok(deliveries::table
            .inner_join(sales_orders::table)
            .filter(deliveries::company_id.eq(company_id))
            .filter(sales_orders::order_number.eq(order_number))
            .order((deliveries::created_at.desc(), deliveries::id.desc()))
            .select(deliveries::id)
            .first(conn)
            .optional()?)
    }
}

/// Ids per `IN (...)` list, well below SQLite's bound-parameter limit.
const ID_CHUNK: usize = 500;
