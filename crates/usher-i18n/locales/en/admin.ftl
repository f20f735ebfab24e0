# Status: source text (English), written by the Usher developers.
# The server's admin pages: the menu, sign-ins, finding and tracing, the door's pages, kiosks,
# the team, the status page, logging in, and the CSV files' header lines.

## The menu
admin-menu = Admin menu
admin-nav-signins = Sign-ins
admin-nav-inside = Inside now
admin-nav-roll-call = Roll call
admin-nav-find = Find a person
admin-nav-trace = Who was here
admin-nav-kiosks = Kiosks
admin-nav-double-uses = Double uses
admin-nav-audit = Audit log
admin-nav-team = Team
admin-nav-status = Status
admin-nav-logout = Log out { $name } ({ $role })

## Roles (the value stored stays English; this is what is shown)
admin-role-viewer = viewer
admin-role-tracer = tracer
admin-role-admin = admin

## Table columns
admin-col-signed-in = Signed in
admin-col-left = Left
admin-col-entrance = Entrance
admin-col-people = People
admin-col-kiosk = Kiosk
admin-col-name = Name
admin-col-phone = Phone
admin-col-email = E-mail
admin-col-enrolled = Enrolled
admin-col-last-seen = Last seen
admin-col-state = State
admin-col-actions = Actions
admin-col-last-upload = Last upload
admin-col-last-contact = Last contact
admin-col-people-inside = People inside
admin-col-passes = Passes
admin-col-inside-since = Inside since
admin-col-quarter = Quarter hour (UTC)
admin-col-arrivals = Arrivals
admin-col-most-inside = Most inside
admin-col-day = Day
admin-col-signins = Sign-ins
admin-col-left-scanned = Left (scanned)
admin-col-auto = Signed out automatically
admin-col-no-exit = No exit known
admin-col-average = Average stay (scanned)
admin-col-when = When
admin-col-who = Who
admin-col-what = What
admin-col-details = Details
admin-col-pass = Pass
admin-col-first = First
admin-col-first-kiosk = First kiosk
admin-col-again = Again
admin-col-role = Role
admin-col-status = Status
admin-col-signins-24h = Sign-ins in 24 h
admin-col-newest = Newest sign-in
admin-total = Total
admin-the-day = The day

## How a stay ended
admin-left-exit = exit scanned
admin-left-auto = estimate: automatic sign-out
admin-left-default = estimate: no exit known, default stay

## Times
admin-never = never
admin-ago-minutes = { $when } ({ $minutes } min ago)
admin-ago-hours = { $when } ({ $hours } h { $minutes } min ago)
admin-minutes = { $minutes } min

## Errors
admin-error-query = Bad query.
admin-error-day = Give the day as YYYY-MM-DD.
admin-error-dates = Give dates as YYYY-MM-DD.
admin-error-search-by = Search by name, phone or email.
admin-error-nothing = Nothing to search for.
admin-error-minutes = Minutes must be a number from 0 to 1440.
admin-error-export = Export what=day or what=trace.
admin-error-kiosk-name = Give the kiosk a name of 1 to 100 characters.
admin-error-no-kiosk = No such active kiosk.
admin-error-device-token = Admin pages need an admin login, not a device token.
admin-error-role = Your role ({ $role ->
        [viewer] { admin-role-viewer }
        [tracer] { admin-role-tracer }
       *[admin] { admin-role-admin }
    }) does not open this page. Ask an admin if you need it.
admin-error-busy = The server is busy. Wait a moment and try again.
admin-error-logins = Too many login attempts from this address. Wait a minute and try again.
admin-error-attempts = Too many attempts from this address. Wait a minute and try again.
admin-error-hash = Could not hash the password.
admin-error-link = Could not make a link.
admin-error-invalid = { $field ->
    [name] The name is not valid.
    [email] The e-mail is not valid.
   *[role] The role is not valid.
}
admin-error-member-exists = A member with that e-mail exists already.
admin-error-last-admin = That is the last admin: make another member an admin first.
admin-error-no-member = No such member.

## Sign-ins of a day, finding a person, who was here
admin-day-title = Sign-ins on { $day }
admin-export-csv = Export CSV
admin-find-title = Find a person
admin-search-by = Search by
admin-search-name = name
admin-search-phone = phone
admin-search-email = e-mail
admin-search-exactly = Exactly
admin-search-from = From
admin-search-to = To
admin-search-submit = Search
admin-find-count = { $count } sign-ins.
admin-trace-title = Who was here
admin-trace-within = Within minutes
admin-trace-stay = Stay length, minutes
admin-trace-note = A stay runs from the sign-in to the exit. Exits the kiosks closed automatically, and stays with no exit known (which count as the stay length above), are estimates and are marked so.
admin-trace-visits = Visits ({ $count })
admin-trace-others = Others there ({ $count })

