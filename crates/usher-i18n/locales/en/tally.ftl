# Status: source text (English), written by the Usher developers.
# The head-count tally: +1 / -1 for people counted without any record (children, staff).

tally-plus = +1
tally-minus = −1
tally-uncounted = Uncounted by name
tally-entrance = Entrance
tally-people = People
tally-count = Uncounted by name: { $count }
tally-inside-total = { $count } inside in all, { $uncounted } of them uncounted by name.
