# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Gönüllünün geri alması: bu kiosktaki son girişler, saat ve ilk adla, her biri iptal edilebilir.

undo-button = Girişi geri al
undo-title = Son { $minutes } dakikadaki girişler
undo-none = Geri alınacak giriş yok.
undo-no-name = (adsız)
undo-void = İptal et
undo-back = Geri
