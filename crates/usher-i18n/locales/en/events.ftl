# Status: source text (English), written by the Usher developers.
# Events and reservations (DESIGN §9): the visitor's booking pages, the admin's event pages and
# the kiosk's "too early" screen is kiosk-screen-qr_too_early in kiosk.ftl. Keep them short and plain.

## The visitor form and the booking page
events-open-title = Events open for booking
events-when = { $starts } to { $ends }
events-places-left = { $left ->
    [0] { $entrance }: full
    [one] { $entrance }: { $left } place left
   *[other] { $entrance }: { $left } places left
}
events-book-link = Book places
events-book-title = Book places: { $event }
events-field-name = Name
events-field-phone = Phone
events-field-email = E-mail
events-field-party = How many places (you and your family)
events-field-entrance = Entrance
events-consent = I agree that { $venue } keeps my name, phone and e-mail with this reservation until the event ends, and with the times I come in for { $days } days, to contact me if needed.
events-book-button = Book my places
events-not-open = This event is not taking bookings.
events-too-many = Too many bookings from this address. Wait a minute and try again.
events-error-entrance = Please choose an entrance of this event.
events-error-too-long = The name is too long to fit in a pass. Please shorten it.
events-doors-open = Doors open at { $time }.
events-booked = { $places ->
    [one] 1 place at the { $entrance } entrance. Your reservation: { $reservation }.
   *[other] { $places } places at the { $entrance } entrance. Your reservation: { $reservation }.
}
events-full-title = The event is full
events-full = { $left ->
    [0] Sorry, the event is full: no places are left at the { $entrance } entrance.
    [one] Sorry, the event is full for a party this size: 1 place is left at the { $entrance } entrance.
   *[other] Sorry, the event is full for a party this size: { $left } places are left at the { $entrance } entrance.
}

## The admin pages
events-admin-title = Events
events-none = No events yet.
events-new = New event
events-edit = Change this event
events-create = Create the event
events-save = Save the changes
events-close = Close bookings
events-csv = Reservations (CSV)
events-no-such = No such event.
events-times-utc = Times are UTC. Booking opens now and closes at the end unless you set them.
events-label-name = Name
events-label-starts = Starts
events-label-ends = Ends
events-label-opens = Booking opens
events-label-closes = Booking closes
events-label-largest = Largest party
events-label-grace = Doors open this many minutes before the start
events-label-entrances = Entrances, one a line: name and places (brothers 100)
events-error-field = Please check the field “{ $field }”.
events-error-order = “{ $field }” must come after the time before it.
events-status-open = open for booking
events-status-not-yet = booking not open yet
events-status-booking-over = booking closed
events-status-closed = closed by an admin
events-status-over = over
events-col-event = Event
events-col-when = When
events-col-booked = Booked
events-col-status = Status
events-col-entrance = Entrance
events-col-places = Places
events-col-left = Left
events-col-arrived = Arrived
events-col-elsewhere = Of them booked for another entrance
events-total = Total
events-parties = { $count ->
    [one] 1 reservation
   *[other] { $count } reservations
}
events-as-of = As of { $time } (the page reloads every { $seconds } seconds).
