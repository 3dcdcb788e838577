//! Lenient (de)serialisation helpers for Sendcloud's documented quirks: money
//! and weights as strings *or* numbers (even `"\"10.00\""`), ids as strings or
//! numbers, and dates as `DD-MM-YYYY HH:MM:SS` or ISO-8601; and the one way
//! timestamps are written to Sendcloud ([`wire_timestamp`], [`wire_naive`]:
//! at most microseconds, never chrono's nanoseconds).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Timelike};
use rust_decimal::Decimal;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

fn decimal_from_value<E: de::Error>(v: &Value) -> Result<Option<Decimal>, E> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => {
            let text = n.to_string();
            Decimal::from_str(&text)
                .or_else(|_| Decimal::from_scientific(&text))
                .map(Some)
                .map_err(|_| E::custom(format!("not a decimal number: {text}")))
        }
        Value::String(s) => {
            let t = s.trim().trim_matches(|c| c == '"' || c == '\'').trim();
            if t.is_empty() {
                return Ok(None);
            }
            Decimal::from_str(t)
                .or_else(|_| Decimal::from_scientific(t))
                .map(Some)
                .map_err(|_| E::custom(format!("not a decimal number: {s:?}")))
        }
        other => Err(E::custom(format!("expected a decimal, got {other}"))),
    }
}

/// `Decimal` from a JSON number or string; null/empty become `None`.
pub fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let v = Value::deserialize(d)?;
    decimal_from_value(&v)
}

/// `Decimal` from a JSON number or string; null/empty become zero.
pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    Ok(opt_decimal(d)?.unwrap_or_default())
}

/// Serialises a decimal as a JSON number (where the spec wants `number`).
pub fn decimal_as_number<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    match serde_json::Number::from_str(&v.normalize().to_string()) {
        Ok(n) => n.serialize(s),
        Err(_) => Err(serde::ser::Error::custom(
            "decimal not representable as JSON number",
        )),
    }
}

/// Optional variant of [`decimal_as_number`].
pub fn opt_decimal_as_number<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(d) => decimal_as_number(d, s),
        None => s.serialize_none(),
    }
}

/// A string from a JSON string or number (e.g. `to_service_point`).
pub fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(de::Error::custom(format!(
            "expected a string or number, got {other}"
        ))),
    }
}

/// An integer id from a JSON number or numeric string.
pub fn id_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| de::Error::custom(format!("id out of range: {n}"))),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| de::Error::custom(format!("not an id: {s:?}"))),
        other => Err(de::Error::custom(format!("expected an id, got {other}"))),
    }
}

/// Optional variant of [`id_lenient`].
pub fn opt_id_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        v => id_lenient(v).map(Some).map_err(de::Error::custom),
    }
}

/// `null` becomes `T::default()`.
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// How [`wire_timestamp`] writes the fraction and the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireStyle {
    /// As few fraction digits as needed (0, 3 or 6), `Z` for UTC:
    /// `2018-02-27T10:00:00.555Z` (v3 bodies, as in the v3 spec examples).
    Compact,
    /// Always six fraction digits and a numeric offset:
    /// `2018-02-26T11:01:47.505309+00:00` (v2 query filters, as the v2 docs
    /// write them).
    Micros,
}

/// Drops everything below the microsecond (Sendcloud's timestamps carry at
/// most six fraction digits; chrono's clock has nine).
fn truncate_to_micros<T: Timelike>(t: T) -> T {
    let nanos = t.nanosecond();
    t.with_nanosecond(nanos - nanos % 1_000).unwrap_or(t)
}

/// A timestamp with a zone as it goes out to Sendcloud: RFC 3339 with at
/// most microseconds. Every timestamp the client sends is written here or
/// by [`wire_naive`].
pub fn wire_timestamp<Tz: TimeZone>(t: &DateTime<Tz>, style: WireStyle) -> String
where
    Tz::Offset: fmt::Display,
{
    let t = truncate_to_micros(t.clone());
    match style {
        WireStyle::Compact => t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        WireStyle::Micros => t.to_rfc3339_opts(SecondsFormat::Micros, false),
    }
}

/// A timestamp without zone as it goes out: ISO-8601 with at most
/// microseconds.
pub fn wire_naive(t: &NaiveDateTime) -> String {
    truncate_to_micros(*t)
        .format("%Y-%m-%dT%H:%M:%S%.f")
        .to_string()
}

