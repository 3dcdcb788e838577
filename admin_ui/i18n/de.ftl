app-title = Sendcloud
menu-config = Konfiguration
menu-reports = Berichte
menu-warehouse = Lager
menu-sendcloud = Sendcloud
nav-integration = Integration
nav-reports = Berichte
company = Mandant
company-switch = Wechseln
language = Sprache
logout = Abmelden
login-title = Anmeldung
login-username = Benutzername
login-password = Passwort
login-submit = Anmelden
login-failed = Benutzername oder Passwort ist falsch.
logged-out = Sie wurden abgemeldet.
login-throttled = Zu viele Anmeldeversuche. Bitte warten Sie eine Minute und versuchen Sie es dann erneut.
integration-title = Sendcloud-Integration
integration-state = Status
state-disconnected = Nicht verbunden
state-pending = Verbindung wird hergestellt
state-connected = Verbunden
state-not-completed = Verbindung nicht abgeschlossen
connect-waiting = Setup gestartet am
connect-waiting-until = Sendcloud kann die Verbindung bestätigen bis
connect-waiting-cancelled = Bei Sendcloud abgebrochen? Dann das Setup erneut starten.
connect-returned = Sendcloud hat die Verbindung nicht bestätigt: Sie wurde auf der Seite von Sendcloud abgebrochen oder ist noch unterwegs. Bitte die Seite in einigen Sekunden neu laden oder das Setup erneut starten.
connect-expired = Die Verbindung wurde nicht innerhalb von 30 Minuten bei Sendcloud bestätigt und ist abgelaufen. Bitte das Setup erneut starten. Setup gestartet am
btn-setup-again = Setup erneut starten
integration-id = Integrations-ID
shop-name = Shop-Name
webhook = Webhook
webhook-active = aktiv
webhook-inactive = inaktiv
webhook-inbox = Webhook-Eingang
webhook-pending = Ereignisse (Paketstatus, Retouren) warten auf Verarbeitung
last-sync = Letzter Abgleich
failing-since = Fehlerhaft seit
never = nie
btn-setup = Setup
btn-sync = Abgleich
btn-warehouses = Lager konfigurieren
btn-orders = Bestellungen abgleichen
needs-connection = Erst verfügbar, wenn ein Sendcloud-Konto verbunden ist.
warehouses-title = Lager
warehouse-code = Kürzel
warehouse-name = Name
warehouse-address = Adresse
warehouse-sender = Absenderadresse
warehouse-sender-default = Standard-Absenderadresse des Kontos
warehouse-inactive = inaktiv
host-data = Stammdaten des Mandanten
stat-customers = Debitoren
stat-products = Artikel
stat-orders = Aufträge
stat-deliveries = Lieferungen
reports-title = Sendcloud-Berichte
report-parcels = Pakete
report-returns = Retouren
report-invoices = Rechnungen
report-brands = Brands
report-actions = Aktions-Logging
reports-empty = Noch keine Daten. Berichte füllen sich mit dem ersten Abgleich, sobald ein Sendcloud-Konto verbunden ist.
company-switched = Mandant gewechselt.
language-switched = Sprache geändert.
prefs-title = Persönliche Einstellungen
prefs-time-zone = Zeitzone
prefs-tz-browser = Zeitzone des Browsers (sonst Europe/Berlin)
prefs-tz-effective = Zeiten werden derzeit angezeigt in:
prefs-tz-hint = Jede Zeit zeigt beim Darüberfahren die UTC-Zeit.
prefs-save = Speichern
prefs-saved = Persönliche Einstellungen gespeichert.
prefs-tz-unknown = Diese Zeitzone ist unbekannt. Bitte eine aus der Liste wählen.
error-forbidden = Dafür fehlt Ihnen die Berechtigung.
error-not-found = Diese Seite gibt es nicht.
error-csrf = Das Formular ist abgelaufen oder ungültig. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.
error-bad-request = Die Anfrage ist ungültig.
error-internal = Ein interner Fehler ist aufgetreten. Details stehen im Protokoll des Servers.
error-no-company = Ihnen ist kein Mandant zugeordnet.
error-back = Zurück
setup-hint = Weiterleitung zu Sendcloud, um das Konto zu verknüpfen
setup-unreachable = Sendcloud kann die Webhook-Adresse dieses Moduls nicht erreichen. Bitte SENDCLOUD_PLUGIN_PUBLIC_URL prüfen; derzeit:
needs-sender-addresses = Erst verfügbar, wenn Absenderadressen abgeglichen sind.
keys-title = Schlüssel manuell eingeben
keys-hint = Für Konten ohne Verknüpfung über Sendcloud: in Sendcloud unter Einstellungen → Integrationen → Sendcloud API eine Integration anlegen und die Schlüssel hier eintragen. Sie werden vor dem Speichern bei Sendcloud geprüft.
public-key = Öffentlicher Schlüssel
secret-key = Geheimer Schlüssel
btn-save-keys = Prüfen und speichern
keys-saved = Schlüssel geprüft und gespeichert. Der erste Abgleich läuft im Hintergrund.
btn-test = Verbindung testen
test-ok = Verbindung in Ordnung
btn-disconnect = Verbindung trennen
disconnect-confirm = Verbindung zu Sendcloud trennen? Die Schlüssel werden gelöscht, abgeglichene Daten bleiben erhalten.
disconnected = Verbindung getrennt. Die Schlüssel wurden gelöscht, abgeglichene Daten bleiben lesbar.
sync-start = Abgleich starten
sync-none-selected = Bitte mindestens ein Objekt für den Abgleich auswählen.
sync-started = Abgleich gestartet.
sync-already-running = Ein Abgleich läuft bereits.
object-sender-addresses = Absenderadressen
object-shipping-methods = Versandmethoden
object-parcel-statuses = Paketstatus
object-parcels = Pakete
object-brands = Brands
object-returns = Retouren
object-invoices = Rechnungen
synced-data = Abgeglichene Daten
object-sender-addresses-count = { $n ->
    [one] { $n } Absenderadresse
   *[other] { $n } Absenderadressen
}
object-shipping-methods-count = { $n ->
    [one] { $n } Versandmethode
   *[other] { $n } Versandmethoden
}
object-parcel-statuses-count = { $n ->
    [one] { $n } Paketstatus
   *[other] { $n } Paketstatus
}
object-parcels-count = { $n ->
    [one] { $n } Paket
   *[other] { $n } Pakete
}
object-brands-count = { $n ->
    [one] { $n } Brand
   *[other] { $n } Brands
}
object-returns-count = { $n ->
    [one] { $n } Retoure
   *[other] { $n } Retouren
}
object-invoices-count = { $n ->
    [one] { $n } Rechnung
   *[other] { $n } Rechnungen
}
stat-customers-count = { $n ->
    [one] { $n } Debitor
   *[other] { $n } Debitoren
}
stat-products-count = { $n ->
    [one] { $n } Artikel
   *[other] { $n } Artikel
}
stat-orders-count = { $n ->
    [one] { $n } Auftrag
   *[other] { $n } Aufträge
}
stat-deliveries-count = { $n ->
    [one] { $n } Lieferung
   *[other] { $n } Lieferungen
}
webhook-pending-count = { $n ->
    [one] { $n } Ereignis (Paketstatus, Retoure) wartet auf Verarbeitung
   *[other] { $n } Ereignisse (Paketstatus, Retouren) warten auf Verarbeitung
}
test-ok-count = { $n ->
    [one] Verbindung in Ordnung: Sendcloud nennt { $n } Absenderadresse im Konto.
   *[other] Verbindung in Ordnung: Sendcloud nennt { $n } Absenderadressen im Konto.
}
run-title = Letzter Abgleich
run-none = Noch kein Abgleich.
run-queued = Wartet
run-running = Läuft
run-done = Abgeschlossen
run-failed-state = Fehlgeschlagen
run-fetched = geholt
run-created = neu
run-updated = geändert
run-unchanged = unverändert
run-failed = Fehler
run-objects = Objekte des Laufs:
run-object = Objekt
run-object-state = Stand
run-auto-refresh = Die Anzeige aktualisiert sich, solange ein Abgleich oder eine Auftragsübertragung läuft.
run-reload = Jetzt aktualisieren
wh-none = Im verbundenen Sendcloud-Konto sind keine Absenderadressen abgeglichen. Bitte zuerst in Sendcloud Absenderadressen anlegen und den Abgleich (Absenderadressen) ausführen.
wh-hint = Für jedes Lager die Sendcloud-Absenderadresse wählen, von der aus es versendet. Lager ohne Auswahl verwenden die Standard-Absenderadresse des Kontos.
wh-save = Speichern
wh-saved = Lager-Zuordnung gespeichert.
wh-not-connected = Dieser Mandant ist nicht mit Sendcloud verbunden. Absenderadressen kommen erst nach dem Verbinden (Setup) und dem Abgleich der Absenderadressen.
wh-goto-setup = Zum Setup
setup-connected = Bereits verbunden. Zum erneuten Verknüpfen zuerst die Verbindung trennen.
orders-hint = Aufträge, die vor der Verknüpfung lagen oder ausgelassen wurden, an Sendcloud übertragen (Eingang „Incoming Orders“). Bereits übertragene Aufträge werden aktualisiert, nie doppelt angelegt.
orders-since = Aufträge ab Datum
orders-selection = Auftragsstatus
orders-approved-open = Freigegeben und offen
orders-approved-open-paid = Freigegeben, offen und bezahlt
orders-start = Abgleich starten
orders-last = Letzte Auftragsübertragung
orders-none = Noch keine Aufträge übertragen.
orders-pending = Eine Übertragung wartet oder läuft.
orders-started = Auftragsabgleich gestartet; er läuft im Hintergrund.
orders-already-running = Ein Auftragsabgleich wartet oder läuft bereits.
orders-bad-date = Bitte ein gültiges Datum angeben, das nicht in der Zukunft liegt.
orders-summary = { $selected } ausgewählt, { $pushed } übertragen, { $unchanged } unverändert, { $failed } fehlgeschlagen
orders-deferred = { $deferred } zurückgestellt (Sendcloud verarbeitete sie noch; sie werden beim nächsten Abgleich erneut gesendet)
orders-integration-unknown = Die Sendcloud-Integrations-ID ist unbekannt und ließ sich nicht ermitteln (das Konto hat keine oder mehrere Integrationen). Bitte die Verbindung über „Setup“ herstellen; dann werden die Aufträge übertragen.
integration-id-unknown = Die Integrations-ID ist unbekannt: Aufträge können erst übertragen werden, wenn sie feststeht. Bitte die Verbindung über „Setup“ herstellen.
settings-title = Einstellungen
settings-labels = Label-Erstellung
settings-auto-label = Label automatisch erstellen, sobald eine Lieferung angelegt wird
settings-auto-label-hint = Ohne diese Einstellung erstellen Sie Labels in der Lieferungsliste (einzeln oder mehrere auf einmal) oder direkt in Sendcloud.
settings-service-point = Servicepunkt-Zustellung
settings-service-point-enabled = Zustellung an Servicepunkte aktivieren
settings-service-point-field = Feld des Auftrags mit der Servicepunkt-ID
order-field-service-point-ref = Servicepunkt-Referenz
order-field-your-ref = Ihre Referenz
order-field-remarks = Bemerkungen
settings-customs = Zoll
settings-customs-hint = Standardwerte für Zollinhaltserklärungen und Handelsrechnungen bei Sendungen, die das Zollgebiet der EU verlassen.
settings-shipment-type = Sendungsart
shipment-type-0 = Geschenk
shipment-type-1 = Dokumente
shipment-type-2 = Handelswaren
shipment-type-3 = Warenmuster
shipment-type-4 = Rücksendung
settings-origin-country = Ursprungsland (ISO-Code, z. B. DE)
settings-hs-code = HS-Code (Zolltarifnummer, 6 bis 10 Ziffern, optional)
settings-customs-mapping = Zolldaten je Artikel
settings-hs-attribute = Artikelattribut mit dem HS-Code
settings-origin-attribute = Artikelattribut mit dem Ursprungsland
settings-customer-mapping = Kundendaten-Zuordnung
settings-mapping-dynamic = Dynamisch (Standard)
settings-mapping-manual = Manuell
settings-mapping-dynamic-hint = Dynamisch: Ist der Ansprechpartner leer oder heißt er wie der Kunde (Debitor), werden die Daten des Kunden ohne Firmennamen übermittelt, sonst die Daten des Ansprechpartners mit dem Kundennamen als Firmenname.
settings-mapping-manual-fields = Manuelle Zuordnung (gilt nur bei „Manuell“)
mapped-name = Name
mapped-company-name = Firmenname
mapped-email = E-Mail-Adresse
mapped-phone = Telefonnummer
mapped-address = Adresse
source-account-name = Kunde: Name
source-contact-name = Ansprechpartner: Name
source-account-email = Kunde: E-Mail
source-contact-email = Ansprechpartner: E-Mail
source-account-phone = Kunde: Telefon
source-contact-phone = Ansprechpartner: Telefon
source-account-address = Kunde: Adresse
source-contact-address = Ansprechpartner: Adresse
source-none = nicht übermitteln
settings-intervals = Abgleich-Intervalle
settings-intervals-hint = Wie oft der automatische Abgleich je Objektart läuft, in Minuten (0 = aus, höchstens 10080 = eine Woche).
settings-interval-not-synced = wird gespeichert; der Abgleich dieser Objektart folgt in einer späteren Version
sync-sender-addresses = Absenderadressen
sync-shipping-methods = Versandmethoden
sync-parcel-statuses = Paketstatus
sync-parcels = Pakete
sync-returns = Retouren
sync-invoices = Rechnungen
sync-brands = Brands
minutes = Minuten
settings-default-method = Standard-Versandmethode
settings-no-methods = Noch keine Versandmethoden synchronisiert. Starten Sie einen Abgleich der Versandmethoden, um eine auszuwählen.
settings-method-none = keine
settings-method-not-synced = nicht mehr synchronisiert
settings-retention = Protokoll-Aufbewahrung
settings-retention-days = Protokolle aufbewahren für
days = Tage
settings-save = Speichern
settings-saved = Einstellungen gespeichert.
settings-invalid = Die Einstellungen wurden nicht gespeichert. Bitte prüfen Sie die markierten Felder.
settings-error-country = Bitte einen Ländercode nach ISO 3166 mit zwei Buchstaben angeben, z. B. DE.
settings-error-hs-code = Der HS-Code besteht aus 6 bis 10 Ziffern oder bleibt leer.
settings-error-interval = Bitte eine ganze Zahl von 0 bis 10080 Minuten angeben (0 = aus).
settings-error-retention = Bitte eine ganze Zahl von 1 bis 365 Tagen angeben.
settings-error-shipment-type = Bitte eine der angebotenen Sendungsarten auswählen.
settings-error-attribute = Bitte einen Attributschlüssel aus Buchstaben, Ziffern, _ - . angeben (höchstens 64 Zeichen).
settings-error-attribute-unknown = Dieses Attribut gibt es bei den Artikeln des Mandanten nicht. Bitte eines aus der Liste wählen.
settings-error-service-point-field = Bitte eines der angebotenen Auftragsfelder auswählen.
settings-error-mapping = Bitte „Dynamisch“ oder „Manuell“ auswählen.
settings-error-source = Bitte eine der angebotenen Quellen auswählen.
settings-error-method = Bitte eine Versandmethode aus der Liste auswählen.
settings-error-method-unknown = Diese Versandmethode ist für diesen Mandanten nicht synchronisiert.

