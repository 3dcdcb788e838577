//! Cursor paging shared by the v3 lists the stand-in serves from id-ordered collections
//! (shipments, returns): opaque cursors (base64 of `p=<id>`, like Sendcloud's `o/r/p`
//! cursors), the page size rule and the next/previous URLs; and the address shape both use.
//!
//! Stand-in choices: lists page in ascending id order; `page_size` defaults to 40 and is
//! capped at the operation's maximum and at the stand-in's configured page size (tests
//! configure small pages to force several requests).

// Helpers return a ready `HttpResponse` as their error so handlers can answer early.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine as _;

use crate::v3_error;

/// An opaque cursor for "after id `position`".
pub(super) fn encode(position: u64) -> String {
    base64::engine::general_purpose::URL_SAFE.encode(format!("p={position}"))
}

/// The position of a cursor; `None` when it is not one of ours.
pub(super) fn decode(cursor: &str) -> Option<u64> {
    let raw = base64::engine::general_purpose::URL_SAFE
        .decode(cursor)
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(cursor))
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut position = None;
    for pair in text.split('&') {
        match pair.split_once('=')? {
            ("p", v) => position = Some(v.parse().ok()?),
            ("o" | "r", _) => {}
            _ => return None,
        }
    }
    position
}

/// The `cursor` parameter: `Ok(None)` without one; a bad one answers 404 "Invalid cursor"
/// (the shape of the spec's `InvalidCursor` example).
pub(super) fn cursor(q: &HashMap<String, String>) -> Result<Option<u64>, HttpResponse> {
    match q.get("cursor").filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => decode(c).map(Some).ok_or_else(|| {
            v3_error(
                StatusCode::NOT_FOUND,
                "not_found",
                "Invalid cursor",
                Some("/data"),
            )
        }),
    }
}

/// The page size: `page_size` (default 40) within 1..=`max`, capped at `configured`.
pub(super) fn size(
    q: &HashMap<String, String>,
    max: usize,
    configured: usize,
) -> Result<usize, HttpResponse> {
    let n = match q.get("page_size").filter(|v| !v.is_empty()) {
        None => 40,
        Some(v) => match v.parse::<f64>() {
            Ok(n) if n >= 1.0 && n <= max as f64 && n.fract() == 0.0 => n as usize,
            _ => {
                return Err(v3_error(
                    StatusCode::BAD_REQUEST,
                    "invalid",
                    &format!("page_size must be a whole number from 1 to {max}"),
                    Some("/page_size"),
                ))
            }
        },
    };
    Ok(n.min(configured.max(1)))
}

/// A v3 address object without its empty optional fields (`email` has
/// `format: email`, most others `minLength: 1`); the required ones stay.
pub(super) fn address(mut v: serde_json::Value) -> serde_json::Value {
    const REQUIRED: [&str; 5] = [
        "name",
        "address_line_1",
        "postal_code",
        "city",
        "country_code",
    ];
    if let Some(o) = v.as_object_mut() {
        o.retain(|k, v| REQUIRED.contains(&k.as_str()) || v.as_str() != Some(""));
    }
    v
}

/// Full URL of the current path and query with `cursor` replaced.
pub(super) fn page_url(base: &str, req: &HttpRequest, cursor: &str) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        if k != "cursor" {
            ser.append_pair(&k, &v);
        }
    }
    ser.append_pair("cursor", cursor);
    format!("{base}{}?{}", req.path(), ser.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        assert_eq!(decode(&encode(42)), Some(42));
        assert_eq!(decode("not-a-cursor!!"), None);
        assert_eq!(decode("eD0x"), None); // "x=1"
    }
}
