# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The server's public pages: the visitor form, the pass page, and the errors a visitor may see.

web-language-menu = Langue

## The visitor form
web-form-title = Laissez-passer pour { $venue }
web-form-heading = { $venue } : obtenez votre laissez-passer
web-form-name = Nom
web-form-phone = Téléphone
web-form-email = E-mail
web-form-party = Combien de personnes entrent avec ce laissez-passer (vous et votre famille)
web-form-consent = J’accepte que { $venue } garde mon nom, mon téléphone et mon e-mail avec mes heures d’entrée pendant { $days } jours, pour me contacter si besoin.
web-form-submit = Obtenir mon laissez-passer

## The pass page
web-pass-title = Votre laissez-passer
web-pass-intro = Montrez ce code à l’entrée. Enregistrez l’image ou faites une capture d’écran.
web-pass-image = Votre laissez-passer
web-pass-save = Enregistrer dans les photos
web-pass-text = Texte du laissez-passer
web-pass-caption-party = { $name } · pour { $count }

## What a visitor is told when the form is not right
web-error-too-long = { $field ->
    [name] Le nom est trop long ({ $max } caractères au plus).
    [phone] Le numéro de téléphone est trop long ({ $max } caractères au plus).
   *[email] L’adresse e-mail est trop longue ({ $max } caractères au plus).
}
web-error-characters = { $field ->
    [name] Le nom contient des caractères non autorisés.
    [phone] Le numéro de téléphone contient des caractères non autorisés.
   *[email] L’adresse e-mail contient des caractères non autorisés.
}
web-error-too-big = { $field ->
    [name] Le nom est trop long pour tenir dans un laissez-passer avec les autres informations. Merci de le raccourcir.
    [phone] Le numéro de téléphone est trop long pour tenir dans un laissez-passer avec les autres informations. Merci de le raccourcir.
   *[email] L’adresse e-mail est trop longue pour tenir dans un laissez-passer avec les autres informations. Merci de la raccourcir.
}
web-error-party = Le nombre de personnes doit être un nombre entier de 1 à { $largest }.
web-error-name = Merci d’indiquer votre nom.
web-error-phone = Le numéro de téléphone ne semble pas correct.
web-error-email = L’adresse e-mail ne semble pas correcte.
web-error-contact = Merci d’indiquer un numéro de téléphone ou une adresse e-mail.
web-error-consent = Merci de cocher la case de consentement.
web-error-too-many = Trop de laissez-passer demandés depuis cette adresse. Attendez une minute et réessayez.

## Error pages
web-error-title = Erreur
web-error-home = Retour à la première page
web-error-internal = Un problème est survenu sur le serveur.
web-error-not-found = Cette page n’existe pas.
web-error-method = Cette page ne s’utilise pas ainsi.
web-error-forwarded = L’en-tête X-Forwarded-For ne peut pas être lu.
web-error-expired-form = Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.