## Problems (stored as codes, rendered here) and stored action-log facts
problem-in-object = { $object }: { $text }
problem-detail = Sendcloud meldet: „{ $detail }“
problem-detail-db = Meldung der Datenbank: „{ $detail }“
problem-sendcloud-down = Sendcloud hat einen Serverfehler gemeldet. Das liegt bei Sendcloud: später erneut versuchen, der nächste automatische Abgleich versucht es von selbst wieder.
problem-sendcloud-unreachable = Sendcloud war nicht erreichbar (keine oder keine rechtzeitige Antwort). Die Internetverbindung des Servers prüfen und später erneut versuchen.
problem-keys-refused = Sendcloud hat die API-Schlüssel abgelehnt. Die Integration in Sendcloud prüfen und neu verbinden ({ btn-setup } oder Schlüssel eingeben).
problem-access-denied = Sendcloud hat den Zugriff verweigert: Die Schlüssel gelten, dürfen dies aber nicht. Die Berechtigungen der Integration in Sendcloud prüfen.
problem-rate-limited = Sendcloud hat zu viele Anfragen gemeldet (Ratenlimit). In einigen Minuten erneut versuchen.
problem-field-rejected = Sendcloud hat das Feld „{ $field }“ abgelehnt. Den Wert korrigieren und erneut versuchen.
problem-field-rejected-any = Sendcloud hat die Anfrage abgelehnt. Die genannten Angaben korrigieren und erneut versuchen.
problem-not-found = Sendcloud kennt das Angefragte nicht (mehr). Erneut versuchen; bleibt der Fehler, einen vollständigen Abgleich dieses Objekts starten.
problem-no-sender-address = Das Sendcloud-Konto hat keine Absenderadresse. In Sendcloud unter Einstellungen → Adressen eine anlegen.
problem-sendcloud-busy = Sendcloud verarbeitet noch eine frühere Anfrage. In einer Minute erneut versuchen.
problem-bad-answer = Sendcloud hat eine unerwartete Antwort geschickt. Erneut versuchen; bleibt der Fehler, den Betrieb mit Datum und Uhrzeit informieren.
problem-database = Die Datenbank des Moduls hat einen Fehler gemeldet. Den Betrieb informieren (Server-Protokoll).
problem-not-connected = Für diesen Mandanten ist kein Sendcloud-Konto verbunden. Über „{ btn-setup }“ verbinden.
problem-missing-keys = Bitte den öffentlichen und den geheimen Schlüssel angeben.
problem-internal = Im Modul ist ein unerwarteter Fehler aufgetreten. Erneut versuchen; bleibt er, den Betrieb informieren.
log-sync-done = { $object }: { $fetched } geholt, { $created } neu, { $updated } geändert, { $unchanged } unverändert, { $failed } Fehler
log-sync-failed = { $object }: abgebrochen nach { $fetched } geholten.
log-test-ok = Verbindung in Ordnung: { $count } Absenderadressen bei Sendcloud.
log-test-failed = Verbindungstest fehlgeschlagen.
log-keys-saved = Schlüssel von Hand eingegeben, bei Sendcloud geprüft und gespeichert.
log-disconnected = Verbindung getrennt, Schlüssel gelöscht; synchronisierte Daten bleiben erhalten.
log-settings-saved = Einstellungen gespeichert; geändert: { $fields }
log-settings-unchanged = Einstellungen gespeichert; keine Änderungen.
log-warehouses-saved = Absenderadressen der Lager geändert: { $changes }

