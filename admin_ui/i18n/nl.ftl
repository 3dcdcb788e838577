app-title = Sendcloud
menu-config = Configuratie
menu-reports = Rapporten
menu-warehouse = Magazijn
menu-sendcloud = Sendcloud
nav-integration = Integratie
nav-reports = Rapporten
company = Administratie
company-switch = Wisselen
language = Taal
logout = Afmelden
login-title = Aanmelden
login-username = Gebruikersnaam
login-password = Wachtwoord
login-submit = Aanmelden
login-failed = Gebruikersnaam of wachtwoord is onjuist.
logged-out = U bent afgemeld.
login-throttled = Te veel aanmeldpogingen. Wacht een minuut en probeer het dan opnieuw.
integration-title = Sendcloud-integratie
integration-state = Status
state-disconnected = Niet verbonden
state-pending = Verbinding wordt gemaakt
state-connected = Verbonden
state-not-completed = Verbinding niet voltooid
connect-waiting = Setup gestart op
connect-waiting-until = Sendcloud kan de verbinding bevestigen tot
connect-waiting-cancelled = Bij Sendcloud geannuleerd? Start Setup dan opnieuw.
connect-returned = Sendcloud heeft de verbinding niet bevestigd: ze is op de pagina van Sendcloud geannuleerd of is nog onderweg. Laad de pagina over enkele seconden opnieuw of start Setup opnieuw.
connect-expired = De verbinding is niet binnen 30 minuten bij Sendcloud bevestigd en is verlopen. Start Setup opnieuw. Setup gestart op
btn-setup-again = Setup opnieuw starten
integration-id = Integratie-ID
shop-name = Winkelnaam
webhook = Webhook
webhook-active = actief
webhook-inactive = inactief
webhook-inbox = Webhook-inbox
webhook-pending = gebeurtenissen (pakketstatus, retouren) wachten op verwerking
last-sync = Laatste synchronisatie
failing-since = Foutief sinds
never = nooit
btn-setup = Setup
btn-sync = Synchroniseren
btn-warehouses = Magazijnen configureren
btn-orders = Orders synchroniseren
needs-connection = Beschikbaar zodra een Sendcloud-account is verbonden.
warehouses-title = Magazijnen
warehouse-code = Code
warehouse-name = Naam
warehouse-address = Adres
warehouse-sender = Afzenderadres
warehouse-sender-default = Standaard afzenderadres van het account
warehouse-inactive = inactief
host-data = Stamgegevens van de administratie
stat-customers = Debiteuren
stat-products = Artikelen
stat-orders = Verkooporders
stat-deliveries = Leveringen
reports-title = Sendcloud-rapporten
report-parcels = Pakketten
report-returns = Retouren
report-invoices = Facturen
report-brands = Merken
report-actions = Actielogboek
reports-empty = Nog geen gegevens. Rapporten worden gevuld bij de eerste synchronisatie zodra een Sendcloud-account is verbonden.
company-switched = Administratie gewisseld.
language-switched = Taal gewijzigd.
prefs-title = Persoonlijke instellingen
prefs-time-zone = Tijdzone
prefs-tz-browser = Tijdzone van de browser (anders Europe/Berlin)
prefs-tz-effective = Tijden worden nu getoond in:
prefs-tz-hint = Beweeg over een tijd om hem in UTC te zien.
prefs-save = Opslaan
prefs-saved = Persoonlijke instellingen opgeslagen.
prefs-tz-unknown = Deze tijdzone is onbekend. Kies er een uit de lijst.
error-forbidden = U heeft hiervoor geen rechten.
error-not-found = Deze pagina bestaat niet.
error-csrf = Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer het nog eens.
error-bad-request = Het verzoek is ongeldig.
error-internal = Er is een interne fout opgetreden. Details staan in het serverlogboek.
error-no-company = Er is u geen administratie toegewezen.
error-back = Terug
setup-hint = Doorsturen naar Sendcloud om het account te koppelen
setup-unreachable = Sendcloud kan het webhookadres van deze module niet bereiken. Controleer SENDCLOUD_PLUGIN_PUBLIC_URL; nu:
needs-sender-addresses = Beschikbaar zodra afzenderadressen zijn gesynchroniseerd.
keys-title = Sleutels handmatig invoeren
keys-hint = Voor accounts zonder koppeling via Sendcloud: maak in Sendcloud onder Instellingen → Integraties → Sendcloud API een integratie aan en voer de sleutels hier in. Ze worden vóór het opslaan bij Sendcloud gecontroleerd.
public-key = Publieke sleutel
secret-key = Geheime sleutel
btn-save-keys = Controleren en opslaan
keys-saved = Sleutels gecontroleerd en opgeslagen. De eerste synchronisatie loopt op de achtergrond.
btn-test = Verbinding testen
test-ok = Verbinding in orde
btn-disconnect = Verbinding verbreken
disconnect-confirm = Verbinding met Sendcloud verbreken? De sleutels worden verwijderd, gesynchroniseerde gegevens blijven bewaard.
disconnected = Verbinding verbroken. De sleutels zijn verwijderd; gesynchroniseerde gegevens blijven leesbaar.
sync-start = Synchronisatie starten
sync-none-selected = Kies ten minste één object om te synchroniseren.
sync-started = Synchronisatie gestart.
sync-already-running = Er loopt al een synchronisatie.
object-sender-addresses = Afzenderadressen
object-shipping-methods = Verzendmethoden
object-parcel-statuses = Pakketstatussen
object-parcels = Pakketten
object-brands = Merken
object-returns = Retouren
object-invoices = Facturen
synced-data = Gesynchroniseerde gegevens
object-sender-addresses-count = { $n ->
    [one] { $n } afzenderadres
   *[other] { $n } afzenderadressen
}
object-shipping-methods-count = { $n ->
    [one] { $n } verzendmethode
   *[other] { $n } verzendmethoden
}
object-parcel-statuses-count = { $n ->
    [one] { $n } pakketstatus
   *[other] { $n } pakketstatussen
}
object-parcels-count = { $n ->
    [one] { $n } pakket
   *[other] { $n } pakketten
}
object-brands-count = { $n ->
    [one] { $n } merk
   *[other] { $n } merken
}
object-returns-count = { $n ->
    [one] { $n } retour
   *[other] { $n } retouren
}
object-invoices-count = { $n ->
    [one] { $n } factuur
   *[other] { $n } facturen
}
stat-customers-count = { $n ->
    [one] { $n } klant
   *[other] { $n } klanten
}
stat-products-count = { $n ->
    [one] { $n } artikel
   *[other] { $n } artikelen
}
stat-orders-count = { $n ->
    [one] { $n } order
   *[other] { $n } orders
}
stat-deliveries-count = { $n ->
    [one] { $n } levering
   *[other] { $n } leveringen
}
webhook-pending-count = { $n ->
    [one] { $n } gebeurtenis (pakketstatus, retour) wacht op verwerking
   *[other] { $n } gebeurtenissen (pakketstatus, retouren) wachten op verwerking
}
test-ok-count = { $n ->
    [one] Verbinding in orde: Sendcloud noemt { $n } afzenderadres in het account.
   *[other] Verbinding in orde: Sendcloud noemt { $n } afzenderadressen in het account.
}
run-title = Laatste synchronisatie
run-none = Nog geen synchronisatie.
run-queued = Wacht
run-running = Loopt
run-done = Voltooid
run-failed-state = Mislukt
run-fetched = opgehaald
run-created = nieuw
run-updated = gewijzigd
run-unchanged = ongewijzigd
run-failed = fouten
wh-none = Er zijn geen afzenderadressen gesynchroniseerd uit het gekoppelde Sendcloud-account. Maak eerst afzenderadressen aan in Sendcloud en voer de synchronisatie (afzenderadressen) uit.
wh-hint = Kies voor elk magazijn het Sendcloud-afzenderadres van waaruit het verzendt. Magazijnen zonder keuze gebruiken het standaard afzenderadres van het account.
wh-save = Opslaan
wh-saved = Magazijntoewijzing opgeslagen.
wh-not-connected = Deze onderneming is niet met Sendcloud verbonden. Afzenderadressen komen pas na het verbinden (Setup) en het synchroniseren van de afzenderadressen.
wh-goto-setup = Naar Setup
setup-connected = Al verbonden. Verbreek eerst de verbinding om opnieuw te koppelen.
orders-hint = Orders van vóór de koppeling (of gemiste orders) naar de Incoming Orders van Sendcloud sturen. Al verstuurde orders worden bijgewerkt, nooit dubbel aangemaakt.
orders-since = Orders vanaf
orders-selection = Orderstatus
orders-approved-open = Goedgekeurd en open
orders-approved-open-paid = Goedgekeurd, open en betaald
orders-start = Starten
orders-last = Laatste orderoverdracht
orders-none = Nog geen orders verstuurd.
orders-pending = Er wacht of loopt een overdracht.
orders-started = Ordersynchronisatie gestart; die loopt op de achtergrond.
orders-already-running = Er wacht of loopt al een ordersynchronisatie.
orders-bad-date = Geef een geldige datum op die niet in de toekomst ligt.
orders-summary = { $selected } geselecteerd, { $pushed } overgedragen, { $unchanged } ongewijzigd, { $failed } mislukt
orders-deferred = { $deferred } uitgesteld (Sendcloud verwerkte ze nog; ze worden bij de volgende overdracht opnieuw verzonden)
orders-integration-unknown = Het Sendcloud-integratie-ID is onbekend en kon niet worden bepaald (het account heeft geen of meerdere integraties). Maak de verbinding via „Setup”; daarna worden de orders overgedragen.
integration-id-unknown = Het integratie-ID is onbekend: orders kunnen pas worden overgedragen als het bekend is. Maak de verbinding via „Setup”.
settings-title = Instellingen
settings-labels = Labels aanmaken
settings-auto-label = Label automatisch aanmaken zodra een goederenlevering wordt aangemaakt
settings-auto-label-hint = Zonder deze instelling maakt u labels aan vanuit de leveringslijst (één of meerdere tegelijk) of direct in Sendcloud.
settings-service-point = Levering aan servicepunten
settings-service-point-enabled = Levering aan servicepunten inschakelen
settings-service-point-field = Veld van de verkooporder met de servicepunt-ID
order-field-service-point-ref = Servicepuntreferentie
order-field-your-ref = Uw referentie
order-field-remarks = Opmerkingen
settings-customs = Douane
settings-customs-hint = Standaardwaarden voor douaneaangiften en handelsfacturen van zendingen die het douanegebied van de EU verlaten.
settings-shipment-type = Soort zending
shipment-type-0 = Geschenk
shipment-type-1 = Documenten
shipment-type-2 = Handelsgoederen
shipment-type-3 = Handelsmonster
shipment-type-4 = Retourzending
settings-origin-country = Land van herkomst (ISO-code, bijv. DE)
settings-hs-code = HS-code (tariefnummer, 6 tot 10 cijfers, optioneel)
settings-customs-mapping = Douanegegevens per artikel
settings-hs-attribute = Artikelattribuut met de HS-code
settings-origin-attribute = Artikelattribuut met het land van herkomst
settings-customer-mapping = Koppeling klantgegevens
settings-mapping-dynamic = Dynamisch (standaard)
settings-mapping-manual = Handmatig
settings-mapping-dynamic-hint = Dynamisch: is de contactpersoon leeg of heeft die de naam van het account, dan worden de gegevens van het account zonder bedrijfsnaam verstuurd, anders de gegevens van de contactpersoon met de accountnaam als bedrijfsnaam.
settings-mapping-manual-fields = Handmatige koppeling (alleen bij "Handmatig")
mapped-name = Naam
mapped-company-name = Bedrijfsnaam
mapped-email = E-mailadres
mapped-phone = Telefoonnummer
mapped-address = Adres
source-account-name = Account: naam
source-contact-name = Contactpersoon: naam
source-account-email = Account: e-mail
source-contact-email = Contactpersoon: e-mail
source-account-phone = Account: telefoon
source-contact-phone = Contactpersoon: telefoon
source-account-address = Account: adres
source-contact-address = Contactpersoon: adres
source-none = niet versturen
settings-intervals = Synchronisatie-intervallen
settings-intervals-hint = Hoe vaak de automatische synchronisatie per objecttype loopt, in minuten (0 = uit, hoogstens 10080 = één week).
settings-interval-not-synced = wordt opgeslagen; de synchronisatie van dit objecttype volgt in een latere versie
sync-sender-addresses = Afzenderadressen
sync-shipping-methods = Verzendmethoden
sync-parcel-statuses = Pakketstatussen
sync-parcels = Pakketten
sync-returns = Retouren
sync-invoices = Facturen
sync-brands = Merken
minutes = minuten
settings-default-method = Standaard verzendmethode
settings-no-methods = Nog geen verzendmethoden gesynchroniseerd. Synchroniseer de verzendmethoden om er een te kiezen.
settings-method-none = geen
settings-method-not-synced = niet meer gesynchroniseerd
settings-retention = Bewaartermijn logboeken
settings-retention-days = Logboeken bewaren gedurende
days = dagen
settings-save = Opslaan
settings-saved = Instellingen opgeslagen.
settings-invalid = De instellingen zijn niet opgeslagen. Controleer de gemarkeerde velden.
settings-error-country = Voer een ISO 3166-landcode van twee letters in, bijv. DE.
settings-error-hs-code = De HS-code heeft 6 tot 10 cijfers of blijft leeg.
settings-error-interval = Voer een geheel getal van 0 tot 10080 minuten in (0 = uit).
settings-error-retention = Voer een geheel getal van 1 tot 365 dagen in.
settings-error-shipment-type = Kies een van de aangeboden soorten zending.
settings-error-attribute = Voer een attribuutsleutel in van letters, cijfers, _ - . (hoogstens 64 tekens).
settings-error-attribute-unknown = De artikelen van deze onderneming hebben dit attribuut niet. Kies er een uit de lijst.
settings-error-service-point-field = Kies een van de aangeboden ordervelden.
settings-error-mapping = Kies "Dynamisch" of "Handmatig".
settings-error-source = Kies een van de aangeboden bronnen.
settings-error-method = Kies een verzendmethode uit de lijst.
settings-error-method-unknown = Deze verzendmethode is voor dit bedrijf niet gesynchroniseerd.

