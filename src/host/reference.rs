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

    fn patch_tracking(
        &self,
        conn: &mut DbConn,
        delivery_id: i64,
        t: &TrackingUpdate,
    ) -> DbResult<()> {
        #[derive(AsChangeset)]
        #[diesel(table_name = deliveries)]
        struct Patch<'a> {
            tracking_number: Option<&'a str>,
            tracking_url: Option<&'a str>,
            carrier: Option<&'a str>,
            shipping_status: Option<&'a str>,
            label_pdf: Option<&'a [u8]>,
            remarks: Option<&'a str>,
            updated_at: NaiveDateTime,
        }
        let n = diesel::update(deliveries::table.find(delivery_id))
            .set(Patch {
                tracking_number: t.tracking_number.as_deref(),
                tracking_url: t.tracking_url.as_deref(),
                carrier: t.carrier.as_deref(),
                shipping_status: t.shipping_status.as_deref(),
                label_pdf: t.label_pdf.as_deref(),
                remarks: t.remarks.as_deref(),
                updated_at: chrono::Utc::now().naive_utc(),
            })
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
        let filter = OrderFilter {
            dated_since: Some(since),
            ..OrderFilter::default()
        };
        self.orders_for_push_filtered(conn, company_id, &filter, selection, keys)
    }

    fn recent_orders(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        selection: OrderSelection,
        limit: i64,
    ) -> DbResult<Vec<SalesOrder>> {
        let mut query = sales_orders::table
            .filter(sales_orders::company_id.eq(company_id))
            .filter(sales_orders::approved.eq(true))
            .filter(sales_orders::status.eq_any(["open", "partial"]))
            .into_boxed();
        if selection == OrderSelection::ApprovedOpenAndPaid {
            query = query.filter(sales_orders::payment_status.eq("paid"));
        }
        Ok(query
            .select(SalesOrder::as_select())
            .order((sales_orders::updated_at.desc(), sales_orders::id.desc()))
            .limit(limit)
            .load(conn)?)
    }

    fn orders_for_push_filtered(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        filter: &OrderFilter,
        selection: OrderSelection,
        keys: &CustomsAttributeKeys,
    ) -> DbResult<Vec<OrderForPush>> {
        let mut query = sales_orders::table
            .filter(sales_orders::company_id.eq(company_id))
            .filter(sales_orders::approved.eq(true))
            .filter(sales_orders::status.eq_any(["open", "partial"]))
            .into_boxed();
        if let Some(since) = filter.dated_since {
            query = query.filter(sales_orders::order_date.ge(since));
        }
        if let Some(since) = filter.updated_since {
            query = query.filter(sales_orders::updated_at.ge(since));
        }
        if let Some(numbers) = &filter.order_numbers {
            query = query.filter(sales_orders::order_number.eq_any(numbers.clone()));
        }
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

    fn deliveries(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        q: &DeliveryQuery,
    ) -> DbResult<Vec<DeliveryListRow>> {
        let mut query = deliveries::table
            .inner_join(sales_orders::table.inner_join(customers::table))
            .filter(deliveries::company_id.eq(company_id))
            .into_boxed();
        if let Some(before) = q.before_id {
            query = query.filter(deliveries::id.lt(before));
        }
        if let Some(status) = &q.status {
            query = query.filter(deliveries::status.eq(status.clone()));
        }
        if let Some(search) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let pattern = format!("%{}%", search.replace(['%', '_'], ""));
            query = query.filter(
                deliveries::delivery_number
                    .like(pattern.clone())
                    .or(sales_orders::order_number.like(pattern)),
            );
        }
        if let Some(ids) = &q.ids {
            query = query.filter(deliveries::id.eq_any(ids.clone()));
        }
        let rows: Vec<(Delivery, String, String)> = query
            .select((
                Delivery::as_select(),
                sales_orders::order_number,
                customers::name,
            ))
            .order(deliveries::id.desc())
            .limit(q.limit.clamp(1, 1000))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(delivery, order_number, customer_name)| DeliveryListRow {
                delivery,
                order_number,
                customer_name,
            })
            .collect())
    }

    fn delivery_for_label(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        delivery_id: i64,
        keys: &CustomsAttributeKeys,
    ) -> DbResult<Option<DeliveryForLabel>> {
        let Some(delivery) = deliveries::table
            .filter(deliveries::id.eq(delivery_id))
            .filter(deliveries::company_id.eq(company_id))
            .select(Delivery::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(None);
        };
        let order: SalesOrder = sales_orders::table
            .find(delivery.order_id)
            .select(SalesOrder::as_select())
            .first(conn)?;
        let customer: Customer = customers::table
            .find(order.customer_id)
            .select(Customer::as_select())
            .first(conn)?;
        let contact = match order.contact_id {
            Some(id) => contacts::table
                .find(id)
                .select(Contact::as_select())
                .first(conn)
                .optional()?,
            None => None,
        };
        let warehouse = warehouses::table
            .find(delivery.warehouse_id)
            .select(Warehouse::as_select())
            .first(conn)
            .optional()?;
        type Row = (
            i64,
            i64,
            String,
            String,
            String,
            Decimal,
            Decimal,
            Option<Decimal>,
        );
        let rows: Vec<Row> = delivery_lines::table
            .inner_join(products::table)
            .inner_join(sales_order_lines::table)
            .filter(delivery_lines::delivery_id.eq(delivery.id))
            .select((
                delivery_lines::id,
                products::id,
                products::sku,
                products::name,
                sales_order_lines::description,
                delivery_lines::quantity,
                sales_order_lines::unit_price,
                products::weight_kg,
            ))
            .order(delivery_lines::id)
            .load(conn)?;
        let product_ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
        let wanted = [keys.hs_code.as_str(), keys.origin_country.as_str()];
        let attributes: Vec<(i64, String, String)> = product_attributes::table
            .filter(product_attributes::product_id.eq_any(&product_ids))
            .filter(product_attributes::key.eq_any(wanted))
            .select((
                product_attributes::product_id,
                product_attributes::key,
                product_attributes::value,
            ))
            .load(conn)?;
        let attribute = |pid: i64, key: &str| {
            attributes
                .iter()
                .find(|(p, k, _)| *p == pid && k == key)
                .map(|(_, _, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let lines = rows
            .into_iter()
            .map(
                |(
                    id,
                    product_id,
                    sku,
                    product_name,
                    description,
                    quantity,
                    unit_price,
                    weight_kg,
                )| {
                    DeliveryLineForLabel {
                        id,
                        product_id,
                        sku,
                        product_name,
                        description,
                        quantity,
                        unit_price,
                        weight_kg,
                        hs_code: attribute(product_id, &keys.hs_code),
                        origin_country: attribute(product_id, &keys.origin_country),
                    }
                },
            )
            .collect();
        Ok(Some(DeliveryForLabel {
            delivery,
            order,
            customer,
            contact,
            warehouse,
            lines,
        }))
    }

    fn deliveries_done_since(
        &self,
        conn: &mut DbConn,
        company_id: i64,
        since: Option<NaiveDateTime>,
        limit: i64,
    ) -> DbResult<Vec<(i64, NaiveDateTime)>> {
        let mut query = deliveries::table
            .filter(deliveries::company_id.eq(company_id))
            .filter(deliveries::status.eq("done"))
            .into_boxed();
        if let Some(since) = since {
            query = query.filter(deliveries::created_at.gt(since));
        }
        Ok(query
            .select((deliveries::id, deliveries::created_at))
            .order((deliveries::created_at, deliveries::id))
            .limit(limit)
            .load(conn)?)
    }
}

/// Ids per `IN (...)` list, well below SQLite's bound-parameter limit.
const ID_CHUNK: usize = 500;
