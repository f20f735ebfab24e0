# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The server's admin pages: the menu, sign-ins, finding and tracing, the door's pages, kiosks,
# the team, the status page, logging in, and the CSV files' header lines.

## The menu
admin-menu = Yönetim menüsü
admin-nav-signins = Girişler
admin-nav-inside = Şu an içeride
admin-nav-roll-call = Yoklama
admin-nav-find = Kişi bul
admin-nav-trace = Kimler buradaydı
admin-nav-kiosks = Kiosklar
admin-nav-double-uses = Çift kullanımlar
admin-nav-audit = Denetim kaydı
admin-nav-team = Ekip
admin-nav-status = Durum
admin-nav-logout = Çıkış yap: { $name } ({ $role })

## Roles (the value stored stays English; this is what is shown)
admin-role-viewer = izleyici
admin-role-tracer = takipçi
admin-role-admin = yönetici

## Table columns
admin-col-signed-in = Giriş
admin-col-left = Çıkış
admin-col-entrance = Kapı
admin-col-people = Kişi
admin-col-kiosk = Kiosk
admin-col-name = Ad
admin-col-phone = Telefon
admin-col-email = E-posta
admin-col-enrolled = Kayıt tarihi
admin-col-last-seen = Son görülme
admin-col-state = Durum
admin-col-actions = İşlemler
admin-col-last-upload = Son gönderim
admin-col-last-contact = Son bağlantı
admin-col-people-inside = İçerideki kişi
admin-col-passes = Kart
admin-col-inside-since = İçeride olduğu saat
admin-col-quarter = Çeyrek saat (UTC)
admin-col-arrivals = Gelenler
admin-col-most-inside = En çok içeride
admin-col-day = Gün
admin-col-signins = Girişler
admin-col-left-scanned = Çıkış (okutulan)
admin-col-auto = Otomatik çıkış
admin-col-no-exit = Çıkış bilinmiyor
admin-col-average = Ortalama kalış (okutulan)
admin-col-when = Ne zaman
admin-col-who = Kim
admin-col-what = Ne
admin-col-details = Ayrıntılar
admin-col-pass = Kart
admin-col-first = İlk
admin-col-first-kiosk = İlk kiosk
admin-col-again = Yeniden
admin-col-role = Rol
admin-col-status = Durum
admin-col-signins-24h = 24 saatte giriş
admin-col-newest = En yeni giriş
admin-total = Toplam
admin-the-day = Gün boyunca

## How a stay ended
admin-left-exit = çıkış okutuldu
admin-left-auto = tahmin: otomatik çıkış
admin-left-default = tahmin: çıkış bilinmiyor, varsayılan kalış

## Times
admin-never = hiç
admin-ago-minutes = { $when } ({ $minutes } dk önce)
admin-ago-hours = { $when } ({ $hours } sa { $minutes } dk önce)
admin-minutes = { $minutes } dk

## Errors
admin-error-query = Hatalı sorgu.
admin-error-day = Günü YYYY-AA-GG biçiminde yazın.
admin-error-dates = Tarihleri YYYY-AA-GG biçiminde yazın.
admin-error-search-by = Ada, telefona veya e-postaya göre arayın.
admin-error-nothing = Aranacak bir şey yok.
admin-error-minutes = Dakika 0 ile 1440 arasında bir sayı olmalıdır.
admin-error-export = what=day veya what=trace dışa aktarın.
admin-error-kiosk-name = Kioska 1 ile 100 karakter arasında bir ad verin.
admin-error-no-kiosk = Böyle etkin bir kiosk yok.
admin-error-device-token = Yönetim sayfaları kiosk anahtarıyla değil, yönetici girişiyle açılır.
admin-error-role = Rolünüz ({ $role ->
        [viewer] { admin-role-viewer }
        [tracer] { admin-role-tracer }
       *[admin] { admin-role-admin }
    }) bu sayfayı açamaz. Gerekirse bir yöneticiye sorun.