## Toewijzing verzendmethoden (v2-methode → v3-verzendoptie)
btn-method-mapping = Toewijzing verzendmethoden
mm-title = Toewijzing verzendmethoden
mm-hint = Orders dragen een Sendcloud-verzendmethode (v2). Labels worden gemaakt via Sendcloud-verzendopties (v3). Sendcloud noemt voor de meeste methoden de passende optie; waar geen optie genoemd wordt of een andere moet gelden, kiest u hier de optie.
mm-empty = Er zijn nog geen verzendmethoden of verzendopties gesynchroniseerd. Voer de synchronisatie (verzendmethoden) uit.
mm-method = Verzendmethode (v2)
mm-sendcloud = Optie volgens Sendcloud
mm-option = Gebruikte optie
mm-none = geen
mm-follow-sendcloud = zoals Sendcloud
mm-unresolved = Geen optie: labels voor orders met deze methode gebruiken de standaard verzendmethode. Kies een optie.
mm-save = Opslaan
mm-saved = Toewijzing verzendmethoden opgeslagen.
mm-error-method = Een verzendmethode is niet (meer) gesynchroniseerd. Laad de pagina opnieuw en sla opnieuw op.
mm-error-option = Een gekozen verzendoptie is niet (meer) gesynchroniseerd. Voer de synchronisatie (verzendmethoden) uit en kies opnieuw.
wh-country-mismatch = Het land van het magazijn en dat van het afzenderadres verschillen