/// A timestamp as Sendcloud sends it: with an offset (ISO-8601/RFC 3339) or
/// naive (`DD-MM-YYYY HH:MM:SS` in v2 parcels and invoices, or ISO without zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiDateTime {
    /// Carried an explicit offset.
    Zoned(DateTime<FixedOffset>),
    /// No zone given (Sendcloud panel local time).
    Naive(NaiveDateTime),
}

impl ApiDateTime {
    /// Parses any of the documented forms.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Some(Self::Zoned(dt));
        }
        if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z") {
            return Some(Self::Zoned(dt));
        }
        for fmt in [
            "%d-%m-%Y %H:%M:%S",
            "%d-%m-%Y %H:%M",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
        ] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
                return Some(Self::Naive(dt));
            }
        }
        for fmt in ["%Y-%m-%d", "%d-%m-%Y"] {
            if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
                return d.and_hms_opt(0, 0, 0).map(Self::Naive);
            }
        }
        None
    }

    /// The wall-clock time, dropping any offset.
    pub fn naive_local(&self) -> NaiveDateTime {
        match self {
            Self::Zoned(dt) => dt.naive_local(),
            Self::Naive(n) => *n,
        }
    }

    /// The time in UTC (a value without zone is taken as UTC).
    pub fn naive_utc(&self) -> NaiveDateTime {
        match self {
            Self::Zoned(dt) => dt.naive_utc(),
            Self::Naive(n) => *n,
        }
    }
}

impl fmt::Display for ApiDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Zoned(dt) => f.write_str(&wire_timestamp(dt, WireStyle::Compact)),
            Self::Naive(n) => f.write_str(&wire_naive(n)),
        }
    }
}

impl Serialize for ApiDateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ApiDateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| de::Error::custom(format!("unrecognised date: {s:?}")))
    }
}

/// Optional [`ApiDateTime`]: null, empty or unparseable strings become `None`
/// (a bad date must not make a whole parcel list unreadable).
pub fn opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ApiDateTime>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => ApiDateTime::parse(&s),
        _ => None,
    })
}

/// A `Vec` or a single object, as a `Vec` (PUT /parcels returns either).
pub fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(de::Error::custom))
            .collect(),
        single => serde_json::from_value(single)
            .map(|t| vec![t])
            .map_err(de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(matches!(
            ApiDateTime::parse("01-01-2018 21:45:30"),
            Some(ApiDateTime::Naive(_))
        ));
        assert!(matches!(
            ApiDateTime::parse("2022-06-07T16:36:49.419457+02:00"),
            Some(ApiDateTime::Zoned(_))
        ));
        assert!(matches!(
            ApiDateTime::parse("2019-08-24T14:15:22Z"),
            Some(ApiDateTime::Zoned(_))
        ));
        assert!(matches!(
            ApiDateTime::parse("2019-02-03T06:48:07"),
            Some(ApiDateTime::Naive(_))
        ));
        assert!(ApiDateTime::parse("garbage").is_none());
    }

    #[test]
    fn timestamps_go_out_with_at_most_microseconds() {
        let zoned = DateTime::parse_from_rfc3339("2026-11-24T10:15:24.005412041Z").unwrap();
        assert_eq!(
            ApiDateTime::Zoned(zoned).to_string(),
            "2026-11-24T10:15:24.005412Z"
        );
        assert_eq!(
            wire_timestamp(&zoned, WireStyle::Micros),
            "2026-11-24T10:15:24.005412+00:00"
        );
        let naive = zoned.naive_utc();
        assert_eq!(
            ApiDateTime::Naive(naive).to_string(),
            "2026-11-24T10:15:24.005412"
        );
        // Shorter fractions stay as short as they are.
        let ms = DateTime::parse_from_rfc3339("2018-02-27T10:00:00.555Z").unwrap();
        assert_eq!(
            wire_timestamp(&ms, WireStyle::Compact),
            "2018-02-27T10:00:00.555Z"
        );
    }

    #[test]
    fn decimals() {
        let v: Value = serde_json::json!("\"10.00\"");
        assert_eq!(
            decimal_from_value::<serde_json::Error>(&v).ok().flatten(),
            Decimal::from_str("10.00").ok()
        );
        let v: Value = serde_json::json!(9.75);
        assert_eq!(
            decimal_from_value::<serde_json::Error>(&v).ok().flatten(),
            Decimal::from_str("9.75").ok()
        );
    }
}
