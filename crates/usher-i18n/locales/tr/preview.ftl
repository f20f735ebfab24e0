# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# Hazır ekranındaki kamera önizlemesi; demoda kamerada ne olduğu ve neden.

preview-demo-new = Demo: yeni bir kart: kabul edildi
preview-demo-again = Demo: aynı kart tekrar: zaten kullanıldı
preview-demo-expired = Demo: tarihi geçmiş bir kart: süresi doldu
preview-demo-other-key = Demo: başka bir anahtarla imzalı: burada geçersiz
preview-demo-broken = Demo: hatalı bir alan: geçerli bir kart değil
preview-demo-not-a-pass = Demo: bir web adresi, kart değil
preview-demo-arabic = Demo: Arapça isimli yeni bir kart: kabul edildi
preview-demo-between = Demo: sıradaki kart birazdan geliyor
