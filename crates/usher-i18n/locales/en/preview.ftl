# Status: source text (English), written by the Usher developers.
# The camera preview on the ready screen. On the demo feed, a line over the preview says which
# demo pass is in view and why its verdict follows. Keep them short: they fit under a small picture.

preview-demo-new = Demo: a new pass: accepted
preview-demo-again = Demo: the same pass again: already used
preview-demo-expired = Demo: a pass past its date: expired
preview-demo-other-key = Demo: signed with another key: not valid here
preview-demo-broken = Demo: a field of the wrong kind: not a valid pass
preview-demo-not-a-pass = Demo: a web address, not a pass
preview-demo-arabic = Demo: a new pass with an Arabic name: accepted
preview-demo-between = Demo: the next pass comes in a moment