## CSV files: the header line (keep the commas: one name per column)
admin-csv-signins = signed_in_utc,kiosk,name,phone,email,left_utc,left,entrance,heads
admin-csv-roll-call = entrance,name,phone,inside_since_utc,kiosk,heads

## Audit log and double uses
admin-audit-title = Audit log
admin-audit-server = (server)
admin-double-title = Double uses
admin-double-intro = Passes accepted at two kiosks (e.g. both offline at the time).

## Kiosks
admin-kiosks-title = Kiosks
admin-kiosks-new = New kiosk name
admin-kiosks-enrol = Enrol a kiosk
admin-kiosks-key = Organiser public key
admin-kiosks-download = Download
admin-kiosk-active = active
admin-kiosk-revoked = revoked { $when }
admin-kiosk-revoked-short = revoked
admin-kiosk-revoke = Revoke
admin-enrolled-title = Kiosk enrolled
admin-enrolled-intro = Kiosk { $name } is enrolled. Scan this code with the kiosk's admin screen, or paste the text. It is shown only once.
admin-enrolled-image = Enrolment code
admin-enrolled-back = Back to kiosks

## The door's pages
admin-kiosks-offline = A kiosk that has not uploaded for a while may be offline: the people it let in or out since then are not in these figures yet.
admin-inside-title = Inside now
admin-inside-as-of = As of { $when } (the page reloads every { $seconds } seconds).
admin-inside-as-of-still = As of { $when }.
admin-inside-start = Reload every { $seconds } seconds
admin-inside-stop = Stop reloading
admin-csv = CSV
admin-roll-title = Roll call
admin-roll-as-of = As of { $when }: { $people } people inside on { $passes } passes.
admin-roll-print = Print this page with the browser's Print command.
admin-roll-nobody = Nobody is inside.
admin-roll-entrance = { $entrance }: { $people } people
admin-roll-kiosks = Kiosks' last uploads
admin-glance-day = Day
admin-glance-show = Show
admin-glance-title = { $day } at a glance
admin-glance-intro = Per entrance: bars are the people who came in each quarter hour, the line the most inside at once. Times are UTC.
admin-glance-none = No sign-ins on this day.
admin-glance-chart = { $entrance }, { $day }: arrivals per quarter hour and the most inside at once
admin-days-title = Sign-ins by day
admin-days-intro = Sign-ins are kept { $days } days. Days are UTC. A stay ends with an exit scanned at a kiosk, or an automatic sign-out (an estimate).
admin-signins-title = Sign-ins

## The team
admin-team-title = Team
admin-team-roles = Roles: { $admin } (everything), { $tracer } (find, trace, export, audit log), { $viewer } (counts, inside now, events; no contact data).
admin-member-disabled = disabled
admin-member-invited = invited
admin-member-active = active
admin-team-role-for = Role of { $name }
admin-team-change = Change
admin-team-new-link = New link
admin-team-disable = Disable
admin-team-invite-title = Invite a member
admin-team-invite = Invite
admin-team-invite-note = The invitation is a link, valid for 24 hours and only once: hand it over yourself (no e-mail is sent). A new link ends the older ones; disabling ends every session at once.
admin-team-link = Link for { $name }, shown once (24 hours, single use):

## The status page
admin-status-title = Status
admin-status-server = Server
admin-status-version = Version
admin-status-database = Database
admin-status-answered = { $backend }, answered in { $ms } ms
admin-status-signins = Sign-ins stored
admin-status-disk = Disk (data directory)
admin-status-free = { $free } free of { $total }
admin-status-unknown = unknown ({ $error })
admin-status-retention-run = Retention purge, last run
admin-status-started = started { $when }, { $end }
admin-status-finished = finished { $when }: purged { $detail }
admin-status-unfinished = not finished
admin-status-retention = Retention period
admin-status-days = { $days } days
admin-status-kiosks = Each kiosk's own queue (sign-ins waiting, refused ones parked) is on its admin panel; here is what reached the server.

## Logging in and setting a password
admin-login-title = Admin login
admin-login-email = E-mail
admin-login-password = Password
admin-login-submit = Log in
admin-login-recover = Set a password with a recovery code
admin-login-wrong = Wrong e-mail or password.
admin-recover-title = Set a password
admin-recover-intro = Enter the one-time code (from the link an admin gave you, or that { $command } printed) and a new password (at least { $min } characters).
admin-recover-code = Recovery code
admin-recover-new = New password
admin-recover-again = Again
admin-recover-submit = Set password
admin-recover-short = The password is too short.
admin-recover-long = The password is too long.
admin-recover-differ = The two passwords differ.
admin-recover-wrong = That recovery code is wrong, used or expired.
