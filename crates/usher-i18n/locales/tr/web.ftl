# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The server's public pages: the visitor form, the pass page, and the errors a visitor may see.

web-language-menu = Dil

## The visitor form
web-form-title = { $venue } giriş kartı
web-form-heading = { $venue }: giriş kartınızı alın
web-form-name = Ad
web-form-phone = Telefon
web-form-email = E-posta
web-form-party = Bu kartla kaç kişi giriyor (siz ve aileniz)
web-form-consent = { $venue } kurumunun adımı, telefonumu ve e-postamı giriş saatlerimle birlikte { $days } gün saklamasını ve gerekirse benimle iletişime geçmesini kabul ediyorum.
web-form-submit = Kartımı al

## The pass page
web-pass-title = Giriş kartınız
web-pass-intro = Bu kodu kapıda gösterin. Resmi kaydedin veya ekran görüntüsü alın.
web-pass-image = Giriş kartınız
web-pass-save = Fotoğraflara kaydet
web-pass-text = Kart metni
web-pass-caption-party = { $name } · { $count } kişi

## What a visitor is told when the form is not right
web-error-too-long = { $field ->
    [name] Ad çok uzun (en fazla { $max } karakter).
    [phone] Telefon numarası çok uzun (en fazla { $max } karakter).
   *[email] E-posta adresi çok uzun (en fazla { $max } karakter).
}
web-error-characters = { $field ->
    [name] Adda izin verilmeyen karakterler var.
    [phone] Telefon numarasında izin verilmeyen karakterler var.
   *[email] E-posta adresinde izin verilmeyen karakterler var.
}
web-error-too-big = { $field ->
    [name] Ad, diğer bilgilerle birlikte karta sığmayacak kadar uzun. Lütfen kısaltın.
    [phone] Telefon numarası, diğer bilgilerle birlikte karta sığmayacak kadar uzun. Lütfen kısaltın.
   *[email] E-posta adresi, diğer bilgilerle birlikte karta sığmayacak kadar uzun. Lütfen kısaltın.
}
web-error-party = Kişi sayısı 1 ile { $largest } arasında bir tam sayı olmalıdır.
web-error-name = Lütfen adınızı yazın.
web-error-phone = Telefon numarası doğru görünmüyor.
web-error-email = E-posta adresi doğru görünmüyor.
web-error-contact = Lütfen bir telefon numarası veya e-posta adresi yazın.
web-error-consent = Lütfen onay kutusunu işaretleyin.
web-error-too-many = Bu adresten çok fazla kart istendi. Bir dakika bekleyip yeniden deneyin.

## Error pages
web-error-title = Hata
web-error-home = İlk sayfaya dön
web-error-internal = Sunucuda bir sorun oluştu.
web-error-not-found = Böyle bir sayfa yok.
web-error-method = Bu sayfa böyle kullanılmaz.
web-error-forwarded = X-Forwarded-For başlığı okunamıyor.
web-error-expired-form = Formun süresi doldu veya bu siteden gelmedi. Sayfayı yeniden yükleyip tekrar deneyin.
