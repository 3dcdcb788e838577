//! The value types of the settings: how the recipient is mapped (dynamic or
//! manual per field), the customs shipment type, the service-point order
//! field. Each knows its stored form, its form value and its translation id.

use serde_json::{Map, Value};

use super::json_object;

/// How the recipient of a shipment is taken from the host's customer data
/// (MISSION row 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum CustomerMapping {
    /// Account data when the contact is empty or has the account's name,
    /// otherwise the contact's data with the account name as company name.
    Dynamic,
    /// Each recipient field from the host field the user picked.
    Manual,
}

impl CustomerMapping {
    pub const ALL: [CustomerMapping; 2] = [CustomerMapping::Dynamic, CustomerMapping::Manual];

    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<CustomerMapping> {
        s.parse().ok()
    }

    /// Translation id of the UI label.
    pub fn label_id(&self) -> &'static str {
        match self {
            CustomerMapping::Dynamic => "settings-mapping-dynamic",
            CustomerMapping::Manual => "settings-mapping-manual",
        }
    }
}

/// Sendcloud's customs shipment type (0–4), the default for customs
/// declarations (MISSION row 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentType {
    Gift = 0,
    Documents = 1,
    CommercialGoods = 2,
    CommercialSample = 3,
    ReturnedGoods = 4,
}

impl ShipmentType {
    pub const ALL: [ShipmentType; 5] = [
        ShipmentType::Gift,
        ShipmentType::Documents,
        ShipmentType::CommercialGoods,
        ShipmentType::CommercialSample,
        ShipmentType::ReturnedGoods,
    ];

    /// The number Sendcloud expects (`customs_shipment_type`).
    pub fn code(&self) -> i32 {
        *self as i32
    }

    pub fn from_code(code: i32) -> Option<ShipmentType> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Translation id of the UI label (German: Geschenk, Dokumente,
    /// Handelswaren, Warenmuster, Rücksendung).
    pub fn label_id(&self) -> &'static str {
        match self {
            ShipmentType::Gift => "shipment-type-0",
            ShipmentType::Documents => "shipment-type-1",
            ShipmentType::CommercialGoods => "shipment-type-2",
            ShipmentType::CommercialSample => "shipment-type-3",
            ShipmentType::ReturnedGoods => "shipment-type-4",
        }
    }
}

/// The sales-order text field that holds the service point id (MISSION row 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum ServicePointField {
    ServicePointRef,
    YourRef,
    Remarks,
}

impl ServicePointField {
    pub const ALL: [ServicePointField; 3] = [
        ServicePointField::ServicePointRef,
        ServicePointField::YourRef,
        ServicePointField::Remarks,
    ];

    /// The column of `sales_orders` in the host's reference schema.
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<ServicePointField> {
        s.parse().ok()
    }

    pub fn label_id(&self) -> &'static str {
        match self {
            ServicePointField::ServicePointRef => "order-field-service-point-ref",
            ServicePointField::YourRef => "order-field-your-ref",
            ServicePointField::Remarks => "order-field-remarks",
        }
    }
}

/// A host field that can feed a recipient field in manual mapping. "Account"
/// is the customer (Debitor), "contact" the order's contact person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum Source {
    AccountName,
    ContactName,
    AccountEmail,
    ContactEmail,
    AccountPhone,
    ContactPhone,
    AccountAddress,
    ContactAddress,
    /// Send nothing for this field.
    None,
}

impl Source {
    pub const ALL: [Source; 9] = [
        Source::AccountName,
        Source::ContactName,
        Source::AccountEmail,
        Source::ContactEmail,
        Source::AccountPhone,
        Source::ContactPhone,
        Source::AccountAddress,
        Source::ContactAddress,
        Source::None,
    ];

    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Source> {
        s.parse().ok()
    }

    pub fn label_id(&self) -> &'static str {
        match self {
            Source::AccountName => "source-account-name",
            Source::ContactName => "source-contact-name",
            Source::AccountEmail => "source-account-email",
            Source::ContactEmail => "source-contact-email",
            Source::AccountPhone => "source-account-phone",
            Source::ContactPhone => "source-contact-phone",
            Source::AccountAddress => "source-account-address",
            Source::ContactAddress => "source-contact-address",
            Source::None => "source-none",
        }
    }
}

/// A recipient field of manual mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum MappedField {
    Name,
    CompanyName,
    Email,
    Phone,
    Address,
}

