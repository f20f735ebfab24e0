# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Etkinlikler ve rezervasyonlar (DESIGN §9).

## Ziyaretçi formu ve rezervasyon sayfası
events-open-title = Rezervasyona açık etkinlikler
events-when = { $starts } - { $ends }
events-places-left = { $left ->
    [0] { $entrance }: dolu
   *[other] { $entrance }: { $left } yer kaldı
}
events-book-link = Yer ayırt
events-book-title = Yer ayırt: { $event }
events-field-name = Ad
events-field-phone = Telefon
events-field-email = E-posta
events-field-party = Kaç yer (siz ve aileniz)
events-field-entrance = Giriş
events-consent = { $venue } adımı, telefonumu ve e-postamı bu rezervasyonla birlikte etkinlik bitene kadar, giriş saatlerimle birlikte { $days } gün boyunca, gerekirse bana ulaşmak için saklayabilir.
events-book-button = Yerlerimi ayırt
events-not-open = Bu etkinlik rezervasyon almıyor.
events-too-many = Bu adresten çok fazla rezervasyon yapıldı. Bir dakika bekleyip tekrar deneyin.
events-error-entrance = Lütfen bu etkinliğin bir girişini seçin.
events-error-too-long = Ad bir geçişe sığmayacak kadar uzun. Lütfen kısaltın.
events-doors-open = Kapılar { $time } saatinde açılır.
events-booked = { $entrance } girişinde { $places } yer. Rezervasyonunuz: { $reservation }.
events-full-title = Etkinlik dolu
events-full = { $left ->
    [0] Üzgünüz, etkinlik dolu: { $entrance } girişinde yer kalmadı.
   *[other] Üzgünüz, etkinlik bu kadar kişi için dolu: { $entrance } girişinde { $left } yer kaldı.
}

## Yönetici sayfaları
events-admin-title = Etkinlikler
events-none = Henüz etkinlik yok.
events-new = Yeni etkinlik
events-edit = Bu etkinliği değiştir
events-create = Etkinliği oluştur
events-save = Değişiklikleri kaydet
events-close = Rezervasyonları kapat
events-csv = Rezervasyonlar (CSV)
events-no-such = Böyle bir etkinlik yok.
events-times-utc = Saatler UTC'dir. Siz belirlemezseniz rezervasyon şimdi açılır ve etkinliğin sonunda kapanır.
events-label-name = Ad
events-label-starts = Başlangıç
events-label-ends = Bitiş
events-label-opens = Rezervasyon açılışı
events-label-closes = Rezervasyon kapanışı
events-label-largest = En büyük grup
events-label-grace = Kapılar başlangıçtan bu kadar dakika önce açılır
events-label-entrances = Girişler, her satıra bir tane: ad ve yer sayısı (brothers 100)
events-error-field = Lütfen “{ $field }” alanını kontrol edin.
events-error-order = “{ $field }” kendinden önceki saatten sonra olmalıdır.
events-status-open = rezervasyona açık
events-status-not-yet = rezervasyon henüz açılmadı
events-status-booking-over = rezervasyon kapandı
events-status-closed = bir yönetici tarafından kapatıldı
events-status-over = bitti
events-col-event = Etkinlik
events-col-when = Ne zaman
events-col-booked = Ayrılan
events-col-status = Durum
events-col-entrance = Giriş
events-col-places = Yer
events-col-left = Kalan
events-col-arrived = Gelen
events-col-elsewhere = Bunlardan başka giriş için ayırtan
events-total = Toplam
events-parties = { $count } rezervasyon
events-as-of = { $time } itibarıyla (sayfa her { $seconds } saniyede yenilenir).
