# Status: source text (English), written by the Usher developers.
# The volunteer's walk-in form (a visitor without a pass) and the ready screen's "register on your phone" code.

walkin-button = Walk-in
walkin-title = Sign in a visitor without a pass
walkin-name = Name (required)
walkin-phone = Phone (optional)
walkin-email = E-mail (optional)
walkin-party = How many people
walkin-submit = Sign in
walkin-cancel = Cancel
walkin-error-no-name = Please type the visitor's name.
walkin-error-bad-name = The name is too long or holds a character it cannot.
walkin-error-bad-phone = That is not a phone number.
walkin-error-bad-email = That is not an e-mail address.
walkin-register = No pass? Scan this to register on your phone.