## Notifications of lasting failures, full resync
nav-notifications = Benachrichtigungen
notify-kind-sync = Abgleich
notify-kind-label = Label-Erstellung
notify-failure-subject = Sendcloud: { $kind } für { $company } schlägt fehl
notify-failure-intro = Sendcloud – { $kind } für { $company }: fehlerhaft seit { $since }, { $failures } Fehlversuche in Folge.
notify-failure-action = Stand und Verlauf im Back-Office: { $link }
notify-once = Diese Nachricht kommt einmal je Störung; sobald es wieder läuft, folgt eine Entwarnung.
notify-recovered-subject = Sendcloud: { $kind } für { $company } läuft wieder
notify-recovered-body = Entwarnung: { $kind } für { $company } läuft wieder (gestört seit { $since }, { $failures } Fehlversuche). Stand: { $link }
log-notify-sent = Benachrichtigung gesendet ({ $channel }, { $event ->
    [failure] Störung
   *[other] Entwarnung
}).
log-notify-failed = Benachrichtigung über { $channel } nicht zugestellt: { $detail }
log-notify-settings = Benachrichtigungseinstellungen gespeichert.
notify-title = Benachrichtigungen bei Störungen
notify-hint = Schlägt der automatische Abgleich wiederholt fehl, erfährt es die verantwortliche Person: einmal je Störung, mit Entwarnung, sobald es wieder läuft.
notify-email = E-Mail-Adresse der verantwortlichen Person
notify-webhook-url = Webhook-URL des Hosts (signierter POST)
notify-after-runs = Benachrichtigen nach so vielen Fehlläufen in Folge (0 = nicht nach Anzahl)
notify-after-hours = … oder wenn der erste Fehler so viele Stunden alt ist (0 = nicht nach Zeit)
notify-language = Sprache der Nachrichten
notify-save = Speichern
notify-saved = Benachrichtigungen gespeichert.
notify-smtp-missing = Auf diesem Server ist kein SMTP-Server eingerichtet (SENDCLOUD_PLUGIN_SMTP_URL): E-Mails gehen erst, wenn der Betrieb ihn einträgt.
notify-error-email = Bitte eine gültige E-Mail-Adresse angeben oder das Feld leeren.
notify-error-url = Bitte eine http(s)-Adresse angeben oder das Feld leeren.
notify-error-number = Bitte eine ganze Zahl von 0 bis 1000 angeben.
notify-error-language = Bitte eine der angebotenen Sprachen auswählen.
notify-error-summary = Bitte die markierten Felder korrigieren; nichts wurde gespeichert.
notify-incidents = Störungen
notify-none = Bisher keine Störung.
notify-col-opened = Seit
notify-col-failures = Fehlversuche
notify-col-state = Stand
notify-col-problem = Ursache
notify-open = offen
notify-resolved = behoben
notify-notified = benachrichtigt
notify-not-notified = nicht (noch) benachrichtigt
resync-title = Vollständiger Abgleich
resync-hint = Liest alle Daten eines Objekts neu von Sendcloud statt nur der Änderungen seit dem letzten Lauf: wenn Daten fehlen oder nicht stimmen.
resync-object = Objekt
resync-start = Vollständig neu abgleichen …
resync-confirm-title = Vollständigen Abgleich bestätigen
resync-confirm-text = { $object }: Die Position des Abgleichs wird zurückgesetzt, und alle Daten werden neu von Sendcloud gelesen. Bei vielen Daten dauert das länger; vorhandene Daten bleiben erhalten und werden aktualisiert.
resync-confirm = Ja, vollständig neu abgleichen
resync-cancel = Abbrechen
resync-started = Vollständiger Abgleich gestartet.
resync-unknown = Bitte ein Objekt aus der Liste auswählen.
log-resync = Vollständiger Abgleich von { $object } angefordert; Position zurückgesetzt.
## Versandmethoden-Zuordnung (v2 method → v3 shipping option)
btn-method-mapping = Versandmethoden-Zuordnung
mm-title = Versandmethoden-Zuordnung
mm-hint = Aufträge tragen eine Sendcloud-Versandmethode (v2). Labels entstehen über Sendcloud-Versandoptionen (v3). Sendcloud nennt für die meisten Methoden die passende Option; wo keine genannt ist oder eine andere gelten soll, hier die Option wählen.
mm-empty = Noch keine Versandmethoden oder Versandoptionen abgeglichen. Bitte den Abgleich (Versandmethoden) ausführen.
mm-method = Versandmethode (v2)
mm-sendcloud = Option laut Sendcloud
mm-option = Verwendete Option
mm-none = keine
mm-follow-sendcloud = wie Sendcloud
mm-unresolved = Keine Option: Labels für Aufträge mit dieser Methode verwenden die Standard-Versandmethode. Bitte eine Option wählen.
mm-save = Speichern
mm-saved = Versandmethoden-Zuordnung gespeichert.
mm-error-method = Eine Versandmethode ist nicht (mehr) abgeglichen. Bitte die Seite neu laden und erneut speichern.
mm-error-option = Eine gewählte Versandoption ist nicht (mehr) abgeglichen. Bitte den Abgleich (Versandmethoden) ausführen und erneut wählen.
wh-country-mismatch = Land des Lagers und der Absenderadresse unterscheiden sich

