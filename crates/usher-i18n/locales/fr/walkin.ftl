# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Le formulaire du bénévole pour un visiteur sans laissez-passer, et le code « inscrivez-vous sur votre téléphone ».

walkin-button = Sans laissez-passer
walkin-title = Enregistrer un visiteur sans laissez-passer
walkin-name = Nom (obligatoire)
walkin-phone = Téléphone (facultatif)
walkin-email = E-mail (facultatif)
walkin-party = Nombre de personnes
walkin-submit = Enregistrer
walkin-cancel = Annuler
walkin-error-no-name = Veuillez saisir le nom du visiteur.
walkin-error-bad-name = Le nom est trop long ou contient un caractère non accepté.
walkin-error-bad-phone = Ce n'est pas un numéro de téléphone.
walkin-error-bad-email = Ce n'est pas une adresse e-mail.
walkin-register = Pas de laissez-passer ? Scannez ce code pour vous inscrire sur votre téléphone.