report-methods = Verzendmethoden
report-senders = Afzenderadressen
report-runs = Synchronisatieruns
report-yes = ja
report-no = nee
report-details = Details
report-back = Terug naar de lijst
report-export = CSV exporteren
page-first = « Eerste pagina
page-next = Volgende pagina »
filter-all = alle
filter-active = Aanwezig bij Sendcloud
filter-active-yes = aanwezig
filter-active-no = verwijderd bij Sendcloud
filter-kind = Soort
filter-kind-outgoing = Verzending
filter-kind-return = Retour
filter-created-from = Aangemaakt vanaf
filter-created-to = Aangemaakt tot en met
filter-from = Van
filter-to = Tot en met
filter-text = Zoeken
filter-apply = Filteren
filter-reset = Filters wissen
empty-filtered = Geen items voldoen aan deze filters.
empty-parcels = Nog geen pakketten – start een synchronisatie van de pakketten.
empty-returns = Nog geen retouren – start een synchronisatie van de retouren.
empty-invoices = Nog geen facturen – start een synchronisatie van de facturen.
empty-brands = Nog geen brands – start een synchronisatie van de brands.
empty-methods = Nog geen verzendmethoden – start een synchronisatie van de verzendmethoden.
empty-senders = Nog geen afzenderadressen – start een synchronisatie van de afzenderadressen.
empty-runs = Er is nog geen synchronisatie uitgevoerd – start de eerste synchronisatie.
empty-actions = Nog geen acties gelogd. Aanroepen naar Sendcloud, webhooks en wijzigingen verschijnen hier zodra het account gekoppeld is.
empty-start-sync = Naar de synchronisatie
empty-open-config = Naar de integratie
trigger-manual = Handmatig
trigger-schedule = Planning
trigger-connect = Koppeling
trigger-api = Plugin-API
trigger-cli = Opdrachtregel
user-system = Systeem
direction-out = naar Sendcloud
direction-in = van Sendcloud
direction-internal = in de module
result-ok = OK
result-error = Fout
col-id = ID
col-updated = Bijgewerkt
col-order-number = Ordernummer
col-recipient = Ontvanger
col-destination = Bestemming
col-carrier = Vervoerder
col-tracking-number = Trackingnummer
col-status = Status
col-created = Aangemaakt
col-announced = Aangemeld
col-synced = Gesynchroniseerd
col-name = Naam
col-domain = Domein
col-website = Website
col-color = Kleur
col-reply-to = Antwoordadres
col-active = Bij Sendcloud
col-weight = Gewicht
col-countries = Landen
col-service-point = Servicepunt
col-company-name = Bedrijf
col-label = Omschrijving
col-address = Adres
col-city = Plaats
col-contact = Contactpersoon
col-email = E-mail
col-phone = Telefoon
col-vat = Btw-nummer
col-eori = EORI-nummer
col-sendcloud-id = Sendcloud-ID
col-reference = Referentie
col-shipping-method = Verzendmethode
col-return = Retour
col-started = Gestart
col-finished = Beëindigd
col-started-by = Gestart door
col-objects = Objecten
col-object = Object
col-state = Toestand
col-counts = Aantallen per object
col-duration = Duur
col-error = Fout
col-at = Tijdstip
col-user = Gebruiker
col-direction = Richting
col-action = Actie
col-target = Doel
col-result = Resultaat
col-message = Melding
col-payload = Gegevens (gemaskeerd)

