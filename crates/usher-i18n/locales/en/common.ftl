# Status: source text (English), written by the Usher developers.
# Words shared by the kiosk and the server. Keep them short and plain: they are read at a door.

language-name = English
# An example of a plural, used by the crate's own tests; keep it.
i18n-example-people = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
