# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Le comptage : +1 / −1 pour les personnes comptées sans aucun enregistrement (enfants, équipe).

tally-plus = +1
tally-minus = −1
tally-uncounted = Comptés sans nom
tally-entrance = Entrée
tally-people = Personnes
tally-count = Comptés sans nom : { $count }
tally-inside-total = { $count } à l'intérieur en tout, dont { $uncounted } comptés sans nom.
