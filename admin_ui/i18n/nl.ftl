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
run-objects = Objecten van deze run:
run-object = Object
run-object-state = Stand
run-auto-refresh = Deze weergave werkt zichzelf bij zolang een synchronisatie of een orderoverdracht loopt.
run-reload = Nu vernieuwen
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

## Problems (stored as codes, rendered here) and stored action-log facts
problem-in-object = { $object }: { $text }
problem-detail = Sendcloud meldt: „{ $detail }”
problem-detail-db = Melding van de database: „{ $detail }”
problem-sendcloud-down = Sendcloud meldde een serverfout. Het ligt aan Sendcloud: probeer het later opnieuw; de volgende automatische synchronisatie probeert het vanzelf opnieuw.
problem-sendcloud-unreachable = Sendcloud was niet bereikbaar (geen of geen tijdig antwoord). Controleer de internetverbinding van de server en probeer het later opnieuw.
problem-keys-refused = Sendcloud heeft de API-sleutels geweigerd. Controleer de integratie in Sendcloud en verbind opnieuw ({ btn-setup } of sleutels invoeren).
problem-access-denied = Sendcloud weigerde de toegang: de sleutels zijn geldig maar mogen dit niet. Controleer de rechten van de integratie in Sendcloud.
problem-rate-limited = Sendcloud meldde te veel verzoeken (limiet). Probeer het over een paar minuten opnieuw.
problem-field-rejected = Sendcloud heeft het veld „{ $field }” geweigerd. Corrigeer de waarde en probeer het opnieuw.
problem-field-rejected-any = Sendcloud heeft het verzoek geweigerd. Corrigeer de genoemde gegevens en probeer het opnieuw.
problem-not-found = Sendcloud kent het gevraagde niet (meer). Probeer het opnieuw; blijft de fout, start dan een volledige synchronisatie van dit object.
problem-no-sender-address = Het Sendcloud-account heeft geen afzenderadres. Voeg er een toe in Sendcloud onder Instellingen → Adressen.
problem-sendcloud-busy = Sendcloud verwerkt nog een eerder verzoek. Probeer het over een minuut opnieuw.
problem-bad-answer = Sendcloud stuurde een onverwacht antwoord. Probeer het opnieuw; blijft de fout, meld dan datum en tijd aan de beheerder.
problem-database = De database van de module meldde een fout. Informeer de beheerder (serverlog).
problem-not-connected = Voor dit bedrijf is geen Sendcloud-account verbonden. Verbind via „{ btn-setup }”.
problem-missing-keys = Vul de publieke en de geheime sleutel in.
problem-internal = Er is een onverwachte fout in de module opgetreden. Probeer het opnieuw; blijft de fout, informeer dan de beheerder.
log-sync-done = { $object }: { $fetched } opgehaald, { $created } nieuw, { $updated } gewijzigd, { $unchanged } ongewijzigd, { $failed } mislukt
log-sync-failed = { $object }: afgebroken na { $fetched } opgehaald.
log-test-ok = Verbinding in orde: { $count } afzenderadressen bij Sendcloud.
log-test-failed = Verbindingstest mislukt.
log-keys-saved = Sleutels handmatig ingevoerd, bij Sendcloud gecontroleerd en opgeslagen.
log-disconnected = Verbinding verbroken, sleutels verwijderd; gesynchroniseerde gegevens blijven bewaard.
log-settings-saved = Instellingen opgeslagen; gewijzigd: { $fields }
log-settings-unchanged = Instellingen opgeslagen; geen wijzigingen.
log-warehouses-saved = Afzenderadressen van de magazijnen gewijzigd: { $changes }

