# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# عدّاد الحضور: ‎+1 / ‎−1 لأشخاص يُعدّون بلا أي سجل (أطفال، عاملون).

tally-plus = +1
tally-minus = −1
tally-uncounted = غير مسجَّلين بالاسم
tally-entrance = المدخل
tally-people = الأشخاص
tally-count = غير مسجَّلين بالاسم: { $count }
tally-inside-total = في الداخل { $count } إجمالًا، منهم { $uncounted } غير مسجَّلين بالاسم.