report-methods = Versandmethoden
report-senders = Absenderadressen
report-runs = Abgleich-Läufe
report-yes = ja
report-no = nein
report-details = Details
report-back = Zurück zur Liste
report-export = CSV exportieren
page-first = « Erste Seite
page-next = Nächste Seite »
filter-all = alle
filter-active = Bei Sendcloud vorhanden
filter-active-yes = vorhanden
filter-active-no = bei Sendcloud entfernt
filter-kind = Art
filter-kind-outgoing = Versand
filter-kind-return = Retoure
filter-created-from = Erstellt ab
filter-created-to = Erstellt bis
filter-from = Von
filter-to = Bis
filter-text = Suche
filter-apply = Filtern
filter-reset = Filter zurücksetzen
empty-filtered = Keine Einträge passen zu diesen Filtern.
empty-parcels = Noch keine Pakete – starten Sie einen Abgleich der Pakete.
empty-returns = Noch keine Retouren – starten Sie einen Abgleich der Retouren.
empty-invoices = Noch keine Rechnungen – starten Sie einen Abgleich der Rechnungen.
empty-brands = Noch keine Brands – starten Sie einen Abgleich der Brands.
empty-methods = Noch keine Versandmethoden – starten Sie einen Abgleich der Versandmethoden.
empty-senders = Noch keine Absenderadressen – starten Sie einen Abgleich der Absenderadressen.
empty-runs = Noch kein Abgleich gelaufen – starten Sie den ersten Abgleich.
empty-actions = Noch keine Aktionen protokolliert. Hier erscheinen Aufrufe an Sendcloud, Webhooks und Änderungen, sobald das Konto verbunden ist.
empty-start-sync = Zum Abgleich
empty-open-config = Zur Integration
trigger-manual = Manuell
trigger-schedule = Zeitplan
trigger-connect = Verbindung
trigger-api = Plugin-API
trigger-cli = Kommandozeile
user-system = System
direction-out = an Sendcloud
direction-in = von Sendcloud
direction-internal = im Modul
result-ok = OK
result-error = Fehler
col-id = ID
col-updated = Aktualisiert
col-order-number = Auftragsnummer
col-recipient = Empfänger
col-destination = Ziel
col-carrier = Versanddienstleister
col-tracking-number = Sendungsnummer
col-status = Status
col-created = Erstellt
col-announced = Angemeldet
col-synced = Abgeglichen
col-name = Name
col-domain = Domain
col-website = Website
col-color = Farbe
col-reply-to = Antwortadresse
col-active = Bei Sendcloud
col-weight = Gewicht
col-countries = Länder
col-service-point = Servicepunkt
col-company-name = Firma
col-label = Bezeichnung
col-address = Adresse
col-city = Ort
col-contact = Ansprechpartner
col-email = E-Mail
col-phone = Telefon
col-vat = USt-IdNr.
col-eori = EORI-Nummer
col-sendcloud-id = Sendcloud-ID
col-reference = Referenz
col-shipping-method = Versandmethode
col-return = Retoure
col-started = Gestartet
col-finished = Beendet
col-started-by = Gestartet durch
col-objects = Objekte
col-object = Objekt
col-state = Zustand
col-counts = Anzahl je Objekt
col-duration = Dauer
col-error = Fehler
col-at = Zeitpunkt
col-user = Benutzer
col-direction = Richtung
col-action = Aktion
col-target = Ziel der Aktion
col-result = Ergebnis
col-message = Meldung
col-payload = Daten (maskiert)

