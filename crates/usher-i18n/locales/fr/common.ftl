# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Words shared by the kiosk and the server.

language-name = Français
i18n-example-people = { $count ->
    [one] { $count } personne
   *[other] { $count } personnes
}
