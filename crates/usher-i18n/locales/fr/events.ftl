# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Événements et réservations (DESIGN §9).

## Le formulaire et la page de réservation
events-open-title = Événements ouverts à la réservation
events-when = { $starts } à { $ends }
events-places-left = { $left ->
    [0] { $entrance } : complet
    [one] { $entrance } : { $left } place restante
   *[other] { $entrance } : { $left } places restantes
}
events-book-link = Réserver des places
events-book-title = Réserver des places : { $event }
events-field-name = Nom
events-field-phone = Téléphone
events-field-email = E-mail
events-field-party = Combien de places (vous et votre famille)
events-field-entrance = Entrée
events-consent = J’accepte que { $venue } garde mon nom, mon téléphone et mon e-mail avec cette réservation jusqu’à la fin de l’événement, et avec mes heures d’entrée pendant { $days } jours, pour me contacter si besoin.
events-book-button = Réserver mes places
events-not-open = Cet événement ne prend pas de réservations.
events-too-many = Trop de réservations depuis cette adresse. Attendez une minute et réessayez.
events-error-entrance = Veuillez choisir une entrée de cet événement.
events-error-too-long = Le nom est trop long pour tenir sur un passe. Veuillez le raccourcir.
events-doors-open = Ouverture des portes à { $time }.
events-booked = { $places ->
    [one] 1 place à l’entrée { $entrance }. Votre réservation : { $reservation }.
   *[other] { $places } places à l’entrée { $entrance }. Votre réservation : { $reservation }.
}
events-full-title = L’événement est complet
events-full = { $left ->
    [0] Désolé, l’événement est complet : il ne reste aucune place à l’entrée { $entrance }.
    [one] Désolé, l’événement est complet pour un groupe de cette taille : il reste 1 place à l’entrée { $entrance }.
   *[other] Désolé, l’événement est complet pour un groupe de cette taille : il reste { $left } places à l’entrée { $entrance }.
}

## Les pages d’administration
events-admin-title = Événements
events-none = Aucun événement pour l’instant.
events-new = Nouvel événement
events-edit = Modifier cet événement
events-create = Créer l’événement
events-save = Enregistrer les modifications
events-close = Fermer les réservations
events-csv = Réservations (CSV)
events-no-such = Cet événement n’existe pas.
events-times-utc = Les heures sont en UTC. Les réservations ouvrent maintenant et ferment à la fin, sauf si vous les fixez.
events-label-name = Nom
events-label-starts = Début
events-label-ends = Fin
events-label-opens = Ouverture des réservations
events-label-closes = Fermeture des réservations
events-label-largest = Groupe le plus grand
events-label-grace = Les portes ouvrent ce nombre de minutes avant le début
events-label-entrances = Entrées, une par ligne : nom et places (brothers 100)
events-error-field = Veuillez vérifier le champ « { $field } ».
events-error-order = « { $field } » doit venir après l’heure qui le précède.
events-status-open = ouvert à la réservation
events-status-not-yet = réservations pas encore ouvertes
events-status-booking-over = réservations fermées
events-status-closed = fermé par un administrateur
events-status-over = terminé
events-col-event = Événement
events-col-when = Quand
events-col-booked = Réservé
events-col-status = État
events-col-entrance = Entrée
events-col-places = Places
events-col-left = Restant
events-col-arrived = Arrivés
events-col-elsewhere = Dont réservés pour une autre entrée
events-total = Total
events-parties = { $count ->
    [0] 0 réservation
    [one] 1 réservation
   *[other] { $count } réservations
}
events-as-of = État à { $time } (la page se recharge toutes les { $seconds } secondes).
