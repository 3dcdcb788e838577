//! Webhook targets kept in process memory, so that the receipt of a parcel
//! or return event is one round trip on PostgreSQL (the guarded statement of
//! `inbox::receive`) instead of a look-up of the integration row first.
//!
//! The cache is a hint, never the authority: an entry holds the webhook
//! token, the sealed secret as stored (`secret_key_enc`) and the opened
//! secret of one company, filled only after a receipt the database accepted.
//! Every receipt through it still asks the database, in the same statement
//! that stores the event, whether the integration row still carries exactly
//! that token and sealed secret; when not (keys rotated, disconnected, new
//! token), nothing is stored, the entry is dropped and the receipt is judged
//! again from the row, as without a cache. So a change of the row takes
//! effect for the very next receipt on every instance, not after a delay.
//! A signature that does not match the cached secret also drops the entry and
//! goes to the uncached path, which decides (and counts) refusals.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What a receipt needs to know about a company's webhook target. No
/// `Debug`: it holds the opened secret.
pub(crate) struct KnownTarget {
    /// The token in the webhook URL.
    pub token: String,
    /// The secret as sealed in `sendcloud_integrations.secret_key_enc`: the
    /// receipt's statement compares it with the row.
    pub secret_key_enc: String,
    /// The opened secret the signatures are checked with.
    pub secret: String,
}

/// The webhook targets of the process, per company (one per `AppState`).
/// Entries exist only for companies whose webhooks were accepted, so the map
/// is bounded by the connected companies.
///
/// The receipts through the cache are stored in groups on PostgreSQL
/// (`webhooks::group`): the group is per process like the cache, and it
/// serves exactly the receipts the cache makes fast.
#[derive(Default)]
pub struct TargetCache {
    map: Mutex<HashMap<i64, Arc<KnownTarget>>>,
    pub(crate) group: super::group::ReceiptGroup,
}

impl std::fmt::Debug for TargetCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secrets.
        write!(f, "TargetCache({} companies)", self.len())
    }
}

impl TargetCache {
    pub fn new() -> TargetCache {
        TargetCache::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<KnownTarget>>> {
        // The map holds no invariant a panicking holder could break.
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn get(&self, company_id: i64) -> Option<Arc<KnownTarget>> {
        self.lock().get(&company_id).cloned()
    }

    pub(crate) fn put(&self, company_id: i64, target: KnownTarget) {
        self.lock().insert(company_id, Arc::new(target));
    }

    /// Drop the company's entry (its next receipt reads the row).
    pub fn forget(&self, company_id: i64) {
        self.lock().remove(&company_id);
    }

    /// How many companies are cached.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Receipt groups written on PostgreSQL and the receipts in them
    /// (`webhooks::group`).
    pub fn groups_written(&self) -> (u64, u64) {
        self.group.written()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
