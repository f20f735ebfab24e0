# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The kiosk's words: its built-in screens, status line, party prompt, PIN pad and panels.

kiosk-screen-ready = Giriş kartınızı kameraya gösterin
kiosk-screen-qr_accepted =
    Hoş geldiniz { $name }
    Giriş saati: { $time }
kiosk-screen-qr_used =
    Bu kart daha önce kullanıldı
    ilk kullanım: { $first_used }, { $first_device }
kiosk-screen-qr_expired =
    Bu kartın süresi doldu
    { $expiry }
kiosk-screen-qr_not_authorized = Bu kart burada geçerli değil
kiosk-screen-qr_invalid = Bu kod geçerli bir kart değil
kiosk-screen-qr_missing_parameters = Bu kod bir Usher kartı değil
kiosk-screen-qr_goodbye = Güle güle { $name }
kiosk-screen-qr_full =
    Yer kalmadı
    Lütfen bir gönüllüye danışın
kiosk-screen-qr_too_early = Bu etkinlik için henüz erken
    Kapılar { $opens } saatinde açılır

kiosk-verdict-qr_accepted = Kabul
kiosk-verdict-qr_used = Daha önce kullanılmış
kiosk-verdict-qr_expired = Süresi dolmuş
kiosk-verdict-qr_not_authorized = Burada geçersiz
kiosk-verdict-qr_invalid = Geçersiz kart
kiosk-verdict-qr_missing_parameters = Kart değil
kiosk-verdict-qr_goodbye = Güle güle
kiosk-verdict-qr_full = Dolu
kiosk-verdict-qr_too_early = Erken

kiosk-status-signed-in = Bugün { $count } giriş
kiosk-status-inside = içeride: { $entrance } { $here }, mekân { $venue }
kiosk-status-venue-as-of = (mekân: { $age })
kiosk-status-online = çevrimiçi
kiosk-status-offline = çevrimdışı
kiosk-status-sync = { $state }, { $count } bekliyor
kiosk-status-sync-uploaded = { $state }, { $count } bekliyor, son gönderim { $time }
kiosk-age-now = az önce
kiosk-age-minutes = { $minutes } dk önce
kiosk-age-hours = { $hours } sa { $minutes } dk önce
kiosk-notice-demo = tanıtım akışı
kiosk-notice-demo-no-camera = tanıtım akışı: kamera bulunamadı
kiosk-camera-lost = Kamera bağlantısı kesildi ({ $camera }): yeniden bağlanıyor…

kiosk-language-hint = Dil
kiosk-admin-hint = Yönetim
kiosk-party-question = Kaç kişisiniz?
kiosk-party-default = Yanıt yoksa: { $count }
kiosk-admit-anyway = Yine de içeri al

kiosk-pin-title = PIN
kiosk-pin-enter = Yönetici PIN’ini girin
kiosk-pin-enter-volunteer = Kapasite üstü giriş için gönüllü PIN’ini girin
kiosk-pin-enter-any = Yönetici veya gönüllü PIN’ini girin
kiosk-pin-wrong = Yanlış PIN
kiosk-pin-locked = Çok fazla yanlış PIN: { $seconds } sn bekleyin
kiosk-pin-ok = Tamam
kiosk-pin-cancel = İptal

kiosk-admin-title = Yönetim
kiosk-admin-device = Cihaz kimliği: { $id }
kiosk-admin-camera = Kullanılan kamera: { $camera }
kiosk-admin-switch-camera = Kamera değiştir:
kiosk-admin-today = Bugün
kiosk-admin-today-count = { $verdict }: { $count }
kiosk-admin-last-scans = Son taramalar
kiosk-admin-waiting = Gönderilmeyi bekleyen: { $count }
kiosk-admin-contact = Bekleyen iletişim bilgileri: { $protection }
kiosk-admin-contact-organiser = düzenleyicinin anahtarıyla mühürlü
kiosk-admin-contact-local = { $file } içindeki yerel anahtarla saklanıyor
kiosk-admin-contact-memory = yalnızca bellekteki bir anahtarla saklanıyor
kiosk-admin-clock-behind = kiosk saati sunucununkinden { $minutes } dakika geride
kiosk-admin-clock-ahead = kiosk saati sunucununkinden { $minutes } dakika ileride
kiosk-admin-clock-floor = kiosk, saatini bu bilgisayarın saatinden en az { $minutes } dakika ileride tutuyor (gördüğü en son saat); bu bilgisayarın saati doğruysa ona güvenin
kiosk-admin-warning = Uyarı: { $warning }
kiosk-admin-standalone = Bağımsız: sunucu ayarlı değil (girişler bu kioskta kalır)
kiosk-admin-server-online = Sunucu: çevrimiçi
kiosk-admin-server-offline = Sunucu: çevrimdışı
kiosk-admin-last-upload = Son gönderim: { $time }
kiosk-admin-sync-problem = Son eşitleme sorunu: { $problem }
kiosk-admin-clock = Saat: { $warning }
kiosk-admin-refused = Sunucunun reddettikleri ({ $count })
kiosk-admin-double-uses = Çift kullanımlar ({ $count })
kiosk-admin-panics = Yakalanan çözücü hataları: { $count }
kiosk-admin-use-camera = Kamerayı kullan
kiosk-admin-reload = Ekranları yeniden yükle
kiosk-admin-test-sound = Sesi dene
kiosk-admin-fullscreen = Tam ekran
kiosk-admin-leave-fullscreen = Tam ekrandan çık
kiosk-admin-quit = Çıkış
kiosk-admin-close = Kapat
kiosk-admin-trust-clock = Bu bilgisayarın saatine güven
kiosk-admin-volunteer = Gönüllü paneli

kiosk-volunteer-title = Gönüllü
kiosk-volunteer-roll-call = Yoklama
kiosk-volunteer-admit = Kapasite üstü içeri al
kiosk-volunteer-back = Geri
kiosk-volunteer-close = Kapat
kiosk-roll-call-title = Yoklama
kiosk-roll-call-heading = { $entrance }: içeride { $count }
kiosk-roll-call-no-name = (isimsiz)
kiosk-roll-call-total = { $passes } kartla içeride { $people } kişi
