//! Cursor paging of the v2 lists (parcels, returns, brands): opaque cursors, the `next` /
//! `previous` URLs and one page of an id-ordered collection.
//!
//! Stand-in choice (undocumented, API-NOTES §7): lists page in ascending id order; cursors are
//! base64 of `p=<id>` (`r=1&p=<id>` backwards), like Sendcloud's opaque `o/r/p` cursors.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, HttpResponse};
use base64::Engine as _;

use super::not_found;

/// An opaque cursor: base64 of `p=<id>` or `r=1&p=<id>`.
pub(super) fn encode_cursor(reverse: bool, position: u64) -> String {
    let raw = if reverse {
        format!("r=1&p={position}")
    } else {
        format!("p={position}")
    };
    base64::engine::general_purpose::URL_SAFE.encode(raw)
}

pub(super) fn decode_cursor(cursor: &str) -> Option<(bool, u64)> {
    let raw = base64::engine::general_purpose::URL_SAFE
        .decode(cursor)
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(cursor))
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut reverse = false;
    let mut position = None;
    for pair in text.split('&') {
        match pair.split_once('=')? {
            ("r", v) => reverse = v == "1",
            ("p", v) => position = Some(v.parse().ok()?),
            ("o", _) => {}
            _ => return None,
        }
    }
    Some((reverse, position?))
}

/// Full URL of the current path with the given query (`cursor` replaced).
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

/// One page of a cursor-paged id-ordered collection: (items, next cursor, previous cursor).
pub(super) fn cursor_page<T>(
    map: &BTreeMap<u64, T>,
    cursor: Option<(bool, u64)>,
    size: usize,
    keep: impl Fn(&T) -> bool,
) -> (Vec<&T>, Option<String>, Option<String>) {
    let size = size.max(1);
    match cursor {
        Some((true, pos)) => {
            let (mut items, more) = take_page(map.range(..pos).rev(), &keep, size);
            items.reverse();
            let prev = more.then(|| encode_cursor(true, items[0].0));
            let next = items.last().map(|(k, _)| encode_cursor(false, *k));
            (items.into_iter().map(|(_, v)| v).collect(), next, prev)
        }
        other => {
            let start = other.map(|(_, p)| p);
            let from = start.map_or(0, |p| p.saturating_add(1));
            let (items, more) = take_page(map.range(from..), &keep, size);
            let next = items
                .last()
                .filter(|_| more)
                .map(|(k, _)| encode_cursor(false, *k));
            let prev = items
                .first()
                .filter(|_| start.is_some())
                .map(|(k, _)| encode_cursor(true, *k));
            (items.into_iter().map(|(_, v)| v).collect(), next, prev)
        }
    }
}

/// Up to `size` kept items of `iter` in its order, and whether more follow.
fn take_page<'a, T: 'a>(
    iter: impl Iterator<Item = (&'a u64, &'a T)>,
    keep: &impl Fn(&T) -> bool,
    size: usize,
) -> (Vec<(u64, &'a T)>, bool) {
    let mut items: Vec<(u64, &T)> = iter
        .filter(|(_, v)| keep(v))
        .take(size + 1)
        .map(|(k, v)| (*k, v))
        .collect();
    let more = items.len() > size;
    items.truncate(size);
    (items, more)
}

/// Reads the cursor param: `Ok(None)` without one, `Err` (404 Invalid cursor) when bad.
pub(super) fn cursor_param(
    req: &HttpRequest,
    q: &HashMap<String, String>,
) -> Result<Option<(bool, u64)>, HttpResponse> {
    match q.get("cursor") {
        None => Ok(None),
        Some(c) if c.is_empty() => Ok(None),
        Some(c) => decode_cursor(c)
            .map(Some)
            .ok_or_else(|| not_found(req, "Invalid cursor")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        assert_eq!(decode_cursor(&encode_cursor(false, 42)), Some((false, 42)));
        assert_eq!(decode_cursor(&encode_cursor(true, 7)), Some((true, 7)));
        assert_eq!(decode_cursor("not-a-cursor!!"), None);
        assert_eq!(decode_cursor("eD0x"), None); // "x=1"
    }
}
