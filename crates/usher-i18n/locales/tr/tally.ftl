# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Kişi sayacı: kaydı olmadan sayılan kişiler için +1 / −1 (çocuklar, görevliler).

tally-plus = +1
tally-minus = −1
tally-uncounted = Adsız sayılanlar
tally-entrance = Giriş
tally-people = Kişi
tally-count = Adsız sayılanlar: { $count }
tally-inside-total = İçeride toplam { $count } kişi, { $uncounted } kişi adsız sayıldı.