## Notifications of lasting failures, full resync
nav-notifications = Meldingen
notify-kind-sync = synchronisatie
notify-kind-label = labelaanmaak
notify-failure-subject = Sendcloud: { $kind } voor { $company } mislukt
notify-failure-intro = Sendcloud-{ $kind } voor { $company }: mislukt sinds { $since }, { $failures } mislukte pogingen op rij.
notify-failure-action = Stand en verloop in de backoffice: { $link }
notify-once = Dit bericht komt één keer per storing; zodra het weer werkt, volgt een entwarning.
notify-recovered-subject = Sendcloud: { $kind } voor { $company } werkt weer
notify-recovered-body = Alles in orde: { $kind } voor { $company } werkt weer (gestoord sinds { $since }, { $failures } mislukte pogingen). Stand: { $link }
log-notify-sent = Melding verzonden ({ $channel }, { $event ->
    [failure] storing
   *[other] entwarning
}).
log-notify-failed = Melding via { $channel } niet afgeleverd: { $detail }
log-notify-settings = Meldingsinstellingen opgeslagen.
notify-title = Meldingen bij storingen
notify-hint = Mislukt de automatische synchronisatie herhaaldelijk, dan hoort de verantwoordelijke persoon het: één keer per storing, met een entwarning zodra het weer werkt.
notify-email = E-mailadres van de verantwoordelijke persoon
notify-webhook-url = Webhook-URL van de host (ondertekende POST)
notify-after-runs = Melden na zoveel mislukte runs op rij (0 = niet op aantal)
notify-after-hours = … of als de eerste fout zoveel uur oud is (0 = niet op tijd)
notify-language = Taal van de berichten
notify-save = Opslaan
notify-saved = Meldingen opgeslagen.
notify-smtp-missing = Op deze server is geen SMTP-server ingesteld (SENDCLOUD_PLUGIN_SMTP_URL): e-mails gaan pas uit als de beheerder er een instelt.
notify-error-email = Vul een geldig e-mailadres in of laat het veld leeg.
notify-error-url = Vul een http(s)-adres in of laat het veld leeg.
notify-error-number = Vul een geheel getal van 0 tot 1000 in.
notify-error-language = Kies een van de aangeboden talen.
notify-error-summary = Corrigeer de gemarkeerde velden; er is niets opgeslagen.
notify-incidents = Storingen
notify-none = Tot nu toe geen storing.
notify-col-opened = Sinds
notify-col-failures = Mislukte pogingen
notify-col-state = Stand
notify-col-problem = Oorzaak
notify-open = open
notify-resolved = opgelost
notify-notified = gemeld
notify-not-notified = (nog) niet gemeld
resync-title = Volledige synchronisatie
resync-hint = Leest alle gegevens van een object opnieuw van Sendcloud in plaats van alleen de wijzigingen sinds de laatste run: als gegevens ontbreken of niet kloppen.
resync-object = Object
resync-start = Volledig opnieuw synchroniseren …
resync-confirm-title = Volledige synchronisatie bevestigen
resync-confirm-text = { $object }: de positie van de synchronisatie wordt teruggezet en alle gegevens worden opnieuw van Sendcloud gelezen. Bij veel gegevens duurt dit langer; bestaande gegevens blijven bewaard en worden bijgewerkt.
resync-confirm = Ja, volledig opnieuw synchroniseren
resync-cancel = Annuleren
resync-started = Volledige synchronisatie gestart.
resync-unknown = Kies een object uit de lijst.
log-resync = Volledige synchronisatie van { $object } aangevraagd; positie teruggezet.
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