# Action log facts of webhook receipts (stored as actionlog::Fact)
log-webhook-stored = Ereignis empfangen und gespeichert (Eingang { $inbox })
log-webhook-duplicate = Ereignis schon empfangen (erneute Zustellung von Sendcloud): ignoriert
col-sender = Absender
col-return-status = Retourenstatus
col-parcel-status = Paketstatus
col-reason = Grund
col-country = Land
col-shipping-option = Versandoption
col-refund = Erstattung
col-return-fee = Retourengebühr
col-label-cost = Labelkosten
col-outgoing-parcel = Ausgehendes Paket (Sendcloud-ID)
col-incoming-parcel = Retourenpaket (Sendcloud-ID)
col-delivery = Lieferung
col-delivered = Zugestellt
col-invoice-number = Rechnungs-ID
col-invoice-date = Rechnungsdatum
col-invoice-kind = Rechnungsart
col-amount-excl = Betrag netto
col-amount-incl = Betrag brutto
col-items = Positionen
col-paid = Bezahlt
col-position = Pos.
col-description = Beschreibung
col-quantity = Menge
col-amount = Betrag
invoice-paid = bezahlt
invoice-unpaid = offen
invoice-kind-periodic = Periodisch
invoice-kind-forced = Sofortrechnung
invoice-kind-initial_payment = Erstzahlung
invoice-kind-other = Sonstige
invoice-kind-unblock_payment = Entsperrzahlung

