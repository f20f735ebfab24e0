# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The server's admin pages: the menu, sign-ins, finding and tracing, the door's pages, kiosks,
# the team, the status page, logging in, and the CSV files' header lines.

## The menu
admin-menu = Menu d’administration
admin-nav-signins = Entrées
admin-nav-inside = Présents
admin-nav-roll-call = Appel
admin-nav-find = Trouver une personne
admin-nav-trace = Qui était là
admin-nav-kiosks = Bornes
admin-nav-double-uses = Doubles usages
admin-nav-audit = Journal d’audit
admin-nav-team = Équipe
admin-nav-status = État
admin-nav-logout = Déconnecter { $name } ({ $role })

## Roles (the value stored stays English; this is what is shown)
admin-role-viewer = lecteur
admin-role-tracer = traceur
admin-role-admin = administrateur

## Table columns
admin-col-signed-in = Entrée
admin-col-left = Sortie
admin-col-entrance = Porte
admin-col-people = Personnes
admin-col-kiosk = Borne
admin-col-name = Nom
admin-col-phone = Téléphone
admin-col-email = E-mail
admin-col-enrolled = Inscrite
admin-col-last-seen = Dernier contact
admin-col-state = État
admin-col-actions = Actions
admin-col-last-upload = Dernier envoi
admin-col-last-contact = Dernier contact
admin-col-people-inside = Personnes présentes
admin-col-passes = Laissez-passer
admin-col-inside-since = Présent depuis
admin-col-quarter = Quart d’heure (UTC)
admin-col-arrivals = Arrivées
admin-col-most-inside = Maximum présent
admin-col-day = Jour
admin-col-signins = Entrées
admin-col-left-scanned = Sorties (scannées)
admin-col-auto = Sorties automatiques
admin-col-no-exit = Sortie inconnue
admin-col-average = Durée moyenne (scannée)
admin-col-when = Quand
admin-col-who = Qui
admin-col-what = Quoi
admin-col-details = Détails
admin-col-pass = Laissez-passer
admin-col-first = Première fois
admin-col-first-kiosk = Première borne
admin-col-again = De nouveau
admin-col-role = Rôle
admin-col-status = Statut
admin-col-signins-24h = Entrées en 24 h
admin-col-newest = Dernière entrée
admin-total = Total
admin-the-day = La journée

## How a stay ended
admin-left-exit = sortie scannée
admin-left-auto = estimation : sortie automatique
admin-left-default = estimation : sortie inconnue, durée par défaut

## Times
admin-never = jamais
admin-ago-minutes = { $when } (il y a { $minutes } min)
admin-ago-hours = { $when } (il y a { $hours } h { $minutes } min)
admin-minutes = { $minutes } min

## Errors
admin-error-query = Requête incorrecte.
admin-error-day = Indiquez le jour sous la forme AAAA-MM-JJ.
admin-error-dates = Indiquez les dates sous la forme AAAA-MM-JJ.
admin-error-search-by = Cherchez par nom, téléphone ou e-mail.
admin-error-nothing = Rien à chercher.
admin-error-minutes = Les minutes doivent être un nombre de 0 à 1440.
admin-error-export = Exportez what=day ou what=trace.
admin-error-kiosk-name = Donnez à la borne un nom de 1 à 100 caractères.
admin-error-no-kiosk = Aucune borne active de ce numéro.
admin-error-device-token = Les pages d’administration demandent une connexion, pas un jeton de borne.
admin-error-role = Votre rôle ({ $role ->
        [viewer] { admin-role-viewer }
        [tracer] { admin-role-tracer }
       *[admin] { admin-role-admin }
    }) n’ouvre pas cette page. Demandez à un administrateur si vous en avez besoin.
admin-error-busy = Le serveur est occupé. Attendez un instant et réessayez.
admin-error-logins = Trop de tentatives de connexion depuis cette adresse. Attendez une minute et réessayez.
admin-error-attempts = Trop de tentatives depuis cette adresse. Attendez une minute et réessayez.
admin-error-hash = Le mot de passe n’a pas pu être chiffré.
admin-error-link = Le lien n’a pas pu être créé.
admin-error-invalid = { $field ->
    [name] Le nom n’est pas valide.
    [email] L’e-mail n’est pas valide.
   *[role] Le rôle n’est pas valide.
}
admin-error-member-exists = Un membre avec cet e-mail existe déjà.
admin-error-last-admin = C’est le dernier administrateur : nommez d’abord un autre membre administrateur.
admin-error-no-member = Ce membre n’existe pas.

## Sign-ins of a day, finding a person, who was here
admin-day-title = Entrées du { $day }
admin-export-csv = Exporter en CSV
admin-find-title = Trouver une personne
admin-search-by = Chercher par
admin-search-name = nom
admin-search-phone = téléphone
admin-search-email = e-mail
admin-search-exactly = Exactement
admin-search-from = Du
admin-search-to = Au
admin-search-submit = Chercher
admin-find-count = { $count } entrées.
admin-trace-title = Qui était là
admin-trace-within = À moins de (minutes)
admin-trace-stay = Durée d’une visite, en minutes
admin-trace-note = Une visite va de l’entrée à la sortie. Les sorties fermées automatiquement par les bornes, et les visites sans sortie connue (comptées avec la durée ci-dessus), sont des estimations et sont marquées comme telles.
admin-trace-visits = Visites ({ $count })
admin-trace-others = Autres personnes présentes ({ $count })