admin-error-busy = Sunucu meşgul. Biraz bekleyip yeniden deneyin.
admin-error-logins = Bu adresten çok fazla giriş denemesi yapıldı. Bir dakika bekleyip yeniden deneyin.
admin-error-attempts = Bu adresten çok fazla deneme yapıldı. Bir dakika bekleyip yeniden deneyin.
admin-error-hash = Parola işlenemedi.
admin-error-link = Bağlantı oluşturulamadı.
admin-error-invalid = { $field ->
    [name] Ad geçerli değil.
    [email] E-posta geçerli değil.
   *[role] Rol geçerli değil.
}
admin-error-member-exists = Bu e-postayla bir üye zaten var.
admin-error-last-admin = Bu son yönetici: önce başka bir üyeyi yönetici yapın.
admin-error-no-member = Böyle bir üye yok.

## Sign-ins of a day, finding a person, who was here
admin-day-title = { $day } girişleri
admin-export-csv = CSV olarak dışa aktar
admin-find-title = Kişi bul
admin-search-by = Şuna göre ara
admin-search-name = ad
admin-search-phone = telefon
admin-search-email = e-posta
admin-search-exactly = Tam olarak
admin-search-from = Başlangıç
admin-search-to = Bitiş
admin-search-submit = Ara
admin-find-count = { $count } giriş.
admin-trace-title = Kimler buradaydı
admin-trace-within = Kaç dakika içinde
admin-trace-stay = Kalış süresi, dakika
admin-trace-note = Bir kalış girişten çıkışa kadar sürer. Kioskların otomatik kapattığı çıkışlar ve çıkışı bilinmeyen kalışlar (yukarıdaki kalış süresiyle sayılır) tahmindir ve öyle işaretlenir.
admin-trace-visits = Ziyaretler ({ $count })
admin-trace-others = Orada bulunan diğerleri ({ $count })

## CSV files: the header line (keep the commas: one name per column)
admin-csv-signins = giris_utc,kiosk,ad,telefon,eposta,cikis_utc,cikis,kapi,kisi
admin-csv-roll-call = kapi,ad,telefon,iceride_oldugu_utc,kiosk,kisi

## Audit log and double uses
admin-audit-title = Denetim kaydı
admin-audit-server = (sunucu)
admin-double-title = Çift kullanımlar
admin-double-intro = İki kioskta kabul edilen kartlar (örneğin ikisi de o sırada çevrim dışıydı).

## Kiosks
admin-kiosks-title = Kiosklar
admin-kiosks-new = Yeni kiosk adı
admin-kiosks-enrol = Kiosk kaydet
admin-kiosks-key = Düzenleyicinin açık anahtarı
admin-kiosks-download = İndir
admin-kiosk-active = etkin
admin-kiosk-revoked = { $when } tarihinde iptal edildi
admin-kiosk-revoked-short = iptal edildi
admin-kiosk-revoke = İptal et
admin-enrolled-title = Kiosk kaydedildi
admin-enrolled-intro = { $name } kioskı kaydedildi. Bu kodu kioskun yönetim ekranıyla okutun veya metni yapıştırın. Yalnızca bir kez gösterilir.
admin-enrolled-image = Kayıt kodu
admin-enrolled-back = Kiosklara dön

