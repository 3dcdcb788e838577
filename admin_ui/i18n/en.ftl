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
run-objects = Objects in this run:
run-object = Object
run-object-state = State
run-auto-refresh = This view updates itself while a synchronisation or an order push is under way.
run-reload = Refresh now
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
settings-integration-log = Also write failed labels to Sendcloud's integration log
settings-integration-log-hint = Each failure of a delivery then appears once, besides the Logs, among the connection issues of your integration in Sendcloud (with order number, error codes and fields, without credentials). If that entry cannot be written, the action log says so; the label itself is not affected.
settings-integration-log-cap-count = At most { $n } entries per hour, so that many failures at once do not use up your Sendcloud account's writes; further failures are counted and then summarised in one entry.
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

## Problems (stored as codes, rendered here) and stored action-log facts
problem-in-object = { $object }: { $text }
problem-detail = Sendcloud says: “{ $detail }”
problem-detail-db = The database says: “{ $detail }”
problem-sendcloud-down = Sendcloud reported a server error. The problem is on Sendcloud's side: try again later; the next automatic synchronisation tries again by itself.
problem-sendcloud-unreachable = Sendcloud could not be reached (no answer, or none in time). Check the server's internet connection and try again later.
problem-keys-refused = Sendcloud refused the API keys. Check the integration in Sendcloud and connect again ({ btn-setup } or enter keys).
problem-access-denied = Sendcloud denied access: the keys are valid but may not do this. Check the integration's permissions in Sendcloud.
problem-rate-limited = Sendcloud reported too many requests (rate limit). Try again in a few minutes.
problem-field-rejected = Sendcloud rejected the field “{ $field }”. Correct the value and try again.
problem-field-rejected-any = Sendcloud rejected the request. Correct the data named and try again.
problem-not-found = Sendcloud does not know what was asked for (any more). Try again; if it persists, start a full synchronisation of this object.
problem-no-sender-address = The Sendcloud account has no sender address. Add one in Sendcloud under Settings → Addresses.
problem-sendcloud-busy = Sendcloud is still processing an earlier request. Try again in a minute.
problem-bad-answer = Sendcloud sent an unexpected answer. Try again; if it persists, tell the operator the date and time.
problem-database = The module's database reported an error. Tell the operator (server log).
problem-not-connected = No Sendcloud account is connected for this company. Connect one with “{ btn-setup }”.
problem-missing-keys = Please enter the public and the secret key.
problem-internal = An unexpected error occurred in the module. Try again; if it persists, tell the operator.
log-sync-done = { $object }: { $fetched } fetched, { $created } new, { $updated } changed, { $unchanged } unchanged, { $failed } failed
log-sync-failed = { $object }: stopped after { $fetched } fetched.
log-test-ok = Connection is fine: { $count } sender addresses at Sendcloud.
log-test-failed = Connection test failed.
log-keys-saved = Keys entered by hand, checked with Sendcloud and saved.
log-disconnected = Disconnected, keys deleted; synchronised data is kept.
log-settings-saved = Settings saved; changed: { $fields }
log-settings-unchanged = Settings saved; no changes.
log-warehouses-saved = Sender addresses of the warehouses changed: { $changes }

