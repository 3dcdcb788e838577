app-title = Sendcloud
menu-config = Configuration
menu-reports = Reports
menu-warehouse = Warehouse
menu-sendcloud = Sendcloud
nav-integration = Integration
nav-reports = Reports
company = Company
company-switch = Switch
language = Language
logout = Log out
login-title = Log in
login-username = User name
login-password = Password
login-submit = Log in
login-failed = User name or password is wrong.
logged-out = You have been logged out.
login-throttled = Too many login attempts. Please wait a minute and try again.
integration-title = Sendcloud integration
integration-state = State
state-disconnected = Not connected
state-pending = Connecting
state-connected = Connected
state-not-completed = Connection not completed
connect-waiting = Setup started on
connect-waiting-until = Sendcloud can confirm the connection until
connect-waiting-cancelled = Cancelled at Sendcloud? Then start Setup again.
connect-returned = Sendcloud has not confirmed the connection: it was cancelled on Sendcloud's page or is still on its way. Please reload the page in a few seconds or start Setup again.
connect-expired = The connection was not confirmed at Sendcloud within 30 minutes and has expired. Please start Setup again. Setup started on
btn-setup-again = Start Setup again
integration-id = Integration id
shop-name = Shop name
webhook = Webhook
webhook-active = active
webhook-inactive = inactive
webhook-inbox = Webhook inbox
webhook-pending = events (parcel status, returns) waiting to be processed
last-sync = Last synchronisation
failing-since = Failing since
never = never
btn-setup = Setup
btn-sync = Synchronise
btn-warehouses = Configure warehouses
btn-orders = Synchronise orders
needs-connection = Available once a Sendcloud account is connected.
warehouses-title = Warehouses
warehouse-code = Code
warehouse-name = Name
warehouse-address = Address
warehouse-sender = Sender address
warehouse-sender-default = The account's default sender address
warehouse-inactive = inactive
host-data = Company master data
stat-customers = Customers
stat-products = Products
stat-orders = Sales orders
stat-deliveries = Deliveries
reports-title = Sendcloud reports
report-parcels = Parcels
report-returns = Returns
report-invoices = Invoices
report-brands = Brands
report-actions = Action log
reports-empty = No data yet. Reports fill with the first synchronisation once a Sendcloud account is connected.
company-switched = Company switched.
language-switched = Language changed.
prefs-title = Personal settings
prefs-time-zone = Time zone
prefs-tz-browser = The browser's time zone (else Europe/Berlin)
prefs-tz-effective = Times are currently shown in:
prefs-tz-hint = Hover over a time to see it in UTC.
prefs-save = Save
prefs-saved = Personal settings saved.
prefs-tz-unknown = This time zone is unknown. Please choose one from the list.
error-forbidden = You do not have permission for this.
error-not-found = This page does not exist.
error-csrf = The form has expired or is invalid. Please reload the page and try again.
error-bad-request = The request is invalid.
error-internal = An internal error occurred. Details are in the server log.
error-no-company = No company is assigned to you.
error-back = Back
setup-hint = Go to Sendcloud to connect the account
setup-unreachable = Sendcloud cannot reach this module's webhook address. Please check SENDCLOUD_PLUGIN_PUBLIC_URL; currently:
needs-sender-addresses = Available once sender addresses have been synchronised.
keys-title = Enter keys by hand
keys-hint = For accounts without the connect flow: in Sendcloud create an integration under Settings → Integrations → Sendcloud API and enter its keys here. They are checked with Sendcloud before they are saved.
public-key = Public key
secret-key = Secret key
btn-save-keys = Check and save
keys-saved = Keys checked and saved. The first synchronisation runs in the background.
btn-test = Test connection
test-ok = Connection is fine
btn-disconnect = Disconnect
disconnect-confirm = Disconnect from Sendcloud? The keys are deleted, synchronised data is kept.
disconnected = Disconnected. The keys were deleted; synchronised data stays readable.
sync-start = Start synchronisation
sync-none-selected = Please select at least one object to synchronise.
sync-started = Synchronisation started.
sync-already-running = A synchronisation is already running.
object-sender-addresses = Sender addresses
object-shipping-methods = Shipping methods
object-parcel-statuses = Parcel statuses
object-parcels = Parcels
object-brands = Brands
object-returns = Returns
object-invoices = Invoices
synced-data = Synchronised data
object-sender-addresses-count = { $n ->
    [one] { $n } sender address
   *[other] { $n } sender addresses
}
object-shipping-methods-count = { $n ->
    [one] { $n } shipping method
   *[other] { $n } shipping methods
}
object-parcel-statuses-count = { $n ->
    [one] { $n } parcel status
   *[other] { $n } parcel statuses
}
object-parcels-count = { $n ->
    [one] { $n } parcel
   *[other] { $n } parcels
}
object-brands-count = { $n ->
    [one] { $n } brand
   *[other] { $n } brands
}
object-returns-count = { $n ->
    [one] { $n } return
   *[other] { $n } returns
}
object-invoices-count = { $n ->
    [one] { $n } invoice
   *[other] { $n } invoices
}
stat-customers-count = { $n ->
    [one] { $n } customer
   *[other] { $n } customers
}
stat-products-count = { $n ->
    [one] { $n } product
   *[other] { $n } products
}
stat-orders-count = { $n ->
    [one] { $n } sales order
   *[other] { $n } sales orders
}
stat-deliveries-count = { $n ->
    [one] { $n } delivery
   *[other] { $n } deliveries
}
webhook-pending-count = { $n ->
    [one] { $n } event (parcel status, return) waiting to be processed
   *[other] { $n } events (parcel status, returns) waiting to be processed
}
test-ok-count = { $n ->
    [one] Connection is fine: Sendcloud lists { $n } sender address in the account.
   *[other] Connection is fine: Sendcloud lists { $n } sender addresses in the account.
}
run-title = Last synchronisation
run-none = No synchronisation yet.
run-queued = Waiting
run-running = Running
run-done = Finished
run-failed-state = Failed
run-fetched = fetched
run-created = new
run-updated = changed
run-unchanged = unchanged
run-failed = errors
wh-none = No sender addresses have been synchronised from the connected Sendcloud account. Please create sender addresses in Sendcloud first and run the synchronisation (sender addresses).
wh-hint = For each warehouse choose the Sendcloud sender address it ships from. Warehouses without a choice use the account's default sender address.
wh-save = Save
wh-saved = Warehouse assignment saved.
wh-not-connected = This company is not connected to Sendcloud. Sender addresses arrive once it is connected (Setup) and its sender addresses are synchronised.
wh-goto-setup = Go to Setup
setup-connected = Already connected. To connect again, disconnect first.
orders-hint = Send orders that predate the connection (or were missed) to Sendcloud's incoming order view. Orders already sent are updated, never duplicated.
orders-since = Orders from
orders-selection = Order status
orders-approved-open = Approved and open
orders-approved-open-paid = Approved, open and paid
orders-start = Start
orders-last = Last order push
orders-none = No orders sent yet.
orders-pending = A push is waiting or running.
orders-started = Order push started; it runs in the background.
orders-already-running = An order push is already waiting or running.
orders-bad-date = Please enter a valid date that is not in the future.
orders-summary = { $selected } selected, { $pushed } pushed, { $unchanged } unchanged, { $failed } failed
orders-deferred = { $deferred } deferred (Sendcloud was still processing them; they are sent again with the next push)
orders-integration-unknown = The Sendcloud integration id is unknown and could not be determined (the account has no integration or several). Please connect through "Setup"; orders are pushed after that.
integration-id-unknown = The integration id is unknown: orders can only be pushed once it is known. Please connect through "Setup".
settings-title = Settings
settings-labels = Label creation
settings-auto-label = Create the label automatically as soon as a goods delivery is created
settings-auto-label-hint = Without this setting you create labels from the delivery list (one or many at once) or directly in Sendcloud.
settings-service-point = Service point delivery
settings-service-point-enabled = Enable delivery to service points
settings-service-point-field = Sales order field holding the service point ID
order-field-service-point-ref = Service point reference
order-field-your-ref = Your reference
order-field-remarks = Remarks
settings-customs = Customs
settings-customs-hint = Defaults for customs declarations and commercial invoices of shipments leaving the EU customs territory.
settings-shipment-type = Shipment type
shipment-type-0 = Gift
shipment-type-1 = Documents
shipment-type-2 = Commercial goods
shipment-type-3 = Commercial sample
shipment-type-4 = Returned goods
settings-origin-country = Country of origin (ISO code, e.g. DE)
settings-hs-code = HS code (tariff number, 6 to 10 digits, optional)
settings-customs-mapping = Customs data per product
settings-hs-attribute = Product attribute holding the HS code
settings-origin-attribute = Product attribute holding the country of origin
settings-customer-mapping = Customer data mapping
settings-mapping-dynamic = Dynamic (default)
settings-mapping-manual = Manual
settings-mapping-dynamic-hint = Dynamic: if the contact is empty or has the account's name, the account's data is sent without a company name; otherwise the contact's data is sent with the account name as company name.
settings-mapping-manual-fields = Manual mapping (applies only with "Manual")
mapped-name = Name
mapped-company-name = Company name
mapped-email = E-mail address
mapped-phone = Phone number
mapped-address = Address
source-account-name = Account: name
source-contact-name = Contact: name
source-account-email = Account: e-mail
source-contact-email = Contact: e-mail
source-account-phone = Account: phone
source-contact-phone = Contact: phone
source-account-address = Account: address
source-contact-address = Contact: address
source-none = do not send
settings-intervals = Sync intervals
settings-intervals-hint = How often the automatic sync runs per object type, in minutes (0 = off, at most 10080 = one week).
settings-interval-not-synced = saved; the Abgleich of this object type follows in a later version
sync-sender-addresses = Sender addresses
sync-shipping-methods = Shipping methods
sync-parcel-statuses = Parcel statuses
sync-parcels = Parcels
sync-returns = Returns
sync-invoices = Invoices
sync-brands = Brands
minutes = minutes
settings-default-method = Default shipping method
settings-no-methods = No shipping methods synced yet. Run a sync of the shipping methods to pick one.
settings-method-none = none
settings-method-not-synced = no longer synced
settings-retention = Log retention
settings-retention-days = Keep logs for
days = days
settings-save = Save
settings-saved = Settings saved.
settings-invalid = The settings were not saved. Please check the marked fields.
settings-error-country = Please enter a two-letter ISO 3166 country code, e.g. DE.
settings-error-hs-code = The HS code has 6 to 10 digits or stays empty.
settings-error-interval = Please enter a whole number from 0 to 10080 minutes (0 = off).
settings-error-retention = Please enter a whole number from 1 to 365 days.
settings-error-shipment-type = Please pick one of the offered shipment types.
settings-error-attribute = Please enter an attribute key of letters, digits, _ - . (at most 64 characters).
settings-error-attribute-unknown = The company's products have no such attribute. Please choose one from the list.
settings-error-service-point-field = Please pick one of the offered order fields.
settings-error-mapping = Please pick "Dynamic" or "Manual".
settings-error-source = Please pick one of the offered sources.
settings-error-method = Please pick a shipping method from the list.
settings-error-method-unknown = This shipping method is not synced for this company.

