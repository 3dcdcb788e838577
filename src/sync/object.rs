//! The one list of Abgleich object types. The engine, the settings
//! intervals, the Abgleich form, the scheduler, the run history and the
//! integration page all read it; adding an object type is one variant here,
//! one row in [`INFO`] and one syncer in `sync::sync_object`.

use serde::{Deserialize, Serialize};

/// An object type of the Abgleich.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncObject {
    SenderAddresses,
    ShippingMethods,
    ParcelStatuses,
    Parcels,
    Returns,
    Invoices,
    Brands,
}

/// What the rest of the module needs to know of an object type.
#[derive(Debug)]
pub struct ObjectInfo {
    /// Stored key: run rows, cursors, settings JSON, form fields, job names.
    pub key: &'static str,
    /// Translation id of the object's name (`object-…`).
    pub label_id: &'static str,
    /// Translation id of the interval's label on the settings page.
    pub interval_label_id: &'static str,
    /// Form field of its interval on the settings page.
    pub interval_field: &'static str,
    /// The Sendcloud endpoint it comes from (for the action log).
    pub endpoint: &'static str,
    /// Whether a syncer exists for it yet (the others keep their interval
    /// setting but are neither offered in the Abgleich form nor scheduled).
    pub available: bool,
}

/// Indexed by `SyncObject as usize`, in [`SyncObject::ALL`] order.
const INFO: [ObjectInfo; SyncObject::COUNT] = [
    ObjectInfo {
        key: "sender_addresses",
        label_id: "object-sender-addresses",
        interval_label_id: "sync-sender-addresses",
        interval_field: "interval_sender_addresses",
        endpoint: "GET /api/v2/user/addresses/sender",
        available: true,
    },
    ObjectInfo {
        key: "shipping_methods",
        label_id: "object-shipping-methods",
        interval_label_id: "sync-shipping-methods",
        interval_field: "interval_shipping_methods",
        endpoint: "GET /api/v2/shipping_methods?sender_address=all + POST /api/v3/shipping-options (+ /compat/shipping-options)",
        available: true,
    },
    ObjectInfo {
        key: "parcel_statuses",
        label_id: "object-parcel-statuses",
        interval_label_id: "sync-parcel-statuses",
        interval_field: "interval_parcel_statuses",
        endpoint: "GET /api/v2/parcels/statuses",
        available: true,
    },
    ObjectInfo {
        key: "parcels",
        label_id: "object-parcels",
        interval_label_id: "sync-parcels",
        interval_field: "interval_parcels",
        endpoint: "GET /api/v2/parcels?updated_after=…",
        available: true,
    },
    ObjectInfo {
        key: "returns",
        label_id: "object-returns",
        interval_label_id: "sync-returns",
        interval_field: "interval_returns",
        endpoint: "GET /api/v3/returns",
        available: false,
    },
    ObjectInfo {
        key: "invoices",
        label_id: "object-invoices",
        interval_label_id: "sync-invoices",
        interval_field: "interval_invoices",
        endpoint: "GET /api/v2/user/invoices",
        available: false,
    },
    ObjectInfo {
        key: "brands",
        label_id: "object-brands",
        interval_label_id: "sync-brands",
        interval_field: "interval_brands",
        endpoint: "GET /api/v2/brands",
        available: true,
    },
];

impl SyncObject {
    pub const COUNT: usize = 7;

    /// Every object type, in the order the UI lists them.
    pub const ALL: [SyncObject; SyncObject::COUNT] = [
        SyncObject::SenderAddresses,
        SyncObject::ShippingMethods,
        SyncObject::ParcelStatuses,
        SyncObject::Parcels,
        SyncObject::Returns,
        SyncObject::Invoices,
        SyncObject::Brands,
    ];

    /// The object types that have a syncer.
    pub fn available() -> impl Iterator<Item = SyncObject> {
        SyncObject::ALL.into_iter().filter(|o| o.info().available)
    }

    pub fn info(&self) -> &'static ObjectInfo {
        &INFO[*self as usize]
    }

    pub fn as_str(&self) -> &'static str {
        self.info().key
    }

    /// Alias of [`SyncObject::as_str`]: the key in stored JSON.
    pub fn key(&self) -> &'static str {
        self.info().key
    }

    pub fn parse(s: &str) -> Option<SyncObject> {
        SyncObject::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label_id(&self) -> &'static str {
        self.info().label_id
    }

    pub fn endpoint(&self) -> &'static str {
        self.info().endpoint
    }

    /// The manifest job (`[[jobs]]`) that holds the default interval.
    pub fn job_id(&self) -> String {
        format!("sync.{}", self.key())
    }
}

/// A value per object type (intervals, counts), stored in [`SyncObject::ALL`]
/// order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PerObject<T>(pub [T; SyncObject::COUNT]);

impl<T: Copy> PerObject<T> {
    pub fn get(&self, o: SyncObject) -> T {
        self.0[o as usize]
    }

    pub fn set(&mut self, o: SyncObject, v: T) {
        self.0[o as usize] = v;
    }

    /// (object, value) pairs in [`SyncObject::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (SyncObject, T)> + '_ {
        SyncObject::ALL.into_iter().map(|o| (o, self.get(o)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_rows_follow_the_variants() {
        for (i, o) in SyncObject::ALL.into_iter().enumerate() {
            assert_eq!(o as usize, i);
            assert_eq!(SyncObject::parse(o.as_str()), Some(o));
            let serde_name = serde_json::to_value(o).unwrap();
            assert_eq!(serde_name, o.as_str());
            assert_eq!(o.info().interval_field, format!("interval_{}", o.key()));
        }
    }
}
