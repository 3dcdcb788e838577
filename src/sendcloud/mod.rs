//! Typed HTTP client for the Sendcloud API (v2 panel API, v3 Orders API and the
//! service points API). This module owns only the wire protocol: it knows
//! nothing of the database or the web UI. Start with [`SendcloudClient::new`].

pub mod addresses;
pub mod brands;
pub mod client;
pub mod config;
pub mod de;
pub mod error;
pub mod integrations;
pub mod invoices;
pub mod labels;
pub mod limiter;
pub mod orders_v3;
pub mod paging;
pub mod parcels;
pub mod returns;
pub mod service_points;
pub mod shipping_methods;

pub use addresses::SenderAddress;
pub use brands::Brand;
pub use client::SendcloudClient;
pub use config::{ClientConfig, Credentials, RetryPolicy};
pub use de::ApiDateTime;
pub use error::{Error, FieldError, Result};
pub use integrations::{Integration, IntegrationUpdate};
pub use invoices::{Invoice, InvoiceDetail};
pub use labels::{DocumentType, LabelFormat, LabelUrls, PrinterPosition};
pub use limiter::{AccountLimiter, RateLimits};
pub use orders_v3::{Order, OrderFilter, OrderUpsertResult};
pub use paging::Page;
pub use parcels::{
    CancelOutcome, CreateParcelsOutcome, CustomsInformation, FailedParcel, NewParcel, Parcel,
    ParcelFilter, ParcelItem, ParcelStatus, ShipmentRef,
};
pub use returns::Return;
pub use service_points::{ServicePoint, ServicePointFilter};
pub use shipping_methods::{SenderAddressFilter, ShippingMethod, ShippingMethodFilter};
