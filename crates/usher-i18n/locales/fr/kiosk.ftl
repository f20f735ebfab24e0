# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The kiosk's words: its built-in screens, status line, party prompt, PIN pad and panels.

kiosk-screen-ready = Présentez votre pass à la caméra
kiosk-screen-qr_accepted =
    Bienvenue { $name }
    Entrée enregistrée à { $time }
kiosk-screen-qr_used =
    Ce pass a déjà été utilisé
    première utilisation le { $first_used } sur { $first_device }
kiosk-screen-qr_expired =
    Ce pass a expiré
    { $expiry }
kiosk-screen-qr_not_authorized = Ce pass n’est pas valable ici
kiosk-screen-qr_invalid = Ce code n’est pas un pass valable
kiosk-screen-qr_missing_parameters = Ce code n’est pas un pass Usher
kiosk-screen-qr_goodbye = Au revoir { $name }
kiosk-screen-qr_full =
    C’est complet
    Veuillez vous adresser à un bénévole
kiosk-screen-qr_too_early = Trop tôt pour cet événement
    Ouverture des portes à { $opens }

kiosk-verdict-qr_accepted = Accepté
kiosk-verdict-qr_used = Déjà utilisé
kiosk-verdict-qr_expired = Expiré
kiosk-verdict-qr_not_authorized = Non valable ici
kiosk-verdict-qr_invalid = Pass non valable
kiosk-verdict-qr_missing_parameters = Pas un pass
kiosk-verdict-qr_goodbye = Au revoir
kiosk-verdict-qr_full = Complet
kiosk-verdict-qr_too_early = Trop tôt

kiosk-status-signed-in = { $count } entrées aujourd’hui
kiosk-status-inside = à l’intérieur : { $entrance } { $here }, lieu { $venue }
kiosk-status-venue-as-of = (lieu : { $age })
kiosk-status-online = en ligne
kiosk-status-offline = hors ligne
kiosk-status-sync = { $state }, { $count } en attente
kiosk-status-sync-uploaded = { $state }, { $count } en attente, dernier envoi { $time }
kiosk-age-now = à l’instant
kiosk-age-minutes = il y a { $minutes } min
kiosk-age-hours = il y a { $hours } h { $minutes } min
kiosk-notice-demo = démonstration
kiosk-notice-demo-no-camera = démonstration : aucune caméra trouvée
kiosk-camera-lost = Caméra perdue ({ $camera }) : reconnexion…

kiosk-language-hint = Langue
kiosk-admin-hint = Administration
kiosk-party-question = Combien êtes-vous ?
kiosk-party-default = Sans réponse : { $count }
kiosk-admit-anyway = Entrer quand même

kiosk-pin-title = Code
kiosk-pin-enter = Saisissez le code administrateur
kiosk-pin-enter-volunteer = Saisissez le code bénévole pour dépasser la capacité
kiosk-pin-enter-any = Saisissez le code administrateur ou bénévole
kiosk-pin-wrong = Code incorrect
kiosk-pin-locked = Trop de codes incorrects : attendez { $seconds } s
kiosk-pin-ok = OK
kiosk-pin-cancel = Annuler

kiosk-admin-title = Administration
kiosk-admin-device = Identifiant de l’appareil : { $id }
kiosk-admin-camera = Caméra utilisée : { $camera }
kiosk-admin-switch-camera = Changer de caméra :
kiosk-admin-today = Aujourd’hui
kiosk-admin-today-count = { $verdict } : { $count }
kiosk-admin-last-scans = Derniers passages
kiosk-admin-waiting = En attente d’envoi : { $count }
kiosk-admin-contact = Coordonnées en attente : { $protection }
kiosk-admin-contact-organiser = scellées avec la clé de l’organisateur
kiosk-admin-contact-local = gardées sous la clé locale dans { $file }
kiosk-admin-contact-memory = gardées sous une clé en mémoire seulement
kiosk-admin-clock-behind = l’horloge du kiosque retarde de { $minutes } minutes sur celle du serveur
kiosk-admin-clock-ahead = l’horloge du kiosque avance de { $minutes } minutes sur celle du serveur
kiosk-admin-clock-floor = le kiosque garde son heure au moins { $minutes } minutes en avance sur l’horloge de cet ordinateur (la dernière heure vue) ; si l’horloge de cet ordinateur est juste, faites-lui confiance
kiosk-admin-warning = Avertissement : { $warning }
kiosk-admin-standalone = Autonome : aucun serveur configuré (les entrées restent sur ce kiosque)
kiosk-admin-server-online = Serveur : en ligne
kiosk-admin-server-offline = Serveur : hors ligne
kiosk-admin-last-upload = Dernier envoi : { $time }
kiosk-admin-sync-problem = Dernier problème de synchronisation : { $problem }
kiosk-admin-clock = Horloge : { $warning }
kiosk-admin-refused = Refusées par le serveur ({ $count })
kiosk-admin-double-uses = Doubles utilisations ({ $count })
kiosk-admin-panics = Erreurs du décodeur évitées : { $count }
kiosk-admin-use-camera = Utiliser la caméra
kiosk-admin-reload = Recharger les écrans
kiosk-admin-test-sound = Tester le son
kiosk-admin-fullscreen = Plein écran
kiosk-admin-leave-fullscreen = Quitter le plein écran
kiosk-admin-quit = Quitter
kiosk-admin-close = Fermer
kiosk-admin-trust-clock = Faire confiance à l’horloge de cet ordinateur
kiosk-admin-volunteer = Panneau bénévole

kiosk-volunteer-title = Bénévole
kiosk-volunteer-roll-call = Liste des présents
kiosk-volunteer-admit = Faire entrer au-delà de la capacité
kiosk-volunteer-back = Retour
kiosk-volunteer-close = Fermer
kiosk-roll-call-title = Liste des présents
kiosk-roll-call-heading = { $entrance } : { $count } à l’intérieur
kiosk-roll-call-no-name = (sans nom)
kiosk-roll-call-total = { $people } à l’intérieur, { $passes } pass
