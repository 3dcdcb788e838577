//! Text from outside made storable on both databases. PostgreSQL refuses
//! U+0000 in `text` columns (`invalid byte sequence for encoding "UTF8":
//! 0x00`); SQLite takes it but every later comparison and page would carry
//! it. JSON from Sendcloud (API answers, webhook bodies) may hold `\u0000`
//! escapes: [`storable_json`] rewrites them to U+FFFD (the replacement
//! character, so the spot stays visible) before the JSON is parsed, which
//! covers every string of every typed answer in one place. [`json_depth`]
//! measures how deep a JSON text nests before anyone parses it (webhooks,
//! the plugin API).

use std::borrow::Cow;

/// The JSON text with every `\u0000` escape replaced by `\ufffd`. Borrowed
/// when there is none (the common case costs one scan).
pub fn storable_json(json: &[u8]) -> Cow<'_, [u8]> {
    // Almost every answer has none: one vectorised search says so (the
    // byte-wise walk below cost 3 % of a large Abgleich).
    if memchr::memmem::find(json, b"\\u0000").is_none() {
        return Cow::Borrowed(json);
    }
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < json.len() {
        if json[i] == b'\\' && i + 1 < json.len() {
            // Every backslash in valid JSON starts an escape: skip it whole,
            // so `\\u0000` (an escaped backslash, then text) stays as it is.
            if json[i + 1] == b'u' && json.len() >= i + 6 && &json[i + 2..i + 6] == b"0000" {
                let buf = out.get_or_insert_with(|| json[..i].to_vec());
                buf.extend_from_slice(b"\\ufffd");
                i += 6;
                continue;
            }
            if let Some(buf) = out.as_mut() {
                buf.extend_from_slice(&json[i..i + 2]);
            }
            i += 2;
            continue;
        }
        if let Some(buf) = out.as_mut() {
            buf.push(json[i]);
        }
        i += 1;
    }
    match out {
        Some(v) => Cow::Owned(v),
        None => Cow::Borrowed(json),
    }
}

/// How deep the JSON in `body` nests (brackets outside strings), without
/// parsing it; stops counting past `limit`.
pub fn json_depth(body: &[u8], limit: usize) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
                if max > limit {
                    return max;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// [`storable_json`] for text.
pub fn storable_json_str(json: &str) -> Cow<'_, str> {
    match storable_json(json.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(json),
        // Only ASCII was replaced by ASCII: still UTF-8.
        Cow::Owned(v) => Cow::Owned(String::from_utf8(v).unwrap_or_default()),
    }
}

/// A plain string without U+0000 (for text that did not come as JSON).
pub fn storable(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_escapes_become_replacement_characters() {
        let v: serde_json::Value =
            serde_json::from_slice(&storable_json(br#"{"name":"Nul\u0000Name","n":1}"#)).unwrap();
        assert_eq!(v["name"], "Nul\u{fffd}Name");
        // An escaped backslash followed by the letters is not an escape.
        let raw = br#"{"path":"C:\\u0000x"}"#;
        assert!(matches!(storable_json(raw), Cow::Borrowed(_)));
        let v: serde_json::Value = serde_json::from_slice(&storable_json(raw)).unwrap();
        assert_eq!(v["path"], "C:\\u0000x");
        // Other escapes pass unchanged, before and after a replacement.
        let v: serde_json::Value =
            serde_json::from_slice(&storable_json(br#"["a\"\u0000\n\u00e4"]"#)).unwrap();
        assert_eq!(v[0], "a\"\u{fffd}\n\u{e4}");
        assert_eq!(storable("a\0b"), "a\u{fffd}b");
        assert_eq!(storable_json_str(r#""\u0000""#), r#""\ufffd""#);
    }
}