## Notifications of lasting failures, full resync
nav-notifications = Notifications
notify-kind-sync = synchronisation
notify-kind-label = label creation
notify-failure-subject = Sendcloud: { $kind } for { $company } is failing
notify-failure-intro = Sendcloud { $kind } for { $company }: failing since { $since }, { $failures } failed attempts in a row.
notify-failure-action = State and history in the back office: { $link }
notify-once = This message comes once per incident; an all-clear follows as soon as it works again.
notify-recovered-subject = Sendcloud: { $kind } for { $company } works again
notify-recovered-body = All clear: { $kind } for { $company } works again (failing since { $since }, { $failures } failed attempts). State: { $link }
log-notify-sent = Notification sent ({ $channel }, { $event ->
    [failure] incident
   *[other] all-clear
}).
log-notify-failed = Notification by { $channel } not delivered: { $detail }
log-notify-settings = Notification settings saved.
notify-title = Notifications of incidents
notify-hint = When the automatic synchronisation keeps failing, the responsible person hears of it: once per incident, with an all-clear as soon as it works again.
notify-email = E-mail address of the responsible person
notify-webhook-url = Webhook URL of the host (signed POST)
notify-after-runs = Notify after this many failed runs in a row (0 = not by count)
notify-after-hours = … or when the first failure is this many hours old (0 = not by time)
notify-language = Language of the messages
notify-save = Save
notify-saved = Notifications saved.
notify-smtp-missing = No SMTP server is configured on this server (SENDCLOUD_PLUGIN_SMTP_URL): e-mails go out only once the operator sets one.
notify-error-email = Please enter a valid e-mail address or leave the field empty.
notify-error-url = Please enter an http(s) address or leave the field empty.
notify-error-number = Please enter a whole number from 0 to 1000.
notify-error-language = Please choose one of the languages offered.
notify-error-summary = Please correct the marked fields; nothing was saved.
notify-incidents = Incidents
notify-none = No incident so far.
notify-col-opened = Since
notify-col-failures = Failed attempts
notify-col-state = State
notify-col-problem = Cause
notify-open = open
notify-resolved = resolved
notify-notified = notified
notify-not-notified = not notified (yet)
resync-title = Full synchronisation
resync-hint = Reads all data of one object from Sendcloud again instead of only what changed since the last run: for when data is missing or wrong.
resync-object = Object
resync-start = Synchronise fully …
resync-confirm-title = Confirm the full synchronisation
resync-confirm-text = { $object }: the synchronisation's position is reset and all data is read from Sendcloud again. With much data this takes longer; existing data is kept and updated.
resync-confirm = Yes, synchronise fully
resync-cancel = Cancel
resync-started = Full synchronisation started.
resync-unknown = Please choose an object from the list.
log-resync = Full synchronisation of { $object } requested; position reset.
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

# Deliveries, Logs, labels
deliveries-title = Deliveries
logs-title = Logs
logs-hint = Deliveries whose label could not be created. Fix the points listed (in the back office or in Sendcloud) and click "Retry". An entry disappears by itself as soon as the label exists.
logs-retry = Retry
logs-empty = No failed deliveries.
logs-fix-list = To fix
deliveries-filter-state = Shipping state
deliveries-filter-all = All
deliveries-filter-search = Delivery or order number
deliveries-filter-apply = Filter
deliveries-create-labels = Create label
deliveries-cancel = Cancel label
deliveries-empty = No deliveries found.
deliveries-select-all = Select all
deliveries-col-number = Delivery
deliveries-col-order = Order
deliveries-col-customer = Customer
deliveries-col-created = Created (UTC)
deliveries-col-state = Shipping state
deliveries-col-tracking = Tracking number
deliveries-next = Next page
deliveries-none-selected = Please select at least one delivery.
deliveries-labels-queued = { $queued } label(s) are being created in the background; { $already } already had one.
deliveries-cancel-queued = { $count } cancellation(s) are being sent to Sendcloud.
delivery-parcel = Parcel (Sendcloud)
delivery-carrier = Carrier
delivery-option = Shipping option
delivery-reference = Reference at Sendcloud
delivery-cancel-outcome = Cancellation
delivery-history = Tracking history
delivery-history-empty = No status updates yet.
shipping-state-no-label = No label
shipping-state-label-created = Label created
shipping-state-in-transit = In transit
shipping-state-delivered = Delivered
shipping-state-failed = Failed
shipping-state-cancelled = Cancelled
cancel-outcome-cancelled = Cancelled: Sendcloud cancelled the label.
cancel-outcome-queued = Queued: Sendcloud cancels the label as soon as possible (the parcel is watched for up to 14 days).
cancel-outcome-too-late = Too late: labels can only be cancelled up to 42 days after they were created.
cancel-outcome-delivered = Not possible: the parcel has already been delivered.
cancel-outcome-already-cancelled = The label was already cancelled.
cancel-outcome-not-found = Sendcloud does not know this shipment (any more).
cancel-outcome-no-label = This delivery has no label.
cancel-outcome-failed = The cancellation failed; please try again later.
test-mode = Test mode
test-mode-label = Created in test mode and cancelled at once
test-mode-banner = Test mode is ON: every label created is cancelled again at once (no charge, nothing shipped).
test-mode-hint = In test mode every label the module creates is cancelled again at once, so you can try the whole flow without being charged (Sendcloud has no test keys).
test-mode-switch-on = Switch test mode on
test-mode-switch-off = Switch test mode off
test-mode-on = Test mode switched on.
test-mode-off = Test mode switched off.
problem-sendcloud = Sendcloud: { $field } – { $message }
problem-address-field-missing = The delivery address is incomplete ({ $field }): please complete it on the customer or contact.
problem-house-number-missing = The house number is missing: please add it to the customer's or contact's address.
problem-email-missing = The recipient's e-mail address is missing; the shipping option (or shipping outside the EU) requires it.
problem-phone-missing = The recipient's phone number is missing; shipping outside the EU (or the shipping option) requires it.
problem-item-value-decimals = Line { $field } ({ $a }): the price has more than 2 decimals.
problem-quantity-fractional = Line { $field } ({ $a }): the quantity is not a whole number; Sendcloud accepts whole pieces only.
problem-quantity-zero = Line { $field } ({ $a }): the quantity must be at least 1.
problem-item-weight-exceeds-parcel = The items weigh more ({ $a } kg) than the parcel ({ $b } kg).
problem-weight-zero = The parcel weighs 0 kg: please enter a weight on the products.
problem-dimension-zero = A parcel dimension ({ $field }) is 0.
problem-option-missing = No shipping option: the order has no shipping method and no default shipping method is set.
problem-option-unmapped = The order's shipping method { $a } is not mapped to a shipping option: please pick one under Settings → shipping method mapping (or run the shipping methods Abgleich).
problem-option-weight = The parcel weight ({ $b } kg) does not fit the shipping option { $a } ({ $c }–{ $d } kg).
problem-option-destination = The shipping option { $a } does not deliver to { $b }.
problem-service-point-missing = The shipping option { $a } delivers to a service point only: the order has no service point id.
problem-hs-code-missing = Line { $field } ({ $a }): shipping outside the EU needs an HS code: set it on the product or as the default in the settings.
problem-origin-missing = Line { $field } ({ $a }): shipping outside the EU needs the country of origin: set it on the product or as the default in the settings.
problem-items-missing = Shipping outside the EU needs the shipment's items.

