//! Secrets at rest: AES-256-GCM with a 32-byte master key taken from
//! `SENDCLOUD_PLUGIN_KEY` or a key file created with mode 0600 on first start.
//! Every ciphertext is bound to what it protects (associated data), so a
//! value copied into another row does not decrypt. Derived keys (the session
//! cookie key) come from the master key by HMAC-SHA256, never the key itself.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::path::Path;

use crate::config::KeySource;

const PREFIX: &str = "v1:";

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("encryption key: {0}")]
    Key(String),
    #[error("a stored secret cannot be decrypted (wrong key, or the value was altered)")]
    Decrypt,
}

/// The master key. Its bytes never leave this type; `Debug` prints nothing.
#[derive(Clone)]
pub struct SecretBox {
    key: [u8; 32],
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(***)")
    }
}

impl SecretBox {
    pub fn from_bytes(key: [u8; 32]) -> Self {
        SecretBox { key }
    }

    /// Load the key from where the configuration says; create the key file
    /// (mode 0600) if it does not exist yet.
    pub fn load(source: &KeySource) -> Result<SecretBox, CryptoError> {
        match source {
            KeySource::Inline(text) => Self::decode(text)
                .map_err(|m| CryptoError::Key(format!("SENDCLOUD_PLUGIN_KEY: {m}"))),
            KeySource::File(path) => Self::load_file(path),
        }
    }

    fn decode(text: &str) -> Result<SecretBox, String> {
        let bytes = B64
            .decode(text.trim())
            .map_err(|_| "expected base64 of 32 random bytes".to_string())?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|v: Vec<u8>| format!("expected 32 bytes, got {}", v.len()))?;
        Ok(SecretBox { key })
    }

    fn load_file(path: &Path) -> Result<SecretBox, CryptoError> {
        let name = path.display();
        match std::fs::read_to_string(path) {
            Ok(text) => Self::decode(&text).map_err(|m| CryptoError::Key(format!("{name}: {m}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    // The folders the module creates are the owner's only (0700).
                    let mut builder = std::fs::DirBuilder::new();
                    builder.recursive(true);
                    #[cfg(unix)]
                    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
                    builder.create(dir).map_err(|e| {
                        CryptoError::Key(format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
                write_private(path, &B64.encode(key))
                    .map_err(|e| CryptoError::Key(format!("cannot create {name}: {e}")))?;
                tracing::info!(file = %name, "created a new encryption key file");
                Ok(SecretBox { key })
            }
            Err(e) => Err(CryptoError::Key(format!("cannot read {name}: {e}"))),
        }
    }

    /// Encrypt `plain`, bound to `context` (e.g. `integration:3:secret_key`).
    pub fn seal(&self, plain: &str, context: &str) -> String {
        let cipher = Aes256Gcm::new((&self.key).into());
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            // AES-GCM encryption only fails for inputs beyond 64 GiB.
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", B64.encode(out))
    }

    /// Decrypt what `seal` made for the same `context`.
    pub fn open(&self, sealed: &str, context: &str) -> Result<String, CryptoError> {
        let raw = sealed
            .strip_prefix(PREFIX)
            .and_then(|b| B64.decode(b).ok())
            .ok_or(CryptoError::Decrypt)?;
        if raw.len() < 12 + 16 {
            return Err(CryptoError::Decrypt);
        }
        let (nonce, body) = raw.split_at(12);
        let cipher = Aes256Gcm::new((&self.key).into());
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Decrypt)?;
        String::from_utf8(plain).map_err(|_| CryptoError::Decrypt)
    }

    /// A key for another purpose, derived from the master key.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// A random token for URLs and forms (URL-safe base64 of 32 bytes).
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_context_binding() {
        let b = SecretBox::from_bytes([7u8; 32]);
        let sealed = b.seal("s3cr3t", "integration:1:secret_key");
        assert!(!sealed.contains("s3cr3t"));
        assert_eq!(
            b.open(&sealed, "integration:1:secret_key").unwrap(),
            "s3cr3t"
        );
        assert!(b.open(&sealed, "integration:2:secret_key").is_err());
        let other = SecretBox::from_bytes([8u8; 32]);
        assert!(other.open(&sealed, "integration:1:secret_key").is_err());
        // Two seals of the same text differ (fresh nonce).
        assert_ne!(sealed, b.seal("s3cr3t", "integration:1:secret_key"));
    }

    #[test]
    fn tampered_ciphertext_is_refused() {
        let b = SecretBox::from_bytes([1u8; 32]);
        let mut sealed = b.seal("abc", "ctx").into_bytes();
        let last = sealed.len() - 2;
        sealed[last] = if sealed[last] == b'A' { b'B' } else { b'A' };
        let sealed = String::from_utf8(sealed).unwrap();
        assert!(b.open(&sealed, "ctx").is_err());
        assert!(b.open("garbage", "ctx").is_err());
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/secret.key");
        let a = SecretBox::load(&KeySource::File(path.clone())).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let b = SecretBox::load(&KeySource::File(path)).unwrap();
        assert_eq!(b.open(&a.seal("x", "c"), "c").unwrap(), "x");
    }

    #[test]
    fn bad_inline_key_is_a_clear_error() {
        let err = SecretBox::load(&KeySource::Inline("c2hvcnQ=".into())).unwrap_err();
        assert!(err.to_string().contains("expected 32 bytes"), "{err}");
    }
}
