# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# معاينة الكاميرا على شاشة الانتظار؛ في العرض التجريبي: ما تعرضه الكاميرا ولماذا.

preview-demo-new = عرض تجريبي: تصريح جديد: مقبول
preview-demo-again = عرض تجريبي: التصريح نفسه مرة أخرى: مستخدم من قبل
preview-demo-expired = عرض تجريبي: تصريح انتهى تاريخه: منتهي الصلاحية
preview-demo-other-key = عرض تجريبي: موقّع بمفتاح آخر: غير صالح هنا
preview-demo-broken = عرض تجريبي: حقل غير صحيح: تصريح غير صالح
preview-demo-not-a-pass = عرض تجريبي: عنوان موقع وليس تصريحًا
preview-demo-arabic = عرض تجريبي: تصريح جديد باسم عربي: مقبول
preview-demo-between = عرض تجريبي: التصريح التالي بعد لحظات