# Action log facts of webhook refusals and integration events
log-webhook-refused = { $reason ->
        [credentials_bad_signature] Credentials with an invalid signature discarded
        [credentials_not_waiting] Credentials arrived while no connection was expected: discarded
        [not_connected] Event without a connection (no key stored) discarded
        [too_old] Integration event older than the replay window discarded
       *[other] Event with an invalid signature discarded
    }. Further refused calls until { $until } are only counted.
log-webhook-stale = Outdated event: a newer one was already applied; not applied
log-integration-deleted = Integration deleted in Sendcloud: disconnected, data kept
log-integration-updated = Integration updated
log-integration-connected = Connected (integration { $integration })

## --- api
api-docs-title = Plugin API
api-docs-intro = The interface for the host system: JSON or XML, authenticated with a host token. The document for tools:
api-docs-operations = Operations
api-docs-parameters = Parameters
api-docs-name = Name
api-docs-in = In
api-docs-type = Type
api-docs-description = Description
api-docs-body = Request
api-docs-answer = Response
api-docs-errors = Errors
api-docs-idempotent = Takes an Idempotency-Key: a repeated request gets the first answer.
api-docs-schemas = Schemas
api-docs-required = Required
api-docs-codes = Error codes
api-docs-code = Code
api-op-listCompanies = The companies the token covers, with their integration state.
api-op-getCompany = A company's Sendcloud integration status (state, last Abgleich, failing since, failed labels).
api-op-listShippingOptions = The shipping options that fit a delivery, or a destination and weight (only those that fit).
api-op-createLabels = Create the labels of one or many deliveries: 202 with a job per delivery; follow `GET …/jobs/{"{"}job{"}"}` or the delivery.
api-op-getJob = A label or cancel job; once done (or failed), the delivery with its shipment, its problems or the cancel outcome.
api-op-getDelivery = A delivery's shipment (label), shipping state, problems and tracking history.
api-op-getDocument = A document of the delivery's parcel from Sendcloud: the label or the customs declaration, as PDF or ZPL.
api-op-cancelLabel = Cancel the delivery's label (no body): 202 with the cancel job; Sendcloud's answer becomes the shipment's `cancel_outcome`.
api-op-listLogs = The Logs: failed labels with their problems (codes, fields, Sendcloud's detail), newest delivery first.
api-op-retryLabels = Try the labels of these deliveries again (after fixing the data): 202 with a job per delivery.
api-op-startSync = Start an Abgleich of these objects: 202 with the run (`Location` is its URL).
api-op-getSync = An Abgleich run's progress and result (objects, counts, the problem as a code with Sendcloud's detail).
api-op-listParcels = The parcels report (Berichte → Pakete): filters, sort and keyset pages as on the page.
api-op-listReturns = The returns report (Berichte → Retouren).
api-op-listInvoices = The invoices report (Berichte → Rechnungen).
api-op-postDeliveryEvent = The host says a delivery was created, changed or cancelled: 202 when a label or cancel job was queued, 200 when nothing was to do (`outcome` says why). The same event twice makes one label / one cancellation.
api-op-listEvents = The outbox of events for the host in one state (oldest first, at most 500), with the counts per state.
api-op-retryEvents = Send the parked events again (no body): 202 with how many were queued again.
api-op-setEventsHook = Where the module posts the host's events: `url` (empty switches them off) and `secret` (write-only, ≥ 16 characters; absent keeps the stored one, empty removes it). The answer never carries the secret.
api-op-pushOrders = Push the approved orders changed since a date, or named orders (even unchanged or held back), to Sendcloud: 202 with the push job.
api-op-pushOrder = Push one order now, even unchanged or held back (no body): 202 with the push job.
api-op-getOpenApi = This document (public).
api-op-getDocs = This document as a readable page (public; `?lang=de|en|nl|fr`).
api-param-company = The company's id (the token must cover it).
api-param-delivery = The delivery's id in the host.
api-param-carrier = Carrier code.
api-param-order = Order number, its beginning.
api-param-tracking = Tracking number, its beginning.
api-param-q = Free text.
api-param-from = First day, YYYY-MM-DD (UTC), included.
api-param-to = Last day, YYYY-MM-DD (UTC), included.
api-param-dir = `asc` or `desc` (default).
api-param-after = The `next_after` of the previous page (keyset cursor).
api-param-limit = Rows per page, 1 to 200 (default 50).
api-param-listShippingOptions-delivery = A delivery: its destination and weight (products × quantities).
api-param-country = Destination country, ISO 3166-1 alpha-2 (with `weight`, instead of `delivery`).
api-param-postal_code = Destination postal code.
api-param-weight = Parcel weight in kg, decimal point (`1.25`).
api-param-job = The job's id from a 202 answer.
api-param-getDocument-kind = `label` or `customs-declaration`.
api-param-format = `pdf` (default) or `zpl`.
api-param-before = The `next_before` of the previous page.
api-param-listLogs-limit = Entries per page, 1 to 200 (default 50).
api-param-run = The run's id.
api-param-listParcels-status = Sendcloud status id.
api-param-listParcels-kind = `return` or `outgoing`.
api-param-listParcels-sort = `updated` (default), `order_number`, `tracking_number`, `status`.
api-param-listReturns-status = Return status (`open`, `requested`, …).
api-param-listReturns-sort = `updated` (default), `order_number`.
api-param-paid = `yes` or `no`.
api-param-listInvoices-kind = `periodic`, `forced`, `initial_payment`, `other`, `unblock_payment`.
api-param-listInvoices-q = Free text in the reference.
api-param-listInvoices-sort = `number` (default), `reference`.
api-param-state = `pending` (default), `parked` or `delivered`.
api-param-order_number = The order's number in the host (an approved, open order).
api-param-lang = `de` (default), `en`, `nl`, `fr`.
api-code-unauthorized = No host token (send `Authorization: Bearer <token>`), or host tokens are not enabled.
api-code-token_expired = The host token has expired; mint a new one.
api-code-token_invalid = The host token is not one this module signed (another secret, altered, garbage).
api-code-permission_missing = The token lacks the permission `sendcloud.api`.
api-code-company_not_covered = The token does not cover the company in the path.
api-code-not_found = No such company, delivery, job, document or route.
api-code-method_not_allowed = The route exists, but not with this method.
api-code-unsupported_media_type = The body is neither `application/json` nor `application/xml`.
api-code-malformed_body = The body is not well-formed JSON or XML (or carries a DTD).
api-code-unknown_field = The body has a field the schema does not know.
api-code-invalid_value = A field has the wrong type, or a required field is missing.
api-code-too_deep = The body nests deeper than 16 levels.
api-code-body_too_large = The body is larger than 64 KiB.
api-code-bad_parameter = A query or path parameter is not valid (a page cursor, a number, a format).
api-code-validation_failed = Well-formed, but not acceptable (e.g. an empty list, an unknown object type).
api-code-idempotency_key_invalid = The `Idempotency-Key` is empty or longer than 200 characters.
api-code-idempotency_key_reused = The `Idempotency-Key` was used before for a different request.
api-code-not_connected = The company has no connected Sendcloud account.
api-code-already_running = An Abgleich, or the same order push, is already queued or running for the company.
api-code-no_label = The delivery has no label (yet, or any more).
api-code-document_unavailable = Sendcloud has no such document for the parcel (e.g. no customs declaration inside the EU).
api-code-sendcloud_error = Sendcloud answered with an error or could not be reached; retry later.
api-code-internal_error = Something failed inside the module; see its log.
api-code-unavailable = The database is not reachable; retry later.
api-field-CompanyStatus-failed_labels = Labels in the Logs (failed, waiting for a fix and a retry).
api-field-CompanyStatus-failing_since = Since when the connection fails (Sendcloud refuses the keys).
api-field-DeliveryBody-event = The tracking history, oldest first.
api-field-DeliveryBody-problem = Why the label failed (the Logs), as codes with Sendcloud's detail.
api-field-DeliveryBody-shipping_state = `no_label`, `label_created`, `in_transit`, `delivered`, `failed`,
    `cancelled`.