## Shipping method mapping (v2 method → v3 shipping option)
btn-method-mapping = Shipping method mapping
mm-title = Shipping method mapping
mm-hint = Orders carry a Sendcloud shipping method (v2). Labels are created through Sendcloud shipping options (v3). Sendcloud names the matching option for most methods; where it names none or another one should apply, choose the option here.
mm-empty = No shipping methods or shipping options have been synchronised yet. Please run the synchronisation (shipping methods).
mm-method = Shipping method (v2)
mm-sendcloud = Option according to Sendcloud
mm-option = Option used
mm-none = none
mm-follow-sendcloud = as Sendcloud says
mm-unresolved = No option: labels for orders with this method use the default shipping method. Please choose an option.
mm-save = Save
mm-saved = Shipping method mapping saved.
mm-error-method = A shipping method is no longer synchronised. Please reload the page and save again.
mm-error-option = A chosen shipping option is no longer synchronised. Please run the synchronisation (shipping methods) and choose again.
wh-country-mismatch = The warehouse's country and the sender address's country differ

report-methods = Shipping methods
report-senders = Sender addresses
report-runs = Sync runs
report-yes = yes
report-no = no
report-details = Details
report-back = Back to the list
report-export = Export CSV
page-first = « First page
page-next = Next page »
filter-all = all
filter-active = Present at Sendcloud
filter-active-yes = present
filter-active-no = removed at Sendcloud
filter-kind = Kind
filter-kind-outgoing = Outgoing
filter-kind-return = Return
filter-created-from = Created from
filter-created-to = Created until
filter-from = From
filter-to = To
filter-text = Search
filter-apply = Filter
filter-reset = Reset filters
empty-filtered = No entries match these filters.
empty-parcels = No parcels yet – start a sync of the parcels.
empty-returns = No returns yet – start a sync of the returns.
empty-invoices = No invoices yet – start a sync of the invoices.
empty-brands = No brands yet – start a sync of the brands.
empty-methods = No shipping methods yet – start a sync of the shipping methods.
empty-senders = No sender addresses yet – start a sync of the sender addresses.
empty-runs = No sync has run yet – start the first sync.
empty-actions = No actions logged yet. Calls to Sendcloud, webhooks and changes appear here once the account is connected.
empty-start-sync = Go to the sync
empty-open-config = Go to the integration
trigger-manual = Manual
trigger-schedule = Schedule
trigger-connect = Connection
trigger-api = Plugin API
trigger-cli = Command line
user-system = System
direction-out = to Sendcloud
direction-in = from Sendcloud
direction-internal = in the module
result-ok = OK
result-error = Error
col-id = ID
col-updated = Updated
col-order-number = Order number
col-recipient = Recipient
col-destination = Destination
col-carrier = Carrier
col-tracking-number = Tracking number
col-status = Status
col-created = Created
col-announced = Announced
col-synced = Synced
col-name = Name
col-domain = Domain
col-website = Website
col-color = Colour
col-reply-to = Reply-to address
col-active = At Sendcloud
col-weight = Weight
col-countries = Countries
col-service-point = Service point
col-company-name = Company
col-label = Label
col-address = Address
col-city = City
col-contact = Contact
col-email = E-mail
col-phone = Phone
col-vat = VAT number
col-eori = EORI number
col-sendcloud-id = Sendcloud ID
col-reference = Reference
col-shipping-method = Shipping method
col-return = Return
col-started = Started
col-finished = Finished
col-started-by = Started by
col-objects = Objects
col-object = Object
col-state = State
col-counts = Counts per object
col-duration = Duration
col-error = Error
col-at = Time
col-user = User
col-direction = Direction
col-action = Action
col-target = Target
col-result = Result
col-message = Message
col-payload = Payload (masked)

# Action log facts of webhook receipts (stored as actionlog::Fact)
log-webhook-stored = Event received and stored (inbox { $inbox })
log-webhook-duplicate = Event already received (Sendcloud delivered it again): ignored
col-sender = Sender
col-return-status = Return status
col-parcel-status = Parcel status
col-reason = Reason
col-country = Country
col-shipping-option = Shipping option
col-refund = Refund
col-return-fee = Return fee
col-label-cost = Label cost
col-outgoing-parcel = Outgoing parcel (Sendcloud ID)
col-incoming-parcel = Return parcel (Sendcloud ID)
col-delivery = Delivery
col-delivered = Delivered
col-invoice-number = Invoice ID
col-invoice-date = Invoice date
col-invoice-kind = Invoice type
col-amount-excl = Amount excl. VAT
col-amount-incl = Amount incl. VAT
col-items = Items
col-paid = Paid
col-position = No.
col-description = Description
col-quantity = Quantity
col-amount = Amount
invoice-paid = paid
invoice-unpaid = unpaid
invoice-kind-periodic = Periodic
invoice-kind-forced = Forced
invoice-kind-initial_payment = Initial payment
invoice-kind-other = Other
invoice-kind-unblock_payment = Unblock payment