# Action log facts of webhook receipts (stored as actionlog::Fact)
log-webhook-stored = Gebeurtenis ontvangen en opgeslagen (inbox { $inbox })
log-webhook-duplicate = Gebeurtenis al ontvangen (opnieuw bezorgd door Sendcloud): genegeerd
col-sender = Afzender
col-return-status = Retourstatus
col-parcel-status = Pakketstatus
col-reason = Reden
col-country = Land
col-shipping-option = Verzendoptie
col-refund = Terugbetaling
col-return-fee = Retourkosten
col-label-cost = Labelkosten
col-outgoing-parcel = Uitgaand pakket (Sendcloud-ID)
col-incoming-parcel = Retourpakket (Sendcloud-ID)
col-delivery = Levering
col-delivered = Bezorgd
col-invoice-number = Factuur-ID
col-invoice-date = Factuurdatum
col-invoice-kind = Factuursoort
col-amount-excl = Bedrag excl. btw
col-amount-incl = Bedrag incl. btw
col-items = Regels
col-paid = Betaald
col-position = Nr.
col-description = Omschrijving
col-quantity = Aantal
col-amount = Bedrag
invoice-paid = betaald
invoice-unpaid = open
invoice-kind-periodic = Periodiek
invoice-kind-forced = Direct
invoice-kind-initial_payment = Eerste betaling
invoice-kind-other = Overig
invoice-kind-unblock_payment = Deblokkeringsbetaling
