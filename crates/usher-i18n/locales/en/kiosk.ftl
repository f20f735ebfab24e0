# Status: source text (English), written by the Usher developers.
# The kiosk's words: its built-in screens, status line, party prompt, PIN pad and panels.
# Keep them short and plain: they are read at a door, by visitors, volunteers and admins.

## The built-in screens, one per screen of the screens folder (ids end with the screen's
## name). A venue's screens/NAME.txt or screens/LANG/NAME.txt replaces one. Every screen's
## message gets the variables $name (the visitor's name), $time (HH:MM), $expiry,
## $first_used and $first_device (empty when the pass has none); the first line is drawn
## larger.

kiosk-screen-ready = Show your pass to the camera
kiosk-screen-qr_accepted =
    Welcome { $name }
    Signed in at { $time }
kiosk-screen-qr_used =
    This pass was already used
    first used { $first_used } on { $first_device }
kiosk-screen-qr_expired =
    This pass has expired
    { $expiry }
kiosk-screen-qr_not_authorized = This pass is not valid here
kiosk-screen-qr_invalid = This code is not a valid pass
kiosk-screen-qr_missing_parameters = This code is not an Usher pass
kiosk-screen-qr_goodbye = Goodbye { $name }
kiosk-screen-qr_full =
    We are full
    Please ask a volunteer
kiosk-screen-qr_too_early = Too early for this event
    Doors open at { $opens }

## A verdict's short name, in the admin panel's counts of today.

kiosk-verdict-qr_accepted = Accepted
kiosk-verdict-qr_used = Already used
kiosk-verdict-qr_expired = Expired
kiosk-verdict-qr_not_authorized = Not valid here
kiosk-verdict-qr_invalid = Not a valid pass
kiosk-verdict-qr_missing_parameters = Not a pass
kiosk-verdict-qr_goodbye = Goodbye
kiosk-verdict-qr_full = Full
kiosk-verdict-qr_too_early = Too early

## The ready screen's status line, part by part.

kiosk-status-signed-in = { $count } signed in today
kiosk-status-inside = inside: { $entrance } { $here }, venue { $venue }
# After the inside figures when offline: how old the venue's figures from the server are.
kiosk-status-venue-as-of = (venue as of { $age })
kiosk-status-online = online
kiosk-status-offline = offline
kiosk-status-sync = { $state }, { $count } waiting
kiosk-status-sync-uploaded = { $state }, { $count } waiting, last upload { $time }
kiosk-age-now = just now
kiosk-age-minutes = { $minutes } min ago
kiosk-age-hours = { $hours } h { $minutes } min ago
kiosk-notice-demo = demo feed
kiosk-notice-demo-no-camera = demo feed: no camera found
kiosk-camera-lost = Camera lost ({ $camera }): reconnecting…

## Buttons on the screens.

# Shown when the mouse rests on the ready screen's language button.
kiosk-language-hint = Language
# Shown when the mouse rests on the corner button that opens the PIN pad.
kiosk-admin-hint = Admin
kiosk-party-question = How many of you are here?
kiosk-party-default = No answer: { $count }
kiosk-admit-anyway = Admit anyway

## The PIN pad.

kiosk-pin-title = PIN
kiosk-pin-enter = Enter the admin PIN
kiosk-pin-enter-volunteer = Enter the volunteer PIN to admit over capacity
kiosk-pin-enter-any = Enter the admin or volunteer PIN
kiosk-pin-wrong = Wrong PIN
kiosk-pin-locked = Too many wrong PINs: wait { $seconds } s
kiosk-pin-ok = OK
kiosk-pin-cancel = Cancel

## The admin panel.

kiosk-admin-title = Admin
kiosk-admin-device = Device id: { $id }
kiosk-admin-camera = Camera in use: { $camera }
kiosk-admin-switch-camera = Switch camera:
kiosk-admin-today = Today
kiosk-admin-today-count = { $verdict }: { $count }
kiosk-admin-last-scans = Last scans
kiosk-admin-waiting = Waiting for upload: { $count }
kiosk-admin-contact = Contact details waiting: { $protection }
kiosk-admin-contact-organiser = sealed to the organiser's key
kiosk-admin-contact-local = kept under the local key in { $file }
kiosk-admin-contact-memory = kept under a key held in memory only
kiosk-admin-clock-behind = the kiosk clock is { $minutes } minutes behind the server's
kiosk-admin-clock-ahead = the kiosk clock is { $minutes } minutes ahead of the server's
kiosk-admin-clock-floor = the kiosk keeps its time at least { $minutes } minutes ahead of this computer's clock (the latest time it saw); if this computer's clock is right, trust it
kiosk-admin-warning = Warning: { $warning }
kiosk-admin-standalone = Standalone: no server configured (sign-ins stay on this kiosk)
kiosk-admin-server-online = Server: online
kiosk-admin-server-offline = Server: offline
kiosk-admin-last-upload = Last upload: { $time }
kiosk-admin-sync-problem = Last sync problem: { $problem }
kiosk-admin-clock = Clock: { $warning }
kiosk-admin-refused = Refused by the server ({ $count })
kiosk-admin-double-uses = Double uses ({ $count })
kiosk-admin-panics = Decoder panics caught: { $count }
kiosk-admin-use-camera = Use camera
kiosk-admin-reload = Reload screens
kiosk-admin-test-sound = Test sound
kiosk-admin-fullscreen = Full screen
kiosk-admin-leave-fullscreen = Leave full screen
kiosk-admin-quit = Quit
kiosk-admin-close = Close
kiosk-admin-trust-clock = Trust this computer's clock
kiosk-admin-volunteer = Volunteer panel

## The volunteer's panel and the roll call.

kiosk-volunteer-title = Volunteer
kiosk-volunteer-roll-call = Roll call
kiosk-volunteer-admit = Admit over capacity
kiosk-volunteer-back = Back
kiosk-volunteer-close = Close
kiosk-roll-call-title = Roll call
kiosk-roll-call-heading = { $entrance }: { $count } inside
kiosk-roll-call-no-name = (no name)
kiosk-roll-call-total = { $people } inside on { $passes } passes