# Lieferungen, Logs, labels
deliveries-title = Lieferungen
logs-title = Logs
logs-hint = Lieferungen, für die kein Label erstellt werden konnte. Beheben Sie die genannten Punkte (im Warenwirtschaftssystem oder in Sendcloud) und klicken Sie auf „Erneut versuchen“. Ein Eintrag verschwindet von selbst, sobald das Label existiert.
logs-retry = Erneut versuchen
logs-empty = Keine fehlgeschlagenen Lieferungen.
logs-fix-list = Zu beheben
deliveries-filter-state = Versandstatus
deliveries-filter-all = Alle
deliveries-filter-search = Lieferschein- oder Auftragsnummer
deliveries-filter-apply = Filtern
deliveries-create-labels = Label erstellen
deliveries-cancel = Label stornieren
deliveries-empty = Keine Lieferungen gefunden.
deliveries-select-all = Alle auswählen
deliveries-col-number = Lieferung
deliveries-col-order = Auftrag
deliveries-col-customer = Kunde
deliveries-col-created = Erstellt (UTC)
deliveries-col-state = Versandstatus
deliveries-col-tracking = Sendungsnummer
deliveries-next = Nächste Seite
deliveries-none-selected = Bitte wählen Sie mindestens eine Lieferung aus.
deliveries-labels-queued = { $queued } Label(s) werden im Hintergrund erstellt; { $already } hatte(n) schon eins.
deliveries-cancel-queued = { $count } Stornierung(en) werden an Sendcloud geschickt.
delivery-parcel = Paket (Sendcloud)
delivery-carrier = Versanddienstleister
delivery-option = Versandoption
delivery-reference = Referenz bei Sendcloud
delivery-cancel-outcome = Stornierung
delivery-history = Sendungsverlauf
delivery-history-empty = Noch keine Statusmeldungen.
shipping-state-no-label = Kein Label
shipping-state-label-created = Label erstellt
shipping-state-in-transit = Unterwegs
shipping-state-delivered = Zugestellt
shipping-state-failed = Fehlgeschlagen
shipping-state-cancelled = Storniert
cancel-outcome-cancelled = Storniert: Sendcloud hat das Label storniert.
cancel-outcome-queued = Vorgemerkt: Sendcloud storniert das Label, sobald es möglich ist (das Paket wird bis zu 14 Tage beobachtet).
cancel-outcome-too-late = Zu spät: Labels können nur bis 42 Tage nach der Erstellung storniert werden.
cancel-outcome-delivered = Nicht möglich: Das Paket wurde bereits zugestellt.
cancel-outcome-already-cancelled = Das Label war bereits storniert.
cancel-outcome-not-found = Sendcloud kennt diese Sendung nicht (mehr).
cancel-outcome-no-label = Diese Lieferung hat kein Label.
cancel-outcome-failed = Die Stornierung ist fehlgeschlagen; bitte später erneut versuchen.
test-mode = Testmodus
test-mode-label = Im Testmodus erstellt und sofort storniert
test-mode-banner = Testmodus ist AN: Jedes erstellte Label wird sofort wieder storniert (keine Kosten, kein Versand).
test-mode-hint = Im Testmodus wird jedes Label, das das Modul erstellt, sofort wieder storniert, damit Sie den ganzen Ablauf ohne Kosten ausprobieren können (Sendcloud hat keine Testschlüssel).
test-mode-switch-on = Testmodus einschalten
test-mode-switch-off = Testmodus ausschalten
test-mode-on = Testmodus eingeschaltet.
test-mode-off = Testmodus ausgeschaltet.
problem-sendcloud = Sendcloud: { $field } – { $message }
problem-address-field-missing = Die Lieferadresse ist unvollständig ({ $field }): bitte beim Kunden bzw. Ansprechpartner ergänzen.
problem-house-number-missing = Die Hausnummer fehlt: bitte in der Adresse des Kunden bzw. Ansprechpartners ergänzen.
problem-email-missing = Die E-Mail-Adresse des Empfängers fehlt; die Versandoption (oder der Versand außerhalb der EU) verlangt sie.
problem-phone-missing = Die Telefonnummer des Empfängers fehlt; der Versand außerhalb der EU (oder die Versandoption) verlangt sie.
problem-item-value-decimals = Position { $field } ({ $a }): Der Preis hat mehr als 2 Nachkommastellen.
problem-quantity-fractional = Position { $field } ({ $a }): Die Menge ist keine ganze Zahl; Sendcloud akzeptiert nur ganze Stückzahlen.
problem-quantity-zero = Position { $field } ({ $a }): Die Menge muss mindestens 1 sein.
problem-item-weight-exceeds-parcel = Das Gewicht der Positionen ({ $a } kg) ist höher als das Paketgewicht ({ $b } kg).
problem-weight-zero = Das Paket wiegt 0 kg: bitte bei den Artikeln ein Gewicht hinterlegen.
problem-dimension-zero = Eine Paketabmessung ({ $field }) ist 0.
problem-option-missing = Keine Versandoption: Der Auftrag hat keine Versandmethode und es ist keine Standard-Versandmethode eingestellt.
problem-option-unmapped = Die Versandmethode { $a } des Auftrags ist keiner Versandoption zugeordnet: bitte unter Einstellungen → Versandmethoden-Zuordnung wählen (oder Abgleich der Versandmethoden starten).
problem-option-weight = Das Paketgewicht ({ $b } kg) passt nicht zur Versandoption { $a } ({ $c }–{ $d } kg).
problem-option-destination = Die Versandoption { $a } liefert nicht nach { $b }.
problem-service-point-missing = Die Versandoption { $a } liefert nur an einen Paketshop: Im Auftrag fehlt die Servicepunkt-ID.
problem-hs-code-missing = Position { $field } ({ $a }): Für den Versand außerhalb der EU fehlt die Zolltarifnummer (HS-Code): am Artikel oder als Standard in den Einstellungen hinterlegen.
problem-origin-missing = Position { $field } ({ $a }): Für den Versand außerhalb der EU fehlt das Ursprungsland: am Artikel oder als Standard in den Einstellungen hinterlegen.
problem-items-missing = Für den Versand außerhalb der EU braucht die Sendung Positionen.