api-field-DeliveryBody-status = The host's delivery status (`draft`, `done`, `cancelled`).
api-field-EventAnswer-outcome = `label_requested`, `label_retried`, `cancel_requested` (a job was
    queued, 202); `already_labelled`, `label_was_cancelled`, `not_due`,
    `auto_label_off`, `nothing_to_cancel`, `already_shipped`,
    `already_cancelled` (nothing to do, 200).
api-field-EventItem-event = `label.created`, `label.status_changed`, `label.delivered`,
    `label.failed`, `label.cancelled`.
api-field-EventItem-state = `pending`, `parked` or `delivered`.
api-field-EventRequest-event = `created`, `changed` or `cancelled`.
api-field-HookRequest-secret = At least 16 characters; signs the events (HMAC-SHA256). Write-only.
api-field-InvoiceItem-price_incl = Decimal as text (`12.34`).
api-field-JobBody-delivery = The delivery with its shipment (or its problems), once the job is
    done or failed.
api-field-JobBody-kind = `labels.create` or `labels.cancel`.
api-field-JobBody-state = `queued`, `running`, `done`, `failed` (gave up after its retries).
api-field-JobRef-outcome = `queued` (follow `job_id`), `already_labelled`, `unknown_delivery`.
api-field-LogPage-next_before = The `before` of the next page; absent on the last.
api-field-OptionItem-code = The option code labels are announced with (`postnl:standard/signature`).
api-field-OptionItem-export_documents = Customs documents are needed.
api-field-OptionItem-v2_method_id = The v2 shipping method an order may name for this option.
api-field-ProblemBody-code = Our code (`house_number_missing`, …) or `sendcloud`.
api-field-ProblemBody-detail = Values of the check, or Sendcloud's message verbatim.
api-field-ProblemBody-source = `check` (found before calling Sendcloud) or `sendcloud`.
api-field-PushAccepted-kind = `orders.push`.
api-field-PushAccepted-order_numbers = The orders of a push of named orders.
api-field-PushAccepted-since = The start (UTC) of a push from a date.
api-field-PushAccepted-state = `queued`.
api-field-RunBody-counts = `fetched`, `created`, `updated`, `unchanged`, `failed`.
api-field-RunBody-objects = Per object: `object`, `state`, `counts`, and its `problem`.
api-field-ShipmentBody-cancel_outcome = Sendcloud's answer to a cancellation as a stable code: `cancelled`,
    `queued`, `too_late`, `delivered`, `already_cancelled`,
    `not_found`, `no_label`, `failed`.