# Leveringen, logs, labels
deliveries-title = Leveringen
logs-title = Logs
logs-hint = Leveringen waarvoor geen label kon worden gemaakt. Los de genoemde punten op (in het backoffice of in Sendcloud) en klik op "Opnieuw proberen". Een regel verdwijnt vanzelf zodra het label bestaat.
logs-retry = Opnieuw proberen
logs-empty = Geen mislukte leveringen.
logs-fix-list = Op te lossen
deliveries-filter-state = Verzendstatus
deliveries-filter-all = Alle
deliveries-filter-search = Leverings- of ordernummer
deliveries-filter-apply = Filteren
deliveries-create-labels = Label maken
deliveries-cancel = Label annuleren
deliveries-empty = Geen leveringen gevonden.
deliveries-select-all = Alles selecteren
deliveries-col-number = Levering
deliveries-col-order = Order
deliveries-col-customer = Klant
deliveries-col-created = Aangemaakt (UTC)
deliveries-col-state = Verzendstatus
deliveries-col-tracking = Trackingnummer
deliveries-next = Volgende pagina
deliveries-none-selected = Selecteer minstens één levering.
deliveries-labels-queued = { $queued } label(s) worden op de achtergrond gemaakt; { $already } had(den) er al een.
deliveries-cancel-queued = { $count } annulering(en) worden naar Sendcloud gestuurd.
delivery-parcel = Pakket (Sendcloud)
delivery-carrier = Vervoerder
delivery-option = Verzendoptie
delivery-reference = Referentie bij Sendcloud
delivery-cancel-outcome = Annulering
delivery-history = Trackinggeschiedenis
delivery-history-empty = Nog geen statusmeldingen.
shipping-state-no-label = Geen label
shipping-state-label-created = Label gemaakt
shipping-state-in-transit = Onderweg
shipping-state-delivered = Afgeleverd
shipping-state-failed = Mislukt
shipping-state-cancelled = Geannuleerd
cancel-outcome-cancelled = Geannuleerd: Sendcloud heeft het label geannuleerd.
cancel-outcome-queued = In de wachtrij: Sendcloud annuleert het label zodra het kan (het pakket wordt tot 14 dagen gevolgd).
cancel-outcome-too-late = Te laat: labels kunnen tot 42 dagen na het maken worden geannuleerd.
cancel-outcome-delivered = Niet mogelijk: het pakket is al afgeleverd.
cancel-outcome-already-cancelled = Het label was al geannuleerd.
cancel-outcome-not-found = Sendcloud kent deze zending niet (meer).
cancel-outcome-no-label = Deze levering heeft geen label.
cancel-outcome-failed = De annulering is mislukt; probeer het later opnieuw.
test-mode = Testmodus
test-mode-label = In testmodus gemaakt en meteen geannuleerd
test-mode-banner = Testmodus staat AAN: elk gemaakt label wordt meteen weer geannuleerd (geen kosten, niets verzonden).
test-mode-hint = In testmodus wordt elk label dat de module maakt meteen weer geannuleerd, zodat u de hele flow zonder kosten kunt uitproberen (Sendcloud heeft geen testsleutels).
test-mode-switch-on = Testmodus inschakelen
test-mode-switch-off = Testmodus uitschakelen
test-mode-on = Testmodus ingeschakeld.
test-mode-off = Testmodus uitgeschakeld.
problem-sendcloud = Sendcloud: { $field } – { $message }
problem-address-field-missing = Het afleveradres is onvolledig ({ $field }): vul het aan bij de klant of contactpersoon.
problem-house-number-missing = Het huisnummer ontbreekt: vul het aan in het adres van de klant of contactpersoon.
problem-email-missing = Het e-mailadres van de ontvanger ontbreekt; de verzendoptie (of verzending buiten de EU) vereist het.
problem-phone-missing = Het telefoonnummer van de ontvanger ontbreekt; verzending buiten de EU (of de verzendoptie) vereist het.
problem-item-value-decimals = Regel { $field } ({ $a }): de prijs heeft meer dan 2 decimalen.
problem-quantity-fractional = Regel { $field } ({ $a }): de hoeveelheid is geen geheel getal; Sendcloud accepteert alleen hele stuks.
problem-quantity-zero = Regel { $field } ({ $a }): de hoeveelheid moet minstens 1 zijn.
problem-item-weight-exceeds-parcel = De artikelen wegen meer ({ $a } kg) dan het pakket ({ $b } kg).
problem-weight-zero = Het pakket weegt 0 kg: vul een gewicht in bij de artikelen.
problem-dimension-zero = Een pakketafmeting ({ $field }) is 0.
problem-option-missing = Geen verzendoptie: de order heeft geen verzendmethode en er is geen standaardverzendmethode ingesteld.
problem-option-unmapped = De verzendmethode { $a } van de order is aan geen verzendoptie gekoppeld: kies er een onder Instellingen → koppeling verzendmethoden (of start de Abgleich van de verzendmethoden).
problem-option-weight = Het pakketgewicht ({ $b } kg) past niet bij de verzendoptie { $a } ({ $c }–{ $d } kg).
problem-option-destination = De verzendoptie { $a } levert niet in { $b }.
problem-service-point-missing = De verzendoptie { $a } levert alleen aan een servicepunt: de order heeft geen servicepunt-id.
problem-hs-code-missing = Regel { $field } ({ $a }): verzending buiten de EU vereist een HS-code: vul die in bij het artikel of als standaard in de instellingen.
problem-origin-missing = Regel { $field } ({ $a }): verzending buiten de EU vereist het land van herkomst: vul het in bij het artikel of als standaard in de instellingen.
problem-items-missing = Verzending buiten de EU vereist de artikelen van de zending.

