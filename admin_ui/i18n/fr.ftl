app-title = Sendcloud
menu-config = Configuration
menu-reports = Rapports
menu-warehouse = Entrepôt
menu-sendcloud = Sendcloud
nav-integration = Intégration
nav-reports = Rapports
company = Société
company-switch = Changer
language = Langue
logout = Se déconnecter
login-title = Connexion
login-username = Nom d'utilisateur
login-password = Mot de passe
login-submit = Se connecter
login-failed = Nom d'utilisateur ou mot de passe incorrect.
logged-out = Vous avez été déconnecté.
login-throttled = Trop de tentatives de connexion. Veuillez patienter une minute, puis réessayer.
integration-title = Intégration Sendcloud
integration-state = État
state-disconnected = Non connecté
state-pending = Connexion en cours
state-connected = Connecté
state-not-completed = Connexion non terminée
connect-waiting = Connexion lancée le
connect-waiting-until = Sendcloud peut confirmer la connexion jusqu’au
connect-waiting-cancelled = Annulée chez Sendcloud ? Relancez alors la connexion.
connect-returned = Sendcloud n’a pas confirmé la connexion : elle a été annulée sur la page de Sendcloud ou est encore en cours. Veuillez recharger la page dans quelques secondes ou relancer la connexion.
connect-expired = La connexion n’a pas été confirmée chez Sendcloud dans les 30 minutes et a expiré. Veuillez relancer la connexion. Connexion lancée le
btn-setup-again = Relancer la connexion
integration-id = ID d'intégration
shop-name = Nom de la boutique
webhook = Webhook
webhook-active = actif
webhook-inactive = inactif
webhook-inbox = Boîte de réception des webhooks
webhook-pending = événements (statut de colis, retours) en attente de traitement
last-sync = Dernière synchronisation
failing-since = En échec depuis
never = jamais
btn-setup = Connecter Sendcloud
btn-sync = Synchroniser
btn-warehouses = Configurer les entrepôts
btn-orders = Synchroniser les commandes
needs-connection = Disponible dès qu'un compte Sendcloud est connecté.
warehouses-title = Entrepôts
warehouse-code = Code
warehouse-name = Nom
warehouse-address = Adresse
warehouse-sender = Adresse d'expédition
warehouse-sender-default = Adresse d'expédition par défaut du compte
warehouse-inactive = inactif
host-data = Données de base de la société
stat-customers = Clients
stat-products = Articles
stat-orders = Commandes
stat-deliveries = Livraisons
reports-title = Rapports Sendcloud
report-parcels = Colis
report-returns = Retours
report-invoices = Factures
report-brands = Marques
report-actions = Journal des actions
reports-empty = Pas encore de données. Les rapports se remplissent à la première synchronisation, une fois un compte Sendcloud connecté.
company-switched = Société changée.
language-switched = Langue modifiée.
prefs-title = Préférences personnelles
prefs-time-zone = Fuseau horaire
prefs-tz-browser = Fuseau horaire du navigateur (sinon Europe/Berlin)
prefs-tz-effective = Les heures sont actuellement affichées en :
prefs-tz-hint = Survolez une heure pour la voir en UTC.
prefs-save = Enregistrer
prefs-saved = Préférences personnelles enregistrées.
prefs-tz-unknown = Ce fuseau horaire est inconnu. Veuillez en choisir un dans la liste.
error-forbidden = Vous n'avez pas l'autorisation pour cela.
error-not-found = Cette page n'existe pas.
error-csrf = Le formulaire a expiré ou n'est pas valide. Veuillez recharger la page et réessayer.
error-bad-request = La requête n'est pas valide.
error-internal = Une erreur interne s'est produite. Les détails figurent dans le journal du serveur.
error-no-company = Aucune société ne vous est attribuée.
error-back = Retour
setup-hint = Redirection vers Sendcloud pour connecter le compte
setup-unreachable = Sendcloud ne peut pas joindre l'adresse webhook de ce module. Vérifiez SENDCLOUD_PLUGIN_PUBLIC_URL ; actuellement :
needs-sender-addresses = Disponible une fois les adresses d'expédition synchronisées.
keys-title = Saisir les clés manuellement
keys-hint = Pour les comptes sans connexion via Sendcloud : créez dans Sendcloud une intégration sous Paramètres → Intégrations → Sendcloud API et saisissez ses clés ici. Elles sont vérifiées auprès de Sendcloud avant d'être enregistrées.
public-key = Clé publique
secret-key = Clé secrète
btn-save-keys = Vérifier et enregistrer
keys-saved = Clés vérifiées et enregistrées. La première synchronisation s'exécute en arrière-plan.
btn-test = Tester la connexion
test-ok = Connexion correcte
btn-disconnect = Déconnecter
disconnect-confirm = Se déconnecter de Sendcloud ? Les clés sont supprimées, les données synchronisées sont conservées.
disconnected = Déconnecté. Les clés ont été supprimées ; les données synchronisées restent lisibles.
sync-start = Lancer la synchronisation
sync-none-selected = Veuillez choisir au moins un objet à synchroniser.
sync-started = Synchronisation lancée.
sync-already-running = Une synchronisation est déjà en cours.
object-sender-addresses = Adresses d'expédition
object-shipping-methods = Méthodes d'expédition
object-parcel-statuses = Statuts de colis
object-parcels = Colis
object-brands = Marques
object-returns = Retours
object-invoices = Factures
synced-data = Données synchronisées
object-sender-addresses-count = { $n ->
    [one] { $n } adresse d’expédition
   *[other] { $n } adresses d’expédition
}
object-shipping-methods-count = { $n ->
    [one] { $n } méthode d’expédition
   *[other] { $n } méthodes d’expédition
}
object-parcel-statuses-count = { $n ->
    [one] { $n } statut de colis
   *[other] { $n } statuts de colis
}
object-parcels-count = { $n ->
    [one] { $n } colis
   *[other] { $n } colis
}
object-brands-count = { $n ->
    [one] { $n } marque
   *[other] { $n } marques
}
object-returns-count = { $n ->
    [one] { $n } retour
   *[other] { $n } retours
}
object-invoices-count = { $n ->
    [one] { $n } facture
   *[other] { $n } factures
}
stat-customers-count = { $n ->
    [one] { $n } client
   *[other] { $n } clients
}
stat-products-count = { $n ->
    [one] { $n } article
   *[other] { $n } articles
}
stat-orders-count = { $n ->
    [one] { $n } commande
   *[other] { $n } commandes
}
stat-deliveries-count = { $n ->
    [one] { $n } livraison
   *[other] { $n } livraisons
}
webhook-pending-count = { $n ->
    [one] { $n } événement (statut de colis, retour) en attente de traitement
   *[other] { $n } événements (statut de colis, retours) en attente de traitement
}
test-ok-count = { $n ->
    [one] Connexion correcte : Sendcloud indique { $n } adresse d’expédition dans le compte.
   *[other] Connexion correcte : Sendcloud indique { $n } adresses d’expédition dans le compte.
}
run-title = Dernière synchronisation
run-none = Pas encore de synchronisation.
run-queued = En attente
run-running = En cours
run-done = Terminée
run-failed-state = Échouée
run-fetched = récupérés
run-created = nouveaux
run-updated = modifiés
run-unchanged = inchangés
run-failed = erreurs
run-objects = Objets de cette exécution :
run-object = Objet
run-object-state = État
run-auto-refresh = Cet affichage se met à jour tant qu'une synchronisation ou un transfert de commandes est en cours.
run-reload = Actualiser maintenant
wh-none = Aucune adresse d'expédition n'a été synchronisée depuis le compte Sendcloud connecté. Créez d'abord des adresses d'expédition dans Sendcloud puis lancez la synchronisation (adresses d'expédition).
wh-hint = Pour chaque entrepôt, choisissez l'adresse d'expédition Sendcloud depuis laquelle il expédie. Les entrepôts sans choix utilisent l'adresse d'expédition par défaut du compte.
wh-save = Enregistrer
wh-saved = Affectation des entrepôts enregistrée.
wh-not-connected = Cette société n’est pas connectée à Sendcloud. Les adresses d’expédition arrivent après la connexion (Connecter Sendcloud) et la synchronisation des adresses d’expédition.
wh-goto-setup = Aller à « Connecter Sendcloud »
setup-connected = Déjà connecté. Pour reconnecter, déconnectez d'abord.
orders-hint = Envoyer à Sendcloud (commandes entrantes) les commandes antérieures à la connexion ou oubliées. Les commandes déjà envoyées sont mises à jour, jamais dupliquées.
orders-since = Commandes à partir du
orders-selection = Statut des commandes
orders-approved-open = Approuvées et ouvertes
orders-approved-open-paid = Approuvées, ouvertes et payées
orders-start = Lancer
orders-last = Dernier envoi de commandes
orders-none = Aucune commande envoyée pour l'instant.
orders-pending = Un envoi est en attente ou en cours.
orders-started = Synchronisation des commandes lancée ; elle s'exécute en arrière-plan.
orders-already-running = Une synchronisation des commandes est déjà en attente ou en cours.
orders-bad-date = Veuillez indiquer une date valide qui n'est pas dans le futur.
orders-summary = { $selected } sélectionnées, { $pushed } transmises, { $unchanged } inchangées, { $failed } en échec
orders-deferred = { $deferred } reportées (Sendcloud les traitait encore ; elles seront renvoyées lors du prochain transfert)
orders-integration-unknown = L’identifiant d’intégration Sendcloud est inconnu et n’a pas pu être déterminé (le compte n’a aucune intégration ou plusieurs). Veuillez établir la connexion via « Connecter Sendcloud » ; les commandes seront transmises ensuite.
integration-id-unknown = L’identifiant d’intégration est inconnu : les commandes ne pourront être transmises qu’une fois celui-ci connu. Veuillez établir la connexion via « Connecter Sendcloud ».
settings-title = Paramètres
settings-labels = Création d'étiquettes
settings-auto-label = Créer l'étiquette automatiquement dès qu'une livraison est créée
settings-auto-label-hint = Sans ce paramètre, vous créez les étiquettes depuis la liste des livraisons (une ou plusieurs à la fois) ou directement dans Sendcloud.
settings-service-point = Livraison en point relais
settings-service-point-enabled = Activer la livraison en point relais
settings-service-point-field = Champ de la commande contenant l'ID du point relais
order-field-service-point-ref = Référence du point relais
order-field-your-ref = Votre référence
order-field-remarks = Remarques
settings-customs = Douane
settings-customs-hint = Valeurs par défaut des déclarations en douane et des factures commerciales pour les envois qui quittent le territoire douanier de l'UE.
settings-shipment-type = Type d'envoi
shipment-type-0 = Cadeau
shipment-type-1 = Documents
shipment-type-2 = Marchandises commerciales
shipment-type-3 = Échantillon commercial
shipment-type-4 = Marchandises retournées
settings-origin-country = Pays d'origine (code ISO, p. ex. DE)
settings-hs-code = Code SH (numéro tarifaire, 6 à 10 chiffres, facultatif)
settings-customs-mapping = Données douanières par article
settings-hs-attribute = Attribut d'article contenant le code SH
settings-origin-attribute = Attribut d'article contenant le pays d'origine
settings-customer-mapping = Correspondance des données client
settings-mapping-dynamic = Dynamique (par défaut)
settings-mapping-manual = Manuelle
settings-mapping-dynamic-hint = Dynamique : si le contact est vide ou porte le nom du compte, les données du compte sont envoyées sans nom de société ; sinon les données du contact sont envoyées avec le nom du compte comme nom de société.
settings-mapping-manual-fields = Correspondance manuelle (uniquement avec « Manuelle »)
mapped-name = Nom
mapped-company-name = Nom de la société
mapped-email = Adresse e-mail
mapped-phone = Numéro de téléphone
mapped-address = Adresse
source-account-name = Compte : nom
source-contact-name = Contact : nom
source-account-email = Compte : e-mail
source-contact-email = Contact : e-mail
source-account-phone = Compte : téléphone
source-contact-phone = Contact : téléphone
source-account-address = Compte : adresse
source-contact-address = Contact : adresse
source-none = ne pas envoyer
settings-intervals = Intervalles de synchronisation
settings-intervals-hint = Fréquence de la synchronisation automatique par type d'objet, en minutes (0 = désactivée, au plus 10080 = une semaine).
settings-interval-not-synced = enregistré ; la synchronisation de ce type d’objet suivra dans une version ultérieure
sync-sender-addresses = Adresses d'expédition
sync-shipping-methods = Méthodes d'expédition
sync-parcel-statuses = Statuts de colis
sync-parcels = Colis
sync-returns = Retours
sync-invoices = Factures
sync-brands = Marques
minutes = minutes
settings-default-method = Méthode d'expédition par défaut
settings-no-methods = Aucune méthode d'expédition synchronisée pour l'instant. Synchronisez les méthodes d'expédition pour en choisir une.
settings-method-none = aucune
settings-method-not-synced = plus synchronisée
settings-retention = Conservation des journaux
settings-retention-days = Conserver les journaux pendant
days = jours
settings-save = Enregistrer
settings-saved = Paramètres enregistrés.
settings-invalid = Les paramètres n'ont pas été enregistrés. Veuillez vérifier les champs signalés.
settings-error-country = Veuillez saisir un code pays ISO 3166 à deux lettres, p. ex. DE.
settings-error-hs-code = Le code SH comporte 6 à 10 chiffres ou reste vide.
settings-error-interval = Veuillez saisir un nombre entier de 0 à 10080 minutes (0 = désactivée).
settings-error-retention = Veuillez saisir un nombre entier de 1 à 365 jours.
settings-error-shipment-type = Veuillez choisir l'un des types d'envoi proposés.
settings-error-attribute = Veuillez saisir une clé d'attribut composée de lettres, chiffres, _ - . (64 caractères au plus).
settings-error-attribute-unknown = Les articles de cette société n’ont pas cet attribut. Veuillez en choisir un dans la liste.
settings-error-service-point-field = Veuillez choisir l'un des champs de commande proposés.
settings-error-mapping = Veuillez choisir « Dynamique » ou « Manuelle ».
settings-error-source = Veuillez choisir l'une des sources proposées.
settings-error-method = Veuillez choisir une méthode d'expédition dans la liste.
settings-error-method-unknown = Cette méthode d'expédition n'est pas synchronisée pour cette société.

## Problems (stored as codes, rendered here) and stored action-log facts
problem-in-object = { $object } : { $text }
problem-detail = Sendcloud indique : « { $detail } »
problem-detail-db = La base de données indique : « { $detail } »
problem-sendcloud-down = Sendcloud a signalé une erreur de serveur. Le problème vient de Sendcloud : réessayer plus tard ; la prochaine synchronisation automatique réessaie d'elle-même.
problem-sendcloud-unreachable = Sendcloud était injoignable (pas de réponse, ou pas à temps). Vérifier la connexion Internet du serveur et réessayer plus tard.
problem-keys-refused = Sendcloud a refusé les clés API. Vérifier l'intégration dans Sendcloud et reconnecter (« { btn-setup } » ou saisie des clés).
problem-access-denied = Sendcloud a refusé l'accès : les clés sont valides mais n'y sont pas autorisées. Vérifier les droits de l'intégration dans Sendcloud.
problem-rate-limited = Sendcloud a signalé trop de requêtes (limite de débit). Réessayer dans quelques minutes.
problem-field-rejected = Sendcloud a refusé le champ « { $field } ». Corriger la valeur et réessayer.
problem-field-rejected-any = Sendcloud a refusé la requête. Corriger les données indiquées et réessayer.
problem-not-found = Sendcloud ne connaît pas (plus) l'élément demandé. Réessayer ; si l'erreur persiste, lancer une synchronisation complète de cet objet.
problem-no-sender-address = Le compte Sendcloud n'a pas d'adresse d'expéditeur. En ajouter une dans Sendcloud sous Paramètres → Adresses.
problem-sendcloud-busy = Sendcloud traite encore une requête précédente. Réessayer dans une minute.
problem-bad-answer = Sendcloud a envoyé une réponse inattendue. Réessayer ; si l'erreur persiste, indiquer la date et l'heure à l'exploitant.
problem-database = La base de données du module a signalé une erreur. Prévenir l'exploitant (journal du serveur).
problem-not-connected = Aucun compte Sendcloud n'est connecté pour cette société. Connecter via « { btn-setup } ».
problem-missing-keys = Veuillez saisir la clé publique et la clé secrète.
problem-internal = Une erreur inattendue s'est produite dans le module. Réessayer ; si elle persiste, prévenir l'exploitant.
log-sync-done = { $object } : { $fetched } récupérés, { $created } nouveaux, { $updated } modifiés, { $unchanged } inchangés, { $failed } en échec
log-sync-failed = { $object } : interrompu après { $fetched } récupérés.
log-test-ok = Connexion correcte : { $count } adresses d'expéditeur chez Sendcloud.
log-test-failed = Échec du test de connexion.
log-keys-saved = Clés saisies à la main, vérifiées auprès de Sendcloud et enregistrées.
log-disconnected = Déconnecté, clés supprimées ; les données synchronisées sont conservées.
log-settings-saved = Paramètres enregistrés ; modifiés : { $fields }
log-settings-unchanged = Paramètres enregistrés ; aucune modification.
log-warehouses-saved = Adresses d'expéditeur des entrepôts modifiées : { $changes }

## Notifications of lasting failures, full resync
nav-notifications = Notifications
notify-kind-sync = synchronisation
notify-kind-label = création d'étiquettes
notify-failure-subject = Sendcloud : { $kind } pour { $company } en échec
notify-failure-intro = Sendcloud, { $kind } pour { $company } : en échec depuis le { $since }, { $failures } tentatives échouées d'affilée.
notify-failure-action = État et historique dans le back-office : { $link }
notify-once = Ce message n'est envoyé qu'une fois par incident ; une fin d'alerte suit dès que tout refonctionne.
notify-recovered-subject = Sendcloud : { $kind } pour { $company } fonctionne de nouveau
notify-recovered-body = Fin d'alerte : { $kind } pour { $company } fonctionne de nouveau (en échec depuis le { $since }, { $failures } tentatives échouées). État : { $link }
log-notify-sent = Notification envoyée ({ $channel }, { $event ->
    [failure] incident
   *[other] fin d'alerte
}).
log-notify-failed = Notification par { $channel } non remise : { $detail }
log-notify-settings = Paramètres de notification enregistrés.
notify-title = Notifications d'incidents
notify-hint = Si la synchronisation automatique échoue à répétition, la personne responsable en est informée : une fois par incident, avec une fin d'alerte dès que tout refonctionne.
notify-email = Adresse e-mail de la personne responsable
notify-webhook-url = URL de webhook de l'hôte (POST signé)
notify-after-runs = Notifier après autant d'exécutions échouées d'affilée (0 = pas selon le nombre)
notify-after-hours = … ou lorsque la première erreur a autant d'heures (0 = pas selon la durée)
notify-language = Langue des messages
notify-save = Enregistrer
notify-saved = Notifications enregistrées.
notify-smtp-missing = Aucun serveur SMTP n'est configuré sur ce serveur (SENDCLOUD_PLUGIN_SMTP_URL) : les e-mails ne partent qu'une fois que l'exploitant en a saisi un.
notify-error-email = Veuillez saisir une adresse e-mail valide ou laisser le champ vide.
notify-error-url = Veuillez saisir une adresse http(s) ou laisser le champ vide.
notify-error-number = Veuillez saisir un nombre entier de 0 à 1000.
notify-error-language = Veuillez choisir l'une des langues proposées.
notify-error-summary = Veuillez corriger les champs signalés ; rien n'a été enregistré.
notify-incidents = Incidents
notify-none = Aucun incident jusqu'ici.
notify-col-opened = Depuis
notify-col-failures = Tentatives échouées
notify-col-state = État
notify-col-problem = Cause
notify-open = ouvert
notify-resolved = résolu
notify-notified = notifié
notify-not-notified = pas (encore) notifié
resync-title = Synchronisation complète
resync-hint = Relit toutes les données d'un objet depuis Sendcloud au lieu des seules modifications depuis la dernière exécution : lorsque des données manquent ou sont fausses.
resync-object = Objet
resync-start = Tout resynchroniser …
resync-confirm-title = Confirmer la synchronisation complète
resync-confirm-text = { $object } : la position de la synchronisation est réinitialisée et toutes les données sont relues depuis Sendcloud. Avec beaucoup de données, cela prend plus de temps ; les données existantes sont conservées et mises à jour.
resync-confirm = Oui, tout resynchroniser
resync-cancel = Annuler
resync-started = Synchronisation complète lancée.
resync-unknown = Veuillez choisir un objet dans la liste.
log-resync = Synchronisation complète de { $object } demandée ; position réinitialisée.
## Correspondance des méthodes d'expédition (méthode v2 → option v3)
btn-method-mapping = Correspondance des méthodes d'expédition
mm-title = Correspondance des méthodes d'expédition
mm-hint = Les commandes portent une méthode d'expédition Sendcloud (v2). Les étiquettes sont créées via les options d'expédition Sendcloud (v3). Sendcloud indique l'option correspondante pour la plupart des méthodes ; lorsqu'il n'en indique aucune ou qu'une autre doit s'appliquer, choisissez l'option ici.
mm-empty = Aucune méthode ni option d'expédition n'a encore été synchronisée. Lancez la synchronisation (méthodes d'expédition).
mm-method = Méthode d'expédition (v2)
mm-sendcloud = Option selon Sendcloud
mm-option = Option utilisée
mm-none = aucune
mm-follow-sendcloud = comme Sendcloud
mm-unresolved = Aucune option : les étiquettes des commandes avec cette méthode utilisent la méthode d'expédition par défaut. Choisissez une option.
mm-save = Enregistrer
mm-saved = Correspondance des méthodes d'expédition enregistrée.
mm-error-method = Une méthode d'expédition n'est plus synchronisée. Rechargez la page et enregistrez à nouveau.
mm-error-option = Une option d'expédition choisie n'est plus synchronisée. Lancez la synchronisation (méthodes d'expédition) et choisissez à nouveau.
wh-country-mismatch = Le pays de l'entrepôt et celui de l'adresse d'expédition diffèrent

report-methods = Méthodes d'expédition
report-senders = Adresses d'expéditeur
report-runs = Synchronisations
report-yes = oui
report-no = non
report-details = Détails
report-back = Retour à la liste
report-export = Exporter en CSV
page-first = « Première page
page-next = Page suivante »
filter-all = tous
filter-active = Présent chez Sendcloud
filter-active-yes = présent
filter-active-no = supprimé chez Sendcloud
filter-kind = Type
filter-kind-outgoing = Envoi
filter-kind-return = Retour
filter-created-from = Créé à partir du
filter-created-to = Créé jusqu'au
filter-from = Du
filter-to = Au
filter-text = Recherche
filter-apply = Filtrer
filter-reset = Réinitialiser les filtres
empty-filtered = Aucune entrée ne correspond à ces filtres.
empty-parcels = Aucun colis pour l'instant – lancez une synchronisation des colis.
empty-returns = Aucun retour pour l'instant – lancez une synchronisation des retours.
empty-invoices = Aucune facture pour l'instant – lancez une synchronisation des factures.
empty-brands = Aucune marque pour l'instant – lancez une synchronisation des marques.
empty-methods = Aucune méthode d'expédition pour l'instant – lancez une synchronisation des méthodes d'expédition.
empty-senders = Aucune adresse d'expéditeur pour l'instant – lancez une synchronisation des adresses d'expéditeur.
empty-runs = Aucune synchronisation n'a encore eu lieu – lancez la première.
empty-actions = Aucune action journalisée. Les appels à Sendcloud, les webhooks et les modifications apparaissent ici dès que le compte est connecté.
empty-start-sync = Aller à la synchronisation
empty-open-config = Aller à l'intégration
trigger-manual = Manuel
trigger-schedule = Planification
trigger-connect = Connexion
trigger-api = API du plugin
trigger-cli = Ligne de commande
user-system = Système
direction-out = vers Sendcloud
direction-in = de Sendcloud
direction-internal = dans le module
result-ok = OK
result-error = Erreur
col-id = ID
col-updated = Mis à jour
col-order-number = Numéro de commande
col-recipient = Destinataire
col-destination = Destination
col-carrier = Transporteur
col-tracking-number = Numéro de suivi
col-status = Statut
col-created = Créé
col-announced = Annoncé
col-synced = Synchronisé
col-name = Nom
col-domain = Domaine
col-website = Site web
col-color = Couleur
col-reply-to = Adresse de réponse
col-active = Chez Sendcloud
col-weight = Poids
col-countries = Pays
col-service-point = Point relais
col-company-name = Société
col-label = Libellé
col-address = Adresse
col-city = Ville
col-contact = Contact
col-email = E-mail
col-phone = Téléphone
col-vat = Numéro de TVA
col-eori = Numéro EORI
col-sendcloud-id = ID Sendcloud
col-reference = Référence
col-shipping-method = Méthode d'expédition
col-return = Retour
col-started = Démarré
col-finished = Terminé
col-started-by = Lancé par
col-objects = Objets
col-object = Objet
col-state = État
col-counts = Nombres par objet
col-duration = Durée
col-error = Erreur
col-at = Date et heure
col-user = Utilisateur
col-direction = Sens
col-action = Action
col-target = Cible
col-result = Résultat
col-message = Message
col-payload = Données (masquées)

# Action log facts of webhook receipts (stored as actionlog::Fact)
log-webhook-stored = Événement reçu et enregistré (boîte de réception { $inbox })
log-webhook-duplicate = Événement déjà reçu (nouvelle livraison par Sendcloud) : ignoré
col-sender = Expéditeur
col-return-status = Statut du retour
col-parcel-status = Statut du colis
col-reason = Motif
col-country = Pays
col-shipping-option = Option d'expédition
col-refund = Remboursement
col-return-fee = Frais de retour
col-label-cost = Coût de l'étiquette
col-outgoing-parcel = Colis sortant (ID Sendcloud)
col-incoming-parcel = Colis retour (ID Sendcloud)
col-delivery = Livraison
col-delivered = Livré
col-invoice-number = ID de facture
col-invoice-date = Date de facture
col-invoice-kind = Type de facture
col-amount-excl = Montant HT
col-amount-incl = Montant TTC
col-items = Lignes
col-paid = Payée
col-position = N°
col-description = Description
col-quantity = Quantité
col-amount = Montant
invoice-paid = payée
invoice-unpaid = impayée
invoice-kind-periodic = Périodique
invoice-kind-forced = Immédiate
invoice-kind-initial_payment = Paiement initial
invoice-kind-other = Autre
invoice-kind-unblock_payment = Paiement de déblocage

# Livraisons, journaux, étiquettes
deliveries-title = Livraisons
logs-title = Journaux
logs-hint = Livraisons dont l'étiquette n'a pas pu être créée. Corrigez les points indiqués (dans la gestion commerciale ou dans Sendcloud) et cliquez sur « Réessayer ». Une entrée disparaît d'elle-même dès que l'étiquette existe.
logs-retry = Réessayer
logs-empty = Aucune livraison en échec.
logs-fix-list = À corriger
deliveries-filter-state = État d'expédition
deliveries-filter-all = Toutes
deliveries-filter-search = Numéro de livraison ou de commande
deliveries-filter-apply = Filtrer
deliveries-create-labels = Créer l'étiquette
deliveries-cancel = Annuler l'étiquette
deliveries-empty = Aucune livraison trouvée.
deliveries-select-all = Tout sélectionner
deliveries-col-number = Livraison
deliveries-col-order = Commande
deliveries-col-customer = Client
deliveries-col-created = Créée (UTC)
deliveries-col-state = État d'expédition
deliveries-col-tracking = Numéro de suivi
deliveries-next = Page suivante
deliveries-none-selected = Veuillez sélectionner au moins une livraison.
deliveries-labels-queued = { $queued } étiquette(s) en cours de création en arrière-plan ; { $already } en avai(en)t déjà une.
deliveries-cancel-queued = { $count } annulation(s) envoyée(s) à Sendcloud.
delivery-parcel = Colis (Sendcloud)
delivery-carrier = Transporteur
delivery-option = Option d'expédition
delivery-reference = Référence chez Sendcloud
delivery-cancel-outcome = Annulation
delivery-history = Historique de suivi
delivery-history-empty = Pas encore de statut.
shipping-state-no-label = Sans étiquette
shipping-state-label-created = Étiquette créée
shipping-state-in-transit = En transit
shipping-state-delivered = Livré
shipping-state-failed = En échec
shipping-state-cancelled = Annulé
cancel-outcome-cancelled = Annulée : Sendcloud a annulé l'étiquette.
cancel-outcome-queued = En attente : Sendcloud annule l'étiquette dès que possible (le colis est surveillé jusqu'à 14 jours).
cancel-outcome-too-late = Trop tard : une étiquette ne peut être annulée que jusqu'à 42 jours après sa création.
cancel-outcome-delivered = Impossible : le colis a déjà été livré.
cancel-outcome-already-cancelled = L'étiquette était déjà annulée.
cancel-outcome-not-found = Sendcloud ne connaît pas (plus) cet envoi.
cancel-outcome-no-label = Cette livraison n'a pas d'étiquette.
cancel-outcome-failed = L'annulation a échoué ; veuillez réessayer plus tard.
test-mode = Mode test
test-mode-label = Créée en mode test et annulée aussitôt
test-mode-banner = Le mode test est ACTIVÉ : chaque étiquette créée est aussitôt annulée (aucun frais, rien n'est expédié).
test-mode-hint = En mode test, chaque étiquette créée par le module est aussitôt annulée, pour essayer tout le processus sans frais (Sendcloud n'a pas de clés de test).
test-mode-switch-on = Activer le mode test
test-mode-switch-off = Désactiver le mode test
test-mode-on = Mode test activé.
test-mode-off = Mode test désactivé.
problem-sendcloud = Sendcloud : { $field } – { $message }
problem-address-field-missing = L'adresse de livraison est incomplète ({ $field }) : veuillez la compléter sur le client ou le contact.
problem-house-number-missing = Le numéro de rue manque : veuillez l'ajouter à l'adresse du client ou du contact.
problem-email-missing = L'adresse e-mail du destinataire manque ; l'option d'expédition (ou l'envoi hors UE) l'exige.
problem-phone-missing = Le numéro de téléphone du destinataire manque ; l'envoi hors UE (ou l'option d'expédition) l'exige.
problem-item-value-decimals = Ligne { $field } ({ $a }) : le prix a plus de 2 décimales.
problem-quantity-fractional = Ligne { $field } ({ $a }) : la quantité n'est pas un nombre entier ; Sendcloud n'accepte que des pièces entières.
problem-quantity-zero = Ligne { $field } ({ $a }) : la quantité doit être d'au moins 1.
problem-item-weight-exceeds-parcel = Les articles pèsent plus ({ $a } kg) que le colis ({ $b } kg).
problem-weight-zero = Le colis pèse 0 kg : veuillez saisir un poids sur les articles.
problem-dimension-zero = Une dimension du colis ({ $field }) vaut 0.
problem-option-missing = Aucune option d'expédition : la commande n'a pas de méthode d'expédition et aucune méthode par défaut n'est définie.
problem-option-unmapped = La méthode d'expédition { $a } de la commande n'est liée à aucune option : choisissez-en une sous Paramètres → correspondance des méthodes (ou lancez l'Abgleich des méthodes d'expédition).
problem-option-weight = Le poids du colis ({ $b } kg) ne convient pas à l'option { $a } ({ $c }–{ $d } kg).
problem-option-destination = L'option d'expédition { $a } ne livre pas en { $b }.
problem-service-point-missing = L'option d'expédition { $a } ne livre qu'en point relais : la commande n'a pas d'identifiant de point relais.
problem-hs-code-missing = Ligne { $field } ({ $a }) : un envoi hors UE exige un code SH : saisissez-le sur l'article ou par défaut dans les paramètres.
problem-origin-missing = Ligne { $field } ({ $a }) : un envoi hors UE exige le pays d'origine : saisissez-le sur l'article ou par défaut dans les paramètres.
problem-items-missing = Un envoi hors UE exige les articles de l'envoi.

# Action log facts of webhook refusals and integration events
log-webhook-refused = { $reason ->
        [credentials_bad_signature] Identifiants avec une signature invalide rejetés
        [credentials_not_waiting] Identifiants reçus alors qu’aucune connexion n’était attendue : rejetés
        [not_connected] Événement sans connexion (aucune clé enregistrée) rejeté
        [too_old] Événement d’intégration plus ancien que la fenêtre de rejeu rejeté
       *[other] Événement avec une signature invalide rejeté
    }. Les autres appels refusés jusqu’à { $until } sont seulement comptés.
log-webhook-stale = Événement périmé : un plus récent a déjà été appliqué ; non appliqué
log-integration-deleted = Intégration supprimée dans Sendcloud : connexion coupée, données conservées
log-integration-updated = Intégration mise à jour
log-integration-connected = Connecté (intégration { $integration })

## --- api
api-docs-title = API du plugin
api-docs-intro = L’interface pour le système hôte : JSON ou XML, authentifiée par un jeton hôte. Le document pour les outils :
api-docs-operations = Opérations
api-docs-parameters = Paramètres
api-docs-name = Nom
api-docs-in = Emplacement
api-docs-type = Type
api-docs-description = Description
api-docs-body = Requête
api-docs-answer = Réponse
api-docs-errors = Erreurs
api-docs-idempotent = Accepte une Idempotency-Key : une requête répétée reçoit la première réponse.
api-docs-schemas = Schémas
api-docs-required = Obligatoire
api-docs-codes = Codes d’erreur
api-docs-code = Code
## --- events
settings-order-push = Transmettre les commandes automatiquement
settings-order-push-enabled = Transmettre régulièrement à Sendcloud les commandes validées nouvelles et modifiées
settings-order-push-interval = Toutes les
settings-order-hold-field = Retenir une commande lorsque
settings-order-hold-marker = Marqueur
settings-order-hold-hint = Une commande retenue n’est pas transmise tant que le marqueur n’est pas retiré ou que la commande n’est pas payée ; « Envoyer » (ou « Renvoyer ») sous « Synchroniser les commandes » l’envoie tout de suite malgré tout.
settings-error-order-push-interval = Veuillez indiquer un nombre entier de 1 à 1440 minutes.
settings-error-order-hold-field = Veuillez choisir l’une des possibilités proposées.
settings-error-order-hold-marker = Veuillez indiquer un marqueur (1 à 64 caractères), p. ex. « #retenir ».
order-hold-none = jamais (transmettre toutes les commandes)
order-hold-remarks = la remarque contient le marqueur
order-hold-your-ref = « Votre référence » contient le marqueur
order-hold-unpaid = la commande n’est pas encore payée
orders-held = { $held } retenues
orders-recent = Commandes récentes
orders-recent-hold-hint = Les commandes retenues ne sont transmises qu’après leur libération ; « Envoyer » (ou « Renvoyer ») les transmet tout de suite.
orders-recent-none = Aucune commande validée et ouverte.
orders-col-number = Commande
orders-col-changed = Modifiée
orders-col-state = État
orders-col-pushed = Transmise
orders-send = Envoyer
orders-resend = Renvoyer
orders-resend-started = La commande est renvoyée à Sendcloud en arrière-plan.
orders-resend-unknown = Cette commande n’existe pas (ou plus) ou n’est pas validée et ouverte ; veuillez recharger la liste.
order-state-pushed = transmise
order-state-changed = modifiée depuis la transmission
order-state-new = pas encore transmise
order-state-held = retenue
events-title = Événements pour la gestion commerciale
events-hint = Le module signale chaque changement d’une étiquette (créée, statut modifié, livrée, en échec, annulée) à cette adresse par un webhook signé. Si elle est injoignable, rien n’est perdu : les événements sont renvoyés dans l’ordre.
events-url = Adresse du webhook (vide : aucun événement)
events-secret = Secret de signature (au moins 16 caractères ; laisser vide : inchangé)
events-secret-set = Un secret est enregistré.
events-secret-none = Pas de secret propre : signé avec le secret du jeton hôte.
events-secret-clear = Supprimer le secret enregistré
events-save = Enregistrer
events-saved = Réglages des événements enregistrés.
events-error-url = L’adresse du webhook doit être une adresse http ou https.
events-error-secret = Le secret doit comporter au moins 16 caractères.
events-pending = En attente
events-parked = Mis de côté
events-delivered = Remis
events-col-created = Créé
events-col-event = Événement
events-col-delivery = Livraison
events-col-attempts = Tentatives
events-col-error = Dernière erreur
events-retry = Renvoyer les événements mis de côté
events-requeued = { $n } événements seront renvoyés.
log-events-hook = Webhook des événements modifié
log-events-parked = Événement mis de côté après { $attempts } tentatives ; veuillez vérifier l’adresse du webhook et renvoyer sous « Notifications »
events-error-connect = Pas de connexion à l’adresse du webhook
events-error-timeout = Pas de réponse en 20 secondes
events-error-request = Échec de la requête
## --- labels
print-title = Imprimer
print-format = Format
print-format-a4 = PDF, A4 (quatre étiquettes par feuille)
print-format-a6 = PDF, A6 (une étiquette par page)
print-format-zpl = ZPL (imprimante d’étiquettes)
print-start = Position de départ sur la première feuille A4
print-start-1 = 1 (en haut à gauche)
print-start-2 = 2 (en haut à droite)
print-start-3 = 3 (en bas à gauche)
print-start-4 = 4 (en bas à droite)
print-button = Imprimer
print-reprint = Imprimer l’étiquette
print-problem-no-label = Livraison { $number } : pas encore d’étiquette, rien n’a été imprimé. Créez d’abord l’étiquette ou désélectionnez la livraison.
print-problem-cancelled = Livraison { $number } : l’étiquette est annulée et ne doit plus être utilisée, rien n’a été imprimé. Créez une nouvelle étiquette ou désélectionnez la livraison.
print-problem-unavailable = Livraison { $number } : l’étiquette n’est pas enregistrée et Sendcloud ne l’a pas fournie ({ $detail }), rien n’a été imprimé. Réessayez plus tard.
print-merge-failed = Les étiquettes n’ont pas pu être réunies en un seul document ({ $detail }). Imprimez-les une par une ou contactez le support.
problem-label-check = La livraison contient des données que Sendcloud refuserait (champ « { $field } ») ; Sendcloud n’a pas été appelé. Sendcloud → Logs indique ce qu’il faut corriger ; cliquez ensuite sur « Réessayer ».