api-field-ShipmentBody-reference = Our `external_reference_id` at Sendcloud.
api-field-ShipmentBody-state = `pending`, `created`, `failed`, `cancel_requested`, `cancelled`.
api-field-StartSync-full = Read everything again (resets the objects' positions).
api-field-StartSync-objects = Object keys (`parcels`, `sender_addresses`, …). In XML one
    `<objects>` element per key.
api-field-integration_state = `disconnected`, `pending`, `connected`.
## --- events
settings-order-push = Push orders automatically
settings-order-push-enabled = Push new and changed approved orders to Sendcloud on a schedule
settings-order-push-interval = Every
settings-order-hold-field = Hold an order back when
settings-order-hold-marker = Marker
settings-order-hold-hint = A held order is not pushed until the marker is removed or the order is paid; "Send" (or "Send again") under "Synchronise orders" pushes it at once anyway.
settings-error-order-push-interval = Please enter a whole number from 1 to 1440 minutes.
settings-error-order-hold-field = Please choose one of the options offered.
settings-error-order-hold-marker = Please enter a marker (1 to 64 characters), e.g. "#hold".
order-hold-none = never (push all orders)
order-hold-remarks = the remarks contain the marker
order-hold-your-ref = "Your reference" contains the marker
order-hold-unpaid = the order is not paid yet
orders-held = { $held } held back
orders-recent = Recent orders
orders-recent-hold-hint = Held orders are pushed only once released; "Send" (or "Send again") pushes them at once.
orders-recent-none = No approved open orders.
orders-col-number = Order
orders-col-changed = Changed
orders-col-state = State
orders-col-pushed = Pushed
orders-send = Send
orders-resend = Send again
orders-resend-started = The order is being sent to Sendcloud again in the background.
orders-resend-unknown = This order does not exist (any more) or is not approved and open; please reload the list.
order-state-pushed = pushed
order-state-changed = changed since it was pushed
order-state-new = not pushed yet
order-state-held = held back
events-title = Events for the back office
events-hint = The module reports every change of a label (created, status changed, delivered, failed, cancelled) to this address as a signed webhook. If it cannot be reached nothing is lost: the events are sent again, in order.
events-url = Webhook address (empty: no events)
events-secret = Signing secret (at least 16 characters; leave empty: unchanged)
events-secret-set = A secret is stored.
events-secret-none = No secret of its own: signed with the host token secret.
events-secret-clear = Remove the stored secret
events-save = Save
events-saved = Event settings saved.
events-error-url = The webhook address must start with http:// or https://.
events-error-secret = The secret must be at least 16 characters long.
events-pending = Waiting
events-parked = Parked
events-delivered = Delivered
events-col-created = Created
events-col-event = Event
events-col-delivery = Delivery
events-col-attempts = Attempts
events-col-error = Last error
events-retry = Send parked events again
events-requeued = { $n } events will be sent again.
log-events-hook = Event webhook changed
log-events-parked = Event parked after { $attempts } attempts; please check the webhook address and send again under "Notifications"
events-error-connect = No connection to the webhook address
events-error-timeout = No answer within 20 seconds
events-error-request = Request failed
## --- labels
print-title = Print
print-format = Format
print-format-a4 = PDF, A4 (four labels per sheet)
print-format-a6 = PDF, A6 (one label per page)
print-format-zpl = ZPL (label printer)
print-start = Start position on the first A4 sheet
print-start-1 = 1 (top left)
print-start-2 = 2 (top right)
print-start-3 = 3 (bottom left)
print-start-4 = 4 (bottom right)
print-button = Print
print-reprint = Print label
print-problem-no-label = Delivery { $number }: no label yet, nothing printed. Create the label first, or deselect the delivery.
print-problem-cancelled = Delivery { $number }: the label is cancelled and must not be used, nothing printed. Create a new label or deselect the delivery.
print-problem-unavailable = Delivery { $number }: the label is not stored and Sendcloud did not deliver it ({ $detail }), nothing printed. Print again later.
print-merge-failed = The labels could not be merged into one document ({ $detail }). Print them one by one or contact support.
problem-label-check = The delivery has data Sendcloud would refuse (field “{ $field }”); Sendcloud was not called. Sendcloud → Logs lists what to fix; then press “Retry”.

# Label failures in Sendcloud's integration log (labels/integration_log.rs)
log-integration-log-written = Failure of delivery { $delivery } written to Sendcloud's integration log (entry { $entry }).
log-integration-log-failed = Failure of delivery { $delivery } not written to Sendcloud's integration log.

# The entries in Sendcloud's integration log, in the company's language (labels/integration_log.rs)
ilog-entry = Label not created for order { $order } (delivery { $delivery }, reference { $reference }): { $problems }
ilog-sendcloud-detail = { $problem }: "{ $detail }"
ilog-summary = { $count } more failed labels not written individually (at most { $cap } entries per hour). The failures are in the Logs of the Sendcloud module in the back office.
log-integration-log-capped = At most { $cap } entries per hour in Sendcloud's integration log reached: the failure of delivery { $delivery } and further ones are counted and summarised later in one entry.
log-integration-log-summary = { $count } failures not written individually summarised in Sendcloud's integration log (entry { $entry }).
log-integration-log-summary-failed = Summary of { $count } failures not written individually not written to Sendcloud's integration log.
