//! Outbound webhooks: bodies serialised like Python's `json.dumps` (separators `", "` and
//! `": "`, `ensure_ascii`), signed with lowercase hex HMAC-SHA256 of the exact body bytes in the
//! `Sendcloud-Signature` header (API-NOTES §3.2), and POSTed with `reqwest`.

use std::fmt::Write as _;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::Value;
use sha2::Sha256;

/// Serialises a JSON value exactly like Python's `json.dumps(value)` with default arguments.
pub fn python_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, v);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_str(out, k);
                out.push_str(": ");
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Lowercase hex HMAC-SHA256 of `body` with `key`.
pub fn sign(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// One webhook delivery attempt, kept for the control API.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub url: String,
    pub action: String,
    pub signature: String,
    pub body: String,
    /// HTTP status of the receiver, `None` when the request failed.
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// A webhook waiting to be sent.
#[derive(Debug, Clone)]
pub struct Job {
    pub url: String,
    pub secret: String,
    pub payload: Value,
}

/// Sends one webhook: serialises, signs, POSTs; never panics, never retries.
pub async fn deliver(client: &reqwest::Client, job: &Job) -> Delivery {
    let body = python_json(&job.payload);
    let signature = sign(&job.secret, body.as_bytes());
    let action = job.payload["action"].as_str().unwrap_or("").to_string();
    let result = client
        .post(&job.url)
        .header("Content-Type", "application/json")
        .header("Sendcloud-Signature", &signature)
        .timeout(Duration::from_secs(10))
        .body(body.clone())
        .send()
        .await;
    let (status, error) = match result {
        Ok(r) => (Some(r.status().as_u16()), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Delivery {
        url: job.url.clone(),
        action,
        signature,
        body,
        status,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_test_vector() {
        let body = python_json(&serde_json::json!({"key": "value"}));
        assert_eq!(body, r#"{"key": "value"}"#);
        assert_eq!(
            sign("secretkey", body.as_bytes()),
            "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a"
        );
    }

    #[test]
    fn python_style_escaping() {
        let v = serde_json::json!({"a": [1, 2.5, null], "s": "Straße \"x\"\n😀"});
        assert_eq!(
            python_json(&v),
            r#"{"a": [1, 2.5, null], "s": "Stra\u00dfe \"x\"\n\ud83d\ude00"}"#
        );
    }
}
