//! Labels for goods deliveries (MISSION rows 8, 9, 13, 14): one code path
//! for a label whoever asks (the button on *Lieferungen*, the auto-label
//! sweep of the scheduler, the plugin API), always through a [`LabelJob`].
//!
//! **Exactly one label per delivery.** The row in `sendcloud_labels` with the
//! delivery's `external_reference_id` ([`external_reference`]: company and
//! delivery) is written and committed *before* the announce goes out; a
//! second request for the same delivery (a double click, two workers, a
//! retry after the process died between Sendcloud's answer and our commit)
//! announces with the same reference, Sendcloud answers 409, and the
//! existing shipment is adopted (from the 409's body, else looked up by
//! reference). A cancelled label may be replaced: the new one gets the next
//! reference (`…-2`, `…-3`).
//!
//! **Checked before it costs money** (`preflight.rs`): a delivery whose data
//! Sendcloud would refuse is marked `failed` with a fix-list (codes and
//! fields, rendered per language) and Sendcloud is not called. Sendcloud's
//! own refusals are stored the same way with its message per field. Failed
//! labels are the *Logs* (error correction); an entry leaves by itself when
//! the label exists later: a retry, or a parcel made in Sendcloud for the
//! order seen by a webhook or the Abgleich ([`apply_parcel_news`]).
//!
//! **Write-back**: tracking number, URL, carrier, status and the label PDF go
//! to the host's delivery through `crate::host`; status news from webhooks
//! and the Abgleich follow, older news never overwriting newer (`as_of_ms`).
//!
//! **Sendcloud's integration log** (per company, off by default): a failure
//! is also written once to the connection issue log of the company's
//! integration, by a job after the commit (`integration_log.rs`).
//!
//! **Test mode** (per company): every label it creates is cancelled at once.

pub mod content;
pub mod host_events;
pub mod integration_log;
pub mod job;
pub mod list;
pub mod lookup;
pub mod preflight;
pub mod print;

pub use crate::tracking::*;
pub use host_events::{delivery_event, notice_changes, DeliveryEvent, EventOutcome};
pub use integration_log::IntegrationLogJob;
pub use job::{
    cancel_label, create_label, report_failure, report_success, request_cancel, request_cancel_job,
    request_labels, request_labels_each, sweep, CancelJob, CreateOutcome, LabelJob, RequestSummary,
    Requested, SweepJob, FAILURE_HOOK, KIND_LABEL,
};
