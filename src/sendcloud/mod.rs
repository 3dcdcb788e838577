//! Typed HTTP client for the Sendcloud API (v2 panel API, v3 Orders, shipments,
//! returns, documents and integration logs, and the service points API). This
//! module owns only the wire protocol: it knows nothing of the database or the
//! web UI. Start with [`SendcloudClient::new`].
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use sendcloud_plugin::sendcloud::{
//!     ClientConfig, Credentials, NewParcel, ParcelFilter, SendcloudClient, ShipmentRef,
//! };
//!
//! # async fn demo() -> Result<(), sendcloud_plugin::sendcloud::Error> {
//! let client = SendcloudClient::new(ClientConfig::new(Credentials::new("public", "secret")))?;
//! let parcel = client
//!     .create_parcel_idempotent(&NewParcel {
//!         name: "John Doe".into(),
//!         address: "Stadhuisplein 10".into(),
//!         city: "Eindhoven".into(),
//!         postal_code: "5611 EM".into(),
//!         country: "NL".into(),
//!         shipment: Some(ShipmentRef { id: 8, name: None }),
//!         request_label: Some(true),
//!         external_reference: Some("delivery-4711".into()),
//!         ..NewParcel::default()
//!     })
//!     .await?;
//! let _pdf = client
//!     .download_label(parcel.id, sendcloud_plugin::sendcloud::LabelFormat::A6)
//!     .await?;
//! let changed: Vec<_> = client.parcels(&ParcelFilter::default()).try_collect().await?;
//! # let _ = changed;
//! # Ok(())
//! # }
//! ```

pub mod addresses;
pub mod brands;
pub mod client;
pub mod config;
pub mod de;
pub mod error;
pub mod integration_logs;
pub mod integrations;
pub mod invoices;
pub mod labels;
pub mod limiter;
pub mod orders_v3;
pub mod paging;
pub mod parcel_statuses;
pub mod parcels;
pub mod returns;
pub mod returns_v3;
pub mod service_points;
pub mod shipments;
pub mod shipments_v3;
pub mod shipping_methods;
pub mod shipping_options;

pub use addresses::SenderAddress;
pub use brands::Brand;
pub use client::{HttpPool, SendcloudClient};
pub use config::{ClientConfig, Credentials, RetryPolicy};
pub use de::ApiDateTime;
pub use error::{Error, FieldError, Result};
pub use integration_logs::{IntegrationLog, LogRequest, LogResponse, NewIntegrationLog};
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
pub use returns_v3::{RawReturn, ReturnFilter, V3Return};
pub use service_points::{ServicePoint, ServicePointFilter};
pub use shipments::{Shipment, ShipmentFilter};
pub use shipping_methods::{SenderAddressFilter, ShippingMethod, ShippingMethodFilter};
pub use shipping_options::{ShippingOption, ShippingOptionFilter};