# Action log facts of webhook refusals and integration events
log-webhook-refused = { $reason ->
        [credentials_bad_signature] Toegangsgegevens met ongeldige handtekening verworpen
        [credentials_not_waiting] Toegangsgegevens kwamen binnen terwijl geen koppeling werd verwacht: verworpen
        [not_connected] Gebeurtenis zonder koppeling (geen sleutel opgeslagen) verworpen
        [too_old] Integratiegebeurtenis ouder dan het herhalingsvenster verworpen
       *[other] Gebeurtenis met ongeldige handtekening verworpen
    }. Verdere geweigerde aanroepen tot { $until } worden alleen geteld.
log-webhook-stale = Verouderde gebeurtenis: een nieuwere is al toegepast; niet toegepast
log-integration-deleted = Integratie in Sendcloud verwijderd: koppeling verbroken, gegevens blijven bewaard
log-integration-updated = Integratie bijgewerkt
log-integration-connected = Gekoppeld (integratie { $integration })

## --- api
api-docs-title = Plugin-API
api-docs-intro = De interface voor het hostsysteem: JSON of XML, aangemeld met een host-token. Het document voor tools:
api-docs-operations = Bewerkingen
api-docs-parameters = Parameters
api-docs-name = Naam
api-docs-in = Plaats
api-docs-type = Type
api-docs-description = Beschrijving
api-docs-body = Verzoek
api-docs-answer = Antwoord
api-docs-errors = Fouten
api-docs-idempotent = Accepteert een Idempotency-Key: een herhaald verzoek krijgt het eerste antwoord.
api-docs-schemas = Schema's
api-docs-required = Verplicht
api-docs-codes = Foutcodes
api-docs-code = Code
## --- events
settings-order-push = Orders automatisch doorsturen
settings-order-push-enabled = Nieuwe en gewijzigde goedgekeurde orders regelmatig naar Sendcloud sturen
settings-order-push-interval = Elke
settings-order-hold-field = Order tegenhouden als
settings-order-hold-marker = Kenmerk
settings-order-hold-hint = Een tegengehouden order wordt niet verstuurd tot het kenmerk weg is of de order betaald is; met "Versturen" (of "Opnieuw versturen") onder "Orders synchroniseren" gaat hij toch meteen.
settings-error-order-push-interval = Vul een geheel getal van 1 tot 1440 minuten in.
settings-error-order-hold-field = Kies een van de aangeboden mogelijkheden.
settings-error-order-hold-marker = Vul een kenmerk in (1 tot 64 tekens), bijv. "#vasthouden".
order-hold-none = nooit (alle orders versturen)
order-hold-remarks = de opmerking het kenmerk bevat
order-hold-your-ref = "Uw kenmerk" het kenmerk bevat
order-hold-unpaid = de order nog niet betaald is
orders-held = { $held } tegengehouden
orders-recent = Recente orders
orders-recent-hold-hint = Tegengehouden orders worden pas na vrijgave verstuurd; "Versturen" (of "Opnieuw versturen") verstuurt ze meteen.
orders-recent-none = Geen goedgekeurde open orders.
orders-col-number = Order
orders-col-changed = Gewijzigd
orders-col-state = Stand
orders-col-pushed = Verstuurd
orders-send = Versturen
orders-resend = Opnieuw versturen
orders-resend-started = De order wordt op de achtergrond opnieuw naar Sendcloud gestuurd.
orders-resend-unknown = Deze order bestaat niet (meer) of is niet goedgekeurd en open; laad de lijst opnieuw.
order-state-pushed = verstuurd
order-state-changed = gewijzigd sinds het versturen
order-state-new = nog niet verstuurd
order-state-held = tegengehouden
events-title = Gebeurtenissen voor het backofficesysteem
events-hint = De module meldt elke wijziging van een label (aangemaakt, status gewijzigd, bezorgd, mislukt, geannuleerd) als ondertekende webhook aan dit adres. Is het niet bereikbaar, dan gaat niets verloren: de meldingen worden op volgorde opnieuw verstuurd.
events-url = Webhookadres (leeg: geen gebeurtenissen)
events-secret = Geheim voor de handtekening (minstens 16 tekens; leeg laten: ongewijzigd)
events-secret-set = Er is een geheim opgeslagen.
events-secret-none = Geen eigen geheim: ondertekend met het geheim van het host-token.
events-secret-clear = Opgeslagen geheim verwijderen
events-save = Opslaan
events-saved = Instellingen voor gebeurtenissen opgeslagen.
events-error-url = Het webhookadres moet met http:// of https:// beginnen.
events-error-secret = Het geheim moet minstens 16 tekens lang zijn.
events-pending = Wachtend
events-parked = Geparkeerd
events-delivered = Afgeleverd
events-col-created = Aangemaakt
events-col-event = Gebeurtenis
events-col-delivery = Levering
events-col-attempts = Pogingen
events-col-error = Laatste fout
events-retry = Geparkeerde opnieuw versturen
events-requeued = { $n } gebeurtenissen worden opnieuw verstuurd.
log-events-hook = Webhook voor gebeurtenissen gewijzigd
log-events-parked = Gebeurtenis geparkeerd na { $attempts } pogingen; controleer het webhookadres en verstuur opnieuw onder "Meldingen"
events-error-connect = Geen verbinding met het webhookadres
events-error-timeout = Geen antwoord binnen 20 seconden
events-error-request = Verzoek mislukt
## --- labels
print-title = Afdrukken
print-format = Formaat
print-format-a4 = PDF, A4 (vier labels per vel)
print-format-a6 = PDF, A6 (één label per pagina)
print-format-zpl = ZPL (labelprinter)
print-start = Startpositie op het eerste A4-vel
print-start-1 = 1 (linksboven)
print-start-2 = 2 (rechtsboven)
print-start-3 = 3 (linksonder)
print-start-4 = 4 (rechtsonder)
print-button = Afdrukken
print-reprint = Label afdrukken
print-problem-no-label = Levering { $number }: nog geen label, niets afgedrukt. Maak eerst het label aan, of deselecteer de levering.
print-problem-cancelled = Levering { $number }: het label is geannuleerd en mag niet meer gebruikt worden, niets afgedrukt. Maak een nieuw label aan of deselecteer de levering.
print-problem-unavailable = Levering { $number }: het label is niet opgeslagen en Sendcloud heeft het niet geleverd ({ $detail }), niets afgedrukt. Druk later opnieuw af.
print-merge-failed = De labels konden niet tot één document worden samengevoegd ({ $detail }). Druk ze afzonderlijk af of neem contact op met support.
problem-label-check = De levering bevat gegevens die Sendcloud zou weigeren (veld „{ $field }”); Sendcloud is niet aangeroepen. Onder Sendcloud → Logs staat wat er moet worden verholpen; klik daarna op „Opnieuw proberen”.
