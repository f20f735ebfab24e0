# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Words shared by the kiosk and the server.

language-name = العربية
i18n-example-people = { $count ->
    [zero] لا أحد
    [one] شخص واحد
    [two] شخصان
    [few] { $count } أشخاص
    [many] { $count } شخصًا
   *[other] { $count } شخص
}
