//! The scheduled order push of a company (issue 12 item 5): on or off, its
//! interval, and what holds an order back ([`OrderHold`]: a marker in the
//! order's *Bemerkung* or *Ihr Zeichen*, or "not paid yet"). Held orders are
//! skipped by the scheduled push and by *Bestellungen abgleichen*, counted as
//! held, and sent when the hold is gone (the order changes) or by hand
//! (*Erneut senden*, the plugin API), which ignores the hold.

use serde::Serialize;

use crate::host::SalesOrder;

/// Shortest and longest interval of the scheduled push, in minutes.
pub const INTERVAL_MINUTES: std::ops::RangeInclusive<i32> = 1..=1440;
/// The interval when none is set.
pub const DEFAULT_INTERVAL: i32 = 5;
/// Longest hold marker.
pub const MAX_MARKER_LEN: usize = 64;

/// The order field that holds an order back.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum HoldField {
    /// Nothing holds an order.
    #[default]
    None,
    /// The order's remarks (*Bemerkung*) contain the marker.
    Remarks,
    /// The customer's reference (*Ihr Zeichen*) contains the marker.
    YourRef,
    /// The order is not paid yet (`payment_status = unpaid`).
    Unpaid,
}

impl HoldField {
    pub const ALL: [HoldField; 4] = [
        HoldField::None,
        HoldField::Remarks,
        HoldField::YourRef,
        HoldField::Unpaid,
    ];

    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<HoldField> {
        s.trim().parse().ok()
    }

    /// Does this field need a marker?
    pub fn needs_marker(&self) -> bool {
        matches!(self, HoldField::Remarks | HoldField::YourRef)
    }

    /// Translation id of its name.
    pub fn label_id(&self) -> &'static str {
        match self {
            HoldField::None => "order-hold-none",
            HoldField::Remarks => "order-hold-remarks",
            HoldField::YourRef => "order-hold-your-ref",
            HoldField::Unpaid => "order-hold-unpaid",
        }
    }
}

/// What holds an order back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrderHold {
    pub field: HoldField,
    /// The text that holds (case-insensitive), for remarks and your_ref.
    pub marker: String,
}

impl OrderHold {
    /// Is `order` held back?
    pub fn holds(&self, order: &SalesOrder) -> bool {
        let contains = |v: &Option<String>| {
            let marker = self.marker.trim().to_lowercase();
            !marker.is_empty()
                && v.as_deref()
                    .is_some_and(|v| v.to_lowercase().contains(&marker))
        };
        match self.field {
            HoldField::None => false,
            HoldField::Remarks => contains(&order.remarks),
            HoldField::YourRef => contains(&order.your_ref),
            HoldField::Unpaid => order.payment_status == "unpaid",
        }
    }

    /// Does anything hold orders at all?
    pub fn is_active(&self) -> bool {
        self.field != HoldField::None
    }
}

/// The scheduled push of a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderPush {
    pub enabled: bool,
    pub interval_minutes: i32,
    pub hold: OrderHold,
}

impl Default for OrderPush {
    fn default() -> Self {
        OrderPush {
            enabled: false,
            interval_minutes: DEFAULT_INTERVAL,
            hold: OrderHold::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(remarks: Option<&str>, your_ref: Option<&str>, paid: &str) -> SalesOrder {
        SalesOrder {
            id: 1,
            company_id: 1,
            order_number: "A-1".into(),
            order_date: chrono::DateTime::UNIX_EPOCH.naive_utc(),
            customer_id: 1,
            contact_id: None,
            warehouse_id: None,
            status: "open".into(),
            approved: true,
            payment_status: paid.into(),
            currency: "EUR".into(),
            total_amount: rust_decimal::Decimal::ZERO,
            shipping_method_ref: None,
            service_point_ref: None,
            your_ref: your_ref.map(str::to_string),
            remarks: remarks.map(str::to_string),
            updated_at: chrono::DateTime::UNIX_EPOCH.naive_utc(),
        }
    }

    #[test]
    fn holds_by_marker_or_payment() {
        let hold = |field, marker: &str| OrderHold {
            field,
            marker: marker.into(),
        };
        let o = order(Some("Bitte #HALTEN bis Freitag"), Some("PO-7"), "paid");
        assert!(hold(HoldField::Remarks, "#halten").holds(&o));
        assert!(!hold(HoldField::YourRef, "#halten").holds(&o));
        assert!(
            !hold(HoldField::Remarks, "").holds(&o),
            "an empty marker holds nothing"
        );
        assert!(!hold(HoldField::None, "#halten").holds(&o));
        assert!(!hold(HoldField::Unpaid, "").holds(&o));
        assert!(hold(HoldField::Unpaid, "").holds(&order(None, None, "unpaid")));
        for f in HoldField::ALL {
            assert_eq!(HoldField::parse(f.as_str()), Some(f));
        }
    }
}
