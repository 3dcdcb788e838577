//! Labels and parcel documents: label URL sets (`GET /labels/{id}`, bulk
//! `POST /labels`), PDF downloads for A4 (`normal_printer`, positions 0–3)
//! and A6 (`label_printer`), parcel documents
//! (`/parcels/{id}/documents/{type}`) and absolute download URLs returned by
//! the API (only followed on the configured Sendcloud host).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sendcloud::client::{RetryMode, SendcloudClient};
use crate::sendcloud::de;
use crate::sendcloud::error::{Error, Result};

/// Position of the label on an A4 sheet (`start_from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrinterPosition {
    #[default]
    TopLeft = 0,
    TopRight = 1,
    BottomLeft = 2,
    BottomRight = 3,
}

impl PrinterPosition {
    /// From `start_from` 0..=3.
    pub fn from_index(i: u8) -> Option<Self> {
        match i {
            0 => Some(Self::TopLeft),
            1 => Some(Self::TopRight),
            2 => Some(Self::BottomLeft),
            3 => Some(Self::BottomRight),
            _ => None,
        }
    }

    /// The `start_from` value.
    pub fn index(self) -> u8 {
        self as u8
    }
}

/// Which label PDF to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelFormat {
    /// A4 sheet (`normal_printer`) with the label at this position.
    A4(PrinterPosition),
    /// A6 label for label printers (`label_printer`).
    A6,
}

/// Parcel document types of `/parcels/{id}/documents/{type}`; the path
/// segment is derived (`label`, `cp71`, `cn23`, `cn23-default`,
/// `commercial-invoice`): `Display`, `FromStr`, `&'static str`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "kebab-case")]
pub enum DocumentType {
    Label,
    Cp71,
    Cn23,
    Cn23Default,
    CommercialInvoice,
}

impl DocumentType {
    /// The path segment.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Label download URLs of one parcel or a bulk set (spec `Label`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct LabelUrls {
    /// A4 URLs for positions 0..=3.
    #[serde(deserialize_with = "de::null_default")]
    pub normal_printer: Vec<String>,
    /// A6 URL.
    pub label_printer: Option<String>,
}

impl LabelUrls {
    /// The URL for a format, if present.
    pub fn url(&self, format: LabelFormat) -> Option<&str> {
        match format {
            LabelFormat::A6 => self.label_printer.as_deref(),
            LabelFormat::A4(pos) => self
                .normal_printer
                .get(usize::from(pos.index()))
                .map(String::as_str),
        }
    }
}

#[derive(Deserialize)]
struct LabelBody {
    #[serde(default, deserialize_with = "de::null_default")]
    label: LabelUrls,
    #[serde(default)]
    #[allow(dead_code)]
    customs_declaration: Option<Value>,
}

fn ids_param(ids: &[i64]) -> Result<String> {
    if ids.is_empty() {
        return Err(Error::InvalidRequest("no parcel ids given".into()));
    }
    if ids.len() > 100 {
        return Err(Error::InvalidRequest(format!(
            "at most 100 parcel ids per request, got {}",
            ids.len()
        )));
    }
    Ok(ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
}

impl SendcloudClient {
    /// `GET /labels/{parcel_id}`: the label URLs of a parcel.
    pub async fn get_label(&self, parcel_id: i64) -> Result<LabelUrls> {
        let url = self.v2_url(&format!("/labels/{parcel_id}"), &[])?;
        Ok(self.get_json::<LabelBody>(url).await?.label)
    }

    /// `POST /labels` `{"label":{"parcels":[..]}}`: URLs of one PDF holding
    /// the labels of several parcels (creates nothing, so it is retried).
    pub async fn bulk_label_urls(&self, parcel_ids: &[i64]) -> Result<LabelUrls> {
        ids_param(parcel_ids)?;
        let url = self.v2_url("/labels", &[])?;
        let body = serde_json::json!({ "label": { "parcels": parcel_ids } });
        let resp: LabelBody = self
            .send_json(reqwest::Method::POST, url, &body, RetryMode::Safe)
            .await?;
        Ok(resp.label)
    }

    /// Downloads the label PDF of one parcel.
    pub async fn download_label(&self, parcel_id: i64, format: LabelFormat) -> Result<Vec<u8>> {
        let url = match format {
            LabelFormat::A4(pos) => self.v2_url(
                &format!("/labels/normal_printer/{parcel_id}"),
                &[("start_from", pos.index().to_string())],
            )?,
            LabelFormat::A6 => self.v2_url(&format!("/labels/label_printer/{parcel_id}"), &[])?,
        };
        self.get_pdf(url).await
    }

    /// Downloads one PDF with the labels of several parcels (`ids`, max 100).
    pub async fn download_labels(
        &self,
        parcel_ids: &[i64],
        format: LabelFormat,
    ) -> Result<Vec<u8>> {
        let ids = ids_param(parcel_ids)?;
        let url = match format {
            LabelFormat::A4(pos) => self.v2_url(
                "/labels/normal_printer",
                &[("ids", ids), ("start_from", pos.index().to_string())],
            )?,
            LabelFormat::A6 => self.v2_url("/labels/label_printer", &[("ids", ids)])?,
        };
        self.get_pdf(url).await
    }

    /// `GET /parcels/{id}/documents/{type}` as PDF.
    pub async fn download_document(&self, parcel_id: i64, kind: DocumentType) -> Result<Vec<u8>> {
        let url = self.v2_url(
            &format!("/parcels/{parcel_id}/documents/{}", kind.as_str()),
            &[],
        )?;
        self.get_pdf(url).await
    }

    /// `GET /customs_declaration/normal_printer/{parcel_id}?start_from=` as PDF.
    pub async fn download_customs_declaration(
        &self,
        parcel_id: i64,
        position: PrinterPosition,
    ) -> Result<Vec<u8>> {
        let url = self.v2_url(
            &format!("/customs_declaration/normal_printer/{parcel_id}"),
            &[("start_from", position.index().to_string())],
        )?;
        self.get_pdf(url).await
    }

    /// Downloads an absolute URL the API returned (label or document link).
    /// Refused unless it points at the configured Sendcloud host.
    pub async fn download_url(&self, url: &str) -> Result<Vec<u8>> {
        let url = self.trusted_url(url)?;
        self.get_pdf(url).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn document_type_path_segments() {
        let names: Vec<&str> = DocumentType::iter().map(DocumentType::as_str).collect();
        assert_eq!(
            names,
            [
                "label",
                "cp71",
                "cn23",
                "cn23-default",
                "commercial-invoice"
            ]
        );
        for t in DocumentType::iter() {
            assert_eq!(t.to_string().parse::<DocumentType>().ok(), Some(t));
        }
    }
}
