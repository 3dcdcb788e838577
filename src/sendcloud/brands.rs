//! Brands (v2 `GET /brands` paged, `GET /brands/{id}`).

use futures_util::Stream;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::de;
use crate::sendcloud::error::Result;
use crate::sendcloud::paging::{self, Page, PageBody, Protocol};

/// A logo reference (`{"url": ...}`, or `{}` when unset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Logo {
    pub url: Option<String>,
}

/// Which brand features are enabled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct BrandFeatures {
    pub tracking_page: bool,
    pub tracking_email: bool,
    pub tracking_sms: bool,
    pub tracking_whatsapp: bool,
    pub returns_portal: bool,
}

/// A brand (spec schema `brand`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Brand {
    pub id: i64,
    #[serde(deserialize_with = "de::null_default")]
    pub name: String,
    pub color: Option<String>,
    pub secondary_color: Option<String>,
    pub website: Option<String>,
    #[serde(deserialize_with = "de::null_default")]
    pub screen_logo: Logo,
    #[serde(deserialize_with = "de::null_default")]
    pub overlay_logo: Logo,
    #[serde(deserialize_with = "de::null_default")]
    pub print_logo: Logo,
    pub overlay_thumb: Option<Value>,
    pub screen_thumb: Option<String>,
    pub print_thumb: Option<String>,
    pub notify_reply_to_email: Option<String>,
    pub notify_bcc_email: Option<String>,
    #[serde(deserialize_with = "de::null_default")]
    pub domain: String,
    pub hide_powered_by: bool,
    pub google_analytics_id: Option<String>,
    #[serde(deserialize_with = "de::null_default")]
    pub features: BrandFeatures,
    /// Header/footer customisation, kept as raw JSON.
    pub customization_settings: Option<Value>,
}

#[derive(Deserialize)]
struct ListBody {
    #[serde(default, deserialize_with = "de::opt_string_or_number")]
    next: Option<String>,
    #[serde(default, deserialize_with = "de::null_default")]
    brands: Vec<Brand>,
}

impl PageBody<Brand> for ListBody {
    fn split(self) -> (Vec<Brand>, Option<String>) {
        (self.brands, self.next)
    }
}

impl SendcloudClient {
    /// `GET /brands`, page by page.
    pub fn brand_pages(&self) -> impl Stream<Item = Result<Page<Brand>>> + Send + 'static {
        let url = self.v2_url("/brands", &[]);
        let client = self.clone();
        paging::from_url_result(url, move |url| {
            paging::pages::<Brand, ListBody>(client, url, Protocol::BodyNext)
        })
    }

    /// `GET /brands`, all brands (pages fetched lazily).
    pub fn brands(&self) -> impl Stream<Item = Result<Brand>> + Send + 'static {
        paging::items(self.brand_pages())
    }

    /// `GET /brands/{id}`.
    pub async fn get_brand(&self, id: i64) -> Result<Brand> {
        let url = self.v2_url(&format!("/brands/{id}"), &[])?;
        self.get_json(url).await
    }
}
