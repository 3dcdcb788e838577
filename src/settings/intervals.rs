//! The Abgleich intervals of a company: minutes per object type of the one
//! object list (`sync::SyncObject`), 0 = no automatic Abgleich.

use serde_json::{Map, Value};

use super::{json_object, MAX_INTERVAL_MINUTES};
use crate::config::Manifest;
use crate::sync::{PerObject, SyncObject};

/// Abgleich intervals per object type in minutes; 0 = no automatic Abgleich.
pub type SyncIntervals = PerObject<u32>;

/// The intervals of the manifest's `sync.<object>` jobs (0 where a job is
/// missing, capped at [`MAX_INTERVAL_MINUTES`]).
pub fn from_manifest(manifest: &Manifest) -> SyncIntervals {
    let mut s = SyncIntervals::default();
    for o in SyncObject::ALL {
        let minutes = manifest.job_interval(&o.job_id()).unwrap_or(0);
        s.set(o, minutes.min(MAX_INTERVAL_MINUTES));
    }
    s
}

/// The stored form: `{"sender_addresses":1440,…}`.
pub fn to_json(s: &SyncIntervals) -> String {
    let map: Map<String, Value> = s
        .iter()
        .map(|(o, m)| (o.key().to_string(), Value::from(m)))
        .collect();
    Value::Object(map).to_string()
}

/// Parse the stored form over `defaults`: missing or out-of-range values
/// keep the default.
pub fn from_json(text: &str, defaults: SyncIntervals) -> SyncIntervals {
    let map = json_object(text);
    let mut s = defaults;
    for o in SyncObject::ALL {
        if let Some(m) = map
            .get(o.key())
            .and_then(Value::as_u64)
            .and_then(|m| u32::try_from(m).ok())
            .filter(|m| *m <= MAX_INTERVAL_MINUTES)
        {
            s.set(o, m);
        }
    }
    s
}
