# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# گنتی: ‎+1 / ‎−1 ان افراد کے لیے جو کسی اندراج کے بغیر گنے جائیں (بچے، عملہ)۔

tally-plus = +1
tally-minus = −1
tally-uncounted = نام کے بغیر گنے گئے
tally-entrance = داخلہ
tally-people = افراد
tally-count = نام کے بغیر گنے گئے: { $count }
tally-inside-total = اندر کل { $count }، جن میں سے { $uncounted } نام کے بغیر گنے گئے۔
