//! Column types shared by both backends.
//!
//! `Dec` is the host schema's exact decimal: `numeric(p,s)` on PostgreSQL and a
//! TEXT column holding the decimal on SQLite (never a float). Columns read into
//! `rust_decimal::Decimal` on both backends, including through the
//! `MultiConnection`; values are written as `DecValue(decimal)` (the orphan
//! rule forbids teaching diesel to bind the foreign `Decimal` as `Dec`).

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{Numeric, Text};
use diesel::sqlite::Sqlite;
use rust_decimal::Decimal;
use std::str::FromStr;

/// An exact decimal column (see the module doc).
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[diesel(postgres_type(oid = 1700, array_oid = 1231))]
#[diesel(sqlite_type(name = "Text"))]
pub struct Dec;

impl FromSql<Dec, Pg> for Decimal {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <Decimal as FromSql<Numeric, Pg>>::from_sql(bytes)
    }
}

impl FromSql<Dec, Sqlite> for Decimal {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let text = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
        Decimal::from_str(text.trim())
            .or_else(|_| Decimal::from_scientific(text.trim()))
            .map_err(|e| format!("not a decimal in a decimal column: {text:?} ({e})").into())
    }
}

/// A decimal to bind to a `Dec` column (`Option<DecValue>` for a nullable one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::expression::AsExpression)]
#[diesel(sql_type = Dec)]
pub struct DecValue(pub Decimal);

impl From<Decimal> for DecValue {
    fn from(d: Decimal) -> Self {
        DecValue(d)
    }
}

impl ToSql<Dec, Pg> for DecValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <Decimal as ToSql<Numeric, Pg>>::to_sql(&self.0, out)
    }
}

impl ToSql<Dec, Sqlite> for DecValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.0.normalize().to_string());
        Ok(IsNull::No)
    }
}

/// A decimal or NULL to bind to a `Nullable<Dec>` column through a row
/// struct's `serialize_as` (the orphan rule forbids `Option<DecValue>:
/// From<Option<Decimal>>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::expression::AsExpression)]
#[diesel(sql_type = diesel::sql_types::Nullable<Dec>)]
pub struct OptDecValue(pub Option<DecValue>);

impl From<Option<Decimal>> for OptDecValue {
    fn from(d: Option<Decimal>) -> Self {
        OptDecValue(d.map(DecValue))
    }
}

impl ToSql<diesel::sql_types::Nullable<Dec>, Pg> for OptDecValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        match &self.0 {
            Some(d) => <Decimal as ToSql<Numeric, Pg>>::to_sql(&d.0, out),
            None => Ok(IsNull::Yes),
        }
    }
}

impl ToSql<diesel::sql_types::Nullable<Dec>, Sqlite> for OptDecValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        match &self.0 {
            Some(d) => {
                out.set_value(d.0.normalize().to_string());
                Ok(IsNull::No)
            }
            None => Ok(IsNull::Yes),
        }
    }
}
