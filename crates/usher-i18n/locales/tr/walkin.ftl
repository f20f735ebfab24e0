# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Gönüllünün kartsız ziyaretçi formu ve bekleme ekranındaki "telefonunuzdan kaydolun" kodu.

walkin-button = Kartsız ziyaretçi
walkin-title = Kartı olmayan bir ziyaretçiyi kaydet
walkin-name = Ad (zorunlu)
walkin-phone = Telefon (isteğe bağlı)
walkin-email = E-posta (isteğe bağlı)
walkin-party = Kaç kişi
walkin-submit = Kaydet
walkin-cancel = Vazgeç
walkin-error-no-name = Lütfen ziyaretçinin adını yazın.
walkin-error-bad-name = Ad çok uzun ya da kabul edilmeyen bir karakter içeriyor.
walkin-error-bad-phone = Bu bir telefon numarası değil.
walkin-error-bad-email = Bu bir e-posta adresi değil.
walkin-register = Kartınız yok mu? Telefonunuzdan kaydolmak için bu kodu okutun.
