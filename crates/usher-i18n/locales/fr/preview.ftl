# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# L'aperçu de la caméra sur l'écran d'accueil ; sur la démo, ce que montre la caméra et pourquoi.

preview-demo-new = Démo : un nouveau laissez-passer : accepté
preview-demo-again = Démo : le même laissez-passer : déjà utilisé
preview-demo-expired = Démo : un laissez-passer périmé : expiré
preview-demo-other-key = Démo : signé par une autre clé : non valable ici
preview-demo-broken = Démo : un champ incorrect : laissez-passer non valable
preview-demo-not-a-pass = Démo : une adresse web, pas un laissez-passer
preview-demo-arabic = Démo : un nouveau laissez-passer, nom arabe : accepté
preview-demo-between = Démo : le prochain laissez-passer arrive bientôt