## The door's pages
admin-kiosks-offline = Bir süredir gönderim yapmayan bir kiosk çevrim dışı olabilir: o zamandan beri içeri aldığı veya çıkardığı kişiler henüz bu rakamlarda yok.
admin-inside-title = Şu an içeride
admin-inside-as-of = { $when } itibarıyla (sayfa her { $seconds } saniyede yenilenir).
admin-inside-as-of-still = { $when } itibarıyla.
admin-inside-start = Her { $seconds } saniyede yenile
admin-inside-stop = Yenilemeyi durdur
admin-csv = CSV
admin-roll-title = Yoklama
admin-roll-as-of = { $when } itibarıyla: { $passes } kartla içeride { $people } kişi.
admin-roll-print = Bu sayfayı tarayıcının Yazdır komutuyla yazdırın.
admin-roll-nobody = İçeride kimse yok.
admin-roll-entrance = { $entrance }: { $people } kişi
admin-roll-kiosks = Kioskların son gönderimleri
admin-glance-day = Gün
admin-glance-show = Göster
admin-glance-title = Bir bakışta { $day }
admin-glance-intro = Kapı başına: çubuklar her çeyrek saatte gelen kişiler, çizgi aynı anda en çok içeride olan sayıdır. Saatler UTC.
admin-glance-none = Bu gün giriş yok.
admin-glance-chart = { $entrance }, { $day }: çeyrek saat başına gelenler ve aynı anda en çok içeride olanlar
admin-days-title = Günlere göre girişler
admin-days-intro = Girişler { $days } gün saklanır. Günler UTC. Bir kalış, kioskta okutulan bir çıkışla veya otomatik çıkışla (bir tahmin) biter.
admin-signins-title = Girişler

## The team
admin-team-title = Ekip
admin-team-roles = Roller: { $admin } (her şey), { $tracer } (bulma, takip, dışa aktarma, denetim kaydı), { $viewer } (sayılar, şu an içeride, etkinlikler; iletişim bilgisi yok).
admin-member-disabled = devre dışı
admin-member-invited = davet edildi
admin-member-active = etkin
admin-team-role-for = { $name } rolü
admin-team-change = Değiştir
admin-team-new-link = Yeni bağlantı
admin-team-disable = Devre dışı bırak
admin-team-invite-title = Üye davet et
admin-team-invite = Davet et
admin-team-invite-note = Davet bir bağlantıdır, 24 saat ve yalnızca bir kez geçerlidir: kendiniz iletin (e-posta gönderilmez). Yeni bir bağlantı eskilerini geçersiz kılar; devre dışı bırakmak tüm oturumları hemen kapatır.
admin-team-link = { $name } için bağlantı, bir kez gösterilir (24 saat, tek kullanım):

## The status page
admin-status-title = Durum
admin-status-server = Sunucu
admin-status-version = Sürüm
admin-status-database = Veritabanı
admin-status-answered = { $backend }, { $ms } ms içinde yanıt verdi
admin-status-signins = Saklanan girişler
admin-status-disk = Disk (veri klasörü)
admin-status-free = { $total } içinde { $free } boş
admin-status-unknown = bilinmiyor ({ $error })
admin-status-retention-run = Saklama temizliği, son çalışma
admin-status-started = { $when } başladı, { $end }
admin-status-finished = { $when } bitti: temizlenen { $detail }
admin-status-unfinished = bitmedi
admin-status-retention = Saklama süresi
admin-status-days = { $days } gün
admin-status-kiosks = Her kioskun kendi kuyruğu (bekleyen girişler, reddedilip ayrılanlar) kendi yönetim panelindedir; burada sunucuya ulaşanlar var.

## Logging in and setting a password
admin-login-title = Yönetici girişi
admin-login-email = E-posta
admin-login-password = Parola
admin-login-submit = Giriş yap
admin-login-recover = Kurtarma koduyla parola belirle
admin-login-wrong = E-posta veya parola yanlış.
admin-recover-title = Parola belirle
admin-recover-intro = Tek kullanımlık kodu (bir yöneticinin verdiği bağlantıdan veya { $command } komutunun yazdırdığı) ve yeni bir parola (en az { $min } karakter) girin.
admin-recover-code = Kurtarma kodu
admin-recover-new = Yeni parola
admin-recover-again = Yeniden
admin-recover-submit = Parolayı kaydet
admin-recover-short = Parola çok kısa.
admin-recover-long = Parola çok uzun.
admin-recover-differ = İki parola farklı.
admin-recover-wrong = Bu kurtarma kodu yanlış, kullanılmış veya süresi dolmuş.
