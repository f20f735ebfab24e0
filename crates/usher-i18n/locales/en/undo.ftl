# Status: source text (English), written by the Usher developers.
# The volunteer's undo: the last sign-ins at this kiosk, by time and first name, each voidable.

undo-button = Undo a sign-in
undo-title = Sign-ins in the last { $minutes } minutes
undo-none = No sign-ins to undo.
undo-no-name = (no name)
undo-void = Void
undo-back = Back