# Action log facts of webhook refusals and integration events
log-webhook-refused = { $reason ->
        [credentials_bad_signature] Zugangsdaten mit ungültiger Signatur verworfen
        [credentials_not_waiting] Zugangsdaten kamen, ohne dass eine Verbindung erwartet wurde: verworfen
        [not_connected] Ereignis ohne Verbindung (kein Schlüssel gespeichert) verworfen
        [too_old] Integrationsereignis älter als das Wiederholungsfenster verworfen
       *[other] Ereignis mit ungültiger Signatur verworfen
    }. Weitere abgelehnte Aufrufe bis { $until } werden nur gezählt.
log-webhook-stale = Veraltetes Ereignis: ein neueres wurde schon übernommen; nicht angewendet
log-integration-deleted = Integration in Sendcloud gelöscht: Verbindung getrennt, Daten bleiben erhalten
log-integration-updated = Integration aktualisiert
log-integration-connected = Verbunden (Integration { $integration })

## --- api
api-docs-title = Plugin-API
api-docs-intro = Die Schnittstelle für das Hostsystem: JSON oder XML, Anmeldung mit einem Host-Token. Das Dokument für Werkzeuge:
api-docs-operations = Operationen
api-docs-parameters = Parameter
api-docs-name = Name
api-docs-in = Ort
api-docs-type = Typ
api-docs-description = Beschreibung
api-docs-body = Anfrage
api-docs-answer = Antwort
api-docs-errors = Fehler
api-docs-idempotent = Nimmt einen Idempotency-Key: eine wiederholte Anfrage erhält die erste Antwort.
api-docs-schemas = Schemas
api-docs-required = Pflicht
api-docs-codes = Fehlercodes
api-docs-code = Code
## --- events
settings-order-push = Aufträge automatisch übertragen
settings-order-push-enabled = Neue und geänderte freigegebene Aufträge regelmäßig an Sendcloud übertragen
settings-order-push-interval = Alle
settings-order-hold-field = Auftrag zurückhalten, wenn
settings-order-hold-marker = Kennzeichen
settings-order-hold-hint = Ein zurückgehaltener Auftrag wird nicht übertragen, bis das Kennzeichen entfernt oder der Auftrag bezahlt ist; über „Senden“ (bzw. „Erneut senden“) unter „Bestellungen abgleichen“ geht er trotzdem sofort raus.
settings-error-order-push-interval = Bitte eine ganze Zahl von 1 bis 1440 Minuten angeben.
settings-error-order-hold-field = Bitte eine der angebotenen Möglichkeiten wählen.
settings-error-order-hold-marker = Bitte ein Kennzeichen (1 bis 64 Zeichen) angeben, z. B. „#halten“.
order-hold-none = nie (alle Aufträge übertragen)
order-hold-remarks = die Bemerkung das Kennzeichen enthält
order-hold-your-ref = „Ihr Zeichen“ das Kennzeichen enthält
order-hold-unpaid = der Auftrag noch nicht bezahlt ist
orders-held = { $held } zurückgehalten
orders-recent = Letzte Aufträge
orders-recent-hold-hint = Zurückgehaltene Aufträge werden erst nach Freigabe übertragen; „Senden“ (bzw. „Erneut senden“) überträgt sie sofort.
orders-recent-none = Keine freigegebenen offenen Aufträge.
orders-col-number = Auftrag
orders-col-changed = Geändert
orders-col-state = Stand
orders-col-pushed = Übertragen
orders-send = Senden
orders-resend = Erneut senden
orders-resend-started = Der Auftrag wird erneut an Sendcloud gesendet; das läuft im Hintergrund.
orders-resend-unknown = Diesen Auftrag gibt es nicht (mehr) oder er ist nicht freigegeben und offen; bitte die Liste neu laden.
order-state-pushed = übertragen
order-state-changed = geändert seit der Übertragung
order-state-new = noch nicht übertragen
order-state-held = zurückgehalten
events-title = Ereignisse an das Warenwirtschaftssystem
events-hint = Das Modul meldet jede Änderung an einem Label (erstellt, Status geändert, zugestellt, fehlgeschlagen, storniert) als signierten Webhook an diese Adresse. Ist sie nicht erreichbar, geht nichts verloren: die Meldungen werden der Reihe nach erneut gesendet.
events-url = Webhook-Adresse (leer: keine Ereignisse)
events-secret = Geheimnis für die Signatur (mindestens 16 Zeichen; leer lassen: unverändert)
events-secret-set = Ein Geheimnis ist hinterlegt.
events-secret-none = Kein eigenes Geheimnis: signiert wird mit dem Host-Token-Geheimnis.
events-secret-clear = Hinterlegtes Geheimnis entfernen
events-save = Speichern
events-saved = Ereignis-Einstellungen gespeichert.
events-error-url = Die Webhook-Adresse muss mit http:// oder https:// beginnen.
events-error-secret = Das Geheimnis muss mindestens 16 Zeichen lang sein.
events-pending = Wartend
events-parked = Zurückgestellt
events-delivered = Zugestellt
events-col-created = Erzeugt
events-col-event = Ereignis
events-col-delivery = Lieferung
events-col-attempts = Versuche
events-col-error = Letzter Fehler
events-retry = Zurückgestellte erneut senden
events-requeued = { $n } Ereignisse werden erneut gesendet.
log-events-hook = Ereignis-Webhook geändert
log-events-parked = Ereignis nach { $attempts } Versuchen zurückgestellt; bitte die Webhook-Adresse prüfen und unter „Benachrichtigungen“ erneut senden
events-error-connect = Keine Verbindung zur Webhook-Adresse
events-error-timeout = Keine Antwort innerhalb von 20 Sekunden
events-error-request = Anfrage fehlgeschlagen
## --- labels
print-title = Drucken
print-format = Format
print-format-a4 = PDF, A4 (vier Labels pro Blatt)
print-format-a6 = PDF, A6 (ein Label pro Seite)
print-format-zpl = ZPL (Etikettendrucker)
print-start = Startposition auf dem ersten A4-Blatt
print-start-1 = 1 (oben links)
print-start-2 = 2 (oben rechts)
print-start-3 = 3 (unten links)
print-start-4 = 4 (unten rechts)
print-button = Drucken
print-reprint = Label drucken
print-problem-no-label = Lieferung { $number }: kein Label vorhanden, nichts gedruckt. Erst „Label erstellen“, dann drucken, oder die Lieferung abwählen.
print-problem-cancelled = Lieferung { $number }: das Label ist storniert und darf nicht mehr verwendet werden, nichts gedruckt. Ein neues Label erstellen oder die Lieferung abwählen.
print-problem-unavailable = Lieferung { $number }: das Label ist nicht gespeichert und Sendcloud hat es nicht geliefert ({ $detail }), nichts gedruckt. Später erneut drucken.
print-merge-failed = Die Labels ließen sich nicht zu einem Dokument zusammenführen ({ $detail }). Einzeln drucken oder den Support informieren.
problem-label-check = Die Lieferung hat Angaben, die Sendcloud ablehnen würde (Feld „{ $field }“); Sendcloud wurde nicht aufgerufen. Unter Sendcloud → Logs steht, was zu beheben ist; danach „Erneut versuchen“.
