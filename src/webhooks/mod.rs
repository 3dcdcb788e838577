//! Sendcloud's webhooks: receipt, signature check, deduplication and the
//! inbox (DESIGN §6, MISSION row 1 and the "webhooks done right" promise).
//!
//! Each company has its own webhook URL carrying an unguessable token. A
//! call is checked in this order, and nothing changes before every check has
//! passed: the token (constant time; 404), the JSON (400), the signature
//! (`Sendcloud-Signature`, lowercase hex HMAC-SHA256 over the raw body,
//! constant time; 401). The body size limit (413) is the web layer's.
//! The web handler takes the token and secret from the process's cache
//! (`targets`), which the storing statement checks against the row.
//!
//! `integration_credentials` is signed with the secret key inside its own
//! payload and is accepted only while the company waits for it; it is never
//! stored. Every other event is signed with the company's stored secret,
//! stored in the inbox once per dedupe key (a retry by Sendcloud answers 200
//! and changes nothing) and then: integration events are applied at once
//! unless a newer one was applied before (out of order: kept as `stale`);
//! parcel status events queue the `webhooks.process` job, which applies them
//! to the parcels in payload-timestamp order (a late, older event never undoes
//! a newer state); return events wait in the inbox for the returns stage.

pub mod group;
pub mod inbox;
mod receive;
mod targets;

pub use receive::*;
pub use targets::TargetCache;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Lowercase hex HMAC-SHA256 of `body` with `key`: Sendcloud's
/// `Sendcloud-Signature`.
pub fn signature(key: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Does `header` carry the signature of `body` with `key`? Constant time.
fn signature_ok(key: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(given) = header else { return false };
    let expected = signature(key, body);
    let given = given.trim().to_ascii_lowercase();
    expected.as_bytes().ct_eq(given.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sendclouds_documented_test_vector() {
        assert_eq!(
            signature("secretkey", br#"{"key": "value"}"#),
            "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a"
        );
    }

    #[test]
    fn a_signature_matches_only_its_body_and_key() {
        let body = br#"{"action": "parcel_status_changed"}"#;
        let sig = signature("k", body);
        assert!(signature_ok("k", body, Some(&sig)));
        assert!(signature_ok("k", body, Some(&sig.to_ascii_uppercase())));
        assert!(!signature_ok("other", body, Some(&sig)));
        assert!(!signature_ok(
            "k",
            br#"{"action":"parcel_status_changed"}"#,
            Some(&sig)
        ));
        assert!(!signature_ok("k", body, None));
    }
}