impl MappedField {
    pub const ALL: [MappedField; 5] = [
        MappedField::Name,
        MappedField::CompanyName,
        MappedField::Email,
        MappedField::Phone,
        MappedField::Address,
    ];

    /// Key in the stored JSON and suffix of the form field (`map_<key>`).
    pub fn key(&self) -> &'static str {
        self.into()
    }

    pub fn label_id(&self) -> &'static str {
        match self {
            MappedField::Name => "mapped-name",
            MappedField::CompanyName => "mapped-company-name",
            MappedField::Email => "mapped-email",
            MappedField::Phone => "mapped-phone",
            MappedField::Address => "mapped-address",
        }
    }

    /// The host fields that make sense for this recipient field. A name and
    /// an address are required by Sendcloud, so they cannot be "none".
    pub fn sources(&self) -> &'static [Source] {
        match self {
            MappedField::Name => &[Source::ContactName, Source::AccountName],
            MappedField::CompanyName => &[Source::AccountName, Source::ContactName, Source::None],
            MappedField::Email => &[Source::ContactEmail, Source::AccountEmail, Source::None],
            MappedField::Phone => &[Source::ContactPhone, Source::AccountPhone, Source::None],
            MappedField::Address => &[Source::AccountAddress, Source::ContactAddress],
        }
    }

    /// The source used when nothing (valid) was chosen: the first of
    /// [`MappedField::sources`].
    pub fn default_source(&self) -> Source {
        self.sources()[0]
    }
}

/// Manual customer-data mapping: which host field feeds each recipient field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManualMapping {
    pub name: Source,
    pub company_name: Source,
    pub email: Source,
    pub phone: Source,
    pub address: Source,
}

impl Default for ManualMapping {
    fn default() -> Self {
        ManualMapping {
            name: MappedField::Name.default_source(),
            company_name: MappedField::CompanyName.default_source(),
            email: MappedField::Email.default_source(),
            phone: MappedField::Phone.default_source(),
            address: MappedField::Address.default_source(),
        }
    }
}

impl ManualMapping {
    pub fn get(&self, field: MappedField) -> Source {
        match field {
            MappedField::Name => self.name,
            MappedField::CompanyName => self.company_name,
            MappedField::Email => self.email,
            MappedField::Phone => self.phone,
            MappedField::Address => self.address,
        }
    }

    pub fn set(&mut self, field: MappedField, source: Source) {
        match field {
            MappedField::Name => self.name = source,
            MappedField::CompanyName => self.company_name = source,
            MappedField::Email => self.email = source,
            MappedField::Phone => self.phone = source,
            MappedField::Address => self.address = source,
        }
    }

    /// The stored form: `{"name":"contact_name",…}`.
    pub fn to_json(&self) -> String {
        let map: Map<String, Value> = MappedField::ALL
            .iter()
            .map(|f| (f.key().to_string(), Value::from(self.get(*f).as_str())))
            .collect();
        Value::Object(map).to_string()
    }

    /// Parse the stored form; unknown or unsuitable sources fall back to the
    /// field's default.
    pub fn from_json(text: &str) -> ManualMapping {
        let map = json_object(text);
        let mut m = ManualMapping::default();
        for f in MappedField::ALL {
            if let Some(s) = map
                .get(f.key())
                .and_then(Value::as_str)
                .and_then(Source::parse)
                .filter(|s| f.sources().contains(s))
            {
                m.set(f, s);
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored names are a contract with rows already saved: derived,
    /// they must still read as before.
    #[test]
    fn stored_names_are_stable() {
        let names = |v: Vec<&'static str>| v.join(",");
        assert_eq!(
            names(CustomerMapping::ALL.iter().map(|m| m.as_str()).collect()),
            "dynamic,manual"
        );
        assert_eq!(
            names(ServicePointField::ALL.iter().map(|f| f.as_str()).collect()),
            "service_point_ref,your_ref,remarks"
        );
        assert_eq!(
            names(MappedField::ALL.iter().map(|f| f.key()).collect()),
            "name,company_name,email,phone,address"
        );
        for s in Source::ALL {
            assert_eq!(Source::parse(s.as_str()), Some(s));
        }
        assert_eq!(Source::None.as_str(), "none");
        assert_eq!(Source::AccountAddress.as_str(), "account_address");
        assert_eq!(CustomerMapping::parse("bogus"), None);
    }
}