## CSV files: the header line (keep the commas: one name per column)
admin-csv-signins = entree_utc,borne,nom,telephone,email,sortie_utc,sortie,porte,personnes
admin-csv-roll-call = porte,nom,telephone,present_depuis_utc,borne,personnes

## Audit log and double uses
admin-audit-title = Journal d’audit
admin-audit-server = (serveur)
admin-double-title = Doubles usages
admin-double-intro = Laissez-passer acceptés à deux bornes (par exemple toutes deux hors ligne à ce moment).

## Kiosks
admin-kiosks-title = Bornes
admin-kiosks-new = Nom de la nouvelle borne
admin-kiosks-enrol = Inscrire une borne
admin-kiosks-key = Clé publique de l’organisateur
admin-kiosks-download = Télécharger
admin-kiosk-active = active
admin-kiosk-revoked = révoquée le { $when }
admin-kiosk-revoked-short = révoquée
admin-kiosk-revoke = Révoquer
admin-enrolled-title = Borne inscrite
admin-enrolled-intro = La borne { $name } est inscrite. Scannez ce code avec l’écran d’administration de la borne, ou collez le texte. Il n’est montré qu’une fois.
admin-enrolled-image = Code d’inscription
admin-enrolled-back = Retour aux bornes

## The door's pages
admin-kiosks-offline = Une borne qui n’a rien envoyé depuis un moment est peut-être hors ligne : les personnes qu’elle a fait entrer ou sortir depuis ne sont pas encore comptées ici.
admin-inside-title = Présents
admin-inside-as-of = À { $when } (la page se recharge toutes les { $seconds } secondes).
admin-inside-as-of-still = À { $when }.
admin-inside-start = Recharger toutes les { $seconds } secondes
admin-inside-stop = Arrêter le rechargement
admin-csv = CSV
admin-roll-title = Appel
admin-roll-as-of = À { $when } : { $people } personnes présentes avec { $passes } laissez-passer.
admin-roll-print = Imprimez cette page avec la commande Imprimer du navigateur.
admin-roll-nobody = Personne n’est présent.
admin-roll-entrance = { $entrance } : { $people } personnes
admin-roll-kiosks = Derniers envois des bornes
admin-glance-day = Jour
admin-glance-show = Afficher
admin-glance-title = Le { $day } en un coup d’œil
admin-glance-intro = Par porte : les barres sont les personnes entrées à chaque quart d’heure, la ligne le maximum présent à la fois. Heures en UTC.
admin-glance-none = Aucune entrée ce jour-là.
admin-glance-chart = { $entrance }, { $day } : arrivées par quart d’heure et maximum présent à la fois
admin-days-title = Entrées par jour
admin-days-intro = Les entrées sont gardées { $days } jours. Jours en UTC. Une visite se termine par une sortie scannée à une borne, ou par une sortie automatique (une estimation).
admin-signins-title = Entrées

## The team
admin-team-title = Équipe
admin-team-roles = Rôles : { $admin } (tout), { $tracer } (trouver, tracer, exporter, journal d’audit), { $viewer } (comptes, présents, événements ; pas de coordonnées).
admin-member-disabled = désactivé
admin-member-invited = invité
admin-member-active = actif
admin-team-role-for = Rôle de { $name }
admin-team-change = Changer
admin-team-new-link = Nouveau lien
admin-team-disable = Désactiver
admin-team-invite-title = Inviter un membre
admin-team-invite = Inviter
admin-team-invite-note = L’invitation est un lien, valable 24 heures et une seule fois : transmettez-le vous-même (aucun e-mail n’est envoyé). Un nouveau lien annule les anciens ; désactiver met fin à toutes les sessions aussitôt.
admin-team-link = Lien pour { $name }, montré une seule fois (24 heures, usage unique) :

## The status page
admin-status-title = État
admin-status-server = Serveur
admin-status-version = Version
admin-status-database = Base de données
admin-status-answered = { $backend }, réponse en { $ms } ms
admin-status-signins = Entrées enregistrées
admin-status-disk = Disque (dossier de données)
admin-status-free = { $free } libres sur { $total }
admin-status-unknown = inconnu ({ $error })
admin-status-retention-run = Purge de conservation, dernier passage
admin-status-started = commencée le { $when }, { $end }
admin-status-finished = terminée le { $when } : purgé { $detail }
admin-status-unfinished = pas terminée
admin-status-retention = Durée de conservation
admin-status-days = { $days } jours
admin-status-kiosks = La file d’attente de chaque borne (entrées en attente, refus mis de côté) est sur son panneau d’administration ; voici ce qui est arrivé au serveur.

## Logging in and setting a password
admin-login-title = Connexion administrateur
admin-login-email = E-mail
admin-login-password = Mot de passe
admin-login-submit = Se connecter
admin-login-recover = Choisir un mot de passe avec un code de récupération
admin-login-wrong = E-mail ou mot de passe incorrect.
admin-recover-title = Choisir un mot de passe
admin-recover-intro = Saisissez le code à usage unique (du lien qu’un administrateur vous a donné, ou affiché par { $command }) et un nouveau mot de passe (au moins { $min } caractères).
admin-recover-code = Code de récupération
admin-recover-new = Nouveau mot de passe
admin-recover-again = Encore une fois
admin-recover-submit = Enregistrer le mot de passe
admin-recover-short = Le mot de passe est trop court.
admin-recover-long = Le mot de passe est trop long.
admin-recover-differ = Les deux mots de passe sont différents.
admin-recover-wrong = Ce code de récupération est faux, déjà utilisé ou expiré.
