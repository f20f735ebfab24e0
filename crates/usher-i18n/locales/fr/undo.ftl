# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# L'annulation du bénévole : les derniers passages à cette borne, par heure et prénom, chacun annulable.

undo-button = Annuler un passage
undo-title = Passages des { $minutes } dernières minutes
undo-none = Aucun passage à annuler.
undo-no-name = (sans nom)
undo-void = Annuler
undo-back = Retour
